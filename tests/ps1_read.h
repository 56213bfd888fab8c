/*
 * A model of how PowerShell reads a value ps1_quote() wrote, for the unit
 * test and the fuzzer: the text must be printable ASCII and one of
 *
 *   'verbatim'                                  ('' inside is one ')
 *   ('verbatim' + [char]0xXXXX + 'verbatim' ...)  terms joined by " + ";
 *                                                the first a string, so
 *                                                + concatenates
 *
 * and evaluates (UTF-16 code units, pairs joined) to the UTF-8 bytes
 * returned. The quote characters U+2018..U+201B that PowerShell also takes
 * for quotes cannot occur: the text is ASCII.
 */
#ifndef HC_TEST_PS1_READ_H
#define HC_TEST_PS1_READ_H

#include <stdlib.h>
#include <string.h>

/* Appends code point cp as UTF-8. */
static inline void
ps1r_put(unsigned char *out, size_t *o, unsigned cp)
{
	if (cp < 0x80)
		out[(*o)++] = (unsigned char)cp;
	else if (cp < 0x800) {
		out[(*o)++] = (unsigned char)(0xc0 | cp >> 6);
		out[(*o)++] = (unsigned char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*o)++] = (unsigned char)(0xe0 | cp >> 12);
		out[(*o)++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*o)++] = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		out[(*o)++] = (unsigned char)(0xf0 | cp >> 18);
		out[(*o)++] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		out[(*o)++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*o)++] = (unsigned char)(0x80 | (cp & 0x3f));
	}
}

/* One verbatim string at *p: its characters appended; 0 if malformed. */
static inline int
ps1r_verbatim(const char **p, unsigned *units, size_t *nu)
{
	const char *s = *p;

	if (*s++ != '\'')
		return 0;
	for (;;) {
		if (*s == '\0')
			return 0;	/* never closed */
		if (*s == '\'') {
			if (s[1] != '\'')
				break;	/* the closing quote */
			units[(*nu)++] = '\'';
			s += 2;
			continue;
		}
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;	/* a control or a byte outside ASCII */
		units[(*nu)++] = (unsigned char)*s++;
	}
	*p = s + 1;
	return 1;
}

static inline int
ps1r_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Reads q whole as PowerShell would; returns the value (malloc'd UTF-8,
 * *len bytes), or NULL when q is not exactly one value of that form, holds
 * anything but printable ASCII, or leaves an unpaired surrogate.
 */
static inline unsigned char *
ps1_read_value(const char *q, size_t *len)
{
	size_t n = strlen(q), nu = 0, o = 0;
	unsigned *units = malloc((n + 1) * sizeof(*units));
	unsigned char *out = malloc(n * 4 + 1);
	const char *p = q;
	int paren = 0;

	if (units == NULL || out == NULL)
		abort();
	if (*p == '(') {
		paren = 1;
		p++;
	}
	if (!ps1r_verbatim(&p, units, &nu))
		goto bad;
	while (paren && strncmp(p, " + ", 3) == 0) {
		p += 3;
		if (*p == '\'') {
			if (!ps1r_verbatim(&p, units, &nu))
				goto bad;
		} else if (strncmp(p, "[char]0x", 8) == 0) {
			unsigned v = 0;

			for (int i = 8; i < 12; i++) {
				if (ps1r_hex(p[i]) < 0)
					goto bad;
				v = v << 4 | (unsigned)ps1r_hex(p[i]);
			}
			if (ps1r_hex(p[12]) >= 0)
				goto bad;	/* four digits, no more */
			units[nu++] = v;
			p += 12;
		} else
			goto bad;
	}
	if (paren && *p++ != ')')
		goto bad;
	if (*p != '\0')
		goto bad;		/* text after the value */
	for (size_t i = 0; i < nu; i++) {
		unsigned u = units[i];

		if (u >= 0xd800 && u <= 0xdbff && i + 1 < nu &&
		    units[i + 1] >= 0xdc00 && units[i + 1] <= 0xdfff) {
			u = 0x10000 + ((u - 0xd800) << 10) + (units[i + 1] - 0xdc00);
			i++;
		} else if (u >= 0xd800 && u <= 0xdfff)
			goto bad;
		ps1r_put(out, &o, u);
	}
	out[o] = '\0';
	*len = o;
	free(units);
	return out;
bad:
	free(units);
	free(out);
	return NULL;
}

#endif
