/*
 * What a report says next: the exact command that writes the remediation
 * script for what this run found, made from the command line as given
 * (its spelling kept, its paths as typed), and the options the running
 * command accepts, so hints never name one it would refuse.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

void
cli_command_options(const struct command *cmd, struct strlist *l)
{
	for (const struct optdef *d = cli_options; d->name; d++)
		if (cli_command_takes(cmd, d))
			strlist_add(l, d->name);
}

static const struct optdef *
short_option(const struct command *cmd, char c)
{
	for (const struct optdef *d = cli_options; d->name; d++)
		if (d->short_name == c && cli_command_takes(cmd, d))
			return d;
	return NULL;
}

/* What goes into the remediate line: inputs and network, never outputs. */
static int
carried(const struct command *rem, const struct optdef *d)
{
	return d != NULL && d->group != GROUP_OUTPUT && cli_command_takes(rem, d);
}

char *
cli_remediate_line(const struct command *cmd, const struct strlist *argv)
{
	const struct command *rem = cli_command("remediate");
	struct buf b;
	int target = 0, positional = 0;

	/* Only the commands that judge an organisation's trust lead to a script. */
	if (rem == NULL || argv == NULL || argv->n == 0 ||
	    (strcmp(cmd->name, "preflight") != 0 && strcmp(cmd->name, "verify") != 0 &&
	    strcmp(cmd->name, "remediate") != 0 && strcmp(cmd->name, "cert") != 0 &&
	    strcmp(cmd->name, "spn") != 0))
		return NULL;
	buf_init(&b, 1u << 16);
	buf_printf(&b, "hybridcheck remediate");
	for (size_t i = 1; i < argv->n; i++) {
		const char *a = argv->v[i], *eq;
		const struct optdef *d = NULL;
		int has_value = 0;

		if (strcmp(a, "--") == 0) {
			positional = 1;
			continue;
		}
		if (!positional && strncmp(a, "--", 2) == 0) {
			char name[64];
			size_t n;

			eq = strchr(a, '=');
			n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			if (n < sizeof(name)) {
				snprintf(name, sizeof(name), "%.*s", (int)n, a + 2);
				d = cli_option(name);
			}
			has_value = eq != NULL;
		} else if (!positional && a[0] == '-' && a[1] != '\0') {
			d = short_option(cmd, a[1]);
			has_value = a[2] != '\0';
		} else {
			/* cert FILE is the Auth certificate: --cert FILE. */
			if (strcmp(cmd->name, "cert") == 0) {
				buf_printf(&b, " --cert ");
				buf_shell_word(&b, a);
			}
			continue;
		}
		if (d == NULL)
			continue;
		if (!carried(rem, d)) {
			if (d->kind != OPT_FLAG && !has_value)
				i++;
			continue;
		}
		if (strcmp(d->name, "domain") == 0 || strcmp(d->name, "host") == 0 ||
		    strcmp(d->name, "snapshot") == 0)
			target = 1;
		buf_printf(&b, " ");
		buf_shell_word(&b, a);
		if (d->kind != OPT_FLAG && !has_value && i + 1 < argv->n) {
			buf_printf(&b, " ");
			buf_shell_word(&b, argv->v[++i]);
		}
	}
	/* remediate judges an organisation: name one when the run did not. */
	if (!target)
		buf_printf(&b, " --domain D");
	buf_printf(&b, " --ps1 fix.ps1");
	return buf_steal(&b);
}
