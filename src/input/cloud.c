#include "cloud.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "dnsname.h"
#include "file.h"
#include "str.h"
#include <stdio.h>

#define PROFILE_MAX	(1024 * 1024)

enum field_kind {
	FK_URL_TEMPLATE,	/* one https URL containing {domain} */
	FK_URL,			/* one https URL */
	FK_URLS,		/* https URLs */
	FK_HOSTS,		/* DNS names */
	FK_HOST,		/* one DNS name */
	FK_SUFFIXES,		/* DNS name suffixes */
	FK_WORD,		/* one token such as O365China */
	FK_WORDS,		/* tokens */
	FK_DATE,		/* one calendar day YYYY-MM-DD, or "unknown" */
};

/* Every field a profile must have; others are kept but not required. */
static const struct {
	const char	*key;
	enum field_kind	 kind;
	int		 required;
} schema[] = {
	{ "acs_metadata_url",		FK_URL_TEMPLATE, 1 },
	{ "evosts_metadata_url",	FK_URL_TEMPLATE, 1 },
	{ "openid_configuration_url",	FK_URL_TEMPLATE, 1 },
	{ "login_hosts",		FK_HOSTS, 1 },
	{ "exo_hosts",			FK_HOSTS, 1 },
	{ "ews_url",			FK_URL, 1 },
	{ "discovery_endpoints",	FK_URLS, 1 },
	{ "routing_domain_suffixes",	FK_SUFFIXES, 1 },
	{ "initial_domain_suffix",	FK_HOST, 1 },
	{ "graph_host",			FK_HOST, 1 },
	{ "exo_environment",		FK_WORD, 1 },
	{ "graph_environment",		FK_WORD, 1 },
	{ "hybrid_app_environment",	FK_WORD, 1 },
	{ "graph_route",		FK_WORD, 0 },
	{ "dauth_freebusy",		FK_WORD, 0 },
	{ "hybrid_service_instance",	FK_WORD, 0 },
	{ "cloud_instance_names",	FK_HOSTS, 1 },
	{ "acs_principals",		FK_WORDS, 1 },
	{ "tenant_region_scopes",	FK_WORDS, 0 },
	{ "tenant_region_sub_scopes",	FK_WORDS, 0 },
	{ "autodiscover_v2_url",	FK_URL_TEMPLATE, 0 },
	{ "entra_keys_url",		FK_URL_TEMPLATE, 0 },
	/* The milestones of 2025-2027 (docs/clouds.md); "unknown" allowed. */
	{ CLOUD_T0,			FK_DATE, 1 },
	{ CLOUD_T1,			FK_DATE, 1 },
	{ CLOUD_T2,			FK_DATE, 1 },
};

static const char *const certainties[] = { "confirmed", "reported", "unsettled",
    "unknown" };

/* "YYYY-MM-DD" naming a real day into *t (00:00 UTC); 0 on success. */
static int
parse_day(const char *s, time_t *t)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, leap;
	long days;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !(s[i] >= '0' && s[i] <= '9'))
			return -1;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return -1;
	/* Days since 1970-01-01 (civil-from-days, inverted). */
	{
		int yy = y - (m <= 2);
		int era = yy / 400, yoe = yy - era * 400;
		int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		days = (long)era * 146097 + doe - 719468;
	}
	*t = (time_t)days * 86400;
	return 0;
}

static int
valid_word(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

static int
valid_url(const char *s, int tmpl)
{
	const char *host = s + 8, *end;
	char name[256];
	size_t n;

	if (strncasecmp(s, "https://", 8) != 0)
		return 0;
	end = host + strcspn(host, "/:?#");
	n = (size_t)(end - host);
	if (n == 0 || n >= sizeof(name))
		return 0;
	memcpy(name, host, n);
	name[n] = '\0';
	if (!dnsname_is_valid(name))
		return 0;
	if (tmpl && strstr(s, "{domain}") == NULL)
		return 0;
	return strpbrk(s, " \t\r\n\"'`") == NULL;
}

static const char *
kind_text(enum field_kind k)
{
	switch (k) {
	case FK_URL_TEMPLATE:
		return "an https URL containing {domain}";
	case FK_URL:
	case FK_URLS:
		return "an https URL";
	case FK_HOST:
	case FK_HOSTS:
	case FK_SUFFIXES:
		return "a DNS name";
	case FK_DATE:
		return "a day YYYY-MM-DD or \"unknown\"";
	default:
		return "a word of letters, digits, '-', '_' or '.'";
	}
}

static int
valid_value(enum field_kind k, const char *v)
{
	switch (k) {
	case FK_URL_TEMPLATE:
		return valid_url(v, 1);
	case FK_URL:
	case FK_URLS:
		return valid_url(v, 0);
	case FK_HOST:
	case FK_HOSTS:
	case FK_SUFFIXES:
		return dnsname_is_valid(v);
	case FK_DATE: {
		time_t t;

		return strcmp(v, "unknown") == 0 || parse_day(v, &t) == 0;
	}
	default:
		return valid_word(v);
	}
}

static int
single_kind(enum field_kind k)
{
	return k == FK_URL_TEMPLATE || k == FK_URL || k == FK_HOST || k == FK_WORD ||
	    k == FK_DATE;
}

static int
get_string(const cJSON *obj, const char *key, int required, char **out,
    const char *origin, const char *path, struct hcerr *e)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (it == NULL || cJSON_IsNull(it)) {
		if (!required)
			return 0;
		hcerr_set(e, "%s: %s.%s: missing, expected a string", origin,
		    path, key);
		return -1;
	}
	if (!cJSON_IsString(it) || it->valuestring[0] == '\0') {
		hcerr_set(e, "%s: %s.%s: expected a non-empty string", origin,
		    path, key);
		return -1;
	}
	*out = xstrdup(it->valuestring);
	return 0;
}

