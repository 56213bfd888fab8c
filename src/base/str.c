/* Small string tests and cleaning. */
#include "str.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "mem.h"

int
str_caseeq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

int
str_contains_ci(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; s != NULL && *s; s++)
		if (strncasecmp(s, needle, n) == 0)
			return 1;
	return 0;
}

int
str_has_suffix_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int
str_is_guid(const char *s, size_t len)
{
	static const size_t dash[] = { 8, 13, 18, 23 };

	if (len != 36)
		return 0;
	for (size_t i = 0, d = 0; i < len; i++) {
		if (d < 4 && i == dash[d]) {
			if (s[i] != '-')
				return 0;
			d++;
		} else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

void
str_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Length of the valid UTF-8 sequence at p, or 0. */
static size_t
utf8_seq(const unsigned char *p)
{
	unsigned c = p[0];
	size_t n;
	unsigned min, cp;

	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		n = 2;
		min = 0x80;
		cp = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		min = 0x800;
		cp = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		min = 0x10000;
		cp = c & 0x07;
	} else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp >= 0x80 && cp < 0xa0)	/* C1 controls */
		return 0;
	return n;
}

char *
str_clean_text(const char *s)
{
	struct buf b;
	const unsigned char *p = (const unsigned char *)s;

	buf_init(&b, (size_t)-1);
	buf_append(&b, "", 0);
	while (*p) {
		size_t n = utf8_seq(p);

		if (n == 0) {
			buf_append(&b, "\xef\xbf\xbd", 3);
			p++;
		} else if (n == 1 && (*p < 0x20 || *p == 0x7f)) {
			buf_append(&b, "?", 1);
			p++;
		} else if (n == 3 && p[0] == 0xef && p[1] == 0xbf &&
		    (p[2] == 0xbe || p[2] == 0xbf)) {
			/* U+FFFE, U+FFFF: not characters (and not XML). */
			buf_append(&b, "\xef\xbf\xbd", 3);
			p += n;
		} else if (n == 3 && p[0] == 0xe2 && ((p[1] == 0x80 &&
		    p[2] >= 0xaa && p[2] <= 0xae) || (p[1] == 0x81 &&
		    p[2] >= 0xa6 && p[2] <= 0xa9))) {
			/*
			 * Bidirectional embeddings, overrides and isolates
			 * (U+202A-202E, U+2066-2069) reorder what a reader
			 * sees: shown by name, never applied.
			 */
			unsigned cp = ((unsigned)(p[0] & 0x0f) << 12) |
			    ((unsigned)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);

			buf_printf(&b, "[U+%04X]", cp);
			p += n;
		} else {
			buf_append(&b, p, n);
			p += n;
		}
	}
	return buf_steal(&b);
}
