/* probe_plan and probe_discover: which requests for each cloud, and what they mean. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "probe.h"
#include "hctest.h"

static size_t
count(const struct probe_results *r, enum probe_kind k)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++)
		n += r->v[i]->kind == k;
	return n;
}

static const struct probe *
has(const struct probe_results *r, enum probe_kind k, const char *url)
{
	const struct probe *p = probe_find_url(r, k, url);

	if (p == NULL)
		fail_msg("no %s probe for %s", probe_kind_name(k), url);
	return p;
}

static void
test_plan_global(void **state)
{
	struct probe_results r = { 0 };
	struct strlist hosts = { 0 };
	const struct probe *p;

	(void)state;
	strlist_add(&hosts, "autodiscover.contoso.com");
	strlist_add(&hosts, "mail2.contoso.com");
	probe_plan(&r, &hctest_clouds, cloud_find(&hctest_clouds, "global"), "contoso.com", &hosts);
	/* Tenant discovery and ACS on every cloud; GCC High and DoD share URLs. */
	assert_int_equal(count(&r, PROBE_OPENID), 3);
	has(&r, PROBE_OPENID, "https://login.microsoftonline.com/contoso.com/v2.0/.well-known/openid-configuration");
	has(&r, PROBE_OPENID, "https://login.chinacloudapi.cn/contoso.com/v2.0/.well-known/openid-configuration");
	has(&r, PROBE_OPENID, "https://login.microsoftonline.us/contoso.com/v2.0/.well-known/openid-configuration");
	assert_int_equal(count(&r, PROBE_ACS), 3);
	p = has(&r, PROBE_ACS, "https://accounts.accesscontrol.windows.net/contoso.com/metadata/json/1");
	assert_string_equal(p->cloud->name, "global");
	has(&r, PROBE_ACS, "https://accounts.accesscontrol.chinacloudapi.cn/contoso.com/metadata/json/1");
	has(&r, PROBE_ACS, "https://login.microsoftonline.us/contoso.com/metadata/json/1");
	assert_ptr_equal(probe_for_cloud(&r, PROBE_ACS, cloud_find(&hctest_clouds, "dod"),
	    "contoso.com"), probe_for_cloud(&r, PROBE_ACS,
	    cloud_find(&hctest_clouds, "gcchigh"), "contoso.com"));
	/* The chosen cloud's Autodiscover: one POST, a GET per accepted endpoint. */
	assert_int_equal(count(&r, PROBE_FEDINFO), 1);
	p = has(&r, PROBE_FEDINFO, "https://autodiscover-s.outlook.com/autodiscover/autodiscover.svc");
	assert_non_null(strstr(p->body, "<Domain>contoso.com</Domain>"));
	assert_int_equal(count(&r, PROBE_CLOUD_DISCOVERY), 2);
	has(&r, PROBE_CLOUD_DISCOVERY, "https://outlook.office365.com/autodiscover/autodiscover.svc");
	/* On-premises: autodiscover.<domain> once, every host, mail.<domain>'s EWS. */
	assert_int_equal(count(&r, PROBE_ONPREM_SVC), 2);
	has(&r, PROBE_ONPREM_SVC, "https://autodiscover.contoso.com/autodiscover/autodiscover.svc");
	has(&r, PROBE_ONPREM_SVC, "https://mail2.contoso.com/autodiscover/autodiscover.svc");
	assert_int_equal(count(&r, PROBE_EWS), 3);
	has(&r, PROBE_EWS, "https://mail.contoso.com/EWS/Exchange.asmx");
	has(&r, PROBE_EWS, "https://mail2.contoso.com/EWS/Exchange.asmx");
	has(&r, PROBE_ONPREM_METADATA, "https://autodiscover.contoso.com/autodiscover/metadata/json/1");
	/* The discovery methods. */
	has(&r, PROBE_AD_ROOT, "https://contoso.com/autodiscover/autodiscover.xml");
	has(&r, PROBE_AD_HOST, "https://autodiscover.contoso.com/autodiscover/autodiscover.xml");
	has(&r, PROBE_AD_HTTP, "http://autodiscover.contoso.com/autodiscover/autodiscover.xml");
	assert_string_equal(r.srv_name, "_autodiscover._tcp.contoso.com");
	assert_int_equal(count(&r, PROBE_AD_SRV), 0);	/* needs the SRV answer */
	assert_true(strlist_contains_ci(&r.onprem_hosts, "mail.contoso.com"));
	assert_true(strlist_contains_ci(&r.onprem_hosts, "contoso.com"));
	for (size_t i = 0; i < r.n; i++) {
		assert_int_equal(r.v[i]->wave, 1);
		assert_true(r.v[i]->planned_only);
	}
	probe_results_release(&r);
	probe_results_release(&r);
	strlist_release(&hosts);
}

