// SPDX-License-Identifier: GPL-2.0
/*
 * A policy built against an older, smaller view of the request: it knows
 * two sources (exact, contig) and returns a three-nibble verdict with
 * nothing above it, as policies did before verdicts grew to eight. The
 * kernel's request has more sources; CO-RE relocates the fields it reads.
 * It sends every block to contig when the kernel says it fills both
 * sources' history (and a history it reads is in range), else to exact.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

struct sro_policy_src___two {
	__u64 avg_latency_ns;
	__u32 fail_permille;
	__u32 reserved;
} __attribute__((preserve_access_index));

struct sro_policy_req___two {
	__u32 nr_sources;
	struct sro_policy_src___two src[2];
} __attribute__((preserve_access_index));

SEC("struct_ops/two_sources_select")
u32 BPF_PROG(two_sources_select, const struct sro_policy_req *r)
{
	const struct sro_policy_req___two *req = (const void *)r;

	if (req->nr_sources < 2 || req->src[1].fail_permille > 1000)
		return 0xff0;		/* exact */
	return 0xff1;			/* contig */
}

SEC(".struct_ops.link")
struct sro_policy_ops two_sources = {
	.select = (void *)two_sources_select,
	.name = "two_sources",
};
