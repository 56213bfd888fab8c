/*
 * The Exchange Auth certificate from whatever file the administrator has.
 * The format is found from the bytes: ExportAuthCert.ps1 writes DER under
 * a .cer name, people rename PEM files to .cer, and the upload script's
 * $credValue lands in text files written by Out-File as UTF-16.
 */
#include "cert.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>

#include "text.h"
#include "b64.h"
#include "str.h"
#include "buf.h"
#include "file.h"

#define CERT_FILE_MAX	(1024 * 1024)	/* an Auth certificate is ~1 KiB; a PFX a few */
#define NEED_PASSWORD	(-2)
#define PROMPT_MAX	1024	/* characters a password typed at the prompt may have */
#define PROMPT_TOO_LONG	(-2)

static const char expected[] =
    "expected a certificate: DER (.cer), PEM, the base64 of a DER "
    "certificate, or PFX (PKCS#12)";

/* The last OpenSSL error as text, for messages; clears the queue. */
static const char *
ossl_reason(void)
{
	static char buf[160];
	unsigned long code = ERR_peek_last_error();

	if (code == 0)
		snprintf(buf, sizeof(buf), "unknown error");
	else
		ERR_error_string_n(code, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

static void
hex_upper(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/*
 * Decodes base64 (standard or URL alphabet), ignoring whitespace and the
 * quotes a copy from a script leaves around it. Returns the byte count, or
 * -1 with *bad at the first offending character.
 */
static long
b64_decode(const char *s, unsigned char **out, const char **bad)
{
	size_t n = strlen(s), used = 0;
	unsigned char *dst = xmalloc(n / 4 * 3 + 4);
	unsigned long acc = 0;
	int bits = 0, pad = 0;

	*bad = NULL;
	for (const char *p = s; *p; p++) {
		int v;

		if (isspace((unsigned char)*p) || *p == '"' || *p == '\'')
			continue;
		if (*p == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = b64_value((unsigned char)*p)) == -1) {
			*bad = p;
			free(dst);
			return -1;
		}
		acc = (acc << 6) | (unsigned long)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			dst[used++] = (unsigned char)(acc >> bits);
			acc &= (1ul << bits) - 1;
		}
	}
	*out = dst;
	return (long)used;
}

static char *
name_text(const X509_NAME *name)
{
	BIO *bio = BIO_new(BIO_s_mem());
	unsigned long flags = (XN_FLAG_RFC2253 & ~XN_FLAG_SEP_MASK &
	    ~ASN1_STRFLGS_ESC_MSB) | XN_FLAG_SEP_CPLUS_SPC;
	char *p = NULL, *s, *clean;
	long n;

	if (bio == NULL)
		return xstrdup("");
	X509_NAME_print_ex(bio, name, 0, flags);
	n = BIO_get_mem_data(bio, &p);
	s = xstrndup(p != NULL ? p : "", n > 0 ? (size_t)n : 0);
	BIO_free(bio);
	clean = str_clean_text(s);
	free(s);
	return clean;
}

static time_t
asn1_time(const ASN1_TIME *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return (time_t)-1;
	return timegm(&tm);
}

/* What the Windows certificate dialog and Get-ExchangeCertificate call it. */
static const char *
windows_sig_name(int nid)
{
	switch (nid) {
	case NID_sha1WithRSAEncryption:
		return "sha1RSA";
	case NID_sha256WithRSAEncryption:
		return "sha256RSA";
	case NID_sha384WithRSAEncryption:
		return "sha384RSA";
	case NID_sha512WithRSAEncryption:
		return "sha512RSA";
	case NID_md5WithRSAEncryption:
		return "md5RSA";
	case NID_rsassaPss:
		return "RSASSA-PSS";
	case NID_ecdsa_with_SHA256:
		return "sha256ECDSA";
	case NID_ecdsa_with_SHA384:
		return "sha384ECDSA";
	case NID_ecdsa_with_SHA512:
		return "sha512ECDSA";
	}
	return NULL;
}

/* Fills the facts from x, which the result takes over. */
static struct authcert *
cert_facts(X509 *x, const char *source, enum cert_format fmt, int has_key)
{
	struct authcert *c = xcalloc(1, sizeof(*c));
	unsigned char md[EVP_MAX_MD_SIZE], *p;
	unsigned int mdlen;
	EVP_PKEY *pk;
	BIGNUM *bn;
	int len, nid;

	c->x509 = x;
	c->format = fmt;
	c->has_private_key = has_key;
	c->source = xstrdup(source != NULL ? source : "");

	len = i2d_X509(x, NULL);
	c->der_len = len > 0 ? (size_t)len : 0;
	c->der = xmalloc(c->der_len + 1);
	p = c->der;
	if (len > 0)
		i2d_X509(x, &p);

	EVP_Digest(c->der, c->der_len, md, &mdlen, EVP_sha1(), NULL);
	hex_upper(md, mdlen, c->thumbprint);
	b64url_encode(md, mdlen, c->x5t, sizeof(c->x5t));
	EVP_Digest(c->der, c->der_len, md, &mdlen, EVP_sha256(), NULL);
	hex_upper(md, mdlen, c->sha256);

	c->subject = name_text(X509_get_subject_name(x));
	c->issuer = name_text(X509_get_issuer_name(x));
	if ((bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL)) != NULL) {
		char *hex = BN_bn2hex(bn);

		c->serial = xstrdup(hex != NULL ? hex : "");
		OPENSSL_free(hex);
		BN_free(bn);
	} else
		c->serial = xstrdup("");
	c->not_before = asn1_time(X509_get0_notBefore(x));
	c->not_after = asn1_time(X509_get0_notAfter(x));

	snprintf(c->key_type, sizeof(c->key_type), "unknown");
	if ((pk = X509_get0_pubkey(x)) != NULL) {
		switch (EVP_PKEY_get_base_id(pk)) {
		case EVP_PKEY_RSA:
			snprintf(c->key_type, sizeof(c->key_type), "RSA");
			break;
		case EVP_PKEY_RSA_PSS:
			snprintf(c->key_type, sizeof(c->key_type), "RSA-PSS");
			break;
		case EVP_PKEY_EC:
			snprintf(c->key_type, sizeof(c->key_type), "EC");
			break;
		case EVP_PKEY_DSA:
			snprintf(c->key_type, sizeof(c->key_type), "DSA");
			break;
		case EVP_PKEY_ED25519:
			snprintf(c->key_type, sizeof(c->key_type), "Ed25519");
			break;
		case EVP_PKEY_ED448:
			snprintf(c->key_type, sizeof(c->key_type), "Ed448");
			break;
		}
		c->key_bits = EVP_PKEY_get_bits(pk);
	}
	nid = X509_get_signature_nid(x);
	c->sig_alg = xstrdup(nid != NID_undef ? OBJ_nid2ln(nid) : "unknown");
	c->sig_alg_windows = windows_sig_name(nid);
	c->self_signed = X509_self_signed(x, 0) == 1;
	ERR_clear_error();
	return c;
}

