// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "common.h"
#include "format.h"
#include "tracer.h"
#include "sroscope.skel.h"

struct tracer_opts tracer_opts = {
	.max_donations = 65536,
	.ringbuf_size = 4 << 20,
};

enum {
	OPT_MAX_DONATIONS = 0x200,
	OPT_RINGBUF,
};

static const struct argp_option options[] = {
	{ "realm", 'R', "ID", 0, "Only this realm" },
	{ "min-size", 'm', "SIZE", 0, "Ignore ranges smaller than SIZE (4K, 2M)" },
	{ "max-donations", OPT_MAX_DONATIONS, "N", 0,
	  "Track up to N outstanding donations (default 65536)" },
	{ "ringbuf-size", OPT_RINGBUF, "SIZE", 0,
	  "Event ring buffer size, a power of two (default 4M)" },
	{},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	uint64_t v;

	switch (key) {
	case 'R':
		if (parse_u64(arg, &v) || !v || v > UINT32_MAX)
			argp_error(state, "invalid realm '%s'", arg);
		tracer_opts.realm = v;
		break;
	case 'm':
		if (parse_size(arg, &tracer_opts.min_size))
			argp_error(state, "invalid size '%s'", arg);
		break;
	case OPT_MAX_DONATIONS:
		if (parse_u64(arg, &v) || !v || v > (1U << 24))
			argp_error(state, "invalid count '%s' (1..16777216)", arg);
		tracer_opts.max_donations = v;
		break;
	case OPT_RINGBUF:
		if (parse_size(arg, &v) || v < 4096 || v > (1ULL << 30) ||
		    (v & (v - 1)))
			argp_error(state, "ring buffer size '%s' must be a power of two, 4K..1G", arg);
		tracer_opts.ringbuf_size = v;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp tracer_argp = {
	.options = options,
	.parser = parse_opt,
};

struct stream_opts stream_opts = {
	.mask = ~1U,	/* every event type (0 is none) */
};

static const struct argp_option stream_options[] = {
	{ "events", 'e', "LIST", 0, "Only these events (comma-separated; see trace --help)" },
	{ "duration", 'd', "DURATION", 0, "Stop after DURATION (10s, 500ms, 1h)" },
	{},
};

int parse_event_list(const char *list, uint32_t *mask)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int type, err = 0;

	if (!copy)
		return -ENOMEM;
	*mask = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		type = sro_event_type_of(tok);
		if (type <= 0) {
			fprintf(stderr, "sroscope: unknown event '%s'\n", tok);
			err = -EINVAL;
			break;
		}
		*mask |= 1U << type;
	}
	free(copy);
	return err ? err : *mask ? 0 : -EINVAL;
}

static error_t parse_stream(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'e':
		if (parse_event_list(arg, &stream_opts.mask))
			argp_error(state, "invalid event list '%s'", arg);
		break;
	case 'd':
		if (parse_duration(arg, &stream_opts.duration_ns) ||
		    !stream_opts.duration_ns)
			argp_error(state, "invalid duration '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp stream_argp = {
	.options = stream_options,
	.parser = parse_stream,
};

struct tracer {
	struct sroscope_bpf *skel;
	struct ring_buffer *rb;
	tracer_event_fn fn;
	void *ctx;
	int ncpus;
};

/* Say precisely why this kernel cannot be traced, before libbpf does. */
static int check_kernel(const char *cmd)
{
	struct btf *btf;
	int id;

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "sroscope %s: this kernel has no BTF "
			"(/sys/kernel/btf/vmlinux): it needs CONFIG_DEBUG_INFO_BTF=y\n",
			cmd);
		return -ENOENT;
	}
	btf = btf__load_vmlinux_btf();
	if (!btf) {
		fprintf(stderr, "sroscope %s: cannot read the kernel's BTF: %s\n",
			cmd, strerror(errno));
		return -errno;
	}
	id = btf__find_by_name_kind(btf, "btf_trace_sro_donate", BTF_KIND_TYPEDEF);
	btf__free(btf);
	if (id < 0) {
		fprintf(stderr, "sroscope %s: this kernel has no 'sro' trace events: "
			"it runs without the sroscope kernel series (kernel/patches) "
			"or the CCA host integration\n", cmd);
		return -ENOENT;
	}
	return 0;
}

static int on_ringbuf(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;

	if (size < sizeof(struct sro_event))
		return 0;
	return t->fn ? t->fn(t->ctx, data) : 0;
}

struct tracer *tracer_start(const char *cmd)
{
	struct tracer *t;
	int err;

