// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay_plan.h"

#define CMD(n)	SRO_RMI_FID(n)
#define C_REALM_DESTROY		CMD(0x159)
#define C_REC_CREATE		CMD(0x15a)
#define C_REC_DESTROY		CMD(0x15b)
#define C_DATA_MAP		CMD(0x1f5)
#define C_PDEV_DESTROY		CMD(0x177)
#define C_SMMU_ACTIVATE		CMD(0x1d7)
#define C_SMMU_DEACTIVATE	CMD(0x1d8)
#define C_ST_L2_CREATE		CMD(0x1db)
#define C_ST_L2_DESTROY		CMD(0x1dc)

static const char *const kind_names[PLAN_KIND_MAX] = {
	[PLAN_REALM_CREATE] = "realm_create",
	[PLAN_REALM_DESTROY] = "realm_destroy",
	[PLAN_REC_CREATE] = "rec_create",
	[PLAN_REC_DESTROY] = "rec_destroy",
	[PLAN_PDEV_CREATE] = "pdev_create",
	[PLAN_HUGE] = "huge",
	[PLAN_PDEV_DESTROY] = "pdev_destroy",
	[PLAN_SMMU_ACTIVATE] = "smmu_activate",
	[PLAN_SMMU_DEACTIVATE] = "smmu_deactivate",
	[PLAN_RTT_CREATE] = "rtt_create",
	[PLAN_DATA_MAP] = "data_map",
	[PLAN_ST_L2_CREATE] = "smmu_st_l2_create",
	[PLAN_ST_L2_DESTROY] = "smmu_st_l2_destroy",
};

const char *plan_kind_name(unsigned int kind)
{
	return kind < PLAN_KIND_MAX ? kind_names[kind] : "?";
}

int plan_command(const struct plan_step *s, uint32_t realm, char *buf,
		 size_t len)
{
	const char *n = plan_kind_name(s->kind);

	switch (s->kind) {
	case PLAN_REC_CREATE:
	case PLAN_REC_DESTROY:
	case PLAN_RTT_CREATE:
	case PLAN_DATA_MAP:
		return snprintf(buf, len, "%s %u 1", n, realm);
	case PLAN_PDEV_CREATE:
	case PLAN_HUGE:
	case PLAN_SMMU_ACTIVATE:
		return snprintf(buf, len, "%s %u %llu", n, realm,
				(unsigned long long)s->arg);
	default:
		return snprintf(buf, len, "%s %u", n, realm);
	}
}

/* An operation seen started and not yet ended. */
struct open_op {
	uint64_t op;
	uint64_t ts;
	uint32_t realm;
	uint32_t cmd;
	uint64_t first_req;	/* bytes of its first donate request */
	bool contig;
	uint32_t refused;	/* granules given up in it */
};

/* Outstanding donations by address: realm and size (open addressing). */
struct block {
	uint64_t pa;		/* 0: empty slot */
	uint64_t size;
	uint32_t realm;
	bool gone;		/* reclaimed: a tombstone */
	long destroy_step;	/* its realm's destroy (+1), 0: none yet */
	uint64_t donor;		/* the operation that donated it */
	uint64_t reclaim_op;	/* the one that gave it back */
};

/* The step each ended operation became. */
struct op_step {
	uint64_t op;
	size_t step;
};

struct builder {
	struct plan *p;
	struct open_op *ops;
	size_t nops, cap_ops;
	struct block *blocks;
	size_t cap_blocks, used_blocks;
	size_t cap_steps;
	bool live[PLAN_MAX_REALMS];
	struct op_step *op_steps;
	size_t nop_steps, cap_op_steps;
	uint64_t t0;
	bool started;
};

static uint64_t hash64(uint64_t v)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdULL;
	v ^= v >> 33;
	return v;
}

