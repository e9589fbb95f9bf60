// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Replay plans (user/lab/replay_plan.c) of the reference workloads, and the
 * replay's accounting (user/lab/replay.c) on made-up events.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "replay.h"
#include "replay_plan.h"
#include "tmpdir.h"

static size_t count(const struct plan *p, unsigned int kind)
{
	size_t i, n = 0;

	for (i = 0; i < p->nsteps; i++)
		n += p->steps[i].kind == kind;
	return n;
}

static uint32_t sum_leak(const struct plan *p, uint32_t realm)
{
	uint32_t n = 0;
	size_t i;

	for (i = 0; i < p->nsteps; i++)
		if (p->steps[i].realm == realm)
			n += p->steps[i].leak;
	return n;
}

/* leaky: 3 realms, each with 2 RECs and a 4-granule device, keeping 3. */
static void test_leaky(void **state)
{
	const char *err = NULL;
	struct plan p;
	char cmd[64];

	assert_int_equal(plan_build("examples/workloads/leaky.srotrace", &p, &err), 0);
	assert_int_equal(p.nrealms, 3);
	assert_int_equal(count(&p, PLAN_REALM_CREATE), 3);
	assert_int_equal(count(&p, PLAN_REALM_DESTROY), 3);
	assert_int_equal(count(&p, PLAN_REC_CREATE), 6);
	assert_int_equal(count(&p, PLAN_PDEV_CREATE), 3);
	assert_int_equal(p.requests, 9);
	assert_int_equal(p.donated_bytes - p.reclaimed_bytes, 9 * 4096);
	assert_int_equal(sum_leak(&p, 10), 3);
	assert_int_equal(sum_leak(&p, 11), 3);
	assert_int_equal(sum_leak(&p, 12), 3);
	/* The refused undelegations are armed once, 2 granules. */
	{
		uint32_t refused = 0;
		size_t i;

		for (i = 0; i < p.nsteps; i++)
			refused += p.steps[i].fault[SRO_FAULT_UNDELEGATE];
		assert_int_equal(refused, 2);
	}
	/* Steps are in time order and start with the realm's creation. */
	assert_int_equal(p.steps[0].kind, PLAN_REALM_CREATE);
	plan_command(&p.steps[3], 5, cmd, sizeof(cmd));
	assert_string_equal(cmd, "pdev_create 5 4");
	plan_free(&p);
}

/* smmu: stream tables replay by SID bits, 2 MiB -> 24. */
static void test_smmu(void **state)
{
	const char *err = NULL;
	struct plan p;
	size_t i;

	assert_int_equal(plan_build("examples/workloads/smmu.srotrace", &p, &err), 0);
	assert_int_equal(count(&p, PLAN_SMMU_ACTIVATE), 8);
	for (i = 0; i < p.nsteps; i++)
		if (p.steps[i].kind == PLAN_SMMU_ACTIVATE)
			assert_int_equal(p.steps[i].arg, 24);
	assert_int_equal(count(&p, PLAN_HUGE), 8);
	plan_free(&p);
}

static void test_bad_files(void **state)
{
	const char *err = NULL;
	struct plan p;

	assert_int_equal(plan_build("/nonexistent.srotrace", &p, &err), -1);
	assert_non_null(strstr(err, "/nonexistent.srotrace"));
	assert_int_equal(plan_build("README.md", &p, &err), -1);
	assert_non_null(err);
}

/* Hostile traces: made with the writer, each must plan at once. */
#define REC_CREATE	0xC400015aU
#define REALM_DESTROY	0xC4000159U
#define PDEV_CREATE	0xC4000176U

static struct trace_writer *hostile_open(void)
{
	const struct trace_info info = { .kernel = "test", .host = "test" };
	struct trace_writer *w;

	unlink(path);
	w = trace_writer_open(path, &info, 0);
	assert_non_null(w);
	return w;
}

static uint64_t now_ts;

static void put(struct trace_writer *w, unsigned int type, uint64_t op,
		uint32_t realm, uint32_t cmd, uint64_t addr, uint64_t size)
{
	struct sro_event e = { .type = type, .ts = ++now_ts, .op = op,
			       .realm = realm, .cmd = cmd, .addr = addr,
			       .size = size };

	if (type == SRO_EV_DONATE_REQ)
		e.count = size / 4096;
	assert_int_equal(trace_writer_add(w, &e), 0);
}

