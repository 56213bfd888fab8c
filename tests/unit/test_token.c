/*
 * Token decoding, explanation and verification, with RSA keys and
 * certificates generated here and tokens signed at test time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "checks.h"
#include "cli.h"
#include "context.h"
#include "findings.h"
#include "hctest.h"
#include "probe.h"
#include "jwks.h"
#include "token.h"

#define TID	"72416f3c-199e-43f6-9bb5-29f4a10665d5"
#define ACS	"00000001-0000-0000-c000-000000000000"
#define EXO	"00000002-0000-0ff1-ce00-000000000000"

/* Keys and certificates shared by the tests, made once. */
static EVP_PKEY *key_a, *key_b, *key_ec;
static unsigned char *der_a, *der_b, *der_ec;
static size_t len_a, len_b, len_ec;
static char x5t_a[32], x5t_b[32], x5t_ec[32];
static time_t now;

static char *
b64url(const void *data, size_t n)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const unsigned char *p = data;
	char *out = malloc(n * 4 / 3 + 4), *o = out;
	unsigned acc = 0;
	int bits = 0;

	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | p[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			*o++ = a[(acc >> bits) & 63];
		}
	}
	if (bits > 0)
		*o++ = a[(acc << (6 - bits)) & 63];
	*o = '\0';
	return out;
}

static unsigned char *
selfsigned(EVP_PKEY *k, const char *cn, size_t *len)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	unsigned char *der = NULL;
	int n;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -86400);
	X509_gmtime_adj(X509_getm_notAfter(x), 365L * 86400);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, name);
	X509_set_pubkey(x, k);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	n = i2d_X509(x, &der);
	assert_true(n > 0);
	*len = (size_t)n;
	X509_NAME_free(name);
	X509_free(x);
	return der;
}

static void
x5t_of(const unsigned char *der, size_t len, char out[32])
{
	unsigned char sha[SHA_DIGEST_LENGTH];
	char *s;

	SHA1(der, len, sha);
	s = b64url(sha, sizeof(sha));
	snprintf(out, 32, "%s", s);
	free(s);
}

static int
setup(void **state)
{
	(void)state;
	now = time(NULL);
	key_a = EVP_RSA_gen(2048);
	key_b = EVP_RSA_gen(2048);
	key_ec = EVP_EC_gen("P-256");
	assert_non_null(key_a);
	assert_non_null(key_b);
	assert_non_null(key_ec);
	der_a = selfsigned(key_a, "accounts.accesscontrol.windows.net", &len_a);
	der_b = selfsigned(key_b, "Microsoft Exchange Server Auth Certificate", &len_b);
	der_ec = selfsigned(key_ec, "an EC certificate", &len_ec);
	x5t_of(der_a, len_a, x5t_a);
	x5t_of(der_b, len_b, x5t_b);
	x5t_of(der_ec, len_ec, x5t_ec);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(key_a);
	EVP_PKEY_free(key_b);
	EVP_PKEY_free(key_ec);
	OPENSSL_free(der_a);
	OPENSSL_free(der_b);
	OPENSSL_free(der_ec);
	return 0;
}

/*
 * A compact token from JSON texts. With k, an RS256 signature made with
 * OpenSSL directly (not libjwt, so that the verifier is tested against
 * an independent signer); without, an empty signature part.
 */
static char *
make_token(const char *header, const char *payload, EVP_PKEY *k)
{
	char *h = b64url(header, strlen(header)), *p = b64url(payload, strlen(payload));
	char *input = malloc(strlen(h) + strlen(p) + 2), *s = NULL, *out;
	unsigned char sig[1024];
	size_t sig_len = sizeof(sig);

	sprintf(input, "%s.%s", h, p);
	if (k != NULL) {
		EVP_MD_CTX *md = EVP_MD_CTX_new();

		assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k), 1);
		assert_int_equal(EVP_DigestSign(md, sig, &sig_len,
		    (unsigned char *)input, strlen(input)), 1);
		EVP_MD_CTX_free(md);
		s = b64url(sig, sig_len);
	}
	out = malloc(strlen(input) + (s ? strlen(s) : 0) + 2);
	sprintf(out, "%s.%s", input, s ? s : "");
	free(h);
	free(p);
	free(s);
	free(input);
	return out;
}

/* An ACS actor token for Exchange Online, as in PROTOCOLS.md §7. */
static char *
acs_token(EVP_PKEY *k, const char *x5t, long nbf, long exp, const char *host,
    const char *realm)
{
	char header[256], payload[1024];

	snprintf(header, sizeof(header),
	    "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5t\":\"%s\",\"kid\":\"%s\"}", x5t, x5t);
	snprintf(payload, sizeof(payload),
	    "{\"aud\":\"" EXO "/%s@%s\",\"iss\":\"" ACS "@%s\","
	    "\"nbf\":%ld,\"exp\":%ld,\"nameid\":\"" EXO "@%s\","
	    "\"trustedfordelegation\":\"true\","
	    "\"identityprovider\":\"" ACS "@%s\"}",
	    host, realm, realm, nbf, exp, realm, realm);
	return make_token(header, payload, k);
}

static void
keys_ab(struct token_keyset *ks)
{
	struct hcerr e = { "" };

	memset(ks, 0, sizeof(*ks));
	assert_int_equal(token_keyset_add(ks, der_a, len_a, "ACS metadata key 1", &e), 0);
	assert_int_equal(token_keyset_add(ks, der_b, len_b, "Auth certificate", &e), 0);
}

static void
test_valid_acs_token(void **state)
{
	char *tok = acs_token(key_a, x5t_a, now - 60, now + 86400,
	    "outlook.office365.com", TID);
	struct token t;
	struct token_keyset ks;
	struct token_sigcheck r;
	struct hcerr e = { "" };

	(void)state;
	keys_ab(&ks);
	assert_int_equal(token_decode(&t, tok, strlen(tok), &e), 0);
	assert_string_equal(t.alg, "RS256");
	assert_string_equal(t.x5t, x5t_a);
	assert_string_equal(t.aud_name.principal, EXO);
	assert_string_equal(t.aud_name.host, "outlook.office365.com");
	assert_string_equal(t.aud_name.realm, TID);
	assert_string_equal(t.iss_name.principal, ACS);
	assert_string_equal(t.iss_name.realm, TID);
	assert_null(t.iss_name.host);
	assert_true(t.exp.valid);
	assert_int_equal(t.exp.t, now + 86400);
	assert_int_equal(token_verify(&t, &ks, &r), TOKEN_SIG_VALID);
	assert_non_null(r.key);
	assert_string_equal(r.key->source, "ACS metadata key 1");
	assert_int_equal(token_lifetime(&t, now, TOKEN_SKEW), TOKEN_LIFE_VALID);
	token_release(&t);
	token_keyset_release(&ks);
	free(tok);
}

static void
test_lifetime(void **state)
{
	struct { long nbf, exp; enum token_lifetime want; } cases[] = {
		{ -7200, -3600, TOKEN_LIFE_EXPIRED },
		{ -7200, -200, TOKEN_LIFE_VALID },	/* inside the 5-minute skew */
		{ -7200, -301, TOKEN_LIFE_EXPIRED },
		{ 3600, 7200, TOKEN_LIFE_NOT_YET },
		{ 200, 7200, TOKEN_LIFE_VALID },	/* skew again */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *tok = acs_token(key_a, x5t_a, now + cases[i].nbf,
		    now + cases[i].exp, "outlook.office365.com", TID);
		struct token t;
		struct hcerr e = { "" };

		assert_int_equal(token_decode(&t, tok, strlen(tok), &e), 0);
		if (token_lifetime(&t, now, TOKEN_SKEW) != cases[i].want)
			fail_msg("case %zu: lifetime %d, expected %d", i,
			    token_lifetime(&t, now, TOKEN_SKEW), cases[i].want);
		token_release(&t);
		free(tok);
	}
}

