/*
 * Runs the real binary on one example snapshot and compares its JSON
 * report with examples/<name>.expect:
 *
 *   now 2026-11-21T12:00:00Z      the date the checks judge against
 *   snapshot ../china-legacy.json  (optional) another snapshot than <name>.json
 *   args --domain contoso.cn       (optional) more options
 *   exit 2                         (optional) the exit code
 *   fail ioc.onprem [subject]      a finding that must be there
 *
 * Every warn, fail or error finding in the report must be listed: a new
 * failure is as much a regression as a missing one.
 *
 * usage: hc-expect BINARY FILE.expect
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "util.h"

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

int
main(int argc, char **argv)
{
	char *text = NULL, *dir, *snap = NULL, *now = NULL, *line, *save = NULL;
	struct want *w = NULL;
	size_t nw = 0, len, bad = 0, checked = 0;
	struct strlist args = { 0 }, cmd = { 0 };
	struct buf out;
	struct hcerr e = { "" };
	int want_exit = -1, rc;
	cJSON *root, *fds, *f;

	if (argc != 3) {
		fprintf(stderr, "usage: hc-expect BINARY FILE.expect\n");
		return 2;
	}
	if (util_read_file(argv[2], 1 << 20, &text, &len, &e) == -1) {
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
	printf("%s: %zu expectations, %zu problem(s)\n", argv[2], checked, bad);
	cJSON_Delete(root);
	buf_release(&out);
	for (size_t i = 0; i < nw; i++) {
		free(w[i].sev);
		free(w[i].check);
		free(w[i].subject);
	}
	free(w);
	cmd.v[cmd.n] = NULL;	/* strlist_release frees n entries */
	strlist_release(&cmd);
	strlist_release(&args);
	free(text);
	free(dir);
	free(snap);
	free(now);
	return bad ? 1 : 0;
}