/* An operation of @realm donating @n blocks of 4 KiB from @pa. */
static void donating_op(struct trace_writer *w, uint64_t op, uint32_t realm,
			uint32_t cmd, uint64_t pa, unsigned int n)
{
	unsigned int i;

	put(w, SRO_EV_OP_START, op, realm, cmd, 0, 0);
	put(w, SRO_EV_DONATE_REQ, op, realm, cmd, 0, n * 4096ULL);
	for (i = 0; i < n; i++)
		put(w, SRO_EV_DONATE, op, realm, cmd, pa + i * 4096ULL, 4096);
	put(w, SRO_EV_OP_END, op, realm, cmd, 0, 0);
}

/*
 * The plan of the trace at path, within @secs seconds: the builder used
 * to walk a reclaim granule by granule and every block per destroy; a
 * timeout (SIGALRM) fails the test instead of hanging it.
 */
static void plan_in_time(struct plan *p, unsigned int secs)
{
	const char *err = NULL;

	alarm(secs);
	if (plan_build(path, p, &err))
		fail_msg("%s", err);
	alarm(0);
}

/* A reclaim of 2^64 - 4096 bytes (a valid trace of 318 bytes). */
static void test_huge_reclaim(void **state)
{
	struct trace_writer *w = hostile_open();
	struct plan p;

	donating_op(w, 1, 7, REC_CREATE, 0x10000, 2);
	put(w, SRO_EV_RECLAIM, 2, 7, REC_CREATE, 0, UINT64_MAX - 4095);
	/* At the top of the address space, and past it. */
	donating_op(w, 3, 7, REC_CREATE, UINT64_MAX - 4095, 1);
	put(w, SRO_EV_RECLAIM, 4, 7, REC_CREATE, UINT64_MAX - 8191,
	    UINT64_MAX - 4095);
	put(w, SRO_EV_OP_START, 5, 7, REALM_DESTROY, 0, 0);
	put(w, SRO_EV_OP_END, 5, 7, REALM_DESTROY, 0, 0);
	assert_int_equal(trace_writer_close(w, NULL), 0);
	plan_in_time(&p, 5);
	assert_int_equal(p.nsteps, 4);	/* create, 2 RECs, destroy */
	assert_int_equal(p.reclaimed_bytes, 2 * (UINT64_MAX - 4095));
	/* Everything donated came back: nothing kept at the destroy. */
	assert_int_equal(sum_leak(&p, 7), 0);
	plan_free(&p);
}

/*
 * Reclaims follow donations by address whatever their size: one range
 * over adjacent donations gives them all back, a block never given back
 * is kept, and armed before the step that gave back the rest of its
 * donation.
 */
static void test_reclaim_ranges(void **state)
{
	struct trace_writer *w = hostile_open();
	struct plan p;

	donating_op(w, 1, 7, PDEV_CREATE, 0x100000, 4);
	donating_op(w, 2, 7, PDEV_CREATE, 0x200000, 3);
	/* The first device: all four in one range; the second: two of three. */
	put(w, SRO_EV_OP_START, 3, 7, PDEV_CREATE + 1, 0, 0);
	put(w, SRO_EV_RECLAIM, 3, 7, PDEV_CREATE + 1, 0x100000, 4 * 4096);
	put(w, SRO_EV_OP_END, 3, 7, PDEV_CREATE + 1, 0, 0);
	put(w, SRO_EV_OP_START, 4, 7, PDEV_CREATE + 1, 0, 0);
	put(w, SRO_EV_RECLAIM, 4, 7, PDEV_CREATE + 1, 0x201000, 2 * 4096);
	/* Nothing there: no effect. */
	put(w, SRO_EV_RECLAIM, 4, 7, PDEV_CREATE + 1, 0x900000, 1ULL << 40);
	put(w, SRO_EV_OP_END, 4, 7, PDEV_CREATE + 1, 0, 0);
	put(w, SRO_EV_OP_START, 5, 7, REALM_DESTROY, 0, 0);
	put(w, SRO_EV_OP_END, 5, 7, REALM_DESTROY, 0, 0);
	assert_int_equal(trace_writer_close(w, NULL), 0);
	plan_in_time(&p, 5);
	assert_int_equal(p.nsteps, 6);
	assert_int_equal(p.steps[3].kind, PLAN_PDEV_DESTROY);
	assert_int_equal(p.steps[4].kind, PLAN_PDEV_DESTROY);
	/* The block of 0x200000 kept, armed before the second destroy. */
	assert_int_equal(p.steps[3].leak, 0);
	assert_int_equal(p.steps[4].leak, 1);
	assert_int_equal(p.steps[5].leak, 0);
	plan_free(&p);
}

