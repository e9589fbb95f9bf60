// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sroscope report (user/cmd/cmd_report.c) on results files: what the replay
 * writes (user/lab/replay.c) is read back, and a damaged file (a field
 * missing or of another type, an object where an array belongs, numbers
 * out of range, JSON cut short) is refused with the file and the field
 * named, never a crash.
 */
#include <fcntl.h>
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

#include "replay.h"
#include "tmpdir.h"

int cmd_report(int argc, char **argv);

static char json[300], html[300], err[4096];

/* A results file as sroscope replay writes it: two runs of leaky. */
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
		json_object_array_add(runs, run);
	}
	json_object_object_add(top, "runs", runs);
	return top;
}

/* sroscope report on @text as a file, its stderr into err; the exit code. */
static int report_text(const char *text, bool with_html)
{
	char *argv[] = { "report", json, "--html", html, NULL };
	int fd, saved_err, saved_out, ret;
	ssize_t n;

	fd = open(json, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	fflush(NULL);
	saved_err = dup(2);
	saved_out = dup(1);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	dup2(open("/dev/null", O_WRONLY), 1);
	ret = cmd_report(with_html ? 4 : 2, argv);
	fflush(NULL);
	dup2(saved_err, 2);
	dup2(saved_out, 1);
	close(saved_err);
	close(saved_out);
	n = pread(fd, err, sizeof(err) - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	close(fd);
	return ret;
}

static int report_json(struct json_object *top, bool with_html)
{
	int ret = report_text(json_object_to_json_string(top), with_html);

	json_object_put(top);
	return ret;
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
	assert_int_equal(report_json(json_object_get(top), true), 0);
	assert_string_equal(err, "");
	assert_int_equal(stat(html, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* Not through a symbolic link: refused, the file it names untouched. */
	snprintf(target, sizeof(target), "%s/target", tmpdir);
	unlink(html);
	assert_int_equal(symlink(target, html), 0);
	assert_int_equal(report_json(top, true), 1);
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
	{ "", "runs", "[1,2,3,4,5,6,7,8,9]", "runs: 9 runs" },
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
		int with_html;

		if (damage[i].value)
			json_object_object_add(o, damage[i].key,
					       json_tokener_parse(damage[i].value));
		else
			json_object_object_del(o, damage[i].key);
		for (with_html = 0; with_html < 2; with_html++) {
			struct json_object *copy = NULL;

			json_object_deep_copy(top, &copy, NULL);
			print_message("%s.%s = %s\n", damage[i].at, damage[i].key,
				      damage[i].value ? damage[i].value : "(none)");
			assert_int_equal(report_json(copy, with_html), 1);
			assert_non_null(strstr(err, json));
			if (!strstr(err, damage[i].said))
				fail_msg("'%s' does not say '%s'", err, damage[i].said);
		}
		json_object_put(top);
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

/* The largest numbers the format allows: read, judged, no overflow. */
static void test_huge_numbers(void **state)
{
	struct json_object *top = results(), *o;

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
	assert_int_equal(report_json(top, true), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_huge_numbers),
	};

	return cmocka_run_group_tests(tests, report_setup, report_teardown);
}
