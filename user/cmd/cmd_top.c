// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sroscope top: a refreshing per-realm view of the memory the realm world
 * holds, where it came from, how fast it moves, and what failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "common.h"
#include "format.h"
#include "realms.h"
#include "tracer.h"

static struct {
	struct interval iv;
	bool noclear;
	uint32_t rows;
	struct tracer_opts tracer;
} env = {
	.tracer = TRACER_OPTS_DEFAULT,
	.iv = { .ns = 1000000000ULL },
	.rows = 20,
};

static const char doc[] =
"Show, per realm, the bytes the realm world holds (by source), donate and\n"
"reclaim rates, allocation failures, memory given up and the oldest\n"
"donation, every INTERVAL (default 1 s), COUNT times.\n"
"\v"
"EXAMPLES:\n"
"  sroscope top                 # refresh every second\n"
"  sroscope top -C 5 3          # every 5 s, 3 times, no screen clearing\n"
"  sroscope top -r 50\n";

static const struct argp_option options[] = {
	{ "noclear", 'C', NULL, 0, "Do not clear the screen" },
	{ "rows", 'r', "N", 0, "Show the N realms holding most (default 20)" },
	{},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'C':
		env.noclear = true;
		break;
	case 'r':
		env.rows = numopt_arg(state, &numopt_rows, arg);
		break;
	case ARGP_KEY_ARG:
		parse_interval_arg(state, arg, &env.iv);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

struct row {
	uint32_t realm;
	const struct sro_realm_stats *s;
	uint64_t held;
	double don_rate;	/* bytes/s over the last interval */
	double rec_rate;
	uint64_t oldest_ts;
};

static int cmp_held(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->held != y->held)
		return x->held < y->held ? 1 : -1;
	return x->realm < y->realm ? -1 : x->realm > y->realm;
}

/* Oldest donation per realm; rows are in snapshot order until sorted. */
static void oldest_per_realm(const struct snapshot *s, struct row *rows)
{
	size_t i;
	long r;

	for (i = 0; i < s->ndonations; i++) {
		const struct sro_donation *d = &s->donations[i].d;

		r = snapshot_realm(s, d->realm);
		if (r >= 0 && (!rows[r].oldest_ts || d->ts < rows[r].oldest_ts))
			rows[r].oldest_ts = d->ts;
	}
}

static void show(const struct snapshot *s, const struct snapshot *prev,
		 void *ctx)
{
	double secs = prev ? (s->ts - prev->ts) / 1e9 : 0;
	char b[SRO_SRC_NR + 2][32], r1[32], r2[32], age[32];
	uint64_t total = 0, fails = 0;
	const struct realm_acct *a;
	struct realm_accts accts;
	struct row *rows;
	size_t i, n = s->nrealms;
	char vmm[160];
	int k;

	rows = calloc(n ? n : 1, sizeof(*rows));
	if (!rows)
		return;
	for (i = 0; i < n; i++) {
		const struct sro_realm_stats *r = &s->realms[i].s;
		long pi = snapshot_realm(prev, s->realms[i].realm);
		const struct sro_realm_stats *p = pi >= 0 ? &prev->realms[pi].s : NULL;

		rows[i].realm = s->realms[i].realm;
		rows[i].s = r;
		rows[i].held = realm_held(r);
		if (p && secs > 0) {
			rows[i].don_rate = (src_sum(r->donated) - src_sum(p->donated)) / secs;
			rows[i].rec_rate = (src_sum(r->reclaimed) - src_sum(p->reclaimed)) / secs;
		}
		total += rows[i].held;
		fails += src_sum(r->alloc_fails);
	}
	oldest_per_realm(s, rows);
	qsort(rows, n, sizeof(*rows), cmp_held);
	/* The kernel's accounts name each realm's VMM; none: no column. */
	if (realm_accts_read(REALMS_SYSFS, REALMS_CGROUP_ROOT, &accts))
		memset(&accts, 0, sizeof(accts));

	if (!env.noclear)
		printf("\033[2J\033[H");
	if (timestamps)
		print_time(stdout);
	printf("sroscope top: %zu realms, realm world holds %s, %llu allocation failures\n",
	       n, format_bytes(r1, sizeof(r1), total), (unsigned long long)fails);
	for (k = 0; k < SRO_SRC_NR; k++)
		printf("%s%s %llu allocs, %llu fails, %llu fallbacks",
		       k ? "; " : "sources: ", sro_source_name(k),
		       (unsigned long long)s->sources[k].allocs,
		       (unsigned long long)s->sources[k].alloc_fails,
		       (unsigned long long)s->sources[k].fallbacks);
	printf("\n");
	snapshot_print_losses(stdout, s);
	printf("\n%-8s %10s %10s %10s %10s %11s %11s %6s %10s %9s %-9s %s\n", "REALM",
	       "HELD", "EXACT", "CONTIG", "POOL", "DONATE/s", "RECLAIM/s",
	       "FAILS", "GIVEN-UP", "OLDEST", "STATE", accts.present ? "VMM" : "");
	for (i = 0; i < n && i < env.rows; i++) {
		const struct sro_realm_stats *r = rows[i].s;

		for (k = 0; k < SRO_SRC_NR; k++)
			format_bytes(b[k], sizeof(b[k]), r->donated[k] - r->reclaimed[k]);
		format_bytes(b[SRO_SRC_NR], sizeof(b[0]), rows[i].held);
		format_bytes(r1, sizeof(r1), rows[i].don_rate);
		format_bytes(r2, sizeof(r2), rows[i].rec_rate);
		if (rows[i].oldest_ts)
			format_ns(age, sizeof(age), s->ts - rows[i].oldest_ts);
		else
			strcpy(age, "-");
		/* "qemu-system-aar[4242] vm1.scope" */
		a = realm_acct_find(&accts, rows[i].realm);
		vmm[0] = '\0';
		if (a)
			snprintf(vmm, sizeof(vmm), "%s[%d]%s%s", a->owner.comm,
				 a->owner.pid, a->owner.unit[0] ? " " : "",
				 a->owner.unit);
		printf("%-8u %10s %10s %10s %10s %11s %11s %6llu %10s %9s %-9s %s\n",
		       rows[i].realm, b[SRO_SRC_NR], b[0], b[1], b[2], r1, r2,
		       (unsigned long long)src_sum(r->alloc_fails),
		       format_bytes(b[SRO_SRC_NR + 1], sizeof(b[0]), r->leaked), age,
		       r->destroyed_ts ? "destroyed" : "live", vmm);
	}
	realm_accts_free(&accts);
	free(rows);
	fflush(stdout);
}

int cmd_top(int argc, char **argv)
{
	const struct report_command c = {
		.name = "top", .opts = &env.tracer,
		.options = options, .parser = parse_opt,
		.doc = doc, .iv = &env.iv, .what = SNAP_DONATIONS, .report = show,
	};

	return run_report_command(&c, argc, argv);
}
