// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Files written whole (user/lib/outfile.c: replay's results, report's HTML):
 * 0600, in place only once complete, never through a symbolic link, the
 * previous file kept when a run gives up.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "outfile.h"
#include "tmpdir.h"

static char other[300], target[300], slink[300];

static void assert_holds(const char *p, const char *text)
{
	char buf[64] = "";
	FILE *f = fopen(p, "r");

	assert_non_null(f);
	assert_true(fread(buf, 1, sizeof(buf) - 1, f) < sizeof(buf) - 1);
	fclose(f);
	assert_string_equal(buf, text);
}

/* Files in the test's directory: no temporary file left behind. */
static int entries(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void write_whole(const char *p, const char *text)
{
	struct outfile o;

	assert_int_equal(outfile_open(&o, p), 0);
	fputs(text, o.f);
	assert_int_equal(outfile_commit(&o), 0);
}

static void test_new_and_replaced(void **state)
{
	struct outfile o;

	unlink(path);
	umask(0);
	write_whole(path, "one");
	umask(022);
	assert_holds(path, "one");
	assert_int_equal(file_mode(path), 0600);
	assert_int_equal(entries(), 1);

	/* Replaced: a new file, so another link keeps the old content. */
	put_file(path, "old", 0644);
	assert_int_equal(link(path, other), 0);
	assert_int_equal(outfile_open(&o, path), 0);
	fputs("new", o.f);
	assert_holds(path, "old");	/* not there until committed */
	assert_int_equal(outfile_commit(&o), 0);
	assert_holds(path, "new");
	assert_holds(other, "old");
	assert_int_equal(file_mode(path), 0600);
	assert_int_equal(entries(), 2);
	unlink(other);

	/* Given up: the previous file stays, nothing left behind. */
	assert_int_equal(outfile_open(&o, path), 0);
	fputs("half", o.f);
	outfile_abort(&o);
	assert_holds(path, "new");
	assert_int_equal(entries(), 1);
}

static void test_refused(void **state)
{
	struct outfile o;

	put_file(target, "precious", 0644);
	assert_int_equal(symlink(target, slink), 0);
	assert_int_equal(outfile_open(&o, slink), -ELOOP);
	assert_non_null(strstr(outfile_strerror(-ELOOP), "symbolic link"));
	assert_holds(target, "precious");
	unlink(target);
	assert_int_equal(outfile_open(&o, slink), -ELOOP);	/* dangling */
	assert_int_equal(access(target, F_OK), -1);
	unlink(slink);
	assert_int_equal(outfile_open(&o, tmpdir), -EISDIR);
	assert_int_equal(outfile_open(&o, "/nonexistent/dir/f"), -ENOENT);
}

/* A character device (or a FIFO) is written directly. */
static void test_device(void **state)
{
	write_whole("/dev/null", "nothing");
}

static int outfile_setup(void **state)
{
	if (setup(state))
		return -1;
	snprintf(other, sizeof(other), "%s/other", tmpdir);
	snprintf(target, sizeof(target), "%s/target", tmpdir);
	snprintf(slink, sizeof(slink), "%s/link", tmpdir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_and_replaced),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_device),
	};

	return cmocka_run_group_tests(tests, outfile_setup, teardown);
}
