/* Helpers shared by the unit tests (hctest.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hctest.h"
#include "mem.h"
#include "buf.h"

#define HCTEST_MAX_ARGS	64

struct cloud_set hctest_clouds;

char *
hctest_slurp(FILE *f)
{
	struct buf b;
	char chunk[4096];
	size_t n;

	rewind(f);
	buf_init(&b, (size_t)-1);
	buf_append(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	return buf_steal(&b);
}

/* argv[0] is the program's name; argv ends with NULL. */
static struct hctest_run
run_argv(int argc, char **argv)
{
	FILE *out = tmpfile(), *err = tmpfile();
	struct hctest_run r;

	if (out == NULL || err == NULL)
		fail_msg("cannot make a temporary file for the output");
	r.rc = cli_main(argc, argv, out, err);
	r.out = hctest_slurp(out);
	r.err = hctest_slurp(err);
	fclose(out);
	fclose(err);
	return r;
}

struct hctest_run
hctest_runv(const char *first, va_list ap)
{
	char *argv[HCTEST_MAX_ARGS];
	int argc = 0;

	argv[argc++] = (char *)"hybridcheck";
	for (const char *a = first; a != NULL && argc < HCTEST_MAX_ARGS - 1;
	    a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	argv[argc] = NULL;
	return run_argv(argc, argv);
}

struct hctest_run
hctest_run(const char *first, ...)
{
	struct hctest_run r;
	va_list ap;

	va_start(ap, first);
	r = hctest_runv(first, ap);
	va_end(ap);
	return r;
}

struct hctest_run
hctest_run_argv(const char *const *args)
{
	char *argv[HCTEST_MAX_ARGS];
	int argc = 0;

	argv[argc++] = (char *)"hybridcheck";
	for (; *args != NULL && argc < HCTEST_MAX_ARGS - 1; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	return run_argv(argc, argv);
}

void
hctest_run_free(struct hctest_run *r)
{
	if (r == NULL)
		return;
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

int
hctest_cli(char *out, size_t outlen, const char *const *args)
{
	struct hctest_run r = hctest_run_argv(args);
	const char *text = r.out[0] != '\0' ? r.out : r.err;
	int rc = r.rc;

	snprintf(out, outlen, "%s", text);
	hctest_run_free(&r);
	return rc;
}

int
hctest_clouds_setup(void **state)
{
	struct hcerr e;

	(void)state;
	return cloud_set_load_embedded(&hctest_clouds, &e);
}

int
hctest_clouds_teardown(void **state)
{
	(void)state;
	cloud_set_release(&hctest_clouds);
	return 0;
}
