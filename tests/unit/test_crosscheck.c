/*
 * A snapshot together with live probe results: the domain a snapshot stands
 * for, the routing domain learned from GetFederationInformation, and the
 * disagreements between the two reported with both values; then the values
 * the remediation script takes from them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "checks.h"
#include "context.h"
#include "probe.h"
#include "remedy.h"
#include "snapshot.h"
#include "hctest.h"

#define TID	"72416f3c-199e-43f6-9bb5-29f4a10665d5"
#define OTHER	"0b6e8f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
#define EXO	"00000002-0000-0ff1-ce00-000000000000"

static struct snapshot *
snap(const char *json)
{
	struct snapshot *s = NULL;
	struct hcerr e = { "" };

	if (snapshot_parse(json, strlen(json), "test.json", &s, &e) == -1)
		fail_msg("%s", e.msg);
	return s;
}

/* The domain a snapshot stands for, in the documented order. */
static void
test_snapshot_domain(void **state)
{
	struct snapshot *s;
	const char *from = NULL;

	(void)state;
	/* HybridConfiguration, its autod: marker skipped, the default preferred. */
	s = snap("{\"schema\":\"hybridcheck.snapshot/1\",\"onPremises\":{"
	    "\"acceptedDomains\":[{\"domainName\":\"contoso.mail.onmicrosoft.com\",\"default\":true},"
	    "{\"domainName\":\"fabrikam.com\",\"default\":false},{\"domainName\":\"contoso.com\",\"default\":true}],"
	    "\"hybridConfiguration\":{\"domains\":[\"autod:fabrikam.com\",\"fabrikam.com\",\"contoso.com\"]}}}");
	assert_string_equal(context_snapshot_domain(s, &hctest_clouds, &from), "contoso.com");
	assert_non_null(strstr(from, "HybridConfiguration"));
	snapshot_free(s);

	/* The first HybridConfiguration domain when the default is not one. */
	s = snap("{\"schema\":\"hybridcheck.snapshot/1\",\"onPremises\":{"
	    "\"acceptedDomains\":[{\"domainName\":\"corp.example\",\"default\":true}],"
	    "\"hybridConfiguration\":{\"domains\":[\"autod:fabrikam.com\",\"fabrikam.com\"]}}}");
	assert_string_equal(context_snapshot_domain(s, &hctest_clouds, &from), "fabrikam.com");
	snapshot_free(s);

	/* No HybridConfiguration: the cloud connector's targets, tenant names never. */
	s = snap("{\"schema\":\"hybridcheck.snapshot/1\",\"exchangeOnline\":{"
	    "\"intraOrganizationConnectors\":[{\"name\":\"x\",\"targetAddressDomains\":"
	    "[\"contoso.partner.onmschina.cn\",\"contoso.cn\"]}]}}");
	assert_string_equal(context_snapshot_domain(s, &hctest_clouds, &from), "contoso.cn");
	assert_non_null(strstr(from, "IntraOrganizationConnector"));
	snapshot_free(s);

	/* Only an authoritative accepted domain; a relay domain does not count. */
	s = snap("{\"schema\":\"hybridcheck.snapshot/1\",\"onPremises\":{"
	    "\"acceptedDomains\":[{\"domainName\":\"relay.example\",\"domainType\":\"InternalRelay\"},"
	    "{\"domainName\":\"adatum.us\",\"domainType\":0}]}}");
	assert_string_equal(context_snapshot_domain(s, &hctest_clouds, &from), "adatum.us");
	snapshot_free(s);

	/* Nothing usable: no domain, no guess. */
	s = snap("{\"schema\":\"hybridcheck.snapshot/1\",\"onPremises\":{"
	    "\"acceptedDomains\":[{\"domainName\":\"contoso.mail.onmicrosoft.com\"}]}}");
	assert_null(context_snapshot_domain(s, &hctest_clouds, &from));
	snapshot_free(s);
}

struct fx {
	struct context		ctx;
	struct findings		f;
};

