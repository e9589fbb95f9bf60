// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpf_cost: what sroscope's BPF programs cost per traced event, natively,
 * on the build host (its kernel has no "sro" events). tests/bench/
 * cost.bpf.c runs the tracer's own event handlers in a loop inside one
 * BPF_PROG_TEST_RUN, a REC's life (102 events) per round; the kernel's
 * BPF run-time statistics time it, and the same loop with an empty body
 * is subtracted. Two modes: "maps" (top, hist, leaks: books in maps) and
 * "trace" (trace, record: every event also through the ring buffer).
 * Prints Markdown, and the verifier's instruction count of each mode
 * (or, when a kernel refuses the programs, the end of its log); each
 * figure is the median of REPS runs, run A/B in turns so that the
 * machine's noise hits both alike.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "sroscope.h"
#include "cost.skel.h"

#define ROUNDS		100	/* REC lives per run: 10200 events */
#define EVENTS		102	/* events per REC life */
#define REPS		51
#define INSN_LIMIT	1000000	/* the verifier's budget per program */

/* libbpf's warnings (a refused program's verifier log among them), kept
 * for the report of a load that failed.
 */
static char *warnings;
static size_t warnings_len;
static FILE *warnings_f;

static int keep_warnings(enum libbpf_print_level level, const char *fmt,
			 va_list ap)
{
	if (level == LIBBPF_WARN && warnings_f)
		vfprintf(warnings_f, fmt, ap);
	if (getenv("V"))
		vfprintf(stderr, fmt, ap);
	return 0;
}

/* libbpf's warnings since the last call: what failed, when not the
 * verifier (a map, BTF).
 */
static void print_new_warnings(void)
{
	static size_t printed;

	fflush(warnings_f);
	if (warnings && warnings_len > printed)
		fprintf(stderr, "%s", warnings + printed);
	printed = warnings_len;
}

/* The verifier's statistics of each driver (log level 4): the margin
 * left, or why it refused.
 */
static char stats_log[2][65536];
static unsigned int insns[2];

static unsigned long long run_ns(struct bpf_program *p)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	unsigned long long before;
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	int fd = bpf_program__fd(p);

	bpf_prog_get_info_by_fd(fd, &info, &len);
	before = info.run_time_ns;
	if (bpf_prog_test_run_opts(fd, &opts))
		return 0;
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	bpf_prog_get_info_by_fd(fd, &info, &len);
	return info.run_time_ns - before;
}

/* Count the records of a sample (a batch, or one), not the flush markers. */
static int drain(void *ctx, void *data, size_t size)
{
	const struct sro_event *e = data;
	size_t i;

	for (i = 0; i < size / sizeof(*e); i++)
		if (e[i].type != SRO_EV_NONE)
			(*(unsigned long long *)ctx)++;
	return 0;
}

/* What a run left in this CPU's batch, to the ring buffer (not timed). */
static void flush(struct cost_bpf *skel)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);

	bpf_prog_test_run_opts(bpf_program__fd(skel->progs.sro_flush), &opts);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v)
{
	qsort(v, REPS, sizeof(*v), cmp_double);
	return v[REPS / 2];
}

/*
 * The parts of a traced event, in trace mode's object: a clock read, a
 * ring buffer record of its own, a record through the per-CPU batch.
 */
static double clock_ns, ring_ns, batch_ns;

/*
 * Median ns per event of the handlers in one mode; < 0 on error. In trace
 * mode also its parts.
 */
