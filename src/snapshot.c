/*
 * Reads a configuration snapshot. PowerShell is an unreliable JSON writer:
 * property names in any case (cJSON_GetObjectItem ignores case), a lone
 * object where an array belongs, {"value":[…],"Count":n} wrappers, dates as
 * "\/Date(ms)\/", enums as numbers, Uri or SmtpDomain values as objects.
 * All of those are accepted; anything else is reported with its JSON path.
 */
#include "snapshot.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

/* Where the walk is, for error messages: "$.onPremises.servers[3].fqdn". */
struct jctx {
	const char	*origin;
	struct hcerr	*e;
	char		 path[400];
	size_t		 len;
};

static size_t
push_key(struct jctx *j, const char *key)
{
	size_t old = j->len;
	int n = snprintf(j->path + j->len, sizeof(j->path) - j->len, ".%s", key);

	if (n > 0 && (size_t)n < sizeof(j->path) - j->len)
		j->len += (size_t)n;
	return old;
}

static size_t
push_index(struct jctx *j, size_t i)
{
	size_t old = j->len;
	int n = snprintf(j->path + j->len, sizeof(j->path) - j->len, "[%zu]", i);

	if (n > 0 && (size_t)n < sizeof(j->path) - j->len)
		j->len += (size_t)n;
	return old;
}

static void
pop(struct jctx *j, size_t old)
{
	j->len = old;
	j->path[old] = '\0';
}

static const char *
jtype(const cJSON *v)
{
	if (v == NULL)
		return "nothing";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	return "an unknown value";
}

/* Sets the error for the value at the current path (plus key) and returns -1. */
static int
bad(struct jctx *j, const char *key, const char *expected, const cJSON *got)
{
	char *shown = NULL;

	if (cJSON_IsString(got)) {
		char cut[48];

		snprintf(cut, sizeof(cut), "%s", got->valuestring);
		shown = util_clean_text(cut);
	}
	hcerr_set(j->e, "%s: %s%s%s: expected %s, got %s%s%s%s", j->origin,
	    j->path, key ? "." : "", key ? key : "", expected, jtype(got),
	    shown ? " '" : "", shown ? shown : "", shown ? "'" : "");
	free(shown);
	return -1;
}

static int
is_absent(const cJSON *v)
{
	return v == NULL || cJSON_IsNull(v);
}

/*
 * Unwraps what PowerShell makes of scalars: {"value":x} (PSObject notes,
 * dates), Uri objects (AbsoluteUri/OriginalString), SmtpDomain
 * ({"Domain":…}), SmtpAddress ({"Address":…}). Returns v when none apply.
 */
static const cJSON *
unwrap(const cJSON *v)
{
	static const char *const keys[] = { "value", "AbsoluteUri",
	    "OriginalString", "Domain", "Address", "DomainName", NULL };

	for (int depth = 0; depth < 4 && cJSON_IsObject(v); depth++) {
		const cJSON *in = NULL;

		for (size_t i = 0; keys[i] && in == NULL; i++)
			in = cJSON_GetObjectItem(v, keys[i]);
		if (in == NULL)
			return v;
		v = in;
	}
	return v;
}

/* A string field; a number is accepted as its text. Absent leaves NULL. */
static int
get_str(struct jctx *j, const cJSON *obj, const char *key, char **out)
{
	const cJSON *v = unwrap(cJSON_GetObjectItem(obj, key));

	*out = NULL;
	if (is_absent(v))
		return 0;
	if (cJSON_IsString(v)) {
		*out = xstrdup(v->valuestring);
		return 0;
	}
	if (cJSON_IsNumber(v)) {
		*out = xasprintf("%.17g", v->valuedouble);
		return 0;
	}
	return bad(j, key, "a string", v);
}

static enum tristate
word_bool(const char *s)
{
	if (util_strcaseeq(s, "true") || util_strcaseeq(s, "$true") ||
	    strcmp(s, "1") == 0 || util_strcaseeq(s, "yes"))
		return TRI_TRUE;
	if (util_strcaseeq(s, "false") || util_strcaseeq(s, "$false") ||
	    strcmp(s, "0") == 0 || util_strcaseeq(s, "no"))
		return TRI_FALSE;
	return TRI_UNKNOWN;
}

static int
get_bool(struct jctx *j, const cJSON *obj, const char *key, enum tristate *out)
{
	const cJSON *v = unwrap(cJSON_GetObjectItem(obj, key));

	*out = TRI_UNKNOWN;
	if (is_absent(v))
		return 0;
	if (cJSON_IsBool(v)) {
		*out = cJSON_IsTrue(v) ? TRI_TRUE : TRI_FALSE;
		return 0;
	}
	if (cJSON_IsNumber(v) && (v->valuedouble == 0 || v->valuedouble == 1)) {
		*out = v->valuedouble != 0 ? TRI_TRUE : TRI_FALSE;
		return 0;
	}
	if (cJSON_IsString(v) && (*out = word_bool(v->valuestring)) != TRI_UNKNOWN)
		return 0;
	return bad(j, key, "a boolean (true or false)", v);
}

