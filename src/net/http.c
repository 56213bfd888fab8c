#include "http.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "castore.h"
#include "netopt.h"
#include "str.h"

#ifndef HC_VERSION
#define HC_VERSION "0.0.0"
#endif

enum job_state {
	JOB_WAITING,	/* for DNS */
	JOB_FOLLOWING,	/* for the same request, already under way (donor) */
	JOB_RUNNING,
	JOB_DONE,
};

struct http_job {
	struct http_engine	*eng;
	struct http_response	*resp;
	char			*method;
	char			*url;
	char			*body;
	char			*content_type;
	char			*soap_action;
	int			 follow_https;
	int			 multiplex;
	struct dns_host		*limit;		/* counted per host (max_per_host) */
	struct http_job		*donor;		/* JOB_FOLLOWING: whose answer is ours */
	int			 followed;	/* a job follows this one */
	void			(*on_done)(void *);
	void			*arg;
	enum job_state		 state;
	struct dns_host		*wait[2];	/* the host, the --connect-to target */
	int			 nwait;
	const struct resolve_entry *resolved;	/* --resolve for the host */
	const struct resolve_entry *resolved_to;
	char			 to_host[256];	/* where --connect-to sends it */
	int			 to_port;
	CURL			*easy;
	struct curl_slist	*headers;
	struct curl_slist	*resolve;
	struct curl_slist	*connect_to;
	struct buf		 bodybuf;
	size_t			 header_bytes;
	long long		 deadline;	/* this request's own limit */
	char			 errbuf[CURL_ERROR_SIZE];
};

/*
 * What a server presented for a name at an address, kept per run: a reused
 * connection or a resumed TLS session has no handshake of its own to
 * capture, but it is the same server and the same chain.
 */
struct tls_seen {
	char			*key;	/* "sni ip port" */
	struct tls_capture	 cap;
	unsigned long		 used;	/* for evicting the least recent */
};

struct http_engine {
	CURLM			*multi;
	CURLSH			*share;		/* DNS and TLS sessions, per run */
	struct tls_seen		*seen;
	size_t			 nseen;
	size_t			 maxseen;
	unsigned long		 clock;
	size_t			 active;	/* jobs waiting for DNS or running */
	size_t			 running;	/* transfers in the multi handle */
	size_t			 max_running;	/* 0: no limit */
	void			(*on_tick)(void *);
	void			*tick_arg;
	struct dns_hostset	 own_hosts;
	struct dns		*dns;
	struct net_config	 cfg;
	struct connect_to	*ct;
	size_t			 nct;
	struct resolve_entry	*rs;
	size_t			 nrs;
	struct http_job		**jobs;
	size_t			 njobs;
	struct dns_hostset	*hosts;
	long long		 deadline;
	int			 connect_view;
	int			 started;
	X509_STORE		*store;		/* the run's roots, for every connection */
	struct http_stats	 stats;
};

static int curl_ready;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *
http_outcome_text(enum http_outcome o)
{
	switch (o) {
	case HTTP_NOT_RUN:
		return "not run";
	case HTTP_RESPONSE:
		return "response";
	case HTTP_EDNS:
		return "DNS lookup failed";
	case HTTP_ECONNECT:
		return "connection failed";
	case HTTP_ETIMEOUT:
		return "timed out";
	case HTTP_ETLS:
		return "TLS failed";
	case HTTP_EOTHER:
		return "request failed";
	}
	return "unknown";
}

