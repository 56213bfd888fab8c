/* spn.c and the spn checks: every form seen in the wild, every matching rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "msid.h"
#include "checks.h"
#include "cli.h"
#include "context.h"
#include "hctest.h"
#include "spn.h"

#define EXO	MSID_EXO_APP

static const struct spn_entry *
one(struct spn_set *s, const char *text)
{
	spn_set_release(s);
	spn_add(s, text, "--spn", 0);
	assert_int_equal(s->n, 1);
	return &s->v[0];
}

static void
expect(struct spn_set *s, const char *text, enum spn_kind kind,
    const char *host)
{
	const struct spn_entry *e = one(s, text);

	if (e->kind != kind)
		fail_msg("'%s': kind %s, expected %s (%s)", text,
		    spn_kind_name(e->kind), spn_kind_name(kind),
		    e->why ? e->why : "");
	if (host != NULL)
		assert_string_equal(e->host, host);
}

static void
test_forms(void **state)
{
	struct spn_set s;
	const struct spn_entry *e;

	(void)state;
	spn_set_init(&s);
	expect(&s, EXO "/mail.contoso.com", SPN_HOST, "mail.contoso.com");
	assert_int_equal(s.v[0].form, SPN_FORM_APPID_HOST);
	expect(&s, EXO "/*.contoso.com", SPN_WILDCARD, "contoso.com");
	expect(&s, "00000002-0000-0FF1-CE00-000000000000/Mail.Contoso.COM.",
	    SPN_HOST, "mail.contoso.com");
	expect(&s, "https://mail.contoso.com/", SPN_HOST, "mail.contoso.com");
	assert_int_equal(s.v[0].form, SPN_FORM_URL);
	expect(&s, "https://mail.contoso.com", SPN_HOST, "mail.contoso.com");
	expect(&s, "HTTPS://MAIL.contoso.com:443/", SPN_HOST, "mail.contoso.com");
	expect(&s, "  'https://mail.contoso.com/',  ", SPN_HOST, "mail.contoso.com");
	expect(&s, EXO "/mail.contoso.com/", SPN_HOST, "mail.contoso.com");
	expect(&s, EXO "/b\xc3\xbc" "cher.example", SPN_HOST,
	    "xn--bcher-kva.example");
	expect(&s, EXO "/*.b\xc3\xbc" "cher.example", SPN_WILDCARD,
	    "xn--bcher-kva.example");

	/* Bare app ids and other applications' entries: listed, ignored. */
	e = one(&s, EXO);
	assert_int_equal(e->kind, SPN_APPID);
	assert_non_null(strstr(e->why, "Exchange Online"));
	expect(&s, "00000003-0000-0000-c000-000000000000", SPN_APPID, NULL);
	expect(&s, "00000003-0000-0000-c000-000000000000/graph.microsoft.com",
	    SPN_UNRELATED, NULL);
	expect(&s, "HTTP/mail.contoso.com", SPN_UNRELATED, NULL);
	expect(&s, "api://contoso-hybrid", SPN_UNRELATED, NULL);
	expect(&s, "urn:ms-drs:enterpriseregistration.windows.net",
	    SPN_UNRELATED, NULL);
	expect(&s, "Office365Exchange", SPN_UNRELATED, NULL);

	/* Malformed: meant as authorities but unusable. */
	e = one(&s, "00000002-0000-0ff1-ce00-00000000000/mail.contoso.com");
	assert_int_equal(e->kind, SPN_MALFORMED);
	assert_non_null(strstr(e->why, "not a well-formed application id"));
	expect(&s, EXO "/", SPN_MALFORMED, NULL);
	expect(&s, EXO "/*.com", SPN_MALFORMED, NULL);
	expect(&s, EXO "/mail.*.contoso.com", SPN_MALFORMED, NULL);
	expect(&s, EXO "/**.contoso.com", SPN_MALFORMED, NULL);
	expect(&s, EXO "/mail_contoso.com", SPN_MALFORMED, NULL);
	expect(&s, EXO "/mail.contoso.com/ews", SPN_MALFORMED, NULL);
	expect(&s, EXO "/mail.contoso.com:abc", SPN_MALFORMED, NULL);
	expect(&s, EXO "/mail", SPN_MALFORMED, NULL);
	expect(&s, "https://user@mail.contoso.com/", SPN_MALFORMED, NULL);
	expect(&s, "https:///", SPN_MALFORMED, NULL);
	e = one(&s, "*.contoso.com");
	assert_int_equal(e->kind, SPN_MALFORMED);
	assert_non_null(strstr(e->why, "bare host"));
	expect(&s, "mail.contoso.com", SPN_MALFORMED, NULL);

	/* Empty text adds nothing. */
	spn_set_release(&s);
	spn_add(&s, "  \t", "--spn", 0);
	assert_int_equal(s.n, 0);
	spn_set_release(&s);
}

