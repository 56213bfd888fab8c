/*
 * batch: the outside-in preflight of many organisations in one run. One
 * event loop, one connection cache, one DNS cache and one TLS session cache
 * for all of them; at most --parallel transfers at once. Organisations are
 * admitted while there is room, judged and reported as soon as their last
 * answer is in, and freed: memory follows the transfers in flight, not
 * the length of the list.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "dnsname.h"
#include "report.h"
#include "file.h"

#define BATCH_LINE_MAX		1024

/* Every check, on every organisation; the probes run on the batch's engine. */
static const struct pipeline_spec batch_spec = {
	"batch", NULL, PIPELINE_PROBES_ALL, NULL, NULL, NULL,
};
#define BATCH_FILE_MAX		(16 * 1024 * 1024)

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
entries_release(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->v[i].domain);
		free(b->v[i].cloud);
	}
	free(b->v);
	for (size_t i = 0; b->rows != NULL && i < b->n; i++) {
		free(b->rows[i].domain);
		free(b->rows[i].cloud);
		free(b->rows[i].tenant_id);
		free(b->rows[i].html);
	}
	free(b->rows);
}

/*
 * The domains file: one organisation a line, "DOMAIN [CLOUD]", '#' starts
 * a comment, blank lines are ignored. Every bad line is named before any
 * network traffic; a repeated domain is checked once.
 */
static int
entries_load(struct batch *b, const char *path)
{
	struct hcerr e = { "" };
	char *text = NULL, *p, *eol;
	size_t len = 0, line = 0;
	int bad = 0;

	if (file_read(path, BATCH_FILE_MAX, &text, &len, &e) == -1) {
		fprintf(b->err, "hybridcheck: --domains-file: %s\n", e.msg);
		return EXIT_USAGE;
	}
	for (p = text; p < text + len; p = eol + 1) {
		char *hash, *tok[3] = { NULL, NULL, NULL }, *save = NULL, *d;
		struct hcerr why;
		size_t ntok = 0;

		line++;
		if ((eol = memchr(p, '\n', (size_t)(text + len - p))) == NULL)
			eol = text + len;
		*eol = '\0';
		if ((hash = strchr(p, '#')) != NULL)
			*hash = '\0';
		if (strlen(p) > BATCH_LINE_MAX) {
			fprintf(b->err, "hybridcheck: %s:%zu: line longer than %d "
			    "characters\n", path, line, BATCH_LINE_MAX);
			bad = 1;
			continue;
		}
		for (char *t = strtok_r(p, " \t\r,;", &save); t != NULL;
		    t = strtok_r(NULL, " \t\r,;", &save))
			tok[ntok < 3 ? ntok++ : 2] = t;
		if (ntok == 0)
			continue;
		if (ntok > 2) {
			fprintf(b->err, "hybridcheck: %s:%zu: expected 'DOMAIN "
			    "[CLOUD]', found more\n", path, line);
			bad = 1;
			continue;
		}
		if ((d = dnsname_normalize(tok[0], &why)) == NULL ||
		    dnsname_labels(d) < 2) {
			fprintf(b->err, "hybridcheck: %s:%zu: '%s' is not an e-mail "
			    "domain%s%s\n", path, line, tok[0], d ? "" : ": ",
			    d ? "" : why.msg);
			free(d);
			bad = 1;
			continue;
		}
		if (ntok == 2 && cloud_find(&b->clouds, tok[1]) == NULL) {
			fprintf(b->err, "hybridcheck: %s:%zu: unknown cloud '%s' "
			    "(global, china, gcchigh, dod)\n", path, line, tok[1]);
			free(d);
			bad = 1;
			continue;
		}
		for (size_t i = 0; i < b->n; i++)
			if (strcmp(b->v[i].domain, d) == 0) {
				fprintf(b->err, "hybridcheck: %s:%zu: '%s' repeats "
				    "line %zu; checked once\n", path, line, d,
				    b->v[i].line);
				free(d);
				d = NULL;
				break;
			}
		if (d == NULL)
			continue;
		b->v = xrealloc(b->v, (b->n + 1) * sizeof(*b->v));
		b->v[b->n].domain = d;
		b->v[b->n].cloud = ntok == 2 ? xstrdup(tok[1]) : NULL;
		b->v[b->n].line = line;
		b->n++;
	}
	free(text);
	if (bad)
		return EXIT_USAGE;
	if (b->n == 0) {
		fprintf(b->err, "hybridcheck: --domains-file: no domain in '%s'\n",
		    path);
		return EXIT_USAGE;
	}
	return 0;
}

