/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The BPF build fails if a number of include/sro_vocab.h differs from the
 * kernel's own enum in the BTF (vmlinux.h) the programs are built against:
 * the tracer copies these numbers from the trace events as they are.
 * Included once, after vmlinux.h and sro_vocab.h.
 */
#ifndef SRO_VOCAB_CHECK_H
#define SRO_VOCAB_CHECK_H

#define SRO__SAME(ours, theirs)						\
	_Static_assert((int)(ours) == (int)(theirs),			\
		       #ours " differs from the kernel's " #theirs);
#define SRO__SAME_SRC(id, ...)	SRO__SAME(SRO_SRC_##id, RMI_SRC_##id)
#define SRO__SAME_PURPOSE(id, ...) SRO__SAME(SRO_PURPOSE_##id, RMI_PURPOSE_##id)
#define SRO__SAME_STATE(id, ...) SRO__SAME(SRO_STATE_##id, RMI_MEM_##id)
#define SRO__SAME_FREE(id, ...)	SRO__SAME(SRO_FREE_##id, RMI_FREE_##id)
#define SRO__SAME_FAIL(id, ...)	SRO__SAME(SRO_FAIL_##id, RMI_FAIL_##id)

SRO_SOURCES(SRO__SAME_SRC)
SRO__SAME(SRO_SRC_NR, RMI_SRC_NR)
SRO_PURPOSES(SRO__SAME_PURPOSE)
SRO__SAME(SRO_PURPOSE_NR, RMI_PURPOSE_NR)
SRO_STATES(SRO__SAME_STATE)
SRO_FREE_REASONS(SRO__SAME_FREE)
SRO_FAIL_REASONS(SRO__SAME_FAIL)

#endif /* SRO_VOCAB_CHECK_H */
