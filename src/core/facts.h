/*
 * Facts: what every live answer says, parsed once after the probes. The
 * checks and the remediation read these and never parse a body. Each
 * answer is parsed in exactly one place, here -- except the OpenID
 * documents, which tenant discovery needs while the probes still run and
 * which probe.c parses (once) into the probe itself; facts point at them.
 */
#ifndef HC_FACTS_H
#define HC_FACTS_H

#include <time.h>

#include "autodv2.h"
#include "fedinfo.h"
#include "jwks.h"
#include "metadata.h"
#include "openid.h"
#include "probe.h"
#include "tls.h"
#include "wwwauth.h"

enum fact_doc {
	FACT_DOC_NONE,		/* no whole body to parse, or not a document probe */
	FACT_DOC_OK,		/* parsed */
	FACT_DOC_BAD,		/* a whole body that is not the document: doc_error */
};

/* The TLS chain one host:port presented, diagnosed once for all its probes. */
struct fact_tls {
	char		*key;		/* "host:port" */
	int		 ok;		/* d holds the diagnosis */
	struct tls_diag	 d;
	char		*error;		/* !ok: why the leaf could not be decoded */
};

/* What one probe's answer says. */
struct probe_facts {
	const struct probe	*probe;

	/*
	 * The document the probe asked for, from a whole body of any status
	 * (a check judges the status itself): ACS or on-premises metadata,
	 * GetFederationInformation, AutoDiscover v2, OpenID configuration.
	 */
	enum fact_doc		 doc;
	char			*doc_error;
	struct metadata		 metadata;	/* PROBE_ACS, PROBE_ONPREM_METADATA */
	struct fedinfo		 fedinfo;	/* PROBE_FEDINFO */
	struct autodv2		 autodv2;	/* PROBE_AUTODV2 */
	struct jwks		 jwks;		/* PROBE_ENTRA_KEYS */
	const struct openid	*openid;	/* PROBE_OPENID with 200: the probe's */
	int			 has_openid_error;	/* PROBE_OPENID, not 200 */
	struct openid_error	 openid_error;

	/* The challenges of every WWW-Authenticate header, and x-ms-diagnostics. */
	struct wwwauth		 challenges;
	char			*challenge_error;	/* the last header that did not parse */
	const struct auth_challenge *bearer;	/* the first Bearer challenge, or NULL */
	struct bearer		 bearer_params;	/* valid when bearer != NULL */
	int			 has_diagnostics;
	struct msdiag		 diagnostics;

	/* The server's clock, from its Date header (IMF-fixdate). */
	int			 has_date;
	time_t			 date;

	/* The chain its connection presented; NULL when TLS was not reached. */
	const struct fact_tls	*tls;
};

struct facts {
	struct probe_facts	*v;	/* indexed like probe_results.v */
	size_t			 n;
	struct fact_tls		**tls;	/* one per host:port */
	size_t			 ntls;
};

/* Parses every answer of r; now is the instant certificates are judged at. */
void	facts_build(struct facts *f, const struct probe_results *r, time_t now);
void	facts_release(struct facts *f);

/* The facts of one probe of the results they were built from, or NULL. */
const struct probe_facts *facts_of(const struct facts *f, const struct probe *p);

/* IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"; -1 if not one. */
int	facts_http_date(const char *s, time_t *out);

#endif
