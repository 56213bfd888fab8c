/* Capped growing buffers and lists of owned strings. */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mem.h"

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	size_t need;

	if (n > b->max || b->len > b->max - n)
		return -1;
	need = b->len + n + 1;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < need)
			cap = cap > SIZE_MAX / 2 ? need : cap * 2;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int rc;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	rc = buf_append(b, s, strlen(s));
	free(s);
	return rc;
}

void
buf_release(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *
buf_steal(struct buf *b)
{
	char *p = b->data ? b->data : xstrdup("");

	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
strlist_add(struct strlist *l, const char *s)
{
	strlist_add_owned(l, xstrdup(s));
}

void
strlist_add_owned(struct strlist *l, char *s)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = s;
}

int
strlist_contains_ci(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

void
strlist_release(struct strlist *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
buf_markup(struct buf *b, const char *s)
{
	for (; s != NULL && *s; s++)
		switch (*s) {
		case '&':
			buf_printf(b, "&amp;");
			break;
		case '<':
			buf_printf(b, "&lt;");
			break;
		case '>':
			buf_printf(b, "&gt;");
			break;
		case '"':
			buf_printf(b, "&quot;");
			break;
		case '\'':
			buf_printf(b, "&#39;");
			break;
		case '\t': case '\n': case '\r':
			buf_append(b, s, 1);
			break;
		default:
			/*
			 * What XML 1.0 forbids (C0 controls, U+FFFE, U+FFFF)
			 * becomes U+FFFD: the document stays well formed.
			 */
			if ((unsigned char)*s < 0x20) {
				buf_append(b, "\xef\xbf\xbd", 3);
				break;
			}
			if ((unsigned char)s[0] == 0xef &&
			    (unsigned char)s[1] == 0xbf &&
			    ((unsigned char)s[2] == 0xbe ||
			    (unsigned char)s[2] == 0xbf)) {
				buf_append(b, "\xef\xbf\xbd", 3);
				s += 2;
				break;
			}
			buf_append(b, s, 1);
			break;
		}
}

void
buf_shell_word(struct buf *b, const char *a)
{
	if (*a != '\0' && strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789@%+=:,./_-") == strlen(a)) {
		buf_printf(b, "%s", a);
		return;
	}
	buf_printf(b, "'");
	for (; *a; a++)
		if (*a == '\'')
			buf_printf(b, "'\\''");
		else
			buf_append(b, a, 1);
	buf_printf(b, "'");
}
