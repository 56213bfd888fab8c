/* DNS names: validation and normalisation of what users and documents give. */
#ifndef HC_DNSNAME_H
#define HC_DNSNAME_H

#include <stddef.h>

#include "mem.h"

#define DNSNAME_MAX	253

/*
 * Normalises a host or domain name: internationalised names to their ASCII
 * (A-label) form, lower case, one trailing dot removed. Rejects empty
 * labels, labels over 63 bytes, names over 253 bytes, characters other than
 * letters, digits and '-', and labels that start or end with '-'.
 * Returns a new string the caller frees, or NULL with e set.
 */
char	*dnsname_normalize(const char *in, struct hcerr *e);

/* Whether s is already a valid name in normal form (ASCII, lower case or not). */
int	 dnsname_is_valid(const char *s);

/* Number of labels; "contoso.com" has 2. */
size_t	 dnsname_labels(const char *s);

#endif
