/*
 * Every parser on every real capture in tests/data/real (origins in
 * SOURCES.md there), asserting what each extracts. The tables below hold
 * the facts per file; a file in a folder of the corpus without a row here,
 * or without its entry in SOURCES.md, fails the test, so no capture is read
 * silently or skipped. The last test prints how many captures each parser
 * read.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "autodv2.h"
#include "cert.h"
#include "fedinfo.h"
#include "jwks.h"
#include "metadata.h"
#include "openid.h"
#include "token.h"
#include "buf.h"
#include "datetime.h"
#include "file.h"
#include "mem.h"
#include "str.h"
#include "wwwauth.h"

#define REAL		HC_SOURCE_DIR "/tests/data/real"
#define CAPTURE_MAX	(1024 * 1024)

/* What each parser read, for the closing count. */
enum parser {
	P_METADATA, P_OPENID, P_OPENID_ERROR, P_FEDINFO, P_WWWAUTH, P_MSDIAG,
	P_TOKEN, P_CERT, P_AUTODV2, P_JWKS, P_EXPLAIN, P_COUNT
};

static const char *const parser_names[P_COUNT] = {
	"metadata_parse (src/input/metadata.c)",
	"openid_parse (src/input/openid.c)",
	"openid_parse_error (src/input/openid.c)",
	"fedinfo_parse (src/input/fedinfo.c)",
	"wwwauth_parse + wwwauth_bearer (src/input/wwwauth.c)",
	"wwwauth_parse_diagnostics (src/input/wwwauth.c)",
	"token_decode (src/input/token.c)",
	"cert_from_base64 (src/input/cert.c)",
	"autodv2_parse (src/input/autodv2.c)",
	"jwks_parse (src/input/jwks.c)",
	"explain/MANIFEST lines (no decoder in src yet)",
};

static unsigned nread[P_COUNT];

/* Files a table or the manifest covered, to find the ones nothing read. */
static struct strlist covered;

static char *
load(const char *rel, size_t *len)
{
	char *path = xasprintf("%s/%s", REAL, rel), *text = NULL;
	struct hcerr e = { "" };

	if (file_read(path, CAPTURE_MAX, &text, len, &e) == -1)
		fail_msg("%s: %s", rel, e.msg);
	free(path);
	if (!strlist_contains_ci(&covered, rel))
		strlist_add(&covered, rel);
	return text;
}

static void
expect_str(const char *what, const char *got, const char *want)
{
	if (want == NULL && got == NULL)
		return;
	if (want == NULL || got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: got '%s', want '%s'", what, got ? got : "(none)",
		    want ? want : "(none)");
}

/* l holds exactly the '|'-separated items of want, in order. */
static void
expect_list(const char *what, const struct strlist *l, const char *want)
{
	struct buf b;
	char *s;

	buf_init(&b, 64 * 1024);
	for (size_t i = 0; i < l->n; i++) {
		if (i > 0)
			buf_append(&b, "|", 1);
		buf_append(&b, l->v[i], strlen(l->v[i]));
	}
	buf_append(&b, "", 1);
	s = buf_steal(&b);
	expect_str(what, s, want);
	free(s);
}

/*
 * A header's value in a published dump: the text after the nth occurrence
 * of begin, up to end (or the end of the line). With unwrap, a line break
 * and the indentation after it become one space: PowerShell's Format-List
 * folds long values that way.
 */
struct hdr {
	const char	*begin;
	int		 nth;
	const char	*end;
};

static char *
header_value(const char *file, const char *text, const struct hdr *h,
    int unwrap)
{
	const char *p = text, *z = NULL;
	struct buf b;

	for (int i = 0; i < h->nth; i++) {
		if ((p = strstr(p, h->begin)) == NULL)
			fail_msg("%s: occurrence %d of '%s' not found", file,
			    h->nth, h->begin);
		p += strlen(h->begin);
	}
	if (h->end != NULL) {
		if ((z = strstr(p, h->end)) == NULL)
			fail_msg("%s: '%s' not found after '%s'", file, h->end,
			    h->begin);
	} else
		z = p + strcspn(p, "\r\n");
	buf_init(&b, WWWAUTH_HEADER_MAX);
	while (p < z) {
		if (unwrap && (*p == '\r' || *p == '\n')) {
			while (p < z && (*p == '\r' || *p == '\n' || *p == ' '))
				p++;
			buf_append(&b, " ", 1);
			continue;
		}
		buf_append(&b, p++, 1);
	}
	buf_append(&b, "", 1);
	return buf_steal(&b);
}

/* ---------------------------------------------------------------- metadata */

struct key_fact {
	const char	*x5t;		/* as written in the document */
	const char	*sha1;		/* of the certificate; NULL: not one */
	const char	*subject;	/* as metadata_parse words it */
	const char	*error;		/* why the value is not a certificate */
};

