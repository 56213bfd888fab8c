/*
 * The text report, for a reader in a hurry: the verdict and what was not
 * checked, the problems one line each, the next steps by where they run
 * with the command that writes the script, then the details; colour only
 * on a terminal. -q stops after the problems, -v shows everything.
 */
#include <stdlib.h>
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

static void
heading(struct buf *b, const char *text, int color)
{
	buf_printf(b, "\n%s%s%s\n", color ? "\033[1m" : "", text,
	    color ? "\033[0m" : "");
}

/*
 * Evidence of the request itself (where the name resolved, which address
 * answered, how long it took) matters when the network is the question:
 * shown with -v only.
 */
static int
network_detail(const char *key)
{
	static const char *const keys[] = {
		"dns", "connected to", "time", "body size", NULL,
	};

	for (size_t i = 0; keys[i]; i++)
		if (strcmp(key, keys[i]) == 0)
			return 1;
	return 0;
}

static int
sev_rank(enum severity s)
{
	switch (s) {
	case SEV_FAIL:
		return 0;
	case SEV_ERROR:
		return 1;
	case SEV_WARN:
		return 2;
	default:
		return 3;
	}
}

/* "endpoint.ews, onprem.metadata": the findings folded into anchor. */
static size_t
folded_into(const struct findings *f, const struct finding *anchor,
    struct buf *names, enum severity *worst)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++) {
		const struct finding *fd = f->v[i];

		if (!report_is_problem(fd) || report_fold_target(f, fd) != anchor)
			continue;
		if (n == 0 || strstr(names->data, fd->check) == NULL)
			buf_printf(names, "%s%s", names->len ? ", " : "", fd->check);
		if (fd->severity > *worst)
			*worst = fd->severity;
		n++;
	}
	return n;
}

static void
problem_line(struct buf *b, const struct finding *fd, int color)
{
	buf_printf(b, "  ");
	label(b, fd->severity, color);
	buf_printf(b, " %s%s%s: %s\n", fd->check, fd->subject[0] ? " " : "",
	    fd->subject, fd->message);
}

/* Warn, fail and error, worst first; a repeated transport failure folded. */
static void
text_problems(struct buf *b, const struct findings *f, int fold, int color)
{
	size_t shown = 0;

	for (int rank = 0; rank < 3; rank++)
		for (size_t i = 0; i < f->n; i++) {
			const struct finding *fd = f->v[i];
			struct buf names;
			enum severity worst = SEV_PASS;

			if (!report_is_problem(fd) || sev_rank(fd->severity) != rank ||
			    (fold && report_fold_target(f, fd) != NULL))
				continue;
			if (shown++ == 0)
				heading(b, "problems:", color);
			problem_line(b, fd, color);
			if (!fold)
				continue;
			buf_init(&names, (size_t)-1);
			if (folded_into(f, fd, &names, &worst) > 0) {
				buf_printf(b, "  ");
				label(b, worst, color);
				buf_printf(b, " %s %s: the same failure, not repeated "
				    "(see %s)\n", names.data, fd->subject, fd->check);
			}
			buf_release(&names);
		}
}

/* One line per group of checks that did not run, with what would run them. */
static void
text_coverage(struct buf *b, const struct report_coverage *c, int verbose)
{
	for (size_t i = 0; i < c->ngaps; i++) {
		const struct coverage_gap *g = &c->gaps[i];

		if (g->outside && !verbose)
			continue;
		buf_printf(b, "  not checked: %s", g->what);
		if (g->how != NULL)
			buf_printf(b, " (%s)", g->how);
		else if (g->elsewhere != NULL)
			buf_printf(b, " (run %s)", g->elsewhere);
		if (verbose) {
			buf_printf(b, ":");
			for (size_t j = 0; j < g->checks.n; j++)
				buf_printf(b, "%s %s", j ? "," : "", g->checks.v[j]);
			buf_printf(b, "\n");
		} else
			buf_printf(b, ": %zu check%s\n", g->checks.n,
			    g->checks.n == 1 ? "" : "s");
	}
	if (c->incomplete > 0)
		buf_printf(b, "  could not complete: %zu check%s ran but learned "
		    "nothing (see the errors)\n", c->incomplete,
		    c->incomplete == 1 ? "" : "s");
}

