/*
 * The trust objects on-premises and their certificate in Entra:
 * authserver.acs, partner-app.exo, auth-config.certificate, auth-cert.entra.
 */
#include <stdlib.h>
#include <string.h>

#include "msid.h"
#include "check_config.h"
#include "check_fns.h"
#include "str.h"

#define DAY	86400

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
	    "on-premises configuration"))
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

void
check_partner_app_exo(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const struct snap_partnerapp *found = NULL, *realmed = NULL;
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, s->onprem.present, "onPremises",
	    "on-premises configuration"))
		return;
	for (size_t i = 0; i < s->onprem.npartnerapps; i++) {
		const struct snap_partnerapp *p = &s->onprem.partnerapps[i];

		if (!str_caseeq(p->app_id, MSID_EXO_APP))
			continue;
		if (p->realm == NULL || p->realm[0] == '\0') {
			if (found == NULL || p->enabled == TRI_TRUE)
				found = p;
		} else
			realmed = p;
	}
	if (found == NULL) {
		if (realmed != NULL) {
			fd = findings_add(out, SEV_FAIL, realmed->name ? realmed->name : "",
			    "the Exchange Online PartnerApplication has realm '%s'; "
			    "it must be empty", realmed->realm);
			finding_evidence(fd, "realm", "%s", realmed->realm);
		} else
			fd = findings_add(out, SEV_FAIL, "", "no PartnerApplication "
			    "for Exchange Online (%s) with an empty realm", MSID_EXO_APP);
		finding_evidence(fd, "application identifier", "%s", MSID_EXO_APP);
		finding_remedy(fd, "partnerapp.enable");
		return;
	}
	if (found->enabled != TRI_TRUE) {
		fd = findings_add(out, SEV_FAIL, found->name ? found->name : "",
		    "the Exchange Online PartnerApplication '%s' is %s",
		    found->name ? found->name : "", found->enabled == TRI_FALSE ?
		    "disabled" : "of unknown state");
		finding_evidence(fd, "enabled", "%s", found->enabled == TRI_FALSE ?
		    "false" : "unknown");
		finding_remedy(fd, "partnerapp.enable");
		return;
	}
	fd = findings_add(out, SEV_PASS, found->name ? found->name : "",
	    "the Exchange Online PartnerApplication is enabled with an empty realm");
	finding_evidence(fd, "application identifier", "%s", found->app_id);
}

/* Judges the current certificate on one server; returns findings added. */
static int
judge_server_cert(const struct context *ctx, const struct snap_server *sv,
    const char *thumb, struct findings *out)
{
	const struct snap_cert *c = NULL;
	const char *name = sv->name ? sv->name : "(unnamed)";
	struct finding *fd;
	char d[32];

	for (size_t i = 0; i < sv->ncerts && c == NULL; i++)
		if (sv->certs[i].thumbprint && strcmp(sv->certs[i].thumbprint, thumb) == 0)
			c = &sv->certs[i];
	if (c == NULL) {
		fd = findings_add(out, SEV_FAIL, name, "server '%s' does not hold the "
		    "Auth certificate %s", name, thumb);
		finding_evidence_param(fd, RP_THUMBPRINT, "thumbprint", "%s", thumb);
		finding_evidence(fd, "fix", "export the certificate with its key "
		    "from a server that has it and import it here");
		return 1;
	}
	if (c->not_after != 0 && c->not_after <= ctx->now) {
		cfg_date(c->not_after, d, sizeof(d));
		fd = findings_add(out, SEV_FAIL, name, "the Auth certificate on '%s' "
		    "expired on %s", name, d);
		finding_evidence(fd, "not after", "%s", d);
		finding_remedy(fd, "authcert.renew");
		return 1;
	}
	if (c->not_before != 0 && c->not_before > ctx->now) {
		cfg_date(c->not_before, d, sizeof(d));
		fd = findings_add(out, SEV_FAIL, name, "the Auth certificate on '%s' "
		    "is not valid before %s", name, d);
		finding_evidence(fd, "not before", "%s", d);
		return 1;
	}
	if (c->not_after != 0 && c->not_after - ctx->now < MSID_AUTHCERT_WARN_DAYS * DAY) {
		cfg_date(c->not_after, d, sizeof(d));
		fd = findings_add(out, SEV_WARN, name, "the Auth certificate on '%s' "
		    "expires on %s (in %ld days)", name, d,
		    (long)((c->not_after - ctx->now) / DAY));
		finding_evidence(fd, "not after", "%s", d);
		finding_remedy(fd, "authcert.renew");
		return 1;
	}
	return 0;
}