struct metadata_case {
	const char	*file;
	const char	*realm;
	const char	*issuer;
	const char	*service_name;
	const char	*name;
	const char	*audiences;	/* '|'-separated */
	size_t		 nendpoints;
	const char	*endpoint[3];	/* protocol, usage, location of one */
	const char	*variants;	/* '|'-separated spellings noted */
	size_t		 nkeys;
	struct key_fact	 keys[2];
};

static const struct metadata_case metadata_cases[] = {
	{ "acs/thnetii-acs-realm-72416f3c.json",
	  "72416f3c-199e-43f6-9bb5-29f4a10665d5",
	  "00000001-0000-0000-c000-000000000000@72416f3c-199e-43f6-9bb5-29f4a10665d5",
	  NULL, "sts",
	  "00000001-0000-0000-c000-000000000000/accounts.accesscontrol.windows.net@fredrikhoeisaetherhotmail.onmicrosoft.com|"
	  "00000001-0000-0000-c000-000000000000/accounts.accesscontrol.windows.net@72416f3c-199e-43f6-9bb5-29f4a10665d5",
	  3, { "OAuth2", "issuance",
	  "https://accounts.accesscontrol.windows.net/72416f3c-199e-43f6-9bb5-29f4a10665d5/tokens/OAuth/2" },
	  "", 2, {
		{ "kg2LYs2T0CTjIfj4rt6JIynen38",
		  "920D8B62CD93D024E321F8F8AEDE892329DE9F7F",
		  "CN=accounts.accesscontrol.windows.net", NULL },
		{ "18pnMg3UmrWvBK_tkDAbjgM5CmA",
		  "D7CA67320DD49AB5AF04AFED90301B8E03390A60",
		  "CN=login.microsoftonline.us", NULL } } },
	{ "onprem/office-js-docs-exchange-auth-metadata.json",
	  "*", "00000002-0000-0ff1-ce00-000000000000@*",
	  "00000002-0000-0ff1-ce00-000000000000", "Exchange",
	  "00000002-0000-0ff1-ce00-000000000000@*",
	  1, { "OAuth2", "metadata",
	  "https://by2pr06mb2229.namprd06.prod.outlook.com:444/autodiscover/metadata/json/1" },
	  "keyvalue|keyinfo|keyinfo sibling", 1, {
		/* Microsoft cut the certificate short ("MIIHNTCC..."). */
		{ "enh9BJrVPU5ijV1qjZjV-fL2bco", NULL, NULL,
		  "value is not base64" } } },
};

static void
test_metadata(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(metadata_cases) / sizeof(metadata_cases[0]); i++) {
		const struct metadata_case *c = &metadata_cases[i];
		const struct metadata_endpoint *ep;
		struct metadata m;
		struct hcerr e = { "" };
		size_t len;
		char *doc = load(c->file, &len);

		if (metadata_parse(&m, doc, len, &e) == -1)
			fail_msg("%s: %s", c->file, e.msg);
		nread[P_METADATA]++;
		expect_str("realm", m.realm, c->realm);
		expect_str("issuer", m.issuer, c->issuer);
		expect_str("serviceName", m.service_name, c->service_name);
		expect_str("name", m.name, c->name);
		expect_list("allowedAudiences", &m.audiences, c->audiences);
		expect_list("variants", &m.variants, c->variants);
		assert_int_equal(m.nendpoints, c->nendpoints);
		ep = metadata_endpoint_find(&m, c->endpoint[0], c->endpoint[1]);
		assert_non_null(ep);
		expect_str("endpoint", ep->location, c->endpoint[2]);
		assert_int_equal(m.nkeys, c->nkeys);
		for (size_t k = 0; k < m.nkeys; k++) {
			const struct metadata_key *mk = &m.keys[k];
			const struct key_fact *f = &c->keys[k];

			expect_str("usage", mk->usage, "signing");
			expect_str("x5t", mk->x5t, f->x5t);
			expect_str("key error", mk->error, f->error);
			expect_str("subject", mk->subject, f->subject);
			if (f->sha1 != NULL) {
				expect_str("sha1", mk->sha1, f->sha1);
				expect_str("x5t computed", mk->x5t_computed, f->x5t);
				assert_int_equal(mk->x5t_match, 1);
				assert_true(mk->not_after > mk->not_before);
			} else {
				assert_null(mk->der);
				assert_int_equal(mk->x5t_match, -1);
			}
		}
		metadata_release(&m);
		free(doc);
	}
}

/* ------------------------------------------------------------------ openid */

struct openid_case {
	const char	*file;
	int		 wrap;		/* a fragment of members: parse it inside { } */
	const char	*tenant;	/* NULL: openid_parse refuses the document */
	const char	*from;
	const char	*scope;
	const char	*sub_scope;
	const char	*cloud;
	const char	*refusal;	/* part of the message when refused */
	long		 aadsts;	/* openid_parse_error's code; 0: not an error */
	const char	*error;
};

