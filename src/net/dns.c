#include "dns.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ares.h>

#include "netopt.h"
#include <stdio.h>

/* c-ares' ARES_GETSOCK_WRITABLE shifts a signed 1 by up to 31: undefined. */
#define SOCK_READABLE(bits, i)	((unsigned)(bits) & (1u << (i)))
#define SOCK_WRITABLE(bits, i)	((unsigned)(bits) & (1u << ((i) + ARES_GETSOCK_MAXNUM)))

struct dns_query {
	struct dns		*d;
	struct dns_answer	*a;
	void			(*on_done)(void *);
	void			*arg;
	char			*name;
};

struct dns {
	ares_channel	 ch[DNS_VIEWS_MAX];
	char		*names[DNS_VIEWS_MAX];
	int		 nviews;
	int		 pending;
	int		 cancelled;
};

static int lib_ready;

struct dns *
dns_new(const struct strlist *servers, long timeout_ms, struct hcerr *e)
{
	struct ares_options o;
	struct dns *d = xcalloc(1, sizeof(*d));
	int rc;

	if (!lib_ready) {
		if ((rc = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS) {
			hcerr_set(e, "cannot start the resolver: %s", ares_strerror(rc));
			free(d);
			return NULL;
		}
		lib_ready = 1;
	}
	d->nviews = servers && servers->n ? (int)servers->n : 1;
	if (d->nviews > DNS_VIEWS_MAX)
		d->nviews = DNS_VIEWS_MAX;
	for (int v = 0; v < d->nviews; v++) {
		memset(&o, 0, sizeof(o));
		/* Two tries within the budget: UDP loss should not decide a verdict. */
		o.timeout = (int)(timeout_ms / 2 > 100 ? timeout_ms / 2 : 100);
		o.tries = 2;
		o.flags = ARES_FLAG_NOSEARCH;
		if ((rc = ares_init_options(&d->ch[v], &o, ARES_OPT_TIMEOUTMS |
		    ARES_OPT_TRIES | ARES_OPT_FLAGS)) != ARES_SUCCESS) {
			hcerr_set(e, "cannot start the resolver: %s", ares_strerror(rc));
			goto bad;
		}
		if (servers && servers->n) {
			struct dns_server ds;
			char csv[128];

			if (netopt_parse_dns_server(servers->v[v], &ds, e) == -1)
				goto bad;
			if (strchr(ds.addr, ':'))
				snprintf(csv, sizeof(csv), "[%s]:%d", ds.addr, ds.port);
			else
				snprintf(csv, sizeof(csv), "%s:%d", ds.addr, ds.port);
			if ((rc = ares_set_servers_ports_csv(d->ch[v], csv)) !=
			    ARES_SUCCESS) {
				hcerr_set(e, "--dns-server '%s': %s", servers->v[v],
				    ares_strerror(rc));
				goto bad;
			}
			d->names[v] = xstrdup(servers->v[v]);
		} else
			d->names[v] = xstrdup("system resolver");
	}
	return d;
bad:
	dns_free(d);
	return NULL;
}

void
dns_free(struct dns *d)
{
	if (d == NULL)
		return;
	for (int v = 0; v < DNS_VIEWS_MAX; v++) {
		if (d->ch[v] != NULL)
			ares_destroy(d->ch[v]);
		free(d->names[v]);
	}
	free(d);
}

int
dns_views(const struct dns *d)
{
	return d->nviews;
}

const char *
dns_view_name(const struct dns *d, int view)
{
	return view >= 0 && view < d->nviews ? d->names[view] : "?";
}

static int
map_status(int st)
{
	switch (st) {
	case ARES_SUCCESS:
		return DNS_OK;
	case ARES_ENOTFOUND:
		return DNS_ENXDOMAIN;
	case ARES_ENODATA:
		return DNS_ENODATA;
	case ARES_ETIMEOUT:
	case ARES_ECANCELLED:
	case ARES_EDESTRUCTION:
		return DNS_ETIMEOUT;
	case ARES_EREFUSED:
	case ARES_ESERVFAIL:
	case ARES_ECONNREFUSED:
		return DNS_EREFUSED;
	}
	return DNS_EOTHER;
}

static void
parse_addrs(struct dns_answer *a, const char *qname, unsigned char *abuf,
    int alen)
{
	struct hostent *he = NULL;
	int rc;

	rc = a->type == DNS_A ? ares_parse_a_reply(abuf, alen, &he, NULL, NULL) :
	    ares_parse_aaaa_reply(abuf, alen, &he, NULL, NULL);
	if (rc != ARES_SUCCESS) {
		a->status = map_status(rc);
		a->error = xstrdup(ares_strerror(rc));
		return;
	}
	for (char **p = he->h_addr_list; p && *p; p++) {
		char txt[INET6_ADDRSTRLEN];

		if (inet_ntop(he->h_addrtype, *p, txt, sizeof(txt)) != NULL)
			strlist_add(&a->addrs, txt);
	}
	if (he->h_name && strcasecmp(he->h_name, qname) != 0)
		a->canonical = xstrdup(he->h_name);
	ares_free_hostent(he);
	if (a->addrs.n == 0) {
		a->status = DNS_ENODATA;
		a->error = xstrdup("no addresses in the answer");
	}
}

static void
parse_srv(struct dns_answer *a, unsigned char *abuf, int alen)
{
	struct ares_srv_reply *srv = NULL;
	size_t n = 0;
	int rc;

	if ((rc = ares_parse_srv_reply(abuf, alen, &srv)) != ARES_SUCCESS) {
		a->status = map_status(rc);
		a->error = xstrdup(ares_strerror(rc));
		return;
	}
	for (struct ares_srv_reply *r = srv; r; r = r->next)
		n++;
	a->srv = xcalloc(n ? n : 1, sizeof(*a->srv));
	for (struct ares_srv_reply *r = srv; r; r = r->next) {
		struct dns_srv *s = &a->srv[a->nsrv++];

		s->target = xstrdup(r->host);
		s->port = r->port;
		s->priority = r->priority;
		s->weight = r->weight;
	}
	ares_free_data(srv);
	if (a->nsrv == 0) {
		a->status = DNS_ENODATA;
		a->error = xstrdup("no SRV records in the answer");
	}
}

static void
on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct dns_query *q = arg;
	struct dns_answer *a = q->a;

	(void)timeouts;
	q->d->pending--;
	a->status = map_status(status);
	if (status != ARES_SUCCESS)
		a->error = xstrdup(status == ARES_ECANCELLED ||
		    status == ARES_EDESTRUCTION ? "no answer in time" :
		    ares_strerror(status));
	else if (a->type == DNS_SRV)
		parse_srv(a, abuf, alen);
	else
		parse_addrs(a, q->name, abuf, alen);
	a->done = 1;
	if (q->on_done)
		q->on_done(q->arg);
	free(q->name);
	free(q);
}

