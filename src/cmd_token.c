/*
 * token: decode, explain and verify a token; prove the Auth certificate's
 * key pair. Gathers the token, the keys and the tenant into ctx->token,
 * then runs the token.* checks.
 */
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "checks.h"
#include "commands.h"
#include "context.h"
#include "findings.h"
#include "report.h"
#include "token.h"

/* Reads at most max bytes of f; -1 when there is more. Caller frees *out. */
static int
read_capped(FILE *f, size_t max, char **out, size_t *len)
{
	struct buf b;
	char chunk[4096];
	size_t n;

	buf_init(&b, max);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(&b, chunk, n) == -1) {
			buf_release(&b);
			return -1;
		}
	if (ferror(f)) {
		buf_release(&b);
		return -2;
	}
	*len = b.len;
	*out = b.data ? buf_steal(&b) : xstrdup("");
	return 0;
}

/*
 * The token's text from the argument, standard input or --token-file.
 * Returns 0 with *text set, or an exit code after writing to err.
 */
static int
token_text(const struct options *o, struct token_input *ti, char **text,
    size_t *len, FILE *err)
{
	struct hcerr e = { "" };
	int rc;

	*text = NULL;
	if (o->token_file != NULL) {
		ti->source = xasprintf("file '%s'", o->token_file);
		if (util_read_file(o->token_file, TOKEN_MAX, text, len, &e) == -1) {
			fprintf(err, "hybridcheck: token: %s\n", e.msg);
			return EXIT_INCOMPLETE;
		}
		return 0;
	}
	if (strcmp(o->args.v[0], "-") == 0) {
		ti->source = xstrdup("standard input");
		if ((rc = read_capped(stdin, TOKEN_MAX, text, len)) == -1) {
			fprintf(err, "hybridcheck: token: standard input holds more "
			    "than the %d bytes a token may have\n", TOKEN_MAX);
			return EXIT_INCOMPLETE;
		}
		if (rc == -2) {
			fprintf(err, "hybridcheck: token: cannot read standard input\n");
			return EXIT_INCOMPLETE;
		}
		return 0;
	}
	ti->source = xstrdup("the argument");
	*len = strlen(o->args.v[0]);
	*text = xstrdup(o->args.v[0]);
	return 0;
}

/* Exchange Online hosts of the chosen cloud, or of every cloud. */
static void
exo_hosts(const struct context *ctx, struct strlist *out)
{
	for (size_t i = 0; i < ctx->clouds->n; i++) {
		const struct cloud *c = &ctx->clouds->v[i];
		const struct cloud_field *f;

		if (ctx->cloud != NULL && c != ctx->cloud)
			continue;
		if ((f = cloud_field(c, "exo_hosts")) == NULL)
			continue;
		for (size_t j = 0; j < f->values.n; j++)
			if (!strlist_contains_ci(out, f->values.v[j]))
				strlist_add(out, f->values.v[j]);
	}
}

/*
 * The key-pair proof's first half: signs a self-issued actor token with
 * the PFX's private key, which lives only for that moment. The token.keypair
 * check verifies the result against the other certificates. A PFX that
 * cannot be opened is an input error (-1, e set); one without a private
 * key is a finding.
 */
static int
proof_sign(struct context *ctx, const char *pfx, struct token_input *ti,
    struct hcerr *e)
{
	const struct cloud *c = ctx->cloud ? ctx->cloud :
	    cloud_find(ctx->clouds, "global");
	const char *host = cloud_preferred(c, "exo_hosts");
	struct authcert *signer;
	struct hcerr why = { "" };
	char *src;

	if ((signer = cert_load(pfx, CERT_LOAD_KEEP_KEY, &why)) == NULL) {
		hcerr_set(e, "--pfx: %s", why.msg);
		return -1;
	}
	ti->proof_source = xasprintf("'%s'", pfx);
	ti->proof_thumbprint = xstrdup(signer->thumbprint);
	ctx->have |= INPUT_SIGNING_KEY;
	src = xasprintf("Auth certificate in '%s'", pfx);
	token_keyset_add(&ti->keys, signer->der, signer->der_len, src, &why);
	free(src);
	if (signer->private_key == NULL)
		ti->proof_error = xasprintf("'%s' holds no private key (a %s "
		    "file): export the certificate with its private key as a PFX",
		    pfx, cert_format_name(signer->format));
	else if ((ti->proof = token_sign_actor(signer->private_key, signer->der,
	    signer->der_len, host ? host : "outlook.office365.com",
	    ti->tenant ? ti->tenant : "*", ctx->now, TOKEN_ACTOR_LIFETIME,
	    &why)) == NULL)
		ti->proof_error = xstrdup(why.msg);
	cert_drop_key(signer);
	cert_free(signer);
	return 0;
}

