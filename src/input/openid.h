/*
 * Tenant discovery: the OpenID configuration a login host serves for a
 * domain (<login host>/<domain>/v2.0/.well-known/openid-configuration), and
 * the AADSTS error it serves for a domain it does not know. Pure.
 */
#ifndef HC_OPENID_H
#define HC_OPENID_H

#include <stddef.h>

#include "mem.h"

#define OPENID_MAX	(256 * 1024)

struct openid {
	char	*tenant_id;		/* lower-case GUID */
	const char *tenant_from;	/* "token_endpoint", "issuer" or
					   "authorization_endpoint" */
	char	*token_endpoint;
	char	*issuer;
	char	*authorization_endpoint;
	char	*tenant_region_scope;
	char	*tenant_region_sub_scope;
	char	*cloud_instance_name;
	char	*cloud_graph_host_name;
	char	*msgraph_host;
	char	*token_host;		/* host of token_endpoint */
};

/*
 * The tenant id comes from token_endpoint, else issuer, else
 * authorization_endpoint. Returns -1 with e set (naming the fields) when
 * none holds a GUID.
 */
int	openid_parse(struct openid *o, const char *text, size_t len,
	    struct hcerr *e);
void	openid_release(struct openid *o);

/* {"error":"invalid_tenant","error_description":"AADSTS90002: …","error_codes":[90002]} */
struct openid_error {
	char	*error;
	char	*description;	/* first line only */
	long	 code;		/* 90002, from error_codes or the AADSTS prefix */
};

/* Returns -1 when text is not such an error document. */
int	openid_parse_error(struct openid_error *oe, const char *text,
	    size_t len);
void	openid_error_release(struct openid_error *oe);

/* Whether s is a GUID (8-4-4-4-12 hex digits). */
int	openid_is_guid(const char *s, size_t len);

#endif
