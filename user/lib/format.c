// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Sizes, durations and sroscope events as text; command-line value parsers. */
#include <errno.h>
#include <stdarg.h>
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

/* Field writers: append " key=value" to @p within @end. */
struct out {
	char *p;
	char *end;
	int n;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	size_t room = o->end - o->p;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->p, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	o->n += n;
	o->p += (size_t)n < room ? (size_t)n : room ? room - 1 : 0;
}

int format_event_text(char *buf, size_t len, const struct sro_event *e)
{
	struct out o = { buf, buf + len, 0 };
	char cmd[16];

	if (len)
		buf[0] = 0;
	if (e->type != SRO_EV_DELEGATE)
		put(&o, "realm=%u op=%llu cmd=%s", e->realm,
		    (unsigned long long)e->op, sro_cmd_name(e->cmd, cmd, sizeof(cmd)));

	switch (e->type) {
	case SRO_EV_OP_START:
		break;
	case SRO_EV_OP_END:
		put(&o, " status=%d rounds=%u cancelled=%d duration_ns=%llu",
		    e->status, e->count, !!(e->flags & SRO_F_CANCELLED),
		    (unsigned long long)e->ns);
		break;
	case SRO_EV_DONATE_REQ:
		put(&o, " req=0x%llx level=L%u count=%u contig=%d state=%s size=%llu",
		    (unsigned long long)e->addr, 3 - (e->level & 3), e->count,
		    !!(e->flags & SRO_F_CONTIG), sro_state_name(e->state),
		    (unsigned long long)e->size);
		break;
	case SRO_EV_ALLOC:
		put(&o, " pa=0x%llx size=%llu order=%u source=%s purpose=%s latency_ns=%llu fallback=%d",
		    (unsigned long long)e->addr, (unsigned long long)e->size,
		    e->count, sro_source_name(e->source),
		    sro_purpose_name(e->purpose), (unsigned long long)e->ns,
		    !!(e->flags & SRO_F_FALLBACK));
		break;
	case SRO_EV_ALLOC_FAIL:
		put(&o, " size=%llu order=%u source=%s purpose=%s reason=%s latency_ns=%llu",
		    (unsigned long long)e->size, e->count,
		    sro_source_name(e->source), sro_purpose_name(e->purpose),
		    sro_fail_reason_name(e->status), (unsigned long long)e->ns);
		break;
	case SRO_EV_DONATE:
	case SRO_EV_RECLAIM:
		put(&o, " pa=0x%llx size=%llu source=%s purpose=%s state=%s",
		    (unsigned long long)e->addr, (unsigned long long)e->size,
		    sro_source_name(e->source), sro_purpose_name(e->purpose),
		    sro_state_name(e->state));
		if (e->type == SRO_EV_RECLAIM && !(e->flags & SRO_F_UNKNOWN))
			put(&o, " lifetime_ns=%llu", (unsigned long long)e->ns);
		break;
	case SRO_EV_DONATE_RESULT:
		put(&o, " descs=%u offered=%llu consumed=%llu cached=%llu tail_freed=%llu",
		    e->count, (unsigned long long)e->size,
		    (unsigned long long)e->aux,
		    (unsigned long long)(e->aux2 >> 32),
		    (unsigned long long)(e->aux2 & 0xffffffffULL));
		break;
	case SRO_EV_FREE:
		put(&o, " pa=0x%llx size=%llu source=%s reason=%s",
		    (unsigned long long)e->addr, (unsigned long long)e->size,
		    sro_source_name(e->source), sro_free_reason_name(e->status));
		break;
	case SRO_EV_LEAK:
		put(&o, " pa=0x%llx size=%llu source=%s err=%d",
		    (unsigned long long)e->addr, (unsigned long long)e->size,
		    sro_source_name(e->source), e->status);
		break;
	case SRO_EV_QUARANTINE:
		put(&o, " pa=0x%llx size=%llu source=%s tries=%u err=%d",
		    (unsigned long long)e->addr, (unsigned long long)e->size,
		    sro_source_name(e->source), e->count, e->status);
		break;
	case SRO_EV_DELEGATE:
		put(&o, "%s pa=0x%llx size=%llu calls=%u ret=%d",
		    e->flags & SRO_F_UNDELEGATE ? "undelegate" : "delegate",
		    (unsigned long long)e->addr, (unsigned long long)e->size,
		    e->count, e->status);
		break;
	case SRO_EV_FAIL:
		put(&o, " reason=%s arg=0x%llx", sro_fail_reason_name(e->status),
		    (unsigned long long)e->addr);
		break;
	}
	return o.n < (int)len ? o.n : (int)len - 1;
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