static void
fx_init(struct fx *x, const char *cloud, const char *json)
{
	memset(x, 0, sizeof(*x));
	x->ctx.domain = "contoso.cn";
	x->ctx.domain_from = "--domain";
	x->ctx.clouds = &hctest_clouds;
	x->ctx.cloud = cloud_find(&hctest_clouds, cloud);
	x->ctx.now = time(NULL);
	x->ctx.snapshot = snap(json);
	x->ctx.have = INPUT_DOMAIN | INPUT_NETWORK | INPUT_HOSTS | INPUT_CLOUD |
	    INPUT_SNAPSHOT;
	context_add_host(&x->ctx, "autodiscover.contoso.cn");
	x->ctx.probes = xcalloc(1, sizeof(*x->ctx.probes));
	probe_plan(x->ctx.probes, &hctest_clouds, x->ctx.cloud, "contoso.cn", &x->ctx.hosts);
	x->ctx.probes->nviews = 1;
}

static void
fx_free(struct fx *x)
{
	findings_release(&x->f);
	context_release(&x->ctx);
}

static void
answer(struct fx *x, enum probe_kind kind, const char *host, long status,
    const char *body)
{
	struct probe *p = NULL;

	for (size_t i = 0; i < x->ctx.probes->n; i++) {
		struct probe *q = x->ctx.probes->v[i];

		if (q->kind == kind && (kind == PROBE_FEDINFO ? q->cloud == x->ctx.cloud :
		    kind == PROBE_ACS ? q->cloud == x->ctx.cloud :
		    strcmp(q->host, host) == 0))
			p = q;
	}
	if (p == NULL)
		fail_msg("no probe of kind %d for %s", kind, host ? host : "the cloud");
	p->planned_only = 0;
	p->resp.url = xstrdup(p->url);
	p->resp.host = p->host ? xstrdup(p->host) : NULL;
	p->resp.method = xstrdup("GET");
	if (status < 0) {
		p->resp.outcome = HTTP_EDNS;
		p->resp.error = xstrdup("no such name (NXDOMAIN)");
	} else {
		p->resp.outcome = HTTP_RESPONSE;
		p->resp.status = status;
		p->resp.body = xstrdup(body ? body : "");
		p->resp.body_len = strlen(p->resp.body);
	}
	/* What the probes' end does: the answers become facts. */
	context_facts(&x->ctx);
}

static const struct finding *
get(const struct fx *x, const char *check, enum severity sev)
{
	for (size_t i = 0; i < x->f.n; i++)
		if (strcmp(x->f.v[i]->check, check) == 0 && x->f.v[i]->severity == sev)
			return x->f.v[i];
	fail_msg("no %s finding of %s", severity_name(sev), check);
	return NULL;
}

static void
run(struct fx *x, const char *prefix)
{
	const char *const only[] = { prefix, NULL };

	/* The answers were filled in by hand: parse them, as the probes would. */
	context_facts(&x->ctx);
	checks_run(&x->ctx, only, &x->f);
}

#define CHINA_ACS	"https://accounts.accesscontrol.chinacloudapi.cn/contoso.cn/metadata/json/1"

static char *
acs_doc(const char *realm)
{
	return xasprintf("{\"keys\":[],\"endpoints\":[],\"realm\":\"%s\","
	    "\"issuer\":\"00000001-0000-0000-c000-000000000000@%s\"}", realm, realm);
}

static char *
fed_doc(const char *routing)
{
	return xasprintf("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
	    "<s:Body><GetFederationInformationResponseMessage xmlns=\"http://schemas."
	    "microsoft.com/exchange/2010/Autodiscover\"><Response><ErrorCode>NoError"
	    "</ErrorCode><ApplicationUri>partner.outlook.cn</ApplicationUri><Domains>"
	    "<Domain>contoso.cn</Domain><Domain>%s</Domain><Domain>contoso.partner."
	    "onmschina.cn</Domain></Domains></Response></GetFederationInformationResponseMessage>"
	    "</s:Body></s:Envelope>", routing);
}

