/*
 * batch's state, shared by cmd_batch.c (one engine over the list) and
 * batch_workers.c (the list split over processes, one engine each).
 */
#ifndef HC_BATCH_H
#define HC_BATCH_H

#include <stdio.h>

#include "commands.h"
#include "pipeline.h"
#include "findings.h"
#include "http.h"
#include "probe.h"

/* One line of the domains file. */
struct batch_entry {
	char		*domain;
	char		*cloud;		/* as written, or NULL: discovered */
	size_t		 line;
};

/* What the summary keeps of an organisation once its report is written. */
struct batch_row {
	char		*domain;
	char		*cloud;		/* the profile used, or NULL */
	char		*tenant_id;
	enum severity	 worst;
	size_t		 counts[SEV_ERROR + 1];
	int		 exit_code;
	long		 elapsed_ms;
	char		*html;		/* --format html: its report's sections */
};

/* An organisation being checked. */
struct batch_org {
	size_t			 idx;		/* in the list and the summary */
	struct pipeline_config	 cfg;		/* the batch's, with its domain and cloud */
	struct pipeline		 pl;
	struct probe_run	*run;
	struct batch_org	*next;
};

struct batch {
	const struct options	*o;
	struct pipeline_config	 cfg;		/* what every organisation shares */
	struct cloud_set	 clouds;
	struct batch_entry	*v;
	size_t			 n;
	size_t			 next;		/* the next entry to admit */
	size_t			 done;
	struct batch_row	*rows;
	struct batch_org	*orgs;		/* in flight */
	size_t			 inflight;
	struct http_engine	*eng;
	size_t			 max_pending;
	FILE			*out;		/* reports */
	FILE			*err;
	int			 progress;	/* stderr is a terminal */
	long long		 t0;
	long long		 last_progress;
	int			 write_failed;
	size_t			 worker;	/* this process checks entries i % nworkers == worker */
	size_t			 nworkers;	/* 0 or 1: one process */
	int			 wire_fd;	/* a worker: results go to the parent; else -1 */
};

/* Checks this process's share of the list on one engine; 0, or an exit code. */
int	batch_engine(struct batch *b, const struct net_config *cfg, FILE *err);
/* Splits the list over nworkers processes, each running batch_engine. */
int	batch_workers_run(struct batch *b, const struct net_config *cfg, FILE *err);
/* A worker's result for one organisation, to the parent (batch_workers.c). */
void	batch_wire_send(struct batch *b, size_t idx, const char *json, size_t json_len);

#endif
