/*
 * graph-route.config and graph-route.builds: on-premises -> Exchange Online
 * rich coexistence through Microsoft Graph (Exchange SE, May 2026 HU;
 * PROTOCOLS 12.7). The route is switched on by a second setting override
 * that only works with the dedicated-application override, needs the
 * EvoSTS AuthServer's GraphBaseUrl, four Graph permissions consented, and
 * Exchange SE 15.2.2562.41 or later; servers below stay on EWS.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msid.h"
#include "evosts.h"
#include "check_fns.h"
#include "str.h"

/* The first build with the route, and the two known defects' fixes [3p citing MS KBs]. */
static const struct snap_version graph_min = { { 15, 2, 2562, 41 }, 1 };
static const struct snap_version fix_offset = { { 15, 2, 2562, 49 }, 1 };
static const struct snap_version fix_delegate = { { 15, 2, 2562, 53 }, 1 };

static const char *const graph_roles[] = { "Calendars.Read",
    "MailboxSettings.Read", "MailTips.ReadBasic.All", "ProfilePhoto.Read.All" };
#define NGRAPH_ROLES	(sizeof(graph_roles) / sizeof(graph_roles[0]))

static int
is_graph_override(const struct snap_override *o)
{
	return str_caseeq(o->section, MODEL_GRAPH_OVERRIDE_SECTION) ||
	    str_caseeq(o->name, MODEL_GRAPH_OVERRIDE_NAME);
}

static int
is_app_override(const struct snap_override *o)
{
	return str_caseeq(o->section, HYBRID_OVERRIDE_SECTION) ||
	    str_caseeq(o->name, HYBRID_OVERRIDE_NAME);
}

/* The state of one override kind in a list: 1 on, 0 off (present, not true), -1 absent. */
static int
override_state(const struct snap_override *v, size_t n,
    int (*kind)(const struct snap_override *), const struct snap_override **which)
{
	int state = -1;

	for (size_t i = 0; i < n; i++) {
		if (!kind(&v[i]))
			continue;
		if (model_override_state(&v[i]) == 1) {
			if (which)
				*which = &v[i];
			return 1;
		}
		state = 0;
		if (which)
			*which = &v[i];
	}
	return state;
}

/* A server that hosts mailboxes and takes part in OAuth. */
static int
mailbox_server(const struct snap_server *sv)
{
	return org_server_speaks_oauth(sv) && org_server_hosts_mailboxes(sv);
}

static int
graph_eligible(const struct snap_server *sv)
{
	return model_build_supports_graph(&sv->version);
}

/* Whether Microsoft has said the route exists in this cloud (endpoints/). */
static int
route_announced(const struct context *ctx)
{
	const char *v = cloud_value(ctx->cloud, "graph_route");

	return v != NULL && strcmp(v, "announced") == 0;
}

static void
cloud_evidence(const struct context *ctx, struct finding *fd)
{
	const struct cloud_field *f = cloud_field(ctx->cloud, "graph_route");

	finding_evidence(fd, "graph route in this cloud", "%s (%s; %s)",
	    f && f->values.n ? f->values.v[0] : "unknown",
	    f && f->source ? f->source : "no profile entry",
	    f && f->certainty ? f->certainty : "unsettled");
}

/* The hybrid application's consented Graph roles, by value. */
static void
consented_graph(const struct snap_app *a, struct strlist *out)
{
	for (size_t r = 0; r < a->nassignments; r++) {
		const struct snap_role_assignment *x = &a->assignments[r];

		if (x->app_role_value == NULL || (x->resource_app_id != NULL &&
		    !str_caseeq(x->resource_app_id, MSID_GRAPH_APP)))
			continue;
		if (x->resource_app_id == NULL && (x->resource_name == NULL ||
		    !str_contains_ci(x->resource_name, "Graph")))
			continue;
		strlist_add(out, x->app_role_value);
	}
}

/* The app the EvoSTS AuthServer names, among Entra's. */
static const struct snap_app *
evosts_app(const struct snapshot *s, const struct evosts *e)
{
	if (e->one == NULL)
		return NULL;
	for (size_t i = 0; i < s->entra.napps; i++)
		if (str_caseeq(s->entra.apps[i].app_id, e->one->app_id))
			return &s->entra.apps[i];
	return NULL;
}

