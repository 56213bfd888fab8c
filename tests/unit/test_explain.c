/*
 * explain: every entry of the table decodes its real sample, every
 * message of tests/data/real/explain/MANIFEST is either decoded into an
 * entry of its category or known to have no entry (no source for its
 * meaning), unknown text exits 1, and the table names only check and
 * remedy ids that exist.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "checks.h"
#include "explain.h"
#include "file.h"
#include "findings.h"
#include "hctest.h"
#include "remedy.h"

#define REAL	HC_SOURCE_DIR "/tests/data/real/"

/*
 * Messages of the MANIFEST this table has no entry for, and why: no source
 * gives their meaning (tests/data/real/SOURCES.md; PROTOCOLS.md). They
 * must stay unknown -- explain says so rather than guess.
 */
static const char *const no_entry[] = {
	/* Exchange Online's Test-OAuthConnectivity got a 500 from on-premises: no source says why. */
	"System.Net.WebException: The remote server returned an error: (500) Internal Server Error.",
	/* Test-OrganizationRelationship: a Q&A thread, not a source for the meaning. */
	"Id                : AutodiscoverServiceCallFailed",
	/* A DAuth error from a blog; no Microsoft page or PROTOCOLS.md section explains it. */
	"AADSTS901124: Application 'fydibohf25spdlt.example.com' does not exist.",
	/* Exchange Online's reasons seen in GitHub issues, not explained by a source. */
	"error_category=\"invalid_grant\"",
	"error_category=\"insufficient_auth_strength\"",
	NULL,
};

static char *
read_real(const char *rel, size_t *len)
{
	char *path = xasprintf("%s%s", REAL, rel), *text = NULL;
	struct hcerr e;

	if (file_read(path, 1u << 22, &text, len, &e) == -1)
		fail_msg("%s", e.msg);
	free(path);
	return text;
}

static int
words_exist(const char *list, int is_check)
{
	char w[64];
	const char *p = list;

	while (*(p += strspn(p, " ")) != '\0') {
		size_t n = strcspn(p, " ");

		snprintf(w, sizeof(w), "%.*s", (int)n, p);
		if (is_check ? checks_find(w) == NULL : remedy_find(w) == NULL)
			fail_msg("explain: '%s' is not a %s id", w,
			    is_check ? "check" : "remedy");
		p += n;
	}
	return 1;
}

static const struct explain_hit *
hit_of(const struct explain_result *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].e->id, id) == 0)
			return &r->v[i];
	return NULL;
}

/* Each row: complete, its ids real, and its own real sample decoded. */
static void
test_every_entry_decodes_its_sample(void **state)
{
	size_t n = 0;

	(void)state;
	for (const struct explain_entry *en = explain_table; en->id; en++, n++) {
		struct explain_result r;
		struct hcerr e;
		size_t len;
		char *text;

		assert_non_null(en->kind);
		assert_non_null(en->title);
		assert_true(strlen(en->means) > 40);
		assert_true(strlen(en->source) > 10);
		/* What to do: a check to run, a remedy, or a step by hand. */
		assert_true(en->checks[0] != '\0' || en->remedies[0] != '\0' ||
		    en->by_hand != NULL);
		words_exist(en->checks, 1);
		words_exist(en->remedies, 0);
		for (const struct explain_entry *o = explain_table; o != en; o++)
			if (strcmp(o->id, en->id) == 0)
				fail_msg("explain: id '%s' twice", en->id);
		text = read_real(en->sample, &len);
		assert_int_equal(explain_text(text, len, &r, &e), 0);
		if (hit_of(&r, en->id) == NULL)
			fail_msg("explain: '%s' does not decode its sample %s", en->id,
			    en->sample);
		explain_release(&r);
		free(text);
	}
	print_message("explain: %zu entries, each decoded from its sample\n", n);
	assert_true(n >= 20);
}

/*
 * The MANIFEST: every line names a file, a category and text that occurs
 * in the file verbatim; the text alone decodes to an entry of that
 * category, or is one of no_entry and stays unknown.
 */
