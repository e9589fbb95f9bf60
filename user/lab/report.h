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

/* One results file: a workload, its runs, the verdict. */
struct report {
	const char *trace;
	struct json_object *top;
	struct report_run runs[REPLAY_MAX_RUNS];
	int nruns;
	int verdict;		/* index in runs; -1: none */
	char why[256];		/* the verdict in one line */
};

/*
 * Read and judge results file @path (docs/replay.md). The verdict: of the
 * runs that failed fewest requests, within 10% of the lowest p99
 * allocation latency, the one holding the least memory idle. 0, or -1
 * with @err naming the file and what is wrong ("r.json: runs[0].shapes:
 * an array expected, found int (see docs/replay.md)"). report_free() @r
 * either way.
 */
int report_load(struct report *r, const char *path, char *err, size_t len);
void report_free(struct report *r);

/* @r's condition line, table and verdict, as `sroscope report` prints them. */
void report_print(FILE *f, const struct report *r);
/* @r as one object of `sroscope report --json`'s array. */
struct json_object *report_json(const struct report *r);
/*
 * The HTML page of @n workloads, written whole to @path (outfile.h: no
 * symbolic link). 0, or -1 with @err saying why.
 */
int report_write_html(const char *path, const struct report *r, int n,
		      char *err, size_t len);

#endif
