// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracer's books, natively (tests/tracer/books.bpf.c): each sequence
 * of events goes through the tracer's own handlers, then sroscope's own
 * snapshot code reads the maps, and every figure is checked, including
 * the two ways the tools count what a destroyed realm kept: `sroscope
 * leaks` sums its outstanding blocks, the exporter subtracts its counters.
 * Needs root (BPF) and the project kernel's BTF (build/x86_64/vmlinux.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "evmerge.h"
#include "snapshot.h"
#include "books.skel.h"

#define G	4096ULL
#define B	0x80000000ULL

struct run {
	struct books_bpf *skel;
	struct snapshot s;
};

/*
 * Load only @name's program, with a ring of @ring donation slots (0: the
 * tracer's default), run it once, read the maps.
 */
static void run_ring(struct run *r, const char *name, uint32_t ring)
{
	struct bpf_program *p, *want = NULL;
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	int ncpus = libbpf_num_possible_cpus();

	r->skel = books_bpf__open();
	assert_non_null(r->skel);
	bpf_object__for_each_program(p, r->skel->obj) {
		bool it = !strcmp(bpf_program__name(p), name);

		bpf_program__set_autoload(p, it);
		if (it)
			want = p;
	}
	assert_non_null(want);
	if (ring) {
		bpf_map__set_max_entries(r->skel->maps.donations, ring);
		r->skel->rodata->donation_mask = ring - 1;
	}
	assert_int_equal(books_bpf__load(r->skel), 0);
	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(want), &opts), 0);
	assert_int_equal(snapshot_read(r->skel->obj, ncpus, &r->s, SNAP_DONATIONS), 0);
}

static void run(struct run *r, const char *name)
{
	run_ring(r, name, 0);
}

static void done(struct run *r)
{
	snapshot_free(&r->s);
	books_bpf__destroy(r->skel);
}

static const struct sro_realm_stats *realm(const struct run *r, uint32_t id)
{
	long i = snapshot_realm(&r->s, id);

	assert_true(i >= 0);
	return &r->s.realms[i].s;
}

/* What `sroscope leaks` reports unreturned: blocks of destroyed realms. */
static uint64_t leaks_unreturned(const struct snapshot *s)
{
	uint64_t n = 0;
	long r;
	size_t i;

	for (i = 0; i < s->ndonations; i++) {
		r = snapshot_realm(s, s->donations[i].d.realm);
		if (r >= 0 && s->realms[r].s.destroyed_ts)
			n += s->donations[i].d.size;
	}
	return n;
}

/* What the exporter reports unreturned: held by destroyed realms. */
static uint64_t exporter_unreturned(const struct snapshot *s)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < s->nrealms; i++)
		if (s->realms[i].s.destroyed_ts)
			n += realm_held(&s->realms[i].s);
	return n;
}

static void redonated_head(void **state)
{
	struct run r;

	run(&r, "redonated_head");
	assert_int_equal(src_sum(realm(&r, 5)->donated), 4 * G);
	assert_int_equal(realm_held(realm(&r, 5)), 0);
	assert_true(realm(&r, 5)->destroyed_ts != 0);
	assert_int_equal(realm_held(realm(&r, 6)), 2 * G);
	/* The second donation of B, and nothing left of the first. */
	assert_int_equal(r.s.ndonations, 1);
	assert_int_equal(r.s.donations[0].id, 2);
	assert_int_equal(r.s.donations[0].d.pa, B);
	assert_int_equal(r.s.donations[0].d.size, 2 * G);
	assert_int_equal(r.s.donations[0].d.realm, 6);
	assert_int_equal(leaks_unreturned(&r.s), 0);
	assert_int_equal(exporter_unreturned(&r.s), 0);
	assert_int_equal(r.s.losses[SRO_LOSS_UNKNOWN_RECLAIM], 0);
	done(&r);
}

static void pieces(void **state)
{
	struct run r;

	run(&r, "pieces");
	assert_int_equal(src_sum(realm(&r, 7)->donated), 6 * G);
	assert_int_equal(src_sum(realm(&r, 7)->reclaimed), 5 * G);
	assert_int_equal(realm(&r, 7)->reclaims[0], 4);
	assert_int_equal(r.s.ndonations, 1);
	assert_int_equal(r.s.donations[0].id, 11);
	assert_int_equal(r.s.donations[0].d.size, G);
	assert_int_equal(leaks_unreturned(&r.s), G);
	assert_int_equal(exporter_unreturned(&r.s), G);
	assert_int_equal(r.s.losses[SRO_LOSS_UNKNOWN_RECLAIM], 0);
	done(&r);
}

