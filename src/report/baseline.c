#include "baseline.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include "str.h"
#include "file.h"

static const char *const kind_names[] = {
	[DIFF_REGRESSED] = "regressed",
	[DIFF_NEW] = "new",
	[DIFF_FIXED] = "fixed",
	[DIFF_CHANGED] = "changed",
	[DIFF_GONE] = "gone",
};

const char *
diff_kind_name(enum diff_kind k)
{
	return (unsigned)k < DIFF_NKINDS ? kind_names[k] : "unknown";
}

static int
severity_parse_ci(const char *s, enum severity *out)
{
	char low[16];
	size_t i;

	for (i = 0; s[i] && i < sizeof(low) - 1; i++)
		low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	if (s[i] != '\0')
		return -1;
	low[i] = '\0';
	/* "skipped" is how people (and JUnit) say it. */
	if (strcmp(low, "skipped") == 0) {
		*out = SEV_SKIP;
		return 0;
	}
	return severity_parse(low, out);
}

/* Case-insensitive member lookup: hand-edited baselines vary. */
static cJSON *
member(const cJSON *obj, const char *name)
{
	cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, name);

	return m ? m : cJSON_GetObjectItem(obj, name);
}

static const char *
json_type(const cJSON *j)
{
	if (cJSON_IsString(j))
		return "a string";
	if (cJSON_IsNumber(j))
		return "a number";
	if (cJSON_IsBool(j))
		return "a boolean";
	if (cJSON_IsNull(j))
		return "null";
	if (cJSON_IsArray(j))
		return "an array";
	if (cJSON_IsObject(j))
		return "an object";
	return "something else";
}

int
baseline_parse(struct baseline *b, const char *text, size_t len,
    const char *origin, struct hcerr *e)
{
	cJSON *root = NULL, *arr, *schema;
	const char *path = "findings";
	int rc = -1, i = 0;

	memset(b, 0, sizeof(*b));
	if ((root = cJSON_ParseWithLength(text, len)) == NULL) {
		const char *at = cJSON_GetErrorPtr();

		hcerr_set(e, "baseline '%s': not JSON (near byte %ld)", origin,
		    at && at >= text && at <= text + len ? (long)(at - text) : -1L);
		goto out;
	}
	if (cJSON_IsArray(root)) {
		arr = root;
		path = "";
	} else if (cJSON_IsObject(root)) {
		schema = member(root, "schema");
		if (cJSON_IsString(schema) &&
		    strncmp(schema->valuestring, "hybridcheck.report/", 19) != 0) {
			hcerr_set(e, "baseline '%s': schema: expected "
			    "hybridcheck.report/1, got '%.60s'", origin,
			    schema->valuestring);
			goto out;
		}
		arr = member(root, "findings");
		if (!cJSON_IsArray(arr)) {
			hcerr_set(e, "baseline '%s': findings: expected an array, "
			    "got %s", origin, arr ? json_type(arr) : "nothing");
			goto out;
		}
	} else {
		hcerr_set(e, "baseline '%s': expected a JSON report (an object "
		    "with findings), got %s", origin, json_type(root));
		goto out;
	}
	if (cJSON_GetArraySize(arr) > BASELINE_FINDINGS_MAX) {
		hcerr_set(e, "baseline '%s': %s: %d findings, more than the %d "
		    "a report can hold", origin, *path ? path : "the array",
		    cJSON_GetArraySize(arr), BASELINE_FINDINGS_MAX);
		goto out;
	}
	b->v = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*b->v));
	for (cJSON *it = arr->child; it != NULL; it = it->next, i++) {
		cJSON *check = cJSON_IsObject(it) ? member(it, "check") : NULL;
		cJSON *sev = cJSON_IsObject(it) ? member(it, "severity") : NULL;
		cJSON *subj = cJSON_IsObject(it) ? member(it, "subject") : NULL;
		struct baseline_entry *be;
		enum severity s;

		if (!cJSON_IsObject(it)) {
			hcerr_set(e, "baseline '%s': %s[%d]: expected an object, "
			    "got %s", origin, path, i, json_type(it));
			goto out;
		}
		if (!cJSON_IsString(check) || check->valuestring[0] == '\0') {
			hcerr_set(e, "baseline '%s': %s[%d].check: expected a "
			    "check id, got %s", origin, path, i,
			    check ? json_type(check) : "nothing");
			goto out;
		}
		if (!cJSON_IsString(sev)) {
			hcerr_set(e, "baseline '%s': %s[%d].severity: expected a "
			    "string, got %s", origin, path, i,
			    sev ? json_type(sev) : "nothing");
			goto out;
		}
		if (severity_parse_ci(sev->valuestring, &s) == -1) {
			hcerr_set(e, "baseline '%s': %s[%d].severity: expected "
			    "pass, skip, info, warn, fail or error, got '%.40s'",
			    origin, path, i, sev->valuestring);
			goto out;
		}
		if (subj != NULL && !cJSON_IsString(subj) && !cJSON_IsNull(subj)) {
			hcerr_set(e, "baseline '%s': %s[%d].subject: expected a "
			    "string, got %s", origin, path, i, json_type(subj));
			goto out;
		}
		be = &b->v[b->n++];
		be->check = str_clean_text(check->valuestring);
		be->subject = str_clean_text(cJSON_IsString(subj) ?
		    subj->valuestring : "");
		be->severity = s;
	}
	b->origin = xstrdup(origin);
	rc = 0;