/* An event with the fields put() does not set. */
static void put_ev(struct trace_writer *w, struct sro_event e)
{
	e.ts = ++now_ts;
	assert_int_equal(trace_writer_add(w, &e), 0);
}

/*
 * What the RMM did on its own, recorded as the emulator's faults make it
 * (tests/vm/t-96-replay.sh records them for real): armed before the step
 * it happened in, and nowhere else.
 */
static void test_faults(void **state)
{
	struct trace_writer *w = hostile_open();
	unsigned int i, f;
	struct plan p;

	/* 0: a REC whose create failed, keeping every other block. */
	put(w, SRO_EV_OP_START, 1, 7, REC_CREATE, 0, 0);
	put(w, SRO_EV_DONATE_REQ, 1, 7, REC_CREATE, 0, 4 * 4096);
	for (i = 0; i < 4; i++)
		put(w, SRO_EV_DONATE, 1, 7, REC_CREATE, 0x10000 + i * 4096ULL, 4096);
	put(w, SRO_EV_RECLAIM, 1, 7, REC_CREATE, 0x11000, 4096);
	put(w, SRO_EV_RECLAIM, 1, 7, REC_CREATE, 0x13000, 4096);
	put_ev(w, (struct sro_event){ .type = SRO_EV_OP_END, .op = 1,
	       .realm = 7, .cmd = REC_CREATE, .status = 1 });
	/* 1: a device whose create failed, giving everything back. */
	put(w, SRO_EV_OP_START, 2, 7, PDEV_CREATE, 0, 0);
	put(w, SRO_EV_DONATE_REQ, 2, 7, PDEV_CREATE, 0, 4096);
	put(w, SRO_EV_DONATE, 2, 7, PDEV_CREATE, 0x20000, 4096);
	put(w, SRO_EV_RECLAIM, 2, 7, PDEV_CREATE, 0x20000, 4096);
	put_ev(w, (struct sro_event){ .type = SRO_EV_OP_END, .op = 2,
	       .realm = 7, .cmd = PDEV_CREATE, .status = 1 });
	/* 2: a REC taken in part (6 of 16), then nothing, then all. */
	put(w, SRO_EV_OP_START, 3, 7, REC_CREATE, 0, 0);
	put(w, SRO_EV_DONATE_REQ, 3, 7, REC_CREATE, 0, 16 * 4096);
	put_ev(w, (struct sro_event){ .type = SRO_EV_DONATE_RESULT, .op = 3,
	       .realm = 7, .cmd = REC_CREATE, .size = 16, .aux = 6 });
	put_ev(w, (struct sro_event){ .type = SRO_EV_DONATE_RESULT, .op = 3,
	       .realm = 7, .cmd = REC_CREATE, .size = 10, .aux = 0 });
	put_ev(w, (struct sro_event){ .type = SRO_EV_FAIL, .op = 3,
	       .realm = 7, .cmd = REC_CREATE, .status = SRO_FAIL_DELEGATE });
	for (i = 0; i < 16; i++)
		put(w, SRO_EV_DONATE, 3, 7, REC_CREATE, 0x30000 + i * 4096ULL, 4096);
	put_ev(w, (struct sro_event){ .type = SRO_EV_DONATE_RESULT, .op = 3,
	       .realm = 7, .cmd = REC_CREATE, .size = 10, .aux = 10 });
	put(w, SRO_EV_OP_END, 3, 7, REC_CREATE, 0, 0);
	/* 3: its destroy keeps the last block for a racing operation... */
	put(w, SRO_EV_OP_START, 4, 7, REC_CREATE + 1, 0, 0);
	put(w, SRO_EV_RECLAIM, 4, 7, REC_CREATE + 1, 0x30000, 15 * 4096);
	put(w, SRO_EV_OP_END, 4, 7, REC_CREATE + 1, 0, 0);
	/* 4: ...which the realm's destroy gives back, with the failed one's. */
	put(w, SRO_EV_OP_START, 5, 7, REALM_DESTROY, 0, 0);
	put(w, SRO_EV_RECLAIM, 5, 7, REALM_DESTROY, 0x3f000, 4096);
	put(w, SRO_EV_RECLAIM, 5, 7, REALM_DESTROY, 0x10000, 4096);
	put(w, SRO_EV_RECLAIM, 5, 7, REALM_DESTROY, 0x12000, 4096);
	put(w, SRO_EV_OP_END, 5, 7, REALM_DESTROY, 0, 0);
	assert_int_equal(trace_writer_close(w, NULL), 0);
	plan_in_time(&p, 5);
	assert_int_equal(p.nsteps, 6);	/* realm, 2 creates, REC, destroy, realm */
	assert_int_equal(p.requests, 3);
	assert_int_equal(p.failed, 2);
	{
		const unsigned int want[6][SRO_FAULT_NR] = {
			[1] = { [SRO_FAULT_FAIL_KEEP] = 1 },
			[2] = { [SRO_FAULT_FAIL_LATE] = 1 },
			[3] = { [SRO_FAULT_PARTIAL] = 1, [SRO_FAULT_ZERO] = 1,
				[SRO_FAULT_DELEGATE] = 1 },
			[4] = { [SRO_FAULT_RACING_KEEP] = 1 },
		};

		for (i = 0; i < 6; i++)
			for (f = 0; f < SRO_FAULT_NR; f++)
				if (p.steps[i].fault[f] != want[i][f])
					fail_msg("step %u (%s): fault %s %u, want %u",
						 i, plan_kind_name(p.steps[i].kind),
						 sro_fault_name(f), p.steps[i].fault[f],
						 want[i][f]);
	}
	assert_true(plan_step_fails(&p.steps[1]));
	assert_true(plan_step_fails(&p.steps[2]));
	assert_false(plan_step_fails(&p.steps[3]));
	assert_false(plan_step_armed(&p.steps[5]));
	/* Nothing kept for good: every block came back. */
	assert_int_equal(sum_leak(&p, 7), 0);
	plan_free(&p);
}

