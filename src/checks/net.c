/* Evidence and verdicts shared by the checks that read the live probes. */
#include "net.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "msid.h"
#include "str.h"
#include <stdio.h>

static const struct strlist default_principals = {
	(char *[]){ MSID_ACS_PRINCIPAL }, 1,
};

const struct strlist *
net_acs_principals(const struct context *ctx)
{
	const struct cloud_field *f = ctx->cloud ?
	    cloud_field(ctx->cloud, "acs_principals") : NULL;

	return f != NULL && f->values.n > 0 ? &f->values : &default_principals;
}

int
net_not_published(const struct probe *p)
{
	return probe_not_published(p);
}

struct finding *
net_not_published_finding(struct findings *out, const struct probe_results *r,
    const struct probe *p, const char *what)
{
	struct finding *fd;
	char *why = p->resp.outcome == HTTP_RESPONSE ?
	    xasprintf("HTTP %ld", p->resp.status) : net_failure_text(&p->resp);

	fd = findings_add(out, SEV_INFO, p->host, "%s is not published here "
	    "(%s): '%s' is a name made from the domain, not one the "
	    "organisation named, so it is not judged", what, why, p->host);
	finding_evidence(fd, "judged instead", "the hosts named by --host, the "
	    "snapshot's virtual directories, and the Autodiscover host that "
	    "answers");
	net_evidence(fd, r, &p->resp);
	free(why);
	return fd;
}

int
net_is_cloud(const struct probe *p)
{
	return p->cloud != NULL || p->kind == PROBE_OPENID ||
	    p->kind == PROBE_ACS || p->kind == PROBE_FEDINFO ||
	    p->kind == PROBE_CLOUD_DISCOVERY;
}

char *
net_excerpt(const char *body, size_t len)
{
	struct buf b;
	int space = 0;
	char *raw, *clean;

	buf_init(&b, 1024);
	for (size_t i = 0; body != NULL && i < len && b.len < 160; i++) {
		if (isspace((unsigned char)body[i])) {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_append(&b, " ", 1);
		space = 0;
		buf_append(&b, &body[i], 1);
	}
	raw = buf_steal(&b);
	clean = str_clean_text(raw);
	free(raw);
	return clean;
}

char *
net_body_cut(const struct http_response *resp)
{
	if (resp->outcome != HTTP_RESPONSE || !resp->body_truncated)
		return NULL;
	return xasprintf("a body larger than the %d MiB cap (%d bytes)",
	    HTTP_BODY_MAX / (1024 * 1024), HTTP_BODY_MAX);
}

char *
net_failure_text(const struct http_response *resp)
{
	return xasprintf("%s%s%s", http_outcome_text(resp->outcome),
	    resp->error ? ": " : "", resp->error ? resp->error : "");
}

enum severity
net_failure_severity(const struct http_response *resp)
{
	const struct dns_host *h = resp->dns;

	switch (resp->outcome) {
	case HTTP_EDNS:
		/* Only an answer that says "no such name" is the fault itself. */
		if (h != NULL && (h->a.status == DNS_ENXDOMAIN ||
		    h->a.status == DNS_ENODATA) && (h->aaaa.status == DNS_ENXDOMAIN ||
		    h->aaaa.status == DNS_ENODATA))
			return SEV_FAIL;
		return SEV_ERROR;
	case HTTP_ECONNECT:
	case HTTP_ETLS:
		return SEV_FAIL;
	case HTTP_RESPONSE:
		return SEV_PASS;
	default:
		return SEV_ERROR;
	}
}

void
net_evidence(struct finding *fd, const struct probe_results *r,
    const struct http_response *resp)
{
	(void)r;
	finding_evidence(fd, "url", "%s %s", resp->method ? resp->method : "GET",
	    resp->url);
	if (resp->dns != NULL) {
		char *a = dns_answer_text(&resp->dns->a);
		char *aaaa = dns_answer_text(&resp->dns->aaaa);

		finding_evidence(fd, "dns", "A: %s; AAAA: %s (%s)", a, aaaa,
		    resp->resolved_by ? resp->resolved_by : "");
		free(a);
		free(aaaa);
	} else if (resp->resolved_by != NULL)
		finding_evidence(fd, "dns", "%s", resp->resolved_by);
	if (resp->ip != NULL)
		finding_evidence(fd, "connected to", "%s port %ld%s%s", resp->ip,
		    resp->ip_port, resp->connect_to ? " via --connect-to " : "",
		    resp->connect_to ? resp->connect_to : "");
	if (resp->outcome != HTTP_RESPONSE) {
		char *why = net_failure_text(resp);

		finding_evidence(fd, "result", "%s", why);
		free(why);
	} else
		finding_evidence(fd, "status", "%ld", resp->status);
	for (size_t i = 0; i < resp->www_authenticate.n; i++) {
		if (i == 0)
			finding_evidence(fd, "www-authenticate", "%s",
			    resp->www_authenticate.v[i]);
		else {
			char key[48];

			snprintf(key, sizeof(key), "www-authenticate %zu", i + 1);
			finding_evidence(fd, key, "%s", resp->www_authenticate.v[i]);
		}
	}
	if (resp->diagnostics)
		finding_evidence(fd, "x-ms-diagnostics", "%s", resp->diagnostics);
	if (resp->location)
		finding_evidence(fd, "location", "%s", resp->location);
	if (resp->outcome == HTTP_RESPONSE && resp->body_len > 0) {
		char *ex = net_excerpt(resp->body, resp->body_len);

		finding_evidence(fd, "body", "%s%s", ex,
		    resp->body_len > 160 || resp->body_truncated ? "…" : "");
		free(ex);
	}
	if (resp->outcome == HTTP_RESPONSE && resp->body_truncated)
		finding_evidence(fd, "body size", "response larger than %d bytes: "
		    "read no further", HTTP_BODY_MAX);
	if (resp->outcome != HTTP_NOT_RUN)
		finding_evidence(fd, "time", "%ld ms", resp->t_total_ms);
}
