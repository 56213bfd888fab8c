/* clock.skew: the servers' Date headers against the local clock. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "check_fns.h"
#include "net.h"
#include <stdio.h>

#define SKEW_MAX	300	/* seconds: Kerberos' and Exchange's token tolerance */

struct sample {
	const struct probe	*p;
	long			 skew;	/* server minus local, seconds */
};

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

void
check_clock_skew(const struct context *ctx, struct findings *out)
{
	const struct probe_results *r = ctx->probes;
	struct sample *s = xcalloc(r->n ? r->n : 1, sizeof(*s));
	struct strlist seen = { 0 };
	long *cloud = xcalloc(r->n ? r->n : 1, sizeof(*cloud)), ref = 0;
	size_t n = 0, nc = 0, bad = 0;
	struct finding *fd;

	for (size_t i = 0; i < r->n; i++) {
		const struct probe *p = r->v[i];
		const struct probe_facts *pf = facts_of(&ctx->facts, p);

		if (pf == NULL || !pf->has_date || strlist_contains_ci(&seen, p->host))
			continue;
		strlist_add(&seen, p->host);
		s[n].p = p;
		s[n].skew = (long)(pf->date - p->resp.received);
		if (net_is_cloud(p))
			cloud[nc++] = s[n].skew;
		n++;
	}
	/*
	 * Microsoft's clocks are right: when they all disagree with ours, it is
	 * this machine's clock that is off, and the others are judged against
	 * Microsoft's time instead.
	 */
	if (nc > 0) {
		qsort(cloud, nc, sizeof(*cloud), cmp_long);
		ref = cloud[nc / 2];
		if (labs(ref) > SKEW_MAX) {
			fd = findings_add(out, SEV_WARN, "local clock", "this machine's "
			    "clock is %ld seconds %s Microsoft's", labs(ref),
			    ref > 0 ? "behind" : "ahead of");
			finding_evidence(fd, "cloud servers", "%zu", nc);
			finding_remedy(fd, "clock.sync");
			bad++;
		} else
			ref = 0;
	}
	for (size_t i = 0; i < n; i++) {
		long off = s[i].skew - ref;

		if (net_is_cloud(s[i].p) || labs(off) <= SKEW_MAX)
			continue;
		fd = findings_add(out, SEV_FAIL, s[i].p->host, "the clock of '%s' is "
		    "%ld seconds %s: tokens fail beyond 5 minutes", s[i].p->host,
		    labs(off), off > 0 ? "ahead" : "behind");
		finding_evidence(fd, "date", "%s", s[i].p->resp.date);
		finding_evidence(fd, "offset", "%+ld s", off);
		finding_evidence(fd, "reference", "%s", ref ? "Microsoft's servers" :
		    "the local clock");
		finding_evidence(fd, "url", "%s", s[i].p->url);
		finding_remedy(fd, "clock.sync");
		bad++;
	}
	if (n == 0)
		findings_add(out, SEV_SKIP, "", "no server sent a Date header");
	else if (bad == 0) {
		fd = findings_add(out, SEV_PASS, "", "%zu server%s within 5 minutes "
		    "of %s", n, n == 1 ? "" : "s", ref ? "Microsoft's time" :
		    "the local clock");
		for (size_t i = 0; i < n && i < 12; i++)
			finding_evidence(fd, s[i].p->host, "%+ld s", s[i].skew);
	}
	strlist_release(&seen);
	free(cloud);
	free(s);
}
