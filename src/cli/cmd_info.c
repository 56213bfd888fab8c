/* The catalogue commands: endpoints (cloud profiles) and checks. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "check_pages.h"
#include "checks.h"
#include "commands.h"
#include "str.h"
#include "findings.h"
#include "report.h"

/* The catalogue listings go where a report would: --output, or out. */
static int
output(const struct options *o, FILE *out, FILE *err, const struct buf *b)
{
	struct hcerr e = { "" };

	if (report_output(o->output, out, b, &e) == -1) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		return EXIT_INCOMPLETE;
	}
	return EXIT_OK;
}

static cJSON *
cloud_json(const struct cloud *c)
{
	cJSON *o = cJSON_CreateObject(), *aliases, *fields;

	cJSON_AddStringToObject(o, "schema", "hybridcheck.cloud/1");
	cJSON_AddStringToObject(o, "name", c->name);
	cJSON_AddStringToObject(o, "display_name", c->display_name);
	aliases = cJSON_AddArrayToObject(o, "aliases");
	for (size_t i = 0; i < c->aliases.n; i++)
		cJSON_AddItemToArray(aliases, cJSON_CreateString(c->aliases.v[i]));
	cJSON_AddStringToObject(o, "origin", c->origin);
	fields = cJSON_AddObjectToObject(o, "fields");
	for (size_t i = 0; i < c->nfields; i++) {
		const struct cloud_field *f = &c->fields[i];
		cJSON *fo = cJSON_AddObjectToObject(fields, f->key), *vals;

		vals = cJSON_AddArrayToObject(fo, "values");
		for (size_t j = 0; j < f->values.n; j++)
			cJSON_AddItemToArray(vals, cJSON_CreateString(f->values.v[j]));
		if (f->recommended)
			cJSON_AddStringToObject(fo, "recommended", f->recommended);
		cJSON_AddStringToObject(fo, "source", f->source);
		cJSON_AddStringToObject(fo, "certainty", f->certainty);
		if (f->note)
			cJSON_AddStringToObject(fo, "note", f->note);
	}
	return o;
}

/* T0/T1/T2 with what each means, its day, certainty and source. */
static void
milestones_text(struct buf *b, const struct cloud *c)
{
	static const struct {
		const char *label, *key, *what;
	} ms[] = {
		{ "T0", CLOUD_T0, "EWS through the shared Exchange Online service "
		    "principal blocked" },
		{ "T1", CLOUD_T1, "Exchange Online's EWS gate enforced (EwsEnabled, "
		    "EwsAllowedAppIDs)" },
		{ "T2", CLOUD_T2, "EWS in Exchange Online off; Exchange 2016/2019 "
		    "lose on-premises -> cloud rich coexistence" },
	};

	buf_printf(b, "  milestones (judged against the run's clock):\n");
	for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		const struct cloud_field *f = cloud_field(c, ms[i].key);

		if (f == NULL || f->values.n == 0) {
			buf_printf(b, "    %s  %-10s  %s\n", ms[i].label, "unknown",
			    ms[i].what);
			continue;
		}
		buf_printf(b, "    %s  %-10s  %s\n", ms[i].label, f->values.v[0],
		    ms[i].what);
		buf_printf(b, "    %-2s  %-10s  %s; %s\n", "", "", f->certainty,
		    f->source);
		if (f->note)
			buf_printf(b, "    %-2s  %-10s  note: %s\n", "", "", f->note);
	}
}

static void
cloud_text(struct buf *b, const struct cloud *c)
{
	buf_printf(b, "%s — %s (%s)\n", c->name, c->display_name, c->origin);
	for (size_t i = 0; i < c->nfields; i++) {
		const struct cloud_field *f = &c->fields[i];

		if (strcmp(f->key, CLOUD_T0) == 0 || strcmp(f->key, CLOUD_T1) == 0 ||
		    strcmp(f->key, CLOUD_T2) == 0)
			continue;	/* under "milestones" */
		for (size_t j = 0; j < f->values.n; j++) {
			int rec = f->recommended && strcmp(f->recommended, f->values.v[j]) == 0;

			buf_printf(b, "  %-26s %s%s\n", j == 0 ? f->key : "",
			    f->values.v[j], rec ? "  (recommended)" : "");
		}
		buf_printf(b, "  %-26s %s; %s\n", "", f->certainty, f->source);
		if (f->note)
			buf_printf(b, "  %-26s note: %s\n", "", f->note);
	}
	milestones_text(b, c);
}

