// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "format.h"
#include "metrics.h"
#include "prom.h"

#define NS_PER_SEC	1e9

/* Ages of the outstanding-by-age gauges, seconds; +Inf follows. */
static const unsigned int age_le[] = {
	1, 10, 60, 300, 1800, 3600, 21600, 86400,
};
#define NAGES	(sizeof(age_le) / sizeof(age_le[0]))

/* Buckets: ns as seconds from 1 us to 19.5 h; bytes 4 KiB to 1 GiB. */
static const struct prom_buckets ns_buckets = { 10, 46, NS_PER_SEC, 0 };
static const struct prom_buckets byte_buckets = { 12, 30, 1, 0 };
static const struct prom_buckets order_buckets = { 0, 18, 1, 1 };

struct realm_extra {
	uint64_t oldest_ts;	/* of its outstanding donations, 0: none */
};

static void realm_label(char *buf, size_t len, uint32_t realm)
{
	snprintf(buf, len, "%u", realm);
}

/*
 * A per-source family summed over every realm: what dashboards rate. Per
 * realm it would be a series per realm and source, most of a large
 * host's scrape; a realm's own figures are its held bytes.
 */
static void src_total_family(FILE *f, const struct snapshot *s,
			     const char *name, const char *help, size_t off)
{
	struct prom_label l[1] = { { "source" } };
	uint64_t sum[SRO_SRC_NR] = {};
	const __u64 *v;
	size_t i;
	int k;

	for (i = 0; i < s->nrealms; i++) {
		v = (const __u64 *)((const char *)&s->realms[i].s + off);
		for (k = 0; k < SRO_SRC_NR; k++)
			sum[k] += v[k];
	}
	prom_family(f, name, "counter", help);
	for (k = 0; k < SRO_SRC_NR; k++) {
		l[0].value = sro_source_name(k);
		prom_u64(f, name, l, 1, sum[k]);
	}
}

/* Held = donated - reclaimed, per realm and source used. */
static void held_family(FILE *f, const struct snapshot *s, const char *name,
			const char *help)
{
	struct prom_label l[2] = { { "realm" }, { "source" } };
	const struct sro_realm_stats *r;
	char id[16];
	size_t i;
	int k;

	prom_family(f, name, "gauge", help);
	for (i = 0; i < s->nrealms; i++) {
		r = &s->realms[i].s;
		realm_label(id, sizeof(id), s->realms[i].realm);
		l[0].value = id;
		for (k = 0; k < SRO_SRC_NR; k++) {
			if (!r->donated[k] && !r->alloc_fails[k])
				continue;
			l[1].value = sro_source_name(k);
			prom_u64(f, name, l, 2, r->donated[k] - r->reclaimed[k]);
		}
	}
}

/* One value per realm; a getter returning -1 leaves the realm out. */
typedef int64_t (*realm_value_fn)(const struct sro_realm_stats *r);

static int64_t realm_given_up(const struct sro_realm_stats *r)
{
	return r->leaked;
}

/* Destroyed realms only: a live realm has no series. */
static int64_t realm_destroyed(const struct sro_realm_stats *r)
{
	return r->destroyed_ts ? 1 : -1;
}

/* Only destroyed realms have unreturned memory; live ones hold it. */
static int64_t realm_unreturned(const struct sro_realm_stats *r)
{
	return r->destroyed_ts ? (int64_t)realm_held(r) : -1;
}

static void realm_family(FILE *f, const struct snapshot *s, const char *name,
			 const char *type, const char *help, realm_value_fn get)
{
	struct prom_label l[1] = { { "realm" } };
	char id[16];
	int64_t v;
	size_t i;

	prom_family(f, name, type, help);
	for (i = 0; i < s->nrealms; i++) {
		v = get(&s->realms[i].s);
		if (v < 0)
			continue;
		realm_label(id, sizeof(id), s->realms[i].realm);
		l[0].value = id;
		prom_u64(f, name, l, 1, v);
	}
}

