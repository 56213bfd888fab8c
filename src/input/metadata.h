/*
 * Auth metadata documents (JSON): the ACS document of a tenant
 * (accounts.accesscontrol.…/<domain>/metadata/json/1) and the on-premises
 * Exchange document (/autodiscover/metadata/json/1). Pure: text in, struct out.
 */
#ifndef HC_METADATA_H
#define HC_METADATA_H

#include <stddef.h>
#include <time.h>

#include "mem.h"
#include "buf.h"

#define METADATA_MAX	(1024 * 1024)

struct metadata_key {
	char		*usage;		/* as written: "signing", "Signing" */
	char		*type;		/* "x509Certificate" or a variant */
	char		*x5t;		/* as written, or NULL */
	unsigned char	*der;		/* decoded certificate; NULL if undecodable */
	size_t		 der_len;
	char		*error;		/* why the value is not a certificate */
	char		 sha1[41];	/* upper-case hex of SHA-1(der) */
	char		 x5t_computed[32];	/* base64url(SHA-1(der)), no padding */
	int		 x5t_match;	/* 1 equal, 0 differs, -1 no x5t or no der */
	char		*subject;	/* one line, NULL if undecodable */
	time_t		 not_before;
	time_t		 not_after;
};

struct metadata_endpoint {
	char	*location;
	char	*protocol;
	char	*usage;
};

struct metadata {
	char			*id;
	char			*version;
	char			*name;
	char			*realm;
	char			*issuer;
	char			*service_name;
	struct strlist		 audiences;
	struct metadata_key	*keys;
	size_t			 nkeys;
	struct metadata_endpoint *endpoints;
	size_t			 nendpoints;
	/* Spelling variants met, for evidence: "keyvalue", "keyinfo sibling". */
	struct strlist		 variants;
};

/*
 * Parses a metadata document of at most METADATA_MAX bytes. Keys whose value
 * is not a certificate are kept with their error set: the document as a
 * whole still parses. Returns -1 with e set (naming the JSON path) when the
 * text is not such a document; m is then empty.
 */
int	metadata_parse(struct metadata *m, const char *text, size_t len,
	    struct hcerr *e);
void	metadata_release(struct metadata *m);

/* The first endpoint whose protocol and usage match (case-insensitive). */
const struct metadata_endpoint *metadata_endpoint_find(const struct metadata *m,
	    const char *protocol, const char *usage);

/*
 * Base64 (standard or URL alphabet, padding and whitespace optional) to
 * bytes; caller frees. NULL if s holds anything else.
 */
unsigned char	*metadata_b64decode(const char *s, size_t *len);

#endif