/* "/Date(1700000000000)/" or "/Date(1700000000000+0800)/": UTC ms. */
static int
parse_msdate(const char *s, time_t *out)
{
	char *end;
	long long ms;

	if (strncmp(s, "/Date(", 6) != 0)
		return -1;
	s += 6;
	errno = 0;
	ms = strtoll(s, &end, 10);
	if (end == s || errno != 0)
		return -1;
	/* The offset only says which zone it was shown in; ms is UTC already. */
	if (*end == '+' || *end == '-') {
		const char *o = ++end;

		while (isdigit((unsigned char)*end))
			end++;
		if (end - o != 4)
			return -1;
	}
	if (strcmp(end, ")/") != 0)
		return -1;
	*out = (time_t)(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
	return 0;
}

static int
get_date(struct jctx *j, const cJSON *obj, const char *key, time_t *out)
{
	const cJSON *v = unwrap(cJSON_GetObjectItem(obj, key));

	*out = 0;
	if (is_absent(v) || (cJSON_IsString(v) && v->valuestring[0] == '\0'))
		return 0;
	if (cJSON_IsString(v) && (parse_msdate(v->valuestring, out) == 0 ||
	    util_parse_iso8601(v->valuestring, out) == 0))
		return 0;
	return bad(j, key, "a date (ISO-8601 or \\/Date(ms)\\/)", v);
}

/*
 * An array where PowerShell may have written a lone object, a lone scalar,
 * or {"value":[…],"Count":n}. Yields the first element and whether the
 * value is itself that lone element; NULL first means empty.
 */
struct jiter {
	const cJSON	*cur;
	int		 lone;
	size_t		 i;
};

static int
iter_begin(struct jctx *j, const cJSON *v, struct jiter *it, int *present)
{
	memset(it, 0, sizeof(*it));
	if (present)
		*present = !is_absent(v);
	if (cJSON_IsObject(v)) {
		const cJSON *inner = cJSON_GetObjectItem(v, "value");

		/* 5.1's {"value":[…],"Count":n}, or a Graph page {"value":[…]}. */
		if (cJSON_IsArray(inner) && (cJSON_GetObjectItem(v, "Count") ||
		    cJSON_GetObjectItem(v, "@odata.context") ||
		    cJSON_GetArraySize(v) == 1))
			v = inner;
	}
	if (is_absent(v))
		return 0;
	if (cJSON_IsArray(v)) {
		it->cur = v->child;
		return 0;
	}
	if (cJSON_IsObject(v) || cJSON_IsString(v) || cJSON_IsNumber(v) ||
	    cJSON_IsBool(v)) {
		it->cur = v;
		it->lone = 1;
		return 0;
	}
	return bad(j, NULL, "an array", v);
}

static void
iter_next(struct jiter *it)
{
	it->cur = it->lone ? NULL : it->cur->next;
	it->i++;
}

static size_t
iter_count(struct jctx *j, const cJSON *v)
{
	struct jiter it;
	size_t n = 0;

	if (iter_begin(j, v, &it, NULL) == -1)
		return 0;
	for (; it.cur; iter_next(&it))
		n++;
	return n;
}

/* A list of strings (or one string, or values unwrap() can reduce). */
static int
get_strlist(struct jctx *j, const cJSON *obj, const char *key,
    struct strlist *out)
{
	struct jiter it;
	size_t old = push_key(j, key);

	if (iter_begin(j, cJSON_GetObjectItem(obj, key), &it, NULL) == -1)
		goto bad;
	for (; it.cur; iter_next(&it)) {
		const cJSON *v = unwrap(it.cur);
		size_t o2;

		if (is_absent(v))
			continue;
		if (cJSON_IsString(v)) {
			strlist_add(out, v->valuestring);
			continue;
		}
		/* A flags enum such as ServerRole written as its number. */
		if (cJSON_IsNumber(v)) {
			strlist_add_owned(out, xasprintf("%.17g", v->valuedouble));
			continue;
		}
		o2 = it.lone ? j->len : push_index(j, it.i);
		bad(j, NULL, "a string", v);
		pop(j, o2);
		goto bad;
	}
	pop(j, old);
	return 0;
bad:
	pop(j, old);
	return -1;
}

/* A name from names[] or its index as a number; *text keeps what was written. */
static int
get_enum(struct jctx *j, const cJSON *obj, const char *key,
    const char *const *names, size_t nnames, int *out, char **text)
{
	const cJSON *v = unwrap(cJSON_GetObjectItem(obj, key));

	*out = -1;
	*text = NULL;
	if (is_absent(v))
		return 0;
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;

		if (d >= 0 && d < (double)nnames && d == (int)d) {
			*out = (int)d;
			*text = xstrdup(names[*out]);
		} else
			*text = xasprintf("%.17g", d);
		return 0;
	}
	if (cJSON_IsString(v)) {
		for (size_t i = 0; i < nnames; i++)
			if (util_strcaseeq(v->valuestring, names[i]))
				*out = (int)i;
		*text = xstrdup(v->valuestring);
		return 0;
	}
	return bad(j, key, "a name or a number", v);
}

static int
is_guid(const char *s)
{
	static const int dash[] = { 8, 13, 18, 23 };
	size_t d = 0;

	if (s == NULL || strlen(s) != 36)
		return 0;
	for (size_t i = 0; i < 36; i++) {
		if (d < 4 && (size_t)dash[d] == i) {
			if (s[i] != '-')
				return 0;
			d++;
		} else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

static int
get_guid(struct jctx *j, const cJSON *obj, const char *key, char **out)
{
	char *s = NULL;

	if (get_str(j, obj, key, &s) == -1)
		return -1;
	if (s != NULL && s[0] == '\0') {
		free(s);
		s = NULL;
	}
	if (s != NULL) {
		/* Some cmdlets print GUIDs in braces. */
		if (s[0] == '{' && strlen(s) == 38 && s[37] == '}') {
			memmove(s, s + 1, 36);
			s[36] = '\0';
		}
		if (!is_guid(s)) {
			cJSON *shown = cJSON_CreateString(s);

			bad(j, key, "a GUID", shown);
			cJSON_Delete(shown);
			free(s);
			return -1;
		}
		util_lower(s);
	}
	*out = s;
	return 0;
}

/* Base64 (standard or URL alphabet, whitespace and padding optional). */
static int
b64_decode(const char *s, unsigned char **out, size_t *outlen)
{
	size_t n = strlen(s), o = 0;
	unsigned char *p = xmalloc(n / 4 * 3 + 3);
	unsigned acc = 0;
	int bits = 0, pad = 0;

	for (; *s; s++) {
		int c = (unsigned char)*s, v;

		if (isspace(c))
			continue;
		if (c == '=') {
			pad = 1;
			continue;
		}
		if (pad)
			goto bad;
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+' || c == '-')
			v = 62;
		else if (c == '/' || c == '_')
			v = 63;
		else
			goto bad;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			p[o++] = (unsigned char)(acc >> bits);
		}
	}
	if (bits >= 6)
		goto bad;
	*out = p;
	*outlen = o;
	return 0;
bad:
	free(p);
	return -1;
}

static char *
sha1_hex(const unsigned char *d, size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char *hex;

	if (!EVP_Digest(d, n, md, &mdlen, EVP_sha1(), NULL))
		return NULL;
	hex = xmalloc(mdlen * 2 + 1);
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(hex + i * 2, 3, "%02X", md[i]);
	return hex;
}

char *
snapshot_thumbprint(const char *s)
{
	char *t;
	size_t n = 0;

	if (s == NULL)
		return NULL;
	t = xmalloc(strlen(s) + 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		/* U+200E/U+200F marks and U+FEFF, as UTF-8. */
		if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x8E || p[2] == 0x8F)) {
			p += 2;
			continue;
		}
		if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
			p += 2;
			continue;
		}
		if (isspace(*p) || *p == ':' || *p == '-')
			continue;
		if (!isxdigit(*p))
			goto bad;
		t[n++] = (char)toupper(*p);
	}
	t[n] = '\0';
	if (n != 40)
		goto bad;
	return t;
