/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map helpers shared by sroscope's tracing programs. */
#ifndef SROSCOPE_MAPS_BPF_H
#define SROSCOPE_MAPS_BPF_H

#include <bpf/bpf_helpers.h>

/* The log2 slot of @v: slot i holds 2^(i-1) < v <= 2^i, slot 0 v <= 1. */
static __always_inline __u32 log2_slot(__u64 v)
{
	__u32 slot = 0, shift;
	__u64 x;

	if (v <= 1)
		return 0;
	/* ceil(log2(v)) = floor(log2(v - 1)) + 1 */
	x = v - 1;
#pragma unroll
	for (shift = 32; shift; shift >>= 1) {
		if (x >> shift) {
			slot += shift;
			x >>= shift;
		}
	}
	slot += 1;
	return slot < SRO_HIST_SLOTS ? slot : SRO_HIST_SLOTS - 1;
}

#endif
