/* onprem.metadata: the on-premises auth metadata and its signing certificate. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "cert.h"
#include "check_fns.h"
#include "net.h"
#include "metadata.h"
#include "datetime.h"

/* Where the expected Auth certificate came from, for the evidence. */
static const char *
want_from(const struct context *ctx)
{
	if (ctx->cert != NULL)
		return ctx->cert->source ? ctx->cert->source : "--cert";
	if (ctx->thumbprint_given != NULL)
		return "--thumbprint";
	return "the snapshot's AuthConfig";
}

/*
 * What Exchange really signs with is what Entra must hold: the published
 * certificate (public part, from the organisation's own server over
 * verified HTTPS) becomes the value authcert.upload registers.
 */
static void
published_cert_evidence(struct finding *fd, const struct metadata *m)
{
	for (size_t i = 0; i < m->nkeys; i++) {
		const struct metadata_key *k = &m->keys[i];
		unsigned char *b64;

		if (k->der == NULL || k->der_len > 64 * 1024)
			continue;
		b64 = xmalloc(4 * ((k->der_len + 2) / 3) + 1);
		EVP_EncodeBlock(b64, k->der, (int)k->der_len);
		finding_evidence_param(fd, RP_THUMBPRINT, "thumbprint", "%s", k->sha1);
		finding_evidence_param(fd, RP_CERTIFICATE, "certificate", "%s", (char *)b64);
		free(b64);
		return;
	}
}

static void
judge_metadata(const struct context *ctx, struct findings *out,
    const struct probe *p)
{
	const struct http_response *r = &p->resp;
	const struct probe_facts *pf = facts_of(&ctx->facts, p);
	const struct metadata *m;
	struct finding *fd;
	struct buf tps;
	char *cut = NULL;
	int matched = 0, next = 0;
	/* The Auth certificate given: --cert (or the snapshot's), else --thumbprint. */
	const char *want = ctx->cert != NULL ? ctx->cert->thumbprint : ctx->thumbprint;

	if (net_not_published(p)) {
		net_not_published_finding(out, ctx->probes, p, "the auth metadata");
		return;
	}
	if (r->outcome != HTTP_RESPONSE) {
		char *why = net_failure_text(r);

		/* The endpoint checks judge reachability; here it only blinds us. */
		fd = findings_add(out, net_failure_severity(r) == SEV_FAIL ?
		    SEV_WARN : SEV_ERROR, p->host, "no auth metadata from '%s': %s",
		    p->host, why);
		net_evidence(fd, ctx->probes, r);
		free(why);
		return;
	}
	if (r->status == 200 && (cut = net_body_cut(r)) != NULL) {
		fd = findings_add(out, SEV_WARN, p->host, "'%s' answers %s with "
		    "%s, read no further: not auth metadata, something else "
		    "answers for '%s'", p->host, p->url, cut, p->host);
		finding_remedy(fd, "endpoint.publish");
		net_evidence(fd, ctx->probes, r);
		free(cut);
		return;
	}
	if (r->status != 200 || pf == NULL || pf->doc != FACT_DOC_OK) {
		fd = findings_add(out, SEV_WARN, p->host, "'%s' serves no auth "
		    "metadata at %s (HTTP %ld%s%s)", p->host, p->url, r->status,
		    r->status == 200 ? ": " : "", r->status == 200 && pf &&
		    pf->doc_error ? pf->doc_error : "");
		finding_remedy(fd, r->status == 401 || r->status == 403 ||
		    (r->status >= 300 && r->status < 400) ? "endpoint.publish" : NULL);
		net_evidence(fd, ctx->probes, r);
		return;
	}
	m = &pf->metadata;
	buf_init(&tps, 8192);
	for (size_t i = 0; i < m->nkeys; i++) {
		const struct metadata_key *k = &m->keys[i];

		if (k->der == NULL)
			continue;
		buf_printf(&tps, "%s%s", tps.len ? ", " : "", k->sha1);
		if (want != NULL && strcasecmp(want, k->sha1) == 0)
			matched = 1;
		if (ctx->next_cert != NULL &&
		    strcasecmp(ctx->next_cert->thumbprint, k->sha1) == 0)
			next = 1;
	}
	if (tps.len == 0) {
		fd = findings_add(out, SEV_FAIL, p->host, "the auth metadata of '%s' "
		    "has no usable signing certificate", p->host);
		finding_remedy(fd, "authcert.renew");
	} else if (want != NULL && !matched) {
		fd = findings_add(out, SEV_FAIL, p->host, "'%s' signs with %s, not "
		    "the Auth certificate %s%s", p->host, tps.data, want, next ?
		    " (it already uses the next one)" : "");
		finding_evidence(fd, "expected thumbprint", "%s", want);
		finding_evidence(fd, "expected from", "%s", want_from(ctx));
		if (!next)
			published_cert_evidence(fd, m);
		finding_remedy(fd, next ? "authcert.upload-next" : "authcert.upload");
	} else {
		const struct metadata_key *k = &m->keys[0];

		if (k->der != NULL && ctx->now > k->not_after) {
			char na[32];

			datetime_iso8601(k->not_after, na, sizeof(na));
			fd = findings_add(out, SEV_FAIL, p->host, "the Auth certificate "
			    "'%s' publishes expired on %s", p->host, na);
			finding_remedy(fd, "authcert.renew");
		} else
			fd = findings_add(out, SEV_PASS, p->host, "signing certificate "
			    "%s%s", tps.data, want ? " (the Auth certificate given)" :
			    "");
	}
	finding_evidence(fd, "signing thumbprint", "%s", tps.data);
	if (m->nkeys > 0 && m->keys[0].subject)
		finding_evidence(fd, "signing subject", "%s", m->keys[0].subject);
	if (m->nkeys > 0 && m->keys[0].der) {
		char na[32];

		datetime_iso8601(m->keys[0].not_after, na, sizeof(na));
		finding_evidence(fd, "signing not after", "%s", na);
	}
	if (m->issuer)
		finding_evidence(fd, "issuer", "%s", m->issuer);
	if (m->realm)
		finding_evidence(fd, "realm", "%s", m->realm);
	finding_evidence(fd, "url", "%s", p->url);
	buf_release(&tps);
}

void
check_onprem_metadata(const struct context *ctx, struct findings *out)
{
	for (size_t i = 0; i < ctx->probes->n; i++)
		if (ctx->probes->v[i]->kind == PROBE_ONPREM_METADATA)
			judge_metadata(ctx, out, ctx->probes->v[i]);
}
