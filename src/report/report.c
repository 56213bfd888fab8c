/* Shared parts of the reporters, and writing a report out. */
#include "report.h"

#include "baseline.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "file.h"

int
report_want_color(FILE *out, int no_color)
{
	if (no_color)
		return 0;
	return isatty(fileno(out));
}

const char *
report_verdict(int exit_code)
{
	switch (exit_code) {
	case EXIT_OK:
		return "OK";
	case EXIT_WARN:
		return "WARN";
	case EXIT_FAIL:
		return "FAIL";
	case EXIT_INCOMPLETE:
		return "INCOMPLETE";
	default:
		return "UNKNOWN";
	}
}

enum severity
report_worst(const struct findings *f)
{
	enum severity w = SEV_PASS;
	int ran = 0;

	for (size_t i = 0; i < f->n; i++) {
		if (f->v[i]->severity == SEV_SKIP)
			continue;
		ran = 1;
		if (f->v[i]->severity > w)
			w = f->v[i]->severity;
	}
	return ran ? w : SEV_SKIP;
}

int
report_exit_code(const struct report_target *t, const struct findings *f)
{
	int code = findings_exit_code(f);

	if (t->diff != NULL && t->diff->count[DIFF_REGRESSED] > 0)
		code = exit_status_worse(code, EXIT_FAIL);
	/* A problem of the baseline nobody looked at this time: not verified. */
	if (t->diff != NULL && t->diff->count[DIFF_UNVERIFIED] > 0)
		code = exit_status_worse(code, EXIT_INCOMPLETE);
	return code;
}

/* ", 3 failures" with the plural; nothing for zero. */
static void
count_part(struct buf *b, int *first, size_t n, const char *one,
    const char *many)
{
	if (n == 0)
		return;
	buf_printf(b, "%s%zu %s", *first ? "" : ", ", n, n == 1 ? one : many);
	*first = 0;
}

void
report_verdict_line(struct buf *b, const struct report_target *t,
    const struct findings *f)
{
	int code = report_exit_code(t, f), first = 1;
	size_t counts[SEV_ERROR + 1], reg = 0, unv = 0;

	findings_count(f, counts);
	if (t->diff != NULL) {
		reg = t->diff->count[DIFF_REGRESSED];
		unv = t->diff->count[DIFF_UNVERIFIED];
	}
	buf_printf(b, "%s: ", report_verdict(code));
	count_part(b, &first, reg, "regression since the baseline",
	    "regressions since the baseline");
	count_part(b, &first, counts[SEV_FAIL], "failure", "failures");
	count_part(b, &first, unv, "problem of the baseline unverified",
	    "problems of the baseline unverified");
	count_part(b, &first, counts[SEV_ERROR], "could not complete",
	    "could not complete");
	count_part(b, &first, counts[SEV_WARN], "warning", "warnings");
	if (first)
		buf_printf(b, "%s", code == EXIT_INCOMPLETE ?
		    "no check could run" : "nothing worse than information");
	if (t->diff != NULL && reg == 0 && unv == 0)
		buf_printf(b, "; no regression since the baseline");
	if (t->coverage != NULL)
		buf_printf(b, "; checked %zu of %zu checks", t->coverage->checked,
		    t->coverage->total);
	buf_printf(b, " (exit %d)", code);
}

void
report_render(struct buf *b, enum report_format fmt,
    const struct report_target *t, const struct findings *f, int color)
{
	switch (fmt) {
	case FMT_JSON:
		report_json(b, t, f);
		break;
	case FMT_JUNIT:
		report_junit(b, t, f);
		break;
	case FMT_HTML:
		report_html(b, t, f);
		break;
	default:
		report_text(b, t, f, color);
		break;
	}
}

int
report_write(const char *path, FILE *out, enum report_format fmt,
    const struct report_target *t, const struct findings *f, int color,
    struct hcerr *e)
{
	struct buf b;
	int rc = 0;

	buf_init(&b, (size_t)-1);
	report_render(&b, fmt, t, f, color);
	rc = report_output(path, out, &b, e);
	buf_release(&b);
	return rc;
}

void
report_file_profiles(const struct report_target *t, struct strlist *out)
{
	for (size_t i = 0; t->clouds != NULL && i < t->clouds->n; i++) {
		const struct cloud *c = &t->clouds->v[i];
		char *origin;

		if (c->builtin)
			continue;
		origin = cloud_origin_text(c);
		strlist_add_owned(out, xasprintf("%s: %s", c->name, origin));
		free(origin);
	}
}

int
report_output(const char *path, FILE *out, const struct buf *b, struct hcerr *e)
{
	if (path == NULL || strcmp(path, "-") == 0) {
		if ((b->len > 0 && fwrite(b->data, 1, b->len, out) != b->len) ||
		    fflush(out) != 0) {
			hcerr_set(e, "cannot write the report to standard output");
			return -1;
		}
		return 0;
	}
	return file_write_atomic(path, b->data, b->len, e);
}
