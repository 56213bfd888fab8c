#include "pipeline.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cert.h"
#include "org.h"
#include "checks.h"
#include "probe.h"
#include "ps1.h"
#include "remedy.h"
#include "snapshot.h"
#include "file.h"
#include "str.h"

#ifndef HC_VERSION
#define HC_VERSION "0.0.0"
#endif

int
pipeline_load_clouds(const char *endpoints, int override, const char *cloud,
    struct cloud_set *s, FILE *err)
{
	struct hcerr e = { "" };

	if (cloud_set_load_embedded(s, &e) == -1 ||
	    (endpoints != NULL && cloud_set_load_path(s, endpoints, override,
	    &e) == -1)) {
		/* A profile's values in the message: no terminal escapes. */
		char *shown = str_clean_text(e.msg);

		fprintf(err, "hybridcheck: %s\n", shown);
		free(shown);
		cloud_set_release(s);
		return EXIT_INCOMPLETE;
	}
	if (cloud != NULL && cloud_find(s, cloud) == NULL) {
		fprintf(err, "hybridcheck: --cloud: unknown cloud '%s'; known:", cloud);
		for (size_t i = 0; i < s->n; i++)
			fprintf(err, " %s", s->v[i].name);
		fputc('\n', err);
		cloud_set_release(s);
		return EXIT_USAGE;
	}
	return 0;
}

int
pipeline_begin(struct pipeline *pl, const struct pipeline_spec *spec,
    const struct pipeline_config *cfg, const struct cloud_set *clouds,
    FILE *err)
{
	struct context_config cc = cfg->ctx;
	struct hcerr e = { "" };

	pl->spec = spec;
	pl->cfg = cfg;
	pl->clouds = clouds;
	buf_init(&pl->preamble, (size_t)-1);
	/* The probes are a stage of their own (pipeline_probe). */
	cc.offline = 1;
	if (context_build(&pl->ctx, &cc, clouds, &e) == -1) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		return EXIT_INCOMPLETE;
	}
	return 0;
}

int
pipeline_probe(struct pipeline *pl, FILE *err)
{
	const struct context_config *cc = &pl->cfg->ctx;
	struct hcerr e = { "" };
	int rc = 0;

	if (cc->offline)
		return 0;
	switch (pl->spec->probes) {
	case PIPELINE_PROBES_ALL:
		if (pl->ctx.domain != NULL || (cc->hosts != NULL && cc->hosts->n > 0))
			rc = context_probe(&pl->ctx, &e);
		break;
	case PIPELINE_PROBES_TENANT:
		if (cc->domain != NULL)
			rc = context_probe_tenant(&pl->ctx, &e);
		break;
	case PIPELINE_PROBES_NONE:
		break;
	}
	if (rc == -1) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		return EXIT_INCOMPLETE;
	}
	return 0;
}

int
pipeline_judge(struct pipeline *pl, FILE *err)
{
	int rc;

	if (pl->spec->prepare != NULL &&
	    (rc = pl->spec->prepare(pl, pl->spec->arg, err)) != 0)
		return rc;
	checks_run(&pl->ctx, pl->spec->families, &pl->f);
	pipeline_coverage(pl);
	if (pl->spec->present != NULL)
		pl->spec->present(pl, pl->spec->arg);
	return 0;
}

int
pipeline_run(struct pipeline *pl, const struct pipeline_spec *spec,
    const struct pipeline_config *cfg, FILE *err)
{
	int rc;

	memset(pl, 0, sizeof(*pl));
	if ((rc = pipeline_load_clouds(cfg->endpoints, cfg->endpoints_override,
	    cfg->ctx.cloud,
	    &pl->own_clouds, err)) != 0)
		return rc;
	if ((rc = pipeline_begin(pl, spec, cfg, &pl->own_clouds, err)) != 0 ||
	    (rc = pipeline_probe(pl, err)) != 0 ||
	    (rc = pipeline_judge(pl, err)) != 0)
		return rc;
	return 0;
}