#define MANY	100000

/*
 * Operations never ended, realms destroyed again and again with blocks
 * out, blocks kept by the thousand: each used to cost a walk of
 * everything seen so far (minutes); now the whole trace plans at once.
 */
static void test_many(void **state)
{
	struct trace_writer *w = hostile_open();
	struct plan p;
	unsigned int i;

	for (i = 1; i <= MANY; i++)
		put(w, SRO_EV_OP_START, i, 7, PDEV_CREATE, 0, 0);
	for (i = 1; i <= MANY; i++)
		put(w, SRO_EV_DONATE, i, 7, PDEV_CREATE, 4096ULL * i, 4096);
	for (i = 1; i <= MANY; i++)
		put(w, SRO_EV_RECLAIM, i, 7, PDEV_CREATE, 0, 1ULL << 50);
	for (i = 1; i <= MANY; i++)
		put(w, SRO_EV_DONATE, i, 7, PDEV_CREATE, 1ULL << 40 | 4096ULL * i, 4096);
	for (i = 1; i <= MANY / 10; i++) {
		put(w, SRO_EV_OP_START, MANY + i, 7, REALM_DESTROY, 0, 0);
		put(w, SRO_EV_OP_END, MANY + i, 7, REALM_DESTROY, 0, 0);
	}
	assert_int_equal(trace_writer_close(w, NULL), 0);
	plan_in_time(&p, 10);
	assert_int_equal(count(&p, PLAN_REALM_DESTROY), MANY / 10);
	/* Every block of the second round kept, at the first destroy. */
	assert_int_equal(sum_leak(&p, 7), MANY);
	assert_int_equal(p.steps[1].kind, PLAN_REALM_DESTROY);
	assert_int_equal(p.steps[1].leak, MANY);
	plan_free(&p);
}

static void ev(struct replay_stats *st, unsigned int type, uint64_t op,
	       uint64_t size, int status, uint64_t ns)
{
	struct sro_event e = { .type = type, .op = op, .size = size,
			       .status = status, .ns = ns, .cmd = 0xC400017A,
			       .count = 1 };

	replay_account(st, &e);
}

