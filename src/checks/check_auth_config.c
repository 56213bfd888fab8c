/*
 * auth-config.certificate: the Auth certificate Get-AuthConfig names, on
 * every server; AuthConfig's ServiceName and (empty) Realm.
 */
#include <stdlib.h>
#include <string.h>
#include "msid.h"
#include "cfg.h"
#include "check_fns.h"
#include "str.h"

#define DAY	86400

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
	/* ServiceName is Exchange Online's id, Realm empty (PROTOCOLS 9). */
	if (ac->service_name != NULL && ac->service_name[0] != '\0' &&
	    !str_caseeq(ac->service_name, MSID_EXO_APP)) {
		fd = findings_add(out, SEV_FAIL, "AuthConfig", "AuthConfig's "
		    "ServiceName is %s, not Exchange Online's %s: Exchange issues "
		    "its tokens for another service", ac->service_name, MSID_EXO_APP);
		finding_evidence(fd, "service name", "%s", ac->service_name);
		finding_evidence(fd, "expected service name", "%s", MSID_EXO_APP);
		finding_evidence(fd, "fix", "Set-AuthConfig -ServiceName %s",
		    MSID_EXO_APP);
		bad++;
	}
	if (ac->realm != NULL && ac->realm[0] != '\0') {
		fd = findings_add(out, SEV_WARN, "AuthConfig", "AuthConfig's Realm "
		    "is '%s'; in a hybrid with Exchange Online it is empty", ac->realm);
		finding_evidence(fd, "realm", "%s", ac->realm);
		finding_evidence(fd, "fix", "Set-AuthConfig -Realm $null, after "
		    "checking what set it (another partner may rely on it)");
		bad++;
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
