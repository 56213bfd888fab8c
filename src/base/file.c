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
#include <openssl/rand.h>

#include "buf.h"
#include "mem.h"

static const char *
kind_of(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISLNK(m))
		return "a symbolic link";
	return "not a regular file";
}

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
	else {
		struct stat st;
		int fd;

		/*
		 * Only regular files: a FIFO would block for ever (opened
		 * without waiting for a writer, then refused), a device could
		 * never end. Standard input is "-".
		 */
		if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY |
		    O_CLOEXEC)) == -1) {
			hcerr_set(e, "cannot read '%s': %s", path, strerror(errno));
			goto out;
		}
		if (fstat(fd, &st) == -1) {
			hcerr_set(e, "cannot read '%s': %s", path, strerror(errno));
			close(fd);
			goto out;
		}
		if (!S_ISREG(st.st_mode)) {
			hcerr_set(e, "cannot read '%s': it is %s, not a regular "
			    "file (standard input is '-')", path,
			    kind_of(st.st_mode));
			close(fd);
			goto out;
		}
		if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == -1 ||
		    (f = fdopen(fd, "rb")) == NULL) {
			hcerr_set(e, "cannot read '%s': %s", path, strerror(errno));
			close(fd);
			goto out;
		}
		/*
		 * Files may hold private keys: no stdio buffer, and one
		 * allocation of the right size, so no copy is left behind in
		 * memory that is freed without being cleansed.
		 */
		setvbuf(f, NULL, _IONBF, 0);
		if (st.st_size > 0 && (size_t)st.st_size <= max) {
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

/* The process's umask, read without keeping a change. */
static mode_t
current_umask(void)
{
	mode_t m = umask(077);

	umask(m);
	return m;
}

/* Something that is not a regular file: written in place, never replaced. */
static int
out_in_place(struct file_out *o, int fd, struct hcerr *e)
{
	struct stat st;

	if (fd == -1 && (fd = open(o->path, O_WRONLY | O_NOCTTY |
	    O_CLOEXEC)) == -1) {
		hcerr_set(e, "cannot open '%s': %s", o->path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISBLK(st.st_mode))) {
		/* A block device is a disk: never the place for a report. */
		hcerr_set(e, "'%s' is %s: give a file name", o->path,
		    kind_of(st.st_mode));
		close(fd);
		return -1;
	}
	if ((o->f = fdopen(fd, "w")) == NULL) {
		hcerr_set(e, "cannot open '%s': %s", o->path, strerror(errno));
		close(fd);
		return -1;
	}
	o->in_place = 1;
	return 0;
}

static int
out_temporary(struct file_out *o, struct hcerr *e)
{
	for (int tries = 0; tries < 8; tries++) {
		unsigned char r[12];
		char hex[sizeof(r) * 2 + 1];
		int fd;

		if (RAND_bytes(r, sizeof(r)) != 1) {
			hcerr_set(e, "cannot write '%s': no random name for the "
			    "temporary file", o->path);
			return -1;
		}
		for (size_t i = 0; i < sizeof(r); i++)
			snprintf(hex + 2 * i, 3, "%02x", r[i]);
		free(o->tmp);
		o->tmp = xasprintf("%s.tmp-%s", o->target, hex);
		/* Private until finished: the mode is set before the rename. */
		fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_NOCTTY | O_CLOEXEC, 0600);
		if (fd == -1 && errno == EEXIST) {
			hcerr_set(e, "cannot write '%s': no free temporary name",
			    o->path);
			continue;
		}
		if (fd == -1) {
			hcerr_set(e, "cannot write '%s': %s", o->path,
			    strerror(errno));
			break;
		}
		if ((o->f = fdopen(fd, "w")) == NULL) {
			hcerr_set(e, "cannot write '%s': %s", o->path,
			    strerror(errno));
			close(fd);
			unlink(o->tmp);
			break;
		}
		return 0;
	}
	free(o->tmp);
	o->tmp = NULL;
	return -1;
}

int
file_out_open(struct file_out *o, const char *path, struct hcerr *e)
{
	struct stat st;

	memset(o, 0, sizeof(*o));
	o->path = xstrdup(path);
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		o->in_place = o->is_stdout = 1;
		return 0;
	}
	if (lstat(path, &st) == -1) {
		if (errno != ENOENT) {
			hcerr_set(e, "cannot write '%s': %s", path, strerror(errno));
			goto fail;
		}
		o->target = xstrdup(path);
		o->mode = 0644 & ~current_umask();
	} else if (S_ISLNK(st.st_mode)) {
		/*
		 * Written through: the kernel follows the link (so
		 * fs.protected_symlinks applies), and the file it opened is
		 * the one replaced, with its mode and owner.
		 */
		struct stat fs, rs;
		int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);

		if (fd == -1) {
			hcerr_set(e, "cannot write '%s': %s", path, strerror(errno));
			goto fail;
		}
		if (fstat(fd, &fs) == -1) {
			hcerr_set(e, "cannot write '%s': %s", path, strerror(errno));
			close(fd);
			goto fail;
		}
		if (!S_ISREG(fs.st_mode)) {
			if (out_in_place(o, fd, e) == -1)
				goto fail;
			return 0;
		}
		close(fd);
		o->target = realpath(path, NULL);
		if (o->target == NULL || lstat(o->target, &rs) == -1 ||
		    !S_ISREG(rs.st_mode) || rs.st_dev != fs.st_dev ||
		    rs.st_ino != fs.st_ino) {
			hcerr_set(e, "cannot write '%s': the symbolic link changed "
			    "while it was followed", path);
			goto fail;
		}
		o->keep_owner = 1;
		o->mode = fs.st_mode & 0777;
		o->uid = fs.st_uid;
		o->gid = fs.st_gid;
	} else if (!S_ISREG(st.st_mode)) {
		if (out_in_place(o, -1, e) == -1)
			goto fail;
		return 0;
	} else {
		o->target = xstrdup(path);
		o->keep_owner = 1;
		o->mode = st.st_mode & 0777;
		o->uid = st.st_uid;
		o->gid = st.st_gid;
	}
	if (out_temporary(o, e) == -1)
		goto fail;
	return 0;
