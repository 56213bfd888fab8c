/* preflight: build the context, run every check, report. */
#include "commands.h"
#include "pipeline.h"

int
cmd_preflight(struct options *o, FILE *out, FILE *err)
{
	struct pipeline pl;
	struct report_target t;
	int rc;

	if ((rc = pipeline_run(&pl, o, "preflight", err)) != 0)
		return rc;
	if (o->ps1 != NULL && pipeline_write_ps1(&pl, o, err) == -1) {
		pipeline_release(&pl);
		return EXIT_INCOMPLETE;
	}
	pipeline_target(&pl, &t);
	rc = pipeline_report(&pl, o, &t, out, err);
	pipeline_release(&pl);
	return rc;
}
