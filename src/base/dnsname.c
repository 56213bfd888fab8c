#include "dnsname.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>
#include "str.h"

static int
check_ascii(const char *s, struct hcerr *e, const char *orig)
{
	size_t len = strlen(s), label = 0;
	const char *start = s;

	if (len == 0) {
		hcerr_set(e, "'%s' is not a DNS name: it is empty", orig);
		return -1;
	}
	if (len > DNSNAME_MAX) {
		hcerr_set(e, "'%.40s…' is not a DNS name: %zu bytes, at most %d",
		    orig, len, DNSNAME_MAX);
		return -1;
	}
	for (const char *p = s;; p++) {
		if (*p == '.' || *p == '\0') {
			if (label == 0) {
				hcerr_set(e, "'%s' is not a DNS name: empty label",
				    orig);
				return -1;
			}
			if (label > 63) {
				hcerr_set(e, "'%s' is not a DNS name: a label is "
				    "longer than 63 bytes", orig);
				return -1;
			}
			if (start[0] == '-' || p[-1] == '-') {
				hcerr_set(e, "'%s' is not a DNS name: a label starts "
				    "or ends with '-'", orig);
				return -1;
			}
			if (*p == '\0')
				break;
			label = 0;
			start = p + 1;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-') {
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
				hcerr_set(e, "'%s' is not a DNS name: control or "
				    "non-ASCII byte 0x%02x", orig, (unsigned char)*p);
			else
				hcerr_set(e, "'%s' is not a DNS name: character '%c' "
				    "is not allowed", orig, *p);
			return -1;
		}
		label++;
	}
	return 0;
}

int
dnsname_is_valid(const char *s)
{
	return check_ascii(s, NULL, s) == 0;
}

char *
dnsname_normalize(const char *in, struct hcerr *e)
{
	char *work = NULL, *ascii = NULL, *out = NULL;
	size_t len;
	int non_ascii = 0, rc;

	if (in == NULL || *in == '\0') {
		hcerr_set(e, "empty DNS name");
		return NULL;
	}
	work = xstrdup(in);
	len = strlen(work);
	if (len > 1 && work[len - 1] == '.')
		work[--len] = '\0';
	for (const char *p = work; *p; p++)
		if ((unsigned char)*p >= 0x80)
			non_ascii = 1;
	if (non_ascii) {
		rc = idn2_to_ascii_8z(work, &ascii, IDN2_NONTRANSITIONAL);
		if (rc != IDN2_OK) {
			hcerr_set(e, "'%s' is not a DNS name: %s", in,
			    idn2_strerror(rc));
			goto out;
		}
		out = xstrdup(ascii);
		idn2_free(ascii);
	} else
		out = xstrdup(work);
	str_lower(out);
	if (check_ascii(out, e, in) == -1) {
		free(out);
		out = NULL;
	}
out:
	free(work);
	return out;
}

size_t
dnsname_labels(const char *s)
{
	size_t n = *s ? 1 : 0;

	for (; *s; s++)
		if (*s == '.' && s[1] != '\0')
			n++;
	return n;
}
