#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

void
hcerr_set(struct hcerr *e, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

static void
oom(void)
{
	fputs("hybridcheck: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom();
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		oom();
	p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	size_t need;

	if (n > b->max || b->len > b->max - n)
		return -1;
	need = b->len + n + 1;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < need)
			cap = cap > SIZE_MAX / 2 ? need : cap * 2;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int rc;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	rc = buf_append(b, s, strlen(s));
	free(s);
	return rc;
}

void
buf_release(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *
buf_steal(struct buf *b)
{
	char *p = b->data ? b->data : xstrdup("");

	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
strlist_add(struct strlist *l, const char *s)
{
	strlist_add_owned(l, xstrdup(s));
}

void
strlist_add_owned(struct strlist *l, char *s)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = s;
}

int
strlist_contains_ci(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

void
strlist_release(struct strlist *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int
util_read_file(const char *path, size_t max, char **out, size_t *len,
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
util_write_atomic(const char *path, const void *data, size_t len,
    struct hcerr *e)
{
	char *tmp = NULL, *real = NULL;
	const char *p = data;
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
	if ((real = realpath(path, NULL)) != NULL)
		path = real;
	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) == -1) {
		hcerr_set(e, "cannot create '%s': %s", tmp, strerror(errno));
		goto out;
	}
	if (write_all(fd, p, len) == -1) {
		hcerr_set(e, "cannot write '%s': %s", tmp, strerror(errno));
		goto out;
	}
	if (fsync(fd) == -1) {
		hcerr_set(e, "cannot write '%s': %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		hcerr_set(e, "cannot write '%s': %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		hcerr_set(e, "cannot rename '%s' to '%s': %s", tmp, path,
		    strerror(errno));
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

void
util_iso8601(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "invalid-time");
}

static int
digits(const char **s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)**s))
			return -1;
		v = v * 10 + (**s - '0');
		(*s)++;
	}
	*out = v;
	return 0;
}

int
util_parse_iso8601(const char *s, time_t *out)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0, off = 0;

	memset(&tm, 0, sizeof(tm));
	if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) ||
	    *s++ != '-' || digits(&s, 2, &d))
		return -1;
	if (*s == 'T' || *s == 't' || *s == ' ') {
		s++;
		if (digits(&s, 2, &h) || *s++ != ':' || digits(&s, 2, &mi))
			return -1;
		if (*s == ':') {
			s++;
			if (digits(&s, 2, &sec))
				return -1;
		}
		if (*s == '.' || *s == ',') {
			s++;
			if (!isdigit((unsigned char)*s))
				return -1;
			while (isdigit((unsigned char)*s))
				s++;
		}
		if (*s == 'Z' || *s == 'z')
			s++;
		else if (*s == '+' || *s == '-') {
			int sign = *s++ == '-' ? -1 : 1, oh, om = 0;

			if (digits(&s, 2, &oh))
				return -1;
			if (*s == ':')
				s++;
			if (*s != '\0' && digits(&s, 2, &om))
				return -1;
			off = sign * (oh * 3600 + om * 60);
		}
	}
	if (*s != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = timegm(&tm) - off;
	return 0;
}

int
util_strcaseeq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

int
util_has_suffix_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int
util_is_guid(const char *s, size_t len)
{
	static const size_t dash[] = { 8, 13, 18, 23 };

	if (len != 36)
		return 0;
	for (size_t i = 0, d = 0; i < len; i++) {
		if (d < 4 && i == dash[d]) {
			if (s[i] != '-')
				return 0;
			d++;
		} else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

int
util_b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

void
util_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Length of the valid UTF-8 sequence at p, or 0. */
static size_t
utf8_seq(const unsigned char *p)
{
	unsigned c = p[0];
	size_t n;
	unsigned min, cp;

	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		n = 2;
		min = 0x80;
		cp = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		min = 0x800;
		cp = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		min = 0x10000;
		cp = c & 0x07;
	} else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp >= 0x80 && cp < 0xa0)	/* C1 controls */
		return 0;
	return n;
}

char *
util_clean_text(const char *s)
{
	struct buf b;
	const unsigned char *p = (const unsigned char *)s;

	buf_init(&b, (size_t)-1);
	buf_append(&b, "", 0);
	while (*p) {
		size_t n = utf8_seq(p);

		if (n == 0) {
			buf_append(&b, "\xef\xbf\xbd", 3);
			p++;
		} else if (n == 1 && (*p < 0x20 || *p == 0x7f)) {
			buf_append(&b, "?", 1);
			p++;
		} else {
			buf_append(&b, p, n);
			p += n;
		}
	}
	return buf_steal(&b);
}

int
util_b64url(const unsigned char *p, size_t n, char *out, size_t outlen)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t o = 0, need = (n * 8 + 5) / 6;
	unsigned acc = 0;
	int bits = 0;

	if (outlen == 0)
		return -1;
	for (size_t i = 0; i < n && o + 1 < outlen; i++) {
		acc = (acc << 8) | p[i];
		bits += 8;
		while (bits >= 6 && o + 1 < outlen) {
			bits -= 6;
			out[o++] = a[(acc >> bits) & 63];
		}
	}
	if (bits > 0 && o + 1 < outlen)
		out[o++] = a[(acc << (6 - bits)) & 63];
	out[o] = '\0';
	return o == need ? 0 : -1;
}
