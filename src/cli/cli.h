/*
 * The command line as data: one table of options, each row saying what
 * kind of option it is and where in struct options its value goes; one
 * table of subcommands. The parser, --help, the man page and the shell
 * completion all read these tables (cli_table.c).
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
 * before it is stored, and how a shell completes it.
 */
enum opt_value {
	VAL_NONE,	/* flags, numbers and enums: the kind decides */
	VAL_TEXT,	/* any text but the empty string */
	VAL_FILE,	/* a path, not empty; completed as a file name */
	VAL_DOMAIN,	/* an e-mail domain: a DNS name of two labels or more */
	VAL_HOST,	/* a DNS name, normalised (IDN to A-labels, lower case) */
	VAL_CLOUD,	/* a cloud profile's name or alias */
	VAL_GUID,	/* a GUID, lower-cased */
	VAL_CONNECT_TO,	/* HOST:PORT:HOST2:PORT2 */
	VAL_RESOLVE,	/* HOST:PORT:ADDR[,ADDR] */
	VAL_DNS_SERVER,	/* ADDR[:PORT] */
};

/* How a shell completes a value. */
enum opt_complete {
	COMPLETE_NONE,		/* free text: nothing to offer */
	COMPLETE_FILE,		/* file names */
	COMPLETE_CLOUD,		/* the embedded cloud profiles' names and aliases */
	COMPLETE_CHOICES,	/* the enum's choices */
};

/* Where --help and the man page list an option. */
enum opt_group {
	GROUP_INPUT,	/* what is judged and against what */
	GROUP_NETWORK,	/* how the live probes reach the servers */
	GROUP_OUTPUT,	/* what is written where */
	GROUP_COUNT,
};

struct optchoice {
	const char	*name;
	int		 value;
};

struct optdef {
	const char		*name;		/* without the leading "--" */
	char			 short_name;	/* 'd' for -d, or 0 */
	enum opt_kind		 kind;
	size_t			 offset;	/* of its field in struct options */
	enum opt_value		 value;		/* OPT_STRING, OPT_LIST */
	const char		*arg;		/* placeholder, NULL for a flag */
	long			 min, max;	/* OPT_NUMBER: bounds; OPT_LIST: at most max values (0: any) */
	const char		*max_why;	/* OPT_LIST with max: why no more */
	int			 unique;	/* OPT_LIST: a value given again (any case) is kept once */
	const struct optchoice	*choices;	/* OPT_ENUM, ends with a NULL name */
	enum opt_group		 group;
	const char		*help;		/* one sentence, lower-case, no full stop */
};

struct cli_example {
	const char	*line;		/* a command line that parses */
	const char	*what;		/* what it does, one line */
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
	enum opt_value	 arg_value;	/* what a positional argument is, for completion */
	struct cli_example examples[2];
};

extern const struct optdef	cli_options[];	/* ends with a NULL name */
extern const struct command	cli_commands[];	/* ends with a NULL name */

const struct optdef	*cli_option(const char *name);
const struct command	*cli_command(const char *name);
/* Whether cmd takes the option d (its own options or its base command's). */
int			 cli_command_takes(const struct command *cmd,
			    const struct optdef *d);

/* The names of the options cmd takes, added to l. */
void			 cli_command_options(const struct command *cmd,
			    struct strlist *l);
/*
 * The command line that writes the remediation script for a run of cmd
 * with argv (from the command on, as given): its inputs and network
 * options as typed, outputs dropped, "--ps1 fix.ps1" added; NULL for a
 * command that judges no organisation. Caller frees.
 */
char			*cli_remediate_line(const struct command *cmd,
			    const struct strlist *argv);

/*
 * Checks value v for option d and stores it in o as d's kind says; -1
 * with e naming the option when v is not acceptable (o unchanged).
 */
int			 cli_option_set(const struct optdef *d, struct options *o,
			    const char *v, struct hcerr *e);
enum opt_complete	 cli_option_complete(const struct optdef *d);

/*
 * Parses argv (argv[0] is the program) into o and *cmd. Returns 0 to run
 * *cmd, 1 when --help or --version was handled (output written to out),
 * or -1 on a usage error with e set.
 */
int	cli_parse(int argc, char **argv, struct options *o,
	    const struct command **cmd, FILE *out, struct hcerr *e);

/*
 * Help for cmd (NULL: the list of commands), wrapped to width columns;
 * cli_help_width() is the width to use for out (the terminal's, else
 * COLUMNS, else 80).
 */
void	cli_help(FILE *out, const struct command *cmd, size_t width);
size_t	cli_help_width(FILE *out);
/* The man page, hybridcheck(1), in roff. */
void	cli_write_man(FILE *out);
/*
 * A bash completion script for hybridcheck; -1 with e set if the
 * embedded cloud profiles (whose names it offers) cannot be read.
 */
int	cli_write_bash_completion(FILE *out, struct hcerr *e);

/* The whole program: parse, run, exit code. */
int	cli_main(int argc, char **argv, FILE *out, FILE *err);

#endif
