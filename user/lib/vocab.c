// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The name tables of include/sro_vocab.h, expanded from its lists. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vocab.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define NAME(id, name, ...)		name,
#define LOSS_LABEL(id, label, ...)	label,
#define LOSS_KEY(id, label, key, ...)	key,
#define LOSS_PROSE(id, label, key, prose) prose,

/* Event types start at 1: slot 0 is SRO_EV_NONE. */
static const char *const event_names[SRO_EV_NR] = {
	NULL, SRO_EVENT_TYPES(NAME)
};
static const char *const source_names[SRO_SRC_NR] = { SRO_SOURCES(NAME) };
static const char *const purpose_names[SRO_PURPOSE_NR] = { SRO_PURPOSES(NAME) };
static const char *const state_names[SRO_STATE_NR] = { SRO_STATES(NAME) };
static const char *const free_names[SRO_FREE_NR] = { SRO_FREE_REASONS(NAME) };
static const char *const fail_names[SRO_FAIL_NR] = { SRO_FAIL_REASONS(NAME) };
static const char *const fault_names[SRO_FAULT_NR] = { SRO_FAULTS(NAME) };
static const char *const loss_labels[SRO_LOSS_NR] = { SRO_LOSSES(LOSS_LABEL) };
static const char *const loss_keys[SRO_LOSS_NR] = { SRO_LOSSES(LOSS_KEY) };
static const char *const loss_prose[SRO_LOSS_NR] = { SRO_LOSSES(LOSS_PROSE) };

#define CMD(id, n, name)	{ SRO_RMI_FID(n), name },
static const struct {
	uint32_t fid;
	const char *name;
} cmds[] = { SRO_RMI_CMDS(CMD) };

static const char *name_of(const char *const *names, size_t n,
			   unsigned int v)
{
	return v < n && names[v] ? names[v] : "?";
}

static int index_of(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], name))
			return i;
	return -1;
}

#define LOOKUP(fn, table)						\
	const char *fn(unsigned int v)					\
	{								\
		return name_of(table, ARRAY_SIZE(table), v);		\
	}
LOOKUP(sro_event_name, event_names)
LOOKUP(sro_source_name, source_names)
LOOKUP(sro_purpose_name, purpose_names)
LOOKUP(sro_state_name, state_names)
LOOKUP(sro_free_reason_name, free_names)
LOOKUP(sro_fail_reason_name, fail_names)
LOOKUP(sro_fault_name, fault_names)
LOOKUP(sro_loss_label, loss_labels)
LOOKUP(sro_loss_key, loss_keys)
LOOKUP(sro_loss_prose, loss_prose)

int sro_event_type_of(const char *name)
{
	return index_of(event_names, ARRAY_SIZE(event_names), name);
}

int sro_source_of(const char *name)
{
	return index_of(source_names, ARRAY_SIZE(source_names), name);
}

int sro_fault_of(const char *name)
{
	return index_of(fault_names, ARRAY_SIZE(fault_names), name);
}

const char *sro_cmd_name(uint32_t cmd, char *buf, size_t len)
{
	size_t i;

	if (!cmd)
		return "host";
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (cmds[i].fid == cmd)
			return cmds[i].name;
	snprintf(buf, len, "0x%" PRIx32, cmd);
	return buf;
}

size_t sro_cmd_count(void)
{
	return ARRAY_SIZE(cmds);
}

uint32_t sro_cmd_fid(size_t i)
{
	return i < ARRAY_SIZE(cmds) ? cmds[i].fid : 0;
}
