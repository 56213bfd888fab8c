/* The subcommands behind the rows of cli_commands (cli.c). */
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

/*
 * Loads the embedded profiles and any --endpoints; checks --cloud names a
 * known one. Returns 0, or an exit code after writing the error to err
 * (the set is then empty).
 */
int	cmd_load_clouds(const struct options *o, struct cloud_set *s, FILE *err);

struct buf;
struct cJSON;
struct findings;
struct report_target;

/*
 * Writes a report to --output (whole or not at all) or out: text preceded
 * by pre (may be NULL); JSON with the members of extra added at the top
 * level (extra may be NULL and is freed). Returns the findings' exit code,
 * or EXIT_INCOMPLETE when writing failed. (cmd_cert.c)
 */
int	cmd_emit_report(const struct options *o, FILE *out, FILE *err,
	    const struct report_target *t, const struct findings *f,
	    const struct buf *pre, struct cJSON *extra);

#endif
