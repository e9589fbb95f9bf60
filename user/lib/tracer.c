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

enum {
	OPT_MAX_DONATIONS = 0x200,
	OPT_RINGBUF,
};

static const struct argp_option options[] = {
	{ "realm", 'R', "ID", 0, "Only this realm" },
	{ "min-size", 'm', "SIZE", 0, "Ignore ranges smaller than SIZE (4K, 2M)" },
	{ "max-donations", OPT_MAX_DONATIONS, "N", 0,
	  "Track at least N outstanding donations (default 65536)" },
	{},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct tracer_opts *o = state->input;

	switch (key) {
	case 'R':
		o->realm = numopt_arg(state, &numopt_realm, arg);
		break;
	case 'm':
		o->min_size = numopt_arg(state, &numopt_min_size, arg);
		break;
	case OPT_MAX_DONATIONS:
		o->max_donations = numopt_arg(state, &numopt_max_donations, arg);
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

/* The ring buffer is the event stream's: only trace and record have one. */
static const struct argp_option stream_options[] = {
	{ "events", 'e', "LIST", 0, "Only these events (comma-separated; see trace --help)" },
	{ "duration", 'd', "DURATION", 0, "Stop after DURATION (10s, 500ms, 1h)" },
	{ "ringbuf-size", OPT_RINGBUF, "SIZE", 0,
	  "Event ring buffer size, a power of two (default 4M)" },
	{},
};

/* "expected event names, comma-separated: op_start, ..." for a bad -e. */
static void event_list_error(struct argp_state *state, const char *what)
{
	char names[512];
	size_t n = 0;
	int t;

	names[0] = '\0';
	/* Type 0 is none; the names end with "?" (or the mask's 32 bits). */
	for (t = 1; t < 32 && strcmp(sro_event_name(t), "?") && n < sizeof(names); t++)
		n += snprintf(names + n, sizeof(names) - n, "%s%s", t > 1 ? ", " : "",
			      sro_event_name(t));
	argp_error(state, "%s: expected event names, comma-separated: %s", what, names);
}

static error_t parse_stream(int key, char *arg, struct argp_state *state)
{
	struct tracer_opts *o = state->input;
	char what[128];
	size_t bad;

	switch (key) {
	case ARGP_KEY_INIT:
		o->emit_mask = ~1U;	/* every event type (0 is none) */
		break;
	case 'e':
		if (!parse_event_list(arg, &o->emit_mask, &bad))
			break;
		if (arg[bad])
			snprintf(what, sizeof(what), "unknown event '%.*s'",
				 (int)strcspn(arg + bad, ","), arg + bad);
		else
			snprintf(what, sizeof(what), "invalid event list '%.64s': no event", arg);
		event_list_error(state, what);
		break;
	case 'd':
		o->duration_ns = numopt_arg(state, &numopt_duration, arg);
		break;
	case OPT_RINGBUF:
		o->ringbuf_size = numopt_arg(state, &numopt_ringbuf_size, arg);
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

void tracer_argp_init(struct argp_state *state,
		      const struct argp_child *children, struct tracer_opts *o)
{
	int i;

	for (i = 0; children[i].argp; i++)
		if (children[i].argp == &tracer_argp ||
		    children[i].argp == &stream_argp)
			state->child_inputs[i] = o;
}

struct tracer {
	struct sroscope_bpf *skel;
	struct ring_buffer *rb;
	struct evmerge *merge;
	int ncpus;
};

/* Say precisely why this kernel cannot be traced, before libbpf does. */
static int check_kernel(const char *cmd)
{
	struct btf *btf;
	int id, err;

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "sroscope %s: this kernel has no BTF "
			"(/sys/kernel/btf/vmlinux): it needs CONFIG_DEBUG_INFO_BTF=y\n",
			cmd);
		return -ENOENT;
	}
	btf = btf__load_vmlinux_btf();
	if (!btf) {
		err = -errno;
		fprintf(stderr, "sroscope %s: cannot read the kernel's BTF: %s\n",
			cmd, errstr(err));
		return err;
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

/* A sample: a CPU's batch of records, or the marker of a flush. */
static int on_ringbuf(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;

	return evmerge_add(t->merge, data, size);
}

/*
 * Each CPU's batch to the ring buffer, with a marker of when
 * (bpf/sroscope.bpf.c, sro_flush). A CPU half way through a record is
 * asked again; one that stays busy keeps its marker for the next round.
 */
static void flush_cpus(struct tracer *t)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .flags = BPF_F_TEST_RUN_ON_CPU);
	int fd = bpf_program__fd(t->skel->progs.sro_flush);
	int cpu, try, err;

	for (cpu = 0; cpu < t->ncpus; cpu++) {
		opts.cpu = cpu;
		for (try = 0; try < 100; try++) {
			err = bpf_prog_test_run_opts(fd, &opts);
			if (err || opts.retval != 1)
				break;
		}
		evmerge_offline(t->merge, cpu, err == -ENXIO);
	}
}

struct tracer *tracer_start(const char *cmd, const struct tracer_opts *o)
{
	struct tracer *t;
	uint32_t ring;
	int err;

	setup_libbpf_logging();
	if (check_caps(NEED_BPF | NEED_PERFMON, cmd) || check_kernel(cmd))
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->ncpus = libbpf_num_possible_cpus();
	t->skel = sroscope_bpf__open();
	t->merge = evmerge_new(t->ncpus);
	if (!t->skel || !t->merge) {
		fprintf(stderr, "sroscope %s: cannot open the BPF object\n", cmd);
		goto fail;
	}
	/* Events that feed no map cost a dispatch each: attach on demand. */
	if (!(o->emit_mask & (1U << SRO_EV_DELEGATE)))
		bpf_program__set_autoload(t->skel->progs.sro_delegate, false);
	if (!(o->emit_mask & (1U << SRO_EV_DONATE_RESULT)))
		bpf_program__set_autoload(t->skel->progs.sro_donate_result, false);
	if (!(o->emit_mask & (1U << SRO_EV_FAIL)))
		bpf_program__set_autoload(t->skel->progs.sro_fail, false);
	if (!(o->emit_mask & (1U << SRO_EV_FREE)))
		bpf_program__set_autoload(t->skel->progs.sro_free, false);
	if (!(o->emit_mask & (1U << SRO_EV_QUARANTINE)))
		bpf_program__set_autoload(t->skel->progs.sro_quarantine, false);
	if (!o->emit_mask)
		bpf_program__set_autoload(t->skel->progs.sro_flush, false);
	t->skel->rodata->filter_realm = o->realm;
	t->skel->rodata->min_size = o->min_size;
	t->skel->rodata->emit_mask = o->emit_mask;
	ring = donation_ring_size(o->max_donations);
	bpf_map__set_max_entries(t->skel->maps.donations, ring);
	t->skel->rodata->donation_mask = ring - 1;
	bpf_map__set_max_entries(t->skel->maps.outstanding,
				 o->max_donations);
	bpf_map__set_max_entries(t->skel->maps.events,
				 o->emit_mask ? o->ringbuf_size : 4096);
	t->skel->rodata->wakeup_bytes = o->ringbuf_size / 4;
	/* A batch at most an eighth of the buffer: a small one still holds several. */
	t->skel->rodata->batch_len = o->ringbuf_size / 8 / sizeof(struct sro_event);
	if (t->skel->rodata->batch_len > SRO_BATCH)
		t->skel->rodata->batch_len = SRO_BATCH;
	if (!t->skel->rodata->batch_len)
		t->skel->rodata->batch_len = 1;
	t->skel->rodata->capture_stacks = o->capture_stacks;
	if (!o->capture_stacks) {
		bpf_map__set_max_entries(t->skel->maps.stacks, 1);
		bpf_map__set_max_entries(t->skel->maps.stack_ids, 1);
	}
	err = sroscope_bpf__load(t->skel);
	if (err) {
		fprintf(stderr, "sroscope %s: the kernel refused the BPF programs: %s "
			"(-v shows the verifier's log)\n", cmd, errstr(err));
		goto fail;
	}
	err = sroscope_bpf__attach(t->skel);
	if (err) {
		fprintf(stderr, "sroscope %s: cannot attach to the sro events: %s\n",
			cmd, errstr(err));
		goto fail;
	}
	if (o->emit_mask) {
		t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events),
					 on_ringbuf, t, NULL);
		if (!t->rb) {
			fprintf(stderr, "sroscope %s: cannot open the ring buffer: %s\n",
				cmd, errstr(-errno));
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
	evmerge_free(t->merge);
	free(t);
}

struct bpf_object *tracer_object(struct tracer *t)
{
	return t->skel->obj;
}

int tracer_poll(struct tracer *t, int timeout_ms, tracer_event_fn fn, void *ctx)
{
	int n;

	if (!t->rb) {
		usleep(timeout_ms * 1000);
		return 0;
	}
	/*
	 * The BPF side wakes us only when the buffer fills: read anyway,
	 * with what the CPUs' batches hold, up to now.
	 */
	n = ring_buffer__poll(t->rb, timeout_ms);
	if (n >= 0 || n == -EINTR) {
		flush_cpus(t);
		n = ring_buffer__consume(t->rb);
	}
	if (n >= 0 || n == -EINTR)
		n = evmerge_deliver(t->merge, false, fn, ctx);
	return n < 0 ? n : 0;
}

int tracer_poll_last(struct tracer *t, tracer_event_fn fn, void *ctx)
{
	int err = tracer_poll(t, 0, fn, ctx);

	return err ? err : evmerge_deliver(t->merge, true, fn, ctx);
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
		err = tracer_poll_last(t, fn, ctx);
	fflush(stdout);
	return err;
}

int tracer_snapshot(struct tracer *t, struct snapshot *s, unsigned int what)
{
	return snapshot_read(t->skel->obj, t->ncpus, s, what);
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
				errstr(err));
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

/*
 * The root of a reporting command, children as below: the command's own
 * options, then the tracer's, which fill in its opts (the input).
 */
static error_t parse_report_root(int key, char *arg, struct argp_state *state)
{
	if (key == ARGP_KEY_INIT)
		state->child_inputs[1] = state->input;
	return ARGP_ERR_UNKNOWN;
}

int run_report_command(const struct report_command *c, int argc, char **argv)
{
	const struct argp own = { .options = c->options, .parser = c->parser };
	const struct argp_child children[] = {
		{ &own }, { &tracer_argp }, { &timestamp_argp },
		{ &verbose_argp }, { &help_argp }, {},
	};
	const struct argp argp = {
		.parser = parse_report_root, .doc = c->doc,
		.args_doc = "[INTERVAL] [COUNT]", .children = children,
	};
	struct tracer *t;
	int err;

	if (argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, c->opts))
		return 2;
	handle_exit_signals();
	t = tracer_start(c->name, c->opts);
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
