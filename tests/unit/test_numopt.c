// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The numbers of the command line and their limits (user/lib/numopt.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "numopt.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))
#define SEC	1000000000ULL

/* An option's edges: the least and most it takes, and just beyond. */
struct edges {
	const struct numopt *o;
	const char *min;
	uint64_t min_v;
	const char *below;	/* NULL when min is 0 */
	const char *max;
	uint64_t max_v;
	const char *above;
	const char *says;	/* in the message: the accepted range */
};

static const struct edges edges[] = {
	{ &numopt_interval, "1ms", 1000000, "999us",
	  "24h", 24 * 3600 * SEC, "86401", "from 1ms to 24h" },
	{ &numopt_count, "1", 1, "0",
	  "1000000000", 1000000000, "1000000001", "from 1 to 1000000000" },
	{ &numopt_rows, "1", 1, "0",
	  "100000", 100000, "100001", "from 1 to 100000" },
	{ &numopt_age, "0", 0, NULL,
	  "8760h", 8760 * 3600 * SEC, "525601m", "from 0 to 8760h" },
	{ &numopt_duration, "1000us", 1000000, "999999ns",
	  "31536000", 8760 * 3600 * SEC, "8761h", "from 1ms to 8760h" },
	{ &numopt_realm, "1", 1, "0",
	  "4294967295", 4294967295ULL, "4294967296", "from 1 to 4294967295" },
	{ &numopt_min_size, "0", 0, NULL,
	  "1024G", 1ULL << 40, "1099511627777", "from 0 to 1024G" },
	{ &numopt_max_donations, "1", 1, "0",
	  "16777216", 1 << 24, "16777217", "from 1 to 16777216" },
	{ &numopt_ringbuf_size, "4K", 4096, "2K",
	  "1G", 1ULL << 30, "2G", "a power of two from 4K to 1G" },
	{ &numopt_swaps, "1", 1, "0",
	  "10000000", 10000000, "10000001", "from 1 to 10000000" },
};

static void refused(const struct numopt *o, const char *s, int want,
		    const char *says)
{
	char msg[NUMOPT_MSG_LEN], head[128];
	uint64_t v = 12345;

	memset(msg, 0, sizeof(msg));
	assert_int_equal(numopt_parse(o, s, &v, msg, sizeof(msg)), want);
	assert_int_equal(v, 12345);	/* untouched */
	snprintf(head, sizeof(head), "invalid %s '%s': ", o->what, s ? s : "");
	if (strncmp(msg, head, strlen(head)) || !strstr(msg, says))
		fail_msg("'%s': message '%s' lacks '%s...%s'", s, msg, head, says);
}

static void test_edges(void **state)
{
	char msg[NUMOPT_MSG_LEN];
	uint64_t v;
	size_t i;

	for (i = 0; i < N(edges); i++) {
		const struct edges *e = &edges[i];

		assert_int_equal(numopt_parse(e->o, e->min, &v, msg, sizeof(msg)), 0);
		assert_int_equal(v, e->min_v);
		assert_int_equal(numopt_parse(e->o, e->max, &v, msg, sizeof(msg)), 0);
		assert_int_equal(v, e->max_v);
		if (e->below)
			refused(e->o, e->below, -ERANGE, e->says);
		refused(e->o, e->above, -ERANGE, e->says);
	}
}

/* What no numeric option takes, whatever its range. */
static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"", "x", "-1", "+1", " 1", "1 ", "1.5", "1e3", "0x10", "1,000",
		"18446744073709551616", "99999999999999999999999",
	};
	const struct numopt *all[] = {
		&numopt_interval, &numopt_count, &numopt_rows, &numopt_age,
		&numopt_duration, &numopt_realm, &numopt_min_size,
		&numopt_max_donations, &numopt_ringbuf_size, &numopt_swaps,
	};
	size_t i, j;

	for (i = 0; i < N(all); i++)
		for (j = 0; j < N(bad); j++)
			refused(all[i], bad[j], -EINVAL, "from ");
	refused(&numopt_count, NULL, -EINVAL, "a whole number");
}

/* A unit where none is taken, or not the option's kind. */
static void test_units(void **state)
{
	char msg[NUMOPT_MSG_LEN];
	uint64_t v;

	refused(&numopt_count, "5s", -EINVAL, "a whole number, from 1");
	refused(&numopt_rows, "2K", -EINVAL, "a whole number, from 1");
	refused(&numopt_interval, "4K", -EINVAL, "unit (ns, us, ms, s, m, h)");
	refused(&numopt_min_size, "1s", -EINVAL, "unit (K, M, G)");
	assert_int_equal(numopt_parse(&numopt_interval, "2m", &v, msg, sizeof(msg)), 0);
	assert_int_equal(v, 120 * SEC);
	assert_int_equal(numopt_parse(&numopt_min_size, "2MiB", &v, msg, sizeof(msg)), 0);
	assert_int_equal(v, 2 << 20);
	/* Not a power of two, although in range. */
	refused(&numopt_ringbuf_size, "3000", -ERANGE, "a power of two");
}

/*
 * The reported bugs: "top -C 18446744073 3" took 18446744073 s, which
 * overflowed the deadline and printed 3 reports in 1 s; "1.5" was
 * refused without saying what is accepted.
 */
static void test_reported(void **state)
{
	char msg[NUMOPT_MSG_LEN];
	uint64_t v;

	refused(&numopt_interval, "18446744073", -ERANGE, "from 1ms to 24h");
	assert_int_equal(numopt_parse(&numopt_interval, "1.5", &v, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "invalid interval '1.5': a whole number of seconds, or one with a unit (ns, us, ms, s, m, h), from 1ms to 24h, is expected");
	/* A short buffer: cut, terminated. */
	assert_int_equal(numopt_parse(&numopt_interval, "1.5", &v, msg, 8), -EINVAL);
	assert_string_equal(msg, "invalid");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
