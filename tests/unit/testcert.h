/*
 * Certificates made at test time (never committed): a key and an X.509
 * certificate with the properties a test needs. Header-only so each test
 * executable can include it.
 */
#ifndef HC_TESTCERT_H
#define HC_TESTCERT_H

#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

struct tc_opts {
	const char	*cn;
	const char	*sans;		/* "DNS:a.example,DNS:b.example" or NULL */
	long		 from;		/* seconds from now (negative: past) */
	long		 to;
	const char	*eku;		/* "serverAuth", "clientAuth" or NULL */
	int		 bits;		/* RSA bits, 2048 by default */
	int		 ca;		/* basicConstraints CA:TRUE */
	X509		*issuer;	/* NULL: self-signed */
	EVP_PKEY	*issuer_key;
};

static inline EVP_PKEY *
tc_key(int bits)
{
	return EVP_RSA_gen(bits ? (unsigned)bits : 2048);
}

static inline void
tc_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&v3, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
}

/* Makes a certificate for key; the caller frees it. */
static inline X509 *
tc_cert(EVP_PKEY *key, const struct tc_opts *o)
{
	static long serial = 1;
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();
	long from = o->from, to = o->to ? o->to : 365L * 86400;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
	    (const unsigned char *)o->cn, -1, -1, 0);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, o->issuer ? X509_get_subject_name(o->issuer) : n);
	X509_gmtime_adj(X509_getm_notBefore(x), from ? from : -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), to);
	X509_set_pubkey(x, key);
	if (o->sans)
		tc_ext(x, o->issuer ? o->issuer : x, NID_subject_alt_name, o->sans);
	if (o->eku)
		tc_ext(x, o->issuer ? o->issuer : x, NID_ext_key_usage, o->eku);
	if (o->ca)
		tc_ext(x, x, NID_basic_constraints, "critical,CA:TRUE");
	X509_sign(x, o->issuer_key ? o->issuer_key : key, EVP_sha256());
	X509_NAME_free(n);
	return x;
}

/* DER bytes of x; the caller frees them with OPENSSL_free. */
static inline unsigned char *
tc_der(X509 *x, size_t *len)
{
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);

	*len = n > 0 ? (size_t)n : 0;
	return der;
}

/* Standard base64 of DER, NUL-terminated; the caller frees. */
static inline char *
tc_b64(X509 *x)
{
	size_t len;
	unsigned char *der = tc_der(x, &len);
	char *out = malloc(len * 4 / 3 + 8);

	EVP_EncodeBlock((unsigned char *)out, der, (int)len);
	OPENSSL_free(der);
	return out;
}

/* x5t: base64url of the DER's SHA-1, no padding; the caller frees. */
static inline char *
tc_x5t(X509 *x)
{
	size_t len;
	unsigned char *der = tc_der(x, &len), md[20];
	char *out = malloc(32);
	size_t n;

	SHA1(der, len, md);
	OPENSSL_free(der);
	EVP_EncodeBlock((unsigned char *)out, md, 20);
	for (n = 0; out[n] != '\0' && out[n] != '='; n++)
		out[n] = out[n] == '+' ? '-' : out[n] == '/' ? '_' : out[n];
	out[n] = '\0';
	return out;
}

#endif
