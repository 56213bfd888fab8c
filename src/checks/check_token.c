/*
 * token.*: the checks on a token given to 'hybridcheck token' (ctx->token),
 * and the key-pair proof made with the Auth certificate's PFX. Each check
 * judges the outer token and, when there is one, its actor token.
 */
#include <stdlib.h>
#include <string.h>

#include "msid.h"
#include "check_fns.h"
#include "dnsname.h"
#include "spn.h"
#include "token.h"
#include "mem.h"
#include "buf.h"
#include "datetime.h"
#include "str.h"

/* The tokens to judge: the outer one, then its actor token. */
static size_t
tokens(const struct token_input *ti, const struct token *v[2],
    const char *names[2])
{
	size_t n = 0;

	if (ti == NULL || ti->tok.compact == NULL)
		return 0;
	v[n] = &ti->tok;
	names[n++] = ti->tok.actor ? "outer token" : "token";
	if (ti->tok.actor != NULL) {
		v[n] = ti->tok.actor;
		names[n++] = "actor token";
	}
	return n;
}

/* The tokens a check judges; none (and a skip finding) when it did not decode. */
static size_t
tokens_judged(const struct token_input *ti, const struct token *v[2],
    const char *names[2], struct findings *out)
{
	size_t n = tokens(ti, v, names);

	if (n == 0)
		findings_add(out, SEV_SKIP, ti->source, "the token did not decode");
	return n;
}

static int
unsigned_alg(const struct token *t)
{
	return t->alg != NULL && str_caseeq(t->alg, "none");
}

/* "value — meaning", with the actortoken's bulk left out. */
static void
claim_evidence(struct finding *fd, const struct token *t,
    const struct token_claim *c, int header, time_t now)
{
	char *why = token_explain(t, c, header, now);
	char key[128];

	snprintf(key, sizeof(key), "%s%s", header ? "header " : "", c->name);
	if (!header && (strcmp(c->name, "actortoken") == 0 ||
	    strcmp(c->name, "actort") == 0))
		finding_evidence(fd, key, "(%zu characters) — %s", strlen(c->value),
		    why ? why : "");
	else if (why != NULL)
		finding_evidence(fd, key, "%s — %s", c->value, why);
	else
		finding_evidence(fd, key, "%s", c->value);
	free(why);
}

void
check_token_decode(const struct context *ctx, struct findings *out)
{
	const struct token_input *ti = ctx->token;
	const struct token *v[2];
	const char *names[2];
	size_t n = tokens(ti, v, names);
	struct finding *fd;

	if (ti->decode_error != NULL) {
		fd = findings_add(out, SEV_FAIL, ti->source, "cannot decode the "
		    "token: %s", ti->decode_error);
		finding_evidence(fd, "source", "%s", ti->source);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct token *t = v[i];

		if (unsigned_alg(t))
			fd = findings_add(out, SEV_INFO, names[i], "unsigned (alg "
			    "none)%s", t->actor ? ", carrying an actor token" : "");
		else if (t->entra)
			fd = findings_add(out, SEV_INFO, names[i], "signed (%s), "
			    "issued by Entra ID (format %s), judged by Entra's rules",
			    t->alg ? t->alg : "no alg", t->ver ? t->ver : "unknown");
		else
			fd = findings_add(out, SEV_INFO, names[i], "signed (%s)%s",
			    t->alg ? t->alg : "no alg", t->actor ?
			    ", carrying an actor token" : "");
		if (i == 0) {
			finding_evidence(fd, "source", "%s", ti->source);
			if (t->stripped_bearer)
				finding_evidence(fd, "note", "the leading 'Bearer ' "
				    "was removed");
		}
		for (size_t j = 0; j < t->nheader; j++)
			claim_evidence(fd, t, &t->header[j], 1, ctx->now);
		for (size_t j = 0; j < t->nclaims; j++)
			claim_evidence(fd, t, &t->claims[j], 0, ctx->now);
		if (t->actor_error != NULL) {
			fd = findings_add(out, SEV_FAIL, names[i], "the %s claim does "
			    "not decode: %s", t->actor_claim ? t->actor_claim :
			    "actortoken", t->actor_error);
		}
	}
}

