#include "context.h"
#include "model.h"
#include "org.h"

#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "dnsname.h"
#include "probe.h"
#include "snapshot.h"
#include "spn.h"
#include "token.h"
#include "str.h"

/* Adds the host of an https URL, when it is a valid DNS name. */
static void
context_add_url_host(struct context *ctx, const char *url)
{
	const char *p;
	char *host, *norm;
	struct hcerr ignored;

	if (url == NULL || (p = strstr(url, "://")) == NULL)
		return;
	p += 3;
	host = xstrndup(p, strcspn(p, "/:?#"));
	/* An unusable URL is the vdir check's business, not an input error. */
	if ((norm = dnsname_normalize(host, &ignored)) != NULL)
		context_add_host(ctx, norm);
	free(norm);
	free(host);
}

static int
name_within(const char *host, const char *domain)
{
	size_t h = strlen(host), d = strlen(domain);

	if (d == 0)
		return 0;
	if (strcasecmp(host, domain) == 0)
		return 1;
	return h > d + 1 && host[h - d - 1] == '.' &&
	    strcasecmp(host + h - d, domain) == 0;
}

int
context_own_host(const struct context *ctx, const char *host)
{
	const struct snapshot *s = ctx->snapshot;

	for (size_t i = 0; i < ctx->hosts_named && i < ctx->hosts.n; i++)
		if (strcasecmp(ctx->hosts.v[i], host) == 0)
			return 1;
	if (ctx->domain != NULL && name_within(host, ctx->domain))
		return 1;
	for (size_t i = 0; s != NULL && i < s->onprem.ndomains; i++)
		if (s->onprem.domains[i].name != NULL &&
		    name_within(host, s->onprem.domains[i].name))
			return 1;
	for (size_t i = 0; s != NULL && i < s->exo.ndomains; i++)
		if (s->exo.domains[i].name != NULL &&
		    name_within(host, s->exo.domains[i].name))
			return 1;
	return 0;
}

void
context_add_host(struct context *ctx, const char *host)
{
	if (!strlist_contains_ci(&ctx->hosts, host))
		strlist_add(&ctx->hosts, host);
}

/* The Auth certificate, its thumbprint and the SPNs the configuration names. */
static int
context_load_auth(struct context *ctx, const struct context_config *opt,
    struct hcerr *e)
{
	char tp[CERT_THUMBPRINT_LEN + 1];
	unsigned changed = 0;
	struct hcerr why;

	if (opt->cert != NULL) {
		if ((ctx->cert = cert_load(opt->cert, opt->cert_flags, &why)) == NULL) {
			hcerr_set(e, "--cert: %s", why.msg);
			return -1;
		}
		ctx->have |= INPUT_CERT;
	}
	if (opt->next_cert != NULL) {
		if ((ctx->next_cert = cert_load(opt->next_cert, 0, &why)) == NULL) {
			hcerr_set(e, "--next-cert: %s", why.msg);
			return -1;
		}
		ctx->have |= INPUT_NEXT_CERT;
	}
	if (opt->thumbprint != NULL) {
		if (cert_thumbprint_normalize(opt->thumbprint, tp, &changed,
		    &why) == -1) {
			hcerr_set(e, "--thumbprint: %s", why.msg);
			return -1;
		}
		ctx->thumbprint = xstrdup(tp);
		ctx->thumbprint_given = xstrdup(opt->thumbprint);
		ctx->thumbprint_changed = (int)changed;
		ctx->have |= INPUT_THUMBPRINT;
	}
	if ((opt->spns != NULL && opt->spns->n > 0) || opt->spn_file != NULL) {
		ctx->spns = spn_set_new();
		for (size_t i = 0; opt->spns != NULL && i < opt->spns->n; i++)
			spn_add(ctx->spns, opt->spns->v[i], "--spn", 0);
		if (opt->spn_file != NULL &&
		    spn_load_file(ctx->spns, opt->spn_file, &why) == -1) {
			hcerr_set(e, "--spn-file: %s", why.msg);
			return -1;
		}
		ctx->have |= INPUT_SPNS;
	}
	return 0;
}