/* Whether a Graph role assignment of the application has no role name. */
static int
graph_values_missing(const struct snap_app *a)
{
	for (size_t r = 0; r < a->nassignments; r++)
		if (a->assignments[r].app_role_value == NULL &&
		    (a->assignments[r].resource_app_id == NULL ||
		    str_caseeq(a->assignments[r].resource_app_id, MSID_GRAPH_APP)))
			return 1;
	return 0;
}

static void
judge_permissions(const struct context *ctx, const struct evosts *e,
    struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const struct snap_error *rerr;
	const struct snap_app *app;
	struct strlist have = { 0 }, missing = { 0 };
	struct finding *fd;

	if (!s->entra.present) {
		fd = findings_add(out, SEV_SKIP, "", "the Graph permissions and "
		    "full_access_as_app are not judged: the snapshot has no Entra ID data");
		finding_evidence(fd, "missing", "entra");
		return;
	}
	if ((app = evosts_app(s, e)) == NULL)
		return;	/* hybrid.model names an AuthServer app Entra lacks */
	if (cfg_part_error(s, ASSIGNMENTS_PART) != NULL) {
		fd = findings_add(out, SEV_SKIP, "", "the Graph permissions' consent "
		    "is not judged: the collector could not read the application's "
		    "role assignments");
		finding_evidence(fd, "missing", "%s", ASSIGNMENTS_PART);
		return;
	}
	/* Roles are known by value; without the names an assignment says nothing. */
	if ((rerr = cfg_part_error(s, "entra.appRoles")) != NULL &&
	    graph_values_missing(app)) {
		char *why = str_clean_text(rerr->message ? rerr->message : "no message");

		fd = findings_add(out, SEV_SKIP, "", "the Graph permissions' consent "
		    "is not judged: the collector could not resolve the role names "
		    "of Microsoft Graph (entra.appRoles): %s", why);
		finding_evidence(fd, "missing", "entra.appRoles");
		free(why);
		return;
	}
	consented_graph(app, &have);
	for (size_t i = 0; i < NGRAPH_ROLES; i++)
		if (!strlist_contains_ci(&have, graph_roles[i]))
			strlist_add(&missing, graph_roles[i]);
	if (missing.n > 0) {
		char *m = cfg_join(&missing), *h = cfg_join(&have);

		fd = findings_add(out, SEV_FAIL, app->display_name ? app->display_name :
		    app->app_id, "the hybrid application lacks admin consent for "
		    "the Microsoft Graph permission%s %s that the Graph route uses",
		    missing.n > 1 ? "s" : "", m);
		finding_evidence_param(fd, RP_APP_ID, "application id", "%s", app->app_id);
		finding_evidence(fd, "graph permissions missing", "%s", m);
		finding_evidence(fd, "graph permissions consented", "%s", h);
		finding_remedy(fd, "graph-route.permissions");
		free(m);
		free(h);
	}
	if (s->onprem.cloud_archives > 0 && !cfg_full_access_consented(app)) {
		fd = findings_add(out, SEV_FAIL, app->display_name ? app->display_name :
		    app->app_id, "%ld on-premises mailbox%s a cloud archive, which "
		    "the Graph route still reaches through EWS: the hybrid "
		    "application needs full_access_as_app consented",
		    s->onprem.cloud_archives, s->onprem.cloud_archives > 1 ?
		    "es have" : " has");
		finding_evidence_param(fd, RP_APP_ID, "application id", "%s", app->app_id);
		finding_evidence(fd, "cloud archive mailboxes", "%ld", s->onprem.cloud_archives);
		finding_remedy(fd, "hybridapp.configure");
	} else if (s->onprem.cloud_archives > 0) {
		fd = findings_add(out, SEV_INFO, "", "%ld on-premises mailbox%s a "
		    "cloud archive: keep full_access_as_app on the hybrid "
		    "application even on the Graph route", s->onprem.cloud_archives,
		    s->onprem.cloud_archives > 1 ? "es have" : " has");
		finding_evidence(fd, "cloud archive mailboxes", "%ld", s->onprem.cloud_archives);
	}
	strlist_release(&have);
	strlist_release(&missing);
}

