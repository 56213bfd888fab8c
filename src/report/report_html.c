/*
 * The HTML report: one self-contained page (its style inline, no script,
 * no font, image or link it must fetch), readable offline and on paper.
 * Same order as the text report: the verdict, the problems, the next
 * steps, then the trust drawn, then the details with their evidence
 * folded away. Every severity and every edge is said in words as well as
 * in colour; the drawing has a title, a description and a table.
 */
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "report.h"
#include "report_trust.h"

#ifndef HC_VERSION
#define HC_VERSION "0.0.0"
#endif

#define esc	buf_markup

static const char style[] =
	":root{--ok:#1b5e20;--warn:#7a4f00;--fail:#b00020;--error:#5b1a8a;"
	"--skip:#555;--info:#0b5394}\n"
	"body{font:15px/1.45 system-ui,\"Segoe UI\",\"DejaVu Sans\",sans-serif;"
	"color:#111;background:#fff;margin:0 auto;max-width:1100px;padding:1rem 1.5rem}\n"
	"h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.4rem 0 .4rem;"
	"border-bottom:1px solid #ccc}h3{font-size:1.05rem;margin:1rem 0 .3rem}\n"
	".target{color:#333;margin:.2rem 0 .8rem}\n"
	".verdict{border:3px solid var(--skip);border-radius:6px;padding:.5rem 1rem}\n"
	".verdict p{margin:.3rem 0}.verdict .word{font-size:1.3rem;font-weight:700}\n"
	".v-ok{border-color:var(--ok)}.v-warn{border-color:var(--warn)}"
	".v-fail{border-color:var(--fail)}.v-incomplete{border-color:var(--error)}\n"
	".sev{display:inline-block;min-width:6.5em;font-weight:700}\n"
	".sev-pass .sev{color:var(--ok)}.sev-info .sev{color:var(--info)}"
	".sev-warn .sev{color:var(--warn)}.sev-fail .sev{color:var(--fail)}"
	".sev-error .sev{color:var(--error)}.sev-skip .sev{color:var(--skip)}\n"
	"ol.problems,ul.findings{padding-left:1.2rem}li{margin:.2rem 0}\n"
	".check-id{font-family:monospace}.subject{font-family:monospace}\n"
	"pre{white-space:pre-wrap;word-break:break-all;background:#f3f3f3;"
	"padding:.5rem .7rem;border-radius:4px}\n"
	"dl.evidence{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;"
	"margin:.3rem 0 .5rem}dl.evidence dt{font-weight:600}dl.evidence dd{margin:0;"
	"font-family:monospace;word-break:break-all}\n"
	"table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;"
	"padding:.25rem .45rem;text-align:left;vertical-align:top}\n"
	"svg.trust{width:100%;height:auto;max-width:1140px;display:block}\n"
	"svg .node rect{fill:#f4f6f8;stroke:#333;stroke-width:1.2}\n"
	"svg text{font-family:\"DejaVu Sans\",sans-serif;fill:#111}\n"
	"svg .node-title{font-weight:700;font-size:13px}"
	"svg .node-line{font-size:11.5px;font-family:\"DejaVu Sans Mono\",monospace}\n"
	"svg .column{font-size:14px;font-weight:700;fill:#444}\n"
	"svg .edge path{fill:none;stroke-width:3}\n"
	"svg .st-ok path{stroke:var(--ok)}"
	"svg .st-warn path{stroke:var(--warn);stroke-dasharray:12 4}"
	"svg .st-fail path{stroke:var(--fail);stroke-width:5}"
	"svg .st-error path{stroke:var(--error);stroke-dasharray:2 4 10 4}"
	"svg .st-not-checked path{stroke:#888;stroke-dasharray:3 6}\n"
	"svg .label-bg{fill:#fff;stroke:#666}svg .edge-label{font-size:12px;"
	"font-weight:700}svg .st-ok .edge-label{fill:var(--ok)}"
	"svg .st-warn .edge-label{fill:var(--warn)}svg .st-fail .edge-label"
	"{fill:var(--fail)}svg .st-error .edge-label{fill:var(--error)}"
	"svg .st-not-checked .edge-label{fill:#444}\n"
	".state{font-weight:700;white-space:nowrap}.not-run{color:#555;font-style:italic}\n"
	".st-ok .state{color:var(--ok)}.st-warn .state{color:var(--warn)}"
	".st-fail .state{color:var(--fail)}.st-error .state{color:var(--error)}"
	".st-not-checked .state{color:#444}\n"
	"details summary{cursor:pointer;color:#333}\n"
	"footer{margin-top:2rem;color:#555;font-size:.85rem}\n"
	"@media print{body{max-width:none;padding:0;font-size:11pt}"
	"details::details-content{content-visibility:visible;display:block}"
	"details>summary{list-style:none}a{color:inherit;text-decoration:none}"
	"li,tr,.verdict,figure{break-inside:avoid}h2,h3{break-after:avoid}}\n";