static void
key_evidence(struct finding *fd, const struct token_key *k, time_t now)
{
	char nb[32], na[32];

	finding_evidence(fd, "key", "%s", k->source);
	finding_evidence(fd, "key thumbprint", "%s", k->thumbprint);
	finding_evidence(fd, "key subject", "%s", k->subject);
	datetime_iso8601(k->not_before, nb, sizeof(nb));
	datetime_iso8601(k->not_after, na, sizeof(na));
	finding_evidence(fd, "key validity", "%s to %s%s", nb, na,
	    now > k->not_after ? " (expired)" : "");
}

/* Who should hold the key, for the remedy: Exchange's own or ACS's. */
static int
self_issued(const struct token *t)
{
	return t->iss_name.principal != NULL &&
	    str_caseeq(t->iss_name.principal, MSID_EXO_APP);
}

void
check_token_signature(const struct context *ctx, struct findings *out)
{
	const struct token_input *ti = ctx->token;
	const struct token *v[2];
	const char *names[2];
	size_t n = tokens_judged(ti, v, names, out);
	struct finding *fd;

	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct token *t = v[i];
		struct token_sigcheck r;
		enum token_sig s;

		/* Exchange's outer token is unsigned by design; its actor is not. */
		if (i == 0 && t->actor != NULL && unsigned_alg(t) && t->sig_len == 0) {
			findings_add(out, SEV_INFO, names[i], "unsigned, as Exchange "
			    "sends it with a user context: the actor token carries "
			    "the signature");
			continue;
		}
		s = token_verify(t, &ti->keys, &r);
		if (s == TOKEN_SIG_VALID) {
			fd = findings_add(out, SEV_PASS, names[i], "%s", r.reason);
			key_evidence(fd, r.key, ctx->now);
			if (ctx->now > r.key->not_after) {
				fd = findings_add(out, SEV_WARN, names[i], "signed with "
				    "a certificate that has expired");
				key_evidence(fd, r.key, ctx->now);
			}
			continue;
		}
		fd = findings_add(out, SEV_FAIL, names[i], "%s: %s",
		    token_sig_name(s), r.reason);
		finding_evidence(fd, "alg", "%s", t->alg ? t->alg : "(none)");
		if (t->x5t)
			finding_evidence(fd, "x5t", "%s", t->x5t);
		if (t->kid)
			finding_evidence(fd, "kid", "%s", t->kid);
		if (r.key != NULL)
			key_evidence(fd, r.key, ctx->now);
		finding_evidence(fd, "keys known", "%zu", ti->keys.n);
		for (size_t k = 0; k < ti->keys.n; k++)
			finding_evidence(fd, "known key", "%s (x5t %s)",
			    ti->keys.v[k].source, ti->keys.v[k].x5t);
		for (size_t k = 0; k < ti->key_notes.n; k++)
			finding_evidence(fd, "key not loaded", "%s",
			    ti->key_notes.v[k]);
		if (s == TOKEN_SIG_UNKNOWN_KEY && ti->keys.n == 0 &&
		    ti->key_notes.n == 0)
			finding_evidence(fd, "hint", t->entra ? "no signing keys "
			    "were given: give --domain D for the tenant's Entra "
			    "keys, or --metadata FILE with the key set saved from "
			    "https://login.<cloud>/<tenant id>/discovery/v2.0/keys" :
			    "no signing keys were given: give --domain D for the "
			    "tenant's ACS metadata, --metadata FILE, or --cert FILE");
		if (s == TOKEN_SIG_UNKNOWN_KEY && self_issued(t))
			finding_remedy(fd, "authcert.upload");
	}
}

