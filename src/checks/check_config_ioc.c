/*
 * How each side finds the other: ioc.onprem, ioc.cloud,
 * availability.address-space, vdir.oauth, org-relationship.dauth.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_config.h"
#include "check_fns.h"
#include "probe.h"
#include "str.h"

/* Exchange 2013 SP1: older servers need an AvailabilityAddressSpace. */
static const struct snap_version sp1 = { { 15, 0, 847, 32 }, 1 };

static void
no_trailing_slash(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '/')
		s[--n] = '\0';
}

/* Where the routing domain came from, and which form it has. */
static void
routing_evidence(struct finding *fd, const struct org_routing *rt)
{
	if (rt == NULL || rt->domain == NULL)
		return;
	finding_evidence_param(fd, RP_ROUTING_DOMAIN, "routing domain", "%s", rt->domain);
	finding_evidence(fd, "routing domain from", "%s", rt->from);
	finding_evidence(fd, "routing domain form", "<tenant>.%s", rt->suffix);
}

/* Judges the endpoint of an on-premises → cloud connector. */
static int
judge_cloud_endpoint(const struct context *ctx, const struct snap_ioc *c,
    struct findings *out, const char **seen_ok, const struct org_routing *rt)
{
	const char *name = c->name ? c->name : "(unnamed)";
	const char *rec = cloud_preferred(ctx->cloud, "discovery_endpoints");
	const struct cloud_field *f = cloud_field(ctx->cloud, "discovery_endpoints");
	char host[256];
	struct finding *fd;

	for (size_t i = 0; f != NULL && i < f->values.n; i++)
		if (cfg_url_eq(c->discovery_endpoint, f->values.v[i])) {
			*seen_ok = f->values.v[i];
			return 0;
		}
	if (c->discovery_endpoint == NULL ||
	    cfg_url_host(c->discovery_endpoint, host, sizeof(host)) == -1) {
		fd = findings_add(out, SEV_FAIL, name, "IntraOrganizationConnector "
		    "'%s' has no DiscoveryEndpoint", name);
	} else {
		const struct cloud *other = cfg_cloud_of_host(ctx,
		    "discovery_endpoints", host);

		if (other != NULL && other != ctx->cloud)
			fd = findings_add(out, SEV_FAIL, name, "IntraOrganizationConnector "
			    "'%s' points at %s, the %s cloud's endpoint; the tenant is "
			    "in the %s cloud", name, c->discovery_endpoint, other->name,
			    ctx->cloud->name);
		else
			fd = findings_add(out, SEV_FAIL, name, "IntraOrganizationConnector "
			    "'%s' points at %s, not a discovery endpoint of the %s cloud",
			    name, c->discovery_endpoint, ctx->cloud->name);
		finding_evidence(fd, "seen", "%s", c->discovery_endpoint);
	}
	finding_evidence(fd, "recommended", "%s", rec ? rec : "");
	/* Tenant discovery saying where the tenant lives settles the question. */
	if (ctx->probes != NULL && ctx->probes->tenant_cloud != NULL)
		finding_evidence(fd, "tenant cloud (live)", "%s",
		    ctx->probes->tenant_cloud->name);
	if (c->name != NULL)
		finding_evidence_param(fd, RP_CONNECTOR, "connector", "%s", c->name);
	routing_evidence(fd, rt);
	finding_remedy(fd, "ioc.onprem");
	return 1;
}

/*
 * An endpoint the cloud profile accepts, compared with what the live probe
 * of that endpoint got: Exchange Online answers it with a Bearer challenge.
 */