/* A DER certificate, allowing the padding some tools leave after it. */
static X509 *
der_x509(const unsigned char *data, size_t len)
{
	const unsigned char *p = data;
	X509 *x = d2i_X509(NULL, &p, (long)len);

	if (x == NULL) {
		ERR_clear_error();
		return NULL;
	}
	for (; p < data + len; p++)
		if (*p != 0 && !isspace(*p)) {
			X509_free(x);
			return NULL;
		}
	return x;
}

/* Legacy PFX ciphers (RC2, 3DES from older Windows) live in OpenSSL 3's legacy provider. */
static OSSL_PROVIDER *legacy_prov, *default_prov;

static void
unload_legacy(void)
{
	OSSL_PROVIDER_unload(legacy_prov);
	OSSL_PROVIDER_unload(default_prov);
	legacy_prov = default_prov = NULL;
}

static int
load_legacy(void)
{
	static int tried;

	if (!tried) {
		tried = 1;
		/* Loading one provider explicitly disables the implicit default. */
		legacy_prov = OSSL_PROVIDER_load(NULL, "legacy");
		default_prov = OSSL_PROVIDER_load(NULL, "default");
		ERR_clear_error();
		atexit(unload_legacy);
	}
	return legacy_prov != NULL && default_prov != NULL;
}

/*
 * The work a PFX may ask for. Each key derivation runs its iteration
 * count; a file asking for 2^31 keeps the run busy for minutes, with or
 * without a password. Real files ask for a few thousand (OpenSSL 2048,
 * Windows 2000); the cap leaves room for any hardened export.
 */
#define PFX_ITER_MAX	10000000ULL
#define PFX_SCRYPT_N_MAX	(1ULL << 20)