bad:
	free(t);
	return NULL;
}

/* A base64 DER certificate: a string, or PowerShell's byte array for RawData. */
static int
get_der(struct jctx *j, const cJSON *obj, const char *key,
    unsigned char **der, size_t *len, char **text)
{
	const cJSON *v = unwrap(cJSON_GetObjectItem(obj, key));

	*der = NULL;
	*len = 0;
	if (text)
		*text = NULL;
	if (is_absent(v) || (cJSON_IsString(v) && v->valuestring[0] == '\0'))
		return 0;
	if (cJSON_IsString(v)) {
		if (b64_decode(v->valuestring, der, len) == -1 || *len == 0) {
			free(*der);
			*der = NULL;
			return bad(j, key, "base64 DER", v);
		}
		if (text) {
			size_t n = 0;

			*text = xstrdup(v->valuestring);
			for (char *p = *text; *p; p++)
				if (!isspace((unsigned char)*p))
					(*text)[n++] = *p;
			(*text)[n] = '\0';
		}
		return 0;
	}
	if (cJSON_IsArray(v)) {
		size_t n = (size_t)cJSON_GetArraySize(v), i = 0;
		const cJSON *b;

		*der = xmalloc(n ? n : 1);
		cJSON_ArrayForEach(b, v) {
			if (!cJSON_IsNumber(b) || b->valuedouble < 0 ||
			    b->valuedouble > 255) {
				free(*der);
				*der = NULL;
				return bad(j, key, "base64 DER or an array of bytes", b);
			}
			(*der)[i++] = (unsigned char)b->valueint;
		}
		*len = n;
		return 0;
	}
	return bad(j, key, "base64 DER", v);
}

/* An object, or absent; anything else is garbage at this path. */
static int
want_object(struct jctx *j, const cJSON *parent, const char *key,
    const cJSON **out)
{
	const cJSON *v = cJSON_GetObjectItem(parent, key);

	*out = NULL;
	if (is_absent(v))
		return 0;
	if (!cJSON_IsObject(v))
		return bad(j, key, "an object", v);
	*out = v;
	return 0;
}

/*
 * Walks an array of objects at key, calling fn for each with the path
 * pointing at the element. *items is grown to the count.
 */
typedef int (*item_fn)(struct jctx *, const cJSON *, void *);

static int
each_object(struct jctx *j, const cJSON *obj, const char *key, void **items,
    size_t *n, size_t size, item_fn fn, int *present)
{
	struct jiter it;
	size_t old = push_key(j, key), count;
	int rc = -1;

	count = iter_count(j, cJSON_GetObjectItem(obj, key));
	if (iter_begin(j, cJSON_GetObjectItem(obj, key), &it, present) == -1)
		goto out;
	*items = xcalloc(count ? count : 1, size);
	*n = 0;
	for (; it.cur; iter_next(&it)) {
		size_t o2 = it.lone ? j->len : push_index(j, it.i);
		char *slot = (char *)*items + *n * size;

		if (!cJSON_IsObject(it.cur)) {
			bad(j, NULL, "an object", it.cur);
			pop(j, o2);
			goto out;
		}
		(*n)++;
		if (fn(j, it.cur, slot) == -1) {
			pop(j, o2);
			goto out;
		}
		pop(j, o2);
	}
	rc = 0;
out:
	pop(j, old);
	return rc;
}

static void
lower_opt(char *s)
{
	if (s != NULL)
		util_lower(s);
}

/* Drops a trailing dot and lower-cases every name of a domain list. */
static void
lower_list(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		util_lower(l->v[i]);
}

static int
thumb_field(struct jctx *j, const cJSON *obj, const char *key, char **out)
{
	char *raw = NULL;

	*out = NULL;
	if (get_str(j, obj, key, &raw) == -1)
		return -1;
	if (raw != NULL && raw[0] != '\0' && (*out = snapshot_thumbprint(raw)) == NULL) {
		cJSON *shown = cJSON_CreateString(raw);

		bad(j, key, "a thumbprint (40 hex digits)", shown);
		cJSON_Delete(shown);
		free(raw);
		return -1;
	}
	free(raw);
	return 0;
}

/* ---- on-premises objects ---- */

static int
parse_authconfig(struct jctx *j, const cJSON *o, struct snap_authconfig *a)
{
	a->present = 1;
	if (thumb_field(j, o, "currentCertificateThumbprint", &a->current_thumbprint) ||
	    thumb_field(j, o, "previousCertificateThumbprint", &a->previous_thumbprint) ||
	    thumb_field(j, o, "nextCertificateThumbprint", &a->next_thumbprint) ||
	    get_date(j, o, "nextCertificateEffectiveDate", &a->next_effective) ||
	    get_str(j, o, "serviceName", &a->service_name) ||
	    get_str(j, o, "realm", &a->realm))
		return -1;
	return 0;
}

static const char *const authserver_types[] = { "Unknown", "MicrosoftACS",
    "Facebook", "LinkedIn", "ADFS", "AzureAD" };

static int
parse_authserver(struct jctx *j, const cJSON *o, void *slot)
{
	struct snap_authserver *a = slot;
	int t;

	if (get_str(j, o, "name", &a->name) ||
	    get_enum(j, o, "type", authserver_types, 6, &t, &a->type_text) ||
	    get_str(j, o, "authMetadataUrl", &a->metadata_url) ||
	    get_str(j, o, "issuerIdentifier", &a->issuer) ||
	    get_str(j, o, "realm", &a->realm) ||
	    get_str(j, o, "applicationIdentifier", &a->app_id) ||
	    get_str(j, o, "tokenIssuingEndpoint", &a->token_endpoint) ||
	    get_bool(j, o, "enabled", &a->enabled) ||
	    get_strlist(j, o, "domainName", &a->domains))
		return -1;
	/* Older builds have no Type: the metadata document's kind tells. */
	if (t <= 0 && a->metadata_url != NULL) {
		if (strstr(a->metadata_url, "federationmetadata") != NULL)
			t = AUTHSERVER_AZUREAD;
		else if (strstr(a->metadata_url, "/metadata/json/1") != NULL)
			t = AUTHSERVER_ACS;
	}
	a->type = t < 0 ? AUTHSERVER_UNKNOWN : (enum authserver_type)t;
	if (a->type_text != NULL && strcmp(a->type_text, "EvoSts") == 0)
		a->type = AUTHSERVER_AZUREAD;
	lower_opt(a->realm);
	lower_opt(a->app_id);
	lower_list(&a->domains);
	return 0;
}

