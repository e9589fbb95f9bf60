// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"

struct ksym {
	uint64_t addr;
	char *name;
};

struct ksyms {
	struct ksym *syms;
	size_t n;
};

static int cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct ksyms *ksyms_load(void)
{
	struct ksyms *k = calloc(1, sizeof(*k));
	char line[512], name[256], type;
	unsigned long long addr;
	size_t cap = 0;
	FILE *f;

	if (!k)
		return NULL;
	f = fopen("/proc/kallsyms", "r");
	if (!f) {
		free(k);
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		struct ksym *grown;

		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 || !addr)
			continue;
		if (k->n == cap) {
			cap = cap ? cap * 2 : 4096;
			grown = realloc(k->syms, cap * sizeof(*grown));
			if (!grown)
				break;
			k->syms = grown;
		}
		k->syms[k->n].addr = addr;
		k->syms[k->n].name = strdup(name);
		if (k->syms[k->n].name)
			k->n++;
	}
	fclose(f);
	if (!k->n) {
		/* Addresses hidden (kptr_restrict) or no kallsyms. */
		ksyms_free(k);
		errno = ENOENT;
		return NULL;
	}
	qsort(k->syms, k->n, sizeof(*k->syms), cmp_ksym);
	return k;
}

void ksyms_free(struct ksyms *k)
{
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k->n; i++)
		free(k->syms[i].name);
	free(k->syms);
	free(k);
}

const char *ksyms_name(const struct ksyms *k, uint64_t addr, char *buf,
		       size_t len)
{
	size_t lo = 0, hi = k ? k->n : 0, mid;

	/* The last symbol at or below addr. */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (k->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		snprintf(buf, len, "0x%" PRIx64, addr);
	else
		snprintf(buf, len, "%s+0x%" PRIx64, k->syms[lo - 1].name,
			 addr - k->syms[lo - 1].addr);
	return buf;
}
