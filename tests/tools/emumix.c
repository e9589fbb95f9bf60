// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * emumix REQUESTS [SEED]: drive the emulated RMM with a host's mix of
 * operations until about REQUESTS donation requests were made, for the
 * what-if at scale (make whatif-large records it and replays it). The
 * same SEED gives the same commands. Prints what it did.
 *
 * The mix (docs/whatif-answer.md): 8 long-lived realms, each with 2 RTTs
 * at first; then, for a realm picked at random, by weight:
 *   35  a REC created (16 x 4 KiB), or the newest destroyed (at most 6)
 *   25  a device of 1, 1, 2, 3, 4 or 8 granules created, or the newest
 *       device destroyed (at most 6 with the contiguous blocks below)
 *   10  a contiguous block of 64 KiB, 256 KiB, 1 MiB or 2 MiB
 *   10  an SMMU (stream table of 2^16 SIDs and its queues), or a level 2
 *       stream table, or the newest of either destroyed (at most 2 each)
 *   10  a short-lived realm: created, 2 RECs and a device of 3 granules,
 *       destroyed
 *    5  an RTT delegated by the host (at most 16)
 *    5  the RMM misbehaving in the next operation: a donation taken in
 *       part or not at all, a create failed keeping memory or giving it
 *       all back, a destroy keeping a block until the realm's destroy
 * A realm whose devices are all taken is destroyed and created again.
 * Every realm is destroyed at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CTL	"/sys/kernel/debug/rmm_emu/ctl"
#define REALMS	8
#define SHORT	(REALMS + 1)	/* the short-lived realm's id */
#define MAX_RECS 6
#define MAX_DEVS 6
#define MAX_SMMU 2
#define MAX_RTTS 16

struct realm {
	int recs, devs, smmus, l2s, rtts;
};

static struct realm realms[REALMS + 1];
static uint64_t rng, requests, commands, failed;
static int fd;

/* xorshift64*: the same SEED, the same mix. */
static uint64_t rnd(uint64_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (rng * 0x2545f4914f6cdd1dULL >> 32) % n;
}

/* One command, counting @reqs requests when it succeeds; -errno if not. */
static int ctl(uint64_t reqs, const char *fmt, ...)
{
	char cmd[96];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	commands++;
	if (write(fd, cmd, n) < 0) {
		failed++;
		return -errno;
	}
	requests += reqs;
	return 0;
}

static void must(int err, const char *what)
{
	if (err) {
		fprintf(stderr, "emumix: %s: %s\n", what, strerror(-err));
		exit(1);
	}
}

static void realm_new(int r)
{
	memset(&realms[r], 0, sizeof(realms[r]));
	must(ctl(0, "realm_create %d", r), "realm_create");
	must(ctl(0, "rtt_create %d 2", r), "rtt_create");
	realms[r].rtts = 2;
}

static void step(int r)
{
	static const unsigned int granules[] = { 1, 1, 2, 3, 4, 8 };
	static const unsigned int sizes[] = { 65536, 262144, 1048576, 2097152 };
	static const char *const faults[] = {
		"partial", "zero", "fail_keep", "fail_late", "racing_keep",
	};
	struct realm *m = &realms[r];
	uint64_t w = rnd(100);

	if (w < 35) {
		if (m->recs < MAX_RECS && (!m->recs || rnd(2))) {
			if (!ctl(1, "rec_create %d 1", r))
				m->recs++;
		} else if (!ctl(0, "rec_destroy %d 1", r)) {
			m->recs--;
		}
	} else if (w < 60) {
		if (m->devs < MAX_DEVS && (!m->devs || rnd(2))) {
			if (!ctl(1, "pdev_create %d %u", r, granules[rnd(6)]))
				m->devs++;
		} else if (!ctl(0, "pdev_destroy %d", r)) {
			m->devs--;
		}
	} else if (w < 70) {
		if (m->devs == MAX_DEVS) {
			must(ctl(0, "realm_destroy %d", r), "realm_destroy");
			realm_new(r);
		}
		if (!ctl(1, "huge %d %u", r, sizes[rnd(4)]))
			m->devs++;
	} else if (w < 80) {
		if (rnd(2)) {
			if (m->smmus < MAX_SMMU && !ctl(3, "smmu_activate %d 16", r))
				m->smmus++;
			else if (m->smmus == MAX_SMMU && !ctl(0, "smmu_deactivate %d", r))
				m->smmus--;
		} else {
			if (m->l2s < MAX_SMMU && !ctl(1, "smmu_st_l2_create %d", r))
				m->l2s++;
			else if (m->l2s == MAX_SMMU && !ctl(0, "smmu_st_l2_destroy %d", r))
				m->l2s--;
		}
	} else if (w < 90) {
		must(ctl(0, "realm_create %d", SHORT), "realm_create");
		ctl(2, "rec_create %d 2", SHORT);
		ctl(1, "pdev_create %d 3", SHORT);
		must(ctl(0, "realm_destroy %d", SHORT), "realm_destroy");
	} else if (w < 95) {
		if (m->rtts < MAX_RTTS && !ctl(0, "rtt_create %d 1", r))
			m->rtts++;
	} else {
		must(ctl(0, "fault %s 1", faults[rnd(5)]), "fault");
	}
}

int main(int argc, char **argv)
{
	uint64_t want;
	char *end;
	int r;

	want = argc > 1 ? strtoull(argv[1], &end, 10) : 0;
	if (argc < 2 || argc > 3 || !want || *end) {
		fprintf(stderr, "usage: emumix REQUESTS [SEED]\n");
		return 2;
	}
	rng = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
	rng = rng * 0x9e3779b97f4a7c15ULL | 1;
	fd = open(CTL, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "emumix: %s: %s\n", CTL, strerror(errno));
		return 1;
	}
	for (r = 1; r <= REALMS; r++)
		realm_new(r);
	while (requests < want)
		step(1 + rnd(REALMS));
	ctl(0, "reset_faults");
	for (r = 1; r <= REALMS; r++)
		must(ctl(0, "realm_destroy %d", r), "realm_destroy");
	printf("emumix: %llu commands (%llu failed, as armed or refused), about %llu requests\n",
	       (unsigned long long)commands, (unsigned long long)failed,
	       (unsigned long long)requests);
	close(fd);
	return 0;
}
