/*
 * PowerShell value safety: validators, quoting and the builder, against
 * hostile values. The quoting is checked against a model of how PowerShell
 * reads the value (tests/ps1_read.h): printable ASCII only, a verbatim
 * string or a concatenation with [char] casts, evaluating to the value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ps1.h"
#include "../ps1_read.h"

static const char *const hostile[] = {
	"'", "''", "'''", "\xe2\x80\x99", "\xe2\x80\x98", "\xe2\x80\x9b",
	"\xe2\x80\x9a", "'\xe2\x80\x99", "\xe2\x80\x99'", ";", "$()",
	"$(Remove-Item C:\\ -Recurse)", "x'; Remove-Item C:\\ -Recurse; '",
	"x\xe2\x80\x99; Remove-Item C:\\ -Recurse; \xe2\x80\x98",
	"`", "``'", "`'; Remove-Item x; '", "\"", "\"; Remove-Item x; \"",
	"}", "} ; Remove-Item x; {", "#>", "<#", "#> Remove-Item x <#",
	"\xe2\x80\x9c\xe2\x80\x9d", "@'", "'@", "contoso.com'; Remove-Item C:\\ -Recurse; '",
	"o'brien@contoso.com", "end'", "'start",
	/* Letters whose UTF-8 holds 0x82, 0x91 or 0x92: quotes in cp1250-1258. */
	"Hybrid \xc3\x91; Remove-Item x; #", "\xc3\x92", "\xd1\x82", "\xd1\x91",
	"\xe4\xbf\x82", "Conector ESPA\xc3\x91" "A", "\xe6\xb7\xb7\xe5\x90\x88\xe9\x83\xa8\xe7\xbd\xb2",
	"\xe3\x83\x8f\xe3\x82\xa4\xe3\x83\x96\xe3\x83\xaa\xe3\x83\x83\xe3\x83\x89'x",
	"\xf0\x9f\x98\x80", "a\xf0\x9f\x98\x80'\xe2\x80\x99" "b", "\xef\xbb\xbf", "\xc2\xa0",
};

/* Control characters and broken encodings: always refused. */
static const char *const refused[] = {
	"a\nRemove-Item x", "a\rRemove-Item x", "a\r\nb", "\x01", "\x1b[31m",
	"\x7f", "\xc2\x85Remove-Item x", "\xe2\x80\xa8x", "\xe2\x80\xa9x",
	"\xff", "\xc0\xa7", "\xe2\x80", "\xed\xa0\x80", "tab\there",
};

static void
quote_round_trips(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		struct hcerr e;
		char *q = ps1_quote(hostile[i], &e);
		unsigned char *value;
		size_t n;

		assert_non_null(q);
		/* One value, ASCII, that reads back as exactly the value given. */
		value = ps1_read_value(q, &n);
		if (value == NULL)
			fail_msg("'%s' quoted as %s: not one ASCII value", hostile[i], q);
		assert_int_equal(n, strlen(hostile[i]));
		assert_memory_equal(value, hostile[i], n);
		free(value);
		free(q);
	}
}

static void
quote_refuses_controls(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct hcerr e = { "" };

		assert_null(ps1_quote(refused[i], &e));
		assert_true(e.msg[0] != '\0');
	}
}

static void
quote_refuses_nul_and_length(void **state)
{
	struct hcerr e = { "" };
	char *big;

	(void)state;
	assert_null(ps1_quote_mem("ab\0; Remove-Item x", 18, &e));
	assert_non_null(strstr(e.msg, "NUL"));
	big = malloc(PS1_VALUE_MAX + 2);
	memset(big, 'a', PS1_VALUE_MAX + 1);
	big[PS1_VALUE_MAX + 1] = '\0';
	assert_null(ps1_quote(big, &e));
	big[PS1_VALUE_MAX] = '\0';
	{
		char *q = ps1_quote(big, &e);

		assert_non_null(q);
		assert_int_equal(strlen(q), PS1_VALUE_MAX + 2);
		free(q);
	}
	free(big);
	assert_null(ps1_quote(NULL, &e));
}

static void
quote_doubles_every_quote(void **state)
{
	char *q;

	(void)state;
	q = ps1_quote("a'b", NULL);
	assert_string_equal(q, "'a''b'");
	free(q);
	q = ps1_quote("", NULL);
	assert_string_equal(q, "''");
	free(q);
	/* Outside ASCII: a [char] cast, the quote characters among them. */
	q = ps1_quote("a'b\xe2\x80\x99" "c", NULL);
	assert_string_equal(q, "('a''b' + [char]0x2019 + 'c')");
	free(q);
	q = ps1_quote("Conector ESPA\xc3\x91" "A", NULL);
	assert_string_equal(q, "('Conector ESPA' + [char]0x00D1 + 'A')");
	free(q);
	q = ps1_quote("\xc3\x91", NULL);
	assert_string_equal(q, "('' + [char]0x00D1)");
	free(q);
	/* Beyond U+FFFF: both UTF-16 halves. */
	q = ps1_quote("\xf0\x9f\x98\x80x", NULL);
	assert_string_equal(q, "('' + [char]0xD83D + [char]0xDE00 + 'x')");
	free(q);
}

