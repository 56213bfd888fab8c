/*
 * The three workflows through the real command line: preflight --ps1,
 * remediate, verify against a baseline; option tables in step; reports
 * stable for diffing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "findings.h"
#include "hctest.h"
#include "mem.h"
#include "file.h"

static char *
read_all(const char *path)
{
	char *text = NULL;
	size_t len;
	struct hcerr e;

	if (file_read(path, 1 << 24, &text, &len, &e) == -1)
		fail_msg("%s", e.msg);
	return text;
}

static void
write_all(const char *path, const char *text)
{
	struct hcerr e;

	assert_int_equal(file_write_atomic(path, text, strlen(text), &e), 0);
}

/* remediate and verify take every preflight option, and --window. */
static void
options_in_step(void **state)
{
	const struct command *pre = cli_command("preflight");
	static const char *const cmds[] = { "preflight", "remediate", "verify" };

	(void)state;
	assert_non_null(pre);
	for (size_t c = 0; c < 3; c++) {
		struct hctest_run r = hctest_run(cmds[c], "--help", NULL);

		assert_int_equal(r.rc, EXIT_OK);
		for (const char *const *o = pre->opts; *o; o++) {
			char flag[64];

			snprintf(flag, sizeof(flag), "--%s", *o);
			if (strstr(r.out, flag) == NULL)
				fail_msg("%s --help lacks %s", cmds[c], flag);
		}
		assert_non_null(strstr(r.out, "--window DAYS"));
		assert_non_null(strstr(r.out, "--ps1 FILE"));
		hctest_run_free(&r);
	}
	{
		struct hctest_run r = hctest_run("verify", "--help", NULL);

		assert_non_null(strstr(r.out, "--baseline FILE"));
		hctest_run_free(&r);
	}
	{
		struct hctest_run r = hctest_run("preflight", "--baseline", "x", NULL);

		assert_int_equal(r.rc, EXIT_USAGE);
		hctest_run_free(&r);
	}
}

static void
required_options(void **state)
{
	struct hctest_run r;

	(void)state;
	r = hctest_run("remediate", "--domain", "contoso.com", "--cloud", "china", "--offline", NULL);
	assert_int_equal(r.rc, EXIT_USAGE);
	assert_non_null(strstr(r.err, "remediate needs --ps1 FILE"));
	hctest_run_free(&r);
	r = hctest_run("verify", "--domain", "contoso.com", "--cloud", "china", "--offline", NULL);
	assert_int_equal(r.rc, EXIT_USAGE);
	assert_non_null(strstr(r.err, "verify needs --baseline FILE"));
	hctest_run_free(&r);
	r = hctest_run("preflight", "--domain", "contoso.com", "--window", "-1", NULL);
	assert_int_equal(r.rc, EXIT_USAGE);
	hctest_run_free(&r);
	r = hctest_run("verify", "--domain", "contoso.com", "--cloud", "china", "--offline",
	    "--baseline", HC_TEST_TMP "/wf-missing.json", NULL);
	assert_int_equal(r.rc, EXIT_INCOMPLETE);
	assert_non_null(strstr(r.err, "wf-missing.json"));
	hctest_run_free(&r);
}

static void
remediate_writes_script(void **state)
{
	const char *ps1 = HC_TEST_TMP "/wf-fix.ps1";
	struct hctest_run r;
	char *s;

	(void)state;
	unlink(ps1);
	r = hctest_run("remediate", "--domain", "contoso.com", "--cloud", "china",
	    "--offline", "--window", "30", "--ps1", ps1, NULL);
	assert_int_equal(r.rc, EXIT_OK);
	assert_non_null(strstr(r.out, "hybridcheck remediate"));
	s = read_all(ps1);
	assert_non_null(strstr(s, "[CmdletBinding(SupportsShouldProcess)]"));
	assert_non_null(strstr(s, "$ewsUrl = 'https://partner.outlook.cn/EWS/Exchange.asmx'"));
	assert_non_null(strstr(s, "-ExchangeEnvironmentName 'O365China'"));
	free(s);
	hctest_run_free(&r);

	/* The wrong cloud: the report fails and the script changes nothing. */
	r = hctest_run("preflight", "--domain", "contoso.partner.onmschina.cn", "--cloud",
	    "global", "--offline", "--ps1", ps1, NULL);
	assert_int_equal(r.rc, EXIT_FAIL);
	s = read_all(ps1);
	assert_non_null(strstr(s, "# ---- cloud.select"));
	assert_non_null(strstr(s, "this script changes nothing'\nif ($Transcript) { Stop-Transcript | Out-Null }\nreturn\n"));
	free(s);
	hctest_run_free(&r);

	/* An unwritable destination is an error, and nothing is left behind. */
	r = hctest_run("remediate", "--domain", "contoso.com", "--cloud", "china",
	    "--offline", "--ps1", HC_TEST_TMP "/no-such-dir/fix.ps1", NULL);
	assert_int_equal(r.rc, EXIT_INCOMPLETE);
	assert_non_null(strstr(r.err, "--ps1"));
	hctest_run_free(&r);
}

