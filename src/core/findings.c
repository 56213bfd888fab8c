#include "findings.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "str.h"

static const char *const sev_names[] = {
	[SEV_PASS] = "pass",
	[SEV_SKIP] = "skip",
	[SEV_INFO] = "info",
	[SEV_WARN] = "warn",
	[SEV_FAIL] = "fail",
	[SEV_ERROR] = "error",
};

const char *
severity_name(enum severity s)
{
	return (unsigned)s <= SEV_ERROR ? sev_names[s] : "unknown";
}

int
severity_parse(const char *s, enum severity *out)
{
	for (unsigned i = 0; i <= SEV_ERROR; i++)
		if (strcmp(s, sev_names[i]) == 0) {
			*out = (enum severity)i;
			return 0;
		}
	return -1;
}

/* Formats, then strips what could corrupt a terminal or a report. */
static char *
clean_vprintf(const char *fmt, va_list ap)
{
	char *raw = xvasprintf(fmt, ap), *clean = str_clean_text(raw);

	free(raw);
	return clean;
}

static struct finding *
add(struct findings *f, const char *check, enum severity sev,
    const char *subject, const char *fmt, va_list ap)
{
	struct finding *fd;

	f->v = xrealloc(f->v, (f->n + 1) * sizeof(*f->v));
	fd = xcalloc(1, sizeof(*fd));
	f->v[f->n++] = fd;
	fd->check = xstrdup(check ? check : "unknown");
	fd->severity = sev;
	fd->subject = str_clean_text(subject ? subject : "");
	fd->message = clean_vprintf(fmt, ap);
	return fd;
}

struct finding *
findings_add(struct findings *f, enum severity sev, const char *subject,
    const char *fmt, ...)
{
	struct finding *fd;
	va_list ap;

	va_start(ap, fmt);
	fd = add(f, f->current_check, sev, subject, fmt, ap);
	va_end(ap);
	fd->title = f->current_title;
	return fd;
}

struct finding *
findings_add_for(struct findings *f, const char *check, enum severity sev,
    const char *subject, const char *fmt, ...)
{
	struct finding *fd;
	va_list ap;

	va_start(ap, fmt);
	fd = add(f, check, sev, subject, fmt, ap);
	va_end(ap);
	return fd;
}

/* Adds value (taken over) under key. */
static findings_key_fn key_rename;

void
findings_rename_keys(findings_key_fn fn)
{
	key_rename = fn;
}

static void
evidence_add(struct finding *fd, const char *key, char *value)
{
	char renamed[256];

	if (key_rename != NULL) {
		key_rename(key, renamed, sizeof(renamed));
		key = renamed;
	}
	/* A key given twice keeps its first place and takes the new value. */
	for (size_t i = 0; i < fd->nev; i++)
		if (strcmp(fd->ev[i].key, key) == 0) {
			free(fd->ev[i].value);
			fd->ev[i].value = value;
			return;
		}
	fd->ev = xrealloc(fd->ev, (fd->nev + 1) * sizeof(*fd->ev));
	fd->ev[fd->nev].key = xstrdup(key);
	fd->ev[fd->nev].value = value;
	fd->nev++;
}

void
finding_evidence(struct finding *fd, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *value;

	va_start(ap, fmt);
	value = clean_vprintf(fmt, ap);
	va_end(ap);
	evidence_add(fd, key, value);
}

void
finding_evidence_param(struct finding *fd, enum remedy_param p,
    const char *key, const char *fmt, ...)
{
	va_list ap;
	char *value, *raw;

	/*
	 * The evidence is cleaned for display; the parameter keeps the value
	 * as it came, so the script's validators refuse a control character
	 * with a reason instead of writing the '?' it was shown as.
	 */
	va_start(ap, fmt);
	raw = xvasprintf(fmt, ap);
	va_end(ap);
	value = str_clean_text(raw);
	free(fd->param[p]);
	fd->param[p] = raw;
	evidence_add(fd, key, value);
}

void
finding_param(struct finding *fd, enum remedy_param p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	free(fd->param[p]);
	fd->param[p] = xvasprintf(fmt, ap);	/* as it came: see above */
	va_end(ap);
}

const char *
finding_param_get(const struct finding *fd, enum remedy_param p)
{
	return fd->param[p];
}

void
finding_remedy(struct finding *fd, const char *remedy)
{
	free(fd->remedy);
	fd->remedy = remedy ? xstrdup(remedy) : NULL;
}

const char *
finding_get(const struct finding *fd, const char *key)
{
	for (size_t i = 0; i < fd->nev; i++)
		if (strcmp(fd->ev[i].key, key) == 0)
			return fd->ev[i].value;
	return NULL;
}

enum severity
findings_worst(const struct findings *f)
{
	enum severity w = SEV_PASS;

	for (size_t i = 0; i < f->n; i++)
		if (f->v[i]->severity > w)
			w = f->v[i]->severity;
	return w;
}

void
findings_count(const struct findings *f, size_t counts[SEV_ERROR + 1])
{
	memset(counts, 0, sizeof(size_t) * (SEV_ERROR + 1));
	for (size_t i = 0; i < f->n; i++)
		counts[f->v[i]->severity]++;
}

/*
 * A failure found is the answer an administrator acts on, even when
 * something else could not be learned (issue 18): 2 outranks 3.
 */
const struct exit_status exit_statuses[] = {
	{ EXIT_OK, "ok", "nothing worse than information", 0 },
	{ EXIT_WARN, "warn", "warnings", 1 },
	{ EXIT_FAIL, "fail", "failures (in verify, also any regression "
	  "against the baseline); they outrank could not complete", 3 },
	{ EXIT_INCOMPLETE, "incomplete", "could not complete: no check could "
	  "run, an error finding and no failure, a problem of the baseline not "
	  "verified this time (verify), or a fatal I/O error", 2 },
	{ EXIT_USAGE, "usage", "usage error: a bad option or value, named on "
	  "one line", 4 },
	{ 0, NULL, NULL, 0 },
};

static int
exit_rank(int code)
{
	for (const struct exit_status *x = exit_statuses; x->name; x++)
		if (x->code == code)
			return x->rank;
	return 0;
}

int
exit_status_worse(int a, int b)
{
	return exit_rank(b) > exit_rank(a) ? b : a;
}

int
findings_exit_code(const struct findings *f)
{
	size_t ran = 0;
	int code = EXIT_OK;

	for (size_t i = 0; i < f->n; i++)
		if (f->v[i]->severity != SEV_SKIP)
			ran++;
	if (ran == 0)
		return EXIT_INCOMPLETE;
	for (size_t i = 0; i < f->n; i++) {
		switch (f->v[i]->severity) {
		case SEV_ERROR:
			code = exit_status_worse(code, EXIT_INCOMPLETE);
			break;
		case SEV_FAIL:
			code = exit_status_worse(code, EXIT_FAIL);
			break;
		case SEV_WARN:
			code = exit_status_worse(code, EXIT_WARN);
			break;
		default:
			break;
		}
	}
	return code;
}

void
findings_release(struct findings *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n; i++) {
		struct finding *fd = f->v[i];

		free(fd->check);
		free(fd->subject);
		free(fd->message);
		for (size_t j = 0; j < fd->nev; j++) {
			free(fd->ev[j].key);
			free(fd->ev[j].value);
		}
		free(fd->ev);
		free(fd->remedy);
		for (size_t k = 0; k < RP_COUNT; k++)
			free(fd->param[k]);
		free(fd);
	}
	free(f->v);
	f->v = NULL;
	f->n = 0;
}
