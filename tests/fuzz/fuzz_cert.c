/* Fuzzes certificate loading (--cert files, snapshot base64) and thumbprints. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char tp[CERT_THUMBPRINT_LEN + 1], *text;
	struct authcert *c;
	struct hcerr e;
	unsigned changed;

	c = cert_parse(data, size, "fuzz.cer", size % 2 ? "pw" : NULL, &e);
	if (c != NULL) {
		char *up = cert_upload_value(c);
		struct authcert *again = cert_from_base64(up, "fuzz", &e);

		if (again == NULL || !cert_equal(c, again))
			abort();
		cert_free(again);
		free(up);
		cert_free(c);
	}
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (cert_thumbprint_normalize(text, tp, &changed, &e) == 0 &&
	    strlen(tp) != CERT_THUMBPRINT_LEN)
		abort();
	free(cert_thumbprint_show(text));
	cert_free(cert_from_base64(text, "fuzz", &e));
	free(text);
	return 0;
}
