// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The policy supervisor's configuration (user/lib/polconf.c): defaults,
 * every kind of value, and errors that name the file, line and key; and
 * the health judged over a window of counters (user/lib/polhealth.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "polconf.h"
#include "polhealth.h"

#define SEC	1000000000ULL

static int parse(const char *text, struct polconf *c, char *msg)
{
	return polconf_parse("p.conf", text, strlen(text), c, msg,
			     POLCONF_MSG_LEN);
}

static void test_defaults(void **state)
{
	char msg[POLCONF_MSG_LEN];
	struct polconf c;

	assert_int_equal(parse("# nothing\n\n   \n", &c, msg), 0);
	assert_string_equal(c.preferred, "adaptive");
	assert_string_equal(c.safe, "exact");
	assert_int_equal(c.interval_ns, SEC);
	assert_int_equal(c.window_ns, 30 * SEC);
	assert_int_equal(c.min_requests, 20);
	assert_int_equal(c.max_invalid, 0);
	assert_true(c.max_fallback_ratio == 0.5);
	assert_true(c.max_fail_ratio == 0.5);
	assert_int_equal(c.max_mean_latency_ns, 0);
	assert_int_equal(c.backoff_initial_ns, 30 * SEC);
	assert_int_equal(c.backoff_max_ns, 1800 * SEC);
	assert_false(c.takeover);
	assert_int_equal(c.line[PC_PREFERRED], 0);
}

static void test_values(void **state)
{
	char msg[POLCONF_MSG_LEN];
	struct polconf c;

	assert_int_equal(parse("preferred = pool   # the pool\n"
			       "  safe=/etc/sroscope/safe.bpf.o\n"
			       "interval = 200ms\nwindow = 5\n"
			       "min_requests = 3\nmax_invalid = 2\n"
			       "max_fallback_ratio = 0.25\nmax_fail_ratio = 1\n"
			       "max_mean_latency = 50us\n"
			       "backoff_initial = 1m\nbackoff_max = 1h\n"
			       "takeover = yes", &c, msg), 0);
	assert_string_equal(c.preferred, "pool");
	assert_string_equal(c.safe, "/etc/sroscope/safe.bpf.o");
	assert_int_equal(c.interval_ns, 200000000);
	assert_int_equal(c.window_ns, 5 * SEC);
	assert_int_equal(c.min_requests, 3);
	assert_int_equal(c.max_invalid, 2);
	assert_true(c.max_fallback_ratio == 0.25);
	assert_true(c.max_fail_ratio == 1);
	assert_int_equal(c.max_mean_latency_ns, 50000);
	assert_int_equal(c.backoff_initial_ns, 60 * SEC);
	assert_int_equal(c.backoff_max_ns, 3600 * SEC);
	assert_true(c.takeover);
	assert_int_equal(c.line[PC_PREFERRED], 1);
	assert_int_equal(c.line[PC_TAKEOVER], 12);
}

/* Each refused text, and what its message must say. */
static void test_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "windw = 3s\n", "p.conf:1: unknown key 'windw': expected preferred, safe," },
		{ "\n# c\nwindow 3s\n", "p.conf:3: 'window 3s' is not a setting: KEY = VALUE is expected" },
		{ "window =\n", "p.conf:1: window has no value: window = VALUE is expected" },
		{ "window = 3s\nwindow = 4s\n", "p.conf:2: window set again (first on line 1)" },
		{ "interval = 1.5\n", "p.conf:1: invalid interval '1.5': a whole number of seconds, or one with a unit" },
		{ "interval = 10ms\n", "p.conf:1: invalid interval '10ms':" },
		{ "min_requests = 0\n", "p.conf:1: invalid min_requests '0'" },
		{ "max_fail_ratio = 1.5\n", "p.conf:1: invalid max_fail_ratio '1.5': a number from 0 to 1 is expected" },
		{ "max_fallback_ratio = half\n", "p.conf:1: invalid max_fallback_ratio 'half'" },
		{ "takeover = true\n", "p.conf:1: invalid takeover 'true': yes or no is expected" },
		{ "preferred = my policy\n", "p.conf:1: invalid preferred 'my policy'" },
		{ "preferred = exact\n", "p.conf:1: safe 'exact' is the preferred policy" },
		{ "interval = 2s\nwindow = 1s\n", "p.conf:2: window 1s against interval 2s: the window must hold from 1 to 3600 intervals" },
		{ "interval = 100ms\nwindow = 1h\n", "p.conf:2: window 3600s against interval 0.1s" },
		{ "backoff_max = 1s\n", "p.conf:1: backoff_max 1s is below backoff_initial 30s" },
	};
	char msg[POLCONF_MSG_LEN];
	struct polconf c;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		msg[0] = '\0';
		assert_int_equal(parse(cases[i].text, &c, msg), -EINVAL);
		if (strncmp(msg, cases[i].msg, strlen(cases[i].msg)))
			fail_msg("'%s': got '%s', want '%s...'", cases[i].text,
				 msg, cases[i].msg);
	}
}

