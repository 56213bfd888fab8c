#include "context.h"

#include <stdlib.h>
#include <string.h>

void
context_add_host(struct context *ctx, const char *host)
{
	if (!strlist_contains_ci(&ctx->hosts, host))
		strlist_add(&ctx->hosts, host);
}

int
context_build(struct context *ctx, const struct options *opt,
    const struct cloud_set *clouds, struct hcerr *e)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->opt = opt;
	ctx->clouds = clouds;
	ctx->now = time(NULL);

	if (opt->cloud != NULL) {
		if ((ctx->cloud = cloud_find(clouds, opt->cloud)) == NULL) {
			hcerr_set(e, "unknown cloud '%s'", opt->cloud);
			return -1;
		}
		ctx->have |= INPUT_CLOUD;
	}
	if (opt->domain != NULL) {
		char *ad = xasprintf("autodiscover.%s", opt->domain);

		ctx->have |= INPUT_DOMAIN;
		/* Exchange Online always reaches the organisation here. */
		context_add_host(ctx, ad);
		free(ad);
	}
	for (size_t i = 0; i < opt->hosts.n; i++)
		context_add_host(ctx, opt->hosts.v[i]);
	if (ctx->hosts.n > 0)
		ctx->have |= INPUT_HOSTS;
	return 0;
}

void
context_release(struct context *ctx)
{
	if (ctx == NULL)
		return;
	free(ctx->thumbprint);
	free(ctx->thumbprint_given);
	strlist_release(&ctx->hosts);
	memset(ctx, 0, sizeof(*ctx));
}
