/*
 * The outside-in probes: from the domain, the cloud and the published hosts,
 * every request a preflight makes (the plan, pure and testable), run at
 * once by http.c, and the results the checks read.
 */
#ifndef HC_PROBE_H
#define HC_PROBE_H

#include <stddef.h>

#include "cloud.h"
#include "dns.h"
#include "http.h"
#include "mem.h"
#include "buf.h"

enum probe_kind {
	PROBE_OPENID,		/* tenant discovery, one per cloud */
	PROBE_ACS,		/* ACS auth metadata, one per cloud */
	PROBE_FEDINFO,		/* GetFederationInformation, the cloud's endpoint */
	PROBE_CLOUD_DISCOVERY,	/* GET without token, each accepted endpoint */
	PROBE_ONPREM_SVC,	/* https://<host>/autodiscover/autodiscover.svc */
	PROBE_EWS,		/* https://<host>/EWS/Exchange.asmx */
	PROBE_ONPREM_METADATA,	/* https://<host>/autodiscover/metadata/json/1 */
	PROBE_AD_ROOT,		/* https://<domain>/autodiscover/autodiscover.xml */
	PROBE_AD_HOST,		/* https://autodiscover.<domain>/… */
	PROBE_AD_HTTP,		/* http://autodiscover.<domain>/…, one https hop */
	PROBE_AD_SRV,		/* https://<SRV target>:<port>/… */
	PROBE_AUTODV2,		/* the cloud's AutoDiscover v2, for the tenant's initial domain */
	PROBE_ENTRA_KEYS,	/* the tenant's Entra signing keys (token), after discovery */
	PROBE_KIND_LAST = PROBE_ENTRA_KEYS,
};

struct openid;

struct probe {
	enum probe_kind		 kind;
	const struct cloud	*cloud;		/* cloud probes: whose URL */
	char			*url;
	char			*host;		/* the host judged */
	char			*body;		/* POST body, or NULL */
	char			*asked;		/* PROBE_FEDINFO, PROBE_AUTODV2: the domain asked about */
	int			 wave;		/* 1, or 2 when it needed wave 1 */
	int			 planned_only;	/* not run (offline, tests) */
	int			 guessed;	/* a name made from the domain, not one the organisation named */
	struct probe_run	*run;		/* while running */
	struct http_response	 resp;
	struct openid		*openid;	/* PROBE_OPENID: a 200's document, parsed once */
};

struct probe_results {
	struct probe		**v;
	size_t			  n;
	char			 *domain;
	struct dns_hostset	  hosts;	/* every lookup, every view */
	int			  nviews;
	char			 *view_names[DNS_VIEWS_MAX];
	int			  connect_view;	/* the view connections used */
	struct dns_answer	  srv;		/* _autodiscover._tcp.<domain> */
	char			 *srv_name;
	struct strlist		  onprem_hosts;	/* hosts split DNS compares */
	/*
	 * Names only looked up, in the public view (the last), never
	 * connected to: the Hybrid Agent's, reachable from Exchange Online
	 * only (PROTOCOLS 12.9). The caller adds them before the run.
	 */
	struct strlist		  lookup_only;
	/*
	 * Routing domains the organisation's data names (the caller's
	 * org_routing, per cloud): the cloud's probes confirm those under
	 * its suffixes live, by GetFederationInformation for that one name
	 * and AutoDiscover v2 at the initial domain it implies.
	 */
	struct strlist		  confirm;
	long			  elapsed_ms;	/* measured, the whole run */
	int			  ran;
	int			  tenant_only;	/* no cloud probes follow discovery */
	int			  entra_keys;	/* then the tenant's Entra keys (token) */

	/* Tenant discovery, from the OpenID documents (probe_discover). */
	char			 *tenant_id;
	const struct cloud	 *tenant_cloud;		/* NULL if unknown or ambiguous */
	const struct cloud	 *candidates[8];	/* clouds the answer fits */
	size_t			  ncandidates;
};

const char	*probe_kind_name(enum probe_kind k);

/*
 * Builds the plan: tenant discovery and ACS metadata on every cloud (to
 * say where a domain lives), the chosen cloud's Autodiscover endpoints
 * (when cloud is known), the on-premises endpoints of domain and hosts,
 * and the Autodiscover discovery methods. hosts are the names the
 * organisation published (--host, the snapshot's virtual directories);
 * the endpoints planned from the domain alone (autodiscover.<domain>,
 * mail.<domain>'s EWS) are marked guessed unless hosts names them. Pure.
 */
