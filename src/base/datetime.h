/* ISO-8601 instants. */
#ifndef HC_DATETIME_H
#define HC_DATETIME_H

#include <stddef.h>
#include <time.h>

/* "2026-11-21T12:00:00Z"; buf must hold 21 bytes. */
void	datetime_iso8601(time_t t, char *buf, size_t len);
/* Parses ISO-8601 date-times (Z or offset, optional fraction); -1 if malformed. */
int	datetime_parse_iso8601(const char *s, time_t *out);

#endif