static int
parse_field(struct cloud_field *f, const cJSON *item, const char *origin,
    struct hcerr *e)
{
	const cJSON *value, *values, *v;
	char path[128];
	int kind = -1, required_kind;

	snprintf(path, sizeof(path), "fields.%s", item->string);
	f->key = xstrdup(item->string);
	if (!cJSON_IsObject(item)) {
		hcerr_set(e, "%s: %s: expected an object with value/values, "
		    "source and certainty", origin, path);
		return -1;
	}
	for (size_t i = 0; i < sizeof(schema) / sizeof(schema[0]); i++)
		if (strcmp(schema[i].key, f->key) == 0)
			kind = (int)schema[i].kind;
	value = cJSON_GetObjectItemCaseSensitive(item, "value");
	values = cJSON_GetObjectItemCaseSensitive(item, "values");
	if ((value == NULL) == (values == NULL)) {
		hcerr_set(e, "%s: %s: expected exactly one of \"value\" or "
		    "\"values\"", origin, path);
		return -1;
	}
	if (kind != -1) {
		required_kind = single_kind((enum field_kind)kind);
		if (required_kind && value == NULL) {
			hcerr_set(e, "%s: %s: expected \"value\" (one %s)",
			    origin, path, kind_text((enum field_kind)kind));
			return -1;
		}
		if (!required_kind && values == NULL) {
			hcerr_set(e, "%s: %s: expected \"values\" (a list of %s)",
			    origin, path, kind_text((enum field_kind)kind));
			return -1;
		}
	}
	if (value != NULL) {
		if (!cJSON_IsString(value)) {
			hcerr_set(e, "%s: %s.value: expected a string", origin, path);
			return -1;
		}
		strlist_add(&f->values, value->valuestring);
	} else {
		if (!cJSON_IsArray(values) || cJSON_GetArraySize(values) == 0) {
			hcerr_set(e, "%s: %s.values: expected a non-empty array "
			    "of strings", origin, path);
			return -1;
		}
		cJSON_ArrayForEach(v, values) {
			if (!cJSON_IsString(v)) {
				hcerr_set(e, "%s: %s.values[%zu]: expected a string",
				    origin, path, f->values.n);
				return -1;
			}
			strlist_add(&f->values, v->valuestring);
		}
	}
	if (kind != -1)
		for (size_t i = 0; i < f->values.n; i++)
			if (!valid_value((enum field_kind)kind, f->values.v[i])) {
				hcerr_set(e, "%s: %s: '%s' is not %s", origin, path,
				    f->values.v[i], kind_text((enum field_kind)kind));
				return -1;
			}
	if (get_string(item, "recommended", 0, &f->recommended, origin, path, e) ||
	    get_string(item, "source", 1, &f->source, origin, path, e) ||
	    get_string(item, "certainty", 1, &f->certainty, origin, path, e) ||
	    get_string(item, "note", 0, &f->note, origin, path, e))
		return -1;
	if (f->recommended != NULL && !strlist_contains_ci(&f->values, f->recommended)) {
		hcerr_set(e, "%s: %s.recommended: '%s' is not one of the values",
		    origin, path, f->recommended);
		return -1;
	}
	/* "unknown" is a date's pair: no date, and Microsoft said none. */
	if ((strcmp(f->certainty, "unknown") == 0) !=
	    (kind == FK_DATE && strcmp(f->values.v[0], "unknown") == 0)) {
		if (kind == FK_DATE)
			hcerr_set(e, "%s: %s: value '%s' with certainty '%s': a day "
			    "takes confirmed, reported or unsettled, and \"unknown\" "
			    "takes certainty \"unknown\"", origin, path,
			    f->values.v[0], f->certainty);
		else
			hcerr_set(e, "%s: %s.certainty: 'unknown' is only for a "
			    "milestone date whose value is \"unknown\"", origin, path);
		return -1;
	}
	for (size_t i = 0; i < sizeof(certainties) / sizeof(certainties[0]); i++)
		if (strcmp(f->certainty, certainties[i]) == 0)
			return 0;
	hcerr_set(e, "%s: %s.certainty: '%s', expected confirmed, reported or "
	    "unsettled", origin, path, f->certainty);
	return -1;
}

