// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: the parser of the kernel's sro/stats
 * (user/lib/kstats.c), which the exporter runs on every scrape.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kstats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kstats k;
	void *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (kstats_parse(copy, size, &k) == 0 &&
	    !memchr(k.policy, '\0', sizeof(k.policy)))
		abort();
	free(copy);
	return 0;
}
