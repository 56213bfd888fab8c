/*
 * The dedicated hybrid application's steps, in the Exchange Management
 * Shell on-premises: Microsoft's ConfigureExchangeHybridApplication.ps1
 * configures the application, the EnableExchangeHybrid3PAppFeature
 * override switches the servers to it, and the shared service
 * principal's key is cleaned up once it works (PROTOCOLS 12.6).
 */
#include "msid.h"
#include "remedy_steps.h"

#include <string.h>

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

/*
 * Microsoft's script (the May 2026 version) asks with Read-Host before it
 * touches the application's permissions or the overrides; the step says
 * beforehand what to answer, as its prompts word them.
 */
void
remedy_hybrid_script_answers(struct ps1 *p, enum hybrid_run run)
{
	static const char no_graph_override[] =
	    "        Write-Host 'If it offers to create the RouteThroughMSGraph Setting Override, answer N: the Graph route is its own step, once every Mailbox server runs Exchange SE 15.2.2562.41 or later and the Graph permissions are consented'\n";

	switch (run) {
	case HYBRID_RUN_CONFIGURE:
		ps1_code(p, "        Write-Host 'Microsoft''s script asks whether to configure Graph API permissions in addition to EWS permissions: answer N (this step sets up the EWS route; the Graph route''s steps add them when it is ready)'\n"
		    "        Write-Host 'When the browser asks for tenant-wide admin consent, grant it: without consent the script does not create the override'\n");
		ps1_code(p, no_graph_override);
		break;
	case HYBRID_RUN_OVERRIDE:
		ps1_code(p, "        Write-Host 'Microsoft''s script asks whether to validate Graph API permissions in addition to EWS permissions: answer N unless the application already holds the four Graph permissions with consent (it refuses the override when any permission it validates lacks consent)'\n");
		ps1_code(p, no_graph_override);
		break;
	case HYBRID_RUN_GRAPH:
		ps1_code(p, "        Write-Host 'Microsoft''s script asks whether to configure Graph API permissions in addition to EWS permissions: answer Y'\n"
		    "        Write-Host 'It then asks whether to add the missing permissions and request admin consent: answer Y, and grant the consent when the browser asks'\n");
		break;
	}
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
	ps1_code(p, "    if ($hybridScriptHere -and $PSCmdlet.ShouldProcess('dedicated Exchange hybrid application', '" HYBRID_SCRIPT " -FullyConfigureExchangeHybridApplication')) {\n");
	remedy_hybrid_script_answers(p, HYBRID_RUN_CONFIGURE);
	ps1_code(p, "        & $hybridScript -FullyConfigureExchangeHybridApplication -AzureEnvironment $hybridEnv\n"
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

/*
 * The override moves the servers to the dedicated application. Microsoft's
 * script writes it only with tenant-wide admin consent, an enabled Exchange
 * Online PartnerApplication (empty realm) and an enabled connector (a
 * DAuth-only hybrid would break). This step writes it itself only when the
 * snapshot showed the consent; otherwise Microsoft's script, which checks
 * the consent through Microsoft Graph, creates it, and an existing override
 * that does not say Enabled=true is left for the administrator.
 */
void
remedy_override(struct ps1 *p, const struct remedy_job *j)
{
	const char *consent = remedy_param(j, RP_CONSENT);
	const char *env = cloud_value(j->in->cloud, "hybrid_app_environment");
	const char *why = consent ? strstr(consent, ": ") : NULL;
	int granted = consent != NULL && strncmp(consent, "granted:", 8) == 0;

	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	remedy_header(p, j);
	if (granted)
		ps1_comment(p, "the snapshot shows tenant-wide admin consent for "
		    "full_access_as_app: this step writes the override after the "
		    "checks Microsoft's script makes");
	else
		ps1_comment(p, "the snapshot does not show tenant-wide admin consent "
		    "(%s): Microsoft's script creates the override, as it checks the "
		    "consent through Microsoft Graph first", why ? why + 2 :
		    "no finding said");
	if (!granted && env == NULL) {
		remedy_unfilled(p, j, "the cloud profile's hybrid_app_environment",
		    "a cloud profile with hybrid_app_environment (--endpoints)",
		    ".\\" HYBRID_SCRIPT " -EnableExchangeHybridApplicationOverride "
		    "-AzureEnvironment <environment>");
		goto out;
	}
	if (!granted) {
		ps1_code(p, "$hybridEnv = ");
		ps1_add_word(p, "hybrid_app_environment", env);
		ps1_code(p, "\n");
	}
	ps1_code(p, "$ov = @(Get-SettingOverride | Where-Object { $_.ComponentName -eq 'Global' -and $_.SectionName -eq 'ExchangeOnpremAsThirdPartyAppId' })\n"
	    "$ovOk = @($ov | Where-Object { $_.Parameters -contains 'Enabled=true' })\n"
	    "$ovApp = @(Get-AuthServer | Where-Object { [string]$_.Type -eq 'AzureAD' -and $_.Enabled -and $_.ApplicationIdentifier })\n"
	    PS_OAUTH_BASICS("ovPa", "ovIoc")
	    "$ovChanged = $false\n"
	    "if ($ovOk.Count -gt 0) {\n"
	    "    Write-Host ('unchanged: setting override ' + $ovOk[0].Name + ' says Enabled=true')\n"
	    "} elseif ($ovApp.Count -eq 0) {\n"
	    "    Write-Warning 'no AzureAD AuthServer names the dedicated hybrid application yet: the override would move the servers to an application they cannot use; configure the application first (hybridapp.configure)'\n"
	    "} elseif ($ovPa.Count -eq 0 -or $ovIoc.Count -eq 0) {\n"
	    "    Write-Warning 'no enabled Exchange Online PartnerApplication (empty realm) or no enabled IntraOrganizationConnector: without OAuth (a DAuth-only hybrid) the override would break free/busy, so it is not written (as Microsoft''s script refuses it)'\n");
	if (granted) {
		ps1_code(p, "} elseif ($ov.Count -gt 0) {\n"
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
		goto out;
	}
	ps1_code(p, "} elseif ($ov.Count -gt 0) {\n"
	    "    Write-Warning ('setting override ' + $ov[0].Name + ' exists without Enabled=true and admin consent for the application is not confirmed: once Entra ID shows the consent, run Set-SettingOverride -Identity ''' + $ov[0].Name + ''' -Parameters ''Enabled=true'' (Microsoft''s script does not change an existing override)')\n"
	    "} else {\n");
	remedy_hybrid_script_lookup(p);
	ps1_code(p, "    if ($hybridScriptHere -and $PSCmdlet.ShouldProcess('EnableExchangeHybrid3PAppFeature', '" HYBRID_SCRIPT " -EnableExchangeHybridApplicationOverride')) {\n");
	remedy_hybrid_script_answers(p, HYBRID_RUN_OVERRIDE);
	ps1_code(p, "        & $hybridScript -EnableExchangeHybridApplicationOverride -AzureEnvironment $hybridEnv\n"
	    "        Write-Host 'note: Exchange servers can take up to an hour to pick up the override; the verification below waits with -RetryMinutes'\n"
	    "    }\n"
	    "}\n");
out:
	ps1_step_end(p);
}
