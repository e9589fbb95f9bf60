// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sroscope policy: load, swap and unload the BPF allocation policy of the
 * SRO host path (struct sro_policy_ops), and show which one is in charge.
 * The verbs' command lines and what they print; the work, the pinned
 * link and its directory's checks are user/lib/policy.c's.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "polconf.h"
#include "policy.h"
#include "supervise.h"
#include "vocab.h"

#define WHO	"sroscope policy"

static int do_load(const char *arg)
{
	struct policy_loaded l;
	int err;

	err = policy_load(WHO, arg, &l);
	if (!err)
		printf("policy %s loaded from %s\n", l.name, l.path);
	return err;
}

static int do_swap(const char *arg)
{
	struct policy_swapped s;
	int err;

	err = policy_swap(WHO, arg, &s);
	if (err)
		return err;
	if (s.was_gone)
		printf("policy %s loaded (the previous one was gone)\n", s.name);
	else if (s.same)
		printf("policy %s is already in charge; nothing done\n", s.name);
	else
		printf("policy %s replaced by %s%s in %.1f us\n", s.old, s.name,
		       s.prepared ? " (prepared)" : "", s.ns / 1000.0);
	return 0;
}

static int do_cycle(const char *list, unsigned long count)
{
	struct policy_cycled c;
	int err;

	err = policy_cycle(WHO, list, count, &c);
	if (!err && count)
		printf("%lu swaps between %d policies: p50 %.1f us, p99 %.1f us, max %.1f us; now in charge: %s\n",
		       count, c.policies, c.p50_ns / 1e3, c.p99_ns / 1e3,
		       c.max_ns / 1e3, c.now);
	return err;
}

static int do_unload(void)
{
	struct policy_pinned was;
	int err;

	err = policy_unload(WHO, &was);
	if (!err)
		printf("policy %s unloaded; the built-in default is in charge\n",
		       was.name);
	return err;
}

static void print_shipped(const char *name, const char *path, void *ctx)
{
	printf("  %-12s %s\n", name, path);
}

static int do_list(void)
{
	struct policy_pinned p;

	printf("shipped policies:\n");
	if (!policy_shipped(print_shipped, NULL))
		printf("  (none found; set SROSCOPE_POLICY_DIR)\n");
	if (!policy_pinned(WHO, &p))
		printf("loaded: %s (struct_ops map id %u, pinned at %s)\n",
		       p.name, p.map_id, POLICY_PIN);
	else
		printf("loaded: none (built-in default)\n");
	return 0;
}

static int do_status(void)
{
	struct policy_status st;
	const struct kstats *k = &st.k;
	unsigned int i;
	int err;

	err = policy_status(WHO, &st);
	if (err)
		return err;
	printf("active:     %s\n", k->policy);
	if (st.pinned)
		printf("pinned:     %s (map id %u)\n", POLICY_PIN, st.pin.map_id);
	if (k->policy_since_ns)
		printf("since:      %.1f s ago\n",
		       (boottime_ns() - k->policy_since_ns) / 1e9);
	for (i = 0; i < SRO_SRC_NR; i++)
		printf("decisions:  %-7s %llu\n", sro_source_name(i),
		       (unsigned long long)k->policy_decisions[i]);
	printf("fallbacks:  %llu\n", (unsigned long long)k->policy_fallbacks);
	printf("invalid:    %llu verdicts replaced by the default\n",
	       (unsigned long long)k->policy_invalid);
	printf("swaps:      %llu\n", (unsigned long long)k->policy_swaps);
	return 0;
}

/*
 * The configuration of supervise and restore-default, its policies
 * checked. 0; 1 when the file is only missing and @missing_ok; else 2 (a
 * usage error: the file is what the user wrote), said.
 */
static int read_conf(const char *who, const char *path, bool missing_ok,
		     struct polconf *c)
{
	char msg[POLCONF_MSG_LEN], where[PATH_MAX + 64], file[PATH_MAX];
	const char *arg[2] = { c->preferred, c->safe };
	const enum polconf_key key[2] = { PC_PREFERRED, PC_SAFE };
	int err, i;

