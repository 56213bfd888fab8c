/*
 * hybridcheck explain: messages administrators paste (Test-OAuthConnectivity,
 * x-ms-diagnostics, AADSTS, HCW, Outlook on the web free/busy codes), each
 * recognised by a row of a table that is data (explain_table.c) and says
 * where its meaning comes from. What no row matches is unknown: nothing is
 * guessed.
 */
#ifndef HC_EXPLAIN_H
#define HC_EXPLAIN_H

#include <stddef.h>

#include "buf.h"
#include "mem.h"

struct explain_entry {
	const char	*id;		/* stable: "toc.no-issuer-configured" */
	const char	*kind;		/* test-oauthconnectivity, tls, acs, x-ms-diagnostics, owa-freebusy, aadsts, hcw */
	const char	*pattern;	/* POSIX extended regex, any case; group 1, if any, is shown as the detail */
	const char	*title;		/* what the message is, one line */
	const char	*means;		/* what it means, plainly */
	const char	*checks;	/* check ids to run, space-separated; "" when none judges it */
	const char	*remedies;	/* remedy ids, space-separated; "" when none */
	const char	*by_hand;	/* what to do that no remedy does, or NULL */
	const char	*source;	/* where the meaning comes from */
	const char	*sample;	/* a real sample, under tests/data/real/ (see SOURCES.md) */
};

extern const struct explain_entry explain_table[];	/* ends with a NULL id */

/* One recognised message. */
struct explain_hit {
	const struct explain_entry *e;
	size_t		 line;		/* where it starts, from 1 */
	char		*text;		/* that line, trimmed and cleaned */
	char		*detail;	/* group 1, whitespace folded, or NULL */
};

struct explain_result {
	struct explain_hit	*v;	/* in the order they appear in the input */
	size_t			 n;
};

/*
 * Explains text (UTF-8 or UTF-16 as PowerShell writes it): every entry
 * that matches, once, at its first occurrence. -1 with e set when an
 * entry's pattern does not compile (a defect of the table).
 */
int	explain_text(const char *text, size_t len, struct explain_result *r,
	    struct hcerr *e);
void	explain_release(struct explain_result *r);

#endif
