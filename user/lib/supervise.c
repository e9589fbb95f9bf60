// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The policy supervisor (user/lib/supervise.h). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "common.h"
#include "polhealth.h"
#include "policy.h"
#include "supervise.h"

/* Syslog priorities, as sd-daemon(3) prefixes take them. */
#define P_ERR		3
#define P_WARNING	4
#define P_NOTICE	5
#define P_INFO		6

enum state {
	PREFERRED,	/* the preferred policy in charge, judged */
	SAFE,		/* the safe one, until retry_at */
	ASIDE,		/* someone else's: left alone */
};

struct sup {
	const char *who;
	const struct polconf *c;
	enum state st;
	__u32 mine;			/* map id put in charge; 0: none */
	char name[POLICY_NAME_LEN];	/* its name */
	uint64_t backoff_ns;		/* the next wait before a retry */
	uint64_t wait_ns;		/* the one being waited */
	uint64_t retry_at;
	struct health_window w;
};

static bool to_journal;

/* Whether stderr is the journal: $JOURNAL_STREAM names its device:inode. */
static bool stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return e && sscanf(e, "%llu:%llu", &dev, &ino) == 2 &&
	       !fstat(STDERR_FILENO, &st) && st.st_dev == dev &&
	       st.st_ino == ino;
}

static void say(const struct sup *s, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(const struct sup *s, int prio, const char *fmt, ...)
{
	va_list ap;

	if (to_journal)
		fprintf(stderr, "<%d>", prio);
	fprintf(stderr, "%s: ", s->who);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A message to the service manager (sd_notify(3)); nothing without one. */
static void notify(const char *fmt, ...)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *path = getenv("NOTIFY_SOCKET");
	char msg[256];
	size_t len;
	va_list ap;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@') ||
	    (len = strlen(path)) >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, len);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';	/* abstract */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa,
	       offsetof(struct sockaddr_un, sun_path) + len);
	close(fd);
}

static double sec(uint64_t ns)
{
	return ns / 1e9;
}

/* Whether the map @id is the prepared copy of the policy @arg. */
static bool is_policy(const struct sup *s, const char *arg, __u32 id)
{
	__u32 p;

	return id && !policy_prepared_id(s->who, arg, &p) && p == id;
}

/*
 * A new window, starting with the counters as they are now: right after a
 * swap, so that requests the new policy serves before the next interval
 * count against it, not as the window's base.
 */
static void new_window(struct sup *s)
{
	struct health_sample smp;
	struct kstats k;

	health_window_reset(&s->w);
	if (!kstats_read(SRO_STATS_PATH, &k)) {
		health_sample_of(&k, boottime_ns(), &smp);
		health_window_add(&s->w, &smp);
	}
}

/* Put @arg in charge and make it the one judged (or waited on). */
static int enter(struct sup *s, enum state st, const char *arg)
{
	struct policy_swapped sw;
	int err;

	err = policy_put(s->who, arg, &sw);
	if (err)
		return err;
	s->st = st;
	s->mine = sw.map_id;
	snprintf(s->name, sizeof(s->name), "%s", sw.name);
	new_window(s);
	notify("STATUS=%s %s in charge", st == PREFERRED ? "preferred" : "safe",
	       sw.name);
	return 0;
}

/* Take @id, the preferred policy found in charge, as the one judged. */
static void adopt(struct sup *s, __u32 id, const char *name)
{
	s->st = PREFERRED;
	s->mine = id;
	snprintf(s->name, sizeof(s->name), "%s", name);
	new_window(s);
	notify("STATUS=preferred %s in charge", name);
}

/* The backoff to wait now; the next one doubled, up to backoff_max. */
static uint64_t next_wait(struct sup *s)
{
	uint64_t wait = s->backoff_ns, max = s->c->backoff_max_ns;

	s->backoff_ns = wait < max / 2 ? wait * 2 : max;
	s->wait_ns = wait;
	return wait;
}

