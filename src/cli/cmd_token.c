/*
 * token: decode, explain and verify a token; prove the Auth certificate's
 * key pair. Gathers the token, the keys and the tenant into ctx->token,
 * then runs the token.* checks.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msid.h"
#include "cert.h"
#include "commands.h"
#include "pipeline.h"
#include "findings.h"
#include "jwks.h"
#include "metadata.h"
#include "probe.h"
#include "report.h"
#include "snapshot.h"
#include "token.h"
#include "file.h"
#include "str.h"

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
		if (file_read(o->token_file, TOKEN_MAX, text, len, &e) == -1) {
			fprintf(err, "hybridcheck: token: %s\n", e.msg);
			return EXIT_INCOMPLETE;
		}
		return 0;
	}
	if (strcmp(o->args.v[0], "-") == 0) {
		ti->source = xstrdup("standard input");
		if ((rc = file_read_stream(stdin, TOKEN_MAX, text, len)) == -1) {
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
 * The tenant the token should belong to: the first source wins (--tenant,
 * the snapshot, --metadata, the live metadata); a later one that names
 * another tenant is kept as a note for token.issuer.
 */
static void
tenant_from(struct token_input *ti, const char *id, const char *source)
{
	if (id == NULL || !str_is_guid(id, strlen(id)))
		return;
	if (ti->tenant == NULL) {
		ti->tenant = xstrdup(id);
		str_lower(ti->tenant);
		ti->tenant_source = xstrdup(source);
	} else if (!str_caseeq(ti->tenant, id))
		strlist_add_owned(&ti->tenant_notes, xasprintf("%s names "
		    "tenant %s", source, id));
}

/* Whose document: Exchange's own (serviceName or issuer 00000002-…) or ACS. */
static int
metadata_is_onprem(const struct metadata *m)
{
	size_t n = strlen(MSID_EXO_APP);

	return (m->service_name != NULL &&
	    str_caseeq(m->service_name, MSID_EXO_APP)) ||
	    (m->issuer != NULL && strncasecmp(m->issuer, MSID_EXO_APP,
	    n) == 0 && m->issuer[n] == '@');
}

/*
 * The signing keys of a metadata document (what is not a certificate is
 * a note, not an error) and its realm as the tenant. An on-premises
 * document's key is the Auth certificate: it verifies self-issued tokens
 * and is one more certificate for the key-pair proof.
 */
static void
metadata_keys(struct token_input *ti, const struct metadata *m,
    const char *what)
{
	int onprem = metadata_is_onprem(m);
	struct hcerr why;
	char *src;

	for (size_t i = 0; i < m->nkeys; i++) {
		const struct metadata_key *k = &m->keys[i];

		if (k->usage != NULL && !str_caseeq(k->usage, "signing"))
			continue;
		src = xasprintf("%s %s key %zu", onprem ? "on-premises auth metadata" :
		    "ACS metadata", what, i + 1);
		if (k->der == NULL)
			strlist_add_owned(&ti->key_notes, xasprintf("%s: %s",
			    src, k->error ? k->error : "not a certificate"));
		else if (token_keyset_add(&ti->keys, k->der, k->der_len, src,
		    &why) == -1)
			strlist_add(&ti->key_notes, why.msg);
		else if (onprem)
			token_keyset_add(&ti->proof_certs, k->der, k->der_len, src,
			    &why);
		free(src);
	}
	if (!onprem && m->realm != NULL) {
		src = xasprintf("ACS metadata %s", what);
		tenant_from(ti, m->realm, src);
		free(src);
	}
}

/* The certificates of an Entra ID key set: what Entra-issued tokens name. */
static void
jwks_keys(struct token_input *ti, const struct jwks *k, const char *what)
{
	struct hcerr why;

	for (size_t i = 0; i < k->n; i++) {
		const struct jwk *j = &k->v[i];
		char *src = xasprintf("Entra ID keys %s key %zu (kid %s)", what,
		    i + 1, j->kid ? j->kid : "none");

		if (j->der == NULL)
			strlist_add_owned(&ti->key_notes, xasprintf("%s: %s", src,
			    j->error ? j->error : "no certificate"));
		else if (token_keyset_add(&ti->keys, j->der, j->der_len, src,
		    &why) == -1)
			strlist_add_owned(&ti->key_notes, xasprintf("%s: %s", src,
			    why.msg));
		free(src);
	}
}

