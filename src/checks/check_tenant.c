/* tenant.discovery: who the tenant is and which cloud it lives in. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "check_fns.h"
#include "net.h"
#include "fedinfo.h"
#include "openid.h"
#include "snapshot.h"
#include "str.h"
#include <stdio.h>

/*
 * A scope value, and whether the cloud it was judged for lists it: an
 * unlisted value narrowed nothing and is reported, never a veto.
 */
static void
scope_evidence(struct finding *fd, const struct context *ctx, const char *key,
    const char *field, const char *value)
{
	const struct cloud *c = ctx->probes->tenant_cloud ?
	    ctx->probes->tenant_cloud : ctx->cloud;

	if (value == NULL)
		return;
	if (c != NULL && cloud_field(c, field) != NULL &&
	    !cloud_has_value(c, field, value))
		finding_evidence(fd, key, "%s (not listed in the %s profile: it "
		    "decided nothing)", value, c->name);
	else
		finding_evidence(fd, key, "%s", value);
}

static void
openid_evidence(struct finding *fd, const struct context *ctx,
    const struct probe *p)
{
	const struct probe_facts *pf = facts_of(&ctx->facts, p);
	const struct openid *o;

	/* The tenant id may come from ACS metadata alone (no 200 from OpenID). */
	if (p == NULL)
		return;
	finding_evidence(fd, "openid url", "%s", p->url);
	if (pf == NULL || (o = pf->openid) == NULL)
		return;
	finding_evidence_param(fd, RP_TENANT_ID, "tenant id", "%s (from %s)", o->tenant_id, o->tenant_from);
	if (o->cloud_instance_name)
		finding_evidence(fd, "cloud_instance_name", "%s", o->cloud_instance_name);
	scope_evidence(fd, ctx, "tenant_region_scope", "tenant_region_scopes",
	    o->tenant_region_scope);
	scope_evidence(fd, ctx, "tenant_region_sub_scope",
	    "tenant_region_sub_scopes", o->tenant_region_sub_scope);
	if (o->msgraph_host)
		finding_evidence(fd, "msgraph_host", "%s", o->msgraph_host);
	if (o->token_endpoint)
		finding_evidence(fd, "token_endpoint", "%s", o->token_endpoint);
}

/* What one cloud's login host said about the domain, in a few words. */
static char *
openid_answer(const struct context *ctx, const struct probe *p)
{
	const struct probe_facts *pf = facts_of(&ctx->facts, p);
	char *s;

	if (p->resp.outcome != HTTP_RESPONSE)
		return net_failure_text(&p->resp);
	if ((s = net_body_cut(&p->resp)) != NULL) {
		char *t = xasprintf("HTTP %ld with %s from '%s', read no further",
		    p->resp.status, s, p->host);

		free(s);
		return t;
	}
	if (p->resp.status == 200)
		return xstrdup("tenant found");
	if (pf != NULL && pf->has_openid_error) {
		const struct openid_error *oe = &pf->openid_error;

		return xasprintf("HTTP %ld: %s%s%s", p->resp.status, oe->error,
		    oe->description ? ": " : "", oe->description ? oe->description : "");
	}
	return xasprintf("HTTP %ld", p->resp.status);
}

static int
is_candidate(const struct probe_results *r, const struct cloud *c)
{
	for (size_t i = 0; i < r->ncandidates; i++)
		if (r->candidates[i] == c)
			return 1;
	return 0;
}

void
check_tenant_discovery(const struct context *ctx, struct findings *out)
{
	const struct probe_results *r = ctx->probes;
	const char *domain = ctx->domain;
	const struct probe *found = NULL;
	struct finding *fd;
	struct buf names;
	size_t asked = 0, answered = 0;

	for (size_t i = 0; i < r->n; i++)
		if (r->v[i]->kind == PROBE_OPENID) {
			asked++;
			if (r->v[i]->resp.outcome == HTTP_RESPONSE)
				answered++;
			if (found == NULL && r->v[i]->resp.status == 200 &&
			    r->tenant_id != NULL)
				found = r->v[i];
		}
	buf_init(&names, 1024);
	for (size_t i = 0; i < r->ncandidates; i++)
		buf_printf(&names, "%s%s", i ? " or " : "", r->candidates[i]->name);

	if (r->tenant_id != NULL && ctx->cloud_given && ctx->cloud != NULL &&
	    !is_candidate(r, ctx->cloud)) {
		fd = findings_add(out, SEV_FAIL, domain, "the tenant of '%s' lives in "
		    "the %s cloud, not in %s", domain, names.data, ctx->cloud->name);
		finding_evidence_param(fd, RP_EXPECTED_CLOUD, "expected cloud", "%s", names.data);
		finding_evidence(fd, "chosen cloud", "%s", ctx->cloud->name);
		openid_evidence(fd, ctx, found);
		finding_remedy(fd, "cloud.select");
	} else if (r->tenant_id != NULL && r->ncandidates > 1 && !ctx->cloud_given) {
		fd = findings_add(out, SEV_WARN, domain, "tenant %s fits the %s cloud; "
		    "name the one it is with --cloud", r->tenant_id, names.data);
		openid_evidence(fd, ctx, found);
		finding_remedy(fd, "cloud.select");
	} else if (r->tenant_id != NULL) {
		fd = findings_add(out, SEV_PASS, domain, "tenant %s in the %s cloud",
		    r->tenant_id, names.data);
		finding_evidence(fd, "cloud", "%s%s", names.data,
		    ctx->cloud_given ? "" : " (discovered)");
		openid_evidence(fd, ctx, found);
	} else {
		/* Nobody knows the domain: a fault when every cloud said so. */
		int all = asked > 0 && answered == asked;

		fd = findings_add(out, all ? SEV_FAIL : SEV_ERROR, domain, all ?
		    "no cloud knows '%s' as a tenant domain" :
		    "could not learn which tenant '%s' belongs to", domain);
		finding_remedy(fd, all ? "cloud.select" : NULL);
	}
	/* What each cloud's login host answered. */
	for (size_t i = 0; i < r->n; i++) {
		const struct probe *p = r->v[i];
		char key[96], *ans;

		if (p->kind != PROBE_OPENID)
			continue;
		ans = openid_answer(ctx, p);
		snprintf(key, sizeof(key), "asked %s", p->host);
		finding_evidence(fd, key, "%s", ans);
		free(ans);
	}
	/* A snapshot from another tenant than the domain's: say so, both ids. */
	if (r->tenant_id != NULL && ctx->snapshot != NULL &&
	    ctx->snapshot->tenant_id != NULL &&
	    strcasecmp(ctx->snapshot->tenant_id, r->tenant_id) != 0) {
		struct finding *x = findings_add(out, SEV_FAIL, domain, "the "
		    "snapshot was collected in tenant %s, but '%s' belongs to "
		    "tenant %s", ctx->snapshot->tenant_id, domain, r->tenant_id);

		finding_evidence(x, "snapshot tenant id", "%s",
		    ctx->snapshot->tenant_id);
		finding_evidence(x, "live tenant id", "%s", r->tenant_id);
		finding_evidence(x, "snapshot", "%s", ctx->snapshot->origin);
		if (ctx->domain_from != NULL)
			finding_evidence(x, "domain from", "%s", ctx->domain_from);
	}
	buf_release(&names);
}
