/*
 * What the tables say, rendered three ways: --help wrapped to the
 * terminal, the man page in roff, and a bash completion script. Nothing
 * here knows an option by name; a new row shows up in all three.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cloud.h"
#include "findings.h"

#ifndef HC_VERSION
#define HC_VERSION "0.0.0"
#endif

/*
 * Below 40 columns the examples' words no longer fit beside their
 * indent; above 100 a paragraph is too long a line to read.
 */
#define HELP_WIDTH_MIN		40
#define HELP_WIDTH_MAX		100
#define HELP_WIDTH_DEFAULT	80

static const char *const group_names[GROUP_COUNT] = {
	[GROUP_INPUT] = "inputs",
	[GROUP_NETWORK] = "network",
	[GROUP_OUTPUT] = "output",
};

size_t
cli_help_width(FILE *out)
{
	const char *cols = getenv("COLUMNS");
	struct winsize ws;
	int fd = fileno(out);
	long w = HELP_WIDTH_DEFAULT;

	if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		w = ws.ws_col;
	else if (cols != NULL && *cols != '\0') {
		char *end;
		long n = strtol(cols, &end, 10);

		if (*end == '\0' && n > 0)
			w = n;
	}
	if (w < HELP_WIDTH_MIN)
		w = HELP_WIDTH_MIN;
	if (w > HELP_WIDTH_MAX)
		w = HELP_WIDTH_MAX;
	return (size_t)w;
}

/* Text written with words moved to the next line rather than past width. */
struct wrap {
	FILE	*out;
	size_t	 width;
	size_t	 col;	/* characters on the current line so far */
};

