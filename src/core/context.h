/*
 * The context: everything known about one organisation, built once before
 * the checks run. Checks read it and never perform I/O of their own.
 */
#ifndef HC_CONTEXT_H
#define HC_CONTEXT_H

#include <time.h>

#include "buf.h"
#include "cloud.h"
#include "facts.h"
#include "http.h"
#include "mem.h"

/* What a check may need; a check runs only when all it needs is known. */
enum input {
	INPUT_DOMAIN	= 1u << 0,	/* --domain */
	INPUT_CLOUD	= 1u << 1,	/* --cloud, or found by tenant discovery */
	INPUT_NETWORK	= 1u << 2,	/* live probes ran (no --offline) */
	INPUT_SNAPSHOT	= 1u << 3,	/* --snapshot */
	INPUT_CERT	= 1u << 4,	/* --cert, or a certificate in the snapshot */
	INPUT_THUMBPRINT = 1u << 5,	/* --thumbprint, or AuthConfig in the snapshot */
	INPUT_SPNS	= 1u << 6,	/* --spn / --spn-file, or Entra in the snapshot */
	INPUT_HOSTS	= 1u << 7,	/* hosts to judge: --host, --domain or snapshot */
	INPUT_NEXT_CERT	= 1u << 8,	/* --next-cert, or a staged one in the snapshot */
	INPUT_TOKEN	= 1u << 9,	/* a token given to 'hybridcheck token' */
	INPUT_SIGNING_KEY = 1u << 10,	/* the Auth certificate's private key (PFX) */
	INPUT_LAST	= INPUT_SIGNING_KEY,
};

/* How to provide an input, for skip findings: "--cert FILE". */
const char	*input_hint(enum input in);
/* A short name for listings: "cert". */
const char	*input_name(enum input in);

struct authcert;	/* cert.h */
struct spn_set;		/* spn.h */
struct snapshot;	/* snapshot.h */
struct probe_results;	/* probe.h */
struct token_input;	/* token.h */

/*
 * What the caller asks the context to hold, filled by the command line
 * (or a test): paths to load, names to judge, the run's clock. Every
 * pointer is borrowed for the duration of context_build only.
 */
struct context_config {
	const char		*cloud;		/* profile name or alias; NULL: from the snapshot or discovery */
	const char		*domain;	/* normalised, or NULL */
	const struct strlist	*hosts;		/* published hosts to judge; may be NULL */
	const char		*snapshot;	/* path, or NULL */
	const char		*cert;		/* the Auth certificate's file */
	unsigned		 cert_flags;	/* cert_load() flags for cert */
	const char		*next_cert;
	const char		*thumbprint;	/* as the user wrote it */
	const struct strlist	*spns;		/* may be NULL */
	const char		*spn_file;
	long			 window;	/* days of warning before an expiry; 0: none */
	time_t			 now;		/* the instant every date is judged against */
	int			 offline;	/* no live probes */
	struct net_config	 net;		/* how the probes reach the network */
};

struct context {
	const struct cloud_set	*clouds;
	const struct cloud	*cloud;		/* NULL until known */
	const char		*domain;	/* --domain, else the snapshot's; NULL */
	const char		*domain_from;	/* "--domain", or the snapshot part */
	time_t			 now;
	long			 window;	/* days; 0 = none */
	int			 cloud_given;	/* the cloud was named (not found) */
	struct net_config	 net;		/* for context_probe; strings borrowed */
	unsigned		 have;		/* enum input bits */

	/* Owned by the context; NULL when the input is absent. */
	char			*thumbprint;	/* normalised, upper-case hex */
	int			 thumbprint_changed;	/* enum cert_tp_change bits; 0: as given */
	char			*thumbprint_given;	/* as the user wrote it */
	struct authcert		*cert;
	struct authcert		*next_cert;
	struct spn_set		*spns;
	struct snapshot		*snapshot;
	struct probe_results	*probes;
	struct facts		 facts;		/* the probes' answers, parsed (context_facts) */
	struct strlist		 hosts;		/* published hosts to judge */
	size_t			 hosts_named;	/* the first ones the organisation named (--host, snapshot) */
	/*
	 * Hosts that answered as Exchange outside the organisation's own
	 * domains (a redirect or SRV target elsewhere): reported, never
	 * judged for SPN coverage nor added; foreign_from says who named each.
	 */
	struct strlist		 foreign_hosts;
	struct strlist		 foreign_from;
	struct token_input	*token;		/* hybridcheck token */
	char			*domain_owned;	/* what domain points at */
};

/*
 * Whether host lies in the organisation's own names: a host it named
 * (--host, the snapshot's URLs), or the domain or an accepted domain
 * (on-premises or Exchange Online, from the snapshot) or a name under one.
 */
int	context_own_host(const struct context *ctx, const char *host);

/*
 * Loads every input the configuration names (files, snapshot) and, unless
 * offline, runs the live probes. A bad input file is an error (e set,
 * return -1); a failed probe is evidence, not an error. The net
 * configuration's lists must outlive the context.
 */
int	context_build(struct context *ctx, const struct context_config *cfg,
	    const struct cloud_set *clouds, struct hcerr *e);
void	context_release(struct context *ctx);

/*
 * Plans the live probes into a new ctx->probes: the hosts the
 * organisation named are judged as published, names made from the domain
 * only where they exist (batch runs the plan on its own engine).
 */
void	context_plan(struct context *ctx);
/* Runs the live probes into ctx->probes (context_build does, unless offline). */
int	context_probe(struct context *ctx, struct hcerr *e);
/*
 * Only tenant discovery and the ACS metadata for the domain (what 'token'
 * needs): on the chosen cloud, or on every cloud when none is known yet.
 */
int	context_probe_tenant(struct context *ctx, struct hcerr *e);

/*
 * The e-mail domain a snapshot stands for when --domain is not given: the
 * first HybridConfiguration domain (the default accepted domain when it is
 * one of them), else the default accepted domain, else the first target
 * domain of Exchange Online's connector, else the first authoritative
 * accepted domain. Tenant-owned names (initial and routing domains of any
 * loaded cloud) never count. NULL when none is a valid DNS name; *from says
 * which part it came from.
 */
const char *context_snapshot_domain(const struct snapshot *s,
	    const struct cloud_set *clouds, const char **from);

/*
 * What the finished probes in ctx->probes add: the network input, the
 * published hosts, the cloud tenant discovery found (context_probe calls
 * it; batch mode, which runs the probes itself, too).
 */
void	context_probed(struct context *ctx);

/*
 * Parses every answer in ctx->probes into ctx->facts (again, if called
 * again): context_probed does, and tests that fill the probes by hand.
 */
void	context_facts(struct context *ctx);

/* Adds a host to ctx->hosts once (normalised names only). */
void	context_add_host(struct context *ctx, const char *host);

#endif
