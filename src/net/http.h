/*
 * The event loop that runs every request of a preflight at once: libcurl's
 * multi interface for HTTP and TLS, c-ares (dns.c) for names, both driven
 * by one poll. Every request has a deadline, capped bodies and headers, no
 * automatic redirects, and TLS verification that is always on.
 */
#ifndef HC_HTTP_H
#define HC_HTTP_H

#include <stddef.h>
#include <time.h>

#include "dns.h"
#include "tls.h"
#include "mem.h"
#include "buf.h"

#define HTTP_BODY_MAX	(1024 * 1024)
#define HTTP_HEADER_MAX	(64 * 1024)

struct http_request {
	const char	*method;	/* "GET" (default) or "POST" */
	const char	*url;
	const char	*body;		/* POST body, or NULL */
	const char	*content_type;
	const char	*soap_action;	/* SOAPAction header, or NULL */
	int		 follow_https;	/* follow one redirect, to https: only */
	int		 multiplex;	/* a cloud host: HTTP/2, one shared connection */
	void		(*on_done)(void *arg);	/* when the response is final */
	void		*arg;
};

enum http_outcome {
	HTTP_NOT_RUN,		/* never started (run ended first) */
	HTTP_RESPONSE,		/* an HTTP response arrived */
	HTTP_EDNS,		/* the name did not resolve */
	HTTP_ECONNECT,		/* no TCP connection (refused, unreachable) */
	HTTP_ETIMEOUT,		/* nothing in time */
	HTTP_ETLS,		/* the TLS handshake or verification failed */
	HTTP_EOTHER,
};

struct http_response {
	char		*url;
	char		*method;
	char		*host;		/* from the URL */
	int		 port;
	enum http_outcome outcome;
	int		 curl_code;
	char		*error;		/* libcurl's words, or the DNS failure */
	long		 status;	/* 0 without a response */
	struct strlist	 www_authenticate;	/* each header's value, in order */
	char		*diagnostics;	/* x-ms-diagnostics */
	char		*location;
	char		*date;
	char		*content_type;
	char		*server;
	char		*body;		/* NUL-terminated, at most HTTP_BODY_MAX */
	size_t		 body_len;
	int		 body_truncated;
	int		 headers_truncated;
	long		 t_connect_ms;	/* from the start of the request */
	long		 t_tls_ms;
	long		 t_total_ms;
	char		*ip;		/* the address connected to */
	long		 ip_port;
	const struct dns_host *dns;	/* the lookup used; NULL with --resolve */
	char		*resolved_by;	/* "--resolve …" or the DNS view */
	char		*connect_to;	/* the --connect-to that applied, or NULL */
	struct tls_capture tls;		/* https: the chain as the server sent it */
	time_t		 received;	/* local clock when the response ended */
	struct http_response *redirect;	/* the one hop followed, or NULL */
	char		*redirect_note;	/* why a redirect was not followed */
};

void	http_response_release(struct http_response *r);
const char *http_outcome_text(enum http_outcome o);

struct net_config {
	const struct strlist	*connect_to;	/* as the user wrote them */
	const struct strlist	*resolve;
	const struct strlist	*dns_servers;
	const char		*ca_file;	/* the only roots (curl's --cacert); NULL: the system's */
	const struct strlist	*ca_add;	/* more roots */
	long			 timeout_ms;	/* each request's limit */
	long			 budget_ms;	/* the whole run's: 0 timeout_ms, -1 none */
	int			 max_transfers;	/* transfers at once; 0 no limit */
	int			 max_per_host;	/* HTTP/1.1 transfers at once per host; 0 no limit */
};

struct http_engine;

/*
 * hosts receives every DNS lookup made (owned by the caller; NULL: the
 * engine keeps them, one cache for the run). Connections
 * use the last DNS view: with an internal and an external server, the
 * external one, which is what Exchange Online sees.
 */
struct http_engine *http_engine_new(const struct net_config *cfg,
		    struct dns_hostset *hosts, struct hcerr *e);
void		 http_engine_free(struct http_engine *eng);
int		 http_engine_views(const struct http_engine *eng);
const char	*http_engine_view_name(const struct http_engine *eng, int view);

/* Queues a request; out is filled when the run ends. May be called from callbacks. */
void	http_engine_add(struct http_engine *eng, const struct http_request *req,
	    struct http_response *out);
/* Queues an A/AAAA lookup of name in view (split-view comparisons). */
void	http_engine_lookup(struct http_engine *eng, const char *name, int view);
/* Queues another DNS question; on_done may queue requests. */
void	http_engine_query(struct http_engine *eng, int view, const char *name,
	    int type, struct dns_answer *out, void (*on_done)(void *), void *arg);

/* Runs until everything is done or the budget is spent. */
void	http_engine_run(struct http_engine *eng);

/*
 * fn runs once per turn of the event loop, outside any request's callback,
 * before the loop decides whether work is left: it may queue more.
 */
void	http_engine_on_tick(struct http_engine *eng, void (*fn)(void *), void *arg);
/* What the run cost, for scripts/bench and the tests (HYBRIDCHECK_STATS). */
struct http_stats {
	unsigned long	requests;	/* transfers started */
	unsigned long	connections;	/* new connections (CURLINFO_NUM_CONNECTS) */
	unsigned long	handshakes;	/* full handshakes: chains verified */
	unsigned long	foreign_stores;	/* verifications not against the run's store */
	unsigned long	reused_answers;	/* redirect hops answered by a request under way */
};
void	http_engine_stats(const struct http_engine *eng, struct http_stats *out);

/* Requests queued or running. */
size_t	http_engine_pending(const struct http_engine *eng);
/* A lookup made during the run (hosts NULL at creation: the run's own set). */
const struct dns_host *http_engine_host(const struct http_engine *eng,
		    const char *name, int view);

#endif
