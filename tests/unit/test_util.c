/* util: capped buffers, dates, text cleaning, atomic writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"
#include "buf.h"
#include "file.h"
#include "datetime.h"
#include "str.h"

static void
test_buf_cap(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_append(&b, "12345", 5), 0);
	assert_int_equal(buf_append(&b, "678", 3), 0);
	assert_int_equal(buf_append(&b, "9", 1), -1);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	buf_release(&b);
	buf_release(&b);	/* twice is harmless */
}

static void
test_iso8601(void **state)
{
	time_t t;
	char out[32];

	(void)state;
	assert_int_equal(datetime_parse_iso8601("2025-10-31T00:00:00Z", &t), 0);
	assert_int_equal((long)t, 1761868800L);
	assert_int_equal(datetime_parse_iso8601("2025-10-31T08:00:00+08:00", &t), 0);
	assert_int_equal((long)t, 1761868800L);
	assert_int_equal(datetime_parse_iso8601("2025-10-31T00:00:00.1234567Z", &t), 0);
	assert_int_equal((long)t, 1761868800L);
	assert_int_equal(datetime_parse_iso8601("2025-10-31", &t), 0);
	assert_int_equal(datetime_parse_iso8601("2025-13-01", &t), -1);
	assert_int_equal(datetime_parse_iso8601("31/10/2025", &t), -1);
	assert_int_equal(datetime_parse_iso8601("2025-10-31T00:00:00Zjunk", &t), -1);
	datetime_iso8601(1761868800L, out, sizeof(out));
	assert_string_equal(out, "2025-10-31T00:00:00Z");
}

static void
test_clean_text(void **state)
{
	char *s;

	(void)state;
	s = str_clean_text("ok \033[31mred\r\n");
	assert_string_equal(s, "ok ?[31mred??");
	free(s);
	s = str_clean_text("caf\xc3\xa9 \xff bad \xc2\x9b c1");
	assert_string_equal(s, "caf\xc3\xa9 \xef\xbf\xbd bad \xef\xbf\xbd\xef\xbf\xbd c1");
	free(s);
	s = str_clean_text("\xe4\xb8\xad\xe6\x96\x87");	/* 中文 stays */
	assert_string_equal(s, "\xe4\xb8\xad\xe6\x96\x87");
	free(s);
}

static void
test_write_atomic(void **state)
{
	char *path = xasprintf("%s/atomic-test.txt", HC_TEST_TMP), *back = NULL;
	char *bad = xasprintf("%s/no-such-dir/x.txt", HC_TEST_TMP);
	struct hcerr e = { "" };
	size_t len;

	(void)state;
	assert_int_equal(file_write_atomic(path, "first", 5, &e), 0);
	assert_int_equal(file_write_atomic(path, "second", 6, &e), 0);
	assert_int_equal(file_read(path, 100, &back, &len, &e), 0);
	assert_string_equal(back, "second");
	free(back);
	assert_int_equal(file_read(path, 3, &back, &len, &e), -1);
	assert_non_null(strstr(e.msg, "larger than 3 bytes"));
	assert_int_equal(file_write_atomic(bad, "x", 1, &e), -1);
	assert_non_null(strstr(e.msg, "no-such-dir"));
	unlink(path);
	free(path);
	free(bad);
}

static void
test_write_atomic_special_files(void **state)
{
	char *target = xasprintf("%s/atomic-target.txt", HC_TEST_TMP);
	char *link = xasprintf("%s/atomic-link.txt", HC_TEST_TMP), *back = NULL;
	struct hcerr e = { "" };
	struct stat st;
	size_t len;

	(void)state;
	/* A device is written in place, never replaced by a regular file. */
	assert_int_equal(file_write_atomic("/dev/null", "x", 1, &e), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));

	/* A symbolic link is followed: the file changes, the link stays. */
	unlink(link);
	assert_int_equal(file_write_atomic(target, "old", 3, &e), 0);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(file_write_atomic(link, "new", 3, &e), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(file_read(target, 100, &back, &len, &e), 0);
	assert_string_equal(back, "new");
	free(back);
	unlink(link);
	unlink(target);
	free(link);
	free(target);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_iso8601),
		cmocka_unit_test(test_clean_text),
		cmocka_unit_test(test_write_atomic),
		cmocka_unit_test(test_write_atomic_special_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
