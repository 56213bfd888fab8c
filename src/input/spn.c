/*
 * SPN host authorities. Tokens reach Exchange on-premises with the host in
 * their audience; Exchange Online issues them only for hosts registered as
 * service principal names of its application. People copy these lists out
 * of PowerShell windows, so the parser takes what those windows show.
 */
#include "spn.h"
#include "msid.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dnsname.h"
#include "text.h"
#include "str.h"
#include "file.h"
#include <stdio.h>

#define SPN_FILE_MAX	(4 * 1024 * 1024)

static const char truncated_why[] =
    "the list was cut short by PowerShell's display ($FormatEnumerationLimit): "
    "entries after this point are missing; export with ConvertTo-Json or "
    "Select-Object -ExpandProperty";

void
spn_set_init(struct spn_set *s)
{
	memset(s, 0, sizeof(*s));
}

void
spn_set_release(struct spn_set *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].raw);
		free(s->v[i].host);
		free(s->v[i].why);
		free(s->v[i].source);
	}
	free(s->v);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

struct spn_set *
spn_set_new(void)
{
	return xcalloc(1, sizeof(struct spn_set));
}

void
spn_set_free(struct spn_set *s)
{
	spn_set_release(s);
	free(s);
}

const char *
spn_kind_name(enum spn_kind k)
{
	switch (k) {
	case SPN_HOST:
		return "host";
	case SPN_WILDCARD:
		return "wildcard";
	case SPN_APPID:
		return "app id";
	case SPN_UNRELATED:
		return "unrelated";
	case SPN_MALFORMED:
		return "malformed";
	}
	return "unknown";
}

void
spn_authority(const struct spn_entry *e, char *buf, size_t len)
{
	if (e->kind == SPN_WILDCARD)
		snprintf(buf, len, "*.%s", e->host);
	else if (e->kind == SPN_HOST)
		snprintf(buf, len, "%s", e->host);
	else
		snprintf(buf, len, "%s", e->raw);
}

/* Meant as a GUID (only hex digits and dashes, about as long) but is not one. */
static int
guidish(const char *s, size_t n)
{
	size_t dashes = 0;

	if (n < 30 || n > 40)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-')
			dashes++;
		else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return dashes >= 2;
}

