// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The report (user/lab/report.c) on results files: what the replay
 * writes (user/lab/replay.c) is read back, judged and shown, and a
 * damaged file (a field missing or of another type, an object where an
 * array belongs, numbers out of range, JSON cut short) is refused with
 * the file and the field named, never a crash. The command's options
 * (user/cmd/cmd_report.c) are tests/host/t-cli.sh's and
 * tests/vm/t-96-replay.sh's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "jsonpath.h"
#include "keep.h"
#include "report.h"
#include "tmpdir.h"

static char json[300], html[300], err[4096];

/*
 * A results file as sroscope replay writes it: two runs of leaky (what
 * cmd_replay.c adds to the library's header and runs included).
 */
static struct json_object *results(void)
{
	struct json_object *top, *runs, *run;
	const char *e = NULL;
	struct replay_stats st;
	struct kstats k = {};
	uint64_t orders[3] = { 5, 0, 1 };
	struct plan p;
	int i;

	assert_int_equal(plan_build("examples/workloads/leaky.srotrace", &p, &e), 0);
	top = replay_header(&p, "examples/workloads/leaky.srotrace", 0, 16 << 20, 0);
	plan_free(&p);
	json_object_object_add(json_path(top, "condition"), "pool_delegated",
			       json_object_new_boolean(0));
	json_object_object_add(json_path(top, "condition"), "fragment_order",
			       json_object_new_int(0));
	runs = json_object_new_array();
	for (i = 0; i < 2; i++) {
		struct sro_event ev[] = {
			{ .type = SRO_EV_OP_START, .op = 1, .cmd = 0xC400015a },
			{ .type = SRO_EV_DONATE_REQ, .op = 1, .size = 4096, .count = 1 },
			{ .type = SRO_EV_ALLOC, .op = 1, .size = 4096, .ns = 100 + i },
			{ .type = SRO_EV_OP_END, .op = 1 },
		};
		size_t j;

		replay_stats_init(&st);
		for (j = 0; j < 4; j++)
			replay_account(&st, &ev[j]);
		replay_sample(&st, 1.5, 4096, 0);
		run = json_object_new_object();
		json_object_object_add(run, "policy", json_object_new_string(i ? "pool" : "exact"));
		replay_results(&st, run, &k, &k, orders, 3);
		replay_stats_free(&st);
		json_object_object_add(run, "pool_delegated", json_object_new_boolean(0));
		json_object_object_add(run, "round", json_object_new_uint64(0));
		json_object_array_add(runs, run);
	}
	json_object_object_add(top, "runs", runs);
	return top;
}

/* @r loaded from @text as a results file: 0, or -1 with err saying why. */
static int load_text(struct report *r, const char *text)
{
	put_file(json, text, 0600);
	err[0] = '\0';
	return report_load(r, json, err, sizeof(err));
}

/* The same from @top (taken). */
static int load_doc(struct report *r, struct json_object *top)
{
	int ret = load_text(r, json_object_to_json_string(top));

	json_object_put(top);
	return ret;
}

/* @text loaded, and with @with_html its page written: 0, or 1 (err). */
static int report_text(const char *text, bool with_html)
{
	struct report r;
	int ret = 0;

	if (load_text(&r, text) ||
	    (with_html && report_write_html(html, &r, 1, err, sizeof(err))))
		ret = 1;
	report_free(&r);
	return ret;
}

static int report_doc(struct json_object *top, bool with_html)
{
	int ret = report_text(json_object_to_json_string(top), with_html);

	json_object_put(top);
	return ret;
}

/* The table `sroscope report` prints for @top (taken); free() it. */
static char *table(struct json_object *top)
{
	struct report r;
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(load_doc(&r, top), 0);
	report_print(f, &r);
	report_free(&r);
	assert_int_equal(fclose(f), 0);
	return text;
}

static int report_setup(void **state)
{
	if (setup(state))
		return -1;
	snprintf(json, sizeof(json), "%s/r.json", tmpdir);
	snprintf(html, sizeof(html), "%s/r.html", tmpdir);
	return 0;
}

static int report_teardown(void **state)
{
	unlink(json);
	unlink(html);
	return teardown(state);
}

