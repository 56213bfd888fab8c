/* The command line: one table of subcommands, one table of options. */
#ifndef HC_CLI_H
#define HC_CLI_H

#include <stdio.h>

#include "options.h"
#include "mem.h"

struct optdef {
	const char	*name;		/* without the leading "--" */
	const char	*arg;		/* placeholder, NULL for a flag */
	const char	*help;		/* one line */
	int		 repeatable;
	int		(*set)(struct options *o, const char *value,
			    struct hcerr *e);
};

struct command {
	const char	*name;
	int		(*run)(struct options *o, FILE *out, FILE *err);
	const char	*summary;	/* one line, for the list of commands */
	const char	*synopsis;	/* after "hybridcheck NAME " */
	const char	*description;	/* a paragraph for --help and the man page */
	const char *const *opts;	/* names in cli_options, NULL-terminated */
	size_t		 max_args;	/* positional arguments accepted */
	const char *const *base_opts;	/* another command's options it also takes, or NULL */
};

extern const struct optdef	cli_options[];	/* ends with a NULL name */
extern const struct command	cli_commands[];	/* ends with a NULL name */

const struct optdef	*cli_option(const char *name);
const struct command	*cli_command(const char *name);

/*
 * Parses argv (argv[0] is the program) into o and *cmd. Returns 0 to run
 * *cmd, 1 when --help or --version was handled (output written to out),
 * or -1 on a usage error with e set.
 */
int	cli_parse(int argc, char **argv, struct options *o,
	    const struct command **cmd, FILE *out, struct hcerr *e);

void	cli_help(FILE *out, const struct command *cmd);
void	cli_write_man(FILE *out);

/* The whole program: parse, run, exit code. */
int	cli_main(int argc, char **argv, FILE *out, FILE *err);

#endif
