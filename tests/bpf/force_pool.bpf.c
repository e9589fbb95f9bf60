// SPDX-License-Identifier: GPL-2.0
/* For benchmarks: every block from pool (alloc_pages_exact() stays the
 * kernel's last resort, so a failure shows up as a fallback). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sro_policy_abi.h"

char LICENSE[] SEC("license") = "GPL";

SEC("struct_ops/force_pool_select")
u32 BPF_PROG(force_pool_select, const struct sro_policy_req *req)
{
	return SRO_ONLY(SRO_SRC_POOL);
}

SEC(".struct_ops.link")
struct sro_policy_ops force_pool = {
	.select = (void *)force_pool_select,
	.name = "force_pool",
};
