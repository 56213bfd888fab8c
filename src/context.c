#include "context.h"

#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "spn.h"
#include "token.h"

void
context_add_host(struct context *ctx, const char *host)
{
	if (!strlist_contains_ci(&ctx->hosts, host))
		strlist_add(&ctx->hosts, host);
}

/* The Auth certificate, its thumbprint and the SPNs the options name. */
static int
context_load_auth(struct context *ctx, const struct options *opt,
    struct hcerr *e)
{
	char tp[CERT_THUMBPRINT_LEN + 1];
	unsigned changed = 0;
	struct hcerr why;

	if (opt->cert != NULL) {
		if ((ctx->cert = cert_load(opt->cert, 0, &why)) == NULL) {
			hcerr_set(e, "--cert: %s", why.msg);
			return -1;
		}
		ctx->have |= INPUT_CERT;
	}
	if (opt->next_cert != NULL) {
		if ((ctx->next_cert = cert_load(opt->next_cert, 0, &why)) == NULL) {
			hcerr_set(e, "--next-cert: %s", why.msg);
			return -1;
		}
		ctx->have |= INPUT_NEXT_CERT;
	}
	if (opt->thumbprint != NULL) {
		if (cert_thumbprint_normalize(opt->thumbprint, tp, &changed,
		    &why) == -1) {
			hcerr_set(e, "--thumbprint: %s", why.msg);
			return -1;
		}
		ctx->thumbprint = xstrdup(tp);
		ctx->thumbprint_given = xstrdup(opt->thumbprint);
		ctx->thumbprint_changed = (int)changed;
		ctx->have |= INPUT_THUMBPRINT;
	}
	if (opt->spns.n > 0 || opt->spn_file != NULL) {
		ctx->spns = spn_set_new();
		for (size_t i = 0; i < opt->spns.n; i++)
			spn_add(ctx->spns, opt->spns.v[i], "--spn", 0);
		if (opt->spn_file != NULL &&
		    spn_load_file(ctx->spns, opt->spn_file, &why) == -1) {
			hcerr_set(e, "--spn-file: %s", why.msg);
			return -1;
		}
		ctx->have |= INPUT_SPNS;
	}
	return 0;
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
	if (context_load_auth(ctx, opt, e) == -1)
		return -1;
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
	cert_free(ctx->cert);
	cert_free(ctx->next_cert);
	spn_set_free(ctx->spns);
	strlist_release(&ctx->hosts);
	token_input_free(ctx->token);
	memset(ctx, 0, sizeof(*ctx));
}
