/*
 * Steps that run in the Exchange Management Shell on-premises: the trust
 * in the cloud's issuer, the partner application, the Auth certificate,
 * the connector to the cloud, the availability address space, OAuth on the
 * virtual directories. The dedicated hybrid application's steps are in
 * remedy_hybridapp.c.
 */
#include "msid.h"
#include "remedy_steps.h"
#include "str.h"

#include <stdlib.h>
#include <string.h>

/* The ACS metadata URL for the tenant, or NULL; caller frees. */
static char *
acs_url(const struct remedy_job *j)
{
	const char *e = remedy_param(j, RP_ACS_METADATA_URL), *dom;

	if (e != NULL)
		return xstrdup(e);
	dom = j->in->acs_domain ? j->in->acs_domain : j->in->domain;
	if (dom == NULL || cloud_value(j->in->cloud, "acs_metadata_url") == NULL)
		return NULL;
	return cloud_expand(cloud_value(j->in->cloud, "acs_metadata_url"), dom);
}

void
remedy_acs_create(struct ps1 *p, const struct remedy_job *j)
{
	char *url = acs_url(j);

	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	remedy_header(p, j);
	if (url == NULL) {
		remedy_unfilled(p, j, "the tenant domain for the ACS metadata URL",
		    "--domain D", "New-AuthServer -Name MicrosoftAzureACS "
		    "-AuthMetadataUrl <ACS metadata URL>");
		goto out;
	}
	ps1_code(p, "$acsUrl = ");
	ps1_add_url(p, "ACS metadata URL", url, j->cloud_hosts);
	ps1_code(p, "\n"
	    "$acs = @(Get-AuthServer | Where-Object { $_.AuthMetadataUrl -eq $acsUrl })\n"
	    "if ($acs.Count -gt 0) {\n"
	    "    Write-Host ('unchanged: AuthServer ' + $acs[0].Name + ' already uses ' + $acsUrl)\n"
	    "} elseif (Get-AuthServer -Identity 'MicrosoftAzureACS' -ErrorAction SilentlyContinue) {\n"
	    "    Write-Warning 'an AuthServer named MicrosoftAzureACS exists with another URL: correct it (authserver.acs.fix) rather than add a second'\n"
	    "} elseif ($PSCmdlet.ShouldProcess($acsUrl, 'New-AuthServer MicrosoftAzureACS')) {\n"
	    "    New-AuthServer -Name 'MicrosoftAzureACS' -AuthMetadataUrl $acsUrl\n"
	    "}\n");
out:
	ps1_step_end(p);
	free(url);
}

