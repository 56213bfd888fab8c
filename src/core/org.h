/*
 * What the organisation's own data (the snapshot) and the live facts
 * establish together, for the checks and the remediation alike: the
 * tenant's routing domain, its ACS realm and federated domains as
 * answered live, the Autodiscover host Exchange Online reaches, the
 * dedicated-model AuthServers. Pure: reads the context.
 */
#ifndef HC_ORG_H
#define HC_ORG_H

#include <stddef.h>

#include "context.h"
#include "snapshot.h"

/*
 * The tenant's routing ("coexistence") domain, never guessed: the first
 * name under one of the cloud's routing suffixes in the organisation's
 * data, in this order: Exchange Online's accepted domains, the remote
 * mailboxes' RemoteRoutingAddress domains (most used first), the
 * on-premises IntraOrganizationConnectors' TargetAddressDomains, the
 * EvoSTS AuthServers' DomainName, the on-premises OrganizationRelationships'
 * DomainNames. Never GetFederationInformation's list (one domain since
 * 2025): the probes confirm the name, they do not supply it.
 * r->from says which, r->suffix which form it has (21Vianet has two).
 * Returns 0 when found; release r either way.
 */
struct org_routing {
	char		*domain;
	const char	*from;
	const char	*suffix;
};
int	org_routing(const struct context *ctx, struct org_routing *r);
void	org_routing_release(struct org_routing *r);

/*
 * The realm of the tenant's ACS metadata in the chosen cloud, lower case
 * (caller frees; NULL when the probe did not get one); *url is the
 * document's address.
 */
char	*org_live_acs_realm(const struct context *ctx, const char **url);
/* GetFederationInformation's domains (NoError only), lower case; 0 when known. */
int	org_live_fed_domains(const struct context *ctx, struct strlist *out,
	    const char **url);
/*
 * The host whose autodiscover.svc answered as Exchange over verified
 * HTTPS: autodiscover.<domain> when it did, else the first that did. NULL
 * when the probes found none (or did not run). Owned by the probes.
 */
const char *org_autodiscover_host(const struct context *ctx);

/* Whether name ends with one of the cloud's routing-domain suffixes. */
int	org_has_routing_suffix(const struct cloud *c, const char *name);

/* The dedicated-model AuthServers (type AzureAD), enabled or not. */
size_t	org_azure_authservers(const struct snapshot *s,
	    const struct snap_authserver **v, size_t max);

/* An Edge Transport server (ServerRole names Edge, or holds the flag 64). */
int	org_server_is_edge(const struct snap_server *s);
/* A server that takes part in OAuth: Exchange 2013 or later, not Edge. */
int	org_server_speaks_oauth(const struct snap_server *s);

/* A server that hosts mailboxes: a Mailbox role (any case, or the ServerRole flag 2), or roles not collected. */
int	org_server_hosts_mailboxes(const struct snap_server *s);

#endif
