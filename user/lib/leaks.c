// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The leak report (leaks.h): everything comes from the maps (one record
 * per donated block), not from the event stream, so a full ring buffer
 * does not make a leak; the report is unreliable when the maps themselves
 * missed events.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "format.h"
#include "leaks.h"

/*
 * How long before @now (CLOCK_BOOTTIME ns) @ts was: 0 for what happened
 * while the snapshot was read, after its time was taken.
 */
static uint64_t age(uint64_t now, uint64_t ts)
{
	return ts < now ? now - ts : 0;
}

/* Realm, operation, purpose, then stack (-1 when not grouped by it). */
static int cmp_group_key(const void *a, const void *b)
{
	const struct sro_donation *x = a, *y = b;

	if (x->realm != y->realm)
		return x->realm < y->realm ? -1 : 1;
	if (x->cmd != y->cmd)
		return x->cmd < y->cmd ? -1 : 1;
	if (x->purpose != y->purpose)
		return (int)x->purpose - (int)y->purpose;
	return x->stack_id < y->stack_id ? -1 : x->stack_id > y->stack_id;
}

/*
 * Group the outstanding donations of destroyed realms (@destroyed), or
 * those of live realms older than @age_ns, by realm, operation, purpose
 * and (@by_stack) stack: *@out (malloc'd, sorted), *@n of them. 0 or
 * -ENOMEM.
 */
static int group_donations(const struct snapshot *s, bool destroyed,
			   uint64_t age_ns, bool by_stack,
			   struct leak_group **out, size_t *n)
{
	struct sro_donation *rows;
	struct leak_group *g;
	size_t i, nrows = 0, ng = 0;
	long r;

