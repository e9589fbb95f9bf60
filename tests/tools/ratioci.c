// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ratioci: how many times one overhead is another, with a 95% interval,
 * for `make bench` in the VM.
 *
 *   ratioci BASE NUM:DEN... <ROWS
 *	ROWS: one line per round, numbers in columns (1 = the first), each
 *	round's modes measured in turns. The overhead of column C in a round
 *	is C - BASE of the same round. For each NUM:DEN print one line:
 *	"RATIO LO HI NUM_OVH DEN_OVH": the median overhead of NUM over the
 *	median overhead of DEN, the 2.5th and 97.5th percentiles of that
 *	ratio over 10,000 bootstrap resamples of the rounds (each round kept
 *	whole, so drift that hit all its modes cancels out), and the two
 *	medians. "inf" when DEN's median overhead is not above 0.
 *
 * A percentile bootstrap, because the rounds' noise under TCG is neither
 * normal nor the same from round to round; the seed is fixed, so the
 * same rows give the same interval.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROUNDS	1000
#define MAX_COLS	16
#define RESAMPLES	10000

static double rows[MAX_ROUNDS][MAX_COLS];
static int nrows;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* xorshift64: a fixed, portable sequence. */
static uint64_t rng = 88172645463325252ULL;

static int pick(int n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

/* Median overheads of @num and @den over the rounds in @idx. */
static double ratio(const int *idx, int base, int num, int den, double *ovh)
{
	static double a[MAX_ROUNDS], b[MAX_ROUNDS];
	int i;

	for (i = 0; i < nrows; i++) {
		a[i] = rows[idx[i]][num] - rows[idx[i]][base];
		b[i] = rows[idx[i]][den] - rows[idx[i]][base];
	}
	ovh[0] = median(a, nrows);
	ovh[1] = median(b, nrows);
	return ovh[1] > 0 ? ovh[0] / ovh[1] : INFINITY;
}

int main(int argc, char **argv)
{
	static double boot[RESAMPLES];
	static int idx[MAX_ROUNDS];
	char line[1024], *p, *end;
	int base, num, den, i, j, ncols = -1, n;
	double est, ovh[2], tmp[2];

	if (argc < 3 || sscanf(argv[1], "%d", &base) != 1 || base < 1) {
		fprintf(stderr, "usage: ratioci BASE NUM:DEN... <ROWS\n");
		return 2;
	}
	while (nrows < MAX_ROUNDS && fgets(line, sizeof(line), stdin)) {
		for (n = 0, p = line; n < MAX_COLS; n++, p = end) {
			rows[nrows][n] = strtod(p, &end);
			if (end == p)
				break;
		}
		if (!n)
			continue;
		if (ncols >= 0 && n != ncols) {
			fprintf(stderr, "ratioci: round %d has %d numbers, not %d\n",
				nrows + 1, n, ncols);
			return 1;
		}
		ncols = n;
		nrows++;
	}
	if (nrows < 2) {
		fprintf(stderr, "ratioci: %d rounds: at least 2 needed\n", nrows);
		return 1;
	}
	for (i = 2; i < argc; i++) {
		if (sscanf(argv[i], "%d:%d", &num, &den) != 2 || num < 1 || den < 1 ||
		    num > ncols || den > ncols || base > ncols) {
			fprintf(stderr, "ratioci: '%s': expected NUM:DEN, columns 1 to %d\n",
				argv[i], ncols);
			return 2;
		}
		for (j = 0; j < nrows; j++)
			idx[j] = j;
		est = ratio(idx, base - 1, num - 1, den - 1, ovh);
		for (n = 0; n < RESAMPLES; n++) {
			for (j = 0; j < nrows; j++)
				idx[j] = pick(nrows);
			boot[n] = ratio(idx, base - 1, num - 1, den - 1, tmp);
		}
		qsort(boot, RESAMPLES, sizeof(*boot), cmp_double);
		printf("%g %g %g %g %g\n", est, boot[RESAMPLES * 25 / 1000],
		       boot[RESAMPLES * 975 / 1000], ovh[0], ovh[1]);
	}
	return 0;
}