static void
test_matching(void **state)
{
	struct spn_set s;

	(void)state;
	spn_set_init(&s);
	spn_add(&s, EXO "/*.contoso.com", "--spn", 0);
	spn_add(&s, "https://mail.fabrikam.com/", "--spn", 0);
	spn_add(&s, EXO "/*.b\xc3\xbc" "cher.example", "--spn", 0);

	/* One label under the wildcard, and only one. */
	assert_true(spn_covers(&s.v[0], "mail.contoso.com"));
	assert_true(spn_covers(&s.v[0], "autodiscover.contoso.com"));
	assert_false(spn_covers(&s.v[0], "contoso.com"));
	assert_false(spn_covers(&s.v[0], "a.b.contoso.com"));
	assert_false(spn_covers(&s.v[0], "mail.notcontoso.com"));
	assert_false(spn_covers(&s.v[0], "xcontoso.com"));
	/* Exact hosts, matched case-insensitively after normalisation. */
	assert_true(spn_covers(&s.v[1], "mail.fabrikam.com"));
	assert_true(spn_covers(&s.v[1], "MAIL.fabrikam.com"));
	assert_false(spn_covers(&s.v[1], "owa.fabrikam.com"));
	assert_false(spn_covers(&s.v[1], "fabrikam.com"));
	/* IDN in ASCII form on both sides. */
	assert_true(spn_covers(&s.v[2], "mail.xn--bcher-kva.example"));
	assert_int_equal(spn_find_cover(&s, "mail.xn--bcher-kva.example"), 2);
	assert_int_equal(spn_find_cover(&s, "contoso.com"), -1);

	{
		struct strlist near = { 0 };

		spn_near_misses(&s, "contoso.com", &near);
		assert_int_equal(near.n, 1);
		assert_string_equal(near.v[0],
		    "*.contoso.com does not cover the apex contoso.com");
		strlist_release(&near);
		spn_near_misses(&s, "a.b.contoso.com", &near);
		assert_int_equal(near.n, 1);
		assert_string_equal(near.v[0],
		    "*.contoso.com covers one label only, not a.b.contoso.com");
		strlist_release(&near);
		spn_near_misses(&s, "owa.fabrikam.com", &near);
		assert_int_equal(near.n, 1);
		assert_non_null(strstr(near.v[0], "mail.fabrikam.com names only itself"));
		strlist_release(&near);
	}
	spn_set_release(&s);
}

static void
test_duplicates(void **state)
{
	struct spn_set s;

	(void)state;
	spn_set_init(&s);
	spn_add(&s, EXO "/*.contoso.com", "f", 1);
	spn_add(&s, EXO "/*.CONTOSO.com.", "f", 2);
	spn_add(&s, "https://mail.contoso.com/", "f", 3);
	spn_add(&s, EXO "/mail.contoso.com", "f", 4);	/* another form: not a duplicate */
	spn_add(&s, "HTTP/x", "f", 5);
	spn_add(&s, "http/X", "f", 6);
	assert_int_equal(s.n, 6);
	assert_int_equal(s.v[0].dup_of, -1);
	assert_int_equal(s.v[1].dup_of, 0);
	assert_int_equal(s.v[2].dup_of, -1);
	assert_int_equal(s.v[3].dup_of, -1);
	assert_int_equal(s.v[5].dup_of, 4);
	spn_set_release(&s);
}