static int
judge_live_cloud_endpoint(const struct context *ctx, const struct snap_ioc *c,
    const char *seen, const struct org_routing *rt, struct findings *out)
{
	const struct probe *p;
	const char *name = c->name ? c->name : "(unnamed)";
	struct finding *fd;
	char *why;

	if (ctx->probes == NULL || seen == NULL ||
	    (p = probe_find_url(ctx->probes, PROBE_CLOUD_DISCOVERY, seen)) == NULL ||
	    p->planned_only)
		return 0;
	if (p->resp.outcome == HTTP_RESPONSE && p->resp.status == 401)
		return 0;
	why = p->resp.outcome == HTTP_RESPONSE ?
	    xasprintf("HTTP %ld", p->resp.status) : xstrdup(p->resp.error ?
	    p->resp.error : "no answer");
	fd = findings_add(out, SEV_WARN, name, "IntraOrganizationConnector '%s' "
	    "points at %s, which did not answer as Exchange Online from here "
	    "(%s)", name, seen, why);
	finding_evidence(fd, "seen", "%s", seen);
	finding_evidence(fd, "live answer", "%s", why);
	finding_evidence(fd, "recommended", "%s",
	    cloud_preferred(ctx->cloud, "discovery_endpoints"));
	finding_evidence_param(fd, RP_CONNECTOR, "connector", "%s", name);
	routing_evidence(fd, rt);
	finding_remedy(fd, "ioc.onprem");
	free(why);
	return 1;
}

void
check_ioc_onprem(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const char *routing, *rsrc = NULL;
	struct org_routing rt;
	size_t enabled = 0;
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, s->onprem.iocs_collected,
	    "onPremises.intraOrganizationConnectors",
	    "on-premises IntraOrganizationConnectors"))
		return;
	org_routing(ctx, &rt);
	routing = rt.domain;
	rsrc = rt.from;
	if (s->onprem.niocs == 0) {
		fd = findings_add(out, SEV_FAIL, "", "no IntraOrganizationConnector "
		    "from on-premises to Exchange Online");
		finding_evidence(fd, "recommended endpoint", "%s",
		    cloud_preferred(ctx->cloud, "discovery_endpoints"));
		routing_evidence(fd, &rt);
		finding_remedy(fd, "ioc.onprem");
		goto out;
	}
	for (size_t i = 0; i < s->onprem.niocs; i++) {
		const struct snap_ioc *c = &s->onprem.iocs[i];
		const char *name = c->name ? c->name : "(unnamed)", *seen = NULL;
		char *targets = cfg_join(&c->target_domains);
		int bad = 0, target_ok = 0;

		bad += judge_cloud_endpoint(ctx, c, out, &seen, &rt);
		if (c->enabled == TRI_FALSE) {
			fd = findings_add(out, SEV_FAIL, name, "IntraOrganizationConnector "
			    "'%s' is disabled", name);
			finding_remedy(fd, "ioc.onprem");
			bad++;
		} else
			enabled++;
		if (routing != NULL)
			target_ok = strlist_contains_ci(&c->target_domains, routing);
		else
			for (size_t k = 0; k < c->target_domains.n && !target_ok; k++)
				target_ok = org_has_routing_suffix(ctx->cloud,
				    c->target_domains.v[k]);
		if (!target_ok) {
			const struct cloud_field *rs = cloud_field(ctx->cloud,
			    "routing_domain_suffixes");

			if (routing != NULL)
				fd = findings_add(out, SEV_FAIL, name,
				    "IntraOrganizationConnector '%s' targets %s, not the "
				    "tenant's routing domain %s", name,
				    targets[0] ? targets : "no domain", routing);
			else
				fd = findings_add(out, SEV_FAIL, name,
				    "IntraOrganizationConnector '%s' targets %s, none of "
				    "them a %s routing domain (*.%s)", name,
				    targets[0] ? targets : "no domain", ctx->cloud->name,
				    rs && rs->values.n ? rs->values.v[0] : "?");
			finding_evidence(fd, "target address domains", "%s", targets);
			routing_evidence(fd, &rt);
			finding_remedy(fd, "ioc.onprem");
			bad++;
		}
		if (bad == 0)
			bad += judge_live_cloud_endpoint(ctx, c, seen, &rt, out);
		if (bad == 0) {
			const char *rec = cloud_preferred(ctx->cloud, "discovery_endpoints");
			int is_rec = cfg_url_eq(seen, rec);

			if (is_rec)
				fd = findings_add(out, SEV_PASS, name,
				    "IntraOrganizationConnector '%s' reaches Exchange "
				    "Online at %s", name, seen);
			else
				fd = findings_add(out, SEV_PASS, name,
				    "IntraOrganizationConnector '%s' reaches Exchange "
				    "Online at %s (accepted; recommended: %s)", name,
				    seen, rec);
			finding_evidence(fd, "seen", "%s", seen);
			finding_evidence(fd, "recommended", "%s", rec);
			finding_evidence(fd, "target address domains", "%s", targets);
			if (!routing)
				finding_evidence(fd, "routing domain from", "the cloud's "
				    "routing-domain suffixes (unverified)");
			else
				routing_evidence(fd, &rt);
		}
		free(targets);
	}
	if (enabled > 1) {
		fd = findings_add(out, SEV_WARN, "", "%zu enabled "
		    "IntraOrganizationConnectors on-premises: Exchange picks one per "
		    "target domain", enabled);
		finding_remedy(fd, "ioc.onprem");
	}
