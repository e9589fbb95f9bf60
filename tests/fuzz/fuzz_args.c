// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: the parsers of sroscope's command-line values
 * (user/lib/format.c): sizes (--min-size, --pool), durations (--duration,
 * --age, intervals) and event lists (--events). argp itself is glibc's;
 * what sroscope adds is these. The first byte picks the parser, the rest
 * (up to a NUL) is the argument, as argv would carry it.
 *
 * An accepted value must mean what it says: the size or duration written
 * back as a bare number of bytes or nanoseconds parses to the same value,
 * and an event list sets only bits of real event types, and its names
 * joined again give the same mask.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

static void check_size(const char *arg)
{
	uint64_t v, w;
	char buf[32];

	if (parse_size(arg, &v))
		return;
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	if (parse_size(buf, &w) || w != v)
		abort();
	snprintf(buf, sizeof(buf), "%" PRIu64 "B", v);
	if (parse_size(buf, &w) || w != v)
		abort();
}

static void check_duration(const char *arg)
{
	uint64_t v, w;
	char buf[32];

	if (parse_duration(arg, &v))
		return;
	snprintf(buf, sizeof(buf), "%" PRIu64 "ns", v);
	if (parse_duration(buf, &w) || w != v)
		abort();
}

static void check_events(const char *arg)
{
	char buf[SRO_EV_NR * 16] = "";
	uint32_t mask, again;
	unsigned int t;
	size_t bad;

	if (parse_event_list(arg, &mask, &bad)) {
		if (bad > strlen(arg))
			abort();
		return;
	}
	if (!mask || (mask & 1) || mask >> SRO_EV_NR)
		abort();
	for (t = 1; t < SRO_EV_NR; t++) {
		if (!(mask & 1U << t))
			continue;
		if (*buf)
			strcat(buf, ",");
		strcat(buf, sro_event_name(t));
	}
	if (parse_event_list(buf, &again, &bad) || again != mask)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *arg;

	if (!size)
		return 0;
	arg = strndup((const char *)data + 1, size - 1);
	if (!arg)
		return 0;
	switch (data[0] % 3) {
	case 0:
		check_size(arg);
		break;
	case 1:
		check_duration(arg);
		break;
	default:
		check_events(arg);
		break;
	}
	free(arg);
	return 0;
}
