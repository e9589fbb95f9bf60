// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: the replay plan builder (user/lab/replay_plan.c) on any
 * trace the reader takes. Whatever the sizes, counts and addresses, it
 * must build a plan or say why, in time linear-ish in the input (the
 * fuzzer's -timeout), and never read out of bounds or leak (ASan, UBSan).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_input.h"
#include "replay_plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace_reader *r;
	const char *err = NULL;
	uint64_t leaks = 0;
	struct plan p;
	char cmd[128];
	size_t i;

	r = fuzz_reader(data, size);
	if (!r)
		return 0;
	if (plan_from_reader(r, &p, &err)) {
		if (!err)
			abort();
	} else {
		/* An event makes at most two steps (a realm, an operation). */
		if (!p.nsteps || p.nsteps > size || p.nrealms > PLAN_MAX_REALMS)
			abort();
		for (i = 0; i < p.nsteps; i++) {
			if (p.steps[i].kind >= PLAN_KIND_MAX)
				abort();
			if (plan_command(&p.steps[i], 1, cmd, sizeof(cmd)) >= (int)sizeof(cmd))
				abort();
			leaks += p.steps[i].leak;
		}
		/* Only donations are kept: each is a record of 4 bytes or more. */
		if (leaks > size / 4)
			abort();
		plan_free(&p);
	}
	fuzz_reader_close(r);
	return 0;
}
