#include "probe.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dnsname.h"
#include "fedinfo.h"
#include "openid.h"
#include "str.h"

static const char *const kind_names[] = {
	[PROBE_OPENID] = "openid-configuration",
	[PROBE_ACS] = "acs-metadata",
	[PROBE_FEDINFO] = "federation-information",
	[PROBE_CLOUD_DISCOVERY] = "cloud-discovery-endpoint",
	[PROBE_ONPREM_SVC] = "onprem-autodiscover-svc",
	[PROBE_EWS] = "onprem-ews",
	[PROBE_ONPREM_METADATA] = "onprem-auth-metadata",
	[PROBE_AD_ROOT] = "autodiscover-domain-root",
	[PROBE_AD_HOST] = "autodiscover-host",
	[PROBE_AD_HTTP] = "autodiscover-http-redirect",
	[PROBE_AD_SRV] = "autodiscover-srv",
	[PROBE_AUTODV2] = "autodiscover-v2",
	[PROBE_ENTRA_KEYS] = "entra-keys",
};

const char *
probe_kind_name(enum probe_kind k)
{
	return (unsigned)k <= PROBE_KIND_LAST ? kind_names[k] : "unknown";
}

/* Host of an http(s) URL, lower case; caller frees. */
static char *
url_host(const char *url)
{
	const char *p = strstr(url, "://");
	size_t n;
	char *h;

	p = p ? p + 3 : url;
	if (*p == '[') {
		n = strcspn(p, "]");
		h = xstrndup(p + 1, n ? n - 1 : 0);
	} else {
		n = strcspn(p, "/:?#");
		h = xstrndup(p, n);
	}
	str_lower(h);
	return h;
}

const struct probe *
probe_find_url(const struct probe_results *r, enum probe_kind kind,
    const char *url)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i]->kind == kind && strcasecmp(r->v[i]->url, url) == 0)
			return r->v[i];
	return NULL;
}

const struct probe *
probe_find(const struct probe_results *r, enum probe_kind kind,
    const struct cloud *cloud, const char *host)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct probe *p = r->v[i];

		if (p->kind == kind && (cloud == NULL || p->cloud == cloud) &&
		    (host == NULL || strcasecmp(p->host, host) == 0))
			return p;
	}
	return NULL;
}

static const char *
template_of(enum probe_kind kind)
{
	return kind == PROBE_OPENID ? "openid_configuration_url" :
	    kind == PROBE_ACS ? "acs_metadata_url" : NULL;
}

const struct probe *
probe_for_cloud(const struct probe_results *r, enum probe_kind kind,
    const struct cloud *cloud, const char *domain)
{
	const char *t = template_of(kind);
	const struct probe *p;
	char *url;

	if (t == NULL)
		return probe_find(r, kind, cloud, NULL);
	if ((url = cloud_expand(cloud_value(cloud, t), domain)) == NULL)
		return NULL;
	p = probe_find_url(r, kind, url);
	free(url);
	return p;
}

/* Adds a probe unless the same request is planned already; returns it. */
static struct probe *
add(struct probe_results *r, enum probe_kind kind, const struct cloud *cloud,
    const char *url, const char *body, int wave)
{
	struct probe *p;

	/* The same URL with another body (a POST about another name) is another request. */
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i]->kind == kind && strcasecmp(r->v[i]->url, url) == 0 &&
		    (r->v[i]->body == NULL) == (body == NULL) &&
		    (body == NULL || strcmp(r->v[i]->body, body) == 0))
			return r->v[i];
	p = xcalloc(1, sizeof(*p));
	p->kind = kind;
	p->cloud = cloud;
	p->url = xstrdup(url);
	p->host = url_host(url);
	p->body = body ? xstrdup(body) : NULL;
	p->wave = wave;
	p->planned_only = 1;
	r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	r->v[r->n++] = p;
	return p;
}

char *
probe_initial_domain(const char *routing)
{
	const char *m = NULL;

	for (const char *q = routing; q != NULL && *q != '\0' && m == NULL; q++)
		if (q != routing && strncasecmp(q, ".mail.", 6) == 0)
			m = q;
	if (m == NULL)
		return NULL;
	return xasprintf("%.*s%s", (int)(m - routing), routing, m + 5);
}

