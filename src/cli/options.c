#include "options.h"

#include <stdlib.h>
#include <string.h>

void
options_init(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->timeout = OPTIONS_DEFAULT_TIMEOUT;
	o->format = FMT_TEXT;
}

void
options_release(struct options *o)
{
	if (o == NULL)
		return;
	free(o->domain);
	free(o->cloud);
	free(o->snapshot);
	free(o->cert);
	free(o->next_cert);
	free(o->thumbprint);
	strlist_release(&o->spns);
	free(o->spn_file);
	strlist_release(&o->hosts);
	strlist_release(&o->connect_to);
	strlist_release(&o->resolve);
	free(o->ca_file);
	strlist_release(&o->ca_add);
	strlist_release(&o->dns_servers);
	free(o->output);
	free(o->ps1);
	free(o->baseline);
	free(o->endpoints);
	free(o->tenant);
	free(o->token_file);
	free(o->pfx);
	free(o->metadata);
	free(o->domains_file);
	strlist_release(&o->args);
	strlist_release(&o->argv);
	strlist_release(&o->accepts);
	free(o->remediate);
	memset(o, 0, sizeof(*o));
}

void
options_pipeline_config(const struct options *o, struct pipeline_config *pc)
{
	struct context_config *c = &pc->ctx;

	memset(pc, 0, sizeof(*pc));
	c->cloud = o->cloud;
	c->domain = o->domain;
	c->hosts = &o->hosts;
	c->snapshot = o->snapshot;
	c->cert = o->cert;
	c->next_cert = o->next_cert;
	c->thumbprint = o->thumbprint;
	c->spns = &o->spns;
	c->spn_file = o->spn_file;
	c->window = o->window;
	c->now = o->now;
	c->offline = o->offline;
	c->net.connect_to = &o->connect_to;
	c->net.resolve = &o->resolve;
	c->net.dns_servers = &o->dns_servers;
	c->net.ca_file = o->ca_file;
	c->net.ca_add = &o->ca_add;
	c->net.timeout_ms = o->timeout * 1000;
	pc->endpoints = o->endpoints;
	pc->endpoints_override = o->endpoints_override;
	pc->format = o->format;
	pc->output = o->output;
	pc->ps1 = o->ps1;
	pc->no_color = o->no_color;
	pc->detail = o->quiet ? DETAIL_QUIET : o->verbose ? DETAIL_VERBOSE :
	    DETAIL_NORMAL;
	pc->argv = &o->argv;
	pc->accepts = o->accepts.n > 0 ? &o->accepts : NULL;
	pc->remediate = o->remediate;
}
