/* hybrid.model: which hybrid model the organisation uses. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "msid.h"
#include "cfg.h"
#include "check_fns.h"
#include "str.h"

/* Judges one AzureAD AuthServer; returns findings added. */
static int
judge_evosts(const struct context *ctx, const struct snap_authserver *a,
    struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const char *name = a->name ? a->name : "(unnamed)", *tenant, *tsrc = NULL;
	struct finding *fd;
	int n = 0;

	tenant = cfg_tenant_id(ctx, &tsrc);
	if (a->enabled == TRI_FALSE) {
		fd = findings_add(out, SEV_FAIL, name, "AzureAD AuthServer '%s' is "
		    "disabled", name);
		finding_remedy(fd, "hybridapp.configure");
		n++;
	}
	if (!cfg_is_guid(a->app_id)) {
		fd = findings_add(out, SEV_FAIL, name, "AzureAD AuthServer '%s' has "
		    "no application id (ApplicationIdentifier '%s')", name,
		    a->app_id ? a->app_id : "");
		finding_remedy(fd, "hybridapp.configure");
		n++;
	} else if (s->entra.present) {
		int found = 0;

		for (size_t i = 0; i < s->entra.napps && !found; i++)
			found = str_caseeq(s->entra.apps[i].app_id, a->app_id);
		if (!found) {
			fd = findings_add(out, SEV_FAIL, name, "AzureAD AuthServer '%s' "
			    "names application %s, which Entra ID does not have",
			    name, a->app_id);
			finding_evidence(fd, "application id", "%s", a->app_id);
			finding_remedy(fd, "hybridapp.configure");
			n++;
		}
	}
	if (!cfg_is_guid(a->realm)) {
		fd = findings_add(out, SEV_FAIL, name, "AzureAD AuthServer '%s' has "
		    "realm '%s', not a tenant id", name, a->realm ? a->realm : "");
		finding_remedy(fd, "hybridapp.configure");
		n++;
	} else if (tenant != NULL && strcmp(tenant, a->realm) != 0) {
		fd = findings_add(out, SEV_FAIL, name, "AzureAD AuthServer '%s' has "
		    "realm %s, but the tenant id is %s", name, a->realm, tenant);
		finding_evidence(fd, "tenant id from", "%s", tsrc);
		finding_remedy(fd, "hybridapp.configure");
		n++;
	}
	if (ctx->cloud != NULL && a->metadata_url != NULL) {
		char host[256], want[256];

		if (cfg_url_host(a->metadata_url, host, sizeof(host)) == 0 &&
		    cfg_url_host(cloud_value(ctx->cloud, "evosts_metadata_url"),
		    want, sizeof(want)) == 0 && strcmp(host, want) != 0 &&
		    !cloud_has_value(ctx->cloud, "login_hosts", host)) {
			fd = findings_add(out, SEV_FAIL, name, "AzureAD AuthServer '%s' "
			    "points at %s, not the %s cloud's login host", name, host,
			    ctx->cloud->name);
			finding_evidence(fd, "url", "%s", a->metadata_url);
			finding_evidence(fd, "expected host", "%s", want);
			finding_remedy(fd, "hybridapp.configure");
			n++;
		}
	}
	return n;
}

void
check_hybrid_model(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const struct snap_authserver *as[8];
	size_t nas;
	struct finding *fd;
	char cut[32];

	if (cfg_skip_unless(ctx, out, s->onprem.present, "onPremises",
	    "on-premises configuration"))
		return;
	cfg_date(cfg_cutoff() - 1, cut, sizeof(cut));
	nas = org_azure_authservers(s, as, 8);
	if (nas > 0) {
		for (size_t i = 0; i < nas; i++)
			if (judge_evosts(ctx, as[i], out) == 0) {
				fd = findings_add(out, SEV_PASS, as[i]->name ? as[i]->name : "",
				    "dedicated hybrid application %s is trusted on-premises",
				    as[i]->app_id);
				finding_evidence(fd, "model", "dedicated");
				finding_evidence(fd, "application id", "%s", as[i]->app_id);
				finding_evidence(fd, "realm", "%s", as[i]->realm);
			}
		return;
	}
	{
		const char *thumb = s->onprem.authconfig.current_thumbprint;
		const struct snap_cert *c = cfg_find_cert(s, thumb);
		int legacy = s->entra.sp_present && cfg_find_key(s->entra.sp.keys,
		    s->entra.sp.nkeys, thumb, c ? c->der : NULL, c ? c->der_len : 0);
		const char *model = legacy ? "legacy (Auth certificate on the shared "
		    "Exchange Online service principal)" : "no dedicated hybrid "
		    "application";

		if (ctx->now >= cfg_cutoff())
			fd = findings_add(out, SEV_FAIL, "", "%s: after %s Exchange Online "
			    "refuses EWS calls through the shared service principal, so "
			    "free/busy, MailTips and photos stop", model, cut);
		else
			fd = findings_add(out, SEV_WARN, "", "%s: the shared service "
			    "principal stops serving these calls after %s; move to the "
			    "dedicated hybrid application before then", model, cut);
		finding_evidence(fd, "model", "%s", legacy ? "legacy" : "none");
		finding_evidence(fd, "cutoff", "%s", cut);
		finding_remedy(fd, "hybridapp.configure");
	}
}
