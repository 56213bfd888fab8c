/* oauth.challenge: on-premises endpoints offer OAuth and trust the tenant. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "check_fns.h"
#include "net.h"
#include "wwwauth.h"

/* Whether issuers include principal@tenant for one of the cloud's principals. */
static int
trusts_tenant(const struct strlist *issuers, const struct strlist *principals,
    const char *tid, int *acs_other)
{
	*acs_other = 0;
	for (size_t i = 0; i < issuers->n; i++)
		for (size_t k = 0; k < principals->n; k++) {
			size_t n = strlen(principals->v[k]);

			if (strncasecmp(issuers->v[i], principals->v[k], n) != 0 ||
			    issuers->v[i][n] != '@')
				continue;
			if (tid != NULL && strcasecmp(issuers->v[i] + n + 1, tid) == 0)
				return 1;
			*acs_other = 1;
		}
	return 0;
}

static void
judge_challenge(const struct context *ctx, struct findings *out,
    const struct probe *p, const char *what)
{
	const struct http_response *r = &p->resp;
	const char *tid = ctx->probes->tenant_id;
	const struct strlist *principals = net_acs_principals(ctx);
	const struct probe_facts *pf = facts_of(&ctx->facts, p);
	const struct auth_challenge *c;
	const struct bearer *b;
	struct finding *fd;
	int other = 0;

	if (r->outcome != HTTP_RESPONSE || pf == NULL)
		return;		/* endpoint.* says why */
	if (r->status != 401) {
		if (r->status >= 200 && r->status < 300 && pf->challenges.n == 0) {
			fd = findings_add(out, SEV_WARN, p->host, "%s answers HTTP %ld "
			    "without asking for any authentication", what, r->status);
			net_evidence(fd, ctx->probes, r);
		}
		return;
	}
	if ((c = pf->bearer) == NULL) {
		fd = findings_add(out, SEV_FAIL, p->host, "%s offers no Bearer "
		    "challenge: OAuth is off on the virtual directory, or a proxy "
		    "pre-authenticates", what);
		if (pf->challenge_error != NULL)
			finding_evidence(fd, "parse error", "%s", pf->challenge_error);
		finding_remedy(fd, "vdir.oauth");
		net_evidence(fd, ctx->probes, r);
		return;
	}
	b = &pf->bearer_params;
	if (trusts_tenant(&b->trusted_issuers, principals, tid, &other)) {
		fd = findings_add(out, SEV_PASS, p->host, "%s trusts %s@%s", what,
		    principals->v[0], tid);
	} else if (tid == NULL) {
		fd = findings_add(out, SEV_INFO, p->host, "%s offers Bearer; the "
		    "tenant id is unknown, so its trusted issuers cannot be judged",
		    what);
	} else {
		fd = findings_add(out, SEV_FAIL, p->host, "%s does not trust tenant "
		    "%s: trusted_issuers lacks %s@%s", what, tid, principals->v[0], tid);
		finding_remedy(fd, other ? "authserver.acs.fix" :
		    "authserver.acs.create");
	}
	finding_evidence(fd, "trusted issuers", "%s",
	    wwwauth_param(c, "trusted_issuers") ? wwwauth_param(c,
	    "trusted_issuers") : "(none)");
	if (b->error)
		finding_evidence(fd, "bearer error", "%s", b->error);
	if (pf->has_diagnostics) {
		const struct msdiag *d = &pf->diagnostics;

		finding_evidence(fd, "diagnostics code", "%ld", d->code);
		if (d->reason)
			finding_evidence(fd, "diagnostics reason", "%s", d->reason);
		if (d->error_category)
			finding_evidence(fd, "diagnostics category", "%s",
			    d->error_category);
	}
	net_evidence(fd, ctx->probes, r);
}

void
check_oauth_challenge(const struct context *ctx, struct findings *out)
{
	size_t answered = 0;

	for (size_t i = 0; i < ctx->probes->n; i++) {
		const struct probe *p = ctx->probes->v[i];

		if (p->kind != PROBE_ONPREM_SVC && p->kind != PROBE_EWS)
			continue;
		if (p->resp.outcome == HTTP_RESPONSE)
			answered++;
		judge_challenge(ctx, out, p, p->kind == PROBE_EWS ? "EWS" :
		    "autodiscover.svc");
	}
	if (answered == 0)
		findings_add(out, SEV_SKIP, "", "no on-premises endpoint answered "
		    "(see endpoint.onprem-autodiscover, endpoint.ews)");
}
