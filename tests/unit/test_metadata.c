/* metadata_parse: ACS and on-premises auth metadata, variants and garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/sha.h>

#include "metadata.h"
#include "testcert.h"
#include "b64.h"

static char *cert_b64;
static char x5t[32];

static int
setup(void **state)
{
	EVP_PKEY *k = tc_key(2048);
	struct tc_opts o = { .cn = "accounts.accesscontrol.windows.net" };
	X509 *x = tc_cert(k, &o);
	unsigned char md[20], *der;
	size_t len;

	(void)state;
	cert_b64 = tc_b64(x);
	der = tc_der(x, &len);
	SHA1(der, len, md);
	b64url_encode(md, 20, x5t, sizeof(x5t));
	OPENSSL_free(der);
	X509_free(x);
	EVP_PKEY_free(k);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(cert_b64);
	return 0;
}

static char *
acs_doc(const char *x5t_value, const char *value)
{
	return xasprintf("{\"keys\":[\n"
	    "   {\"usage\":\"signing\",\"keyValue\":{\"type\":\"x509Certificate\",\"value\":\"%s\",\n"
	    "      \"keyInfo\":{\"x5t\":\"%s\"}}}],\n"
	    " \"endpoints\":[\n"
	    "   {\"location\":\"https://accounts.accesscontrol.windows.net/72416f3c-199e-43f6-9bb5-29f4a10665d5/tokens/OAuth/2\",\"protocol\":\"OAuth2\",\"usage\":\"issuance\"},\n"
	    "   {\"location\":\"https://accounts.accesscontrol.windows.net/72416f3c-199e-43f6-9bb5-29f4a10665d5/tokens/delegation/1\",\"protocol\":\"DelegationIssuance1.0\",\"usage\":\"issuance\"},\n"
	    "   {\"location\":\"https://accounts.accesscontrol.windows.net/72416f3c-199e-43f6-9bb5-29f4a10665d5/mgmt/delegation/1\",\"protocol\":\"DelegationManagement1.0\",\"usage\":\"management\"}],\n"
	    " \"version\":\"1.0\",\"realm\":\"72416f3c-199e-43f6-9bb5-29f4a10665d5\",\"name\":\"sts\",\n"
	    " \"allowedAudiences\":[\"00000001-0000-0000-c000-000000000000/accounts.accesscontrol.windows.net@72416f3c-199e-43f6-9bb5-29f4a10665d5\"],\n"
	    " \"issuer\":\"00000001-0000-0000-c000-000000000000@72416f3c-199e-43f6-9bb5-29f4a10665d5\"}",
	    value, x5t_value);
}

static void
test_acs_sample(void **state)
{
	struct metadata m;
	struct hcerr e;
	char *doc = acs_doc(x5t, cert_b64);
	const struct metadata_endpoint *ep;

	(void)state;
	assert_int_equal(metadata_parse(&m, doc, strlen(doc), &e), 0);
	assert_string_equal(m.realm, "72416f3c-199e-43f6-9bb5-29f4a10665d5");
	assert_string_equal(m.issuer,
	    "00000001-0000-0000-c000-000000000000@72416f3c-199e-43f6-9bb5-29f4a10665d5");
	assert_int_equal(m.nkeys, 1);
	assert_string_equal(m.keys[0].usage, "signing");
	assert_non_null(m.keys[0].der);
	assert_null(m.keys[0].error);
	assert_int_equal(m.keys[0].x5t_match, 1);
	assert_string_equal(m.keys[0].x5t_computed, x5t);
	assert_int_equal(strlen(m.keys[0].sha1), 40);
	assert_non_null(strstr(m.keys[0].subject, "accesscontrol"));
	assert_true(m.keys[0].not_after > m.keys[0].not_before);
	assert_int_equal(m.nendpoints, 3);
	ep = metadata_endpoint_find(&m, "oauth2", "ISSUANCE");
	assert_non_null(ep);
	assert_non_null(strstr(ep->location, "/tokens/OAuth/2"));
	assert_int_equal(m.audiences.n, 1);
	assert_int_equal(m.variants.n, 0);
	metadata_release(&m);
	metadata_release(&m);	/* twice is harmless */
	free(doc);
}

static void
test_exchange_sample(void **state)
{
	struct metadata m;
	struct hcerr e;
	char *doc = xasprintf("{\"id\":\"_70b34511-6e4c-4e8b-9bd2-b5d1a3d7e4b1\",\"version\":\"1.0\",\"name\":\"Exchange\",\"realm\":\"*\",\n"
	    " \"serviceName\":\"00000002-0000-0ff1-ce00-000000000000\",\n"
	    " \"issuer\":\"00000002-0000-0ff1-ce00-000000000000@*\",\n"
	    " \"allowedAudiences\":[\"00000002-0000-0ff1-ce00-000000000000@*\"],\n"
	    " \"keys\":[{\"usage\":\"signing\",\"keyinfo\":{\"x5t\":\"%s\"},\n"
	    "          \"keyvalue\":{\"type\":\"x509Certificate\",\"value\":\"%s\"}}],\n"
	    " \"endpoints\":[{\"location\":\"https:\\/\\/mail.contoso.com\\/autodiscover\\/metadata\\/json\\/1\",\"protocol\":\"OAuth2\",\"usage\":\"metadata\"}]}",
	    x5t, cert_b64);

	(void)state;
	assert_int_equal(metadata_parse(&m, doc, strlen(doc), &e), 0);
	assert_string_equal(m.realm, "*");
	assert_string_equal(m.service_name, "00000002-0000-0ff1-ce00-000000000000");
	assert_int_equal(m.keys[0].x5t_match, 1);
	assert_true(strlist_contains_ci(&m.variants, "keyvalue"));
	assert_true(strlist_contains_ci(&m.variants, "keyinfo sibling"));
	assert_string_equal(m.endpoints[0].location,
	    "https://mail.contoso.com/autodiscover/metadata/json/1");
	metadata_release(&m);
	free(doc);
}