static void
set_kind(struct spn_entry *e, enum spn_kind k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_kind(struct spn_entry *e, enum spn_kind k, const char *fmt, ...)
{
	va_list ap;

	e->kind = k;
	free(e->why);
	e->why = NULL;
	if (fmt != NULL) {
		va_start(ap, fmt);
		e->why = xvasprintf(fmt, ap);
		va_end(ap);
	}
}

/* A host or "*.parent" (the part after "appid/" or inside a URL). */
static void
classify_authority(struct spn_entry *e, const char *a, size_t n)
{
	char *work = xstrndup(a, n), *colon, *host = NULL;
	struct hcerr why = { "" };
	int wild = 0;
	const char *name = work;

	while (n > 0 && work[n - 1] == '/')
		work[--n] = '\0';
	if (n == 0) {
		set_kind(e, SPN_MALFORMED, "no host after the application id");
		goto out;
	}
	if (strchr(work, '/') != NULL) {
		set_kind(e, SPN_MALFORMED, "a path after the host: an authority "
		    "is a host name only");
		goto out;
	}
	if ((colon = strrchr(work, ':')) != NULL) {
		for (const char *p = colon + 1; *p; p++)
			if (!isdigit((unsigned char)*p)) {
				set_kind(e, SPN_MALFORMED, "'%s' is not a port "
				    "number", colon + 1);
				goto out;
			}
		*colon = '\0';
	}
	if (strncmp(name, "*.", 2) == 0) {
		wild = 1;
		name += 2;
	}
	if (strchr(name, '*') != NULL) {
		set_kind(e, SPN_MALFORMED, "a wildcard must be the whole first "
		    "label, as in *.contoso.com");
		goto out;
	}
	if ((host = dnsname_normalize(name, &why)) == NULL) {
		set_kind(e, SPN_MALFORMED, "%s", why.msg);
		goto out;
	}
	if (wild && dnsname_labels(host) < 2) {
		set_kind(e, SPN_MALFORMED, "a wildcard over the top-level domain "
		    "'%s'", host);
		goto out;
	}
	if (!wild && dnsname_labels(host) < 2) {
		set_kind(e, SPN_MALFORMED, "'%s' is a single label, not a "
		    "published host name", host);
		goto out;
	}
	set_kind(e, wild ? SPN_WILDCARD : SPN_HOST, NULL);
	e->host = host;
	host = NULL;
out:
	free(host);
	free(work);
}

static void
classify(struct spn_entry *e, const char *t)
{
	size_t n = strlen(t);
	const char *slash, *scheme;

	e->form = SPN_FORM_OTHER;
	if ((strncasecmp(t, "https://", 8) == 0 && (scheme = t + 8)) ||
	    (strncasecmp(t, "http://", 7) == 0 && (scheme = t + 7))) {
		size_t hl = strcspn(scheme, "/?#");

		e->form = SPN_FORM_URL;
		if (memchr(scheme, '@', hl) != NULL) {
			set_kind(e, SPN_MALFORMED, "a URL with user information");
			return;
		}
		if (hl == 0) {
			set_kind(e, SPN_MALFORMED, "a URL without a host");
			return;
		}
		classify_authority(e, scheme, hl);
		if (e->kind == SPN_HOST && scheme[hl] != '\0' &&
		    strcmp(scheme + hl, "/") != 0) {
			/* Kept as a host: the audience names the host, not a path. */
			free(e->why);
			e->why = xasprintf("path '%s' ignored", scheme + hl);
		}
		return;
	}
	if (strstr(t, "://") != NULL || strncasecmp(t, "urn:", 4) == 0 ||
	    strncasecmp(t, "api:", 4) == 0) {
		set_kind(e, SPN_UNRELATED, "a URI that names no host authority");
		return;
	}
	if ((slash = strchr(t, '/')) != NULL) {
		size_t pl = (size_t)(slash - t);

		if (str_is_guid(t, pl)) {
			if (strncasecmp(t, MSID_EXO_APP, pl) != 0) {
				set_kind(e, SPN_UNRELATED, "another application's "
				    "id, not Exchange Online's %s", MSID_EXO_APP);
				return;
			}
			e->form = SPN_FORM_APPID_HOST;
			classify_authority(e, slash + 1, n - pl - 1);
			return;
		}
		if (guidish(t, pl)) {
			set_kind(e, SPN_MALFORMED, "'%.*s' is not a well-formed "
			    "application id (expected %s)", (int)pl, t,
			    MSID_EXO_APP);
			return;
		}
		set_kind(e, SPN_UNRELATED, "another service class ('%.*s')",
		    (int)(pl > 40 ? 40 : pl), t);
		return;
	}
	if (str_is_guid(t, n)) {
		set_kind(e, SPN_APPID, strcasecmp(t, MSID_EXO_APP) == 0 ?
		    "Exchange Online's own application id" :
		    "an application id");
		return;
	}
	if (guidish(t, n)) {
		set_kind(e, SPN_MALFORMED, "not a well-formed application id "
		    "(expected %s)", MSID_EXO_APP);
		return;
	}
	if (strchr(t, '.') != NULL) {
		struct hcerr why;
		char *h = dnsname_normalize(strncmp(t, "*.", 2) == 0 ? t + 2 : t,
		    &why);

		if (h != NULL) {
			free(h);
			set_kind(e, SPN_MALFORMED, "a bare host: an authority is "
			    "written %s/%s or https://host/", MSID_EXO_APP, t);
			return;
		}
	}
	set_kind(e, SPN_UNRELATED, "not a host authority");
}

static int
same_entry(const struct spn_entry *a, const struct spn_entry *b)
{
	if (a->kind != b->kind)
		return 0;
	if (a->kind == SPN_HOST || a->kind == SPN_WILDCARD)
		return a->form == b->form && strcmp(a->host, b->host) == 0;
	return strcasecmp(a->raw, b->raw) == 0;
}

/*
 * Equal entries are found through a hash set of first occurrences, so a
 * list of a million lines is read in linear time (a scan per entry was
 * quadratic: 150,000 lines took minutes).
 */
static uint64_t
entry_hash(const struct spn_entry *e)
{
	uint64_t h = 1469598103934665603ULL;
	const char *p;
	int by_host = e->kind == SPN_HOST || e->kind == SPN_WILDCARD;

	h = (h ^ (unsigned)e->kind) * 1099511628211ULL;
	if (by_host)
		h = (h ^ (unsigned)e->form) * 1099511628211ULL;
	for (p = by_host ? e->host : e->raw; p != NULL && *p; p++)
		h = (h ^ (unsigned char)(by_host ? *p :
		    tolower((unsigned char)*p))) * 1099511628211ULL;
	return h;
}

static void
index_grow(struct spn_set *s)
{
	size_t n = s->nslots ? s->nslots * 2 : 64, *old = s->slots, oldn = s->nslots;

	s->slots = xcalloc(n, sizeof(*s->slots));
	s->nslots = n;
	for (size_t i = 0; i < oldn; i++)
		if (old[i] != 0) {
			size_t k = entry_hash(&s->v[old[i] - 1]) & (n - 1);

			while (s->slots[k] != 0)
				k = (k + 1) & (n - 1);
			s->slots[k] = old[i];
		}
	free(old);
}

/*
 * Marks entry i (when mark) as a duplicate of an earlier equal one, or
 * indexes it as the first of its kind.
 */
static void
index_entry(struct spn_set *s, size_t i, int mark)
{
	struct spn_entry *e = &s->v[i];
	size_t k;

	if (s->nslots == 0 || (s->n + 1) * 2 > s->nslots)
		index_grow(s);
	for (k = entry_hash(e) & (s->nslots - 1); s->slots[k] != 0;
	    k = (k + 1) & (s->nslots - 1)) {
		size_t j = s->slots[k] - 1;

		if (j != i && same_entry(&s->v[j], e)) {
			if (mark)
				e->dup_of = (long)j;
			return;
		}
	}
	s->slots[k] = i + 1;
}

static struct spn_entry *
append(struct spn_set *s, const char *raw, const char *source, size_t line)
{
	struct spn_entry *e;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	e = &s->v[s->n++];
	memset(e, 0, sizeof(*e));
	e->raw = str_clean_text(raw);
	e->source = xstrdup(source != NULL ? source : "");
	e->line = line;
	e->dup_of = -1;
	return e;
}

void
spn_add(struct spn_set *s, const char *text, const char *source, size_t line)
{
	const char *p = text;
	size_t n;
	char *t;
	struct spn_entry *e;

	while (isspace((unsigned char)*p) || *p == '"' || *p == '\'')
		p++;
	n = strlen(p);
	while (n > 0 && (isspace((unsigned char)p[n - 1]) || p[n - 1] == '"' ||
	    p[n - 1] == '\'' || p[n - 1] == ','))
		n--;
	if (n == 0)
		return;
	t = xstrndup(p, n);
	e = append(s, t, source, line);
	classify(e, t);
	free(t);
	index_entry(s, s->n - 1, 1);
}

/* Words PowerShell prints around the values: headers and table rules. */
static int
noise_token(const char *t)
{
	static const char *const words[] = { "ServicePrincipalNames",
	    "ServicePrincipalName", "Value", "Name", "Names", "SPN", "SPNs" };
	size_t n = strlen(t);
	int digits = 1;

	if (strspn(t, "-=_") == n)
		return 1;
	if (strcmp(t, "*") == 0 || strcmp(t, "\xe2\x80\xa2") == 0 ||
	    strcmp(t, "\xc2\xb7") == 0)
		return 1;
	for (size_t i = 0; i + 1 < n; i++)
		if (!isdigit((unsigned char)t[i]))
			digits = 0;
	if (n >= 2 && digits && (t[n - 1] == '.' || t[n - 1] == ')'))
		return 1;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(t, words[i]) == 0)
			return 1;
	return 0;
}