const struct probe *
probe_find_asked(const struct probe_results *r, enum probe_kind kind,
    const struct cloud *cloud, const char *asked)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct probe *p = r->v[i];

		if (p->kind == kind && (cloud == NULL || p->cloud == cloud) &&
		    p->asked != NULL && strcasecmp(p->asked, asked) == 0)
			return p;
	}
	return NULL;
}

/* GetFederationInformation about name at the cloud's recommended endpoint. */
static void
plan_fedinfo(struct probe_results *r, const struct cloud *cloud,
    const char *name, int wave)
{
	const char *rec = cloud_preferred(cloud, "discovery_endpoints");
	struct probe *p;
	char *body;

	if (rec == NULL)
		return;
	body = fedinfo_request(name, rec);
	p = add(r, PROBE_FEDINFO, cloud, rec, body, wave);
	free(body);
	if (p->asked == NULL)
		p->asked = xstrdup(name);
}

/* A routing domain of the organisation's data, confirmed live in this cloud. */
static void
plan_confirm(struct probe_results *r, const struct cloud *cloud,
    const char *routing, int wave)
{
	const struct cloud_field *f = cloud_field(cloud, "routing_domain_suffixes");
	const char *tmpl = cloud_value(cloud, "autodiscover_v2_url");
	int under = 0;
	char *initial, *url;
	struct probe *p;

	for (size_t i = 0; f != NULL && i < f->values.n; i++) {
		char *dot = xasprintf(".%s", f->values.v[i]);

		under |= str_has_suffix_ci(routing, dot);
		free(dot);
	}
	if (!under)
		return;
	plan_fedinfo(r, cloud, routing, wave);
	if (tmpl == NULL || (initial = probe_initial_domain(routing)) == NULL)
		return;
	if (dnsname_is_valid(initial) && (url = cloud_expand(tmpl, initial)) != NULL) {
		p = add(r, PROBE_AUTODV2, cloud, url, NULL, wave);
		if (p->asked == NULL)
			p->asked = xstrdup(initial);
		free(url);
	}
	free(initial);
}

void
probe_plan_cloud(struct probe_results *r, const struct cloud *cloud,
    const char *domain, int wave)
{
	const struct cloud_field *f = cloud_field(cloud, "discovery_endpoints");

	if (domain != NULL)
		plan_fedinfo(r, cloud, domain, wave);
	for (size_t i = 0; f != NULL && i < f->values.n; i++)
		add(r, PROBE_CLOUD_DISCOVERY, cloud, f->values.v[i], NULL, wave);
	for (size_t i = 0; i < r->confirm.n; i++)
		plan_confirm(r, cloud, r->confirm.v[i], wave);
}

static void
onprem_host(struct probe_results *r, const char *host)
{
	if (!strlist_contains_ci(&r->onprem_hosts, host))
		strlist_add(&r->onprem_hosts, host);
}

void
probe_plan_tenant(struct probe_results *r, const struct cloud_set *clouds,
    const struct cloud *only, const char *domain)
{
	static const enum probe_kind kinds[] = { PROBE_OPENID, PROBE_ACS };
	char *url;

	free(r->domain);
	r->domain = xstrdup(domain);
	for (size_t i = 0; i < clouds->n; i++) {
		if (only != NULL && &clouds->v[i] != only)
			continue;
		for (size_t k = 0; k < 2; k++) {
			const char *t = cloud_value(&clouds->v[i],
			    template_of(kinds[k]));

			if (t == NULL || (url = cloud_expand(t, domain)) == NULL)
				continue;
			add(r, kinds[k], &clouds->v[i], url, NULL, 1);
			free(url);
		}
	}
}