/* The comparison with the baseline: counts, then one line per change. */
static void
text_diff(struct buf *b, const struct diff *d, int quiet)
{
	buf_printf(b, "\ncompared with baseline %s: %zu regressed, %zu unverified, "
	    "%zu new, %zu fixed, %zu changed, %zu gone, %zu unchanged\n",
	    d->origin, d->count[DIFF_REGRESSED], d->count[DIFF_UNVERIFIED],
	    d->count[DIFF_NEW], d->count[DIFF_FIXED], d->count[DIFF_CHANGED],
	    d->count[DIFF_GONE], d->unchanged);
	for (size_t i = 0; i < d->n; i++) {
		const struct diff_item *it = &d->v[i];

		if (quiet && it->kind != DIFF_REGRESSED &&
		    it->kind != DIFF_UNVERIFIED)
			continue;
		buf_printf(b, "  %-10s %s%s%s%s%s%s: ", diff_kind_name(it->kind),
		    it->check, it->subject[0] ? " " : "", it->subject,
		    it->probe[0] ? " (" : "", it->probe, it->probe[0] ? ")" : "");
		if (it->has_was && it->has_now)
			buf_printf(b, "was %s, now %s%s\n", severity_name(it->was),
			    severity_name(it->now), it->kind == DIFF_UNVERIFIED ?
			    " (not checked this time)" : "");
		else if (it->has_now)
			buf_printf(b, "now %s\n", severity_name(it->now));
		else if (it->kind == DIFF_UNVERIFIED)
			buf_printf(b, "was %s, not judged this time\n",
			    severity_name(it->was));
		else
			buf_printf(b, "was %s\n", severity_name(it->was));
	}
}

static void
text_steps(struct buf *b, const struct report_target *t,
    const struct findings *f, int color)
{
	struct report_steps s;

	report_steps(f, &s);
	if (s.total == 0 && t->script == NULL && t->script_error == NULL) {
		report_steps_release(&s);
		return;
	}
	heading(b, "next steps:", color);
	for (unsigned p = 0; p < PLACE_COUNT; p++) {
		if (s.n[p] == 0)
			continue;
		buf_printf(b, "  %s:\n", report_place_name((enum report_place)p));
		for (size_t i = 0; i < s.n[p]; i++) {
			const struct report_step *st = &s.v[p][i];

			buf_printf(b, "    %s — %s\n", st->remedy, st->what ? st->what :
			    "a remedy this version does not know");
			buf_printf(b, "        for");
			for (size_t j = 0; j < st->n; j++)
				buf_printf(b, "%s %s%s%s", j ? "," : "",
				    st->fds[j]->check, st->fds[j]->subject[0] ?
				    " " : "", st->fds[j]->subject);
			buf_printf(b, "\n");
		}
	}
	if (t->script != NULL)
		buf_printf(b, "  the script: written to %s; read it, then run it "
		    "with -WhatIf\n", t->script);
	else if (t->script_error != NULL)
		buf_printf(b, "  the script: not written: %s\n", t->script_error);
	if (t->script == NULL && t->remediate != NULL && s.total > 0)
		buf_printf(b, "  write the script: %s\n", t->remediate);
	report_steps_release(&s);
}

/* Whether fd has anything the problem line and next steps did not say. */
static int
worth_detail(const struct findings *f, const struct finding *fd, int verbose)
{
	if (verbose)
		return 1;
	if (fd->severity == SEV_PASS || fd->severity == SEV_SKIP)
		return 0;
	if (report_fold_target(f, fd) != NULL)
		return 0;
	if (fd->severity == SEV_INFO)
		return 1;
	for (size_t j = 0; j < fd->nev; j++)
		if (!network_detail(fd->ev[j].key))
			return 1;
	return 0;
}

static void
text_details(struct buf *b, const struct findings *f, int verbose, int color)
{
	const char *last = NULL;
	int any = 0;

	for (size_t i = 0; i < f->n; i++) {
		const struct finding *fd = f->v[i];

		if (fd->severity == SEV_SKIP || !worth_detail(f, fd, verbose))
			continue;
		if (!any++)
			heading(b, verbose ? "details (every finding, every "
			    "piece of evidence):" : "details (evidence of the "
			    "problems, and information):", color);
		if (last == NULL || strcmp(last, fd->check) != 0) {
			buf_printf(b, "  %s%s%s%s%s\n", color ? "\033[1m" : "",
			    fd->check, fd->title ? " — " : "",
			    fd->title ? fd->title : "", color ? "\033[0m" : "");
			last = fd->check;
		}
		buf_printf(b, "    ");
		label(b, fd->severity, color);
		/* A problem's message is in the list above: its subject, or its start, names it here. */
		if (report_is_problem(fd) && !verbose && fd->subject[0])
			buf_printf(b, " %s\n", fd->subject);
		else if (report_is_problem(fd) && !verbose && strlen(fd->message) > 64)
			buf_printf(b, " %.60s…\n", fd->message);
		else if (fd->subject[0])
			buf_printf(b, " %s: %s\n", fd->subject, fd->message);
		else
			buf_printf(b, " %s\n", fd->message);
		for (size_t j = 0; j < fd->nev; j++)
			if (verbose || !network_detail(fd->ev[j].key))
				buf_printf(b, "          %s: %s\n", fd->ev[j].key,
				    fd->ev[j].value);
		if (verbose && fd->remedy)
			buf_printf(b, "          remedy: %s\n", fd->remedy);
	}
}

