/*
 * snapshot: the reader accepts what Windows PowerShell 5.1 writes, rejects
 * garbage naming the JSON path, and loads hundreds of servers quickly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "snapshot.h"
#include "file.h"

#define HEAD	"{\"schema\":\"hybridcheck.snapshot/1\","

static struct snapshot *
parse_ok(const char *json)
{
	struct snapshot *s = NULL;
	struct hcerr e = { "" };

	if (snapshot_parse(json, strlen(json), "t.json", &s, &e) == -1)
		fail_msg("unexpected error: %s", e.msg);
	return s;
}

static void
parse_bad(const char *json, const char *want)
{
	struct snapshot *s = NULL;
	struct hcerr e = { "" };

	assert_int_equal(snapshot_parse(json, strlen(json), "t.json", &s, &e), -1);
	assert_null(s);
	if (strcmp(e.msg, want) != 0)
		fail_msg("error\n  got:  %s\n  want: %s", e.msg, want);
}

/* A self-signed certificate made now; DER into *der (caller frees). */
static size_t
make_cert(unsigned char **der, const char *cn)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *n;
	int len;

	assert_non_null(k);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600L * 24 * 365);
	X509_set_pubkey(x, k);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn,
	    -1, -1, 0);
	X509_set_issuer_name(x, n);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	*der = NULL;
	len = i2d_X509(x, der);
	assert_true(len > 0);
	X509_free(x);
	EVP_PKEY_free(k);
	return (size_t)len;
}

