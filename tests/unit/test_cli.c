/* cli: options good and bad, help, man page and exit codes, through cli_main. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "findings.h"
#include "hctest.h"
#include "file.h"

static void
usage_error(const char *want, const char *arg, ...)
{
	struct hctest_run r;
	va_list ap;

	va_start(ap, arg);
	r = hctest_runv(arg, ap);
	va_end(ap);
	if (r.rc != EXIT_USAGE || strstr(r.err, want) == NULL)
		fail_msg("%s …: exit %d, stderr '%s', wanted 64 and '%s'", arg,
		    r.rc, r.err, want);
	/* One line, naming the problem. */
	assert_ptr_equal(strchr(r.err, '\n'), r.err + strlen(r.err) - 1);
	hctest_run_free(&r);
}

static void
test_usage_errors(void **state)
{
	(void)state;
	usage_error("no command given", NULL);
	usage_error("unknown command 'frobnicate'", "frobnicate", NULL);
	usage_error("unknown option '--nope'", "preflight", "--nope", NULL);
	usage_error("unknown option '-x'", "preflight", "-x", NULL);
	usage_error("--domain needs a value", "preflight", "--domain", NULL);
	usage_error("--domain: 'bad_name.com' is not a DNS name", "preflight",
	    "--domain", "bad_name.com", NULL);
	usage_error("--domain: 'contoso' is a single label", "preflight",
	    "--domain", "contoso", NULL);
	usage_error("--domain given twice", "preflight", "--domain", "a.com",
	    "--domain", "b.com", NULL);
	usage_error("--host: 'mail contoso.com' is not a DNS name", "preflight",
	    "--domain", "contoso.com", "--host", "mail contoso.com", NULL);
	usage_error("--timeout: 'soon' is not a whole number from 1 to 600",
	    "preflight", "--domain", "contoso.com", "--timeout", "soon", NULL);
	usage_error("--timeout: '0'", "preflight", "--domain", "contoso.com",
	    "--timeout=0", NULL);
	usage_error("--format: 'xml', expected text, json or junit", "preflight",
	    "--domain", "contoso.com", "--format", "xml", NULL);
	usage_error("--cloud: unknown cloud 'germany'", "preflight", "--domain",
	    "contoso.com", "--cloud", "germany", NULL);
	usage_error("--cloud: 'glo bal' is not a cloud name", "preflight",
	    "--domain", "contoso.com", "--cloud", "glo bal", NULL);
	usage_error("--offline takes no value", "preflight", "--domain",
	    "contoso.com", "--offline=yes", NULL);
	usage_error("unexpected argument 'extra'", "preflight", "--domain",
	    "contoso.com", "extra", NULL);
	usage_error("preflight needs --domain", "preflight", "--offline", NULL);
	usage_error("unknown option '--domain'", "endpoints", "--domain",
	    "contoso.com", NULL);
}

static void
test_help_and_version(void **state)
{
	struct hctest_run r;

	(void)state;
	r = hctest_run("--version", NULL);
	assert_int_equal(r.rc, 0);
	assert_true(strncmp(r.out, "hybridcheck ", 12) == 0);
	hctest_run_free(&r);

	r = hctest_run("--help", NULL);
	assert_int_equal(r.rc, 0);
	for (const struct command *c = cli_commands; c->name; c++)
		assert_non_null(strstr(r.out, c->name));
	hctest_run_free(&r);

	/* Every command's --help lists exactly its options. */
	for (const struct command *c = cli_commands; c->name; c++) {
		r = hctest_run(c->name, "--help", NULL);
		assert_int_equal(r.rc, 0);
		for (const char *const *n = c->opts; *n; n++) {
			char *flag = xasprintf("--%s", *n);

			assert_non_null(cli_option(*n));
			if (strstr(r.out, flag) == NULL)
				fail_msg("'%s --help' lacks %s", c->name, flag);
			free(flag);
		}
		hctest_run_free(&r);
	}
}

static void
test_man_page_in_step(void **state)
{
	FILE *f = tmpfile();
	char *generated, *committed = NULL;
	struct hcerr e = { "" };
	size_t len;

	(void)state;
	cli_write_man(f);
	generated = hctest_slurp(f);
	fclose(f);
	if (file_read(HC_SOURCE_DIR "/docs/hybridcheck.1", 1 << 20,
	    &committed, &len, &e) == -1)
		fail_msg("%s", e.msg);
	if (strcmp(generated, committed) != 0)
		fail_msg("docs/hybridcheck.1 is out of step with the option tables; "
		    "run: build/tests/unit/hc-genman > docs/hybridcheck.1");
	free(generated);
	free(committed);
}

