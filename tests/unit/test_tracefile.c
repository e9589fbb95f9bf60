// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The trace file (user/lib/tracefile.c): round trips, and a reader that turns
 * every kind of damage into an error with an offset. Bad files are built
 * byte by byte from docs/trace-file.md, not with the writer, so the test
 * also holds the format to its description.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "keep.h"
#include "tmpdir.h"
#include "tracefile.h"

#define HDR	160	/* header bytes */
#define BHDR	16	/* block header bytes */
#define REC0	(HDR + BHDR)	/* offset of the first record */

static unsigned char *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	unsigned char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n ? n : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, f), n);
	fclose(f);
	*len = n;
	return buf;
}

static off_t file_size(const char *p)
{
	struct stat st;

	assert_int_equal(stat(p, &st), 0);
	return st.st_size;
}

static const struct trace_info info = {
	.start_ts = 123456789,
	.start_realtime_ns = 1700000000000000000ULL,
	.kernel = "6.12.0-sro",
	.host = "vm",
};

#define assert_event_equal(a, b) do {				\
	assert_int_equal((a)->type, (b)->type);			\
	assert_int_equal((a)->ts, (b)->ts);			\
	assert_int_equal((a)->cpu, (b)->cpu);			\
	assert_int_equal((a)->op, (b)->op);			\
	assert_int_equal((a)->addr, (b)->addr);			\
	assert_int_equal((a)->size, (b)->size);			\
	assert_int_equal((a)->ns, (b)->ns);			\
	assert_int_equal((a)->aux, (b)->aux);			\
	assert_int_equal((a)->aux2, (b)->aux2);			\
	assert_int_equal((a)->realm, (b)->realm);		\
	assert_int_equal((a)->cmd, (b)->cmd);			\
	assert_int_equal((a)->status, (b)->status);		\
	assert_int_equal((a)->count, (b)->count);		\
	assert_int_equal((a)->source, (b)->source);		\
	assert_int_equal((a)->purpose, (b)->purpose);		\
	assert_int_equal((a)->state, (b)->state);		\
	assert_int_equal((a)->level, (b)->level);		\
	assert_int_equal((a)->flags, (b)->flags);		\
} while (0)

static void write_events(const struct sro_event *ev, int n,
			 const struct trace_totals *t)
{
	struct trace_writer *w = trace_writer_open(path, &info, TRACE_OVERWRITE);
	int i;

	assert_non_null(w);
	for (i = 0; i < n; i++)
		assert_int_equal(trace_writer_add(w, &ev[i]), 0);
	assert_int_equal(trace_writer_close(w, t), 0);
}

/* Read @r to its end into @ev (at most @max); returns the last result. */
static int read_events(struct trace_reader *r, struct sro_event *ev, int max,
		       int *n)
{
	struct sro_event e;
	int ret;

	*n = 0;
	while ((ret = trace_reader_next(r, &e)) == 1) {
		if (*n < max)
			ev[*n] = e;
		(*n)++;
	}
	return ret;
}

/* The file at path, for `sroscope trace FILE --json` in t-schemas.sh. */
static void keep_trace(void)
{
	size_t len;
	unsigned char *buf = slurp(path, &len);

	keep_output("srotrace", ".srotrace", buf, len);
	free(buf);
}

/* Every field a type has, set to the largest value it may take. */
static struct sro_event extreme(unsigned int type)
{
	struct sro_event e = {
		.type = type, .cpu = TRACE_CPU_MAX - 1, .op = UINT64_MAX,
		.realm = UINT32_MAX, .cmd = UINT32_MAX, .addr = UINT64_MAX,
		.size = UINT64_MAX, .ns = UINT64_MAX, .aux = UINT64_MAX,
		.aux2 = UINT64_MAX, .status = INT32_MIN, .count = UINT32_MAX,
		.source = SRO_SRC_NR - 1, .purpose = SRO_PURPOSE_NR - 1,
		.state = 1, .level = 3, .flags = SRO_F_ALL,
	};

	switch (type) {
	case SRO_EV_DONATE_REQ:
		e.flags = SRO_F_CONTIG;
		e.count = (1U << 25) - 1;
		e.size = (uint64_t)e.count << 39;
		break;
	case SRO_EV_ALLOC:
		e.flags = SRO_F_FALLBACK;
		e.size = UINT64_MAX & ~4095ULL;
		break;
	case SRO_EV_RECLAIM:
		e.flags = SRO_F_UNKNOWN;
		/* fallthrough */
	case SRO_EV_DONATE:
	case SRO_EV_LEAK:
	case SRO_EV_QUARANTINE:
		e.size = UINT64_MAX & ~4095ULL;
		break;
	case SRO_EV_FREE:
		e.size = UINT64_MAX & ~4095ULL;
		e.status = SRO_FREE_NR - 1;
		break;
	case SRO_EV_ALLOC_FAIL:
	case SRO_EV_FAIL:
		e.status = SRO_FAIL_NR - 1;
		break;
	case SRO_EV_OP_END:
		e.flags = SRO_F_CANCELLED;
		break;
	case SRO_EV_DELEGATE:
		e.flags = SRO_F_UNDELEGATE;
		break;
	}
	return e;
}

/* The fields each type keeps, as the table of docs/trace-file.md lists them. */
static const char *const kept[SRO_EV_NR] = {
	[SRO_EV_OP_START] = "op realm cmd",
	[SRO_EV_OP_END] = "op realm cmd ns status count flags",
	[SRO_EV_DONATE_REQ] = "op realm cmd addr size count state level flags",
	[SRO_EV_ALLOC] = "op realm cmd addr size ns count source purpose flags",
	[SRO_EV_ALLOC_FAIL] = "op realm cmd size ns status count source purpose",
	[SRO_EV_DONATE] = "op realm cmd addr size source purpose state",
	[SRO_EV_DONATE_RESULT] = "op realm cmd size aux aux2 count",
	[SRO_EV_RECLAIM] = "op realm cmd addr size ns source purpose state flags",
	[SRO_EV_FREE] = "op realm cmd addr size status source",
	[SRO_EV_LEAK] = "op realm cmd addr size status source",
	[SRO_EV_DELEGATE] = "addr size status count flags",
	[SRO_EV_FAIL] = "op realm cmd addr status",
	[SRO_EV_QUARANTINE] = "op realm cmd addr size status count source",
};

