/* cli: options good and bad, help, man page and exit codes, through cli_main. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "findings.h"
#include "hctest.h"
#include "buf.h"
#include "file.h"

static void
usage_error(const char *want, const char *arg, ...)
{
	struct hctest_run r;
	va_list ap;

	va_start(ap, arg);
	r = hctest_runv(arg, ap);
	va_end(ap);
	if (r.rc != EXIT_USAGE || strstr(r.err, want) == NULL)
		fail_msg("%s …: exit %d, stderr '%s', wanted 64 and '%s'", arg,
		    r.rc, r.err, want);
	/* One line, naming the problem. */
	assert_ptr_equal(strchr(r.err, '\n'), r.err + strlen(r.err) - 1);
	hctest_run_free(&r);
}

static void
test_usage_errors(void **state)
{
	(void)state;
	usage_error("no command given", NULL);
	usage_error("unknown command 'frobnicate'", "frobnicate", NULL);
	usage_error("unknown option '--nope'", "preflight", "--nope", NULL);
	usage_error("unknown option '-x'", "preflight", "-x", NULL);
	usage_error("--domain needs a value", "preflight", "--domain", NULL);
	usage_error("--domain: 'bad_name.com' is not a DNS name", "preflight",
	    "--domain", "bad_name.com", NULL);
	usage_error("--domain: 'contoso' is a single label", "preflight",
	    "--domain", "contoso", NULL);
	usage_error("--domain given twice", "preflight", "--domain", "a.com",
	    "--domain", "b.com", NULL);
	usage_error("--host: 'mail contoso.com' is not a DNS name", "preflight",
	    "--domain", "contoso.com", "--host", "mail contoso.com", NULL);
	usage_error("--timeout: 'soon' is not a whole number from 1 to 600",
	    "preflight", "--domain", "contoso.com", "--timeout", "soon", NULL);
	usage_error("--timeout: '0'", "preflight", "--domain", "contoso.com",
	    "--timeout=0", NULL);
	usage_error("--format: 'xml', expected text, json, junit or html", "preflight",
	    "--domain", "contoso.com", "--format", "xml", NULL);
	usage_error("--cloud: unknown cloud 'germany'", "preflight", "--domain",
	    "contoso.com", "--cloud", "germany", NULL);
	usage_error("--cloud: 'glo bal' is not a cloud name", "preflight",
	    "--domain", "contoso.com", "--cloud", "glo bal", NULL);
	usage_error("--offline takes no value", "preflight", "--domain",
	    "contoso.com", "--offline=yes", NULL);
	usage_error("unexpected argument 'extra'", "preflight", "--domain",
	    "contoso.com", "extra", NULL);
	usage_error("preflight needs --domain", "preflight", "--offline", NULL);
	usage_error("unknown option '--domain'", "endpoints", "--domain",
	    "contoso.com", NULL);

	/* Short options: the same checks and messages. */
	usage_error("-d needs a value (D)", "preflight", "-d", NULL);
	usage_error("--domain: 'contoso' is a single label", "preflight", "-d",
	    "contoso", NULL);
	usage_error("--domain given twice", "preflight", "-d", "a.com",
	    "--domain", "b.com", NULL);
	usage_error("--format: 'xml', expected text, json, junit or html",
	    "preflight", "-d", "a.com", "-fxml", NULL);
	usage_error("endpoints: unknown option '-d'", "endpoints", "-d",
	    "contoso.com", NULL);
	usage_error("preflight: unknown option '-domain'; did you mean "
	    "'--domain'?", "preflight", "-domain", "contoso.com", NULL);

	/* What was probably meant, among the command's own options. */
	usage_error("preflight: unknown option '--domian'; did you mean "
	    "'--domain'?", "preflight", "--domian", "contoso.com", NULL);
	usage_error("unknown option '--tmeout'; did you mean '--timeout'?",
	    "preflight", "--tmeout=3", NULL);
	usage_error("unknown option '--snapshto'; did you mean '--snapshot'?",
	    "preflight", "--snapshto", "x", NULL);
	usage_error("unknown option '--out'; did you mean '--output'?",
	    "preflight", "--out", "x", NULL);
	usage_error("unknown option '--spn-files'; did you mean '--spn-file'?",
	    "spn", "--spn-files", "x", NULL);
	usage_error("unknown command 'prefligth'; did you mean 'preflight'?",
	    "prefligth", NULL);
	usage_error("unknown command 'verfy'; did you mean 'verify'?", "help",
	    "verfy", NULL);

	/* The script and the report cannot share standard output. */
	usage_error("--ps1 -: the script would be mixed with the report on "
	    "standard output", "preflight", "-d", "contoso.com", "--ps1", "-",
	    NULL);
	usage_error("--ps1 -: the script would be mixed", "remediate", "-d",
	    "contoso.com", "--ps1=-", "-o", "-", "-f", "json", NULL);
}

