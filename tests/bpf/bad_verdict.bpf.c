// SPDX-License-Identifier: GPL-2.0
/* A broken policy for the tests: its verdict names a source that does not
 * exist. The kernel must count it, trace it and use the default. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sro_policy_abi.h"

char LICENSE[] SEC("license") = "GPL";

SEC("struct_ops/bad_verdict_select")
u32 BPF_PROG(bad_verdict_select, const struct sro_policy_req *req)
{
	return SRO_VERDICT(7, SRO_SRC_EXACT, SRO_SRC_END);
}

SEC(".struct_ops.link")
struct sro_policy_ops bad_verdict = {
	.select = (void *)bad_verdict_select,
	.name = "bad_verdict",
};
