// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Load, swap and unload the SRO allocation policy (user/lib/policy.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "policy.h"

#define BPFFS_DIR	"/sys/fs/bpf"
#define PIN_DIR_NAME	"sroscope"	/* SROSCOPE_PIN_DIR in BPFFS_DIR */
#define POLICY_PIN_NAME	"policy"	/* POLICY_PIN in it */
#define READY_PREFIX	"ready-"	/* + digest: a prepared policy's map */
#define READY_MAX	8	/* prepared policies kept at most */
#define POLICY_TYPE	"sro_policy_ops"
#define LOG_SIZE	(1 << 20)
#define LOG_TAIL_LINES	20
#define NDIRS		3

_Static_assert(POLICY_NAME_LEN == BPF_OBJ_NAME_LEN, "a map's name");

/* Directories searched for NAME.bpf.o, in order; how many. */
static int policy_dirs(char dirs[NDIRS][PATH_MAX])
{
	const char *env = getenv("SROSCOPE_POLICY_DIR");
	char exe[PATH_MAX];
	ssize_t len;
	int n = 0;

	if (env && *env)
		snprintf(dirs[n++], PATH_MAX, "%s", env);
	/* Next to the binary: <prefix>/bin/sroscope -> <prefix>/lib/... */
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		char *slash;

		exe[len] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (snprintf(dirs[n], PATH_MAX,
				     "%s/../lib/sroscope/policies", exe) < PATH_MAX)
				n++;
		}
	}
	snprintf(dirs[n++], PATH_MAX, "/usr/lib/sroscope/policies");
	return n;
}

int policy_resolve(const char *who, const char *arg, char *path, size_t len)
{
	char dirs[NDIRS][PATH_MAX];
	int n, i, err;

	if (strchr(arg, '/') || strstr(arg, ".bpf.o")) {
		if (access(arg, R_OK)) {
			err = -errno;
			fprintf(stderr, "%s: cannot read %s: %s\n", who, arg,
				errstr(err));
			return err;
		}
		if (snprintf(path, len, "%s", arg) >= (int)len) {
			fprintf(stderr, "%s: %s: path too long\n", who, arg);
			return -ENAMETOOLONG;
		}
		return 0;
	}
	n = policy_dirs(dirs);
	for (i = 0; i < n; i++) {
		if (snprintf(path, len, "%s/%s.bpf.o", dirs[i], arg) >= (int)len)
			continue;
		if (!access(path, R_OK))
			return 0;
	}
	fprintf(stderr, "%s: no policy named '%s' (see 'sroscope policy list')\n",
		who, arg);
	return -ENOENT;
}

int policy_shipped(policy_shipped_fn fn, void *ctx)
{
	char dirs[NDIRS][PATH_MAX], path[PATH_MAX];
	int n, i, shown = 0;

	n = policy_dirs(dirs);
	for (i = 0; i < n && !shown; i++) {
		struct dirent *e;
		DIR *d = opendir(dirs[i]);

		if (!d)
			continue;
		while ((e = readdir(d))) {
			size_t len = strlen(e->d_name);
			char name[NAME_MAX + 1];

			if (len < 7 || strcmp(e->d_name + len - 6, ".bpf.o"))
				continue;
			if (snprintf(path, sizeof(path), "%s/%s", dirs[i],
				     e->d_name) >= (int)sizeof(path))
				continue;
			snprintf(name, sizeof(name), "%.*s", (int)(len - 6),
				 e->d_name);
			fn(name, path, ctx);
			shown++;
		}
		closedir(d);
		/* The first directory with policies wins. */
	}
	return shown;
}

struct loaded {
	struct bpf_object *obj;
	struct bpf_map *map;
	char *log;
};

static void loaded_close(struct loaded *l)
{
	bpf_object__close(l->obj);
	free(l->log);
	l->obj = NULL;
	l->log = NULL;
}

/* Print the last lines of the verifier log: the reason is at the end. */
static void print_log_tail(const char *log)
{
	const char *p = log + strlen(log);
	int lines = 0;

	while (p > log && lines <= LOG_TAIL_LINES)
		if (*--p == '\n')
			lines++;
	fprintf(stderr, "verifier log (last lines; -v for all):\n%s\n",
		p == log ? p : p + 1);
}

