// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sroscope replay: what each policy would have done with a recorded
 * request stream. The trace becomes a plan (user/lab/replay_plan.c) that the
 * emulated RMM replays once per policy, under the same memory condition
 * (fresh, or fragmented by the emulator's fragmenter), while the tracer
 * watches: requests served and failed, allocation latency per request
 * shape, memory held idle, fragmentation afterwards, (un)delegations,
 * memory given up and kept. The results are JSON for `sroscope report`.
 * Runs where the emulated RMM is (the test VM).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "commands.h"
#include "common.h"
#include "format.h"
#include "kstats.h"
#include "outfile.h"
#include "replay.h"
#include "replay_plan.h"
#include "tracer.h"

#define EMU_DIR		"/sys/kernel/debug/rmm_emu"
#define SRO_DIR		"/sys/kernel/debug/sro"
/* Retries of a refused undelegation before the kernel gives it up. */
#define QUARANTINE_TRIES "/sys/module/arm_rmm_sro/parameters/quarantine_tries"
#define MAX_SAMPLES	4096	/* timeline points kept per run */

static struct {
	const char *trace;
	const char *policies;
	const char *output;
	uint64_t fragment_mb;
	uint64_t pool_bytes;
	double speed;
	bool dry_run;
	bool pool_delegated;
} env = {
	.policies = "exact,contig,pool,adaptive",
	.output = "replay.json",
	.pool_bytes = 16 << 20,
	.speed = 0,
};

static const char doc[] =
"Replay a recorded trace (sroscope record) on the emulated RMM once per\n"
"policy, under the same memory condition, and write what each did to a\n"
"JSON file for `sroscope report`.\n"
"\v"
"Each operation of the trace replays as the emulator command that makes\n"
"it (REC, device, SMMU, RTT, data, realm create and destroy); any other\n"
"donating operation as a device of the same granule count, or a\n"
"contiguous one of the same size. What the RMM did on its own is armed\n"
"before its operation: granules kept at a realm's destroy, refused\n"
"undelegations. The pool policy runs with a pool of --pool bytes; the\n"
"others with none (adaptive sizes its own).\n"
"\n"
"EXAMPLES:\n"
"  sroscope replay boot.srotrace\n"
"  sroscope replay churn.srotrace -p exact,pool -F 256 -o churn.json\n"
"  sroscope replay host.srotrace -S 10     # 10 times faster than recorded\n";

enum { OPT_POOL = 0x300, OPT_POOL_DELEGATED };

static const struct argp_option options[] = {
	{ "policy", 'p', "LIST", 0, "Up to 8 policies (names or files), comma-separated (default exact,contig,pool,adaptive)" },
	{ "fragment", 'F', "MB", 0, "Fragment MB of memory first, up to 1048576 (every other page kept)" },
	{ "speed", 'S', "X", 0, "Replay X times faster than recorded, 0.001 to 1000000 (default 0: no waits)" },
	{ "pool", OPT_POOL, "SIZE", 0, "Pool for the pool policy, up to 1024G (default 16M)" },
	{ "pool-delegated", OPT_POOL_DELEGATED, NULL, 0,
	  "Delegate the pool up front (saves delegations per request)" },
	{ "output", 'o', "FILE", 0, "Results (default replay.json)" },
	{ "dry-run", 'n', NULL, 0, "Print the emulator commands of the plan, run nothing" },
	{},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	char why[128];

	switch (key) {
	case 'p':
		if (replay_check_policies(arg, why, sizeof(why)))
			argp_error(state, "invalid policy list: %s: expected up to %d "
				   "policy names or files, comma-separated",
				   why, REPLAY_MAX_RUNS);
		env.policies = arg;
		break;
	case 'F':
		if (parse_u64(arg, &env.fragment_mb) ||
		    env.fragment_mb > REPLAY_FRAGMENT_MAX_MB)
			argp_error(state, "invalid fragment size '%s': expected a "
				   "whole number of MB, from 0 to %llu",
				   arg, REPLAY_FRAGMENT_MAX_MB);
		break;
	case 'S':
		if (replay_parse_speed(arg, &env.speed))
			argp_error(state, "invalid speed '%s': expected 0 (no waits) "
				   "or a number from %g to %g",
				   arg, REPLAY_SPEED_MIN, REPLAY_SPEED_MAX);
		break;
	case OPT_POOL_DELEGATED:
		env.pool_delegated = true;
		break;
	case OPT_POOL:
		if (parse_size(arg, &env.pool_bytes) || env.pool_bytes > REPLAY_POOL_MAX)
			argp_error(state, "invalid pool size '%s': expected a whole "
				   "number of bytes, or one with a unit (K, M, G), "
				   "from 0 to 1024G", arg);
		break;
	case 'o':
		env.output = arg;
		break;
	case 'n':
		env.dry_run = true;
		break;
	case ARGP_KEY_ARG:
		if (env.trace)
			argp_error(state, "unexpected argument '%s': expected one "
				   "TRACE", arg);
		env.trace = arg;
		break;
	case ARGP_KEY_END:
		if (!env.trace)
			argp_error(state, "which trace? (sroscope record makes one)");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	/* A signal (no SA_RESTART) must not make a write that restores fail. */
	do
		n = write(fd, text, strlen(text));
	while (n < 0 && errno == EINTR);
	close(fd);
	return n < 0 ? -errno : 0;
}

/* A 0/1 debugfs knob; -1 if it cannot be read. */
/* The number in @path, or -1. */
static long read_number(const char *path)
{
	char v[24] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, v, sizeof(v) - 1);
	close(fd);
	return n > 0 ? strtol(v, NULL, 10) : -1;
}

static int read_flag(const char *path)
{
	long v = read_number(path);

	return v < 0 ? -1 : v != 0;
}

static int emu(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int emu(const char *fmt, ...)
{
	char cmd[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return write_file(EMU_DIR "/ctl", cmd);
}

/* The kernel's counters now; false if they cannot be read. */
static bool kstats_now(struct kstats *k)
{
	return !kstats_read(SRO_STATS_PATH, k);
}

/* Emulator state: "realm N KEY V" lines; -1 if absent. */
static long long emu_realm(const char *state, uint32_t realm, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "realm %u %s ", realm, key);
	for (p = state; (p = strstr(p, pat)); p++)
		if (p == state || p[-1] == '\n')
			return strtoll(p + strlen(pat), NULL, 10);
	return -1;
}

/* Bytes the emulated RMM holds for @realm: its granules and the host's. */
static uint64_t emu_held(const char *state, uint32_t realm)
{
	long long h = emu_realm(state, realm, "held");
	long long o = emu_realm(state, realm, "host");

	return ((h > 0 ? h : 0) + (o > 0 ? o : 0)) * SRO_GRANULE_SIZE;
}

static char *emu_state(void)
{
	static char buf[128 * 1024];
	ssize_t n, len = 0;
	int fd = open(EMU_DIR "/state", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* Free pages per order, all zones (/proc/buddyinfo). */
static int buddyinfo(uint64_t *orders, int max)
{
	char line[512], *p, *end;
	int n = 0, i;
	FILE *f = fopen("/proc/buddyinfo", "r");

	memset(orders, 0, max * sizeof(*orders));
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, "zone");
		if (!p)
			continue;
		p += 4;
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;	/* the zone's name */
		for (i = 0; i < max; i++) {
			unsigned long long v = strtoull(p, &end, 10);

			if (end == p)
				break;
			orders[i] += v;
			p = end;
		}
		if (i > n)
			n = i;
	}
	fclose(f);
	return n;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Emulator realm ids for the plan's realms: ones not live now. */
static int map_realms(const struct plan *p, uint32_t *map)
{
	const char *state = emu_state();
	uint32_t id = 1;
	size_t i;

	if (!state)
		return -ENOENT;
	for (i = 0; i < p->nrealms; i++) {
		while (id <= PLAN_MAX_REALMS && emu_realm(state, id, "live") == 1)
			id++;
		if (id > PLAN_MAX_REALMS)
			return -E2BIG;
		map[i] = id++;
	}
	return 0;
}

static uint32_t mapped(const struct plan *p, const uint32_t *map, uint32_t realm)
{
	size_t i;

	for (i = 0; i < p->nrealms; i++)
		if (p->realms[i] == realm)
			return map[i];
	return 0;
}

/*
 * `sroscope policy VERB [NAME]` in a child process: the pinned link is
 * then the only reference, so unloading detaches at once.
 */
static int policy_cmd(const char *verb, const char *name)
{
	char *argv[] = { "sroscope", "policy", (char *)verb, (char *)name, NULL };
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		/* A second Ctrl-C must not stop the unload that puts things back. */
		signal(SIGINT, SIG_IGN);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	/* Not given up on a signal: the host is put back after it. */
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EINVAL;
}

/*
 * What a replay changes on the host and how it was before: the policy,
 * the pool, quarantine_tries, the fragmenter, the emulator's realms. It
 * is kept in STATE_FILE while the replay runs, under a lock that dies
 * with the process. SIGINT or SIGTERM puts the host back before exiting;
 * after a SIGKILL the next replay finds the file unlocked and not empty,
 * and puts the host back then.
 */
#define STATE_DIR	"/run/sroscope"
#define STATE_FILE	STATE_DIR "/replay.state"

struct host_state {
	int pid;
	long tries;			/* quarantine_tries before, -1: unknown */
	char pool_size[24];		/* the pool's size before, "": unknown */
	int pool_delegated;		/* its mode before, -1: unknown */
	char policy[32];		/* loaded by the run, "": none */
	bool fragmented;		/* the fragmenter ran */
	uint32_t realms[PLAN_MAX_REALMS];	/* emulator realms of the run */
	size_t nrealms;
};

static struct host_state host;
static int state_fd = -1;

static void state_write(void)
{
	char buf[1024];
	size_t i;
	int n;

	n = snprintf(buf, sizeof(buf),
		     "pid %d\nquarantine_tries %ld\npool_size %s\npool_delegated %d\n"
		     "policy %s\nfragmented %d\nrealms",
		     getpid(), host.tries, host.pool_size[0] ? host.pool_size : "-",
		     host.pool_delegated, host.policy[0] ? host.policy : "-",
		     host.fragmented);
	for (i = 0; i < host.nrealms; i++)
		n += snprintf(buf + n, sizeof(buf) - n, " %u", host.realms[i]);
	n += snprintf(buf + n, sizeof(buf) - n, "\n");
	if (ftruncate(state_fd, 0) || pwrite(state_fd, buf, n, 0) != n)
		fprintf(stderr, "sroscope replay: cannot keep its state in " STATE_FILE
			": %s (a SIGKILL would leave the host changed)\n", strerror(errno));
}

/* @buf, a state file, into @s; fields it lacks stay unknown. */
static void state_parse(char *buf, struct host_state *s)
{
	char *line, *save = NULL, *p, *end, word[32];
	unsigned long v;

	memset(s, 0, sizeof(*s));
	s->tries = -1;
	s->pool_delegated = -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "pid %d", &s->pid) == 1 ||
		    sscanf(line, "quarantine_tries %ld", &s->tries) == 1 ||
		    sscanf(line, "pool_delegated %d", &s->pool_delegated) == 1)
			continue;
		if (sscanf(line, "pool_size %23[0-9]", s->pool_size) == 1)
			continue;
		if (sscanf(line, "policy %31[a-z0-9_-]", word) == 1) {
			snprintf(s->policy, sizeof(s->policy), "%s", word);
			continue;
		}
		if (!strcmp(line, "fragmented 1"))
			s->fragmented = true;
		if (strncmp(line, "realms", 6))
			continue;
		for (p = line + 6; s->nrealms < PLAN_MAX_REALMS; p = end) {
			v = strtoul(p, &end, 10);
			if (end == p)
				break;
			if (v >= 1 && v <= PLAN_MAX_REALMS)
				s->realms[s->nrealms++] = v;
		}
	}
	if (!strcmp(s->policy, "-"))
		s->policy[0] = '\0';
}

