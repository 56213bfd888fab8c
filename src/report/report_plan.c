/*
 * The reading order of the human reports (text and HTML): an administrator
 * in a hurry reads the verdict, then what is wrong, then what to do and
 * where; the evidence comes last. What the two formats share lives here.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "ps1.h"
#include "remedy.h"

int
report_is_problem(const struct finding *fd)
{
	return fd->severity == SEV_WARN || fd->severity == SEV_FAIL ||
	    fd->severity == SEV_ERROR;
}

/*
 * A transport failure is the host's, not the check's: the same refused
 * connection or bad certificate shows up in every check that asked that
 * host something. It is shown once, where it is judged.
 */
const struct finding *
report_fold_target(const struct findings *f, const struct finding *fd)
{
	const char *why = finding_get(fd, "result");

	if (why == NULL || fd->subject[0] == '\0' ||
	    strcmp(fd->check, "tls.certificate") == 0)
		return NULL;
	/* tls.certificate judges the host's certificate itself. */
	if (strncmp(why, "TLS failed", 10) == 0)
		for (size_t i = 0; i < f->n; i++) {
			const struct finding *t = f->v[i];

			if (strcmp(t->check, "tls.certificate") == 0 &&
			    strcmp(t->subject, fd->subject) == 0 &&
			    report_is_problem(t))
				return t;
		}
	/* Else the first finding that met the same failure on this host. */
	for (size_t i = 0; i < f->n && f->v[i] != fd; i++) {
		const struct finding *o = f->v[i];
		const char *owhy = finding_get(o, "result");

		if (owhy != NULL && strcmp(owhy, why) == 0 &&
		    strcmp(o->subject, fd->subject) == 0 && report_is_problem(o))
			return o;
	}
	return NULL;
}

static const char *const place_names[PLACE_COUNT] = {
	[PLACE_ONPREM] = "on-premises, in the Exchange Management Shell",
	[PLACE_GRAPH] = "in Microsoft Graph PowerShell (Entra ID)",
	[PLACE_EXO] = "in Exchange Online PowerShell",
	[PLACE_MANUAL] = "by hand (no script can do these)",
};

const char *
report_place_name(enum report_place p)
{
	return (unsigned)p < PLACE_COUNT ? place_names[p] : "";
}

static enum report_place
place_of(const struct remedy *r)
{
	if (r == NULL)
		return PLACE_MANUAL;
	switch (r->section) {
	case PS1_ONPREM:
		return PLACE_ONPREM;
	case PS1_GRAPH:
		return PLACE_GRAPH;
	case PS1_EXO:
		return PLACE_EXO;
	default:
		return PLACE_MANUAL;
	}
}

static void
step_add(struct report_steps *s, const struct remedy *r, const char *id,
    const struct findings *f)
{
	enum report_place p = place_of(r);
	struct report_step *st;

	s->v[p] = xrealloc(s->v[p], (s->n[p] + 1) * sizeof(*s->v[p]));
	st = &s->v[p][s->n[p]++];
	memset(st, 0, sizeof(*st));
	st->remedy = id;
	st->what = r ? r->what : NULL;
	st->fds = xcalloc(f->n + 1, sizeof(*st->fds));
	for (size_t i = 0; i < f->n; i++)
		if (remedy_wanted(f->v[i]) && strcmp(f->v[i]->remedy, id) == 0)
			st->fds[st->n++] = f->v[i];
	s->total++;
}

/* In the catalogue's order, as the script writes them; unknown ids last. */
void
report_steps(const struct findings *f, struct report_steps *s)
{
	memset(s, 0, sizeof(*s));
	for (const struct remedy *r = remedies; r->id; r++)
		for (size_t i = 0; i < f->n; i++)
			if (remedy_wanted(f->v[i]) &&
			    strcmp(f->v[i]->remedy, r->id) == 0) {
				step_add(s, r, r->id, f);
				break;
			}
	for (size_t i = 0; i < f->n; i++) {
		int seen = 0;

		if (!remedy_wanted(f->v[i]) || remedy_find(f->v[i]->remedy) != NULL)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = remedy_wanted(f->v[j]) &&
			    strcmp(f->v[j]->remedy, f->v[i]->remedy) == 0;
		if (!seen)
			step_add(s, NULL, f->v[i]->remedy, f);
	}
}

void
report_steps_release(struct report_steps *s)
{
	if (s == NULL)
		return;
	for (unsigned p = 0; p < PLACE_COUNT; p++) {
		for (size_t i = 0; i < s->n[p]; i++)
			free(s->v[p][i].fds);
		free(s->v[p]);
	}
	memset(s, 0, sizeof(*s));
}

void
report_coverage_release(struct report_coverage *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->ngaps; i++) {
		free(c->gaps[i].what);
		free(c->gaps[i].how);
		free(c->gaps[i].elsewhere);
		strlist_release(&c->gaps[i].checks);
	}
	free(c->gaps);
	memset(c, 0, sizeof(*c));
}

struct coverage_gap *
report_coverage_gap(struct report_coverage *c, const char *what)
{
	struct coverage_gap *g;

	for (size_t i = 0; i < c->ngaps; i++)
		if (strcmp(c->gaps[i].what, what) == 0)
			return &c->gaps[i];
	c->gaps = xrealloc(c->gaps, (c->ngaps + 1) * sizeof(*c->gaps));
	g = &c->gaps[c->ngaps++];
	memset(g, 0, sizeof(*g));
	g->what = xstrdup(what);
	return g;
}
