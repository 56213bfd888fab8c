/* Fuzzes the WWW-Authenticate and x-ms-diagnostics parsers (headers from the network). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wwwauth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct wwwauth w = { 0 };
	struct msdiag d;
	struct bearer b;
	struct hcerr e;

	memcpy(s, data, size);
	s[size] = '\0';
	(void)wwwauth_parse(&w, s, &e);
	(void)wwwauth_parse(&w, s, &e);	/* a second header appends */
	wwwauth_bearer(wwwauth_find(&w, "Bearer"), &b);
	wwwauth_bearer_release(&b);
	wwwauth_release(&w);
	if (wwwauth_parse_diagnostics(&d, s, &e) == 0)
		wwwauth_diagnostics_release(&d);
	free(s);
	return 0;
}
