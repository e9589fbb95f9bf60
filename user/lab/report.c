// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The policies of a replay results file side by side (user/lab/report.h). */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "format.h"
#include "jsonpath.h"
#include "outfile.h"
#include "report.h"
#include "svg.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int load_run(struct report_run *r, struct json_object *o)
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
	if (r->nns)	/* qsort() may not be given NULL, even for 0 */
		qsort(r->ns, r->nns, sizeof(*r->ns), cmp_u64);
	r->p50 = replay_quantile(r->ns, r->nns, 0.5);
	r->p99 = replay_quantile(r->ns, r->nns, 0.99);
	r->max = r->nns ? r->ns[r->nns - 1] : 0;
	return 0;
}

static void judge(struct report *w)
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
		struct report_run *r = &w->runs[i];

		if (r->failed != fewest || r->p99 - best > best / 10)
			continue;
		if (v < 0 || r->idle < w->runs[v].idle ||
		    (r->idle == w->runs[v].idle && r->p99 < w->runs[v].p99))
			v = i;
	}
	w->verdict = v;
	if (v < 0)
		return;
	format_ns_fine(a, sizeof(a), w->runs[v].p99);
	format_bytes(b, sizeof(b), w->runs[v].idle);
	snprintf(c, sizeof(c), "%llu", (unsigned long long)fewest);
	snprintf(w->why, sizeof(w->why), "%s: %s of %llu requests failed, p99 allocation %s, %s idle",
		 w->runs[v].policy, fewest ? c : "none",
		 (unsigned long long)w->runs[v].requests, a, b);
}

/* The median, least and most of @n values (sorted in place). */
static struct report_spread spread(uint64_t *v, int n)
{
	struct report_spread s = {};

	if (!n)
		return s;
	qsort(v, n, sizeof(*v), cmp_u64);
	s.median = v[(n - 1) / 2];
	s.min = v[0];
	s.max = v[n - 1];
	return s;
}

/* The runs by policy name, and each figure's spread over its rounds. */
static void group(struct report *w)
{
	uint64_t failed[REPLAY_MAX_RUNS], p50[REPLAY_MAX_RUNS], p99[REPLAY_MAX_RUNS];
	uint64_t idle[REPLAY_MAX_RUNS], held[REPLAY_MAX_RUNS];
	int i, k, j;

	for (i = 0; i < w->nruns; i++) {
		for (k = 0; k < w->npolicies; k++)
			if (!strcmp(w->policies[k].policy, w->runs[i].policy))
				break;
		if (k == w->npolicies)
			w->policies[w->npolicies++].policy = w->runs[i].policy;
		w->policies[k].run[w->policies[k].nruns++] = i;
	}
	for (k = 0; k < w->npolicies; k++) {
		struct report_policy *p = &w->policies[k];

		for (j = 0; j < p->nruns; j++) {
			const struct report_run *r = &w->runs[p->run[j]];

			failed[j] = r->failed;
			p50[j] = r->p50;
			p99[j] = r->p99;
			idle[j] = r->idle;
			held[j] = r->held;
		}
		p->failed = spread(failed, p->nruns);
		p->p50 = spread(p50, p->nruns);
		p->p99 = spread(p99, p->nruns);
		p->idle = spread(idle, p->nruns);
		p->held = spread(held, p->nruns);
		if (p->nruns > w->rounds)
			w->rounds = p->nruns;
	}
}

/* @a below @b beyond their spreads: @a's most under @b's least. */
static bool below(const struct report_spread *a, const struct report_spread *b)
{
	return a->max < b->min;
}

/* The figure at offset @field of @p. */
static const struct report_spread *fig(const struct report_policy *p,
				       size_t field)
{
	return (const struct report_spread *)((const char *)p + field);
}

/* Out: the policies another one still in beats on @field. */
static void beaten(const struct report *w, bool *out, size_t field)
{
	const struct report_policy *p = w->policies;
	bool now[REPLAY_MAX_RUNS] = {};
	int i, j;

	for (i = 0; i < w->npolicies; i++)
		for (j = 0; j < w->npolicies; j++)
			if (!out[i] && !out[j] &&
			    below(fig(&p[j], field), fig(&p[i], field)))
				now[i] = true;
	for (i = 0; i < w->npolicies; i++)
		out[i] |= now[i];
}