void
http_response_release(struct http_response *r)
{
	if (r == NULL)
		return;
	free(r->url);
	free(r->method);
	free(r->host);
	free(r->error);
	strlist_release(&r->www_authenticate);
	free(r->diagnostics);
	free(r->location);
	free(r->date);
	free(r->content_type);
	free(r->server);
	free(r->body);
	free(r->ip);
	free(r->resolved_by);
	free(r->connect_to);
	tls_capture_release(&r->tls);
	if (r->redirect != NULL) {
		http_response_release(r->redirect);
		free(r->redirect);
	}
	free(r->redirect_note);
	memset(r, 0, sizeof(*r));
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* A deep copy of a final response (no redirect of its own). */
static void
response_copy(struct http_response *to, const struct http_response *from)
{
	http_response_release(to);
	*to = *from;
	to->url = dup_or_null(from->url);
	to->method = dup_or_null(from->method);
	to->host = dup_or_null(from->host);
	to->error = dup_or_null(from->error);
	memset(&to->www_authenticate, 0, sizeof(to->www_authenticate));
	for (size_t i = 0; i < from->www_authenticate.n; i++)
		strlist_add(&to->www_authenticate, from->www_authenticate.v[i]);
	to->diagnostics = dup_or_null(from->diagnostics);
	to->location = dup_or_null(from->location);
	to->date = dup_or_null(from->date);
	to->content_type = dup_or_null(from->content_type);
	to->server = dup_or_null(from->server);
	to->body = NULL;
	if (from->body != NULL) {
		to->body = xmalloc(from->body_len + 1);
		memcpy(to->body, from->body, from->body_len);
		to->body[from->body_len] = '\0';
	}
	to->ip = dup_or_null(from->ip);
	to->resolved_by = dup_or_null(from->resolved_by);
	to->connect_to = dup_or_null(from->connect_to);
	memset(&to->tls, 0, sizeof(to->tls));
	tls_capture_copy(&to->tls, &from->tls);
	to->redirect = NULL;
	to->redirect_note = dup_or_null(from->redirect_note);
}

struct http_engine *
http_engine_new(const struct net_config *cfg, struct dns_hostset *hosts,
    struct hcerr *e)
{
	struct http_engine *eng = xcalloc(1, sizeof(*eng));
	long timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 10000;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			hcerr_set(e, "cannot start libcurl");
			free(eng);
			return NULL;
		}
		curl_ready = 1;
	}
	eng->cfg = *cfg;
	/* Without the caller's set, the run keeps its own: one DNS cache per run. */
	eng->hosts = hosts != NULL ? hosts : &eng->own_hosts;
	eng->max_running = cfg->max_transfers > 0 ? (size_t)cfg->max_transfers : 0;
	eng->maxseen = eng->max_running > 32 ? 8 * eng->max_running : 256;
	if (cfg->connect_to)
		for (size_t i = 0; i < cfg->connect_to->n; i++) {
			eng->ct = xrealloc(eng->ct, (eng->nct + 1) * sizeof(*eng->ct));
			if (netopt_parse_connect_to(cfg->connect_to->v[i],
			    &eng->ct[eng->nct], e) == -1)
				goto bad;
			eng->nct++;
		}
	if (cfg->resolve)
		for (size_t i = 0; i < cfg->resolve->n; i++) {
			eng->rs = xrealloc(eng->rs, (eng->nrs + 1) * sizeof(*eng->rs));
			if (netopt_parse_resolve(cfg->resolve->v[i], &eng->rs[eng->nrs],
			    e) == -1)
				goto bad;
			eng->nrs++;
		}
	if ((eng->dns = dns_new(cfg->dns_servers, timeout_ms, e)) == NULL)
		goto bad;
	eng->connect_view = dns_views(eng->dns) - 1;
	/* The roots, read once for the run (castore.h), never per connection. */
	if ((eng->store = ca_store_get(cfg->ca_file, cfg->ca_add, e)) == NULL)
		goto bad;
	if ((eng->multi = curl_multi_init()) == NULL) {
		hcerr_set(e, "cannot start libcurl's multi interface");
		goto bad;
	}
	/* Connections are reused by the multi handle's cache; names and TLS
	 * sessions through one share, so every transfer of the run uses them. */
	if ((eng->share = curl_share_init()) == NULL) {
		hcerr_set(e, "cannot start libcurl's share interface");
		goto bad;
	}
	curl_share_setopt(eng->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(eng->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	/*
	 * --parallel bounds the transfers (max_running, host_answered), not the
	 * connections: an idle connection to a cloud host stays for the next
	 * organisation, beside one per transfer.
	 */
	curl_multi_setopt(eng->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	if (eng->max_running > 0)
		curl_multi_setopt(eng->multi, CURLMOPT_MAXCONNECTS,
		    (long)eng->max_running + 64);
	eng->deadline = cfg->budget_ms < 0 ? -1 : now_ms() +
	    (cfg->budget_ms > 0 ? cfg->budget_ms : timeout_ms);
	return eng;
bad:
	http_engine_free(eng);
	return NULL;
}

static void
job_free(struct http_job *j)
{
	if (j->easy) {
		if (j->state == JOB_RUNNING)
			curl_multi_remove_handle(j->eng->multi, j->easy);
		curl_easy_cleanup(j->easy);
	}
	curl_slist_free_all(j->headers);
	curl_slist_free_all(j->resolve);
	curl_slist_free_all(j->connect_to);
	buf_release(&j->bodybuf);
	free(j->method);
	free(j->url);
	free(j->body);
	free(j->content_type);
	free(j->soap_action);
	free(j);
}

/* Frees finished jobs; never from a callback, where a caller may hold one. */
static void
jobs_compact(struct http_engine *eng)
{
	size_t k = 0;

	for (size_t i = 0; i < eng->njobs; i++) {
		if (eng->jobs[i]->state == JOB_DONE && eng->jobs[i]->on_done == NULL)
			job_free(eng->jobs[i]);
		else
			eng->jobs[k++] = eng->jobs[i];
	}
	eng->njobs = k;
}

void
http_engine_free(struct http_engine *eng)
{
	if (eng == NULL)
		return;
	for (size_t i = 0; i < eng->njobs; i++)
		job_free(eng->jobs[i]);
	free(eng->jobs);
	if (eng->multi)
		curl_multi_cleanup(eng->multi);
	if (eng->share)
		curl_share_cleanup(eng->share);
	if (eng->store)
		X509_STORE_free(eng->store);
	for (size_t i = 0; i < eng->nseen; i++) {
		free(eng->seen[i].key);
		tls_capture_release(&eng->seen[i].cap);
	}
	free(eng->seen);
	dns_hostset_release(&eng->own_hosts);
	dns_free(eng->dns);
	for (size_t i = 0; i < eng->nrs; i++)
		netopt_resolve_release(&eng->rs[i]);
	free(eng->rs);
	free(eng->ct);
	free(eng);
}

int
http_engine_views(const struct http_engine *eng)
{
	return dns_views(eng->dns);
}

const char *
http_engine_view_name(const struct http_engine *eng, int view)
{
	return dns_view_name(eng->dns, view);
}

static void host_answered(void *arg);
static void job_done(struct http_job *j);

static struct dns_host *
lookup(struct http_engine *eng, const char *name, int view)
{
	struct dns_host *h = dns_hostset_find(eng->hosts, name, view);

	if (h != NULL)
		return h;
	h = dns_hostset_add(eng->hosts, name, view);
	dns_query(eng->dns, view, name, DNS_A, &h->a, host_answered, eng);
	dns_query(eng->dns, view, name, DNS_AAAA, &h->aaaa, host_answered, eng);
	return h;
}

void
http_engine_lookup(struct http_engine *eng, const char *name, int view)
{
	if (view >= 0 && view < dns_views(eng->dns))
		lookup(eng, name, view);
}

void
http_engine_query(struct http_engine *eng, int view, const char *name,
    int type, struct dns_answer *out, void (*on_done)(void *), void *arg)
{
	dns_query(eng->dns, view, name, type, out, on_done, arg);
}

static const struct resolve_entry *
find_resolve(const struct http_engine *eng, const char *host, int port)
{
	for (size_t i = 0; i < eng->nrs; i++)
		if (eng->rs[i].port == port && strcasecmp(eng->rs[i].host, host) == 0)
			return &eng->rs[i];
	return NULL;
}

/* URL parts with libcurl's own parser, so both agree on what the URL means. */
static int
url_parts(const char *url, char **host, int *port, int *https)
{
	CURLU *u = curl_url();
	char *h = NULL, *p = NULL, *s = NULL;
	int rc = -1;

	if (u == NULL || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &s, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) != CURLUE_OK)
		goto out;
	*host = xstrdup(h);
	str_lower(*host);
	*port = atoi(p);
	*https = strcasecmp(s, "https") == 0;
	rc = 0;
out:
	curl_free(h);
	curl_free(p);
	curl_free(s);
	curl_url_cleanup(u);
	return rc;
}

void
http_engine_add(struct http_engine *eng, const struct http_request *req,
    struct http_response *out)
{
	struct http_job *j = xcalloc(1, sizeof(*j));
	int https = 0;

	memset(out, 0, sizeof(*out));
	j->eng = eng;
	j->resp = out;
	j->method = xstrdup(req->method ? req->method : "GET");
	j->url = xstrdup(req->url);
	j->body = req->body ? xstrdup(req->body) : NULL;
	j->content_type = req->content_type ? xstrdup(req->content_type) : NULL;
	j->soap_action = req->soap_action ? xstrdup(req->soap_action) : NULL;
	j->follow_https = req->follow_https;
	j->multiplex = req->multiplex && strncasecmp(req->url, "https:", 6) == 0;
	j->on_done = req->on_done;
	j->arg = req->arg;
	buf_init(&j->bodybuf, HTTP_BODY_MAX);
	out->url = xstrdup(req->url);
	out->method = xstrdup(j->method);
	eng->jobs = xrealloc(eng->jobs, (eng->njobs + 1) * sizeof(*eng->jobs));
	eng->jobs[eng->njobs++] = j;

	if (url_parts(req->url, &out->host, &out->port, &https) == -1) {
		out->outcome = HTTP_EOTHER;
		out->error = xstrdup("not a URL libcurl accepts");
		if (eng->started)
			job_done(j);
		else
			j->state = JOB_DONE;
		return;
	}
	(void)https;
	/* Where --connect-to sends it: the first entry that matches, as curl. */
	snprintf(j->to_host, sizeof(j->to_host), "%s", out->host);
	j->to_port = out->port;
	for (size_t i = 0; i < eng->nct; i++) {
		const struct connect_to *c = &eng->ct[i];

		if ((c->host[0] && strcasecmp(c->host, out->host) != 0) ||
		    (c->port && c->port != out->port))
			continue;
		if (c->to_host[0])
			snprintf(j->to_host, sizeof(j->to_host), "%s", c->to_host);
		if (c->to_port)
			j->to_port = c->to_port;
		out->connect_to = xstrdup(eng->cfg.connect_to->v[i]);
		break;
	}
	/* --resolve short-circuits DNS for exactly HOST:PORT. */
	if ((j->resolved = find_resolve(eng, out->host, out->port)) != NULL)
		out->resolved_by = xasprintf("--resolve %s:%d", out->host, out->port);
	else {
		j->wait[j->nwait++] = lookup(eng, out->host, eng->connect_view);
		out->dns = j->wait[0];
		out->resolved_by = xstrdup(dns_view_name(eng->dns, eng->connect_view));
	}
	if (strcasecmp(j->to_host, out->host) != 0 && !netopt_is_ip(j->to_host)) {
		if ((j->resolved_to = find_resolve(eng, j->to_host, j->to_port)) == NULL)
			j->wait[j->nwait++] = lookup(eng, j->to_host, eng->connect_view);
	}
	if (eng->started)
		host_answered(eng);
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct http_job *j = arg;

	if (buf_append(&j->bodybuf, p, size * n) == -1) {
		/* Enough to judge: stop reading, keep what came. */
		j->resp->body_truncated = 1;
		return 0;
	}
	return size * n;
}

static void
set_header(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct http_job *j = arg;
	struct http_response *r = j->resp;
	size_t len = size * n, nlen;
	char *line, *colon, *v, *end;

	j->header_bytes += len;
	if (j->header_bytes > HTTP_HEADER_MAX) {
		r->headers_truncated = 1;
		return 0;
	}
	line = xstrndup(p, len);
	if (strncasecmp(line, "HTTP/", 5) == 0) {
		/* A new response (after 100 Continue): forget the previous one's. */
		strlist_release(&r->www_authenticate);
		free(r->diagnostics);
		free(r->location);
		free(r->date);
		free(r->content_type);
		free(r->server);
		r->diagnostics = r->location = r->date = r->content_type =
		    r->server = NULL;
		goto out;
	}
	if ((colon = strchr(line, ':')) == NULL)
		goto out;
	*colon = '\0';
	nlen = strlen(line);
	while (nlen > 0 && isspace((unsigned char)line[nlen - 1]))
		line[--nlen] = '\0';
	v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	end = v + strlen(v);
	while (end > v && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (strcasecmp(line, "WWW-Authenticate") == 0)
		strlist_add(&r->www_authenticate, v);
	else if (strcasecmp(line, "x-ms-diagnostics") == 0)
		set_header(&r->diagnostics, v);
	else if (strcasecmp(line, "Location") == 0)
		set_header(&r->location, v);
	else if (strcasecmp(line, "Date") == 0)
		set_header(&r->date, v);
	else if (strcasecmp(line, "Content-Type") == 0)
		set_header(&r->content_type, v);
	else if (strcasecmp(line, "Server") == 0)
		set_header(&r->server, v);
out:
	free(line);
	return len;
}

/* "host port": one TLS endpoint of the run (--connect-to is fixed per host and port). */
static char *
seen_key(const char *host, long port)
{
	return xasprintf("%s %ld", host ? host : "", port);
}

static struct tls_seen *
seen_find(struct http_engine *eng, const char *key)
{
	for (size_t i = 0; i < eng->nseen; i++)
		if (strcmp(eng->seen[i].key, key) == 0) {
			eng->seen[i].used = ++eng->clock;
			return &eng->seen[i];
		}
	return NULL;
}

/* A slot for key, evicting the least recently used when full. */
static struct tls_seen *
seen_slot(struct http_engine *eng, const char *key)
{
	struct tls_seen *t = seen_find(eng, key);

	if (t != NULL) {
		tls_capture_release(&t->cap);
		return t;
	}
	if (eng->nseen < eng->maxseen) {
		eng->seen = xrealloc(eng->seen, (eng->nseen + 1) * sizeof(*eng->seen));
		t = &eng->seen[eng->nseen++];
	} else {
		t = &eng->seen[0];
		for (size_t i = 1; i < eng->nseen; i++)
			if (eng->seen[i].used < t->used)
				t = &eng->seen[i];
		free(t->key);
		tls_capture_release(&t->cap);
	}
	memset(t, 0, sizeof(*t));
	t->key = xstrdup(key);
	t->used = ++eng->clock;
	return t;
}

/*
 * libcurl makes an SSL_CTX per connection and calls on_ssl_ctx with the
 * transfer that opens it: the connection's key rides on the SSL_CTX.
 */
static int ctx_key_idx = -1;

static void
ctx_key_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
    void *argp)
{
	(void)parent;
	(void)ad;
	(void)idx;
	(void)argl;
	(void)argp;
	free(ptr);
}

/*
 * Verifies the chain as OpenSSL would and records what the server sent and
 * the verdict, so a failed handshake still tells what was presented. The
 * record belongs to the run, keyed by name and address: every request that
 * uses this connection or resumes its session reads it from there.
 */
static int
verify_chain(X509_STORE_CTX *sctx, void *arg)
{
	struct http_engine *eng = arg;
	int ok = X509_verify_cert(sctx);
	X509 *leaf = X509_STORE_CTX_get0_cert(sctx);
	STACK_OF(X509) *sent = X509_STORE_CTX_get0_untrusted(sctx);
	SSL *ssl = X509_STORE_CTX_get_ex_data(sctx,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	const char *key = ssl != NULL ? SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl),
	    ctx_key_idx) : NULL;
	struct tls_capture *c;

	eng->stats.handshakes++;
	if (X509_STORE_CTX_get0_store(sctx) != eng->store)
		eng->stats.foreign_stores++;
	if (key == NULL)
		return ok == 1;
	c = &seen_slot(eng, key)->cap;
	if (leaf != NULL) {
		unsigned char *der = NULL;
		int n = i2d_X509(leaf, &der);

		if (n > 0)
			tls_capture_add(c, der, (size_t)n);
		OPENSSL_free(der);
	}
	for (int i = 0; sent != NULL && i < sk_X509_num(sent); i++) {
		X509 *x = sk_X509_value(sent, i);
		unsigned char *der = NULL;
		int n;

		if (leaf != NULL && X509_cmp(x, leaf) == 0)
			continue;
		if ((n = i2d_X509(x, &der)) > 0)
			tls_capture_add(c, der, (size_t)n);
		OPENSSL_free(der);
	}
	c->ran = 1;
	c->verified = ok == 1;
	c->verify_code = X509_STORE_CTX_get_error(sctx);
	c->verify_depth = X509_STORE_CTX_get_error_depth(sctx);
	return ok == 1;
}

