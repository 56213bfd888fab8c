/* Fuzzes the cloud profile parser (files given with --endpoints). */
#include <stdint.h>
#include <stdlib.h>

#include "cloud.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cloud c;
	struct hcerr e;

	if (cloud_parse(&c, (const char *)data, size, "fuzz.json", &e) == 0) {
		char *url = cloud_expand(cloud_value(&c, "acs_metadata_url"), "contoso.com");

		free(url);
		cloud_release(&c);
	}
	return 0;
}
