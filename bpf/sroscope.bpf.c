// SPDX-License-Identifier: GPL-2.0
/*
 * sroscope's tracer: the "sro" trace events of the host's SRO path, kept
 * as books in maps that user space reads whenever it likes:
 *
 *   donations    every donation the realm world still holds, by the
 *   outstanding  kernel's donation id: a ring indexed by id, and a hash
 *                for the few that outlive their ring slot
 *   realms       bytes and blocks donated/reclaimed per realm and source,
 *                allocation failures, leaks, and what a destroyed realm
 *                kept, in a slot per realm ("realm_slots": realm -> slot)
 *   sources      allocations, failures and fallbacks per source
 *   hists        log2 histograms: request size, order, op duration,
 *                allocation latency and donation lifetime per source
 *   losses       what could not be recorded, per CPU: never silent
 *
 * and, for the event types user space asked for, records: gathered per CPU
 * in "batch" and sent to the "events" ring buffer a batch at a time. The
 * books come from the maps alone, so a full ring buffer costs events on
 * the screen, never a false leak.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "sroscope.h"
#include "maps.bpf.h"
#include "vocab_check.h"

/* Filters, set by user space before load. */
const volatile __u32 filter_realm;	/* 0: every realm */
const volatile __u64 min_size;		/* ignore smaller ranges */
const volatile __u32 emit_mask;		/* 1 << type: sent to "events" */
const volatile __u64 wakeup_bytes = 1 << 18;	/* wake user space past this */
const volatile __u32 batch_len = SRO_BATCH;	/* records per batch, <= SRO_BATCH */
const volatile bool capture_stacks;	/* kernel stack of each donation */

/*
 * The RMI command of each running operation, for the records: a ring
 * indexed by op id (ids are sequential), so that finding it is an array
 * access, not a hash walk. A slot reused by an op OPS_RING ids later
 * while the first still runs is seen (op differs) and counted.
 */
#define OPS_RING	4096

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OPS_RING);
	__type(key, __u32);
	__type(value, struct sro_op_info);
} ops SEC(".maps");

/*
 * Outstanding donations. Donation ids are sequential, so a ring indexed by
 * id holds nearly all of them: an array access per event, no hash and no
 * lock. A donation whose slot still holds one a ring's length of ids
 * older (a realm's long-lived memory) goes to the "outstanding" hash,
 * allocated as it is used and sized for every donation the tracer keeps.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);	/* read in place */
	__uint(max_entries, 65536);	/* donation_mask + 1, set by user space */
	__type(key, __u32);
	__type(value, struct sro_donation);
} donations SEC(".maps");

const volatile __u32 donation_mask = 65535;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 65536);	/* user space may resize before load */
	__type(key, __u64);
	__type(value, struct sro_donation);
} outstanding SEC(".maps");

/*
 * Per-realm books in an array, each realm's slot found once by hash and
 * then kept with its running operations: the events of an operation
 * index the array.
 */
#define SRO_NO_SLOT	(~0U)

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SRO_REALM_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} realm_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SRO_REALM_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} slot_owners SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SRO_REALM_SLOTS);
	__type(key, __u32);
	__type(value, struct sro_realm_stats);
} realms SEC(".maps");

__u32 realm_slots_used;	/* a hint: slots below it are taken */

/*
 * Kernel stacks of donations, keyed by their content, numbered in order
 * of first sight: a STACK_TRACE map would refuse a second stack that
 * hashes to an occupied bucket, and lose it.
 */
#define SRO_STACKS	1024

struct sro_stack {
	__u64 ip[SRO_STACK_DEPTH];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SRO_STACKS);
	__type(key, struct sro_stack);
	__type(value, __u32);
} stack_ids SEC(".maps");

