/*
 * Service principal names of Exchange Online as host authorities: parsing
 * what Graph, MSOnline and people write, and which published hosts they
 * cover. Pure functions but spn_load_file.
 */
#ifndef HC_SPN_H
#define HC_SPN_H

#include <stddef.h>

#include "mem.h"
#include "buf.h"


enum spn_kind {
	SPN_HOST,	/* names one host: "…/mail.contoso.com", "https://mail.contoso.com/" */
	SPN_WILDCARD,	/* a wildcard (*.contoso.com): one label under contoso.com */
	SPN_APPID,	/* a bare application id */
	SPN_UNRELATED,	/* another application's id, another service, another URI */
	SPN_MALFORMED,	/* meant as an authority but unusable */
};

enum spn_form {
	SPN_FORM_APPID_HOST,	/* 00000002-…/host */
	SPN_FORM_URL,		/* https://host/ */
	SPN_FORM_OTHER,
};

struct spn_entry {
	char		*raw;		/* as given, cleaned for display */
	enum spn_kind	 kind;
	enum spn_form	 form;
	char		*host;		/* HOST: the host; WILDCARD: the parent domain */
	char		*why;		/* MALFORMED / UNRELATED / APPID: why, else NULL */
	char		*source;	/* "--spn" or the file name */
	size_t		 line;		/* 1-based line (JSON: element), 0 if none */
	long		 dup_of;	/* index of the first equal entry, or -1 */
};

struct spn_set {
	struct spn_entry *v;
	size_t		  n;
	size_t		  cap;		/* allocated entries */
	size_t		 *slots;	/* hash of first occurrences: index + 1, 0 empty */
	size_t		  nslots;	/* a power of two, or 0 */
};

void	spn_set_init(struct spn_set *s);
void	spn_set_release(struct spn_set *s);
struct spn_set *spn_set_new(void);
void	spn_set_free(struct spn_set *s);

/* Classifies one entry and appends it (empty text is ignored). */
void	spn_add(struct spn_set *s, const char *text, const char *source,
	    size_t line);

/*
 * Adds the entries in a document: a JSON array of strings, a JSON object
 * holding servicePrincipalNames (Graph), or lines as PowerShell prints
 * them (Format-List "{a, b, c}", one per line, bullets, quotes, CRLF, BOM,
 * UTF-16). Returns -1 with e set only when data is not text at all or is a
 * JSON object without SPNs; odd entries are added as malformed.
 */
int	spn_parse_text(struct spn_set *s, const char *data, size_t len,
	    const char *source, struct hcerr *e);
int	spn_load_file(struct spn_set *s, const char *path, struct hcerr *e);

/* Whether entry e covers host (normalised): exact, or one label under a wildcard. */
int	spn_covers(const struct spn_entry *e, const char *host);

/* The first entry covering host, or -1. */
long	spn_find_cover(const struct spn_set *s, const char *host);

/*
 * Entries that nearly cover host, each explained ("*.contoso.com does not
 * cover the apex contoso.com"), appended to out.
 */
void	spn_near_misses(const struct spn_set *s, const char *host,
	    struct strlist *out);

/* The coverage of a list of hosts, and what to add. */
struct spn_cover {
	char	*host;
	long	 entry;		/* covering entry index, or -1 */
	long	 add;		/* index into plan.add that would cover it, or -1 */
};

struct spn_plan {
	struct spn_cover *hosts;
	size_t		  nhosts;
	struct strlist	  add;		/* full SPNs to add, in the appid/host form */
	struct strlist	  add_covers;	/* for each add: the missing hosts it covers, ", "-joined */
	long		 *unused;	/* HOST/WILDCARD entries covering no host */
	size_t		  nunused;
};

/*
 * Builds the coverage matrix for hosts and the smallest set of entries to
 * add: one wildcard "*.parent" where two or more missing hosts sit one
 * label under the same parent, else exact hosts; never a wildcard over an
 * apex or a single-label parent. When domains is not NULL and not empty,
 * a wildcard's parent must lie within one of them.
 */
void	spn_plan_build(const struct spn_set *s, const struct strlist *hosts,
	    const struct strlist *domains, struct spn_plan *p);
void	spn_plan_release(struct spn_plan *p);

const char *spn_kind_name(enum spn_kind k);

/* The entry as the authority it stands for: "*.contoso.com", "mail.contoso.com". */
void	spn_authority(const struct spn_entry *e, char *buf, size_t len);

#endif
