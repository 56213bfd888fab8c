/* Helpers shared by the configuration checks; see cfg.h. */
#include "cfg.h"
#include "msid.h"
#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "str.h"

time_t
cfg_cutoff(const struct context *ctx)
{
	struct model_milestone m;

	model_milestone(ctx, MODEL_T0, &m);
	return m.known ? m.at : (time_t)-1;
}

void
cfg_date(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

int
cfg_skip_unless(const struct context *ctx, struct findings *out, int present,
    const char *part, const char *what)
{
	const struct snap_error *er;
	struct finding *fd;

	if (present)
		return 0;
	er = snapshot_error_for(ctx->snapshot, part);
	if (er != NULL && er->message != NULL) {
		char *why = str_clean_text(er->message);

		fd = findings_add(out, SEV_SKIP, "", "the snapshot has no %s: %s",
		    what, why);
		free(why);
	} else
		fd = findings_add(out, SEV_SKIP, "", "the snapshot has no %s", what);
	finding_evidence(fd, "missing", "%s", part);
	return 1;
}

const struct snap_error *
cfg_part_error(const struct snapshot *s, const char *part)
{
	for (size_t i = 0; s != NULL && i < s->nerrors; i++)
		if (s->errors[i].part != NULL && strcasecmp(s->errors[i].part, part) == 0)
			return &s->errors[i];
	return NULL;
}

int
cfg_skip_part(const struct context *ctx, struct findings *out, int present,
    const char *part, const char *what)
{
	const struct snap_error *er = cfg_part_error(ctx->snapshot, part);
	struct finding *fd;
	char *why;

	if (er == NULL)
		return cfg_skip_unless(ctx, out, present, part, what);
	why = str_clean_text(er->message ? er->message : "no message");
	fd = findings_add(out, SEV_SKIP, "", "the collector could not read the "
	    "%s (%s): %s", what, part, why);
	finding_evidence(fd, "missing", "%s", part);
	free(why);
	return 1;
}

const char *
cfg_tenant_id(const struct context *ctx, const char **source)
{
	if (ctx->snapshot != NULL && ctx->snapshot->tenant_id != NULL) {
		if (source)
			*source = "snapshot";
		return ctx->snapshot->tenant_id;
	}
	if (ctx->probes != NULL && ctx->probes->tenant_id != NULL) {
		if (source)
			*source = "tenant discovery";
		return ctx->probes->tenant_id;
	}
	return NULL;
}

int
cfg_url_host(const char *url, char *buf, size_t len)
{
	const char *p, *end;
	size_t n;

	if (url == NULL || (p = strstr(url, "://")) == NULL)
		return -1;
	p += 3;
	end = p + strcspn(p, "/:?#");
	n = (size_t)(end - p);
	if (n == 0 || n >= len)
		return -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	str_lower(buf);
	return 0;
}

const char *
cfg_url_path(const char *url)
{
	const char *p;

	if (url == NULL || (p = strstr(url, "://")) == NULL)
		return "";
	p = strchr(p + 3, '/');
	return p ? p : "";
}

int
cfg_is_guid(const char *s)
{
	return s != NULL && str_is_guid(s, strlen(s));
}


size_t
cfg_hybrid_apps(const struct snapshot *s, const struct snap_app **v, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < s->entra.napps && n < max; i++) {
		const struct snap_app *a = &s->entra.apps[i];
		int named = a->display_name != NULL && strncasecmp(a->display_name,
		    HYBRID_APP_PREFIX, strlen(HYBRID_APP_PREFIX)) == 0;

		for (size_t k = 0; !named && k < s->onprem.nauthservers; k++)
			named = s->onprem.authservers[k].type == AUTHSERVER_AZUREAD &&
			    str_caseeq(s->onprem.authservers[k].app_id, a->app_id);
		if (named)
			v[n++] = a;
	}
	return n;
}

int
cfg_full_access_consented(const struct snap_app *a)
{
	for (size_t r = 0; r < a->nassignments; r++)
		if (str_caseeq(a->assignments[r].app_role_id, MSID_FULL_ACCESS_AS_APP) &&
		    (a->assignments[r].resource_app_id == NULL ||
		    str_caseeq(a->assignments[r].resource_app_id, MSID_EXO_APP)))
			return 1;
	return 0;
}

/* The Entra parts consent is read from; an error on any leaves it unknown. */
static const char *const consent_parts[] = { "entra", "entra.hybridApplications",
    ASSIGNMENTS_PART };

