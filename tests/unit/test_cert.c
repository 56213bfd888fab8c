/* cert.c and the auth-cert checks, with certificates generated here. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "cert.h"
#include "checks.h"
#include "cli.h"
#include "context.h"
#include "hctest.h"
#include "file.h"
#include "datetime.h"

#define DAY	86400L

struct gen {
	X509		*x;
	EVP_PKEY	*key;
};

static EVP_PKEY *key2048, *key1024;	/* generated once: RSA is slow under ASan */

/* A self-signed certificate valid from now+from to now+to (seconds). */
static struct gen
make_cert(EVP_PKEY *key, const char *cn, long from, long to, const EVP_MD *md)
{
	struct gen g = { X509_new(), key };
	X509_NAME *name;

	assert_non_null(g.x);
	X509_set_version(g.x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(g.x), (long)(rand() & 0x7fffffff));
	X509_gmtime_adj(X509_getm_notBefore(g.x), from);
	X509_gmtime_adj(X509_getm_notAfter(g.x), to);
	X509_set_pubkey(g.x, key);
	name = X509_get_subject_name(g.x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(g.x, name);
	assert_true(X509_sign(g.x, key, md) > 0);
	return g;
}

static struct gen
default_cert(void)
{
	return make_cert(key2048, "Microsoft Exchange Server Auth Certificate",
	    -DAY, 5 * 365 * DAY, EVP_sha1());
}

static char *
tmp_path(const char *name)
{
	return xasprintf("%s/cert_%s", HC_TEST_TMP, name);
}

static char *
write_file(const char *name, const void *data, size_t len)
{
	char *path = tmp_path(name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

static size_t
der_of(X509 *x, unsigned char **out)
{
	int n = i2d_X509(x, NULL);
	unsigned char *p;

	*out = xmalloc((size_t)n);
	p = *out;
	i2d_X509(x, &p);
	return (size_t)n;
}

static void
expect_thumbprint(const struct authcert *c, X509 *x)
{
	unsigned char md[20];
	unsigned int n;
	char hex[41];

	X509_digest(x, EVP_sha1(), md, &n);
	for (unsigned i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02X", md[i]);
	assert_string_equal(c->thumbprint, hex);
}

static char *
pem_of(X509 *x, EVP_PKEY *key)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *s;
	long n;

	PEM_write_bio_X509(b, x);
	if (key != NULL)
		PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL);
	n = BIO_get_mem_data(b, &p);
	s = xstrndup(p, (size_t)n);
	BIO_free(b);
	return s;
}

static char *
b64_of(const unsigned char *der, size_t len)
{
	char *s = xmalloc(4 * ((len + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)s, der, (int)len);
	return s;
}

static struct authcert *
load_ok(const char *path)
{
	struct hcerr e = { "" };
	struct authcert *c = cert_load(path, CERT_LOAD_NO_PROMPT, &e);

	if (c == NULL)
		fail_msg("cert_load('%s'): %s", path, e.msg);
	return c;
}

/* Loading must fail, naming the file; returns the message for more checks. */
static void
load_fails(const char *path, const char *needle, struct hcerr *e)
{
	struct authcert *c = cert_load(path, CERT_LOAD_NO_PROMPT, e);

	if (c != NULL)
		fail_msg("'%s' loaded but should not", path);
	assert_non_null(strstr(e->msg, path));
	if (needle != NULL && strstr(e->msg, needle) == NULL)
		fail_msg("'%s' not in '%s'", needle, e->msg);
}

static int
setup(void **state)
{
	(void)state;
	srand(7);
	key2048 = EVP_RSA_gen(2048);
	key1024 = EVP_RSA_gen(1024);
	return key2048 && key1024 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(key2048);
	EVP_PKEY_free(key1024);
	return 0;
}

static void
test_der(void **state)
{
	struct gen g = default_cert();
	unsigned char *der;
	size_t n = der_of(g.x, &der);
	char *path = write_file("auth.cer", der, n);
	struct authcert *c = load_ok(path);
	unsigned char md[20];
	unsigned int mdn;
	char x5t[64];

	(void)state;
	assert_int_equal(c->format, CERT_FMT_DER);
	assert_int_equal(c->der_len, n);
	assert_memory_equal(c->der, der, n);
	expect_thumbprint(c, g.x);
	/* x5t: base64url(SHA-1) without padding. */
	X509_digest(g.x, EVP_sha1(), md, &mdn);
	EVP_EncodeBlock((unsigned char *)x5t, md, (int)mdn);
	for (char *p = x5t; *p; p++)
		*p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
	*strchr(x5t, '=') = '\0';
	assert_string_equal(c->x5t, x5t);
	assert_int_equal(strlen(c->sha256), 64);
	assert_string_equal(c->subject, CERT_DEFAULT_SUBJECT);
	assert_true(cert_is_default_subject(c));
	assert_true(c->self_signed);
	assert_string_equal(c->key_type, "RSA");
	assert_int_equal(c->key_bits, 2048);
	assert_string_equal(c->sig_alg, "sha1WithRSAEncryption");
	assert_string_equal(c->sig_alg_windows, "sha1RSA");
	assert_false(c->has_private_key);
	assert_true(c->not_after > c->not_before);
	cert_free(c);
	free(path);
	free(der);
	X509_free(g.x);
}

static void
test_pem_and_key(void **state)
{
	struct gen g = default_cert();
	char *pem = pem_of(g.x, NULL), *both = pem_of(g.x, key2048);
	char *p1 = write_file("auth.pem", pem, strlen(pem));
	char *p2 = write_file("authkey.cer", both, strlen(both));
	struct authcert *c1 = load_ok(p1), *c2 = load_ok(p2);
	const char *keyblock = strstr(both, "-----BEGIN PRIVATE KEY");
	char *p3 = write_file("keyonly.pem", keyblock, strlen(keyblock));
	struct hcerr e;

	(void)state;
	assert_int_equal(c1->format, CERT_FMT_PEM);
	assert_false(c1->has_private_key);
	assert_int_equal(c2->format, CERT_FMT_PEM);
	assert_true(c2->has_private_key);
	assert_true(cert_equal(c1, c2));
	expect_thumbprint(c1, g.x);
	load_fails(p3, "no CERTIFICATE", &e);
	assert_non_null(strstr(e.msg, "PRIVATE KEY"));
	cert_free(c1);
	cert_free(c2);
	free(p1);
	free(p2);
	free(p3);
	free(pem);
	free(both);
	X509_free(g.x);
}

static void
test_base64_forms(void **state)
{
	struct gen g = default_cert();
	unsigned char *der, *u16;
	size_t n = der_of(g.x, &der), len = strlen("x"), k = 0;
	char *b64 = b64_of(der, n), *wrapped, *quoted, *path;
	struct authcert *c;
	struct buf b;

	(void)state;
	/* $credValue as one line. */
	path = write_file("cred.txt", b64, strlen(b64));
	c = load_ok(path);
	assert_int_equal(c->format, CERT_FMT_BASE64);
	expect_thumbprint(c, g.x);
	cert_free(c);
	free(path);

	/* Wrapped at 64 with CRLF, a UTF-8 BOM and quotes, as a paste leaves it. */
	buf_init(&b, (size_t)-1);
	buf_append(&b, "\xef\xbb\xbf\"", 4);
	for (size_t i = 0; i < strlen(b64); i += 64)
		buf_printf(&b, "%.64s\r\n", b64 + i);
	buf_append(&b, "\"\r\n", 3);
	wrapped = buf_steal(&b);
	path = write_file("cred-crlf.txt", wrapped, strlen(wrapped));
	c = load_ok(path);
	assert_int_equal(c->format, CERT_FMT_BASE64);
	assert_true(c->text_found != 0);
	expect_thumbprint(c, g.x);
	cert_free(c);
	free(path);

	/* UTF-16LE with BOM, as Windows PowerShell's Out-File writes. */
	len = strlen(wrapped + 3);
	u16 = xmalloc(2 * len + 2);
	u16[k++] = 0xff;
	u16[k++] = 0xfe;
	for (size_t i = 0; i < len; i++) {
		u16[k++] = (unsigned char)wrapped[3 + i];
		u16[k++] = 0;
	}
	path = write_file("cred-utf16.txt", u16, k);
	c = load_ok(path);
	assert_int_equal(c->format, CERT_FMT_BASE64);
	assert_true(c->text_found & 2);	/* TEXT_UTF16LE */
	expect_thumbprint(c, g.x);
	cert_free(c);
	free(path);

	/* From snapshot data: base64 and DER in memory. */
	quoted = xasprintf("  %s\n", b64);
	c = cert_from_base64(quoted, "snapshot", NULL);
	assert_non_null(c);
	expect_thumbprint(c, g.x);
	{
		struct authcert *d = cert_from_der(der, n, "snapshot", NULL);

		assert_non_null(d);
		assert_true(cert_equal(c, d));
		assert_true(cert_thumbprint_eq(c->thumbprint, d->thumbprint));
		cert_free(d);
	}
	{
		char *up = cert_upload_value(c);

		assert_string_equal(up, b64);
		assert_null(strchr(up, '\n'));
		free(up);
	}
	cert_free(c);
	free(quoted);
	free(u16);
	free(wrapped);
	free(b64);
	free(der);
	X509_free(g.x);
}

static char *
write_pfx(const char *name, X509 *x, EVP_PKEY *key, const char *pass)
{
	PKCS12 *p12 = PKCS12_create(pass, "auth", key, x, NULL, 0, 0, 0, 0, 0);
	unsigned char *der = NULL;
	int n;
	char *path;

	assert_non_null(p12);
	n = i2d_PKCS12(p12, &der);
	assert_true(n > 0);
	path = write_file(name, der, (size_t)n);
	OPENSSL_free(der);
	PKCS12_free(p12);
	return path;
}

static void
test_pfx(void **state)
{
	struct gen g = default_cert();
	char *open_pfx = write_pfx("open.pfx", g.x, key2048, NULL);
	char *locked = write_pfx("locked.pfx", g.x, key2048, "Sw0rdfish!");
	struct authcert *c;
	struct hcerr e;

	(void)state;
	unsetenv(CERT_PFX_PASSWORD_ENV);
	c = load_ok(open_pfx);
	assert_int_equal(c->format, CERT_FMT_PFX);
	assert_true(c->has_private_key);
	expect_thumbprint(c, g.x);
	cert_free(c);

	load_fails(locked, CERT_PFX_PASSWORD_ENV, &e);
	assert_non_null(strstr(e.msg, "password"));

	setenv(CERT_PFX_PASSWORD_ENV, "not-the-one", 1);
	load_fails(locked, "wrong password", &e);
	assert_null(strstr(e.msg, "not-the-one"));
	assert_null(strstr(e.msg, "Sw0rdfish"));

	setenv(CERT_PFX_PASSWORD_ENV, "Sw0rdfish!", 1);
	c = load_ok(locked);
	assert_int_equal(c->format, CERT_FMT_PFX);
	assert_true(c->has_private_key);
	expect_thumbprint(c, g.x);
	cert_free(c);
	unsetenv(CERT_PFX_PASSWORD_ENV);

	/* cert_parse with a password given directly, wrong and right. */
	{
		char *data = NULL;
		size_t len = 0;

		assert_int_equal(file_read(locked, 1 << 20, &data, &len, NULL), 0);
		assert_null(cert_parse((unsigned char *)data, len, "x.pfx", "nope", &e));
		assert_non_null(strstr(e.msg, "wrong password for PFX 'x.pfx'"));
		c = cert_parse((unsigned char *)data, len, "x.pfx", "Sw0rdfish!", &e);
		assert_non_null(c);
		cert_free(c);
		free(data);
	}
	free(open_pfx);
	free(locked);
	X509_free(g.x);
}

/* A password of n characters, different in its last one for each tail. */
static char *
long_password(size_t n, char tail)
{
	char *pw = xmalloc(n + 1);

	for (size_t i = 0; i < n; i++)
		pw[i] = (char)('a' + (int)(i % 26));
	pw[n - 1] = tail;
	pw[n] = '\0';
	return pw;
}

/*
 * A PFX password from the environment has no length limit: one of 300
 * characters opens its PFX, and a PFX locked with only its first 255 (what
 * a 256-byte buffer kept) does not open with it.
 */
static void
test_pfx_long_password_env(void **state)
{
	struct gen g = default_cert();
	char *pw = long_password(300, '!'), *prefix = xstrndup(pw, 255);
	char *locked = write_pfx("long-pw.pfx", g.x, key2048, pw);
	char *cut = write_pfx("prefix-pw.pfx", g.x, key2048, prefix);
	struct authcert *c;
	struct hcerr e;

	(void)state;
	setenv(CERT_PFX_PASSWORD_ENV, pw, 1);
	c = load_ok(locked);
	assert_true(c->has_private_key);
	expect_thumbprint(c, g.x);
	cert_free(c);
	load_fails(cut, "wrong password", &e);
	assert_null(strstr(e.msg, prefix));
	/* 64 KiB is no problem either. */
	free(pw);
	pw = long_password(65536, '#');
	free(locked);
	locked = write_pfx("huge-pw.pfx", g.x, key2048, pw);
	setenv(CERT_PFX_PASSWORD_ENV, pw, 1);
	c = load_ok(locked);
	cert_free(c);
	unsetenv(CERT_PFX_PASSWORD_ENV);
	free(pw);
	free(prefix);
	free(locked);
	free(cut);
	X509_free(g.x);
}

/*
 * cert_load in a child whose controlling terminal is a pseudo-terminal;
 * the parent types line when the prompt has turned echo off. Returns the
 * child's exit status: 0 loaded, 1 refused with the prompt's limit named,
 * 2 any other failure.
 */
static int
prompt_load(const char *path, const char *line)
{
	char buf[4096];
	int master, status = -1, typed = 0;
	pid_t pid;

	unsetenv(CERT_PFX_PASSWORD_ENV);
	pid = forkpty(&master, NULL, NULL, NULL);
	assert_true(pid != -1);
	if (pid == 0) {
		struct hcerr e = { "" };
		struct authcert *c;

		alarm(20);
		c = cert_load(path, 0, &e);
		cert_free(c);
		_exit(c != NULL ? 0 : strstr(e.msg, "prompt's limit of 1024 "
		    "characters") != NULL && strstr(e.msg, path) != NULL &&
		    strstr(e.msg, CERT_PFX_PASSWORD_ENV) != NULL ? 1 : 2);
	}
	for (;;) {
		struct pollfd p = { master, POLLIN, 0 };

		if (poll(&p, 1, 20000) <= 0 || read(master, buf, sizeof(buf)) <= 0)
			break;	/* EIO once the child has gone */
		if (typed)
			continue;
		/* Typed once echo is off, as a person would after the prompt. */
		for (int w = 0; w < 200; w++) {
			struct termios tio;

			if (tcgetattr(master, &tio) == 0 && !(tio.c_lflag & ECHO))
				break;
			usleep(10000);
		}
		usleep(20000);
		assert_int_equal(write(master, line, strlen(line)),
		    (ssize_t)strlen(line));
		typed = 1;
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(master);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/*
 * At the prompt: 1024 characters are accepted whole; 1025 are refused with
 * the limit named, not cut to 1024 and then called a wrong password.
 */
static void
test_pfx_long_password_prompt(void **state)
{
	struct gen g = default_cert();
	char *pw = long_password(1024, '!'), *over = long_password(1025, '?');
	char *locked = write_pfx("prompt-pw.pfx", g.x, key2048, pw);
	char *locked_over = write_pfx("prompt-over.pfx", g.x, key2048, over);
	char *line;

	(void)state;
	line = xasprintf("%s\n", pw);
	assert_int_equal(prompt_load(locked, line), 0);
	free(line);
	line = xasprintf("%s\n", over);
	assert_int_equal(prompt_load(locked_over, line), 1);
	free(line);
	free(pw);
	free(over);
	free(locked);
	free(locked_over);
	X509_free(g.x);
}

/*
 * A PFX as older Windows exports it (RC2-40 for the certificate, 3DES for
 * the key): OpenSSL 3 reads it only through its legacy provider, which
 * cert.c loads on demand. The openssl tool writes it; no tool, no test.
 */
/* The DER of p12, freed with OPENSSL_free. */
static unsigned char *
pfx_der(PKCS12 *p12, size_t *len)
{
	unsigned char *der = NULL;
	int n = i2d_PKCS12(p12, &der);

	assert_true(n > 0);
	*len = (size_t)n;
	return der;
}

/*
 * Issue 17 item 6: a PFX asking for 2^31 iterations (its MAC's, or its
 * private key's PBKDF2) is refused at once, with a message naming the
 * count, before any key derivation runs (without the cap: minutes).
 */
static void
test_pfx_iteration_cap(void **state)
{
	struct gen g = default_cert();
	PKCS12 *p12, *re;
	const ASN1_INTEGER *iter = NULL;
	STACK_OF(PKCS7) *safes;
	struct hcerr e = { "" };
	unsigned char *der;
	size_t len;
	time_t t0;
	int patched = 0;

	(void)state;
	/* The MAC's count. */
	p12 = PKCS12_create("pw", "auth", key2048, g.x, NULL, 0, 0, 0, 0, 0);
	assert_non_null(p12);
	PKCS12_get0_mac(NULL, NULL, NULL, &iter, p12);
	assert_non_null(iter);
	assert_int_equal(ASN1_INTEGER_set_uint64((ASN1_INTEGER *)iter,
	    2147483648ULL), 1);
	der = pfx_der(p12, &len);
	t0 = time(NULL);
	assert_null(cert_parse(der, len, "mac.pfx", "pw", &e));
	assert_true(time(NULL) - t0 < 5);
	assert_non_null(strstr(e.msg, "PFX 'mac.pfx': its integrity check (MAC) "
	    "asks for 2147483648 iterations, more than the 10000000"));
	OPENSSL_free(der);
	PKCS12_free(p12);

	/* The private key's PBKDF2 count, in a file without a MAC. */
	p12 = PKCS12_create("pw", "auth", key2048, g.x, NULL, 0, -1, 0, -1, 0);
	assert_non_null(p12);
	safes = PKCS12_unpack_authsafes(p12);
	assert_non_null(safes);
	for (int i = 0; i < sk_PKCS7_num(safes); i++) {
		PKCS7 *p7 = sk_PKCS7_value(safes, i);
		STACK_OF(PKCS12_SAFEBAG) *bags;

		if (OBJ_obj2nid(p7->type) != NID_pkcs7_data)
			continue;
		bags = PKCS12_unpack_p7data(p7);
		for (int j = 0; j < sk_PKCS12_SAFEBAG_num(bags); j++) {
			PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, j);
			X509_SIG *sig;
			X509_ALGOR *alg;
			PBE2PARAM *p2;
			PBKDF2PARAM *k;

			if (PKCS12_SAFEBAG_get_nid(bag) != NID_pkcs8ShroudedKeyBag)
				continue;
			sig = (X509_SIG *)PKCS12_SAFEBAG_get0_pkcs8(bag);
			X509_SIG_getm(sig, &alg, NULL);
			p2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM),
			    alg->parameter);
			assert_non_null(p2);
			k = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM),
			    p2->keyfunc->parameter);
			assert_non_null(k);
			ASN1_INTEGER_set_uint64(k->iter, 2147483648ULL);
			assert_non_null(ASN1_TYPE_pack_sequence(
			    ASN1_ITEM_rptr(PBKDF2PARAM), k, &p2->keyfunc->parameter));
			assert_non_null(ASN1_TYPE_pack_sequence(
			    ASN1_ITEM_rptr(PBE2PARAM), p2, &alg->parameter));
			PBKDF2PARAM_free(k);
			PBE2PARAM_free(p2);
			patched++;
		}
		PKCS7_free(p7);
		sk_PKCS7_set(safes, i, PKCS12_pack_p7data(bags));
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	}
	assert_int_equal(patched, 1);
	re = PKCS12_init(NID_pkcs7_data);
	assert_int_equal(PKCS12_pack_authsafes(re, safes), 1);
	der = pfx_der(re, &len);
	t0 = time(NULL);
	assert_null(cert_parse(der, len, "key.pfx", "pw", &e));
	assert_true(time(NULL) - t0 < 5);
	assert_non_null(strstr(e.msg, "PFX 'key.pfx': its private key's "
	    "encryption asks for 2147483648 iterations, more than the 10000000"));
	OPENSSL_free(der);
	sk_PKCS7_pop_free(safes, PKCS7_free);
	PKCS12_free(re);
	PKCS12_free(p12);
	X509_free(g.x);
}

