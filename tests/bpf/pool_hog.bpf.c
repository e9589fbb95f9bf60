// SPDX-License-Identifier: GPL-2.0
/* A hostile policy for the tests: on every request it asks for the
 * largest pool there can be. The kernel must clamp it to the
 * administrator's ceiling, and take the pool back to the administrator's
 * size when the policy goes. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sro_policy_abi.h"

char LICENSE[] SEC("license") = "GPL";

SEC("struct_ops/pool_hog_select")
u32 BPF_PROG(pool_hog_select, const struct sro_policy_req *req)
{
	bpf_sro_pool_request_size(~0ULL);
	return SRO_ONLY(SRO_SRC_POOL);
}

SEC(".struct_ops.link")
struct sro_policy_ops pool_hog = {
	.select = (void *)pool_hog_select,
	.name = "pool_hog",
};
