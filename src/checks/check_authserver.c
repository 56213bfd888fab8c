/*
 * authserver.acs: the ACS AuthServer on-premises trusts this cloud and tenant.
 * authserver.evosts: the tenant has exactly one enabled EvoSTS AuthServer,
 * trusting a dedicated application, for the right realm and domains
 * (PROTOCOLS 12.6; Microsoft's ConfigureExchangeHybridApplication.ps1 finds
 * it by type AzureAD, realm and Enabled, and calls a second one an error).
 */
#include <stdlib.h>
#include <string.h>
#include "msid.h"
#include "cfg.h"
#include "evosts.h"
#include "check_fns.h"
#include "str.h"

/* The tenant segment of an ACS URL: ".../<segment>/metadata/json/1". */
static char *
acs_segment(const char *url)
{
	const char *p = cfg_url_path(url), *end;

	if (*p == '/')
		p++;
	end = p + strcspn(p, "/");
	if (end == p)
		return NULL;
	return xstrndup(p, (size_t)(end - p));
}

static int
exo_has_domain(const struct snapshot *s, const char *d)
{
	for (size_t i = 0; i < s->exo.ndomains; i++)
		if (str_caseeq(s->exo.domains[i].name, d))
			return 1;
	return 0;
}

/* Judges one ACS AuthServer; returns how many findings it added. */
static int
judge_acs(const struct context *ctx, const struct snap_authserver *a,
    const char *want_host, const char *live, const char *live_url,
    struct findings *out)
{
	const char *tenant, *tsrc = NULL, *subject = a->name ? a->name : "(unnamed)";
	char host[256];
	struct finding *fd;
	int n = 0;

	tenant = cfg_tenant_id(ctx, &tsrc);
	if (cfg_url_host(a->metadata_url, host, sizeof(host)) == -1) {
		fd = findings_add(out, SEV_FAIL, subject,
		    "AuthServer '%s' has no usable AuthMetadataUrl", subject);
		finding_evidence(fd, "url", "%s", a->metadata_url ? a->metadata_url : "");
		finding_remedy(fd, "authserver.acs.fix");
		return 1;
	}
	if (want_host != NULL && strcmp(host, want_host) != 0) {
		const struct cloud *other = cfg_cloud_of_host(ctx, "acs_metadata_url", host);

		if (other != NULL)
			fd = findings_add(out, SEV_FAIL, subject,
			    "AuthServer '%s' points at %s, the %s cloud's ACS; the "
			    "tenant is in the %s cloud", subject, host, other->name,
			    ctx->cloud->name);
		else
			fd = findings_add(out, SEV_FAIL, subject,
			    "AuthServer '%s' points at %s, not the %s cloud's ACS",
			    subject, host, ctx->cloud->name);
		finding_evidence(fd, "url", "%s", a->metadata_url);
		finding_evidence(fd, "expected host", "%s", want_host);
		finding_remedy(fd, "authserver.acs.fix");
		n++;
	}
	if (a->enabled == TRI_FALSE) {
		fd = findings_add(out, SEV_FAIL, subject, "AuthServer '%s' is disabled",
		    subject);
		finding_evidence(fd, "enabled", "false");
		finding_remedy(fd, "authserver.acs.fix");
		n++;
	}
	if (a->realm == NULL || a->realm[0] == '\0') {
		fd = findings_add(out, SEV_WARN, subject, "AuthServer '%s' has no "
		    "realm: Exchange has not read its metadata document", subject);
		finding_evidence(fd, "url", "%s", a->metadata_url);
		finding_remedy(fd, "authserver.acs.fix");
		n++;
	} else if (tenant != NULL && !str_caseeq(a->realm, tenant)) {
		fd = findings_add(out, SEV_FAIL, subject, "AuthServer '%s' has realm "
		    "%s, but the tenant id is %s", subject, a->realm, tenant);
		finding_evidence(fd, "realm", "%s", a->realm);
		finding_evidence_param(fd, RP_TENANT_ID, "tenant id", "%s", tenant);
		finding_evidence(fd, "tenant id from", "%s", tsrc);
		if (live != NULL) {
			finding_evidence_param(fd, RP_LIVE_ACS_REALM, "live acs realm", "%s", live);
			finding_evidence(fd, "live acs metadata", "%s", live_url);
		}
		finding_evidence_param(fd, RP_AUTHSERVER, "authserver", "%s", subject);
		finding_remedy(fd, "authserver.acs.fix");
		n++;
	} else if (live != NULL && !str_caseeq(a->realm, live)) {
		/* The snapshot and the cloud disagree: both values are evidence. */
		fd = findings_add(out, SEV_FAIL, subject, "AuthServer '%s' has realm "
		    "%s, but the cloud's ACS metadata for the tenant says %s",
		    subject, a->realm, live);
		finding_evidence(fd, "realm", "%s", a->realm);
		finding_evidence_param(fd, RP_LIVE_ACS_REALM, "live acs realm", "%s", live);
		finding_evidence(fd, "live acs metadata", "%s", live_url);
		if (tenant != NULL) {
			finding_evidence_param(fd, RP_TENANT_ID, "tenant id", "%s", tenant);
			finding_evidence(fd, "tenant id from", "%s", tsrc);
		}
		finding_evidence_param(fd, RP_AUTHSERVER, "authserver", "%s", subject);
		finding_remedy(fd, "authserver.acs.fix");
		n++;
	}
	if (ctx->snapshot->exo.ndomains > 0) {
		char *seg = acs_segment(a->metadata_url);

		if (seg != NULL && !cfg_is_guid(seg) && !exo_has_domain(ctx->snapshot, seg)) {
			fd = findings_add(out, SEV_WARN, subject, "AuthServer '%s' names "
			    "'%s', which is not a domain of the tenant in Exchange Online",
			    subject, seg);
			finding_evidence(fd, "url", "%s", a->metadata_url);
			finding_remedy(fd, "authserver.acs.fix");
			n++;
		}
		free(seg);
	}
	return n;
}