/* Nothing to suggest: the message is the plain one, with no guess. */
static void
no_guess(const char *arg, ...)
{
	struct hctest_run r;
	va_list ap;

	va_start(ap, arg);
	r = hctest_runv(arg, ap);
	va_end(ap);
	assert_int_equal(r.rc, EXIT_USAGE);
	if (strstr(r.err, "did you mean") != NULL)
		fail_msg("%s …: '%s' guesses", arg, r.err);
	hctest_run_free(&r);
}

static void
test_no_wild_guesses(void **state)
{
	(void)state;
	no_guess("preflight", "--nope", NULL);
	no_guess("preflight", "-x", NULL);
	/* Not an option of endpoints, and nothing of its own is near. */
	no_guess("endpoints", "--domain", "contoso.com", NULL);
	/* "--s" begins --snapshot, --spn and --spn-file. */
	no_guess("preflight", "--s", "x", NULL);
	no_guess("frobnicate", NULL);
}

/* The table itself: names and short names unique, every row complete. */
static void
test_option_table(void **state)
{
	(void)state;
	for (const struct optdef *d = cli_options; d->name; d++) {
		assert_ptr_equal(cli_option(d->name), d);
		for (const struct optdef *x = d + 1; x->name; x++)
			if (d->short_name && x->short_name == d->short_name)
				fail_msg("-%c is --%s and --%s", d->short_name,
				    d->name, x->name);
		assert_true(d->help != NULL && *d->help != '\0');
		if ((d->kind == OPT_FLAG) != (d->arg == NULL))
			fail_msg("--%s: a flag has no placeholder, others one",
			    d->name);
		if (d->kind == OPT_NUMBER)
			assert_true(d->min <= d->max);
		if (d->kind == OPT_ENUM)
			assert_non_null(d->choices);
		if (d->kind == OPT_STRING || d->kind == OPT_LIST)
			assert_int_not_equal(d->value, VAL_NONE);
		if (d->max > 0 && d->kind == OPT_LIST)
			assert_non_null(d->max_why);
	}
	for (const struct command *c = cli_commands; c->name; c++) {
		for (const char *const *n = c->opts; *n; n++)
			if (cli_option(*n) == NULL)
				fail_msg("%s takes '--%s', which is no option",
				    c->name, *n);
		for (const char *const *n = c->base_opts; n && *n; n++)
			assert_non_null(cli_option(*n));
	}
}

/* Short options and the --ps1 - rule, accepted where they should be. */
static void
test_short_options(void **state)
{
	struct hctest_run r;

	(void)state;
	r = hctest_run("preflight", "-d", "contoso.partner.onmschina.cn",
	    "-cglobal", "--offline", "-f", "json", NULL);
	assert_int_equal(r.rc, EXIT_FAIL);
	assert_non_null(strstr(r.out, "\"schema\":\t\"hybridcheck.report/1\""));
	hctest_run_free(&r);
	r = hctest_run("endpoints", "-c", "china", "-f", "json", NULL);
	assert_int_equal(r.rc, EXIT_OK);
	assert_non_null(strstr(r.out, "accounts.accesscontrol.chinacloudapi.cn"));
	hctest_run_free(&r);

	/* With the report in a file, standard output is the script's. */
	{
		char *argv[] = { "hybridcheck", "remediate", "-d",
		    "contoso.com", "--ps1", "-", "-o", "report.txt", NULL };
		const struct command *cmd = NULL;
		struct hcerr e = { "" };
		struct options o;

		options_init(&o);
		if (cli_parse(8, argv, &o, &cmd, stdout, &e) != 0)
			fail_msg("--ps1 - -o FILE: %s", e.msg);
		assert_string_equal(o.ps1, "-");
		assert_string_equal(o.output, "report.txt");
		assert_string_equal(o.domain, "contoso.com");
		options_release(&o);
	}
}

static void
test_help_and_version(void **state)
{
	struct hctest_run r;

	(void)state;
	r = hctest_run("--version", NULL);
	assert_int_equal(r.rc, 0);
	assert_true(strncmp(r.out, "hybridcheck ", 12) == 0);
	hctest_run_free(&r);

	r = hctest_run("--help", NULL);
	assert_int_equal(r.rc, 0);
	for (const struct command *c = cli_commands; c->name; c++)
		assert_non_null(strstr(r.out, c->name));
	for (const struct exit_status *x = exit_statuses; x->name; x++)
		assert_non_null(strstr(r.out, x->name));
	hctest_run_free(&r);
}