/* The chain the request's server presented, from the run's record. */
static void
capture_copy(struct http_engine *eng, struct http_response *r)
{
	struct tls_seen *t;
	char *key;

	if (r->host == NULL)
		return;
	key = seen_key(r->host, r->port);
	if ((t = seen_find(eng, key)) != NULL) {
		tls_capture_copy(&r->tls, &t->cap);
	}
	free(key);
}

static CURLcode
on_ssl_ctx(CURL *easy, void *sslctx, void *arg)
{
	struct http_job *j = NULL;

	if (curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&j) != CURLE_OK ||
	    j == NULL)
		return CURLE_SSL_CONNECT_ERROR;
	if (ctx_key_idx == -1 && (ctx_key_idx = SSL_CTX_get_ex_new_index(0, NULL,
	    NULL, NULL, ctx_key_free)) == -1)
		return CURLE_SSL_CONNECT_ERROR;
	SSL_CTX_set_ex_data(sslctx, ctx_key_idx, seen_key(j->resp->host,
	    j->resp->port));
	SSL_CTX_set_cert_verify_callback(sslctx, verify_chain, arg);
	/* The run's roots replace the empty store libcurl made. */
	SSL_CTX_set1_cert_store(sslctx, ((struct http_engine *)arg)->store);
	return CURLE_OK;
}

