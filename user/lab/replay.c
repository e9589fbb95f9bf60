// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "replay.h"

/* An operation of the run, until its end. */
struct replay_op {
	uint64_t op;
	uint32_t cmd;
	uint64_t first_req;
	bool contig;
	uint64_t requests;
	uint64_t alloc_ns;
	int last_fail;		/* enum sro_fail_reason, -1: none */
};

void replay_stats_init(struct replay_stats *st)
{
	memset(st, 0, sizeof(*st));
}

void replay_stats_free(struct replay_stats *st)
{
	size_t i;

	for (i = 0; i < st->nshapes; i++)
		free(st->shapes[i].ns);
	free(st->shapes);
	free(st->ops);
	free(st->t_ms);
	free(st->held);
	free(st->idle);
	free(st->fails);
	memset(st, 0, sizeof(*st));
}

static bool grow(void **p, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? *cap * 2 : 16;
	void *q;

	if (n < *cap)
		return true;
	q = realloc(*p, c * size);
	if (!q)
		return false;
	*p = q;
	*cap = c;
	return true;
}

static struct replay_op *find_op(struct replay_stats *st, uint64_t op)
{
	size_t i;

	for (i = st->nops; i-- > 0;)
		if (st->ops[i].op == op)
			return &st->ops[i];
	return NULL;
}

static void add_shape_sample(struct replay_stats *st, const struct replay_op *o)
{
	struct replay_shape *s = NULL;
	size_t i;

	for (i = 0; i < st->nshapes; i++)
		if (st->shapes[i].cmd == o->cmd && st->shapes[i].bytes == o->first_req &&
		    st->shapes[i].contig == o->contig)
			s = &st->shapes[i];
	if (!s) {
		size_t cap = st->nshapes;	/* exact growth: shapes are few */

		s = realloc(st->shapes, (cap + 1) * sizeof(*s));
		if (!s)
			return;
		st->shapes = s;
		s = &st->shapes[st->nshapes++];
		memset(s, 0, sizeof(*s));
		s->cmd = o->cmd;
		s->bytes = o->first_req;
		s->contig = o->contig;
	}
	if (grow((void **)&s->ns, &s->cap, s->n, sizeof(*s->ns)))
		s->ns[s->n++] = o->alloc_ns;
}

/* The end of an operation: its requests served, or failed and why. */
static void op_done(struct replay_stats *st, struct replay_op *o, bool ok)
{
	if (!o->requests)
		return;
	if (ok) {
		st->served += o->requests;
		add_shape_sample(st, o);
	} else {
		st->failed += o->requests;
		st->fail_reasons[o->last_fail >= 0 && o->last_fail < SRO_FAIL_NR ?
				 o->last_fail : SRO_FAIL_NR] += o->requests;
	}
}

void replay_account(struct replay_stats *st, const struct sro_event *e)
{
	struct replay_op *o = e->op ? find_op(st, e->op) : NULL;

	switch (e->type) {
	case SRO_EV_OP_START:
		if (!grow((void **)&st->ops, &st->cap_ops, st->nops, sizeof(*st->ops)))
			return;
		o = &st->ops[st->nops++];
		memset(o, 0, sizeof(*o));
		o->op = e->op;
		o->cmd = e->cmd;
		o->last_fail = -1;
		break;
	case SRO_EV_DONATE_REQ:
		st->requests++;
		st->requested_bytes += e->size;
		if (o) {
			o->requests++;
			if (!o->first_req) {
				o->first_req = e->size;
				o->contig = e->flags & SRO_F_CONTIG;
			}
		}
		break;
	case SRO_EV_ALLOC:
		if (e->source < SRO_SRC_NR)
			st->allocs[e->source]++;
		if (e->flags & SRO_F_FALLBACK)
			st->fallbacks++;
		if (o)
			o->alloc_ns += e->ns;
		break;
	case SRO_EV_ALLOC_FAIL:
		if (e->source < SRO_SRC_NR)
			st->alloc_fails[e->source]++;
		if (o) {
			o->alloc_ns += e->ns;
			o->last_fail = e->status;
		}
		break;
	case SRO_EV_DONATE:
		st->donated_bytes += e->size;
		break;
	case SRO_EV_RECLAIM:
		st->reclaimed_bytes += e->size;
		break;
	case SRO_EV_LEAK:
		st->given_up_bytes += e->size;
		break;
	case SRO_EV_OP_END:
		if (!o)
			break;
		op_done(st, o, e->status == 0);
		*o = st->ops[--st->nops];
		break;
	default:
		break;
	}
}

