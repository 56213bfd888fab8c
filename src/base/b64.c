/* Base64 alphabets: one value table for every decoder, the x5t encoder. */
#include "b64.h"

#include <stddef.h>

int
b64_value(int c)
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

int
b64url_encode(const unsigned char *p, size_t n, char *out, size_t outlen)
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
