#include "cli.h"
#include "datetime.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cert.h"
#include "file.h"
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

static const struct optdef *
command_short(const struct command *cmd, char c)
{
	for (const struct optdef *d = cli_options; d->name; d++)
		if (d->short_name == c && cli_command_takes(cmd, d))
			return d;
	return NULL;
}

/*
 * Edits between a and b (insert, delete, replace, or swap two neighbours,
 * the commonest typing slip), or SIZE_MAX past 63 characters.
 */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[64][64];

	if (la > 63 || lb > 63)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

/*
 * What was meant by a name that is none of names: the only one it begins,
 * else the only nearest within one edit (two for six letters or more).
 */
struct guess {
	const char	*name;
	const char	*prefix;
	size_t		 nprefix;
	size_t		 dist;
	size_t		 ties;
};

static void
guess_try(struct guess *g, const char *typed, const char *name)
{
	size_t dist = edit_distance(typed, name);

	if (strlen(typed) >= 2 && strncmp(name, typed, strlen(typed)) == 0) {
		g->prefix = name;
		g->nprefix++;
	}
	if (dist < g->dist) {
		g->name = name;
		g->dist = dist;
		g->ties = 0;
	} else if (dist == g->dist)
		g->ties++;
}

static const char *
guess_best(const struct guess *g, const char *typed)
{
	if (g->nprefix == 1)
		return g->prefix;
	if (g->name != NULL && g->ties == 0 &&
	    g->dist <= (strlen(typed) >= 6 ? 2u : 1u))
		return g->name;
	return NULL;
}

/* "unknown command 'X'", with what was probably meant. */
static void
unknown_command(const char *name, struct hcerr *e)
{
	struct guess g = { NULL, NULL, 0, SIZE_MAX, 0 };
	const char *meant;

	for (const struct command *c = cli_commands; c->name; c++)
		guess_try(&g, name, c->name);
	if ((meant = guess_best(&g, name)) != NULL)
		hcerr_set(e, "unknown command '%s'; did you mean '%s'?", name,
		    meant);
	else
		hcerr_set(e, "unknown command '%s'; try 'hybridcheck --help'",
		    name);
}

/*
 * "CMD: unknown option '--X'", with the option of the command that was
 * probably meant; name is what followed the dashes.
 */
static void
unknown_option(const struct command *cmd, const char *typed,
    const char *name, struct hcerr *e)
{
	struct guess g = { NULL, NULL, 0, SIZE_MAX, 0 };
	const char *meant;

	for (const struct optdef *d = cli_options; d->name; d++)
		if (cli_command_takes(cmd, d))
			guess_try(&g, name, d->name);
	if (*name != '\0' && (meant = guess_best(&g, name)) != NULL)
		hcerr_set(e, "%s: unknown option '%s'; did you mean '--%s'?",
		    cmd->name, typed, meant);
	else
		hcerr_set(e, "%s: unknown option '%s'", cmd->name, typed);
}

/*
 * No output may be another output or an input: the run would overwrite
 * what it reads, or one output the other.
 */
static int
outputs_check(const struct options *o, struct hcerr *e)
{
	const struct { const char *name, *path; } outs[] = {
		{ "--output", o->output }, { "--ps1", o->ps1 },
	}, ins[] = {
		{ "--snapshot", o->snapshot }, { "--cert", o->cert },
		{ "--next-cert", o->next_cert }, { "--spn-file", o->spn_file },
		{ "--token-file", o->token_file }, { "--pfx", o->pfx },
		{ "--metadata", o->metadata }, { "--baseline", o->baseline },
		{ "--domains-file", o->domains_file },
		{ "--endpoints", o->endpoints }, { "--ca-file", o->ca_file },
	};

	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		if (outs[i].path == NULL)
			continue;
		for (size_t j = i + 1; j < sizeof(outs) / sizeof(outs[0]); j++)
			if (file_same(outs[i].path, outs[j].path)) {
				hcerr_set(e, "%s and %s name the same file '%s': "
				    "give each output its own file", outs[i].name,
				    outs[j].name, outs[j].path);
				return -1;
			}
		for (size_t j = 0; j < sizeof(ins) / sizeof(ins[0]); j++)
			if (file_same(outs[i].path, ins[j].path)) {
				hcerr_set(e, "%s '%s' is the %s file: the run would "
				    "overwrite what it reads", outs[i].name,
				    outs[i].path, ins[j].name);
				return -1;
			}
		for (size_t j = 0; j < o->args.n; j++)
			if (file_same(outs[i].path, o->args.v[j])) {
				hcerr_set(e, "%s '%s' is the file given as argument: "
				    "the run would overwrite what it reads",
				    outs[i].name, outs[i].path);
				return -1;
			}
	}
	return 0;
}

