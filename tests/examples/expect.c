/*
 * Runs the real binary on one example snapshot and compares its JSON
 * report with examples/<name>.expect:
 *
 *   now 2026-11-21T12:00:00Z      the date the checks judge against
 *   snapshot ../china-legacy.json  (optional) another snapshot than <name>.json
 *   args --domain contoso.cn       (optional) more options
 *   exit 2                         (optional) the exit code
 *   fail ioc.onprem [subject]      a finding that must be there
 *   remedy ioc.onprem              a step of the remediation script (--ps1)
 *   unfilled authcert.upload       that step may lack a value (NOT FILLED IN)
 *   noremedy                       the script has no step: it only verifies
 *   script TEXT                    the script contains TEXT
 *   mutation … / unfixed …         read by the simulation (tests/ps/README.md)
 *
 * Every warn, fail or error finding in the report must be listed: a new
 * failure is as much a regression as a missing one. Likewise every step of
 * the script must be listed, none may be dropped, and with HC_NODE and
 * HC_PSPARSE in the environment the script must parse in the real
 * PowerShell grammar.
 *
 * usage: hc-expect BINARY FILE.expect [SCRIPT_DIR]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "mem.h"
#include "buf.h"
#include "file.h"

/* A remedy line: kind is "remedy", "unfilled", "script" or "noscript" (text the script must not hold). */
struct rline {
	char	*kind;
	char	*text;
	int	 seen;
};

struct want {
	char	*sev;
	char	*check;
	char	*subject;	/* substring, or NULL */
	int	 seen;
};

static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
}

