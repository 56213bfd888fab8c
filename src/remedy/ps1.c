#include "ps1.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dnsname.h"
#include "str.h"
#include <stdio.h>

/*
 * Decodes one UTF-8 sequence at p into *cp; returns its length, or 0 when
 * the bytes are not valid UTF-8 (overlong, surrogate, out of range).
 */
static size_t
utf8_decode(const unsigned char *p, size_t avail, unsigned *cp)
{
	unsigned c = p[0], min, v;
	size_t n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 2;
		min = 0x80;
		v = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		min = 0x800;
		v = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		min = 0x10000;
		v = c & 0x07;
	} else
		return 0;
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* Characters that end a line or that no value of ours should carry. */
static int
is_control(unsigned cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
	    cp == 0x2028 || cp == 0x2029;
}

/* What PowerShell's tokenizer takes for a single quote. */
static int
is_single_quote(unsigned cp)
{
	return cp == 0x27 || (cp >= 0x2018 && cp <= 0x201b);
}

static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

static char *line_text(const char *s);

/* A short, printable rendering of a refused value for messages. */
static void
shown(const char *s, char *out, size_t len)
{
	char *clean = line_text(s);

	if (strlen(clean) > 60)
		snprintf(out, len, "%.60s...", clean);
	else
		snprintf(out, len, "%s", clean);
	free(clean);
}

int
ps1_valid_dnsname(const char *s, struct hcerr *e)
{
	char v[80];

	if (s == NULL || !dnsname_is_valid(s)) {
		shown(s ? s : "", v, sizeof(v));
		hcerr_set(e, "'%s' is not a DNS name", v);
		return -1;
	}
	return 0;
}

int
ps1_valid_authority(const char *s, struct hcerr *e)
{
	char v[80];

	if (s != NULL && strncmp(s, "*.", 2) == 0) {
		if (dnsname_is_valid(s + 2) && dnsname_labels(s + 2) >= 2)
			return 0;
		shown(s, v, sizeof(v));
		hcerr_set(e, "'%s' is not a host authority: a wildcard needs a "
		    "DNS name of two labels or more after '*.'", v);
		return -1;
	}
	return ps1_valid_dnsname(s, e);
}

int
ps1_valid_guid(const char *s, struct hcerr *e)
{
	char v[80];

	if (s != NULL && str_is_guid(s, strlen(s)))
		return 0;
	shown(s ? s : "", v, sizeof(v));
	hcerr_set(e, "'%s' is not a GUID (8-4-4-4-12 hexadecimal digits)", v);
	return -1;
}

int
ps1_valid_thumbprint(const char *s, struct hcerr *e)
{
	char v[80];
	size_t i;

	for (i = 0; s != NULL && s[i] != '\0' && i < 41; i++)
		if (!is_hex(s[i]))
			break;
	if (s != NULL && i == 40 && s[40] == '\0')
		return 0;
	shown(s ? s : "", v, sizeof(v));
	hcerr_set(e, "'%s' is not a certificate thumbprint (40 hexadecimal "
	    "digits)", v);
	return -1;
}

static int
host_allowed(const char *host, const struct strlist *allowed)
{
	if (allowed == NULL)
		return 1;
	for (size_t i = 0; i < allowed->n; i++) {
		const char *a = allowed->v[i];

		if (strncmp(a, "*.", 2) == 0) {
			if (str_has_suffix_ci(host, a + 1))
				return 1;
		} else if (str_caseeq(host, a))
			return 1;
	}
	return 0;
}

/* RFC 3986 characters after the authority, less the quote. */
static int
url_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("-._~/?#[]@!$&()*+,;=:%", c));
}

