// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sroscope replay: what each policy would have done with a recorded
 * request stream. The trace becomes a plan (user/lab/replay_plan.c) that
 * the emulated RMM replays once per policy, each run from the same
 * condition (user/lab/replay_run.c), while the tracer watches; the
 * results are JSON for `sroscope report` (user/lab/replay.c). Here: the
 * command line, the plan printed (-n), the results file written. Runs
 * where the emulated RMM is (the test VM).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "format.h"
#include "numopt.h"
#include "outfile.h"
#include "replay.h"
#include "replay_plan.h"
#include "replay_run.h"

static struct {
	const char *trace;
	const char *policies;
	const char *output;
	struct replay_cond cond;
	unsigned long rounds;
	bool dry_run;
} env = {
	.rounds = 1,
	.policies = "exact,contig,pool,adaptive",
	.output = "replay.json",
	.cond = { .pool_bytes = 16 << 20 },
};

static const char doc[] =
"Replay a recorded trace (sroscope record) on the emulated RMM once per\n"
"policy, under the same memory condition, and write what each did to a\n"
"JSON file for `sroscope report`.\n"
"\v"
"Each operation of the trace replays as the emulator command that makes\n"
"it (REC, device, SMMU, RTT, data, realm create and destroy); any other\n"
"donating operation as a device of the same granule count, or a\n"
"contiguous one of the same size. What the RMM did on its own is armed\n"
"before its operation: granules kept at a realm's destroy, refused\n"
"undelegations. Every run starts from the same pool, of --pool bytes,\n"
"whatever its policy; its memory idle is what it left free in the pool\n"
"beyond that, and in the cache of delegated granules.\n"
"\n"
"EXAMPLES:\n"
"  sroscope replay boot.srotrace\n"
"  sroscope replay churn.srotrace -p exact,pool -F 256 -o churn.json\n"
"  sroscope replay host.srotrace -S 10     # 10 times faster than recorded\n";

enum { OPT_POOL = 0x300, OPT_POOL_DELEGATED, OPT_ROUNDS, OPT_FRAGMENT_ORDER };

static const struct numopt numopt_rounds = {
	.what = "round count", .kind = NUMOPT_NUMBER,
	.min = 1, .max = REPLAY_MAX_ROUNDS,
};

/* The emulator's ceiling (MAX_PAGE_ORDER with 4 KiB pages). */
static const struct numopt numopt_fragment_order = {
	.what = "fragment order", .kind = NUMOPT_NUMBER,
	.min = 0, .max = 10,
};

