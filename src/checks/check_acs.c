/* acs.metadata and acs.keys: the tenant's ACS auth metadata document. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_fns.h"
#include "net.h"
#include "datetime.h"
#include <stdio.h>

/* The tenant's document from the facts, or NULL with why set (caller frees it). */
static const struct metadata *
acs_doc(const struct context *ctx, const struct probe *p, char **why)
{
	const struct probe_facts *pf = facts_of(&ctx->facts, p);
	char *cut;

	*why = NULL;
	if (p->resp.outcome != HTTP_RESPONSE) {
		*why = net_failure_text(&p->resp);
		return NULL;
	}
	if (p->resp.status != 200) {
		*why = xasprintf("HTTP %ld", p->resp.status);
		return NULL;
	}
	if ((cut = net_body_cut(&p->resp)) != NULL) {
		*why = xasprintf("HTTP %ld with %s from '%s', read no further",
		    p->resp.status, cut, p->host);
		free(cut);
		return NULL;
	}
	if (pf == NULL || pf->doc != FACT_DOC_OK) {
		*why = xasprintf("not an auth metadata document: %s",
		    pf && pf->doc_error ? pf->doc_error : "not parsed");
		return NULL;
	}
	if (pf->metadata.realm == NULL || *pf->metadata.realm == '\0') {
		*why = xstrdup("a document without a realm (no tenant)");
		return NULL;
	}
	return &pf->metadata;
}

/* Another cloud whose ACS knows the domain, for "it lives over there". */
static const struct probe *
elsewhere(const struct context *ctx, char **realm)
{
	const struct probe_results *r = ctx->probes;

	for (size_t i = 0; i < r->n; i++) {
		const struct probe *p = r->v[i];
		const struct metadata *m;
		char *why;

		if (p->kind != PROBE_ACS || p->cloud == ctx->cloud ||
		    strcasecmp(p->url, probe_for_cloud(r, PROBE_ACS, ctx->cloud,
		    ctx->domain) ? probe_for_cloud(r, PROBE_ACS, ctx->cloud,
		    ctx->domain)->url : "") == 0)
			continue;
		if ((m = acs_doc(ctx, p, &why)) != NULL) {
			*realm = xstrdup(m->realm);
			return p;
		}
		free(why);
	}
	return NULL;
}

void
check_acs_metadata(const struct context *ctx, struct findings *out)
{
	const char *domain = ctx->domain;
	const struct probe *p = probe_for_cloud(ctx->probes, PROBE_ACS, ctx->cloud,
	    domain), *other;
	const struct strlist *principals = net_acs_principals(ctx);
	const char *tid = ctx->probes->tenant_id;
	struct finding *fd;
	const struct metadata *m;
	char *why = NULL, *realm = NULL;
	int bad = 0;

	if (p == NULL) {
		findings_add(out, SEV_SKIP, domain, "no ACS metadata URL for the %s "
		    "cloud", ctx->cloud->name);
		return;
	}
	if ((m = acs_doc(ctx, p, &why)) == NULL) {
		other = elsewhere(ctx, &realm);
		if (other == NULL && p->resp.outcome != HTTP_RESPONSE &&
		    net_failure_severity(&p->resp) != SEV_FAIL) {
			fd = findings_add(out, SEV_ERROR, p->url, "could not fetch the "
			    "ACS metadata of '%s': %s", domain, why);
			net_evidence(fd, ctx->probes, &p->resp);
			free(why);
			return;
		}
		if (other != NULL) {
			fd = findings_add(out, SEV_FAIL, p->url, "no ACS metadata for "
			    "'%s' in the %s cloud (%s); the domain's tenant is in the "
			    "%s cloud", domain, ctx->cloud->name, why, other->cloud->name);
			finding_evidence(fd, "found at", "%s", other->url);
			finding_evidence(fd, "realm there", "%s", realm);
			finding_remedy(fd, "cloud.select");
			free(realm);
		} else {
			fd = findings_add(out, SEV_FAIL, p->url, "no ACS metadata for "
			    "'%s' in the %s cloud: %s", domain, ctx->cloud->name, why);
			finding_remedy(fd, "authserver.acs.fix");
		}
		net_evidence(fd, ctx->probes, &p->resp);
		free(why);
		return;
	}
	if (tid != NULL && strcasecmp(m->realm, tid) != 0) {
		fd = findings_add(out, SEV_FAIL, p->url, "realm %s is not the "
		    "tenant id %s", m->realm, tid);
		finding_evidence(fd, "realm", "%s", m->realm);
		finding_evidence_param(fd, RP_TENANT_ID, "tenant id", "%s", tid);
		finding_remedy(fd, "authserver.acs.fix");
		bad = 1;
	}
	{
		int ok = 0;

		for (size_t i = 0; m->issuer && i < principals->n; i++) {
			char *want = xasprintf("%s@%s", principals->v[i], m->realm);

			ok |= strcasecmp(m->issuer, want) == 0;
			free(want);
		}
		if (!ok) {
			fd = findings_add(out, SEV_FAIL, p->url, "issuer '%s' is not "
			    "%s@%s", m->issuer ? m->issuer : "(none)", principals->v[0],
			    m->realm);
			finding_evidence(fd, "issuer", "%s", m->issuer ? m->issuer : "");
			bad = 1;
		}
	}
	if (metadata_endpoint_find(m, "OAuth2", "issuance") == NULL) {
		fd = findings_add(out, SEV_WARN, p->url, "no OAuth2 issuance "
		    "endpoint in the document");
		finding_evidence(fd, "endpoints", "%zu", m->nendpoints);
		bad = 1;
	}
	if (!bad) {
		const struct metadata_endpoint *ep =
		    metadata_endpoint_find(m, "OAuth2", "issuance");

		fd = findings_add(out, SEV_PASS, p->url, "ACS metadata of tenant %s",
		    m->realm);
		finding_evidence(fd, "realm", "%s", m->realm);
		finding_evidence(fd, "issuer", "%s", m->issuer);
		finding_evidence(fd, "token endpoint", "%s", ep->location);
		finding_evidence(fd, "keys", "%zu", m->nkeys);
	}
	if (m->variants.n > 0) {
		struct buf v;

		buf_init(&v, 4096);
		for (size_t i = 0; i < m->variants.n; i++)
			buf_printf(&v, "%s%s", i ? ", " : "", m->variants.v[i]);
		finding_evidence(fd, "spelling variants", "%s", v.data);
		buf_release(&v);
	}
}

