/*
 * Shared helpers of the configuration checks (check_<family>.c): what the
 * snapshot says about the hybrid model, the tenant, the servers.
 */
#ifndef HC_CFG_H
#define HC_CFG_H

#include <time.h>

#include "context.h"
#include "model.h"
#include "org.h"
#include "findings.h"
#include "snapshot.h"

#define HYBRID_APP_PREFIX	"ExchangeServerApp-"
/* The snapshot part that holds the hybrid applications' consent. */
#define ASSIGNMENTS_PART	"entra.hybridApplications.appRoleAssignments"

/*
 * From this instant (T0 of the cloud's profile) the shared service
 * principal no longer serves EWS calls; (time_t)-1 when the profile
 * does not know.
 */
time_t	cfg_cutoff(const struct context *ctx);
/* "31 Oct 2025"-style date for messages; buf holds 32 bytes. */
void	cfg_date(time_t t, char *buf, size_t len);

/*
 * Adds a skip finding when the snapshot lacks a part, naming what the
 * collector recorded about it. Returns 1 when it skipped.
 */
int	cfg_skip_unless(const struct context *ctx, struct findings *out,
	    int present, const char *part, const char *what);

/*
 * Like cfg_skip_unless, and skips too when the collector recorded an error
 * for exactly this part (errors[]: "collected, none" must not be read into
 * a part that could not be read). Returns 1 when it skipped.
 */
int	cfg_skip_part(const struct context *ctx, struct findings *out,
	    int present, const char *part, const char *what);
/* The error recorded for exactly this part, or NULL. */
const struct snap_error *cfg_part_error(const struct snapshot *s,
	    const char *part);

/*
 * The tenant id: the snapshot's (Entra), else the one tenant discovery
 * established live; *source says which.
 */
const char *cfg_tenant_id(const struct context *ctx, const char **source);

/* Lower-case host of an http(s) URL into buf; 0 on success. */
int	cfg_url_host(const char *url, char *buf, size_t len);
/* The path of an URL (from the first '/' after the host), or "". */
const char *cfg_url_path(const char *url);

int	cfg_is_guid(const char *s);

/* Hybrid apps: named by an AzureAD AuthServer, or ExchangeServerApp-*. */
size_t	cfg_hybrid_apps(const struct snapshot *s, const struct snap_app **v,
	    size_t max);
/* Whether an admin consented to full_access_as_app on Exchange Online for the app. */
int	cfg_full_access_consented(const struct snap_app *a);

/*
 * What the snapshot says of tenant-wide admin consent for the hybrid
 * application (the app an AzureAD AuthServer names, else the
 * ExchangeServerApp-* ones): Microsoft's script creates the override
 * only with it. why (len bytes) says what was seen.
 */
enum cfg_consent { CONSENT_UNKNOWN, CONSENT_GRANTED, CONSENT_MISSING };
enum cfg_consent cfg_app_consent(const struct context *ctx, char *why,
	    size_t len);
/*
 * Asks for hybridapp.override, with the consent the snapshot shows as
 * evidence and as the step's parameter (granted: the step writes the
 * override; otherwise Microsoft's script, which checks consent, does).
 */
void	cfg_override_remedy(const struct context *ctx, struct finding *fd);

/* Whether the organisation has moved to (or started) the dedicated app. */
int	cfg_dedicated(const struct snapshot *s);
/* Whether the dedicated-app requirements are binding: moved, or past cutoff. */
int	cfg_dedicated_required(const struct context *ctx);

/*
 * Whether DAuth (federation trust, OrganizationRelationships) serves
 * free/busy in the run's cloud: the profile's dauth_freebusy (no in
 * 21Vianet); 0 without a cloud. cfg_dauth_assumed: the profile does not
 * confirm it. cfg_dauth_evidence: the value, source and certainty.
 */
int	cfg_dauth_serves(const struct context *ctx);
int	cfg_dauth_assumed(const struct context *ctx);
void	cfg_dauth_evidence(const struct context *ctx, struct finding *fd);

/*
 * Whether the OAuth objects (connectors, the dedicated application, the
 * override, the Auth certificate's key in Entra) serve nothing here: a
 * DAuth-only organisation where DAuth serves free/busy (not 21Vianet), or
 * HybridConfiguration Features without rich coexistence. Returns the
 * class (MODEL_DAUTH, MODEL_NONE), or MODEL_UNKNOWN when OAuth applies.
 */
enum model_class cfg_oauth_unused(const struct context *ctx);
/*
 * When cfg_oauth_unused(): adds one info finding, no remedy, saying what
 * the check leaves alone and why; returns 1.
 */
int	cfg_skip_oauth_unused(const struct context *ctx, struct findings *out,
	    const char *what);

/* Whether a key credential holds the certificate (thumbprint or DER). */
int	cfg_key_matches(const struct snap_keycred *k, const char *thumbprint,
	    const unsigned char *der, size_t der_len);
/* The first key credential of keys that holds the certificate, or NULL. */
const struct snap_keycred *cfg_find_key(const struct snap_keycred *keys,
	    size_t n, const char *thumbprint, const unsigned char *der,
	    size_t der_len);
/* Any server's copy of the certificate with this thumbprint (DER preferred). */
const struct snap_cert *cfg_find_cert(const struct snapshot *s,
	    const char *thumbprint);

/* Where the routing domain came from, and which form it has, as evidence. */
void	cfg_routing_evidence(struct finding *fd, const struct org_routing *rt);

/* The cloud (of all loaded) whose field key lists a URL with this host. */
const struct cloud *cfg_cloud_of_host(const struct context *ctx,
	    const char *key, const char *host);

/* URL equality for endpoints: case-insensitive, trailing '/' ignored. */
int	cfg_url_eq(const char *a, const char *b);

/* Joins a list into "a, b, c" (caller frees). */
char	*cfg_join(const struct strlist *l);

#endif
