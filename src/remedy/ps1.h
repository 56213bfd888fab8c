/*
 * PowerShell value safety and the script builder.
 *
 * Nothing the tool learned from outside (a snapshot, a certificate, a
 * server's answer, the command line) reaches a script as code. Values go
 * through a validator for their kind and then ps1_quote(), which writes a
 * single-quoted string with every quote doubled. Code text comes only from
 * string literals in our sources (ps1_code() takes no format), so a value
 * cannot become a command.
 *
 * A script is pure ASCII (after its UTF-8 byte-order mark): Windows
 * PowerShell 5.1 reads a file without a BOM in the machine's ANSI code
 * page, where the UTF-8 bytes of an ordinary letter can decode to U+2018..
 * U+201B, which PowerShell takes for single quotes. So a character outside
 * ASCII in a value is written as an expression, ('a' + [char]0x00D1), and
 * in a comment as `u{00D1} (docs/security.md).
 */
#ifndef HC_PS1_H
#define HC_PS1_H

#include <stddef.h>

#include "mem.h"
#include "buf.h"

/* The UTF-8 byte-order mark every script starts with. */
#define PS1_BOM		"\xef\xbb\xbf"

/* The longest value accepted: a base64 certificate fits many times over. */
#define PS1_VALUE_MAX	65536
/* The longest free-text value (object names). */
#define PS1_TEXT_MAX	256

/* Validators: 0 when s is a well-formed value of the kind, else -1, e set. */
int	ps1_valid_dnsname(const char *s, struct hcerr *e);
/* A host authority: a DNS name, or "*." and a DNS name of two labels or more. */
int	ps1_valid_authority(const char *s, struct hcerr *e);
int	ps1_valid_guid(const char *s, struct hcerr *e);
/* 40 hexadecimal digits, nothing else (normalise before). */
int	ps1_valid_thumbprint(const char *s, struct hcerr *e);
/*
 * An https URL whose host is a DNS name listed in allowed (exact, or
 * "*.suffix" for any name under suffix); allowed NULL accepts any valid
 * host. No quotes, whitespace, controls or non-ASCII anywhere.
 */
int	ps1_valid_url(const char *s, const struct strlist *allowed,
	    struct hcerr *e);
int	ps1_valid_base64(const char *s, struct hcerr *e);
/* An environment word such as O365China or USGovernmentL4: letters and digits. */
int	ps1_valid_word(const char *s, struct hcerr *e);
int	ps1_valid_email(const char *s, struct hcerr *e);
/*
 * A service principal name as Entra holds host authorities:
 * "<app GUID>/<authority>" or "https://<host>/".
 */
int	ps1_valid_spn(const char *s, struct hcerr *e);
/* Free text (an object's name): valid UTF-8, no controls, PS1_TEXT_MAX bytes. */
int	ps1_valid_text(const char *s, struct hcerr *e);

/*
 * s as a PowerShell value in ASCII: a single-quoted string with quotes
 * doubled ('o''brien'), or, when s holds characters outside ASCII, a
 * parenthesised concatenation of such strings and [char]0xXXXX casts (two
 * for a character beyond U+FFFF, its UTF-16 halves) that evaluates to s:
 * ('Conector ESPA' + [char]0x00D1 + 'A'). Usable wherever an expression
 * is: an argument, an array element, a hashtable value, an assignment.
 * Rejects (NULL, e set) invalid UTF-8, NUL-free strings over PS1_VALUE_MAX,
 * and control characters (C0 including CR and LF, DEL, C1, U+2028/U+2029).
 * Caller frees.
 */
char	*ps1_quote(const char *s, struct hcerr *e);
/* The same for len bytes, which may hold a NUL: a NUL is refused too. */
char	*ps1_quote_mem(const char *s, size_t len, struct hcerr *e);

/*
 * One line of comment text in printable ASCII, unambiguous: a backtick is
 * written ``, a character that is not printable ASCII (outside ASCII, a
 * control, a line separator) `u{XXXX} (PowerShell's own escape, hex code
 * point), a byte that is not UTF-8 `x{XX}. So it cannot end the comment
 * and no code page reads it differently. Caller frees.
 */
char	*ps1_comment_text(const char *s);

/* Whether len bytes of s are ASCII without NUL; else *at = first offender. */
int	ps1_is_ascii(const char *s, size_t len, size_t *at);

/* Where a step runs; the script has one section for each, in this order. */
enum ps1_section {
	PS1_MANUAL,		/* comments only: what no script can do */
	PS1_ONPREM,		/* Exchange Management Shell on-premises */
	PS1_GRAPH,		/* Microsoft Graph PowerShell */
	PS1_EXO,		/* Exchange Online PowerShell */
	PS1_VERIFY_ONPREM,	/* verification, Exchange Management Shell */
	PS1_VERIFY_EXO,		/* verification, Exchange Online PowerShell */
	PS1_NSECTIONS,
};

struct ps1 {
	struct buf	 sec[PS1_NSECTIONS];
	size_t		 nsteps[PS1_NSECTIONS];
	struct buf	 step;		/* the step being built */
	int		 in_step;
	enum ps1_section step_sec;
	char		*step_title;
	char		*step_fail;	/* first rejected value, NULL if none */
	struct strlist	 dropped;	/* "title: why" for each dropped step */
	struct strlist	 scopes;	/* Microsoft Graph scopes the steps need */
};

void	ps1_init(struct ps1 *p);
void	ps1_release(struct ps1 *p);

/* Starts a step; title is one line saying what it does. */
void	ps1_step_begin(struct ps1 *p, enum ps1_section sec, const char *title);
/*
 * Ends it: a step with no rejected value joins its section; otherwise the
 * step's code is discarded, a comment says which value was refused and
 * why, and the reason is kept in p->dropped. Returns 0 or -1 (dropped).
 */
int	ps1_step_end(struct ps1 *p);

/* A comment line (the text is cleaned: one line, no controls). */
void	ps1_comment(struct ps1 *p, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Code written by us, verbatim. Never pass anything that came from outside. */
void	ps1_code(struct ps1 *p, const char *code);

/*
 * Typed values: validate, then append quoted. A value that fails marks the
 * step as dropped (what names it in the reason); nothing of it is written.
 */
void	ps1_add_dnsname(struct ps1 *p, const char *what, const char *v);
void	ps1_add_authority(struct ps1 *p, const char *what, const char *v);
void	ps1_add_guid(struct ps1 *p, const char *what, const char *v);
void	ps1_add_thumbprint(struct ps1 *p, const char *what, const char *v);
void	ps1_add_url(struct ps1 *p, const char *what, const char *v,
	    const struct strlist *allowed);
void	ps1_add_base64(struct ps1 *p, const char *what, const char *v);
void	ps1_add_word(struct ps1 *p, const char *what, const char *v);
/* A whole number from 1 to max, as a bare literal; outside, refused like any invalid value. */
void	ps1_add_count(struct ps1 *p, const char *what, long v, long max);
void	ps1_add_email(struct ps1 *p, const char *what, const char *v);
void	ps1_add_spn(struct ps1 *p, const char *what, const char *v);
void	ps1_add_text(struct ps1 *p, const char *what, const char *v);

/* Records a Microsoft Graph permission scope a step needs (once). */
void	ps1_need_scope(struct ps1 *p, const char *scope);

/* Whether any step (not verification) was added to a section. */
int	ps1_has_changes(const struct ps1 *p);

#endif
