/* The subcommands behind the rows of cli_commands (cli_table.c). */
#ifndef HC_COMMANDS_H
#define HC_COMMANDS_H

#include <stdio.h>

#include "cloud.h"
#include "options.h"

int	cmd_preflight(struct options *o, FILE *out, FILE *err);
int	cmd_remediate(struct options *o, FILE *out, FILE *err);
int	cmd_verify(struct options *o, FILE *out, FILE *err);
int	cmd_endpoints(struct options *o, FILE *out, FILE *err);
int	cmd_checks(struct options *o, FILE *out, FILE *err);
int	cmd_cert(struct options *o, FILE *out, FILE *err);
int	cmd_spn(struct options *o, FILE *out, FILE *err);
int	cmd_token(struct options *o, FILE *out, FILE *err);
int	cmd_batch(struct options *o, FILE *out, FILE *err);
int	cmd_explain(struct options *o, FILE *out, FILE *err);

/*
 * preflight, remediate and verify need something to judge: 0, or
 * EXIT_USAGE after saying so on err.
 */
int	cmd_need_target(const struct options *o, const char *command, FILE *err);

/* The profiles the options name (--endpoints, --cloud): 0 or an exit code. */
int	cmd_load_clouds(const struct options *o, struct cloud_set *s, FILE *err);

#endif
