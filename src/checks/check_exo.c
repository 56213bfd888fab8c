/*
 * exo.ews-gate: Exchange Online's EWS gate (PROTOCOLS 12.8). From T1 the
 * organisation's EwsEnabled and EwsAllowedAppIDs decide which applications
 * may call EWS; from T2 EWS is off. On-premises -> cloud lookups over EWS
 * (the dedicated application on EWS, DAuth) depend on it; the Graph route
 * does not.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "msid.h"
#include "cfg.h"
#include "check_fns.h"
#include "str.h"

/* The dedicated application's id: the first enabled EvoSTS AuthServer's. */
static const char *
dedicated_app_id(const struct snapshot *s)
{
	for (size_t i = 0; i < s->onprem.nauthservers; i++) {
		const struct snap_authserver *a = &s->onprem.authservers[i];

		if (a->type == AUTHSERVER_AZUREAD && a->enabled != TRI_FALSE &&
		    cfg_is_guid(a->app_id) && !str_caseeq(a->app_id, MSID_EXO_APP))
			return a->app_id;
	}
	return NULL;
}

/* Servers of a class, as "EX01, EX02" (caller frees), and how many. */
static char *
servers_of(const struct model *m, int (*want)(enum model_class), size_t *n)
{
	struct strlist l = { 0 };
	char *out;

	for (size_t i = 0; i < m->nservers; i++)
		if (want(m->servers[i].cls))
			strlist_add(&l, m->servers[i].server->name ?
			    m->servers[i].server->name : "(unnamed)");
	if (m->nservers == 0 && want(m->cls))
		strlist_add(&l, "(the organisation)");
	*n = l.n;
	out = cfg_join(&l);
	strlist_release(&l);
	return out;
}

static int
uses_ews(enum model_class c)
{
	return c == MODEL_DAUTH || c == MODEL_LEGACY || c == MODEL_DEDICATED_EWS;
}

static int
dedicated_ews(enum model_class c)
{
	return c == MODEL_DEDICATED_EWS;
}

static const char *
ews_enabled_text(const struct snapshot *s)
{
	if (!s->exo.ews_enabled_set)
		return "not collected";
	return s->exo.ews_enabled == TRI_TRUE ? "True" :
	    s->exo.ews_enabled == TRI_FALSE ? "False" : "Null";
}

static void
gate_evidence(struct finding *fd, const struct snapshot *s,
    const struct model_milestone *t1, const struct model_milestone *t2)
{
	char *list = cfg_join(&s->exo.ews_allowed_app_ids);

	finding_evidence(fd, "EwsEnabled", "%s", ews_enabled_text(s));
	finding_evidence(fd, "EwsAllowedAppIDs", "%s", *list ? list : "(empty)");
	if (s->exo.ews_access_policy != NULL)
		finding_evidence(fd, "EwsApplicationAccessPolicy", "%s",
		    s->exo.ews_access_policy);
	finding_evidence(fd, "T1", "%s (%s; %s)", t1->day, t1->certainty,
	    t1->source);
	finding_evidence(fd, "T2", "%s (%s; %s)", t2->day, t2->certainty,
	    t2->source);
	free(list);
}

/* The dedicated application on EWS, between now and T2. */
static void
judge_dedicated(const struct context *ctx, const struct model *m,
    const struct model_milestone *t1, const struct model_milestone *t2,
    struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const char *app = dedicated_app_id(s);
	int gated = t1->known && ctx->now >= t1->at;
	size_t n;
	char *names = servers_of(m, dedicated_ews, &n);
	struct finding *fd;

	if (s->exo.ews_enabled_set && s->exo.ews_enabled == TRI_FALSE) {
		fd = findings_add(out, SEV_FAIL, "", "Exchange Online's EwsEnabled "
		    "is False: every EWS call is refused, the dedicated hybrid "
		    "application's too, so %s cannot look up cloud free/busy, "
		    "MailTips or photos", names);
		gate_evidence(fd, s, t1, t2);
	} else if (s->exo.ews_enabled_set && s->exo.ews_enabled == TRI_UNKNOWN) {
		fd = findings_add(out, gated ? SEV_WARN : SEV_INFO, "", "Exchange "
		    "Online's EwsEnabled is Null: %s T1 (%s) Microsoft turns Null "
		    "into False as the rollout reaches the tenant, which refuses the "
		    "dedicated hybrid application's EWS calls; set EwsEnabled to True "
		    "with the application in EwsAllowedAppIDs, deciding for the "
		    "organisation's other EWS applications too", gated ? "since" :
		    "from", t1->day);
		gate_evidence(fd, s, t1, t2);
	}
	if (app == NULL) {
		free(names);
		return;
	}
	if (strlist_contains_ci(&s->exo.ews_allowed_app_ids, app)) {
		fd = findings_add(out, SEV_PASS, "", "the dedicated hybrid "
		    "application %s is in Exchange Online's EwsAllowedAppIDs", app);
		finding_evidence(fd, "application id", "%s", app);
		gate_evidence(fd, s, t1, t2);
	} else if (!s->exo.ews_allowed_set && !s->exo.ews_enabled_set) {
		fd = findings_add(out, SEV_SKIP, "", "the snapshot's "
		    "organizationConfig has neither EwsEnabled nor EwsAllowedAppIDs "
		    "(Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy)");
		finding_evidence(fd, "missing", "exchangeOnline.organizationConfig.ewsAllowedAppIds");
	} else {
		/* The list binds once EwsEnabled is True; until then it is ahead. */
		int binding = gated && s->exo.ews_enabled == TRI_TRUE;

		fd = findings_add(out, binding ? SEV_FAIL : SEV_WARN, "", "the "
		    "dedicated hybrid application %s is not in Exchange Online's "
		    "EwsAllowedAppIDs: %s T1 (%s) the gate lets only listed "
		    "applications call EWS%s, so %s %s cloud free/busy, MailTips "
		    "and photos (that hybrid has no exemption is an inference: "
		    "Microsoft documents none)", app, gated ? "since" : "from",
		    t1->day, s->exo.ews_enabled == TRI_TRUE ? "" :
		    " once EwsEnabled is True", names, binding ? "lose" : "would lose");
		finding_evidence_param(fd, RP_APP_ID, "application id", "%s", app);
		gate_evidence(fd, s, t1, t2);
		finding_remedy(fd, "exo.ews-allow-app");
	}
	if (s->exo.ews_access_policy != NULL && s->exo.ews_allow_list.n + s->exo.ews_block_list.n > 0) {
		fd = findings_add(out, SEV_INFO, "", "EwsApplicationAccessPolicy %s "
		    "with user-agent lists: on-premises Exchange's calls must pass "
		    "it too; the snapshot cannot tell which user agent they carry",
		    s->exo.ews_access_policy);
		gate_evidence(fd, s, t1, t2);
	}
	free(names);
}

