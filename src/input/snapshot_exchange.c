/*
 * Exchange's objects in a snapshot: what Get-AuthConfig, Get-AuthServer,
 * Get-PartnerApplication, the connectors, relationships, domains,
 * overrides and servers wrote on-premises, and the same cmdlets' answers
 * from Exchange Online.
 */
#include "snapshot_parts.h"

#include <stdlib.h>
#include <string.h>
#include "str.h"

static void
lower_opt(char *s)
{
	if (s != NULL)
		str_lower(s);
}

/* Drops a trailing dot and lower-cases every name of a domain list. */
static void
lower_list(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		str_lower(l->v[i]);
}

static int
thumb_field(struct psjson *j, const cJSON *obj, const char *key, char **out)
{
	char *raw = NULL;

	*out = NULL;
	if (psjson_str(j, obj, key, &raw) == -1)
		return -1;
	if (raw != NULL && raw[0] != '\0' && (*out = snapshot_thumbprint(raw)) == NULL) {
		cJSON *shown = cJSON_CreateString(raw);

		psjson_bad(j, key, "a thumbprint (40 hex digits)", shown);
		cJSON_Delete(shown);
		free(raw);
		return -1;
	}
	free(raw);
	return 0;
}

/* ---- on-premises objects ---- */

static int
parse_authconfig(struct psjson *j, const cJSON *o, struct snap_authconfig *a)
{
	a->present = 1;
	if (thumb_field(j, o, "currentCertificateThumbprint", &a->current_thumbprint) ||
	    thumb_field(j, o, "previousCertificateThumbprint", &a->previous_thumbprint) ||
	    thumb_field(j, o, "nextCertificateThumbprint", &a->next_thumbprint) ||
	    psjson_date(j, o, "nextCertificateEffectiveDate", &a->next_effective) ||
	    psjson_str(j, o, "serviceName", &a->service_name) ||
	    psjson_str(j, o, "realm", &a->realm))
		return -1;
	return 0;
}

static const char *const authserver_types[] = { "Unknown", "MicrosoftACS",
    "Facebook", "LinkedIn", "ADFS", "AzureAD" };

static int
parse_authserver(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_authserver *a = slot;
	int t;

	if (psjson_str(j, o, "name", &a->name) ||
	    psjson_enum(j, o, "type", authserver_types, 6, &t, &a->type_text) ||
	    psjson_str(j, o, "authMetadataUrl", &a->metadata_url) ||
	    psjson_str(j, o, "issuerIdentifier", &a->issuer) ||
	    psjson_str(j, o, "realm", &a->realm) ||
	    psjson_str(j, o, "applicationIdentifier", &a->app_id) ||
	    psjson_str(j, o, "tokenIssuingEndpoint", &a->token_endpoint) ||
	    psjson_bool(j, o, "enabled", &a->enabled) ||
	    psjson_strlist(j, o, "domainName", &a->domains) ||
	    psjson_str(j, o, "graphBaseUrl", &a->graph_base_url))
		return -1;
	/* Older builds have no Type: the metadata document's kind tells. */
	if (t <= 0 && a->metadata_url != NULL) {
		if (strstr(a->metadata_url, "federationmetadata") != NULL)
			t = AUTHSERVER_AZUREAD;
		else if (strstr(a->metadata_url, "/metadata/json/1") != NULL)
			t = AUTHSERVER_ACS;
	}
	a->type = t < 0 ? AUTHSERVER_UNKNOWN : (enum authserver_type)t;
	if (a->type_text != NULL && strcmp(a->type_text, "EvoSts") == 0)
		a->type = AUTHSERVER_AZUREAD;
	lower_opt(a->realm);
	lower_opt(a->app_id);
	lower_list(&a->domains);
	return 0;
}

