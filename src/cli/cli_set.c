/*
 * Storing an option's value: one setter per kind of option, and one check
 * per kind of value. Every message names the option.
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dnsname.h"
#include "netopt.h"
#include "str.h"

/*
 * A value check returns the value to store (owned; perhaps normalised),
 * or NULL with e set.
 */
typedef char	*(*value_check)(const struct optdef *d, const char *v,
		    struct hcerr *e);

static char *
check_text(const struct optdef *d, const char *v, struct hcerr *e)
{
	if (*v == '\0') {
		hcerr_set(e, "--%s: empty value", d->name);
		return NULL;
	}
	return xstrdup(v);
}

static char *
check_host(const struct optdef *d, const char *v, struct hcerr *e)
{
	struct hcerr why;
	char *h = dnsname_normalize(v, &why);

	if (h == NULL)
		hcerr_set(e, "--%s: %s", d->name, why.msg);
	return h;
}

/* A domain that has mail: a DNS name with a dot in it. */
static char *
check_domain(const struct optdef *d, const char *v, struct hcerr *e)
{
	char *name = check_host(d, v, e);

	if (name != NULL && dnsname_labels(name) < 2) {
		hcerr_set(e, "--%s: '%s' is a single label, expected an e-mail "
		    "domain such as contoso.com", d->name, v);
		free(name);
		return NULL;
	}
	return name;
}

/*
 * Whether the profile exists is known only once --endpoints is loaded;
 * here the name must merely look like one, so that it can be quoted in
 * messages and scripts safely.
 */
static char *
check_cloud(const struct optdef *d, const char *v, struct hcerr *e)
{
	for (const char *p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')) {
			hcerr_set(e, "--%s: '%s' is not a cloud name (global, "
			    "china, gcchigh, dod)", d->name, v);
			return NULL;
		}
	return check_text(d, v, e);
}

/* 8-4-4-4-12 hexadecimal digits; stored lower-case so ids compare. */
static char *
check_guid(const struct optdef *d, const char *v, struct hcerr *e)
{
	static const int dash[] = { 8, 13, 18, 23 };
	size_t n = strlen(v);
	char *g;

	for (size_t i = 0, k = 0; i < n; i++) {
		if (k < 4 && i == (size_t)dash[k]) {
			if (v[i] != '-')
				break;
			k++;
		} else if (!isxdigit((unsigned char)v[i]))
			break;
		if (i == 35 && n == 36) {
			g = xstrdup(v);
			str_lower(g);
			return g;
		}
	}
	hcerr_set(e, "--%s: '%s' is not a tenant id (a GUID such as "
	    "72416f3c-199e-43f6-9bb5-29f4a10665d5)", d->name, v);
	return NULL;
}

/* The network options are parsed again where they are used; here only checked. */
static char *
check_connect_to(const struct optdef *d, const char *v, struct hcerr *e)
{
	struct connect_to ct;

	(void)d;
	return netopt_parse_connect_to(v, &ct, e) == -1 ? NULL : xstrdup(v);
}

static char *
check_resolve(const struct optdef *d, const char *v, struct hcerr *e)
{
	struct resolve_entry r;

	(void)d;
	if (netopt_parse_resolve(v, &r, e) == -1)
		return NULL;
	netopt_resolve_release(&r);
	return xstrdup(v);
}

static char *
check_dns_server(const struct optdef *d, const char *v, struct hcerr *e)
{
	struct dns_server s;

	(void)d;
	return netopt_parse_dns_server(v, &s, e) == -1 ? NULL : xstrdup(v);
}