static void test_missing(void **state)
{
	char msg[POLCONF_MSG_LEN];
	struct polconf c;

	assert_int_equal(polconf_read("/nonexistent/policy.conf", &c, msg,
				      sizeof(msg)), -ENOENT);
	assert_string_equal(msg, "cannot read /nonexistent/policy.conf: No such file or directory");
}

/* A window of @n samples, @per_tick requests each, of which @inv invalid. */
static void fill(struct health_window *w, const struct polconf *c, int n,
		 uint64_t per_tick, uint64_t inv, uint64_t fb, uint64_t fails,
		 uint64_t ns_per_alloc)
{
	struct health_sample s = {};
	int i;

	health_window_init(w, c);
	for (i = 0; i < n; i++) {
		s.t_ns = i * c->interval_ns;
		health_window_add(w, &s);
		s.requests += per_tick;
		s.invalid += inv;
		s.fallbacks += fb;
		s.fails += fails;
		s.allocs += per_tick;
		s.attempts += per_tick + fails;
		s.alloc_ns += per_tick * ns_per_alloc;
	}
}

static void test_health(void **state)
{
	static struct health_window w;
	char msg[POLCONF_MSG_LEN], line[256];
	struct polconf c;
	struct health h;

	assert_int_equal(parse("interval = 1s\nwindow = 4s\nmin_requests = 10\n"
			       "max_mean_latency = 100us\n", &c, msg), 0);
	/* Healthy, and a full window: 5 samples for 4 s. */
	fill(&w, &c, 7, 10, 0, 1, 1, 50000);
	health_judge(&w, &c, &h);
	assert_false(h.bad);
	assert_true(h.full);
	assert_int_equal(h.span_ns, 4 * SEC);
	assert_int_equal(h.d.requests, 40);
	assert_int_equal(h.mean_latency_ns, 50000);
	/* One invalid verdict is over max_invalid = 0, however few requests. */
	fill(&w, &c, 2, 1, 1, 0, 0, 0);
	health_judge(&w, &c, &h);
	assert_true(h.bad);
	assert_false(h.full);
	assert_string_equal(h.why, "invalid verdicts 1 > 0");
	/* Ratios and latency only with min_requests. */
	fill(&w, &c, 3, 4, 0, 4, 4, 1000000);
	health_judge(&w, &c, &h);
	assert_false(h.bad);
	fill(&w, &c, 5, 4, 0, 4, 4, 1000000);
	health_judge(&w, &c, &h);
	assert_true(h.bad);
	assert_string_equal(h.why, "fallback ratio 1.00 > 0.50, mean latency 1000.0us > 100.0us");
	health_format(line, sizeof(line), &h);
	assert_string_equal(line, "16 requests, 0 invalid, 16 fallbacks (1.00), 16 of 32 allocations failed (0.50), mean latency 1000.0 us, over 4.0 s");
	/* Under a window: no verdict from a single sample. */
	fill(&w, &c, 1, 100, 100, 0, 0, 0);
	health_judge(&w, &c, &h);
	assert_false(h.bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_health),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