/* The safe policy in, the preferred retried after the backoff. */
static void back_off(struct sup *s, uint64_t now, const char *why)
{
	const struct polconf *c = s->c;
	uint64_t wait = next_wait(s);
	char bad[POLICY_NAME_LEN];

	snprintf(bad, sizeof(bad), "%s", s->name);
	/* From when the safe policy is in: loading it may take a while. */
	if (!enter(s, SAFE, c->safe)) {
		s->retry_at = boottime_ns() + wait;
		say(s, P_WARNING, "%s %s; swapped to %s; retrying %s in %.1f s",
		    bad, why, s->name, c->preferred, sec(wait));
		return;
	}
	s->retry_at = now + wait;
	/* No safe policy: the kernel's built-in default is one too. */
	if (s->mine && !policy_unload_if(s->who, s->mine, NULL)) {
		s->st = SAFE;
		s->mine = 0;
		snprintf(s->name, sizeof(s->name), "default");
		say(s, P_ERR, "%s %s; the safe policy %s could not be put in charge: unloaded, the built-in default is in charge; retrying %s in %.1f s",
		    bad, why, c->safe, c->preferred, sec(wait));
		return;
	}
	say(s, P_ERR, "%s %s; neither %s nor the built-in default could be put in charge: %s left; retrying in %.1f s",
	    bad, why, c->safe, bad, sec(wait));
	s->st = SAFE;
}

/* Judge the preferred policy on the window that ends now. */
static void judge(struct sup *s, uint64_t now)
{
	const struct polconf *c = s->c;
	char nums[256], why[sizeof(((struct health *)0)->why) + 300];
	struct health h;
	struct kstats k;
	struct health_sample smp;
	int err;

	err = kstats_read(SRO_STATS_PATH, &k);
	if (err) {
		say(s, P_ERR, "cannot read %s: %s; %s not judged", SRO_STATS_PATH,
		    errstr(err), s->name);
		return;
	}
	health_sample_of(&k, now, &smp);
	health_window_add(&s->w, &smp);
	if (s->st != PREFERRED)
		return;
	health_judge(&s->w, c, &h);
	health_format(nums, sizeof(nums), &h);
	if (h.bad) {
		snprintf(why, sizeof(why), "over its limits: %s (%s)", h.why, nums);
		back_off(s, now, why);
	} else if (h.full && h.d.requests >= c->min_requests &&
		   s->backoff_ns != c->backoff_initial_ns) {
		s->backoff_ns = c->backoff_initial_ns;
		say(s, P_NOTICE, "%s healthy for a window (%s): backoff back to %.1f s",
		    s->name, nums, sec(s->backoff_ns));
	}
}

/*
 * Someone else changed the policy in charge (a swap, a load, an unload):
 * @p, or nothing with @err. The preferred one back is adopted; anything
 * else is replaced (takeover) or left alone.
 */
static void changed(struct sup *s, int err, const struct policy_pinned *p)
{
	const struct polconf *c = s->c;
	const char *what = err ? "default" : p->name;
	const char *want = s->st == SAFE ? c->safe : c->preferred;

	if (!err && is_policy(s, c->preferred, p->map_id)) {
		adopt(s, p->map_id, p->name);
		say(s, P_NOTICE, "the preferred policy %s is back in charge (map id %u): judging it again",
		    p->name, p->map_id);
		return;
	}
	if (s->st == ASIDE)
		return;
	if (c->takeover) {
		say(s, P_WARNING, "%s was put in charge by someone else (map id %u, not %u); takeover = yes: putting %s back",
		    what, err ? 0 : p->map_id, s->mine, want);
		if (enter(s, s->st, want))
			say(s, P_ERR, "%s could not be put back; trying again in %.1f s",
			    want, sec(c->interval_ns));
		return;
	}
	say(s, P_WARNING, "%s was put in charge by someone else (map id %u, not %u); leaving it alone (takeover = no) until 'sroscope policy restore-default'",
	    what, err ? 0 : p->map_id, s->mine);
	s->st = ASIDE;
	notify("STATUS=%s put in charge by hand: left alone", what);
}

/* One interval: who is in charge, then the counters. */
static void tick(struct sup *s, uint64_t now)
{
	const struct polconf *c = s->c;
	struct policy_pinned p;
	int err;

	err = policy_pinned(s->who, &p);
	if ((err ? 0 : p.map_id) != s->mine || s->st == ASIDE)
		changed(s, err, &p);
	if (s->st == SAFE && now >= s->retry_at) {
		say(s, P_NOTICE, "retrying %s after %.1f s on %s", c->preferred,
		    sec(s->wait_ns), s->name);
		if (enter(s, PREFERRED, c->preferred)) {
			s->retry_at = now + next_wait(s);
			say(s, P_ERR, "%s could not be put in charge; %s stays; retrying in %.1f s",
			    c->preferred, s->name, sec(s->wait_ns));
		}
		return;
	}
	if (s->st != ASIDE)
		judge(s, now);
}

