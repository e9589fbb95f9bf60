// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cmdtime: the wall time of whole commands, for `make bench` in the VM
 * (busybox's time says hundredths of a second).
 *
 *   cmdtime N CMD [ARG...]...
 *	Run each command, separated by "--", in turn, N rounds, from fork
 *	to exit, output to /dev/null; print one line per command, "p50 MS
 *	p99 MS max MS" over its N runs. Exit 1 if a run fails.
 *
 *   cmdtime 20 sroscope policy swap exact -- sroscope policy swap contig
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS	8

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Run @argv to its end; its wall time in ns, or 0 when it failed. */
static uint64_t run(char **argv)
{
	uint64_t t0 = mono_ns();
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return 0;
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			close(null);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "cmdtime: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return 0;
	return mono_ns() - t0;
}

int main(int argc, char **argv)
{
	char **cmds[MAX_CMDS];
	uint64_t *ns[MAX_CMDS];
	int n, ncmds = 0, i, c;
	char *end;

	n = argc > 2 ? strtol(argv[1], &end, 10) : 0;
	if (n < 1 || n > 100000 || *end) {
		fprintf(stderr, "usage: cmdtime ROUNDS CMD [ARG...] [-- CMD [ARG...]]...\n");
		return 2;
	}
	cmds[ncmds++] = &argv[2];
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--"))
			continue;
		argv[i] = NULL;
		if (i + 1 >= argc || ncmds == MAX_CMDS) {
			fprintf(stderr, "cmdtime: 1 to %d commands, none empty\n",
				MAX_CMDS);
			return 2;
		}
		cmds[ncmds++] = &argv[i + 1];
	}
	for (c = 0; c < ncmds; c++) {
		ns[c] = calloc(n, sizeof(*ns[c]));
		if (!ns[c])
			return 1;
	}
	for (i = 0; i < n; i++)
		for (c = 0; c < ncmds; c++) {
			ns[c][i] = run(cmds[c]);
			if (!ns[c][i]) {
				fprintf(stderr, "cmdtime: %s failed\n",
					cmds[c][0]);
				return 1;
			}
		}
	for (c = 0; c < ncmds; c++) {
		qsort(ns[c], n, sizeof(*ns[c]), cmp_u64);
		printf("p50 %.1f p99 %.1f max %.1f\n", ns[c][n / 2] / 1e6,
		       ns[c][(n * 99) / 100] / 1e6, ns[c][n - 1] / 1e6);
		free(ns[c]);
	}
	return 0;
}
