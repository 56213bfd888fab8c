/* The tenant's EvoSTS AuthServer (evosts.h). */
#include "evosts.h"

#include <string.h>
#include <strings.h>

#include "msid.h"
#include "str.h"

int
evosts_dedicated_id(const char *app_id)
{
	return cfg_is_guid(app_id) && !str_caseeq(app_id, MSID_EXO_APP);
}

/* Whether a realm names the tenant (any GUID when the tenant is unknown). */
static int
for_tenant(const struct context *ctx, const struct snap_authserver *a)
{
	const char *tenant = cfg_tenant_id(ctx, NULL);

	if (tenant != NULL)
		return a->realm != NULL && str_caseeq(a->realm, tenant);
	return cfg_is_guid(a->realm);
}

void
evosts_find(const struct context *ctx, struct evosts *e)
{
	const struct snapshot *s = ctx->snapshot;

	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i < s->onprem.nauthservers; i++) {
		const struct snap_authserver *a = &s->onprem.authservers[i];

		if (a->type != AUTHSERVER_AZUREAD)
			continue;
		e->nazure++;
		if (a->enabled == TRI_FALSE || !for_tenant(ctx, a))
			continue;
		if (e->nenabled++ == 0)
			e->one = a;
	}
	if (e->nenabled != 1)
		e->one = NULL;
	e->valid = e->one != NULL && evosts_dedicated_id(e->one->app_id);
}

void
evosts_tenant_domains(const struct context *ctx, struct strlist *out)
{
	const struct snapshot *s = ctx->snapshot;

	if (s->onprem.hybrid_present && s->onprem.hybrid_domains.n > 0) {
		for (size_t i = 0; i < s->onprem.hybrid_domains.n; i++) {
			const char *d = s->onprem.hybrid_domains.v[i];

			/* "autod:contoso.com" marks the Autodiscover domain. */
			if (strncasecmp(d, "autod:", 6) == 0)
				d += 6;
			if (*d != '\0' && !strlist_contains_ci(out, d))
				strlist_add(out, d);
		}
		return;
	}
	for (size_t i = 0; i < s->onprem.ndomains; i++) {
		const char *d = s->onprem.domains[i].name;

		if (ctx->cloud != NULL && org_has_routing_suffix(ctx->cloud, d))
			continue;
		for (size_t k = 0; k < s->exo.ndomains; k++)
			if (str_caseeq(s->exo.domains[k].name, d) &&
			    !strlist_contains_ci(out, d))
				strlist_add(out, d);
	}
}