static void
test_string_times_and_missing_exp(void **state)
{
	char payload[256];
	char *tok;
	struct token t;
	struct hcerr e = { "" };

	(void)state;
	snprintf(payload, sizeof(payload), "{\"nbf\":\"%ld\",\"exp\":\"%ld\"}",
	    (long)now - 10, (long)now + 10);
	tok = make_token("{\"alg\":\"none\"}", payload, NULL);
	assert_int_equal(token_decode(&t, tok, strlen(tok), &e), 0);
	assert_true(t.nbf.valid && t.nbf.was_string);
	assert_int_equal(t.exp.t, now + 10);
	assert_int_equal(token_lifetime(&t, now, TOKEN_SKEW), TOKEN_LIFE_VALID);
	token_release(&t);
	free(tok);

	tok = make_token("{\"alg\":\"none\"}", "{\"nbf\":\"soon\"}", NULL);
	assert_int_equal(token_decode(&t, tok, strlen(tok), &e), 0);
	assert_int_equal(token_lifetime(&t, now, TOKEN_SKEW), TOKEN_LIFE_NO_EXP);
	assert_true(t.nbf.present && !t.nbf.valid);
	token_release(&t);
	free(tok);
}

/*
 * A time is seconds from 1970 to the end of year 9999: a number printed in
 * exponent form is not its first digit, and a string near the top of the
 * range is not a time to add the skew to.
 */
static void
test_times_out_of_range(void **state)
{
	static const char *const payloads[] = {
	    "{\"exp\":9223372036854775807}",
	    "{\"exp\":15000000000000000}",
	    "{\"exp\":1e300}",
	    "{\"exp\":\"9223372036854775807\"}",
	    "{\"exp\":\"253402300800\"}",
	};
	struct token t;
	struct hcerr e = { "" };
	char *tok;

	(void)state;
	for (size_t i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++) {
		tok = make_token("{\"alg\":\"none\"}", payloads[i], NULL);
		assert_int_equal(token_decode(&t, tok, strlen(tok), &e), 0);
		if (!t.exp.present || t.exp.valid)
			fail_msg("%s: exp taken as the time %lld", payloads[i],
			    (long long)t.exp.t);
		assert_int_equal(token_lifetime(&t, now, TOKEN_SKEW),
		    TOKEN_LIFE_NO_EXP);
		token_release(&t);
		free(tok);
	}
	/* The last second of 9999 and a fraction are still times. */
	tok = make_token("{\"alg\":\"none\"}",
	    "{\"exp\":253402300799,\"nbf\":1700000000.5}", NULL);
	assert_int_equal(token_decode(&t, tok, strlen(tok), &e), 0);
	assert_true(t.exp.valid && t.nbf.valid);
	assert_int_equal(t.exp.t, 253402300799LL);
	assert_int_equal(t.nbf.t, 1700000000);
	token_release(&t);
	free(tok);
}

static void
test_tampered_payload(void **state)
{
	char *good = acs_token(key_a, x5t_a, now - 60, now + 3600,
	    "outlook.office365.com", TID);
	char *evil = acs_token(NULL, x5t_a, now - 60, now + 3600,
	    "mail.fabrikam.com", TID);
	char *d1 = strchr(good, '.'), *d2 = strchr(d1 + 1, '.');
	char *e1 = strchr(evil, '.'), *e2 = strchr(e1 + 1, '.');
	char *tok = malloc(strlen(good) + strlen(evil));
	struct token t;
	struct token_keyset ks;
	struct token_sigcheck r;
	struct hcerr e = { "" };

	(void)state;
	/* The other payload under the original header and signature. */
	sprintf(tok, "%.*s%.*s%s", (int)(d1 - good), good, (int)(e2 - e1), e1, d2);
	keys_ab(&ks);
	assert_int_equal(token_decode(&t, tok, strlen(tok), &e), 0);
	assert_string_equal(t.aud_name.host, "mail.fabrikam.com");
	assert_int_equal(token_verify(&t, &ks, &r), TOKEN_SIG_INVALID);
	assert_non_null(strstr(r.reason, "does not match"));
	token_release(&t);
	token_keyset_release(&ks);
	free(tok);
	free(good);
	free(evil);
}

static void
test_alg_none(void **state)
{
	char payload[256];
	char *tok, *with_sig;
	struct token t;
	struct token_keyset ks;
	struct token_sigcheck r;
	struct hcerr e = { "" };

	(void)state;
	keys_ab(&ks);
	snprintf(payload, sizeof(payload), "{\"aud\":\"" EXO "/outlook.office365.com@"
	    TID "\",\"exp\":%ld}", (long)now + 3600);
	/* An x5t naming a known key must not make alg none acceptable. */
	{
		char header[128];

		snprintf(header, sizeof(header), "{\"alg\":\"none\",\"x5t\":\"%s\"}", x5t_a);
		tok = make_token(header, payload, NULL);
	}
	assert_int_equal(token_decode(&t, tok, strlen(tok), &e), 0);
	assert_int_equal(t.sig_len, 0);
	assert_int_equal(token_verify(&t, &ks, &r), TOKEN_SIG_UNSIGNED);
	assert_int_equal(token_verify_key(&t, &ks.v[0], &r), TOKEN_SIG_UNSIGNED);
	assert_non_null(strstr(r.reason, "none"));
	token_release(&t);

	/* alg none followed by a real signature part: still unsigned. */
	with_sig = malloc(strlen(tok) + 8);
	sprintf(with_sig, "%sAAAAAA", tok);
	assert_int_equal(token_decode(&t, with_sig, strlen(with_sig), &e), 0);
	assert_int_equal(token_verify(&t, &ks, &r), TOKEN_SIG_UNSIGNED);
	assert_non_null(strstr(r.reason, "signature part of 4 bytes"));
	token_release(&t);
	free(with_sig);
	free(tok);
	token_keyset_release(&ks);
}

static void
test_unknown_key_and_wrong_key(void **state)
{
	char *tok = acs_token(key_b, x5t_b, now - 60, now + 3600,
	    "outlook.office365.com", TID);
	char *lying = acs_token(key_b, x5t_a, now - 60, now + 3600,
	    "outlook.office365.com", TID);
	struct token t;
	struct token_keyset ks = { 0 };
	struct token_sigcheck r;
	struct hcerr e = { "" };

	(void)state;
	assert_int_equal(token_keyset_add(&ks, der_a, len_a, "ACS metadata key 1", &e), 0);
	assert_int_equal(token_decode(&t, tok, strlen(tok), &e), 0);
	assert_int_equal(token_verify(&t, &ks, &r), TOKEN_SIG_UNKNOWN_KEY);
	assert_null(r.key);
	assert_non_null(strstr(r.reason, "names none of the 1 key known"));
	assert_non_null(strstr(r.reason, "thumbprint "));
	token_release(&t);
	/* Signed by B but naming A: the signature does not match A. */
	assert_int_equal(token_decode(&t, lying, strlen(lying), &e), 0);
	assert_int_equal(token_verify(&t, &ks, &r), TOKEN_SIG_INVALID);
	token_release(&t);
	token_keyset_release(&ks);
	free(tok);
	free(lying);
}

/*
 * HS256 with the public key's PEM as the HMAC secret. libjwt 1.x accepts
 * it when handed that PEM, which is why the alg is judged first.
 */
static void
test_hs256_confusion(void **state)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *pem, *h, *p, *input, *tok, *s, payload[256], header[128];
	long pem_len;
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned mac_len = 0;
	struct token t;
	struct token_keyset ks;
	struct token_sigcheck r;
	struct hcerr e = { "" };
	jwt_t *j = NULL;

	(void)state;
	keys_ab(&ks);
	assert_int_equal(PEM_write_bio_PUBKEY(bio, key_a), 1);
	pem_len = BIO_get_mem_data(bio, &pem);
	snprintf(header, sizeof(header), "{\"typ\":\"JWT\",\"alg\":\"HS256\",\"x5t\":\"%s\"}", x5t_a);
	snprintf(payload, sizeof(payload), "{\"aud\":\"x\",\"exp\":%ld}", (long)now + 60);
	h = b64url(header, strlen(header));
	p = b64url(payload, strlen(payload));
	input = malloc(strlen(h) + strlen(p) + 2);
	sprintf(input, "%s.%s", h, p);
	HMAC(EVP_sha256(), pem, (int)pem_len, (unsigned char *)input, strlen(input),
	    mac, &mac_len);
	s = b64url(mac, mac_len);
	tok = malloc(strlen(input) + strlen(s) + 2);
	sprintf(tok, "%s.%s", input, s);

	/* The pitfall itself, so the guard stays needed knowingly. */
	assert_int_equal(jwt_decode(&j, tok, (unsigned char *)pem, (int)pem_len), 0);
	jwt_free(j);

	assert_int_equal(token_decode(&t, tok, strlen(tok), &e), 0);
	assert_int_equal(token_verify(&t, &ks, &r), TOKEN_SIG_BAD_ALG);
	assert_non_null(strstr(r.reason, "algorithm-confusion"));
	assert_int_equal(token_verify_key(&t, &ks.v[0], &r), TOKEN_SIG_BAD_ALG);
	token_release(&t);
	token_keyset_release(&ks);
	BIO_free(bio);
	free(h);
	free(p);
	free(input);
	free(s);
	free(tok);
}

