/* Small shared helpers: capped buffers, string lists, errors, files, time. */
#ifndef HC_UTIL_H
#define HC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#define HC_ERRLEN 512

/* A boolean that may not have been collected. */
enum tristate {
	TRI_UNKNOWN = -1,
	TRI_FALSE = 0,
	TRI_TRUE = 1,
};

/* An error message, filled by the function that failed. */
struct hcerr {
	char msg[HC_ERRLEN];
};

void hcerr_set(struct hcerr *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A growing byte buffer that refuses to grow past max bytes. */
struct buf {
	char	*data;	/* always NUL-terminated when non-NULL */
	size_t	 len;
	size_t	 cap;
	size_t	 max;
};

void	buf_init(struct buf *b, size_t max);
int	buf_append(struct buf *b, const void *p, size_t n);	/* -1 past max */
int	buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void	buf_release(struct buf *b);
char	*buf_steal(struct buf *b);	/* caller frees; buffer is reset */

/* A list of owned strings. */
struct strlist {
	char	**v;
	size_t	  n;
};

void	strlist_add(struct strlist *l, const char *s);
void	strlist_add_owned(struct strlist *l, char *s);
int	strlist_contains_ci(const struct strlist *l, const char *s);
void	strlist_release(struct strlist *l);

/* Allocation that cannot fail: out of memory ends the program. */
void	*xmalloc(size_t n);
void	*xcalloc(size_t n, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *fmt, va_list ap);

/* Reads a whole file of at most max bytes; caller frees *out (NUL-terminated). */
int	util_read_file(const char *path, size_t max, char **out, size_t *len,
	    struct hcerr *e);
/* Writes path whole or not at all: a temporary file beside it, then rename. */
int	util_write_atomic(const char *path, const void *data, size_t len,
	    struct hcerr *e);

/* "2026-11-21T12:00:00Z"; buf must hold 21 bytes. */
void	util_iso8601(time_t t, char *buf, size_t len);
/* Parses ISO-8601 date-times (Z or offset, optional fraction); -1 if malformed. */
int	util_parse_iso8601(const char *s, time_t *out);

int	util_strcaseeq(const char *a, const char *b);
int	util_has_suffix_ci(const char *s, const char *suffix);
void	util_lower(char *s);
/* 8-4-4-4-12 hex digits, exactly len characters (not NUL-terminated). */
int	util_is_guid(const char *s, size_t len);
/* The 6-bit value of a base64 character, standard or URL alphabet; -1 if none. */
int	util_b64_value(int c);

/*
 * A copy of s that is valid UTF-8 with no control characters: invalid
 * bytes become U+FFFD and controls (C0, DEL, C1) '?'. Network data passes
 * through this before it reaches a terminal or a report. Caller frees.
 */
char	*util_clean_text(const char *s);

/*
 * Base64url without padding (x5t values): writes at most outlen - 1
 * characters and a NUL; returns -1 when out is too small for all of them.
 */
int	util_b64url(const unsigned char *p, size_t n, char *out, size_t outlen);

#endif