static void unknown(void **state)
{
	struct run r;

	run(&r, "unknown");
	assert_int_equal(realm_held(realm(&r, 8)), G);
	assert_int_equal(realm(&r, 8)->unknown_reclaims, 1);
	assert_int_equal(r.s.losses[SRO_LOSS_UNKNOWN_RECLAIM], 1);
	assert_int_equal(r.s.ndonations, 1);
	assert_int_equal(r.s.donations[0].id, 20);
	done(&r);
}

/* The donation of @id, or NULL. */
static const struct sro_donation *donation(const struct run *r, uint64_t id)
{
	size_t i;

	for (i = 0; i < r->s.ndonations; i++)
		if (r->s.donations[i].id == id)
			return &r->s.donations[i].d;
	return NULL;
}

static void ring_overflow(void **state)
{
	struct run r;

	run_ring(&r, "ring_overflow", 4);
	assert_int_equal(r.s.ndonations, 2);
	assert_null(donation(&r, 1));
	assert_non_null(donation(&r, 5));
	assert_int_equal(donation(&r, 5)->pa, B + G);
	assert_int_equal(donation(&r, 5)->size, 2 * G);
	assert_non_null(donation(&r, 9));
	assert_int_equal(donation(&r, 9)->size, 3 * G);
	assert_int_equal(src_sum(realm(&r, 9)->donated), 7 * G);
	assert_int_equal(src_sum(realm(&r, 9)->reclaimed), 2 * G);
	assert_int_equal(realm_held(realm(&r, 9)), 5 * G);
	assert_int_equal(r.s.losses[SRO_LOSS_UNKNOWN_RECLAIM], 0);
	assert_int_equal(r.s.losses[SRO_LOSS_OUTSTANDING_FULL], 0);
	done(&r);
}

static void other_realm_in_op(void **state)
{
	struct run r;

	run(&r, "other_realm_in_op");
	assert_int_equal(src_sum(realm(&r, 10)->donated), 5 * G);
	assert_int_equal(realm(&r, 10)->donations[0], 2);
	assert_int_equal(src_sum(realm(&r, 11)->donated), 2 * G);
	assert_int_equal(realm(&r, 11)->donated[1], 2 * G);
	assert_int_equal(realm(&r, 11)->reclaimed[1], 2 * G);
	assert_int_equal(realm_held(realm(&r, 11)), 0);
	assert_int_equal(realm_held(realm(&r, 10)), 5 * G);
	assert_int_equal(r.s.nrealms, 2);
	done(&r);
}

static void realms_full(void **state)
{
	struct run r;

	run(&r, "realms_full");
	assert_int_equal(r.s.nrealms, SRO_REALM_SLOTS);
	assert_int_equal(r.s.losses[SRO_LOSS_REALMS_FULL], 2);
	assert_int_equal(realm_held(realm(&r, 100)), G);
	assert_int_equal(realm_held(realm(&r, 100 + SRO_REALM_SLOTS - 1)), G);
	assert_true(snapshot_realm(&r.s, 100 + SRO_REALM_SLOTS) < 0);
	/* Kept as outstanding all the same: leaks still sees them. */
	assert_int_equal(r.s.ndonations, SRO_REALM_SLOTS + 2);
	done(&r);
}

static void times_per_op(void **state)
{
	struct sro_op_info o;
	uint32_t slot = 11;
	struct run r;

	run(&r, "times_per_op");
	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(r.skel->maps.ops),
					     &slot, &o), 0);
	assert_int_equal(o.op, 11);
	assert_true(o.ts != 0);
	assert_int_equal(donation(&r, 40)->ts, o.ts);
	assert_true(donation(&r, 41)->ts > o.ts);
	assert_true(donation(&r, 42)->ts > donation(&r, 41)->ts);
	done(&r);
}

/* The records of a run, as the ring buffer gave them. */
struct records {
	struct sro_event ev[256];
	int n, samples, marks;
	uint64_t mark_ts;
};

