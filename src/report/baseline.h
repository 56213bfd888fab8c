/*
 * Baselines for verify: an earlier JSON report (schema hybridcheck.report/1)
 * read leniently, and its comparison with this run's findings by
 * (check, subject, probe).
 */
#ifndef HC_BASELINE_H
#define HC_BASELINE_H

#include <stddef.h>

#include "buf.h"
#include "findings.h"
#include "mem.h"

/* Reports are small; this cap only stops a wrong file from eating memory. */
#define BASELINE_MAX	(32u * 1024 * 1024)
/*
 * A report holds a few findings per check and host, hundreds at most; the
 * comparison is quadratic, so a baseline with more is refused (80000 took
 * over two minutes before this cap).
 */
#define BASELINE_FINDINGS_MAX	10000

struct baseline_entry {
	char		*check;
	char		*subject;
	char		*probe;		/* "" when the report had none */
	enum severity	 severity;
};

struct baseline {
	char			*origin;	/* the file, for messages */
	struct baseline_entry	*v;
	size_t			 n;
	int			 has_probe;	/* some finding names its probe */
};

/*
 * The kind of request a finding's evidence shows ("ews",
 * "autodiscover.svc", "metadata", …, else the URL's path), from its "url"
 * evidence "METHOD URL"; "" when it shows none. Two findings of one check
 * on one host (EWS and Autodiscover) differ by it, so they never merge.
 */
void	baseline_probe_kind(const struct finding *fd, char *buf, size_t len);

/*
 * Parses a JSON report: an object with a "findings" array (or the array
 * itself); each finding needs "check" and "severity" (any case), "subject"
 * and "probe" may be absent or null; other members are ignored. Errors name the
 * origin and the JSON path: "findings[3].severity: expected …".
 * On error *b is empty.
 */
int	baseline_parse(struct baseline *b, const char *text, size_t len,
	    const char *origin, struct hcerr *e);
int	baseline_load(struct baseline *b, const char *path, struct hcerr *e);
void	baseline_release(struct baseline *b);

enum diff_kind {
	DIFF_REGRESSED,	/* was pass/info/skip, now warn/fail/error; or worse */
	DIFF_UNVERIFIED, /* was warn/fail/error, now skipped or not judged */
	DIFF_NEW,	/* not in the baseline */
	DIFF_FIXED,	/* was warn/fail/error, now pass/info */
	DIFF_CHANGED,	/* another severity, neither fixed nor regressed */
	DIFF_GONE,	/* in the baseline, not in this run */
	DIFF_NKINDS,
};

struct diff_item {
	enum diff_kind	 kind;
	const char	*check;		/* borrowed from the findings or baseline */
	const char	*subject;
	const char	*probe;		/* "" or a probe kind (owned by the diff) */
	int		 has_was, has_now;
	enum severity	 was, now;
};

struct diff {
	struct diff_item *v;	/* ordered by kind, then report order */
	size_t		  n;
	size_t		  count[DIFF_NKINDS];
	size_t		  unchanged;
	const char	 *origin;
	struct strlist	  probes;	/* the probe kinds the items point into */
};

const char	*diff_kind_name(enum diff_kind k);

/*
 * Compares; the items borrow strings from b and f, which must outlive d.
 * Several findings with one (check, subject, probe) count as their worst;
 * a baseline that names no probe is compared by (check, subject). A
 * problem of the baseline (warn, fail, error) that is now skipped or not
 * judged at all is unverified, never fixed or gone; a skip that stands
 * for it is not listed as new.
 */
void	diff_compute(struct diff *d, const struct baseline *b,
	    const struct findings *f);
void	diff_release(struct diff *d);

#endif