/* The AuthServer's realm against the live ACS realm: both values as evidence. */
static void
test_realm_against_live(void **state)
{
	struct fx x;
	const struct finding *fd;
	char *doc = acs_doc(TID);

	(void)state;
	/* No tenant id in the snapshot nor from discovery: the ACS realm decides. */
	fx_init(&x, "china", "{\"schema\":\"hybridcheck.snapshot/1\",\"onPremises\":{"
	    "\"authServers\":[{\"name\":\"ACS\",\"type\":\"MicrosoftACS\",\"realm\":\"" OTHER "\","
	    "\"authMetadataUrl\":\"" CHINA_ACS "\",\"enabled\":true}]}}");
	answer(&x, PROBE_ACS, NULL, 200, doc);
	run(&x, "authserver.acs");
	fd = get(&x, "authserver.acs", SEV_FAIL);
	assert_non_null(strstr(fd->message, "ACS metadata"));
	assert_string_equal(finding_get(fd, "realm"), OTHER);
	assert_string_equal(finding_get(fd, "live acs realm"), TID);
	assert_string_equal(finding_get(fd, "live acs metadata"), CHINA_ACS);
	assert_string_equal(finding_get(fd, "authserver"), "ACS");
	assert_string_equal(fd->remedy, "authserver.acs.fix");
	fx_free(&x);

	/* Agreeing: a pass that names the live realm too. */
	fx_init(&x, "china", "{\"schema\":\"hybridcheck.snapshot/1\",\"onPremises\":{"
	    "\"authServers\":[{\"name\":\"ACS\",\"type\":\"MicrosoftACS\",\"realm\":\"" TID "\","
	    "\"authMetadataUrl\":\"" CHINA_ACS "\",\"enabled\":true}]}}");
	answer(&x, PROBE_ACS, NULL, 200, doc);
	run(&x, "authserver.acs");
	fd = get(&x, "authserver.acs", SEV_PASS);
	assert_string_equal(finding_get(fd, "live acs realm"), TID);
	fx_free(&x);
	free(doc);
}

/*
 * The routing domain comes from the organisation's data, never from
 * GetFederationInformation's list (PROTOCOLS 12.1): a connector's
 * TargetAddressDomains name it when nothing earlier in the order does,
 * whatever form the live answer lists; its form is named.
 */
static void
test_routing_from_live(void **state)
{
	struct fx x;
	struct org_routing rt;
	const struct finding *fd;
	char *fed = fed_doc("contoso.partner.mail.onmschina.cn");

	(void)state;
	fx_init(&x, "china", "{\"schema\":\"hybridcheck.snapshot/1\",\"onPremises\":{"
	    "\"intraOrganizationConnectors\":[{\"name\":\"ToCloud\",\"enabled\":true,"
	    "\"discoveryEndpoint\":\"https://autodiscover-s.outlook.com/autodiscover/autodiscover.svc\","
	    "\"targetAddressDomains\":[\"contoso.mail.partner.onmschina.cn\"]}]}}");
	assert_int_equal(org_routing(&x.ctx, &rt), 0);
	assert_string_equal(rt.domain, "contoso.mail.partner.onmschina.cn");
	assert_string_equal(rt.from,
	    "the on-premises IntraOrganizationConnector's TargetAddressDomains");
	org_routing_release(&rt);
	answer(&x, PROBE_FEDINFO, NULL, 200, fed);
	assert_int_equal(org_routing(&x.ctx, &rt), 0);
	assert_string_equal(rt.domain, "contoso.mail.partner.onmschina.cn");
	assert_string_equal(rt.suffix, "mail.partner.onmschina.cn");
	org_routing_release(&rt);

	/* The connector targets the worldwide endpoint from 21Vianet. */
	x.ctx.probes->tenant_cloud = x.ctx.cloud;
	run(&x, "ioc.onprem");
	fd = get(&x, "ioc.onprem", SEV_FAIL);
	assert_non_null(strstr(fd->message, "the global cloud's endpoint"));
	assert_string_equal(finding_get(fd, "tenant cloud (live)"), "china");
	assert_string_equal(finding_get(fd, "routing domain"),
	    "contoso.mail.partner.onmschina.cn");
	assert_string_equal(finding_get(fd, "routing domain form"),
	    "<tenant>.mail.partner.onmschina.cn");
	fx_free(&x);

	/* Remote mailboxes outrank the connector, most used domain first. */
	fx_init(&x, "china", "{\"schema\":\"hybridcheck.snapshot/1\",\"onPremises\":{"
	    "\"intraOrganizationConnectors\":[{\"name\":\"ToCloud\",\"enabled\":true,"
	    "\"targetAddressDomains\":[\"contoso.mail.partner.onmschina.cn\"]}],"
	    "\"remoteRoutingDomains\":[{\"domain\":\"old.partner.mail.onmschina.cn\",\"count\":2},"
	    "{\"domain\":\"contoso.partner.mail.onmschina.cn\",\"count\":40}]}}");
	assert_int_equal(org_routing(&x.ctx, &rt), 0);
	assert_string_equal(rt.domain, "contoso.partner.mail.onmschina.cn");
	assert_string_equal(rt.from, "the RemoteRoutingAddress of the remote mailboxes");
	org_routing_release(&rt);
	fx_free(&x);

	/* Only the live answer: nothing, it confirms and never supplies. */
	fx_init(&x, "china", "{\"schema\":\"hybridcheck.snapshot/1\",\"onPremises\":{}}");
	answer(&x, PROBE_FEDINFO, NULL, 200, fed);
	assert_int_equal(org_routing(&x.ctx, &rt), -1);
	org_routing_release(&rt);
	fx_free(&x);
	free(fed);
}

