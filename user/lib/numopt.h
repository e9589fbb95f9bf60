/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The numbers the commands take on their command line (intervals, counts,
 * durations, sizes), each with the range it is accepted in, and the one
 * parser that checks them. Pure functions: tests/unit/test_numopt.c checks
 * every option's limits on the host.
 */
#ifndef SROSCOPE_NUMOPT_H
#define SROSCOPE_NUMOPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum numopt_kind {
	NUMOPT_NUMBER,		/* a whole number */
	NUMOPT_DURATION,	/* parse_duration(): ns, a bare number is seconds */
	NUMOPT_SIZE,		/* parse_size(): bytes, K, M, G */
};

struct numopt {
	const char *what;	/* for the message: "invalid WHAT '...'" */
	enum numopt_kind kind;
	uint64_t min, max;	/* inclusive, in ns for a duration */
	bool pow2;		/* a power of two */
};

/* [interval] [count] of top, hist and leaks. */
extern const struct numopt numopt_interval, numopt_count;
extern const struct numopt numopt_rows;		/* top -r */
extern const struct numopt numopt_age;		/* leaks -a */
extern const struct numopt numopt_duration;	/* -d */
extern const struct numopt numopt_realm;	/* -R */
extern const struct numopt numopt_min_size;	/* -m */
extern const struct numopt numopt_max_donations;	/* --max-donations */
extern const struct numopt numopt_ringbuf_size;	/* --ringbuf-size */
extern const struct numopt numopt_swaps;	/* policy cycle --count */

/* A decimal u64, nothing else; 0 or -EINVAL (and *@v untouched). */
int parse_u64(const char *s, uint64_t *v);

/* Longest message numopt_parse() writes. */
#define NUMOPT_MSG_LEN	256

/*
 * Parse @s as @o and check its range. 0 and *@v, or -EINVAL (malformed)
 * or -ERANGE (out of range) with a message in @msg that says what is
 * accepted, e.g. "invalid interval '1.5': a whole number of seconds, or
 * one with a unit (ns, us, ms, s, m, h), from 1ms to 24h, is expected".
 */
int numopt_parse(const struct numopt *o, const char *s, uint64_t *v,
		 char *msg, size_t len);

#endif
