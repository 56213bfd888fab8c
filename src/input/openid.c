#include "openid.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include "str.h"

int
openid_is_guid(const char *s, size_t len)
{
	return str_is_guid(s, len);
}

/* The first path segment of url that is a GUID, lower-cased; or NULL. */
static char *
guid_segment(const char *url)
{
	const char *p = strstr(url, "://");

	p = p ? p + 3 : url;
	while ((p = strchr(p, '/')) != NULL) {
		size_t n;

		p++;
		n = strcspn(p, "/?#");
		if (openid_is_guid(p, n)) {
			char *g = xstrndup(p, n);

			str_lower(g);
			return g;
		}
	}
	return NULL;
}

static char *
host_of(const char *url)
{
	const char *p = strstr(url, "://");
	size_t n;
	char *h;

	if (p == NULL)
		return NULL;
	p += 3;
	n = strcspn(p, "/:?#");
	if (n == 0)
		return NULL;
	h = xstrndup(p, n);
	str_lower(h);
	return h;
}

static char *
str(const cJSON *obj, const char *name)
{
	const cJSON *c = cJSON_GetObjectItem(obj, name);

	return cJSON_IsString(c) && *c->valuestring ? xstrdup(c->valuestring)
	    : NULL;
}

int
openid_parse(struct openid *o, const char *text, size_t len, struct hcerr *e)
{
	cJSON *root = NULL;

	memset(o, 0, sizeof(*o));
	if (len > OPENID_MAX) {
		hcerr_set(e, "openid configuration of %zu bytes exceeds %d", len,
		    OPENID_MAX);
		return -1;
	}
	if ((root = cJSON_ParseWithLength(text, len)) == NULL ||
	    !cJSON_IsObject(root)) {
		hcerr_set(e, "openid configuration: not a JSON object");
		goto bad;
	}
	o->token_endpoint = str(root, "token_endpoint");
	o->issuer = str(root, "issuer");
	o->authorization_endpoint = str(root, "authorization_endpoint");
	o->tenant_region_scope = str(root, "tenant_region_scope");
	o->tenant_region_sub_scope = str(root, "tenant_region_sub_scope");
	o->cloud_instance_name = str(root, "cloud_instance_name");
	o->cloud_graph_host_name = str(root, "cloud_graph_host_name");
	o->msgraph_host = str(root, "msgraph_host");
	if (o->token_endpoint != NULL) {
		o->token_host = host_of(o->token_endpoint);
		if ((o->tenant_id = guid_segment(o->token_endpoint)) != NULL)
			o->tenant_from = "token_endpoint";
	}
	if (o->tenant_id == NULL && o->issuer != NULL &&
	    (o->tenant_id = guid_segment(o->issuer)) != NULL)
		o->tenant_from = "issuer";
	/*
	 * Microsoft's Azure Government page identifies a tenant by a document
	 * holding only authorization_endpoint and tenant_region_scope; what
	 * administrators paste from it must still name the tenant.
	 */
	if (o->tenant_id == NULL && o->authorization_endpoint != NULL &&
	    (o->tenant_id = guid_segment(o->authorization_endpoint)) != NULL)
		o->tenant_from = "authorization_endpoint";
	if (o->tenant_id == NULL) {
		if (o->token_endpoint == NULL && o->issuer == NULL &&
		    o->authorization_endpoint == NULL)
			hcerr_set(e, "openid configuration: none of token_endpoint, "
			    "issuer and authorization_endpoint is present");
		else
			hcerr_set(e, "openid configuration: no tenant id (GUID) in "
			    "token_endpoint '%s', issuer '%s' or "
			    "authorization_endpoint '%s'",
			    o->token_endpoint ? o->token_endpoint : "",
			    o->issuer ? o->issuer : "",
			    o->authorization_endpoint ?
			    o->authorization_endpoint : "");
		goto bad;
	}
	cJSON_Delete(root);
	return 0;
bad:
	cJSON_Delete(root);
	openid_release(o);
	return -1;
}

void
openid_release(struct openid *o)
{
	if (o == NULL)
		return;
	free(o->tenant_id);
	free(o->token_endpoint);
	free(o->issuer);
	free(o->authorization_endpoint);
	free(o->tenant_region_scope);
	free(o->tenant_region_sub_scope);
	free(o->cloud_instance_name);
	free(o->cloud_graph_host_name);
	free(o->msgraph_host);
	free(o->token_host);
	memset(o, 0, sizeof(*o));
}

int
openid_parse_error(struct openid_error *oe, const char *text, size_t len)
{
	cJSON *root = NULL, *codes;
	const char *d;

	memset(oe, 0, sizeof(*oe));
	if (len > OPENID_MAX || (root = cJSON_ParseWithLength(text, len)) == NULL)
		return -1;
	if (!cJSON_IsObject(root) || (oe->error = str(root, "error")) == NULL) {
		cJSON_Delete(root);
		openid_error_release(oe);
		return -1;
	}
	if ((oe->description = str(root, "error_description")) != NULL)
		oe->description[strcspn(oe->description, "\r\n")] = '\0';
	codes = cJSON_GetObjectItem(root, "error_codes");
	/* Only a code that fits is taken; a huge number must not overflow. */
	if (cJSON_IsArray(codes) && cJSON_IsNumber(cJSON_GetArrayItem(codes, 0)) &&
	    cJSON_GetArrayItem(codes, 0)->valuedouble >= 0 &&
	    cJSON_GetArrayItem(codes, 0)->valuedouble < 1e9)
		oe->code = (long)cJSON_GetArrayItem(codes, 0)->valuedouble;
	else if ((d = oe->description) != NULL && strncmp(d, "AADSTS", 6) == 0)
		oe->code = strtol(d + 6, NULL, 10);
	cJSON_Delete(root);
	return 0;
}

void
openid_error_release(struct openid_error *oe)
{
	if (oe == NULL)
		return;
	free(oe->error);
	free(oe->description);
	memset(oe, 0, sizeof(*oe));
}