/* "1.50 ms (1.20-1.80 ms)" of a spread of durations or sizes. */
static void spread_text(char *buf, size_t len, const struct report_spread *s,
			bool bytes)
{
	char m[16], a[16], b[16];

	if (bytes) {
		format_bytes(m, sizeof(m), s->median);
		format_bytes(a, sizeof(a), s->min);
		format_bytes(b, sizeof(b), s->max);
	} else {
		format_ns_fine(m, sizeof(m), s->median);
		format_ns_fine(a, sizeof(a), s->min);
		format_ns_fine(b, sizeof(b), s->max);
	}
	snprintf(buf, len, "%s (%s to %s)", m, a, b);
}

/*
 * Several rounds: a policy is out when another, still in, failed fewer
 * requests in every round than it did in any; then the same on p99
 * allocation latency, then on memory idle. One left: the verdict.
 */
static void judge_rounds(struct report *w)
{
	bool out[REPLAY_MAX_RUNS] = {};
	char p99[64], idle[64];
	int i, left = 0, v = -1, n;

	beaten(w, out, offsetof(struct report_policy, failed));
	beaten(w, out, offsetof(struct report_policy, p99));
	beaten(w, out, offsetof(struct report_policy, idle));
	for (i = 0; i < w->npolicies; i++)
		if (!out[i]) {
			left++;
			v = i;
		}
	if (left == 1) {
		const struct report_policy *p = &w->policies[v];

		spread_text(p99, sizeof(p99), &p->p99, false);
		spread_text(idle, sizeof(idle), &p->idle, true);
		w->verdict = p->run[0];
		snprintf(w->why, sizeof(w->why),
			 "%s, beyond the spread of %d rounds: %llu of %llu requests failed (median), p99 allocation %s, %s idle",
			 p->policy, w->rounds, (unsigned long long)p->failed.median,
			 (unsigned long long)w->runs[p->run[0]].requests, p99, idle);
		return;
	}
	n = snprintf(w->why, sizeof(w->why), "none: ");
	for (i = 0; i < w->npolicies && n < (int)sizeof(w->why); i++)
		if (!out[i])
			n += snprintf(w->why + n, sizeof(w->why) - n, "%s%s",
				      n > 6 ? ", " : "", w->policies[i].policy);
	if (n < (int)sizeof(w->why))
		snprintf(w->why + n, sizeof(w->why) - n,
			 " differ by less than their spread over %d rounds",
			 w->rounds);
}

int report_load(struct report *w, const char *path, char *err, size_t len)
{
	struct json_object *runs, *fmt;
	const char *msg;
	char why[256];
	int i;

	memset(w, 0, sizeof(*w));
	w->verdict = -1;
	w->top = json_object_from_file(path);
	if (!w->top) {
		/* json-c's message ends its line: the caller's does. */
		msg = json_util_get_last_err();
		msg = msg ? msg : "unreadable";
		snprintf(err, len, "%s: %.*s", path, (int)strcspn(msg, "\n"), msg);
		return -1;
	}
	fmt = json_path(w->top, "format");
	if (!json_object_is_type(fmt, json_type_string) ||
	    strcmp(json_object_get_string(fmt), REPLAY_RESULTS_FORMAT)) {
		snprintf(err, len, "%s: not a sroscope replay results file", path);
		return -1;
	}
	if (json_object_get_int(json_path(w->top, "version")) < 1 ||
	    json_object_get_int(json_path(w->top, "version")) > REPLAY_RESULTS_VERSION) {
		snprintf(err, len, "%s: results version %d; this sroscope reads versions 1 to %d",
			 path, json_object_get_int(json_path(w->top, "version")),
			 REPLAY_RESULTS_VERSION);
		return -1;
	}
	/* Everything read below is there, of its type: checked once here. */
	if (replay_results_check(w->top, why, sizeof(why))) {
		snprintf(err, len, "%s: %s (see docs/replay.md)", path, why);
		return -1;
	}
	w->trace = json_object_get_string(json_path(w->top, "trace"));
	runs = json_path(w->top, "runs");
	for (i = 0; i < (int)json_object_array_length(runs); i++) {
		/* Counted first: report_free() frees what it took. */
		w->nruns++;
		if (load_run(&w->runs[i], json_object_array_get_idx(runs, i))) {
			snprintf(err, len, "%s: out of memory", path);
			return -1;
		}
	}
	group(w);
	if (w->rounds > 1)
		judge_rounds(w);
	else
		judge(w);
	return 0;
}

void report_free(struct report *w)
{
	int i;

	for (i = 0; i < w->nruns; i++)
		free(w->runs[i].ns);
	json_object_put(w->top);
	memset(w, 0, sizeof(*w));
}

/* The table's figures of @r, each as format.h shows it. */
struct figures {
	char p50[16], p99[16], max[16], idle[16], held[16], given_up[16];
};

