/* availability.address-space: pre-2013 SP1 servers proxy free/busy through a newer one. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cfg.h"
#include "check_fns.h"
#include "probe.h"
#include "str.h"

/* Exchange 2013 SP1: older servers need an AvailabilityAddressSpace. */
static const struct snap_version sp1 = { { 15, 0, 847, 32 }, 1 };

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

			if (org_server_is_edge(sv) || !sv->version.valid ||
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

		if (!org_server_is_edge(sv) && sv->version.valid &&
		    snapshot_version_cmp(&sv->version, &sp1) < 0)
			strlist_add(&old, sv->name ? sv->name : "(unnamed)");
	}
	if (old.n == 0) {
		findings_add(out, SEV_PASS, "", "not required: no server older "
		    "than Exchange 2013 SP1 (15.0.847.32)");
		return;
	}
	if (cfg_skip_part(ctx, out, s->onprem.spaces_collected,
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
		cfg_routing_evidence(fd, &rt);
		proxy_evidence(ctx, fd);
		finding_remedy(fd, "availability.address-space");
	}
out:
	org_routing_release(&rt);
	free(names);
	strlist_release(&old);
}
