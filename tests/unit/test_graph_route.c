/*
 * authserver.evosts and graph-route.*: the rules of PROTOCOLS 12.6-12.7 on
 * small snapshots, through the context as a run builds it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "context.h"
#include "snapshot.h"

#define TENANT	"5de110f8-2e0f-4d45-891d-bcf2218e253d"
#define APPID	"d3a9c7e1-5b2f-4a6d-8c0e-1f2a3b4c5d6e"
#define EVO(name, app, extra) "{\"name\":\"" name "\",\"type\":\"AzureAD\",\"realm\":\"" TENANT \
	"\",\"applicationIdentifier\":\"" app "\",\"enabled\":true," \
	"\"domainName\":[\"contoso.com\",\"contoso.mail.onmicrosoft.com\"]" extra "}"
#define GRAPH_OV "{\"name\":\"EnableRouteThroughMSGraphFeature\",\"componentName\":\"SettingOverride\"," \
	"\"sectionName\":\"RouteThroughMSGraph\",\"parameters\":[\" enabled = TRUE \"]}"
#define APP_OV "{\"name\":\"EnableExchangeHybrid3PAppFeature\",\"componentName\":\"Global\"," \
	"\"sectionName\":\"ExchangeOnpremAsThirdPartyAppId\",\"parameters\":[\"Enabled=true\"]}"

struct run {
	struct context_config	cc;
	struct cloud_set	clouds;
	struct context		ctx;
	struct findings		f;
};

#define EXO_DOMAINS "\"acceptedDomains\":[{\"domainName\":\"contoso.com\"},{\"domainName\":" \
	"\"contoso.mail.onmicrosoft.com\"}]"

/* Changes the loaded profiles before the context is built (NULL: none). */
static void (*cloud_tweak)(struct cloud_set *);

/* tail: more top-level members (",\"entra\":…"), or "". */
static void
run_tail(struct run *r, const char *cloud, const char *onprem, const char *exo,
    const char *tail, const char *const *only)
{
	char *path = xasprintf("%s/graph_route.json", HC_TEST_TMP);
	char *json = xasprintf("{\"schema\":\"hybridcheck.snapshot/1\",\"cloud\":\"%s\","
	    "\"tenantId\":\"" TENANT "\",\"onPremises\":%s,\"exchangeOnline\":{%s}%s}",
	    cloud, onprem, exo, tail);
	FILE *fp = fopen(path, "w");
	struct hcerr e = { "" };

	assert_non_null(fp);
	fputs(json, fp);
	fclose(fp);
	memset(r, 0, sizeof(*r));
	r->cc.snapshot = path;
	r->cc.offline = 1;
	r->cc.now = time(NULL);
	assert_int_equal(cloud_set_load_embedded(&r->clouds, &e), 0);
	if (cloud_tweak != NULL)
		cloud_tweak(&r->clouds);
	if (context_build(&r->ctx, &r->cc, &r->clouds, &e) == -1)
		fail_msg("%s", e.msg);
	r->cc.snapshot = NULL;
	free(path);
	free(json);
	checks_run(&r->ctx, only, &r->f);
}

static void
run_exo(struct run *r, const char *cloud, const char *onprem, const char *exo,
    const char *const *only)
{
	run_tail(r, cloud, onprem, exo, "", only);
}

static void
run_checks(struct run *r, const char *cloud, const char *onprem,
    const char *const *only)
{
	run_exo(r, cloud, onprem, EXO_DOMAINS, only);
}

static void
release(struct run *r)
{
	findings_release(&r->f);
	context_release(&r->ctx);
	cloud_set_release(&r->clouds);
}

static size_t
count(const struct findings *f, const char *check, enum severity sev,
    const char *needle)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i]->check, check) == 0 && f->v[i]->severity == sev &&
		    (needle == NULL || strstr(f->v[i]->message, needle) != NULL))
			n++;
	return n;
}