static int collect(void *ctx, void *data, size_t size)
{
	const struct sro_event *e = data;
	struct records *r = ctx;
	size_t i;

	r->samples++;
	for (i = 0; i < size / sizeof(*e); i++) {
		if (e[i].type == SRO_EV_NONE) {
			r->marks++;
			r->mark_ts = e[i].ts;
		} else if (r->n < 256) {
			r->ev[r->n++] = e[i];
		}
	}
	return 0;
}

/* A tracer sending every event type, its records and ring buffer. */
struct traced {
	struct books_bpf *skel;
	struct records *r;
	struct ring_buffer *rb;
};

/*
 * Load only the programs @a and @b (and the flush), with a ring buffer of
 * @ring bytes whose samples go to @fn (NULL: collect into t->r).
 */
static void traced_start(struct traced *t, const char *a, const char *b,
			 uint32_t ring, ring_buffer_sample_fn fn, void *ctx)
{
	struct bpf_program *p;

	t->skel = books_bpf__open();
	t->r = calloc(1, sizeof(*t->r));
	assert_non_null(t->skel);
	assert_non_null(t->r);
	bpf_object__for_each_program(p, t->skel->obj) {
		const char *name = bpf_program__name(p);

		bpf_program__set_autoload(p, !strcmp(name, a) || (b && !strcmp(name, b)) ||
					  !strcmp(name, "sro_flush"));
	}
	t->skel->rodata->emit_mask = ~1U;
	bpf_map__set_max_entries(t->skel->maps.events, ring);
	assert_int_equal(books_bpf__load(t->skel), 0);
	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events),
				 fn ? fn : collect, fn ? ctx : t->r, NULL);
	assert_non_null(t->rb);
}

static void traced_end(struct traced *t)
{
	ring_buffer__free(t->rb);
	books_bpf__destroy(t->skel);
	free(t->r);
}

/* Run @p on @cpu; its return value. */
static int run_on(struct bpf_program *p, int cpu)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .flags = BPF_F_TEST_RUN_ON_CPU,
		    .cpu = cpu);

	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(p), &opts), 0);
	return opts.retval;
}

static uint64_t lost_records(struct books_bpf *skel)
{
	uint64_t v[1024] = {}, n = 0;
	uint32_t key = SRO_LOSS_RINGBUF;
	int cpu;

	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(skel->maps.losses), &key, v), 0);
	for (cpu = 0; cpu < libbpf_num_possible_cpus() && cpu < 1024; cpu++)
		n += v[cpu];
	return n;
}

/* A full batch goes out at once, the rest at the operation's end. */
static void batch_full_and_op_end(void **state)
{
	struct traced t;
	struct records *r;
	int i;

	traced_start(&t, "traced_op", NULL, 1 << 20, NULL, NULL);
	r = t.r;
	assert_int_equal(run_on(t.skel->progs.traced_op, 0), 0);
	assert_true(ring_buffer__consume(t.rb) >= 0);
	/* Every event, without a flush: 32 when full, 11 at op_end. */
	assert_int_equal(r->n, 43);
	assert_int_equal(r->samples, 2);
	assert_int_equal(r->marks, 0);
	assert_int_equal(r->ev[0].type, SRO_EV_OP_START);
	assert_int_equal(r->ev[1].type, SRO_EV_DONATE_REQ);
	assert_int_equal(r->ev[42].type, SRO_EV_OP_END);
	for (i = 2; i < 42; i++) {
		assert_int_equal(r->ev[i].type, SRO_EV_DONATE);
		assert_int_equal(r->ev[i].addr, B + (i - 2) * G);
	}
	for (i = 1; i < 43; i++)
		assert_true(r->ev[i - 1].ts <= r->ev[i].ts);
	assert_int_equal(lost_records(t.skel), 0);
	traced_end(&t);
}

