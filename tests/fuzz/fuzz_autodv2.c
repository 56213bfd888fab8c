/* Fuzzes the AutoDiscover v2 answer parser. */
#include <stdint.h>
#include <stdlib.h>

#include "autodv2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct autodv2 a;
	struct hcerr e;

	if (autodv2_parse(&a, (const char *)data, size, &e) == 0) {
		free(autodv2_url_host(&a));
		autodv2_release(&a);
	}
	return 0;
}
