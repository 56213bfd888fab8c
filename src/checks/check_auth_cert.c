/*
 * auth-cert.*: the Exchange Auth certificate as loaded from --cert and
 * --next-cert (or a snapshot), against the thumbprint Get-AuthConfig shows,
 * and (auth-cert.entra) as Entra ID holds it.
 */
#include <stdlib.h>
#include <string.h>

#include "msid.h"
#include "cert.h"
#include "check_fns.h"
#include "datetime.h"
#include "cfg.h"
#include "evosts.h"
#include "str.h"

static void
day_text(time_t t, char *buf, size_t len)
{
	char iso[32];

	datetime_iso8601(t, iso, sizeof(iso));
	snprintf(buf, len, "%.10s", iso);
}

static void
date_evidence(struct finding *fd, const struct authcert *c, time_t now)
{
	char nb[32], na[32];

	datetime_iso8601(c->not_before, nb, sizeof(nb));
	datetime_iso8601(c->not_after, na, sizeof(na));
	finding_evidence(fd, "not before", "%s", nb);
	finding_evidence(fd, "not after", "%s", na);
	finding_evidence(fd, "days left", "%ld", cert_days_until(c->not_after, now));
}

void
check_cert_thumbprint(const struct context *ctx, struct findings *out)
{
	const struct authcert *c = ctx->cert;
	struct finding *fd;
	char how[160];

	if (ctx->thumbprint_changed) {
		cert_thumbprint_changes((unsigned)ctx->thumbprint_changed, how,
		    sizeof(how));
		fd = findings_add(out, SEV_INFO, "thumbprint", "the thumbprint "
		    "given was normalised before comparing: %s", how);
		if (ctx->thumbprint_given != NULL) {
			char *shown = cert_thumbprint_show(ctx->thumbprint_given);
			size_t n = strlen(ctx->thumbprint_given);

			finding_evidence(fd, "given", "%s", shown);
			finding_evidence(fd, "given bytes", "%zu", n);
			free(shown);
		}
		finding_evidence(fd, "normalised", "%s", ctx->thumbprint);
	}
	if (strcmp(ctx->thumbprint, c->thumbprint) == 0) {
		fd = findings_add(out, SEV_PASS, c->source, "the certificate is "
		    "the one Get-AuthConfig names (%s)", c->thumbprint);
		finding_evidence_param(fd, RP_THUMBPRINT, "thumbprint", "%s", c->thumbprint);
		return;
	}
	if (ctx->next_cert != NULL &&
	    strcmp(ctx->thumbprint, ctx->next_cert->thumbprint) == 0) {
		fd = findings_add(out, SEV_FAIL, c->source, "the thumbprint %s "
		    "is that of the next certificate '%s', not of '%s' (%s): "
		    "are --cert and --next-cert swapped?", ctx->thumbprint,
		    ctx->next_cert->source, c->source, c->thumbprint);
	} else
		fd = findings_add(out, SEV_FAIL, c->source, "the thumbprint %s "
		    "does not match the certificate in '%s' (%s): export the "
		    "certificate Get-AuthConfig names as CurrentCertificateThumbprint",
		    ctx->thumbprint, c->source, c->thumbprint);
	finding_evidence(fd, "thumbprint given", "%s", ctx->thumbprint);
	finding_evidence(fd, "certificate sha-1", "%s", c->thumbprint);
	finding_evidence(fd, "certificate subject", "%s", c->subject);
}