static void
parse(struct spn_set *s, const char *text, size_t len)
{
	struct hcerr e = { "" };

	spn_set_release(s);
	if (spn_parse_text(s, text, len, "spns.txt", &e) == -1)
		fail_msg("spn_parse_text: %s", e.msg);
}

static size_t
count_kind(const struct spn_set *s, enum spn_kind k)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += s->v[i].kind == k;
	return n;
}

static void
test_parse_documents(void **state)
{
	static const char fl[] =
	    "\xef\xbb\xbf" "ServicePrincipalNames : {" EXO "/*.contoso.com, "
	    "https://outlook.office365.com/, " EXO ",\r\n"
	    "                          " EXO "/contoso.com, "
	    "HTTP/mail.contoso.com...}\r\n";
	static const char lines[] =
	    "ServicePrincipalNames\n---------------------\n"
	    "- \"" EXO "/*.contoso.com\",\n"
	    "* '" EXO "/autodiscover.fabrikam.com'\n"
	    "\n"
	    "3. https://mail.fabrikam.com/\n"
	    "\xe2\x80\xa2 a/valid/entry\n";
	static const char json[] = " [\"" EXO "/*.contoso.com\", \"" EXO
	    "\", 42, \"https://mail.contoso.com/\"]";
	static const char graph[] = "{\"@odata.context\": \"x\", \"value\": "
	    "[{\"appId\": \"" EXO "\", \"servicePrincipalNames\": [\"" EXO
	    "/*.contoso.com\", \"https://outlook.office365.com/\"]}]}";
	static const char ps[] = "{" EXO "/*.contoso.com, " EXO "/contoso.com}";
	struct spn_set s;
	struct hcerr e = { "" };

	(void)state;
	spn_set_init(&s);

	/* Format-List with a continuation line, cut short by PowerShell. */
	parse(&s, fl, sizeof(fl) - 1);
	assert_int_equal(s.n, 6);
	assert_int_equal(s.v[0].kind, SPN_WILDCARD);
	assert_int_equal(s.v[1].kind, SPN_HOST);
	assert_int_equal(s.v[2].kind, SPN_APPID);
	assert_int_equal(s.v[3].kind, SPN_HOST);
	assert_int_equal(s.v[3].line, 2);
	assert_int_equal(s.v[4].kind, SPN_UNRELATED);
	assert_int_equal(s.v[5].kind, SPN_MALFORMED);
	assert_non_null(strstr(s.v[5].why, "FormatEnumerationLimit"));

	/* One a line with headers, rules, bullets, quotes, numbering. */
	parse(&s, lines, sizeof(lines) - 1);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.v[0].host, "contoso.com");
	assert_string_equal(s.v[1].host, "autodiscover.fabrikam.com");
	assert_string_equal(s.v[2].host, "mail.fabrikam.com");
	assert_int_equal(s.v[2].line, 6);
	assert_int_equal(s.v[3].kind, SPN_UNRELATED);

	/* JSON array, with a non-string element reported. */
	parse(&s, json, sizeof(json) - 1);
	assert_int_equal(s.n, 4);
	assert_int_equal(count_kind(&s, SPN_MALFORMED), 1);
	assert_int_equal(s.v[2].line, 3);
	assert_int_equal(s.v[3].kind, SPN_HOST);

	/* Graph's answer as saved JSON. */
	parse(&s, graph, sizeof(graph) - 1);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.v[0].kind, SPN_WILDCARD);

	/* PowerShell's array display {a, b} (not JSON). */
	parse(&s, ps, sizeof(ps) - 1);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.v[1].kind, SPN_HOST);
	assert_string_equal(s.v[1].host, "contoso.com");

	/* UTF-16LE with BOM and CRLF. */
	{
		const char *t = EXO "/*.contoso.com\r\nhttps://contoso.com/\r\n";
		size_t n = strlen(t), k = 0;
		char *u = xmalloc(2 * n + 2);

		u[k++] = (char)0xff;
		u[k++] = (char)0xfe;
		for (size_t i = 0; i < n; i++) {
			u[k++] = t[i];
			u[k++] = 0;
		}
		parse(&s, u, k);
		assert_int_equal(s.n, 2);
		assert_string_equal(s.v[1].host, "contoso.com");
		free(u);
	}

	/* Not text, or JSON with no SPNs: the file is rejected, named. */
	spn_set_release(&s);
	assert_int_equal(spn_parse_text(&s, "\x89PNG\0\x01", 6, "image.png", &e), -1);
	assert_non_null(strstr(e.msg, "'image.png' is binary"));
	assert_int_equal(spn_parse_text(&s, "{\"displayName\": \"x\"}", 20,
	    "sp.json", &e), -1);
	assert_non_null(strstr(e.msg, "'sp.json' is JSON without"));
	assert_int_equal(spn_load_file(&s, HC_TEST_TMP "/no-such-spns.txt", &e), -1);
	assert_non_null(strstr(e.msg, "no-such-spns.txt"));
	spn_set_release(&s);
}