static void
org_free(struct batch_org *g)
{
	if (g == NULL)
		return;
	probe_finish(g->run);
	pipeline_release(&g->pl);
	free(g);
}

/* Starts the probes of the next organisation in the list. */
static void
org_admit(struct batch *b)
{
	const struct batch_entry *en = &b->v[b->next];
	struct batch_org *g = xcalloc(1, sizeof(*g));
	struct context *ctx = &g->pl.ctx;

	g->idx = b->next++;
	/* The batch's configuration (its strings borrowed), this organisation's domain. */
	g->cfg = b->cfg;
	g->cfg.ctx.domain = en->domain;
	g->cfg.ctx.cloud = en->cloud ? en->cloud : b->o->cloud;
	/* Cannot fail for a domain and a known cloud; judged as an error then. */
	if (pipeline_begin(&g->pl, &batch_spec, &g->cfg, &b->clouds, b->err) != 0)
		fprintf(b->err, "hybridcheck: %s: the organisation is judged "
		    "without its context\n", en->domain);
	/* The probes run on the batch's engine, as context_probe plans them. */
	context_plan(ctx);
	g->run = probe_start(ctx->probes, &b->clouds, ctx->cloud, b->eng, 1);
	g->next = b->orgs;
	b->orgs = g;
	b->inflight++;
}

/* "ok", "warn", "fail", "incomplete": the verdict of an exit code. */
static const char *
verdict_name(int code)
{
	for (const struct exit_status *x = exit_statuses; x->name; x++)
		if (x->code == code)
			return x->name;
	return "-";
}

/*
 * --format html: the organisation's report, kept until the page is
 * written at the end (the rows come first, in the file's order).
 */
static void
emit_html(struct batch *b, struct batch_org *g, struct report_target *t,
    const struct findings *f)
{
	struct batch_row *row = &b->rows[g->idx];
	const char *cloud = b->v[g->idx].cloud ? b->v[g->idx].cloud : b->o->cloud;
	char *prefix = xasprintf("org%zu-", g->idx + 1);
	char *remediate = xasprintf("hybridcheck remediate --domain %s%s%s "
	    "--ps1 fix.ps1", g->cfg.ctx.domain, cloud ? " --cloud " : "",
	    cloud ? cloud : "");
	struct buf sec;

	buf_init(&sec, (size_t)-1);
	t->id_prefix = prefix;
	t->remediate = remediate;
	buf_printf(&sec, "<section class=\"org\" id=\"org%zu\">\n", g->idx + 1);
	report_html_body(&sec, t, f, 2);
	buf_printf(&sec, "<p><a href=\"#summary\">back to the summary</a></p>\n"
	    "</section>\n");
	row->html = buf_steal(&sec);
	free(prefix);
	free(remediate);
}

static void
emit(struct batch *b, size_t idx, const struct report_target *t,
    const struct findings *f)
{
	struct buf line;

	if (b->o->format != FMT_JSON) {
		if (b->wire_fd >= 0)
			batch_wire_send(b, idx, NULL, 0);
		return;
	}
	buf_init(&line, (size_t)-1);
	report_json_line(&line, t, f);
	/* A worker's line goes to the parent, which writes it. */
	if (b->wire_fd >= 0)
		batch_wire_send(b, idx, line.data, line.len);
	else if (fwrite(line.data, 1, line.len, b->out) != line.len)
		b->write_failed = 1;
	buf_release(&line);
}

