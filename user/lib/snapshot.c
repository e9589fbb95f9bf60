// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "common.h"
#include "snapshot.h"
#include "vocab.h"

/* Sum a per-CPU array of @nelem values of @vsize bytes (u64 fields). */
static int read_percpu(int fd, uint32_t nelem, size_t vsize, int ncpus,
		       void *out)
{
	size_t stride = (vsize + 7) & ~7UL;
	uint64_t *buf, *dst;
	uint32_t k, c, w;

	buf = malloc(stride * ncpus);
	if (!buf)
		return -ENOMEM;
	memset(out, 0, vsize * nelem);
	for (k = 0; k < nelem; k++) {
		if (bpf_map_lookup_elem(fd, &k, buf)) {
			free(buf);
			return -errno;
		}
		dst = (uint64_t *)((char *)out + k * vsize);
		for (c = 0; c < (uint32_t)ncpus; c++)
			for (w = 0; w < vsize / 8; w++)
				dst[w] += buf[c * stride / 8 + w];
	}
	free(buf);
	return 0;
}

/* Every entry of a hash map, with batch lookups: @n set to the count. */
static int read_hash(int fd, size_t ksize, size_t vsize, uint32_t max,
		     void **keys, void **vals, size_t *n)
{
	DECLARE_LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint64_t in = 0, out = 0;
	void *pin = NULL;
	uint32_t count;
	int err;

	*n = 0;
	*keys = calloc(max ? max : 1, ksize);
	*vals = calloc(max ? max : 1, vsize);
	if (!*keys || !*vals)
		return -ENOMEM;
	while (*n < max) {
		count = max - *n;
		err = bpf_map_lookup_batch(fd, pin, &out,
					   (char *)*keys + *n * ksize,
					   (char *)*vals + *n * vsize,
					   &count, &opts);
		if (err && errno != ENOENT)
			return -errno;
		*n += count;
		if (err)	/* ENOENT: that was the last batch */
			break;
		in = out;
		pin = &in;
	}
	return 0;
}

static int cmp_realm(const void *a, const void *b)
{
	const struct realm_row *x = a, *y = b;

	return x->realm < y->realm ? -1 : x->realm > y->realm;
}

static int cmp_donation(const void *a, const void *b)
{
	const struct donation_row *x = a, *y = b;

	return x->d.pa < y->d.pa ? -1 : x->d.pa > y->d.pa;
}

/* Fold one CPU's value into @dst: every field is a count to add up. */
static void fold_sum(void *dst, const void *src, size_t vsize)
{
	uint64_t *d = dst;
	const uint64_t *v = src;
	size_t w;

	for (w = 0; w < vsize / 8; w++)
		d[w] += v[w];
}

/* A realm's CPUs add up, but for the time it was destroyed: the latest. */
static void fold_realm(void *dst, const void *src, size_t vsize)
{
	struct sro_realm_stats *d = dst;
	const struct sro_realm_stats *v = src;
	uint64_t destroyed = d->destroyed_ts;

	fold_sum(dst, src, vsize);
	d->destroyed_ts = v->destroyed_ts > destroyed ? v->destroyed_ts : destroyed;
}

typedef void (*fold_fn)(void *dst, const void *src, size_t vsize);

/*
 * Interleave separate key and value arrays into rows; a per-CPU map has
 * @ncpus values per key (each rounded up to 8 bytes), folded by @fold.
 */
static void *to_rows(const void *keys, size_t ksize, const void *vals,
		     size_t vsize, int ncpus, fold_fn fold, size_t n,
		     size_t rsize, size_t voff)
{
	size_t stride = (vsize + 7) & ~7UL;
	char *rows = calloc(n ? n : 1, rsize);
	const char *v;
	size_t i;
	int c;

	if (!rows)
		return NULL;
	for (i = 0; i < n; i++) {
		memcpy(rows + i * rsize, (const char *)keys + i * ksize, ksize);
		v = (const char *)vals + i * stride * ncpus;
		if (ncpus == 1) {
			memcpy(rows + i * rsize + voff, v, vsize);
			continue;
		}
		for (c = 0; c < ncpus; c++)
			fold(rows + i * rsize + voff, v + c * stride, vsize);
	}
	return rows;
}

static uint64_t recursion_misses(struct bpf_object *obj)
{
	struct bpf_prog_info info;
	struct bpf_program *p;
	uint64_t n = 0;
	__u32 len;

	bpf_object__for_each_program(p, obj) {
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (!bpf_prog_get_info_by_fd(bpf_program__fd(p), &info, &len))
			n += info.recursion_misses;
	}
	return n;
}

