// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The vocabulary (include/sro_vocab.h) and its lookups (user/lib/vocab.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "jsonpath.h"
#include "vocab.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * The published names: trace text, JSON and labels carry them, so a
 * rename breaks consumers. Changing one here is changing the interface.
 */
static void test_published_names(void **state)
{
	static const char *const events[SRO_EV_NR] = {
		NULL, "op_start", "op_end", "donate_req", "alloc",
		"alloc_fail", "donate", "donate_result", "reclaim", "free",
		"leak", "delegate", "fail", "quarantine",
	};
	static const char *const sources[] = { "exact", "contig", "pool" };
	static const char *const purposes[] = {
		"sro", "rd", "rtt", "rec", "data",
	};
	static const char *const frees[] = {
		"tail", "cache", "reclaim", "undo", "host", "quarantine",
	};
	static const char *const fails[] = {
		"too_large", "nomem", "delegate", "bad_request",
		"bad_reclaim", "double_free", "rmm_error", "abandoned",
	};
	unsigned int i;

	for (i = 1; i < SRO_EV_NR; i++) {
		assert_string_equal(sro_event_name(i), events[i]);
		assert_int_equal(sro_event_type_of(events[i]), i);
	}
	assert_string_equal(sro_event_name(0), "?");
	assert_string_equal(sro_event_name(SRO_EV_NR), "?");
	assert_int_equal(sro_event_type_of("donation"), -1);
	assert_int_equal(sro_event_type_of(""), -1);
	assert_int_equal(sro_event_type_of("?"), -1);

	assert_int_equal(N(sources), SRO_SRC_NR);
	for (i = 0; i < SRO_SRC_NR; i++) {
		assert_string_equal(sro_source_name(i), sources[i]);
		assert_int_equal(sro_source_of(sources[i]), i);
	}
	assert_string_equal(sro_source_name(SRO_SRC_NR), "?");
	assert_int_equal(sro_source_of("cma"), -1);

	assert_int_equal(N(purposes), SRO_PURPOSE_NR);
	for (i = 0; i < SRO_PURPOSE_NR; i++)
		assert_string_equal(sro_purpose_name(i), purposes[i]);
	assert_string_equal(sro_purpose_name(SRO_PURPOSE_NR), "?");

	assert_int_equal(N(frees), SRO_FREE_NR);
	for (i = 0; i < SRO_FREE_NR; i++)
		assert_string_equal(sro_free_reason_name(i), frees[i]);
	assert_string_equal(sro_free_reason_name(SRO_FREE_NR), "?");

	assert_int_equal(N(fails), SRO_FAIL_NR);
	for (i = 0; i < SRO_FAIL_NR; i++)
		assert_string_equal(sro_fail_reason_name(i), fails[i]);
	assert_string_equal(sro_fail_reason_name(SRO_FAIL_NR), "?");
	assert_string_equal(sro_fail_reason_name(UINT32_MAX), "?");
}

static void test_cmd_names(void **state)
{
	char buf[16];

	assert_string_equal(sro_cmd_name(0, buf, sizeof(buf)), "host");
	assert_string_equal(sro_cmd_name(0xC400015a, buf, sizeof(buf)),
			    "REC_CREATE");
	assert_string_equal(sro_cmd_name(SRO_RMI_CMD(REALM_DESTROY), buf, sizeof(buf)),
			    "REALM_DESTROY");
	assert_ptr_equal(sro_cmd_name(0xC4000999, buf, sizeof(buf)), buf);
	assert_string_equal(buf, "0xc4000999");
}

