// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sroscope leaks: memory the realm world did not give back.
 *
 *  - realms destroyed while the realm world still held some of their
 *    donations (the RMM spec does not promise it returns everything):
 *    what is missing, by operation, and whether the return was partial;
 *  - memory the host gave up because the RMM refused to undelegate it;
 *  - donations of live realms outstanding longer than --age.
 *
 * Everything comes from the BPF maps (one record per donated block), not
 * from the event stream: a full ring buffer does not make a leak. The
 * report says it is unreliable when the maps themselves missed events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "commands.h"
#include "common.h"
#include "format.h"
#include "ksyms.h"
#include "tracer.h"

static struct {
	struct interval iv;
	uint64_t age_ns;
	bool json;
	bool stacks;
	struct ksyms *ksyms;
	uint64_t start_ts;
	struct tracer_opts tracer;
} env = {
	.age_ns = 60000000000ULL,
	.tracer = TRACER_OPTS_DEFAULT,
};

static const char doc[] =
"Report SRO memory the realm world did not give back: what destroyed\n"
"realms kept, what the host gave up (undelegate refused), and donations\n"
"of live realms outstanding longer than --age. Printed at the end\n"
"(Ctrl-C) or every INTERVAL, COUNT times.\n"
"\v"
"Only memory donated while sroscope runs is known to it; the report says\n"
"so when it sees older memory come back, and marks itself unreliable when\n"
"the kernel dropped events it needed.\n"
"\n"
"EXAMPLES:\n"
"  sroscope leaks                 # until Ctrl-C\n"
"  sroscope leaks -a 5m 60        # every minute; live donations > 5 min\n"
"  sroscope leaks --json 10 1     # one JSON report after 10 s\n"
"  sroscope leaks -s              # and the kernel stacks that donated\n";