static void
test_manifest(void **state)
{
	size_t len, decoded = 0, unknown = 0;
	char *manifest = read_real("explain/MANIFEST", &len), *save = NULL;

	(void)state;
	for (char *line = strtok_r(manifest, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *file, *kind, *text = NULL, *content;
		struct explain_result r;
		struct hcerr e;
		size_t flen;
		int known = 0, listed = 0;

		if (line[0] == '#' || line[0] == '\0')
			continue;
		file = line;
		if ((kind = strchr(file, '\t')) == NULL ||
		    (text = strchr(kind + 1, '\t')) == NULL)
			fail_msg("MANIFEST: bad line '%s'", line);
		*kind++ = '\0';
		*text++ = '\0';
		content = read_real(file, &flen);
		if (strstr(content, text) == NULL)
			fail_msg("MANIFEST: '%s' is not in %s", text, file);
		free(content);
		for (size_t i = 0; no_entry[i]; i++)
			listed |= strcmp(no_entry[i], text) == 0;
		assert_int_equal(explain_text(text, strlen(text), &r, &e), 0);
		/* An EWS error line is explained by the diagnostics it quotes. */
		for (size_t i = 0; i < r.n; i++)
			known |= strcmp(r.v[i].e->kind, kind) == 0 ||
			    (strcmp(kind, "ews") == 0 &&
			    strcmp(r.v[i].e->kind, "x-ms-diagnostics") == 0);
		if (listed && r.n > 0)
			fail_msg("MANIFEST: '%s' is listed as having no entry, but "
			    "'%s' decodes it", text, r.v[0].e->id);
		if (!listed && !known)
			fail_msg("MANIFEST: '%s' (%s) decodes to no %s entry", text,
			    file, kind);
		decoded += known;
		unknown += listed;
		explain_release(&r);
	}
	print_message("MANIFEST: %zu messages decoded, %zu known to have no "
	    "entry\n", decoded, unknown);
	assert_true(decoded >= 20);
	free(manifest);
}

/* The 21Vianet capture, read whole: its messages in the order they appear. */
static void
test_whole_capture(void **state)
{
	struct explain_result r;
	struct hcerr e;
	const struct explain_hit *h;
	size_t len;
	char *text = read_real("explain/qa-1629044-21v-test-oauthconnectivity.txt", &len);

	(void)state;
	assert_int_equal(explain_text(text, len, &r, &e), 0);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.v[0].e->id, "toc.config-never-loaded");
	assert_string_equal(r.v[1].e->id, "toc.issuer-not-included");
	assert_string_equal(r.v[2].e->id, "toc.no-issuer-configured");
	assert_string_equal(r.v[3].e->id, "toc.result-error");
	h = hit_of(&r, "toc.no-issuer-configured");
	/* The message is broken over two lines; the issuer it names is kept. */
	assert_string_equal(h->detail, "00000001-0002-0000-c000-000000000000@*");
	h = hit_of(&r, "toc.issuer-not-included");
	assert_string_equal(h->detail, "ACS - 07f001bb-c2be-4be8-bf1a-d8d1e5b069c6");
	explain_release(&r);
	free(text);
}

/* Through the command line: text and JSON, a file or standard input; unknown exits 1. */
static void
test_command(void **state)
{
	struct hctest_run r;
	cJSON *doc, *msgs;
	FILE *in;

	(void)state;
	r = hctest_run("explain", REAL "explain/jpmessaging-hcw8126.txt", NULL);
	assert_int_equal(r.rc, EXIT_OK);
	assert_non_null(strstr(r.out, "HCW8126: admin consent"));
	assert_non_null(strstr(r.out, "  check:  hybrid-app.permissions, hybrid.model"));
	assert_non_null(strstr(r.out, "  fix:    hybridapp.configure — create or complete"));
	assert_non_null(strstr(r.out, "  source: PROTOCOLS.md 12.6"));
	hctest_run_free(&r);

	r = hctest_run("explain", "-f", "json", REAL "explain/officedocs-support-hcw8057.txt",
	    NULL);
	assert_int_equal(r.rc, EXIT_OK);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc, "recognised")));
	msgs = cJSON_GetObjectItem(doc, "messages");
	assert_int_equal(cJSON_GetArraySize(msgs), 1);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(msgs, 0), "id")->valuestring,
	    "hcw.8057");
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    cJSON_GetArrayItem(msgs, 0), "checks"), 0)->valuestring,
	    "endpoint.onprem-autodiscover");
	cJSON_Delete(doc);
	hctest_run_free(&r);

	/* Nothing known: said so, exit 1, no guess. */
	r = hctest_run("explain", REAL "explain/diecknet-owa-aadsts901124.txt", NULL);
	assert_int_equal(r.rc, EXIT_WARN);
	assert_non_null(strstr(r.out, "unknown: nothing in the input"));
	assert_non_null(strstr(r.out, "nothing is guessed"));
	hctest_run_free(&r);
	r = hctest_run("explain", "-f", "json", REAL "explain/diecknet-owa-aadsts901124.txt",
	    NULL);
	assert_int_equal(r.rc, EXIT_WARN);
	assert_non_null(strstr(r.out, "\"recognised\":\tfalse"));
	hctest_run_free(&r);

	/* Standard input, as PowerShell's Out-File writes it (UTF-16LE with a BOM). */
	in = tmpfile();
	assert_non_null(in);
	{
		const char *msg = "HCW8064 - The HCW has completed";
		unsigned char bom[2] = { 0xff, 0xfe };

		fwrite(bom, 1, 2, in);
		for (const char *p = msg; *p; p++) {
			fputc(*p, in);
			fputc(0, in);
		}
	}
	rewind(in);
	{
		FILE *saved = stdin;

		stdin = in;
		r = hctest_run("explain", NULL);
		stdin = saved;
	}
	fclose(in);
	assert_int_equal(r.rc, EXIT_OK);
	assert_non_null(strstr(r.out, "[hcw.8064]"));
	hctest_run_free(&r);

	r = hctest_run("explain", "-f", "junit", "x", NULL);
	assert_int_equal(r.rc, EXIT_USAGE);
	hctest_run_free(&r);
	r = hctest_run("explain", "/nonexistent/log.txt", NULL);
	assert_int_equal(r.rc, EXIT_INCOMPLETE);
	assert_non_null(strstr(r.err, "'/nonexistent/log.txt'"));
	hctest_run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_entry_decodes_its_sample),
		cmocka_unit_test(test_manifest),
		cmocka_unit_test(test_whole_capture),
		cmocka_unit_test(test_command),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
