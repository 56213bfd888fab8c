/* Fuzzes the OpenID configuration and AADSTS error parsers. */
#include <stdint.h>
#include <stdlib.h>

#include "openid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct openid o;
	struct openid_error oe;
	struct hcerr e;

	if (openid_parse(&o, (const char *)data, size, &e) == 0)
		openid_release(&o);
	if (openid_parse_error(&oe, (const char *)data, size) == 0)
		openid_error_release(&oe);
	return 0;
}
