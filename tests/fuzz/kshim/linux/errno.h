/* SPDX-License-Identifier: GPL-2.0 */
/* The errno values; glibc's <errno.h> reaches them through this name too. */
#ifndef KSHIM_LINUX_ERRNO_H
#define KSHIM_LINUX_ERRNO_H
#include <asm/errno.h>
#endif