/* The organisation's answers are in: judge, report, keep its summary row. */
static void
org_finish(struct batch *b, struct batch_org *g)
{
	struct batch_row *row = &b->rows[g->idx];
	const struct findings *f = &g->pl.f;
	struct report_target t;

	probe_finish(g->run);
	g->run = NULL;
	context_probed(&g->pl.ctx);
	pipeline_judge(&g->pl, b->err);
	pipeline_target(&g->pl, &t);
	if (b->o->format == FMT_HTML)
		emit_html(b, g, &t, f);
	row->domain = xstrdup(g->cfg.ctx.domain);
	row->cloud = t.cloud ? xstrdup(t.cloud) : NULL;
	row->tenant_id = t.tenant_id ? xstrdup(t.tenant_id) : NULL;
	row->worst = report_worst(f);
	findings_count(f, row->counts);
	row->exit_code = report_exit_code(&t, f);
	row->elapsed_ms = g->pl.ctx.probes->elapsed_ms;
	emit(b, g->idx, &t, f);
	b->done++;
}

static void
progress(struct batch *b, int last)
{
	long long now = mono_ms();

	if (!b->progress || (!last && now - b->last_progress < 200))
		return;
	b->last_progress = now;
	fprintf(b->err, "\r%zu/%zu organisations done, %zu in flight, %.1f s%s",
	    b->done, b->n, b->inflight, (double)(now - b->t0) / 1000.0,
	    last ? "\n" : "");
	fflush(b->err);
}

/*
 * Each turn of the event loop: report the organisations whose answers are
 * all in, then admit more while fewer than --parallel requests wait or run.
 */
static void
batch_tick(void *arg)
{
	struct batch *b = arg;
	struct batch_org **pp = &b->orgs;

	while (*pp != NULL) {
		struct batch_org *g = *pp;

		if (!probe_settled(g->run)) {
			pp = &g->next;
			continue;
		}
		*pp = g->next;
		b->inflight--;
		org_finish(b, g);
		org_free(g);
	}
	for (;;) {
		/* A worker admits only its share of the list. */
		while (b->nworkers > 1 && b->next < b->n &&
		    b->next % b->nworkers != b->worker)
			b->next++;
		if (b->next >= b->n || http_engine_pending(b->eng) >= b->max_pending)
			break;
		org_admit(b);
	}
	progress(b, 0);
}

/* The cores this process may use. */
static size_t
batch_default_workers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 1 ? (size_t)(n > 64 ? 64 : n) : 1;
}

int
batch_engine(struct batch *b, const struct net_config *cfg, FILE *err)
{
	struct hcerr e = { "" };

	if ((b->eng = http_engine_new(cfg, NULL, &e)) == NULL) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		return EXIT_INCOMPLETE;
	}
	http_engine_on_tick(b->eng, batch_tick, b);
	http_engine_run(b->eng);
	batch_tick(b);
	/* Whatever the run's end left unanswered is judged as it stands. */
	while (b->orgs != NULL) {
		struct batch_org *g = b->orgs;

		b->orgs = g->next;
		b->inflight--;
		org_finish(b, g);
		org_free(g);
	}
	http_engine_free(b->eng);
	b->eng = NULL;
	return 0;
}

static const char *
or_dash(const char *s)
{
	return s != NULL ? s : "-";
}

/*
 * --format html: one page, a row per organisation linking to its report
 * below, in the file's order.
 */
