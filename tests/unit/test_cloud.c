/* cloud: the embedded profiles and what a malformed profile reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cloud.h"
#include "file.h"

static void
test_embedded(void **state)
{
	struct cloud_set s = { 0 };
	struct hcerr e = { "" };
	const struct cloud *c;
	char *url;

	(void)state;
	assert_int_equal(cloud_set_load_embedded(&s, &e), 0);
	assert_int_equal(s.n, 4);

	c = cloud_find(&s, "china");
	assert_non_null(c);
	assert_ptr_equal(cloud_find(&s, "21Vianet"), c);
	url = cloud_expand(cloud_value(c, "acs_metadata_url"), "contoso.partner.onmschina.cn");
	assert_string_equal(url, "https://accounts.accesscontrol.chinacloudapi.cn/"
	    "contoso.partner.onmschina.cn/metadata/json/1");
	free(url);
	assert_string_equal(cloud_preferred(c, "discovery_endpoints"),
	    "https://autodiscover-s.partner.outlook.cn/autodiscover/autodiscover.svc");
	assert_true(cloud_has_value(c, "discovery_endpoints",
	    "https://partner.outlook.cn/autodiscover/autodiscover.svc"));
	assert_string_equal(cloud_value(c, "graph_host"), "microsoftgraph.chinacloudapi.cn");
	assert_string_equal(cloud_value(c, "exo_environment"), "O365China");
	assert_string_equal(cloud_value(c, "hybrid_app_environment"), "ChinaCloud");
	assert_string_equal(cloud_field(c, "routing_domain_suffixes")->certainty, "unsettled");

	c = cloud_find(&s, "global");
	assert_string_equal(cloud_value(c, "exo_environment"), "O365Default");
	assert_true(strstr(cloud_value(c, "acs_metadata_url"), "accounts.accesscontrol.windows.net") != NULL);

	c = cloud_find(&s, "gcchigh");
	assert_string_equal(cloud_value(c, "acs_metadata_url"),
	    "https://login.microsoftonline.us/{domain}/metadata/json/1");
	assert_string_equal(cloud_value(c, "graph_environment"), "USGov");
	assert_string_equal(cloud_value(c, "hybrid_app_environment"), "USGovernmentL4");

	c = cloud_find(&s, "dod");
	assert_string_equal(cloud_value(c, "graph_host"), "dod-graph.microsoft.us");
	assert_string_equal(cloud_value(c, "exo_environment"), "O365USGovDoD");
	assert_string_equal(cloud_value(c, "hybrid_app_environment"), "USGovernmentL5");

	assert_null(cloud_find(&s, "germany"));
	cloud_set_release(&s);
}

/* A copy of the global profile with one substitution applied. */
static char *
global_with(const char *from, const char *to)
{
	const char *text = NULL;
	const char *p;
	char *out;

	for (const struct cloud_embedded *ce = cloud_embedded; ce->name; ce++)
		if (strcmp(ce->name, "global") == 0)
			text = ce->text;
	assert_non_null(text);
	p = strstr(text, from);
	if (p == NULL)
		fail_msg("'%s' not in the global profile", from);
	out = malloc(strlen(text) - strlen(from) + strlen(to) + 1);
	memcpy(out, text, (size_t)(p - text));
	strcpy(out + (p - text), to);
	strcat(out, p + strlen(from));
	return out;
}

static void
malformed(const char *from, const char *to, const char *want)
{
	char *text = global_with(from, to);
	struct cloud c;
	struct hcerr e = { "" };

	assert_int_equal(cloud_parse(&c, text, strlen(text), "x.json", &e), -1);
	if (strstr(e.msg, want) == NULL)
		fail_msg("error '%s' lacks '%s'", e.msg, want);
	assert_true(strncmp(e.msg, "x.json: ", 8) == 0);
	free(text);
}

