/* Whole files: read with a cap, written whole or not at all. */
#ifndef HC_FILE_H
#define HC_FILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

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
/*
 * An output written whole or not at all. A regular file (new, or named
 * directly or through a symbolic link the kernel lets us follow) is
 * written to a temporary file beside it, created with O_EXCL under an
 * unpredictable name, and renamed over it on commit, keeping the mode
 * and, where allowed, the owner of the file it replaces. A device, FIFO
 * or terminal is written in place; a directory or block device is
 * refused; "-" is standard output.
 */
struct file_out {
	FILE	*f;		/* write here */
	char	*path;		/* as asked, for messages */
	char	*target;	/* the file the rename replaces */
	char	*tmp;		/* the temporary file, until renamed */
	int	 in_place;
	int	 is_stdout;
	int	 keep_owner;
	mode_t	 mode;
	uid_t	 uid;
	gid_t	 gid;
};

int	file_out_open(struct file_out *o, const char *path, struct hcerr *e);
/* Finishes the output (renames it into place); releases o either way. */
int	file_out_commit(struct file_out *o, struct hcerr *e);
/* Drops the output: the temporary file is removed, the target untouched. */
void	file_out_abort(struct file_out *o);
/* Writes path whole or not at all, through a file_out. */
int	file_write_atomic(const char *path, const void *data, size_t len,
	    struct hcerr *e);
/*
 * Whether two paths name the same file: the same inode when both exist,
 * else the same name once the directory is resolved. "-" and devices
 * never count (nothing is replaced there).
 */
int	file_same(const char *a, const char *b);

#endif