static void
test_key_type_must_match(void **state)
{
	char *tok = acs_token(key_a, x5t_ec, now - 60, now + 3600,
	    "outlook.office365.com", TID);
	struct token t;
	struct token_keyset ks = { 0 };
	struct token_sigcheck r;
	struct hcerr e = { "" };

	(void)state;
	assert_int_equal(token_keyset_add(&ks, der_ec, len_ec, "an EC cert", &e), 0);
	assert_string_equal(ks.v[0].key_type, "EC");
	assert_int_equal(token_decode(&t, tok, strlen(tok), &e), 0);
	assert_int_equal(token_verify(&t, &ks, &r), TOKEN_SIG_BAD_ALG);
	assert_non_null(strstr(r.reason, "needs an RSA key"));
	token_release(&t);
	token_keyset_release(&ks);
	free(tok);
}

static void
expect_error(const char *tok, const char *part, const char *what)
{
	struct token t;
	struct hcerr e = { "" };

	assert_int_equal(token_decode(&t, tok, strlen(tok), &e), -1);
	if (strstr(e.msg, part) == NULL || strstr(e.msg, what) == NULL)
		fail_msg("'%s': error '%s' lacks '%s' or '%s'", tok, e.msg, part, what);
	assert_null(t.compact);
}

static void
test_malformed(void **state)
{
	char *tok;

	(void)state;
	expect_error("eyJhbGciOiJub25lIn0*.eyJhIjoxfQ.", "token header", "'*' at offset 19");
	expect_error("eyJhbGciOiJub25lIn0.eyJhIjox.", "token payload", "not JSON");
	expect_error("eyJhbGciOiJub25lIn0.eyJhIjoxfQ.a$b", "token signature", "'$'");
	expect_error("eyJhbGciOiJub25lIn0.eyJhIjoxfQ", "token", "2 parts");
	expect_error("a.b.c.d.e", "token", "encrypted token (JWE)");
	expect_error("", "token", "empty");
	expect_error("eyJhbGciOiJub25lIn0.e.", "token payload", "cannot be base64");
	/* JSON that is not an object, and a name given twice. */
	tok = make_token("[1,2]", "{}", NULL);
	expect_error(tok, "token header", "array, expected an object");
	free(tok);
	tok = make_token("{\"alg\":\"none\"}", "{\"aud\":\"a\",\"aud\":\"b\"}", NULL);
	expect_error(tok, "token payload", "'aud' appears twice");
	free(tok);
	tok = make_token("{\"alg\":\"none\"}", "{} x", NULL);
	expect_error(tok, "token payload", "text after the JSON object");
	free(tok);
}

static void
test_oversize(void **state)
{
	size_t n = TOKEN_MAX + 1;
	char *big = malloc(n + 1);

	(void)state;
	memset(big, 'A', n);
	big[n] = '\0';
	expect_error(big, "token", "more than the 65536 accepted");
	free(big);
}

static void
test_padding_bearer_and_whitespace(void **state)
{
	/* {"alg":"none"} is 14 bytes: "==" padding in the standard form. */
	const char *padded = "  Bearer eyJhbGciOiJub25lIn0=.eyJhIjoxfQ==.\n";
	struct token t;
	struct hcerr e = { "" };

	(void)state;
	assert_int_equal(token_decode(&t, padded, strlen(padded), &e), 0);
	assert_true(t.stripped_bearer);
	assert_string_equal(t.alg, "none");
	assert_string_equal(token_claim(&t, "a")->value, "1");
	assert_false(token_claim(&t, "a")->is_string);
	token_release(&t);
	expect_error("eyJhbGciOiJub25lIn0===.eyJhIjoxfQ.", "token header",
	    "expected at most 2");
}

/* Padded segments, signed as written: decoded and verified alike. */
static void
test_padded_signed_token(void **state)
{
	char header[128], input[512], *sig64, *tok;
	const char *payload = "eyJhdWQiOiJ4In0=";	/* {"aud":"x"}, 11 bytes */
	char *h;
	unsigned char sig[512];
	size_t sig_len = sizeof(sig);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	struct token t;
	struct token_keyset ks;
	struct token_sigcheck r;
	struct hcerr e = { "" };

	(void)state;
	keys_ab(&ks);
	snprintf(header, sizeof(header), "{\"alg\":\"RS256\",\"x5t\":\"%s\"}", x5t_a);
	h = b64url(header, strlen(header));
	snprintf(input, sizeof(input), "%s.%s", h, payload);
	assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key_a), 1);
	assert_int_equal(EVP_DigestSign(md, sig, &sig_len, (unsigned char *)input,
	    strlen(input)), 1);
	sig64 = b64url(sig, sig_len);
	tok = malloc(strlen(input) + strlen(sig64) + 2);
	sprintf(tok, "%s.%s", input, sig64);
	assert_int_equal(token_decode(&t, tok, strlen(tok), &e), 0);
	assert_string_equal(t.aud, "x");
	assert_null(t.typ);
	token_verify(&t, &ks, &r);
	print_message("padded payload, no typ: %s (%s)\n", token_sig_name(r.status),
	    r.reason);
	assert_int_equal(r.status, TOKEN_SIG_VALID);
	token_release(&t);
	token_keyset_release(&ks);
	EVP_MD_CTX_free(md);
	free(h);
	free(sig64);
	free(tok);
}

/* Exchange's outer token: unsigned, carrying the signed actor token. */
static void
test_outer_token_with_actor(void **state)
{
	char *actor = acs_token(key_a, x5t_a, now - 60, now + 86400,
	    "outlook.office365.com", TID);
	char *payload = malloc(strlen(actor) + 512), *outer;
	struct token t;
	struct token_keyset ks;
	struct token_sigcheck r;
	struct hcerr e = { "" };
	char *why;

	(void)state;
	keys_ab(&ks);
	sprintf(payload, "{\"aud\":\"" EXO "/mail.contoso.com@" TID "\","
	    "\"iss\":\"" EXO "@" TID "\",\"nbf\":%ld,\"exp\":%ld,"
	    "\"nameid\":\"S-1-5-21-1\",\"nii\":\"urn:office:idp:activedirectory\","
	    "\"smtp\":\"kim@contoso.com\",\"actortoken\":\"%s\"}",
	    (long)now - 60, (long)now + 3600, actor);
	outer = make_token("{\"alg\":\"none\",\"typ\":\"JWT\"}", payload, NULL);
	assert_int_equal(token_decode(&t, outer, strlen(outer), &e), 0);
	assert_int_equal(token_verify(&t, &ks, &r), TOKEN_SIG_UNSIGNED);
	assert_string_equal(t.aud_name.host, "mail.contoso.com");
	assert_non_null(t.actor);
	assert_null(t.actor_error);
	assert_string_equal(t.actor->aud_name.host, "outlook.office365.com");
	assert_int_equal(token_verify(t.actor, &ks, &r), TOKEN_SIG_VALID);
	why = token_explain(&t, token_claim(&t, "actortoken"), 0, now);
	assert_string_equal(why, "a signed actor token, decoded below");
	free(why);
	why = token_explain(&t, token_claim(&t, "smtp"), 0, now);
	assert_non_null(strstr(why, "SMTP"));
	free(why);
	token_release(&t);

	/* A broken actor token leaves the outer one readable. */
	sprintf(payload, "{\"aud\":\"x\",\"actortoken\":\"not-a-token\"}");
	free(outer);
	outer = make_token("{\"alg\":\"none\"}", payload, NULL);
	assert_int_equal(token_decode(&t, outer, strlen(outer), &e), 0);
	assert_null(t.actor);
	assert_non_null(strstr(t.actor_error, "actor token: 1 part"));
	token_release(&t);
	token_keyset_release(&ks);
	free(outer);
	free(payload);
	free(actor);
}

