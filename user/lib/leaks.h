/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The leak report of `sroscope leaks`, as figures: what destroyed realms
 * did not get back, what the host gave up, what live realms hold past an
 * age. Built from a snapshot (snapshot.h) once; the JSON and the text are
 * both rendered from it, so neither reads the other back.
 */
#ifndef SROSCOPE_LEAKS_H
#define SROSCOPE_LEAKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "realms.h"
#include "snapshot.h"

struct json_object;

/* Outstanding donations of one realm, operation, purpose (and stack). */
struct leak_group {
	uint32_t realm;
	uint32_t cmd;		/* RMI command (0: host delegated) */
	uint8_t purpose;
	int32_t stack_id;	/* -1 unless grouped by stack */
	uint64_t bytes;
	uint64_t blocks;
	uint64_t oldest_age_ns;
};

/* A destroyed realm the realm world did not give everything back. */
struct leak_realm {
	uint32_t realm;
	uint64_t donated_bytes;
	uint64_t returned_bytes;
	uint64_t unreturned_bytes;
	uint64_t unreturned_blocks;
	bool partial;		/* some came back ("partial"), or none */
	bool complete;		/* no reclaim of a donation not seen */
	uint64_t destroyed_age_ns;
	const struct leak_group *groups;	/* in leak_report.storage */
	size_t ngroups;
};

/* Memory of a realm the host gave up (the RMM refused to undelegate). */
struct leak_given_up {
	uint32_t realm;
	uint64_t bytes;
	uint64_t blocks;
};

struct leak_report {
	bool reliable;		/* the maps missed no event the books need */
	bool by_stack;		/* groups split by kernel stack */
	uint64_t traced_ns;
	uint64_t age_ns;
	uint64_t unreturned_bytes;
	uint64_t given_up_bytes;
	uint64_t held_over_age_bytes;
	struct leak_realm *destroyed;		/* by realm */
	size_t ndestroyed;
	struct leak_given_up *given_up;		/* by realm */
	size_t ngiven_up;
	struct leak_group *held;		/* live realms, over the age */
	size_t nheld;
	uint64_t losses[SRO_LOSS_NR];
	uint64_t recursion_misses;
	struct leak_group *storage;		/* the destroyed realms' groups */
	/*
	 * The kernel's per-realm accounts, or NULL: set by the caller, not
	 * owned. They name each realm's VMM, and add the leaks of realms
	 * older than the trace.
	 */
	const struct realm_accts *accts;
};

/*
 * The report of @s: live donations older than @age_ns, tracing since
 * @start_ts (CLOCK_BOOTTIME ns), groups split by stack when @by_stack.
 * 0 or -ENOMEM; leak_report_free() @r either way.
 */
int leak_report_build(const struct snapshot *s, uint64_t age_ns,
		      uint64_t start_ts, bool by_stack, struct leak_report *r);
void leak_report_free(struct leak_report *r);

/*
 * The renderings need a group's stack (with by_stack) by name: up to @max
 * frames of kernel stack @id into @names, innermost first; their count.
 */
#define LEAK_SYM_LEN	160
typedef int (*leak_stack_fn)(void *ctx, int32_t id,
			     char (*names)[LEAK_SYM_LEN], int max);

/*
 * The report as `leaks --json` prints it: a document of format
 * "sroscope-leaks" (format.h), schemas/sroscope-leaks.schema.json.
 */
#define LEAKS_JSON_FORMAT	"sroscope-leaks"
#define LEAKS_JSON_VERSION	1
struct json_object *leak_report_json(const struct leak_report *r,
				     leak_stack_fn stack, void *ctx);
/* The report as `leaks` prints it. */
void leak_report_print(FILE *f, const struct leak_report *r,
		       leak_stack_fn stack, void *ctx);

#endif
