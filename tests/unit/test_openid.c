/* openid_parse: tenant discovery documents, AADSTS errors, garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "file.h"
#include "openid.h"

/* Shape of the worldwide v2.0 document (values of a test tenant). */
static const char global_v2[] =
    "{\"token_endpoint\":\"https://login.microsoftonline.com/72416F3C-199E-43F6-9BB5-29F4A10665D5/oauth2/v2.0/token\","
    "\"token_endpoint_auth_methods_supported\":[\"client_secret_post\",\"private_key_jwt\",\"client_secret_basic\"],"
    "\"jwks_uri\":\"https://login.microsoftonline.com/72416f3c-199e-43f6-9bb5-29f4a10665d5/discovery/v2.0/keys\","
    "\"response_modes_supported\":[\"query\",\"fragment\",\"form_post\"],"
    "\"issuer\":\"https://login.microsoftonline.com/72416f3c-199e-43f6-9bb5-29f4a10665d5/v2.0\","
    "\"authorization_endpoint\":\"https://login.microsoftonline.com/72416f3c-199e-43f6-9bb5-29f4a10665d5/oauth2/v2.0/authorize\","
    "\"tenant_region_scope\":\"NA\",\"cloud_instance_name\":\"microsoftonline.com\","
    "\"cloud_graph_host_name\":\"graph.windows.net\",\"msgraph_host\":\"graph.microsoft.com\",\"rbac_url\":\"https://pas.windows.net\"}";

static void
test_global(void **state)
{
	struct openid o;
	struct hcerr e;

	(void)state;
	assert_int_equal(openid_parse(&o, global_v2, strlen(global_v2), &e), 0);
	assert_string_equal(o.tenant_id, "72416f3c-199e-43f6-9bb5-29f4a10665d5");
	assert_string_equal(o.tenant_from, "token_endpoint");
	assert_string_equal(o.tenant_region_scope, "NA");
	assert_string_equal(o.cloud_instance_name, "microsoftonline.com");
	assert_string_equal(o.msgraph_host, "graph.microsoft.com");
	assert_string_equal(o.token_host, "login.microsoftonline.com");
	assert_null(o.tenant_region_sub_scope);
	openid_release(&o);
	openid_release(&o);
	openid_release(NULL);
}

static void
test_v1_issuer_only(void **state)
{
	static const char us[] =
	    "{\"issuer\":\"https://sts.windows.net/5de110f8-2e0f-4d45-891d-bcf2218e253d/\","
	    "\"tenant_region_scope\":\"USGov\",\"tenant_region_sub_scope\":\"DODCON\","
	    "\"cloud_instance_name\":\"microsoftonline.us\",\"msgraph_host\":\"graph.microsoft.us\"}";
	static const char odd[] =
	    "{\"token_endpoint\":\"https://login.partner.microsoftonline.cn/common/oauth2/token\","
	    "\"issuer\":\"https://sts.chinacloudapi.cn/0b6e8f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b/\"}";
	struct openid o;
	struct hcerr e;

	(void)state;
	assert_int_equal(openid_parse(&o, us, strlen(us), &e), 0);
	assert_string_equal(o.tenant_id, "5de110f8-2e0f-4d45-891d-bcf2218e253d");
	assert_string_equal(o.tenant_from, "issuer");
	assert_string_equal(o.tenant_region_sub_scope, "DODCON");
	assert_null(o.token_host);
	openid_release(&o);
	/* The token endpoint names no tenant: the issuer does. */
	assert_int_equal(openid_parse(&o, odd, strlen(odd), &e), 0);
	assert_string_equal(o.tenant_id, "0b6e8f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
	assert_string_equal(o.token_host, "login.partner.microsoftonline.cn");
	openid_release(&o);
}

static void
test_garbage(void **state)
{
	static const char *const docs[] = {
		"", "[]", "{}", "nonsense", "{\"issuer\":7}",
		"{\"token_endpoint\":\"https://login.microsoftonline.com/common/oauth2/token\"}",
		"{\"issuer\":\"https://sts.windows.net/72416f3c-199e-43f6-9bb5-29f4a10665d/\"}",
	};
	static const char *const want[] = {
		"not a JSON object", "not a JSON object", "none of", "not a JSON",
		"none of", "no tenant id", "no tenant id",
	};
	struct openid o;
	struct hcerr e;

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		assert_int_equal(openid_parse(&o, docs[i], strlen(docs[i]), &e), -1);
		if (strstr(e.msg, want[i]) == NULL)
			fail_msg("doc %zu: '%s' lacks '%s'", i, e.msg, want[i]);
		assert_null(o.tenant_id);
	}
	assert_int_equal(openid_parse(&o, global_v2, OPENID_MAX + 1, &e), -1);
	assert_non_null(strstr(e.msg, "exceeds"));
}

