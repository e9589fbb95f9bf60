// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sroscope hist: what the RMM asks for (request size, contiguity, block
 * order) and what it costs (operation time, allocation latency and
 * donation lifetime per source), as log2 histograms.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "format.h"
#include "hist.h"
#include "tracer.h"

enum {
	SHOW_SIZE = 1,
	SHOW_ORDER = 2,
	SHOW_OP = 4,
	SHOW_LATENCY = 8,
	SHOW_LIFETIME = 16,
};

static struct {
	struct interval iv;
	unsigned int show;
	bool clear;	/* per-interval values, not cumulative */
	struct tracer_opts tracer;
} env = {
	.tracer = TRACER_OPTS_DEFAULT,
};

static const char doc[] =
"Histograms of SRO request sizes, block orders, operation durations,\n"
"allocation latency and donation lifetime (per source), printed at the\n"
"end (Ctrl-C) or every INTERVAL, COUNT times.\n"
"\v"
"WHICH: size order op latency lifetime (default: all).\n"
"\n"
"EXAMPLES:\n"
"  sroscope hist                  # until Ctrl-C, then all histograms\n"
"  sroscope hist 10 6             # every 10 s, 6 times\n"
"  sroscope hist -w latency,lifetime -R 7\n"
"  sroscope hist -i 1 5           # each interval on its own\n";

static const struct argp_option options[] = {
	{ "which", 'w', "LIST", 0, "Only these histograms" },
	{ "interval-only", 'i', NULL, 0, "Reset after each print (not cumulative)" },
	{},
};

static const char *const which_names[] = {
	"size", "order", "op", "latency", "lifetime",
};

static int parse_which(const char *list)
{
	const size_t n = sizeof(which_names) / sizeof(which_names[0]);
	char buf[128], *tok, *save = NULL;
	size_t i;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < n; i++)
			if (!strcmp(tok, which_names[i]))
				break;
		if (i == n)
			return -1;
		env.show |= 1U << i;
	}
	return env.show ? 0 : -1;
}

static void which_error(struct argp_state *state, const char *arg)
{
	char names[128] = "";
	size_t i, n = 0;

	for (i = 0; i < sizeof(which_names) / sizeof(which_names[0]); i++)
		n += snprintf(names + n, sizeof(names) - n, "%s%s", i ? ", " : "",
			      which_names[i]);
	argp_error(state, "invalid histogram list '%s': expected histogram "
		   "names, comma-separated: %s", arg, names);
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'w':
		if (parse_which(arg))
			which_error(state, arg);
		break;
	case 'i':
		env.clear = true;
		break;
	case ARGP_KEY_ARG:
		parse_interval_arg(state, arg, &env.iv);
		break;
	case ARGP_KEY_END:
		if (!env.show)
			env.show = ~0U;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* @cur minus @base: the events of one interval. */
static void hist_delta(struct sro_hist *cur, const struct sro_hist *base)
{
	int i;

	for (i = 0; i < SRO_HIST_SLOTS; i++)
		cur->slots[i] -= base->slots[i];
	cur->count -= base->count;
	cur->sum -= base->sum;
}

static void print_hists(const struct sro_hist *h)
{
	char title[96];
	int s;

	if (env.show & SHOW_SIZE) {
		hist_print_log2(stdout, &h[SRO_HIST_REQ_SIZE],
				"Donate request size (non-contiguous)", HIST_UNIT_BYTES);
		hist_print_log2(stdout, &h[SRO_HIST_REQ_SIZE_CONTIG],
				"Donate request size (contiguous)", HIST_UNIT_BYTES);
	}
	if (env.show & SHOW_ORDER)
		hist_print_linear(stdout, &h[SRO_HIST_ORDER],
				  "Allocated block order", "order");
	if (env.show & SHOW_OP)
		hist_print_log2(stdout, &h[SRO_HIST_OP_NS],
				"SRO operation duration", HIST_UNIT_NS);
	for (s = 0; s < SRO_SRC_NR; s++) {
		if ((env.show & SHOW_LATENCY) &&
		    (h[SRO_HIST_ALLOC_NS + s].count || s == SRO_SRC_EXACT)) {
			snprintf(title, sizeof(title), "Allocation latency, source %s",
				 sro_source_name(s));
			hist_print_log2(stdout, &h[SRO_HIST_ALLOC_NS + s], title,
					HIST_UNIT_NS);
		}
	}
	for (s = 0; s < SRO_SRC_NR; s++) {
		if ((env.show & SHOW_LIFETIME) &&
		    (h[SRO_HIST_LIFETIME_NS + s].count || s == SRO_SRC_EXACT)) {
			snprintf(title, sizeof(title), "Donation lifetime, source %s",
				 sro_source_name(s));
			hist_print_log2(stdout, &h[SRO_HIST_LIFETIME_NS + s], title,
					HIST_UNIT_NS);
		}
	}
}

static void report(const struct snapshot *cur, const struct snapshot *prev,
		   void *ctx)
{
	static struct sro_hist base[SRO_HIST_NR];
	struct sro_hist h[SRO_HIST_NR];
	int i;

	memcpy(h, cur->hists, sizeof(h));
	if (env.clear)
		for (i = 0; i < SRO_HIST_NR; i++)
			hist_delta(&h[i], &base[i]);
	memcpy(base, cur->hists, sizeof(base));
	if (timestamps) {
		print_time(stdout);
		putchar('\n');
	}
	print_hists(h);
	snapshot_print_losses(stdout, cur);
}

int cmd_hist(int argc, char **argv)
{
	const struct report_command c = {
		.name = "hist", .opts = &env.tracer,
		.options = options, .parser = parse_opt,
		.doc = doc, .iv = &env.iv, .what = 0, .report = report,
	};

	return run_report_command(&c, argc, argv);
}
