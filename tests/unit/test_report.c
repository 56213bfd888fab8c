/* findings and reporters: the exit-code rule and the three formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "findings.h"
#include "report.h"
#include "file.h"

static void
test_exit_rule(void **state)
{
	struct findings f = { 0 };

	(void)state;
	assert_int_equal(findings_exit_code(&f), EXIT_INCOMPLETE);
	findings_add_for(&f, "a.b", SEV_SKIP, "", "needs x");
	assert_int_equal(findings_exit_code(&f), EXIT_INCOMPLETE);
	findings_add_for(&f, "a.b", SEV_PASS, "", "fine");
	assert_int_equal(findings_exit_code(&f), EXIT_OK);
	findings_add_for(&f, "a.b", SEV_INFO, "", "note");
	assert_int_equal(findings_exit_code(&f), EXIT_OK);
	findings_add_for(&f, "a.b", SEV_WARN, "", "hmm");
	assert_int_equal(findings_exit_code(&f), EXIT_WARN);
	findings_add_for(&f, "a.b", SEV_ERROR, "", "could not");
	assert_int_equal(findings_exit_code(&f), EXIT_INCOMPLETE);
	/* A failure outranks what could not complete, in either order. */
	findings_add_for(&f, "a.b", SEV_FAIL, "", "bad");
	assert_int_equal(findings_exit_code(&f), EXIT_FAIL);
	findings_add_for(&f, "a.b", SEV_ERROR, "", "could not either");
	assert_int_equal(findings_exit_code(&f), EXIT_FAIL);
	assert_int_equal(findings_worst(&f), SEV_ERROR);
	findings_release(&f);
	findings_release(&f);

	assert_int_equal(exit_status_worse(EXIT_INCOMPLETE, EXIT_FAIL), EXIT_FAIL);
	assert_int_equal(exit_status_worse(EXIT_FAIL, EXIT_INCOMPLETE), EXIT_FAIL);
	assert_int_equal(exit_status_worse(EXIT_WARN, EXIT_INCOMPLETE),
	    EXIT_INCOMPLETE);
	assert_int_equal(exit_status_worse(EXIT_OK, EXIT_WARN), EXIT_WARN);
	assert_int_equal(exit_status_worse(EXIT_OK, EXIT_OK), EXIT_OK);
}

static void
test_evidence_order_and_cleaning(void **state)
{
	struct findings f = { 0 };
	struct finding *fd;

	(void)state;
	fd = findings_add_for(&f, "x.y", SEV_FAIL, "host\033]0;evil\a", "msg\nline");
	finding_evidence(fd, "b", "2");
	finding_evidence(fd, "a", "1");
	finding_evidence(fd, "b", "3");	/* keeps its place, takes the value */
	assert_int_equal(fd->nev, 2);
	assert_string_equal(fd->ev[0].key, "b");
	assert_string_equal(fd->ev[0].value, "3");
	assert_string_equal(fd->ev[1].key, "a");
	assert_string_equal(fd->subject, "host?]0;evil?");
	assert_string_equal(fd->message, "msg?line");
	assert_string_equal(finding_get(fd, "a"), "1");
	assert_null(finding_get(fd, "zz"));
	findings_release(&f);
}

static void
sample(struct findings *f)
{
	struct finding *fd;

	fd = findings_add_for(f, "spn.coverage", SEV_FAIL, "contoso.com",
	    "the apex <contoso.com> & \"friends\" are not covered");
	finding_evidence(fd, "host", "contoso.com");
	finding_evidence(fd, "closest", "00000002-0000-0ff1-ce00-000000000000/*.contoso.com");
	finding_remedy(fd, "spn.add");
	findings_add_for(f, "spn.coverage", SEV_PASS, "mail.contoso.com", "covered");
	findings_add_for(f, "acs.metadata", SEV_ERROR, "accounts.accesscontrol.windows.net",
	    "timed out");
	findings_add_for(f, "acs.keys", SEV_SKIP, "", "needs network");
	findings_add_for(f, "auth-cert.key", SEV_WARN, "OAuthCert.pfx", "private key present");
}

static const struct report_target target = {
	.command = "preflight", .domain = "contoso.com", .cloud = "global",
	.tenant_id = "72416f3c-199e-43f6-9bb5-29f4a10665d5",
};

/*
 * A check keeps the first finding while adding more, then writes evidence
 * through it: the finding must not have moved (ASan would report a write
 * to freed memory if the array of findings were reallocated under it).
 */