static void test_valid(void **state)
{
	char why[256], target[300];
	struct json_object *top = results();
	struct stat st;

	assert_int_equal(replay_results_check(top, why, sizeof(why)), 0);
	keep_json(REPLAY_RESULTS_FORMAT, json_object_to_json_string(top));
	assert_int_equal(report_doc(json_object_get(top), true), 0);
	assert_string_equal(err, "");
	assert_int_equal(stat(html, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* Not through a symbolic link: refused, the file it names untouched. */
	snprintf(target, sizeof(target), "%s/target", tmpdir);
	unlink(html);
	assert_int_equal(symlink(target, html), 0);
	assert_int_equal(report_doc(top, true), 1);
	assert_non_null(strstr(err, "symbolic link"));
	assert_int_equal(access(target, F_OK), -1);
	unlink(html);
}

/* Where to damage a results file, how, and the field the error names. */
static const struct {
	const char *at;		/* dotted path of the object, "" the top */
	const char *key;
	const char *value;	/* JSON text; NULL: remove the field */
	const char *said;
} damage[] = {
	{ "", "trace", NULL, "trace: missing" },
	{ "", "trace", "42", "trace: a string expected, found int" },
	{ "", "runs", "{}", "runs: an array expected, found object" },
	{ "", "runs", "[]", "runs: 0 runs" },
	/* 8 policies of 8 rounds at most */
	{ "", "runs", "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"
	  ",1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]", "runs: 65 runs" },
	{ "", "condition", "[]", "condition: an object expected, found array" },
	{ "condition", "speed", "\"fast\"", "condition.speed: a finite number" },
	{ "condition", "speed", "NaN", "condition.speed: a finite number" },
	{ "condition", "speed", "-1", "condition.speed: a finite number" },
	{ "condition", "speed", "1e400", "condition.speed: a finite number" },
	{ "condition", "pool_bytes", "-4096", "condition.pool_bytes: an integer from 0" },
	{ "recorded", "steps", NULL, "recorded.steps: missing" },
	{ "runs.0", "policy", "null", "runs[0].policy: missing" },
	{ "runs.0", "requests", "1e30", "runs[0].requests: an integer from 0 to 2^64 - 1 expected, found double" },
	{ "runs.0", "shapes", "5", "runs[0].shapes: an array expected, found int" },
	{ "runs.0", "shapes", "[{}]", "runs[0].shapes[0].op: missing" },
	{ "runs.0", "shapes", "[[]]", "runs[0].shapes[0]: an object expected, found array" },
	{ "runs.1", "failed_by_reason", "{\"nomem\": \"x\"}", "runs[1].failed_by_reason.nomem: an integer" },
	{ "runs.1", "failed_by_reason", "[]", "runs[1].failed_by_reason: an object expected" },
	{ "runs.1.timeline", "t_ms", "{\"a\":1}", "runs[1].timeline.t_ms: an array expected, found object" },
	{ "runs.1.timeline", "t_ms", "[1, 2]", "runs[1].timeline.held_bytes: 1 points, t_ms has 2" },
	{ "runs.1.timeline", "held_bytes", "[\"1\"]", "runs[1].timeline.held_bytes[0]: an integer" },
	{ "runs.1.fragmentation", "largest_free_order", "99999999999", "runs[1].fragmentation.largest_free_order: an integer from -1 to 63" },
	{ "runs.1.fragmentation", "free_pages_by_order", "true", "runs[1].fragmentation.free_pages_by_order: an array expected, found boolean" },
	{ "runs.1.idle", "cached_bytes", NULL, "runs[1].idle.cached_bytes: missing" },
	{ "runs.1", "idle", "7", "runs[1].idle: an object expected, found int" },
};

/* The object at dotted @at of @top ("runs.1.timeline"). */
static struct json_object *at(struct json_object *top, const char *at)
{
	char buf[64], *p, *save = NULL;
	struct json_object *o = top;

	snprintf(buf, sizeof(buf), "%s", at);
	for (p = strtok_r(buf, ".", &save); p; p = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, atoi(p));
		else
			assert_true(json_object_object_get_ex(o, p, &o));
	}
	return o;
}

static void test_damaged(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(damage) / sizeof(damage[0]); i++) {
		struct json_object *top = results(), *o = at(top, damage[i].at);
		struct report r;

		if (damage[i].value)
			json_object_object_add(o, damage[i].key,
					       json_tokener_parse(damage[i].value));
		else
			json_object_object_del(o, damage[i].key);
		print_message("%s.%s = %s\n", damage[i].at, damage[i].key,
			      damage[i].value ? damage[i].value : "(none)");
		assert_int_equal(load_doc(&r, top), -1);
		report_free(&r);
		assert_non_null(strstr(err, json));
		if (!strstr(err, damage[i].said))
			fail_msg("'%s' does not say '%s'", err, damage[i].said);
	}
}

