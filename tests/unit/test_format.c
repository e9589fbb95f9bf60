// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Renderings and command-line parsers (user/lib/format.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include <cmocka.h>

#include "format.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

struct formatted {
	uint64_t v;
	const char *s;
};

typedef char *(*format_fn)(char *buf, size_t len, uint64_t v);

static void check_format(format_fn format, const struct formatted *cases,
			 size_t n)
{
	char buf[32];
	size_t i;

	for (i = 0; i < n; i++) {
		assert_ptr_equal(format(buf, sizeof(buf), cases[i].v), buf);
		assert_string_equal(buf, cases[i].s);
	}
}

static void test_format_bytes(void **state)
{
	static const struct formatted cases[] = {
		{ 0, "0 B" }, { 512, "512 B" }, { 1023, "1023 B" },
		{ 1024, "1.0 KiB" }, { 1536, "1.5 KiB" }, { 4096, "4.0 KiB" },
		{ 2 << 20, "2.0 MiB" }, { 1 << 30, "1.0 GiB" },
		{ UINT64_MAX, "16.0 EiB" },
	};
	char buf[4];

	check_format(format_bytes, cases, N(cases));
	/* a short buffer is cut, still terminated */
	format_bytes(buf, sizeof(buf), 1536);
	assert_string_equal(buf, "1.5");
}

static void test_format_ns(void **state)
{
	static const struct formatted cases[] = {
		{ 0, "0 ns" }, { 812, "812 ns" }, { 999, "999 ns" },
		{ 1000, "1.0 us" }, { 1300, "1.3 us" }, { 5800000, "5.8 ms" },
		{ 2100000000, "2.1 s" }, { 3600000000000ULL, "3600.0 s" },
		{ UINT64_MAX, "18446744073.7 s" },
	};

	check_format(format_ns, cases, N(cases));
}