static const struct argp_option options[] = {
	{ "age", 'a', "DURATION", 0, "Show live donations older than this (default 60s)" },
	{ "json", 'j', NULL, 0, "The report as one JSON document" },
	{ "stacks", 's', NULL, 0, "Group by the kernel stack of each donation" },
	{},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'a':
		env.age_ns = numopt_arg(state, &numopt_age, arg);
		break;
	case 'j':
		env.json = true;
		break;
	case 's':
		env.stacks = true;
		env.tracer.capture_stacks = true;
		break;
	case ARGP_KEY_ARG:
		parse_interval_arg(state, arg, &env.iv);
		break;
	case ARGP_KEY_END:
		env.start_ts = boottime_ns();
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* Outstanding donations of one realm, operation and purpose. */
struct group {
	uint32_t realm;
	uint32_t cmd;
	uint8_t purpose;
	int32_t stack_id;	/* -1 unless --stacks */
	uint64_t bytes;
	uint64_t blocks;
	uint64_t oldest_ts;
};

static int cmp_group_key(const void *a, const void *b)
{
	const struct sro_donation *x = &((const struct donation_row *)a)->d;
	const struct sro_donation *y = &((const struct donation_row *)b)->d;

	if (x->realm != y->realm)
		return x->realm < y->realm ? -1 : 1;
	if (x->cmd != y->cmd)
		return x->cmd < y->cmd ? -1 : 1;
	if (x->purpose != y->purpose)
		return (int)x->purpose - (int)y->purpose;
	if (!env.stacks)
		return 0;
	return x->stack_id < y->stack_id ? -1 : x->stack_id > y->stack_id;
}

/*
 * Group the outstanding donations by realm, operation and purpose: those
 * of destroyed realms (@destroyed) or those of live realms older than the
 * age. Returns the number of groups in *@out (malloc'd).
 */
static size_t group_donations(const struct snapshot *s, bool destroyed,
			      struct group **out)
{
	struct donation_row *rows;
	struct group *g = NULL;
	long r;
	size_t i, n = 0, ng = 0;

	*out = NULL;
	rows = malloc((s->ndonations ? s->ndonations : 1) * sizeof(*rows));
	if (!rows)
		return 0;
	for (i = 0; i < s->ndonations; i++) {
		const struct sro_donation *d = &s->donations[i].d;

		r = snapshot_realm(s, d->realm);
		if ((r >= 0 && s->realms[r].s.destroyed_ts) != destroyed)
			continue;
		if (!destroyed && s->ts - d->ts < env.age_ns)
			continue;
		rows[n++] = s->donations[i];
	}
	qsort(rows, n, sizeof(*rows), cmp_group_key);
	for (i = 0; i < n; i++) {
		const struct sro_donation *d = &rows[i].d;

		if (!ng || cmp_group_key(&rows[i], &rows[i - 1])) {
			struct group *ng_ = realloc(g, (ng + 1) * sizeof(*g));

			if (!ng_)
				break;
			g = ng_;
			g[ng++] = (struct group){ .realm = d->realm, .cmd = d->cmd,
						  .purpose = d->purpose,
						  .stack_id = env.stacks ? d->stack_id : -1,
						  .oldest_ts = d->ts };
		}
		g[ng - 1].bytes += d->size;
		g[ng - 1].blocks++;
		if (d->ts < g[ng - 1].oldest_ts)
			g[ng - 1].oldest_ts = d->ts;
	}
	free(rows);
	*out = g;
	return ng;
}

/* "none", "partial" or "all": how much of its memory a realm returned. */
static const char *returned_word(const struct sro_realm_stats *r,
				 uint64_t unreturned)
{
	if (!unreturned)
		return "all";
	return unreturned < src_sum(r->donated) ? "partial" : "none";
}

/* The kernel stack of a group, symbolized, as a JSON array. */
static struct json_object *jstack(struct tracer *t, int id)
{
	struct json_object *a = json_object_new_array();
	uint64_t ips[SRO_STACK_DEPTH];
	char name[160];
	int n, i;

	n = tracer_stack(t, id, ips, SRO_STACK_DEPTH);
	for (i = 0; i < n; i++) {
		ksyms_name(env.ksyms, ips[i], name, sizeof(name));
		/* The tracing machinery on top says nothing: start below it. */
		if (!json_object_array_length(a) &&
		    (!strncmp(name, "bpf_prog_", 9) ||
		     !strncmp(name, "bpf_trace_run", 13) ||
		     !strncmp(name, "__traceiter_", 12) ||
		     !strncmp(name, "__bpf_trace_", 12)))
			continue;
		json_object_array_add(a, json_object_new_string(name));
	}
	return a;
}

static struct json_object *jgroup(const struct group *g, uint64_t now,
				  struct tracer *t)
{
	struct json_object *o = json_object_new_object();
	char buf[16];

	json_object_object_add(o, "realm", json_object_new_uint64(g->realm));
	json_object_object_add(o, "cmd", json_object_new_string(
		sro_cmd_name(g->cmd, buf, sizeof(buf))));
	json_object_object_add(o, "purpose", json_object_new_string(
		sro_purpose_name(g->purpose)));
	json_object_object_add(o, "bytes", json_object_new_uint64(g->bytes));
	json_object_object_add(o, "blocks", json_object_new_uint64(g->blocks));
	json_object_object_add(o, "oldest_age_ns",
			       json_object_new_uint64(now - g->oldest_ts));
	if (env.stacks)
		json_object_object_add(o, "stack", jstack(t, g->stack_id));
	return o;
}

static struct json_object *jlosses(const struct snapshot *s)
{
	struct json_object *o = json_object_new_object();
	int i;

	for (i = 0; i < SRO_LOSS_NR; i++)
		json_object_object_add(o, sro_loss_key(i),
				       json_object_new_uint64(s->losses[i]));
	json_object_object_add(o, "recursion_misses",
			       json_object_new_uint64(s->recursion_misses));
	return o;
}

/* The whole report as JSON; the text form is printed from it too. */
static struct json_object *build_report(const struct snapshot *s,
					struct tracer *t)
{
	struct json_object *rep = json_object_new_object();
	struct json_object *dest = json_object_new_array();
	struct json_object *given = json_object_new_array();
	struct json_object *held = json_object_new_array();
	uint64_t unreturned_total = 0, given_total = 0, held_total = 0;
	struct group *g;
	size_t ng, i, j;

	ng = group_donations(s, true, &g);
	for (i = 0; i < s->nrealms; i++) {
		const struct sro_realm_stats *r = &s->realms[i].s;
		struct json_object *o, *ops;
		uint64_t un = 0, blocks = 0;

		if (!r->destroyed_ts)
			continue;
		ops = json_object_new_array();
		for (j = 0; j < ng; j++) {
			if (g[j].realm != s->realms[i].realm)
				continue;
			un += g[j].bytes;
			blocks += g[j].blocks;
			json_object_array_add(ops, jgroup(&g[j], s->ts, t));
		}
		if (!un) {
			json_object_put(ops);
			continue;
		}
		unreturned_total += un;
		o = json_object_new_object();
		json_object_object_add(o, "realm", json_object_new_uint64(s->realms[i].realm));
		json_object_object_add(o, "donated_bytes", json_object_new_uint64(src_sum(r->donated)));
		json_object_object_add(o, "returned_bytes", json_object_new_uint64(src_sum(r->donated) - un));
		json_object_object_add(o, "unreturned_bytes", json_object_new_uint64(un));
		json_object_object_add(o, "unreturned_blocks", json_object_new_uint64(blocks));
		json_object_object_add(o, "returned", json_object_new_string(returned_word(r, un)));
		json_object_object_add(o, "complete", json_object_new_boolean(!r->unknown_reclaims));
		json_object_object_add(o, "destroyed_age_ns", json_object_new_uint64(s->ts - r->destroyed_ts));
		json_object_object_add(o, "by_op", ops);
		json_object_array_add(dest, o);
	}
	free(g);

	for (i = 0; i < s->nrealms; i++) {
		const struct sro_realm_stats *r = &s->realms[i].s;
		struct json_object *o;

		if (!r->leaked)
			continue;
		given_total += r->leaked;
		o = json_object_new_object();
		json_object_object_add(o, "realm", json_object_new_uint64(s->realms[i].realm));
		json_object_object_add(o, "bytes", json_object_new_uint64(r->leaked));
		json_object_object_add(o, "blocks", json_object_new_uint64(r->leaks));
		json_object_array_add(given, o);
	}

	ng = group_donations(s, false, &g);
	for (j = 0; j < ng; j++) {
		held_total += g[j].bytes;
		json_object_array_add(held, jgroup(&g[j], s->ts, t));
	}
	free(g);

	json_object_object_add(rep, "reliable",
			       json_object_new_boolean(!snapshot_book_losses(s)));
	json_object_object_add(rep, "traced_ns", json_object_new_uint64(s->ts - env.start_ts));
	json_object_object_add(rep, "age_ns", json_object_new_uint64(env.age_ns));
	json_object_object_add(rep, "unreturned_bytes", json_object_new_uint64(unreturned_total));
	json_object_object_add(rep, "given_up_bytes", json_object_new_uint64(given_total));
	json_object_object_add(rep, "held_over_age_bytes", json_object_new_uint64(held_total));
	json_object_object_add(rep, "destroyed", dest);
	json_object_object_add(rep, "given_up", given);
	json_object_object_add(rep, "held", held);
	json_object_object_add(rep, "losses", jlosses(s));
	return rep;
}

static uint64_t ju(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) ? json_object_get_uint64(v) : 0;
}