/*
 * The option a line of --help describes ("  -d, --domain D  ..." or
 * "      --host H  ..."), or NULL; checks the short name shown.
 */
static const struct optdef *
help_line_option(const char *line)
{
	const struct optdef *d;
	char name[64];

	if (strncmp(line, "  -", 3) != 0 && strncmp(line, "      --", 8) != 0)
		return NULL;
	if (sscanf(strstr(line, "--") + 2, "%63[a-z0-9-]", name) != 1)
		return NULL;
	if ((d = cli_option(name)) == NULL)
		return NULL;
	if (d->short_name ? line[3] != d->short_name : line[2] != ' ')
		fail_msg("--help: '%s' shows the wrong short option", line);
	return d;
}

/*
 * Every command's --help lists exactly its options, each once, under the
 * heading of its group (inputs, network, output, in that order), then two
 * examples of the command.
 */
static void
test_help_grouped(void **state)
{
	static const char *const heads[] = { "inputs:", "network:", "output:" };

	(void)state;
	for (const struct command *c = cli_commands; c->name; c++) {
		struct hctest_run r = hctest_run(c->name, "--help", NULL);
		int group = -1, seen[64] = { 0 }, examples = 0, in_examples = 0;
		size_t nopt = 0;

		assert_int_equal(r.rc, 0);
		for (char *line = strtok(r.out, "\n"); line != NULL;
		    line = strtok(NULL, "\n")) {
			const struct optdef *d;

			for (int g = 0; g < 3; g++)
				if (strcmp(line, heads[g]) == 0) {
					if (g <= group)
						fail_msg("%s --help: '%s' out of order",
						    c->name, line);
					group = g;
				}
			if (strcmp(line, "examples:") == 0)
				in_examples = 1;
			else if (in_examples && line[0] != ' ')
				in_examples = 0;
			if (in_examples && strncmp(line, "  hybridcheck ", 14) == 0) {
				if (strncmp(line + 14, c->name, strlen(c->name)) != 0)
					fail_msg("%s --help: example '%s'", c->name, line);
				examples++;
			}
			if (in_examples || (d = help_line_option(line)) == NULL)
				continue;
			if (!cli_command_takes(c, d))
				fail_msg("%s --help lists --%s", c->name, d->name);
			if ((int)d->group != group)
				fail_msg("%s --help: --%s under %s", c->name, d->name,
				    group < 0 ? "no heading" : heads[group]);
			if (seen[d - cli_options]++)
				fail_msg("%s --help: --%s twice", c->name, d->name);
			nopt++;
		}
		for (const struct optdef *d = cli_options; d->name; d++)
			if (cli_command_takes(c, d) && !seen[d - cli_options])
				fail_msg("%s --help lacks --%s", c->name, d->name);
		if (examples != 2)
			fail_msg("%s --help: %d examples, wanted 2", c->name, examples);
		assert_true(nopt > 0);
		hctest_run_free(&r);
	}
}

/* The longest line of text, in characters. */
static size_t
longest_line(const char *text)
{
	size_t best = 0, n = 0;

	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			n = 0;
			continue;
		}
		if (((unsigned char)*p & 0xc0) != 0x80 && ++n > best)
			best = n;
	}
	return best;
}

/* The widest line of all --help texts: the list of commands and each command's. */
static size_t
widest_help(const char *columns)
{
	struct hctest_run r;
	size_t widest;

	if (columns != NULL)
		setenv("COLUMNS", columns, 1);
	else
		unsetenv("COLUMNS");
	r = hctest_run("--help", NULL);
	assert_int_equal(r.rc, 0);
	widest = longest_line(r.out);
	hctest_run_free(&r);
	for (const struct command *c = cli_commands; c->name; c++) {
		r = hctest_run(c->name, "--help", NULL);
		assert_int_equal(r.rc, 0);
		if (longest_line(r.out) > widest)
			widest = longest_line(r.out);
		hctest_run_free(&r);
	}
	unsetenv("COLUMNS");
	return widest;
}

/*
 * Not a terminal: COLUMNS, else 80, kept from 40 to 100; no line of any
 * --help is longer, and the long ones use the room.
 */
