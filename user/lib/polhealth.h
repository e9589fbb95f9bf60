/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The health of the policy in charge, from the kernel's own counters
 * (sro/stats, kstats.h): what changed over the last window, against the
 * limits of the supervisor's configuration (polconf.h). Nothing is
 * traced: the counters are read every interval and a window is the
 * difference between its newest and oldest sample. Pure:
 * tests/unit/test_polconf.c.
 */
#ifndef SROSCOPE_POLHEALTH_H
#define SROSCOPE_POLHEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "kstats.h"
#include "polconf.h"

/* The counters a policy is judged on, at one time. */
struct health_sample {
	uint64_t t_ns;
	uint64_t requests;	/* select() calls: decisions, all sources */
	uint64_t invalid;	/* verdicts the kernel replaced */
	uint64_t fallbacks;	/* blocks served after a first choice failed */
	uint64_t attempts;	/* allocations tried, all sources */
	uint64_t fails;		/* of which failed */
	uint64_t allocs;	/* of which served */
	uint64_t alloc_ns;	/* time of those served */
};

void health_sample_of(const struct kstats *k, uint64_t t_ns,
		      struct health_sample *s);

/* The last samples, up to a window's worth. */
struct health_window {
	struct health_sample s[POLCONF_MAX_SAMPLES + 1];
	unsigned int cap;	/* window / interval + 1 */
	unsigned int n, next;
};

void health_window_init(struct health_window *w, const struct polconf *c);
/* Forget the samples: a new policy is in charge. */
void health_window_reset(struct health_window *w);
void health_window_add(struct health_window *w, const struct health_sample *s);

struct health {
	struct health_sample d;		/* newest - oldest */
	uint64_t span_ns;
	bool full;			/* covers a whole window */
	double fallback_ratio;		/* of requests */
	double fail_ratio;		/* of attempts */
	uint64_t mean_latency_ns;	/* of the allocations served */
	bool bad;			/* a limit crossed */
	char why[128];			/* which, and by how much */
};

/*
 * Judge the window against @c: invalid verdicts always; the ratios and
 * the latency only with at least min_requests requests (a handful of
 * requests says nothing about a rate). Fewer than two samples: healthy.
 */
void health_judge(const struct health_window *w, const struct polconf *c,
		  struct health *h);

/* "12 requests, 12 invalid, 0 fallbacks (0.00), ..." for a log line. */
int health_format(char *buf, size_t len, const struct health *h);

#endif
