/*
 * DNS lookups with c-ares against the resolver the user chose
 * (--dns-server, once or twice for an internal and an external view) or
 * the system's. Asynchronous: http.c drives the sockets in its event loop.
 */
#ifndef HC_DNS_H
#define HC_DNS_H

#include <poll.h>
#include <stddef.h>

#include "mem.h"
#include "buf.h"

#define DNS_VIEWS_MAX	2

enum dns_type {
	DNS_A = 1,
	DNS_CNAME = 5,
	DNS_AAAA = 28,
	DNS_SRV = 33,
};

struct dns_srv {
	char	*target;
	int	 port;
	int	 priority;
	int	 weight;
};

/* One question in one view, and its answer. */
struct dns_answer {
	int		 type;
	int		 done;
	int		 status;	/* 0 answered, else a DNS_E* below */
	char		*error;		/* resolver's words when status != 0 */
	struct strlist	 addrs;		/* A / AAAA, as text */
	char		*canonical;	/* the name at the end of a CNAME chain */
	struct dns_srv	*srv;
	size_t		 nsrv;
};

enum {
	DNS_OK = 0,
	DNS_ENXDOMAIN,		/* the name does not exist */
	DNS_ENODATA,		/* the name exists, no records of this type */
	DNS_ETIMEOUT,		/* no answer in time */
	DNS_EREFUSED,		/* the server refused or failed */
	DNS_EOTHER,
};

/* A name looked up for A and AAAA in one view. */
struct dns_host {
	char			*name;
	int			 view;
	int			 from_resolve;	/* --resolve answered, no DNS */
	unsigned		 inflight;	/* http.c: HTTP/1.1 transfers running to it */
	struct dns_answer	 a;
	struct dns_answer	 aaaa;
};

/* Every name looked up during a run; owned by whoever keeps the results. */
struct dns_hostset {
	struct dns_host	**v;
	size_t		  n;
};

struct dns;

/*
 * One c-ares channel per view: servers (ADDR[:PORT] each) or the system
 * resolver when servers is empty. Returns NULL with e set.
 */
struct dns	*dns_new(const struct strlist *servers, long timeout_ms,
		    struct hcerr *e);
void		 dns_free(struct dns *d);
int		 dns_views(const struct dns *d);
/* Whether the user named the servers (otherwise: the system resolver). */
const char	*dns_view_name(const struct dns *d, int view);

/*
 * Asks name/type in view; a->type is set here. on_done runs when the
 * answer (or the failure) is in a.
 */
void	dns_query(struct dns *d, int view, const char *name, int type,
	    struct dns_answer *a, void (*on_done)(void *), void *arg);
int	dns_pending(const struct dns *d);

/* The resolver's sockets, for poll(); returns how many were written. */
size_t	dns_fds(struct dns *d, struct pollfd *fds, size_t max);
/* Handles readiness reported for fds, and the resolver's own timeouts. */
void	dns_process(struct dns *d, const struct pollfd *fds, size_t n);
/* Milliseconds until the resolver needs dns_process() again, at most max. */
long	dns_timeout_ms(struct dns *d, long max);
/* Ends every outstanding query as timed out. */
void	dns_cancel(struct dns *d);

void	dns_answer_release(struct dns_answer *a);
const char *dns_status_text(int status);
/* "A 192.0.2.1, 192.0.2.2" or "NXDOMAIN": a one-line summary; caller frees. */
char	*dns_answer_text(const struct dns_answer *a);

struct dns_host	*dns_hostset_find(const struct dns_hostset *s, const char *name,
		    int view);
struct dns_host	*dns_hostset_add(struct dns_hostset *s, const char *name, int view);
void		 dns_hostset_release(struct dns_hostset *s);
/* Whether a host lookup is finished (both families). */
int		 dns_host_done(const struct dns_host *h);
/* Whether it gave at least one address. */
int		 dns_host_ok(const struct dns_host *h);

#endif