static void
test_help_wrapped(void **state)
{
	static const struct {
		const char	*columns;
		size_t		 width;
	} cases[] = {
		{ NULL, 80 }, { "80", 80 }, { "40", 40 }, { "47", 47 },
		{ "63", 63 }, { "100", 100 }, { "20", 40 }, { "500", 100 },
		{ "wide", 80 }, { "", 80 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = widest_help(cases[i].columns);

		if (n > cases[i].width || n + 8 < cases[i].width)
			fail_msg("COLUMNS=%s: the widest line of --help has %zu "
			    "characters, wanted at most %zu and near it",
			    cases[i].columns ? cases[i].columns : "(unset)", n,
			    cases[i].width);
	}
}

/* Each command's two examples are command lines that parse. */
static void
test_examples_parse(void **state)
{
	(void)state;
	for (const struct command *c = cli_commands; c->name; c++)
		for (size_t i = 0; i < 2; i++) {
			char *line = xstrdup(c->examples[i].line), *argv[32];
			const struct command *got = NULL;
			struct hcerr e = { "" };
			struct options o;
			FILE *out = tmpfile();
			int argc = 0;

			for (char *w = strtok(line, " "); w != NULL && argc < 31;
			    w = strtok(NULL, " "))
				argv[argc++] = w;
			argv[argc] = NULL;
			options_init(&o);
			assert_string_equal(argv[0], "hybridcheck");
			if (cli_parse(argc, argv, &o, &got, out, &e) != 0)
				fail_msg("example '%s': %s", c->examples[i].line, e.msg);
			assert_ptr_equal(got, c);
			assert_non_null(c->examples[i].what);
			options_release(&o);
			fclose(out);
			free(line);
		}
}

/* What a command wrote on its standard output; its exit status in *status. */
static char *
command_output(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	struct buf b;
	char chunk[4096];
	size_t n;

	if (p == NULL)
		fail_msg("cannot run '%s'", cmd);
	buf_init(&b, (size_t)-1);
	buf_append(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_append(&b, chunk, n);
	*status = pclose(p);
	return buf_steal(&b);
}

/* A generated file must be what its generator writes now. */
static void
generated_in_step(const char *path, const char *generated, const char *how)
{
	char *committed = NULL;
	struct hcerr e = { "" };
	size_t len;

	if (file_read(path, 1 << 20, &committed, &len, &e) == -1)
		fail_msg("%s", e.msg);
	if (strcmp(generated, committed) != 0)
		fail_msg("%s is out of step with the command-line tables; run: %s",
		    path, how);
	free(committed);
}

static void
test_man_page_in_step(void **state)
{
	FILE *f = tmpfile();
	char *generated;

	(void)state;
	cli_write_man(f);
	generated = hctest_slurp(f);
	fclose(f);
	generated_in_step(HC_SOURCE_DIR "/docs/hybridcheck.1", generated,
	    "build/tests/unit/hc-genman > docs/hybridcheck.1");
	free(generated);
}

/*
 * groff renders the page without a warning, and every option's tag is a
 * line of its own: "--domain D", not "--domain" with D on the next.
 */
static void
test_man_page_renders(void **state)
{
	char *warnings, *page;
	int status;

	(void)state;
	warnings = command_output("groff -man -Tutf8 -ww -z " HC_SOURCE_DIR
	    "/docs/hybridcheck.1 2>&1", &status);
	if (status != 0 || *warnings != '\0')
		fail_msg("groff (status %d): %s", status, warnings);
	page = command_output("groff -man -Tascii -P-cbou -rLL=80n "
	    HC_SOURCE_DIR "/docs/hybridcheck.1", &status);
	assert_int_equal(status, 0);
	assert_true(longest_line(page) <= 80);
	for (const struct optdef *d = cli_options; d->name; d++) {
		const char *sp = d->arg ? " " : "", *arg = d->arg ? d->arg : "";
		char *tag = d->short_name ?
		    xasprintf("\n       -%c, --%s%s%s\n", d->short_name, d->name,
		    sp, arg) : xasprintf("\n       --%s%s%s\n", d->name, sp, arg);

		if (strstr(page, tag) == NULL)
			fail_msg("the rendered man page has no line '%.*s'",
			    (int)strlen(tag) - 2, tag + 1);
		free(tag);
	}
	for (const struct exit_status *x = exit_statuses; x->name; x++) {
		char *row = xasprintf("\n       %-7d%.20s", x->code, x->meaning);

		if (strstr(page, row) == NULL)
			fail_msg("the rendered man page lacks exit status %d", x->code);
		free(row);
	}
	free(warnings);
	free(page);
}

static void
test_completion_in_step(void **state)
{
	FILE *f = tmpfile();
	struct hcerr e = { "" };
	char *generated;

	(void)state;
	if (cli_write_bash_completion(f, &e) == -1)
		fail_msg("%s", e.msg);
	generated = hctest_slurp(f);
	fclose(f);
	generated_in_step(HC_SOURCE_DIR "/docs/hybridcheck.bash-completion",
	    generated, "build/tests/unit/hc-genman bash > "
	    "docs/hybridcheck.bash-completion");
	free(generated);
}

/*
 * What bash offers, through the committed completion script, for the
 * words (NULL-terminated; the last is the one being completed): the
 * candidates, one a line, sorted.
 */
static char *
complete(const char *first, ...)
{
	struct buf cmd;
	va_list ap;
	char *out;
	int n = 0, status;

	buf_init(&cmd, (size_t)-1);
	buf_printf(&cmd, "bash --norc --noprofile -c '. " HC_SOURCE_DIR
	    "/docs/hybridcheck.bash-completion; COMP_WORDS=(");
	va_start(ap, first);
	for (const char *w = first; w != NULL; w = va_arg(ap, const char *), n++)
		buf_printf(&cmd, "%s\"%s\"", n ? " " : "", w);
	va_end(ap);
	buf_printf(&cmd, "); COMP_CWORD=%d; _hybridcheck; "
	    "printf \"%%s\\n\" \"${COMPREPLY[@]}\"' | LC_ALL=C sort", n - 1);
	out = command_output(cmd.data, &status);
	if (status != 0)
		fail_msg("'%s' failed (%d)", cmd.data, status);
	buf_release(&cmd);
	/* An empty COMPREPLY prints one empty line. */
	if (strcmp(out, "\n") == 0)
		out[0] = '\0';
	return out;
}

static void
want_completion(char *got, const char *want)
{
	if (strcmp(got, want) != 0)
		fail_msg("completion: got '%s', wanted '%s'", got, want);
	free(got);
}

static void
test_completion_works(void **state)
{
	(void)state;
	want_completion(complete("hybridcheck", "pre", NULL), "preflight\n");
	want_completion(complete("hybridcheck", "preflight", "--fo", NULL),
	    "--format\n");
	want_completion(complete("hybridcheck", "preflight", "--format", "", NULL),
	    "html\njson\njunit\ntext\n");
	want_completion(complete("hybridcheck", "preflight", "--format", "=",
	    "j", NULL), "json\njunit\n");
	want_completion(complete("hybridcheck", "preflight", "--format", "=",
	    NULL), "html\njson\njunit\ntext\n");
	want_completion(complete("hybridcheck", "checks", "-f", "", NULL),
	    "html\njson\njunit\ntext\n");
	want_completion(complete("hybridcheck", "preflight", "-c", "d", NULL),
	    "dod\n");
	want_completion(complete("hybridcheck", "endpoints", "--dom", NULL), "");
	want_completion(complete("hybridcheck", "preflight", "--domain", "c",
	    NULL), "");
	want_completion(complete("hybridcheck", "help", "ba", NULL), "batch\n");
	want_completion(complete("hybridcheck", "token", "--cloud", "g", NULL),
	    "gcc\ngcc-high\ngcchigh\nglobal\n");
	want_completion(complete("hybridcheck", "preflight", "--snapshot",
	    HC_SOURCE_DIR "/examples/china-l", NULL),
	    HC_SOURCE_DIR "/examples/china-legacy.expect\n"
	    HC_SOURCE_DIR "/examples/china-legacy.json\n");
	want_completion(complete("hybridcheck", "cert",
	    HC_SOURCE_DIR "/examples/china-l", NULL),
	    HC_SOURCE_DIR "/examples/china-legacy.expect\n"
	    HC_SOURCE_DIR "/examples/china-legacy.json\n");

	/* Each command offers exactly its options and --help. */
	for (const struct command *c = cli_commands; c->name; c++) {
		char *got = complete("hybridcheck", c->name, "--", NULL);
		size_t offered = 0, takes = 1;

		for (char *line = strtok(got, "\n"); line != NULL;
		    line = strtok(NULL, "\n"), offered++) {
			const struct optdef *d = cli_option(line + 2);

			if (strcmp(line, "--help") != 0 &&
			    (d == NULL || !cli_command_takes(c, d)))
				fail_msg("%s: completion offers '%s'", c->name, line);
		}
		for (const struct optdef *d = cli_options; d->name; d++)
			takes += cli_command_takes(c, d);
		if (offered != takes)
			fail_msg("%s: completion offers %zu options, wanted %zu",
			    c->name, offered, takes);
		free(got);
	}
}

/*
 * A markdown table "| code | meaning |" under heading: its rows, code
 * formatting removed, must be exit_statuses' rows in their order.
 */
static void
exit_table_in_step(const char *path, const char *heading)
{
	char *text = NULL, *p, *line;
	struct hcerr e = { "" };
	size_t len, i = 0;

	if (file_read(path, 1 << 20, &text, &len, &e) == -1)
		fail_msg("%s", e.msg);
	if ((p = strstr(text, heading)) == NULL)
		fail_msg("%s has no '%s'", path, heading);
	p = strstr(p, "|---|---|");
	assert_non_null(p);
	p = strchr(p, '\n') + 1;
	for (; *p == '|'; p = strchr(p, '\n') + 1) {
		char meaning[512];
		size_t n;
		int code;

		line = p;
		assert_non_null(strchr(line, '\n'));
		if (sscanf(line, "| %d | %511[^\n]", &code, meaning) != 2)
			fail_msg("%s: cannot read the row '%.40s'", path, line);
		/* Drop the closing " |" and every backtick. */
		meaning[strcspn(meaning, "|")] = '\0';
		n = strlen(meaning);
		while (n > 0 && meaning[n - 1] == ' ')
			meaning[--n] = '\0';
		for (char *r = meaning, *w = meaning;; r++) {
			if (*r != '`')
				*w++ = *r;
			if (*r == '\0')
				break;
		}
		if (exit_statuses[i].name == NULL)
			fail_msg("%s: row for %d, but the table ends", path, code);
		if (code != exit_statuses[i].code ||
		    strcmp(meaning, exit_statuses[i].meaning) != 0)
			fail_msg("%s: '%d | %s', the table says '%d | %s'", path,
			    code, meaning, exit_statuses[i].code,
			    exit_statuses[i].meaning);
		i++;
	}
	if (exit_statuses[i].name != NULL)
		fail_msg("%s lacks exit status %d", path, exit_statuses[i].code);
	free(text);
}

static void
test_exit_statuses_documented(void **state)
{
	(void)state;
	exit_table_in_step(HC_SOURCE_DIR "/README.md", "## Exit status");
	exit_table_in_step(HC_SOURCE_DIR "/docs/report.md", "## Exit status");
}

static void
test_endpoints_per_cloud(void **state)
{
	static const char *const want[][2] = {
		{ "china", "accounts.accesscontrol.chinacloudapi.cn" },
		{ "global", "accounts.accesscontrol.windows.net" },
		{ "gcchigh", "login.microsoftonline.us/{domain}/metadata/json/1" },
		{ "dod", "outlook-dod.office365.us" },
	};
	struct hctest_run r;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		r = hctest_run("endpoints", "--cloud", want[i][0], "--format", "json", NULL);
		assert_int_equal(r.rc, 0);
		if (strstr(r.out, want[i][1]) == NULL)
			fail_msg("%s profile lacks %s", want[i][0], want[i][1]);
		hctest_run_free(&r);
	}
	r = hctest_run("endpoints", NULL);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "(recommended)"));
	hctest_run_free(&r);
	r = hctest_run("endpoints", "--endpoints", "/nonexistent", NULL);
	assert_int_equal(r.rc, EXIT_INCOMPLETE);
	assert_non_null(strstr(r.err, "cannot read '/nonexistent'"));
	hctest_run_free(&r);
}