/* The transfer no longer counts toward its host's limit. */
static void
job_unlimit(struct http_job *j)
{
	if (j->limit != NULL) {
		j->limit->inflight--;
		j->limit = NULL;
	}
}

/* The response is final: tell whoever asked (they may queue more). */
static void
job_done(struct http_job *j)
{
	j->state = JOB_DONE;
	/* The same answer, for the requests that waited on it (the redirect's hop). */
	if (j->followed) {
		j->followed = 0;
		for (size_t i = 0; i < j->eng->njobs; i++) {
			struct http_job *f = j->eng->jobs[i];

			if (f->state == JOB_FOLLOWING && f->donor == j) {
				response_copy(f->resp, j->resp);
				f->donor = NULL;
				f->state = JOB_DONE;
				f->followed = 1;	/* its on_done is still due */
			}
		}
		if (j->on_done != NULL) {
			void (*fn)(void *) = j->on_done;

			j->on_done = NULL;
			fn(j->arg);
		}
		for (size_t i = 0; i < j->eng->njobs; i++) {
			struct http_job *f = j->eng->jobs[i];

			if (f->state == JOB_DONE && f->followed) {
				f->followed = 0;
				job_done(f);
			}
		}
		return;
	}
	if (j->on_done != NULL) {
		void (*fn)(void *) = j->on_done;

		j->on_done = NULL;
		fn(j->arg);
	}
}

