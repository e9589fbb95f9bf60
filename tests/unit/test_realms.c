// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The kernel's per-realm accounts (user/lib/realms.h), on a fake tree. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tmpdir.h"
#include "realms.h"

static char root[300], cgroot[300];

static void put(const char *dir, const char *name, const char *text)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	put_file(p, text, 0644);
}

static void mkdirp(const char *p)
{
	char buf[512], *s;

	snprintf(buf, sizeof(buf), "%s", p);
	for (s = buf + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(buf, 0755);
			*s = '/';
		}
	}
	mkdir(buf, 0755);
}

static uint64_t ino(const char *p)
{
	struct stat st;

	assert_int_equal(stat(p, &st), 0);
	return st.st_ino;
}

/* A realm directory as the kernel writes it. */
static void realm(uint32_t id, int gone, uint64_t held, uint64_t given_up,
		  int pid, const char *comm, uint64_t cgroup)
{
	char d[400], v[64];

	snprintf(d, sizeof(d), "%s/realms/%u", root, id);
	mkdirp(d);
	snprintf(v, sizeof(v), "%d\n", gone);
	put(d, "gone", v);
	snprintf(v, sizeof(v), "%llu\n", (unsigned long long)held);
	put(d, "held_bytes", v);
	put(d, "donated_bytes", "65536\n");
	put(d, "returned_bytes", "4096\n");
	put(d, "quarantined_bytes", "0\n");
	snprintf(v, sizeof(v), "%llu\n", (unsigned long long)given_up);
	put(d, "given_up_bytes", v);
	snprintf(v, sizeof(v), "%d\n", pid);
	put(d, "owner_pid", v);
	snprintf(v, sizeof(v), "%s\n", comm);
	put(d, "owner_comm", v);
	snprintf(v, sizeof(v), "%llu\n", (unsigned long long)cgroup);
	put(d, "owner_cgroup", v);
}

static int setup_tree(void **state)
{
	if (setup(state))
		return -1;
	snprintf(root, sizeof(root), "%s/sro", tmpdir);
	snprintf(cgroot, sizeof(cgroot), "%s/cgroup", tmpdir);
	mkdirp(root);
	put(root, "held_bytes", "12288\n");
	put(root, "donated_bytes", "131072\n");
	put(root, "returned_bytes", "118784\n");
	put(root, "quarantined_bytes", "0\n");
	put(root, "given_up_bytes", "4096\n");
	put(root, "realms_untracked", "0\n");
	mkdirp(cgroot);
	return 0;
}

static int teardown_tree(void **state)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf %s/sro %s/cgroup", tmpdir, tmpdir);
	if (system(cmd))
		return -1;
	return teardown(state);
}

static void test_unit_of(void **state)
{
	char buf[64];

	assert_string_equal(realm_unit_of("/machine.slice/machine-qemu\\x2d1\\x2dvm.scope/libvirt",
					  buf, sizeof(buf)),
			    "machine-qemu\\x2d1\\x2dvm.scope");
	assert_string_equal(realm_unit_of("/system.slice/vmm.service", buf, sizeof(buf)),
			    "vmm.service");
	assert_string_equal(realm_unit_of("/user.slice/user-0.slice/session-3.scope",
					  buf, sizeof(buf)), "session-3.scope");
	assert_string_equal(realm_unit_of("/", buf, sizeof(buf)), "");
	assert_string_equal(realm_unit_of("/a.slice/.service", buf, sizeof(buf)), "");
	/* cut to the buffer */
	assert_string_equal(realm_unit_of("/vmm.service", buf, 4), "vmm");
}

static void test_read(void **state)
{
	char unit[400], other[400];
	struct realm_accts a;
	const struct realm_acct *r;

	snprintf(unit, sizeof(unit), "%s/machine.slice/qemu-7.scope", cgroot);
	mkdirp(unit);
	snprintf(other, sizeof(other), "%s/system.slice", cgroot);
	mkdirp(other);
	realm(12, 0, 8192, 0, 4242, "qemu-system-aar", ino(unit));
	realm(3, 1, 4096, 4096, 77, "kvm\x01tool", ino(cgroot));
	realm(40, 1, 0, 0, 1, "init", 999999999);
	snprintf(other, sizeof(other), "%s/realms/not-a-realm", root);
	mkdirp(other);

	assert_int_equal(realm_accts_read(root, cgroot, &a), 0);
	assert_true(a.present);
	assert_int_equal(a.held_bytes, 12288);
	assert_int_equal(a.given_up_bytes, 4096);
	assert_int_equal(a.n, 3);
	/* by id */
	assert_int_equal(a.realms[0].realm, 3);
	assert_int_equal(a.realms[2].realm, 40);
	r = realm_acct_find(&a, 12);
	assert_non_null(r);
	assert_false(r->gone);
	assert_int_equal(r->held_bytes, 8192);
	assert_int_equal(r->donated_bytes, 65536);
	assert_int_equal(r->owner.pid, 4242);
	assert_string_equal(r->owner.comm, "qemu-system-aar");
	/* the pid is not ours: found by walking the cgroup tree */
	assert_string_equal(r->owner.cgroup_path, "/machine.slice/qemu-7.scope");
	assert_string_equal(r->owner.unit, "qemu-7.scope");
	r = realm_acct_find(&a, 3);
	assert_true(r->gone);
	assert_int_equal(r->given_up_bytes, 4096);
	/* a task's name is shown printable */
	assert_string_equal(r->owner.comm, "kvm?tool");
	assert_string_equal(r->owner.cgroup_path, "/");
	assert_string_equal(r->owner.unit, "");
	/* a cgroup that is gone: the id stays, no path */
	r = realm_acct_find(&a, 40);
	assert_int_equal(r->owner.cgroup, 999999999);
	assert_string_equal(r->owner.cgroup_path, "");
	assert_null(realm_acct_find(&a, 4));
	realm_accts_free(&a);
}

static void test_bad(void **state)
{
	char d[400];
	struct realm_accts a;

	realm(5, 0, 4096, 0, 1, "x", 0);
	snprintf(d, sizeof(d), "%s/realms/5", root);
	put(d, "held_bytes", "12ab\n");
	assert_int_equal(realm_accts_read(root, cgroot, &a), -EINVAL);
	realm_accts_free(&a);
	put(d, "held_bytes", "-1\n");
	assert_int_equal(realm_accts_read(root, cgroot, &a), -EINVAL);
	realm_accts_free(&a);
	put(d, "held_bytes", "4096\n");
	put(d, "gone", "2\n");
	assert_int_equal(realm_accts_read(root, cgroot, &a), -EINVAL);
	realm_accts_free(&a);
	put(d, "gone", "0\n");
	assert_int_equal(realm_accts_read(root, cgroot, &a), 0);
	realm_accts_free(&a);
	/* a kernel without them: nothing, no error */
	snprintf(d, sizeof(d), "%s/none", tmpdir);
	assert_int_equal(realm_accts_read(d, cgroot, &a), 0);
	assert_false(a.present);
	assert_int_equal(a.n, 0);
	realm_accts_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unit_of),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, setup_tree, teardown_tree);
}
