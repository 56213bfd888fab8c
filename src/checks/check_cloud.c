/* cloud.selection: is the chosen cloud profile plausible for the domain? */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check_fns.h"
#include "probe.h"
#include "dnsname.h"
#include "mem.h"
#include "str.h"

/* The cloud whose tenant-owned suffixes (initial, routing) end domain. */
static const struct cloud *
owner_by_suffix(const struct cloud_set *s, const char *domain,
    const char **suffix)
{
	static const char *const keys[] = { "initial_domain_suffix",
	    "routing_domain_suffixes" };

	for (size_t i = 0; i < s->n; i++)
		for (size_t k = 0; k < 2; k++) {
			const struct cloud_field *f = cloud_field(&s->v[i], keys[k]);

			for (size_t j = 0; f != NULL && j < f->values.n; j++) {
				char *dot = xasprintf(".%s", f->values.v[j]);
				int hit = str_has_suffix_ci(domain, dot);

				free(dot);
				if (hit) {
					*suffix = f->values.v[j];
					return &s->v[i];
				}
			}
		}
	return NULL;
}

/* Whether tenant discovery found the domain's tenant, and c among its clouds. */
static int
discovered(const struct context *ctx, const struct cloud *c, int *fits)
{
	const struct probe_results *r = ctx->probes;

	*fits = 0;
	if (r == NULL || !r->ran || r->tenant_id == NULL || r->ncandidates == 0)
		return 0;
	for (size_t i = 0; i < r->ncandidates; i++)
		*fits |= r->candidates[i] == c;
	return 1;
}

void
check_cloud_selection(const struct context *ctx, struct findings *out)
{
	const char *domain = ctx->domain, *suffix = NULL;
	const struct cloud *owner = owner_by_suffix(ctx->clouds, domain, &suffix);
	struct finding *fd;
	char *acs = cloud_expand(cloud_value(ctx->cloud, "acs_metadata_url"), domain);
	int fits;

	/*
	 * Tenant discovery, when it ran, knows better than a name: the
	 * verdict follows it, so this check never passes a cloud the next
	 * one says the tenant is not in.
	 */
	if (discovered(ctx, ctx->cloud, &fits)) {
		const struct probe_results *r = ctx->probes;
		struct buf names;

		buf_init(&names, 1024);
		for (size_t i = 0; i < r->ncandidates; i++)
			buf_printf(&names, "%s%s", i ? " or " : "",
			    r->candidates[i]->name);
		if (fits) {
			fd = findings_add(out, SEV_PASS, domain, "using the %s profile "
			    "(%s), where tenant discovery finds tenant %s",
			    ctx->cloud->name, ctx->cloud->display_name, r->tenant_id);
			finding_evidence(fd, "cloud", "%s", ctx->cloud->name);
		} else {
			fd = findings_add(out, SEV_FAIL, domain, "tenant discovery finds "
			    "the tenant of '%s' in the %s cloud, but the cloud is %s",
			    domain, names.data, ctx->cloud->name);
			finding_evidence_param(fd, RP_EXPECTED_CLOUD, "expected cloud",
			    "%s", names.data);
			finding_evidence(fd, "chosen cloud", "%s", ctx->cloud->name);
			finding_remedy(fd, "cloud.select");
		}
		finding_evidence(fd, "tenant id", "%s (tenant discovery)",
		    r->tenant_id);
		buf_release(&names);
	} else if (owner != NULL && owner != ctx->cloud) {
		fd = findings_add(out, SEV_FAIL, domain,
		    "'%s' is a %s tenant domain, but the cloud is %s", domain,
		    owner->name, ctx->cloud->name);
		finding_evidence(fd, "suffix", "%s", suffix);
		finding_evidence_param(fd, RP_EXPECTED_CLOUD, "expected cloud", "%s", owner->name);
		finding_evidence(fd, "chosen cloud", "%s", ctx->cloud->name);
		finding_remedy(fd, "cloud.select");
	} else {
		fd = findings_add(out, SEV_PASS, domain, "using the %s profile (%s)",
		    ctx->cloud->name, ctx->cloud->display_name);
		finding_evidence(fd, "cloud", "%s", ctx->cloud->name);
	}
	if (ctx->domain_from != NULL && strcmp(ctx->domain_from, "--domain") != 0)
		finding_evidence(fd, "domain from", "%s", ctx->domain_from);
	finding_evidence(fd, "profile", "%s", ctx->cloud->origin);
	finding_evidence_param(fd, RP_ACS_METADATA_URL, "acs metadata url", "%s", acs);
	free(acs);
}
