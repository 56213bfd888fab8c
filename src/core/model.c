#include "model.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msid.h"
#include "org.h"
#include "str.h"

/* ---- milestones ---- */

static const struct {
	const char	*label;
	const char	*key;
} milestones[] = {
	{ "T0", CLOUD_T0 },
	{ "T1", CLOUD_T1 },
	{ "T2", CLOUD_T2 },
};

void
model_milestone(const struct context *ctx, enum model_ms which,
    struct model_milestone *m)
{
	const struct cloud *c = ctx->cloud;
	const struct cloud_field *f = NULL;

	memset(m, 0, sizeof(*m));
	m->label = milestones[which].label;
	if (c == NULL && ctx->clouds != NULL) {
		c = cloud_find(ctx->clouds, "global");
		m->assumed = 1;
	}
	m->cloud = c != NULL ? c->name : "none";
	m->known = cloud_date(c, milestones[which].key, &m->at, &f) == 0;
	m->certainty = f != NULL ? f->certainty : "unknown";
	m->source = f != NULL ? f->source : "no cloud profile names this date";
	if (m->known) {
		struct tm tm;

		gmtime_r(&m->at, &tm);
		strftime(m->day, sizeof(m->day), "%Y-%m-%d", &tm);
	} else
		snprintf(m->day, sizeof(m->day), "unknown");
}

int
model_reached(const struct context *ctx, enum model_ms which)
{
	struct model_milestone m;

	model_milestone(ctx, which, &m);
	return m.known && ctx->now >= m.at;
}

/* ---- builds ---- */

/* Minimum builds for the dedicated hybrid application (April 2025 HU). */
static const struct {
	unsigned	 v[4];
	const char	*name;
} minimums[] = {
	{ { 15, 1, 2507, 55 }, "Exchange 2016 CU23 (April 2025 hotfix update)" },
	{ { 15, 2, 1544, 25 }, "Exchange 2019 CU14 (April 2025 hotfix update)" },
	{ { 15, 2, 1748, 24 }, "Exchange 2019 CU15 (April 2025 hotfix update)" },
	{ { 15, 2, 2562, 0 }, "Exchange Server SE" },
};

static const unsigned graph_minimum[4] = { 15, 2, 2562, 41 };

int
model_build_supports_app(const struct snap_version *v, char *want, size_t len,
    const char **line)
{
	struct snap_version m = { { 0 }, 1 };
	size_t pick = 1;

	*line = NULL;
	if (!v->valid || v->v[0] != 15 || (v->v[1] != 1 && v->v[1] != 2))
		return 1;	/* not judged here */
	if (v->v[1] == 1)
		pick = 0;
	else
		/* 2019: CU14 from its hotfix on, CU15 from its hotfix on, then SE. */
		for (size_t i = 3; i >= 1; i--)
			if (v->v[2] >= minimums[i].v[2]) {
				pick = i;
				break;
			}
	memcpy(m.v, minimums[pick].v, sizeof(m.v));
	snapshot_version_text(&m, want, len);
	if (v->v[1] == 2 && v->v[2] < minimums[1].v[2]) {
		*line = minimums[1].name;
		return 0;
	}
	if (snapshot_version_cmp(v, &m) < 0) {
		*line = minimums[pick].name;
		return 0;
	}
	return 1;
}

int
model_build_supports_graph(const struct snap_version *v)
{
	struct snap_version m = { { 0 }, 1 };

	memcpy(m.v, graph_minimum, sizeof(m.v));
	return v->valid && snapshot_version_cmp(v, &m) >= 0;
}

int
model_build_is_2016_2019(const struct snap_version *v)
{
	return v->valid && v->v[0] == 15 && (v->v[1] == 1 ||
	    (v->v[1] == 2 && v->v[2] < 2562));
}

/* ---- overrides ---- */

const char *
model_override_enabled(const struct snap_override *o)
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

