// SPDX-License-Identifier: GPL-2.0
/* A policy for the tests that turns bad: the first good_requests requests
 * get the kernel's own choice, every one after that a verdict naming a
 * source that does not exist, which the kernel counts (policy_invalid)
 * and replaces by its default. The count is in the policy's .bss, so a
 * prepared copy swapped back in (sroscope policy swap) is still bad;
 * good_requests is in .data, changed at run time with bpftool map update
 * on turn_bad.data if a test needs another N. What `sroscope policy
 * supervise` must swap away from (tests/vm/t-8a-supervise.sh). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sro_policy_abi.h"

char LICENSE[] SEC("license") = "GPL";

__u64 good_requests = 40;
__u64 requests;

SEC("struct_ops/turn_bad_select")
u32 BPF_PROG(turn_bad_select, const struct sro_policy_req *req)
{
	if (__sync_fetch_and_add(&requests, 1) < good_requests)
		return SRO_ONLY(SRO_SRC_EXACT);
	return SRO_VERDICT(7, SRO_SRC_EXACT, SRO_SRC_END);
}

SEC(".struct_ops.link")
struct sro_policy_ops turn_bad = {
	.select = (void *)turn_bad_select,
	.name = "turn_bad",
};
