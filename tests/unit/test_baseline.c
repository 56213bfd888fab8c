/* Baselines: lenient parsing with precise errors, and the comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "baseline.h"
#include "buf.h"

static int
parse(struct baseline *b, const char *text, struct hcerr *e)
{
	return baseline_parse(b, text, strlen(text), "prev.json", e);
}

static void
parses_report_and_variants(void **state)
{
	struct baseline b;
	struct hcerr e;

	(void)state;
	assert_int_equal(parse(&b, "{\"schema\":\"hybridcheck.report/1\",\"target\":{},"
	    "\"findings\":[{\"check\":\"a.b\",\"severity\":\"fail\",\"subject\":\"x\","
	    "\"message\":\"m\",\"evidence\":{},\"remedy\":null},"
	    "{\"Check\":\"c.d\",\"Severity\":\"PASS\"},"
	    "{\"check\":\"e.f\",\"severity\":\"Skipped\",\"subject\":null,\"extra\":[1]}],"
	    "\"run\":{\"time\":\"2026-01-01T00:00:00Z\"}}", &e), 0);
	assert_int_equal(b.n, 3);
	assert_string_equal(b.v[0].check, "a.b");
	assert_string_equal(b.v[0].subject, "x");
	assert_int_equal(b.v[0].severity, SEV_FAIL);
	assert_string_equal(b.v[1].check, "c.d");
	assert_string_equal(b.v[1].subject, "");
	assert_int_equal(b.v[1].severity, SEV_PASS);
	assert_int_equal(b.v[2].severity, SEV_SKIP);
	baseline_release(&b);

	/* A bare array of findings is accepted too. */
	assert_int_equal(parse(&b, "[{\"check\":\"a\",\"severity\":\"warn\"}]", &e), 0);
	assert_int_equal(b.n, 1);
	baseline_release(&b);
}

static void
errors_name_the_path(void **state)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "{", "baseline 'prev.json': not JSON" },
		{ "42", "expected a JSON report (an object with findings), got a number" },
		{ "{\"findings\":{}}", "findings: expected an array, got an object" },
		{ "{\"schema\":\"hybridcheck.cloud/1\",\"findings\":[]}", "schema: expected hybridcheck.report/1" },
		{ "{\"findings\":[{\"check\":\"a\",\"severity\":\"pass\"},7]}", "findings[1]: expected an object, got a number" },
		{ "{\"findings\":[{\"severity\":\"pass\"}]}", "findings[0].check: expected a check id, got nothing" },
		{ "{\"findings\":[{\"check\":\"a\",\"severity\":3}]}", "findings[0].severity: expected a string, got a number" },
		{ "{\"findings\":[{\"check\":\"a\",\"severity\":\"bad\"}]}", "findings[0].severity: expected pass, skip, info, warn, fail or error, got 'bad'" },
		{ "{\"findings\":[{\"check\":\"a\",\"severity\":\"pass\",\"subject\":[]}]}", "findings[0].subject: expected a string, got an array" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct baseline b;
		struct hcerr e = { "" };

		assert_int_equal(parse(&b, bad[i].text, &e), -1);
		if (strstr(e.msg, bad[i].msg) == NULL)
			fail_msg("'%s': got '%s', expected '%s'", bad[i].text, e.msg, bad[i].msg);
		assert_int_equal(b.n, 0);
		assert_null(b.v);
	}
}

static void
load_missing_file(void **state)
{
	struct baseline b;
	struct hcerr e = { "" };

	(void)state;
	assert_int_equal(baseline_load(&b, HC_TEST_TMP "/no-such-baseline.json", &e), -1);
	assert_non_null(strstr(e.msg, "no-such-baseline.json"));
}

/* The cap keeps a huge baseline from making verify hang. */
static void
too_many_findings(void **state)
{
	struct baseline b;
	struct hcerr e = { "" };
	struct buf t;
	clock_t t0 = clock();

	(void)state;
	buf_init(&t, (size_t)-1);
	buf_printf(&t, "{\"findings\":[");
	for (int i = 0; i <= BASELINE_FINDINGS_MAX; i++)
		buf_printf(&t, "%s{\"check\":\"c%d\",\"severity\":\"pass\"}",
		    i ? "," : "", i);
	buf_printf(&t, "]}");
	assert_int_equal(baseline_parse(&b, t.data, t.len, "big.json", &e), -1);
	assert_non_null(strstr(e.msg, "findings: 10001 findings, more than the 10000"));
	assert_null(b.v);
	/* Exactly the cap still parses, and compares quickly. */
	t.len = (size_t)(strrchr(t.data, '{') - t.data) - 1;
	buf_printf(&t, "]}");
	assert_int_equal(baseline_parse(&b, t.data, t.len, "big.json", &e), 0);
	assert_int_equal(b.n, BASELINE_FINDINGS_MAX);
	{
		struct findings f = { 0 };
		struct diff d;

		findings_add_for(&f, "c9999", SEV_FAIL, "", "m");
		diff_compute(&d, &b, &f);
		assert_int_equal(d.count[DIFF_GONE], BASELINE_FINDINGS_MAX - 1);
		assert_int_equal(d.count[DIFF_REGRESSED], 1);
		diff_release(&d);
		findings_release(&f);
	}
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 10.0);
	baseline_release(&b);
	buf_release(&t);
}