static int
parse_partnerapp(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_partnerapp *p = slot;

	if (psjson_str(j, o, "name", &p->name) ||
	    psjson_str(j, o, "applicationIdentifier", &p->app_id) ||
	    psjson_str(j, o, "realm", &p->realm) ||
	    psjson_str(j, o, "authMetadataUrl", &p->metadata_url) ||
	    psjson_bool(j, o, "enabled", &p->enabled) ||
	    psjson_bool(j, o, "useAuthServer", &p->use_auth_server) ||
	    psjson_str(j, o, "linkedAccount", &p->linked_account))
		return -1;
	p->linked_account_collected = cJSON_GetObjectItem(o, "linkedAccount") != NULL;
	if (p->linked_account != NULL && p->linked_account[0] == '\0') {
		free(p->linked_account);
		p->linked_account = NULL;
	}
	lower_opt(p->app_id);
	return 0;
}

static int
parse_ioc(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_ioc *c = slot;

	if (psjson_str(j, o, "name", &c->name) ||
	    psjson_bool(j, o, "enabled", &c->enabled) ||
	    psjson_str(j, o, "discoveryEndpoint", &c->discovery_endpoint) ||
	    psjson_strlist(j, o, "targetAddressDomains", &c->target_domains) ||
	    psjson_str(j, o, "targetSharingEpr", &c->target_sharing))
		return -1;
	lower_list(&c->target_domains);
	return 0;
}

static const char *const access_methods[] = { "PerUserFB", "OrgWideFB",
    "PublicFolder", "InternalProxy", "OrgWideFBBasic" };

static int
parse_space(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_address_space *a = slot;
	int m;

	if (psjson_str(j, o, "forestName", &a->forest) ||
	    psjson_enum(j, o, "accessMethod", access_methods, 5, &m, &a->method_text) ||
	    psjson_str(j, o, "proxyUrl", &a->proxy_url) ||
	    psjson_bool(j, o, "useServiceAccount", &a->use_service_account) ||
	    psjson_str(j, o, "targetAutodiscoverEpr", &a->target_autodiscover))
		return -1;
	a->method = (enum access_method)m;
	lower_opt(a->forest);
	return 0;
}

static int
parse_orgrel(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_orgrel *r = slot;

	if (psjson_str(j, o, "name", &r->name) ||
	    psjson_bool(j, o, "enabled", &r->enabled) ||
	    psjson_strlist(j, o, "domainNames", &r->domains) ||
	    psjson_bool(j, o, "freeBusyAccessEnabled", &r->freebusy_enabled) ||
	    psjson_str(j, o, "freeBusyAccessLevel", &r->freebusy_level) ||
	    psjson_str(j, o, "targetApplicationUri", &r->target_app_uri) ||
	    psjson_str(j, o, "targetAutodiscoverEpr", &r->target_autodiscover) ||
	    psjson_str(j, o, "targetSharingEpr", &r->target_sharing))
		return -1;
	lower_list(&r->domains);
	return 0;
}

static const char *const domain_types[] = { "Authoritative", "ExternalRelay",
    "InternalRelay" };

static int
parse_domain(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_domain *d = slot;
	int t;

	if (psjson_str(j, o, "domainName", &d->name) ||
	    psjson_enum(j, o, "domainType", domain_types, 3, &t, &d->type) ||
	    psjson_bool(j, o, "default", &d->is_default))
		return -1;
	if (d->name == NULL) {
		size_t old = psjson_push_key(j, "domainName");

		hcerr_set(j->e, "%s: %s: expected a domain name, got nothing",
		    j->origin, j->path);
		psjson_pop(j, old);
		return -1;
	}
	str_lower(d->name);
	return 0;
}

static int
parse_override(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_override *s = slot;

	if (psjson_str(j, o, "name", &s->name) ||
	    psjson_str(j, o, "componentName", &s->component) ||
	    psjson_str(j, o, "sectionName", &s->section) ||
	    psjson_strlist(j, o, "parameters", &s->parameters) ||
	    psjson_strlist(j, o, "server", &s->servers) ||
	    psjson_str(j, o, "reason", &s->reason))
		return -1;
	/* New-SettingOverride takes -Component/-Section; accept both spellings. */
	if ((s->component == NULL && psjson_str(j, o, "component", &s->component)) ||
	    (s->section == NULL && psjson_str(j, o, "section", &s->section)))
		return -1;
	return 0;
}

