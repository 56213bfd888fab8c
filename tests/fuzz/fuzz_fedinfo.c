/* Fuzzes the GetFederationInformation response parser and its XML reader. */
#include <stdint.h>
#include <stdlib.h>

#include "fedinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fedinfo f;
	struct hcerr e;

	if (fedinfo_parse(&f, (const char *)data, size, &e) == 0)
		fedinfo_release(&f);
	return 0;
}
