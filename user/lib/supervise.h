/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The policy supervisor (`sroscope policy supervise`, run by
 * sroscope-policy.service): keep the preferred policy of the
 * configuration (polconf.h) in charge, judge it every interval from the
 * kernel's counters (polhealth.h), swap to the safe policy when it
 * crosses a limit, try it again after a backoff that doubles each time it
 * fails again and is reset once it stays healthy for a window. A policy
 * someone else put in charge is left alone (takeover = no) until the
 * preferred one is back; with takeover = yes it is replaced.
 *
 * Each decision is one line on stderr with the numbers behind it, with
 * the priority prefix of sd-daemon(3) ("<4>") when stderr is the journal;
 * readiness goes to $NOTIFY_SOCKET (Type=notify). Policies change
 * through the policy API (policy.h), under its lock.
 */
#ifndef SROSCOPE_SUPERVISE_H
#define SROSCOPE_SUPERVISE_H

#include "polconf.h"

/*
 * Run until SIGINT or SIGTERM (handle_exit_signals()). On the way out the
 * policy the supervisor put in charge is unloaded, one it did not is
 * left. 0, or -errno when neither the preferred nor the safe policy could
 * be put in charge, or the kernel's counters cannot be read.
 */
int policy_supervise(const char *who, const struct polconf *c);

#endif
