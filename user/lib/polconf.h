/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The configuration of the policy supervisor (`sroscope policy
 * supervise`, `restore-default`): /etc/sroscope/policy.conf, plain
 * "key = value" lines, '#' comments. Which policy to keep in charge, which
 * one to fall back to, the limits a policy is judged against and the
 * backoff before it is tried again. Pure: tests/unit/test_polconf.c.
 * The keys, their defaults and ranges: sroscope-policy(1), CONFIGURATION.
 */
#ifndef SROSCOPE_POLCONF_H
#define SROSCOPE_POLCONF_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POLCONF_PATH		"/etc/sroscope/policy.conf"
/* Samples of the counters one window holds at most: window / interval. */
#define POLCONF_MAX_SAMPLES	3600
/* Longest message polconf_parse() and polconf_read() write. */
#define POLCONF_MSG_LEN		512

enum polconf_key {
	PC_PREFERRED, PC_SAFE, PC_INTERVAL, PC_WINDOW, PC_MIN_REQUESTS,
	PC_MAX_INVALID, PC_MAX_FALLBACK_RATIO, PC_MAX_FAIL_RATIO,
	PC_MAX_MEAN_LATENCY, PC_BACKOFF_INITIAL, PC_BACKOFF_MAX, PC_TAKEOVER,
	PC_NR
};

struct polconf {
	char path[PATH_MAX];		/* the file read; "" for defaults */
	int line[PC_NR];		/* where each key was set; 0: default */
	char preferred[PATH_MAX];	/* a policy NAME or FILE.bpf.o */
	char safe[PATH_MAX];
	uint64_t interval_ns;		/* counters read this often */
	uint64_t window_ns;		/* judged over the last window */
	uint64_t min_requests;		/* fewer: ratios and latency not judged */
	uint64_t max_invalid;		/* invalid verdicts per window */
	double max_fallback_ratio;	/* fallbacks / requests; 1: no limit */
	double max_fail_ratio;		/* failed / attempted allocations */
	uint64_t max_mean_latency_ns;	/* of an allocation; 0: no limit */
	uint64_t backoff_initial_ns;	/* before the preferred is retried */
	uint64_t backoff_max_ns;	/* doubling up to this */
	bool takeover;			/* replace a policy put in by hand */
};

/* The name of @key as the file spells it. */
const char *polconf_key_name(enum polconf_key key);

/* The defaults, as a file with no line but comments gives them. */
void polconf_defaults(struct polconf *c);

/*
 * Parse @len bytes of @text as the file @path over the defaults. 0, or
 * -EINVAL with a message in @msg that names the file, the line, the key
 * and what is accepted ("policy.conf:7: invalid window '0': ...").
 */
int polconf_parse(const char *path, const char *text, size_t len,
		  struct polconf *c, char *msg, size_t msglen);

/* polconf_parse() of the file @path; -errno when it cannot be read (said). */
int polconf_read(const char *path, struct polconf *c, char *msg,
		 size_t msglen);

#endif