static int
parse_vdir(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_vdir *v = slot;

	if (psjson_str(j, o, "name", &v->name) ||
	    psjson_str(j, o, "internalUrl", &v->internal_url) ||
	    psjson_str(j, o, "externalUrl", &v->external_url) ||
	    psjson_bool(j, o, "oAuthAuthentication", &v->oauth) ||
	    psjson_bool(j, o, "wsSecurityAuthentication", &v->wssecurity) ||
	    psjson_bool(j, o, "windowsAuthentication", &v->windows))
		return -1;
	return 0;
}

static int
parse_cert(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_cert *c = slot;

	if (thumb_field(j, o, "thumbprint", &c->thumbprint) ||
	    psjson_str(j, o, "subject", &c->subject) ||
	    psjson_str(j, o, "issuer", &c->issuer) ||
	    psjson_date(j, o, "notBefore", &c->not_before) ||
	    psjson_date(j, o, "notAfter", &c->not_after) ||
	    psjson_der(j, o, "der", &c->der, &c->der_len, &c->der_base64))
		return -1;
	if (c->der == NULL &&
	    psjson_der(j, o, "rawData", &c->der, &c->der_len, &c->der_base64))
		return -1;
	/* The bytes are the truth: a thumbprint is only their SHA-1. */
	if (c->der != NULL) {
		char *t = snapshot_sha1_hex(c->der, c->der_len);

		if (t != NULL) {
			free(c->thumbprint);
			c->thumbprint = t;
		}
	}
	return 0;
}

/* ServerVersion as an object ({"Major":15,"Minor":2,"Build":1544,"Revision":25}). */
static int
version_object(const cJSON *v, struct snap_version *out)
{
	static const char *const k[] = { "Major", "Minor", "Build", "Revision" };

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < 4; i++) {
		const cJSON *n = cJSON_GetObjectItem(v, k[i]);

		if (!cJSON_IsNumber(n) || n->valuedouble < 0 ||
		    n->valuedouble > 1e9)
			return -1;
		out->v[i] = (unsigned)n->valuedouble;
	}
	out->valid = 1;
	return 0;
}

static int
get_version(struct psjson *j, const cJSON *o, const char *key, char **text,
    struct snap_version *ver)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	*text = NULL;
	memset(ver, 0, sizeof(*ver));
	if (cJSON_IsObject(v) && version_object(v, ver) == 0) {
		char buf[64];

		snapshot_version_text(ver, buf, sizeof(buf));
		*text = xstrdup(buf);
		return 0;
	}
	if (psjson_str(j, o, key, text) == -1)
		return -1;
	if (*text != NULL && (*text)[0] != '\0' &&
	    snapshot_parse_version(*text, ver) == -1)
		return psjson_bad(j, key, "a version such as 15.2.1544.25", v);
	return 0;
}

static int
parse_server(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_server *s = slot;
	struct snap_version fv, av, pv;
	char *plain = NULL;
	int rc = -1;

	if (psjson_str(j, o, "name", &s->name) ||
	    psjson_str(j, o, "fqdn", &s->fqdn) ||
	    psjson_str(j, o, "edition", &s->edition) ||
	    psjson_str(j, o, "site", &s->site) ||
	    psjson_strlist(j, o, "serverRole", &s->roles) ||
	    get_version(j, o, "adminDisplayVersion", &s->admin_display_version, &av) ||
	    get_version(j, o, "fileVersion", &s->file_version_text, &fv) ||
	    get_version(j, o, "version", &plain, &pv))
		goto out;
	lower_opt(s->fqdn);
	/* Security updates move the file version, not AdminDisplayVersion. */
	if (fv.valid) {
		s->version = fv;
		s->version_source = "fileVersion";
	} else if (pv.valid) {
		s->version = pv;
		s->version_source = "version";
	} else if (av.valid) {
		s->version = av;
		s->version_source = "adminDisplayVersion";
	}
	if (psjson_each(j, o, "autodiscoverVirtualDirectories",
	    (void **)&s->autodiscover, &s->nautodiscover, sizeof(struct snap_vdir),
	    parse_vdir, &s->vdirs_collected) ||
	    psjson_each(j, o, "webServicesVirtualDirectories",
	    (void **)&s->ews, &s->news, sizeof(struct snap_vdir), parse_vdir, NULL))
		goto out;
	if (!s->vdirs_collected)
		s->vdirs_collected = !psjson_absent(cJSON_GetObjectItem(o,
		    "webServicesVirtualDirectories"));
	if (psjson_each(j, o, "authCertificates", (void **)&s->certs, &s->ncerts,
	    sizeof(struct snap_cert), parse_cert, &s->certs_collected))
		goto out;
	/* null or absent: the diagnostic did not answer; [] : it answered "none". */
	if (psjson_each(j, o, "effectiveOverrides", (void **)&s->effective,
	    &s->neffective, sizeof(struct snap_override), parse_override,
	    &s->effective_collected))
		goto out;
	rc = 0;
out:
	free(plain);
	return rc;
}

