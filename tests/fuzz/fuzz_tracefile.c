// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: the trace-file reader (user/lib/tracefile.c) on any
 * bytes. It must return every intact event, then 0 or -1 with an error
 * message, and never read out of bounds, loop or leak (ASan, UBSan).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace_reader *r;
	struct sro_event e;
	size_t n = 0;
	int ret;

	r = fuzz_reader(data, size);
	if (!r)
		return 0;
	while ((ret = trace_reader_next(r, &e)) == 1) {
		/* Events are at most one per 2 bytes of input. */
		if (++n > size)
			abort();
		if (e.type == 0 || e.type >= SRO_EV_NR)
			abort();
	}
	if (ret == -1 && !trace_reader_error(r))
		abort();
	if (ret == 0 && !trace_reader_totals(r))
		abort();
	/* Once done, it stays done. */
	if (trace_reader_next(r, &e) != ret)
		abort();
	fuzz_reader_close(r);
	return 0;
}