/* Issue 17 item 8: no core file once a PFX password is held. */
static void
test_pfx_password_no_core(void **state)
{
	struct gen g = default_cert();
	char *locked = write_pfx("core-pw.pfx", g.x, key2048, "Sw0rdfish!");
	struct rlimit rl;
	struct authcert *c;
	int raised;

	(void)state;
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	if (rl.rlim_max == 0)		/* raised where allowed */
		rl.rlim_max = 1 << 20;
	rl.rlim_cur = rl.rlim_max;
	raised = setrlimit(RLIMIT_CORE, &rl) == 0;
	assert_int_equal(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), 0);
	setenv(CERT_PFX_PASSWORD_ENV, "Sw0rdfish!", 1);
	c = load_ok(locked);
	unsetenv(CERT_PFX_PASSWORD_ENV);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	assert_int_equal(rl.rlim_cur, 0);
	if (!raised)
		print_message("RLIMIT_CORE could not be raised here: the "
		    "dumpable flag proves it\n");
	assert_int_equal(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), 0);
	cert_free(c);
	free(locked);
	X509_free(g.x);
}

static void
test_pfx_legacy(void **state)
{
	struct gen g = default_cert();
	char *pem = pem_of(g.x, key2048), *in = write_file("legacy-in.pem", pem, strlen(pem));
	char *out = tmp_path("legacy.pfx"), *cmd;
	struct authcert *c;

	(void)state;
	cmd = xasprintf("openssl pkcs12 -export -legacy -in '%s' -out '%s' "
	    "-passout pass:legacy >/dev/null 2>&1", in, out);
	if (system(cmd) != 0) {
		free(cmd);
		free(in);
		free(out);
		free(pem);
		X509_free(g.x);
		skip();
	}
	setenv(CERT_PFX_PASSWORD_ENV, "legacy", 1);
	c = load_ok(out);
	unsetenv(CERT_PFX_PASSWORD_ENV);
	assert_int_equal(c->format, CERT_FMT_PFX);
	assert_true(c->has_private_key);
	expect_thumbprint(c, g.x);
	cert_free(c);
	free(cmd);
	free(in);
	free(out);
	free(pem);
	X509_free(g.x);
}

