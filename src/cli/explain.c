/*
 * explain: the table's patterns run over the whole text (a message broken
 * over lines by PowerShell's formatting still matches), and each match is
 * reported with the line it starts on. The command prints the result as
 * text or JSON; nothing matched is "unknown", exit 1.
 */
#include "explain.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "commands.h"
#include "file.h"
#include "remedy.h"
#include "str.h"
#include "text.h"

/* What an administrator pastes: a log, a transcript; a cap keeps a wrong file out. */
#define EXPLAIN_MAX	(4u * 1024 * 1024)

/* text[from, to) with runs of white space folded to one space, trimmed. */
static char *
folded(const char *text, size_t from, size_t to)
{
	struct buf b;
	int space = 0;
	char *raw, *clean;

	buf_init(&b, (size_t)-1);
	for (size_t i = from; i < to; i++) {
		if (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' ||
		    text[i] == '\n') {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_append(&b, " ", 1);
		space = 0;
		buf_append(&b, &text[i], 1);
	}
	raw = b.data ? buf_steal(&b) : xstrdup("");
	clean = str_clean_text(raw);
	free(raw);
	return clean;
}

int
explain_text(const char *in, size_t inlen, struct explain_result *r,
    struct hcerr *e)
{
	char *text = text_decode((const unsigned char *)in, inlen, NULL, NULL);
	int rc = -1;

	memset(r, 0, sizeof(*r));
	for (const struct explain_entry *en = explain_table; en->id; en++) {
		regex_t re;
		regmatch_t m[2];
		struct explain_hit *h;
		size_t start, end, line = 1;

		if (regcomp(&re, en->pattern, REG_EXTENDED | REG_ICASE) != 0) {
			hcerr_set(e, "explain: the pattern of '%s' does not compile",
			    en->id);
			goto out;
		}
		if (regexec(&re, text, 2, m, 0) != 0) {
			regfree(&re);
			continue;
		}
		start = (size_t)m[0].rm_so;
		for (size_t i = 0; i < start; i++)
			line += text[i] == '\n';
		while (start > 0 && text[start - 1] != '\n')
			start--;
		end = (size_t)m[0].rm_so + strcspn(text + m[0].rm_so, "\n");
		r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
		h = &r->v[r->n++];
		memset(h, 0, sizeof(*h));
		h->e = en;
		h->line = line;
		h->text = folded(text, start, end);
		if (re.re_nsub >= 1 && m[1].rm_so >= 0 && m[1].rm_eo > m[1].rm_so)
			h->detail = folded(text, (size_t)m[1].rm_so, (size_t)m[1].rm_eo);
		regfree(&re);
	}
	/* In the order the messages appear, as the administrator reads them. */
	for (size_t i = 1; i < r->n; i++) {
		struct explain_hit t = r->v[i];
		size_t j = i;

		while (j > 0 && r->v[j - 1].line > t.line) {
			r->v[j] = r->v[j - 1];
			j--;
		}
		r->v[j] = t;
	}
	rc = 0;
out:
	free(text);
	if (rc == -1)
		explain_release(r);
	return rc;
}

void
explain_release(struct explain_result *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].text);
		free(r->v[i].detail);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* Words of a space-separated list, one call each. */
static const char *
word_next(const char **p, char *buf, size_t len)
{
	size_t n;

	*p += strspn(*p, " ");
	if (**p == '\0')
		return NULL;
	n = strcspn(*p, " ");
	snprintf(buf, len, "%.*s", (int)n, *p);
	*p += n;
	return buf;
}

