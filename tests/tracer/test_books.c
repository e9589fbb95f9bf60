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
#include <unistd.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

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
	};

	if (geteuid()) {
		fprintf(stderr, "test_books: needs root (BPF_PROG_TEST_RUN)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
