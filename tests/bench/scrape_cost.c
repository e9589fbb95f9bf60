// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What one scrape of `sroscope export` costs with large books: the
 * tracer's maps (the cost object includes bpf/sroscope.bpf.c, so they are
 * the very maps) are filled with D outstanding donations over R realms,
 * then each scrape is what the exporter does: a snapshot of every map
 * (batch lookups, the donation ring read in place) and the Prometheus
 * text written from it, each timed. Sizes side by side in one run: empty,
 * 1k/100, 10k/1k; median of SCRAPES each.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "common.h"
#include "metrics.h"
#include "realm_metrics.h"
#include "realms.h"
#include "snapshot.h"
#include "cost.skel.h"

#define SCRAPES	31

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* @nd donations over @nr realms, ages spread over 10^4 s. */
static int fill(struct cost_bpf *skel, int ncpus, unsigned int nd,
		unsigned int nr)
{
	struct sro_realm_stats *rs = calloc(ncpus, sizeof(*rs));
	uint64_t now = boottime_ns();
	struct sro_donation d = {};
	unsigned int i, slot, mask;
	int c, map;

	if (!rs)
		return -ENOMEM;
	/* As the tracer keeps them: each in its ring slot (all fit). */
	mask = skel->rodata->donation_mask;
	for (i = 0; i < nd; i++) {
		d.id = i + 1;
		slot = d.id & mask;
		map = bpf_map__fd(skel->maps.donations);
		if (i > mask) {
			/* Its slot holds an older one: the hash, as the tracer does. */
			slot = 0;
			map = bpf_map__fd(skel->maps.outstanding);
		}
		d.pa = 0x100000000ULL + (uint64_t)i * 4096;
		d.size = 4096;
		d.ts = now - (uint64_t)(i % 10000) * 1000000000ULL;
		d.realm = 1 + i % nr;
		d.op = i;
		d.stack_id = -1;
		if (map == bpf_map__fd(skel->maps.donations) ?
		    bpf_map_update_elem(map, &slot, &d, BPF_ANY) :
		    bpf_map_update_elem(map, &d.id, &d, BPF_ANY))
			return -errno;
	}
	for (i = 1; i <= nr; i++) {
		/* Each realm served by one source, its books on every CPU. */
		memset(rs, 0, ncpus * sizeof(*rs));
		for (c = 0; c < ncpus; c++) {
			rs[c].donated[i % SRO_SRC_NR] = 4096ULL * (nd / nr + 3);
			rs[c].reclaimed[i % SRO_SRC_NR] = 4096ULL * 3;
			rs[c].donations[i % SRO_SRC_NR] = nd / nr + 3;
			rs[c].reclaims[i % SRO_SRC_NR] = 3;
			rs[c].destroyed_ts = i % 10 ? 0 : now;
		}
		slot = i - 1;
		if (bpf_map_update_elem(bpf_map__fd(skel->maps.realm_slots), &i, &slot, BPF_ANY) ||
		    bpf_map_update_elem(bpf_map__fd(skel->maps.realms), &slot, rs, BPF_ANY))
			return -errno;
	}
	free(rs);
	return 0;
}

/* Median ms per scrape, and the body's size. */
static int measure(unsigned int nd, unsigned int nr, double *ms,
		   double *read_ms, size_t *bytes)
{
	struct export_health h = { .bpf_stats_enabled = -1 };
	double per[SCRAPES], read[SCRAPES], t0;
	struct bpf_program *p;
	struct cost_bpf *skel;
	struct snapshot s;
	int ncpus, i, err;
	uint32_t max;
	char *body;
	FILE *f;

	ncpus = libbpf_num_possible_cpus();
	skel = cost_bpf__open();
	if (!skel || ncpus <= 0)
		return -1;
	/* Maps only: no program runs here. */
	bpf_object__for_each_program(p, skel->obj)
		bpf_program__set_autoload(p, false);
	bpf_program__set_autoload(skel->progs.bench_empty_loop, true);
	/* As the tracer sizes them: the default, or --max-donations=nd. */
	max = nd > 65536 ? nd : 65536;
	bpf_map__set_max_entries(skel->maps.outstanding, max);
	bpf_map__set_max_entries(skel->maps.donations, donation_ring_size(max));
	skel->rodata->donation_mask = donation_ring_size(max) - 1;
	err = cost_bpf__load(skel);
	if (!err)
		err = fill(skel, ncpus, nd, nr);
	for (i = 0; !err && i < SCRAPES; i++) {
		t0 = now_ms();
		err = snapshot_read(skel->obj, ncpus, &s, SNAP_DONATIONS);
		if (err)
			break;
		read[i] = now_ms() - t0;
		if (s.ndonations != nd || s.nrealms != nr) {
			fprintf(stderr, "scrape_cost: read %zu/%zu, filled %u/%u\n",
				s.ndonations, s.nrealms, nd, nr);
			err = -EIO;
		}
		f = open_memstream(&body, bytes);
		metrics_write(f, &s, NULL, &h);
		fclose(f);
		free(body);
		snapshot_free(&s);
		per[i] = now_ms() - t0;
	}
	cost_bpf__destroy(skel);
	if (err)
		return err;
	qsort(per, SCRAPES, sizeof(per[0]), cmp_double);
	qsort(read, SCRAPES, sizeof(read[0]), cmp_double);
	*ms = per[SCRAPES / 2];
	*read_ms = read[SCRAPES / 2];
	return 0;
}