static void
test_error(void **state)
{
	static const char err[] =
	    "{\"error\":\"invalid_tenant\",\"error_description\":\"AADSTS90002: Tenant "
	    "'nosuch.example' not found. Check to make sure you have the correct tenant ID.\\r\\n"
	    "Trace ID: 0000\\r\\nCorrelation ID: 1111\",\"error_codes\":[90002],"
	    "\"timestamp\":\"2026-01-01 00:00:00Z\",\"error_uri\":\"https://login.microsoftonline.com/error?code=90002\"}";
	static const char nocodes[] =
	    "{\"error\":\"invalid_request\",\"error_description\":\"AADSTS900023: Specified tenant identifier is neither a valid DNS name, nor a valid external domain.\"}";
	struct openid_error oe;

	(void)state;
	assert_int_equal(openid_parse_error(&oe, err, strlen(err)), 0);
	assert_string_equal(oe.error, "invalid_tenant");
	assert_int_equal(oe.code, 90002);
	assert_null(strchr(oe.description, '\n'));
	assert_non_null(strstr(oe.description, "not found"));
	openid_error_release(&oe);
	assert_int_equal(openid_parse_error(&oe, nocodes, strlen(nocodes)), 0);
	assert_int_equal(oe.code, 900023);
	openid_error_release(&oe);
	assert_int_equal(openid_parse_error(&oe, global_v2, strlen(global_v2)), -1);
	assert_int_equal(openid_parse_error(&oe, "<html/>", 7), -1);
	assert_int_equal(openid_parse_error(&oe, "{\"error\":3}", 11), -1);
	assert_null(oe.error);
}

/*
 * Microsoft's Azure Government identity page shows a discovery answer with
 * only authorization_endpoint and tenant_region_scope (the capture in
 * tests/data/real, see SOURCES.md): the tenant comes from that endpoint.
 */
static void
test_government_page_sample(void **state)
{
	struct openid o;
	struct hcerr e;
	char *doc = NULL;
	size_t len;

	(void)state;
	assert_int_equal(file_read(HC_SOURCE_DIR "/tests/data/real/openid/"
	    "azure-docs-government-identity-usg.json", OPENID_MAX, &doc, &len,
	    &e), 0);
	assert_int_equal(openid_parse(&o, doc, len, &e), 0);
	assert_string_equal(o.tenant_id, "b552ff1c-edad-4b6f-b301-5963a979bc4d");
	assert_string_equal(o.tenant_from, "authorization_endpoint");
	assert_string_equal(o.tenant_region_scope, "USG");
	assert_null(o.token_endpoint);
	assert_null(o.token_host);
	openid_release(&o);
	free(doc);
	/* A token endpoint naming a tenant still wins over the others. */
	assert_int_equal(openid_parse(&o, global_v2, strlen(global_v2), &e), 0);
	assert_string_equal(o.tenant_from, "token_endpoint");
	openid_release(&o);
}

static void
test_guid(void **state)
{
	(void)state;
	assert_true(openid_is_guid("72416f3c-199e-43f6-9bb5-29f4a10665d5", 36));
	assert_false(openid_is_guid("72416f3c-199e-43f6-9bb5-29f4a10665dz", 36));
	assert_false(openid_is_guid("72416f3c0199e-43f6-9bb5-29f4a10665d5", 36));
	assert_false(openid_is_guid("common", 6));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_global),
		cmocka_unit_test(test_v1_issuer_only),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_error),
		cmocka_unit_test(test_government_page_sample),
		cmocka_unit_test(test_guid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
