/* Fuzzes the Entra ID key set parser. */
#include <stdint.h>
#include <stdlib.h>

#include "jwks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jwks k;
	struct hcerr e;

	if (jwks_parse(&k, (const char *)data, size, &e) == 0)
		jwks_release(&k);
	return 0;
}
