/*
 * The trust as a drawing: the parts of a hybrid OAuth trust (servers,
 * Auth certificate, AuthServers, the Entra application, Exchange Online,
 * both connectors and the endpoints they reach) and the edges between
 * them, each judged by the checks listed for it. The HTML report draws it
 * as inline SVG with a table that says the same in words.
 */
#ifndef HC_REPORT_TRUST_H
#define HC_REPORT_TRUST_H

#include "buf.h"
#include "findings.h"
#include "report.h"

#define TRUST_EDGE_CHECKS	8

struct trust_node {
	const char	*id;
	const char	*title;
	int		 x, y, w, h;	/* in the drawing's 1140 x 640 units */
};

struct trust_edge {
	const char	*id;
	const char	*from, *to;	/* node ids */
	const char	*says;		/* what the edge stands for, one line */
	const char	*checks[TRUST_EDGE_CHECKS];	/* judging it; NULL-terminated */
};

extern const struct trust_node trust_nodes[];	/* end with a NULL id */
extern const struct trust_edge trust_edges[];
/* Checks no edge stands for (a token is not a part of the trust); NULL-terminated. */
extern const char *const trust_undrawn[];

/* An edge's state: what its checks concluded. */
enum trust_state {
	TRUST_UNCHECKED,	/* none of its checks ran */
	TRUST_OK,		/* pass or information */
	TRUST_WARN,
	TRUST_FAIL,
	TRUST_ERROR,		/* a check could not complete */
};

const char	*trust_state_name(enum trust_state s);	/* "ok", "not-checked", … */
const char	*trust_state_text(enum trust_state s);	/* "✓ ok", "– not checked", … */
enum trust_state trust_edge_state(const struct trust_edge *e,
		    const struct findings *f);

/*
 * The drawing: an <svg> with a title and a description, one group per
 * node and per edge (data-edge, data-status, data-checks), each edge
 * labelled in words and styled by line pattern as well as colour. Names
 * come from the snapshot and the target when known. ids prefixed.
 */
void	trust_svg(struct buf *b, const struct report_target *t,
	    const struct findings *f, const char *prefix);

#endif
