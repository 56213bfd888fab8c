/*
 * endpoint.cloud-discovery, endpoint.onprem-autodiscover, endpoint.ews and
 * oauth.challenge: can each side's endpoint be reached, and does it ask for
 * the right token?
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_fns.h"
#include "check_net.h"
#include "wwwauth.h"

static const char *
failure_remedy(const struct http_response *r)
{
	switch (r->outcome) {
	case HTTP_EDNS:
	case HTTP_ECONNECT:
		return "endpoint.publish";
	case HTTP_ETLS:
		return "tls.certificate";
	default:
		return NULL;
	}
}

/* DNS, connection, TLS and HTTP status of one on-premises endpoint. */
static void
judge_onprem(const struct context *ctx, struct findings *out,
    const struct probe *p, const char *what)
{
	const struct http_response *r = &p->resp;
	struct finding *fd;
	long st = r->status;
	char *cut = net_body_cut(r);

	if (r->outcome != HTTP_RESPONSE) {
		char *why = net_failure_text(r);

		fd = findings_add(out, net_failure_severity(r), p->host,
		    "%s at '%s' is not reachable: %s", what, p->host, why);
		finding_remedy(fd, failure_remedy(r));
		free(why);
	} else if ((st == 401 || st == 200 || st == 405) && cut != NULL) {
		/* Exchange's 401 is a few hundred bytes; megabytes are not Exchange. */
		fd = findings_add(out, SEV_WARN, p->host, "%s at '%s' answers HTTP "
		    "%ld with %s, read no further: Exchange answers with a small "
		    "body, so something else answers for '%s'", what, p->host, st,
		    cut, p->host);
		finding_remedy(fd, "endpoint.publish");
	} else if (st == 401 || st == 200 || st == 405) {
		fd = findings_add(out, SEV_PASS, p->host, "%s answers HTTP %ld", what,
		    st);
	} else if (st >= 300 && st < 400) {
		fd = findings_add(out, SEV_FAIL, p->host, "%s redirects to '%s': a "
		    "pre-authenticating proxy or a wrong publishing rule", what,
		    r->location ? r->location : "(no Location)");
		finding_remedy(fd, "endpoint.publish");
	} else if (st == 403) {
		fd = findings_add(out, SEV_FAIL, p->host, "%s answers 403 Forbidden: "
		    "pre-authentication or an address restriction blocks Exchange "
		    "Online", what);
		finding_remedy(fd, "endpoint.publish");
	} else if (st == 404) {
		fd = findings_add(out, SEV_FAIL, p->host, "%s answers 404: the virtual "
		    "directory is not published on this host", what);
		finding_remedy(fd, "endpoint.publish");
	} else if (st >= 500) {
		fd = findings_add(out, SEV_FAIL, p->host, "%s answers HTTP %ld: the "
		    "server or a proxy in front of it fails", what, st);
	} else {
		fd = findings_add(out, SEV_WARN, p->host, "%s answers HTTP %ld, "
		    "expected 401", what, st);
	}
	net_evidence(fd, ctx->probes, r);
	free(cut);
}

void
check_endpoint_onprem_autodiscover(const struct context *ctx,
    struct findings *out)
{
	for (size_t i = 0; i < ctx->probes->n; i++)
		if (ctx->probes->v[i]->kind == PROBE_ONPREM_SVC)
			judge_onprem(ctx, out, ctx->probes->v[i], "autodiscover.svc");
}

void
check_endpoint_ews(const struct context *ctx, struct findings *out)
{
	for (size_t i = 0; i < ctx->probes->n; i++)
		if (ctx->probes->v[i]->kind == PROBE_EWS)
			judge_onprem(ctx, out, ctx->probes->v[i], "EWS");
}

void
check_endpoint_cloud_discovery(const struct context *ctx, struct findings *out)
{
	const char *rec = cloud_preferred(ctx->cloud, "discovery_endpoints");
	size_t seen = 0;

	for (size_t i = 0; i < ctx->probes->n; i++) {
		const struct probe *p = ctx->probes->v[i];
		const struct http_response *r = &p->resp;
		const struct probe_facts *pf = facts_of(&ctx->facts, p);
		const struct auth_challenge *c = pf ? pf->bearer : NULL;
		struct finding *fd;
		char *cut;

		if (p->kind != PROBE_CLOUD_DISCOVERY || p->cloud != ctx->cloud)
			continue;
		seen++;
		if (p->planned_only) {
			findings_add(out, SEV_SKIP, p->url, "not asked");
			continue;
		}
		cut = net_body_cut(r);
		if (r->outcome != HTTP_RESPONSE) {
			char *why = net_failure_text(r);

			fd = findings_add(out, SEV_ERROR, p->url, "cannot reach the "
			    "%s discovery endpoint: %s", ctx->cloud->name, why);
			free(why);
		} else if (cut != NULL) {
			fd = findings_add(out, SEV_WARN, p->url, "answers HTTP %ld "
			    "with %s, read no further: Microsoft's endpoint answers "
			    "with a small body, so something else answers for '%s'",
			    r->status, cut, p->host);
		} else if (r->status == 401 && c != NULL) {
			const struct bearer *b = &pf->bearer_params;

			fd = findings_add(out, SEV_PASS, p->url, "answers 401 with a "
			    "Bearer challenge");
			if (b->trusted_issuers.n)
				finding_evidence(fd, "trusted issuers", "%s",
				    wwwauth_param(c, "trusted_issuers"));
			if (b->authorization_uri)
				finding_evidence(fd, "authorization uri", "%s",
				    b->authorization_uri);
		} else
			fd = findings_add(out, SEV_WARN, p->url, "answers HTTP %ld "
			    "without a Bearer challenge", r->status);
		finding_evidence(fd, "role", "%s", rec && strcasecmp(rec, p->url) == 0 ?
		    "recommended DiscoveryEndpoint" : "accepted DiscoveryEndpoint");
		net_evidence(fd, ctx->probes, r);
		free(cut);
	}
	if (seen == 0)
		findings_add(out, SEV_SKIP, ctx->cloud->name, "the %s profile names "
		    "no discovery endpoint, or it was not asked", ctx->cloud->name);
}

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
	int other = 0;

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
	if (trusts_tenant(&b->trusted_issuers, principals, tid, &other)) {
		fd = findings_add(out, SEV_PASS, p->host, "%s trusts %s@%s", what,
		    principals->v[0], tid);
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
