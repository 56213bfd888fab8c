/* remediate: the preflight run, then the PowerShell that fixes what it found. */
#include "commands.h"
#include "pipeline.h"

static const struct pipeline_spec spec = {
	"remediate", NULL, PIPELINE_PROBES_ALL, NULL, NULL, NULL,
};

int
cmd_remediate(struct options *o, FILE *out, FILE *err)
{
	struct pipeline_config pc;
	struct pipeline pl;
	int rc;

	if (o->ps1 == NULL) {
		fprintf(err, "hybridcheck: remediate needs --ps1 FILE (where to "
		    "write the script)\n");
		return EXIT_USAGE;
	}
	if ((rc = cmd_need_target(o, "remediate", err)) != 0)
		return rc;
	options_pipeline_config(o, &pc);
	if ((rc = pipeline_run(&pl, &spec, &pc, err)) == 0)
		rc = pipeline_finish(&pl, out, err);
	pipeline_release(&pl);
	return rc;
}
