/* authserver.acs: the ACS AuthServer on-premises trusts this cloud and tenant. */
#include <stdlib.h>
#include <string.h>
#include "msid.h"
#include "cfg.h"
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
		/* Whether the dedicated model still needs it is unsettled. */
		int dedicated = cfg_dedicated(s);

		fd = findings_add(out, dedicated ? SEV_WARN : SEV_FAIL, "",
		    "no AuthServer of type ACS%s", dedicated ?
		    ": the dedicated hybrid application may not need it for "
		    "on-premises to cloud calls, but Exchange Online to "
		    "on-premises calls may still rely on it" :
		    ": on-premises Exchange does not trust the cloud's tokens");
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
