// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * emustress OPS [WORKERS] [SEED]: drive the emulated RMM at random from
 * one process per CPU (or WORKERS), OPS operations in all. Each worker
 * owns its own realm ids and builds and tears down realms, RECs, devices,
 * SMMUs and huge blocks, arming every fault mode now and then (partial and
 * zero consumption, failing operations that keep memory, racing
 * page-table reuse, leaky destroys, refused (un)delegations, one-way
 * donations). With FAIL=1 each worker also marks itself for the kernel's
 * fault injection (/proc/self/make-it-fail), so its page and slab
 * allocations fail as fail_page_alloc and failslab are set. At the end
 * every realm is destroyed; the operations run, failed and each fault
 * armed are printed as "key value" lines.
 *
 * Leaks and one-way donations are memory the RMM keeps for good: a long
 * run would fill the VM with them. Once the emulator keeps KEEP_MB (256)
 * that way, workers stop arming them ("keep_capped": the ones skipped).
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sro_vocab.h"

#define CTL		"/sys/kernel/debug/rmm_emu/ctl"
#define STATE		"/sys/kernel/debug/rmm_emu/state"
#define KEEP_EVERY	256	/* ops between two looks at what is kept */
#define REALMS_PER	6	/* realm ids per worker */
#define MAX_WORKERS	8

#define FAULT_NAME(id, name, prose)	name,
static const char *const faults[] = { SRO_FAULTS(FAULT_NAME) };
#define NFAULTS	SRO_FAULT_NR

struct counts {
	uint64_t ops, failed, faults[NFAULTS], leaks, oneway, capped;
};

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int ctl(int fd, const char *fmt, unsigned int a, unsigned long long b)
{
	char cmd[96];
	int n = snprintf(cmd, sizeof(cmd), fmt, a, b);

	return write(fd, cmd, n) == n ? 0 : -errno;
}

/* Granules the emulated RMM keeps for good (leaked, one-way), all realms. */
static uint64_t kept_for_good(void)
{
	unsigned long long v, n = 0;
	char line[128], key[32];
	unsigned int r;
	FILE *f = fopen(STATE, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "realm %u %31s %llu", &r, key, &v) == 3 &&
		    (!strcmp(key, "leaked") || !strcmp(key, "one_way")))
			n += v;
	fclose(f);
	return n;
}

static void worker(int id, uint64_t ops, uint64_t seed, uint64_t keep_max,
		   struct counts *c)
{
	bool capped = false;
	unsigned int first = 1 + id * REALMS_PER, r;
	uint64_t s = seed * 2654435761ULL + id + 1, i, x;
	int fd = open(CTL, O_WRONLY);
	int live[REALMS_PER] = {};

	if (fd < 0) {
		perror(CTL);
		_exit(1);
	}
	if (getenv("FAIL")) {
		int f = open("/proc/self/make-it-fail", O_WRONLY);

		if (f < 0 || write(f, "1", 1) != 1)
			perror("make-it-fail");
		if (f >= 0)
			close(f);
	}
	for (i = 0; i < ops; i++) {
		if (i % KEEP_EVERY == 0)
			capped = kept_for_good() >= keep_max;
		x = rnd(&s);
		r = first + x % REALMS_PER;
		x >>= 8;
		c->ops++;
		if (!live[r - first]) {
			if (ctl(fd, "realm_create %u", r, 0))
				c->failed++;
			else
				live[r - first] = 1;
			continue;
		}
		switch (x % 16) {
		case 0:
		case 1:
		case 2:
			if (ctl(fd, "rec_create %u %llu", r, 1 + (x >> 4) % 3))
				c->failed++;
			break;
		case 3:
		case 4:
			if (ctl(fd, "rec_destroy %u %llu", r, 1))
				c->failed++;
			break;
		case 5:
			if (ctl(fd, "pdev_create %u %llu", r, 1 + (x >> 4) % 40))
				c->failed++;
			break;
		case 6:
			if (ctl(fd, "pdev_destroy %u", r, 0))
				c->failed++;
			break;
		case 7:
			if (ctl(fd, "smmu_activate %u %llu", r, 12 + (x >> 4) % 10))
				c->failed++;
			break;
		case 8:
			if (ctl(fd, "smmu_deactivate %u", r, 0))
				c->failed++;
			break;
		case 9:
			if (ctl(fd, "huge %u %llu", r, 4096ULL << ((x >> 4) % 10)))
				c->failed++;
			break;
		case 10:
		case 11: {
			unsigned int f = (x >> 4) % NFAULTS;
			char cmd[64];
			int n = snprintf(cmd, sizeof(cmd), "fault %s 1", faults[f]);

			if (write(fd, cmd, n) == n)
				c->faults[f]++;
			else
				c->failed++;
			break;
		}
		case 12:
			if (capped)
				c->capped++;
			else if (ctl(fd, "leak %u %llu", r, 1 + (x >> 4) % 2))
				c->failed++;
			else
				c->leaks++;
			break;
		case 13:
			if (capped)
				c->capped++;
			else if (ctl(fd, "oneway %u %llu", r, 1 + (x >> 4) % 4))
				c->failed++;
			else
				c->oneway++;
			break;
		case 14:
			if (ctl(fd, "rtt_create %u %llu", r, 1))
				c->failed++;
			break;
		default:
			if (ctl(fd, "realm_destroy %u", r, 0))
				c->failed++;
			else
				live[r - first] = 0;
			break;
		}
	}
	/* Every realm of this worker destroyed; a refused destroy retried. */
	for (r = 0; r < REALMS_PER; r++) {
		int tries = 0;

		while (live[r] && tries++ < 16 &&
		       ctl(fd, "realm_destroy %u", first + r, 0) == -EIO)
			;
	}
	close(fd);
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t ops = argc > 1 ? strtoull(argv[1], NULL, 0) : 10000;
	uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 0) : 1;
	const char *mb = getenv("KEEP_MB");
	uint64_t keep_max = (mb ? strtoull(mb, NULL, 0) : 256) << (20 - 12);
	struct counts *c, t = {};
	int status, bad = 0;
	long w;
	size_t f;

	if (argc < 2 || n < 1 || n > MAX_WORKERS) {
		fprintf(stderr, "usage: emustress OPS [WORKERS 1..%d] [SEED]\n", MAX_WORKERS);
		return 2;
	}
	c = mmap(NULL, sizeof(*c) * n, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED)
		return 1;
	memset(c, 0, sizeof(*c) * n);
	for (w = 0; w < n; w++) {
		if (!fork()) {
			worker(w, ops / n, seed, keep_max, &c[w]);
			_exit(0);
		}
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad = 1;
	for (w = 0; w < n; w++) {
		t.ops += c[w].ops;
		t.failed += c[w].failed;
		t.leaks += c[w].leaks;
		t.oneway += c[w].oneway;
		t.capped += c[w].capped;
		for (f = 0; f < NFAULTS; f++)
			t.faults[f] += c[w].faults[f];
	}
	printf("workers %ld\nops %llu\nfailed %llu\nleak_armed %llu\noneway %llu\nkeep_capped %llu\n",
	       n, (unsigned long long)t.ops, (unsigned long long)t.failed,
	       (unsigned long long)t.leaks, (unsigned long long)t.oneway,
	       (unsigned long long)t.capped);
	for (f = 0; f < NFAULTS; f++)
		printf("fault_%s %llu\n", faults[f], (unsigned long long)t.faults[f]);
	return bad;
}
