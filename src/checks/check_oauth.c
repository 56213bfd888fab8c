/*
 * oauth.challenge: on-premises endpoints offer OAuth and trust the tenant.
 * oauth.issuer: the ACS issuer on-premises trusts is one Exchange Online
 * names in its own challenge (the comparison Exchange itself makes).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "buf.h"
#include "check_fns.h"
#include "net.h"
#include "snapshot.h"
#include "str.h"
#include "wwwauth.h"

/* Whether issuers include principal@tenant for one of the cloud's principals. */
static int
trusts_tenant(const struct strlist *issuers, const struct strlist *principals,
    const char *tid, int *acs_other)
{
	*acs_other = 0;
	for (size_t i = 0; i < issuers->n; i++)
		for (size_t k = 0; k < principals->n; k++) {
			size_t n = strlen(principals->v[k]);

			if (strncasecmp(issuers->v[i], principals->v[k], n) != 0 ||
			    issuers->v[i][n] != '@')
				continue;
			if (tid != NULL && strcasecmp(issuers->v[i] + n + 1, tid) == 0)
				return 1;
			*acs_other = 1;
		}
	return 0;
}

/* "oauth_not_available: <reason> (x-ms-diagnostics 4000000)"; caller frees. */
static char *
diag_text(const struct msdiag *d)
{
	return xasprintf("%s%s%s%s%s (x-ms-diagnostics %ld)", d->error_category ?
	    d->error_category : "", d->error_category && d->reason ? ": " : "",
	    d->reason ? "\"" : "", d->reason ? d->reason : "", d->reason ?
	    "\"" : "", d->code);
}

static void
judge_challenge(const struct context *ctx, struct findings *out,
    const struct probe *p, const char *what)
{
	const struct http_response *r = &p->resp;
	const char *tid = ctx->probes->tenant_id;
	const struct strlist *principals = net_acs_principals(ctx);
	const struct probe_facts *pf = facts_of(&ctx->facts, p);
	const struct auth_challenge *c;
	const struct bearer *b;
	struct finding *fd;
	int other = 0, trusted;
	char *diag;

	if (r->outcome != HTTP_RESPONSE || pf == NULL)
		return;		/* endpoint.* says why */
	if (r->status != 401) {
		if (r->status >= 200 && r->status < 300 && pf->challenges.n == 0) {
			fd = findings_add(out, SEV_WARN, p->host, "%s answers HTTP %ld "
			    "without asking for any authentication", what, r->status);
			net_evidence(fd, ctx->probes, r);
		}
		return;
	}
	if ((c = pf->bearer) == NULL) {
		fd = findings_add(out, SEV_FAIL, p->host, "%s offers no Bearer "
		    "challenge: OAuth is off on the virtual directory, or a proxy "
		    "pre-authenticates", what);
		if (pf->challenge_error != NULL)
			finding_evidence(fd, "parse error", "%s", pf->challenge_error);
		finding_remedy(fd, "vdir.oauth");
		net_evidence(fd, ctx->probes, r);
		return;
	}
	b = &pf->bearer_params;
	trusted = trusts_tenant(&b->trusted_issuers, principals, tid, &other);
	diag = pf->has_diagnostics ? diag_text(&pf->diagnostics) : NULL;
	if (trusted && diag != NULL) {
		/*
		 * A challenge naming the tenant, and a diagnostic saying OAuth
		 * is not usable here (a real capture: oauth_not_available,
		 * "Flighting is not enabled for domain …"): the diagnostic wins.
		 */
		fd = findings_add(out, SEV_WARN, p->host, "%s names tenant %s in "
		    "trusted_issuers, but says OAuth is not usable: %s", what, tid,
		    diag);
	} else if (trusted) {
		fd = findings_add(out, SEV_PASS, p->host, "%s trusts %s@%s", what,
		    principals->v[0], tid);
	} else if (tid == NULL && diag != NULL) {
		fd = findings_add(out, SEV_WARN, p->host, "%s offers Bearer but "
		    "says OAuth is not usable: %s (the tenant id is unknown, so "
		    "its trusted issuers cannot be judged)", what, diag);
	} else if (tid == NULL) {
		fd = findings_add(out, SEV_INFO, p->host, "%s offers Bearer; the "
		    "tenant id is unknown, so its trusted issuers cannot be judged",
		    what);
	} else {
		fd = findings_add(out, SEV_FAIL, p->host, "%s does not trust tenant "
		    "%s: trusted_issuers lacks %s@%s", what, tid, principals->v[0], tid);
		finding_remedy(fd, other ? "authserver.acs.fix" :
		    "authserver.acs.create");
	}
	finding_evidence(fd, "trusted issuers", "%s",
	    wwwauth_param(c, "trusted_issuers") ? wwwauth_param(c,
	    "trusted_issuers") : "(none)");
	if (b->error)
		finding_evidence(fd, "bearer error", "%s", b->error);
	if (pf->has_diagnostics) {
		const struct msdiag *d = &pf->diagnostics;

		finding_evidence(fd, "diagnostics code", "%ld", d->code);
		if (d->reason)
			finding_evidence(fd, "diagnostics reason", "%s", d->reason);
		if (d->error_category)
			finding_evidence(fd, "diagnostics category", "%s",
			    d->error_category);
	}
	net_evidence(fd, ctx->probes, r);
	free(diag);
}

