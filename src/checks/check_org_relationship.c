/* org-relationship.dauth: free/busy must not depend on DAuth where it cannot work. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cfg.h"
#include "check_fns.h"
#include "probe.h"
#include "str.h"

void
check_org_relationship_dauth(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	struct strlist rels = { 0 };
	int ioc = 0;
	struct finding *fd;
	char *names;

	if (cfg_skip_unless(ctx, out, s->onprem.present, "onPremises",
	    "on-premises configuration") ||
	    cfg_skip_part(ctx, out, 1, "onPremises.organizationRelationships",
	    "on-premises OrganizationRelationships") ||
	    cfg_skip_part(ctx, out, 1, "onPremises.intraOrganizationConnectors",
	    "on-premises IntraOrganizationConnectors"))
		return;
	for (size_t i = 0; i < s->onprem.niocs; i++)
		ioc |= s->onprem.iocs[i].enabled != TRI_FALSE;
	for (size_t i = 0; i < s->exo.niocs; i++)
		ioc |= s->exo.iocs[i].enabled != TRI_FALSE;
	for (size_t i = 0; i < s->onprem.norgrels; i++)
		if (s->onprem.orgrels[i].enabled != TRI_FALSE)
			strlist_add(&rels, s->onprem.orgrels[i].name ?
			    s->onprem.orgrels[i].name : "(unnamed)");
	for (size_t i = 0; i < s->exo.norgrels; i++)
		if (s->exo.orgrels[i].enabled != TRI_FALSE)
			strlist_add(&rels, s->exo.orgrels[i].name ?
			    s->exo.orgrels[i].name : "(unnamed)");
	if (rels.n == 0)
		return;
	names = cfg_join(&rels);
	if (ioc)
		fd = findings_add(out, SEV_INFO, "", "OrganizationRelationship %s "
		    "and an enabled IntraOrganizationConnector both exist: Exchange "
		    "uses the connector (OAuth) and does not fall back", names);
	else if (!cfg_dauth_serves(ctx)) {
		fd = findings_add(out, SEV_FAIL, "", "only OrganizationRelationship "
		    "%s (federation trust, DAuth): in %s DAuth cannot serve "
		    "free/busy; OAuth with IntraOrganizationConnectors is the only way",
		    names, ctx->cloud->display_name ? ctx->cloud->display_name :
		    ctx->cloud->name);
		finding_remedy(fd, "ioc.onprem");
	} else
		fd = findings_add(out, SEV_INFO, "", "free/busy uses "
		    "OrganizationRelationship %s (federation trust, DAuth); no "
		    "IntraOrganizationConnector is enabled%s", names,
		    cfg_dauth_assumed(ctx) ? " (that DAuth serves free/busy in this "
		    "cloud is an assumption: Microsoft says nothing for it)" : "");
	if (!ioc)
		cfg_dauth_evidence(ctx, fd);
	finding_evidence(fd, "organization relationships", "%s", names);
	free(names);
	strlist_release(&rels);
}
