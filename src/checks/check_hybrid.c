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

/* The class of the organisation and of each server, and why, as evidence. */
static void
class_evidence(struct finding *fd, const struct model *m)
{
	finding_evidence(fd, "class", "%s%s", m->mixed ? "mixed, weakest " : "",
	    model_class_name(m->cls));
	finding_evidence(fd, "class why", "%s", m->why);
	for (size_t i = 0; m->mixed && i < m->nservers; i++) {
		const struct snap_server *sv = m->servers[i].server;

		finding_evidence(fd, "class of server", "%s: %s (%s)",
		    sv->name ? sv->name : "(unnamed)",
		    model_class_name(m->servers[i].cls), m->servers[i].why);
	}
	if (m->hybrid_agent) {
		char *urls = cfg_join(&m->agent_urls);

		finding_evidence(fd, "hybrid agent", "yes, %s", m->agent_guid);
		finding_evidence(fd, "hybrid agent seen at", "%s", urls);
		free(urls);
	}
}

/* A DAuth-only organisation in a cloud where DAuth serves free/busy. */
static void
judge_dauth(const struct context *ctx, const struct model *m,
    struct findings *out)
{
	struct model_milestone t2;
	struct finding *fd;

	model_milestone(ctx, MODEL_T2, &t2);
	if (t2.known && ctx->now >= t2.at) {
		fd = findings_add(out, SEV_FAIL, "", "DAuth-only hybrid: since T2 "
		    "(%s) EWS in Exchange Online is off and on-premises -> cloud "
		    "free/busy, MailTips and photos have no path; move to OAuth "
		    "(IntraOrganizationConnectors), the dedicated hybrid "
		    "application, Exchange SE and the Graph route (that DAuth has "
		    "no path after T2 is an inference: Microsoft documents none)",
		    t2.day);
		finding_remedy(fd, "hybrid.move-to-oauth");
	} else
		fd = findings_add(out, SEV_PASS, "", "DAuth-only hybrid (federation "
		    "trust, no enabled IntraOrganizationConnector): a valid "
		    "configuration until T2 (%s); the dedicated hybrid application "
		    "is not used here and must not be forced on it%s", t2.day,
		    cfg_dauth_assumed(ctx) ? " (that DAuth serves free/busy in "
		    "this cloud is an assumption: Microsoft says nothing for it)" : "");
	finding_evidence(fd, "model", "dauth");
	cfg_dauth_evidence(ctx, fd);
	finding_evidence(fd, "T2", "%s (%s; %s)", t2.day, t2.certainty, t2.source);
	class_evidence(fd, m);
}

void
check_hybrid_model(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const struct snap_authserver *as[8];
	struct model_milestone t0;
	struct model m;
	size_t nas;
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, s->onprem.present, "onPremises",
	    "on-premises configuration") ||
	    cfg_skip_part(ctx, out, 1, "onPremises.authServers", "AuthServers") ||
	    cfg_skip_part(ctx, out, 1, "onPremises.intraOrganizationConnectors",
	    "on-premises IntraOrganizationConnectors") ||
	    cfg_skip_part(ctx, out, 1, "onPremises.settingOverrides",
	    "setting overrides") ||
	    cfg_skip_part(ctx, out, 1, "onPremises.organizationRelationships",
	    "on-premises OrganizationRelationships") ||
	    cfg_skip_part(ctx, out, 1, "onPremises.hybridConfiguration",
	    "HybridConfiguration"))
		return;
	model_classify(ctx, &m);
	model_milestone(ctx, MODEL_T0, &t0);
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
				class_evidence(fd, &m);
			}
		model_release(&m);
		return;
	}
	if (m.rich == 0) {
		char *feat = cfg_join(&s->onprem.hybrid_features);

		fd = findings_add(out, SEV_INFO, "", "HybridConfiguration Features "
		    "name no rich coexistence feature (FreeBusy, MailTips, Photos): "
		    "the dedicated hybrid application is not required");
		finding_evidence(fd, "model", "none");
		finding_evidence(fd, "features", "%s", *feat ? feat : "(none)");
		class_evidence(fd, &m);
		free(feat);
		model_release(&m);
		return;
	}
	if (m.cls == MODEL_DAUTH && !m.mixed && cfg_dauth_serves(ctx)) {
		judge_dauth(ctx, &m, out);
		model_release(&m);
		return;
	}
	{
		const char *thumb = s->onprem.authconfig.current_thumbprint;
		const struct snap_cert *c = cfg_find_cert(s, thumb);
		int legacy = s->entra.sp_present && cfg_find_key(s->entra.sp.keys,
		    s->entra.sp.nkeys, thumb, c ? c->der : NULL, c ? c->der_len : 0);
		const char *model = m.cls == MODEL_DAUTH ? "DAuth-only (21Vianet "
		    "has no DAuth free/busy)" : legacy ? "legacy (Auth certificate "
		    "on the shared Exchange Online service principal)" :
		    "no dedicated hybrid application";

		if (t0.known && ctx->now >= t0.at)
			fd = findings_add(out, SEV_FAIL, "", "%s: since T0 (%s) Exchange "
			    "Online refuses EWS calls through the shared service "
			    "principal, so free/busy, MailTips and photos stop", model,
			    t0.day);
		else
			fd = findings_add(out, SEV_WARN, "", "%s: the shared service "
			    "principal stops serving these calls from T0 (%s); move to "
			    "the dedicated hybrid application before then", model,
			    t0.day);
		finding_evidence(fd, "model", "%s", m.cls == MODEL_DAUTH ? "dauth" :
		    legacy ? "legacy" : "none");
		finding_evidence(fd, "cutoff", "%s", t0.day);
		finding_evidence(fd, "T0", "%s (%s; %s)", t0.day, t0.certainty,
		    t0.source);
		class_evidence(fd, &m);
		finding_remedy(fd, "hybridapp.configure");
	}
	model_release(&m);
}