static void
plan_for(struct spn_set *s, const char *const *hosts, const char *domain,
    struct spn_plan *p)
{
	struct strlist h = { 0 }, d = { 0 };

	for (; *hosts; hosts++)
		strlist_add(&h, *hosts);
	if (domain != NULL)
		strlist_add(&d, domain);
	spn_plan_build(s, &h, &d, p);
	strlist_release(&h);
	strlist_release(&d);
}

static void
test_plan(void **state)
{
	struct spn_set s;
	struct spn_plan p;

	(void)state;
	spn_set_init(&s);
	spn_add(&s, EXO "/*.contoso.com", "--spn", 0);
	spn_add(&s, EXO "/old.fabrikam.com", "--spn", 0);

	/* Covered, an apex, two siblings one level down, a lone host. */
	plan_for(&s, (const char *[]){ "mail.contoso.com", "contoso.com",
	    "a.eu.contoso.com", "b.eu.contoso.com", "owa.fabrikam.com", NULL },
	    "contoso.com", &p);
	assert_int_equal(p.nhosts, 5);
	assert_int_equal(p.hosts[0].entry, 0);
	assert_int_equal(p.hosts[1].entry, -1);
	assert_int_equal(p.add.n, 3);
	assert_string_equal(p.add.v[0], EXO "/contoso.com");
	assert_string_equal(p.add.v[1], EXO "/*.eu.contoso.com");
	assert_string_equal(p.add_covers.v[1], "a.eu.contoso.com, b.eu.contoso.com");
	assert_int_equal(p.hosts[2].add, 1);
	assert_int_equal(p.hosts[3].add, 1);
	/* fabrikam.com is outside --domain: no wildcard invented there. */
	assert_string_equal(p.add.v[2], EXO "/owa.fabrikam.com");
	/* old.fabrikam.com covers none of them. */
	assert_int_equal(p.nunused, 1);
	assert_int_equal(p.unused[0], 1);
	spn_plan_release(&p);

	/* Two missing siblings under the apex: one wildcard, never one for the apex. */
	spn_set_release(&s);
	spn_add(&s, "https://owa.contoso.com/", "--spn", 0);
	plan_for(&s, (const char *[]){ "contoso.com", "mail.contoso.com",
	    "autodiscover.contoso.com", "owa.contoso.com", NULL }, NULL, &p);
	assert_int_equal(p.add.n, 2);
	assert_string_equal(p.add.v[0], EXO "/contoso.com");
	assert_string_equal(p.add.v[1], EXO "/*.contoso.com");
	spn_plan_release(&p);

	/* One missing host: exact. Single-label parents: never a wildcard. */
	plan_for(&s, (const char *[]){ "mail.contoso.com", "a.com", "b.com",
	    NULL }, NULL, &p);
	assert_int_equal(p.add.n, 3);
	assert_string_equal(p.add.v[0], EXO "/mail.contoso.com");
	assert_string_equal(p.add.v[1], EXO "/a.com");
	spn_plan_release(&p);

	/* A registered apex under --domain of three labels gets no wildcard either. */
	spn_set_release(&s);
	plan_for(&s, (const char *[]){ "contoso.co.uk", "fabrikam.co.uk", NULL },
	    "contoso.co.uk", &p);
	assert_int_equal(p.add.n, 2);
	assert_string_equal(p.add.v[0], EXO "/contoso.co.uk");
	spn_plan_release(&p);
	spn_set_release(&s);
}

