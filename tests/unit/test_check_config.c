/*
 * The snapshot through the context into the configuration checks, with
 * Auth certificates generated here: certificate bytes decide matches, the
 * snapshot stands in for --cert, --spn and --host, and dates are ctx->now.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cert.h"
#include "checks.h"
#include "context.h"
#include "snapshot.h"
#include "spn.h"

#define TENANT	"5de110f8-2e0f-4d45-891d-bcf2218e253d"
#define APPID	"d3a9c7e1-5b2f-4a6d-8c0e-1f2a3b4c5d6e"

struct made {
	char	*b64;
	char	*thumb;
};

static struct made
make_cert(long serial)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *n;
	unsigned char *der = NULL, md[20];
	unsigned mdlen = 0;
	int len;
	struct made m;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600L * 24 * 365 * 5);
	X509_set_pubkey(x, k);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)
	    "Microsoft Exchange Server Auth Certificate", -1, -1, 0);
	X509_set_issuer_name(x, n);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	len = i2d_X509(x, &der);
	assert_true(len > 0);
	m.b64 = malloc(4 * (((size_t)len + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)m.b64, der, len);
	EVP_Digest(der, (size_t)len, md, &mdlen, EVP_sha1(), NULL);
	m.thumb = malloc(41);
	for (unsigned i = 0; i < 20; i++)
		snprintf(m.thumb + i * 2, 3, "%02X", md[i]);
	OPENSSL_free(der);
	X509_free(x);
	EVP_PKEY_free(k);
	return m;
}

static void
made_free(struct made *m)
{
	free(m->b64);
	free(m->thumb);
}

/* A worldwide dedicated-app snapshot; the app's key is key_b64 claiming key_thumb. */
static char *
snapshot_json(const struct made *server, const char *key_b64,
    const char *key_thumb, const char *sp_key)
{
	return xasprintf("{\"schema\":\"hybridcheck.snapshot/1\",\"cloud\":\"global\","
	    "\"tenantId\":\"" TENANT "\",\"onPremises\":{"
	    "\"authConfig\":{\"currentCertificateThumbprint\":\"%s\"},"
	    "\"authServers\":[{\"name\":\"EvoSts\",\"type\":\"AzureAD\",\"realm\":\"" TENANT "\","
	    "\"applicationIdentifier\":\"" APPID "\",\"enabled\":true,"
	    "\"authMetadataUrl\":\"https://login.windows.net/contoso.com/federationmetadata/2007-06/federationmetadata.xml\"}],"
	    "\"servers\":[{\"name\":\"EX01\",\"fileVersion\":\"15.2.2562.29\","
	    "\"webServicesVirtualDirectories\":[{\"externalUrl\":\"https://Mail.Contoso.com/EWS/Exchange.asmx\",\"oAuthAuthentication\":true}],"
	    "\"authCertificates\":[{\"der\":\"%s\"}]}]},"
	    "\"entra\":{\"exchangeServicePrincipal\":{\"servicePrincipalNames\":"
	    "[\"00000002-0000-0ff1-ce00-000000000000/*.contoso.com\"],\"keyCredentials\":[%s]},"
	    "\"hybridApplications\":[{\"appId\":\"" APPID "\",\"displayName\":\"ExchangeServerApp-x\","
	    "\"keyCredentials\":[{\"key\":%s%s%s,\"customKeyIdentifier\":\"%s\","
	    "\"endDateTime\":\"2031-01-01T00:00:00Z\"}]}]}}",
	    server->thumb, server->b64, sp_key ? sp_key : "",
	    key_b64 ? "\"" : "", key_b64 ? key_b64 : "null", key_b64 ? "\"" : "",
	    key_thumb);
}

struct run {
	struct context_config	cc;
	struct cloud_set	clouds;
	struct context		ctx;
	struct findings		f;
};

static int
build(struct run *r, const char *json, struct hcerr *e)
{
	char *path = xasprintf("%s/check_config.json", HC_TEST_TMP);
	FILE *fp = fopen(path, "w");
	int rc;

	assert_non_null(fp);
	fputs(json, fp);
	fclose(fp);
	memset(r, 0, sizeof(*r));
	r->cc.snapshot = path;
	r->cc.offline = 1;
	r->cc.now = time(NULL);
	assert_int_equal(cloud_set_load_embedded(&r->clouds, e), 0);
	rc = context_build(&r->ctx, &r->cc, &r->clouds, e);
	/* The configuration's strings are borrowed for the build only. */
	free(path);
	r->cc.snapshot = NULL;
	return rc;
}

static void
release(struct run *r)
{
	findings_release(&r->f);
	context_release(&r->ctx);
	cloud_set_release(&r->clouds);
}

static const struct finding *
find(const struct findings *f, const char *check, enum severity sev)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i]->check, check) == 0 && f->v[i]->severity == sev)
			return f->v[i];
	return NULL;
}