/* The policy in charge at start: ours if it is the preferred or safe one. */
static int start(struct sup *s, uint64_t now)
{
	const struct polconf *c = s->c;
	struct policy_pinned p;
	int err;

	err = policy_pinned(s->who, &p);
	if (!err && is_policy(s, c->preferred, p.map_id)) {
		adopt(s, p.map_id, p.name);
		say(s, P_INFO, "%s already in charge (map id %u): judging it",
		    p.name, p.map_id);
		return 0;
	}
	if (!err && is_policy(s, c->safe, p.map_id)) {
		s->st = SAFE;
		s->mine = p.map_id;
		snprintf(s->name, sizeof(s->name), "%s", p.name);
		s->wait_ns = s->backoff_ns;
		s->retry_at = now + s->backoff_ns;
		say(s, P_INFO, "the safe policy %s already in charge (map id %u): retrying %s in %.1f s",
		    p.name, p.map_id, c->preferred, sec(s->backoff_ns));
		return 0;
	}
	if (!err && !c->takeover) {
		s->st = ASIDE;
		say(s, P_WARNING, "%s is in charge, put there by someone else (map id %u); leaving it alone (takeover = no) until 'sroscope policy restore-default'",
		    p.name, p.map_id);
		return 0;
	}
	if (!enter(s, PREFERRED, c->preferred)) {
		say(s, P_INFO, "%s in charge (map id %u): judging it", s->name,
		    s->mine);
		return 0;
	}
	err = enter(s, SAFE, c->safe);
	if (err) {
		say(s, P_ERR, "neither %s nor %s could be put in charge", c->preferred,
		    c->safe);
		return err;
	}
	s->wait_ns = s->backoff_ns;
	s->retry_at = now + s->backoff_ns;
	say(s, P_WARNING, "%s could not be put in charge; %s is; retrying %s in %.1f s",
	    c->preferred, s->name, c->preferred, sec(s->backoff_ns));
	return 0;
}

/* Until the next interval, or a signal. */
static void sleep_until(uint64_t end)
{
	struct timespec ts;
	uint64_t now;

	while (!exiting && (now = boottime_ns()) < end) {
		ts.tv_sec = (end - now) / 1000000000ULL;
		ts.tv_nsec = (end - now) % 1000000000ULL;
		nanosleep(&ts, NULL);
	}
}

/* On the way out: unload what the supervisor put in charge, only that. */
static void stop(struct sup *s)
{
	struct policy_pinned was;
	int err;

	notify("STOPPING=1");
	if (s->st == ASIDE || !s->mine) {
		say(s, P_INFO, "stopping; the policy in charge was not put there by the supervisor: left as it is");
		return;
	}
	err = policy_unload_if(s->who, s->mine, &was);
	if (!err)
		say(s, P_INFO, "stopping; %s unloaded: the built-in default is in charge",
		    was.name);
	else if (err == -ESTALE || err == -ENOENT || err == -ENOLINK)
		say(s, P_INFO, "stopping; the policy in charge was not put there by the supervisor: left as it is");
}

int policy_supervise(const char *who, const struct polconf *c)
{
	struct sup *s;
	struct kstats k;
	uint64_t next;
	int err;

	to_journal = stderr_is_journal();
	err = kstats_read(SRO_STATS_PATH, &k);
	if (err) {
		fprintf(stderr, "%s: cannot read %s: %s: is this a kernel with the SRO series, and debugfs mounted?\n",
			who, SRO_STATS_PATH, errstr(err));
		return err;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->who = who;
	s->c = c;
	s->backoff_ns = c->backoff_initial_ns;
	health_window_init(&s->w, c);
	say(s, P_INFO, "preferred %s, safe %s, every %.1f s over %.1f s: invalid verdicts > %llu, with %llu requests or more fallback ratio > %.2f, fail ratio > %.2f, mean latency > %.1f us (0: none); backoff %.1f s to %.1f s; takeover = %s; %s",
	    c->preferred, c->safe, sec(c->interval_ns), sec(c->window_ns),
	    (unsigned long long)c->max_invalid,
	    (unsigned long long)c->min_requests, c->max_fallback_ratio,
	    c->max_fail_ratio, c->max_mean_latency_ns / 1e3,
	    sec(c->backoff_initial_ns), sec(c->backoff_max_ns),
	    c->takeover ? "yes" : "no", c->path[0] ? c->path : "defaults");
	err = start(s, boottime_ns());
	if (err)
		goto out;
	notify("READY=1");
	next = boottime_ns();
	while (!exiting) {
		next += c->interval_ns;
		sleep_until(next);
		if (exiting)
			break;
		tick(s, boottime_ns());
	}
	stop(s);
out:
	free(s);
	return err;
}