static const struct finding *
find(const struct findings *f, const char *id, enum severity sev,
    const char *subject)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i]->check, id) == 0 && f->v[i]->severity == sev &&
		    (subject == NULL || strcmp(f->v[i]->subject, subject) == 0))
			return f->v[i];
	fail_msg("no %s %s finding for '%s'", severity_name(sev), id,
	    subject ? subject : "");
	return NULL;
}

static void
test_checks(void **state)
{
	static const char *const prefixes[] = { "spn.", NULL };
	struct context ctx;
	struct findings f = { 0 };
	const struct finding *fd;

	(void)state;
	memset(&ctx, 0, sizeof(ctx));
	ctx.domain = "contoso.com";
	ctx.spns = spn_set_new();
	spn_add(ctx.spns, EXO "/*.contoso.com", "--spn", 0);
	spn_add(ctx.spns, EXO "/*.contoso.com.", "--spn", 0);
	spn_add(ctx.spns, "00000002-0000-0ff1-ce00-00000000000/x.contoso.com", "--spn", 0);
	spn_add(ctx.spns, "HTTP/mail.contoso.com", "--spn", 0);
	spn_add(ctx.spns, "https://legacy.fabrikam.com/", "--spn", 0);
	context_add_host(&ctx, "autodiscover.contoso.com");
	context_add_host(&ctx, "contoso.com");
	ctx.have = INPUT_SPNS | INPUT_HOSTS | INPUT_DOMAIN;
	checks_run(&ctx, prefixes, &f);

	find(&f, "spn.coverage", SEV_PASS, "autodiscover.contoso.com");
	fd = find(&f, "spn.coverage", SEV_FAIL, "contoso.com");
	assert_string_equal(fd->remedy, "spn.add");
	assert_string_equal(finding_get(fd, "close"),
	    "*.contoso.com does not cover the apex contoso.com");
	assert_string_equal(finding_get(fd, "add"), EXO "/contoso.com");
	assert_non_null(strstr(finding_get(fd, "model"), "unsettled"));

	fd = find(&f, "spn.entries", SEV_WARN, NULL);
	assert_non_null(strstr(fd->message, "malformed"));
	fd = find(&f, "spn.entries", SEV_INFO, EXO "/*.contoso.com.");
	assert_non_null(strstr(fd->message, "duplicate"));
	find(&f, "spn.entries", SEV_INFO, "");
	{
		int unrelated = 0, unused = 0;

		for (size_t i = 0; i < f.n; i++) {
			if (finding_get(f.v[i], "unrelated") != NULL)
				unrelated = strstr(finding_get(f.v[i], "unrelated"),
				    "HTTP/mail.contoso.com") != NULL;
			if (finding_get(f.v[i], "entries") != NULL)
				unused = strcmp(finding_get(f.v[i], "entries"),
				    "legacy.fabrikam.com") == 0;
		}
		assert_true(unrelated);
		assert_true(unused);
	}
	findings_release(&f);

	/* Without hosts, coverage is skipped and names the inputs. */
	ctx.have = INPUT_SPNS;
	checks_run(&ctx, prefixes, &f);
	fd = find(&f, "spn.coverage", SEV_SKIP, NULL);
	assert_non_null(strstr(fd->message, "--host"));
	findings_release(&f);
	context_release(&ctx);
}