void
remedy_acs_fix(struct ps1 *p, const struct remedy_job *j)
{
	const char *name = remedy_param(j, RP_AUTHSERVER), *realm;
	const char *issuer = remedy_param(j, RP_ACS_ISSUER);
	char *url = acs_url(j);

	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	remedy_header(p, j);
	if (url == NULL) {
		remedy_unfilled(p, j, "the tenant domain for the ACS metadata URL",
		    "--domain D", "Set-AuthServer -Identity <ACS AuthServer> "
		    "-AuthMetadataUrl <ACS metadata URL>; Set-AuthServer -Enabled $true");
		goto out;
	}
	ps1_code(p, "$acsUrl = ");
	ps1_add_url(p, "ACS metadata URL", url, j->cloud_hosts);
	ps1_code(p, "\n");
	/* The realm the tenant's metadata really has: live, else the tenant id. */
	realm = remedy_param(j, RP_LIVE_ACS_REALM);
	if (realm == NULL)
		realm = remedy_param(j, RP_TENANT_ID);
	/*
	 * oauth.challenge names no realm, but a stale one is what it found
	 * (trusted_issuers lacks the tenant): compare with the tenant's id,
	 * or the step would find the URL right and change nothing.
	 */
	if (realm == NULL)
		realm = j->in->tenant_id;
	if (realm != NULL) {
		ps1_code(p, "$acsRealm = ");
		ps1_add_guid(p, "tenant realm", realm);
		ps1_code(p, "\n");
	}
	if (issuer != NULL) {
		ps1_code(p, "$acsIssuer = ");
		ps1_add_guid(p, "ACS issuer principal", issuer);
		ps1_code(p, "\n");
	}
	if (name != NULL) {
		ps1_code(p, "$acsTargets = @(Get-AuthServer -Identity ");
		ps1_add_text(p, "AuthServer name", name);
		ps1_code(p, " -ErrorAction SilentlyContinue)\n");
	} else {
		/* Found by type, never by name: names vary between wizards. */
		ps1_code(p, "$acsTargets = @(Get-AuthServer | Where-Object { [string]$_.Type -eq 'MicrosoftACS' })\n"
		    "if ($acsTargets.Count -gt 1) {\n"
		    "    Write-Warning 'several ACS AuthServers exist: give hybridcheck a snapshot so this step names the one to correct'\n"
		    "    $acsTargets = @()\n"
		    "}\n");
	}
	ps1_code(p, "if ($acsTargets.Count -eq 0) { Write-Warning 'no ACS AuthServer to correct was found' }\n"
	    "foreach ($a in $acsTargets) {\n"
	    "    if ($a.AuthMetadataUrl -eq $acsUrl) {\n"
	    "        Write-Host ('unchanged: AuthServer ' + $a.Name + ' already uses ' + $acsUrl)\n"
	    "    } elseif ($PSCmdlet.ShouldProcess($a.Name, 'Set-AuthServer -AuthMetadataUrl ' + $acsUrl)) {\n"
	    "        Set-AuthServer -Identity $a.Identity -AuthMetadataUrl $acsUrl\n"
	    "    }\n");
	/* A realm read from an older document stays until the metadata is read again. */
	if (realm != NULL)
		ps1_code(p, "    $acsNow = Get-AuthServer -Identity $a.Identity\n"
		    "    if ($acsNow.Realm -eq $acsRealm) {\n"
		    "        Write-Host ('unchanged: AuthServer ' + $a.Name + ' has realm ' + $acsRealm)\n"
		    "    } elseif ($PSCmdlet.ShouldProcess($a.Name, 'Set-AuthServer -RefreshAuthMetadata (realm ' + $acsNow.Realm + ', tenant ' + $acsRealm + ')')) {\n"
		    "        Set-AuthServer -Identity $a.Identity -RefreshAuthMetadata\n"
		    "    }\n");
	/*
	 * An issuer principal read from another document (oauth.issuer: the
	 * 21Vianet AuthServer that issues as the worldwide principal) stays
	 * until the metadata is read again; the URL and realm may be right.
	 */
	if (issuer != NULL)
		ps1_code(p, "    $acsNow = Get-AuthServer -Identity $a.Identity\n"
		    "    if ($acsNow.IssuerIdentifier -eq $acsIssuer) {\n"
		    "        Write-Host ('unchanged: AuthServer ' + $a.Name + ' issues as ' + $acsIssuer)\n"
		    "    } elseif ($PSCmdlet.ShouldProcess($a.Name, 'Set-AuthServer -RefreshAuthMetadata (issuer ' + $acsNow.IssuerIdentifier + ', the cloud names ' + $acsIssuer + ')')) {\n"
		    "        Set-AuthServer -Identity $a.Identity -RefreshAuthMetadata\n"
		    "        $acsNow = Get-AuthServer -Identity $a.Identity\n"
		    "        if ($acsNow.IssuerIdentifier -ne $acsIssuer) {\n"
		    "            Write-Warning ('AuthServer ' + $a.Name + ' still issues as ' + $acsNow.IssuerIdentifier + ' after reading ' + $acsNow.AuthMetadataUrl + '; Exchange Online trusts ' + $acsIssuer)\n"
		    "        }\n"
		    "    }\n");
	ps1_code(p, "    if ($a.Enabled) {\n"
	    "        Write-Host ('unchanged: AuthServer ' + $a.Name + ' is enabled')\n"
	    "    } elseif ($PSCmdlet.ShouldProcess($a.Name, 'Set-AuthServer -Enabled $true')) {\n"
	    "        Set-AuthServer -Identity $a.Identity -Enabled $true\n"
	    "    }\n"
	    "}\n");
out:
	ps1_step_end(p);
	free(url);
}