void
check_authserver_acs(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	char want[256];
	const char *want_host = NULL, *tenant, *live_url = NULL;
	char *live = NULL;
	size_t nacs = 0, nenabled = 0;
	struct strlist enabled = { 0 };
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, s->onprem.present, "onPremises",
	    "on-premises configuration") ||
	    cfg_skip_part(ctx, out, 1, "onPremises.authServers", "AuthServers"))
		return;
	if (cfg_url_host(cloud_value(ctx->cloud, "acs_metadata_url"), want,
	    sizeof(want)) == 0)
		want_host = want;
	tenant = cfg_tenant_id(ctx, NULL);
	live = org_live_acs_realm(ctx, &live_url);
	for (size_t i = 0; i < s->onprem.nauthservers; i++) {
		const struct snap_authserver *a = &s->onprem.authservers[i];

		if (a->type != AUTHSERVER_ACS)
			continue;
		nacs++;
		if (a->enabled != TRI_FALSE) {
			nenabled++;
			strlist_add(&enabled, a->name ? a->name : "(unnamed)");
		}
		if (judge_acs(ctx, a, want_host, live, live_url, out) == 0) {
			fd = findings_add(out, SEV_PASS, a->name ? a->name : "",
			    "AuthServer '%s' trusts the %s cloud's ACS%s",
			    a->name ? a->name : "", ctx->cloud->name,
			    tenant ? " for this tenant" : "");
			finding_evidence(fd, "url", "%s", a->metadata_url);
			finding_evidence(fd, "type", "%s", a->type_text ?
			    a->type_text : "(from the URL)");
			finding_evidence(fd, "realm", "%s", a->realm);
			if (live != NULL)
				finding_evidence_param(fd, RP_LIVE_ACS_REALM, "live acs realm", "%s", live);
		}
	}
	if (nacs == 0) {
		/*
		 * Microsoft's tools no longer require it where a valid EvoSTS
		 * AuthServer exists (PROTOCOLS 12.6): an inference, said so.
		 */
		struct evosts ev;

		evosts_find(ctx, &ev);
		fd = findings_add(out, ev.valid ? SEV_WARN : SEV_FAIL, "",
		    "no AuthServer of type ACS%s", ev.valid ?
		    ": the valid EvoSTS AuthServer serves the dedicated hybrid "
		    "application, so this is a warning, not a failure (an "
		    "inference from Microsoft's scripts, which read the ACS "
		    "AuthServer but no longer require it); calls from Exchange "
		    "Online to on-premises may still rely on it" :
		    ": on-premises Exchange does not trust the cloud's tokens");
		if (ev.valid)
			finding_evidence(fd, "evosts authserver", "%s",
			    ev.one->name ? ev.one->name : "(unnamed)");
		finding_evidence(fd, "expected url", "%s",
		    cloud_value(ctx->cloud, "acs_metadata_url"));
		finding_remedy(fd, "authserver.acs.create");
	} else if (nenabled > 1) {
		char *names = cfg_join(&enabled);

		fd = findings_add(out, SEV_WARN, "", "%zu enabled ACS AuthServers "
		    "(%s): keep one per tenant", nenabled, names);
		finding_evidence(fd, "names", "%s", names);
		finding_remedy(fd, "authserver.acs.fix");
		free(names);
	}
	strlist_release(&enabled);
	free(live);
}

