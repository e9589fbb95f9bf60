// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evmerge.h"

/* One CPU's records, as they came, until they can go out. */
struct cpu_queue {
	struct sro_event *ev;
	size_t head, len, cap;	/* ev[head, len) not yet delivered */
	uint64_t flushed;	/* its records up to this time have all come */
	bool offline;
};

struct evmerge {
	struct cpu_queue *q;
	int ncpus;
};

struct evmerge *evmerge_new(int ncpus)
{
	struct evmerge *m;

	if (ncpus <= 0)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->q = calloc(ncpus, sizeof(*m->q));
	if (!m->q) {
		free(m);
		return NULL;
	}
	m->ncpus = ncpus;
	return m;
}

void evmerge_free(struct evmerge *m)
{
	int cpu;

	if (!m)
		return;
	for (cpu = 0; cpu < m->ncpus; cpu++)
		free(m->q[cpu].ev);
	free(m->q);
	free(m);
}

static int queue_push(struct cpu_queue *q, const struct sro_event *e)
{
	struct sro_event *ev;
	size_t cap;

	if (q->len == q->cap && q->head) {
		memmove(q->ev, q->ev + q->head, (q->len - q->head) * sizeof(*e));
		q->len -= q->head;
		q->head = 0;
	}
	if (q->len == q->cap) {
		cap = q->cap ? 2 * q->cap : 1024;
		ev = realloc(q->ev, cap * sizeof(*ev));
		if (!ev)
			return -ENOMEM;
		q->ev = ev;
		q->cap = cap;
	}
	q->ev[q->len++] = *e;
	return 0;
}

int evmerge_add(struct evmerge *m, const void *data, size_t size)
{
	const struct sro_event *e = data;
	struct cpu_queue *q;
	size_t i;
	int err;

	for (i = 0; i < size / sizeof(*e); i++) {
		/* A CPU we do not know: nobody would wait for it. */
		if (e[i].cpu >= m->ncpus)
			continue;
		q = &m->q[e[i].cpu];
		if (e[i].type == SRO_EV_NONE) {
			q->flushed = e[i].ts;
			continue;
		}
		err = queue_push(q, &e[i]);
		if (err)
			return err;
	}
	return 0;
}

void evmerge_offline(struct evmerge *m, int cpu, bool offline)
{
	if (cpu >= 0 && cpu < m->ncpus)
		m->q[cpu].offline = offline;
}

/*
 * A CPU's queue ahead of the others: its next record is the oldest. It
 * may go when every CPU with none held has sent all up to its time.
 */
int evmerge_deliver(struct evmerge *m, bool all, tracer_event_fn fn, void *ctx)
{
	struct cpu_queue *q, *first;
	uint64_t bound;
	int cpu, err;

	for (;;) {
		first = NULL;
		bound = UINT64_MAX;
		for (cpu = 0; cpu < m->ncpus; cpu++) {
			q = &m->q[cpu];
			if (q->head < q->len) {
				if (!first || q->ev[q->head].ts < first->ev[first->head].ts)
					first = q;
			} else if (!q->offline && q->flushed < bound) {
				bound = q->flushed;
			}
		}
		if (!first || (!all && first->ev[first->head].ts > bound))
			return 0;
		err = fn ? fn(ctx, &first->ev[first->head]) : 0;
		if (++first->head == first->len)
			first->head = first->len = 0;
		if (err)
			return err;
	}
}

size_t evmerge_held(const struct evmerge *m)
{
	size_t n = 0;
	int cpu;

	for (cpu = 0; cpu < m->ncpus; cpu++)
		n += m->q[cpu].len - m->q[cpu].head;
	return n;
}