static void
test_plan_other_clouds(void **state)
{
	struct probe_results r = { 0 };

	(void)state;
	probe_plan(&r, &hctest_clouds, cloud_find(&hctest_clouds, "china"), "contoso.cn", NULL);
	has(&r, PROBE_FEDINFO, "https://autodiscover-s.partner.outlook.cn/autodiscover/autodiscover.svc");
	has(&r, PROBE_CLOUD_DISCOVERY, "https://partner.outlook.cn/autodiscover/autodiscover.svc");
	assert_int_equal(count(&r, PROBE_CLOUD_DISCOVERY), 2);
	probe_results_release(&r);
	probe_plan(&r, &hctest_clouds, cloud_find(&hctest_clouds, "dod"), "contoso.us", NULL);
	has(&r, PROBE_FEDINFO, "https://autodiscover-s-dod.office365.us/autodiscover/autodiscover.svc");
	assert_int_equal(count(&r, PROBE_CLOUD_DISCOVERY), 1);
	probe_results_release(&r);
	/* Hosts only: no tenant or discovery probes. */
	{
		struct strlist hosts = { 0 };

		strlist_add(&hosts, "mail.contoso.com");
		probe_plan(&r, &hctest_clouds, NULL, NULL, &hosts);
		assert_int_equal(r.n, 3);
		assert_int_equal(count(&r, PROBE_EWS), 1);
		assert_null(r.srv_name);
		probe_results_release(&r);
		strlist_release(&hosts);
	}
}

static void
test_plan_without_cloud(void **state)
{
	struct probe_results r = { 0 };
	size_t before;

	(void)state;
	probe_plan(&r, &hctest_clouds, NULL, "contoso.com", NULL);
	assert_int_equal(count(&r, PROBE_FEDINFO), 0);
	assert_int_equal(count(&r, PROBE_CLOUD_DISCOVERY), 0);
	assert_int_equal(count(&r, PROBE_OPENID), 3);
	before = r.n;
	probe_plan_cloud(&r, cloud_find(&hctest_clouds, "gcchigh"), "contoso.com", 2);
	assert_int_equal(r.n, before + 2);
	assert_int_equal(r.v[before]->wave, 2);
	assert_string_equal(r.v[before]->url,
	    "https://autodiscover-s.office365.us/autodiscover/autodiscover.svc");
	/* Planning twice adds nothing. */
	probe_plan_cloud(&r, cloud_find(&hctest_clouds, "gcchigh"), "contoso.com", 2);
	assert_int_equal(r.n, before + 2);
	probe_results_release(&r);
}

/* Marks the OpenID probe of url as answered with body. */
static void
answer(struct probe_results *r, const char *url, long status, const char *body)
{
	struct probe *p = (struct probe *)probe_find_url(r, PROBE_OPENID, url);

	assert_non_null(p);
	p->planned_only = 0;
	p->resp.outcome = HTTP_RESPONSE;
	p->resp.status = status;
	p->resp.body = strdup(body);
	p->resp.body_len = strlen(body);
}

