/* dnsname: what --domain and --host accept, and how they are normalised. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "dnsname.h"

static void
ok(const char *in, const char *want)
{
	struct hcerr e = { "" };
	char *out = dnsname_normalize(in, &e);

	if (out == NULL)
		fail_msg("'%s' rejected: %s", in, e.msg);
	assert_string_equal(out, want);
	free(out);
}

static void
bad(const char *in, const char *why)
{
	struct hcerr e = { "" };
	char *out = dnsname_normalize(in, &e);

	if (out != NULL)
		fail_msg("'%s' accepted as '%s'", in, out);
	if (strstr(e.msg, why) == NULL)
		fail_msg("'%s': message '%s' lacks '%s'", in, e.msg, why);
}

static void
test_valid(void **state)
{
	(void)state;
	ok("contoso.com", "contoso.com");
	ok("Mail.Contoso.COM.", "mail.contoso.com");
	ok("autodiscover.contoso.cn", "autodiscover.contoso.cn");
	ok("xn--fiqs8s.cn", "xn--fiqs8s.cn");
	ok("\xe4\xb8\xad\xe5\x9b\xbd.cn", "xn--fiqs8s.cn");		/* 中国.cn */
	ok("b\xc3\xbc" "cher.de", "xn--bcher-kva.de");			/* bücher.de */
	ok("EXCH01", "exch01");
	ok("a-b.c0.example", "a-b.c0.example");
}

static void
test_invalid(void **state)
{
	char label[80], longname[300];

	(void)state;
	bad("", "empty");
	bad("contoso..com", "empty label");
	bad(".contoso.com", "empty label");
	bad("-contoso.com", "starts or ends with '-'");
	bad("contoso-.com", "starts or ends with '-'");
	bad("con_toso.com", "character '_'");
	bad("contoso.com; rm -rf /", "character ';'");
	bad("contoso.com'", "character '''");
	bad("mail.contoso.com/ews", "character '/'");
	bad("contoso\ncom", "control");
	bad("*.contoso.com", "character '*'");
	memset(label, 'a', 64);
	label[64] = '\0';
	strcat(label, ".com");
	bad(label, "longer than 63");
	memset(longname, 0, sizeof(longname));
	for (int i = 0; i < 64; i++)
		strcat(longname, "abc.");
	strcat(longname, "com");
	bad(longname, "at most 253");
	bad("\xff\xfe.com", "not a DNS name");
}

static void
test_labels(void **state)
{
	(void)state;
	assert_int_equal(dnsname_labels("contoso.com"), 2);
	assert_int_equal(dnsname_labels("mail.contoso.com"), 3);
	assert_int_equal(dnsname_labels("exch01"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
