/* ioc.onprem and ioc.cloud: how each side's IntraOrganizationConnector finds the other. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cfg.h"
#include "check_fns.h"
#include "probe.h"
#include "str.h"

static void
no_trailing_slash(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '/')
		s[--n] = '\0';
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
	cfg_routing_evidence(fd, rt);
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
	cfg_routing_evidence(fd, rt);
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

	if (cfg_skip_part(ctx, out, s->onprem.iocs_collected,
	    "onPremises.intraOrganizationConnectors",
	    "on-premises IntraOrganizationConnectors") ||
	    cfg_skip_oauth_unused(ctx, out, "the on-premises -> cloud "
	    "IntraOrganizationConnector"))
		return;
	org_routing(ctx, &rt);
	routing = rt.domain;
	rsrc = rt.from;
	if (s->onprem.niocs == 0) {
		fd = findings_add(out, SEV_FAIL, "", "no IntraOrganizationConnector "
		    "from on-premises to Exchange Online");
		finding_evidence(fd, "recommended endpoint", "%s",
		    cloud_preferred(ctx->cloud, "discovery_endpoints"));
		cfg_routing_evidence(fd, &rt);
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
			cfg_routing_evidence(fd, &rt);
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
				cfg_routing_evidence(fd, &rt);
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

/*
 * A connector whose endpoint is a Hybrid Agent's (PROTOCOLS 12.9): only
 * Exchange Online reaches it, so the on-premises Autodiscover host is not
 * asked for, and no step rewrites it (the remedy would point it at a host
 * the organisation does not publish). Returns the findings that are bad.
 */
/*
 * The agent's name as the Internet resolves it (PROTOCOLS 12.9): looked up
 * in the public view when the run had the network, never connected to.
 * Returns 1 when it does not resolve; *addrs (caller frees) the answer.
 */
static int
judge_agent_dns(const struct context *ctx, const struct model *m,
    const char *name, struct findings *out, char **addrs)
{
	const struct probe_results *r = ctx->probes;
	const struct dns_host *h;
	struct finding *fd;
	char *agent;
	int status, bad = 0;

	*addrs = NULL;
	if (r == NULL || !(ctx->have & INPUT_NETWORK) || m->agent_guid == NULL)
		return 0;
	agent = xasprintf("%s" MODEL_AGENT_SUFFIX, m->agent_guid);
	h = dns_hostset_find(&r->hosts, agent, probe_public_view(r));
	if (h == NULL || !dns_host_done(h)) {
		free(agent);
		return 0;
	}
	if (dns_host_ok(h)) {
		struct strlist all = { 0 };

		for (size_t i = 0; i < h->a.addrs.n; i++)
			strlist_add(&all, h->a.addrs.v[i]);
		for (size_t i = 0; i < h->aaaa.addrs.n; i++)
			strlist_add(&all, h->aaaa.addrs.v[i]);
		*addrs = cfg_join(&all);
		strlist_release(&all);
		free(agent);
		return 0;
	}
	status = h->a.status != DNS_ENODATA ? h->a.status : h->aaaa.status;
	if (status == DNS_ENXDOMAIN || status == DNS_ENODATA) {
		fd = findings_add(out, SEV_FAIL, name, "the Hybrid Agent's name %s "
		    "does not resolve (%s): Exchange Online cannot reach on-premises "
		    "through it, so cloud -> on-premises free/busy fails; the agent "
		    "was removed or its registration is gone: reinstall it or re-run "
		    "the Hybrid Configuration Wizard (no step rewrites the connector)",
		    agent, dns_status_text(status));
		bad = 1;
	} else
		fd = findings_add(out, SEV_WARN, name, "the Hybrid Agent's name %s "
		    "could not be resolved (%s): whether Exchange Online can reach "
		    "on-premises through it is not known", agent,
		    dns_status_text(status));
	finding_evidence(fd, "hybrid agent", "%s", m->agent_guid);
	finding_evidence(fd, "looked up in", "%s", r->view_names[probe_public_view(r)] ?
	    r->view_names[probe_public_view(r)] : "the resolver");
	free(agent);
	return bad;
}

