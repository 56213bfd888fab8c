/* cert: the facts of an Auth certificate, its checks, and what to upload. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cert.h"
#include "commands.h"
#include "pipeline.h"
#include "report.h"
#include "text.h"
#include "datetime.h"

static const char *
encoding_name(unsigned found)
{
	if (found & TEXT_UTF16LE)
		return "UTF-16LE text";
	if (found & TEXT_UTF16BE)
		return "UTF-16BE text";
	if (found & TEXT_BOM_UTF8)
		return "UTF-8 text with BOM";
	return NULL;
}

static void
facts_text(struct buf *b, const char *what, const struct authcert *c,
    time_t now, int upload)
{
	char nb[32], na[32];
	const char *enc = encoding_name(c->text_found);

	datetime_iso8601(c->not_before, nb, sizeof(nb));
	datetime_iso8601(c->not_after, na, sizeof(na));
	buf_printf(b, "%s '%s' (%s%s%s)\n", what, c->source,
	    cert_format_name(c->format), enc ? ", " : "", enc ? enc : "");
	buf_printf(b, "  %-13s %s\n", "subject", c->subject);
	buf_printf(b, "  %-13s %s%s\n", "issuer", c->issuer,
	    c->self_signed ? " (self-signed)" : "");
	buf_printf(b, "  %-13s %s\n", "serial", c->serial);
	buf_printf(b, "  %-13s %s\n", "not before", nb);
	buf_printf(b, "  %-13s %s (%ld days left)\n", "not after", na,
	    cert_days_until(c->not_after, now));
	buf_printf(b, "  %-13s %s\n", "thumbprint", c->thumbprint);
	buf_printf(b, "  %-13s %s\n", "sha-256", c->sha256);
	buf_printf(b, "  %-13s %s\n", "x5t", c->x5t);
	buf_printf(b, "  %-13s %s %d\n", "key", c->key_type, c->key_bits);
	buf_printf(b, "  %-13s %s%s%s%s\n", "signature",
	    c->sig_alg_windows ? c->sig_alg_windows : c->sig_alg,
	    c->sig_alg_windows ? " (" : "",
	    c->sig_alg_windows ? c->sig_alg : "", c->sig_alg_windows ? ")" : "");
	buf_printf(b, "  %-13s %s\n", "private key",
	    c->has_private_key ? "in the file" : "not in the file");
	if (upload) {
		char *v = cert_upload_value(c);

		buf_printf(b, "\nthe value to upload (keyCredentials key: base64 "
		    "of the DER, one line):\n%s\n", v);
		buf_printf(b, "  %-20s %s\n", "x5t", c->x5t);
		buf_printf(b, "  %-20s %s\n", "customKeyIdentifier", c->thumbprint);
		free(v);
	}
}

static cJSON *
facts_json(const struct authcert *c, time_t now, int upload)
{
	cJSON *o = cJSON_CreateObject();
	char nb[32], na[32];
	const char *enc = encoding_name(c->text_found);

	datetime_iso8601(c->not_before, nb, sizeof(nb));
	datetime_iso8601(c->not_after, na, sizeof(na));
	cJSON_AddStringToObject(o, "source", c->source);
	cJSON_AddStringToObject(o, "format", cert_format_name(c->format));
	if (enc != NULL)
		cJSON_AddStringToObject(o, "encoding", enc);
	cJSON_AddStringToObject(o, "subject", c->subject);
	cJSON_AddStringToObject(o, "issuer", c->issuer);
	cJSON_AddBoolToObject(o, "self_signed", c->self_signed);
	cJSON_AddStringToObject(o, "serial", c->serial);
	cJSON_AddStringToObject(o, "not_before", nb);
	cJSON_AddStringToObject(o, "not_after", na);
	cJSON_AddNumberToObject(o, "days_left",
	    (double)cert_days_until(c->not_after, now));
	cJSON_AddStringToObject(o, "thumbprint", c->thumbprint);
	cJSON_AddStringToObject(o, "sha256", c->sha256);
	cJSON_AddStringToObject(o, "x5t", c->x5t);
	cJSON_AddStringToObject(o, "key_type", c->key_type);
	cJSON_AddNumberToObject(o, "key_bits", c->key_bits);
	cJSON_AddStringToObject(o, "signature_algorithm", c->sig_alg);
	if (c->sig_alg_windows)
		cJSON_AddStringToObject(o, "signature_algorithm_windows",
		    c->sig_alg_windows);
	cJSON_AddBoolToObject(o, "has_private_key", c->has_private_key);
	if (upload) {
		char *v = cert_upload_value(c);

		cJSON_AddStringToObject(o, "upload_value", v);
		free(v);
	}
	return o;
}

/* What cert shows beside its findings: each certificate's facts. */
static void
cert_present(struct pipeline *pl, void *arg)
{
	const struct options *o = arg;
	const struct context *ctx = &pl->ctx;

	facts_text(&pl->preamble, "certificate", ctx->cert, ctx->now, o->show_upload);
	pl->extra = cJSON_CreateObject();
	cJSON_AddItemToObject(pl->extra, "certificate",
	    facts_json(ctx->cert, ctx->now, o->show_upload));
	if (ctx->next_cert != NULL) {
		buf_printf(&pl->preamble, "\n");
		facts_text(&pl->preamble, "next certificate", ctx->next_cert,
		    ctx->now, o->show_upload);
		cJSON_AddItemToObject(pl->extra, "next_certificate",
		    facts_json(ctx->next_cert, ctx->now, o->show_upload));
	}
}

int
cmd_cert(struct options *o, FILE *out, FILE *err)
{
	static const char *const families[] = { "auth-cert.", NULL };
	const struct pipeline_spec spec = { "cert", families,
	    PIPELINE_PROBES_NONE, NULL, cert_present, o };
	struct pipeline_config pc;
	struct pipeline pl;
	int rc;

	if (o->args.n == 0 && o->cert == NULL) {
		fprintf(err, "hybridcheck: cert needs a FILE (the Auth "
		    "certificate: .cer, PEM, base64 or PFX)\n");
		return EXIT_USAGE;
	}
	options_pipeline_config(o, &pc);
	if (o->args.n > 0)
		pc.ctx.cert = o->args.v[0];
	pc.ctx.offline = 1;	/* a file on its own: nothing to fetch */
	if ((rc = pipeline_run(&pl, &spec, &pc, err)) == 0)
		rc = pipeline_finish(&pl, out, err);
	pipeline_release(&pl);
	return rc;
}