	*out = NULL;
	*n = 0;
	rows = malloc((s->ndonations ? s->ndonations : 1) * sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	for (i = 0; i < s->ndonations; i++) {
		const struct sro_donation *d = &s->donations[i].d;

		/* A realm the map could not keep is taken as live. */
		r = snapshot_realm(s, d->realm);
		if ((r >= 0 && s->realms[r].s.destroyed_ts) != destroyed)
			continue;
		if (!destroyed && age(s->ts, d->ts) < age_ns)
			continue;
		rows[nrows] = *d;
		if (!by_stack)
			rows[nrows].stack_id = -1;
		nrows++;
	}
	qsort(rows, nrows, sizeof(*rows), cmp_group_key);
	/* No more groups than rows. */
	g = malloc((nrows ? nrows : 1) * sizeof(*g));
	if (!g) {
		free(rows);
		return -ENOMEM;
	}
	for (i = 0; i < nrows; i++) {
		const struct sro_donation *d = &rows[i];

		if (!ng || cmp_group_key(d, &rows[i - 1]))
			g[ng++] = (struct leak_group){
				.realm = d->realm, .cmd = d->cmd,
				.purpose = d->purpose, .stack_id = d->stack_id,
			};
		g[ng - 1].bytes += d->size;
		g[ng - 1].blocks++;
		if (age(s->ts, d->ts) > g[ng - 1].oldest_age_ns)
			g[ng - 1].oldest_age_ns = age(s->ts, d->ts);
	}
	free(rows);
	/* Give back the room of the rows that joined a group. */
	if (ng && ng < nrows) {
		struct leak_group *fit = realloc(g, ng * sizeof(*g));

		if (fit)
			g = fit;
	}
	*out = g;
	*n = ng;
	return 0;
}

/* The first group of @realm in @g (sorted by realm), or @n. */
static size_t first_group(const struct leak_group *g, size_t n, uint32_t realm)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (g[mid].realm < realm)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Destroyed realm @row, if the realm world kept some of its donations. */
static void add_destroyed(struct leak_report *r, const struct realm_row *row,
			  uint64_t now, size_t ng)
{
	struct leak_realm *d = &r->destroyed[r->ndestroyed];
	size_t j;

	*d = (struct leak_realm){ .realm = row->realm };
	j = first_group(r->storage, ng, d->realm);
	d->groups = &r->storage[j];
	for (; j < ng && r->storage[j].realm == d->realm; j++) {
		d->unreturned_bytes += r->storage[j].bytes;
		d->unreturned_blocks += r->storage[j].blocks;
		d->ngroups++;
	}
	if (!d->unreturned_bytes)
		return;
	d->donated_bytes = src_sum(row->s.donated);
	d->returned_bytes = d->donated_bytes - d->unreturned_bytes;
	d->partial = d->unreturned_bytes < d->donated_bytes;
	d->complete = !row->s.unknown_reclaims;
	d->destroyed_age_ns = age(now, row->s.destroyed_ts);
	r->unreturned_bytes += d->unreturned_bytes;
	r->ndestroyed++;
}

int leak_report_build(const struct snapshot *s, uint64_t age_ns,
		      uint64_t start_ts, bool by_stack, struct leak_report *r)
{
	size_t nrealms = s->nrealms ? s->nrealms : 1, ng, i;
	int err;

	*r = (struct leak_report){
		.reliable = !snapshot_book_losses(s),
		.by_stack = by_stack,
		.traced_ns = s->ts - start_ts,
		.age_ns = age_ns,
		.recursion_misses = s->recursion_misses,
	};
	memcpy(r->losses, s->losses, sizeof(r->losses));

	err = group_donations(s, true, 0, by_stack, &r->storage, &ng);
	if (!err)
		err = group_donations(s, false, age_ns, by_stack, &r->held,
				      &r->nheld);
	if (err)
		return err;
	r->destroyed = calloc(nrealms, sizeof(*r->destroyed));
	r->given_up = calloc(nrealms, sizeof(*r->given_up));
	if (!r->destroyed || !r->given_up)
		return -ENOMEM;
	for (i = 0; i < s->nrealms; i++) {
		const struct realm_row *row = &s->realms[i];

		if (row->s.destroyed_ts)
			add_destroyed(r, row, s->ts, ng);
		if (!row->s.leaked)
			continue;
		r->given_up[r->ngiven_up++] = (struct leak_given_up){
			.realm = row->realm,
			.bytes = row->s.leaked, .blocks = row->s.leaks,
		};
		r->given_up_bytes += row->s.leaked;
	}
	for (i = 0; i < r->nheld; i++)
		r->held_over_age_bytes += r->held[i].bytes;
	return 0;
}

void leak_report_free(struct leak_report *r)
{
	free(r->destroyed);
	free(r->given_up);
	free(r->held);
	free(r->storage);
	*r = (struct leak_report){};
}

/* The names of @g's stack; none unless grouped by stack. */
static int group_stack(const struct leak_report *r, const struct leak_group *g,
		       leak_stack_fn stack, void *ctx,
		       char (*names)[LEAK_SYM_LEN])
{
	int n;

	if (!r->by_stack || !stack)
		return 0;
	n = stack(ctx, g->stack_id, names, SRO_STACK_DEPTH);
	return n > 0 ? n : 0;
}

static void jadd_u64(struct json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

static struct json_object *jgroup(const struct leak_report *r,
				  const struct leak_group *g,
				  leak_stack_fn stack, void *ctx)
{
	struct json_object *o = json_object_new_object(), *a;
	char names[SRO_STACK_DEPTH][LEAK_SYM_LEN];
	char buf[16];
	int n, i;

	jadd_u64(o, "realm", g->realm);
	json_object_object_add(o, "cmd", json_object_new_string(
		sro_cmd_name(g->cmd, buf, sizeof(buf))));
	json_object_object_add(o, "purpose", json_object_new_string(
		sro_purpose_name(g->purpose)));
	jadd_u64(o, "bytes", g->bytes);
	jadd_u64(o, "blocks", g->blocks);
	jadd_u64(o, "oldest_age_ns", g->oldest_age_ns);
	if (!r->by_stack)
		return o;
	a = json_object_new_array();
	n = group_stack(r, g, stack, ctx, names);
	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(names[i]));
	json_object_object_add(o, "stack", a);
	return o;
}

/* The realm's VMM, as the kernel recorded it; NULL when it did not. */
static const struct realm_owner *owner_of(const struct leak_report *r,
					  uint32_t realm)
{
	const struct realm_acct *a;

	a = r->accts ? realm_acct_find(r->accts, realm) : NULL;
	return a ? &a->owner : NULL;
}

static void jadd_owner(struct json_object *o, const struct realm_owner *w)
{
	struct json_object *j;

	if (!w)
		return;
	j = json_object_new_object();
	json_object_object_add(j, "pid", json_object_new_int(w->pid));
	json_object_object_add(j, "comm", json_object_new_string(w->comm));
	jadd_u64(j, "cgroup_id", w->cgroup);
	json_object_object_add(j, "cgroup", json_object_new_string(w->cgroup_path));
	json_object_object_add(j, "unit", json_object_new_string(w->unit));
	json_object_object_add(o, "owner", j);
}

/* A realm the kernel says leaks: gone and still holding, or given up. */
static bool acct_leaks(const struct realm_acct *a)
{
	return (a->gone && a->held_bytes) || a->given_up_bytes;
}

static struct json_object *jkernel(const struct realm_accts *k)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();
	size_t i;

