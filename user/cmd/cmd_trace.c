// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sroscope trace [FILE]: one line per SRO event, live or from a trace
 * file written by "sroscope record"; NDJSON with --json (a header line,
 * then one event per line: docs/cli.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>

#include "commands.h"
#include "common.h"
#include "format.h"
#include "tracefile.h"
#include "tracer.h"

static struct {
	bool json;
	const char *input;
	uint64_t printed;
	struct tracer_opts tracer;
	uint64_t start_ts;
} env = {
	.tracer = TRACER_OPTS_DEFAULT,
};

static const char doc[] =
"Print every SRO event: requests, allocations, donations, reclaims, frees,\n"
"leaks and failures, with realm, operation, size, source and latency; live,\n"
"or from FILE, a trace file of 'sroscope record'.\n"
"\v"
"EVENTS: op_start op_end donate_req alloc alloc_fail donate donate_result\n"
"reclaim free leak delegate fail quarantine (default: all).\n"
"\n"
"EXAMPLES:\n"
"  sroscope trace                     # every event, live\n"
"  sroscope trace -T -e donate,reclaim,leak\n"
"  sroscope trace -R 7 -m 2M          # realm 7, ranges of 2 MiB or more\n"
"  sroscope trace --json -d 10s > events.ndjson\n"
"  sroscope trace host.srotrace       # a file from 'sroscope record'\n";

enum { OPT_READ = 0x100 };

static const struct argp_option options[] = {
	{ "json", 'j', NULL, 0, "One JSON object per line (NDJSON)" },
	/* Deprecated: FILE is an argument, as for record, replay, report. */
	{ "read", OPT_READ, "FILE", OPTION_HIDDEN, "Read FILE (give it as an argument)" },
	/* -r was --read's; elsewhere it is top's --rows (docs/cli.md). */
	{ NULL, 'r', NULL, OPTION_HIDDEN, "Gone: give FILE as an argument" },
	{},
};

static void set_input(struct argp_state *state, const char *arg)
{
	if (env.input)
		argp_error(state, "unexpected argument '%s': expected one FILE at most",
			   arg);
	env.input = arg;
}

/* The tracer's options fill in env.tracer (parse_opt, ARGP_KEY_INIT). */
static const struct argp_child children[] = {
	{ &stream_argp }, { &tracer_argp }, { &timestamp_argp },
	{ &verbose_argp }, { &help_argp }, {},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		tracer_argp_init(state, children, &env.tracer);
		break;
	case 'j':
		env.json = true;
		break;
	case OPT_READ:
		fprintf(stderr, "sroscope trace: --read is deprecated: "
			"give FILE as an argument ('sroscope trace FILE')\n");
		set_input(state, arg);
		break;
	case 'r':
		argp_error(state, "-r is no longer an option of trace: expected the "
			   "trace file as an argument ('sroscope trace FILE')");
		break;
	case ARGP_KEY_ARG:
		set_input(state, arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static bool wanted(const struct sro_event *e)
{
	if (!(env.tracer.emit_mask & (1U << e->type)))
		return false;
	/* Live, the BPF side filters; a file is filtered here. */
	if (env.tracer.realm && e->realm != env.tracer.realm)
		return false;
	/* As the BPF side: events without a byte size pass. */
	return e->type == SRO_EV_DONATE_RESULT || !e->size ||
	       e->size >= env.tracer.min_size;
}

static int print_event(void *ctx, const struct sro_event *e)
{
	struct json_object *o;
	char line[FORMAT_LINE_MAX];

	if (!wanted(e))
		return 0;
	env.printed++;
	if (env.json) {
		o = format_event_json(e);
		if (!o)
			return -ENOMEM;
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
		return 0;
	}
	if (timestamps)
		print_time(stdout);
	fwrite(line, 1, format_event_line(line, sizeof(line), e, env.start_ts),
	       stdout);
	return 0;
}

/* NDJSON: the format and version once, on the first line, not on each event. */
static void print_header(void)
{
	struct json_object *o;

	if (env.json) {
		o = format_json_document(TRACE_JSON_FORMAT, TRACE_JSON_VERSION);
		if (o)
			puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
		return;
	}
	if (timestamps)
		printf("%-8s ", "TIME");
	printf("%-12s %-3s %-13s %s\n", "SECONDS", "CPU", "EVENT", "DETAILS");
}

static int trace_file(void)
{
	struct trace_reader *r = trace_reader_open(env.input);
	const struct trace_totals *tot;
	struct sro_event e;
	int ret;

	if (!r) {
		fprintf(stderr, "sroscope trace: %s: %s\n", env.input, strerror(errno));
		return 1;
	}
	env.start_ts = trace_reader_info(r) ? trace_reader_info(r)->start_ts : 0;
	print_header();
	while ((ret = trace_reader_next(r, &e)) > 0)
		if (print_event(NULL, &e))
			break;
	if (ret < 0) {
		fflush(stdout);
		fprintf(stderr, "sroscope trace: %s\n", trace_reader_error(r));
		trace_reader_close(r);
		return 1;
	}
	tot = trace_reader_totals(r);
	if (tot && tot->losses[SRO_LOSS_RINGBUF])
		fprintf(stderr, "sroscope trace: the recording lost %llu events\n",
			(unsigned long long)tot->losses[SRO_LOSS_RINGBUF]);
	trace_reader_close(r);
	return 0;
}

int cmd_trace(int argc, char **argv)
{
	const struct argp argp = {
		.options = options, .parser = parse_opt, .doc = doc,
		.args_doc = "[FILE]", .children = children,
	};
	struct snapshot snap;
	struct tracer *t;
	int err;

	if (argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, NULL))
		return 2;
	if (env.input)
		return trace_file();

	handle_exit_signals();
	t = tracer_start("trace", &env.tracer);
	if (!t)
		return 1;
	env.start_ts = boottime_ns();
	/* Into a file or a pipe: one write per poll (the tracer flushes). */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	fprintf(stderr, "Tracing SRO events... Hit Ctrl-C to end.\n");
	print_header();
	err = tracer_stream(t, env.tracer.duration_ns, print_event, NULL);
	if (err)
		fprintf(stderr, "sroscope trace: %s\n", errstr(err));
	if (!tracer_snapshot(t, &snap, 0)) {
		fprintf(stderr, "%llu events\n", (unsigned long long)env.printed);
		snapshot_print_losses(stderr, &snap);
		snapshot_free(&snap);
	}
	tracer_stop(t);
	return err ? 1 : 0;
}
