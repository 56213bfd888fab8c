/*
 * The Auth certificate's life cycle in the Exchange Management Shell:
 * Microsoft's MonitorExchangeAuthCertificate.ps1 replaces, stages or
 * imports it (PROTOCOLS §12.10); a staged certificate past its date is
 * published. The certificate is never exported with its private key (the
 * October 2025 update blocks that); the dedicated application gets the new
 * one from ConfigureExchangeHybridApplication.ps1 -UpdateCertificate.
 */
#include "msid.h"
#include "remedy_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STR_(x)	#x
#define STR(x)	STR_(x)

/*
 * $authCertNeeds: what the monitor would do now, by its own rules and in
 * its order (Get-ExchangeAuthCertificateStatus.ps1), or '' when nothing:
 * 'replace', 'configure next', or 'import …' naming the servers.
 */
static void
needs_block(struct ps1 *p)
{
	ps1_code(p, "$authCertNeeds = {\n"
	    "    $ac = Get-AuthConfig\n"
	    "    $mbx = @(Get-ExchangeServer | Where-Object { ($_.IsMailboxServer -or $_.IsClientAccessServer) -and ([string]$_.AdminDisplayVersion -match '^Version 15') })\n"
	    "    $lacking = @()\n"
	    "    $found = @{}\n"
	    "    foreach ($t in @($ac.CurrentCertificateThumbprint, $ac.NextCertificateThumbprint)) {\n"
	    "        if (-not $t -or $found.ContainsKey($t)) { continue }\n"
	    "        $found[$t] = $null\n"
	    "        foreach ($m in $mbx) {\n"
	    "            $c = Get-ExchangeCertificate -Server $m.Fqdn -Thumbprint $t -ErrorAction SilentlyContinue\n"
	    "            if ($c) { if (-not $found[$t]) { $found[$t] = $c } } else { $lacking += ($m.Name + ' lacks ' + $t) }\n"
	    "        }\n"
	    "    }\n"
	    "    $left = { param($t) if (-not $t -or -not $found[$t] -or $found[$t].NotAfter -le (Get-Date)) { -1 } else { ($found[$t].NotAfter - (Get-Date)).Days } }\n"
	    "    $cur = & $left $ac.CurrentCertificateThumbprint\n"
	    "    $next = -1\n"
	    "    if ($ac.NextCertificateThumbprint -ne $ac.CurrentCertificateThumbprint) { $next = & $left $ac.NextCertificateThumbprint }\n"
	    "    if ($cur -lt 0 -and $next -lt 0) { 'replace' }\n"
	    "    elseif ($cur -ge 0 -and $cur -le " STR(MSID_AUTHCERT_WARN_DAYS)
	    " -and $next -le " STR(MSID_AUTHCERT_NEXT_MIN_DAYS) " -and $lacking.Count -eq 0) { 'configure next' }\n"
	    "    elseif ($cur -le 0 -and $next -ge 0) { 'replace' }\n"
	    "    elseif ($lacking.Count -gt 0) { 'import: ' + ($lacking -join ', ') }\n"
	    "    else { '' }\n"
	    "}\n");
}

/* Sets $monitorScript and $monitorScriptHere. */
static void
monitor_lookup(struct ps1 *p, const char *indent)
{
	ps1_code(p, indent);
	ps1_code(p, "$monitorScript = Join-Path $PSScriptRoot '" MONITOR_SCRIPT "'\n");
	ps1_code(p, indent);
	ps1_code(p, "$monitorScriptHere = Test-Path -LiteralPath $monitorScript\n");
}

/*
 * After a new certificate: the dedicated application gets current and next
 * from Microsoft's script; the shared service principal needs the bytes,
 * which only a new snapshot carries.
 */
static void
register_new(struct ps1 *p, const struct remedy_job *j, const char *indent)
{
	const char *app = j->in->hybrid_app_id;
	const char *env = cloud_value(j->in->cloud, "hybrid_app_environment");

	if (app == NULL || env == NULL) {
		ps1_code(p, indent);
		ps1_code(p, "Write-Warning 'register the new Auth certificate in Entra ID before it takes effect: collect a new snapshot and run hybridcheck remediate again (authcert.upload-next); never export it with its private key'\n");
		return;
	}
	ps1_code(p, indent);
	ps1_code(p, "$hybridEnv = ");
	ps1_add_word(p, "hybrid_app_environment", env);
	ps1_code(p, "\n");
	ps1_code(p, indent);
	ps1_code(p, "$appId = ");
	ps1_add_guid(p, "application id", app);
	ps1_code(p, "\n");
	ps1_code(p, indent);
	ps1_code(p, "$evo = @(Get-AuthServer | Where-Object { [string]$_.Type -eq 'AzureAD' -and $_.ApplicationIdentifier -eq $appId })\n");
	ps1_code(p, indent);
	ps1_code(p, "if ($evo.Count -eq 0) { Write-Warning ('no AzureAD AuthServer names the application ' + $appId + ': register the new certificate after hybridapp.configure') } else {\n");
	remedy_hybrid_script_lookup(p);
	ps1_code(p, indent);
	ps1_code(p, "    if ($hybridScriptHere -and $PSCmdlet.ShouldProcess($appId, '" HYBRID_SCRIPT " -UpdateCertificate')) {\n");
	ps1_code(p, indent);
	ps1_code(p, "        & $hybridScript -UpdateCertificate -AzureEnvironment $hybridEnv\n");
	ps1_code(p, indent);
	ps1_code(p, "        Write-Host 'note: Exchange servers can take up to an hour to pick up the application''s new key; the verification below waits with -RetryMinutes'\n");
	ps1_code(p, indent);
	ps1_code(p, "    }\n");
	ps1_code(p, indent);
	ps1_code(p, "}\n");
}