/* "ServicePrincipalNames : {a, b}" → "{a, b}"; URLs' "https:" is no label. */
static const char *
skip_label(const char *l)
{
	const char *p = l;

	if (!isalpha((unsigned char)*p))
		return l;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '@' || *p == '.')
		p++;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != ':')
		return l;
	p++;
	if (*p != '\0' && *p != ' ' && *p != '\t')
		return l;
	return p;
}

static void
add_line(struct spn_set *s, char *line, const char *source, size_t lineno)
{
	char *p = (char *)skip_label(line), *tok, *save = NULL;

	for (char *q = p; *q; q++)
		if (strchr("{}[](),;\"'`", *q) != NULL)
			*q = ' ';
	for (tok = strtok_r(p, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		size_t n = strlen(tok);
		int cut = 0;

		if (n >= 3 && strcmp(tok + n - 3, "...") == 0) {
			tok[n -= 3] = '\0';
			cut = 1;
		} else if (n >= 3 && strcmp(tok + n - 3, "\xe2\x80\xa6") == 0) {
			tok[n -= 3] = '\0';
			cut = 1;
		}
		if (n > 0 && !noise_token(tok))
			spn_add(s, tok, source, lineno);
		if (cut) {
			struct spn_entry *e = append(s, "...", source, lineno);

			set_kind(e, SPN_MALFORMED, "%s", truncated_why);
			/* Never a duplicate itself (each cut is reported), but
			 * what a later equal entry duplicates. */
			index_entry(s, s->n - 1, 0);
		}
	}
}

static cJSON *
get_ci(const cJSON *obj, const char *key)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, obj)
		if (it->string != NULL && strcasecmp(it->string, key) == 0)
			return (cJSON *)it;
	return NULL;
}

