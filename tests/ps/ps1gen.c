/*
 * Writes remediation scripts for the parser tests: for every cloud, one
 * script whose findings name every remedy id, one for a healthy
 * organisation, one with no inputs (every step unfilled), and for each
 * hostile value a script with that value in every slot that takes text
 * from outside (hostile-NN), one with it only in the free-text slots that
 * accept any name (textslot-NN), and the same script with benign values
 * (benign): no hostile script may hold more commands than the benign one,
 * and a textslot script exactly as many.
 *
 * usage: hc-ps1gen OUTDIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cloud.h"
#include "findings.h"
#include "ps1.h"
#include "remedy.h"
#include "mem.h"
#include "buf.h"
#include "file.h"

#define PS1_VALUE_MAX_TEST	70000

#define THUMB	"0123456789ABCDEF0123456789ABCDEF01234567"
#define TENANT	"5de110f8-2e0f-4d45-891d-bcf2218e253d"
#define APPID	"6a3f1d2c-1b2a-4c3d-9e8f-0a1b2c3d4e5f"
/* Not a real certificate: the base64 only has to be well-formed here. */
#define B64	"MIIBszCCAVmgAwIBAgIUQmFzZTY0T25seUZvclRlc3RzMAoGCCqGSM49BAMCMA=="

/* Every value a finding's evidence may carry into a script. */
struct values {
	const char *authserver, *connector, *routing, *proxy, *server, *spn,
	    *acs, *endpoint, *app, *thumb, *domain, *issuer;
};

static const struct values benign = {
	"MicrosoftAzureACS", "ExchangeHybridOnPremisesToOnline",
	"contoso.mail.onmicrosoft.com", "https://mail.contoso.com/EWS/Exchange.asmx",
	"EX01", "00000002-0000-0ff1-ce00-000000000000/*.contoso.com "
	"00000002-0000-0ff1-ce00-000000000000/contoso.com https://mail.contoso.com/",
	NULL, NULL, APPID, THUMB, "contoso.com",
	"00000001-0002-0000-c000-000000000000",
};

static void
add_all(struct findings *f, const struct values *v)
{
	static const char *const ids[] = { "cloud.select", "servers.update",
	    "tls.certificate", "endpoint.publish", "clock.sync" };
	struct finding *fd;

	fd = findings_add_for(f, "authserver.acs", SEV_FAIL, "ACS", "no AuthServer for the cloud");
	finding_remedy(fd, "authserver.acs.create");
	if (v->acs)
		finding_evidence_param(fd, RP_ACS_METADATA_URL, "acs metadata url", "%s", v->acs);
	fd = findings_add_for(f, "authserver.acs", SEV_FAIL, v->authserver, "wrong URL");
	finding_evidence_param(fd, RP_AUTHSERVER, "authserver", "%s", v->authserver);
	if (v->issuer)
		finding_evidence_param(fd, RP_ACS_ISSUER, "acs issuer", "%s", v->issuer);
	finding_remedy(fd, "authserver.acs.fix");
	fd = findings_add_for(f, "partnerapp.enabled", SEV_FAIL, "Exchange Online", "disabled");
	finding_remedy(fd, "partnerapp.enable");
	fd = findings_add_for(f, "auth-cert.keycred", SEV_FAIL, v->thumb, "not registered");
	finding_evidence_param(fd, RP_THUMBPRINT, "thumbprint", "%s", v->thumb);
	finding_remedy(fd, "authcert.upload");
	fd = findings_add_for(f, "auth-cert.next", SEV_WARN, v->thumb, "next not registered");
	finding_evidence_param(fd, RP_NEXT_THUMBPRINT, "next thumbprint", "%s", v->thumb);
	finding_evidence_param(fd, RP_APP_ID, "app id", "%s", v->app);
	finding_remedy(fd, "authcert.upload-next");
	fd = findings_add_for(f, "auth-cert.validity", SEV_FAIL, v->thumb, "expires");
	finding_remedy(fd, "authcert.renew");
	fd = findings_add_for(f, "hybridapp.sp-cleanup", SEV_WARN, v->thumb, "still on the shared SP");
	finding_evidence_param(fd, RP_THUMBPRINT, "thumbprint", "%s", v->thumb);
	finding_remedy(fd, "authcert.cleanup-sp");
	fd = findings_add_for(f, "spn.coverage", SEV_FAIL, "contoso.com", "not covered");
	finding_evidence_param(fd, RP_SPNS_ADD, "add", "%s", v->spn);
	finding_remedy(fd, "spn.add");
	fd = findings_add_for(f, "ioc.onprem", SEV_FAIL, v->connector, "wrong endpoint");
	finding_evidence_param(fd, RP_CONNECTOR, "connector", "%s", v->connector);
	finding_evidence_param(fd, RP_ROUTING_DOMAIN, "routing domain", "%s", v->routing);
	finding_remedy(fd, "ioc.onprem");
	fd = findings_add_for(f, "ioc.cloud", SEV_FAIL, "cloud", "missing");
	if (v->endpoint)
		finding_evidence_param(fd, RP_DISCOVERY_ENDPOINT, "discovery endpoint", "%s", v->endpoint);
	finding_evidence_param(fd, RP_DOMAIN, "domain", "%s", v->domain);
	finding_remedy(fd, "ioc.cloud");
	fd = findings_add_for(f, "servers.build", SEV_FAIL, v->server, "Exchange 2010");
	finding_evidence_param(fd, RP_PROXY_URL, "proxy url", "%s", v->proxy);
	finding_evidence_param(fd, RP_ROUTING_DOMAIN, "routing domain", "%s", v->routing);
	finding_remedy(fd, "availability.address-space");
	fd = findings_add_for(f, "vdir.oauth", SEV_FAIL, v->server, "OAuth off");
	finding_evidence_param(fd, RP_SERVER, "server", "%s", v->server);
	finding_evidence_param(fd, RP_VDIR, "virtual directory", "EWS");
	finding_remedy(fd, "vdir.oauth");
	fd = findings_add_for(f, "hybridapp.model", SEV_FAIL, "organisation", "legacy model");
	finding_remedy(fd, "hybridapp.configure");
	fd = findings_add_for(f, "hybridapp.override", SEV_FAIL, "override", "Enabled=false");
	finding_remedy(fd, "hybridapp.override");
	for (size_t i = 1; i < sizeof(ids) / sizeof(ids[0]); i++) {
		fd = findings_add_for(f, "manual", SEV_WARN, v->server, "%s", ids[i]);
		finding_remedy(fd, ids[i]);
	}
}

