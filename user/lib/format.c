// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Sizes, durations and sroscope events as text; command-line value parsers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "format.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

int parse_event_list(const char *list, uint32_t *mask, size_t *bad)
{
	char name[32];
	size_t at = 0, n;
	int type;

	*mask = 0;
	*bad = strlen(list);
	while (list[at]) {
		n = strcspn(list + at, ",");
		if (n) {
			type = -1;
			if (n < sizeof(name)) {
				memcpy(name, list + at, n);
				name[n] = '\0';
				type = sro_event_type_of(name);
			}
			if (type <= 0) {
				*bad = at;
				return -EINVAL;
			}
			*mask |= 1U << type;
		}
		at += n + (list[at + n] == ',');
	}
	return *mask ? 0 : -EINVAL;
}

/* A unit and the decimals it is shown with once scaled to it. */
struct scale {
	const char *unit;
	int digits;
};

static const struct scale bytes_scale[] = {
	{ "B", 0 }, { "KiB", 1 }, { "MiB", 1 }, { "GiB", 1 }, { "TiB", 1 },
	{ "PiB", 1 }, { "EiB", 1 },
};
static const struct scale ns_scale[] = {
	{ "ns", 0 }, { "us", 1 }, { "ms", 1 }, { "s", 1 },
};
static const struct scale ns_fine_scale[] = {
	{ "ns", 0 }, { "us", 1 }, { "ms", 2 }, { "s", 2 },
};

/* @v in @s[0].unit, scaled by @step while it would show as @step or more. */
static char *format_scaled(char *buf, size_t len, double v, unsigned int step,
			   const struct scale *s, size_t n)
{
	static const double half[] = { 0.5, 0.05, 0.005 };
	size_t u = 0;

	/* 1048575 B is "1.0 MiB", not "1024.0 KiB": round, then scale. */
	while (v >= step - half[s[u].digits] && u + 1 < n) {
		v /= step;
		u++;
	}
	snprintf(buf, len, "%.*f %s", s[u].digits, v, s[u].unit);
	return buf;
}

char *format_bytes(char *buf, size_t len, uint64_t bytes)
{
	return format_bytes_d(buf, len, bytes);
}

char *format_ns(char *buf, size_t len, uint64_t ns)
{
	return format_scaled(buf, len, ns, 1000, ns_scale, ARRAY_SIZE(ns_scale));
}

char *format_bytes_d(char *buf, size_t len, double bytes)
{
	return format_scaled(buf, len, bytes, 1024, bytes_scale,
			     ARRAY_SIZE(bytes_scale));
}

char *format_ns_fine(char *buf, size_t len, double ns)
{
	return format_scaled(buf, len, ns, 1000, ns_fine_scale,
			     ARRAY_SIZE(ns_fine_scale));
}

/*
 * The line writer of `sroscope trace`: every printed event goes through
 * it, so it formats by hand, unchecked into a buffer known to be large
 * enough (no vsnprintf, no floating point, no bounds test per field).
 * make bench's print_cost: 88 ns a line (docs/benchmarks.md). Each
 * writer returns the end of what it wrote.
 */
