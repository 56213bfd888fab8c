/* Findings: what the checks conclude, with their evidence. */
#ifndef HC_FINDINGS_H
#define HC_FINDINGS_H

#include <stddef.h>

/* Ordered from best to worst; the worst one seen decides the exit code. */
enum severity {
	SEV_PASS,
	SEV_SKIP,
	SEV_INFO,
	SEV_WARN,
	SEV_FAIL,
	SEV_ERROR,
};

struct evidence {
	char	*key;
	char	*value;
};

struct finding {
	char		*check;		/* stable check id, e.g. "spn.coverage" */
	const char	*title;		/* the check's title (static), or NULL */
	enum severity	 severity;
	char		*subject;	/* the host, object or file judged */
	char		*message;	/* one line */
	struct evidence	*ev;		/* ordered as added */
	size_t		 nev;
	char		*remedy;	/* remedy id or NULL */
};

/*
 * Each finding is allocated on its own, so a pointer returned by
 * findings_add() stays valid however many findings follow, until
 * findings_release().
 */
struct findings {
	struct finding	**v;
	size_t		  n;
	const char	*current_check;	/* set by the check runner */
	const char	*current_title;	/* likewise, the check's title */
};

const char	*severity_name(enum severity s);
int		 severity_parse(const char *s, enum severity *out);

/* Adds a finding for the check being run (findings->current_check). */
struct finding	*findings_add(struct findings *f, enum severity sev,
		    const char *subject, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
/* Same, naming the check explicitly. */
struct finding	*findings_add_for(struct findings *f, const char *check,
		    enum severity sev, const char *subject, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
void		 finding_evidence(struct finding *fd, const char *key,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void		 finding_remedy(struct finding *fd, const char *remedy);
const char	*finding_get(const struct finding *fd, const char *key);

enum severity	 findings_worst(const struct findings *f);
void		 findings_count(const struct findings *f, size_t counts[SEV_ERROR + 1]);
void		 findings_release(struct findings *f);

/* Exit codes, documented in hybridcheck(1). */
enum {
	EXIT_OK = 0,		/* nothing worse than info */
	EXIT_WARN = 1,		/* warnings */
	EXIT_FAIL = 2,		/* failures (or a regression in verify) */
	EXIT_INCOMPLETE = 3,	/* could not complete */
	EXIT_USAGE = 64,	/* bad command line */
};

/* The exit code for a set of findings: worst severity, or 3 if nothing ran. */
int		 findings_exit_code(const struct findings *f);

#endif