enum cfg_consent
cfg_app_consent(const struct context *ctx, char *why, size_t len)
{
	const struct snapshot *s = ctx->snapshot;
	const struct snap_authserver *as[8];
	const struct snap_app *apps[8];
	size_t nas, napps, named = 0, granted = 0;

	if (s == NULL || !s->entra.present) {
		snprintf(why, len, "the snapshot has no Entra ID data");
		return CONSENT_UNKNOWN;
	}
	for (size_t i = 0; i < sizeof(consent_parts) / sizeof(consent_parts[0]); i++)
		if (cfg_part_error(s, consent_parts[i]) != NULL) {
			snprintf(why, len, "the collector could not read %s",
			    consent_parts[i]);
			return CONSENT_UNKNOWN;
		}
	/* The application an enabled AzureAD AuthServer names decides. */
	nas = org_azure_authservers(s, as, 8);
	for (size_t i = 0; i < nas; i++) {
		if (as[i]->enabled == TRI_FALSE || as[i]->app_id == NULL ||
		    str_caseeq(as[i]->app_id, MSID_EXO_APP))
			continue;
		named++;
		for (size_t k = 0; k < s->entra.napps; k++)
			if (str_caseeq(s->entra.apps[k].app_id, as[i]->app_id)) {
				if (cfg_full_access_consented(&s->entra.apps[k]))
					granted++;
				break;
			}
	}
	if (named > 0) {
		if (granted == named) {
			snprintf(why, len, "full_access_as_app consented for the "
			    "application the AzureAD AuthServer names");
			return CONSENT_GRANTED;
		}
		snprintf(why, len, "Entra ID shows no admin consent for "
		    "full_access_as_app on the application the AzureAD "
		    "AuthServer names");
		return CONSENT_MISSING;
	}
	napps = cfg_hybrid_apps(s, apps, 8);
	for (size_t i = 0; i < napps; i++)
		if (cfg_full_access_consented(apps[i])) {
			snprintf(why, len, "full_access_as_app consented for %s",
			    apps[i]->display_name ? apps[i]->display_name :
			    apps[i]->app_id);
			return CONSENT_GRANTED;
		}
	snprintf(why, len, napps ? "Entra ID shows no admin consent for "
	    "full_access_as_app on the hybrid application" : "there is no "
	    "dedicated hybrid application in Entra ID");
	return CONSENT_MISSING;
}

void
cfg_override_remedy(const struct context *ctx, struct finding *fd)
{
	static const char *const word[] = { "unknown", "granted", "missing" };
	char why[160];
	enum cfg_consent c = cfg_app_consent(ctx, why, sizeof(why));

	finding_evidence(fd, "admin consent", "%s (%s)", word[c], why);
	finding_param(fd, RP_CONSENT, "%s: %s", word[c], why);
	finding_remedy(fd, "hybridapp.override");
}

int
cfg_dedicated(const struct snapshot *s)
{
	const struct snap_authserver *as[1];

	return org_azure_authservers(s, as, 1) > 0;
}

int
cfg_dauth_serves(const struct context *ctx)
{
	const char *v;

	if (ctx->cloud == NULL)
		return 0;
	v = cloud_value(ctx->cloud, "dauth_freebusy");
	return v == NULL || strcasecmp(v, "no") != 0;
}

int
cfg_dauth_assumed(const struct context *ctx)
{
	const struct cloud_field *f = ctx->cloud ? cloud_field(ctx->cloud,
	    "dauth_freebusy") : NULL;

	return f == NULL || f->certainty == NULL ||
	    strcmp(f->certainty, "confirmed") != 0;
}

void
cfg_dauth_evidence(const struct context *ctx, struct finding *fd)
{
	const struct cloud_field *f = ctx->cloud ? cloud_field(ctx->cloud,
	    "dauth_freebusy") : NULL;

	finding_evidence(fd, "DAuth free/busy in this cloud", "%s (%s; %s)",
	    f && f->values.n ? f->values.v[0] : "yes",
	    f && f->source ? f->source : "the profile does not say: assumed as worldwide",
	    f && f->certainty ? f->certainty : "unsettled");
}

enum model_class
cfg_oauth_unused(const struct context *ctx)
{
	struct model m;
	enum model_class c = MODEL_UNKNOWN;

	if (ctx->snapshot == NULL || !ctx->snapshot->onprem.present)
		return MODEL_UNKNOWN;
	model_classify(ctx, &m);
	if (m.rich == 0)
		c = MODEL_NONE;
	else if (m.cls == MODEL_DAUTH && !m.mixed && cfg_dauth_serves(ctx))
		c = MODEL_DAUTH;
	model_release(&m);
	return c;
}

