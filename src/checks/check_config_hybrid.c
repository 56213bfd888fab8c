/*
 * The hybrid model and what the dedicated Exchange hybrid application
 * needs: hybrid.model, hybrid-app.override, servers.build,
 * hybrid-app.permissions.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msid.h"
#include "check_config.h"
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

/* The value of "Enabled=…" in an override's parameters, or NULL. */
static const char *
override_enabled(const struct snap_override *o)
{
	for (size_t i = 0; i < o->parameters.n; i++) {
		const char *p = o->parameters.v[i];

		while (*p == ' ')
			p++;
		if (strncasecmp(p, "Enabled", 7) != 0)
			continue;
		p += 7;
		while (*p == ' ')
			p++;
		if (*p != '=')
			continue;
		p++;
		while (*p == ' ')
			p++;
		return p;
	}
	return NULL;
}

void
check_hybrid_app_override(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	int required = cfg_dedicated_required(ctx), good = 0, seen = 0;
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, s->onprem.overrides_collected,
	    "onPremises.settingOverrides", "setting overrides"))
		return;
	for (size_t i = 0; i < s->onprem.noverrides; i++) {
		const struct snap_override *o = &s->onprem.overrides[i];
		const char *name = o->name ? o->name : "(unnamed)", *en;
		int bad = 0;

		if (!str_caseeq(o->section, HYBRID_OVERRIDE_SECTION) &&
		    !str_caseeq(o->name, HYBRID_OVERRIDE_NAME))
			continue;
		seen++;
		en = override_enabled(o);
		if (!str_caseeq(o->section, HYBRID_OVERRIDE_SECTION)) {
			fd = findings_add(out, SEV_FAIL, name, "setting override '%s' "
			    "has section '%s', not %s", name, o->section ? o->section : "",
			    HYBRID_OVERRIDE_SECTION);
			finding_remedy(fd, "hybridapp.override");
			bad = 1;
		}
		if (o->component != NULL && !str_caseeq(o->component, "Global")) {
			fd = findings_add(out, SEV_FAIL, name, "setting override '%s' "
			    "has component '%s', not Global", name, o->component);
			finding_remedy(fd, "hybridapp.override");
			bad = 1;
		}
		if (en == NULL || !str_caseeq(en, "true")) {
			char *params = cfg_join(&o->parameters);

			fd = findings_add(out, SEV_FAIL, name, "setting override '%s' "
			    "%s%s: Exchange keeps using the shared service principal",
			    name, en ? "says Enabled=" : "has no Enabled parameter",
			    en ? en : "");
			finding_evidence(fd, "parameters", "%s", params);
			finding_remedy(fd, "hybridapp.override");
			free(params);
			bad = 1;
		}
		if (!bad && o->servers.n > 0) {
			struct strlist missing = { 0 };

			for (size_t k = 0; k < s->onprem.nservers; k++) {
				const struct snap_server *sv = &s->onprem.servers[k];

				if (cfg_is_oauth_server(sv) && sv->name &&
				    !strlist_contains_ci(&o->servers, sv->name))
					strlist_add(&missing, sv->name);
			}
			if (missing.n > 0) {
				char *names = cfg_join(&missing);

				fd = findings_add(out, SEV_WARN, name, "setting override "
				    "'%s' applies to some servers only; not to %s", name,
				    names);
				finding_evidence(fd, "missing servers", "%s", names);
				finding_remedy(fd, "hybridapp.override");
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
		finding_remedy(fd, "hybridapp.override");
	}
	(void)good;
}

/* Minimum builds for the dedicated hybrid application. */
static const struct {
	unsigned	 v[4];
	const char	*name;
} minimums[] = {
	{ { 15, 1, 2507, 55 }, "Exchange 2016 CU23 (April 2025 hotfix update)" },
	{ { 15, 2, 1544, 25 }, "Exchange 2019 CU14 (April 2025 hotfix update)" },
	{ { 15, 2, 1748, 24 }, "Exchange 2019 CU15 (April 2025 hotfix update)" },
	{ { 15, 2, 2562, 0 }, "Exchange Server SE" },
};

/* The minimum that applies to a version's line, or NULL when it is fine. */
static const char *
below_minimum(const struct snap_version *v, char *want, size_t len)
{
	struct snap_version m = { { 0 }, 1 };

	if (v->v[0] != 15 || (v->v[1] != 1 && v->v[1] != 2))
		return NULL;
	if (v->v[1] == 1) {
		memcpy(m.v, minimums[0].v, sizeof(m.v));
		snapshot_version_text(&m, want, len);
		return snapshot_version_cmp(v, &m) < 0 ? minimums[0].name : NULL;
	}
	/* 2019: CU14 from its hotfix on, CU15 from its hotfix on, then SE. */
	for (size_t i = 3; i >= 1; i--) {
		memcpy(m.v, minimums[i].v, sizeof(m.v));
		if (v->v[2] >= minimums[i].v[2]) {
			snapshot_version_text(&m, want, len);
			return snapshot_version_cmp(v, &m) < 0 ? minimums[i].name : NULL;
		}
	}
	memcpy(m.v, minimums[1].v, sizeof(m.v));
	snapshot_version_text(&m, want, len);
	return minimums[1].name;
}

void
check_servers_build(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	int strict = cfg_dedicated_required(ctx);
	size_t ok = 0;
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, s->onprem.nservers > 0, "onPremises.servers",
	    "Exchange servers"))
		return;
	for (size_t i = 0; i < s->onprem.nservers; i++) {
		const struct snap_server *sv = &s->onprem.servers[i];
		const char *name = sv->name ? sv->name : "(unnamed)", *line;
		char have[64], want[64];

		if (cfg_is_edge(sv))
			continue;
		snapshot_version_text(&sv->version, have, sizeof(have));
		if (!sv->version.valid) {
			fd = findings_add(out, SEV_WARN, name, "the build of '%s' is "
			    "unknown", name);
			continue;
		}
		if (sv->version.v[0] < 15 || (sv->version.v[0] == 15 &&
		    sv->version.v[1] == 0)) {
			fd = findings_add(out, strict ? SEV_WARN : SEV_INFO, name,
			    "'%s' runs %s (Exchange %s), which no update brings to "
			    "the dedicated hybrid application: it must not serve "
			    "free/busy itself", name, have,
			    sv->version.v[0] == 15 ? "2013" : sv->version.v[0] == 14 ?
			    "2010" : "2007 or older");
			finding_evidence(fd, "version", "%s", have);
			finding_evidence(fd, "version from", "%s", sv->version_source);
			finding_remedy(fd, "servers.update");
			continue;
		}
		if ((line = below_minimum(&sv->version, want, sizeof(want))) != NULL) {
			fd = findings_add(out, strict ? SEV_FAIL : SEV_INFO, name,
			    "'%s' runs %s, below %s (%s) that the dedicated hybrid "
			    "application needs", name, have, want, line);
			finding_evidence(fd, "version", "%s", have);
			finding_evidence(fd, "version from", "%s", sv->version_source);
			finding_evidence(fd, "minimum", "%s", want);
			finding_remedy(fd, "servers.update");
			continue;
		}
		ok++;
	}
	if (ok > 0) {
		fd = findings_add(out, SEV_PASS, "", "%zu server(s) at or above the "
		    "minimum builds for the dedicated hybrid application", ok);
		finding_evidence(fd, "servers", "%zu", ok);
	}
}

static const char *const graph_optional[] = { "Calendars.Read",
    "MailboxSettings.Read", "MailTips.ReadBasic.All", "ProfilePhoto.Read.All" };

void
check_hybrid_app_permissions(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const struct snap_app *apps[8];
	size_t napps;
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, s->entra.present, "entra", "Entra ID data"))
		return;
	napps = cfg_hybrid_apps(s, apps, 8);
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
		for (size_t r = 0; r < a->nassignments; r++)
			if (str_caseeq(a->assignments[r].app_role_id,
			    MSID_FULL_ACCESS_AS_APP) && (a->assignments[r].resource_app_id ==
			    NULL || str_caseeq(a->assignments[r].resource_app_id,
			    MSID_EXO_APP)))
				consented = 1;
		if (!consented) {
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