/* Computed figures (chart ticks, report latencies): doubles. */
static void test_format_doubles(void **state)
{
	static const struct {
		double v;
		const char *bytes, *ns;
	} cases[] = {
		{ 0, "0 B", "0 ns" }, { 1.25, "1 B", "1 ns" },
		{ 999.4, "999 B", "999 ns" }, { 999.6, "1000 B", "1.0 us" },
		{ 1023.6, "1.0 KiB", "1.0 us" }, { 1300, "1.3 KiB", "1.3 us" },
		{ 999960, "976.5 KiB", "1.00 ms" }, { 1.5e6, "1.4 MiB", "1.50 ms" },
		{ 999.996e6, "953.7 MiB", "1.00 s" }, { 2.25e9, "2.1 GiB", "2.25 s" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < N(cases); i++) {
		assert_ptr_equal(format_bytes_d(buf, sizeof(buf), cases[i].v), buf);
		assert_string_equal(buf, cases[i].bytes);
		assert_ptr_equal(format_ns_fine(buf, sizeof(buf), cases[i].v), buf);
		assert_string_equal(buf, cases[i].ns);
	}
}

struct parsed {
	const char *s;
	uint64_t v;
};

typedef int (*parse_fn)(const char *s, uint64_t *v);

/* @good parse to their values, every one of @bad is -EINVAL. */
static void check_parser(parse_fn parse, const struct parsed *good,
			 size_t ngood, const char *const *bad, size_t nbad)
{
	uint64_t v;
	size_t i;

	for (i = 0; i < ngood; i++) {
		v = 12345;
		assert_int_equal(parse(good[i].s, &v), 0);
		assert_int_equal(v, good[i].v);
	}
	for (i = 0; i < nbad; i++)
		assert_int_equal(parse(bad[i], &v), -EINVAL);
}

static void test_parse_size(void **state)
{
	static const struct parsed good[] = {
		{ "4096", 4096 }, { "4K", 4096 }, { "4KiB", 4096 },
		{ "2M", 2 << 20 }, { "2MiB", 2 << 20 }, { "1G", 1 << 30 },
		{ "1GiB", 1 << 30 }, { "0", 0 }, { "512B", 512 },
		{ "18446744073709551615", UINT64_MAX },
	};
	static const char *const bad[] = {
		"", "-1", "4X", "99999999999999999999", "4K junk", "K", " 4",
		"4 K", "4k", "1.5M", "18014398509481984K", "+4",
	};

	check_parser(parse_size, good, N(good), bad, N(bad));
}

static void test_parse_duration(void **state)
{
	static const struct parsed good[] = {
		{ "500ms", 500000000 }, { "10s", 10000000000ULL },
		{ "2m", 120000000000ULL }, { "1h", 3600000000000ULL },
		{ "250us", 250000 }, { "100ns", 100 }, { "5", 5000000000ULL },
		{ "0", 0 }, { "0s", 0 },
	};
	static const char *const bad[] = {
		"", "-1", "-1s", "5x", "10 s", "s", "1.5s", "10sec", "10S",
		"20000000000", "99999999999999999999ns", "5124096h", " 5s",
	};

	check_parser(parse_duration, good, N(good), bad, N(bad));
}

static void test_event_list(void **state)
{
	uint32_t mask;
	size_t bad;

	(void)state;
	assert_int_equal(parse_event_list("donate,reclaim", &mask, &bad), 0);
	assert_int_equal(mask, 1U << SRO_EV_DONATE | 1U << SRO_EV_RECLAIM);
	/* Empty names are skipped, as a shell user's trailing comma. */
	assert_int_equal(parse_event_list(",leak,,fail,", &mask, &bad), 0);
	assert_int_equal(mask, 1U << SRO_EV_LEAK | 1U << SRO_EV_FAIL);
	/* The unknown name is pointed at, whatever its length. */
	assert_int_equal(parse_event_list("donate,donut,leak", &mask, &bad), -EINVAL);
	assert_int_equal(bad, 7);
	assert_int_equal(parse_event_list("donate,abcdefghijklmnopqrstuvwxyz0123456789", &mask, &bad), -EINVAL);
	assert_int_equal(bad, 7);
	assert_int_equal(parse_event_list("?", &mask, &bad), -EINVAL);
	assert_int_equal(bad, 0);
	/* Naming nothing is an error too, pointed at the end. */
	assert_int_equal(parse_event_list(",,", &mask, &bad), -EINVAL);
	assert_int_equal(bad, 2);
	assert_int_equal(parse_event_list("", &mask, &bad), -EINVAL);
	assert_int_equal(bad, 0);
}

static const struct sro_event donate = {
	.type = SRO_EV_DONATE, .ts = 123456789, .cpu = 1, .op = 14,
	.realm = 7, .cmd = 0xC400015a, .addr = 0x672b000, .size = 4096,
	.source = SRO_SRC_EXACT, .purpose = SRO_PURPOSE_SRO, .state = 0,
};

static void test_event_text(void **state)
{
	static const char want[] = "realm=7 op=14 cmd=REC_CREATE pa=0x672b000 "
		"size=4096 source=exact purpose=sro state=delegated";
	struct sro_event host = donate;
	char buf[256];

	assert_int_equal(format_event_text(buf, sizeof(buf), &donate),
			 strlen(want));
	assert_string_equal(buf, want);

	host.cmd = 0;
	host.op = 0;
	host.purpose = SRO_PURPOSE_RTT;
	host.state = 1;
	format_event_text(buf, sizeof(buf), &host);
	assert_string_equal(buf, "realm=7 op=0 cmd=host pa=0x672b000 "
			    "size=4096 source=exact purpose=rtt state=undelegated");

	/* cut to the buffer, terminated, the length of what is there */
	assert_int_equal(format_event_text(buf, 10, &donate), 9);
	assert_string_equal(buf, "realm=7 o");
}

/* Every field writer at its extremes, against what printf makes of it. */
static void test_event_text_extremes(void **state)
{
	struct sro_event e = {
		.realm = UINT32_MAX, .op = UINT64_MAX, .cmd = 0xdeadbeef,
		.addr = UINT64_MAX, .size = UINT64_MAX, .ns = UINT64_MAX,
		.aux = UINT64_MAX, .aux2 = UINT64_MAX, .status = INT32_MIN,
		.count = UINT32_MAX, .source = 200, .purpose = 200, .state = 1,
		.level = 3, .flags = SRO_F_ALL,
	};
	char buf[512], want[512];
	const char *head = "realm=4294967295 op=18446744073709551615 cmd=0xdeadbeef";

	e.type = SRO_EV_ALLOC;
	snprintf(want, sizeof(want), "%s pa=0x%llx size=%llu order=%u source=? "
		 "purpose=? latency_ns=%llu fallback=1", head, -1ULL, -1ULL,
		 UINT32_MAX, -1ULL);
	format_event_text(buf, sizeof(buf), &e);
	assert_string_equal(buf, want);

	e.type = SRO_EV_OP_END;
	snprintf(want, sizeof(want), "%s status=%d rounds=%u cancelled=1 "
		 "duration_ns=%llu", head, INT32_MIN, UINT32_MAX, -1ULL);
	format_event_text(buf, sizeof(buf), &e);
	assert_string_equal(buf, want);

	e.type = SRO_EV_DONATE_RESULT;
	snprintf(want, sizeof(want), "%s descs=%u offered=%llu consumed=%llu "
		 "cached=%u tail_freed=%u", head, UINT32_MAX, -1ULL, -1ULL,
		 UINT32_MAX, UINT32_MAX);
	format_event_text(buf, sizeof(buf), &e);
	assert_string_equal(buf, want);

	e.type = SRO_EV_DELEGATE;
	e.status = -22;
	snprintf(want, sizeof(want), "undelegate pa=0x%llx size=%llu calls=%u "
		 "ret=-22", -1ULL, -1ULL, UINT32_MAX);
	format_event_text(buf, sizeof(buf), &e);
	assert_string_equal(buf, want);

	/* every type's longest line fits the in-place buffer with room */
	for (e.type = 0; e.type < SRO_EV_NR; e.type++)
		assert_true(format_event_line(buf, sizeof(buf), &e, 0) <
			    FORMAT_LINE_MAX - 64);

	e = (struct sro_event){ .type = SRO_EV_DONATE_REQ, .cmd = 0 };
	format_event_text(buf, sizeof(buf), &e);
	assert_string_equal(buf, "realm=0 op=0 cmd=host req=0x0 level=L3 "
			    "count=0 contig=0 state=delegated size=0");
}

/*
 * trace's line, against the printf it replaced, for seeded random events
 * of every type: "%-12.6f %-3u %-13s %s\n" of seconds, CPU, name, fields.
 */
static void test_event_line(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL, start = 5000000000ULL;
	char buf[512], text[512], want[600];
	struct sro_event e;
	int i, n;

	for (i = 0; i < 20000; i++) {
		memset(&e, 0, sizeof(e));
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		e.type = x % SRO_EV_NR;
		e.cpu = (x >> 8) % (i & 1 ? 4096 : 8);
		/* from 0 to days after the start; printf's rounding of an
		 * exact half microsecond is the binary double's, not ours */
		e.ts = start + (x >> 20) % (i & 2 ? 1000000000000000ULL : 3000000);
		if ((e.ts - start) % 1000 == 500)
			e.ts++;
		e.addr = x * 31;
		e.size = x >> (x % 64);
		e.realm = x >> 40;
		e.op = x >> 3;
		e.status = (int32_t)(x >> 11);
		e.count = x >> 17;
		e.flags = x >> 50;
		format_event_text(text, sizeof(text), &e);
		snprintf(want, sizeof(want), "%-12.6f %-3u %-13s %s\n",
			 (e.ts - start) / 1e9, e.cpu, sro_event_name(e.type), text);
		n = format_event_line(buf, sizeof(buf), &e, start);
		assert_string_equal(buf, want);
		assert_int_equal(n, strlen(want));
	}
	/* cut to the buffer: terminated, the length of what is there */
	e = donate;
	assert_int_equal(format_event_line(buf, 20, &e, 0), 19);
	assert_string_equal(buf, "0.123457     1   do");
}

static void test_event_json(void **state)
{
	struct json_object *o = format_event_json(&donate), *v;

	assert_non_null(o);
	assert_true(json_object_is_type(o, json_type_object));
	assert_true(json_object_object_get_ex(o, "event", &v));
	assert_string_equal(json_object_get_string(v), "donate");
	assert_true(json_object_object_get_ex(o, "size", &v));
	assert_true(json_object_is_type(v, json_type_int));
	assert_int_equal(json_object_get_uint64(v), 4096);
	assert_true(json_object_object_get_ex(o, "ts", &v));
	assert_int_equal(json_object_get_uint64(v), 123456789);
	assert_true(json_object_object_get_ex(o, "realm", &v));
	assert_int_equal(json_object_get_int64(v), 7);
	assert_true(json_object_object_get_ex(o, "source", &v));
	assert_string_equal(json_object_get_string(v), "exact");
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_bytes),
		cmocka_unit_test(test_format_ns),
		cmocka_unit_test(test_format_doubles),
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_duration),
		cmocka_unit_test(test_event_list),
		cmocka_unit_test(test_event_text),
		cmocka_unit_test(test_event_text_extremes),
		cmocka_unit_test(test_event_line),
		cmocka_unit_test(test_event_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
