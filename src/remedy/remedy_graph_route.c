/*
 * The Graph route's steps (Exchange SE from the May 2026 HU; PROTOCOLS
 * 12.7): the Microsoft Graph permissions through Microsoft's
 * ConfigureExchangeHybridApplication.ps1, then the EnableRouteThroughMSGraph
 * override and the EvoSTS AuthServer's GraphBaseUrl, with the guards
 * Microsoft's script has.
 */
#include "msid.h"
#include "remedy_steps.h"

#include <stdlib.h>
#include <string.h>

/* Where Microsoft has not said the route exists: a comment and a warning. */
static void
cloud_warning(struct ps1 *p, const struct remedy_job *j)
{
	const char *v = cloud_value(j->in->cloud, "graph_route");

	if (v != NULL && strcmp(v, "announced") == 0)
		return;
	ps1_comment(p, "Microsoft has not said the Graph route exists in the %s "
	    "cloud (\"Graph API hybrid calls are not available in all cloud "
	    "environments\"): confirm with Microsoft before running this part",
	    j->in->cloud->name);
	ps1_code(p, "Write-Warning 'Microsoft has not said the Graph route exists in this cloud: confirm with Microsoft before you continue'\n");
}

void
remedy_graph_permissions(struct ps1 *p, const struct remedy_job *j)
{
	const char *env = cloud_value(j->in->cloud, "hybrid_app_environment");

	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	remedy_header(p, j);
	cloud_warning(p, j);
	if (env == NULL) {
		remedy_unfilled(p, j, "the cloud profile's hybrid_app_environment",
		    "a cloud profile with hybrid_app_environment (--endpoints)",
		    ".\\" HYBRID_SCRIPT " -CreateApplication "
		    "-AzureEnvironment <environment>");
		goto out;
	}
	ps1_comment(p, "Microsoft's script (-CreateApplication on the existing "
	    "application) keeps the EWS permission (full_access_as_app, still needed "
	    "for cloud archives and servers on EWS) and, when asked to, adds "
	    "Calendars.Read, MailboxSettings.Read, MailTips.ReadBasic.All and "
	    "ProfilePhoto.Read.All and requests admin consent for them");
	ps1_code(p, "$hybridEnv = ");
	ps1_add_word(p, "hybrid_app_environment", env);
	ps1_code(p, "\n$gpEvo = @(Get-AuthServer | Where-Object { [string]$_.Type -eq 'AzureAD' -and $_.Enabled -and $_.ApplicationIdentifier -and $_.ApplicationIdentifier -ne '" MSID_EXO_APP "' })\n"
	    "if ($gpEvo.Count -ne 1) {\n"
	    "    Write-Warning ('the Graph permissions go to the application of the one EvoSTS AuthServer; found ' + $gpEvo.Count + ': correct that first (authserver.evosts)')\n"
	    "} else {\n");
	remedy_hybrid_script_lookup(p);
	ps1_code(p, "    if ($hybridScriptHere -and $PSCmdlet.ShouldProcess($gpEvo[0].ApplicationIdentifier, '" HYBRID_SCRIPT " -CreateApplication (Microsoft Graph permissions)')) {\n");
	remedy_hybrid_script_answers(p, HYBRID_RUN_GRAPH);
	ps1_code(p, "        & $hybridScript -CreateApplication -AzureEnvironment $hybridEnv\n"
	    "    }\n"
	    "}\n");
out:
	ps1_step_end(p);
}

