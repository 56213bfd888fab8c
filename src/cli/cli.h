/*
 * The command line as data: one table of options, each row saying what
 * kind of option it is and where in struct options its value goes; one
 * table of subcommands. The parser, --help and the man page read these
 * tables (cli_table.c).
 */
#ifndef HC_CLI_H
#define HC_CLI_H

#include <stdio.h>

#include "options.h"
#include "mem.h"

/* What an option stores, and so how it is parsed. */
enum opt_kind {
	OPT_FLAG,	/* an int set to 1; takes no value */
	OPT_STRING,	/* a char *, given once, checked by its value type */
	OPT_NUMBER,	/* a long from min to max, given once */
	OPT_LIST,	/* a struct strlist, appended to each time it is given */
	OPT_ENUM,	/* an int-sized enum, one of choices, given once */
};

/*
 * What a string or list value is: how it is checked (and normalised)
 * before it is stored.
 */
enum opt_value {
	VAL_NONE,	/* flags, numbers and enums: the kind decides */
	VAL_TEXT,	/* any text but the empty string */
	VAL_FILE,	/* a path, not empty */
	VAL_DOMAIN,	/* an e-mail domain: a DNS name of two labels or more */
	VAL_HOST,	/* a DNS name, normalised (IDN to A-labels, lower case) */
	VAL_CLOUD,	/* a cloud profile's name or alias */
	VAL_GUID,	/* a GUID, lower-cased */
	VAL_CONNECT_TO,	/* HOST:PORT:HOST2:PORT2 */
	VAL_RESOLVE,	/* HOST:PORT:ADDR[,ADDR] */
	VAL_DNS_SERVER,	/* ADDR[:PORT] */
};

struct optchoice {
	const char	*name;
	int		 value;
};

struct optdef {
	const char		*name;		/* without the leading "--" */
	enum opt_kind		 kind;
	size_t			 offset;	/* of its field in struct options */
	enum opt_value		 value;		/* OPT_STRING, OPT_LIST */
	const char		*arg;		/* placeholder, NULL for a flag */
	long			 min, max;	/* OPT_NUMBER: bounds; OPT_LIST: at most max values (0: any) */
	const char		*max_why;	/* OPT_LIST with max: why no more */
	int			 unique;	/* OPT_LIST: a value given again (any case) is kept once */
	const struct optchoice	*choices;	/* OPT_ENUM, ends with a NULL name */
	const char		*help;		/* one sentence, lower-case, no full stop */
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
/* Whether cmd takes the option d (its own options or its base command's). */
int			 cli_command_takes(const struct command *cmd,
			    const struct optdef *d);

/*
 * Checks value v for option d and stores it in o as d's kind says; -1
 * with e naming the option when v is not acceptable (o unchanged).
 */
int			 cli_option_set(const struct optdef *d, struct options *o,
			    const char *v, struct hcerr *e);

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