void
remedy_cert_renew(struct ps1 *p, const struct remedy_job *j)
{
	const char *life = remedy_param(j, RP_LIFETIME_DAYS);
	char *end = NULL;
	long days = 0;

	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	remedy_header(p, j);
	ps1_comment(p, "Microsoft's " MONITOR_SCRIPT " decides and acts by its own rules: an expired "
	    "certificate is replaced (effective now, published, the previous one cleared),");
	ps1_comment(p, "one within " STR(MSID_AUTHCERT_WARN_DAYS) " days gets a next one effective in "
	    STR(MSID_AUTHCERT_STAGE_DAYS) " days, a certificate missing on a server is imported there.");
	ps1_comment(p, "It stops when it sees a hybrid configuration unless told otherwise: this "
	    "step registers the new certificate itself.");
	needs_block(p);
	monitor_lookup(p, "");
	if (life != NULL && (days = strtol(life, &end, 10)) > 0 && *end == '\0' &&
	    days <= 36500) {
		ps1_comment(p, "the tenant caps certificate key credentials: the new "
		    "certificate is made to fit (Microsoft's default is five years)");
		ps1_code(p, "$newLifetime = ");
		ps1_add_count(p, "lifetime days", days, 36500);
		ps1_code(p, "\n");
	} else
		days = 0;
	ps1_code(p, "$needs = & $authCertNeeds\n"
	    "if (-not $needs) {\n"
	    "    Write-Host 'unchanged: the current and next Auth certificates are in date, staged in time and on every server'\n"
	    "} elseif (-not $monitorScriptHere) {\n"
	    "    Write-Warning ('" MONITOR_SCRIPT " is not beside this script: download it from "
	    MONITOR_SCRIPT_URL " into ' + $PSScriptRoot + ' and run this part again (needed: ' + $needs + ')')\n"
	    "} else {\n"
	    "    # One pass may import before the next one can stage; three at most.\n"
	    "    for ($pass = 0; $needs -and $pass -lt 3 -and $PSCmdlet.ShouldProcess('Exchange Auth certificate', '" MONITOR_SCRIPT " -ValidateAndRenewAuthCertificate $true (' + $needs + ')'); $pass++) {\n"
	    "        & $monitorScript -ValidateAndRenewAuthCertificate $true -IgnoreHybridConfig $true -SkipVersionCheck -Confirm:$false");
	if (days > 0)
		ps1_code(p, " -CustomCertificateLifetimeInDays $newLifetime");
	ps1_code(p, "\n"
	    "        $was = $needs\n"
	    "        $needs = & $authCertNeeds\n"
	    "        if ($needs -eq $was) { break }\n"
	    "    }\n"
	    "    if ($pass -gt 0 -and $needs) { Write-Warning ('after " MONITOR_SCRIPT " the Auth certificate still needs: ' + $needs + ' (see the log it names)') }\n"
	    "    if ($pass -gt 0) {\n");
	register_new(p, j, "        ");
	ps1_code(p, "    }\n");
	ps1_code(p, "}\n");
	ps1_step_end(p);
}

void
remedy_cert_publish(struct ps1 *p, const struct remedy_job *j)
{
	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	remedy_header(p, j);
	ps1_comment(p, "the AuthAdmin servicelet should have published it within "
	    STR(MSID_AUTHCERT_PUBLISH_HOURS) " hours of its date; published only when "
	    "every server holds it");
	ps1_code(p, "$ac = Get-AuthConfig\n"
	    "$nextThumb = $ac.NextCertificateThumbprint\n"
	    "if (-not $nextThumb -or $nextThumb -eq $ac.CurrentCertificateThumbprint) {\n"
	    "    Write-Host 'unchanged: no staged Auth certificate waits to be published'\n"
	    "} elseif ($ac.NextCertificateEffectiveDate -and $ac.NextCertificateEffectiveDate -gt (Get-Date)) {\n"
	    "    Write-Host ('unchanged: the next Auth certificate ' + $nextThumb + ' takes effect on ' + $ac.NextCertificateEffectiveDate)\n"
	    "} else {\n"
	    "    $lacking = @(Get-ExchangeServer | Where-Object { ($_.IsMailboxServer -or $_.IsClientAccessServer) -and ([string]$_.AdminDisplayVersion -match '^Version 15') } | Where-Object { -not (Get-ExchangeCertificate -Server $_.Fqdn -Thumbprint $nextThumb -ErrorAction SilentlyContinue) } | ForEach-Object { $_.Name })\n"
	    "    if ($lacking.Count -gt 0) {\n"
	    "        Write-Warning ('not published: the next Auth certificate ' + $nextThumb + ' is missing on ' + ($lacking -join ', ') + ' (authcert.renew imports it)')\n"
	    "    } elseif ($PSCmdlet.ShouldProcess('Auth Configuration', 'Set-AuthConfig -PublishCertificate, then -ClearPreviousCertificate')) {\n");
	/*
	 * Entra must hold it before it signs: the finding asks for this step
	 * only when a snapshot saw it there, or the dedicated application's
	 * script uploads it first, here.
	 */
	register_new(p, j, "        ");
	ps1_code(p, "        Set-AuthConfig -PublishCertificate\n"
	    "        Set-AuthConfig -ClearPreviousCertificate\n"
	    "        Write-Host ('published the Auth certificate ' + $nextThumb + ': restart MSExchangeServiceHost (and the OWA and ECP application pools) on each server, or allow up to an hour')\n"
	    "    }\n"
	    "}\n");
	ps1_step_end(p);
}