static const struct openid_case openid_cases[] = {
	{ "openid/azure-docs-government-identity-usg.json", 0,
	  "b552ff1c-edad-4b6f-b301-5963a979bc4d", "authorization_endpoint",
	  "USG", NULL, NULL, NULL, 0, NULL },
	/* Two members only: the values are real, the tenant is not given. */
	{ "openid/azure-docs-issue-56915-gcchigh-fragment.txt", 1,
	  NULL, NULL, "USGov", "DODCON", NULL,
	  "none of token_endpoint, issuer and authorization_endpoint", 0, NULL },
	/* The common document names no tenant: "{tenantid}" is a template. */
	{ "openid/panva-wellknown-entra-common-v2.json", 0,
	  NULL, NULL, NULL, NULL, "microsoftonline.com",
	  "no tenant id (GUID) in token_endpoint "
	  "'https://login.microsoftonline.com/common/oauth2/v2.0/token'", 0, NULL },
	{ "openid/windowsupdates-sample-issue-6-aadsts90002.json", 0,
	  NULL, NULL, NULL, NULL, NULL,
	  "none of token_endpoint, issuer and authorization_endpoint", 90002,
	  "invalid_tenant" },
};

static void
test_openid(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(openid_cases) / sizeof(openid_cases[0]); i++) {
		const struct openid_case *c = &openid_cases[i];
		struct openid o;
		struct openid_error oe;
		struct hcerr e = { "" };
		cJSON *root;
		size_t len;
		char *raw = load(c->file, &len), *doc;

		doc = c->wrap ? xasprintf("{%s}", raw) : xstrdup(raw);
		len = strlen(doc);
		/* What the document says, read plainly, for the refused ones too. */
		assert_non_null(root = cJSON_ParseWithLength(doc, len));
		expect_str("tenant_region_scope",
		    cJSON_GetStringValue(cJSON_GetObjectItem(root, "tenant_region_scope")),
		    c->scope);
		expect_str("tenant_region_sub_scope",
		    cJSON_GetStringValue(cJSON_GetObjectItem(root, "tenant_region_sub_scope")),
		    c->sub_scope);
		cJSON_Delete(root);

		nread[P_OPENID]++;
		if (c->tenant != NULL) {
			if (openid_parse(&o, doc, len, &e) == -1)
				fail_msg("%s: %s", c->file, e.msg);
			expect_str("tenant", o.tenant_id, c->tenant);
			expect_str("from", o.tenant_from, c->from);
			expect_str("scope", o.tenant_region_scope, c->scope);
			expect_str("sub-scope", o.tenant_region_sub_scope, c->sub_scope);
			expect_str("cloud", o.cloud_instance_name, c->cloud);
			openid_release(&o);
		} else {
			assert_int_equal(openid_parse(&o, doc, len, &e), -1);
			if (strstr(e.msg, c->refusal) == NULL)
				fail_msg("%s: '%s' lacks '%s'", c->file, e.msg,
				    c->refusal);
			assert_null(o.tenant_id);
		}

		nread[P_OPENID_ERROR]++;
		if (c->aadsts != 0) {
			assert_int_equal(openid_parse_error(&oe, doc, len), 0);
			expect_str("error", oe.error, c->error);
			assert_int_equal(oe.code, c->aadsts);
			/* The first line only: the trace ids follow a \r\n. */
			expect_str("description", oe.description,
			    "AADSTS90002: Tenant 'tenant_id' not found. Check to "
			    "make sure you have the correct tenant ID and are "
			    "signing into the correct cloud. Check with your "
			    "subscription administrator, this may happen if there "
			    "are no active subscriptions for the tenant.");
			openid_error_release(&oe);
		} else
			assert_int_equal(openid_parse_error(&oe, doc, len), -1);
		free(doc);
		free(raw);
	}
}

/* ----------------------------------------------------------------- fedinfo */

static void
test_fedinfo(void **state)
{
	const char *file = "fedinfo/msdocs-getfederationinformation-response.xml";
	struct fedinfo f;
	struct hcerr e = { "" };
	size_t len;
	char *doc;

	(void)state;
	doc = load(file, &len);
	if (fedinfo_parse(&f, doc, len, &e) == -1)
		fail_msg("%s: %s", file, e.msg);
	nread[P_FEDINFO]++;
	expect_str("ErrorCode", f.error_code, "NoError");
	/* <ErrorMessage/> is an empty element. */
	expect_str("ErrorMessage", f.error_message, "");
	expect_str("ApplicationUri", f.application_uri,
	    "BYFCXU-DOM.EXTEST.MICROSOFT.COM");
	/* The old answer: every domain of the organisation, lower-cased. */
	expect_list("domains", &f.domains,
	    "contoso.com|europe.contoso.com|americas.contoso.com|contosolive.com");
	assert_int_equal(f.nissuers, 0);
	assert_null(f.fault);
	fedinfo_release(&f);
	free(doc);
}

