/*
 * The Exchange Auth certificate: loading it from the files administrators
 * have (DER .cer, PEM, the bare base64 of the upload script, PFX) and the
 * facts the checks judge. Pure functions but cert_load (a file, perhaps a
 * password prompt on the terminal).
 */
#ifndef HC_CERT_H
#define HC_CERT_H

#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

#include "mem.h"

#define CERT_THUMBPRINT_LEN	40	/* SHA-1, upper-case hex */
#define CERT_SHA256_LEN		64
#define CERT_X5T_LEN		27	/* base64url of 20 bytes, no padding */
#define CERT_PFX_PASSWORD_ENV	"HYBRIDCHECK_PFX_PASSWORD"
#define CERT_DEFAULT_SUBJECT	"CN=Microsoft Exchange Server Auth Certificate"

/* How the certificate was written; found from the content, not the name. */
enum cert_format {
	CERT_FMT_DER,		/* binary X.509, what ExportAuthCert.ps1 writes */
	CERT_FMT_PEM,		/* -----BEGIN CERTIFICATE----- */
	CERT_FMT_BASE64,	/* bare base64 of the DER ($credValue) */
	CERT_FMT_PFX,		/* PKCS#12, binary or base64 */
};

struct authcert {
	unsigned char	*der;		/* the certificate's DER bytes */
	size_t		 der_len;
	X509		*x509;
	char		 thumbprint[CERT_THUMBPRINT_LEN + 1];	/* SHA-1 of der */
	char		 sha256[CERT_SHA256_LEN + 1];
	char		 x5t[CERT_X5T_LEN + 1];	/* base64url(SHA-1), no padding */
	char		*subject;	/* "CN=…, O=…", most specific first */
	char		*issuer;
	char		*serial;	/* hex */
	time_t		 not_before;
	time_t		 not_after;
	char		 key_type[16];	/* "RSA", "EC", … */
	int		 key_bits;
	char		*sig_alg;	/* OpenSSL's name: "sha1WithRSAEncryption" */
	const char	*sig_alg_windows;	/* what Windows shows: "sha1RSA" */
	int		 self_signed;
	int		 has_private_key;	/* the file also held a private key */
	EVP_PKEY	*private_key;	/* only with CERT_LOAD_KEEP_KEY; see cert_drop_key */
	enum cert_format format;
	unsigned	 text_found;	/* enum text_found bits (BOM, UTF-16) */
	char		*source;	/* the file name, or "snapshot" */
};

/* cert_load flags. */
#define CERT_LOAD_NO_PROMPT	0x1	/* never ask on the terminal */
#define CERT_LOAD_KEEP_KEY	0x2	/* keep a PFX's private key, for signing */

/*
 * Loads the certificate in path, whatever its format. A PFX is opened
 * with the empty password first, then with $HYBRIDCHECK_PFX_PASSWORD, then
 * (when interactive and not CERT_LOAD_NO_PROMPT) a password read from
 * /dev/tty with echo off. The environment's password may have any length;
 * a typed one longer than the prompt's limit (1024 characters) is refused
 * with an error that says so, never cut. Passwords and private keys are
 * wiped from memory as soon as they are used; with CERT_LOAD_KEEP_KEY a
 * PFX's private key is kept in ->private_key until cert_drop_key() or
 * cert_free(). Returns a certificate the caller frees with cert_free(),
 * or NULL with e naming the file and what was expected.
 */
struct authcert	*cert_load(const char *path, unsigned flags, struct hcerr *e);

/*
 * Parses a certificate held in memory (the contents of a file named
 * source). password is used for a PFX (NULL: only the empty one).
 * Caller frees the result.
 */
struct authcert	*cert_parse(const unsigned char *data, size_t len,
		    const char *source, const char *password, struct hcerr *e);

/* From DER bytes or base64 text (whitespace ignored), e.g. snapshot data. */
struct authcert	*cert_from_der(const unsigned char *der, size_t len,
		    const char *source, struct hcerr *e);
struct authcert	*cert_from_base64(const char *b64, const char *source,
		    struct hcerr *e);

void		 cert_free(struct authcert *c);

/*
 * Frees the private key kept by CERT_LOAD_KEEP_KEY (EVP_PKEY_free clears
 * its private components): call it as soon as the signing is done.
 */
void		 cert_drop_key(struct authcert *c);

/* Whether a and b are the same certificate (same DER bytes). */
int		 cert_equal(const struct authcert *a, const struct authcert *b);

/* What cert_thumbprint_normalize removed or changed (bits). */
enum cert_tp_change {
	CERT_TP_INVISIBLE	= 1u << 0,	/* U+200E, U+FEFF and the like */
	CERT_TP_SEPARATORS	= 1u << 1,	/* spaces, colons, dashes */
	CERT_TP_CASE		= 1u << 2,	/* lower-case hex */
	CERT_TP_QUOTES		= 1u << 3,	/* quotes around it */
};

/*
 * Normalises a thumbprint as copied from Get-AuthConfig, the Windows
 * certificate dialog or a portal: drops invisible marks, spaces, colons,
 * dashes and surrounding quotes, upper-cases, and demands 40 hex digits.
 * out holds CERT_THUMBPRINT_LEN + 1 bytes; *changed (may be NULL) receives
 * enum cert_tp_change bits. Returns 0, or -1 with e saying what is wrong.
 */
int		 cert_thumbprint_normalize(const char *in, char *out,
		    unsigned *changed, struct hcerr *e);

/* "removed U+200E, removed spaces" for the changed bits, into buf. */
void		 cert_thumbprint_changes(unsigned changed, char *buf, size_t len);

/* in with invisible marks made visible ("<U+200E>AB12…"), for messages. Caller frees. */
char		*cert_thumbprint_show(const char *in);

/* Whether two thumbprints name the same SHA-1 once normalised (0 if either is bad). */
int		 cert_thumbprint_eq(const char *a, const char *b);

/* The base64 of the DER on one line, as Graph's key credential wants it. Caller frees. */
char		*cert_upload_value(const struct authcert *c);

/* Whole days from now until t (negative when past), rounded towards the past. */
long		 cert_days_until(time_t t, time_t now);

int		 cert_is_default_subject(const struct authcert *c);
const char	*cert_format_name(enum cert_format f);

#endif