static const char *js(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) ? json_object_get_string(v) : "";
}

static struct json_object *jget(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

/* One group's line; @indent instead of the realm for a realm's sub-rows. */
static void print_group(struct json_object *g, const char *indent)
{
	struct json_object *stack = NULL;
	char b[32], t[32], realm[16];
	size_t i;

	if (!indent)
		snprintf(realm, sizeof(realm), "  %-8llu", (unsigned long long)ju(g, "realm"));
	printf("%s %-20s %-8s %6llu %12s  oldest %s\n", indent ? indent : realm,
	       js(g, "cmd"), js(g, "purpose"),
	       (unsigned long long)ju(g, "blocks"),
	       format_bytes(b, sizeof(b), ju(g, "bytes")),
	       format_ns(t, sizeof(t), ju(g, "oldest_age_ns")));
	json_object_object_get_ex(g, "stack", &stack);
	for (i = 0; stack && i < json_object_array_length(stack); i++)
		printf("%*s%s\n", 14, "",
		       json_object_get_string(json_object_array_get_idx(stack, i)));
}

static void print_text(struct json_object *rep, const struct snapshot *s)
{
	struct json_object *a = jget(rep, "destroyed"), *o;
	char b1[32], b2[32], b3[32];
	size_t i, j;

	printf("SRO leak report after %s of tracing: %s\n",
	       format_ns(b1, sizeof(b1), ju(rep, "traced_ns")),
	       json_object_get_boolean(jget(rep, "reliable")) ? "complete" :
	       "UNRELIABLE, the kernel dropped events the books need");
	printf("\nNot returned at realm destroy: %s\n",
	       format_bytes(b1, sizeof(b1), ju(rep, "unreturned_bytes")));
	if (json_object_array_length(a))
		printf("  %-8s %12s %12s %12s %7s  %s\n", "REALM", "DONATED",
		       "RETURNED", "UNRETURNED", "BLOCKS", "RETURN");
	for (i = 0; i < json_object_array_length(a); i++) {
		struct json_object *ops;

		o = json_object_array_get_idx(a, i);
		printf("  %-8llu %12s %12s %12s %7llu  %s%s\n",
		       (unsigned long long)ju(o, "realm"),
		       format_bytes(b1, sizeof(b1), ju(o, "donated_bytes")),
		       format_bytes(b2, sizeof(b2), ju(o, "returned_bytes")),
		       format_bytes(b3, sizeof(b3), ju(o, "unreturned_bytes")),
		       (unsigned long long)ju(o, "unreturned_blocks"),
		       js(o, "returned"),
		       json_object_get_boolean(jget(o, "complete")) ? "" :
		       " (realm older than this trace: incomplete)");
		ops = jget(o, "by_op");
		for (j = 0; j < json_object_array_length(ops); j++)
			print_group(json_object_array_get_idx(ops, j), "           ");
	}
	a = jget(rep, "given_up");
	printf("\nGiven up by the host (the RMM refused to undelegate): %s\n",
	       format_bytes(b1, sizeof(b1), ju(rep, "given_up_bytes")));
	for (i = 0; i < json_object_array_length(a); i++) {
		o = json_object_array_get_idx(a, i);
		printf("  realm %-8llu %12s in %llu blocks\n",
		       (unsigned long long)ju(o, "realm"),
		       format_bytes(b1, sizeof(b1), ju(o, "bytes")),
		       (unsigned long long)ju(o, "blocks"));
	}
	a = jget(rep, "held");
	printf("\nHeld by live realms for more than %s: %s\n",
	       format_ns(b1, sizeof(b1), ju(rep, "age_ns")),
	       format_bytes(b2, sizeof(b2), ju(rep, "held_over_age_bytes")));
	if (json_object_array_length(a))
		printf("  %-8s %-20s %-8s %6s %12s\n", "REALM", "OPERATION",
		       "PURPOSE", "BLOCKS", "BYTES");
	for (i = 0; i < json_object_array_length(a); i++)
		print_group(json_object_array_get_idx(a, i), NULL);
	if (s->losses[SRO_LOSS_UNKNOWN_RECLAIM])
		printf("\nNote: %llu blocks donated before sroscope started came back; "
		       "older donations are not in this report.\n",
		       (unsigned long long)s->losses[SRO_LOSS_UNKNOWN_RECLAIM]);
	snapshot_print_losses(stdout, s);
}

static void report(const struct snapshot *cur, const struct snapshot *prev,
		   void *ctx)
{
	struct json_object *rep;

	if (env.stacks && !env.ksyms)
		env.ksyms = ksyms_load();	/* NULL: addresses in hex */
	rep = build_report(cur, ctx);

	if (env.json) {
		puts(json_object_to_json_string_ext(rep, JSON_C_TO_STRING_PRETTY));
	} else {
		if (timestamps) {
			print_time(stdout);
			putchar('\n');
		}
		print_text(rep, cur);
	}
	json_object_put(rep);
}

int cmd_leaks(int argc, char **argv)
{
	const struct report_command c = {
		.name = "leaks", .opts = &env.tracer,
		.options = options, .parser = parse_opt,
		.doc = doc, .iv = &env.iv, .what = SNAP_DONATIONS, .report = report,
	};

	return run_report_command(&c, argc, argv);
}