/* -------------------------------------------------------- WWW-Authenticate */

struct challenge_case {
	const char	*file;
	struct hdr	 hdr[3];	/* WWW-Authenticate values; NULL begin ends */
	int		 unwrap;
	const char	*schemes;	/* '|'-separated, in order */
	const char	*client_id;
	const char	*trusted;	/* '|'-separated principals@realm */
	const char	*token_types;
	const char	*authorization_uri;
	const char	*error;
	const char	*basic_realm;
};

static const struct challenge_case challenge_cases[] = {
	{ "wwwauth/officedocs-exchange-hma-activesync-401.txt",
	  { { "WWW-Authenticate \xe2\x86\x92", 1, NULL },
	    { "Www-Authenticate \xe2\x86\x92", 1, NULL } }, 0,
	  "Bearer|Basic", "00000002-0000-0ff1-ce00-000000000000",
	  "00000001-0000-0000-c000-000000000000@5de110f8-2e0f-4d45-891d-bcf2218e253d|"
	  "00000004-0000-0ff1-ce00-000000000000@contoso.com",
	  "app_asserted_user_v1|service_asserted_app_v1",
	  "https://login.windows.net/common/oauth2/authorize", NULL,
	  "mail.contoso.com" },
	{ "wwwauth/officedocs-exchange-hma-ssl-offload-401.txt",
	  { { "WWW-Authenticate \xe2\x86\x92", 1, NULL },
	    { "WWW-Authenticate \xe2\x86\x92", 2, NULL } }, 0,
	  "Bearer|Basic", "00000002-0000-0ff1-ce00-000000000000",
	  "00000001-0000-0000-c000-000000000000@00c118a9-2de9-41d3-b39a-81648a7a5e4d",
	  "", "https://login.windows.net/common/oauth2/authorize",
	  "invalid_token", "mail.contoso.com" },
	/* Published with the headers run together and a space lost. */
	{ "wwwauth/officedocs-support-sfb-invalid-tenant-401.txt",
	  { { "WWW-Authenticate: ", 1, NULL } }, 0,
	  "Bearer|Negotiate|NTLM|Basic", "00000002-0000-0ff1-ce00-000000000000",
	  "00000004-0000-0ff1-ce00-000000000000@contoso.com",
	  "app_asserted_user_v1service_asserted_app_v1", NULL, "invalid_token",
	  "autodiscover.contoso.com" },
	/* Both challenges in one value: PowerShell joined the two headers. */
	{ "wwwauth/qa-1792037-test-hmaeas-401.txt",
	  { { "WWW-Authenticate=", 1, NULL } }, 0,
	  "Bearer|Basic", "00000002-0000-0ff1-ce00-000000000000",
	  "00000001-0000-0000-c000-000000000000@1d3c9b43-0d0f-45d9-a207-99dc10fb7d4a",
	  "app_asserted_user_v1|service_asserted_app_v1", NULL, "invalid_token",
	  "mail.dummy.uk" },
	/*
	 * 21Vianet's Exchange Online as Test-OAuthConnectivity prints it; the
	 * stored copy lost the '*' after '@' here (its later lines show '@*').
	 */
	{ "explain/qa-1629044-21v-test-oauthconnectivity.txt",
	  { { "received: ", 1,
	      "\n              Information:[OAuthCredentials:GetToken]" } }, 1,
	  "Bearer|Basic", "00000002-0000-0ff1-ce00-000000000000",
	  "00000001-0002-0000-c000-000000000000@",
	  "app_asserted_user_v1|service_asserted_app_v1",
	  "https://login.chinacloudapi.cn/common/oauth2/authorize", NULL, "" },
};

static void
test_challenges(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(challenge_cases) / sizeof(challenge_cases[0]); i++) {
		const struct challenge_case *c = &challenge_cases[i];
		struct wwwauth w = { 0 };
		struct strlist schemes = { 0 };
		struct bearer b;
		const struct auth_challenge *bc, *basic;
		size_t len;
		char *text = load(c->file, &len);

		for (size_t h = 0; h < 3 && c->hdr[h].begin != NULL; h++) {
			struct hcerr e = { "" };
			char *v = header_value(c->file, text, &c->hdr[h], c->unwrap);

			if (wwwauth_parse(&w, v, &e) == -1)
				fail_msg("%s: '%s': %s", c->file, v, e.msg);
			free(v);
		}
		nread[P_WWWAUTH]++;
		for (size_t k = 0; k < w.n; k++)
			strlist_add(&schemes, w.v[k].scheme);
		expect_list("schemes", &schemes, c->schemes);
		strlist_release(&schemes);
		assert_non_null(bc = wwwauth_find(&w, "Bearer"));
		wwwauth_bearer(bc, &b);
		expect_str("client_id", b.client_id, c->client_id);
		expect_list("trusted_issuers", &b.trusted_issuers, c->trusted);
		expect_list("token_types", &b.token_types, c->token_types);
		expect_str("authorization_uri", b.authorization_uri,
		    c->authorization_uri);
		expect_str("error", b.error, c->error);
		assert_null(b.realm);
		wwwauth_bearer_release(&b);
		assert_non_null(basic = wwwauth_find(&w, "Basic"));
		expect_str("Basic realm", wwwauth_param(basic, "realm"),
		    c->basic_realm);
		wwwauth_release(&w);
		free(text);
	}
}