void	probe_plan(struct probe_results *r, const struct cloud_set *clouds,
	    const struct cloud *cloud, const char *domain,
	    const struct strlist *hosts);
/*
 * Plans only tenant discovery and the ACS metadata for domain: on cloud
 * only, or on every cloud when only is NULL. With r->tenant_only set,
 * probe_run stops there (what 'hybridcheck token' needs). Pure.
 */
void	probe_plan_tenant(struct probe_results *r, const struct cloud_set *clouds,
	    const struct cloud *only, const char *domain);
/*
 * Adds the probes that need the cloud (wave 2 when it was discovered):
 * GetFederationInformation for domain, a GET of each discovery endpoint,
 * and for each name in r->confirm under the cloud's routing suffixes,
 * GetFederationInformation for it and AutoDiscover v2 at its initial domain.
 */
void	probe_plan_cloud(struct probe_results *r, const struct cloud *cloud,
	    const char *domain, int wave);

/*
 * Runs the plan in one event loop within cfg's budget. When cloud is NULL,
 * the cloud's probes follow as soon as discovery names exactly one cloud.
 * Network failures become results; only a broken setup (e) returns -1.
 */
int	probe_run(struct probe_results *r, const struct cloud_set *clouds,
	    const struct cloud *cloud, const struct net_config *cfg,
	    struct hcerr *e);

/*
 * The same in steps, on an engine the caller runs, so that one run can
 * check many organisations (batch). copy_hosts: the engine keeps the
 * lookups (created without a hostset); probe_finish copies this
 * organisation's into r->hosts. probe_settled says when every request and
 * lookup of r is answered; probe_finish then frees the run.
 */
struct probe_run;
struct probe_run *probe_start(struct probe_results *r,
		    const struct cloud_set *clouds, const struct cloud *cloud,
		    struct http_engine *eng, int copy_hosts);
int		 probe_settled(const struct probe_run *run);
void		 probe_finish(struct probe_run *run);

/* The view a name is looked up in as the Internet sees it: the last one. */
int	probe_public_view(const struct probe_results *r);

/* Tenant id and cloud from the OpenID answers; pure, idempotent. */
void	probe_discover(struct probe_results *r, const struct cloud_set *clouds);

/*
 * Hosts that answered over verified HTTPS as Exchange does (401, 200 or 405)
 * on an Exchange path: the domain root, a redirect or SRV target, EWS or
 * autodiscover.svc hosts. They are published, so SPNs must cover them.
 */
void	probe_published_hosts(const struct probe_results *r, struct strlist *out);
/* The same, with from (parallel to out) saying which answer named each. */
void	probe_published_hosts_from(const struct probe_results *r,
	    struct strlist *out, struct strlist *from);
/*
 * Whether a probe at a name made from the domain (guessed) found nothing
 * there: the name does not exist (NXDOMAIN or no address in both
 * families), nothing listens, or the path is not served (404).
 */
int	probe_not_published(const struct probe *p);
/* Whether a response is Exchange answering (401, 200 or 405 over a good connection). */
int	probe_answered(const struct http_response *resp);

void	probe_results_release(struct probe_results *r);
void	probe_results_free(struct probe_results *r);

/* Lookups for checks. */
const struct probe *probe_find(const struct probe_results *r,
		    enum probe_kind kind, const struct cloud *cloud,
		    const char *host);
const struct probe *probe_find_url(const struct probe_results *r,
		    enum probe_kind kind, const char *url);
/* The probe of kind for cloud that asked about the domain asked, or NULL. */
const struct probe *probe_find_asked(const struct probe_results *r,
		    enum probe_kind kind, const struct cloud *cloud,
		    const char *asked);
/*
 * The tenant's initial domain a routing domain implies: the ".mail."
 * label removed, as Microsoft's scripts do (contoso.mail.onmicrosoft.com,
 * contoso.partner.mail.onmschina.cn -> contoso.partner.onmschina.cn).
 * NULL when the name holds no ".mail."; caller frees.
 */
char	*probe_initial_domain(const char *routing);
/* The cloud probe of kind whose URL a cloud's profile names (deduplicated). */
const struct probe *probe_for_cloud(const struct probe_results *r,
		    enum probe_kind kind, const struct cloud *cloud,
		    const char *domain);

#endif