/*
 * A profile given with --endpoints is anyone's file: terminal escapes in
 * its text (display name, values, sources, notes) are not printed as they
 * are; the JSON form escapes them.
 */
static void
test_endpoints_escapes(void **state)
{
	char *text = NULL, *path = xasprintf("%s/escape-cloud.json", HC_TEST_TMP);
	size_t len = 0;
	struct hcerr e = { "" };
	struct buf b;
	const char *at;
	struct hctest_run r;

	(void)state;
	assert_int_equal(file_read(HC_SOURCE_DIR "/endpoints/global.json", 1 << 20,
	    &text, &len, &e), 0);
	buf_init(&b, 1 << 21);
	/* The copy is a cloud of its own, with escapes in its name and a source. */
	at = strstr(text, "\"name\": \"global\"");
	assert_non_null(at);
	buf_append(&b, text, (size_t)(at - text));
	buf_printf(&b, "\"name\": \"esc\"");
	at += strlen("\"name\": \"global\"");
	{
		const char *dn = strstr(at, "\"display_name\": \"");
		const char *src = strstr(at, "\"source\": \"");

		assert_non_null(dn);
		assert_non_null(src);
		dn += strlen("\"display_name\": \"");
		buf_append(&b, at, (size_t)(dn - at));
		buf_printf(&b, "\\u001b[2J\\u001b]0;owned\\u0007");
		src += strlen("\"source\": \"");
		buf_append(&b, dn, (size_t)(src - dn));
		buf_printf(&b, "\\u001b[31m");
		buf_append(&b, src, strlen(src));
	}
	assert_int_equal(file_write_atomic(path, b.data, b.len, &e), 0);
	r = hctest_run("endpoints", "--endpoints", path, "--cloud", "esc", NULL);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "esc"));
	assert_null(strchr(r.out, 0x1b));
	assert_null(strchr(r.out, 0x07));
	hctest_run_free(&r);
	r = hctest_run("endpoints", "--endpoints", path, "--cloud", "esc", "--format", "json", NULL);
	assert_int_equal(r.rc, 0);
	assert_null(strchr(r.out, 0x1b));
	assert_non_null(strstr(r.out, "\\u001b"));
	hctest_run_free(&r);
	buf_release(&b);
	free(text);
	free(path);
}

