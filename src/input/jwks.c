/* Entra ID key sets (jwks.h). */
#include "jwks.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include "metadata.h"
#include "str.h"

static char *
member(const cJSON *obj, const char *name)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(c) && c->valuestring[0] != '\0' ?
	    str_clean_text(c->valuestring) : NULL;
}

/* x5c[0]: standard base64 of a DER certificate. */
static void
certificate(struct jwk *k, const cJSON *key)
{
	const cJSON *x5c = cJSON_GetObjectItemCaseSensitive(key, "x5c");
	const cJSON *first = cJSON_IsArray(x5c) ? cJSON_GetArrayItem(x5c, 0) : NULL;

	if (!cJSON_IsString(first)) {
		k->error = xstrdup("no x5c certificate");
		return;
	}
	if ((k->der = metadata_b64decode(first->valuestring, &k->der_len)) == NULL) {
		k->error = xstrdup("x5c[0] is not base64");
		k->der_len = 0;
	}
}

int
jwks_parse(struct jwks *k, const char *text, size_t len, struct hcerr *e)
{
	cJSON *root = NULL, *keys, *it;
	int rc = -1;

	memset(k, 0, sizeof(*k));
	if (len > JWKS_MAX) {
		hcerr_set(e, "key set of %zu bytes exceeds %d", len, JWKS_MAX);
		return -1;
	}
	if ((root = cJSON_ParseWithLength(text, len)) == NULL ||
	    !cJSON_IsObject(root)) {
		hcerr_set(e, "key set: not a JSON object");
		goto out;
	}
	keys = cJSON_GetObjectItemCaseSensitive(root, "keys");
	if (!cJSON_IsArray(keys)) {
		hcerr_set(e, "key set: no \"keys\" array");
		goto out;
	}
	cJSON_ArrayForEach(it, keys) {
		struct jwk *j;

		if (!cJSON_IsObject(it) ||
		    cJSON_GetObjectItemCaseSensitive(it, "kty") == NULL) {
			hcerr_set(e, "key set: key %zu is not a JSON Web Key (no kty)",
			    k->n + 1);
			goto out;
		}
		k->v = xrealloc(k->v, (k->n + 1) * sizeof(*k->v));
		j = &k->v[k->n++];
		memset(j, 0, sizeof(*j));
		j->kid = member(it, "kid");
		j->x5t = member(it, "x5t");
		j->use = member(it, "use");
		j->issuer = member(it, "issuer");
		certificate(j, it);
	}
	rc = 0;
out:
	cJSON_Delete(root);
	if (rc == -1)
		jwks_release(k);
	return rc;
}

void
jwks_release(struct jwks *k)
{
	if (k == NULL)
		return;
	for (size_t i = 0; i < k->n; i++) {
		free(k->v[i].kid);
		free(k->v[i].x5t);
		free(k->v[i].use);
		free(k->v[i].issuer);
		free(k->v[i].der);
		free(k->v[i].error);
	}
	free(k->v);
	memset(k, 0, sizeof(*k));
}