int
model_override_state(const struct snap_override *o)
{
	for (size_t i = 0; i < o->parameters.n; i++) {
		const char *p = o->parameters.v[i], *q;
		size_t n;

		while (isspace((unsigned char)*p))
			p++;
		if (strncasecmp(p, "Enabled", 7) != 0)
			continue;
		p += 7;
		while (isspace((unsigned char)*p))
			p++;
		if (*p++ != '=')
			continue;
		while (isspace((unsigned char)*p))
			p++;
		n = strncasecmp(p, "true", 4) == 0 ? 4 :
		    strncasecmp(p, "false", 5) == 0 ? 5 : 0;
		if (n == 0)
			continue;
		for (q = p + n; isspace((unsigned char)*q); q++)
			;
		if (*q == '\0')
			return n == 4;
	}
	return -1;
}

/* An enabled override of this name or section: 2 org-wide, 1 for some servers. */
static int
override_on(const struct snapshot *s, const char *name, const char *section,
    const struct snap_server *sv)
{
	int best = 0;

	for (size_t i = 0; i < s->onprem.noverrides; i++) {
		const struct snap_override *o = &s->onprem.overrides[i];

		if (!str_caseeq(o->section, section) && !str_caseeq(o->name, name))
			continue;
		if (model_override_state(o) != 1)
			continue;
		if (o->servers.n == 0)
			return 2;
		if (sv == NULL || (sv->name != NULL &&
		    strlist_contains_ci(&o->servers, sv->name)))
			best = 1;
	}
	return best;
}

/* ---- the Hybrid Agent ---- */

int
model_agent_url(const char *url, char *guid, size_t len)
{
	const char *h, *end;
	char host[256];
	size_t n, sl = strlen(MODEL_AGENT_SUFFIX);

	if (url == NULL || (h = strstr(url, "://")) == NULL)
		return 0;
	h += 3;
	end = h + strcspn(h, "/:?#");
	n = (size_t)(end - h);
	if (n >= sizeof(host) || n <= sl)
		return 0;
	memcpy(host, h, n);
	host[n] = '\0';
	str_lower(host);
	if (strcmp(host + n - sl, MODEL_AGENT_SUFFIX) != 0 || n - sl != 36 ||
	    !str_is_guid(host, 36))
		return 0;
	if (guid != NULL && len > 36) {
		memcpy(guid, host, 36);
		guid[36] = '\0';
	}
	return 1;
}

static void
agent_seen(struct model *m, const char *where, const char *url)
{
	char guid[40];

	if (!model_agent_url(url, guid, sizeof(guid)))
		return;
	m->hybrid_agent = 1;
	if (m->agent_guid == NULL)
		m->agent_guid = xstrdup(guid);
	if (!strlist_contains_ci(&m->agent_guids, guid))
		strlist_add(&m->agent_guids, guid);
	strlist_add_owned(&m->agent_urls, xasprintf("%s: %s", where, url));
}

/* ---- classification ---- */

const char *
model_class_name(enum model_class c)
{
	switch (c) {
	case MODEL_NONE:
		return "none";
	case MODEL_DAUTH:
		return "dauth";
	case MODEL_LEGACY:
		return "legacy";
	case MODEL_DEDICATED_EWS:
		return "dedicated-ews";
	case MODEL_DEDICATED_GRAPH:
		return "dedicated-graph";
	default:
		return "unknown";
	}
}

/* Free/busy, MailTips and photos: the features the hybrid app serves. */
static const char *const rich_features[] = { "FreeBusy", "MailTips", "Photos" };