/*
 * The Auth certificate named by thumb, from the first server whose store
 * the collector exported it from; nothing when no server gave its bytes.
 */
static int
snapshot_cert(struct context *ctx, const struct snapshot *s, const char *thumb,
    struct authcert **slot, unsigned bit, struct hcerr *e)
{
	struct hcerr why;

	if (*slot != NULL || thumb == NULL)
		return 0;
	for (size_t i = 0; i < s->onprem.nservers; i++) {
		const struct snap_server *sv = &s->onprem.servers[i];

		for (size_t c = 0; c < sv->ncerts; c++) {
			char *source;

			if (sv->certs[c].der == NULL || sv->certs[c].thumbprint == NULL ||
			    strcmp(sv->certs[c].thumbprint, thumb) != 0)
				continue;
			source = xasprintf("%s (server %s)", s->origin,
			    sv->name ? sv->name : "?");
			*slot = cert_from_der(sv->certs[c].der, sv->certs[c].der_len,
			    source, &why);
			free(source);
			if (*slot == NULL) {
				hcerr_set(e, "%s: the Auth certificate of server '%s': %s",
				    s->origin, sv->name ? sv->name : "?", why.msg);
				return -1;
			}
			ctx->have |= bit;
			return 0;
		}
	}
	return 0;
}

/*
 * The snapshot stands in for the inputs it contains: the AuthConfig
 * thumbprint, the Auth certificates (current and next), Entra's SPNs, the
 * published hosts, the cloud it was collected for. Options given on the
 * command line were loaded first and win.
 */
static int
context_load_snapshot(struct context *ctx, const char *path, struct hcerr *e)
{
	struct snapshot *s = NULL;

	if (snapshot_load(path, &s, e) == -1)
		return -1;
	ctx->snapshot = s;
	ctx->have |= INPUT_SNAPSHOT;
	if (ctx->cloud == NULL && s->cloud != NULL) {
		if ((ctx->cloud = cloud_find(ctx->clouds, s->cloud)) == NULL) {
			hcerr_set(e, "%s: unknown cloud '%s'", s->origin, s->cloud);
			return -1;
		}
		ctx->have |= INPUT_CLOUD;
	}
	if (ctx->thumbprint == NULL && s->onprem.authconfig.current_thumbprint) {
		ctx->thumbprint = xstrdup(s->onprem.authconfig.current_thumbprint);
		ctx->have |= INPUT_THUMBPRINT;
	}
	if (snapshot_cert(ctx, s, s->onprem.authconfig.current_thumbprint,
	    &ctx->cert, INPUT_CERT, e) == -1 ||
	    snapshot_cert(ctx, s, s->onprem.authconfig.next_thumbprint,
	    &ctx->next_cert, INPUT_NEXT_CERT, e) == -1)
		return -1;
	/* What Entra holds is the SPN set, even when it is empty. */
	if (ctx->spns == NULL && s->entra.sp_present) {
		ctx->spns = spn_set_new();
		for (size_t i = 0; i < s->entra.sp.spns.n; i++)
			spn_add(ctx->spns, s->entra.sp.spns.v[i], s->origin, i + 1);
		ctx->have |= INPUT_SPNS;
	}
	for (size_t i = 0; i < s->onprem.nservers; i++) {
		const struct snap_server *sv = &s->onprem.servers[i];
		const struct snap_vdir *sets[2] = { sv->autodiscover, sv->ews };
		size_t ns[2] = { sv->nautodiscover, sv->news };

		for (size_t k = 0; k < 2; k++)
			for (size_t v = 0; v < ns[k]; v++)
				context_add_url_host(ctx, sets[k][v].external_url);
	}
	return 0;
}