static void
test_garbage(void **state)
{
	static const unsigned char asn1[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
	static const unsigned char binary[] = { 0x89, 'P', 'N', 'G', 0, 1, 2, 3 };
	struct hcerr e;
	char *p;

	(void)state;
	p = write_file("empty.cer", "", 0);
	load_fails(p, "empty", &e);
	free(p);
	p = write_file("blank.txt", " \r\n\t\n", 5);
	load_fails(p, "white space", &e);
	free(p);
	p = write_file("asn1.cer", asn1, sizeof(asn1));
	load_fails(p, "neither an X.509 certificate nor a PFX", &e);
	free(p);
	p = write_file("image.cer", binary, sizeof(binary));
	load_fails(p, "binary", &e);
	free(p);
	p = write_file("notes.txt", "Thumbprint: see mail!\n", 22);
	load_fails(p, "not base64", &e);
	free(p);
	p = write_file("hello.b64", "aGVsbG8gd29ybGQ=\n", 17);
	load_fails(p, "neither PEM nor the base64", &e);
	free(p);
	p = write_file("broken.pem", "-----BEGIN CERTIFICATE-----\nMIIB!!!!\n"
	    "-----END CERTIFICATE-----\n", 63);
	load_fails(p, "PEM", &e);
	free(p);
	p = write_file("truncated.cer", "\x30\x82\x03\x4b\x30\x82", 6);
	load_fails(p, "expected a certificate", &e);
	free(p);
	p = tmp_path("missing.cer");
	load_fails(p, "cannot read", &e);
	free(p);
}

static void
test_thumbprint_normalize(void **state)
{
	char out[CERT_THUMBPRINT_LEN + 1], how[200];
	const char *want = "EFEBA1627E23E9995D1DEF5CF8232C41CA73F61E";
	unsigned ch;
	struct hcerr e;

	(void)state;
	/* Copied from the Windows dialog: U+200E in front, spaces, lower case. */
	assert_int_equal(cert_thumbprint_normalize("\xe2\x80\x8e" "ef eb a1 62 7e 23 e9 99 "
	    "5d 1d ef 5c f8 23 2c 41 ca 73 f6 1e", out, &ch, &e), 0);
	assert_string_equal(out, want);
	assert_true(ch & CERT_TP_INVISIBLE);
	assert_true(ch & CERT_TP_SEPARATORS);
	assert_true(ch & CERT_TP_CASE);
	cert_thumbprint_changes(ch, how, sizeof(how));
	assert_non_null(strstr(how, "U+200E"));

	assert_int_equal(cert_thumbprint_normalize("EF:EB:A1:62:7E:23:E9:99:5D:1D:EF:"
	    "5C:F8:23:2C:41:CA:73:F6:1E", out, &ch, &e), 0);
	assert_string_equal(out, want);
	assert_int_equal(ch, CERT_TP_SEPARATORS);

	assert_int_equal(cert_thumbprint_normalize("\xef\xbb\xbf'EF-EB-A1-62-7E-23-E9-99-"
	    "5D-1D-EF-5C-F8-23-2C-41-CA-73-F6-1E'\r\n", out, &ch, &e), 0);
	assert_string_equal(out, want);
	assert_true(ch & CERT_TP_QUOTES);
	assert_true(ch & CERT_TP_INVISIBLE);

	assert_int_equal(cert_thumbprint_normalize("EFEBA1627E23E999\xc2\xa0"
	    "5D1DEF5CF8232C41CA73F61E\xe2\x80\x8f", out, &ch, &e), 0);
	assert_string_equal(out, want);

	assert_int_equal(cert_thumbprint_normalize(want, out, &ch, &e), 0);
	assert_int_equal(ch, 0);

	/* Wrong length, SHA-256, not hex. */
	assert_int_equal(cert_thumbprint_normalize("EFEBA1627E23E9995D1DEF5CF8232C41CA73F6",
	    out, &ch, &e), -1);
	assert_non_null(strstr(e.msg, "38 hex digits, expected 40"));
	assert_int_equal(cert_thumbprint_normalize("FF214557AF7FF7DBA69430B7D6403490"
	    "EC356757AB2598939FCB1E242316CA60", out, &ch, &e), -1);
	assert_non_null(strstr(e.msg, "SHA-256"));
	assert_int_equal(cert_thumbprint_normalize("GFEBA1627E23E9995D1DEF5CF8232C41CA73F61E",
	    out, &ch, &e), -1);
	assert_non_null(strstr(e.msg, "'G' is not a hex digit"));
	assert_int_equal(cert_thumbprint_normalize("", out, &ch, &e), -1);

	assert_true(cert_thumbprint_eq("\xe2\x80\x8e" "efeba1627e23e9995d1def5cf8232c41ca73f61e", want));
	assert_false(cert_thumbprint_eq("00EBA1627E23E9995D1DEF5CF8232C41CA73F61E", want));
	{
		char *shown = cert_thumbprint_show("\xe2\x80\x8e" "ab");

		assert_string_equal(shown, "<U+200E>ab");
		free(shown);
	}
}

/* Runs the auth-cert checks over a hand-built context. */
struct run {
	struct context		 ctx;
	struct findings		 f;
};

static void
run_checks(struct run *r, struct authcert *cert, struct authcert *next,
    const char *thumbprint, long window)
{
	static const char *const prefixes[] = { "auth-cert.", NULL };

	memset(r, 0, sizeof(*r));
	r->ctx.window = window;
	r->ctx.now = time(NULL);
	r->ctx.cert = cert;
	r->ctx.next_cert = next;
	if (cert != NULL)
		r->ctx.have |= INPUT_CERT;
	if (next != NULL)
		r->ctx.have |= INPUT_NEXT_CERT;
	if (thumbprint != NULL) {
		char tp[CERT_THUMBPRINT_LEN + 1];
		unsigned ch;

		assert_int_equal(cert_thumbprint_normalize(thumbprint, tp, &ch, NULL), 0);
		r->ctx.thumbprint = xstrdup(tp);
		r->ctx.thumbprint_given = xstrdup(thumbprint);
		r->ctx.thumbprint_changed = (int)ch;
		r->ctx.have |= INPUT_THUMBPRINT;
	}
	checks_run(&r->ctx, prefixes, &r->f);
}

static void
run_release(struct run *r)
{
	findings_release(&r->f);
	context_release(&r->ctx);
}

/* The worst finding of check id, and it. */
static const struct finding *
worst(const struct findings *f, const char *id)
{
	const struct finding *w = NULL;

	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i]->check, id) == 0 &&
		    (w == NULL || f->v[i]->severity > w->severity))
			w = f->v[i];
	if (w == NULL)
		fail_msg("no finding for %s", id);
	return w;
}