static void
org_facts(const struct context *ctx, struct model *m)
{
	const struct snapshot *s = ctx->snapshot;

	m->rich = -1;
	if (s->onprem.hybrid_present && s->onprem.hybrid_features_collected) {
		m->rich = 0;
		for (size_t i = 0; i < s->onprem.hybrid_features.n; i++)
			for (size_t k = 0; k < sizeof(rich_features) /
			    sizeof(rich_features[0]); k++)
				if (str_caseeq(s->onprem.hybrid_features.v[i],
				    rich_features[k])) {
					m->rich = 1;
					strlist_add(&m->features, rich_features[k]);
				}
	}
	for (size_t i = 0; i < s->onprem.niocs; i++)
		if (s->onprem.iocs[i].enabled != TRI_FALSE)
			m->oauth_ioc = 1;
	for (size_t i = 0; i < s->onprem.norgrels; i++) {
		const struct snap_orgrel *r = &s->onprem.orgrels[i];
		int to_cloud = ctx->cloud == NULL;

		for (size_t k = 0; !to_cloud && k < r->domains.n; k++)
			to_cloud = org_has_routing_suffix(ctx->cloud, r->domains.v[k]);
		if (r->enabled != TRI_FALSE && r->freebusy_enabled == TRI_TRUE &&
		    to_cloud)
			m->dauth_orgrel = 1;
	}
	for (size_t i = 0; i < s->onprem.nauthservers; i++) {
		const struct snap_authserver *a = &s->onprem.authservers[i];

		if (a->type != AUTHSERVER_AZUREAD || a->enabled == TRI_FALSE)
			continue;
		if (a->app_id != NULL && str_caseeq(a->app_id, MSID_EXO_APP))
			m->shared_id_app = 1;
		else if (a->app_id != NULL && str_is_guid(a->app_id, strlen(a->app_id)))
			m->evosts = 1;
	}
	m->override_3p = override_on(s, HYBRID_OVERRIDE_NAME,
	    HYBRID_OVERRIDE_SECTION, NULL);
	m->override_graph = override_on(s, MODEL_GRAPH_OVERRIDE_NAME,
	    MODEL_GRAPH_OVERRIDE_SECTION, NULL);
	for (size_t i = 0; i < s->exo.niocs; i++) {
		agent_seen(m, "Exchange Online IOC TargetSharingEpr",
		    s->exo.iocs[i].target_sharing);
		agent_seen(m, "Exchange Online IOC DiscoveryEndpoint",
		    s->exo.iocs[i].discovery_endpoint);
	}
	for (size_t i = 0; i < s->exo.norgrels; i++) {
		agent_seen(m, "Exchange Online OrgRel TargetSharingEpr",
		    s->exo.orgrels[i].target_sharing);
		agent_seen(m, "Exchange Online OrgRel TargetAutodiscoverEpr",
		    s->exo.orgrels[i].target_autodiscover);
	}
	for (size_t i = 0; i < s->exo.nmigration_endpoints; i++) {
		const char *rs = s->exo.migration_endpoints[i].remote_server;
		char *url;

		if (rs == NULL)
			continue;
		url = strstr(rs, "://") ? xstrdup(rs) : xasprintf("https://%s/", rs);
		agent_seen(m, "Exchange Online migration endpoint", url);
		free(url);
	}
}

