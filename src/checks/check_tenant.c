/* tenant.discovery and federation.domains: who the tenant is, which domains it owns. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_fns.h"
#include "check_net.h"
#include "fedinfo.h"
#include "openid.h"
#include "snapshot.h"
#include "str.h"
#include <stdio.h>

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
	if (o->tenant_region_scope)
		finding_evidence(fd, "tenant_region_scope", "%s", o->tenant_region_scope);
	if (o->tenant_region_sub_scope)
		finding_evidence(fd, "tenant_region_sub_scope", "%s",
		    o->tenant_region_sub_scope);
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

/* The tenant's routing domain: the one ending in the cloud's routing suffix. */
static const char *
routing_domain(const struct cloud *c, const struct strlist *domains,
    const char **suffix)
{
	const struct cloud_field *f = cloud_field(c, "routing_domain_suffixes");

	for (size_t i = 0; f != NULL && i < f->values.n; i++)
		for (size_t k = 0; k < domains->n; k++) {
			char *dot = xasprintf(".%s", f->values.v[i]);
			int hit = str_has_suffix_ci(domains->v[k], dot);

			free(dot);
			if (hit) {
				*suffix = f->values.v[i];
				return domains->v[k];
			}
		}
	return NULL;
}

void
check_federation_domains(const struct context *ctx, struct findings *out)
{
	const struct probe *p = probe_find(ctx->probes, PROBE_FEDINFO, ctx->cloud,
	    NULL);
	const char *domain = ctx->domain, *rd, *suffix = NULL;
	const struct probe_facts *pf = facts_of(&ctx->facts, p);
	const struct fedinfo *f;
	struct finding *fd;
	struct buf all;
	char *cut;

	if (p == NULL || p->planned_only) {
		findings_add(out, SEV_SKIP, domain, "GetFederationInformation was "
		    "not asked (the cloud was not known in time)");
		return;
	}
	if (p->resp.outcome != HTTP_RESPONSE) {
		fd = findings_add(out, SEV_ERROR, p->host, "GetFederationInformation "
		    "for '%s' got no answer", domain);
		net_evidence(fd, ctx->probes, &p->resp);
		return;
	}
	if ((cut = net_body_cut(&p->resp)) != NULL) {
		fd = findings_add(out, SEV_ERROR, p->host, "GetFederationInformation "
		    "answered HTTP %ld with %s, read no further: not Exchange "
		    "Online's answer, something else answers for '%s'",
		    p->resp.status, cut, p->host);
		net_evidence(fd, ctx->probes, &p->resp);
		free(cut);
		return;
	}
	if (pf == NULL || pf->doc != FACT_DOC_OK) {
		fd = findings_add(out, SEV_ERROR, p->host, "GetFederationInformation "
		    "answered HTTP %ld without a usable response: %s",
		    p->resp.status, pf && pf->doc_error ? pf->doc_error : "not parsed");
		net_evidence(fd, ctx->probes, &p->resp);
		return;
	}
	f = &pf->fedinfo;
	if (f->error_code == NULL || strcasecmp(f->error_code, "NoError") != 0) {
		fd = findings_add(out, f->error_code ? SEV_FAIL : SEV_ERROR, domain,
		    "Exchange Online (%s) does not federate '%s': %s", ctx->cloud->name,
		    domain, f->error_code ? f->error_code : f->fault);
		if (f->error_message && *f->error_message)
			finding_evidence(fd, "error message", "%s", f->error_message);
		net_evidence(fd, ctx->probes, &p->resp);
		finding_remedy(fd, f->error_code ? "cloud.select" : NULL);
		return;
	}
	buf_init(&all, 64 * 1024);
	for (size_t i = 0; i < f->domains.n; i++)
		buf_printf(&all, "%s%s", i ? ", " : "", f->domains.v[i]);
	rd = routing_domain(ctx->cloud, &f->domains, &suffix);
	if (rd == NULL) {
		const struct cloud_field *sf = cloud_field(ctx->cloud,
		    "routing_domain_suffixes");

		fd = findings_add(out, SEV_WARN, domain, "the tenant has no routing "
		    "domain ending in %s: TargetAddressDomains has nothing to name",
		    sf && sf->values.n ? sf->values.v[0] : "the cloud's suffix");
		finding_remedy(fd, "ioc.onprem");
	} else if (!strlist_contains_ci(&f->domains, domain)) {
		fd = findings_add(out, SEV_WARN, domain, "'%s' is not among the "
		    "tenant's domains", domain);
		finding_evidence_param(fd, RP_ROUTING_DOMAIN, "routing domain", "%s", rd);
	} else {
		fd = findings_add(out, SEV_PASS, domain, "routing domain %s", rd);
		finding_evidence_param(fd, RP_ROUTING_DOMAIN, "routing domain", "%s", rd);
		finding_evidence(fd, "suffix", "%s", suffix);
	}
	finding_evidence(fd, "domains", "%s", all.data ? all.data : "");
	if (f->application_uri)
		finding_evidence(fd, "application uri", "%s", f->application_uri);
	finding_evidence(fd, "endpoint", "%s", p->url);
	/* The snapshot's Exchange Online view of the same tenant must agree. */
	if (ctx->snapshot != NULL && ctx->snapshot->exo.ndomains > 0) {
		struct strlist exo = { 0 };
		const char *srd, *ssuffix = NULL;

		for (size_t i = 0; i < ctx->snapshot->exo.ndomains; i++)
			strlist_add(&exo, ctx->snapshot->exo.domains[i].name);
		srd = routing_domain(ctx->cloud, &exo, &ssuffix);
		if (srd != NULL && !strlist_contains_ci(&f->domains, srd)) {
			struct finding *x = findings_add(out, SEV_WARN, domain,
			    "the snapshot's routing domain %s is not among the "
			    "domains Exchange Online returns for '%s'%s%s%s", srd,
			    domain, rd ? " (its routing domain is " : "",
			    rd ? rd : "", rd ? ")" : "");

			finding_evidence(x, "snapshot routing domain", "%s", srd);
			finding_evidence(x, "live routing domain", "%s", rd ? rd : "");
			finding_evidence(x, "domains", "%s", all.data ? all.data : "");
		}
		strlist_release(&exo);
	}
	buf_release(&all);
}