/*
 * --metadata FILE: a document saved earlier, for offline verification:
 * ACS or on-premises auth metadata, or an Entra ID key set
 * (https://login.<cloud>/<tenant id>/discovery/v2.0/keys).
 */
static int
metadata_file(const char *path, struct token_input *ti, struct hcerr *e)
{
	struct metadata m;
	struct jwks k;
	struct hcerr why, kwhy;
	char *text = NULL, *what = NULL;
	size_t len = 0;
	int rc = -1;

	memset(&m, 0, sizeof(m));
	memset(&k, 0, sizeof(k));
	if (file_read(path, METADATA_MAX, &text, &len, &why) == -1) {
		hcerr_set(e, "--metadata: %s", why.msg);
		goto out;
	}
	what = xasprintf("'%s'", path);
	if (metadata_parse(&m, text, len, &why) == 0)
		metadata_keys(ti, &m, what);
	else if (jwks_parse(&k, text, len, &kwhy) == 0)
		jwks_keys(ti, &k, what);
	else {
		hcerr_set(e, "--metadata '%s': %s; nor an Entra key set: %s", path,
		    why.msg, kwhy.msg);
		goto out;
	}
	rc = 0;
out:
	metadata_release(&m);
	jwks_release(&k);
	free(what);
	free(text);
	return rc;
}

/*
 * With --domain and no --offline the pipeline fetched the tenant's ACS
 * metadata (and OpenID configuration, which names the tenant and its
 * cloud), nothing else of a preflight: its signing keys join the keys,
 * its realm the tenant. What did not answer is a note.
 */
static void
live_metadata(const struct context *ctx, const char *domain,
    struct token_input *ti)
{
	const struct probe_results *r = ctx->probes;
	struct strlist notes = { 0 };
	size_t loaded = 0;

	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		const struct probe *p = r->v[i];
		const struct http_response *rs = &p->resp;
		const struct probe_facts *pf = facts_of(&ctx->facts, p);
		const struct metadata *m;
		char *what;

		if (p->kind == PROBE_ENTRA_KEYS) {
			if (rs->outcome != HTTP_RESPONSE || rs->status != 200 ||
			    pf == NULL || pf->doc != FACT_DOC_OK)
				strlist_add_owned(&ti->key_notes, xasprintf("Entra ID "
				    "keys %s: %s", p->url, rs->outcome != HTTP_RESPONSE ?
				    http_outcome_text(rs->outcome) : pf && pf->doc_error ?
				    pf->doc_error : "no key set"));
			else {
				what = xasprintf("of the tenant (%s)", p->url);
				jwks_keys(ti, &pf->jwks, what);
				free(what);
			}
			continue;
		}
		if (p->kind != PROBE_ACS || (ctx->cloud != NULL &&
		    p != probe_for_cloud(r, PROBE_ACS, ctx->cloud, domain)))
			continue;
		if (rs->outcome != HTTP_RESPONSE) {
			strlist_add_owned(&notes, xasprintf("ACS metadata %s: "
			    "%s%s%s", p->url, http_outcome_text(rs->outcome),
			    rs->error ? ": " : "", rs->error ? rs->error : ""));
			continue;
		}
		if (rs->status != 200) {
			strlist_add_owned(&notes, xasprintf("ACS metadata %s: "
			    "HTTP %ld (the domain is not a tenant there)", p->url,
			    rs->status));
			continue;
		}
		if (pf == NULL || pf->doc != FACT_DOC_OK) {
			strlist_add_owned(&notes, xasprintf("ACS metadata %s: %s",
			    p->url, pf && pf->doc_error ? pf->doc_error :
			    "the body was cut at the size limit"));
			continue;
		}
		m = &pf->metadata;
		if (m->realm == NULL || *m->realm == '\0')
			strlist_add_owned(&notes, xasprintf("ACS metadata %s: no "
			    "realm (the domain is not a tenant there)", p->url));
		else {
			what = xasprintf("of %s (%s)", domain, p->url);
			metadata_keys(ti, m, what);
			free(what);
			loaded++;
		}
	}
	/* Clouds the domain is not in say nothing when one answered. */
	if (loaded == 0)
		for (size_t i = 0; i < notes.n; i++)
			strlist_add(&ti->key_notes, notes.v[i]);
	strlist_release(&notes);
	if (r->tenant_id != NULL)
		tenant_from(ti, r->tenant_id, "tenant discovery (OpenID "
		    "configuration)");
}