	setup_libbpf_logging();
	if (check_caps(NEED_BPF | NEED_PERFMON, cmd) || check_kernel(cmd))
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->ncpus = libbpf_num_possible_cpus();
	t->skel = sroscope_bpf__open();
	if (!t->skel || t->ncpus <= 0) {
		fprintf(stderr, "sroscope %s: cannot open the BPF object\n", cmd);
		goto fail;
	}
	/* Events that feed no map cost a dispatch each: attach on demand. */
	if (!(tracer_opts.emit_mask & (1U << SRO_EV_DELEGATE)))
		bpf_program__set_autoload(t->skel->progs.sro_delegate, false);
	if (!(tracer_opts.emit_mask & (1U << SRO_EV_DONATE_RESULT)))
		bpf_program__set_autoload(t->skel->progs.sro_donate_result, false);
	if (!(tracer_opts.emit_mask & (1U << SRO_EV_FAIL)))
		bpf_program__set_autoload(t->skel->progs.sro_fail, false);
	if (!(tracer_opts.emit_mask & (1U << SRO_EV_FREE)))
		bpf_program__set_autoload(t->skel->progs.sro_free, false);
	t->skel->rodata->filter_realm = tracer_opts.realm;
	t->skel->rodata->min_size = tracer_opts.min_size;
	t->skel->rodata->emit_mask = tracer_opts.emit_mask;
	bpf_map__set_max_entries(t->skel->maps.outstanding,
				 tracer_opts.max_donations);
	bpf_map__set_max_entries(t->skel->maps.events,
				 tracer_opts.emit_mask ? tracer_opts.ringbuf_size : 4096);
	t->skel->rodata->wakeup_bytes = tracer_opts.ringbuf_size / 4;
	t->skel->rodata->capture_stacks = tracer_opts.capture_stacks;
	if (!tracer_opts.capture_stacks)
		bpf_map__set_max_entries(t->skel->maps.stacks, 1);
	err = sroscope_bpf__load(t->skel);
	if (err) {
		fprintf(stderr, "sroscope %s: the kernel refused the BPF programs: %s "
			"(-v shows the verifier's log)\n", cmd, strerror(-err));
		goto fail;
	}
	err = sroscope_bpf__attach(t->skel);
	if (err) {
		fprintf(stderr, "sroscope %s: cannot attach to the sro events: %s\n",
			cmd, strerror(-err));
		goto fail;
	}
	if (tracer_opts.emit_mask) {
		t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events),
					 on_ringbuf, t, NULL);
		if (!t->rb) {
			fprintf(stderr, "sroscope %s: cannot open the ring buffer: %s\n",
				cmd, strerror(errno));
			goto fail;
		}
	}
	return t;
fail:
	tracer_stop(t);
	return NULL;
}

void tracer_stop(struct tracer *t)
{
	if (!t)
		return;
	ring_buffer__free(t->rb);
	sroscope_bpf__destroy(t->skel);
	free(t);
}

int tracer_poll(struct tracer *t, int timeout_ms, tracer_event_fn fn, void *ctx)
{
	int n;

	if (!t->rb) {
		usleep(timeout_ms * 1000);
		return 0;
	}
	t->fn = fn;
	t->ctx = ctx;
	/* The BPF side wakes us only when the buffer fills: read anyway. */
	n = ring_buffer__poll(t->rb, timeout_ms);
	if (n >= 0 || n == -EINTR)
		n = ring_buffer__consume(t->rb);
	return n < 0 ? n : 0;
}

int tracer_stream(struct tracer *t, uint64_t duration_ns, tracer_event_fn fn,
		  void *ctx)
{
	uint64_t end = duration_ns ? boottime_ns() + duration_ns : 0;
	int err = 0;

	while (!exiting && !err && (!end || boottime_ns() < end)) {
		err = tracer_poll(t, 100, fn, ctx);
		fflush(stdout);
	}
	if (!err)
		err = tracer_poll(t, 0, fn, ctx);
	fflush(stdout);
	return err;
}

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

	return x->pa < y->pa ? -1 : x->pa > y->pa;
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