static void
validators_accept(void **state)
{
	static const char *const allowed_hosts[] = { "partner.outlook.cn",
	    "*.contoso.com" };
	struct strlist allowed = { (char **)allowed_hosts, 2 };

	(void)state;
	assert_int_equal(ps1_valid_dnsname("mail.contoso.com", NULL), 0);
	assert_int_equal(ps1_valid_dnsname("EX01", NULL), 0);
	assert_int_equal(ps1_valid_dnsname("xn--bcher-kva.example", NULL), 0);
	assert_int_equal(ps1_valid_authority("*.contoso.com", NULL), 0);
	assert_int_equal(ps1_valid_guid("00000002-0000-0ff1-ce00-000000000000", NULL), 0);
	assert_int_equal(ps1_valid_thumbprint("0123456789ABCDEF0123456789abcdef01234567", NULL), 0);
	assert_int_equal(ps1_valid_url("https://partner.outlook.cn/EWS/Exchange.asmx", &allowed, NULL), 0);
	assert_int_equal(ps1_valid_url("https://autodiscover.contoso.com:443/autodiscover/autodiscover.svc", &allowed, NULL), 0);
	assert_int_equal(ps1_valid_base64("TUlJQg==", NULL), 0);
	assert_int_equal(ps1_valid_word("O365China", NULL), 0);
	assert_int_equal(ps1_valid_email("o'brien@contoso.com", NULL), 0);
	assert_int_equal(ps1_valid_spn("00000002-0000-0ff1-ce00-000000000000/*.contoso.com", NULL), 0);
	assert_int_equal(ps1_valid_spn("00000002-0000-0ff1-ce00-000000000000/contoso.com", NULL), 0);
	assert_int_equal(ps1_valid_spn("https://mail.contoso.com/", NULL), 0);
	assert_int_equal(ps1_valid_text("Exchange Online \xe2\x80\x99s app", NULL), 0);
}

static void
validators_refuse_hostile(void **state)
{
	static const char *const allowed_hosts[] = { "partner.outlook.cn",
	    "*.contoso.com" };
	struct strlist allowed = { (char **)allowed_hosts, 2 };

	(void)state;
	/* Every hostile value fails every strict validator. */
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		const char *v = hostile[i];

		assert_int_equal(ps1_valid_dnsname(v, NULL), -1);
		assert_int_equal(ps1_valid_authority(v, NULL), -1);
		assert_int_equal(ps1_valid_guid(v, NULL), -1);
		assert_int_equal(ps1_valid_thumbprint(v, NULL), -1);
		assert_int_equal(ps1_valid_url(v, &allowed, NULL), -1);
		assert_int_equal(ps1_valid_base64(v, NULL), -1);
		assert_int_equal(ps1_valid_word(v, NULL), -1);
		assert_int_equal(ps1_valid_spn(v, NULL), -1);
	}
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_int_equal(ps1_valid_text(refused[i], NULL), -1);

	assert_int_equal(ps1_valid_url("http://mail.contoso.com/", &allowed, NULL), -1);
	assert_int_equal(ps1_valid_url("https://evil.example/", &allowed, NULL), -1);
	assert_int_equal(ps1_valid_url("https://contoso.com.evil.example/", &allowed, NULL), -1);
	assert_int_equal(ps1_valid_url("https://mail.contoso.com/a b", &allowed, NULL), -1);
	assert_int_equal(ps1_valid_url("https://mail.contoso.com/a'b", &allowed, NULL), -1);
	assert_int_equal(ps1_valid_url("https://mail.contoso.com/a\"b", &allowed, NULL), -1);
	assert_int_equal(ps1_valid_url("https://mail.contoso.com/a`b", &allowed, NULL), -1);
	assert_int_equal(ps1_valid_url("https://mail.contoso.com/\xe2\x80\x99", &allowed, NULL), -1);
	assert_int_equal(ps1_valid_url("https://mail.contoso.com@evil.example/", &allowed, NULL), -1);
	assert_int_equal(ps1_valid_url("https://mail.contoso.com:99999x/", &allowed, NULL), -1);
	assert_int_equal(ps1_valid_authority("*.com", NULL), -1);
	assert_int_equal(ps1_valid_authority("*.*.contoso.com", NULL), -1);
	assert_int_equal(ps1_valid_thumbprint("\xe2\x80\x8e" "0123456789ABCDEF0123456789ABCDEF01234567", NULL), -1);
	assert_int_equal(ps1_valid_thumbprint("0123456789ABCDEF0123456789ABCDEF0123456", NULL), -1);
	assert_int_equal(ps1_valid_base64("TUlJQg=", NULL), -1);
	assert_int_equal(ps1_valid_base64("TU=JQg==", NULL), -1);
	assert_int_equal(ps1_valid_word("O365 China", NULL), -1);
	assert_int_equal(ps1_valid_email("a@b", NULL), -1);
	assert_int_equal(ps1_valid_email("a\"b@contoso.com", NULL), -1);
	assert_int_equal(ps1_valid_spn("00000002-0000-0ff1-ce00-000000000000/", NULL), -1);
	assert_int_equal(ps1_valid_spn("https://mail.contoso.com/x", NULL), -1);
}