static void
html_page(struct batch *b, int worst_code, long long ms)
{
	struct buf p;
	size_t per_code[4] = { 0 };

	buf_init(&p, (size_t)-1);
	report_html_begin(&p, "hybridcheck batch");
	for (size_t i = 0; i < b->n; i++)
		if (b->rows[i].exit_code >= 0 && b->rows[i].exit_code <= 3)
			per_code[b->rows[i].exit_code]++;
	buf_printf(&p, "<main>\n<header><h1>hybridcheck batch: %zu "
	    "organisations</h1></header>\n<section class=\"verdict v-%s\" "
	    "id=\"verdict\" data-exit=\"%d\"><p><span class=\"word\">%s</span> "
	    "%zu ok, %zu with warnings, %zu failing, %zu incomplete (exit %d), "
	    "in %.1f s</p></section>\n", b->n, verdict_name(worst_code),
	    worst_code, report_verdict(worst_code), per_code[0], per_code[1],
	    per_code[2], per_code[3], worst_code, (double)ms / 1000.0);
	buf_printf(&p, "<section id=\"summary\"><h2>Organisations</h2>\n<table>"
	    "<thead><tr><th scope=\"col\">domain</th><th scope=\"col\">cloud"
	    "</th><th scope=\"col\">tenant</th><th scope=\"col\">verdict</th>"
	    "<th scope=\"col\">fail</th><th scope=\"col\">warn</th>"
	    "<th scope=\"col\">error</th><th scope=\"col\">exit</th></tr>"
	    "</thead><tbody>\n");
	for (size_t i = 0; i < b->n; i++) {
		const struct batch_row *r = &b->rows[i];

		buf_printf(&p, "<tr class=\"st-%s\" data-org=\"", verdict_name(r->exit_code));
		report_html_escape(&p, r->domain);
		buf_printf(&p, "\"><td>");
		if (r->html != NULL)
			buf_printf(&p, "<a href=\"#org%zu\">", i + 1);
		report_html_escape(&p, r->domain);
		buf_printf(&p, "%s</td><td>", r->html ? "</a>" : "");
		report_html_escape(&p, or_dash(r->cloud));
		buf_printf(&p, "</td><td>");
		report_html_escape(&p, or_dash(r->tenant_id));
		buf_printf(&p, "</td><td class=\"state\">%s</td><td>%zu</td><td>%zu"
		    "</td><td>%zu</td><td>%d</td></tr>\n", verdict_name(r->exit_code),
		    r->counts[SEV_FAIL], r->counts[SEV_WARN], r->counts[SEV_ERROR],
		    r->exit_code);
	}
	buf_printf(&p, "</tbody></table>\n</section>\n");
	for (size_t i = 0; i < b->n; i++)
		if (b->rows[i].html != NULL)
			buf_printf(&p, "%s", b->rows[i].html);
	buf_printf(&p, "</main>\n");
	report_html_end(&p);
	if (fwrite(p.data, 1, p.len, b->out) != p.len)
		b->write_failed = 1;
	buf_release(&p);
}

/* The table at the end: one row per organisation, in the file's order. */
static void
summary(struct batch *b, FILE *f, int worst_code, long long ms)
{
	size_t w = 6, per_code[4] = { 0 };

	for (size_t i = 0; i < b->n; i++)
		if (strlen(b->rows[i].domain) > w)
			w = strlen(b->rows[i].domain);
	fprintf(f, "%-*s  %-8s %-36s %-10s %4s %4s %4s %4s %4s  %s\n", (int)w,
	    "domain", "cloud", "tenant", "verdict", "fail", "warn", "err", "info",
	    "pass", "exit");
	for (size_t i = 0; i < b->n; i++) {
		const struct batch_row *r = &b->rows[i];

		fprintf(f, "%-*s  %-8s %-36s %-10s %4zu %4zu %4zu %4zu %4zu  %d\n",
		    (int)w, r->domain, or_dash(r->cloud), or_dash(r->tenant_id),
		    verdict_name(r->exit_code), r->counts[SEV_FAIL],
		    r->counts[SEV_WARN], r->counts[SEV_ERROR], r->counts[SEV_INFO],
		    r->counts[SEV_PASS], r->exit_code);
		if (r->exit_code >= 0 && r->exit_code <= 3)
			per_code[r->exit_code]++;
	}
	fprintf(f, "%zu organisations in %.1f s: %zu ok, %zu with warnings, "
	    "%zu failing, %zu incomplete; exit %d\n", b->n, (double)ms / 1000.0,
	    per_code[0], per_code[1], per_code[2], per_code[3], worst_code);
}

