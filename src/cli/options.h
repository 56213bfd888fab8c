/* What the command line asked for, after validation. */
#ifndef HC_OPTIONS_H
#define HC_OPTIONS_H

#include <time.h>

#include "buf.h"
#include "pipeline.h"
#include "report.h"

/* Every string is owned and already validated (DNS names normalised). */
struct options {
	char		*domain;
	char		*cloud;		/* a profile name or alias */
	char		*snapshot;
	char		*cert;
	char		*next_cert;
	char		*thumbprint;	/* as given; normalised by cert code */
	struct strlist	 spns;
	char		*spn_file;
	struct strlist	 hosts;
	int		 offline;
	struct strlist	 connect_to;	/* HOST:PORT:HOST2:PORT2 */
	struct strlist	 resolve;	/* HOST:PORT:ADDR[,ADDR] */
	char		*ca_file;	/* the only roots */
	struct strlist	 ca_add;	/* more roots */
	struct strlist	 dns_servers;	/* ADDR[:PORT], at most two */
	long		 timeout;	/* seconds */
	enum report_format format;
	char		*output;
	char		*ps1;
	char		*baseline;
	char		*endpoints;	/* extra cloud profiles */
	int		 endpoints_override;	/* they may replace built-in ones */
	long		 window;	/* days; 0 = none */
	int		 no_color;
	int		 quiet;		/* -q: the verdict and the problems */
	int		 verbose;	/* -v: everything */
	int		 show_upload;	/* cert: print the base64 to upload */
	char		*tenant;	/* tenant id (GUID), lower-case */
	char		*token_file;	/* a file holding a token */
	char		*pfx;		/* the Auth certificate with its private key */
	char		*metadata;	/* a saved ACS or on-premises auth metadata document */
	char		*domains_file;	/* batch: one organisation a line */
	long		 parallel;	/* batch: transfers at once */
	long		 workers;	/* batch: processes; 0 one per core */
	struct strlist	 args;		/* positional arguments */
	struct strlist	 argv;		/* the command line from the command on, as given */
	time_t		 now;		/* the run's clock: HYBRIDCHECK_NOW, else the start */
	/* Made from the above once parsed (cli_parse): */
	struct strlist	 accepts;	/* the options the command takes */
	char		*remediate;	/* the command line that writes the script */
};

#define OPTIONS_DEFAULT_TIMEOUT	10
#define OPTIONS_DEFAULT_PARALLEL	32

void	options_init(struct options *o);
void	options_release(struct options *o);

/*
 * What the options ask of the pipeline, borrowed from o (which must
 * outlive pc): the context's inputs, the network settings, the outputs.
 */
void	options_pipeline_config(const struct options *o,
	    struct pipeline_config *pc);

#endif