	json_object_object_add(o, "present", json_object_new_boolean(k && k->present));
	if (!k || !k->present) {
		json_object_object_add(o, "leaking", a);
		return o;
	}
	jadd_u64(o, "held_bytes", k->held_bytes);
	jadd_u64(o, "given_up_bytes", k->given_up_bytes);
	jadd_u64(o, "quarantined_bytes", k->quarantined_bytes);
	for (i = 0; i < k->n; i++) {
		const struct realm_acct *r = &k->realms[i];
		struct json_object *j;

		if (!acct_leaks(r))
			continue;
		j = json_object_new_object();
		jadd_u64(j, "realm", r->realm);
		json_object_object_add(j, "gone", json_object_new_boolean(r->gone));
		jadd_u64(j, "held_bytes", r->held_bytes);
		jadd_u64(j, "given_up_bytes", r->given_up_bytes);
		jadd_u64(j, "quarantined_bytes", r->quarantined_bytes);
		jadd_owner(j, &r->owner);
		json_object_array_add(a, j);
	}
	json_object_object_add(o, "leaking", a);
	return o;
}

static struct json_object *jrealm(const struct leak_report *r,
				  const struct leak_realm *d,
				  leak_stack_fn stack, void *ctx)
{
	struct json_object *o = json_object_new_object();
	struct json_object *ops = json_object_new_array();
	size_t i;

	jadd_u64(o, "realm", d->realm);
	jadd_u64(o, "donated_bytes", d->donated_bytes);
	jadd_u64(o, "returned_bytes", d->returned_bytes);
	jadd_u64(o, "unreturned_bytes", d->unreturned_bytes);
	jadd_u64(o, "unreturned_blocks", d->unreturned_blocks);
	json_object_object_add(o, "returned", json_object_new_string(
		d->partial ? "partial" : "none"));
	json_object_object_add(o, "complete", json_object_new_boolean(d->complete));
	jadd_u64(o, "destroyed_age_ns", d->destroyed_age_ns);
	for (i = 0; i < d->ngroups; i++)
		json_object_array_add(ops, jgroup(r, &d->groups[i], stack, ctx));
	json_object_object_add(o, "by_op", ops);
	jadd_owner(o, owner_of(r, d->realm));
	return o;
}

