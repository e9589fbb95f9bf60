/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel's per-realm accounts (realms.h) as metrics: complete since
 * boot whenever sroscope started, and each realm's owner (VMM process,
 * cgroup, systemd unit) as an info series to join on "realm".
 */
#ifndef SROSCOPE_REALM_METRICS_H
#define SROSCOPE_REALM_METRICS_H

#include <stddef.h>
#include <stdio.h>

#include "realms.h"

/*
 * Default for --realm-series: realms given series of their own; the
 * rest, least interesting first (live, holding least), are summed under
 * realm="other", so a host with many short-lived realms keeps a bounded
 * number of series.
 */
#define REALM_SERIES_DEFAULT	200

/*
 * Write the families of @a (NULL or !present: only
 * sroscope_kernel_realm_accounts_up 0), at most @max realms by name.
 */
void realm_metrics_write(FILE *f, const struct realm_accts *a, size_t max);

#endif