/* The per-source counters of struct sro_realm_stats, all realms summed. */
#define RS(field) offsetof(struct sro_realm_stats, field)
static const struct {
	const char *name;
	const char *help;
	size_t off;
} src_totals[] = {
	{ "sroscope_donated_bytes_total",
	  "Bytes donated to the RMM, all realms, by source.", RS(donated) },
	{ "sroscope_reclaimed_bytes_total",
	  "Bytes the RMM gave back (reclaimed), all realms, by source.", RS(reclaimed) },
	{ "sroscope_donations_total",
	  "Blocks donated to the RMM, all realms, by source.", RS(donations) },
	{ "sroscope_reclaims_total",
	  "Blocks the RMM gave back, all realms, by source.", RS(reclaims) },
	{ "sroscope_alloc_failures_total",
	  "Allocations for donations that failed, all realms, by source tried.", RS(alloc_fails) },
};

/*
 * Per realm only what alerts and dashboards need of each realm (held,
 * given up, destroyed, unreturned, the oldest block's age): a scrape of
 * a host with 1,000 realms stays about 200 KiB.
 */
static void realm_metrics(FILE *f, const struct snapshot *s)
{
	size_t i;

	held_family(f, s, "sroscope_held_bytes",
		    "Bytes donated to the RMM for a realm and not reclaimed, by source of the memory.");
	for (i = 0; i < sizeof(src_totals) / sizeof(src_totals[0]); i++)
		src_total_family(f, s, src_totals[i].name, src_totals[i].help,
				 src_totals[i].off);

	realm_family(f, s, "sroscope_given_up_bytes_total", "counter",
		     "Bytes the host gave up for good: the RMM refused to undelegate them after a reclaim.",
		     realm_given_up);
	realm_family(f, s, "sroscope_realm_destroyed", "gauge",
		     "1 for a realm id whose REALM_DESTROY succeeded (a live realm has no series).",
		     realm_destroyed);
	realm_family(f, s, "sroscope_realm_unreturned_bytes", "gauge",
		     "Bytes a destroyed realm's RMM still holds: donated, never reclaimed. Memory lost until the RMM gives it back.",
		     realm_unreturned);
}

static void outstanding_metrics(FILE *f, const struct snapshot *s)
{
	uint64_t count[NAGES + 1] = {}, bytes[NAGES + 1] = {}, age, *oldest;
	struct prom_label l[1] = { { "age_le" } };
	double age_sum = 0;
	char le[16], id[16];
	unsigned int a;
	size_t i;
	long r;

	oldest = calloc(s->nrealms ? s->nrealms : 1, sizeof(*oldest));
	for (i = 0; i < s->ndonations; i++) {
		const struct sro_donation *d = &s->donations[i].d;

		age = s->ts > d->ts ? s->ts - d->ts : 0;
		for (a = 0; a < NAGES && age > age_le[a] * (uint64_t)NS_PER_SEC; a++)
			;
		count[a]++;
		bytes[a] += d->size;
		age_sum += age / NS_PER_SEC;
		r = snapshot_realm(s, d->realm);
		if (oldest && r >= 0 && (!oldest[r] || d->ts < oldest[r]))
			oldest[r] = d->ts;
	}
	/* A gauge histogram: buckets go down as blocks come back. */
	prom_family(f, "sroscope_outstanding_age_seconds", "histogram",
		    "Age (time since donation) of the blocks the RMM holds now. A gauge histogram: use it without rate().");
	for (a = 0; a <= NAGES; a++) {
		if (a)
			count[a] += count[a - 1];
		if (a < NAGES)
			fprintf(f, "sroscope_outstanding_age_seconds_bucket{le=\"%u\"} %llu\n",
				age_le[a], (unsigned long long)count[a]);
	}
	fprintf(f, "sroscope_outstanding_age_seconds_bucket{le=\"+Inf\"} %llu\n",
		(unsigned long long)count[NAGES]);
	prom_double(f, "sroscope_outstanding_age_seconds_sum", NULL, 0, age_sum);
	prom_u64(f, "sroscope_outstanding_age_seconds_count", NULL, 0, count[NAGES]);
	prom_family(f, "sroscope_outstanding_bytes", "gauge",
		    "Bytes the RMM holds now in blocks at most age_le seconds old.");
	for (a = 0; a <= NAGES; a++) {
		if (a)
			bytes[a] += bytes[a - 1];
		if (a < NAGES)
			snprintf(le, sizeof(le), "%u", age_le[a]);
		l[0].value = a < NAGES ? le : "+Inf";
		prom_u64(f, "sroscope_outstanding_bytes", l, 1, bytes[a]);
	}
	prom_family(f, "sroscope_realm_oldest_donation_age_seconds", "gauge",
		    "Age of the oldest block a realm's RMM still holds.");
	l[0].name = "realm";
	for (i = 0; oldest && i < s->nrealms; i++) {
		if (!oldest[i])
			continue;
		realm_label(id, sizeof(id), s->realms[i].realm);
		l[0].value = id;
		prom_double(f, "sroscope_realm_oldest_donation_age_seconds", l, 1,
			    (double)(s->ts - oldest[i]) / NS_PER_SEC);
	}
	free(oldest);
}