/* By id, for user space. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SRO_STACKS);
	__type(key, __u32);
	__type(value, struct sro_stack);
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sro_stack);
} stack_buf SEC(".maps");

__u32 stacks_used;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SRO_SRC_NR);
	__type(key, __u32);
	__type(value, struct sro_src_stats);
} sources SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SRO_HIST_NR);
	__type(key, __u32);
	__type(value, struct sro_hist);
} hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SRO_LOSS_NR);
	__type(key, __u32);
	__type(value, __u64);
} losses SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);	/* user space may resize before load */
} events SEC(".maps");

/*
 * Each CPU's records not yet sent. A ring buffer record costs about as
 * much as the rest of a traced event, so records are gathered here and
 * sent a batch at a time: when the batch is full, at the end of an
 * operation, and when user space asks (sro_flush). The handlers run with
 * preemption off, so only the flush, from an interrupt, can meet a
 * handler half way: "busy" tells it to come back.
 */
struct sro_batch {
	__u32 n;
	__u32 busy;
	struct sro_event ev[SRO_BATCH];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sro_batch);
} batch SEC(".maps");

static __always_inline void lost_n(__u32 what, __u64 count)
{
	__u64 *n = bpf_map_lookup_elem(&losses, &what);

	if (n)
		*n += count;
}

static __always_inline void lost(__u32 what)
{
	lost_n(what, 1);
}

/* Filtered out? @size 0: an event without a byte size. */
static __always_inline bool skip(__u32 realm, __u64 size)
{
	return (filter_realm && realm != filter_realm) ||
	       (size && size < min_size);
}

static __always_inline struct sro_src_stats *source_stats(__u32 source)
{
	return bpf_map_lookup_elem(&sources, &source);
}

static __always_inline void hist_add(__u32 id, __u32 slot, __u64 v)
{
	struct sro_hist *h = bpf_map_lookup_elem(&hists, &id);

	if (!h || slot >= SRO_HIST_SLOTS)
		return;
	h->slots[slot]++;
	h->count++;
	h->sum += v;
}

static __always_inline struct sro_op_info *op_slot(__u64 op)
{
	__u32 slot = op & (OPS_RING - 1);

	return bpf_map_lookup_elem(&ops, &slot);
}

static __always_inline __u32 op_cmd(__u64 op)
{
	struct sro_op_info *o;

	if (!op)
		return 0;
	o = op_slot(op);
	return o && o->op == op ? o->cmd : 0;
}

/*
 * The time the books give an event of @op: when the operation started.
 * A clock read costs more than the rest of a donation's books, so the
 * books read it once per operation: a donation's lifetime runs from the
 * start of the operation that donated it to the start of the one that
 * took it back. Outside a known operation: now.
 */
static __always_inline __u64 books_time(__u64 op)
{
	struct sro_op_info *o;

	if (op) {
		o = op_slot(op);
		if (o && o->op == op && o->ts)
			return o->ts;
	}
	return bpf_ktime_get_boot_ns();
}

/*
 * The slot of @realm's books, given on first sight. A slot is taken by
 * inserting it into "slot_owners" (BPF_NOEXIST decides between CPUs
 * taking the same one; the loser tries the next), then the realm is
 * inserted into "realm_slots". Of CPUs meeting the same new realm, the
 * first to insert it wins; the others' slots stay unused (no realm names
 * them, so nobody reads them).
 */
#define SLOT_TRIES	8

static __always_inline __u32 realm_slot(__u32 realm)
{
	__u32 *have, slot = realm_slots_used;
	int i;

	have = bpf_map_lookup_elem(&realm_slots, &realm);
	if (have)
		return *have;
	for (i = 0; i < SLOT_TRIES; i++, slot++) {
		if (slot >= SRO_REALM_SLOTS)
			return SRO_NO_SLOT;
		if (!bpf_map_update_elem(&slot_owners, &slot, &realm,
					 BPF_NOEXIST))
			break;
	}
	if (i == SLOT_TRIES)
		return SRO_NO_SLOT;
	if (slot + 1 > realm_slots_used)
		realm_slots_used = slot + 1;
	if (!bpf_map_update_elem(&realm_slots, &realm, &slot, BPF_NOEXIST))
		return slot;
	have = bpf_map_lookup_elem(&realm_slots, &realm);
	return have ? *have : SRO_NO_SLOT;
}

