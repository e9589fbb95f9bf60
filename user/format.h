/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Names and human/JSON renderings of sroscope events, and the parsers of
 * sizes and durations given on the command line. Pure functions: the unit
 * tests (tests/unit/test_format.c) cover them on the host.
 */
#ifndef SROSCOPE_FORMAT_H
#define SROSCOPE_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "sroscope.h"

struct json_object;

/* Names as the kernel's trace events print them; "?" when out of range. */
const char *sro_event_name(unsigned int type);	/* "donate", "op_end" */
const char *sro_source_name(unsigned int source);	/* "exact" */
const char *sro_purpose_name(unsigned int purpose);	/* "sro", "rec" */
const char *sro_free_reason_name(unsigned int reason);	/* "reclaim" */
const char *sro_fail_reason_name(unsigned int reason);	/* "nomem" */
/* "REC_CREATE"; "host" for 0 (host-delegated); "0x..." when unknown. */
const char *sro_cmd_name(uint32_t cmd, char *buf, size_t len);

/* Look a name up: the enum value, or -1. */
int sro_event_type_of(const char *name);
int sro_source_of(const char *name);

/* "512 B", "4.0 KiB", "1.5 MiB": exact below 1 KiB, else 1 decimal. */
char *format_bytes(char *buf, size_t len, uint64_t bytes);
/* "812 ns", "1.3 us", "5.8 ms", "2.1 s". */
char *format_ns(char *buf, size_t len, uint64_t ns);

/*
 * The fields of @e that its event type has, as "key=value" pairs separated
 * by spaces (no time, no event name), e.g. for a donate:
 *   "realm=7 op=14 cmd=REC_CREATE pa=0x672b000 size=4096 source=exact
 *    purpose=sro state=delegated"
 * Returns the length written (truncated to @len - 1).
 */
int format_event_text(char *buf, size_t len, const struct sro_event *e);

/* The same fields as a JSON object, with "ts" and "event"; NULL on ENOMEM. */
struct json_object *format_event_json(const struct sro_event *e);

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
