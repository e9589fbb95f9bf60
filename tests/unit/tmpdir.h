/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A test's own directory under /tmp, made by the group setup and removed
 * by its teardown, and a file path in it (path) for the tests to use.
 * Files other than path a test makes there it removes itself.
 */
#ifndef SROSCOPE_TEST_TMPDIR_H
#define SROSCOPE_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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

#endif
