// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Histograms (user/lib/hist.c): slots, sums, quantiles, and the exact text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "hist.h"

static void test_slot_boundaries(void **state)
{
	static const struct {
		uint64_t v;
		unsigned int slot;
	} cases[] = {
		{ 0, 0 }, { 1, 0 }, { 2, 1 }, { 3, 2 }, { 4, 2 }, { 5, 3 },
		{ 1023, 10 }, { 1024, 10 }, { 1025, 11 }, { 4096, 12 },
		{ 4097, 13 }, { 1ULL << 62, 62 }, { (1ULL << 62) + 1, 63 },
		{ 1ULL << 63, 63 }, { UINT64_MAX, 63 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int s = cases[i].slot;

		assert_int_equal(hist_slot(cases[i].v), s);
		/* the slot's range holds the value, the one below does not */
		assert_true(cases[i].v <= hist_slot_upper(s));
		if (s)
			assert_true(cases[i].v > hist_slot_upper(s - 1));
	}
}

static void test_slot_upper(void **state)
{
	assert_int_equal(hist_slot_upper(0), 1);
	assert_int_equal(hist_slot_upper(1), 2);
	assert_int_equal(hist_slot_upper(10), 1024);
	assert_int_equal(hist_slot_upper(12), 4096);
	assert_int_equal(hist_slot_upper(62), 1ULL << 62);
	assert_int_equal(hist_slot_upper(63), UINT64_MAX);
	assert_int_equal(hist_slot_upper(64), UINT64_MAX);
}

static void test_add_and_sum(void **state)
{
	struct sro_hist a = {}, b = {};

	hist_add(&a, 4096);
	hist_add(&a, 4096);
	hist_add(&a, 3);
	hist_add(&b, 4096);
	hist_add(&b, 1 << 21);
	assert_int_equal(a.slots[12], 2);
	assert_int_equal(a.slots[2], 1);
	assert_int_equal(a.count, 3);
	assert_int_equal(a.sum, 8195);
	hist_sum(&a, &b);
	assert_int_equal(a.slots[12], 3);
	assert_int_equal(a.slots[21], 1);
	assert_int_equal(a.slots[2], 1);
	assert_int_equal(a.slots[13], 0);
	assert_int_equal(a.count, 5);
	assert_int_equal(a.sum, 8195 + 4096 + (1 << 21));
	/* @src is left alone */
	assert_int_equal(b.count, 2);
	assert_int_equal(b.slots[12], 1);
}

static void test_quantile(void **state)
{
	struct sro_hist h = {};

	assert_int_equal(hist_quantile(&h, 0.5), 0);
	assert_int_equal(hist_quantile(&h, 0.99), 0);
	h.slots[12] = 50;
	h.slots[13] = 49;
	h.slots[21] = 1;
	h.count = 100;
	assert_int_equal(hist_quantile(&h, 0), 4096);
	assert_int_equal(hist_quantile(&h, 0.01), 4096);
	assert_int_equal(hist_quantile(&h, 0.5), 4096);	/* the 50th */
	assert_int_equal(hist_quantile(&h, 0.505), 8192);	/* the 51st */
	assert_int_equal(hist_quantile(&h, 0.99), 8192);	/* the 99th */
	assert_int_equal(hist_quantile(&h, 0.991), 1 << 21);
	assert_int_equal(hist_quantile(&h, 1), 1 << 21);
	assert_int_equal(hist_quantile(&h, 2), 1 << 21);
	assert_int_equal(hist_quantile(&h, -1), 4096);

	h = (struct sro_hist){ .slots[63] = 1, .count = 1 };
	assert_int_equal(hist_quantile(&h, 0.5), UINT64_MAX);
	h = (struct sro_hist){ .slots[0] = 3, .count = 3 };
	assert_int_equal(hist_quantile(&h, 0.99), 1);
}

/* What @print wrote, as a string to compare. */
static char *out;
static size_t outlen;

static FILE *mem(void)
{
	FILE *f;

	free(out);
	out = NULL;
	f = open_memstream(&out, &outlen);
	assert_non_null(f);
	return f;
}

static const char *done(FILE *f)
{
	assert_int_equal(fclose(f), 0);
	return out;
}

static void test_print_bytes(void **state)
{
	struct sro_hist h = {
		.slots = { [12] = 40, [13] = 3, [16] = 1 },
		.count = 44,
		.sum = 40 * 4096 + 3 * 8192 + 65536,
	};
	FILE *f = mem();

	hist_print_log2(f, &h, "Donate request size", HIST_UNIT_BYTES);
	assert_string_equal(done(f),
		"Donate request size\n"
		"     bytes : count distribution\n"
		" 2K -> 4K  : 40    |****************************************|\n"
		" 4K -> 8K  : 3     |***                                     |\n"
		" 8K -> 16K : 0     |                                        |\n"
		"16K -> 32K : 0     |                                        |\n"
		"32K -> 64K : 1     |*                                       |\n"
		"count 44, sum 248.0 KiB, p50 <= 4K, p99 <= 64K\n"
		"\n");
}

static void test_print_ns(void **state)
{
	struct sro_hist h = {
		.slots = { [9] = 5, [10] = 100, [11] = 1000000 },
		.count = 1000105,
		.sum = 2000000000,
	};
	FILE *f = mem();

	hist_print_log2(f, &h, "SRO operation duration", HIST_UNIT_NS);
	assert_string_equal(done(f),
		"SRO operation duration\n"
		"              ns : count   distribution\n"
		"256 ns -> 512 ns : 5       |*                                       |\n"
		"512 ns -> 1.0 us : 100     |*                                       |\n"
		"1.0 us -> 2.0 us : 1000000 |****************************************|\n"
		"count 1000105, sum 2.0 s, p50 <= 2.0 us, p99 <= 2.0 us\n"
		"\n");
}

static void test_print_edges(void **state)
{
	struct sro_hist h = {
		.slots = { [0] = 2, [1] = 2 },
		.count = 8,	/* the count printed is the one kept */
		.sum = 5,
	};
	FILE *f = mem();

	/* slot 0 from 0; the last slot has no upper bound */
	hist_print_log2(f, &h, "small", HIST_UNIT_NONE);
	assert_string_equal(done(f),
		"small\n"
		" value : count distribution\n"
		"0 -> 1 : 2     |****************************************|\n"
		"1 -> 2 : 2     |****************************************|\n"
		"count 8, sum 5, p50 <= 1, p99 <= 2\n"
		"\n");
	h = (struct sro_hist){ .slots = { [63] = 1 }, .count = 1 };
	f = mem();
	hist_print_log2(f, &h, "huge", HIST_UNIT_BYTES);
	assert_string_equal(done(f),
		"huge\n"
		"    bytes : count distribution\n"
		"4E -> inf : 1     |****************************************|\n"
		"count 1, sum 0 B, p50 <= inf, p99 <= inf\n"
		"\n");
}

static void test_print_linear(void **state)
{
	struct sro_hist h = {
		.slots = { [0] = 10, [2] = 3, [9] = 1 },
		.count = 14,
		.sum = 15,
	};
	FILE *f = mem();

	hist_print_linear(f, &h, "Allocated block order", "order");
	assert_string_equal(done(f),
		"Allocated block order\n"
		"order : count distribution\n"
		"    0 : 10    |****************************************|\n"
		"    1 : 0     |                                        |\n"
		"    2 : 3     |************                            |\n"
		"    3 : 0     |                                        |\n"
		"    4 : 0     |                                        |\n"
		"    5 : 0     |                                        |\n"
		"    6 : 0     |                                        |\n"
		"    7 : 0     |                                        |\n"
		"    8 : 0     |                                        |\n"
		"    9 : 1     |****                                    |\n"
		"count 14, sum 15, p50 0, p99 9\n"
		"\n");
	h = (struct sro_hist){ .slots = { [3] = 2 }, .count = 2, .sum = 6 };
	f = mem();
	hist_print_linear(f, &h, "one order", "o");
	assert_string_equal(done(f),
		"one order\n"
		"o : count distribution\n"
		"3 : 2     |****************************************|\n"
		"count 2, sum 6, p50 3, p99 3\n"
		"\n");
}

static void test_print_empty(void **state)
{
	struct sro_hist h = {};
	FILE *f = mem();

	hist_print_log2(f, &h, "Allocation latency, source pool", HIST_UNIT_NS);
	hist_print_linear(f, &h, "Allocated block order", "order");
	assert_string_equal(done(f),
		"Allocation latency, source pool\n(no events)\n\n"
		"Allocated block order\n(no events)\n\n");
	free(out);
	out = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slot_boundaries),
		cmocka_unit_test(test_slot_upper),
		cmocka_unit_test(test_add_and_sum),
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_print_bytes),
		cmocka_unit_test(test_print_ns),
		cmocka_unit_test(test_print_edges),
		cmocka_unit_test(test_print_linear),
		cmocka_unit_test(test_print_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