int
ps1_valid_url(const char *s, const struct strlist *allowed, struct hcerr *e)
{
	char v[80], host[DNSNAME_MAX + 2];
	const char *h, *p;
	size_t hl;

	shown(s ? s : "", v, sizeof(v));
	if (s == NULL || strncasecmp(s, "https://", 8) != 0) {
		hcerr_set(e, "'%s' is not an https URL", v);
		return -1;
	}
	if (strlen(s) > 2048) {
		hcerr_set(e, "'%s' is not a URL: longer than 2048 bytes", v);
		return -1;
	}
	h = s + 8;
	hl = strcspn(h, ":/?#");
	if (hl == 0 || hl >= sizeof(host)) {
		hcerr_set(e, "'%s' has no valid host", v);
		return -1;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (!dnsname_is_valid(host)) {
		hcerr_set(e, "'%s': the host is not a DNS name", v);
		return -1;
	}
	p = h + hl;
	if (*p == ':') {
		size_t digits = strspn(p + 1, "0123456789");

		if (digits == 0 || digits > 5) {
			hcerr_set(e, "'%s': the port is not a number", v);
			return -1;
		}
		p += 1 + digits;
	}
	if (*p != '\0' && *p != '/' && *p != '?' && *p != '#') {
		hcerr_set(e, "'%s': unexpected text after the host", v);
		return -1;
	}
	for (; *p; p++)
		if (!url_char(*p)) {
			hcerr_set(e, "'%s': character 0x%02x is not allowed in a "
			    "URL here", v, (unsigned char)*p);
			return -1;
		}
	if (!host_allowed(host, allowed)) {
		hcerr_set(e, "'%s': host '%s' is not one expected here", v, host);
		return -1;
	}
	return 0;
}

int
ps1_valid_base64(const char *s, struct hcerr *e)
{
	size_t n = s ? strlen(s) : 0, pad = 0;
	char v[80];

	if (n == 0 || n % 4 != 0 || n > PS1_VALUE_MAX)
		goto bad;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '=') {
			if (i < n - 2)
				goto bad;
			pad++;
		} else if (pad > 0 || !((c >= 'A' && c <= 'Z') ||
		    (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '+' || c == '/'))
			goto bad;
	}
	return 0;
bad:
	shown(s ? s : "", v, sizeof(v));
	hcerr_set(e, "'%s' is not base64", v);
	return -1;
}

int
ps1_valid_word(const char *s, struct hcerr *e)
{
	size_t n = 0;
	char v[80];

	for (; s != NULL && s[n] != '\0'; n++)
		if (!((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= '0' && s[n] <= '9')))
			break;
	if (s != NULL && n > 0 && n <= 64 && s[n] == '\0')
		return 0;
	shown(s ? s : "", v, sizeof(v));
	hcerr_set(e, "'%s' is not a single word of letters and digits", v);
	return -1;
}

int
ps1_valid_email(const char *s, struct hcerr *e)
{
	const char *at = s ? strrchr(s, '@') : NULL;
	char v[80];

	shown(s ? s : "", v, sizeof(v));
	if (at == NULL || at == s || at - s > 64) {
		hcerr_set(e, "'%s' is not an e-mail address", v);
		return -1;
	}
	for (const char *p = s; p < at; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr(".!#$%&'*+/=?^_{|}~-", *p))) {
			hcerr_set(e, "'%s' is not an e-mail address: character "
			    "0x%02x in the local part", v, (unsigned char)*p);
			return -1;
		}
	if (s[0] == '.' || at[-1] == '.' || strstr(s, "..") != NULL ||
	    !dnsname_is_valid(at + 1) || dnsname_labels(at + 1) < 2) {
		hcerr_set(e, "'%s' is not an e-mail address", v);
		return -1;
	}
	return 0;
}

int
ps1_valid_spn(const char *s, struct hcerr *e)
{
	char v[80];

	if (s != NULL && strncasecmp(s, "https://", 8) == 0) {
		size_t hl = strcspn(s + 8, "/");
		char *host;
		int ok;

		if (s[8 + hl] != '/' || s[9 + hl] != '\0')
			goto bad;
		host = xstrndup(s + 8, hl);
		ok = dnsname_is_valid(host);
		free(host);
		if (!ok)
			goto bad;
		return 0;
	}
	if (s != NULL && strlen(s) > 37 && s[36] == '/') {
		char guid[37];

		memcpy(guid, s, 36);
		guid[36] = '\0';
		if (ps1_valid_guid(guid, NULL) == 0 &&
		    ps1_valid_authority(s + 37, NULL) == 0)
			return 0;
	}
bad:
	shown(s ? s : "", v, sizeof(v));
	hcerr_set(e, "'%s' is not a host service principal name (expected "
	    "<app id>/<host>, <app id>/*.<domain> or https://<host>/)", v);
	return -1;
}

