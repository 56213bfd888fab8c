/*
 * The remedy catalogue: remedy ids (docs/remedies.md) to PowerShell steps
 * for the target cloud, grouped by where they run, each guarded so that a
 * second run changes nothing. docs/remediation.md describes every step and
 * the evidence keys it reads.
 */
#ifndef HC_REMEDY_H
#define HC_REMEDY_H

#include "cloud.h"
#include "findings.h"
#include "buf.h"

/*
 * What the steps may need beyond the findings' evidence, from the
 * context. Every field may be NULL when unknown; a step that needs an
 * unknown value is written as a commented instruction naming the input
 * that would fill it in. Nothing here is trusted: every value is
 * validated for its kind before it is placed in the script.
 */
struct remedy_inputs {
	const struct cloud *cloud;	/* required */
	const char	*tool_version;
	const char	*domain;	/* the e-mail domain (--domain) */
	const char	*acs_domain;	/* tenant domain for the ACS URL; default domain */
	const char	*routing_domain; /* the tenant's routing (coexistence) domain */
	const char	*tenant_id;
	const char	*onprem_host;	/* published Autodiscover host; default autodiscover.<domain> */
	const char	*thumbprint;	/* current Auth certificate, 40 hex */
	const char	*cert_b64;	/* its DER, base64 */
	const char	*next_thumbprint;
	const char	*next_cert_b64;
	const char	*hybrid_app_id;	/* the dedicated hybrid application's appId */
	const struct strlist *hosts;	/* published on-premises hosts */
	const char	*right_cloud;	/* cloud.select: where the tenant lives, if known */
	const char	*rerun;		/* cloud.select: the command line to run instead */
};

struct remedy {
	const char	*id;
	int		 section;	/* enum ps1_section */
	const char	*what;		/* one line */
};

/* The catalogue, in the order the steps appear; ends with a NULL id. */
extern const struct remedy remedies[];

const struct remedy *remedy_find(const char *id);

/* Whether a finding asks for its remedy to run (warn or fail with an id). */
int	remedy_wanted(const struct finding *fd);

/*
 * Writes the whole script for the findings into out: the steps the
 * findings ask for, in catalogue order, then the verification for the
 * cloud. A step whose value fails validation is dropped (a comment says
 * so) and reported as an error finding of check "remediation" appended to
 * f. Returns the number of dropped steps.
 */
int	remedy_script(struct findings *f, const struct remedy_inputs *in,
	    struct buf *out);

#endif
