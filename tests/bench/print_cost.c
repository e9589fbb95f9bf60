// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What printing one event costs `sroscope trace` in user space, natively:
 * the REC lives of bpf_cost (102 events each: op_start, donate_req, 16 x
 * alloc/delegate/donate, donate_result, op_end, 16 x reclaim/undelegate/
 * free, op_end), each event turned into its line and written to
 * /dev/null through stdio as trace does (a flush per 4,096 events, as a
 * poll would), text and --json side by side in rotated rounds; median
 * ns per event of ROUNDS rounds. With a FILE argument it also writes the
 * same events as a trace file (for timing whole `sroscope trace FILE`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

#include "format.h"
#include "tracefile.h"

#define LIVES	2000
#define ROUNDS	11
#define PER_LIFE	102

static struct sro_event ev[LIVES * PER_LIFE];
static size_t nev;

static void add(const struct sro_event *tmpl, int type, uint64_t *ts)
{
	struct sro_event *e = &ev[nev++];

	*e = *tmpl;
	e->type = type;
	e->ts = (*ts += 1733);
}

static void make_events(void)
{
	struct sro_event t = {
		.realm = 60, .cmd = 0xC400015a, .size = 4096, .cpu = 1,
		.source = SRO_SRC_EXACT, .purpose = SRO_PURPOSE_REC,
	};
	uint64_t ts = 1000000000ULL;
	int l, i;

	for (l = 0; l < LIVES; l++) {
		t.op = 2 * l + 1;
		add(&t, SRO_EV_OP_START, &ts);
		t.addr = 0x40000000ULL + l * 0x10000;
		t.count = 16;
		t.size = 16 * 4096;
		add(&t, SRO_EV_DONATE_REQ, &ts);
		t.size = 4096;
		for (i = 0; i < 16; i++) {
			t.addr = 0x80000000ULL + (l * 16 + i) * 4096ULL;
			t.ns = 812 + i;
			add(&t, SRO_EV_ALLOC, &ts);
			add(&t, SRO_EV_DELEGATE, &ts);
			add(&t, SRO_EV_DONATE, &ts);
		}
		add(&t, SRO_EV_DONATE_RESULT, &ts);
		add(&t, SRO_EV_OP_END, &ts);
		t.op++;
		for (i = 0; i < 16; i++) {
			t.addr = 0x80000000ULL + (l * 16 + i) * 4096ULL;
			add(&t, SRO_EV_RECLAIM, &ts);
			t.flags = SRO_F_UNDELEGATE;
			add(&t, SRO_EV_DELEGATE, &ts);
			t.flags = 0;
			add(&t, SRO_EV_FREE, &ts);
		}
		add(&t, SRO_EV_OP_END, &ts);
	}
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void print_text(FILE *out)
{
	char line[FORMAT_LINE_MAX];
	size_t i;

	for (i = 0; i < nev; i++) {
		fwrite(line, 1, format_event_line(line, sizeof(line), &ev[i], 0), out);
		if (i % 4096 == 4095)
			fflush(out);
	}
	fflush(out);
}

static void print_json(FILE *out)
{
	struct json_object *o;
	size_t i;

	for (i = 0; i < nev; i++) {
		o = format_event_json(&ev[i]);
		if (!o)
			exit(1);
		fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN), out);
		fputc('\n', out);
		json_object_put(o);
		if (i % 4096 == 4095)
			fflush(out);
	}
	fflush(out);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int write_trace(const char *path)
{
	struct trace_info info = { .start_ts = 1000000000ULL };
	struct trace_writer *w = trace_writer_open(path, &info, TRACE_OVERWRITE);
	size_t i;

	if (!w) {
		perror(path);
		return 1;
	}
	for (i = 0; i < nev; i++) {
		if (trace_writer_add(w, &ev[i])) {
			fprintf(stderr, "print_cost: event %zu refused\n", i);
			trace_writer_close(w, NULL);
			return 1;
		}
	}
	return trace_writer_close(w, NULL) ? 1 : 0;
}

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	double text[ROUNDS], json[ROUNDS], t;
	FILE *out = fopen("/dev/null", "w");
	int r;

	make_events();
	if (argc > 1)
		return write_trace(argv[1]);
	if (!out || setvbuf(out, buf, _IOFBF, sizeof(buf)))
		return 1;
	print_text(out);	/* warm up */
	for (r = 0; r < ROUNDS; r++) {
		if (r & 1) {
			t = now_ns(), print_json(out), json[r] = (now_ns() - t) / nev;
			t = now_ns(), print_text(out), text[r] = (now_ns() - t) / nev;
		} else {
			t = now_ns(), print_text(out), text[r] = (now_ns() - t) / nev;
			t = now_ns(), print_json(out), json[r] = (now_ns() - t) / nev;
		}
	}
	qsort(text, ROUNDS, sizeof(double), cmp_double);
	qsort(json, ROUNDS, sizeof(double), cmp_double);
	printf("## Printing an event in user space (native, `sroscope trace`)\n\n");
	printf("%zu events of REC lives, each formatted and written to /dev/null\n"
	       "through stdio; median of %d rounds, text and JSON in turns.\n\n",
	       nev, ROUNDS);
	printf("| output | ns per event |\n|---|---|\n");
	printf("| text line (format_event_line) | %.1f |\n", text[ROUNDS / 2]);
	printf("| --json line (json-c) | %.1f |\n", json[ROUNDS / 2]);
	return 0;
}
