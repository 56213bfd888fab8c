#include "wwwauth.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "str.h"

/* RFC 7230 tchar. */
static int
tchar(int c)
{
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 7235 token68 characters, before the trailing '='s. */
static int
t68char(int c)
{
	return isalnum(c) || (c != '\0' && strchr("-._~+/", c) != NULL);
}

static const char *
ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static void
challenge_release(struct auth_challenge *c)
{
	free(c->scheme);
	free(c->token68);
	for (size_t i = 0; i < c->nparams; i++) {
		free(c->params[i].name);
		free(c->params[i].value);
	}
	free(c->params);
	memset(c, 0, sizeof(*c));
}

static void
param_add(struct auth_param **v, size_t *n, char *name, char *value)
{
	str_lower(name);
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].name = name;
	(*v)[*n].value = value;
	(*n)++;
}

/*
 * A quoted-string starting at the opening quote; stores the unescaped
 * text. Returns the position after the closing quote, or NULL.
 */
static const char *
quoted(const char *p, char **out)
{
	struct buf b;

	buf_init(&b, WWWAUTH_HEADER_MAX);
	for (p++; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		buf_append(&b, p, 1);
	}
	if (*p != '"') {
		buf_release(&b);
		return NULL;
	}
	*out = buf_steal(&b);
	return p + 1;
}

/* A parameter value: a quoted-string or a token. */
static const char *
param_value(const char *p, char **out)
{
	const char *s = p;

	if (*p == '"')
		return quoted(p, out);
	while (tchar((unsigned char)*p))
		p++;
	if (p == s)
		return NULL;
	*out = xstrndup(s, (size_t)(p - s));
	return p;
}

int
wwwauth_parse(struct wwwauth *w, const char *value, struct hcerr *e)
{
	const char *start = value, *p = value, *s;
	size_t first = w->n;
	struct auth_challenge *cur = NULL;

	if (strlen(value) > WWWAUTH_HEADER_MAX) {
		hcerr_set(e, "WWW-Authenticate header longer than %d bytes",
		    WWWAUTH_HEADER_MAX);
		return -1;
	}
	for (;;) {
		char *name, *val = NULL;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		s = p;
		while (tchar((unsigned char)*p))
			p++;
		if (p == s) {
			if ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f)
				hcerr_set(e, "at byte %td: expected an auth scheme "
				    "or parameter, found '%c'", p - start, *p);
			else
				hcerr_set(e, "at byte %td: expected an auth scheme "
				    "or parameter, found byte 0x%02x", p - start,
				    (unsigned char)*p);
			goto bad;
		}
		name = xstrndup(s, (size_t)(p - s));
		if (cur != NULL && *ows(p) == '=') {
			/* name=value: a parameter of the current challenge. */
			p = ows(ows(p) + 1);
			if ((p = param_value(p, &val)) == NULL) {
				hcerr_set(e, "at byte %td: parameter '%s' has no "
				    "value or an unterminated quoted string",
				    s - start, name);
				free(name);
				goto bad;
			}
			param_add(&cur->params, &cur->nparams, name, val);
			p = ows(p);
			if (*p != '\0' && *p != ',') {
				hcerr_set(e, "at byte %td: expected ',' after "
				    "parameter '%s'", p - start,
				    cur->params[cur->nparams - 1].name);
				goto bad;
			}
			continue;
		}
		/* A new challenge. */
		w->v = xrealloc(w->v, (w->n + 1) * sizeof(*w->v));
		cur = &w->v[w->n++];
		memset(cur, 0, sizeof(*cur));
		cur->scheme = name;
		if (*p != ' ' && *p != '\t')
			continue;
		p = ows(p);
		/* token68 only when it stands alone before ',' or the end. */
		s = p;
		while (t68char((unsigned char)*p))
			p++;
		if (p > s) {
			const char *q = p;

			while (*q == '=')
				q++;
			if (*ows(q) == '\0' || *ows(q) == ',') {
				cur->token68 = xstrndup(s, (size_t)(q - s));
				p = q;
				continue;
			}
		}
		p = s;
	}
	return 0;
bad:
	while (w->n > first)
		challenge_release(&w->v[--w->n]);
	return -1;
}

void
wwwauth_release(struct wwwauth *w)
{
	if (w == NULL)
		return;
	for (size_t i = 0; i < w->n; i++)
		challenge_release(&w->v[i]);
	free(w->v);
	memset(w, 0, sizeof(*w));
}