/* Open @path, check it is a policy, load it into the kernel. */
static int load_object(const char *who, const char *path, struct loaded *l)
{
	const struct btf_type *t;
	struct bpf_program *prog;
	struct bpf_map *map;
	const char *tname;
	int err, n = 0;

	l->obj = bpf_object__open_file(path, NULL);
	if (!l->obj) {
		err = -errno;
		fprintf(stderr, "%s: %s is not a BPF object: %s\n", who, path,
			errstr(err));
		return err;
	}
	bpf_object__for_each_map(map, l->obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		t = btf__type_by_id(bpf_object__btf(l->obj),
				    bpf_map__btf_value_type_id(map));
		tname = t ? btf__name_by_offset(bpf_object__btf(l->obj),
						t->name_off) : NULL;
		if (!tname || strcmp(tname, POLICY_TYPE))
			continue;
		if (!(bpf_map__map_flags(map) & BPF_F_LINK)) {
			fprintf(stderr, "%s: %s: struct %s %s must be in SEC(\".struct_ops.link\")\n",
				who, path, POLICY_TYPE, bpf_map__name(map));
			return -EINVAL;
		}
		l->map = map;
		n++;
	}
	if (n != 1) {
		fprintf(stderr, "%s: %s is not a policy: it must define exactly one struct %s (found %d)\n",
			who, path, POLICY_TYPE, n);
		return -EINVAL;
	}

	/* Keep the verifier's log to explain a rejection. */
	l->log = calloc(1, LOG_SIZE);
	if (!l->log)
		return -ENOMEM;
	/* libbpf asks for the log only when a load fails. */
	bpf_object__for_each_program(prog, l->obj)
		bpf_program__set_log_buf(prog, l->log, LOG_SIZE);
	err = bpf_object__load(l->obj);
	if (err) {
		fprintf(stderr, "%s: the kernel refused %s: %s\n", who, path,
			errstr(err));
		if (err == -ENOTSUP || err == -ESRCH || err == -ENOENT)
			fprintf(stderr, "  (a kernel without the SRO policy hook? it needs CONFIG_ARM_RMM_SRO_POLICY and BTF)\n");
		if (l->log[0])
			print_log_tail(l->log);
		return err;
	}
	return 0;
}

/* @arg resolved and loaded into @l; its path into @path. */
static int load_policy(const char *who, const char *arg, struct loaded *l,
		       char *path, size_t len)
{
	return policy_resolve(who, arg, path, len) ?: load_object(who, path, l);
}

/*
 * The pin directory, as a descriptor everything else is done relative to.
 * It must be root's alone: whoever can write to it can remove the pin and
 * put the built-in default back in charge, and on a bpffs mounted without
 * mode= (1777) anyone can create it first. So it is created 0700, or, when
 * it exists, opened without following a symbolic link and checked on the
 * descriptor itself: a directory on bpffs, owned by root, no access for
 * group or others. Anything else is refused, saying why.
 *
 * @create: make it when it does not exist; without, -ENOENT is returned
 * silently when it does not. @peek: to look only, so say nothing either
 * when this user may not open it. A descriptor or -errno (said).
 */