/* A count: a number or a numeric string; absent or null leaves *out alone. */
static int
count_field(struct psjson *j, const cJSON *obj, const char *key, long *out)
{
	const cJSON *v = psjson_unwrap(cJSON_GetObjectItem(obj, key));

	if (psjson_absent(v))
		return 0;
	if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e12) {
		*out = (long)v->valuedouble;
		return 0;
	}
	if (cJSON_IsString(v) && v->valuestring[0] != '\0' &&
	    strspn(v->valuestring, "0123456789") == strlen(v->valuestring) &&
	    strlen(v->valuestring) < 12) {
		*out = strtol(v->valuestring, NULL, 10);
		return 0;
	}
	return psjson_bad(j, key, "a count (a whole number, 0 or more)", v);
}

static int
parse_routing_domain(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_routing_domain *d = slot;

	d->count = -1;
	if (psjson_str(j, o, "domain", &d->domain) ||
	    count_field(j, o, "count", &d->count))
		return -1;
	if (d->domain == NULL || d->domain[0] == '\0')
		return psjson_bad(j, "domain", "a domain name",
		    cJSON_GetObjectItem(o, "domain"));
	str_lower(d->domain);
	return 0;
}

int
snapshot_onprem_parse(struct psjson *j, const cJSON *o, struct snapshot *s)
{
	const cJSON *ac = NULL, *hc = NULL;
	size_t old;

	s->onprem.present = 1;
	if (psjson_object(j, o, "authConfig", &ac))
		return -1;
	if (ac != NULL) {
		old = psjson_push_key(j, "authConfig");
		if (parse_authconfig(j, ac, &s->onprem.authconfig) == -1)
			return -1;
		psjson_pop(j, old);
	}
	if (psjson_each(j, o, "authServers", (void **)&s->onprem.authservers,
	    &s->onprem.nauthservers, sizeof(struct snap_authserver),
	    parse_authserver, NULL) ||
	    psjson_each(j, o, "partnerApplications",
	    (void **)&s->onprem.partnerapps, &s->onprem.npartnerapps,
	    sizeof(struct snap_partnerapp), parse_partnerapp, NULL) ||
	    psjson_each(j, o, "intraOrganizationConnectors",
	    (void **)&s->onprem.iocs, &s->onprem.niocs, sizeof(struct snap_ioc),
	    parse_ioc, &s->onprem.iocs_collected) ||
	    psjson_each(j, o, "availabilityAddressSpaces",
	    (void **)&s->onprem.spaces, &s->onprem.nspaces,
	    sizeof(struct snap_address_space), parse_space,
	    &s->onprem.spaces_collected) ||
	    psjson_each(j, o, "organizationRelationships",
	    (void **)&s->onprem.orgrels, &s->onprem.norgrels,
	    sizeof(struct snap_orgrel), parse_orgrel, NULL) ||
	    psjson_each(j, o, "acceptedDomains", (void **)&s->onprem.domains,
	    &s->onprem.ndomains, sizeof(struct snap_domain), parse_domain, NULL) ||
	    psjson_each(j, o, "settingOverrides", (void **)&s->onprem.overrides,
	    &s->onprem.noverrides, sizeof(struct snap_override), parse_override,
	    &s->onprem.overrides_collected) ||
	    psjson_each(j, o, "servers", (void **)&s->onprem.servers,
	    &s->onprem.nservers, sizeof(struct snap_server), parse_server, NULL) ||
	    psjson_each(j, o, "remoteRoutingDomains",
	    (void **)&s->onprem.remote_domains, &s->onprem.nremote_domains,
	    sizeof(struct snap_routing_domain), parse_routing_domain,
	    &s->onprem.remote_domains_collected) ||
	    count_field(j, o, "cloudArchiveMailboxes", &s->onprem.cloud_archives))
		return -1;
	/* The collector writes [] for "none"; only a missing key is "unknown". */
	if (cJSON_GetObjectItem(o, "intraOrganizationConnectors") != NULL)
		s->onprem.iocs_collected = 1;
	if (cJSON_GetObjectItem(o, "availabilityAddressSpaces") != NULL)
		s->onprem.spaces_collected = 1;
	if (cJSON_GetObjectItem(o, "settingOverrides") != NULL)
		s->onprem.overrides_collected = 1;
	if (psjson_object(j, o, "hybridConfiguration", &hc))
		return -1;
	if (hc != NULL) {
		old = psjson_push_key(j, "hybridConfiguration");
		s->onprem.hybrid_present = 1;
		if (psjson_strlist(j, hc, "domains", &s->onprem.hybrid_domains) ||
		    psjson_strlist(j, hc, "features", &s->onprem.hybrid_features) ||
		    psjson_str(j, hc, "serviceInstance", &s->onprem.service_instance))
			return -1;
		s->onprem.hybrid_features_collected =
		    cJSON_GetObjectItem(hc, "features") != NULL;
		lower_list(&s->onprem.hybrid_domains);
		psjson_pop(j, old);
	}
	return 0;
}