void
check_token_lifetime(const struct context *ctx, struct findings *out)
{
	const struct token_input *ti = ctx->token;
	const struct token *v[2];
	const char *names[2];
	size_t n = tokens_judged(ti, v, names, out);

	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct token *t = v[i];
		enum token_lifetime l = token_lifetime(t, ctx->now, TOKEN_SKEW);
		char nbf[32] = "(none)", exp[32] = "(none)", now[32], rel[64];
		struct finding *fd;

		if (t->nbf.valid)
			datetime_iso8601(t->nbf.t, nbf, sizeof(nbf));
		if (t->exp.valid)
			datetime_iso8601(t->exp.t, exp, sizeof(exp));
		datetime_iso8601(ctx->now, now, sizeof(now));
		switch (l) {
		case TOKEN_LIFE_VALID:
			token_relative(t->exp.t, ctx->now, rel, sizeof(rel));
			fd = findings_add(out, SEV_PASS, names[i], "valid now, "
			    "expires %s", rel);
			break;
		case TOKEN_LIFE_EXPIRED:
			token_relative(t->exp.t, ctx->now, rel, sizeof(rel));
			fd = findings_add(out, SEV_FAIL, names[i], "expired %s (%s "
			    "UTC), beyond the %d-minute clock skew allowed", rel, exp,
			    TOKEN_SKEW / 60);
			break;
		case TOKEN_LIFE_NOT_YET:
			token_relative(t->nbf.t, ctx->now, rel, sizeof(rel));
			fd = findings_add(out, SEV_FAIL, names[i], "not valid yet: "
			    "valid from %s UTC, %s, beyond the %d-minute clock skew "
			    "allowed (the issuer's clock or this one is wrong)", nbf,
			    rel, TOKEN_SKEW / 60);
			finding_remedy(fd, "clock.sync");
			break;
		case TOKEN_LIFE_NO_EXP:
			fd = findings_add(out, SEV_FAIL, names[i], "no usable exp "
			    "claim: Exchange refuses a token without an expiry");
			break;
		default:
			fd = findings_add(out, SEV_FAIL, names[i], "nbf or iat is "
			    "not a time (expected seconds since 1970)");
			break;
		}
		finding_evidence(fd, "nbf", "%s", nbf);
		finding_evidence(fd, "exp", "%s", exp);
		finding_evidence(fd, "now", "%s", now);
		finding_evidence(fd, "skew allowed", "%d s", TOKEN_SKEW);
	}
}

/* An on-premises audience host against the SPN authorities (spn.h). */
static void
audience_host(const struct context *ctx, const char *name, const char *raw,
    struct findings *out)
{
	struct hcerr why;
	struct strlist near = { 0 };
	struct finding *fd;
	char *host = dnsname_normalize(raw, &why);
	long idx;

	if (host == NULL) {
		fd = findings_add(out, SEV_FAIL, name, "the audience host '%s' is "
		    "not a DNS name: %s", raw, why.msg);
		finding_evidence(fd, "aud host", "%s", raw);
		return;
	}
	if (ctx->spns == NULL) {
		fd = findings_add(out, SEV_INFO, name, "for the on-premises host "
		    "'%s'; no SPN authorities were given to judge it", host);
		finding_evidence(fd, "aud host", "%s", host);
		finding_evidence(fd, "hint", "give --spn S or --spn-file FILE");
		free(host);
		return;
	}
	if ((idx = spn_find_cover(ctx->spns, host)) != -1) {
		fd = findings_add(out, SEV_PASS, name, "for '%s', covered by %s",
		    host, ctx->spns->v[idx].raw);
		finding_evidence(fd, "aud host", "%s", host);
		finding_evidence(fd, "entry", "%s", ctx->spns->v[idx].raw);
		free(host);
		return;
	}
	fd = findings_add(out, SEV_FAIL, name, "the audience host '%s' is covered "
	    "by no SPN host authority: ACS issues no token for it ('the "
	    "hostname component of the audience claim value is invalid')", host);
	finding_evidence(fd, "aud host", "%s", host);
	spn_near_misses(ctx->spns, host, &near);
	for (size_t j = 0; j < near.n; j++)
		finding_evidence(fd, "close", "%s", near.v[j]);
	finding_evidence_param(fd, RP_SPNS_ADD, "add", "%s/%s", MSID_EXO_APP, host);
	finding_remedy(fd, "spn.add");
	strlist_release(&near);
	free(host);
}