out:
	cJSON_Delete(root);
	if (rc == -1)
		baseline_release(b);
	return rc;
}

int
baseline_load(struct baseline *b, const char *path, struct hcerr *e)
{
	char *text = NULL;
	size_t len;
	int rc;

	memset(b, 0, sizeof(*b));
	if (file_read(path, BASELINE_MAX, &text, &len, e) == -1)
		return -1;
	rc = baseline_parse(b, text, len, path, e);
	free(text);
	return rc;
}

void
baseline_release(struct baseline *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->n; i++) {
		free(b->v[i].check);
		free(b->v[i].subject);
	}
	free(b->v);
	free(b->origin);
	memset(b, 0, sizeof(*b));
}

/* One (check, subject) with its worst severity, in first-seen order. */
struct key {
	const char	*check, *subject;
	enum severity	 sev;
	int		 matched;
};

static size_t
key_add(struct key *v, size_t n, const char *check, const char *subject,
    enum severity s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].check, check) == 0 &&
		    strcmp(v[i].subject, subject) == 0) {
			if (s > v[i].sev)
				v[i].sev = s;
			return n;
		}
	v[n].check = check;
	v[n].subject = subject;
	v[n].sev = s;
	v[n].matched = 0;
	return n + 1;
}

static int
bad(enum severity s)
{
	return s >= SEV_WARN;
}

static void
item(struct diff *d, enum diff_kind k, const struct key *was,
    const struct key *now)
{
	struct diff_item *it = &d->v[d->n++];

	it->kind = k;
	it->check = now ? now->check : was->check;
	it->subject = now ? now->subject : was->subject;
	it->has_was = was != NULL;
	it->has_now = now != NULL;
	it->was = was ? was->sev : SEV_PASS;
	it->now = now ? now->sev : SEV_PASS;
	d->count[k]++;
}

static int
item_cmp(const void *a, const void *b)
{
	const struct diff_item *x = a, *y = b;

	return (int)x->kind - (int)y->kind;
}

void
diff_compute(struct diff *d, const struct baseline *b, const struct findings *f)
{
	struct key *cur = xcalloc(f->n + 1, sizeof(*cur));
	struct key *old = xcalloc(b->n + 1, sizeof(*old));
	size_t ncur = 0, nold = 0;

	memset(d, 0, sizeof(*d));
	d->origin = b->origin;
	for (size_t i = 0; i < f->n; i++)
		ncur = key_add(cur, ncur, f->v[i]->check, f->v[i]->subject,
		    f->v[i]->severity);
	for (size_t i = 0; i < b->n; i++)
		nold = key_add(old, nold, b->v[i].check, b->v[i].subject,
		    b->v[i].severity);
	d->v = xcalloc(ncur + nold + 1, sizeof(*d->v));

	for (size_t i = 0; i < ncur; i++) {
		struct key *o = NULL;

		for (size_t k = 0; k < nold; k++)
			if (!old[k].matched && strcmp(old[k].check, cur[i].check) == 0 &&
			    strcmp(old[k].subject, cur[i].subject) == 0) {
				o = &old[k];
				o->matched = 1;
				break;
			}
		if (o == NULL)
			item(d, DIFF_NEW, NULL, &cur[i]);
		else if (o->sev == cur[i].sev)
			d->unchanged++;
		else if (bad(cur[i].sev) && (!bad(o->sev) || cur[i].sev > o->sev))
			item(d, DIFF_REGRESSED, o, &cur[i]);
		else if (bad(o->sev) && !bad(cur[i].sev))
			item(d, DIFF_FIXED, o, &cur[i]);
		else
			item(d, DIFF_CHANGED, o, &cur[i]);
	}
	for (size_t k = 0; k < nold; k++)
		if (!old[k].matched)
			item(d, DIFF_GONE, &old[k], NULL);

	/* Group by kind, keeping report order within a kind (insertion sort). */
	for (size_t i = 1; i < d->n; i++) {
		struct diff_item t = d->v[i];
		size_t j = i;

		while (j > 0 && item_cmp(&d->v[j - 1], &t) > 0) {
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = t;
	}
	free(cur);
	free(old);
}

void
diff_release(struct diff *d)
{
	if (d == NULL)
		return;
	free(d->v);
	memset(d, 0, sizeof(*d));
}
