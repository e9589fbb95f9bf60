/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Snapshots of the maps of bpf/sroscope.bpf.c: every map read with batch
 * lookups and the per-CPU values folded, so that no command (nor the
 * exporter, nor the benchmark) has a map-reading loop of its own.
 */
#ifndef SROSCOPE_SNAPSHOT_H
#define SROSCOPE_SNAPSHOT_H

#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "sroscope.h"

struct bpf_object;

struct realm_row {
	uint32_t realm;
	struct sro_realm_stats s;
};

struct donation_row {
	uint64_t id;		/* the kernel's donation id */
	struct sro_donation d;
};

/* What the maps held at one moment. */
struct snapshot {
	uint64_t ts;				/* CLOCK_BOOTTIME ns */
	struct realm_row *realms;		/* sorted by realm */
	size_t nrealms;
	struct donation_row *donations;		/* SNAP_DONATIONS only; no order */
	size_t ndonations;
	struct sro_src_stats sources[SRO_SRC_NR];
	struct sro_hist hists[SRO_HIST_NR];
	uint64_t losses[SRO_LOSS_NR];
	uint64_t recursion_misses;		/* all programs */
	uint32_t max_realms;			/* the maps' sizes */
	uint32_t max_donations;			/* ring and hash */
};

#define SNAP_DONATIONS	1U

/*
 * Read the maps of @obj (bpf/sroscope.bpf.c, loaded) into @s; @ncpus: the
 * possible CPUs. 0 or -errno.
 */
int snapshot_read(struct bpf_object *obj, int ncpus, struct snapshot *s,
		  unsigned int what);
void snapshot_free(struct snapshot *s);

/*
 * The size of the "donations" ring for a tracer keeping @max_donations:
 * the power of two at or above it, at most SRO_DONATION_RING_MAX (the
 * hash takes the rest).
 */
#define SRO_DONATION_RING_MAX	(1U << 18)
uint32_t donation_ring_size(uint32_t max_donations);

/* Index of @realm in @s->realms (sorted), or -1. */
long snapshot_realm(const struct snapshot *s, uint32_t realm);

/* The sum of a per-source array (donated, reclaimed). */
uint64_t src_sum(const __u64 *v);

/* Held bytes of a realm: donated and not reclaimed, all sources. */
uint64_t realm_held(const struct sro_realm_stats *s);

/* Events lost in a way that makes the books (maps) incomplete. */
uint64_t snapshot_book_losses(const struct snapshot *s);

/* One line naming every non-zero loss, for the end of a report. */
void snapshot_print_losses(FILE *f, const struct snapshot *s);
/* The same from the counts (losses[SRO_LOSS_NR]) a report kept. */
void print_losses(FILE *f, const uint64_t *losses, uint64_t recursion_misses);

#endif
