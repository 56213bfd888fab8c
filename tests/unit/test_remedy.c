/*
 * The remedy catalogue: every id in docs/remedies.md has a step; steps
 * read the evidence keys docs/remediation.md names; every change sits
 * under ShouldProcess; unknown values give instructions, not guesses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cloud.h"
#include "findings.h"
#include "ps1.h"
#include "remedy.h"
#include "hctest.h"
#include "file.h"

#define THUMB	"0123456789ABCDEF0123456789ABCDEF01234567"
#define TENANT	"5de110f8-2e0f-4d45-891d-bcf2218e253d"
#define B64	"TUlJQnN6Q0NBVm1nQXdJQkFnSVU="

static void
inputs(struct remedy_inputs *in, const char *cloud)
{
	memset(in, 0, sizeof(*in));
	in->cloud = cloud_find(&hctest_clouds, cloud);
	assert_non_null(in->cloud);
	in->tool_version = "test";
	in->domain = "contoso.com";
	in->routing_domain = "contoso.mail.onmicrosoft.com";
	in->tenant_id = TENANT;
	in->thumbprint = THUMB;
	in->cert_b64 = B64;
	in->next_thumbprint = THUMB;
	in->next_cert_b64 = B64;
}

static char *
script(struct findings *f, const struct remedy_inputs *in, int *dropped)
{
	struct buf b;
	int d;

	buf_init(&b, (size_t)-1);
	d = remedy_script(f, in, &b);
	if (dropped)
		*dropped = d;
	return buf_steal(&b);
}

static struct finding *
want(struct findings *f, const char *check, const char *remedy)
{
	struct finding *fd = findings_add_for(f, check, SEV_FAIL, "subject", "bad");

	finding_remedy(fd, remedy);
	return fd;
}

/* Every id listed in docs/remedies.md is in the catalogue, and back. */
static void
catalogue_matches_docs(void **state)
{
	char *text = NULL, *p;
	size_t len, listed = 0, n = 0;
	struct hcerr e;

	(void)state;
	assert_int_equal(file_read(HC_SOURCE_DIR "/docs/remedies.md",
	    1 << 20, &text, &len, &e), 0);
	for (p = text; (p = strstr(p, "\n| `")) != NULL; p++) {
		char id[64];
		const char *end = strchr(p + 4, '`');

		assert_non_null(end);
		snprintf(id, sizeof(id), "%.*s", (int)(end - (p + 4)), p + 4);
		if (remedy_find(id) == NULL)
			fail_msg("docs/remedies.md lists '%s', the catalogue does not", id);
		listed++;
	}
	for (const struct remedy *r = remedies; r->id; r++) {
		char pat[80];

		snprintf(pat, sizeof(pat), "| `%s` |", r->id);
		if (strstr(text, pat) == NULL)
			fail_msg("remedy '%s' is not in docs/remedies.md", r->id);
		n++;
	}
	assert_int_equal(listed, n);
	free(text);
}

/*
 * Every line that changes something (New-, Set-, Add-, Update-Mg, Remove-,
 * the hybrid script) sits in a block opened by a ShouldProcess test.
 */
static void
assert_changes_guarded(const char *s)
{
	static const char *const verbs[] = { "New-", "Set-", "Add-",
	    "Update-Mg", "Remove-", "& $hybridScript", "& $monitorScript" };
	const char *line = s;
	size_t changes = 0;

	while (*line) {
		const char *eol = strchr(line, '\n');
		size_t ind = strspn(line, " ");
		size_t len = eol ? (size_t)(eol - line) : strlen(line);

		for (size_t v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++) {
			const char *prev;
			int guarded = 0;

			if (strncmp(line + ind, verbs[v], strlen(verbs[v])) != 0)
				continue;
			changes++;
			/* Walk up to the line that opened this block. */
			for (prev = line; prev > s;) {
				const char *start = prev - 1;
				size_t pind;

				while (start > s && start[-1] != '\n')
					start--;
				pind = strspn(start, " ");
				if (pind < ind && start[pind] != '#' && start[pind] != '\n') {
					const char *peol = strchr(start, '\n');

					char *l = strndup(start, (size_t)(peol - start));

					guarded = strstr(l, "ShouldProcess(") != NULL;
					free(l);
					break;
				}
				prev = start;
			}
			if (!guarded)
				fail_msg("change not under ShouldProcess: %.*s", (int)len, line);
		}
		line += len + (eol ? 1 : 0);
	}
	if (changes == 0)
		fail_msg("no change line in a script that should change something");
}