static int
pfx_iter_ok(const ASN1_INTEGER *i, const char *what, const char *source,
    struct hcerr *e)
{
	uint64_t n = 0;

	if (i == NULL)
		return 0;
	if (ASN1_INTEGER_get_uint64(&n, i) != 1 || n > PFX_ITER_MAX) {
		ERR_clear_error();
		if (ASN1_INTEGER_get_uint64(&n, i) != 1) {
			ERR_clear_error();
			hcerr_set(e, "PFX '%s': its %s asks for an iteration count "
			    "that is negative or over 2^64, more than the %llu "
			    "this tool runs: refused unread", source, what,
			    PFX_ITER_MAX);
		} else
			hcerr_set(e, "PFX '%s': its %s asks for %llu iterations, "
			    "more than the %llu this tool runs (real files ask "
			    "for a few thousand): refused unread", source, what,
			    (unsigned long long)n, PFX_ITER_MAX);
		return -1;
	}
	return 0;
}

/* The key derivation of one encryption algorithm (PKCS#12 PBE or PBES2). */
static int
pfx_algor_ok(const X509_ALGOR *alg, const char *what, const char *source,
    struct hcerr *e)
{
	const ASN1_OBJECT *obj;
	const void *pval;
	int ptype, rc = 0;

	if (alg == NULL)
		return 0;
	X509_ALGOR_get0(&obj, &ptype, &pval, alg);
	if (ptype != V_ASN1_SEQUENCE || pval == NULL)
		return 0;
	if (OBJ_obj2nid(obj) == NID_pbes2) {
		PBE2PARAM *p2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM),
		    (const ASN1_TYPE *)alg->parameter);
		const ASN1_OBJECT *kobj;
		int knid;

		if (p2 == NULL || p2->keyfunc == NULL)
			goto p2_done;
		X509_ALGOR_get0(&kobj, NULL, NULL, p2->keyfunc);
		knid = OBJ_obj2nid(kobj);
		if (knid == NID_id_pbkdf2) {
			PBKDF2PARAM *k = ASN1_TYPE_unpack_sequence(
			    ASN1_ITEM_rptr(PBKDF2PARAM), p2->keyfunc->parameter);

			if (k != NULL)
				rc = pfx_iter_ok(k->iter, what, source, e);
			PBKDF2PARAM_free(k);
		} else if (knid == NID_id_scrypt) {
			SCRYPT_PARAMS *k = ASN1_TYPE_unpack_sequence(
			    ASN1_ITEM_rptr(SCRYPT_PARAMS), p2->keyfunc->parameter);
			uint64_t n = 0;

			if (k != NULL && (ASN1_INTEGER_get_uint64(&n,
			    k->costParameter) != 1 || n > PFX_SCRYPT_N_MAX)) {
				hcerr_set(e, "PFX '%s': its %s asks for an scrypt "
				    "cost over %llu: refused unread", source, what,
				    PFX_SCRYPT_N_MAX);
				rc = -1;
			}
			SCRYPT_PARAMS_free(k);
		}
p2_done:
		PBE2PARAM_free(p2);
	} else {
		PBEPARAM *pp = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBEPARAM),
		    (const ASN1_TYPE *)alg->parameter);

		if (pp != NULL)
			rc = pfx_iter_ok(pp->iter, what, source, e);
		PBEPARAM_free(pp);
	}
	ERR_clear_error();
	return rc;
}

static int
pfx_bags_ok(const STACK_OF(PKCS12_SAFEBAG) *bags, const char *source,
    int depth, struct hcerr *e)
{
	for (int i = 0; i < sk_PKCS12_SAFEBAG_num(bags); i++) {
		const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, i);
		int nid = PKCS12_SAFEBAG_get_nid(bag);

		if (nid == NID_pkcs8ShroudedKeyBag) {
			const X509_SIG *sig = PKCS12_SAFEBAG_get0_pkcs8(bag);
			const X509_ALGOR *alg = NULL;

			if (sig != NULL)
				X509_SIG_get0(sig, &alg, NULL);
			if (pfx_algor_ok(alg, "private key's encryption",
			    source, e) == -1)
				return -1;
		} else if (nid == NID_safeContentsBag) {
			if (depth >= 8) {
				hcerr_set(e, "PFX '%s': bags nested more than 8 "
				    "deep: refused unread", source);
				return -1;
			}
			if (pfx_bags_ok(PKCS12_SAFEBAG_get0_safes(bag), source,
			    depth + 1, e) == -1)
				return -1;
		}
	}
	return 0;
}

