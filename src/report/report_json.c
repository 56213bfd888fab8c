/* The JSON report, schema hybridcheck.report/1 (docs/report.md). */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "baseline.h"
#include "report.h"
#include "datetime.h"

#ifndef HC_VERSION
#define HC_VERSION "0.0.0"
#endif

static void
add_str(cJSON *obj, const char *key, const char *value)
{
	if (value != NULL)
		cJSON_AddStringToObject(obj, key, value);
	else
		cJSON_AddNullToObject(obj, key);
}

/* "baseline": the comparison, ordered like the text report. */
static void
json_diff(cJSON *root, const struct diff *d)
{
	cJSON *o = cJSON_AddObjectToObject(root, "baseline"), *counts, *changes;

	cJSON_AddStringToObject(o, "file", d->origin ? d->origin : "");
	counts = cJSON_AddObjectToObject(o, "counts");
	for (unsigned k = 0; k < DIFF_NKINDS; k++)
		cJSON_AddNumberToObject(counts, diff_kind_name((enum diff_kind)k),
		    (double)d->count[k]);
	cJSON_AddNumberToObject(counts, "unchanged", (double)d->unchanged);
	changes = cJSON_AddArrayToObject(o, "changes");
	for (size_t i = 0; i < d->n; i++) {
		const struct diff_item *it = &d->v[i];
		cJSON *c = cJSON_CreateObject();

		cJSON_AddStringToObject(c, "kind", diff_kind_name(it->kind));
		cJSON_AddStringToObject(c, "check", it->check);
		cJSON_AddStringToObject(c, "subject", it->subject);
		if (it->probe[0] != '\0')
			cJSON_AddStringToObject(c, "probe", it->probe);
		add_str(c, "was", it->has_was ? severity_name(it->was) : NULL);
		add_str(c, "now", it->has_now ? severity_name(it->now) : NULL);
		cJSON_AddItemToArray(changes, c);
	}
}

/* "coverage": checked N of M, and each group of checks not run with what would run it. */
static void
json_coverage(cJSON *sum, const struct report_coverage *c)
{
	cJSON *o = cJSON_AddObjectToObject(sum, "coverage"), *gaps;

	cJSON_AddNumberToObject(o, "checked", (double)c->checked);
	cJSON_AddNumberToObject(o, "of", (double)c->total);
	cJSON_AddNumberToObject(o, "could_not_complete", (double)c->incomplete);
	gaps = cJSON_AddArrayToObject(o, "not_checked");
	for (size_t i = 0; i < c->ngaps; i++) {
		const struct coverage_gap *g = &c->gaps[i];
		cJSON *go = cJSON_CreateObject(), *ids;

		cJSON_AddStringToObject(go, "what", g->what);
		add_str(go, "how", g->how);
		add_str(go, "elsewhere", g->elsewhere);
		cJSON_AddBoolToObject(go, "other_command", g->outside);
		ids = cJSON_AddArrayToObject(go, "checks");
		for (size_t j = 0; j < g->checks.n; j++)
			cJSON_AddItemToArray(ids, cJSON_CreateString(g->checks.v[j]));
		cJSON_AddItemToArray(gaps, go);
	}
}