/* A hash map as rows of key and value; @ncpus > 1: a per-CPU map. */
static int read_rows(int fd, size_t ksize, size_t vsize, int ncpus,
		     fold_fn fold, uint32_t max, size_t rsize, size_t voff,
		     void **rows, size_t *n)
{
	size_t vbuf = ((vsize + 7) & ~7UL) * ncpus;
	void *keys = NULL, *vals = NULL;
	int err;

	err = read_hash(fd, ksize, vbuf, max, &keys, &vals, n);
	if (!err) {
		*rows = to_rows(keys, ksize, vals, vsize, ncpus, fold, *n,
				rsize, voff);
		if (!*rows)
			err = -ENOMEM;
	}
	free(keys);
	free(vals);
	return err;
}

static int map_fd(struct bpf_object *obj, const char *name, uint32_t *max)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	if (!m)
		return -ENOENT;
	*max = bpf_map__max_entries(m);
	return bpf_map__fd(m);
}

int snapshot_read(struct bpf_object *obj, int ncpus, struct snapshot *s,
		  unsigned int what)
{
	int realms, outstanding, sources, hists, losses, err;
	uint32_t max_realms = 0, max_don = 0, max;
	void *rows;

	memset(s, 0, sizeof(*s));
	realms = map_fd(obj, "realms", &max_realms);
	outstanding = map_fd(obj, "outstanding", &max_don);
	sources = map_fd(obj, "sources", &max);
	hists = map_fd(obj, "hists", &max);
	losses = map_fd(obj, "losses", &max);
	if (realms < 0 || outstanding < 0 || sources < 0 || hists < 0 ||
	    losses < 0)
		return -ENOENT;
	s->ts = boottime_ns();
	s->max_realms = max_realms;
	s->max_donations = max_don;
	err = read_rows(realms, sizeof(uint32_t),
			sizeof(struct sro_realm_stats), ncpus, fold_realm,
			max_realms, sizeof(struct realm_row),
			offsetof(struct realm_row, s), &rows, &s->nrealms);
	if (err)
		return err;
	s->realms = rows;
	qsort(s->realms, s->nrealms, sizeof(*s->realms), cmp_realm);
	if (what & SNAP_DONATIONS) {
		err = read_rows(outstanding, sizeof(uint64_t),
				sizeof(struct sro_donation), 1, NULL, max_don,
				sizeof(struct donation_row),
				offsetof(struct donation_row, d), &rows,
				&s->ndonations);
		if (err)
			return err;
		s->donations = rows;
		qsort(s->donations, s->ndonations, sizeof(*s->donations),
		      cmp_donation);
	}
	err = read_percpu(sources, SRO_SRC_NR, sizeof(struct sro_src_stats),
			  ncpus, s->sources);
	if (!err)
		err = read_percpu(hists, SRO_HIST_NR, sizeof(struct sro_hist),
				  ncpus, s->hists);
	if (!err)
		err = read_percpu(losses, SRO_LOSS_NR, sizeof(uint64_t), ncpus,
				  s->losses);
	s->recursion_misses = recursion_misses(obj);
	return err;
}

void snapshot_free(struct snapshot *s)
{
	free(s->realms);
	free(s->donations);
	s->realms = NULL;
	s->donations = NULL;
}

long snapshot_realm(const struct snapshot *s, uint32_t realm)
{
	size_t lo = 0, hi = s ? s->nrealms : 0, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (s->realms[mid].realm == realm)
			return mid;
		if (s->realms[mid].realm < realm)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

uint64_t src_sum(const __u64 *v)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < SRO_SRC_NR; i++)
		n += v[i];
	return n;
}

uint64_t realm_held(const struct sro_realm_stats *s)
{
	return src_sum(s->donated) - src_sum(s->reclaimed);
}

uint64_t snapshot_book_losses(const struct snapshot *s)
{
	return s->losses[SRO_LOSS_OUTSTANDING_FULL] +
	       s->losses[SRO_LOSS_REALMS_FULL] + s->recursion_misses;
}


void print_losses(FILE *f, const uint64_t *losses, uint64_t recursion_misses)
{
	bool any = false;
	int i;

	for (i = 0; i < SRO_LOSS_NR; i++) {
		if (!losses[i])
			continue;
		fprintf(f, "%s%llu %s", any ? ", " : "LOST: ",
			(unsigned long long)losses[i], sro_loss_prose(i));
		any = true;
	}
	if (recursion_misses) {
		fprintf(f, "%s%llu events missed (BPF recursion)",
			any ? ", " : "LOST: ",
			(unsigned long long)recursion_misses);
		any = true;
	}
	if (any)
		fputc('\n', f);
}

void snapshot_print_losses(FILE *f, const struct snapshot *s)
{
	print_losses(f, s->losses, s->recursion_misses);
}
