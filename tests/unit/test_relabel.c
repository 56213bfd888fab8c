/*
 * Evidence labels are for people; scripts read typed parameters. Every
 * example is judged twice, the second time with every evidence label
 * renamed, and the two scripts must be byte-identical while the two
 * reports must differ (so the renaming really happened).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "file.h"
#include "findings.h"
#include "hctest.h"
#include "mem.h"

#define MAX_ARGS 32

static void
rename_key(const char *key, char *out, size_t outlen)
{
	snprintf(out, outlen, "renamed %s", key);
}

static char *
read_or_null(const char *path)
{
	char *text = NULL;
	size_t len;
	struct hcerr e;

	if (file_read(path, 1 << 24, &text, &len, &e) == -1)
		return NULL;
	return text;
}

struct example {
	char	 now[64];
	char	*snapshot;
	char	*argv[MAX_ARGS];
	size_t	 argc;
};

static void
example_free(struct example *ex)
{
	free(ex->snapshot);
	for (size_t i = 0; i < ex->argc; i++)
		free(ex->argv[i]);
}

/* Reads the "now", "snapshot" and "args" lines of an .expect file. */
static void
example_read(const char *expect, struct example *ex)
{
	char *text = read_or_null(expect), *save = NULL;
	size_t dirlen = (size_t)(strrchr(expect, '/') - expect);

	assert_non_null(text);
	memset(ex, 0, sizeof(*ex));
	snprintf(ex->now, sizeof(ex->now), "2026-12-01T12:00:00Z");
	ex->snapshot = xstrdup(expect);
	strcpy(ex->snapshot + strlen(ex->snapshot) - strlen(".expect"), ".json");
	for (char *line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *w = NULL, *word = strtok_r(line, " \t", &w);

		if (word == NULL)
			continue;
		if (strcmp(word, "now") == 0) {
			char *v = strtok_r(NULL, " \t", &w);

			if (v != NULL)
				snprintf(ex->now, sizeof(ex->now), "%s", v);
		} else if (strcmp(word, "snapshot") == 0) {
			char *v = strtok_r(NULL, " \t", &w);

			assert_non_null(v);
			free(ex->snapshot);
			ex->snapshot = xasprintf("%.*s/%s", (int)dirlen, expect, v);
		} else if (strcmp(word, "args") == 0) {
			for (char *v = strtok_r(NULL, " \t", &w); v != NULL;
			    v = strtok_r(NULL, " \t", &w)) {
				assert_true(ex->argc < MAX_ARGS);
				ex->argv[ex->argc++] = xstrdup(v);
			}
		}
	}
	free(text);
}

/* One preflight of the example; the report and script land in out_*. */
static void
example_run(const struct example *ex, const char *tag, char **report,
    char **script)
{
	const char *args[MAX_ARGS + 16];
	char rpath[512], spath[512];
	size_t n = 0;
	struct hctest_run r;

	snprintf(rpath, sizeof(rpath), "%s/relabel-%s.json", HC_TEST_TMP, tag);
	snprintf(spath, sizeof(spath), "%s/relabel-%s.ps1", HC_TEST_TMP, tag);
	unlink(rpath);
	unlink(spath);
	args[n++] = "preflight";
	args[n++] = "--snapshot";
	args[n++] = ex->snapshot;
	args[n++] = "--offline";
	args[n++] = "--format";
	args[n++] = "json";
	args[n++] = "--output";
	args[n++] = rpath;
	args[n++] = "--ps1";
	args[n++] = spath;
	for (size_t i = 0; i < ex->argc; i++)
		args[n++] = ex->argv[i];
	args[n] = NULL;
	assert_int_equal(setenv("HYBRIDCHECK_NOW", ex->now, 1), 0);
	r = hctest_run_argv(args);
	hctest_run_free(&r);
	*report = read_or_null(rpath);
	*script = read_or_null(spath);
}

static size_t examples_seen, scripts_compared, labels_renamed;

static void
example_check(const char *expect)
{
	struct example ex;
	char *report = NULL, *script = NULL, *report2 = NULL, *script2 = NULL;

	example_read(expect, &ex);
	findings_rename_keys(NULL);
	example_run(&ex, "plain", &report, &script);
	findings_rename_keys(rename_key);
	example_run(&ex, "renamed", &report2, &script2);
	findings_rename_keys(NULL);
	examples_seen++;
	if (report != NULL && strstr(report, "\"evidence\"") != NULL) {
		assert_non_null(report2);
		if (strstr(report2, "renamed ") == NULL)
			fail_msg("%s: the renamed run's report shows no renamed label",
			    expect);
		labels_renamed++;
	}
	if (script != NULL || script2 != NULL) {
		if (script == NULL || script2 == NULL)
			fail_msg("%s: a script only %s the labels were renamed",
			    expect, script == NULL ? "after" : "before");
		if (strcmp(script, script2) != 0)
			fail_msg("%s: the script changed when the evidence labels "
			    "were renamed", expect);
		scripts_compared++;
	}
	free(report);
	free(script);
	free(report2);
	free(script2);
	example_free(&ex);
}

static void
walk(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		char *path;
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (de->d_type == DT_DIR)
			walk(path);
		else if (len > 7 && strcmp(de->d_name + len - 7, ".expect") == 0)
			example_check(path);
		free(path);
	}
	closedir(d);
}

static void
scripts_ignore_labels(void **state)
{
	(void)state;
	walk(HC_SOURCE_DIR "/examples");
	print_message("%zu examples, %zu scripts identical with every label "
	    "renamed, %zu reports showed the renaming\n", examples_seen,
	    scripts_compared, labels_renamed);
	/* The examples hold scripts; a run that wrote none proves nothing. */
	assert_true(scripts_compared >= 5);
	assert_true(labels_renamed >= 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scripts_ignore_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
