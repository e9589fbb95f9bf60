// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Replay plans (user/replay_plan.c) of the reference workloads, and the
 * replay's accounting (user/replay.c) on made-up events.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "replay.h"
#include "replay_plan.h"

static size_t count(const struct plan *p, unsigned int kind)
{
	size_t i, n = 0;

	for (i = 0; i < p->nsteps; i++)
		n += p->steps[i].kind == kind;
	return n;
}

static uint32_t sum_leak(const struct plan *p, uint32_t realm)
{
	uint32_t n = 0;
	size_t i;

	for (i = 0; i < p->nsteps; i++)
		if (p->steps[i].realm == realm)
			n += p->steps[i].leak;
	return n;
}

/* leaky: 3 realms, each with 2 RECs and a 4-granule device, keeping 3. */
static void test_leaky(void **state)
{
	const char *err = NULL;
	struct plan p;
	char cmd[64];

	assert_int_equal(plan_build("examples/workloads/leaky.srotrace", &p, &err), 0);
	assert_int_equal(p.nrealms, 3);
	assert_int_equal(count(&p, PLAN_REALM_CREATE), 3);
	assert_int_equal(count(&p, PLAN_REALM_DESTROY), 3);
	assert_int_equal(count(&p, PLAN_REC_CREATE), 6);
	assert_int_equal(count(&p, PLAN_PDEV_CREATE), 3);
	assert_int_equal(p.requests, 9);
	assert_int_equal(p.donated_bytes - p.reclaimed_bytes, 9 * 4096);
	assert_int_equal(sum_leak(&p, 10), 3);
	assert_int_equal(sum_leak(&p, 11), 3);
	assert_int_equal(sum_leak(&p, 12), 3);
	/* The refused undelegations are armed once, 2 granules. */
	{
		uint32_t refused = 0;
		size_t i;

		for (i = 0; i < p.nsteps; i++)
			refused += p.steps[i].refuse;
		assert_int_equal(refused, 2);
	}
	/* Steps are in time order and start with the realm's creation. */
	assert_int_equal(p.steps[0].kind, PLAN_REALM_CREATE);
	plan_command(&p.steps[3], 5, cmd, sizeof(cmd));
	assert_string_equal(cmd, "pdev_create 5 4");
	plan_free(&p);
}

/* smmu: stream tables replay by SID bits, 2 MiB -> 24. */
static void test_smmu(void **state)
{
	const char *err = NULL;
	struct plan p;
	size_t i;

	assert_int_equal(plan_build("examples/workloads/smmu.srotrace", &p, &err), 0);
	assert_int_equal(count(&p, PLAN_SMMU_ACTIVATE), 8);
	for (i = 0; i < p.nsteps; i++)
		if (p.steps[i].kind == PLAN_SMMU_ACTIVATE)
			assert_int_equal(p.steps[i].arg, 24);
	assert_int_equal(count(&p, PLAN_HUGE), 8);
	plan_free(&p);
}

static void test_bad_files(void **state)
{
	const char *err = NULL;
	struct plan p;

	assert_int_equal(plan_build("/nonexistent.srotrace", &p, &err), -1);
	assert_non_null(strstr(err, "/nonexistent.srotrace"));
	assert_int_equal(plan_build("README.md", &p, &err), -1);
	assert_non_null(err);
}

static void ev(struct replay_stats *st, unsigned int type, uint64_t op,
	       uint64_t size, int status, uint64_t ns)
{
	struct sro_event e = { .type = type, .op = op, .size = size,
			       .status = status, .ns = ns, .cmd = 0xC400017A,
			       .count = 1 };

	replay_account(st, &e);
}

/* Requests are served or failed, by reason; shapes keep each latency. */
static void test_accounting(void **state)
{
	struct replay_stats st;
	uint64_t v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

	replay_stats_init(&st);
	ev(&st, SRO_EV_OP_START, 1, 0, 0, 0);
	ev(&st, SRO_EV_DONATE_REQ, 1, 8192, 0, 0);
	ev(&st, SRO_EV_ALLOC, 1, 4096, 0, 100);
	ev(&st, SRO_EV_ALLOC, 1, 4096, 0, 50);
	ev(&st, SRO_EV_OP_END, 1, 0, 0, 0);
	ev(&st, SRO_EV_OP_START, 2, 0, 0, 0);
	ev(&st, SRO_EV_DONATE_REQ, 2, 8192, 0, 0);
	ev(&st, SRO_EV_ALLOC_FAIL, 2, 4096, SRO_FAIL_NOMEM, 30);
	ev(&st, SRO_EV_OP_END, 2, 0, -12, 0);
	ev(&st, SRO_EV_OP_START, 3, 0, 0, 0);
	ev(&st, SRO_EV_DONATE_REQ, 3, 4096, 0, 0);	/* never ends */
	assert_int_equal(st.requests, 3);
	assert_int_equal(st.served, 1);
	assert_int_equal(st.failed, 1);
	assert_int_equal(st.fail_reasons[SRO_FAIL_NOMEM], 1);
	assert_int_equal(st.nshapes, 1);
	assert_int_equal(st.shapes[0].n, 1);
	assert_int_equal(st.shapes[0].ns[0], 150);
	{
		struct kstats k = {};
		struct json_object *o = json_object_new_object(), *x;

		replay_results(&st, o, &k, &k, v, 3);
		assert_true(json_object_object_get_ex(o, "failed", &x));
		assert_int_equal(json_object_get_uint64(x), 2);	/* op 3 cut off */
		json_object_put(o);
	}
	assert_int_equal(replay_quantile(v, 10, 0.5), 5);
	assert_int_equal(replay_quantile(v, 10, 0.99), 10);
	assert_int_equal(replay_quantile(v, 1, 0.99), 1);
	assert_int_equal(replay_quantile(v, 0, 0.5), 0);
	replay_stats_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaky),
		cmocka_unit_test(test_smmu),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_accounting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