static const char *const evosts_only[] = { "authserver.", NULL };
static const char *const graph_only[] = { "graph-route.", NULL };

static void
test_evosts(void **state)
{
	struct run r;

	(void)state;
	/* One, dedicated, domains in place: a pass; no ACS beside it only warns. */
	run_checks(&r, "global", "{\"authServers\":[" EVO("EvoSts", APPID, "") "]}",
	    evosts_only);
	assert_int_equal(count(&r.f, "authserver.evosts", SEV_PASS, NULL), 1);
	assert_int_equal(count(&r.f, "authserver.acs", SEV_WARN, "an inference"), 1);
	assert_int_equal(count(&r.f, "authserver.acs", SEV_FAIL, NULL), 0);
	release(&r);

	/* The shared principal as application: a failure, and ACS missing fails too. */
	run_checks(&r, "global", "{\"authServers\":[" EVO("EvoSts",
	    "00000002-0000-0ff1-ce00-000000000000", "") "]}", evosts_only);
	assert_int_equal(count(&r.f, "authserver.evosts", SEV_FAIL, "shared service principal"), 1);
	assert_int_equal(count(&r.f, "authserver.acs", SEV_FAIL, NULL), 1);
	release(&r);

	/* Two enabled: one failure naming both, no step that deletes. */
	run_checks(&r, "global", "{\"authServers\":[" EVO("EvoSts A", APPID, "") ","
	    EVO("EvoSts B", APPID, "") "]}", evosts_only);
	assert_int_equal(count(&r.f, "authserver.evosts", SEV_FAIL, "EvoSts A, EvoSts B"), 1);
	assert_string_equal(r.f.v[r.f.n - 1]->check, "authserver.evosts");
	for (size_t i = 0; i < r.f.n; i++)
		if (strcmp(r.f.v[i]->check, "authserver.evosts") == 0)
			assert_string_equal(r.f.v[i]->remedy, "authserver.evosts.duplicate");
	release(&r);

	/* A disabled second one is no duplicate; another realm is not the tenant's. */
	run_checks(&r, "global", "{\"authServers\":[" EVO("EvoSts", APPID, "") ","
	    "{\"name\":\"Old\",\"type\":\"AzureAD\",\"realm\":\"" TENANT "\",\"enabled\":false},"
	    "{\"name\":\"Other\",\"type\":5,\"realm\":\"11111111-2222-3333-4444-555555555555\",\"enabled\":true}]}",
	    evosts_only);
	assert_int_equal(count(&r.f, "authserver.evosts", SEV_PASS, NULL), 1);
	release(&r);

	/* HybridConfiguration names the Autodiscover domain "autod:<domain>". */
	run_checks(&r, "global", "{\"authServers\":[" EVO("EvoSts", APPID, "") "],"
	    "\"hybridConfiguration\":{\"domains\":[\"autod:contoso.com\",\"contoso.com\"]}}",
	    evosts_only);
	assert_int_equal(count(&r.f, "authserver.evosts", SEV_PASS, NULL), 1);
	release(&r);

	/* DomainName without the routing domain: a warning that says it is an inference. */
	run_checks(&r, "global", "{\"authServers\":[{\"name\":\"EvoSts\",\"type\":\"AzureAD\","
	    "\"realm\":\"" TENANT "\",\"applicationIdentifier\":\"" APPID "\",\"enabled\":true,"
	    "\"domainName\":[\"contoso.com\"]}]}", evosts_only);
	assert_int_equal(count(&r.f, "authserver.evosts", SEV_WARN,
	    "contoso.mail.onmicrosoft.com in DomainName"), 1);
	assert_int_equal(count(&r.f, "authserver.evosts", SEV_WARN, "(an inference)"), 1);
	release(&r);
}