/*
 * Entra's key credentials from the snapshot, on the shared service
 * principal and on each dedicated hybrid application: what the key-pair
 * proof verifies against. A credential whose certificate was not
 * collected cannot take part; it is a note.
 */
static void
entra_keys(const struct snapshot *s, struct token_input *ti)
{
	struct hcerr why;

	if (s == NULL || !s->entra.present)
		return;
	for (size_t a = 0; a <= s->entra.napps; a++) {
		const struct snap_keycred *v;
		size_t n;
		char *object;

		if (a == 0) {
			if (!s->entra.sp_present)
				continue;
			v = s->entra.sp.keys;
			n = s->entra.sp.nkeys;
			object = xasprintf("service principal '%s' (%s)",
			    s->entra.sp.display_name ? s->entra.sp.display_name :
			    "Office 365 Exchange Online", s->entra.sp.app_id ?
			    s->entra.sp.app_id : MSID_EXO_APP);
		} else {
			const struct snap_app *app = &s->entra.apps[a - 1];

			v = app->keys;
			n = app->nkeys;
			object = xasprintf("hybrid application '%s' (%s)",
			    app->display_name ? app->display_name : "?",
			    app->app_id ? app->app_id : "?");
		}
		for (size_t i = 0; i < n; i++) {
			const struct snap_keycred *k = &v[i];
			char *src = xasprintf("key credential %s%s%s on the %s",
			    k->display_name ? "'" : "", k->display_name ?
			    k->display_name : k->key_id ? k->key_id : "?",
			    k->display_name ? "'" : "", object);

			if (k->der == NULL)
				strlist_add(&ti->proof_notes, src);
			else if (token_keyset_add_credential(&ti->proof_entra,
			    k->der, k->der_len, src, object, k->end, &why) == -1)
				strlist_add(&ti->proof_notes, why.msg);
			free(src);
		}
		free(object);
	}
}

/*
 * The key-pair proof's first half: signs a self-issued actor token with
 * the Auth certificate's private key (signer, from --pfx or a --cert that
 * is a PFX). The token.keypair check verifies the result against the
 * other certificates. Without a tenant the realm is '*', as in
 * Exchange's own metadata: the signature, which is what is proven, does
 * not depend on it.
 */
static void
proof_sign(struct context *ctx, const char *path, struct authcert *signer,
    struct token_input *ti)
{
	const struct cloud *c = ctx->cloud ? ctx->cloud :
	    cloud_find(ctx->clouds, "global");
	const char *host = cloud_preferred(c, "exo_hosts");
	struct hcerr why = { "" };
	char *src;

	ti->proof_source = xasprintf("'%s'", path);
	ti->proof_thumbprint = xstrdup(signer->thumbprint);
	ctx->have |= INPUT_SIGNING_KEY;
	src = xasprintf("Auth certificate in '%s'", path);
	token_keyset_add(&ti->keys, signer->der, signer->der_len, src, &why);
	free(src);
	ti->proof_realm = xstrdup(ti->tenant ? ti->tenant : "*");
	if (signer->private_key == NULL)
		ti->proof_error = xasprintf("'%s' holds no private key (a %s "
		    "file): export the certificate with its private key as a PFX",
		    path, cert_format_name(signer->format));
	else if ((ti->proof = token_sign_actor(signer->private_key, signer->der,
	    signer->der_len, host ? host : "outlook.office365.com",
	    ti->proof_realm, ctx->now, TOKEN_ACTOR_LIFETIME, &why)) == NULL)
		ti->proof_error = xstrdup(why.msg);
}

/* --pfx: the Auth certificate with its private key, for the proof only. */
static int
load_pfx(const char *path, struct authcert **out, struct hcerr *e)
{
	struct hcerr why;

	if (path == NULL)
		return 0;
	if ((*out = cert_load(path, CERT_LOAD_KEEP_KEY, &why)) == NULL) {
		hcerr_set(e, "--pfx: %s", why.msg);
		return -1;
	}
	return 0;
}

/*
 * The Auth certificate (--cert, or the one the snapshot's servers hold): a
 * key self-issued tokens may be signed with, and what the key-pair proof
 * verifies against.
 */
