// SPDX-License-Identifier: GPL-2.0
/*
 * The event handlers of bpf/sroscope.bpf.c, driven in a loop inside the
 * kernel: each round is one REC's life as the SRO path traces it
 * (REC_CREATE: op_start, donate_req, 16 x alloc + delegate + donate,
 * donate_result, op_end; REC_DESTROY: op_start, 16 x reclaim + undelegate
 * + free, op_end: 102 events). The handlers are the very functions the
 * tracepoint programs run (BPF_PROG's bodies, included), so the cost
 * measured is theirs, with warm caches as in a burst of real events; only
 * the tracepoint's own dispatch is not in it.
 */
#include "../../bpf/sroscope.bpf.c"

#define BLOCKS		16
#define EVENTS_PER_ROUND (2 + 1 + 3 * BLOCKS + 1 + 1 + 3 * BLOCKS + 1)

/* One REC's life; each block's events run in a bpf_loop() callback of
 * their own, so the verifier walks the handlers once per call site, not
 * once per block (unrolled, the round exceeds its 1M-instruction budget
 * on 6.18).
 */
struct rec {
	__u64 op;
	__u64 pa;
	__u64 donation;
};

static long donate_block(__u64 i, void *data)
{
	struct rec *r = data;
	__u64 pa = r->pa + i * 4096;

	____sro_alloc(NULL, r->op, 7, pa, 4096, 0, 0, 0, 900, false);
	____sro_delegate(NULL, pa, 4096, 1, false, 0);
	____sro_donate(NULL, r->op, 7, pa, 4096, 0, 0, 0, r->donation + i);
	return 0;
}

static long reclaim_block(__u64 i, void *data)
{
	struct rec *r = data;
	__u64 pa = r->pa + i * 4096;

	____sro_reclaim(NULL, r->op, 7, pa, 4096, 0, 0, 0, r->donation + i);
	____sro_delegate(NULL, pa, 4096, 1, true, 0);
	____sro_free(NULL, r->op, 7, pa, 4096, 0, 2);
	return 0;
}

static long one_rec(__u64 round, void *data)
{
	struct rec r = {
		.op = 2 * round + 1,
		.pa = 0x100000000ULL + round * BLOCKS * 4096,
		.donation = round * BLOCKS + 1,
	};
	__u32 cmd = SRO_RMI_FID(0x15a);

	____sro_op_start(NULL, r.op, 7, cmd);
	____sro_donate_req(NULL, r.op, 7, 0x40, 0, BLOCKS, false, 0, BLOCKS * 4096);
	bpf_loop(BLOCKS, donate_block, &r, 0);
	____sro_donate_result(NULL, r.op, 7, BLOCKS, BLOCKS, BLOCKS, 0, 0);
	____sro_op_end(NULL, r.op, 7, cmd, 0, 2, false, 5000000);
	r.op++;
	cmd = SRO_RMI_FID(0x15b);
	____sro_op_start(NULL, r.op, 7, cmd);
	bpf_loop(BLOCKS, reclaim_block, &r, 0);
	____sro_op_end(NULL, r.op, 7, cmd, 0, 2, false, 3000000);
	return 0;
}

static long nothing(__u64 round, void *data)
{
	return 0;
}

const volatile __u32 rounds = 1000;
__u64 clock_sum;

SEC("raw_tp")
int bench_rec_lives(__u64 *ctx)
{
	__u64 unused = 0;

	/* The handlers do not read ctx: their arguments come unpacked. */
	bpf_loop(rounds, one_rec, &unused, 0);
	return 0;
}

SEC("raw_tp")
int bench_empty_loop(__u64 *ctx)
{
	__u64 unused = 0;

	bpf_loop(rounds, nothing, &unused, 0);
	return 0;
}

/*
 * The parts of a traced event on this host, measured beside it: one
 * clock read, one record of the ring buffer reserved and submitted (what
 * each record cost before batching), one record through the per-CPU
 * batch (the same number of iterations as events in the REC lives).
 */
static long read_clock(__u64 i, void *data)
{
	clock_sum += bpf_ktime_get_boot_ns();
	return 0;
}

static long ring_record(__u64 i, void *data)
{
	struct sro_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (e) {
		e->type = SRO_EV_DONATE;	/* counted by bpf_cost */
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	}
	return 0;
}

/* One record through this CPU's batch, sent SRO_BATCH at a time. */
static long batch_record(__u64 i, void *data)
{
	struct sro_batch *b = this_batch();
	struct sro_event *e;

	if (!b)
		return 1;
	e = batch_slot(b, SRO_EV_DONATE, i, 7);
	e->ts = i;
	event_submit();
	return 0;
}

SEC("raw_tp")
int bench_batch_record(__u64 *ctx)
{
	bpf_loop(rounds * EVENTS_PER_ROUND, batch_record, NULL, 0);
	return 0;
}

SEC("raw_tp")
int bench_clock(__u64 *ctx)
{
	bpf_loop(rounds * EVENTS_PER_ROUND, read_clock, NULL, 0);
	return 0;
}

SEC("raw_tp")
int bench_ring_record(__u64 *ctx)
{
	bpf_loop(rounds * EVENTS_PER_ROUND, ring_record, NULL, 0);
	return 0;
}

SEC("raw_tp")
int bench_empty_events(__u64 *ctx)
{
	bpf_loop(rounds * EVENTS_PER_ROUND, nothing, NULL, 0);
	return 0;
}