void
remedy_partnerapp(struct ps1 *p, const struct remedy_job *j)
{
	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	remedy_header(p, j);
	ps1_code(p, "$exoApp = '" MSID_EXO_APP "'\n"
	    "$pa = @(Get-PartnerApplication | Where-Object { $_.ApplicationIdentifier -eq $exoApp -and [string]::IsNullOrEmpty($_.Realm) })\n"
	    "if ($pa.Count -eq 0) {\n"
	    "    Write-Warning 'there is no PartnerApplication for Exchange Online with an empty realm: run the Hybrid Configuration Wizard'\n"
	    "}\n"
	    "foreach ($a in $pa) {\n"
	    "    if ($a.Enabled) {\n"
	    "        Write-Host ('unchanged: PartnerApplication ' + $a.Name + ' is enabled')\n"
	    "    } elseif ($PSCmdlet.ShouldProcess($a.Name, 'Set-PartnerApplication -Enabled $true')) {\n"
	    "        Set-PartnerApplication -Identity $a.Identity -Enabled $true\n"
	    "    }\n"
	    "}\n");
	ps1_step_end(p);
}

/*
 * The connector a finding is about: its evidence, else the finding's
 * subject (a connector that targets the wrong domain names itself only
 * there). Without it the step would add a second connector beside the
 * wrong one and leave that one failing.
 */
static const char *
ioc_name(const struct remedy_job *j)
{
	const char *name = remedy_param(j, RP_CONNECTOR);

	for (size_t i = 0; name == NULL && i < j->n; i++)
		if (j->fd[i]->subject[0] != '\0' &&
		    strcmp(j->fd[i]->subject, "(unnamed)") != 0 &&
		    strcmp(j->fd[i]->check, "ioc.onprem") == 0)
			name = j->fd[i]->subject;
	return name;
}

static const char *
routing_domain(const struct remedy_job *j)
{
	const char *v = remedy_param(j, RP_ROUTING_DOMAIN);

	return v ? v : j->in->routing_domain;
}

void
remedy_ioc_onprem(struct ps1 *p, const struct remedy_job *j)
{
	const struct cloud_field *eps = cloud_field(j->in->cloud, "discovery_endpoints");
	const char *url = cloud_preferred(j->in->cloud, "discovery_endpoints");
	const char *dom = routing_domain(j), *name = ioc_name(j);

	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	remedy_header(p, j);
	if (dom == NULL || url == NULL) {
		remedy_unfilled(p, j, dom == NULL ? "the tenant's routing domain" :
		    "the cloud's discovery endpoint",
		    dom == NULL ? "--snapshot FILE (Exchange Online accepted domains) "
		    "or network access for GetFederationInformation" :
		    "a cloud profile with discovery_endpoints (--endpoints)",
		    "New-IntraOrganizationConnector -Name ExchangeHybridOnPremisesToOnline "
		    "-DiscoveryEndpoint <cloud endpoint> -TargetAddressDomains <routing domain>");
		goto out;
	}
	ps1_code(p, "$iocName = ");
	ps1_add_text(p, "connector name", name ? name : "ExchangeHybridOnPremisesToOnline");
	ps1_code(p, "\n$iocUrl = ");
	ps1_add_url(p, "discovery endpoint", url, j->cloud_hosts);
	/* Every endpoint the cloud is known to answer on counts as correct. */
	ps1_code(p, "\n$iocAccept = @(");
	for (size_t i = 0; eps != NULL && i < eps->values.n; i++) {
		ps1_code(p, i ? ", " : "");
		ps1_add_url(p, "discovery endpoint", eps->values.v[i], j->cloud_hosts);
	}
	ps1_code(p, ")\n$iocDomain = ");
	ps1_add_dnsname(p, "routing domain", dom);
	ps1_code(p, "\n");
	remedy_ioc_logic(p);
out:
	ps1_step_end(p);
}