#define FIELD(f)	{ #f, offsetof(struct sro_event, f), \
			  sizeof(((struct sro_event *)0)->f) }

static const struct {
	const char *name;
	size_t off, size;
} fields[] = {
	FIELD(op), FIELD(realm), FIELD(cmd), FIELD(addr), FIELD(size),
	FIELD(ns), FIELD(aux), FIELD(aux2), FIELD(status), FIELD(count),
	FIELD(source), FIELD(purpose), FIELD(state), FIELD(level),
	FIELD(flags),
};

/* What @e reads back as: the fields its type does not have, 0. */
static struct sro_event kept_of(const struct sro_event *e)
{
	struct sro_event k = { .type = e->type, .ts = e->ts, .cpu = e->cpu };
	char names[128], *name, *save;
	size_t i, found;

	snprintf(names, sizeof(names), "%s", kept[e->type]);
	for (name = strtok_r(names, " ", &save); name;
	     name = strtok_r(NULL, " ", &save)) {
		for (i = 0, found = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			if (strcmp(fields[i].name, name))
				continue;
			memcpy((char *)&k + fields[i].off,
			       (const char *)e + fields[i].off, fields[i].size);
			found = 1;
		}
		assert_int_equal(found, 1);
	}
	return k;
}

/* A small host's story: one of each event type, with plain values. */
static const struct sro_event story[] = {
	{ .type = SRO_EV_OP_START, .ts = 1000, .op = 14, .realm = 7,
	  .cmd = 0xC400015a },
	{ .type = SRO_EV_DONATE_REQ, .ts = 1100, .cpu = 1, .op = 14,
	  .realm = 7, .cmd = 0xC400015a, .addr = 0x20004, .level = 0,
	  .count = 1, .size = 4096 },
	{ .type = SRO_EV_ALLOC, .ts = 1200, .op = 14, .realm = 7,
	  .cmd = 0xC400015a, .addr = 0x672b000, .size = 4096,
	  .source = SRO_SRC_EXACT, .ns = 812 },
	{ .type = SRO_EV_ALLOC_FAIL, .ts = 1250, .op = 14, .realm = 7,
	  .size = 1 << 21, .count = 9, .source = SRO_SRC_CONTIG,
	  .status = SRO_FAIL_NOMEM, .ns = 5000 },
	{ .type = SRO_EV_DONATE, .ts = 1300, .op = 14, .realm = 7,
	  .cmd = 0xC400015a, .addr = 0x672b000, .size = 4096 },
	{ .type = SRO_EV_DONATE_RESULT, .ts = 1400, .op = 14, .realm = 7,
	  .count = 1, .size = 1, .aux = 1, .aux2 = 0 },
	{ .type = SRO_EV_OP_END, .ts = 1500, .op = 14, .realm = 7,
	  .cmd = 0xC400015a, .count = 1, .ns = 500, .status = -125,
	  .flags = SRO_F_CANCELLED },
	{ .type = SRO_EV_DELEGATE, .ts = 1600, .addr = 0x9000,
	  .size = 8192, .count = 2, .status = -1,
	  .flags = SRO_F_UNDELEGATE },
	{ .type = SRO_EV_RECLAIM, .ts = 2000, .cpu = 3, .op = 20,
	  .realm = 7, .addr = 0x672b000, .size = 4096, .ns = 700,
	  .purpose = SRO_PURPOSE_REC, .state = 1 },
	{ .type = SRO_EV_FREE, .ts = 2100, .op = 20, .realm = 7,
	  .addr = 0x672b000, .size = 4096, .status = SRO_FREE_RECLAIM },
	{ .type = SRO_EV_LEAK, .ts = 2200, .op = 20, .realm = 7,
	  .addr = 0x1000, .size = 4096, .status = -16,
	  .source = SRO_SRC_POOL },
	{ .type = SRO_EV_FAIL, .ts = 2300, .op = 20, .realm = 7,
	  .cmd = 0xC4000159, .status = SRO_FAIL_BAD_RECLAIM,
	  .addr = 0xdead000 },
};
#define NSTORY	(int)(sizeof(story) / sizeof(story[0]))

static void test_round_trip_story(void **state)
{
	struct trace_totals t = { .losses = { 1, 2, 3, 4, UINT64_MAX },
				  .recursion_misses = 9 };
	const struct trace_totals *got;
	struct sro_event ev[NSTORY + 1];
	struct trace_reader *r;
	int i, n;

	write_events(story, NSTORY, &t);
	keep_trace();
	r = trace_reader_open(path);
	assert_non_null(r);
	assert_null(trace_reader_error(r));
	assert_int_equal(trace_reader_info(r)->version, 1);
	assert_int_equal(trace_reader_info(r)->start_ts, 123456789);
	assert_int_equal(trace_reader_info(r)->start_realtime_ns,
			 1700000000000000000ULL);
	assert_string_equal(trace_reader_info(r)->kernel, "6.12.0-sro");
	assert_string_equal(trace_reader_info(r)->host, "vm");
	assert_null(trace_reader_totals(r));
	assert_int_equal(read_events(r, ev, NSTORY + 1, &n), 0);
	assert_int_equal(n, NSTORY);
	for (i = 0; i < NSTORY; i++)
		assert_event_equal(&ev[i], &story[i]);
	got = trace_reader_totals(r);
	assert_non_null(got);
	assert_int_equal(got->events, NSTORY);
	for (i = 0; i < SRO_LOSS_NR; i++)
		assert_int_equal(got->losses[i], t.losses[i]);
	assert_int_equal(got->recursion_misses, 9);
	/* The end stays the end. */
	assert_int_equal(trace_reader_next(r, &ev[0]), 0);
	assert_null(trace_reader_error(r));
	trace_reader_close(r);
}

