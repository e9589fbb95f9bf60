// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The Prometheus text writer (user/export/prom.c): exact lines, escaping, histograms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "prom.h"

/* Run @fn with a memory stream; return what it wrote (free it). */
static char *capture(void (*fn)(FILE *f, void *arg), void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, arg);
	fclose(f);
	return buf;
}

static void write_escaped(FILE *f, void *arg)
{
	prom_escape_label(f, arg);
}

static void test_escape_label(void **state)
{
	char *s = capture(write_escaped, "a\\b\"c\nd");

	assert_string_equal(s, "a\\\\b\\\"c\\nd");
	free(s);
	s = capture(write_escaped, "");
	assert_string_equal(s, "");
	free(s);
}

static void write_family(FILE *f, void *arg)
{
	struct prom_label l[2] = { { "realm", "7" }, { "policy", "we\"ird\\" } };

	prom_family(f, "x_bytes", "gauge", "Help with \\ and\nnewline \"kept\".");
	prom_u64(f, "x_bytes", NULL, 0, 0);
	prom_u64(f, "x_bytes", l, 2, UINT64_MAX);
	prom_double(f, "x_seconds", l, 1, 0.5);
	prom_scalar(f, "y_total", "counter", "Y.", 42);
}

static void test_family_and_samples(void **state)
{
	char *s = capture(write_family, NULL);

	assert_string_equal(s,
		"# HELP x_bytes Help with \\\\ and\\nnewline \"kept\".\n"
		"# TYPE x_bytes gauge\n"
		"x_bytes 0\n"
		"x_bytes{realm=\"7\",policy=\"we\\\"ird\\\\\"} 18446744073709551615\n"
		"x_seconds{realm=\"7\"} 0.5\n"
		"# HELP y_total Y.\n"
		"# TYPE y_total counter\n"
		"y_total 42\n");
	free(s);
}

static struct sro_hist h;

static void write_ns_hist(FILE *f, void *arg)
{
	static const struct prom_buckets b = { 10, 12, 1e9, 0 };
	struct prom_label l[1] = { { "source", "pool" } };

	prom_hist(f, "lat_seconds", l, 1, &h, &b);
}

/* Slots below first fold into it, above last go to +Inf only. */
static void test_hist_cumulative(void **state)
{
	char *s;

	memset(&h, 0, sizeof(h));
	h.slots[3] = 2;		/* <= 8 ns: in the first bucket */
	h.slots[10] = 1;	/* <= 1024 ns */
	h.slots[12] = 4;	/* <= 4096 ns */
	h.slots[40] = 1;	/* beyond the last bucket */
	h.count = 8;
	h.sum = 3000000000ULL;
	s = capture(write_ns_hist, NULL);
	assert_string_equal(s,
		"lat_seconds_bucket{source=\"pool\",le=\"1.024e-06\"} 3\n"
		"lat_seconds_bucket{source=\"pool\",le=\"2.048e-06\"} 3\n"
		"lat_seconds_bucket{source=\"pool\",le=\"4.096e-06\"} 7\n"
		"lat_seconds_bucket{source=\"pool\",le=\"+Inf\"} 8\n"
		"lat_seconds_sum{source=\"pool\"} 3\n"
		"lat_seconds_count{source=\"pool\"} 8\n");
	free(s);
}

static void write_linear(FILE *f, void *arg)
{
	static const struct prom_buckets b = { 0, 2, 1, 1 };

	prom_hist(f, "order", NULL, 0, &h, &b);
}

/*
 * A per-CPU copy read mid-update can have a slot counted before the
 * count: +Inf and _count follow the slots, so no bucket exceeds +Inf.
 */
static void test_hist_count_follows_slots(void **state)
{
	char *s;

	memset(&h, 0, sizeof(h));
	h.slots[0] = 1;
	h.slots[2] = 2;
	h.count = 2;	/* one update not yet counted */
	h.sum = 4;
	s = capture(write_linear, NULL);
	assert_string_equal(s,
		"order_bucket{le=\"0\"} 1\n"
		"order_bucket{le=\"1\"} 1\n"
		"order_bucket{le=\"2\"} 3\n"
		"order_bucket{le=\"+Inf\"} 3\n"
		"order_sum 4\n"
		"order_count 3\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_label),
		cmocka_unit_test(test_family_and_samples),
		cmocka_unit_test(test_hist_cumulative),
		cmocka_unit_test(test_hist_count_follows_slots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
