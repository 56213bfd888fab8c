/*
 * Steps that run in Exchange Online PowerShell: the connector from the
 * cloud to on-premises, and the EWS gate's list of applications.
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
	/* A Hybrid Agent's connector is never rewritten (PROTOCOLS 12.9). */
	ps1_code(p, "$agentIoc = @(Get-IntraOrganizationConnector | Where-Object { ([string]$_.DiscoveryEndpoint + ' ' + [string]$_.TargetSharingEpr) -match '\\.resource\\.mailboxmigration\\.his\\.msappproxy\\.net' })\n"
	    "if ($agentIoc.Count -gt 0) {\n"
	    "    Write-Warning ('Exchange Online reaches on-premises through the Hybrid Agent (connector ' + $agentIoc[0].Name + '): its connectors are left alone; change them with the Hybrid Configuration Wizard')\n"
	    "} else {\n");
	remedy_ioc_logic(p);
	ps1_code(p, "}\n");
out:
	ps1_step_end(p);
	free(host);
	free(url);
}

/*
 * Read, merge, write: -EwsAllowedAppIDs replaces the whole list, so the
 * step reads it (only -RetrieveEwsOperationAccessPolicy returns it), keeps
 * every id and adds the application's. EwsEnabled is left as it is: True
 * with a list blocks every other EWS application, the organisation's call.
 */
void
remedy_ews_allow_app(struct ps1 *p, const struct remedy_job *j)
{
	const char *app = remedy_param(j, RP_APP_ID);

	ps1_step_begin(p, PS1_EXO, j->r->id);
	remedy_header(p, j);
	if (app == NULL) {
		remedy_unfilled(p, j, "the dedicated hybrid application's id",
		    "--snapshot with an AzureAD AuthServer", "Set-OrganizationConfig "
		    "-EwsAllowedAppIDs '<existing ids>,<app id>'");
		goto out;
	}
	ps1_comment(p, "Exchange Online takes up to 24 hours to apply a new list; "
	    "EwsEnabled is not changed here");
	ps1_code(p, "$ewsAppId = ");
	ps1_add_guid(p, "application id", app);
	ps1_code(p, "\n"
	    "$oc = Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy\n"
	    "$ewsIds = @(@($oc.EwsAllowedAppIDs) | ForEach-Object { ([string]$_) -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })\n"
	    "if (@($ewsIds | Where-Object { $_ -eq $ewsAppId }).Count -gt 0) {\n"
	    "    Write-Host ('unchanged: EwsAllowedAppIDs already holds ' + $ewsAppId)\n"
	    "} else {\n"
	    "    $ewsIds += $ewsAppId\n"
	    "    if ($PSCmdlet.ShouldProcess('EwsAllowedAppIDs', 'Set-OrganizationConfig: add ' + $ewsAppId + ' (' + $ewsIds.Count + ' ids in all)')) {\n"
	    "        Set-OrganizationConfig -EwsAllowedAppIDs ($ewsIds -join ',')\n"
	    "        Write-Host 'EwsAllowedAppIDs written; Exchange Online can take up to 24 hours to apply it'\n"
	    "    }\n"
	    "}\n"
	    "if ($null -eq $oc.EwsEnabled -or -not $oc.EwsEnabled) {\n"
	    "    Write-Warning ('EwsEnabled is ' + $(if ($null -eq $oc.EwsEnabled) { 'Null' } else { [string]$oc.EwsEnabled }) + ': the list applies once EwsEnabled is True; setting it True blocks every EWS application not listed, so decide it for the organisation (Set-OrganizationConfig -EwsEnabled $true)')\n"
	    "}\n");
out:
	ps1_step_end(p);
}