bool replay_sample_due(struct replay_stats *st)
{
	if (!st->stride)
		st->stride = 1;
	return !(st->steps++ % st->stride);
}

/* Every other sample kept, and half as many taken from now on. */
static void thin_samples(struct replay_stats *st)
{
	size_t i;

	for (i = 0; 2 * i < st->nsamples; i++) {
		st->t_ms[i] = st->t_ms[2 * i];
		st->held[i] = st->held[2 * i];
		st->idle[i] = st->idle[2 * i];
		st->fails[i] = st->fails[2 * i];
	}
	st->nsamples = i;
	st->stride *= 2;
}

void replay_sample(struct replay_stats *st, double t_ms, uint64_t held,
		   uint64_t idle)
{
	size_t cap = st->cap_samples;

	if (st->nsamples >= REPLAY_TIMELINE)
		thin_samples(st);

	if (st->nsamples == cap) {
		size_t c = cap ? cap * 2 : 256;
		double *t = realloc(st->t_ms, c * sizeof(*t));
		uint64_t *h, *i, *f;

		if (t)
			st->t_ms = t;
		h = realloc(st->held, c * sizeof(*h));
		if (h)
			st->held = h;
		i = realloc(st->idle, c * sizeof(*i));
		if (i)
			st->idle = i;
		f = realloc(st->fails, c * sizeof(*f));
		if (f)
			st->fails = f;
		if (!t || !h || !i || !f)
			return;
		st->cap_samples = c;
	}
	st->t_ms[st->nsamples] = t_ms;
	st->held[st->nsamples] = held;
	st->idle[st->nsamples] = idle;
	st->fails[st->nsamples] = st->failed;
	st->nsamples++;
}

/* The pool's free bytes beyond those free at the run's start (@k0). */
static uint64_t pool_idle_bytes(const struct kstats *k0, const struct kstats *k)
{
	return k->pool_free_bytes > k0->pool_free_bytes ?
	       k->pool_free_bytes - k0->pool_free_bytes : 0;
}

/* The same for the kernel's cache of delegated granules. */
static uint64_t cached_idle_bytes(const struct kstats *k0, const struct kstats *k)
{
	return k->cached_bytes > k0->cached_bytes ?
	       k->cached_bytes - k0->cached_bytes : 0;
}