static int
write_script(const char *dir, const char *name, struct findings *f,
    const struct remedy_inputs *in)
{
	struct buf b;
	struct hcerr e;
	char *path = xasprintf("%s/%s.ps1", dir, name);
	int rc;

	buf_init(&b, (size_t)-1);
	remedy_script(f, in, &b);
	rc = file_write_atomic(path, b.data, b.len, &e);
	if (rc == -1)
		fprintf(stderr, "hc-ps1gen: %s\n", e.msg);
	buf_release(&b);
	free(path);
	return rc;
}

/* Values that try to break out of a string, a comment or a line. */
static const char *const hostile[] = {
	"'", "''", "\xe2\x80\x99", "\xe2\x80\x98", "\xe2\x80\x9b", "\xe2\x80\x9a",
	";", "$()", "$(Remove-Item C:\\ -Recurse)",
	"x'; Remove-Item C:\\ -Recurse; '",
	"x\xe2\x80\x99; Remove-Item C:\\ -Recurse; \xe2\x80\x99",
	"`", "`'; Remove-Item x; '", "\"", "\"; Remove-Item x; \"",
	"a\nRemove-Item x", "a\rRemove-Item x", "}", "} ; Remove-Item x; {",
	"#>", "<#", "#> Remove-Item x <#", "\xe2\x80\x9c\xe2\x80\x9d",
	"@'\nRemove-Item x\n'@", "contoso.com'; Remove-Item C:\\ -Recurse; '",
	"https://mail.contoso.com/x'; Remove-Item x; '",
	"https://mail.contoso.com/$(Remove-Item x)",
	"o'brien@contoso.com", "\xe2\x80\xa8Remove-Item x", "\xc2\x85Remove-Item x",
	/*
	 * Letters whose UTF-8 holds 0x82, 0x91 or 0x92, quotes when Windows
	 * PowerShell 5.1 reads the bytes in cp1250-1258 (N-tilde, O-grave,
	 * Cyrillic te and io, CJK kei), Chinese, Japanese, beyond U+FFFF.
	 */
	"Hybrid \xc3\x91; Remove-Item x; #", "\xc3\x92'; Remove-Item x; '",
	"\xd1\x82\xd1\x91; Remove-Item x; #", "\xe4\xbf\x82; Remove-Item x; #",
	"\xe6\xb7\xb7\xe5\x90\x88\xe9\x83\xa8\xe7\xbd\xb2",
	"\xe3\x83\x8f\xe3\x82\xa4\xe3\x83\x96\xe3\x83\xaa\xe3\x83\x83\xe3\x83\x89'; Remove-Item x; '",
	"x\xf0\x9f\x98\x80'\xf0\xa0\xae\xb7",
};

