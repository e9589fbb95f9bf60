/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a sroscope allocation policy returns, and the kfuncs it may call.
 * The numbers match include/linux/sro_policy.h of the kernel series; the
 * structures themselves come from the kernel's BTF (vmlinux.h), and the
 * names of sources, purposes and states (sro_policy_req) from sro_vocab.h.
 */
#ifndef SRO_POLICY_ABI_H
#define SRO_POLICY_ABI_H

#include "sro_vocab.h"

/* Ends a verdict's list (SRO_SRC_* are in sro_vocab.h). */
#define SRO_SRC_END	0xf

/*
 * Try a, then b, then c; the kernel adds exact as the last resort. A
 * verdict holds up to eight sources, one per nibble, the first END
 * ending the list and every nibble after it END too: the kernel leaves
 * room for sources added later (a three-nibble verdict with nothing
 * above reads the same).
 */
#define SRO_VERDICT(a, b, c)	((a) | (b) << 4 | (c) << 8 | 0xfffff000u)
#define SRO_ONLY(a)		SRO_VERDICT(a, SRO_SRC_END, SRO_SRC_END)

#ifdef __BPF__
/*
 * kfuncs, callable from sro_policy_ops programs only. pahole 1.24 does not
 * put kfunc prototypes in vmlinux.h, so they are declared here.
 */
extern unsigned long long bpf_sro_pool_free_bytes(void) __ksym;
extern void bpf_sro_pool_request_size(unsigned long long bytes) __ksym;
#endif

#endif /* SRO_POLICY_ABI_H */
