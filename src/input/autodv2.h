/*
 * AutoDiscover v2: the JSON answer of
 * https://<host>/autodiscover/autodiscover.json/v1.0/<address>?Protocol=EWS
 * ({"Protocol":"EWS","Url":"https://outlook.office365.com/EWS/Exchange.asmx"}),
 * as Microsoft's own scripts read it to learn a tenant's EWS URL without
 * credentials. Pure: parses the answer.
 */
#ifndef HC_AUTODV2_H
#define HC_AUTODV2_H

#include <stddef.h>

#include "mem.h"

#define AUTODV2_MAX	(64 * 1024)

/*
 * The arbitration mailbox every tenant has, in every cloud; Microsoft's
 * scripts ask AutoDiscover v2 for it at the tenant's initial domain.
 */
#define AUTODV2_MAILBOX	"Migration.8f3e7716-2011-43e4-96b1-aba62d229136"

struct autodv2 {
	char	*protocol;		/* "EWS", "activesync", as written */
	char	*url;			/* the endpoint, an https URL */
	char	*server_location;	/* "Exchange Online" with ServerLocation=true; NULL otherwise */
	char	*error_code;		/* an answer naming an error instead, if any */
	char	*error_message;
};

/*
 * Parses the answer: a JSON object with Protocol and Url (names in any
 * case), or one with ErrorCode/ErrorMessage. Returns -1 with e set for
 * anything else (not JSON, no Url and no error, a Url that is not https).
 */
int	autodv2_parse(struct autodv2 *a, const char *text, size_t len,
	    struct hcerr *e);
void	autodv2_release(struct autodv2 *a);

/* The host of a->url, lower case, or NULL; caller frees. */
char	*autodv2_url_host(const struct autodv2 *a);

#endif
