/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The tracer's records back in time order. Each CPU sends its own
 * records in batches, in time order, and after a flush a marker (type
 * SRO_EV_NONE) saying that all of its records up to the marker's time
 * have been sent (bpf/sroscope.bpf.c). The CPUs' batches meet in the ring
 * buffer in the order they were sent, not in time order: a record is
 * held here until no CPU can still send an older one.
 */
#ifndef SROSCOPE_EVMERGE_H
#define SROSCOPE_EVMERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "sroscope.h"

struct evmerge;

struct evmerge *evmerge_new(int ncpus);
void evmerge_free(struct evmerge *m);

/* A ring buffer sample: records of one CPU, or a marker. 0 or -ENOMEM. */
int evmerge_add(struct evmerge *m, const void *data, size_t size);

/* @cpu is offline: nothing more can come from it, do not wait for it. */
void evmerge_offline(struct evmerge *m, int cpu, bool offline);

/*
 * Hand the records no CPU can still precede to @fn, oldest first (with
 * @all, every record held). 0, or the first error of @fn.
 */
typedef int (*tracer_event_fn)(void *ctx, const struct sro_event *e);
int evmerge_deliver(struct evmerge *m, bool all, tracer_event_fn fn, void *ctx);

/* Records held, waiting for other CPUs. */
size_t evmerge_held(const struct evmerge *m);

#endif
