/*
 * Token decoding and explaining: the compact form, its JSON parts, the
 * actortoken inside, and each claim in words. Keys, verifying and signing
 * are in token_verify.c.
 */
#include "token.h"
#include "msid.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include "b64.h"
#include "str.h"
#include "datetime.h"

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

void
token_hex(const unsigned char *p, size_t n, char *out)
{
	static const char h[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = h[p[i] >> 4];
		out[2 * i + 1] = h[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int
token_x5t_hex(const char *x5t, char out[41])
{
	unsigned char *raw = NULL;
	size_t n = 0;
	char why[128];
	int ok;

	if (b64_decode(x5t, strlen(x5t), &raw, &n, why, sizeof(why)) == -1)
		return 0;
	if ((ok = n == 20))
		token_hex(raw, n, out);
	free(raw);
	return ok;
}

/* An Entra URL value: its host, and the first GUID of its path as realm. */
static void
url_name_parse(const char *s, struct token_name *n)
{
	const char *p = strstr(s, "://") + 3, *seg;
	size_t len = strcspn(p, "/:?#");

	n->url = 1;
	if (len > 0) {
		n->host = xstrndup(p, len);
		str_lower(n->host);
	}
	for (seg = p + len; *seg == '/' || *seg == ':'; ) {
		size_t k;

		seg++;
		k = strcspn(seg, "/?#");
		if (str_is_guid(seg, k)) {
			n->realm = xstrndup(seg, k);
			str_lower(n->realm);
			return;
		}
		seg += k;
	}
}

void
token_name_parse(const char *s, struct token_name *n)
{
	const char *at, *slash;

	memset(n, 0, sizeof(*n));
	if (s == NULL)
		return;
	if (strncasecmp(s, "https://", 8) == 0 || strncasecmp(s, "http://", 7) == 0) {
		url_name_parse(s, n);
		return;
	}
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
		char *clean = str_clean_text(snip);

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
		char *name = str_clean_text(it->string ? it->string : "");

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
			v[n].value = str_clean_text(it->valuestring);
			v[n].is_string = 1;
		} else {
			char *txt = cJSON_PrintUnformatted(it);

			v[n].value = str_clean_text(txt ? txt : "?");
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

/* The last second of year 9999: later "times" are garbage, and near the
 * top of long long adding the clock skew would overflow. */
#define TOKEN_TIME_MAX	253402300799LL

/*
 * nbf, exp and iat: seconds as a number, or as a string of digits or
 * ISO-8601. A number may have a fraction; one cJSON printed in exponent
 * form ("1.5e+16") is out of range, not its first digit.
 */
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
	if (!c->is_string && *end == '.' && end[1] != '\0' &&
	    end[1 + strspn(end + 1, "0123456789")] == '\0')
		end += strlen(end);
	if (c->value[0] != '\0' && errno == 0 && v >= 0 &&
	    v <= TOKEN_TIME_MAX && *end == '\0') {
		tt->t = (time_t)v;
		tt->valid = 1;
	} else if (c->is_string && datetime_parse_iso8601(c->value, &tt->t) == 0)
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
	t->tid = string_of(token_claim(t, "tid"));
	t->ver = string_of(token_claim(t, "ver"));
	token_name_parse(t->aud, &t->aud_name);
	token_name_parse(t->iss, &t->iss_name);
	t->entra = t->iss_name.url;
	token_name_parse(t->nameid, &t->nameid_name);
	parse_time(token_claim(t, "nbf"), &t->nbf);
	parse_time(token_claim(t, "exp"), &t->exp);
	parse_time(token_claim(t, "iat"), &t->iat);

	/* Exchange writes actortoken; MS-XOAUTH's claim table names actort. */
	if ((act = token_claim(t, "actortoken")) != NULL ||
	    (act = token_claim(t, "actort")) != NULL) {
		struct hcerr ae = { "" };

		t->actor_claim = act->name;
		if (depth > 0)
			t->actor_error = xstrdup("an actor token inside an actor "
			    "token is not decoded");
		else if (!act->is_string)
			t->actor_error = xasprintf("%s is not a string", act->name);
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
	{ MSID_ACS_PRINCIPAL, "ACS (the tenant's token issuer)" },
	/* Seen in a real 21Vianet challenge (endpoints/china.json acs_principals). */
	{ "00000001-0002-0000-c000-000000000000", "ACS (the id seen in 21Vianet)" },
	{ MSID_EXO_APP, "Exchange" },
	{ "00000003-0000-0ff1-ce00-000000000000", "SharePoint" },
	{ "00000004-0000-0ff1-ce00-000000000000", "Skype for Business" },
	{ MSID_GRAPH_APP, "Microsoft Graph" },
};

const char *
token_principal_name(const char *principal)
{
	if (principal == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(principals) / sizeof(principals[0]); i++)
		if (str_caseeq(principals[i].id, principal))
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
	if (n->url) {
		buf_printf(&b, "an Entra ID URL, host %s", n->host ? n->host : "(none)");
		if (n->realm != NULL)
			buf_printf(&b, ", tenant %s", n->realm);
		return buf_steal(&b);
	}
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
	datetime_iso8601(tt->t, iso, sizeof(iso));
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
			if (str_caseeq(c->value, "none"))
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
		    c->is_string && token_x5t_hex(c->value, hex))
			return xasprintf("the signing certificate's SHA-1, "
			    "thumbprint %s", hex);
		return NULL;
	}
	if (strcmp(n, "aud") == 0 && c->is_string && t->entra &&
	    !t->aud_name.url) {
		const char *who = token_principal_name(c->value);

		return xasprintf("the resource's application id%s%s",
		    who ? ": " : "", who ? who : "");
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
		return xstrdup(str_caseeq(c->value, "true") ?
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
	if (strcmp(n, "actortoken") == 0 || strcmp(n, "actort") == 0)
		return xstrdup(t->actor ? "a signed actor token, decoded below" :
		    t->actor_error);
	if (strcmp(n, "ver") == 0 && c->is_string)
		return xasprintf("Entra ID token format %s", c->value);
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
	strlist_release(&ti->tenant_notes);
	strlist_release(&ti->exo_hosts);
	free(ti->proof);
	free(ti->proof_source);
	free(ti->proof_thumbprint);
	free(ti->proof_error);
	free(ti->proof_realm);
	strlist_release(&ti->key_notes);
	token_keyset_release(&ti->proof_certs);
	token_keyset_release(&ti->proof_entra);
	strlist_release(&ti->proof_notes);
	free(ti);
}
