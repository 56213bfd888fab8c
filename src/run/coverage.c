/*
 * What the run covered, honestly: how many of the checks this command can
 * run did conclude something, and for each group that did not, what
 * would run it -- named only with options the running command accepts,
 * or the other command that can.
 */
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>

#include "checks.h"

/* Where an input comes from: the options that give it, as written in a hint. */
struct input_source {
	unsigned	 input;
	const char	*what;
	const char	*opts[3];	/* option names, NULL-terminated */
	const char	*hint[3];	/* how each is written */
	const char	*elsewhere;	/* the command that can, when none is taken */
};

static const struct input_source sources[] = {
	{ INPUT_DOMAIN, "the domain", { "domain" }, { "--domain D" },
	  "hybridcheck preflight --domain D" },
	{ INPUT_CLOUD, "the cloud", { "cloud" }, { "--cloud NAME" },
	  "hybridcheck preflight --cloud NAME" },
	{ INPUT_NETWORK, "live probes", { "offline" }, { "drop --offline" },
	  "hybridcheck preflight --domain D" },
	{ INPUT_SNAPSHOT, "configuration", { "snapshot" }, { "--snapshot FILE" },
	  "hybridcheck preflight --snapshot FILE" },
	{ INPUT_CERT, "the Auth certificate", { "cert", "snapshot" },
	  { "--cert FILE", "--snapshot FILE" }, "hybridcheck cert FILE" },
	{ INPUT_THUMBPRINT, "the thumbprint Get-AuthConfig names",
	  { "thumbprint", "snapshot" }, { "--thumbprint T", "--snapshot FILE" },
	  "hybridcheck cert FILE --thumbprint T" },
	{ INPUT_SPNS, "the service principal names",
	  { "spn-file", "spn", "snapshot" },
	  { "--spn-file FILE", "--spn S", "--snapshot FILE" },
	  "hybridcheck spn --spn-file FILE" },
	{ INPUT_HOSTS, "the published hosts", { "host", "domain", "snapshot" },
	  { "--host H", "--domain D", "--snapshot FILE" },
	  "hybridcheck preflight --domain D" },
	{ INPUT_NEXT_CERT, "the next Auth certificate", { "next-cert", "snapshot" },
	  { "--next-cert FILE", "--snapshot FILE" },
	  "hybridcheck cert FILE --next-cert FILE" },
	{ INPUT_TOKEN, "a token", { NULL }, { NULL }, "hybridcheck token" },
	{ INPUT_SIGNING_KEY, "the Auth certificate's private key", { "pfx" },
	  { "--pfx FILE" }, "hybridcheck token --pfx FILE" },
	{ 0, NULL, { NULL }, { NULL }, NULL },
};

static int
takes(const struct pipeline_config *cfg, const char *opt)
{
	return cfg->accepts == NULL || strlist_contains_ci(cfg->accepts, opt);
}

/*
 * How this run could get input in: "--cert FILE or --snapshot FILE", or
 * NULL when the command cannot take it. The network is there when the
 * probes may run: without --offline, once something names a host.
 */
