#include "tls.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

void
tls_capture_add(struct tls_capture *c, const unsigned char *der, size_t len)
{
	if (c->n >= TLS_CHAIN_MAX || len == 0)
		return;
	c->der[c->n] = xmalloc(len);
	memcpy(c->der[c->n], der, len);
	c->der_len[c->n] = len;
	c->n++;
}

void
tls_capture_release(struct tls_capture *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->der[i]);
	memset(c, 0, sizeof(*c));
}

void
tls_capture_copy(struct tls_capture *to, const struct tls_capture *from)
{
	tls_capture_release(to);
	for (size_t i = 0; i < from->n; i++)
		tls_capture_add(to, from->der[i], from->der_len[i]);
	to->ran = from->ran;
	to->verified = from->verified;
	to->verify_code = from->verify_code;
	to->verify_depth = from->verify_depth;
}

static char *
name_text(const X509_NAME *n)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL, *s;
	long len;

	if (b == NULL)
		return xstrdup("");
	X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	len = BIO_get_mem_data(b, &p);
	s = xstrndup(p ? p : "", len > 0 ? (size_t)len : 0);
	BIO_free(b);
	return s;
}

static time_t
asn1_time(const ASN1_TIME *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return timegm(&tm);
}

static void
hex(const unsigned char *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02X", p[i]);
}

int
tls_cert_describe(struct x509_st *x, struct tls_cert *info)
{
	GENERAL_NAMES *sans = NULL;
	EXTENDED_KEY_USAGE *eku = NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen;
	EVP_PKEY *pk;
	char cn[256];
	int nid;

	memset(info, 0, sizeof(*info));
	if (x == NULL)
		return -1;
	info->subject = name_text(X509_get_subject_name(x));
	info->issuer = name_text(X509_get_issuer_name(x));
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName,
	    cn, sizeof(cn)) > 0)
		info->cn = xstrdup(cn);
	info->not_before = asn1_time(X509_get0_notBefore(x));
	info->not_after = asn1_time(X509_get0_notAfter(x));
	if (X509_digest(x, EVP_sha1(), md, &mdlen) == 1)
		hex(md, mdlen, info->sha1);
	if (X509_digest(x, EVP_sha256(), md, &mdlen) == 1)
		hex(md, mdlen, info->sha256);
	if ((pk = X509_get0_pubkey(x)) != NULL) {
		info->key_bits = EVP_PKEY_get_bits(pk);
		snprintf(info->key_type, sizeof(info->key_type), "%s",
		    EVP_PKEY_get0_type_name(pk) ? EVP_PKEY_get0_type_name(pk) : "?");
	}
	nid = X509_get_signature_nid(x);
	info->sig_alg = xstrdup(nid != NID_undef ? OBJ_nid2ln(nid) : "unknown");
	if ((sans = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL)) != NULL) {
		for (int i = 0; i < sk_GENERAL_NAME_num(sans); i++) {
			const GENERAL_NAME *g = sk_GENERAL_NAME_value(sans, i);

			if (g->type == GEN_DNS) {
				const unsigned char *s = ASN1_STRING_get0_data(g->d.dNSName);
				int n = ASN1_STRING_length(g->d.dNSName);

				strlist_add_owned(&info->dns_names,
				    xstrndup((const char *)s, (size_t)n));
			} else if (g->type == GEN_IPADD) {
				const unsigned char *s = ASN1_STRING_get0_data(g->d.iPAddress);
				int n = ASN1_STRING_length(g->d.iPAddress);
				char ip[64] = "";

				if (n == 4)
					snprintf(ip, sizeof(ip), "%u.%u.%u.%u", s[0],
					    s[1], s[2], s[3]);
				else if (n == 16)
					for (int k = 0; k < 16; k += 2)
						snprintf(ip + strlen(ip), sizeof(ip) -
						    strlen(ip), "%s%x", k ? ":" : "",
						    (unsigned)(s[k] << 8 | s[k + 1]));
				if (*ip)
					strlist_add(&info->ip_addrs, ip);
			}
		}
		GENERAL_NAMES_free(sans);
	}
	if ((eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL)) != NULL) {
		info->has_eku = 1;
		for (int i = 0; i < sk_ASN1_OBJECT_num(eku); i++)
			if (OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i)) ==
			    NID_server_auth ||
			    OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i)) ==
			    NID_anyExtendedKeyUsage)
				info->eku_server_auth = 1;
		EXTENDED_KEY_USAGE_free(eku);
	}
	info->self_issued = X509_NAME_cmp(X509_get_subject_name(x),
	    X509_get_issuer_name(x)) == 0;
	return 0;
}

static X509	*cert_get(const unsigned char *der, size_t len,
		    struct tls_cert *desc);

int
tls_cert_describe_der(const unsigned char *der, size_t len,
    struct tls_cert *info)
{
	X509 *x = cert_get(der, len, info);

	if (x == NULL) {
		memset(info, 0, sizeof(*info));
		return -1;
	}
	X509_free(x);
	return 0;
}

