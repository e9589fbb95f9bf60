/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The trace file of `sroscope record` and `sroscope trace -r`: a header,
 * blocks of compact event records with a CRC each, and a trailer with the
 * totals. The layout is in docs/trace-file.md. Pure C and zlib: the unit
 * tests (tests/unit/test_tracefile.c) run it on the host.
 */
#ifndef SROSCOPE_TRACEFILE_H
#define SROSCOPE_TRACEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "sroscope.h"

#define TRACE_VERSION		1
#define TRACE_BLOCK_MAX		65536	/* largest block payload, bytes */
#define TRACE_CPU_MAX		4096	/* a cpu field is below this */

struct trace_info {
	uint64_t start_ts;		/* CLOCK_BOOTTIME ns */
	uint64_t start_realtime_ns;	/* CLOCK_REALTIME ns, same instant */
	char kernel[64];		/* uname -r */
	char host[64];			/* uname -n */
	uint16_t version;		/* set by the reader */
};

struct trace_totals {
	uint64_t events;
	uint64_t losses[SRO_LOSS_NR];	/* enum sro_loss */
	uint64_t recursion_misses;
};

struct trace_writer;
struct trace_reader;

/* trace_writer_open(): replace a regular file at @path. */
#define TRACE_OVERWRITE	1

/*
 * Create @path, mode 0600 (it holds physical addresses), and write the
 * header. Never through a symbolic link (ELOOP), and an existing file
 * only with TRACE_OVERWRITE in @flags (EEXIST): it is then unlinked and
 * created anew, so other links to it keep their content. NULL and errno
 * on error.
 */
struct trace_writer *trace_writer_open(const char *path,
				       const struct trace_info *info,
				       unsigned int flags);
/*
 * Append one event. Only the fields its type has are kept (the others
 * read back as 0). Returns 0, -EINVAL for an event the reader would
 * refuse (nothing written: count it as lost), or -errno of a failed write.
 */
int trace_writer_add(struct trace_writer *w, const struct sro_event *e);
/* Write the events buffered so far as a block: a crash loses no more. */
int trace_writer_flush(struct trace_writer *w);
/*
 * Flush, write the trailer with @t's losses and recursion misses (@t may
 * be NULL; the event count is the writer's own) and close. Frees @w
 * whatever happens. Returns 0 or the first -errno met. Does not fsync.
 */
int trace_writer_close(struct trace_writer *w, const struct trace_totals *t);

/*
 * Open a trace and read its header. NULL only on ENOMEM: any other error
 * (no file, bad header, newer version) is kept in the reader, and
 * trace_reader_next() returns -1 with trace_reader_error() saying it.
 */
struct trace_reader *trace_reader_open(const char *path);
/* The same over @len bytes at @buf, which must outlive the reader. */
struct trace_reader *trace_reader_open_mem(const void *buf, size_t len);
/*
 * The next event into @e: 1, or 0 at the trailer (the totals are then
 * valid), or -1 on any error. Every intact event before an error is
 * returned first; after 0 or -1 it keeps returning the same.
 */
int trace_reader_next(struct trace_reader *r, struct sro_event *e);
/* What went wrong, with the path and byte offset; NULL if nothing. */
const char *trace_reader_error(const struct trace_reader *r);
/*
 * Did it go wrong only in that the file ends early (a recorder killed
 * before its trailer, a copy cut short)? Every event of the intact
 * blocks before the cut was returned; a damaged block is not a cut.
 */
bool trace_reader_truncated(const struct trace_reader *r);
/* The header; all zero if it could not be read. */
const struct trace_info *trace_reader_info(const struct trace_reader *r);
/* The trailer; NULL until trace_reader_next() returned 0. */
const struct trace_totals *trace_reader_totals(const struct trace_reader *r);
void trace_reader_close(struct trace_reader *r);

#endif