static const struct finding *
with_severity(const struct findings *f, const char *id, enum severity s,
    const char *needle)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i]->check, id) == 0 && f->v[i]->severity == s &&
		    (needle == NULL || strstr(f->v[i]->message, needle) != NULL))
			return f->v[i];
	fail_msg("no %s finding for %s matching '%s'", severity_name(s), id,
	    needle ? needle : "");
	return NULL;
}

static struct authcert *
cert_of(struct gen g, const char *name)
{
	unsigned char *der;
	size_t n = der_of(g.x, &der);
	struct authcert *c = cert_from_der(der, n, name, NULL);

	assert_non_null(c);
	free(der);
	X509_free(g.x);
	return c;
}

static void
test_check_thumbprint(void **state)
{
	struct authcert *c = cert_of(default_cert(), "OAuthCert.cer");
	struct authcert *other = cert_of(default_cert(), "Other.cer");
	char lower[64];
	const struct finding *fd;
	struct run r;

	(void)state;
	for (size_t i = 0; i <= strlen(c->thumbprint); i++)
		lower[i] = (char)tolower((unsigned char)c->thumbprint[i]);
	{
		char *given = xasprintf("\xe2\x80\x8e%s", lower);

		run_checks(&r, c, NULL, given, 0);
		free(given);
	}
	r.ctx.cert = NULL;
	assert_int_equal(worst(&r.f, "auth-cert.thumbprint")->severity, SEV_INFO);
	fd = with_severity(&r.f, "auth-cert.thumbprint", SEV_INFO, "normalised");
	assert_non_null(strstr(finding_get(fd, "given"), "<U+200E>"));
	with_severity(&r.f, "auth-cert.thumbprint", SEV_PASS, NULL);
	run_release(&r);

	run_checks(&r, c, NULL, other->thumbprint, 0);
	r.ctx.cert = NULL;
	fd = worst(&r.f, "auth-cert.thumbprint");
	assert_int_equal(fd->severity, SEV_FAIL);
	assert_string_equal(finding_get(fd, "thumbprint given"), other->thumbprint);
	assert_string_equal(finding_get(fd, "certificate sha-1"), c->thumbprint);
	assert_non_null(strstr(fd->message, other->thumbprint));
	assert_non_null(strstr(fd->message, c->thumbprint));
	run_release(&r);

	/* The thumbprint of the next certificate: swapped files. */
	run_checks(&r, c, other, other->thumbprint, 0);
	r.ctx.cert = NULL;
	r.ctx.next_cert = NULL;
	fd = worst(&r.f, "auth-cert.thumbprint");
	assert_int_equal(fd->severity, SEV_FAIL);
	assert_non_null(strstr(fd->message, "swapped"));
	run_release(&r);

	/* No thumbprint: skipped, naming the option. */
	run_checks(&r, c, NULL, NULL, 0);
	r.ctx.cert = NULL;
	fd = worst(&r.f, "auth-cert.thumbprint");
	assert_int_equal(fd->severity, SEV_SKIP);
	assert_non_null(strstr(fd->message, "--thumbprint"));
	run_release(&r);
	cert_free(c);
	cert_free(other);
}

