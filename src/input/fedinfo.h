/*
 * GetFederationInformation: the anonymous Autodiscover SOAP call that
 * tells which domains a tenant owns (its routing domain among them),
 * without credentials. Pure: builds the request, parses the response.
 */
#ifndef HC_FEDINFO_H
#define HC_FEDINFO_H

#include <stddef.h>

#include "mem.h"
#include "buf.h"

#define FEDINFO_MAX	(1024 * 1024)
#define FEDINFO_SOAP_ACTION \
	"http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetFederationInformation"

/* The SOAP envelope asking about domain, addressed to url; caller frees. */
char	*fedinfo_request(const char *domain, const char *url);

struct fedinfo_issuer {
	char	*endpoint;
	char	*uri;
};

struct fedinfo {
	char			*error_code;	/* "NoError", "InvalidDomain", … */
	char			*error_message;
	char			*application_uri;
	struct strlist		 domains;
	struct fedinfo_issuer	*issuers;
	size_t			 nissuers;
	char			*fault;		/* SOAP fault text, if one came */
};

/*
 * Parses the response (any namespace prefixes). A SOAP fault parses: its
 * text is in f->fault. Returns -1 with e set when the text is not XML or
 * holds neither a response nor a fault.
 */
int	fedinfo_parse(struct fedinfo *f, const char *text, size_t len,
	    struct hcerr *e);
void	fedinfo_release(struct fedinfo *f);

/*
 * A small XML reader for documents from the network: elements, text,
 * entities, CDATA; no DTD, no external anything. Calls cb for every
 * element's text content with the path of local names ("Envelope/Body/…").
 */
typedef void	(*xml_text_fn)(void *arg, const char *path, const char *text);
int	xml_walk(const char *text, size_t len, xml_text_fn cb, void *arg,
	    struct hcerr *e);

#endif