out:
	org_routing_release(&rt);
	(void)rsrc;
}

/* Hosts the organisation publishes for Exchange Online to reach it. */
static void
published_hosts(const struct context *ctx, struct strlist *hosts)
{
	const struct snapshot *s = ctx->snapshot;

	for (size_t i = 0; i < s->onprem.ndomains; i++) {
		char *h = xasprintf("autodiscover.%s", s->onprem.domains[i].name);

		if (!strlist_contains_ci(hosts, h))
			strlist_add(hosts, h);
		free(h);
	}
	for (size_t i = 0; i < s->onprem.nservers; i++) {
		const struct snap_server *sv = &s->onprem.servers[i];
		const struct snap_vdir *sets[2] = { sv->autodiscover, sv->ews };
		size_t ns[2] = { sv->nautodiscover, sv->news };

		for (size_t k = 0; k < 2; k++)
			for (size_t v = 0; v < ns[k]; v++) {
				char h[256];

				if (cfg_url_host(sets[k][v].external_url, h, sizeof(h)) == 0 &&
				    !strlist_contains_ci(hosts, h))
					strlist_add(hosts, h);
			}
	}
	for (size_t i = 0; i < ctx->hosts.n; i++)
		if (!strlist_contains_ci(hosts, ctx->hosts.v[i]))
			strlist_add(hosts, ctx->hosts.v[i]);
}

/* The on-premises domains the cloud connector must cover. */
static void
onprem_domains(const struct context *ctx, struct strlist *l, const char **from)
{
	const struct snapshot *s = ctx->snapshot;

	if (s->onprem.hybrid_domains.n > 0) {
		for (size_t i = 0; i < s->onprem.hybrid_domains.n; i++) {
			const char *d = s->onprem.hybrid_domains.v[i];

			/* "autod:contoso.com" marks the Autodiscover domain, listed plain too. */
			if (strncasecmp(d, "autod:", 6) == 0)
				d += 6;
			if (!org_has_routing_suffix(ctx->cloud, d) &&
			    !strlist_contains_ci(l, d))
				strlist_add(l, d);
		}
		*from = "HybridConfiguration domains";
		return;
	}
	*from = "on-premises authoritative accepted domains";
	for (size_t i = 0; i < s->onprem.ndomains; i++) {
		const struct snap_domain *d = &s->onprem.domains[i];
		const char *init = cloud_value(ctx->cloud, "initial_domain_suffix");
		char *dot = init ? xasprintf(".%s", init) : NULL;
		int cloudish = org_has_routing_suffix(ctx->cloud, d->name) ||
		    (dot && str_has_suffix_ci(d->name, dot));

		free(dot);
		if (cloudish || (d->type && !str_caseeq(d->type, "Authoritative")))
			continue;
		/* Only domains the tenant has too are shared. */
		if (s->exo.ndomains > 0) {
			int inexo = 0;

			for (size_t k = 0; k < s->exo.ndomains && !inexo; k++)
				inexo = str_caseeq(s->exo.domains[k].name, d->name);
			if (!inexo)
				continue;
		}
		strlist_add(l, d->name);
	}
}

/*
 * The host of Exchange Online's connector against the live probes: its
 * autodiscover.svc must answer as Exchange from outside, as the published
 * Autodiscover host does.
 */
