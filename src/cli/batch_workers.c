/*
 * batch over several processes: judging and TLS are CPU work, so the list
 * is split over --workers processes (default: one per core), each with its
 * own engine and a share of --parallel. The parent loads the CA store and
 * forks; each worker checks the entries i % N == k and sends every
 * organisation's summary row and report line up a pipe; the parent writes
 * the lines as they come and keeps the rows for the summary. Memory stays
 * bounded by --parallel: each worker admits organisations only while its
 * share of transfers is not taken.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/x509.h>

#include "batch.h"
#include "castore.h"

/* One organisation's result, as it travels from a worker to the parent. */
struct wire_head {
	size_t		idx;
	int		exit_code;
	int		worst;
	size_t		counts[SEV_ERROR + 1];
	long		elapsed_ms;
	size_t		len[5];		/* domain, cloud, tenant, html, json; SIZE_MAX: NULL */
};

static int
write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = write(fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* 1 a whole block, 0 end of file before any byte, -1 error or a cut block. */
static int
read_all(int fd, void *p, size_t n)
{
	char *c = p;
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, c + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return got == 0 ? 0 : -1;
		got += (size_t)r;
	}
	return 1;
}

void
batch_wire_send(struct batch *b, size_t idx, const char *json, size_t json_len)
{
	const struct batch_row *row = &b->rows[idx];
	const char *part[5] = { row->domain, row->cloud, row->tenant_id, row->html, json };
	struct wire_head h;

	memset(&h, 0, sizeof(h));
	h.idx = idx;
	h.exit_code = row->exit_code;
	h.worst = (int)row->worst;
	memcpy(h.counts, row->counts, sizeof(h.counts));
	h.elapsed_ms = row->elapsed_ms;
	for (int i = 0; i < 5; i++)
		h.len[i] = part[i] == NULL ? SIZE_MAX : i == 4 ? json_len : strlen(part[i]);
	if (write_all(b->wire_fd, &h, sizeof(h)) == -1)
		b->write_failed = 1;
	for (int i = 0; i < 5; i++)
		if (part[i] != NULL && write_all(b->wire_fd, part[i], h.len[i]) == -1)
			b->write_failed = 1;
	/* The parent has the row now: the worker keeps none of it. */
	free(b->rows[idx].html);
	b->rows[idx].html = NULL;
}

/* Reads one result into the parent's rows and writes its line; 0 at the end. */
static int
wire_receive(struct batch *b, int fd)
{
	struct wire_head h;
	char *part[5] = { NULL };
	struct batch_row *row;
	int rc = read_all(fd, &h, sizeof(h));

	if (rc <= 0)
		return rc;
	if (h.idx >= b->n)
		return -1;
	for (int i = 0; i < 5; i++) {
		if (h.len[i] == SIZE_MAX)
			continue;
		if (h.len[i] > 512u * 1024 * 1024)
			goto bad;
		part[i] = xmalloc(h.len[i] + 1);
		if (read_all(fd, part[i], h.len[i]) != 1 && h.len[i] > 0)
			goto bad;
		part[i][h.len[i]] = '\0';
	}
	row = &b->rows[h.idx];
	free(row->domain);
	free(row->cloud);
	free(row->tenant_id);
	free(row->html);
	row->domain = part[0];
	row->cloud = part[1];
	row->tenant_id = part[2];
	row->html = part[3];
	row->exit_code = h.exit_code;
	row->worst = (enum severity)h.worst;
	memcpy(row->counts, h.counts, sizeof(row->counts));
	row->elapsed_ms = h.elapsed_ms;
	if (part[4] != NULL && fwrite(part[4], 1, h.len[4], b->out) != h.len[4])
		b->write_failed = 1;
	free(part[4]);
	b->done++;
	return 1;
bad:
	for (int i = 0; i < 5; i++)
		free(part[i]);
	return -1;
}

int
batch_workers_run(struct batch *b, const struct net_config *cfg, FILE *err)
{
	size_t n = b->nworkers;
	struct pollfd *pfd = xcalloc(n, sizeof(*pfd));
	pid_t *pid = xcalloc(n, sizeof(*pid));
	struct net_config wcfg = *cfg;
	struct hcerr e = { "" };
	X509_STORE *store;
	size_t open = 0;
	int rc = 0;

	/* Read once here: every worker inherits the store, and reads no file. */
	if ((store = ca_store_get(cfg->ca_file, cfg->ca_add, &e)) == NULL) {
		fprintf(err, "hybridcheck: %s\n", e.msg);
		free(pfd);
		free(pid);
		return EXIT_INCOMPLETE;
	}
	/* --parallel is the whole run's: each worker has its share. */
	if (cfg->max_transfers > 0) {
		wcfg.max_transfers = (int)(((size_t)cfg->max_transfers + n - 1) / n);
		b->max_pending = (size_t)wcfg.max_transfers;
	}
	fflush(b->out);
	fflush(err);
	for (size_t k = 0; k < n; k++) {
		int fds[2];

		pfd[k].fd = -1;
		if (pipe(fds) == -1 || (pid[k] = fork()) == -1) {
			fprintf(err, "hybridcheck: cannot start worker %zu: %s\n",
			    k + 1, strerror(errno));
			rc = EXIT_INCOMPLETE;
			break;
		}
		if (pid[k] == 0) {
			/* The worker: its share, on its own engine; results up the pipe. */
			close(fds[0]);
			for (size_t i = 0; i < k; i++)
				if (pfd[i].fd >= 0)
					close(pfd[i].fd);
			b->worker = k;
			b->wire_fd = fds[1];
			b->progress = 0;
			rc = batch_engine(b, &wcfg, err);
			close(fds[1]);
			fflush(err);
			/* exit(): HYBRIDCHECK_STATS is written at exit. */
			exit(rc != 0 ? rc : b->write_failed ? EXIT_INCOMPLETE : 0);
		}
		close(fds[1]);
		pfd[k].fd = fds[0];
		pfd[k].events = POLLIN;
		open++;
	}
	X509_STORE_free(store);
	while (open > 0) {
		if (poll(pfd, n, 200) < 0 && errno != EINTR)
			break;
		for (size_t k = 0; k < n; k++) {
			int r;

			if (pfd[k].fd < 0 || !(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if ((r = wire_receive(b, pfd[k].fd)) <= 0) {
				if (r < 0)
					fprintf(err, "hybridcheck: worker %zu: its results "
					    "were cut short\n", k + 1);
				close(pfd[k].fd);
				pfd[k].fd = -1;
				open--;
			}
		}
	}
	for (size_t k = 0; k < n; k++) {
		int status;

		if (pid[k] <= 0)
			continue;
		while (waitpid(pid[k], &status, 0) == -1 && errno == EINTR)
			;
		/* A worker that failed leaves its organisations incomplete (rows unset). */
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fprintf(err, "hybridcheck: worker %zu ended %s %d\n", k + 1,
			    WIFEXITED(status) ? "with exit code" : "by signal",
			    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	}
	free(pfd);
	free(pid);
	return rc;
}