/*
 * The keys are Microsoft's, served to every tenant alike: one key that is
 * no certificate, out of date or misnamed is Microsoft's document, not the
 * administrator's fault, and harmless while another key verifies tokens.
 * Only a document with no usable signing key left fails.
 */
void
check_acs_keys(const struct context *ctx, struct findings *out)
{
	const struct probe *p = probe_for_cloud(ctx->probes, PROBE_ACS, ctx->cloud,
	    ctx->domain);
	struct finding *fd;
	const struct metadata *m;
	struct buf good, bad;
	char *why = NULL;
	size_t ok = 0, signing = 0;

	if (p == NULL || (m = acs_doc(ctx, p, &why)) == NULL) {
		findings_add(out, SEV_SKIP, p ? p->url : ctx->domain,
		    "no ACS metadata to judge (see acs.metadata)");
		free(why);
		return;
	}
	buf_init(&good, 64 * 1024);
	buf_init(&bad, 64 * 1024);
	for (size_t i = 0; i < m->nkeys; i++) {
		const struct metadata_key *k = &m->keys[i];
		char subject[96], nb[32], na[32];
		const char *problem = NULL;
		enum severity sev = SEV_WARN;

		if (k->usage != NULL && strcasecmp(k->usage, "signing") != 0)
			continue;
		signing++;
		snprintf(subject, sizeof(subject), "ACS key %zu (x5t %s)", i + 1,
		    k->x5t ? k->x5t : "none");
		if (k->der == NULL || k->error != NULL) {
			fd = findings_add(out, SEV_WARN, subject, "key %zu is not a "
			    "certificate: %s", i + 1, k->error ? k->error : "?");
			buf_printf(&bad, "%s%zu (not a certificate)", bad.len ?
			    "; " : "", i + 1);
			continue;
		}
		datetime_iso8601(k->not_before, nb, sizeof(nb));
		datetime_iso8601(k->not_after, na, sizeof(na));
		fd = NULL;
		if (ctx->now > k->not_after)
			problem = "expired";
		else if (ctx->now < k->not_before) {
			/* The next key of a rollover, published ahead: normal. */
			problem = "not valid yet";
			sev = SEV_INFO;
		} else if (k->x5t_match == 0)
			problem = "x5t does not match the certificate";
		if (problem != NULL) {
			fd = findings_add(out, sev, subject, ctx->now > k->not_after ?
			    "key %zu expired on %s" : ctx->now < k->not_before ?
			    "key %zu is valid only from %s (a next key, published "
			    "ahead)" : "key %zu: x5t %s does not match the "
			    "certificate's SHA-1", i + 1, ctx->now > k->not_after ?
			    na : ctx->now < k->not_before ? nb : k->x5t);
			buf_printf(&bad, "%s%zu (%s)", bad.len ? "; " : "", i + 1,
			    problem);
		} else if (k->x5t_match == -1)
			fd = findings_add(out, SEV_INFO, subject, "key %zu has no "
			    "x5t: a token names it by its SHA-1 thumbprint only",
			    i + 1);
		if (fd != NULL) {
			finding_evidence(fd, "subject", "%s", k->subject ? k->subject : "");
			finding_evidence(fd, "sha1", "%s", k->sha1);
			finding_evidence(fd, "x5t computed", "%s", k->x5t_computed);
			finding_evidence(fd, "valid", "%s to %s", nb, na);
			finding_evidence(fd, "whose", "Microsoft's document, served to "
			    "every tenant of the cloud: nothing to change on-premises");
		}
		if (problem != NULL)
			continue;
		ok++;
		buf_printf(&good, "%s%s (until %s)", good.len ? "; " : "",
		    k->x5t_computed, na);
	}
	if (ok == 0) {
		fd = findings_add(out, SEV_FAIL, p->url, signing == 0 ?
		    "the document lists no signing keys: no ACS token can be "
		    "verified" : "none of the %zu signing keys is usable: no ACS "
		    "token can be verified", signing);
		if (bad.len)
			finding_evidence(fd, "unusable", "%s", bad.data);
		finding_evidence(fd, "keys", "%zu", m->nkeys);
	} else {
		fd = findings_add(out, SEV_PASS, p->url, "%zu usable signing key%s "
		    "(in date, x5t matching)%s", ok, ok == 1 ? "" : "s", ok < signing ?
		    "; the others are noted above" : "");
		finding_evidence(fd, "keys", "%s", good.data);
		if (bad.len)
			finding_evidence(fd, "not usable", "%s", bad.data);
	}
	buf_release(&good);
	buf_release(&bad);
}
