/* netopt: --connect-to, --resolve and --dns-server as curl writes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "netopt.h"

static void
test_connect_to(void **state)
{
	struct connect_to c;
	struct hcerr e = { "" };

	(void)state;
	assert_int_equal(netopt_parse_connect_to("Mail.Contoso.com:443:127.0.0.1:8443", &c, &e), 0);
	assert_string_equal(c.host, "mail.contoso.com");
	assert_int_equal(c.port, 443);
	assert_string_equal(c.to_host, "127.0.0.1");
	assert_int_equal(c.to_port, 8443);
	assert_int_equal(netopt_parse_connect_to("::127.0.0.1:8443", &c, &e), 0);
	assert_string_equal(c.host, "");
	assert_int_equal(c.port, 0);
	assert_int_equal(netopt_parse_connect_to(":443:[::1]:8443", &c, &e), 0);
	assert_string_equal(c.to_host, "::1");
	assert_int_equal(netopt_parse_connect_to("a.com:443:b.com:", &c, &e), 0);
	assert_int_equal(c.to_port, 0);
	assert_int_equal(netopt_parse_connect_to("a.com:443:b.com", &c, &e), -1);
	assert_non_null(strstr(e.msg, "expected HOST:PORT:HOST2:PORT2"));
	assert_int_equal(netopt_parse_connect_to("a.com:99999:b.com:1", &c, &e), -1);
	assert_int_equal(netopt_parse_connect_to("a;b:1:c:2", &c, &e), -1);
}

static void
test_resolve(void **state)
{
	struct resolve_entry r;
	struct hcerr e = { "" };

	(void)state;
	assert_int_equal(netopt_parse_resolve("autodiscover.contoso.cn:443:127.0.0.1", &r, &e), 0);
	assert_string_equal(r.host, "autodiscover.contoso.cn");
	assert_int_equal(r.port, 443);
	assert_int_equal(r.addrs.n, 1);
	netopt_resolve_release(&r);
	assert_int_equal(netopt_parse_resolve("+a.com:80:127.0.0.1,[::1],10.0.0.1", &r, &e), 0);
	assert_int_equal(r.addrs.n, 3);
	assert_string_equal(r.addrs.v[1], "::1");
	netopt_resolve_release(&r);
	assert_int_equal(netopt_parse_resolve("a.com:443:", &r, &e), -1);
	assert_int_equal(netopt_parse_resolve("a.com:443:not-an-ip", &r, &e), -1);
	assert_non_null(strstr(e.msg, "--resolve 'a.com:443:not-an-ip'"));
	assert_int_equal(netopt_parse_resolve("a.com:443:127.0.0.1,", &r, &e), -1);
	assert_int_equal(netopt_parse_resolve(":443:127.0.0.1", &r, &e), -1);
}

static void
test_dns_server(void **state)
{
	struct dns_server d;
	struct hcerr e = { "" };

	(void)state;
	assert_int_equal(netopt_parse_dns_server("127.0.0.1", &d, &e), 0);
	assert_int_equal(d.port, 53);
	assert_int_equal(netopt_parse_dns_server("127.0.0.1:5353", &d, &e), 0);
	assert_int_equal(d.port, 5353);
	assert_int_equal(netopt_parse_dns_server("::1", &d, &e), 0);
	assert_string_equal(d.addr, "::1");
	assert_int_equal(netopt_parse_dns_server("[::1]:5353", &d, &e), 0);
	assert_int_equal(d.port, 5353);
	assert_int_equal(netopt_parse_dns_server("dns.example", &d, &e), -1);
	assert_non_null(strstr(e.msg, "expected an IP address"));
	assert_int_equal(netopt_parse_dns_server("127.0.0.1:0", &d, &e), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connect_to),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_dns_server),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