static int
judge_live_onprem_endpoint(const struct context *ctx, const struct snap_ioc *c,
    const char *host, struct findings *out)
{
	const char *name = c->name ? c->name : "(unnamed)";
	const char *live = org_autodiscover_host(ctx);
	const struct probe *p;
	struct finding *fd;
	char *why;

	if (ctx->probes == NULL ||
	    (p = probe_find(ctx->probes, PROBE_ONPREM_SVC, NULL, host)) == NULL ||
	    p->planned_only || probe_answered(&p->resp))
		return 0;
	why = p->resp.outcome == HTTP_RESPONSE ?
	    xasprintf("HTTP %ld", p->resp.status) : xstrdup(p->resp.error ?
	    p->resp.error : "no answer");
	if (live != NULL)
		fd = findings_add(out, SEV_FAIL, name, "Exchange Online's "
		    "IntraOrganizationConnector '%s' points at %s, which does not "
		    "answer as Exchange from outside (%s); the published "
		    "Autodiscover host is %s", name, host, why, live);
	else
		fd = findings_add(out, SEV_FAIL, name, "Exchange Online's "
		    "IntraOrganizationConnector '%s' points at %s, which does not "
		    "answer as Exchange from outside (%s)", name, host, why);
	finding_evidence(fd, "seen", "%s", c->discovery_endpoint);
	finding_evidence(fd, "live answer", "%s", why);
	if (live != NULL) {
		finding_evidence(fd, "published autodiscover host", "%s", live);
		finding_evidence_param(fd, RP_DISCOVERY_ENDPOINT, "discovery endpoint",
		    "https://%s/autodiscover/autodiscover.svc", live);
	}
	finding_evidence_param(fd, RP_CONNECTOR, "connector", "%s", name);
	finding_remedy(fd, "ioc.cloud");
	free(why);
	return 1;
}

void
check_ioc_cloud(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	struct strlist hosts = { 0 }, want = { 0 };
	const char *from = NULL;
	struct finding *fd;
	char *hostlist = NULL;

	if (cfg_skip_unless(ctx, out, s->exo.present, "exchangeOnline",
	    "Exchange Online configuration"))
		return;
	published_hosts(ctx, &hosts);
	onprem_domains(ctx, &want, &from);
	hostlist = cfg_join(&hosts);
	if (s->exo.niocs == 0) {
		fd = findings_add(out, SEV_FAIL, "", "no IntraOrganizationConnector "
		    "from Exchange Online to on-premises");
		if (hosts.n > 0)
			finding_evidence(fd, "expected endpoint",
			    "https://%s/autodiscover/autodiscover.svc", hosts.v[0]);
		finding_remedy(fd, "ioc.cloud");
		goto out;
	}
	for (size_t i = 0; i < s->exo.niocs; i++) {
		const struct snap_ioc *c = &s->exo.iocs[i];
		const char *name = c->name ? c->name : "(unnamed)";
		char host[256], *path;
		struct strlist missing = { 0 };
		int bad = 0;

		if (c->enabled == TRI_FALSE) {
			fd = findings_add(out, SEV_FAIL, name, "Exchange Online's "
			    "IntraOrganizationConnector '%s' is disabled", name);
			finding_remedy(fd, "ioc.cloud");
			bad++;
		}
		path = xstrdup(cfg_url_path(c->discovery_endpoint));
		no_trailing_slash(path);
		if (cfg_url_host(c->discovery_endpoint, host, sizeof(host)) == -1 ||
		    strncasecmp(c->discovery_endpoint, "https://", 8) != 0) {
			fd = findings_add(out, SEV_FAIL, name, "Exchange Online's "
			    "IntraOrganizationConnector '%s' has no https "
			    "DiscoveryEndpoint", name);
			finding_evidence(fd, "seen", "%s", c->discovery_endpoint ?
			    c->discovery_endpoint : "");
			finding_remedy(fd, "ioc.cloud");
			bad++;
		} else if (strcasecmp(path, "/autodiscover/autodiscover.svc") != 0) {
			fd = findings_add(out, SEV_FAIL, name, "Exchange Online's "
			    "IntraOrganizationConnector '%s' points at %s, not an "
			    "autodiscover.svc endpoint", name, c->discovery_endpoint);
			finding_evidence(fd, "expected", "https://%s/autodiscover/"
			    "autodiscover.svc", host);
			finding_remedy(fd, "ioc.cloud");
			bad++;
		} else if (hosts.n > 0 && !strlist_contains_ci(&hosts, host)) {
			fd = findings_add(out, SEV_FAIL, name, "Exchange Online's "
			    "IntraOrganizationConnector '%s' points at %s, which the "
			    "on-premises organisation does not publish", name, host);
			finding_evidence(fd, "seen", "%s", c->discovery_endpoint);
			finding_evidence(fd, "published hosts", "%s", hostlist);
			finding_remedy(fd, "ioc.cloud");
			bad++;
		}
		free(path);
		if (bad == 0)
			bad += judge_live_onprem_endpoint(ctx, c, host, out);
		for (size_t k = 0; k < want.n; k++)
			if (!strlist_contains_ci(&c->target_domains, want.v[k]))
				strlist_add(&missing, want.v[k]);
		if (missing.n > 0) {
			char *m = cfg_join(&missing), *t = cfg_join(&c->target_domains);

			fd = findings_add(out, SEV_FAIL, name, "Exchange Online's "
			    "IntraOrganizationConnector '%s' does not cover %s", name, m);
			finding_evidence(fd, "target address domains", "%s", t);
			finding_evidence(fd, "missing", "%s", m);
			finding_evidence(fd, "domains from", "%s", from);
			finding_remedy(fd, "ioc.cloud");
			free(m);
			free(t);
			bad++;
		}
		strlist_release(&missing);
		if (bad == 0) {
			char *t = cfg_join(&c->target_domains);

			fd = findings_add(out, SEV_PASS, name, "Exchange Online reaches "
			    "on-premises at %s", c->discovery_endpoint);
			finding_evidence(fd, "target address domains", "%s", t);
			free(t);
		}
	}
out:
	free(hostlist);
	strlist_release(&hosts);
	strlist_release(&want);
}

