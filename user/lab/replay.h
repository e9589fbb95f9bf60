/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What one replay run did, from its sro events: requests served and
 * failed (by reason), allocation latency per request shape, bytes moved,
 * and a timeline; written as the JSON `sroscope report` reads
 * (docs/replay.md). Pure C and json-c: unit-tested on the host.
 */
#ifndef SROSCOPE_REPLAY_H
#define SROSCOPE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include <json-c/json.h>

#include "kstats.h"
#include "replay_plan.h"
#include "sroscope.h"

/* The events a replay run watches. */
#define REPLAY_EVENTS	(1U << SRO_EV_OP_START | 1U << SRO_EV_OP_END | \
			 1U << SRO_EV_DONATE_REQ | 1U << SRO_EV_ALLOC | \
			 1U << SRO_EV_ALLOC_FAIL | 1U << SRO_EV_DONATE | \
			 1U << SRO_EV_RECLAIM | 1U << SRO_EV_LEAK)

/* A request shape: the operation, its first request's size, contiguity. */
struct replay_shape {
	uint32_t cmd;
	uint64_t bytes;
	bool contig;
	uint64_t *ns;		/* allocation time of each such operation */
	size_t n, cap;
};

struct replay_op;

struct replay_stats {
	uint64_t requests, served, failed;
	uint64_t fail_reasons[SRO_FAIL_NR + 1];	/* last: op failed */
	uint64_t requested_bytes, donated_bytes, reclaimed_bytes;
	uint64_t given_up_bytes;
	uint64_t alloc_fails[SRO_SRC_NR];
	uint64_t allocs[SRO_SRC_NR];
	uint64_t fallbacks;
	uint64_t commands_failed;
	uint64_t emu_held_bytes;	/* ground truth after the run */
	double duration_ms;
	struct replay_shape *shapes;
	size_t nshapes;
	struct replay_op *ops;		/* running operations */
	size_t nops, cap_ops;
	/* timeline: one sample every stride steps, at most REPLAY_TIMELINE */
	double *t_ms;
	uint64_t *held, *idle, *fails;
	size_t nsamples, cap_samples;
	uint64_t steps, stride;
};

/*
 * The timeline's points at most: a long replay keeps every other sample
 * and samples half as often each time it has this many.
 */
#define REPLAY_TIMELINE	2048

void replay_stats_init(struct replay_stats *st);
void replay_stats_free(struct replay_stats *st);
/* Account one event of the run. */
void replay_account(struct replay_stats *st, const struct sro_event *e);
/* Is a timeline point due after this step? (Counts the step.) */
bool replay_sample_due(struct replay_stats *st);
/* A timeline point: bytes held by the RMM, bytes idle (replay_idle_bytes()). */
void replay_sample(struct replay_stats *st, double t_ms, uint64_t held,
		   uint64_t idle);
/*
 * Memory idle in @k, a run having started at @k0: the pool's free bytes
 * beyond those free at the start (the pool is a condition of every run,
 * so only what a policy grew it by and left unused counts), and the
 * kernel's cache of delegated granules.
 */
uint64_t replay_idle_bytes(const struct kstats *k0, const struct kstats *k);
/* Nearest-rank quantile of @n sorted values. */
uint64_t replay_quantile(const uint64_t *sorted, size_t n, double q);
/*
 * The run's results into @out: @k0/@k1 the kernel's counters before and
 * after, @orders/@norders free pages per order afterwards.
 */
void replay_results(struct replay_stats *st, struct json_object *out,
		    const struct kstats *k0, const struct kstats *k1,
		    const uint64_t *orders, int norders);
/*
 * The results format replay_header() writes (docs/replay.md). Version 1
 * counted the whole free pool as idle, and sized the pool for the policy
 * named pool alone; version 2 counted the kernel's whole cache of
 * delegated granules as idle; `sroscope report` reads all three.
 */
#define REPLAY_RESULTS_FORMAT	"sroscope-replay"
#define REPLAY_RESULTS_VERSION	3
/*
 * Is @top a results file of version 1 to 3 (docs/replay.md), every field
 * there with its type, numbers in range, at most REPLAY_MAX_RUNS runs?
 * 0, or -1 with @why naming the first bad field ("runs[1].shapes[0].ns:
 * an array expected, found a string").
 */
int replay_results_check(struct json_object *top, char *why, size_t len);
/*
 * The policies one replay may run, the rounds it may run them (each
 * policy once per round), and so the runs one results file may hold.
 */
#define REPLAY_MAX_POLICIES	8
#define REPLAY_MAX_ROUNDS	8
#define REPLAY_MAX_RUNS		(REPLAY_MAX_POLICIES * REPLAY_MAX_ROUNDS)

/* What replay's options accept (docs/replay.md). */
#define REPLAY_SPEED_MIN	0.001	/* -S: else 0, no waits */
#define REPLAY_SPEED_MAX	1e6
#define REPLAY_FRAGMENT_MAX_MB	(1ULL << 20)	/* -F: 1 TiB */
#define REPLAY_POOL_MAX		(1ULL << 40)	/* --pool: 1 TiB */
/* -S X: 0, or REPLAY_SPEED_MIN..REPLAY_SPEED_MAX; else -EINVAL. */
int replay_parse_speed(const char *s, double *speed);
/*
 * -p LIST: 1..REPLAY_MAX_POLICIES comma-separated policies, each a name or a
 * file as `sroscope policy load` takes it: not empty, no control
 * character, under 4096 bytes; else -EINVAL with @why saying what.
 */
int replay_check_policies(const char *list, char *why, size_t len);

/* The results file's header: what was replayed and how. */
struct json_object *replay_header(const struct plan *p, const char *trace,
				  uint64_t fragment_mb, uint64_t pool_bytes,
				  double speed);

#endif
