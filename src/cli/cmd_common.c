/* What several commands share before their pipeline runs. */
#include "commands.h"
#include "pipeline.h"

int
cmd_need_target(const struct options *o, const char *command, FILE *err)
{
	if (o->domain == NULL && o->hosts.n == 0 && o->snapshot == NULL) {
		fprintf(err, "hybridcheck: %s needs --domain D (or --host H, or "
		    "--snapshot FILE)\n", command);
		return EXIT_USAGE;
	}
	return 0;
}

int
cmd_load_clouds(const struct options *o, struct cloud_set *s, FILE *err)
{
	return pipeline_load_clouds(o->endpoints, o->endpoints_override,
	    o->cloud, s, err);
}
