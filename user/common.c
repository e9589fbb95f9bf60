// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "common.h"

bool verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

void setup_libbpf_logging(void)
{
	libbpf_set_print(libbpf_print);
}

#ifndef CAP_PERFMON
#define CAP_PERFMON	38
#endif
#ifndef CAP_BPF
#define CAP_BPF		39
#endif

static bool has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return d[cap / 32].effective & (1U << (cap % 32));
}

int check_caps(unsigned int need, const char *what)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = {};
	char missing[96] = "";
	bool admin;

	if (syscall(SYS_capget, &hdr, data))
		return 0;	/* cannot tell: let the kernel decide */
	admin = has_cap(data, CAP_SYS_ADMIN);
	/* CAP_SYS_ADMIN implies CAP_BPF and CAP_PERFMON. */
	if ((need & NEED_BPF) && !admin && !has_cap(data, CAP_BPF))
		strcat(missing, " CAP_BPF");
	if ((need & NEED_PERFMON) && !admin && !has_cap(data, CAP_PERFMON))
		strcat(missing, " CAP_PERFMON");
	if ((need & NEED_ADMIN) && !admin)
		strcat(missing, " CAP_SYS_ADMIN");
	if (!missing[0])
		return 0;
	fprintf(stderr, "sroscope %s: missing capabilities:%s (run as root)\n",
		what, missing);
	return -EPERM;
}

int read_stat(const char *path, const char *key, char *val, size_t len)
{
	size_t klen = strlen(key);
	char line[256];
	FILE *f;
	int ret = -ENOENT;

	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) || line[klen] != ' ')
			continue;
		/* The value is the rest of the line, one word. */
		if (sscanf(line + klen + 1, "%255s", line) == 1 &&
		    strlen(line) < len) {
			strcpy(val, line);
			ret = 0;
		}
		break;
	}
	fclose(f);
	return ret;
}

int read_stat_u64(const char *path, const char *key, uint64_t *val)
{
	char buf[32];
	char *end;
	int ret;

	ret = read_stat(path, key, buf, sizeof(buf));
	if (ret)
		return ret;
	errno = 0;
	*val = strtoull(buf, &end, 10);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}
