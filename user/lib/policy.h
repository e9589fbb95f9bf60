/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The BPF allocation policy of the SRO host path (struct sro_policy_ops):
 * find one by name, load, swap and unload it, and say which one is in
 * charge. `sroscope policy` renders these; `sroscope replay` loads and
 * unloads with them.
 *
 * A policy is attached through a BPF link pinned at POLICY_PIN (mode
 * 0600), so it stays in charge after the process exits. The directory
 * must be root's alone. A swap replaces the policy atomically with
 * BPF_LINK_UPDATE and BPF_F_REPLACE on that link: requests never see a
 * moment without a policy. load, swap, cycle and unload hold a lock on
 * the directory while they read and change the pin, so that two of them
 * never act on the same policy; unload detaches the link itself, so that
 * another tool still holding it fails to update it instead of succeeding
 * on a link that is about to go.
 *
 * Every function returns 0 or -errno. What goes wrong is said on stderr,
 * each message starting with @who ("sroscope policy"); nothing else is
 * printed.
 */
#ifndef SROSCOPE_POLICY_H
#define SROSCOPE_POLICY_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "common.h"
#include "kstats.h"

#define POLICY_PIN		SROSCOPE_PIN_DIR "/policy"
#define POLICY_NAME_LEN		16	/* BPF_OBJ_NAME_LEN: its map's name */
#define POLICY_CYCLE_MAX	8	/* policies one cycle swaps between */

/*
 * @arg as the file to load into @path: a path (it has a '/' or ends in
 * .bpf.o) as it is, or a name, NAME.bpf.o in $SROSCOPE_POLICY_DIR, then
 * <prefix>/lib/sroscope/policies next to this binary, then
 * /usr/lib/sroscope/policies. -ENOENT: no policy of that name.
 */
int policy_resolve(const char *who, const char *arg, char *path, size_t len);

/*
 * The shipped policies: @fn for each NAME.bpf.o of the first of those
 * directories that has any. How many there were.
 */
typedef void (*policy_shipped_fn)(const char *name, const char *path,
				   void *ctx);
int policy_shipped(policy_shipped_fn fn, void *ctx);

/* The policy behind the pinned link. */
struct policy_pinned {
	char name[POLICY_NAME_LEN];	/* its struct_ops map's; "?": unknown */
	__u32 map_id;
};

/*
 * The pinned policy, to look at: no lock taken, nothing created.
 * -ENOENT: none pinned; -ENOLINK: the pin's link was detached by another
 * tool. Only a pin directory that cannot be trusted is said.
 */
int policy_pinned(const char *who, struct policy_pinned *p);

/* What policy_load() loaded. */
struct policy_loaded {
	char name[POLICY_NAME_LEN];	/* its struct_ops map's */
	char path[PATH_MAX];
	__u32 map_id;			/* what policy_pinned() now reports */
};

/*
 * Load the policy @arg (a name or a FILE.bpf.o, policy_resolve()),
 * attach it and pin its link. -EEXIST: a policy is loaded already (swap
 * it); -EBUSY: another tool's policy is attached.
 */
int policy_load(const char *who, const char *arg, struct policy_loaded *l);

/* What policy_swap() did. */
struct policy_swapped {
	char old[POLICY_NAME_LEN];	/* the policy replaced */
	char name[POLICY_NAME_LEN];	/* the one in charge now */
	__u32 map_id;			/* its struct_ops map */
	uint64_t ns;			/* the link update took */
	bool was_gone;			/* old was detached: name just loaded */
	bool prepared;			/* a prepared copy: nothing loaded */
	bool same;			/* it was in charge: nothing done */
};

/*
 * Put the policy @arg in charge of the pinned link in place of the one
 * there, atomically. Loading a policy (parsing the kernel's BTF, the
 * verifier) is most of a swap's time, so each policy loaded by load or
 * swap is kept prepared in the pin directory (ready-DIGEST, at most
 * READY_MAX, by the object's content) and a later swap to the same
 * object reuses it, maps included; unload drops them all.
 */
int policy_swap(const char *who, const char *arg, struct policy_swapped *s);

/*
 * Put the policy @arg in charge however things stand: policy_swap() when
 * a policy is pinned, else policy_load() (then @s->was_gone, @s->old
 * "default"). For the supervisor and restore-default.
 */
int policy_put(const char *who, const char *arg, struct policy_swapped *s);

/*
 * Detach the pinned policy and remove its pin: the kernel's built-in
 * default takes over. @was: the policy unloaded (may be NULL).
 */
int policy_unload(const char *who, struct policy_pinned *was);

/*
 * policy_unload(), only if the policy in charge is still the struct_ops
 * map @map_id (checked under the lock): -ESTALE, said by nobody, when
 * another is in charge, so that a supervisor leaves a policy someone
 * else put in charge alone.
 */
int policy_unload_if(const char *who, __u32 map_id, struct policy_pinned *was);

/*
 * The struct_ops map id of the prepared copy of the policy @arg (a name
 * or a FILE.bpf.o), which is what policy_pinned() reports while that copy
 * is in charge. -ENOENT: none prepared (nothing said); other errors (no
 * such policy, unreadable file) are said.
 */
int policy_prepared_id(const char *who, const char *arg, __u32 *map_id);

/* What policy_cycle() measured. */
struct policy_cycled {
	int policies;
	uint64_t p50_ns, p99_ns, max_ns;	/* of one swap; 0 without swaps */
	char now[POLICY_NAME_LEN];		/* in charge at the end */
};

/*
 * Load each policy of the comma-separated @list (at most
 * POLICY_CYCLE_MAX) once, then swap between them @count times on the
 * pinned link, round robin, timing each swap: what a host pays to change
 * policy, without loading and verifying one each time. A policy must be
 * loaded already.
 */
int policy_cycle(const char *who, const char *list, unsigned long count,
		 struct policy_cycled *c);

/* The policy in charge as the kernel counts it, and the pin. */
struct policy_status {
	struct kstats k;		/* policy, since, decisions, swaps... */
	bool pinned;
	struct policy_pinned pin;
};

/* -ENOENT: no sro/stats (a kernel without the series, or no debugfs). */
int policy_status(const char *who, struct policy_status *st);

#endif
