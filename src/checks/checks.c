#include "checks.h"

#include <string.h>

#include "check_fns.h"

/*
 * The catalogue, in the order an administrator reads a report: which cloud,
 * then the tenant, the certificate, the SPNs, the endpoints, the
 * configuration. Ids are stable; each has docs/checks/<id>.md.
 */
const struct check checks[] = {
	{ "cloud.selection", "The cloud profile matches the domain",
	  INPUT_DOMAIN | INPUT_CLOUD, check_cloud_selection },
	{ "tenant.discovery", "The domain's tenant and cloud are found",
	  INPUT_DOMAIN | INPUT_NETWORK, check_tenant_discovery },
	{ "acs.metadata", "The tenant's ACS auth metadata is served in this cloud",
	  INPUT_DOMAIN | INPUT_CLOUD | INPUT_NETWORK, check_acs_metadata },
	{ "acs.keys", "The ACS document holds a usable signing key",
	  INPUT_DOMAIN | INPUT_CLOUD | INPUT_NETWORK, check_acs_keys },
	{ "federation.domains", "Exchange Online federates the domain and confirms the routing domain",
	  INPUT_DOMAIN | INPUT_CLOUD | INPUT_NETWORK, check_federation_domains },
	{ "auth-cert.thumbprint", "The Auth certificate is the one Get-AuthConfig names",
	  INPUT_CERT | INPUT_THUMBPRINT, check_cert_thumbprint },
	{ "auth-cert.validity", "The Auth certificate is in date",
	  INPUT_CERT, check_cert_validity },
	{ "auth-cert.key", "The Auth certificate's key, signature and subject",
	  INPUT_CERT, check_cert_key },
	{ "auth-cert.next", "The next Auth certificate is ready for the rollover",
	  INPUT_NEXT_CERT, check_cert_next },
	{ "spn.coverage", "SPN host authorities cover every published host",
	  INPUT_SPNS | INPUT_HOSTS, check_spn_coverage },
	{ "spn.entries", "The SPN entries are well formed",
	  INPUT_SPNS, check_spn_entries },
	{ "endpoint.cloud-discovery", "The cloud's Autodiscover endpoints answer with a Bearer challenge",
	  INPUT_CLOUD | INPUT_NETWORK, check_endpoint_cloud_discovery },
	{ "endpoint.onprem-autodiscover", "The on-premises autodiscover.svc is reachable from outside",
	  INPUT_HOSTS | INPUT_NETWORK, check_endpoint_onprem_autodiscover },
	{ "endpoint.ews", "The on-premises EWS endpoints are reachable from outside",
	  INPUT_HOSTS | INPUT_NETWORK, check_endpoint_ews },
	{ "tls.certificate", "Published certificates chain, name the host, are in date",
	  INPUT_NETWORK, check_tls_certificate },
	{ "oauth.challenge", "On-premises endpoints offer OAuth and trust the tenant",
	  INPUT_HOSTS | INPUT_NETWORK, check_oauth_challenge },
	{ "oauth.issuer", "The ACS issuer on-premises trusts is one Exchange Online names",
	  INPUT_CLOUD | INPUT_NETWORK, check_oauth_issuer },
	{ "onprem.metadata", "The on-premises auth metadata names the Auth certificate",
	  INPUT_HOSTS | INPUT_NETWORK, check_onprem_metadata },
	{ "autodiscover.discovery", "Clients find Autodiscover for the domain",
	  INPUT_DOMAIN | INPUT_NETWORK, check_autodiscover_discovery },
	{ "clock.skew", "Server clocks agree within 5 minutes",
	  INPUT_NETWORK, check_clock_skew },
	{ "dns.split-view", "Internal and external DNS agree on published hosts",
	  INPUT_NETWORK, check_dns_split_view },
	{ "token.decode", "The token decodes, and what each claim says",
	  INPUT_TOKEN, check_token_decode },
	{ "token.signature", "The token is signed by a known key",
	  INPUT_TOKEN, check_token_signature },
	{ "token.lifetime", "The token is valid now, within the clock skew",
	  INPUT_TOKEN, check_token_lifetime },
	{ "token.audience", "The token's audience host is one the trust covers",
	  INPUT_TOKEN, check_token_audience },
	{ "token.issuer", "The token is issued for the tenant",
	  INPUT_TOKEN, check_token_issuer },
	{ "token.keypair", "Entra and the exported certificate hold the key Exchange signs with",
	  INPUT_SIGNING_KEY, check_token_keypair },
	{ "authserver.acs", "The ACS AuthServer trusts this cloud and tenant",
	  INPUT_SNAPSHOT | INPUT_CLOUD, check_authserver_acs },
	{ "authserver.evosts", "One EvoSTS AuthServer trusts the dedicated hybrid application",
	  INPUT_SNAPSHOT | INPUT_CLOUD, check_authserver_evosts },
	{ "partner-app.exo", "The Exchange Online PartnerApplication is enabled",
	  INPUT_SNAPSHOT, check_partner_app_exo },
	{ "auth-config.certificate", "The Auth certificate is valid on every server",
	  INPUT_SNAPSHOT, check_auth_config },
	{ "hybrid.model", "The dedicated Exchange hybrid application is in use",
	  INPUT_SNAPSHOT, check_hybrid_model },
	{ "hybrid-app.override", "The hybrid application override is enabled",
	  INPUT_SNAPSHOT, check_hybrid_app_override },
	{ "servers.build", "Every server is at the hybrid application's minimum build",
	  INPUT_SNAPSHOT, check_servers_build },
	{ "model.exchange-se", "Mailbox servers move to Exchange SE before T2",
	  INPUT_SNAPSHOT, check_model_exchange_se },
	{ "hybrid-app.permissions", "The hybrid application holds full_access_as_app",
	  INPUT_SNAPSHOT, check_hybrid_app_permissions },
	{ "graph-route.config", "The Graph route, where switched on, has every part it needs",
	  INPUT_SNAPSHOT | INPUT_CLOUD, check_graph_route_config },
	{ "graph-route.builds", "Which servers use the Graph route, and its known defects by build",
	  INPUT_SNAPSHOT, check_graph_route_builds },
	{ "auth-cert.entra", "The Auth certificate is registered in Entra ID",
	  INPUT_SNAPSHOT, check_auth_cert_entra },
	{ "ioc.onprem", "The on-premises IntraOrganizationConnector reaches the cloud",
	  INPUT_SNAPSHOT | INPUT_CLOUD, check_ioc_onprem },
	{ "ioc.cloud", "Exchange Online's IntraOrganizationConnector reaches on-premises",
	  INPUT_SNAPSHOT | INPUT_CLOUD, check_ioc_cloud },
	{ "exo.ews-gate", "Exchange Online's EWS gate lets the hybrid lookups through",
	  INPUT_SNAPSHOT, check_exo_ews_gate },
	{ "hybrid-config.exo-ioc", "Exchange Online's IntraOrganizationConfiguration agrees with its connector",
	  INPUT_SNAPSHOT, check_hybrid_config_exo_ioc },
	{ "hybrid-config.service-instance", "HybridConfiguration's ServiceInstance names the tenant's cloud",
	  INPUT_SNAPSHOT | INPUT_CLOUD, check_hybrid_config_service_instance },
	{ "availability.address-space", "Pre-2013 SP1 servers have an availability address space",
	  INPUT_SNAPSHOT, check_availability_address_space },
	{ "vdir.oauth", "OAuth is on for Autodiscover and EWS on every server",
	  INPUT_SNAPSHOT, check_vdir_oauth },
	{ "org-relationship.dauth", "Free/busy does not depend on DAuth where it cannot work",
	  INPUT_SNAPSHOT | INPUT_CLOUD, check_org_relationship_dauth },
	{ NULL, NULL, 0, NULL },
};