static int pin_dir_open(const char *who, bool create, bool peek)
{
	struct statfs sfs;
	struct stat st;
	int parent, fd, err;

	parent = open(BPFFS_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (parent < 0 || fstatfs(parent, &sfs) || sfs.f_type != BPF_FS_MAGIC) {
		err = parent < 0 ? -errno : -ENODEV;
		fprintf(stderr, "%s: no bpffs on %s (mount -t bpf bpf %s)\n",
			who, BPFFS_DIR, BPFFS_DIR);
		if (parent >= 0)
			close(parent);
		return err;
	}
	if (create && mkdirat(parent, PIN_DIR_NAME, 0700) && errno != EEXIST) {
		err = -errno;
		fprintf(stderr, "%s: cannot create %s: %s\n", who,
			SROSCOPE_PIN_DIR, errstr(err));
		close(parent);
		return err;
	}
	fd = openat(parent, PIN_DIR_NAME,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	err = fd < 0 ? -errno : 0;
	if (fd < 0 && !fstatat(parent, PIN_DIR_NAME, &st, AT_SYMLINK_NOFOLLOW) &&
	    !S_ISDIR(st.st_mode)) {
		/* ELOOP or ENOTDIR: say which. */
		fprintf(stderr, "%s: %s is %s, not a directory; remove it (rm %s) and run again\n",
			who, SROSCOPE_PIN_DIR,
			S_ISLNK(st.st_mode) ? "a symbolic link" : "a file",
			SROSCOPE_PIN_DIR);
		close(parent);
		return -ENOTDIR;
	}
	close(parent);
	if (fd < 0) {
		if (create || (err != -ENOENT && !(peek && err == -EACCES)))
			fprintf(stderr, "%s: cannot open %s: %s\n", who,
				SROSCOPE_PIN_DIR, errstr(err));
		return err;
	}
	if (fstat(fd, &st) || fstatfs(fd, &sfs)) {
		err = -errno;
		fprintf(stderr, "%s: cannot read %s: %s\n", who,
			SROSCOPE_PIN_DIR, errstr(err));
		close(fd);
		return err;
	}
	if (sfs.f_type != BPF_FS_MAGIC) {
		fprintf(stderr, "%s: %s is not on bpffs (something is mounted on it); unmount it and run again\n",
			who, SROSCOPE_PIN_DIR);
		err = -EXDEV;
	} else if (st.st_uid != 0) {
		fprintf(stderr, "%s: %s is owned by uid %u, not root: its owner could remove the pinned policy. Remove the directory (rm -r %s) and run again\n",
			who, SROSCOPE_PIN_DIR, (unsigned int)st.st_uid,
			SROSCOPE_PIN_DIR);
		err = -EPERM;
	} else if (st.st_mode & 077) {
		fprintf(stderr, "%s: %s has mode %04o: group and others must have no access to the pinned policy (chmod 0700 %s) and run again\n",
			who, SROSCOPE_PIN_DIR, (unsigned int)(st.st_mode & 07777),
			SROSCOPE_PIN_DIR);
		err = -EPERM;
	}
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/*
 * Serialise what changes the pin: each holds an exclusive lock on the pin
 * directory from reading the pin to changing it, so that an unload and a
 * swap cannot both act on the same policy. The lock goes with the
 * descriptor.
 */
static int pin_dir_lock(const char *who, int dfd)
{
	int err;

	if (!flock(dfd, LOCK_EX | LOCK_NB))
		return 0;
	if (errno == EWOULDBLOCK) {
		fprintf(stderr, "%s: waiting for another 'sroscope policy' command to finish\n",
			who);
		if (!flock(dfd, LOCK_EX))
			return 0;
	}
	err = -errno;
	fprintf(stderr, "%s: cannot lock %s: %s\n", who, SROSCOPE_PIN_DIR,
		errstr(err));
	return err;
}

/* The pin directory, verified (or made) and locked; or -errno, said. */
static int pin_dir_open_locked(const char *who, bool create)
{
	int dfd, err;

	dfd = pin_dir_open(who, create, false);
	if (dfd < 0)
		return dfd;
	err = pin_dir_lock(who, dfd);
	if (err) {
		close(dfd);
		return err;
	}
	return dfd;
}

/* Pin @link in @dfd so that the policy outlives this process; 0600. */
static int pin_link(const char *who, int dfd, struct bpf_link *link)
{
	LIBBPF_OPTS(bpf_obj_pin_opts, opts,
		    .file_flags = BPF_F_PATH_FD, .path_fd = dfd);
	int err;

	err = bpf_obj_pin_opts(bpf_link__fd(link), POLICY_PIN_NAME, &opts);
	if (err) {
		fprintf(stderr, "%s: cannot pin %s: %s\n", who, POLICY_PIN,
			errstr(err));
		return err;
	}
	fchmodat(dfd, POLICY_PIN_NAME, 0600, 0);
	return 0;
}

/*
 * Pin @link in @dfd and drop this process's reference without detaching:
 * the pin keeps it attached. On failure the link is destroyed, which
 * detaches it.
 */
static int pin_and_release(const char *who, int dfd, struct bpf_link *link)
{
	int err = pin_link(who, dfd, link);

	if (!err)
		bpf_link__disconnect(link);
	bpf_link__destroy(link);
	return err;
}

/*
 * The struct_ops map behind the pinned link in @dfd, if any: 0, -ENOENT
 * without a pin, -ENOLINK for a pin whose link was detached. @link_fd:
 * the link, open (may be NULL).
 */
static int pinned_policy(int dfd, int *link_fd, struct policy_pinned *p)
{
	LIBBPF_OPTS(bpf_obj_get_opts, opts,
		    .file_flags = BPF_F_PATH_FD, .path_fd = dfd);
	struct bpf_link_info info = {};
	struct bpf_map_info minfo = {};
	__u32 ilen = sizeof(info), mlen = sizeof(minfo);
	int fd, mfd;

	if (dfd < 0)
		return -ENOENT;
	fd = bpf_obj_get_opts(POLICY_PIN_NAME, &opts);
	if (fd < 0)
		return -errno;
	if (bpf_link_get_info_by_fd(fd, &info, &ilen) ||
	    info.type != BPF_LINK_TYPE_STRUCT_OPS) {
		close(fd);
		return -EINVAL;
	}
	p->map_id = info.struct_ops.map_id;
	if (!p->map_id) {
		close(fd);
		return -ENOLINK;
	}
	mfd = bpf_map_get_fd_by_id(p->map_id);
	if (mfd >= 0 && !bpf_map_get_info_by_fd(mfd, &minfo, &mlen))
		snprintf(p->name, sizeof(p->name), "%s", minfo.name);
	else
		snprintf(p->name, sizeof(p->name), "?");
	if (mfd >= 0)
		close(mfd);
	if (link_fd)
		*link_fd = fd;
	else
		close(fd);
	return 0;
}

/*
 * Whether a pin left in @dfd by an earlier command can be replaced:
 * none, or one whose link someone detached. Says why not.
 */
static int check_no_pin(const char *who, int dfd, const char *arg)
{
	struct policy_pinned p;
	int err;

	err = pinned_policy(dfd, NULL, &p);
	switch (err) {
	case 0:
		fprintf(stderr, "%s: policy '%s' is already loaded; use 'sroscope policy swap %s'\n",
			who, p.name, arg);
		return -EEXIST;
	case -ENOENT:
		return 0;
	case -ENOLINK:
		/* Detached by another tool: nothing to keep. */
		if (!unlinkat(dfd, POLICY_PIN_NAME, 0))
			return 0;
		err = -errno;
		break;
	}
	fprintf(stderr, "%s: %s is not a policy link sroscope can replace: %s\n",
		who, POLICY_PIN, errstr(err));
	return err;
}

/*
 * What identifies a policy object: FNV-1a over its bytes. Not a defence
 * against anyone: whoever can write the object chooses the policy anyway,
 * and a prepared copy is only ever one root loaded from some object.
 */
static int object_digest(const char *who, const char *path, uint64_t *h)
{
	unsigned char buf[8192];
	ssize_t n, i;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		fprintf(stderr, "%s: cannot read %s: %s\n", who, path,
			errstr(err));
		return err;
	}
	*h = 0xcbf29ce484222325ULL;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			*h = (*h ^ buf[i]) * 0x100000001b3ULL;
	if (n < 0) {
		err = -errno;
		fprintf(stderr, "%s: cannot read %s: %s\n", who, path,
			errstr(err));
	}
	close(fd);
	return err;
}

/* The id of the map @fd, 0 when it cannot be read. */
static __u32 map_id_of(int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	return bpf_map_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

static void ready_name(char *name, size_t len, uint64_t digest)
{
	snprintf(name, len, READY_PREFIX "%016llx",
		 (unsigned long long)digest);
}

/*
 * The prepared copy of the object of @digest pinned in @dfd: a struct_ops
 * map of the type of @type_id (the policy in charge's value type, 0: any),
 * loaded and verified earlier, ready to be swapped in. Its fd and info, or
 * -ENOENT (none, or a pin that is not such a map: removed).
 */
static int ready_get(int dfd, uint64_t digest, __u32 type_id,
		     struct bpf_map_info *info)
{
	LIBBPF_OPTS(bpf_obj_get_opts, opts,
		    .file_flags = BPF_F_PATH_FD, .path_fd = dfd);
	__u32 len = sizeof(*info);
	char name[32];
	int fd;

	ready_name(name, sizeof(name), digest);
	fd = bpf_obj_get_opts(name, &opts);
	if (fd < 0)
		return -ENOENT;
	memset(info, 0, sizeof(*info));
	if (!bpf_map_get_info_by_fd(fd, info, &len) &&
	    info->type == BPF_MAP_TYPE_STRUCT_OPS &&
	    info->btf_vmlinux_value_type_id && (info->map_flags & BPF_F_LINK) &&
	    (!type_id || info->btf_vmlinux_value_type_id == type_id))
		return fd;
	close(fd);
	unlinkat(dfd, name, 0);
	return -ENOENT;
}

/* @dfd's entries, from the start (not through its own offset). */
static DIR *pin_dir_list(int dfd)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (!d && fd >= 0)
		close(fd);
	return d;
}

/* Remove the prepared policies in @dfd but the one of map @keep_id. */
static void ready_drop(int dfd, __u32 keep_id)
{
	LIBBPF_OPTS(bpf_obj_get_opts, opts,
		    .file_flags = BPF_F_PATH_FD, .path_fd = dfd);
	DIR *d = pin_dir_list(dfd);
	struct dirent *e;
	int fd;

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);

		if (strncmp(e->d_name, READY_PREFIX, strlen(READY_PREFIX)))
			continue;
		fd = bpf_obj_get_opts(e->d_name, &opts);
		if (fd >= 0 && keep_id &&
		    !bpf_map_get_info_by_fd(fd, &info, &len) &&
		    info.id == keep_id) {
			close(fd);
			continue;
		}
		if (fd >= 0)
			close(fd);
		unlinkat(dfd, e->d_name, 0);
	}
	closedir(d);
}