	err = polconf_read(path, c, msg, sizeof(msg));
	if (err == -ENOENT && missing_ok)
		return 1;
	if (err) {
		fprintf(stderr, "%s: %s%s\n", who, msg, err == -ENOENT ?
			" (sroscope-policy(1), CONFIGURATION, says what it holds; the package installs one)" : "");
		return 2;
	}
	for (i = 0; i < 2; i++) {
		if (c->line[key[i]])
			snprintf(where, sizeof(where), "%s: %s:%d: %s", who,
				 path, c->line[key[i]], polconf_key_name(key[i]));
		else
			snprintf(where, sizeof(where), "%s: %s: %s (the default)",
				 who, path, polconf_key_name(key[i]));
		if (policy_resolve(where, arg[i], file, sizeof(file)))
			return 2;
	}
	return 0;
}

static int do_supervise(const char *who, const char *path)
{
	const char *env = getenv("SROSCOPE_POLICY");
	struct polconf c;
	int err;

	err = read_conf(who, path, false, &c);
	if (err)
		return err;
	if (env && *env && strcmp(env, c.preferred))
		fprintf(stderr, "%s: SROSCOPE_POLICY=%s is no longer read (it was /etc/default/sroscope's): the policy kept in charge is preferred = %s of %s\n",
			who, env, c.preferred, path);
	handle_exit_signals();
	return policy_supervise(who, &c) ? 1 : 0;
}

static int do_restore_default(const char *who, const char *path,
			      bool explicit)
{
	struct policy_swapped s;
	struct polconf c;
	int err;

	err = read_conf(who, path, !explicit, &c);
	if (err == 2)
		return 2;
	if (err == 1) {
		err = policy_unload(who, NULL);
		if (err && err != -ENOENT)
			return 1;
		printf("no %s: the kernel's built-in default is in charge\n",
		       path);
		return 0;
	}
	if (policy_put(who, c.preferred, &s))
		return 1;
	if (s.same)
		printf("policy %s (preferred in %s) is already in charge; nothing done\n",
		       s.name, path);
	else
		printf("policy %s (preferred in %s) in charge in place of %s\n",
		       s.name, path, s.old);
	return 0;
}

/*
 * The command line: "sroscope policy [-v] VERB [VERB's options] [ARG]".
 * Each verb has its own argp (its options, its --help); -v counts only
 * where a BPF object is loaded, --count only for cycle (docs/cli.md).
 */
struct policy_verb {
	const char *name;
	const char *arg;	/* its argument, as help shows it; NULL: none */
	const char *summary;	/* one line of 'sroscope policy --help' */
	const char *doc;	/* its own --help */
	bool loads;		/* opens BPF objects: -v */
	bool changes;		/* changes the policy: CAP_BPF, CAP_SYS_ADMIN */
};

