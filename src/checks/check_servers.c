/* servers.build: every server at the dedicated hybrid application's minimum build. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "msid.h"
#include "cfg.h"
#include "check_fns.h"
#include "model.h"
#include "str.h"

/* The minimum that applies to a version's line (core/model.c), or NULL when it is fine. */
static const char *
below_minimum(const struct snap_version *v, char *want, size_t len)
{
	const char *line;

	return model_build_supports_app(v, want, len, &line) ? NULL : line;
}

void
check_servers_build(const struct context *ctx, struct findings *out)
{
	const struct snapshot *s = ctx->snapshot;
	int strict = cfg_dedicated_required(ctx);
	size_t ok = 0;
	struct finding *fd;

	if (cfg_skip_unless(ctx, out, s->onprem.nservers > 0, "onPremises.servers",
	    "Exchange servers"))
		return;
	for (size_t i = 0; i < s->onprem.nservers; i++) {
		const struct snap_server *sv = &s->onprem.servers[i];
		const char *name = sv->name ? sv->name : "(unnamed)", *line;
		char have[64], want[64];

		if (org_server_is_edge(sv))
			continue;
		snapshot_version_text(&sv->version, have, sizeof(have));
		if (!sv->version.valid) {
			fd = findings_add(out, SEV_WARN, name, "the build of '%s' is "
			    "unknown", name);
			continue;
		}
		if (sv->version.v[0] < 15 || (sv->version.v[0] == 15 &&
		    sv->version.v[1] == 0)) {
			fd = findings_add(out, strict ? SEV_WARN : SEV_INFO, name,
			    "'%s' runs %s (Exchange %s), which no update brings to "
			    "the dedicated hybrid application: it must not serve "
			    "free/busy itself", name, have,
			    sv->version.v[0] == 15 ? "2013" : sv->version.v[0] == 14 ?
			    "2010" : "2007 or older");
			finding_evidence(fd, "version", "%s", have);
			finding_evidence(fd, "version from", "%s", sv->version_source);
			finding_remedy(fd, "servers.update");
			continue;
		}
		if ((line = below_minimum(&sv->version, want, sizeof(want))) != NULL) {
			fd = findings_add(out, strict ? SEV_FAIL : SEV_INFO, name,
			    "'%s' runs %s, below %s (%s) that the dedicated hybrid "
			    "application needs", name, have, want, line);
			finding_evidence(fd, "version", "%s", have);
			finding_evidence(fd, "version from", "%s", sv->version_source);
			finding_evidence(fd, "minimum", "%s", want);
			finding_remedy(fd, "servers.update");
			continue;
		}
		ok++;
	}
	if (ok > 0) {
		fd = findings_add(out, SEV_PASS, "", "%zu server(s) at or above the "
		    "minimum builds for the dedicated hybrid application", ok);
		finding_evidence(fd, "servers", "%zu", ok);
	}
}