int
context_build(struct context *ctx, const struct context_config *cfg,
    const struct cloud_set *clouds, struct hcerr *e)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->clouds = clouds;
	ctx->now = cfg->now;
	ctx->window = cfg->window;
	ctx->net = cfg->net;

	if (cfg->cloud != NULL) {
		if ((ctx->cloud = cloud_find(clouds, cfg->cloud)) == NULL) {
			hcerr_set(e, "unknown cloud '%s'", cfg->cloud);
			return -1;
		}
		ctx->cloud_given = 1;
		ctx->have |= INPUT_CLOUD;
	}
	if (cfg->domain != NULL) {
		ctx->domain = ctx->domain_owned = xstrdup(cfg->domain);
		ctx->domain_from = "--domain";
	}
	for (size_t i = 0; cfg->hosts != NULL && i < cfg->hosts->n; i++)
		context_add_host(ctx, cfg->hosts->v[i]);
	if (context_load_auth(ctx, cfg, e) == -1)
		return -1;
	/* After the options: what they name wins over what the snapshot says. */
	if (cfg->snapshot != NULL && context_load_snapshot(ctx, cfg->snapshot, e) == -1)
		return -1;
	if (ctx->domain == NULL && ctx->snapshot != NULL) {
		const char *d = context_snapshot_domain(ctx->snapshot, clouds,
		    &ctx->domain_from);

		if (d != NULL)
			ctx->domain = ctx->domain_owned = xstrdup(d);
	}
	/* What follows is made from the domain, not named by the organisation. */
	ctx->hosts_named = ctx->hosts.n;
	if (ctx->domain != NULL) {
		char *ad = xasprintf("autodiscover.%s", ctx->domain);

		ctx->have |= INPUT_DOMAIN;
		/* Exchange Online always reaches the organisation here. */
		context_add_host(ctx, ad);
		free(ad);
	}
	if (ctx->hosts.n > 0)
		ctx->have |= INPUT_HOSTS;
	if (!cfg->offline && (ctx->domain != NULL ||
	    (cfg->hosts != NULL && cfg->hosts->n > 0)) && context_probe(ctx, e) == -1)
		return -1;
	return 0;
}

/* Whether a name is one Microsoft gives the tenant (initial or routing domain). */
static int
tenant_owned(const struct cloud_set *clouds, const char *name)
{
	static const char *const keys[] = { "routing_domain_suffixes",
	    "initial_domain_suffix" };

	for (size_t i = 0; clouds != NULL && i < clouds->n; i++)
		for (size_t k = 0; k < 2; k++) {
			const struct cloud_field *f = cloud_field(&clouds->v[i], keys[k]);

			for (size_t j = 0; f != NULL && j < f->values.n; j++) {
				char *dot = xasprintf(".%s", f->values.v[j]);
				int hit = str_has_suffix_ci(name, dot);

				free(dot);
				if (hit)
					return 1;
			}
		}
	return 0;
}

static int
domain_usable(const struct cloud_set *clouds, const char *name)
{
	return name != NULL && dnsname_is_valid(name) &&
	    dnsname_labels(name) >= 2 && !tenant_owned(clouds, name);
}

static int
domain_authoritative(const struct snap_domain *d)
{
	return d->type == NULL || str_caseeq(d->type, "Authoritative");
}

const char *
context_snapshot_domain(const struct snapshot *s,
    const struct cloud_set *clouds, const char **from)
{
	const char *dflt = NULL;

	for (size_t i = 0; i < s->onprem.ndomains; i++) {
		const struct snap_domain *d = &s->onprem.domains[i];

		if (d->is_default == TRI_TRUE && domain_authoritative(d) &&
		    domain_usable(clouds, d->name)) {
			dflt = d->name;
			break;
		}
	}
	/* The domains the Hybrid Configuration Wizard set up come first. */
	if (dflt != NULL && strlist_contains_ci(&s->onprem.hybrid_domains, dflt)) {
		*from = "the snapshot's default accepted domain (a HybridConfiguration domain)";
		return dflt;
	}
	/* "autod:contoso.com" marks the Autodiscover domain; the plain name follows. */
	for (size_t i = 0; i < s->onprem.hybrid_domains.n; i++)
		if (domain_usable(clouds, s->onprem.hybrid_domains.v[i])) {
			*from = "the snapshot's HybridConfiguration domains";
			return s->onprem.hybrid_domains.v[i];
		}
	if (dflt != NULL) {
		*from = "the snapshot's default accepted domain";
		return dflt;
	}
	for (size_t i = 0; i < s->exo.niocs; i++)
		for (size_t k = 0; k < s->exo.iocs[i].target_domains.n; k++)
			if (domain_usable(clouds, s->exo.iocs[i].target_domains.v[k])) {
				*from = "the target domains of Exchange Online's "
				    "IntraOrganizationConnector in the snapshot";
				return s->exo.iocs[i].target_domains.v[k];
			}
	for (size_t i = 0; i < s->onprem.ndomains; i++)
		if (domain_authoritative(&s->onprem.domains[i]) &&
		    domain_usable(clouds, s->onprem.domains[i].name)) {
			*from = "the snapshot's accepted domains";
			return s->onprem.domains[i].name;
		}
	return NULL;
}