/*
 * An Entra ID token's audience: the resource's application id (a GUID)
 * or its URL. Exchange Online's id, or one of its hosts, is the cloud; any
 * other host is an on-premises one Entra issued for because the shared
 * service principal names it, so the SPN authorities must cover it.
 */
static void
entra_audience(const struct context *ctx, const struct token_input *ti,
    const struct token *t, const char *name, struct findings *out)
{
	const struct token_name *a = &t->aud_name;
	struct finding *fd;

	if (!a->url) {
		const char *who = token_principal_name(t->aud);

		if (!str_is_guid(t->aud, strlen(t->aud))) {
			fd = findings_add(out, SEV_FAIL, name, "aud '%s' is neither an "
			    "application id nor a URL", t->aud);
		} else if (str_caseeq(t->aud, MSID_EXO_APP)) {
			fd = findings_add(out, SEV_PASS, name, "for Exchange Online "
			    "(its application id)");
		} else {
			fd = findings_add(out, SEV_WARN, name, "the audience is %s, "
			    "not Exchange Online (%s)", who ? who : t->aud, MSID_EXO_APP);
		}
		finding_evidence(fd, "aud", "%s", t->aud);
		return;
	}
	if (a->host == NULL) {
		fd = findings_add(out, SEV_FAIL, name, "aud '%s' is a URL without a "
		    "host", t->aud);
		finding_evidence(fd, "aud", "%s", t->aud);
		return;
	}
	if (strlist_contains_ci(&ti->exo_hosts, a->host)) {
		fd = findings_add(out, SEV_PASS, name, "for Exchange Online (%s)",
		    a->host);
		finding_evidence(fd, "aud", "%s", t->aud);
		return;
	}
	audience_host(ctx, name, a->host, out);
}

/*
 * The audience host: an Exchange Online host (a token sent to the cloud)
 * or an on-premises host, which the SPN authorities must cover.
 */
void
check_token_audience(const struct context *ctx, struct findings *out)
{
	const struct token_input *ti = ctx->token;
	const struct token *v[2];
	const char *names[2];
	size_t n = tokens_judged(ti, v, names, out);

	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct token_name *a = &v[i]->aud_name;
		struct finding *fd;

		if (v[i]->aud == NULL) {
			findings_add(out, SEV_FAIL, names[i], "no aud claim (or not a "
			    "string): the receiver cannot tell the token is for it");
			continue;
		}
		if (v[i]->entra) {
			entra_audience(ctx, ti, v[i], names[i], out);
			continue;
		}
		if (a->realm == NULL || a->host == NULL) {
			fd = findings_add(out, SEV_FAIL, names[i], "aud '%s' is not of "
			    "the form principal/host@realm", v[i]->aud);
			finding_evidence(fd, "aud", "%s", v[i]->aud);
			continue;
		}
		if (!str_caseeq(a->principal, MSID_EXO_APP)) {
			const char *who = token_principal_name(a->principal);

			fd = findings_add(out, SEV_WARN, names[i], "the audience is %s, "
			    "not Exchange (%s)", who ? who : a->principal,
			    MSID_EXO_APP);
			finding_evidence(fd, "aud", "%s", v[i]->aud);
		}
		if (strlist_contains_ci(&ti->exo_hosts, a->host)) {
			fd = findings_add(out, SEV_PASS, names[i], "for Exchange "
			    "Online (%s)", a->host);
			finding_evidence(fd, "aud host", "%s", a->host);
			continue;
		}
		audience_host(ctx, names[i], a->host, out);
	}
}

/* Sources that named another tenant than the one judged against. */
static void
tenant_notes(struct finding *fd, const struct token_input *ti)
{
	for (size_t i = 0; i < ti->tenant_notes.n; i++)
		finding_evidence(fd, "but", "%s", ti->tenant_notes.v[i]);
}