/* Reports of an unchanged configuration compare equal, run metadata apart. */
static void
reports_are_stable(void **state)
{
	static const char *const fmts[] = { "text", "json", "junit" };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct hctest_run a = hctest_run("preflight", "--domain", "contoso.partner.onmschina.cn",
		    "--cloud", "global", "--offline", "--format", fmts[i], NULL);
		struct hctest_run b = hctest_run("preflight", "--domain", "contoso.partner.onmschina.cn",
		    "--cloud", "global", "--offline", "--format", fmts[i], NULL);
		char *ra = strstr(a.out, "\"run\":"), *rb = strstr(b.out, "\"run\":");

		/* Only the JSON run block may differ (its time). */
		if (ra != NULL && rb != NULL) {
			*ra = '\0';
			*rb = '\0';
		}
		assert_string_equal(a.out, b.out);
		hctest_run_free(&a);
		hctest_run_free(&b);
	}
	{
		struct hctest_run a = hctest_run("preflight", "--domain", "contoso.com", "--cloud",
		    "global", "--offline", "--format", "json", NULL);
		char *run_block = strstr(a.out, "\"run\":");

		/* The run block comes last, after every finding and the summary. */
		assert_non_null(run_block);
		assert_null(strstr(run_block, "\"findings\""));
		assert_null(strstr(run_block, "\"summary\""));
		assert_true(strstr(a.out, "\"time\"") > run_block);
		hctest_run_free(&a);
	}
}

static void
verify_against_baseline(void **state)
{
	const char *base = HC_TEST_TMP "/wf-baseline.json";
	struct hctest_run r;
	char *s;

	(void)state;
	r = hctest_run("preflight", "--domain", "contoso.partner.onmschina.cn", "--cloud",
	    "china", "--offline", "--format", "json", "--output", base, NULL);
	assert_int_equal(r.rc, EXIT_OK);
	hctest_run_free(&r);

	/* Unchanged: exit 0, and the verdict says so first. */
	r = hctest_run("verify", "--domain", "contoso.partner.onmschina.cn", "--cloud",
	    "china", "--offline", "--baseline", base, NULL);
	assert_int_equal(r.rc, EXIT_OK);
	assert_non_null(strstr(r.out, "0 regressed, 0 unverified, 0 new, 0 fixed, "
	    "0 changed, 0 gone, "));
	s = strchr(r.out, '\n');
	assert_non_null(s);
	assert_true(strncmp(s + 1, "verdict: OK: nothing worse than information; "
	    "no regression since the baseline; checked 1 of 41 checks (exit 0)\n",
	    95) == 0);
	(void)s;
	hctest_run_free(&r);

	/* A planted regression: the wrong cloud makes a passing check fail. */
	r = hctest_run("verify", "--domain", "contoso.partner.onmschina.cn", "--cloud",
	    "global", "--offline", "--baseline", base, NULL);
	assert_int_equal(r.rc, EXIT_FAIL);
	assert_non_null(strstr(r.out, "regressed  cloud.selection contoso.partner.onmschina.cn: was pass, now fail"));
	assert_non_null(strstr(r.out, "verdict: FAIL: 1 regression since the baseline, 1 failure; checked 1 of 41 checks (exit 2)"));
	hctest_run_free(&r);

	r = hctest_run("verify", "--domain", "contoso.partner.onmschina.cn", "--cloud",
	    "global", "--offline", "--baseline", base, "--format", "json", NULL);
	assert_int_equal(r.rc, EXIT_FAIL);
	assert_non_null(strstr(r.out, "\"baseline\":"));
	assert_non_null(strstr(r.out, "\"kind\":\t\"regressed\""));
	assert_non_null(strstr(r.out, "\"exit_code\":\t2"));
	hctest_run_free(&r);

	r = hctest_run("verify", "--domain", "contoso.partner.onmschina.cn", "--cloud",
	    "global", "--offline", "--baseline", base, "--format", "junit", NULL);
	assert_int_equal(r.rc, EXIT_FAIL);
	assert_non_null(strstr(r.out, "<testsuite name=\"baseline\" tests=\"1\" failures=\"1\""));
	assert_non_null(strstr(r.out, "type=\"regression\""));
	hctest_run_free(&r);

	/* A regressed baseline read back: a failing one is fixed now. */
	write_all(base, "{\"findings\":[{\"check\":\"cloud.selection\",\"subject\":"
	    "\"contoso.partner.onmschina.cn\",\"severity\":\"fail\"}]}");
	r = hctest_run("verify", "--domain", "contoso.partner.onmschina.cn", "--cloud",
	    "china", "--offline", "--baseline", base, NULL);
	assert_int_equal(r.rc, EXIT_OK);
	assert_non_null(strstr(r.out, "fixed      cloud.selection"));
	hctest_run_free(&r);

	write_all(base, "{\"findings\":[{\"check\":\"cloud.selection\"}]}");
	r = hctest_run("verify", "--domain", "contoso.com", "--cloud", "china",
	    "--offline", "--baseline", base, NULL);
	assert_int_equal(r.rc, EXIT_INCOMPLETE);
	assert_non_null(strstr(r.err, "findings[0].severity: expected a string, got nothing"));
	hctest_run_free(&r);
}

