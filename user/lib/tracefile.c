// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The sroscope trace file (docs/trace-file.md). Everything on disk is
 * little-endian and read byte by byte, so a file moves between hosts.
 * The reader trusts nothing: every length is bounded before use and every
 * field is checked, so a damaged file gives an error, never a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>

#include "tracefile.h"
#include "vocab.h"

#define HDR_SIZE	160
#define HDR_SIZE_MAX	4096	/* a later writer may append fields */
#define BLK_HDR_SIZE	16
#define TAG_EVENTS	0x53545645U	/* "EVTS" */
#define TAG_END		0x444e4554U	/* "TEND" */
#define TRAILER_FIXED	24
#define REC_MAX		192	/* type, ts, cpu and 15 varints of 10 bytes */
#define VARINT_MAX	10

static const char trace_magic[8] = "SROTRACE";

/* The fields of struct sro_event a record may hold, in record order. */
enum tf_field {
	F_OP, F_REALM, F_CMD, F_ADDR, F_SIZE, F_NS, F_AUX, F_AUX2, F_STATUS,
	F_COUNT, F_SOURCE, F_PURPOSE, F_STATE, F_LEVEL, F_FLAGS, F_NR,
};

struct field_desc {
	const char *name;
	unsigned short off;	/* in struct sro_event */
	unsigned char width;	/* bytes there */
	bool zigzag;		/* signed: stored zigzag encoded */
	uint64_t max;		/* largest value stored */
};