/* The cloud whose Entra login host h is, or NULL. */
static const struct cloud *
login_cloud(const struct context *ctx, const char *h)
{
	for (size_t i = 0; h != NULL && ctx->clouds != NULL &&
	    i < ctx->clouds->n; i++)
		if (cloud_has_value(&ctx->clouds->v[i], "login_hosts", h))
			return &ctx->clouds->v[i];
	return NULL;
}

/*
 * An Entra ID token's issuer: https://sts.<…>/<tid>/ (v1.0) or
 * https://login.<…>/<tid>/v2.0 (v2.0). The tenant is the issuer's GUID,
 * and the tid claim must say the same; both must be the tenant judged.
 */
static void
entra_issuer(const struct context *ctx, const struct token_input *ti,
    const struct token *t, const char *name, struct findings *out)
{
	const struct token_name *is = &t->iss_name;
	const struct cloud *lc = login_cloud(ctx, is->host);
	struct finding *fd;

	if (is->realm == NULL) {
		fd = findings_add(out, SEV_FAIL, name, "the Entra issuer '%s' names "
		    "no tenant id (expected https://<host>/<tenant id>/ or "
		    "https://<host>/<tenant id>/v2.0)", t->iss);
	} else if (t->tid != NULL && !str_caseeq(t->tid, is->realm)) {
		fd = findings_add(out, SEV_FAIL, name, "the issuer names tenant %s, "
		    "but the tid claim says %s", is->realm, t->tid);
	} else if (lc != NULL && ctx->cloud != NULL && lc != ctx->cloud) {
		fd = findings_add(out, SEV_WARN, name, "issued by %s, the %s cloud's "
		    "Entra ID, but the cloud is %s", is->host, lc->name,
		    ctx->cloud->name);
	} else if (ti->tenant != NULL && !str_caseeq(is->realm, ti->tenant)) {
		fd = findings_add(out, SEV_FAIL, name, "issued by Entra ID for "
		    "tenant %s, but the tenant is %s", is->realm, ti->tenant);
		finding_evidence(fd, "tenant from", "%s", ti->tenant_source);
		tenant_notes(fd, ti);
	} else if (ti->tenant == NULL) {
		fd = findings_add(out, SEV_INFO, name, "issued by Entra ID (%s) for "
		    "tenant %s; the tenant is not known, so it is not judged",
		    is->host ? is->host : "?", is->realm);
		finding_evidence(fd, "hint", "give --tenant GUID, --domain D or "
		    "--snapshot FILE");
	} else {
		fd = findings_add(out, ti->tenant_notes.n ? SEV_WARN : SEV_PASS,
		    name, "issued by Entra ID (%s, format %s) for the tenant %s%s",
		    is->host ? is->host : "?", t->ver ? t->ver : "unknown",
		    ti->tenant, ti->tenant_notes.n ? ", but another source names "
		    "another tenant" : "");
		finding_evidence(fd, "tenant from", "%s", ti->tenant_source);
		tenant_notes(fd, ti);
	}
	finding_evidence(fd, "iss", "%s", t->iss);
	if (t->tid != NULL)
		finding_evidence(fd, "tid", "%s", t->tid);
}