/* How many prepared policies @dfd holds. */
static int ready_count(int dfd)
{
	DIR *d = pin_dir_list(dfd);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		n += !strncmp(e->d_name, READY_PREFIX, strlen(READY_PREFIX));
	closedir(d);
	return n;
}

/*
 * Keep @map_fd, a policy just loaded from the object of @digest, pinned
 * as prepared (0600) so that a later swap to it needs no load: loading
 * parses the kernel's BTF and runs the verifier, most of a swap's time.
 * When READY_MAX are kept, those not in charge (@in_charge_id) go first.
 * Best effort: a swap works the same without.
 */
static void ready_put(int dfd, int map_fd, uint64_t digest, __u32 in_charge_id)
{
	LIBBPF_OPTS(bpf_obj_pin_opts, opts,
		    .file_flags = BPF_F_PATH_FD, .path_fd = dfd);
	char name[32];

	ready_name(name, sizeof(name), digest);
	unlinkat(dfd, name, 0);
	if (ready_count(dfd) >= READY_MAX)
		ready_drop(dfd, in_charge_id);
	if (!bpf_obj_pin_opts(map_fd, name, &opts))
		fchmodat(dfd, name, 0600, 0);
}

int policy_load(const char *who, const char *arg, struct policy_loaded *out)
{
	struct loaded l = {};
	struct bpf_link *link;
	int dfd, err;

	uint64_t digest;

	dfd = pin_dir_open_locked(who, true);
	if (dfd < 0)
		return dfd;
	err = check_no_pin(who, dfd, arg);
	err = err ?: policy_resolve(who, arg, out->path, sizeof(out->path));
	err = err ?: object_digest(who, out->path, &digest);
	err = err ?: load_object(who, out->path, &l);
	if (err)
		goto out;
	link = bpf_map__attach_struct_ops(l.map);
	if (!link) {
		err = -errno;
		if (err == -EBUSY)
			fprintf(stderr, "%s: another policy is attached but not pinned by sroscope (loaded by another tool?); detach it first\n",
				who);
		else
			fprintf(stderr, "%s: cannot attach %s: %s\n", who, arg,
				errstr(err));
		goto out;
	}
	err = pin_and_release(who, dfd, link);
	if (!err) {
		snprintf(out->name, sizeof(out->name), "%s",
			 bpf_map__name(l.map));
		out->map_id = map_id_of(bpf_map__fd(l.map));
		ready_put(dfd, bpf_map__fd(l.map), digest, 0);
	}
out:
	loaded_close(&l);
	close(dfd);
	return err;
}

