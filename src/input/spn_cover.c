/*
 * Which hosts the SPN host authorities cover, the near misses that look
 * like cover but are not, and the plan of what to add. The parsing of the
 * lists people paste is spn.c's.
 */
#include "msid.h"
#include "spn.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dnsname.h"

/* The part of host after its first label, or NULL for a single label. */
static const char *
parent_of(const char *host)
{
	const char *dot = strchr(host, '.');

	return dot != NULL ? dot + 1 : NULL;
}

int
spn_covers(const struct spn_entry *e, const char *host)
{
	const char *parent;

	if (e->kind == SPN_HOST)
		return strcasecmp(e->host, host) == 0;
	if (e->kind != SPN_WILDCARD)
		return 0;
	parent = parent_of(host);
	return parent != NULL && parent != host + 1 &&
	    strcasecmp(parent, e->host) == 0;
}

long
spn_find_cover(const struct spn_set *s, const char *host)
{
	for (size_t i = 0; s != NULL && i < s->n; i++)
		if (spn_covers(&s->v[i], host))
			return (long)i;
	return -1;
}

static int
under(const char *host, const char *domain)
{
	size_t h = strlen(host), d = strlen(domain);

	return h > d + 1 && host[h - d - 1] == '.' &&
	    strcasecmp(host + h - d, domain) == 0;
}

static int
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

void
spn_near_misses(const struct spn_set *s, const char *host, struct strlist *out)
{
	const char *parent = parent_of(host);

	for (size_t i = 0; s != NULL && i < s->n; i++) {
		const struct spn_entry *e = &s->v[i];
		const char *ep;

		if (e->dup_of != -1 || spn_covers(e, host))
			continue;
		if (e->kind == SPN_WILDCARD) {
			if (strcasecmp(e->host, host) == 0)
				strlist_add_owned(out, xasprintf("*.%s does not "
				    "cover the apex %s", e->host, host));
			else if (under(host, e->host))
				strlist_add_owned(out, xasprintf("*.%s covers one "
				    "label only, not %s", e->host, host));
			else if (parent != NULL && under(e->host, parent))
				strlist_add_owned(out, xasprintf("*.%s covers "
				    "names under %s, not %s", e->host, e->host,
				    host));
		} else if (e->kind == SPN_HOST) {
			ep = parent_of(e->host);
			if (parent != NULL && (strcasecmp(e->host, parent) == 0 ||
			    (ep != NULL && strcasecmp(ep, parent) == 0) ||
			    under(e->host, host)))
				strlist_add_owned(out, xasprintf("%s names only "
				    "itself, not %s", e->host, host));
			else if (parent == NULL || under(host, e->host))
				strlist_add_owned(out, xasprintf("%s names only "
				    "itself, not %s", e->host, host));
		} else if (e->kind == SPN_MALFORMED && parent != NULL &&
		    contains_ci(e->raw, parent))
			strlist_add_owned(out, xasprintf("'%s' is malformed: %s",
			    e->raw, e->why));
	}
}

static int
within(const char *name, const struct strlist *domains)
{
	if (domains == NULL || domains->n == 0)
		return 1;
	for (size_t i = 0; i < domains->n; i++)
		if (strcasecmp(name, domains->v[i]) == 0 ||
		    under(name, domains->v[i]))
			return 1;
	return 0;
}

static int
is_apex(const char *host, const struct strlist *domains)
{
	if (dnsname_labels(host) <= 2)
		return 1;
	return domains != NULL && strlist_contains_ci(domains, host);
}

/* The parent a wildcard for host would name, or NULL when none may. */
static const char *
wild_parent(const char *host, const struct strlist *domains)
{
	const char *parent = parent_of(host);

	if (parent == NULL || is_apex(host, domains) ||
	    dnsname_labels(parent) < 2 || !within(parent, domains))
		return NULL;
	return parent;
}

void
spn_plan_build(const struct spn_set *s, const struct strlist *hosts,
    const struct strlist *domains, struct spn_plan *p)
{
	memset(p, 0, sizeof(*p));
	p->hosts = xcalloc(hosts->n + 1, sizeof(*p->hosts));
	p->nhosts = hosts->n;
	for (size_t i = 0; i < hosts->n; i++) {
		p->hosts[i].host = xstrdup(hosts->v[i]);
		p->hosts[i].entry = spn_find_cover(s, hosts->v[i]);
		p->hosts[i].add = -1;
	}
	for (size_t i = 0; i < p->nhosts; i++) {
		struct spn_cover *c = &p->hosts[i];
		const char *parent;
		size_t siblings = 0;
		struct buf covers;

		if (c->entry != -1 || c->add != -1)
			continue;
		if ((parent = wild_parent(c->host, domains)) != NULL)
			for (size_t j = i; j < p->nhosts; j++)
				if (p->hosts[j].entry == -1 && p->hosts[j].add == -1 &&
				    wild_parent(p->hosts[j].host, domains) != NULL &&
				    strcasecmp(wild_parent(p->hosts[j].host, domains),
				    parent) == 0)
					siblings++;
		buf_init(&covers, (size_t)-1);
		if (siblings >= 2) {
			strlist_add_owned(&p->add, xasprintf("%s/*.%s",
			    MSID_EXO_APP, parent));
			for (size_t j = i; j < p->nhosts; j++) {
				const char *wp;

				if (p->hosts[j].entry != -1 || p->hosts[j].add != -1)
					continue;
				wp = wild_parent(p->hosts[j].host, domains);
				if (wp != NULL && strcasecmp(wp, parent) == 0) {
					p->hosts[j].add = (long)p->add.n - 1;
					buf_printf(&covers, "%s%s", covers.len ?
					    ", " : "", p->hosts[j].host);
				}
			}
		} else {
			strlist_add_owned(&p->add, xasprintf("%s/%s",
			    MSID_EXO_APP, c->host));
			c->add = (long)p->add.n - 1;
			buf_printf(&covers, "%s", c->host);
		}
		strlist_add_owned(&p->add_covers, buf_steal(&covers));
	}
	p->unused = xcalloc(s->n + 1, sizeof(*p->unused));
	for (size_t i = 0; i < s->n; i++) {
		const struct spn_entry *e = &s->v[i];
		int used = 0;

		if ((e->kind != SPN_HOST && e->kind != SPN_WILDCARD) ||
		    e->dup_of != -1)
			continue;
		for (size_t j = 0; j < hosts->n && !used; j++)
			used = spn_covers(e, hosts->v[j]);
		if (!used)
			p->unused[p->nunused++] = (long)i;
	}
}

void
spn_plan_release(struct spn_plan *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->nhosts; i++)
		free(p->hosts[i].host);
	free(p->hosts);
	strlist_release(&p->add);
	strlist_release(&p->add_covers);
	free(p->unused);
	memset(p, 0, sizeof(*p));
}