/*
 * Every iteration count in the file, read before any is run: the MAC's,
 * each encrypted part's and each private key's (those inside an encrypted
 * part once it is opened with the counts it asked for, already checked).
 */
static int
pfx_work_ok(PKCS12 *p12, const char *pw, const char *source, struct hcerr *e)
{
	const ASN1_INTEGER *iter = NULL;
	STACK_OF(PKCS7) *safes;
	int rc = 0;

	if (PKCS12_mac_present(p12)) {
		PKCS12_get0_mac(NULL, NULL, NULL, &iter, p12);
		if (pfx_iter_ok(iter, "integrity check (MAC)", source, e) == -1)
			return -1;
	}
	if ((safes = PKCS12_unpack_authsafes(p12)) == NULL) {
		ERR_clear_error();
		return 0;	/* PKCS12_parse says what is wrong */
	}
	for (int i = 0; rc == 0 && i < sk_PKCS7_num(safes); i++) {
		PKCS7 *p7 = sk_PKCS7_value(safes, i);
		STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
		int nid = OBJ_obj2nid(p7->type);

		if (nid == NID_pkcs7_data)
			bags = PKCS12_unpack_p7data(p7);
		else if (nid == NID_pkcs7_encrypted) {
			if (p7->d.encrypted == NULL ||
			    p7->d.encrypted->enc_data == NULL)
				continue;
			if (pfx_algor_ok(p7->d.encrypted->enc_data->algorithm,
			    "certificates' encryption", source, e) == -1) {
				rc = -1;
				break;
			}
			bags = PKCS12_unpack_p7encdata(p7, pw, -1);
			if (bags == NULL && *pw == '\0')
				bags = PKCS12_unpack_p7encdata(p7, NULL, 0);
			/* RC2 and friends: what PKCS12_parse will try next. */
			if (bags == NULL && load_legacy()) {
				ERR_clear_error();
				bags = PKCS12_unpack_p7encdata(p7, pw, -1);
			}
		}
		ERR_clear_error();
		if (bags != NULL)
			rc = pfx_bags_ok(bags, source, 0, e);
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	}
	sk_PKCS7_pop_free(safes, PKCS7_free);
	return rc;
}

static int
pfx_parse(PKCS12 *p12, const char *source, const char *password, int from_b64,
    int keep_key, struct authcert **out, struct hcerr *e)
{
	EVP_PKEY *pkey = NULL;
	X509 *x = NULL;
	STACK_OF(X509) *ca = NULL;
	const char *pw = password != NULL ? password : "";
	int ok;

	if (pfx_work_ok(p12, pw, source, e) == -1)
		return -1;
	if (PKCS12_mac_present(p12)) {
		if (*pw == '\0')
			ok = PKCS12_verify_mac(p12, NULL, 0) ||
			    PKCS12_verify_mac(p12, "", 0);
		else
			ok = PKCS12_verify_mac(p12, pw, -1);
		ERR_clear_error();
		if (!ok)
			return NEED_PASSWORD;
	}
	ok = PKCS12_parse(p12, pw, &pkey, &x, &ca);
	if (!ok && load_legacy()) {
		ERR_clear_error();
		ok = PKCS12_parse(p12, pw, &pkey, &x, &ca);
	}
	if (!ok) {
		hcerr_set(e, "cannot open PFX '%s': %s", source, ossl_reason());
		return -1;
	}
	if (x == NULL && ca != NULL && sk_X509_num(ca) > 0)
		x = sk_X509_shift(ca);
	sk_X509_pop_free(ca, X509_free);
	if (x == NULL) {
		EVP_PKEY_free(pkey);
		hcerr_set(e, "PFX '%s' holds no certificate", source);
		return -1;
	}
	/* A PFX stays a PFX even when it arrived as base64 text. */
	(void)from_b64;
	*out = cert_facts(x, source, CERT_FMT_PFX, pkey != NULL);
	if (keep_key) {
		(*out)->private_key = pkey;
		pkey = NULL;
	}
	EVP_PKEY_free(pkey);	/* frees private components with BN_clear_free */
	return 0;
}