static cJSON *
json_tree(const struct report_target *t, const struct findings *f)
{
	cJSON *root = cJSON_CreateObject(), *target, *arr, *sum, *hosts;
	size_t counts[SEV_ERROR + 1];
	int code = report_exit_code(t, f);
	struct buf verdict;

	cJSON_AddStringToObject(root, "schema", "hybridcheck.report/1");
	target = cJSON_AddObjectToObject(root, "target");
	add_str(target, "command", t->command);
	add_str(target, "domain", t->domain);
	add_str(target, "cloud", t->cloud);
	/* Where each profile came from: "built-in", or the file and its SHA-256. */
	if (t->cloud_profile != NULL) {
		const struct cloud *c = t->cloud_profile;

		if (c->builtin)
			cJSON_AddStringToObject(target, "cloud_profile", "built-in");
		else {
			cJSON *o = cJSON_AddObjectToObject(target, "cloud_profile");

			add_str(o, "file", c->origin);
			add_str(o, "sha256", c->sha256);
		}
	}
	if (t->clouds != NULL) {
		cJSON *files = NULL;

		for (size_t i = 0; i < t->clouds->n; i++) {
			const struct cloud *c = &t->clouds->v[i];
			cJSON *o;

			if (c->builtin)
				continue;
			if (files == NULL)
				files = cJSON_AddArrayToObject(target,
				    "profiles_from_files");
			o = cJSON_CreateObject();
			add_str(o, "name", c->name);
			add_str(o, "file", c->origin);
			add_str(o, "sha256", c->sha256);
			cJSON_AddItemToArray(files, o);
		}
	}
	add_str(target, "tenant_id", t->tenant_id);
	hosts = cJSON_AddArrayToObject(target, "hosts");
	for (size_t i = 0; t->hosts != NULL && i < t->hosts->n; i++)
		cJSON_AddItemToArray(hosts, cJSON_CreateString(t->hosts->v[i]));

	arr = cJSON_AddArrayToObject(root, "findings");
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *fd = f->v[i];
		cJSON *o = cJSON_CreateObject(), *ev;
		char probe[256];

		cJSON_AddStringToObject(o, "check", fd->check);
		cJSON_AddStringToObject(o, "severity", severity_name(fd->severity));
		cJSON_AddStringToObject(o, "subject", fd->subject);
		/* What verify keys on besides check and subject. */
		baseline_probe_kind(fd, probe, sizeof(probe));
		if (probe[0] != '\0')
			cJSON_AddStringToObject(o, "probe", probe);
		cJSON_AddStringToObject(o, "message", fd->message);
		ev = cJSON_AddObjectToObject(o, "evidence");
		for (size_t j = 0; j < fd->nev; j++)
			cJSON_AddStringToObject(ev, fd->ev[j].key, fd->ev[j].value);
		add_str(o, "remedy", fd->remedy);
		cJSON_AddItemToArray(arr, o);
	}

	findings_count(f, counts);
	sum = cJSON_AddObjectToObject(root, "summary");
	for (unsigned s = 0; s <= SEV_ERROR; s++)
		cJSON_AddNumberToObject(sum, severity_name((enum severity)s),
		    (double)counts[s]);
	cJSON_AddStringToObject(sum, "worst", severity_name(report_worst(f)));
	if (t->coverage != NULL)
		json_coverage(sum, t->coverage);
	cJSON_AddNumberToObject(sum, "exit_code", code);
	buf_init(&verdict, (size_t)-1);
	report_verdict_line(&verdict, t, f);
	cJSON_AddStringToObject(sum, "verdict", verdict.data);
	buf_release(&verdict);

	if (t->diff != NULL)
		json_diff(root, t->diff);

	/* What the command adds (cert facts, the SPN matrix). */
	for (const cJSON *it = t->extra ? t->extra->child : NULL; it; it = it->next)
		cJSON_AddItemToObject(root, it->string, cJSON_Duplicate(it, 1));

	/* Run metadata: the one place a time may appear. */
	{
		cJSON *run = cJSON_AddObjectToObject(root, "run");
		char when[32];

		datetime_iso8601(time(NULL), when, sizeof(when));
		cJSON_AddStringToObject(run, "tool", "hybridcheck");
		cJSON_AddStringToObject(run, "version", HC_VERSION);
		cJSON_AddStringToObject(run, "time", when);
	}
	return root;
}

void
report_json(struct buf *b, const struct report_target *t,
    const struct findings *f)
{
	cJSON *root = json_tree(t, f);
	char *text = cJSON_Print(root);

	buf_append(b, text, strlen(text));
	buf_append(b, "\n", 1);
	free(text);
	cJSON_Delete(root);
}

void
report_json_line(struct buf *b, const struct report_target *t,
    const struct findings *f)
{
	cJSON *root = json_tree(t, f);
	char *text = cJSON_PrintUnformatted(root);

	buf_append(b, text, strlen(text));
	buf_append(b, "\n", 1);
	free(text);
	cJSON_Delete(root);
}