static void
add(struct findings *f, const char *check, const char *subject, enum severity s)
{
	findings_add_for(f, check, s, subject, "m");
}

static void
diff_classifies(void **state)
{
	struct baseline b;
	struct findings f = { 0 };
	struct diff d;
	struct hcerr e;

	(void)state;
	assert_int_equal(parse(&b, "{\"findings\":["
	    "{\"check\":\"same\",\"severity\":\"pass\",\"subject\":\"h\"},"
	    "{\"check\":\"reg\",\"severity\":\"pass\",\"subject\":\"h\"},"
	    "{\"check\":\"worse\",\"severity\":\"warn\",\"subject\":\"h\"},"
	    "{\"check\":\"fixed\",\"severity\":\"fail\",\"subject\":\"h\"},"
	    "{\"check\":\"better\",\"severity\":\"fail\",\"subject\":\"h\"},"
	    "{\"check\":\"skipnow\",\"severity\":\"pass\"},"
	    "{\"check\":\"gone\",\"severity\":\"fail\",\"subject\":\"old\"},"
	    "{\"check\":\"multi\",\"severity\":\"pass\",\"subject\":\"h\"},"
	    "{\"check\":\"multi\",\"severity\":\"warn\",\"subject\":\"h\"}"
	    "]}", &e), 0);
	add(&f, "new", "h", SEV_FAIL);
	add(&f, "same", "h", SEV_PASS);
	add(&f, "reg", "h", SEV_FAIL);
	add(&f, "worse", "h", SEV_FAIL);
	add(&f, "fixed", "h", SEV_PASS);
	add(&f, "better", "h", SEV_WARN);
	add(&f, "skipnow", "", SEV_SKIP);
	add(&f, "multi", "h", SEV_WARN);
	add(&f, "multi", "h", SEV_INFO);
	diff_compute(&d, &b, &f);

	assert_int_equal(d.count[DIFF_REGRESSED], 2);
	assert_int_equal(d.count[DIFF_UNVERIFIED], 1);
	assert_int_equal(d.count[DIFF_NEW], 1);
	assert_int_equal(d.count[DIFF_FIXED], 1);
	assert_int_equal(d.count[DIFF_CHANGED], 2);
	assert_int_equal(d.count[DIFF_GONE], 0);
	assert_int_equal(d.unchanged, 2);
	assert_int_equal(d.n, 7);
	/* Ordered by kind, then as the report lists them. */
	assert_string_equal(d.v[0].check, "reg");
	assert_string_equal(d.v[1].check, "worse");
	assert_int_equal(d.v[1].was, SEV_WARN);
	assert_int_equal(d.v[1].now, SEV_FAIL);
	/* A failure nobody judged this time is unverified, not gone. */
	assert_string_equal(d.v[2].check, "gone");
	assert_int_equal(d.v[2].kind, DIFF_UNVERIFIED);
	assert_string_equal(d.v[2].subject, "old");
	assert_false(d.v[2].has_now);
	assert_string_equal(d.v[3].check, "new");
	assert_false(d.v[3].has_was);
	assert_string_equal(d.v[4].check, "fixed");
	assert_string_equal(d.v[5].check, "better");
	assert_string_equal(d.v[6].check, "skipnow");
	diff_release(&d);
	findings_release(&f);
	baseline_release(&b);
}

/*
 * Skipped now where the baseline had a problem: unverified, naming the
 * subject the baseline judged; the skip itself is not news. Something
 * that passed and is not judged now is gone.
 */