/* Runs argv with HYBRIDCHECK_NOW set; stdout into *out. Returns exit code. */
static int
run(char **argv, const char *now, struct buf *out)
{
	int fd[2], status;
	pid_t pid;
	char chunk[8192];
	ssize_t n;

	if (pipe(fd) == -1)
		return -1;
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		if (now)
			setenv("HYBRIDCHECK_NOW", now, 1);
		execv(argv[0], argv);
		fprintf(stderr, "hc-expect: cannot run '%s': %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	while ((n = read(fd[0], chunk, sizeof(chunk))) > 0)
		if (buf_append(out, chunk, (size_t)n) == -1)
			break;
	close(fd[0]);
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int
serious(const char *sev)
{
	return strcmp(sev, "warn") == 0 || strcmp(sev, "fail") == 0 ||
	    strcmp(sev, "error") == 0;
}

static struct rline *
rline_find(struct rline *r, size_t nr, const char *kind, const char *text)
{
	for (size_t i = 0; i < nr; i++)
		if (strcmp(r[i].kind, kind) == 0 && strcmp(r[i].text, text) == 0)
			return &r[i];
	return NULL;
}

/*
 * The remediation script against the remedy lines: each listed step is
 * there, no other step is, none was dropped or left unfilled unless
 * listed; then the real parser. Returns the number of problems.
 */
static size_t
check_script(const char *path, struct rline *r, size_t nr, int noremedy,
    size_t *checked)
{
	char *text = NULL, *cur = NULL, *save = NULL, *copy;
	const char *node = getenv("HC_NODE"), *psparse = getenv("HC_PSPARSE");
	size_t len, bad = 0, steps = 0;
	struct hcerr e = { "" };

	if (file_read(path, 16u << 20, &text, &len, &e) == -1) {
		printf("no remediation script: %s\n", e.msg);
		return 1;
	}
	if (nr == 0 && !noremedy) {
		printf("no remedy expectations (remedy ID or noremedy)\n");
		bad++;
	}
	if (strstr(text, "STEP DROPPED") != NULL) {
		printf("the script has a dropped step\n");
		bad++;
	}
	copy = xstrdup(text);
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *m = strstr(l, "# ---- ");
		struct rline *x = NULL;

		if (m != NULL && l[strspn(l, " ")] == '#') {
			size_t n = strcspn(m + 7, ":");

			free(cur);
			cur = xstrndup(m + 7, n);
			if (strcmp(cur, "verify") == 0) {
				free(cur);
				cur = NULL;
				continue;
			}
			steps++;
			if ((x = rline_find(r, nr, "remedy", cur)) != NULL)
				x->seen = 1;
			else {
				printf("unexpected step: %s\n", cur);
				bad++;
			}
		} else if (cur != NULL && strstr(l, "NOT FILLED IN") != NULL &&
		    (x = rline_find(r, nr, "unfilled", cur)) == NULL) {
			printf("step %s is NOT FILLED IN\n", cur);
			bad++;
			free(cur);
			cur = NULL;
		} else if (cur != NULL && strstr(l, "NOT FILLED IN") != NULL &&
		    x != NULL)
			x->seen = 1;
	}
	free(cur);
	free(copy);
	for (size_t i = 0; i < nr; i++, (*checked)++) {
		if (strcmp(r[i].kind, "script") == 0)
			r[i].seen = strstr(text, r[i].text) != NULL;
		if (strcmp(r[i].kind, "noscript") == 0) {
			if (strstr(text, r[i].text) != NULL) {
				printf("forbidden in the script: %s\n", r[i].text);
				bad++;
			}
			continue;
		}
		if (!r[i].seen) {
			printf("missing in the script: %s %s\n", r[i].kind, r[i].text);
			bad++;
		}
	}
	if (noremedy) {
		(*checked)++;
		if (steps > 0 || strstr(text, "This script only verifies") == NULL) {
			printf("noremedy: the script has %zu step(s)\n", steps);
			bad++;
		}
	}
	if (node != NULL && psparse != NULL) {
		char *pargv[] = { (char *)node, "--no-deprecation", (char *)psparse,
		    (char *)path, NULL };
		struct buf out;
		int rc;

		buf_init(&out, 1u << 20);
		rc = run(pargv, NULL, &out);
		(*checked)++;
		if (rc != 0) {
			printf("the script does not parse (exit %d):\n%s", rc,
			    out.data ? out.data : "");
			bad++;
		}
		buf_release(&out);
	}
	free(text);
	return bad;
}

int
main(int argc, char **argv)
{
	char *text = NULL, *dir, *snap = NULL, *now = NULL, *line, *save = NULL;
	char *ps1 = NULL;
	struct want *w = NULL;
	struct rline *r = NULL;
	size_t nw = 0, nr = 0, len, bad = 0, checked = 0;
	int noremedy = 0;
	struct strlist args = { 0 }, cmd = { 0 };
	struct buf out;
	struct hcerr e = { "" };
	int want_exit = -1, rc;
	cJSON *root, *fds, *f;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: hc-expect BINARY FILE.expect [SCRIPT_DIR]\n");
		return 2;
	}
	if (file_read(argv[2], 1 << 20, &text, &len, &e) == -1) {
		fprintf(stderr, "hc-expect: %s\n", e.msg);
		return 2;
	}
	dir = dir_of(argv[2]);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *word, *rest, *s2 = NULL;

		if (line[0] == '#' || line[strspn(line, " \t\r")] == '\0')
			continue;
		word = strtok_r(line, " \t\r", &s2);
		rest = strtok_r(NULL, "\r", &s2);
		while (rest && (*rest == ' ' || *rest == '\t'))
			rest++;
		if (strcmp(word, "now") == 0 && rest)
			now = xstrdup(rest);
		else if (strcmp(word, "snapshot") == 0 && rest)
			snap = rest[0] == '/' ? xstrdup(rest) :
			    xasprintf("%s/%s", dir, rest);
		else if (strcmp(word, "exit") == 0 && rest)
			want_exit = atoi(rest);
		else if (strcmp(word, "noremedy") == 0)
			noremedy = 1;
		else if (strcmp(word, "mutation") == 0 || strcmp(word, "unfixed") == 0 ||
		    strcmp(word, "answer") == 0)
			continue;	/* read by the simulation (tests/ps) */
		else if ((strcmp(word, "remedy") == 0 || strcmp(word, "unfilled") == 0 ||
		    strcmp(word, "script") == 0 || strcmp(word, "noscript") == 0) &&
		    rest) {
			r = xrealloc(r, (nr + 1) * sizeof(*r));
			r[nr].kind = xstrdup(word);
			r[nr].text = xstrdup(rest);
			r[nr].seen = 0;
			nr++;
		}
		else if (strcmp(word, "args") == 0 && rest) {
			char *s3 = NULL;

			for (char *a = strtok_r(rest, " \t", &s3); a; a = strtok_r(NULL, " \t", &s3))
				strlist_add(&args, a);
		} else {
			char *check, *subject, *s3 = NULL;

			check = rest ? strtok_r(rest, " \t", &s3) : NULL;
			subject = check ? strtok_r(NULL, "", &s3) : NULL;
			if (check == NULL) {
				fprintf(stderr, "%s: bad line '%s'\n", argv[2], word);
				return 2;
			}
			w = xrealloc(w, (nw + 1) * sizeof(*w));
			w[nw].sev = xstrdup(word);
			w[nw].check = xstrdup(check);
			w[nw].subject = subject ? xstrdup(subject) : NULL;
			w[nw].seen = 0;
			nw++;
		}
	}
	if (snap == NULL) {
		size_t n = strlen(argv[2]);

		snap = xasprintf("%.*s.json", (int)(n - 7), argv[2]);
	}
	strlist_add(&cmd, argv[1]);
	strlist_add(&cmd, "preflight");
	strlist_add(&cmd, "--snapshot");
	strlist_add(&cmd, snap);
	strlist_add(&cmd, "--offline");
	strlist_add(&cmd, "--format");
	strlist_add(&cmd, "json");
	for (size_t i = 0; i < args.n; i++)
		strlist_add(&cmd, args.v[i]);
	if (argc == 4) {
		const char *base = strrchr(argv[2], '/');
		size_t n;

		base = base ? base + 1 : argv[2];
		n = strlen(base) - 7;
		ps1 = xasprintf("%s/%.*s.ps1", argv[3], (int)n, base);
		unlink(ps1);
		strlist_add(&cmd, "--ps1");
		strlist_add(&cmd, ps1);
	}
	cmd.v = xrealloc(cmd.v, (cmd.n + 1) * sizeof(char *));
	cmd.v[cmd.n] = NULL;

	buf_init(&out, 64u << 20);
	rc = run(cmd.v, now, &out);
	if (rc < 0 || out.data == NULL) {
		fprintf(stderr, "hc-expect: %s produced no report (exit %d)\n", snap, rc);
		return 1;
	}
	if ((root = cJSON_Parse(out.data)) == NULL ||
	    !cJSON_IsArray(fds = cJSON_GetObjectItem(root, "findings"))) {
		fprintf(stderr, "hc-expect: %s: the report is not JSON\n", snap);
		return 1;
	}
	cJSON_ArrayForEach(f, fds) {
		const char *sev = cJSON_GetStringValue(cJSON_GetObjectItem(f, "severity"));
		const char *chk = cJSON_GetStringValue(cJSON_GetObjectItem(f, "check"));
		const char *sub = cJSON_GetStringValue(cJSON_GetObjectItem(f, "subject"));
		int listed = 0;

		if (!sev || !chk)
			continue;
		for (size_t i = 0; i < nw; i++)
			if (strcmp(w[i].sev, sev) == 0 && strcmp(w[i].check, chk) == 0 &&
			    (w[i].subject == NULL || (sub && strstr(sub, w[i].subject)))) {
				w[i].seen = 1;
				listed = 1;
			}
		if (serious(sev) && !listed) {
			const char *msg = cJSON_GetStringValue(cJSON_GetObjectItem(f, "message"));

			printf("unexpected: %s %s %s: %s\n", sev, chk, sub ? sub : "",
			    msg ? msg : "");
			bad++;
		}
	}
	for (size_t i = 0; i < nw; i++, checked++)
		if (!w[i].seen) {
			printf("missing: %s %s%s%s\n", w[i].sev, w[i].check,
			    w[i].subject ? " " : "", w[i].subject ? w[i].subject : "");
			bad++;
		}
	if (want_exit >= 0) {
		checked++;
		if (rc != want_exit) {
			printf("exit code %d, expected %d\n", rc, want_exit);
			bad++;
		}
	}
	if (ps1 != NULL)
		bad += check_script(ps1, r, nr, noremedy, &checked);
	printf("%s: %zu expectations, %zu problem(s)\n", argv[2], checked, bad);
	cJSON_Delete(root);
	buf_release(&out);
	for (size_t i = 0; i < nw; i++) {
		free(w[i].sev);
		free(w[i].check);
		free(w[i].subject);
	}
	free(w);
	for (size_t i = 0; i < nr; i++) {
		free(r[i].kind);
		free(r[i].text);
	}
	free(r);
	free(ps1);
	cmd.v[cmd.n] = NULL;	/* strlist_release frees n entries */
	strlist_release(&cmd);
	strlist_release(&args);
	free(text);
	free(dir);
	free(snap);
	free(now);
	return bad ? 1 : 0;
}
