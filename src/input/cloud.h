/* Cloud profiles: every host, URL and name the tool expects in one cloud. */
#ifndef HC_CLOUD_H
#define HC_CLOUD_H

#include <stddef.h>
#include <time.h>

#include "mem.h"
#include "buf.h"

/*
 * The milestones of 2025-2027, per cloud (PROTOCOLS section 12): from each
 * day on (00:00 UTC) the rule applies. T0: EWS through the shared Exchange
 * Online service principal blocked. T1: Exchange Online's EWS gate
 * (EwsEnabled, EwsAllowedAppIDs) enforced. T2: EWS in Exchange Online off;
 * Exchange 2016/2019 lose on-premises -> cloud rich coexistence.
 */
#define CLOUD_T0	"t0_shared_sp_ews_blocked"
#define CLOUD_T1	"t1_exo_ews_gate"
#define CLOUD_T2	"t2_exo_ews_off"

struct cloud_field {
	char		*key;
	struct strlist	 values;	/* one entry for single-valued fields */
	char		*recommended;	/* optional: which value to use */
	char		*source;
	char		*certainty;	/* confirmed, reported, unsettled; unknown (dates) */
	char		*note;		/* optional */
};

struct cloud {
	char			*name;		/* global, china, gcchigh, dod, … */
	char			*display_name;
	struct strlist		 aliases;
	char			*origin;	/* "embedded" or the file it came from */
	int			 builtin;	/* compiled in (endpoints/) */
	char			*sha256;	/* a file's: its SHA-256, hex; else NULL */
	struct cloud_field	*fields;
	size_t			 nfields;
};

struct cloud_set {
	struct cloud	*v;
	size_t		 n;
};

/* Profiles compiled into the binary (generated from endpoints/). */
struct cloud_embedded {
	const char	*name;
	const char	*text;
	size_t		 len;
};
extern const struct cloud_embedded cloud_embedded[];

/* Parses one profile; origin names it in errors. On error *c is empty. */
int	cloud_parse(struct cloud *c, const char *text, size_t len,
	    const char *origin, struct hcerr *e);
void	cloud_release(struct cloud *c);

int	cloud_set_load_embedded(struct cloud_set *s, struct hcerr *e);
/*
 * Loads a file, or every *.json in a directory. A profile adds a cloud; it
 * replaces a built-in namesake (or one whose name is a built-in's alias)
 * only when override is set, and is refused otherwise.
 */
int	cloud_set_load_path(struct cloud_set *s, const char *path, int override,
	    struct hcerr *e);
/* Where c came from, for reports: "built-in" or "FILE (sha256 HEX)"; caller frees. */
char	*cloud_origin_text(const struct cloud *c);
void	cloud_set_release(struct cloud_set *s);

/* By name or alias, case-insensitive; NULL if unknown. */
const struct cloud	*cloud_find(const struct cloud_set *s, const char *name);

const struct cloud_field *cloud_field(const struct cloud *c, const char *key);
/* First value of a field, or NULL. */
const char	*cloud_value(const struct cloud *c, const char *key);
/* The recommended value if set, else the first. */
const char	*cloud_preferred(const struct cloud *c, const char *key);
/* Whether a field lists value (case-insensitive). */
int		 cloud_has_value(const struct cloud *c, const char *key,
		    const char *value);
/*
 * A milestone day (CLOUD_T0 …) as 00:00 UTC into *t; *f (optional) the
 * field, for its source and certainty. -1 when the profile has no such
 * field or its value is "unknown".
 */
int		 cloud_date(const struct cloud *c, const char *key, time_t *t,
		    const struct cloud_field **f);
/* Replaces "{domain}" in a template; caller frees. */
char		*cloud_expand(const char *tmpl, const char *domain);

#endif