/*
 * @realm's books, for an event of @op (0: none): the slot kept with the
 * running operation when it is @realm's, found by hash otherwise.
 */
static __always_inline struct sro_realm_stats *realm_stats(__u64 op,
							   __u32 realm)
{
	struct sro_realm_stats *s;
	struct sro_op_info *o = NULL;
	__u32 slot;

	if (op) {
		o = op_slot(op);
		if (o && (o->op != op || o->realm != realm))
			o = NULL;
	}
	if (o && o->slot != SRO_NO_SLOT) {
		slot = o->slot;
	} else {
		slot = realm_slot(realm);
		if (o)
			o->slot = slot;
	}
	s = bpf_map_lookup_elem(&realms, &slot);
	if (!s)
		lost(SRO_LOSS_REALMS_FULL);
	return s;
}

static __always_inline struct sro_batch *this_batch(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&batch, &zero);
}

/*
 * Send @b's records to user space. Waking the reader for each would cost
 * a wake-up per batch on the traced path: it reads on its own every 100
 * ms, and is woken only by the batch that fills the buffer past
 * wakeup_bytes (one wake-up, however long the reader takes).
 */
static __always_inline void batch_flush(struct sro_batch *b)
{
	__u64 n = b->n, avail, size;

	if (!n || n > SRO_BATCH)
		return;
	size = n * sizeof(b->ev[0]);
	/* Checked again: the verifier must see the size it passes. */
	barrier_var(size);
	if (size > sizeof(b->ev))
		return;
	avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	if (bpf_ringbuf_output(&events, b->ev, size,
			       avail < wakeup_bytes && avail + size + 8 >= wakeup_bytes ?
			       BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP))
		lost_n(SRO_LOSS_RINGBUF, n);
	b->n = 0;
}

/*
 * The next record of @b, zeroed, its type, op and realm set; @b is left
 * busy until event_submit().
 */
static __always_inline struct sro_event *batch_slot(struct sro_batch *b,
						    __u32 type, __u64 op,
						    __u32 realm)
{
	struct sro_event *e;

	b->busy = 1;
	barrier();	/* busy before the record's time and fields */
	e = &b->ev[b->n & (SRO_BATCH - 1)];
	__builtin_memset(e, 0, sizeof(*e));
	e->type = type;
	e->op = op;
	e->realm = realm;
	e->cpu = bpf_get_smp_processor_id();
	return e;
}

/* A record of @type, or NULL (not wanted). Its time is read last. */
static __always_inline struct sro_event *event_new(__u32 type, __u64 op,
						   __u32 realm)
{
	struct sro_batch *b;
	struct sro_event *e;

	if (!(emit_mask & (1U << type)))
		return NULL;
	b = this_batch();
	if (!b)
		return NULL;
	e = batch_slot(b, type, op, realm);
	e->ts = bpf_ktime_get_boot_ns();
	return e;
}

/*
 * Count the record of event_new() in; send the batch when full, or now
 * with @flush.
 */
static __always_inline void event_send(bool flush)
{
	struct sro_batch *b = this_batch();

	if (!b)
		return;
	b->n++;
	if (flush || b->n >= batch_len)
		batch_flush(b);
	barrier();	/* the record counted in before busy ends */
	b->busy = 0;
}

static __always_inline void event_submit(void)
{
	event_send(false);
}

/*
 * This CPU's batch to the ring buffer, ended by a marker record (type
 * SRO_EV_NONE) with the time of the flush: user space then knows that
 * every record of this CPU up to that time has reached it, and merges
 * the CPUs' records in time order (user/lib/evmerge.c). Run by user
 * space on each CPU (BPF_PROG_TEST_RUN, BPF_F_TEST_RUN_ON_CPU: an
 * interrupt there); returns 1 when a handler is half way through a
 * record: try again. A batch always has room for the marker: it is sent
 * as soon as it is full.
 */