/* Connector endpoints against what answered live. */
static void
test_endpoints_against_live(void **state)
{
	struct fx x;
	const struct finding *fd;

	(void)state;
	/* On-premises -> cloud: an accepted endpoint that did not answer. */
	fx_init(&x, "china", "{\"schema\":\"hybridcheck.snapshot/1\",\"onPremises\":{"
	    "\"intraOrganizationConnectors\":[{\"name\":\"ToCloud\",\"enabled\":true,"
	    "\"discoveryEndpoint\":\"https://partner.outlook.cn/autodiscover/autodiscover.svc\","
	    "\"targetAddressDomains\":[\"contoso.mail.partner.onmschina.cn\"]}]}}");
	answer(&x, PROBE_CLOUD_DISCOVERY, "partner.outlook.cn", 404, "");
	run(&x, "ioc.onprem");
	fd = get(&x, "ioc.onprem", SEV_WARN);
	assert_string_equal(finding_get(fd, "live answer"), "HTTP 404");
	assert_string_equal(fd->remedy, "ioc.onprem");
	fx_free(&x);

	/* Cloud -> on-premises: the connector's host does not answer; another does. */
	fx_init(&x, "china", "{\"schema\":\"hybridcheck.snapshot/1\",\"onPremises\":{"
	    "\"acceptedDomains\":[{\"domainName\":\"contoso.cn\"}],\"servers\":[{\"name\":\"EX\","
	    "\"autodiscoverVirtualDirectories\":[{\"externalUrl\":\"https://mail.contoso.cn/Autodiscover/Autodiscover.xml\"}]}]},"
	    "\"exchangeOnline\":{\"intraOrganizationConnectors\":[{\"name\":\"ToOnPrem\","
	    "\"enabled\":true,\"discoveryEndpoint\":\"https://autodiscover.contoso.cn/autodiscover/autodiscover.svc\","
	    "\"targetAddressDomains\":[\"contoso.cn\"]}]}}");
	context_add_host(&x.ctx, "mail.contoso.cn");
	probe_plan(x.ctx.probes, &hctest_clouds, x.ctx.cloud, "contoso.cn", &x.ctx.hosts);
	answer(&x, PROBE_ONPREM_SVC, "autodiscover.contoso.cn", -1, NULL);
	answer(&x, PROBE_ONPREM_SVC, "mail.contoso.cn", 401, "");
	assert_string_equal(org_autodiscover_host(&x.ctx), "mail.contoso.cn");
	run(&x, "ioc.cloud");
	fd = get(&x, "ioc.cloud", SEV_FAIL);
	assert_string_equal(finding_get(fd, "published autodiscover host"),
	    "mail.contoso.cn");
	assert_string_equal(finding_get(fd, "discovery endpoint"),
	    "https://mail.contoso.cn/autodiscover/autodiscover.svc");
	fx_free(&x);
}

/* A snapshot of another tenant than the domain's. */
static void
test_tenant_against_live(void **state)
{
	struct fx x;
	const struct finding *fd = NULL;

	(void)state;
	fx_init(&x, "china", "{\"schema\":\"hybridcheck.snapshot/1\",\"tenantId\":\"" OTHER "\"}");
	answer(&x, PROBE_OPENID, "login.chinacloudapi.cn", 200,
	    "{\"issuer\":\"https://login.chinacloudapi.cn/" TID "/v2.0\"}");
	x.ctx.probes->tenant_id = xstrdup(TID);
	x.ctx.probes->tenant_cloud = x.ctx.cloud;
	x.ctx.probes->candidates[0] = x.ctx.cloud;
	x.ctx.probes->ncandidates = 1;
	run(&x, "tenant.discovery");
	for (size_t i = 0; i < x.f.n; i++)
		if (x.f.v[i]->severity == SEV_FAIL)
			fd = x.f.v[i];
	assert_non_null(fd);
	assert_string_equal(finding_get(fd, "snapshot tenant id"), OTHER);
	assert_string_equal(finding_get(fd, "live tenant id"), TID);
	/* The tenant id the configuration checks use: the snapshot's first. */
	assert_string_equal(cfg_tenant_id(&x.ctx, NULL), OTHER);
	snapshot_free(x.ctx.snapshot);
	x.ctx.snapshot = snap("{\"schema\":\"hybridcheck.snapshot/1\"}");
	{
		const char *src = NULL;

		assert_string_equal(cfg_tenant_id(&x.ctx, &src), TID);
		assert_string_equal(src, "tenant discovery");
	}
	fx_free(&x);
}