static void
test_preflight_exit_codes(void **state)
{
	struct hctest_run r;

	(void)state;
	/* A 21Vianet domain judged against the worldwide cloud: a failure. */
	r = hctest_run("preflight", "--domain", "contoso.partner.onmschina.cn",
	    "--cloud", "global", "--offline", NULL);
	assert_int_equal(r.rc, EXIT_FAIL);
	assert_non_null(strstr(r.out, "is a china tenant domain"));
	assert_non_null(strstr(r.out, "verdict: FAIL"));
	hctest_run_free(&r);

	r = hctest_run("preflight", "--domain", "contoso.partner.onmschina.cn",
	    "--cloud", "21vianet", "--offline", "--format", "json", NULL);
	assert_int_equal(r.rc, EXIT_OK);
	assert_non_null(strstr(r.out, "\"schema\":\t\"hybridcheck.report/1\""));
	hctest_run_free(&r);

	/* Without a cloud nothing can run offline: could not complete. */
	r = hctest_run("preflight", "--domain", "contoso.com", "--offline", NULL);
	assert_int_equal(r.rc, EXIT_INCOMPLETE);
	assert_non_null(strstr(r.out, "the cloud (give --cloud NAME)"));
	hctest_run_free(&r);
}

/*
 * Issue 17 items 2, 5 and 8: an output that is another output or an
 * input is a usage error, whatever name reaches it (./, a link).
 */