uint64_t replay_idle_bytes(const struct kstats *k0, const struct kstats *k)
{
	return pool_idle_bytes(k0, k) + cached_idle_bytes(k0, k);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t replay_quantile(const uint64_t *sorted, size_t n, double q)
{
	size_t rank;

	if (!n)
		return 0;
	rank = (size_t)(q * n + 0.999999);	/* nearest rank, ceil(q n) */
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

#define U64(v)	json_object_new_uint64(v)

static struct json_object *u64_array(const uint64_t *v, size_t n)
{
	struct json_object *a = json_object_new_array_ext(n);
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, U64(v[i]));
	return a;
}

void replay_results(struct replay_stats *st, struct json_object *out,
		    const struct kstats *k0, const struct kstats *k1,
		    const uint64_t *orders, int norders)
{
	struct json_object *o, *a, *s;
	char name[32];
	size_t i;
	int r, largest = -1;

	/* Operations never seen to end failed (cut off by the run's end). */
	for (i = 0; i < st->nops; i++)
		op_done(st, &st->ops[i], false);
	st->nops = 0;
	json_object_object_add(out, "requests", U64(st->requests));
	json_object_object_add(out, "served", U64(st->served));
	json_object_object_add(out, "failed", U64(st->failed));
	o = json_object_new_object();
	for (r = 0; r <= SRO_FAIL_NR; r++)
		if (st->fail_reasons[r])
			json_object_object_add(o, r < SRO_FAIL_NR ?
					       sro_fail_reason_name(r) : "op_failed",
					       U64(st->fail_reasons[r]));
	json_object_object_add(out, "failed_by_reason", o);
	json_object_object_add(out, "requested_bytes", U64(st->requested_bytes));
	json_object_object_add(out, "donated_bytes", U64(st->donated_bytes));
	json_object_object_add(out, "reclaimed_bytes", U64(st->reclaimed_bytes));
	json_object_object_add(out, "held_bytes",
			       U64(st->donated_bytes - st->reclaimed_bytes));
	json_object_object_add(out, "emulator_held_bytes", U64(st->emu_held_bytes));
	json_object_object_add(out, "given_up_bytes", U64(st->given_up_bytes));
	o = json_object_new_object();
	a = json_object_new_object();
	for (r = 0; r < SRO_SRC_NR; r++) {
		json_object_object_add(o, sro_source_name(r), U64(st->allocs[r]));
		json_object_object_add(a, sro_source_name(r), U64(st->alloc_fails[r]));
	}
	json_object_object_add(out, "allocs", o);
	json_object_object_add(out, "alloc_failures", a);
	json_object_object_add(out, "fallbacks", U64(st->fallbacks));
	json_object_object_add(out, "commands_failed", U64(st->commands_failed));
	json_object_object_add(out, "duration_ms", json_object_new_double(st->duration_ms));
	a = json_object_new_array();
	for (i = 0; i < st->nshapes; i++) {
		struct replay_shape *sh = &st->shapes[i];

		if (sh->n)	/* qsort() may not be given NULL, even for 0 */
			qsort(sh->ns, sh->n, sizeof(*sh->ns), cmp_u64);
		s = json_object_new_object();
		json_object_object_add(s, "op", json_object_new_string(
				       sro_cmd_name(sh->cmd, name, sizeof(name))));
		json_object_object_add(s, "bytes", U64(sh->bytes));
		json_object_object_add(s, "contig", json_object_new_boolean(sh->contig));
		json_object_object_add(s, "count", U64(sh->n));
		json_object_object_add(s, "p50_ns", U64(replay_quantile(sh->ns, sh->n, 0.5)));
		json_object_object_add(s, "p99_ns", U64(replay_quantile(sh->ns, sh->n, 0.99)));
		json_object_object_add(s, "max_ns", U64(sh->n ? sh->ns[sh->n - 1] : 0));
		json_object_object_add(s, "ns", u64_array(sh->ns, sh->n));
		json_object_array_add(a, s);
	}
	json_object_object_add(out, "shapes", a);
	o = json_object_new_object();
	json_object_object_add(o, "pool_free_bytes",
			       U64(pool_idle_bytes(k0, k1)));
	json_object_object_add(o, "cached_bytes", U64(cached_idle_bytes(k0, k1)));
	json_object_object_add(out, "idle", o);
	for (r = 0; r < norders; r++)
		if (orders[r])
			largest = r;
	o = json_object_new_object();
	json_object_object_add(o, "free_pages_by_order", u64_array(orders, norders));
	json_object_object_add(o, "largest_free_order", json_object_new_int(largest));
	json_object_object_add(out, "fragmentation", o);
	json_object_object_add(out, "delegate_calls",
			       U64(k1->delegate_calls - k0->delegate_calls));
	json_object_object_add(out, "undelegate_calls",
			       U64(k1->undelegate_calls - k0->undelegate_calls));
	o = json_object_new_object();
	a = json_object_new_array_ext(st->nsamples);
	for (i = 0; i < st->nsamples; i++)
		json_object_array_add(a, json_object_new_double(st->t_ms[i]));
	json_object_object_add(o, "t_ms", a);
	json_object_object_add(o, "held_bytes", u64_array(st->held, st->nsamples));
	json_object_object_add(o, "idle_bytes", u64_array(st->idle, st->nsamples));
	json_object_object_add(o, "failed", u64_array(st->fails, st->nsamples));
	json_object_object_add(out, "timeline", o);
}

struct json_object *replay_header(const struct plan *p, const char *trace,
				  uint64_t fragment_mb, uint64_t pool_bytes,
				  double speed)
{
	struct json_object *top = format_json_document(REPLAY_RESULTS_FORMAT,
						       REPLAY_RESULTS_VERSION), *o;
	const char *base = strrchr(trace, '/');

	json_object_object_add(top, "trace", json_object_new_string(base ? base + 1 : trace));
	o = json_object_new_object();
	json_object_object_add(o, "fragment_mb", U64(fragment_mb));
	json_object_object_add(o, "pool_bytes", U64(pool_bytes));
	json_object_object_add(o, "speed", json_object_new_double(speed));
	json_object_object_add(top, "condition", o);
	o = json_object_new_object();
	json_object_object_add(o, "steps", U64(p->nsteps));
	json_object_object_add(o, "realms", U64(p->nrealms));
	json_object_object_add(o, "requests", U64(p->requests));
	json_object_object_add(o, "failed", U64(p->failed));
	json_object_object_add(o, "requested_bytes", U64(p->requested_bytes));
	json_object_object_add(o, "donated_bytes", U64(p->donated_bytes));
	json_object_object_add(o, "reclaimed_bytes", U64(p->reclaimed_bytes));
	json_object_object_add(o, "given_up_bytes", U64(p->given_up_bytes));
	json_object_object_add(o, "skipped_ops", U64(p->skipped));
	json_object_object_add(o, "duration_ns", U64(p->duration_ns));
	json_object_object_add(o, "truncated", json_object_new_boolean(p->truncated[0]));
	json_object_object_add(top, "recorded", o);
	return top;
}

int replay_parse_speed(const char *s, double *speed)
{
	char *end;
	double v;

	/* Decimal, digits first: no "nan", "inf", "-1", hex or leading space. */
	if (!s || *s < '0' || *s > '9' || strpbrk(s, "xX"))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) ||
	    (v != 0 && (v < REPLAY_SPEED_MIN || v > REPLAY_SPEED_MAX)))
		return -EINVAL;
	*speed = v;
	return 0;
}