static void
test_malformed(void **state)
{
	struct cloud c;
	struct hcerr e = { "" };

	(void)state;
	assert_int_equal(cloud_parse(&c, "{", 1, "x.json", &e), -1);
	assert_non_null(strstr(e.msg, "not valid JSON"));
	assert_int_equal(cloud_parse(&c, "[]", 2, "x.json", &e), -1);
	assert_non_null(strstr(e.msg, "expected a JSON object"));
	malformed("\"hybridcheck.cloud/1\"", "\"other/1\"", "schema");
	malformed("\"name\": \"global\"", "\"name\": 7", "$.name: expected a non-empty string");
	malformed("https://accounts.accesscontrol.windows.net/{domain}/metadata/json/1",
	    "https://accounts.accesscontrol.windows.net/metadata/json/1",
	    "fields.acs_metadata_url: 'https://accounts.accesscontrol.windows.net/metadata/json/1' is not an https URL containing {domain}");
	malformed("\"certainty\": \"confirmed\"", "\"certainty\": \"maybe\"",
	    "certainty: 'maybe', expected confirmed, reported or unsettled");
	malformed("\"values\": [\"login.microsoftonline.com\", \"login.windows.net\"]",
	    "\"values\": [\"login.microsoftonline.com\", 5]",
	    "fields.login_hosts.values[1]: expected a string");
	malformed("\"value\": \"O365Default\"", "\"values\": [\"O365Default\"]",
	    "fields.exo_environment: expected \"value\"");
	malformed("\"recommended\": \"https://autodiscover-s.outlook.com/autodiscover/autodiscover.svc\"",
	    "\"recommended\": \"https://elsewhere.example/autodiscover.svc\"",
	    "recommended: 'https://elsewhere.example/autodiscover.svc' is not one of the values");
	malformed("\"graph_host\"", "\"graph_hostx\"", "fields.graph_host: missing");
	malformed("\"value\": \"graph.microsoft.com\"", "\"value\": \"graph microsoft com\"",
	    "is not a DNS name");
	/* The milestones: a real day or "unknown", each with its certainty. */
	malformed("\"value\": \"2027-04-01\"", "\"value\": \"2027-02-30\"",
	    "fields.t2_exo_ews_off: '2027-02-30' is not a day YYYY-MM-DD or \"unknown\"");
	malformed("\"value\": \"2026-10-01\"", "\"value\": \"1 Oct 2026\"",
	    "fields.t1_exo_ews_gate: '1 Oct 2026' is not a day");
	malformed("\"value\": \"2026-10-01\"", "\"values\": [\"2026-10-01\"]",
	    "fields.t1_exo_ews_gate: expected \"value\" (one a day YYYY-MM-DD");
	malformed("\"value\": \"2026-10-01\"", "\"value\": \"unknown\"",
	    "fields.t1_exo_ews_gate: value 'unknown' with certainty 'confirmed'");
	malformed("\"value\": \"O365Default\",\n      \"source\": \"Connect-ExchangeOnline -ExchangeEnvironmentName\",\n      \"certainty\": \"confirmed\"",
	    "\"value\": \"O365Default\",\n      \"source\": \"Connect-ExchangeOnline -ExchangeEnvironmentName\",\n      \"certainty\": \"unknown\"",
	    "fields.exo_environment.certainty: 'unknown' is only for a milestone date");
	malformed("\"t0_shared_sp_ews_blocked\"", "\"t0_other\"",
	    "fields.t0_shared_sp_ews_blocked: missing, expected a day");
}

static void
test_milestones(void **state)
{
	struct cloud_set s = { 0 };
	struct hcerr e = { "" };
	const struct cloud_field *f;
	struct cloud c;
	char *text;
	time_t t;

	(void)state;
	assert_int_equal(cloud_set_load_embedded(&s, &e), 0);
	/* Worldwide: the three days, confirmed. */
	assert_int_equal(cloud_date(cloud_find(&s, "global"), CLOUD_T0, &t, &f), 0);
	assert_int_equal(t, 1761868800);	/* 2025-10-31T00:00:00Z */
	assert_string_equal(f->certainty, "confirmed");
	assert_int_equal(cloud_date(cloud_find(&s, "global"), CLOUD_T1, &t, &f), 0);
	assert_int_equal(t, 1790812800);	/* 2026-10-01T00:00:00Z */
	assert_int_equal(cloud_date(cloud_find(&s, "global"), CLOUD_T2, &t, &f), 0);
	assert_int_equal(t, 1806537600);	/* 2027-04-01T00:00:00Z */
	assert_string_equal(f->certainty, "confirmed");
	/* Elsewhere T1/T2 are Microsoft's "all environments": assumed, so unsettled. */
	for (const char *const *n = (const char *const []){ "china", "gcchigh", "dod", NULL }; *n; n++) {
		assert_int_equal(cloud_date(cloud_find(&s, *n), CLOUD_T0, &t, &f), 0);
		assert_string_equal(f->certainty, "confirmed");
		assert_int_equal(cloud_date(cloud_find(&s, *n), CLOUD_T2, &t, &f), 0);
		assert_int_equal(t, 1806537600);
		assert_string_equal(f->certainty, "unsettled");
		assert_non_null(f->note);
	}
	/* "unknown" with certainty "unknown" loads, and has no day. */
	text = global_with("\"value\": \"2027-04-01\",\n      \"source\"",
	    "\"value\": \"unknown\",\n      \"source\"");
	{
		char *p = strstr(text, "\"t2_exo_ews_off\""), *q = strstr(p, "\"confirmed\"");

		memcpy(q, "\"unknown\"  ", 11);
	}
	assert_int_equal(cloud_parse(&c, text, strlen(text), "x.json", &e), 0);
	assert_int_equal(cloud_date(&c, CLOUD_T2, &t, &f), -1);
	assert_string_equal(f->certainty, "unknown");
	assert_int_equal(cloud_date(&c, "no_such_field", &t, &f), -1);
	assert_null(f);
	cloud_release(&c);
	free(text);
	cloud_set_release(&s);
}