static double measure(bool trace, unsigned long long *delivered)
{
	struct ring_buffer *rb = NULL;
	struct bpf_program *p;
	struct cost_bpf *skel;
	double per[REPS], clk[REPS], rec[REPS], bat[REPS], r = -1;
	unsigned long long full, empty;
	int i;

	skel = cost_bpf__open();
	if (!skel)
		return -1;
	/* Only the drivers: the tracepoint programs need the sro events. */
	bpf_object__for_each_program(p, skel->obj)
		bpf_program__set_autoload(p, false);
	bpf_program__set_autoload(skel->progs.bench_rec_lives, true);
	bpf_program__set_autoload(skel->progs.bench_empty_loop, true);
	bpf_program__set_autoload(skel->progs.bench_clock, trace);
	bpf_program__set_autoload(skel->progs.bench_ring_record, trace);
	bpf_program__set_autoload(skel->progs.bench_empty_events, trace);
	bpf_program__set_autoload(skel->progs.bench_batch_record, trace);
	bpf_program__set_autoload(skel->progs.sro_flush, trace);
	skel->rodata->rounds = ROUNDS;
	skel->rodata->emit_mask = trace ? ~1U : 0;
	/* sroscope's default; read after each run, as trace reads it. */
	bpf_map__set_max_entries(skel->maps.events, 4 << 20);
	skel->rodata->wakeup_bytes = 1 << 20;
	bpf_program__set_log_buf(skel->progs.bench_rec_lives, stats_log[trace],
				 sizeof(stats_log[trace]));
	bpf_program__set_log_level(skel->progs.bench_rec_lives, 4);
	if (cost_bpf__load(skel)) {
		fprintf(stderr, "bpf_cost: the %s handlers do not load:\n",
			trace ? "trace" : "maps");
		print_new_warnings();
		/* At log level 4 the verifier's log is its verdict and counts. */
		if (stats_log[trace][0])
			fprintf(stderr, "verifier: %s", stats_log[trace]);
		goto out;
	}
	{
		const char *at = strstr(stats_log[trace], "processed ");

		if (!at || sscanf(at, "processed %u insns", &insns[trace]) != 1)
			insns[trace] = 0;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), drain, delivered,
			      NULL);
	for (i = 0; i < REPS; i++) {
		full = run_ns(skel->progs.bench_rec_lives);
		empty = run_ns(skel->progs.bench_empty_loop);
		if (trace)
			flush(skel);
		if (rb)
			ring_buffer__consume(rb);
		per[i] = ((double)full - (double)empty) / (ROUNDS * EVENTS);
		if (!trace)
			continue;
		empty = run_ns(skel->progs.bench_empty_events);
		clk[i] = ((double)run_ns(skel->progs.bench_clock) - empty) /
			 (ROUNDS * EVENTS);
		rec[i] = ((double)run_ns(skel->progs.bench_ring_record) - empty) /
			 (ROUNDS * EVENTS);
		bat[i] = ((double)run_ns(skel->progs.bench_batch_record) - empty) /
			 (ROUNDS * EVENTS);
		flush(skel);
		if (rb)
			ring_buffer__consume(rb);
	}
	r = median(per);
	if (trace) {
		clock_ns = median(clk);
		ring_ns = median(rec);
		batch_ns = median(bat);
	}
out:
	ring_buffer__free(rb);
	cost_bpf__destroy(skel);
	return r;
}

int main(void)
{
	unsigned long long delivered = 0;
	double maps, trace;
	int stats_fd;

	warnings_f = open_memstream(&warnings, &warnings_len);
	libbpf_set_print(keep_warnings);
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd < 0) {
		fprintf(stderr, "bpf_cost: cannot turn BPF run-time statistics on: %s (root?)\n",
			strerror(errno));
		return 1;
	}
	maps = measure(false, &delivered);
	trace = measure(true, &delivered);
	close(stats_fd);
	if (maps < 0 || trace < 0) {
		fprintf(stderr, "bpf_cost: cannot load or run the handlers\n");
		return 1;
	}
	if (!insns[0] || !insns[1]) {
		fprintf(stderr, "bpf_cost: no verifier statistics for the handlers\n");
		return 1;
	}
	/* The REC lives' events, and as many bare and batched records. */
	if (delivered != 3ULL * REPS * ROUNDS * EVENTS) {
		fprintf(stderr, "bpf_cost: %llu events delivered, expected %llu\n",
			delivered, 3ULL * REPS * ROUNDS * EVENTS);
		return 1;
	}
	printf("## BPF cost per traced event (native, build host, in-kernel loop)\n\n");
	printf("The tracer's handlers on a REC's life (102 events: op_start, donate_req,\n"
	       "16 x alloc/delegate/donate, donate_result, op_end, then 16 x\n"
	       "reclaim/undelegate/free), %d REC lives per BPF_PROG_TEST_RUN, median of %d;\n"
	       "tracepoint dispatch not included.\n\n", ROUNDS, REPS);
	printf("| mode | ns per event | target |\n|---|---|---|\n");
	printf("| maps (top, hist, leaks) | %.1f | <= 15 |\n", maps);
	printf("| trace/record (maps + records) | %.1f | <= 40 |\n", trace);
	printf("\nWhere a traced event's time goes, same run (ns per event):\n\n"
	       "| part | ns |\n|---|---|\n");
	printf("| the books (maps mode) | %.1f |\n", maps);
	printf("| one clock read (bpf_ktime_get_boot_ns), one per record | %.1f |\n",
	       clock_ns);
	printf("| one record through the per-CPU batch, sent %d at a time | %.1f |\n",
	       SRO_BATCH, batch_ns);
	printf("| the three together (the rest, the record's own fields, is within the noise) | %.1f |\n",
	       maps + clock_ns + batch_ns);
	printf("| (one ring buffer record reserved and submitted: a record's cost before batching) | %.1f |\n",
	       ring_ns);
	printf("\nVerifier: a REC's life takes %u instructions to verify in maps mode,\n"
	       "%u in trace mode, of the %d a program may take.\n",
	       insns[0], insns[1], INSN_LIMIT);
	return 0;
}
