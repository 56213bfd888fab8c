/*
 * Fuzzes the baseline reader (an earlier JSON report, often hand-edited)
 * and the comparison verify runs on what it read.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct findings f = { 0 };
	struct baseline b;
	struct diff d;
	struct hcerr e;
	size_t total = 0;

	if (baseline_parse(&b, (const char *)data, size, "fuzz", &e) != 0) {
		if (b.v != NULL || b.n != 0)
			abort();	/* a failed parse leaves nothing behind */
		return 0;
	}
	for (size_t i = 0; i < b.n; i++)
		if (b.v[i].check == NULL || b.v[i].severity > SEV_ERROR)
			abort();
	/* This run: a few findings that may or may not match. */
	findings_add_for(&f, "spn.coverage", SEV_FAIL, "mail.contoso.com", "x");
	findings_add_for(&f, "spn.coverage", SEV_PASS, "mail.contoso.com", "x");
	findings_add_for(&f, "acs.metadata", SEV_PASS, NULL, "x");
	findings_add_for(&f, "tls.certificate", SEV_WARN, "autodiscover.contoso.com", "x");
	diff_compute(&d, &b, &f);
	for (size_t k = 0; k < DIFF_NKINDS; k++)
		total += d.count[k];
	if (total != d.n)
		abort();	/* every item counted once */
	for (size_t i = 0; i < d.n; i++)
		if (d.v[i].check == NULL || diff_kind_name(d.v[i].kind) == NULL)
			abort();
	diff_release(&d);
	findings_release(&f);
	baseline_release(&b);
	return 0;
}
