/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Helpers shared by the sroscope subcommands. */
#ifndef SROSCOPE_COMMON_H
#define SROSCOPE_COMMON_H

#include <argp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "numopt.h"

#define SROSCOPE_VERSION	"0.1.0"

/* Where the kernel series publishes its counters. */
#define SRO_STATS_PATH		"/sys/kernel/debug/sro/stats"
/* Where sroscope pins what must outlive it. */
#define SROSCOPE_PIN_DIR	"/sys/fs/bpf/sroscope"

extern bool verbose;
/* -T: a wall-clock time on each line or report. */
extern bool timestamps;

/*
 * Options more than one command takes, as argp children, so that a
 * command lists only those it uses (docs/cli.md):
 *   help_argp       -h, as argp's own -? and --help: every command
 *   verbose_argp    -v: the commands that load BPF (libbpf's messages)
 *   timestamp_argp  -T: the commands that print lines or reports
 */
extern const struct argp help_argp;
extern const struct argp verbose_argp;
extern const struct argp timestamp_argp;

/* Route libbpf's messages to stderr, debug ones only with -v. */
void setup_libbpf_logging(void);

/*
 * The message of an error code as libbpf's functions return it: -errno,
 * or one of libbpf's own codes (LIBBPF_ERRNO__*, which strerror() calls
 * "Unknown error 4001"); either sign. In a static buffer: one per call
 * of printf.
 */
const char *errstr(int err);

/*
 * Fail with a clear message unless the process has the capabilities a
 * command needs. @what names the command for the message.
 */
enum sro_cap {
	NEED_BPF = 1,		/* CAP_BPF: load programs, create maps */
	NEED_PERFMON = 2,	/* CAP_PERFMON: attach to tracepoints */
	NEED_ADMIN = 4,		/* CAP_SYS_ADMIN: struct_ops, debugfs */
};
int check_caps(unsigned int need, const char *what);

/*
 * The user a command runs as once set up: a user name, or a numeric uid
 * (its group from the user database, else the same number). "nobody"
 * is uid and gid 65534 where the database has no such user. 0 or
 * -ENOENT.
 */
int lookup_user(const char *name, uid_t *uid, gid_t *gid);

struct run_as {
	uid_t uid;
	gid_t gid;
	bool required;		/* fail, rather than stay, if it cannot be */
};

/*
 * Once what needed them is done: become @as's user (when @as is not
 * NULL), then give up every capability for good: effective, permitted,
 * inheritable and ambient cleared, the bounding set too when this
 * process may change it, and no new privileges on exec. 0 or -errno.
 */
int drop_privileges(const char *what, const struct run_as *as);

/* Monotonic time since boot, as the kernel's ktime_get_boottime_ns(). */
uint64_t boottime_ns(void);

/* Set by SIGINT/SIGTERM once handle_exit_signals() ran. */
extern volatile sig_atomic_t exiting;
void handle_exit_signals(void);

/*
 * The value of the numeric option @o (numopt.h) given as @arg; a usage
 * error (exit 2) that says what is accepted when it is not.
 */
uint64_t numopt_arg(struct argp_state *state, const struct numopt *o,
		     const char *arg);

/*
 * The libbpf-tools positional arguments "[interval] [count]": call from
 * ARGP_KEY_ARG. The interval is a duration (bare number: seconds, 1ms to
 * 24h); count 0 (the default) means until Ctrl-C.
 */
struct interval {
	uint64_t ns;		/* 0: report once, at the end */
	uint64_t count;
	int nargs;
};
void parse_interval_arg(struct argp_state *state, const char *arg,
			struct interval *iv);

/* Wait for the next interval, or Ctrl-C; false when it is time to stop. */
bool interval_wait(struct interval *iv, uint64_t *done);

/* "HH:MM:SS " of the wall clock, for -T. */
void print_time(FILE *f);

#endif