void
probe_plan(struct probe_results *r, const struct cloud_set *clouds,
    const struct cloud *cloud, const char *domain, const struct strlist *hosts)
{
	char *url;

	if (domain != NULL) {
		/* Every cloud: where the tenant lives is itself a finding. */
		probe_plan_tenant(r, clouds, NULL, domain);
		if (cloud != NULL)
			probe_plan_cloud(r, cloud, domain, 1);
	}
	/*
	 * Exchange Online reaches the organisation at autodiscover.<domain>
	 * by default, and mail.<domain> is where EWS often is: both are
	 * guesses, judged only where they exist, unless hosts names them.
	 */
	if (domain != NULL) {
		char *ad = xasprintf("autodiscover.%s", domain);
		char *mail = xasprintf("mail.%s", domain);

		url = xasprintf("https://%s/autodiscover/autodiscover.svc", ad);
		add(r, PROBE_ONPREM_SVC, NULL, url, NULL, 1)->guessed = 1;
		free(url);
		url = xasprintf("https://%s/EWS/Exchange.asmx", mail);
		add(r, PROBE_EWS, NULL, url, NULL, 1)->guessed = 1;
		free(url);
		url = xasprintf("https://%s/autodiscover/metadata/json/1", ad);
		add(r, PROBE_ONPREM_METADATA, NULL, url, NULL, 1)->guessed = 1;
		free(url);
		onprem_host(r, ad);
		onprem_host(r, mail);
		onprem_host(r, domain);
		free(ad);
		free(mail);
	}
	for (size_t i = 0; hosts != NULL && i < hosts->n; i++) {
		const char *h = hosts->v[i];

		url = xasprintf("https://%s/autodiscover/autodiscover.svc", h);
		add(r, PROBE_ONPREM_SVC, NULL, url, NULL, 1)->guessed = 0;
		free(url);
		url = xasprintf("https://%s/EWS/Exchange.asmx", h);
		add(r, PROBE_EWS, NULL, url, NULL, 1)->guessed = 0;
		free(url);
		url = xasprintf("https://%s/autodiscover/metadata/json/1", h);
		add(r, PROBE_ONPREM_METADATA, NULL, url, NULL, 1)->guessed = 0;
		free(url);
		onprem_host(r, h);
	}
	/* The discovery methods clients follow, in their order. */
	if (domain != NULL) {
		url = xasprintf("https://%s/autodiscover/autodiscover.xml", domain);
		add(r, PROBE_AD_ROOT, NULL, url, NULL, 1);
		free(url);
		url = xasprintf("https://autodiscover.%s/autodiscover/autodiscover.xml",
		    domain);
		add(r, PROBE_AD_HOST, NULL, url, NULL, 1);
		free(url);
		url = xasprintf("http://autodiscover.%s/autodiscover/autodiscover.xml",
		    domain);
		add(r, PROBE_AD_HTTP, NULL, url, NULL, 1);
		free(url);
		free(r->srv_name);
		r->srv_name = xasprintf("_autodiscover._tcp.%s", domain);
	}
}

/* Running: the state the callbacks share. */
struct probe_run {
	struct probe_results	*r;
	const struct cloud_set	*clouds;
	const struct cloud	*cloud;
	struct http_engine	*eng;
	size_t			 openid_left;
	int			 wave2_done;
	int			 keys_done;
	size_t			 pending;	/* requests and questions not answered */
	int			 copy_hosts;	/* the engine keeps the lookups */
	long long		 t0;
};

static void	openid_done(struct probe_run *st);

/* A request is final (with its redirect hop, if any). */
static void
probe_done(void *arg)
{
	struct probe *p = arg;
	struct probe_run *st = p->run;

	if (p->kind == PROBE_OPENID)
		openid_done(st);
	st->pending--;
}

static void
start(struct probe_run *st, struct probe *p)
{
	struct http_request req = { 0 };

	if (!p->planned_only)
		return;
	p->planned_only = 0;
	p->run = st;
	req.url = p->url;
	req.method = p->body ? "POST" : "GET";
	req.body = p->body;
	if (p->body) {
		req.content_type = "text/xml; charset=utf-8";
		req.soap_action = FEDINFO_SOAP_ACTION;
	}
	req.follow_https = p->kind == PROBE_AD_HTTP;
	req.multiplex = p->cloud != NULL;
	req.on_done = probe_done;
	req.arg = p;
	if (p->kind == PROBE_OPENID)
		st->openid_left++;
	st->pending++;
	http_engine_add(st->eng, &req, &p->resp);
}