static void
test_check_validity(void **state)
{
	const char *cn = "Microsoft Exchange Server Auth Certificate";
	struct authcert *expired = cert_of(make_cert(key2048, cn, -400 * DAY,
	    -3 * DAY, EVP_sha256()), "expired.cer");
	struct authcert *future = cert_of(make_cert(key2048, cn, 10 * DAY,
	    400 * DAY, EVP_sha256()), "future.cer");
	struct authcert *soon = cert_of(make_cert(key2048, cn, -300 * DAY,
	    30 * DAY + 3600, EVP_sha256()), "soon.cer");
	struct authcert *fine = cert_of(make_cert(key2048, cn, -DAY,
	    70 * DAY + 3600, EVP_sha256()), "fine.cer");
	const struct finding *fd;
	struct run r;

	(void)state;
	run_checks(&r, expired, NULL, NULL, 0);
	r.ctx.cert = NULL;
	fd = worst(&r.f, "auth-cert.validity");
	assert_int_equal(fd->severity, SEV_FAIL);
	assert_non_null(strstr(fd->message, "expired"));
	assert_string_equal(fd->remedy, "authcert.renew");
	assert_string_equal(finding_get(fd, "days left"), "-3");
	run_release(&r);

	run_checks(&r, future, NULL, NULL, 0);
	r.ctx.cert = NULL;
	fd = worst(&r.f, "auth-cert.validity");
	assert_int_equal(fd->severity, SEV_FAIL);
	assert_non_null(strstr(fd->message, "not valid before"));
	run_release(&r);

	run_checks(&r, soon, NULL, NULL, 0);
	r.ctx.cert = NULL;
	fd = worst(&r.f, "auth-cert.validity");
	assert_int_equal(fd->severity, SEV_WARN);
	assert_non_null(strstr(fd->message, "in 30 days"));
	{
		char day[32];

		datetime_iso8601(soon->not_after, day, sizeof(day));
		day[10] = '\0';
		assert_non_null(strstr(fd->message, day));
	}
	assert_non_null(finding_get(fd, "not after"));
	run_release(&r);

	/* 70 days: fine, unless the migration window is 90 days. */
	run_checks(&r, fine, NULL, NULL, 0);
	r.ctx.cert = NULL;
	assert_int_equal(worst(&r.f, "auth-cert.validity")->severity, SEV_PASS);
	run_release(&r);
	run_checks(&r, fine, NULL, NULL, 90);
	r.ctx.cert = NULL;
	fd = worst(&r.f, "auth-cert.validity");
	assert_int_equal(fd->severity, SEV_FAIL);
	assert_non_null(strstr(fd->message, "90-day window"));
	run_release(&r);

	cert_free(expired);
	cert_free(future);
	cert_free(soon);
	cert_free(fine);
}

