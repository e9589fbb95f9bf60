/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A recorded trace turned into a replay plan: the host and RMM actions
 * that made it, in time order, as commands of the emulated RMM
 * (/sys/kernel/debug/rmm_emu/ctl). Operations the emulator has a command
 * for (REC, device, SMMU, RTT, data, realm create and destroy) replay as
 * that command; any other donating operation as a device of the same
 * granule count, or a contiguous ("huge") one of the same size. What the
 * RMM did that the host cannot choose is armed before its operation, as
 * the emulator's faults: a create it failed (keeping part of the memory,
 * or giving it all back), donations it took in part or not at all,
 * delegations and undelegations it refused, a block a destroy kept for a
 * racing operation, and blocks it kept for good (leak). Pure C: the unit
 * tests build plans on the host.
 */
#ifndef SROSCOPE_REPLAY_PLAN_H
#define SROSCOPE_REPLAY_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracefile.h"
#include "vocab.h"

enum plan_kind {
	PLAN_REALM_CREATE,
	PLAN_REALM_DESTROY,
	PLAN_REC_CREATE,
	PLAN_REC_DESTROY,
	PLAN_PDEV_CREATE,	/* arg: granules */
	PLAN_HUGE,		/* arg: bytes, a power of two */
	PLAN_PDEV_DESTROY,
	PLAN_SMMU_ACTIVATE,	/* arg: SID bits (stream table 2^bits / 8) */
	PLAN_SMMU_DEACTIVATE,
	PLAN_RTT_CREATE,	/* arg: granules */
	PLAN_DATA_MAP,
	PLAN_ST_L2_CREATE,
	PLAN_ST_L2_DESTROY,
	PLAN_ONEWAY,		/* arg: granules */
	PLAN_KIND_MAX,
};

struct plan_step {
	uint64_t ts;		/* ns since the first event */
	uint32_t realm;		/* as recorded */
	uint8_t kind;		/* enum plan_kind */
	uint64_t arg;
	uint32_t leak;		/* blocks the RMM keeps out of this destroy */
	uint32_t fault[SRO_FAULT_NR];	/* armed before it: fault NAME N */
};

/* The RMM failed @s as recorded (a fail_keep or fail_late is armed). */
bool plan_step_fails(const struct plan_step *s);
/* Faults are armed for @s: reset them after it, fired or not. */
bool plan_step_armed(const struct plan_step *s);

/*
 * The emulator commands that arm what the RMM did on its own in @s, with
 * @realm for its realm ("leak R N", then "fault NAME N"), each to @fn;
 * its first error stops them.
 */
typedef int (*plan_cmd_fn)(void *ctx, const char *cmd);
int plan_arm(const struct plan_step *s, uint32_t realm, plan_cmd_fn fn,
	     void *ctx);

/* Realm ids the emulated RMM has (1..63). */
#define PLAN_MAX_REALMS	63

struct plan {
	struct plan_step *steps;
	size_t nsteps;
	uint32_t realms[PLAN_MAX_REALMS];	/* recorded realm ids, first use order */
	size_t nrealms;
	/* What the recording itself says, to compare a replay with. */
	uint64_t requests;	/* donate requests */
	uint64_t failed;	/* of those, in operations the RMM failed */
	uint64_t requested_bytes;
	uint64_t donated_bytes;
	uint64_t reclaimed_bytes;
	uint64_t given_up_bytes;	/* refused undelegations given up */
	uint64_t skipped;	/* operations with no emulator equivalent */
	uint64_t duration_ns;
	uint64_t events;	/* read from the trace */
	/* The reader's message if the file was cut short, else "". */
	char truncated[256];
};

/*
 * The plan of trace @path; 0, or -1 with *@err saying why (static). A
 * file cut short (no trailer: a recorder killed) plans the events of its
 * intact blocks and says so in truncated.
 */
int plan_build(const char *path, struct plan *p, const char **err);
/* The same from a reader already open. */
int plan_from_reader(struct trace_reader *r, struct plan *p, const char **err);
void plan_free(struct plan *p);

/* The emulator command of @s with @realm for its realm, into @buf. */
int plan_command(const struct plan_step *s, uint32_t realm, char *buf,
		 size_t len);
const char *plan_kind_name(unsigned int kind);

#endif
