#include "metadata.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "tls.h"
#include "b64.h"

/*
 * A member of obj by name, any casing (Microsoft's documents disagree).
 * When the spelling differs from the canonical one, the variant is noted.
 */
static cJSON *
member(struct metadata *m, const cJSON *obj, const char *name)
{
	cJSON *c;

	if (!cJSON_IsObject(obj))
		return NULL;
	for (c = obj->child; c != NULL; c = c->next) {
		if (c->string == NULL || strcasecmp(c->string, name) != 0)
			continue;
		if (strcmp(c->string, name) != 0 &&
		    !strlist_contains_ci(&m->variants, c->string))
			strlist_add(&m->variants, c->string);
		return c;
	}
	return NULL;
}

/* A string member copied, or NULL when absent or not a string. */
static char *
string_member(struct metadata *m, const cJSON *obj, const char *name)
{
	cJSON *c = member(m, obj, name);

	return cJSON_IsString(c) ? xstrdup(c->valuestring) : NULL;
}

unsigned char *
metadata_b64decode(const char *s, size_t *len)
{
	size_t n = strlen(s), o = 0;
	unsigned char *out = xmalloc(n / 4 * 3 + 3);
	unsigned acc = 0;
	int bits = 0, pad = 0;

	for (; *s; s++) {
		int v;

		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			continue;
		if (*s == '=') {
			pad++;
			continue;
		}
		if (pad || (v = b64_value((unsigned char)*s)) < 0)
			goto bad;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (pad > 2 || bits >= 6)
		goto bad;
	*len = o;
	return out;
bad:
	free(out);
	return NULL;
}

/*
 * Compares an x5t as written with the certificate's SHA-1. The standard
 * form is base64url; hex thumbprints and padded base64 are accepted too.
 */
static int
x5t_equal(const char *x5t, const unsigned char sha1[20])
{
	unsigned char *d;
	size_t n = 0;
	int eq;

	if (strlen(x5t) == 40) {
		char hex[41];

		for (int i = 0; i < 20; i++)
			snprintf(hex + 2 * i, 3, "%02X", sha1[i]);
		if (strcasecmp(hex, x5t) == 0)
			return 1;
	}
	if ((d = metadata_b64decode(x5t, &n)) == NULL)
		return 0;
	eq = n == 20 && memcmp(d, sha1, 20) == 0;
	free(d);
	return eq;
}

static void
key_decode(struct metadata_key *k, const char *value)
{
	unsigned char md[SHA_DIGEST_LENGTH];
	const unsigned char *p;
	struct tls_cert info;
	X509 *x = NULL;

	k->x5t_match = -1;
	if ((k->der = metadata_b64decode(value, &k->der_len)) == NULL ||
	    k->der_len == 0) {
		free(k->der);
		k->der = NULL;
		k->error = xstrdup("value is not base64");
		return;
	}
	p = k->der;
	if ((x = d2i_X509(NULL, &p, (long)k->der_len)) == NULL) {
		k->error = xstrdup("value is base64 but not a DER X.509 certificate");
		return;
	}
	SHA1(k->der, k->der_len, md);
	for (int i = 0; i < SHA_DIGEST_LENGTH; i++)
		snprintf(k->sha1 + 2 * i, 3, "%02X", md[i]);
	b64url_encode(md, sizeof(md), k->x5t_computed, sizeof(k->x5t_computed));
	if (k->x5t != NULL)
		k->x5t_match = x5t_equal(k->x5t, md);
	if (tls_cert_describe(x, &info) == 0) {
		k->subject = info.subject;
		info.subject = NULL;
		k->not_before = info.not_before;
		k->not_after = info.not_after;
		tls_cert_release(&info);
	}
	X509_free(x);
}

static int
parse_key(struct metadata *m, const cJSON *jk, size_t i, struct hcerr *e)
{
	struct metadata_key *k = &m->keys[i];
	cJSON *kv, *ki, *x5t, *val;

	if (!cJSON_IsObject(jk)) {
		hcerr_set(e, "keys[%zu]: expected an object", i);
		return -1;
	}
	k->usage = string_member(m, jk, "usage");
	if ((kv = member(m, jk, "keyValue")) == NULL || !cJSON_IsObject(kv)) {
		hcerr_set(e, "keys[%zu].keyValue: expected an object", i);
		return -1;
	}
	k->type = string_member(m, kv, "type");
	/* keyInfo sits inside keyValue in ACS documents, beside it in Exchange's. */
	if ((ki = member(m, kv, "keyInfo")) == NULL &&
	    (ki = member(m, jk, "keyInfo")) != NULL &&
	    !strlist_contains_ci(&m->variants, "keyinfo sibling"))
		strlist_add(&m->variants, "keyinfo sibling");
	if ((x5t = member(m, ki, "x5t")) != NULL && cJSON_IsString(x5t))
		k->x5t = xstrdup(x5t->valuestring);
	if ((val = member(m, kv, "value")) == NULL || !cJSON_IsString(val)) {
		hcerr_set(e, "keys[%zu].keyValue.value: expected a base64 string", i);
		return -1;
	}
	key_decode(k, val->valuestring);
	return 0;
}

int
metadata_parse(struct metadata *m, const char *text, size_t len,
    struct hcerr *e)
{
	cJSON *root = NULL, *keys, *eps, *aud, *c;
	size_t i;

	memset(m, 0, sizeof(*m));
	if (len > METADATA_MAX) {
		hcerr_set(e, "metadata document of %zu bytes exceeds %d", len,
		    METADATA_MAX);
		return -1;
	}
	if ((root = cJSON_ParseWithLength(text, len)) == NULL) {
		const char *at = cJSON_GetErrorPtr();

		hcerr_set(e, "not JSON (near byte %td)",
		    at != NULL && at >= text && at <= text + len ? at - text : 0);
		return -1;
	}
	if (!cJSON_IsObject(root)) {
		hcerr_set(e, "top level: expected an object");
		goto bad;
	}
	m->id = string_member(m, root, "id");
	m->version = string_member(m, root, "version");
	m->name = string_member(m, root, "name");
	m->realm = string_member(m, root, "realm");
	m->issuer = string_member(m, root, "issuer");
	m->service_name = string_member(m, root, "serviceName");
	if ((aud = member(m, root, "allowedAudiences")) != NULL) {
		if (!cJSON_IsArray(aud)) {
			hcerr_set(e, "allowedAudiences: expected an array");
			goto bad;
		}
		cJSON_ArrayForEach(c, aud)
			if (cJSON_IsString(c))
				strlist_add(&m->audiences, c->valuestring);
	}
	keys = member(m, root, "keys");
	if (keys == NULL || !cJSON_IsArray(keys)) {
		hcerr_set(e, "keys: expected an array of signing keys");
		goto bad;
	}
	m->nkeys = (size_t)cJSON_GetArraySize(keys);
	m->keys = xcalloc(m->nkeys ? m->nkeys : 1, sizeof(*m->keys));
	i = 0;
	cJSON_ArrayForEach(c, keys)
		if (parse_key(m, c, i++, e) == -1)
			goto bad;
	if ((eps = member(m, root, "endpoints")) != NULL) {
		if (!cJSON_IsArray(eps)) {
			hcerr_set(e, "endpoints: expected an array");
			goto bad;
		}
		m->nendpoints = (size_t)cJSON_GetArraySize(eps);
		m->endpoints = xcalloc(m->nendpoints ? m->nendpoints : 1,
		    sizeof(*m->endpoints));
		i = 0;
		cJSON_ArrayForEach(c, eps) {
			struct metadata_endpoint *ep = &m->endpoints[i];

			if (!cJSON_IsObject(c)) {
				hcerr_set(e, "endpoints[%zu]: expected an object", i);
				goto bad;
			}
			ep->location = string_member(m, c, "location");
			ep->protocol = string_member(m, c, "protocol");
			ep->usage = string_member(m, c, "usage");
			i++;
		}
	}
	cJSON_Delete(root);
	return 0;
bad:
	cJSON_Delete(root);
	metadata_release(m);
	return -1;
}

const struct metadata_endpoint *
metadata_endpoint_find(const struct metadata *m, const char *protocol,
    const char *usage)
{
	for (size_t i = 0; i < m->nendpoints; i++) {
		const struct metadata_endpoint *ep = &m->endpoints[i];

		if (ep->protocol && ep->usage && ep->location &&
		    strcasecmp(ep->protocol, protocol) == 0 &&
		    strcasecmp(ep->usage, usage) == 0)
			return ep;
	}
	return NULL;
}

void
metadata_release(struct metadata *m)
{
	if (m == NULL)
		return;
	free(m->id);
	free(m->version);
	free(m->name);
	free(m->realm);
	free(m->issuer);
	free(m->service_name);
	strlist_release(&m->audiences);
	for (size_t i = 0; i < m->nkeys; i++) {
		free(m->keys[i].usage);
		free(m->keys[i].type);
		free(m->keys[i].x5t);
		free(m->keys[i].der);
		free(m->keys[i].error);
		free(m->keys[i].subject);
	}
	free(m->keys);
	for (size_t i = 0; i < m->nendpoints; i++) {
		free(m->endpoints[i].location);
		free(m->endpoints[i].protocol);
		free(m->endpoints[i].usage);
	}
	free(m->endpoints);
	strlist_release(&m->variants);
	memset(m, 0, sizeof(*m));
}
