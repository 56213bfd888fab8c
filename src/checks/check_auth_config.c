/*
 * auth-config.certificate: the Auth certificate Get-AuthConfig names, on
 * every server, and its life cycle (current, next, rollover) by the rules
 * of Microsoft's MonitorExchangeAuthCertificate.ps1; AuthConfig's
 * ServiceName and (empty) Realm.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "msid.h"
#include "cfg.h"
#include "check_fns.h"
#include "str.h"

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
		finding_evidence_param(fd, RP_SERVER, "server", "%s", name);
		finding_evidence(fd, "fix", "MonitorExchangeAuthCertificate.ps1 "
		    "-ValidateAndRenewAuthCertificate $true imports it from a server "
		    "that has it (Export-ExchangeCertificate with the private key is "
		    "blocked since the October 2025 update)");
		finding_evidence(fd, "monitor action", "import");
		finding_remedy(fd, "authcert.renew");
		return 1;
	}
	/* Expiry is the life cycle's (check_auth_cycle.c): one certificate, one finding. */
	if (c->not_before != 0 && c->not_before > ctx->now) {
		cfg_date(c->not_before, d, sizeof(d));
		fd = findings_add(out, SEV_FAIL, name, "the Auth certificate on '%s' "
		    "is not valid before %s", name, d);
		finding_evidence(fd, "not before", "%s", d);
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

#define DAY	86400L

/* Whole days left (the monitor's TimeSpan.Days); -1 expired; -2 unknown. */
static long
days_left(const struct snap_cert *c, time_t now)
{
	if (c == NULL || c->not_after == 0)
		return -2;
	if (c->not_after <= now)
		return -1;
	return (long)((c->not_after - now) / DAY);
}

static int
holds(const struct snap_server *sv, const char *thumb)
{
	for (size_t i = 0; i < sv->ncerts; i++)
		if (sv->certs[i].thumbprint && strcmp(sv->certs[i].thumbprint, thumb) == 0)
			return 1;
	return 0;
}

/*
 * The day the monitor makes a new next certificate effective: in 30 days,
 * and when the current one ends within 32 days, in 4, 2 or 0 days
 * (New-ExchangeAuthCertificate.ps1, ConfigureNextAuthCertificate).
 */
static long
stage_in_days(long cur)
{
	if (cur >= MSID_AUTHCERT_STAGE_DAYS + 2)
		return MSID_AUTHCERT_STAGE_DAYS;
	if (cur - 4 > 0)
		return 4;
	if (cur - 2 > 0)
		return 2;
	return 0;
}

/* The next certificate staged on every judged server; returns servers lacking it. */
static size_t
next_on_servers(const struct context *ctx, const char *next, time_t eff,
    struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	size_t lacking = 0;
	char d[32] = "an unknown date";

	if (eff != 0)
		cfg_date(eff, d, sizeof(d));
	for (size_t i = 0; i < s->onprem.nservers; i++) {
		const struct snap_server *sv = &s->onprem.servers[i];
		const char *name = sv->name ? sv->name : "(unnamed)";
		struct finding *fd;

		if (!org_server_speaks_oauth(sv) || !sv->certs_collected || holds(sv, next))
			continue;
		fd = findings_add(out, SEV_FAIL, name, "server '%s' does not hold the "
		    "next Auth certificate %s (effective %s): from then on it cannot "
		    "sign tokens; MonitorExchangeAuthCertificate.ps1 imports it there "
		    "(exporting it with its private key is blocked since the October "
		    "2025 update)", name, next, d);
		finding_evidence_param(fd, RP_NEXT_THUMBPRINT, "next thumbprint", "%s", next);
		finding_evidence_param(fd, RP_SERVER, "server", "%s", name);
		finding_evidence(fd, "effective", "%s", d);
		finding_evidence(fd, "monitor action", "import");
		finding_remedy(fd, "authcert.renew");
		lacking++;
	}
	return lacking;
}

/*
 * A staged certificate whose effective date passed without a rollover. It
 * is published only once Entra ID is seen holding it (or the dedicated
 * application's script uploads it first); otherwise the registration comes
 * first (the finding "not registered" names authcert.upload-next).
 */
static void
overdue(const struct context *ctx, const struct snap_authconfig *ac,
    long next_days, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const char *where = NULL;
	struct finding *fd;
	char d[32];
	long late;
	int known = s->entra.present, held;

	if (ac->next_effective == 0 || next_days < 0 ||
	    ctx->now <= ac->next_effective + MSID_AUTHCERT_PUBLISH_HOURS * 3600L)
		return;
	held = known && registered(ctx, ac->next_thumbprint, &where);
	late = (long)((ctx->now - ac->next_effective) / DAY);
	cfg_date(ac->next_effective, d, sizeof(d));
	fd = findings_add(out, SEV_WARN, "next Auth certificate", "the next Auth "
	    "certificate %s was to take effect on %s (%ld day(s) ago) and is still "
	    "not the current one: the AuthAdmin servicelet publishes a staged "
	    "certificate within %d hours of that date, so the rollover is overdue "
	    "(an inference from Microsoft's script's wording); %s",
	    ac->next_thumbprint, d, late, MSID_AUTHCERT_PUBLISH_HOURS,
	    held ? "publish it with Set-AuthConfig -PublishCertificate once it "
	    "is on every server" : known ? "register it in Entra ID first, then "
	    "publish it with Set-AuthConfig -PublishCertificate" : "publish it "
	    "with Set-AuthConfig -PublishCertificate once Entra ID holds it "
	    "(without Entra data the snapshot cannot tell)");
	finding_evidence_param(fd, RP_NEXT_THUMBPRINT, "next thumbprint", "%s", ac->next_thumbprint);
	finding_evidence(fd, "effective", "%s", d);
	finding_evidence(fd, "days overdue", "%ld", late);
	if (held || (cfg_dedicated(s) && known))
		finding_remedy(fd, "authcert.publish");
}

static void	new_cert_lifetime(const struct context *, struct finding *,
		    struct findings *);

/* The replace path: a new certificate effective now. Returns 1. */
static int
replace(const struct context *ctx, const struct snap_cert *cc, const char *next,
    struct findings *out)
{
	const struct snap_authconfig *ac = &ctx->snapshot->onprem.authconfig;
	long cur = days_left(cc, ctx->now);
	struct finding *fd;
	char d[32];

	/* The monitor's scenarios 1 and 3: replaced, not renewed. */
	if (cc != NULL) {
		cfg_date(cc->not_after, d, sizeof(d));
		fd = findings_add(out, SEV_FAIL, "current Auth certificate",
		    "the current Auth certificate %s %s %s: it must be "
		    "replaced, not renewed — a new certificate effective now, "
		    "published, the previous one cleared and the services "
		    "restarted (MonitorExchangeAuthCertificate.ps1's replace "
		    "path); until then no server can sign a token",
		    ac->current_thumbprint, cur < 0 ? "expired on" :
		    "expires today,", d);
		finding_evidence(fd, "not after", "%s", d);
	} else
		fd = findings_add(out, SEV_FAIL, "current Auth certificate",
		    "the current Auth certificate %s is on no server: it must be "
		    "replaced by a new one effective now "
		    "(MonitorExchangeAuthCertificate.ps1's replace path)",
		    ac->current_thumbprint);
	finding_evidence_param(fd, RP_THUMBPRINT, "thumbprint", "%s", ac->current_thumbprint);
	if (next != NULL)
		finding_evidence(fd, "next thumbprint", "%s", next);
	finding_evidence(fd, "monitor action", "replace");
	finding_remedy(fd, "authcert.renew");
	new_cert_lifetime(ctx, fd, out);
	return 1;
}

/*
 * A certificate longer-lived than the tenant's cap on certificate key
 * credentials (appManagementPolicy, asymmetricKeyLifetime) cannot be
 * registered on an application the policy covers.
 */
static void
lifetime_fits(const struct context *ctx, const struct snap_cert *c,
    const char *which, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	struct finding *fd;
	long life;
	char d[32] = "any date";

	if (c == NULL || c->not_before == 0 || c->not_after == 0 ||
	    s->entra.key_max_days <= 0)
		return;
	/* To the second, as Entra compares the key's dates with maxLifetime. */
	if (c->not_after - c->not_before <= (time_t)s->entra.key_max_days * DAY)
		return;
	life = (long)((c->not_after - c->not_before + DAY - 1) / DAY);
	if (s->entra.key_policy_after != 0)
		cfg_date(s->entra.key_policy_after, d, sizeof(d));
	fd = findings_add(out, SEV_WARN, "key-credential policy", "the %s Auth "
	    "certificate %s is valid for %ld days, longer than the %ld days the "
	    "tenant's app management policy allows a certificate key credential "
	    "(maxLifetime %s, applications created after %s): Entra ID refuses to "
	    "register it where the policy applies — an inference, the snapshot "
	    "does not say when the application was created; a new certificate "
	    "must be made with -CustomCertificateLifetimeInDays %ld", which,
	    c->thumbprint, life, s->entra.key_max_days, s->entra.key_max_text ?
	    s->entra.key_max_text : "", d, s->entra.key_max_days);
	finding_evidence(fd, "lifetime days", "%ld", life);
	finding_evidence(fd, "policy days", "%ld", s->entra.key_max_days);
}

/* What a certificate about to be made must fit, on the finding that makes it. */
static void
new_cert_lifetime(const struct context *ctx, struct finding *fd,
    struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	struct finding *sk;

	if (!s->entra.present)
		return;
	if (!s->entra.key_policy_present) {
		/* The collector's reason, typically Graph's 403 without the scope. */
		const struct snap_error *er = cfg_part_error(s,
		    "entra.appManagementPolicy");
		char *why = er == NULL ? NULL :
		    str_clean_text(er->message ? er->message : "no message");

		sk = findings_add(out, SEV_SKIP, "key-credential policy", "the "
		    "tenant's cap on certificate key credentials was not collected "
		    "(appManagementPolicy: Graph policies/defaultAppManagementPolicy, "
		    "Policy.Read.All): whether Entra ID accepts a new certificate of "
		    "Microsoft's default five years is not judged; where a policy caps "
		    "it (e.g. 365 days), the monitor needs "
		    "-CustomCertificateLifetimeInDays%s%s%s", why ? " (the collector "
		    "could not read it: " : "", why ? why : "", why ? ")" : "");
		finding_evidence(sk, "needs", "entra.appManagementPolicy");
		free(why);
		return;
	}
	/*
	 * One day under the cap: a certificate of exactly the cap's length
	 * is over it as soon as its start is set a moment before the request
	 * or its end is rounded up.
	 */
	if (s->entra.key_max_days > 1 && s->entra.key_max_days <= 1825)
		finding_evidence_param(fd, RP_LIFETIME_DAYS, "new lifetime days",
		    "%ld", s->entra.key_max_days - 1);
}

/*
 * The life cycle as Microsoft's MonitorExchangeAuthCertificate.ps1 enforces
 * it (PROTOCOLS §12.10), figures from msid.h; the monitor's decision is the
 * evidence "monitor action", so the remedy hands the same case to it.
 * Returns 1 when the current certificate itself is at fault (the replace
 * path), so the caller does not also pass it.
 */
static int
auth_cycle_judge(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const struct snap_authconfig *ac = &s->onprem.authconfig;
	const char *next = ac->next_thumbprint;
	const struct snap_cert *cc, *nc = NULL;
	long cur, nxt = -1;
	size_t judged = 0, cur_missing = 0, next_missing = 0;
	struct finding *fd;
	char d[32];

	for (size_t i = 0; i < s->onprem.nservers; i++) {
		const struct snap_server *sv = &s->onprem.servers[i];

		if (!org_server_speaks_oauth(sv) || !sv->certs_collected)
			continue;
		judged++;
		cur_missing += !holds(sv, ac->current_thumbprint);
	}
	if (judged == 0)
		return 0;
	if (next != NULL && strcmp(next, ac->current_thumbprint) == 0)
		next = NULL;
	cc = cfg_find_cert(s, ac->current_thumbprint);
	cur = days_left(cc, ctx->now);
	if (cc == NULL)
		cur = -1;	/* on no server: the monitor counts it as invalid */
	if (next != NULL) {
		next_missing = next_on_servers(ctx, next, ac->next_effective, out);
		nc = cfg_find_cert(s, next);
		nxt = nc == NULL ? -1 : days_left(nc, ctx->now);
	}
	if (cur == -2 || nxt == -2)
		return 0;	/* dates not collected: nothing to judge by */
	if (s->entra.present) {
		lifetime_fits(ctx, cc, "current", out);
		lifetime_fits(ctx, nc, "next", out);
	}

	/*
	 * The monitor's order: scenario 1 (both invalid) replaces; scenario 2
	 * (the current one within 60 days, no next one valid beyond 120, all
	 * on every server) stages a next one; scenario 3 (the current one at
	 * its end, a next one valid) replaces as well; otherwise it imports.
	 */
	if (cur < 0 && nxt < 0)
		return replace(ctx, cc, next, out);
	if (cur >= 0 && cur <= MSID_AUTHCERT_WARN_DAYS &&
	    nxt <= MSID_AUTHCERT_NEXT_MIN_DAYS && cur_missing == 0 &&
	    next_missing == 0) {
		long in = stage_in_days(cur);
		char nd[160], eff[80];

		cfg_date(cc->not_after, d, sizeof(d));
		if (next == NULL)
			snprintf(nd, sizeof(nd), "no next certificate is staged");
		else if (nxt < 0)
			snprintf(nd, sizeof(nd), "the next one, %s, has expired", next);
		else
			snprintf(nd, sizeof(nd), "the next one, %s, is valid for only "
			    "%ld days (%d or fewer)", next, nxt,
			    MSID_AUTHCERT_NEXT_MIN_DAYS);
		if (in == MSID_AUTHCERT_STAGE_DAYS)
			snprintf(eff, sizeof(eff), "in %ld days", in);
		else
			snprintf(eff, sizeof(eff), "in %ld days (not %d: the current "
			    "one ends sooner)", in, MSID_AUTHCERT_STAGE_DAYS);
		fd = findings_add(out, cur < MSID_AUTHCERT_STAGE_DAYS ? SEV_FAIL :
		    SEV_WARN, "next Auth certificate", "the current Auth certificate "
		    "expires on %s, in %ld days, and %s: a new next certificate is due "
		    "(Microsoft's monitor renews at %d days or fewer), takes effect "
		    "%s and must be registered in Entra ID before then", d, cur, nd,
		    MSID_AUTHCERT_WARN_DAYS, eff);
		finding_evidence_param(fd, RP_THUMBPRINT, "thumbprint", "%s", ac->current_thumbprint);
		finding_evidence(fd, "not after", "%s", d);
		finding_evidence(fd, "days left", "%ld", cur);
		if (next != NULL)
			finding_evidence(fd, "next thumbprint", "%s", next);
		finding_evidence(fd, "effective in days", "%ld", in);
		finding_evidence(fd, "monitor action", "configure next");
		finding_remedy(fd, "authcert.renew");
		new_cert_lifetime(ctx, fd, out);
	} else if (cur <= 0 && nxt >= 0)
		return replace(ctx, cc, next, out);
	if (next != NULL)
		overdue(ctx, ac, nxt, out);
	return 0;
}

void
check_auth_config(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const struct snap_authconfig *ac = &s->onprem.authconfig;
	struct strlist unknown = { 0 };
	size_t judged = 0, bad = 0;
	struct finding *fd;

	if (cfg_skip_part(ctx, out, ac->present, "onPremises.authConfig",
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

		if (!org_server_speaks_oauth(sv))
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
	bad += (size_t)auth_cycle_judge(ctx, out);

	if (ac->next_thumbprint != NULL &&
	    strcmp(ac->next_thumbprint, ac->current_thumbprint) != 0) {
		const char *where = NULL;
		char d[32] = "an unknown date";

		if (ac->next_effective != 0)
			cfg_date(ac->next_effective, d, sizeof(d));
		if (!s->entra.present ||
		    cfg_part_error(s, "entra.hybridApplications") != NULL ||
		    cfg_part_error(s, "entra.exchangeServicePrincipal") != NULL ||
		    cfg_part_error(s, "onPremises.authServers") != NULL) {
			fd = findings_add(out, SEV_INFO, "AuthConfig", "next Auth "
			    "certificate %s is staged for %s; without Entra data (or with a part the collector could not read) the "
			    "snapshot cannot tell whether it is registered",
			    ac->next_thumbprint, d);
		} else if (cfg_oauth_unused(ctx) != MODEL_UNKNOWN) {
			fd = findings_add(out, SEV_INFO, "AuthConfig", "next Auth "
			    "certificate %s is staged for %s; its key in Entra ID is "
			    "not used by this organisation's model (%s)",
			    ac->next_thumbprint, d,
			    model_class_name(cfg_oauth_unused(ctx)));
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
