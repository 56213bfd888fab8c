/*
 * The verification at the end of every script: Test-OAuthConnectivity in
 * both directions, with the cloud's targets.
 */
#include "remedy_steps.h"

#include <stdlib.h>

/*
 * A changed setting override or hybrid application reaches every server
 * only after a while (Microsoft: up to an hour), so a failed test right
 * after a change is not yet a failure: with -RetryMinutes the test runs
 * again every five minutes until it passes or the time is up; without,
 * the script says so rather than leave a false failure.
 */
static void
retry(struct ps1 *p, const char *test)
{
	ps1_code(p, "    $tries = [int][math]::Ceiling($RetryMinutes / 5)\n"
	    "    for ($i = 0; $i -lt $tries -and @($oauth | Where-Object { [string]$_.ResultType -ne 'Success' }).Count -gt 0; $i++) {\n"
	    "        Write-Host ('not yet: testing again in 5 minutes (' + ($i + 1) + ' of ' + $tries + ')')\n"
	    "        Start-Sleep -Seconds 300\n"
	    "        $oauth = ");
	ps1_code(p, test);
	ps1_code(p, "\n"
	    "        $oauth | Format-List\n"
	    "    }\n"
	    "    if (@($oauth | Where-Object { [string]$_.ResultType -ne 'Success' }).Count -gt 0) {\n"
	    "        Write-Warning 'the test did not pass: after a change to the setting override or the hybrid application, Exchange servers can take up to an hour to pick it up; run this part again later, or with -RetryMinutes 60 to wait and test again every 5 minutes'\n"
	    "    }\n");
}

/* The verification steps: both directions, with the cloud's targets. */
void
remedy_verification(struct ps1 *p, const struct remedy_inputs *in,
    const struct strlist *cloud_hosts, const struct strlist *onprem_hosts)
{
	const char *ews = cloud_value(in->cloud, "ews_url");
	char *host = remedy_onprem_host(in), *target = NULL;

	ps1_step_begin(p, PS1_VERIFY_ONPREM, "verify on-premises -> Exchange Online");
	ps1_comment(p, "---- verify: on-premises Exchange obtains a token for Exchange Online");
	ps1_comment(p, "success: the output shows ResultType : Success");
	if (ews == NULL) {
		ps1_comment(p, "NOT FILLED IN: the cloud profile has no ews_url; give "
		    "--endpoints with one and run hybridcheck remediate again");
		goto exo;
	}
	ps1_code(p, "$ewsUrl = ");
	ps1_add_url(p, "cloud EWS URL", ews, cloud_hosts);
	ps1_code(p, "\n"
	    "if ([string]::IsNullOrEmpty($OnPremisesMailbox)) {\n"
	    "    Write-Warning 'give -OnPremisesMailbox <address of an on-premises mailbox> to run this test'\n"
	    "} else {\n"
	    "    $oauth = Test-OAuthConnectivity -Service EWS -TargetUri $ewsUrl -Mailbox $OnPremisesMailbox -Verbose\n"
	    "    $oauth | Format-List\n");
	retry(p, "Test-OAuthConnectivity -Service EWS -TargetUri $ewsUrl -Mailbox $OnPremisesMailbox -Verbose");
	ps1_code(p, "}\n");
exo:
	ps1_step_end(p);

	ps1_step_begin(p, PS1_VERIFY_EXO, "verify Exchange Online -> on-premises");
	ps1_comment(p, "---- verify: Exchange Online obtains a token for on-premises Exchange");
	ps1_comment(p, "success: ResultType : Success. The note 'The SMTP address has no "
	    "mailbox associated with it.' is benign here;");
	ps1_comment(p, "the test user must be synchronised to the tenant (otherwise: "
	    "'The user specified by the user-context in the token does not exist').");
	if (host == NULL) {
		ps1_comment(p, "NOT FILLED IN: this test needs the published Autodiscover "
		    "host; give --domain D and run hybridcheck remediate again");
		goto out;
	}
	target = xasprintf("https://%s/metadata/json/1", host);
	ps1_code(p, "$onpremMetadata = ");
	ps1_add_url(p, "on-premises metadata URL", target, onprem_hosts);
	ps1_code(p, "\n"
	    "if ([string]::IsNullOrEmpty($CloudMailbox)) {\n"
	    "    Write-Warning 'give -CloudMailbox <address of an Exchange Online mailbox> to run this test'\n"
	    "} else {\n"
	    "    $oauth = Test-OAuthConnectivity -Service EWS -TargetUri $onpremMetadata -Mailbox $CloudMailbox -Verbose\n"
	    "    $oauth | Format-List\n");
	retry(p, "Test-OAuthConnectivity -Service EWS -TargetUri $onpremMetadata -Mailbox $CloudMailbox -Verbose");
	ps1_code(p, "}\n");
out:
	ps1_step_end(p);
	free(host);
	free(target);
}