static int
parse_partnerapp(struct jctx *j, const cJSON *o, void *slot)
{
	struct snap_partnerapp *p = slot;

	if (get_str(j, o, "name", &p->name) ||
	    get_str(j, o, "applicationIdentifier", &p->app_id) ||
	    get_str(j, o, "realm", &p->realm) ||
	    get_str(j, o, "authMetadataUrl", &p->metadata_url) ||
	    get_bool(j, o, "enabled", &p->enabled) ||
	    get_bool(j, o, "useAuthServer", &p->use_auth_server))
		return -1;
	lower_opt(p->app_id);
	return 0;
}

static int
parse_ioc(struct jctx *j, const cJSON *o, void *slot)
{
	struct snap_ioc *c = slot;

	if (get_str(j, o, "name", &c->name) ||
	    get_bool(j, o, "enabled", &c->enabled) ||
	    get_str(j, o, "discoveryEndpoint", &c->discovery_endpoint) ||
	    get_strlist(j, o, "targetAddressDomains", &c->target_domains))
		return -1;
	lower_list(&c->target_domains);
	return 0;
}

static const char *const access_methods[] = { "PerUserFB", "OrgWideFB",
    "PublicFolder", "InternalProxy", "OrgWideFBBasic" };

static int
parse_space(struct jctx *j, const cJSON *o, void *slot)
{
	struct snap_address_space *a = slot;
	int m;

	if (get_str(j, o, "forestName", &a->forest) ||
	    get_enum(j, o, "accessMethod", access_methods, 5, &m, &a->method_text) ||
	    get_str(j, o, "proxyUrl", &a->proxy_url) ||
	    get_bool(j, o, "useServiceAccount", &a->use_service_account) ||
	    get_str(j, o, "targetAutodiscoverEpr", &a->target_autodiscover))
		return -1;
	a->method = (enum access_method)m;
	lower_opt(a->forest);
	return 0;
}

static int
parse_orgrel(struct jctx *j, const cJSON *o, void *slot)
{
	struct snap_orgrel *r = slot;

	if (get_str(j, o, "name", &r->name) ||
	    get_bool(j, o, "enabled", &r->enabled) ||
	    get_strlist(j, o, "domainNames", &r->domains) ||
	    get_bool(j, o, "freeBusyAccessEnabled", &r->freebusy_enabled) ||
	    get_str(j, o, "freeBusyAccessLevel", &r->freebusy_level) ||
	    get_str(j, o, "targetApplicationUri", &r->target_app_uri) ||
	    get_str(j, o, "targetAutodiscoverEpr", &r->target_autodiscover) ||
	    get_str(j, o, "targetSharingEpr", &r->target_sharing))
		return -1;
	lower_list(&r->domains);
	return 0;
}

static const char *const domain_types[] = { "Authoritative", "ExternalRelay",
    "InternalRelay" };

static int
parse_domain(struct jctx *j, const cJSON *o, void *slot)
{
	struct snap_domain *d = slot;
	int t;

	if (get_str(j, o, "domainName", &d->name) ||
	    get_enum(j, o, "domainType", domain_types, 3, &t, &d->type) ||
	    get_bool(j, o, "default", &d->is_default))
		return -1;
	if (d->name == NULL) {
		size_t old = push_key(j, "domainName");

		hcerr_set(j->e, "%s: %s: expected a domain name, got nothing",
		    j->origin, j->path);
		pop(j, old);
		return -1;
	}
	util_lower(d->name);
	return 0;
}

static int
parse_override(struct jctx *j, const cJSON *o, void *slot)
{
	struct snap_override *s = slot;

	if (get_str(j, o, "name", &s->name) ||
	    get_str(j, o, "componentName", &s->component) ||
	    get_str(j, o, "sectionName", &s->section) ||
	    get_strlist(j, o, "parameters", &s->parameters) ||
	    get_strlist(j, o, "server", &s->servers) ||
	    get_str(j, o, "reason", &s->reason))
		return -1;
	/* New-SettingOverride takes -Component/-Section; accept both spellings. */
	if ((s->component == NULL && get_str(j, o, "component", &s->component)) ||
	    (s->section == NULL && get_str(j, o, "section", &s->section)))
		return -1;
	return 0;
}

static int
parse_vdir(struct jctx *j, const cJSON *o, void *slot)
{
	struct snap_vdir *v = slot;

	if (get_str(j, o, "name", &v->name) ||
	    get_str(j, o, "internalUrl", &v->internal_url) ||
	    get_str(j, o, "externalUrl", &v->external_url) ||
	    get_bool(j, o, "oAuthAuthentication", &v->oauth) ||
	    get_bool(j, o, "wsSecurityAuthentication", &v->wssecurity) ||
	    get_bool(j, o, "windowsAuthentication", &v->windows))
		return -1;
	return 0;
}

static int
parse_cert(struct jctx *j, const cJSON *o, void *slot)
{
	struct snap_cert *c = slot;

	if (thumb_field(j, o, "thumbprint", &c->thumbprint) ||
	    get_str(j, o, "subject", &c->subject) ||
	    get_str(j, o, "issuer", &c->issuer) ||
	    get_date(j, o, "notBefore", &c->not_before) ||
	    get_date(j, o, "notAfter", &c->not_after) ||
	    get_der(j, o, "der", &c->der, &c->der_len, &c->der_base64))
		return -1;
	if (c->der == NULL &&
	    get_der(j, o, "rawData", &c->der, &c->der_len, &c->der_base64))
		return -1;
	/* The bytes are the truth: a thumbprint is only their SHA-1. */
	if (c->der != NULL) {
		char *t = sha1_hex(c->der, c->der_len);

		if (t != NULL) {
			free(c->thumbprint);
			c->thumbprint = t;
		}
	}
	return 0;
}

