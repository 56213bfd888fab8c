/* preflight: every check on everything known, and the script with --ps1. */
#include "commands.h"
#include "pipeline.h"

static const struct pipeline_spec spec = {
	"preflight", NULL, PIPELINE_PROBES_ALL, NULL, NULL, NULL,
};

int
cmd_preflight(struct options *o, FILE *out, FILE *err)
{
	struct pipeline_config pc;
	struct pipeline pl;
	int rc;

	if ((rc = cmd_need_target(o, "preflight", err)) != 0)
		return rc;
	options_pipeline_config(o, &pc);
	if ((rc = pipeline_run(&pl, &spec, &pc, err)) == 0)
		rc = pipeline_finish(&pl, out, err);
	pipeline_release(&pl);
	return rc;
}