/* The snapshot provides cloud, thumbprint, certificate, SPNs and hosts. */
static void
test_snapshot_as_inputs(void **state)
{
	struct made c = make_cert(1);
	char *json = snapshot_json(&c, c.b64, c.thumb, NULL);
	struct run r;
	struct hcerr e = { "" };
	static const char *const only[] = { "auth-cert.", "spn.coverage", NULL };
	const struct finding *fd;

	(void)state;
	if (build(&r, json, &e) == -1)
		fail_msg("%s", e.msg);
	assert_non_null(r.ctx.cloud);
	assert_string_equal(r.ctx.cloud->name, "global");
	assert_true(r.ctx.have & INPUT_SNAPSHOT);
	assert_true(r.ctx.have & INPUT_THUMBPRINT);
	assert_string_equal(r.ctx.thumbprint, c.thumb);
	assert_true(r.ctx.have & INPUT_CERT);
	assert_string_equal(r.ctx.cert->thumbprint, c.thumb);
	assert_true(r.ctx.have & INPUT_SPNS);
	assert_int_equal(r.ctx.spns->n, 1);
	assert_true(r.ctx.have & INPUT_HOSTS);
	assert_true(strlist_contains_ci(&r.ctx.hosts, "mail.contoso.com"));

	checks_run(&r.ctx, only, &r.f);
	fd = find(&r.f, "auth-cert.entra", SEV_PASS);
	assert_non_null(fd);
	assert_string_equal(finding_get(fd, "matched by"), "certificate bytes");
	assert_non_null(find(&r.f, "auth-cert.thumbprint", SEV_PASS));
	assert_non_null(find(&r.f, "spn.coverage", SEV_PASS));
	release(&r);
	free(json);
	made_free(&c);
}

/* customKeyIdentifier names the current thumbprint, the key is another certificate. */
static void
test_key_contradicts_identifier(void **state)
{
	struct made c = make_cert(1), other = make_cert(2);
	char *json = snapshot_json(&c, other.b64, c.thumb, NULL);
	struct run r;
	struct hcerr e = { "" };
	static const char *const only[] = { "auth-cert.entra", NULL };
	size_t fails = 0;

	(void)state;
	if (build(&r, json, &e) == -1)
		fail_msg("%s", e.msg);
	checks_run(&r.ctx, only, &r.f);
	for (size_t i = 0; i < r.f.n; i++)
		if (r.f.v[i]->severity == SEV_FAIL) {
			fails++;
			assert_string_equal(r.f.v[i]->remedy, "authcert.upload");
		}
	/* One for the lying identifier, one for the certificate not being there. */
	assert_int_equal(fails, 2);
	assert_null(find(&r.f, "auth-cert.entra", SEV_PASS));
	release(&r);
	free(json);
	made_free(&c);
	made_free(&other);
}

/* Without key bytes, the thumbprint in customKeyIdentifier matches. */
static void
test_identifier_only_and_cleanup(void **state)
{
	struct made c = make_cert(1);
	char *sp = xasprintf("{\"customKeyIdentifier\":\"%s\",\"endDateTime\":"
	    "\"2031-01-01T00:00:00Z\"}", c.thumb);
	char *json = snapshot_json(&c, NULL, c.thumb, sp);
	struct run r;
	struct hcerr e = { "" };
	static const char *const only[] = { "auth-cert.entra", NULL };
	const struct finding *fd;

	(void)state;
	if (build(&r, json, &e) == -1)
		fail_msg("%s", e.msg);
	checks_run(&r.ctx, only, &r.f);
	fd = find(&r.f, "auth-cert.entra", SEV_PASS);
	assert_non_null(fd);
	assert_string_equal(finding_get(fd, "matched by"), "customKeyIdentifier");
	/*
	 * The application is not in use yet (no override, no consent): the
	 * key stays on the shared principal, and no clean-up step is asked
	 * for (examples/broken/cert-left-on-sp has the working application).
	 */
	assert_null(find(&r.f, "auth-cert.entra", SEV_WARN));
	fd = find(&r.f, "auth-cert.entra", SEV_INFO);
	assert_non_null(fd);
	assert_null(fd->remedy);
	assert_string_equal(finding_get(fd, "not yet"),
	    "the EnableExchangeHybrid3PAppFeature override is not on");
	release(&r);
	free(json);
	free(sp);
	made_free(&c);
}

/* Dates are judged against ctx->now: the same key credential expires. */
static void
test_now_decides(void **state)
{
	struct made c = make_cert(1);
	char *json = snapshot_json(&c, c.b64, c.thumb, NULL);
	struct run r;
	struct hcerr e = { "" };
	static const char *const only[] = { "auth-cert.entra", "hybrid.model", NULL };

	(void)state;
	if (build(&r, json, &e) == -1)
		fail_msg("%s", e.msg);
	r.ctx.now = 1924992000;	/* 2031-01-01T00:00:00Z: the credential's end */
	checks_run(&r.ctx, only, &r.f);
	assert_non_null(find(&r.f, "auth-cert.entra", SEV_FAIL));
	assert_non_null(find(&r.f, "hybrid.model", SEV_PASS));
	release(&r);
	free(json);
	made_free(&c);
}

