// SPDX-License-Identifier: GPL-2.0
/*
 * adaptive: pick per request from what the sources have been doing.
 *
 * The kernel tells every policy the recent failure rate and latency of
 * each source and how full the pool is. This policy:
 *  - sends blocks alloc_pages_exact() cannot serve to the pool when they
 *    fit, else to alloc_contig_pages();
 *  - otherwise prefers alloc_pages_exact(), unless it has been failing
 *    (memory fragmented: more than 1 in 5 recent attempts), in which
 *    case the pool, then contig, take over;
 *  - uses the pool for small blocks while it is less than three quarters
 *    full, and asks the kernel to grow it (asynchronously, in whole
 *    chunks) when it runs low;
 *  - counts outcomes per source in a map through the done() callback,
 *    which `bpftool map dump` shows.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sro_policy_abi.h"

char LICENSE[] SEC("license") = "GPL";

#define SMALL		(64ULL << 10)
#define FAILING		200	/* permille */

/* Upper bound for automatic growth, set before load (0: never grow). */
const volatile __u64 pool_max_bytes = 256ULL << 20;

struct outcome {
	__u64 served;
	__u64 failed;
	__u64 ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SRO_SRC_NR);
	__type(key, __u32);
	__type(value, struct outcome);
} outcomes SEC(".maps");

static bool pool_can_hold(const struct sro_policy_req *req)
{
	return req->size <= req->pool_chunk && req->size <= req->pool_free;
}

static void maybe_grow_pool(const struct sro_policy_req *req)
{
	__u64 want = req->pool_size * 2;

	if (!pool_max_bytes || req->pool_free * 4 > req->pool_size)
		return;
	if (want < req->pool_chunk)
		want = req->pool_chunk;
	if (want > pool_max_bytes)
		want = pool_max_bytes;
	if (want > req->pool_size)
		bpf_sro_pool_request_size(want);
}

SEC("struct_ops/adaptive_select")
u32 BPF_PROG(adaptive_select, const struct sro_policy_req *req)
{
	maybe_grow_pool(req);

	if (req->size > req->max_exact_bytes)
		return pool_can_hold(req) ?
			SRO_VERDICT(SRO_SRC_POOL, SRO_SRC_CONTIG, SRO_SRC_END) :
			SRO_VERDICT(SRO_SRC_CONTIG, SRO_SRC_END, SRO_SRC_END);

	if (req->src[SRO_SRC_EXACT].fail_permille > FAILING)
		return pool_can_hold(req) ?
			SRO_VERDICT(SRO_SRC_POOL, SRO_SRC_CONTIG, SRO_SRC_EXACT) :
			SRO_VERDICT(SRO_SRC_CONTIG, SRO_SRC_EXACT, SRO_SRC_END);

	if (req->size <= SMALL && pool_can_hold(req) &&
	    req->pool_free * 4 > req->pool_size)
		return SRO_VERDICT(SRO_SRC_POOL, SRO_SRC_EXACT, SRO_SRC_END);

	return SRO_VERDICT(SRO_SRC_EXACT, SRO_SRC_POOL, SRO_SRC_CONTIG);
}

SEC("struct_ops/adaptive_done")
void BPF_PROG(adaptive_done, const struct sro_policy_req *req, u32 source,
	      u64 latency_ns, s32 err)
{
	struct outcome *o;
	__u32 key = source;

	o = bpf_map_lookup_elem(&outcomes, &key);
	if (!o)
		return;
	if (err)
		__sync_fetch_and_add(&o->failed, 1);
	else
		__sync_fetch_and_add(&o->served, 1);
	__sync_fetch_and_add(&o->ns, latency_ns);
}

SEC(".struct_ops.link")
struct sro_policy_ops adaptive = {
	.select = (void *)adaptive_select,
	.done = (void *)adaptive_done,
	.name = "adaptive",
};
