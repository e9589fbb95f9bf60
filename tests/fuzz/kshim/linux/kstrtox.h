/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSHIM_LINUX_KSTRTOX_H
#define KSHIM_LINUX_KSTRTOX_H
#include <linux/types.h>
int kstrtou64(const char *s, unsigned int base, u64 *res);
#endif