const char *
pipeline_tenant_id(const struct pipeline *pl)
{
	/* What the command established; else the snapshot's (from Entra); else tenant discovery's. */
	if (pl->tenant_id != NULL)
		return pl->tenant_id;
	if (pl->ctx.snapshot != NULL && pl->ctx.snapshot->tenant_id != NULL)
		return pl->ctx.snapshot->tenant_id;
	return pl->ctx.probes != NULL ? pl->ctx.probes->tenant_id : NULL;
}

void
pipeline_target(const struct pipeline *pl, struct report_target *t)
{
	memset(t, 0, sizeof(*t));
	t->command = pl->spec ? pl->spec->command : NULL;
	t->domain = pl->ctx.domain;
	t->cloud = pl->ctx.cloud ? pl->ctx.cloud->name : NULL;
	t->cloud_profile = pl->ctx.cloud;
	t->clouds = pl->clouds;
	t->tenant_id = pipeline_tenant_id(pl);
	t->hosts = &pl->ctx.hosts;
	t->diff = pl->diff;
	t->preamble = pl->preamble.len > 0 ? &pl->preamble : NULL;
	t->extra = pl->extra;
	t->coverage = pl->spec ? &pl->coverage : NULL;
	t->snapshot = pl->ctx.snapshot;
	if (pl->cfg != NULL) {
		t->detail = pl->cfg->detail;
		t->remediate = pl->cfg->remediate;
		t->script = !pl->script_written ? NULL :
		    strcmp(pl->cfg->ps1, "-") == 0 ? "standard output" : pl->cfg->ps1;
	}
	t->script_error = pl->script_error;
}

/* The command line as given, with --cloud set to cloud; caller frees. */
static char *
rerun_line(const struct pipeline_config *o, const char *cloud)
{
	struct buf b;
	int replaced = 0;

	if (o->argv == NULL || o->argv->n == 0)
		return NULL;
	buf_init(&b, 1u << 20);
	buf_printf(&b, "hybridcheck");
	for (size_t i = 0; i < o->argv->n; i++) {
		const char *a = o->argv->v[i];

		buf_printf(&b, " ");
		if (strcmp(a, "--cloud") == 0 && i + 1 < o->argv->n) {
			buf_printf(&b, "--cloud ");
			buf_shell_word(&b, cloud);
			i++;
			replaced = 1;
		} else if (strncmp(a, "--cloud=", 8) == 0) {
			buf_printf(&b, "--cloud ");
			buf_shell_word(&b, cloud);
			replaced = 1;
		} else
			buf_shell_word(&b, a);
		if (i == 0 && !replaced && o->ctx.cloud == NULL) {
			buf_printf(&b, " --cloud ");
			buf_shell_word(&b, cloud);
			replaced = 1;
		}
	}
	return buf_steal(&b);
}

/* Where the tenant lives, when the findings or tenant discovery say so. */
static const char *
right_cloud(const struct pipeline *pl)
{
	const struct probe_results *r = pl->ctx.probes;

	if (r != NULL && r->tenant_cloud != NULL && r->tenant_cloud != pl->ctx.cloud)
		return r->tenant_cloud->name;
	for (size_t i = 0; i < pl->f.n; i++) {
		const struct finding *fd = pl->f.v[i];
		const char *want = finding_param_get(fd, RP_EXPECTED_CLOUD);
		const struct cloud *c;

		if (fd->remedy == NULL || strcmp(fd->remedy, "cloud.select") != 0 ||
		    want == NULL)
			continue;
		if ((c = cloud_find(pl->clouds, want)) != NULL && c != pl->ctx.cloud)
			return c->name;
	}
	return NULL;
}

/* The dedicated hybrid application's appId, from the snapshot. */
static const char *
hybrid_app_id(const struct pipeline *pl)
{
	const struct snapshot *s = pl->ctx.snapshot;
	const struct snap_authserver *as[1];

	if (s == NULL)
		return NULL;
	if (org_azure_authservers(s, as, 1) == 1 && as[0]->app_id != NULL && str_is_guid(as[0]->app_id, strlen(as[0]->app_id)))
		return as[0]->app_id;
	return NULL;
}