static void
test_check_key(void **state)
{
	struct authcert *weak = cert_of(make_cert(key1024,
	    "Microsoft Exchange Server Auth Certificate", -DAY, 900 * DAY,
	    EVP_sha256()), "weak.cer");
	struct authcert *custom = cert_of(make_cert(key2048, "mail.contoso.com",
	    -DAY, 900 * DAY, EVP_sha256()), "custom.cer");
	struct authcert *sha1 = cert_of(default_cert(), "sha1.cer");
	const struct finding *fd;
	struct run r;

	(void)state;
	run_checks(&r, weak, NULL, NULL, 0);
	r.ctx.cert = NULL;
	fd = worst(&r.f, "auth-cert.key");
	assert_int_equal(fd->severity, SEV_FAIL);
	assert_non_null(strstr(fd->message, "1024"));
	run_release(&r);

	run_checks(&r, custom, NULL, NULL, 0);
	r.ctx.cert = NULL;
	assert_int_equal(worst(&r.f, "auth-cert.key")->severity, SEV_INFO);
	with_severity(&r.f, "auth-cert.key", SEV_INFO, "not Exchange's default");
	run_release(&r);

	run_checks(&r, sha1, NULL, NULL, 0);
	r.ctx.cert = NULL;
	with_severity(&r.f, "auth-cert.key", SEV_INFO, "sha1RSA");
	assert_int_equal(worst(&r.f, "auth-cert.key")->severity, SEV_INFO);
	run_release(&r);

	sha1->has_private_key = 1;
	sha1->format = CERT_FMT_PFX;
	run_checks(&r, sha1, NULL, NULL, 0);
	r.ctx.cert = NULL;
	fd = worst(&r.f, "auth-cert.key");
	assert_int_equal(fd->severity, SEV_WARN);
	assert_non_null(strstr(fd->message, "private key"));
	run_release(&r);

	cert_free(weak);
	cert_free(custom);
	cert_free(sha1);
}

