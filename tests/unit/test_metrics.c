// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The exporter's metrics (user/export/metrics.c) from a snapshot built by
 * hand: per realm only what alerts and dashboards need of each realm, the
 * flows per source summed over every realm, and a large host's scrape
 * within its size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "metrics.h"

#define G	4096ULL

/* @nr realms; realm i (from 1) uses source i % 3; every 10th destroyed. */
static void build(struct snapshot *s, unsigned int nr, unsigned int per)
{
	unsigned int i, j, n = 0;

	memset(s, 0, sizeof(*s));
	s->ts = 1000000000000ULL;
	s->nrealms = nr;
	s->realms = calloc(nr ? nr : 1, sizeof(*s->realms));
	s->ndonations = (size_t)nr * per;
	s->donations = calloc(s->ndonations ? s->ndonations : 1,
			      sizeof(*s->donations));
	assert_non_null(s->realms);
	assert_non_null(s->donations);
	for (i = 0; i < nr; i++) {
		struct sro_realm_stats *r = &s->realms[i].s;
		int src = (i + 1) % SRO_SRC_NR;

		s->realms[i].realm = i + 1;
		r->donated[src] = (per + 2) * G;
		r->reclaimed[src] = 2 * G;
		r->donations[src] = per + 2;
		r->reclaims[src] = 2;
		r->leaked = (i + 1) % 7 ? 0 : G;
		r->destroyed_ts = (i + 1) % 10 ? 0 : s->ts;
		for (j = 0; j < per; j++, n++) {
			s->donations[n].id = n + 1;
			s->donations[n].d.id = n + 1;
			s->donations[n].d.realm = i + 1;
			s->donations[n].d.size = G;
			s->donations[n].d.ts = s->ts - (uint64_t)j * 1000000000ULL;
		}
	}
}

static char *write_body(const struct snapshot *s, size_t *len)
{
	struct export_health h = { .bpf_stats_enabled = -1 };
	char *body = NULL;
	FILE *f = open_memstream(&body, len);

	assert_non_null(f);
	metrics_write(f, s, NULL, &h);
	assert_int_equal(fclose(f), 0);
	return body;
}

/* The value of the series @series (name and labels), or -1. */
static double value(const char *body, const char *series)
{
	size_t n = strlen(series);
	const char *p = body;

	while ((p = strstr(p, series))) {
		if ((p == body || p[-1] == '\n') && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p += n;
	}
	return -1;
}

static unsigned int lines_starting(const char *body, const char *prefix)
{
	size_t n = strlen(prefix);
	unsigned int c = 0;
	const char *p;

	for (p = body; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		c += !strncmp(p, prefix, n);
	return c;
}

static void flows_per_source(void **state)
{
	struct snapshot s;
	size_t len;
	char *body;

	build(&s, 6, 1);
	body = write_body(&s, &len);
	/* Realms 3 and 6 use source 0, 1 and 4 source 1, 2 and 5 source 2. */
	assert_true(value(body, "sroscope_donated_bytes_total{source=\"exact\"}") == 6 * G);
	assert_true(value(body, "sroscope_reclaims_total{source=\"contig\"}") == 4);
	assert_true(value(body, "sroscope_donations_total{source=\"pool\"}") == 6);
	assert_int_equal(lines_starting(body, "sroscope_donated_bytes_total{realm"), 0);
	assert_int_equal(lines_starting(body, "sroscope_reclaims_total{realm"), 0);
	assert_int_equal(lines_starting(body, "sroscope_alloc_failures_total{realm"), 0);
	free(body);
	snapshot_free(&s);
}

static void per_realm(void **state)
{
	struct snapshot s;
	size_t len;
	char *body;

	build(&s, 20, 2);
	body = write_body(&s, &len);
	assert_true(value(body, "sroscope_held_bytes{realm=\"4\",source=\"contig\"}") == 2 * G);
	assert_int_equal(lines_starting(body, "sroscope_held_bytes{"), 20);
	/* Every realm's given-up counter, so that its first leak is a rise. */
	assert_int_equal(lines_starting(body, "sroscope_given_up_bytes_total{"), 20);
	assert_true(value(body, "sroscope_given_up_bytes_total{realm=\"7\"}") == G);
	assert_true(value(body, "sroscope_given_up_bytes_total{realm=\"8\"}") == 0);
	/* Destroyed realms only. */
	assert_int_equal(lines_starting(body, "sroscope_realm_destroyed{"), 2);
	assert_true(value(body, "sroscope_realm_destroyed{realm=\"10\"}") == 1);
	assert_true(value(body, "sroscope_realm_destroyed{realm=\"9\"}") == -1);
	assert_true(value(body, "sroscope_realm_unreturned_bytes{realm=\"20\"}") == 2 * G);
	assert_int_equal(lines_starting(body, "sroscope_realm_oldest_donation_age_seconds{"), 20);
	free(body);
	snapshot_free(&s);
}

/* 10,000 outstanding donations over 1,000 realms: at most 256 KiB. */
static void large_host_body(void **state)
{
	struct snapshot s;
	size_t len;
	char *body;

	build(&s, 1000, 10);
	body = write_body(&s, &len);
	assert_true(len <= 256 * 1024);
	free(body);
	snapshot_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flows_per_source),
		cmocka_unit_test(per_realm),
		cmocka_unit_test(large_host_body),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