static char *
source_hint(const struct pipeline *pl, const struct input_source *src)
{
	const struct pipeline_config *cfg = pl->cfg;
	struct buf b;

	if (src->input == INPUT_NETWORK) {
		if (pl->spec->probes == PIPELINE_PROBES_NONE)
			return NULL;
		if (cfg->ctx.offline)
			return takes(cfg, "offline") ? xstrdup("drop --offline") : NULL;
		if (takes(cfg, "domain"))
			return xstrdup("give --domain D: the probes need a domain");
		return NULL;
	}
	buf_init(&b, (size_t)-1);
	for (size_t i = 0; i < 3 && src->opts[i]; i++) {
		/* An input given already did not provide it: another one may. */
		if ((strcmp(src->opts[i], "snapshot") == 0 && cfg->ctx.snapshot) ||
		    (strcmp(src->opts[i], "domain") == 0 && cfg->ctx.domain))
			continue;
		if (takes(cfg, src->opts[i]))
			buf_printf(&b, "%s%s", b.len ? " or " : "give ", src->hint[i]);
	}
	if (b.len == 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static const struct input_source *
source_of(unsigned bit)
{
	for (const struct input_source *s = sources; s->input; s++)
		if (s->input == bit)
			return s;
	return NULL;
}

/* Why a check did not run, and what would run it; *outside when only another command can. */
static void
gap_text(const struct pipeline *pl, unsigned missing, struct buf *what,
    struct buf *how, const char **elsewhere, int *outside)
{
	*outside = 0;
	*elsewhere = NULL;
	for (unsigned bit = 1; bit <= INPUT_LAST; bit <<= 1) {
		const struct input_source *src;
		char *hint;

		if (!(missing & bit) || (src = source_of(bit)) == NULL)
			continue;
		buf_printf(what, "%s%s", what->len ? " and " : "", src->what);
		if ((hint = source_hint(pl, src)) != NULL) {
			buf_printf(how, "%s%s", how->len ? "; " : "", hint);
			free(hint);
		} else {
			*outside = 1;
			if (*elsewhere == NULL)
				*elsewhere = src->elsewhere;
		}
	}
}

/* Rewrites a skip finding's hint to name only what this command accepts. */
static void
skip_rewrite(struct finding *fd, const char *command, const char *what,
    const char *how, const char *elsewhere, int outside)
{
	free(fd->message);
	if (outside)
		fd->message = xasprintf("not with %s: needs %s (%s)", command, what,
		    elsewhere ? elsewhere : "another command");
	else
		fd->message = xasprintf("needs %s (%s)", what, how);
	finding_evidence(fd, "missing", "%s", what);
	if (!outside)
		finding_evidence(fd, "how", "%s", how);
	else if (elsewhere != NULL)
		finding_evidence(fd, "how", "%s", elsewhere);
}

void
pipeline_coverage(struct pipeline *pl)
{
	struct report_coverage *c = &pl->coverage;
	const char *command = pl->spec->command ? pl->spec->command : "this command";

	report_coverage_release(c);
	for (const struct check *chk = checks; chk->id; chk++) {
		unsigned missing = chk->needs & ~pl->ctx.have;
		int concluded = 0, errors = 0;
		struct finding *skip = NULL;
		struct coverage_gap *g;

		if (!checks_selected(chk->id, pl->spec->families))
			continue;
		for (size_t i = 0; i < pl->f.n; i++) {
			struct finding *fd = pl->f.v[i];

			if (strcmp(fd->check, chk->id) != 0)
				continue;
			if (fd->severity == SEV_SKIP)
				skip = skip ? skip : fd;
			else if (fd->severity == SEV_ERROR)
				errors = 1;
			else
				concluded = 1;
		}
		if (concluded || errors) {
			c->total++;
			c->checked += concluded;
			c->incomplete += !concluded;
			continue;
		}
		if (skip == NULL)
			continue;
		if (missing == 0) {
			/* The check skipped itself, and said why: grouped by the reason. */
			c->total++;
			g = report_coverage_gap(c, skip->message);
		} else {
			struct buf what, how;
			const char *elsewhere;
			int outside;

			buf_init(&what, (size_t)-1);
			buf_init(&how, (size_t)-1);
			gap_text(pl, missing, &what, &how, &elsewhere, &outside);
			g = report_coverage_gap(c, what.data ? what.data : "an input");
			if (g->checks.n == 0) {
				g->outside = outside;
				g->how = outside || how.data == NULL ? NULL :
				    xstrdup(how.data);
				g->elsewhere = outside && elsewhere ?
				    xstrdup(elsewhere) : NULL;
			}
			for (size_t i = 0; i < pl->f.n; i++)
				if (pl->f.v[i]->severity == SEV_SKIP &&
				    strcmp(pl->f.v[i]->check, chk->id) == 0)
					skip_rewrite(pl->f.v[i], command,
					    what.data ? what.data : "an input",
					    how.data ? how.data : "", elsewhere, outside);
			if (!outside)
				c->total++;
			buf_release(&what);
			buf_release(&how);
		}
		strlist_add(&g->checks, chk->id);
	}
}