static void
diff_unverified(void **state)
{
	struct baseline b;
	struct findings f = { 0 };
	struct diff d;
	struct hcerr e;

	(void)state;
	assert_int_equal(parse(&b, "{\"findings\":["
	    "{\"check\":\"auth-cert.entra\",\"severity\":\"fail\",\"subject\":\"App\"},"
	    "{\"check\":\"endpoint.ews\",\"severity\":\"warn\",\"subject\":\"h\"},"
	    "{\"check\":\"endpoint.ews\",\"severity\":\"pass\",\"subject\":\"g\"},"
	    "{\"check\":\"kept\",\"severity\":\"error\",\"subject\":\"x\"}"
	    "]}", &e), 0);
	add(&f, "auth-cert.entra", "", SEV_SKIP);
	add(&f, "kept", "x", SEV_SKIP);
	diff_compute(&d, &b, &f);
	assert_int_equal(d.count[DIFF_UNVERIFIED], 3);
	assert_int_equal(d.count[DIFF_GONE], 1);
	assert_int_equal(d.count[DIFF_NEW], 0);
	assert_int_equal(d.count[DIFF_FIXED], 0);
	assert_string_equal(d.v[0].check, "kept");
	assert_int_equal(d.v[0].now, SEV_SKIP);
	assert_string_equal(d.v[1].check, "auth-cert.entra");
	assert_string_equal(d.v[1].subject, "App");
	assert_true(d.v[1].has_now);
	assert_int_equal(d.v[1].now, SEV_SKIP);
	assert_string_equal(d.v[2].check, "endpoint.ews");
	assert_false(d.v[2].has_now);
	assert_int_equal(d.v[3].kind, DIFF_GONE);
	diff_release(&d);
	findings_release(&f);
	baseline_release(&b);
}

static struct finding *
add_url(struct findings *f, const char *check, const char *subject,
    enum severity s, const char *url)
{
	struct finding *fd = findings_add_for(f, check, s, subject, "m");

	finding_evidence(fd, "url", "%s", url);
	return fd;
}

/*
 * Two findings of one check on one host (EWS and Autodiscover) are two
 * keys once the report names its probes: one regressing is never hidden
 * by the other.
 */
static void
diff_probe_keys(void **state)
{
	struct baseline b;
	struct findings f = { 0 };
	struct diff d;
	struct hcerr e;
	char kind[64];

	(void)state;
	add_url(&f, "oauth.challenge", "autodiscover.contoso.com", SEV_FAIL,
	    "GET https://autodiscover.contoso.com/EWS/Exchange.asmx");
	add_url(&f, "oauth.challenge", "autodiscover.contoso.com", SEV_PASS,
	    "GET https://autodiscover.contoso.com/autodiscover/autodiscover.svc?x=1");
	add_url(&f, "tls.certificate", "mail.contoso.com", SEV_PASS,
	    "https://mail.contoso.com/EWS/Exchange.asmx");
	baseline_probe_kind(f.v[0], kind, sizeof(kind));
	assert_string_equal(kind, "ews");
	baseline_probe_kind(f.v[1], kind, sizeof(kind));
	assert_string_equal(kind, "autodiscover.svc");
	/* Not a request's evidence (no method): no probe. */
	baseline_probe_kind(f.v[2], kind, sizeof(kind));
	assert_string_equal(kind, "");

	assert_int_equal(parse(&b, "{\"findings\":["
	    "{\"check\":\"oauth.challenge\",\"severity\":\"pass\",\"subject\":"
	    "\"autodiscover.contoso.com\",\"probe\":\"ews\"},"
	    "{\"check\":\"oauth.challenge\",\"severity\":\"pass\",\"subject\":"
	    "\"autodiscover.contoso.com\",\"probe\":\"autodiscover.svc\"},"
	    "{\"check\":\"tls.certificate\",\"severity\":\"pass\",\"subject\":"
	    "\"mail.contoso.com\"}]}", &e), 0);
	assert_true(b.has_probe);
	diff_compute(&d, &b, &f);
	assert_int_equal(d.count[DIFF_REGRESSED], 1);
	assert_string_equal(d.v[0].probe, "ews");
	assert_int_equal(d.unchanged, 2);
	diff_release(&d);
	baseline_release(&b);

	/* A baseline written before probes were named: (check, subject), worst wins. */
	assert_int_equal(parse(&b, "{\"findings\":["
	    "{\"check\":\"oauth.challenge\",\"severity\":\"pass\",\"subject\":"
	    "\"autodiscover.contoso.com\"}]}", &e), 0);
	assert_false(b.has_probe);
	diff_compute(&d, &b, &f);
	assert_int_equal(d.count[DIFF_REGRESSED], 1);
	assert_string_equal(d.v[0].probe, "");
	diff_release(&d);
	baseline_release(&b);
	findings_release(&f);
	assert_int_equal(parse(&b, "{\"findings\":[{\"check\":\"a\",\"severity\":"
	    "\"pass\",\"probe\":3}]}", &e), -1);
	assert_non_null(strstr(e.msg, "findings[0].probe: expected a string, got a number"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_report_and_variants),
		cmocka_unit_test(errors_name_the_path),
		cmocka_unit_test(load_missing_file),
		cmocka_unit_test(too_many_findings),
		cmocka_unit_test(diff_classifies),
		cmocka_unit_test(diff_unverified),
		cmocka_unit_test(diff_probe_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