struct json_object *leak_report_json(const struct leak_report *r,
				     leak_stack_fn stack, void *ctx)
{
	struct json_object *rep = format_json_document(LEAKS_JSON_FORMAT,
							LEAKS_JSON_VERSION);
	struct json_object *dest = json_object_new_array();
	struct json_object *given = json_object_new_array();
	struct json_object *held = json_object_new_array();
	struct json_object *losses = json_object_new_object();
	size_t i;

	for (i = 0; i < r->ndestroyed; i++)
		json_object_array_add(dest, jrealm(r, &r->destroyed[i], stack, ctx));
	for (i = 0; i < r->ngiven_up; i++) {
		struct json_object *o = json_object_new_object();

		jadd_u64(o, "realm", r->given_up[i].realm);
		jadd_u64(o, "bytes", r->given_up[i].bytes);
		jadd_u64(o, "blocks", r->given_up[i].blocks);
		jadd_owner(o, owner_of(r, r->given_up[i].realm));
		json_object_array_add(given, o);
	}
	for (i = 0; i < r->nheld; i++)
		json_object_array_add(held, jgroup(r, &r->held[i], stack, ctx));
	for (i = 0; i < SRO_LOSS_NR; i++)
		jadd_u64(losses, sro_loss_key(i), r->losses[i]);
	jadd_u64(losses, "recursion_misses", r->recursion_misses);

	json_object_object_add(rep, "reliable", json_object_new_boolean(r->reliable));
	jadd_u64(rep, "traced_ns", r->traced_ns);
	jadd_u64(rep, "age_ns", r->age_ns);
	jadd_u64(rep, "unreturned_bytes", r->unreturned_bytes);
	jadd_u64(rep, "given_up_bytes", r->given_up_bytes);
	jadd_u64(rep, "held_over_age_bytes", r->held_over_age_bytes);
	json_object_object_add(rep, "destroyed", dest);
	json_object_object_add(rep, "given_up", given);
	json_object_object_add(rep, "held", held);
	json_object_object_add(rep, "losses", losses);
	json_object_object_add(rep, "kernel", jkernel(r->accts));
	return rep;
}

/* One group's line, then its stack; @indent instead of the realm column. */
static void print_group(FILE *f, const struct leak_report *r,
			const struct leak_group *g, const char *indent,
			leak_stack_fn stack, void *ctx)
{
	char names[SRO_STACK_DEPTH][LEAK_SYM_LEN];
	char b[32], t[32], realm[16], cmd[16];
	int n, i;

	if (!indent)
		snprintf(realm, sizeof(realm), "  %-8llu", (unsigned long long)g->realm);
	fprintf(f, "%s %-20s %-8s %6llu %12s  oldest %s\n",
		indent ? indent : realm, sro_cmd_name(g->cmd, cmd, sizeof(cmd)),
		sro_purpose_name(g->purpose), (unsigned long long)g->blocks,
		format_bytes(b, sizeof(b), g->bytes),
		format_ns(t, sizeof(t), g->oldest_age_ns));
	n = group_stack(r, g, stack, ctx, names);
	for (i = 0; i < n; i++)
		fprintf(f, "%*s%s\n", 14, "", names[i]);
}

/* "VMM pid 145 (qemu), unit vm1.scope, cgroup /machine.slice/vm1.scope" */
static void print_owner(FILE *f, const char *indent,
			const struct realm_owner *w)
{
	if (!w)
		return;
	fprintf(f, "%sVMM pid %d (%s)", indent, w->pid, w->comm);
	if (w->unit[0])
		fprintf(f, ", unit %s", w->unit);
	if (w->cgroup_path[0])
		fprintf(f, ", cgroup %s", w->cgroup_path);
	else if (w->cgroup)
		fprintf(f, ", cgroup id %llu (gone)", (unsigned long long)w->cgroup);
	fputc('\n', f);
}

