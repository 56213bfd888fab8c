/*
 * Entra's objects in a snapshot, as Graph wrote them: Exchange Online's
 * service principal and the dedicated hybrid applications, their key
 * credentials, permissions and role assignments.
 */
#include "snapshot_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "str.h"

/*
 * customKeyIdentifier is base64 of bytes: Microsoft's hybrid script puts
 * the thumbprint's 20 bytes there, others its 40 hex characters.
 */
static char *
custom_thumbprint(const char *cki)
{
	unsigned char *raw = NULL;
	size_t n = 0;
	char *t = NULL;

	if (cki == NULL)
		return NULL;
	if ((t = snapshot_thumbprint(cki)) != NULL)
		return t;
	if (psjson_b64_decode(cki, &raw, &n) == -1)
		return NULL;
	if (n == 20) {
		t = xmalloc(41);
		for (size_t i = 0; i < 20; i++)
			snprintf(t + i * 2, 3, "%02X", raw[i]);
	} else if (n >= 40 && n < 128) {
		char *s = xstrndup((const char *)raw, n);

		t = snapshot_thumbprint(s);
		free(s);
	}
	free(raw);
	return t;
}

static int
parse_keycred(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_keycred *k = slot;

	if (psjson_str(j, o, "keyId", &k->key_id) ||
	    psjson_str(j, o, "displayName", &k->display_name) ||
	    psjson_str(j, o, "customKeyIdentifier", &k->custom_key_id) ||
	    psjson_str(j, o, "type", &k->type) ||
	    psjson_str(j, o, "usage", &k->usage) ||
	    psjson_date(j, o, "startDateTime", &k->start) ||
	    psjson_date(j, o, "endDateTime", &k->end) ||
	    psjson_der(j, o, "key", &k->der, &k->der_len, NULL))
		return -1;
	k->custom_thumbprint = custom_thumbprint(k->custom_key_id);
	if (k->der != NULL)
		k->key_thumbprint = snapshot_sha1_hex(k->der, k->der_len);
	return 0;
}

static int
parse_access_entry(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_resource_access *r = slot;
	struct psjson_iter it;
	size_t old = psjson_push_key(j, "resourceAccess");

	if (psjson_iter_begin(j, cJSON_GetObjectItem(o, "resourceAccess"), &it,
	    NULL) == -1)
		return -1;
	for (; it.cur; psjson_iter_next(&it)) {
		size_t o2 = it.lone ? j->len : psjson_push_index(j, it.i);
		char *id = NULL, *type = NULL, *value = NULL;

		if (!cJSON_IsObject(it.cur))
			return psjson_bad(j, NULL, "an object", it.cur);
		if (psjson_guid(j, it.cur, "id", &id) ||
		    psjson_str(j, it.cur, "type", &type) ||
		    psjson_str(j, it.cur, "value", &value)) {
			free(id);
			free(type);
			free(value);
			return -1;
		}
		if (id != NULL && str_caseeq(type, "Scope"))
			strlist_add(&r->scopes, id);
		else if (id != NULL) {
			strlist_add(&r->roles, id);
			strlist_add(&r->role_values, value ? value : "");
		}
		free(id);
		free(type);
		free(value);
		psjson_pop(j, o2);
	}
	psjson_pop(j, old);
	return psjson_guid(j, o, "resourceAppId", &r->resource_app_id);
}

static int
parse_assignment(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_role_assignment *a = slot;

	if (psjson_guid(j, o, "appRoleId", &a->app_role_id) ||
	    psjson_str(j, o, "appRoleValue", &a->app_role_value) ||
	    psjson_guid(j, o, "resourceAppId", &a->resource_app_id) ||
	    psjson_str(j, o, "resourceDisplayName", &a->resource_name) ||
	    psjson_date(j, o, "createdDateTime", &a->created))
		return -1;
	return 0;
}

static int
parse_app(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_app *a = slot;

	if (psjson_str(j, o, "id", &a->id) ||
	    psjson_guid(j, o, "appId", &a->app_id) ||
	    psjson_str(j, o, "displayName", &a->display_name) ||
	    psjson_each(j, o, "keyCredentials", (void **)&a->keys, &a->nkeys,
	    sizeof(struct snap_keycred), parse_keycred, NULL) ||
	    psjson_each(j, o, "requiredResourceAccess", (void **)&a->access,
	    &a->naccess, sizeof(struct snap_resource_access), parse_access_entry,
	    NULL) ||
	    psjson_each(j, o, "appRoleAssignments", (void **)&a->assignments,
	    &a->nassignments, sizeof(struct snap_role_assignment),
	    parse_assignment, NULL))
		return -1;
	return 0;
}

/* One application key-credential restriction of the policy. */
struct key_restriction {
	char	*type;		/* asymmetricKeyLifetime */
	char	*max;		/* ISO 8601 duration */
	char	*state;		/* enabled, disabled; absent: enabled */
	time_t	 after;
};

static int
parse_restriction(struct psjson *j, const cJSON *o, void *slot)
{
	struct key_restriction *r = slot;

	return psjson_str(j, o, "restrictionType", &r->type) ||
	    psjson_str(j, o, "maxLifetime", &r->max) ||
	    psjson_str(j, o, "state", &r->state) ||
	    psjson_date(j, o, "restrictForAppsCreatedAfterDateTime", &r->after);
}