void
check_oauth_challenge(const struct context *ctx, struct findings *out)
{
	size_t answered = 0;

	for (size_t i = 0; i < ctx->probes->n; i++) {
		const struct probe *p = ctx->probes->v[i];

		if (p->kind != PROBE_ONPREM_SVC && p->kind != PROBE_EWS)
			continue;
		if (p->resp.outcome == HTTP_RESPONSE)
			answered++;
		judge_challenge(ctx, out, p, p->kind == PROBE_EWS ? "EWS" :
		    "autodiscover.svc");
	}
	if (answered == 0)
		findings_add(out, SEV_SKIP, "", "no on-premises endpoint answered "
		    "(see endpoint.onprem-autodiscover, endpoint.ews)");
}

/* ------------------------------------------------------------ oauth.issuer */

/* Whether p is an ACS principal any loaded cloud names. */
static int
acs_principal(const struct context *ctx, const char *p)
{
	for (size_t i = 0; i < ctx->clouds->n; i++)
		if (cloud_has_value(&ctx->clouds->v[i], "acs_principals", p))
			return 1;
	return 0;
}

/* "principal@realm": the principal, lower case; caller frees. */
static char *
principal_of(const char *entry)
{
	char *p = xstrndup(entry, strcspn(entry, "@"));

	str_lower(p);
	return p;
}

/* One side of the pair: who trusts what, as Exchange's entries. */
struct issuers {
	const char	*who;		/* "EWS at mail.contoso.com", "AuthServer 'X'" */
	struct strlist	 entries;	/* "principal@realm" as seen */
	struct strlist	 principals;	/* their principals, lower case */
};

static void
issuers_add(struct issuers *s, const char *entry)
{
	char *p = principal_of(entry);

	if (!strlist_contains_ci(&s->entries, entry))
		strlist_add(&s->entries, entry);
	if (!strlist_contains_ci(&s->principals, p))
		strlist_add(&s->principals, p);
	free(p);
}

static void
issuers_release(struct issuers *s)
{
	strlist_release(&s->entries);
	strlist_release(&s->principals);
}

