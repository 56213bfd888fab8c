/* The JUnit XML report: one test case per finding. */
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "report.h"

static void
attr(struct buf *b, const char *name, const char *value)
{
	buf_printf(b, " %s=\"", name);
	buf_markup(b, value);
	buf_printf(b, "\"");
}

/*
 * A second suite for the comparison: each regression is a failure, each
 * unverified problem of the baseline an error (the run could not say).
 */
static void
junit_diff(struct buf *b, const struct diff *d)
{
	char num[32];

	buf_printf(b, "  <testsuite");
	attr(b, "name", "baseline");
	snprintf(num, sizeof(num), "%zu", d->n);
	attr(b, "tests", num);
	snprintf(num, sizeof(num), "%zu", d->count[DIFF_REGRESSED]);
	attr(b, "failures", num);
	snprintf(num, sizeof(num), "%zu", d->count[DIFF_UNVERIFIED]);
	attr(b, "errors", num);
	attr(b, "skipped", "0");
	buf_printf(b, ">\n");
	for (size_t i = 0; i < d->n; i++) {
		const struct diff_item *it = &d->v[i];
		char *name = xasprintf("%s %s%s%s%s%s%s", diff_kind_name(it->kind),
		    it->check, it->subject[0] ? " " : "", it->subject,
		    it->probe[0] ? " (" : "", it->probe, it->probe[0] ? ")" : "");
		char *msg = xasprintf("was %s, now %s",
		    it->has_was ? severity_name(it->was) : "absent",
		    it->has_now ? severity_name(it->now) : "absent");

		buf_printf(b, "    <testcase");
		attr(b, "classname", "baseline");
		attr(b, "name", name);
		if (it->kind == DIFF_REGRESSED) {
			buf_printf(b, ">\n      <failure");
			attr(b, "message", msg);
			attr(b, "type", "regression");
			buf_printf(b, "/>\n    </testcase>\n");
		} else if (it->kind == DIFF_UNVERIFIED) {
			buf_printf(b, ">\n      <error");
			attr(b, "message", msg);
			attr(b, "type", "unverified");
			buf_printf(b, "/>\n    </testcase>\n");
		} else {
			buf_printf(b, ">\n      <system-out>");
			buf_markup(b, msg);
			buf_printf(b, "</system-out>\n    </testcase>\n");
		}
		free(name);
		free(msg);
	}
	buf_printf(b, "  </testsuite>\n");
}

void
report_junit(struct buf *b, const struct report_target *t,
    const struct findings *f)
{
	size_t counts[SEV_ERROR + 1];
	char num[32];

	findings_count(f, counts);
	buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	buf_printf(b, "  <testsuite");
	attr(b, "name", t->domain ? t->domain : (t->command ? t->command : "hybridcheck"));
	snprintf(num, sizeof(num), "%zu", f->n);
	attr(b, "tests", num);
	snprintf(num, sizeof(num), "%zu", counts[SEV_FAIL]);
	attr(b, "failures", num);
	snprintf(num, sizeof(num), "%zu", counts[SEV_ERROR]);
	attr(b, "errors", num);
	snprintf(num, sizeof(num), "%zu", counts[SEV_SKIP]);
	attr(b, "skipped", num);
	buf_printf(b, ">\n");
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *fd = f->v[i];
		const char *tag = NULL;
		char *name = xasprintf("%s%s%s", fd->check, fd->subject[0] ? " " : "",
		    fd->subject);

		buf_printf(b, "    <testcase");
		attr(b, "classname", fd->check);
		attr(b, "name", name);
		free(name);
		switch (fd->severity) {
		case SEV_FAIL:
			tag = "failure";
			break;
		case SEV_ERROR:
			tag = "error";
			break;
		case SEV_SKIP:
			tag = "skipped";
			break;
		default:
			break;
		}
		if (tag == NULL && fd->severity == SEV_PASS) {
			buf_printf(b, "/>\n");
			continue;
		}
		buf_printf(b, ">\n");
		if (tag != NULL) {
			buf_printf(b, "      <%s", tag);
			attr(b, "message", fd->message);
			if (fd->severity != SEV_SKIP)
				attr(b, "type", severity_name(fd->severity));
			buf_printf(b, "/>\n");
		}
		buf_printf(b, "      <system-out>");
		buf_markup(b, severity_name(fd->severity));
		buf_printf(b, ": ");
		buf_markup(b, fd->message);
		buf_printf(b, "\n");
		for (size_t j = 0; j < fd->nev; j++) {
			buf_markup(b, fd->ev[j].key);
			buf_printf(b, ": ");
			buf_markup(b, fd->ev[j].value);
			buf_printf(b, "\n");
		}
		if (fd->remedy) {
			buf_printf(b, "remedy: ");
			buf_markup(b, fd->remedy);
			buf_printf(b, "\n");
		}
		buf_printf(b, "</system-out>\n    </testcase>\n");
	}
	buf_printf(b, "  </testsuite>\n");
	if (t->diff != NULL)
		junit_diff(b, t->diff);
	buf_printf(b, "</testsuites>\n");
}
