/*
 * The one run every command makes: load the cloud profiles, build the
 * context, probe, judge, then write the remediation script and the report.
 * A command describes what it needs (struct pipeline_spec): which check
 * families, which probes, and the facts of its own it adds (a token, a
 * PFX) or shows beside the findings (cert facts, the SPN matrix). Batch
 * mode runs the same stages for each organisation on a shared engine.
 */
#ifndef HC_PIPELINE_H
#define HC_PIPELINE_H

#include <stdio.h>

#include "cloud.h"
#include "context.h"
#include "findings.h"
#include "report.h"

/* What the caller (the command line, a test) asks of the run. */
struct pipeline_config {
	struct context_config	 ctx;
	const char		*endpoints;	/* extra cloud profiles, or NULL */
	int			 endpoints_override;	/* they may replace built-ins */
	enum report_format	 format;
	const char		*output;	/* the report's file; NULL or "-": out */
	const char		*ps1;		/* the script's file, or NULL */
	int			 no_color;	/* --no-color, or NO_COLOR set */
	enum report_detail	 detail;	/* text: -q, default, -v */
	const struct strlist	*argv;		/* the command line from the command on, as given */
	/* The options the running command accepts (NULL: any): hints name no other. */
	const struct strlist	*accepts;
	/* The command line that writes this run's script (NULL: none). */
	const char		*remediate;
};

enum pipeline_probes {
	PIPELINE_PROBES_NONE,	/* files only: cert, spn */
	PIPELINE_PROBES_TENANT,	/* tenant discovery and ACS metadata: token */
	PIPELINE_PROBES_ALL,	/* every outside-in probe: preflight and friends */
};

struct pipeline;

struct pipeline_spec {
	const char		*command;
	const char *const	*families;	/* check id prefixes to run; NULL: all */
	enum pipeline_probes	 probes;
	/* After the context and its probes, before the checks: the command's
	 * own inputs. Returns 0, or an exit code after writing the reason to
	 * err. May be NULL. */
	int	(*prepare)(struct pipeline *pl, void *arg, FILE *err);
	/* After the checks: what the command shows beside the findings
	 * (pl->preamble, pl->extra). May be NULL. */
	void	(*present)(struct pipeline *pl, void *arg);
	void	*arg;
};

struct cJSON;
struct diff;

struct pipeline {
	const struct pipeline_spec	*spec;
	const struct pipeline_config	*cfg;
	struct cloud_set		 own_clouds;	/* loaded by pipeline_run */
	const struct cloud_set		*clouds;
	struct context			 ctx;
	struct findings			 f;
	struct buf			 preamble;	/* text before the findings */
	struct cJSON			*extra;		/* JSON members; owned */
	const struct diff		*diff;		/* verify: set by the command */
	const char			*tenant_id;	/* set by a command that knows better */
	struct report_coverage		 coverage;	/* pipeline_judge */
	char				*script_error;	/* why --ps1 was not written */
	int				 script_written;
};

/*
 * The embedded profiles and the file of extra ones; checks that cloud (may
 * be NULL) names a known one. Returns 0, or an exit code after writing the
 * reason to err (the set is then empty).
 */
int	pipeline_load_clouds(const char *endpoints, int override,
	    const char *cloud, struct cloud_set *s, FILE *err);

/*
 * The whole run up to the findings: profiles, context, probes, checks.
 * Returns 0, or an exit code after writing the reason to err.
 */
int	pipeline_run(struct pipeline *pl, const struct pipeline_spec *spec,
	    const struct pipeline_config *cfg, FILE *err);

/* The stages, for batch mode: the context without probes, on shared profiles. */
int	pipeline_begin(struct pipeline *pl, const struct pipeline_spec *spec,
	    const struct pipeline_config *cfg, const struct cloud_set *clouds,
	    FILE *err);
/* The probes the spec asks for, run here (batch runs them on its engine). */
int	pipeline_probe(struct pipeline *pl, FILE *err);
/* The command's own inputs, the checks, and what the command shows. */
int	pipeline_judge(struct pipeline *pl, FILE *err);

/*
 * What the checks covered (pl->coverage), and every skip finding's hint
 * rewritten to name only options this command accepts (cfg->accepts), or
 * the command that can (coverage.c). pipeline_judge calls it.
 */
void	pipeline_coverage(struct pipeline *pl);

/* The tenant id, once some input has established it; NULL until then. */
const char *pipeline_tenant_id(const struct pipeline *pl);

/* Fills t with what the run was about. */
void	pipeline_target(const struct pipeline *pl, struct report_target *t);

/*
 * Writes the script (when --ps1 was given) and the report, and returns the
 * run's exit code. A script that could not be written is named on err, in
 * the report, and makes the run incomplete (3) unless it failed (2); the
 * report is written all the same.
 */
int	pipeline_finish(struct pipeline *pl, FILE *out, FILE *err);

void	pipeline_release(struct pipeline *pl);

#endif