/*
 * The false greens of issue 18: a problem of the baseline that this run
 * did not look at is unverified, listed, and the run exits 3 -- never
 * "gone" or "fixed" with exit 0.
 */
static void
verify_unverified(void **state)
{
	const char *base = HC_TEST_TMP "/wf-unv-baseline.json";
	const char *nograph = HC_TEST_TMP "/wf-unv-nograph.json";
	const char *snap = HC_SOURCE_DIR "/examples/broken/cert-renewed-not-in-entra.json";
	struct hctest_run r;
	cJSON *doc;
	char *text;

	(void)state;
	setenv("HYBRIDCHECK_NOW", "2026-11-21T12:00:00Z", 1);
	r = hctest_run("preflight", "--snapshot", snap, "--offline", "--format",
	    "json", "--output", base, NULL);
	assert_int_equal(r.rc, EXIT_FAIL);
	hctest_run_free(&r);
	text = read_all(base);
	assert_non_null(strstr(text, "\"auth-cert.entra\""));
	free(text);

	/* The same snapshot collected without Graph (the sign-in was cancelled). */
	text = read_all(snap);
	doc = cJSON_Parse(text);
	free(text);
	assert_non_null(doc);
	cJSON_DeleteItemFromObject(doc, "entra");
	text = cJSON_Print(doc);
	write_all(nograph, text);
	free(text);
	cJSON_Delete(doc);

	r = hctest_run("verify", "--snapshot", nograph, "--offline", "--baseline",
	    base, NULL);
	assert_int_equal(r.rc, EXIT_INCOMPLETE);
	assert_non_null(strstr(r.out, "unverified auth-cert.entra "));
	assert_non_null(strstr(r.out, "verdict: INCOMPLETE: "));
	assert_non_null(strstr(r.out, "problem of the baseline unverified"));
	assert_null(strstr(r.out, "no regression since the baseline"));
	assert_null(strstr(r.out, "gone       auth-cert.entra"));
	hctest_run_free(&r);

	r = hctest_run("verify", "--snapshot", nograph, "--offline", "--baseline",
	    base, "--format", "json", NULL);
	assert_int_equal(r.rc, EXIT_INCOMPLETE);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	assert_true(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(doc,
	    "baseline"), "counts"), "unverified")->valueint >= 1);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "summary"),
	    "exit_code")->valueint, EXIT_INCOMPLETE);
	cJSON_Delete(doc);
	hctest_run_free(&r);

	/* Network findings of a baseline, verified --offline: unverified too. */
	write_all(base, "{\"findings\":["
	    "{\"check\":\"endpoint.ews\",\"subject\":\"mail.contoso.com\","
	    "\"probe\":\"ews\",\"severity\":\"fail\"},"
	    "{\"check\":\"tls.certificate\",\"subject\":\"mail.contoso.com\","
	    "\"severity\":\"fail\"},"
	    "{\"check\":\"cloud.selection\",\"subject\":\"contoso.com\","
	    "\"severity\":\"pass\"}]}");
	r = hctest_run("verify", "--domain", "contoso.com", "--cloud", "global",
	    "--offline", "--baseline", base, "--format", "junit", NULL);
	assert_int_equal(r.rc, EXIT_INCOMPLETE);
	assert_non_null(strstr(r.out, "type=\"unverified\""));
	assert_non_null(strstr(r.out, "unverified endpoint.ews mail.contoso.com (ews)"));
	hctest_run_free(&r);
	unsetenv("HYBRIDCHECK_NOW");
}

/*
 * A script that cannot be written is named, by the path given, and the
 * report is still written; the run cannot be called complete.
 */
static void
ps1_write_fails(void **state)
{
	const char *snap = HC_SOURCE_DIR "/examples/broken/partnerapp-disabled.json";
	struct hctest_run r;

	(void)state;
	r = hctest_run("remediate", "--snapshot", snap, "--offline", "--ps1",
	    "/nonexistent-dir/fix.ps1", NULL);
	assert_int_equal(r.rc, EXIT_FAIL);
	assert_non_null(strstr(r.err, "--ps1: cannot write '/nonexistent-dir/fix.ps1'"));
	assert_null(strstr(r.err, ".tmp."));
	assert_null(strstr(r.err, ".tmp-"));
	assert_non_null(strstr(r.out, "verdict: FAIL"));
	assert_non_null(strstr(r.out, "the script: not written: cannot write "
	    "'/nonexistent-dir/fix.ps1'"));
	hctest_run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(options_in_step),
		cmocka_unit_test(required_options),
		cmocka_unit_test(remediate_writes_script),
		cmocka_unit_test(reports_are_stable),
		cmocka_unit_test(verify_against_baseline),
		cmocka_unit_test(verify_unverified),
		cmocka_unit_test(ps1_write_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