/* Every type at its extremes, the fields it lacks full of junk. */
static void test_round_trip_extremes(void **state)
{
	struct sro_event in[2 * SRO_EV_NR], want[2 * SRO_EV_NR];
	struct sro_event got[2 * SRO_EV_NR];
	struct trace_reader *r;
	int t, n = 0, i, nread;

	for (t = 1; t < SRO_EV_NR; t++) {
		/* ts jumps between both ends: the largest deltas either way */
		in[n] = extreme(t);
		in[n].ts = UINT64_MAX;
		want[n] = kept_of(&in[n]);
		n++;
		in[n] = extreme(t);
		in[n].ts = 0;
		in[n].cpu = 0;
		want[n] = kept_of(&in[n]);
		n++;
	}
	write_events(in, n, NULL);
	keep_trace();
	r = trace_reader_open(path);
	assert_int_equal(read_events(r, got, n, &nread), 0);
	assert_int_equal(nread, n);
	for (i = 0; i < n; i++)
		assert_event_equal(&got[i], &want[i]);
	assert_int_equal(trace_reader_totals(r)->recursion_misses, 0);
	assert_int_equal(trace_reader_totals(r)->losses[0], 0);
	trace_reader_close(r);
}

static void test_out_of_order_ts(void **state)
{
	static const uint64_t ts[] = {
		1000, 999, 5000, 10, UINT64_MAX, 0, 1, 1, UINT64_MAX - 1,
		1ULL << 63, (1ULL << 63) - 1,
	};
	struct sro_event in[11], got[11];
	struct trace_reader *r;
	int i, n;

	for (i = 0; i < 11; i++)
		in[i] = (struct sro_event){ .type = SRO_EV_OP_START,
					    .ts = ts[i], .cpu = i % 2 };
	write_events(in, 11, NULL);
	r = trace_reader_open(path);
	assert_int_equal(read_events(r, got, 11, &n), 0);
	assert_int_equal(n, 11);
	for (i = 0; i < 11; i++)
		assert_event_equal(&got[i], &in[i]);
	trace_reader_close(r);
}

/* Enough events for many blocks; each comes back in order. */
static void test_many_blocks(void **state)
{
	struct trace_writer *w = trace_writer_open(path, &info, TRACE_OVERWRITE);
	struct sro_event e = story[4], got;
	struct trace_reader *r;
	unsigned int i, n = 100000;

	assert_non_null(w);
	for (i = 0; i < n; i++) {
		e.ts = 1000 + i * 3;
		e.addr = 0x100000000ULL + i * 4096ULL;
		assert_int_equal(trace_writer_add(w, &e), 0);
	}
	assert_int_equal(trace_writer_close(w, NULL), 0);
	/* many blocks, each at most 64 KiB of payload */
	assert_true(file_size(path) > 3 * TRACE_BLOCK_MAX);
	r = trace_reader_open(path);
	for (i = 0; i < n; i++) {
		assert_int_equal(trace_reader_next(r, &got), 1);
		assert_int_equal(got.ts, 1000 + i * 3);
		assert_int_equal(got.addr, 0x100000000ULL + i * 4096ULL);
	}
	assert_int_equal(trace_reader_next(r, &got), 0);
	assert_int_equal(trace_reader_totals(r)->events, n);
	trace_reader_close(r);
}

static void test_writer_refuses_invalid(void **state)
{
	struct trace_writer *w = trace_writer_open(path, &info, TRACE_OVERWRITE);
	struct sro_event bad[] = {
		{ .type = 0 },
		{ .type = SRO_EV_NR },
		{ .type = SRO_EV_OP_START, .cpu = TRACE_CPU_MAX },
		{ .type = SRO_EV_DONATE, .size = 4097 },
		{ .type = SRO_EV_DONATE, .size = 4096, .source = SRO_SRC_NR },
		{ .type = SRO_EV_DONATE_REQ, .level = 1, .count = 1,
		  .size = 4096 },
		{ .type = SRO_EV_OP_END, .flags = SRO_F_CONTIG },
		{ .type = SRO_EV_FREE, .size = 4096, .status = SRO_FREE_NR },
	};
	struct sro_event ok = { .type = SRO_EV_OP_START, .ts = 5 }, got;
	struct trace_reader *r;
	size_t i;

	assert_non_null(w);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(trace_writer_add(w, &bad[i]), -EINVAL);
	assert_int_equal(trace_writer_add(w, &ok), 0);
	assert_int_equal(trace_writer_close(w, NULL), 0);
	r = trace_reader_open(path);
	assert_int_equal(trace_reader_next(r, &got), 1);
	assert_event_equal(&got, &ok);
	assert_int_equal(trace_reader_next(r, &got), 0);
	assert_int_equal(trace_reader_totals(r)->events, 1);
	trace_reader_close(r);
}

static void test_long_names_truncated(void **state)
{
	struct trace_info li = { .start_ts = 1 };
	struct trace_writer *w;
	struct trace_reader *r;
	struct sro_event e;

	memset(li.kernel, 'k', sizeof(li.kernel));	/* no NUL at all */
	memset(li.host, 'h', sizeof(li.host) - 1);
	w = trace_writer_open(path, &li, TRACE_OVERWRITE);
	assert_non_null(w);
	assert_int_equal(trace_writer_close(w, NULL), 0);
	r = trace_reader_open(path);
	assert_int_equal(trace_reader_next(r, &e), 0);
	assert_int_equal(strlen(trace_reader_info(r)->kernel), 63);
	assert_int_equal(strlen(trace_reader_info(r)->host), 63);
	assert_int_equal(trace_reader_totals(r)->events, 0);
	trace_reader_close(r);
}