/* ---- authserver.evosts ---- */

/* DomainName against the tenant's domains and the routing domain. */
static int
judge_domains(const struct context *ctx, const struct snap_authserver *a,
    const char *name, struct findings *out)
{
	struct strlist want = { 0 }, missing = { 0 };
	struct org_routing rt;
	struct finding *fd;
	int n = 0;

	org_routing(ctx, &rt);
	evosts_tenant_domains(ctx, &want);
	if (a->domains.n == 0) {
		fd = findings_add(out, SEV_WARN, name, "EvoSTS AuthServer '%s' has "
		    "an empty DomainName: Microsoft's script fills it with the "
		    "tenant's domains and the routing domain (that Exchange picks "
		    "the AuthServer by the target's domain is an inference)", name);
		finding_evidence(fd, "domain name", "(empty)");
		cfg_routing_evidence(fd, &rt);
		finding_remedy(fd, "hybridapp.configure");
		n++;
		goto out;
	}
	if (rt.domain != NULL && !strlist_contains_ci(&a->domains, rt.domain)) {
		char *have = cfg_join(&a->domains);

		fd = findings_add(out, SEV_WARN, name, "EvoSTS AuthServer '%s' does "
		    "not name the routing domain %s in DomainName, where Microsoft's "
		    "script puts it: lookups of cloud mailboxes, addressed to that "
		    "domain, may not find this AuthServer (an inference)", name,
		    rt.domain);
		finding_evidence(fd, "domain name", "%s", have);
		cfg_routing_evidence(fd, &rt);
		finding_remedy(fd, "hybridapp.configure");
		free(have);
		n++;
	}
	for (size_t i = 0; i < want.n; i++)
		if (!strlist_contains_ci(&a->domains, want.v[i]))
			strlist_add(&missing, want.v[i]);
	if (missing.n > 0) {
		char *have = cfg_join(&a->domains), *miss = cfg_join(&missing);

		fd = findings_add(out, SEV_WARN, name, "EvoSTS AuthServer '%s' does "
		    "not name the tenant's domain%s %s in DomainName", name,
		    missing.n > 1 ? "s" : "", miss);
		finding_evidence(fd, "domain name", "%s", have);
		finding_evidence(fd, "missing domains", "%s", miss);
		finding_evidence(fd, "tenant domains from", "%s",
		    ctx->snapshot->onprem.hybrid_present &&
		    ctx->snapshot->onprem.hybrid_domains.n > 0 ?
		    "HybridConfiguration Domains" : "accepted on-premises and in "
		    "Exchange Online");
		finding_remedy(fd, "hybridapp.configure");
		free(have);
		free(miss);
		n++;
	}
out:
	strlist_release(&want);
	strlist_release(&missing);
	org_routing_release(&rt);
	return n;
}

/* One enabled EvoSTS AuthServer for the tenant; returns findings added. */
static int
judge(const struct context *ctx, const struct snap_authserver *a,
    struct findings *out)
{
	const char *name = a->name ? a->name : "(unnamed)";
	struct finding *fd;
	int n = 0;

	if (!cfg_is_guid(a->app_id)) {
		fd = findings_add(out, SEV_FAIL, name, "EvoSTS AuthServer '%s' names "
		    "no application (ApplicationIdentifier '%s')", name,
		    a->app_id ? a->app_id : "");
		finding_evidence(fd, "application id", "%s", a->app_id ? a->app_id : "");
		finding_remedy(fd, "hybridapp.configure");
		n++;
	} else if (!evosts_dedicated_id(a->app_id)) {
		fd = findings_add(out, SEV_FAIL, name, "EvoSTS AuthServer '%s' names "
		    "%s, Exchange Online's own shared service principal, not a "
		    "dedicated hybrid application", name, a->app_id);
		finding_evidence(fd, "application id", "%s", a->app_id);
		finding_evidence(fd, "shared principal", "%s", MSID_EXO_APP);
		finding_remedy(fd, "hybridapp.configure");
		n++;
	}
	n += judge_domains(ctx, a, name, out);
	return n;
}

