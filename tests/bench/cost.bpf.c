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

static long one_rec(__u64 round, void *data)
{
	__u64 op = 2 * round + 1, pa = 0x100000000ULL + round * BLOCKS * 4096;
	__u32 cmd = SRO_RMI_FID(0x15a), i;
	__u64 *ctx = data;

	____sro_op_start(ctx, op, 7, cmd);
	____sro_donate_req(ctx, op, 7, 0x40, 0, BLOCKS, false, 0, BLOCKS * 4096);
	for (i = 0; i < BLOCKS; i++) {
		____sro_alloc(ctx, op, 7, pa + i * 4096, 4096, 0, 0, 0, 900, false);
		____sro_delegate(ctx, pa + i * 4096, 4096, 1, false, 0);
		____sro_donate(ctx, op, 7, pa + i * 4096, 4096, 0, 0, 0,
			       round * BLOCKS + i + 1);
	}
	____sro_donate_result(ctx, op, 7, BLOCKS, BLOCKS, BLOCKS, 0, 0);
	____sro_op_end(ctx, op, 7, cmd, 0, 2, false, 5000000);
	op++;
	cmd = SRO_RMI_FID(0x15b);
	____sro_op_start(ctx, op, 7, cmd);
	for (i = 0; i < BLOCKS; i++) {
		____sro_reclaim(ctx, op, 7, pa + i * 4096, 4096, 0, 0, 0,
				round * BLOCKS + i + 1);
		____sro_delegate(ctx, pa + i * 4096, 4096, 1, true, 0);
		____sro_free(ctx, op, 7, pa + i * 4096, 4096, 0, 2);
	}
	____sro_op_end(ctx, op, 7, cmd, 0, 2, false, 3000000);
	return 0;
}

static long nothing(__u64 round, void *data)
{
	return 0;
}

const volatile __u32 rounds = 1000;

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