static void
test_check_next(void **state)
{
	struct authcert *cur = cert_of(default_cert(), "current.cer");
	struct authcert *same = cert_from_der(cur->der, cur->der_len, "same.cer", NULL);
	struct authcert *next = cert_of(make_cert(key2048,
	    "Microsoft Exchange Server Auth Certificate", -DAY, 6 * 365 * DAY,
	    EVP_sha256()), "next.cer");
	struct authcert *old = cert_of(make_cert(key2048,
	    "Microsoft Exchange Server Auth Certificate", -500 * DAY, -DAY,
	    EVP_sha256()), "old.cer");
	const struct finding *fd;
	struct run r;

	(void)state;
	run_checks(&r, cur, same, NULL, 0);
	r.ctx.cert = r.ctx.next_cert = NULL;
	fd = worst(&r.f, "auth-cert.next");
	assert_int_equal(fd->severity, SEV_WARN);
	assert_non_null(strstr(fd->message, "is the current one"));
	run_release(&r);

	run_checks(&r, cur, next, NULL, 0);
	r.ctx.cert = r.ctx.next_cert = NULL;
	fd = worst(&r.f, "auth-cert.next");
	assert_int_equal(fd->severity, SEV_INFO);
	assert_string_equal(fd->remedy, "authcert.upload-next");
	assert_string_equal(finding_get(fd, "thumbprint"), next->thumbprint);
	run_release(&r);

	run_checks(&r, cur, old, NULL, 0);
	r.ctx.cert = r.ctx.next_cert = NULL;
	fd = worst(&r.f, "auth-cert.next");
	assert_int_equal(fd->severity, SEV_FAIL);
	assert_non_null(strstr(fd->message, "expired"));
	run_release(&r);

	cert_free(cur);
	cert_free(same);
	cert_free(next);
	cert_free(old);
}

