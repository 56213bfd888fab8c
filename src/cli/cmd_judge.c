/*
 * preflight, remediate and verify: every check on everything known. They
 * differ only in what they require and write: remediate insists on the
 * script (--ps1), verify compares with an earlier report (--baseline).
 */
#include "baseline.h"
#include "commands.h"
#include "pipeline.h"

/* The run all three share; b, when given, is the baseline to compare with. */
static int
judge(struct options *o, const struct pipeline_spec *spec,
    const struct baseline *b, FILE *out, FILE *err)
{
	struct pipeline_config pc;
	struct pipeline pl;
	struct diff d;
	int rc;

	options_pipeline_config(o, &pc);
	if ((rc = pipeline_run(&pl, spec, &pc, err)) == 0) {
		if (b != NULL) {
			diff_compute(&d, b, &pl.f);
			pl.diff = &d;
		}
		rc = pipeline_finish(&pl, out, err);
		if (b != NULL)
			diff_release(&d);
	}
	pipeline_release(&pl);
	return rc;
}

int
cmd_preflight(struct options *o, FILE *out, FILE *err)
{
	static const struct pipeline_spec spec = {
		"preflight", NULL, PIPELINE_PROBES_ALL, NULL, NULL, NULL,
	};
	int rc;

	if ((rc = cmd_need_target(o, "preflight", err)) != 0)
		return rc;
	return judge(o, &spec, NULL, out, err);
}

int
cmd_remediate(struct options *o, FILE *out, FILE *err)
{
	static const struct pipeline_spec spec = {
		"remediate", NULL, PIPELINE_PROBES_ALL, NULL, NULL, NULL,
	};
	int rc;

	if (o->ps1 == NULL) {
		fprintf(err, "hybridcheck: remediate needs --ps1 FILE (where to "
		    "write the script)\n");
		return EXIT_USAGE;
	}
	if ((rc = cmd_need_target(o, "remediate", err)) != 0)
		return rc;
	return judge(o, &spec, NULL, out, err);
}

int
cmd_verify(struct options *o, FILE *out, FILE *err)
{
	static const struct pipeline_spec spec = {
		"verify", NULL, PIPELINE_PROBES_ALL, NULL, NULL, NULL,
	};
	struct baseline b;
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
	rc = judge(o, &spec, &b, out, err);
	baseline_release(&b);
	return rc;
}