static void
cert_keys(const struct context *ctx, const struct options *o,
    struct token_input *ti)
{
	const char *name;
	struct hcerr why;
	char *src;

	if (ctx->cert == NULL)
		return;
	name = o->cert ? o->cert : ctx->cert->source ? ctx->cert->source : "?";
	src = xasprintf("Auth certificate '%s'", name);
	token_keyset_add(&ti->keys, ctx->cert->der, ctx->cert->der_len, src, &why);
	free(src);
	src = o->cert ? xasprintf("exported certificate '%s'", name) :
	    xasprintf("Auth certificate in snapshot %s", name);
	token_keyset_add(&ti->proof_certs, ctx->cert->der, ctx->cert->der_len,
	    src, &why);
	free(src);
}

/* What the token run holds between its stages. */
struct token_run {
	const struct options	*o;
	struct authcert		*pfx;
	char			*text;
};

/*
 * The token's inputs, gathered into ctx->token once the context (with
 * --cert loaded with its key when there is no --pfx) and the tenant
 * probes are there: keys, tenant, the key-pair proof, the token itself.
 */
static int
token_prepare(struct pipeline *pl, void *arg, FILE *err)
{
	struct token_run *tr = arg;
	const struct options *o = tr->o;
	struct context *ctx = &pl->ctx;
	struct token_input *ti;
	struct authcert *signer;
	struct hcerr e = { "" };
	size_t len = 0;
	int rc, have_token = o->args.n > 0 || o->token_file != NULL;

	ctx->token = ti = token_input_new();
	if (load_pfx(o->pfx, &tr->pfx, &e) == -1) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		return EXIT_INCOMPLETE;
	}
	cert_keys(ctx, o, ti);
	if (o->tenant != NULL)
		tenant_from(ti, o->tenant, "--tenant");
	if (ctx->snapshot != NULL && ctx->snapshot->tenant_id != NULL) {
		char *src = xasprintf("snapshot '%s'", o->snapshot);

		tenant_from(ti, ctx->snapshot->tenant_id, src);
		free(src);
	}
	if (o->metadata != NULL && metadata_file(o->metadata, ti, &e) == -1) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		return EXIT_INCOMPLETE;
	}
	if (o->domain != NULL)
		live_metadata(ctx, o->domain, ti);
	entra_keys(ctx->snapshot, ti);
	exo_hosts(ctx, &ti->exo_hosts);
	/* A --cert that is a PFX with its key proves its own key pair. */
	signer = tr->pfx ? tr->pfx : ctx->cert && ctx->cert->private_key ?
	    ctx->cert : NULL;
	if (signer != NULL)
		proof_sign(ctx, tr->pfx ? o->pfx : o->cert, signer, ti);
	/* The private keys live no longer than the signing. */
	cert_drop_key(tr->pfx);
	cert_drop_key(ctx->cert);
	if (!have_token && !(ctx->have & INPUT_SIGNING_KEY)) {
		fprintf(err, "hybridcheck: token: '%s' holds no private key; give "
		    "a token, or the PFX for the key-pair proof\n", o->cert);
		return EXIT_USAGE;
	}
	if (have_token) {
		if ((rc = token_text(o, ti, &tr->text, &len, err)) != 0)
			return rc;
		if (token_decode(&ti->tok, tr->text, len, &e) == -1)
			ti->decode_error = xstrdup(e.msg);
		ctx->have |= INPUT_TOKEN;
	} else
		ti->source = xstrdup("no token");
	pl->tenant_id = ti->tenant;
	return 0;
}

int
cmd_token(struct options *o, FILE *out, FILE *err)
{
	static const char *const families[] = { "token.", NULL };
	struct token_run tr = { o, NULL, NULL };
	const struct pipeline_spec spec = { "token", families,
	    PIPELINE_PROBES_TENANT, token_prepare, NULL, &tr };
	struct pipeline_config pc;
	struct pipeline pl;
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
	options_pipeline_config(o, &pc);
	/* --cert keeps its key to sign the proof, unless --pfx does. */
	pc.ctx.cert_flags = o->pfx ? 0 : CERT_LOAD_KEEP_KEY;
	if ((rc = pipeline_run(&pl, &spec, &pc, err)) == 0)
		rc = pipeline_finish(&pl, out, err);
	pipeline_release(&pl);
	cert_free(tr.pfx);
	free(tr.text);
	return rc;
}