void
dns_query(struct dns *d, int view, const char *name, int type,
    struct dns_answer *a, void (*on_done)(void *), void *arg)
{
	struct dns_query *q = xcalloc(1, sizeof(*q));

	a->type = type;
	q->d = d;
	q->a = a;
	q->on_done = on_done;
	q->arg = arg;
	q->name = xstrdup(name);
	d->pending++;
	/* c-ares may answer at once (from its cache or an error). */
	ares_query(d->ch[view], name, 1 /* IN */, type, on_answer, q);
}

int
dns_pending(const struct dns *d)
{
	return d->pending;
}

size_t
dns_fds(struct dns *d, struct pollfd *fds, size_t max)
{
	size_t n = 0;

	for (int v = 0; v < d->nviews; v++) {
		ares_socket_t socks[ARES_GETSOCK_MAXNUM];
		int bits = ares_getsock(d->ch[v], socks, ARES_GETSOCK_MAXNUM);

		for (int i = 0; i < ARES_GETSOCK_MAXNUM && n < max; i++) {
			short ev = 0;

			if (SOCK_READABLE(bits, i))
				ev |= POLLIN;
			if (SOCK_WRITABLE(bits, i))
				ev |= POLLOUT;
			if (ev == 0)
				continue;
			fds[n].fd = socks[i];
			fds[n].events = ev;
			fds[n].revents = 0;
			n++;
		}
	}
	return n;
}