static const struct policy_verb verbs[] = {
	{ "list", NULL, "shipped policies and the one loaded",
	  "Print the shipped policies and the one loaded.\v"
	  "EXAMPLES:\n  sroscope policy list\n", false, false },
	{ "load", "NAME|FILE", "attach a policy (pinned: it stays after exit)",
	  "Load the policy NAME (or FILE.bpf.o), attach it and pin its link: it\n"
	  "stays in charge after this command exits, until 'sroscope policy unload'.\v"
	  "EXAMPLES:\n  sroscope policy load pool\n"
	  "  sroscope policy load ./my_policy.bpf.o\n", true, true },
	{ "swap", "NAME|FILE", "replace the loaded policy atomically",
	  "Load the policy NAME (or FILE.bpf.o) and replace the one in charge\n"
	  "atomically: no request sees a moment without a policy.\v"
	  "EXAMPLES:\n  sroscope policy swap contig\n"
	  "  sroscope policy swap ./my_policy.bpf.o\n", true, true },
	{ "unload", NULL, "detach it: the built-in default takes over",
	  "Detach the policy in charge: the kernel's built-in default takes over.\v"
	  "EXAMPLES:\n  sroscope policy unload\n", false, true },
	{ "status", NULL, "active policy, since when, decisions per source",
	  "Print the policy in charge, since when, and its decisions per source.\v"
	  "EXAMPLES:\n  sroscope policy status\n", false, false },
	{ "cycle", "A,B,...", "swap between loaded copies of A, B, ... --count\n"
	  "                    times and report the swap latency (tests, benchmarks)",
	  "Load each policy of the list once, then swap between them --count\n"
	  "times on the pinned link and report the latency of one swap (tests,\n"
	  "benchmarks). A policy must already be loaded with 'load'.\v"
	  "EXAMPLES:\n  sroscope policy cycle exact,pool --count 1000\n", true, true },
	{ "supervise", NULL, "keep the configured policy in charge, swap to the\n"
	  "                    safe one when it crosses its limits (the service)",
	  "Put the preferred policy of the configuration in charge and judge it\n"
	  "every interval from the kernel's counters; when it crosses a limit, swap\n"
	  "to the safe policy and retry the preferred one after a backoff. Runs\n"
	  "until SIGTERM; each decision is a line on stderr. A policy put in\n"
	  "charge by hand is left alone unless the configuration says takeover = yes.\v"
	  "The configuration (default " POLCONF_PATH ") is described in\n"
	  "sroscope-policy(1), CONFIGURATION.\n\n"
	  "EXAMPLES:\n  sroscope policy supervise\n"
	  "  sroscope policy supervise --config ./test.conf\n", true, true },
	{ "restore-default", NULL, "put the configured preferred policy back in charge",
	  "Put the preferred policy of the configuration back in charge (swapped in,\n"
	  "or loaded when none is); without " POLCONF_PATH ", unload:\n"
	  "the kernel's built-in default.\v"
	  "EXAMPLES:\n  sroscope policy restore-default\n", true, true },
};

#define NVERBS	(sizeof(verbs) / sizeof(verbs[0]))

static const char policy_doc[] =
"Load, swap and unload the allocation policy of the SRO host path.\n"
"\v"
"'sroscope policy COMMAND --help' describes a command.\n"
"\n"
"EXAMPLES:\n"
"  sroscope policy list\n"
"  sroscope policy load pool\n"
"  sroscope policy swap ./my_policy.bpf.o\n"
"  sroscope policy status\n"
"  sroscope policy cycle exact,pool --count 1000\n";

/* "COMMANDS:" and a line per verb, as --help and usage errors print it. */
static void print_verbs(FILE *f)
{
	char head[32];
	size_t i;

	fprintf(f, "COMMANDS:\n");
	for (i = 0; i < NVERBS; i++) {
		snprintf(head, sizeof(head), "%s%s%s", verbs[i].name,
			 verbs[i].arg ? " " : "", verbs[i].arg ?: "");
		fprintf(f, "  %-17s %s\n", head, verbs[i].summary);
	}
}

/* The verbs after the description in 'sroscope policy --help'. */
static char *policy_help_filter(int key, const char *text, void *input)
{
	char *buf = NULL;
	size_t len;
	FILE *f;

	if (key != ARGP_KEY_HELP_PRE_DOC || !text)
		return (char *)text;
	f = open_memstream(&buf, &len);
	if (!f)
		return (char *)text;
	fprintf(f, "%s\n", text);
	print_verbs(f);
	if (fclose(f)) {
		free(buf);
		return (char *)text;
	}
	return buf;
}

static struct {
	const struct policy_verb *verb;
	int argc;		/* the verb and what follows it */
	char **argv;
	const char *arg;
	unsigned long count;
	const char *config;
	bool config_set;	/* --config given */
} penv = {
	.count = 100,
	.config = POLCONF_PATH,
};

static const char *const verb_list =
	"list, load, swap, unload, status, cycle, supervise or restore-default";