/*
 * The tenant's Entra signing keys, once discovery named the tenant and
 * its cloud (the chosen one, else the one found): what verifies a token
 * Entra ID issued.
 */
static void
plan_entra_keys(struct probe_run *st)
{
	const struct cloud *c = st->cloud ? st->cloud : st->r->tenant_cloud;
	const char *t = c ? cloud_value(c, "entra_keys_url") : NULL;
	struct probe *p;
	char *url;

	if (t == NULL || st->r->tenant_id == NULL ||
	    !str_is_guid(st->r->tenant_id, strlen(st->r->tenant_id)))
		return;
	url = cloud_expand(t, st->r->tenant_id);
	p = add(st->r, PROBE_ENTRA_KEYS, c, url, NULL, 2);
	free(url);
	start(st, p);
}

/* When every OpenID answer is in and named one cloud, its probes follow. */
static void
openid_done(struct probe_run *st)
{
	size_t before;

	if (--st->openid_left > 0)
		return;
	if (st->r->entra_keys && !st->keys_done) {
		st->keys_done = 1;
		probe_discover(st->r, st->clouds);
		plan_entra_keys(st);
	}
	if (st->cloud != NULL || st->wave2_done || st->r->tenant_only)
		return;
	st->wave2_done = 1;
	probe_discover(st->r, st->clouds);
	if (st->r->tenant_cloud == NULL || st->r->domain == NULL)
		return;
	before = st->r->n;
	probe_plan_cloud(st->r, st->r->tenant_cloud, st->r->domain, 2);
	for (size_t i = before; i < st->r->n; i++)
		start(st, st->r->v[i]);
}

/* The SRV answer names the host Autodiscover lives on: ask it. */
static void
srv_done(void *arg)
{
	struct probe_run *st = arg;
	const struct dns_answer *a = &st->r->srv;
	const struct dns_srv *best = NULL;
	struct probe *p;
	char *url;

	st->pending--;
	if (a->status != DNS_OK || a->nsrv == 0)
		return;
	for (size_t i = 0; i < a->nsrv; i++)
		if (best == NULL || a->srv[i].priority < best->priority ||
		    (a->srv[i].priority == best->priority &&
		    a->srv[i].weight > best->weight))
			best = &a->srv[i];
	/*
	 * "." means the service is not offered. The target comes from the
	 * network: only a valid host name is put into a URL, never a string
	 * with '/', '@' or ':' that would change the URL's host or path.
	 */
	if (best->target[0] == '\0' || strcmp(best->target, ".") == 0 ||
	    !dnsname_is_valid(best->target))
		return;
	url = best->port == 443 ?
	    xasprintf("https://%s/autodiscover/autodiscover.xml", best->target) :
	    xasprintf("https://%s:%d/autodiscover/autodiscover.xml", best->target,
	    best->port);
	p = add(st->r, PROBE_AD_SRV, NULL, url, NULL, 2);
	free(url);
	start(st, p);
	/*
	 * The host the SRV record publishes is a known one: its
	 * autodiscover.svc and auth metadata are judged like a named host's.
	 */
	for (int k = 0; k < 2; k++) {
		const char *path = k == 0 ? "autodiscover/autodiscover.svc" :
		    "autodiscover/metadata/json/1";

		url = best->port == 443 ? xasprintf("https://%s/%s", best->target,
		    path) : xasprintf("https://%s:%d/%s", best->target, best->port,
		    path);
		p = add(st->r, k == 0 ? PROBE_ONPREM_SVC : PROBE_ONPREM_METADATA,
		    NULL, url, NULL, 2);
		p->guessed = 0;
		free(url);
		start(st, p);
	}
}

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Looks up the host of every URL the clouds' second wave could ask. */
static void
prefetch_cloud_names(struct probe_run *st)
{
	struct probe_results plan;
	struct strlist seen = { 0 };

	for (size_t c = 0; c < st->clouds->n; c++) {
		memset(&plan, 0, sizeof(plan));
		plan.domain = st->r->domain;
		probe_plan_cloud(&plan, &st->clouds->v[c], st->r->domain, 2);
		for (size_t i = 0; i < plan.n; i++) {
			const char *h = plan.v[i]->host;

			if (h == NULL || strlist_contains_ci(&seen, h))
				continue;
			strlist_add(&seen, h);
			http_engine_lookup(st->eng, h, st->r->connect_view);
		}
		plan.domain = NULL;
		probe_results_release(&plan);
	}
	strlist_release(&seen);
}

