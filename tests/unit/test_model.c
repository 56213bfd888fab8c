/* model: the milestones from the profiles, the builds, the Hybrid Agent, the classes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "model.h"

static void
test_agent_url(void **state)
{
	char guid[40];

	(void)state;
	assert_true(model_agent_url("https://3F6A2B1C-9d8e-4f7a-b6c5-d4e3f2a1b0c9.resource."
	    "mailboxmigration.his.msappproxy.net/EWS/Exchange.asmx", guid, sizeof(guid)));
	assert_string_equal(guid, "3f6a2b1c-9d8e-4f7a-b6c5-d4e3f2a1b0c9");
	assert_false(model_agent_url("https://autodiscover.contoso.com/autodiscover/autodiscover.svc",
	    guid, sizeof(guid)));
	/* Not a GUID before the suffix, or the suffix inside another name. */
	assert_false(model_agent_url("https://evil.resource.mailboxmigration.his.msappproxy.net/",
	    NULL, 0));
	assert_false(model_agent_url("https://3f6a2b1c-9d8e-4f7a-b6c5-d4e3f2a1b0c9.resource."
	    "mailboxmigration.his.msappproxy.net.example.com/", NULL, 0));
	assert_false(model_agent_url(NULL, NULL, 0));
}

static void
test_builds(void **state)
{
	struct snap_version v;
	char want[64];
	const char *line;

	(void)state;
	assert_int_equal(snapshot_parse_version("15.2.2562.41", &v), 0);
	assert_true(model_build_supports_graph(&v));
	assert_false(model_build_is_2016_2019(&v));
	assert_true(model_build_supports_app(&v, want, sizeof(want), &line));
	assert_int_equal(snapshot_parse_version("15.2.2562.37", &v), 0);
	assert_false(model_build_supports_graph(&v));
	assert_int_equal(snapshot_parse_version("15.2.1748.24", &v), 0);
	assert_true(model_build_is_2016_2019(&v));
	assert_true(model_build_supports_app(&v, want, sizeof(want), &line));
	assert_int_equal(snapshot_parse_version("15.2.1544.14", &v), 0);
	assert_false(model_build_supports_app(&v, want, sizeof(want), &line));
	assert_string_equal(want, "15.2.1544.25");
	assert_int_equal(snapshot_parse_version("15.1.2507.39", &v), 0);
	assert_true(model_build_is_2016_2019(&v));
	assert_false(model_build_supports_app(&v, want, sizeof(want), &line));
	assert_string_equal(want, "15.1.2507.55");
}

static void
test_milestones(void **state)
{
	struct cloud_set set = { 0 };
	struct hcerr e = { "" };
	struct context ctx;
	struct model_milestone m;

	(void)state;
	memset(&ctx, 0, sizeof(ctx));
	assert_int_equal(cloud_set_load_embedded(&set, &e), 0);
	ctx.clouds = &set;
	/* No cloud chosen: the worldwide profile's date, marked. */
	model_milestone(&ctx, MODEL_T2, &m);
	assert_true(m.known);
	assert_true(m.assumed);
	assert_string_equal(m.day, "2027-04-01");
	ctx.cloud = cloud_find(&set, "china");
	model_milestone(&ctx, MODEL_T1, &m);
	assert_false(m.assumed);
	assert_string_equal(m.day, "2026-10-01");
	assert_string_equal(m.certainty, "unsettled");
	ctx.now = 1806537600 - 1;	/* 2027-03-31T23:59:59Z */
	assert_false(model_reached(&ctx, MODEL_T2));
	ctx.now = 1806537600;
	assert_true(model_reached(&ctx, MODEL_T2));
	cloud_set_release(&set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agent_url),
		cmocka_unit_test(test_builds),
		cmocka_unit_test(test_milestones),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
