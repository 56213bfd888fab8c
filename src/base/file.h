/* Whole files: read with a cap, written whole or not at all. */
#ifndef HC_FILE_H
#define HC_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "mem.h"

/* Reads a whole file of at most max bytes; caller frees *out (NUL-terminated). */
int	file_read(const char *path, size_t max, char **out, size_t *len,
	    struct hcerr *e);
/*
 * Reads a whole stream of at most max bytes; caller frees *out
 * (NUL-terminated). Returns 0, -1 when the stream holds more, -2 when it
 * cannot be read.
 */
int	file_read_stream(FILE *f, size_t max, char **out, size_t *len);
/* Writes path whole or not at all: a temporary file beside it, then rename. */
int	file_write_atomic(const char *path, const void *data, size_t len,
	    struct hcerr *e);

#endif