static void
every_remedy_has_a_step(void **state)
{
	(void)state;
	for (size_t c = 0; c < hctest_clouds.n; c++) {
		struct remedy_inputs in;

		inputs(&in, hctest_clouds.v[c].name);
		for (const struct remedy *r = remedies; r->id; r++) {
			struct findings f = { 0 };
			struct finding *fd = want(&f, "some.check", r->id);
			char *s, head[128];
			int dropped;

			finding_evidence_param(fd, RP_SPNS_ADD, "add",
			    "00000002-0000-0ff1-ce00-000000000000/*.contoso.com");
			finding_evidence_param(fd, RP_PROXY_URL, "proxy url", "https://mail.contoso.com/EWS/Exchange.asmx");
			if (strcmp(r->id, "exo.ews-allow-app") == 0)
				finding_evidence_param(fd, RP_APP_ID, "application id",
				    "d3a9c7e1-5b2f-4a6d-8c0e-1f2a3b4c5d6e");
			s = script(&f, &in, &dropped);
			assert_int_equal(dropped, 0);
			snprintf(head, sizeof(head), "# ---- %s: ", r->id);
			if (strstr(s, head) == NULL)
				fail_msg("cloud %s: no step for %s", hctest_clouds.v[c].name, r->id);
			/* The comment names the finding's check and subject. */
			assert_non_null(strstr(s, "# finding some.check fail subject: bad"));
			assert_non_null(strstr(s, "[CmdletBinding(SupportsShouldProcess)]"));
			if (strcmp(r->id, "cloud.select") != 0)
				assert_non_null(strstr(s, "Test-OAuthConnectivity -Service EWS"));
			if (r->section != PS1_MANUAL) {
				assert_changes_guarded(s);
			}
			findings_release(&f);
			free(s);
		}
	}
}

static void
cloud_values_per_cloud(void **state)
{
	static const struct {
		const char *cloud, *exo, *graph, *hybrid, *ews, *acs;
	} want_v[] = {
		{ "global", "'O365Default'", "'Global'", "'Global'",
		  "'https://outlook.office365.com/", "accounts.accesscontrol.windows.net/contoso.com/" },
		{ "china", "'O365China'", "'China'", "'ChinaCloud'",
		  "'https://partner.outlook.cn/", "accounts.accesscontrol.chinacloudapi.cn/contoso.com/" },
		{ "gcchigh", "'O365USGovGCCHigh'", "'USGov'", "'USGovernmentL4'",
		  "'https://outlook.office365.us/", "login.microsoftonline.us/contoso.com/" },
		{ "dod", "'O365USGovDoD'", "'USGovDoD'", "'USGovernmentL5'",
		  "'https://outlook-dod.office365.us/", "login.microsoftonline.us/contoso.com/" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want_v) / sizeof(want_v[0]); i++) {
		struct remedy_inputs in;
		struct findings f = { 0 };
		char *s, exo[96], graph[96];

		inputs(&in, want_v[i].cloud);
		want(&f, "a", "authserver.acs.create");
		want(&f, "b", "hybridapp.configure");
		finding_evidence(want(&f, "c", "spn.add"), "add",
		    "00000002-0000-0ff1-ce00-000000000000/contoso.com");
		want(&f, "d", "ioc.cloud");
		s = script(&f, &in, NULL);
		snprintf(exo, sizeof(exo), "-ExchangeEnvironmentName %s", want_v[i].exo);
		snprintf(graph, sizeof(graph), "$envName = %s", want_v[i].graph);
		assert_non_null(strstr(s, exo));
		assert_non_null(strstr(s, graph));
		assert_non_null(strstr(s, "Connect-MgGraph -Environment $envName -Scopes $scopes -TenantId '" TENANT "'"));
		assert_non_null(strstr(s, "$scopes = @('Application.ReadWrite.All')"));
		{
			char hy[64];

			snprintf(hy, sizeof(hy), "$hybridEnv = %s", want_v[i].hybrid);
			assert_non_null(strstr(s, hy));
		}
		assert_non_null(strstr(s, "-FullyConfigureExchangeHybridApplication -AzureEnvironment $hybridEnv"));
		assert_non_null(strstr(s, want_v[i].ews));
		assert_non_null(strstr(s, want_v[i].acs));
		assert_non_null(strstr(s, "$onpremMetadata = 'https://autodiscover.contoso.com/metadata/json/1'"));
		/* No retired modules anywhere. */
		assert_null(strstr(s, "Msol"));
		assert_null(strstr(s, "AzureAD\\"));
		assert_null(strstr(s, "Connect-AzureAD"));
		findings_release(&f);
		free(s);
	}
}

