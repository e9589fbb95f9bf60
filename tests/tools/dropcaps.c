// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * dropcaps CMD [ARG...]: run CMD as root but without any capability, to
 * test the "missing capabilities" errors (busybox has no setpriv).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (argc < 2) {
		fprintf(stderr, "usage: dropcaps CMD [ARG...]\n");
		return 2;
	}
	/* Keep root's uid but no capability, for this process and CMD. */
	memset(data, 0, sizeof(data));
	if (prctl(PR_SET_SECUREBITS, 0x2f /* NOROOT, NO_SETUID_FIXUP, locked */) ||
	    syscall(SYS_capset, &hdr, data)) {
		perror("dropcaps");
		return 1;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
