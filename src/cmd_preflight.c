/* preflight: build the context, run every check, report. */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "commands.h"
#include "context.h"
#include "findings.h"
#include "report.h"

/* The tenant id, once some input has established it. */
static const char *
tenant_id(const struct context *ctx)
{
	(void)ctx;
	return NULL;
}

int
cmd_preflight(struct options *o, FILE *out, FILE *err)
{
	struct cloud_set clouds = { 0 };
	struct context ctx;
	struct findings f = { 0 };
	struct report_target t;
	struct hcerr e = { "" };
	int rc;

	if (o->domain == NULL && o->hosts.n == 0) {
		fprintf(err, "hybridcheck: preflight needs --domain D (or --host H)\n");
		return EXIT_USAGE;
	}
	if ((rc = cmd_load_clouds(o, &clouds, err)) != 0)
		return rc;
	if (context_build(&ctx, o, &clouds, &e) == -1) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		context_release(&ctx);
		cloud_set_release(&clouds);
		return EXIT_INCOMPLETE;
	}
	checks_run(&ctx, NULL, &f);

	memset(&t, 0, sizeof(t));
	t.command = "preflight";
	t.domain = o->domain;
	t.cloud = ctx.cloud ? ctx.cloud->name : NULL;
	t.tenant_id = tenant_id(&ctx);
	t.hosts = &ctx.hosts;
	if (report_write(o->output, out, o->format, &t, &f,
	    o->output == NULL && report_want_color(out, o->no_color), &e) == -1) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		rc = EXIT_INCOMPLETE;
	} else
		rc = findings_exit_code(&f);

	findings_release(&f);
	context_release(&ctx);
	cloud_set_release(&clouds);
	return rc;
}
