// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Log2 and linear histograms of struct sro_hist, printed as bcc does. */
#include <stdbool.h>
#include <string.h>

#include "format.h"
#include "hist.h"

#define BAR_WIDTH	40
#define LABEL_LEN	80

typedef char *(*format_fn)(char *buf, size_t len, uint64_t v);

unsigned int hist_slot(uint64_t v)
{
	unsigned int slot;

	if (v <= 1)
		return 0;
	slot = 64 - __builtin_clzll(v - 1);
	return slot < SRO_HIST_SLOTS ? slot : SRO_HIST_SLOTS - 1;
}

void hist_add(struct sro_hist *h, uint64_t v)
{
	h->slots[hist_slot(v)]++;
	h->count++;
	h->sum += v;
}

void hist_sum(struct sro_hist *dst, const struct sro_hist *src)
{
	int i;

	for (i = 0; i < SRO_HIST_SLOTS; i++)
		dst->slots[i] += src->slots[i];
	dst->count += src->count;
	dst->sum += src->sum;
}

uint64_t hist_slot_upper(unsigned int slot)
{
	/* The BPF side puts everything above 2^62 in the last slot. */
	if (slot >= SRO_HIST_SLOTS - 1)
		return UINT64_MAX;
	return 1ULL << slot;
}

/* The values of slot @slot are above this (slot 0: from 0 on). */
static uint64_t hist_slot_lower(unsigned int slot)
{
	return slot ? 1ULL << (slot - 1) : 0;
}

/* The slot holding quantile @q, or -1 if @h is empty. */
static int quantile_slot(const struct sro_hist *h, double q)
{
	uint64_t total = 0, seen = 0, rank;
	int i;

	for (i = 0; i < SRO_HIST_SLOTS; i++)
		total += h->slots[i];
	if (!total)
		return -1;
	/* rank = ceil(q * total), within 1..total */
	if (q <= 0)
		q = 0;
	rank = q >= 1 ? total : (uint64_t)(q * total);
	if (rank < total && (double)rank < q * total)
		rank++;
	if (!rank)
		rank = 1;
	for (i = 0; i < SRO_HIST_SLOTS; i++) {
		seen += h->slots[i];
		if (seen >= rank)
			break;
	}
	return i;
}

uint64_t hist_quantile(const struct sro_hist *h, double q)
{
	int slot = quantile_slot(h, q);

	return slot < 0 ? 0 : hist_slot_upper(slot);
}

/* First and last non-empty slots; false when there is none. */
static bool hist_span(const struct sro_hist *h, int *first, int *last)
{
	int i;

	*first = -1;
	for (i = 0; i < SRO_HIST_SLOTS; i++) {
		if (!h->slots[i])
			continue;
		if (*first < 0)
			*first = i;
		*last = i;
	}
	return *first >= 0;
}

static char *format_plain(char *buf, size_t len, uint64_t v)
{
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

static format_fn unit_format(int unit)
{
	switch (unit) {
	case HIST_UNIT_BYTES:
		return format_bytes;
	case HIST_UNIT_NS:
		return format_ns;
	}
	return format_plain;
}

/*
 * A slot bound: compact for bytes, where bounds are powers of two and so
 * exact ("4K", "2M"); "inf" for the last slot's.
 */
static char *slot_label(char *buf, size_t len, uint64_t v, int unit)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	if (v == UINT64_MAX) {
		snprintf(buf, len, "inf");
		return buf;
	}
	if (unit != HIST_UNIT_BYTES)
		return unit_format(unit)(buf, len, v);
	while (v >= 1024 && !(v % 1024)) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		return format_plain(buf, len, v);
	snprintf(buf, len, "%llu%c", (unsigned long long)v, units[u]);
	return buf;
}

static const char *unit_name(int unit)
{
	switch (unit) {
	case HIST_UNIT_BYTES:
		return "bytes";
	case HIST_UNIT_NS:
		return "ns";
	}
	return "value";
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

static void print_row(FILE *f, const char *label, int lw, uint64_t v,
		      uint64_t max, int cw)
{
	char bar[BAR_WIDTH + 1];
	int n = v * (double)BAR_WIDTH / max;

	/* One star at least: a rare value must not look absent. */
	if (v && !n)
		n = 1;
	memset(bar, '*', n);
	memset(bar + n, ' ', BAR_WIDTH - n);
	bar[BAR_WIDTH] = 0;
	fprintf(f, "%*s : %-*llu |%s|\n", lw, label, cw, (unsigned long long)v,
		bar);
}

/* The column header and the rows of slots @first..@last. */
static void print_rows(FILE *f, const struct sro_hist *h, const char *head,
		       char labels[][LABEL_LEN], int first, int last)
{
	uint64_t max = 0;
	int i, lw, cw;
	char num[24];

	lw = strlen(head);
	for (i = first; i <= last; i++) {
		lw = max_int(lw, strlen(labels[i]));
		if (h->slots[i] > max)
			max = h->slots[i];
	}
	cw = max_int(strlen("count"), strlen(format_plain(num, sizeof(num), max)));
	fprintf(f, "%*s : %-*s distribution\n", lw, head, cw, "count");
	for (i = first; i <= last; i++)
		print_row(f, labels[i], lw, h->slots[i], max, cw);
}

static bool print_empty(FILE *f, const struct sro_hist *h, const char *title,
			int *first, int *last)
{
	fprintf(f, "%s\n", title);
	if (hist_span(h, first, last))
		return false;
	fprintf(f, "(no events)\n\n");
	return true;
}

void hist_print_log2(FILE *f, const struct sro_hist *h, const char *title,
		     int unit)
{
	char lo[SRO_HIST_SLOTS][32], hi[SRO_HIST_SLOTS][32];
	char labels[SRO_HIST_SLOTS][LABEL_LEN];
	char sum[32], p50[32], p99[32];
	int first, last, i, wl = 0, wh = 0;

	if (print_empty(f, h, title, &first, &last))
		return;
	for (i = first; i <= last; i++) {
		slot_label(lo[i], sizeof(lo[i]), hist_slot_lower(i), unit);
		slot_label(hi[i], sizeof(hi[i]), hist_slot_upper(i), unit);
		wl = max_int(wl, strlen(lo[i]));
		wh = max_int(wh, strlen(hi[i]));
	}
	for (i = first; i <= last; i++)
		snprintf(labels[i], LABEL_LEN, "%*s -> %-*s", wl, lo[i], wh, hi[i]);
	print_rows(f, h, unit_name(unit), labels, first, last);
	fprintf(f, "count %llu, sum %s, p50 <= %s, p99 <= %s\n\n",
		(unsigned long long)h->count,
		unit_format(unit)(sum, sizeof(sum), h->sum),
		slot_label(p50, sizeof(p50), hist_quantile(h, 0.5), unit),
		slot_label(p99, sizeof(p99), hist_quantile(h, 0.99), unit));
}

void hist_print_linear(FILE *f, const struct sro_hist *h, const char *title,
		       const char *label)
{
	char labels[SRO_HIST_SLOTS][LABEL_LEN];
	int first, last, i;

	if (print_empty(f, h, title, &first, &last))
		return;
	for (i = first; i <= last; i++)
		snprintf(labels[i], LABEL_LEN, "%d", i);
	print_rows(f, h, label, labels, first, last);
	fprintf(f, "count %llu, sum %llu, p50 %d, p99 %d\n\n",
		(unsigned long long)h->count, (unsigned long long)h->sum,
		quantile_slot(h, 0.5), quantile_slot(h, 0.99));
}
