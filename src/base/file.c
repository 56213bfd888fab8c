/* Whole files in, whole files out. */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "buf.h"
#include "mem.h"

int
file_read_stream(FILE *f, size_t max, char **out, size_t *len)
{
	struct buf b;
	char chunk[4096];
	size_t n;

	buf_init(&b, max);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(&b, chunk, n) == -1) {
			buf_release(&b);
			return -1;
		}
	if (ferror(f)) {
		buf_release(&b);
		return -2;
	}
	*len = b.len;
	*out = b.data ? buf_steal(&b) : xstrdup("");
	return 0;
}

int
file_read(const char *path, size_t max, char **out, size_t *len,
    struct hcerr *e)
{
	FILE *f = NULL;
	struct buf b;
	char chunk[65536];
	size_t n;
	int rc = -1;

	buf_init(&b, max);
	*out = NULL;
	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "rb")) == NULL) {
		hcerr_set(e, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	} else {
		struct stat st;

		/*
		 * Files may hold private keys: no stdio buffer, and one
		 * allocation of the right size, so no copy is left behind in
		 * memory that is freed without being cleansed.
		 */
		setvbuf(f, NULL, _IONBF, 0);
		if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_size > 0 && (size_t)st.st_size <= max) {
			b.cap = (size_t)st.st_size + 1;
			b.data = xmalloc(b.cap);
			b.data[0] = '\0';
		}
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_append(&b, chunk, n) == -1) {
			hcerr_set(e, "'%s' is larger than %zu bytes", path, max);
			goto out;
		}
	}
	if (ferror(f)) {
		hcerr_set(e, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	if (b.data == NULL)
		buf_append(&b, "", 0);
	if (len != NULL)
		*len = b.len;
	*out = buf_steal(&b);
	rc = 0;
out:
	if (f != NULL && f != stdin)
		fclose(f);
	OPENSSL_cleanse(chunk, sizeof(chunk));
	if (b.data != NULL)
		OPENSSL_cleanse(b.data, b.cap);
	buf_release(&b);
	return rc;
}

static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
write_in_place(const char *path, const void *data, size_t len,
    struct hcerr *e)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd == -1) {
		hcerr_set(e, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (write_all(fd, data, len) == -1) {
		hcerr_set(e, "cannot write '%s': %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (close(fd) == -1) {
		hcerr_set(e, "cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
file_write_atomic(const char *path, const void *data, size_t len,
    struct hcerr *e)
{
	char *tmp = NULL, *real = NULL;
	const char *p = data, *target = path;
	struct stat st;
	int fd = -1, rc = -1;

	if (strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
			hcerr_set(e, "cannot write to standard output: %s",
			    strerror(errno));
			return -1;
		}
		return 0;
	}
	/*
	 * A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written in
	 * place: renaming a file over it would replace the device itself. A
	 * symbolic link is followed so the file it names is replaced, not it.
	 */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_in_place(path, data, len, e);
	/*
	 * Errors name the file asked for: the temporary one beside it is
	 * ours, gone when this returns, and means nothing to the reader.
	 */
	if ((real = realpath(path, NULL)) != NULL)
		target = real;
	tmp = xasprintf("%s.tmp.%ld", target, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) == -1 ||
	    write_all(fd, p, len) == -1 || fsync(fd) == -1) {
		hcerr_set(e, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		hcerr_set(e, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, target) == -1) {
		hcerr_set(e, "cannot write '%s': %s (renaming the finished file "
		    "into place)", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (rc != 0 && tmp != NULL)
		unlink(tmp);
	free(tmp);
	free(real);
	return rc;
}