/* ServerVersion as an object ({"Major":15,"Minor":2,"Build":1544,"Revision":25}). */
static int
version_object(const cJSON *v, struct snap_version *out)
{
	static const char *const k[] = { "Major", "Minor", "Build", "Revision" };

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < 4; i++) {
		const cJSON *n = cJSON_GetObjectItem(v, k[i]);

		if (!cJSON_IsNumber(n) || n->valuedouble < 0 ||
		    n->valuedouble > 1e9)
			return -1;
		out->v[i] = (unsigned)n->valuedouble;
	}
	out->valid = 1;
	return 0;
}

static int
get_version(struct jctx *j, const cJSON *o, const char *key, char **text,
    struct snap_version *ver)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	*text = NULL;
	memset(ver, 0, sizeof(*ver));
	if (cJSON_IsObject(v) && version_object(v, ver) == 0) {
		char buf[64];

		snapshot_version_text(ver, buf, sizeof(buf));
		*text = xstrdup(buf);
		return 0;
	}
	if (get_str(j, o, key, text) == -1)
		return -1;
	if (*text != NULL && (*text)[0] != '\0' &&
	    snapshot_parse_version(*text, ver) == -1)
		return bad(j, key, "a version such as 15.2.1544.25", v);
	return 0;
}

static int
parse_server(struct jctx *j, const cJSON *o, void *slot)
{
	struct snap_server *s = slot;
	struct snap_version fv, av, pv;
	char *plain = NULL;
	int rc = -1;

	if (get_str(j, o, "name", &s->name) ||
	    get_str(j, o, "fqdn", &s->fqdn) ||
	    get_str(j, o, "edition", &s->edition) ||
	    get_str(j, o, "site", &s->site) ||
	    get_strlist(j, o, "serverRole", &s->roles) ||
	    get_version(j, o, "adminDisplayVersion", &s->admin_display_version, &av) ||
	    get_version(j, o, "fileVersion", &s->file_version_text, &fv) ||
	    get_version(j, o, "version", &plain, &pv))
		goto out;
	lower_opt(s->fqdn);
	/* Security updates move the file version, not AdminDisplayVersion. */
	if (fv.valid) {
		s->version = fv;
		s->version_source = "fileVersion";
	} else if (pv.valid) {
		s->version = pv;
		s->version_source = "version";
	} else if (av.valid) {
		s->version = av;
		s->version_source = "adminDisplayVersion";
	}
	if (each_object(j, o, "autodiscoverVirtualDirectories",
	    (void **)&s->autodiscover, &s->nautodiscover, sizeof(struct snap_vdir),
	    parse_vdir, &s->vdirs_collected) ||
	    each_object(j, o, "webServicesVirtualDirectories",
	    (void **)&s->ews, &s->news, sizeof(struct snap_vdir), parse_vdir, NULL))
		goto out;
	if (!s->vdirs_collected)
		s->vdirs_collected = !is_absent(cJSON_GetObjectItem(o,
		    "webServicesVirtualDirectories"));
	if (each_object(j, o, "authCertificates", (void **)&s->certs, &s->ncerts,
	    sizeof(struct snap_cert), parse_cert, &s->certs_collected))
		goto out;
	rc = 0;
out:
	free(plain);
	return rc;
}

static int
parse_onprem(struct jctx *j, const cJSON *o, struct snapshot *s)
{
	const cJSON *ac = NULL, *hc = NULL;
	size_t old;

	s->onprem.present = 1;
	if (want_object(j, o, "authConfig", &ac))
		return -1;
	if (ac != NULL) {
		old = push_key(j, "authConfig");
		if (parse_authconfig(j, ac, &s->onprem.authconfig) == -1)
			return -1;
		pop(j, old);
	}
	if (each_object(j, o, "authServers", (void **)&s->onprem.authservers,
	    &s->onprem.nauthservers, sizeof(struct snap_authserver),
	    parse_authserver, NULL) ||
	    each_object(j, o, "partnerApplications",
	    (void **)&s->onprem.partnerapps, &s->onprem.npartnerapps,
	    sizeof(struct snap_partnerapp), parse_partnerapp, NULL) ||
	    each_object(j, o, "intraOrganizationConnectors",
	    (void **)&s->onprem.iocs, &s->onprem.niocs, sizeof(struct snap_ioc),
	    parse_ioc, &s->onprem.iocs_collected) ||
	    each_object(j, o, "availabilityAddressSpaces",
	    (void **)&s->onprem.spaces, &s->onprem.nspaces,
	    sizeof(struct snap_address_space), parse_space,
	    &s->onprem.spaces_collected) ||
	    each_object(j, o, "organizationRelationships",
	    (void **)&s->onprem.orgrels, &s->onprem.norgrels,
	    sizeof(struct snap_orgrel), parse_orgrel, NULL) ||
	    each_object(j, o, "acceptedDomains", (void **)&s->onprem.domains,
	    &s->onprem.ndomains, sizeof(struct snap_domain), parse_domain, NULL) ||
	    each_object(j, o, "settingOverrides", (void **)&s->onprem.overrides,
	    &s->onprem.noverrides, sizeof(struct snap_override), parse_override,
	    &s->onprem.overrides_collected) ||
	    each_object(j, o, "servers", (void **)&s->onprem.servers,
	    &s->onprem.nservers, sizeof(struct snap_server), parse_server, NULL))
		return -1;
	/* The collector writes [] for "none"; only a missing key is "unknown". */
	if (cJSON_GetObjectItem(o, "intraOrganizationConnectors") != NULL)
		s->onprem.iocs_collected = 1;
	if (cJSON_GetObjectItem(o, "availabilityAddressSpaces") != NULL)
		s->onprem.spaces_collected = 1;
	if (cJSON_GetObjectItem(o, "settingOverrides") != NULL)
		s->onprem.overrides_collected = 1;
	if (want_object(j, o, "hybridConfiguration", &hc))
		return -1;
	if (hc != NULL) {
		old = push_key(j, "hybridConfiguration");
		s->onprem.hybrid_present = 1;
		if (get_strlist(j, hc, "domains", &s->onprem.hybrid_domains) ||
		    get_str(j, hc, "serviceInstance", &s->onprem.service_instance))
			return -1;
		lower_list(&s->onprem.hybrid_domains);
		pop(j, old);
	}
	return 0;
}

