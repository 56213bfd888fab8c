/*
 * Entra ID's signing keys (JSON Web Key Set): what
 * https://login.<cloud>/<tenant>/discovery/v2.0/keys serves, each key
 * with its certificate in x5c. Entra-issued tokens name their key by
 * kid (and x5t in v1), both the certificate's SHA-1 in base64url. Pure.
 */
#ifndef HC_JWKS_H
#define HC_JWKS_H

#include <stddef.h>

#include "mem.h"

#define JWKS_MAX	(1024 * 1024)

struct jwk {
	char		*kid;
	char		*x5t;
	char		*use;		/* "sig" */
	char		*issuer;	/* Entra adds one per key; may hold {tenantid} */
	unsigned char	*der;		/* x5c[0], decoded; NULL when absent or bad */
	size_t		 der_len;
	char		*error;		/* why der is NULL */
};

struct jwks {
	struct jwk	*v;
	size_t		 n;
};

/*
 * Parses a key set: a JSON object whose "keys" is an array of objects.
 * A key without a usable x5c certificate is kept with error set. Returns
 * -1 with e set when the text is not such a set.
 */
int	jwks_parse(struct jwks *k, const char *text, size_t len, struct hcerr *e);
void	jwks_release(struct jwks *k);

#endif
