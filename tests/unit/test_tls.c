/* tls_diagnose: chains generated here, verified as the handshake would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "castore.h"
#include "testcert.h"
#include "tls.h"

static EVP_PKEY *root_key, *inter_key, *leaf_key;
static X509 *root, *inter;

static int
setup(void **state)
{
	struct tc_opts ro = { .cn = "Test Root CA", .ca = 1, .to = 3650L * 86400 };
	struct tc_opts io = { .cn = "Test Issuing CA", .ca = 1, .to = 1000L * 86400 };

	(void)state;
	root_key = tc_key(2048);
	inter_key = tc_key(2048);
	leaf_key = tc_key(2048);
	root = tc_cert(root_key, &ro);
	io.issuer = root;
	io.issuer_key = root_key;
	inter = tc_cert(inter_key, &io);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	X509_free(root);
	X509_free(inter);
	EVP_PKEY_free(root_key);
	EVP_PKEY_free(inter_key);
	EVP_PKEY_free(leaf_key);
	return 0;
}

/* Captures chain as a server would send it, verified against root. */
static void
capture(struct tls_capture *c, X509 *const *chain, size_t n)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *untrusted = sk_X509_new_null();

	memset(c, 0, sizeof(*c));
	X509_STORE_add_cert(store, root);
	for (size_t i = 0; i < n; i++) {
		size_t len;
		unsigned char *der = tc_der(chain[i], &len);

		tls_capture_add(c, der, len);
		OPENSSL_free(der);
		sk_X509_push(untrusted, chain[i]);
	}
	X509_STORE_CTX_init(ctx, store, chain[0], untrusted);
	c->ran = 1;
	c->verified = X509_verify_cert(ctx) == 1;
	c->verify_code = X509_STORE_CTX_get_error(ctx);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	sk_X509_free(untrusted);
}

static X509 *
leaf(const char *cn, const char *sans, long from, long to, const char *eku)
{
	struct tc_opts o = { .cn = cn, .sans = sans, .from = from, .to = to,
	    .eku = eku, .issuer = inter, .issuer_key = inter_key };

	return tc_cert(leaf_key, &o);
}

static unsigned
diagnose(X509 *l, int with_inter, const char *host, struct tls_diag *d)
{
	X509 *chain[2] = { l, inter };
	struct tls_capture c;
	struct hcerr e;

	capture(&c, chain, with_inter ? 2 : 1);
	assert_int_equal(tls_diagnose(d, &c, host, time(NULL), &e), 0);
	tls_capture_release(&c);
	return d->problems;
}

static void
test_good(void **state)
{
	X509 *l = leaf("mail.contoso.com",
	    "DNS:mail.contoso.com,DNS:autodiscover.contoso.com", 0, 0, "serverAuth");
	struct tls_diag d;

	(void)state;
	assert_int_equal(diagnose(l, 1, "autodiscover.contoso.com", &d), 0);
	assert_true(d.verified);
	assert_int_equal(d.chain_len, 2);
	assert_int_equal(d.leaf.dns_names.n, 2);
	assert_string_equal(d.leaf.cn, "mail.contoso.com");
	assert_non_null(strstr(d.leaf.issuer, "Test Issuing CA"));
	assert_int_equal(strlen(d.leaf.sha1), 40);
	assert_int_equal(strlen(d.leaf.sha256), 64);
	assert_string_equal(d.leaf.key_type, "RSA");
	assert_int_equal(d.leaf.key_bits, 2048);
	assert_true(d.days_left >= 363 && d.days_left <= 365);
	assert_int_equal(d.chain_subjects.n, 2);
	assert_false(tls_problem_is_failure(d.problems));
	tls_diag_release(&d);
	tls_diag_release(&d);
	X509_free(l);
}

static void
test_names(void **state)
{
	X509 *l = leaf("mail.contoso.com", "DNS:*.contoso.com", 0, 0, "serverAuth");
	X509 *cn_only = leaf("mail.contoso.com", NULL, 0, 0, "serverAuth");
	struct tls_diag d;

	(void)state;
	/* A wildcard covers one label, never the apex. */
	assert_int_equal(diagnose(l, 1, "mail.contoso.com", &d), 0);
	tls_diag_release(&d);
	assert_int_equal(diagnose(l, 1, "contoso.com", &d), TLS_NAME_MISMATCH);
	tls_diag_release(&d);
	assert_int_equal(diagnose(l, 1, "a.b.contoso.com", &d), TLS_NAME_MISMATCH);
	tls_diag_release(&d);
	assert_int_equal(diagnose(cn_only, 1, "mail.contoso.com", &d),
	    TLS_NAME_MISMATCH | TLS_CN_ONLY);
	assert_true(tls_problem_is_failure(d.problems));
	tls_diag_release(&d);
	X509_free(l);
	X509_free(cn_only);
}