static int
parse_exo(struct jctx *j, const cJSON *o, struct snapshot *s)
{
	const cJSON *ic = NULL;

	s->exo.present = 1;
	if (each_object(j, o, "intraOrganizationConnectors", (void **)&s->exo.iocs,
	    &s->exo.niocs, sizeof(struct snap_ioc), parse_ioc, NULL) ||
	    each_object(j, o, "organizationRelationships",
	    (void **)&s->exo.orgrels, &s->exo.norgrels,
	    sizeof(struct snap_orgrel), parse_orgrel, NULL) ||
	    each_object(j, o, "acceptedDomains", (void **)&s->exo.domains,
	    &s->exo.ndomains, sizeof(struct snap_domain), parse_domain, NULL) ||
	    want_object(j, o, "intraOrganizationConfiguration", &ic))
		return -1;
	if (ic != NULL) {
		size_t old = push_key(j, "intraOrganizationConfiguration");

		if (get_str(j, ic, "onPremiseDiscoveryEndpoint", &s->exo.ioc_onprem_endpoint) ||
		    get_str(j, ic, "onlineDiscoveryEndpoint", &s->exo.ioc_online_endpoint) ||
		    get_strlist(j, ic, "onPremiseTargetAddresses", &s->exo.ioc_onprem_targets))
			return -1;
		lower_list(&s->exo.ioc_onprem_targets);
		pop(j, old);
	}
	return 0;
}

/* ---- Entra ---- */

/*
 * customKeyIdentifier is base64 of bytes: Microsoft's hybrid script puts
 * the thumbprint's 20 bytes there, others its 40 hex characters.
 */
static char *
custom_thumbprint(const char *cki)
{
	unsigned char *raw = NULL;
	size_t n = 0;
	char *t = NULL;

	if (cki == NULL)
		return NULL;
	if ((t = snapshot_thumbprint(cki)) != NULL)
		return t;
	if (b64_decode(cki, &raw, &n) == -1)
		return NULL;
	if (n == 20) {
		t = xmalloc(41);
		for (size_t i = 0; i < 20; i++)
			snprintf(t + i * 2, 3, "%02X", raw[i]);
	} else if (n >= 40 && n < 128) {
		char *s = xstrndup((const char *)raw, n);

		t = snapshot_thumbprint(s);
		free(s);
	}
	free(raw);
	return t;
}

static int
parse_keycred(struct jctx *j, const cJSON *o, void *slot)
{
	struct snap_keycred *k = slot;

	if (get_str(j, o, "keyId", &k->key_id) ||
	    get_str(j, o, "displayName", &k->display_name) ||
	    get_str(j, o, "customKeyIdentifier", &k->custom_key_id) ||
	    get_str(j, o, "type", &k->type) ||
	    get_str(j, o, "usage", &k->usage) ||
	    get_date(j, o, "startDateTime", &k->start) ||
	    get_date(j, o, "endDateTime", &k->end) ||
	    get_der(j, o, "key", &k->der, &k->der_len, NULL))
		return -1;
	k->custom_thumbprint = custom_thumbprint(k->custom_key_id);
	if (k->der != NULL)
		k->key_thumbprint = sha1_hex(k->der, k->der_len);
	return 0;
}

static int
parse_access_entry(struct jctx *j, const cJSON *o, void *slot)
{
	struct snap_resource_access *r = slot;
	struct jiter it;
	size_t old = push_key(j, "resourceAccess");

	if (iter_begin(j, cJSON_GetObjectItem(o, "resourceAccess"), &it, NULL) == -1)
		return -1;
	for (; it.cur; iter_next(&it)) {
		size_t o2 = it.lone ? j->len : push_index(j, it.i);
		char *id = NULL, *type = NULL, *value = NULL;

		if (!cJSON_IsObject(it.cur))
			return bad(j, NULL, "an object", it.cur);
		if (get_guid(j, it.cur, "id", &id) ||
		    get_str(j, it.cur, "type", &type) ||
		    get_str(j, it.cur, "value", &value)) {
			free(id);
			free(type);
			free(value);
			return -1;
		}
		if (id != NULL && util_strcaseeq(type, "Scope"))
			strlist_add(&r->scopes, id);
		else if (id != NULL) {
			strlist_add(&r->roles, id);
			strlist_add(&r->role_values, value ? value : "");
		}
		free(id);
		free(type);
		free(value);
		pop(j, o2);
	}
	pop(j, old);
	return get_guid(j, o, "resourceAppId", &r->resource_app_id);
}

static int
parse_assignment(struct jctx *j, const cJSON *o, void *slot)
{
	struct snap_role_assignment *a = slot;

	if (get_guid(j, o, "appRoleId", &a->app_role_id) ||
	    get_str(j, o, "appRoleValue", &a->app_role_value) ||
	    get_guid(j, o, "resourceAppId", &a->resource_app_id) ||
	    get_str(j, o, "resourceDisplayName", &a->resource_name) ||
	    get_date(j, o, "createdDateTime", &a->created))
		return -1;
	return 0;
}

static int
parse_app(struct jctx *j, const cJSON *o, void *slot)
{
	struct snap_app *a = slot;

	if (get_str(j, o, "id", &a->id) ||
	    get_guid(j, o, "appId", &a->app_id) ||
	    get_str(j, o, "displayName", &a->display_name) ||
	    each_object(j, o, "keyCredentials", (void **)&a->keys, &a->nkeys,
	    sizeof(struct snap_keycred), parse_keycred, NULL) ||
	    each_object(j, o, "requiredResourceAccess", (void **)&a->access,
	    &a->naccess, sizeof(struct snap_resource_access), parse_access_entry,
	    NULL) ||
	    each_object(j, o, "appRoleAssignments", (void **)&a->assignments,
	    &a->nassignments, sizeof(struct snap_role_assignment),
	    parse_assignment, NULL))
		return -1;
	return 0;
}

static int
parse_entra(struct jctx *j, const cJSON *o, struct snapshot *s)
{
	const cJSON *sp = NULL;
	char *tid = NULL;

	s->entra.present = 1;
	if (get_guid(j, o, "tenantId", &tid))
		return -1;
	if (tid != NULL && s->tenant_id == NULL)
		s->tenant_id = tid;
	else
		free(tid);
	if (want_object(j, o, "exchangeServicePrincipal", &sp))
		return -1;
	if (sp != NULL) {
		size_t old = push_key(j, "exchangeServicePrincipal");
		struct snap_principal *p = &s->entra.sp;

		s->entra.sp_present = 1;
		if (get_str(j, sp, "id", &p->id) ||
		    get_guid(j, sp, "appId", &p->app_id) ||
		    get_str(j, sp, "displayName", &p->display_name) ||
		    get_strlist(j, sp, "servicePrincipalNames", &p->spns) ||
		    each_object(j, sp, "keyCredentials", (void **)&p->keys,
		    &p->nkeys, sizeof(struct snap_keycred), parse_keycred, NULL))
			return -1;
		pop(j, old);
	}
	return each_object(j, o, "hybridApplications", (void **)&s->entra.apps,
	    &s->entra.napps, sizeof(struct snap_app), parse_app, NULL);
}