/*
 * A GET of url already queued or under way in this run, whose answer can
 * stand for another request of the same URL (no body, no redirect of its
 * own); NULL when none. Compared without regard to case: Exchange's
 * Autodiscover redirect names /Autodiscover/Autodiscover.xml, and IIS
 * serves paths case-insensitively.
 */
static struct http_job *
donor_for(struct http_engine *eng, const char *url)
{
	for (size_t i = 0; i < eng->njobs; i++) {
		struct http_job *d = eng->jobs[i];

		if ((d->state == JOB_WAITING || d->state == JOB_RUNNING) &&
		    d->body == NULL && !d->follow_https &&
		    strcmp(d->method, "GET") == 0 && strcasecmp(d->url, url) == 0)
			return d;
	}
	return NULL;
}

/* Queues req as a follower of d: it ends with d's answer, asking nothing. */
static void
follow(struct http_engine *eng, struct http_job *d, const struct http_request *req,
    struct http_response *out)
{
	struct http_job *j = xcalloc(1, sizeof(*j));

	memset(out, 0, sizeof(*out));
	j->eng = eng;
	j->resp = out;
	j->method = xstrdup("GET");
	j->url = xstrdup(req->url);
	j->on_done = req->on_done;
	j->arg = req->arg;
	j->state = JOB_FOLLOWING;
	j->donor = d;
	d->followed = 1;
	eng->jobs = xrealloc(eng->jobs, (eng->njobs + 1) * sizeof(*eng->jobs));
	eng->jobs[eng->njobs++] = j;
	eng->stats.reused_answers++;
}

static void
job_fail(struct http_job *j, enum http_outcome o, const char *fmt, const char *a,
    const char *b)
{
	j->resp->outcome = o;
	free(j->resp->error);
	j->resp->error = xasprintf(fmt, a, b);
	j->resp->received = time(NULL);
	job_done(j);
}

/* "host:port:addr,addr" for CURLOPT_RESOLVE, IPv6 in brackets. */
static char *
resolve_line(const char *host, int port, const struct strlist *a,
    const struct strlist *b)
{
	struct buf s;
	size_t k = 0;

	buf_init(&s, 8192);
	buf_printf(&s, "%s:%d:", host, port);
	for (int pass = 0; pass < 2; pass++) {
		const struct strlist *l = pass ? b : a;

		for (size_t i = 0; l && i < l->n; i++, k++)
			buf_printf(&s, strchr(l->v[i], ':') ? "%s[%s]" : "%s%s",
			    k ? "," : "", l->v[i]);
	}
	return buf_steal(&s);
}