static void
test_cli(void **state)
{
	static char out[65536];
	const char *path = HC_TEST_TMP "/spn_cli.txt";
	FILE *fp = fopen(path, "wb");
	cJSON *root, *spn, *add;

	(void)state;
	assert_non_null(fp);
	fputs("{" EXO "/*.contoso.com, " EXO "}\r\n", fp);
	fclose(fp);
	assert_int_equal(hctest_cli(out, sizeof(out), (const char *[]){ "spn",
	    "--spn-file", path, "--host", "mail.contoso.com", "--host",
	    "contoso.com", "--no-color", NULL }), 2);
	assert_non_null(strstr(out, "MISSING"));
	assert_non_null(strstr(out, EXO "/contoso.com"));
	assert_non_null(strstr(out, "does not cover the apex contoso.com"));

	assert_int_equal(hctest_cli(out, sizeof(out), (const char *[]){ "spn",
	    "--spn", EXO "/*.contoso.com", "--spn", EXO "/contoso.com",
	    "--domain", "contoso.com", "--host", "contoso.com", "--format",
	    "json", NULL }), 0);
	root = cJSON_Parse(out);
	assert_non_null(root);
	spn = cJSON_GetObjectItem(root, "spn");
	assert_non_null(spn);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(spn, "coverage")), 2);
	add = cJSON_GetObjectItem(spn, "add");
	assert_int_equal(cJSON_GetArraySize(add), 0);
	cJSON_Delete(root);

	assert_int_equal(hctest_cli(out, sizeof(out), (const char *[]){ "spn", NULL }), 64);
	assert_int_equal(hctest_cli(out, sizeof(out), (const char *[]){ "spn",
	    "--spn-file", HC_TEST_TMP "/none.txt", NULL }), 3);
	assert_non_null(strstr(out, "--spn-file"));
}

/*
 * The process's own CPU time, not the wall clock: the bound is about the
 * work (linear, not quadratic), and a shared, loaded machine must not
 * fail it.
 */
static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * Issue 17 item 6: a million lines (a quarter of them repeats, some
 * malformed) are read in seconds, and every repeat still points at its
 * first occurrence. A scan per entry took 334 s for 150,000 lines; the
 * bound leaves room for a loaded machine and the sanitizer build.
 */
static void
test_million_lines(void **state)
{
	struct buf text;
	struct spn_set s;
	struct hcerr e = { "" };
	struct timespec t0;
	const size_t n = 1000000;
	double took;

	(void)state;
	buf_init(&text, (size_t)-1);
	for (size_t i = 0; i < n; i++) {
		if (i % 4 == 3)		/* a repeat of an earlier line, other case */
			buf_printf(&text, EXO "/H%zu.Contoso.com\n", i / 2);
		else if (i % 97 == 0)
			buf_printf(&text, "not-a-spn-%zu\n", i % 1000);
		else
			buf_printf(&text, EXO "/h%zu.contoso.com\n", i);
	}
	spn_set_init(&s);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	assert_int_equal(spn_parse_text(&s, text.data, text.len, "big.txt", &e), 0);
	took = seconds_since(&t0);
	print_message("1,000,000 lines: %.2f s of CPU\n", took);
	assert_true(took < 30.0);
	assert_int_equal(s.n, n);
	for (size_t i = 0; i < n; i++) {
		const struct spn_entry *x = &s.v[i];

		if (i % 4 == 3 && (i / 2) % 4 != 3 && (i / 2) % 97 != 0) {
			/* h(i/2) came first, at index i/2. */
			assert_int_equal(x->dup_of, (long)(i / 2));
		} else if (i % 97 == 0 && i % 4 != 3 && i >= 97 * 1000) {
			assert_true(x->dup_of != -1);
			assert_true(strcmp(s.v[x->dup_of].raw, x->raw) == 0);
		}
	}
	assert_int_equal(s.v[1].dup_of, -1);

	/* The same through spn_add, as a snapshot's servicePrincipalNames go. */
	spn_set_release(&s);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	for (size_t i = 0; i < n; i++) {
		char one_spn[96];

		snprintf(one_spn, sizeof(one_spn), EXO "/h%zu.contoso.com",
		    i % (n / 2));
		spn_add(&s, one_spn, "snapshot.json", i + 1);
	}
	took = seconds_since(&t0);
	print_message("1,000,000 spn_add: %.2f s of CPU\n", took);
	assert_true(took < 30.0);
	assert_int_equal(s.v[n / 2 + 7].dup_of, 7);
	assert_int_equal(s.v[7].dup_of, -1);
	spn_set_release(&s);
	buf_release(&text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_parse_documents),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_million_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
