#include "cli.h"
#include "datetime.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "findings.h"

#ifndef HC_VERSION
#define HC_VERSION "0.0.0"
#endif

static const struct optdef *
command_option(const struct command *cmd, const char *name)
{
	const struct optdef *d = cli_option(name);

	return d != NULL && cli_command_takes(cmd, d) ? d : NULL;
}

int
cli_parse(int argc, char **argv, struct options *o, const struct command **cmd,
    FILE *out, struct hcerr *e)
{
	struct strlist seen = { 0 };
	int i = 2, rc = -1;

	*cmd = NULL;
	if (argc < 2) {
		hcerr_set(e, "no command given; try 'hybridcheck --help'");
		return -1;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		const struct command *c = argc > 2 ? cli_command(argv[2]) : NULL;

		if (argc > 2 && c == NULL) {
			hcerr_set(e, "unknown command '%s'", argv[2]);
			return -1;
		}
		cli_help(out, c, cli_help_width(out));
		return 1;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		fprintf(out, "hybridcheck %s\n", HC_VERSION);
		return 1;
	}
	if ((*cmd = cli_command(argv[1])) == NULL) {
		hcerr_set(e, "unknown command '%s'; try 'hybridcheck --help'", argv[1]);
		return -1;
	}
	/* Kept for messages that show the command to run again. */
	for (int k = 1; k < argc; k++)
		strlist_add(&o->argv, argv[k]);
	for (; i < argc; i++) {
		const char *a = argv[i], *eq, *value = NULL;
		const struct optdef *d;
		char name[64];
		size_t n;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cli_help(out, *cmd, cli_help_width(out));
			rc = 1;
			goto out;
		}
		if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
			fprintf(out, "hybridcheck %s\n", HC_VERSION);
			rc = 1;
			goto out;
		}
		if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++)
				strlist_add(&o->args, argv[i]);
			break;
		}
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (a[0] == '-' && a[1] != '\0') {
				hcerr_set(e, "%s: unknown option '%s'", (*cmd)->name, a);
				goto out;
			}
			strlist_add(&o->args, a);
			continue;
		}
		eq = strchr(a, '=');
		n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		if (n < sizeof(name))
			snprintf(name, sizeof(name), "%.*s", (int)n, a + 2);
		if (n >= sizeof(name) || (d = command_option(*cmd, name)) == NULL) {
			hcerr_set(e, "%s: unknown option '%.*s'", (*cmd)->name,
			    (int)(eq ? (size_t)(eq - a) : strlen(a)), a);
			goto out;
		}
		if (d->kind == OPT_FLAG) {
			if (eq != NULL) {
				hcerr_set(e, "--%s takes no value", d->name);
				goto out;
			}
		} else if (eq != NULL)
			value = eq + 1;
		else if (i + 1 < argc)
			value = argv[++i];
		else {
			hcerr_set(e, "--%s needs a value (%s)", d->name, d->arg);
			goto out;
		}
		if (d->kind != OPT_LIST && strlist_contains_ci(&seen, d->name)) {
			hcerr_set(e, "--%s given twice", d->name);
			goto out;
		}
		strlist_add(&seen, d->name);
		if (cli_option_set(d, o, value ? value : "", e) == -1)
			goto out;
	}
	if (o->args.n > (*cmd)->max_args) {
		hcerr_set(e, "%s: unexpected argument '%s'", (*cmd)->name,
		    o->args.v[(*cmd)->max_args]);
		goto out;
	}
	rc = 0;
out:
	strlist_release(&seen);
	return rc;
}

/*
 * The environment, read once here and passed down: the run's clock
 * (HYBRIDCHECK_NOW fixes it, for tests and what-if runs) and NO_COLOR.
 */
static int
cli_environment(struct options *o, FILE *err)
{
	const char *now = getenv("HYBRIDCHECK_NOW"), *nc = getenv("NO_COLOR");

	o->now = time(NULL);
	if (now != NULL && datetime_parse_iso8601(now, &o->now) == -1) {
		fprintf(err, "hybridcheck: HYBRIDCHECK_NOW: '%s' is not an "
		    "ISO-8601 date\n", now);
		return EXIT_INCOMPLETE;
	}
	if (nc != NULL && *nc != '\0')
		o->no_color = 1;
	return 0;
}

int
cli_main(int argc, char **argv, FILE *out, FILE *err)
{
	struct options o;
	const struct command *cmd;
	struct hcerr e = { "" };
	int rc;

	options_init(&o);
	switch (cli_parse(argc, argv, &o, &cmd, out, &e)) {
	case 1:
		rc = fflush(out) == 0 && !ferror(out) ? EXIT_OK : EXIT_INCOMPLETE;
		break;
	case -1:
		fprintf(err, "hybridcheck: %s\n", e.msg);
		rc = EXIT_USAGE;
		break;
	default:
		if ((rc = cli_environment(&o, err)) != 0)
			break;
		rc = cmd->run(&o, out, err);
		if (fflush(out) != 0 || ferror(out)) {
			fprintf(err, "hybridcheck: cannot write to standard output\n");
			rc = EXIT_INCOMPLETE;
		}
		break;
	}
	options_release(&o);
	return rc;
}
