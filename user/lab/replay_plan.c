// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>

#include "replay_plan.h"

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
	[PLAN_ONEWAY] = "oneway",
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
	case PLAN_DATA_MAP:
		return snprintf(buf, len, "%s %u 1", n, realm);
	case PLAN_RTT_CREATE:
	case PLAN_PDEV_CREATE:
	case PLAN_HUGE:
	case PLAN_SMMU_ACTIVATE:
	case PLAN_ONEWAY:
		return snprintf(buf, len, "%s %u %llu", n, realm,
				(unsigned long long)s->arg);
	default:
		return snprintf(buf, len, "%s %u", n, realm);
	}
}

bool plan_step_fails(const struct plan_step *s)
{
	return s->fault[SRO_FAULT_FAIL_KEEP] || s->fault[SRO_FAULT_FAIL_LATE];
}

bool plan_step_armed(const struct plan_step *s)
{
	unsigned int f;

	for (f = 0; f < SRO_FAULT_NR; f++)
		if (s->fault[f])
			return true;
	return false;
}

int plan_arm(const struct plan_step *s, uint32_t realm, plan_cmd_fn fn,
	     void *ctx)
{
	char cmd[64];
	unsigned int f;
	int err;

	if (s->leak) {
		snprintf(cmd, sizeof(cmd), "leak %u %u", realm, s->leak);
		err = fn(ctx, cmd);
		if (err)
			return err;
	}
	for (f = 0; f < SRO_FAULT_NR; f++) {
		if (!s->fault[f])
			continue;
		snprintf(cmd, sizeof(cmd), "fault %s %u", sro_fault_name(f),
			 s->fault[f]);
		err = fn(ctx, cmd);
		if (err)
			return err;
	}
	return 0;
}

/* Steps the emulator's create faults (fail_keep, fail_late) apply to. */
static bool kind_creates(unsigned int kind)
{
	return kind == PLAN_REC_CREATE || kind == PLAN_PDEV_CREATE ||
	       kind == PLAN_HUGE || kind == PLAN_SMMU_ACTIVATE ||
	       kind == PLAN_ST_L2_CREATE;
}

/* Steps that destroy one object (racing_keep applies to them). */
static bool kind_destroys_object(unsigned int kind)
{
	return kind == PLAN_REC_DESTROY || kind == PLAN_PDEV_DESTROY ||
	       kind == PLAN_SMMU_DEACTIVATE || kind == PLAN_ST_L2_DESTROY;
}

/*
 * The builder keeps, whatever the trace says (sizes, counts, addresses),
 * to O(n log n) in its events: open operations and donations are found by
 * hash or by tree, never by a walk of everything seen, and a reclaim costs
 * the donations it gives back, not its size.
 */

/* An operation seen started and not yet ended, in a table keyed by op. */
struct open_op {
	uint64_t op;		/* 0: a free slot */
	bool ended;		/* a tombstone: its slot stays taken */
	uint64_t ts;
	uint32_t realm;
	uint32_t cmd;
	uint64_t first_req;	/* bytes of its first donate request */
	bool contig;
	uint64_t requests;
	uint64_t donated;	/* bytes donated in it */
	uint64_t reclaimed;	/* bytes given back in it */
	uint32_t fault[SRO_FAULT_NR];	/* what the RMM did in it */
};

/*
 * A donation. The ones still out are a treap by address (children and
 * priority below), so that a reclaim takes the donations in its range at
 * once, however large the range.
 */
struct block {
	uint64_t pa;
	uint32_t realm;
	bool reclaimed;
	bool replaced;		/* donated again while out */
	uint64_t donor;		/* the operation that donated it */
	uint64_t reclaim_op;	/* the one that gave it back */
	uint64_t seq;		/* the event that donated it */
	size_t left, right;	/* treap children: index + 1, 0: none */
	uint64_t prio;
};

/* A realm's destroy: the event that ended it and the step it became. */
struct destroy {
	uint64_t seq;
	size_t step;
};