void
checks_missing_text(unsigned missing, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned bit = 1; bit <= INPUT_LAST; bit <<= 1) {
		int n;

		if (!(missing & bit))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
		    input_hint((enum input)bit));
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

const struct check *
checks_find(const char *id)
{
	for (const struct check *c = checks; c->id; c++)
		if (strcmp(c->id, id) == 0)
			return c;
	return NULL;
}

int
checks_selected(const char *id, const char *const *prefixes)
{
	if (prefixes == NULL)
		return 1;
	for (; *prefixes; prefixes++)
		if (strncmp(id, *prefixes, strlen(*prefixes)) == 0)
			return 1;
	return 0;
}

void
checks_run(const struct context *ctx, const char *const *prefixes,
    struct findings *out)
{
	for (const struct check *c = checks; c->id; c++) {
		unsigned missing = c->needs & ~ctx->have;
		size_t before = out->n;
		char need[512];
		struct finding *fd;

		if (!checks_selected(c->id, prefixes))
			continue;
		out->current_check = c->id;
		out->current_title = c->title;
		if (missing) {
			checks_missing_text(missing, need, sizeof(need));
			fd = findings_add(out, SEV_SKIP, "", "needs %s", need);
			finding_evidence(fd, "missing", "%s", need);
			continue;
		}
		c->run(ctx, out);
		if (out->n == before)
			findings_add(out, SEV_PASS, "", "%s", c->title);
	}
	out->current_check = NULL;
	out->current_title = NULL;
}
