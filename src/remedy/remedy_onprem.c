/*
 * Steps that run in the Exchange Management Shell on-premises: the trust
 * in the cloud's issuer, the partner application, the Auth certificate,
 * the dedicated hybrid application and its override, the connector to the
 * cloud, the availability address space, OAuth on the virtual directories.
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

/* Microsoft's script beside this one, or a warning saying where to get it. */
void
remedy_hybrid_script_lookup(struct ps1 *p)
{
	ps1_code(p, "    $hybridScript = Join-Path $PSScriptRoot '" HYBRID_SCRIPT "'\n"
	    "    $hybridScriptHere = Test-Path -LiteralPath $hybridScript\n"
	    "    if (-not $hybridScriptHere) {\n"
	    "        Write-Warning ('" HYBRID_SCRIPT " is not beside this script: download it from "
	    HYBRID_SCRIPT_URL " into ' + $PSScriptRoot + ' and run this part again')\n"
	    "    }\n");
}

void
remedy_hybridapp(struct ps1 *p, const struct remedy_job *j)
{
	const char *env = cloud_value(j->in->cloud, "hybrid_app_environment");

	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	remedy_header(p, j);
	ps1_comment(p, "Microsoft's script creates the application, uploads the Auth "
	    "certificate, configures the EvoSTS AuthServer and the override");
	if (env == NULL) {
		remedy_unfilled(p, j, "the cloud profile's hybrid_app_environment",
		    "a cloud profile with hybrid_app_environment (--endpoints)",
		    ".\\" HYBRID_SCRIPT " -FullyConfigureExchangeHybridApplication "
		    "-AzureEnvironment <environment>");
		goto out;
	}
	ps1_code(p, "$hybridEnv = ");
	ps1_add_word(p, "hybrid_app_environment", env);
	ps1_code(p, "\n");
	if (j->in->tenant_id != NULL) {
		ps1_code(p, "$tenantId = ");
		ps1_add_guid(p, "tenant id", j->in->tenant_id);
		ps1_code(p, "\n$evo = @(Get-AuthServer | Where-Object { [string]$_.Type -eq 'AzureAD' -and $_.Enabled -and $_.ApplicationIdentifier -and $_.ApplicationIdentifier -ne '" MSID_EXO_APP "' -and $_.Realm -eq $tenantId })\n");
	} else
		ps1_code(p, "$evo = @(Get-AuthServer | Where-Object { [string]$_.Type -eq 'AzureAD' -and $_.Enabled -and $_.ApplicationIdentifier -and $_.ApplicationIdentifier -ne '" MSID_EXO_APP "' })\n");
	/*
	 * Microsoft's script configures the EvoSTS AuthServer the Hybrid
	 * Configuration Wizard made; without one it stops half-way, after
	 * it has moved the certificate off the shared service principal,
	 * and free/busy stops. So it runs only when there is one.
	 */
	ps1_code(p, "$ovr = @(Get-SettingOverride | Where-Object { $_.SectionName -eq 'ExchangeOnpremAsThirdPartyAppId' -and ($_.Parameters -contains 'Enabled=true') })\n"
	    "$evoSts = @(Get-AuthServer | Where-Object { [string]$_.Type -eq 'AzureAD' -and $_.Enabled -and $_.Name -match 'EvoSTS' })\n"
	    "if ($evo.Count -gt 0 -and $ovr.Count -gt 0) {\n"
	    "    Write-Host ('unchanged: the dedicated hybrid application ' + $evo[0].ApplicationIdentifier + ' is configured')\n"
	    "} elseif ($evoSts.Count -eq 0) {\n"
	    "    Write-Warning 'there is no EvoSTS AuthServer (type AzureAD) for Microsoft''s script to configure: run the Hybrid Configuration Wizard (it creates one), then run this part again'\n"
	    "} else {\n");
	remedy_hybrid_script_lookup(p);
	ps1_code(p, "    if ($hybridScriptHere -and $PSCmdlet.ShouldProcess('dedicated Exchange hybrid application', '" HYBRID_SCRIPT " -FullyConfigureExchangeHybridApplication')) {\n"
	    "        & $hybridScript -FullyConfigureExchangeHybridApplication -AzureEnvironment $hybridEnv\n"
	    "        Write-Host 'note: Exchange servers can take up to an hour to pick up the application; the verification below waits with -RetryMinutes'\n"
	    "    }\n"
	    "}\n");
out:
	ps1_step_end(p);
}

