// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE		/* mkostemp */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "outfile.h"

int outfile_open(struct outfile *o, const char *path)
{
	const char *base = strrchr(path, '/');
	struct stat st;
	int fd, err;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (!lstat(path, &st)) {
		if (S_ISLNK(st.st_mode))
			return -ELOOP;
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
			fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0)
				return -errno;
			goto opened;
		}
		if (!S_ISREG(st.st_mode))
			return -EINVAL;
	} else if (errno != ENOENT) {
		return -errno;
	}
	/* "dir/.name.XXXXXX": same directory, so rename() replaces in place. */
	base = base ? base + 1 : path;
	o->tmp = malloc(strlen(path) + 9);
	if (!o->tmp)
		return -ENOMEM;
	sprintf(o->tmp, "%.*s.%s.XXXXXX", (int)(base - path), path, base);
	fd = mkostemp(o->tmp, O_CLOEXEC);	/* 0600, O_EXCL */
	if (fd < 0) {
		err = -errno;
		free(o->tmp);
		o->tmp = NULL;
		return err;
	}
opened:
	o->f = fdopen(fd, "w");
	if (!o->f) {
		err = -errno;
		close(fd);
		outfile_abort(o);
		return err;
	}
	return 0;
}

int outfile_commit(struct outfile *o)
{
	int err = 0;

	errno = 0;
	if (ferror(o->f) || fflush(o->f))
		err = errno ? -errno : -EIO;
	if (fclose(o->f) && !err)
		err = -errno;
	o->f = NULL;
	if (!err && o->tmp && rename(o->tmp, o->path))
		err = -errno;
	if (err) {
		outfile_abort(o);
		return err;
	}
	free(o->tmp);
	o->tmp = NULL;
	return 0;
}

void outfile_abort(struct outfile *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
}

const char *outfile_strerror(int err)
{
	switch (err) {
	case -ELOOP:
		return "is a symbolic link: not writing through it (remove it or name another file)";
	case -EINVAL:
		return "is not a regular file, a FIFO or a character device";
	default:
		return strerror(-err);
	}
}
