/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The metrics of `sroscope export`, in the Prometheus text format: what a
 * snapshot of the BPF maps, the kernel's sro/stats and the exporter's own
 * health say. docs/metrics.md lists them; the dashboards and alert rules
 * in dashboards/ use them.
 */
#ifndef SROSCOPE_METRICS_H
#define SROSCOPE_METRICS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kstats.h"
#include "snapshot.h"

#define METRICS_MAX_PROGS	16

/* Run-time statistics of one BPF program (kernel.bpf_stats_enabled). */
struct prog_stat {
	char name[32];
	uint64_t run_ns;
	uint64_t run_cnt;
};

/* What the exporter knows about itself. */
struct export_health {
	double start_time;		/* Unix time tracking began */
	int bpf_stats_enabled;		/* -1: unknown */
	struct prog_stat progs[METRICS_MAX_PROGS];
	int nprogs;
	uint64_t scrapes;		/* served before this one */
	uint64_t scrape_errors;		/* map reads that failed */
	double last_scrape_seconds;	/* time the previous one took */
};

/*
 * Write every metric. @k NULL: the kernel's counters could not be read
 * (no debugfs), so the policy and pool metrics are left out and
 * sroscope_kernel_stats_up says 0.
 */
void metrics_write(FILE *f, const struct snapshot *s, const struct kstats *k,
		   const struct export_health *h);

#endif
