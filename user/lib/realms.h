/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel's own per-realm accounts, /sys/kernel/sro/ (kernel/patches,
 * sro_realms.c; Documentation/ABI/testing/sysfs-kernel-sro): what each
 * realm was given, gave back, holds and lost, and who created it. Kept by
 * the kernel whether or not sroscope runs, so they are complete when the
 * tracer was attached late, and they name a realm's VMM: its process, its
 * cgroup and, from the cgroup's path, its systemd unit.
 */
#ifndef SROSCOPE_REALMS_H
#define SROSCOPE_REALMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REALMS_SYSFS	"/sys/kernel/sro"
#define REALMS_CGROUP_ROOT	"/sys/fs/cgroup"

struct realm_owner {
	int32_t pid;		/* thread group id, 0: unknown */
	char comm[16];		/* its name when it created the realm */
	uint64_t cgroup;	/* cgroup v2 id (inode), 0: none */
	char cgroup_path[256];	/* "/machine.slice/x.scope", "" unknown */
	char unit[128];		/* systemd unit of that cgroup, "" none */
};

struct realm_acct {
	uint32_t realm;
	bool gone;		/* its descriptor came back: destroyed */
	uint64_t held_bytes;
	uint64_t donated_bytes;
	uint64_t returned_bytes;
	uint64_t quarantined_bytes;
	uint64_t given_up_bytes;
	struct realm_owner owner;
};

struct realm_accts {
	bool present;		/* the kernel keeps them (the directory exists) */
	uint64_t held_bytes;	/* the totals, every realm included */
	uint64_t donated_bytes;
	uint64_t returned_bytes;
	uint64_t quarantined_bytes;
	uint64_t given_up_bytes;
	uint64_t untracked;	/* realms with no entry of their own */
	struct realm_acct *realms;	/* by realm id */
	size_t n;
};

/*
 * Read every realm under @root (REALMS_SYSFS) and resolve owners' cgroups
 * under @cgroot (REALMS_CGROUP_ROOT). No @root directory: 0 with
 * present false. An entry that vanishes while read (its realm settled)
 * is skipped; an unreadable or malformed value is an error. 0 or -errno;
 * realm_accts_free() @a either way.
 */
int realm_accts_read(const char *root, const char *cgroot,
		     struct realm_accts *a);
void realm_accts_free(struct realm_accts *a);

/* @realm's entry in @a, or NULL. */
const struct realm_acct *realm_acct_find(const struct realm_accts *a,
					 uint32_t realm);

/*
 * The systemd unit a cgroup path is in: its last component that ends in
 * ".service" or ".scope" ("machine-qemu\x2d1\x2dvm.scope"), or "" when
 * none. Into @buf of @len; returns @buf.
 */
char *realm_unit_of(const char *cgroup_path, char *buf, size_t len);

#endif