static void figures(struct figures *t, const struct report_run *r)
{
	format_ns_fine(t->p50, sizeof(t->p50), r->p50);
	format_ns_fine(t->p99, sizeof(t->p99), r->p99);
	format_ns_fine(t->max, sizeof(t->max), r->max);
	format_bytes(t->idle, sizeof(t->idle), r->idle);
	format_bytes(t->held, sizeof(t->held), r->held);
	format_bytes(t->given_up, sizeof(t->given_up), r->given_up);
}

static const char *verdict(const struct report *w)
{
	return w->why[0] ? w->why : "no run to judge";
}

/* A policy's spreads as the tables show them. */
struct spread_row {
	char p50[64], p99[64], idle[64], held[64];
};

static void spread_row(struct spread_row *t, const struct report_policy *p)
{
	spread_text(t->p50, sizeof(t->p50), &p->p50, false);
	spread_text(t->p99, sizeof(t->p99), &p->p99, false);
	spread_text(t->idle, sizeof(t->idle), &p->idle, true);
	spread_text(t->held, sizeof(t->held), &p->held, true);
}

/* Each policy's figures over its rounds, when it had more than one. */
static void print_spreads(FILE *f, const struct report *w)
{
	struct spread_row t;
	int k;

	if (w->rounds < 2)
		return;
	fprintf(f, "Over %d rounds, median (least to most):\n", w->rounds);
	fprintf(f, "%-10s %6s %8s %28s %28s %28s %28s\n", "POLICY", "ROUNDS",
		"FAILED", "P50", "P99", "IDLE", "HELD_END");
	for (k = 0; k < w->npolicies; k++) {
		const struct report_policy *p = &w->policies[k];

		spread_row(&t, p);
		fprintf(f, "%-10s %6d %8llu %28s %28s %28s %28s\n", p->policy,
			p->nruns, (unsigned long long)p->failed.median, t.p50,
			t.p99, t.idle, t.held);
	}
}

static bool pool_delegated(const struct report *w)
{
	return json_object_get_boolean(json_path(w->top, "condition.pool_delegated"));
}

/* Version 1 sized the pool for the policy named pool alone. */
static const char *pool_whose(const struct report *w)
{
	return json_object_get_int(json_path(w->top, "version")) < 2 ?
	       "the pool policy" : "every policy";
}

/* " (no free block of order 9 or above)" for a harsh fragmentation. */
static const char *harsh(const struct report *w)
{
	static char buf[64];
	uint64_t order = json_path_u64(w->top, "condition.fragment_order");

	buf[0] = '\0';
	if (order && json_path_u64(w->top, "condition.fragment_mb"))
		snprintf(buf, sizeof(buf), ", no free block of order %llu or above",
			 (unsigned long long)order);
	return buf;
}

void report_print(FILE *f, const struct report *w)
{
	struct figures t;
	int i;

	fprintf(f, "\n%s (fragmented %llu MB%s, pool %llu MiB for %s%s)\n", w->trace,
		(unsigned long long)json_path_u64(w->top, "condition.fragment_mb"), harsh(w),
		(unsigned long long)(json_path_u64(w->top, "condition.pool_bytes") >> 20),
		pool_whose(w), pool_delegated(w) ? ", delegated up front" : "");
	fprintf(f, "%-10s %8s %7s %7s %10s %10s %10s %10s %10s %9s %6s %9s\n", "POLICY",
		"REQUESTS", "SERVED", "FAILED", "P50", "P99", "MAX", "IDLE", "HELD_END",
		"GIVEN_UP", "MAXORD", "DELEGATES");
	for (i = 0; i < w->nruns; i++) {
		const struct report_run *r = &w->runs[i];

		figures(&t, r);
		fprintf(f, "%-10s %8llu %7llu %7llu %10s %10s %10s %10s %10s %9s %6d %9llu\n",
			r->policy, (unsigned long long)r->requests,
			(unsigned long long)r->served, (unsigned long long)r->failed,
			t.p50, t.p99, t.max, t.idle, t.held, t.given_up, r->largest_order,
			(unsigned long long)r->delegates);
	}
	print_spreads(f, w);
	fprintf(f, "Verdict: %s\n", verdict(w));
}

static struct json_object *spread_json(const struct report_spread *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "median", json_object_new_uint64(s->median));
	json_object_object_add(o, "min", json_object_new_uint64(s->min));
	json_object_object_add(o, "max", json_object_new_uint64(s->max));
	return o;
}