static void
test_outputs_apart(void **state)
{
	const char *snap = HC_SOURCE_DIR "/examples/global-hybridapp.json";
	char *out = xasprintf("%s/apart-report.txt", HC_TEST_TMP);
	char *dotted = xasprintf("%s/./apart-report.txt", HC_TEST_TMP);
	char *link = xasprintf("%s/apart-snapshot-link.json", HC_TEST_TMP);

	(void)state;
	unlink(link);
	assert_int_equal(symlink(snap, link), 0);
	usage_error("--output '" HC_SOURCE_DIR "/examples/global-hybridapp.json'"
	    " is the --snapshot file", "preflight", "--offline", "--snapshot",
	    snap, "--output", snap, NULL);
	usage_error("is the --snapshot file", "remediate", "--offline",
	    "--snapshot", snap, "--ps1", link, NULL);
	usage_error("--output and --ps1 name the same file", "remediate",
	    "--offline", "--snapshot", snap, "--output", out, "--ps1", dotted,
	    NULL);
	usage_error("--output '" HC_SOURCE_DIR "/examples/global-hybridapp.json'"
	    " is the file given as argument", "cert", snap, "--output", snap,
	    NULL);
	unlink(link);
	free(out);
	free(dotted);
	free(link);
}

/*
 * Issue 17 item 2: batch --output never replaces a device, and its
 * temporary file is not at a name one can plant a link on.
 */