int
cloud_parse(struct cloud *c, const char *text, size_t len, const char *origin,
    struct hcerr *e)
{
	cJSON *root = NULL;
	const cJSON *schema_id, *aliases, *fields, *it;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	c->origin = xstrdup(origin);
	if ((root = cJSON_ParseWithLength(text, len)) == NULL) {
		hcerr_set(e, "%s: not valid JSON (near byte %td)", origin,
		    cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() - text : (ptrdiff_t)0);
		goto out;
	}
	if (!cJSON_IsObject(root)) {
		hcerr_set(e, "%s: expected a JSON object at the top", origin);
		goto out;
	}
	schema_id = cJSON_GetObjectItemCaseSensitive(root, "schema");
	if (!cJSON_IsString(schema_id) ||
	    strcmp(schema_id->valuestring, "hybridcheck.cloud/1") != 0) {
		hcerr_set(e, "%s: schema: expected \"hybridcheck.cloud/1\"", origin);
		goto out;
	}
	if (get_string(root, "name", 1, &c->name, origin, "$", e) ||
	    get_string(root, "display_name", 1, &c->display_name, origin, "$", e))
		goto out;
	if (!valid_word(c->name)) {
		hcerr_set(e, "%s: $.name: '%s' is not a word of letters, digits, "
		    "'-' or '_'", origin, c->name);
		goto out;
	}
	aliases = cJSON_GetObjectItemCaseSensitive(root, "aliases");
	if (aliases != NULL) {
		if (!cJSON_IsArray(aliases)) {
			hcerr_set(e, "%s: $.aliases: expected an array of strings",
			    origin);
			goto out;
		}
		cJSON_ArrayForEach(it, aliases) {
			if (!cJSON_IsString(it) || !valid_word(it->valuestring)) {
				hcerr_set(e, "%s: $.aliases[%zu]: expected a word",
				    origin, c->aliases.n);
				goto out;
			}
			strlist_add(&c->aliases, it->valuestring);
		}
	}
	fields = cJSON_GetObjectItemCaseSensitive(root, "fields");
	if (!cJSON_IsObject(fields)) {
		hcerr_set(e, "%s: $.fields: missing, expected an object", origin);
		goto out;
	}
	c->fields = xcalloc((size_t)cJSON_GetArraySize(fields) + 1, sizeof(*c->fields));
	cJSON_ArrayForEach(it, fields) {
		if (parse_field(&c->fields[c->nfields++], it, origin, e) == -1)
			goto out;
	}
	for (size_t i = 0; i < sizeof(schema) / sizeof(schema[0]); i++)
		if (schema[i].required && cloud_field(c, schema[i].key) == NULL) {
			hcerr_set(e, "%s: fields.%s: missing, expected %s", origin,
			    schema[i].key, kind_text(schema[i].kind));
			goto out;
		}
	rc = 0;
out:
	cJSON_Delete(root);
	if (rc != 0)
		cloud_release(c);
	return rc;
}

void
cloud_release(struct cloud *c)
{
	if (c == NULL)
		return;
	free(c->name);
	free(c->display_name);
	free(c->origin);
	free(c->sha256);
	strlist_release(&c->aliases);
	for (size_t i = 0; i < c->nfields; i++) {
		struct cloud_field *f = &c->fields[i];

		free(f->key);
		strlist_release(&f->values);
		free(f->recommended);
		free(f->source);
		free(f->certainty);
		free(f->note);
	}
	free(c->fields);
	memset(c, 0, sizeof(*c));
}

static int
set_put(struct cloud_set *s, struct cloud *c, int override, struct hcerr *e)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcasecmp(s->v[i].name, c->name) == 0 ||
		    (s->v[i].builtin && strlist_contains_ci(&s->v[i].aliases,
		    c->name))) {
			if (s->v[i].builtin && !override) {
				/*
				 * A file would silently point the script at
				 * hosts of its choosing for a cloud the reader
				 * takes for Microsoft's.
				 */
				hcerr_set(e, "%s: profile '%s' has the name of the "
				    "built-in cloud '%s': a file may add clouds, "
				    "and replaces a built-in one only with "
				    "--endpoints-override", c->origin, c->name,
				    s->v[i].name);
				cloud_release(c);
				return -1;
			}
			cloud_release(&s->v[i]);
			s->v[i] = *c;
			return 0;
		}
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = *c;
	return 0;
}