/* MS-XOAUTH's claim table names actort: unwrapped like Exchange's actortoken. */
static void
test_actort(void **state)
{
	char *actor = acs_token(key_a, x5t_a, now - 60, now + 86400,
	    "outlook.office365.com", TID);
	char *payload = malloc(strlen(actor) + 512), *outer, *why;
	struct token t;
	struct hcerr e = { "" };

	(void)state;
	sprintf(payload, "{\"aud\":\"" EXO "/mail.contoso.com@" TID "\","
	    "\"iss\":\"" EXO "@" TID "\",\"nbf\":%ld,\"exp\":%ld,"
	    "\"actort\":\"%s\"}", (long)now - 60, (long)now + 3600, actor);
	outer = make_token("{\"alg\":\"none\",\"typ\":\"JWT\"}", payload, NULL);
	assert_int_equal(token_decode(&t, outer, strlen(outer), &e), 0);
	assert_non_null(t.actor);
	assert_string_equal(t.actor_claim, "actort");
	assert_string_equal(t.actor->aud_name.host, "outlook.office365.com");
	why = token_explain(&t, token_claim(&t, "actort"), 0, now);
	assert_string_equal(why, "a signed actor token, decoded below");
	free(why);
	token_release(&t);
	free(outer);
	free(payload);
	free(actor);
}

/*
 * An Entra ID token (v2.0 issuer URL, tid, a URL audience, kid only) is
 * split by its own form, and verifies with the key set Entra serves.
 */
