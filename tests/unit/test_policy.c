// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What of the policy API (user/lib/policy.c) needs no kernel: a policy
 * found by name or taken as a file, and the list of shipped ones, from
 * $SROSCOPE_POLICY_DIR.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "policy.h"
#include "tmpdir.h"

#define WHO	"test"

static char pa[300], pb[300], other[300], dot[300];

static int policy_setup(void **state)
{
	if (setup(state))
		return -1;
	snprintf(pa, sizeof(pa), "%s/alpha.bpf.o", tmpdir);
	snprintf(pb, sizeof(pb), "%s/beta.bpf.o", tmpdir);
	snprintf(other, sizeof(other), "%s/notes.txt", tmpdir);
	put_file(pa, "", 0644);
	put_file(pb, "", 0644);
	put_file(other, "", 0644);
	/* Nothing but the suffix: no policy. */
	snprintf(dot, sizeof(dot), "%s/.bpf.o", tmpdir);
	put_file(dot, "", 0644);
	return setenv("SROSCOPE_POLICY_DIR", tmpdir, 1);
}

static int policy_teardown(void **state)
{
	unlink(pa);
	unlink(pb);
	unlink(other);
	unlink(dot);
	return teardown(state);
}

static void test_resolve_name(void **state)
{
	char p[PATH_MAX];

	assert_int_equal(policy_resolve(WHO, "alpha", p, sizeof(p)), 0);
	assert_string_equal(p, pa);
	assert_int_equal(policy_resolve(WHO, "gamma", p, sizeof(p)), -ENOENT);
}

static void test_resolve_file(void **state)
{
	char p[PATH_MAX], missing[300];

	/* A path is taken as it is, not looked for in the directories. */
	assert_int_equal(policy_resolve(WHO, pb, p, sizeof(p)), 0);
	assert_string_equal(p, pb);
	snprintf(missing, sizeof(missing), "%s/gamma.bpf.o", tmpdir);
	assert_int_equal(policy_resolve(WHO, missing, p, sizeof(p)), -ENOENT);
	assert_int_equal(policy_resolve(WHO, "gamma.bpf.o", p, sizeof(p)), -ENOENT);
	/* Too long for @path: refused, not cut. */
	assert_int_equal(policy_resolve(WHO, pb, p, 8), -ENAMETOOLONG);
}

struct seen {
	int n;
	bool alpha, beta;
};

static void note(const char *name, const char *file, void *ctx)
{
	struct seen *s = ctx;

	s->n++;
	if (!strcmp(name, "alpha"))
		s->alpha = !strcmp(file, pa);
	else if (!strcmp(name, "beta"))
		s->beta = !strcmp(file, pb);
}

static void test_shipped(void **state)
{
	struct seen s = {};

	assert_int_equal(policy_shipped(note, &s), 2);
	assert_int_equal(s.n, 2);
	assert_true(s.alpha);
	assert_true(s.beta);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_name),
		cmocka_unit_test(test_resolve_file),
		cmocka_unit_test(test_shipped),
	};

	return cmocka_run_group_tests(tests, policy_setup, policy_teardown);
}