static char *
b64(const unsigned char *d, size_t n)
{
	char *out = malloc(4 * ((n + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, d, (int)n);
	return out;
}

static char *
sha1hex(const unsigned char *d, size_t n)
{
	unsigned char md[20];
	unsigned len = 0;
	char *hex = malloc(41);

	EVP_Digest(d, n, md, &len, EVP_sha1(), NULL);
	for (unsigned i = 0; i < 20; i++)
		snprintf(hex + i * 2, 3, "%02X", md[i]);
	return hex;
}

static void
test_minimal_and_schema(void **state)
{
	struct snapshot *s;

	(void)state;
	s = parse_ok(HEAD "\"cloud\":\"China\"}");
	assert_string_equal(s->cloud, "china");
	assert_false(s->onprem.present);
	assert_false(s->entra.present);
	snapshot_free(s);
	snapshot_free(NULL);

	parse_bad("{\"schema\":\"hybridcheck.snapshot/2\"}",
	    "t.json: $.schema: expected \"hybridcheck.snapshot/1\", got a string "
	    "'hybridcheck.snapshot/2'");
	parse_bad("{\"cloud\":\"global\"}",
	    "t.json: $.schema: expected \"hybridcheck.snapshot/1\", got nothing");
	parse_bad("[1,2]", "t.json: $: expected an object, got an array");
	parse_bad("{\"schema\":\"hybridcheck.snapshot/1\",\n  \"cloud\": ,}",
	    "t.json: not JSON (syntax error at line 2, column 12)");
	parse_bad("\xFF\xFE{\0", "t.json: snapshot is UTF-16; write it as UTF-8 "
	    "(the collector does; Out-File needs -Encoding utf8)");
}

/* Everything PowerShell 5.1's ConvertTo-Json does to a snapshot. */
static void
test_powershell_quirks(void **state)
{
	struct snapshot *s;
	const char *json =
	    "\xEF\xBB\xBF" HEAD
	    "\"CollectedAt\":\"\\/Date(1700000000000)\\/\","
	    "\"OnPremises\":{"
	    " \"AuthConfig\":{\"CurrentCertificateThumbprint\":\"\xE2\x80\x8E" "3e 5a 7c 9b 1d 2f 4e 6a 8c 0b 2d 4f 6e 8a 0c 2b 4d 6f 8e 0a\","
	    "   \"NextCertificateThumbprint\":null,"
	    "   \"NextCertificateEffectiveDate\":{\"value\":\"\\/Date(1700000000000+0800)\\/\",\"DisplayHint\":2,\"DateTime\":\"Tuesday\"}},"
	    " \"AuthServers\":{\"Name\":\"EvoSts\",\"Type\":5,\"Realm\":\"5DE110F8-2E0F-4D45-891D-BCF2218E253D\","
	    "   \"Enabled\":\"True\",\"DomainName\":{\"value\":[{\"Domain\":\"Contoso.com\",\"IncludeSubDomains\":false}],\"Count\":1},"
	    "   \"PSComputerName\":\"ex01\",\"RunspaceId\":\"x\"},"
	    " \"PartnerApplications\":[{\"Name\":\"Exchange Online\",\"ApplicationIdentifier\":\"00000002-0000-0FF1-CE00-000000000000\",\"Realm\":\"\",\"Enabled\":1}],"
	    " \"IntraOrganizationConnectors\":{\"Name\":\"ioc\",\"Enabled\":true,"
	    "   \"DiscoveryEndpoint\":{\"AbsoluteUri\":\"https://autodiscover-s.outlook.com/autodiscover/autodiscover.svc\",\"Port\":443},"
	    "   \"TargetAddressDomains\":\"contoso.mail.onmicrosoft.com\"},"
	    " \"AvailabilityAddressSpaces\":{\"ForestName\":\"contoso.mail.onmicrosoft.com\",\"AccessMethod\":3,\"UseServiceAccount\":false},"
	    " \"AcceptedDomains\":[{\"DomainName\":{\"Domain\":\"Contoso.com\"},\"DomainType\":0,\"Default\":true},"
	    "   {\"DomainName\":\"x.net\",\"DomainType\":\"InternalRelay\"}],"
	    " \"SettingOverrides\":null,"
	    " \"Servers\":{\"Name\":\"EX01\",\"ServerRole\":2,"
	    "   \"AdminDisplayVersion\":{\"Major\":15,\"Minor\":1,\"Build\":2507,\"Revision\":55},"
	    "   \"WebServicesVirtualDirectories\":{\"Name\":\"EWS (Default Web Site)\",\"OAuthAuthentication\":false,\"ExternalUrl\":null},"
	    "   \"AuthCertificates\":[]}},"
	    "\"entra\":{\"tenantId\":\"{5de110f8-2e0f-4d45-891d-bcf2218e253d}\","
	    " \"hybridApplications\":{\"value\":[{\"appId\":\"d3a9c7e1-5b2f-4a6d-8c0e-1f2a3b4c5d6e\","
	    "   \"keyCredentials\":{\"customKeyIdentifier\":\"Plp8mx0vTmqMCy1PbooMK01vjgo=\",\"endDateTime\":\"2029-02-01T09:00:00+08:00\"}}],\"@odata.context\":\"x\"}},"
	    "\"errors\":null,\"somethingNew\":{\"deep\":[1,2,3]}}";

	(void)state;
	s = parse_ok(json);
	assert_int_equal((long)s->collected, 1700000000L);
	assert_string_equal(s->onprem.authconfig.current_thumbprint,
	    "3E5A7C9B1D2F4E6A8C0B2D4F6E8A0C2B4D6F8E0A");
	assert_null(s->onprem.authconfig.next_thumbprint);
	assert_int_equal((long)s->onprem.authconfig.next_effective, 1700000000L);
	assert_int_equal(s->onprem.nauthservers, 1);
	assert_int_equal(s->onprem.authservers[0].type, AUTHSERVER_AZUREAD);
	assert_string_equal(s->onprem.authservers[0].type_text, "AzureAD");
	assert_string_equal(s->onprem.authservers[0].realm,
	    "5de110f8-2e0f-4d45-891d-bcf2218e253d");
	assert_int_equal(s->onprem.authservers[0].enabled, TRI_TRUE);
	assert_int_equal(s->onprem.authservers[0].domains.n, 1);
	assert_string_equal(s->onprem.authservers[0].domains.v[0], "contoso.com");
	assert_string_equal(s->onprem.partnerapps[0].app_id,
	    "00000002-0000-0ff1-ce00-000000000000");
	assert_int_equal(s->onprem.partnerapps[0].enabled, TRI_TRUE);
	assert_int_equal(s->onprem.niocs, 1);
	assert_true(s->onprem.iocs_collected);
	assert_string_equal(s->onprem.iocs[0].discovery_endpoint,
	    "https://autodiscover-s.outlook.com/autodiscover/autodiscover.svc");
	assert_string_equal(s->onprem.iocs[0].target_domains.v[0],
	    "contoso.mail.onmicrosoft.com");
	assert_int_equal(s->onprem.spaces[0].method, ACCESS_INTERNALPROXY);
	assert_int_equal(s->onprem.spaces[0].use_service_account, TRI_FALSE);
	assert_int_equal(s->onprem.ndomains, 2);
	assert_string_equal(s->onprem.domains[0].name, "contoso.com");
	assert_string_equal(s->onprem.domains[0].type, "Authoritative");
	assert_string_equal(s->onprem.domains[1].type, "InternalRelay");
	assert_true(s->onprem.overrides_collected);	/* null: collected, none */
	assert_int_equal(s->onprem.noverrides, 0);
	assert_int_equal(s->onprem.nservers, 1);
	assert_string_equal(s->onprem.servers[0].roles.v[0], "2");
	assert_true(s->onprem.servers[0].version.valid);
	assert_string_equal(s->onprem.servers[0].version_source, "adminDisplayVersion");
	assert_int_equal(s->onprem.servers[0].version.v[2], 2507);
	assert_int_equal(s->onprem.servers[0].news, 1);
	assert_int_equal(s->onprem.servers[0].ews[0].oauth, TRI_FALSE);
	assert_true(s->onprem.servers[0].certs_collected);
	assert_string_equal(s->tenant_id, "5de110f8-2e0f-4d45-891d-bcf2218e253d");
	assert_int_equal(s->entra.napps, 1);
	assert_int_equal(s->entra.apps[0].nkeys, 1);
	/* customKeyIdentifier: the thumbprint's 20 bytes, base64. */
	assert_string_equal(s->entra.apps[0].keys[0].custom_thumbprint,
	    "3E5A7C9B1D2F4E6A8C0B2D4F6E8A0C2B4D6F8E0A");
	assert_int_equal((long)s->entra.apps[0].keys[0].end, 1864602000L);
	snapshot_free(s);
}

/* Garbage is rejected with the JSON path of the value and what was expected. */
static void
test_garbage_paths(void **state)
{
	(void)state;
	parse_bad(HEAD "\"onPremises\":{\"authServers\":[{},{},{\"authMetadataUrl\":true}]}}",
	    "t.json: $.onPremises.authServers[2].authMetadataUrl: expected a "
	    "string, got a boolean");
	parse_bad(HEAD "\"onPremises\":{\"authServers\":{\"enabled\":\"maybe\"}}}",
	    "t.json: $.onPremises.authServers.enabled: expected a boolean (true "
	    "or false), got a string 'maybe'");
	parse_bad(HEAD "\"onPremises\":[]}",
	    "t.json: $.onPremises: expected an object, got an array");
	parse_bad(HEAD "\"onPremises\":{\"servers\":[{\"name\":\"a\"},{\"authCertificates\":"
	    "[{\"der\":\"not base64!\"}]}]}}",
	    "t.json: $.onPremises.servers[1].authCertificates[0].der: expected "
	    "base64 DER, got a string 'not base64!'");
	parse_bad(HEAD "\"onPremises\":{\"authConfig\":{\"nextCertificateEffectiveDate\":"
	    "\"next tuesday\"}}}",
	    "t.json: $.onPremises.authConfig.nextCertificateEffectiveDate: "
	    "expected a date (ISO-8601 or \\/Date(ms)\\/), got a string 'next tuesday'");
	parse_bad(HEAD "\"onPremises\":{\"authConfig\":{\"currentCertificateThumbprint\":\"ABC\"}}}",
	    "t.json: $.onPremises.authConfig.currentCertificateThumbprint: "
	    "expected a thumbprint (40 hex digits), got a string 'ABC'");
	parse_bad(HEAD "\"entra\":{\"hybridApplications\":[{\"appId\":\"contoso\"}]}}",
	    "t.json: $.entra.hybridApplications[0].appId: expected a GUID, got a "
	    "string 'contoso'");
	parse_bad(HEAD "\"onPremises\":{\"intraOrganizationConnectors\":[{\"targetAddressDomains\":"
	    "[\"a.com\",[1]]}]}}",
	    "t.json: $.onPremises.intraOrganizationConnectors[0].targetAddressDomains[1]: "
	    "expected a string, got an array");
	parse_bad(HEAD "\"onPremises\":{\"servers\":[7]}}",
	    "t.json: $.onPremises.servers[0]: expected an object, got a number");
	parse_bad(HEAD "\"onPremises\":{\"servers\":[{\"fileVersion\":\"fifteen\"}]}}",
	    "t.json: $.onPremises.servers[0].fileVersion: expected a version such "
	    "as 15.2.1544.25, got a string 'fifteen'");
	parse_bad(HEAD "\"onPremises\":{\"acceptedDomains\":[{\"domainType\":0}]}}",
	    "t.json: $.onPremises.acceptedDomains[0].domainName: expected a domain "
	    "name, got nothing");
	parse_bad(HEAD "\"exchangeOnline\":{\"intraOrganizationConfiguration\":\"x\"}}",
	    "t.json: $.exchangeOnline.intraOrganizationConfiguration: expected an "
	    "object, got a string 'x'");
}

static void
test_size_cap_and_load(void **state)
{
	struct snapshot *s = NULL;
	struct hcerr e = { "" };
	char *path = xasprintf("%s/examples/china-legacy.json", HC_SOURCE_DIR);

	(void)state;
	/* The cap is checked before a byte is read. */
	assert_int_equal(snapshot_parse("{}", (size_t)SNAPSHOT_MAX_BYTES + 1, "big.json",
	    &s, &e), -1);
	assert_string_equal(e.msg, "big.json: snapshot is larger than 64 MiB");
	assert_int_equal(snapshot_load("/nonexistent/s.json", &s, &e), -1);
	assert_non_null(strstr(e.msg, "/nonexistent/s.json"));
	assert_int_equal(snapshot_load(path, &s, &e), 0);
	assert_string_equal(s->cloud, "china");
	assert_int_equal(s->onprem.nservers, 2);
	assert_int_equal(s->onprem.servers[1].version.v[0], 14);
	assert_int_equal(s->onprem.servers[1].ews[0].oauth, TRI_UNKNOWN);
	assert_int_equal(s->entra.sp.nkeys, 1);
	snapshot_free(s);
	free(path);
}

/* Every example the project ships loads. */
static void
test_examples_load(void **state)
{
	static const char *const dirs[] = { "examples", "examples/broken" };
	size_t n = 0;

	(void)state;
	for (size_t d = 0; d < 2; d++) {
		char *dir = xasprintf("%s/%s", HC_SOURCE_DIR, dirs[d]);
		DIR *dh = opendir(dir);
		struct dirent *de;

		assert_non_null(dh);
		while ((de = readdir(dh)) != NULL) {
			size_t len = strlen(de->d_name);
			char *p;
			struct snapshot *s = NULL;
			struct hcerr e = { "" };

			if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
				continue;
			p = xasprintf("%s/%s", dir, de->d_name);
			if (snapshot_load(p, &s, &e) == -1)
				fail_msg("%s", e.msg);
			snapshot_free(s);
			free(p);
			n++;
		}
		closedir(dh);
		free(dir);
	}
	assert_true(n >= 16);
}

static void
test_certificates(void **state)
{
	unsigned char *der = NULL;
	size_t len = make_cert(&der, "Microsoft Exchange Server Auth Certificate");
	char *b = b64(der, len), *t = sha1hex(der, len), *json;
	struct snapshot *s;

	(void)state;
	/* The bytes decide: a wrong thumbprint beside them is corrected. */
	json = xasprintf(HEAD "\"onPremises\":{\"servers\":[{\"name\":\"EX1\","
	    "\"authCertificates\":[{\"thumbprint\":\"%s\",\"der\":\"%.40s\\n%s\"}]}]},"
	    "\"entra\":{\"exchangeServicePrincipal\":{\"keyCredentials\":[{\"key\":\"%s\","
	    "\"customKeyIdentifier\":\"%s\"}]}}}",
	    "0000000000000000000000000000000000000000", b, b + 40, b, t);
	s = parse_ok(json);
	assert_int_equal(s->onprem.servers[0].certs[0].der_len, len);
	assert_memory_equal(s->onprem.servers[0].certs[0].der, der, len);
	assert_string_equal(s->onprem.servers[0].certs[0].thumbprint, t);
	assert_string_equal(s->onprem.servers[0].certs[0].der_base64, b);
	assert_string_equal(s->entra.sp.keys[0].key_thumbprint, t);
	/* customKeyIdentifier as hex text works too. */
	assert_string_equal(s->entra.sp.keys[0].custom_thumbprint, t);
	snapshot_free(s);
	free(json);

	/* RawData as PowerShell's array of bytes. */
	json = xasprintf(HEAD "\"onPremises\":{\"servers\":{\"authCertificates\":"
	    "{\"RawData\":[48,3,2,1,5]}}}}");
	s = parse_ok(json);
	assert_int_equal(s->onprem.servers[0].certs[0].der_len, 5);
	assert_non_null(s->onprem.servers[0].certs[0].thumbprint);
	snapshot_free(s);
	free(json);
	free(b);
	free(t);
	OPENSSL_free(der);
}

static void
test_versions_and_thumbprints(void **state)
{
	struct snap_version a, b;
	char buf[64], *t;

	(void)state;
	assert_int_equal(snapshot_parse_version("15.02.1544.025", &a), 0);
	snapshot_version_text(&a, buf, sizeof(buf));
	assert_string_equal(buf, "15.2.1544.25");
	assert_int_equal(snapshot_parse_version("Version 15.1 (Build 2507.55)", &b), 0);
	snapshot_version_text(&b, buf, sizeof(buf));
	assert_string_equal(buf, "15.1.2507.55");
	assert_true(snapshot_version_cmp(&b, &a) < 0);
	assert_int_equal(snapshot_parse_version("15.2.1544.9", &b), 0);
	assert_true(snapshot_version_cmp(&b, &a) < 0);	/* 9 < 25, not "9" > "25" */
	assert_int_equal(snapshot_parse_version("15", &b), -1);
	assert_int_equal(snapshot_parse_version("15.x", &b), -1);
	assert_int_equal(snapshot_parse_version(NULL, &b), -1);

	t = snapshot_thumbprint("\xE2\x80\x8E" "3e:5a:7c:9b:1d:2f:4e:6a:8c:0b:2d:4f:6e:8a:0c:2b:4d:6f:8e:0a");
	assert_string_equal(t, "3E5A7C9B1D2F4E6A8C0B2D4F6E8A0C2B4D6F8E0A");
	free(t);
	assert_null(snapshot_thumbprint("3E5A"));
	assert_null(snapshot_thumbprint("ZZ5A7C9B1D2F4E6A8C0B2D4F6E8A0C2B4D6F8E0A"));
	assert_null(snapshot_thumbprint(NULL));
}

/* A 500-server organisation, with DER certificates, loads in milliseconds. */
static void
test_500_servers(void **state)
{
	unsigned char *der = NULL;
	size_t len = make_cert(&der, "Microsoft Exchange Server Auth Certificate");
	char *b = b64(der, len), *t = sha1hex(der, len);
	struct buf j;
	struct snapshot *s = NULL;
	struct hcerr e = { "" };
	struct timespec t0, t1;
	double best = 1e9;

	(void)state;
	buf_init(&j, 64u << 20);
	buf_printf(&j, HEAD "\"cloud\":\"global\",\"onPremises\":{\"authConfig\":"
	    "{\"currentCertificateThumbprint\":\"%s\"},\"servers\":[", t);
	for (int i = 0; i < 500; i++)
		buf_printf(&j, "%s{\"name\":\"EX%03d\",\"fqdn\":\"ex%03d.corp.contoso.com\","
		    "\"serverRole\":[\"Mailbox\"],\"adminDisplayVersion\":\"Version 15.2 "
		    "(Build 2562.17)\",\"fileVersion\":\"15.2.2562.29\","
		    "\"autodiscoverVirtualDirectories\":[{\"name\":\"Autodiscover (Default Web Site)\","
		    "\"internalUrl\":\"https://ex%03d.corp.contoso.com/Autodiscover/Autodiscover.xml\","
		    "\"externalUrl\":null,\"oAuthAuthentication\":true,\"wsSecurityAuthentication\":true,"
		    "\"windowsAuthentication\":true}],"
		    "\"webServicesVirtualDirectories\":[{\"name\":\"EWS (Default Web Site)\","
		    "\"internalUrl\":\"https://ex%03d.corp.contoso.com/EWS/Exchange.asmx\","
		    "\"externalUrl\":\"https://mail.contoso.com/EWS/Exchange.asmx\","
		    "\"oAuthAuthentication\":true,\"wsSecurityAuthentication\":true,"
		    "\"windowsAuthentication\":true}],"
		    "\"authCertificates\":[{\"thumbprint\":\"%s\",\"subject\":\"CN=Microsoft "
		    "Exchange Server Auth Certificate\",\"notBefore\":\"\\/Date(1700000000000)\\/\","
		    "\"notAfter\":\"2029-02-01T09:00:00Z\",\"der\":\"%s\"}]}",
		    i ? "," : "", i, i, i, i, t, b);
	buf_printf(&j, "]}}");
	/* scripts/bench times the whole command on this same snapshot. */
	if (getenv("HC_SNAPSHOT_500_OUT") != NULL &&
	    file_write_atomic(getenv("HC_SNAPSHOT_500_OUT"), j.data, j.len, &e) == -1)
		fail_msg("%s", e.msg);
	for (int round = 0; round < 5; round++) {
		double ms;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (snapshot_parse(j.data, j.len, "500.json", &s, &e) == -1)
			fail_msg("%s", e.msg);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		if (ms < best)
			best = ms;
		assert_int_equal(s->onprem.nservers, 500);
		assert_string_equal(s->onprem.servers[499].certs[0].thumbprint, t);
		snapshot_free(s);
	}
	printf("500 servers, %zu bytes: parsed in %.2f ms (best of 5)\n", j.len, best);
	/* Generous for sanitizer builds on a loaded 2-core machine. */
	assert_true(best < 500.0);
	buf_release(&j);
	free(b);
	free(t);
	OPENSSL_free(der);
}

/* Exchange Online's EWS gate: Null kept apart from absent; the list as array or comma string. */
static void
test_ews_gate(void **state)
{
	struct snapshot *s;

	(void)state;
	s = parse_ok(HEAD "\"exchangeOnline\":{\"organizationConfig\":{\"ewsEnabled\":null,"
	    "\"ewsAllowedAppIds\":\" D3A9C7E1-5b2f-4a6d-8c0e-1f2a3b4c5d6e, 6f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f,,\","
	    "\"EwsApplicationAccessPolicy\":\"EnforceAllowList\",\"ewsAllowList\":\"Outlook*\"},"
	    "\"migrationEndpoints\":{\"name\":\"Hybrid\",\"remoteServer\":\"x.resource.mailboxmigration.his.msappproxy.net\"},"
	    "\"intraOrganizationConnectors\":[{\"name\":\"c\",\"targetSharingEpr\":\"https://h/EWS/Exchange.asmx\"}]}}");
	assert_true(s->exo.orgconfig_present);
	assert_true(s->exo.ews_enabled_set);
	assert_int_equal(s->exo.ews_enabled, TRI_UNKNOWN);
	assert_int_equal(s->exo.ews_allowed_app_ids.n, 2);
	assert_string_equal(s->exo.ews_allowed_app_ids.v[0], "d3a9c7e1-5b2f-4a6d-8c0e-1f2a3b4c5d6e");
	assert_string_equal(s->exo.ews_access_policy, "EnforceAllowList");
	assert_int_equal(s->exo.ews_allow_list.n, 1);
	assert_int_equal(s->exo.nmigration_endpoints, 1);
	assert_string_equal(s->exo.iocs[0].target_sharing, "https://h/EWS/Exchange.asmx");
	snapshot_free(s);
	s = parse_ok(HEAD "\"exchangeOnline\":{\"organizationConfig\":{\"ewsEnabled\":\"True\","
	    "\"ewsAllowedAppIds\":[\"a\",\"b,c\"]}}}");
	assert_int_equal(s->exo.ews_enabled, TRI_TRUE);
	assert_int_equal(s->exo.ews_allowed_app_ids.n, 3);
	snapshot_free(s);
	s = parse_ok(HEAD "\"exchangeOnline\":{}}");
	assert_false(s->exo.orgconfig_present);
	assert_false(s->exo.ews_enabled_set);
	snapshot_free(s);
	parse_bad(HEAD "\"exchangeOnline\":{\"organizationConfig\":7}}",
	    "t.json: $.exchangeOnline.organizationConfig: expected an object, got a number");
}

/* The 2026 fields: GraphBaseUrl, effective overrides, routing domains, archives, LinkedAccount. */
static void
test_graph_route_fields(void **state)
{
	struct snapshot *s;

	(void)state;
	s = parse_ok(HEAD "\"onPremises\":{"
	    " \"authServers\":[{\"name\":\"EvoSts - x\",\"type\":\"AzureAD\","
	    "   \"GraphBaseUrl\":{\"AbsoluteUri\":\"https://graph.microsoft.com\"}}],"
	    " \"partnerApplications\":[{\"name\":\"Exchange Online\",\"linkedAccount\":\"contoso.com/Users/Exchange Online-ApplicationAccount\"},"
	    "   {\"name\":\"other\",\"linkedAccount\":\"\"}],"
	    " \"servers\":[{\"name\":\"EX1\",\"effectiveOverrides\":{\"Name\":\"EnableRouteThroughMSGraphFeature\","
	    "   \"ComponentName\":\"Global\",\"SectionName\":\"RouteThroughMSGraph\",\"Parameters\":\"Enabled=true\"}},"
	    "   {\"name\":\"EX2\",\"effectiveOverrides\":[]},{\"name\":\"EX3\",\"effectiveOverrides\":null}],"
	    " \"remoteRoutingDomains\":[{\"domain\":\"Contoso.mail.onmicrosoft.com\",\"count\":\"12\"},{\"domain\":\"x.net\"}],"
	    " \"cloudArchiveMailboxes\":3}}");
	assert_string_equal(s->onprem.authservers[0].graph_base_url,
	    "https://graph.microsoft.com");
	assert_string_equal(s->onprem.partnerapps[0].linked_account,
	    "contoso.com/Users/Exchange Online-ApplicationAccount");
	assert_null(s->onprem.partnerapps[1].linked_account);
	assert_true(s->onprem.servers[0].effective_collected);
	assert_int_equal(s->onprem.servers[0].neffective, 1);
	assert_string_equal(s->onprem.servers[0].effective[0].section, "RouteThroughMSGraph");
	assert_string_equal(s->onprem.servers[0].effective[0].parameters.v[0], "Enabled=true");
	assert_true(s->onprem.servers[1].effective_collected);
	assert_int_equal(s->onprem.servers[1].neffective, 0);
	assert_false(s->onprem.servers[2].effective_collected);
	assert_true(s->onprem.remote_domains_collected);
	assert_int_equal(s->onprem.nremote_domains, 2);
	assert_string_equal(s->onprem.remote_domains[0].domain, "contoso.mail.onmicrosoft.com");
	assert_int_equal(s->onprem.remote_domains[0].count, 12);
	assert_int_equal(s->onprem.remote_domains[1].count, -1);
	assert_int_equal(s->onprem.cloud_archives, 3);
	snapshot_free(s);

	s = parse_ok(HEAD "\"onPremises\":{}}");
	assert_false(s->onprem.remote_domains_collected);
	assert_int_equal(s->onprem.cloud_archives, -1);
	snapshot_free(s);

	parse_bad(HEAD "\"onPremises\":{\"cloudArchiveMailboxes\":\"many\"}}",
	    "t.json: $.onPremises.cloudArchiveMailboxes: expected a count (a whole "
	    "number, 0 or more), got a string 'many'");
	parse_bad(HEAD "\"onPremises\":{\"remoteRoutingDomains\":[{\"count\":2}]}}",
	    "t.json: $.onPremises.remoteRoutingDomains[0].domain: expected a domain "
	    "name, got nothing");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_and_schema),
		cmocka_unit_test(test_powershell_quirks),
		cmocka_unit_test(test_garbage_paths),
		cmocka_unit_test(test_size_cap_and_load),
		cmocka_unit_test(test_examples_load),
		cmocka_unit_test(test_certificates),
		cmocka_unit_test(test_versions_and_thumbprints),
		cmocka_unit_test(test_500_servers),
		cmocka_unit_test(test_ews_gate),
		cmocka_unit_test(test_graph_route_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