int replay_check_policies(const char *list, char *why, size_t len)
{
	const char *p = list, *end, *c;
	int n = 0;

	for (;; p = end + 1) {
		end = p + strcspn(p, ",");
		if (end == p) {
			snprintf(why, len, "an empty policy name in '%.64s'", list);
			return -EINVAL;
		}
		for (c = p; c < end; c++)
			if ((unsigned char)*c < ' ' || *c == 0x7f) {
				snprintf(why, len, "a control character in a policy name");
				return -EINVAL;
			}
		if (end - p >= 4096) {
			snprintf(why, len, "a policy name or file of over 4095 bytes");
			return -EINVAL;
		}
		if (++n > REPLAY_MAX_POLICIES) {
			snprintf(why, len, "more than %d policies", REPLAY_MAX_POLICIES);
			return -EINVAL;
		}
		if (!*end)
			return 0;
	}
}

/*
 * The results format, field by field, as replay_results() and
 * replay_header() write it: what the checker holds a file to.
 */
enum jkind {
	J_U64,		/* an integer, 0 .. 2^64 - 1 */
	J_ORDER,	/* an integer, -1 .. 63 */
	J_NUM,		/* a finite number >= 0 */
	J_BOOL,
	J_STR,
	J_OBJ,		/* the fields of .sub */
	J_U64_OBJ,	/* an object of J_U64 values, any keys */
	J_U64_ARR,	/* an array of J_U64 */
	J_NUM_ARR,	/* an array of J_NUM */
	J_OBJ_ARR,	/* an array of objects of .sub */
};

struct jfield {
	const char *name;	/* NULL: the end of a list */
	enum jkind kind;
	const struct jfield *sub;
	bool optional;		/* added within version 1 */
};

#define JF(n, k)	{ n, k, NULL, false }
#define JSUB(n, k, s)	{ n, k, s, false }
#define JOPT(n, k)	{ n, k, NULL, true }
#define JEND		{ NULL, J_U64, NULL, false }

static const struct jfield j_condition[] = {
	JF("fragment_mb", J_U64), JF("pool_bytes", J_U64), JF("speed", J_NUM),
	JOPT("pool_delegated", J_BOOL), JOPT("fragment_order", J_U64), JEND,
};