/* One value per source, a field of struct sro_src_stats at @off. */
static void source_family(FILE *f, const struct snapshot *s, const char *name,
			  const char *help, size_t off)
{
	struct prom_label l[1] = { { "source" } };
	int k;

	prom_family(f, name, "counter", help);
	for (k = 0; k < SRO_SRC_NR; k++) {
		l[0].value = sro_source_name(k);
		prom_u64(f, name, l, 1,
			 *(const __u64 *)((const char *)&s->sources[k] + off));
	}
}

static void source_metrics(FILE *f, const struct snapshot *s)
{
	source_family(f, s, "sroscope_source_allocs_total",
		      "Blocks a source allocated for SRO donations and host delegations.",
		      offsetof(struct sro_src_stats, allocs));
	source_family(f, s, "sroscope_source_alloc_failures_total",
		      "Allocations a source could not serve.",
		      offsetof(struct sro_src_stats, alloc_fails));
	source_family(f, s, "sroscope_source_fallbacks_total",
		      "Blocks a source served after the policy's earlier choices failed.",
		      offsetof(struct sro_src_stats, fallbacks));
}

/* The histograms: per source when @per_source (hists[id + source]). */
static const struct {
	const char *name;
	const char *help;
	unsigned int id;
	const struct prom_buckets *b;
	bool per_source;
} hists[] = {
	{ "sroscope_donate_request_bytes",
	  "Bytes the RMM asked for per donate request.",
	  SRO_HIST_REQ_SIZE, &byte_buckets },
	{ "sroscope_donate_request_contig_bytes",
	  "Bytes the RMM asked for per donate request that must be physically contiguous.",
	  SRO_HIST_REQ_SIZE_CONTIG, &byte_buckets },
	{ "sroscope_alloc_block_order",
	  "Page order of the blocks allocated (0: one page).",
	  SRO_HIST_ORDER, &order_buckets },
	{ "sroscope_op_duration_seconds",
	  "Duration of an SRO operation, first call to completion.",
	  SRO_HIST_OP_NS, &ns_buckets },
	{ "sroscope_alloc_latency_seconds",
	  "Time a source took to allocate one block, by source.",
	  SRO_HIST_ALLOC_NS, &ns_buckets, true },
	{ "sroscope_donation_lifetime_seconds",
	  "Time from donation to reclaim of the blocks the RMM gave back, by source.",
	  SRO_HIST_LIFETIME_NS, &ns_buckets, true },
};

static void hist_metrics(FILE *f, const struct snapshot *s)
{
	struct prom_label l[1] = { { "source" } };
	size_t i;
	int k;

	for (i = 0; i < sizeof(hists) / sizeof(hists[0]); i++) {
		prom_family(f, hists[i].name, "histogram", hists[i].help);
		if (!hists[i].per_source) {
			prom_hist(f, hists[i].name, NULL, 0,
				  &s->hists[hists[i].id], hists[i].b);
			continue;
		}
		for (k = 0; k < SRO_SRC_NR; k++) {
			l[0].value = sro_source_name(k);
			prom_hist(f, hists[i].name, l, 1,
				  &s->hists[hists[i].id + k], hists[i].b);
		}
	}
}