/*
 * The pin directory, locked, and the link pinned in it; -errno, said,
 * when there is none. For swap, cycle, unload: @verb names it.
 */
static int open_pinned(const char *who, const char *verb, int *dfd,
		       int *link_fd, struct policy_pinned *p)
{
	int err;

	*dfd = pin_dir_open_locked(who, false);
	if (*dfd < 0 && *dfd != -ENOENT)
		return *dfd;
	err = pinned_policy(*dfd, link_fd, p);
	if (!err)
		return 0;
	if (err == -ENOENT)
		fprintf(stderr, "%s %s: no policy loaded by sroscope (see 'sroscope policy load')\n",
			who, verb);
	else if (err == -ENOLINK)
		fprintf(stderr, "%s %s: the pinned policy was detached by another tool; the built-in default is in charge (see 'sroscope policy load')\n",
			who, verb);
	else
		fprintf(stderr, "%s %s: cannot read %s: %s\n", who, verb,
			POLICY_PIN, errstr(err));
	if (*dfd >= 0)
		close(*dfd);
	*dfd = -1;
	return err;
}

/*
 * open_pinned(), and the map of the policy in charge, which a link
 * update names to replace (@old_fd).
 */
static int open_in_charge(const char *who, const char *verb, int *dfd,
			  int *link_fd, int *old_fd, struct policy_pinned *p)
{
	int err;

	err = open_pinned(who, verb, dfd, link_fd, p);
	if (err)
		return err;
	*old_fd = bpf_map_get_fd_by_id(p->map_id);
	if (*old_fd >= 0)
		return 0;
	err = -errno;
	fprintf(stderr, "%s: the policy in charge is gone: %s\n", who,
		errstr(err));
	close(*link_fd);
	close(*dfd);
	*link_fd = *dfd = -1;
	return err;
}

