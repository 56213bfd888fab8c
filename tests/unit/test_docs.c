/* Every check in the table has its page, and every page its check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "file.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_check_has_a_page),
		cmocka_unit_test(test_every_page_has_a_check),
		cmocka_unit_test(test_ids_unique_and_well_formed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
