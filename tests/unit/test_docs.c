/*
 * Every check in the table has its page, and every page its check; the
 * pages built into the binary are the files ('hybridcheck checks ID').
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "check_pages.h"
#include "checks.h"
#include "file.h"
#include "findings.h"
#include "hctest.h"

static void
test_every_check_has_a_page(void **state)
{
	(void)state;
	for (const struct check *c = checks; c->id; c++) {
		char *path = xasprintf("%s/docs/checks/%s.md", HC_SOURCE_DIR, c->id);
		char *text = NULL;
		struct hcerr e = { "" };
		size_t len;

		if (file_read(path, 1 << 20, &text, &len, &e) == -1)
			fail_msg("check '%s' has no page: %s", c->id, e.msg);
		/* The page names its check and says how to fix. */
		if (strstr(text, c->id) == NULL || strstr(text, "## How to fix") == NULL)
			fail_msg("%s must name '%s' and have a '## How to fix' section",
			    path, c->id);
		/* Its heading is the id and the title the table gives. */
		{
			char *want = xasprintf("# %s \xe2\x80\x94 %s\n", c->id, c->title);

			if (strncmp(text, want, strlen(want)) != 0)
				fail_msg("%s must start with '%.*s'", path,
				    (int)strlen(want) - 1, want);
			free(want);
		}
		free(text);
		free(path);
	}
}

static void
test_every_page_has_a_check(void **state)
{
	char *dir = xasprintf("%s/docs/checks", HC_SOURCE_DIR);
	DIR *d = opendir(dir);
	struct dirent *de;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		char id[256];
		size_t n = strlen(de->d_name);

		if (n < 4 || strcmp(de->d_name + n - 3, ".md") != 0 ||
		    strcmp(de->d_name, "README.md") == 0)
			continue;
		snprintf(id, sizeof(id), "%.*s", (int)(n - 3), de->d_name);
		if (checks_find(id) == NULL)
			fail_msg("docs/checks/%s has no check in the table", de->d_name);
	}
	closedir(d);
	free(dir);
}

static void
test_ids_unique_and_well_formed(void **state)
{
	(void)state;
	for (const struct check *c = checks; c->id; c++) {
		for (const char *p = c->id; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			    *p == '.' || *p == '-'))
				fail_msg("check id '%s' has '%c'", c->id, *p);
		assert_non_null(strchr(c->id, '.'));
		assert_non_null(c->run);
		assert_true(strlen(c->title) > 0);
		for (const struct check *d = c + 1; d->id; d++)
			if (strcmp(c->id, d->id) == 0)
				fail_msg("check id '%s' twice", c->id);
	}
}

/* 'hybridcheck checks ID' prints the page as it is in docs/checks/. */
static void
test_checks_prints_the_page(void **state)
{
	size_t n = 0;
	struct hctest_run r;

	(void)state;
	for (const struct check *c = checks; c->id; c++) {
		char *path = xasprintf("%s/docs/checks/%s.md", HC_SOURCE_DIR, c->id);
		char *text = NULL;
		struct hcerr e = { "" };
		size_t len;

		assert_int_equal(file_read(path, 1 << 20, &text, &len, &e), 0);
		r = hctest_run("checks", c->id, NULL);
		assert_int_equal(r.rc, EXIT_OK);
		if (strcmp(r.out, text) != 0)
			fail_msg("'hybridcheck checks %s' is not %s (rebuild?)", c->id, path);
		hctest_run_free(&r);
		free(text);
		free(path);
	}
	for (const struct check_page *p = check_pages; p->name; p++)
		n++;
	for (const struct check *c = checks; c->id; c++)
		n--;
	assert_int_equal(n, 0);

	r = hctest_run("checks", "auth-cert.entra", "--format", "json", NULL);
	assert_int_equal(r.rc, EXIT_OK);
	assert_non_null(strstr(r.out, "\"page\":\t\"# auth-cert.entra"));
	hctest_run_free(&r);
	r = hctest_run("checks", "entra", NULL);
	assert_int_equal(r.rc, EXIT_USAGE);
	assert_non_null(strstr(r.err, "unknown check 'entra'; did you mean 'auth-cert.entra'?"));
	hctest_run_free(&r);
	r = hctest_run("checks", "nothing.like.it", NULL);
	assert_int_equal(r.rc, EXIT_USAGE);
	assert_non_null(strstr(r.err, "'hybridcheck checks' lists them"));
	hctest_run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_check_has_a_page),
		cmocka_unit_test(test_every_page_has_a_check),
		cmocka_unit_test(test_ids_unique_and_well_formed),
		cmocka_unit_test(test_checks_prints_the_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
