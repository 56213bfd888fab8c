/*
 * Reads what PowerShell makes of JSON. PowerShell is an unreliable JSON
 * writer: property names in any case (cJSON_GetObjectItem ignores case), a
 * lone object where an array belongs, {"value":[…],"Count":n} wrappers,
 * dates as "\/Date(ms)\/", enums as numbers, Uri or SmtpDomain values as
 * objects. All of those are accepted; anything else is reported with its
 * JSON path.
 */
#include "psjson.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "str.h"
#include "datetime.h"
#include "b64.h"
#include <stdio.h>

size_t
psjson_push_key(struct psjson *j, const char *key)
{
	size_t old = j->len;
	int n = snprintf(j->path + j->len, sizeof(j->path) - j->len, ".%s", key);

	if (n > 0 && (size_t)n < sizeof(j->path) - j->len)
		j->len += (size_t)n;
	return old;
}

size_t
psjson_push_index(struct psjson *j, size_t i)
{
	size_t old = j->len;
	int n = snprintf(j->path + j->len, sizeof(j->path) - j->len, "[%zu]", i);

	if (n > 0 && (size_t)n < sizeof(j->path) - j->len)
		j->len += (size_t)n;
	return old;
}

void
psjson_pop(struct psjson *j, size_t old)
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
int
psjson_bad(struct psjson *j, const char *key, const char *expected,
    const cJSON *got)
{
	char *shown = NULL;

	if (cJSON_IsString(got)) {
		char cut[48];

		snprintf(cut, sizeof(cut), "%s", got->valuestring);
		shown = str_clean_text(cut);
	}
	hcerr_set(j->e, "%s: %s%s%s: expected %s, got %s%s%s%s", j->origin,
	    j->path, key ? "." : "", key ? key : "", expected, jtype(got),
	    shown ? " '" : "", shown ? shown : "", shown ? "'" : "");
	free(shown);
	return -1;
}

int
psjson_absent(const cJSON *v)
{
	return v == NULL || cJSON_IsNull(v);
}

/*
 * Unwraps what PowerShell makes of scalars: {"value":x} (PSObject notes,
 * dates), Uri objects (AbsoluteUri/OriginalString), SmtpDomain
 * ({"Domain":…}), SmtpAddress ({"Address":…}). Returns v when none apply.
 */
const cJSON *
psjson_unwrap(const cJSON *v)
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
int
psjson_str(struct psjson *j, const cJSON *obj, const char *key, char **out)
{
	const cJSON *v = psjson_unwrap(cJSON_GetObjectItem(obj, key));

	*out = NULL;
	if (psjson_absent(v))
		return 0;
	if (cJSON_IsString(v)) {
		*out = xstrdup(v->valuestring);
		return 0;
	}
	if (cJSON_IsNumber(v)) {
		*out = xasprintf("%.17g", v->valuedouble);
		return 0;
	}
	return psjson_bad(j, key, "a string", v);
}

static enum tristate
word_bool(const char *s)
{
	if (str_caseeq(s, "true") || str_caseeq(s, "$true") ||
	    strcmp(s, "1") == 0 || str_caseeq(s, "yes"))
		return TRI_TRUE;
	if (str_caseeq(s, "false") || str_caseeq(s, "$false") ||
	    strcmp(s, "0") == 0 || str_caseeq(s, "no"))
		return TRI_FALSE;
	return TRI_UNKNOWN;
}

int
psjson_bool(struct psjson *j, const cJSON *obj, const char *key,
    enum tristate *out)
{
	const cJSON *v = psjson_unwrap(cJSON_GetObjectItem(obj, key));

	*out = TRI_UNKNOWN;
	if (psjson_absent(v))
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
	return psjson_bad(j, key, "a boolean (true or false)", v);
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

int
psjson_date(struct psjson *j, const cJSON *obj, const char *key, time_t *out)
{
	const cJSON *v = psjson_unwrap(cJSON_GetObjectItem(obj, key));

	*out = 0;
	if (psjson_absent(v) || (cJSON_IsString(v) && v->valuestring[0] == '\0'))
		return 0;
	if (cJSON_IsString(v) && (parse_msdate(v->valuestring, out) == 0 ||
	    datetime_parse_iso8601(v->valuestring, out) == 0))
		return 0;
	return psjson_bad(j, key, "a date (ISO-8601 or \\/Date(ms)\\/)", v);
}

int
psjson_iter_begin(struct psjson *j, const cJSON *v, struct psjson_iter *it,
    int *present)
{
	memset(it, 0, sizeof(*it));
	if (present)
		*present = !psjson_absent(v);
	if (cJSON_IsObject(v)) {
		const cJSON *inner = cJSON_GetObjectItem(v, "value");

		/* 5.1's {"value":[…],"Count":n}, or a Graph page {"value":[…]}. */
		if (cJSON_IsArray(inner) && (cJSON_GetObjectItem(v, "Count") ||
		    cJSON_GetObjectItem(v, "@odata.context") ||
		    cJSON_GetArraySize(v) == 1))
			v = inner;
	}
	if (psjson_absent(v))
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
	return psjson_bad(j, NULL, "an array", v);
}

void
psjson_iter_next(struct psjson_iter *it)
{
	it->cur = it->lone ? NULL : it->cur->next;
	it->i++;
}

size_t
psjson_iter_count(struct psjson *j, const cJSON *v)
{
	struct psjson_iter it;
	size_t n = 0;

	if (psjson_iter_begin(j, v, &it, NULL) == -1)
		return 0;
	for (; it.cur; psjson_iter_next(&it))
		n++;
	return n;
}

/* A list of strings (or one string, or values psjson_unwrap() can reduce). */
int
psjson_strlist(struct psjson *j, const cJSON *obj, const char *key,
    struct strlist *out)
{
	struct psjson_iter it;
	size_t old = psjson_push_key(j, key);

