// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sroscope report: the policies of `sroscope replay` side by side, one
 * workload per results file: a table, a one-line verdict, and with
 * --html a self-contained page (inline SVG, no scripts, no network) with
 * latency distributions and memory and failures over time. Pure json-c:
 * runs anywhere, not only where the replay ran.
 */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "format.h"
#include "jsonpath.h"
#include "outfile.h"
#include "replay.h"
#include "svg.h"

static struct {
	const char *html;
	bool json;
	const char **files;
	int nfiles;
} env;

static const char doc[] =
"Compare the policies of one or more `sroscope replay` results files (one\n"
"workload each): requests served and failed, allocation latency, memory\n"
"held idle, fragmentation, (un)delegations, and a verdict per workload.\n"
"\v"
"The verdict: of the policies that failed fewest requests, the one with\n"
"the lowest p99 allocation latency; within 10% of it, the one holding the\n"
"least memory idle (pool and cache).\n"
"\n"
"EXAMPLES:\n"
"  sroscope report churn.json\n"
"  sroscope report *.json --html report.html\n"
"  sroscope report churn.json --json\n";

static const struct argp_option options[] = {
	{ "html", 'H', "FILE", 0, "Also write a self-contained HTML report" },
	{ "json", 'j', NULL, 0, "The comparison as JSON on stdout" },
	/*
	 * -h, as every command's help_argp: not that child, whose common.c
	 * needs libbpf, which the unit tests of this file do without.
	 */
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Give this help list" },
	{},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'H':
		env.html = arg;
		break;
	case 'j':
		env.json = true;
		break;
	case 'h':
		argp_state_help(state, state->out_stream, ARGP_HELP_STD_HELP);
		break;
	case ARGP_KEY_ARG:
		env.files = realloc(env.files, (env.nfiles + 1) * sizeof(*env.files));
		if (!env.files)
			argp_failure(state, 1, ENOMEM, "out of memory");
		env.files[env.nfiles++] = arg;
		break;
	case ARGP_KEY_END:
		if (!env.nfiles)
			argp_error(state, "which results? (sroscope replay writes them)");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* One policy's run, summed up. */
struct run {
	const char *policy;
	struct json_object *o;
	uint64_t requests, served, failed;
	uint64_t *ns;		/* every request's allocation time, sorted */
	size_t nns;
	uint64_t p50, p99, max;
	uint64_t idle, held, given_up, delegates, undelegates;
	int largest_order;
	double duration_ms;
};

struct workload {
	const char *trace;
	struct json_object *top;
	struct run runs[REPLAY_MAX_RUNS];
	int nruns;
	int verdict;		/* index in runs */
	char why[256];
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int load_run(struct run *r, struct json_object *o)
{
	struct json_object *shapes = json_path(o, "shapes"), *ns;
	size_t i, j;

	r->o = o;
	r->policy = json_object_get_string(json_path(o, "policy"));
	r->requests = json_path_u64(o, "requests");
	r->served = json_path_u64(o, "served");
	r->failed = json_path_u64(o, "failed");
	r->idle = json_path_u64(o, "idle.pool_free_bytes") + json_path_u64(o, "idle.cached_bytes");
	r->held = json_path_u64(o, "held_bytes");
	r->given_up = json_path_u64(o, "given_up_bytes");
	r->delegates = json_path_u64(o, "delegate_calls");
	r->undelegates = json_path_u64(o, "undelegate_calls");
	r->largest_order = json_object_get_int(json_path(o, "fragmentation.largest_free_order"));
	r->duration_ms = json_object_get_double(json_path(o, "duration_ms"));
	for (i = 0; i < json_object_array_length(shapes); i++) {
		ns = json_path(json_object_array_get_idx(shapes, i), "ns");
		for (j = 0; j < json_object_array_length(ns); j++) {
			uint64_t *n = realloc(r->ns, (r->nns + 1) * sizeof(*n));

			if (!n)
				return -ENOMEM;
			r->ns = n;
			r->ns[r->nns++] = json_object_get_uint64(json_object_array_get_idx(ns, j));
		}
	}
	qsort(r->ns, r->nns, sizeof(*r->ns), cmp_u64);
	r->p50 = replay_quantile(r->ns, r->nns, 0.5);
	r->p99 = replay_quantile(r->ns, r->nns, 0.99);
	r->max = r->nns ? r->ns[r->nns - 1] : 0;
	return 0;
}

static void judge(struct workload *w)
{
	uint64_t fewest = UINT64_MAX, best = UINT64_MAX;
	char a[32], b[32], c[32];
	int i, v = -1;

	for (i = 0; i < w->nruns; i++)
		if (w->runs[i].failed < fewest)
			fewest = w->runs[i].failed;
	for (i = 0; i < w->nruns; i++)
		if (w->runs[i].failed == fewest && w->runs[i].p99 < best)
			best = w->runs[i].p99;
	/* Within 10% of the best p99, the least memory idle wins. */
	for (i = 0; i < w->nruns; i++) {
		struct run *r = &w->runs[i];

		if (r->failed != fewest || r->p99 - best > best / 10)
			continue;
		if (v < 0 || r->idle < w->runs[v].idle ||
		    (r->idle == w->runs[v].idle && r->p99 < w->runs[v].p99))
			v = i;
	}
	w->verdict = v;
	if (v < 0)
		return;
	svg_fmt_ns(a, sizeof(a), w->runs[v].p99);
	svg_fmt_bytes(b, sizeof(b), w->runs[v].idle);
	snprintf(c, sizeof(c), "%llu", (unsigned long long)fewest);
	snprintf(w->why, sizeof(w->why), "%s: %s of %llu requests failed, p99 allocation %s, %s idle",
		 w->runs[v].policy, fewest ? c : "none",
		 (unsigned long long)w->runs[v].requests, a, b);
}

static int load(const char *path, struct workload *w)
{
	struct json_object *runs, *fmt;
	char why[256];
	int i;

	memset(w, 0, sizeof(*w));
	w->top = json_object_from_file(path);
	if (!w->top) {
		fprintf(stderr, "sroscope report: %s: %s\n", path, json_util_get_last_err());
		return -1;
	}
	fmt = json_path(w->top, "format");
	if (!json_object_is_type(fmt, json_type_string) ||
	    strcmp(json_object_get_string(fmt), "sroscope-replay")) {
		fprintf(stderr, "sroscope report: %s: not a sroscope replay results file\n", path);
		return -1;
	}
	if (json_object_get_int(json_path(w->top, "version")) != 1) {
		fprintf(stderr, "sroscope report: %s: results version %d; this sroscope reads version 1\n",
			path, json_object_get_int(json_path(w->top, "version")));
		return -1;
	}
	/* Everything read below is there, of its type: checked once here. */
	if (replay_results_check(w->top, why, sizeof(why))) {
		fprintf(stderr, "sroscope report: %s: %s (see docs/replay.md)\n", path, why);
		return -1;
	}
	w->trace = json_object_get_string(json_path(w->top, "trace"));
	runs = json_path(w->top, "runs");
	for (i = 0; i < (int)json_object_array_length(runs); i++) {
		if (load_run(&w->runs[i], json_object_array_get_idx(runs, i))) {
			fprintf(stderr, "sroscope report: %s: out of memory\n", path);
			return -1;
		}
		w->nruns++;
	}
	judge(w);
	return 0;
}

static void print_text(const struct workload *w)
{
	char p50[16], p99[16], max[16], idle[16], held[16], gu[16];
	int i;

	printf("\n%s (fragmented %llu MB, pool %llu MiB for the pool policy%s)\n", w->trace,
	       (unsigned long long)json_path_u64(w->top, "condition.fragment_mb"),
	       (unsigned long long)(json_path_u64(w->top, "condition.pool_bytes") >> 20),
	       json_object_get_boolean(json_path(w->top, "condition.pool_delegated")) ?
	       ", delegated up front" : "");
	printf("%-10s %8s %7s %7s %10s %10s %10s %10s %10s %9s %6s %9s\n", "POLICY",
	       "REQUESTS", "SERVED", "FAILED", "P50", "P99", "MAX", "IDLE", "HELD_END",
	       "GIVEN_UP", "MAXORD", "DELEGATES");
	for (i = 0; i < w->nruns; i++) {
		const struct run *r = &w->runs[i];

		svg_fmt_ns(p50, sizeof(p50), r->p50);
		svg_fmt_ns(p99, sizeof(p99), r->p99);
		svg_fmt_ns(max, sizeof(max), r->max);
		svg_fmt_bytes(idle, sizeof(idle), r->idle);
		svg_fmt_bytes(held, sizeof(held), r->held);
		svg_fmt_bytes(gu, sizeof(gu), r->given_up);
		printf("%-10s %8llu %7llu %7llu %10s %10s %10s %10s %10s %9s %6d %9llu\n",
		       r->policy, (unsigned long long)r->requests,
		       (unsigned long long)r->served, (unsigned long long)r->failed,
		       p50, p99, max, idle, held, gu, r->largest_order,
		       (unsigned long long)r->delegates);
	}
	printf("Verdict: %s\n", w->verdict >= 0 ? w->why : "no run to judge");
}

static struct json_object *to_json(const struct workload *w)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array(), *r;
	int i;

	json_object_object_add(o, "trace", json_object_new_string(w->trace ? w->trace : ""));
	json_object_object_add(o, "condition", json_object_get(json_path(w->top, "condition")));
	json_object_object_add(o, "verdict", json_object_new_string(
			       w->verdict >= 0 ? w->runs[w->verdict].policy : ""));
	json_object_object_add(o, "why", json_object_new_string(w->why));
	for (i = 0; i < w->nruns; i++) {
		const struct run *x = &w->runs[i];

		r = json_object_new_object();
		json_object_object_add(r, "policy", json_object_new_string(x->policy));
		json_object_object_add(r, "requests", json_object_new_uint64(x->requests));
		json_object_object_add(r, "served", json_object_new_uint64(x->served));
		json_object_object_add(r, "failed", json_object_new_uint64(x->failed));
		json_object_object_add(r, "p50_ns", json_object_new_uint64(x->p50));
		json_object_object_add(r, "p99_ns", json_object_new_uint64(x->p99));
		json_object_object_add(r, "max_ns", json_object_new_uint64(x->max));
		json_object_object_add(r, "idle_bytes", json_object_new_uint64(x->idle));
		json_object_object_add(r, "held_end_bytes", json_object_new_uint64(x->held));
		json_object_object_add(r, "given_up_bytes", json_object_new_uint64(x->given_up));
		json_object_object_add(r, "largest_free_order", json_object_new_int(x->largest_order));
		json_object_object_add(r, "delegate_calls", json_object_new_uint64(x->delegates));
		json_object_object_add(r, "undelegate_calls", json_object_new_uint64(x->undelegates));
		json_object_array_add(a, r);
	}
	json_object_object_add(o, "runs", a);
	return o;
}

/* A run's timeline field as doubles (x: t_ms). */
static size_t timeline(const struct run *r, const char *field, double **x, double **y)
{
	struct json_object *t = json_path(r->o, "timeline.t_ms"), *v;
	char path[64];
	size_t n, i;

	snprintf(path, sizeof(path), "timeline.%s", field);
	v = json_path(r->o, path);
	n = t && v ? json_object_array_length(t) : 0;
	*x = calloc(n + 1, sizeof(**x));
	*y = calloc(n + 1, sizeof(**y));
	for (i = 0; *x && *y && i < n; i++) {
		(*x)[i] = json_object_get_double(json_object_array_get_idx(t, i));
		(*y)[i] = (double)json_object_get_uint64(json_object_array_get_idx(v, i));
	}
	return *x && *y ? n : 0;
}

static void chart_timeline(FILE *f, const struct workload *w, const char *field,
			   const char *title, svg_fmt_fn fy)
{
	struct svg_series s[REPLAY_MAX_RUNS];
	double *x[REPLAY_MAX_RUNS], *y[REPLAY_MAX_RUNS];
	int i;

	for (i = 0; i < w->nruns; i++) {
		s[i].name = w->runs[i].policy;
		s[i].n = timeline(&w->runs[i], field, &x[i], &y[i]);
		s[i].x = x[i];
		s[i].y = y[i];
	}
	svg_line_chart(f, title, s, w->nruns, svg_fmt_ms, fy, 1);
	for (i = 0; i < w->nruns; i++) {
		free(x[i]);
		free(y[i]);
	}
}

/* Latency distribution: the share of requests served within x. */
static void chart_cdf(FILE *f, const struct workload *w)
{
	struct svg_series s[REPLAY_MAX_RUNS];
	double *x[REPLAY_MAX_RUNS], *y[REPLAY_MAX_RUNS];
	size_t j;
	int i;

	for (i = 0; i < w->nruns; i++) {
		const struct run *r = &w->runs[i];

		x[i] = calloc(r->nns + 1, sizeof(double));
		y[i] = calloc(r->nns + 1, sizeof(double));
		for (j = 0; x[i] && y[i] && j < r->nns; j++) {
			x[i][j] = r->ns[j];
			y[i][j] = 100.0 * (j + 1) / r->nns;
		}
		s[i].name = r->policy;
		s[i].x = x[i];
		s[i].y = y[i];
		s[i].n = x[i] && y[i] ? r->nns : 0;
	}
	svg_line_chart(f, "Allocation latency per request: % served within", s,
		       w->nruns, svg_fmt_ns, svg_fmt_plain, 1);
	for (i = 0; i < w->nruns; i++) {
		free(x[i]);
		free(y[i]);
	}
}

static void chart_shapes(FILE *f, const struct workload *w)
{
	const char *labels[256];
	char text[256][64], b[16];
	double v[256];
	int g[256], i;
	size_t n = 0, j;

	for (i = 0; i < w->nruns; i++) {
		struct json_object *shapes = json_path(w->runs[i].o, "shapes");

		for (j = 0; j < json_object_array_length(shapes) && n < 256; j++) {
			struct json_object *s = json_object_array_get_idx(shapes, j);

			svg_fmt_bytes(b, sizeof(b), json_path_u64(s, "bytes"));
			snprintf(text[n], sizeof(text[n]), "%s %s%s, %s",
				 json_object_get_string(json_path(s, "op")), b,
				 json_object_get_boolean(json_path(s, "contig")) ? " contig" : "",
				 w->runs[i].policy);
			labels[n] = text[n];
			v[n] = json_path_u64(s, "p99_ns");
			g[n] = i;
			n++;
		}
	}
	svg_bar_chart(f, "p99 allocation latency per request shape (log scale)",
		      labels, v, g, n, svg_fmt_ns, 1);
}

/* "nomem 3, too_large 1", or nothing. */
static void reasons(FILE *f, const struct run *r)
{
	struct json_object *o = json_path(r->o, "failed_by_reason");
	bool first = true;

	if (!o)
		return;
	json_object_object_foreach(o, k, v) {
		fprintf(f, "%s", first ? "" : ", ");
		html_escape(f, k);
		fprintf(f, " %llu", (unsigned long long)json_object_get_uint64(v));
		first = false;
	}
}

static const char css[] =
	"body{font-family:sans-serif;margin:2em;max-width:1150px;color:#222}"
	"table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;"
	"padding:3px 8px;text-align:right;white-space:nowrap}th{background:#f3f3f3}td:first-child,"
	"th:first-child{text-align:left}.verdict{font-size:1.1em;background:#eef6ee;"
	"padding:6px 10px;border-left:4px solid #2ca02c}h2{margin-top:2em}";

static int write_html(const char *path, const struct workload *w, int n)
{
	char p50[16], p99[16], max[16], idle[16], held[16], gu[16];
	struct outfile out;
	int i, k, err;
	FILE *f;

	err = outfile_open(&out, path);
	if (err) {
		fprintf(stderr, "sroscope report: %s %s\n", path, outfile_strerror(err));
		return -1;
	}
	f = out.f;
	fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
		   "<title>sroscope: exact, contig or pool?</title><style>%s</style></head><body>\n"
		   "<h1>sroscope what-if: exact, contig or pool?</h1>\n"
		   "<p>Each workload is a trace recorded with <code>sroscope record</code>, replayed "
		   "on the emulated RMM once per allocation policy by <code>sroscope replay</code> "
		   "under the same memory condition.</p>\n<h2>Verdicts</h2><ul>\n", css);
	for (k = 0; k < n; k++) {
		fputs("<li><b>", f);
		html_escape(f, w[k].trace);
		fputs("</b>: ", f);
		html_escape(f, w[k].verdict >= 0 ? w[k].why : "no run to judge");
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
	for (k = 0; k < n; k++) {
		fputs("<h2>", f);
		html_escape(f, w[k].trace);
		fprintf(f, "</h2>\n<p>Fragmented: %llu MB; pool for the pool policy: %llu MiB%s.</p>\n"
			   "<p class=\"verdict\">Verdict: ",
			(unsigned long long)json_path_u64(w[k].top, "condition.fragment_mb"),
			(unsigned long long)(json_path_u64(w[k].top, "condition.pool_bytes") >> 20),
			json_object_get_boolean(json_path(w[k].top, "condition.pool_delegated")) ?
			", delegated up front" : "");
		html_escape(f, w[k].verdict >= 0 ? w[k].why : "no run to judge");
		fputs("</p>\n<table><tr><th>policy</th><th>requests</th><th>served</th>"
		      "<th>failed</th><th>why failed</th><th>p50</th><th>p99</th><th>max</th><th>idle</th>"
		      "<th>held at end</th><th>given up</th><th>largest free order</th>"
		      "<th>delegate calls</th><th>undelegate calls</th></tr>\n", f);
		for (i = 0; i < w[k].nruns; i++) {
			const struct run *r = &w[k].runs[i];

			svg_fmt_ns(p50, sizeof(p50), r->p50);
			svg_fmt_ns(p99, sizeof(p99), r->p99);
			svg_fmt_ns(max, sizeof(max), r->max);
			svg_fmt_bytes(idle, sizeof(idle), r->idle);
			svg_fmt_bytes(held, sizeof(held), r->held);
			svg_fmt_bytes(gu, sizeof(gu), r->given_up);
			fprintf(f, "<tr><td style=\"color:%s\"><b>", svg_color(i));
			html_escape(f, r->policy);
			fprintf(f, "</b></td><td>%llu</td><td>%llu</td><td>%llu</td><td>",
				(unsigned long long)r->requests, (unsigned long long)r->served,
				(unsigned long long)r->failed);
			reasons(f, r);
			fprintf(f, "</td><td>%s</td>"
				   "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
				   "<td>%d</td><td>%llu</td><td>%llu</td></tr>\n",
				p50, p99, max, idle, held, gu,
				r->largest_order, (unsigned long long)r->delegates,
				(unsigned long long)r->undelegates);
		}
		fputs("</table>\n", f);
		chart_cdf(f, &w[k]);
		chart_shapes(f, &w[k]);
		chart_timeline(f, &w[k], "held_bytes", "Memory held by the RMM over the replay", svg_fmt_bytes);
		chart_timeline(f, &w[k], "idle_bytes", "Memory held idle (pool free + cache) over the replay", svg_fmt_bytes);
		chart_timeline(f, &w[k], "failed", "Requests failed so far", svg_fmt_plain);
	}
	fputs("<p><small>Allocation latency: the time the host's sources took to allocate "
	      "one request's blocks (sro_alloc and sro_alloc_fail events), not the RMM's. "
	      "Made by sroscope " SROSCOPE_VERSION ".</small></p>\n</body></html>\n", f);
	err = outfile_commit(&out);
	if (err) {
		fprintf(stderr, "sroscope report: cannot write %s: %s\n", path, strerror(-err));
		return -1;
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	const struct argp argp = {
		.options = options, .parser = parse_opt, .doc = doc,
		.args_doc = "RESULTS.json...",
	};
	struct json_object *out = NULL;
	struct workload *w;
	int i, j, ret = 0;

	memset(&env, 0, sizeof(env));
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 2;
	w = calloc(env.nfiles, sizeof(*w));
	if (!w)
		return 1;
	for (i = 0; i < env.nfiles && !ret; i++)
		if (load(env.files[i], &w[i]))
			ret = 1;
	if (!ret && env.json) {
		out = json_object_new_array();
		for (i = 0; i < env.nfiles; i++)
			json_object_array_add(out, to_json(&w[i]));
		puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(out);
	} else if (!ret) {
		for (i = 0; i < env.nfiles; i++)
			print_text(&w[i]);
	}
	if (!ret && env.html && write_html(env.html, w, env.nfiles))
		ret = 1;
	for (i = 0; i < env.nfiles; i++) {
		for (j = 0; j < w[i].nruns; j++)
			free(w[i].runs[j].ns);
		json_object_put(w[i].top);
	}
	free(w);
	free(env.files);
	return ret;
}