/* Key credentials of the object the model uploads to, for messages. */
static int
registered(const struct context *ctx, const char *thumb, const char **where)
{
	const struct snapshot *s = ctx->snapshot;
	const struct snap_app *apps[8];
	size_t napps = cfg_hybrid_apps(s, apps, 8);
	const struct snap_cert *c = cfg_find_cert(s, thumb);
	const unsigned char *der = c ? c->der : NULL;
	size_t len = c ? c->der_len : 0;

	if (napps > 0) {
		*where = "the hybrid application";
		for (size_t i = 0; i < napps; i++)
			if (cfg_find_key(apps[i]->keys, apps[i]->nkeys, thumb, der, len))
				return 1;
		return 0;
	}
	*where = "the Exchange Online service principal";
	return cfg_find_key(s->entra.sp.keys, s->entra.sp.nkeys, thumb, der, len) != NULL;
}

void
check_auth_config(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const struct snap_authconfig *ac = &s->onprem.authconfig;
	struct strlist unknown = { 0 };
	size_t judged = 0, bad = 0;
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, ac->present, "onPremises.authConfig",
	    "Get-AuthConfig"))
		return;
	if (ac->current_thumbprint == NULL) {
		fd = findings_add(out, SEV_FAIL, "AuthConfig", "AuthConfig has no "
		    "CurrentCertificateThumbprint: Exchange cannot sign tokens");
		finding_remedy(fd, "authcert.renew");
		return;
	}
	for (size_t i = 0; i < s->onprem.nservers; i++) {
		const struct snap_server *sv = &s->onprem.servers[i];

		if (!cfg_is_oauth_server(sv))
			continue;
		if (!sv->certs_collected) {
			strlist_add(&unknown, sv->name ? sv->name : "(unnamed)");
			continue;
		}
		judged++;
		bad += (size_t)judge_server_cert(ctx, sv, ac->current_thumbprint, out);
	}
	if (unknown.n > 0) {
		char *names = cfg_join(&unknown);

		fd = findings_add(out, SEV_INFO, "", "certificates were not collected "
		    "from %zu server(s): %s", unknown.n, names);
		finding_evidence(fd, "servers", "%s", names);
		free(names);
	}
	strlist_release(&unknown);

	if (ac->next_thumbprint != NULL &&
	    strcmp(ac->next_thumbprint, ac->current_thumbprint) != 0) {
		const char *where = NULL;
		char d[32] = "an unknown date";

		if (ac->next_effective != 0)
			cfg_date(ac->next_effective, d, sizeof(d));
		if (!s->entra.present) {
			fd = findings_add(out, SEV_INFO, "AuthConfig", "next Auth "
			    "certificate %s is staged for %s; without Entra data the "
			    "snapshot cannot tell whether it is registered",
			    ac->next_thumbprint, d);
		} else if (!registered(ctx, ac->next_thumbprint, &where)) {
			fd = findings_add(out, SEV_FAIL, "AuthConfig", "next Auth "
			    "certificate %s becomes effective on %s and is not "
			    "registered on %s", ac->next_thumbprint, d, where);
			const struct snap_app *app[1];

			if (cfg_hybrid_apps(s, app, 1) == 1 && cfg_is_guid(app[0]->app_id))
				finding_evidence_param(fd, RP_APP_ID, "app id", "%s", app[0]->app_id);
			finding_remedy(fd, "authcert.upload-next");
			bad++;
		} else {
			fd = findings_add(out, SEV_PASS, "AuthConfig", "next Auth "
			    "certificate %s (effective %s) is registered on %s",
			    ac->next_thumbprint, d, where);
		}
		finding_evidence_param(fd, RP_NEXT_THUMBPRINT, "next thumbprint", "%s", ac->next_thumbprint);
		finding_evidence(fd, "effective", "%s", d);
	}
	if (bad == 0) {
		fd = findings_add(out, SEV_PASS, "AuthConfig", "Auth certificate %s "
		    "is present and valid on %zu server(s)", ac->current_thumbprint,
		    judged);
		finding_evidence_param(fd, RP_THUMBPRINT, "thumbprint", "%s", ac->current_thumbprint);
	}
}

