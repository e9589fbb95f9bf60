// SPDX-License-Identifier: GPL-2.0
/* A policy for the tests that the verifier must reject: the request is
 * read-only to a policy. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sro_policy_abi.h"

char LICENSE[] SEC("license") = "GPL";

SEC("struct_ops/bad_write_select")
u32 BPF_PROG(bad_write_select, struct sro_policy_req *req)
{
	req->size = 4096;
	return SRO_ONLY(SRO_SRC_EXACT);
}

SEC(".struct_ops.link")
struct sro_policy_ops bad_write = {
	.select = (void *)bad_write_select,
	.name = "bad_write",
};