struct probe_run *
probe_start(struct probe_results *r, const struct cloud_set *clouds,
    const struct cloud *cloud, struct http_engine *eng, int copy_hosts)
{
	struct probe_run *st = xcalloc(1, sizeof(*st));
	size_t n;

	st->t0 = mono_ms();
	st->r = r;
	st->clouds = clouds;
	st->cloud = cloud;
	st->eng = eng;
	st->copy_hosts = copy_hosts;
	r->nviews = http_engine_views(eng);
	r->connect_view = r->nviews - 1;
	for (int v = 0; v < r->nviews; v++)
		r->view_names[v] = xstrdup(http_engine_view_name(eng, v));
	n = r->n;
	for (size_t i = 0; i < n; i++)
		start(st, r->v[i]);
	if (r->srv_name != NULL) {
		st->pending++;
		http_engine_query(eng, r->connect_view, r->srv_name, DNS_SRV,
		    &r->srv, srv_done, st);
	}
	/*
	 * Without --cloud, the cloud's own probes wait for tenant discovery;
	 * their names need not: every cloud's are looked up now, so the second
	 * wave starts with its answers in (one round trip less).
	 */
	if (cloud == NULL && !r->tenant_only && r->domain != NULL && clouds != NULL)
		prefetch_cloud_names(st);
	/* Split DNS: the other view of every on-premises name. */
	for (int v = 0; v < r->nviews; v++)
		for (size_t i = 0; i < r->onprem_hosts.n; i++)
			http_engine_lookup(eng, r->onprem_hosts.v[i], v);
	for (size_t i = 0; i < r->lookup_only.n; i++)
		http_engine_lookup(eng, r->lookup_only.v[i], probe_public_view(r));
	return st;
}

int
probe_public_view(const struct probe_results *r)
{
	return r->nviews > 1 ? r->nviews - 1 : 0;
}

int
probe_settled(const struct probe_run *st)
{
	if (st->pending > 0)
		return 0;
	for (int v = 0; v < st->r->nviews; v++)
		for (size_t i = 0; i < st->r->onprem_hosts.n; i++) {
			const struct dns_host *h = http_engine_host(st->eng,
			    st->r->onprem_hosts.v[i], v);

			if (h != NULL && !dns_host_done(h))
				return 0;
		}
	for (size_t i = 0; i < st->r->lookup_only.n; i++) {
		const struct dns_host *h = http_engine_host(st->eng,
		    st->r->lookup_only.v[i], probe_public_view(st->r));

		if (h != NULL && !dns_host_done(h))
			return 0;
	}
	return 1;
}

static void
answer_copy(struct dns_answer *to, const struct dns_answer *from)
{
	to->type = from->type;
	to->done = from->done;
	to->status = from->status;
	to->error = from->error ? xstrdup(from->error) : NULL;
	for (size_t i = 0; i < from->addrs.n; i++)
		strlist_add(&to->addrs, from->addrs.v[i]);
	to->canonical = from->canonical ? xstrdup(from->canonical) : NULL;
	if (from->nsrv > 0) {
		to->srv = xcalloc(from->nsrv, sizeof(*to->srv));
		for (size_t i = 0; i < from->nsrv; i++) {
			to->srv[i] = from->srv[i];
			to->srv[i].target = xstrdup(from->srv[i].target);
		}
		to->nsrv = from->nsrv;
	}
}

/* The run's lookup of a name, as this organisation's own copy. */
static const struct dns_host *
host_keep(struct probe_results *r, const struct dns_host *h)
{
	struct dns_host *mine;

	if (h == NULL)
		return NULL;
	if ((mine = dns_hostset_find(&r->hosts, h->name, h->view)) != NULL)
		return mine;
	mine = dns_hostset_add(&r->hosts, h->name, h->view);
	mine->from_resolve = h->from_resolve;
	dns_answer_release(&mine->a);
	dns_answer_release(&mine->aaaa);
	answer_copy(&mine->a, &h->a);
	answer_copy(&mine->aaaa, &h->aaaa);
	return mine;
}

