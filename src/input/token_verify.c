/*
 * Token keys, signatures and signing: the certificates that may have signed
 * a token, the RS256 check through libjwt (with what libjwt 1.x lets
 * through refused first), and the self-issued actor token of the key-pair
 * proof. Decoding and explaining live in token.c.
 */
#include "msid.h"
#include "token.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include "b64.h"
#include "str.h"

static time_t
asn1_time(const ASN1_TIME *a)
{
	struct tm tm;

	if (a == NULL || ASN1_TIME_to_tm(a, &tm) != 1)
		return 0;
	return timegm(&tm);
}

static struct token_key *
keyset_add(struct token_keyset *ks, const unsigned char *der, size_t len,
    const char *source, int dedup, struct hcerr *e)
{
	const unsigned char *p = der;
	X509 *x = NULL;
	EVP_PKEY *pk;
	BIO *bio = NULL;
	unsigned char sha[SHA_DIGEST_LENGTH];
	struct token_key *k;
	char *mem;
	long n;

	if (len > 1024 * 1024 || (x = d2i_X509(NULL, &p, (long)len)) == NULL ||
	    p != der + len) {
		hcerr_set(e, "%s: not an X.509 certificate (DER)", source);
		X509_free(x);
		return NULL;
	}
	SHA1(der, len, sha);
	for (size_t i = 0; dedup && i < ks->n; i++)
		if (ks->v[i].der_len == len && memcmp(ks->v[i].der, der, len) == 0) {
			X509_free(x);
			return &ks->v[i];
		}
	ks->v = xrealloc(ks->v, (ks->n + 1) * sizeof(*ks->v));
	k = &ks->v[ks->n++];
	memset(k, 0, sizeof(*k));
	k->source = xstrdup(source);
	k->der = xmalloc(len);
	memcpy(k->der, der, len);
	k->der_len = len;
	token_hex(sha, sizeof(sha), k->thumbprint);
	b64url_encode(sha, sizeof(sha), k->x5t, sizeof(k->x5t));
	k->not_before = asn1_time(X509_get0_notBefore(x));
	k->not_after = asn1_time(X509_get0_notAfter(x));
	if ((pk = X509_get0_pubkey(x)) != NULL) {
		int id = EVP_PKEY_get_base_id(pk);

		snprintf(k->key_type, sizeof(k->key_type), "%s",
		    id == EVP_PKEY_RSA ? "RSA" : id == EVP_PKEY_EC ? "EC" :
		    OBJ_nid2sn(id) ? OBJ_nid2sn(id) : "unknown");
	}
	if ((bio = BIO_new(BIO_s_mem())) != NULL &&
	    X509_NAME_print_ex(bio, X509_get_subject_name(x), 0,
	    XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
	    (n = BIO_get_mem_data(bio, &mem)) >= 0) {
		char *raw = xstrndup(mem, (size_t)n);

		k->subject = str_clean_text(raw);
		free(raw);
	} else
		k->subject = xstrdup("");
	BIO_free(bio);
	X509_free(x);
	return k;
}

int
token_keyset_add(struct token_keyset *ks, const unsigned char *der, size_t len,
    const char *source, struct hcerr *e)
{
	return keyset_add(ks, der, len, source, 1, e) ? 0 : -1;
}

int
token_keyset_add_credential(struct token_keyset *ks, const unsigned char *der,
    size_t len, const char *source, const char *object, time_t end,
    struct hcerr *e)
{
	struct token_key *k;

	if ((k = keyset_add(ks, der, len, source, 0, e)) == NULL)
		return -1;
	k->object = object ? xstrdup(object) : NULL;
	k->cred_end = end;
	return 0;
}

int
token_key_expired(const struct token_key *k, time_t now)
{
	return now > (k->cred_end != 0 ? k->cred_end : k->not_after);
}

void
token_keyset_release(struct token_keyset *ks)
{
	if (ks == NULL)
		return;
	for (size_t i = 0; i < ks->n; i++) {
		free(ks->v[i].source);
		free(ks->v[i].der);
		free(ks->v[i].subject);
		free(ks->v[i].object);
	}
	free(ks->v);
	memset(ks, 0, sizeof(*ks));
}

/* x5t without padding equals the key's; kid may also be a hex thumbprint. */
static int
names_key(const char *id, const struct token_key *k)
{
	size_t n;

	if (id == NULL)
		return 0;
	n = strlen(id);
	while (n > 0 && id[n - 1] == '=')
		n--;
	if (n == strlen(k->x5t) && strncmp(id, k->x5t, n) == 0)
		return 1;
	return str_caseeq(id, k->thumbprint);
}

const struct token_key *
token_keyset_find(const struct token_keyset *ks, const struct token *t)
{
	for (size_t i = 0; ks != NULL && i < ks->n; i++)
		if (names_key(t->x5t, &ks->v[i]) || names_key(t->kid, &ks->v[i]))
			return &ks->v[i];
	return NULL;
}

const char *
token_sig_name(enum token_sig s)
{
	switch (s) {
	case TOKEN_SIG_VALID:
		return "valid";
	case TOKEN_SIG_UNSIGNED:
		return "unsigned";
	case TOKEN_SIG_NO_KEY_ID:
		return "no key id";
	case TOKEN_SIG_UNKNOWN_KEY:
		return "unknown key";
	case TOKEN_SIG_BAD_ALG:
		return "bad algorithm";
	case TOKEN_SIG_INVALID:
		return "invalid";
	}
	return "unknown";
}

static enum token_sig
sig_result(struct token_sigcheck *r, enum token_sig s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum token_sig
sig_result(struct token_sigcheck *r, enum token_sig s, const char *fmt, ...)
{
	va_list ap;

	r->status = s;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	return s;
}

/*
 * What libjwt 1.x does not refuse on its own: alg none is skipped rather
 * than verified, a token is "valid" when no key is given, and an HS* token
 * verifies with a public key's PEM used as the HMAC secret. So the alg is
 * judged here first, and only RS* with an RSA key ever reaches jwt_decode.
 */
static enum token_sig
check_alg(const struct token *t, jwt_alg_t *alg, struct token_sigcheck *r)
{
	if (t->alg == NULL)
		return sig_result(r, TOKEN_SIG_BAD_ALG, "the header has no alg");
	if (str_caseeq(t->alg, "none")) {
		if (t->sig_len > 0)
			return sig_result(r, TOKEN_SIG_UNSIGNED, "alg is none, yet a "
			    "signature part of %zu bytes follows; an unsigned token "
			    "is never accepted where a signature is required",
			    t->sig_len);
		return sig_result(r, TOKEN_SIG_UNSIGNED, "alg is none: the token "
		    "is unsigned, and is never accepted where a signature is "
		    "required");
	}
	if (strcmp(t->alg, "RS256") == 0)
		*alg = JWT_ALG_RS256;
	else if (strcmp(t->alg, "RS384") == 0)
		*alg = JWT_ALG_RS384;
	else if (strcmp(t->alg, "RS512") == 0)
		*alg = JWT_ALG_RS512;
	else if (strncmp(t->alg, "HS", 2) == 0)
		return sig_result(r, TOKEN_SIG_BAD_ALG, "alg %s is a shared-secret "
		    "HMAC: ACS and Exchange sign with RS256, and an HMAC checked "
		    "with a public key is the algorithm-confusion attack", t->alg);
	else
		return sig_result(r, TOKEN_SIG_BAD_ALG, "alg %s, expected RS256 "
		    "(ACS and Exchange sign with RSA and SHA-256)", t->alg);
	if (t->sig_len == 0)
		return sig_result(r, TOKEN_SIG_INVALID, "alg %s but the signature "
		    "part is empty", t->alg);
	return TOKEN_SIG_VALID;
}

enum token_sig
token_verify_key(const struct token *t, const struct token_key *k,
    struct token_sigcheck *r)
{
	const unsigned char *p = k->der;
	X509 *x = NULL;
	EVP_PKEY *pk;
	BIO *bio = NULL;
	jwt_t *j = NULL;
	jwt_alg_t alg = JWT_ALG_NONE;
	char *pem;
	long pem_len;
	int err;
	enum token_sig s;

	memset(r, 0, sizeof(*r));
	r->key = k;
	if ((s = check_alg(t, &alg, r)) != TOKEN_SIG_VALID)
		return s;
	if ((x = d2i_X509(NULL, &p, (long)k->der_len)) == NULL ||
	    (pk = X509_get0_pubkey(x)) == NULL) {
		s = sig_result(r, TOKEN_SIG_BAD_ALG, "%s: no public key readable",
		    k->source);
		goto out;
	}
	if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA) {
		s = sig_result(r, TOKEN_SIG_BAD_ALG, "alg %s needs an RSA key, but "
		    "%s holds an %s key", t->alg, k->source, k->key_type);
		goto out;
	}
	/* Can libjwt read the token at all? Without a key it only parses. */
	if ((err = jwt_decode(&j, t->compact, NULL, 0)) != 0) {
		s = sig_result(r, TOKEN_SIG_INVALID, "libjwt cannot read the "
		    "token (%s)", strerror(err));
		goto out;
	}
	jwt_free(j);
	j = NULL;
	if ((bio = BIO_new(BIO_s_mem())) == NULL ||
	    PEM_write_bio_PUBKEY(bio, pk) != 1 ||
	    (pem_len = BIO_get_mem_data(bio, &pem)) <= 0) {
		s = sig_result(r, TOKEN_SIG_BAD_ALG, "%s: cannot write the public "
		    "key as PEM", k->source);
		goto out;
	}
	if (jwt_decode(&j, t->compact, (const unsigned char *)pem,
	    (int)pem_len) != 0) {
		s = sig_result(r, TOKEN_SIG_INVALID, "the %s signature does not "
		    "match the token's content with the key of %s (thumbprint %s): "
		    "the token was altered or signed by another key", t->alg,
		    k->source, k->thumbprint);
		goto out;
	}
	if (jwt_get_alg(j) != alg) {
		s = sig_result(r, TOKEN_SIG_BAD_ALG, "libjwt verified with %s, "
		    "but the header says %s", jwt_alg_str(jwt_get_alg(j)), t->alg);
		goto out;
	}
	s = sig_result(r, TOKEN_SIG_VALID, "%s signature verified with %s "
	    "(thumbprint %s)", t->alg, k->source, k->thumbprint);
out:
	jwt_free(j);
	BIO_free(bio);
	X509_free(x);
	return s;
}

enum token_sig
token_verify(const struct token *t, const struct token_keyset *ks,
    struct token_sigcheck *r)
{
	const struct token_key *k;
	jwt_alg_t alg;
	enum token_sig s;
	char hex[41];

	memset(r, 0, sizeof(*r));
	if ((s = check_alg(t, &alg, r)) != TOKEN_SIG_VALID)
		return s;
	if (t->x5t == NULL && t->kid == NULL)
		return sig_result(r, TOKEN_SIG_NO_KEY_ID, "the header names no key "
		    "(neither x5t nor kid)");
	if ((k = token_keyset_find(ks, t)) == NULL) {
		const char *id = t->x5t ? t->x5t : t->kid;

		if (token_x5t_hex(id, hex))
			return sig_result(r, TOKEN_SIG_UNKNOWN_KEY, "%s '%s' "
			    "(thumbprint %s) names none of the %zu key%s known",
			    t->x5t ? "x5t" : "kid", id, hex, ks ? ks->n : 0,
			    ks && ks->n == 1 ? "" : "s");
		return sig_result(r, TOKEN_SIG_UNKNOWN_KEY, "%s '%s' names none "
		    "of the %zu key%s known", t->x5t ? "x5t" : "kid", id,
		    ks ? ks->n : 0, ks && ks->n == 1 ? "" : "s");
	}
	return token_verify_key(t, k, r);
}

char *
token_sign_actor(EVP_PKEY *key, const unsigned char *cert_der, size_t der_len,
    const char *host, const char *realm, time_t now, long lifetime,
    struct hcerr *e)
{
	unsigned char sha[SHA_DIGEST_LENGTH];
	char x5t[32], *aud = NULL, *iss = NULL, *tok = NULL, *ret = NULL;
	BIO *bio = NULL;
	jwt_t *j = NULL;
	char *pem;
	long pem_len;

	if (key == NULL || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
		hcerr_set(e, "cannot sign an actor token: the private key is not "
		    "RSA (MS-XOAUTH actor tokens are RS256)");
		return NULL;
	}
	SHA1(cert_der, der_len, sha);
	b64url_encode(sha, sizeof(sha), x5t, sizeof(x5t));
	aud = xasprintf("%s/%s@%s", MSID_EXO_APP, host, realm);
	iss = xasprintf("%s@%s", MSID_EXO_APP, realm);
	/* Secure memory where OpenSSL has it; cleansed when freed either way. */
	if ((bio = BIO_new(BIO_s_secmem())) == NULL ||
	    PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) != 1 ||
	    (pem_len = BIO_get_mem_data(bio, &pem)) <= 0) {
		hcerr_set(e, "cannot sign an actor token: the private key cannot "
		    "be written for libjwt");
		goto out;
	}
	if (jwt_new(&j) != 0 ||
	    jwt_add_header(j, "x5t", x5t) != 0 ||
	    jwt_add_grant(j, "aud", aud) != 0 ||
	    jwt_add_grant(j, "iss", iss) != 0 ||
	    jwt_add_grant(j, "nameid", iss) != 0 ||
	    jwt_add_grant_int(j, "nbf", (long)now) != 0 ||
	    jwt_add_grant_int(j, "exp", (long)(now + lifetime)) != 0 ||
	    jwt_set_alg(j, JWT_ALG_RS256, (const unsigned char *)pem,
	    (int)pem_len) != 0) {
		hcerr_set(e, "cannot sign an actor token: libjwt refused the "
		    "claims or the key");
		goto out;
	}
	if ((tok = jwt_encode_str(j)) == NULL) {
		hcerr_set(e, "cannot sign an actor token: libjwt could not sign");
		goto out;
	}
	ret = xstrdup(tok);
out:
	free(tok);
	jwt_free(j);	/* libjwt wipes its copy of the key */
	BIO_free(bio);	/* a secure-memory BIO is cleansed on free */
	free(aud);
	free(iss);
	return ret;
}
