/* fedinfo: the GetFederationInformation request and response, and xml_walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fedinfo.h"
#include <stdio.h>

/* Shape of Exchange Online's answer (one line, as it comes). */
static const char exo_response[] =
    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:a=\"http://www.w3.org/2005/08/addressing\">"
    "<s:Header><a:Action s:mustUnderstand=\"1\">http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetFederationInformationResponse</a:Action>"
    "<h:ServerVersionInfo xmlns:h=\"http://schemas.microsoft.com/exchange/2010/Autodiscover\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">"
    "<h:MajorVersion>15</h:MajorVersion><h:MinorVersion>20</h:MinorVersion><h:MajorBuildNumber>7184</h:MajorBuildNumber>"
    "<h:MinorBuildNumber>34</h:MinorBuildNumber><h:Version>Exchange2015</h:Version></h:ServerVersionInfo></s:Header>"
    "<s:Body><GetFederationInformationResponseMessage xmlns=\"http://schemas.microsoft.com/exchange/2010/Autodiscover\">"
    "<Response xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"><ErrorCode>NoError</ErrorCode><ErrorMessage/>"
    "<ApplicationUri>outlook.com</ApplicationUri><Domains><Domain>contoso.com</Domain>"
    "<Domain>contoso.mail.onmicrosoft.com</Domain><Domain>contoso.onmicrosoft.com</Domain></Domains>"
    "<TokenIssuers><TokenIssuer><Endpoint>https://login.microsoftonline.com/extSTS.srf</Endpoint>"
    "<Uri>urn:federation:MicrosoftOnline</Uri></TokenIssuer></TokenIssuers></Response>"
    "</GetFederationInformationResponseMessage></s:Body></s:Envelope>";

static int domains;

static void
count_domain(void *arg, const char *path, const char *text)
{
	(void)arg;
	if (strcmp(path, "Envelope/Body/GetFederationInformationRequestMessage/Request/Domain") == 0) {
		assert_string_equal(text, "a</Domain><x>&'\"");
		domains++;
	}
}

static void
test_request(void **state)
{
	char *r = fedinfo_request("contoso.com",
	    "https://autodiscover-s.outlook.com/autodiscover/autodiscover.svc");
	char *evil = fedinfo_request("a</Domain><x>&'\"", "https://h/?a=1&b=2");
	struct fedinfo f;
	struct hcerr e;

	(void)state;
	assert_non_null(strstr(r, "<Domain>contoso.com</Domain>"));
	assert_non_null(strstr(r, ">https://autodiscover-s.outlook.com/autodiscover/autodiscover.svc</a:To>"));
	assert_non_null(strstr(r, FEDINFO_SOAP_ACTION "</a:Action>"));
	assert_non_null(strstr(r, "GetFederationInformationRequestMessage xmlns=\"http://schemas.microsoft.com/exchange/2010/Autodiscover\""));
	/* Escaped: the domain stays one text node. */
	assert_non_null(strstr(evil, "<Domain>a&lt;/Domain&gt;&lt;x&gt;&amp;&#39;&quot;</Domain>"));
	assert_non_null(strstr(evil, "https://h/?a=1&amp;b=2"));
	/* The request is itself well-formed, and the domain one text node. */
	domains = 0;
	assert_int_equal(xml_walk(evil, strlen(evil), count_domain, NULL, &e), 0);
	assert_int_equal(domains, 1);
	assert_int_equal(fedinfo_parse(&f, r, strlen(r), &e), -1);
	assert_non_null(strstr(e.msg, "no GetFederationInformation response"));
	free(r);
	free(evil);
}

static void
test_exo(void **state)
{
	struct fedinfo f;
	struct hcerr e;

	(void)state;
	assert_int_equal(fedinfo_parse(&f, exo_response, strlen(exo_response), &e), 0);
	assert_string_equal(f.error_code, "NoError");
	assert_string_equal(f.error_message, "");
	assert_string_equal(f.application_uri, "outlook.com");
	assert_int_equal(f.domains.n, 3);
	assert_string_equal(f.domains.v[1], "contoso.mail.onmicrosoft.com");
	assert_int_equal(f.nissuers, 1);
	assert_string_equal(f.issuers[0].endpoint,
	    "https://login.microsoftonline.com/extSTS.srf");
	assert_string_equal(f.issuers[0].uri, "urn:federation:MicrosoftOnline");
	assert_null(f.fault);
	fedinfo_release(&f);
	fedinfo_release(&f);
	fedinfo_release(NULL);
}