static int
judge_agent_connector(const struct context *ctx, const struct snap_ioc *c,
    const struct model *m, const struct strlist *want, const char *from,
    struct findings *out)
{
	const char *name = c->name ? c->name : "(unnamed)";
	struct strlist missing = { 0 };
	struct finding *fd;
	char *guids = cfg_join(&m->agent_guids), *urls = cfg_join(&m->agent_urls);
	char *addrs = NULL;
	int bad = 0;

	if (c->enabled == TRI_FALSE) {
		fd = findings_add(out, SEV_FAIL, name, "Exchange Online's "
		    "IntraOrganizationConnector '%s' (Hybrid Agent) is disabled; "
		    "enable it as it is (Set-IntraOrganizationConnector -Enabled "
		    "$true), keeping its endpoint", name);
		bad++;
	}
	if (m->agent_guids.n > 1) {
		fd = findings_add(out, SEV_FAIL, name, "the Hybrid Agent endpoints "
		    "name %zu different agents (%s): connector and relationship "
		    "must point at the same one; re-run the Hybrid Configuration "
		    "Wizard", m->agent_guids.n, guids);
		finding_evidence(fd, "hybrid agent seen at", "%s", urls);
		bad++;
	}
	for (size_t k = 0; k < want->n; k++)
		if (!strlist_contains_ci(&c->target_domains, want->v[k]))
			strlist_add(&missing, want->v[k]);
	if (missing.n > 0) {
		char *mm = cfg_join(&missing);

		fd = findings_add(out, SEV_FAIL, name, "Exchange Online's "
		    "IntraOrganizationConnector '%s' (Hybrid Agent) does not cover "
		    "%s; add them with -TargetAddressDomains and keep its endpoint",
		    name, mm);
		finding_evidence(fd, "missing", "%s", mm);
		finding_evidence(fd, "domains from", "%s", from);
		free(mm);
		bad++;
	}
	strlist_release(&missing);
	bad += judge_agent_dns(ctx, m, name, out, &addrs);
	if (bad == 0) {
		fd = findings_add(out, SEV_PASS, name, "Exchange Online reaches "
		    "on-premises through the Hybrid Agent %s (reachable only from "
		    "Exchange Online: %s; the on-premises Autodiscover host "
		    "is not needed for this direction)", m->agent_guid, addrs ?
		    "its name resolves, not connected to" : "not probed");
		finding_evidence(fd, "hybrid agent", "%s", m->agent_guid);
		finding_evidence(fd, "hybrid agent seen at", "%s", urls);
		if (addrs)
			finding_evidence(fd, "hybrid agent resolves to", "%s", addrs);
	}
	free(addrs);
	free(guids);
	free(urls);
	return bad;
}

void
check_ioc_cloud(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	struct strlist hosts = { 0 }, want = { 0 };
	const char *from = NULL;
	struct finding *fd;
	char *hostlist = NULL;
	struct model agent = { 0 };

	if (cfg_skip_unless(ctx, out, s->exo.present, "exchangeOnline",
	    "Exchange Online configuration") ||
	    cfg_skip_part(ctx, out, 1, "exchangeOnline.intraOrganizationConnectors",
	    "Exchange Online IntraOrganizationConnectors") ||
	    cfg_skip_oauth_unused(ctx, out, "Exchange Online's cloud -> "
	    "on-premises IntraOrganizationConnector"))
		return;
	published_hosts(ctx, &hosts);
	onprem_domains(ctx, &want, &from);
	hostlist = cfg_join(&hosts);
	model_classify(ctx, &agent);
	if (s->exo.niocs == 0 && agent.hybrid_agent) {
		findings_add(out, SEV_FAIL, "", "no IntraOrganizationConnector from "
		    "Exchange Online to on-premises, and the organisation uses the "
		    "Hybrid Agent %s: re-run the Hybrid Configuration Wizard (no "
		    "step writes an endpoint the agent should own)", agent.agent_guid);
		goto out;
	}
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

		if (model_agent_url(c->discovery_endpoint, NULL, 0) ||
		    model_agent_url(c->target_sharing, NULL, 0)) {
			judge_agent_connector(ctx, c, &agent, &want, from, out);
			continue;
		}
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
	model_release(&agent);
	free(hostlist);
	strlist_release(&hosts);
	strlist_release(&want);
}
