/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Running a replay where the emulated RMM is (the test VM): a plan
 * (replay_plan.h) replayed once per policy, each run from the same
 * condition, while the tracer watches; the host put back after each run,
 * on the way out after SIGINT or SIGTERM, and after a replay killed
 * before it could, by the next one (docs/replay.md, "Stopping a replay").
 */
#ifndef SROSCOPE_REPLAY_RUN_H
#define SROSCOPE_REPLAY_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "replay_plan.h"

/* The condition every run starts from, whatever its policy. */
struct replay_cond {
	uint64_t fragment_mb;	/* fragmented first; 0: fresh memory */
	unsigned int fragment_order;	/* 0: every other page; else harsh */
	uint64_t pool_bytes;	/* the pool's size */
	bool pool_delegated;	/* the pool's mode */
	double speed;		/* times the recorded pace; 0: no waits */
};

/* The emulated RMM's debugfs directory (test kernels only). */
#define REPLAY_EMU_DIR	"/sys/kernel/debug/rmm_emu"

/* Whether the emulated RMM is here to replay on. */
bool replay_emulator_here(void);

struct replay_host;

/*
 * Take the host for a replay: refuse if another replay holds it, put
 * back what a killed one left (and say so), note how the host is. NULL
 * after saying why.
 */
struct replay_host *replay_host_take(void);

/*
 * Replay @p under @policy (a name or a file, as policy_load() takes it)
 * from the condition @c; its results into @out (replay_results()). The
 * host is put back after it, whatever happened. -EINTR: stopped by
 * SIGINT or SIGTERM (handle_exit_signals()); other -errno said.
 */
int replay_run(struct replay_host *h, const struct plan *p, const char *policy,
	       const struct replay_cond *c, struct json_object *out);

/* The host given back: nothing is left to put back. */
void replay_host_release(struct replay_host *h);

#endif
