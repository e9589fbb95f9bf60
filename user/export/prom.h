/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A writer of the Prometheus text exposition format 0.0.4: a HELP and a
 * TYPE line once per metric family, samples with escaped label values,
 * and histograms as cumulative _bucket{le} series ending in +Inf, then
 * _sum and _count.
 */
#ifndef SROSCOPE_PROM_H
#define SROSCOPE_PROM_H

#include <stdint.h>
#include <linux/types.h>
#include <stdio.h>

#include "sroscope.h"

#define PROM_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* Labels of a sample: up to PROM_MAX_LABELS name/value pairs. */
#define PROM_MAX_LABELS		5

struct prom_label {
	const char *name;
	const char *value;
};

/* Start a family: "# HELP name help" and "# TYPE name type". */
void prom_family(FILE *f, const char *name, const char *type, const char *help);

/* One sample of @name (a family, or its _sum/_count/_bucket series). */
void prom_u64(FILE *f, const char *name, const struct prom_label *labels,
	      int nlabels, uint64_t value);
void prom_double(FILE *f, const char *name, const struct prom_label *labels,
		 int nlabels, double value);

/* A family of one unlabelled sample. */
void prom_scalar(FILE *f, const char *name, const char *type,
		 const char *help, uint64_t value);

/* Write @s as a label value: backslash, double quote and newline escaped. */
void prom_escape_label(FILE *f, const char *s);

/*
 * How the slots of a struct sro_hist map to buckets: slots @first..@last
 * become buckets, each with le = the slot's upper bound (2^slot, or the
 * slot itself when @linear) divided by @scale; the slots below @first fall
 * into the first bucket, those above @last only into +Inf.
 */
struct prom_buckets {
	unsigned int first;
	unsigned int last;
	double scale;		/* 1e9: ns values as seconds */
	int linear;
};

/* The samples of one histogram of family @name (prom_family() first). */
void prom_hist(FILE *f, const char *name, const struct prom_label *labels,
	       int nlabels, const struct sro_hist *h,
	       const struct prom_buckets *b);

#endif
