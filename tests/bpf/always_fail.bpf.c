// SPDX-License-Identifier: GPL-2.0
/* A policy for the tests that only ever picks the pool: with an empty
 * pool every choice fails and the kernel must fall back to
 * alloc_pages_exact(), counting each fallback. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sro_policy_abi.h"

char LICENSE[] SEC("license") = "GPL";

SEC("struct_ops/always_fail_select")
u32 BPF_PROG(always_fail_select, const struct sro_policy_req *req)
{
	return SRO_ONLY(SRO_SRC_POOL);
}

SEC(".struct_ops.link")
struct sro_policy_ops always_fail = {
	.select = (void *)always_fail_select,
	.name = "always_fail",
};
