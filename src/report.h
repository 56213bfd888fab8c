/* Reporters: the same findings as text, JSON or JUnit XML. */
#ifndef HC_REPORT_H
#define HC_REPORT_H

#include <stdio.h>

#include "findings.h"
#include "options.h"
#include "util.h"

/* What the run was about; every field may be NULL. */
struct report_target {
	const char	*command;	/* preflight, verify, cert, … */
	const char	*domain;
	const char	*cloud;
	const char	*tenant_id;
	const struct strlist *hosts;
};

/*
 * Renders findings into b (capped only by memory). color applies to text.
 * Run metadata (version, time) stays outside the findings so that reports
 * of unchanged configurations compare equal.
 */
void	report_text(struct buf *b, const struct report_target *t,
	    const struct findings *f, int color);
void	report_json(struct buf *b, const struct report_target *t,
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

/* Whether to colour text on out: a terminal, NO_COLOR unset, not disabled. */
int	report_want_color(FILE *out, int no_color);

/* The one-line verdict that ends a text report. */
const char *report_verdict(int exit_code);

#endif
