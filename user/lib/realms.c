// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The kernel's per-realm accounts under /sys/kernel/sro (realms.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "realms.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* More than the kernel keeps (4096): a bound on what a scrape reads. */
#define REALMS_MAX	65536
/* A walk of the cgroup tree stops at this depth and this many dirs. */
#define CGROUP_DEPTH	16
#define CGROUP_DIRS	20000

/* The text of @name in @dir, without its newline; -errno. */
static int read_text(int dir, const char *name, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

/* A decimal value, nothing else: -EINVAL otherwise. */
static int read_u64(int dir, const char *name, uint64_t *v)
{
	char buf[32], *end;
	int err = read_text(dir, name, buf, sizeof(buf));

	if (err)
		return err;
	if (buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

/* Files of one decimal value each, and where each goes in its struct. */
struct u64_file {
	const char *name;
	size_t off;
};

static const struct u64_file acct_files[] = {
	{ "held_bytes", offsetof(struct realm_acct, held_bytes) },
	{ "donated_bytes", offsetof(struct realm_acct, donated_bytes) },
	{ "returned_bytes", offsetof(struct realm_acct, returned_bytes) },
	{ "quarantined_bytes", offsetof(struct realm_acct, quarantined_bytes) },
	{ "given_up_bytes", offsetof(struct realm_acct, given_up_bytes) },
	{ "owner_cgroup", offsetof(struct realm_acct, owner.cgroup) },
};

static const struct u64_file total_files[] = {
	{ "held_bytes", offsetof(struct realm_accts, held_bytes) },
	{ "donated_bytes", offsetof(struct realm_accts, donated_bytes) },
	{ "returned_bytes", offsetof(struct realm_accts, returned_bytes) },
	{ "quarantined_bytes", offsetof(struct realm_accts, quarantined_bytes) },
	{ "given_up_bytes", offsetof(struct realm_accts, given_up_bytes) },
	{ "realms_untracked", offsetof(struct realm_accts, untracked) },
};

/* Each of @n @files in @dir into @base. */
static int read_u64_files(int dir, const struct u64_file *files, size_t n,
			  void *base)
{
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		err = read_u64(dir, files[i].name,
			       (uint64_t *)((char *)base + files[i].off));
		if (err)
			return err;
	}
	return 0;
}

/* Printable ASCII only: a task name is the task's to choose. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			*s = '?';
}

static int read_acct(int dir, struct realm_acct *r)
{
	uint64_t v;
	int err;

	err = read_u64_files(dir, acct_files, ARRAY_SIZE(acct_files), r);
	err = err ?: read_u64(dir, "gone", &v);
	if (err)
		return err;
	if (v > 1)
		return -EINVAL;
	r->gone = v;
	err = read_u64(dir, "owner_pid", &v);
	if (err)
		return err;
	if (v > INT32_MAX)
		return -EINVAL;
	r->owner.pid = v;
	err = read_text(dir, "owner_comm", r->owner.comm, sizeof(r->owner.comm));
	if (!err)
		sanitize(r->owner.comm);
	return err;
}

/* A realm id: decimal, within 32 bits. */
static bool realm_name(const char *s, uint32_t *id)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*id = v;
	return true;
}

static int cmp_realm(const void *a, const void *b)
{
	const struct realm_acct *x = a, *y = b;

	return x->realm < y->realm ? -1 : x->realm > y->realm;
}

char *realm_unit_of(const char *cgroup_path, char *buf, size_t len)
{
	const char *p = cgroup_path, *seg, *unit = NULL;
	size_t n, unit_len = 0;

	while (*p) {
		while (*p == '/')
			p++;
		seg = p;
		while (*p && *p != '/')
			p++;
		n = p - seg;
		if ((n > 8 && !memcmp(p - 8, ".service", 8)) ||
		    (n > 6 && !memcmp(p - 6, ".scope", 6))) {
			unit = seg;
			unit_len = n;
		}
	}
	if (!len)
		return buf;
	if (unit_len >= len)
		unit_len = len - 1;
	if (unit)
		memcpy(buf, unit, unit_len);
	buf[unit ? unit_len : 0] = '\0';
	return buf;
}

/* Does @path under @cgroot name cgroup @id? */
static bool cgroup_is(const char *cgroot, const char *path, uint64_t id)
{
	char full[512];
	struct stat st;

	if (snprintf(full, sizeof(full), "%s%s", cgroot, path) >= (int)sizeof(full))
		return false;
	return !stat(full, &st) && S_ISDIR(st.st_mode) && st.st_ino == id;
}

/* The owner's cgroup from its /proc entry, while it lives there. */
static bool owner_cgroup_by_pid(const char *cgroot, struct realm_owner *o)
{
	char path[64], line[320];
	bool found = false;
	FILE *f;

	if (o->pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/cgroup", o->pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		/* cgroup v2: "0::/path" */
		if (strncmp(line, "0::/", 4) ||
		    strlen(line + 3) >= sizeof(o->cgroup_path))
			continue;
		if (cgroup_is(cgroot, line + 3, o->cgroup)) {
			memcpy(o->cgroup_path, line + 3, strlen(line + 3) + 1);
			found = true;
		}
	}
	fclose(f);
	return found;
}

struct walk {
	const char *cgroot;
	struct realm_accts *a;
	size_t unresolved;
	size_t dirs;
};

/* Depth-first under @rel ("" for the root), bounded. */
static void walk_cgroups(struct walk *w, const char *rel, int depth)
{
	char full[512], sub[sizeof(((struct realm_owner *)0)->cgroup_path)];
	struct dirent *d;
	struct stat st;
	size_t i;
	DIR *dir;

	if (depth > CGROUP_DEPTH || !w->unresolved)
		return;
	if (snprintf(full, sizeof(full), "%s%s", w->cgroot, rel) >= (int)sizeof(full))
		return;
	dir = opendir(full);
	if (!dir)
		return;
	while (w->unresolved && w->dirs < CGROUP_DIRS && (d = readdir(dir))) {
		if (d->d_type != DT_DIR || d->d_name[0] == '.')
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", rel, d->d_name) >= (int)sizeof(sub))
			continue;
		w->dirs++;
		if (fstatat(dirfd(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		for (i = 0; i < w->a->n; i++) {
			struct realm_owner *o = &w->a->realms[i].owner;

			if (o->cgroup == (uint64_t)st.st_ino && !o->cgroup_path[0]) {
				memcpy(o->cgroup_path, sub, strlen(sub) + 1);
				w->unresolved--;
			}
		}
		walk_cgroups(w, sub, depth + 1);
	}
	closedir(dir);
}

static void resolve_owners(const char *cgroot, struct realm_accts *a)
{
	struct walk w = { .cgroot = cgroot, .a = a };
	struct realm_owner *o;
	size_t i;

	for (i = 0; i < a->n; i++) {
		o = &a->realms[i].owner;
		if (!o->cgroup)
			continue;
		/* The root cgroup: no path below it. */
		if (cgroup_is(cgroot, "", o->cgroup))
			strcpy(o->cgroup_path, "/");
		else if (!owner_cgroup_by_pid(cgroot, o))
			w.unresolved++;
	}
	walk_cgroups(&w, "", 0);
	for (i = 0; i < a->n; i++) {
		o = &a->realms[i].owner;
		realm_unit_of(o->cgroup_path, o->unit, sizeof(o->unit));
	}
}

int realm_accts_read(const char *root, const char *cgroot,
		     struct realm_accts *a)
{
	struct realm_acct *r;
	struct dirent *d;
	int top, sub, err = 0;
	size_t cap = 0;
	DIR *dir;
	uint32_t id;

	memset(a, 0, sizeof(*a));
	top = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (top < 0)
		return errno == ENOENT ? 0 : -errno;
	a->present = true;
	err = read_u64_files(top, total_files, ARRAY_SIZE(total_files), a);
	sub = err ? -1 : openat(top, "realms", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(top);
	if (err)
		return err;
	if (sub < 0)
		return -errno;
	dir = fdopendir(sub);
	if (!dir) {
		err = -errno;
		close(sub);
		return err;
	}
	while (!err && (d = readdir(dir))) {
		if (!realm_name(d->d_name, &id))
			continue;
		if (a->n == cap) {
			cap = cap ? 2 * cap : 64;
			r = cap > REALMS_MAX ? NULL :
			    realloc(a->realms, cap * sizeof(*r));
			if (!r) {
				err = cap > REALMS_MAX ? -E2BIG : -ENOMEM;
				break;
			}
			a->realms = r;
		}
		r = &a->realms[a->n];
		memset(r, 0, sizeof(*r));
		r->realm = id;
		top = openat(dirfd(dir), d->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (top < 0) {
			err = errno == ENOENT ? 0 : -errno;
			continue;
		}
		err = read_acct(top, r);
		close(top);
		/* Settled and removed while read: it is not there any more. */
		if (err == -ENOENT || err == -ENODEV)
			err = 0;
		else if (!err)
			a->n++;
	}
	closedir(dir);
	if (err)
		return err;
	qsort(a->realms, a->n, sizeof(*a->realms), cmp_realm);
	resolve_owners(cgroot, a);
	return 0;
}

void realm_accts_free(struct realm_accts *a)
{
	free(a->realms);
	a->realms = NULL;
	a->n = 0;
}

const struct realm_acct *realm_acct_find(const struct realm_accts *a,
					 uint32_t realm)
{
	size_t lo = 0, hi = a->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (a->realms[mid].realm == realm)
			return &a->realms[mid];
		if (a->realms[mid].realm < realm)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
