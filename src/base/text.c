#include "text.h"

#include <string.h>

#include "mem.h"
#include "buf.h"

static void
put_utf8(struct buf *b, unsigned long cp)
{
	unsigned char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | (cp >> 18));
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_append(b, u, n);
}

static char *
from_utf16(const unsigned char *p, size_t len, int be, size_t *outlen)
{
	struct buf b;

	buf_init(&b, (size_t)-1);
	buf_append(&b, "", 0);
	for (size_t i = 0; i + 1 < len; i += 2) {
		unsigned long u = be ? (unsigned long)(p[i] << 8 | p[i + 1]) :
		    (unsigned long)(p[i + 1] << 8 | p[i]);

		if (u >= 0xd800 && u <= 0xdbff && i + 3 < len) {
			unsigned long lo = be ? (unsigned long)(p[i + 2] << 8 | p[i + 3]) :
			    (unsigned long)(p[i + 3] << 8 | p[i + 2]);

			if (lo >= 0xdc00 && lo <= 0xdfff) {
				put_utf8(&b, 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00));
				i += 2;
				continue;
			}
		}
		if (u >= 0xd800 && u <= 0xdfff)
			u = 0xfffd;
		put_utf8(&b, u);
	}
	if (outlen != NULL)
		*outlen = b.len;
	return buf_steal(&b);
}

/* Little-endian UTF-16 of ASCII text: every odd byte is zero, even ones are not. */
static int
looks_utf16le(const unsigned char *p, size_t len)
{
	size_t n = len < 64 ? len : 64;

	if (len < 4 || len % 2 != 0)
		return 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		if (p[i] == 0 || p[i + 1] != 0)
			return 0;
	return 1;
}

char *
text_decode(const unsigned char *in, size_t len, size_t *outlen, unsigned *found)
{
	unsigned f = 0;
	char *out;

	if (len >= 2 && in[0] == 0xff && in[1] == 0xfe) {
		f |= TEXT_UTF16LE;
		out = from_utf16(in + 2, len - 2, 0, outlen);
	} else if (len >= 2 && in[0] == 0xfe && in[1] == 0xff) {
		f |= TEXT_UTF16BE;
		out = from_utf16(in + 2, len - 2, 1, outlen);
	} else if (looks_utf16le(in, len)) {
		f |= TEXT_UTF16LE;
		out = from_utf16(in, len, 0, outlen);
	} else {
		if (len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0) {
			f |= TEXT_BOM_UTF8;
			in += 3;
			len -= 3;
		}
		out = xmalloc(len + 1);
		memcpy(out, in, len);
		out[len] = '\0';
		if (outlen != NULL)
			*outlen = len;
	}
	/* A BOM encoded once more inside UTF-16 text. */
	if ((f & (TEXT_UTF16LE | TEXT_UTF16BE)) &&
	    strncmp(out, "\xef\xbb\xbf", 3) == 0) {
		size_t n = strlen(out + 3);

		memmove(out, out + 3, n + 1);
		if (outlen != NULL)
			*outlen -= 3;
	}
	if (found != NULL)
		*found = f;
	return out;
}

int
text_is_plain(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
			return 0;
	}
	return 1;
}