void
remedy_address_space(struct ps1 *p, const struct remedy_job *j)
{
	const char *dom = routing_domain(j), *proxy = remedy_param(j, RP_PROXY_URL);

	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	remedy_header(p, j);
	if (dom == NULL || proxy == NULL) {
		remedy_unfilled(p, j, proxy == NULL ? "the EWS URL of an Exchange 2013 SP1 "
		    "or later server" : "the tenant's routing domain",
		    "--snapshot FILE (servers, virtual directories and accepted domains)",
		    "Add-AvailabilityAddressSpace -AccessMethod InternalProxy "
		    "-ProxyUrl <EWS URL> -ForestName <routing domain> -UseServiceAccount $true");
		goto out;
	}
	ps1_code(p, "$aasForest = ");
	ps1_add_dnsname(p, "routing domain", dom);
	ps1_code(p, "\n$aasProxy = ");
	ps1_add_url(p, "proxy URL", proxy, j->onprem_hosts);
	ps1_code(p, "\n"
	    "$aas = @(Get-AvailabilityAddressSpace | Where-Object { $_.ForestName -eq $aasForest })\n"
	    "if ($aas.Count -gt 0) {\n"
	    "    Write-Host ('unchanged: an AvailabilityAddressSpace for ' + $aasForest + ' exists (' + $aas[0].AccessMethod + ')')\n"
	    "} elseif ($PSCmdlet.ShouldProcess($aasForest, 'Add-AvailabilityAddressSpace -AccessMethod InternalProxy -ProxyUrl ' + $aasProxy)) {\n"
	    "    Add-AvailabilityAddressSpace -AccessMethod InternalProxy -ProxyUrl $aasProxy -ForestName $aasForest -UseServiceAccount $true\n"
	    "}\n");
out:
	ps1_step_end(p);
}

void
remedy_vdir_oauth(struct ps1 *p, const struct remedy_job *j)
{
	const char *server = remedy_param(j, RP_SERVER), *vdir = remedy_param(j, RP_VDIR);
	int ews = 1, ad = 1;

	if (vdir != NULL && str_caseeq(vdir, "EWS"))
		ad = 0;
	else if (vdir != NULL && str_caseeq(vdir, "Autodiscover"))
		ews = 0;
	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	remedy_header(p, j);
	if (server != NULL) {
		ps1_code(p, "$vdirServer = ");
		ps1_add_dnsname(p, "server", server);
		ps1_code(p, "\n");
	}
	ps1_code(p, "$vdirs = @()\n");
	if (ews)
		ps1_code(p, server ?
		    "$vdirs += @(Get-WebServicesVirtualDirectory -Server $vdirServer -ADPropertiesOnly | Where-Object { -not $_.OAuthAuthentication } | ForEach-Object { @{ Kind = 'EWS'; Identity = $_.Identity } })\n" :
		    "$vdirs += @(Get-WebServicesVirtualDirectory -ADPropertiesOnly | Where-Object { -not $_.OAuthAuthentication } | ForEach-Object { @{ Kind = 'EWS'; Identity = $_.Identity } })\n");
	if (ad)
		ps1_code(p, server ?
		    "$vdirs += @(Get-AutodiscoverVirtualDirectory -Server $vdirServer -ADPropertiesOnly | Where-Object { -not $_.OAuthAuthentication } | ForEach-Object { @{ Kind = 'Autodiscover'; Identity = $_.Identity } })\n" :
		    "$vdirs += @(Get-AutodiscoverVirtualDirectory -ADPropertiesOnly | Where-Object { -not $_.OAuthAuthentication } | ForEach-Object { @{ Kind = 'Autodiscover'; Identity = $_.Identity } })\n");
	ps1_code(p, "if ($vdirs.Count -eq 0) { Write-Host 'unchanged: OAuth is enabled on every virtual directory' }\n"
	    "foreach ($v in $vdirs) {\n"
	    "    if ($v.Kind -eq 'EWS') {\n"
	    "        if ($PSCmdlet.ShouldProcess([string]$v.Identity, 'Set-WebServicesVirtualDirectory -OAuthAuthentication $true')) {\n"
	    "            Set-WebServicesVirtualDirectory -Identity $v.Identity -OAuthAuthentication $true\n"
	    "        }\n"
	    "    } elseif ($PSCmdlet.ShouldProcess([string]$v.Identity, 'Set-AutodiscoverVirtualDirectory -OAuthAuthentication $true')) {\n"
	    "        Set-AutodiscoverVirtualDirectory -Identity $v.Identity -OAuthAuthentication $true\n"
	    "    }\n"
	    "}\n");
	ps1_step_end(p);
}