/* @p holds exactly @text. */
static void assert_holds(const char *p, const char *text)
{
	size_t len;
	unsigned char *buf = slurp(p, &len);

	assert_int_equal(len, strlen(text));
	assert_memory_equal(buf, text, len);
	free(buf);
}

/*
 * A trace holds physical addresses: created 0600 whatever the umask
 * allows, never through a symbolic link, an existing file replaced only
 * when asked, and then unlinked, not truncated (its other links keep it).
 */
static void test_create_private(void **state)
{
	char target[300], slink[300], other[300];
	struct trace_writer *w;

	snprintf(target, sizeof(target), "%s/target", tmpdir);
	snprintf(slink, sizeof(slink), "%s/link", tmpdir);
	snprintf(other, sizeof(other), "%s/other", tmpdir);
	unlink(path);
	umask(0);
	w = trace_writer_open(path, &info, 0);
	umask(022);
	assert_non_null(w);
	assert_int_equal(trace_writer_close(w, NULL), 0);
	assert_int_equal(file_mode(path), 0600);

	/* An existing file: refused, untouched, unless overwriting. */
	put_file(path, "old", 0644);
	assert_int_equal(link(path, other), 0);
	assert_null(trace_writer_open(path, &info, 0));
	assert_int_equal(errno, EEXIST);
	assert_holds(path, "old");
	w = trace_writer_open(path, &info, TRACE_OVERWRITE);
	assert_non_null(w);
	assert_int_equal(trace_writer_close(w, NULL), 0);
	assert_int_equal(file_mode(path), 0600);
	assert_int_equal(file_size(path), 160 + 16 + 24 + 8 * SRO_LOSS_NR);
	assert_holds(other, "old");

	/* A symbolic link, to a file or to nothing: refused, even overwriting. */
	put_file(target, "precious", 0644);
	assert_int_equal(symlink(target, slink), 0);
	assert_null(trace_writer_open(slink, &info, 0));
	assert_int_equal(errno, ELOOP);
	assert_null(trace_writer_open(slink, &info, TRACE_OVERWRITE));
	assert_int_equal(errno, ELOOP);
	assert_holds(target, "precious");
	assert_int_equal(file_mode(target), 0644);
	unlink(target);
	assert_null(trace_writer_open(slink, &info, TRACE_OVERWRITE));
	assert_int_equal(errno, ELOOP);
	assert_int_equal(access(target, F_OK), -1);

	/* A directory. */
	assert_null(trace_writer_open(tmpdir, &info, TRACE_OVERWRITE));
	assert_int_equal(errno, EISDIR);
	unlink(slink);
	unlink(other);
}

static void test_open_errors(void **state)
{
	struct trace_reader *r;
	struct sro_event e;
	char want[300];

	assert_null(trace_writer_open("/nonexistent/dir/f", &info, 0));
	assert_int_equal(errno, ENOENT);
	r = trace_reader_open("/nonexistent/f");
	assert_non_null(r);
	assert_int_equal(trace_reader_next(r, &e), -1);
	assert_string_equal(trace_reader_error(r),
			    "/nonexistent/f: No such file or directory");
	assert_int_equal(trace_reader_info(r)->version, 0);
	assert_null(trace_reader_totals(r));
	trace_reader_close(r);

	/* A file that is only a header: the writer died at once. */
	write_events(NULL, 0, NULL);
	assert_int_equal(truncate(path, HDR), 0);
	r = trace_reader_open(path);
	assert_int_equal(trace_reader_next(r, &e), -1);
	snprintf(want, sizeof(want), "%s: offset 160: truncated: no trailer", path);
	assert_string_equal(trace_reader_error(r), want);
	/* An error stays. */
	assert_int_equal(trace_reader_next(r, &e), -1);
	trace_reader_close(r);
}

/*
 * Three blocks (2, 3 and 1 events) and the trailer; cut the file at every
 * byte: an error that says "truncated", and the events of every block
 * that ended before the cut.
 */
static void test_truncation_everywhere(void **state)
{
	struct trace_writer *w = trace_writer_open(path, &info, TRACE_OVERWRITE);
	static const int groups[] = { 2, 3, 1 };
	off_t ends[3];
	struct sro_event got[NSTORY];
	struct trace_reader *r;
	unsigned char *buf;
	int g, i, k = 0, n, want, ret;
	size_t len, cut;

	assert_non_null(w);
	for (g = 0; g < 3; g++) {
		for (i = 0; i < groups[g]; i++)
			assert_int_equal(trace_writer_add(w, &story[k++]), 0);
		assert_int_equal(trace_writer_flush(w), 0);
		ends[g] = file_size(path);
	}
	assert_true(ends[0] > HDR && ends[1] > ends[0] && ends[2] > ends[1]);
	assert_int_equal(trace_writer_close(w, NULL), 0);
	buf = slurp(path, &len);
	assert_true(len > (size_t)ends[2]);

	for (cut = 0; cut < len; cut++) {
		r = trace_reader_open_mem(buf, cut);
		assert_non_null(r);
		ret = read_events(r, got, NSTORY, &n);
		assert_int_equal(ret, -1);
		assert_non_null(strstr(trace_reader_error(r), "truncated"));
		/* A cut after the header: the intact blocks are a trace. */
		assert_int_equal(trace_reader_truncated(r), cut >= HDR);
		for (g = 0, want = 0; g < 3 && (size_t)ends[g] <= cut; g++)
			want += groups[g];
		assert_int_equal(n, want);
		for (i = 0; i < n; i++)
			assert_event_equal(&got[i], &story[i]);
		trace_reader_close(r);
	}
	r = trace_reader_open_mem(buf, len);
	assert_int_equal(read_events(r, got, NSTORY, &n), 0);
	assert_int_equal(n, 6);
	trace_reader_close(r);
	free(buf);
}