/* The script for the wrong cloud names the right one and the command. */
static void
test_cloud_select_script(void **state)
{
	struct findings f = { 0 };
	struct remedy_inputs in = { 0 };
	struct finding *fd;
	struct buf out;

	(void)state;
	f.current_check = "tenant.discovery";
	fd = findings_add(&f, SEV_FAIL, "contoso.cn", "the tenant lives elsewhere");
	finding_evidence_param(fd, RP_EXPECTED_CLOUD, "expected cloud", "china");
	finding_remedy(fd, "cloud.select");
	in.cloud = cloud_find(&hctest_clouds, "global");
	in.domain = "contoso.cn";
	in.right_cloud = "china";
	in.rerun = "hybridcheck remediate --domain contoso.cn --cloud china --ps1 fix.ps1";
	buf_init(&out, (size_t)-1);
	assert_int_equal(remedy_script(&f, &in, &out), 0);
	assert_non_null(strstr(out.data, "#   hybridcheck remediate --domain "
	    "contoso.cn --cloud china --ps1 fix.ps1"));
	assert_non_null(strstr(out.data, "Write-Warning 'the findings say the "
	    "tenant lives in the china cloud, not global: run hybridcheck again "
	    "with --cloud china"));
	assert_null(strstr(out.data, "New-AuthServer"));
	buf_release(&out);

	/* A cloud name that is not a plain word never reaches the code. */
	in.right_cloud = "china'; Remove-Item";
	buf_init(&out, (size_t)-1);
	remedy_script(&f, &in, &out);
	assert_null(strstr(out.data, "Write-Warning 'the findings say the tenant "
	    "lives in the china'"));
	buf_release(&out);
	findings_release(&f);
}

/* authcert.upload: the certificate a finding carries, on the hybrid app. */
static void
test_upload_from_evidence(void **state)
{
	struct findings f = { 0 };
	struct remedy_inputs in = { 0 };
	struct finding *fd;
	struct buf out;

	(void)state;
	f.current_check = "onprem.metadata";
	fd = findings_add(&f, SEV_FAIL, "mail.contoso.cn", "signs with another");
	finding_evidence_param(fd, RP_THUMBPRINT, "thumbprint", "%s", "0123456789ABCDEF0123456789ABCDEF01234567");
	finding_evidence_param(fd, RP_CERTIFICATE, "certificate", "%s", "MIIBAA==");
	finding_remedy(fd, "authcert.upload");
	in.cloud = cloud_find(&hctest_clouds, "china");
	in.domain = "contoso.cn";
	in.thumbprint = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";
	in.cert_b64 = "AAAA";
	in.hybrid_app_id = "7e2d4c1b-0a9f-4e8d-b6c5-3a2f1e0d9c8b";
	buf_init(&out, (size_t)-1);
	assert_int_equal(remedy_script(&f, &in, &out), 0);
	assert_non_null(strstr(out.data, "$certB64 = 'MIIBAA=='"));
	assert_non_null(strstr(out.data, "$certThumb = '0123456789ABCDEF0123456789ABCDEF01234567'"));
	assert_non_null(strstr(out.data, "$appId = '7e2d4c1b-0a9f-4e8d-b6c5-3a2f1e0d9c8b'"));
	assert_non_null(strstr(out.data, "Update-MgApplication"));
	buf_release(&out);
	findings_release(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_domain),
		cmocka_unit_test(test_realm_against_live),
		cmocka_unit_test(test_routing_from_live),
		cmocka_unit_test(test_endpoints_against_live),
		cmocka_unit_test(test_tenant_against_live),
		cmocka_unit_test(test_cloud_select_script),
		cmocka_unit_test(test_upload_from_evidence),
	};

	return cmocka_run_group_tests(tests, hctest_clouds_setup,
	    hctest_clouds_teardown);
}
