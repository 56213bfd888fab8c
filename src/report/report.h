/* Reporters: the same findings as text, JSON or JUnit XML. */
#ifndef HC_REPORT_H
#define HC_REPORT_H

#include <stdio.h>

#include "findings.h"
#include "mem.h"
#include "buf.h"

struct diff;	/* baseline.h */
struct cJSON;

enum report_format {
	FMT_TEXT,
	FMT_JSON,
	FMT_JUNIT,
};

/* What the run was about; every field may be NULL. */
struct report_target {
	const char	*command;	/* preflight, verify, cert, … */
	const char	*domain;
	const char	*cloud;
	const char	*tenant_id;
	const struct strlist *hosts;
	const struct diff *diff;	/* verify: the comparison with a baseline */
	/* What a command shows besides the findings (cert facts, SPN matrix). */
	const struct buf *preamble;	/* text: printed before the findings */
	const struct cJSON *extra;	/* JSON: members added at the top level */
};

/*
 * The exit code of a run: the findings' worst severity, and 2 when the
 * comparison with a baseline found a regression.
 */
int	report_exit_code(const struct report_target *t, const struct findings *f);
/* The verdict line's text for that code (regressions named). */
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

/* The one-line verdict that ends a text report. */
const char *report_verdict(int exit_code);

#endif
