/* autodiscover.discovery: which of the clients' discovery methods works, and why the others fail. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_fns.h"
#include "net.h"

/* Exchange answers an anonymous GET of autodiscover.xml with 401 (or 200/405). */
static int
works(const struct http_response *r)
{
	return probe_answered(r);
}

static int
definite_resp(const struct http_response *r)
{
	return r->outcome == HTTP_RESPONSE || net_failure_severity(r) == SEV_FAIL;
}

static char *
why_not(const struct http_response *r)
{
	if (r->outcome != HTTP_RESPONSE)
		return net_failure_text(r);
	return xasprintf("HTTP %ld%s%s", r->status, r->location ? " to " : "",
	    r->location ? r->location : "");
}

/* Whether a method's failure is an answer (a fault) rather than silence. */
static int
definite(const struct probe *p)
{
	if (p == NULL)
		return 0;
	if (p->resp.redirect != NULL)
		return definite_resp(p->resp.redirect);
	return definite_resp(&p->resp);
}

void
check_autodiscover_discovery(const struct context *ctx, struct findings *out)
{
	const struct probe_results *r = ctx->probes;
	const char *domain = ctx->domain;
	const struct probe *root = probe_find(r, PROBE_AD_ROOT, NULL, NULL);
	const struct probe *host = probe_find(r, PROBE_AD_HOST, NULL, NULL);
	const struct probe *http = probe_find(r, PROBE_AD_HTTP, NULL, NULL);
	const struct probe *srv = probe_find(r, PROBE_AD_SRV, NULL, NULL);
	const char *method = NULL;
	char *txt[4] = { NULL, NULL, NULL, NULL };
	struct finding *fd;

	if (root != NULL) {
		if (works(&root->resp))
			method = method ? method : "the domain root";
		txt[0] = works(&root->resp) ? xasprintf("works (HTTP %ld)",
		    root->resp.status) : why_not(&root->resp);
		/* Outlook asks here first: a bad certificate means a warning. */
		if (root->resp.outcome == HTTP_ETLS) {
			fd = findings_add(out, SEV_WARN, domain, "https://%s presents "
			    "a certificate Outlook rejects, so users see a certificate "
			    "warning before Autodiscover moves on", domain);
			net_evidence(fd, r, &root->resp);
			finding_remedy(fd, "tls.certificate");
		}
	}
	if (host != NULL) {
		if (works(&host->resp))
			method = method ? method : "autodiscover.<domain>";
		txt[1] = works(&host->resp) ? xasprintf("works (HTTP %ld)",
		    host->resp.status) : why_not(&host->resp);
	}
	if (http != NULL) {
		const struct http_response *hr = &http->resp;

		if (hr->redirect != NULL && works(hr->redirect)) {
			method = method ? method : "the HTTP redirect";
			txt[2] = xasprintf("works: redirects to %s (HTTP %ld)",
			    hr->location, hr->redirect->status);
		} else if (hr->redirect != NULL) {
			char *w = why_not(hr->redirect);

			txt[2] = xasprintf("redirects to %s, which fails: %s",
			    hr->location, w);
			free(w);
		} else if (hr->redirect_note != NULL)
			txt[2] = xasprintf("HTTP %ld: %s (%s)", hr->status,
			    hr->redirect_note, hr->location ? hr->location : "");
		else if (hr->outcome == HTTP_RESPONSE)
			txt[2] = xasprintf("HTTP %ld, no redirect", hr->status);
		else
			txt[2] = net_failure_text(hr);
	}
	if (r->srv_name != NULL) {
		char *ans = dns_answer_text(&r->srv);

		if (srv != NULL && works(&srv->resp)) {
			method = method ? method : "the SRV record";
			txt[3] = xasprintf("%s: works (HTTP %ld)", ans, srv->resp.status);
		} else if (srv != NULL) {
			char *w = why_not(&srv->resp);

			txt[3] = xasprintf("%s: %s fails: %s", ans, srv->url, w);
			free(w);
		} else if (r->srv.status == DNS_OK && r->srv.nsrv > 0)
			txt[3] = xasprintf("%s: not followed: the target is '.' "
			    "(no service) or not a valid host name", ans);
		else
			txt[3] = xasprintf("%s", ans);
		free(ans);
	}
	if (method != NULL && host != NULL && works(&host->resp))
		fd = findings_add(out, SEV_PASS, domain, "clients find Autodiscover "
		    "for '%s' through %s", domain, method);
	else if (method != NULL) {
		/* A fallback works, but the name Exchange Online and clients prefer does not. */
		fd = findings_add(out, SEV_WARN, domain, "clients find Autodiscover "
		    "for '%s' only through %s; autodiscover.%s fails", domain,
		    method, domain);
		finding_remedy(fd, "endpoint.publish");
	}
	else if (!definite(root) && !definite(host) && !definite(http) &&
	    !definite(srv))
		/*
		 * Every HTTPS method timed out or failed oddly: nothing was
		 * learnt (a missing SRV record alone is common, not a verdict).
		 */
		fd = findings_add(out, SEV_ERROR, domain, "could not learn whether "
		    "clients find Autodiscover for '%s'", domain);
	else {
		fd = findings_add(out, SEV_FAIL, domain, "no Autodiscover method "
		    "works for '%s'", domain);
		finding_remedy(fd, "endpoint.publish");
	}
	finding_evidence(fd, "1 domain root", "%s", txt[0] ? txt[0] : "not asked");
	finding_evidence(fd, "2 autodiscover host", "%s", txt[1] ? txt[1] : "not asked");
	finding_evidence(fd, "3 http redirect", "%s", txt[2] ? txt[2] : "not asked");
	finding_evidence(fd, "4 srv record", "%s %s", r->srv_name ? r->srv_name : "",
	    txt[3] ? txt[3] : "not asked");
	for (int i = 0; i < 4; i++)
		free(txt[i]);
}