/* The Auth certificate of --cert: a key tokens may be signed with. */
static void
cert_keys(const struct context *ctx, const struct options *o,
    struct token_input *ti)
{
	struct hcerr why;
	char *src;

	if (ctx->cert == NULL)
		return;
	src = xasprintf("Auth certificate '%s'", o->cert);
	token_keyset_add(&ti->keys, ctx->cert->der, ctx->cert->der_len, src, &why);
	free(src);
	src = xasprintf("exported certificate '%s'", o->cert);
	token_keyset_add(&ti->proof_certs, ctx->cert->der, ctx->cert->der_len,
	    src, &why);
	free(src);
}

int
cmd_token(struct options *o, FILE *out, FILE *err)
{
	static const char *const prefixes[] = { "token.", NULL };
	struct cloud_set clouds = { 0 };
	struct context ctx;
	struct findings f = { 0 };
	struct report_target t;
	struct token_input *ti;
	struct hcerr e = { "" };
	const char *pfx;
	char *text = NULL;
	size_t len = 0;
	int rc, have_token = o->args.n > 0 || o->token_file != NULL;

	if (o->args.n > 0 && o->token_file != NULL) {
		fprintf(err, "hybridcheck: token: give the token as an argument or "
		    "with --token-file, not both\n");
		return EXIT_USAGE;
	}
	if (!have_token && o->pfx == NULL && o->cert == NULL) {
		fprintf(err, "hybridcheck: token needs a token (TOKEN, - for "
		    "standard input, or --token-file FILE) or --pfx FILE for the "
		    "key-pair proof\n");
		return EXIT_USAGE;
	}
	if ((rc = cmd_load_clouds(o, &clouds, err)) != 0)
		return rc;
	if (context_build(&ctx, o, &clouds, &e) == -1) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		rc = EXIT_INCOMPLETE;
		goto out;
	}
	ctx.token = ti = token_input_new();
	exo_hosts(&ctx, &ti->exo_hosts);
	if (o->tenant != NULL) {
		ti->tenant = xstrdup(o->tenant);
		ti->tenant_source = xstrdup("--tenant");
	}
	cert_keys(&ctx, o, ti);
	/* A --cert that is a PFX with its key proves its own key pair. */
	pfx = o->pfx ? o->pfx : ctx.cert && ctx.cert->has_private_key ?
	    o->cert : NULL;
	if (pfx != NULL && proof_sign(&ctx, pfx, ti, &e) == -1) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		rc = EXIT_INCOMPLETE;
		goto out;
	}
	if (!have_token && !(ctx.have & INPUT_SIGNING_KEY)) {
		fprintf(err, "hybridcheck: token: '%s' holds no private key; give "
		    "a token, or the PFX for the key-pair proof\n", o->cert);
		rc = EXIT_USAGE;
		goto out;
	}
	if (have_token) {
		if ((rc = token_text(o, ti, &text, &len, err)) != 0)
			goto out;
		if (token_decode(&ti->tok, text, len, &e) == -1)
			ti->decode_error = xstrdup(e.msg);
		ctx.have |= INPUT_TOKEN;
	} else
		ti->source = xstrdup("no token");

	checks_run(&ctx, prefixes, &f);

	memset(&t, 0, sizeof(t));
	t.command = "token";
	t.domain = o->domain;
	t.cloud = ctx.cloud ? ctx.cloud->name : NULL;
	t.tenant_id = ti->tenant;
	t.hosts = NULL;
	if (report_write(o->output, out, o->format, &t, &f,
	    o->output == NULL && report_want_color(out, o->no_color), &e) == -1) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		rc = EXIT_INCOMPLETE;
	} else
		rc = findings_exit_code(&f);
out:
	free(text);
	findings_release(&f);
	context_release(&ctx);
	cloud_set_release(&clouds);
	return rc;
}
