// SPDX-License-Identifier: GPL-2.0
/*
 * The tracer's books (bpf/sroscope.bpf.c) driven natively: each program
 * below feeds the very handlers the tracepoint programs run (BPF_PROG's
 * bodies, included) one sequence of SRO events that the kernel can emit,
 * through BPF_PROG_TEST_RUN; tests/tracer/test_books.c then reads the
 * maps with sroscope's own snapshot code and checks every figure.
 */
#include "../../bpf/sroscope.bpf.c"

#define G		4096ULL		/* one granule */
#define B		0x80000000ULL	/* a block's address */
#define DESTROY		SRO_RMI_CMD(REALM_DESTROY)

/*
 * The RMM gives back a block's first half; the host donates that address
 * again, to another realm, while the second half is still out; then the
 * second half comes back and the first realm is destroyed. Keyed by
 * address, the second donation would hide the first one's rest.
 */
SEC("raw_tp")
int redonated_head(void *ctx)
{
	____sro_donate(ctx, 1, 5, B, 4 * G, 0, 0, 0, 1);
	____sro_reclaim(ctx, 2, 5, B, 2 * G, 0, 0, 0, 1);
	____sro_donate(ctx, 3, 6, B, 2 * G, 1, 0, 0, 2);
	____sro_reclaim(ctx, 4, 5, B + 2 * G, 2 * G, 0, 0, 0, 1);
	____sro_op_end(ctx, 4, 5, DESTROY, 0, 1, false, 1000);
	return 0;
}

/*
 * Pieces in any order: the middle, then both ends of a block; a range
 * merged across two blocks comes as one piece per block. Realm 7 is
 * destroyed keeping one granule of its second block.
 */
SEC("raw_tp")
int pieces(void *ctx)
{
	____sro_donate(ctx, 1, 7, B, 4 * G, 0, 0, 0, 10);
	____sro_donate(ctx, 1, 7, B + 4 * G, 2 * G, 0, 0, 0, 11);
	____sro_reclaim(ctx, 2, 7, B + G, 2 * G, 0, 0, 0, 10);
	____sro_reclaim(ctx, 2, 7, B, G, 0, 0, 0, 10);
	____sro_reclaim(ctx, 2, 7, B + 3 * G, G, 0, 0, 0, 10);
	____sro_reclaim(ctx, 2, 7, B + 4 * G, G, 0, 0, 0, 11);
	____sro_op_end(ctx, 2, 7, DESTROY, 0, 1, false, 1000);
	return 0;
}

/* A reclaim of a donation made before the tracer started: not guessed. */
SEC("raw_tp")
int unknown(void *ctx)
{
	____sro_donate(ctx, 1, 8, B, G, 0, 0, 0, 20);
	____sro_reclaim(ctx, 2, 8, B + G, G, 0, 0, 0, 19);
	return 0;
}

/*
 * A ring of 4 slots (test_books sets it): donation 1 is still out when
 * donation 5 wants its slot, so 5 goes to the hash; 9 finds the slot
 * free again once 1 is back. Each reclaim finds its donation.
 */
SEC("raw_tp")
int ring_overflow(void *ctx)
{
	____sro_op_start(ctx, 1, 9, 0);
	____sro_donate(ctx, 1, 9, B, G, 0, 0, 0, 1);
	____sro_donate(ctx, 1, 9, B + G, 2 * G, 0, 0, 0, 5);
	____sro_reclaim(ctx, 1, 9, B, G, 0, 0, 0, 1);
	____sro_donate(ctx, 1, 9, B + 3 * G, 4 * G, 0, 0, 0, 9);
	____sro_reclaim(ctx, 1, 9, B + 3 * G, G, 0, 0, 0, 9);
	return 0;
}

/*
 * One operation of realm 10 with events of realm 11 in it: the slot the
 * op keeps is realm 10's, and realm 11's books stay its own.
 */
SEC("raw_tp")
int other_realm_in_op(void *ctx)
{
	____sro_op_start(ctx, 7, 10, 0);
	____sro_donate(ctx, 7, 10, B, G, 0, 0, 0, 30);
	____sro_donate(ctx, 7, 11, B + G, 2 * G, 1, 0, 0, 31);
	____sro_donate(ctx, 7, 10, B + 3 * G, 4 * G, 0, 0, 0, 32);
	____sro_reclaim(ctx, 8, 10, B + G, 2 * G, 1, 0, 0, 31);
	return 0;
}

/*
 * One donation each to more realms than the tracer has slots for (ctx
 * unused: no stacks).
 */
static long donate_to(__u64 i, void *unused)
{
	____sro_donate(NULL, 0, 100 + i, B + i * G, G, 0, 0, 0, 1000 + i);
	return 0;
}

SEC("raw_tp")
int realms_full(void *ctx)
{
	bpf_loop(SRO_REALM_SLOTS + 2, donate_to, NULL, 0);
	return 0;
}

/*
 * The books' times: donations of a running operation are dated by its
 * start, one outside any known operation (op 0, op 12 never started) by
 * the clock.
 */
SEC("raw_tp")
int times_per_op(void *ctx)
{
	____sro_op_start(ctx, 11, 12, 0);
	____sro_donate(ctx, 11, 12, B, G, 0, 0, 0, 40);
	____sro_donate(ctx, 0, 12, B + G, G, 0, 0, 0, 41);
	____sro_donate(ctx, 12, 12, B + 2 * G, G, 0, 0, 0, 42);
	return 0;
}

/*
 * Records (test_books sets emit_mask): an operation of 43 events, more
 * than a batch; its records go out when the batch is full and at its end.
 */
static long donate_one(__u64 i, void *unused)
{
	____sro_donate(NULL, 20, 13, B + i * G, G, 0, 0, 0, 50 + i);
	return 0;
}

SEC("raw_tp")
int traced_op(void *ctx)
{
	____sro_op_start(ctx, 20, 13, 0);
	____sro_donate_req(ctx, 20, 13, 0x40, 0, 40, false, 0, 40 * G);
	bpf_loop(40, donate_one, NULL, 0);
	____sro_op_end(ctx, 20, 13, 0, 0, 1, false, 1000);
	return 0;
}

/* Five donations outside any operation: they wait in the batch. */
static long donate_host(__u64 i, void *unused)
{
	____sro_donate(NULL, 0, 14, B + i * G, G, 0, 0, 0, 0);
	return 0;
}

SEC("raw_tp")
int traced_open(void *ctx)
{
	bpf_loop(5, donate_host, NULL, 0);
	return 0;
}