void
check_token_issuer(const struct context *ctx, struct findings *out)
{
	const struct token_input *ti = ctx->token;
	const struct token *v[2];
	const char *names[2];
	size_t n = tokens_judged(ti, v, names, out);

	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct token *t = v[i];
		const struct token_name *is = &t->iss_name, *au = &t->aud_name;
		const char *who;
		struct finding *fd;

		if (t->entra) {
			entra_issuer(ctx, ti, t, names[i], out);
			continue;
		}
		if (t->iss == NULL || is->realm == NULL) {
			fd = findings_add(out, unsigned_alg(t) && i == 0 && t->actor ?
			    SEV_INFO : SEV_FAIL, names[i], "no iss of the form "
			    "principal@realm");
			finding_evidence(fd, "iss", "%s", t->iss ? t->iss : "(none)");
			continue;
		}
		who = token_principal_name(is->principal);
		if (ti->tenant != NULL && !str_caseeq(is->realm, ti->tenant)) {
			fd = findings_add(out, SEV_FAIL, names[i], "issued for realm "
			    "'%s', but the tenant is %s", is->realm, ti->tenant);
			finding_evidence(fd, "iss", "%s", t->iss);
			finding_evidence(fd, "tenant", "%s", ti->tenant);
			finding_evidence(fd, "tenant from", "%s", ti->tenant_source);
			tenant_notes(fd, ti);
			finding_remedy(fd, "authserver.acs.fix");
			continue;
		}
		if (au->realm != NULL && !str_caseeq(au->realm, is->realm) &&
		    strcmp(au->realm, "*") != 0) {
			fd = findings_add(out, SEV_FAIL, names[i], "aud realm '%s' "
			    "differs from the iss realm '%s'", au->realm, is->realm);
			finding_evidence(fd, "iss", "%s", t->iss);
			finding_evidence(fd, "aud", "%s", t->aud);
			continue;
		}
		if (ti->tenant == NULL) {
			fd = findings_add(out, SEV_INFO, names[i], "issued by %s for "
			    "realm %s; the tenant is not known, so the realm is not "
			    "judged", who ? who : is->principal, is->realm);
			finding_evidence(fd, "iss", "%s", t->iss);
			finding_evidence(fd, "hint", "give --tenant GUID, --domain D, "
			    "--metadata FILE or --snapshot FILE");
			continue;
		}
		fd = findings_add(out, ti->tenant_notes.n ? SEV_WARN : SEV_PASS,
		    names[i], "issued by %s for the tenant %s%s", who ? who :
		    is->principal, ti->tenant, ti->tenant_notes.n ? ", but "
		    "another source names another tenant" : "");
		finding_evidence(fd, "iss", "%s", t->iss);
		finding_evidence(fd, "tenant from", "%s", ti->tenant_source);
		tenant_notes(fd, ti);
	}
}

/* The realm the proof was signed for, and why '*' when no tenant was known. */
static void
realm_evidence(struct finding *fd, const struct token_input *ti)
{
	if (ti->proof_realm != NULL && strcmp(ti->proof_realm, "*") == 0)
		finding_evidence(fd, "realm", "* (no tenant known; '*' is what "
		    "Exchange's own metadata names, and the signature proven "
		    "here does not depend on the realm)");
	else if (ti->proof_realm != NULL)
		finding_evidence(fd, "realm", "%s (from %s)", ti->proof_realm,
		    ti->tenant_source ? ti->tenant_source : "?");
}

static void
proof_evidence(struct finding *fd, const struct token_input *ti,
    const struct token *t, const struct token_key *k, time_t now)
{
	char end[32];

	finding_evidence(fd, "signing certificate", "%s", ti->proof_thumbprint);
	finding_evidence(fd, "verifying certificate", "%s", k->thumbprint);
	if (k->object != NULL) {
		finding_evidence(fd, "object", "%s", k->object);
		datetime_iso8601(k->cred_end ? k->cred_end : k->not_after, end,
		    sizeof(end));
		finding_evidence(fd, "credential ends", "%s%s%s", end,
		    k->cred_end ? "" : " (the certificate's end; the credential's "
		    "is unknown)", token_key_expired(k, now) ? ", expired" : "");
	}
	finding_evidence(fd, "x5t", "%s", t->x5t ? t->x5t : "");
	finding_evidence(fd, "aud", "%s", t->aud ? t->aud : "");
	realm_evidence(fd, ti);
}

/*
 * Signs nothing itself: the actor token was signed when the context was
 * built (the private key lives no longer than that); this verifies it
 * against the exported certificate and every Entra key credential. A
 * credential of another certificate is normal (rollover, older keys);
 * none matching is the outage "the key was not found".
 */
