// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The leak report (user/lib/leaks.c) of a made-up snapshot: its figures,
 * exactly; its JSON and text, which must read as the model says and stay
 * what `sroscope leaks` printed before the model (the expected documents
 * are that code's output for this snapshot, byte for byte).
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
#include <json-c/json.h>

#include "jsonpath.h"
#include "keep.h"
#include "leaks.h"
#include "vocab.h"

#define S		1000000000ULL
#define KiB		1024ULL
#define REC_CREATE	SRO_RMI_CMD(REC_CREATE)
#define RTT_CREATE	SRO_RMI_CMD(RTT_CREATE)
#define PDEV_CREATE	SRO_RMI_CMD(PDEV_CREATE)

/*
 * Traced from 400 s to 1000 s of boot time. Realm 3: destroyed, kept 20
 * KiB of 48 KiB in 4 blocks from three stacks (one host-delegated), gave
 * up 8 KiB. Realm 5: destroyed, gave nothing back, seen only in part (2
 * reclaims of donations not seen). Realm 7: destroyed, gave everything
 * back but 4 KiB given up. Realm 9: live, three donations 60 s old or
 * more and one 10 s old. Realm 11: live, one 5 s old donation. Realm 13:
 * not in the realms map (full), one old donation.
 */
static struct realm_row fx_realms[] = {
	{ 3, { .donated = { [SRO_SRC_EXACT] = 40 * KiB, [SRO_SRC_POOL] = 8 * KiB },
	       .leaked = 8 * KiB, .leaks = 2, .destroyed_ts = 900 * S } },
	{ 5, { .donated = { 12 * KiB }, .unknown_reclaims = 2,
	       .destroyed_ts = 950 * S } },
	{ 7, { .donated = { 8 * KiB }, .leaked = 4 * KiB, .leaks = 1,
	       .destroyed_ts = 990 * S } },
	{ 9, { .donated = { 64 * KiB } } },
	{ 11, { .donated = { 4 * KiB } } },
};

#define D(pa_, size_, ts_, realm_, cmd_, purpose_, stack_)		\
	{ .id = (pa_) >> 12, .d = { .pa = (pa_), .size = (size_),	\
	  .ts = (ts_), .realm = (realm_), .cmd = (cmd_),		\
	  .purpose = SRO_PURPOSE_##purpose_, .stack_id = (stack_) } }

static struct donation_row fx_donations[] = {
	D(0x10000, 4 * KiB, 500 * S, 3, REC_CREATE, SRO, 7),
	D(0x11000, 4 * KiB, 520 * S, 3, REC_CREATE, SRO, 8),
	D(0x12000, 8 * KiB, 510 * S, 3, PDEV_CREATE, SRO, 9),
	D(0x14000, 4 * KiB, 530 * S, 3, 0, REC, -1),
	D(0x20000, 4 * KiB, 600 * S, 5, RTT_CREATE, RTT, 7),
	D(0x21000, 4 * KiB, 610 * S, 5, RTT_CREATE, RTT, 7),
	D(0x22000, 4 * KiB, 620 * S, 5, RTT_CREATE, RTT, 7),
	D(0x30000, 4 * KiB, 100 * S, 9, REC_CREATE, SRO, 8),
	D(0x31000, 8 * KiB, 900 * S, 9, REC_CREATE, SRO, 8),
	D(0x33000, 4 * KiB, 990 * S, 9, REC_CREATE, SRO, 8),
	D(0x34000, 4 * KiB, 800 * S, 9, 0, RD, -1),
	D(0x40000, 4 * KiB, 995 * S, 11, REC_CREATE, SRO, 7),
	D(0x50000, 2048 * KiB, 700 * S, 13, RTT_CREATE, DATA, 9),
};

#define N(a)		(sizeof(a) / sizeof((a)[0]))
#define NOW		(1000 * S)
#define START		(400 * S)
#define AGE		(60 * S)

static struct snapshot fixture(void)
{
	return (struct snapshot){
		.ts = NOW,
		.realms = fx_realms, .nrealms = N(fx_realms),
		.donations = fx_donations, .ndonations = N(fx_donations),
		.losses = { [SRO_LOSS_RINGBUF] = 5,
			    [SRO_LOSS_UNKNOWN_RECLAIM] = 2 },
	};
}

/*
 * leak_stack_fn: stack 7 and 8 by name, 9 gone (as a stack the map lost);
 * counts its calls in *@ctx.
 */
static int fake_stack(void *ctx, int32_t id, char (*names)[LEAK_SYM_LEN],
		      int max)
{
	static const char *const frames[][4] = {
		{ "rmi_mem_donated+0x1c", "emu_ctl_write+0x40" },
		{ "rmi_sro_exec+0x4ff", "sro+0x45",
		  "rmi_mem_donated+0x1c", "emu_ctl_write+0x40" },
	};
	int n;

	(*(int *)ctx)++;
	if (id == 9)
		return -ENOENT;
	if (id != 7 && id != 8)
		return 0;
	for (n = 0; n < 4 && n < max && frames[id - 7][n]; n++)
		snprintf(names[n], LEAK_SYM_LEN, "%s", frames[id - 7][n]);
	return n;
}

static void assert_group(const struct leak_group *g, uint32_t realm,
			 uint32_t cmd, uint8_t purpose, int32_t stack_id,
			 uint64_t blocks, uint64_t bytes, uint64_t oldest_age_ns)
{
	assert_int_equal(g->realm, realm);
	assert_int_equal(g->cmd, cmd);
	assert_int_equal(g->purpose, purpose);
	assert_int_equal(g->stack_id, stack_id);
	assert_int_equal(g->blocks, blocks);
	assert_int_equal(g->bytes, bytes);
	assert_int_equal(g->oldest_age_ns, oldest_age_ns);
}

static void assert_realm(const struct leak_realm *d, uint32_t realm,
			 uint64_t donated, uint64_t returned,
			 uint64_t unreturned, uint64_t blocks, bool partial,
			 bool complete, uint64_t destroyed_age_ns)
{
	assert_int_equal(d->realm, realm);
	assert_int_equal(d->donated_bytes, donated);
	assert_int_equal(d->returned_bytes, returned);
	assert_int_equal(d->unreturned_bytes, unreturned);
	assert_int_equal(d->unreturned_blocks, blocks);
	assert_int_equal(d->partial, partial);
	assert_int_equal(d->complete, complete);
	assert_int_equal(d->destroyed_age_ns, destroyed_age_ns);
}

static void test_destroyed(void **state)
{
	struct snapshot s = fixture();
	struct leak_report r;
	const struct leak_realm *d;

	assert_int_equal(leak_report_build(&s, AGE, START, false, &r), 0);
	/* realm 7 gave everything back: not a leak */
	assert_int_equal(r.ndestroyed, 2);
	assert_int_equal(r.unreturned_bytes, 32 * KiB);

	d = &r.destroyed[0];
	assert_realm(d, 3, 48 * KiB, 28 * KiB, 20 * KiB, 4, true, true, 100 * S);
	/* by operation, host-delegated (0) first; the stacks not told apart */
	assert_int_equal(d->ngroups, 3);
	assert_group(&d->groups[0], 3, 0, SRO_PURPOSE_REC, -1, 1, 4 * KiB, 470 * S);
	assert_group(&d->groups[1], 3, REC_CREATE, SRO_PURPOSE_SRO, -1, 2, 8 * KiB, 500 * S);
	assert_group(&d->groups[2], 3, PDEV_CREATE, SRO_PURPOSE_SRO, -1, 1, 8 * KiB, 490 * S);

	/* nothing back, and reclaims of donations it did not see */
	d = &r.destroyed[1];
	assert_realm(d, 5, 12 * KiB, 0, 12 * KiB, 3, false, false, 50 * S);
	assert_int_equal(d->ngroups, 1);
	assert_group(&d->groups[0], 5, RTT_CREATE, SRO_PURPOSE_RTT, -1, 3, 12 * KiB, 400 * S);
	leak_report_free(&r);
}

static void test_given_up_and_held(void **state)
{
	struct snapshot s = fixture();
	struct leak_report r;

	assert_int_equal(leak_report_build(&s, AGE, START, false, &r), 0);
	assert_int_equal(r.ngiven_up, 2);
	assert_int_equal(r.given_up[0].realm, 3);
	assert_int_equal(r.given_up[0].bytes, 8 * KiB);
	assert_int_equal(r.given_up[0].blocks, 2);
	assert_int_equal(r.given_up[1].realm, 7);
	assert_int_equal(r.given_up[1].bytes, 4 * KiB);
	assert_int_equal(r.given_up[1].blocks, 1);
	assert_int_equal(r.given_up_bytes, 12 * KiB);

	/* not the 10 s and 5 s old donations; realm 13 (no realm row) is live */
	assert_int_equal(r.nheld, 3);
	assert_group(&r.held[0], 9, 0, SRO_PURPOSE_RD, -1, 1, 4 * KiB, 200 * S);
	assert_group(&r.held[1], 9, REC_CREATE, SRO_PURPOSE_SRO, -1, 2, 12 * KiB, 900 * S);
	assert_group(&r.held[2], 13, RTT_CREATE, SRO_PURPOSE_DATA, -1, 1, 2048 * KiB, 300 * S);
	assert_int_equal(r.held_over_age_bytes, 2064 * KiB);
	leak_report_free(&r);

	/* a donation exactly --age old is held over it */
	assert_int_equal(leak_report_build(&s, 10 * S, START, false, &r), 0);
	assert_int_equal(r.nheld, 3);
	assert_group(&r.held[1], 9, REC_CREATE, SRO_PURPOSE_SRO, -1, 3, 16 * KiB, 900 * S);
	assert_int_equal(r.held_over_age_bytes, 2068 * KiB);
	/* the destroyed realms do not depend on the age */
	assert_int_equal(r.unreturned_bytes, 32 * KiB);
	leak_report_free(&r);
}

static void test_losses(void **state)
{
	struct snapshot s = fixture();
	struct leak_report r;

	assert_int_equal(leak_report_build(&s, AGE, START, false, &r), 0);
	assert_int_equal(r.traced_ns, 600 * S);
	assert_int_equal(r.age_ns, AGE);
	/* ring buffer drops and unknown reclaims leave the books whole */
	assert_true(r.reliable);
	assert_int_equal(r.losses[SRO_LOSS_RINGBUF], 5);
	assert_int_equal(r.losses[SRO_LOSS_UNKNOWN_RECLAIM], 2);
	assert_int_equal(r.recursion_misses, 0);
	leak_report_free(&r);

	s.losses[SRO_LOSS_OUTSTANDING_FULL] = 1;
	assert_int_equal(leak_report_build(&s, AGE, START, false, &r), 0);
	assert_false(r.reliable);
	leak_report_free(&r);

	s.losses[SRO_LOSS_OUTSTANDING_FULL] = 0;
	s.recursion_misses = 4;
	assert_int_equal(leak_report_build(&s, AGE, START, false, &r), 0);
	assert_false(r.reliable);
	assert_int_equal(r.recursion_misses, 4);
	leak_report_free(&r);
}

static void test_by_stack(void **state)
{
	struct snapshot s = fixture();
	struct leak_report r;
	const struct leak_realm *d;

	assert_int_equal(leak_report_build(&s, AGE, START, true, &r), 0);
	assert_true(r.by_stack);
	d = &r.destroyed[0];
	assert_int_equal(d->ngroups, 4);
	assert_group(&d->groups[0], 3, 0, SRO_PURPOSE_REC, -1, 1, 4 * KiB, 470 * S);
	assert_group(&d->groups[1], 3, REC_CREATE, SRO_PURPOSE_SRO, 7, 1, 4 * KiB, 500 * S);
	assert_group(&d->groups[2], 3, REC_CREATE, SRO_PURPOSE_SRO, 8, 1, 4 * KiB, 480 * S);
	assert_group(&d->groups[3], 3, PDEV_CREATE, SRO_PURPOSE_SRO, 9, 1, 8 * KiB, 490 * S);
	/* the same figures as without stacks */
	assert_int_equal(d->unreturned_bytes, 20 * KiB);
	assert_int_equal(d->unreturned_blocks, 4);
	assert_int_equal(r.destroyed[1].ngroups, 1);
	assert_int_equal(r.destroyed[1].groups[0].stack_id, 7);
	assert_int_equal(r.unreturned_bytes, 32 * KiB);
	assert_int_equal(r.nheld, 3);
	assert_int_equal(r.held_over_age_bytes, 2064 * KiB);
	leak_report_free(&r);
}

/* What happened after the snapshot's time was taken is 0 s old. */
static void test_after_snapshot_time(void **state)
{
	struct realm_row realms[] = {
		{ 1, { .donated = { 8 * KiB }, .destroyed_ts = NOW + 1 } },
		{ 2, { .donated = { 4 * KiB } } },
	};
	struct donation_row donations[] = {
		D(0x1000, 4 * KiB, NOW - 1, 1, REC_CREATE, SRO, -1),
		D(0x2000, 4 * KiB, NOW + 5, 2, REC_CREATE, SRO, -1),
	};
	struct snapshot s = {
		.ts = NOW, .realms = realms, .nrealms = N(realms),
		.donations = donations, .ndonations = N(donations),
	};
	struct leak_report r;

	assert_int_equal(leak_report_build(&s, AGE, START, false, &r), 0);
	assert_int_equal(r.ndestroyed, 1);
	assert_int_equal(r.destroyed[0].destroyed_age_ns, 0);
	assert_int_equal(r.destroyed[0].groups[0].oldest_age_ns, 1);
	assert_int_equal(r.nheld, 0);
	leak_report_free(&r);
	assert_int_equal(leak_report_build(&s, 0, START, false, &r), 0);
	assert_int_equal(r.nheld, 1);
	assert_group(&r.held[0], 2, REC_CREATE, SRO_PURPOSE_SRO, -1, 1, 4 * KiB, 0);
	leak_report_free(&r);
}

static uint64_t num(struct json_object *j, const char *fmt, ...)
{
	char path[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	assert_non_null(json_path(j, path));
	return json_path_u64(j, path);
}

static const char *str(struct json_object *j, const char *fmt, ...)
{
	struct json_object *v;
	char path[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	v = json_path(j, path);
	assert_non_null(v);
	return json_object_get_string(v);
}

/* @j's groups at @path say what the model's do. */
static void assert_json_groups(struct json_object *j, const char *path,
			       const struct leak_group *g, size_t n)
{
	char buf[16];
	size_t i;

	assert_int_equal(json_object_array_length(json_path(j, path)), n);
	for (i = 0; i < n; i++) {
		assert_int_equal(num(j, "%s.%zu.realm", path, i), g[i].realm);
		assert_string_equal(str(j, "%s.%zu.cmd", path, i),
				    sro_cmd_name(g[i].cmd, buf, sizeof(buf)));
		assert_string_equal(str(j, "%s.%zu.purpose", path, i),
				    sro_purpose_name(g[i].purpose));
		assert_int_equal(num(j, "%s.%zu.bytes", path, i), g[i].bytes);
		assert_int_equal(num(j, "%s.%zu.blocks", path, i), g[i].blocks);
		assert_int_equal(num(j, "%s.%zu.oldest_age_ns", path, i),
				 g[i].oldest_age_ns);
	}
}

/* Every figure of @r in its JSON, under the keys the tests and docs use. */
static void assert_json_agrees(const struct leak_report *r)
{
	struct json_object *j;
	char path[64];
	size_t i;
	int calls = 0;

	j = leak_report_json(r, fake_stack, &calls);
	assert_non_null(j);
	keep_json(LEAKS_JSON_FORMAT, json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY));
	assert_int_equal(json_object_get_boolean(json_path(j, "reliable")), r->reliable);
	assert_int_equal(num(j, "traced_ns"), r->traced_ns);
	assert_int_equal(num(j, "age_ns"), r->age_ns);
	assert_int_equal(num(j, "unreturned_bytes"), r->unreturned_bytes);
	assert_int_equal(num(j, "given_up_bytes"), r->given_up_bytes);
	assert_int_equal(num(j, "held_over_age_bytes"), r->held_over_age_bytes);
	assert_int_equal(json_object_array_length(json_path(j, "destroyed")), r->ndestroyed);
	for (i = 0; i < r->ndestroyed; i++) {
		const struct leak_realm *d = &r->destroyed[i];

		assert_int_equal(num(j, "destroyed.%zu.realm", i), d->realm);
		assert_int_equal(num(j, "destroyed.%zu.donated_bytes", i), d->donated_bytes);
		assert_int_equal(num(j, "destroyed.%zu.returned_bytes", i), d->returned_bytes);
		assert_int_equal(num(j, "destroyed.%zu.unreturned_bytes", i), d->unreturned_bytes);
		assert_int_equal(num(j, "destroyed.%zu.unreturned_blocks", i), d->unreturned_blocks);
		assert_string_equal(str(j, "destroyed.%zu.returned", i),
				    d->partial ? "partial" : "none");
		assert_string_equal(str(j, "destroyed.%zu.complete", i),
				    d->complete ? "true" : "false");
		assert_int_equal(num(j, "destroyed.%zu.destroyed_age_ns", i), d->destroyed_age_ns);
		snprintf(path, sizeof(path), "destroyed.%zu.by_op", i);
		assert_json_groups(j, path, d->groups, d->ngroups);
	}
	assert_int_equal(json_object_array_length(json_path(j, "given_up")), r->ngiven_up);
	for (i = 0; i < r->ngiven_up; i++) {
		assert_int_equal(num(j, "given_up.%zu.realm", i), r->given_up[i].realm);
		assert_int_equal(num(j, "given_up.%zu.bytes", i), r->given_up[i].bytes);
		assert_int_equal(num(j, "given_up.%zu.blocks", i), r->given_up[i].blocks);
	}
	assert_json_groups(j, "held", r->held, r->nheld);
	assert_int_equal(num(j, "losses.unknown_reclaims"), r->losses[SRO_LOSS_UNKNOWN_RECLAIM]);
	assert_int_equal(num(j, "losses.outstanding_full"), r->losses[SRO_LOSS_OUTSTANDING_FULL]);
	assert_int_equal(num(j, "losses.recursion_misses"), r->recursion_misses);
	/* stacks only when grouped by them */
	assert_int_equal(json_path(j, "held.0.stack") != NULL, r->by_stack);
	assert_int_equal(calls != 0, r->by_stack);
	json_object_put(j);
}

static void test_json_agrees(void **state)
{
	struct snapshot s = fixture();
	struct leak_report r;

	assert_int_equal(leak_report_build(&s, AGE, START, false, &r), 0);
	assert_json_agrees(&r);
	leak_report_free(&r);
	s.recursion_misses = 4;
	assert_int_equal(leak_report_build(&s, 10 * S, START, true, &r), 0);
	assert_json_agrees(&r);
	leak_report_free(&r);
}

static char *json_of(const struct snapshot *s, bool by_stack)
{
	struct leak_report r;
	struct json_object *j;
	char *out;
	int calls = 0;

	assert_int_equal(leak_report_build(s, AGE, START, by_stack, &r), 0);
	j = leak_report_json(&r, fake_stack, &calls);
	out = strdup(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
	keep_json(LEAKS_JSON_FORMAT, out);
	json_object_put(j);
	leak_report_free(&r);
	return out;
}

static char *text_of(const struct snapshot *s, bool by_stack)
{
	struct leak_report r;
	char *out = NULL;
	size_t len;
	FILE *f;
	int calls = 0;

	assert_int_equal(leak_report_build(s, AGE, START, by_stack, &r), 0);
	f = open_memstream(&out, &len);
	assert_non_null(f);
	leak_report_print(f, &r, fake_stack, &calls);
	assert_int_equal(fclose(f), 0);
	leak_report_free(&r);
	return out;
}

static void test_json_unchanged(void **state)
{
	struct snapshot s = fixture();
	char *out = json_of(&s, true);

	assert_string_equal(out,
		"{\"format\":\"sroscope-leaks\",\"version\":1,"
		"\"reliable\":true,\"traced_ns\":600000000000,\"age_ns\":60000000000,"
		"\"unreturned_bytes\":32768,\"given_up_bytes\":12288,"
		"\"held_over_age_bytes\":2113536,\"destroyed\":[{\"realm\":3,"
		"\"donated_bytes\":49152,\"returned_bytes\":28672,"
		"\"unreturned_bytes\":20480,\"unreturned_blocks\":4,\"returned\":\"partial\","
		"\"complete\":true,\"destroyed_age_ns\":100000000000,\"by_op\":[{\"realm\":3,"
		"\"cmd\":\"host\",\"purpose\":\"rec\",\"bytes\":4096,\"blocks\":1,"
		"\"oldest_age_ns\":470000000000,\"stack\":[]},{\"realm\":3,"
		"\"cmd\":\"REC_CREATE\",\"purpose\":\"sro\",\"bytes\":4096,\"blocks\":1,"
		"\"oldest_age_ns\":500000000000,\"stack\":[\"rmi_mem_donated+0x1c\","
		"\"emu_ctl_write+0x40\"]},{\"realm\":3,\"cmd\":\"REC_CREATE\","
		"\"purpose\":\"sro\",\"bytes\":4096,\"blocks\":1,"
		"\"oldest_age_ns\":480000000000,\"stack\":[\"rmi_sro_exec+0x4ff\","
		"\"sro+0x45\",\"rmi_mem_donated+0x1c\","
		"\"emu_ctl_write+0x40\"]},{\"realm\":3,\"cmd\":\"PDEV_CREATE\","
		"\"purpose\":\"sro\",\"bytes\":8192,\"blocks\":1,"
		"\"oldest_age_ns\":490000000000,\"stack\":[]}]},{\"realm\":5,"
		"\"donated_bytes\":12288,\"returned_bytes\":0,\"unreturned_bytes\":12288,"
		"\"unreturned_blocks\":3,\"returned\":\"none\",\"complete\":false,"
		"\"destroyed_age_ns\":50000000000,\"by_op\":[{\"realm\":5,"
		"\"cmd\":\"RTT_CREATE\",\"purpose\":\"rtt\",\"bytes\":12288,\"blocks\":3,"
		"\"oldest_age_ns\":400000000000,\"stack\":[\"rmi_mem_donated+0x1c\","
		"\"emu_ctl_write+0x40\"]}]}],\"given_up\":[{\"realm\":3,\"bytes\":8192,"
		"\"blocks\":2},{\"realm\":7,\"bytes\":4096,\"blocks\":1}],\"held\":[{\"realm\":9,"
		"\"cmd\":\"host\",\"purpose\":\"rd\",\"bytes\":4096,\"blocks\":1,"
		"\"oldest_age_ns\":200000000000,\"stack\":[]},{\"realm\":9,"
		"\"cmd\":\"REC_CREATE\",\"purpose\":\"sro\",\"bytes\":12288,\"blocks\":2,"
		"\"oldest_age_ns\":900000000000,\"stack\":[\"rmi_sro_exec+0x4ff\","
		"\"sro+0x45\",\"rmi_mem_donated+0x1c\","
		"\"emu_ctl_write+0x40\"]},{\"realm\":13,\"cmd\":\"RTT_CREATE\","
		"\"purpose\":\"data\",\"bytes\":2097152,\"blocks\":1,"
		"\"oldest_age_ns\":300000000000,\"stack\":[]}],"
		"\"losses\":{\"ringbuf_drops\":5,\"outstanding_full\":0,\"realms_full\":0,"
		"\"ops_full\":0,\"unknown_reclaims\":2,\"stacks_lost\":0,"
		"\"recursion_misses\":0},\"kernel\":{\"present\":false,\"leaking\":[]}}");
	free(out);
	s.nrealms = s.ndonations = 0;
	memset(s.losses, 0, sizeof(s.losses));
	out = json_of(&s, true);
	assert_string_equal(out,
		"{\"format\":\"sroscope-leaks\",\"version\":1,"
		"\"reliable\":true,\"traced_ns\":600000000000,\"age_ns\":60000000000,"
		"\"unreturned_bytes\":0,\"given_up_bytes\":0,\"held_over_age_bytes\":0,"
		"\"destroyed\":[],\"given_up\":[],\"held\":[],\"losses\":{\"ringbuf_drops\":0,"
		"\"outstanding_full\":0,\"realms_full\":0,\"ops_full\":0,"
		"\"unknown_reclaims\":0,\"stacks_lost\":0,\"recursion_misses\":0},"
		"\"kernel\":{\"present\":false,\"leaking\":[]}}");
	free(out);
}

/*
 * With the kernel's accounts: each leaking realm named by its VMM, and
 * the kernel's own leaks (realm 40, older than the trace) listed.
 */
static void test_owners(void **state)
{
	struct realm_acct accts[] = {
		{ .realm = 3, .gone = true, .held_bytes = 20480,
		  .owner = { .pid = 145, .comm = "qemu", .cgroup = 11,
			     .cgroup_path = "/machine.slice/vm3.scope",
			     .unit = "vm3.scope" } },
		{ .realm = 9, .held_bytes = 8192, .owner = { .pid = 150, .comm = "kvmtool" } },
		{ .realm = 40, .gone = true, .given_up_bytes = 4096,
		  .owner = { .pid = 77, .comm = "old", .cgroup = 99 } },
	};
	struct realm_accts k = {
		.present = true, .given_up_bytes = 4096,
		.realms = accts, .n = 3,
	};
	struct snapshot s = fixture();
	struct json_object *j, *v, *o;
	struct leak_report r;
	char *out = NULL;
	size_t len;
	FILE *f;

	assert_int_equal(leak_report_build(&s, AGE, START, false, &r), 0);
	r.accts = &k;
	j = leak_report_json(&r, NULL, NULL);
	/* destroyed[0] is realm 3, its owner the kernel's */
	v = json_object_array_get_idx(json_object_object_get(j, "destroyed"), 0);
	o = json_object_object_get(v, "owner");
	assert_non_null(o);
	assert_int_equal(json_object_get_int(json_object_object_get(o, "pid")), 145);
	assert_string_equal(json_object_get_string(json_object_object_get(o, "unit")),
			    "vm3.scope");
	/* realm 5 is not in the accounts: no owner */
	v = json_object_array_get_idx(json_object_object_get(j, "destroyed"), 1);
	assert_null(json_object_object_get(v, "owner"));
	/* the kernel's leaks: 3 (gone, holding) and 40 (given up), not 9 */
	v = json_object_object_get(json_object_object_get(j, "kernel"), "leaking");
	assert_int_equal(json_object_array_length(v), 2);
	assert_int_equal(json_object_get_int(json_object_object_get(
		json_object_array_get_idx(v, 1), "realm")), 40);
	keep_json(LEAKS_JSON_FORMAT, json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY));
	json_object_put(j);

	f = open_memstream(&out, &len);
	assert_non_null(f);
	leak_report_print(f, &r, NULL, NULL);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(out, "VMM pid 145 (qemu), unit vm3.scope, cgroup /machine.slice/vm3.scope\n"));
	assert_non_null(strstr(out, "The kernel's accounts since boot (/sys/kernel/sro): 2 realms leak"));
	assert_non_null(strstr(out, "  40       destroyed          0 B      4.0 KiB\n"
				    "           VMM pid 77 (old), cgroup id 99 (gone)\n"));
	assert_null(strstr(out, "VMM pid 150"));
	free(out);
	leak_report_free(&r);
}

static void test_text_unchanged(void **state)
{
	struct snapshot s = fixture();
	char *out;

	s.losses[SRO_LOSS_OUTSTANDING_FULL] = 3;
	s.recursion_misses = 4;
	out = text_of(&s, false);
	assert_string_equal(out,
		"SRO leak report after 600.0 s of tracing: UNRELIABLE, the kernel dropped events the books need\n"
		"\n"
		"Not returned at realm destroy: 32.0 KiB\n"
		"  REALM         DONATED     RETURNED   UNRETURNED  BLOCKS  RETURN\n"
		"  3            48.0 KiB     28.0 KiB     20.0 KiB       4  partial\n"
		"            host                 rec           1      4.0 KiB  oldest 470.0 s\n"
		"            REC_CREATE           sro           2      8.0 KiB  oldest 500.0 s\n"
		"            PDEV_CREATE          sro           1      8.0 KiB  oldest 490.0 s\n"
		"  5            12.0 KiB          0 B     12.0 KiB       3  none (realm older than this trace: incomplete)\n"
		"            RTT_CREATE           rtt           3     12.0 KiB  oldest 400.0 s\n"
		"\n"
		"Given up by the host (the RMM refused to undelegate): 12.0 KiB\n"
		"  realm 3             8.0 KiB in 2 blocks\n"
		"  realm 7             4.0 KiB in 1 blocks\n"
		"\n"
		"Held by live realms for more than 60.0 s: 2.0 MiB\n"
		"  REALM    OPERATION            PURPOSE  BLOCKS        BYTES\n"
		"  9        host                 rd            1      4.0 KiB  oldest 200.0 s\n"
		"  9        REC_CREATE           sro           2     12.0 KiB  oldest 900.0 s\n"
		"  13       RTT_CREATE           data          1      2.0 MiB  oldest 300.0 s\n"
		"\n"
		"Note: 2 blocks donated before sroscope started came back; older donations are not in this report.\n"
		"LOST: 5 events dropped (ring buffer full), 3 donations not tracked (map full), 2 reclaims of untracked donations (made before tracing, or map full), 4 events missed (BPF recursion)\n");
	free(out);

	/* with stacks: a group's frames under it, none for a stack gone */
	s = fixture();
	out = text_of(&s, true);
	assert_non_null(strstr(out,
		"            REC_CREATE           sro           1      4.0 KiB  oldest 480.0 s\n"
		"              rmi_sro_exec+0x4ff\n"
		"              sro+0x45\n"
		"              rmi_mem_donated+0x1c\n"
		"              emu_ctl_write+0x40\n"
		"            PDEV_CREATE          sro           1      8.0 KiB  oldest 490.0 s\n"
		"  5            12.0 KiB"));
	assert_non_null(strstr(out,
		"  9        REC_CREATE           sro           2     12.0 KiB  oldest 900.0 s\n"
		"              rmi_sro_exec+0x4ff\n"));
	assert_non_null(strstr(out, "of tracing: complete\n"));
	free(out);

	s = (struct snapshot){ .ts = NOW };
	out = text_of(&s, false);
	assert_string_equal(out,
		"SRO leak report after 600.0 s of tracing: complete\n"
		"\n"
		"Not returned at realm destroy: 0 B\n"
		"\n"
		"Given up by the host (the RMM refused to undelegate): 0 B\n"
		"\n"
		"Held by live realms for more than 60.0 s: 0 B\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_destroyed),
		cmocka_unit_test(test_given_up_and_held),
		cmocka_unit_test(test_losses),
		cmocka_unit_test(test_by_stack),
		cmocka_unit_test(test_after_snapshot_time),
		cmocka_unit_test(test_json_agrees),
		cmocka_unit_test(test_json_unchanged),
		cmocka_unit_test(test_text_unchanged),
		cmocka_unit_test(test_owners),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