static void kernel_metrics(FILE *f, const struct kstats *k, uint64_t now)
{
	struct prom_label l[1] = { { "policy" } };
	int i;

	prom_scalar(f, "sroscope_kernel_stats_up", "gauge",
		    "1 if the kernel's sro/stats (debugfs) could be read for this scrape.",
		    k != NULL);
	if (!k)
		return;
	prom_family(f, "sroscope_policy_info", "gauge",
		    "The allocation policy in charge (label policy; \"default\": none loaded), always 1.");
	l[0].value = k->policy;
	prom_u64(f, "sroscope_policy_info", l, 1, 1);
	prom_family(f, "sroscope_policy_active_seconds", "gauge",
		    "Time since the policy in charge was attached, swapped or detached.");
	prom_double(f, "sroscope_policy_active_seconds", NULL, 0,
		    now > k->policy_since_ns && k->policy_since_ns ?
		    (double)(now - k->policy_since_ns) / NS_PER_SEC : 0);
	prom_family(f, "sroscope_policy_decisions_total", "counter",
		    "Allocations for which a BPF policy chose the source first, by that source.");
	l[0].name = "source";
	for (i = 0; i < SRO_SRC_NR; i++) {
		l[0].value = sro_source_name(i);
		prom_u64(f, "sroscope_policy_decisions_total", l, 1,
			 k->policy_decisions[i]);
	}
	prom_scalar(f, "sroscope_policy_swaps_total", "counter",
		    "Policies replaced by another without a gap.",
		    k->policy_swaps);
	prom_scalar(f, "sroscope_policy_fallbacks_total", "counter",
		    "Allocations served by a later choice after the policy's first one failed.",
		    k->policy_fallbacks);
	prom_scalar(f, "sroscope_policy_invalid_verdicts_total", "counter",
		    "Verdicts the kernel refused (and replaced by the default).",
		    k->policy_invalid);
	if (k->has_pool) {
		prom_family(f, "sroscope_pool_bytes", "gauge",
			    "Bytes the SRO pool holds (free and carved).");
		prom_u64(f, "sroscope_pool_bytes", NULL, 0, k->pool_bytes);
		prom_family(f, "sroscope_pool_free_bytes", "gauge",
			    "Bytes free in the SRO pool.");
		prom_u64(f, "sroscope_pool_free_bytes", NULL, 0, k->pool_free_bytes);
		prom_family(f, "sroscope_pool_chunk_bytes", "gauge",
			    "The SRO pool's chunk size: the largest block it can serve.");
		prom_u64(f, "sroscope_pool_chunk_bytes", NULL, 0,
			 k->pool_chunk_bytes);
	}
	prom_scalar(f, "sroscope_kernel_held_bytes", "gauge",
		    "Bytes the RMM holds by the kernel's own books, since boot (includes donations before sroscope started).",
		    k->held_bytes);
	prom_scalar(f, "sroscope_kernel_cached_bytes", "gauge",
		    "Bytes offered to the RMM, not consumed, and kept by running operations for their next request (freed when the operation ends).",
		    k->cached_bytes);
	prom_scalar(f, "sroscope_kernel_given_up_bytes_total", "counter",
		    "Bytes given up for good since boot (undelegate refused), by the kernel's books.",
		    k->leaked_bytes);
	prom_scalar(f, "sroscope_kernel_quarantined_bytes", "gauge",
		    "Bytes the RMM refused to undelegate that the kernel is still trying (quarantined: never reused; given up when the tries run out).",
		    k->quarantined_bytes);
	prom_scalar(f, "sroscope_kernel_quarantine_retries_total", "counter",
		    "Undelegations of quarantined blocks tried again since boot.",
		    k->quarantine_retries);
	prom_scalar(f, "sroscope_kernel_quarantine_freed_bytes_total", "counter",
		    "Bytes undelegated and freed by a retry after the RMM first refused, since boot.",
		    k->quarantine_freed_bytes);
	prom_scalar(f, "sroscope_kernel_ops_total", "counter",
		    "SRO operations run since boot.",
		    k->ops);
	prom_scalar(f, "sroscope_kernel_ops_failed_total", "counter",
		    "SRO operations that failed since boot.",
		    k->ops_failed);
	prom_scalar(f, "sroscope_kernel_ops_abandoned_total", "counter",
		    "SRO operations the host gave up mid-way since boot (a request it could neither serve nor cancel): the RMM keeps what it was given.",
		    k->ops_abandoned);
	prom_scalar(f, "sroscope_kernel_donate_retries_total", "counter",
		    "Donation requests tried again since boot because the RMM could not cancel them.",
		    k->donate_retries);
	prom_scalar(f, "sroscope_kernel_rmi_busy_retries_total", "counter",
		    "RMI calls issued again since boot because the RMM answered RMI_BUSY or RMI_BLOCKED.",
		    k->busy_retries);
	prom_scalar(f, "sroscope_kernel_delegate_calls_total", "counter",
		    "RMI granule delegate calls since boot.",
		    k->delegate_calls);
	prom_scalar(f, "sroscope_kernel_undelegate_calls_total", "counter",
		    "RMI granule undelegate calls since boot.",
		    k->undelegate_calls);
}