void
check_token_keypair(const struct context *ctx, struct findings *out)
{
	const struct token_input *ti = ctx->token;
	struct token t;
	struct hcerr e = { "" };
	struct finding *fd;
	size_t entra_ok = 0, entra_expired = 0;

	if (ti == NULL || ti->proof == NULL) {
		findings_add(out, SEV_ERROR, ti && ti->proof_source ?
		    ti->proof_source : "", "no actor token could be signed: %s",
		    ti && ti->proof_error ? ti->proof_error : "no private key");
		return;
	}
	if (token_decode(&t, ti->proof, strlen(ti->proof), &e) == -1) {
		findings_add(out, SEV_ERROR, ti->proof_source, "the signed actor "
		    "token does not decode: %s", e.msg);
		return;
	}
	if (ti->proof_certs.n == 0 && ti->proof_entra.n == 0) {
		fd = findings_add(out, SEV_WARN, ti->proof_source, "an actor token "
		    "was signed, but there is nothing to verify it against");
		finding_evidence(fd, "signing certificate", "%s",
		    ti->proof_thumbprint);
		finding_evidence(fd, "hint", "give the exported certificate "
		    "(--cert) and the Entra key credentials (--snapshot) to "
		    "verify against");
		realm_evidence(fd, ti);
	}
	for (size_t i = 0; i < ti->proof_certs.n; i++) {
		const struct token_key *k = &ti->proof_certs.v[i];
		struct token_sigcheck r;

		if (token_verify_key(&t, k, &r) == TOKEN_SIG_VALID)
			fd = findings_add(out, SEV_PASS, k->source, "verifies the "
			    "actor token signed with the private key of %s",
			    ti->proof_source);
		else {
			fd = findings_add(out, SEV_FAIL, k->source, "does not verify "
			    "the actor token signed with the private key of %s: the "
			    "exported certificate is not the key pair Exchange signs "
			    "with", ti->proof_source);
			finding_evidence(fd, "reason", "%s", r.reason);
		}
		proof_evidence(fd, ti, &t, k, ctx->now);
	}
	for (size_t i = 0; i < ti->proof_entra.n; i++) {
		const struct token_key *k = &ti->proof_entra.v[i];
		struct token_sigcheck r;

		if (token_verify_key(&t, k, &r) != TOKEN_SIG_VALID)
			fd = findings_add(out, SEV_INFO, k->source, "another "
			    "certificate (does not verify the actor token)");
		else if (token_key_expired(k, ctx->now)) {
			fd = findings_add(out, SEV_WARN, k->source, "verifies the "
			    "actor token, but the key credential has expired: Entra "
			    "no longer accepts tokens signed with it");
			entra_expired++;
		} else {
			fd = findings_add(out, SEV_PASS, k->source, "verifies the "
			    "actor token: Entra holds the key Exchange signs with");
			entra_ok++;
		}
		proof_evidence(fd, ti, &t, k, ctx->now);
	}
	for (size_t i = 0; i < ti->proof_notes.n; i++) {
		fd = findings_add(out, SEV_INFO, ti->proof_notes.v[i], "not "
		    "compared: the snapshot holds no certificate for it");
		finding_evidence(fd, "hint", "the collector gets a credential's "
		    "key only when it selects keyCredentials alone");
	}
	if (ti->proof_entra.n > 0 && entra_ok == 0) {
		if (entra_expired > 0)
			fd = findings_add(out, SEV_FAIL, ti->proof_source, "the Entra "
			    "key credential%s holding this key pair %s expired, and "
			    "no current one does: Entra refuses the tokens Exchange "
			    "signs", entra_expired == 1 ? "" : "s", entra_expired == 1 ?
			    "has" : "have");
		else
			fd = findings_add(out, SEV_FAIL, ti->proof_source, "none of "
			    "the %zu Entra key credential%s verifies an actor token "
			    "signed with this private key: Entra will answer \"the key "
			    "was not found\"", ti->proof_entra.n,
			    ti->proof_entra.n == 1 ? "" : "s");
		finding_evidence(fd, "signing certificate", "%s",
		    ti->proof_thumbprint);
		finding_remedy(fd, "authcert.upload");
	}
	token_release(&t);
}