int
ps1_valid_text(const char *s, struct hcerr *e)
{
	struct hcerr why;
	char *q;

	if (s == NULL || *s == '\0' || strlen(s) > PS1_TEXT_MAX) {
		hcerr_set(e, "a name must have 1 to %d bytes", PS1_TEXT_MAX);
		return -1;
	}
	if ((q = ps1_quote(s, &why)) == NULL) {
		hcerr_set(e, "%s", why.msg);
		return -1;
	}
	free(q);
	/*
	 * Names go to -Identity, which takes wildcards: '*' would address
	 * every object of the kind (Get-AuthServer -Identity '*').
	 */
	if (strchr(s, '*') != NULL) {
		hcerr_set(e, "the name '%s' holds '*', a wildcard to -Identity "
		    "(it would address every object of its kind)", s);
		return -1;
	}
	return 0;
}

char *
ps1_quote(const char *s, struct hcerr *e)
{
	if (s == NULL) {
		hcerr_set(e, "no value");
		return NULL;
	}
	return ps1_quote_mem(s, strlen(s), e);
}

char *
ps1_quote_mem(const char *s, size_t len, struct hcerr *e)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	int in_string = 0, nonascii = 0;
	struct buf b;

	if (s == NULL) {
		hcerr_set(e, "no value");
		return NULL;
	}
	if (len > PS1_VALUE_MAX) {
		hcerr_set(e, "a value of %zu bytes is longer than %d", len,
		    PS1_VALUE_MAX);
		return NULL;
	}
	if (memchr(s, '\0', len) != NULL) {
		hcerr_set(e, "the value holds a NUL byte at offset %zu",
		    (size_t)((const char *)memchr(s, '\0', len) - s));
		return NULL;
	}
	buf_init(&b, (size_t)-1);
	buf_append(&b, "", 0);
	while (p < end) {
		unsigned cp;
		size_t n = utf8_decode(p, (size_t)(end - p), &cp);

		if (n == 0) {
			hcerr_set(e, "the value is not valid UTF-8 (byte 0x%02x at "
			    "offset %zu)", *p, (size_t)(p - (const unsigned char *)s));
			goto fail;
		}
		if (is_control(cp)) {
			hcerr_set(e, "the value holds control character U+%04X at "
			    "offset %zu", cp, (size_t)(p - (const unsigned char *)s));
			goto fail;
		}
		if (cp >= 0x80) {
			/*
			 * Outside ASCII: a [char] cast joined to the string, so
			 * the script stays ASCII whatever code page reads it.
			 * Beyond the BMP: the two UTF-16 halves, as .NET holds
			 * the string.
			 */
			if (!in_string && !nonascii)
				buf_append(&b, "''", 2);	/* a string comes first */
			if (in_string)
				buf_append(&b, "'", 1);
			in_string = 0;
			nonascii = 1;
			if (cp >= 0x10000) {
				unsigned v = cp - 0x10000;

				buf_printf(&b, " + [char]0x%04X + [char]0x%04X",
				    0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
			} else
				buf_printf(&b, " + [char]0x%04X", cp);
			p += n;
			continue;
		}
		if (!in_string) {
			buf_append(&b, nonascii ? " + '" : "'", nonascii ? 4 : 1);
			in_string = 1;
		}
		/* Doubling keeps the value: PowerShell reads a pair as one. */
		if (is_single_quote(cp))
			buf_append(&b, p, n);
		buf_append(&b, p, n);
		p += n;
	}
	if (!in_string && !nonascii)
		buf_append(&b, "'", 1);		/* the empty value: '' */
	if (in_string || !nonascii)
		buf_append(&b, "'", 1);
	if (nonascii) {
		char *expr = xasprintf("(%s)", b.data);

		buf_release(&b);
		return expr;
	}
	return buf_steal(&b);
fail:
	buf_release(&b);
	return NULL;
}

