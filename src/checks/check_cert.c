/*
 * auth-cert.*: the Exchange Auth certificate as loaded from --cert and
 * --next-cert (or a snapshot), against the thumbprint Get-AuthConfig shows.
 */
#include <stdlib.h>
#include <string.h>

#include "msid.h"
#include "cert.h"
#include "check_fns.h"
#include "datetime.h"


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

void
check_cert_validity(const struct context *ctx, struct findings *out)
{
	validity(ctx, ctx->cert, "the Auth certificate", "authcert.renew", out);
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