/* -------------------------------------------------------- x-ms-diagnostics */

struct diag_case {
	const char	*file;
	struct hdr	 hdr;
	long		 code;
	const char	*category;
	const char	*reason;
};

static const struct diag_case diag_cases[] = {
	{ "wwwauth/qa-1792037-test-hmaeas-401.txt",
	  { "x-ms-diagnostics=", 1, NULL }, 4000000, "oauth_not_available",
	  "Flighting is not enabled for domain 'mail.dummy.uk'." },
	{ "wwwauth/officedocs-exchange-hma-ssl-offload-401.txt",
	  { "x-ms-diagnostics \xe2\x86\x92", 1, NULL }, 2000003,
	  "invalid_resource",
	  "The hostname component of the audience claim value is invalid. "
	  "Expected 'https://mail.contoso.com'. Actual 'http://mail.contoso.com'." },
	{ "wwwauth/officedocs-support-sfb-invalid-tenant-401.txt",
	  { "x-ms-diagnostics: ", 1, "Server: " }, 2000004, "invalid_tenant",
	  "The tenant for tenant guid 'contoso.com' does not exist." },
	{ "wwwauth/otris-ews-cpp-issue-148-diag.txt",
	  { "x-ms-diagnostics: ", 1, NULL }, 2000008, "invalid_grant",
	  "The token contains no permissions, or permissions can not be understood." },
	{ "wwwauth/ews-java-api-issue-401-diag.txt",
	  { "x-ms-diagnostics : ", 1, NULL }, 2000010,
	  "insufficient_auth_strength",
	  "The access token is acquired using an authentication method that is "
	  "too weak to allow access for this application. Presented auth "
	  "strength was 1, required is 2." },
	/* Quoted from Microsoft's free/busy error table: spaces around ';'. */
	{ "explain/qa-108027-freebusy-2000005.txt",
	  { "diagnostics: ", 1, " LID:" }, 2000005, "invalid_user",
	  "The user specified by the user-context in the token is ambiguous." },
};

static void
test_diagnostics(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(diag_cases) / sizeof(diag_cases[0]); i++) {
		const struct diag_case *c = &diag_cases[i];
		struct msdiag d;
		struct hcerr e = { "" };
		size_t len;
		char *text = load(c->file, &len);
		char *v = header_value(c->file, text, &c->hdr, 0);

		if (wwwauth_parse_diagnostics(&d, v, &e) == -1)
			fail_msg("%s: '%s': %s", c->file, v, e.msg);
		nread[P_MSDIAG]++;
		assert_int_equal(d.code, c->code);
		expect_str("error_category", d.error_category, c->category);
		expect_str("reason", d.reason, c->reason);
		assert_int_equal(d.nparams, 2);
		wwwauth_diagnostics_release(&d);
		free(v);
		free(text);
	}
}

/* ------------------------------------------------------------------ tokens */

struct token_case {
	const char	*file;
	const char	*x5t;
	const char	*kid;
	const char	*aud;
	const char	*iss;
	const char	*tid;
	const char	*ver;
	time_t		 nbf;
	time_t		 exp;
	size_t		 sig_len;
	const char	*iss_host;	/* the issuer URL's host */
	const char	*iss_realm;	/* its tenant GUID, NULL when none is one */
};

static const struct token_case token_cases[] = {
	/* The issuer's GUID is one digit short of tid, as Microsoft printed it. */
	{ "tokens/entra-docs-access-token-v1.txt",
	  "i6lGk3FZzxRcUb2C3nEQ7syHJlY", "i6lGk3FZzxRcUb2C3nEQ7syHJlY",
	  "ef1da9d4-ff77-4c3e-a005-840c3f830745",
	  "https://sts.windows.net/fa15d692-e9c7-4460-a743-29f29522229/",
	  "fa15d692-e9c7-4460-a743-29f2956fd429", "1.0",
	  1537233106, 1537237006, 14, "sts.windows.net", NULL },
	{ "tokens/entra-docs-access-token-v2.txt",
	  NULL, "i6lGk3FZzxRcUb2C3nEQ7syHJlY",
	  "6e74172b-be56-4843-9ff4-e66a39bb12e3",
	  "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
	  "72f988bf-86f1-41af-91ab-2d7cd011db47", "2.0",
	  1537231048, 1537234948, 14, "login.microsoftonline.com",
	  "72f988bf-86f1-41af-91ab-2d7cd011db47" },
};

