/*
 * HTTP authentication challenges (RFC 7235) as servers send them in
 * WWW-Authenticate, the Bearer parameters Exchange puts there, and the
 * x-ms-diagnostics header that explains a rejected token. Pure.
 */
#ifndef HC_WWWAUTH_H
#define HC_WWWAUTH_H

#include <stddef.h>

#include "mem.h"
#include "buf.h"

#define WWWAUTH_HEADER_MAX	(16 * 1024)

struct auth_param {
	char	*name;		/* lower-cased */
	char	*value;		/* unquoted, escapes removed */
};

struct auth_challenge {
	char			*scheme;	/* as written: "Bearer" */
	char			*token68;	/* or NULL */
	struct auth_param	*params;
	size_t			 nparams;
};

/* Every challenge of every WWW-Authenticate header of one response. */
struct wwwauth {
	struct auth_challenge	*v;
	size_t			 n;
};

/*
 * Appends the challenges of one header value. On a syntax error returns
 * -1 with e set (naming the offset and what was expected) and leaves the
 * challenges of this header out; earlier headers stay.
 */
int	wwwauth_parse(struct wwwauth *w, const char *value, struct hcerr *e);
void	wwwauth_release(struct wwwauth *w);

/* The first challenge of a scheme (case-insensitive), or NULL. */
const struct auth_challenge *wwwauth_find(const struct wwwauth *w,
	    const char *scheme);
/* A parameter's value (name case-insensitive), or NULL. */
const char *wwwauth_param(const struct auth_challenge *c, const char *name);

/* The parameters of a Bearer challenge that matter here. */
struct bearer {
	const char	*client_id;
	const char	*authorization_uri;
	const char	*error;
	const char	*realm;
	struct strlist	 trusted_issuers;	/* split on commas, trimmed */
	struct strlist	 token_types;		/* split on spaces */
};

/* Fills b from c; the const strings point into c. */
void	wwwauth_bearer(const struct auth_challenge *c, struct bearer *b);
void	wwwauth_bearer_release(struct bearer *b);

/* x-ms-diagnostics: 4000000;reason="…";error_category="invalid_token" */
struct msdiag {
	long			 code;
	char			*reason;
	char			*error_category;
	struct auth_param	*params;	/* every parameter, in order */
	size_t			 nparams;
};

int	wwwauth_parse_diagnostics(struct msdiag *d, const char *value,
	    struct hcerr *e);
void	wwwauth_diagnostics_release(struct msdiag *d);

#endif
