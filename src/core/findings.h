/* Findings: what the checks conclude, with their evidence. */
#ifndef HC_FINDINGS_H
#define HC_FINDINGS_H

#include <stddef.h>

/* Ordered from best to worst; the worst one seen decides the exit code. */
enum severity {
	SEV_PASS,
	SEV_SKIP,
	SEV_INFO,
	SEV_WARN,
	SEV_FAIL,
	SEV_ERROR,
};

struct evidence {
	char	*key;
	char	*value;
};

/*
 * The values a finding hands to the remediation script, typed: the script
 * builders read these and never the displayed evidence, so a label can be
 * reworded without changing a script. Each is a cleaned string.
 */
enum remedy_param {
	RP_ACS_METADATA_URL,	/* the ACS metadata URL the cloud expects */
	RP_ACS_ISSUER,		/* the issuer principal the cloud's ACS document names */
	RP_APP_ID,		/* the dedicated hybrid application's appId */
	RP_AUTHSERVER,		/* an AuthServer's name */
	RP_CERTIFICATE,		/* a certificate's DER, base64 */
	RP_CONNECTOR,		/* an IntraOrganizationConnector's name */
	RP_DISCOVERY_ENDPOINT,	/* a connector's DiscoveryEndpoint */
	RP_DOMAIN,		/* the organisation's e-mail domain */
	RP_EXPECTED_CLOUD,	/* the cloud the tenant lives in */
	RP_LIVE_ACS_REALM,	/* the realm the live ACS metadata names */
	RP_NEXT_THUMBPRINT,	/* the next Auth certificate's thumbprint */
	RP_PROXY_URL,		/* an availability address space's proxy URL */
	RP_ROUTING_DOMAIN,	/* the tenant's routing domain */
	RP_SERVER,		/* an Exchange server's name */
	RP_SPNS_ADD,		/* SPNs to add, space or comma separated */
	RP_SPNS_ALL_TO_ADD,	/* every SPN the smallest covering set adds */
	RP_TENANT_ID,		/* the tenant id */
	RP_THUMBPRINT,		/* the Auth certificate's thumbprint */
	RP_VDIR,		/* a virtual directory's kind: EWS, Autodiscover */
	RP_LIFETIME_DAYS,	/* the tenant's cap on a certificate key credential, days */
	RP_CONSENT,		/* admin consent for the hybrid application: "granted|missing|unknown: why" */
	RP_COUNT,
};

struct finding {
	char		*check;		/* stable check id, e.g. "spn.coverage" */
	const char	*title;		/* the check's title (static), or NULL */
	enum severity	 severity;
	char		*subject;	/* the host, object or file judged */
	char		*message;	/* one line */
	struct evidence	*ev;		/* ordered as added */
	size_t		 nev;
	char		*remedy;	/* remedy id or NULL */
	char		*param[RP_COUNT];	/* typed remedy parameters, or NULL */
};

/*
 * Each finding is allocated on its own, so a pointer returned by
 * findings_add() stays valid however many findings follow, until
 * findings_release().
 */
struct findings {
	struct finding	**v;
	size_t		  n;
	const char	*current_check;	/* set by the check runner */
	const char	*current_title;	/* likewise, the check's title */
};

const char	*severity_name(enum severity s);
int		 severity_parse(const char *s, enum severity *out);

/* Adds a finding for the check being run (findings->current_check). */
struct finding	*findings_add(struct findings *f, enum severity sev,
		    const char *subject, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
/* Same, naming the check explicitly. */
struct finding	*findings_add_for(struct findings *f, const char *check,
		    enum severity sev, const char *subject, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
void		 finding_evidence(struct finding *fd, const char *key,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Evidence that is also a remedy parameter: shown under key, typed as p. */
void		 finding_evidence_param(struct finding *fd, enum remedy_param p,
		    const char *key, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
/* A remedy parameter that is not shown. */
void		 finding_param(struct finding *fd, enum remedy_param p,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char	*finding_param_get(const struct finding *fd, enum remedy_param p);
void		 finding_remedy(struct finding *fd, const char *remedy);
const char	*finding_get(const struct finding *fd, const char *key);

/*
 * For one test only: every evidence key added from now on is first
 * rewritten by fn (NULL: kept as given), so the test can rename them all
 * and show that no script builder reads a displayed label.
 */
typedef void (*findings_key_fn)(const char *key, char *out, size_t outlen);
void		 findings_rename_keys(findings_key_fn fn);

enum severity	 findings_worst(const struct findings *f);
void		 findings_count(const struct findings *f, size_t counts[SEV_ERROR + 1]);
void		 findings_release(struct findings *f);

/* Exit codes; exit_statuses says what each means. */
enum {
	EXIT_OK = 0,		/* nothing worse than info */
	EXIT_WARN = 1,		/* warnings */
	EXIT_FAIL = 2,		/* failures (or a regression in verify) */
	EXIT_INCOMPLETE = 3,	/* could not complete */
	EXIT_USAGE = 64,	/* bad command line */
};

/*
 * The exit codes as data: --help, the man page and the README's table
 * are made from (or checked against) these rows.
 */
struct exit_status {
	int		 code;
	const char	*name;		/* one word */
	const char	*meaning;	/* plain text, one line */
	int		 rank;		/* of two codes that apply, the higher wins */
};
extern const struct exit_status exit_statuses[];	/* ends with a NULL name */

/*
 * Of two exit codes that both apply, the one the run exits with: failures
 * outrank could-not-complete, which outranks warnings.
 */
int		 exit_status_worse(int a, int b);

/*
 * The exit code for a set of findings: of each finding's code (error 3,
 * fail 2, warn 1, else 0) the one exit_status_worse() keeps, or 3 if
 * nothing ran.
 */
int		 findings_exit_code(const struct findings *f);

#endif