static error_t policy_parse(int key, char *arg, struct argp_state *state)
{
	size_t i;

	switch (key) {
	case ARGP_KEY_ARG:
		for (i = 0; i < NVERBS; i++)
			if (!strcmp(arg, verbs[i].name))
				penv.verb = &verbs[i];
		if (!penv.verb)
			argp_error(state, "unknown command '%s': expected %s",
				   arg, verb_list);
		/* The verb parses the rest with its own options. */
		penv.argc = state->argc - state->next + 1;
		penv.argv = &state->argv[state->next - 1];
		state->next = state->argc;
		return 0;
	case ARGP_KEY_NO_ARGS:
		fprintf(stderr, "%s: which command? expected one of:\n\n",
			state->name);
		print_verbs(stderr);
		argp_state_help(state, stderr, ARGP_HELP_SEE | ARGP_HELP_EXIT_ERR);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

enum { OPT_COUNT = 0x100, OPT_CONFIG };

static const struct argp_option cycle_options[] = {
	/* No -n: that is replay's --dry-run (docs/cli.md). */
	{ "count", OPT_COUNT, "N", 0, "How many swaps (default 100)" },
	{},
};

static const struct argp_option config_options[] = {
	{ "config", OPT_CONFIG, "FILE", 0,
	  "The configuration (default " POLCONF_PATH ")" },
	{},
};

static error_t verb_parse(int key, char *arg, struct argp_state *state)
{
	const struct policy_verb *v = penv.verb;

	switch (key) {
	case OPT_COUNT:
		penv.count = numopt_arg(state, &numopt_swaps, arg);
		return 0;
	case OPT_CONFIG:
		penv.config = arg;
		penv.config_set = true;
		return 0;
	case ARGP_KEY_ARG:
		if (!v->arg)
			argp_error(state, "unexpected argument '%s': expected none",
				   arg);
		if (penv.arg)
			argp_error(state, "unexpected argument '%s': expected one %s",
				   arg, v->arg);
		penv.arg = arg;
		return 0;
	case ARGP_KEY_END:
		if (v->arg && !penv.arg)
			argp_error(state, "%s", strchr(v->arg, ',') ?
				   "which policies? expected policy names, comma-separated" :
				   "which policy? expected a policy NAME or a FILE.bpf.o");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

int cmd_policy(int argc, char **argv)
{
	const struct argp_child children[] = {
		{ &verbose_argp }, { &help_argp }, {},
	};
	const struct argp_child verb_children[][3] = {
		{ { &help_argp }, {} },
		{ { &verbose_argp }, { &help_argp }, {} },
	};
	const struct argp argp = {
		.parser = policy_parse, .args_doc = "COMMAND [OPTION...] [ARG]",
		.doc = policy_doc, .children = children,
		.help_filter = policy_help_filter,
	};
	struct argp verb_argp = { .parser = verb_parse };
	const struct policy_verb *v;
	char name[48];

	if (argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, NULL))
		return 2;
	v = penv.verb;
	/* Messages then say "sroscope policy load: ...". */
	snprintf(name, sizeof(name), "%s %s", argv[0], v->name);
	penv.argv[0] = name;
	verb_argp.options = !strcmp(v->name, "cycle") ? cycle_options :
			    !strcmp(v->name, "supervise") ||
			    !strcmp(v->name, "restore-default") ?
			    config_options : NULL;
	verb_argp.children = verb_children[v->loads];
	verb_argp.args_doc = v->arg;
	verb_argp.doc = v->doc;
	if (argp_parse(&verb_argp, penv.argc, penv.argv, 0, NULL, NULL))
		return 2;
	setup_libbpf_logging();

	if (v->changes && check_caps(NEED_BPF | NEED_ADMIN, "policy"))
		return 1;
	if (!strcmp(v->name, "list"))
		return do_list() ? 1 : 0;
	if (!strcmp(v->name, "status"))
		return do_status() ? 1 : 0;
	if (!strcmp(v->name, "unload"))
		return do_unload() ? 1 : 0;
	if (!strcmp(v->name, "cycle"))
		return do_cycle(penv.arg, penv.count) ? 1 : 0;
	if (!strcmp(v->name, "supervise"))
		return do_supervise(name, penv.config);
	if (!strcmp(v->name, "restore-default"))
		return do_restore_default(name, penv.config, penv.config_set);
	if (!strcmp(v->name, "load"))
		return do_load(penv.arg) ? 1 : 0;
	return do_swap(penv.arg) ? 1 : 0;
}