/* The step each ended operation became. */
struct op_step {
	uint64_t op;
	size_t step;
};

struct builder {
	struct plan *p;
	struct open_op *ops;	/* open addressing, power-of-two size */
	size_t cap_ops, used_ops, live_ops;
	struct block *blocks;	/* every donation, in trace order */
	size_t nblocks, cap_blocks;
	size_t root;		/* of the treap of blocks still out */
	uint64_t seed;		/* of the treap's priorities */
	struct destroy *destroys[PLAN_MAX_REALMS];	/* per plan realm */
	size_t ndestroys[PLAN_MAX_REALMS], cap_destroys[PLAN_MAX_REALMS];
	size_t cap_steps;
	bool live[PLAN_MAX_REALMS];
	struct op_step *op_steps;
	size_t nop_steps, cap_op_steps;
	uint64_t seq;		/* events seen */
	uint64_t t0;
	bool started;
};

/* splitmix64's finalizer. */
static uint64_t hash64(uint64_t v)
{
	v ^= v >> 30;
	v *= 0xbf58476d1ce4e5b9ULL;
	v ^= v >> 27;
	v *= 0x94d049bb133111ebULL;
	v ^= v >> 31;
	return v;
}

/* Double the array *@p of *@cap elements of @size when @n reaches it. */
static int grow(void *p, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? *cap * 2 : 64;
	void *q;

	if (n < *cap)
		return 0;
	if (c > SIZE_MAX / size)
		return -ENOMEM;
	q = realloc(*(void **)p, c * size);
	if (!q)
		return -ENOMEM;
	*(void **)p = q;
	*cap = c;
	return 0;
}

/* Rehash the open operations into a table of 4 slots per live one. */
static int ops_rehash(struct builder *b)
{
	struct open_op *old = b->ops;
	size_t oldcap = b->cap_ops, i, j;

	b->cap_ops = 64;
	while (b->cap_ops < 4 * (b->live_ops + 1))
		b->cap_ops *= 2;
	b->ops = calloc(b->cap_ops, sizeof(*b->ops));
	if (!b->ops) {
		b->ops = old;
		b->cap_ops = oldcap;
		return -ENOMEM;
	}
	b->used_ops = b->live_ops;
	for (i = 0; i < oldcap; i++) {
		if (!old[i].op || old[i].ended)
			continue;
		j = hash64(old[i].op) & (b->cap_ops - 1);
		while (b->ops[j].op)
			j = (j + 1) & (b->cap_ops - 1);
		b->ops[j] = old[i];
	}
	free(old);
	return 0;
}

/* The open operation @op; with @add, a new one if none (NULL: ENOMEM). */
static struct open_op *find_op(struct builder *b, uint64_t op, bool add)
{
	struct open_op *o, *slot = NULL;
	size_t j;

	if (add && (b->used_ops + 1) * 2 > b->cap_ops && ops_rehash(b))
		return NULL;
	if (!b->cap_ops)
		return NULL;
	for (j = hash64(op) & (b->cap_ops - 1); b->ops[j].op;
	     j = (j + 1) & (b->cap_ops - 1)) {
		o = &b->ops[j];
		if (o->op == op && !o->ended)
			return o;
		if (o->ended && !slot)
			slot = o;
	}
	if (!add)
		return NULL;
	if (!slot) {
		slot = &b->ops[j];
		b->used_ops++;
	}
	memset(slot, 0, sizeof(*slot));
	slot->op = op;
	b->live_ops++;
	return slot;
}

static struct block *blk(struct builder *b, size_t t)
{
	return &b->blocks[t - 1];
}

/* Treap @t into @l (addresses below @pa) and @r (the others). */
static void split(struct builder *b, size_t t, uint64_t pa, size_t *l, size_t *r)
{
	if (!t) {
		*l = *r = 0;
	} else if (blk(b, t)->pa < pa) {
		split(b, blk(b, t)->right, pa, &blk(b, t)->right, r);
		*l = t;
	} else {
		split(b, blk(b, t)->left, pa, l, &blk(b, t)->left);
		*r = t;
	}
}