static int
parse_error(struct jctx *j, const cJSON *o, void *slot)
{
	struct snap_error *er = slot;

	return get_str(j, o, "part", &er->part) ||
	    get_str(j, o, "message", &er->message) ? -1 : 0;
}

static int
parse_root(struct jctx *j, const cJSON *root, struct snapshot *s)
{
	const cJSON *part = NULL, *org = NULL;

	if (!cJSON_IsObject(root))
		return bad(j, NULL, "an object", root);
	if (get_str(j, root, "schema", &s->schema))
		return -1;
	if (s->schema == NULL || strncmp(s->schema, "hybridcheck.snapshot/", 21) != 0 ||
	    strcmp(s->schema, SNAPSHOT_SCHEMA) != 0) {
		const cJSON *v = cJSON_GetObjectItem(root, "schema");

		return bad(j, "schema", "\"" SNAPSHOT_SCHEMA "\"", v);
	}
	if (get_date(j, root, "collectedAt", &s->collected) ||
	    get_str(j, root, "cloud", &s->cloud) ||
	    get_guid(j, root, "tenantId", &s->tenant_id) ||
	    want_object(j, root, "organization", &org))
		return -1;
	lower_opt(s->cloud);
	if (org != NULL) {
		size_t old = push_key(j, "organization");

		if (get_str(j, org, "name", &s->org_name) ||
		    get_guid(j, org, "guid", &s->org_guid))
			return -1;
		pop(j, old);
	}
	if (want_object(j, root, "onPremises", &part))
		return -1;
	if (part != NULL) {
		size_t old = push_key(j, "onPremises");

		if (parse_onprem(j, part, s) == -1)
			return -1;
		pop(j, old);
	}
	if (want_object(j, root, "exchangeOnline", &part))
		return -1;
	if (part != NULL) {
		size_t old = push_key(j, "exchangeOnline");

		if (parse_exo(j, part, s) == -1)
			return -1;
		pop(j, old);
	}
	if (want_object(j, root, "entra", &part))
		return -1;
	if (part != NULL) {
		size_t old = push_key(j, "entra");

		if (parse_entra(j, part, s) == -1)
			return -1;
		pop(j, old);
	}
	return each_object(j, root, "errors", (void **)&s->errors, &s->nerrors,
	    sizeof(struct snap_error), parse_error, NULL);
}

/* Line and column of byte off, for "not JSON" errors. */
static void
position(const char *text, size_t off, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

int
snapshot_parse(const char *text, size_t len, const char *origin,
    struct snapshot **out, struct hcerr *e)
{
	struct snapshot *s = NULL;
	cJSON *root = NULL;
	const char *end = NULL;
	struct jctx j;
	int rc = -1;

	*out = NULL;
	if (len > SNAPSHOT_MAX_BYTES) {
		hcerr_set(e, "%s: snapshot is larger than %u MiB", origin,
		    SNAPSHOT_MAX_BYTES >> 20);
		return -1;
	}
	/* Windows PowerShell 5.1's Out-File and Set-Content write a BOM. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (len >= 2 && ((unsigned char)text[0] == 0xFF ||
	    (unsigned char)text[0] == 0xFE)) {
		hcerr_set(e, "%s: snapshot is UTF-16; write it as UTF-8 "
		    "(the collector does; Out-File needs -Encoding utf8)", origin);
		return -1;
	}
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (root == NULL) {
		unsigned line, col;
		size_t off = end != NULL && end >= text ? (size_t)(end - text) : 0;

		if (end == NULL && cJSON_GetErrorPtr() != NULL)
			off = (size_t)(cJSON_GetErrorPtr() - text);
		if (off > len)
			off = len;
		position(text, off, &line, &col);
		hcerr_set(e, "%s: not JSON (syntax error at line %u, column %u)",
		    origin, line, col);
		return -1;
	}
	s = xcalloc(1, sizeof(*s));
	s->origin = xstrdup(origin);
	memset(&j, 0, sizeof(j));
	j.origin = origin;
	j.e = e;
	j.path[0] = '$';
	j.len = 1;
	if (parse_root(&j, root, s) == -1)
		goto out;
	*out = s;
	s = NULL;
	rc = 0;
out:
	cJSON_Delete(root);
	snapshot_free(s);
	return rc;
}

int
snapshot_load(const char *path, struct snapshot **out, struct hcerr *e)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (util_read_file(path, SNAPSHOT_MAX_BYTES, &text, &len, e) == -1)
		return -1;
	rc = snapshot_parse(text, len, path, out, e);
	free(text);
	return rc;
}

/* ---- versions ---- */

int
snapshot_parse_version(const char *s, struct snap_version *out)
{
	const char *p;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (s == NULL)
		return -1;
	/* "Version 15.2 (Build 1544.25)" */
	if ((p = strstr(s, "Version ")) != NULL) {
		unsigned a, b, c, d;

		if (sscanf(p, "Version %u.%u (Build %u.%u)", &a, &b, &c, &d) != 4)
			return -1;
		out->v[0] = a;
		out->v[1] = b;
		out->v[2] = c;
		out->v[3] = d;
		out->valid = 1;
		return 0;
	}
	for (p = s; *p == ' '; p++)
		;
	while (n < 4) {
		char *end;
		unsigned long v;

		if (!isdigit((unsigned char)*p))
			return -1;
		errno = 0;
		v = strtoul(p, &end, 10);
		if (errno != 0 || v > 0xFFFFFF)
			return -1;
		out->v[n++] = (unsigned)v;
		p = end;
		if (*p != '.')
			break;
		p++;
	}
	while (*p == ' ')
		p++;
	if (*p != '\0' || n < 2)
		return -1;
	out->valid = 1;
	return 0;
}

int
snapshot_version_cmp(const struct snap_version *a, const struct snap_version *b)
{
	if (a->valid != b->valid)
		return a->valid ? 1 : -1;
	for (size_t i = 0; i < 4; i++)
		if (a->v[i] != b->v[i])
			return a->v[i] < b->v[i] ? -1 : 1;
	return 0;
}

void
snapshot_version_text(const struct snap_version *v, char *buf, size_t len)
{
	if (!v->valid)
		snprintf(buf, len, "unknown");
	else
		snprintf(buf, len, "%u.%u.%u.%u", v->v[0], v->v[1], v->v[2], v->v[3]);
}

const struct snap_error *
snapshot_error_for(const struct snapshot *s, const char *part)
{
	for (size_t i = 0; s != NULL && i < s->nerrors; i++)
		if (s->errors[i].part != NULL &&
		    strncasecmp(s->errors[i].part, part, strlen(part)) == 0)
			return &s->errors[i];
	return NULL;
}

/* ---- freeing ---- */

static void
keys_free(struct snap_keycred *k, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(k[i].key_id);
		free(k[i].display_name);
		free(k[i].custom_key_id);
		free(k[i].custom_thumbprint);
		free(k[i].type);
		free(k[i].usage);
		free(k[i].der);
		free(k[i].key_thumbprint);
	}
	free(k);
}

static void
iocs_free(struct snap_ioc *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].name);
		free(c[i].discovery_endpoint);
		strlist_release(&c[i].target_domains);
	}
	free(c);
}

