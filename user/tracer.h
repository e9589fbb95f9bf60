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
#include "snapshot.h"

/*
 * What the tracer counts (-R, -m, --max-donations): options of every
 * command that runs it from the command line (argp child).
 */
struct tracer_opts {
	uint32_t realm;		/* 0: all */
	uint64_t min_size;
	uint32_t max_donations;
	uint64_t ringbuf_size;
	uint32_t emit_mask;	/* event types sent to user space */
	bool capture_stacks;	/* kernel stack of each donation */
};

extern struct tracer_opts tracer_opts;
extern const struct argp tracer_argp;

/*
 * The event stream (-e, -d, --ringbuf-size): options of the streaming
 * commands, trace and record (argp child).
 */
struct stream_opts {
	uint32_t mask;		/* event types wanted (1 << type) */
	uint64_t duration_ns;	/* 0: until Ctrl-C */
};

extern struct stream_opts stream_opts;
extern const struct argp stream_argp;


struct tracer;

/*
 * Check privileges, BTF and the "sro" events, load and attach. @cmd names
 * the command in error messages. NULL after printing why.
 */
struct tracer *tracer_start(const char *cmd);
void tracer_stop(struct tracer *t);

/* The loaded BPF object (bpf/sroscope.bpf.c), e.g. for program info. */
struct bpf_object *tracer_object(struct tracer *t);

/* Wait up to @timeout_ms for events; each goes to @fn. -errno on error. */
typedef int (*tracer_event_fn)(void *ctx, const struct sro_event *e);
int tracer_poll(struct tracer *t, int timeout_ms, tracer_event_fn fn, void *ctx);

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
 * with @options/@parser plus the tracer's, -T, -v and -h, start the
 * tracer and run the report loop, the tracer as the reports' ctx.
 * Returns the exit status.
 */
struct report_command {
	const char *name;
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
