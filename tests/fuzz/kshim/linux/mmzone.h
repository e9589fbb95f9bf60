/* SPDX-License-Identifier: GPL-2.0 */
/* What rmm_emu_parse.c takes from <linux/mmzone.h>: 4 KiB pages' default. */
#ifndef KSHIM_LINUX_MMZONE_H
#define KSHIM_LINUX_MMZONE_H

#define MAX_PAGE_ORDER	10

#endif
