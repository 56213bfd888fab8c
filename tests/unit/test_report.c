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
	"preflight", "contoso.com", "global", "72416f3c-199e-43f6-9bb5-29f4a10665d5", NULL, NULL, NULL, NULL,
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

static void
test_text(void **state)
{
	struct findings f = { 0 };
	struct buf b;

	(void)state;
	sample(&f);
	buf_init(&b, (size_t)-1);
	report_text(&b, &target, &f, 0);
	assert_non_null(strstr(b.data, "hybridcheck preflight  domain contoso.com  cloud global"));
	/* The heading carries the check's title once the table has the check. */
	assert_non_null(strstr(b.data, "\nspn.coverage"));
	assert_non_null(strstr(b.data, "\n  FAIL  contoso.com: the apex"));
	assert_non_null(strstr(b.data, "        remedy: spn.add\n"));
	assert_non_null(strstr(b.data, "skipped (add the input named to run them):\n  needs network: acs.keys\n"));
	assert_non_null(strstr(b.data, "verdict: FAIL: failures to fix (exit 2)"));
	assert_null(strchr(b.data, '\033'));
	buf_release(&b);

	buf_init(&b, (size_t)-1);
	report_text(&b, &target, &f, 1);
	assert_non_null(strstr(b.data, "\033[1;31mFAIL"));
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
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_write_whole_or_nothing),
		cmocka_unit_test(test_color_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