static void
test_tokens(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(token_cases) / sizeof(token_cases[0]); i++) {
		const struct token_case *c = &token_cases[i];
		const struct token_claim *cl;
		struct token t;
		struct hcerr e = { "" };
		size_t len;
		char *text = load(c->file, &len);

		if (token_decode(&t, text, len, &e) == -1)
			fail_msg("%s: %s", c->file, e.msg);
		nread[P_TOKEN]++;
		expect_str("alg", t.alg, "RS256");
		expect_str("typ", t.typ, "JWT");
		expect_str("x5t", t.x5t, c->x5t);
		expect_str("kid", t.kid, c->kid);
		expect_str("aud", t.aud, c->aud);
		expect_str("iss", t.iss, c->iss);
		/* An Entra issuer is a URL: host and tenant, never principal@realm. */
		assert_true(t.entra);
		assert_true(t.iss_name.url);
		assert_null(t.iss_name.principal);
		expect_str("iss host", t.iss_name.host, c->iss_host);
		expect_str("iss tenant", t.iss_name.realm, c->iss_realm);
		expect_str("tid", t.tid, c->tid);
		expect_str("ver", t.ver, c->ver);
		/* A GUID audience is an application id, no principal/host form. */
		assert_false(t.aud_name.url);
		assert_null(t.aud_name.realm);
		assert_null(t.nameid);
		assert_non_null(cl = token_claim(&t, "tid"));
		expect_str("tid", cl->value, c->tid);
		assert_non_null(cl = token_claim(&t, "ver"));
		expect_str("ver", cl->value, c->ver);
		/* Numbers here, not the strings S2S tokens carry. */
		assert_true(t.nbf.valid && !t.nbf.was_string);
		assert_int_equal(t.nbf.t, c->nbf);
		assert_int_equal(t.exp.t, c->exp);
		assert_int_equal(t.sig_len, c->sig_len);
		assert_int_equal(token_lifetime(&t, c->nbf + 60, TOKEN_SKEW),
		    TOKEN_LIFE_VALID);
		assert_int_equal(token_lifetime(&t, c->exp + TOKEN_SKEW + 1,
		    TOKEN_SKEW), TOKEN_LIFE_EXPIRED);
		assert_null(t.actor);
		assert_null(t.actor_error);
		token_release(&t);
		free(text);
	}
}

/* ------------------------------------------------------------ certificates */

struct cert_case {
	const char	*file;
	int		 acs;		/* keys[].keyValue.value, else keys[].x5c[0] */
	size_t		 index;
	const char	*x5t;
	const char	*thumbprint;
	const char	*subject;
	const char	*not_after;	/* ISO 8601, UTC */
};

static const struct cert_case cert_cases[] = {
	{ "acs/thnetii-acs-realm-72416f3c.json", 1, 0,
	  "kg2LYs2T0CTjIfj4rt6JIynen38", "920D8B62CD93D024E321F8F8AEDE892329DE9F7F",
	  "CN=accounts.accesscontrol.windows.net", "2025-08-28T00:00:00Z" },
	{ "acs/thnetii-acs-realm-72416f3c.json", 1, 1,
	  "18pnMg3UmrWvBK_tkDAbjgM5CmA", "D7CA67320DD49AB5AF04AFED90301B8E03390A60",
	  "CN=login.microsoftonline.us", "2025-09-13T00:00:00Z" },
	{ "certs/panva-wellknown-entra-common-jwks.json", 0, 0,
	  "Mc7l3Iz93g7uwgNeEmmw_WYGPko", "31CEE5DC8CFDDE0EEEC2035E1269B0FD66063E4A",
	  "CN=accounts.accesscontrol.windows.net", "2029-09-11T13:47:50Z" },
	{ "certs/panva-wellknown-entra-common-jwks.json", 0, 1,
	  "iw1BXXcybk07kmtIeeJeIYqas18", "8B0D415D77326E4D3B926B4879E25E218A9AB35F",
	  "CN=accounts.accesscontrol.windows.net", "2029-09-19T01:33:23Z" },
	{ "certs/panva-wellknown-entra-common-jwks.json", 0, 2,
	  "3PaK4EfyBNQu3CtjYsa3YmhQ5E0", "DCF68AE047F204D42EDC2B6362C6B7626850E44D",
	  "CN=accounts.accesscontrol.windows.net", "2029-09-26T19:27:27Z" },
	{ "certs/panva-wellknown-entra-common-jwks.json", 0, 3,
	  "k8kbXTgyy1QKJ54n61Qg3OldE_E", "93C91B5D3832CB540A279E27EB5420DCE95D13F1",
	  "CN=accounts.accesscontrol.windows.net", "2029-10-12T14:32:53Z" },
	{ "certs/panva-wellknown-entra-common-jwks.json", 0, 4,
	  "d-Zi0Gbus4sEaOqXgU8pMvYc3KI", "77E662D066EEB38B0468EA97814F2932F61CDCA2",
	  "CN=login.microsoftonline.us", "2029-10-06T16:01:12Z" },
	{ "certs/panva-wellknown-entra-common-jwks.json", 0, 5,
	  "8IIDH6M8c3cXoeojKme8Jvqsr2Y", "F082031FA33C737717A1EA232A67BC26FAACAF66",
	  "CN=Live ID STS Signing Public Key", "2029-10-12T14:31:07Z" },
	{ "certs/panva-wellknown-entra-common-jwks.json", 0, 6,
	  "iE89_EVhreMiV2-8rKE2zWBUm3M", "884F3DFC4561ADE322576FBCACA136CD60549B73",
	  "CN=Live ID STS Signing Public Key", "2029-09-29T18:32:09Z" },
};

