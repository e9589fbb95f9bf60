// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracer's merge of the CPUs' batches (user/lib/evmerge.c): records
 * come out in time order, and only once no CPU can still send an older
 * one; the last delivery gives every record held.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "evmerge.h"

struct got {
	uint64_t ts[64];
	int n;
};

static int take(void *ctx, const struct sro_event *e)
{
	struct got *g = ctx;

	if (g->n < 64)
		g->ts[g->n] = e->ts;
	g->n++;
	return 0;
}

/* A batch of @n records of @cpu at times @ts..., or a marker (type 0). */
static void add(struct evmerge *m, int cpu, int type, int n, ...)
{
	struct sro_event ev[16] = {};
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < n; i++) {
		ev[i].cpu = cpu;
		ev[i].type = type;
		ev[i].ts = va_arg(ap, uint64_t);
	}
	va_end(ap);
	assert_int_equal(evmerge_add(m, ev, n * sizeof(ev[0])), 0);
}

#define DONATE	SRO_EV_DONATE
#define MARK	SRO_EV_NONE

static void in_order_across_cpus(void **state)
{
	struct evmerge *m = evmerge_new(2);
	struct got g = {};
	int i;

	/* CPU 1's batch went out first, though CPU 0 has older records. */
	add(m, 1, DONATE, 3, 20ULL, 40ULL, 60ULL);
	add(m, 0, DONATE, 3, 10ULL, 30ULL, 50ULL);
	/* Up to CPU 0's last: after it, CPU 0 might still send older than 60. */
	assert_int_equal(evmerge_deliver(m, false, take, &g), 0);
	assert_int_equal(g.n, 5);
	for (i = 1; i < g.n; i++)
		assert_true(g.ts[i - 1] <= g.ts[i]);
	assert_int_equal(g.ts[4], 50);
	/* The last record waits for CPU 0 to say it has nothing older. */
	assert_int_equal(evmerge_held(m), 1);
	add(m, 0, MARK, 1, 55ULL);
	assert_int_equal(evmerge_deliver(m, false, take, &g), 0);
	assert_int_equal(g.n, 5);
	add(m, 0, MARK, 1, 70ULL);
	assert_int_equal(evmerge_deliver(m, false, take, &g), 0);
	assert_int_equal(g.n, 6);
	assert_int_equal(g.ts[5], 60);
	evmerge_free(m);
}

static void waits_for_a_quiet_cpu(void **state)
{
	struct evmerge *m = evmerge_new(2);
	struct got g = {};

	add(m, 0, DONATE, 2, 10ULL, 20ULL);
	/* CPU 1 never flushed: it may still hold something older. */
	assert_int_equal(evmerge_deliver(m, false, take, &g), 0);
	assert_int_equal(g.n, 0);
	add(m, 1, MARK, 1, 15ULL);
	assert_int_equal(evmerge_deliver(m, false, take, &g), 0);
	assert_int_equal(g.n, 1);
	/* An offline CPU sends nothing more: not waited for. */
	evmerge_offline(m, 1, true);
	assert_int_equal(evmerge_deliver(m, false, take, &g), 0);
	assert_int_equal(g.n, 2);
	evmerge_free(m);
}

static void last_delivery_gives_all(void **state)
{
	struct evmerge *m = evmerge_new(3);
	struct got g = {};

	add(m, 2, DONATE, 2, 5ULL, 7ULL);
	add(m, 0, DONATE, 1, 6ULL);
	/* A CPU beyond the possible ones: ignored, not waited for. */
	add(m, 9, DONATE, 1, 1ULL);
	assert_int_equal(evmerge_deliver(m, true, take, &g), 0);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.ts[0], 5);
	assert_int_equal(g.ts[1], 6);
	assert_int_equal(g.ts[2], 7);
	assert_int_equal(evmerge_held(m), 0);
	evmerge_free(m);
}

static int count(void *ctx, const struct sro_event *e)
{
	(*(int *)ctx)++;
	return 0;
}

/* More records than a queue starts with, some delivered on the way. */
static void grows(void **state)
{
	struct evmerge *m = evmerge_new(2);
	struct sro_event e = { .type = DONATE };
	int n = 0;

	for (e.ts = 1; e.ts <= 5000; e.ts++) {
		assert_int_equal(evmerge_add(m, &e, sizeof(e)), 0);
		if (e.ts % 700 == 0) {
			add(m, 1, MARK, 1, e.ts - 100);
			assert_int_equal(evmerge_deliver(m, false, count, &n), 0);
		}
	}
	assert_int_equal(n, 4800);
	assert_int_equal(evmerge_held(m), 200);
	assert_int_equal(evmerge_deliver(m, true, count, &n), 0);
	assert_int_equal(n, 5000);
	evmerge_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(in_order_across_cpus),
		cmocka_unit_test(waits_for_a_quiet_cpu),
		cmocka_unit_test(last_delivery_gives_all),
		cmocka_unit_test(grows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