int
main(int argc, char **argv)
{
	struct cloud_set clouds = { 0 };
	struct hcerr e;
	struct strlist hosts = { 0 };
	char *longv;
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: hc-ps1gen OUTDIR\n");
		return 64;
	}
	if (cloud_set_load_embedded(&clouds, &e) == -1) {
		fprintf(stderr, "hc-ps1gen: %s\n", e.msg);
		return 1;
	}
	strlist_add(&hosts, "mail.contoso.com");
	for (size_t c = 0; c < clouds.n; c++) {
		struct remedy_inputs in = { 0 }, none = { 0 };
		struct findings f = { 0 }, healthy = { 0 };
		char name[128];

		in.cloud = none.cloud = &clouds.v[c];
		in.tool_version = "test";
		in.domain = "contoso.com";
		in.routing_domain = "contoso.mail.onmicrosoft.com";
		in.tenant_id = TENANT;
		in.thumbprint = in.next_thumbprint = THUMB;
		in.cert_b64 = in.next_cert_b64 = B64;
		in.hosts = &hosts;

		add_all(&f, &benign);
		snprintf(name, sizeof(name), "%s-all", clouds.v[c].name);
		rc |= write_script(argv[1], name, &f, &in);
		findings_release(&f);

		/* Every remedy with nothing known: each step an instruction. */
		{
			struct values empty = { "x", "x", NULL, NULL, "x", NULL,
			    NULL, NULL, NULL, NULL, NULL, NULL };

			add_all(&f, &empty);
		}
		snprintf(name, sizeof(name), "%s-unfilled", clouds.v[c].name);
		rc |= write_script(argv[1], name, &f, &none);
		findings_release(&f);

		findings_add_for(&healthy, "partnerapp.enabled", SEV_PASS, "", "ok");
		snprintf(name, sizeof(name), "%s-healthy", clouds.v[c].name);
		rc |= write_script(argv[1], name, &healthy, &in);
		findings_release(&healthy);

		/* The wrong cloud: a script that changes nothing. */
		finding_remedy(findings_add_for(&f, "cloud.selection", SEV_FAIL,
		    "contoso.com", "other cloud"), "cloud.select");
		snprintf(name, sizeof(name), "%s-wrongcloud", clouds.v[c].name);
		rc |= write_script(argv[1], name, &f, &in);
		findings_release(&f);

		if (c != 0)
			continue;
		/* Hostile values, in every slot at once, against the first cloud. */
		for (size_t h = 0; h < sizeof(hostile) / sizeof(hostile[0]); h++) {
			struct values v = { hostile[h], hostile[h], hostile[h],
			    hostile[h], hostile[h], hostile[h], hostile[h],
			    hostile[h], hostile[h], hostile[h], hostile[h],
			    hostile[h] };
			struct remedy_inputs hin = in;

			hin.domain = hostile[h];
			hin.routing_domain = hostile[h];
			hin.tenant_id = hostile[h];
			hin.cert_b64 = hostile[h];
			add_all(&f, &v);
			snprintf(name, sizeof(name), "hostile-%02zu", h);
			rc |= write_script(argv[1], name, &f, &hin);
			findings_release(&f);

			/* Only the free-text slots: an accepted name stays, quoted. */
			if (ps1_valid_text(hostile[h], NULL) == -1)
				continue;
			v = benign;
			v.authserver = v.connector = hostile[h];
			add_all(&f, &v);
			snprintf(name, sizeof(name), "textslot-%02zu", h);
			rc |= write_script(argv[1], name, &f, &in);
			findings_release(&f);
		}
		longv = xmalloc(PS1_VALUE_MAX_TEST);
		memset(longv, 'a', PS1_VALUE_MAX_TEST - 1);
		longv[PS1_VALUE_MAX_TEST - 1] = '\0';
		{
			struct values v = { longv, longv, longv, longv, longv,
			    longv, longv, longv, longv, longv, longv, longv };

			add_all(&f, &v);
			rc |= write_script(argv[1], "hostile-long", &f, &in);
			findings_release(&f);
		}
		free(longv);
		add_all(&f, &benign);
		rc |= write_script(argv[1], "benign", &f, &in);
		findings_release(&f);
	}
	strlist_release(&hosts);
	cloud_set_release(&clouds);
	return rc ? 1 : 0;
}