static void
comment_text_is_one_line(void **state)
{
	char *c;

	(void)state;
	c = ps1_comment_text("a\nRemove-Item x\r\xe2\x80\xa8" "b\xc2\x85" "c\xff");
	assert_null(strchr(c, '\n'));
	assert_null(strchr(c, '\r'));
	assert_string_equal(c, "a`u{000A}Remove-Item x`u{000D}`u{2028}b`u{0085}c`x{FF}");
	free(c);
	/* ASCII, and unambiguous: a backtick is doubled, so `u{..} is ours. */
	c = ps1_comment_text("Hybrid \xc3\x91; `u{00D1} \xf0\x9f\x98\x80\t\xef\xbb\xbf" "C:\\x");
	assert_string_equal(c, "Hybrid `u{00D1}; ``u{00D1} `u{1F600}`u{0009}`u{FEFF}C:\\x");
	free(c);
	assert_int_equal(ps1_is_ascii("abc", 3, NULL), 1);
	{
		size_t at = 0;

		assert_int_equal(ps1_is_ascii("ab\xc3\x91", 4, &at), 0);
		assert_int_equal(at, 2);
		assert_int_equal(ps1_is_ascii("a\0b", 3, &at), 0);
		assert_int_equal(at, 1);
	}
	/* Issue 17 item 8: a bidi override in a comment is named, not applied. */
	c = ps1_comment_text("Hybrid \xe2\x80\xae" "1sp.exe\xe2\x81\xa9");
	assert_string_equal(c, "Hybrid `u{202E}1sp.exe`u{2069}");
	free(c);
}

static void
builder_drops_step_with_bad_value(void **state)
{
	struct ps1 p;

	(void)state;
	ps1_init(&p);
	ps1_step_begin(&p, PS1_ONPREM, "good step");
	ps1_code(&p, "Set-Thing -Name ");
	ps1_add_dnsname(&p, "host", "mail.contoso.com");
	ps1_code(&p, "\n");
	assert_int_equal(ps1_step_end(&p), 0);

	ps1_step_begin(&p, PS1_ONPREM, "bad step");
	ps1_code(&p, "Set-Thing -Name ");
	ps1_add_dnsname(&p, "host", "x'; Remove-Item C:\\ -Recurse; '");
	ps1_code(&p, "\nSet-Other -Url ");
	ps1_add_url(&p, "url", "https://mail.contoso.com/", NULL);
	ps1_code(&p, "\n");
	assert_int_equal(ps1_step_end(&p), -1);

	assert_int_equal(p.nsteps[PS1_ONPREM], 1);
	assert_int_equal(p.dropped.n, 1);
	assert_non_null(strstr(p.dropped.v[0], "bad step: host"));
	assert_non_null(strstr(p.sec[PS1_ONPREM].data, "Set-Thing -Name 'mail.contoso.com'"));
	assert_non_null(strstr(p.sec[PS1_ONPREM].data, "# STEP DROPPED: bad step"));
	/* Nothing of the dropped step's code survives, only the comment. */
	assert_null(strstr(p.sec[PS1_ONPREM].data, "Set-Other"));
	for (const char *l = p.sec[PS1_ONPREM].data; l != NULL && *l;) {
		if (strstr(l, "Remove-Item") != NULL && strstr(l, "Remove-Item") < strchr(l, '\n'))
			assert_true(l[0] == '#');
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	ps1_release(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quote_round_trips),
		cmocka_unit_test(quote_refuses_controls),
		cmocka_unit_test(quote_refuses_nul_and_length),
		cmocka_unit_test(quote_doubles_every_quote),
		cmocka_unit_test(validators_accept),
		cmocka_unit_test(validators_refuse_hostile),
		cmocka_unit_test(comment_text_is_one_line),
		cmocka_unit_test(builder_drops_step_with_bad_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