/* Checks that concluded nothing worse than information: one line each. */
static void
text_passed(struct buf *b, const struct findings *f, int color)
{
	size_t shown = 0;

	for (size_t i = 0; i < f->n; i++) {
		const struct finding *fd = f->v[i];
		size_t n = 0;
		int bad = 0, seen = 0;

		if (fd->severity != SEV_PASS)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(f->v[j]->check, fd->check) == 0;
		if (seen)
			continue;
		for (size_t j = 0; j < f->n; j++)
			if (strcmp(f->v[j]->check, fd->check) == 0) {
				bad |= report_is_problem(f->v[j]);
				n += f->v[j]->severity == SEV_PASS;
			}
		if (bad)
			continue;
		if (shown++ == 0)
			heading(b, "passed:", color);
		buf_printf(b, "  ");
		label(b, SEV_PASS, color);
		buf_printf(b, " %s — %s", fd->check, fd->title ? fd->title :
		    fd->message);
		if (n > 1)
			buf_printf(b, " (%zu subjects)", n);
		buf_printf(b, "\n");
	}
}

/* -v: each skipped check with what it needs. */
static void
text_skipped(struct buf *b, const struct findings *f, int color)
{
	size_t shown = 0;

	for (size_t i = 0; i < f->n; i++) {
		const struct finding *fd = f->v[i];

		if (fd->severity != SEV_SKIP)
			continue;
		if (shown++ == 0)
			heading(b, "skipped:", color);
		buf_printf(b, "  ");
		label(b, SEV_SKIP, color);
		buf_printf(b, " %s: %s\n", fd->check, fd->message);
	}
}

void
report_text(struct buf *b, const struct report_target *t,
    const struct findings *f, int color)
{
	int quiet = t->detail == DETAIL_QUIET, verbose = t->detail == DETAIL_VERBOSE;
	size_t counts[SEV_ERROR + 1];

	if (!quiet) {
		buf_printf(b, "hybridcheck %s", t->command ? t->command : "");
		if (t->domain)
			buf_printf(b, "  domain %s", t->domain);
		if (t->cloud)
			buf_printf(b, "  cloud %s", t->cloud);
		if (t->cloud_profile != NULL) {
			char *o = cloud_origin_text(t->cloud_profile);

			buf_printf(b, " (%s)", o);
			free(o);
		}
		if (t->tenant_id)
			buf_printf(b, "  tenant %s", t->tenant_id);
		buf_printf(b, "\n");
		{
			struct strlist fp = { 0 };

			report_file_profiles(t, &fp);
			for (size_t i = 0; i < fp.n; i++)
				buf_printf(b, "cloud profile from a file: %s\n",
				    fp.v[i]);
			strlist_release(&fp);
		}
	}
	buf_printf(b, "verdict: ");
	report_verdict_line(b, t, f);
	buf_printf(b, "\n");
	if (t->coverage != NULL)
		text_coverage(b, t->coverage, verbose);
	text_problems(b, f, !verbose, color);
	if (t->diff != NULL)
		text_diff(b, t->diff, quiet);
	if (quiet)
		return;
	text_steps(b, t, f, color);
	/* What the command shows beside the findings (cert facts, the SPN matrix). */
	if (t->preamble != NULL && t->preamble->data != NULL)
		buf_printf(b, "\n%s", t->preamble->data);
	text_details(b, f, verbose, color);
	if (!verbose) {
		text_passed(b, f, color);
		return;
	}
	text_skipped(b, f, color);
	findings_count(f, counts);
	buf_printf(b, "\n%zu findings: %zu fail, %zu error, %zu warn, %zu info, "
	    "%zu pass, %zu skipped\n", f->n, counts[SEV_FAIL], counts[SEV_ERROR],
	    counts[SEV_WARN], counts[SEV_INFO], counts[SEV_PASS], counts[SEV_SKIP]);
}