static void
healthy_only_verifies(void **state)
{
	struct remedy_inputs in;
	struct findings f = { 0 };
	struct finding *fd;
	char *s;

	(void)state;
	inputs(&in, "china");
	findings_add_for(&f, "x.y", SEV_PASS, "", "fine");
	/* A remedy on a passing, skipped or error finding is not wanted. */
	fd = findings_add_for(&f, "x.z", SEV_PASS, "", "note");
	finding_remedy(fd, "spn.add");
	fd = findings_add_for(&f, "x.w", SEV_ERROR, "", "timed out");
	finding_remedy(fd, "spn.add");
	s = script(&f, &in, NULL);
	assert_non_null(strstr(s, "This script only verifies"));
	assert_null(strstr(s, "# ---- spn.add"));
	assert_null(strstr(s, "-Part OnPremises) ===="));
	assert_null(strstr(s, "-Part Graph) ===="));
	assert_null(strstr(s, "Connect-HcGraph"));
	assert_non_null(strstr(s, "-Part VerifyOnPremises) ===="));
	assert_non_null(strstr(s, "-Part VerifyExchangeOnline) ===="));
	assert_non_null(strstr(s, "-TargetUri $ewsUrl -Mailbox $OnPremisesMailbox -Verbose"));
	assert_non_null(strstr(s, "$ewsUrl = 'https://partner.outlook.cn/EWS/Exchange.asmx'"));
	assert_non_null(strstr(s, "ResultType : Success"));
	assert_non_null(strstr(s, "The SMTP address has no mailbox associated with it."));
	/* A failed test after a change waits with -RetryMinutes, or says why. */
	assert_non_null(strstr(s, "[int]$RetryMinutes = 0"));
	assert_non_null(strstr(s, "Start-Sleep -Seconds 300"));
	assert_non_null(strstr(s, "can take up to an hour to pick it up"));
	/* -Transcript records the run and is closed however it ends. */
	assert_non_null(strstr(s, "if ($Transcript) { Start-Transcript -LiteralPath $Transcript -Append | Out-Null }"));
	assert_non_null(strstr(s, "trap { if ($Transcript) { Stop-Transcript | Out-Null }; break }"));
	findings_release(&f);
	free(s);
}

/* Keys and SPNs: read, keep the existing ones, add only what is missing. */
static void
keeps_existing_credentials(void **state)
{
	struct remedy_inputs in;
	struct findings f = { 0 };
	struct finding *fd;
	char *s;

	(void)state;
	inputs(&in, "global");
	want(&f, "auth-cert.keycred", "authcert.upload");
	fd = want(&f, "spn.coverage", "spn.add");
	finding_evidence_param(fd, RP_SPNS_ADD, "add", "00000002-0000-0ff1-ce00-000000000000/*.contoso.com, "
	    "https://mail.contoso.com/");
	fd = want(&f, "spn.coverage", "spn.add");
	finding_evidence_param(fd, RP_SPNS_ADD, "add", "00000002-0000-0ff1-ce00-000000000000/contoso.com "
	    "https://mail.contoso.com/");
	s = script(&f, &in, NULL);
	/* The keys kept are read by id with keyCredentials alone: only then
	 * does Graph return their bytes. */
	assert_non_null(strstr(s, "$targetKeys = @((Get-MgServicePrincipal -ServicePrincipalId $target.Id -Property 'keyCredentials').KeyCredentials)"));
	assert_non_null(strstr(s, "$keep = @($targetKeys | Where-Object { $_.EndDateTime -gt $now })"));
	assert_null(strstr(s, "$target.KeyCredentials"));
	assert_non_null(strstr(s, "-KeyCredentials (@($keep) + $new)"));
	assert_non_null(strstr(s, "$certB64 = '" B64 "'"));
	assert_non_null(strstr(s, "$certThumb = '" THUMB "'"));
	assert_non_null(strstr(s, "-ServicePrincipalNames ($spnHave + $spnMissing)"));
	/* One step for both findings, each entry once. */
	{
		const char *a = strstr(s, "# ---- spn.add");

		assert_non_null(a);
		assert_null(strstr(a + 1, "# ---- spn.add"));
		a = strstr(s, "'https://mail.contoso.com/'");
		assert_non_null(a);
		assert_null(strstr(a + 1, "'https://mail.contoso.com/'"));
	}
	assert_non_null(strstr(s, "'00000002-0000-0ff1-ce00-000000000000/contoso.com'"));
	findings_release(&f);
	free(s);
}