/*
 * A markdown table "| code | meaning |" under heading: its rows, code
 * formatting removed, must be exit_statuses' rows in their order.
 */
static void
exit_table_in_step(const char *path, const char *heading)
{
	char *text = NULL, *p, *line;
	struct hcerr e = { "" };
	size_t len, i = 0;

	if (file_read(path, 1 << 20, &text, &len, &e) == -1)
		fail_msg("%s", e.msg);
	if ((p = strstr(text, heading)) == NULL)
		fail_msg("%s has no '%s'", path, heading);
	p = strstr(p, "|---|---|");
	assert_non_null(p);
	p = strchr(p, '\n') + 1;
	for (; *p == '|'; p = strchr(p, '\n') + 1) {
		char meaning[512];
		size_t n;
		int code;

		line = p;
		assert_non_null(strchr(line, '\n'));
		if (sscanf(line, "| %d | %511[^\n]", &code, meaning) != 2)
			fail_msg("%s: cannot read the row '%.40s'", path, line);
		/* Drop the closing " |" and every backtick. */
		meaning[strcspn(meaning, "|")] = '\0';
		n = strlen(meaning);
		while (n > 0 && meaning[n - 1] == ' ')
			meaning[--n] = '\0';
		for (char *r = meaning, *w = meaning;; r++) {
			if (*r != '`')
				*w++ = *r;
			if (*r == '\0')
				break;
		}
		if (exit_statuses[i].name == NULL)
			fail_msg("%s: row for %d, but the table ends", path, code);
		if (code != exit_statuses[i].code ||
		    strcmp(meaning, exit_statuses[i].meaning) != 0)
			fail_msg("%s: '%d | %s', the table says '%d | %s'", path,
			    code, meaning, exit_statuses[i].code,
			    exit_statuses[i].meaning);
		i++;
	}
	if (exit_statuses[i].name != NULL)
		fail_msg("%s lacks exit status %d", path, exit_statuses[i].code);
	free(text);
}

static void
test_exit_statuses_documented(void **state)
{
	(void)state;
	exit_table_in_step(HC_SOURCE_DIR "/README.md", "## Exit status");
}

static void
test_endpoints_per_cloud(void **state)
{
	static const char *const want[][2] = {
		{ "china", "accounts.accesscontrol.chinacloudapi.cn" },
		{ "global", "accounts.accesscontrol.windows.net" },
		{ "gcchigh", "login.microsoftonline.us/{domain}/metadata/json/1" },
		{ "dod", "outlook-dod.office365.us" },
	};
	struct hctest_run r;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		r = hctest_run("endpoints", "--cloud", want[i][0], "--format", "json", NULL);
		assert_int_equal(r.rc, 0);
		if (strstr(r.out, want[i][1]) == NULL)
			fail_msg("%s profile lacks %s", want[i][0], want[i][1]);
		hctest_run_free(&r);
	}
	r = hctest_run("endpoints", NULL);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "(recommended)"));
	hctest_run_free(&r);
	r = hctest_run("endpoints", "--endpoints", "/nonexistent", NULL);
	assert_int_equal(r.rc, EXIT_INCOMPLETE);
	assert_non_null(strstr(r.err, "cannot read '/nonexistent'"));
	hctest_run_free(&r);
}

static void
test_preflight_exit_codes(void **state)
{
	struct hctest_run r;

	(void)state;
	/* A 21Vianet domain judged against the worldwide cloud: a failure. */
	r = hctest_run("preflight", "--domain", "contoso.partner.onmschina.cn",
	    "--cloud", "global", "--offline", NULL);
	assert_int_equal(r.rc, EXIT_FAIL);
	assert_non_null(strstr(r.out, "is a china tenant domain"));
	assert_non_null(strstr(r.out, "verdict: FAIL"));
	hctest_run_free(&r);

	r = hctest_run("preflight", "--domain", "contoso.partner.onmschina.cn",
	    "--cloud", "21vianet", "--offline", "--format", "json", NULL);
	assert_int_equal(r.rc, EXIT_OK);
	assert_non_null(strstr(r.out, "\"schema\":\t\"hybridcheck.report/1\""));
	hctest_run_free(&r);

	/* Without a cloud nothing can run offline: could not complete. */
	r = hctest_run("preflight", "--domain", "contoso.com", "--offline", NULL);
	assert_int_equal(r.rc, EXIT_INCOMPLETE);
	assert_non_null(strstr(r.out, "needs --cloud NAME"));
	hctest_run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_man_page_in_step),
		cmocka_unit_test(test_exit_statuses_documented),
		cmocka_unit_test(test_endpoints_per_cloud),
		cmocka_unit_test(test_preflight_exit_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