static void
test_cli_cert(void **state)
{
	struct gen g = default_cert();
	unsigned char *der;
	size_t n = der_of(g.x, &der);
	char *path = write_file("cli.cer", der, n), *b64 = b64_of(der, n);
	static char out[65536];
	struct authcert *c = load_ok(path);
	char *tp = xasprintf("\xe2\x80\x8e%s", c->thumbprint);
	cJSON *root, *cert;

	(void)state;
	assert_int_equal(hctest_cli(out, sizeof(out), (const char *[]){ "cert", path,
	    "--thumbprint", tp, "--upload", "--no-color", NULL }), 0);
	assert_non_null(strstr(out, b64));
	assert_non_null(strstr(out, c->x5t));
	assert_non_null(strstr(out, "sha1RSA"));
	assert_non_null(strstr(out, "(DER)"));

	assert_int_equal(hctest_cli(out, sizeof(out), (const char *[]){ "cert", path,
	    "--thumbprint", "0000000000000000000000000000000000000000",
	    "--format", "json", NULL }), 2);
	root = cJSON_Parse(out);
	assert_non_null(root);
	cert = cJSON_GetObjectItem(root, "certificate");
	assert_string_equal(cJSON_GetObjectItem(cert, "thumbprint")->valuestring,
	    c->thumbprint);
	assert_non_null(strstr(out, "\"auth-cert.thumbprint\""));
	cJSON_Delete(root);

	/* Issue 17 item 8: a bad typed thumbprint is a usage error (64), not 3. */
	assert_int_equal(hctest_cli(out, sizeof(out), (const char *[]){ "cert", path,
	    "--thumbprint", "xyz", NULL }), 64);
	assert_non_null(strstr(out, "--thumbprint: thumbprint 'xyz'"));
	assert_int_equal(hctest_cli(out, sizeof(out), (const char *[]){ "preflight",
	    "--offline", "--domain", "contoso.com", "--thumbprint", "12", NULL }), 64);
	assert_int_equal(hctest_cli(out, sizeof(out), (const char *[]){ "cert", NULL }), 64);

	free(tp);
	cert_free(c);
	free(path);
	free(b64);
	free(der);
	X509_free(g.x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_der),
		cmocka_unit_test(test_pem_and_key),
		cmocka_unit_test(test_base64_forms),
		cmocka_unit_test(test_pfx),
		cmocka_unit_test(test_pfx_legacy),
		cmocka_unit_test(test_pfx_long_password_env),
		cmocka_unit_test(test_pfx_long_password_prompt),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_thumbprint_normalize),
		cmocka_unit_test(test_check_thumbprint),
		cmocka_unit_test(test_check_validity),
		cmocka_unit_test(test_check_key),
		cmocka_unit_test(test_pfx_iteration_cap),
		cmocka_unit_test(test_pfx_password_no_core),
		cmocka_unit_test(test_check_next),
		cmocka_unit_test(test_cli_cert),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