fail:
	free(o->path);
	free(o->target);
	memset(o, 0, sizeof(*o));
	return -1;
}

static void
out_release(struct file_out *o)
{
	free(o->path);
	free(o->target);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
}

void
file_out_abort(struct file_out *o)
{
	if (o->f != NULL && !o->is_stdout)
		fclose(o->f);
	if (o->tmp != NULL)
		unlink(o->tmp);
	out_release(o);
}

int
file_out_commit(struct file_out *o, struct hcerr *e)
{
	int fd, rc = -1;

	if (o->is_stdout) {
		if (fflush(o->f) != 0 || ferror(o->f)) {
			hcerr_set(e, "cannot write to standard output: %s",
			    strerror(errno));
			goto out;
		}
		rc = 0;
		goto out;
	}
	if (o->in_place) {
		int bad = ferror(o->f);

		if (fclose(o->f) != 0 || bad) {
			o->f = NULL;
			hcerr_set(e, "cannot write '%s': %s", o->path,
			    strerror(errno));
			goto out;
		}
		o->f = NULL;
		rc = 0;
		goto out;
	}
	fd = fileno(o->f);
	if (fflush(o->f) != 0 || ferror(o->f) || fsync(fd) == -1) {
		hcerr_set(e, "cannot write '%s': %s", o->path, strerror(errno));
		goto out;
	}
	/*
	 * The file replaced keeps its owner where we may keep it (root may;
	 * others only their own), and its mode: a 0600 file stays 0600.
	 */
	if (o->keep_owner && (o->uid != geteuid() || o->gid != getegid()) &&
	    fchown(fd, o->uid, o->gid) == -1)
		(void)!fchown(fd, (uid_t)-1, o->gid);
	if (fchmod(fd, o->mode) == -1) {
		hcerr_set(e, "cannot write '%s': %s", o->path, strerror(errno));
		goto out;
	}
	if (fclose(o->f) != 0) {
		o->f = NULL;
		hcerr_set(e, "cannot write '%s': %s", o->path, strerror(errno));
		goto out;
	}
	o->f = NULL;
	if (rename(o->tmp, o->target) == -1) {
		hcerr_set(e, "cannot write '%s': %s (renaming the finished file "
		    "into place)", o->path, strerror(errno));
		goto out;
	}
	free(o->tmp);
	o->tmp = NULL;
	rc = 0;
out:
	if (rc == 0)
		out_release(o);
	else
		file_out_abort(o);
	return rc;
}

int
file_write_atomic(const char *path, const void *data, size_t len,
    struct hcerr *e)
{
	struct file_out o;

	if (file_out_open(&o, path, e) == -1)
		return -1;
	if (len > 0 && fwrite(data, 1, len, o.f) != len) {
		if (o.is_stdout)
			hcerr_set(e, "cannot write to standard output: %s",
			    strerror(errno));
		else
			hcerr_set(e, "cannot write '%s': %s", path,
			    strerror(errno));
		file_out_abort(&o);
		return -1;
	}
	return file_out_commit(&o, e);
}

/* The path with its directory resolved (the file itself need not exist). */
static char *
resolved_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir, *real, *out;

	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xasprintf("%.*s", (int)(slash - path), path);
	real = realpath(dir, NULL);
	out = real ? xasprintf("%s/%s", real, slash ? slash + 1 : path) : NULL;
	free(dir);
	free(real);
	return out;
}

int
file_same(const char *a, const char *b)
{
	struct stat sa, sb;
	char *ra, *rb;
	int same;

	if (a == NULL || b == NULL || strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return 0;
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0) {
		/* /dev/null twice is no conflict: written in place. */
		if (!S_ISREG(sa.st_mode) && !S_ISDIR(sa.st_mode))
			return 0;
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	}
	if (strcmp(a, b) == 0)
		return 1;
	ra = resolved_name(a);
	rb = resolved_name(b);
	same = ra != NULL && rb != NULL && strcmp(ra, rb) == 0;
	free(ra);
	free(rb);
	return same;
}
