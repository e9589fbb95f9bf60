// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * noseccomp CMD [ARG...]: run CMD as on a kernel built without seccomp,
 * as far as CMD can tell: prctl(PR_GET_SECCOMP) fails with EINVAL and
 * seccomp(2) with ENOSYS, which is what such a kernel answers. (A filter
 * of this program's own does it, so /proc still shows one.) For t-95:
 * the exporter must serve on such a kernel, and say it has no filter.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define ARCH_NATIVE	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH_NATIVE	AUDIT_ARCH_AARCH64
#else
#error "noseccomp: x86_64 and arm64 only"
#endif

#define LD(field)	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define RET(v)		BPF_STMT(BPF_RET | BPF_K, (v))

int main(int argc, char **argv)
{
	struct sock_filter f[] = {
		LD(arch),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH_NATIVE, 1, 0),
		RET(SECCOMP_RET_ALLOW),
		LD(nr),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_seccomp, 0, 1),
		RET(SECCOMP_RET_ERRNO | ENOSYS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_prctl, 0, 3),
		LD(args[0]),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PR_GET_SECCOMP, 0, 1),
		RET(SECCOMP_RET_ERRNO | EINVAL),
		RET(SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (argc < 2) {
		fprintf(stderr, "usage: noseccomp CMD [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("noseccomp");
		return 1;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
