/*
 * The certificate authorities a run trusts, loaded once and shared by every
 * TLS connection of the run (every engine, every worker): libcurl is given
 * no CA file or directory of its own, so it never builds a store per
 * connection, and the roots are exactly these.
 *
 * The roots are, as curl's --cacert and --capath mean them:
 *   --ca-file FILE  only the certificates in FILE (the system's are not trusted);
 *   otherwise       the system bundle: $SSL_CERT_FILE when set (as OpenSSL and
 *                   curl read it), else libcurl's built-in CA bundle, else
 *                   OpenSSL's default file;
 *   --ca-add FILE   (repeatable) more certificates, added to either.
 */
#ifndef HC_CASTORE_H
#define HC_CASTORE_H

#include <openssl/x509.h>

#include "buf.h"
#include "mem.h"

/*
 * The run's store for these roots, with a reference for the caller
 * (X509_STORE_free when done). The same roots asked for again return the
 * same store without reading any file. NULL with e set when a file cannot
 * be read or holds no certificate.
 */
X509_STORE	*ca_store_get(const char *ca_file, const struct strlist *ca_add,
		    struct hcerr *e);
/* The system bundle, as above ("" when none is known). */
const char	*ca_store_system_bundle(void);
/* CA files read so far by this process (each read parses every certificate). */
unsigned long	 ca_store_files_read(void);

#endif
