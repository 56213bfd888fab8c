/*
 * federation.domains: Exchange Online federates the domain, and the
 * routing domain the organisation's data names is confirmed live.
 *
 * Since mid-2025 (MC1081538) GetFederationInformation answers with the
 * queried domain alone: the answer no longer lists a tenant's domains,
 * so the routing domain is never learnt from it. It comes from the
 * organisation's data (org_routing) and is confirmed by asking
 * GetFederationInformation about that one name, and AutoDiscover v2 about
 * the tenant's arbitration mailbox at the initial domain it implies.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "autodv2.h"
#include "buf.h"
#include "cfg.h"
#include "check_fns.h"
#include "fedinfo.h"
#include "net.h"
#include "org.h"
#include "str.h"

/* "a, b, c"; caller frees. */
static char *
joined(const struct strlist *l)
{
	struct buf b;

	buf_init(&b, 64 * 1024);
	for (size_t i = 0; i < l->n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", l->v[i]);
	return b.data ? buf_steal(&b) : xstrdup("");
}

/*
 * The parsed answer of a GetFederationInformation probe, or NULL with a
 * finding about what came instead (when out is given).
 */
static const struct fedinfo *
answer(const struct context *ctx, const struct probe *p, const char *asked,
    struct findings *out)
{
	const struct probe_facts *pf = facts_of(&ctx->facts, p);
	struct finding *fd;
	char *cut;

	if (p->resp.outcome != HTTP_RESPONSE) {
		fd = findings_add(out, SEV_ERROR, p->host, "GetFederationInformation "
		    "for '%s' got no answer", asked);
		net_evidence(fd, ctx->probes, &p->resp);
		return NULL;
	}
	if ((cut = net_body_cut(&p->resp)) != NULL) {
		fd = findings_add(out, SEV_ERROR, p->host, "GetFederationInformation "
		    "answered HTTP %ld with %s, read no further: not Exchange "
		    "Online's answer, something else answers for '%s'",
		    p->resp.status, cut, p->host);
		net_evidence(fd, ctx->probes, &p->resp);
		free(cut);
		return NULL;
	}
	if (pf == NULL || pf->doc != FACT_DOC_OK) {
		fd = findings_add(out, SEV_ERROR, p->host, "GetFederationInformation "
		    "for '%s' answered HTTP %ld without a usable response: %s",
		    asked, p->resp.status, pf && pf->doc_error ? pf->doc_error :
		    "not parsed");
		net_evidence(fd, ctx->probes, &p->resp);
		return NULL;
	}
	return &pf->fedinfo;
}

static int
no_error(const struct fedinfo *f)
{
	return f->error_code != NULL && strcasecmp(f->error_code, "NoError") == 0;
}

/* What AutoDiscover v2 said of the tenant's EWS URL, as evidence. */
static void
autodv2_evidence(const struct context *ctx, struct finding *fd,
    const struct probe *p, struct findings *out)
{
	const struct probe_facts *pf = facts_of(&ctx->facts, p);
	const struct autodv2 *a;
	char *host;

	if (p == NULL || p->planned_only)
		return;
	finding_evidence(fd, "autodiscover v2", "%s", p->url);
	if (p->resp.outcome != HTTP_RESPONSE || p->resp.status != 200 ||
	    pf == NULL || pf->doc != FACT_DOC_OK) {
		char *why = p->resp.outcome != HTTP_RESPONSE ?
		    net_failure_text(&p->resp) : pf && pf->doc_error ?
		    xasprintf("HTTP %ld: %s", p->resp.status, pf->doc_error) :
		    xasprintf("HTTP %ld", p->resp.status);

		finding_evidence(fd, "autodiscover v2 answer", "%s (no EWS URL "
		    "learnt)", why);
		free(why);
		return;
	}
	a = &pf->autodv2;
	if (a->url == NULL) {
		finding_evidence(fd, "autodiscover v2 answer", "%s%s%s",
		    a->error_code, a->error_message ? ": " : "",
		    a->error_message ? a->error_message : "");
		return;
	}
	finding_evidence(fd, "exchange online ews url", "%s%s%s%s", a->url,
	    a->server_location ? " (" : "", a->server_location ?
	    a->server_location : "", a->server_location ? ")" : "");
	host = autodv2_url_host(a);
	if (host != NULL && !cloud_has_value(ctx->cloud, "exo_hosts", host)) {
		struct finding *w = findings_add(out, SEV_WARN, p->asked ? p->asked :
		    p->host, "AutoDiscover v2 gives the tenant's EWS URL as %s, not "
		    "an Exchange Online host of the %s cloud", a->url,
		    ctx->cloud->name);

		finding_evidence(w, "exchange online ews url", "%s", a->url);
		finding_evidence(w, "cloud's hosts", "%s", cloud_preferred(ctx->cloud,
		    "exo_hosts") ? cloud_preferred(ctx->cloud, "exo_hosts") : "");
		net_evidence(w, ctx->probes, &p->resp);
	}
	free(host);
}

/* The routing domain of the organisation's data, confirmed live or not. */
static void
confirm_routing(const struct context *ctx, struct findings *out,
    const struct org_routing *rt)
{
	const struct probe *p = probe_find_asked(ctx->probes, PROBE_FEDINFO,
	    ctx->cloud, rt->domain);
	const struct probe *ad;
	const struct fedinfo *f;
	struct finding *fd;
	char *initial = probe_initial_domain(rt->domain);

	ad = initial ? probe_find_asked(ctx->probes, PROBE_AUTODV2, ctx->cloud,
	    initial) : NULL;
	if (p == NULL || p->planned_only) {
		fd = findings_add(out, SEV_INFO, rt->domain, "routing domain %s "
		    "(%s) was not confirmed live: it was not asked about (the "
		    "cloud was known only after the probes were planned)",
		    rt->domain, rt->from);
		cfg_routing_evidence(fd, rt);
		goto out;
	}
	if ((f = answer(ctx, p, rt->domain, out)) == NULL)
		goto out;
	if (no_error(f)) {
		fd = findings_add(out, SEV_PASS, rt->domain, "routing domain %s, "
		    "from %s, confirmed live by GetFederationInformation",
		    rt->domain, rt->from);
	} else {
		fd = findings_add(out, SEV_WARN, rt->domain, "Exchange Online (%s) "
		    "does not know the routing domain %s that %s names: %s",
		    ctx->cloud->name, rt->domain, rt->from, f->error_code ?
		    f->error_code : f->fault ? f->fault : "no ErrorCode");
		if (f->error_message && *f->error_message)
			finding_evidence(fd, "error message", "%s", f->error_message);
	}
	cfg_routing_evidence(fd, rt);
	if (f->domains.n > 0) {
		char *all = joined(&f->domains);

		finding_evidence(fd, "answered domains", "%s", all);
		free(all);
	}
	finding_evidence(fd, "endpoint", "%s", p->url);
	autodv2_evidence(ctx, fd, ad, out);
out:
	free(initial);
}

void
check_federation_domains(const struct context *ctx, struct findings *out)
{
	const char *domain = ctx->domain;
	const struct probe *p = probe_find_asked(ctx->probes, PROBE_FEDINFO,
	    ctx->cloud, domain);
	const struct fedinfo *f;
	struct org_routing rt;
	struct finding *fd;
	char *all;

	if (p == NULL || p->planned_only) {
		findings_add(out, SEV_SKIP, domain, "GetFederationInformation was "
		    "not asked (the cloud was not known in time)");
		return;
	}
	if ((f = answer(ctx, p, domain, out)) == NULL)
		return;
	if (!no_error(f)) {
		fd = findings_add(out, f->error_code ? SEV_FAIL : SEV_ERROR, domain,
		    "Exchange Online (%s) does not federate '%s': %s", ctx->cloud->name,
		    domain, f->error_code ? f->error_code : f->fault);
		if (f->error_message && *f->error_message)
			finding_evidence(fd, "error message", "%s", f->error_message);
		net_evidence(fd, ctx->probes, &p->resp);
		finding_remedy(fd, f->error_code ? "cloud.select" : NULL);
		return;
	}
	all = joined(&f->domains);
	if (!strlist_contains_ci(&f->domains, domain))
		fd = findings_add(out, SEV_WARN, domain, "GetFederationInformation "
		    "answers NoError for '%s' without naming it", domain);
	else if (f->domains.n == 1)
		fd = findings_add(out, SEV_INFO, domain, "Exchange Online (%s) "
		    "federates '%s'; it names only the queried domain, as it does "
		    "for every tenant since the 2025 change (MC1081538): the answer "
		    "says nothing of the routing domain", ctx->cloud->name, domain);
	else
		fd = findings_add(out, SEV_INFO, domain, "Exchange Online (%s) "
		    "federates '%s' and lists %zu domains, the answer from before "
		    "the 2025 change (MC1081538): the routing domain is not learnt "
		    "from the list", ctx->cloud->name, domain, f->domains.n);
	finding_evidence(fd, "domains", "%s", all);
	if (f->application_uri)
		finding_evidence(fd, "application uri", "%s", f->application_uri);
	finding_evidence(fd, "endpoint", "%s", p->url);
	free(all);

	/*
	 * The routing domain comes from the organisation's own data; one
	 * taken from GetFederationInformation's list is not the
	 * organisation's word and is not confirmed here.
	 */
	if (org_routing(ctx, &rt) == 0)
		confirm_routing(ctx, out, &rt);
	else
		finding_evidence(fd, "routing domain", "not known: it comes from "
		    "the organisation's data (a snapshot with Exchange Online's "
		    "accepted domains), then GetFederationInformation confirms it");
	org_routing_release(&rt);
}