static void
job_start(struct http_job *j)
{
	struct http_engine *eng = j->eng;
	struct http_response *r = j->resp;
	long long now = now_ms(), left;
	char *line;

	/* A request's limit counts from its start; the run's budget caps it. */
	j->deadline = now + (eng->cfg.timeout_ms > 0 ? eng->cfg.timeout_ms : 10000);
	if (eng->deadline >= 0 && eng->deadline < j->deadline)
		j->deadline = eng->deadline;
	left = j->deadline - now;

	for (int i = 0; i < j->nwait; i++)
		if (!dns_host_ok(j->wait[i])) {
			const struct dns_host *h = j->wait[i];
			int st = h->a.status != DNS_ENODATA ? h->a.status :
			    h->aaaa.status;

			job_fail(j, st == DNS_ETIMEOUT ? HTTP_ETIMEOUT : HTTP_EDNS,
			    "'%s': %s", h->name, dns_status_text(st));
			return;
		}
	if (left <= 0) {
		job_fail(j, HTTP_ETIMEOUT, "%s%s", "no time left to connect", "");
		return;
	}
	if ((j->easy = curl_easy_init()) == NULL) {
		job_fail(j, HTTP_EOTHER, "%s%s", "cannot create a transfer", "");
		return;
	}
	/* Our DNS decides where the connection goes. */
	line = j->resolved ? resolve_line(r->host, r->port, &j->resolved->addrs, NULL)
	    : resolve_line(r->host, r->port, &j->wait[0]->a.addrs,
	    &j->wait[0]->aaaa.addrs);
	j->resolve = curl_slist_append(j->resolve, line);
	free(line);
	if (j->resolved_to != NULL || (j->nwait == 2)) {
		line = j->resolved_to ? resolve_line(j->to_host, j->to_port,
		    &j->resolved_to->addrs, NULL) : resolve_line(j->to_host,
		    j->to_port, &j->wait[1]->a.addrs, &j->wait[1]->aaaa.addrs);
		j->resolve = curl_slist_append(j->resolve, line);
		free(line);
	}
	for (size_t i = 0; eng->cfg.connect_to && i < eng->cfg.connect_to->n; i++)
		j->connect_to = curl_slist_append(j->connect_to,
		    eng->cfg.connect_to->v[i]);
	j->headers = curl_slist_append(j->headers, "Expect:");
	j->headers = curl_slist_append(j->headers, "Accept: */*");
	if (j->content_type) {
		line = xasprintf("Content-Type: %s", j->content_type);
		j->headers = curl_slist_append(j->headers, line);
		free(line);
	}
	if (j->soap_action) {
		line = xasprintf("SOAPAction: \"%s\"", j->soap_action);
		j->headers = curl_slist_append(j->headers, line);
		free(line);
	}
	curl_easy_setopt(j->easy, CURLOPT_URL, j->url);
	curl_easy_setopt(j->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(j->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(j->easy, CURLOPT_NOSIGNAL, 1L);
	/* Direct, as Exchange Online reaches the host: no proxy from the environment. */
	curl_easy_setopt(j->easy, CURLOPT_PROXY, "");
	curl_easy_setopt(j->easy, CURLOPT_USERAGENT, "hybridcheck/" HC_VERSION);
	curl_easy_setopt(j->easy, CURLOPT_HTTPHEADER, j->headers);
	curl_easy_setopt(j->easy, CURLOPT_RESOLVE, j->resolve);
	if (j->connect_to)
		curl_easy_setopt(j->easy, CURLOPT_CONNECT_TO, j->connect_to);
	/*
	 * The cloud's hosts: HTTP/2, every request of the run multiplexed on one
	 * connection per host (PIPEWAIT: wait for the one being opened rather
	 * than open another). The organisation's own hosts: HTTP/1.1, one
	 * response per request with the headers as Exchange sends them.
	 */
	if (j->multiplex) {
		curl_easy_setopt(j->easy, CURLOPT_HTTP_VERSION,
		    (long)CURL_HTTP_VERSION_2TLS);
		curl_easy_setopt(j->easy, CURLOPT_PIPEWAIT, 1L);
	} else
		curl_easy_setopt(j->easy, CURLOPT_HTTP_VERSION,
		    (long)CURL_HTTP_VERSION_1_1);
	/* Connections and TLS sessions are reused; the chain comes from the run's record. */
	curl_easy_setopt(j->easy, CURLOPT_SHARE, eng->share);
	curl_easy_setopt(j->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(j->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(j->easy, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
	curl_easy_setopt(j->easy, CURLOPT_SSL_CTX_DATA, eng);
	/*
	 * No CA file or directory for libcurl: it would read them for every
	 * connection (a CA directory turns off libcurl's store cache) and trust
	 * the directory beside --ca-file. on_ssl_ctx hands over the run's store.
	 */
	curl_easy_setopt(j->easy, CURLOPT_CAINFO, NULL);
	curl_easy_setopt(j->easy, CURLOPT_CAPATH, NULL);
	curl_easy_setopt(j->easy, CURLOPT_CONNECTTIMEOUT_MS, (long)left);
	curl_easy_setopt(j->easy, CURLOPT_TIMEOUT_MS, (long)left);
	curl_easy_setopt(j->easy, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)HTTP_BODY_MAX);
	curl_easy_setopt(j->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(j->easy, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(j->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(j->easy, CURLOPT_HEADERDATA, j);
	curl_easy_setopt(j->easy, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(j->easy, CURLOPT_PRIVATE, j);
	if (strcmp(j->method, "POST") == 0) {
		curl_easy_setopt(j->easy, CURLOPT_POST, 1L);
		curl_easy_setopt(j->easy, CURLOPT_POSTFIELDS, j->body ? j->body : "");
		curl_easy_setopt(j->easy, CURLOPT_POSTFIELDSIZE,
		    (long)(j->body ? strlen(j->body) : 0));
	} else if (strcmp(j->method, "GET") != 0)
		curl_easy_setopt(j->easy, CURLOPT_CUSTOMREQUEST, j->method);
	if (curl_multi_add_handle(eng->multi, j->easy) != CURLM_OK) {
		job_fail(j, HTTP_EOTHER, "%s%s", "cannot start the transfer", "");
		return;
	}
	j->state = JOB_RUNNING;
	eng->running++;
	if (!j->multiplex && j->resolved == NULL && j->nwait > 0) {
		j->limit = j->wait[0];
		j->limit->inflight++;
	}
	eng->stats.requests++;
}

/* Starts every waiting request whose names are all answered. */
static void
host_answered(void *arg)
{
	struct http_engine *eng = arg;

	if (!eng->started)
		return;
	for (size_t i = 0; i < eng->njobs; i++) {
		struct http_job *j = eng->jobs[i];
		int ready = j->state == JOB_WAITING;

		if (eng->max_running > 0 && eng->running >= eng->max_running)
			break;
		for (int k = 0; ready && k < j->nwait; k++)
			ready = dns_host_done(j->wait[k]);
		/* An organisation's own host: a few at a time, on reused connections. */
		if (ready && eng->cfg.max_per_host > 0 && !j->multiplex &&
		    j->resolved == NULL && j->nwait > 0 &&
		    j->wait[0]->inflight >= (unsigned)eng->cfg.max_per_host)
			ready = 0;
		if (ready)
			job_start(j);
	}
}

static enum http_outcome
outcome_of(CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return HTTP_RESPONSE;
	case CURLE_COULDNT_RESOLVE_HOST:
		return HTTP_EDNS;
	case CURLE_COULDNT_CONNECT:
		return HTTP_ECONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_ETIMEOUT;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		return HTTP_ETLS;
	default:
		return HTTP_EOTHER;
	}
}

static void
job_finish(struct http_job *j, CURLcode rc)
{
	struct http_response *r = j->resp;
	curl_off_t t;
	char *ip = NULL;
	long nconn = 0;

	r->curl_code = (int)rc;
	r->outcome = outcome_of(rc);
	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &r->status);
	/*
	 * Over-long headers leave nothing to judge (a challenge may be among
	 * those not read). libcurl refuses a single line over 100 KiB itself,
	 * with CURLE_OUT_OF_MEMORY, before our callback sees it.
	 */
	if (r->headers_truncated || (rc == CURLE_OUT_OF_MEMORY &&
	    r->status > 0 && j->bodybuf.len == 0)) {
		r->headers_truncated = 1;
		r->outcome = HTTP_EOTHER;
		r->error = xasprintf("response headers larger than %d bytes",
		    HTTP_HEADER_MAX);
	} else if ((rc == CURLE_WRITE_ERROR || rc == CURLE_FILESIZE_EXCEEDED) &&
	    r->status > 0) {
		/* Stopping at the body cap still leaves a response. */
		r->outcome = HTTP_RESPONSE;
		r->body_truncated = 1;
	}
	if (r->outcome != HTTP_RESPONSE && r->error == NULL)
		r->error = xstrdup(j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc));
	if (curl_easy_getinfo(j->easy, CURLINFO_CONNECT_TIME_T, &t) == CURLE_OK)
		r->t_connect_ms = (long)(t / 1000);
	if (curl_easy_getinfo(j->easy, CURLINFO_APPCONNECT_TIME_T, &t) == CURLE_OK)
		r->t_tls_ms = (long)(t / 1000);
	if (curl_easy_getinfo(j->easy, CURLINFO_TOTAL_TIME_T, &t) == CURLE_OK)
		r->t_total_ms = (long)(t / 1000);
	if (curl_easy_getinfo(j->easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK &&
	    ip != NULL && *ip)
		r->ip = xstrdup(ip);
	curl_easy_getinfo(j->easy, CURLINFO_PRIMARY_PORT, &r->ip_port);
	if (curl_easy_getinfo(j->easy, CURLINFO_NUM_CONNECTS, &nconn) == CURLE_OK &&
	    nconn > 0)
		j->eng->stats.connections += (unsigned long)nconn;
	r->body_len = j->bodybuf.len;
	r->body = buf_steal(&j->bodybuf);
	r->received = time(NULL);
	if (strncasecmp(r->url, "https:", 6) == 0 && (r->outcome == HTTP_RESPONSE ||
	    r->outcome == HTTP_ETLS || r->t_tls_ms > 0))
		capture_copy(j->eng, r);
	curl_multi_remove_handle(j->eng->multi, j->easy);
	j->eng->running--;
	job_unlimit(j);
	j->state = JOB_DONE;

	/* Autodiscover's HTTP method: one hop, and only to HTTPS. */
	if (j->follow_https && r->outcome == HTTP_RESPONSE && r->status >= 300 &&
	    r->status < 400) {
		if (r->location == NULL)
			r->redirect_note = xstrdup("redirect without a Location");
		else if (strncasecmp(r->location, "https://", 8) != 0)
			r->redirect_note = xstrdup("redirect not to an absolute "
			    "https URL: not followed");
		else {
			struct http_request next = { .method = "GET",
			    .url = r->location, .on_done = j->on_done, .arg = j->arg };

			struct http_job *d = donor_for(j->eng, r->location);

			/* The response is final when the hop is. */
			j->on_done = NULL;
			r->redirect = xcalloc(1, sizeof(*r->redirect));
			/* Already being fetched (the usual case): that answer is the hop's. */
			if (d != NULL)
				follow(j->eng, d, &next, r->redirect);
			else
				http_engine_add(j->eng, &next, r->redirect);
		}
	}
	job_done(j);
}

static int
busy(const struct http_engine *eng)
{
	for (size_t i = 0; i < eng->njobs; i++)
		if (eng->jobs[i]->state != JOB_DONE)
			return 1;
	return dns_pending(eng->dns) > 0;
}

/*
 * With HYBRIDCHECK_STATS naming a file, the process appends one JSON line
 * when it exits (scripts/bench, tests/lab/trust): what its runs cost in
 * requests, new connections, full handshakes, verifications against
 * another store than the run's, CA files read, and certificates decoded by
 * the checks (tls.c).
 */
static struct http_stats process_stats;
static int stats_registered;

static void
stats_at_exit(void)
{
	const char *path = getenv("HYBRIDCHECK_STATS");
	FILE *f;

	if (path == NULL || *path == '\0' || (f = fopen(path, "a")) == NULL)
		return;
	fprintf(f, "{\"requests\":%lu,\"connections\":%lu,\"handshakes\":%lu,"
	    "\"foreign_stores\":%lu,\"ca_files_read\":%lu,"
	    "\"certificates_decoded\":%lu,\"reused_answers\":%lu}\n",
	    process_stats.requests, process_stats.connections,
	    process_stats.handshakes, process_stats.foreign_stores,
	    ca_store_files_read(), tls_cert_decodes(),
	    process_stats.reused_answers);
	fclose(f);
}

static void
stats_write(const struct http_engine *eng)
{
	process_stats.requests += eng->stats.requests;
	process_stats.connections += eng->stats.connections;
	process_stats.handshakes += eng->stats.handshakes;
	process_stats.foreign_stores += eng->stats.foreign_stores;
	process_stats.reused_answers += eng->stats.reused_answers;
	if (!stats_registered && getenv("HYBRIDCHECK_STATS") != NULL) {
		stats_registered = 1;
		atexit(stats_at_exit);
	}
}

void
http_engine_run(struct http_engine *eng)
{
	struct pollfd pfd[2 * 16];
	struct curl_waitfd wfd[2 * 16];
	char limit[32];

	eng->started = 1;
	for (size_t i = 0; i < eng->njobs; i++)
		if (eng->jobs[i]->state == JOB_DONE)
			job_done(eng->jobs[i]);
	host_answered(eng);
	for (;;) {
		long long left = eng->deadline < 0 ? 1000 : eng->deadline - now_ms();
		int running = 0, finished = 0;
		CURLMsg *m;
		size_t n;
		long wait;

		/* The caller's turn: it may queue more (batch mode admits organisations). */
		if (eng->on_tick != NULL)
			eng->on_tick(eng->tick_arg);
		jobs_compact(eng);
		if (!busy(eng) || left <= 0)
			break;
		curl_multi_perform(eng->multi, &running);
		while ((m = curl_multi_info_read(eng->multi, &running)) != NULL) {
			struct http_job *j = NULL;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
			if (j != NULL) {
				job_finish(j, m->data.result);
				finished = 1;
			}
		}
		/* Freed slots go to requests waiting for one. */
		if (finished && (eng->max_running > 0 || eng->cfg.max_per_host > 0))
			host_answered(eng);
		if (finished || !busy(eng))
			continue;
		n = dns_fds(eng->dns, pfd, sizeof(pfd) / sizeof(pfd[0]));
		for (size_t i = 0; i < n; i++) {
			wfd[i].fd = pfd[i].fd;
			wfd[i].events = (short)((pfd[i].events & POLLIN ? CURL_WAIT_POLLIN : 0) |
			    (pfd[i].events & POLLOUT ? CURL_WAIT_POLLOUT : 0));
			wfd[i].revents = 0;
		}
		/* Sleeps until a socket is ready or a timer is due: never spins. */
		wait = dns_timeout_ms(eng->dns, left < 1000 ? (long)left : 1000);
		if (dns_pending(eng->dns) == 0)
			wait = left < 1000 ? (long)left : 1000;
		curl_multi_poll(eng->multi, wfd, (unsigned)n, (int)(wait > 0 ? wait : 1),
		    NULL);
		for (size_t i = 0; i < n; i++) {
			pfd[i].revents = (short)((wfd[i].revents & CURL_WAIT_POLLIN ? POLLIN : 0) |
			    (wfd[i].revents & CURL_WAIT_POLLOUT ? POLLOUT : 0));
		}
		dns_process(eng->dns, pfd, n);
	}
	/* The budget is spent: whatever is left ends as timed out. */
	dns_cancel(eng->dns);
	snprintf(limit, sizeof(limit), "%.3g s", (double)(eng->cfg.timeout_ms > 0 ?
	    eng->cfg.timeout_ms : 10000) / 1000);
	for (size_t i = 0; i < eng->njobs; i++) {
		struct http_job *j = eng->jobs[i];
		int named = 1;

		for (int k = 0; k < j->nwait; k++)
			named = named && dns_host_done(j->wait[k]);
		if (j->state == JOB_RUNNING) {
			struct http_response *r = j->resp;
			curl_off_t t;
			char *ip = NULL;
			long code = 0;

			/* How far it got: where it connected, and for how long. */
			if (curl_easy_getinfo(j->easy, CURLINFO_TOTAL_TIME_T, &t) ==
			    CURLE_OK)
				r->t_total_ms = (long)(t / 1000);
			if (r->ip == NULL && curl_easy_getinfo(j->easy,
			    CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != NULL && *ip) {
				r->ip = xstrdup(ip);
				curl_easy_getinfo(j->easy, CURLINFO_PRIMARY_PORT,
				    &r->ip_port);
			}
			curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &code);
			curl_multi_remove_handle(eng->multi, j->easy);
			eng->running--;
			job_unlimit(j);
			job_fail(j, HTTP_ETIMEOUT, "no complete answer within the "
			    "time limit of %s%s", limit, code > 0 ?
			    " (the headers came, the body did not end)" : "");
		} else if (j->state == JOB_WAITING)
			job_fail(j, HTTP_ETIMEOUT, "%s within the time limit of %s",
			    named ? "no free connection" : "DNS gave no answer",
			    limit);
	}
	stats_write(eng);
}

void
http_engine_on_tick(struct http_engine *eng, void (*fn)(void *), void *arg)
{
	eng->on_tick = fn;
	eng->tick_arg = arg;
}

size_t
http_engine_pending(const struct http_engine *eng)
{
	size_t n = 0;

	for (size_t i = 0; i < eng->njobs; i++)
		if (eng->jobs[i]->state != JOB_DONE)
			n++;
	return n;
}

const struct dns_host *
http_engine_host(const struct http_engine *eng, const char *name, int view)
{
	return dns_hostset_find(eng->hosts, name, view);
}

void
http_engine_stats(const struct http_engine *eng, struct http_stats *out)
{
	*out = eng->stats;
}
