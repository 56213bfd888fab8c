#include "baseline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include "str.h"
#include "file.h"

static const char *const kind_names[] = {
	[DIFF_REGRESSED] = "regressed",
	[DIFF_UNVERIFIED] = "unverified",
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
		cJSON *probe = cJSON_IsObject(it) ? member(it, "probe") : NULL;
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
		if (probe != NULL && !cJSON_IsString(probe) && !cJSON_IsNull(probe)) {
			hcerr_set(e, "baseline '%s': %s[%d].probe: expected a "
			    "string, got %s", origin, path, i, json_type(probe));
			goto out;
		}
		be = &b->v[b->n++];
		be->check = str_clean_text(check->valuestring);
		be->subject = str_clean_text(cJSON_IsString(subj) ?
		    subj->valuestring : "");
		be->probe = str_clean_text(cJSON_IsString(probe) ?
		    probe->valuestring : "");
		if (be->probe[0] != '\0')
			b->has_probe = 1;
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
		free(b->v[i].probe);
	}
	free(b->v);
	free(b->origin);
	memset(b, 0, sizeof(*b));
}

/* What a path says the request was; NULL when it is none of these. */
static const struct {
	const char	*suffix;	/* of the lower-cased path */
	const char	*kind;
} probe_kinds[] = {
	{ "/ews/exchange.asmx", "ews" },
	{ "/autodiscover/autodiscover.svc", "autodiscover.svc" },
	{ "/autodiscover/autodiscover.xml", "autodiscover.xml" },
	{ "/autodiscover/autodiscover.json", "autodiscover.json" },
	{ "/metadata/json/1", "metadata" },
	{ "/.well-known/openid-configuration", "openid" },
	{ NULL, NULL },
};

void
baseline_probe_kind(const struct finding *fd, char *buf, size_t len)
{
	const char *url = finding_get(fd, "url"), *sp, *path, *end;
	char low[512];
	size_t n;

	buf[0] = '\0';
	/* "GET https://host/path?query": only evidence of a request names a probe. */
	if (url == NULL || (sp = strchr(url, ' ')) == NULL || sp == url ||
	    strspn(url, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != (size_t)(sp - url))
		return;
	if ((path = strstr(sp + 1, "://")) == NULL)
		return;
	if ((path = strchr(path + 3, '/')) == NULL)
		path = "/";
	end = path + strcspn(path, "?# ");
	n = (size_t)(end - path);
	if (n >= sizeof(low))
		n = sizeof(low) - 1;
	for (size_t i = 0; i < n; i++)
		low[i] = (path[i] >= 'A' && path[i] <= 'Z') ?
		    (char)(path[i] - 'A' + 'a') : path[i];
	low[n] = '\0';
	for (size_t i = 0; probe_kinds[i].suffix; i++) {
		size_t k = strlen(probe_kinds[i].suffix);

		if (n >= k && strcmp(low + n - k, probe_kinds[i].suffix) == 0) {
			snprintf(buf, len, "%s", probe_kinds[i].kind);
			return;
		}
	}
	snprintf(buf, len, "%s", low);
}

/* One (check, subject, probe) with its worst severity, in first-seen order. */
struct key {
	const char	*check, *subject, *probe;
	enum severity	 sev;
	int		 matched;
};

static int
key_same(const struct key *k, const char *check, const char *subject,
    const char *probe)
{
	return strcmp(k->check, check) == 0 && strcmp(k->subject, subject) == 0 &&
	    strcmp(k->probe, probe) == 0;
}

static size_t
key_add(struct key *v, size_t n, const char *check, const char *subject,
    const char *probe, enum severity s)
{
	for (size_t i = 0; i < n; i++)
		if (key_same(&v[i], check, subject, probe)) {
			if (s > v[i].sev)
				v[i].sev = s;
			return n;
		}
	v[n].check = check;
	v[n].subject = subject;
	v[n].probe = probe;
	v[n].sev = s;
	v[n].matched = 0;
	return n + 1;
}

static int
bad(enum severity s)
{
	return s >= SEV_WARN;
}

/* An item: what it names comes from the baseline unless only now has it. */
static void
item(struct diff *d, enum diff_kind k, const struct key *was,
    const struct key *now)
{
	struct diff_item *it = &d->v[d->n++];
	const struct key *name = was ? was : now;

	it->kind = k;
	it->check = name->check;
	it->subject = name->subject;
	it->probe = name->probe;
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

/* A skip of this run for check, if any: it stands for what was judged before. */
static const struct key *
skip_of(const struct key *cur, size_t ncur, const char *check)
{
	for (size_t i = 0; i < ncur; i++)
		if (cur[i].sev == SEV_SKIP && strcmp(cur[i].check, check) == 0)
			return &cur[i];
	return NULL;
}

static int
has_check(const struct key *v, size_t n, const char *check)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].check, check) == 0)
			return 1;
	return 0;
}

void
diff_compute(struct diff *d, const struct baseline *b, const struct findings *f)
{
	struct key *cur = xcalloc(f->n + 1, sizeof(*cur));
	struct key *old = xcalloc(b->n + 1, sizeof(*old));
	size_t ncur = 0, nold = 0;

	memset(d, 0, sizeof(*d));
	d->origin = b->origin;
	for (size_t i = 0; i < f->n; i++) {
		char probe[256] = "";

		/* A baseline that names no probe is compared as it was written. */
		if (b->has_probe)
			baseline_probe_kind(f->v[i], probe, sizeof(probe));
		strlist_add(&d->probes, probe);
		ncur = key_add(cur, ncur, f->v[i]->check, f->v[i]->subject,
		    d->probes.v[d->probes.n - 1], f->v[i]->severity);
	}
	for (size_t i = 0; i < b->n; i++)
		nold = key_add(old, nold, b->v[i].check, b->v[i].subject,
		    b->has_probe ? b->v[i].probe : "", b->v[i].severity);
	d->v = xcalloc(ncur + nold + 1, sizeof(*d->v));

	for (size_t i = 0; i < ncur; i++) {
		struct key *o = NULL;

		for (size_t k = 0; k < nold; k++)
			if (!old[k].matched && key_same(&old[k], cur[i].check,
			    cur[i].subject, cur[i].probe)) {
				o = &old[k];
				o->matched = 1;
				break;
			}
		if (o == NULL) {
			/* A skip where the baseline judged subjects is not news. */
			if (cur[i].sev == SEV_SKIP && has_check(old, nold, cur[i].check))
				continue;
			item(d, DIFF_NEW, NULL, &cur[i]);
		} else if (o->sev == cur[i].sev)
			d->unchanged++;
		else if (cur[i].sev == SEV_SKIP && bad(o->sev))
			item(d, DIFF_UNVERIFIED, o, &cur[i]);
		else if (bad(cur[i].sev) && (!bad(o->sev) || cur[i].sev > o->sev))
			item(d, DIFF_REGRESSED, o, &cur[i]);
		else if (bad(o->sev) && !bad(cur[i].sev))
			item(d, DIFF_FIXED, o, &cur[i]);
		else
			item(d, DIFF_CHANGED, o, &cur[i]);
	}
	for (size_t k = 0; k < nold; k++) {
		if (old[k].matched)
			continue;
		/* A problem nobody looked at this time is not a fix. */
		if (bad(old[k].sev))
			item(d, DIFF_UNVERIFIED, &old[k],
			    skip_of(cur, ncur, old[k].check));
		else
			item(d, DIFF_GONE, &old[k], NULL);
	}

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
	strlist_release(&d->probes);
	memset(d, 0, sizeof(*d));
}