static void
test_graph_route(void **state)
{
	struct run r;

	(void)state;
	/* The Graph override alone: Microsoft's misconfiguration. */
	run_checks(&r, "global", "{\"authServers\":[" EVO("EvoSts", APPID,
	    ",\"graphBaseUrl\":\"https://graph.microsoft.com\"") "],"
	    "\"settingOverrides\":[" GRAPH_OV "],"
	    "\"servers\":[{\"name\":\"EX1\",\"serverRole\":\"Mailbox\",\"fileVersion\":\"15.2.2562.53\"}]}",
	    graph_only);
	assert_int_equal(count(&r.f, "graph-route.config", SEV_FAIL, "misconfiguration"), 1);
	/* No Entra data: the permissions are not judged, and it says so. */
	assert_int_equal(count(&r.f, "graph-route.config", SEV_SKIP, "Entra"), 1);
	release(&r);

	/* A wrong GraphBaseUrl for the cloud; mixed builds; the defects by build. */
	run_checks(&r, "global", "{\"authServers\":[" EVO("EvoSts", APPID,
	    ",\"graphBaseUrl\":\"https://graph.microsoft.us/\"") "],"
	    "\"settingOverrides\":[" APP_OV "," GRAPH_OV "],"
	    "\"servers\":[{\"name\":\"EX1\",\"serverRole\":\"Mailbox\",\"fileVersion\":\"15.2.2562.45\"},"
	    "{\"name\":\"EX2\",\"serverRole\":\"Mailbox\",\"fileVersion\":\"15.2.1748.39\"},"
	    "{\"name\":\"EDGE\",\"serverRole\":\"Edge\",\"fileVersion\":\"15.2.1748.39\"}]}",
	    graph_only);
	assert_int_equal(count(&r.f, "graph-route.config", SEV_FAIL, "not the global cloud's Graph root"), 1);
	assert_int_equal(count(&r.f, "graph-route.builds", SEV_WARN, "UTC offset"), 1);
	assert_int_equal(count(&r.f, "graph-route.builds", SEV_INFO, "delegated"), 1);
	assert_int_equal(count(&r.f, "graph-route.builds", SEV_INFO, "1 of 2 Mailbox servers"), 1);
	/* Not every server eligible: the finding asks for no step. */
	for (size_t i = 0; i < r.f.n; i++)
		if (strcmp(r.f.v[i]->check, "graph-route.config") == 0)
			assert_null(r.f.v[i]->remedy);
	release(&r);

	/* 21Vianet: the route is not announced there; switched off, nothing fails. */
	run_checks(&r, "china", "{\"authServers\":[" EVO("EvoSts", APPID,
	    ",\"graphBaseUrl\":\"https://microsoftgraph.chinacloudapi.cn\"") "],"
	    "\"settingOverrides\":[" APP_OV "," GRAPH_OV "],"
	    "\"servers\":[{\"name\":\"EX1\",\"serverRole\":\"Mailbox\",\"fileVersion\":\"15.2.2562.53\"}]}",
	    graph_only);
	assert_int_equal(count(&r.f, "graph-route.config", SEV_WARN, "has not said it exists"), 1);
	release(&r);
	run_checks(&r, "global", "{\"authServers\":[" EVO("EvoSts", APPID, "") "],"
	    "\"settingOverrides\":[" APP_OV ",{\"name\":\"EnableRouteThroughMSGraphFeature\","
	    "\"componentName\":\"SettingOverride\",\"sectionName\":\"RouteThroughMSGraph\","
	    "\"parameters\":[\"Enabled=False\"]}],"
	    "\"servers\":[{\"name\":\"EX1\",\"serverRole\":\"Mailbox\",\"fileVersion\":\"15.2.2562.53\","
	    "\"effectiveOverrides\":[]}]}", graph_only);
	assert_int_equal(count(&r.f, "graph-route.config", SEV_INFO, "switched off"), 1);
	assert_int_equal(count(&r.f, "graph-route.config", SEV_FAIL, NULL), 0);
	assert_int_equal(count(&r.f, "graph-route.config", SEV_WARN, NULL), 0);
	release(&r);

	/* Every server eligible, the route not on: information naming T2 from the profile. */
	run_checks(&r, "global", "{\"authServers\":[" EVO("EvoSts", APPID, "") "],"
	    "\"settingOverrides\":[" APP_OV "],"
	    "\"servers\":[{\"name\":\"EX1\",\"serverRole\":\"Mailbox\",\"fileVersion\":\"15.2.2562.53\"}]}",
	    graph_only);
	assert_int_equal(count(&r.f, "graph-route.config", SEV_INFO,
	    "before EWS is switched off (T2: 2027-04-01)"), 1);
	release(&r);

	/* On, but a server's topology service does not apply it yet. */
	run_checks(&r, "global", "{\"authServers\":[" EVO("EvoSts", APPID,
	    ",\"graphBaseUrl\":\"https://graph.microsoft.com\"") "],"
	    "\"settingOverrides\":[" APP_OV "," GRAPH_OV "],"
	    "\"servers\":[{\"name\":\"EX1\",\"serverRole\":\"Mailbox\",\"fileVersion\":\"15.2.2562.53\","
	    "\"effectiveOverrides\":[" APP_OV "]}]}", graph_only);
	assert_int_equal(count(&r.f, "graph-route.config", SEV_WARN, "does not apply"), 1);
	release(&r);
}

