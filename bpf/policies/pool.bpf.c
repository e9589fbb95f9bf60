// SPDX-License-Identifier: GPL-2.0
/*
 * pool: small blocks and page tables from the pre-allocated pool.
 *
 * The RMM mostly asks for small blocks it uses as page tables (RTTs, SMMU
 * stream and queue tables); the seed thread asked whether a pool would
 * serve that pattern better than per-request allocation. This policy
 * serves from the pool every block of 64 KiB or less, every RTT granule,
 * and any block too large for alloc_pages_exact() that fits in a pool
 * chunk; the rest, and anything the pool cannot hold right now, goes to
 * alloc_pages_exact() and then alloc_contig_pages().
 *
 * Boot with sro_pool=SIZE (and sro_pool_delegated=1 to keep the pool
 * delegated, saving the delegate/undelegate calls) or resize it at run
 * time with /sys/kernel/debug/sro/pool_size.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sro_policy_abi.h"

char LICENSE[] SEC("license") = "GPL";

#define SMALL	(64ULL << 10)

static bool pool_can_hold(const struct sro_policy_req *req)
{
	return req->size <= req->pool_chunk && req->size <= req->pool_free;
}

SEC("struct_ops/pool_select")
u32 BPF_PROG(pool_select, const struct sro_policy_req *req)
{
	bool wanted = req->size <= SMALL || req->purpose == SRO_PURPOSE_RTT ||
		      req->size > req->max_exact_bytes;

	if (wanted && pool_can_hold(req))
		return SRO_VERDICT(SRO_SRC_POOL, SRO_SRC_EXACT, SRO_SRC_CONTIG);
	return SRO_VERDICT(SRO_SRC_EXACT, SRO_SRC_CONTIG, SRO_SRC_END);
}

SEC(".struct_ops.link")
struct sro_policy_ops pool = {
	.select = (void *)pool_select,
	.name = "pool",
};