/* Binary ASN.1: a certificate or a PFX. */
static int
parse_der(const unsigned char *data, size_t len, const char *source,
    const char *password, int keep_key, enum cert_format fmt,
    struct authcert **out, struct hcerr *e)
{
	const unsigned char *p = data;
	PKCS12 *p12;
	X509 *x;
	int rc;

	if ((x = der_x509(data, len)) != NULL) {
		*out = cert_facts(x, source, fmt, 0);
		return 0;
	}
	if ((p12 = d2i_PKCS12(NULL, &p, (long)len)) != NULL) {
		rc = pfx_parse(p12, source, password, fmt == CERT_FMT_BASE64,
		    keep_key, out, e);
		PKCS12_free(p12);
		return rc;
	}
	ERR_clear_error();
	hcerr_set(e, "'%s' %s ASN.1 but neither an X.509 certificate nor a "
	    "PFX (PKCS#12): %s", source, fmt == CERT_FMT_BASE64 ?
	    "is base64 of" : "is binary", expected);
	return -1;
}

static int
is_cert_block(const char *name)
{
	return strcmp(name, "CERTIFICATE") == 0 ||
	    strcmp(name, "X509 CERTIFICATE") == 0 ||
	    strcmp(name, "TRUSTED CERTIFICATE") == 0;
}

static int
parse_pem(const char *text, size_t len, const char *source,
    struct authcert **out, struct hcerr *e)
{
	BIO *bio = BIO_new_mem_buf(text, (int)len);
	X509 *x = NULL;
	struct buf seen;
	int has_key = 0, blocks = 0, rc = -1;

	buf_init(&seen, 256);
	for (;;) {
		char *name = NULL, *header = NULL;
		unsigned char *data = NULL;
		long dlen = 0;

		if (!PEM_read_bio(bio, &name, &header, &data, &dlen))
			break;
		blocks++;
		if (is_cert_block(name) && x == NULL) {
			const unsigned char *p = data;

			x = strcmp(name, "TRUSTED CERTIFICATE") == 0 ?
			    d2i_X509_AUX(NULL, &p, dlen) : d2i_X509(NULL, &p, dlen);
			if (x == NULL) {
				hcerr_set(e, "'%s': the PEM CERTIFICATE block is "
				    "not a valid X.509 certificate: %s", source,
				    ossl_reason());
				OPENSSL_free(name);
				OPENSSL_free(header);
				OPENSSL_free(data);
				goto out;
			}
		} else if (strstr(name, "PRIVATE KEY") != NULL)
			has_key = 1;
		if (!is_cert_block(name))
			buf_printf(&seen, "%s%s", seen.len ? ", " : "", name);
		OPENSSL_cleanse(data, (size_t)dlen);
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_free(data);
	}
	ERR_clear_error();
	if (x == NULL) {
		if (blocks == 0)
			hcerr_set(e, "'%s' has a PEM header but no readable PEM "
			    "block: %s", source, expected);
		else
			hcerr_set(e, "'%s' holds PEM blocks (%s) but no CERTIFICATE",
			    source, seen.data != NULL ? seen.data : "");
		goto out;
	}
	*out = cert_facts(x, source, CERT_FMT_PEM, has_key);
	rc = 0;
out:
	buf_release(&seen);
	BIO_free(bio);
	return rc;
}

/* Whether s is nothing but base64 characters, whitespace and quotes. */
static int
base64_text(const char *s, const char **bad)
{
	size_t n = 0;

	for (const char *p = s; *p; p++) {
		if (isspace((unsigned char)*p) || *p == '"' || *p == '\'' || *p == '=')
			continue;
		if (b64_value((unsigned char)*p) == -1) {
			*bad = p;
			return 0;
		}
		n++;
	}
	*bad = NULL;
	return n > 0;
}