static const char *const config_only[] = { "hybrid-config.", NULL };

/* The hybrid-app.override finding of a run, and its consent parameter. */
static const char *
override_consent(const struct run *r)
{
	for (size_t i = 0; i < r->f.n; i++)
		if (strcmp(r->f.v[i]->check, "hybrid-app.override") == 0 &&
		    r->f.v[i]->remedy != NULL)
			return finding_param_get(r->f.v[i], RP_CONSENT);
	fail_msg("no hybrid-app.override finding asks for its step");
	return NULL;
}

#define OAUTH_ONPREM "{\"authServers\":[" EVO("EvoSts", APPID, "") "]," \
	"\"partnerApplications\":[{\"name\":\"Exchange Online\",\"applicationIdentifier\":" \
	"\"00000002-0000-0ff1-ce00-000000000000\",\"enabled\":true}]," \
	"\"intraOrganizationConnectors\":[{\"name\":\"HybridIOC\",\"enabled\":true}]," \
	"\"settingOverrides\":[]}"
#define APP(assignments) ",\"entra\":{\"tenantId\":\"" TENANT "\",\"hybridApplications\":[{" \
	"\"appId\":\"" APPID "\",\"displayName\":\"ExchangeServerApp-x\",\"appRoleAssignments\":[" \
	assignments "]}]}"
#define FULL_ACCESS "{\"appRoleId\":\"dc890d15-9560-4a4c-9b7f-a736ec74ec40\"," \
	"\"resourceAppId\":\"00000002-0000-0ff1-ce00-000000000000\"}"

static const char *const override_only[] = { "hybrid-app.override", NULL };

/*
 * The override's step writes it only with consent the snapshot shows;
 * otherwise it leaves it to Microsoft's script (PROTOCOLS 12.6).
 */
static void
test_override_consent(void **state)
{
	struct run r;

	(void)state;
	run_tail(&r, "global", OAUTH_ONPREM, EXO_DOMAINS, APP(FULL_ACCESS), override_only);
	assert_true(strncmp(override_consent(&r), "granted: ", 9) == 0);
	release(&r);

	/* Requested, never consented. */
	run_tail(&r, "global", OAUTH_ONPREM, EXO_DOMAINS, APP(""), override_only);
	assert_true(strncmp(override_consent(&r), "missing: ", 9) == 0);
	release(&r);

	/* The AuthServer names another application than the consented one. */
	run_tail(&r, "global", "{\"authServers\":[" EVO("EvoSts",
	    "11111111-2222-4333-8444-555555555555", "") "],\"settingOverrides\":[]}",
	    EXO_DOMAINS, APP(FULL_ACCESS), override_only);
	assert_true(strncmp(override_consent(&r), "missing: ", 9) == 0);
	release(&r);

	/* The role assignments could not be read: not known, whatever the data says. */
	run_tail(&r, "global", OAUTH_ONPREM, EXO_DOMAINS, APP(FULL_ACCESS)
	    ",\"errors\":[{\"part\":\"entra.hybridApplications.appRoleAssignments\","
	    "\"message\":\"Status: 403 (Forbidden)\"}]", override_only);
	assert_non_null(strstr(override_consent(&r), "unknown: the collector could not read"));
	release(&r);

	/* No Entra data at all. */
	run_checks(&r, "global", OAUTH_ONPREM, override_only);
	assert_true(strncmp(override_consent(&r), "unknown: ", 9) == 0);
	release(&r);
}