void
tls_cert_release(struct tls_cert *info)
{
	if (info == NULL)
		return;
	free(info->subject);
	free(info->issuer);
	free(info->cn);
	free(info->sig_alg);
	strlist_release(&info->dns_names);
	strlist_release(&info->ip_addrs);
	memset(info, 0, sizeof(*info));
}

/*
 * Every certificate decoded once per run: the same cloud chains come back
 * in every organisation's responses, and decoding (d2i_X509 and the
 * description) is what a chain costs. Keyed by the DER bytes themselves
 * (a hash, then the bytes compared); bounded, the least recently used
 * entry makes room. Shared by every thread of the process.
 */
#define CERT_CACHE_MAX	512

struct cert_entry {
	uint64_t	 hash;
	unsigned char	*der;
	size_t		 len;
	X509		*x;
	struct tls_cert	 desc;
	unsigned long	 used;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cert_entry cert_cache[CERT_CACHE_MAX];
static size_t cert_cached;
static unsigned long cert_clock, cert_decodes;

static uint64_t
der_hash(const unsigned char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

static void
strlist_copy(struct strlist *to, const struct strlist *from)
{
	for (size_t i = 0; i < from->n; i++)
		strlist_add(to, from->v[i]);
}

static void
cert_copy(struct tls_cert *to, const struct tls_cert *from)
{
	*to = *from;
	to->subject = from->subject ? xstrdup(from->subject) : NULL;
	to->issuer = from->issuer ? xstrdup(from->issuer) : NULL;
	to->cn = from->cn ? xstrdup(from->cn) : NULL;
	to->sig_alg = from->sig_alg ? xstrdup(from->sig_alg) : NULL;
	memset(&to->dns_names, 0, sizeof(to->dns_names));
	memset(&to->ip_addrs, 0, sizeof(to->ip_addrs));
	strlist_copy(&to->dns_names, &from->dns_names);
	strlist_copy(&to->ip_addrs, &from->ip_addrs);
}

/*
 * The decoded certificate for der (a reference for the caller: X509_free)
 * and, when desc is not NULL, its description (the caller releases it).
 * NULL when der is not a certificate.
 */
static X509 *
cert_get(const unsigned char *der, size_t len, struct tls_cert *desc)
{
	uint64_t h = der_hash(der, len);
	struct cert_entry *slot = NULL;
	const unsigned char *p = der;
	X509 *x;

	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < cert_cached; i++) {
		struct cert_entry *c = &cert_cache[i];

		if (c->hash == h && c->len == len && memcmp(c->der, der, len) == 0) {
			c->used = ++cert_clock;
			X509_up_ref(c->x);
			if (desc != NULL)
				cert_copy(desc, &c->desc);
			x = c->x;
			pthread_mutex_unlock(&cache_lock);
			return x;
		}
	}
	cert_decodes++;
	if (len > LONG_MAX || (x = d2i_X509(NULL, &p, (long)len)) == NULL) {
		pthread_mutex_unlock(&cache_lock);
		return NULL;
	}
	if (cert_cached < CERT_CACHE_MAX)
		slot = &cert_cache[cert_cached++];
	else {
		slot = &cert_cache[0];
		for (size_t i = 1; i < cert_cached; i++)
			if (cert_cache[i].used < slot->used)
				slot = &cert_cache[i];
		free(slot->der);
		X509_free(slot->x);
		tls_cert_release(&slot->desc);
	}
	memset(slot, 0, sizeof(*slot));
	slot->hash = h;
	slot->der = xmalloc(len);
	memcpy(slot->der, der, len);
	slot->len = len;
	slot->x = x;
	slot->used = ++cert_clock;
	tls_cert_describe(x, &slot->desc);
	X509_up_ref(x);
	if (desc != NULL)
		cert_copy(desc, &slot->desc);
	pthread_mutex_unlock(&cache_lock);
	return x;
}

unsigned long
tls_cert_decodes(void)
{
	unsigned long n;

	pthread_mutex_lock(&cache_lock);
	n = cert_decodes;
	pthread_mutex_unlock(&cache_lock);
	return n;
}

void
tls_cert_cache_clear(void)
{
	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < cert_cached; i++) {
		free(cert_cache[i].der);
		X509_free(cert_cache[i].x);
		tls_cert_release(&cert_cache[i].desc);
	}
	memset(cert_cache, 0, sizeof(cert_cache));
	cert_cached = 0;
	pthread_mutex_unlock(&cache_lock);
}

/* Weak by today's CA/Browser Forum rules. */
static int
weak_key(const struct tls_cert *c)
{
	if (strcasecmp(c->key_type, "RSA") == 0 ||
	    strcasecmp(c->key_type, "RSA-PSS") == 0 ||
	    strcasecmp(c->key_type, "DSA") == 0)
		return c->key_bits < 2048;
	if (strcasecmp(c->key_type, "EC") == 0)
		return c->key_bits < 256;
	return 0;
}

