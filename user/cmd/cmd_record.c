// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sroscope record FILE: keep a live host's SRO events in a compact,
 * versioned trace file (docs/trace-file.md) for "sroscope trace FILE" and
 * for replaying under other policies.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "commands.h"
#include "common.h"
#include "format.h"
#include "tracefile.h"
#include "tracer.h"

static struct {
	const char *path;
	bool force;
	struct trace_writer *w;
	uint64_t events;
	uint64_t invalid;
	uint64_t flushed;	/* ts of the last flush */
	struct tracer_opts tracer;
} env = {
	.tracer = TRACER_OPTS_DEFAULT,
};

static const char doc[] =
"Record the SRO events of this host into FILE until Ctrl-C (or -d).\n"
"\v"
"The file keeps every field of every event and the losses of the run;\n"
"'sroscope trace FILE' prints it, 'sroscope replay' replays it. It\n"
"holds physical addresses: it is created readable by its owner only, an\n"
"existing FILE is replaced only with --force, and a symbolic link never.\n"
"\n"
"EXAMPLES:\n"
"  sroscope record host.srotrace            # until Ctrl-C\n"
"  sroscope record -d 1h host.srotrace      # one hour\n"
"  sroscope record -f host.srotrace         # replace an earlier recording\n"
"  sroscope record -e donate_req,donate,reclaim,op_start,op_end f.srotrace\n";

static const struct argp_option options[] = {
	{ "force", 'f', NULL, 0, "Replace FILE if it exists (a regular file)" },
	{},
};

/* The tracer's options fill in env.tracer (parse_opt, ARGP_KEY_INIT). */
static const struct argp_child children[] = {
	{ &stream_argp }, { &tracer_argp }, { &verbose_argp },
	{ &help_argp }, {},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		tracer_argp_init(state, children, &env.tracer);
		break;
	case 'f':
		env.force = true;
		break;
	case ARGP_KEY_ARG:
		if (env.path)
			argp_error(state, "unexpected argument '%s': expected one FILE",
				   arg);
		env.path = arg;
		break;
	case ARGP_KEY_END:
		if (!env.path)
			argp_error(state, "which FILE?");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int write_event(void *ctx, const struct sro_event *e)
{
	int err = trace_writer_add(env.w, e);

	if (err == -EINVAL) {
		/* Nothing a reader would accept: say so, keep going. */
		env.invalid++;
		return 0;
	}
	if (err)
		return err;
	env.events++;
	/* A block a second: a killed recorder loses at most that. */
	if (e->ts > env.flushed + 1000000000ULL) {
		env.flushed = e->ts;
		return trace_writer_flush(env.w);
	}
	return 0;
}

static void fill_info(struct trace_info *info)
{
	struct timespec ts;
	struct utsname u;

	memset(info, 0, sizeof(*info));
	info->start_ts = boottime_ns();
	clock_gettime(CLOCK_REALTIME, &ts);
	info->start_realtime_ns = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	if (!uname(&u)) {
		snprintf(info->kernel, sizeof(info->kernel), "%.63s", u.release);
		snprintf(info->host, sizeof(info->host), "%.63s", u.nodename);
	}
}

int cmd_record(int argc, char **argv)
{
	const struct argp argp = {
		.options = options, .parser = parse_opt, .doc = doc,
		.args_doc = "FILE", .children = children,
	};
	struct trace_totals tot = {};
	struct trace_info info;
	struct snapshot snap;
	struct tracer *t;
	int err, i;

	if (argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, NULL))
		return 2;
	handle_exit_signals();
	t = tracer_start("record", &env.tracer);
	if (!t)
		return 1;
	fill_info(&info);
	env.w = trace_writer_open(env.path, &info, env.force ? TRACE_OVERWRITE : 0);
	if (!env.w) {
		fprintf(stderr, "sroscope record: %s: %s\n", env.path,
			errno == EEXIST ? "exists: give --force to replace it" :
			errno == ELOOP ? "is a symbolic link: not writing through it" :
			strerror(errno));
		tracer_stop(t);
		return 1;
	}
	fprintf(stderr, "Recording SRO events to %s... Hit Ctrl-C to end.\n",
		env.path);
	err = tracer_stream(t, env.tracer.duration_ns, write_event, NULL);
	if (!tracer_snapshot(t, &snap, 0)) {
		for (i = 0; i < SRO_LOSS_NR; i++)
			tot.losses[i] = snap.losses[i];
		tot.recursion_misses = snap.recursion_misses;
		snapshot_print_losses(stderr, &snap);
		snapshot_free(&snap);
	}
	tot.events = env.events;
	i = trace_writer_close(env.w, &tot);
	if (i && !err)
		err = i;
	if (env.invalid)
		fprintf(stderr, "sroscope record: %llu malformed events from the kernel were not written\n",
			(unsigned long long)env.invalid);
	tracer_stop(t);
	if (err) {
		fprintf(stderr, "sroscope record: %s: %s\n", env.path, strerror(-err));
		return 1;
	}
	fprintf(stderr, "%llu events written to %s\n",
		(unsigned long long)env.events, env.path);
	return 0;
}
