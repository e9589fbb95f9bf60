// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
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
		st->fail_reasons[o->last_fail >= 0 && o->last_fail < SRO_FAIL_MAX ?
				 o->last_fail : SRO_FAIL_MAX] += o->requests;
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
		if (e->source < SRO_SRC_MAX)
			st->allocs[e->source]++;
		if (e->flags & SRO_F_FALLBACK)
			st->fallbacks++;
		if (o)
			o->alloc_ns += e->ns;
		break;
	case SRO_EV_ALLOC_FAIL:
		if (e->source < SRO_SRC_MAX)
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

void replay_sample(struct replay_stats *st, double t_ms, uint64_t held,
		   uint64_t idle)
{
	size_t cap = st->cap_samples;

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
	for (r = 0; r <= SRO_FAIL_MAX; r++)
		if (st->fail_reasons[r])
			json_object_object_add(o, r < SRO_FAIL_MAX ?
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
	for (r = 0; r < SRO_SRC_MAX; r++) {
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
	json_object_object_add(o, "pool_free_bytes", U64(k1->pool_free_bytes));
	json_object_object_add(o, "cached_bytes", U64(k1->cached_bytes));
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
	struct json_object *top = json_object_new_object(), *o;
	const char *base = strrchr(trace, '/');

	json_object_object_add(top, "format", json_object_new_string("sroscope-replay"));
	json_object_object_add(top, "version", json_object_new_int(1));
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
	json_object_object_add(o, "requested_bytes", U64(p->requested_bytes));
	json_object_object_add(o, "donated_bytes", U64(p->donated_bytes));
	json_object_object_add(o, "reclaimed_bytes", U64(p->reclaimed_bytes));
	json_object_object_add(o, "skipped_ops", U64(p->skipped));
	json_object_object_add(o, "duration_ns", U64(p->duration_ns));
	json_object_object_add(top, "recorded", o);
	return top;
}