static char *
joined(const struct strlist *l)
{
	struct buf b;

	buf_init(&b, 64 * 1024);
	for (size_t i = 0; i < l->n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", l->v[i]);
	return b.data ? buf_steal(&b) : xstrdup("");
}

/*
 * Exchange Online's side: the issuers its own challenges trust (the
 * cloud's discovery endpoints answer without a token, as EWS does).
 */
static void
exo_issuers(const struct context *ctx, struct issuers *exo,
    const struct probe **seen)
{
	*seen = NULL;
	for (size_t i = 0; i < ctx->probes->n; i++) {
		const struct probe *p = ctx->probes->v[i];
		const struct probe_facts *pf = facts_of(&ctx->facts, p);

		if (p->kind != PROBE_CLOUD_DISCOVERY || p->cloud != ctx->cloud ||
		    pf == NULL || pf->bearer == NULL)
			continue;
		for (size_t k = 0; k < pf->bearer_params.trusted_issuers.n; k++)
			issuers_add(exo, pf->bearer_params.trusted_issuers.v[k]);
		if (*seen == NULL && pf->bearer_params.trusted_issuers.n > 0)
			*seen = p;
	}
}

/* The live ACS document's issuer, when the cloud's probe got one. */
static const char *
acs_doc_issuer(const struct context *ctx)
{
	const struct probe *p = probe_for_cloud(ctx->probes, PROBE_ACS, ctx->cloud,
	    ctx->domain);
	const struct probe_facts *pf = facts_of(&ctx->facts, p);

	if (p == NULL || pf == NULL || pf->doc != FACT_DOC_OK ||
	    p->resp.status != 200)
		return NULL;
	return pf->metadata.issuer;
}

/* Judges one on-premises side against Exchange Online's. */
static void
judge_pair(const struct context *ctx, struct findings *out,
    const struct issuers *org, const struct issuers *exo,
    const struct probe *exo_probe, const char *subject)
{
	const char *doc = acs_doc_issuer(ctx);
	char *mine = joined(&org->entries), *theirs = joined(&exo->entries);
	struct finding *fd;
	int match = 0, doc_ok = 0;

	for (size_t i = 0; i < org->principals.n; i++)
		match |= strlist_contains_ci(&exo->principals, org->principals.v[i]);
	if (match) {
		fd = findings_add(out, SEV_PASS, subject, "%s trusts %s, an issuer "
		    "Exchange Online (%s) names (%s)", org->who, mine,
		    ctx->cloud->name, theirs);
	} else {
		/* Exchange's own words, from Test-OAuthConnectivity. */
		fd = findings_add(out, SEV_FAIL, subject, "trusted_issuer does NOT "
		    "include the auth server: Exchange Online (%s) trusts %s, %s "
		    "trusts %s. \"The trusted issuers contained the following "
		    "entries '%s'. None of them are configured locally.\"",
		    ctx->cloud->name, theirs, org->who, mine, theirs);
		if (doc != NULL) {
			char *dp = principal_of(doc);

			doc_ok = strlist_contains_ci(&exo->principals, dp);
			/*
			 * The cloud's own document names a trusted issuer: read it
			 * again. The step compares the AuthServer's IssuerIdentifier
			 * with it, or it would find URL and realm right and change
			 * nothing (the 21Vianet pair: same URL, stale principal).
			 */
			if (doc_ok) {
				finding_remedy(fd, "authserver.acs.fix");
				finding_param(fd, RP_ACS_ISSUER, "%s", dp);
			}
			free(dp);
		}
	}
	finding_evidence(fd, "exchange online trusts", "%s", theirs);
	finding_evidence(fd, "exchange online challenge", "%s", exo_probe->url);
	finding_evidence(fd, "on-premises trusts", "%s", mine);
	finding_evidence(fd, "on-premises source", "%s", org->who);
	if (doc != NULL)
		finding_evidence(fd, "acs document issuer", "%s%s", doc, match ? "" :
		    doc_ok ? " (a principal Exchange Online trusts: the AuthServer "
		    "has not read the cloud's document)" : " (a principal Exchange "
		    "Online does not name either)");
	free(mine);
	free(theirs);
}

void
check_oauth_issuer(const struct context *ctx, struct findings *out)
{
	const char *tid = ctx->probes->tenant_id;
	const struct probe *exo_probe;
	struct issuers exo = { "Exchange Online", { 0 }, { 0 } };
	size_t judged = 0;

	exo_issuers(ctx, &exo, &exo_probe);
	if (exo_probe == NULL) {
		findings_add(out, SEV_SKIP, ctx->cloud->name, "Exchange Online's "
		    "challenge named no trusted issuers (see "
		    "endpoint.cloud-discovery)");
		issuers_release(&exo);
		return;
	}
	/* Live: the ACS entries each on-premises challenge names for the tenant. */
	for (size_t i = 0; i < ctx->probes->n; i++) {
		const struct probe *p = ctx->probes->v[i];
		const struct probe_facts *pf = facts_of(&ctx->facts, p);
		struct issuers org = { NULL, { 0 }, { 0 } };
		char *who;

		if ((p->kind != PROBE_ONPREM_SVC && p->kind != PROBE_EWS) ||
		    pf == NULL || pf->bearer == NULL)
			continue;
		for (size_t k = 0; k < pf->bearer_params.trusted_issuers.n; k++) {
			const char *e = pf->bearer_params.trusted_issuers.v[k];
			const char *at = strchr(e, '@');
			char *pr = principal_of(e);

			if (at != NULL && acs_principal(ctx, pr) &&
			    (tid == NULL || strcasecmp(at + 1, tid) == 0))
				issuers_add(&org, e);
			free(pr);
		}
		if (org.entries.n > 0) {
			who = xasprintf("%s at %s", p->kind == PROBE_EWS ? "EWS" :
			    "autodiscover.svc", p->host);
			org.who = who;
			judge_pair(ctx, out, &org, &exo, exo_probe, p->host);
			judged++;
			free(who);
		}
		issuers_release(&org);
	}
	/* The snapshot: each ACS AuthServer that is not disabled. */
	for (size_t i = 0; ctx->snapshot != NULL &&
	    i < ctx->snapshot->onprem.nauthservers; i++) {
		const struct snap_authserver *a = &ctx->snapshot->onprem.authservers[i];
		struct issuers org = { NULL, { 0 }, { 0 } };
		char *who, *entry;

		if (a->type != AUTHSERVER_ACS || a->enabled == TRI_FALSE ||
		    a->issuer == NULL || a->issuer[0] == '\0')
			continue;
		/* IssuerIdentifier holds the principal; the realm is its own field. */
		entry = strchr(a->issuer, '@') ? xstrdup(a->issuer) :
		    xasprintf("%s@%s", a->issuer, a->realm && *a->realm ? a->realm :
		    tid ? tid : "*");
		issuers_add(&org, entry);
		who = xasprintf("AuthServer '%s'", a->name ? a->name : "?");
		org.who = who;
		judge_pair(ctx, out, &org, &exo, exo_probe, who);
		judged++;
		free(who);
		free(entry);
		issuers_release(&org);
	}
	if (judged == 0)
		findings_add(out, SEV_SKIP, ctx->cloud->name, "no on-premises ACS "
		    "issuer was seen: no challenge named one for the tenant and no "
		    "snapshot ACS AuthServer (see oauth.challenge, authserver.acs)");
	issuers_release(&exo);
}