void
check_exo_ews_gate(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	struct model_milestone t1, t2;
	struct model m;
	struct finding *fd;
	size_t n;
	char *names;

	if (cfg_skip_unless(ctx, out, s->exo.present, "exchangeOnline",
	    "Exchange Online configuration") ||
	    cfg_skip_part(ctx, out, s->exo.orgconfig_present,
	    "exchangeOnline.organizationConfig",
	    "Exchange Online organisation configuration (EWS gate)") ||
	    cfg_skip_unless(ctx, out, s->onprem.present, "onPremises",
	    "on-premises configuration"))
		return;
	model_milestone(ctx, MODEL_T1, &t1);
	model_milestone(ctx, MODEL_T2, &t2);
	model_classify(ctx, &m);
	names = servers_of(&m, uses_ews, &n);
	if (m.rich == 0 || (n == 0 && m.cls != MODEL_UNKNOWN)) {
		fd = findings_add(out, SEV_PASS, "", "no on-premises -> cloud "
		    "lookup goes through Exchange Online's EWS (class %s): the EWS "
		    "gate does not concern hybrid here", model_class_name(m.cls));
		gate_evidence(fd, s, &t1, &t2);
		goto out;
	}
	if (t2.known && ctx->now >= t2.at) {
		fd = findings_add(out, SEV_FAIL, "", "EWS in Exchange Online is off "
		    "since T2 (%s), and %s still look up the cloud over EWS (%s): "
		    "free/busy, MailTips and photos from on-premises stop; only "
		    "Exchange SE on the Graph route keeps them", t2.day, names,
		    m.cls == MODEL_DAUTH ? "DAuth" : "EWS");
		gate_evidence(fd, s, &t1, &t2);
		if (m.cls == MODEL_DAUTH)
			finding_remedy(fd, "hybrid.move-to-oauth");
		goto out;
	}
	if (m.cls == MODEL_DAUTH && !m.mixed) {
		int gated = t1.known && ctx->now >= t1.at;

		if (s->exo.ews_enabled_set && s->exo.ews_enabled == TRI_FALSE)
			fd = findings_add(out, SEV_FAIL, "", "DAuth-only hybrid and "
			    "Exchange Online's EwsEnabled is False: on-premises lookups "
			    "of cloud free/busy are EWS calls and are refused (an "
			    "inference: Microsoft documents no exemption for DAuth)");
		else if (s->exo.ews_enabled_set && s->exo.ews_enabled == TRI_UNKNOWN)
			fd = findings_add(out, gated ? SEV_WARN : SEV_INFO, "",
			    "DAuth-only hybrid and Exchange Online's EwsEnabled is "
			    "Null: as the rollout turns it into False, on-premises "
			    "lookups of cloud free/busy (EWS calls) are refused (an "
			    "inference: Microsoft documents no exemption for DAuth)");
		else
			fd = findings_add(out, SEV_INFO, "", "DAuth-only hybrid: "
			    "on-premises lookups of cloud free/busy are EWS calls; "
			    "EwsEnabled is %s; no application id to list",
			    ews_enabled_text(s));
		gate_evidence(fd, s, &t1, &t2);
		goto out;
	}
	if (m.cls == MODEL_LEGACY && !m.mixed) {
		fd = findings_add(out, SEV_INFO, "", "the servers call Exchange "
		    "Online through the shared service principal, refused since T0 "
		    "(hybrid.model): the EWS gate is judged once the dedicated "
		    "application is in use");
		gate_evidence(fd, s, &t1, &t2);
		goto out;
	}
	judge_dedicated(ctx, &m, &t1, &t2, out);
out:
	free(names);
	model_release(&m);
}
