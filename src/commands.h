/* The subcommands behind the rows of cli_commands (cli.c). */
#ifndef HC_COMMANDS_H
#define HC_COMMANDS_H

#include <stdio.h>

#include "cloud.h"
#include "options.h"

int	cmd_preflight(struct options *o, FILE *out, FILE *err);
int	cmd_endpoints(struct options *o, FILE *out, FILE *err);
int	cmd_checks(struct options *o, FILE *out, FILE *err);

/*
 * Loads the embedded profiles and any --endpoints; checks --cloud names a
 * known one. Returns 0, or an exit code after writing the error to err
 * (the set is then empty).
 */
int	cmd_load_clouds(const struct options *o, struct cloud_set *s, FILE *err);

#endif
