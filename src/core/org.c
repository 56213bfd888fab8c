/* What the organisation's data and the live facts establish together (org.h). */
#include "org.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "mem.h"
#include "fedinfo.h"
#include "metadata.h"
#include "probe.h"
#include "str.h"

char *
org_live_acs_realm(const struct context *ctx, const char **url)
{
	const struct probe *p;
	const struct probe_facts *pf;
	char *realm = NULL;

	if (ctx->probes == NULL || ctx->cloud == NULL || ctx->domain == NULL)
		return NULL;
	p = probe_for_cloud(ctx->probes, PROBE_ACS, ctx->cloud, ctx->domain);
	if (p == NULL || p->planned_only || p->resp.outcome != HTTP_RESPONSE ||
	    p->resp.status != 200 || p->resp.body_truncated)
		return NULL;
	if ((pf = facts_of(&ctx->facts, p)) == NULL || pf->doc != FACT_DOC_OK)
		return NULL;
	if (pf->metadata.realm != NULL && str_is_guid(pf->metadata.realm, strlen(pf->metadata.realm))) {
		realm = xstrdup(pf->metadata.realm);
		str_lower(realm);
		if (url)
			*url = p->url;
	}
	return realm;
}

int
org_live_fed_domains(const struct context *ctx, struct strlist *out,
    const char **url)
{
	const struct probe *p;
	const struct probe_facts *pf;
	const struct fedinfo *f;
	int rc = -1;

	if (ctx->probes == NULL || ctx->cloud == NULL)
		return -1;
	p = probe_find(ctx->probes, PROBE_FEDINFO, ctx->cloud, NULL);
	if (p == NULL || p->planned_only || p->resp.outcome != HTTP_RESPONSE ||
	    p->resp.body_truncated)
		return -1;
	if ((pf = facts_of(&ctx->facts, p)) == NULL || pf->doc != FACT_DOC_OK)
		return -1;
	f = &pf->fedinfo;
	if (f->error_code != NULL && strcasecmp(f->error_code, "NoError") == 0 &&
	    f->domains.n > 0) {
		for (size_t i = 0; i < f->domains.n; i++) {
			char *d = xstrdup(f->domains.v[i]);

			str_lower(d);
			if (!strlist_contains_ci(out, d))
				strlist_add(out, d);
			free(d);
		}
		if (url)
			*url = p->url;
		rc = 0;
	}
	return rc;
}

/* The first name of l under one of the cloud's routing suffixes. */
static const char *
routing_of(const struct cloud *c, const struct strlist *l, const char **suffix)
{
	const struct cloud_field *f = cloud_field(c, "routing_domain_suffixes");

	/* The profile's order decides between two names; one tenant has one. */
	for (size_t i = 0; f != NULL && i < f->values.n; i++)
		for (size_t k = 0; k < l->n; k++) {
			char *dot = xasprintf(".%s", f->values.v[i]);
			int hit = str_has_suffix_ci(l->v[k], dot);

			free(dot);
			if (hit) {
				*suffix = f->values.v[i];
				return l->v[k];
			}
		}
	return NULL;
}

/* The remote mailboxes' routing domains, most used first. */
static void
remote_domains(const struct snapshot *s, struct strlist *out)
{
	size_t n = s->onprem.nremote_domains;
	const struct snap_routing_domain **v = xcalloc(n ? n : 1, sizeof(*v));

	for (size_t i = 0; i < n; i++)
		v[i] = &s->onprem.remote_domains[i];
	/* A short insertion sort: the collector writes a bounded sample. */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && v[k]->count > v[k - 1]->count; k--) {
			const struct snap_routing_domain *t = v[k];

			v[k] = v[k - 1];
			v[k - 1] = t;
		}
	for (size_t i = 0; i < n; i++)
		strlist_add(out, v[i]->domain);
	free(v);
}