/* What the kernel's own accounts say leaks, since boot. */
static void print_kernel(FILE *f, const struct realm_accts *k)
{
	char b1[32], b2[32];
	size_t i, n = 0;

	if (!k || !k->present)
		return;
	for (i = 0; i < k->n; i++)
		n += acct_leaks(&k->realms[i]);
	fprintf(f, "\nThe kernel's accounts since boot (/sys/kernel/sro): %zu realms leak, "
		"%s given up in all\n", n,
		format_bytes(b1, sizeof(b1), k->given_up_bytes));
	if (n)
		fprintf(f, "  %-8s %-9s %12s %12s\n", "REALM", "STATE", "HELD", "GIVEN UP");
	for (i = 0; i < k->n; i++) {
		const struct realm_acct *a = &k->realms[i];

		if (!acct_leaks(a))
			continue;
		fprintf(f, "  %-8llu %-9s %12s %12s\n", (unsigned long long)a->realm,
			a->gone ? "destroyed" : "live",
			format_bytes(b1, sizeof(b1), a->held_bytes),
			format_bytes(b2, sizeof(b2), a->given_up_bytes));
		print_owner(f, "           ", &a->owner);
	}
}

void leak_report_print(FILE *f, const struct leak_report *r,
		       leak_stack_fn stack, void *ctx)
{
	char b1[32], b2[32], b3[32];
	size_t i, j;

	fprintf(f, "SRO leak report after %s of tracing: %s\n",
		format_ns(b1, sizeof(b1), r->traced_ns),
		r->reliable ? "complete" :
		"UNRELIABLE, the kernel dropped events the books need");

	fprintf(f, "\nNot returned at realm destroy: %s\n",
		format_bytes(b1, sizeof(b1), r->unreturned_bytes));
	if (r->ndestroyed)
		fprintf(f, "  %-8s %12s %12s %12s %7s  %s\n", "REALM", "DONATED",
			"RETURNED", "UNRETURNED", "BLOCKS", "RETURN");
	for (i = 0; i < r->ndestroyed; i++) {
		const struct leak_realm *d = &r->destroyed[i];

		fprintf(f, "  %-8llu %12s %12s %12s %7llu  %s%s\n",
			(unsigned long long)d->realm,
			format_bytes(b1, sizeof(b1), d->donated_bytes),
			format_bytes(b2, sizeof(b2), d->returned_bytes),
			format_bytes(b3, sizeof(b3), d->unreturned_bytes),
			(unsigned long long)d->unreturned_blocks,
			d->partial ? "partial" : "none",
			d->complete ? "" : " (realm older than this trace: incomplete)");
		print_owner(f, "           ", owner_of(r, d->realm));
		for (j = 0; j < d->ngroups; j++)
			print_group(f, r, &d->groups[j], "           ", stack, ctx);
	}

	fprintf(f, "\nGiven up by the host (the RMM refused to undelegate): %s\n",
		format_bytes(b1, sizeof(b1), r->given_up_bytes));
	for (i = 0; i < r->ngiven_up; i++) {
		fprintf(f, "  realm %-8llu %12s in %llu blocks\n",
			(unsigned long long)r->given_up[i].realm,
			format_bytes(b1, sizeof(b1), r->given_up[i].bytes),
			(unsigned long long)r->given_up[i].blocks);
		print_owner(f, "           ", owner_of(r, r->given_up[i].realm));
	}

	fprintf(f, "\nHeld by live realms for more than %s: %s\n",
		format_ns(b1, sizeof(b1), r->age_ns),
		format_bytes(b2, sizeof(b2), r->held_over_age_bytes));
	if (r->nheld)
		fprintf(f, "  %-8s %-20s %-8s %6s %12s\n", "REALM", "OPERATION",
			"PURPOSE", "BLOCKS", "BYTES");
	for (i = 0; i < r->nheld; i++)
		print_group(f, r, &r->held[i], NULL, stack, ctx);

	if (r->losses[SRO_LOSS_UNKNOWN_RECLAIM])
		fprintf(f, "\nNote: %llu blocks donated before sroscope started came back; "
			"older donations are not in this report.\n",
			(unsigned long long)r->losses[SRO_LOSS_UNKNOWN_RECLAIM]);
	print_kernel(f, r->accts);
	print_losses(f, r->losses, r->recursion_misses);
}
