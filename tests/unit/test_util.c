/* util: capped buffers, dates, text cleaning, atomic writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <time.h>
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
	/* Issue 17 item 8: bidi overrides named, non-characters replaced. */
	s = str_clean_text("a\xe2\x80\xae" "b\xe2\x81\xa6" "c\xef\xbf\xbe");
	assert_string_equal(s, "a[U+202E]b[U+2066]c\xef\xbf\xbd");
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

/* Entries of dir whose name starts with prefix. */
static int
count_prefixed(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

/*
 * Issue 17 items 2 and 5: outputs never destroy. A 0600 file stays 0600;
 * a symbolic link is written through, keeping its target's mode; a
 * symbolic link planted at a predictable temporary name is never
 * followed; a directory is refused; nothing is left beside the target.
 */
static void
test_write_atomic_never_destroys(void **state)
{
	char *dir = xasprintf("%s/outputs-test", HC_TEST_TMP);
	char *target = xasprintf("%s/report.txt", dir);
	char *link = xasprintf("%s/via-link.txt", dir);
	char *victim = xasprintf("%s/victim.txt", dir), *back = NULL;
	char *planted[2];
	struct hcerr e = { "" };
	struct stat st;
	size_t len;

	(void)state;
	planted[0] = xasprintf("%s.tmp.%ld", target, (long)getpid());
	planted[1] = xasprintf("%s.tmp-%ld", target, (long)getpid());
	mkdir(dir, 0700);
	unlink(target);
	unlink(link);
	unlink(planted[0]);
	unlink(planted[1]);

	/* A 0600 file stays 0600. */
	assert_int_equal(file_write_atomic(target, "one", 3, &e), 0);
	assert_int_equal(chmod(target, 0600), 0);
	assert_int_equal(file_write_atomic(target, "two", 3, &e), 0);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* Through a link: the target replaced, its mode kept, the link kept. */
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(file_write_atomic(link, "three", 5, &e), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(file_read(target, 100, &back, &len, &e), 0);
	assert_string_equal(back, "three");
	free(back);

	/* Links planted where a pid-based temporary name would be. */
	assert_int_equal(file_write_atomic(victim, "precious", 8, &e), 0);
	assert_int_equal(symlink(victim, planted[0]), 0);
	assert_int_equal(symlink(victim, planted[1]), 0);
	assert_int_equal(file_write_atomic(target, "four", 4, &e), 0);
	assert_int_equal(file_read(victim, 100, &back, &len, &e), 0);
	assert_string_equal(back, "precious");
	free(back);
	unlink(planted[0]);
	unlink(planted[1]);
	/* Nothing left beside the target but the target itself. */
	assert_int_equal(count_prefixed(dir, "report.txt"), 1);

	/* A directory is refused, and stays a directory. */
	assert_int_equal(file_write_atomic(dir, "x", 1, &e), -1);
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));

	/* A streamed output dropped halfway leaves the old file whole. */
	{
		struct file_out o;

		assert_int_equal(file_out_open(&o, target, &e), 0);
		fputs("half", o.f);
		file_out_abort(&o);
		assert_int_equal(file_read(target, 100, &back, &len, &e), 0);
		assert_string_equal(back, "four");
		free(back);
		assert_int_equal(count_prefixed(dir, "report.txt"), 1);
	}
	unlink(link);
	unlink(target);
	unlink(victim);
	rmdir(dir);
	free(planted[0]);
	free(planted[1]);
	free(dir);
	free(target);
	free(link);
	free(victim);
}

/* Issue 17 item 6: a FIFO given as input is refused at once, not waited on. */
static void
test_read_refuses_fifo(void **state)
{
	char *fifo = xasprintf("%s/input-fifo", HC_TEST_TMP), *back = NULL;
	struct hcerr e = { "" };
	time_t t0 = time(NULL);
	size_t len;

	(void)state;
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(file_read(fifo, 100, &back, &len, &e), -1);
	assert_non_null(strstr(e.msg, "a FIFO, not a regular file"));
	assert_true(time(NULL) - t0 < 5);
	assert_int_equal(file_read("/dev/zero", 100, &back, &len, &e), -1);
	assert_non_null(strstr(e.msg, "a character device"));
	assert_int_equal(file_read(HC_TEST_TMP, 100, &back, &len, &e), -1);
	unlink(fifo);
	free(fifo);
}

static void
test_file_same(void **state)
{
	char *a = xasprintf("%s/same-a.txt", HC_TEST_TMP);
	char *dot = xasprintf("%s/./same-a.txt", HC_TEST_TMP);
	char *l = xasprintf("%s/same-link.txt", HC_TEST_TMP);
	struct hcerr e = { "" };

	(void)state;
	unlink(a);
	unlink(l);
	assert_true(file_same(a, dot));		/* neither exists yet */
	assert_int_equal(file_write_atomic(a, "x", 1, &e), 0);
	assert_int_equal(symlink(a, l), 0);
	assert_true(file_same(a, l));
	assert_false(file_same(a, "-"));
	assert_false(file_same("/dev/null", "/dev/null"));
	assert_false(file_same(a, HC_TEST_TMP));
	unlink(a);
	unlink(l);
	free(a);
	free(dot);
	free(l);
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
		cmocka_unit_test(test_write_atomic_never_destroys),
		cmocka_unit_test(test_read_refuses_fifo),
		cmocka_unit_test(test_file_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