int
snapshot_exo_parse(struct psjson *j, const cJSON *o, struct snapshot *s)
{
	const cJSON *ic = NULL;

	s->exo.present = 1;
	if (psjson_each(j, o, "intraOrganizationConnectors", (void **)&s->exo.iocs,
	    &s->exo.niocs, sizeof(struct snap_ioc), parse_ioc, NULL) ||
	    psjson_each(j, o, "organizationRelationships",
	    (void **)&s->exo.orgrels, &s->exo.norgrels,
	    sizeof(struct snap_orgrel), parse_orgrel, NULL) ||
	    psjson_each(j, o, "acceptedDomains", (void **)&s->exo.domains,
	    &s->exo.ndomains, sizeof(struct snap_domain), parse_domain, NULL) ||
	    psjson_object(j, o, "intraOrganizationConfiguration", &ic))
		return -1;
	if (ic != NULL) {
		size_t old = psjson_push_key(j, "intraOrganizationConfiguration");

		if (psjson_str(j, ic, "onPremiseDiscoveryEndpoint", &s->exo.ioc_onprem_endpoint) ||
		    psjson_str(j, ic, "onlineDiscoveryEndpoint", &s->exo.ioc_online_endpoint) ||
		    psjson_strlist(j, ic, "onPremiseTargetAddresses", &s->exo.ioc_onprem_targets))
			return -1;
		lower_list(&s->exo.ioc_onprem_targets);
		psjson_pop(j, old);
	}
	return snapshot_exo_more_parse(j, o, s);
}

/* ---- freeing ---- */

static void
iocs_free(struct snap_ioc *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].name);
		free(c[i].discovery_endpoint);
		strlist_release(&c[i].target_domains);
		free(c[i].target_sharing);
	}
	free(c);
}

static void
orgrels_free(struct snap_orgrel *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].name);
		strlist_release(&r[i].domains);
		free(r[i].freebusy_level);
		free(r[i].target_app_uri);
		free(r[i].target_autodiscover);
		free(r[i].target_sharing);
	}
	free(r);
}

