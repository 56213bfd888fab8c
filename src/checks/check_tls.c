/* tls.certificate: what every published certificate tells an administrator. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_fns.h"
#include "net.h"
#include "tls.h"
#include "datetime.h"
#include <stdio.h>

/* Kinds whose host must present a certificate Exchange Online accepts. */
static int
judged(const struct probe *p)
{
	return p->kind != PROBE_AD_ROOT && p->kind != PROBE_AD_SRV &&
	    p->kind != PROBE_AD_HTTP;
}

static void
cert_evidence(struct finding *fd, const struct tls_diag *d)
{
	char nb[32], na[32];
	struct buf sans;

	datetime_iso8601(d->leaf.not_before, nb, sizeof(nb));
	datetime_iso8601(d->leaf.not_after, na, sizeof(na));
	buf_init(&sans, 16 * 1024);
	for (size_t i = 0; i < d->leaf.dns_names.n; i++)
		buf_printf(&sans, "%s%s", i ? ", " : "", d->leaf.dns_names.v[i]);
	finding_evidence(fd, "subject", "%s", d->leaf.subject);
	finding_evidence(fd, "san", "%s", sans.len ? sans.data : "(none)");
	finding_evidence(fd, "issuer", "%s", d->leaf.issuer);
	finding_evidence(fd, "not before", "%s", nb);
	finding_evidence(fd, "not after", "%s (%ld days)", na, d->days_left);
	finding_evidence(fd, "key", "%s %d bits", d->leaf.key_type, d->leaf.key_bits);
	finding_evidence(fd, "server auth eku", "%s", !d->leaf.has_eku ? "no EKU "
	    "extension (any use)" : d->leaf.eku_server_auth ? "yes" : "no");
	finding_evidence(fd, "sha1", "%s", d->leaf.sha1);
	finding_evidence(fd, "sha256", "%s", d->leaf.sha256);
	finding_evidence(fd, "chain sent", "%zu certificate%s", d->chain_len,
	    d->chain_len == 1 ? "" : "s");
	finding_evidence(fd, "verification", "%s", d->verified ? "ok" :
	    d->verify_reason ? d->verify_reason : "failed");
	buf_release(&sans);
}

void
check_tls_certificate(const struct context *ctx, struct findings *out)
{
	const struct probe_results *r = ctx->probes;
	struct strlist seen = { 0 };

	for (size_t i = 0; i < r->n; i++) {
		const struct probe *p = r->v[i];
		const struct http_response *resp = &p->resp;
		const struct probe_facts *pf = facts_of(&ctx->facts, p);
		const struct tls_diag *d;
		struct finding *fd;
		char *probs;
		char key[300];
		unsigned problems, shown;

		if (!judged(p) || strncasecmp(p->url, "https://", 8) != 0)
			continue;
		snprintf(key, sizeof(key), "%s:%d", p->host, resp->port);
		if (strlist_contains_ci(&seen, key))
			continue;
		/* Only connections that reached TLS say anything about it. */
		if (pf == NULL || pf->tls == NULL)
			continue;
		strlist_add(&seen, key);
		if (!pf->tls->ok) {
			fd = findings_add(out, SEV_FAIL, p->host, "%s", pf->tls->error);
			net_evidence(fd, r, resp);
			continue;
		}
		d = &pf->tls->d;
		if (d->problems & TLS_NO_CHAIN) {
			char *why = net_failure_text(resp);

			fd = findings_add(out, net_is_cloud(p) ? SEV_ERROR : SEV_FAIL,
			    p->host, "TLS with '%s' failed before a certificate was "
			    "seen: %s", p->host, why);
			free(why);
			finding_remedy(fd, net_is_cloud(p) ? NULL : "tls.certificate");
			net_evidence(fd, r, resp);
			continue;
		}
		/* --window widens "expiring" to the migration window. */
		problems = d->problems;
		if (ctx->window > 0 && !(problems & TLS_EXPIRED) &&
		    d->days_left < ctx->window)
			problems |= TLS_EXPIRING;
		/* A specific reason makes "does not verify" redundant. */
		shown = problems;
		if (shown & (TLS_EXPIRED | TLS_NOT_YET_VALID | TLS_SELF_SIGNED |
		    TLS_MISSING_INTERMEDIATE))
			shown &= ~(unsigned)TLS_UNTRUSTED;
		probs = tls_problems_text(shown);
		if (tls_problem_is_failure(problems)) {
			/* Microsoft's own certificates failing means interception here. */
			fd = findings_add(out, net_is_cloud(p) ? SEV_ERROR : SEV_FAIL,
			    p->host, "certificate of '%s': %s%s", p->host, probs,
			    net_is_cloud(p) ? " (a TLS-intercepting proxy, or a missing "
			    "root on this machine?)" : "");
			if (!net_is_cloud(p))
				finding_remedy(fd, "tls.certificate");
		} else if (problems & TLS_EXPIRING) {
			fd = findings_add(out, SEV_WARN, p->host, "certificate of '%s' "
			    "expires in %ld days", p->host, d->days_left);
			finding_remedy(fd, "tls.certificate");
		} else
			fd = findings_add(out, SEV_PASS, p->host, "certificate of '%s' "
			    "verifies, names the host, is in date", p->host);
		cert_evidence(fd, d);
		for (size_t k = 0; k < d->chain_subjects.n && k < 4; k++) {
			char ck[32];

			snprintf(ck, sizeof(ck), "chain %zu", k);
			finding_evidence(fd, ck, "%s", d->chain_subjects.v[k]);
		}
		finding_evidence(fd, "url", "%s", p->url);
		free(probs);
	}
	if (seen.n == 0)
		findings_add(out, SEV_SKIP, "", "no HTTPS host completed a handshake "
		    "to judge");
	strlist_release(&seen);
}
