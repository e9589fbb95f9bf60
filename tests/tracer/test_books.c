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

/* Load only @name's program, run it once, read the maps. */
static void run(struct run *r, const char *name)
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
	assert_int_equal(books_bpf__load(r->skel), 0);
	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(want), &opts), 0);
	assert_int_equal(snapshot_read(r->skel->obj, ncpus, &r->s, SNAP_DONATIONS), 0);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(redonated_head),
		cmocka_unit_test(pieces),
		cmocka_unit_test(unknown),
	};

	if (geteuid()) {
		fprintf(stderr, "test_books: needs root (BPF_PROG_TEST_RUN)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