static void
domains_free(struct snap_domain *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].name);
		free(d[i].type);
	}
	free(d);
}

static void
vdirs_free(struct snap_vdir *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].internal_url);
		free(v[i].external_url);
	}
	free(v);
}

static void
overrides_free(struct snap_override *o, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(o[i].name);
		free(o[i].component);
		free(o[i].section);
		strlist_release(&o[i].parameters);
		strlist_release(&o[i].servers);
		free(o[i].reason);
	}
	free(o);
}

static void
servers_free(struct snap_server *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].name);
		free(s[i].fqdn);
		free(s[i].edition);
		free(s[i].site);
		strlist_release(&s[i].roles);
		free(s[i].admin_display_version);
		free(s[i].file_version_text);
		vdirs_free(s[i].autodiscover, s[i].nautodiscover);
		vdirs_free(s[i].ews, s[i].news);
		for (size_t c = 0; c < s[i].ncerts; c++) {
			free(s[i].certs[c].thumbprint);
			free(s[i].certs[c].subject);
			free(s[i].certs[c].issuer);
			free(s[i].certs[c].der);
			free(s[i].certs[c].der_base64);
		}
		free(s[i].certs);
		overrides_free(s[i].effective, s[i].neffective);
	}
	free(s);
}

void
snapshot_onprem_release(struct snapshot *s)
{
	struct snap_authconfig *a = &s->onprem.authconfig;

	free(a->current_thumbprint);
	free(a->previous_thumbprint);
	free(a->next_thumbprint);
	free(a->service_name);
	free(a->realm);
	for (size_t i = 0; i < s->onprem.nauthservers; i++) {
		struct snap_authserver *x = &s->onprem.authservers[i];

		free(x->name);
		free(x->type_text);
		free(x->metadata_url);
		free(x->issuer);
		free(x->realm);
		free(x->app_id);
		free(x->token_endpoint);
		free(x->graph_base_url);
		strlist_release(&x->domains);
	}
	free(s->onprem.authservers);
	for (size_t i = 0; i < s->onprem.npartnerapps; i++) {
		struct snap_partnerapp *p = &s->onprem.partnerapps[i];

		free(p->name);
		free(p->app_id);
		free(p->realm);
		free(p->metadata_url);
		free(p->linked_account);
	}
	free(s->onprem.partnerapps);
	iocs_free(s->onprem.iocs, s->onprem.niocs);
	for (size_t i = 0; i < s->onprem.nspaces; i++) {
		free(s->onprem.spaces[i].forest);
		free(s->onprem.spaces[i].method_text);
		free(s->onprem.spaces[i].proxy_url);
		free(s->onprem.spaces[i].target_autodiscover);
	}
	free(s->onprem.spaces);
	orgrels_free(s->onprem.orgrels, s->onprem.norgrels);
	domains_free(s->onprem.domains, s->onprem.ndomains);
	for (size_t i = 0; i < s->onprem.noverrides; i++) {
		struct snap_override *o = &s->onprem.overrides[i];

		free(o->name);
		free(o->component);
		free(o->section);
		strlist_release(&o->parameters);
		strlist_release(&o->servers);
		free(o->reason);
	}
	free(s->onprem.overrides);
	for (size_t i = 0; i < s->onprem.nremote_domains; i++)
		free(s->onprem.remote_domains[i].domain);
	free(s->onprem.remote_domains);
	strlist_release(&s->onprem.hybrid_domains);
	strlist_release(&s->onprem.hybrid_features);
	free(s->onprem.service_instance);
	servers_free(s->onprem.servers, s->onprem.nservers);
}

void
snapshot_exo_release(struct snapshot *s)
{
	iocs_free(s->exo.iocs, s->exo.niocs);
	orgrels_free(s->exo.orgrels, s->exo.norgrels);
	domains_free(s->exo.domains, s->exo.ndomains);
	free(s->exo.ioc_onprem_endpoint);
	free(s->exo.ioc_online_endpoint);
	strlist_release(&s->exo.ioc_onprem_targets);
	snapshot_exo_more_release(s);
}
