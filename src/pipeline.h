/*
 * The run shared by preflight, remediate and verify: load the cloud
 * profiles, build the context, run the checks; then, when asked, write the
 * remediation script and the report. One code path, so the three commands
 * judge an organisation the same way.
 */
#ifndef HC_PIPELINE_H
#define HC_PIPELINE_H

#include <stdio.h>

#include "cloud.h"
#include "context.h"
#include "findings.h"
#include "options.h"
#include "report.h"

struct pipeline {
	struct cloud_set	 clouds;
	struct context		 ctx;
	struct findings		 f;
	const char		*command;
};

/*
 * Loads, builds and runs the checks. Returns 0, or an exit code after
 * writing the reason to err (the pipeline is then released).
 */
int	pipeline_run(struct pipeline *pl, struct options *o, const char *command,
	    FILE *err);

/* The tenant id, once some input has established it; NULL until then. */
const char *pipeline_tenant_id(const struct pipeline *pl);

/* Fills t with what the run was about (t->diff is left NULL). */
void	pipeline_target(const struct pipeline *pl, struct report_target *t);

/*
 * Writes the remediation script to o->ps1 (whole or not at all). Steps
 * dropped for a bad value become error findings. Returns 0, or -1 after
 * writing the reason to err.
 */
int	pipeline_write_ps1(struct pipeline *pl, const struct options *o, FILE *err);

/*
 * Writes the report for t and returns the run's exit code (3 when the
 * report could not be written).
 */
int	pipeline_report(struct pipeline *pl, const struct options *o,
	    const struct report_target *t, FILE *out, FILE *err);

void	pipeline_release(struct pipeline *pl);

#endif
