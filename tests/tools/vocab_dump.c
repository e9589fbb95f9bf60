// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Prints include/sro_vocab.h as "<list> <value> <name>" lines (events
 * and faults: "<list> <name>"), sorted by the caller, for
 * tests/vm/t-01-vocab.sh to compare with what the running kernel says.
 */
#include <stdio.h>

#include "sro_vocab.h"

static void line(const char *list, unsigned int v, const char *name)
{
	printf("%s %u %s\n", list, v, name);
}

#define SOURCE(id, name, prose)		line("source", SRO_SRC_##id, name);
#define PURPOSE(id, name, prose)	line("purpose", SRO_PURPOSE_##id, name);
#define STATE(id, name, prose)		line("state", SRO_STATE_##id, name);
#define FREE(id, name, prose)		line("free", SRO_FREE_##id, name);
#define FAIL(id, name, prose)		line("fail", SRO_FAIL_##id, name);
#define EVENT(id, name, prose)		printf("event %s\n", name);
#define FAULT(id, name, prose)		printf("fault %s\n", name);
#define CMD(id, n, name)	line("cmd", SRO_RMI_CMD(id), name);

int main(void)
{
	SRO_SOURCES(SOURCE)
	SRO_PURPOSES(PURPOSE)
	SRO_STATES(STATE)
	SRO_FREE_REASONS(FREE)
	SRO_FAIL_REASONS(FAIL)
	SRO_EVENT_TYPES(EVENT)
	SRO_FAULTS(FAULT)
	SRO_RMI_CMDS(CMD)
	return 0;
}