/* Whether the hybrid application has all four Graph permissions consented. */
static int
graph_consented(const struct context *ctx, const struct evosts *e)
{
	const struct snap_app *app;
	struct strlist have = { 0 };
	int all = 1;

	if (!ctx->snapshot->entra.present || (app = evosts_app(ctx->snapshot, e)) == NULL)
		return 0;
	consented_graph(app, &have);
	for (size_t i = 0; i < NGRAPH_ROLES; i++)
		all &= strlist_contains_ci(&have, graph_roles[i]);
	strlist_release(&have);
	return all;
}

/*
 * The step that writes GraphBaseUrl and the override, asked for only as
 * Microsoft's script would run it: consent given, every Mailbox server able.
 */
static void
base_url_remedy(struct finding *fd, int fixable)
{
	if (fixable)
		finding_remedy(fd, "graph-route.enable");
	else
		finding_evidence(fd, "not written by the script", "until the "
		    "Graph permissions are consented and every Mailbox server is "
		    "at 15.2.2562.41 or later");
}

/* GraphBaseUrl on the EvoSTS AuthServer = the cloud's Graph root. */
static void
judge_base_url(const struct context *ctx, const struct evosts *e, int fixable,
    struct findings *out)
{
	const char *host = cloud_value(ctx->cloud, "graph_host");
	const char *got = e->one->graph_base_url, *name = e->one->name ?
	    e->one->name : "(unnamed)";
	char *want = host ? xasprintf("https://%s", host) : NULL;
	struct finding *fd;

	if (want == NULL)
		return;
	if (got == NULL || got[0] == '\0') {
		fd = findings_add(out, SEV_FAIL, name, "EvoSTS AuthServer '%s' has "
		    "no GraphBaseUrl: the Graph route has no endpoint to call "
		    "(%s in the %s cloud)", name, want, ctx->cloud->name);
		finding_evidence(fd, "expected graph base url", "%s", want);
		finding_evidence_param(fd, RP_AUTHSERVER, "authserver", "%s", name);
		base_url_remedy(fd, fixable);
	} else if (!cfg_url_eq(got, want)) {
		fd = findings_add(out, SEV_FAIL, name, "EvoSTS AuthServer '%s' has "
		    "GraphBaseUrl %s, not the %s cloud's Graph root %s", name, got,
		    ctx->cloud->name, want);
		finding_evidence(fd, "graph base url", "%s", got);
		finding_evidence(fd, "expected graph base url", "%s", want);
		finding_evidence_param(fd, RP_AUTHSERVER, "authserver", "%s", name);
		base_url_remedy(fd, fixable);
	} else if (got[strlen(got) - 1] == '/') {
		fd = findings_add(out, SEV_WARN, name, "EvoSTS AuthServer '%s' has "
		    "GraphBaseUrl %s with a trailing '/': Microsoft's script writes "
		    "%s", name, got, want);
		finding_evidence(fd, "graph base url", "%s", got);
		finding_evidence(fd, "expected graph base url", "%s", want);
		finding_evidence_param(fd, RP_AUTHSERVER, "authserver", "%s", name);
		base_url_remedy(fd, fixable);
	}
	free(want);
}

/* Servers whose topology service does not apply the Graph override yet. */
static void
judge_effective(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;

	for (size_t i = 0; i < s->onprem.nservers; i++) {
		const struct snap_server *sv = &s->onprem.servers[i];
		struct finding *fd;

		if (!sv->effective_collected || !mailbox_server(sv))
			continue;
		if (override_state(sv->effective, sv->neffective, is_graph_override,
		    NULL) == 1)
			continue;
		fd = findings_add(out, SEV_WARN, sv->name ? sv->name : "",
		    "server %s does not apply the %s override yet (its topology "
		    "service's view): overrides reach every server within about "
		    "an hour, or at once with Get-ExchangeDiagnosticInfo -Server "
		    "%s -Process Microsoft.Exchange.Directory.TopologyService "
		    "-Component VariantConfiguration -Argument Refresh",
		    sv->name ? sv->name : "", MODEL_GRAPH_OVERRIDE_NAME,
		    sv->name ? sv->name : "<server>");
		finding_evidence_param(fd, RP_SERVER, "server", "%s", sv->name ? sv->name : "");
		finding_evidence(fd, "effective overrides", "%zu", sv->neffective);
	}
}