static void
unknown_values_become_instructions(void **state)
{
	struct remedy_inputs in;
	struct findings f = { 0 };
	char *s;
	int dropped;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.cloud = cloud_find(&hctest_clouds, "china");
	want(&f, "a", "authcert.upload");
	want(&f, "b", "ioc.onprem");
	want(&f, "c", "spn.add");
	want(&f, "d", "availability.address-space");
	s = script(&f, &in, &dropped);
	assert_int_equal(dropped, 0);
	assert_non_null(strstr(s, "# NOT FILLED IN: this step needs the certificate itself"));
	assert_non_null(strstr(s, "# give --cert FILE"));
	assert_non_null(strstr(s, "# NOT FILLED IN: this step needs the tenant's routing domain"));
	assert_non_null(strstr(s, "# NOT FILLED IN: this step needs the host authorities to add"));
	assert_non_null(strstr(s, "# NOT FILLED IN: this step needs the EWS URL"));
	/* No placeholder is ever code: every '<' sits in a comment or a string. */
	for (const char *l = s; *l;) {
		const char *eol = strchr(l, '\n'), *lt = strchr(l, '<');
		size_t ind = strspn(l, " ");

		if (lt != NULL && (eol == NULL || lt < eol) && l[ind] != '#') {
			const char *q = memchr(l, '\'', (size_t)(lt - l));

			if (q == NULL && strncmp(l + ind, "Write-Warning", 13) != 0)
				fail_msg("placeholder outside a comment: %.*s",
				    (int)(eol ? eol - l : (long)strlen(l)), l);
		}
		l = eol ? eol + 1 : l + strlen(l);
	}
	findings_release(&f);
	free(s);
}

static void
bad_value_drops_step_and_reports(void **state)
{
	struct remedy_inputs in;
	struct findings f = { 0 };
	struct finding *fd;
	char *s;
	int dropped;
	size_t before;

	(void)state;
	inputs(&in, "global");
	fd = want(&f, "ioc.onprem", "ioc.onprem");
	finding_evidence_param(fd, RP_ROUTING_DOMAIN, "routing domain", "contoso.com'; Remove-Item C:\\ -Recurse; '");
	fd = want(&f, "spn.coverage", "spn.add");
	finding_evidence_param(fd, RP_SPNS_ADD, "add", "00000002-0000-0ff1-ce00-000000000000/$(Remove-Item)");
	want(&f, "partnerapp.enabled", "partnerapp.enable");
	before = f.n;
	s = script(&f, &in, &dropped);
	assert_int_equal(dropped, 2);
	assert_int_equal(f.n, before + 2);
	assert_string_equal(f.v[before]->check, "remediation");
	assert_int_equal(f.v[before]->severity, SEV_ERROR);
	assert_non_null(strstr(f.v[before]->message, "ioc.onprem"));
	assert_non_null(strstr(s, "# STEP DROPPED: ioc.onprem"));
	assert_non_null(strstr(s, "# STEP DROPPED: spn.add"));
	assert_null(strstr(s, "New-IntraOrganizationConnector"));
	assert_null(strstr(s, "Update-MgServicePrincipal"));
	/* The healthy step next to them is still there. */
	assert_non_null(strstr(s, "Set-PartnerApplication -Identity $a.Identity -Enabled $true"));
	findings_release(&f);
	free(s);
}

/*
 * Issue 17 item 8: a name holding '*' (-Identity '*' addresses every
 * AuthServer) or a control character (shown as '?' in the report) drops
 * its step with the reason; neither reaches the script.
 */
