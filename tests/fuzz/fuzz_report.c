// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: the report (user/lab/report.c) of any results file:
 * loaded and judged, then as text, JSON and HTML. It must report, or
 * refuse the file with an error, and never crash, abort in json-c, or
 * leak (ASan, UBSan).
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null_out;
	static int fd = -1;
	static char path[64];
	struct report r;
	char err[512];

	if (fd < 0) {
		fd = memfd_create("results.json", 0);
		null_out = fopen("/dev/null", "w");
		if (fd < 0 || !null_out)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	if (!report_load(&r, path, err, sizeof(err))) {
		report_print(null_out, &r);
		json_object_put(report_json(&r, 1));
		/* /dev/null, a character device: written directly. */
		if (report_write_html("/dev/null", &r, 1, err, sizeof(err)))
			abort();
	}
	report_free(&r);
	return 0;
}