/* Put back what @s says a replay changed; a summary into @said. */
static void host_restore(const struct host_state *s, char *said, size_t len)
{
	char name[32] = "", *state;
	struct kstats k;
	size_t i, n = 0;
	int destroyed = 0;

	said[0] = '\0';
	/* Faults armed for the run would fire in the destroys below. */
	emu("reset_faults");
	state = emu_state();
	for (i = 0; state && i < s->nrealms; i++) {
		if (emu_realm(state, s->realms[i], "live") != 1)
			continue;
		emu("realm_destroy %u", s->realms[i]);
		destroyed++;
	}
	if (destroyed)
		n += snprintf(said + n, len - n, "%d emulator realm%s destroyed, ",
			      destroyed, destroyed > 1 ? "s" : "");
	if (s->policy[0]) {
		if (kstats_read(SRO_STATS_PATH, &k))
			k.policy[0] = '\0';
		snprintf(name, sizeof(name), "%s", k.policy);
		if (!strcmp(name, s->policy)) {
			policy_cmd("unload", NULL);
			n += snprintf(said + n, len - n, "policy %s unloaded, ", s->policy);
		} else if (strcmp(name, "default")) {
			n += snprintf(said + n, len - n, "policy %s left loaded (not the replay's %s), ",
				      name, s->policy);
		}
	}
	if (s->tries >= 0 && read_number(QUARANTINE_TRIES) != s->tries) {
		char v[24];

		snprintf(v, sizeof(v), "%ld", s->tries);
		write_file(QUARANTINE_TRIES, v);
		n += snprintf(said + n, len - n, "quarantine_tries %ld, ", s->tries);
	}
	if (s->pool_size[0]) {
		write_file(SRO_DIR "/pool_size", "0");
		if (s->pool_delegated >= 0 &&
		    read_flag(SRO_DIR "/pool_delegated") != s->pool_delegated)
			write_file(SRO_DIR "/pool_delegated", s->pool_delegated ? "1" : "0");
		write_file(SRO_DIR "/pool_size", s->pool_size);
		n += snprintf(said + n, len - n, "pool %s bytes, ", s->pool_size);
	}
	if (s->fragmented) {
		emu("unfragment");
		n += snprintf(said + n, len - n, "the fragmenter's pages freed, ");
	}
	if (n >= 2 && n < len)
		said[n - 2] = '\0';
}