static void
test_certificates(void **state)
{
	size_t jwks_keys = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cert_cases) / sizeof(cert_cases[0]); i++) {
		const struct cert_case *c = &cert_cases[i];
		struct authcert *ac;
		struct hcerr e = { "" };
		cJSON *root, *key, *b64;
		char iso[32];
		size_t len;
		char *text = load(c->file, &len);

		assert_non_null(root = cJSON_ParseWithLength(text, len));
		key = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "keys"),
		    (int)c->index);
		assert_non_null(key);
		if (c->acs)
			b64 = cJSON_GetObjectItem(cJSON_GetObjectItem(key,
			    "keyValue"), "value");
		else {
			/* The JWKS names the certificate by x5t and kid alike. */
			expect_str("jwks x5t", cJSON_GetStringValue(
			    cJSON_GetObjectItem(key, "x5t")), c->x5t);
			expect_str("jwks kid", cJSON_GetStringValue(
			    cJSON_GetObjectItem(key, "kid")), c->x5t);
			b64 = cJSON_GetArrayItem(cJSON_GetObjectItem(key, "x5c"), 0);
			jwks_keys = (size_t)cJSON_GetArraySize(
			    cJSON_GetObjectItem(root, "keys"));
		}
		assert_true(cJSON_IsString(b64));
		if ((ac = cert_from_base64(b64->valuestring, c->file, &e)) == NULL)
			fail_msg("%s key %zu: %s", c->file, c->index, e.msg);
		nread[P_CERT]++;
		expect_str("x5t", ac->x5t, c->x5t);
		expect_str("thumbprint", ac->thumbprint, c->thumbprint);
		expect_str("subject", ac->subject, c->subject);
		datetime_iso8601(ac->not_after, iso, sizeof(iso));
		expect_str("notAfter", iso, c->not_after);
		expect_str("key type", ac->key_type, "RSA");
		assert_int_equal(ac->key_bits, 2048);
		assert_int_equal(ac->format, CERT_FMT_BASE64);
		assert_false(ac->has_private_key);
		cert_free(ac);
		cJSON_Delete(root);
		free(text);
	}
	/* Every key of the set has a row above. */
	assert_int_equal(jwks_keys, 7);
}

/* -------------------------------------------------------- AutoDiscover v2 */

static const struct {
	const char	*file;
	const char	*protocol;
	const char	*url;
	const char	*host;
} autodv2_cases[] = {
	{ "autodv2/qa-1598474-exo-ews.json", "EWS",
	  "https://outlook.office365.com/EWS/Exchange.asmx", "outlook.office365.com" },
	{ "autodv2/officedocs-exchange-hma-activesync.json", "activesync",
	  "https://mail.contoso.com/Microsoft-Server-ActiveSync", "mail.contoso.com" },
};

static void
test_autodv2(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(autodv2_cases) / sizeof(autodv2_cases[0]); i++) {
		struct autodv2 a;
		struct hcerr e = { "" };
		size_t len;
		char *text = load(autodv2_cases[i].file, &len), *host;

		if (autodv2_parse(&a, text, len, &e) == -1)
			fail_msg("%s: %s", autodv2_cases[i].file, e.msg);
		nread[P_AUTODV2]++;
		expect_str("Protocol", a.protocol, autodv2_cases[i].protocol);
		expect_str("Url", a.url, autodv2_cases[i].url);
		/* Neither capture asked with ServerLocation=true, nor failed. */
		expect_str("ServerLocation", a.server_location, NULL);
		expect_str("ErrorCode", a.error_code, NULL);
		host = autodv2_url_host(&a);
		expect_str("host", host, autodv2_cases[i].host);
		free(host);
		autodv2_release(&a);
		free(text);
	}
}

