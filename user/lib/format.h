/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Human renderings of sizes and durations; human/JSON renderings of
 * sroscope events (their names: vocab.h); the parsers of sizes and
 * durations given on the command line. Pure functions: the unit tests
 * (tests/unit/test_format.c) cover them on the host.
 */
#ifndef SROSCOPE_FORMAT_H
#define SROSCOPE_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "sroscope.h"
#include "vocab.h"

struct json_object;

/*
 * The one formatter of sizes and durations: every command, table and
 * chart shows them through these. The largest unit the value shows as 1
 * or more of, once rounded: 1048575 B is "1.0 MiB", not "1024.0 KiB".
 * Each returns @buf (cut to @len, terminated).
 */
/* "512 B", "4.0 KiB", "1.5 MiB": exact below 1 KiB, else 1 decimal. */
char *format_bytes(char *buf, size_t len, uint64_t bytes);
/* "812 ns", "1.3 us", "5.8 ms", "2.1 s". */
char *format_ns(char *buf, size_t len, uint64_t ns);
/* As format_bytes, of a computed figure (a chart's tick): 1.25 is "1 B". */
char *format_bytes_d(char *buf, size_t len, double bytes);
/*
 * Durations compared side by side (sroscope report's latencies, its
 * charts' axes), two decimals from ms up, where they differ: "812 ns",
 * "1.3 us", "1.50 ms", "2.25 s".
 */
char *format_ns_fine(char *buf, size_t len, double ns);

/*
 * Longer than any event's line (tests/unit/test_format.c checks): a
 * buffer this large is written in place, a smaller one through a copy.
 */
#define FORMAT_LINE_MAX	512

/*
 * The fields of @e that its event type has, as "key=value" pairs separated
 * by spaces (no time, no event name), e.g. for a donate:
 *   "realm=7 op=14 cmd=REC_CREATE pa=0x672b000 size=4096 source=exact
 *    purpose=sro state=delegated"
 * Returns the length written (truncated to @len - 1).
 */
int format_event_text(char *buf, size_t len, const struct sro_event *e);

/*
 * The line `sroscope trace` prints for @e: seconds since @start_ts (6
 * decimals), CPU, event name and format_event_text()'s fields, columns
 * as its header, ending in a newline. Returns the length as above.
 */
int format_event_line(char *buf, size_t len, const struct sro_event *e,
		      uint64_t start_ts);

/* The same fields as a JSON object, with "ts" and "event"; NULL on ENOMEM. */
struct json_object *format_event_json(const struct sro_event *e);

/*
 * Every JSON document sroscope writes opens with its "format" and an
 * integer "version", raised when a field is renamed, removed or changes
 * type, unit or meaning; fields and values added keep the version. The
 * schemas are schemas/<format>.schema.json (docs/cli.md, "Stability").
 * format_json_document() makes such an object, the two keys first; NULL
 * on ENOMEM.
 */
struct json_object *format_json_document(const char *format, int version);

/*
 * `trace --json`: NDJSON whose first line is the header
 * {"format":"sroscope-trace","version":1}, then one event per line.
 */
#define TRACE_JSON_FORMAT	"sroscope-trace"
#define TRACE_JSON_VERSION	1

/*
 * Command-line values. Sizes: "4096", "4K", "4KiB", "2M", "1G" (binary
 * units). Durations: "500ms", "10s", "2m", "1h", "250us", "100ns"; a bare
 * number is seconds. Return 0, or -EINVAL for anything else (negative,
 * overflow, trailing junk).
 */
int parse_size(const char *s, uint64_t *bytes);
int parse_duration(const char *s, uint64_t *ns);
/*
 * Event names, comma-separated: "donate,reclaim" -> 1 << SRO_EV_DONATE |
 * 1 << SRO_EV_RECLAIM. -EINVAL for an unknown name (*@bad: its offset in
 * @list) or a list naming none (*@bad: the length of @list).
 */
int parse_event_list(const char *list, uint32_t *mask, size_t *bad);

#endif