SEC("raw_tp")
int sro_flush(void *ctx)
{
	struct sro_batch *b = this_batch();
	struct sro_event *e;

	if (!b)
		return 0;
	if (b->busy)
		return 1;
	e = batch_slot(b, SRO_EV_NONE, 0, 0);
	e->ts = bpf_ktime_get_boot_ns();
	event_send(true);
	return 0;
}

/* The events about one range: donate, reclaim, free, leak. */
struct range_event {
	__u64 pa;
	__u64 size;
	__u64 ns;
	__s32 status;
	__u32 source;
	__u32 purpose;
	__u32 state;
	__u32 count;
	__u8 flags;
};

static __always_inline void emit_range(__u32 type, __u64 op, __u32 realm,
				       const struct range_event *r)
{
	struct sro_event *e = event_new(type, op, realm);

	if (!e)
		return;
	e->cmd = op_cmd(op);
	e->addr = r->pa;
	e->size = r->size;
	e->ns = r->ns;
	e->status = r->status;
	e->source = r->source;
	e->purpose = r->purpose;
	e->state = r->state;
	e->count = r->count;
	e->flags = r->flags;
	event_submit();
}

SEC("tp_btf/sro_op_start")
int BPF_PROG(sro_op_start, u64 op, u32 realm, u32 cmd)
{
	struct sro_event *e;
	struct sro_op_info *o;

	if (skip(realm, 0))
		return 0;
	e = event_new(SRO_EV_OP_START, op, realm);
	o = op_slot(op);
	if (o) {
		if (o->op && o->cmd)
			lost(SRO_LOSS_OPS_FULL);	/* still running */
		o->op = op;
		o->cmd = cmd;
		o->realm = realm;
		o->slot = SRO_NO_SLOT;
		/* One clock read for the books and the record. */
		o->ts = e ? e->ts : bpf_ktime_get_boot_ns();
	}
	if (e) {
		e->cmd = cmd;
		event_submit();
	}
	return 0;
}

SEC("tp_btf/sro_op_end")
int BPF_PROG(sro_op_end, u64 op, u32 realm, u32 cmd, int status, u32 rounds,
	     bool cancelled, u64 duration_ns)
{
	struct sro_realm_stats *s;
	struct sro_event *e;
	struct sro_op_info *o;

	if (skip(realm, 0))
		return 0;
	o = op_slot(op);
	if (o && o->op == op)
		o->cmd = 0;	/* done: the slot may be reused */
	hist_add(SRO_HIST_OP_NS, log2_slot(duration_ns), duration_ns);
	if (cmd == SRO_RMI_CMD(REALM_DESTROY) && status == 0) {
		s = realm_stats(op, realm);
		if (s)
			s->destroyed_ts = bpf_ktime_get_boot_ns();
	}
	e = event_new(SRO_EV_OP_END, op, realm);
	if (e) {
		e->cmd = cmd;
		e->status = status;
		e->count = rounds;
		e->flags = cancelled ? SRO_F_CANCELLED : 0;
		e->ns = duration_ns;
		/* The operation's records go out together. */
		event_send(true);
	}
	return 0;
}

SEC("tp_btf/sro_donate_req")
int BPF_PROG(sro_donate_req, u64 op, u32 realm, u64 req, u32 level, u32 count,
	     bool contig, u32 state, u64 size)
{
	struct sro_event *e;

	if (skip(realm, size))
		return 0;
	hist_add(contig ? SRO_HIST_REQ_SIZE_CONTIG : SRO_HIST_REQ_SIZE,
		 log2_slot(size), size);
	e = event_new(SRO_EV_DONATE_REQ, op, realm);
	if (e) {
		e->cmd = op_cmd(op);
		e->addr = req;
		e->level = level;
		e->count = count;
		e->flags = contig ? SRO_F_CONTIG : 0;
		e->state = state;
		e->size = size;
		event_submit();
	}
	return 0;
}

