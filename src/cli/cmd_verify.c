/* verify: the preflight run, compared with an earlier JSON report. */
#include "baseline.h"
#include "commands.h"
#include "pipeline.h"

static const struct pipeline_spec spec = {
	"verify", NULL, PIPELINE_PROBES_ALL, NULL, NULL, NULL,
};

int
cmd_verify(struct options *o, FILE *out, FILE *err)
{
	struct pipeline_config pc;
	struct pipeline pl;
	struct baseline b;
	struct diff d;
	struct hcerr e = { "" };
	int rc;

	if (o->baseline == NULL) {
		fprintf(err, "hybridcheck: verify needs --baseline FILE (an "
		    "earlier report written with --format json)\n");
		return EXIT_USAGE;
	}
	if ((rc = cmd_need_target(o, "verify", err)) != 0)
		return rc;
	/* A bad baseline is known before any probe runs. */
	if (baseline_load(&b, o->baseline, &e) == -1) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		return EXIT_INCOMPLETE;
	}
	options_pipeline_config(o, &pc);
	if ((rc = pipeline_run(&pl, &spec, &pc, err)) == 0) {
		diff_compute(&d, &b, &pl.f);
		pl.diff = &d;
		rc = pipeline_finish(&pl, out, err);
		diff_release(&d);
	}
	pipeline_release(&pl);
	baseline_release(&b);
	return rc;
}
