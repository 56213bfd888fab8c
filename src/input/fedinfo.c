#include "fedinfo.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "str.h"

#define XML_DEPTH_MAX	64

char *
fedinfo_request(const char *domain, const char *url)
{
	struct buf b;

	buf_init(&b, 64 * 1024);
	buf_printf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<soap:Envelope xmlns:a=\"http://www.w3.org/2005/08/addressing\" "
	    "xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">\n"
	    " <soap:Header>\n"
	    "  <a:Action soap:mustUnderstand=\"1\">%s</a:Action>\n"
	    "  <a:To soap:mustUnderstand=\"1\">", FEDINFO_SOAP_ACTION);
	buf_markup(&b, url);
	buf_printf(&b, "</a:To>\n"
	    "  <a:ReplyTo><a:Address>http://www.w3.org/2005/08/addressing/"
	    "anonymous</a:Address></a:ReplyTo>\n"
	    " </soap:Header>\n"
	    " <soap:Body><GetFederationInformationRequestMessage "
	    "xmlns=\"http://schemas.microsoft.com/exchange/2010/Autodiscover\">\n"
	    "  <Request><Domain>");
	buf_markup(&b, domain);
	buf_printf(&b, "</Domain></Request>"
	    "</GetFederationInformationRequestMessage></soap:Body>"
	    "</soap:Envelope>\n");
	return buf_steal(&b);
}

/* Decodes one entity at p ('&'); appends it; returns the byte after ';'. */
static const char *
entity(struct buf *b, const char *p, const char *end)
{
	static const struct { const char *name; char c; } named[] = {
		{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
		{ "apos", '\'' },
	};
	const char *semi = memchr(p, ';', (size_t)(end - p));
	size_t n;

	if (semi == NULL || semi - p > 12)
		goto literal;
	n = (size_t)(semi - p - 1);
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strlen(named[i].name) == n && memcmp(p + 1, named[i].name, n) == 0) {
			buf_append(b, &named[i].c, 1);
			return semi + 1;
		}
	if (p[1] == '#') {
		unsigned long cp;
		char *stop, u[4];
		int len;

		cp = p[2] == 'x' ? strtoul(p + 3, &stop, 16) : strtoul(p + 2, &stop, 10);
		if (stop != semi || cp == 0 || cp > 0x10FFFF)
			goto literal;
		/* UTF-8 encode. */
		if (cp < 0x80) {
			u[0] = (char)cp;
			len = 1;
		} else if (cp < 0x800) {
			u[0] = (char)(0xC0 | cp >> 6);
			u[1] = (char)(0x80 | (cp & 0x3F));
			len = 2;
		} else if (cp < 0x10000) {
			u[0] = (char)(0xE0 | cp >> 12);
			u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
			u[2] = (char)(0x80 | (cp & 0x3F));
			len = 3;
		} else {
			u[0] = (char)(0xF0 | cp >> 18);
			u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
			u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
			u[3] = (char)(0x80 | (cp & 0x3F));
			len = 4;
		}
		buf_append(b, u, (size_t)len);
		return semi + 1;
	}
literal:
	/* Unknown entities are kept as written: lenient, and never expanded. */
	buf_append(b, "&", 1);
	return p + 1;
}

/* Skips past the terminator term starting at p; NULL if absent. */
static const char *
skip_past(const char *p, const char *end, const char *term)
{
	size_t tl = strlen(term);

	for (; p + tl <= end; p++)
		if (memcmp(p, term, tl) == 0)
			return p + tl;
	return NULL;
}

int
xml_walk(const char *text, size_t len, xml_text_fn cb, void *arg,
    struct hcerr *e)
{
	const char *p = text, *end = text + len;
	size_t pathlen[XML_DEPTH_MAX + 1];
	struct buf path, content;
	int depth = 0, rc = -1, seen_root = 0;

	buf_init(&path, 64 * 1024);
	buf_init(&content, FEDINFO_MAX);
	buf_append(&path, "", 0);
	pathlen[0] = 0;
	while (p < end) {
		if (*p != '<') {
			if (*p == '&')
				p = entity(&content, p, end);
			else
				buf_append(&content, p++, 1);
			continue;
		}
		if (end - p < 2) {
			hcerr_set(e, "xml: document ends inside a tag");
			goto out;
		}
		if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			if ((p = skip_past(p + 4, end, "-->")) == NULL) {
				hcerr_set(e, "xml: unterminated comment");
				goto out;
			}
		} else if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
			const char *q = skip_past(p + 9, end, "]]>");

