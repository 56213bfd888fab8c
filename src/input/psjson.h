/*
 * Lenient readers for the JSON Windows PowerShell writes: property names
 * in any case, a lone object or scalar where an array belongs,
 * {"value":[…],"Count":n} wrappers, "\/Date(ms)\/" dates, enums as names
 * or numbers, booleans as words, GUIDs in braces, Uri and SmtpDomain values
 * as objects. Each reader leaves its output empty (NULL, 0, TRI_UNKNOWN)
 * when the key is absent or null, and on anything else it cannot read sets
 * the error with the JSON path and what was expected, and returns -1.
 */
#ifndef HC_PSJSON_H
#define HC_PSJSON_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "mem.h"
#include "buf.h"

/* Where the walk is, for error messages: "$.onPremises.servers[3].fqdn". */
struct psjson {
	const char	*origin;
	struct hcerr	*e;
	char		 path[400];
	size_t		 len;
};

/* Appends ".key" or "[i]" to the path; returns what psjson_pop() restores. */
size_t	psjson_push_key(struct psjson *j, const char *key);
size_t	psjson_push_index(struct psjson *j, size_t i);
void	psjson_pop(struct psjson *j, size_t old);

/* Sets the error for the value at the current path (plus key); returns -1. */
int	psjson_bad(struct psjson *j, const char *key, const char *expected,
	    const cJSON *got);
/* 1 for a missing value or null. */
int	psjson_absent(const cJSON *v);
/* The scalar inside {"value":x}, Uri, SmtpDomain or SmtpAddress objects. */
const cJSON *psjson_unwrap(const cJSON *v);

/* Field readers; strings returned in *out are the caller's. */
int	psjson_str(struct psjson *j, const cJSON *obj, const char *key,
	    char **out);
int	psjson_bool(struct psjson *j, const cJSON *obj, const char *key,
	    enum tristate *out);
int	psjson_date(struct psjson *j, const cJSON *obj, const char *key,
	    time_t *out);
int	psjson_strlist(struct psjson *j, const cJSON *obj, const char *key,
	    struct strlist *out);
/* *out is the index in names[] or -1; *text keeps what was written. */
int	psjson_enum(struct psjson *j, const cJSON *obj, const char *key,
	    const char *const *names, size_t nnames, int *out, char **text);
/* A GUID, braces dropped, lower-cased; "" reads as absent. */
int	psjson_guid(struct psjson *j, const cJSON *obj, const char *key,
	    char **out);
/* Base64 DER or a byte array; *text (optional) is the base64 as written. */
int	psjson_der(struct psjson *j, const cJSON *obj, const char *key,
	    unsigned char **der, size_t *len, char **text);
/* An object, or absent (*out NULL); anything else is an error. */
int	psjson_object(struct psjson *j, const cJSON *parent, const char *key,
	    const cJSON **out);

/*
 * An array where PowerShell may have written a lone object, a lone scalar,
 * or {"value":[…],"Count":n}. Yields the first element and whether the
 * value is itself that lone element; NULL cur means empty.
 */
struct psjson_iter {
	const cJSON	*cur;
	int		 lone;
	size_t		 i;
};

int	psjson_iter_begin(struct psjson *j, const cJSON *v,
	    struct psjson_iter *it, int *present);
void	psjson_iter_next(struct psjson_iter *it);
size_t	psjson_iter_count(struct psjson *j, const cJSON *v);

/*
 * Walks an array of objects at key, calling fn for each with the path
 * pointing at the element. *items (size bytes each) is the caller's; after
 * an error it holds the *n elements begun, for the caller's free function.
 */
typedef int (*psjson_item_fn)(struct psjson *, const cJSON *, void *);

int	psjson_each(struct psjson *j, const cJSON *obj, const char *key,
	    void **items, size_t *n, size_t size, psjson_item_fn fn,
	    int *present);

/* Base64 (standard or URL alphabet, whitespace and padding optional). */
int	psjson_b64_decode(const char *s, unsigned char **out, size_t *outlen);

#endif