static const struct jfield j_recorded[] = {
	JF("steps", J_U64), JF("realms", J_U64), JF("requests", J_U64),
	JF("requested_bytes", J_U64), JF("donated_bytes", J_U64),
	JF("reclaimed_bytes", J_U64), JF("skipped_ops", J_U64),
	JF("duration_ns", J_U64), JOPT("truncated", J_BOOL),
	JOPT("failed", J_U64), JOPT("given_up_bytes", J_U64), JEND,
};

static const struct jfield j_shape[] = {
	JF("op", J_STR), JF("bytes", J_U64), JF("contig", J_BOOL),
	JF("count", J_U64), JF("p50_ns", J_U64), JF("p99_ns", J_U64),
	JF("max_ns", J_U64), JF("ns", J_U64_ARR), JEND,
};

static const struct jfield j_idle[] = {
	JF("pool_free_bytes", J_U64), JF("cached_bytes", J_U64), JEND,
};

static const struct jfield j_fragmentation[] = {
	JF("free_pages_by_order", J_U64_ARR),
	JF("largest_free_order", J_ORDER), JEND,
};

static const struct jfield j_timeline[] = {
	JF("t_ms", J_NUM_ARR), JF("held_bytes", J_U64_ARR),
	JF("idle_bytes", J_U64_ARR), JF("failed", J_U64_ARR), JEND,
};

static const struct jfield j_run[] = {
	JF("policy", J_STR), JF("requests", J_U64), JF("served", J_U64),
	JF("failed", J_U64), JF("failed_by_reason", J_U64_OBJ),
	JF("requested_bytes", J_U64), JF("donated_bytes", J_U64),
	JF("reclaimed_bytes", J_U64), JF("held_bytes", J_U64),
	JF("emulator_held_bytes", J_U64), JF("given_up_bytes", J_U64),
	JF("allocs", J_U64_OBJ), JF("alloc_failures", J_U64_OBJ),
	JF("fallbacks", J_U64), JF("commands_failed", J_U64),
	JF("duration_ms", J_NUM), JSUB("shapes", J_OBJ_ARR, j_shape),
	JSUB("idle", J_OBJ, j_idle), JSUB("fragmentation", J_OBJ, j_fragmentation),
	JF("delegate_calls", J_U64), JF("undelegate_calls", J_U64),
	JSUB("timeline", J_OBJ, j_timeline),
	JOPT("pool_delegated", J_BOOL), JOPT("round", J_U64), JEND,
};

static const struct jfield j_top[] = {
	JF("format", J_STR), JF("version", J_U64), JF("trace", J_STR),
	JSUB("condition", J_OBJ, j_condition), JSUB("recorded", J_OBJ, j_recorded),
	JSUB("runs", J_OBJ_ARR, j_run), JEND,
};

static const char *const jkind_names[] = {
	[J_U64] = "an integer from 0 to 2^64 - 1",
	[J_ORDER] = "an integer from -1 to 63",
	[J_NUM] = "a finite number >= 0",
	[J_BOOL] = "true or false",
	[J_STR] = "a string",
	[J_OBJ] = "an object", [J_U64_OBJ] = "an object",
	[J_U64_ARR] = "an array", [J_NUM_ARR] = "an array",
	[J_OBJ_ARR] = "an array",
};

static int jbad(char *why, size_t len, const char *at, enum jkind k,
		struct json_object *o)
{
	snprintf(why, len, "%s: %s expected, found %s", at, jkind_names[k],
		 o ? json_type_to_name(json_object_get_type(o)) : "nothing");
	return -1;
}

static int check_fields(struct json_object *o, const struct jfield *f,
			const char *at, char *why, size_t len);

