// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <math.h>
#include <string.h>

#include "prom.h"

/* HELP text escapes backslash and newline only. */
static void escape_help(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

void prom_escape_label(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '"')
			fputs("\\\"", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

void prom_family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s ", name);
	escape_help(f, help);
	fprintf(f, "\n# TYPE %s %s\n", name, type);
}

static void labels_out(FILE *f, const struct prom_label *l, int n,
		       const char *le)
{
	int i;

	if (!n && !le)
		return;
	fputc('{', f);
	for (i = 0; i < n; i++) {
		fprintf(f, "%s%s=\"", i ? "," : "", l[i].name);
		prom_escape_label(f, l[i].value);
		fputc('"', f);
	}
	if (le)
		fprintf(f, "%sle=\"%s\"", n ? "," : "", le);
	fputc('}', f);
}

void prom_u64(FILE *f, const char *name, const struct prom_label *labels,
	      int nlabels, uint64_t value)
{
	fputs(name, f);
	labels_out(f, labels, nlabels, NULL);
	fprintf(f, " %llu\n", (unsigned long long)value);
}

void prom_scalar(FILE *f, const char *name, const char *type,
		 const char *help, uint64_t value)
{
	prom_family(f, name, type, help);
	prom_u64(f, name, NULL, 0, value);
}

/* A float as Prometheus reads it: shortest exact-enough form. */
static void double_out(FILE *f, double v)
{
	if (isinf(v))
		fputs(v > 0 ? "+Inf" : "-Inf", f);
	else if (isnan(v))
		fputs("NaN", f);
	else
		fprintf(f, "%.15g", v);
}

void prom_double(FILE *f, const char *name, const struct prom_label *labels,
		 int nlabels, double value)
{
	fputs(name, f);
	labels_out(f, labels, nlabels, NULL);
	fputc(' ', f);
	double_out(f, value);
	fputc('\n', f);
}

static void series(char *buf, size_t len, const char *name, const char *suffix)
{
	snprintf(buf, len, "%s%s", name, suffix);
}

void prom_hist(FILE *f, const char *name, const struct prom_label *labels,
	       int nlabels, const struct sro_hist *h,
	       const struct prom_buckets *b)
{
	char bucket[128], le[32];
	uint64_t cum = 0, total = 0;
	unsigned int i;
	double upper;

	/*
	 * +Inf and _count are the sum of the slots, not h->count: a per-CPU
	 * copy read mid-update must not make a bucket exceed +Inf.
	 */
	for (i = 0; i < SRO_HIST_SLOTS; i++)
		total += h->slots[i];
	series(bucket, sizeof(bucket), name, "_bucket");
	for (i = 0; i < b->first && i < SRO_HIST_SLOTS; i++)
		cum += h->slots[i];
	for (i = b->first; i <= b->last && i < SRO_HIST_SLOTS; i++) {
		cum += h->slots[i];
		upper = b->linear ? (double)i : ldexp(1.0, (int)i);
		snprintf(le, sizeof(le), "%.12g", upper / b->scale);
		fputs(bucket, f);
		labels_out(f, labels, nlabels, le);
		fprintf(f, " %llu\n", (unsigned long long)cum);
	}
	fputs(bucket, f);
	labels_out(f, labels, nlabels, "+Inf");
	fprintf(f, " %llu\n", (unsigned long long)total);
	series(bucket, sizeof(bucket), name, "_sum");
	prom_double(f, bucket, labels, nlabels, (double)h->sum / b->scale);
	series(bucket, sizeof(bucket), name, "_count");
	prom_u64(f, bucket, labels, nlabels, total);
}
