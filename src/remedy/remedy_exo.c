/*
 * Steps that run in Exchange Online PowerShell: the connector from the
 * cloud to on-premises.
 */
#include "remedy_steps.h"

#include <stdlib.h>

void
remedy_ioc_cloud(struct ps1 *p, const struct remedy_job *j)
{
	const char *given = remedy_param(j, RP_DISCOVERY_ENDPOINT), *name = remedy_param(j, RP_CONNECTOR);
	const char *dom = remedy_param(j, RP_DOMAIN);
	char *host = remedy_onprem_host(j->in), *url = NULL;

	if (dom == NULL)
		dom = j->in->domain;
	if (given != NULL)
		url = xstrdup(given);
	else if (host != NULL)
		url = xasprintf("https://%s/autodiscover/autodiscover.svc", host);
	ps1_step_begin(p, PS1_EXO, j->r->id);
	remedy_header(p, j);
	if (dom == NULL || url == NULL) {
		remedy_unfilled(p, j, "the organisation's domain and published Autodiscover host",
		    "--domain D", "New-IntraOrganizationConnector -Name "
		    "ExchangeHybridOnlineToOnPremises -DiscoveryEndpoint "
		    "https://autodiscover.<domain>/autodiscover/autodiscover.svc "
		    "-TargetAddressDomains <domain>");
		goto out;
	}
	ps1_code(p, "$iocName = ");
	ps1_add_text(p, "connector name", name ? name : "ExchangeHybridOnlineToOnPremises");
	ps1_code(p, "\n$iocUrl = ");
	ps1_add_url(p, "discovery endpoint", url, j->onprem_hosts);
	ps1_code(p, "\n$iocAccept = @($iocUrl)\n$iocDomain = ");
	ps1_add_dnsname(p, "domain", dom);
	ps1_code(p, "\n");
	remedy_ioc_logic(p);
out:
	ps1_step_end(p);
	free(host);
	free(url);
}
