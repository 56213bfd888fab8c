/*
 * Exchange Online's parts added for the 2026 model: the EWS gate
 * (organizationConfig) and the migration endpoints. Lenient like the rest:
 * ewsAllowedAppIds may be an array or the one comma-separated string
 * Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy returns.
 */
#include <stdlib.h>
#include <string.h>

#include "snapshot_parts.h"
#include "str.h"

static char *
trim(char *t)
{
	char *end;

	while (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n')
		t++;
	end = t + strlen(t);
	while (end > t && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r' || end[-1] == '\n'))
		*--end = '\0';
	return t;
}

/* Splits every entry on commas and semicolons, trims, drops empties, lower-cases. */
static void
split_ids(struct strlist *l)
{
	struct strlist out = { 0 };

	for (size_t i = 0; i < l->n; i++) {
		char *copy = xstrdup(l->v[i]), *save = NULL;

		for (char *tok = strtok_r(copy, ",;", &save); tok;
		    tok = strtok_r(NULL, ",;", &save)) {
			char *t = trim(tok);

			if (*t == '\0')
				continue;
			str_lower(t);
			if (!strlist_contains_ci(&out, t))
				strlist_add(&out, t);
		}
		free(copy);
	}
	strlist_release(l);
	*l = out;
}

static int
parse_migration_endpoint(struct psjson *j, const cJSON *o, void *slot)
{
	struct snap_migration_endpoint *m = slot;

	return psjson_str(j, o, "name", &m->name) ||
	    psjson_str(j, o, "remoteServer", &m->remote_server) ? -1 : 0;
}

int
snapshot_exo_more_parse(struct psjson *j, const cJSON *o, struct snapshot *s)
{
	const cJSON *oc = NULL;

	s->exo.ews_enabled = TRI_UNKNOWN;
	if (psjson_each(j, o, "migrationEndpoints",
	    (void **)&s->exo.migration_endpoints, &s->exo.nmigration_endpoints,
	    sizeof(struct snap_migration_endpoint), parse_migration_endpoint,
	    &s->exo.migration_endpoints_collected) ||
	    psjson_object(j, o, "organizationConfig", &oc))
		return -1;
	if (cJSON_GetObjectItem(o, "migrationEndpoints") != NULL)
		s->exo.migration_endpoints_collected = 1;
	if (oc == NULL)
		return 0;
	{
		size_t old = psjson_push_key(j, "organizationConfig");

		s->exo.orgconfig_present = 1;
		s->exo.ews_enabled_set = cJSON_GetObjectItem(oc, "ewsEnabled") != NULL;
		s->exo.ews_allowed_set =
		    cJSON_GetObjectItem(oc, "ewsAllowedAppIds") != NULL;
		if (psjson_bool(j, oc, "ewsEnabled", &s->exo.ews_enabled) ||
		    psjson_strlist(j, oc, "ewsAllowedAppIds",
		    &s->exo.ews_allowed_app_ids) ||
		    psjson_str(j, oc, "ewsApplicationAccessPolicy",
		    &s->exo.ews_access_policy) ||
		    psjson_strlist(j, oc, "ewsAllowList", &s->exo.ews_allow_list) ||
		    psjson_strlist(j, oc, "ewsBlockList", &s->exo.ews_block_list))
			return -1;
		split_ids(&s->exo.ews_allowed_app_ids);
		psjson_pop(j, old);
	}
	return 0;
}

void
snapshot_exo_more_release(struct snapshot *s)
{
	for (size_t i = 0; i < s->exo.nmigration_endpoints; i++) {
		free(s->exo.migration_endpoints[i].name);
		free(s->exo.migration_endpoints[i].remote_server);
	}
	free(s->exo.migration_endpoints);
	strlist_release(&s->exo.ews_allowed_app_ids);
	free(s->exo.ews_access_policy);
	strlist_release(&s->exo.ews_allow_list);
	strlist_release(&s->exo.ews_block_list);
}
