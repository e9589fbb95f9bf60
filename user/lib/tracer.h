/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The tracer every observing subcommand shares: loads bpf/sroscope.bpf.c
 * with the filters of the command line, attaches it to the "sro" trace
 * events, and reads its maps into snapshots (batch lookups, per-CPU values
 * summed) so no command has its own map-reading loop.
 */
#ifndef SROSCOPE_TRACER_H
#define SROSCOPE_TRACER_H

#include <argp.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "common.h"
#include "evmerge.h"
#include "snapshot.h"

/*
 * What the tracer counts and streams: each command owns one, its argp
 * children (tracer_argp: -R, -m, --max-donations; stream_argp, of trace
 * and record: -e, -d, --ringbuf-size) fill it in, and tracer_start()
 * copies it. Nothing else configures a tracer.
 */
struct tracer_opts {
	uint32_t realm;		/* 0: all */
	uint64_t min_size;
	uint32_t max_donations;
	uint64_t ringbuf_size;
	uint32_t emit_mask;	/* event types sent to user space (1 << type) */
	uint64_t duration_ns;	/* streaming: 0 until Ctrl-C */
	bool capture_stacks;	/* kernel stack of each donation */
};

#define TRACER_OPTS_DEFAULT { .max_donations = 65536, .ringbuf_size = 4 << 20 }

extern const struct argp tracer_argp;
extern const struct argp stream_argp;

/*
 * From a command's parser at ARGP_KEY_INIT: of its @children, tracer_argp
 * and stream_argp fill in @o.
 */
void tracer_argp_init(struct argp_state *state,
		      const struct argp_child *children, struct tracer_opts *o);

struct tracer;

/*
 * Check privileges, BTF and the "sro" events, load and attach as @o says.
 * @cmd names the command in error messages. NULL after printing why.
 */
struct tracer *tracer_start(const char *cmd, const struct tracer_opts *o);
void tracer_stop(struct tracer *t);

/* The loaded BPF object (bpf/sroscope.bpf.c), e.g. for program info. */
struct bpf_object *tracer_object(struct tracer *t);

/*
 * Wait up to @timeout_ms for events; each goes to @fn, in time order
 * across CPUs: an event goes once no CPU can still send an older one, so
 * it may wait for a later poll. -errno on error.
 */
int tracer_poll(struct tracer *t, int timeout_ms, tracer_event_fn fn, void *ctx);

/* The last poll: every event up to now goes to @fn. */
int tracer_poll_last(struct tracer *t, tracer_event_fn fn, void *ctx);

/*
 * Deliver events to @fn until Ctrl-C or @duration_ns (0: no limit), then
 * what is left in the buffer. 0 or the first error (of @fn or polling).
 */
int tracer_stream(struct tracer *t, uint64_t duration_ns, tracer_event_fn fn,
		  void *ctx);

int tracer_snapshot(struct tracer *t, struct snapshot *s, unsigned int what);

/*
 * The loop of the reporting commands: every interval (or once, at Ctrl-C
 * when there is none) take a snapshot and hand it to @report with the
 * previous one (NULL the first time). Returns 0 or -errno.
 */
typedef void (*tracer_report_fn)(const struct snapshot *cur,
				 const struct snapshot *prev, void *ctx);
int tracer_report_loop(struct tracer *t, struct interval *iv,
		       unsigned int what, tracer_report_fn report, void *ctx);

/*
 * A whole reporting command (hist, leaks, top): parse the command line
 * with @options/@parser plus the tracer's (into @opts), -T, -v and -h,
 * start the tracer and run the report loop, the tracer as the reports'
 * ctx. Returns the exit status.
 */
struct report_command {
	const char *name;
	struct tracer_opts *opts;
	const struct argp_option *options;
	argp_parser_t parser;
	const char *doc;
	struct interval *iv;
	unsigned int what;		/* SNAP_* */
	tracer_report_fn report;
};
int run_report_command(const struct report_command *c, int argc, char **argv);

/* The frames of kernel stack @id (0 when gone); the count, or -errno. */
int tracer_stack(struct tracer *t, int id, uint64_t *ips, int max);

#endif
