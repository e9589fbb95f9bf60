// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sroscope: see and steer how a Linux host feeds memory to the Arm CCA
 * RMM through Stateful RMI Operations (SRO).
 *
 * One binary, one subcommand per job; each subcommand has its own argp
 * parser and --help.
 */
#include <argp.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "common.h"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct subcommand subcommands[] = {
	{ "trace", cmd_trace, "print every SRO event, live or from a file" },
	{ "top", cmd_top, "per-realm memory held by the realm world, refreshed" },
	{ "hist", cmd_hist, "histograms of request size, latency, lifetime" },
	{ "leaks", cmd_leaks, "memory the realm world did not give back" },
	{ "record", cmd_record, "keep the SRO events in a trace file" },
	{ "export", cmd_export, "serve the RMM's memory as Prometheus metrics" },
	{ "replay", cmd_replay, "replay a recorded trace under each policy" },
	{ "report", cmd_report, "compare the policies of replay results" },
	{ "policy", cmd_policy, "load, swap and unload allocation policies" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: sroscope COMMAND [OPTION...] [ARG...]\n\n"
		   "See and steer the memory a Linux host lends the Arm CCA RMM.\n\n"
		   "Commands:\n");
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-10s %s\n", subcommands[i].name,
			subcommands[i].summary);
	fprintf(f, "\n'sroscope COMMAND --help' describes a command.\n"
		   "\nEXAMPLES:\n"
		   "  sroscope trace -T\n"
		   "  sroscope top\n"
		   "  sroscope leaks -a 5m\n"
		   "  sroscope policy status\n"
		   "  sroscope policy load pool\n");
}

int main(int argc, char **argv)
{
	char name[32];
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("sroscope %s\n", SROSCOPE_VERSION);
		return 0;
	}
	/* Usage errors exit 2, as for unknown commands. */
	argp_err_exit_status = 2;
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		if (strcmp(argv[1], subcommands[i].name))
			continue;
		/* Messages then say "sroscope top: ...". */
		snprintf(name, sizeof(name), "sroscope %s", argv[1]);
		argv[1] = name;
		return subcommands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "sroscope: unknown command '%s': expected one of the "
		"commands below\n\n", argv[1]);
	usage(stderr);
	return 2;
}
