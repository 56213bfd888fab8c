/*
 * Fuzzes what the command line validates: DNS names (--domain, --host),
 * --connect-to, --resolve and --dns-server. The first byte picks the parser.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dnsname.h"
#include "netopt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hcerr e;
	char *s, *name;
	struct connect_to ct;
	struct resolve_entry r;
	struct dns_server d;

	if (size < 1 || size > 4096)
		return 0;
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		if ((name = dnsname_normalize(s, &e)) != NULL) {
			/* A normalised name is valid and stable. */
			char *again = dnsname_normalize(name, &e);

			if (again == NULL || strcmp(again, name) != 0 || !dnsname_is_valid(name))
				abort();
			free(again);
			free(name);
		}
		break;
	case 1:
		netopt_parse_connect_to(s, &ct, &e);
		break;
	case 2:
		if (netopt_parse_resolve(s, &r, &e) == 0)
			netopt_resolve_release(&r);
		break;
	default:
		netopt_parse_dns_server(s, &d, &e);
		break;
	}
	free(s);
	return 0;
}