static void
wildcard_and_control_names_refused(void **state)
{
	static const struct { const char *name, *why; } cases[] = {
		{ "*", "holds '*', a wildcard to -Identity" },
		{ "ACS*", "holds '*', a wildcard to -Identity" },
		{ "ACS\a-Contoso", "control character U+0007" },
	};

	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct remedy_inputs in;
		struct findings f = { 0 };
		struct finding *fd;
		char *s;
		int dropped;
		size_t before;

		inputs(&in, "global");
		fd = want(&f, "authserver.acs", "authserver.acs.fix");
		finding_evidence_param(fd, RP_AUTHSERVER, "authserver", "%s",
		    cases[k].name);
		before = f.n;
		s = script(&f, &in, &dropped);
		assert_int_equal(dropped, 1);
		assert_null(strstr(s, "Get-AuthServer -Identity"));
		assert_non_null(strstr(s, "# STEP DROPPED: authserver.acs.fix"));
		if (strstr(f.v[before]->message, cases[k].why) == NULL)
			fail_msg("'%s': %s", cases[k].name, f.v[before]->message);
		/* The evidence shows the name cleaned; the script never has it. */
		assert_null(strchr(finding_get(fd, "authserver"), '\a'));
		findings_release(&f);
		free(s);
	}
}

static void
url_hosts_are_checked(void **state)
{
	struct remedy_inputs in;
	struct findings f = { 0 };
	struct finding *fd;
	char *s;
	int dropped;

	(void)state;
	inputs(&in, "china");
	/* An ACS URL of another cloud's host, or a proxy outside the organisation. */
	fd = want(&f, "authserver.acs", "authserver.acs.create");
	finding_evidence_param(fd, RP_ACS_METADATA_URL, "acs metadata url", "https://evil.example/contoso.com/metadata/json/1");
	fd = want(&f, "servers.build", "availability.address-space");
	finding_evidence_param(fd, RP_PROXY_URL, "proxy url", "https://mail.fabrikam.com/EWS/Exchange.asmx");
	s = script(&f, &in, &dropped);
	assert_int_equal(dropped, 2);
	/* Named in the dropped step's comment, never assigned. */
	assert_null(strstr(s, "$acsUrl = "));
	assert_null(strstr(s, "$aasProxy = "));
	assert_non_null(strstr(s, "# STEP DROPPED: authserver.acs.create"));
	findings_release(&f);
	free(s);
}

/*
 * In the dedicated model Microsoft's script uploads the Auth certificates:
 * it reads them on the server, so no certificate file is needed and Graph
 * is not asked to take the key list from us.
 */
static void
dedicated_upload_through_microsofts_script(void **state)
{
	struct remedy_inputs in;
	struct findings f = { 0 };
	char *s;

	(void)state;
	inputs(&in, "global");
	in.cert_b64 = NULL;
	in.next_cert_b64 = NULL;
	in.hybrid_app_id = "d3a9c7e1-5b2f-4a6d-8c0e-1f2a3b4c5d6e";
	want(&f, "auth-cert.keycred", "authcert.upload");
	want(&f, "auth-config.certificate", "authcert.upload-next");
	s = script(&f, &in, NULL);
	assert_non_null(strstr(s, "& $hybridScript -UpdateCertificate -AzureEnvironment $hybridEnv"));
	assert_non_null(strstr(s, "$hybridEnv = 'Global'"));
	assert_non_null(strstr(s, "can take up to an hour"));
	assert_null(strstr(s, "Update-MgApplication"));
	assert_null(strstr(s, "NOT FILLED IN"));
	assert_changes_guarded(s);
	findings_release(&f);
	free(s);
}

static void
wrong_cloud_changes_nothing(void **state)
{
	struct remedy_inputs in;
	struct findings f = { 0 };
	char *s;

	(void)state;
	inputs(&in, "global");
	want(&f, "cloud.selection", "cloud.select");
	want(&f, "partnerapp.enabled", "partnerapp.enable");
	s = script(&f, &in, NULL);
	assert_non_null(strstr(s, "this script changes nothing'\nif ($Transcript) { Stop-Transcript | Out-Null }\nreturn\n"));
	assert_null(strstr(s, "Set-PartnerApplication"));
	findings_release(&f);
	free(s);
}