/* JSON cut short anywhere, or not JSON at all: an error naming the file. */
static void test_truncated(void **state)
{
	struct json_object *top = results();
	char *text = strdup(json_object_to_json_string(top));
	size_t len = strlen(text), cut;

	json_object_put(top);
	for (cut = 0; cut < len - 1; cut += 1 + cut / 8) {
		char c = text[cut];

		text[cut] = '\0';
		assert_int_equal(report_text(text, true), 1);
		assert_non_null(strstr(err, json));
		text[cut] = c;
	}
	assert_int_equal(report_text("\x7f" "ELF", false), 1);
	assert_int_equal(report_text("[1, 2]", false), 1);
	assert_non_null(strstr(err, "not a sroscope replay results file"));
	assert_int_equal(report_text("{\"format\": 5}", false), 1);
	assert_non_null(strstr(err, "not a sroscope replay results file"));
	free(text);
}

/* The table and verdict, as sroscope report prints them. */
static void test_text(void **state)
{
	struct json_object *top = results();
	char *text;

	json_object_object_add(at(top, "runs.0"), "held_bytes",
			       json_object_new_uint64(1048575));
	json_object_object_add(at(top, "runs.1"), "given_up_bytes",
			       json_object_new_uint64(8192));
	json_object_object_add(at(top, "runs.1.shapes.0"), "ns",
			       json_tokener_parse("[1500000]"));
	text = table(top);
	assert_string_equal(text, "\n"
		"leaky.srotrace (fragmented 0 MB, pool 16 MiB for every policy)\n"
		"POLICY     REQUESTS  SERVED  FAILED        P50        P99        MAX       IDLE   HELD_END  GIVEN_UP MAXORD DELEGATES\n"
		"exact             1       1       0     100 ns     100 ns     100 ns        0 B    1.0 MiB       0 B      2         0\n"
		"pool              1       1       0    1.50 ms    1.50 ms    1.50 ms        0 B        0 B   8.0 KiB      2         0\n"
		"Verdict: exact: none of 1 requests failed, p99 allocation 100 ns, 0 B idle\n");
	free(text);
}

/*
 * Fewest requests failed first; then, within 10% of the best p99, the
 * least memory idle; then the lower p99. Each change on top of those
 * before it.
 */
static void test_verdict(void **state)
{
	static const struct {
		const char *at, *key, *value;
		const char *why;
	} steps[] = {
		{ "runs.0", "policy", "\"exact\"",
		  "exact: none of 1 requests failed, p99 allocation 100 ns, 0 B idle" },
		{ "runs.0.idle", "cached_bytes", "8192",
		  "pool: none of 1 requests failed, p99 allocation 101 ns, 0 B idle" },
		{ "runs.1.shapes.0", "ns", "[111]",
		  "exact: none of 1 requests failed, p99 allocation 100 ns, 8.0 KiB idle" },
		{ "runs.0", "failed", "1",
		  "pool: none of 1 requests failed, p99 allocation 111 ns, 0 B idle" },
		{ "runs.1", "failed", "2",
		  "exact: 1 of 1 requests failed, p99 allocation 100 ns, 8.0 KiB idle" },
		{ "runs.0.shapes.0", "ns", "[1500000]",
		  "exact: 1 of 1 requests failed, p99 allocation 1.50 ms, 8.0 KiB idle" },
	};
	struct json_object *top = results(), *o;
	struct report r;
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		json_object_object_add(at(top, steps[i].at), steps[i].key,
				       json_tokener_parse(steps[i].value));
		assert_int_equal(load_doc(&r, json_object_get(top)), 0);
		assert_string_equal(r.why, steps[i].why);
		o = report_json(&r, 1);
		keep_json(REPORT_JSON_FORMAT, json_object_to_json_string(o));
		assert_string_equal(json_object_get_string(json_path(o, "workloads.0.verdict")),
				    r.runs[r.verdict].policy);
		assert_string_equal(json_object_get_string(json_path(o, "workloads.0.why")), r.why);
		json_object_put(o);
		report_free(&r);
	}
	json_object_put(top);
}

/*
 * Rounds: three runs each of exact and pool, their p99s and idle set per
 * case. A policy wins only beyond the spread; overlapping spreads leave
 * no verdict.
 */