/*
 * Rules across options. The script on standard output would be mixed
 * with the report there, and neither could be used.
 */
static int
options_check(const struct options *o, struct hcerr *e)
{
	if (o->thumbprint != NULL) {
		char tp[CERT_THUMBPRINT_LEN + 1];
		struct hcerr why = { "" };

		/* A typo in a typed value is a usage error, like any other. */
		if (cert_thumbprint_normalize(o->thumbprint, tp, NULL, &why) == -1) {
			hcerr_set(e, "--thumbprint: %s", why.msg);
			return -1;
		}
	}
	if (o->quiet && o->verbose) {
		hcerr_set(e, "--quiet and --verbose: give one of them");
		return -1;
	}
	if (o->ps1 != NULL && strcmp(o->ps1, "-") == 0 &&
	    (o->output == NULL || strcmp(o->output, "-") == 0)) {
		hcerr_set(e, "--ps1 -: the script would be mixed with the report "
		    "on standard output; give the script a file (--ps1 fix.ps1) "
		    "or the report one (--output FILE)");
		return -1;
	}
	return outputs_check(o, e);
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
			unknown_command(argv[2], e);
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
		unknown_command(argv[1], e);
		return -1;
	}
	/* Kept for messages that show the command to run again. */
	for (int k = 1; k < argc; k++)
		strlist_add(&o->argv, argv[k]);
	for (; i < argc; i++) {
		const char *a = argv[i], *value = NULL;
		const struct optdef *d;
		char name[64];

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
		if (strncmp(a, "--", 2) == 0) {
			/* --name, --name VALUE or --name=VALUE */
			const char *eq = strchr(a, '=');
			size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);

			if (n < sizeof(name))
				snprintf(name, sizeof(name), "%.*s", (int)n, a + 2);
			if (n >= sizeof(name) ||
			    (d = command_option(*cmd, name)) == NULL) {
				char *typed = xasprintf("%.*s", (int)(n + 2), a);

				unknown_option(*cmd, typed, n < sizeof(name) ?
				    name : "", e);
				free(typed);
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
				hcerr_set(e, "--%s needs a value (%s)", d->name,
				    d->arg);
				goto out;
			}
		} else if (a[0] == '-' && a[1] != '\0') {
			/*
			 * -x, -x VALUE or -xVALUE. A long name after one dash
			 * ("-domain") would read as -d with "omain": refused.
			 */
			d = command_short(*cmd, a[1]);
			if (d == NULL || command_option(*cmd, a + 1) != NULL) {
				unknown_option(*cmd, a, a + 1, e);
				goto out;
			}
			if (d->kind == OPT_FLAG) {
				if (a[2] != '\0') {
					hcerr_set(e, "-%c takes no value", a[1]);
					goto out;
				}
			} else if (a[2] != '\0')
				value = a + 2;
			else if (i + 1 < argc)
				value = argv[++i];
			else {
				hcerr_set(e, "-%c needs a value (%s)", a[1], d->arg);
				goto out;
			}
		} else {
			strlist_add(&o->args, a);
			continue;
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
	if (options_check(o, e) == -1)
		goto out;
	cli_command_options(*cmd, &o->accepts);
	o->remediate = cli_remediate_line(*cmd, &o->argv);
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