static enum model_class
server_class(const struct snapshot *s, const struct model *m,
    const struct snap_server *sv, char *why, size_t len)
{
	char want[64];
	const char *line;

	if (m->rich == 0) {
		snprintf(why, len, "HybridConfiguration Features name no rich "
		    "coexistence feature (FreeBusy, MailTips, Photos)");
		return MODEL_NONE;
	}
	for (size_t i = 0; i < s->nerrors; i++) {
		static const char *const needed[] = { "onPremises.authServers",
		    "onPremises.intraOrganizationConnectors",
		    "onPremises.settingOverrides",
		    "onPremises.organizationRelationships",
		    "onPremises.hybridConfiguration" };

		for (size_t k = 0; k < sizeof(needed) / sizeof(needed[0]); k++)
			if (s->errors[i].part != NULL &&
			    strcasecmp(s->errors[i].part, needed[k]) == 0) {
				snprintf(why, len, "the collector could not read %s: "
				    "the class cannot be told", needed[k]);
				return MODEL_UNKNOWN;
			}
	}
	if (!s->onprem.iocs_collected) {
		snprintf(why, len, "the snapshot has no on-premises "
		    "IntraOrganizationConnectors: the class cannot be told");
		return MODEL_UNKNOWN;
	}
	if (!m->oauth_ioc) {
		if (m->dauth_orgrel) {
			snprintf(why, len, "no enabled IntraOrganizationConnector; an "
			    "OrganizationRelationship with free/busy to the cloud "
			    "(DAuth, the federation trust)");
			return MODEL_DAUTH;
		}
		snprintf(why, len, "no enabled IntraOrganizationConnector and no "
		    "OrganizationRelationship with free/busy to the cloud");
		return MODEL_NONE;
	}
	if (!m->evosts) {
		snprintf(why, len, "an enabled IntraOrganizationConnector (OAuth) "
		    "but no enabled EvoSTS AuthServer naming a dedicated "
		    "application%s", m->shared_id_app ? " (one names the shared "
		    "Exchange Online id " MSID_EXO_APP ")" : "");
		return MODEL_LEGACY;
	}
	if (override_on(s, HYBRID_OVERRIDE_NAME,
	    HYBRID_OVERRIDE_SECTION, sv) == 0) {
		snprintf(why, len, "EvoSTS AuthServer present, but no "
		    "EnableExchangeHybrid3PAppFeature override with Enabled=true "
		    "applies to this server: it keeps the shared principal");
		return MODEL_LEGACY;
	}
	if (sv != NULL && !model_build_supports_app(&sv->version, want,
	    sizeof(want), &line)) {
		snprintf(why, len, "override set, but the build is below %s (%s): "
		    "the server keeps the shared principal", want, line);
		return MODEL_LEGACY;
	}
	if (override_on(s, MODEL_GRAPH_OVERRIDE_NAME, MODEL_GRAPH_OVERRIDE_SECTION,
	    sv) != 0) {
		if (sv == NULL || model_build_supports_graph(&sv->version)) {
			snprintf(why, len, "EvoSTS AuthServer, both overrides, build "
			    "15.2.2562.41 or later: calls go through Microsoft Graph");
			return MODEL_DEDICATED_GRAPH;
		}
		snprintf(why, len, "dedicated application; the Graph override is "
		    "set but the build is below 15.2.2562.41, so this server stays "
		    "on EWS");
		return MODEL_DEDICATED_EWS;
	}
	snprintf(why, len, "EvoSTS AuthServer and the "
	    "EnableExchangeHybrid3PAppFeature override: the dedicated "
	    "application over EWS");
	return MODEL_DEDICATED_EWS;
}

void
model_classify(const struct context *ctx, struct model *m)
{
	const struct snapshot *s = ctx->snapshot;
	size_t n = 0;

	memset(m, 0, sizeof(*m));
	m->cls = MODEL_UNKNOWN;
	if (s == NULL)
		return;
	org_facts(ctx, m);
	m->servers = xcalloc(s->onprem.nservers + 1, sizeof(*m->servers));
	for (size_t i = 0; i < s->onprem.nservers; i++) {
		const struct snap_server *sv = &s->onprem.servers[i];

		if (!org_server_speaks_oauth(sv))
			continue;
		m->servers[n].server = sv;
		m->servers[n].cls = server_class(s, m, sv, m->servers[n].why,
		    sizeof(m->servers[n].why));
		n++;
	}
	m->nservers = n;
	if (n == 0) {
		m->cls = server_class(s, m, NULL, m->why, sizeof(m->why));
		return;
	}
	m->cls = m->servers[0].cls;
	snprintf(m->why, sizeof(m->why), "%s", m->servers[0].why);
	for (size_t i = 1; i < n; i++)
		if (m->servers[i].cls != m->cls)
			m->mixed = 1;
	if (m->mixed) {
		/* The organisation is as strong as its weakest server. */
		for (size_t i = 1; i < n; i++)
			if (m->servers[i].cls < m->cls) {
				m->cls = m->servers[i].cls;
				snprintf(m->why, sizeof(m->why), "%s",
				    m->servers[i].why);
			}
	}
}

void
model_release(struct model *m)
{
	if (m == NULL)
		return;
	strlist_release(&m->features);
	strlist_release(&m->agent_guids);
	strlist_release(&m->agent_urls);
	free(m->agent_guid);
	free(m->servers);
	memset(m, 0, sizeof(*m));
}
