/* Text as files hold it: byte-order marks and UTF-16 from PowerShell's Out-File. */
#ifndef HC_TEXT_H
#define HC_TEXT_H

#include <stddef.h>

/* What text_decode found; several may be set. */
enum text_found {
	TEXT_BOM_UTF8	= 1u << 0,
	TEXT_UTF16LE	= 1u << 1,
	TEXT_UTF16BE	= 1u << 2,
};

/*
 * Returns a NUL-terminated UTF-8 copy of in: a UTF-8 byte-order mark is
 * dropped; UTF-16 (with a BOM, or little-endian ASCII without one, which is
 * what Windows PowerShell 5.1's Out-File writes) is converted, with U+FFFD
 * for unpaired surrogates. *found (may be NULL) receives enum text_found
 * bits; *outlen (may be NULL) the length. Caller frees.
 */
char	*text_decode(const unsigned char *in, size_t len, size_t *outlen,
	    unsigned *found);

/* Whether every byte of s (len bytes) is printable text: no NUL or controls but \t \r \n. */
int	 text_is_plain(const char *s, size_t len);

#endif