static void
test_variants(void **state)
{
	/* Other prefixes, whitespace, comments, CDATA, entities, a DOCTYPE never expanded. */
	static const char doc[] =
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<!DOCTYPE x [ <!ENTITY boom \"boom\"> ]>\n"
	    "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">\n"
	    " <soap:Body>\n"
	    "  <!-- a <comment> -->\n"
	    "  <ad:GetFederationInformationResponseMessage xmlns:ad=\"http://schemas.microsoft.com/exchange/2010/Autodiscover\">\n"
	    "   <ad:Response>\n"
	    "    <ad:ErrorCode> NoError </ad:ErrorCode>\n"
	    "    <ad:ApplicationUri>outlook.cn</ad:ApplicationUri>\n"
	    "    <ad:Domains>\n"
	    "     <ad:Domain>Contoso.CN</ad:Domain>\n"
	    "     <ad:Domain><![CDATA[contoso.partner.mail.onmschina.cn]]></ad:Domain>\n"
	    "     <ad:Domain>caf&#xE9;&amp;co&#46;cn</ad:Domain>\n"
	    "     <ad:Domain>&boom;</ad:Domain>\n"
	    "     <ad:Domain>contoso.cn</ad:Domain>\n"
	    "    </ad:Domains>\n"
	    "    <ad:TokenIssuers><ad:TokenIssuer a=\"x>y\"><ad:Uri>urn:one</ad:Uri></ad:TokenIssuer>"
	    "<ad:TokenIssuer><ad:Endpoint>https://two/</ad:Endpoint><ad:Uri>urn:two</ad:Uri></ad:TokenIssuer></ad:TokenIssuers>\n"
	    "   </ad:Response>\n"
	    "  </ad:GetFederationInformationResponseMessage>\n"
	    " </soap:Body>\n"
	    "</soap:Envelope>\n";
	struct fedinfo f;
	struct hcerr e;

	(void)state;
	assert_int_equal(fedinfo_parse(&f, doc, strlen(doc), &e), 0);
	assert_string_equal(f.error_code, "NoError");
	assert_string_equal(f.application_uri, "outlook.cn");
	assert_int_equal(f.domains.n, 4);	/* lower-cased, duplicates dropped */
	assert_string_equal(f.domains.v[0], "contoso.cn");
	assert_string_equal(f.domains.v[1], "contoso.partner.mail.onmschina.cn");
	assert_string_equal(f.domains.v[2], "caf\xc3\xa9&co.cn");
	assert_string_equal(f.domains.v[3], "&boom;");
	assert_int_equal(f.nissuers, 2);
	assert_null(f.issuers[0].endpoint);
	assert_string_equal(f.issuers[0].uri, "urn:one");
	assert_string_equal(f.issuers[1].endpoint, "https://two/");
	fedinfo_release(&f);
}

static void
test_errors_and_faults(void **state)
{
	static const char invalid[] =
	    "<s:Envelope xmlns:s=\"x\"><s:Body><GetFederationInformationResponseMessage><Response>"
	    "<ErrorCode>InvalidDomain</ErrorCode><ErrorMessage>The domain is not valid.</ErrorMessage>"
	    "<Domains/><TokenIssuers/></Response></GetFederationInformationResponseMessage></s:Body></s:Envelope>";
	static const char fault[] =
	    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
	    "<faultcode xmlns:a=\"http://schemas.microsoft.com/ws/2005/05/addressing/none\">a:ActionNotSupported</faultcode>"
	    "<faultstring xml:lang=\"en-US\">The message with Action '' cannot be processed.</faultstring>"
	    "</s:Fault></s:Body></s:Envelope>";
	struct fedinfo f;
	struct hcerr e;

	(void)state;
	assert_int_equal(fedinfo_parse(&f, invalid, strlen(invalid), &e), 0);
	assert_string_equal(f.error_code, "InvalidDomain");
	assert_string_equal(f.error_message, "The domain is not valid.");
	assert_int_equal(f.domains.n, 0);
	fedinfo_release(&f);
	assert_int_equal(fedinfo_parse(&f, fault, strlen(fault), &e), 0);
	assert_null(f.error_code);
	assert_non_null(strstr(f.fault, "cannot be processed"));
	fedinfo_release(&f);
}

static void
test_garbage(void **state)
{
	static const char *const bad[] = {
		"", "plain text", "<a>", "<a></b>", "</a>", "<a><b></a>",
		"<a/><b/>", "<a", "<!-- x", "<a><![CDATA[x</a>", "<>",
		"<a x=\"1>", "{\"json\":true}",
		"<html><body><h1>404 Not Found</h1></body></html>",
	};
	struct fedinfo f;
	struct hcerr e;
	char *deep;
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		if (fedinfo_parse(&f, bad[i], strlen(bad[i]), &e) != -1)
			fail_msg("'%s' parsed", bad[i]);
		assert_true(e.msg[0] != '\0');
		assert_null(f.error_code);
	}
	/* Nesting deeper than the cap is refused, not recursed. */
	deep = malloc(100 * 3 + 1);
	for (int i = 0; i < 100; i++)
		n += (size_t)sprintf(deep + n, "<a>");
	assert_int_equal(fedinfo_parse(&f, deep, n, &e), -1);
	assert_non_null(strstr(e.msg, "deeper"));
	free(deep);
	assert_int_equal(fedinfo_parse(&f, exo_response, FEDINFO_MAX + 1, &e), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_exo),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_errors_and_faults),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
