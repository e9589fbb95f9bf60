// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "format.h"
#include "numopt.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define SEC	1000000000ULL
#define HOUR	(3600 * SEC)

/*
 * The intervals end at a day and durations at a year: each is added to
 * the time since boot, which must not overflow, and nobody waits longer.
 */
#define NUMBER(w, lo, hi) \
	{ .what = w, .kind = NUMOPT_NUMBER, .min = lo, .max = hi }
#define DURATION(w, lo, hi) \
	{ .what = w, .kind = NUMOPT_DURATION, .min = lo, .max = hi }
#define SIZE(w, lo, hi) \
	{ .what = w, .kind = NUMOPT_SIZE, .min = lo, .max = hi }

const struct numopt numopt_interval = DURATION("interval", 1000000, 24 * HOUR);
const struct numopt numopt_count = NUMBER("count", 1, 1000000000);
const struct numopt numopt_rows = NUMBER("row count", 1, 100000);
const struct numopt numopt_age = DURATION("age", 0, 8760 * HOUR);
const struct numopt numopt_duration = DURATION("duration", 1000000, 8760 * HOUR);
const struct numopt numopt_realm = NUMBER("realm", 1, UINT32_MAX);
const struct numopt numopt_min_size = SIZE("size", 0, 1ULL << 40);
const struct numopt numopt_max_donations = NUMBER("donation count", 1, 1U << 24);
const struct numopt numopt_ringbuf_size = {
	.what = "ring buffer size", .kind = NUMOPT_SIZE,
	.min = 4096, .max = 1ULL << 30, .pow2 = true,
};
const struct numopt numopt_swaps = NUMBER("count", 1, 10000000);

struct unit {
	const char *name;
	uint64_t factor;
};

/* @v in the largest unit of @units (largest first) that divides it. */
static void format_exact(char *buf, size_t len, uint64_t v,
			 const struct unit *units, size_t n)
{
	size_t i;

	for (i = 0; i < n && v; i++)
		if (!(v % units[i].factor)) {
			snprintf(buf, len, "%llu%s",
				 (unsigned long long)(v / units[i].factor),
				 units[i].name);
			return;
		}
	snprintf(buf, len, "%llu", (unsigned long long)v);
}

static void format_limit(char *buf, size_t len, enum numopt_kind kind,
			 uint64_t v)
{
	static const struct unit durations[] = {
		{ "h", HOUR }, { "m", 60 * SEC }, { "s", SEC },
		{ "ms", 1000000 }, { "us", 1000 }, { "ns", 1 },
	};
	static const struct unit sizes[] = {
		{ "G", 1ULL << 30 }, { "M", 1ULL << 20 }, { "K", 1ULL << 10 },
	};

	if (kind == NUMOPT_DURATION)
		format_exact(buf, len, v, durations, ARRAY_SIZE(durations));
	else if (kind == NUMOPT_SIZE)
		format_exact(buf, len, v, sizes, ARRAY_SIZE(sizes));
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

int parse_u64(const char *s, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*v = x;
	return 0;
}

int numopt_parse(const struct numopt *o, const char *s, uint64_t *v,
		 char *msg, size_t len)
{
	static const char *const forms[] = {
		[NUMOPT_NUMBER] = "a whole number",
		[NUMOPT_DURATION] = "a whole number of seconds, or one with a unit (ns, us, ms, s, m, h)",
		[NUMOPT_SIZE] = "a whole number of bytes, or one with a unit (K, M, G)",
	};
	char lo[32], hi[32];
	uint64_t x;
	int err;

	switch (o->kind) {
	case NUMOPT_DURATION:
		err = parse_duration(s, &x);
		break;
	case NUMOPT_SIZE:
		err = parse_size(s, &x);
		break;
	default:
		err = parse_u64(s, &x);
		break;
	}
	if (!err && (x < o->min || x > o->max || (o->pow2 && (x & (x - 1)))))
		err = -ERANGE;
	if (!err) {
		*v = x;
		return 0;
	}
	format_limit(lo, sizeof(lo), o->kind, o->min);
	format_limit(hi, sizeof(hi), o->kind, o->max);
	snprintf(msg, len, "invalid %s '%s': %s, %sfrom %s to %s, is expected", o->what,
		 s ? s : "", forms[o->kind], o->pow2 ? "a power of two " : "",
		 lo, hi);
	return err;
}