int
org_routing(const struct context *ctx, struct org_routing *r)
{
	const struct snapshot *s = ctx->snapshot;
	struct strlist l[5] = { { 0 } };
	static const char *const from[5] = {
		"the snapshot's Exchange Online accepted domains",
		"the RemoteRoutingAddress of the remote mailboxes",
		"the on-premises IntraOrganizationConnector's TargetAddressDomains",
		"the EvoSTS AuthServer's DomainName",
		"the on-premises OrganizationRelationship's DomainNames",
	};
	const char *d = NULL, *suffix = NULL;

	memset(r, 0, sizeof(*r));
	if (ctx->cloud == NULL)
		return -1;
	/*
	 * The organisation's own data, in this order (PROTOCOLS 12.1); never
	 * GetFederationInformation's list, which names the queried domain
	 * alone since 2025: the probes only confirm what the data says.
	 */
	if (s != NULL) {
		for (size_t i = 0; i < s->exo.ndomains; i++)
			strlist_add(&l[0], s->exo.domains[i].name);
		remote_domains(s, &l[1]);
		for (size_t i = 0; i < s->onprem.niocs; i++)
			for (size_t k = 0; k < s->onprem.iocs[i].target_domains.n; k++)
				strlist_add(&l[2], s->onprem.iocs[i].target_domains.v[k]);
		for (size_t i = 0; i < s->onprem.nauthservers; i++)
			if (s->onprem.authservers[i].type == AUTHSERVER_AZUREAD)
				for (size_t k = 0; k < s->onprem.authservers[i].domains.n; k++)
					strlist_add(&l[3], s->onprem.authservers[i].domains.v[k]);
		for (size_t i = 0; i < s->onprem.norgrels; i++)
			for (size_t k = 0; k < s->onprem.orgrels[i].domains.n; k++)
				strlist_add(&l[4], s->onprem.orgrels[i].domains.v[k]);
	}
	for (size_t i = 0; i < 5 && d == NULL; i++)
		if ((d = routing_of(ctx->cloud, &l[i], &suffix)) != NULL) {
			r->domain = xstrdup(d);
			r->from = from[i];
		}
	if (r->domain != NULL) {
		str_lower(r->domain);
		r->suffix = suffix;
	}
	for (size_t i = 0; i < 5; i++)
		strlist_release(&l[i]);
	return r->domain != NULL ? 0 : -1;
}

void
org_routing_release(struct org_routing *r)
{
	if (r == NULL)
		return;
	free(r->domain);
	memset(r, 0, sizeof(*r));
}

const char *
org_autodiscover_host(const struct context *ctx)
{
	const char *first = NULL;
	char *want;

	if (ctx->probes == NULL)
		return NULL;
	want = ctx->domain ? xasprintf("autodiscover.%s", ctx->domain) : NULL;
	for (size_t i = 0; i < ctx->probes->n; i++) {
		const struct probe *p = ctx->probes->v[i];

		if (p->kind != PROBE_ONPREM_SVC || p->planned_only ||
		    p->host == NULL || !probe_answered(&p->resp) ||
		    strncasecmp(p->url, "https://", 8) != 0)
			continue;
		/* autodiscover.<domain> is where Exchange Online looks first. */
		if (want != NULL && strcasecmp(p->host, want) == 0) {
			free(want);
			return p->host;
		}
		if (first == NULL)
			first = p->host;
	}
	free(want);
	return first;
}

int
org_has_routing_suffix(const struct cloud *c, const char *name)
{
	const struct cloud_field *f = cloud_field(c, "routing_domain_suffixes");

	for (size_t i = 0; f != NULL && i < f->values.n; i++) {
		char *dot = xasprintf(".%s", f->values.v[i]);
		int hit = str_has_suffix_ci(name, dot);

		free(dot);
		if (hit)
			return 1;
	}
	return 0;
}

size_t
org_azure_authservers(const struct snapshot *s,
    const struct snap_authserver **v, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < s->onprem.nauthservers && n < max; i++)
		if (s->onprem.authservers[i].type == AUTHSERVER_AZUREAD)
			v[n++] = &s->onprem.authservers[i];
	return n;
}

int
org_server_is_edge(const struct snap_server *s)
{
	for (size_t i = 0; i < s->roles.n; i++) {
		char *r = xstrdup(s->roles.v[i]);
		int edge;

		str_lower(r);
		edge = strstr(r, "edge") != NULL;
		/* ServerRole as a number: Edge is the flag 64. */
		if (isdigit((unsigned char)r[0]))
			edge = (strtoul(r, NULL, 10) & 64) != 0;
		free(r);
		if (edge)
			return 1;
	}
	return 0;
}

int
org_server_speaks_oauth(const struct snap_server *s)
{
	if (org_server_is_edge(s))
		return 0;
	return !s->version.valid || s->version.v[0] >= 15;
}

int
org_server_hosts_mailboxes(const struct snap_server *s)
{
	if (s->roles.n == 0)
		return 1;
	for (size_t i = 0; i < s->roles.n; i++) {
		const char *r = s->roles.v[i];

		/* ServerRole as a number: Mailbox is the flag 2. */
		if (isdigit((unsigned char)r[0])) {
			if ((strtoul(r, NULL, 10) & 2) != 0)
				return 1;
		} else if (str_contains_ci(r, "Mailbox"))
			return 1;
	}
	return 0;
}
