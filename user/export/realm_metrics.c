// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The kernel's per-realm accounts as metrics (realm_metrics.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"
#include "realm_metrics.h"

/* A leak first: a gone realm still holding memory, or memory given up. */
static int rank(const struct realm_acct *r)
{
	return (r->gone && r->held_bytes) || r->given_up_bytes ? 0 : 1;
}

static int cmp_interest(const void *a, const void *b)
{
	const struct realm_acct *x = *(const struct realm_acct *const *)a;
	const struct realm_acct *y = *(const struct realm_acct *const *)b;

	if (rank(x) != rank(y))
		return rank(x) - rank(y);
	if (x->held_bytes != y->held_bytes)
		return x->held_bytes > y->held_bytes ? -1 : 1;
	if (x->given_up_bytes != y->given_up_bytes)
		return x->given_up_bytes > y->given_up_bytes ? -1 : 1;
	return x->realm < y->realm ? -1 : x->realm > y->realm;
}

typedef uint64_t (*acct_value_fn)(const struct realm_acct *r);

static uint64_t held(const struct realm_acct *r)
{
	return r->held_bytes;
}

static uint64_t given_up(const struct realm_acct *r)
{
	return r->given_up_bytes;
}

static uint64_t quarantined(const struct realm_acct *r)
{
	return r->quarantined_bytes;
}

/*
 * @order[0..named) by name, the rest of @n as realm="other". @sparse:
 * only the realms with a value above 0 (what most realms never have).
 */
static void acct_family(FILE *f, const struct realm_acct *const *order,
			size_t n, size_t named, const char *name,
			const char *type, const char *help, acct_value_fn get,
			bool sparse)
{
	struct prom_label l[1] = { { "realm" } };
	uint64_t other = 0;
	char id[16];
	size_t i;

	prom_family(f, name, type, help);
	for (i = 0; i < n; i++) {
		if (i >= named) {
			other += get(order[i]);
			continue;
		}
		if (sparse && !get(order[i]))
			continue;
		snprintf(id, sizeof(id), "%u", order[i]->realm);
		l[0].value = id;
		prom_u64(f, name, l, 1, get(order[i]));
	}
	if (n > named && (!sparse || other)) {
		l[0].value = "other";
		prom_u64(f, name, l, 1, other);
	}
}

static void info_family(FILE *f, const struct realm_acct *const *order,
			size_t named)
{
	struct prom_label l[5] = {
		{ "realm" }, { "pid" }, { "comm" }, { "cgroup" }, { "unit" },
	};
	char id[16], pid[16];
	size_t i;

	prom_family(f, "sroscope_realm_info", "gauge",
		    "A realm's owner, always 1: the VMM process that created it (pid, comm as it was then), its cgroup and systemd unit. Join on realm.");
	for (i = 0; i < named; i++) {
		const struct realm_owner *o = &order[i]->owner;

		snprintf(id, sizeof(id), "%u", order[i]->realm);
		snprintf(pid, sizeof(pid), "%d", o->pid);
		l[0].value = id;
		l[1].value = pid;
		l[2].value = o->comm;
		l[3].value = o->cgroup_path;
		l[4].value = o->unit;
		prom_u64(f, "sroscope_realm_info", l, 5, 1);
	}
}

void realm_metrics_write(FILE *f, const struct realm_accts *a, size_t max)
{
	const struct realm_acct **order;
	struct prom_label l[1] = { { "state" } };
	size_t i, named, gone = 0;

	prom_scalar(f, "sroscope_kernel_realm_accounts_up", "gauge",
		    "1 if the kernel keeps per-realm accounts (/sys/kernel/sro) and they were read.",
		    a && a->present);
	if (!a || !a->present)
		return;
	order = malloc((a->n ?: 1) * sizeof(*order));
	if (!order)
		return;
	for (i = 0; i < a->n; i++) {
		order[i] = &a->realms[i];
		gone += a->realms[i].gone;
	}
	qsort(order, a->n, sizeof(*order), cmp_interest);
	named = a->n < max ? a->n : max;
	acct_family(f, order, a->n, named, "sroscope_kernel_realm_held_bytes",
		    "gauge", "Bytes the RMM holds for a realm, by the kernel's own accounts: complete since boot, whenever sroscope started.",
		    held, false);
	acct_family(f, order, a->n, named,
		    "sroscope_kernel_realm_given_up_bytes_total", "counter",
		    "Bytes of a realm the host gave up for good: the RMM never let them be undelegated (realms that lost none have no series).",
		    given_up, true);
	acct_family(f, order, a->n, named,
		    "sroscope_kernel_realm_quarantined_bytes", "gauge",
		    "Bytes of a realm the RMM gave back but refused to let the host undelegate yet (only realms with some).",
		    quarantined, true);
	prom_family(f, "sroscope_kernel_realm_gone", "gauge",
		    "1 for a destroyed realm the kernel still accounts for: it keeps memory, or lost some.");
	for (i = 0; i < named; i++) {
		char id[16];
		struct prom_label r[1] = { { "realm", id } };

		if (!order[i]->gone)
			continue;
		snprintf(id, sizeof(id), "%u", order[i]->realm);
		prom_u64(f, "sroscope_kernel_realm_gone", r, 1, 1);
	}
	info_family(f, order, named);
	prom_family(f, "sroscope_kernel_realms", "gauge",
		    "Realms the kernel accounts for, by state (live, or gone with memory not settled).");
	l[0].value = "live";
	prom_u64(f, "sroscope_kernel_realms", l, 1, a->n - gone);
	l[0].value = "gone";
	prom_u64(f, "sroscope_kernel_realms", l, 1, gone);
	prom_scalar(f, "sroscope_kernel_realms_untracked", "gauge",
		    "Realms the kernel accounts for without a directory of their own (over 4096, or sysfs could not make one): in the totals, not in these series.",
		    a->untracked);
	free(order);
}