static int blocks_grow(struct builder *b)
{
	struct block *old = b->blocks;
	size_t oldcap = b->cap_blocks, i, j;

	b->cap_blocks = oldcap ? oldcap * 2 : 1024;
	b->blocks = calloc(b->cap_blocks, sizeof(*b->blocks));
	if (!b->blocks)
		return -ENOMEM;
	b->used_blocks = 0;
	for (i = 0; i < oldcap; i++) {
		if (!old[i].pa || old[i].gone)
			continue;
		j = hash64(old[i].pa) & (b->cap_blocks - 1);
		while (b->blocks[j].pa)
			j = (j + 1) & (b->cap_blocks - 1);
		b->blocks[j] = old[i];
		b->used_blocks++;
	}
	free(old);
	return 0;
}

static struct block *block_find(struct builder *b, uint64_t pa, bool add)
{
	size_t j;

	if (add && (b->used_blocks + 1) * 2 > b->cap_blocks && blocks_grow(b))
		return NULL;
	if (!b->cap_blocks)
		return NULL;
	j = hash64(pa) & (b->cap_blocks - 1);
	while (b->blocks[j].pa) {
		if (b->blocks[j].pa == pa && !b->blocks[j].gone)
			return &b->blocks[j];
		j = (j + 1) & (b->cap_blocks - 1);
	}
	if (!add)
		return NULL;
	b->blocks[j].pa = pa;
	b->used_blocks++;
	return &b->blocks[j];
}

static struct plan_step *add_step(struct builder *b, uint64_t ts,
				  uint32_t realm, unsigned int kind,
				  uint64_t arg)
{
	struct plan *p = b->p;
	struct plan_step *s;

	if (p->nsteps == b->cap_steps) {
		size_t cap = b->cap_steps ? b->cap_steps * 2 : 256;

		s = realloc(p->steps, cap * sizeof(*s));
		if (!s)
			return NULL;
		p->steps = s;
		b->cap_steps = cap;
	}
	s = &p->steps[p->nsteps++];
	memset(s, 0, sizeof(*s));
	s->ts = ts;
	s->realm = realm;
	s->kind = kind;
	s->arg = arg;
	return s;
}

/*
 * A realm not live shows: it is created then (again, if an id is reused
 * after its destroy).
 */
static int see_realm(struct builder *b, uint32_t realm, uint64_t ts)
{
	struct plan *p = b->p;
	size_t i;

	if (!realm)
		return 0;
	for (i = 0; i < p->nrealms; i++)
		if (p->realms[i] == realm)
			break;
	if (i == p->nrealms) {
		if (p->nrealms == PLAN_MAX_REALMS)
			return -E2BIG;
		p->realms[p->nrealms++] = realm;
	}
	if (b->live[i])
		return 0;
	b->live[i] = true;
	return add_step(b, ts, realm, PLAN_REALM_CREATE, 0) ? 0 : -ENOMEM;
}

static void realm_gone(struct builder *b, uint32_t realm)
{
	size_t i;

	for (i = 0; i < b->p->nrealms; i++)
		if (b->p->realms[i] == realm)
			b->live[i] = false;
}

static struct open_op *find_op(struct builder *b, uint64_t op)
{
	size_t i;

	for (i = b->nops; i-- > 0;)
		if (b->ops[i].op == op)
			return &b->ops[i];
	return NULL;
}

/*
 * @realm's destroy is step @step: the blocks it still has then belong to
 * that destroy. Those still not reclaimed when the trace ends are what
 * the RMM kept (reclaims may come after the destroy's end).
 */
static void mark_destroyed(struct builder *b, uint32_t realm, size_t step)
{
	size_t i;

	for (i = 0; i < b->cap_blocks; i++)
		if (b->blocks[i].pa && !b->blocks[i].gone &&
		    b->blocks[i].realm == realm && !b->blocks[i].destroy_step)
			b->blocks[i].destroy_step = step + 1;
}

static int cmp_op_step(const void *a, const void *b)
{
	const struct op_step *x = a, *y = b;

	return x->op < y->op ? -1 : x->op > y->op;
}