static void
test_entra_token(void **state)
{
	char header[256], payload[1024], *tok, *cert64, *jwks;
	struct token t;
	struct jwks k;
	struct token_keyset ks = { 0 };
	struct token_sigcheck r;
	struct hcerr e = { "" };

	(void)state;
	snprintf(header, sizeof(header), "{\"typ\":\"JWT\",\"alg\":\"RS256\","
	    "\"kid\":\"%s\"}", x5t_a);
	snprintf(payload, sizeof(payload), "{\"aud\":\"https://outlook.office365.com\","
	    "\"iss\":\"https://login.microsoftonline.com/" TID "/v2.0\",\"iat\":%ld,"
	    "\"nbf\":%ld,\"exp\":%ld,\"tid\":\"" TID "\",\"ver\":\"2.0\","
	    "\"roles\":[\"full_access_as_app\"]}", (long)now - 60, (long)now - 60,
	    (long)now + 3600);
	tok = make_token(header, payload, key_a);
	assert_int_equal(token_decode(&t, tok, strlen(tok), &e), 0);
	assert_true(t.entra);
	assert_string_equal(t.iss_name.host, "login.microsoftonline.com");
	assert_string_equal(t.iss_name.realm, TID);
	assert_null(t.iss_name.principal);
	assert_true(t.aud_name.url);
	assert_string_equal(t.aud_name.host, "outlook.office365.com");
	assert_string_equal(t.tid, TID);

	/* The key set Entra serves: x5c holds the certificate, kid its x5t. */
	cert64 = malloc(4 * ((len_a + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)cert64, der_a, (int)len_a);
	jwks = xasprintf("{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\","
	    "\"kid\":\"%s\",\"x5t\":\"%s\",\"x5c\":[\"%s\"]},{\"kty\":\"RSA\","
	    "\"kid\":\"nocert\"}]}", x5t_a, x5t_a, cert64);
	assert_int_equal(jwks_parse(&k, jwks, strlen(jwks), &e), 0);
	assert_int_equal(k.n, 2);
	assert_non_null(k.v[0].der);
	assert_null(k.v[1].der);
	assert_string_equal(k.v[1].error, "no x5c certificate");
	assert_int_equal(token_keyset_add(&ks, k.v[0].der, k.v[0].der_len,
	    "Entra ID keys", &e), 0);
	assert_int_equal(token_verify(&t, &ks, &r), TOKEN_SIG_VALID);
	/* Not a key set. */
	jwks_release(&k);
	assert_int_equal(jwks_parse(&k, "{\"keys\":{}}", 11, &e), -1);
	assert_int_equal(jwks_parse(&k, "{\"keys\":[{\"kid\":\"x\"}]}", 22, &e), -1);
	free(jwks);
	free(cert64);
	token_keyset_release(&ks);
	token_release(&t);
	free(tok);
}

static void
test_explain(void **state)
{
	char *tok = acs_token(key_a, x5t_a, now - 90, now + 7200,
	    "outlook.office365.com", TID);
	struct token t;
	struct hcerr e = { "" };
	char *s, hex[41];
	unsigned char sha[SHA_DIGEST_LENGTH];

	(void)state;
	assert_int_equal(token_decode(&t, tok, strlen(tok), &e), 0);
	s = token_explain(&t, token_claim(&t, "aud"), 0, now);
	assert_string_equal(s, "principal Exchange, host outlook.office365.com, "
	    "realm " TID);
	free(s);
	s = token_explain(&t, token_claim(&t, "iss"), 0, now);
	assert_string_equal(s, "issued by principal ACS (the tenant's token "
	    "issuer), realm " TID);
	free(s);
	s = token_explain(&t, token_claim(&t, "exp"), 0, now);
	assert_non_null(strstr(s, "Z, in 2 h 0 min"));
	free(s);
	s = token_explain(&t, token_claim(&t, "nbf"), 0, now);
	assert_non_null(strstr(s, "1 min 30 s ago"));
	free(s);
	s = token_explain(&t, token_claim(&t, "trustedfordelegation"), 0, now);
	assert_non_null(strstr(s, "on behalf of users"));
	free(s);
	/* x5t in words: the thumbprint administrators compare. */
	SHA1(der_a, len_a, sha);
	for (int i = 0; i < 20; i++)
		sprintf(hex + 2 * i, "%02X", sha[i]);
	s = token_explain(&t, &t.header[2], 1, now);
	assert_string_equal(t.header[2].name, "x5t");
	assert_non_null(strstr(s, hex));
	free(s);
	token_release(&t);
	free(tok);
}

static void
test_sign_actor(void **state)
{
	struct token t;
	struct token_keyset ks;
	struct token_sigcheck r;
	struct hcerr e = { "" };
	char *tok;

	(void)state;
	keys_ab(&ks);
	tok = token_sign_actor(key_b, der_b, len_b, "outlook.office365.com", TID,
	    now, TOKEN_ACTOR_LIFETIME, &e);
	assert_non_null(tok);
	assert_int_equal(token_decode(&t, tok, strlen(tok), &e), 0);
	assert_string_equal(t.alg, "RS256");
	assert_string_equal(t.x5t, x5t_b);
	assert_string_equal(t.iss, EXO "@" TID);
	assert_string_equal(t.nameid, EXO "@" TID);
	assert_string_equal(t.aud, EXO "/outlook.office365.com@" TID);
	assert_int_equal(t.nbf.t, now);
	assert_int_equal(t.exp.t, now + TOKEN_ACTOR_LIFETIME);
	assert_int_equal(token_verify(&t, &ks, &r), TOKEN_SIG_VALID);
	assert_string_equal(r.key->source, "Auth certificate");
	/* Against a certificate of another key pair: no match. */
	assert_int_equal(token_verify_key(&t, &ks.v[0], &r), TOKEN_SIG_INVALID);
	token_release(&t);
	free(tok);
	assert_null(token_sign_actor(key_ec, der_ec, len_ec, "h", TID, now, 60, &e));
	assert_non_null(strstr(e.msg, "not RSA"));
	token_keyset_release(&ks);
}

static void
test_keyset(void **state)
{
	struct token_keyset ks = { 0 };
	struct hcerr e = { "" };
	unsigned char junk[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };

	(void)state;
	assert_int_equal(token_keyset_add(&ks, der_a, len_a, "first", &e), 0);
	assert_int_equal(token_keyset_add(&ks, der_a, len_a, "again", &e), 0);
	assert_int_equal(ks.n, 1);
	assert_string_equal(ks.v[0].source, "first");
	assert_string_equal(ks.v[0].subject, "CN=accounts.accesscontrol.windows.net");
	assert_int_equal(token_keyset_add(&ks, junk, sizeof(junk), "junk.cer", &e), -1);
	assert_non_null(strstr(e.msg, "junk.cer"));
	token_keyset_release(&ks);
}

static void
test_name_parse(void **state)
{
	struct token_name n;

	(void)state;
	token_name_parse(EXO "/mail.contoso.com@" TID, &n);
	assert_string_equal(n.principal, EXO);
	assert_string_equal(n.host, "mail.contoso.com");
	assert_string_equal(n.realm, TID);
	token_name_release(&n);
	token_name_parse("no realm here", &n);
	assert_string_equal(n.principal, "no realm here");
	assert_null(n.realm);
	token_name_release(&n);
	token_name_parse(EXO "@*", &n);
	assert_string_equal(n.realm, "*");
	assert_null(n.host);
	token_name_release(&n);
}

/*
 * Runs the program on argv; returns its exit code and its output. The
 * token command runs with -v: these tests read what each check said, the
 * passes and the remedy ids too, which the default report shortens.
 */
static int
run(char **out, const char *first, ...)
{
	struct hctest_run r;
	const char *args[64];
	size_t n = 0;
	va_list ap;

	va_start(ap, first);
	for (const char *a = first; a != NULL && n < 62; a = va_arg(ap, const char *))
		args[n++] = a;
	va_end(ap);
	if (n > 0 && strcmp(args[0], "token") == 0)
		args[n++] = "-v";
	args[n] = NULL;
	r = hctest_run_argv(args);
	if (r.err[0] != '\0')
		print_message("stderr: %s", r.err);
	free(r.err);
	*out = r.out;
	return r.rc;
}

static char *
write_tmp(const char *name, const char *text)
{
	char *path = malloc(strlen(HC_TEST_TMP) + strlen(name) + 2);
	FILE *f;

	sprintf(path, "%s/%s", HC_TEST_TMP, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* The outer token and its actor through the command, as JSON. */
static void
test_command_outer_token(void **state)
{
	char *actor = acs_token(key_a, x5t_a, now - 60, now + 86400,
	    "outlook.office365.com", TID);
	char *payload = malloc(strlen(actor) + 512), *outer, *path, *out = NULL;
	const char *sig = strrchr(actor, '.') + 1;
	int rc;

	(void)state;
	sprintf(payload, "{\"aud\":\"" EXO "/mail.contoso.com@" TID "\","
	    "\"iss\":\"" EXO "@" TID "\",\"nbf\":%ld,\"exp\":%ld,"
	    "\"nameid\":\"S-1-5-21-1\",\"actortoken\":\"%s\"}",
	    (long)now - 60, (long)now + 3600, actor);
	outer = make_token("{\"alg\":\"none\",\"typ\":\"JWT\"}", payload, NULL);
	path = write_tmp("outer.jwt", outer);
	rc = run(&out, "token", "--token-file", path, "--tenant", TID,
	    "--format", "json", NULL);
	/* No key was given: the actor's signature cannot be judged. */
	assert_int_equal(rc, EXIT_FAIL);
	assert_non_null(strstr(out, "\"token.decode\""));
	assert_non_null(strstr(out, "unknown key"));
	assert_non_null(strstr(out, "issued by ACS (the tenant's token issuer) "
	    "for the tenant " TID));
	assert_non_null(strstr(out, "a signed actor token, decoded below"));
	/* The signature never reaches the report. */
	assert_null(strstr(out, sig));
	free(out);
	out = NULL;

	/* Another tenant: the realm is wrong. */
	rc = run(&out, "token", "--token-file", path, "--tenant",
	    "11111111-2222-3333-4444-555555555555", NULL);
	assert_int_equal(rc, EXIT_FAIL);
	assert_non_null(strstr(out, "actor token: issued for realm '" TID "', but "
	    "the tenant is 11111111-2222-3333-4444-555555555555"));
	assert_non_null(strstr(out, "authserver.acs.fix — "));
	free(out);
	free(path);
	free(outer);
	free(payload);
	free(actor);
}

static void
test_command_errors(void **state)
{
	char *out = NULL, *path;
	int rc;

	(void)state;
	rc = run(&out, "token", NULL);
	assert_int_equal(rc, EXIT_USAGE);
	free(out);
	out = NULL;
	rc = run(&out, "token", "a", "b", NULL);
	assert_int_equal(rc, EXIT_USAGE);
	free(out);
	out = NULL;
	rc = run(&out, "token", "x", "--tenant", "not-a-guid", NULL);
	assert_int_equal(rc, EXIT_USAGE);
	free(out);
	out = NULL;
	/* A token that does not decode: a failure naming the part. */
	path = write_tmp("broken.jwt", "eyJhbGciOiJub25lIn0.eyJhIjox.\n");
	rc = run(&out, "token", "--token-file", path, NULL);
	assert_int_equal(rc, EXIT_FAIL);
	assert_non_null(strstr(out, "cannot decode the token: token payload: not JSON"));
	assert_non_null(strstr(out, "not checked: the token did not decode: token.signature"));
	free(out);
	free(path);
}

/*
 * preflight can never run the token checks: it does not count them, names
 * them only with -v, and points at the command that runs them.
 */
static void
test_preflight_skips(void **state)
{
	char *out = NULL;

	(void)state;
	run(&out, "preflight", "--domain", "contoso.com", "--cloud", "global",
	    "--offline", NULL);
	assert_null(strstr(out, "token"));
	assert_non_null(strstr(out, "checked 1 of 41 checks"));
	free(out);
	out = NULL;
	run(&out, "preflight", "--domain", "contoso.com", "--cloud", "global",
	    "--offline", "-v", NULL);
	assert_non_null(strstr(out, "not checked: a token (run hybridcheck token): "
	    "token.decode, token.signature"));
	assert_non_null(strstr(out, "not checked: the Auth certificate's private "
	    "key (run hybridcheck token --pfx FILE): token.keypair"));
	assert_non_null(strstr(out, "token.decode: not with preflight: needs a "
	    "token (hybridcheck token)"));
	free(out);
}

/* The proof's verdicts, from a context holding a signed actor token. */
static void
test_keypair_check(void **state)
{
	static const char *const only[] = { "token.keypair", NULL };
	struct context ctx;
	struct token_input *ti = token_input_new();
	struct findings f = { 0 };
	struct hcerr e = { "" };
	size_t fails = 0, passes = 0, infos = 0;

	(void)state;
	memset(&ctx, 0, sizeof(ctx));
	ctx.now = now;
	ctx.token = ti;
	ctx.have = INPUT_SIGNING_KEY;
	ti->proof_source = strdup("auth.pfx");
	ti->proof_thumbprint = strdup("B");
	ti->proof = token_sign_actor(key_b, der_b, len_b, "outlook.office365.com",
	    TID, now, TOKEN_ACTOR_LIFETIME, &e);
	assert_non_null(ti->proof);
	assert_int_equal(token_keyset_add(&ti->proof_certs, der_b, len_b,
	    "exported 'auth.cer'", &e), 0);
	assert_int_equal(token_keyset_add(&ti->proof_entra, der_a, len_a,
	    "Entra key credential 'old'", &e), 0);
	assert_int_equal(token_keyset_add(&ti->proof_entra, der_b, len_b,
	    "Entra key credential 'current'", &e), 0);
	checks_run(&ctx, only, &f);
	for (size_t i = 0; i < f.n; i++) {
		fails += f.v[i]->severity == SEV_FAIL;
		passes += f.v[i]->severity == SEV_PASS;
		infos += f.v[i]->severity == SEV_INFO;
	}
	assert_int_equal(passes, 2);	/* the .cer and the current credential */
	assert_int_equal(infos, 1);	/* the old credential: another certificate */
	assert_int_equal(fails, 0);
	findings_release(&f);

	/* Entra holds only another certificate; the .cer is another too. */
	token_keyset_release(&ti->proof_entra);
	token_keyset_release(&ti->proof_certs);
	assert_int_equal(token_keyset_add(&ti->proof_entra, der_a, len_a,
	    "Entra key credential 'old'", &e), 0);
	assert_int_equal(token_keyset_add(&ti->proof_certs, der_a, len_a,
	    "exported 'other.cer'", &e), 0);
	checks_run(&ctx, only, &f);
	assert_int_equal(findings_worst(&f), SEV_FAIL);
	assert_int_equal(f.n, 3);
	assert_int_equal(f.v[0]->severity, SEV_FAIL);	/* the .cer */
	assert_non_null(strstr(f.v[0]->message, "not the key pair Exchange signs with"));
	assert_int_equal(f.v[2]->severity, SEV_FAIL);
	assert_non_null(strstr(f.v[2]->message, "none of the 1 Entra key credential"));
	assert_string_equal(f.v[2]->remedy, "authcert.upload");
	findings_release(&f);
	context_release(&ctx);
}

static char *
write_der(const char *name, const unsigned char *der, size_t len)
{
	char *path = malloc(strlen(HC_TEST_TMP) + strlen(name) + 2);
	FILE *f;

	sprintf(path, "%s/%s", HC_TEST_TMP, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(der, 1, len, f), len);
	fclose(f);
	return path;
}

/* A PFX of key k and its certificate, protected by password (NULL: none). */
static char *
write_pfx(const char *name, EVP_PKEY *k, const unsigned char *der, size_t len,
    const char *password)
{
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	PKCS12 *p12 = PKCS12_create(password, "auth", k, x, NULL, 0, 0, 0, 0, 0);
	unsigned char *out = NULL;
	int n;
	char *path;

	assert_non_null(p12);
	n = i2d_PKCS12(p12, &out);
	assert_true(n > 0);
	path = write_der(name, out, (size_t)n);
	OPENSSL_free(out);
	PKCS12_free(p12);
	X509_free(x);
	return path;
}

static void
test_command_keypair(void **state)
{
	char *pfx = write_pfx("b.pfx", key_b, der_b, len_b, NULL);
	char *pfx_pw = write_pfx("b-pw.pfx", key_b, der_b, len_b, "s3cret-pw");
	char *cer_b = write_der("b.cer", der_b, len_b);
	char *cer_a = write_der("a.cer", der_a, len_a);
	char *out = NULL;
	int rc;

	(void)state;
	unsetenv("HYBRIDCHECK_PFX_PASSWORD");
	rc = run(&out, "token", "--pfx", pfx, "--cert", cer_b, "--tenant", TID, NULL);
	assert_int_equal(rc, EXIT_OK);
	assert_non_null(strstr(out, "verifies the actor token signed with the "
	    "private key of"));
	assert_null(strstr(out, "PRIVATE"));
	free(out);
	out = NULL;

	/* The exported certificate of another key pair. */
	rc = run(&out, "token", "--pfx", pfx, "--cert", cer_a, NULL);
	assert_int_equal(rc, EXIT_FAIL);
	assert_non_null(strstr(out, "not the key pair Exchange signs with"));
	free(out);
	out = NULL;

	/* With a password, from the environment only. */
	setenv("HYBRIDCHECK_PFX_PASSWORD", "s3cret-pw", 1);
	rc = run(&out, "token", "--pfx", pfx_pw, "--cert", cer_b, NULL);
	assert_int_equal(rc, EXIT_OK);
	assert_null(strstr(out, "s3cret-pw"));
	free(out);
	out = NULL;
	rc = run(&out, "token", "--pfx", pfx_pw, "--cert", cer_a, NULL);
	assert_int_equal(rc, EXIT_FAIL);
	free(out);
	out = NULL;
	setenv("HYBRIDCHECK_PFX_PASSWORD", "wrong", 1);
	rc = run(&out, "token", "--pfx", pfx_pw, "--cert", cer_b, NULL);
	assert_int_equal(rc, EXIT_INCOMPLETE);
	free(out);
	out = NULL;
	unsetenv("HYBRIDCHECK_PFX_PASSWORD");

	/* A --cert that is a PFX with its key proves its own pair. */
	rc = run(&out, "token", "--cert", pfx, NULL);
	assert_int_equal(rc, EXIT_OK);
	assert_non_null(strstr(out, "token.keypair"));
	assert_non_null(strstr(out, "verifies the actor token"));
	free(out);
	free(pfx);
	free(pfx_pw);
	free(cer_b);
	free(cer_a);
}

/* A self-issued actor token verified with --cert; the audience host by SPN. */
static void
test_command_cert_and_spn(void **state)
{
	char *cer_b = write_der("b.cer", der_b, len_b);
	char *actor, *payload = NULL, *outer, *path, *out = NULL;
	struct hcerr e = { "" };
	int rc;

	(void)state;
	actor = token_sign_actor(key_b, der_b, len_b, "outlook.office365.com",
	    TID, now, 3600, &e);
	assert_non_null(actor);
	payload = malloc(strlen(actor) + 512);
	sprintf(payload, "{\"aud\":\"" EXO "/mail.contoso.com@" TID "\","
	    "\"iss\":\"" EXO "@" TID "\",\"nbf\":%ld,\"exp\":%ld,"
	    "\"actortoken\":\"%s\"}", (long)now - 60, (long)now + 3600, actor);
	outer = make_token("{\"alg\":\"none\"}", payload, NULL);
	path = write_tmp("self.jwt", outer);

	rc = run(&out, "token", "--token-file", path, "--cert", cer_b,
	    "--tenant", TID, "--spn", EXO "/*.contoso.com", NULL);
	assert_int_equal(rc, EXIT_OK);
	assert_non_null(strstr(out, "RS256 signature verified with Auth certificate"));
	assert_non_null(strstr(out, "for 'mail.contoso.com', covered by " EXO
	    "/*.contoso.com"));
	free(out);
	out = NULL;

	/* Wrong audience host: the SPNs cover another domain, or only the apex. */
	rc = run(&out, "token", "--token-file", path, "--cert", cer_b,
	    "--tenant", TID, "--spn", EXO "/*.fabrikam.com", "--spn",
	    EXO "/contoso.com", NULL);
	assert_int_equal(rc, EXIT_FAIL);
	assert_non_null(strstr(out, "the audience host 'mail.contoso.com' is "
	    "covered by no SPN host authority"));
	assert_non_null(strstr(out, "remedy: spn.add"));
	free(out);
	free(path);
	free(outer);
	free(payload);
	free(actor);
	free(cer_b);
}

/* Standard base64 of der, as metadata documents and Graph write it. */
static char *
b64std(const unsigned char *der, size_t len)
{
	char *out = malloc(len * 4 / 3 + 8);

	EVP_EncodeBlock((unsigned char *)out, der, (int)len);
	return out;
}

/* An ACS document of one tenant (PROTOCOLS.md §2) holding der. */
static char *
acs_metadata(const char *name, const unsigned char *der, size_t len,
    const char *realm)
{
	char *b = b64std(der, len), *text = malloc(strlen(b) + 1024), *path;

	sprintf(text, "{\"keys\":[{\"usage\":\"signing\",\"keyValue\":{\"type\":"
	    "\"x509Certificate\",\"value\":\"%s\",\"keyInfo\":{\"x5t\":\"x\"}}}],"
	    "\"version\":\"1.0\",\"realm\":\"%s\",\"name\":\"sts\","
	    "\"issuer\":\"" ACS "@%s\"}", b, realm, realm);
	path = write_tmp(name, text);
	free(text);
	free(b);
	return path;
}

/* --metadata: ACS keys verify ACS tokens, the realm is the tenant. */
static void
test_command_metadata(void **state)
{
	char *acs = acs_metadata("acs.json", der_a, len_a, TID);
	char *tok_a = acs_token(key_a, x5t_a, now - 60, now + 3600,
	    "outlook.office365.com", TID);
	char *tok_b = acs_token(key_b, x5t_b, now - 60, now + 3600,
	    "outlook.office365.com", TID);
	char *b = b64std(der_b, len_b), *text = malloc(strlen(b) + 1024);
	char *onprem, *self, *bad, *out = NULL, *want;
	struct hcerr e = { "" };
	int rc;

	(void)state;
	rc = run(&out, "token", tok_a, "--metadata", acs, "--format", "json", NULL);
	assert_int_equal(rc, EXIT_OK);
	want = malloc(strlen(acs) + 128);
	sprintf(want, "RS256 signature verified with ACS metadata '%s' key 1", acs);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "for the tenant " TID));
	sprintf(want, "ACS metadata '%s'", acs);
	assert_non_null(strstr(out, want));	/* tenant from */
	free(out);
	out = NULL;

	/* Signed by a key the document does not hold. */
	rc = run(&out, "token", tok_b, "--metadata", acs, NULL);
	assert_int_equal(rc, EXIT_FAIL);
	assert_non_null(strstr(out, "unknown key: x5t"));
	assert_non_null(strstr(out, "names none of the 1 key known"));
	free(out);
	out = NULL;

	/* --tenant wins; the document naming another tenant is noted. */
	rc = run(&out, "token", tok_a, "--metadata", acs, "--tenant",
	    "11111111-2222-3333-4444-555555555555", NULL);
	assert_int_equal(rc, EXIT_FAIL);
	assert_non_null(strstr(out, "names tenant " TID));
	free(out);
	out = NULL;

	/* Exchange's own document: its key verifies self-issued tokens; realm '*' is no tenant. */
	sprintf(text, "{\"id\":\"_1\",\"version\":\"1.0\",\"name\":\"Exchange\","
	    "\"realm\":\"*\",\"serviceName\":\"" EXO "\",\"issuer\":\"" EXO "@*\","
	    "\"keys\":[{\"usage\":\"signing\",\"keyinfo\":{\"x5t\":\"%s\"},"
	    "\"keyvalue\":{\"type\":\"x509Certificate\",\"value\":\"%s\"}}]}",
	    x5t_b, b);
	onprem = write_tmp("onprem.json", text);
	self = token_sign_actor(key_b, der_b, len_b, "outlook.office365.com",
	    TID, now, 3600, &e);
	assert_non_null(self);
	rc = run(&out, "token", self, "--metadata", onprem, NULL);
	assert_int_equal(rc, EXIT_OK);
	assert_non_null(strstr(out, "verified with on-premises auth metadata"));
	assert_non_null(strstr(out, "the tenant is not known"));
	free(out);
	out = NULL;

	/* Not a metadata document: an input error naming the file. */
	bad = write_tmp("bad-metadata.json", "{\"keys\": 3}");
	rc = run(&out, "token", tok_a, "--metadata", bad, NULL);
	assert_int_equal(rc, EXIT_INCOMPLETE);
	free(out);
	out = NULL;
	rc = run(&out, "token", tok_a, "--metadata", HC_TEST_TMP "/none.json", NULL);
	assert_int_equal(rc, EXIT_INCOMPLETE);
	free(out);
	free(bad);
	free(self);
	free(onprem);
	free(want);
	free(text);
	free(b);
	free(tok_a);
	free(tok_b);
	free(acs);
}

/* A snapshot: the tenant, and Entra's key credentials for the proof. */
static char *
snapshot_with(const char *name, const char *sp_end, const char *app_end,
    const unsigned char *sp_der, size_t sp_len)
{
	char *sp = b64std(sp_der, sp_len), *app = b64std(der_b, len_b);
	char *text = malloc(strlen(sp) + strlen(app) + 2048), *path;

	sprintf(text, "{\"schema\":\"hybridcheck.snapshot/1\",\"entra\":{"
	    "\"tenantId\":\"%s\",\"exchangeServicePrincipal\":{\"appId\":\""
	    EXO "\",\"displayName\":\"Office 365 Exchange Online\","
	    "\"keyCredentials\":[{\"keyId\":\"k1\",\"displayName\":\"sp-cred\","
	    "\"type\":\"AsymmetricX509Cert\",\"usage\":\"Verify\","
	    "\"endDateTime\":\"%s\",\"key\":\"%s\"},{\"keyId\":\"k0\","
	    "\"type\":\"AsymmetricX509Cert\",\"key\":null}]},"
	    "\"hybridApplications\":[{\"appId\":"
	    "\"aaaa0000-0000-0000-0000-000000000001\",\"displayName\":"
	    "\"ExchangeServerApp-1\",\"keyCredentials\":[{\"keyId\":\"k2\","
	    "\"displayName\":\"app-cred\",\"type\":\"AsymmetricX509Cert\","
	    "\"usage\":\"Verify\",\"endDateTime\":\"%s\",\"key\":\"%s\"}]}]}}",
	    "72416F3C-199E-43F6-9BB5-29F4A10665D5", sp_end, sp, app_end, app);
	path = write_tmp(name, text);
	free(text);
	free(sp);
	free(app);
	return path;
}

static void
test_command_snapshot(void **state)
{
	char *pfx = write_pfx("b.pfx", key_b, der_b, len_b, NULL);
	char *snap = snapshot_with("snap-ok.json", "2020-01-01T00:00:00Z",
	    "2099-01-01T00:00:00Z", der_a, len_a);
	char *snap2 = snapshot_with("snap-expired.json", "2099-01-01T00:00:00Z",
	    "2020-01-01T00:00:00Z", der_a, len_a);
	char *snap3 = snapshot_with("snap-both.json", "2099-01-01T00:00:00Z",
	    "2099-01-01T00:00:00Z", der_b, len_b);
	char *tok = acs_token(key_a, x5t_a, now - 60, now + 3600,
	    "outlook.office365.com", "11111111-2222-3333-4444-555555555555");
	char *out = NULL;
	int rc;

	(void)state;
	unsetenv("HYBRIDCHECK_PFX_PASSWORD");
	/* The app holds the key pair; the SP another (expired) certificate. */
	rc = run(&out, "token", "--pfx", pfx, "--snapshot", snap, "--format",
	    "json", NULL);
	assert_int_equal(rc, EXIT_OK);
	assert_non_null(strstr(out, "\"subject\":\t\"key credential 'app-cred' "
	    "on the hybrid application 'ExchangeServerApp-1' (aaaa0000-0000-"
	    "0000-0000-000000000001)\",\n\t\t\t\"message\":\t\"verifies the "
	    "actor token: Entra holds the key"));
	assert_non_null(strstr(out, "\"subject\":\t\"key credential 'sp-cred' "
	    "on the service principal 'Office 365 Exchange Online' (" EXO ")\",\n"
	    "\t\t\t\"message\":\t\"another certificate"));
	assert_non_null(strstr(out, "\"object\":\t\"hybrid application "
	    "'ExchangeServerApp-1'"));
	/* The credential without a certificate cannot be compared, and says so. */
	assert_non_null(strstr(out, "key credential k0 on the service principal"));
	assert_non_null(strstr(out, "the snapshot holds no certificate for it"));
	/* The tenant (lower case) comes from the snapshot; so does the realm. */
	assert_non_null(strstr(out, "\"tenant_id\":\t\"72416f3c-199e-43f6-9bb5-"
	    "29f4a10665d5\""));
	assert_non_null(strstr(out, "72416f3c-199e-43f6-9bb5-29f4a10665d5 "
	    "(from snapshot"));
	free(out);
	out = NULL;

	/* The matching credential has expired: a warning, then the failure. */
	rc = run(&out, "token", "--pfx", pfx, "--snapshot", snap2, NULL);
	assert_int_equal(rc, EXIT_FAIL);
	assert_non_null(strstr(out, "verifies the actor token, but the key "
	    "credential has expired"));
	assert_non_null(strstr(out, "credential ends: 2020-01-01T00:00:00Z, "
	    "expired"));
	assert_non_null(strstr(out, "the Entra key credential holding this key "
	    "pair has expired, and no current one does"));
	assert_non_null(strstr(out, "remedy: authcert.upload"));
	free(out);
	out = NULL;

	/* The same certificate on both objects: two credentials, two passes. */
	rc = run(&out, "token", "--pfx", pfx, "--snapshot", snap3, "--format",
	    "json", NULL);
	assert_int_equal(rc, EXIT_OK);
	assert_non_null(strstr(out, "'sp-cred' on the service principal"));
	assert_non_null(strstr(out, "'app-cred' on the hybrid application"));
	free(out);
	out = NULL;

	/* A token of another tenant against the snapshot's tenant. */
	rc = run(&out, "token", tok, "--snapshot", snap, NULL);
	assert_int_equal(rc, EXIT_FAIL);
	assert_non_null(strstr(out, "issued for realm '11111111-2222-3333-4444-"
	    "555555555555', but the tenant is 72416f3c-199e-43f6-9bb5-"
	    "29f4a10665d5"));
	assert_non_null(strstr(out, "tenant from: snapshot"));
	free(out);
	free(tok);
	free(snap);
	free(snap2);
	free(snap3);
	free(pfx);
}

/* Without a tenant the proof is signed for realm '*', and says so. */
static void
test_proof_realm(void **state)
{
	char *pfx = write_pfx("b.pfx", key_b, der_b, len_b, NULL);
	char *out = NULL;
	int rc;

	(void)state;
	unsetenv("HYBRIDCHECK_PFX_PASSWORD");
	rc = run(&out, "token", "--pfx", pfx, "--format", "json", NULL);
	assert_int_equal(rc, EXIT_WARN);
	assert_non_null(strstr(out, "* (no tenant known; '*' is what Exchange's "
	    "own metadata names"));
	free(out);
	out = NULL;
	rc = run(&out, "token", "--pfx", pfx, "--tenant", TID, "--format",
	    "json", NULL);
	assert_non_null(strstr(out, TID " (from --tenant)"));
	free(out);
	free(pfx);
}

/* Credentials keep duplicates (other objects) and judge their own end. */
static void
test_keyset_credential(void **state)
{
	struct token_keyset ks = { 0 };
	struct hcerr e = { "" };

	(void)state;
	assert_int_equal(token_keyset_add_credential(&ks, der_b, len_b, "sp",
	    "service principal", now - 10, &e), 0);
	assert_int_equal(token_keyset_add_credential(&ks, der_b, len_b, "app",
	    "hybrid application", 0, &e), 0);
	assert_int_equal(ks.n, 2);
	assert_string_equal(ks.v[1].object, "hybrid application");
	assert_true(token_key_expired(&ks.v[0], now));
	/* Unknown end: the certificate's own (a year from now). */
	assert_false(token_key_expired(&ks.v[1], now));
	assert_int_equal(token_keyset_add_credential(&ks, (const unsigned char *)
	    "junk", 4, "bad", "x", 0, &e), -1);
	assert_int_equal(ks.n, 2);
	/* The plain keyset still keeps one copy. */
	assert_int_equal(token_keyset_add(&ks, der_b, len_b, "again", &e), 0);
	assert_int_equal(ks.n, 2);
	token_keyset_release(&ks);
}

/*
 * A --cert that is a password-protected PFX, opened on a terminal: the
 * password is asked once. The command runs in a child whose controlling
 * terminal is a pseudo-terminal; the parent answers each prompt.
 */
static void
test_pfx_prompt_once(void **state)
{
	char *pfx = write_pfx("b-pw.pfx", key_b, der_b, len_b, "s3cret-pw");
	char buf[4096], seen[16384] = "";
	size_t seen_len = 0;
	int master, status = 0, prompts = 0;
	pid_t pid;

	(void)state;
	unsetenv("HYBRIDCHECK_PFX_PASSWORD");
	pid = forkpty(&master, NULL, NULL, NULL);
	assert_true(pid != -1);
	if (pid == 0) {
		char *out = NULL;
		int rc;

		alarm(20);
		rc = run(&out, "token", "--cert", pfx, "--tenant", TID, NULL);
		/* Only the exit code leaves the child. */
		_exit(rc == EXIT_OK && out != NULL &&
		    strstr(out, "verifies the actor token") != NULL ? 0 : 10 + rc);
	}
	for (;;) {
		struct pollfd p = { master, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 20000) <= 0)
			break;
		if ((n = read(master, buf, sizeof(buf) - 1)) <= 0)
			break;	/* EIO once the child has gone */
		buf[n] = '\0';
		if (seen_len + (size_t)n < sizeof(seen)) {
			memcpy(seen + seen_len, buf, (size_t)n + 1);
			seen_len += (size_t)n;
		}
		/* Each prompt answered as it appears. */
		while (prompts < 5) {
			char *at = seen;
			int count = 0;

			while ((at = strstr(at, "password for PFX")) != NULL) {
				count++;
				at++;
			}
			if (count <= prompts)
				break;
			prompts++;
			/*
			 * Typed once echo is off: the prompt flushes what came
			 * before (TCSAFLUSH), as a terminal would lose it.
			 */
			for (int w = 0; w < 200; w++) {
				struct termios tio;

				if (tcgetattr(master, &tio) == 0 &&
				    !(tio.c_lflag & ECHO))
					break;
				usleep(10000);
			}
			usleep(20000);
			assert_int_equal(write(master, "s3cret-pw\n", 10), 10);
		}
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(master);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		print_message("terminal: %s\nstatus %d\n", seen, status);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(prompts, 1);
	free(pfx);
}

/* The token command plans only tenant discovery and the ACS metadata. */
static void
test_tenant_plan(void **state)
{
	struct cloud_set clouds = { 0 };
	struct probe_results r = { 0 };
	struct hcerr e = { "" };
	const struct cloud *china;

	(void)state;
	assert_int_equal(cloud_set_load_embedded(&clouds, &e), 0);
	probe_plan_tenant(&r, &clouds, NULL, "contoso.com");
	assert_true(r.n >= 6);	/* two a cloud; GCC High and DoD share URLs */
	for (size_t i = 0; i < r.n; i++)
		assert_true(r.v[i]->kind == PROBE_OPENID || r.v[i]->kind == PROBE_ACS);
	assert_null(r.srv_name);
	assert_int_equal(r.onprem_hosts.n, 0);
	probe_results_release(&r);

	china = cloud_find(&clouds, "china");
	probe_plan_tenant(&r, &clouds, china, "contoso.cn");
	assert_int_equal(r.n, 2);
	assert_non_null(strstr(probe_for_cloud(&r, PROBE_ACS, china,
	    "contoso.cn")->url, "accounts.accesscontrol.chinacloudapi.cn/"
	    "contoso.cn/metadata/json/1"));
	probe_results_release(&r);
	cloud_set_release(&clouds);
}

/* The metadata cannot be fetched: a note on the verdict, not an input error. */
static void
test_live_metadata_unreachable(void **state)
{
	char *tok = acs_token(key_a, x5t_a, now - 60, now + 3600,
	    "outlook.office365.com", TID);
	char *out = NULL;
	int rc;

	(void)state;
	/* Port 9 on loopback answers no DNS query. */
	rc = run(&out, "token", tok, "--domain", "contoso.com", "--cloud",
	    "global", "--dns-server", "127.0.0.1:9", "--timeout", "2", NULL);
	assert_int_equal(rc, EXIT_FAIL);
	assert_non_null(strstr(out, "key not loaded: ACS metadata https://"
	    "accounts.accesscontrol.windows.net/contoso.com/metadata/json/1: "));
	free(out);
	out = NULL;
	/* --offline asks nothing. */
	rc = run(&out, "token", tok, "--domain", "contoso.com", "--cloud",
	    "global", "--dns-server", "127.0.0.1:9", "--offline", NULL);
	assert_int_equal(rc, EXIT_FAIL);
	assert_null(strstr(out, "key not loaded"));
	assert_non_null(strstr(out, "hint: no signing keys were given"));
	free(out);
	free(tok);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_acs_token),
		cmocka_unit_test(test_lifetime),
		cmocka_unit_test(test_string_times_and_missing_exp),
		cmocka_unit_test(test_times_out_of_range),
		cmocka_unit_test(test_tampered_payload),
		cmocka_unit_test(test_alg_none),
		cmocka_unit_test(test_unknown_key_and_wrong_key),
		cmocka_unit_test(test_hs256_confusion),
		cmocka_unit_test(test_key_type_must_match),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_oversize),
		cmocka_unit_test(test_padding_bearer_and_whitespace),
		cmocka_unit_test(test_padded_signed_token),
		cmocka_unit_test(test_outer_token_with_actor),
		cmocka_unit_test(test_actort),
		cmocka_unit_test(test_entra_token),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_sign_actor),
		cmocka_unit_test(test_keyset),
		cmocka_unit_test(test_name_parse),
		cmocka_unit_test(test_command_outer_token),
		cmocka_unit_test(test_command_errors),
		cmocka_unit_test(test_preflight_skips),
		cmocka_unit_test(test_keypair_check),
		cmocka_unit_test(test_command_keypair),
		cmocka_unit_test(test_command_cert_and_spn),
		cmocka_unit_test(test_command_metadata),
		cmocka_unit_test(test_command_snapshot),
		cmocka_unit_test(test_proof_realm),
		cmocka_unit_test(test_keyset_credential),
		cmocka_unit_test(test_pfx_prompt_once),
		cmocka_unit_test(test_tenant_plan),
		cmocka_unit_test(test_live_metadata_unreachable),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
