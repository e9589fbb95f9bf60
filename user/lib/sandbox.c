// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The exporter's seccomp filter (libseccomp): once its programs are
 * attached, its socket bound and its privileges dropped, what is left
 * to do is to answer scrapes (accept, read, read the BPF maps, write)
 * and to stop. Only those system calls are allowed, in the calling
 * thread and every thread it starts later; any other ends the process
 * with SIGSYS's status, naming the call.
 * No exec, no new socket, no write to a file, no fork: clone() only
 * for a thread, clone3() fails with ENOSYS (its flags are out of the
 * filter's sight; glibc then uses clone()).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <linux/sched.h>	/* CLONE_THREAD */
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <seccomp.h>

#include "sandbox.h"

/* Names, so one list serves every architecture: absent ones are skipped. */
static const char *const serving[] = {
	/* answering: libmicrohttpd's poll() loop and the stats file;
	 * the kernel's per-realm accounts and the cgroup tree (getdents64) */
	"accept", "accept4", "poll", "ppoll", "read", "readv", "recvfrom",
	"recvmsg", "write", "writev", "sendto", "sendmsg", "sendfile",
	"shutdown", "close", "fcntl", "lseek", "fstat", "newfstatat",
	"statx", "getdents64", "getsockname", "getpeername", "setsockopt",
	"getsockopt",
	/* reading the BPF maps and programs' statistics */
	"bpf",
	/* memory and time */
	"brk", "mmap", "munmap", "mremap", "mprotect", "madvise",
	"clock_gettime", "clock_nanosleep", "nanosleep", "gettimeofday",
	/* glibc's qsort() sizes its buffer against sysconf(_SC_PHYS_PAGES) */
	"sysinfo",
	/* threads: starting libmicrohttpd's (and its eventfd), locks,
	 * signals, stopping */
	"eventfd2", "pipe2", "futex", "set_robust_list", "rseq", "sched_yield", "gettid",
	"getpid", "tgkill", "rt_sigaction", "rt_sigprocmask", "rt_sigtimedwait",
	"rt_sigreturn", "restart_syscall", "exit", "exit_group",
};

/*
 * A call outside the filter stops the whole process, saying which: a
 * killed thread would leave a process that accepts connections and
 * answers none. Only async-signal-safe calls the filter allows.
 */
static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	char msg[96];
	int n;

	n = snprintf(msg, sizeof(msg),
		     "sroscope: system call %d is not in the seccomp filter\n",
		     si->si_syscall);
	if (n > 0)
		write(STDERR_FILENO, msg, n);
	_exit(128 + SIGSYS);
}

int sandbox_serving(const char *what)
{
	struct sigaction sa = {
		.sa_sigaction = on_sigsys,
		.sa_flags = SA_SIGINFO,
	};
	scmp_filter_ctx ctx;
	unsigned int i;
	int nr, err;

	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL) {
		fprintf(stderr, "sroscope %s: this kernel has no seccomp: "
			"serving without a system call filter\n", what);
		return 0;
	}
	if (sigaction(SIGSYS, &sa, NULL))
		return -errno;
	ctx = seccomp_init(SCMP_ACT_TRAP);
	if (!ctx)
		return -ENOMEM;
	for (i = 0; i < sizeof(serving) / sizeof(serving[0]); i++) {
		nr = seccomp_syscall_resolve_name(serving[i]);
		if (nr < 0)
			continue;	/* not on this architecture */
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		if (err)
			goto out;
	}
	/* Files: read-only opens (/proc/sys/kernel/bpf_stats_enabled). */
	nr = seccomp_syscall_resolve_name("open");
	err = nr < 0 ? 0 : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
		SCMP_A1(SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_TRUNC, O_RDONLY));
	err = err ?: seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
		SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_TRUNC, O_RDONLY));
	/* Threads only, not processes. */
	err = err ?: seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
		SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	err = err ?: seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	/* libmicrohttpd names its thread. */
	err = err ?: seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
		SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME));
	if (err)
		goto out;
	err = seccomp_load(ctx);
	if (err == -EINVAL && prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 0) {
		/* CONFIG_SECCOMP without CONFIG_SECCOMP_FILTER */
		fprintf(stderr, "sroscope %s: this kernel has no seccomp filters: "
			"serving without one\n", what);
		err = 0;
	}
out:
	if (err)
		fprintf(stderr, "sroscope %s: cannot install the seccomp filter: %s\n",
			what, strerror(-err));
	seccomp_release(ctx);
	return err;
}
