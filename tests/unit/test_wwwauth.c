/* wwwauth: RFC 7235 challenges as Exchange sends them, and x-ms-diagnostics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wwwauth.h"

static void
test_exo_global(void **state)
{
	const char *h = "Bearer client_id=\"00000002-0000-0ff1-ce00-000000000000\", "
	    "trusted_issuers=\"00000001-0000-0000-c000-000000000000@*\", "
	    "token_types=\"app_asserted_user_v1 service_asserted_app_v1\", "
	    "authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\","
	    "Basic Realm=\"\"";
	struct wwwauth w = { 0 };
	struct hcerr e;
	struct bearer b;
	const struct auth_challenge *c;

	(void)state;
	assert_int_equal(wwwauth_parse(&w, h, &e), 0);
	assert_int_equal(w.n, 2);
	c = wwwauth_find(&w, "bearer");
	assert_non_null(c);
	assert_int_equal(c->nparams, 4);
	wwwauth_bearer(c, &b);
	assert_string_equal(b.client_id, "00000002-0000-0ff1-ce00-000000000000");
	assert_int_equal(b.trusted_issuers.n, 1);
	assert_string_equal(b.trusted_issuers.v[0],
	    "00000001-0000-0000-c000-000000000000@*");
	assert_int_equal(b.token_types.n, 2);
	assert_string_equal(b.token_types.v[1], "service_asserted_app_v1");
	assert_string_equal(b.authorization_uri,
	    "https://login.microsoftonline.com/common/oauth2/authorize");
	assert_null(b.error);
	wwwauth_bearer_release(&b);
	c = wwwauth_find(&w, "Basic");
	assert_non_null(c);
	assert_string_equal(wwwauth_param(c, "realm"), "");
	wwwauth_release(&w);
	wwwauth_release(&w);
}

static void
test_onprem_two_headers(void **state)
{
	struct wwwauth w = { 0 };
	struct hcerr e;
	struct bearer b;

	(void)state;
	assert_int_equal(wwwauth_parse(&w, "Negotiate", &e), 0);
	assert_int_equal(wwwauth_parse(&w, "NTLM", &e), 0);
	assert_int_equal(wwwauth_parse(&w,
	    "Bearer trusted_issuers=\"00000001-0000-0000-c000-000000000000@5de110f8-2e0f-4d45-891d-bcf2218e253d,"
	    "00000004-0000-0ff1-ce00-000000000000@contoso.com\", "
	    "client_id=\"00000002-0000-0ff1-ce00-000000000000\", "
	    "authorization_uri=\"https://login.windows.net/common/oauth2/authorize\", "
	    "error=\"invalid_token\"", &e), 0);
	assert_int_equal(wwwauth_parse(&w, "Basic realm=\"mail.contoso.com\"", &e), 0);
	assert_int_equal(w.n, 4);
	assert_string_equal(w.v[0].scheme, "Negotiate");
	assert_int_equal(w.v[0].nparams, 0);
	assert_null(w.v[0].token68);
	wwwauth_bearer(wwwauth_find(&w, "BEARER"), &b);
	assert_int_equal(b.trusted_issuers.n, 2);
	assert_string_equal(b.trusted_issuers.v[0],
	    "00000001-0000-0000-c000-000000000000@5de110f8-2e0f-4d45-891d-bcf2218e253d");
	assert_string_equal(b.trusted_issuers.v[1],
	    "00000004-0000-0ff1-ce00-000000000000@contoso.com");
	assert_string_equal(b.error, "invalid_token");
	wwwauth_bearer_release(&b);
	assert_string_equal(wwwauth_param(wwwauth_find(&w, "basic"), "REALM"),
	    "mail.contoso.com");
	wwwauth_release(&w);
}

static void
test_rfc_variants(void **state)
{
	struct wwwauth w = { 0 };
	struct hcerr e;

	(void)state;
	/* RFC 7235's own example: two challenges, escapes, token values. */
	assert_int_equal(wwwauth_parse(&w,
	    "Newauth realm=\"apps\", type=1,  title=\"Login to \\\"apps\\\"\", "
	    "Basic realm=\"simple\"", &e), 0);
	assert_int_equal(w.n, 2);
	assert_string_equal(wwwauth_param(&w.v[0], "type"), "1");
	assert_string_equal(wwwauth_param(&w.v[0], "title"), "Login to \"apps\"");
	assert_string_equal(wwwauth_param(&w.v[1], "realm"), "simple");
	wwwauth_release(&w);
	/* token68, blanks around '=', empty list items. */
	assert_int_equal(wwwauth_parse(&w,
	    " , Negotiate oYIBBjCCAQKgAw==, ,Bearer realm = \"x\" ,error=invalid_token", &e), 0);
	assert_int_equal(w.n, 2);
	assert_string_equal(w.v[0].token68, "oYIBBjCCAQKgAw==");
	assert_string_equal(wwwauth_param(&w.v[1], "realm"), "x");
	assert_string_equal(wwwauth_param(&w.v[1], "error"), "invalid_token");
	wwwauth_release(&w);
	/* Bearer with nothing: OAuth offered, no parameters. */
	assert_int_equal(wwwauth_parse(&w, "Bearer", &e), 0);
	assert_int_equal(w.n, 1);
	assert_null(wwwauth_param(&w.v[0], "trusted_issuers"));
	wwwauth_release(&w);
	assert_int_equal(wwwauth_parse(&w, "", &e), 0);
	assert_int_equal(w.n, 0);
}