/* Validity of one certificate; what names it ("the Auth certificate"). */
static void
validity(const struct context *ctx, const struct authcert *c, const char *what,
    const char *renew, struct findings *out)
{
	long days = cert_days_until(c->not_after, ctx->now);
	long window = ctx->window;
	struct finding *fd;
	char day[16];

	if (c->not_before > ctx->now) {
		day_text(c->not_before, day, sizeof(day));
		fd = findings_add(out, SEV_FAIL, c->source, "%s is not valid "
		    "before %s (%ld days from now)", what, day,
		    cert_days_until(c->not_before, ctx->now) + 1);
	} else if (c->not_after <= ctx->now) {
		day_text(c->not_after, day, sizeof(day));
		fd = findings_add(out, SEV_FAIL, c->source, "%s expired on %s "
		    "(%ld days ago)", what, day, -days);
		finding_remedy(fd, renew);
	} else if (window > 0 && days < window) {
		day_text(c->not_after, day, sizeof(day));
		fd = findings_add(out, SEV_FAIL, c->source, "%s expires on %s, "
		    "in %ld days: inside the %ld-day window", what, day, days,
		    window);
		finding_remedy(fd, renew);
	} else if (days < MSID_AUTHCERT_WARN_DAYS) {
		day_text(c->not_after, day, sizeof(day));
		fd = findings_add(out, SEV_WARN, c->source, "%s expires on %s, "
		    "in %ld days: renew it and register the new one in Entra "
		    "before then", what, day, days);
		finding_remedy(fd, renew);
	} else {
		day_text(c->not_after, day, sizeof(day));
		fd = findings_add(out, SEV_PASS, c->source, "%s is valid until "
		    "%s (%ld days)", what, day, days);
	}
	date_evidence(fd, c, ctx->now);
	if (window > 0)
		finding_evidence(fd, "window days", "%ld", window);
}

/*
 * With a snapshot whose AuthConfig names this very certificate, its end is
 * judged once, with the staged rollover, by auth-config.certificate (the
 * monitor's rules): a certificate 45 days from its end with a next one
 * staged is no fault, and an expired one needs the replace path there.
 */
static int
judged_by_life_cycle(const struct context *ctx, const struct authcert *c)
{
	const struct snapshot *s = ctx->snapshot;

	return (ctx->have & INPUT_SNAPSHOT) && s != NULL &&
	    s->onprem.authconfig.present &&
	    s->onprem.authconfig.current_thumbprint != NULL &&
	    strcmp(s->onprem.authconfig.current_thumbprint, c->thumbprint) == 0;
}

void
check_cert_validity(const struct context *ctx, struct findings *out)
{
	const struct authcert *c = ctx->cert;
	struct finding *fd;
	char day[16];
	long days;

	days = cert_days_until(c->not_after, ctx->now);
	if (!judged_by_life_cycle(ctx, c) || c->not_before > ctx->now ||
	    days >= MSID_AUTHCERT_WARN_DAYS) {
		validity(ctx, c, "the Auth certificate", "authcert.renew", out);
		return;
	}
	day_text(c->not_after, day, sizeof(day));
	fd = findings_add(out, SEV_INFO, c->source, "the Auth certificate %s %s "
	    "(%ld days): auth-config.certificate judges it with the staged "
	    "rollover, by the rules of Microsoft's monitor",
	    c->not_after <= ctx->now ? "expired on" : "ends on", day, days);
	date_evidence(fd, c, ctx->now);
}

