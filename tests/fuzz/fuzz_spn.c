/* Fuzzes the SPN list parser (--spn-file) and the coverage plan. */
#include <stdint.h>
#include <stdlib.h>

#include "spn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spn_set s;
	struct spn_plan p;
	struct strlist hosts = { 0 }, near = { 0 };
	struct hcerr e;

	spn_set_init(&s);
	if (spn_parse_text(&s, (const char *)data, size, "fuzz.txt", &e) == 0) {
		/* Judge the hosts the entries name, and one label under each. */
		for (size_t i = 0; i < s.n; i++)
			if (s.v[i].host != NULL) {
				strlist_add(&hosts, s.v[i].host);
				strlist_add_owned(&hosts, xasprintf("x.%s", s.v[i].host));
			}
		spn_plan_build(&s, &hosts, NULL, &p);
		for (size_t i = 0; i < p.nhosts; i++)
			if (p.hosts[i].entry == -1 && p.hosts[i].add == -1)
				abort();	/* every missing host gets an entry */
		for (size_t i = 0; i < hosts.n; i++)
			spn_near_misses(&s, hosts.v[i], &near);
		spn_plan_release(&p);
	}
	strlist_release(&near);
	strlist_release(&hosts);
	spn_set_release(&s);
	return 0;
}
