/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The fuzzer's input as a trace reader over a copy of exactly its bytes,
 * so ASan sees any overread. NULL if out of memory; close with
 * fuzz_reader_close().
 */
#ifndef SROSCOPE_FUZZ_INPUT_H
#define SROSCOPE_FUZZ_INPUT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tracefile.h"

static void *fuzz_copy;

static struct trace_reader *fuzz_reader(const uint8_t *data, size_t size)
{
	struct trace_reader *r;

	fuzz_copy = malloc(size ? size : 1);
	if (!fuzz_copy)
		return NULL;
	memcpy(fuzz_copy, data, size);
	r = trace_reader_open_mem(fuzz_copy, size);
	if (!r)
		free(fuzz_copy);
	return r;
}

static void fuzz_reader_close(struct trace_reader *r)
{
	trace_reader_close(r);
	free(fuzz_copy);
}

#endif