/* Characters (not bytes) in the first n bytes of UTF-8 text. */
static size_t
u8len(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

static void
wrap_pad(struct wrap *w, size_t col)
{
	for (; w->col < col; w->col++)
		fputc(' ', w->out);
}

static void
wrap_newline(struct wrap *w, size_t indent)
{
	fputc('\n', w->out);
	w->col = 0;
	wrap_pad(w, indent);
}

static void
wrap_end(struct wrap *w)
{
	fputc('\n', w->out);
	w->col = 0;
}

/* Writes the n bytes of word at the column; a word longer than a line is cut. */
static void
wrap_word(struct wrap *w, const char *word, size_t n, size_t indent)
{
	while (n > 0) {
		size_t room = w->width - w->col, take = 0, chars = 0;

		while (take < n && chars < room) {
			take++;
			while (take < n && ((unsigned char)word[take] & 0xc0) == 0x80)
				take++;
			chars++;
		}
		fwrite(word, 1, take, w->out);
		w->col += chars;
		word += take;
		n -= take;
		if (n > 0)
			wrap_newline(w, indent);
	}
}

/*
 * Writes text from the current column, lines continued at indent. With
 * shell set, a break ends its line with " \" so that a command line
 * still pastes whole.
 */
static void
wrap_words(struct wrap *w, const char *text, size_t indent, int shell)
{
	size_t reserve = shell ? 2 : 0;
	int first = 1;

	if (indent > w->width / 2)
		indent = w->width / 2;
	for (const char *p = text; *p != '\0';) {
		size_t n, chars, limit;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		n = strcspn(p, " ");
		chars = u8len(p, n);
		/* The last word needs no room for a continuation mark. */
		limit = w->width - (p[n + strspn(p + n, " ")] == '\0' ? 0 : reserve);
		if (!first && w->col + 1 + chars <= limit) {
			fputc(' ', w->out);
			w->col++;
		} else if (!first || (w->col > indent && w->col + chars > limit)) {
			if (shell)
				fputs(" \\", w->out);
			wrap_newline(w, indent);
		}
		wrap_word(w, p, n, indent);
		p += n;
		first = 0;
	}
}

static void
wrap_text(struct wrap *w, const char *text, size_t indent)
{
	wrap_words(w, text, indent, 0);
}

/*
 * "-d, --domain D" or "    --host H", the way --help shows an option:
 * the long names line up.
 */
static void
option_tag(const struct optdef *d, char *tag, size_t len)
{
	snprintf(tag, len, "%c%c%s--%s%s%s", d->short_name ? '-' : ' ',
	    d->short_name ? d->short_name : ' ', d->short_name ? ", " : "  ",
	    d->name, d->arg ? " " : "", d->arg ? d->arg : "");
}

/*
 * Two columns: the tag as it is, never cut (the widest, --connect-to's,
 * is 38 characters after the 2-column indent: the narrowest width), then
 * its text at col, or from col on the next line when the tag is wider.
 */
static void
help_row(struct wrap *w, const char *tag, const char *text, size_t col)
{
	wrap_pad(w, 2);
	fputs(tag, w->out);
	w->col += u8len(tag, strlen(tag));
	if (w->col + 2 > col)
		wrap_newline(w, col);
	else
		wrap_pad(w, col);
	wrap_text(w, text, col);
	wrap_end(w);
}

static void
help_exit_statuses(struct wrap *w)
{
	size_t col = 0;

	for (const struct exit_status *x = exit_statuses; x->name; x++)
		if (strlen(x->name) > col)
			col = strlen(x->name);
	fputs("\nexit status:\n", w->out);
	for (const struct exit_status *x = exit_statuses; x->name; x++) {
		char tag[64];

		snprintf(tag, sizeof(tag), "%-3d %-*s", x->code, (int)col, x->name);
		help_row(w, tag, x->meaning, 2 + 4 + col + 2);
	}
}

static void
help_commands(struct wrap *w)
{
	size_t col = 0;

	for (const struct command *c = cli_commands; c->name; c++)
		if (strlen(c->name) > col)
			col = strlen(c->name);
	col += 2 + 2;
	fputs("usage: hybridcheck COMMAND [options]\n\ncommands:\n", w->out);
	for (const struct command *c = cli_commands; c->name; c++)
		help_row(w, c->name, c->summary, col);
	fputs("\noptions:\n", w->out);
	help_row(w, "-h, --help", "this help; after a command, that command's "
	    "options and examples", col + 4);
	help_row(w, "-V, --version", "the version", col + 4);
	fputc('\n', w->out);
	wrap_text(w, "'hybridcheck COMMAND --help' lists a command's options; "
	    "man hybridcheck has it all.", 0);
	wrap_end(w);
	help_exit_statuses(w);
}

void
cli_help(FILE *out, const struct command *cmd, size_t width)
{
	struct wrap w = { out, width, 0 };
	size_t col = 0;
	char *usage;

	if (cmd == NULL) {
		help_commands(&w);
		return;
	}
	usage = xasprintf("usage: hybridcheck %s %s", cmd->name, cmd->synopsis);
	wrap_text(&w, usage, strlen("usage: hybridcheck ") + strlen(cmd->name) + 1);
	wrap_end(&w);
	free(usage);
	fputc('\n', out);
	wrap_text(&w, cmd->description, 0);
	wrap_end(&w);

	/*
	 * One column for every group, so the command's help reads as one
	 * table; set by the tags that fit in 30% of the width, the others
	 * having their text on the next line.
	 */
	for (const struct optdef *d = cli_options; d->name; d++)
		if (cli_command_takes(cmd, d)) {
			char tag[64];

			option_tag(d, tag, sizeof(tag));
			if (strlen(tag) > col && strlen(tag) <= width * 3 / 10)
				col = strlen(tag);
		}
	col += 2 + 2;
	for (unsigned g = 0; g < GROUP_COUNT; g++) {
		int any = 0;

		for (const struct optdef *d = cli_options; d->name; d++) {
			char tag[64];

			if ((unsigned)d->group != g || !cli_command_takes(cmd, d))
				continue;
			if (!any)
				fprintf(out, "\n%s:\n", group_names[g]);
			any = 1;
			option_tag(d, tag, sizeof(tag));
			help_row(&w, tag, d->help, col);
		}
	}
	help_row(&w, "-h, --help", "show this help", col);

	fputs("\nexamples:\n", out);
	for (size_t i = 0; i < 2; i++) {
		wrap_pad(&w, 2);
		wrap_words(&w, cmd->examples[i].line, 8, 1);
		wrap_end(&w);
		wrap_pad(&w, 6);
		wrap_text(&w, cmd->examples[i].what, 6);
		wrap_end(&w);
	}
	help_exit_statuses(&w);
}

/*
 * Roff source: backslashes and hyphens escaped (a "-" would be a hyphen
 * the typesetter may break at or draw as a dash), and a line never starts
 * with a control character.
 */
static void
roff(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

/*
 * "\fB\-d\fR, \fB\-\-domain\fR \fID\fR": bold names, italic placeholder,
 * on one line (a .B line and an .I line would make two).
 */
static void
roff_option_tag(FILE *out, const struct optdef *d)
{
	if (d->short_name)
		fprintf(out, "\\fB\\-%c\\fR, ", d->short_name);
	fputs("\\fB\\-\\-", out);
	roff(out, d->name);
	fputs("\\fR", out);
	if (d->arg != NULL) {
		fputs(" \\fI", out);
		roff(out, d->arg);
		fputs("\\fR", out);
	}
}

static void
man_command(FILE *out, const struct command *c)
{
	int n = 0;

	fputs(".SS ", out);
	roff(out, c->name);
	fputs("\n.B hybridcheck ", out);
	roff(out, c->name);
	fputc('\n', out);
	roff(out, c->synopsis);
	fputs("\n.PP\n", out);
	roff(out, c->description);
	fputs("\n.PP\nOptions (described under\n.BR OPTIONS ):\n", out);
	for (unsigned g = 0; g < GROUP_COUNT; g++)
		for (const struct optdef *d = cli_options; d->name; d++) {
			if ((unsigned)d->group != g || !cli_command_takes(c, d))
				continue;
			if (n++ > 0)
				fputs(",\n", out);
			fputs("\\fB\\-\\-", out);
			roff(out, d->name);
			fputs("\\fR", out);
		}
	fputs(n > 0 ? ".\n" : "none but\n.BR \\-\\-help .\n", out);
	fputs(".PP\nExamples:\n.RS 4\n", out);
	for (size_t i = 0; i < 2; i++) {
		fputs(".TP 4\n.B ", out);
		roff(out, c->examples[i].line);
		fputc('\n', out);
		roff(out, c->examples[i].what);
		fputc('\n', out);
	}
	fputs(".RE\n", out);
}

void
cli_write_man(FILE *out)
{
	static const char *const group_titles[GROUP_COUNT] = {
		[GROUP_INPUT] = "Inputs: what is judged, and against what",
		[GROUP_NETWORK] = "Network: whether and how the probes reach the servers",
		[GROUP_OUTPUT] = "Output: what is written, and where",
	};

	fputs(".\\\" generated by hc-genman from the tables in src/cli/cli_table.c "
	    "and src/core/findings.c; do not edit\n"
	    ".TH HYBRIDCHECK 1 \"\" \"hybridcheck " HC_VERSION "\" \"User Commands\"\n"
	    ".nh\n.ad l\n"
	    ".SH NAME\nhybridcheck \\- check and repair the OAuth trust of Exchange hybrid\n"
	    ".SH SYNOPSIS\n", out);
	for (const struct command *c = cli_commands; c->name; c++) {
		fputs(".B hybridcheck ", out);
		roff(out, c->name);
		fputc('\n', out);
		roff(out, c->synopsis);
		fputs("\n.br\n", out);
	}
	fputs(".SH DESCRIPTION\n"
	    "hybridcheck checks, explains and helps repair the OAuth trust behind "
	    "free/busy, MailTips and photos between on\\-premises Exchange and "
	    "Exchange Online, in every Microsoft 365 cloud: worldwide, 21Vianet "
	    "(China), GCC High and DoD.\n.SH COMMANDS\n", out);
	for (const struct command *c = cli_commands; c->name; c++)
		man_command(out, c);
	fputs(".SH OPTIONS\n", out);
	for (unsigned g = 0; g < GROUP_COUNT; g++) {
		fprintf(out, ".SS %s\n", group_titles[g]);
		for (const struct optdef *d = cli_options; d->name; d++) {
			if ((unsigned)d->group != g)
				continue;
			fputs(".TP\n", out);
			roff_option_tag(out, d);
			fputc('\n', out);
			roff(out, d->help);
			fputc('\n', out);
		}
	}
	fputs(".SS Help\n"
	    ".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\n"
	    "the list of commands; after a command, its options and examples\n"
	    ".TP\n\\fB\\-V\\fR, \\fB\\-\\-version\\fR\nthe version\n"
	    ".SH EXIT STATUS\n", out);
	for (const struct exit_status *x = exit_statuses; x->name; x++) {
		fprintf(out, ".TP\n.B %d\n", x->code);
		roff(out, x->meaning);
		fputc('\n', out);
	}
	fputs(".SH ENVIRONMENT\n"
	    ".TP\n.B NO_COLOR\nwhen set and not empty, the text report has no colour\n"
	    ".TP\n.B HYBRIDCHECK_PFX_PASSWORD\nthe password of a PFX given with "
	    "\\-\\-cert, of any length; never on the command line (a password "
	    "typed at the prompt may have up to 1024 characters)\n"
	    ".TP\n.B HYBRIDCHECK_NOW\nan ISO\\-8601 date the checks judge "
	    "against instead of the clock (tests and what\\-if runs)\n"
	    ".TP\n.B COLUMNS\nthe width \\-\\-help wraps its text to when standard "
	    "output is not a terminal (default 80; at least 40, at most 100)\n"
	    ".SH SEE ALSO\nThe pages under docs/checks/ describe each check. "
	    "Bash completes commands, options and their values with the "
	    "completion script that cmake \\-\\-install puts in "
	    "share/bash\\-completion/completions.\n", out);
}

int
cli_write_bash_completion(FILE *out, struct hcerr *e)
{
	struct cloud_set clouds = { 0 };
	int first;

	if (cloud_set_load_embedded(&clouds, e) == -1)
		return -1;
	fputs("# bash completion for hybridcheck(1): commands, their options and\n"
	    "# the values those take.\n"
	    "# generated by hc-genman from the tables in src/cli/cli_table.c; do not edit\n"
	    "_hybridcheck()\n"
	    "{\n"
	    "\tlocal cur prev cmd opts\n"
	    "\tCOMPREPLY=()\n"
	    "\tcur=${COMP_WORDS[COMP_CWORD]}\n"
	    "\tprev=${COMP_WORDS[COMP_CWORD-1]}\n"
	    "\t# --option=VALUE: bash splits the word at '='.\n"
	    "\tif [ \"$cur\" = = ]; then\n"
	    "\t\tcur=\n"
	    "\telif [ \"$prev\" = = ] && [ \"$COMP_CWORD\" -gt 2 ]; then\n"
	    "\t\tprev=${COMP_WORDS[COMP_CWORD-2]}\n"
	    "\tfi\n"
	    "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	    "\t\tmapfile -t COMPREPLY < <(compgen -W '", out);
	for (const struct command *c = cli_commands; c->name; c++)
		fprintf(out, "%s ", c->name);
	fputs("help --help --version' -- \"$cur\")\n"
	    "\t\treturn 0\n"
	    "\tfi\n"
	    "\t# The value of an option.\n"
	    "\tcase $prev in\n", out);
	for (int k = COMPLETE_NONE; k <= COMPLETE_CHOICES; k++) {
		first = 1;
		for (const struct optdef *d = cli_options; d->name; d++) {
			if (d->kind == OPT_FLAG || (int)cli_option_complete(d) != k)
				continue;
			if (k == COMPLETE_CHOICES) {
				fprintf(out, "\t--%s", d->name);
				if (d->short_name)
					fprintf(out, "|-%c", d->short_name);
				fputs(")\n\t\tmapfile -t COMPREPLY < <(compgen -W '",
				    out);
				for (const struct optchoice *ch = d->choices;
				    ch->name; ch++)
					fprintf(out, "%s%s", ch == d->choices ?
					    "" : " ", ch->name);
				fputs("' -- \"$cur\")\n\t\treturn 0\n\t\t;;\n", out);
				continue;
			}
			fprintf(out, "%s--%s", first ? "\t" : "|", d->name);
			if (d->short_name)
				fprintf(out, "|-%c", d->short_name);
			first = 0;
		}
		if (first || k == COMPLETE_CHOICES)
			continue;
		switch (k) {
		case COMPLETE_NONE:
			fputs(")\n\t\t# free text: nothing to offer\n", out);
			break;
		case COMPLETE_FILE:
			fputs(")\n\t\tcompopt -o filenames 2>/dev/null\n"
			    "\t\tmapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n",
			    out);
			break;
		case COMPLETE_CLOUD:
			fputs(")\n\t\tmapfile -t COMPREPLY < <(compgen -W '", out);
			for (size_t i = 0; i < clouds.n; i++) {
				fprintf(out, "%s%s", i ? " " : "", clouds.v[i].name);
				for (size_t a = 0; a < clouds.v[i].aliases.n; a++)
					fprintf(out, " %s", clouds.v[i].aliases.v[a]);
			}
			fputs("' -- \"$cur\")\n", out);
			break;
		}
		fputs("\t\treturn 0\n\t\t;;\n", out);
	}
	fputs("\tesac\n"
	    "\tcmd=${COMP_WORDS[1]}\n"
	    "\tcase $cmd in\n"
	    "\thelp)\n"
	    "\t\t[ \"$COMP_CWORD\" -eq 2 ] && mapfile -t COMPREPLY < <(compgen -W '",
	    out);
	for (const struct command *c = cli_commands; c->name; c++)
		fprintf(out, "%s%s", c == cli_commands ? "" : " ", c->name);
	fputs("' -- \"$cur\")\n\t\treturn 0\n\t\t;;\n", out);
	for (const struct command *c = cli_commands; c->name; c++) {
		fprintf(out, "\t%s)\n\t\topts='", c->name);
		for (const struct optdef *d = cli_options; d->name; d++)
			if (cli_command_takes(c, d))
				fprintf(out, "--%s ", d->name);
		fputs("--help'\n\t\t;;\n", out);
	}
	fputs("\t*)\n\t\treturn 0\n\t\t;;\n"
	    "\tesac\n"
	    "\tif [[ $cur == -* ]]; then\n"
	    "\t\tmapfile -t COMPREPLY < <(compgen -W \"$opts\" -- \"$cur\")\n"
	    "\t\treturn 0\n"
	    "\tfi\n"
	    "\t# A positional argument.\n"
	    "\tcase $cmd in\n", out);
	first = 1;
	for (const struct command *c = cli_commands; c->name; c++) {
		if (c->max_args == 0 || c->arg_value != VAL_FILE)
			continue;
		fprintf(out, "%s%s", first ? "\t" : "|", c->name);
		first = 0;
	}
	if (!first)
		fputs(")\n\t\tcompopt -o filenames 2>/dev/null\n"
		    "\t\tmapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n"
		    "\t\t;;\n", out);
	fputs("\tesac\n"
	    "\treturn 0\n"
	    "}\n"
	    "complete -F _hybridcheck hybridcheck\n", out);
	cloud_set_release(&clouds);
	return 0;
}
