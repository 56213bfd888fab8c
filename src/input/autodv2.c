/* AutoDiscover v2 answers (autodv2.h). */
#include "autodv2.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include "str.h"

/* A non-empty string member, matched in any case (cJSON's GetObjectItem). */
static char *
member(const cJSON *obj, const char *name)
{
	const cJSON *c = cJSON_GetObjectItem(obj, name);

	return cJSON_IsString(c) && c->valuestring[0] != '\0' ?
	    str_clean_text(c->valuestring) : NULL;
}

int
autodv2_parse(struct autodv2 *a, const char *text, size_t len, struct hcerr *e)
{
	cJSON *root = NULL;
	int rc = -1;

	memset(a, 0, sizeof(*a));
	if (len > AUTODV2_MAX) {
		hcerr_set(e, "AutoDiscover v2 answer of %zu bytes exceeds %d", len,
		    AUTODV2_MAX);
		return -1;
	}
	if ((root = cJSON_ParseWithLength(text, len)) == NULL ||
	    !cJSON_IsObject(root)) {
		hcerr_set(e, "AutoDiscover v2 answer: not a JSON object");
		goto out;
	}
	a->protocol = member(root, "Protocol");
	a->url = member(root, "Url");
	a->server_location = member(root, "ServerLocation");
	a->error_code = member(root, "ErrorCode");
	a->error_message = member(root, "ErrorMessage");
	if (a->url == NULL && a->error_code == NULL) {
		hcerr_set(e, "AutoDiscover v2 answer: no Url and no ErrorCode");
		goto out;
	}
	if (a->url != NULL && strncasecmp(a->url, "https://", 8) != 0) {
		hcerr_set(e, "AutoDiscover v2 answer: Url '%s' is not an https URL",
		    a->url);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(root);
	if (rc == -1)
		autodv2_release(a);
	return rc;
}

char *
autodv2_url_host(const struct autodv2 *a)
{
	const char *p;
	size_t n;
	char *h;

	if (a == NULL || a->url == NULL)
		return NULL;
	p = a->url + 8;
	if ((n = strcspn(p, "/:?#")) == 0)
		return NULL;
	h = xstrndup(p, n);
	str_lower(h);
	return h;
}

void
autodv2_release(struct autodv2 *a)
{
	if (a == NULL)
		return;
	free(a->protocol);
	free(a->url);
	free(a->server_location);
	free(a->error_code);
	free(a->error_message);
	memset(a, 0, sizeof(*a));
}