/* Each value type: its check, and how a shell completes it. */
static const struct {
	value_check		check;
	enum opt_complete	complete;
} value_types[] = {
	[VAL_NONE] = { check_text, COMPLETE_NONE },
	[VAL_TEXT] = { check_text, COMPLETE_NONE },
	[VAL_FILE] = { check_text, COMPLETE_FILE },
	[VAL_DOMAIN] = { check_domain, COMPLETE_NONE },
	[VAL_HOST] = { check_host, COMPLETE_NONE },
	[VAL_CLOUD] = { check_cloud, COMPLETE_CLOUD },
	[VAL_GUID] = { check_guid, COMPLETE_NONE },
	[VAL_CONNECT_TO] = { check_connect_to, COMPLETE_NONE },
	[VAL_RESOLVE] = { check_resolve, COMPLETE_NONE },
	[VAL_DNS_SERVER] = { check_dns_server, COMPLETE_NONE },
};

enum opt_complete
cli_option_complete(const struct optdef *d)
{
	if (d->kind == OPT_ENUM)
		return COMPLETE_CHOICES;
	if (d->kind == OPT_STRING || d->kind == OPT_LIST)
		return value_types[d->value].complete;
	return COMPLETE_NONE;
}

/* The setters, one per kind; field points into struct options. */

static int
set_flag(const struct optdef *d, void *field, const char *v, struct hcerr *e)
{
	(void)d;
	(void)v;
	(void)e;
	*(int *)field = 1;
	return 0;
}

static int
set_string(const struct optdef *d, void *field, const char *v,
    struct hcerr *e)
{
	char **dst = field, *s;

	if ((s = value_types[d->value].check(d, v, e)) == NULL)
		return -1;
	free(*dst);
	*dst = s;
	return 0;
}

static int
set_number(const struct optdef *d, void *field, const char *v,
    struct hcerr *e)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < d->min ||
	    n > d->max) {
		hcerr_set(e, "--%s: '%s' is not a whole number from %ld to %ld",
		    d->name, v, d->min, d->max);
		return -1;
	}
	*(long *)field = n;
	return 0;
}

static const char *
count_word(long n)
{
	static const char *const w[] = { "none", "one", "two", "three",
	    "four", "five", "six", "seven", "eight", "nine" };

	return n >= 0 && n < 10 ? w[n] : "a few";
}

static int
set_list(const struct optdef *d, void *field, const char *v, struct hcerr *e)
{
	struct strlist *l = field;
	char *s;

	if ((s = value_types[d->value].check(d, v, e)) == NULL)
		return -1;
	if (d->unique && strlist_contains_ci(l, s)) {
		free(s);
		return 0;
	}
	if (d->max > 0 && l->n >= (size_t)d->max) {
		hcerr_set(e, "--%s: at most %s (%s)", d->name,
		    count_word(d->max), d->max_why);
		free(s);
		return -1;
	}
	strlist_add_owned(l, s);
	return 0;
}

/* "a, b or c": the choices as the messages and the help list them. */
static void
choices_text(const struct optchoice *c, char *out, size_t len)
{
	size_t n = 0, at = 0;

	while (c[n].name != NULL)
		n++;
	out[0] = '\0';
	for (size_t i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, "%s%s",
		    i == 0 ? "" : i + 1 == n ? " or " : ", ", c[i].name);
}

static int
set_enum(const struct optdef *d, void *field, const char *v, struct hcerr *e)
{
	char expected[256];

	for (const struct optchoice *c = d->choices; c->name != NULL; c++)
		if (strcmp(c->name, v) == 0) {
			*(int *)field = c->value;
			return 0;
		}
	choices_text(d->choices, expected, sizeof(expected));
	hcerr_set(e, "--%s: '%s', expected %s", d->name, v, expected);
	return -1;
}

int
cli_option_set(const struct optdef *d, struct options *o, const char *v,
    struct hcerr *e)
{
	static int (*const setters[])(const struct optdef *, void *,
	    const char *, struct hcerr *) = {
		[OPT_FLAG] = set_flag,
		[OPT_STRING] = set_string,
		[OPT_NUMBER] = set_number,
		[OPT_LIST] = set_list,
		[OPT_ENUM] = set_enum,
	};

	return setters[d->kind](d, (char *)o + d->offset, v, e);
}