static void test_flipped_byte(void **state)
{
	struct trace_writer *w = trace_writer_open(path, &info, TRACE_OVERWRITE);
	struct sro_event got[NSTORY];
	struct trace_reader *r;
	unsigned char *buf;
	char want[64];
	off_t end0;
	size_t len;
	int n;

	assert_non_null(w);
	assert_int_equal(trace_writer_add(w, &story[0]), 0);
	assert_int_equal(trace_writer_flush(w), 0);
	end0 = file_size(path);
	assert_int_equal(trace_writer_add(w, &story[1]), 0);
	assert_int_equal(trace_writer_close(w, NULL), 0);
	buf = slurp(path, &len);
	buf[end0 + BHDR + 3] ^= 0x40;	/* in the second block's record */
	r = trace_reader_open_mem(buf, len);
	assert_int_equal(read_events(r, got, NSTORY, &n), -1);
	assert_int_equal(n, 1);
	snprintf(want, sizeof(want), "(memory): offset %lld: block CRC mismatch",
		 (long long)end0);
	assert_memory_equal(trace_reader_error(r), want, strlen(want));
	assert_false(trace_reader_truncated(r));
	trace_reader_close(r);
	free(buf);
}

/* Test-only encoder, from docs/trace-file.md. */
static unsigned char file[1 << 18];

static void le(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = v >> (8 * i);
}

static size_t put_header(unsigned char *p, uint16_t version, uint16_t size)
{
	memset(p, 0, size);
	memcpy(p, "SROTRACE", 8);
	le(p + 8, version, 2);
	le(p + 10, size, 2);
	le(p + 16, 42, 8);
	strcpy((char *)p + 32, "6.12");
	strcpy((char *)p + 96, "vm");
	return size;
}

static size_t put_block(unsigned char *p, const char *tag,
			const unsigned char *payload, uint32_t len,
			uint32_t count)
{
	memcpy(p, tag, 4);
	le(p + 4, len, 4);
	le(p + 8, count, 4);
	le(p + 12, crc32(0, payload, len), 4);
	memmove(p + BHDR, payload, len);
	return BHDR + len;
}

static size_t put_trailer(unsigned char *p, uint64_t events, uint32_t nloss)
{
	unsigned char t[24 + 8 * 16] = {};
	uint32_t i;

	le(t, events, 8);
	le(t + 8, 77, 8);
	le(t + 16, nloss, 4);
	for (i = 0; i < nloss; i++)
		le(t + 24 + 8 * i, 100 + i, 8);
	return put_block(p, "TEND", t, 24 + 8 * nloss, 0);
}

static size_t put_varint(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	do {
		p[n] = v & 0x7f;
		v >>= 7;
		if (v)
			p[n] |= 0x80;
		n++;
	} while (v);
	return n;
}

static int varint_len(uint64_t v)
{
	unsigned char b[10];

	return put_varint(b, v);
}

/* zigzag, as a constant expression for the tables below */
#define zz(v)	((uint64_t)(int64_t)(v) << 1 ^ ((int64_t)(v) < 0 ? UINT64_MAX : 0))

/* A file of one block holding @payload as @count records, then a trailer. */
static size_t craft(const unsigned char *payload, size_t len, uint32_t count,
		    uint64_t events)
{
	size_t n = put_header(file, 1, HDR);

	n += put_block(file + n, "EVTS", payload, len, count);
	return n + put_trailer(file + n, events, SRO_LOSS_NR);
}

/* Read @len bytes of file: the error, or NULL after a clean end. */
static char err[512];

static const char *read_crafted(size_t len, int *nevents)
{
	struct trace_reader *r = trace_reader_open_mem(file, len);
	struct sro_event e;
	int ret, n = 0;

	assert_non_null(r);
	while ((ret = trace_reader_next(r, &e)) == 1)
		n++;
	if (nevents)
		*nevents = n;
	if (ret == 0) {
		assert_null(trace_reader_error(r));
		trace_reader_close(r);
		return NULL;
	}
	assert_int_equal(ret, -1);
	snprintf(err, sizeof(err), "%s", trace_reader_error(r));
	trace_reader_close(r);
	return err;
}

/*
 * One bad record: a type byte, then varints (ts, cpu, the type's fields
 * in record order). @bad: index of the value the error is about (its
 * offset is in the message), 0 for the record as a whole.
 */
struct bad_record {
	const char *msg;
	int bad;
	int n;
	uint64_t v[16];
};

#define R(msg, bad, ...) { msg, bad, \
	sizeof((uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t), { __VA_ARGS__ } }

/* op realm cmd addr size source purpose state */
#define DONATE(size, src, purpose, state) \
	SRO_EV_DONATE, 0, 0, 1, 7, 0, 0x1000, size, src, purpose, state
/* op realm cmd addr size count state level flags */
#define DREQ(size, count, state, level, flags) \
	SRO_EV_DONATE_REQ, 0, 0, 1, 7, 0, 0x4, size, count, state, level, flags

