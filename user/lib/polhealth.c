// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A policy's health from the kernel's counters (user/lib/polhealth.h). */
#include <stdio.h>
#include <string.h>

#include "polhealth.h"

void health_sample_of(const struct kstats *k, uint64_t t_ns,
		      struct health_sample *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	s->t_ns = t_ns;
	s->invalid = k->policy_invalid;
	s->fallbacks = k->policy_fallbacks;
	for (i = 0; i < SRO_SRC_NR; i++) {
		s->requests += k->policy_decisions[i];
		s->allocs += k->src_allocs[i];
		s->fails += k->src_fails[i];
		s->alloc_ns += k->src_alloc_ns[i];
	}
	s->attempts = s->allocs + s->fails;
}

void health_window_init(struct health_window *w, const struct polconf *c)
{
	w->cap = c->window_ns / c->interval_ns + 1;
	if (w->cap > POLCONF_MAX_SAMPLES + 1)
		w->cap = POLCONF_MAX_SAMPLES + 1;
	health_window_reset(w);
}

void health_window_reset(struct health_window *w)
{
	w->n = w->next = 0;
}

void health_window_add(struct health_window *w, const struct health_sample *s)
{
	w->s[w->next] = *s;
	w->next = (w->next + 1) % w->cap;
	if (w->n < w->cap)
		w->n++;
}

/* b - a, field by field; a counter that went back (a reset) counts 0. */
static uint64_t delta(uint64_t a, uint64_t b)
{
	return b > a ? b - a : 0;
}

/* Append to @h->why. */
static void why(struct health *h, const char *what, const char *got,
		const char *limit)
{
	size_t n = strlen(h->why);

	snprintf(h->why + n, sizeof(h->why) - n, "%s%s %s > %s",
		 n ? ", " : "", what, got, limit);
}

void health_judge(const struct health_window *w, const struct polconf *c,
		  struct health *h)
{
	const struct health_sample *old, *new;
	char got[32], lim[32];

	memset(h, 0, sizeof(*h));
	if (w->n < 2)
		return;
	new = &w->s[(w->next + w->cap - 1) % w->cap];
	old = &w->s[w->n < w->cap ? 0 : w->next];
	h->span_ns = delta(old->t_ns, new->t_ns);
	h->full = w->n == w->cap;
	h->d.requests = delta(old->requests, new->requests);
	h->d.invalid = delta(old->invalid, new->invalid);
	h->d.fallbacks = delta(old->fallbacks, new->fallbacks);
	h->d.attempts = delta(old->attempts, new->attempts);
	h->d.fails = delta(old->fails, new->fails);
	h->d.allocs = delta(old->allocs, new->allocs);
	h->d.alloc_ns = delta(old->alloc_ns, new->alloc_ns);
	if (h->d.requests)
		h->fallback_ratio = (double)h->d.fallbacks / h->d.requests;
	if (h->d.attempts)
		h->fail_ratio = (double)h->d.fails / h->d.attempts;
	if (h->d.allocs)
		h->mean_latency_ns = h->d.alloc_ns / h->d.allocs;

	if (h->d.invalid > c->max_invalid) {
		snprintf(got, sizeof(got), "%llu", (unsigned long long)h->d.invalid);
		snprintf(lim, sizeof(lim), "%llu", (unsigned long long)c->max_invalid);
		why(h, "invalid verdicts", got, lim);
	}
	if (h->d.requests >= c->min_requests) {
		if (c->max_fallback_ratio < 1 &&
		    h->fallback_ratio > c->max_fallback_ratio) {
			snprintf(got, sizeof(got), "%.2f", h->fallback_ratio);
			snprintf(lim, sizeof(lim), "%.2f", c->max_fallback_ratio);
			why(h, "fallback ratio", got, lim);
		}
		if (c->max_fail_ratio < 1 && h->fail_ratio > c->max_fail_ratio) {
			snprintf(got, sizeof(got), "%.2f", h->fail_ratio);
			snprintf(lim, sizeof(lim), "%.2f", c->max_fail_ratio);
			why(h, "fail ratio", got, lim);
		}
		if (c->max_mean_latency_ns && h->d.allocs &&
		    h->mean_latency_ns > c->max_mean_latency_ns) {
			snprintf(got, sizeof(got), "%.1fus", h->mean_latency_ns / 1e3);
			snprintf(lim, sizeof(lim), "%.1fus",
				 c->max_mean_latency_ns / 1e3);
			why(h, "mean latency", got, lim);
		}
	}
	h->bad = h->why[0];
}

int health_format(char *buf, size_t len, const struct health *h)
{
	return snprintf(buf, len,
			"%llu requests, %llu invalid, %llu fallbacks (%.2f), %llu of %llu allocations failed (%.2f), mean latency %.1f us, over %.1f s",
			(unsigned long long)h->d.requests,
			(unsigned long long)h->d.invalid,
			(unsigned long long)h->d.fallbacks, h->fallback_ratio,
			(unsigned long long)h->d.fails,
			(unsigned long long)h->d.attempts, h->fail_ratio,
			h->mean_latency_ns / 1e3, h->span_ns / 1e9);
}
