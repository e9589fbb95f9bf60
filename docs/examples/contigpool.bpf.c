// SPDX-License-Identifier: GPL-2.0
/*
 * contigpool: the pool for what must be contiguous, alloc_pages_exact()
 * for everything else. The example policy of docs/writing-a-policy.md.
 *
 * TF-RMM asks for contiguous memory only for the tables an SMMU walks
 * (stream table, command and event queues, level-2 stream tables): one
 * region aligned to its own size, kept as long as the device. Everything
 * else it asks for (REC and device memory) is independent 4 KiB blocks,
 * which alloc_pages_exact() serves fast at order 0. The shipped "pool"
 * policy decides by size and spends the pool on those small blocks too;
 * this one decides by the shape of the request:
 *
 *  - a block of a contiguous request: the pool while it can hold the
 *    block; then alloc_contig_pages() for 2 MiB and more (or anything
 *    alloc_pages_exact() cannot serve), alloc_pages_exact() below that;
 *  - any other block, including the granules the host delegates itself
 *    (realm descriptor, RTT, REC, data): alloc_pages_exact() only.
 *
 * The kernel adds alloc_pages_exact() as the last resort of every verdict.
 *
 * When a contiguous request comes and the pool is smaller than POOL_WANT,
 * the policy asks the kernel to grow it (kfunc, asynchronous: that request
 * itself is served without it). A pool of POOL_WANT or more, set with
 * sro_pool=SIZE or /sys/kernel/debug/sro/pool_size, is left alone.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sro_policy_abi.h"

char LICENSE[] SEC("license") = "GPL";

#define LARGE		(2ULL << 20)
#define POOL_WANT	(8ULL << 20)

/* The pool has a chunk big enough and that many bytes free (a hint: the
 * free bytes may be scattered, then the pool fails and the next source
 * serves the block). */
static bool pool_can_hold(const struct sro_policy_req *req)
{
	return req->size <= req->pool_chunk && req->size <= req->pool_free;
}

/* Worth alloc_contig_pages(): a 2 MiB block or one the buddy allocator
 * cannot serve at all. */
static bool large(const struct sro_policy_req *req)
{
	return req->size >= LARGE || req->size > req->max_exact_bytes;
}

/* A pool for the tables: ask for POOL_WANT bytes while it is smaller.
 * Drop the call in select() to leave the pool's size to the operator. */
static void want_pool(const struct sro_policy_req *req)
{
	if (req->pool_size < POOL_WANT)
		bpf_sro_pool_request_size(POOL_WANT);
}

SEC("struct_ops/contigpool_select")
u32 BPF_PROG(contigpool_select, const struct sro_policy_req *req)
{
	if (!req->contig)
		return SRO_ONLY(SRO_SRC_EXACT);

	want_pool(req);
	if (pool_can_hold(req))
		return large(req) ?
			SRO_VERDICT(SRO_SRC_POOL, SRO_SRC_CONTIG, SRO_SRC_END) :
			SRO_VERDICT(SRO_SRC_POOL, SRO_SRC_EXACT, SRO_SRC_END);

	return large(req) ? SRO_ONLY(SRO_SRC_CONTIG) : SRO_ONLY(SRO_SRC_EXACT);
}

SEC(".struct_ops.link")
struct sro_policy_ops contigpool = {
	.select = (void *)contigpool_select,
	.name = "contigpool",
};