static void
test_pointer_survives_adds(void **state)
{
	struct findings f = { 0 };
	struct finding *first, *mid = NULL;
	char key[32];

	(void)state;
	first = findings_add_for(&f, "x.keep", SEV_WARN, "h", "first");
	for (int i = 0; i < 1000; i++) {
		struct finding *fd;

		fd = findings_add_for(&f, "x.more", SEV_INFO, "h", "n%d", i);
		if (i == 500)
			mid = fd;
		snprintf(key, sizeof(key), "k%d", i);
		finding_evidence(first, key, "%d", i);
	}
	finding_remedy(first, "some-remedy");
	finding_evidence(mid, "late", "yes");
	assert_int_equal(f.n, 1001);
	assert_ptr_equal(f.v[0], first);
	assert_ptr_equal(f.v[501], mid);
	assert_int_equal(first->nev, 1000);
	assert_string_equal(finding_get(first, "k999"), "999");
	assert_string_equal(first->remedy, "some-remedy");
	assert_string_equal(first->message, "first");
	assert_string_equal(finding_get(f.v[501], "late"), "yes");
	assert_string_equal(f.v[501]->message, "n500");
	findings_release(&f);
	assert_null(f.v);
	assert_int_equal(f.n, 0);
}

static void
test_json(void **state)
{
	struct findings f = { 0 };
	struct buf b;
	cJSON *root, *arr, *first, *sum;

	(void)state;
	sample(&f);
	buf_init(&b, (size_t)-1);
	report_json(&b, &target, &f);
	root = cJSON_Parse(b.data);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "schema")->valuestring,
	    "hybridcheck.report/1");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "target"),
	    "tenant_id")->valuestring, "72416f3c-199e-43f6-9bb5-29f4a10665d5");
	arr = cJSON_GetObjectItem(root, "findings");
	assert_int_equal(cJSON_GetArraySize(arr), 5);
	first = cJSON_GetArrayItem(arr, 0);
	assert_string_equal(cJSON_GetObjectItem(first, "check")->valuestring, "spn.coverage");
	assert_string_equal(cJSON_GetObjectItem(first, "severity")->valuestring, "fail");
	assert_string_equal(cJSON_GetObjectItem(first, "remedy")->valuestring, "spn.add");
	assert_string_equal(cJSON_GetObjectItem(first, "evidence")->child->string, "host");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 1), "remedy")));
	sum = cJSON_GetObjectItem(root, "summary");
	assert_int_equal(cJSON_GetObjectItem(sum, "fail")->valueint, 1);
	/* A failure and an error: the failure decides. */
	assert_int_equal(cJSON_GetObjectItem(sum, "exit_code")->valueint, EXIT_FAIL);
	assert_string_equal(cJSON_GetObjectItem(sum, "worst")->valuestring, "error");
	cJSON_Delete(root);
	buf_release(&b);
	findings_release(&f);
}

/* Where a piece of text is in the report; fails when it is not there. */
static size_t
at(const char *report, const char *piece)
{
	const char *p = strstr(report, piece);

	if (p == NULL)
		fail_msg("the report has no '%s':\n%s", piece, report);
	return (size_t)(p - report);
}