SEC("tp_btf/sro_alloc")
int BPF_PROG(sro_alloc, u64 op, u32 realm, u64 pa, u64 size, u32 order,
	     u32 source, u32 purpose, u64 latency_ns, bool fallback)
{
	struct sro_src_stats *src;
	struct sro_event *e;

	if (skip(realm, size))
		return 0;
	src = source_stats(source);
	if (src) {
		src->allocs++;
		if (fallback)
			src->fallbacks++;
	}
	hist_add(SRO_HIST_ORDER, order < SRO_HIST_SLOTS ? order :
		 SRO_HIST_SLOTS - 1, order);
	if (source < SRO_SRC_NR)
		hist_add(SRO_HIST_ALLOC_NS + source, log2_slot(latency_ns),
			 latency_ns);
	e = event_new(SRO_EV_ALLOC, op, realm);
	if (e) {
		e->cmd = op_cmd(op);
		e->addr = pa;
		e->size = size;
		e->count = order;
		e->source = source;
		e->purpose = purpose;
		e->ns = latency_ns;
		e->flags = fallback ? SRO_F_FALLBACK : 0;
		event_submit();
	}
	return 0;
}

SEC("tp_btf/sro_alloc_fail")
int BPF_PROG(sro_alloc_fail, u64 op, u32 realm, u64 size, u32 order,
	     u32 source, u32 purpose, u32 reason, u64 latency_ns)
{
	struct sro_src_stats *src;
	struct sro_realm_stats *s;
	struct sro_event *e;

	if (skip(realm, size))
		return 0;
	src = source_stats(source);
	if (src)
		src->alloc_fails++;
	s = realm_stats(op, realm);
	if (s && source < SRO_SRC_NR)
		s->alloc_fails[source]++;
	e = event_new(SRO_EV_ALLOC_FAIL, op, realm);
	if (e) {
		e->cmd = op_cmd(op);
		e->size = size;
		e->count = order;
		e->source = source;
		e->purpose = purpose;
		e->status = reason;
		e->ns = latency_ns;
		event_submit();
	}
	return 0;
}

/* The id of the current kernel stack, -1 if it cannot be kept. */
static __always_inline __s32 stack_id(void *ctx)
{
	struct sro_stack *st;
	__u32 zero = 0, id, *have;
	int i;

	st = bpf_map_lookup_elem(&stack_buf, &zero);
	/* Zero past the last frame: one stack, one key. */
	if (!st || bpf_get_stack(ctx, st->ip, sizeof(st->ip), 0) < 0)
		return -1;
	have = bpf_map_lookup_elem(&stack_ids, st);
	if (have)
		return *have;
	/*
	 * A new stack takes the next id; of CPUs reading the same one, the
	 * first to insert it owns it and the others try the next.
	 */
	id = stacks_used;
	for (i = 0; i < 4; i++, id++) {
		if (id >= SRO_STACKS)
			return -1;
		if (!bpf_map_update_elem(&stacks, &id, st, BPF_NOEXIST))
			break;
	}
	if (i == 4)
		return -1;
	stacks_used = id + 1;
	if (!bpf_map_update_elem(&stack_ids, st, &id, BPF_NOEXIST))
		return id;
	/* Another CPU numbered the same stack first: its id. */
	have = bpf_map_lookup_elem(&stack_ids, st);
	return have ? *have : -1;
}

/*
 * Keep @d (its id set) as outstanding: in its ring slot when that is free,
 * else in the hash. False when neither has room.
 *
 * The slot is taken with plain stores, the id last (atomics that return a
 * value need BPF ISA v3, whose code 6.12's verifier refuses here). Two
 * CPUs can meet on a slot only with ids a ring's length apart, donated in
 * the same few nanoseconds; the one whose id the slot does not end with
 * sees it and goes to the hash.
 */
