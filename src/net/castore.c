#include "castore.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "file.h"
#include "str.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static X509_STORE *cached;	/* the store of the roots below */
static char *cached_key;	/* the files it was made from, one per line */
static unsigned long files_read;
static char system_bundle[4096];
static int system_known;

const char *
ca_store_system_bundle(void)
{
	const char *env, *path = NULL;
	CURL *easy;
	char *curl_path = NULL;

	pthread_mutex_lock(&lock);
	if (system_known) {
		pthread_mutex_unlock(&lock);
		return system_bundle;
	}
	/* As OpenSSL and curl read it. */
	env = getenv(X509_get_default_cert_file_env());
	if (env != NULL && *env != '\0')
		path = env;
	/* libcurl's built-in bundle (Debian: /etc/ssl/certs/ca-certificates.crt). */
	if (path == NULL && (easy = curl_easy_init()) != NULL) {
		if (curl_easy_getinfo(easy, CURLINFO_CAINFO, &curl_path) == CURLE_OK &&
		    curl_path != NULL && *curl_path != '\0')
			snprintf(system_bundle, sizeof(system_bundle), "%s", curl_path);
		curl_easy_cleanup(easy);
	}
	if (path != NULL)
		snprintf(system_bundle, sizeof(system_bundle), "%s", path);
	else if (system_bundle[0] == '\0')
		snprintf(system_bundle, sizeof(system_bundle), "%s",
		    X509_get_default_cert_file());
	system_known = 1;
	pthread_mutex_unlock(&lock);
	return system_bundle;
}

unsigned long
ca_store_files_read(void)
{
	unsigned long n;

	pthread_mutex_lock(&lock);
	n = files_read;
	pthread_mutex_unlock(&lock);
	return n;
}

/* A CA bundle larger than this is not one (Debian's is about 220 KB). */
#define CA_FILE_MAX	(16u * 1024 * 1024)

/*
 * Every certificate of a PEM file into the store; -1 when none. Read as
 * every input is (file_read): a regular file only, so a FIFO or a device
 * named by --ca-file or --ca-add is refused instead of blocking.
 */
static int
load_file(X509_STORE *store, const char *path, struct hcerr *e)
{
	char *text = NULL;
	size_t len = 0;
	BIO *bio;
	X509 *x;
	int n = 0;
	struct hcerr fe = { "" };

	if (strcmp(path, "-") == 0) {
		hcerr_set(e, "CA file '-': name a file, not standard input");
		return -1;
	}
	if (file_read(path, CA_FILE_MAX, &text, &len, &fe) == -1) {
		hcerr_set(e, "CA file: %s", fe.msg);
		return -1;
	}
	files_read++;
	if ((bio = BIO_new_mem_buf(text, (int)len)) == NULL) {
		free(text);
		hcerr_set(e, "CA file '%s': out of memory", path);
		return -1;
	}
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		/* A certificate listed twice is not an error. */
		if (X509_STORE_add_cert(store, x) != 1)
			ERR_clear_error();
		X509_free(x);
		n++;
	}
	ERR_clear_error();
	BIO_free(bio);
	free(text);
	if (n == 0) {
		hcerr_set(e, "CA file '%s': no PEM certificate in it", path);
		return -1;
	}
	return 0;
}

X509_STORE *
ca_store_get(const char *ca_file, const struct strlist *ca_add, struct hcerr *e)
{
	const char *roots = ca_file != NULL ? ca_file : ca_store_system_bundle();
	X509_STORE *store = NULL;
	struct buf key;
	char *k;

	buf_init(&key, 256);
	buf_printf(&key, "%s\n", roots);
	for (size_t i = 0; ca_add != NULL && i < ca_add->n; i++)
		buf_printf(&key, "%s\n", ca_add->v[i]);
	k = buf_steal(&key);

	pthread_mutex_lock(&lock);
	if (cached != NULL && strcmp(cached_key, k) == 0) {
		X509_STORE_up_ref(cached);
		store = cached;
		goto out;
	}
	if ((store = X509_STORE_new()) == NULL) {
		hcerr_set(e, "cannot make a certificate store");
		goto out;
	}
	if (*roots == '\0') {
		hcerr_set(e, "no system CA bundle is known: name one with --ca-file");
		goto bad;
	}
	if (load_file(store, roots, e) == -1)
		goto bad;
	for (size_t i = 0; ca_add != NULL && i < ca_add->n; i++)
		if (load_file(store, ca_add->v[i], e) == -1)
			goto bad;
	/*
	 * As libcurl sets up its own stores: the trusted issuer first (a legacy
	 * cross-signed intermediate does not win), and an intermediate in the
	 * file is an anchor of its own.
	 */
	X509_STORE_set_flags(store, X509_V_FLAG_TRUSTED_FIRST |
	    X509_V_FLAG_PARTIAL_CHAIN);
	/* Kept for the process: the next engine with the same roots reuses it. */
	if (cached != NULL)
		X509_STORE_free(cached);
	free(cached_key);
	cached = store;
	cached_key = k;
	k = NULL;
	X509_STORE_up_ref(store);
	goto out;
bad:
	X509_STORE_free(store);
	store = NULL;
out:
	pthread_mutex_unlock(&lock);
	free(k);
	return store;
}
