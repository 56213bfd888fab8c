/*
 * Helpers every unit test may use, compiled into each test executable:
 * the real command line with its output captured, and the embedded cloud
 * profiles for a test group. Certificates made at test time are in
 * testcert.h.
 */
#ifndef HC_HCTEST_H
#define HC_HCTEST_H

#include <stdarg.h>
#include <stdio.h>

#include "cloud.h"

/* One run of the program: exit code and what it wrote; run_free frees. */
struct hctest_run {
	int	 rc;
	char	*out;
	char	*err;
};

/*
 * Runs cli_main() as "hybridcheck" with a NULL-terminated argument list
 * (first may be NULL: no arguments at all), stdout and stderr captured.
 */
struct hctest_run hctest_run(const char *first, ...);
struct hctest_run hctest_runv(const char *first, va_list ap);
/* The same with a NULL-terminated array. */
struct hctest_run hctest_run_argv(const char *const *args);
void	hctest_run_free(struct hctest_run *r);

/*
 * Runs the command line of args into out (at most outlen - 1 bytes):
 * its stdout, or its stderr when stdout is empty. Returns the exit code.
 */
int	hctest_cli(char *out, size_t outlen, const char *const *args);

/* Everything written to f, from its start; the caller frees. */
char	*hctest_slurp(FILE *f);

/* The embedded cloud profiles, loaded by a group setup and released. */
extern struct cloud_set hctest_clouds;
int	hctest_clouds_setup(void **state);
int	hctest_clouds_teardown(void **state);

#endif
