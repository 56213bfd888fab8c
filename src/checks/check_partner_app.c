/* partner-app.exo: the Exchange Online PartnerApplication on-premises. */
#include <stdlib.h>
#include <string.h>
#include "msid.h"
#include "cfg.h"
#include "check_fns.h"
#include "str.h"

void
check_partner_app_exo(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	const struct snap_partnerapp *found = NULL, *realmed = NULL;
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, s->onprem.present, "onPremises",
	    "on-premises configuration") ||
	    cfg_skip_part(ctx, out, 1, "onPremises.partnerApplications",
	    "PartnerApplications"))
		return;
	for (size_t i = 0; i < s->onprem.npartnerapps; i++) {
		const struct snap_partnerapp *p = &s->onprem.partnerapps[i];

		if (!str_caseeq(p->app_id, MSID_EXO_APP))
			continue;
		if (p->realm == NULL || p->realm[0] == '\0') {
			if (found == NULL || p->enabled == TRI_TRUE)
				found = p;
		} else
			realmed = p;
	}
	if (found == NULL) {
		if (realmed != NULL) {
			fd = findings_add(out, SEV_FAIL, realmed->name ? realmed->name : "",
			    "the Exchange Online PartnerApplication has realm '%s'; "
			    "it must be empty", realmed->realm);
			finding_evidence(fd, "realm", "%s", realmed->realm);
		} else
			fd = findings_add(out, SEV_FAIL, "", "no PartnerApplication "
			    "for Exchange Online (%s) with an empty realm", MSID_EXO_APP);
		finding_evidence(fd, "application identifier", "%s", MSID_EXO_APP);
		finding_remedy(fd, "partnerapp.enable");
		return;
	}
	if (found->enabled != TRI_TRUE) {
		fd = findings_add(out, SEV_FAIL, found->name ? found->name : "",
		    "the Exchange Online PartnerApplication '%s' is %s",
		    found->name ? found->name : "", found->enabled == TRI_FALSE ?
		    "disabled" : "of unknown state");
		finding_evidence(fd, "enabled", "%s", found->enabled == TRI_FALSE ?
		    "false" : "unknown");
		finding_remedy(fd, "partnerapp.enable");
		return;
	}
	/* The Hybrid Configuration Wizard links it to an account (Exchange Online-ApplicationAccount). */
	if (found->linked_account_collected && found->linked_account == NULL) {
		fd = findings_add(out, SEV_WARN, found->name ? found->name : "",
		    "the Exchange Online PartnerApplication '%s' has no LinkedAccount: "
		    "the Hybrid Configuration Wizard links it to the "
		    "'Exchange Online-ApplicationAccount' user, whose role "
		    "assignments are the permissions Exchange Online's calls get",
		    found->name ? found->name : "");
		finding_evidence(fd, "linked account", "(none)");
		finding_evidence(fd, "fix", "run the Hybrid Configuration Wizard, or "
		    "Set-PartnerApplication <name> -LinkedAccount <the "
		    "Exchange Online-ApplicationAccount user>");
		return;
	}
	fd = findings_add(out, SEV_PASS, found->name ? found->name : "",
	    "the Exchange Online PartnerApplication is enabled with an empty realm");
	finding_evidence(fd, "application identifier", "%s", found->app_id);
	if (found->linked_account != NULL)
		finding_evidence(fd, "linked account", "%s", found->linked_account);
}
