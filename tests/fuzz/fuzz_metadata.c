/* Fuzzes the auth metadata parser (ACS and on-premises documents from the network). */
#include <stdint.h>
#include <stdlib.h>

#include "metadata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct metadata m;
	struct hcerr e;

	if (metadata_parse(&m, (const char *)data, size, &e) == 0) {
		(void)metadata_endpoint_find(&m, "OAuth2", "issuance");
		metadata_release(&m);
	}
	return 0;
}