/* The remediation script, whole or not at all; -1 after naming why on err. */
static int
write_ps1(struct pipeline *pl, FILE *err)
{
	const struct pipeline_config *o = pl->cfg;
	const struct authcert *cur = pl->ctx.cert, *next = pl->ctx.next_cert;
	struct remedy_inputs in;
	struct hcerr e = { "" };
	struct buf script;
	struct org_routing rt;
	char *cur_b64 = NULL, *next_b64 = NULL, *rerun = NULL;
	int dropped, rc = 0;
	size_t at = 0;

	if (pl->ctx.cloud == NULL) {
		fprintf(err, "hybridcheck: --ps1: the script needs the cloud; give "
		    "--cloud NAME\n");
		pl->script_error = xstrdup("the script needs the cloud; give "
		    "--cloud NAME");
		return -1;
	}
	memset(&in, 0, sizeof(in));
	in.cloud = pl->ctx.cloud;
	in.tool_version = HC_VERSION;
	in.domain = pl->ctx.domain;
	in.tenant_id = pipeline_tenant_id(pl);
	/* The certificate's own SHA-1 wins over a typed thumbprint. */
	in.thumbprint = cur ? cur->thumbprint : pl->ctx.thumbprint;
	if (cur != NULL)
		in.cert_b64 = cur_b64 = cert_upload_value(cur);
	if (next != NULL) {
		in.next_thumbprint = next->thumbprint;
		in.next_cert_b64 = next_b64 = cert_upload_value(next);
	}
	in.hosts = &pl->ctx.hosts;
	/* Learned, never guessed: the snapshot, else what the probes saw. */
	org_routing(&pl->ctx, &rt);
	in.routing_domain = rt.domain;
	in.onprem_host = org_autodiscover_host(&pl->ctx);
	in.hybrid_app_id = hybrid_app_id(pl);
	in.right_cloud = right_cloud(pl);
	if (in.right_cloud != NULL)
		in.rerun = rerun = rerun_line(o, in.right_cloud);

	buf_init(&script, (size_t)-1);
	dropped = remedy_script(&pl->f, &in, &script);
	/* ASCII after the BOM, or no script: every code page must read the same. */
	if (script.len < 3 || memcmp(script.data, PS1_BOM, 3) != 0 ||
	    !ps1_is_ascii(script.data + 3, script.len - 3, &at)) {
		hcerr_set(&e, "internal error: the script is not ASCII after its "
		    "byte-order mark (offset %zu); not written", at + 3);
		fprintf(err, "hybridcheck: --ps1: %s\n", e.msg);
		pl->script_error = xstrdup(e.msg);
		rc = -1;
	} else if (file_write_atomic(o->ps1, script.data, script.len, &e) == -1) {
		fprintf(err, "hybridcheck: --ps1: %s\n", e.msg);
		pl->script_error = xstrdup(e.msg);
		rc = -1;
	} else if (dropped > 0)
		fprintf(err, "hybridcheck: wrote '%s'; %d step%s dropped for a "
		    "value that failed validation (see the remediation findings)\n",
		    o->ps1, dropped, dropped == 1 ? "" : "s");
	buf_release(&script);
	org_routing_release(&rt);
	free(rerun);
	free(cur_b64);
	free(next_b64);
	return rc;
}

int
pipeline_finish(struct pipeline *pl, FILE *out, FILE *err)
{
	const struct pipeline_config *o = pl->cfg;
	struct report_target t;
	struct hcerr e = { "" };
	int script_failed = 0, code;

	/* A script that could not be written is said, and the report still written. */
	if (o->ps1 != NULL) {
		script_failed = write_ps1(pl, err) == -1;
		pl->script_written = !script_failed;
	}
	pipeline_target(pl, &t);
	if (report_write(o->output, out, o->format, &t, &pl->f,
	    o->output == NULL && report_want_color(out, o->no_color), &e) == -1) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		return EXIT_INCOMPLETE;
	}
	code = report_exit_code(&t, &pl->f);
	return script_failed ? exit_status_worse(code, EXIT_INCOMPLETE) : code;
}

void
pipeline_release(struct pipeline *pl)
{
	if (pl == NULL)
		return;
	findings_release(&pl->f);
	context_release(&pl->ctx);
	buf_release(&pl->preamble);
	cJSON_Delete(pl->extra);
	report_coverage_release(&pl->coverage);
	free(pl->script_error);
	cloud_set_release(&pl->own_clouds);
	memset(pl, 0, sizeof(*pl));
}