/* One line of UTF-8 for messages: controls and broken bytes become '?'. */
static char *
line_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	const unsigned char *end = p + strlen((const char *)p);
	struct buf b;

	buf_init(&b, (size_t)-1);
	buf_append(&b, "", 0);
	while (p < end) {
		unsigned cp;
		size_t n = utf8_decode(p, (size_t)(end - p), &cp);

		if (n == 0 || is_control(cp) || cp == 0xfeff) {
			buf_append(&b, "?", 1);
			p += n ? n : 1;
		} else if ((cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069)) {
			/* A bidi override would reorder the line: named instead. */
			buf_printf(&b, "[U+%04X]", cp);
			p += n;
		} else {
			buf_append(&b, p, n);
			p += n;
		}
	}
	return buf_steal(&b);
}

char *
ps1_comment_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	const unsigned char *end = p + strlen((const char *)p);
	struct buf b;

	buf_init(&b, (size_t)-1);
	buf_append(&b, "", 0);
	while (p < end) {
		unsigned cp;
		size_t n = utf8_decode(p, (size_t)(end - p), &cp);

		if (n == 0) {
			buf_printf(&b, "`x{%02X}", *p);
			p++;
		} else if (cp == '`') {
			buf_append(&b, "``", 2);
			p += n;
		} else if (cp < 0x20 || cp >= 0x7f) {
			buf_printf(&b, "`u{%04X}", cp);
			p += n;
		} else {
			buf_append(&b, p, n);
			p += n;
		}
	}
	return buf_steal(&b);
}

int
ps1_is_ascii(const char *s, size_t len, size_t *at)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == '\0') {
			if (at != NULL)
				*at = i;
			return 0;
		}
	return 1;
}

/* The builder. */

void
ps1_init(struct ps1 *p)
{
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < PS1_NSECTIONS; i++)
		buf_init(&p->sec[i], (size_t)-1);
	buf_init(&p->step, (size_t)-1);
}

void
ps1_release(struct ps1 *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < PS1_NSECTIONS; i++)
		buf_release(&p->sec[i]);
	buf_release(&p->step);
	free(p->step_title);
	free(p->step_fail);
	strlist_release(&p->dropped);
	strlist_release(&p->scopes);
	memset(p, 0, sizeof(*p));
}

void
ps1_step_begin(struct ps1 *p, enum ps1_section sec, const char *title)
{
	buf_release(&p->step);
	buf_init(&p->step, (size_t)-1);
	buf_append(&p->step, "", 0);
	free(p->step_title);
	free(p->step_fail);
	p->step_title = ps1_comment_text(title);
	p->step_fail = NULL;
	p->step_sec = sec;
	p->in_step = 1;
}

int
ps1_step_end(struct ps1 *p)
{
	struct buf *sec = &p->sec[p->step_sec];
	int rc = 0;

	if (!p->in_step)
		return -1;
	if (p->step_fail == NULL) {
		buf_append(sec, p->step.data, p->step.len);
		buf_append(sec, "\n", 1);
		p->nsteps[p->step_sec]++;
	} else {
		/* The reason was cleaned when recorded: one line, no controls. */
		buf_printf(sec, "# STEP DROPPED: %s\n# a value failed validation, "
		    "so nothing of this step is written: %s\n\n", p->step_title,
		    p->step_fail);
		strlist_add_owned(&p->dropped, xasprintf("%s: %s", p->step_title,
		    p->step_fail));
		rc = -1;
	}
	buf_release(&p->step);
	buf_init(&p->step, (size_t)-1);
	free(p->step_fail);
	p->step_fail = NULL;
	p->in_step = 0;
	return rc;
}

/* Where text goes: the step being built, or the section directly. */
static struct buf *
target(struct ps1 *p)
{
	return p->in_step ? &p->step : &p->sec[p->step_sec];
}

