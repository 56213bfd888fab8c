/*
 * Thumbprints as administrators paste them: from the Windows certificate
 * dialog (with its invisible left-to-right mark), from PowerShell, with
 * spaces, colons or dashes. Text only; the certificate itself is cert.c's.
 */
#include "cert.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "str.h"
#include "buf.h"

/* Length of an invisible format character at p (UTF-8), or 0. */
static size_t
invisible(const unsigned char *p)
{
	if (p[0] == 0xc2 && p[1] == 0xad)			/* soft hyphen */
		return 2;
	if (p[0] == 0xe2 && p[1] == 0x80 &&
	    ((p[2] >= 0x8b && p[2] <= 0x8f) ||			/* U+200B–200F */
	    (p[2] >= 0xaa && p[2] <= 0xae)))			/* U+202A–202E */
		return 3;
	if (p[0] == 0xe2 && p[1] == 0x81 &&
	    ((p[2] >= 0xa0 && p[2] <= 0xa4) ||			/* U+2060–2064 */
	    (p[2] >= 0xa6 && p[2] <= 0xa9)))			/* U+2066–2069 */
		return 3;
	if (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)	/* U+FEFF */
		return 3;
	return 0;
}

/* Length of a separator at p: ASCII blanks, ':' '-', NBSP and other spaces. */
static size_t
separator(const unsigned char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == ':' ||
	    *p == '-')
		return 1;
	if (p[0] == 0xc2 && p[1] == 0xa0)			/* no-break space */
		return 2;
	if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0x80 && p[2] <= 0x8a)
		return 3;					/* U+2000–200A */
	if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x90 || p[2] == 0x91 ||
	    p[2] == 0x93 || p[2] == 0xaf))
		return 3;					/* hyphens, U+202F */
	return 0;
}

int
cert_thumbprint_normalize(const char *in, char *out, unsigned *changed,
    struct hcerr *e)
{
	const unsigned char *p = (const unsigned char *)in;
	unsigned ch = 0;
	size_t n = 0, k;
	char *shown;

	if (changed != NULL)
		*changed = 0;
	out[0] = '\0';
	for (; *p; ) {
		if ((k = invisible(p)) > 0) {
			ch |= CERT_TP_INVISIBLE;
			p += k;
		} else if ((k = separator(p)) > 0) {
			ch |= CERT_TP_SEPARATORS;
			p += k;
		} else if (*p == '"' || *p == '\'') {
			ch |= CERT_TP_QUOTES;
			p++;
		} else if (isxdigit(*p)) {
			if (n < CERT_THUMBPRINT_LEN)
				out[n] = (char)toupper(*p);
			if (islower(*p))
				ch |= CERT_TP_CASE;
			n++;
			p++;
		} else {
			shown = str_clean_text(in);
			if (*p >= 0x20 && *p < 0x7f)
				hcerr_set(e, "thumbprint '%s': '%c' is not a hex "
				    "digit", shown, *p);
			else if (*p < 0x80)
				hcerr_set(e, "thumbprint '%s': control character "
				    "(byte 0x%02x) is not a hex digit", shown, *p);
			else
				hcerr_set(e, "thumbprint '%s': non-ASCII "
				    "character (byte 0x%02x) is not a hex digit",
				    shown, *p);
			free(shown);
			out[0] = '\0';
			return -1;
		}
	}
	if (n != CERT_THUMBPRINT_LEN) {
		shown = str_clean_text(in);
		hcerr_set(e, "thumbprint '%s' has %zu hex digits, expected %d "
		    "(the SHA-1 that Get-AuthConfig shows)%s", shown, n,
		    CERT_THUMBPRINT_LEN, n == CERT_SHA256_LEN ?
		    "; this looks like a SHA-256" : "");
		free(shown);
		out[0] = '\0';
		return -1;
	}
	out[n] = '\0';
	if (changed != NULL)
		*changed = ch;
	return 0;
}

void
cert_thumbprint_changes(unsigned changed, char *buf, size_t len)
{
	static const struct {
		unsigned	 bit;
		const char	*text;
	} words[] = {
		{ CERT_TP_INVISIBLE, "removed invisible marks (such as U+200E)" },
		{ CERT_TP_SEPARATORS, "removed spaces, colons or dashes" },
		{ CERT_TP_QUOTES, "removed quotes" },
		{ CERT_TP_CASE, "upper-cased" },
	};
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		int n;

		if (!(changed & words[i].bit))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
		    words[i].text);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

char *
cert_thumbprint_show(const char *in)
{
	const unsigned char *p = (const unsigned char *)in;
	struct buf b;
	char *clean;

	buf_init(&b, (size_t)-1);
	buf_append(&b, "", 0);
	while (*p) {
		size_t k = invisible(p);

		if (k > 0) {
			unsigned long cp = k == 2 ? (unsigned long)((p[0] & 0x1f) << 6 | (p[1] & 0x3f)) :
			    (unsigned long)((p[0] & 0x0f) << 12 | (p[1] & 0x3f) << 6 | (p[2] & 0x3f));

			buf_printf(&b, "<U+%04lX>", cp);
			p += k;
		} else
			buf_append(&b, p++, 1);
	}
	clean = str_clean_text(b.data);
	buf_release(&b);
	return clean;
}

int
cert_thumbprint_eq(const char *a, const char *b)
{
	char na[CERT_THUMBPRINT_LEN + 1], nb[CERT_THUMBPRINT_LEN + 1];

	if (a == NULL || b == NULL ||
	    cert_thumbprint_normalize(a, na, NULL, NULL) == -1 ||
	    cert_thumbprint_normalize(b, nb, NULL, NULL) == -1)
		return 0;
	return strcmp(na, nb) == 0;
}
