/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel's own SRO counters: the "key value" lines of debugfs
 * sro/stats (kernel/patches, sro_stats_show()). They hold what BPF
 * cannot see from a tracepoint: the policy in charge, its first choices,
 * the pool's level, and the memory held since boot, including donations
 * made before sroscope started.
 */
#ifndef SROSCOPE_KSTATS_H
#define SROSCOPE_KSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "sroscope.h"

struct kstats {
	char policy[64];		/* "default": no BPF policy */
	uint64_t policy_since_ns;	/* CLOCK_BOOTTIME of the last change */
	uint64_t policy_swaps;
	uint64_t policy_decisions[SRO_SRC_NR];	/* first choice per source */
	uint64_t policy_fallbacks;
	uint64_t policy_invalid;
	bool has_pool;			/* CONFIG_CONTIG_ALLOC kernels */
	uint64_t pool_bytes;
	uint64_t pool_free_bytes;
	uint64_t pool_chunk_bytes;
	uint64_t held_bytes;		/* held by the RMM now */
	uint64_t donated_bytes;
	uint64_t reclaimed_bytes;
	uint64_t leaked_bytes;		/* given up: undelegate refused */
	uint64_t quarantined_bytes;	/* refused, waiting for a retry */
	uint64_t quarantine_retries;
	uint64_t quarantine_freed_bytes; /* undelegated at last by a retry */
	uint64_t cached_bytes;		/* delegated, kept for reuse */
	uint64_t host_bytes;		/* delegated by the host itself */
	uint64_t ops;
	uint64_t ops_failed;
	uint64_t ops_cancelled;
	uint64_t ops_abandoned;	/* left mid-operation: the RMM keeps memory */
	uint64_t donate_retries;
	uint64_t busy_retries;
	uint64_t delegate_calls;
	uint64_t undelegate_calls;
	uint64_t src_out_bytes[SRO_SRC_NR];	/* allocated, not yet freed */
	uint64_t src_allocs[SRO_SRC_NR];	/* blocks served */
	uint64_t src_fails[SRO_SRC_NR];		/* attempts that failed */
	uint64_t src_alloc_ns[SRO_SRC_NR];	/* time of the blocks served */
};

/*
 * Parse the text of sro/stats (@len bytes, need not end in NUL). Unknown
 * lines are skipped, so newer kernels still parse. 0, or -EINVAL when no
 * line was understood.
 */
int kstats_parse(const char *text, size_t len, struct kstats *k);

/*
 * The one reader of sro/stats: the file @fd from its start (a seq_file
 * kept open, as the exporter does), or the file at @path. 0 or -errno
 * (-EINVAL: nothing understood).
 */
int kstats_read_fd(int fd, struct kstats *k);
int kstats_read(const char *path, struct kstats *k);

#endif
