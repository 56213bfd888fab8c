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
	memset(o, 0, sizeof(*o));
}