void
check_graph_route_config(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const struct snap_override *g = NULL, *a = NULL;
	int gs, as;
	size_t nmbx = 0, nok = 0;
	struct evosts e;
	struct finding *fd;
	size_t before = out->n, problems = 0;

	if (cfg_skip_unless(ctx, out, s->onprem.overrides_collected,
	    "onPremises.settingOverrides", "setting overrides"))
		return;
	gs = override_state(s->onprem.overrides, s->onprem.noverrides,
	    is_graph_override, &g);
	as = override_state(s->onprem.overrides, s->onprem.noverrides,
	    is_app_override, &a);
	evosts_find(ctx, &e);
	for (size_t i = 0; i < s->onprem.nservers; i++)
		if (mailbox_server(&s->onprem.servers[i])) {
			nmbx++;
			nok += graph_eligible(&s->onprem.servers[i]);
		}
	if (gs != 1) {
		/* Not in use: say what it would take, never fail. */
		if (gs == 0) {
			char *p = cfg_join(&g->parameters);

			fd = findings_add(out, SEV_INFO, g->name ? g->name : "",
			    "the Graph route is switched off (%s says %s): every "
			    "server calls Exchange Online through EWS", g->name ?
			    g->name : MODEL_GRAPH_OVERRIDE_NAME, p);
			finding_evidence(fd, "parameters", "%s", p);
			free(p);
		} else if (e.valid && as == 1 && nmbx > 0 && nok == nmbx) {
			struct model_milestone t2;

			model_milestone(ctx, MODEL_T2, &t2);
			fd = findings_add(out, SEV_INFO, "", "every Mailbox server "
			    "can use the Graph route, which is not switched on: "
			    "Microsoft asks hybrids to move on-premises to cloud "
			    "calls from EWS to Graph before EWS is switched off "
			    "(T2: %s)%s", t2.day,
			    route_announced(ctx) ? "" : "; Microsoft has not said "
			    "the route exists in this cloud, so wait for its word");
			cloud_evidence(ctx, fd);
			finding_evidence(fd, "T2", "%s (%s, %s)", t2.day, t2.certainty,
			    t2.source);
			finding_evidence(fd, "eligible servers", "%zu of %zu", nok, nmbx);
		} else {
			fd = findings_add(out, SEV_INFO, "", "the Graph route is not "
			    "in use (no %s override): on-premises calls Exchange "
			    "Online through EWS", MODEL_GRAPH_OVERRIDE_NAME);
			finding_evidence(fd, "eligible servers", "%zu of %zu", nok, nmbx);
		}
		return;
	}
	/* The route is switched on: every part it needs. */
	if (as != 1) {
		fd = findings_add(out, SEV_FAIL, g->name ? g->name : "", "the %s "
		    "override is on without %s set to Enabled=true: Microsoft's "
		    "script names this a misconfiguration; the Graph route needs "
		    "the dedicated hybrid application first", MODEL_GRAPH_OVERRIDE_NAME,
		    HYBRID_OVERRIDE_NAME);
		finding_evidence(fd, "graph override", "%s", g->name ? g->name :
		    MODEL_GRAPH_OVERRIDE_NAME);
		finding_evidence(fd, "application override", "%s", as == 0 ?
		    "present, not Enabled=true" : "absent");
		cfg_override_remedy(ctx, fd);
	}
	if (g->servers.n > 0) {
		char *sv = cfg_join(&g->servers);

		fd = findings_add(out, SEV_WARN, g->name ? g->name : "", "the %s "
		    "override is limited to %s; Microsoft sets it for the whole "
		    "organisation", MODEL_GRAPH_OVERRIDE_NAME, sv);
		finding_evidence(fd, "servers", "%s", sv);
		free(sv);
	}
	if (!route_announced(ctx)) {
		fd = findings_add(out, SEV_WARN, "", "the Graph route is switched "
		    "on in the %s cloud, where Microsoft has not said it exists "
		    "(\"Graph API hybrid calls are not available in all cloud "
		    "environments\"): confirm with Microsoft that it works there",
		    ctx->cloud->name);
		cloud_evidence(ctx, fd);
	}
	if (!e.valid) {
		fd = findings_add(out, SEV_FAIL, "", "the Graph route is switched "
		    "on, but there is no valid EvoSTS AuthServer for the tenant "
		    "to carry GraphBaseUrl (see authserver.evosts)");
		finding_remedy(fd, "hybridapp.configure");
	} else
		judge_base_url(ctx, &e, as == 1 && nmbx > 0 && nok == nmbx &&
		    graph_consented(ctx, &e), out);
	if (e.valid)
		judge_permissions(ctx, &e, out);
	judge_effective(ctx, out);
	for (size_t i = before; i < out->n; i++)
		if (out->v[i]->severity >= SEV_WARN)
			problems++;
	if (problems == 0) {
		fd = findings_add(out, SEV_PASS, "", "the Graph route is complete: "
		    "both overrides, GraphBaseUrl %s, the Graph permissions "
		    "consented", e.one->graph_base_url);
		finding_evidence(fd, "graph base url", "%s", e.one->graph_base_url);
		finding_evidence(fd, "eligible servers", "%zu of %zu", nok, nmbx);
	}
}

