/* Every probe answer, parsed once (see facts.h). */
#include "facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"

int
facts_http_date(const char *s, time_t *out)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char mon[4] = "", zone[4] = "";
	struct tm tm;
	int d, y, h, mi, sec, n = 0;
	const char *comma = strchr(s, ',');

	memset(&tm, 0, sizeof(tm));
	if (comma == NULL || sscanf(comma + 1, " %d %3s %d %d:%d:%d %3s%n", &d,
	    mon, &y, &h, &mi, &sec, zone, &n) != 7 || strcmp(zone, "GMT") != 0)
		return -1;
	tm.tm_mon = -1;
	for (int i = 0; i < 12; i++)
		if (strcmp(mon, months[i]) == 0)
			tm.tm_mon = i;
	if (tm.tm_mon < 0 || d < 1 || d > 31 || y < 1970 || h > 23 || mi > 59 ||
	    sec > 60)
		return -1;
	tm.tm_mday = d;
	tm.tm_year = y - 1900;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = timegm(&tm);
	return 0;
}

/* The document a probe of this kind asks for, from a whole body. */
static void
document(struct probe_facts *pf, const struct probe *p)
{
	const struct http_response *r = &p->resp;
	struct hcerr e = { "" };
	int rc;

	if (r->outcome != HTTP_RESPONSE || r->body_truncated)
		return;
	switch (p->kind) {
	case PROBE_ACS:
	case PROBE_ONPREM_METADATA:
		rc = metadata_parse(&pf->metadata, r->body, r->body_len, &e);
		break;
	case PROBE_FEDINFO:
		rc = fedinfo_parse(&pf->fedinfo, r->body, r->body_len, &e);
		break;
	case PROBE_ENTRA_KEYS:
		if (r->status != 200)
			return;
		rc = jwks_parse(&pf->jwks, r->body, r->body_len, &e);
		break;
	case PROBE_AUTODV2:
		/* Only a 200 is an answer; anything else says so by its status. */
		if (r->status != 200)
			return;
		rc = autodv2_parse(&pf->autodv2, r->body, r->body_len, &e);
		break;
	case PROBE_OPENID:
		/* The 200 answers are the probe's (tenant discovery parsed them). */
		pf->openid = p->openid;
		if (r->status != 200 && openid_parse_error(&pf->openid_error,
		    r->body, r->body_len) == 0)
			pf->has_openid_error = 1;
		return;
	default:
		return;
	}
	pf->doc = rc == 0 ? FACT_DOC_OK : FACT_DOC_BAD;
	if (rc != 0)
		pf->doc_error = xstrdup(e.msg);
}

static void
challenges(struct probe_facts *pf, const struct http_response *r)
{
	struct hcerr e = { "" };

	for (size_t k = 0; k < r->www_authenticate.n; k++)
		if (wwwauth_parse(&pf->challenges, r->www_authenticate.v[k], &e) == -1) {
			free(pf->challenge_error);
			pf->challenge_error = xstrdup(e.msg);
		}
	if ((pf->bearer = wwwauth_find(&pf->challenges, "Bearer")) != NULL)
		wwwauth_bearer(pf->bearer, &pf->bearer_params);
	if (r->diagnostics != NULL &&
	    wwwauth_parse_diagnostics(&pf->diagnostics, r->diagnostics, &e) == 0)
		pf->has_diagnostics = 1;
}

/* The chain of host:port, diagnosed on first sight. */
static const struct fact_tls *
tls_of(struct facts *f, const struct probe *p, time_t now)
{
	const struct http_response *r = &p->resp;
	struct fact_tls *t;
	struct hcerr e = { "" };
	char *key;

	/* Only connections that reached TLS say anything about it. */
	if (r->tls.n == 0 && r->outcome != HTTP_ETLS)
		return NULL;
	key = xasprintf("%s:%d", p->host, r->port);
	for (size_t i = 0; i < f->ntls; i++)
		if (strcasecmp(f->tls[i]->key, key) == 0) {
			free(key);
			return f->tls[i];
		}
	t = xcalloc(1, sizeof(*t));
	t->key = key;
	if (tls_diagnose(&t->d, &r->tls, p->host, now, &e) == 0)
		t->ok = 1;
	else
		t->error = xstrdup(e.msg);
	f->tls = xrealloc(f->tls, (f->ntls + 1) * sizeof(*f->tls));
	f->tls[f->ntls++] = t;
	return t;
}

void
facts_build(struct facts *f, const struct probe_results *r, time_t now)
{
	facts_release(f);
	if (r == NULL || r->n == 0)
		return;
	f->v = xcalloc(r->n, sizeof(*f->v));
	f->n = r->n;
	for (size_t i = 0; i < r->n; i++) {
		const struct probe *p = r->v[i];
		struct probe_facts *pf = &f->v[i];

		pf->probe = p;
		if (p->planned_only)
			continue;
		document(pf, p);
		challenges(pf, &p->resp);
		if (p->resp.date != NULL &&
		    facts_http_date(p->resp.date, &pf->date) == 0)
			pf->has_date = 1;
		pf->tls = tls_of(f, p, now);
	}
}

const struct probe_facts *
facts_of(const struct facts *f, const struct probe *p)
{
	if (f == NULL || p == NULL)
		return NULL;
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].probe == p)
			return &f->v[i];
	return NULL;
}

void
facts_release(struct facts *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n; i++) {
		struct probe_facts *pf = &f->v[i];

		free(pf->doc_error);
		metadata_release(&pf->metadata);
		fedinfo_release(&pf->fedinfo);
		autodv2_release(&pf->autodv2);
		jwks_release(&pf->jwks);
		if (pf->has_openid_error)
			openid_error_release(&pf->openid_error);
		wwwauth_release(&pf->challenges);
		free(pf->challenge_error);
		if (pf->bearer != NULL)
			wwwauth_bearer_release(&pf->bearer_params);
		if (pf->has_diagnostics)
			wwwauth_diagnostics_release(&pf->diagnostics);
	}
	free(f->v);
	for (size_t i = 0; i < f->ntls; i++) {
		free(f->tls[i]->key);
		if (f->tls[i]->ok)
			tls_diag_release(&f->tls[i]->d);
		free(f->tls[i]->error);
		free(f->tls[i]);
	}
	free(f->tls);
	memset(f, 0, sizeof(*f));
}