#define FIELD(f, z, m) \
	{ #f, offsetof(struct sro_event, f), sizeof(((struct sro_event *)0)->f), z, m }

static const struct field_desc fields[F_NR] = {
	[F_OP]		= FIELD(op, false, UINT64_MAX),
	[F_REALM]	= FIELD(realm, false, UINT32_MAX),
	[F_CMD]		= FIELD(cmd, false, UINT32_MAX),
	[F_ADDR]	= FIELD(addr, false, UINT64_MAX),
	[F_SIZE]	= FIELD(size, false, UINT64_MAX),
	[F_NS]		= FIELD(ns, false, UINT64_MAX),
	[F_AUX]		= FIELD(aux, false, UINT64_MAX),
	[F_AUX2]	= FIELD(aux2, false, UINT64_MAX),
	[F_STATUS]	= FIELD(status, true, UINT32_MAX),
	[F_COUNT]	= FIELD(count, false, UINT32_MAX),
	[F_SOURCE]	= FIELD(source, false, SRO_SRC_NR - 1),
	[F_PURPOSE]	= FIELD(purpose, false, SRO_PURPOSE_NR - 1),
	[F_STATE]	= FIELD(state, false, 1),
	[F_LEVEL]	= FIELD(level, false, 3),
	[F_FLAGS]	= FIELD(flags, false, SRO_F_ALL),
};

/*
 * The one table of what each event type has: the writer stores these
 * fields and nothing else, the reader expects exactly them.
 */
struct type_desc {
	uint16_t fields;	/* 1 << enum tf_field */
	uint8_t flags;		/* SRO_F_* it may carry */
	uint8_t reason_max;	/* status is a reason below this (0: not) */
	bool granules;		/* size is a nonzero multiple of 4096 */
};

#define B(f)	(1U << (f))
#define OPF	(B(F_OP) | B(F_REALM) | B(F_CMD))
#define RANGE	(OPF | B(F_ADDR) | B(F_SIZE) | B(F_SOURCE))

static const struct type_desc types[SRO_EV_NR] = {
	[SRO_EV_OP_START] = { OPF },
	[SRO_EV_OP_END] = {
		OPF | B(F_STATUS) | B(F_COUNT) | B(F_NS) | B(F_FLAGS),
		SRO_F_CANCELLED },
	[SRO_EV_DONATE_REQ] = {
		OPF | B(F_ADDR) | B(F_SIZE) | B(F_COUNT) | B(F_STATE) |
		B(F_LEVEL) | B(F_FLAGS), SRO_F_CONTIG },
	[SRO_EV_ALLOC] = {
		RANGE | B(F_PURPOSE) | B(F_COUNT) | B(F_NS) | B(F_FLAGS),
		SRO_F_FALLBACK, .granules = true },
	[SRO_EV_ALLOC_FAIL] = {
		OPF | B(F_SIZE) | B(F_SOURCE) | B(F_PURPOSE) | B(F_COUNT) |
		B(F_NS) | B(F_STATUS), .reason_max = SRO_FAIL_NR },
	[SRO_EV_DONATE] = {
		RANGE | B(F_PURPOSE) | B(F_STATE), .granules = true },
	[SRO_EV_DONATE_RESULT] = {
		OPF | B(F_SIZE) | B(F_COUNT) | B(F_AUX) | B(F_AUX2) },
	[SRO_EV_RECLAIM] = {
		RANGE | B(F_PURPOSE) | B(F_STATE) | B(F_NS) | B(F_FLAGS),
		SRO_F_UNKNOWN, .granules = true },
	[SRO_EV_FREE] = { RANGE | B(F_STATUS),
		.reason_max = SRO_FREE_NR, .granules = true },
	[SRO_EV_LEAK] = { RANGE | B(F_STATUS), .granules = true },
	[SRO_EV_DELEGATE] = {
		B(F_ADDR) | B(F_SIZE) | B(F_COUNT) | B(F_STATUS) | B(F_FLAGS),
		SRO_F_UNDELEGATE },
	[SRO_EV_FAIL] = { OPF | B(F_STATUS) | B(F_ADDR),
		.reason_max = SRO_FAIL_NR },
	[SRO_EV_QUARANTINE] = {
		RANGE | B(F_STATUS) | B(F_COUNT), .granules = true },
};

static void put_le16(unsigned char *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	put_le16(p, v);
	put_le16(p + 2, v >> 16);
}

static void put_le64(unsigned char *p, uint64_t v)
{
	put_le32(p, v);
	put_le32(p + 4, v >> 32);
}

static uint16_t get_le16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t get_le32(const unsigned char *p)
{
	return get_le16(p) | (uint32_t)get_le16(p + 2) << 16;
}

static uint64_t get_le64(const unsigned char *p)
{
	return get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static uint64_t zigzag64(uint64_t delta)
{
	return delta << 1 ^ -(delta >> 63);
}

static uint64_t unzigzag64(uint64_t v)
{
	return v >> 1 ^ -(v & 1);
}

static uint64_t field_get(const struct sro_event *e, enum tf_field f)
{
	const unsigned char *p = (const unsigned char *)e + fields[f].off;
	uint32_t v32;
	uint16_t v16;
	uint64_t v;

	switch (fields[f].width) {
	case 1:
		return *p;
	case 2:
		memcpy(&v16, p, 2);
		return v16;
	case 4:
		memcpy(&v32, p, 4);
		/* status: 32-bit zigzag, so -1 costs one byte */
		if (fields[f].zigzag)
			return (uint32_t)(v32 << 1 ^ -(v32 >> 31));
		return v32;
	}
	memcpy(&v, p, 8);
	return v;
}

static void field_set(struct sro_event *e, enum tf_field f, uint64_t v)
{
	unsigned char *p = (unsigned char *)e + fields[f].off;
	uint32_t v32 = v;
	uint16_t v16 = v;

	switch (fields[f].width) {
	case 1:
		*p = v;
		return;
	case 2:
		memcpy(p, &v16, 2);
		return;
	case 4:
		if (fields[f].zigzag)
			v32 = v32 >> 1 ^ -(v32 & 1);
		memcpy(p, &v32, 4);
		return;
	}
	memcpy(p, &v, 8);
}

static bool has(const struct type_desc *t, enum tf_field f)
{
	return t->fields & B(f);
}

/*
 * Why @e cannot be in a trace, into @why; false if it can. The writer
 * refuses what the reader would, so a file it wrote always reads back.
 */
static bool event_invalid(const struct sro_event *e, char *why, size_t len)
{
	const struct type_desc *t;
	unsigned int shift;
	int f;

	if (!e->type || e->type >= SRO_EV_NR) {
		snprintf(why, len, "event type %u out of range 1..%u",
			 e->type, SRO_EV_NR - 1);
		return true;
	}
	t = &types[e->type];
	if (e->cpu >= TRACE_CPU_MAX) {
		snprintf(why, len, "%s: cpu %u out of range (max %u)",
			 sro_event_name(e->type), e->cpu, TRACE_CPU_MAX - 1);
		return true;
	}
	for (f = 0; f < F_NR; f++) {
		if (!has(t, f) || fields[f].zigzag ||
		    field_get(e, f) <= fields[f].max)
			continue;
		snprintf(why, len, "%s: %s %llu out of range (max %llu)",
			 sro_event_name(e->type), fields[f].name,
			 (unsigned long long)field_get(e, f),
			 (unsigned long long)fields[f].max);
		return true;
	}
	if (has(t, F_FLAGS) && (e->flags & ~t->flags)) {
		snprintf(why, len, "%s: flags 0x%x not allowed (allowed 0x%x)",
			 sro_event_name(e->type), e->flags, t->flags);
		return true;
	}
	if (t->reason_max && (uint32_t)e->status >= t->reason_max) {
		snprintf(why, len, "%s: reason %d out of range 0..%u",
			 sro_event_name(e->type), e->status, t->reason_max - 1);
		return true;
	}
	if (t->granules && (!e->size || e->size % SRO_GRANULE_SIZE)) {
		snprintf(why, len, "%s: size %llu is not a nonzero multiple of %llu",
			 sro_event_name(e->type), (unsigned long long)e->size, SRO_GRANULE_SIZE);
		return true;
	}
	shift = 12 + 9 * e->level;
	if (e->type == SRO_EV_DONATE_REQ &&
	    ((e->size & ((1ULL << shift) - 1)) || e->size >> shift != e->count)) {
		snprintf(why, len, "%s: size %llu is not count %u << %u",
			 sro_event_name(e->type), (unsigned long long)e->size, e->count, shift);
		return true;
	}
	return false;
}

/* Writer */

struct trace_writer {
	int fd;
	int err;		/* the first error: every later call returns it */
	uint64_t prev_ts;
	uint64_t events;
	uint32_t len;		/* payload bytes buffered */
	uint32_t count;		/* records buffered */
	unsigned char blk[BLK_HDR_SIZE + TRACE_BLOCK_MAX];
};

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

/* @blk: a block header's room, then @len bytes of payload. */
static int write_block(struct trace_writer *w, uint32_t tag,
		       unsigned char *blk, uint32_t len, uint32_t count)
{
	int err;

	if (w->err)
		return w->err;
	put_le32(blk, tag);
	put_le32(blk + 4, len);
	put_le32(blk + 8, count);
	put_le32(blk + 12, crc32(0, blk + BLK_HDR_SIZE, len));
	err = write_all(w->fd, blk, BLK_HDR_SIZE + len);
	if (err)
		w->err = err;
	return err;
}

/* NUL-padded into 64 bytes, and always NUL-terminated. */
static void put_text(unsigned char *p, const char *s)
{
	memcpy(p, s, strnlen(s, 63));
}

static void encode_header(unsigned char *h, const struct trace_info *info)
{
	memset(h, 0, HDR_SIZE);
	memcpy(h, trace_magic, sizeof(trace_magic));
	put_le16(h + 8, TRACE_VERSION);
	put_le16(h + 10, HDR_SIZE);
	put_le32(h + 12, 0);
	put_le64(h + 16, info->start_ts);
	put_le64(h + 24, info->start_realtime_ns);
	put_text(h + 32, info->kernel);
	put_text(h + 96, info->host);
}

/* A new file at @path, 0600, or an fd of -1 and errno (see the header). */
static int create_new(const char *path, unsigned int flags)
{
	const int how = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	struct stat st;
	int fd;

	/* O_EXCL fails on any name that exists, a dangling link too. */
	fd = open(path, how, 0600);
	if (fd >= 0 || errno != EEXIST || lstat(path, &st))
		return fd;
	if (S_ISLNK(st.st_mode)) {
		errno = ELOOP;
		return -1;
	}
	if (!(flags & TRACE_OVERWRITE) || !S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EEXIST;
		return -1;
	}
	if (unlink(path))
		return -1;
	return open(path, how, 0600);
}

struct trace_writer *trace_writer_open(const char *path,
				       const struct trace_info *info,
				       unsigned int flags)
{
	unsigned char h[HDR_SIZE];
	struct trace_writer *w;
	int err;

	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->fd = create_new(path, flags);
	if (w->fd < 0) {
		err = errno;
		free(w);
		errno = err;
		return NULL;
	}
	encode_header(h, info);
	err = write_all(w->fd, h, sizeof(h));
	if (err) {
		close(w->fd);
		free(w);
		errno = -err;
		return NULL;
	}
	return w;
}

static unsigned int put_varint(unsigned char *p, uint64_t v)
{
	unsigned int n = 0;

	while (v >= 0x80) {
		p[n++] = v | 0x80;
		v >>= 7;
	}
	p[n++] = v;
	return n;
}

static unsigned int encode_record(unsigned char *p, const struct sro_event *e,
				  uint64_t prev_ts)
{
	const struct type_desc *t = &types[e->type];
	unsigned int n = 0;
	int f;

	p[n++] = e->type;
	n += put_varint(p + n, zigzag64(e->ts - prev_ts));
	n += put_varint(p + n, e->cpu);
	for (f = 0; f < F_NR; f++)
		if (has(t, f))
			n += put_varint(p + n, field_get(e, f));
	return n;
}

int trace_writer_add(struct trace_writer *w, const struct sro_event *e)
{
	unsigned char rec[REC_MAX];
	unsigned int n;
	char why[128];
	int err;

	if (w->err)
		return w->err;
	if (event_invalid(e, why, sizeof(why)))
		return -EINVAL;
	n = encode_record(rec, e, w->prev_ts);
	if (w->len + n > TRACE_BLOCK_MAX) {
		err = trace_writer_flush(w);
		if (err)
			return err;
	}
	memcpy(w->blk + BLK_HDR_SIZE + w->len, rec, n);
	w->len += n;
	w->count++;
	w->events++;
	w->prev_ts = e->ts;
	return 0;
}

int trace_writer_flush(struct trace_writer *w)
{
	int err;

	if (!w->count)
		return w->err;
	err = write_block(w, TAG_EVENTS, w->blk, w->len, w->count);
	w->len = 0;
	w->count = 0;
	return err;
}

int trace_writer_close(struct trace_writer *w, const struct trace_totals *t)
{
	unsigned char blk[BLK_HDR_SIZE + TRAILER_FIXED + 8 * SRO_LOSS_NR];
	unsigned char *p = blk + BLK_HDR_SIZE;
	int i, err;

	trace_writer_flush(w);
	put_le64(p, w->events);
	put_le64(p + 8, t ? t->recursion_misses : 0);
	put_le32(p + 16, SRO_LOSS_NR);
	put_le32(p + 20, 0);
	for (i = 0; i < SRO_LOSS_NR; i++)
		put_le64(p + TRAILER_FIXED + 8 * i, t ? t->losses[i] : 0);
	write_block(w, TAG_END, blk, sizeof(blk) - BLK_HDR_SIZE, 0);
	err = w->err;
	if (close(w->fd) && !err)
		err = -errno;
	free(w);
	return err;
}

/* Reader */

enum reader_state { R_READING, R_DONE, R_FAILED };

struct trace_reader {
	int fd;				/* -1: reading memory */
	const unsigned char *mem;
	size_t mem_len;
	uint64_t off;			/* of the next byte to read */
	enum reader_state state;
	bool truncated;			/* the failure: the file ends early */
	uint64_t block_off;		/* of the payload in buf */
	uint32_t len, pos;		/* payload bytes, cursor */
	uint32_t left;			/* records left in the block */
	uint64_t prev_ts;
	uint64_t events;
	struct trace_info info;
	struct trace_totals totals;
	char err[256];
	unsigned char buf[TRACE_BLOCK_MAX];
	char name[];
};

/* Keep the first error; returns -1 for the callers to pass on. */
__attribute__((format(printf, 3, 4)))
static int fail(struct trace_reader *r, uint64_t off, const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	if (r->state == R_FAILED)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(r->err, sizeof(r->err), "%s: offset %llu: %s", r->name,
		 (unsigned long long)off, msg);
	r->state = R_FAILED;
	return -1;
}

/* Up to @len bytes: fewer only at the end of the file; -1 on error. */
static ssize_t src_read(struct trace_reader *r, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	if (r->fd < 0) {
		got = r->off < r->mem_len ? r->mem_len - r->off : 0;
		got = got < len ? got : len;
		memcpy(buf, r->mem + r->off, got);
		r->off += got;
		return got;
	}
	while (got < len) {
		n = read(r->fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(r, r->off, "read: %s", strerror(errno));
		if (!n)
			break;
		got += n;
		r->off += n;
	}
	return got;
}

static int check_header_text(struct trace_reader *r, const unsigned char *h,
			     unsigned int at, const char *what)
{
	if (!memchr(h + at, 0, 64))
		return fail(r, at, "%s name not NUL-terminated", what);
	return 0;
}

static int read_header(struct trace_reader *r)
{
	unsigned char h[HDR_SIZE], skip[64];
	uint16_t version, size;
	uint32_t flags;
	ssize_t n, want;

	n = src_read(r, h, HDR_SIZE);
	if (n < 0)
		return -1;
	if (memcmp(h, trace_magic, n < 8 ? n : 8))
		return fail(r, 0, "not a sroscope trace (bad magic)");
	if (n < 12)
		return fail(r, n, "truncated: header cut short");
	version = get_le16(h + 8);
	if (version > TRACE_VERSION) {
		snprintf(r->err, sizeof(r->err),
			 "%s: trace file version %u is newer than this sroscope reads (%u)",
			 r->name, version, TRACE_VERSION);
		r->state = R_FAILED;
		return -1;
	}
	if (!version)
		return fail(r, 8, "trace file version 0 is not valid");
	size = get_le16(h + 10);
	if (size < HDR_SIZE || size > HDR_SIZE_MAX)
		return fail(r, 10, "header size %u out of range %u..%u",
			    size, HDR_SIZE, HDR_SIZE_MAX);
	if (n < HDR_SIZE)
		return fail(r, n, "truncated: header cut short");
	flags = get_le32(h + 12);
	if (flags)
		return fail(r, 12, "unknown header flags 0x%x", flags);
	if (check_header_text(r, h, 32, "kernel") ||
	    check_header_text(r, h, 96, "host"))
		return -1;
	/* Fields a later writer appended without a new version. */
	for (want = size - HDR_SIZE; want > 0; want -= n) {
		n = src_read(r, skip, want < 64 ? want : 64);
		if (n < 0)
			return -1;
		if (!n)
			return fail(r, r->off, "truncated: header cut short");
	}
	r->info.version = version;
	r->info.start_ts = get_le64(h + 16);
	r->info.start_realtime_ns = get_le64(h + 24);
	memcpy(r->info.kernel, h + 32, 64);
	memcpy(r->info.host, h + 96, 64);
	return 0;
}

static struct trace_reader *reader_new(const char *name)
{
	size_t len = strlen(name) + 1;
	struct trace_reader *r;

	r = calloc(1, sizeof(*r) + len);
	if (!r)
		return NULL;
	memcpy(r->name, name, len);
	r->fd = -1;
	return r;
}

struct trace_reader *trace_reader_open(const char *path)
{
	struct trace_reader *r = reader_new(path);

	if (!r)
		return NULL;
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		snprintf(r->err, sizeof(r->err), "%s: %s", path,
			 strerror(errno));
		r->state = R_FAILED;
		return r;
	}
	read_header(r);
	return r;
}

struct trace_reader *trace_reader_open_mem(const void *buf, size_t len)
{
	struct trace_reader *r = reader_new("(memory)");

	if (!r)
		return NULL;
	r->mem = buf;
	r->mem_len = len;
	read_header(r);
	return r;
}

static int read_trailer(struct trace_reader *r, uint64_t off, uint32_t len,
			uint32_t count)
{
	const unsigned char *p = r->buf;
	uint32_t i, nloss;
	unsigned char c;

	if (count)
		return fail(r, off + 8, "trailer record count %u is not 0", count);
	nloss = len >= TRAILER_FIXED ? get_le32(p + 16) : 0;
	/* More kinds of loss need a new version: an old reader would hide them. */
	if (len < TRAILER_FIXED || nloss > SRO_LOSS_NR ||
	    len != TRAILER_FIXED + 8 * nloss || get_le32(p + 20))
		return fail(r, off, "malformed trailer (%u bytes)", len);
	r->totals.events = get_le64(p);
	r->totals.recursion_misses = get_le64(p + 8);
	for (i = 0; i < nloss; i++)
		r->totals.losses[i] = get_le64(p + TRAILER_FIXED + 8 * i);
	if (r->totals.events != r->events)
		return fail(r, off, "trailer counts %llu events, the file holds %llu",
			    (unsigned long long)r->totals.events,
			    (unsigned long long)r->events);
	off = r->off;
	switch (src_read(r, &c, 1)) {
	case -1:
		return -1;
	case 1:
		return fail(r, off, "data after the trailer");
	}
	r->state = R_DONE;
	return 0;
}

/* Load the next block: 1 for events, 0 at the trailer, -1 on error. */
static int next_block(struct trace_reader *r)
{
	uint32_t tag, len, count, crc, sum;
	unsigned char h[BLK_HDR_SIZE];
	uint64_t off = r->off;
	ssize_t n;

	n = src_read(r, h, BLK_HDR_SIZE);
	if (n < 0)
		return -1;
	r->truncated = n < BLK_HDR_SIZE;
	if (!n)
		return fail(r, off, "truncated: no trailer");
	if (n < BLK_HDR_SIZE)
		return fail(r, off, "truncated: block header cut short");
	tag = get_le32(h);
	len = get_le32(h + 4);
	count = get_le32(h + 8);
	crc = get_le32(h + 12);
	if (tag != TAG_EVENTS && tag != TAG_END)
		return fail(r, off, "bad block tag 0x%08x", tag);
	if (len > TRACE_BLOCK_MAX)
		return fail(r, off + 4, "block length %u over the maximum %u",
			    len, TRACE_BLOCK_MAX);
	n = src_read(r, r->buf, len);
	if (n < 0)
		return -1;
	r->truncated = n < len;
	if (n < len)
		return fail(r, off, "truncated: block of %u bytes has %zd",
			    len, n);
	sum = crc32(0, r->buf, len);
	if (sum != crc)
		return fail(r, off, "block CRC mismatch (stored 0x%08x, computed 0x%08x)",
			    crc, sum);
	if (tag == TAG_END)
		return read_trailer(r, off, len, count);
	if (!count || !len)
		return fail(r, off, "empty block");
	r->block_off = off + BLK_HDR_SIZE;
	r->len = len;
	r->pos = 0;
	r->left = count;
	return 1;
}

/* A LEB128 varint of the payload, canonical and at most @max. */
static int get_varint(struct trace_reader *r, const char *what, uint64_t max,
		      uint64_t *v)
{
	uint64_t off = r->block_off + r->pos, val = 0;
	unsigned int i;
	unsigned char b;

	for (i = 0; i < VARINT_MAX; i++) {
		if (r->pos >= r->len)
			return fail(r, off, "%s: record runs past its block", what);
		b = r->buf[r->pos++];
		if (i == VARINT_MAX - 1 && (b & 0x80))
			return fail(r, off, "%s: varint longer than %u bytes",
				    what, VARINT_MAX);
		if (i == VARINT_MAX - 1 && b > 1)
			return fail(r, off, "%s: varint overflows 64 bits", what);
		val |= (uint64_t)(b & 0x7f) << (7 * i);
		if (b & 0x80)
			continue;
		if (!b && i)
			return fail(r, off, "%s: varint not minimal", what);
		break;
	}
	if (val > max)
		return fail(r, off, "%s %llu out of range (max %llu)", what,
			    (unsigned long long)val, (unsigned long long)max);
	*v = val;
	return 0;
}

static int read_record(struct trace_reader *r, struct sro_event *e)
{
	uint64_t off = r->block_off + r->pos, v;
	const struct type_desc *t;
	struct sro_event ev = {};
	char why[128];
	int f;

	ev.type = r->buf[r->pos++];
	if (!ev.type || ev.type >= SRO_EV_NR)
		return fail(r, off, "event type %u out of range 1..%u",
			    ev.type, SRO_EV_NR - 1);
	t = &types[ev.type];
	if (get_varint(r, "ts", UINT64_MAX, &v))
		return -1;
	ev.ts = r->prev_ts + unzigzag64(v);
	if (get_varint(r, "cpu", TRACE_CPU_MAX - 1, &v))
		return -1;
	ev.cpu = v;
	for (f = 0; f < F_NR; f++) {
		if (!has(t, f))
			continue;
		if (get_varint(r, fields[f].name, fields[f].max, &v))
			return -1;
		field_set(&ev, f, v);
	}
	if (event_invalid(&ev, why, sizeof(why)))
		return fail(r, off, "%s", why);
	r->prev_ts = ev.ts;
	r->left--;
	r->events++;
	*e = ev;
	return 1;
}

int trace_reader_next(struct trace_reader *r, struct sro_event *e)
{
	int ret;

	while (r->state == R_READING && !r->left) {
		if (r->pos < r->len)
			return fail(r, r->block_off + r->pos,
				    "bytes after the last of the block's records");
		ret = next_block(r);
		if (ret <= 0)
			return ret;
	}
	if (r->state != R_READING)
		return r->state == R_DONE ? 0 : -1;
	if (r->pos >= r->len)
		return fail(r, r->block_off + r->pos,
			    "block ends before its %u more records", r->left);
	return read_record(r, e);
}

const char *trace_reader_error(const struct trace_reader *r)
{
	return r->state == R_FAILED ? r->err : NULL;
}

bool trace_reader_truncated(const struct trace_reader *r)
{
	return r->state == R_FAILED && r->truncated;
}

const struct trace_info *trace_reader_info(const struct trace_reader *r)
{
	return &r->info;
}

const struct trace_totals *trace_reader_totals(const struct trace_reader *r)
{
	return r->state == R_DONE ? &r->totals : NULL;
}

void trace_reader_close(struct trace_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}
