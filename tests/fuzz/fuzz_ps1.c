/*
 * Fuzzes PowerShell value safety. Whatever the bytes, a quoted value must
 * be ASCII and read back, the way PowerShell reads the string or the
 * [char] concatenation, as exactly the bytes given; a comment line must be
 * ASCII without a line break; a value a validator accepts must quote; a
 * step holding a refused value must leave nothing of itself but comments.
 *
 * The first byte picks the validator; the rest is the value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ps1.h"
#include "../ps1_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Reads q as PowerShell would (tests/ps1_read.h): printable ASCII, one
 * verbatim string or a concatenation with [char] casts. Aborts unless q is
 * exactly one such value and it evaluates to v.
 */
static void
check_quoted(const char *q, const char *v, size_t vlen)
{
	size_t glen;
	unsigned char *got = ps1_read_value(q, &glen);

	if (got == NULL)
		abort();	/* not one ASCII value */
	if (glen != vlen || memcmp(got, v, vlen) != 0)
		abort();	/* the value changed */
	free(got);
}

static int
validate(unsigned kind, const char *s, struct hcerr *e)
{
	switch (kind % 10) {
	case 0: return ps1_valid_dnsname(s, e);
	case 1: return ps1_valid_authority(s, e);
	case 2: return ps1_valid_guid(s, e);
	case 3: return ps1_valid_thumbprint(s, e);
	case 4: return ps1_valid_url(s, NULL, e);
	case 5: return ps1_valid_base64(s, e);
	case 6: return ps1_valid_word(s, e);
	case 7: return ps1_valid_email(s, e);
	case 8: return ps1_valid_spn(s, e);
	default: return ps1_valid_text(s, e);
	}
}

/* A URL allowed by a host list must be a URL with no list at all. */
static void
check_url_list(const char *s)
{
	struct strlist allowed = { 0 };
	struct hcerr e;

	strlist_add(&allowed, "*.microsoftonline.com");
	strlist_add(&allowed, "accounts.accesscontrol.windows.net");
	if (ps1_valid_url(s, &allowed, &e) == 0 && ps1_valid_url(s, NULL, &e) != 0)
		abort();
	strlist_release(&allowed);
}

static void
add_value(struct ps1 *p, unsigned kind, const char *s)
{
	switch (kind % 10) {
	case 0: ps1_add_dnsname(p, "the name", s); break;
	case 1: ps1_add_authority(p, "the authority", s); break;
	case 2: ps1_add_guid(p, "the id", s); break;
	case 3: ps1_add_thumbprint(p, "the thumbprint", s); break;
	case 4: ps1_add_url(p, "the url", s, NULL); break;
	case 5: ps1_add_base64(p, "the certificate", s); break;
	case 6: ps1_add_word(p, "the environment", s); break;
	case 7: ps1_add_email(p, "the address", s); break;
	case 8: ps1_add_spn(p, "the spn", s); break;
	default: ps1_add_text(p, "the name", s); break;
	}
}

static size_t
count_char(const char *s, size_t len, char c)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == c;
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hcerr e;
	struct ps1 p;
	unsigned kind;
	const char *v;
	size_t vlen;
	char *s, *q, *c;
	int valid;

	if (size == 0)
		return 0;
	kind = data[0];
	v = (const char *)data + 1;
	vlen = size - 1;

	/* The raw bytes, NULs and all. */
	if ((q = ps1_quote_mem(v, vlen, &e)) != NULL) {
		check_quoted(q, v, vlen);
		free(q);
	}

	/* As a C string: validators, quoting, comments, a step. */
	if ((s = malloc(vlen + 1)) == NULL)
		abort();
	memcpy(s, v, vlen);
	s[vlen] = '\0';
	valid = validate(kind, s, &e) == 0;
	q = ps1_quote(s, &e);
	if (valid && q == NULL)
		abort();	/* a validated value must be quotable */
	if (q != NULL)
		check_quoted(q, s, strlen(s));
	free(q);
	check_url_list(s);

	c = ps1_comment_text(s);
	if (strchr(c, '\n') != NULL || strchr(c, '\r') != NULL ||
	    !ps1_is_ascii(c, strlen(c), NULL))
		abort();
	free(c);

	ps1_init(&p);
	ps1_step_begin(&p, PS1_ONPREM, s);	/* the title is outside text too */
	ps1_code(&p, "Set-Thing -Value ");
	add_value(&p, kind, s);
	ps1_code(&p, "\n");
	if (ps1_step_end(&p) == 0) {
		const struct buf *b = &p.sec[PS1_ONPREM];

		/* One command line and a blank line, nothing more. */
		if (count_char(b->data, b->len, '\n') != 2)
			abort();
		if (!valid)
			abort();	/* kept although its validator refused it */
	} else {
		const struct buf *b = &p.sec[PS1_ONPREM];
		const char *line = b->data, *end = b->data + b->len;

		/* A dropped step leaves comments only. */
		while (line < end) {
			const char *nl = memchr(line, '\n', (size_t)(end - line));

			if (nl == NULL)
				abort();
			if (nl != line && *line != '#')
				abort();
			line = nl + 1;
		}
		if (p.dropped.n != 1 || valid)
			abort();	/* dropped although the value is valid */
	}
	ps1_release(&p);
	free(s);
	return 0;
}