static struct json_object *workload_json(const struct report *w)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array(), *r;
	int i;

	json_object_object_add(o, "trace", json_object_new_string(w->trace ? w->trace : ""));
	json_object_object_add(o, "condition", json_object_get(json_path(w->top, "condition")));
	json_object_object_add(o, "verdict", json_object_new_string(
			       w->verdict >= 0 ? w->runs[w->verdict].policy : ""));
	json_object_object_add(o, "why", json_object_new_string(w->why));
	for (i = 0; i < w->nruns; i++) {
		const struct report_run *x = &w->runs[i];

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
	json_object_object_add(o, "rounds", json_object_new_int(w->rounds));
	a = json_object_new_array();
	for (i = 0; i < w->npolicies; i++) {
		const struct report_policy *p = &w->policies[i];

		r = json_object_new_object();
		json_object_object_add(r, "policy", json_object_new_string(p->policy));
		json_object_object_add(r, "runs", json_object_new_int(p->nruns));
		json_object_object_add(r, "failed", spread_json(&p->failed));
		json_object_object_add(r, "p50_ns", spread_json(&p->p50));
		json_object_object_add(r, "p99_ns", spread_json(&p->p99));
		json_object_object_add(r, "idle_bytes", spread_json(&p->idle));
		json_object_object_add(r, "held_end_bytes", spread_json(&p->held));
		json_object_array_add(a, r);
	}
	json_object_object_add(o, "policies", a);
	return o;
}

struct json_object *report_json(const struct report *w, int n)
{
	struct json_object *o = format_json_document(REPORT_JSON_FORMAT,
						     REPORT_JSON_VERSION);
	struct json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, workload_json(&w[i]));
	json_object_object_add(o, "workloads", a);
	return o;
}

/* A run's timeline field as doubles (x: t_ms). */
static size_t timeline(const struct report_run *r, const char *field, double **x, double **y)
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

/* The run a chart shows for policy @k: its first. */
static const struct report_run *shown(const struct report *w, int k)
{
	return &w->runs[w->policies[k].run[0]];
}

static void chart_timeline(FILE *f, const struct report *w, const char *field,
			   const char *title, svg_fmt_fn fy)
{
	struct svg_series s[REPLAY_MAX_RUNS];
	double *x[REPLAY_MAX_RUNS], *y[REPLAY_MAX_RUNS];
	int i;

	for (i = 0; i < w->npolicies; i++) {
		s[i].name = shown(w, i)->policy;
		s[i].n = timeline(shown(w, i), field, &x[i], &y[i]);
		s[i].x = x[i];
		s[i].y = y[i];
	}
	svg_line_chart(f, title, s, w->npolicies, svg_fmt_ms, fy, 1);
	for (i = 0; i < w->npolicies; i++) {
		free(x[i]);
		free(y[i]);
	}
}

/* Latency distribution: the share of requests served within x. */
static void chart_cdf(FILE *f, const struct report *w)
{
	struct svg_series s[REPLAY_MAX_RUNS];
	double *x[REPLAY_MAX_RUNS], *y[REPLAY_MAX_RUNS];
	size_t j;
	int i;

	for (i = 0; i < w->npolicies; i++) {
		const struct report_run *r = shown(w, i);

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
		       w->npolicies, format_ns_fine, svg_fmt_plain, 1);
	for (i = 0; i < w->npolicies; i++) {
		free(x[i]);
		free(y[i]);
	}
}

static void chart_shapes(FILE *f, const struct report *w)
{
	const char *labels[256];
	char text[256][64], b[16];
	double v[256];
	int g[256], i;
	size_t n = 0, j;

	for (i = 0; i < w->npolicies; i++) {
		struct json_object *shapes = json_path(shown(w, i)->o, "shapes");

		for (j = 0; j < json_object_array_length(shapes) && n < 256; j++) {
			struct json_object *s = json_object_array_get_idx(shapes, j);

			format_bytes(b, sizeof(b), json_path_u64(s, "bytes"));
			snprintf(text[n], sizeof(text[n]), "%s %s%s, %s",
				 json_object_get_string(json_path(s, "op")), b,
				 json_object_get_boolean(json_path(s, "contig")) ? " contig" : "",
				 shown(w, i)->policy);
			labels[n] = text[n];
			v[n] = json_path_u64(s, "p99_ns");
			g[n] = i;
			n++;
		}
	}
	svg_bar_chart(f, "p99 allocation latency per request shape (log scale)",
		      labels, v, g, n, format_ns_fine, 1);
}

/* "nomem 3, too_large 1", or nothing. */
static void reasons(FILE *f, const struct report_run *r)
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

