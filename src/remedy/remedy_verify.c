/*
 * The verification at the end of every script: Test-OAuthConnectivity in
 * both directions, with the cloud's targets.
 */
#include "remedy_steps.h"

#include <stdlib.h>

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
	    "    Test-OAuthConnectivity -Service EWS -TargetUri $ewsUrl -Mailbox $OnPremisesMailbox -Verbose | Format-List\n"
	    "}\n");
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
	    "    Test-OAuthConnectivity -Service EWS -TargetUri $onpremMetadata -Mailbox $CloudMailbox -Verbose | Format-List\n"
	    "}\n");
out:
	ps1_step_end(p);
	free(host);
	free(target);
}