/* Adds SPNs found in j; returns how many places held them. */
static int
add_json(struct spn_set *s, const cJSON *j, const char *source)
{
	const cJSON *it;
	size_t i = 0;
	int found = 0;

	if (cJSON_IsString(j)) {
		spn_add(s, j->valuestring, source, 1);
		return 1;
	}
	if (cJSON_IsArray(j)) {
		cJSON_ArrayForEach(it, j) {
			i++;
			if (cJSON_IsString(it))
				spn_add(s, it->valuestring, source, i);
			else if (cJSON_IsObject(it))
				found += add_json(s, it, source);
			else {
				struct spn_entry *e = append(s, "(not a string)",
				    source, i);

				set_kind(e, SPN_MALFORMED, "JSON element %zu is "
				    "not a string", i);
				index_entry(s, s->n - 1, 0);
			}
		}
		return 1 + found;
	}
	if (cJSON_IsObject(j)) {
		const cJSON *v = get_ci(j, "servicePrincipalNames");

		if (v != NULL)
			return add_json(s, v, source);
		if ((v = get_ci(j, "value")) != NULL && cJSON_IsArray(v)) {
			cJSON_ArrayForEach(it, v)
				if (cJSON_IsObject(it))
					found += add_json(s, it, source);
			return found;
		}
	}
	return 0;
}

int
spn_parse_text(struct spn_set *s, const char *data, size_t len,
    const char *source, struct hcerr *e)
{
	char *text = NULL, *line, *save = NULL;
	const char *p;
	cJSON *j = NULL;
	size_t tlen = 0, lineno = 0;
	int rc = -1;

	text = text_decode((const unsigned char *)data, len, &tlen, NULL);
	if (strlen(text) != tlen || !text_is_plain(text, tlen)) {
		hcerr_set(e, "'%s' is binary, expected service principal names "
		    "one a line or a JSON array", source);
		goto out;
	}
	for (p = text; isspace((unsigned char)*p); p++)
		;
	if (*p == '[' || *p == '"' || (*p == '{' && p[strspn(p + 1, " \t\r\n") + 1] == '"' &&
	    strchr(p, ':') != NULL)) {
		if ((j = cJSON_ParseWithLength(p, tlen - (size_t)(p - text))) != NULL) {
			if (add_json(s, j, source) == 0) {
				hcerr_set(e, "'%s' is JSON without service "
				    "principal names: expected an array of "
				    "strings or an object with "
				    "servicePrincipalNames", source);
				goto out;
			}
			rc = 0;
			goto out;
		}
		/* Not JSON after all: PowerShell's "{a, b}" or a list. */
	}
	/* strtok_r skips empty lines; count them by hand. */
	for (line = text; line != NULL; ) {
		char *nl = strchr(line, '\n');

		if (nl != NULL)
			*nl = '\0';
		lineno++;
		save = line;
		line = nl != NULL ? nl + 1 : NULL;
		{
			size_t n = strlen(save);

			while (n > 0 && (save[n - 1] == '\r' ||
			    isspace((unsigned char)save[n - 1])))
				save[--n] = '\0';
		}
		add_line(s, save, source, lineno);
	}
	rc = 0;
out:
	cJSON_Delete(j);
	free(text);
	return rc;
}

int
spn_load_file(struct spn_set *s, const char *path, struct hcerr *e)
{
	char *data = NULL;
	size_t len = 0;
	int rc;

	if (file_read(path, SPN_FILE_MAX, &data, &len, e) == -1)
		return -1;
	rc = spn_parse_text(s, data, len, path, e);
	free(data);
	return rc;
}