static void
orgrels_free(struct snap_orgrel *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].name);
		strlist_release(&r[i].domains);
		free(r[i].freebusy_level);
		free(r[i].target_app_uri);
		free(r[i].target_autodiscover);
		free(r[i].target_sharing);
	}
	free(r);
}

static void
domains_free(struct snap_domain *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].name);
		free(d[i].type);
	}
	free(d);
}

static void
vdirs_free(struct snap_vdir *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].internal_url);
		free(v[i].external_url);
	}
	free(v);
}

static void
servers_free(struct snap_server *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].name);
		free(s[i].fqdn);
		free(s[i].edition);
		free(s[i].site);
		strlist_release(&s[i].roles);
		free(s[i].admin_display_version);
		free(s[i].file_version_text);
		vdirs_free(s[i].autodiscover, s[i].nautodiscover);
		vdirs_free(s[i].ews, s[i].news);
		for (size_t c = 0; c < s[i].ncerts; c++) {
			free(s[i].certs[c].thumbprint);
			free(s[i].certs[c].subject);
			free(s[i].certs[c].issuer);
			free(s[i].certs[c].der);
			free(s[i].certs[c].der_base64);
		}
		free(s[i].certs);
	}
	free(s);
}

static void
onprem_free(struct snapshot *s)
{
	struct snap_authconfig *a = &s->onprem.authconfig;

	free(a->current_thumbprint);
	free(a->previous_thumbprint);
	free(a->next_thumbprint);
	free(a->service_name);
	free(a->realm);
	for (size_t i = 0; i < s->onprem.nauthservers; i++) {
		struct snap_authserver *x = &s->onprem.authservers[i];

		free(x->name);
		free(x->type_text);
		free(x->metadata_url);
		free(x->issuer);
		free(x->realm);
		free(x->app_id);
		free(x->token_endpoint);
		strlist_release(&x->domains);
	}
	free(s->onprem.authservers);
	for (size_t i = 0; i < s->onprem.npartnerapps; i++) {
		struct snap_partnerapp *p = &s->onprem.partnerapps[i];

		free(p->name);
		free(p->app_id);
		free(p->realm);
		free(p->metadata_url);
	}
	free(s->onprem.partnerapps);
	iocs_free(s->onprem.iocs, s->onprem.niocs);
	for (size_t i = 0; i < s->onprem.nspaces; i++) {
		free(s->onprem.spaces[i].forest);
		free(s->onprem.spaces[i].method_text);
		free(s->onprem.spaces[i].proxy_url);
		free(s->onprem.spaces[i].target_autodiscover);
	}
	free(s->onprem.spaces);
	orgrels_free(s->onprem.orgrels, s->onprem.norgrels);
	domains_free(s->onprem.domains, s->onprem.ndomains);
	for (size_t i = 0; i < s->onprem.noverrides; i++) {
		struct snap_override *o = &s->onprem.overrides[i];

		free(o->name);
		free(o->component);
		free(o->section);
		strlist_release(&o->parameters);
		strlist_release(&o->servers);
		free(o->reason);
	}
	free(s->onprem.overrides);
	strlist_release(&s->onprem.hybrid_domains);
	free(s->onprem.service_instance);
	servers_free(s->onprem.servers, s->onprem.nservers);
}

static void
entra_free(struct snapshot *s)
{
	free(s->entra.sp.id);
	free(s->entra.sp.app_id);
	free(s->entra.sp.display_name);
	strlist_release(&s->entra.sp.spns);
	keys_free(s->entra.sp.keys, s->entra.sp.nkeys);
	for (size_t i = 0; i < s->entra.napps; i++) {
		struct snap_app *a = &s->entra.apps[i];

		free(a->id);
		free(a->app_id);
		free(a->display_name);
		keys_free(a->keys, a->nkeys);
		for (size_t r = 0; r < a->naccess; r++) {
			free(a->access[r].resource_app_id);
			strlist_release(&a->access[r].roles);
			strlist_release(&a->access[r].role_values);
			strlist_release(&a->access[r].scopes);
		}
		free(a->access);
		for (size_t r = 0; r < a->nassignments; r++) {
			free(a->assignments[r].app_role_id);
			free(a->assignments[r].app_role_value);
			free(a->assignments[r].resource_app_id);
			free(a->assignments[r].resource_name);
		}
		free(a->assignments);
	}
	free(s->entra.apps);
}

void
snapshot_free(struct snapshot *s)
{
	if (s == NULL)
		return;
	free(s->origin);
	free(s->schema);
	free(s->cloud);
	free(s->tenant_id);
	free(s->org_name);
	free(s->org_guid);
	onprem_free(s);
	iocs_free(s->exo.iocs, s->exo.niocs);
	orgrels_free(s->exo.orgrels, s->exo.norgrels);
	domains_free(s->exo.domains, s->exo.ndomains);
	free(s->exo.ioc_onprem_endpoint);
	free(s->exo.ioc_online_endpoint);
	strlist_release(&s->exo.ioc_onprem_targets);
	entra_free(s);
	for (size_t i = 0; i < s->nerrors; i++) {
		free(s->errors[i].part);
		free(s->errors[i].message);
	}
	free(s->errors);
	free(s);
}
