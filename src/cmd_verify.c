/* verify: the preflight run, compared with an earlier JSON report. */
#include "baseline.h"
#include "commands.h"
#include "pipeline.h"

int
cmd_verify(struct options *o, FILE *out, FILE *err)
{
	struct pipeline pl;
	struct baseline b;
	struct diff d;
	struct report_target t;
	struct hcerr e = { "" };
	int rc;

	if (o->baseline == NULL) {
		fprintf(err, "hybridcheck: verify needs --baseline FILE (an "
		    "earlier report written with --format json)\n");
		return EXIT_USAGE;
	}
	/* A bad baseline is known before any probe runs. */
	if (baseline_load(&b, o->baseline, &e) == -1) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		return EXIT_INCOMPLETE;
	}
	if ((rc = pipeline_run(&pl, o, "verify", err)) != 0) {
		baseline_release(&b);
		return rc;
	}
	if (o->ps1 != NULL && pipeline_write_ps1(&pl, o, err) == -1) {
		rc = EXIT_INCOMPLETE;
		goto out;
	}
	diff_compute(&d, &b, &pl.f);
	pipeline_target(&pl, &t);
	t.diff = &d;
	rc = pipeline_report(&pl, o, &t, out, err);
	diff_release(&d);
out:
	pipeline_release(&pl);
	baseline_release(&b);
	return rc;
}
