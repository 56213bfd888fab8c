/*
 * hybrid-config.service-instance: HybridConfiguration's ServiceInstance
 * names the tenant's cloud (0 worldwide, 1 21Vianet; endpoints/).
 * hybrid-config.exo-ioc: Exchange Online's IntraOrganizationConfiguration
 * agrees with its IntraOrganizationConnector.
 */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "model.h"
#include "check_fns.h"
#include "str.h"

void
check_hybrid_config_service_instance(const struct context *ctx,
    struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const struct cloud_field *f = cloud_field(ctx->cloud, "hybrid_service_instance");
	const char *want = cloud_value(ctx->cloud, "hybrid_service_instance");
	const char *got = s->onprem.service_instance;
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, s->onprem.hybrid_present,
	    "onPremises.hybridConfiguration", "HybridConfiguration"))
		return;
	if (want == NULL) {
		fd = findings_add(out, SEV_SKIP, "", "Microsoft names no "
		    "ServiceInstance for the %s cloud: not judged", ctx->cloud->name);
		finding_evidence(fd, "service instance", "%s", got ? got : "(not reported)");
		return;
	}
	if (got == NULL || got[0] == '\0') {
		fd = findings_add(out, SEV_INFO, "", "HybridConfiguration reports no "
		    "ServiceInstance (older builds do not have it); the %s cloud "
		    "expects %s", ctx->cloud->name, want);
		finding_evidence(fd, "expected service instance", "%s", want);
		return;
	}
	if (strcmp(got, want) != 0) {
		fd = findings_add(out, SEV_FAIL, "", "HybridConfiguration's "
		    "ServiceInstance is %s, but the tenant is in the %s cloud, whose "
		    "value is %s: the Hybrid Configuration Wizard and the hybrid "
		    "features address the wrong Microsoft 365 instance", got,
		    ctx->cloud->name, want);
		finding_evidence(fd, "service instance", "%s", got);
		finding_evidence(fd, "expected service instance", "%s (%s; %s)", want,
		    f && f->source ? f->source : "", f && f->certainty ? f->certainty : "");
		finding_evidence(fd, "fix", "run the Hybrid Configuration Wizard "
		    "for the right cloud, or Set-HybridConfiguration -ServiceInstance %s",
		    want);
		return;
	}
	fd = findings_add(out, SEV_PASS, "", "HybridConfiguration's ServiceInstance "
	    "%s is the %s cloud's", got, ctx->cloud->name);
	finding_evidence(fd, "service instance", "%s", got);
}

/* Whether every name of a is in b (case ignored). */
static int
covered(const struct strlist *a, const struct strlist *b, struct strlist *missing)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strlist_contains_ci(b, a->v[i]))
			strlist_add(missing, a->v[i]);
	return missing->n == 0;
}

void
check_hybrid_config_exo_ioc(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const struct snap_ioc *ioc = NULL;
	size_t nenabled = 0;
	struct strlist missing = { 0 };
	struct finding *fd;
	char guid[64];
	int problems = 0;

	if (cfg_skip_unless(ctx, out, s->exo.present, "exchangeOnline",
	    "Exchange Online configuration"))
		return;
	if (s->exo.ioc_onprem_endpoint == NULL && s->exo.ioc_onprem_targets.n == 0) {
		fd = findings_add(out, SEV_SKIP, "", "the snapshot has no Exchange "
		    "Online IntraOrganizationConfiguration");
		finding_evidence(fd, "missing", "exchangeOnline.intraOrganizationConfiguration");
		return;
	}
	for (size_t i = 0; i < s->exo.niocs; i++)
		if (s->exo.iocs[i].enabled != TRI_FALSE) {
			if (nenabled++ == 0)
				ioc = &s->exo.iocs[i];
		}
	if (ioc == NULL) {
		fd = findings_add(out, SEV_INFO, "", "Exchange Online has no enabled "
		    "IntraOrganizationConnector to compare its "
		    "IntraOrganizationConfiguration with (see ioc.cloud)");
		return;
	}
	/*
	 * Exchange Online derives the configuration from its connector (an
	 * inference from how the two read, said in the findings).
	 */
	if (nenabled == 1 && s->exo.ioc_onprem_endpoint != NULL &&
	    ioc->discovery_endpoint != NULL &&
	    !cfg_url_eq(s->exo.ioc_onprem_endpoint, ioc->discovery_endpoint) &&
	    model_agent_url(ioc->discovery_endpoint, guid, sizeof(guid))) {
		/*
		 * The Hybrid Agent stands in for the connector's direction only;
		 * nothing says the configuration follows it there.
		 */
		fd = findings_add(out, SEV_INFO, ioc->name ? ioc->name : "",
		    "Exchange Online's connector goes through the Hybrid Agent "
		    "(%s); its IntraOrganizationConfiguration names %s, which is "
		    "not compared with an agent's address", guid,
		    s->exo.ioc_onprem_endpoint);
		finding_evidence(fd, "onpremise discovery endpoint", "%s",
		    s->exo.ioc_onprem_endpoint);
		finding_evidence(fd, "connector discovery endpoint", "%s",
		    ioc->discovery_endpoint);
		problems++;	/* no "agrees" beside it */
	} else if (nenabled == 1 && s->exo.ioc_onprem_endpoint != NULL &&
	    ioc->discovery_endpoint != NULL &&
	    !cfg_url_eq(s->exo.ioc_onprem_endpoint, ioc->discovery_endpoint)) {
		fd = findings_add(out, SEV_WARN, ioc->name ? ioc->name : "",
		    "Exchange Online's IntraOrganizationConfiguration names %s as "
		    "the on-premises discovery endpoint, its connector %s (that the "
		    "configuration follows the connector is an inference)",
		    s->exo.ioc_onprem_endpoint, ioc->discovery_endpoint);
		finding_evidence(fd, "onpremise discovery endpoint", "%s",
		    s->exo.ioc_onprem_endpoint);
		finding_evidence(fd, "connector discovery endpoint", "%s",
		    ioc->discovery_endpoint);
		problems++;
	}
	if (s->exo.ioc_onprem_targets.n > 0 &&
	    !covered(&ioc->target_domains, &s->exo.ioc_onprem_targets, &missing)) {
		char *m = cfg_join(&missing), *t = cfg_join(&s->exo.ioc_onprem_targets);

		fd = findings_add(out, SEV_WARN, ioc->name ? ioc->name : "",
		    "Exchange Online's IntraOrganizationConfiguration lacks the "
		    "connector's target domain%s %s (that the configuration follows "
		    "the connector is an inference)", missing.n > 1 ? "s" : "", m);
		finding_evidence(fd, "onpremise target addresses", "%s", t);
		finding_evidence(fd, "missing domains", "%s", m);
		free(m);
		free(t);
		problems++;
	}
	strlist_release(&missing);
	if (problems == 0) {
		fd = findings_add(out, SEV_PASS, ioc->name ? ioc->name : "",
		    "Exchange Online's IntraOrganizationConfiguration agrees with "
		    "its connector");
		if (s->exo.ioc_onprem_endpoint != NULL)
			finding_evidence(fd, "onpremise discovery endpoint", "%s",
			    s->exo.ioc_onprem_endpoint);
	}
}
