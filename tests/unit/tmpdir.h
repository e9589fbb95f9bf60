/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A test's own directory under /tmp, made by the group setup and removed
 * by its teardown, and a file path in it (path) for the tests to use.
 * Files other than path a test makes there it removes itself. Include
 * after cmocka.h.
 */
#ifndef SROSCOPE_TEST_TMPDIR_H
#define SROSCOPE_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

static char tmpdir[] = "/tmp/sroscope-unit.XXXXXX";
static char path[256];

static int setup(void **state)
{
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.srotrace", tmpdir);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	return rmdir(tmpdir);
}

/* @p's permission bits (of a link itself, not its target). */
static inline mode_t file_mode(const char *p)
{
	struct stat st;

	assert_int_equal(lstat(p, &st), 0);
	return st.st_mode & 07777;
}

/* @p holding @text, mode @mode. */
static inline void put_file(const char *p, const char *text, mode_t mode)
{
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(p, mode), 0);
}

#endif
