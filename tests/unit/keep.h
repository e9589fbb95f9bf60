/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a test produced through sroscope's own emitters, kept as a file
 * for tests/host/t-schemas.sh to validate against schemas/: with
 * SROSCOPE_KEEP_DIR set (make unit sets it to build/unit/keep), @data is
 * written to DIR/@prefix.N@suffix, N counting per process; without it,
 * nothing. The file name's prefix is the output's format
 * ("sroscope-leaks"), which names its schema.
 */
#ifndef SROSCOPE_TEST_KEEP_H
#define SROSCOPE_TEST_KEEP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline void keep_output(const char *prefix, const char *suffix,
			       const void *data, size_t len)
{
	static unsigned int n;
	const char *dir = getenv("SROSCOPE_KEEP_DIR");
	char p[4096];
	FILE *f;

	if (!dir || !*dir)
		return;
	snprintf(p, sizeof(p), "%s/%s.%d-%u%s", dir, prefix, (int)getpid(), n++, suffix);
	f = fopen(p, "w");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "keep_output: cannot write %s\n", p);
		abort();
	}
}

static inline void keep_json(const char *prefix, const char *text)
{
	keep_output(prefix, ".json", text, strlen(text));
}

#endif
