/* The catalogue of checks: one static table, run in order. */
#ifndef HC_CHECKS_H
#define HC_CHECKS_H

#include <stdio.h>

#include "context.h"
#include "findings.h"

struct check {
	const char	*id;	/* stable: "spn.coverage"; docs/checks/<id>.md */
	const char	*title;
	unsigned	 needs;	/* enum input bits, all required */
	void		(*run)(const struct context *ctx, struct findings *out);
};

extern const struct check checks[];	/* ends with a NULL id */

const struct check *checks_find(const char *id);
/* Whether id starts with one of the prefixes (NULL prefixes: all ids). */
int	checks_selected(const char *id, const char *const *prefixes);

/*
 * Runs every check whose id starts with one of prefixes (NULL: all).
 * A check whose inputs are missing adds one skip finding naming them; a
 * check that runs but adds nothing adds one pass.
 */
void	checks_run(const struct context *ctx, const char *const *prefixes,
	    struct findings *out);

/* Writes the missing inputs of needs as "--cert FILE, --snapshot FILE". */
void	checks_missing_text(unsigned missing, char *buf, size_t len);

#endif