int
tls_diagnose(struct tls_diag *d, const struct tls_capture *c,
    const char *host, time_t now, struct hcerr *e)
{
	X509 *leaf = NULL;
	int rc = -1;

	memset(d, 0, sizeof(*d));
	d->verified = c->verified;
	d->verify_code = c->verify_code;
	d->chain_len = c->n;
	if (c->n == 0) {
		d->problems |= TLS_NO_CHAIN;
		return 0;
	}
	if ((leaf = cert_get(c->der[0], c->der_len[0], &d->leaf)) == NULL) {
		hcerr_set(e, "the certificate '%s' sent is not DER X.509", host);
		goto out;
	}
	for (size_t i = 0; i < c->n; i++) {
		struct tls_cert ci;

		if (tls_cert_describe_der(c->der[i], c->der_len[i], &ci) == 0)
			strlist_add(&d->chain_subjects, ci.subject);
		else
			strlist_add(&d->chain_subjects, "(undecodable)");
		tls_cert_release(&ci);
	}
	if (c->ran && !c->verified) {
		d->problems |= TLS_UNTRUSTED;
		d->verify_reason = X509_verify_cert_error_string(c->verify_code);
	}
	/*
	 * Name checks use the subjectAltName only, as browsers and Exchange
	 * do, and a wildcard only as a whole leftmost label, as libcurl
	 * matches it (login*.contoso.com is refused there, so here too).
	 */
	if (host != NULL && X509_check_host(leaf, host, 0,
	    X509_CHECK_FLAG_NEVER_CHECK_SUBJECT |
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL) != 1 &&
	    X509_check_ip_asc(leaf, host, 0) != 1) {
		d->problems |= TLS_NAME_MISMATCH;
		if (d->leaf.cn != NULL && strcasecmp(d->leaf.cn, host) == 0)
			d->problems |= TLS_CN_ONLY;
	}
	d->days_left = (long)((d->leaf.not_after - now) / 86400);
	if (now > d->leaf.not_after)
		d->problems |= TLS_EXPIRED;
	else if (now < d->leaf.not_before)
		d->problems |= TLS_NOT_YET_VALID;
	else if (d->leaf.not_after - now < (time_t)TLS_EXPIRY_WARN_DAYS * 86400)
		d->problems |= TLS_EXPIRING;
	if (d->leaf.has_eku && !d->leaf.eku_server_auth)
		d->problems |= TLS_NO_SERVER_AUTH;
	if (weak_key(&d->leaf))
		d->problems |= TLS_WEAK_KEY;
	if (d->leaf.self_issued && X509_check_issued(leaf, leaf) == X509_V_OK) {
		d->problems |= TLS_SELF_SIGNED;
		if (d->leaf.cn != NULL && strchr(d->leaf.cn, '.') == NULL)
			d->problems |= TLS_SINGLE_LABEL;
	} else if (d->problems & TLS_UNTRUSTED) {
		/* The leaf's issuer is not among what was sent: an incomplete chain. */
		int found = 0;

		for (size_t i = 1; i < c->n && !found; i++) {
			X509 *ci;

			if ((ci = cert_get(c->der[i], c->der_len[i], NULL)) == NULL)
				continue;
			found = X509_check_issued(ci, leaf) == X509_V_OK;
			X509_free(ci);
		}
		if (!found && (c->verify_code ==
		    X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
		    c->verify_code == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE ||
		    c->verify_code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT))
			d->problems |= TLS_MISSING_INTERMEDIATE;
	}
	rc = 0;
out:
	X509_free(leaf);
	if (rc == -1)
		tls_diag_release(d);
	return rc;
}

void
tls_diag_release(struct tls_diag *d)
{
	if (d == NULL)
		return;
	tls_cert_release(&d->leaf);
	strlist_release(&d->chain_subjects);
	memset(d, 0, sizeof(*d));
}

const char *
tls_problem_text(enum tls_problem p)
{
	switch (p) {
	case TLS_UNTRUSTED:
		return "chain does not verify";
	case TLS_NAME_MISMATCH:
		return "host name not in the subjectAltName";
	case TLS_EXPIRED:
		return "expired";
	case TLS_NOT_YET_VALID:
		return "not yet valid";
	case TLS_EXPIRING:
		return "expires within 30 days";
	case TLS_NO_SERVER_AUTH:
		return "no serverAuth extended key usage";
	case TLS_WEAK_KEY:
		return "weak key";
	case TLS_MISSING_INTERMEDIATE:
		return "intermediate certificate missing from the chain";
	case TLS_SELF_SIGNED:
		return "self-signed";
	case TLS_SINGLE_LABEL:
		return "issued to a single-label name (Exchange's default certificate)";
	case TLS_CN_ONLY:
		return "host named only in the subject CN";
	case TLS_NO_CHAIN:
		return "no certificate was received";
	}
	return "unknown problem";
}

char *
tls_problems_text(unsigned bits)
{
	struct buf b;

	buf_init(&b, 4096);
	buf_append(&b, "", 0);
	for (unsigned bit = 1; bit <= TLS_NO_CHAIN; bit <<= 1)
		if (bits & bit)
			buf_printf(&b, "%s%s", b.len ? ", " : "",
			    tls_problem_text((enum tls_problem)bit));
	return buf_steal(&b);
}

int
tls_problem_is_failure(unsigned bits)
{
	return (bits & ~(unsigned)(TLS_EXPIRING | TLS_CN_ONLY)) != 0;
}
