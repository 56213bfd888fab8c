/*
 * endpoint.cloud-discovery, endpoint.onprem-autodiscover and endpoint.ews: can each
 * side's endpoint be reached from outside?
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "check_fns.h"
#include "net.h"
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
	char *cut;

	if (net_not_published(p)) {
		net_not_published_finding(out, ctx->probes, p, what);
		return;
	}
	cut = net_body_cut(r);
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
