// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The parser of the kernel's sro/stats (user/lib/kstats.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kstats.h"

/* As the kernel series prints it (abridged, order kept). */
static const char sample[] =
	"source exact allocs 56\n"
	"source exact fails 4\n"
	"source exact out_bytes 155648\n"
	"source exact alloc_ns 5600000\n"
	"source contig out_bytes 0\n"
	"source pool out_bytes 2097152\n"
	"ops 7\n"
	"ops_cancelled 1\n"
	"ops_abandoned 3\n"
	"donate_retries 17\n"
	"ops_failed 2\n"
	"held_bytes 155648\n"
	"donated_bytes 229376\n"
	"reclaimed_bytes 73728\n"
	"leaked_bytes 8192\n"
	"cached_bytes 4096\n"
	"delegate_calls 60\n"
	"undelegate_calls 18\n"
	"policy pool\n"
	"policy_since_ns 123456789\n"
	"policy_swaps 3\n"
	"policy_decisions exact 36\n"
	"policy_decisions contig 0\n"
	"policy_decisions pool 259\n"
	"policy_fallbacks 5\n"
	"policy_invalid 1\n"
	"host_bytes 8192\n"
	"pool_bytes 16777216\n"
	"pool_free_bytes 16756736\n"
	"pool_chunk_bytes 4194304\n"
	"realm 3 held_bytes 143360\n"
	"other_realms_held_bytes 0\n";

static void test_sample(void **state)
{
	struct kstats k;

	assert_int_equal(kstats_parse(sample, sizeof(sample) - 1, &k), 0);
	assert_string_equal(k.policy, "pool");
	assert_int_equal(k.policy_since_ns, 123456789);
	assert_int_equal(k.policy_swaps, 3);
	assert_int_equal(k.policy_decisions[SRO_SRC_EXACT], 36);
	assert_int_equal(k.policy_decisions[SRO_SRC_POOL], 259);
	assert_int_equal(k.policy_fallbacks, 5);
	assert_int_equal(k.policy_invalid, 1);
	assert_true(k.has_pool);
	assert_int_equal(k.pool_bytes, 16777216);
	assert_int_equal(k.pool_free_bytes, 16756736);
	assert_int_equal(k.pool_chunk_bytes, 4194304);
	assert_int_equal(k.held_bytes, 155648);
	assert_int_equal(k.leaked_bytes, 8192);
	assert_int_equal(k.cached_bytes, 4096);
	assert_int_equal(k.host_bytes, 8192);
	assert_int_equal(k.ops, 7);
	assert_int_equal(k.ops_failed, 2);
	assert_int_equal(k.ops_cancelled, 1);
	assert_int_equal(k.ops_abandoned, 3);
	assert_int_equal(k.donate_retries, 17);
	assert_int_equal(k.delegate_calls, 60);
	assert_int_equal(k.undelegate_calls, 18);
	assert_int_equal(k.src_out_bytes[SRO_SRC_POOL], 2097152);
	assert_int_equal(k.src_allocs[SRO_SRC_EXACT], 56);
	assert_int_equal(k.src_fails[SRO_SRC_EXACT], 4);
	assert_int_equal(k.src_alloc_ns[SRO_SRC_EXACT], 5600000);
}

/* No pool lines: a kernel without CONFIG_CONTIG_ALLOC. */
static void test_no_pool(void **state)
{
	static const char text[] = "held_bytes 1\npolicy default\n";
	struct kstats k;

	assert_int_equal(kstats_parse(text, sizeof(text) - 1, &k), 0);
	assert_false(k.has_pool);
	assert_string_equal(k.policy, "default");
}

/* Bad values and unknown lines are skipped; the rest still counts. */
static void test_garbage_skipped(void **state)
{
	static const char text[] =
		"held_bytes -5\n"
		"ops 12x\n"
		"policy_decisions nowhere 3\n"
		"policy_decisions pool\n"
		"a new counter 9\n"
		"\n\n   \n"
		"one two three four five six\n"
		"ops_failed 99999999999999999999999\n"
		"cached_bytes 7";	/* no newline at the end */
	struct kstats k;

	assert_int_equal(kstats_parse(text, sizeof(text) - 1, &k), 0);
	assert_int_equal(k.held_bytes, 0);
	assert_int_equal(k.ops, 0);
	assert_int_equal(k.ops_failed, 0);
	assert_int_equal(k.cached_bytes, 7);
}

static void test_nothing_known(void **state)
{
	static const char text[] = "hello world\n";
	char big[600];
	struct kstats k;

	assert_int_equal(kstats_parse(text, sizeof(text) - 1, &k), -EINVAL);
	assert_int_equal(kstats_parse("", 0, &k), -EINVAL);
	/* A line longer than the parser's buffer is cut, not overrun. */
	memset(big, 'x', sizeof(big));
	assert_int_equal(kstats_parse(big, sizeof(big), &k), -EINVAL);
}

/* Every prefix of the sample parses without reading past @len. */
static void test_every_prefix(void **state)
{
	size_t len = sizeof(sample) - 1, i;
	struct kstats k;
	char *copy;

	for (i = 0; i <= len; i++) {
		copy = malloc(i ? i : 1);
		memcpy(copy, sample, i);
		kstats_parse(copy, i, &k);
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_no_pool),
		cmocka_unit_test(test_garbage_skipped),
		cmocka_unit_test(test_nothing_known),
		cmocka_unit_test(test_every_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
