/*
 * The shape of the source tree: every check id family lives in exactly one
 * file named after it (src/checks/check_<family>.c), and every include
 * points at the same layer or one below it (docs/architecture.md). The
 * build refuses an upward include already; this also catches a relative
 * path ("../cli/options.h") that would slip past the include directories.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "checks.h"
#include "file.h"
#include "mem.h"

/* The layers, lowest first, and what each may include (CMakeLists.txt). */
static const struct {
	const char	*name;
	const char	*sees;	/* space-separated, itself included */
} layers[] = {
	{ "base", "base" },
	{ "input", "input base" },
	{ "net", "net input base" },
	{ "core", "core net input base" },
	{ "checks", "checks core net input base" },
	{ "remedy", "remedy core net input base" },
	{ "report", "report remedy core net input base" },
	{ "run", "run checks report remedy core net input base" },
	{ "cli", "cli run checks report remedy core net input base" },
};
#define NLAYERS (sizeof(layers) / sizeof(layers[0]))

static char *
slurp(const char *path)
{
	struct hcerr e;
	char *text = NULL;

	if (file_read(path, 4 << 20, &text, NULL, &e) == -1)
		fail_msg("%s", e.msg);
	return text;
}

/* Files of a directory ending in suffix, sorted. */
static void
list_dir(const char *dir, const char *suffix, struct strlist *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name), k = strlen(suffix);

		if (n > k && strcmp(de->d_name + n - k, suffix) == 0)
			strlist_add(out, de->d_name);
	}
	closedir(d);
}

/* Whether text defines function fn at the start of a line. */
static int
defines(const char *text, const char *fn)
{
	size_t n = strlen(fn);

	for (const char *p = text; (p = strstr(p, fn)) != NULL; p += n)
		if ((p == text || p[-1] == '\n') && p[n] == '(')
			return 1;
	return 0;
}

static void
test_each_family_one_file(void **state)
{
	char *dir = xasprintf("%s/src/checks", HC_SOURCE_DIR);
	char *table_path = xasprintf("%s/checks.c", dir);
	char *table = slurp(table_path);
	struct strlist files = { 0 }, families = { 0 };
	size_t rows = 0, ncheck = 0;
	char **texts;

	(void)state;
	list_dir(dir, ".c", &files);
	texts = xcalloc(files.n, sizeof(*texts));
	for (size_t i = 0; i < files.n; i++) {
		char *p = xasprintf("%s/%s", dir, files.v[i]);

		texts[i] = slurp(p);
		free(p);
	}
	for (const struct check *c = checks; c->id; c++)
		ncheck++;
	/* Each row of the table: { "id", "title", needs, function }. */
	for (const char *p = table; (p = strstr(p, "\n\t{ \"")) != NULL; p++) {
		char id[64], fn[96], *want;
		const char *q = p + 5, *end = strchr(q, '"');
		const char *row_end = strstr(q, "},"), *f;
		size_t dot;
		int found = 0;

		assert_non_null(end);
		assert_non_null(row_end);
		snprintf(id, sizeof(id), "%.*s", (int)(end - q), q);
		/* The function is the last word before the row's end. */
		for (f = row_end; f > q && (f[-1] == ' ' || f[-1] == '\t'); f--)
			;
		{
			const char *s = f;

			while (s > q && (s[-1] == '_' || (s[-1] >= 'a' && s[-1] <= 'z')))
				s--;
			snprintf(fn, sizeof(fn), "%.*s", (int)(f - s), s);
		}
		rows++;
		dot = strcspn(id, ".");
		want = xasprintf("check_%.*s.c", (int)dot, id);
		for (char *u = want; *u; u++)
			if (*u == '-')
				*u = '_';
		if (!strlist_contains_ci(&families, want))
			strlist_add(&families, want);
		for (size_t i = 0; i < files.n; i++) {
			if (!defines(texts[i], fn))
				continue;
			if (strcmp(files.v[i], want) != 0)
				fail_msg("check '%s' (%s) is defined in %s, not %s", id,
				    fn, files.v[i], want);
			found++;
		}
		if (found != 1)
			fail_msg("check '%s': %s is defined %d times, want once in %s",
			    id, fn, found, want);
		free(want);
	}
	/* Every row was read, and no check file is without a family. */
	assert_int_equal(rows, ncheck);
	for (size_t i = 0; i < files.n; i++)
		if (strncmp(files.v[i], "check_", 6) == 0 &&
		    !strlist_contains_ci(&families, files.v[i]))
			fail_msg("src/checks/%s holds no check family of the table",
			    files.v[i]);
	for (size_t i = 0; i < files.n; i++)
		free(texts[i]);
	free(texts);
	strlist_release(&files);
	strlist_release(&families);
	free(table);
	free(table_path);
	free(dir);
}

/* The layer whose folder holds header name, or -1. */
static int
layer_of_header(const char *name)
{
	for (size_t l = 0; l < NLAYERS; l++) {
		char *p = xasprintf("%s/src/%s/%s", HC_SOURCE_DIR, layers[l].name, name);
		FILE *f = fopen(p, "r");

		free(p);
		if (f != NULL) {
			fclose(f);
			return (int)l;
		}
	}
	return -1;
}

static int
sees(size_t layer, const char *other)
{
	char *list = xasprintf(" %s ", layers[layer].sees);
	char *word = xasprintf(" %s ", other);
	int yes = strstr(list, word) != NULL;

	free(list);
	free(word);
	return yes;
}

static void
test_includes_point_down(void **state)
{
	size_t checked = 0;

	(void)state;
	for (size_t l = 0; l < NLAYERS; l++) {
		char *dir = xasprintf("%s/src/%s", HC_SOURCE_DIR, layers[l].name);
		struct strlist files = { 0 };

		list_dir(dir, ".c", &files);
		list_dir(dir, ".h", &files);
		for (size_t i = 0; i < files.n; i++) {
			char *p = xasprintf("%s/%s", dir, files.v[i]);
			char *text = slurp(p);

			for (const char *q = text; (q = strstr(q, "#include \"")) != NULL; q++) {
				char name[128];
				const char *s = q + 10, *e = strchr(s, '"');
				int owner;

				snprintf(name, sizeof(name), "%.*s", (int)(e - s), s);
				if (strchr(name, '/') != NULL)
					fail_msg("src/%s/%s includes '%s' by path",
					    layers[l].name, files.v[i], name);
				/* Generated sources (the embedded profiles) live elsewhere. */
				if ((owner = layer_of_header(name)) == -1)
					fail_msg("src/%s/%s includes '%s', which no layer holds",
					    layers[l].name, files.v[i], name);
				if (!sees(l, layers[owner].name))
					fail_msg("src/%s/%s includes '%s' of the %s layer, "
					    "above it", layers[l].name, files.v[i], name,
					    layers[owner].name);
				checked++;
			}
			free(text);
			free(p);
		}
		strlist_release(&files);
		free(dir);
	}
	assert_true(checked > 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_family_one_file),
		cmocka_unit_test(test_includes_point_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