static int
parse_any(const unsigned char *data, size_t len, const char *source,
    const char *password, int keep_key, struct authcert **out, struct hcerr *e)
{
	char *text = NULL;
	unsigned char *bin = NULL;
	const char *bad = NULL;
	unsigned found = 0;
	size_t tlen = 0;
	long blen;
	int rc = -1;

	*out = NULL;
	if (len == 0) {
		hcerr_set(e, "'%s' is empty: %s", source, expected);
		return -1;
	}
	if (data[0] == 0x30)
		return parse_der(data, len, source, password, keep_key,
		    CERT_FMT_DER, out, e);

	text = text_decode(data, len, &tlen, &found);
	if (strlen(text) != tlen || !text_is_plain(text, tlen)) {
		hcerr_set(e, "'%s' is binary data that is not ASN.1 (first byte "
		    "0x%02x): %s", source, data[0], expected);
		goto out;
	}
	if (strstr(text, "-----BEGIN") != NULL) {
		rc = parse_pem(text, tlen, source, out, e);
		goto out;
	}
	if (!base64_text(text, &bad)) {
		if (bad != NULL && (unsigned char)*bad >= 0x80)
			hcerr_set(e, "'%s' is text but not base64 (non-ASCII "
			    "byte 0x%02x at offset %ld): %s", source,
			    (unsigned char)*bad, (long)(bad - text), expected);
		else if (bad != NULL)
			hcerr_set(e, "'%s' is text but not base64 (character "
			    "'%c' at offset %ld): %s", source, *bad,
			    (long)(bad - text), expected);
		else
			hcerr_set(e, "'%s' holds only white space: %s", source,
			    expected);
		goto out;
	}
	if ((blen = b64_decode(text, &bin, &bad)) <= 0 || bin[0] != 0x30) {
		hcerr_set(e, "'%s' is text but neither PEM nor the base64 of a "
		    "DER certificate (which starts with 'MII')%s: %s", source,
		    bad != NULL ? "; it has '=' inside" : "", expected);
		goto out;
	}
	rc = parse_der(bin, (size_t)blen, source, password, keep_key,
	    CERT_FMT_BASE64, out, e);
	if (bin != NULL)
		OPENSSL_cleanse(bin, (size_t)blen);
out:
	if (rc == 0 && *out != NULL)
		(*out)->text_found = found;
	if (text != NULL) {
		OPENSSL_cleanse(text, tlen);
		free(text);
	}
	free(bin);
	return rc;
}

void
cert_drop_key(struct authcert *c)
{
	if (c == NULL)
		return;
	EVP_PKEY_free(c->private_key);
	c->private_key = NULL;
}

struct authcert *
cert_parse(const unsigned char *data, size_t len, const char *source,
    const char *password, struct hcerr *e)
{
	struct authcert *c = NULL;
	int rc = parse_any(data, len, source, password, 0, &c, e);

	if (rc == NEED_PASSWORD) {
		if (password == NULL || *password == '\0')
			hcerr_set(e, "PFX '%s' is protected by a password: set %s",
			    source, CERT_PFX_PASSWORD_ENV);
		else
			hcerr_set(e, "wrong password for PFX '%s'", source);
	}
	return rc == 0 ? c : NULL;
}

/*
 * Reads a password from the controlling terminal with echo off into pw
 * (len bytes: at most len - 1 characters). -1 if there is no terminal;
 * PROMPT_TOO_LONG, with pw wiped, when the line is longer: a password
 * cut short would only be reported as a wrong one.
 */
static int
tty_password(const char *source, char *pw, size_t len)
{
	struct termios old, quiet;
	size_t n = 0;
	int fd, rc = -1, over = 0;
	char ch;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return -1;
	if (!isatty(fd) || tcgetattr(fd, &old) == -1)
		goto out;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	dprintf(fd, "password for PFX '%s': ", source);
	if (tcsetattr(fd, TCSAFLUSH, &quiet) == -1)
		goto out;
	/* The whole line is read, so nothing of it is left for the shell. */
	while (read(fd, &ch, 1) == 1 && ch != '\n' && ch != '\r') {
		if (n + 1 < len)
			pw[n++] = ch;
		else
			over = 1;
	}
	pw[n] = '\0';
	OPENSSL_cleanse(&ch, sizeof(ch));
	tcsetattr(fd, TCSAFLUSH, &old);
	dprintf(fd, "\n");
	rc = 0;
	if (over) {
		OPENSSL_cleanse(pw, len);
		rc = PROMPT_TOO_LONG;
	}
out:
	close(fd);
	return rc;
}

/*
 * No core file from here on: a core taken while a password or a private
 * key is in memory would hold it. Not restored (the key may stay).
 */
static void
no_core_dumps(void)
{
	struct rlimit none = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &none);
	/* And no core by a pipe handler or a same-user debugger attaching. */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

