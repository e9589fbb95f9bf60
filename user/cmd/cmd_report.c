// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sroscope report: the policies of `sroscope replay` side by side, one
 * workload per results file: a table, a one-line verdict, and with
 * --html a self-contained page (user/lab/report.c). Reads files only:
 * runs anywhere, not only where the replay ran.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "report.h"

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
"least memory idle (pool and cache). With several rounds (replay\n"
"--rounds), each figure's median and spread, and a verdict only for a\n"
"policy ahead beyond the others' spread.\n"
"\n"
"EXAMPLES:\n"
"  sroscope report churn.json\n"
"  sroscope report *.json --html report.html\n"
"  sroscope report churn.json --json\n";

static const struct argp_option options[] = {
	{ "html", 'H', "FILE", 0, "Also write a self-contained HTML report" },
	{ "json", 'j', NULL, 0, "The comparison as JSON on stdout" },
	{},
};

static const struct argp_child children[] = {
	{ &help_argp }, {},
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

int cmd_report(int argc, char **argv)
{
	const struct argp argp = {
		.options = options, .parser = parse_opt, .doc = doc,
		.args_doc = "RESULTS.json...", .children = children,
	};
	struct json_object *out;
	struct report *w;
	char err[4096];
	int i, ret = 0;

	memset(&env, 0, sizeof(env));
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 2;
	w = calloc(env.nfiles, sizeof(*w));
	if (!w)
		return 1;
	for (i = 0; i < env.nfiles && !ret; i++)
		if (report_load(&w[i], env.files[i], err, sizeof(err))) {
			fprintf(stderr, "sroscope report: %s\n", err);
			ret = 1;
		}
	if (!ret && env.json) {
		out = report_json(w, env.nfiles);
		puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(out);
	} else if (!ret) {
		for (i = 0; i < env.nfiles; i++)
			report_print(stdout, &w[i]);
	}
	if (!ret && env.html &&
	    report_write_html(env.html, w, env.nfiles, err, sizeof(err))) {
		fprintf(stderr, "sroscope report: %s\n", err);
		ret = 1;
	}
	for (i = 0; i < env.nfiles; i++)
		report_free(&w[i]);
	free(w);
	free(env.files);
	return ret;
}