static void
test_text(void **state)
{
	struct findings f = { 0 };
	struct report_target t = target;
	struct report_coverage c = { 0 };
	struct coverage_gap *g;
	struct buf b;

	(void)state;
	sample(&f);
	c.total = 4;
	c.checked = 2;
	c.incomplete = 1;
	g = report_coverage_gap(&c, "live probes");
	g->how = xstrdup("drop --offline");
	strlist_add(&g->checks, "acs.keys");
	t.coverage = &c;
	t.remediate = "hybridcheck remediate -d contoso.com --ps1 fix.ps1";
	buf_init(&b, (size_t)-1);
	report_text(&b, &t, &f, 0);
	/* The verdict comes first, with what was not checked. */
	assert_int_equal(at(b.data, "hybridcheck preflight  domain contoso.com  cloud global"), 0);
	at(b.data, "\nverdict: FAIL: 1 failure, 1 could not complete, 1 warning; "
	    "checked 2 of 4 checks (exit 2)\n");
	at(b.data, "  not checked: live probes (drop --offline): 1 check\n");
	at(b.data, "  could not complete: 1 check ran but learned nothing");
	/* Problems one line each, worst first; then next steps; then details. */
	assert_true(at(b.data, "\nproblems:\n  FAIL  spn.coverage contoso.com: the apex") <
	    at(b.data, "  ERROR acs.metadata accounts.accesscontrol.windows.net: timed out\n"));
	assert_true(at(b.data, "  ERROR acs.metadata") <
	    at(b.data, "  WARN  auth-cert.key OAuthCert.pfx: private key present\n"));
	assert_true(at(b.data, "  WARN  auth-cert.key") < at(b.data, "\nnext steps:\n"));
	at(b.data, "  in Microsoft Graph PowerShell (Entra ID):\n    spn.add — add the "
	    "missing host authorities");
	at(b.data, "        for spn.coverage contoso.com\n");
	at(b.data, "  write the script: hybridcheck remediate -d contoso.com --ps1 fix.ps1\n");
	assert_true(at(b.data, "write the script") < at(b.data, "\ndetails"));
	at(b.data, "          closest: 00000002-0000-0ff1-ce00-000000000000/*.contoso.com\n");
	/* Passes: one line per check, and no check with a problem among them. */
	assert_null(strstr(b.data, "PASS  spn.coverage"));
	assert_null(strstr(b.data, "remedy: spn.add"));
	assert_null(strchr(b.data, '\033'));
	buf_release(&b);

	buf_init(&b, (size_t)-1);
	report_text(&b, &t, &f, 1);
	assert_non_null(strstr(b.data, "\033[1;31mFAIL"));
	buf_release(&b);

	/* -q: the verdict, what was not checked, the problems; nothing else. */
	t.detail = DETAIL_QUIET;
	buf_init(&b, (size_t)-1);
	report_text(&b, &t, &f, 0);
	assert_int_equal(at(b.data, "verdict: FAIL"), 0);
	at(b.data, "problems:\n");
	assert_null(strstr(b.data, "next steps"));
	assert_null(strstr(b.data, "details"));
	assert_null(strstr(b.data, "closest:"));
	buf_release(&b);

	/* -v: everything, remedy ids, passes with their subjects, every skip. */
	t.detail = DETAIL_VERBOSE;
	buf_init(&b, (size_t)-1);
	report_text(&b, &t, &f, 0);
	at(b.data, "    PASS  mail.contoso.com: covered\n");
	at(b.data, "          remedy: spn.add\n");
	at(b.data, "\nskipped:\n  SKIP  acs.keys: needs network\n");
	at(b.data, "  not checked: live probes (drop --offline): acs.keys\n");
	at(b.data, "5 findings: 1 fail, 1 error, 1 warn, 0 info, 1 pass, 1 skipped\n");
	buf_release(&b);
	report_coverage_release(&c);
	findings_release(&f);
}