/* Text wrapped at width, each line after the first indented by indent. */
static void
wrapped(struct buf *b, const char *s, size_t indent, size_t width)
{
	size_t col = indent;

	while (*s) {
		size_t n = strcspn(s, " ");

		if (col > indent && col + 1 + n > width) {
			buf_printf(b, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			buf_printf(b, " ");
			col++;
		}
		buf_append(b, s, n);
		col += n;
		s += n;
		s += strspn(s, " ");
	}
	buf_printf(b, "\n");
}

static void
explain_text_report(struct buf *b, const struct explain_result *r)
{
	char w[64];

	buf_printf(b, "hybridcheck explain: %zu message%s recognised\n", r->n,
	    r->n == 1 ? "" : "s");
	for (size_t i = 0; i < r->n; i++) {
		const struct explain_hit *h = &r->v[i];
		const char *p;
		int any = 0;

		buf_printf(b, "\n%s  [%s]\n", h->e->title, h->e->id);
		buf_printf(b, "  seen:   line %zu: %.200s%s\n", h->line, h->text,
		    strlen(h->text) > 200 ? "…" : "");
		if (h->detail != NULL)
			buf_printf(b, "  names:  %s\n", h->detail);
		buf_printf(b, "  means:  ");
		wrapped(b, h->e->means, 10, 78);
		p = h->e->checks;
		while (word_next(&p, w, sizeof(w)) != NULL) {
			buf_printf(b, "%s%s", any++ ? ", " : "  check:  ", w);
		}
		if (any)
			buf_printf(b, " (hybridcheck checks ID explains each; "
			    "preflight runs them)\n");
		p = h->e->remedies;
		while (word_next(&p, w, sizeof(w)) != NULL) {
			const struct remedy *rm = remedy_find(w);

			buf_printf(b, "  fix:    %s — %s\n", w, rm ? rm->what : "");
		}
		if (h->e->remedies[0] != '\0')
			buf_printf(b, "          (hybridcheck remediate … --ps1 fix.ps1 "
			    "writes the steps the checks find needed)\n");
		if (h->e->by_hand != NULL) {
			buf_printf(b, "  by hand: ");
			wrapped(b, h->e->by_hand, 10, 78);
		}
		buf_printf(b, "  source: ");
		wrapped(b, h->e->source, 10, 78);
	}
}

static void
explain_json(struct buf *b, const struct explain_result *r)
{
	cJSON *root = cJSON_CreateObject(), *arr;
	char w[64], *text;

	cJSON_AddStringToObject(root, "schema", "hybridcheck.explain/1");
	cJSON_AddBoolToObject(root, "recognised", r->n > 0);
	arr = cJSON_AddArrayToObject(root, "messages");
	for (size_t i = 0; i < r->n; i++) {
		const struct explain_hit *h = &r->v[i];
		cJSON *o = cJSON_CreateObject(), *ids, *rems;
		const char *p;

		cJSON_AddStringToObject(o, "id", h->e->id);
		cJSON_AddStringToObject(o, "kind", h->e->kind);
		cJSON_AddStringToObject(o, "title", h->e->title);
		cJSON_AddNumberToObject(o, "line", (double)h->line);
		cJSON_AddStringToObject(o, "text", h->text);
		if (h->detail != NULL)
			cJSON_AddStringToObject(o, "names", h->detail);
		else
			cJSON_AddNullToObject(o, "names");
		cJSON_AddStringToObject(o, "means", h->e->means);
		ids = cJSON_AddArrayToObject(o, "checks");
		for (p = h->e->checks; word_next(&p, w, sizeof(w)) != NULL;)
			cJSON_AddItemToArray(ids, cJSON_CreateString(w));
		rems = cJSON_AddArrayToObject(o, "remedies");
		for (p = h->e->remedies; word_next(&p, w, sizeof(w)) != NULL;) {
			const struct remedy *rm = remedy_find(w);
			cJSON *ro = cJSON_CreateObject();

			cJSON_AddStringToObject(ro, "id", w);
			cJSON_AddStringToObject(ro, "what", rm ? rm->what : "");
			cJSON_AddItemToArray(rems, ro);
		}
		if (h->e->by_hand != NULL)
			cJSON_AddStringToObject(o, "by_hand", h->e->by_hand);
		else
			cJSON_AddNullToObject(o, "by_hand");
		cJSON_AddStringToObject(o, "source", h->e->source);
		cJSON_AddItemToArray(arr, o);
	}
	text = cJSON_Print(root);
	buf_printf(b, "%s\n", text);
	free(text);
	cJSON_Delete(root);
}

int
cmd_explain(struct options *o, FILE *out, FILE *err)
{
	struct explain_result r = { NULL, 0 };
	struct hcerr e = { "" };
	struct buf b;
	char *text = NULL;
	size_t len = 0;
	int rc = EXIT_INCOMPLETE;

	if (o->format != FMT_TEXT && o->format != FMT_JSON) {
		fprintf(err, "hybridcheck: explain writes text or json\n");
		return EXIT_USAGE;
	}
	if (o->args.n == 0 || strcmp(o->args.v[0], "-") == 0) {
		int got = file_read_stream(stdin, EXPLAIN_MAX, &text, &len);

		if (got != 0) {
			fprintf(err, "hybridcheck: explain: %s\n", got == -1 ?
			    "standard input holds more than the 4 MiB explain reads" :
			    "cannot read standard input");
			return EXIT_INCOMPLETE;
		}
	} else if (file_read(o->args.v[0], EXPLAIN_MAX, &text, &len, &e) == -1) {
		fprintf(err, "hybridcheck: explain: %s\n", e.msg);
		return EXIT_INCOMPLETE;
	}
	if (explain_text(text, len, &r, &e) == -1) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		free(text);
		return EXIT_INCOMPLETE;
	}
	buf_init(&b, (size_t)-1);
	if (o->format == FMT_JSON)
		explain_json(&b, &r);
	else if (r.n > 0)
		explain_text_report(&b, &r);
	else {
		size_t n = 0;

		for (const struct explain_entry *en = explain_table; en->id; en++)
			n++;
		buf_printf(&b, "hybridcheck explain: unknown: nothing in the input "
		    "is a message this table knows (%zu entries: Test-OAuthConnectivity, "
		    "x-ms-diagnostics, AADSTS, HCW and Outlook on the web free/busy "
		    "errors); nothing is guessed\n", n);
	}
	if (report_output(o->output, out, &b, &e) == -1) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		rc = EXIT_INCOMPLETE;
	} else
		rc = r.n > 0 ? EXIT_OK : EXIT_WARN;
	buf_release(&b);
	explain_release(&r);
	free(text);
	return rc;
}
