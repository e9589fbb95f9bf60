/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSHIM_LINUX_SIZES_H
#define KSHIM_LINUX_SIZES_H
#define SZ_1G	0x40000000
#endif
