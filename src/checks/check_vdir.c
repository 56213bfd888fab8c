/* vdir.oauth: OAuth on the Autodiscover and EWS virtual directories. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cfg.h"
#include "check_fns.h"
#include "probe.h"
#include "str.h"

static int
judge_vdirs(const struct snap_server *sv, const char *kind,
    const struct snap_vdir *v, size_t n, struct findings *out)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		struct finding *fd;
		char *subj;

		if (v[i].oauth != TRI_FALSE)
			continue;
		subj = xasprintf("%s\\%s", sv->name ? sv->name : "",
		    v[i].name ? v[i].name : kind);
		fd = findings_add(out, SEV_FAIL, subj, "OAuth is off on the %s "
		    "virtual directory of '%s'", kind, sv->name ? sv->name : "");
		finding_evidence(fd, "external url", "%s", v[i].external_url ?
		    v[i].external_url : "");
		finding_remedy(fd, "vdir.oauth");
		free(subj);
		bad++;
	}
	return bad;
}

void
check_vdir_oauth(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	struct strlist unknown = { 0 };
	size_t ok = 0;
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, s->onprem.nservers > 0, "onPremises.servers",
	    "Exchange servers"))
		return;
	for (size_t i = 0; i < s->onprem.nservers; i++) {
		const struct snap_server *sv = &s->onprem.servers[i];
		int bad;

		if (!org_server_speaks_oauth(sv))
			continue;
		if (!sv->vdirs_collected) {
			strlist_add(&unknown, sv->name ? sv->name : "(unnamed)");
			continue;
		}
		bad = judge_vdirs(sv, "Autodiscover", sv->autodiscover,
		    sv->nautodiscover, out);
		bad += judge_vdirs(sv, "EWS", sv->ews, sv->news, out);
		if (bad == 0)
			ok++;
	}
	if (unknown.n > 0) {
		char *names = cfg_join(&unknown);

		fd = findings_add(out, SEV_INFO, "", "virtual directories were not "
		    "collected from %s", names);
		finding_evidence(fd, "servers", "%s", names);
		free(names);
	}
	strlist_release(&unknown);
	if (ok > 0)
		findings_add(out, SEV_PASS, "", "OAuth is on for Autodiscover and "
		    "EWS on %zu server(s)", ok);
}