static void test_rounds(void **state)
{
	static const struct {
		const char *exact_ns[3], *pool_ns[3];
		uint64_t pool_idle;
		const char *verdict, *why;
	} cases[] = {
		{ { "[100]", "[110]", "[120]" }, { "[200]", "[210]", "[220]" }, 0, "exact",
		  "exact, beyond the spread of 3 rounds: 0 of 1 requests failed (median), "
		  "p99 allocation 110 ns (100 ns to 120 ns), 0 B (0 B to 0 B) idle" },
		{ { "[100]", "[250]", "[120]" }, { "[200]", "[210]", "[220]" }, 8192, "exact",
		  "exact, beyond the spread of 3 rounds: 0 of 1 requests failed (median), "
		  "p99 allocation 120 ns (100 ns to 250 ns), 0 B (0 B to 0 B) idle" },
		{ { "[100]", "[250]", "[120]" }, { "[200]", "[210]", "[220]" }, 0, "",
		  "none: exact, pool differ by less than their spread over 3 rounds" },
	};
	size_t c, i;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct json_object *top = results(), *runs, *o;
		struct report r;
		char *text;

		/* Six runs: the file's two, then copies, in rotated rounds. */
		runs = at(top, "runs");
		for (i = 0; i < 4; i++)
			json_object_array_add(runs, json_object_get(
				json_object_array_get_idx(runs, i)));
		for (i = 0; i < 6; i++) {
			struct json_object *run = NULL;
			const char *ns;

			assert_int_equal(json_object_deep_copy(
				json_object_array_get_idx(runs, i), &run, NULL), 0);
			json_object_array_put_idx(runs, i, run);
			json_object_object_add(run, "round", json_object_new_uint64(i / 2));
			ns = i % 2 ? cases[c].pool_ns[i / 2] : cases[c].exact_ns[i / 2];
			json_object_object_add(at(run, "shapes.0"), "ns",
					       json_tokener_parse(ns));
			if (i % 2)
				json_object_object_add(at(run, "idle"), "cached_bytes",
						       json_object_new_uint64(cases[c].pool_idle));
		}
		assert_int_equal(load_doc(&r, top), 0);
		assert_int_equal(r.rounds, 3);
		assert_int_equal(r.npolicies, 2);
		assert_string_equal(r.why, cases[c].why);
		o = report_json(&r, 1);
		keep_json(REPORT_JSON_FORMAT, json_object_to_json_string(o));
		assert_string_equal(json_object_get_string(json_path(o, "workloads.0.verdict")),
				    cases[c].verdict);
		assert_int_equal(json_path_u64(o, "workloads.0.policies.1.p99_ns.min"), 200);
		assert_int_equal(json_path_u64(o, "workloads.0.policies.1.p99_ns.median"), 210);
		json_object_put(o);
		text = NULL;
		{
			size_t len;
			FILE *f = open_memstream(&text, &len);

			report_print(f, &r);
			fclose(f);
		}
		assert_non_null(strstr(text, "Over 3 rounds, median (least to most):"));
		free(text);
		report_free(&r);
	}
}

/* The largest numbers the format allows: read, judged, shown, no overflow. */
static void test_huge_numbers(void **state)
{
	struct json_object *top = results(), *o;
	char *text;

	o = at(top, "runs.0");
	json_object_object_add(o, "requests", json_object_new_uint64(UINT64_MAX));
	json_object_object_add(o, "held_bytes", json_object_new_uint64(UINT64_MAX));
	json_object_object_add(at(top, "runs.0.idle"), "cached_bytes",
			       json_object_new_uint64(UINT64_MAX));
	json_object_object_add(at(top, "runs.0.shapes.0"), "ns",
			       json_tokener_parse("[18446744073709551615, 0]"));
	json_object_object_add(at(top, "runs.1.shapes.0"), "ns",
			       json_tokener_parse("[18446744073709551615]"));
	json_object_object_add(at(top, "runs.1"), "duration_ms",
			       json_object_new_double(1e300));
	json_object_object_add(at(top, "runs.1.timeline"), "t_ms",
			       json_tokener_parse("[1e300]"));
	assert_int_equal(report_doc(json_object_get(top), true), 0);
	text = table(top);
	assert_non_null(strstr(text, " 18446744073709551615 "));
	assert_non_null(strstr(text, "18446744073.71 s"));
	assert_non_null(strstr(text, "16.0 EiB"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_rounds),
		cmocka_unit_test(test_huge_numbers),
	};

	return cmocka_run_group_tests(tests, report_setup, report_teardown);
}