void
remedy_cleanup_sp(struct ps1 *p, const struct remedy_job *j)
{
	const char *env = cloud_value(j->in->cloud, "hybrid_app_environment");
	const char *t = remedy_param(j, RP_THUMBPRINT);

	if (t == NULL)
		t = j->in->thumbprint;
	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	remedy_header(p, j);
	if (env == NULL) {
		remedy_unfilled(p, j, "the cloud profile's hybrid_app_environment",
		    "a cloud profile with hybrid_app_environment (--endpoints)",
		    ".\\" HYBRID_SCRIPT " -ResetFirstPartyServicePrincipalKeyCredentials "
		    "-AzureEnvironment <environment>");
		goto out;
	}
	if (t == NULL)
		ps1_comment(p, "without a thumbprint Microsoft's script removes every "
		    "key credential of the shared service principal; give --thumbprint T "
		    "to remove only that certificate and the expired ones");
	ps1_code(p, "$hybridEnv = ");
	ps1_add_word(p, "hybrid_app_environment", env);
	ps1_code(p, "\n");
	if (t != NULL) {
		ps1_code(p, "$cleanThumb = ");
		ps1_add_thumbprint(p, "thumbprint", t);
		ps1_code(p, "\n");
	}
	/* Removing the key before the dedicated app works would stop free/busy. */
	ps1_code(p, "$evo = @(Get-AuthServer | Where-Object { [string]$_.Type -eq 'AzureAD' -and $_.Enabled -and $_.ApplicationIdentifier })\n"
	    "if ($evo.Count -eq 0) {\n"
	    "    Write-Warning 'the dedicated hybrid application is not configured yet: removing the certificate from the shared service principal now would stop free/busy (run hybridapp.configure first)'\n"
	    "} else {\n");
	remedy_hybrid_script_lookup(p);
	ps1_code(p, "    # Microsoft's script reads the key credentials and removes only what is there.\n"
	    "    if ($hybridScriptHere -and $PSCmdlet.ShouldProcess('Office 365 Exchange Online service principal', 'remove the Auth certificate from its key credentials')) {\n");
	if (t != NULL)
		ps1_code(p, "        & $hybridScript -ResetFirstPartyServicePrincipalKeyCredentials -CertificateInformation $cleanThumb -AzureEnvironment $hybridEnv\n");
	else
		ps1_code(p, "        & $hybridScript -ResetFirstPartyServicePrincipalKeyCredentials -AzureEnvironment $hybridEnv\n");
	ps1_code(p, "    }\n}\n");
out:
	ps1_step_end(p);
}

void
remedy_override(struct ps1 *p, const struct remedy_job *j)
{
	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	remedy_header(p, j);
	/*
	 * The override moves the servers to the dedicated application: only
	 * once an AzureAD AuthServer names it (the check Microsoft's script
	 * makes before it creates the override).
	 */
	ps1_code(p, "$ov = @(Get-SettingOverride | Where-Object { $_.ComponentName -eq 'Global' -and $_.SectionName -eq 'ExchangeOnpremAsThirdPartyAppId' })\n"
	    "$ovOk = @($ov | Where-Object { $_.Parameters -contains 'Enabled=true' })\n"
	    "$ovApp = @(Get-AuthServer | Where-Object { [string]$_.Type -eq 'AzureAD' -and $_.Enabled -and $_.ApplicationIdentifier })\n"
	    "$ovPa = @(Get-PartnerApplication | Where-Object { [string]$_.ApplicationIdentifier -eq '" MSID_EXO_APP "' -and $_.Enabled -and [string]::IsNullOrEmpty([string]$_.Realm) })\n"
	    "$ovIoc = @(Get-IntraOrganizationConnector | Where-Object { $_.Enabled })\n"
	    "$ovChanged = $false\n"
	    "if ($ovOk.Count -gt 0) {\n"
	    "    Write-Host ('unchanged: setting override ' + $ovOk[0].Name + ' says Enabled=true')\n"
	    "} elseif ($ovApp.Count -eq 0) {\n"
	    "    Write-Warning 'no AzureAD AuthServer names the dedicated hybrid application yet: the override would move the servers to an application they cannot use; configure the application first (hybridapp.configure)'\n"
	    "} elseif ($ovPa.Count -eq 0 -or $ovIoc.Count -eq 0) {\n"
	    "    Write-Warning 'no enabled Exchange Online PartnerApplication (empty realm) or no enabled IntraOrganizationConnector: without OAuth (a DAuth-only hybrid) the override would break free/busy, so it is not written (as Microsoft''s script refuses it)'\n"
	    "} elseif ($ov.Count -gt 0) {\n"
	    "    foreach ($o in $ov) {\n"
	    "        if ($PSCmdlet.ShouldProcess($o.Name, 'Set-SettingOverride -Parameters Enabled=true')) {\n"
	    "            Set-SettingOverride -Identity $o.Identity -Parameters @('Enabled=true')\n"
	    "            $ovChanged = $true\n"
	    "        }\n"
	    "    }\n"
	    "} elseif ($PSCmdlet.ShouldProcess('EnableExchangeHybrid3PAppFeature', 'New-SettingOverride')) {\n"
	    "    New-SettingOverride -Name 'EnableExchangeHybrid3PAppFeature' -Component 'Global' -Section 'ExchangeOnpremAsThirdPartyAppId' -Parameters @('Enabled=true') -Reason 'dedicated Exchange hybrid application'\n"
	    "    $ovChanged = $true\n"
	    "}\n"
	    "if ($ovChanged) {\n"
	    "    Get-ExchangeDiagnosticInfo -Process 'Microsoft.Exchange.Directory.TopologyService' -Component 'VariantConfiguration' -Argument 'Refresh' | Out-Null\n"
	    "    Write-Host 'note: Exchange servers can take up to an hour to pick up the changed override; the verification below waits with -RetryMinutes'\n"
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
