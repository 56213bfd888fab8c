/*
 * The EvoSTS AuthServer of the tenant, as Microsoft's
 * ConfigureExchangeHybridApplication.ps1 finds it: type AzureAD, realm =
 * the tenant id, enabled (PROTOCOLS 12.6). Shared by authserver.evosts,
 * authserver.acs and the graph-route checks.
 */
#ifndef HC_EVOSTS_H
#define HC_EVOSTS_H

#include "cfg.h"

struct evosts {
	const struct snap_authserver	*one;	/* the single enabled one, or NULL */
	size_t				 nenabled;	/* enabled for the tenant */
	size_t				 nazure;	/* every AzureAD AuthServer */
	int				 valid;	/* one, with a dedicated app id */
};

/* Finds the tenant's EvoSTS AuthServers in the snapshot. */
void	evosts_find(const struct context *ctx, struct evosts *e);

/* Whether an application id is a dedicated app: a GUID, not Exchange Online's own. */
int	evosts_dedicated_id(const char *app_id);

/*
 * The domains the EvoSTS AuthServer's DomainName should hold: the
 * HybridConfiguration's domains, else the on-premises accepted domains
 * Exchange Online also accepts; never the routing domain (added apart).
 */
void	evosts_tenant_domains(const struct context *ctx, struct strlist *out);

#endif