	if (psjson_iter_begin(j, cJSON_GetObjectItem(obj, key), &it, NULL) == -1)
		goto bad;
	for (; it.cur; psjson_iter_next(&it)) {
		const cJSON *v = psjson_unwrap(it.cur);
		size_t o2;

		if (psjson_absent(v))
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
		o2 = it.lone ? j->len : psjson_push_index(j, it.i);
		psjson_bad(j, NULL, "a string", v);
		psjson_pop(j, o2);
		goto bad;
	}
	psjson_pop(j, old);
	return 0;
bad:
	psjson_pop(j, old);
	return -1;
}

/* A name from names[] or its index as a number; *text keeps what was written. */
int
psjson_enum(struct psjson *j, const cJSON *obj, const char *key,
    const char *const *names, size_t nnames, int *out, char **text)
{
	const cJSON *v = psjson_unwrap(cJSON_GetObjectItem(obj, key));

	*out = -1;
	*text = NULL;
	if (psjson_absent(v))
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
			if (str_caseeq(v->valuestring, names[i]))
				*out = (int)i;
		*text = xstrdup(v->valuestring);
		return 0;
	}
	return psjson_bad(j, key, "a name or a number", v);
}

int
psjson_guid(struct psjson *j, const cJSON *obj, const char *key, char **out)
{
	char *s = NULL;

	if (psjson_str(j, obj, key, &s) == -1)
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
		if (!str_is_guid(s, strlen(s))) {
			cJSON *shown = cJSON_CreateString(s);

			psjson_bad(j, key, "a GUID", shown);
			cJSON_Delete(shown);
			free(s);
			return -1;
		}
		str_lower(s);
	}
	*out = s;
	return 0;
}

/* Base64 (standard or URL alphabet, whitespace and padding optional). */
int
psjson_b64_decode(const char *s, unsigned char **out, size_t *outlen)
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
		if ((v = b64_value(c)) == -1)
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

/* A base64 DER certificate: a string, or PowerShell's byte array for RawData. */
int
psjson_der(struct psjson *j, const cJSON *obj, const char *key,
    unsigned char **der, size_t *len, char **text)
{
	const cJSON *v = psjson_unwrap(cJSON_GetObjectItem(obj, key));

	*der = NULL;
	*len = 0;
	if (text)
		*text = NULL;
	if (psjson_absent(v) || (cJSON_IsString(v) && v->valuestring[0] == '\0'))
		return 0;
	if (cJSON_IsString(v)) {
		if (psjson_b64_decode(v->valuestring, der, len) == -1 || *len == 0) {
			free(*der);
			*der = NULL;
			return psjson_bad(j, key, "base64 DER", v);
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
				return psjson_bad(j, key, "base64 DER or an array of bytes", b);
			}
			(*der)[i++] = (unsigned char)b->valueint;
		}
		*len = n;
		return 0;
	}
	return psjson_bad(j, key, "base64 DER", v);
}

/* An object, or absent; anything else is garbage at this path. */
int
psjson_object(struct psjson *j, const cJSON *parent, const char *key,
    const cJSON **out)
{
	const cJSON *v = cJSON_GetObjectItem(parent, key);

	*out = NULL;
	if (psjson_absent(v))
		return 0;
	if (!cJSON_IsObject(v))
		return psjson_bad(j, key, "an object", v);
	*out = v;
	return 0;
}

int
psjson_each(struct psjson *j, const cJSON *obj, const char *key, void **items,
    size_t *n, size_t size, psjson_item_fn fn, int *present)
{
	struct psjson_iter it;
	size_t old = psjson_push_key(j, key), count;
	int rc = -1;

	count = psjson_iter_count(j, cJSON_GetObjectItem(obj, key));
	if (psjson_iter_begin(j, cJSON_GetObjectItem(obj, key), &it,
	    present) == -1)
		goto out;
	*items = xcalloc(count ? count : 1, size);
	*n = 0;
	for (; it.cur; psjson_iter_next(&it)) {
		size_t o2 = it.lone ? j->len : psjson_push_index(j, it.i);
		char *slot = (char *)*items + *n * size;

		if (!cJSON_IsObject(it.cur)) {
			psjson_bad(j, NULL, "an object", it.cur);
			psjson_pop(j, o2);
			goto out;
		}
		(*n)++;
		if (fn(j, it.cur, slot) == -1) {
			psjson_pop(j, o2);
			goto out;
		}
		psjson_pop(j, o2);
	}
	rc = 0;
out:
	psjson_pop(j, old);
	return rc;
}