/* Requests are served or failed, by reason; shapes keep each latency. */
static void test_accounting(void **state)
{
	struct replay_stats st;
	uint64_t v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

	replay_stats_init(&st);
	ev(&st, SRO_EV_OP_START, 1, 0, 0, 0);
	ev(&st, SRO_EV_DONATE_REQ, 1, 8192, 0, 0);
	ev(&st, SRO_EV_ALLOC, 1, 4096, 0, 100);
	ev(&st, SRO_EV_ALLOC, 1, 4096, 0, 50);
	ev(&st, SRO_EV_OP_END, 1, 0, 0, 0);
	ev(&st, SRO_EV_OP_START, 2, 0, 0, 0);
	ev(&st, SRO_EV_DONATE_REQ, 2, 8192, 0, 0);
	ev(&st, SRO_EV_ALLOC_FAIL, 2, 4096, SRO_FAIL_NOMEM, 30);
	ev(&st, SRO_EV_OP_END, 2, 0, -12, 0);
	ev(&st, SRO_EV_OP_START, 3, 0, 0, 0);
	ev(&st, SRO_EV_DONATE_REQ, 3, 4096, 0, 0);	/* never ends */
	assert_int_equal(st.requests, 3);
	assert_int_equal(st.served, 1);
	assert_int_equal(st.failed, 1);
	assert_int_equal(st.fail_reasons[SRO_FAIL_NOMEM], 1);
	assert_int_equal(st.nshapes, 1);
	assert_int_equal(st.shapes[0].n, 1);
	assert_int_equal(st.shapes[0].ns[0], 150);
	{
		struct kstats k = {};
		struct json_object *o = json_object_new_object(), *x;

		replay_results(&st, o, &k, &k, v, 3);
		assert_true(json_object_object_get_ex(o, "failed", &x));
		assert_int_equal(json_object_get_uint64(x), 2);	/* op 3 cut off */
		json_object_put(o);
	}
	{
		/* Idle: the pool's free bytes beyond the run's start, and the cache. */
		struct kstats k0 = { .pool_free_bytes = 16 << 20 };
		struct kstats k1 = { .pool_free_bytes = 20 << 20, .cached_bytes = 4096 };
		struct json_object *o = json_object_new_object(), *x;

		assert_int_equal(replay_idle_bytes(&k0, &k1), (4 << 20) + 4096);
		k1.pool_free_bytes = 12 << 20;	/* pool blocks held at the end */
		assert_int_equal(replay_idle_bytes(&k0, &k1), 4096);
		/* A cache the run found is not its idle memory. */
		k0.cached_bytes = 4096;
		assert_int_equal(replay_idle_bytes(&k0, &k1), 0);
		k1.cached_bytes = 3 * 4096;
		assert_int_equal(replay_idle_bytes(&k0, &k1), 2 * 4096);
		k0.cached_bytes = 0;
		k1.cached_bytes = 4096;
		k1.pool_free_bytes = 18 << 20;
		replay_results(&st, o, &k0, &k1, v, 3);
		assert_true(json_object_object_get_ex(o, "idle", &x));
		assert_true(json_object_object_get_ex(x, "pool_free_bytes", &x));
		assert_int_equal(json_object_get_uint64(x), 2 << 20);
		json_object_put(o);
	}
	assert_int_equal(replay_quantile(v, 10, 0.5), 5);
	assert_int_equal(replay_quantile(v, 10, 0.99), 10);
	assert_int_equal(replay_quantile(v, 1, 0.99), 1);
	assert_int_equal(replay_quantile(v, 0, 0.5), 0);
	replay_stats_free(&st);
}

/*
 * A long replay's timeline stays within REPLAY_TIMELINE points, evenly
 * spaced, from its first step on.
 */
static void test_timeline(void **state)
{
	struct replay_stats st;
	uint64_t step;
	size_t i;

	replay_stats_init(&st);
	for (step = 0; step < 100 * REPLAY_TIMELINE; step++)
		if (replay_sample_due(&st))
			replay_sample(&st, step, step, 0);
	assert_true(st.nsamples <= REPLAY_TIMELINE);
	assert_true(st.nsamples >= REPLAY_TIMELINE / 2);
	assert_true(st.t_ms[0] == 0);
	for (i = 1; i < st.nsamples; i++)
		assert_true(st.t_ms[i] - st.t_ms[i - 1] == st.stride);
	assert_int_equal(st.held[st.nsamples - 1], (uint64_t)st.t_ms[st.nsamples - 1]);
	replay_stats_free(&st);
}

