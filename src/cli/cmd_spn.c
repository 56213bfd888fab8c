/* spn: the coverage matrix of SPN host authorities, and the spn.* checks. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "commands.h"
#include "pipeline.h"
#include "report.h"
#include "spn.h"

static void
matrix_text(struct buf *b, const struct context *ctx,
    const struct spn_plan *p)
{
	const struct spn_set *s = ctx->spns;
	size_t counts[SPN_MALFORMED + 1] = { 0 }, width = 4;

	for (size_t i = 0; i < s->n; i++)
		counts[s->v[i].kind]++;
	buf_printf(b, "%zu SPN entr%s: %zu host, %zu wildcard, %zu app id, "
	    "%zu unrelated, %zu malformed\n", s->n, s->n == 1 ? "y" : "ies",
	    counts[SPN_HOST], counts[SPN_WILDCARD], counts[SPN_APPID],
	    counts[SPN_UNRELATED], counts[SPN_MALFORMED]);
	if (p->nhosts == 0) {
		buf_printf(b, "no hosts to judge: give --host H or --domain D\n");
		return;
	}
	for (size_t i = 0; i < p->nhosts; i++)
		if (strlen(p->hosts[i].host) > width)
			width = strlen(p->hosts[i].host);
	buf_printf(b, "\n  %-*s  %s\n", (int)width, "host", "covered by");
	for (size_t i = 0; i < p->nhosts; i++) {
		const struct spn_cover *c = &p->hosts[i];

		buf_printf(b, "  %-*s  %s\n", (int)width, c->host, c->entry != -1 ?
		    s->v[c->entry].raw : "MISSING");
	}
	if (p->add.n > 0) {
		buf_printf(b, "\nto add (the smallest set):\n");
		for (size_t i = 0; i < p->add.n; i++)
			buf_printf(b, "  %s   covers %s\n", p->add.v[i],
			    p->add_covers.v[i]);
	}
}

static cJSON *
matrix_json(const struct context *ctx, const struct spn_plan *p)
{
	const struct spn_set *s = ctx->spns;
	cJSON *o = cJSON_CreateObject(), *arr;

	arr = cJSON_AddArrayToObject(o, "entries");
	for (size_t i = 0; i < s->n; i++) {
		const struct spn_entry *e = &s->v[i];
		cJSON *eo = cJSON_CreateObject();
		char a[300];

		cJSON_AddStringToObject(eo, "entry", e->raw);
		cJSON_AddStringToObject(eo, "kind", spn_kind_name(e->kind));
		if (e->kind == SPN_HOST || e->kind == SPN_WILDCARD) {
			spn_authority(e, a, sizeof(a));
			cJSON_AddStringToObject(eo, "authority", a);
		}
		if (e->why != NULL)
			cJSON_AddStringToObject(eo, "why", e->why);
		cJSON_AddStringToObject(eo, "source", e->source);
		if (e->line > 0)
			cJSON_AddNumberToObject(eo, "line", (double)e->line);
		if (e->dup_of != -1)
			cJSON_AddNumberToObject(eo, "duplicate_of",
			    (double)e->dup_of);
		cJSON_AddItemToArray(arr, eo);
	}
	arr = cJSON_AddArrayToObject(o, "coverage");
	for (size_t i = 0; i < p->nhosts; i++) {
		const struct spn_cover *c = &p->hosts[i];
		cJSON *co = cJSON_CreateObject();

		cJSON_AddStringToObject(co, "host", c->host);
		if (c->entry != -1)
			cJSON_AddStringToObject(co, "covered_by", s->v[c->entry].raw);
		else
			cJSON_AddNullToObject(co, "covered_by");
		cJSON_AddItemToArray(arr, co);
	}
	arr = cJSON_AddArrayToObject(o, "add");
	for (size_t i = 0; i < p->add.n; i++) {
		cJSON *ao = cJSON_CreateObject();

		cJSON_AddStringToObject(ao, "spn", p->add.v[i]);
		cJSON_AddStringToObject(ao, "covers", p->add_covers.v[i]);
		cJSON_AddItemToArray(arr, ao);
	}
	return o;
}

/* What spn shows beside its findings: the coverage matrix and what to add. */
static void
spn_present(struct pipeline *pl, void *arg)
{
	const struct options *o = arg;
	struct strlist domains = { 0 };
	struct spn_plan plan;

	if (o->domain != NULL)
		strlist_add(&domains, o->domain);
	spn_plan_build(pl->ctx.spns, &pl->ctx.hosts, &domains, &plan);
	matrix_text(&pl->preamble, &pl->ctx, &plan);
	pl->extra = cJSON_CreateObject();
	cJSON_AddItemToObject(pl->extra, "spn", matrix_json(&pl->ctx, &plan));
	spn_plan_release(&plan);
	strlist_release(&domains);
}

int
cmd_spn(struct options *o, FILE *out, FILE *err)
{
	static const char *const families[] = { "spn.", NULL };
	const struct pipeline_spec spec = { "spn", families,
	    PIPELINE_PROBES_NONE, NULL, spn_present, o };
	struct pipeline_config pc;
	struct pipeline pl;
	int rc;

	if (o->spns.n == 0 && o->spn_file == NULL) {
		fprintf(err, "hybridcheck: spn needs --spn S or --spn-file FILE\n");
		return EXIT_USAGE;
	}
	options_pipeline_config(o, &pc);
	pc.ctx.offline = 1;	/* judged from the names given: nothing to fetch */
	if ((rc = pipeline_run(&pl, &spec, &pc, err)) == 0)
		rc = pipeline_finish(&pl, out, err);
	pipeline_release(&pl);
	return rc;
}