/* ------------------------------------------------------------ Entra keys */

/*
 * The key set as jwks_parse reads it: every key with its certificate, its
 * kid equal to its x5t (what Entra tokens name), and the issuer Entra adds.
 */
static void
test_jwks(void **state)
{
	const char *file = "certs/panva-wellknown-entra-common-jwks.json";
	struct jwks k;
	struct hcerr e = { "" };
	size_t len, with_issuer = 0;
	char *text = load(file, &len);

	(void)state;
	if (jwks_parse(&k, text, len, &e) == -1)
		fail_msg("%s: %s", file, e.msg);
	nread[P_JWKS]++;
	assert_int_equal(k.n, 7);
	for (size_t i = 0; i < k.n; i++) {
		assert_non_null(k.v[i].der);
		assert_null(k.v[i].error);
		expect_str("kid = x5t", k.v[i].kid, k.v[i].x5t);
		expect_str("use", k.v[i].use, "sig");
		with_issuer += k.v[i].issuer != NULL;
	}
	/* The cert table above has the same keys by index. */
	for (size_t i = 0; i < sizeof(cert_cases) / sizeof(cert_cases[0]); i++)
		if (!cert_cases[i].acs)
			expect_str("kid", k.v[cert_cases[i].index].kid, cert_cases[i].x5t);
	print_message("entra keys: %zu of %zu with an issuer\n", with_issuer, k.n);
	jwks_release(&k);
	free(text);
}

/* ----------------------------------------------------------------- explain */

/* Each manifest line names a file and a text that must be in it verbatim. */
static void
test_explain_manifest(void **state)
{
	size_t len, mlen;
	char *manifest = load("explain/MANIFEST", &mlen), *line, *save = NULL;

	(void)state;
	for (line = strtok_r(manifest, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *cat = NULL, *want = NULL, *text = NULL;

		if (line[0] == '#')
			continue;
		if ((cat = strchr(line, '\t')) == NULL ||
		    (want = strchr(cat + 1, '\t')) == NULL)
			fail_msg("explain/MANIFEST: '%s' is not file<TAB>category"
			    "<TAB>text", line);
		*cat++ = '\0';
		*want++ = '\0';
		text = load(line, &len);
		if (strstr(text, want) == NULL)
			fail_msg("%s does not hold '%s'", line, want);
		nread[P_EXPLAIN]++;
		free(text);
	}
	free(manifest);
}

/* ---------------------------------------------------------------- coverage */

static const char *const kinds[] = {
	"acs", "onprem", "openid", "fedinfo", "autodv2", "wwwauth", "tokens",
	"certs", "explain",
};

/*
 * Every file of every folder was read by a table above (the tests run in
 * order, this one after them) and has its entry in SOURCES.md; no folder
 * is unknown to this test.
 */
static void
test_every_capture_covered(void **state)
{
	size_t len, files = 0;
	char *sources = load("SOURCES.md", &len);
	struct dirent *de;
	DIR *top;

	(void)state;
	assert_non_null(top = opendir(REAL));
	while ((de = readdir(top)) != NULL) {
		int known = de->d_name[0] == '.' ||
		    strcmp(de->d_name, "SOURCES.md") == 0;

		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			known |= strcmp(de->d_name, kinds[k]) == 0;
		if (!known)
			fail_msg("tests/data/real/%s: a folder this test does not "
			    "read", de->d_name);
	}
	closedir(top);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		char *dir = xasprintf("%s/%s", REAL, kinds[k]);
		DIR *d = opendir(dir);

		assert_non_null(d);
		while ((de = readdir(d)) != NULL) {
			char *rel, *quoted;

			if (de->d_name[0] == '.' || strcmp(de->d_name, "MANIFEST") == 0)
				continue;
			rel = xasprintf("%s/%s", kinds[k], de->d_name);
			quoted = xasprintf("`%s`", rel);
			if (!strlist_contains_ci(&covered, rel))
				fail_msg("%s: no parser table reads it", rel);
			if (strstr(sources, quoted) == NULL)
				fail_msg("%s: no entry in SOURCES.md", rel);
			files++;
			free(quoted);
			free(rel);
		}
		closedir(d);
		free(dir);
	}
	print_message("real captures: %zu files\n", files);
	for (int p = 0; p < P_COUNT; p++) {
		print_message("  %-58s read %u\n", parser_names[p], nread[p]);
		assert_true(nread[p] > 0);
	}
	free(sources);
	strlist_release(&covered);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_openid),
		cmocka_unit_test(test_fedinfo),
		cmocka_unit_test(test_challenges),
		cmocka_unit_test(test_diagnostics),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_certificates),
		cmocka_unit_test(test_autodv2),
		cmocka_unit_test(test_jwks),
		cmocka_unit_test(test_explain_manifest),
		cmocka_unit_test(test_every_capture_covered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