static char *w_mem(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* A string literal: its length is known at compile time. */
#define w_lit(p, s)	w_mem(p, s, sizeof(s) - 1)

static char *w_str(char *p, const char *s)
{
	return w_mem(p, s, strlen(s));
}

/* @s, then spaces up to @width (printf's "%-*s"). */
static char *w_pad(char *p, const char *s, size_t width)
{
	size_t n = strlen(s);

	p = w_mem(p, s, n);
	if (n < width) {
		memset(p, ' ', width - n);
		p += width - n;
	}
	return p;
}

/* @v in decimal, at least @min digits (zeros in front). */
static char *w_dec_min(char *p, uint64_t v, int min)
{
	static const char pairs[] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";
	char buf[24], *q = buf + sizeof(buf);

	while (v >= 100) {
		q -= 2;
		memcpy(q, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		q -= 2;
		memcpy(q, pairs + 2 * v, 2);
	} else {
		*--q = '0' + v;
	}
	while (buf + sizeof(buf) - q < min)
		*--q = '0';
	return w_mem(p, q, buf + sizeof(buf) - q);
}

static char *w_u64(char *p, uint64_t v)
{
	return w_dec_min(p, v, 1);
}

static char *w_int(char *p, int64_t v)
{
	if (v < 0)
		*p++ = '-';
	return w_u64(p, v < 0 ? -(uint64_t)v : (uint64_t)v);
}

static char *w_hex(char *p, uint64_t v)
{
	static const char digit[] = "0123456789abcdef";
	char buf[16], *q = buf + sizeof(buf);

	do {
		*--q = digit[v & 15];
		v >>= 4;
	} while (v);
	p = w_lit(p, "0x");
	return w_mem(p, q, buf + sizeof(buf) - q);
}

static char *w_range(char *p, const struct sro_event *e)
{
	p = w_hex(w_lit(p, " pa="), e->addr);
	p = w_u64(w_lit(p, " size="), e->size);
	return w_str(w_lit(p, " source="), sro_source_name(e->source));
}

static char *w_fields(char *p, const struct sro_event *e)
{
	char cmd[16];

	if (e->type != SRO_EV_DELEGATE) {
		p = w_u64(w_lit(p, "realm="), e->realm);
		p = w_u64(w_lit(p, " op="), e->op);
		p = w_str(w_lit(p, " cmd="), sro_cmd_name(e->cmd, cmd, sizeof(cmd)));
	}

	switch (e->type) {
	case SRO_EV_OP_START:
		break;
	case SRO_EV_OP_END:
		p = w_int(w_lit(p, " status="), e->status);
		p = w_u64(w_lit(p, " rounds="), e->count);
		p = w_u64(w_lit(p, " cancelled="), !!(e->flags & SRO_F_CANCELLED));
		p = w_u64(w_lit(p, " duration_ns="), e->ns);
		break;
	case SRO_EV_DONATE_REQ:
		p = w_hex(w_lit(p, " req="), e->addr);
		p = w_u64(w_lit(p, " level=L"), 3 - (e->level & 3));
		p = w_u64(w_lit(p, " count="), e->count);
		p = w_u64(w_lit(p, " contig="), !!(e->flags & SRO_F_CONTIG));
		p = w_str(w_lit(p, " state="), sro_state_name(e->state));
		p = w_u64(w_lit(p, " size="), e->size);
		break;
	case SRO_EV_ALLOC:
		p = w_hex(w_lit(p, " pa="), e->addr);
		p = w_u64(w_lit(p, " size="), e->size);
		p = w_u64(w_lit(p, " order="), e->count);
		p = w_str(w_lit(p, " source="), sro_source_name(e->source));
		p = w_str(w_lit(p, " purpose="), sro_purpose_name(e->purpose));
		p = w_u64(w_lit(p, " latency_ns="), e->ns);
		p = w_u64(w_lit(p, " fallback="), !!(e->flags & SRO_F_FALLBACK));
		break;
	case SRO_EV_ALLOC_FAIL:
		p = w_u64(w_lit(p, " size="), e->size);
		p = w_u64(w_lit(p, " order="), e->count);
		p = w_str(w_lit(p, " source="), sro_source_name(e->source));
		p = w_str(w_lit(p, " purpose="), sro_purpose_name(e->purpose));
		p = w_str(w_lit(p, " reason="), sro_fail_reason_name(e->status));
		p = w_u64(w_lit(p, " latency_ns="), e->ns);
		break;
	case SRO_EV_DONATE:
	case SRO_EV_RECLAIM:
		p = w_range(p, e);
		p = w_str(w_lit(p, " purpose="), sro_purpose_name(e->purpose));
		p = w_str(w_lit(p, " state="), sro_state_name(e->state));
		if (e->type == SRO_EV_RECLAIM && !(e->flags & SRO_F_UNKNOWN))
			p = w_u64(w_lit(p, " lifetime_ns="), e->ns);
		break;
	case SRO_EV_DONATE_RESULT:
		p = w_u64(w_lit(p, " descs="), e->count);
		p = w_u64(w_lit(p, " offered="), e->size);
		p = w_u64(w_lit(p, " consumed="), e->aux);
		p = w_u64(w_lit(p, " cached="), e->aux2 >> 32);
		p = w_u64(w_lit(p, " tail_freed="), e->aux2 & 0xffffffffULL);
		break;
	case SRO_EV_FREE:
		p = w_range(p, e);
		p = w_str(w_lit(p, " reason="), sro_free_reason_name(e->status));
		break;
	case SRO_EV_LEAK:
		p = w_int(w_lit(w_range(p, e), " err="), e->status);
		break;
	case SRO_EV_QUARANTINE:
		p = w_u64(w_lit(w_range(p, e), " tries="), e->count);
		p = w_int(w_lit(p, " err="), e->status);
		break;
	case SRO_EV_DELEGATE:
		p = w_str(p, e->flags & SRO_F_UNDELEGATE ? "undelegate" : "delegate");
		p = w_hex(w_lit(p, " pa="), e->addr);
		p = w_u64(w_lit(p, " size="), e->size);
		p = w_u64(w_lit(p, " calls="), e->count);
		p = w_int(w_lit(p, " ret="), e->status);
		break;
	case SRO_EV_FAIL:
		p = w_str(w_lit(p, " reason="), sro_fail_reason_name(e->status));
		p = w_hex(w_lit(p, " arg="), e->addr);
		break;
	}
	return p;
}

static char *w_line(char *p, const struct sro_event *e, uint64_t start_ts)
{
	uint64_t d = e->ts - start_ts;
	/* printf's "%.6f" of d / 1e9: rounded to the microsecond */
	uint64_t us = d / 1000 + (d % 1000 >= 500);
	char num[32], *q;

	q = w_dec_min(w_lit(w_u64(num, us / 1000000), "."), us % 1000000, 6);
	*q = '\0';
	p = w_lit(w_pad(p, num, 12), " ");
	*w_u64(num, e->cpu) = '\0';
	p = w_lit(w_pad(p, num, 3), " ");
	p = w_lit(w_pad(p, sro_event_name(e->type), 13), " ");
	return w_lit(w_fields(p, e), "\n");
}

/*
 * The @n bytes at @p, written in @buf itself when it had FORMAT_LINE_MAX, else
 * in a scratch buffer: cut to @len - 1, terminated; their length.
 */
static int cut(char *buf, size_t len, const char *p, size_t n)
{
	if (!len)
		return 0;
	if (n >= len)
		n = len - 1;
	if (p != buf)
		memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

int format_event_text(char *buf, size_t len, const struct sro_event *e)
{
	char tmp[FORMAT_LINE_MAX], *p = len >= FORMAT_LINE_MAX ? buf : tmp;

	return cut(buf, len, p, w_fields(p, e) - p);
}

int format_event_line(char *buf, size_t len, const struct sro_event *e,
		      uint64_t start_ts)
{
	char tmp[FORMAT_LINE_MAX], *p = len >= FORMAT_LINE_MAX ? buf : tmp;

	return cut(buf, len, p, w_line(p, e, start_ts) - p);
}

static void jadd_u64(struct json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

static void jadd_int(struct json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void jadd_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void jadd_range(struct json_object *o, const struct sro_event *e)
{
	jadd_u64(o, "pa", e->addr);
	jadd_u64(o, "size", e->size);
	jadd_str(o, "source", sro_source_name(e->source));
}

struct json_object *format_json_document(const char *format, int version)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	jadd_str(o, "format", format);
	jadd_int(o, "version", version);
	return o;
}

struct json_object *format_event_json(const struct sro_event *e)
{
	struct json_object *o = json_object_new_object();
	char cmd[16];

	if (!o)
		return NULL;
	jadd_u64(o, "ts", e->ts);
	jadd_str(o, "event", sro_event_name(e->type));
	jadd_int(o, "cpu", e->cpu);
	if (e->type != SRO_EV_DELEGATE) {
		jadd_u64(o, "realm", e->realm);
		jadd_u64(o, "op", e->op);
		jadd_str(o, "cmd", sro_cmd_name(e->cmd, cmd, sizeof(cmd)));
	}
	switch (e->type) {
	case SRO_EV_OP_END:
		jadd_int(o, "status", e->status);
		jadd_u64(o, "rounds", e->count);
		json_object_object_add(o, "cancelled",
			json_object_new_boolean(e->flags & SRO_F_CANCELLED));
		jadd_u64(o, "duration_ns", e->ns);
		break;
	case SRO_EV_DONATE_REQ:
		jadd_u64(o, "req", e->addr);
		jadd_u64(o, "level", e->level);
		jadd_u64(o, "count", e->count);
		json_object_object_add(o, "contig",
			json_object_new_boolean(e->flags & SRO_F_CONTIG));
		jadd_str(o, "state", sro_state_name(e->state));
		jadd_u64(o, "size", e->size);
		break;
	case SRO_EV_ALLOC:
		jadd_range(o, e);
		jadd_u64(o, "order", e->count);
		jadd_str(o, "purpose", sro_purpose_name(e->purpose));
		jadd_u64(o, "latency_ns", e->ns);
		json_object_object_add(o, "fallback",
			json_object_new_boolean(e->flags & SRO_F_FALLBACK));
		break;
	case SRO_EV_ALLOC_FAIL:
		jadd_u64(o, "size", e->size);
		jadd_u64(o, "order", e->count);
		jadd_str(o, "source", sro_source_name(e->source));
		jadd_str(o, "purpose", sro_purpose_name(e->purpose));
		jadd_str(o, "reason", sro_fail_reason_name(e->status));
		jadd_u64(o, "latency_ns", e->ns);
		break;
	case SRO_EV_DONATE:
	case SRO_EV_RECLAIM:
		jadd_range(o, e);
		jadd_str(o, "purpose", sro_purpose_name(e->purpose));
		jadd_str(o, "state", sro_state_name(e->state));
		if (e->type == SRO_EV_RECLAIM) {
			if (e->flags & SRO_F_UNKNOWN)
				json_object_object_add(o, "lifetime_ns", NULL);
			else
				jadd_u64(o, "lifetime_ns", e->ns);
		}
		break;
	case SRO_EV_DONATE_RESULT:
		jadd_u64(o, "descs", e->count);
		jadd_u64(o, "offered", e->size);
		jadd_u64(o, "consumed", e->aux);
		jadd_u64(o, "cached", e->aux2 >> 32);
		jadd_u64(o, "tail_freed", e->aux2 & 0xffffffffULL);
		break;
	case SRO_EV_FREE:
		jadd_range(o, e);
		jadd_str(o, "reason", sro_free_reason_name(e->status));
		break;
	case SRO_EV_LEAK:
		jadd_range(o, e);
		jadd_int(o, "err", e->status);
		break;
	case SRO_EV_QUARANTINE:
		jadd_range(o, e);
		jadd_u64(o, "tries", e->count);
		jadd_int(o, "err", e->status);
		break;
	case SRO_EV_DELEGATE:
		jadd_u64(o, "pa", e->addr);
		jadd_u64(o, "size", e->size);
		jadd_u64(o, "calls", e->count);
		json_object_object_add(o, "undelegate",
			json_object_new_boolean(e->flags & SRO_F_UNDELEGATE));
		jadd_int(o, "ret", e->status);
		break;
	case SRO_EV_FAIL:
		jadd_str(o, "reason", sro_fail_reason_name(e->status));
		jadd_u64(o, "arg", e->addr);
		break;
	}
	return o;
}

/* A number with an optional unit from @units (factor per unit). */
struct unit {
	const char *name;
	uint64_t factor;
};

static int parse_with_units(const char *s, const struct unit *units,
			    size_t n, uint64_t bare, uint64_t *out)
{
	unsigned long long v;
	char *end;
	size_t i;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	if (!*end) {
		if (bare && v > UINT64_MAX / bare)
			return -EINVAL;
		*out = v * bare;
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(end, units[i].name))
			continue;
		if (v > UINT64_MAX / units[i].factor)
			return -EINVAL;
		*out = v * units[i].factor;
		return 0;
	}
	return -EINVAL;
}

int parse_size(const char *s, uint64_t *bytes)
{
	static const struct unit units[] = {
		{ "B", 1 },
		{ "K", 1ULL << 10 }, { "KiB", 1ULL << 10 },
		{ "M", 1ULL << 20 }, { "MiB", 1ULL << 20 },
		{ "G", 1ULL << 30 }, { "GiB", 1ULL << 30 },
	};

	return parse_with_units(s, units, ARRAY_SIZE(units), 1, bytes);
}

int parse_duration(const char *s, uint64_t *ns)
{
	static const struct unit units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000ULL }, { "m", 60000000000ULL },
		{ "h", 3600000000000ULL },
	};

	return parse_with_units(s, units, ARRAY_SIZE(units), 1000000000ULL, ns);
}
