/* The text report: grouped by check, readable, colour only on a terminal. */
#include <string.h>

#include "baseline.h"
#include "report.h"

static const char *
sev_color(enum severity s)
{
	switch (s) {
	case SEV_PASS:
		return "\033[32m";
	case SEV_INFO:
		return "\033[36m";
	case SEV_WARN:
		return "\033[33m";
	case SEV_FAIL:
	case SEV_ERROR:
		return "\033[1;31m";
	default:
		return "\033[2m";
	}
}

static void
label(struct buf *b, enum severity s, int color)
{
	char up[8];
	const char *name = severity_name(s);
	size_t i;

	for (i = 0; name[i] && i < sizeof(up) - 1; i++)
		up[i] = (char)(name[i] - 'a' + 'A');
	up[i] = '\0';
	if (color)
		buf_printf(b, "%s%-5s\033[0m", sev_color(s), up);
	else
		buf_printf(b, "%-5s", up);
}

/* The comparison with the baseline: counts, then one line per change. */
static void
text_diff(struct buf *b, const struct diff *d)
{
	buf_printf(b, "\ncompared with baseline %s: %zu regressed, %zu new, "
	    "%zu fixed, %zu changed, %zu gone, %zu unchanged\n", d->origin,
	    d->count[DIFF_REGRESSED], d->count[DIFF_NEW], d->count[DIFF_FIXED],
	    d->count[DIFF_CHANGED], d->count[DIFF_GONE], d->unchanged);
	for (size_t i = 0; i < d->n; i++) {
		const struct diff_item *it = &d->v[i];

		buf_printf(b, "  %-9s %s%s%s: ", diff_kind_name(it->kind), it->check,
		    it->subject[0] ? " " : "", it->subject);
		if (it->has_was && it->has_now)
			buf_printf(b, "was %s, now %s\n", severity_name(it->was),
			    severity_name(it->now));
		else if (it->has_now)
			buf_printf(b, "now %s\n", severity_name(it->now));
		else
			buf_printf(b, "was %s\n", severity_name(it->was));
	}
}

void
report_text(struct buf *b, const struct report_target *t,
    const struct findings *f, int color)
{
	size_t counts[SEV_ERROR + 1], shown_skips = 0;
	const char *last = NULL;

	/* What the command shows first (cert facts, the SPN matrix). */
	if (t->preamble != NULL && t->preamble->data != NULL)
		buf_printf(b, "%s\n", t->preamble->data);
	buf_printf(b, "hybridcheck %s", t->command ? t->command : "");
	if (t->domain)
		buf_printf(b, "  domain %s", t->domain);
	if (t->cloud)
		buf_printf(b, "  cloud %s", t->cloud);
	if (t->tenant_id)
		buf_printf(b, "  tenant %s", t->tenant_id);
	buf_printf(b, "\n");

	for (size_t i = 0; i < f->n; i++) {
		const struct finding *fd = f->v[i];

		if (fd->severity == SEV_SKIP)
			continue;
		if (last == NULL || strcmp(last, fd->check) != 0) {
			buf_printf(b, "\n%s%s%s%s\n", color ? "\033[1m" : "",
			    fd->check, fd->title ? " — " : "", fd->title ? fd->title : "");
			if (color)
				buf_printf(b, "\033[0m");
			last = fd->check;
		}
		buf_printf(b, "  ");
		label(b, fd->severity, color);
		if (fd->subject[0])
			buf_printf(b, " %s: %s\n", fd->subject, fd->message);
		else
			buf_printf(b, " %s\n", fd->message);
		if (fd->severity == SEV_PASS)
			continue;
		for (size_t j = 0; j < fd->nev; j++)
			buf_printf(b, "        %s: %s\n", fd->ev[j].key,
			    fd->ev[j].value);
		if (fd->remedy)
			buf_printf(b, "        remedy: %s\n", fd->remedy);
	}

	/* Skipped checks, one line per missing input: what to add, and what it enables. */
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *fd = f->v[i];
		int seen = 0;

		if (fd->severity != SEV_SKIP)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = f->v[j]->severity == SEV_SKIP &&
			    strcmp(f->v[j]->message, fd->message) == 0;
		if (seen)
			continue;
		if (shown_skips++ == 0)
			buf_printf(b, "\nskipped (add the input named to run them):\n");
		buf_printf(b, "  %s: %s", fd->message, fd->check);
		for (size_t j = i + 1; j < f->n; j++)
			if (f->v[j]->severity == SEV_SKIP &&
			    strcmp(f->v[j]->message, fd->message) == 0)
				buf_printf(b, ", %s", f->v[j]->check);
		buf_printf(b, "\n");
	}

	if (t->diff != NULL)
		text_diff(b, t->diff);

	findings_count(f, counts);
	buf_printf(b, "\n%zu findings: %zu fail, %zu error, %zu warn, %zu info, "
	    "%zu pass, %zu skipped\n", f->n, counts[SEV_FAIL], counts[SEV_ERROR],
	    counts[SEV_WARN], counts[SEV_INFO], counts[SEV_PASS], counts[SEV_SKIP]);
	buf_printf(b, "verdict: ");
	report_verdict_line(b, t, f);
	buf_printf(b, "\n");
}