/* Whole days of an ISO 8601 duration (PnYnMnDTnH…, a year 365 days, a month 30); -1 bad. */
static long
duration_days(const char *d)
{
	long days = 0, n;
	int time = 0;
	char *end;

	if (d == NULL || *d != 'P')
		return -1;
	for (d++; *d; d = end + 1) {
		if (*d == 'T') {
			time = 1;
			end = (char *)d;
			continue;
		}
		n = strtol(d, &end, 10);
		if (end == d || n < 0)
			return -1;
		if (*end == '.')	/* fractional seconds */
			while (*++end >= '0' && *end <= '9')
				;
		if (!time && *end == 'Y')
			days += n * 365;
		else if (!time && *end == 'M')
			days += n * 30;
		else if (!time && *end == 'W')
			days += n * 7;
		else if (!time && *end == 'D')
			days += n;
		else if (!(time && (*end == 'H' || *end == 'M' || *end == 'S')))
			return -1;
	}
	return days;
}

static int
parse_key_policy(struct psjson *j, const cJSON *o, struct snapshot *s)
{
	const cJSON *ar = NULL;
	struct key_restriction *r = NULL;
	enum tristate on = TRI_UNKNOWN;
	size_t n = 0;
	int rc = 0;

	if (psjson_bool(j, o, "isEnabled", &on) ||
	    psjson_object(j, o, "applicationRestrictions", &ar))
		return -1;
	s->entra.key_policy_present = 1;
	if (ar != NULL) {
		size_t old = psjson_push_key(j, "applicationRestrictions");

		rc = psjson_each(j, ar, "keyCredentials", (void **)&r, &n,
		    sizeof(*r), parse_restriction, NULL);
		psjson_pop(j, old);
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		long days = duration_days(r[i].max);

		if (on == TRI_FALSE || r[i].type == NULL ||
		    strcmp(r[i].type, "asymmetricKeyLifetime") != 0 ||
		    (r[i].state != NULL && strcmp(r[i].state, "enabled") != 0) ||
		    days <= 0)
			continue;
		s->entra.key_max_days = days;
		free(s->entra.key_max_text);
		s->entra.key_max_text = xstrdup(r[i].max);
		s->entra.key_policy_after = r[i].after;
	}
	for (size_t i = 0; i < n; i++) {
		free(r[i].type);
		free(r[i].max);
		free(r[i].state);
	}
	free(r);
	return rc;
}

int
snapshot_entra_parse(struct psjson *j, const cJSON *o, struct snapshot *s)
{
	const cJSON *pol = NULL, *sp = NULL;
	char *tid = NULL;

	s->entra.present = 1;
	if (psjson_guid(j, o, "tenantId", &tid))
		return -1;
	if (tid != NULL && s->tenant_id == NULL)
		s->tenant_id = tid;
	else
		free(tid);
	if (psjson_object(j, o, "exchangeServicePrincipal", &sp))
		return -1;
	if (sp != NULL) {
		size_t old = psjson_push_key(j, "exchangeServicePrincipal");
		struct snap_principal *p = &s->entra.sp;

		s->entra.sp_present = 1;
		if (psjson_str(j, sp, "id", &p->id) ||
		    psjson_guid(j, sp, "appId", &p->app_id) ||
		    psjson_str(j, sp, "displayName", &p->display_name) ||
		    psjson_strlist(j, sp, "servicePrincipalNames", &p->spns) ||
		    psjson_each(j, sp, "keyCredentials", (void **)&p->keys,
		    &p->nkeys, sizeof(struct snap_keycred), parse_keycred, NULL))
			return -1;
		psjson_pop(j, old);
	}
	if (psjson_object(j, o, "appManagementPolicy", &pol))
		return -1;
	if (pol != NULL) {
		size_t old = psjson_push_key(j, "appManagementPolicy");

		if (parse_key_policy(j, pol, s))
			return -1;
		psjson_pop(j, old);
	}
	return psjson_each(j, o, "hybridApplications", (void **)&s->entra.apps,
	    &s->entra.napps, sizeof(struct snap_app), parse_app, NULL);
}

/* ---- freeing ---- */

static void
keys_free(struct snap_keycred *k, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(k[i].key_id);
		free(k[i].display_name);
		free(k[i].custom_key_id);
		free(k[i].custom_thumbprint);
		free(k[i].type);
		free(k[i].usage);
		free(k[i].der);
		free(k[i].key_thumbprint);
	}
	free(k);
}

void
snapshot_entra_release(struct snapshot *s)
{
	free(s->entra.sp.id);
	free(s->entra.sp.app_id);
	free(s->entra.sp.display_name);
	strlist_release(&s->entra.sp.spns);
	keys_free(s->entra.sp.keys, s->entra.sp.nkeys);
	for (size_t i = 0; i < s->entra.napps; i++) {
		struct snap_app *a = &s->entra.apps[i];

		free(a->id);
		free(a->app_id);
		free(a->display_name);
		keys_free(a->keys, a->nkeys);
		for (size_t r = 0; r < a->naccess; r++) {
			free(a->access[r].resource_app_id);
			strlist_release(&a->access[r].roles);
			strlist_release(&a->access[r].role_values);
			strlist_release(&a->access[r].scopes);
		}
		free(a->access);
		for (size_t r = 0; r < a->nassignments; r++) {
			free(a->assignments[r].app_role_id);
			free(a->assignments[r].app_role_value);
			free(a->assignments[r].resource_app_id);
			free(a->assignments[r].resource_name);
		}
		free(a->assignments);
	}
	free(s->entra.apps);
	free(s->entra.key_max_text);
}
