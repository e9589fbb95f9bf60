// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * emuloop N CMD...: write each CMD to the emulated RMM's control file,
 * N times over, and print the mean ns per round. For benchmarks: a shell
 * loop would measure fork and exec more than the SRO path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CTL "/sys/kernel/debug/rmm_emu/ctl"

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned long long start, n;
	char *end;
	int fd, i;

	if (argc < 3) {
		fprintf(stderr, "usage: emuloop N CMD...\n");
		return 2;
	}
	n = strtoull(argv[1], &end, 10);
	if (*end || !n) {
		fprintf(stderr, "emuloop: bad count '%s'\n", argv[1]);
		return 2;
	}
	fd = open(CTL, O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "emuloop: %s: %s\n", CTL, strerror(errno));
		return 1;
	}
	start = now_ns();
	for (unsigned long long r = 0; r < n; r++) {
		for (i = 2; i < argc; i++) {
			if (write(fd, argv[i], strlen(argv[i])) < 0) {
				fprintf(stderr, "emuloop: '%s': %s\n", argv[i],
					strerror(errno));
				return 1;
			}
		}
	}
	printf("%llu\n", (now_ns() - start) / n);
	close(fd);
	return 0;
}
