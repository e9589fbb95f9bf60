// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sroscope leaks: memory the realm world did not give back.
 *
 *  - realms destroyed while the realm world still held some of their
 *    donations (the RMM spec does not promise it returns everything):
 *    what is missing, by operation, and whether the return was partial;
 *  - memory the host gave up because the RMM refused to undelegate it;
 *  - donations of live realms outstanding longer than --age.
 *
 * The report is built by user/lib/leaks.c from a snapshot of the maps;
 * here: the options, and the stacks by name for its renderings.
 */
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

#include "commands.h"
#include "common.h"
#include "ksyms.h"
#include "leaks.h"
#include "tracer.h"

static struct {
	struct interval iv;
	uint64_t age_ns;
	bool json;
	bool stacks;
	struct ksyms *ksyms;
	uint64_t start_ts;
	struct tracer_opts tracer;
} env = {
	.age_ns = 60000000000ULL,
	.tracer = TRACER_OPTS_DEFAULT,
};

static const char doc[] =
"Report SRO memory the realm world did not give back: what destroyed\n"
"realms kept, what the host gave up (undelegate refused), and donations\n"
"of live realms outstanding longer than --age. Printed at the end\n"
"(Ctrl-C) or every INTERVAL, COUNT times.\n"
"\v"
"Only memory donated while sroscope runs is known to its books; the report\n"
"says so when it sees older memory come back, and marks itself unreliable\n"
"when the kernel dropped events it needed. The kernel's own per-realm\n"
"accounts (/sys/kernel/sro), kept since boot, add the leaks of older\n"
"realms and name each realm's VMM: process, cgroup, systemd unit.\n"
"\n"
"EXAMPLES:\n"
"  sroscope leaks                 # until Ctrl-C\n"
"  sroscope leaks -a 5m 60        # every minute; live donations > 5 min\n"
"  sroscope leaks --json 10 1     # one JSON report after 10 s\n"
"  sroscope leaks -s              # and the kernel stacks that donated\n";

static const struct argp_option options[] = {
	{ "age", 'a', "DURATION", 0, "Show live donations older than this (default 60s)" },
	{ "json", 'j', NULL, 0, "The report as one JSON document" },
	{ "stacks", 's', NULL, 0, "Group by the kernel stack of each donation" },
	{},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'a':
		env.age_ns = numopt_arg(state, &numopt_age, arg);
		break;
	case 'j':
		env.json = true;
		break;
	case 's':
		env.stacks = true;
		env.tracer.capture_stacks = true;
		break;
	case ARGP_KEY_ARG:
		parse_interval_arg(state, arg, &env.iv);
		break;
	case ARGP_KEY_END:
		env.start_ts = boottime_ns();
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* Frames of the tracing machinery on top of a stack say nothing. */
static bool tracing_frame(const char *name)
{
	return !strncmp(name, "bpf_prog_", 9) ||
	       !strncmp(name, "bpf_trace_run", 13) ||
	       !strncmp(name, "__traceiter_", 12) ||
	       !strncmp(name, "__bpf_trace_", 12);
}

/*
 * leak_stack_fn: kernel stack @id from the tracer (@ctx), symbolized, from
 * below the last frame of the tracing machinery: a kernel without frame
 * pointers or ORC (CONFIG_UNWINDER_GUESS) puts stale addresses above it.
 */
static int stack_names(void *ctx, int32_t id, char (*names)[LEAK_SYM_LEN],
		       int max)
{
	uint64_t ips[SRO_STACK_DEPTH];
	int n, i, k = 0;

	n = tracer_stack(ctx, id, ips, SRO_STACK_DEPTH);
	for (i = 0; i < n && k < max; i++) {
		ksyms_name(env.ksyms, ips[i], names[k], LEAK_SYM_LEN);
		k = tracing_frame(names[k]) ? 0 : k + 1;
	}
	return k;
}

static void report(const struct snapshot *cur, const struct snapshot *prev,
		   void *ctx)
{
	struct realm_accts accts;
	struct leak_report rep;
	struct json_object *j;
	int err;

	if (env.stacks && !env.ksyms)
		env.ksyms = ksyms_load();	/* NULL: addresses in hex */
	err = leak_report_build(cur, env.age_ns, env.start_ts, env.stacks, &rep);
	if (err) {
		fprintf(stderr, "sroscope leaks: %s\n", errstr(err));
		leak_report_free(&rep);
		return;
	}
	/* The kernel's accounts: the VMMs, and leaks older than the trace. */
	err = realm_accts_read(REALMS_SYSFS, REALMS_CGROUP_ROOT, &accts);
	if (err)
		fprintf(stderr, "sroscope leaks: cannot read %s: %s\n",
			REALMS_SYSFS, errstr(err));
	else
		rep.accts = &accts;
	if (env.json) {
		j = leak_report_json(&rep, stack_names, ctx);
		puts(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY));
		json_object_put(j);
	} else {
		if (timestamps) {
			print_time(stdout);
			putchar('\n');
		}
		leak_report_print(stdout, &rep, stack_names, ctx);
	}
	leak_report_free(&rep);
	realm_accts_free(&accts);
}

int cmd_leaks(int argc, char **argv)
{
	const struct report_command c = {
		.name = "leaks", .opts = &env.tracer,
		.options = options, .parser = parse_opt,
		.doc = doc, .iv = &env.iv, .what = SNAP_DONATIONS, .report = report,
	};

	return run_report_command(&c, argc, argv);
}
