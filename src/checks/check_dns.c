/* dns.split-view: the internal and the external view of every published host. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_fns.h"
#include "net.h"

/* Sorted "A a, b; AAAA c" for comparing two views; caller frees. */
static char *
view_text(const struct dns_host *h)
{
	struct strlist all = { 0 };
	struct buf b;

	buf_init(&b, 16 * 1024);
	for (size_t i = 0; i < h->a.addrs.n; i++)
		strlist_add(&all, h->a.addrs.v[i]);
	for (size_t i = 0; i < h->aaaa.addrs.n; i++)
		strlist_add(&all, h->aaaa.addrs.v[i]);
	for (size_t i = 1; i < all.n; i++)
		for (size_t k = i; k > 0 && strcmp(all.v[k - 1], all.v[k]) > 0; k--) {
			char *t = all.v[k];

			all.v[k] = all.v[k - 1];
			all.v[k - 1] = t;
		}
	for (size_t i = 0; i < all.n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", all.v[i]);
	if (all.n == 0)
		buf_printf(&b, "%s", dns_status_text(h->a.status != DNS_ENODATA ?
		    h->a.status : h->aaaa.status));
	strlist_release(&all);
	return buf_steal(&b);
}

void
check_dns_split_view(const struct context *ctx, struct findings *out)
{
	const struct probe_results *r = ctx->probes;
	struct finding *fd;

	if (r->nviews < 2) {
		fd = findings_add(out, SEV_SKIP, "", "needs --dns-server twice (the "
		    "internal view, then the external one)");
		finding_evidence(fd, "missing", "a second --dns-server");
		return;
	}
	for (size_t i = 0; i < r->onprem_hosts.n; i++) {
		const char *name = r->onprem_hosts.v[i];
		const struct dns_host *in = dns_hostset_find(&r->hosts, name, 0);
		const struct dns_host *ex = dns_hostset_find(&r->hosts, name, 1);
		char *ti, *te;

		if (in == NULL || ex == NULL || !dns_host_done(in) ||
		    !dns_host_done(ex))
			continue;
		ti = view_text(in);
		te = view_text(ex);
		fd = NULL;
		if (dns_host_ok(in) && !dns_host_ok(ex))
			fd = findings_add(out, SEV_FAIL, name, "'%s' resolves only in "
			    "the internal view: Exchange Online cannot find it", name);
		else if (dns_host_ok(in) && dns_host_ok(ex) && strcmp(ti, te) != 0)
			fd = findings_add(out, SEV_WARN, name, "the internal and the "
			    "external view of '%s' differ; Exchange Online sees only the "
			    "external one", name);
		else if (!dns_host_ok(in) && dns_host_ok(ex))
			fd = findings_add(out, SEV_INFO, name, "'%s' resolves only in "
			    "the external view", name);
		if (fd != NULL) {
			finding_evidence(fd, "internal", "%s (%s)", ti, r->view_names[0]);
			finding_evidence(fd, "external", "%s (%s)", te, r->view_names[1]);
			if (dns_host_ok(in) && !dns_host_ok(ex))
				finding_remedy(fd, "endpoint.publish");
		}
		free(ti);
		free(te);
	}
}