void
check_graph_route_builds(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	int on;
	size_t nmbx = 0;
	struct strlist ews = { 0 };
	struct finding *fd;
	char minb[32];

	if (cfg_skip_unless(ctx, out, s->onprem.nservers > 0, "onPremises.servers",
	    "Exchange servers"))
		return;
	snapshot_version_text(&graph_min, minb, sizeof(minb));
	on = s->onprem.overrides_collected && override_state(s->onprem.overrides,
	    s->onprem.noverrides, is_graph_override, NULL) == 1;
	for (size_t i = 0; i < s->onprem.nservers; i++) {
		const struct snap_server *sv = &s->onprem.servers[i];
		const char *name = sv->name ? sv->name : "(unnamed)";
		char ver[32];

		if (!mailbox_server(sv))
			continue;
		nmbx++;
		snapshot_version_text(&sv->version, ver, sizeof(ver));
		if (!graph_eligible(sv)) {
			strlist_add(&ews, name);
			continue;
		}
		if (!on)
			continue;
		if (snapshot_version_cmp(&sv->version, &fix_offset) < 0) {
			fd = findings_add(out, SEV_WARN, name, "%s (%s) shows busy "
			    "times shifted by the requester's UTC offset on the Graph "
			    "route; fixed in 15.2.2562.49 (KB5125804, reported)",
			    name, ver);
			finding_evidence_param(fd, RP_SERVER, "server", "%s", name);
			finding_evidence(fd, "build", "%s", ver);
			finding_evidence(fd, "fixed in", "15.2.2562.49");
			finding_remedy(fd, "servers.update");
		}
		if (snapshot_version_cmp(&sv->version, &fix_delegate) < 0) {
			fd = findings_add(out, SEV_INFO, name, "%s (%s): delegated "
			    "free/busy lookups of cloud mailboxes can fail on the "
			    "Graph route; reported fixed in 15.2.2562.53 (KB5127092), "
			    "Microsoft's workaround until then is the override at "
			    "Enabled=False", name, ver);
			finding_evidence_param(fd, RP_SERVER, "server", "%s", name);
			finding_evidence(fd, "build", "%s", ver);
			finding_evidence(fd, "fixed in", "15.2.2562.53");
		}
	}
	if (ews.n > 0) {
		char *names = cfg_join(&ews);

		fd = findings_add(out, SEV_INFO, "", "%zu of %zu Mailbox servers "
		    "are below Exchange SE %s (%s) and %s on EWS: they are judged "
		    "on the EWS rules (full_access_as_app, Exchange Online's EWS "
		    "settings)", ews.n, nmbx, minb, names, on ? "stay" : "would stay");
		finding_evidence(fd, "servers on ews", "%s", names);
		finding_evidence(fd, "graph route minimum", "%s", minb);
		free(names);
	}
	strlist_release(&ews);
}