static void
test_discover(void **state)
{
	static const char g[] = "https://login.microsoftonline.com/contoso.com/v2.0/.well-known/openid-configuration";
	static const char us[] = "https://login.microsoftonline.us/contoso.com/v2.0/.well-known/openid-configuration";
	static const char cn[] = "https://login.chinacloudapi.cn/contoso.com/v2.0/.well-known/openid-configuration";
	static const char notfound[] = "{\"error\":\"invalid_tenant\",\"error_codes\":[90002]}";
	struct probe_results r = { 0 };

	(void)state;
	probe_plan(&r, &hctest_clouds, NULL, "contoso.com", NULL);
	probe_discover(&r, &hctest_clouds);
	assert_null(r.tenant_id);
	assert_null(r.tenant_cloud);
	answer(&r, g, 400, notfound);
	answer(&r, us, 400, notfound);
	answer(&r, cn, 200, "{\"token_endpoint\":\"https://login.chinacloudapi.cn/"
	    "0b6e8f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b/oauth2/v2.0/token\","
	    "\"cloud_instance_name\":\"partner.microsoftonline.cn\"}");
	probe_discover(&r, &hctest_clouds);
	assert_string_equal(r.tenant_id, "0b6e8f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
	assert_non_null(r.tenant_cloud);
	assert_string_equal(r.tenant_cloud->name, "china");
	probe_results_release(&r);

	/* microsoftonline.us fits GCC High and DoD alike: ambiguous. */
	probe_plan(&r, &hctest_clouds, NULL, "contoso.com", NULL);
	answer(&r, us, 200, "{\"issuer\":\"https://login.microsoftonline.us/"
	    "5de110f8-2e0f-4d45-891d-bcf2218e253d/v2.0\",\"tenant_region_scope\":"
	    "\"USGov\",\"cloud_instance_name\":\"microsoftonline.us\"}");
	probe_discover(&r, &hctest_clouds);
	assert_string_equal(r.tenant_id, "5de110f8-2e0f-4d45-891d-bcf2218e253d");
	assert_null(r.tenant_cloud);
	assert_int_equal(r.ncandidates, 2);
	probe_results_release(&r);

	/* The sub-scope names the one: DOD is DoD, DODCON GCC High. */
	probe_plan(&r, &hctest_clouds, NULL, "contoso.com", NULL);
	answer(&r, us, 200, "{\"issuer\":\"https://login.microsoftonline.us/"
	    "5de110f8-2e0f-4d45-891d-bcf2218e253d/v2.0\",\"tenant_region_scope\":"
	    "\"USGov\",\"tenant_region_sub_scope\":\"DOD\",\"cloud_instance_name\":"
	    "\"microsoftonline.us\"}");
	probe_discover(&r, &hctest_clouds);
	assert_non_null(r.tenant_cloud);
	assert_string_equal(r.tenant_cloud->name, "dod");
	probe_results_release(&r);

	/*
	 * "USG" (Microsoft's Azure Government sample) with GCC High's
	 * sub-scope: the scope never vetoes, the sub-scope decides.
	 */
	probe_plan(&r, &hctest_clouds, NULL, "contoso.com", NULL);
	answer(&r, us, 200, "{\"issuer\":\"https://login.microsoftonline.us/"
	    "5de110f8-2e0f-4d45-891d-bcf2218e253d/v2.0\",\"tenant_region_scope\":"
	    "\"USG\",\"tenant_region_sub_scope\":\"DODCON\",\"cloud_instance_name\":"
	    "\"microsoftonline.us\"}");
	probe_discover(&r, &hctest_clouds);
	assert_non_null(r.tenant_cloud);
	assert_string_equal(r.tenant_cloud->name, "gcchigh");
	probe_results_release(&r);

	/* A scope no profile lists narrows nothing: still the one that fits. */
	probe_plan(&r, &hctest_clouds, NULL, "contoso.com", NULL);
	answer(&r, g, 200, "{\"issuer\":\"https://login.microsoftonline.com/"
	    "5de110f8-2e0f-4d45-891d-bcf2218e253d/v2.0\",\"tenant_region_scope\":"
	    "\"ZZ\",\"cloud_instance_name\":\"microsoftonline.com\"}");
	probe_discover(&r, &hctest_clouds);
	assert_non_null(r.tenant_cloud);
	assert_string_equal(r.tenant_cloud->name, "global");
	probe_results_release(&r);

	/*
	 * An answer naming no instance or known token host, from the URL GCC
	 * High and DoD share, and an unlisted scope: both remain, never the
	 * cloud that planned the request.
	 */
	probe_plan(&r, &hctest_clouds, NULL, "contoso.com", NULL);
	answer(&r, us, 200, "{\"authorization_endpoint\":\"https://login.example/"
	    "5de110f8-2e0f-4d45-891d-bcf2218e253d/oauth2/authorize\","
	    "\"tenant_region_scope\":\"USG\"}");
	probe_discover(&r, &hctest_clouds);
	assert_null(r.tenant_cloud);
	assert_int_equal(r.ncandidates, 2);
	probe_results_release(&r);

	/* Garbage from a login host is no tenant. */
	probe_plan(&r, &hctest_clouds, NULL, "contoso.com", NULL);
	answer(&r, g, 200, "<html>maintenance</html>");
	probe_discover(&r, &hctest_clouds);
	assert_null(r.tenant_id);
	probe_results_release(&r);
}

static void
test_published_hosts(void **state)
{
	struct probe_results r = { 0 };
	struct strlist pub = { 0 };
	struct probe *p;

	(void)state;
	probe_plan(&r, &hctest_clouds, cloud_find(&hctest_clouds, "global"), "contoso.com", NULL);
	for (size_t i = 0; i < r.n; i++) {
		p = r.v[i];
		p->resp.url = xstrdup(p->url);
		p->resp.host = xstrdup(p->host);
		p->resp.outcome = HTTP_RESPONSE;
		/* The apex answers as Exchange; EWS on mail. is a 404; the rest time out. */
		if (p->kind == PROBE_AD_ROOT)
			p->resp.status = 401;
		else if (p->kind == PROBE_EWS)
			p->resp.status = 404;
		else if (p->kind == PROBE_AD_HTTP) {
			p->resp.status = 302;
			p->resp.redirect = xcalloc(1, sizeof(*p->resp.redirect));
			p->resp.redirect->url = xstrdup("https://owa.contoso.com/autodiscover/autodiscover.xml");
			p->resp.redirect->host = xstrdup("owa.contoso.com");
			p->resp.redirect->outcome = HTTP_RESPONSE;
			p->resp.redirect->status = 401;
		} else
			p->resp.outcome = HTTP_ETIMEOUT;
	}
	probe_published_hosts(&r, &pub);
	assert_int_equal(pub.n, 2);
	assert_string_equal(pub.v[0], "contoso.com");
	assert_string_equal(pub.v[1], "owa.contoso.com");
	strlist_release(&pub);
	probe_results_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_global),
		cmocka_unit_test(test_plan_other_clouds),
		cmocka_unit_test(test_plan_without_cloud),
		cmocka_unit_test(test_discover),
		cmocka_unit_test(test_published_hosts),
	};

	return cmocka_run_group_tests(tests, hctest_clouds_setup,
	    hctest_clouds_teardown);
}