static void
test_batch_output_never_destroys(void **state)
{
	char *list = xasprintf("%s/batch-one.txt", HC_TEST_TMP);
	char *out = xasprintf("%s/batch-out.txt", HC_TEST_TMP);
	char *victim = xasprintf("%s/batch-victim.txt", HC_TEST_TMP);
	char *planted = xasprintf("%s.tmp-%ld", out, (long)getpid());
	struct hcerr e = { "" };
	struct hctest_run r;
	struct stat st;
	char *back;
	size_t len;

	(void)state;
	assert_int_equal(file_write_atomic(list, "nowhere.invalid\n", 16, &e), 0);
	assert_int_equal(file_write_atomic(victim, "precious", 8, &e), 0);
	unlink(planted);
	unlink(out);
	assert_int_equal(symlink(victim, planted), 0);
	r = hctest_run("batch", "--domains-file", list, "--timeout", "1",
	    "--dns-server", "127.0.0.1:9", "--output", out, NULL);
	assert_true(r.rc != EXIT_USAGE);
	hctest_run_free(&r);
	assert_int_equal(file_read(victim, 100, &back, &len, &e), 0);
	assert_string_equal(back, "precious");
	free(back);
	assert_int_equal(file_read(out, 1 << 20, &back, &len, &e), 0);
	assert_non_null(strstr(back, "nowhere.invalid"));
	free(back);

	r = hctest_run("batch", "--domains-file", list, "--timeout", "1",
	    "--dns-server", "127.0.0.1:9", "--output", "/dev/null", NULL);
	assert_true(r.rc != EXIT_USAGE);
	hctest_run_free(&r);
	assert_int_equal(lstat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	unlink(planted);
	unlink(out);
	unlink(victim);
	unlink(list);
	free(list);
	free(out);
	free(victim);
	free(planted);
}

/*
 * Issue 17 item 3: a profile file adds clouds, replaces a built-in only
 * with --endpoints-override, and the report (text, JSON, HTML) and the
 * script name where each profile came from.
 */
static void
test_profile_origin(void **state)
{
	const char *snap = HC_SOURCE_DIR "/examples/global-hybridapp.json";
	char *file = xasprintf("%s/origin-global.json", HC_TEST_TMP);
	char *ps1 = xasprintf("%s/origin-fix.ps1", HC_TEST_TMP), *text, *p;
	struct hcerr e = { "" };
	struct hctest_run r;
	size_t len;

	(void)state;
	assert_int_equal(file_read(HC_SOURCE_DIR "/endpoints/global.json",
	    1 << 20, &text, &len, &e), 0);
	/* The built-in's name, without its aliases (a file of the same cloud). */
	p = strstr(text, "\"aliases\"");
	assert_non_null(p);
	memcpy(p, "\"aliasez\"", 9);
	assert_int_equal(file_write_atomic(file, text, strlen(text), &e), 0);
	free(text);

	r = hctest_run("preflight", "--offline", "--snapshot", snap, NULL);
	assert_non_null(strstr(r.out, "cloud global (built-in)"));
	hctest_run_free(&r);

	r = hctest_run("preflight", "--offline", "--snapshot", snap,
	    "--endpoints", file, NULL);
	assert_int_equal(r.rc, EXIT_INCOMPLETE);
	assert_non_null(strstr(r.err, "has the name of the built-in cloud "
	    "'global'"));
	hctest_run_free(&r);

	r = hctest_run("preflight", "--offline", "--snapshot", snap,
	    "--endpoints", file, "--endpoints-override", NULL);
	assert_non_null(strstr(r.out, "cloud global (" HC_TEST_TMP
	    "/origin-global.json (sha256 "));
	assert_non_null(strstr(r.out, "cloud profile from a file: global: "));
	hctest_run_free(&r);

	r = hctest_run("preflight", "--offline", "--snapshot", snap,
	    "--endpoints", file, "--endpoints-override", "-f", "json", NULL);
	assert_non_null(strstr(r.out, "\"cloud_profile\""));
	assert_non_null(strstr(r.out, "\"profiles_from_files\""));
	assert_non_null(strstr(r.out, "\"sha256\""));
	hctest_run_free(&r);

	r = hctest_run("preflight", "--offline", "--snapshot", snap,
	    "--endpoints", file, "--endpoints-override", "-f", "html", NULL);
	assert_non_null(strstr(r.out, "cloud global (" HC_TEST_TMP
	    "/origin-global.json (sha256 "));
	hctest_run_free(&r);

	r = hctest_run("remediate", "--offline", "--snapshot", snap,
	    "--endpoints", file, "--endpoints-override", "--ps1", ps1, NULL);
	hctest_run_free(&r);
	assert_int_equal(file_read(ps1, 1 << 22, &text, &len, &e), 0);
	assert_non_null(strstr(text, "# cloud profile: " HC_TEST_TMP
	    "/origin-global.json (sha256 "));
	free(text);
	unlink(ps1);
	unlink(file);
	free(ps1);
	free(file);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_no_wild_guesses),
		cmocka_unit_test(test_option_table),
		cmocka_unit_test(test_short_options),
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_help_grouped),
		cmocka_unit_test(test_help_wrapped),
		cmocka_unit_test(test_examples_parse),
		cmocka_unit_test(test_man_page_in_step),
		cmocka_unit_test(test_man_page_renders),
		cmocka_unit_test(test_completion_in_step),
		cmocka_unit_test(test_completion_works),
		cmocka_unit_test(test_exit_statuses_documented),
		cmocka_unit_test(test_endpoints_per_cloud),
		cmocka_unit_test(test_endpoints_escapes),
		cmocka_unit_test(test_preflight_exit_codes),
		cmocka_unit_test(test_outputs_apart),
		cmocka_unit_test(test_profile_origin),
		cmocka_unit_test(test_batch_output_never_destroys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
