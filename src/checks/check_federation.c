/* federation.domains: what GetFederationInformation says of the tenant's domains. */
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