static uint64_t recursion_misses(struct sroscope_bpf *skel)
{
	struct bpf_prog_info info;
	struct bpf_program *p;
	uint64_t n = 0;
	__u32 len;

	bpf_object__for_each_program(p, skel->obj) {
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

int tracer_snapshot(struct tracer *t, struct snapshot *s, unsigned int what)
{
	struct sroscope_bpf *k = t->skel;
	void *rows;
	int err;

	memset(s, 0, sizeof(*s));
	s->ts = boottime_ns();
	err = read_rows(bpf_map__fd(k->maps.realms), sizeof(uint32_t),
			sizeof(struct sro_realm_stats), t->ncpus, fold_realm,
			bpf_map__max_entries(k->maps.realms),
			sizeof(struct realm_row), offsetof(struct realm_row, s),
			&rows, &s->nrealms);
	if (err)
		return err;
	s->realms = rows;
	qsort(s->realms, s->nrealms, sizeof(*s->realms), cmp_realm);
	if (what & SNAP_DONATIONS) {
		err = read_rows(bpf_map__fd(k->maps.outstanding), sizeof(uint64_t),
				sizeof(struct sro_donation), 1, NULL,
				bpf_map__max_entries(k->maps.outstanding),
				sizeof(struct donation_row),
				offsetof(struct donation_row, d), &rows,
				&s->ndonations);
		if (err)
			return err;
		s->donations = rows;
		qsort(s->donations, s->ndonations, sizeof(*s->donations),
		      cmp_donation);
	}
	err = read_percpu(bpf_map__fd(k->maps.sources), SRO_SRC_MAX,
			  sizeof(struct sro_src_stats), t->ncpus, s->sources);
	if (!err)
		err = read_percpu(bpf_map__fd(k->maps.hists), SRO_HIST_MAX,
				  sizeof(struct sro_hist), t->ncpus, s->hists);
	if (!err)
		err = read_percpu(bpf_map__fd(k->maps.losses), SRO_LOSS_MAX,
				  sizeof(uint64_t), t->ncpus, s->losses);
	s->recursion_misses = recursion_misses(k);
	return err;
}

void snapshot_free(struct snapshot *s)
{
	free(s->realms);
	free(s->donations);
	s->realms = NULL;
	s->donations = NULL;
}

int tracer_report_loop(struct tracer *t, struct interval *iv,
		       unsigned int what, tracer_report_fn report, void *ctx)
{
	struct snapshot snap[2] = {};
	uint64_t done = 0;
	int cur = 0, err = 0;
	bool more, first = true;

	do {
		if (iv->ns) {
			more = interval_wait(iv, &done);
		} else {
			while (!exiting)
				usleep(100000);
			more = false;
		}
		err = tracer_snapshot(t, &snap[cur], what);
		if (err) {
			fprintf(stderr, "sroscope: cannot read the BPF maps: %s\n",
				strerror(-err));
			break;
		}
		report(&snap[cur], first ? NULL : &snap[!cur], ctx);
		fflush(stdout);
		cur = !cur;
		snapshot_free(&snap[cur]);
		first = false;
	} while (more);
	snapshot_free(&snap[0]);
	snapshot_free(&snap[1]);
	return err;
}

int run_report_command(const struct report_command *c, int argc, char **argv)
{
	const struct argp_child children[] = {
		{ &tracer_argp }, { &common_argp }, {},
	};
	const struct argp argp = {
		.options = c->options, .parser = c->parser, .doc = c->doc,
		.args_doc = "[INTERVAL] [COUNT]", .children = children,
	};
	struct tracer *t;
	int err;

	if (argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, NULL))
		return 2;
	handle_exit_signals();
	t = tracer_start(c->name);
	if (!t)
		return 1;
	fprintf(stderr, "Tracing SRO events... Hit Ctrl-C to end.\n");
	/* Reports may look things up in the tracer (leaks: stacks). */
	err = tracer_report_loop(t, c->iv, c->what, c->report, t);
	tracer_stop(t);
	return err ? 1 : 0;
}

int tracer_stack(struct tracer *t, int id, uint64_t *ips, int max)
{
	uint64_t frames[SRO_STACK_DEPTH] = {};
	int n;

	if (id < 0)
		return 0;
	if (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.stacks), &id, frames))
		return -errno;
	for (n = 0; n < max && n < SRO_STACK_DEPTH && frames[n]; n++)
		ips[n] = frames[n];
	return n;
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

	for (i = 0; i < SRO_SRC_MAX; i++)
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

static const char *const loss_names[SRO_LOSS_MAX] = {
	[SRO_LOSS_RINGBUF] = "events dropped (ring buffer full)",
	[SRO_LOSS_OUTSTANDING_FULL] = "donations not tracked (map full)",
	[SRO_LOSS_REALMS_FULL] = "realm updates lost (map full)",
	[SRO_LOSS_OPS_FULL] = "operations not tracked (map full)",
	[SRO_LOSS_UNKNOWN_RECLAIM] = "reclaims of untracked donations (made before tracing, or map full)",
	[SRO_LOSS_STACKS] = "stacks not kept (stack map full)",
};

void snapshot_print_losses(FILE *f, const struct snapshot *s)
{
	bool any = false;
	int i;

	for (i = 0; i < SRO_LOSS_MAX; i++) {
		if (!s->losses[i])
			continue;
		fprintf(f, "%s%llu %s", any ? ", " : "LOST: ",
			(unsigned long long)s->losses[i], loss_names[i]);
		any = true;
	}
	if (s->recursion_misses) {
		fprintf(f, "%s%llu events missed (BPF recursion)",
			any ? ", " : "LOST: ",
			(unsigned long long)s->recursion_misses);
		any = true;
	}
	if (any)
		fputc('\n', f);
}
