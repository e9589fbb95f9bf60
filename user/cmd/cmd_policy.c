// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sroscope policy: load, swap and unload the BPF allocation policy of the
 * SRO host path (struct sro_policy_ops), and show which one is in charge.
 *
 * A policy is attached through a BPF link pinned at
 * /sys/fs/bpf/sroscope/policy (mode 0600), so it stays in charge after
 * this command exits. The directory must be root's alone (pin_dir_open()).
 * "swap" replaces the policy atomically with BPF_LINK_UPDATE and
 * BPF_F_REPLACE on that pinned link: requests never see a moment without
 * a policy. load, swap, cycle and unload hold a lock on the directory
 * while they read and change the pin, so that two of them never act on
 * the same policy; "unload" detaches the link itself, so that another
 * tool still holding it fails to update it instead of succeeding on a
 * link that is about to go.
 */
#include <argp.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "commands.h"
#include "common.h"
#include "kstats.h"
#include "vocab.h"

#define BPFFS_DIR	"/sys/fs/bpf"
#define PIN_DIR_NAME	"sroscope"	/* SROSCOPE_PIN_DIR in BPFFS_DIR */
#define POLICY_PIN_NAME	"policy"
#define POLICY_PIN	SROSCOPE_PIN_DIR "/" POLICY_PIN_NAME
#define POLICY_TYPE	"sro_policy_ops"
#define MAX_CYCLE	8
#define LOG_SIZE	(1 << 20)
#define LOG_TAIL_LINES	20

/* Directories searched for NAME.bpf.o, in order. */
static void policy_dirs(char dirs[][PATH_MAX], int *n)
{
	const char *env = getenv("SROSCOPE_POLICY_DIR");
	char exe[PATH_MAX];
	ssize_t len;

	*n = 0;
	if (env && *env)
		snprintf(dirs[(*n)++], PATH_MAX, "%s", env);
	/* Next to the binary: <prefix>/bin/sroscope -> <prefix>/lib/... */
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		char *slash;

		exe[len] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (snprintf(dirs[*n], PATH_MAX,
				     "%s/../lib/sroscope/policies", exe) < PATH_MAX)
				(*n)++;
		}
	}
	snprintf(dirs[(*n)++], PATH_MAX, "/usr/lib/sroscope/policies");
}