static const struct bad_record bad_records[] = {
	R("event type 0 out of range 1..13", 0, 0),
	R("event type 14 out of range 1..13", 0, 14),
	R("event type 255 out of range 1..13", 0, 255),
	R("cpu 4096 out of range (max 4095)", 2, SRO_EV_OP_START, 0, 4096, 1, 1, 1),
	R("realm 4294967296 out of range (max 4294967295)", 4,
	  SRO_EV_OP_START, 0, 0, 1, 1ULL << 32, 1),
	R("cmd 4294967296 out of range (max 4294967295)", 5,
	  SRO_EV_OP_START, 0, 0, 1, 1, 1ULL << 32),
	/* op_end: op realm cmd ns status count flags */
	R("status 4294967296 out of range (max 4294967295)", 7,
	  SRO_EV_OP_END, 0, 0, 1, 1, 1, 5, 1ULL << 32, 0, 0),
	R("count 4294967296 out of range (max 4294967295)", 8,
	  SRO_EV_OP_END, 0, 0, 1, 1, 1, 5, 0, 1ULL << 32, 0),
	R("source 3 out of range (max 2)", 8, DONATE(4096, 3, 0, 0)),
	R("purpose 5 out of range (max 4)", 9, DONATE(4096, 0, 5, 0)),
	R("state 2 out of range (max 1)", 10, DONATE(4096, 0, 0, 2)),
	R("level 4 out of range (max 3)", 10, DREQ(4096, 1, 0, 4, 0)),
	R("flags 32 out of range (max 31)", 11, DREQ(4096, 1, 0, 0, 32)),
	R("donate_req: flags 0x2 not allowed (allowed 0x1)", 0,
	  DREQ(4096, 1, 0, 0, SRO_F_FALLBACK)),
	/* alloc: op realm cmd addr size ns count source purpose flags */
	R("alloc: flags 0x1 not allowed (allowed 0x2)", 0,
	  SRO_EV_ALLOC, 0, 0, 1, 1, 0, 0x1000, 4096, 5, 0, 0, 0, SRO_F_CONTIG),
	/* op_end may only be cancelled */
	R("op_end: flags 0x10 not allowed (allowed 0x4)", 0,
	  SRO_EV_OP_END, 0, 0, 1, 1, 1, 5, 0, 0, SRO_F_UNKNOWN),
	/* free: op realm cmd addr size status source */
	R("free: reason 6 out of range 0..5", 0,
	  SRO_EV_FREE, 0, 0, 1, 1, 0, 0x1000, 4096, zz(SRO_FREE_NR), 0),
	/* fail: op realm cmd addr status */
	R("fail: reason 8 out of range 0..7", 0,
	  SRO_EV_FAIL, 0, 0, 1, 1, 0, 0x1000, zz(SRO_FAIL_NR)),
	/* alloc_fail: op realm cmd size ns status count source purpose */
	R("alloc_fail: reason -1 out of range 0..7", 0,
	  SRO_EV_ALLOC_FAIL, 0, 0, 1, 1, 0, 4096, 9, zz(-1), 0, 0, 0),
	R("donate: size 4097 is not a nonzero multiple of 4096", 0,
	  DONATE(4097, 0, 0, 0)),
	R("donate: size 0 is not a nonzero multiple of 4096", 0,
	  DONATE(0, 0, 0, 0)),
	/* reclaim: op realm cmd addr size ns source purpose state flags */
	R("reclaim: size 0 is not a nonzero multiple of 4096", 0,
	  SRO_EV_RECLAIM, 0, 0, 1, 1, 0, 0x1000, 0, 0, 0, 0, 0, 0),
	R("alloc: size 2048 is not a nonzero multiple of 4096", 0,
	  SRO_EV_ALLOC, 0, 0, 1, 1, 0, 0x1000, 2048, 5, 0, 0, 0, 0),
	R("free: size 0 is not a nonzero multiple of 4096", 0,
	  SRO_EV_FREE, 0, 0, 1, 1, 0, 0x1000, 0, zz(0), 0),
	/* leak: op realm cmd addr size status source */
	R("leak: size 6000 is not a nonzero multiple of 4096", 0,
	  SRO_EV_LEAK, 0, 0, 1, 1, 0, 0x1000, 6000, zz(-16), 0),
	R("donate_req: size 2097152 is not count 2 << 21", 0,
	  DREQ(2097152, 2, 0, 1, 0)),
	R("donate_req: size 4097 is not count 1 << 12", 0,
	  DREQ(4097, 1, 0, 0, 0)),
	R("donate_req: size 0 is not count 1 << 39", 0,
	  DREQ(0, 1, 1, 3, SRO_F_CONTIG)),
};

static size_t encode_bad(const struct bad_record *b, unsigned char *p,
			 uint64_t *off)
{
	size_t n = 1;
	int i;

	p[0] = b->v[0];
	*off = REC0;
	for (i = 1; i < b->n; i++) {
		if (i == b->bad)
			*off = REC0 + n;
		n += put_varint(p + n, b->v[i]);
	}
	return n;
}

static void test_bad_records(void **state)
{
	unsigned char payload[256];
	char want[256];
	uint64_t off;
	size_t i, len;
	int n;

	for (i = 0; i < sizeof(bad_records) / sizeof(bad_records[0]); i++) {
		len = encode_bad(&bad_records[i], payload, &off);
		snprintf(want, sizeof(want), "(memory): offset %llu: %s",
			 (unsigned long long)off, bad_records[i].msg);
		assert_string_equal(read_crafted(craft(payload, len, 1, 1), &n),
				    want);
		assert_int_equal(n, 0);
	}
}

/* The good twins of the bad records: the same bytes with sound values. */
static void test_good_records(void **state)
{
	static const struct bad_record good[] = {
		R("", 0, DONATE(4096, 2, 4, 1)),
		R("", 0, DREQ(2ULL << 21, 2, 0, 1, SRO_F_CONTIG)),
		R("", 0, DREQ(0, 0, 0, 2, 0)),	/* count 0: a bad request */
		R("", 0, DREQ(16383ULL << 39, 16383, 1, 3, 0)),
		R("", 0, SRO_EV_OP_START, 0, 4095, 1, UINT32_MAX, UINT32_MAX),
		R("", 0, SRO_EV_LEAK, 0, 0, 1, 1, 0, 0x1000, 8192, zz(INT32_MIN), 2),
	};
	unsigned char payload[256];
	uint64_t off;
	size_t i, len;
	int n;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		len = encode_bad(&good[i], payload, &off);
		assert_null(read_crafted(craft(payload, len, 1, 1), &n));
		assert_int_equal(n, 1);
	}
}

/* op_start records whose op is @bytes, raw. */
static size_t op_start_raw(unsigned char *p, const unsigned char *bytes,
			   size_t n)
{
	p[0] = SRO_EV_OP_START;
	p[1] = 0;	/* ts */
	p[2] = 0;	/* cpu */
	memcpy(p + 3, bytes, n);
	p[3 + n] = 1;	/* realm */
	p[4 + n] = 1;	/* cmd */
	return 5 + n;
}