/* The worldwide profile as if Microsoft said DAuth cannot serve free/busy there. */
static void
global_without_dauth(struct cloud_set *set)
{
	struct cloud *c = (struct cloud *)cloud_find(set, "global");
	struct cloud_field *f = (struct cloud_field *)cloud_field(c, "dauth_freebusy");

	assert_non_null(f);
	free(f->values.v[0]);
	f->values.v[0] = xstrdup("no");
	free(f->certainty);
	f->certainty = xstrdup("confirmed");
}

#define ORGREL_ONLY "{\"organizationRelationships\":[{\"name\":\"On-premises to O365\"," \
	"\"enabled\":true,\"freeBusyAccessEnabled\":true,\"domainNames\":[\"contoso.mail.onmicrosoft.com\"]}]," \
	"\"intraOrganizationConnectors\":[],\"authServers\":[],\"partnerApplications\":[]," \
	"\"hybridConfiguration\":{\"features\":[\"FreeBusy\"]}}"

static const char *const orgrel_only[] = { "org-relationship.", NULL };

/* Whether DAuth serves free/busy is the profile's (dauth_freebusy), not the cloud's name. */
static void
test_dauth_by_profile(void **state)
{
	struct run r;

	(void)state;
	run_checks(&r, "global", ORGREL_ONLY, orgrel_only);
	assert_int_equal(count(&r.f, "org-relationship.dauth", SEV_INFO, "federation trust"), 1);
	assert_int_equal(count(&r.f, "org-relationship.dauth", SEV_FAIL, NULL), 0);
	release(&r);

	cloud_tweak = global_without_dauth;
	run_checks(&r, "global", ORGREL_ONLY, orgrel_only);
	cloud_tweak = NULL;
	assert_int_equal(count(&r.f, "org-relationship.dauth", SEV_FAIL, "DAuth cannot serve"), 1);
	release(&r);

	/* GCC High: valid, and the finding says it rests on an assumption. */
	run_checks(&r, "gcchigh", ORGREL_ONLY, orgrel_only);
	assert_int_equal(count(&r.f, "org-relationship.dauth", SEV_INFO, "an assumption"), 1);
	release(&r);
}

#define ROUTE_ON "{\"authServers\":[" EVO("EvoSts", APPID, ",\"graphBaseUrl\":\"https://graph.microsoft.com\"") "]," \
	"\"settingOverrides\":[" APP_OV "," GRAPH_OV "]," \
	"\"servers\":[{\"name\":\"EX01\",\"fileVersion\":\"15.2.2562.53\",\"serverRole\":[\"Mailbox\"]}]}"
#define CALENDARS_NO_NAME "{\"appRoleId\":\"798ee544-9d2d-430c-a058-570e29e34338\"," \
	"\"resourceAppId\":\"00000003-0000-0000-c000-000000000000\"}"

/*
 * The Graph roles are judged by name: when the collector could not read
 * Microsoft Graph's role names (errors[] entra.appRoles), consent is not
 * judged, rather than failed for names nobody could read.
 */
