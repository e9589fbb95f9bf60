/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The names of include/sro_vocab.h's lists, looked up both ways. Every
 * table is expanded from the lists: there is no other copy to keep in
 * step (tests/unit/test_vocab.c, tests/vm/t-01-vocab.sh).
 */
#ifndef SROSCOPE_VOCAB_H
#define SROSCOPE_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#include "sro_vocab.h"

/* Short names, as the kernel's trace events print them; "?" if unknown. */
const char *sro_event_name(unsigned int type);	/* "donate", "op_end" */
const char *sro_source_name(unsigned int source);	/* "exact" */
const char *sro_purpose_name(unsigned int purpose);	/* "sro", "rec" */
const char *sro_state_name(unsigned int state);	/* "delegated" */
const char *sro_free_reason_name(unsigned int reason);	/* "reclaim" */
const char *sro_fail_reason_name(unsigned int reason);	/* "nomem" */
const char *sro_fault_name(unsigned int fault);	/* "fail_keep" */
/* "REC_CREATE"; "host" for 0 (host-delegated); "0x..." when unknown. */
const char *sro_cmd_name(uint32_t cmd, char *buf, size_t len);

/* A loss: Prometheus "what" label, leaks --json key, prose for reports. */
const char *sro_loss_label(unsigned int loss);
const char *sro_loss_key(unsigned int loss);
const char *sro_loss_prose(unsigned int loss);

/* Look a name up: the enum value, or -1. */
int sro_event_type_of(const char *name);
int sro_source_of(const char *name);
int sro_fault_of(const char *name);

/* Every command of SRO_RMI_CMDS: its function id and name, by index. */
size_t sro_cmd_count(void);
uint32_t sro_cmd_fid(size_t i);

#endif /* SROSCOPE_VOCAB_H */
