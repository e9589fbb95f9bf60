/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one vocabulary of sroscope: every enumeration the kernel, the BPF
 * programs and user space share, each as one list. The enums below, the
 * name tables of user/lib/vocab.c, the Prometheus labels, the JSON keys and
 * the emulator's fault names are all expanded from these lists, so a
 * value added here reaches every table.
 *
 * Why X-macros and not tables generated from the kernel's BTF: the BTF
 * has the numbers but not the short names, labels and prose; user space
 * and the Debian package must build without a kernel; and policy authors
 * include this from BPF C with nothing else. The kernel keeps its own
 * enums (it is another project): bpf/vocab_check.h fails the BPF build if
 * a number differs from the BTF the programs are built against, and
 * tests/vm/t-01-vocab.sh compares every name with the running kernel's
 * trace event formats and the emulator's fault list.
 *
 * Each entry is X(ID, name, prose), unless its list says otherwise: ID
 * makes the C constant, name is the short name (trace text, JSON values,
 * Prometheus label values, command lines), prose is what reports print.
 * Included by BPF code (after vmlinux.h) and by user code: no types.
 */
#ifndef SRO_VOCAB_H
#define SRO_VOCAB_H

/* The "sro" trace events, in enum sro_event_type order (0 is none). */
#define SRO_EVENT_TYPES(X)						\
	X(OP_START, "op_start", "an SRO operation started")		\
	X(OP_END, "op_end", "an SRO operation ended")			\
	X(DONATE_REQ, "donate_req", "the RMM asked for memory")		\
	X(ALLOC, "alloc", "the host allocated a block")			\
	X(ALLOC_FAIL, "alloc_fail", "a source could not serve a block")	\
	X(DONATE, "donate", "a block was donated")			\
	X(DONATE_RESULT, "donate_result", "the RMM took its donation")	\
	X(RECLAIM, "reclaim", "the RMM gave memory back")		\
	X(FREE, "free", "a block went back to its source")		\
	X(LEAK, "leak", "memory given up for good")			\
	X(DELEGATE, "delegate", "the host delegated or undelegated")	\
	X(FAIL, "fail", "an SRO step failed")				\
	X(QUARANTINE, "quarantine", "an undelegation was refused")

/* Where a block comes from (kernel: enum rmi_mem_source). */
#define SRO_SOURCES(X)							\
	X(EXACT, "exact", "alloc_pages_exact()")			\
	X(CONTIG, "contig", "alloc_contig_pages()")			\
	X(POOL, "pool", "the pre-allocated SRO pool")

/* What a block is for (kernel: enum rmi_mem_purpose). */
#define SRO_PURPOSES(X)							\
	X(SRO, "sro", "consumed by the RMM through an SRO")		\
	X(RD, "rd", "realm descriptor, delegated by the host")		\
	X(RTT, "rtt", "realm translation table")			\
	X(REC, "rec", "REC granule")					\
	X(DATA, "data", "realm data page")

/* RMI 2.0's two-bit memory state (kernel: enum rmi_mem_state). */
#define SRO_STATES(X)							\
	X(DELEGATED, "delegated", "delegated to the realm world")	\
	X(UNDELEGATED, "undelegated", "normal-world memory")		\
	X(CONDITIONAL, "conditional", "either: the host chooses")

/* sro_free "reason" (kernel: enum rmi_free_reason). */
#define SRO_FREE_REASONS(X)						\
	X(TAIL, "tail", "unconsumed tail of a partly consumed block")	\
	X(CACHE, "cache", "offered, never consumed, operation ended")	\
	X(RECLAIM, "reclaim", "the RMM gave it back")			\
	X(UNDO, "undo", "delegation failed, never offered")		\
	X(HOST, "host", "host-delegated object torn down")		\
	X(QUARANTINE, "quarantine", "undelegated at last, after a refusal")

/* sro_fail and sro_alloc_fail "reason" (kernel: enum rmi_sro_fail). */
#define SRO_FAIL_REASONS(X)						\
	X(TOO_LARGE, "too_large", "no source can serve the size")	\
	X(NOMEM, "nomem", "out of memory")				\
	X(DELEGATE, "delegate", "delegation refused")			\
	X(BAD_REQUEST, "bad_request", "the RMM's request is malformed")	\
	X(BAD_RECLAIM, "bad_reclaim", "a reclaim names memory not lent") \
	X(DOUBLE_FREE, "double_free", "memory returned twice")		\
	X(RMM_ERROR, "rmm_error", "the RMM answered an error")		\
	X(ABANDONED, "abandoned", "gave up on an op that cannot cancel")

/*
 * What the tracer lost ("losses" map), never silent. X(ID, label, key,
 * prose): label is the Prometheus "what" label, key the leaks --json key.
 */
#define SRO_LOSSES(X)							\
	X(RINGBUF, "ringbuf_full", "ringbuf_drops",			\
	  "events dropped (ring buffer full)")				\
	X(OUTSTANDING_FULL, "outstanding_map_full", "outstanding_full",	\
	  "donations not tracked (map full)")				\
	X(REALMS_FULL, "realms_map_full", "realms_full",		\
	  "realm updates lost (map full)")				\
	X(OPS_FULL, "ops_map_full", "ops_full",				\
	  "operations not tracked (map full)")				\
	X(UNKNOWN_RECLAIM, "unknown_reclaim", "unknown_reclaims",	\
	  "reclaims of untracked donations (made before tracing, or map full)") \
	X(STACKS, "stacks_map_full", "stacks_lost",			\
	  "stacks not kept (stack map full)")

