/* Base64: the value of a character in either alphabet, and base64url output. */
#ifndef HC_B64_H
#define HC_B64_H

#include <stddef.h>

/* The 6-bit value of a base64 character, standard or URL alphabet; -1 if none. */
int	b64_value(int c);

/*
 * Base64url without padding (x5t values): writes at most outlen - 1
 * characters and a NUL; returns -1 when out is too small for all of them.
 */
int	b64url_encode(const unsigned char *p, size_t n, char *out, size_t outlen);

#endif