/* @o, at path @at, is of kind @k (@sub: the fields of its objects). */
static int check_value(struct json_object *o, enum jkind k,
		       const struct jfield *sub, const char *at, char *why,
		       size_t len)
{
	char item[256];
	size_t i, n;
	double d;

	switch (k) {
	case J_U64:
		/* json-c reads an integer above 2^64 - 1 as 2^64 - 1. */
		if (!json_object_is_type(o, json_type_int) ||
		    json_object_get_int64(o) < 0)
			return jbad(why, len, at, k, o);
		return 0;
	case J_ORDER:
		if (!json_object_is_type(o, json_type_int) ||
		    json_object_get_int64(o) < -1 || json_object_get_int64(o) > 63)
			return jbad(why, len, at, k, o);
		return 0;
	case J_NUM:
		d = json_object_get_double(o);
		if ((!json_object_is_type(o, json_type_int) &&
		     !json_object_is_type(o, json_type_double)) ||
		    !(d >= 0 && d <= 1e300))
			return jbad(why, len, at, k, o);
		return 0;
	case J_BOOL:
		return json_object_is_type(o, json_type_boolean) ? 0 :
		       jbad(why, len, at, k, o);
	case J_STR:
		return json_object_is_type(o, json_type_string) ? 0 :
		       jbad(why, len, at, k, o);
	case J_OBJ:
		if (!json_object_is_type(o, json_type_object))
			return jbad(why, len, at, k, o);
		return check_fields(o, sub, at, why, len);
	case J_U64_OBJ:
		if (!json_object_is_type(o, json_type_object))
			return jbad(why, len, at, k, o);
		json_object_object_foreach(o, key, v) {
			snprintf(item, sizeof(item), "%s.%s", at, key);
			if (check_value(v, J_U64, NULL, item, why, len))
				return -1;
		}
		return 0;
	default:
		if (!json_object_is_type(o, json_type_array))
			return jbad(why, len, at, k, o);
		n = json_object_array_length(o);
		for (i = 0; i < n; i++) {
			snprintf(item, sizeof(item), "%s[%zu]", at, i);
			if (check_value(json_object_array_get_idx(o, i),
					k == J_U64_ARR ? J_U64 : k == J_NUM_ARR ?
					J_NUM : J_OBJ, sub, item, why, len))
				return -1;
		}
		return 0;
	}
}

static int check_fields(struct json_object *o, const struct jfield *f,
			const char *at, char *why, size_t len)
{
	struct json_object *v;
	char path[256];

	for (; f->name; f++) {
		snprintf(path, sizeof(path), "%s%s%s", at, *at ? "." : "", f->name);
		if (!json_object_object_get_ex(o, f->name, &v) || !v) {
			if (f->optional)
				continue;
			snprintf(why, len, "%s: missing", path);
			return -1;
		}
		if (check_value(v, f->kind, f->sub, path, why, len))
			return -1;
	}
	return 0;
}

/* The timeline's series are as long as its t_ms. */
static int check_timeline(struct json_object *run, size_t i, char *why,
			  size_t len)
{
	static const char *const series[] = { "held_bytes", "idle_bytes", "failed" };
	struct json_object *t, *v;
	size_t k;

	json_object_object_get_ex(run, "timeline", &t);
	json_object_object_get_ex(t, "t_ms", &v);
	for (k = 0; k < 3; k++) {
		struct json_object *s;

		json_object_object_get_ex(t, series[k], &s);
		if (json_object_array_length(s) != json_object_array_length(v)) {
			snprintf(why, len, "runs[%zu].timeline.%s: %zu points, t_ms has %zu",
				 i, series[k], json_object_array_length(s),
				 json_object_array_length(v));
			return -1;
		}
	}
	return 0;
}

int replay_results_check(struct json_object *top, char *why, size_t len)
{
	struct json_object *runs;
	size_t i, n;

	if (!json_object_is_type(top, json_type_object))
		return jbad(why, len, "the top level", J_OBJ, top);
	if (json_object_object_get_ex(top, "runs", &runs) &&
	    json_object_is_type(runs, json_type_array)) {
		n = json_object_array_length(runs);
		if (!n || n > REPLAY_MAX_RUNS) {
			snprintf(why, len, "runs: %zu runs; a results file has 1 to %d",
				 n, REPLAY_MAX_RUNS);
			return -1;
		}
	}
	if (check_fields(top, j_top, "", why, len))
		return -1;
	n = json_object_array_length(runs);
	for (i = 0; i < n; i++)
		if (check_timeline(json_object_array_get_idx(runs, i), i, why, len))
			return -1;
	return 0;
}