static void test_bad_varints(void **state)
{
	static const struct {
		unsigned char b[12];
		size_t n;
		const char *msg;
	} cases[] = {
		{ { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
		    0x00 }, 11, "op: varint longer than 10 bytes" },
		{ { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		    0x02 }, 10, "op: varint overflows 64 bits" },
		{ { 0x80, 0x00 }, 2, "op: varint not minimal" },
		{ { 0x81, 0x80, 0x00 }, 3, "op: varint not minimal" },
	};
	static const unsigned char max[10] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
	};
	unsigned char payload[64];
	char want[128];
	size_t i, len;
	int n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = op_start_raw(payload, cases[i].b, cases[i].n);
		snprintf(want, sizeof(want), "(memory): offset %d: %s",
			 REC0 + 3, cases[i].msg);
		assert_string_equal(read_crafted(craft(payload, len, 1, 1), &n),
				    want);
	}
	/* UINT64_MAX: ten bytes, the last 0x01 */
	len = op_start_raw(payload, max, 10);
	assert_null(read_crafted(craft(payload, len, 1, 1), &n));
	assert_int_equal(n, 1);
	/* a record cut inside a varint, at the end of its block */
	payload[0] = SRO_EV_OP_START;
	payload[1] = 0;
	payload[2] = 0;
	payload[3] = 0x80;
	assert_string_equal(read_crafted(craft(payload, 4, 1, 1), &n),
			    "(memory): offset 179: op: record runs past its block");
	/* cut between two varints */
	assert_string_equal(read_crafted(craft(payload, 3, 1, 1), &n),
			    "(memory): offset 179: op: record runs past its block");
	assert_int_equal(varint_len(UINT64_MAX), 10);
}

static const unsigned char one_op[] = { SRO_EV_OP_START, 2, 0, 1, 1, 1 };

static void test_bad_blocks(void **state)
{
	unsigned char two[2 * sizeof(one_op)];
	unsigned char big[TRACE_BLOCK_MAX + 1] = {};
	size_t n;
	int ev;

	memcpy(two, one_op, sizeof(one_op));
	memcpy(two + sizeof(one_op), one_op, sizeof(one_op));
	/* the good one first */
	assert_null(read_crafted(craft(one_op, sizeof(one_op), 1, 1), &ev));
	assert_int_equal(ev, 1);

	assert_string_equal(read_crafted(craft(one_op, sizeof(one_op), 2, 2), &ev),
			    "(memory): offset 182: block ends before its 1 more records");
	assert_int_equal(ev, 1);
	assert_string_equal(read_crafted(craft(two, sizeof(two), 1, 1), &ev),
			    "(memory): offset 182: bytes after the last of the block's records");
	assert_int_equal(ev, 1);
	assert_string_equal(read_crafted(craft(one_op, sizeof(one_op), 0, 0), &ev),
			    "(memory): offset 160: empty block");
	assert_string_equal(read_crafted(craft(one_op, 0, 1, 1), &ev),
			    "(memory): offset 160: empty block");

	/* over 64 KiB: refused before any of it is read */
	n = put_header(file, 1, HDR);
	n += put_block(file + n, "EVTS", big, sizeof(big), 1);
	assert_string_equal(read_crafted(n, &ev),
			    "(memory): offset 164: block length 65537 over the maximum 65536");

	n = put_header(file, 1, HDR);
	n += put_block(file + n, "EVTX", one_op, sizeof(one_op), 1);
	assert_string_equal(read_crafted(n, &ev),
			    "(memory): offset 160: bad block tag 0x58545645");

	/* a block whose CRC is wrong */
	n = craft(one_op, sizeof(one_op), 1, 1);
	file[HDR + 12] ^= 1;
	assert_non_null(strstr(read_crafted(n, &ev),
			       "(memory): offset 160: block CRC mismatch (stored 0x"));
	assert_int_equal(ev, 0);
}

static void test_bad_trailers(void **state)
{
	char want[96];
	size_t n, m;
	int ev;

	assert_string_equal(read_crafted(craft(one_op, sizeof(one_op), 1, 2), &ev),
			    "(memory): offset 182: trailer counts 2 events, the file holds 1");
	assert_int_equal(ev, 1);

	/* more loss counters than this reader knows: a newer format */
	n = put_header(file, 1, HDR);
	n += put_block(file + n, "EVTS", one_op, sizeof(one_op), 1);
	m = n + put_trailer(file + n, 1, SRO_LOSS_NR + 1);
	snprintf(want, sizeof(want), "(memory): offset 182: malformed trailer (%zu bytes)",
		 24 + 8 * (size_t)(SRO_LOSS_NR + 1));
	assert_string_equal(read_crafted(m, &ev), want);

	/* fewer (an older writer): the missing ones are 0 */
	m = n + put_trailer(file + n, 1, 2);
	{
		struct trace_reader *r = trace_reader_open_mem(file, m);
		const struct trace_totals *t;
		struct sro_event e;

		assert_int_equal(trace_reader_next(r, &e), 1);
		assert_int_equal(trace_reader_next(r, &e), 0);
		t = trace_reader_totals(r);
		assert_int_equal(t->losses[0], 100);
		assert_int_equal(t->losses[1], 101);
		assert_int_equal(t->losses[2], 0);
		assert_int_equal(t->recursion_misses, 77);
		trace_reader_close(r);
	}

	/* a trailer with a record count */
	m = n + put_trailer(file + n, 1, SRO_LOSS_NR);
	le(file + n + 8, 1, 4);
	assert_string_equal(read_crafted(m, &ev),
			    "(memory): offset 190: trailer record count 1 is not 0");

	/* anything after the trailer */
	m = n + put_trailer(file + n, 1, SRO_LOSS_NR);
	file[m] = 0;
	/* header 160, block 16 + 6, trailer 16 + 24 + 8 per loss counter */
	assert_int_equal(m, 160 + 22 + 40 + 8 * SRO_LOSS_NR);
	snprintf(want, sizeof(want), "(memory): offset %zu: data after the trailer", m);
	assert_string_equal(read_crafted(m + 1, &ev), want);
}