/* A failure that is the host's: shown once, where it is judged. */
static void
test_text_folds_transport_failures(void **state)
{
	struct findings f = { 0 };
	struct report_target t = target;
	struct finding *fd;
	struct buf b;

	(void)state;
	fd = findings_add_for(&f, "endpoint.onprem-autodiscover", SEV_FAIL,
	    "autodiscover.contoso.com", "autodiscover.svc is not reachable: TLS "
	    "failed: self-signed certificate");
	finding_evidence(fd, "url", "GET https://autodiscover.contoso.com/autodiscover/autodiscover.svc");
	finding_evidence(fd, "dns", "A: 192.0.2.1");
	finding_evidence(fd, "result", "TLS failed: SSL certificate problem: self-signed certificate");
	finding_remedy(fd, "tls.certificate");
	fd = findings_add_for(&f, "endpoint.ews", SEV_FAIL, "autodiscover.contoso.com",
	    "EWS is not reachable: TLS failed");
	finding_evidence(fd, "url", "GET https://autodiscover.contoso.com/EWS/Exchange.asmx");
	finding_evidence(fd, "result", "TLS failed: SSL certificate problem: self-signed certificate");
	fd = findings_add_for(&f, "tls.certificate", SEV_FAIL, "autodiscover.contoso.com",
	    "certificate of 'autodiscover.contoso.com': chain does not verify");
	finding_evidence(fd, "issuer", "CN=autodiscover.contoso.com");
	fd = findings_add_for(&f, "onprem.metadata", SEV_WARN, "autodiscover.contoso.com",
	    "no auth metadata");
	finding_evidence(fd, "result", "TLS failed: SSL certificate problem: self-signed certificate");
	fd = findings_add_for(&f, "endpoint.ews", SEV_FAIL, "mail.contoso.com",
	    "EWS is not reachable: connection failed");
	finding_evidence(fd, "result", "connection failed: refused");
	fd = findings_add_for(&f, "oauth.challenge", SEV_FAIL, "mail.contoso.com",
	    "no answer");
	finding_evidence(fd, "result", "connection failed: refused");

	assert_ptr_equal(report_fold_target(&f, f.v[0]), f.v[2]);
	assert_ptr_equal(report_fold_target(&f, f.v[1]), f.v[2]);
	assert_null(report_fold_target(&f, f.v[2]));
	assert_ptr_equal(report_fold_target(&f, f.v[3]), f.v[2]);
	assert_null(report_fold_target(&f, f.v[4]));
	assert_ptr_equal(report_fold_target(&f, f.v[5]), f.v[4]);

	buf_init(&b, (size_t)-1);
	report_text(&b, &t, &f, 0);
	at(b.data, "  FAIL  tls.certificate autodiscover.contoso.com: certificate of");
	at(b.data, "  FAIL  endpoint.onprem-autodiscover, endpoint.ews, onprem.metadata "
	    "autodiscover.contoso.com: the same failure, not repeated (see tls.certificate)\n");
	at(b.data, "  FAIL  oauth.challenge mail.contoso.com: the same failure, not "
	    "repeated (see endpoint.ews)\n");
	assert_null(strstr(b.data, "EWS is not reachable: TLS failed"));
	/* The network's own evidence waits for -v. */
	assert_null(strstr(b.data, "dns: A: 192.0.2.1"));
	buf_release(&b);

	t.detail = DETAIL_VERBOSE;
	buf_init(&b, (size_t)-1);
	report_text(&b, &t, &f, 0);
	at(b.data, "  FAIL  endpoint.ews autodiscover.contoso.com: EWS is not reachable: TLS failed\n");
	at(b.data, "          dns: A: 192.0.2.1\n");
	buf_release(&b);
	findings_release(&f);
}

/* The HTML page: self-contained, escaped, every problem and every link of the trust. */
static void
test_html(void **state)
{
	struct findings f = { 0 };
	struct buf b;

	(void)state;
	sample(&f);
	buf_init(&b, (size_t)-1);
	report_html(&b, &target, &f);
	at(b.data, "<!DOCTYPE html>");
	/* Nothing to fetch: no script, no stylesheet link, no image or font URL. */
	assert_null(strstr(b.data, "<script"));
	assert_null(strstr(b.data, "<link"));
	assert_null(strstr(b.data, "src="));
	assert_null(strstr(b.data, "url(http"));
	assert_null(strstr(b.data, "@import"));
	assert_null(strstr(b.data, "<contoso.com>"));
	at(b.data, "the apex &lt;contoso.com&gt; &amp; &quot;friends&quot;");
	at(b.data, "data-check=\"spn.coverage\" data-severity=\"fail\" data-subject=\"contoso.com\"");
	at(b.data, "data-check=\"acs.metadata\" data-severity=\"error\"");
	/* Problems before next steps before the drawing before the details. */
	assert_true(at(b.data, "id=\"verdict\"") < at(b.data, "id=\"problems\""));
	assert_true(at(b.data, "id=\"problems\"") < at(b.data, "id=\"next-steps\""));
	assert_true(at(b.data, "id=\"next-steps\"") < at(b.data, "id=\"trust\""));
	assert_true(at(b.data, "id=\"trust\"") < at(b.data, "id=\"details\""));
	/* The drawing has a title and a description, and says each state in words. */
	at(b.data, "role=\"img\" aria-labelledby=\"trust-title trust-desc\"");
	at(b.data, "<desc id=\"trust-desc\">");
	at(b.data, "<g class=\"edge st-fail\" id=\"edge-entra-exo\" data-edge=\"entra-exo\" "
	    "data-status=\"fail\"");
	at(b.data, "data-edge=\"exo-authservers\" data-status=\"error\"");
	at(b.data, "data-edge=\"exo-ioc-cloud\" data-status=\"not-checked\"");
	at(b.data, "\u2717 FAIL");
	at(b.data, "\u2013 not checked");
	/* Evidence folds away. */
	at(b.data, "<details><summary>evidence (2)</summary>");
	buf_release(&b);
	findings_release(&f);
}