/* Every lookup gives back each list's entry under its own constant. */
#define CHECK_NAME(fn, value, name)	assert_string_equal(fn(value), name);
#define EV(id, name, prose)	CHECK_NAME(sro_event_name, SRO_EV_##id, name)
#define SRC(id, name, prose)	CHECK_NAME(sro_source_name, SRO_SRC_##id, name)
#define PUR(id, name, prose)	CHECK_NAME(sro_purpose_name, SRO_PURPOSE_##id, name)
#define ST(id, name, prose)	CHECK_NAME(sro_state_name, SRO_STATE_##id, name)
#define FR(id, name, prose)	CHECK_NAME(sro_free_reason_name, SRO_FREE_##id, name)
#define FA(id, name, prose)	CHECK_NAME(sro_fail_reason_name, SRO_FAIL_##id, name)
#define FLT(id, name, prose)	CHECK_NAME(sro_fault_name, SRO_FAULT_##id, name)
#define LOSS(id, label, key, prose)				\
	assert_string_equal(sro_loss_label(SRO_LOSS_##id), label);	\
	assert_string_equal(sro_loss_key(SRO_LOSS_##id), key);	\
	assert_string_equal(sro_loss_prose(SRO_LOSS_##id), prose);
#define CMD(id, n, name)						\
	assert_string_equal(sro_cmd_name(SRO_RMI_CMD(id), buf, sizeof(buf)), name);

static void test_lookups_follow_lists(void **state)
{
	char buf[16];

	SRO_EVENT_TYPES(EV)
	SRO_SOURCES(SRC)
	SRO_PURPOSES(PUR)
	SRO_STATES(ST)
	SRO_FREE_REASONS(FR)
	SRO_FAIL_REASONS(FA)
	SRO_FAULTS(FLT)
	SRO_LOSSES(LOSS)
	SRO_RMI_CMDS(CMD)
	assert_string_equal(sro_state_name(SRO_STATE_NR), "?");
	assert_string_equal(sro_fault_name(SRO_FAULT_NR), "?");
	assert_string_equal(sro_loss_label(SRO_LOSS_NR), "?");
	assert_string_equal(sro_loss_key(SRO_LOSS_NR), "?");
}

typedef const char *(*name_fn)(unsigned int v);

/* No two values of a list share a name: a lookup by name is one value. */
static void assert_unique(name_fn fn, unsigned int first, unsigned int nr)
{
	unsigned int i, j;

	for (i = first; i < nr; i++) {
		assert_true(fn(i)[0] && strcmp(fn(i), "?"));
		for (j = first; j < i; j++)
			assert_string_not_equal(fn(i), fn(j));
	}
}

static void test_unique(void **state)
{
	size_t i, j;

	assert_unique(sro_event_name, 1, SRO_EV_NR);
	assert_unique(sro_source_name, 0, SRO_SRC_NR);
	assert_unique(sro_purpose_name, 0, SRO_PURPOSE_NR);
	assert_unique(sro_state_name, 0, SRO_STATE_NR);
	assert_unique(sro_free_reason_name, 0, SRO_FREE_NR);
	assert_unique(sro_fail_reason_name, 0, SRO_FAIL_NR);
	assert_unique(sro_fault_name, 0, SRO_FAULT_NR);
	assert_unique(sro_loss_label, 0, SRO_LOSS_NR);
	assert_unique(sro_loss_key, 0, SRO_LOSS_NR);
	for (i = 0; i < SRO_FAULT_NR; i++)
		assert_int_equal(sro_fault_of(sro_fault_name(i)), i);
	assert_int_equal(sro_fault_of("none"), -1);
	assert_true(sro_cmd_count() > 0);
	for (i = 0; i < sro_cmd_count(); i++)
		for (j = 0; j < i; j++)
			assert_int_not_equal(sro_cmd_fid(i), sro_cmd_fid(j));
	assert_int_equal(sro_cmd_fid(sro_cmd_count()), 0);
}

/* The names sro_cmd_name() gives, "host" (0) first. */
static const char *cmd_at(unsigned int i)
{
	static char buf[16];

	return sro_cmd_name(i ? sro_cmd_fid(i - 1) : 0, buf, sizeof(buf));
}

/*
 * The array at @at of schemas/@file is @fn's names from @first to @nr - 1,
 * in order, then @extra (NULL: none).
 */
static void assert_schema_list(const char *file, const char *at, name_fn fn,
			       unsigned int first, unsigned int nr,
			       const char *extra)
{
	char p[256];
	struct json_object *top, *a;
	unsigned int i;

	snprintf(p, sizeof(p), "schemas/%s.schema.json", file);
	top = json_object_from_file(p);
	assert_non_null(top);
	a = json_path(top, at);
	if (!json_object_is_type(a, json_type_array))
		fail_msg("%s: no array at %s", p, at);
	assert_int_equal(json_object_array_length(a), nr - first + !!extra);
	for (i = first; i < nr; i++)
		assert_string_equal(json_object_get_string(
			json_object_array_get_idx(a, i - first)), fn(i));
	if (extra)
		assert_string_equal(json_object_get_string(
			json_object_array_get_idx(a, nr - first)), extra);
	json_object_put(top);
}

/*
 * The vocabularies of the JSON schemas (schemas/) are this one: a name
 * added, renamed or removed in include/sro_vocab.h fails here until the
 * schema says so (and its output's version is looked at: docs/cli.md).
 */
static void test_schemas_follow_vocabulary(void **state)
{
	static const char *const lists[][2] = {
		{ "sroscope-trace", "$defs.source.enum" },
		{ "sroscope-replay", "$defs.by_source.required" },
	};
	unsigned int i;

	assert_schema_list("sroscope-trace", "$defs.event_name.enum", sro_event_name,
			   1, SRO_EV_NR, NULL);
	for (i = 0; i < N(lists); i++)
		assert_schema_list(lists[i][0], lists[i][1], sro_source_name, 0,
				   SRO_SRC_NR, NULL);
	assert_schema_list("sroscope-trace", "$defs.purpose.enum", sro_purpose_name,
			   0, SRO_PURPOSE_NR, NULL);
	assert_schema_list("sroscope-leaks", "$defs.purpose.enum", sro_purpose_name,
			   0, SRO_PURPOSE_NR, NULL);
	assert_schema_list("sroscope-trace", "$defs.state.enum", sro_state_name,
			   0, SRO_STATE_NR, NULL);
	assert_schema_list("sroscope-trace", "$defs.free_reason.enum",
			   sro_free_reason_name, 0, SRO_FREE_NR, NULL);
	assert_schema_list("sroscope-trace", "$defs.fail_reason.enum",
			   sro_fail_reason_name, 0, SRO_FAIL_NR, NULL);
	assert_schema_list("sroscope-replay",
			   "$defs.run.properties.failed_by_reason.propertyNames.enum",
			   sro_fail_reason_name, 0, SRO_FAIL_NR, "op_failed");
	assert_schema_list("sroscope-trace", "$defs.cmd.anyOf.0.enum", cmd_at, 0,
			   sro_cmd_count() + 1, NULL);
	assert_schema_list("sroscope-leaks", "$defs.cmd.anyOf.0.enum", cmd_at, 0,
			   sro_cmd_count() + 1, NULL);
	assert_schema_list("sroscope-leaks", "properties.losses.required",
			   sro_loss_key, 0, SRO_LOSS_NR, "recursion_misses");
	assert_schema_list("sroscope-leaks", "properties.losses.propertyNames.enum",
			   sro_loss_key, 0, SRO_LOSS_NR, "recursion_misses");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published_names),
		cmocka_unit_test(test_cmd_names),
		cmocka_unit_test(test_lookups_follow_lists),
		cmocka_unit_test(test_unique),
		cmocka_unit_test(test_schemas_follow_vocabulary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