/*
 * The cloud's display name comes from a profile file (--endpoints): a line
 * break in it must not end the header comment and start a command.
 */
static void
cloud_display_name_stays_comment(void **state)
{
	struct remedy_inputs in;
	struct findings f = { 0 };
	struct cloud c;
	char *s;

	(void)state;
	inputs(&in, "china");
	c = *in.cloud;
	c.display_name = "21Vianet\r\nRemove-Item -Recurse C:\\\u2028Stop-Computer";
	in.cloud = &c;
	want(&f, "partnerapp.enabled", "partnerapp.enable");
	s = script(&f, &in, NULL);
	assert_non_null(strstr(s, "# hybridcheck remediation script for contoso.com"));
	assert_null(strstr(s, "\nRemove-Item"));
	assert_null(strstr(s, "\rRemove-Item"));
	assert_null(strstr(s, "\u2028Stop-Computer"));
	assert_non_null(strstr(s, "21Vianet`u{000D}`u{000A}Remove-Item -Recurse C:\\`u{2028}Stop-Computer"));
	findings_release(&f);
	free(s);
}

/*
 * Windows PowerShell 5.1 reads a script without a byte-order mark in the
 * ANSI code page: the script has the mark and is ASCII after it, with a
 * name outside ASCII written as [char] casts and, in comments, as `u{..}.
 */
static void
script_is_bom_and_ascii(void **state)
{
	static const char *const names[] = { "Hybrid \xc3\x91; Remove-Item x; #",
	    "\xd1\x82\xd1\x91 \xe4\xbf\x82 \xf0\x9f\x98\x80" };
	struct remedy_inputs in;
	struct findings f = { 0 };
	struct finding *fd;
	size_t at = 0;
	char *s;

	(void)state;
	inputs(&in, "china");
	fd = findings_add_for(&f, "authserver.acs", SEV_FAIL, names[0], "wrong URL %s", names[1]);
	finding_evidence_param(fd, RP_AUTHSERVER, "authserver", "%s", names[0]);
	finding_remedy(fd, "authserver.acs.fix");
	fd = findings_add_for(&f, "ioc.onprem", SEV_FAIL, names[1], "wrong endpoint");
	finding_evidence_param(fd, RP_CONNECTOR, "connector", "%s", names[1]);
	finding_evidence_param(fd, RP_ROUTING_DOMAIN, "routing domain", "%s",
	    "contoso.mail.partner.onmschina.cn");
	finding_remedy(fd, "ioc.onprem");
	s = script(&f, &in, NULL);
	assert_memory_equal(s, PS1_BOM, 3);
	if (!ps1_is_ascii(s + 3, strlen(s + 3), &at))
		fail_msg("byte 0x%02x outside ASCII at %zu: %.60s",
		    (unsigned char)s[3 + at], at, s + 3 + at);
	assert_non_null(strstr(s, "('Hybrid ' + [char]0x00D1 + '; Remove-Item x; #')"));
	assert_non_null(strstr(s, "('' + [char]0x0442 + [char]0x0451 + ' ' + [char]0x4FC2 + ' ' + [char]0xD83D + [char]0xDE00)"));
	assert_non_null(strstr(s, "# finding authserver.acs fail Hybrid `u{00D1}; Remove-Item x; #: wrong URL `u{0442}`u{0451} `u{4FC2} `u{1F600}"));
	findings_release(&f);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(catalogue_matches_docs),
		cmocka_unit_test(every_remedy_has_a_step),
		cmocka_unit_test(cloud_values_per_cloud),
		cmocka_unit_test(healthy_only_verifies),
		cmocka_unit_test(keeps_existing_credentials),
		cmocka_unit_test(unknown_values_become_instructions),
		cmocka_unit_test(bad_value_drops_step_and_reports),
		cmocka_unit_test(wildcard_and_control_names_refused),
		cmocka_unit_test(url_hosts_are_checked),
		cmocka_unit_test(dedicated_upload_through_microsofts_script),
		cmocka_unit_test(wrong_cloud_changes_nothing),
		cmocka_unit_test(cloud_display_name_stays_comment),
		cmocka_unit_test(script_is_bom_and_ascii),
	};

	return cmocka_run_group_tests(tests, hctest_clouds_setup,
	    hctest_clouds_teardown);
}