void
dns_process(struct dns *d, const struct pollfd *fds, size_t n)
{
	for (int v = 0; v < d->nviews; v++) {
		ares_socket_t socks[ARES_GETSOCK_MAXNUM];
		int bits = ares_getsock(d->ch[v], socks, ARES_GETSOCK_MAXNUM);

		for (size_t k = 0; k < n; k++) {
			int mine = 0;

			for (int i = 0; i < ARES_GETSOCK_MAXNUM; i++)
				if ((SOCK_READABLE(bits, i) ||
				    SOCK_WRITABLE(bits, i)) &&
				    socks[i] == fds[k].fd)
					mine = 1;
			if (!mine || fds[k].revents == 0)
				continue;
			ares_process_fd(d->ch[v],
			    fds[k].revents & (POLLIN | POLLERR | POLLHUP) ?
			    fds[k].fd : ARES_SOCKET_BAD,
			    fds[k].revents & POLLOUT ? fds[k].fd : ARES_SOCKET_BAD);
		}
		/* Lets c-ares notice its own timeouts. */
		ares_process_fd(d->ch[v], ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	}
}

long
dns_timeout_ms(struct dns *d, long max)
{
	long best = max;

	for (int v = 0; v < d->nviews; v++) {
		struct timeval mx = { max / 1000, (max % 1000) * 1000 }, tv, *t;

		if ((t = ares_timeout(d->ch[v], &mx, &tv)) != NULL) {
			long ms = (long)t->tv_sec * 1000 + t->tv_usec / 1000;

			if (ms < best)
				best = ms;
		}
	}
	return best < 0 ? 0 : best;
}

void
dns_cancel(struct dns *d)
{
	for (int v = 0; v < d->nviews; v++)
		ares_cancel(d->ch[v]);
}

void
dns_answer_release(struct dns_answer *a)
{
	if (a == NULL)
		return;
	free(a->error);
	strlist_release(&a->addrs);
	free(a->canonical);
	for (size_t i = 0; i < a->nsrv; i++)
		free(a->srv[i].target);
	free(a->srv);
	memset(a, 0, sizeof(*a));
}

const char *
dns_status_text(int status)
{
	switch (status) {
	case DNS_OK:
		return "answered";
	case DNS_ENXDOMAIN:
		return "no such name (NXDOMAIN)";
	case DNS_ENODATA:
		return "no records of this type";
	case DNS_ETIMEOUT:
		return "no answer in time";
	case DNS_EREFUSED:
		return "the server refused or failed";
	}
	return "lookup failed";
}

char *
dns_answer_text(const struct dns_answer *a)
{
	struct buf b;

	buf_init(&b, 8192);
	if (!a->done)
		buf_printf(&b, "not asked");
	else if (a->status != DNS_OK)
		buf_printf(&b, "%s", dns_status_text(a->status));
	else if (a->type == DNS_SRV)
		for (size_t i = 0; i < a->nsrv; i++)
			buf_printf(&b, "%s%d %d %d %s", i ? ", " : "",
			    a->srv[i].priority, a->srv[i].weight, a->srv[i].port,
			    a->srv[i].target);
	else {
		if (a->canonical)
			buf_printf(&b, "CNAME %s; ", a->canonical);
		for (size_t i = 0; i < a->addrs.n; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", a->addrs.v[i]);
	}
	return buf_steal(&b);
}

struct dns_host *
dns_hostset_find(const struct dns_hostset *s, const char *name, int view)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i]->view == view && strcasecmp(s->v[i]->name, name) == 0)
			return s->v[i];
	return NULL;
}

struct dns_host *
dns_hostset_add(struct dns_hostset *s, const char *name, int view)
{
	struct dns_host *h = xcalloc(1, sizeof(*h));

	h->name = xstrdup(name);
	h->view = view;
	h->a.type = DNS_A;
	h->aaaa.type = DNS_AAAA;
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = h;
	return h;
}

void
dns_hostset_release(struct dns_hostset *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i]->name);
		dns_answer_release(&s->v[i]->a);
		dns_answer_release(&s->v[i]->aaaa);
		free(s->v[i]);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int
dns_host_done(const struct dns_host *h)
{
	return h->from_resolve || (h->a.done && h->aaaa.done);
}

int
dns_host_ok(const struct dns_host *h)
{
	return h->a.addrs.n > 0 || h->aaaa.addrs.n > 0;
}