static void
test_garbage(void **state)
{
	static const char *const bad[] = {
		"Bearer realm=\"unterminated",
		"=oops",
		"Bearer a=\"1\", b=",
		"Bearer a=\"1\" b=\"2\"",
		"\"quoted\"",
		"Basic realm=\"x\", =",
	};
	struct wwwauth w = { 0 };
	struct hcerr e;
	char *big;

	(void)state;
	assert_int_equal(wwwauth_parse(&w, "Negotiate", &e), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		if (wwwauth_parse(&w, bad[i], &e) != -1)
			fail_msg("'%s' parsed", bad[i]);
		assert_non_null(strstr(e.msg, "at byte"));
		/* The earlier header stays; nothing of the bad one is kept. */
		assert_int_equal(w.n, 1);
	}
	big = malloc(WWWAUTH_HEADER_MAX + 10);
	memset(big, 'a', WWWAUTH_HEADER_MAX + 9);
	big[WWWAUTH_HEADER_MAX + 9] = '\0';
	assert_int_equal(wwwauth_parse(&w, big, &e), -1);
	free(big);
	wwwauth_release(&w);
	wwwauth_release(NULL);
}

static void
test_diagnostics(void **state)
{
	struct msdiag d;
	struct hcerr e;

	(void)state;
	assert_int_equal(wwwauth_parse_diagnostics(&d,
	    "4000000;reason=\"The hostname component of the audience claim value "
	    "'https://mail.contoso.com/' is invalid.\";error_category=\"invalid_resource\"",
	    &e), 0);
	assert_int_equal(d.code, 4000000);
	assert_non_null(strstr(d.reason, "audience claim"));
	assert_string_equal(d.error_category, "invalid_resource");
	assert_int_equal(d.nparams, 2);
	wwwauth_diagnostics_release(&d);
	assert_int_equal(wwwauth_parse_diagnostics(&d,
	    " 2000001; reason=The user specified by the user-context in the token does not exist.; error_category=invalid_user",
	    &e), 0);
	assert_int_equal(d.code, 2000001);
	assert_string_equal(d.error_category, "invalid_user");
	assert_non_null(strstr(d.reason, "does not exist."));
	wwwauth_diagnostics_release(&d);
	assert_int_equal(wwwauth_parse_diagnostics(&d, "4000000", &e), 0);
	assert_null(d.reason);
	wwwauth_diagnostics_release(&d);
	assert_int_equal(wwwauth_parse_diagnostics(&d, "reason=\"x\"", &e), -1);
	assert_non_null(strstr(e.msg, "numeric code"));
	assert_int_equal(wwwauth_parse_diagnostics(&d, "1;reason=\"x", &e), -1);
	assert_int_equal(wwwauth_parse_diagnostics(&d, "1;=x", &e), -1);
	assert_null(d.params);
	wwwauth_diagnostics_release(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exo_global),
		cmocka_unit_test(test_onprem_two_headers),
		cmocka_unit_test(test_rfc_variants),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_diagnostics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