/* @len bytes of workload @name, possibly one flipped, as the file at path. */
static void cut_copy(const char *name, long len, long flip)
{
	char src[128];
	FILE *in, *out;
	long i;
	int c;

	snprintf(src, sizeof(src), "examples/workloads/%s.srotrace", name);
	in = fopen(src, "rb");
	out = fopen(path, "wb");
	assert_non_null(in);
	assert_non_null(out);
	for (i = 0; (len < 0 || i < len) && (c = getc(in)) != EOF; i++)
		putc(i == flip ? c ^ 0xff : c, out);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/*
 * A recording cut short (its recorder killed before the trailer, or a
 * copy cut mid-block) plans the events of its intact blocks and says it
 * was cut; a damaged block is still refused.
 */
static void test_truncated(void **state)
{
	struct plan full, p;
	const char *err = NULL;
	size_t i;

	cut_copy("leaky", -1, -1);
	assert_int_equal(plan_build(path, &full, &err), 0);
	assert_string_equal(full.truncated, "");
	/* No trailer (88 bytes), then the trailer cut in its middle. */
	for (i = 0; i < 2; i++) {
		cut_copy("leaky", 14340 - (i ? 40 : 88), -1);
		if (plan_build(path, &p, &err))
			fail_msg("%s", err);
		assert_non_null(strstr(p.truncated, i ? "truncated: block of 72 bytes has 32" :
				       "offset 14252: truncated: no trailer"));
		assert_int_equal(p.events, full.events);
		assert_int_equal(p.nsteps, full.nsteps);
		assert_int_equal(sum_leak(&p, 10) + sum_leak(&p, 11) + sum_leak(&p, 12), 9);
		plan_free(&p);
	}
	plan_free(&full);
	/* churn cut in its third block: the first two (3495 events) plan. */
	cut_copy("churn", 70000, -1);
	if (plan_build(path, &p, &err))
		fail_msg("%s", err);
	assert_non_null(strstr(p.truncated, "offset 65750: truncated: block of 27726 bytes has"));
	assert_int_equal(p.events, 3495);
	assert_true(p.nsteps > 0);
	plan_free(&p);
	/* A damaged block is not a cut. */
	cut_copy("churn", 70000, 1000);
	assert_int_equal(plan_build(path, &p, &err), -1);
	assert_non_null(strstr(err, "CRC mismatch"));
}

/* replay -S and -p take what they say and nothing else. */
static void test_options(void **state)
{
	static const char *const good[] = { "0", "10", "0.5", "1e3", "0.001", "1000000" };
	static const double want[] = { 0, 10, 0.5, 1000, 0.001, 1e6 };
	static const char *const bad[] = {
		"nan", "NaN", "inf", "infinity", "-1", "-0", "", " 1", "1e400",
		"0.0001", "1000001", "1x", "0x10", "1,5", "1e-400",
	};
	static const char *const lists[] = {
		"exact", "exact,contig,pool,adaptive", "a,b,c,d,e,f,g,h", "my_policy-2",
		"docs/examples/contigpool.bpf.o,exact", "/tmp/a b.bpf.o",
	};
	static const char *const bad_lists[] = {
		"", ",", "exact,", ",exact", "exact,,pool", "a,b,c,d,e,f,g,h,i",
		"exact\npool", "\x1b[2J",
	};
	char why[128];
	double v;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(*good); i++) {
		v = -1;
		assert_int_equal(replay_parse_speed(good[i], &v), 0);
		assert_true(v == want[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		print_message("-S '%s'\n", bad[i]);
		assert_int_equal(replay_parse_speed(bad[i], &v), -EINVAL);
	}
	for (i = 0; i < sizeof(lists) / sizeof(*lists); i++)
		assert_int_equal(replay_check_policies(lists[i], why, sizeof(why)), 0);
	for (i = 0; i < sizeof(bad_lists) / sizeof(*bad_lists); i++) {
		why[0] = '\0';
		print_message("-p '%s'\n", bad_lists[i]);
		assert_int_equal(replay_check_policies(bad_lists[i], why, sizeof(why)), -EINVAL);
		assert_true(why[0]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaky),
		cmocka_unit_test(test_smmu),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_accounting),
		cmocka_unit_test(test_huge_reclaim),
		cmocka_unit_test(test_reclaim_ranges),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_truncated),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