const struct auth_challenge *
wwwauth_find(const struct wwwauth *w, const char *scheme)
{
	for (size_t i = 0; i < w->n; i++)
		if (strcasecmp(w->v[i].scheme, scheme) == 0)
			return &w->v[i];
	return NULL;
}

const char *
wwwauth_param(const struct auth_challenge *c, const char *name)
{
	for (size_t i = 0; c != NULL && i < c->nparams; i++)
		if (strcasecmp(c->params[i].name, name) == 0)
			return c->params[i].value;
	return NULL;
}

/* Splits s on any of seps, trimming blanks, skipping empty items. */
static void
split(struct strlist *l, const char *s, const char *seps)
{
	while (s != NULL && *s) {
		size_t n = strcspn(s, seps);
		const char *a = s, *z = s + n;

		while (a < z && isspace((unsigned char)*a))
			a++;
		while (z > a && isspace((unsigned char)z[-1]))
			z--;
		if (z > a)
			strlist_add_owned(l, xstrndup(a, (size_t)(z - a)));
		s += n;
		if (*s)
			s++;
	}
}

void
wwwauth_bearer(const struct auth_challenge *c, struct bearer *b)
{
	memset(b, 0, sizeof(*b));
	b->client_id = wwwauth_param(c, "client_id");
	b->authorization_uri = wwwauth_param(c, "authorization_uri");
	b->error = wwwauth_param(c, "error");
	b->realm = wwwauth_param(c, "realm");
	split(&b->trusted_issuers, wwwauth_param(c, "trusted_issuers"), ",");
	split(&b->token_types, wwwauth_param(c, "token_types"), " \t,");
}

void
wwwauth_bearer_release(struct bearer *b)
{
	if (b == NULL)
		return;
	strlist_release(&b->trusted_issuers);
	strlist_release(&b->token_types);
	memset(b, 0, sizeof(*b));
}

int
wwwauth_parse_diagnostics(struct msdiag *d, const char *value, struct hcerr *e)
{
	const char *p = ows(value), *s;
	char *end;

	memset(d, 0, sizeof(*d));
	if (strlen(value) > WWWAUTH_HEADER_MAX) {
		hcerr_set(e, "x-ms-diagnostics longer than %d bytes",
		    WWWAUTH_HEADER_MAX);
		return -1;
	}
	if (!isdigit((unsigned char)*p)) {
		hcerr_set(e, "x-ms-diagnostics: expected a numeric code first, "
		    "found '%.20s'", p);
		return -1;
	}
	d->code = strtol(p, &end, 10);
	p = ows(end);
	while (*p == ';' || *p == ',') {
		char *name, *val = NULL;

		p = ows(p + 1);
		if (*p == '\0')
			break;
		s = p;
		while (tchar((unsigned char)*p))
			p++;
		if (p == s || *ows(p) != '=') {
			hcerr_set(e, "x-ms-diagnostics at byte %td: expected "
			    "name=value", s - value);
			goto bad;
		}
		name = xstrndup(s, (size_t)(p - s));
		p = ows(ows(p) + 1);
		if (*p == '"')
			p = quoted(p, &val);
		else {
			/* Unquoted values may hold spaces; run to the next ';'. */
			size_t n = strcspn(p, ";");

			val = xstrndup(p, n);
			p += n;
		}
		if (p == NULL) {
			hcerr_set(e, "x-ms-diagnostics: unterminated quoted value "
			    "of '%s'", name);
			free(name);
			goto bad;
		}
		param_add(&d->params, &d->nparams, name, val);
		p = ows(p);
	}
	for (size_t i = 0; i < d->nparams; i++) {
		if (d->reason == NULL && strcmp(d->params[i].name, "reason") == 0)
			d->reason = xstrdup(d->params[i].value);
		if (d->error_category == NULL &&
		    strcmp(d->params[i].name, "error_category") == 0)
			d->error_category = xstrdup(d->params[i].value);
	}
	return 0;
bad:
	wwwauth_diagnostics_release(d);
	return -1;
}

void
wwwauth_diagnostics_release(struct msdiag *d)
{
	if (d == NULL)
		return;
	free(d->reason);
	free(d->error_category);
	for (size_t i = 0; i < d->nparams; i++) {
		free(d->params[i].name);
		free(d->params[i].value);
	}
	free(d->params);
	memset(d, 0, sizeof(*d));
}