static int resolve_policy(const char *arg, char *path, size_t len)
{
	char dirs[3][PATH_MAX];
	int n, i, err;

	if (strchr(arg, '/') || strstr(arg, ".bpf.o")) {
		if (access(arg, R_OK)) {
			err = -errno;
			fprintf(stderr, "sroscope policy: cannot read %s: %s\n",
				arg, errstr(err));
			return err;
		}
		snprintf(path, len, "%s", arg);
		return 0;
	}
	policy_dirs(dirs, &n);
	for (i = 0; i < n; i++) {
		if (snprintf(path, len, "%s/%s.bpf.o", dirs[i], arg) >= (int)len)
			continue;
		if (!access(path, R_OK))
			return 0;
	}
	fprintf(stderr, "sroscope policy: no policy named '%s' (see 'sroscope policy list')\n",
		arg);
	return -ENOENT;
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
static int load_object(const char *path, struct loaded *l)
{
	const struct btf_type *t;
	struct bpf_program *prog;
	struct bpf_map *map;
	const char *tname;
	int err, n = 0;

	l->obj = bpf_object__open_file(path, NULL);
	if (!l->obj) {
		err = -errno;
		fprintf(stderr, "sroscope policy: %s is not a BPF object: %s\n",
			path, errstr(err));
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
			fprintf(stderr, "sroscope policy: %s: struct %s %s must be in SEC(\".struct_ops.link\")\n",
				path, POLICY_TYPE, bpf_map__name(map));
			return -EINVAL;
		}
		l->map = map;
		n++;
	}
	if (n != 1) {
		fprintf(stderr, "sroscope policy: %s is not a policy: it must define exactly one struct %s (found %d)\n",
			path, POLICY_TYPE, n);
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
		fprintf(stderr, "sroscope policy: the kernel refused %s: %s\n",
			path, errstr(err));
		if (err == -ENOTSUP || err == -ESRCH || err == -ENOENT)
			fprintf(stderr, "  (a kernel without the SRO policy hook? it needs CONFIG_ARM_RMM_SRO_POLICY and BTF)\n");
		if (l->log[0])
			print_log_tail(l->log);
		return err;
	}
	return 0;
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
static int pin_dir_open(bool create, bool peek)
{
	struct statfs sfs;
	struct stat st;
	int parent, fd, err;

	parent = open(BPFFS_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (parent < 0 || fstatfs(parent, &sfs) || sfs.f_type != BPF_FS_MAGIC) {
		err = parent < 0 ? -errno : -ENODEV;
		fprintf(stderr, "sroscope policy: no bpffs on %s (mount -t bpf bpf %s)\n",
			BPFFS_DIR, BPFFS_DIR);
		if (parent >= 0)
			close(parent);
		return err;
	}
	if (create && mkdirat(parent, PIN_DIR_NAME, 0700) && errno != EEXIST) {
		err = -errno;
		fprintf(stderr, "sroscope policy: cannot create %s: %s\n",
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
		fprintf(stderr, "sroscope policy: %s is %s, not a directory; remove it (rm %s) and run again\n",
			SROSCOPE_PIN_DIR,
			S_ISLNK(st.st_mode) ? "a symbolic link" : "a file",
			SROSCOPE_PIN_DIR);
		close(parent);
		return -ENOTDIR;
	}
	close(parent);
	if (fd < 0) {
		if (create || (err != -ENOENT && !(peek && err == -EACCES)))
			fprintf(stderr, "sroscope policy: cannot open %s: %s\n",
				SROSCOPE_PIN_DIR, errstr(err));
		return err;
	}
	if (fstat(fd, &st) || fstatfs(fd, &sfs)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (sfs.f_type != BPF_FS_MAGIC) {
		fprintf(stderr, "sroscope policy: %s is not on bpffs (something is mounted on it); unmount it and run again\n",
			SROSCOPE_PIN_DIR);
		err = -EXDEV;
	} else if (st.st_uid != 0) {
		fprintf(stderr, "sroscope policy: %s is owned by uid %u, not root: its owner could remove the pinned policy. Remove the directory (rm -r %s) and run again\n",
			SROSCOPE_PIN_DIR, (unsigned int)st.st_uid,
			SROSCOPE_PIN_DIR);
		err = -EPERM;
	} else if (st.st_mode & 077) {
		fprintf(stderr, "sroscope policy: %s has mode %04o: group and others must have no access to the pinned policy (chmod 0700 %s) and run again\n",
			SROSCOPE_PIN_DIR, (unsigned int)(st.st_mode & 07777),
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
 * Serialise the commands that change the pin: each holds an exclusive
 * lock on the pin directory from reading the pin to changing it, so that
 * an unload and a swap cannot both act on the same policy. The lock goes
 * with the descriptor.
 */
static int pin_dir_lock(int dfd)
{
	int err;

	if (!flock(dfd, LOCK_EX | LOCK_NB))
		return 0;
	if (errno == EWOULDBLOCK) {
		fprintf(stderr, "sroscope policy: waiting for another 'sroscope policy' command to finish\n");
		if (!flock(dfd, LOCK_EX))
			return 0;
	}
	err = -errno;
	fprintf(stderr, "sroscope policy: cannot lock %s: %s\n",
		SROSCOPE_PIN_DIR, errstr(err));
	return err;
}

/* The pin directory, verified (or made) and locked; or -errno, said. */
static int pin_dir_open_locked(bool create)
{
	int dfd, err;

	dfd = pin_dir_open(create, false);
	if (dfd < 0)
		return dfd;
	err = pin_dir_lock(dfd);
	if (err) {
		close(dfd);
		return err;
	}
	return dfd;
}

/* Pin @link in @dfd so that the policy outlives this process; 0600. */
static int pin_link(int dfd, struct bpf_link *link)
{
	LIBBPF_OPTS(bpf_obj_pin_opts, opts,
		    .file_flags = BPF_F_PATH_FD, .path_fd = dfd);
	int err;

	err = bpf_obj_pin_opts(bpf_link__fd(link), POLICY_PIN_NAME, &opts);
	if (err) {
		fprintf(stderr, "sroscope policy: cannot pin %s: %s\n",
			POLICY_PIN, errstr(err));
		return err;
	}
	fchmodat(dfd, POLICY_PIN_NAME, 0600, 0);
	return 0;
}

/*
 * The name of the struct_ops map behind the pinned link in @dfd, if any:
 * 0, -ENOENT without a pin, -ENOLINK for a pin whose link was detached.
 */
static int pinned_policy(int dfd, int *link_fd, __u32 *map_id, char *name,
			 size_t len)
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
	*map_id = info.struct_ops.map_id;
	if (!*map_id) {
		close(fd);
		return -ENOLINK;
	}
	mfd = bpf_map_get_fd_by_id(*map_id);
	if (mfd >= 0 && !bpf_map_get_info_by_fd(mfd, &minfo, &mlen))
		snprintf(name, len, "%s", minfo.name);
	else
		snprintf(name, len, "?");
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
static int check_no_pin(int dfd, const char *arg)
{
	char name[BPF_OBJ_NAME_LEN];
	__u32 map_id;
	int err;

	err = pinned_policy(dfd, NULL, &map_id, name, sizeof(name));
	switch (err) {
	case 0:
		fprintf(stderr, "sroscope policy: policy '%s' is already loaded; use 'sroscope policy swap %s'\n",
			name, arg);
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
	fprintf(stderr, "sroscope policy: %s is not a policy link sroscope can replace: %s\n",
		POLICY_PIN, errstr(err));
	return err;
}

static int do_load(const char *arg)
{
	char path[PATH_MAX];
	struct loaded l = {};
	struct bpf_link *link;
	int dfd, err;

	dfd = pin_dir_open_locked(true);
	if (dfd < 0)
		return dfd;
	err = check_no_pin(dfd, arg);
	err = err ?: resolve_policy(arg, path, sizeof(path));
	err = err ?: load_object(path, &l);
	if (err)
		goto out;
	link = bpf_map__attach_struct_ops(l.map);
	if (!link) {
		err = -errno;
		if (err == -EBUSY)
			fprintf(stderr, "sroscope policy: another policy is attached but not pinned by sroscope (loaded by another tool?); detach it first\n");
		else
			fprintf(stderr, "sroscope policy: cannot attach %s: %s\n",
				arg, errstr(err));
		goto out;
	}
	err = pin_link(dfd, link);
	if (err) {
		bpf_link__destroy(link);	/* detaches: default again */
		goto out;
	}
	/* The pin keeps it attached; drop our reference without detaching. */
	bpf_link__disconnect(link);
	bpf_link__destroy(link);
	printf("policy %s loaded from %s\n", bpf_map__name(l.map), path);
out:
	loaded_close(&l);
	close(dfd);
	return err;
}

/*
 * The pin directory, locked, and the link pinned in it with the id of
 * its map; -errno, said, when there is none. For swap, cycle, unload.
 */
static int open_pinned(const char *verb, int *dfd, int *link_fd,
		       __u32 *map_id, char *name, size_t len)
{
	int err;

	*dfd = pin_dir_open_locked(false);
	if (*dfd < 0 && *dfd != -ENOENT)
		return *dfd;
	err = pinned_policy(*dfd, link_fd, map_id, name, len);
	if (!err)
		return 0;
	if (err == -ENOENT)
		fprintf(stderr, "sroscope policy %s: no policy loaded by sroscope (see 'sroscope policy load')\n",
			verb);
	else if (err == -ENOLINK)
		fprintf(stderr, "sroscope policy %s: the pinned policy was detached by another tool; the built-in default is in charge (see 'sroscope policy load')\n",
			verb);
	else
		fprintf(stderr, "sroscope policy %s: cannot read %s: %s\n",
			verb, POLICY_PIN, errstr(err));
	if (*dfd >= 0)
		close(*dfd);
	*dfd = -1;
	return err;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int do_swap(const char *arg)
{
	LIBBPF_OPTS(bpf_link_update_opts, opts, .flags = BPF_F_REPLACE);
	char path[PATH_MAX], old[BPF_OBJ_NAME_LEN];
	int dfd, link_fd = -1, old_fd = -1, err;
	struct loaded l = {};
	struct bpf_link *link;
	uint64_t t0, t1;
	__u32 map_id;

	err = open_pinned("swap", &dfd, &link_fd, &map_id, old, sizeof(old));
	if (err)
		return err;
	old_fd = bpf_map_get_fd_by_id(map_id);
	if (old_fd < 0) {
		err = -errno;
		fprintf(stderr, "sroscope policy: the policy in charge is gone: %s\n",
			errstr(err));
		goto out;
	}
	err = resolve_policy(arg, path, sizeof(path));
	err = err ?: load_object(path, &l);
	if (err)
		goto out;

	/*
	 * Make the new struct_ops map ready. libbpf only writes its value
	 * while attaching; since one policy is already attached, the kernel
	 * refuses the new link with -EBUSY but the value stays written.
	 * Should the old policy have been detached meanwhile by another
	 * tool (sroscope's own commands wait for the lock), the new one is
	 * simply attached and pinned.
	 */
	link = bpf_map__attach_struct_ops(l.map);
	if (link) {
		unlinkat(dfd, POLICY_PIN_NAME, 0);
		err = pin_link(dfd, link);
		if (err)
			bpf_link__destroy(link);
		else {
			bpf_link__disconnect(link);
			bpf_link__destroy(link);
			printf("policy %s loaded (the previous one was gone)\n",
			       bpf_map__name(l.map));
		}
		goto out;
	}
	if (errno != EBUSY) {
		err = -errno;
		fprintf(stderr, "sroscope policy: cannot prepare %s: %s\n",
			arg, errstr(err));
		goto out;
	}

	opts.old_map_fd = old_fd;
	t0 = now_ns();
	err = bpf_link_update(link_fd, bpf_map__fd(l.map), &opts);
	t1 = now_ns();
	if (err) {
		err = -errno;
		if (err == -EPERM || err == -EINVAL)
			fprintf(stderr, "sroscope policy: the policy changed while swapping (another tool swapped?); nothing done\n");
		else if (err == -ENOLINK)
			fprintf(stderr, "sroscope policy: the policy was detached while swapping (by another tool?); nothing done, the built-in default is in charge\n");
		else
			fprintf(stderr, "sroscope policy: swap failed: %s\n",
				errstr(err));
		goto out;
	}
	printf("policy %s replaced by %s in %.1f us\n", old,
	       bpf_map__name(l.map), (t1 - t0) / 1000.0);
out:
	loaded_close(&l);
	if (old_fd >= 0)
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

/*
 * Load every policy in the comma-separated @list once, then swap between
 * them @count times on the pinned link, round robin, and report the swap
 * latency. This is the swap itself, without the cost of loading and
 * verifying a policy each time: what a host pays when it changes policy.
 */
static int do_cycle(const char *list, unsigned long count)
{
	LIBBPF_OPTS(bpf_link_update_opts, opts, .flags = BPF_F_REPLACE);
	char path[PATH_MAX], old[BPF_OBJ_NAME_LEN], *names, *tok, *save;
	struct loaded l[MAX_CYCLE] = {};
	int dfd, link_fd = -1, old_fd = -1, cur_fd, err, n = 0, i;
	uint64_t *lat = NULL, t0;
	struct bpf_link *link;
	unsigned long k;
	__u32 map_id;

	err = open_pinned("cycle", &dfd, &link_fd, &map_id, old, sizeof(old));
	if (err)
		return err;
	old_fd = bpf_map_get_fd_by_id(map_id);
	names = strdup(list);
	lat = calloc(count ?: 1, sizeof(*lat));
	if (old_fd < 0 || !names || !lat) {
		err = -ENOMEM;
		goto out;
	}
	for (tok = strtok_r(names, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (n == MAX_CYCLE) {
			fprintf(stderr, "sroscope policy: at most %d policies to cycle\n",
				MAX_CYCLE);
			err = -E2BIG;
			goto out;
		}
		err = resolve_policy(tok, path, sizeof(path));
		err = err ?: load_object(path, &l[n]);
		if (err)
			goto out;
		/* Writes the map's value; -EBUSY since a policy is attached. */
		link = bpf_map__attach_struct_ops(l[n].map);
		if (link || errno != EBUSY) {
			err = link ? -EINVAL : -errno;
			if (link)	/* the policy in charge was detached */
				bpf_link__destroy(link);
			fprintf(stderr, "sroscope policy: cannot prepare %s: %s\n",
				tok, link ? "nothing else is attached" : errstr(err));
			goto out;
		}
		n++;
	}
	if (!n) {
		err = -EINVAL;
		goto out;
	}
	cur_fd = old_fd;
	for (k = 0; k < count; k++) {
		int next = bpf_map__fd(l[k % n].map);

		opts.old_map_fd = cur_fd;
		t0 = now_ns();
		if (bpf_link_update(link_fd, next, &opts)) {
			err = -errno;
			fprintf(stderr, "sroscope policy: swap %lu failed: %s\n",
				k + 1, errstr(err));
			goto out;
		}
		lat[k] = now_ns() - t0;
		cur_fd = next;
	}
	qsort(lat, count, sizeof(*lat), cmp_u64);
	if (count)
		printf("%lu swaps between %d policies: p50 %.1f us, p99 %.1f us, max %.1f us; now in charge: %s\n",
		       count, n, lat[count / 2] / 1e3, lat[count * 99 / 100] / 1e3,
		       lat[count - 1] / 1e3, bpf_map__name(l[(count - 1) % n].map));
out:
	for (i = 0; i < n + 1 && i < MAX_CYCLE; i++)
		loaded_close(&l[i]);
	free(names);
	free(lat);
	if (old_fd >= 0)
		close(old_fd);
	close(link_fd);
	close(dfd);
	return err;
}

static int do_unload(void)
{
	char name[BPF_OBJ_NAME_LEN];
	int dfd, link_fd, err;
	__u32 map_id;

	err = open_pinned("unload", &dfd, &link_fd, &map_id, name, sizeof(name));
	if (err)
		return err;
	if (unlinkat(dfd, POLICY_PIN_NAME, 0)) {
		err = -errno;
		fprintf(stderr, "sroscope policy: cannot remove %s: %s\n",
			POLICY_PIN, errstr(err));
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
		fprintf(stderr, "sroscope policy: cannot detach %s: %s\n",
			name, errstr(err));
		goto out;
	}
	printf("policy %s unloaded; the built-in default is in charge\n", name);
out:
	close(link_fd);
	close(dfd);
	return err;
}

/* The pinned policy, for list and status: no lock, nothing created. */
static int peek_pinned(__u32 *map_id, char *name, size_t len)
{
	int dfd, err;

	dfd = pin_dir_open(false, true);
	err = pinned_policy(dfd, NULL, map_id, name, len);
	if (dfd >= 0)
		close(dfd);
	return err;
}

static int do_list(void)
{
	char dirs[3][PATH_MAX], name[BPF_OBJ_NAME_LEN];
	int n, i, shown = 0;
	__u32 map_id;

	printf("shipped policies:\n");
	policy_dirs(dirs, &n);
	for (i = 0; i < n; i++) {
		struct dirent *e;
		DIR *d = opendir(dirs[i]);

		if (!d)
			continue;
		while ((e = readdir(d))) {
			size_t len = strlen(e->d_name);

			if (len < 7 || strcmp(e->d_name + len - 6, ".bpf.o"))
				continue;
			printf("  %-12.*s %s/%s\n", (int)(len - 6), e->d_name,
			       dirs[i], e->d_name);
			shown++;
		}
		closedir(d);
		if (shown)
			break;	/* the first directory with policies wins */
	}
	if (!shown)
		printf("  (none found; set SROSCOPE_POLICY_DIR)\n");
	if (!peek_pinned(&map_id, name, sizeof(name)))
		printf("loaded: %s (struct_ops map id %u, pinned at %s)\n",
		       name, map_id, POLICY_PIN);
	else
		printf("loaded: none (built-in default)\n");
	return 0;
}

static int do_status(void)
{
	char name[BPF_OBJ_NAME_LEN];
	struct kstats k;
	__u32 map_id;
	unsigned int i;

	if (kstats_read(SRO_STATS_PATH, &k)) {
		fprintf(stderr, "sroscope policy: cannot read %s: is this a kernel with the SRO series, and debugfs mounted?\n",
			SRO_STATS_PATH);
		return -ENOENT;
	}
	printf("active:     %s\n", k.policy);
	if (!peek_pinned(&map_id, name, sizeof(name)))
		printf("pinned:     %s (map id %u)\n", POLICY_PIN, map_id);
	if (k.policy_since_ns)
		printf("since:      %.1f s ago\n",
		       (boottime_ns() - k.policy_since_ns) / 1e9);
	for (i = 0; i < SRO_SRC_NR; i++)
		printf("decisions:  %-7s %llu\n", sro_source_name(i),
		       (unsigned long long)k.policy_decisions[i]);
	printf("fallbacks:  %llu\n", (unsigned long long)k.policy_fallbacks);
	printf("invalid:    %llu verdicts replaced by the default\n",
	       (unsigned long long)k.policy_invalid);
	printf("swaps:      %llu\n", (unsigned long long)k.policy_swaps);
	return 0;
}

/*
 * The command line: "sroscope policy [-v] VERB [VERB's options] [ARG]".
 * Each verb has its own argp (its options, its --help); -v counts only
 * where a BPF object is loaded, --count only for cycle (docs/cli.md).
 */
struct policy_verb {
	const char *name;
	const char *arg;	/* its argument, as help shows it; NULL: none */
	const char *summary;	/* one line of 'sroscope policy --help' */
	const char *doc;	/* its own --help */
	bool loads;		/* opens BPF objects: -v */
	bool changes;		/* changes the policy: CAP_BPF, CAP_SYS_ADMIN */
};

static const struct policy_verb verbs[] = {
	{ "list", NULL, "shipped policies and the one loaded",
	  "Print the shipped policies and the one loaded.\v"
	  "EXAMPLES:\n  sroscope policy list\n", false, false },
	{ "load", "NAME|FILE", "attach a policy (pinned: it stays after exit)",
	  "Load the policy NAME (or FILE.bpf.o), attach it and pin its link: it\n"
	  "stays in charge after this command exits, until 'sroscope policy unload'.\v"
	  "EXAMPLES:\n  sroscope policy load pool\n"
	  "  sroscope policy load ./my_policy.bpf.o\n", true, true },
	{ "swap", "NAME|FILE", "replace the loaded policy atomically",
	  "Load the policy NAME (or FILE.bpf.o) and replace the one in charge\n"
	  "atomically: no request sees a moment without a policy.\v"
	  "EXAMPLES:\n  sroscope policy swap contig\n"
	  "  sroscope policy swap ./my_policy.bpf.o\n", true, true },
	{ "unload", NULL, "detach it: the built-in default takes over",
	  "Detach the policy in charge: the kernel's built-in default takes over.\v"
	  "EXAMPLES:\n  sroscope policy unload\n", false, true },
	{ "status", NULL, "active policy, since when, decisions per source",
	  "Print the policy in charge, since when, and its decisions per source.\v"
	  "EXAMPLES:\n  sroscope policy status\n", false, false },
	{ "cycle", "A,B,...", "swap between loaded copies of A, B, ... --count\n"
	  "                    times and report the swap latency (tests, benchmarks)",
	  "Load each policy of the list once, then swap between them --count\n"
	  "times on the pinned link and report the latency of one swap (tests,\n"
	  "benchmarks). A policy must already be loaded with 'load'.\v"
	  "EXAMPLES:\n  sroscope policy cycle exact,pool --count 1000\n", true, true },
};

#define NVERBS	(sizeof(verbs) / sizeof(verbs[0]))

static const char policy_doc[] =
"Load, swap and unload the allocation policy of the SRO host path.\n"
"\v"
"'sroscope policy COMMAND --help' describes a command.\n"
"\n"
"EXAMPLES:\n"
"  sroscope policy list\n"
"  sroscope policy load pool\n"
"  sroscope policy swap ./my_policy.bpf.o\n"
"  sroscope policy status\n"
"  sroscope policy cycle exact,pool --count 1000\n";

/* "COMMANDS:" and a line per verb, as --help and usage errors print it. */
static void print_verbs(FILE *f)
{
	char head[32];
	size_t i;

	fprintf(f, "COMMANDS:\n");
	for (i = 0; i < NVERBS; i++) {
		snprintf(head, sizeof(head), "%s%s%s", verbs[i].name,
			 verbs[i].arg ? " " : "", verbs[i].arg ?: "");
		fprintf(f, "  %-17s %s\n", head, verbs[i].summary);
	}
}

/* The verbs after the description in 'sroscope policy --help'. */
static char *policy_help_filter(int key, const char *text, void *input)
{
	char *buf = NULL;
	size_t len;
	FILE *f;

	if (key != ARGP_KEY_HELP_PRE_DOC || !text)
		return (char *)text;
	f = open_memstream(&buf, &len);
	if (!f)
		return (char *)text;
	fprintf(f, "%s\n", text);
	print_verbs(f);
	if (fclose(f)) {
		free(buf);
		return (char *)text;
	}
	return buf;
}

static struct {
	const struct policy_verb *verb;
	int argc;		/* the verb and what follows it */
	char **argv;
	const char *arg;
	unsigned long count;
} penv = {
	.count = 100,
};

static const char *const verb_list =
	"list, load, swap, unload, status or cycle";

static error_t policy_parse(int key, char *arg, struct argp_state *state)
{
	size_t i;

	switch (key) {
	case ARGP_KEY_ARG:
		for (i = 0; i < NVERBS; i++)
			if (!strcmp(arg, verbs[i].name))
				penv.verb = &verbs[i];
		if (!penv.verb)
			argp_error(state, "unknown command '%s': expected %s",
				   arg, verb_list);
		/* The verb parses the rest with its own options. */
		penv.argc = state->argc - state->next + 1;
		penv.argv = &state->argv[state->next - 1];
		state->next = state->argc;
		return 0;
	case ARGP_KEY_NO_ARGS:
		fprintf(stderr, "%s: which command? expected one of:\n\n",
			state->name);
		print_verbs(stderr);
		argp_state_help(state, stderr, ARGP_HELP_SEE | ARGP_HELP_EXIT_ERR);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

enum { OPT_COUNT = 0x100 };

static const struct argp_option cycle_options[] = {
	/* No -n: that is replay's --dry-run (docs/cli.md). */
	{ "count", OPT_COUNT, "N", 0, "How many swaps (default 100)" },
	{},
};

static error_t verb_parse(int key, char *arg, struct argp_state *state)
{
	const struct policy_verb *v = penv.verb;

	switch (key) {
	case OPT_COUNT:
		penv.count = numopt_arg(state, &numopt_swaps, arg);
		return 0;
	case ARGP_KEY_ARG:
		if (!v->arg)
			argp_error(state, "unexpected argument '%s': expected none",
				   arg);
		if (penv.arg)
			argp_error(state, "unexpected argument '%s': expected one %s",
				   arg, v->arg);
		penv.arg = arg;
		return 0;
	case ARGP_KEY_END:
		if (v->arg && !penv.arg)
			argp_error(state, "%s", strchr(v->arg, ',') ?
				   "which policies? expected policy names, comma-separated" :
				   "which policy? expected a policy NAME or a FILE.bpf.o");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

int cmd_policy(int argc, char **argv)
{
	const struct argp_child children[] = {
		{ &verbose_argp }, { &help_argp }, {},
	};
	const struct argp_child verb_children[][3] = {
		{ { &help_argp }, {} },
		{ { &verbose_argp }, { &help_argp }, {} },
	};
	const struct argp argp = {
		.parser = policy_parse, .args_doc = "COMMAND [OPTION...] [ARG]",
		.doc = policy_doc, .children = children,
		.help_filter = policy_help_filter,
	};
	struct argp verb_argp = { .parser = verb_parse };
	const struct policy_verb *v;
	char name[48];

	if (argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, NULL))
		return 2;
	v = penv.verb;
	/* Messages then say "sroscope policy load: ...". */
	snprintf(name, sizeof(name), "%s %s", argv[0], v->name);
	penv.argv[0] = name;
	verb_argp.options = strcmp(v->name, "cycle") ? NULL : cycle_options;
	verb_argp.children = verb_children[v->loads];
	verb_argp.args_doc = v->arg;
	verb_argp.doc = v->doc;
	if (argp_parse(&verb_argp, penv.argc, penv.argv, 0, NULL, NULL))
		return 2;
	setup_libbpf_logging();

	if (v->changes && check_caps(NEED_BPF | NEED_ADMIN, "policy"))
		return 1;
	if (!strcmp(v->name, "list"))
		return do_list() ? 1 : 0;
	if (!strcmp(v->name, "status"))
		return do_status() ? 1 : 0;
	if (!strcmp(v->name, "unload"))
		return do_unload() ? 1 : 0;
	if (!strcmp(v->name, "cycle"))
		return do_cycle(penv.arg, penv.count) ? 1 : 0;
	if (!strcmp(v->name, "load"))
		return do_load(penv.arg) ? 1 : 0;
	return do_swap(penv.arg) ? 1 : 0;
}
