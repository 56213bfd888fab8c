/* Small string tests, and cleaning text from the network. */
#ifndef HC_STR_H
#define HC_STR_H

#include <stddef.h>

int	str_caseeq(const char *a, const char *b);
int	str_has_suffix_ci(const char *s, const char *suffix);
/* Whether needle occurs in s (NULL: no), ignoring case. */
int	str_contains_ci(const char *s, const char *needle);
void	str_lower(char *s);
/* 8-4-4-4-12 hex digits, exactly len characters (not NUL-terminated). */
int	str_is_guid(const char *s, size_t len);

/*
 * A copy of s that is valid UTF-8 with no control characters: invalid
 * bytes and U+FFFE/U+FFFF become U+FFFD, controls (C0, DEL, C1) '?', and
 * bidirectional overrides and isolates (U+202A-202E, U+2066-2069) their
 * name ("[U+202E]"), so nothing reorders what is shown. Network data passes
 * through this before it reaches a terminal or a report. Caller frees.
 */
char	*str_clean_text(const char *s);

#endif
