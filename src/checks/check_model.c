/*
 * model.exchange-se: Exchange 2016 and 2019 get no Graph route, not even
 * with extended security updates: their on-premises -> cloud rich
 * coexistence stops at T2 (PROTOCOLS 12.7). Mailbox servers must move to
 * Exchange SE (15.2.2562.41 or later for the Graph route) before then.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cfg.h"
#include "check_fns.h"
#include "str.h"

void
check_model_exchange_se(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	struct model_milestone t2;
	size_t se = 0;
	struct finding *fd;

	if (cfg_skip_part(ctx, out, s->onprem.nservers > 0, "onPremises.servers",
	    "Exchange servers"))
		return;
	if (cfg_oauth_unused(ctx) == MODEL_NONE) {
		findings_add(out, SEV_PASS, "", "HybridConfiguration Features name "
		    "no rich coexistence feature: nothing of it stops at T2");
		return;
	}
	model_milestone(ctx, MODEL_T2, &t2);
	for (size_t i = 0; i < s->onprem.nservers; i++) {
		const struct snap_server *sv = &s->onprem.servers[i];
		const char *name = sv->name ? sv->name : "(unnamed)";
		char have[64];
		int after = t2.known && ctx->now >= t2.at;

		if (org_server_is_edge(sv) || !org_server_hosts_mailboxes(sv) || !sv->version.valid)
			continue;
		snapshot_version_text(&sv->version, have, sizeof(have));
		if (!model_build_is_2016_2019(&sv->version)) {
			if (sv->version.v[0] == 15 && sv->version.v[1] == 2)
				se++;
			continue;
		}
		fd = findings_add(out, after ? SEV_FAIL : SEV_WARN, name, "'%s' runs "
		    "Exchange %s (%s), which gets no Graph route: its on-premises -> "
		    "cloud free/busy, MailTips and photos %s at T2 (%s); upgrade it "
		    "to Exchange SE (15.2.2562.41 or later for the Graph route)",
		    name, sv->version.v[1] == 1 ? "2016" : "2019", have,
		    after ? "stopped" : "stop", t2.day);
		finding_evidence(fd, "version", "%s", have);
		finding_evidence(fd, "version from", "%s", sv->version_source);
		finding_evidence(fd, "T2", "%s (%s; %s)", t2.day, t2.certainty,
		    t2.source);
		finding_remedy(fd, "servers.update");
	}
	if (se > 0) {
		fd = findings_add(out, SEV_PASS, "", "%zu Mailbox server(s) run "
		    "Exchange SE", se);
		finding_evidence(fd, "servers", "%zu", se);
	}
}