int
cloud_set_load_embedded(struct cloud_set *s, struct hcerr *e)
{
	for (const struct cloud_embedded *p = cloud_embedded; p->name; p++) {
		struct cloud c;
		char origin[64];

		snprintf(origin, sizeof(origin), "embedded %s.json", p->name);
		if (cloud_parse(&c, p->text, p->len, origin, e) == -1)
			return -1;
		c.builtin = 1;
		if (set_put(s, &c, 1, e) == -1)
			return -1;
	}
	return 0;
}

char *
cloud_origin_text(const struct cloud *c)
{
	char *shown, *out;

	if (c->builtin)
		return xstrdup("built-in");
	shown = str_clean_text(c->origin);
	out = xasprintf("%s (sha256 %s)", shown, c->sha256 ? c->sha256 : "?");
	free(shown);
	return out;
}

static char *
sha256_hex(const char *text, size_t len)
{
	unsigned char md[32];
	unsigned int n = 0;
	char hex[65];

	if (EVP_Digest(text, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return NULL;
	for (unsigned i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return xstrdup(hex);
}

static int
load_file(struct cloud_set *s, const char *path, int override, struct hcerr *e)
{
	char *text = NULL;
	size_t len;
	struct cloud c;
	int rc = -1;

	if (file_read(path, PROFILE_MAX, &text, &len, e) == -1)
		goto out;
	if (cloud_parse(&c, text, len, path, e) == -1)
		goto out;
	c.sha256 = sha256_hex(text, len);
	if (set_put(s, &c, override, e) == -1)
		goto out;
	rc = 0;
out:
	free(text);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
cloud_set_load_path(struct cloud_set *s, const char *path, int override,
    struct hcerr *e)
{
	struct stat st;
	DIR *d = NULL;
	struct dirent *de;
	struct strlist names = { 0 };
	int rc = -1;

	if (stat(path, &st) == -1)
		return load_file(s, path, override, e);	/* names the error */
	if (!S_ISDIR(st.st_mode))
		return load_file(s, path, override, e);
	if ((d = opendir(path)) == NULL) {
		hcerr_set(e, "cannot open directory '%s'", path);
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (str_has_suffix_ci(de->d_name, ".json"))
			strlist_add_owned(&names, xasprintf("%s/%s", path, de->d_name));
	closedir(d);
	if (names.n == 0) {
		hcerr_set(e, "'%s' holds no *.json cloud profile", path);
		goto out;
	}
	qsort(names.v, names.n, sizeof(*names.v), cmp_str);
	for (size_t i = 0; i < names.n; i++)
		if (load_file(s, names.v[i], override, e) == -1)
			goto out;
	rc = 0;
out:
	strlist_release(&names);
	return rc;
}

void
cloud_set_release(struct cloud_set *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		cloud_release(&s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

const struct cloud *
cloud_find(const struct cloud_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++) {
		if (strcasecmp(s->v[i].name, name) == 0 ||
		    strlist_contains_ci(&s->v[i].aliases, name))
			return &s->v[i];
	}
	return NULL;
}

const struct cloud_field *
cloud_field(const struct cloud *c, const char *key)
{
	for (size_t i = 0; i < c->nfields; i++)
		if (strcmp(c->fields[i].key, key) == 0)
			return &c->fields[i];
	return NULL;
}

const char *
cloud_value(const struct cloud *c, const char *key)
{
	const struct cloud_field *f = cloud_field(c, key);

	return f != NULL && f->values.n > 0 ? f->values.v[0] : NULL;
}

const char *
cloud_preferred(const struct cloud *c, const char *key)
{
	const struct cloud_field *f = cloud_field(c, key);

	if (f == NULL)
		return NULL;
	return f->recommended ? f->recommended : cloud_value(c, key);
}

int
cloud_has_value(const struct cloud *c, const char *key, const char *value)
{
	const struct cloud_field *f = cloud_field(c, key);

	return f != NULL && strlist_contains_ci(&f->values, value);
}

char *
cloud_expand(const char *tmpl, const char *domain)
{
	struct buf b;
	const char *p;

	buf_init(&b, (size_t)-1);
	while ((p = strstr(tmpl, "{domain}")) != NULL) {
		buf_append(&b, tmpl, (size_t)(p - tmpl));
		buf_append(&b, domain, strlen(domain));
		tmpl = p + strlen("{domain}");
	}
	buf_append(&b, tmpl, strlen(tmpl));
	return buf_steal(&b);
}

int
cloud_date(const struct cloud *c, const char *key, time_t *t,
    const struct cloud_field **f)
{
	const struct cloud_field *cf = c != NULL ? cloud_field(c, key) : NULL;

	if (f != NULL)
		*f = cf;
	if (cf == NULL || cf->values.n == 0 || strcmp(cf->values.v[0], "unknown") == 0)
		return -1;
	return parse_day(cf->values.v[0], t);
}
