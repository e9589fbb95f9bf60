/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The user side of struct sro_hist (include/sroscope.h): sums of the
 * per-CPU copies, quantiles, and bcc-style text output.
 */
#ifndef SROSCOPE_HIST_H
#define SROSCOPE_HIST_H

#include <stdint.h>
#include <stdio.h>
#include <linux/types.h>

#include "sroscope.h"

/* What the values of a log2 histogram are, for the range column. */
enum hist_unit {
	HIST_UNIT_NONE,		/* plain numbers */
	HIST_UNIT_BYTES,	/* ranges "2K -> 4K", the sum "6.0 KiB" */
	HIST_UNIT_NS,		/* "512 ns -> 1.0 us" */
};

/* The log2 slot of @v, as the BPF side counts it: ceil(log2(v)), 0..63. */
unsigned int hist_slot(uint64_t v);
/* Count @v in @h (a log2 histogram built in user space, e.g. on replay). */
void hist_add(struct sro_hist *h, uint64_t v);
/* Add @src to @dst: slots, count and sum. */
void hist_sum(struct sro_hist *dst, const struct sro_hist *src);
/* The largest value slot @slot counts: 2^slot; UINT64_MAX for the last. */
uint64_t hist_slot_upper(unsigned int slot);
/*
 * The upper bound of the slot that holds quantile @q (0..1) of the
 * values, so the true quantile is at most that; 0 if @h is empty.
 */
uint64_t hist_quantile(const struct sro_hist *h, double q);
/*
 * @title, then one "lo -> hi : count |***|" line per slot from the first
 * to the last non-empty one (the slot counts lo < v <= hi), then count,
 * sum, p50 and p99. "(no events)" under the title when empty.
 */
void hist_print_log2(FILE *f, const struct sro_hist *h, const char *title,
		     int unit);
/* The same for a linear histogram (slot i counts the value i). */
void hist_print_linear(FILE *f, const struct sro_hist *h, const char *title,
		       const char *label);

#endif
