/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the sroscope BPF programs (bpf/sroscope.bpf.c) and the sroscope
 * command (user/) share: the event record of the ring buffer and the trace
 * file and the values of the BPF maps (the enums and names of the "sro"
 * trace events, docs/tracepoints.md, are in sro_vocab.h). Included by BPF
 * code after vmlinux.h and by user code after <linux/types.h>.
 */
#ifndef SROSCOPE_H
#define SROSCOPE_H

#include "sro_vocab.h"

#define SRO_GRANULE_SIZE	4096ULL

/* sro_event.flags */
#define SRO_F_CONTIG		(1U << 0)	/* donate_req */
#define SRO_F_FALLBACK		(1U << 1)	/* alloc */
#define SRO_F_CANCELLED		(1U << 2)	/* op_end */
#define SRO_F_UNDELEGATE	(1U << 3)	/* delegate */
#define SRO_F_UNKNOWN		(1U << 4)	/* reclaim of a donation not seen */
#define SRO_F_ALL		0x1f

/*
 * One trace event, as the ring buffer delivers it and the trace file keeps
 * it. Fields an event does not have are zero; what the generic ones mean
 * per event:
 *
 *   addr   pa (alloc, donate, reclaim, free, leak, delegate),
 *          req (donate_req), arg (fail)
 *   size   bytes (donate_req, alloc, alloc_fail, donate, reclaim, free,
 *          leak, delegate); granules offered (donate_result)
 *   ns     latency (alloc, alloc_fail), duration (op_end),
 *          lifetime of the donation (reclaim; 0 when not seen)
 *   aux    granules consumed (donate_result)
 *   aux2   granules cached << 32 | granules of tail freed (donate_result)
 *   status status (op_end), err (leak), ret (delegate),
 *          reason (alloc_fail, free, fail)
 *   count  count (donate_req), rounds (op_end), order (alloc,
 *          alloc_fail), descs (donate_result), calls (delegate)
 *   cmd    the RMI command of the operation, when known
 */
struct sro_event {
	__u64 ts;		/* CLOCK_BOOTTIME ns */
	__u64 op;
	__u64 addr;
	__u64 size;
	__u64 ns;
	__u64 aux;
	__u64 aux2;
	__u32 realm;
	__u32 cmd;
	__s32 status;
	__u32 count;
	__u16 cpu;
	__u8 type;		/* enum sro_event_type */
	__u8 source;		/* enum sro_src */
	__u8 purpose;		/* enum sro_purpose */
	__u8 state;		/* 0 delegated, 1 undelegated */
	__u8 level;		/* donate_req: 0 = L3 (4 KiB) ... 3 = L0 */
	__u8 flags;		/* SRO_F_* */
};

/*
 * Records the tracer gathers per CPU before it sends them to the ring
 * buffer together (bpf/sroscope.bpf.c, "batch"). In the ring buffer a
 * sample is one or more struct sro_event of one CPU, in time order; a
 * record of type SRO_EV_NONE marks a flush: that CPU's records up to its
 * ts have all been sent.
 */
#define SRO_BATCH		32

/* A running operation ("ops" ring, key = op id % its size). */
struct sro_op_info {
	__u64 op;
	__u64 ts;		/* when it started */
	__u32 cmd;
	__u32 realm;
	__u32 slot;		/* realm's books (~0: not looked up yet) */
	__u32 pad;
};

/*
 * A donation the realm world still holds: a slot of the "donations" ring
 * (id 0: a free slot) or a value of the "outstanding" hash (key = id).
 */
struct sro_donation {
	__u64 id;		/* the kernel's donation id */
	__u64 pa;		/* where it starts (or started: see size) */
	__u64 size;
	__u64 ts;		/* when it was donated */
	__u64 op;
	__u32 realm;
	__u32 cmd;		/* RMI command of op (0: host delegated) */
	__u8 source;
	__u8 purpose;
	__u8 state;
	__u8 pad;
	__s32 stack_id;		/* kernel stack ("stacks" map), -1: none */
};

/* Frames kept per kernel stack of a donation (leaks --stacks). */
#define SRO_STACK_DEPTH		32

/* Realms the tracer keeps books of ("realm_slots": realm id -> slot). */
#define SRO_REALM_SLOTS		4096

/*
 * Per realm ("realms" per-CPU array, key = the realm's slot). Bytes unless
 * named.
 * Per CPU so that no event pays for an atomic: user space adds the CPUs
 * up (destroyed_ts: the latest).
 */
struct sro_realm_stats {
	__u64 donated[SRO_SRC_NR];
	__u64 reclaimed[SRO_SRC_NR];
	__u64 donations[SRO_SRC_NR];	/* blocks */
	__u64 reclaims[SRO_SRC_NR];	/* blocks */
	__u64 alloc_fails[SRO_SRC_NR];
	__u64 leaked;		/* given up: undelegate refused */
	__u64 leaks;
	__u64 unknown_reclaims;	/* reclaims of donations not seen */
	__u64 destroyed_ts;	/* REALM_DESTROY succeeded (0: live) */
};

/* Per source ("sources" per-CPU array). */
struct sro_src_stats {
	__u64 allocs;
	__u64 alloc_fails;
	__u64 fallbacks;	/* allocs served as fallback */
};

/*
 * Histograms ("hists" per-CPU array, index enum sro_hist). Slot i counts
 * values v with 2^(i-1) < v <= 2^i (slot 0: v <= 1), the upper-inclusive
 * buckets Prometheus' "le" needs; SRO_HIST_ORDER is linear (slot = order).
 */
#define SRO_HIST_SLOTS		64

struct sro_hist {
	__u64 slots[SRO_HIST_SLOTS];
	__u64 count;
	__u64 sum;
};

enum sro_hist_id {
	SRO_HIST_REQ_SIZE,		/* bytes per donate request */
	SRO_HIST_REQ_SIZE_CONTIG,	/* the same, contiguous requests */
	SRO_HIST_ORDER,			/* page order of allocated blocks */
	SRO_HIST_OP_NS,			/* SRO operation duration */
	SRO_HIST_ALLOC_NS,		/* + source: allocation latency */
	SRO_HIST_LIFETIME_NS = SRO_HIST_ALLOC_NS + SRO_SRC_NR,	/* + source */
	SRO_HIST_NR = SRO_HIST_LIFETIME_NS + SRO_SRC_NR,
};

#endif /* SROSCOPE_H */