/*
 * The live probes, all at once; then the cloud from tenant discovery when
 * --cloud was not given. Failed requests are results, not errors.
 */
void
context_plan(struct context *ctx)
{
	/* The hosts named so far (--host, the snapshot's vdirs): a borrowed view. */
	struct strlist named = { ctx->hosts.v, ctx->hosts_named };

	ctx->probes = xcalloc(1, sizeof(*ctx->probes));
	/*
	 * The routing domain the organisation's data names, for the cloud's
	 * probes to confirm live: asked of org_routing once per cloud it may
	 * be (the cloud may be found only by discovery, mid-run). Before the
	 * probes there are no live facts, so it answers from the data alone.
	 */
	for (size_t i = 0; i < ctx->clouds->n; i++) {
		struct context view = *ctx;
		struct org_routing rt;

		if (ctx->cloud != NULL && &ctx->clouds->v[i] != ctx->cloud)
			continue;
		view.cloud = &ctx->clouds->v[i];
		if (org_routing(&view, &rt) == 0 &&
		    !strlist_contains_ci(&ctx->probes->confirm, rt.domain))
			strlist_add(&ctx->probes->confirm, rt.domain);
		org_routing_release(&rt);
	}
	probe_plan(ctx->probes, ctx->clouds, ctx->cloud, ctx->domain, &named);
	/* The Hybrid Agent's name: looked up, never connected to (12.9). */
	if (ctx->snapshot != NULL) {
		struct model m;

		model_classify(ctx, &m);
		for (size_t i = 0; i < m.agent_guids.n; i++) {
			char *h = xasprintf("%s" MODEL_AGENT_SUFFIX, m.agent_guids.v[i]);

			if (!strlist_contains_ci(&ctx->probes->lookup_only, h))
				strlist_add(&ctx->probes->lookup_only, h);
			free(h);
		}
		model_release(&m);
	}
}

int
context_probe(struct context *ctx, struct hcerr *e)
{
	context_plan(ctx);
	if (probe_run(ctx->probes, ctx->clouds, ctx->cloud, &ctx->net, e) == -1)
		return -1;
	context_probed(ctx);
	return 0;
}

int
context_probe_tenant(struct context *ctx, struct hcerr *e)
{
	ctx->probes = xcalloc(1, sizeof(*ctx->probes));
	ctx->probes->tenant_only = 1;
	/* A token Entra ID issued is verified with the tenant's Entra keys. */
	ctx->probes->entra_keys = 1;
	probe_plan_tenant(ctx->probes, ctx->clouds, ctx->cloud, ctx->domain);
	if (probe_run(ctx->probes, ctx->clouds, ctx->cloud, &ctx->net, e) == -1)
		return -1;
	ctx->have |= INPUT_NETWORK;
	if (ctx->cloud == NULL && ctx->probes->tenant_cloud != NULL) {
		ctx->cloud = ctx->probes->tenant_cloud;
		ctx->have |= INPUT_CLOUD;
	}
	context_facts(ctx);
	return 0;
}

void
context_facts(struct context *ctx)
{
	facts_build(&ctx->facts, ctx->probes, ctx->now);
}