static void
write_file(const char *path, const char *text)
{
	struct hcerr e = { "" };

	assert_int_equal(file_write_atomic(path, text, strlen(text), &e), 0);
}

static void
test_load_path(void **state)
{
	char *dir = xasprintf("%s/profiles", HC_TEST_TMP), *file, *text;
	struct cloud_set s = { 0 };
	struct hcerr e = { "" };
	const struct cloud *c;

	(void)state;
	mkdir(dir, 0755);
	/* A new sovereign cloud is a data file, no code. */
	text = global_with("\"name\": \"global\"", "\"name\": \"bleu\"");
	file = xasprintf("%s/bleu.json", dir);
	write_file(file, text);
	free(text);
	assert_int_equal(cloud_set_load_embedded(&s, &e), 0);
	assert_int_equal(cloud_set_load_path(&s, dir, 0, &e), 0);
	assert_int_equal(s.n, 5);
	c = cloud_find(&s, "bleu");
	assert_non_null(c);
	assert_string_equal(c->origin, file);

	assert_false(c->builtin);
	assert_int_equal(strlen(c->sha256), 64);
	text = cloud_origin_text(c);
	assert_non_null(strstr(text, "bleu.json (sha256 "));
	free(text);
	text = cloud_origin_text(cloud_find(&s, "global"));
	assert_string_equal(text, "built-in");
	free(text);

	/*
	 * Issue 17 item 3: a profile named like a built-in (or like one of
	 * its aliases) is refused without --endpoints-override, and the
	 * built-in stays; with it, it replaces the built-in.
	 */
	text = global_with("O365Default", "O365Custom");
	write_file(file, text);
	free(text);
	assert_int_equal(cloud_set_load_path(&s, file, 0, &e), -1);
	assert_non_null(strstr(e.msg, "has the name of the built-in cloud "
	    "'global'"));
	assert_non_null(strstr(e.msg, "--endpoints-override"));
	assert_string_equal(cloud_value(cloud_find(&s, "global"), "exo_environment"),
	    "O365Default");
	assert_true(cloud_find(&s, "global")->builtin);
	assert_int_equal(cloud_set_load_path(&s, file, 1, &e), 0);
	assert_int_equal(s.n, 5);
	assert_string_equal(cloud_value(cloud_find(&s, "global"), "exo_environment"), "O365Custom");
	assert_false(cloud_find(&s, "global")->builtin);
	/* An alias of a built-in is its name too. */
	text = global_with("\"name\": \"global\"", "\"name\": \"21vianet\"");
	write_file(file, text);
	free(text);
	assert_int_equal(cloud_set_load_path(&s, file, 0, &e), -1);
	assert_non_null(strstr(e.msg, "built-in cloud 'china'"));

	write_file(file, "{\"schema\": \"hybridcheck.cloud/1\"}");
	assert_int_equal(cloud_set_load_path(&s, dir, 0, &e), -1);
	assert_non_null(strstr(e.msg, "bleu.json: $.name: missing"));
	assert_int_equal(cloud_set_load_path(&s, "/nonexistent/x.json", 0, &e), -1);
	assert_non_null(strstr(e.msg, "cannot read '/nonexistent/x.json'"));
	unlink(file);
	assert_int_equal(cloud_set_load_path(&s, dir, 0, &e), -1);
	assert_non_null(strstr(e.msg, "holds no *.json"));
	rmdir(dir);
	cloud_set_release(&s);
	free(file);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_milestones),
		cmocka_unit_test(test_load_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