static __always_inline bool donation_keep(const struct sro_donation *d)
{
	__u32 i = d->id & donation_mask;
	struct sro_donation *slot;
	__u64 id = d->id;

	slot = bpf_map_lookup_elem(&donations, &i);
	if (slot && (!slot->id || slot->id == id)) {
		slot->pa = d->pa;
		slot->size = d->size;
		slot->ts = d->ts;
		slot->op = d->op;
		slot->realm = d->realm;
		slot->cmd = d->cmd;
		slot->source = d->source;
		slot->purpose = d->purpose;
		slot->state = d->state;
		slot->stack_id = d->stack_id;
		*(volatile __u64 *)&slot->id = id;
		if (*(volatile __u64 *)&slot->id == id)
			return true;
	}
	return !bpf_map_update_elem(&outstanding, &id, d, BPF_ANY);
}

/*
 * Donations are keyed by the kernel's donation id, not their address:
 * once the RMM gives back a block's first granule, the host may donate
 * that address again while the rest of the block is still out.
 */
SEC("tp_btf/sro_donate")
int BPF_PROG(sro_donate, u64 op, u32 realm, u64 pa, u64 size, u32 source,
	     u32 purpose, u32 state, u64 donation)
{
	struct sro_donation d = {
		.pa = pa, .size = size, .op = op, .realm = realm, .source = source,
		.purpose = purpose, .state = state, .stack_id = -1,
	};
	struct sro_realm_stats *s;

	if (skip(realm, size) || source >= SRO_SRC_NR)
		return 0;
	d.ts = books_time(op);
	d.cmd = op_cmd(op);
	if (capture_stacks) {
		d.stack_id = stack_id(ctx);
		if (d.stack_id < 0)
			lost(SRO_LOSS_STACKS);
	}
	d.id = donation;
	if (!donation_keep(&d)) {
		/* Untracked, so not counted: held stays what the maps show. */
		lost(SRO_LOSS_OUTSTANDING_FULL);
		return 0;
	}
	s = realm_stats(op, realm);
	if (s) {
		s->donated[source] += size;
		s->donations[source]++;
	}
	emit_range(SRO_EV_DONATE, op, realm, &(struct range_event){
		.pa = pa, .size = size, .source = source, .purpose = purpose,
		.state = state });
	return 0;
}

/*
 * The RMM may give back part of a donation, or a range spanning several:
 * one event per piece, @donation the donation's id. A donation stays
 * outstanding, shrunk, until every byte of it is back.
 */
SEC("tp_btf/sro_reclaim")
int BPF_PROG(sro_reclaim, u64 op, u32 realm, u64 pa, u64 size, u32 source,
	     u32 purpose, u32 state, u64 donation)
{
	struct sro_realm_stats *s;
	struct sro_donation *dp, d;
	__u64 now, life = 0;
	__u8 flags = 0;
	bool in_ring;
	__u32 i, src;

	if (skip(realm, size))
		return 0;
	now = books_time(op);
	i = donation & donation_mask;
	dp = bpf_map_lookup_elem(&donations, &i);
	in_ring = dp && dp->id == donation;
	if (!in_ring)
		dp = bpf_map_lookup_elem(&outstanding, &donation);
	if (dp) {
		/* A copy: the verifier must see the index it checked. */
		d = *dp;
		if (size < d.size)
			dp->size = d.size - size;
		else if (in_ring)
			dp->id = 0;	/* the slot is free */
		else
			bpf_map_delete_elem(&outstanding, &donation);
	}
	if (dp && d.source < SRO_SRC_NR) {
		/* Account to the donation's realm and source, as donated. */
		life = now > d.ts ? now - d.ts : 0;
		hist_add(SRO_HIST_LIFETIME_NS + d.source, log2_slot(life), life);
		s = realm_stats(op, d.realm);
		/* Checked again: the verifier lost the bound in the call. */
		src = d.source;
		barrier_var(src);
		if (s && src < SRO_SRC_NR) {
			s->reclaimed[src] += size < d.size ? size : d.size;
			s->reclaims[src]++;
		}
	} else {
		/* Donated before we started, or its donation was lost. */
		lost(SRO_LOSS_UNKNOWN_RECLAIM);
		flags = SRO_F_UNKNOWN;
		s = realm_stats(op, realm);
		if (s)
			s->unknown_reclaims++;
	}
	emit_range(SRO_EV_RECLAIM, op, realm, &(struct range_event){
		.pa = pa, .size = size, .ns = life, .source = source,
		.purpose = purpose, .state = state, .flags = flags });
	return 0;
}