/* Whether the proxy URL's host belongs to a server of 2013 SP1 or later. */
static const struct snap_server *
server_of_host(const struct snapshot *s, const char *host)
{
	for (size_t i = 0; i < s->onprem.nservers; i++) {
		const struct snap_server *sv = &s->onprem.servers[i];
		char h[256];

		if (str_caseeq(sv->fqdn, host) || str_caseeq(sv->name, host))
			return sv;
		for (size_t v = 0; v < sv->news; v++)
			if ((cfg_url_host(sv->ews[v].external_url, h, sizeof(h)) == 0 &&
			    strcmp(h, host) == 0) ||
			    (cfg_url_host(sv->ews[v].internal_url, h, sizeof(h)) == 0 &&
			    strcmp(h, host) == 0))
				return sv;
	}
	return NULL;
}

/*
 * The proxy the address space should use: the EWS URL of a server of
 * Exchange 2013 SP1 or later (external first: the name Exchange Online's
 * path already resolves), for the remedy to fill in.
 */
static void
proxy_evidence(const struct context *ctx, struct finding *fd)
{
	const struct snapshot *s = ctx->snapshot;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < s->onprem.nservers; i++) {
			const struct snap_server *sv = &s->onprem.servers[i];

			if (cfg_is_edge(sv) || !sv->version.valid ||
			    snapshot_version_cmp(&sv->version, &sp1) < 0)
				continue;
			for (size_t v = 0; v < sv->news; v++) {
				const char *u = pass == 0 ? sv->ews[v].external_url :
				    sv->ews[v].internal_url;

				if (u != NULL && strncasecmp(u, "https://", 8) == 0) {
					finding_evidence_param(fd, RP_PROXY_URL, "proxy url", "%s", u);
					return;
				}
			}
		}
}