/*
 * The life cycle: 45 days before the end and nothing staged, a next
 * certificate is due; the tenant's cap on key credentials (when the
 * snapshot has it) is the new certificate's lifetime and flags the current
 * one; without it, a skip says what is missing, and quotes the collector's
 * reason when errors[] names the part (a 403 without Policy.Read.All).
 */
static void
test_life_cycle_and_key_policy(void **state)
{
	struct made c = make_cert(1);
	char *plain = snapshot_json(&c, c.b64, c.thumb, NULL), *json, *with, *at;
	static const char *const only[] = { "auth-config.certificate", NULL };
	static const char pol[] = "\"appManagementPolicy\":{\"isEnabled\":true,"
	    "\"applicationRestrictions\":{\"keyCredentials\":[{\"restrictionType\":"
	    "\"asymmetricKeyLifetime\",\"maxLifetime\":\"P1Y\",\"state\":\"enabled\"}]}},";
	const struct finding *fd;
	struct run r;
	struct hcerr e = { "" };

	(void)state;
	/* The reader takes the dates as written (the collector writes them). */
	at = strstr(plain, "{\"der\":");
	assert_non_null(at);
	json = xasprintf("%.*s{\"notBefore\":\"2026-01-01T00:00:00Z\",\"notAfter\":"
	    "\"2031-01-01T00:00:00Z\",%s", (int)(at - plain), plain, at + 1);
	free(plain);
	for (int p = 0; p < 3; p++) {
		at = strstr(json, "\"hybridApplications\"");
		assert_non_null(at);
		if (p < 2)
			with = xasprintf("%.*s%s%s", (int)(at - json), json,
			    p ? pol : "", at);
		else	/* no policy; errors[] says why */
			with = xasprintf("%.*s,\"errors\":[{\"part\":"
			    "\"entra.appManagementPolicy\",\"command\":\"GET "
			    "policies/defaultAppManagementPolicy\",\"message\":"
			    "\"Forbidden (403)\"}]}", (int)strlen(json) - 1, json);
		if (build(&r, with, &e) == -1)
			fail_msg("%s", e.msg);
		r.ctx.now = 1924992000 - 45L * 86400 - 3600;	/* 2031-01-01 less 45 days */
		checks_run(&r.ctx, only, &r.f);
		fd = find(&r.f, "auth-config.certificate", SEV_WARN);
		assert_non_null(fd);
		assert_string_equal(fd->subject, p == 1 ? "key-credential policy" : "next Auth certificate");
		for (size_t i = 0; i < r.f.n; i++)
			if (strcmp(r.f.v[i]->subject, "next Auth certificate") == 0)
				fd = r.f.v[i];
		assert_string_equal(finding_get(fd, "monitor action"), "configure next");
		assert_string_equal(fd->remedy, "authcert.renew");
		if (p == 1)
			assert_string_equal(finding_param_get(fd, RP_LIFETIME_DAYS), "364");
		else {
			assert_null(finding_param_get(fd, RP_LIFETIME_DAYS));
			fd = NULL;
			for (size_t i = 0; i < r.f.n; i++)
				if (r.f.v[i]->severity == SEV_SKIP &&
				    strcmp(r.f.v[i]->subject, "key-credential policy") == 0)
					fd = r.f.v[i];
			assert_non_null(fd);
			if (p == 2)
				assert_non_null(strstr(fd->message, "(the "
				    "collector could not read it: Forbidden (403))"));
			else
				assert_null(strstr(fd->message, "could not read"));
		}
		release(&r);
		free(with);
	}
	free(json);
	made_free(&c);
}

/* A certificate whose bytes are not X.509 stops the run with a clear error. */
static void
test_bad_der(void **state)
{
	struct made c = make_cert(1);
	struct run r;
	struct hcerr e = { "" };
	char *json;

	(void)state;
	free(c.b64);
	c.b64 = xstrdup("MAMCAQU=");	/* 30 03 02 01 05: DER, not a certificate */
	free(c.thumb);
	c.thumb = xstrdup("16C3C3E0BB5B5F4FBAECDB6DF37A5A4F9D1196E4");
	json = snapshot_json(&c, NULL, c.thumb, NULL);
	assert_int_equal(build(&r, json, &e), -1);
	assert_non_null(strstr(e.msg, "the Auth certificate of server 'EX01'"));
	release(&r);
	free(json);
	made_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_as_inputs),
		cmocka_unit_test(test_key_contradicts_identifier),
		cmocka_unit_test(test_identifier_only_and_cleanup),
		cmocka_unit_test(test_now_decides),
		cmocka_unit_test(test_bad_der),
		cmocka_unit_test(test_life_cycle_and_key_policy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