static void health_metrics(FILE *f, const struct snapshot *s,
			   const struct export_health *h)
{
	struct prom_label l[1] = { { "reason" } };
	int i;

	prom_family(f, "sroscope_lost_events_total", "counter",
		    "Events sroscope could not account, by reason. Anything but unknown_reclaim makes its books incomplete.");
	for (i = 0; i < SRO_LOSS_NR; i++) {
		l[0].value = sro_loss_label(i);
		prom_u64(f, "sroscope_lost_events_total", l, 1, s->losses[i]);
	}
	prom_scalar(f, "sroscope_bpf_recursion_misses_total", "counter",
		    "Events the kernel did not hand sroscope's BPF programs (recursion), all programs.",
		    s->recursion_misses);
	prom_family(f, "sroscope_map_entries", "gauge",
		    "Entries in sroscope's BPF maps now (outstanding: donations, in the ring and the hash).");
	l[0].name = "map";
	l[0].value = "outstanding";
	prom_u64(f, "sroscope_map_entries", l, 1, s->ndonations);
	l[0].value = "realms";
	prom_u64(f, "sroscope_map_entries", l, 1, s->nrealms);
	prom_family(f, "sroscope_map_max_entries", "gauge",
		    "Capacity of sroscope's BPF maps (outstanding: the donation ring and hash, each --max-donations).");
	l[0].value = "outstanding";
	prom_u64(f, "sroscope_map_max_entries", l, 1, s->max_donations);
	l[0].value = "realms";
	prom_u64(f, "sroscope_map_max_entries", l, 1, s->max_realms);
	if (h->bpf_stats_enabled >= 0) {
		prom_family(f, "sroscope_bpf_stats_enabled", "gauge",
			    "1 if kernel.bpf_stats_enabled is on, so the BPF run-time metrics count.");
		prom_u64(f, "sroscope_bpf_stats_enabled", NULL, 0, h->bpf_stats_enabled);
	}
	prom_family(f, "sroscope_bpf_run_seconds_total", "counter",
		    "Time spent in each of sroscope's BPF programs (only while kernel.bpf_stats_enabled=1).");
	l[0].name = "program";
	for (i = 0; i < h->nprogs; i++) {
		l[0].value = h->progs[i].name;
		prom_double(f, "sroscope_bpf_run_seconds_total", l, 1,
			    (double)h->progs[i].run_ns / NS_PER_SEC);
	}
	prom_family(f, "sroscope_bpf_runs_total", "counter",
		    "Runs of each of sroscope's BPF programs (only while kernel.bpf_stats_enabled=1).");
	for (i = 0; i < h->nprogs; i++) {
		l[0].value = h->progs[i].name;
		prom_u64(f, "sroscope_bpf_runs_total", l, 1, h->progs[i].run_cnt);
	}
	prom_family(f, "sroscope_tracking_start_time_seconds", "gauge",
		    "Unix time sroscope began tracking: donations before it are not in the per-realm metrics.");
	prom_double(f, "sroscope_tracking_start_time_seconds", NULL, 0, h->start_time);
	prom_scalar(f, "sroscope_exporter_scrapes_total", "counter",
		    "Scrapes of /metrics served before this one.",
		    h->scrapes);
	prom_scalar(f, "sroscope_exporter_scrape_errors_total", "counter",
		    "Scrapes that could not read the BPF maps.",
		    h->scrape_errors);
	prom_family(f, "sroscope_exporter_last_scrape_duration_seconds", "gauge",
		    "Time the previous scrape took to read the maps and write the metrics.");
	prom_double(f, "sroscope_exporter_last_scrape_duration_seconds", NULL, 0,
		    h->last_scrape_seconds);
	prom_family(f, "sroscope_build_info", "gauge",
		    "sroscope's version (label version), always 1.");
	l[0].name = "version";
	l[0].value = SROSCOPE_VERSION;
	prom_u64(f, "sroscope_build_info", l, 1, 1);
}

void metrics_write(FILE *f, const struct snapshot *s, const struct kstats *k,
		   const struct export_health *h)
{
	realm_metrics(f, s);
	outstanding_metrics(f, s);
	source_metrics(f, s);
	hist_metrics(f, s);
	kernel_metrics(f, k, s->ts);
	health_metrics(f, s, h);
}