void
check_availability_address_space(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	struct strlist old = { 0 };
	const char *routing;
	struct org_routing rt = { 0 };
	char *names = NULL;
	size_t matched = 0;
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, s->onprem.nservers > 0, "onPremises.servers",
	    "Exchange servers"))
		return;
	for (size_t i = 0; i < s->onprem.nservers; i++) {
		const struct snap_server *sv = &s->onprem.servers[i];

		if (!cfg_is_edge(sv) && sv->version.valid &&
		    snapshot_version_cmp(&sv->version, &sp1) < 0)
			strlist_add(&old, sv->name ? sv->name : "(unnamed)");
	}
	if (old.n == 0) {
		findings_add(out, SEV_PASS, "", "not required: no server older "
		    "than Exchange 2013 SP1 (15.0.847.32)");
		return;
	}
	if (cfg_skip_unless(ctx, out, s->onprem.spaces_collected,
	    "onPremises.availabilityAddressSpaces", "AvailabilityAddressSpaces"))
		goto out;
	names = cfg_join(&old);
	org_routing(ctx, &rt);
	routing = rt.domain;
	for (size_t i = 0; i < s->onprem.nspaces; i++) {
		const struct snap_address_space *a = &s->onprem.spaces[i];
		const struct snap_server *via;
		const char *forest = a->forest ? a->forest : "(no forest)";
		char host[256];
		int bad = 0;

		if (routing != NULL ? !str_caseeq(a->forest, routing) :
		    (ctx->cloud == NULL || a->forest == NULL ||
		    !org_has_routing_suffix(ctx->cloud, a->forest)))
			continue;
		matched++;
		if (a->method != ACCESS_INTERNALPROXY) {
			fd = findings_add(out, SEV_FAIL, forest, "AvailabilityAddressSpace "
			    "'%s' uses %s, not InternalProxy", forest,
			    a->method_text ? a->method_text : "no access method");
			finding_remedy(fd, "availability.address-space");
			bad++;
		}
		if (a->use_service_account != TRI_TRUE) {
			fd = findings_add(out, SEV_FAIL, forest, "AvailabilityAddressSpace "
			    "'%s' does not use the service account", forest);
			finding_remedy(fd, "availability.address-space");
			bad++;
		}
		if (cfg_url_host(a->proxy_url, host, sizeof(host)) == -1 ||
		    !str_has_suffix_ci(cfg_url_path(a->proxy_url), "/ews/exchange.asmx")) {
			fd = findings_add(out, SEV_FAIL, forest, "AvailabilityAddressSpace "
			    "'%s' has ProxyUrl '%s', not the EWS URL of a server", forest,
			    a->proxy_url ? a->proxy_url : "");
			finding_remedy(fd, "availability.address-space");
			bad++;
		} else if ((via = server_of_host(s, host)) != NULL &&
		    via->version.valid && snapshot_version_cmp(&via->version, &sp1) < 0) {
			fd = findings_add(out, SEV_FAIL, forest, "AvailabilityAddressSpace "
			    "'%s' proxies through '%s', itself older than Exchange 2013 SP1",
			    forest, via->name ? via->name : host);
			finding_evidence_param(fd, RP_PROXY_URL, "proxy url", "%s", a->proxy_url);
			finding_remedy(fd, "availability.address-space");
			bad++;
		}
		if (bad == 0) {
			fd = findings_add(out, SEV_PASS, forest, "AvailabilityAddressSpace "
			    "'%s' proxies through %s for %s", forest, a->proxy_url, names);
			finding_evidence(fd, "servers older than 2013 SP1", "%s", names);
		}
	}
	if (matched == 0) {
		fd = findings_add(out, SEV_FAIL, "", "%zu server(s) older than Exchange "
		    "2013 SP1 (%s) and no AvailabilityAddressSpace for %s", old.n,
		    names, routing ? routing : "the tenant's routing domain");
		finding_evidence(fd, "servers older than 2013 SP1", "%s", names);
		routing_evidence(fd, &rt);
		proxy_evidence(ctx, fd);
		finding_remedy(fd, "availability.address-space");
	}
out:
	org_routing_release(&rt);
	free(names);
	strlist_release(&old);
}

