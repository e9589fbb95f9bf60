// SPDX-License-Identifier: GPL-2.0
/*
 * exact: what the Arm CCA host tree does today.
 *
 * Every block comes from alloc_pages_exact(). It is fast and needs no
 * preparation, but it cannot serve more than 1 << MAX_PAGE_ORDER pages
 * (4 MiB with 4 KiB pages): a larger contiguous request from the RMM
 * fails, exactly as it does without any policy. Load it to compare the
 * other policies against the status quo with the same tooling.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sro_policy_abi.h"

char LICENSE[] SEC("license") = "GPL";

SEC("struct_ops/exact_select")
u32 BPF_PROG(exact_select, const struct sro_policy_req *req)
{
	return SRO_ONLY(SRO_SRC_EXACT);
}

SEC(".struct_ops.link")
struct sro_policy_ops exact = {
	.select = (void *)exact_select,
	.name = "exact",
};
