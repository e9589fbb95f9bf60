// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: sroscope report (user/cmd/cmd_report.c) on any results
 * file, text and HTML output. It must report, or refuse the file with an
 * error, and never crash, abort in json-c, or leak (ASan, UBSan).
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

int cmd_report(int argc, char **argv);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null_out;
	static int fd = -1;
	static char path[64];
	char *argv[] = { "report", path, "--html", "/dev/null", NULL };
	FILE *out = stdout, *err = stderr;

	if (fd < 0) {
		fd = memfd_create("results.json", 0);
		null_out = fopen("/dev/null", "w");
		if (fd < 0 || !null_out)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	/* Its tables and messages to /dev/null; sanitizer reports still show. */
	stdout = null_out;
	stderr = null_out;
	cmd_report(4, argv);
	stdout = out;
	stderr = err;
	return 0;
}
