/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Kernel addresses to "function+0xoff", from /proc/kallsyms. */
#ifndef SROSCOPE_KSYMS_H
#define SROSCOPE_KSYMS_H

#include <stddef.h>
#include <stdint.h>

struct ksyms;

/* NULL (errno set) when /proc/kallsyms cannot be read. */
struct ksyms *ksyms_load(void);
void ksyms_free(struct ksyms *k);

/* "rmi_sro_donate+0x1c", or "0xffff..." when unknown; returns @buf. */
const char *ksyms_name(const struct ksyms *k, uint64_t addr, char *buf,
		       size_t len);

#endif