void
context_probed(struct context *ctx)
{
	ctx->have |= INPUT_NETWORK;
	context_facts(ctx);
	/*
	 * A name made from the domain (autodiscover.<domain>) that the probes
	 * found unpublished is not judged any further (spn.coverage).
	 */
	for (size_t i = ctx->hosts_named; i < ctx->hosts.n; ) {
		const struct probe *p = probe_find(ctx->probes, PROBE_ONPREM_SVC,
		    NULL, ctx->hosts.v[i]);

		if (p != NULL && probe_not_published(p)) {
			free(ctx->hosts.v[i]);
			memmove(&ctx->hosts.v[i], &ctx->hosts.v[i + 1],
			    (ctx->hosts.n - i - 1) * sizeof(*ctx->hosts.v));
			ctx->hosts.n--;
		} else
			i++;
	}
	/* What answers as Exchange is published: the SPN checks judge it too. */
	{
		struct strlist pub = { 0 }, from = { 0 };

		probe_published_hosts_from(ctx->probes, &pub, &from);
		for (size_t i = 0; i < pub.n; i++) {
			/*
			 * A redirect (over plain HTTP) or an SRV target may
			 * name any host: only the organisation's own become
			 * SPN candidates; the others are reported.
			 */
			if (context_own_host(ctx, pub.v[i]))
				context_add_host(ctx, pub.v[i]);
			else if (!strlist_contains_ci(&ctx->foreign_hosts,
			    pub.v[i])) {
				strlist_add(&ctx->foreign_hosts, pub.v[i]);
				strlist_add(&ctx->foreign_from, from.v[i]);
			}
		}
		strlist_release(&from);
		if (ctx->hosts.n > 0)
			ctx->have |= INPUT_HOSTS;
		strlist_release(&pub);
	}
	if (ctx->cloud == NULL && ctx->probes->tenant_cloud != NULL) {
		ctx->cloud = ctx->probes->tenant_cloud;
		ctx->have |= INPUT_CLOUD;
	}
}

void
context_release(struct context *ctx)
{
	if (ctx == NULL)
		return;
	free(ctx->thumbprint);
	free(ctx->thumbprint_given);
	free(ctx->domain_owned);
	cert_free(ctx->cert);
	cert_free(ctx->next_cert);
	spn_set_free(ctx->spns);
	snapshot_free(ctx->snapshot);
	facts_release(&ctx->facts);
	probe_results_free(ctx->probes);
	strlist_release(&ctx->hosts);
	strlist_release(&ctx->foreign_hosts);
	strlist_release(&ctx->foreign_from);
	token_input_free(ctx->token);
	memset(ctx, 0, sizeof(*ctx));
}

const char *
input_hint(enum input in)
{
	switch (in) {
	case INPUT_DOMAIN:
		return "--domain D";
	case INPUT_CLOUD:
		return "--cloud NAME (or a reachable tenant discovery)";
	case INPUT_NETWORK:
		return "network access (drop --offline)";
	case INPUT_SNAPSHOT:
		return "--snapshot FILE";
	case INPUT_CERT:
		return "--cert FILE (or a snapshot with the Auth certificate)";
	case INPUT_THUMBPRINT:
		return "--thumbprint T (or a snapshot with Get-AuthConfig)";
	case INPUT_SPNS:
		return "--spn S / --spn-file FILE (or a snapshot with Entra data)";
	case INPUT_HOSTS:
		return "--host H or --domain D";
	case INPUT_NEXT_CERT:
		return "--next-cert FILE (or a snapshot with a staged certificate)";
	case INPUT_TOKEN:
		return "a token (hybridcheck token TOKEN)";
	case INPUT_SIGNING_KEY:
		return "the Auth certificate's PFX with its private key";
	}
	return "an unknown input";
}

const char *
input_name(enum input in)
{
	switch (in) {
	case INPUT_DOMAIN:
		return "domain";
	case INPUT_CLOUD:
		return "cloud";
	case INPUT_NETWORK:
		return "network";
	case INPUT_SNAPSHOT:
		return "snapshot";
	case INPUT_CERT:
		return "cert";
	case INPUT_THUMBPRINT:
		return "thumbprint";
	case INPUT_SPNS:
		return "spns";
	case INPUT_HOSTS:
		return "hosts";
	case INPUT_NEXT_CERT:
		return "next-cert";
	case INPUT_TOKEN:
		return "token";
	case INPUT_SIGNING_KEY:
		return "signing-key";
	}
	return "unknown";
}
