// SPDX-License-Identifier: GPL-2.0
/*
 * contig: large blocks from alloc_contig_pages(), as TDX does.
 *
 * TDX takes its up-front donation with alloc_contig_pages(), which is not
 * limited by MAX_PAGE_ORDER but migrates pages to make room, so it is slow
 * and fails where pages are pinned. This policy uses it for every block
 * of 2 MiB or more (and anything the buddy allocator cannot serve), and
 * keeps alloc_pages_exact() for small blocks, where it is both fast and
 * reliable. If contig fails, exact is tried next.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sro_policy_abi.h"

char LICENSE[] SEC("license") = "GPL";

#define LARGE	(2ULL << 20)

SEC("struct_ops/contig_select")
u32 BPF_PROG(contig_select, const struct sro_policy_req *req)
{
	if (req->size >= LARGE || req->size > req->max_exact_bytes)
		return SRO_VERDICT(SRO_SRC_CONTIG, SRO_SRC_EXACT, SRO_SRC_END);
	return SRO_ONLY(SRO_SRC_EXACT);
}

SEC(".struct_ops.link")
struct sro_policy_ops contig = {
	.select = (void *)contig_select,
	.name = "contig",
};