/* Records outside an operation wait in the batch until a flush. */
static void batch_flush(void **state)
{
	struct traced t;
	struct records *r;

	traced_start(&t, "traced_open", NULL, 1 << 20, NULL, NULL);
	r = t.r;
	assert_int_equal(run_on(t.skel->progs.traced_open, 0), 0);
	assert_true(ring_buffer__consume(t.rb) >= 0);
	assert_int_equal(r->n, 0);
	/* Another CPU's flush sends only its marker. */
	if (libbpf_num_possible_cpus() > 1) {
		assert_int_equal(run_on(t.skel->progs.sro_flush, 1), 0);
		assert_true(ring_buffer__consume(t.rb) >= 0);
		assert_int_equal(r->n, 0);
		assert_int_equal(r->marks, 1);
	}
	assert_int_equal(run_on(t.skel->progs.sro_flush, 0), 0);
	assert_true(ring_buffer__consume(t.rb) >= 0);
	assert_int_equal(r->n, 5);
	assert_int_equal(r->ev[4].addr, B + 4 * G);
	/* The marker comes after the records it speaks for. */
	assert_true(r->mark_ts >= r->ev[4].ts);
	/* Nothing left: a second flush sends only a marker. */
	assert_int_equal(run_on(t.skel->progs.sro_flush, 0), 0);
	assert_true(ring_buffer__consume(t.rb) >= 0);
	assert_int_equal(r->n, 5);
	traced_end(&t);
}

static int merged(void *ctx, const struct sro_event *e)
{
	struct records *r = ctx;

	if (r->n < 256)
		r->ev[r->n++] = *e;
	return 0;
}

static int to_merge(void *ctx, void *data, size_t size)
{
	return evmerge_add(ctx, data, size);
}

/*
 * Two CPUs' records, the older ones sent last: the tracer's merge gives
 * them in time order, and each only when no CPU can precede it.
 */
static void batch_cpus_in_order(void **state)
{
	struct traced t;
	struct evmerge *m;
	struct records *r;
	int i;

	if (libbpf_num_possible_cpus() < 2)
		skip();
	m = evmerge_new(libbpf_num_possible_cpus());
	assert_non_null(m);
	traced_start(&t, "traced_open", "traced_op", 1 << 20, to_merge, m);
	r = t.r;
	assert_int_equal(run_on(t.skel->progs.traced_open, 0), 0);
	assert_int_equal(run_on(t.skel->progs.traced_op, 1), 0);
	assert_int_equal(run_on(t.skel->progs.traced_open, 0), 0);
	/* CPU 1's operation went out at its end, before CPU 0's older records. */
	assert_true(ring_buffer__consume(t.rb) >= 0);
	assert_int_equal(evmerge_deliver(m, false, merged, r), 0);
	assert_int_equal(r->n, 0);
	for (i = libbpf_num_possible_cpus() - 1; i >= 0; i--)
		if (run_on(t.skel->progs.sro_flush, i))
			fail_msg("CPU %d busy with no handler running", i);
	assert_true(ring_buffer__consume(t.rb) >= 0);
	assert_int_equal(evmerge_deliver(m, false, merged, r), 0);
	assert_int_equal(r->n, 53);
	for (i = 1; i < r->n; i++)
		assert_true(r->ev[i - 1].ts <= r->ev[i].ts);
	assert_int_equal(r->ev[0].cpu, 0);
	assert_int_equal(r->ev[5].cpu, 1);
	assert_int_equal(r->ev[5].type, SRO_EV_OP_START);
	assert_int_equal(r->ev[52].cpu, 0);
	assert_int_equal(evmerge_held(m), 0);
	traced_end(&t);
	evmerge_free(m);
}

/* A ring buffer too small: every record arrives or is counted lost. */
static void batch_losses_counted(void **state)
{
	struct traced t;
	int i;

	traced_start(&t, "traced_op", NULL, 4096, NULL, NULL);
	for (i = 0; i < 3; i++)
		assert_int_equal(run_on(t.skel->progs.traced_op, 0), 0);
	assert_true(ring_buffer__consume(t.rb) >= 0);
	assert_true(lost_records(t.skel) > 0);
	assert_int_equal(t.r->n + lost_records(t.skel), 3 * 43);
	traced_end(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(redonated_head),
		cmocka_unit_test(pieces),
		cmocka_unit_test(unknown),
		cmocka_unit_test(ring_overflow),
		cmocka_unit_test(other_realm_in_op),
		cmocka_unit_test(realms_full),
		cmocka_unit_test(times_per_op),
		cmocka_unit_test(batch_full_and_op_end),
		cmocka_unit_test(batch_flush),
		cmocka_unit_test(batch_cpus_in_order),
		cmocka_unit_test(batch_losses_counted),
	};

	if (geteuid()) {
		fprintf(stderr, "test_books: needs root (BPF_PROG_TEST_RUN)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