static void
test_variants(void **state)
{
	struct metadata m;
	struct hcerr e;
	char hex[41];
	unsigned char *der;
	size_t len;
	char *doc;

	(void)state;
	/* Casing variants, a padded base64 x5t, wrapped base64 value. */
	doc = xasprintf("{\"Keys\":[{\"Usage\":\"Signing\",\"KeyValue\":{\"Type\":"
	    "\"x509certificate\",\"Value\":\"%.20s\\n%s\",\"KeyInfo\":{\"X5T\":\"%s=\"}}}]}",
	    cert_b64, cert_b64 + 20, x5t);
	assert_int_equal(metadata_parse(&m, doc, strlen(doc), &e), 0);
	assert_string_equal(m.keys[0].usage, "Signing");
	assert_string_equal(m.keys[0].type, "x509certificate");
	assert_int_equal(m.keys[0].x5t_match, 1);
	assert_null(m.realm);		/* no tenant segment: no realm */
	assert_null(m.issuer);
	assert_true(m.variants.n >= 4);
	/* A hex thumbprint in place of x5t is accepted. */
	der = metadata_b64decode(cert_b64, &len);
	{
		unsigned char md[20];

		SHA1(der, len, md);
		for (int i = 0; i < 20; i++)
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
	}
	free(der);
	metadata_release(&m);
	free(doc);
	doc = acs_doc(hex, cert_b64);
	assert_int_equal(metadata_parse(&m, doc, strlen(doc), &e), 0);
	assert_int_equal(m.keys[0].x5t_match, 1);
	metadata_release(&m);
	free(doc);
}

static void
test_bad_keys(void **state)
{
	struct metadata m;
	struct hcerr e;
	char *doc;

	(void)state;
	doc = acs_doc("kg2LYs2T0CTjIfj4rt6JIynen38", cert_b64);
	assert_int_equal(metadata_parse(&m, doc, strlen(doc), &e), 0);
	assert_int_equal(m.keys[0].x5t_match, 0);
	metadata_release(&m);
	free(doc);

	doc = acs_doc(x5t, "not*base64!");
	assert_int_equal(metadata_parse(&m, doc, strlen(doc), &e), 0);
	assert_null(m.keys[0].der);
	assert_string_equal(m.keys[0].error, "value is not base64");
	assert_int_equal(m.keys[0].x5t_match, -1);
	metadata_release(&m);
	free(doc);

	doc = acs_doc(x5t, "aGVsbG8gd29ybGQ=");
	assert_int_equal(metadata_parse(&m, doc, strlen(doc), &e), 0);
	assert_non_null(strstr(m.keys[0].error, "not a DER X.509"));
	metadata_release(&m);
	free(doc);
}

static void
test_garbage(void **state)
{
	static const char *const docs[] = {
		"", "null", "[]", "{", "{\"keys\":{}}", "{\"realm\":\"x\"}",
		"{\"keys\":[1]}", "{\"keys\":[{\"usage\":\"signing\"}]}",
		"{\"keys\":[{\"keyValue\":{\"value\":7}}]}",
		"{\"keys\":[],\"endpoints\":\"x\"}",
		"{\"keys\":[],\"allowedAudiences\":{}}",
		"<html><body>404</body></html>",
	};
	static const char *const paths[] = {
		"not JSON", "top level", "top level", "not JSON", "keys:", "keys:",
		"keys[0]", "keys[0].keyValue", "keys[0].keyValue.value",
		"endpoints:", "allowedAudiences:", "not JSON",
	};
	struct metadata m;
	struct hcerr e;
	char *big;

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		memset(&e, 0, sizeof(e));
		assert_int_equal(metadata_parse(&m, docs[i], strlen(docs[i]), &e), -1);
		if (strstr(e.msg, paths[i]) == NULL)
			fail_msg("doc %zu: '%s' lacks '%s'", i, e.msg, paths[i]);
		assert_null(m.keys);
	}
	/* Empty key list parses: the check says what is wrong with it. */
	assert_int_equal(metadata_parse(&m, "{\"keys\":[]}", 11, &e), 0);
	assert_int_equal(m.nkeys, 0);
	metadata_release(&m);
	big = calloc(1, METADATA_MAX + 2);
	memset(big, ' ', METADATA_MAX + 1);
	assert_int_equal(metadata_parse(&m, big, METADATA_MAX + 1, &e), -1);
	assert_non_null(strstr(e.msg, "exceeds"));
	free(big);
	metadata_release(NULL);
}

static void
test_base64(void **state)
{
	unsigned char *p;
	size_t n;
	char out[16];

	(void)state;
	p = metadata_b64decode("aGk=", &n);
	assert_int_equal(n, 2);
	assert_memory_equal(p, "hi", 2);
	free(p);
	p = metadata_b64decode("aGk", &n);
	assert_int_equal(n, 2);
	free(p);
	p = metadata_b64decode("-_-_", &n);
	assert_int_equal(n, 3);
	assert_int_equal(p[0], 0xfb);
	free(p);
	assert_null(metadata_b64decode("a=b=", &n));
	assert_null(metadata_b64decode("a", &n));
	b64url_encode((const unsigned char *)"\xfb\xff", 2, out, sizeof(out));
	assert_string_equal(out, "-_8");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acs_sample),
		cmocka_unit_test(test_exchange_sample),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_bad_keys),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_base64),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