int
cfg_skip_oauth_unused(const struct context *ctx, struct findings *out,
    const char *what)
{
	enum model_class c = cfg_oauth_unused(ctx);
	struct finding *fd;

	if (c == MODEL_UNKNOWN)
		return 0;
	if (c == MODEL_DAUTH)
		fd = findings_add(out, SEV_INFO, "", "DAuth-only hybrid (no enabled "
		    "IntraOrganizationConnector, free/busy through the "
		    "OrganizationRelationship): %s is not used and is left alone "
		    "(hybrid.model judges the model against T2)", what);
	else
		fd = findings_add(out, SEV_INFO, "", "HybridConfiguration Features "
		    "name no rich coexistence feature: %s is not required", what);
	finding_evidence(fd, "class", "%s", model_class_name(c));
	return 1;
}

int
cfg_dedicated_required(const struct context *ctx)
{
	if (cfg_oauth_unused(ctx) != MODEL_UNKNOWN)
		return 0;
	return cfg_dedicated(ctx->snapshot) || model_reached(ctx, MODEL_T0);
}

int
cfg_key_matches(const struct snap_keycred *k, const char *thumbprint,
    const unsigned char *der, size_t der_len)
{
	if (der != NULL && k->der != NULL)
		return k->der_len == der_len && memcmp(k->der, der, der_len) == 0;
	if (thumbprint == NULL)
		return 0;
	if (k->key_thumbprint != NULL)
		return strcmp(k->key_thumbprint, thumbprint) == 0;
	return k->custom_thumbprint != NULL &&
	    strcmp(k->custom_thumbprint, thumbprint) == 0;
}

const struct snap_keycred *
cfg_find_key(const struct snap_keycred *keys, size_t n, const char *thumbprint,
    const unsigned char *der, size_t der_len)
{
	for (size_t i = 0; i < n; i++)
		if (cfg_key_matches(&keys[i], thumbprint, der, der_len))
			return &keys[i];
	return NULL;
}

const struct snap_cert *
cfg_find_cert(const struct snapshot *s, const char *thumbprint)
{
	const struct snap_cert *found = NULL;

	if (thumbprint == NULL)
		return NULL;
	for (size_t i = 0; i < s->onprem.nservers; i++)
		for (size_t c = 0; c < s->onprem.servers[i].ncerts; c++) {
			const struct snap_cert *x = &s->onprem.servers[i].certs[c];

			if (x->thumbprint == NULL || strcmp(x->thumbprint, thumbprint))
				continue;
			if (x->der != NULL)
				return x;
			if (found == NULL)
				found = x;
		}
	return found;
}


const struct cloud *
cfg_cloud_of_host(const struct context *ctx, const char *key, const char *host)
{
	for (size_t i = 0; i < ctx->clouds->n; i++) {
		const struct cloud_field *f = cloud_field(&ctx->clouds->v[i], key);

		for (size_t j = 0; f != NULL && j < f->values.n; j++) {
			char h[256];

			if (cfg_url_host(f->values.v[j], h, sizeof(h)) == 0 &&
			    strcmp(h, host) == 0)
				return &ctx->clouds->v[i];
		}
	}
	return NULL;
}

int
cfg_url_eq(const char *a, const char *b)
{
	size_t la, lb;

	if (a == NULL || b == NULL)
		return 0;
	la = strlen(a);
	lb = strlen(b);
	while (la > 0 && a[la - 1] == '/')
		la--;
	while (lb > 0 && b[lb - 1] == '/')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

char *
cfg_join(const struct strlist *l)
{
	struct buf b;

	buf_init(&b, 1u << 20);
	for (size_t i = 0; i < l->n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", l->v[i]);
	if (b.data == NULL)
		return xstrdup("");
	return buf_steal(&b);
}

/* Where the routing domain came from, and which form it has. */
void
cfg_routing_evidence(struct finding *fd, const struct org_routing *rt)
{
	if (rt == NULL || rt->domain == NULL)
		return;
	finding_evidence_param(fd, RP_ROUTING_DOMAIN, "routing domain", "%s", rt->domain);
	finding_evidence(fd, "routing domain from", "%s", rt->from);
	finding_evidence(fd, "routing domain form", "<tenant>.%s", rt->suffix);
}