/* Each policy's figures over its rounds, when there were several. */
static void html_spreads(FILE *f, const struct report *w)
{
	struct spread_row t;
	int k;

	if (w->rounds < 2)
		return;
	fprintf(f, "<p>Over %d rounds: the median, and the least to the most "
		   "(the charts show each policy's first round).</p>\n<table><tr>"
		   "<th>policy</th><th>rounds</th><th>failed</th><th>p50</th><th>p99</th>"
		   "<th>idle</th><th>held at end</th></tr>\n", w->rounds);
	for (k = 0; k < w->npolicies; k++) {
		const struct report_policy *p = &w->policies[k];

		spread_row(&t, p);
		fprintf(f, "<tr><td style=\"color:%s\"><b>", svg_color(k));
		html_escape(f, p->policy);
		fprintf(f, "</b></td><td>%d</td><td>%llu (%llu to %llu)</td><td>%s</td>"
			   "<td>%s</td><td>%s</td><td>%s</td></tr>\n", p->nruns,
			(unsigned long long)p->failed.median,
			(unsigned long long)p->failed.min,
			(unsigned long long)p->failed.max, t.p50, t.p99, t.idle,
			t.held);
	}
	fputs("</table>\n", f);
}

/* One workload's section: condition, verdict, table, charts. */
static void html_workload(FILE *f, const struct report *w)
{
	struct figures t;
	int i;

	fputs("<h2>", f);
	html_escape(f, w->trace);
	fprintf(f, "</h2>\n<p>Fragmented: %llu MB%s; pool for %s: %llu MiB%s.</p>\n"
		   "<p class=\"verdict\">Verdict: ",
		(unsigned long long)json_path_u64(w->top, "condition.fragment_mb"), harsh(w),
		pool_whose(w),
		(unsigned long long)(json_path_u64(w->top, "condition.pool_bytes") >> 20),
		pool_delegated(w) ? ", delegated up front" : "");
	html_escape(f, verdict(w));
	fputs("</p>\n<table><tr><th>policy</th><th>requests</th><th>served</th>"
	      "<th>failed</th><th>why failed</th><th>p50</th><th>p99</th><th>max</th><th>idle</th>"
	      "<th>held at end</th><th>given up</th><th>largest free order</th>"
	      "<th>delegate calls</th><th>undelegate calls</th></tr>\n", f);
	for (i = 0; i < w->nruns; i++) {
		const struct report_run *r = &w->runs[i];

		figures(&t, r);
		fprintf(f, "<tr><td style=\"color:%s\"><b>", svg_color(i));
		html_escape(f, r->policy);
		fprintf(f, "</b></td><td>%llu</td><td>%llu</td><td>%llu</td><td>",
			(unsigned long long)r->requests, (unsigned long long)r->served,
			(unsigned long long)r->failed);
		reasons(f, r);
		fprintf(f, "</td><td>%s</td>"
			   "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
			   "<td>%d</td><td>%llu</td><td>%llu</td></tr>\n",
			t.p50, t.p99, t.max, t.idle, t.held, t.given_up,
			r->largest_order, (unsigned long long)r->delegates,
			(unsigned long long)r->undelegates);
	}
	fputs("</table>\n", f);
	html_spreads(f, w);
	chart_cdf(f, w);
	chart_shapes(f, w);
	chart_timeline(f, w, "held_bytes", "Memory held by the RMM over the replay", format_bytes_d);
	chart_timeline(f, w, "idle_bytes", "Memory held idle (pool free + cache) over the replay", format_bytes_d);
	chart_timeline(f, w, "failed", "Requests failed so far", svg_fmt_plain);
}

int report_write_html(const char *path, const struct report *w, int n,
		      char *err, size_t len)
{
	struct outfile out;
	int k, ret;
	FILE *f;

	ret = outfile_open(&out, path);
	if (ret) {
		snprintf(err, len, "%s %s", path, outfile_strerror(ret));
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
		html_escape(f, verdict(&w[k]));
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
	for (k = 0; k < n; k++)
		html_workload(f, &w[k]);
	fputs("<p><small>Allocation latency: the time the host's sources took to allocate "
	      "one request's blocks (sro_alloc and sro_alloc_fail events), not the RMM's. "
	      "Made by sroscope " SROSCOPE_VERSION ".</small></p>\n</body></html>\n", f);
	ret = outfile_commit(&out);
	if (ret) {
		snprintf(err, len, "cannot write %s: %s", path, strerror(-ret));
		return -1;
	}
	return 0;
}