/*
 * Take STATE_FILE: refuse if another replay holds it, put back what a
 * killed one left, then note the host as it is. 0 or -1 (said why).
 */
static int state_open(void)
{
	struct host_state left;
	char buf[1024], said[512];
	ssize_t n;

	if ((mkdir("/run", 0755) && errno != EEXIST) ||
	    (mkdir(STATE_DIR, 0700) && errno != EEXIST) ||
	    (state_fd = open(STATE_FILE, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
			     0600)) < 0) {
		fprintf(stderr, "sroscope replay: " STATE_FILE ": %s\n", strerror(errno));
		return -1;
	}
	n = pread(state_fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	state_parse(buf, &left);
	if (flock(state_fd, LOCK_EX | LOCK_NB)) {
		fprintf(stderr, "sroscope replay: another replay is running (pid %d, "
			STATE_FILE "): one at a time\n", left.pid);
		close(state_fd);
		state_fd = -1;
		return -1;
	}
	/* Read again: the one that held the lock may have finished since. */
	n = pread(state_fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	if (n > 0) {
		state_parse(buf, &left);
		host_restore(&left, said, sizeof(said));
		fprintf(stderr, "sroscope replay: a replay (pid %d) was killed before it "
			"put the host back; done now: %s\n", left.pid,
			said[0] ? said : "nothing was left changed");
	}
	memset(&host, 0, sizeof(host));
	host.tries = read_number(QUARANTINE_TRIES);
	host.pool_delegated = read_flag(SRO_DIR "/pool_delegated");
	n = read_number(SRO_DIR "/pool_size");
	if (n >= 0)
		snprintf(host.pool_size, sizeof(host.pool_size), "%zd", n);
	state_write();
	return 0;
}

/* The host as it was: nothing left to put back. */
static void state_close(void)
{
	if (state_fd < 0)
		return;
	if (ftruncate(state_fd, 0))
		fprintf(stderr, "sroscope replay: " STATE_FILE ": %s\n", strerror(errno));
	close(state_fd);
	state_fd = -1;
}

/* After a run, or on its way out: the host as before the replay. */
static void run_restore(void)
{
	char said[512];

	host_restore(&host, said, sizeof(said));
	host.policy[0] = '\0';
	host.fragmented = false;
	host.nrealms = 0;
	state_write();
}

static int on_event(void *ctx, const struct sro_event *e)
{
	replay_account(ctx, e);
	return 0;
}

/* One policy's run; its results into @out. -EINTR: stopped by a signal. */
static int run_policy(const struct plan *p, const char *policy,
		      struct json_object *out)
{
	struct replay_stats st;
	uint32_t map[PLAN_MAX_REALMS];
	uint64_t before[PLAN_MAX_REALMS] = {};
	struct kstats k0, k1;
	/* Only the events the replay's accounting reads (replay.c). */
	struct tracer_opts tracer = TRACER_OPTS_DEFAULT;
	struct tracer *t;
	char cmd[128], pool[32];
	uint64_t orders[16];
	double t0, due, left;
	const char *state;
	size_t i;
	int err, n;

	replay_stats_init(&st);
	emu("reset_faults");
	emu("unfragment");
	snprintf(pool, sizeof(pool), "%llu", !strcmp(policy, "pool") ?
		 (unsigned long long)env.pool_bytes : 0ULL);
	if (write_file(SRO_DIR "/pool_size", "0")) {
		fprintf(stderr, "sroscope replay: cannot size the pool (no emulated RMM here?)\n");
		err = -EIO;
		goto out;
	}
	/*
	 * The pool's mode can change only while it is empty, and blocks an
	 * RMM kept for good keep their chunk: say so, and go on as it is.
	 */
	if (read_flag(SRO_DIR "/pool_delegated") != env.pool_delegated &&
	    write_file(SRO_DIR "/pool_delegated", env.pool_delegated ? "1" : "0"))
		fprintf(stderr, "sroscope replay: the pool still has blocks in use: "
			"its delegation mode stays as it is\n");
	if (write_file(SRO_DIR "/pool_size", pool)) {
		fprintf(stderr, "sroscope replay: cannot size the pool to %s bytes\n", pool);
		err = -EIO;
		goto out;
	}
	/* Noted before it is done: a SIGKILL may come in between. */
	snprintf(host.policy, sizeof(host.policy), "%s", policy);
	host.fragmented = env.fragment_mb;
	state_write();
	if (policy_cmd("load", policy)) {
		err = -EINVAL;
		goto out;
	}
	/* A policy loaded from a file goes by the name it gives itself. */
	if (!kstats_read(SRO_STATS_PATH, &k0))
		snprintf(host.policy, sizeof(host.policy), "%.*s",
			 (int)sizeof(host.policy) - 1, k0.policy);
	state_write();
	/*
	 * The trace shows refusals the RMM kept up until the kernel gave up:
	 * replayed as refusals given up at once, whatever the retries.
	 */
	if (host.tries > 0)
		write_file(QUARANTINE_TRIES, "0");
	if (env.fragment_mb && emu("fragment %llu", (unsigned long long)env.fragment_mb))
		fprintf(stderr, "sroscope replay: the fragmenter failed; fresh memory\n");
	err = map_realms(p, map);
	if (err) {
		fprintf(stderr, "sroscope replay: not enough free realm ids in the emulator\n");
		goto out;
	}
	memcpy(host.realms, map, p->nrealms * sizeof(*map));
	host.nrealms = p->nrealms;
	state_write();
	/* The emulator counts per realm id for good: the run is the change. */
	state = emu_state();
	for (i = 0; state && i < p->nrealms; i++)
		before[i] = emu_held(state, map[i]);
	if (!kstats_now(&k0)) {
		fprintf(stderr, "sroscope replay: cannot read " SRO_STATS_PATH "\n");
		err = -EIO;
		goto out;
	}
	tracer.emit_mask = REPLAY_EVENTS;
	t = tracer_start("replay", &tracer);
	if (!t) {
		err = -EIO;
		goto out;
	}
	t0 = now_ms();
	for (i = 0; i < p->nsteps && !exiting; i++) {
		const struct plan_step *s = &p->steps[i];
		uint32_t r = mapped(p, map, s->realm);

		if (env.speed > 0) {
			due = t0 + s->ts / 1e6 / env.speed;
			/* At most a second a sleep: a long wait stays a number. */
			while ((left = due - now_ms()) > 0 && !exiting)
				usleep(left < 999 ? (useconds_t)(left * 1000) + 1 : 999999);
			if (exiting)
				break;
		}
		if (s->leak)
			emu("leak %u %u", r, s->leak);
		if (s->refuse)
			emu("fault %s %u",
			    sro_fault_name(SRO_FAULT_UNDELEGATE), s->refuse);
		plan_command(s, r, cmd, sizeof(cmd));
		if (emu("%s", cmd))
			st.commands_failed++;
		tracer_poll(t, 0, on_event, &st);
		if (kstats_now(&k1))
			replay_sample(&st, now_ms() - t0, k1.held_bytes + k1.host_bytes,
				      k1.pool_free_bytes + k1.cached_bytes);
	}
	if (exiting) {
		tracer_stop(t);
		err = -EINTR;
		goto out;
	}
	/* Every event of the run, then the state it leaves. */
	tracer_poll(t, 100, on_event, &st);
	tracer_stop(t);
	st.duration_ms = now_ms() - t0;
	kstats_now(&k1);
	n = buddyinfo(orders, 16);
	state = emu_state();
	for (i = 0; state && i < p->nrealms; i++)
		st.emu_held_bytes += emu_held(state, map[i]) - before[i];
	replay_results(&st, out, &k0, &k1, orders, n);
	json_object_object_add(out, "pool_delegated",
			       json_object_new_boolean(read_flag(SRO_DIR "/pool_delegated") == 1));
out:
	/* Every realm of the run destroyed, the policy unloaded, the pool... */
	run_restore();
	replay_stats_free(&st);
	return err;
}

/* The plan as emulator commands, recorded realm ids, times in ms. */
static void print_plan(const struct plan *p)
{
	char cmd[128];
	size_t i;

	printf("# %zu steps, %zu realms, %llu requests of %llu bytes recorded\n",
	       p->nsteps, p->nrealms, (unsigned long long)p->requests,
	       (unsigned long long)p->requested_bytes);
	if (p->truncated[0])
		printf("# truncated: %s\n", p->truncated);
	for (i = 0; i < p->nsteps; i++) {
		const struct plan_step *s = &p->steps[i];

		if (s->leak)
			printf("%10.3f leak %u %u\n", s->ts / 1e6, s->realm, s->leak);
		if (s->refuse)
			printf("%10.3f fault %s %u\n", s->ts / 1e6,
			       sro_fault_name(SRO_FAULT_UNDELEGATE), s->refuse);
		plan_command(s, s->realm, cmd, sizeof(cmd));
		printf("%10.3f %s\n", s->ts / 1e6, cmd);
	}
}

int cmd_replay(int argc, char **argv)
{
	const struct argp_child children[] = {
		{ &verbose_argp }, { &help_argp }, {},
	};
	const struct argp argp = {
		.options = options, .parser = parse_opt, .doc = doc,
		.args_doc = "TRACE", .children = children,
	};
	struct json_object *top, *runs, *run;
	char *list, *name, *save = NULL;
	const char *err = NULL;
	struct outfile out;
	struct plan p;
	int ret = 0, e;

	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 2;
	if (plan_build(env.trace, &p, &err)) {
		fprintf(stderr, "sroscope replay: %s\n", err);
		return 1;
	}
	if (p.truncated[0])
		fprintf(stderr, "sroscope replay: %s: the recording was cut short "
			"(its recorder killed?): replaying the %llu events of its intact blocks\n",
			p.truncated, (unsigned long long)p.events);
	if (env.dry_run) {
		print_plan(&p);
		plan_free(&p);
		return 0;
	}
	if (access(EMU_DIR "/ctl", W_OK)) {
		fprintf(stderr, "sroscope replay: no emulated RMM here (" EMU_DIR
			"): replay runs in the test VM (make vm-run)\n");
		plan_free(&p);
		return 1;
	}
	/* Before minutes of replay: where the results go is fit for them. */
	e = outfile_open(&out, env.output);
	if (e) {
		fprintf(stderr, "sroscope replay: %s %s\n", env.output, outfile_strerror(e));
		plan_free(&p);
		return 1;
	}
	/* Ctrl-C or SIGTERM: the run stops at its next step, host put back. */
	handle_exit_signals();
	if (state_open()) {
		outfile_abort(&out);
		plan_free(&p);
		return 1;
	}
	top = replay_header(&p, env.trace, env.fragment_mb, env.pool_bytes,
			    env.speed);
	json_object_object_add(json_object_object_get(top, "condition"),
			       "pool_delegated", json_object_new_boolean(env.pool_delegated));
	runs = json_object_new_array();
	list = strdup(env.policies);
	for (name = strtok_r(list, ",", &save); name && !ret && !exiting;
	     name = strtok_r(NULL, ",", &save)) {
		fprintf(stderr, "sroscope replay: %s: %zu steps under %s...\n",
			env.trace, p.nsteps, name);
		run = json_object_new_object();
		json_object_object_add(run, "policy", json_object_new_string(name));
		if (run_policy(&p, name, run)) {
			json_object_put(run);
			ret = 1;
			break;
		}
		json_object_array_add(runs, run);
	}
	free(list);
	state_close();
	json_object_object_add(top, "runs", runs);
	if (exiting) {
		fprintf(stderr, "sroscope replay: interrupted: the host is as it was "
			"before the replay; no results written\n");
		ret = 1;
	}
	if (!ret) {
		fputs(json_object_to_json_string_ext(top, JSON_C_TO_STRING_PRETTY |
						     JSON_C_TO_STRING_NOSLASHESCAPE), out.f);
		fputc('\n', out.f);
		e = outfile_commit(&out);
		if (e) {
			fprintf(stderr, "sroscope replay: cannot write %s: %s\n",
				env.output, strerror(-e));
			ret = 1;
		}
	} else {
		outfile_abort(&out);
	}
	if (!ret)
		fprintf(stderr, "sroscope replay: results in %s (sroscope report %s)\n",
			env.output, env.output);
	json_object_put(top);
	plan_free(&p);
	return ret;
}
