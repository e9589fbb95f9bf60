// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
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

/* The first @n values of an array map (@vsize bytes each, all CPUs). */
static int read_array(int fd, size_t vsize, uint32_t n, void **vals)
{
	DECLARE_LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint32_t in = 0, out = 0, count, done = 0, *keys;
	void *pin = NULL;
	int err = 0;

	*vals = calloc(n ? n : 1, vsize);
	keys = calloc(n ? n : 1, sizeof(*keys));
	if (!*vals || !keys) {
		free(keys);
		return -ENOMEM;
	}
	while (done < n) {
		count = n - done;
		err = bpf_map_lookup_batch(fd, pin, &out, keys + done,
					   (char *)*vals + (size_t)done * vsize,
					   &count, &opts);
		if (err && errno != ENOENT) {
			err = -errno;
			break;
		}
		done += count;
		if (err || !count) {	/* ENOENT: the end of the map */
			err = 0;
			break;
		}
		in = out;
		pin = &in;
	}
	free(keys);
	return err;
}

uint32_t donation_ring_size(uint32_t max_donations)
{
	uint32_t n = 1;

	while (n < max_donations && n < SRO_DONATION_RING_MAX)
		n <<= 1;
	return n;
}

static int cmp_realm(const void *a, const void *b)
{
	const struct realm_row *x = a, *y = b;

	return x->realm < y->realm ? -1 : x->realm > y->realm;
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

static int map_fd(struct bpf_object *obj, const char *name, uint32_t *max)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	if (!m)
		return -ENOENT;
	*max = bpf_map__max_entries(m);
	return bpf_map__fd(m);
}

/*
 * The realms' books: each realm's slot from "realm_slots", its values
 * from the "realms" array, its CPUs folded.
 */
static int read_realms(struct bpf_object *obj, int ncpus, struct snapshot *s)
{
	size_t stride = (sizeof(struct sro_realm_stats) + 7) & ~7UL;
	int slots_fd, fd, c, err;
	uint32_t max = 0, *realm = NULL, *slot = NULL, top = 0;
	void *vals = NULL;
	size_t n, i;

	slots_fd = map_fd(obj, "realm_slots", &max);
	fd = map_fd(obj, "realms", &s->max_realms);
	if (slots_fd < 0 || fd < 0)
		return -ENOENT;
	err = read_hash(slots_fd, sizeof(*realm), sizeof(*slot), max,
			(void **)&realm, (void **)&slot, &n);
	for (i = 0; !err && i < n; i++) {
		if (slot[i] >= s->max_realms)
			err = -ERANGE;
		else if (slot[i] >= top)
			top = slot[i] + 1;
	}
	if (!err)
		err = read_array(fd, stride * ncpus, top, &vals);
	if (!err) {
		s->realms = calloc(n ? n : 1, sizeof(*s->realms));
		if (!s->realms)
			err = -ENOMEM;
	}
	for (i = 0; !err && i < n; i++) {
		s->realms[i].realm = realm[i];
		for (c = 0; c < ncpus; c++)
			fold_realm(&s->realms[i].s, (char *)vals +
				   ((size_t)slot[i] * ncpus + c) * stride,
				   sizeof(struct sro_realm_stats));
	}
	if (!err) {
		s->nrealms = n;
		qsort(s->realms, n, sizeof(*s->realms), cmp_realm);
	}
	free(realm);
	free(slot);
	free(vals);
	return err;
}

/*
 * The donation ring, read in place: copied out by lookups, its every slot
 * would cost a system call's worth of copying, used or not. The mapping
 * is kept from one snapshot to the next, for the map of that id (which
 * the mapping keeps alive, so the id cannot name another map).
 */
static struct {
	pthread_mutex_t lock;
	uint32_t id;
	void *p;
	size_t len;
} ring_view = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int ring_map(int fd, size_t size)
{
	size_t page = sysconf(_SC_PAGESIZE), len = (size + page - 1) / page * page;
	struct bpf_map_info info = {};
	uint32_t ilen = sizeof(info);
	void *p;

	if (bpf_map_get_info_by_fd(fd, &info, &ilen))
		return -errno;
	if (ring_view.p && ring_view.id == info.id && ring_view.len == len)
		return 0;
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	if (ring_view.p)
		munmap(ring_view.p, ring_view.len);
	ring_view.p = p;
	ring_view.id = info.id;
	ring_view.len = len;
	return 0;
}

/* Outstanding donations: the ring's slots in use, then the hash's. */
static int read_donations(struct bpf_object *obj, struct snapshot *s)
{
	const size_t dsize = sizeof(struct sro_donation);
	struct sro_donation *ring, *d;
	int ring_fd, fd, err;
	uint32_t nring = 0, max = 0;
	size_t nhash = 0, i, n = 0, used = 0;
	uint64_t *ids = NULL;
	void *hash = NULL;

	ring_fd = map_fd(obj, "donations", &nring);
	fd = map_fd(obj, "outstanding", &max);
	if (ring_fd < 0 || fd < 0)
		return -ENOENT;
	s->max_donations = nring + max;	/* what the two can hold */
	pthread_mutex_lock(&ring_view.lock);
	err = ring_map(ring_fd, (size_t)nring * dsize);
	ring = ring_view.p;
	if (!err)
		err = read_hash(fd, sizeof(*ids), dsize, max, (void **)&ids,
				&hash, &nhash);
	/* Slots in use, then theirs copied (as many: slots change under us). */
	for (i = 0; !err && i < nring; i++)
		used += ((volatile struct sro_donation *)ring)[i].id != 0;
	if (!err) {
		s->donations = calloc(used + nhash ? : 1, sizeof(*s->donations));
		if (!s->donations)
			err = -ENOMEM;
	}
	for (i = 0; !err && i < nring && n < used; i++) {
		if (!((volatile struct sro_donation *)ring)[i].id)
			continue;
		s->donations[n].d = ring[i];
		s->donations[n].id = s->donations[n].d.id;
		n += s->donations[n].id != 0;
	}
	for (i = 0; !err && i < nhash; i++) {
		d = (struct sro_donation *)hash + i;
		s->donations[n].id = ids[i];
		s->donations[n++].d = *d;
	}
	if (!err)
		s->ndonations = n;	/* in no order: nobody needs one */
	pthread_mutex_unlock(&ring_view.lock);
	free(ids);
	free(hash);
	return err;
}

int snapshot_read(struct bpf_object *obj, int ncpus, struct snapshot *s,
		  unsigned int what)
{
	int sources, hists, losses, err;
	uint32_t max;

	memset(s, 0, sizeof(*s));
	sources = map_fd(obj, "sources", &max);
	hists = map_fd(obj, "hists", &max);
	losses = map_fd(obj, "losses", &max);
	if (sources < 0 || hists < 0 || losses < 0)
		return -ENOENT;
	s->ts = boottime_ns();
	err = read_realms(obj, ncpus, s);
	if (!err && (what & SNAP_DONATIONS))
		err = read_donations(obj, s);
	if (!err)
		err = read_percpu(sources, SRO_SRC_NR,
				  sizeof(struct sro_src_stats), ncpus,
				  s->sources);
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