static const struct argp_option options[] = {
	{ "policy", 'p', "LIST", 0, "Up to 8 policies (names or files), comma-separated (default exact,contig,pool,adaptive)" },
	{ "fragment", 'F', "MB", 0, "Fragment MB of memory first, up to 1048576 (every other page kept)" },
	{ "fragment-order", OPT_FRAGMENT_ORDER, "ORDER", 0,
	  "With -F: leave no free block of ORDER (1 to 10) or above, one page pinned in each (default 0: every other page)" },
	{ "speed", 'S', "X", 0, "Replay X times faster than recorded, 0.001 to 1000000 (default 0: no waits)" },
	{ "pool", OPT_POOL, "SIZE", 0, "The pool every run starts with, up to 1024G (default 16M)" },
	{ "pool-delegated", OPT_POOL_DELEGATED, NULL, 0,
	  "Delegate the pool up front (saves delegations per request)" },
	{ "rounds", OPT_ROUNDS, "N", 0,
	  "Run every policy N times, 1 to 8, in rotated order (default 1): the spread of each figure, and a verdict only beyond it" },
	{ "output", 'o', "FILE", 0, "Results (default replay.json)" },
	{ "dry-run", 'n', NULL, 0, "Print the emulator commands of the plan, run nothing" },
	{},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	char why[128];

	switch (key) {
	case 'p':
		if (replay_check_policies(arg, why, sizeof(why)))
			argp_error(state, "invalid policy list: %s: expected up to %d "
				   "policy names or files, comma-separated",
				   why, REPLAY_MAX_POLICIES);
		env.policies = arg;
		break;
	case 'F':
		if (parse_u64(arg, &env.cond.fragment_mb) ||
		    env.cond.fragment_mb > REPLAY_FRAGMENT_MAX_MB)
			argp_error(state, "invalid fragment size '%s': expected a "
				   "whole number of MB, from 0 to %llu",
				   arg, REPLAY_FRAGMENT_MAX_MB);
		break;
	case 'S':
		if (replay_parse_speed(arg, &env.cond.speed))
			argp_error(state, "invalid speed '%s': expected 0 (no waits) "
				   "or a number from %g to %g",
				   arg, REPLAY_SPEED_MIN, REPLAY_SPEED_MAX);
		break;
	case OPT_POOL_DELEGATED:
		env.cond.pool_delegated = true;
		break;
	case OPT_POOL:
		if (parse_size(arg, &env.cond.pool_bytes) || env.cond.pool_bytes > REPLAY_POOL_MAX)
			argp_error(state, "invalid pool size '%s': expected a whole "
				   "number of bytes, or one with a unit (K, M, G), "
				   "from 0 to 1024G", arg);
		break;
	case OPT_FRAGMENT_ORDER:
		env.cond.fragment_order = numopt_arg(state, &numopt_fragment_order, arg);
		break;
	case OPT_ROUNDS:
		env.rounds = numopt_arg(state, &numopt_rounds, arg);
		break;
	case 'o':
		env.output = arg;
		break;
	case 'n':
		env.dry_run = true;
		break;
	case ARGP_KEY_ARG:
		if (env.trace)
			argp_error(state, "unexpected argument '%s': expected one "
				   "TRACE", arg);
		env.trace = arg;
		break;
	case ARGP_KEY_END:
		if (!env.trace)
			argp_error(state, "which trace? (sroscope record makes one)");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* One arming command of a step at *@ctx (its ts). */
static int print_cmd(void *ctx, const char *cmd)
{
	printf("%10.3f %s\n", *(const uint64_t *)ctx / 1e6, cmd);
	return 0;
}

/* The plan as emulator commands, recorded realm ids, times in ms. */
static void print_plan(const struct plan *p)
{
	char cmd[128];
	size_t i;

	printf("# %zu steps, %zu realms, %llu requests of %llu bytes recorded, %llu failed\n",
	       p->nsteps, p->nrealms, (unsigned long long)p->requests,
	       (unsigned long long)p->requested_bytes,
	       (unsigned long long)p->failed);
	if (p->truncated[0])
		printf("# truncated: %s\n", p->truncated);
	for (i = 0; i < p->nsteps; i++) {
		const struct plan_step *s = &p->steps[i];

		plan_arm(s, s->realm, print_cmd, (void *)&s->ts);
		plan_command(s, s->realm, cmd, sizeof(cmd));
		printf("%10.3f %s%s\n", s->ts / 1e6, cmd,
		       plan_step_fails(s) ? "    # fails, as recorded" : "");
		if (plan_step_armed(s))
			printf("%10.3f reset_faults\n", s->ts / 1e6);
	}
}

int cmd_replay(int argc, char **argv)
{
	const struct argp_child children[] = {
		{ &verbose_argp }, { &help_argp }, {},
	};
	const struct argp argp = {
		.options = options, .parser = parse_opt, .doc = doc,
		.args_doc = "TRACE", .children = children,
	};
	struct json_object *top, *runs, *run;
	struct replay_host *host;
	char *list, *name, *save = NULL, *names[REPLAY_MAX_POLICIES];
	unsigned long r;
	int n = 0, k;
	const char *err = NULL;
	struct outfile out;
	struct plan p;
	int ret = 0, e;

	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 2;
	if (plan_build(env.trace, &p, &err)) {
		fprintf(stderr, "sroscope replay: %s\n", err);
		return 1;
	}
	if (p.truncated[0])
		fprintf(stderr, "sroscope replay: %s: the recording was cut short "
			"(its recorder killed?): replaying the %llu events of its intact blocks\n",
			p.truncated, (unsigned long long)p.events);
	if (env.dry_run) {
		print_plan(&p);
		plan_free(&p);
		return 0;
	}
	if (!replay_emulator_here()) {
		fprintf(stderr, "sroscope replay: no emulated RMM here (" REPLAY_EMU_DIR
			"): replay runs in the test VM (make vm-run)\n");
		plan_free(&p);
		return 1;
	}
	/* It loads policies and the tracer: said now, before any change. */
	if (check_caps(NEED_BPF | NEED_PERFMON | NEED_ADMIN, "replay")) {
		plan_free(&p);
		return 1;
	}
	setup_libbpf_logging();
	/* Before minutes of replay: where the results go is fit for them. */
	e = outfile_open(&out, env.output);
	if (e) {
		fprintf(stderr, "sroscope replay: %s %s\n", env.output, outfile_strerror(e));
		plan_free(&p);
		return 1;
	}
	/* Ctrl-C or SIGTERM: the run stops at its next step, host put back. */
	handle_exit_signals();
	host = replay_host_take();
	if (!host) {
		outfile_abort(&out);
		plan_free(&p);
		return 1;
	}
	top = replay_header(&p, env.trace, env.cond.fragment_mb, env.cond.pool_bytes,
			    env.cond.speed);
	json_object_object_add(json_object_object_get(top, "condition"),
			       "pool_delegated", json_object_new_boolean(env.cond.pool_delegated));
	json_object_object_add(json_object_object_get(top, "condition"),
			       "fragment_order", json_object_new_int(env.cond.fragment_order));
	runs = json_object_new_array();
	list = strdup(env.policies);
	for (name = strtok_r(list, ",", &save); name && n < REPLAY_MAX_POLICIES;
	     name = strtok_r(NULL, ",", &save))
		names[n++] = name;
	/*
	 * Round r runs the policies from the r-th on: what drifts over a
	 * replay (the machine, the memory) falls on each policy alike.
	 */
	for (r = 0; r < env.rounds && !ret && !exiting; r++) {
		for (k = 0; k < n && !ret && !exiting; k++) {
			name = names[(k + r) % n];
			fprintf(stderr, "sroscope replay: %s: %zu steps under %s (round %lu of %lu)...\n",
				env.trace, p.nsteps, name, r + 1, env.rounds);
			run = json_object_new_object();
			json_object_object_add(run, "policy", json_object_new_string(name));
			if (replay_run(host, &p, name, &env.cond, run)) {
				json_object_put(run);
				ret = 1;
				break;
			}
			json_object_object_add(run, "round", json_object_new_uint64(r));
			json_object_array_add(runs, run);
		}
	}
	free(list);
	replay_host_release(host);
	json_object_object_add(top, "runs", runs);
	if (exiting) {
		fprintf(stderr, "sroscope replay: interrupted: the host is as it was "
			"before the replay; no results written\n");
		ret = 1;
	}
	if (!ret) {
		fputs(json_object_to_json_string_ext(top, JSON_C_TO_STRING_PRETTY |
						     JSON_C_TO_STRING_NOSLASHESCAPE), out.f);
		fputc('\n', out.f);
		e = outfile_commit(&out);
		if (e) {
			fprintf(stderr, "sroscope replay: cannot write %s: %s\n",
				env.output, strerror(-e));
			ret = 1;
		}
	} else {
		outfile_abort(&out);
	}
	if (!ret)
		fprintf(stderr, "sroscope replay: results in %s (sroscope report %s)\n",
			env.output, env.output);
	json_object_put(top);
	plan_free(&p);
	return ret;
}