void
probe_finish(struct probe_run *st)
{
	struct probe_results *r;

	if (st == NULL)
		return;
	r = st->r;
	if (st->copy_hosts) {
		for (int v = 0; v < r->nviews; v++)
			for (size_t i = 0; i < r->onprem_hosts.n; i++)
				host_keep(r, http_engine_host(st->eng,
				    r->onprem_hosts.v[i], v));
		for (size_t i = 0; i < r->lookup_only.n; i++)
			host_keep(r, http_engine_host(st->eng, r->lookup_only.v[i],
			    probe_public_view(r)));
		for (size_t i = 0; i < r->n; i++) {
			struct http_response *resp = &r->v[i]->resp;

			for (; resp != NULL; resp = resp->redirect)
				resp->dns = host_keep(r, resp->dns);
		}
	}
	for (size_t i = 0; i < r->n; i++)
		r->v[i]->run = NULL;
	probe_discover(r, st->clouds);
	r->elapsed_ms = (long)(mono_ms() - st->t0);
	r->ran = 1;
	free(st);
}

int
probe_run(struct probe_results *r, const struct cloud_set *clouds,
    const struct cloud *cloud, const struct net_config *cfg, struct hcerr *e)
{
	struct http_engine *eng;
	struct probe_run *st;

	if ((eng = http_engine_new(cfg, &r->hosts, e)) == NULL)
		return -1;
	st = probe_start(r, clouds, cloud, eng, 0);
	http_engine_run(eng);
	probe_finish(st);
	http_engine_free(eng);
	return 0;
}

/* Keeps the candidates whose field lists value, when any does. */
static void
narrow(struct probe_results *r, const char *field, const char *value)
{
	size_t kept = 0;

	if (value == NULL || r->ncandidates < 2)
		return;
	for (size_t c = 0; c < r->ncandidates; c++)
		if (cloud_has_value(r->candidates[c], field, value))
			kept++;
	if (kept == 0)
		return;
	kept = 0;
	for (size_t c = 0; c < r->ncandidates; c++)
		if (cloud_has_value(r->candidates[c], field, value))
			r->candidates[kept++] = r->candidates[c];
	r->ncandidates = kept;
}

void
probe_discover(struct probe_results *r, const struct cloud_set *clouds)
{
	const struct probe *found = NULL;
	struct openid o;
	struct hcerr e;

	free(r->tenant_id);
	r->tenant_id = NULL;
	r->tenant_cloud = NULL;
	r->ncandidates = 0;
	for (size_t i = 0; i < r->n && found == NULL; i++) {
		struct probe *p = r->v[i];

		if (p->kind != PROBE_OPENID || p->resp.status != 200 ||
		    p->resp.body_truncated)
			continue;
		/* Parsed once, here; the facts and the checks read it. */
		if (p->openid == NULL) {
			p->openid = xcalloc(1, sizeof(*p->openid));
			if (openid_parse(p->openid, p->resp.body, p->resp.body_len,
			    &e) == -1) {
				free(p->openid);
				p->openid = NULL;
			}
		}
		if (p->openid == NULL)
			continue;
		o = *p->openid;
		found = p;
		r->tenant_id = xstrdup(o.tenant_id);
		/* Which clouds the answer fits: instance name, else token host. */
		for (size_t c = 0; c < clouds->n && r->ncandidates < 8; c++) {
			const struct cloud *cl = &clouds->v[c];
			int fits = o.cloud_instance_name != NULL ?
			    cloud_has_value(cl, "cloud_instance_names",
			    o.cloud_instance_name) :
			    o.token_host != NULL &&
			    cloud_has_value(cl, "login_hosts", o.token_host);

			if (fits)
				r->candidates[r->ncandidates++] = cl;
		}
		/*
		 * Nothing fits: the clouds whose discovery URL this is. When
		 * several share it (GCC High and DoD), it is all of them, never
		 * the one that happened to plan the request.
		 */
		if (r->ncandidates == 0)
			for (size_t c = 0; c < clouds->n && r->ncandidates < 8; c++) {
				const char *t = cloud_value(&clouds->v[c],
				    "openid_configuration_url");
				char *url = t != NULL && r->domain != NULL ?
				    cloud_expand(t, r->domain) : NULL;

				if (url != NULL && strcasecmp(url, p->url) == 0)
					r->candidates[r->ncandidates++] = &clouds->v[c];
				free(url);
			}
		if (r->ncandidates == 0)
			r->candidates[r->ncandidates++] = p->cloud;
		/*
		 * The scope, then the sub-scope, narrow the candidates to those
		 * that list the value; a value no candidate lists narrows
		 * nothing (tenant.discovery reports it). The sub-scope is what
		 * tells GCC High (DODCON) from DoD (DOD).
		 */
		narrow(r, "tenant_region_scopes", o.tenant_region_scope);
		narrow(r, "tenant_region_sub_scopes", o.tenant_region_sub_scope);
	}
	if (r->ncandidates == 1)
		r->tenant_cloud = r->candidates[0];
}