struct authcert *
cert_load(const char *path, unsigned flags, struct hcerr *e)
{
	struct authcert *c = NULL;
	char *data = NULL, pw[PROMPT_MAX + 1];
	const char *env;
	size_t len = 0;
	int rc, tty = -1, keep = (flags & CERT_LOAD_KEEP_KEY) != 0;

	if (file_read(path, CERT_FILE_MAX, &data, &len, e) == -1)
		return NULL;
	if (keep)
		no_core_dumps();
	rc = parse_any((unsigned char *)data, len, path, NULL, keep, &c, e);
	if (rc != NEED_PASSWORD)
		goto out;
	no_core_dumps();
	/* The environment's value is used in place, whatever its length: no copy. */
	if ((env = getenv(CERT_PFX_PASSWORD_ENV)) != NULL && *env != '\0') {
		rc = parse_any((unsigned char *)data, len, path, env, keep, &c, e);
		if (rc == NEED_PASSWORD)
			hcerr_set(e, "wrong password for PFX '%s' (from %s)", path,
			    CERT_PFX_PASSWORD_ENV);
	} else if (!(flags & CERT_LOAD_NO_PROMPT) &&
	    (tty = tty_password(path, pw, sizeof(pw))) == 0) {
		rc = parse_any((unsigned char *)data, len, path, pw, keep, &c, e);
		if (rc == NEED_PASSWORD)
			hcerr_set(e, "wrong password for PFX '%s'", path);
	} else if (tty == PROMPT_TOO_LONG) {
		rc = -1;
		hcerr_set(e, "the password typed for PFX '%s' is longer than the "
		    "prompt's limit of %d characters: set %s instead (any length)",
		    path, PROMPT_MAX, CERT_PFX_PASSWORD_ENV);
	} else
		hcerr_set(e, "PFX '%s' is protected by a password: set %s "
		    "(it is never taken from the command line)", path,
		    CERT_PFX_PASSWORD_ENV);
	OPENSSL_cleanse(pw, sizeof(pw));
out:
	OPENSSL_cleanse(data, len);
	free(data);
	return rc == 0 ? c : NULL;
}

struct authcert *
cert_from_der(const unsigned char *der, size_t len, const char *source,
    struct hcerr *e)
{
	X509 *x;

	if (len == 0 || (x = der_x509(der, len)) == NULL) {
		hcerr_set(e, "%s: not a DER X.509 certificate (%zu bytes)",
		    source, len);
		return NULL;
	}
	return cert_facts(x, source, CERT_FMT_DER, 0);
}

struct authcert *
cert_from_base64(const char *b64, const char *source, struct hcerr *e)
{
	unsigned char *bin = NULL;
	const char *bad = NULL;
	struct authcert *c;
	long n;

	if ((n = b64_decode(b64, &bin, &bad)) < 0) {
		hcerr_set(e, "%s: not base64 (byte 0x%02x at offset %ld)",
		    source, (unsigned char)*bad, (long)(bad - b64));
		return NULL;
	}
	c = cert_from_der(bin, (size_t)n, source, e);
	if (c != NULL)
		c->format = CERT_FMT_BASE64;
	free(bin);
	return c;
}

void
cert_free(struct authcert *c)
{
	if (c == NULL)
		return;
	cert_drop_key(c);
	X509_free(c->x509);
	free(c->der);
	free(c->subject);
	free(c->issuer);
	free(c->serial);
	free(c->sig_alg);
	free(c->source);
	free(c);
}

int
cert_equal(const struct authcert *a, const struct authcert *b)
{
	return a != NULL && b != NULL && a->der_len == b->der_len &&
	    memcmp(a->der, b->der, a->der_len) == 0;
}

char *
cert_upload_value(const struct authcert *c)
{
	size_t n = 4 * ((c->der_len + 2) / 3) + 1;
	char *out = xmalloc(n);

	EVP_EncodeBlock((unsigned char *)out, c->der, (int)c->der_len);
	return out;
}

long
cert_days_until(time_t t, time_t now)
{
	double d = difftime(t, now) / 86400.0;

	return d >= 0 ? (long)d : -(long)(-d + 0.999999);
}

int
cert_is_default_subject(const struct authcert *c)
{
	return c != NULL && str_caseeq(c->subject, CERT_DEFAULT_SUBJECT);
}

const char *
cert_format_name(enum cert_format f)
{
	switch (f) {
	case CERT_FMT_DER:
		return "DER";
	case CERT_FMT_PEM:
		return "PEM";
	case CERT_FMT_BASE64:
		return "base64";
	case CERT_FMT_PFX:
		return "PFX";
	}
	return "unknown";
}