SEC("tp_btf/sro_donate_result")
int BPF_PROG(sro_donate_result, u64 op, u32 realm, u32 descs, u64 offered,
	     u64 consumed, u64 cached, u64 tail_freed)
{
	struct sro_event *e;

	if (skip(realm, 0))
		return 0;
	e = event_new(SRO_EV_DONATE_RESULT, op, realm);
	if (e) {
		e->cmd = op_cmd(op);
		e->count = descs;
		e->size = offered;
		e->aux = consumed;
		e->aux2 = cached << 32 | (tail_freed & 0xffffffffULL);
		event_submit();
	}
	return 0;
}

SEC("tp_btf/sro_free")
int BPF_PROG(sro_free, u64 op, u32 realm, u64 pa, u64 size, u32 source,
	     u32 reason)
{
	if (skip(realm, size))
		return 0;
	emit_range(SRO_EV_FREE, op, realm, &(struct range_event){
		.pa = pa, .size = size, .source = source, .status = reason });
	return 0;
}

SEC("tp_btf/sro_leak")
int BPF_PROG(sro_leak, u64 op, u32 realm, u64 pa, u64 size, u32 source,
	     int err)
{
	struct sro_realm_stats *s;

	if (skip(realm, size))
		return 0;
	s = realm_stats(op, realm);
	if (s) {
		s->leaked += size;
		s->leaks++;
	}
	emit_range(SRO_EV_LEAK, op, realm, &(struct range_event){
		.pa = pa, .size = size, .source = source, .status = err });
	return 0;
}

/* Refused undelegations, tried again later: counted apart from leaks. */
SEC("tp_btf/sro_quarantine")
int BPF_PROG(sro_quarantine, u64 op, u32 realm, u64 pa, u64 size,
	     u32 source, u32 tries, int err)
{
	if (!skip(realm, size))
		emit_range(SRO_EV_QUARANTINE, op, realm, &(struct range_event){
			.pa = pa, .size = size, .source = source,
			.count = tries, .status = err });
	return 0;
}

SEC("tp_btf/sro_delegate")
int BPF_PROG(sro_delegate, u64 pa, u64 size, u32 calls, bool undelegate,
	     int ret)
{
	struct sro_event *e;

	/* Not tied to a realm: shown only when no realm filter is set. */
	if (skip(0, size))
		return 0;
	e = event_new(SRO_EV_DELEGATE, 0, 0);
	if (e) {
		e->addr = pa;
		e->size = size;
		e->count = calls;
		e->flags = undelegate ? SRO_F_UNDELEGATE : 0;
		e->status = ret;
		event_submit();
	}
	return 0;
}

SEC("tp_btf/sro_fail")
int BPF_PROG(sro_fail, u64 op, u32 realm, u32 cmd, u32 reason, u64 arg)
{
	struct sro_event *e;

	if (skip(realm, 0))
		return 0;
	e = event_new(SRO_EV_FAIL, op, realm);
	if (e) {
		e->cmd = cmd;
		e->status = reason;
		e->addr = arg;
		event_submit();
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