/* Treaps @l and @r, every address of @l below those of @r, as one. */
static size_t merge(struct builder *b, size_t l, size_t r)
{
	if (!l || !r)
		return l ? l : r;
	if (blk(b, l)->prio > blk(b, r)->prio) {
		blk(b, l)->right = merge(b, blk(b, l)->right, r);
		return l;
	}
	blk(b, r)->left = merge(b, l, blk(b, r)->left);
	return r;
}

/*
 * Take the donations out at addresses [@pa, @pa + @size), @size >= 1 (to
 * the top of the address space if that overflows): the treap they form is
 * returned.
 */
static size_t take_range(struct builder *b, uint64_t pa, uint64_t size)
{
	size_t l, mid, r = 0;

	split(b, b->root, pa, &l, &mid);
	if (size - 1 < UINT64_MAX - pa)
		split(b, mid, pa + size, &mid, &r);
	b->root = merge(b, l, r);
	return mid;
}

/* Every donation of treap @t given back by @op. */
static void mark_reclaimed(struct builder *b, size_t t, uint64_t op)
{
	while (t) {
		blk(b, t)->reclaimed = true;
		blk(b, t)->reclaim_op = op;
		mark_reclaimed(b, blk(b, t)->left, op);
		t = blk(b, t)->right;
	}
}

static int donate(struct builder *b, const struct sro_event *e)
{
	struct block *k;
	size_t t;

	if (grow(&b->blocks, &b->cap_blocks, b->nblocks, sizeof(*b->blocks)))
		return -ENOMEM;
	/* A donation at an address still out replaces it in the books. */
	t = take_range(b, e->addr, 1);
	if (t)
		blk(b, t)->replaced = true;
	t = ++b->nblocks;
	k = blk(b, t);
	memset(k, 0, sizeof(*k));
	k->pa = e->addr;
	k->realm = e->realm;
	k->donor = e->op;
	k->seq = b->seq;
	k->prio = hash64(b->seed + t);
	split(b, b->root, e->addr, &b->root, &t);
	b->root = merge(b, merge(b, b->root, b->nblocks), t);
	return 0;
}

static struct plan_step *add_step(struct builder *b, uint64_t ts,
				  uint32_t realm, unsigned int kind,
				  uint64_t arg)
{
	struct plan *p = b->p;
	struct plan_step *s;

	if (grow(&p->steps, &b->cap_steps, p->nsteps, sizeof(*s)))
		return NULL;
	s = &p->steps[p->nsteps++];
	memset(s, 0, sizeof(*s));
	s->ts = ts;
	s->realm = realm;
	s->kind = kind;
	s->arg = arg;
	return s;
}

/* @realm's index in the plan's realms, or -1. */
static int realm_index(const struct plan *p, uint32_t realm)
{
	size_t i;

	for (i = 0; i < p->nrealms; i++)
		if (p->realms[i] == realm)
			return i;
	return -1;
}

/*
 * A realm not live shows: it is created then (again, if an id is reused
 * after its destroy).
 */
static int see_realm(struct builder *b, uint32_t realm, uint64_t ts)
{
	struct plan *p = b->p;
	int i;

	if (!realm)
		return 0;
	i = realm_index(p, realm);
	if (i < 0) {
		if (p->nrealms == PLAN_MAX_REALMS)
			return -E2BIG;
		i = p->nrealms;
		p->realms[p->nrealms++] = realm;
	}
	if (b->live[i])
		return 0;
	b->live[i] = true;
	return add_step(b, ts, realm, PLAN_REALM_CREATE, 0) ? 0 : -ENOMEM;
}

/*
 * @realm's destroy is step @step: the blocks it still has then belong to
 * that destroy. Those still not reclaimed when the trace ends are what
 * the RMM kept (reclaims may come after the destroy's end).
 */
