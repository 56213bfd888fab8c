/*
 * Reads a configuration snapshot: the root, the schema, the parse and load
 * entry points, versions and freeing. The lenient JSON readers are in
 * psjson.c; Exchange's parts in snapshot_exchange.c, Entra's in
 * snapshot_entra.c.
 */
#include "snapshot_parts.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include "str.h"
#include "file.h"

char *
snapshot_sha1_hex(const unsigned char *d, size_t n)
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

static int
parse_error(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_error *er = slot;

	return psjson_str(j, o, "part", &er->part) ||
	    psjson_str(j, o, "message", &er->message) ? -1 : 0;
}

static int
parse_root(struct psjson *j, const cJSON *root, struct snapshot *s)
{
	const cJSON *part = NULL, *org = NULL;

	if (!cJSON_IsObject(root))
		return psjson_bad(j, NULL, "an object", root);
	if (psjson_str(j, root, "schema", &s->schema))
		return -1;
	if (s->schema == NULL || strncmp(s->schema, "hybridcheck.snapshot/", 21) != 0 ||
	    strcmp(s->schema, SNAPSHOT_SCHEMA) != 0) {
		const cJSON *v = cJSON_GetObjectItem(root, "schema");

		return psjson_bad(j, "schema", "\"" SNAPSHOT_SCHEMA "\"", v);
	}
	if (psjson_date(j, root, "collectedAt", &s->collected) ||
	    psjson_str(j, root, "cloud", &s->cloud) ||
	    psjson_guid(j, root, "tenantId", &s->tenant_id) ||
	    psjson_object(j, root, "organization", &org))
		return -1;
	if (s->cloud != NULL)
		str_lower(s->cloud);
	if (org != NULL) {
		size_t old = psjson_push_key(j, "organization");

		if (psjson_str(j, org, "name", &s->org_name) ||
		    psjson_guid(j, org, "guid", &s->org_guid))
			return -1;
		psjson_pop(j, old);
	}
	if (psjson_object(j, root, "onPremises", &part))
		return -1;
	if (part != NULL) {
		size_t old = psjson_push_key(j, "onPremises");

		if (snapshot_onprem_parse(j, part, s) == -1)
			return -1;
		psjson_pop(j, old);
	}
	if (psjson_object(j, root, "exchangeOnline", &part))
		return -1;
	if (part != NULL) {
		size_t old = psjson_push_key(j, "exchangeOnline");

		if (snapshot_exo_parse(j, part, s) == -1)
			return -1;
		psjson_pop(j, old);
	}
	if (psjson_object(j, root, "entra", &part))
		return -1;
	if (part != NULL) {
		size_t old = psjson_push_key(j, "entra");

		if (snapshot_entra_parse(j, part, s) == -1)
			return -1;
		psjson_pop(j, old);
	}
	return psjson_each(j, root, "errors", (void **)&s->errors, &s->nerrors,
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
	struct psjson j;
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
	s->onprem.cloud_archives = -1;
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
	if (file_read(path, SNAPSHOT_MAX_BYTES, &text, &len, e) == -1)
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
	snapshot_onprem_release(s);
	snapshot_exo_release(s);
	snapshot_entra_release(s);
	for (size_t i = 0; i < s->nerrors; i++) {
		free(s->errors[i].part);
		free(s->errors[i].message);
	}
	free(s->errors);
	free(s);
}