static void
test_graph_roles_unresolved(void **state)
{
	struct run r;

	(void)state;
	run_tail(&r, "global", ROUTE_ON, EXO_DOMAINS, APP(FULL_ACCESS "," CALENDARS_NO_NAME)
	    ",\"errors\":[{\"part\":\"entra.appRoles\",\"message\":\"Forbidden (403)\"}]",
	    graph_only);
	assert_int_equal(count(&r.f, "graph-route.config", SEV_SKIP, "could not resolve the role names"), 1);
	assert_int_equal(count(&r.f, "graph-route.config", SEV_FAIL, "lacks admin consent"), 0);
	release(&r);

	/* Without the error the nameless assignment proves nothing: the four are missing. */
	run_tail(&r, "global", ROUTE_ON, EXO_DOMAINS, APP(FULL_ACCESS "," CALENDARS_NO_NAME), graph_only);
	assert_int_equal(count(&r.f, "graph-route.config", SEV_FAIL, "lacks admin consent"), 1);
	release(&r);
}

static void
test_hybrid_config(void **state)
{
	struct run r;

	(void)state;
	/* 21Vianet needs ServiceInstance 1; GCC High has no published value. */
	run_checks(&r, "china", "{\"hybridConfiguration\":{\"serviceInstance\":\"0\"}}", config_only);
	assert_int_equal(count(&r.f, "hybrid-config.service-instance", SEV_FAIL, "is 0"), 1);
	release(&r);
	run_checks(&r, "china", "{\"hybridConfiguration\":{\"serviceInstance\":1}}", config_only);
	assert_int_equal(count(&r.f, "hybrid-config.service-instance", SEV_PASS, NULL), 1);
	release(&r);
	run_checks(&r, "gcchigh", "{\"hybridConfiguration\":{\"serviceInstance\":\"0\"}}", config_only);
	assert_int_equal(count(&r.f, "hybrid-config.service-instance", SEV_SKIP, "names no"), 1);
	release(&r);

	/* The configuration against the connector: endpoint and target domains. */
	run_exo(&r, "global", "{}", EXO_DOMAINS ",\"intraOrganizationConnectors\":[{\"name\":"
	    "\"HybridIOC\",\"enabled\":true,\"discoveryEndpoint\":\"https://mail.contoso.com/autodiscover/autodiscover.svc\","
	    "\"targetAddressDomains\":[\"contoso.com\",\"fabrikam.com\"]}],\"intraOrganizationConfiguration\":{"
	    "\"onPremiseDiscoveryEndpoint\":\"https://old.contoso.com/autodiscover/autodiscover.svc\","
	    "\"onPremiseTargetAddresses\":[\"contoso.com\"]}", config_only);
	assert_int_equal(count(&r.f, "hybrid-config.exo-ioc", SEV_WARN, "old.contoso.com"), 1);
	assert_int_equal(count(&r.f, "hybrid-config.exo-ioc", SEV_WARN, "fabrikam.com"), 1);
	assert_int_equal(count(&r.f, "hybrid-config.exo-ioc", SEV_WARN, "an inference"), 2);
	release(&r);
	run_exo(&r, "global", "{}", EXO_DOMAINS ",\"intraOrganizationConnectors\":[{\"name\":"
	    "\"HybridIOC\",\"enabled\":true,\"discoveryEndpoint\":\"https://mail.contoso.com/autodiscover/autodiscover.svc\","
	    "\"targetAddressDomains\":[\"contoso.com\"]}],\"intraOrganizationConfiguration\":{"
	    "\"onPremiseDiscoveryEndpoint\":\"https://MAIL.contoso.com/autodiscover/autodiscover.svc/\","
	    "\"onPremiseTargetAddresses\":[\"Contoso.com\"]}", config_only);
	assert_int_equal(count(&r.f, "hybrid-config.exo-ioc", SEV_PASS, NULL), 1);
	release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evosts),
		cmocka_unit_test(test_graph_route),
		cmocka_unit_test(test_hybrid_config),
		cmocka_unit_test(test_override_consent),
		cmocka_unit_test(test_dauth_by_profile),
		cmocka_unit_test(test_graph_roles_unresolved),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