void
ps1_comment(struct ps1 *p, const char *fmt, ...)
{
	va_list ap;
	char *raw, *clean;

	va_start(ap, fmt);
	raw = xvasprintf(fmt, ap);
	va_end(ap);
	clean = ps1_comment_text(raw);
	buf_printf(target(p), "# %s\n", clean);
	free(raw);
	free(clean);
}

void
ps1_code(struct ps1 *p, const char *code)
{
	buf_append(target(p), code, strlen(code));
}

static void
fail(struct ps1 *p, const char *what, const char *why)
{
	if (p->step_fail == NULL) {
		char *raw = xasprintf("%s %s", what, why);

		p->step_fail = ps1_comment_text(raw);
		free(raw);
	}
}

/* Appends v quoted when valid (rc 0) and the step is still whole. */
static void
add_quoted(struct ps1 *p, const char *what, const char *v, int rc,
    const struct hcerr *why)
{
	struct hcerr qe;
	char *q;

	if (rc == -1) {
		fail(p, what, why->msg);
		return;
	}
	if ((q = ps1_quote(v, &qe)) == NULL) {
		fail(p, what, qe.msg);
		return;
	}
	buf_append(target(p), q, strlen(q));
	free(q);
}

/* Appends v quoted when valid(v) accepts it; the reason otherwise. */
static void
add_valid(struct ps1 *p, const char *what, const char *v,
    int (*valid)(const char *, struct hcerr *))
{
	struct hcerr e;

	add_quoted(p, what, v, valid(v, &e), &e);
}

void
ps1_add_dnsname(struct ps1 *p, const char *what, const char *v)
{
	add_valid(p, what, v, ps1_valid_dnsname);
}

void
ps1_add_authority(struct ps1 *p, const char *what, const char *v)
{
	add_valid(p, what, v, ps1_valid_authority);
}

void
ps1_add_guid(struct ps1 *p, const char *what, const char *v)
{
	add_valid(p, what, v, ps1_valid_guid);
}

void
ps1_add_thumbprint(struct ps1 *p, const char *what, const char *v)
{
	add_valid(p, what, v, ps1_valid_thumbprint);
}

void
ps1_add_url(struct ps1 *p, const char *what, const char *v,
    const struct strlist *allowed)
{
	struct hcerr e;

	add_quoted(p, what, v, ps1_valid_url(v, allowed, &e), &e);
}

void
ps1_add_base64(struct ps1 *p, const char *what, const char *v)
{
	add_valid(p, what, v, ps1_valid_base64);
}

void
ps1_add_word(struct ps1 *p, const char *what, const char *v)
{
	add_valid(p, what, v, ps1_valid_word);
}

/* A whole number in [1, max], written as a bare integer literal (no quoting needed). */
void
ps1_add_count(struct ps1 *p, const char *what, long v, long max)
{
	char num[24];

	snprintf(num, sizeof(num), "%ld", v);
	if (v < 1 || v > max) {
		add_valid(p, what, "", ps1_valid_word);	/* refused as out of range */
		return;
	}
	ps1_code(p, num);
}

void
ps1_add_email(struct ps1 *p, const char *what, const char *v)
{
	add_valid(p, what, v, ps1_valid_email);
}

void
ps1_add_spn(struct ps1 *p, const char *what, const char *v)
{
	add_valid(p, what, v, ps1_valid_spn);
}

void
ps1_add_text(struct ps1 *p, const char *what, const char *v)
{
	add_valid(p, what, v, ps1_valid_text);
}

void
ps1_need_scope(struct ps1 *p, const char *scope)
{
	if (!strlist_contains_ci(&p->scopes, scope))
		strlist_add(&p->scopes, scope);
}

int
ps1_has_changes(const struct ps1 *p)
{
	return p->nsteps[PS1_MANUAL] + p->nsteps[PS1_ONPREM] + p->nsteps[PS1_GRAPH] +
	    p->nsteps[PS1_EXO] > 0;
}