void
check_authserver_evosts(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const char *tenant, *tsrc = NULL;
	struct evosts e;
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, s->onprem.present, "onPremises",
	    "on-premises configuration"))
		return;
	tenant = cfg_tenant_id(ctx, &tsrc);
	evosts_find(ctx, &e);
	if (e.nazure == 0) {
		fd = findings_add(out, SEV_INFO, "", "no EvoSTS (AzureAD) "
		    "AuthServer: on-premises Exchange does not trust a dedicated "
		    "hybrid application (hybrid.model says whether it needs one)");
		finding_evidence(fd, "evosts authservers", "0");
		return;
	}
	if (e.nenabled == 0) {
		fd = findings_add(out, SEV_FAIL, "", "no enabled EvoSTS AuthServer "
		    "for the tenant%s%s: %zu AzureAD AuthServer%s, disabled or for "
		    "another realm", tenant ? " " : "", tenant ? tenant : "",
		    e.nazure, e.nazure > 1 ? "s" : "");
		if (tenant != NULL) {
			finding_evidence_param(fd, RP_TENANT_ID, "tenant id", "%s", tenant);
			finding_evidence(fd, "tenant id from", "%s", tsrc);
		}
		finding_remedy(fd, "hybridapp.configure");
		return;
	}
	if (e.nenabled > 1) {
		struct strlist names = { 0 };
		char *joined;

		for (size_t i = 0; i < s->onprem.nauthservers; i++) {
			const struct snap_authserver *a = &s->onprem.authservers[i];

			if (a->type == AUTHSERVER_AZUREAD && a->enabled != TRI_FALSE &&
			    (tenant ? a->realm && str_caseeq(a->realm, tenant) :
			    cfg_is_guid(a->realm)))
				strlist_add(&names, a->name ? a->name : "(unnamed)");
		}
		joined = cfg_join(&names);
		/* Named for the administrator only: never removed by a script. */
		fd = findings_add(out, SEV_FAIL, "", "%zu enabled EvoSTS AuthServers "
		    "for the tenant (%s): Microsoft's script treats more than one "
		    "as an error; keep the one that names the hybrid application "
		    "and remove the others yourself (Remove-AuthServer)",
		    e.nenabled, joined);
		finding_evidence(fd, "names", "%s", joined);
		for (size_t i = 0; i < s->onprem.nauthservers; i++) {
			const struct snap_authserver *a = &s->onprem.authservers[i];

			if (a->type == AUTHSERVER_AZUREAD && a->enabled != TRI_FALSE &&
			    (tenant ? a->realm && str_caseeq(a->realm, tenant) :
			    cfg_is_guid(a->realm)))
				finding_evidence(fd, "application id", "%s: %s (%s)",
				    a->name ? a->name : "(unnamed)", a->app_id ?
				    a->app_id : "none", evosts_dedicated_id(a->app_id) ?
				    "a dedicated application" : str_caseeq(a->app_id,
				    MSID_EXO_APP) ? "Exchange Online's shared service "
				    "principal" : "not an application id");
		}
		if (tenant != NULL)
			finding_evidence_param(fd, RP_TENANT_ID, "tenant id", "%s", tenant);
		finding_remedy(fd, "authserver.evosts.duplicate");
		free(joined);
		strlist_release(&names);
		return;
	}
	if (judge(ctx, e.one, out) == 0) {
		char *domains = cfg_join(&e.one->domains);

		fd = findings_add(out, SEV_PASS, e.one->name ? e.one->name : "",
		    "one enabled EvoSTS AuthServer for the tenant, trusting the "
		    "dedicated application %s", e.one->app_id);
		finding_evidence(fd, "application id", "%s", e.one->app_id);
		finding_evidence(fd, "realm", "%s", e.one->realm);
		finding_evidence(fd, "domain name", "%s", domains);
		free(domains);
	}
}