void
check_cert_key(const struct context *ctx, struct findings *out)
{
	const struct authcert *c = ctx->cert;
	const char *sig = c->sig_alg_windows ? c->sig_alg_windows : c->sig_alg;
	struct finding *fd;
	int rsa = strncmp(c->key_type, "RSA", 3) == 0;

	if (rsa && c->key_bits < 2048) {
		fd = findings_add(out, SEV_FAIL, c->source, "the key is RSA %d "
		    "bits: Entra and Exchange Online expect at least 2048",
		    c->key_bits);
		finding_remedy(fd, "authcert.renew");
	} else if (!rsa) {
		fd = findings_add(out, SEV_WARN, c->source, "the key is %s %d "
		    "bits: Exchange creates its Auth certificate with RSA",
		    c->key_type, c->key_bits);
	} else
		fd = findings_add(out, SEV_PASS, c->source, "%s %d-bit key, %s",
		    c->key_type, c->key_bits, sig);
	finding_evidence(fd, "key", "%s %d", c->key_type, c->key_bits);
	finding_evidence(fd, "signature algorithm", "%s", sig);

	if (strcmp(c->sig_alg, "sha1WithRSAEncryption") == 0) {
		fd = findings_add(out, SEV_INFO, c->source, "signed with sha1RSA: "
		    "Exchange's default for its self-signed Auth certificate; "
		    "the signature is not what Entra checks");
		finding_evidence(fd, "signature algorithm", "%s", c->sig_alg);
	} else if (strcmp(c->sig_alg, "md5WithRSAEncryption") == 0) {
		fd = findings_add(out, SEV_WARN, c->source, "signed with md5RSA, "
		    "which current systems refuse");
		finding_evidence(fd, "signature algorithm", "%s", c->sig_alg);
		finding_remedy(fd, "authcert.renew");
	}
	if (!cert_is_default_subject(c)) {
		fd = findings_add(out, SEV_INFO, c->source, "the subject is "
		    "'%s', not Exchange's default '%s': make sure this is the "
		    "certificate Get-AuthConfig names", c->subject,
		    CERT_DEFAULT_SUBJECT);
		finding_evidence(fd, "subject", "%s", c->subject);
		finding_evidence(fd, "issuer", "%s", c->issuer);
	}
	if (c->has_private_key) {
		fd = findings_add(out, SEV_WARN, c->source, "'%s' (%s) also holds "
		    "the private key: upload only the public part (a .cer, or "
		    "the value 'hybridcheck cert --upload' prints) and keep "
		    "this file off shared machines", c->source,
		    cert_format_name(c->format));
		finding_evidence(fd, "format", "%s", cert_format_name(c->format));
	}
}

