/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Files the commands write whole (replay's results, report's HTML): a
 * temporary file, mode 0600, in the same directory, renamed over the
 * name once complete. A reader never sees half a file, a failed run
 * leaves the previous one, and nothing is truncated or created through a
 * symbolic link: one at the name is refused. A FIFO or character device
 * at the name (/dev/null, a named pipe) is written directly.
 */
#ifndef SROSCOPE_OUTFILE_H
#define SROSCOPE_OUTFILE_H

#include <stdio.h>

struct outfile {
	FILE *f;		/* write here */
	const char *path;
	char *tmp;		/* NULL: writing @path itself */
};

/*
 * Start writing @path; 0, or -errno: -ELOOP for a symbolic link, -EISDIR
 * for a directory, -EINVAL for any other file that is not regular.
 */
int outfile_open(struct outfile *o, const char *path);
/* Flush, close and rename into place; 0 or -errno (nothing renamed). */
int outfile_commit(struct outfile *o);
/* Give up: close, and remove the temporary file. */
void outfile_abort(struct outfile *o);
/* What outfile_open()'s -@err means for @path, for a message. */
const char *outfile_strerror(int err);

#endif