int
cmd_batch(struct options *o, FILE *out, FILE *err)
{
	struct batch b;
	struct hcerr e = { "" };
	struct net_config cfg;
	struct file_out fo;
	int rc, code = EXIT_OK, have_out = 0;

	memset(&b, 0, sizeof(b));
	b.wire_fd = -1;
	b.o = o;
	b.err = err;
	b.out = out;
	if (o->domains_file == NULL) {
		fprintf(err, "hybridcheck: batch needs --domains-file FILE\n");
		return EXIT_USAGE;
	}
	if (o->format == FMT_JUNIT) {
		fprintf(err, "hybridcheck: batch writes text, json (JSON lines) or "
		    "html (one page)\n");
		return EXIT_USAGE;
	}
	if ((rc = cmd_load_clouds(o, &b.clouds, err)) != 0)
		return rc;
	options_pipeline_config(o, &b.cfg);
	if ((rc = entries_load(&b, o->domains_file)) != 0)
		goto out;
	b.rows = xcalloc(b.n, sizeof(*b.rows));

	cfg = b.cfg.ctx.net;
	cfg.budget_ms = -1;	/* each request has its limit; the list has none */
	cfg.max_transfers = (int)(o->parallel > 0 ? o->parallel :
	    OPTIONS_DEFAULT_PARALLEL);
	b.max_pending = (size_t)cfg.max_transfers;
	/* Each organisation's own hosts: two at a time, reusing connections. */
	cfg.max_per_host = 2;
	/* --output: written beside the file and renamed, whole or not at all. */
	if (o->output != NULL && strcmp(o->output, "-") != 0) {
		if (file_out_open(&fo, o->output, &e) == -1) {
			fprintf(err, "hybridcheck: --output: %s\n", e.msg);
			rc = EXIT_INCOMPLETE;
			goto out;
		}
		have_out = 1;
		b.out = fo.f;
	}
	b.progress = isatty(fileno(err));
	b.t0 = mono_ms();
	/* Where the work is CPU-bound: a process per core, each with its engine. */
	b.nworkers = o->workers > 0 ? (size_t)o->workers : batch_default_workers();
	if (b.nworkers > b.n)
		b.nworkers = b.n;
	if (b.nworkers > 1)
		rc = batch_workers_run(&b, &cfg, err);
	else
		rc = batch_engine(&b, &cfg, err);
	if (rc != 0)
		goto out;
	progress(&b, 1);
	for (size_t i = 0; i < b.n; i++)
		if (b.rows[i].domain == NULL)
			b.rows[i].domain = xstrdup(b.v[i].domain),
			b.rows[i].exit_code = EXIT_INCOMPLETE,
			b.rows[i].worst = SEV_ERROR;
	for (size_t i = 0; i < b.n; i++)
		code = exit_status_worse(code, b.rows[i].exit_code);
	/* JSON and HTML: the lines or the page are the output, the table goes to stderr. */
	if (o->format == FMT_HTML)
		html_page(&b, code, mono_ms() - b.t0);
	summary(&b, o->format == FMT_TEXT ? b.out : err, code, mono_ms() - b.t0);
	rc = code;
	if (have_out) {
		have_out = 0;
		if (b.write_failed) {
			fprintf(err, "hybridcheck: --output: cannot write '%s'\n",
			    o->output);
			file_out_abort(&fo);
			rc = EXIT_INCOMPLETE;
		} else if (file_out_commit(&fo, &e) == -1) {
			fprintf(err, "hybridcheck: --output: %s\n", e.msg);
			rc = EXIT_INCOMPLETE;
		}
		b.out = out;
	} else if (b.write_failed)
		rc = EXIT_INCOMPLETE;
out:
	while (b.orgs != NULL) {
		struct batch_org *g = b.orgs;

		b.orgs = g->next;
		org_free(g);
	}
	http_engine_free(b.eng);
	entries_release(&b);
	cloud_set_release(&b.clouds);
	if (have_out)
		file_out_abort(&fo);
	return rc;
}
