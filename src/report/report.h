/* Reporters: the same findings as text, JSON, JUnit XML or HTML. */
#ifndef HC_REPORT_H
#define HC_REPORT_H

#include <stdio.h>

#include "findings.h"
#include "mem.h"
#include "buf.h"
#include "cloud.h"

struct diff;	/* baseline.h */
struct snapshot;	/* snapshot.h */
struct cJSON;

enum report_format {
	FMT_TEXT,
	FMT_JSON,
	FMT_JUNIT,
	FMT_HTML,
};

/* How much the text report shows: -q, the default, -v. */
enum report_detail {
	DETAIL_QUIET = -1,	/* the verdict and the problems */
	DETAIL_NORMAL = 0,	/* also next steps, evidence of problems, passes by check */
	DETAIL_VERBOSE = 1,	/* everything: network evidence, every pass, every skip */
};

/*
 * Checks that did not run for one reason, and what would run them. The
 * hints name only options the running command accepts.
 */
struct coverage_gap {
	char		*what;		/* "configuration", "live probes" */
	char		*how;		/* "give --snapshot FILE"; NULL: not with this command */
	char		*elsewhere;	/* the command that runs them, when this one cannot */
	int		 outside;	/* only another command runs these: not counted */
	struct strlist	 checks;	/* their ids, in catalogue order */
};

/* What the run covered: checked N of M, and the gaps. */
struct report_coverage {
	size_t			 total;		/* checks this command can run */
	size_t			 checked;	/* ran and concluded something */
	size_t			 incomplete;	/* ran, but learned nothing (only errors) */
	struct coverage_gap	*gaps;
	size_t			 ngaps;
};

void	report_coverage_release(struct report_coverage *c);
/* The gap for what (created when new); the caller fills how and checks. */
struct coverage_gap *report_coverage_gap(struct report_coverage *c,
	    const char *what);

/* What the run was about; every field may be NULL. */
struct report_target {
	const char	*command;	/* preflight, verify, cert, … */
	const char	*domain;
	const char	*cloud;
	/*
	 * The run's cloud profile and every profile loaded, so the report
	 * says where each came from (built-in, or a file and its SHA-256).
	 */
	const struct cloud	*cloud_profile;
	const struct cloud_set	*clouds;
	const char	*tenant_id;
	const struct strlist *hosts;
	const struct diff *diff;	/* verify: the comparison with a baseline */
	/* What a command shows besides the findings (cert facts, SPN matrix). */
	const struct buf *preamble;	/* text: printed before the details */
	const struct cJSON *extra;	/* JSON: members added at the top level */
	const struct report_coverage *coverage;	/* NULL: not known */
	const char	*remediate;	/* the command line that writes the script */
	const char	*script;	/* the script this run wrote (--ps1) */
	const char	*script_error;	/* why --ps1 could not be written */
	const struct snapshot *snapshot;	/* HTML: the drawing's names */
	enum report_detail detail;	/* text: -q, default, -v */
	const char	*id_prefix;	/* HTML: element ids ("" or "org3-") */
};

/*
 * The exit code of a run: the findings' (findings_exit_code), 2 when the
 * comparison with a baseline found a regression, and at least 3 when a
 * problem of the baseline could not be verified (exit_status_worse).
 */
/*
 * The profiles loaded from files (--endpoints), one "NAME: FILE (sha256
 * HEX)" each, into out; the run's own cloud profile is named apart.
 */
void	report_file_profiles(const struct report_target *t, struct strlist *out);

int	report_exit_code(const struct report_target *t, const struct findings *f);
/*
 * The verdict line: the code's word, what it counts ("3 failures, 2
 * warnings"), regressions and unverified baseline problems, checked N of
 * M, and the exit code.
 */
void	report_verdict_line(struct buf *b, const struct report_target *t,
	    const struct findings *f);

/*
 * Renders findings into b (capped only by memory). color applies to text.
 * Run metadata (version, time) stays outside the findings so that reports
 * of unchanged configurations compare equal.
 */
void	report_text(struct buf *b, const struct report_target *t,
	    const struct findings *f, int color);
void	report_json(struct buf *b, const struct report_target *t,
	    const struct findings *f);
/* The same JSON on one line (batch mode's JSON lines). */
void	report_json_line(struct buf *b, const struct report_target *t,
	    const struct findings *f);
void	report_junit(struct buf *b, const struct report_target *t,
	    const struct findings *f);
/* One self-contained HTML page: no external resource, no script. */
void	report_html(struct buf *b, const struct report_target *t,
	    const struct findings *f);
/*
 * The page in parts, for a page of several reports (batch): the head and
 * its style, one report's sections (h: its title's heading level; ids
 * prefixed with t->id_prefix), the end. report_html_escape() escapes text
 * for an element or a quoted attribute.
 */
void	report_html_begin(struct buf *b, const char *title);
void	report_html_body(struct buf *b, const struct report_target *t,
	    const struct findings *f, int h);
void	report_html_end(struct buf *b);
void	report_html_escape(struct buf *b, const char *s);

void	report_render(struct buf *b, enum report_format fmt,
	    const struct report_target *t, const struct findings *f, int color);

/*
 * Writes the report to path ("-" or NULL: out) atomically; 0 or -1 with e set.
 */
int	report_write(const char *path, FILE *out, enum report_format fmt,
	    const struct report_target *t, const struct findings *f,
	    int color, struct hcerr *e);

/*
 * Writes an already rendered report to path ("-" or NULL: out), a file
 * whole or not at all; 0 or -1 with e set.
 */
int	report_output(const char *path, FILE *out, const struct buf *b,
	    struct hcerr *e);

/* Whether to colour text on out: a terminal, and colour not turned off. */
int	report_want_color(FILE *out, int no_color);

/*
 * The worst severity among the findings of checks that ran: a skip is
 * what did not run, not a result, so it counts only when nothing ran.
 */
enum severity report_worst(const struct findings *f);

/* The verdict's first word for an exit code: "OK", "FAIL", … */
const char *report_verdict(int exit_code);

/*
 * The reading order every human report follows (report_plan.c): the
 * problems first, then the next steps grouped by where they run.
 */

/* A problem: warn, fail or error. */
int	report_is_problem(const struct finding *fd);

/*
 * When fd's request failed in transport (evidence "result") on a host
 * whose failure another finding already shows -- tls.certificate judging
 * that host, or an earlier finding with the same failure -- that
 * finding; else NULL. A folded finding is one line pointing there.
 */
const struct finding *report_fold_target(const struct findings *f,
	    const struct finding *fd);

/* A remedy the findings ask for, and the findings it answers. */
struct report_step {
	const char		 *remedy;	/* the id */
	const char		 *what;		/* the catalogue's line; NULL: unknown id */
	const struct finding	**fds;
	size_t			  n;
};

/* Where steps run, in the script's order; the last is "by hand". */
enum report_place {
	PLACE_ONPREM,
	PLACE_GRAPH,
	PLACE_EXO,
	PLACE_MANUAL,
	PLACE_COUNT,
};

struct report_steps {
	struct report_step	*v[PLACE_COUNT];
	size_t			 n[PLACE_COUNT];
	size_t			 total;
};

/* "on-premises, in the Exchange Management Shell", … */
const char *report_place_name(enum report_place p);
/* The steps the findings ask for (remedy_wanted), in catalogue order. */
void	report_steps(const struct findings *f, struct report_steps *s);
void	report_steps_release(struct report_steps *s);

#endif