static int
judge_vdirs(const struct snap_server *sv, const char *kind,
    const struct snap_vdir *v, size_t n, struct findings *out)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		struct finding *fd;
		char *subj;

		if (v[i].oauth != TRI_FALSE)
			continue;
		subj = xasprintf("%s\\%s", sv->name ? sv->name : "",
		    v[i].name ? v[i].name : kind);
		fd = findings_add(out, SEV_FAIL, subj, "OAuth is off on the %s "
		    "virtual directory of '%s'", kind, sv->name ? sv->name : "");
		finding_evidence(fd, "external url", "%s", v[i].external_url ?
		    v[i].external_url : "");
		finding_remedy(fd, "vdir.oauth");
		free(subj);
		bad++;
	}
	return bad;
}

void
check_vdir_oauth(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	struct strlist unknown = { 0 };
	size_t ok = 0;
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, s->onprem.nservers > 0, "onPremises.servers",
	    "Exchange servers"))
		return;
	for (size_t i = 0; i < s->onprem.nservers; i++) {
		const struct snap_server *sv = &s->onprem.servers[i];
		int bad;

		if (!cfg_is_oauth_server(sv))
			continue;
		if (!sv->vdirs_collected) {
			strlist_add(&unknown, sv->name ? sv->name : "(unnamed)");
			continue;
		}
		bad = judge_vdirs(sv, "Autodiscover", sv->autodiscover,
		    sv->nautodiscover, out);
		bad += judge_vdirs(sv, "EWS", sv->ews, sv->news, out);
		if (bad == 0)
			ok++;
	}
	if (unknown.n > 0) {
		char *names = cfg_join(&unknown);

		fd = findings_add(out, SEV_INFO, "", "virtual directories were not "
		    "collected from %s", names);
		finding_evidence(fd, "servers", "%s", names);
		free(names);
	}
	strlist_release(&unknown);
	if (ok > 0)
		findings_add(out, SEV_PASS, "", "OAuth is on for Autodiscover and "
		    "EWS on %zu server(s)", ok);
}

void
check_org_relationship_dauth(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	struct strlist rels = { 0 };
	int ioc = 0;
	struct finding *fd;
	char *names;

	if (cfg_skip_unless(ctx, out, s->onprem.present, "onPremises",
	    "on-premises configuration"))
		return;
	for (size_t i = 0; i < s->onprem.niocs; i++)
		ioc |= s->onprem.iocs[i].enabled != TRI_FALSE;
	for (size_t i = 0; i < s->exo.niocs; i++)
		ioc |= s->exo.iocs[i].enabled != TRI_FALSE;
	for (size_t i = 0; i < s->onprem.norgrels; i++)
		if (s->onprem.orgrels[i].enabled != TRI_FALSE)
			strlist_add(&rels, s->onprem.orgrels[i].name ?
			    s->onprem.orgrels[i].name : "(unnamed)");
	for (size_t i = 0; i < s->exo.norgrels; i++)
		if (s->exo.orgrels[i].enabled != TRI_FALSE)
			strlist_add(&rels, s->exo.orgrels[i].name ?
			    s->exo.orgrels[i].name : "(unnamed)");
	if (rels.n == 0)
		return;
	names = cfg_join(&rels);
	if (ioc)
		fd = findings_add(out, SEV_INFO, "", "OrganizationRelationship %s "
		    "and an enabled IntraOrganizationConnector both exist: Exchange "
		    "uses the connector (OAuth) and does not fall back", names);
	else if (strcmp(ctx->cloud->name, "china") == 0) {
		fd = findings_add(out, SEV_FAIL, "", "only OrganizationRelationship "
		    "%s (federation trust, DAuth): in 21Vianet DAuth cannot serve "
		    "free/busy; OAuth with IntraOrganizationConnectors is the only way",
		    names);
		finding_remedy(fd, "ioc.onprem");
	} else
		fd = findings_add(out, SEV_INFO, "", "free/busy uses "
		    "OrganizationRelationship %s (federation trust, DAuth); no "
		    "IntraOrganizationConnector is enabled", names);
	finding_evidence(fd, "organization relationships", "%s", names);
	free(names);
	strlist_release(&rels);
}