/*
 * Make @l's struct_ops map ready to be swapped in. libbpf only writes its
 * value while attaching; since one policy is already attached, the kernel
 * refuses the new link with -EBUSY but the value stays written. @link:
 * the link when it attached after all (the policy in charge was detached
 * meanwhile by another tool), else NULL.
 */
static int prepare(const char *who, const char *arg, struct loaded *l,
		   struct bpf_link **link)
{
	int err;

	*link = bpf_map__attach_struct_ops(l->map);
	if (*link || errno == EBUSY)
		return 0;
	err = -errno;
	fprintf(stderr, "%s: cannot prepare %s: %s\n", who, arg, errstr(err));
	return err;
}

/*
 * The map to swap in for @arg: its prepared copy when there is one, else
 * the object loaded, made ready and kept prepared. @l: what was loaded
 * (nothing for a prepared copy); @link: see prepare().
 */
static int swap_target(const char *who, const char *arg, int dfd,
		       int old_fd, __u32 in_charge_id, struct loaded *l,
		       struct bpf_link **link, struct policy_swapped *s)
{
	struct bpf_map_info info, old = {};
	__u32 len = sizeof(old);
	char path[PATH_MAX];
	uint64_t digest;
	int fd, err;

	*link = NULL;
	err = policy_resolve(who, arg, path, sizeof(path));
	err = err ?: object_digest(who, path, &digest);
	if (err)
		return err;
	/* Only a copy of the same struct_ops type can replace it. */
	if (bpf_map_get_info_by_fd(old_fd, &old, &len))
		old.btf_vmlinux_value_type_id = 0;
	fd = ready_get(dfd, digest, old.btf_vmlinux_value_type_id, &info);
	if (fd >= 0) {
		s->prepared = true;
		snprintf(s->name, sizeof(s->name), "%s", info.name);
		s->map_id = info.id;
		s->same = info.id == in_charge_id;
		return fd;
	}
	err = load_object(who, path, l);
	err = err ?: prepare(who, arg, l, link);
	if (err)
		return err;
	snprintf(s->name, sizeof(s->name), "%s", bpf_map__name(l->map));
	s->map_id = map_id_of(bpf_map__fd(l->map));
	ready_put(dfd, bpf_map__fd(l->map), digest, in_charge_id);
	fd = dup(bpf_map__fd(l->map));
	if (fd >= 0)
		return fd;
	err = -errno;
	fprintf(stderr, "%s: %s\n", who, errstr(err));
	return err;
}

