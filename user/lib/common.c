// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE	/* setresuid() */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/capability.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "common.h"

bool verbose;
bool timestamps;

/* -h: as argp's own -? (hidden: argp lists "-?, --help" itself). */
static const struct argp_option help_options[] = {
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Give this help list" },
	{},
};

static error_t parse_help(int key, char *arg, struct argp_state *state)
{
	if (key != 'h')
		return ARGP_ERR_UNKNOWN;
	/* The whole command's help on stdout, exit 0. */
	argp_state_help(state, state->out_stream, ARGP_HELP_STD_HELP);
	return 0;
}

const struct argp help_argp = {
	.options = help_options,
	.parser = parse_help,
};

static const struct argp_option verbose_options[] = {
	{ "verbose", 'v', NULL, 0, "libbpf and verifier debug output" },
	{},
};

static error_t parse_verbose(int key, char *arg, struct argp_state *state)
{
	if (key != 'v')
		return ARGP_ERR_UNKNOWN;
	verbose = true;
	return 0;
}

const struct argp verbose_argp = {
	.options = verbose_options,
	.parser = parse_verbose,
};

static const struct argp_option timestamp_options[] = {
	{ "timestamp", 'T', NULL, 0, "Print a wall-clock time with each line or report" },
	{},
};

static error_t parse_timestamp(int key, char *arg, struct argp_state *state)
{
	if (key != 'T')
		return ARGP_ERR_UNKNOWN;
	timestamps = true;
	return 0;
}

const struct argp timestamp_argp = {
	.options = timestamp_options,
	.parser = parse_timestamp,
};

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

const char *errstr(int err)
{
	static char buf[128];

	libbpf_strerror(err, buf, sizeof(buf));
	return buf;
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

int lookup_user(const char *name, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;
	uint64_t v;

	pw = getpwnam(name);
	if (pw) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
		return 0;
	}
	if (!parse_u64(name, &v) && v < (uid_t)-1) {
		*uid = v;
		pw = getpwuid(*uid);
		*gid = pw ? pw->pw_gid : (gid_t)v;
		return 0;
	}
	/* Debian's nobody and nogroup, where there is no user database. */
	if (!strcmp(name, "nobody")) {
		*uid = 65534;
		*gid = 65534;
		return 0;
	}
	return -ENOENT;
}

/* Become @uid/@gid for good, supplementary groups dropped. 0 or -errno. */
static int switch_user(uid_t uid, gid_t gid)
{
	if (getuid() == uid && geteuid() == uid && getgid() == gid &&
	    getegid() == gid && getgroups(0, NULL) == 0)
		return 0;
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid))
		return -errno;
	return 0;
}

int drop_privileges(const char *what, const struct run_as *as)
{
	cap_value_t c;
	cap_t none;
	int err;

	/*
	 * The bounding set limits what an exec could gain. Dropping from it
	 * needs CAP_SETPCAP, which a unit's CapabilityBoundingSet= usually
	 * leaves out; then it stays as it is, and that is safe: what matters
	 * is that effective, permitted, inheritable and ambient are empty and
	 * no_new_privs is set, after which nothing this process runs can gain
	 * a capability. First, while CAP_SETPCAP may still be there.
	 */
	for (c = 0; c <= CAP_LAST_CAP; c++) {
		if (CAP_IS_SUPPORTED(c) && cap_get_bound(c) == 1 &&
		    cap_drop_bound(c) && errno != EPERM) {
			err = -errno;
			goto fail;
		}
	}
	if (as) {
		err = switch_user(as->uid, as->gid);
		if (err && as->required) {
			fprintf(stderr, "sroscope %s: cannot become uid %u gid %u: %s "
				"(it needs CAP_SETUID and CAP_SETGID)\n", what,
				(unsigned int)as->uid, (unsigned int)as->gid,
				strerror(-err));
			return err;
		}
		if (err)
			fprintf(stderr, "sroscope %s: staying uid %u (without "
				"capabilities): cannot become uid %u: %s\n", what,
				(unsigned int)getuid(), (unsigned int)as->uid,
				strerror(-err));
	}
	none = cap_init();
	if (!none) {
		err = -errno;
		goto fail;
	}
	err = cap_set_proc(none) ? -errno : 0;
	cap_free(none);
	if (err)
		goto fail;
	if (CAP_AMBIENT_SUPPORTED() && cap_reset_ambient()) {
		err = -errno;
		goto fail;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		err = -errno;
		goto fail;
	}
	return 0;
fail:
	fprintf(stderr, "sroscope %s: cannot drop privileges: %s\n",
		what, strerror(-err));
	return err;
}

uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

volatile sig_atomic_t exiting;

static void on_exit_signal(int sig)
{
	exiting = 1;
}

void handle_exit_signals(void)
{
	struct sigaction sa = { .sa_handler = on_exit_signal };

	/* No SA_RESTART: a blocking poll() returns at once. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

uint64_t numopt_arg(struct argp_state *state, const struct numopt *o,
		     const char *arg)
{
	char msg[NUMOPT_MSG_LEN];
	uint64_t v = 0;

	if (numopt_parse(o, arg, &v, msg, sizeof(msg)))
		argp_error(state, "%s", msg);
	return v;
}

void parse_interval_arg(struct argp_state *state, const char *arg,
			struct interval *iv)
{
	switch (iv->nargs++) {
	case 0:
		iv->ns = numopt_arg(state, &numopt_interval, arg);
		break;
	case 1:
		iv->count = numopt_arg(state, &numopt_count, arg);
		break;
	default:
		argp_error(state, "unexpected argument '%s': expected at most two, "
			   "INTERVAL and COUNT", arg);
	}
}

bool interval_wait(struct interval *iv, uint64_t *done)
{
	uint64_t now = boottime_ns(), end;
	struct timespec ts;

	/* The interval is at most a day; saturate all the same. */
	end = iv->ns > UINT64_MAX - now ? UINT64_MAX : now + iv->ns;
	while (!exiting && (now = boottime_ns()) < end) {
		ts.tv_sec = (end - now) / 1000000000ULL;
		ts.tv_nsec = (end - now) % 1000000000ULL;
		nanosleep(&ts, NULL);
	}
	if (exiting)
		return false;
	return !iv->count || ++*done < iv->count;
}

void print_time(FILE *f)
{
	char buf[16];
	time_t t = time(NULL);

	strftime(buf, sizeof(buf), "%H:%M:%S", localtime(&t));
	fprintf(f, "%-8s ", buf);
}
