/* hybrid-app.override and hybrid-app.permissions: what the dedicated hybrid application needs. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "msid.h"
#include "cfg.h"
#include "check_fns.h"
#include "model.h"
#include "str.h"

void
check_hybrid_app_override(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	int required = cfg_dedicated_required(ctx), good = 0, seen = 0;
	struct finding *fd;

	if (cfg_skip_part(ctx, out, s->onprem.overrides_collected,
	    "onPremises.settingOverrides", "setting overrides") ||
	    cfg_skip_oauth_unused(ctx, out, "the EnableExchangeHybrid3PAppFeature "
	    "override"))
		return;
	for (size_t i = 0; i < s->onprem.noverrides; i++) {
		const struct snap_override *o = &s->onprem.overrides[i];
		const char *name = o->name ? o->name : "(unnamed)", *en;
		int bad = 0;

		if (!str_caseeq(o->section, HYBRID_OVERRIDE_SECTION) &&
		    !str_caseeq(o->name, HYBRID_OVERRIDE_NAME))
			continue;
		seen++;
		en = model_override_enabled(o);
		if (!str_caseeq(o->section, HYBRID_OVERRIDE_SECTION)) {
			fd = findings_add(out, SEV_FAIL, name, "setting override '%s' "
			    "has section '%s', not %s", name, o->section ? o->section : "",
			    HYBRID_OVERRIDE_SECTION);
			cfg_override_remedy(ctx, fd);
			bad = 1;
		}
		if (o->component != NULL && !str_caseeq(o->component, "Global")) {
			fd = findings_add(out, SEV_FAIL, name, "setting override '%s' "
			    "has component '%s', not Global", name, o->component);
			cfg_override_remedy(ctx, fd);
			bad = 1;
		}
		if (en == NULL || !str_caseeq(en, "true")) {
			char *params = cfg_join(&o->parameters);

			fd = findings_add(out, SEV_FAIL, name, "setting override '%s' "
			    "%s%s: Exchange keeps using the shared service principal",
			    name, en ? "says Enabled=" : "has no Enabled parameter",
			    en ? en : "");
			finding_evidence(fd, "parameters", "%s", params);
			cfg_override_remedy(ctx, fd);
			free(params);
			bad = 1;
		}
		if (!bad && o->servers.n > 0) {
			struct strlist missing = { 0 };

			for (size_t k = 0; k < s->onprem.nservers; k++) {
				const struct snap_server *sv = &s->onprem.servers[k];

				if (org_server_speaks_oauth(sv) && sv->name &&
				    !strlist_contains_ci(&o->servers, sv->name))
					strlist_add(&missing, sv->name);
			}
			if (missing.n > 0) {
				char *names = cfg_join(&missing);

				fd = findings_add(out, SEV_WARN, name, "setting override "
				    "'%s' applies to some servers only; not to %s", name,
				    names);
				finding_evidence(fd, "missing servers", "%s", names);
				cfg_override_remedy(ctx, fd);
				free(names);
				bad = 1;
			}
			strlist_release(&missing);
		}
		if (!bad) {
			fd = findings_add(out, SEV_PASS, name, "setting override '%s' "
			    "enables the dedicated hybrid application", name);
			finding_evidence(fd, "parameters", "Enabled=%s", en);
			good++;
		}
	}
	if (seen == 0) {
		fd = findings_add(out, required ? SEV_FAIL : SEV_INFO, "",
		    "no setting override %s (section %s)%s", HYBRID_OVERRIDE_NAME,
		    HYBRID_OVERRIDE_SECTION, required ? ": Exchange keeps using the "
		    "shared service principal" : ": needed when moving to the "
		    "dedicated hybrid application");
		cfg_override_remedy(ctx, fd);
	}
	(void)good;
}

static const char *const graph_optional[] = { "Calendars.Read",
    "MailboxSettings.Read", "MailTips.ReadBasic.All", "ProfilePhoto.Read.All" };

void
check_hybrid_app_permissions(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const struct snap_app *apps[8];
	const struct snap_error *aerr;
	size_t napps;
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, s->entra.present, "entra", "Entra ID data") ||
	    cfg_skip_part(ctx, out, 1, "entra.hybridApplications",
	    "hybrid applications in Entra ID") ||
	    cfg_skip_oauth_unused(ctx, out, "the dedicated hybrid application"))
		return;
	napps = cfg_hybrid_apps(s, apps, 8);
	/* Consent lives in the role assignments: unread, it is not judged. */
	if ((aerr = cfg_part_error(s, ASSIGNMENTS_PART)) != NULL && napps > 0) {
		char *why = str_clean_text(aerr->message ? aerr->message : "no message");

		fd = findings_add(out, SEV_SKIP, "", "admin consent for the hybrid "
		    "application is not judged: the collector could not read its "
		    "role assignments (%s): %s", ASSIGNMENTS_PART, why);
		finding_evidence(fd, "missing", "%s", ASSIGNMENTS_PART);
		free(why);
	}
	if (napps == 0) {
		int required = cfg_dedicated_required(ctx);

		fd = findings_add(out, required ? SEV_FAIL : SEV_INFO, "",
		    "no dedicated Exchange hybrid application (%s*) in Entra ID",
		    HYBRID_APP_PREFIX);
		finding_remedy(fd, "hybridapp.configure");
		return;
	}
	for (size_t i = 0; i < napps; i++) {
		const struct snap_app *a = apps[i];
		const char *name = a->display_name ? a->display_name : a->app_id;
		int requested = 0, consented = 0;
		struct strlist graph = { 0 }, absent = { 0 };

		for (size_t r = 0; r < a->naccess; r++) {
			const struct snap_resource_access *ra = &a->access[r];

			if (str_caseeq(ra->resource_app_id, MSID_EXO_APP) &&
			    strlist_contains_ci(&ra->roles, MSID_FULL_ACCESS_AS_APP))
				requested = 1;
			if (str_caseeq(ra->resource_app_id, MSID_GRAPH_APP))
				for (size_t k = 0; k < ra->role_values.n; k++)
					if (ra->role_values.v[k][0] != '\0')
						strlist_add(&graph, ra->role_values.v[k]);
		}
		/* Consented Graph roles count too: the collector may resolve only their value. */
		for (size_t r = 0; aerr == NULL && r < a->nassignments; r++)
			if (str_caseeq(a->assignments[r].resource_app_id, MSID_GRAPH_APP) &&
			    a->assignments[r].app_role_value != NULL &&
			    !strlist_contains_ci(&graph, a->assignments[r].app_role_value))
				strlist_add(&graph, a->assignments[r].app_role_value);
		consented = cfg_full_access_consented(a);
		if (aerr != NULL) {
			/* said once above */
		} else if (!consented) {
			fd = findings_add(out, SEV_FAIL, name, requested ?
			    "application '%s' requests full_access_as_app, but no admin "
			    "has consented" : "application '%s' lacks full_access_as_app "
			    "on Exchange Online", name);
			finding_evidence(fd, "application id", "%s", a->app_id);
			finding_evidence(fd, "role", "full_access_as_app %s",
			    MSID_FULL_ACCESS_AS_APP);
			finding_evidence(fd, "requested", "%s", requested ? "yes" : "no");
			finding_evidence(fd, "consented", "no");
			finding_remedy(fd, "hybridapp.configure");
		} else {
			fd = findings_add(out, SEV_PASS, name, "application '%s' holds "
			    "full_access_as_app with admin consent", name);
			finding_evidence(fd, "application id", "%s", a->app_id);
		}
		/* The Graph route (Exchange SE, May 2026) is optional: say what it has. */
		if (graph.n > 0) {
			char *have, *miss;

			for (size_t k = 0; k < sizeof(graph_optional) /
			    sizeof(graph_optional[0]); k++)
				if (!strlist_contains_ci(&graph, graph_optional[k]))
					strlist_add(&absent, graph_optional[k]);
			have = cfg_join(&graph);
			miss = cfg_join(&absent);
			fd = findings_add(out, SEV_INFO, name, "application '%s' has "
			    "Microsoft Graph permissions %s%s%s", name, have,
			    absent.n ? "; for the Graph route it also needs " : "", miss);
			finding_evidence(fd, "graph permissions", "%s", have);
			if (absent.n)
				finding_evidence(fd, "graph permissions missing", "%s", miss);
			free(have);
			free(miss);
		}
		strlist_release(&graph);
		strlist_release(&absent);
	}
}
