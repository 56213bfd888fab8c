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
		return "OK: nothing worse than information";
	case EXIT_WARN:
		return "WARN: warnings to review";
	case EXIT_FAIL:
		return "FAIL: failures to fix";
	case EXIT_INCOMPLETE:
		return "INCOMPLETE: the run could not complete";
	default:
		return "unknown";
	}
}

int
report_exit_code(const struct report_target *t, const struct findings *f)
{
	int code = findings_exit_code(f);

	if (t->diff != NULL && t->diff->count[DIFF_REGRESSED] > 0)
		return EXIT_FAIL;
	return code;
}

void
report_verdict_line(struct buf *b, const struct report_target *t,
    const struct findings *f)
{
	int code = report_exit_code(t, f);
	size_t reg = t->diff ? t->diff->count[DIFF_REGRESSED] : 0;

	if (reg > 0)
		buf_printf(b, "FAIL: %zu regression%s since the baseline", reg,
		    reg == 1 ? "" : "s");
	else
		buf_printf(b, "%s", report_verdict(code));
	if (t->diff != NULL && reg == 0)
		buf_printf(b, ", no regression since the baseline");
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