int policy_swap(const char *who, const char *arg, struct policy_swapped *s)
{
	LIBBPF_OPTS(bpf_link_update_opts, opts, .flags = BPF_F_REPLACE);
	int dfd, link_fd = -1, old_fd = -1, new_fd = -1, err;
	struct policy_pinned old;
	struct loaded l = {};
	struct bpf_link *link;
	uint64_t t0;

	memset(s, 0, sizeof(*s));
	err = open_in_charge(who, "swap", &dfd, &link_fd, &old_fd, &old);
	if (err)
		return err;
	snprintf(s->old, sizeof(s->old), "%s", old.name);
	new_fd = swap_target(who, arg, dfd, old_fd, old.map_id, &l, &link, s);
	if (new_fd < 0) {
		err = new_fd;
		goto out;
	}
	/*
	 * The old policy was detached meanwhile by another tool (sroscope's
	 * own commands wait for the lock): the new one is simply pinned.
	 */
	if (link) {
		unlinkat(dfd, POLICY_PIN_NAME, 0);
		err = pin_and_release(who, dfd, link);
		s->was_gone = true;
		goto out;
	}
	/* Already in charge: replacing it with itself would reset it. */
	if (s->same)
		goto out;

	opts.old_map_fd = old_fd;
	t0 = boottime_ns();
	err = bpf_link_update(link_fd, new_fd, &opts);
	s->ns = boottime_ns() - t0;
	if (err) {
		err = -errno;
		if (err == -EPERM || err == -EINVAL)
			fprintf(stderr, "%s: the policy changed while swapping (another tool swapped?); nothing done\n",
				who);
		else if (err == -ENOLINK)
			fprintf(stderr, "%s: the policy was detached while swapping (by another tool?); nothing done, the built-in default is in charge\n",
				who);
		else
			fprintf(stderr, "%s: swap failed: %s\n", who,
				errstr(err));
	}
out:
	loaded_close(&l);
	if (new_fd >= 0)
		close(new_fd);
	close(old_fd);
	close(link_fd);
	close(dfd);
	return err;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Each policy of @list loaded into @l and made ready; how many in @n. */
static int cycle_prepare(const char *who, const char *list, struct loaded *l,
			 int *n)
{
	char path[PATH_MAX], *names, *tok, *save;
	struct bpf_link *link;
	int err = 0;

	names = strdup(list);
	if (!names)
		return -ENOMEM;
	for (tok = strtok_r(names, ",", &save); tok && !err;
	     tok = strtok_r(NULL, ",", &save)) {
		if (*n == POLICY_CYCLE_MAX) {
			fprintf(stderr, "%s: at most %d policies to cycle\n",
				who, POLICY_CYCLE_MAX);
			err = -E2BIG;
			break;
		}
		/* Counted first: the caller closes what it opened. */
		err = load_policy(who, tok, &l[(*n)++], path, sizeof(path));
		err = err ?: prepare(who, tok, &l[*n - 1], &link);
		if (!err && link) {
			/* The policy in charge was detached. */
			bpf_link__destroy(link);
			fprintf(stderr, "%s: cannot prepare %s: nothing else is attached\n",
				who, tok);
			err = -EINVAL;
		}
	}
	free(names);
	if (!err && !*n) {
		fprintf(stderr, "%s: which policies? none in '%s'\n", who, list);
		err = -EINVAL;
	}
	return err;
}

int policy_cycle(const char *who, const char *list, unsigned long count,
		 struct policy_cycled *c)
{
	LIBBPF_OPTS(bpf_link_update_opts, opts, .flags = BPF_F_REPLACE);
	struct loaded l[POLICY_CYCLE_MAX] = {};
	int dfd, link_fd = -1, old_fd = -1, cur_fd, err, n = 0, i;
	struct policy_pinned old;
	uint64_t *lat = NULL, t0;
	unsigned long k;

	memset(c, 0, sizeof(*c));
	err = open_in_charge(who, "cycle", &dfd, &link_fd, &old_fd, &old);
	if (err)
		return err;
	lat = calloc(count ?: 1, sizeof(*lat));
	if (!lat) {
		err = -ENOMEM;
		fprintf(stderr, "%s: %s\n", who, errstr(err));
		goto out;
	}
	err = cycle_prepare(who, list, l, &n);
	if (err)
		goto out;
	cur_fd = old_fd;
	for (k = 0; k < count; k++) {
		int next = bpf_map__fd(l[k % n].map);

		opts.old_map_fd = cur_fd;
		t0 = boottime_ns();
		if (bpf_link_update(link_fd, next, &opts)) {
			err = -errno;
			fprintf(stderr, "%s: swap %lu failed: %s\n", who, k + 1,
				errstr(err));
			goto out;
		}
		lat[k] = boottime_ns() - t0;
		cur_fd = next;
	}
	qsort(lat, count, sizeof(*lat), cmp_u64);
	c->policies = n;
	if (count) {
		c->p50_ns = lat[count / 2];
		c->p99_ns = lat[count * 99 / 100];
		c->max_ns = lat[count - 1];
		snprintf(c->now, sizeof(c->now), "%s",
			 bpf_map__name(l[(count - 1) % n].map));
	}
out:
	for (i = 0; i < n; i++)
		loaded_close(&l[i]);
	free(lat);
	close(old_fd);
	close(link_fd);
	close(dfd);
	return err;
}

int policy_unload_if(const char *who, __u32 map_id, struct policy_pinned *was)
{
	struct policy_pinned p;
	int dfd, link_fd, err;

	err = open_pinned(who, "unload", &dfd, &link_fd, &p);
	if (err)
		return err;
	if (map_id && p.map_id != map_id) {
		err = -ESTALE;
		goto out;
	}
	if (unlinkat(dfd, POLICY_PIN_NAME, 0)) {
		err = -errno;
		fprintf(stderr, "%s: cannot remove %s: %s\n", who, POLICY_PIN,
			errstr(err));
		goto out;
	}
	/*
	 * Detach now rather than when the last reference goes: a process
	 * still holding the link (another tool, or a sroscope of before the
	 * lock) then fails to update it instead of swapping in a policy
	 * that vanishes as soon as it exits.
	 */
	if (bpf_link_detach(link_fd)) {
		err = -errno;
		fprintf(stderr, "%s: cannot detach %s: %s\n", who, p.name,
			errstr(err));
		goto out;
	}
	if (was)
		*was = p;
	/* Nothing is in charge to swap from: the prepared copies go too. */
	ready_drop(dfd, 0);
out:
	close(link_fd);
	close(dfd);
	return err;
}

int policy_unload(const char *who, struct policy_pinned *was)
{
	return policy_unload_if(who, 0, was);
}

int policy_put(const char *who, const char *arg, struct policy_swapped *s)
{
	struct policy_pinned p;
	struct policy_loaded l;
	int dfd, err;

	/* A look only: load and swap check the directory and say why not. */
	dfd = open(SROSCOPE_PIN_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		   O_CLOEXEC);
	err = pinned_policy(dfd, NULL, &p);
	if (dfd >= 0)
		close(dfd);
	if (err != -ENOENT && err != -ENOLINK)
		return policy_swap(who, arg, s);
	memset(s, 0, sizeof(*s));
	err = policy_load(who, arg, &l);
	if (err)
		return err;
	snprintf(s->old, sizeof(s->old), "default");
	snprintf(s->name, sizeof(s->name), "%s", l.name);
	s->map_id = l.map_id;
	s->was_gone = true;
	return 0;
}

int policy_prepared_id(const char *who, const char *arg, __u32 *map_id)
{
	struct bpf_map_info info;
	char path[PATH_MAX];
	uint64_t digest;
	int dfd, fd, err;

	err = policy_resolve(who, arg, path, sizeof(path));
	err = err ?: object_digest(who, path, &digest);
	if (err)
		return err;
	dfd = pin_dir_open(who, false, true);
	if (dfd < 0)
		return -ENOENT;
	fd = ready_get(dfd, digest, 0, &info);
	close(dfd);
	if (fd < 0)
		return fd;
	close(fd);
	*map_id = info.id;
	return 0;
}

int policy_pinned(const char *who, struct policy_pinned *p)
{
	int dfd, err;

	dfd = pin_dir_open(who, false, true);
	err = pinned_policy(dfd, NULL, p);
	if (dfd >= 0)
		close(dfd);
	return err;
}

int policy_status(const char *who, struct policy_status *st)
{
	memset(st, 0, sizeof(*st));
	if (kstats_read(SRO_STATS_PATH, &st->k)) {
		fprintf(stderr, "%s: cannot read %s: is this a kernel with the SRO series, and debugfs mounted?\n",
			who, SRO_STATS_PATH);
		return -ENOENT;
	}
	st->pinned = !policy_pinned(who, &st->pin);
	return 0;
}