/* A key credential that names a thumbprint its own bytes contradict. */
static int
contradicts(const struct snap_keycred *k, const char *thumb)
{
	return k->custom_thumbprint != NULL && k->key_thumbprint != NULL &&
	    strcmp(k->custom_thumbprint, thumb) == 0 &&
	    strcmp(k->key_thumbprint, thumb) != 0;
}

/* The current certificate on one Entra object; returns 1 when it is good. */
static int
judge_object(const struct context *ctx, const char *what, const char *name,
    const char *app_id, const struct snap_keycred *keys, size_t nkeys,
    const char *thumb, const struct snap_cert *c, struct findings *out)
{
	const struct snap_keycred *k;
	struct finding *fd;
	char d[32];

	for (size_t i = 0; i < nkeys; i++)
		if (contradicts(&keys[i], thumb)) {
			fd = findings_add(out, SEV_FAIL, name, "a key credential on %s "
			    "'%s' claims thumbprint %s but holds certificate %s",
			    what, name, thumb, keys[i].key_thumbprint);
			finding_evidence(fd, "key id", "%s", keys[i].key_id ?
			    keys[i].key_id : "");
			if (app_id != NULL)
				finding_evidence_param(fd, RP_APP_ID, "app id", "%s", app_id);
			finding_remedy(fd, "authcert.upload");
		}
	k = cfg_find_key(keys, nkeys, thumb, c ? c->der : NULL, c ? c->der_len : 0);
	if (k == NULL) {
		fd = findings_add(out, SEV_FAIL, name, "the current Auth certificate "
		    "%s is not registered on %s '%s'", thumb, what, name);
		finding_evidence_param(fd, RP_THUMBPRINT, "thumbprint", "%s", thumb);
		finding_evidence(fd, "key credentials", "%zu", nkeys);
		for (size_t i = 0; i < nkeys; i++)
			finding_evidence(fd, "registered", "%s",
			    keys[i].key_thumbprint ? keys[i].key_thumbprint :
			    keys[i].custom_thumbprint ? keys[i].custom_thumbprint :
			    "(no thumbprint)");
		if (app_id != NULL)
			finding_evidence_param(fd, RP_APP_ID, "app id", "%s", app_id);
		finding_remedy(fd, "authcert.upload");
		return 0;
	}
	if (k->end != 0 && k->end <= ctx->now) {
		cfg_date(k->end, d, sizeof(d));
		fd = findings_add(out, SEV_FAIL, name, "the key credential for %s on "
		    "%s '%s' ended on %s", thumb, what, name, d);
		finding_evidence(fd, "end", "%s", d);
		if (app_id != NULL)
			finding_evidence_param(fd, RP_APP_ID, "app id", "%s", app_id);
		finding_remedy(fd, "authcert.upload");
		return 0;
	}
	fd = findings_add(out, SEV_PASS, name, "the current Auth certificate is "
	    "registered on %s '%s'", what, name);
	finding_evidence_param(fd, RP_THUMBPRINT, "thumbprint", "%s", thumb);
	finding_evidence(fd, "matched by", "%s", c && c->der && k->der ?
	    "certificate bytes" : k->key_thumbprint ? "key thumbprint" :
	    "customKeyIdentifier");
	if (k->end != 0) {
		cfg_date(k->end, d, sizeof(d));
		finding_evidence(fd, "end", "%s", d);
	}
	return 1;
}

