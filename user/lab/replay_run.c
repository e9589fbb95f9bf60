// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A replay run on the emulated RMM (user/lab/replay_run.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "common.h"
#include "kstats.h"
#include "policy.h"
#include "replay.h"
#include "replay_run.h"
#include "tracer.h"

#define WHO		"sroscope replay"
#define SRO_DIR		"/sys/kernel/debug/sro"
/* Retries of a refused undelegation before the kernel gives it up. */
#define QUARANTINE_TRIES "/sys/module/arm_rmm_sro/parameters/quarantine_tries"

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

/* A 0/1 knob; -1 if it cannot be read. */
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
	return write_file(REPLAY_EMU_DIR "/ctl", cmd);
}

static int emu_cmd(void *ctx, const char *cmd)
{
	return emu("%s", cmd);
}

bool replay_emulator_here(void)
{
	return !access(REPLAY_EMU_DIR "/ctl", W_OK);
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
	int fd = open(REPLAY_EMU_DIR "/state", O_RDONLY | O_CLOEXEC);

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
 * SIGINT and SIGTERM held back until signals_release(): what loads the
 * policy or puts the host back is not cut short by a second Ctrl-C (no
 * SA_RESTART: a lock's wait would fail). They are handled after, which
 * sets exiting.
 */
static void signals_hold(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void signals_release(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
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

struct replay_host {
	int fd;				/* STATE_FILE, locked */
	struct host_state s;
};

static void state_write(struct replay_host *h)
{
	const struct host_state *s = &h->s;
	char buf[1024];
	size_t i;
	int n;

	n = snprintf(buf, sizeof(buf),
		     "pid %d\nquarantine_tries %ld\npool_size %s\npool_delegated %d\n"
		     "policy %s\nfragmented %d\nrealms",
		     getpid(), s->tries, s->pool_size[0] ? s->pool_size : "-",
		     s->pool_delegated, s->policy[0] ? s->policy : "-",
		     s->fragmented);
	for (i = 0; i < s->nrealms; i++)
		n += snprintf(buf + n, sizeof(buf) - n, " %u", s->realms[i]);
	n += snprintf(buf + n, sizeof(buf) - n, "\n");
	if (ftruncate(h->fd, 0) || pwrite(h->fd, buf, n, 0) != n)
		fprintf(stderr, WHO ": cannot keep its state in " STATE_FILE
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

/*
 * Unload the policy a run loaded, if it is still the one in charge (the
 * name the kernel gives it); a summary into @said at @n.
 */
static size_t policy_restore(const char *policy, char *said, size_t len,
			     size_t n)
{
	struct kstats k;

	if (kstats_read(SRO_STATS_PATH, &k))
		k.policy[0] = '\0';
	if (!strcmp(k.policy, policy)) {
		if (policy_unload(WHO, NULL))
			return n + snprintf(said + n, len - n,
					    "policy %s NOT unloaded, ", policy);
		return n + snprintf(said + n, len - n, "policy %s unloaded, ", policy);
	}
	if (strcmp(k.policy, "default"))
		return n + snprintf(said + n, len - n,
				    "policy %s left loaded (not the replay's %s), ",
				    k.policy, policy);
	return n;
}

/* Put back what @s says a replay changed; a summary into @said. */
static void host_restore(const struct host_state *s, char *said, size_t len)
{
	sigset_t old;
	char *state;
	size_t i, n = 0;
	int destroyed = 0;

	signals_hold(&old);
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
	if (s->policy[0])
		n = policy_restore(s->policy, said, len, n);
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
	signals_release(&old);
}

struct replay_host *replay_host_take(void)
{
	struct replay_host *h;
	struct host_state left;
	char buf[1024], said[512];
	ssize_t n;

	h = calloc(1, sizeof(*h));
	if (!h) {
		fprintf(stderr, WHO ": %s\n", strerror(ENOMEM));
		return NULL;
	}
	if ((mkdir("/run", 0755) && errno != EEXIST) ||
	    (mkdir(STATE_DIR, 0700) && errno != EEXIST) ||
	    (h->fd = open(STATE_FILE, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
			  0600)) < 0) {
		fprintf(stderr, WHO ": " STATE_FILE ": %s\n", strerror(errno));
		free(h);
		return NULL;
	}
	n = pread(h->fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	state_parse(buf, &left);
	if (flock(h->fd, LOCK_EX | LOCK_NB)) {
		fprintf(stderr, WHO ": another replay is running (pid %d, "
			STATE_FILE "): one at a time\n", left.pid);
		close(h->fd);
		free(h);
		return NULL;
	}
	/* Read again: the one that held the lock may have finished since. */
	n = pread(h->fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	if (n > 0) {
		state_parse(buf, &left);
		host_restore(&left, said, sizeof(said));
		fprintf(stderr, WHO ": a replay (pid %d) was killed before it "
			"put the host back; done now: %s\n", left.pid,
			said[0] ? said : "nothing was left changed");
	}
	h->s.tries = read_number(QUARANTINE_TRIES);
	h->s.pool_delegated = read_flag(SRO_DIR "/pool_delegated");
	n = read_number(SRO_DIR "/pool_size");
	if (n >= 0)
		snprintf(h->s.pool_size, sizeof(h->s.pool_size), "%zd", n);
	state_write(h);
	return h;
}

void replay_host_release(struct replay_host *h)
{
	if (!h)
		return;
	if (ftruncate(h->fd, 0))
		fprintf(stderr, WHO ": " STATE_FILE ": %s\n", strerror(errno));
	close(h->fd);
	free(h);
}

/* After a run, or on its way out: the host as before the replay. */
static void run_restore(struct replay_host *h)
{
	char said[512];

	host_restore(&h->s, said, sizeof(said));
	h->s.policy[0] = '\0';
	h->s.fragmented = false;
	h->s.nrealms = 0;
	state_write(h);
}

/*
 * The pool as @c says, empty first so that every run starts from the
 * same pool, whatever the last one grew or used.
 */
static int pool_set(const struct replay_cond *c)
{
	struct kstats k;
	char pool[32];

	if (write_file(SRO_DIR "/pool_size", "0")) {
		fprintf(stderr, WHO ": cannot size the pool (no emulated RMM here?)\n");
		return -EIO;
	}
	/*
	 * The pool's mode can change only while it is empty, and blocks an
	 * RMM kept for good keep their chunk: say so, and go on as it is.
	 */
	if (read_flag(SRO_DIR "/pool_delegated") != c->pool_delegated &&
	    write_file(SRO_DIR "/pool_delegated", c->pool_delegated ? "1" : "0"))
		fprintf(stderr, WHO ": the pool still has blocks in use: "
			"its delegation mode stays as it is\n");
	if (kstats_now(&k) && k.pool_bytes > k.pool_free_bytes)
		fprintf(stderr, WHO ": %llu bytes of the emptied pool are still "
			"in use (blocks an RMM kept for good, or realms of no "
			"replay): this run starts with that much less of it free\n",
			(unsigned long long)(k.pool_bytes - k.pool_free_bytes));
	snprintf(pool, sizeof(pool), "%llu", (unsigned long long)c->pool_bytes);
	if (write_file(SRO_DIR "/pool_size", pool)) {
		fprintf(stderr, WHO ": cannot size the pool to %s bytes\n", pool);
		return -EIO;
	}
	return 0;
}

/* Load @policy, noted in the state file before and after. */
static int run_load(struct replay_host *h, const char *policy)
{
	struct policy_loaded l;
	struct kstats k;
	sigset_t old;
	int err;

	/* Noted before it is done: a SIGKILL may come in between. */
	snprintf(h->s.policy, sizeof(h->s.policy), "%s", policy);
	state_write(h);
	signals_hold(&old);
	err = policy_load(WHO, policy, &l);
	signals_release(&old);
	if (err)
		return err;
	/*
	 * A policy goes by the name it gives itself (a file's, too): the
	 * one the kernel shows, which host_restore() compares.
	 */
	if (kstats_now(&k))
		snprintf(h->s.policy, sizeof(h->s.policy), "%.*s",
			 (int)sizeof(h->s.policy) - 1, k.policy);
	state_write(h);
	return 0;
}

/* From fresh to the run's condition, the policy in charge. */
static int run_setup(struct replay_host *h, const struct plan *p,
		     const char *policy, const struct replay_cond *c,
		     uint32_t *map)
{
	int err;

	emu("reset_faults");
	emu("unfragment");
	err = pool_set(c);
	if (err)
		return err;
	h->s.fragmented = c->fragment_mb;
	err = run_load(h, policy);
	if (err)
		return err;
	/*
	 * The trace shows refusals the RMM kept up until the kernel gave up:
	 * replayed as refusals given up at once, whatever the retries.
	 */
	if (h->s.tries > 0)
		write_file(QUARANTINE_TRIES, "0");
	if (c->fragment_mb && emu("fragment %llu %u", (unsigned long long)c->fragment_mb,
				  c->fragment_order))
		fprintf(stderr, WHO ": the fragmenter failed; fresh memory\n");
	err = map_realms(p, map);
	if (err) {
		fprintf(stderr, WHO ": not enough free realm ids in the emulator\n");
		return err;
	}
	memcpy(h->s.realms, map, p->nrealms * sizeof(*map));
	h->s.nrealms = p->nrealms;
	state_write(h);
	return 0;
}

static int on_event(void *ctx, const struct sro_event *e)
{
	replay_account(ctx, e);
	return 0;
}

/* Sleep until @due (ms), a second at most at a time; false on a signal. */
static bool wait_until(double due)
{
	double left;

	while ((left = due - now_ms()) > 0 && !exiting)
		usleep(left < 999 ? (useconds_t)(left * 1000) + 1 : 999999);
	return !exiting;
}

/* The plan's steps, paced as @c says, watched by @t. -EINTR on a signal. */
static int run_steps(const struct plan *p, const uint32_t *map,
		     const struct replay_cond *c, const struct kstats *k0,
		     struct tracer *t, struct replay_stats *st)
{
	double t0 = now_ms(), said = t0;
	struct kstats k;
	char cmd[128];
	size_t i;

	for (i = 0; i < p->nsteps && !exiting; i++) {
		/* A long replay says how far it is, every 30 s. */
		if (now_ms() - said >= 30000) {
			said = now_ms();
			fprintf(stderr, WHO ": step %zu of %zu, %.0f s\n", i,
				p->nsteps, (said - t0) / 1000);
		}
		const struct plan_step *s = &p->steps[i];
		uint32_t r = mapped(p, map, s->realm);

		if (c->speed > 0 && !wait_until(t0 + s->ts / 1e6 / c->speed))
			break;
		if (plan_arm(s, r, emu_cmd, NULL))
			st->commands_failed++;
		plan_command(s, r, cmd, sizeof(cmd));
		/* A create the recorded RMM failed must fail again. */
		if (!emu("%s", cmd) == plan_step_fails(s))
			st->commands_failed++;
		/* What did not fire must not fire in a later step. */
		if (plan_step_armed(s))
			emu("reset_faults");
		tracer_poll(t, 0, on_event, st);
		if ((replay_sample_due(st) || i + 1 == p->nsteps) && kstats_now(&k))
			replay_sample(st, now_ms() - t0, k.held_bytes + k.host_bytes,
				      replay_idle_bytes(k0, &k));
	}
	if (exiting)
		return -EINTR;
	/* Every event of the run. */
	tracer_poll_last(t, on_event, st);
	st->duration_ms = now_ms() - t0;
	return 0;
}

int replay_run(struct replay_host *h, const struct plan *p, const char *policy,
	       const struct replay_cond *c, struct json_object *out)
{
	/* Only the events the replay's accounting reads (replay.c). */
	struct tracer_opts topts = TRACER_OPTS_DEFAULT;
	uint64_t before[PLAN_MAX_REALMS] = {}, orders[16];
	uint32_t map[PLAN_MAX_REALMS];
	struct replay_stats st;
	struct kstats k0, k1;
	struct tracer *t;
	const char *state;
	size_t i;
	int err, n;

	replay_stats_init(&st);
	err = run_setup(h, p, policy, c, map);
	if (err)
		goto out;
	/* The emulator counts per realm id for good: the run is the change. */
	state = emu_state();
	for (i = 0; state && i < p->nrealms; i++)
		before[i] = emu_held(state, map[i]);
	/* The run starts here: what it measures is counted from now. */
	if (!kstats_now(&k0)) {
		fprintf(stderr, WHO ": cannot read " SRO_STATS_PATH "\n");
		err = -EIO;
		goto out;
	}
	topts.emit_mask = REPLAY_EVENTS;
	t = tracer_start("replay", &topts);
	if (!t) {
		err = -EIO;
		goto out;
	}
	err = run_steps(p, map, c, &k0, t, &st);
	tracer_stop(t);
	if (err)
		goto out;
	/* The state the run leaves. */
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
	run_restore(h);
	replay_stats_free(&st);
	return err;
}