/* A stand-in of /sys/kernel/sro with @n realms under @dir (tmpfs). */
static int fake_accounts(const char *dir, unsigned int n)
{
	static const char *const files[] = {
		"held_bytes", "donated_bytes", "returned_bytes",
		"quarantined_bytes", "given_up_bytes", "gone", "owner_pid",
		"owner_comm", "owner_cgroup", "realms_untracked",
	};
	char p[512];
	unsigned int r;
	size_t i;
	FILE *f;

	snprintf(p, sizeof(p), "%s/realms", dir);
	if (mkdir(dir, 0700) || mkdir(p, 0700))
		return -1;
	for (r = 0; r <= n; r++) {
		/* r == n: the totals, at the top */
		if (r < n) {
			snprintf(p, sizeof(p), "%s/realms/%u", dir, r + 1);
			if (mkdir(p, 0700))
				return -1;
		} else {
			snprintf(p, sizeof(p), "%s", dir);
		}
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			char fp[600];

			snprintf(fp, sizeof(fp), "%s/%s", p, files[i]);
			f = fopen(fp, "w");
			if (!f)
				return -1;
			/* every tenth realm gone and holding: a leak */
			fprintf(f, "%s\n", !strcmp(files[i], "owner_comm") ? "qemu-system-aarch64" :
				!strcmp(files[i], "gone") ? (r % 10 ? "0" : "1") :
				!strcmp(files[i], "owner_pid") ? "4242" :
				!strcmp(files[i], "given_up_bytes") ||
				!strcmp(files[i], "quarantined_bytes") ||
				!strcmp(files[i], "realms_untracked") ?
				(r % 10 ? "0" : "4096") : "1073741824");
			fclose(f);
		}
	}
	return 0;
}

/* Reading @n realms' accounts, and the text they add to a scrape. */
static int measure_accounts(unsigned int n, double *read_ms, double *text_ms,
			    size_t *bytes)
{
	double rd[SCRAPES], tx[SCRAPES], t0;
	char dir[] = "/tmp/scrape_cost.XXXXXX", sub[64], cmd[128];
	struct realm_accts a;
	char *body;
	FILE *f;
	int i, err = 0;

	if (!mkdtemp(dir))
		return -1;
	snprintf(sub, sizeof(sub), "%s/sro", dir);
	if (fake_accounts(sub, n))
		err = -1;
	for (i = 0; !err && i < SCRAPES; i++) {
		t0 = now_ms();
		err = realm_accts_read(sub, "/nonexistent", &a);
		rd[i] = now_ms() - t0;
		if (!err && a.n != n)
			err = -EIO;
		t0 = now_ms();
		f = open_memstream(&body, bytes);
		realm_metrics_write(f, &a, REALM_SERIES_DEFAULT);
		fclose(f);
		free(body);
		tx[i] = now_ms() - t0;
		realm_accts_free(&a);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) || err)
		return -1;
	qsort(rd, SCRAPES, sizeof(rd[0]), cmp_double);
	qsort(tx, SCRAPES, sizeof(tx[0]), cmp_double);
	*read_ms = rd[SCRAPES / 2];
	*text_ms = tx[SCRAPES / 2];
	return 0;
}

int main(void)
{
	/* The tracer keeps books of at most SRO_REALM_SLOTS realms. */
	static const unsigned int sizes[][2] = {
		{ 0, 0 }, { 1000, 100 }, { 10000, 1000 },
		{ 100000, SRO_REALM_SLOTS },
	};
	double ms[4], read_ms[4];
	size_t bytes[4];
	int i;

	if (!getenv("V"))
		libbpf_set_print(NULL);
	for (i = 0; i < 4; i++) {
		if (measure(sizes[i][0], sizes[i][1], &ms[i], &read_ms[i],
			    &bytes[i])) {
			fprintf(stderr, "scrape_cost: cannot fill or read the maps (root?)\n");
			return 1;
		}
	}
	printf("## One scrape of sroscope export (native, build host)\n\n");
	printf("A snapshot of every map (batch lookups; the donation ring read in\n"
	       "place), then the Prometheus text written from it; median of %d.\n\n",
	       SCRAPES);
	printf("| outstanding donations / realms | ms per scrape | of which reading the maps | body | vs empty |\n|---|---|---|---|---|\n");
	for (i = 0; i < 4; i++)
		printf("| %u / %u | %.2f | %.2f | %.0f KiB | %.1fx |\n", sizes[i][0],
		       sizes[i][1], ms[i], read_ms[i], bytes[i] / 1024.0,
		       ms[i] / ms[0]);

	printf("\nThe kernel's per-realm accounts (/sys/kernel/sro: a file per value):\n"
	       "read by the exporter's main thread every --accounts-interval, not by\n"
	       "a scrape; a scrape writes the last read (--realm-series %d). Here\n"
	       "a stand-in tree on tmpfs, as many files and system calls; median of %d.\n\n",
	       REALM_SERIES_DEFAULT, SCRAPES);
	printf("| realms | ms per read (off the scrape) | ms of text per scrape | body |\n|---|---|---|---|\n");
	for (i = 0; i < 3; i++) {
		static const unsigned int nr[] = { 100, 1000, 4096 };
		double rd, tx;
		size_t b;

		if (measure_accounts(nr[i], &rd, &tx, &b)) {
			fprintf(stderr, "scrape_cost: cannot build or read the accounts tree\n");
			return 1;
		}
		printf("| %u | %.2f | %.2f | %.0f KiB |\n", nr[i], rd, tx, b / 1024.0);
	}
	return 0;
}