static int realm_destroyed(struct builder *b, uint32_t realm, size_t step)
{
	int i = realm_index(b->p, realm);

	if (i < 0)
		return 0;
	b->live[i] = false;
	if (grow(&b->destroys[i], &b->cap_destroys[i], b->ndestroys[i],
		 sizeof(**b->destroys)))
		return -ENOMEM;
	b->destroys[i][b->ndestroys[i]].seq = b->seq;
	b->destroys[i][b->ndestroys[i]++].step = step;
	return 0;
}

/* The step of the first destroy of @k's realm after its donation, or -1. */
static long destroy_step(const struct builder *b, const struct block *k)
{
	int i = realm_index(b->p, k->realm);
	size_t lo = 0, hi, mid;

	if (i < 0)
		return -1;
	hi = b->ndestroys[i];
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (b->destroys[i][mid].seq <= k->seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < b->ndestroys[i] ? (long)b->destroys[i][lo].step : -1;
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
		mid = lo + (hi - lo) / 2;
		if (b->op_steps[mid].op == op)
			return b->op_steps[mid].step;
		if (b->op_steps[mid].op < op)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Donations by donor and realm, then trace order (qsort_r context-free). */
static const struct block *sort_blocks;

static int cmp_donation(const void *a, const void *b)
{
	const struct block *x = &sort_blocks[*(const size_t *)a];
	const struct block *y = &sort_blocks[*(const size_t *)b];

	if (x->donor != y->donor)
		return x->donor < y->donor ? -1 : 1;
	if (x->realm != y->realm)
		return x->realm < y->realm ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The step of @op, or -1 (host donations: op 0). */
static long step_of(struct builder *b, uint64_t op)
{
	return op ? step_of_op(b, op) : -1;
}

/*
 * What the RMM kept of each donation, armed where the emulator keeps it
 * the same way. Sorted by donation, each donation's blocks are side by
 * side: O(n log n). The step that gave back the rest of a donation is the
 * earliest that reclaimed any of its blocks. A block that step did not
 * give back:
 *  - of a create the RMM failed keeping memory: its fail_keep kept it;
 *  - of a one-way donation: the emulator never gives those back;
 *  - after an object's destroy, given back by the realm's destroy (or
 *    never, the realm still live): a racing_keep of that destroy;
 *  - never given back, its realm destroyed: kept for good (leak R N),
 *    armed before that step, or else before the realm's destroy.
 */
static int count_kept(struct builder *b)
{
	struct plan_step *steps = b->p->steps;
	size_t *idx, i, j, k, n = 0;
	long given, step, donor;

	/* qsort() of nothing: its array may be NULL. */
	if (!b->nblocks)
		return 0;
	if (b->nop_steps)
		qsort(b->op_steps, b->nop_steps, sizeof(*b->op_steps), cmp_op_step);
	idx = malloc(b->nblocks * sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	for (i = 0; i < b->nblocks; i++)
		idx[n++] = i;
	sort_blocks = b->blocks;
	qsort(idx, n, sizeof(*idx), cmp_donation);
	for (i = 0; i < n; i = j) {
		const struct block *d = &b->blocks[idx[i]];

		given = -1;
		for (j = i; j < n; j++) {
			const struct block *g = &b->blocks[idx[j]];

			if (g->donor != d->donor || g->realm != d->realm)
				break;
			step = g->donor && g->reclaimed ? step_of(b, g->reclaim_op) : -1;
			if (step >= 0 && (given < 0 || step < given))
				given = step;
		}
		donor = step_of(b, d->donor);
		for (k = i; k < j; k++) {
			const struct block *kept = &b->blocks[idx[k]];

			if (kept->replaced ||
			    (kept->reclaimed && step_of(b, kept->reclaim_op) == given))
				continue;
			/* Kept by its fail_keep, or one-way by nature. */
			if (donor >= 0 && (steps[donor].fault[SRO_FAULT_FAIL_KEEP] ||
					   steps[donor].kind == PLAN_ONEWAY))
				continue;
			step = destroy_step(b, kept);
			if (given >= 0 && kind_destroys_object(steps[given].kind) &&
			    (kept->reclaimed || step < 0)) {
				steps[given].fault[SRO_FAULT_RACING_KEEP]++;
				continue;
			}
			if (kept->reclaimed || step < 0)
				continue;
			steps[given >= 0 ? given : step].leak++;
		}
	}
	free(idx);
	return 0;
}

/* What the operation @o, ended with @status, replays as. */
static int end_op(struct builder *b, struct open_op *o, int32_t status)
{
	struct plan_step *s = NULL;
	unsigned int kind;
	uint64_t arg = 0;

	switch (o->cmd) {
	case SRO_RMI_CMD(REC_CREATE):
		kind = PLAN_REC_CREATE;
		break;
	case SRO_RMI_CMD(REC_DESTROY):
		kind = PLAN_REC_DESTROY;
		break;
	case SRO_RMI_CMD(REALM_DESTROY):
		kind = PLAN_REALM_DESTROY;
		break;
	case SRO_RMI_CMD(RTT_DATA_MAP):
		kind = PLAN_DATA_MAP;
		break;
	case SRO_RMI_CMD(PDEV_DESTROY):
		kind = PLAN_PDEV_DESTROY;
		break;
	case SRO_RMI_CMD(PSMMU_DEACTIVATE):
		kind = PLAN_SMMU_DEACTIVATE;
		break;
	case SRO_RMI_CMD(PSMMU_ST_L2_CREATE):
		kind = PLAN_ST_L2_CREATE;
		break;
	case SRO_RMI_CMD(PSMMU_ST_L2_DESTROY):
		kind = PLAN_ST_L2_DESTROY;
		break;
	case SRO_EMU_ONEWAY_CMD:
		kind = PLAN_ONEWAY;
		arg = o->first_req / SRO_GRANULE_SIZE;
		break;
	case SRO_RMI_CMD(PSMMU_ACTIVATE):
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
	if (!s || grow(&b->op_steps, &b->cap_op_steps, b->nop_steps,
		       sizeof(*b->op_steps)))
		return -ENOMEM;
	b->op_steps[b->nop_steps].op = o->op;
	b->op_steps[b->nop_steps++].step = s - b->p->steps;
	memcpy(s->fault, o->fault, sizeof(s->fault));
	if (status) {
		b->p->failed += o->requests;
		/* The emulator fails a create after its last donation. */
		if (kind_creates(kind))
			s->fault[o->donated > o->reclaimed ? SRO_FAULT_FAIL_KEEP :
				 SRO_FAULT_FAIL_LATE] = 1;
	}
	if (kind == PLAN_REALM_DESTROY)
		return realm_destroyed(b, o->realm, s - b->p->steps);
	return 0;
}

/* @realm's descriptor came back outside any operation at @ts. */
static int realm_torn_down(struct builder *b, uint32_t realm, uint64_t ts)
{
	int i = realm_index(b->p, realm);
	struct plan_step *s;

	/* Gone already: the emulator's REALM_DESTROY ended it. */
	if (i < 0 || !b->live[i])
		return 0;
	s = add_step(b, ts, realm, PLAN_REALM_DESTROY, 0);
	return s ? realm_destroyed(b, realm, s - b->p->steps) : -ENOMEM;
}

static int on_event(struct builder *b, const struct sro_event *e)
{
	struct open_op *o;
	uint64_t ts;
	size_t t;
	int err;

	if (!b->started) {
		b->t0 = e->ts;
		b->started = true;
	}
	b->seq++;
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
	/* A start of an operation already open: its end was lost. */
	o = e->op ? find_op(b, e->op, e->type == SRO_EV_OP_START) : NULL;
	switch (e->type) {
	case SRO_EV_OP_START:
		if (!e->op)
			break;
		if (!o)
			return -ENOMEM;
		memset(o, 0, sizeof(*o));
		o->op = e->op;
		o->ts = ts;
		o->realm = e->realm;
		o->cmd = e->cmd;
		break;
	case SRO_EV_DONATE_REQ:
		b->p->requests++;
		b->p->requested_bytes += e->size;
		if (o)
			o->requests++;
		if (o && !o->first_req) {
			o->first_req = e->size;
			o->contig = e->flags & SRO_F_CONTIG;
		}
		break;
	case SRO_EV_DONATE_RESULT:
		/* Granules offered (size) and taken (aux) by one call. */
		if (o && e->size && !e->aux)
			o->fault[SRO_FAULT_ZERO]++;
		else if (o && e->aux < e->size)
			o->fault[SRO_FAULT_PARTIAL]++;
		break;
	case SRO_EV_FAIL:
		if (o && e->status == SRO_FAIL_DELEGATE)
			o->fault[SRO_FAULT_DELEGATE]++;
		break;
	case SRO_EV_ALLOC:
		/* RTTs are delegated by the host alone: no operation. */
		if (!e->op && e->purpose == SRO_PURPOSE_RTT)
			return add_step(b, ts, e->realm, PLAN_RTT_CREATE,
					e->size / SRO_GRANULE_SIZE ?: 1) ?
			       0 : -ENOMEM;
		break;
	case SRO_EV_DONATE:
		b->p->donated_bytes += e->size;
		if (o)
			o->donated += e->size;
		return donate(b, e);
	case SRO_EV_RECLAIM:
		/*
		 * The RMM may give back adjacent donations as one range:
		 * every donation that starts in it is back.
		 */
		b->p->reclaimed_bytes += e->size;
		if (o)
			o->reclaimed += e->size;
		t = take_range(b, e->addr, e->size);
		mark_reclaimed(b, t, e->op);
		/*
		 * A realm torn down with plain calls (TF-RMM's REALM_DESTROY
		 * is no SRO): its descriptor back to the host ends it.
		 */
		if (!e->op && e->purpose == SRO_PURPOSE_RD)
			return realm_torn_down(b, e->realm, ts);
		break;
	case SRO_EV_LEAK:
		b->p->given_up_bytes += e->size;
		if (o)
			o->fault[SRO_FAULT_UNDELEGATE] += e->size / SRO_GRANULE_SIZE;
		break;
	case SRO_EV_OP_END:
		if (!o)
			break;
		o->ended = true;
		b->live_ops--;
		return end_op(b, o, e->status);
	default:
		break;
	}
	return 0;
}

static void builder_free(struct builder *b)
{
	int i;

	free(b->ops);
	free(b->blocks);
	free(b->op_steps);
	for (i = 0; i < PLAN_MAX_REALMS; i++)
		free(b->destroys[i]);
}

int plan_from_reader(struct trace_reader *r, struct plan *p, const char **err)
{
	struct builder b = { .p = p };
	struct sro_event e;
	int ret, e2 = 0;

	memset(p, 0, sizeof(*p));
	/* Priorities no trace can foresee keep the treap balanced. */
	if (getrandom(&b.seed, sizeof(b.seed), 0) != sizeof(b.seed))
		b.seed = (uintptr_t)&b ^ (uint64_t)time(NULL);
	while ((ret = trace_reader_next(r, &e)) == 1) {
		e2 = on_event(&b, &e);
		if (e2)
			break;
	}
	p->events = b.seq;
	/* Cut short: what its intact blocks hold is a trace that ends there. */
	if (ret < 0 && trace_reader_truncated(r)) {
		snprintf(p->truncated, sizeof(p->truncated), "%s",
			 trace_reader_error(r));
		ret = 0;
	}
	if (!e2 && ret == 0)
		e2 = count_kept(&b);
	builder_free(&b);
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