static void
expired_keys(const struct context *ctx, const char *what, const char *name,
    const struct snap_keycred *keys, size_t nkeys, struct findings *out)
{
	for (size_t i = 0; i < nkeys; i++) {
		struct finding *fd;
		char d[32];

		if (keys[i].end == 0 || keys[i].end > ctx->now)
			continue;
		cfg_date(keys[i].end, d, sizeof(d));
		fd = findings_add(out, SEV_INFO, name, "an expired key credential "
		    "(ended %s) is left on %s '%s'", d, what, name);
		finding_evidence(fd, "key id", "%s", keys[i].key_id ? keys[i].key_id : "");
	}
}

/* Whether the shared principal still holds one of the organisation's Auth certificates. */
static const struct snap_keycred *
left_on_sp(const struct snapshot *s)
{
	const char *t[3] = { s->onprem.authconfig.current_thumbprint,
	    s->onprem.authconfig.next_thumbprint,
	    s->onprem.authconfig.previous_thumbprint };

	for (size_t i = 0; i < 3; i++) {
		const struct snap_cert *c;
		const struct snap_keycred *k;

		if (t[i] == NULL)
			continue;
		c = cfg_find_cert(s, t[i]);
		k = cfg_find_key(s->entra.sp.keys, s->entra.sp.nkeys, t[i],
		    c ? c->der : NULL, c ? c->der_len : 0);
		if (k != NULL)
			return k;
	}
	return NULL;
}

void
check_auth_cert_entra(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const char *thumb = s->onprem.authconfig.current_thumbprint;
	const struct snap_app *apps[8];
	const struct snap_cert *c;
	size_t napps;
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, s->entra.present, "entra", "Entra ID data") ||
	    cfg_skip_unless(ctx, out, s->onprem.authconfig.present,
	    "onPremises.authConfig", "Get-AuthConfig"))
		return;
	if (thumb == NULL) {
		findings_add(out, SEV_SKIP, "", "AuthConfig names no current "
		    "certificate (see auth-config.certificate)");
		return;
	}
	c = cfg_find_cert(s, thumb);
	napps = cfg_hybrid_apps(s, apps, 8);
	if (napps > 0) {
		const struct snap_keycred *k;

		for (size_t i = 0; i < napps; i++) {
			const char *name = apps[i]->display_name ?
			    apps[i]->display_name : apps[i]->app_id;

			judge_object(ctx, "the hybrid application", name,
			    cfg_is_guid(apps[i]->app_id) ? apps[i]->app_id : NULL,
			    apps[i]->keys, apps[i]->nkeys, thumb, c, out);
			expired_keys(ctx, "the hybrid application", name,
			    apps[i]->keys, apps[i]->nkeys, out);
		}
		if (s->entra.sp_present && (k = left_on_sp(s)) != NULL) {
			fd = findings_add(out, SEV_WARN, "Office 365 Exchange Online",
			    "an Auth certificate is still a key credential of the "
			    "shared Exchange Online service principal after the move "
			    "to the hybrid application");
			finding_evidence(fd, "key id", "%s", k->key_id ? k->key_id : "");
			finding_evidence_param(fd, RP_THUMBPRINT, "thumbprint", "%s", k->key_thumbprint ?
			    k->key_thumbprint : k->custom_thumbprint ?
			    k->custom_thumbprint : "");
			finding_remedy(fd, "authcert.cleanup-sp");
		}
		return;
	}
	if (cfg_skip_unless(ctx, out, s->entra.sp_present,
	    "entra.exchangeServicePrincipal", "Exchange Online service principal"))
		return;
	judge_object(ctx, "the shared service principal", s->entra.sp.display_name ?
	    s->entra.sp.display_name : MSID_EXO_APP, NULL, s->entra.sp.keys,
	    s->entra.sp.nkeys, thumb, c, out);
	expired_keys(ctx, "the shared service principal", s->entra.sp.display_name ?
	    s->entra.sp.display_name : MSID_EXO_APP, s->entra.sp.keys,
	    s->entra.sp.nkeys, out);
}