int
cmd_endpoints(struct options *o, FILE *out, FILE *err)
{
	struct cloud_set set = { 0 };
	struct buf b;
	int rc;

	if ((rc = cmd_load_clouds(o, &set, err)) != 0)
		return rc;
	if (o->format == FMT_JUNIT || o->format == FMT_HTML) {
		fprintf(err, "hybridcheck: endpoints: --format junit and html are "
		    "for reports; use text or json\n");
		cloud_set_release(&set);
		return EXIT_USAGE;
	}
	buf_init(&b, (size_t)-1);
	if (o->format == FMT_JSON) {
		cJSON *root;
		char *text;

		if (o->cloud != NULL)
			root = cloud_json(cloud_find(&set, o->cloud));
		else {
			root = cJSON_CreateArray();
			for (size_t i = 0; i < set.n; i++)
				cJSON_AddItemToArray(root, cloud_json(&set.v[i]));
		}
		text = cJSON_Print(root);
		buf_printf(&b, "%s\n", text);
		free(text);
		cJSON_Delete(root);
	} else {
		for (size_t i = 0; i < set.n; i++) {
			if (o->cloud != NULL && &set.v[i] != cloud_find(&set, o->cloud))
				continue;
			if (b.len > 0)
				buf_printf(&b, "\n");
			cloud_text(&b, &set.v[i]);
		}
		/*
		 * A profile from a file may hold terminal escapes or bidi
		 * overrides in its text (notes, sources, names): each line
		 * cleaned before it reaches a terminal.
		 */
		if (b.data != NULL) {
			struct buf clean;
			char *line = b.data, *nl;

			buf_init(&clean, (size_t)-1);
			for (; *line; line = nl ? nl + 1 : line + strlen(line)) {
				char *one, *shown;

				nl = strchr(line, '\n');
				one = nl ? xstrndup(line, (size_t)(nl - line)) :
				    xstrdup(line);
				shown = str_clean_text(one);
				buf_printf(&clean, "%s%s", shown, nl ? "\n" : "");
				free(shown);
				free(one);
				if (nl == NULL)
					break;
			}
			buf_release(&b);
			b = clean;
		}
	}
	rc = output(o, out, err, &b);
	buf_release(&b);
	cloud_set_release(&set);
	return rc;
}

static void
needs_list(unsigned needs, struct buf *b, const char *sep)
{
	int first = 1;

	for (unsigned bit = 1; bit <= INPUT_LAST; bit <<= 1)
		if (needs & bit) {
			buf_printf(b, "%s%s", first ? "" : sep,
			    input_name((enum input)bit));
			first = 0;
		}
	if (first)
		buf_printf(b, "-");
}

/* The nearest check id to a mistyped one, when there is a clear one. */
static const char *
checks_meant(const char *typed)
{
	const char *best = NULL;
	size_t nbest = 0;

	/* A unique id that starts with what was typed, or contains it. */
	for (const struct check *c = checks; c->id; c++)
		if (strstr(c->id, typed) != NULL) {
			best = c->id;
			nbest++;
		}
	return nbest == 1 ? best : NULL;
}

/* One check's page, as built into the binary. */
/* A check as JSON: its id, title and the inputs it needs. */
static cJSON *
check_json(const struct check *c)
{
	cJSON *co = cJSON_CreateObject(), *needs;
	struct buf nb;

	cJSON_AddStringToObject(co, "id", c->id);
	cJSON_AddStringToObject(co, "title", c->title);
	needs = cJSON_AddArrayToObject(co, "needs");
	buf_init(&nb, (size_t)-1);
	needs_list(c->needs, &nb, ",");
	for (char *tok = strtok(nb.data, ","); tok; tok = strtok(NULL, ","))
		if (strcmp(tok, "-") != 0)
			cJSON_AddItemToArray(needs, cJSON_CreateString(tok));
	buf_release(&nb);
	return co;
}

static int
check_page(const struct options *o, const char *id, FILE *out, FILE *err)
{
	const struct check *c = checks_find(id);
	const struct check_page *p = NULL;
	struct buf b;
	int rc;

	for (const struct check_page *q = check_pages; c != NULL && q->name; q++)
		if (strcmp(q->name, id) == 0)
			p = q;
	if (c == NULL || p == NULL) {
		const char *meant = checks_meant(id);

		fprintf(err, "hybridcheck: checks: unknown check '%s'%s%s%s\n", id,
		    meant ? "; did you mean '" : "; 'hybridcheck checks' lists them",
		    meant ? meant : "", meant ? "'?" : "");
		return EXIT_USAGE;
	}
	buf_init(&b, (size_t)-1);
	if (o->format == FMT_JSON) {
		cJSON *co = check_json(c);
		char *text;

		cJSON_AddStringToObject(co, "page", p->text);
		text = cJSON_Print(co);
		buf_printf(&b, "%s\n", text);
		free(text);
		cJSON_Delete(co);
	} else
		buf_append(&b, p->text, p->len);
	rc = output(o, out, err, &b);
	buf_release(&b);
	return rc;
}

int
cmd_checks(struct options *o, FILE *out, FILE *err)
{
	struct buf b;
	int rc;

	if (o->format == FMT_JUNIT || o->format == FMT_HTML) {
		fprintf(err, "hybridcheck: checks: --format junit and html are for "
		    "reports; use text or json\n");
		return EXIT_USAGE;
	}
	if (o->args.n == 1)
		return check_page(o, o->args.v[0], out, err);
	buf_init(&b, (size_t)-1);
	if (o->format == FMT_JSON) {
		cJSON *root = cJSON_CreateArray();
		char *text;

		for (const struct check *c = checks; c->id; c++) {
			cJSON_AddItemToArray(root, check_json(c));
		}
		text = cJSON_Print(root);
		buf_printf(&b, "%s\n", text);
		free(text);
		cJSON_Delete(root);
	} else {
		for (const struct check *c = checks; c->id; c++) {
			buf_printf(&b, "%-30s %s\n%-30s needs: ", c->id, c->title, "");
			needs_list(c->needs, &b, ", ");
			buf_printf(&b, "\n");
		}
	}
	rc = output(o, out, err, &b);
	buf_release(&b);
	return rc;
}