int
probe_not_published(const struct probe *p)
{
	const struct http_response *r = &p->resp;
	const struct dns_host *h = r->dns;

	if (!p->guessed || p->planned_only)
		return 0;
	switch (r->outcome) {
	case HTTP_RESPONSE:
		return r->status == 404;
	case HTTP_ECONNECT:
		return 1;
	case HTTP_EDNS:
		return h != NULL && (h->a.status == DNS_ENXDOMAIN ||
		    h->a.status == DNS_ENODATA) && (h->aaaa.status == DNS_ENXDOMAIN ||
		    h->aaaa.status == DNS_ENODATA);
	default:
		return 0;
	}
}

int
probe_answered(const struct http_response *resp)
{
	return resp->outcome == HTTP_RESPONSE && (resp->status == 401 ||
	    resp->status == 200 || resp->status == 405);
}

static void
published(struct strlist *out, struct strlist *from,
    const struct http_response *resp, const char *how, const char *url)
{
	if (resp != NULL && resp->host != NULL && probe_answered(resp) &&
	    strncasecmp(resp->url, "https://", 8) == 0 &&
	    !strlist_contains_ci(out, resp->host)) {
		strlist_add(out, resp->host);
		if (from != NULL)
			strlist_add_owned(from, xasprintf("%s%s%s", how,
			    url ? " " : "", url ? url : ""));
	}
}

void
probe_published_hosts_from(const struct probe_results *r, struct strlist *out,
    struct strlist *from)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct probe *p = r->v[i];

		switch (p->kind) {
		case PROBE_ONPREM_SVC:
		case PROBE_EWS:
		case PROBE_AD_ROOT:
		case PROBE_AD_HOST:
			published(out, from, &p->resp, "an answer at", p->resp.url);
			break;
		case PROBE_AD_SRV:
			published(out, from, &p->resp, "the Autodiscover SRV "
			    "record's target, answering at", p->resp.url);
			break;
		case PROBE_AD_HTTP:
			published(out, from, p->resp.redirect, "the Autodiscover "
			    "HTTP redirect (plain HTTP) from", p->resp.url);
			break;
		default:
			break;
		}
	}
}

void
probe_published_hosts(const struct probe_results *r, struct strlist *out)
{
	probe_published_hosts_from(r, out, NULL);
}

void
probe_results_release(struct probe_results *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i]->url);
		free(r->v[i]->host);
		free(r->v[i]->body);
		free(r->v[i]->asked);
		http_response_release(&r->v[i]->resp);
		openid_release(r->v[i]->openid);
		free(r->v[i]->openid);
		free(r->v[i]);
	}
	free(r->v);
	free(r->domain);
	dns_hostset_release(&r->hosts);
	for (int v = 0; v < DNS_VIEWS_MAX; v++)
		free(r->view_names[v]);
	dns_answer_release(&r->srv);
	free(r->srv_name);
	strlist_release(&r->onprem_hosts);
	strlist_release(&r->lookup_only);
	strlist_release(&r->confirm);
	free(r->tenant_id);
	memset(r, 0, sizeof(*r));
}

void
probe_results_free(struct probe_results *r)
{
	probe_results_release(r);
	free(r);
}