static long step_of_op(struct builder *b, uint64_t op)
{
	size_t lo = 0, hi = b->nop_steps, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (b->op_steps[mid].op == op)
			return b->op_steps[mid].step;
		if (b->op_steps[mid].op < op)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * The emulator keeps blocks (leak R N) out of the next object destroy of
 * the realm: arm each kept block before the step that gave back the rest
 * of its donation, or else before its realm's destroy.
 */
static void count_kept(struct builder *b)
{
	struct block *k, *g;
	size_t i, j;
	long step;

	qsort(b->op_steps, b->nop_steps, sizeof(*b->op_steps), cmp_op_step);
	for (i = 0; i < b->cap_blocks; i++) {
		k = &b->blocks[i];
		if (!k->pa || k->gone || !k->destroy_step)
			continue;
		step = -1;
		for (j = 0; j < b->cap_blocks && step < 0; j++) {
			g = &b->blocks[j];
			if (g->pa && g->gone && g->donor == k->donor && k->donor &&
			    g->realm == k->realm && g->reclaim_op)
				step = step_of_op(b, g->reclaim_op);
		}
		if (step < 0)
			step = k->destroy_step - 1;
		b->p->steps[step].leak++;
	}
}

/* What the operation @o replays as, at its end. */
static int end_op(struct builder *b, struct open_op *o)
{
	struct plan_step *s = NULL;
	unsigned int kind;
	uint64_t arg = 0;

	switch (o->cmd) {
	case C_REC_CREATE:
		kind = PLAN_REC_CREATE;
		break;
	case C_REC_DESTROY:
		kind = PLAN_REC_DESTROY;
		break;
	case C_REALM_DESTROY:
		kind = PLAN_REALM_DESTROY;
		break;
	case C_DATA_MAP:
		kind = PLAN_DATA_MAP;
		break;
	case C_PDEV_DESTROY:
		kind = PLAN_PDEV_DESTROY;
		break;
	case C_SMMU_DEACTIVATE:
		kind = PLAN_SMMU_DEACTIVATE;
		break;
	case C_ST_L2_CREATE:
		kind = PLAN_ST_L2_CREATE;
		break;
	case C_ST_L2_DESTROY:
		kind = PLAN_ST_L2_DESTROY;
		break;
	case C_SMMU_ACTIVATE:
		/* The emulator's argument: SID bits; the table is 2^bits / 8. */
		kind = PLAN_SMMU_ACTIVATE;
		for (arg = 3; arg < 64 && (1ULL << (arg - 3)) < o->first_req; arg++)
			;
		break;
	default:
		/* Any other donating operation: a device of its shape. */
		if (!o->first_req) {
			b->p->skipped++;
			return 0;
		}
		kind = o->contig ? PLAN_HUGE : PLAN_PDEV_CREATE;
		arg = o->contig ? o->first_req : o->first_req / SRO_GRANULE_SIZE;
		break;
	}
	s = add_step(b, o->ts, o->realm, kind, arg);
	if (!s)
		return -ENOMEM;
	if (b->nop_steps == b->cap_op_steps) {
		size_t cap = b->cap_op_steps ? b->cap_op_steps * 2 : 256;
		struct op_step *n = realloc(b->op_steps, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		b->op_steps = n;
		b->cap_op_steps = cap;
	}
	b->op_steps[b->nop_steps].op = o->op;
	b->op_steps[b->nop_steps++].step = s - b->p->steps;
	s->refuse = o->refused;
	if (kind == PLAN_REALM_DESTROY) {
		mark_destroyed(b, o->realm, s - b->p->steps);
		realm_gone(b, o->realm);
	}
	return 0;
}

static int on_event(struct builder *b, const struct sro_event *e)
{
	struct open_op *o;
	struct block *blk;
	uint64_t ts;
	int err;

	if (!b->started) {
		b->t0 = e->ts;
		b->started = true;
	}
	ts = e->ts > b->t0 ? e->ts - b->t0 : 0;
	b->p->duration_ns = ts;
	/*
	 * A realm is in use when an operation starts for it or the host
	 * allocates for it; reclaims and frees come after its destroy too.
	 */
	if (e->type == SRO_EV_OP_START || e->type == SRO_EV_ALLOC ||
	    e->type == SRO_EV_DONATE_REQ) {
		err = see_realm(b, e->realm, ts);
		if (err)
			return err;
	}
	o = e->op ? find_op(b, e->op) : NULL;
	switch (e->type) {
	case SRO_EV_OP_START:
		if (b->nops == b->cap_ops) {
			size_t cap = b->cap_ops ? b->cap_ops * 2 : 64;
			struct open_op *n = realloc(b->ops, cap * sizeof(*n));

			if (!n)
				return -ENOMEM;
			b->ops = n;
			b->cap_ops = cap;
		}
		o = &b->ops[b->nops++];
		memset(o, 0, sizeof(*o));
		o->op = e->op;
		o->ts = ts;
		o->realm = e->realm;
		o->cmd = e->cmd;
		break;
	case SRO_EV_DONATE_REQ:
		b->p->requests++;
		b->p->requested_bytes += e->size;
		if (o && !o->first_req) {
			o->first_req = e->size;
			o->contig = e->flags & SRO_F_CONTIG;
		}
		break;
	case SRO_EV_ALLOC:
		/* RTTs are delegated by the host alone: no operation. */
		if (!e->op && e->purpose == SRO_PURPOSE_RTT)
			return add_step(b, ts, e->realm, PLAN_RTT_CREATE, 0) ?
			       0 : -ENOMEM;
		break;
	case SRO_EV_DONATE:
		b->p->donated_bytes += e->size;
		blk = block_find(b, e->addr, true);
		if (!blk)
			return -ENOMEM;
		blk->size = e->size;
		blk->realm = e->realm;
		blk->donor = e->op;
		break;
	case SRO_EV_RECLAIM: {
		uint64_t off;

		/* The RMM may give back adjacent donations as one range. */
		b->p->reclaimed_bytes += e->size;
		for (off = 0; off < e->size; off += SRO_GRANULE_SIZE) {
			blk = block_find(b, e->addr + off, false);
			if (blk) {
				blk->gone = true;
				blk->reclaim_op = e->op;
			}
		}
		break;
	}
	case SRO_EV_LEAK:
		if (o)
			o->refused += e->size / SRO_GRANULE_SIZE;
		break;
	case SRO_EV_OP_END:
		if (!o)
			break;
		err = end_op(b, o);
		*o = b->ops[--b->nops];
		return err;
	default:
		break;
	}
	return 0;
}

int plan_from_reader(struct trace_reader *r, struct plan *p, const char **err)
{
	struct builder b = { .p = p };
	struct sro_event e;
	int ret, e2 = 0;

	memset(p, 0, sizeof(*p));
	while ((ret = trace_reader_next(r, &e)) == 1) {
		e2 = on_event(&b, &e);
		if (e2)
			break;
	}
	if (!e2 && ret == 0)
		count_kept(&b);
	free(b.ops);
	free(b.blocks);
	free(b.op_steps);
	if (e2) {
		*err = e2 == -E2BIG ? "more realms in the trace than the emulator has" :
			"out of memory";
		plan_free(p);
		return -1;
	}
	if (ret < 0) {
		*err = trace_reader_error(r);
		plan_free(p);
		return -1;
	}
	if (!p->nsteps) {
		*err = "the trace has no operation to replay";
		plan_free(p);
		return -1;
	}
	return 0;
}

int plan_build(const char *path, struct plan *p, const char **err)
{
	struct trace_reader *r = trace_reader_open(path);
	int ret;

	if (!r) {
		*err = "out of memory";
		return -1;
	}
	ret = plan_from_reader(r, p, err);
	if (ret) {
		/* The reader's message dies with it: keep a copy. */
		static char msg[256];

		snprintf(msg, sizeof(msg), "%s", *err);
		*err = msg;
	}
	trace_reader_close(r);
	return ret;
}

void plan_free(struct plan *p)
{
	free(p->steps);
	p->steps = NULL;
	p->nsteps = 0;
}
