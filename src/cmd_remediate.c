/* remediate: the preflight run, then the PowerShell that fixes what it found. */
#include "commands.h"
#include "pipeline.h"

int
cmd_remediate(struct options *o, FILE *out, FILE *err)
{
	struct pipeline pl;
	struct report_target t;
	int rc;

	if (o->ps1 == NULL) {
		fprintf(err, "hybridcheck: remediate needs --ps1 FILE (where to "
		    "write the script)\n");
		return EXIT_USAGE;
	}
	if ((rc = pipeline_run(&pl, o, "remediate", err)) != 0)
		return rc;
	if (pipeline_write_ps1(&pl, o, err) == -1) {
		pipeline_release(&pl);
		return EXIT_INCOMPLETE;
	}
	pipeline_target(&pl, &t);
	rc = pipeline_report(&pl, o, &t, out, err);
	pipeline_release(&pl);
	return rc;
}
