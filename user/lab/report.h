/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The policies of one `sroscope replay` results file side by side: each
 * run summed up (allocation latency quantiles, memory idle, held, given
 * up), a verdict, and their renderings as `sroscope report` shows them:
 * a text table, JSON, and a self-contained HTML page (inline SVG, no
 * scripts, no network). Pure C and json-c: the unit tests and a fuzzer
 * run it on the host (tests/unit/test_report.c, tests/fuzz/fuzz_report.c).
 */
#ifndef SROSCOPE_REPORT_H
#define SROSCOPE_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>

#include "replay.h"

/* One policy's run, summed up. */
struct report_run {
	const char *policy;
	struct json_object *o;	/* the run in the results file */
	uint64_t requests, served, failed;
	uint64_t *ns;		/* every request's allocation time, sorted */
	size_t nns;
	uint64_t p50, p99, max;
	uint64_t idle;		/* at the end: pool free + cached */
	uint64_t held, given_up, delegates, undelegates;
	int largest_order;
};

/* A figure over the rounds of one policy. */
struct report_spread {
	uint64_t median, min, max;
};

/* One policy over its rounds (runs of the same name). */
struct report_policy {
	const char *policy;
	int run[REPLAY_MAX_RUNS];	/* its runs, in file order */
	int nruns;
	struct report_spread failed, p50, p99, idle, held;
};

/* One results file: a workload, its runs, the verdict. */
struct report {
	const char *trace;
	struct json_object *top;
	struct report_run runs[REPLAY_MAX_RUNS];
	int nruns;
	struct report_policy policies[REPLAY_MAX_RUNS];
	int npolicies;
	int rounds;		/* the most runs of one policy */
	int verdict;		/* index in runs (the policy's first); -1: none */
	char why[320];		/* the verdict, or why there is none, in one line */
};

/*
 * Read and judge results file @path (docs/replay.md). The verdict, with
 * one run per policy: of the runs that failed fewest requests, within
 * 10% of the lowest p99 allocation latency, the one holding the least
 * memory idle. With several rounds, figures are compared by their spread
 * (least to most over the rounds): a policy is out when another's
 * failures, then p99, then idle are all below its own; the verdict is
 * the one policy left, else none ("within the spread"). 0, or -1 with
 * @err naming the file and what is wrong ("r.json: runs[0].shapes: an
 * array expected, found int (see docs/replay.md)"). report_free() @r
 * either way.
 */
int report_load(struct report *r, const char *path, char *err, size_t len);
void report_free(struct report *r);

/* @r's condition line, table and verdict, as `sroscope report` prints them. */
void report_print(FILE *f, const struct report *r);
/*
 * `sroscope report --json` of @n workloads: a document of format
 * "sroscope-report" (format.h), one object per workload under
 * "workloads"; schemas/sroscope-report.schema.json.
 */
#define REPORT_JSON_FORMAT	"sroscope-report"
#define REPORT_JSON_VERSION	1
struct json_object *report_json(const struct report *w, int n);
/*
 * The HTML page of @n workloads, written whole to @path (outfile.h: no
 * symbolic link). 0, or -1 with @err saying why.
 */
int report_write_html(const char *path, const struct report *r, int n,
		      char *err, size_t len);

#endif