/* Issue 17 item 8: a partial wildcard (login*.) is refused, as libcurl refuses it. */
static void
test_partial_wildcard(void **state)
{
	X509 *l = leaf("login.contoso.com", "DNS:login*.contoso.com", 0, 0,
	    "serverAuth");
	struct tls_diag d;

	(void)state;
	assert_int_equal(diagnose(l, 1, "login1.contoso.com", &d),
	    TLS_NAME_MISMATCH);
	assert_true(tls_problem_is_failure(d.problems));
	tls_diag_release(&d);
	X509_free(l);
}

static void
test_dates(void **state)
{
	X509 *expired = leaf("a.contoso.com", "DNS:a.contoso.com", -400L * 86400,
	    -2L * 86400, "serverAuth");
	X509 *soon = leaf("a.contoso.com", "DNS:a.contoso.com", 0, 10L * 86400,
	    "serverAuth");
	X509 *future = leaf("a.contoso.com", "DNS:a.contoso.com", 5L * 86400,
	    400L * 86400, "serverAuth");
	struct tls_diag d;

	(void)state;
	assert_int_equal(diagnose(expired, 1, "a.contoso.com", &d),
	    TLS_EXPIRED | TLS_UNTRUSTED);
	assert_int_equal(d.verify_code, X509_V_ERR_CERT_HAS_EXPIRED);
	assert_non_null(strstr(d.verify_reason, "expired"));
	assert_true(d.days_left <= -1);
	tls_diag_release(&d);
	assert_int_equal(diagnose(soon, 1, "a.contoso.com", &d), TLS_EXPIRING);
	assert_false(tls_problem_is_failure(d.problems));
	tls_diag_release(&d);
	assert_int_equal(diagnose(future, 1, "a.contoso.com", &d),
	    TLS_NOT_YET_VALID | TLS_UNTRUSTED);
	tls_diag_release(&d);
	X509_free(expired);
	X509_free(soon);
	X509_free(future);
}

static void
test_eku_and_key(void **state)
{
	X509 *client = leaf("a.contoso.com", "DNS:a.contoso.com", 0, 0, "clientAuth");
	X509 *none = leaf("a.contoso.com", "DNS:a.contoso.com", 0, 0, NULL);
	EVP_PKEY *weak = tc_key(1024);
	struct tc_opts o = { .cn = "a.contoso.com", .sans = "DNS:a.contoso.com",
	    .eku = "serverAuth", .issuer = inter, .issuer_key = inter_key };
	X509 *w = tc_cert(weak, &o);
	struct tls_diag d;

	(void)state;
	/* OpenSSL's verification ignores EKU for a generic purpose: we don't. */
	assert_true(diagnose(client, 1, "a.contoso.com", &d) & TLS_NO_SERVER_AUTH);
	tls_diag_release(&d);
	/* No EKU extension at all means any use. */
	assert_int_equal(diagnose(none, 1, "a.contoso.com", &d), 0);
	tls_diag_release(&d);
	assert_int_equal(diagnose(w, 1, "a.contoso.com", &d), TLS_WEAK_KEY);
	assert_int_equal(d.leaf.key_bits, 1024);
	tls_diag_release(&d);
	X509_free(client);
	X509_free(none);
	X509_free(w);
	EVP_PKEY_free(weak);
}