void
remedy_graph_enable(struct ps1 *p, const struct remedy_job *j)
{
	const char *host = cloud_value(j->in->cloud, "graph_host");
	char *url;

	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	remedy_header(p, j);
	cloud_warning(p, j);
	if (host == NULL) {
		remedy_unfilled(p, j, "the cloud profile's graph_host",
		    "a cloud profile with graph_host (--endpoints)",
		    "Set-AuthServer <EvoSTS> -GraphBaseUrl https://<graph host>");
		goto out;
	}
	/*
	 * Microsoft's script writes the override only with an enabled
	 * Exchange Online PartnerApplication, an enabled connector and
	 * consent (the checks asked for this step only with consent and
	 * every Mailbox server at 15.2.2562.41 or later); it never turns a
	 * switched-off override back on: Enabled=false is Microsoft's
	 * workaround for a known defect.
	 */
	url = xasprintf("https://%s", host);
	ps1_code(p, "$graphBase = ");
	ps1_add_url(p, "Graph base URL", url, j->cloud_hosts);
	free(url);
	ps1_code(p, "\n" PS_OAUTH_BASICS("grPa", "grIoc")
	    "$grApp = @(Get-SettingOverride | Where-Object { $_.ComponentName -eq 'Global' -and $_.SectionName -eq 'ExchangeOnpremAsThirdPartyAppId' -and (@($_.Parameters) -match '^\\s*Enabled\\s*=\\s*true\\s*$') })\n"
	    "$grEvo = @(Get-AuthServer | Where-Object { [string]$_.Type -eq 'AzureAD' -and $_.Enabled -and $_.ApplicationIdentifier -and $_.ApplicationIdentifier -ne '" MSID_EXO_APP "' })\n"
	    "$grChanged = $false\n"
	    "if ($grPa.Count -eq 0 -or $grIoc.Count -eq 0) {\n"
	    "    Write-Warning 'no enabled Exchange Online PartnerApplication (empty realm) or no enabled IntraOrganizationConnector: this is not an OAuth hybrid, and the Graph override would break it; left alone'\n"
	    "} elseif ($grApp.Count -eq 0 -or $grEvo.Count -ne 1) {\n"
	    "    Write-Warning 'the dedicated hybrid application is not in place (its override, or exactly one EvoSTS AuthServer): configure it first (hybridapp.configure, hybridapp.override)'\n"
	    "} else {\n"
	    "    if ([string]$grEvo[0].GraphBaseUrl -eq $graphBase) {\n"
	    "        Write-Host ('unchanged: ' + $grEvo[0].Name + ' has GraphBaseUrl ' + $graphBase)\n"
	    "    } elseif ($PSCmdlet.ShouldProcess([string]$grEvo[0].Name, 'Set-AuthServer -GraphBaseUrl ' + $graphBase)) {\n"
	    "        Set-AuthServer -Identity $grEvo[0].Identity -GraphBaseUrl $graphBase\n"
	    "        $grChanged = $true\n"
	    "    }\n"
	    "    $grOv = @(Get-SettingOverride | Where-Object { $_.ComponentName -eq 'SettingOverride' -and $_.SectionName -eq 'RouteThroughMSGraph' })\n"
	    "    if ($grOv.Count -gt 0) {\n"
	    "        Write-Host ('unchanged: setting override ' + $grOv[0].Name + ' exists (' + (@($grOv[0].Parameters) -join ',') + '); Enabled=false is left as it is')\n"
	    "    } elseif ($PSCmdlet.ShouldProcess('EnableRouteThroughMSGraphFeature', 'New-SettingOverride')) {\n"
	    "        New-SettingOverride -Name 'EnableRouteThroughMSGraphFeature' -Component 'SettingOverride' -Section 'RouteThroughMSGraph' -Parameters @('Enabled=true') -Reason 'Exchange hybrid Graph route'\n"
	    "        $grChanged = $true\n"
	    "    }\n"
	    "}\n"
	    "if ($grChanged) {\n"
	    "    Get-ExchangeDiagnosticInfo -Process 'Microsoft.Exchange.Directory.TopologyService' -Component 'VariantConfiguration' -Argument 'Refresh' | Out-Null\n"
	    "    Write-Host 'note: every server reads the changed override within about an hour; run Get-ExchangeDiagnosticInfo -Server <name> ... -Argument Refresh on each to hurry it'\n"
	    "}\n");
out:
	ps1_step_end(p);
}