/* One header field of a good file set to @value, and what the reader says. */
static void test_bad_headers(void **state)
{
	static const struct {
		unsigned int off, width;
		uint64_t value;
		const char *msg;
	} cases[] = {
		{ 0, 1, 'X', "offset 0: not a sroscope trace (bad magic)" },
		{ 7, 1, 'e', "offset 0: not a sroscope trace (bad magic)" },
		{ 8, 2, 2, "trace file version 2 is newer than this sroscope reads (1)" },
		{ 8, 2, 65535, "trace file version 65535 is newer than this sroscope reads (1)" },
		{ 8, 2, 0, "offset 8: trace file version 0 is not valid" },
		{ 10, 2, 159, "offset 10: header size 159 out of range 160..4096" },
		{ 10, 2, 4097, "offset 10: header size 4097 out of range 160..4096" },
		{ 12, 4, 1, "offset 12: unknown header flags 0x1" },
		{ 12, 4, 1U << 31, "offset 12: unknown header flags 0x80000000" },
		{ 95, 1, 'k', "offset 32: kernel name not NUL-terminated" },
		{ 159, 1, 'h', "offset 96: host name not NUL-terminated" },
	};
	char want[128];
	size_t i, n;
	int ev;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = craft(one_op, sizeof(one_op), 1, 1);
		memset(file + 32, 'k', 63);	/* names of 63 bytes are fine */
		memset(file + 96, 'h', 63);
		le(file + cases[i].off, cases[i].value, cases[i].width);
		snprintf(want, sizeof(want), "(memory): %s", cases[i].msg);
		assert_string_equal(read_crafted(n, &ev), want);
		assert_int_equal(ev, 0);
	}
	n = craft(one_op, sizeof(one_op), 1, 1);
	assert_string_equal(read_crafted(3, &ev),
			    "(memory): offset 3: truncated: header cut short");
	assert_string_equal(read_crafted(0, &ev),
			    "(memory): offset 0: truncated: header cut short");
	memset(file + 32, 'k', 63);
	memset(file + 96, 'h', 63);
	assert_null(read_crafted(n, &ev));
	assert_int_equal(ev, 1);
}

/* A header a later writer made longer: the reader skips what it adds. */
static void test_longer_header(void **state)
{
	struct trace_reader *r;
	struct sro_event e;
	size_t n;

	n = put_header(file, 1, HDR + 100);
	memset(file + HDR, 0xee, 100);
	n += put_block(file + n, "EVTS", one_op, sizeof(one_op), 1);
	n += put_trailer(file + n, 1, SRO_LOSS_NR);
	r = trace_reader_open_mem(file, n);
	assert_int_equal(trace_reader_next(r, &e), 1);
	assert_int_equal(e.ts, 1);	/* zigzag 2 */
	assert_int_equal(e.op, 1);
	assert_int_equal(trace_reader_next(r, &e), 0);
	assert_int_equal(trace_reader_info(r)->start_ts, 42);
	assert_string_equal(trace_reader_info(r)->kernel, "6.12");
	trace_reader_close(r);
	/* cut in the part it skips */
	assert_string_equal(read_crafted(HDR + 50, NULL),
			    "(memory): offset 210: truncated: header cut short");
}

/* The bytes the writer lays down, against the document. */
static void test_writer_bytes(void **state)
{
	struct sro_event e = {
		.type = SRO_EV_DONATE, .ts = 1000, .cpu = 1, .op = 14,
		.realm = 7, .cmd = 0xC400015a, .addr = 0x672b000,
		.size = 4096, .purpose = SRO_PURPOSE_REC, .state = 1,
		.ns = 99,	/* not a donate field: not stored */
	};
	static const unsigned char rec[] = {
		SRO_EV_DONATE, 0xd0, 0x0f, 1, 14, 7,
		0xda, 0x82, 0x80, 0xa0, 0x0c,	/* 0xC400015a */
		0x80, 0xe0, 0xca, 0x33,		/* 0x672b000 */
		0x80, 0x20, 0, 3, 1,
	};
	unsigned char *buf;
	size_t len;

	write_events(&e, 1, NULL);
	buf = slurp(path, &len);
	assert_int_equal(len, HDR + BHDR + sizeof(rec) + BHDR + 24 + 8 * SRO_LOSS_NR);
	assert_memory_equal(buf, "SROTRACE\x01\x00\xa0\x00\x00\x00\x00\x00", 16);
	assert_int_equal(buf[16], 123456789 & 0xff);
	assert_string_equal((char *)buf + 32, "6.12.0-sro");
	assert_string_equal((char *)buf + 96, "vm");
	assert_memory_equal(buf + HDR, "EVTS", 4);
	assert_int_equal(buf[HDR + 4], sizeof(rec));
	assert_int_equal(buf[HDR + 8], 1);
	assert_memory_equal(buf + REC0, rec, sizeof(rec));
	assert_memory_equal(buf + REC0 + sizeof(rec), "TEND", 4);
	assert_int_equal(buf[REC0 + sizeof(rec) + BHDR], 1);	/* events */
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_story),
		cmocka_unit_test(test_round_trip_extremes),
		cmocka_unit_test(test_out_of_order_ts),
		cmocka_unit_test(test_many_blocks),
		cmocka_unit_test(test_writer_refuses_invalid),
		cmocka_unit_test(test_long_names_truncated),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_truncation_everywhere),
		cmocka_unit_test(test_flipped_byte),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_good_records),
		cmocka_unit_test(test_bad_varints),
		cmocka_unit_test(test_bad_blocks),
		cmocka_unit_test(test_bad_trailers),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_longer_header),
		cmocka_unit_test(test_writer_bytes),
		cmocka_unit_test(test_create_private),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