void
report_html_begin(struct buf *b, const char *title)
{
	buf_printf(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\""
	    "width=device-width, initial-scale=1\">\n<title>");
	esc(b, title);
	buf_printf(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
}

void
report_html_escape(struct buf *b, const char *s)
{
	buf_markup(b, s);
}

void
report_html_end(struct buf *b)
{
	buf_printf(b, "<footer>Written by hybridcheck %s. The page needs nothing "
	    "but itself: no script, no font or image to fetch.</footer>\n"
	    "</body>\n</html>\n", HC_VERSION);
}

static const char *
sev_word(enum severity s)
{
	switch (s) {
	case SEV_PASS:
		return "\u2713 PASS";
	case SEV_SKIP:
		return "\u2013 SKIP";
	case SEV_INFO:
		return "i INFO";
	case SEV_WARN:
		return "! WARN";
	case SEV_FAIL:
		return "\u2717 FAIL";
	case SEV_ERROR:
		return "? ERROR";
	}
	return "?";
}

static void
check_link(struct buf *b, const char *prefix, const char *check)
{
	buf_printf(b, "<a class=\"check-id\" href=\"#%scheck-", prefix);
	esc(b, check);
	buf_printf(b, "\">");
	esc(b, check);
	buf_printf(b, "</a>");
}

static void
finding_attrs(struct buf *b, const struct finding *fd)
{
	buf_printf(b, " class=\"finding sev-%s\" data-finding=\"\" data-check=\"",
	    severity_name(fd->severity));
	esc(b, fd->check);
	buf_printf(b, "\" data-severity=\"%s\" data-subject=\"",
	    severity_name(fd->severity));
	esc(b, fd->subject);
	buf_printf(b, "\"");
}

static void
html_verdict(struct buf *b, const struct report_target *t,
    const struct findings *f)
{
	int code = report_exit_code(t, f);
	struct buf line;
	const char *word = report_verdict(code);

	buf_init(&line, (size_t)-1);
	report_verdict_line(&line, t, f);
	buf_printf(b, "<section class=\"verdict v-");
	for (const char *p = word; *p; p++)
		buf_printf(b, "%c", *p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	buf_printf(b, "\" id=\"%sverdict\" data-exit=\"%d\"><p><span class=\"word\">"
	    "%s</span> ", t->id_prefix, code, word);
	/* The line after its first word ("FAIL: "). */
	esc(b, line.data + strlen(word) + 2);
	buf_printf(b, "</p>\n");
	buf_release(&line);
	if (t->coverage != NULL) {
		const struct report_coverage *c = t->coverage;
		int first = 1;

		for (size_t i = 0; i < c->ngaps; i++) {
			const struct coverage_gap *g = &c->gaps[i];

			if (g->outside)
				continue;
			buf_printf(b, "%s", first ? "<p>Not checked: " : "; ");
			esc(b, g->what);
			buf_printf(b, " (");
			esc(b, g->how ? g->how : g->elsewhere ? g->elsewhere :
			    "not with this command");
			buf_printf(b, "), %zu check%s", g->checks.n,
			    g->checks.n == 1 ? "" : "s");
			first = 0;
		}
		if (!first)
			buf_printf(b, ". <a href=\"#%snot-checked\">Which checks"
			    "</a></p>\n", t->id_prefix);
	}
	buf_printf(b, "</section>\n");
}

static void
html_problems(struct buf *b, const struct report_target *t,
    const struct findings *f, int h)
{
	static const enum severity order[] = { SEV_FAIL, SEV_ERROR, SEV_WARN };
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		n += report_is_problem(f->v[i]);
	buf_printf(b, "<section id=\"%sproblems\"><h%d>Problems (%zu)</h%d>\n",
	    t->id_prefix, h + 1, n, h + 1);
	if (n == 0) {
		buf_printf(b, "<p>None: nothing worse than information.</p>"
		    "</section>\n");
		return;
	}
	buf_printf(b, "<ol class=\"problems\">\n");
	for (size_t k = 0; k < 3; k++)
		for (size_t i = 0; i < f->n; i++) {
			const struct finding *fd = f->v[i], *to;

			if (fd->severity != order[k])
				continue;
			buf_printf(b, "<li");
			finding_attrs(b, fd);
			buf_printf(b, "><span class=\"sev\">%s</span> ",
			    sev_word(fd->severity));
			check_link(b, t->id_prefix, fd->check);
			if (fd->subject[0]) {
				buf_printf(b, " <span class=\"subject\">");
				esc(b, fd->subject);
				buf_printf(b, "</span>");
			}
			if ((to = report_fold_target(f, fd)) != NULL) {
				buf_printf(b, ": the same failure as ");
				check_link(b, t->id_prefix, to->check);
				buf_printf(b, ", not repeated");
			} else {
				buf_printf(b, ": ");
				esc(b, fd->message);
			}
			buf_printf(b, "</li>\n");
		}
	buf_printf(b, "</ol>\n</section>\n");
}

static void
html_steps(struct buf *b, const struct report_target *t,
    const struct findings *f, int h)
{
	struct report_steps s;

	report_steps(f, &s);
	buf_printf(b, "<section id=\"%snext-steps\"><h%d>Next steps</h%d>\n",
	    t->id_prefix, h + 1, h + 1);
	if (s.total == 0)
		buf_printf(b, "<p>No remedy is asked for.</p>\n");
	for (unsigned p = 0; p < PLACE_COUNT; p++) {
		if (s.n[p] == 0)
			continue;
		buf_printf(b, "<h%d>", h + 2);
		esc(b, report_place_name((enum report_place)p));
		buf_printf(b, "</h%d>\n<ul>\n", h + 2);
		for (size_t i = 0; i < s.n[p]; i++) {
			const struct report_step *st = &s.v[p][i];

			buf_printf(b, "<li data-remedy=\"");
			esc(b, st->remedy);
			buf_printf(b, "\"><code>");
			esc(b, st->remedy);
			buf_printf(b, "</code> — ");
			esc(b, st->what ? st->what : "a remedy this version does not know");
			buf_printf(b, "<br>for ");
			for (size_t j = 0; j < st->n; j++) {
				if (j)
					buf_printf(b, ", ");
				check_link(b, t->id_prefix, st->fds[j]->check);
				if (st->fds[j]->subject[0]) {
					buf_printf(b, " ");
					esc(b, st->fds[j]->subject);
				}
			}
			buf_printf(b, "</li>\n");
		}
		buf_printf(b, "</ul>\n");
	}
	if (t->script != NULL) {
		buf_printf(b, "<p>The script was written to <code>");
		esc(b, t->script);
		buf_printf(b, "</code>: read it, then run it with -WhatIf.</p>\n");
	} else if (t->script_error != NULL) {
		buf_printf(b, "<p>The script was not written: ");
		esc(b, t->script_error);
		buf_printf(b, "</p>\n");
	}
	if (t->script == NULL && t->remediate != NULL && s.total > 0) {
		buf_printf(b, "<p>Write the script that takes these steps:</p>\n"
		    "<pre><code class=\"remediate\">");
		esc(b, t->remediate);
		buf_printf(b, "</code></pre>\n");
	}
	buf_printf(b, "</section>\n");
	report_steps_release(&s);
}

static void
html_trust(struct buf *b, const struct report_target *t,
    const struct findings *f, int h)
{
	buf_printf(b, "<section id=\"%strust\"><h%d>The trust</h%d>\n<figure>\n",
	    t->id_prefix, h + 1, h + 1);
	trust_svg(b, t, f, t->id_prefix);
	buf_printf(b, "<figcaption>Each arrow is one link of the trust, labelled "
	    "with what its checks concluded: \u2713 ok (solid), ! warning "
	    "(dashed), \u2717 FAIL (thick), ? incomplete: a check could not complete "
	    "(dash-dot), "
	    "\u2013 not checked (dotted grey).</figcaption>\n</figure>\n");
	buf_printf(b, "<table class=\"edges\"><caption>The trust, link by link"
	    "</caption>\n<thead><tr><th scope=\"col\">link</th><th scope=\"col\">"
	    "what it stands for</th><th scope=\"col\">state</th><th scope=\"col\">"
	    "judged by</th></tr></thead>\n<tbody>\n");
	for (const struct trust_edge *e = trust_edges; e->id; e++) {
		enum trust_state st = trust_edge_state(e, f);
		const char *from = e->from, *to = e->to;

		for (const struct trust_node *n = trust_nodes; n->id; n++) {
			if (strcmp(n->id, e->from) == 0)
				from = n->title;
			if (strcmp(n->id, e->to) == 0)
				to = n->title;
		}
		buf_printf(b, "<tr class=\"st-%s\" data-edge=\"%s\" data-status=\"%s\">"
		    "<td>", trust_state_name(st), e->id, trust_state_name(st));
		esc(b, from);
		buf_printf(b, " \u2192 ");
		esc(b, to);
		buf_printf(b, "</td><td>");
		esc(b, e->says);
		buf_printf(b, "</td><td class=\"state\">%s</td><td>",
		    trust_state_text(st));
		for (size_t k = 0; k < TRUST_EDGE_CHECKS && e->checks[k]; k++) {
			int ran = 0;

			for (size_t i = 0; i < f->n && !ran; i++)
				ran = strcmp(f->v[i]->check, e->checks[k]) == 0 &&
				    f->v[i]->severity != SEV_SKIP;
			if (k)
				buf_printf(b, ", ");
			check_link(b, t->id_prefix, e->checks[k]);
			if (!ran)
				buf_printf(b, " <span class=\"not-run\">(not run)</span>");
		}
		buf_printf(b, "</td></tr>\n");
	}
	buf_printf(b, "</tbody></table>\n</section>\n");
}

static void
html_diff(struct buf *b, const struct report_target *t, int h)
{
	const struct diff *d = t->diff;

	buf_printf(b, "<section id=\"%sbaseline\"><h%d>Compared with the baseline"
	    "</h%d>\n<p><code>", t->id_prefix, h + 1, h + 1);
	esc(b, d->origin);
	buf_printf(b, "</code>: %zu regressed, %zu unverified, %zu new, %zu fixed, "
	    "%zu changed, %zu gone, %zu unchanged.</p>\n",
	    d->count[DIFF_REGRESSED], d->count[DIFF_UNVERIFIED], d->count[DIFF_NEW],
	    d->count[DIFF_FIXED], d->count[DIFF_CHANGED], d->count[DIFF_GONE],
	    d->unchanged);
	if (d->n == 0) {
		buf_printf(b, "</section>\n");
		return;
	}
	buf_printf(b, "<table><thead><tr><th scope=\"col\">change</th>"
	    "<th scope=\"col\">check</th><th scope=\"col\">subject</th>"
	    "<th scope=\"col\">was</th><th scope=\"col\">now</th></tr></thead>"
	    "<tbody>\n");
	for (size_t i = 0; i < d->n; i++) {
		const struct diff_item *it = &d->v[i];

		buf_printf(b, "<tr data-change=\"%s\"><td>%s</td><td>",
		    diff_kind_name(it->kind), diff_kind_name(it->kind));
		check_link(b, t->id_prefix, it->check);
		buf_printf(b, "</td><td>");
		esc(b, it->subject);
		if (it->probe[0]) {
			buf_printf(b, " (");
			esc(b, it->probe);
			buf_printf(b, ")");
		}
		buf_printf(b, "</td><td>%s</td><td>%s</td></tr>\n",
		    it->has_was ? severity_name(it->was) : "absent",
		    it->has_now ? severity_name(it->now) :
		    it->kind == DIFF_UNVERIFIED ? "not judged" : "absent");
	}
	buf_printf(b, "</tbody></table>\n</section>\n");
}

static void
html_finding(struct buf *b, const struct findings *f, const struct finding *fd,
    const char *prefix)
{
	const struct finding *to = report_fold_target(f, fd);

	buf_printf(b, "<li");
	finding_attrs(b, fd);
	buf_printf(b, "><span class=\"sev\">%s</span> ", sev_word(fd->severity));
	if (fd->subject[0]) {
		buf_printf(b, "<span class=\"subject\">");
		esc(b, fd->subject);
		buf_printf(b, "</span>: ");
	}
	esc(b, fd->message);
	if (to != NULL) {
		buf_printf(b, " (the same failure as ");
		check_link(b, prefix, to->check);
		buf_printf(b, ")");
	}
	if (fd->remedy != NULL) {
		buf_printf(b, " <span class=\"remedy\">remedy <code>");
		esc(b, fd->remedy);
		buf_printf(b, "</code></span>");
	}
	if (fd->nev > 0) {
		buf_printf(b, "\n<details><summary>evidence (%zu)</summary>"
		    "<dl class=\"evidence\">", fd->nev);
		for (size_t j = 0; j < fd->nev; j++) {
			buf_printf(b, "<dt>");
			esc(b, fd->ev[j].key);
			buf_printf(b, "</dt><dd>");
			esc(b, fd->ev[j].value);
			buf_printf(b, "</dd>");
		}
		buf_printf(b, "</dl></details>");
	}
	buf_printf(b, "</li>\n");
}

/* Every check that ran, in catalogue order, with its findings. */
static void
html_details(struct buf *b, const struct report_target *t,
    const struct findings *f, int h)
{
	buf_printf(b, "<section id=\"%sdetails\"><h%d>Details</h%d>\n",
	    t->id_prefix, h + 1, h + 1);
	if (t->preamble != NULL && t->preamble->data != NULL) {
		buf_printf(b, "<pre class=\"preamble\">");
		esc(b, t->preamble->data);
		buf_printf(b, "</pre>\n");
	}
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *fd = f->v[i];
		int seen = 0, ran = 0;

		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(f->v[j]->check, fd->check) == 0;
		for (size_t j = i; j < f->n && !ran; j++)
			ran = strcmp(f->v[j]->check, fd->check) == 0 &&
			    f->v[j]->severity != SEV_SKIP;
		if (seen || !ran)
			continue;
		buf_printf(b, "<section class=\"check\" id=\"%scheck-", t->id_prefix);
		esc(b, fd->check);
		buf_printf(b, "\"><h%d><span class=\"check-id\">", h + 2);
		esc(b, fd->check);
		buf_printf(b, "</span>");
		if (fd->title) {
			buf_printf(b, " — ");
			esc(b, fd->title);
		}
		buf_printf(b, "</h%d>\n<ul class=\"findings\">\n", h + 2);
		for (size_t j = i; j < f->n; j++)
			if (strcmp(f->v[j]->check, fd->check) == 0 &&
			    f->v[j]->severity != SEV_SKIP)
				html_finding(b, f, f->v[j], t->id_prefix);
		buf_printf(b, "</ul>\n</section>\n");
	}
	buf_printf(b, "</section>\n");
}

static void
html_not_checked(struct buf *b, const struct report_target *t,
    const struct findings *f, int h)
{
	buf_printf(b, "<section id=\"%snot-checked\"><h%d>Not checked</h%d>\n",
	    t->id_prefix, h + 1, h + 1);
	if (t->coverage != NULL && t->coverage->ngaps > 0) {
		buf_printf(b, "<ul>\n");
		for (size_t i = 0; i < t->coverage->ngaps; i++) {
			const struct coverage_gap *g = &t->coverage->gaps[i];

			buf_printf(b, "<li class=\"gap\">");
			esc(b, g->what);
			buf_printf(b, ": ");
			esc(b, g->how ? g->how : g->elsewhere ? g->elsewhere :
			    "not with this command");
			buf_printf(b, " — ");
			for (size_t j = 0; j < g->checks.n; j++) {
				buf_printf(b, "%s<span class=\"check-id\" id=\"%scheck-",
				    j ? ", " : "", t->id_prefix);
				esc(b, g->checks.v[j]);
				buf_printf(b, "\">");
				esc(b, g->checks.v[j]);
				buf_printf(b, "</span>");
			}
			buf_printf(b, "</li>\n");
		}
		buf_printf(b, "</ul>\n");
	} else {
		int any = 0;

		for (size_t i = 0; i < f->n; i++)
			if (f->v[i]->severity == SEV_SKIP) {
				buf_printf(b, "%s<li class=\"sev-skip\"><span "
				    "class=\"check-id\">", any++ ? "" : "<ul>\n");
				esc(b, f->v[i]->check);
				buf_printf(b, "</span>: ");
				esc(b, f->v[i]->message);
				buf_printf(b, "</li>\n");
			}
		buf_printf(b, "%s", any ? "</ul>\n" : "<p>Every check ran.</p>\n");
	}
	buf_printf(b, "</section>\n");
}

/* The report without the page around it; h is its title's heading level. */
void
report_html_body(struct buf *b, const struct report_target *target,
    const struct findings *f, int h)
{
	struct report_target tt = *target;
	const struct report_target *t = &tt;

	if (tt.id_prefix == NULL)
		tt.id_prefix = "";
	buf_printf(b, "<header><h%d>hybridcheck %s", h,
	    t->command ? t->command : "");
	if (t->domain) {
		buf_printf(b, ": ");
		esc(b, t->domain);
	}
	buf_printf(b, "</h%d>\n<p class=\"target\">", h);
	buf_printf(b, "cloud %s", t->cloud ? "" : "not known");
	esc(b, t->cloud);
	if (t->cloud_profile != NULL) {
		char *o = cloud_origin_text(t->cloud_profile);

		buf_printf(b, " (");
		esc(b, o);
		buf_printf(b, ")");
		free(o);
	}
	{
		struct strlist fp = { 0 };

		report_file_profiles(t, &fp);
		for (size_t i = 0; i < fp.n; i++) {
			buf_printf(b, " · cloud profile from a file: ");
			esc(b, fp.v[i]);
		}
		strlist_release(&fp);
	}
	buf_printf(b, " · tenant %s", t->tenant_id ? "" : "not known");
	esc(b, t->tenant_id);
	if (t->hosts != NULL && t->hosts->n > 0) {
		buf_printf(b, " · hosts ");
		for (size_t i = 0; i < t->hosts->n; i++) {
			buf_printf(b, "%s", i ? ", " : "");
			esc(b, t->hosts->v[i]);
		}
	}
	buf_printf(b, "</p></header>\n");
	html_verdict(b, t, f);
	html_problems(b, t, f, h);
	if (t->diff != NULL)
		html_diff(b, t, h);
	html_steps(b, t, f, h);
	html_trust(b, t, f, h);
	html_details(b, t, f, h);
	html_not_checked(b, t, f, h);
}

void
report_html(struct buf *b, const struct report_target *t,
    const struct findings *f)
{
	struct buf title;

	buf_init(&title, (size_t)-1);
	buf_printf(&title, "hybridcheck %s%s%s — %s", t->command ? t->command : "",
	    t->domain ? " " : "", t->domain ? t->domain : "",
	    report_verdict(report_exit_code(t, f)));
	report_html_begin(b, title.data);
	buf_printf(b, "<main>\n");
	report_html_body(b, t, f, 1);
	buf_printf(b, "</main>\n");
	report_html_end(b);
	buf_release(&title);
}