/* Whether s holds something XML 1.0 forbids: a C0 control but TAB/LF/CR, U+FFFE, U+FFFF. */
static int
xml_illegal(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			return 1;
		if (p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf))
			return 1;
	}
	return 0;
}

/*
 * Issue 17 item 8: U+FFFE, U+FFFF and control characters in a value
 * keep the JUnit document well formed; bidi overrides are named, never
 * applied, in every report.
 */
static void
test_junit_xml_illegal(void **state)
{
	struct findings f = { 0 };
	struct finding *fd;
	struct buf b;

	(void)state;
	fd = findings_add_for(&f, "connector.x", SEV_FAIL,
	    "Hybrid \xef\xbf\xbe\xef\xbf\xbf \x01", "name \xef\xbf\xbf\x02 and "
	    "\xe2\x80\xae" "txt.exe");
	finding_evidence(fd, "name", "a\xef\xbf\xbe" "b\x1b[31m");
	buf_init(&b, (size_t)-1);
	report_junit(&b, &target, &f);
	assert_false(xml_illegal(b.data));
	assert_null(strstr(b.data, "\xe2\x80\xae"));
	assert_non_null(strstr(b.data, "[U+202E]txt.exe"));
	buf_release(&b);
	/* The escaping itself, for values that were never cleaned. */
	buf_init(&b, (size_t)-1);
	buf_markup(&b, "x\xef\xbf\xbey\xef\xbf\xbfz\x0b\t");
	assert_false(xml_illegal(b.data));
	assert_string_equal(b.data, "x\xef\xbf\xbdy\xef\xbf\xbdz\xef\xbf\xbd\t");
	buf_release(&b);
	buf_init(&b, (size_t)-1);
	report_text(&b, &target, &f, 0);
	assert_null(strstr(b.data, "\xe2\x80\xae"));
	assert_null(strstr(b.data, "\x1b"));
	buf_release(&b);
	findings_release(&f);
}

static void
test_junit(void **state)
{
	struct findings f = { 0 };
	struct buf b;

	(void)state;
	sample(&f);
	buf_init(&b, (size_t)-1);
	report_junit(&b, &target, &f);
	assert_non_null(strstr(b.data, "<testsuite name=\"contoso.com\" tests=\"5\" failures=\"1\" errors=\"1\" skipped=\"1\">"));
	assert_non_null(strstr(b.data, "<failure message=\"the apex &lt;contoso.com&gt; &amp; &quot;friends&quot; are not covered\" type=\"fail\"/>"));
	assert_non_null(strstr(b.data, "<error message=\"timed out\" type=\"error\"/>"));
	assert_non_null(strstr(b.data, "<skipped message=\"needs network\"/>"));
	assert_non_null(strstr(b.data, "<testcase classname=\"spn.coverage\" name=\"spn.coverage mail.contoso.com\"/>"));
	/* The raw characters never appear unescaped inside attributes. */
	assert_null(strstr(b.data, "<contoso.com>"));
	buf_release(&b);
	findings_release(&f);
}

static void
test_write_whole_or_nothing(void **state)
{
	struct findings f = { 0 };
	struct hcerr e = { "" };
	char *path = xasprintf("%s/report.json", HC_TEST_TMP), *text = NULL;
	size_t len;

	(void)state;
	sample(&f);
	unlink(path);
	assert_int_equal(report_write(path, stdout, FMT_JSON, &target, &f, 0, &e), 0);
	assert_int_equal(file_read(path, 1 << 20, &text, &len, &e), 0);
	assert_non_null(strstr(text, "hybridcheck.report/1"));
	free(text);
	assert_int_equal(report_write(HC_TEST_TMP "/missing-dir/r.json", stdout,
	    FMT_JSON, &target, &f, 0, &e), -1);
	assert_non_null(strstr(e.msg, "missing-dir"));
	unlink(path);
	free(path);
	findings_release(&f);
}

static void
test_color_rule(void **state)
{
	FILE *f = tmpfile();

	(void)state;
	unsetenv("NO_COLOR");
	assert_int_equal(report_want_color(f, 0), 0);	/* not a terminal */
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_rule),
		cmocka_unit_test(test_evidence_order_and_cleaning),
		cmocka_unit_test(test_pointer_survives_adds),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_folds_transport_failures),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_junit_xml_illegal),
		cmocka_unit_test(test_write_whole_or_nothing),
		cmocka_unit_test(test_color_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