static void
test_missing_intermediate(void **state)
{
	X509 *l = leaf("mail.contoso.com", "DNS:mail.contoso.com", 0, 0, "serverAuth");
	struct tls_diag d;
	char *txt;

	(void)state;
	assert_int_equal(diagnose(l, 0, "mail.contoso.com", &d),
	    TLS_UNTRUSTED | TLS_MISSING_INTERMEDIATE);
	assert_int_equal(d.verify_code, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	txt = tls_problems_text(d.problems);
	assert_string_equal(txt, "chain does not verify, intermediate "
	    "certificate missing from the chain");
	free(txt);
	tls_diag_release(&d);
	X509_free(l);
}

static void
test_exchange_default(void **state)
{
	EVP_PKEY *k = tc_key(2048);
	struct tc_opts o = { .cn = "EXCH01", .sans = "DNS:EXCH01,DNS:exch01.corp.contoso.local" };
	X509 *self = tc_cert(k, &o);
	X509 *chain[1] = { self };
	struct tls_capture c;
	struct tls_diag d;
	struct hcerr e;

	(void)state;
	capture(&c, chain, 1);
	assert_int_equal(tls_diagnose(&d, &c, "mail.contoso.com", time(NULL), &e), 0);
	assert_int_equal(d.problems, TLS_UNTRUSTED | TLS_NAME_MISMATCH |
	    TLS_SELF_SIGNED | TLS_SINGLE_LABEL);
	assert_int_equal(d.verify_code, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
	assert_true(d.leaf.self_issued);
	tls_diag_release(&d);
	tls_capture_release(&c);
	X509_free(self);
	EVP_PKEY_free(k);
}

static void
test_nothing_and_garbage(void **state)
{
	struct tls_capture c = { 0 };
	struct tls_diag d;
	struct hcerr e;

	(void)state;
	assert_int_equal(tls_diagnose(&d, &c, "a.contoso.com", time(NULL), &e), 0);
	assert_int_equal(d.problems, TLS_NO_CHAIN);
	tls_diag_release(&d);
	tls_capture_add(&c, (const unsigned char *)"\x30\x03\x02\x01\x01", 5);
	assert_int_equal(tls_diagnose(&d, &c, "a.contoso.com", time(NULL), &e), -1);
	assert_non_null(strstr(e.msg, "not DER X.509"));
	assert_null(d.leaf.subject);
	tls_capture_release(&c);
	for (int i = 0; i < TLS_CHAIN_MAX + 3; i++)
		tls_capture_add(&c, (const unsigned char *)"x", 1);
	assert_int_equal(c.n, TLS_CHAIN_MAX);
	tls_capture_release(&c);
	tls_capture_release(NULL);
	tls_diag_release(NULL);
}

/*
 * Each certificate is decoded once per process: the same chain diagnosed
 * again (every response of every organisation, for every host name) decodes
 * nothing, and gives the same facts; a new certificate is decoded once.
 */
static void
test_decoded_once(void **state)
{
	X509 *l = leaf("mail.fabrikam.com", "DNS:mail.fabrikam.com", 0, 0,
	    "serverAuth");
	X509 *other = leaf("mail.fabrikam.com", "DNS:mail.fabrikam.com", 0, 0,
	    "serverAuth");
	struct tls_diag a, b;
	unsigned long before;

	(void)state;
	tls_cert_cache_clear();
	before = tls_cert_decodes();
	assert_int_equal(diagnose(l, 1, "mail.fabrikam.com", &a), 0);
	/* the leaf and the intermediate */
	assert_int_equal(tls_cert_decodes() - before, 2);
	for (int i = 0; i < 50; i++) {
		assert_int_equal(diagnose(l, 1, i % 2 ? "mail.fabrikam.com" :
		    "other.fabrikam.com", &b), i % 2 ? 0 : TLS_NAME_MISMATCH);
		assert_string_equal(a.leaf.sha256, b.leaf.sha256);
		assert_string_equal(a.leaf.subject, b.leaf.subject);
		assert_int_equal(b.leaf.dns_names.n, 1);
		assert_int_equal(b.chain_subjects.n, 2);
		tls_diag_release(&b);
	}
	assert_int_equal(tls_cert_decodes() - before, 2);
	/* another certificate (another serial): one more decode, then none */
	assert_int_equal(diagnose(other, 1, "mail.fabrikam.com", &b), 0);
	assert_string_not_equal(a.leaf.sha256, b.leaf.sha256);
	tls_diag_release(&b);
	assert_int_equal(diagnose(other, 0, "mail.fabrikam.com", &b),
	    TLS_UNTRUSTED | TLS_MISSING_INTERMEDIATE);
	tls_diag_release(&b);
	assert_int_equal(tls_cert_decodes() - before, 3);
	tls_diag_release(&a);
	tls_cert_cache_clear();
	X509_free(l);
	X509_free(other);
}

/*
 * --ca-file and --ca-add are read as every input is: a FIFO or a
 * directory is refused at once with what it is (a FIFO used to block the
 * run until a writer came), and a file without a certificate says so.
 */
static void
test_ca_file_kinds(void **state)
{
	char *fifo = xasprintf("%s/ca.fifo", HC_TEST_TMP);
	char *empty = xasprintf("%s/ca-empty.pem", HC_TEST_TMP);
	struct hcerr e = { "" };
	FILE *f;

	(void)state;
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_null(ca_store_get(fifo, NULL, &e));
	assert_non_null(strstr(e.msg, "not a regular file"));
	e.msg[0] = '\0';
	assert_null(ca_store_get(HC_TEST_TMP, NULL, &e));
	assert_non_null(strstr(e.msg, "not a regular file"));
	e.msg[0] = '\0';
	assert_null(ca_store_get("-", NULL, &e));
	assert_non_null(strstr(e.msg, "standard input"));
	f = fopen(empty, "w");
	assert_non_null(f);
	fputs("no certificate here\n", f);
	fclose(f);
	e.msg[0] = '\0';
	assert_null(ca_store_get(empty, NULL, &e));
	assert_non_null(strstr(e.msg, "no PEM certificate"));
	unlink(fifo);
	unlink(empty);
	free(fifo);
	free(empty);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_partial_wildcard),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_eku_and_key),
		cmocka_unit_test(test_missing_intermediate),
		cmocka_unit_test(test_exchange_default),
		cmocka_unit_test(test_nothing_and_garbage),
		cmocka_unit_test(test_decoded_once),
		cmocka_unit_test(test_ca_file_kinds),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