			if (q == NULL) {
				hcerr_set(e, "xml: unterminated CDATA section");
				goto out;
			}
			buf_append(&content, p + 9, (size_t)(q - 3 - (p + 9)));
			p = q;
		} else if (p[1] == '?' || p[1] == '!') {
			/* Declarations and DOCTYPE: skipped, never interpreted. */
			if ((p = memchr(p, '>', (size_t)(end - p))) == NULL) {
				hcerr_set(e, "xml: unterminated declaration");
				goto out;
			}
			p++;
		} else {
			const char *s = p + 1, *gt, *name, *colon;
			int closing = 0, empty = 0;
			size_t n;

			if (*s == '/') {
				closing = 1;
				s++;
			}
			/* Attribute values may hold '>' only when quoted. */
			for (gt = s; gt < end && *gt != '>'; gt++)
				if (*gt == '"' || *gt == '\'') {
					const char *q = memchr(gt + 1, *gt,
					    (size_t)(end - gt - 1));

					if (q == NULL)
						break;
					gt = q;
				}
			if (gt >= end || *gt != '>') {
				hcerr_set(e, "xml: unterminated tag at byte %td",
				    p - text);
				goto out;
			}
			empty = gt[-1] == '/';
			name = s;
			n = 0;
			while (name + n < gt && !isspace((unsigned char)name[n]) &&
			    name[n] != '/' && name[n] != '>')
				n++;
			if (n == 0) {
				hcerr_set(e, "xml: tag without a name at byte %td",
				    p - text);
				goto out;
			}
			/* Namespace prefixes vary between servers: keep local names. */
			if ((colon = memchr(name, ':', n)) != NULL) {
				n -= (size_t)(colon + 1 - name);
				name = colon + 1;
			}
			if (closing) {
				const char *cur;

				if (depth == 0) {
					hcerr_set(e, "xml: unexpected closing tag at "
					    "byte %td", p - text);
					goto out;
				}
				cur = path.data + pathlen[depth - 1] +
				    (depth > 1 ? 1 : 0);
				if (strlen(cur) != n || memcmp(cur, name, n) != 0) {
					hcerr_set(e, "xml: closing tag '%.*s' does not "
					    "match '%s' at byte %td", (int)n, name,
					    cur, p - text);
					goto out;
				}
				cb(arg, path.data, content.data ? content.data : "");
				depth--;
				path.len = pathlen[depth];
				path.data[path.len] = '\0';
			} else {
				if (depth == XML_DEPTH_MAX) {
					hcerr_set(e, "xml: nested deeper than %d",
					    XML_DEPTH_MAX);
					goto out;
				}
				if (depth == 0 && seen_root) {
					hcerr_set(e, "xml: a second root element");
					goto out;
				}
				seen_root = 1;
				pathlen[depth] = path.len;
				if (depth > 0)
					buf_append(&path, "/", 1);
				buf_append(&path, name, n);
				depth++;
				if (empty) {
					cb(arg, path.data, "");
					depth--;
					path.len = pathlen[depth];
					path.data[path.len] = '\0';
				}
			}
			content.len = 0;
			if (content.data)
				content.data[0] = '\0';
			p = gt + 1;
		}
	}
	if (depth != 0 || !seen_root) {
		hcerr_set(e, seen_root ? "xml: document ends inside an element" :
		    "xml: no element found");
		goto out;
	}
	rc = 0;
out:
	buf_release(&path);
	buf_release(&content);
	return rc;
}

static int
ends_with(const char *path, const char *suffix)
{
	size_t pl = strlen(path), sl = strlen(suffix);

	return pl >= sl && strcmp(path + pl - sl, suffix) == 0 &&
	    (pl == sl || path[pl - sl - 1] == '/');
}

static char *
trimmed(const char *s)
{
	const char *z;

	while (isspace((unsigned char)*s))
		s++;
	z = s + strlen(s);
	while (z > s && isspace((unsigned char)z[-1]))
		z--;
	return xstrndup(s, (size_t)(z - s));
}

static void
set_once(char **dst, const char *text)
{
	if (*dst == NULL)
		*dst = trimmed(text);
}

struct fedparse {
	struct fedinfo	*f;
	char		*endpoint;	/* of the TokenIssuer being read */
	char		*uri;
};

static void
on_text(void *arg, const char *path, const char *text)
{
	struct fedparse *st = arg;
	struct fedinfo *f = st->f;

	if (ends_with(path, "Response/ErrorCode"))
		set_once(&f->error_code, text);
	else if (ends_with(path, "Response/ErrorMessage"))
		set_once(&f->error_message, text);
	else if (ends_with(path, "Response/ApplicationUri"))
		set_once(&f->application_uri, text);
	else if (ends_with(path, "Domains/Domain")) {
		char *d = trimmed(text);

		str_lower(d);
		if (*d && !strlist_contains_ci(&f->domains, d))
			strlist_add(&f->domains, d);
		free(d);
	} else if (ends_with(path, "TokenIssuer/Endpoint"))
		set_once(&st->endpoint, text);
	else if (ends_with(path, "TokenIssuer/Uri"))
		set_once(&st->uri, text);
	else if (ends_with(path, "TokenIssuers/TokenIssuer")) {
		/* The closing tag: its children have been read. */
		f->issuers = xrealloc(f->issuers, (f->nissuers + 1) *
		    sizeof(*f->issuers));
		f->issuers[f->nissuers].endpoint = st->endpoint;
		f->issuers[f->nissuers].uri = st->uri;
		f->nissuers++;
		st->endpoint = st->uri = NULL;
	} else if (ends_with(path, "Fault/faultstring") ||
	    ends_with(path, "Fault/Reason/Text"))
		set_once(&f->fault, text);
}

int
fedinfo_parse(struct fedinfo *f, const char *text, size_t len,
    struct hcerr *e)
{
	struct fedparse st = { 0 };
	int rc;

	memset(f, 0, sizeof(*f));
	if (len > FEDINFO_MAX) {
		hcerr_set(e, "federation information of %zu bytes exceeds %d",
		    len, FEDINFO_MAX);
		return -1;
	}
	st.f = f;
	rc = xml_walk(text, len, on_text, &st, e);
	free(st.endpoint);
	free(st.uri);
	if (rc == -1)
		goto bad;
	if (f->error_code == NULL && f->fault == NULL) {
		hcerr_set(e, "no GetFederationInformation response "
		    "(Response/ErrorCode) and no SOAP fault in the document");
		goto bad;
	}
	return 0;
bad:
	fedinfo_release(f);
	return -1;
}

void
fedinfo_release(struct fedinfo *f)
{
	if (f == NULL)
		return;
	free(f->error_code);
	free(f->error_message);
	free(f->application_uri);
	strlist_release(&f->domains);
	for (size_t i = 0; i < f->nissuers; i++) {
		free(f->issuers[i].endpoint);
		free(f->issuers[i].uri);
	}
	free(f->issuers);
	free(f->fault);
	memset(f, 0, sizeof(*f));
}
