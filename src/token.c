#include "token.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

/* Token base64 as written by Microsoft and others: URL or standard alphabet. */
static int
b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-' || c == '+')
		return 62;
	if (c == '_' || c == '/')
		return 63;
	return -1;
}

/*
 * Decodes one segment; padding is optional. On error why says what and
 * where, relative to the segment.
 */
static int
b64_decode(const char *s, size_t n, unsigned char **out, size_t *outlen,
    char *why, size_t whylen)
{
	unsigned char *p;
	size_t pad = 0, o = 0;
	unsigned acc = 0;
	int bits = 0;

	while (n > 0 && s[n - 1] == '=') {
		n--;
		pad++;
	}
	if (pad > 2) {
		snprintf(why, whylen, "%zu '=' at the end, expected at most 2", pad);
		return -1;
	}
	if (n % 4 == 1) {
		snprintf(why, whylen, "%zu characters cannot be base64 (one too "
		    "many or a character lost)", n);
		return -1;
	}
	if (pad > 0 && (n + pad) % 4 != 0) {
		snprintf(why, whylen, "padding does not fill the last group of four");
		return -1;
	}
	p = xmalloc(n / 4 * 3 + 3);
	for (size_t i = 0; i < n; i++) {
		int v = b64_value((unsigned char)s[i]);

		if (v < 0) {
			unsigned char c = (unsigned char)s[i];

			if (c >= 0x21 && c < 0x7f)
				snprintf(why, whylen, "'%c' at offset %zu is not a "
				    "base64url character", c, i);
			else
				snprintf(why, whylen, "byte 0x%02x at offset %zu is not "
				    "a base64url character", c, i);
			free(p);
			return -1;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			p[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	*out = p;
	*outlen = o;
	return 0;
}

static void
b64url_encode(const unsigned char *p, size_t n, char *out, size_t outlen)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t o = 0;
	unsigned acc = 0;
	int bits = 0;

	for (size_t i = 0; i < n && o + 1 < outlen; i++) {
		acc = (acc << 8) | p[i];
		bits += 8;
		while (bits >= 6 && o + 1 < outlen) {
			bits -= 6;
			out[o++] = a[(acc >> bits) & 63];
		}
	}
	if (bits > 0 && o + 1 < outlen)
		out[o++] = a[(acc << (6 - bits)) & 63];
	out[o] = '\0';
}

static void
hex_upper(const unsigned char *p, size_t n, char *out)
{
	static const char h[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = h[p[i] >> 4];
		out[2 * i + 1] = h[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* An x5t or kid as a hex thumbprint when it holds 20 bytes; 0 if not. */
static int
x5t_to_hex(const char *x5t, char out[41])
{
	unsigned char *raw = NULL;
	size_t n = 0;
	char why[128];
	int ok;

	if (b64_decode(x5t, strlen(x5t), &raw, &n, why, sizeof(why)) == -1)
		return 0;
	if ((ok = n == 20))
		hex_upper(raw, n, out);
	free(raw);
	return ok;
}

void
token_name_parse(const char *s, struct token_name *n)
{
	const char *at, *slash;

	memset(n, 0, sizeof(*n));
	if (s == NULL)
		return;
	/* The realm follows the last '@'; a host never holds one. */
	at = strrchr(s, '@');
	if (at != NULL)
		n->realm = xstrdup(at + 1);
	else
		at = s + strlen(s);
	slash = memchr(s, '/', (size_t)(at - s));
	if (slash != NULL) {
		n->principal = xstrndup(s, (size_t)(slash - s));
		n->host = xstrndup(slash + 1, (size_t)(at - slash - 1));
	} else
		n->principal = xstrndup(s, (size_t)(at - s));
}

void
token_name_release(struct token_name *n)
{
	if (n == NULL)
		return;
	free(n->principal);
	free(n->host);
	free(n->realm);
	memset(n, 0, sizeof(*n));
}

static void
claims_free(struct token_claim *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].value);
	}
	free(v);
}

void
token_release(struct token *t)
{
	if (t == NULL)
		return;
	free(t->compact);
	claims_free(t->header, t->nheader);
	claims_free(t->claims, t->nclaims);
	token_name_release(&t->aud_name);
	token_name_release(&t->iss_name);
	token_name_release(&t->nameid_name);
	if (t->actor != NULL) {
		token_release(t->actor);
		free(t->actor);
	}
	free(t->actor_error);
	memset(t, 0, sizeof(*t));
}

/*
 * Parses one decoded segment as a JSON object into claims. Duplicate names
 * are refused: libjwt and this reader could otherwise see different values.
 */
static int
parse_object(const char *part, const unsigned char *json, size_t len,
    struct token_claim **out, size_t *nout, struct hcerr *e)
{
	cJSON *root = NULL, *it;
	const char *end = NULL;
	struct token_claim *v = NULL;
	size_t n = 0;
	int rc = -1;

	if (len == 0) {
		hcerr_set(e, "token %s: empty, expected a JSON object", part);
		return -1;
	}
	root = cJSON_ParseWithLengthOpts((const char *)json, len, &end, 0);
	if (root == NULL) {
		size_t at = end != NULL && end >= (const char *)json &&
		    end <= (const char *)json + len ? (size_t)(end - (const char *)json) : 0;
		char *snip = xstrndup((const char *)json + at,
		    len - at < 16 ? len - at : 16);
		char *clean = util_clean_text(snip);

		hcerr_set(e, "token %s: not JSON (at byte %zu of %zu, near '%s'), "
		    "expected a JSON object", part, at, len, clean);
		free(snip);
		free(clean);
		goto out;
	}
	if (!cJSON_IsObject(root)) {
		hcerr_set(e, "token %s: JSON %s, expected an object", part,
		    cJSON_IsArray(root) ? "array" : cJSON_IsString(root) ?
		    "string" : "scalar");
		goto out;
	}
	if (end != NULL && (size_t)(end - (const char *)json) < len) {
		for (const char *p = end; p < (const char *)json + len; p++)
			if (!isspace((unsigned char)*p)) {
				hcerr_set(e, "token %s: text after the JSON object "
				    "(byte %zu)", part, (size_t)(p - (const char *)json));
				goto out;
			}
	}
	cJSON_ArrayForEach(it, root) {
		char *name = util_clean_text(it->string ? it->string : "");

		for (size_t i = 0; i < n; i++)
			if (strcmp(v[i].name, name) == 0) {
				hcerr_set(e, "token %s: '%s' appears twice, expected "
				    "each name once", part, name);
				free(name);
				goto out;
			}
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n].name = name;
		if (cJSON_IsString(it)) {
			v[n].value = util_clean_text(it->valuestring);
			v[n].is_string = 1;
		} else {
			char *txt = cJSON_PrintUnformatted(it);

			v[n].value = util_clean_text(txt ? txt : "?");
			v[n].is_string = 0;
			cJSON_free(txt);
		}
		n++;
	}
	*out = v;
	*nout = n;
	v = NULL;
	n = 0;
	rc = 0;
out:
	claims_free(v, n);
	cJSON_Delete(root);
	return rc;
}

static const struct token_claim *
find_in(const struct token_claim *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

const struct token_claim *
token_claim(const struct token *t, const char *name)
{
	return find_in(t->claims, t->nclaims, name);
}

static const char *
string_of(const struct token_claim *c)
{
	return c != NULL && c->is_string ? c->value : NULL;
}

/* nbf, exp and iat: seconds as a number, or as a string of digits or ISO-8601. */
static void
parse_time(const struct token_claim *c, struct token_time *tt)
{
	char *end;
	long long v;

	memset(tt, 0, sizeof(*tt));
	if (c == NULL)
		return;
	tt->present = 1;
	tt->was_string = c->is_string;
	errno = 0;
	v = strtoll(c->value, &end, 10);
	if (c->value[0] != '\0' && errno == 0 && v >= 0 &&
	    (*end == '\0' || (!c->is_string && *end == '.'))) {
		tt->t = (time_t)v;
		tt->valid = 1;
	} else if (c->is_string && util_parse_iso8601(c->value, &tt->t) == 0)
		tt->valid = 1;
}

/* Removes what people paste around a token: quotes, "Bearer ", white space. */
static char *
compact_form(const char *text, size_t len, int *bearer)
{
	size_t a = 0, b = len, o = 0;
	char *s;

	*bearer = 0;
	while (a < b && isspace((unsigned char)text[a]))
		a++;
	while (b > a && isspace((unsigned char)text[b - 1]))
		b--;
	if (b - a >= 7 && strncasecmp(text + a, "bearer", 6) == 0 &&
	    isspace((unsigned char)text[a + 6])) {
		a += 7;
		*bearer = 1;
	}
	while (a < b && (text[a] == '"' || text[a] == '\'' ||
	    isspace((unsigned char)text[a])))
		a++;
	while (b > a && (text[b - 1] == '"' || text[b - 1] == '\'' ||
	    isspace((unsigned char)text[b - 1])))
		b--;
	s = xmalloc(b - a + 1);
	for (size_t i = a; i < b; i++)
		if (!isspace((unsigned char)text[i]))
			s[o++] = text[i];
	s[o] = '\0';
	return s;
}

static int	decode(struct token *, const char *, size_t, int, struct hcerr *);

static int
decode_segment(const char *part, const char *seg, size_t n,
    unsigned char **out, size_t *outlen, struct hcerr *e)
{
	char why[160];

	if (b64_decode(seg, n, out, outlen, why, sizeof(why)) == -1) {
		hcerr_set(e, "token %s: %s", part, why);
		return -1;
	}
	return 0;
}

static int
decode(struct token *t, const char *text, size_t len, int depth,
    struct hcerr *e)
{
	unsigned char *head = NULL, *body = NULL, *sig = NULL;
	size_t head_len = 0, body_len = 0, sig_len = 0, dots = 0;
	const char *d1, *d2;
	const struct token_claim *act;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	if (len > TOKEN_MAX) {
		hcerr_set(e, "token: %zu bytes, more than the %d accepted", len,
		    TOKEN_MAX);
		return -1;
	}
	if (memchr(text, '\0', len) != NULL) {
		hcerr_set(e, "token: holds a NUL byte, expected text");
		return -1;
	}
	t->compact = compact_form(text, len, &t->stripped_bearer);
	if (t->compact[0] == '\0') {
		hcerr_set(e, "token: empty, expected header.payload.signature");
		goto out;
	}
	for (const char *p = t->compact; *p; p++)
		dots += *p == '.';
	if (dots == 4) {
		hcerr_set(e, "token: five parts, an encrypted token (JWE); only "
		    "signed or unsigned tokens (three parts) can be read");
		goto out;
	}
	if (dots != 2) {
		hcerr_set(e, "token: %zu part%s, expected three "
		    "(header.payload.signature, the last may be empty)", dots + 1,
		    dots ? "s" : "");
		goto out;
	}
	d1 = strchr(t->compact, '.');
	d2 = strchr(d1 + 1, '.');
	if (decode_segment("header", t->compact, (size_t)(d1 - t->compact),
	    &head, &head_len, e) == -1 ||
	    parse_object("header", head, head_len, &t->header, &t->nheader, e) == -1)
		goto out;
	if (decode_segment("payload", d1 + 1, (size_t)(d2 - d1 - 1), &body,
	    &body_len, e) == -1 ||
	    parse_object("payload", body, body_len, &t->claims, &t->nclaims, e) == -1)
		goto out;
	if (decode_segment("signature", d2 + 1, strlen(d2 + 1), &sig, &sig_len,
	    e) == -1)
		goto out;
	t->sig_len = sig_len;

	t->alg = string_of(find_in(t->header, t->nheader, "alg"));
	t->typ = string_of(find_in(t->header, t->nheader, "typ"));
	t->x5t = string_of(find_in(t->header, t->nheader, "x5t"));
	t->kid = string_of(find_in(t->header, t->nheader, "kid"));
	t->aud = string_of(token_claim(t, "aud"));
	t->iss = string_of(token_claim(t, "iss"));
	t->nameid = string_of(token_claim(t, "nameid"));
	token_name_parse(t->aud, &t->aud_name);
	token_name_parse(t->iss, &t->iss_name);
	token_name_parse(t->nameid, &t->nameid_name);
	parse_time(token_claim(t, "nbf"), &t->nbf);
	parse_time(token_claim(t, "exp"), &t->exp);
	parse_time(token_claim(t, "iat"), &t->iat);

	if ((act = token_claim(t, "actortoken")) != NULL) {
		struct hcerr ae = { "" };

		if (depth > 0)
			t->actor_error = xstrdup("an actor token inside an actor "
			    "token is not decoded");
		else if (!act->is_string)
			t->actor_error = xstrdup("actortoken is not a string");
		else {
			t->actor = xcalloc(1, sizeof(*t->actor));
			if (decode(t->actor, act->value, strlen(act->value),
			    depth + 1, &ae) == -1) {
				free(t->actor);
				t->actor = NULL;
				t->actor_error = xasprintf("actor %s", ae.msg);
			}
		}
	}
	rc = 0;
out:
	free(head);
	free(body);
	free(sig);
	if (rc == -1)
		token_release(t);
	return rc;
}

int
token_decode(struct token *t, const char *text, size_t len, struct hcerr *e)
{
	return decode(t, text, len, 0, e);
}

static const struct {
	const char	*id;
	const char	*name;
} principals[] = {
	{ "00000001-0000-0000-c000-000000000000", "ACS (the tenant's token issuer)" },
	{ "00000001-0002-0000-c000-000000000000", "ACS (the id seen in 21Vianet)" },
	{ "00000002-0000-0ff1-ce00-000000000000", "Exchange" },
	{ "00000003-0000-0ff1-ce00-000000000000", "SharePoint" },
	{ "00000004-0000-0ff1-ce00-000000000000", "Skype for Business" },
	{ "00000003-0000-0000-c000-000000000000", "Microsoft Graph" },
};

const char *
token_principal_name(const char *principal)
{
	if (principal == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(principals) / sizeof(principals[0]); i++)
		if (util_strcaseeq(principals[i].id, principal))
			return principals[i].name;
	return NULL;
}

void
token_relative(time_t t, time_t now, char *buf, size_t len)
{
	long long d = (long long)t - (long long)now, a = d < 0 ? -d : d;
	long long days = a / 86400, h = a % 86400 / 3600, m = a % 3600 / 60;
	char span[64];

	if (a == 0) {
		snprintf(buf, len, "now");
		return;
	}
	if (days > 0)
		snprintf(span, sizeof(span), "%lld d %lld h", days, h);
	else if (h > 0)
		snprintf(span, sizeof(span), "%lld h %lld min", h, m);
	else if (m > 0)
		snprintf(span, sizeof(span), "%lld min %lld s", m, a % 60);
	else
		snprintf(span, sizeof(span), "%lld s", a);
	snprintf(buf, len, d > 0 ? "in %s" : "%s ago", span);
}

static char *
explain_name(const struct token_name *n, const char *what)
{
	const char *who = token_principal_name(n->principal);
	struct buf b;

	buf_init(&b, 4096);
	if (n->realm == NULL) {
		buf_printf(&b, "not of the form principal%s@realm", what);
		return buf_steal(&b);
	}
	buf_printf(&b, "principal %s", who ? who : n->principal);
	if (n->host != NULL)
		buf_printf(&b, ", host %s", n->host[0] ? n->host : "(empty)");
	if (strcmp(n->realm, "*") == 0)
		buf_printf(&b, ", any realm");
	else
		buf_printf(&b, ", realm %s", n->realm);
	return buf_steal(&b);
}

static char *
explain_time(const struct token_time *tt, const char *what, time_t now)
{
	char iso[32], rel[64];

	if (!tt->valid)
		return xasprintf("%s: not a time (expected seconds since 1970)", what);
	util_iso8601(tt->t, iso, sizeof(iso));
	token_relative(tt->t, now, rel, sizeof(rel));
	return xasprintf("%s %s, %s%s", what, iso, rel,
	    tt->was_string ? " (written as a string)" : "");
}

char *
token_explain(const struct token *t, const struct token_claim *c, int header,
    time_t now)
{
	const char *n = c->name;
	char hex[41];

	if (header) {
		if (strcmp(n, "alg") == 0) {
			if (util_strcaseeq(c->value, "none"))
				return xstrdup("unsigned: acceptable only for an "
				    "outer token whose actor token is signed");
			if (strcmp(c->value, "RS256") == 0)
				return xstrdup("RSA signature with SHA-256, as ACS "
				    "and Exchange sign");
			if (strncmp(c->value, "HS", 2) == 0)
				return xstrdup("a shared-secret HMAC: never used by "
				    "ACS or Exchange");
			return NULL;
		}
		if ((strcmp(n, "x5t") == 0 || strcmp(n, "kid") == 0) &&
		    c->is_string && x5t_to_hex(c->value, hex))
			return xasprintf("the signing certificate's SHA-1, "
			    "thumbprint %s", hex);
		return NULL;
	}
	if (strcmp(n, "aud") == 0 && c->is_string)
		return explain_name(&t->aud_name, "/host");
	if (strcmp(n, "iss") == 0 && c->is_string) {
		char *s = explain_name(&t->iss_name, ""), *r;

		r = xasprintf("issued by %s", s);
		free(s);
		return r;
	}
	if (strcmp(n, "nameid") == 0 && c->is_string) {
		if (t->nameid_name.realm != NULL &&
		    token_principal_name(t->nameid_name.principal) != NULL) {
			char *s = explain_name(&t->nameid_name, ""), *r;

			r = xasprintf("speaks for the application: %s", s);
			free(s);
			return r;
		}
		return xstrdup("the user or application the token speaks for");
	}
	if (strcmp(n, "nbf") == 0)
		return explain_time(&t->nbf, "valid from", now);
	if (strcmp(n, "exp") == 0)
		return explain_time(&t->exp, "valid until", now);
	if (strcmp(n, "iat") == 0)
		return explain_time(&t->iat, "issued", now);
	if (strcmp(n, "trustedfordelegation") == 0)
		return xstrdup(util_strcaseeq(c->value, "true") ?
		    "the actor may act on behalf of users (needed for an actor "
		    "token inside a user-context token)" :
		    "the actor may not act on behalf of users");
	if (strcmp(n, "identityprovider") == 0 || strcmp(n, "nii") == 0) {
		struct token_name in;
		char *s, *r;

		token_name_parse(c->value, &in);
		if (in.realm == NULL) {
			token_name_release(&in);
			return xstrdup("who vouched for the identity");
		}
		s = explain_name(&in, "");
		r = xasprintf("who vouched for the identity: %s", s);
		free(s);
		token_name_release(&in);
		return r;
	}
	if (strcmp(n, "smtp") == 0)
		return xstrdup("the user's SMTP address: whose mailbox is asked for");
	if (strcmp(n, "sip") == 0)
		return xstrdup("the user's SIP address");
	if (strcmp(n, "upn") == 0)
		return xstrdup("the user's principal name");
	if (strcmp(n, "actortoken") == 0)
		return xstrdup(t->actor ? "a signed actor token, decoded below" :
		    t->actor_error);
	if (strcmp(n, "tid") == 0 || strcmp(n, "realm") == 0)
		return xstrdup("the tenant id");
	if (strcmp(n, "appid") == 0 || strcmp(n, "appidacr") == 0) {
		const char *who = token_principal_name(c->value);

		return who ? xstrdup(who) : NULL;
	}
	return NULL;
}

enum token_lifetime
token_lifetime(const struct token *t, time_t now, long skew)
{
	if (!t->exp.present || !t->exp.valid)
		return TOKEN_LIFE_NO_EXP;
	if ((t->nbf.present && !t->nbf.valid) || (t->iat.present && !t->iat.valid))
		return TOKEN_LIFE_BAD_TIME;
	if ((long long)now > (long long)t->exp.t + skew)
		return TOKEN_LIFE_EXPIRED;
	if (t->nbf.present && (long long)now + skew < (long long)t->nbf.t)
		return TOKEN_LIFE_NOT_YET;
	return TOKEN_LIFE_VALID;
}

static time_t
asn1_time(const ASN1_TIME *a)
{
	struct tm tm;

	if (a == NULL || ASN1_TIME_to_tm(a, &tm) != 1)
		return 0;
	return timegm(&tm);
}

int
token_keyset_add(struct token_keyset *ks, const unsigned char *der, size_t len,
    const char *source, struct hcerr *e)
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
		return -1;
	}
	SHA1(der, len, sha);
	for (size_t i = 0; i < ks->n; i++)
		if (ks->v[i].der_len == len && memcmp(ks->v[i].der, der, len) == 0) {
			X509_free(x);
			return 0;
		}
	ks->v = xrealloc(ks->v, (ks->n + 1) * sizeof(*ks->v));
	k = &ks->v[ks->n++];
	memset(k, 0, sizeof(*k));
	k->source = xstrdup(source);
	k->der = xmalloc(len);
	memcpy(k->der, der, len);
	k->der_len = len;
	hex_upper(sha, sizeof(sha), k->thumbprint);
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

		k->subject = util_clean_text(raw);
		free(raw);
	} else
		k->subject = xstrdup("");
	BIO_free(bio);
	X509_free(x);
	return 0;
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
	return util_strcaseeq(id, k->thumbprint);
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
	if (util_strcaseeq(t->alg, "none")) {
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

		if (x5t_to_hex(id, hex))
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
	aud = xasprintf("%s/%s@%s", TOKEN_EXO_PRINCIPAL, host, realm);
	iss = xasprintf("%s@%s", TOKEN_EXO_PRINCIPAL, realm);
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

struct token_input *
token_input_new(void)
{
	return xcalloc(1, sizeof(struct token_input));
}

void
token_input_free(struct token_input *ti)
{
	if (ti == NULL)
		return;
	free(ti->source);
	token_release(&ti->tok);
	free(ti->decode_error);
	token_keyset_release(&ti->keys);
	free(ti->tenant);
	free(ti->tenant_source);
	strlist_release(&ti->exo_hosts);
	free(ti->proof);
	free(ti->proof_source);
	free(ti->proof_thumbprint);
	free(ti->proof_error);
	token_keyset_release(&ti->proof_certs);
	token_keyset_release(&ti->proof_entra);
	free(ti);
}