void
check_cert_next(const struct context *ctx, struct findings *out)
{
	const struct authcert *n = ctx->next_cert, *c = ctx->cert;
	struct finding *fd;

	if (c != NULL && cert_equal(c, n)) {
		fd = findings_add(out, SEV_WARN, n->source, "the next certificate "
		    "is the current one (%s): no rollover is staged",
		    n->thumbprint);
		finding_evidence_param(fd, RP_THUMBPRINT, "thumbprint", "%s", n->thumbprint);
		return;
	}
	validity(ctx, n, "the next Auth certificate", "authcert.renew", out);
	if (strncmp(n->key_type, "RSA", 3) == 0 && n->key_bits < 2048) {
		fd = findings_add(out, SEV_FAIL, n->source, "the next "
		    "certificate's key is RSA %d bits: at least 2048 expected",
		    n->key_bits);
		finding_remedy(fd, "authcert.renew");
	}
	if (c != NULL && n->not_after < c->not_after) {
		char nd[16], cd[16];

		day_text(n->not_after, nd, sizeof(nd));
		day_text(c->not_after, cd, sizeof(cd));
		fd = findings_add(out, SEV_WARN, n->source, "the next certificate "
		    "expires on %s, before the current one (%s)", nd, cd);
		finding_evidence(fd, "current thumbprint", "%s", c->thumbprint);
	}
	/* Without a snapshot nobody can tell whether Entra already has it. */
	if (!(ctx->have & INPUT_SNAPSHOT)) {
		fd = findings_add(out, SEV_INFO, n->source, "register the next "
		    "certificate (%s) as a key credential before "
		    "NextCertificateEffectiveDate, next to the current one; a "
		    "snapshot would show whether it already is", n->thumbprint);
		finding_evidence_param(fd, RP_THUMBPRINT, "thumbprint", "%s", n->thumbprint);
		if (c != NULL)
			finding_evidence(fd, "current thumbprint", "%s",
			    c->thumbprint);
		finding_remedy(fd, "authcert.upload-next");
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

/*
 * Why the dedicated application does not work yet, or NULL when it does:
 * one valid EvoSTS AuthServer, the override on, the current certificate
 * on the application, EWS or Graph permission consented.
 */
static const char *
app_not_working(const struct context *ctx, const struct snap_cert *c)
{
	const struct snapshot *s = ctx->snapshot;
	const char *thumb = s->onprem.authconfig.current_thumbprint;
	const struct snap_app *app = NULL;
	struct evosts e;
	int on = 0, consent = 0;

	evosts_find(ctx, &e);
	if (!e.valid)
		return "no valid EvoSTS AuthServer";
	for (size_t i = 0; i < s->onprem.noverrides && !on; i++) {
		const struct snap_override *o = &s->onprem.overrides[i];

		if (str_caseeq(o->section, HYBRID_OVERRIDE_SECTION))
			for (size_t k = 0; k < o->parameters.n; k++) {
				char *p = xstrdup(o->parameters.v[k]), *q = p, *w = p;

				for (; *q; q++)
					if (*q != ' ' && *q != '\t')
						*w++ = *q;
				*w = '\0';
				on |= str_caseeq(p, "Enabled=true");
				free(p);
			}
	}
	if (!on)
		return "the EnableExchangeHybrid3PAppFeature override is not on";
	for (size_t i = 0; i < s->entra.napps && app == NULL; i++)
		if (str_caseeq(s->entra.apps[i].app_id, e.one->app_id))
			app = &s->entra.apps[i];
	if (app == NULL)
		return "Entra ID has no application with the EvoSTS AuthServer's id";
	if (cfg_find_key(app->keys, app->nkeys, thumb, c ? c->der : NULL,
	    c ? c->der_len : 0) == NULL)
		return "the application lacks the current Auth certificate";
	for (size_t r = 0; r < app->nassignments && !consent; r++)
		consent = str_caseeq(app->assignments[r].app_role_id,
		    MSID_FULL_ACCESS_AS_APP) || str_caseeq(
		    app->assignments[r].resource_app_id, MSID_GRAPH_APP);
	if (!consent)
		return "no admin consent on the application";
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
	    cfg_skip_part(ctx, out, s->onprem.authconfig.present,
	    "onPremises.authConfig", "Get-AuthConfig") ||
	    cfg_skip_part(ctx, out, s->entra.sp_present,
	    "entra.exchangeServicePrincipal", "Exchange Online service principal") ||
	    cfg_skip_part(ctx, out, 1, "entra.hybridApplications",
	    "hybrid applications in Entra ID") ||
	    cfg_skip_part(ctx, out, 1, "onPremises.authServers",
	    "AuthServers (which say where the key belongs)") ||
	    cfg_skip_oauth_unused(ctx, out, "the Auth certificate's key in Entra "
	    "ID"))
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
			const char *why = app_not_working(ctx, c);

			/*
			 * Microsoft's clean-up mode, once the application works;
			 * before, the shared principal's key still carries the calls.
			 */
			if (why == NULL) {
				fd = findings_add(out, SEV_WARN, "Office 365 Exchange Online",
				    "an Auth certificate is still a key credential of the "
				    "shared Exchange Online service principal after the move "
				    "to the hybrid application");
				finding_remedy(fd, "authcert.cleanup-sp");
			} else {
				fd = findings_add(out, SEV_INFO, "Office 365 Exchange Online",
				    "an Auth certificate is still a key credential of the "
				    "shared Exchange Online service principal; keep it "
				    "until the hybrid application works (%s), then remove "
				    "it with Microsoft's clean-up mode", why);
				finding_evidence(fd, "not yet", "%s", why);
			}
			finding_evidence(fd, "key id", "%s", k->key_id ? k->key_id : "");
			finding_evidence_param(fd, RP_THUMBPRINT, "thumbprint", "%s", k->key_thumbprint ?
			    k->key_thumbprint : k->custom_thumbprint ?
			    k->custom_thumbprint : "");
		}
		return;
	}
	if (cfg_skip_part(ctx, out, s->entra.sp_present,
	    "entra.exchangeServicePrincipal", "Exchange Online service principal"))
		return;
	judge_object(ctx, "the shared service principal", s->entra.sp.display_name ?
	    s->entra.sp.display_name : MSID_EXO_APP, NULL, s->entra.sp.keys,
	    s->entra.sp.nkeys, thumb, c, out);
	expired_keys(ctx, "the shared service principal", s->entra.sp.display_name ?
	    s->entra.sp.display_name : MSID_EXO_APP, s->entra.sp.keys,
	    s->entra.sp.nkeys, out);
}