/*
 * The emulated RMM's fault modes ("fault NAME N" on its control file;
 * kernel: enum emu_fault, in that order).
 */
#define SRO_FAULTS(X)							\
	X(PARTIAL, "partial", "consume a third of what is owed")	\
	X(ZERO, "zero", "consume nothing: a racing donor served it")	\
	X(FAIL_KEEP, "fail_keep", "create fails, keeps half its donation") \
	X(RACING_KEEP, "racing_keep", "destroy keeps one block for a racing op") \
	X(UNDELEGATE, "undelegate_fail", "GRANULE_RANGE_UNDELEGATE refused") \
	X(DELEGATE, "delegate_fail", "GRANULE_RANGE_DELEGATE refused")	\
	X(FAIL_LATE, "fail_late", "create fails, gives all back")	\
	X(BUSY, "busy", "any call answered RMI_BUSY")			\
	X(BLOCKED, "blocked", "any call answered RMI_BLOCKED")		\
	X(REGROUP, "regroup", "a RECLAIM lists 3-granule ranges")

/*
 * The RMI commands that run SROs (sro_op_start "cmd"). X(ID, number,
 * name): the SMC function id is SRO_RMI_FID(number); name as the trace
 * events print it.
 */
#define SRO_RMI_CMDS(X)							\
	X(REALM_CREATE, 0x158, "REALM_CREATE")				\
	X(REALM_DESTROY, 0x159, "REALM_DESTROY")			\
	X(REC_CREATE, 0x15a, "REC_CREATE")				\
	X(REC_DESTROY, 0x15b, "REC_DESTROY")				\
	X(RTT_CREATE, 0x15d, "RTT_CREATE")				\
	X(RTT_DESTROY, 0x15e, "RTT_DESTROY")				\
	X(RTT_DATA_MAP_INIT, 0x153, "RTT_DATA_MAP_INIT")		\
	X(REALM_ACTIVATE, 0x157, "REALM_ACTIVATE")			\
	X(PDEV_CREATE, 0x176, "PDEV_CREATE")				\
	X(PDEV_DESTROY, 0x177, "PDEV_DESTROY")				\
	X(PSMMU_ACTIVATE, 0x1d7, "PSMMU_ACTIVATE")			\
	X(PSMMU_DEACTIVATE, 0x1d8, "PSMMU_DEACTIVATE")			\
	X(PSMMU_ST_L2_CREATE, 0x1db, "PSMMU_ST_L2_CREATE")		\
	X(PSMMU_ST_L2_DESTROY, 0x1dc, "PSMMU_ST_L2_DESTROY")		\
	X(RTT_DATA_MAP, 0x1f5, "RTT_DATA_MAP")				\
	X(RTT_DATA_UNMAP, 0x1f6, "RTT_DATA_UNMAP")			\
	X(REALM_TERMINATE, 0x201, "REALM_TERMINATE")			\
	X(RMM_ACTIVATE, 0x202, "RMM_ACTIVATE")

/* The enums, one constant per entry and a count (_NR) after the last. */
#define SRO__ENUM(prefix, id)	prefix##id,
#define SRO__EV(id, ...)	SRO__ENUM(SRO_EV_, id)
#define SRO__SRC(id, ...)	SRO__ENUM(SRO_SRC_, id)
#define SRO__PURPOSE(id, ...)	SRO__ENUM(SRO_PURPOSE_, id)
#define SRO__STATE(id, ...)	SRO__ENUM(SRO_STATE_, id)
#define SRO__FREE(id, ...)	SRO__ENUM(SRO_FREE_, id)
#define SRO__FAIL(id, ...)	SRO__ENUM(SRO_FAIL_, id)
#define SRO__LOSS(id, ...)	SRO__ENUM(SRO_LOSS_, id)
#define SRO__FAULT(id, ...)	SRO__ENUM(SRO_FAULT_, id)

enum sro_event_type {
	SRO_EV_NONE,
	SRO_EVENT_TYPES(SRO__EV)
	SRO_EV_NR,
};

enum sro_src { SRO_SOURCES(SRO__SRC) SRO_SRC_NR };
enum sro_purpose { SRO_PURPOSES(SRO__PURPOSE) SRO_PURPOSE_NR };
enum sro_mem_state { SRO_STATES(SRO__STATE) SRO_STATE_NR };
enum sro_free_reason { SRO_FREE_REASONS(SRO__FREE) SRO_FREE_NR };
enum sro_fail_reason { SRO_FAIL_REASONS(SRO__FAIL) SRO_FAIL_NR };
enum sro_loss { SRO_LOSSES(SRO__LOSS) SRO_LOSS_NR };
enum sro_fault { SRO_FAULTS(SRO__FAULT) SRO_FAULT_NR };

/*
 * RMI function numbers; SRO_RMI_CMD(REALM_DESTROY) is the SMC function id
 * the events carry. (Ids above INT_MAX cannot be enumerators in ISO C.)
 */
#define SRO__FN(id, n, name)	SRO_RMI_FN_##id = (n),
enum sro_rmi_fn { SRO_RMI_CMDS(SRO__FN) };
#define SRO_RMI_FID(n)		(0xC4000000U | (n))
#define SRO_RMI_CMD(id)		SRO_RMI_FID(SRO_RMI_FN_##id)

/*
 * Not RMI: the emulated RMM's one-way (TDX-like) donation, a command of
 * its own (rmm_emu.h RMI_EMU_ONEWAY) that recordings of it carry and
 * replays give back to it ("oneway R G").
 */
#define SRO_EMU_ONEWAY_CMD	SRO_RMI_FID(0x1ff)

#endif /* SRO_VOCAB_H */
