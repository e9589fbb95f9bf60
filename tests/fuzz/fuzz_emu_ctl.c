// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the emulated RMM's control-command parser
 * (drivers/firmware/arm_rmm/rmm_emu_parse.c of the kernel series, built
 * here against tests/fuzz/kshim/), fed what a write() to its debugfs file
 * may carry: up to 256 bytes, cut at the first NUL.
 *
 * Beyond not crashing, a command it accepts must be what the runner
 * relies on (a known command, a realm id in range, every number within
 * its ceiling, a fault name that is one word), and must parse back to itself when
 * written out again in canonical form.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmm_emu_parse.h"

#define MAX_WRITE	256	/* emu_ctl_write() refuses more */
#define MAX_REALMS	64

static void check(const struct emu_ctl_cmd *c)
{
	unsigned int i;

	if (c->op >= EMU_CTL_NR || c->nargs > EMU_CTL_MAX_ARGS ||
	    !emu_ctl_name(c->op))
		abort();
	if (emu_ctl_takes_realm(c->op) && c->arg[0] >= MAX_REALMS)
		abort();
	if (c->op == EMU_CTL_FAULT &&
	    (!c->word || !*c->word || strpbrk(c->word, " \t\n")))
		abort();
	if (c->op != EMU_CTL_FAULT && c->word)
		abort();
	/* Every number within its ceiling: nothing left to clamp. */
	for (i = c->word ? 1 : 0; i < c->nargs; i++)
		if (c->arg[i] > emu_ctl_arg_max(c->op, i, MAX_REALMS))
			abort();
}

/* @c written out as a canonical command line. */
static void unparse(const struct emu_ctl_cmd *c, char *buf, size_t len)
{
	size_t n = snprintf(buf, len, "%s", emu_ctl_name(c->op));
	unsigned int i;

	for (i = 0; i < c->nargs && n < len; i++) {
		if (i == 0 && c->word)
			n += snprintf(buf + n, len - n, " %s", c->word);
		else
			n += snprintf(buf + n, len - n, " %llu",
				      (unsigned long long)c->arg[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[MAX_WRITE + 1], again[MAX_WRITE * 2];
	struct emu_ctl_cmd c, d;
	int ret;

	if (size > MAX_WRITE)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	ret = emu_ctl_parse(line, MAX_REALMS, &c);
	if (ret) {
		if (ret != -EINVAL && ret != -E2BIG && ret != -ERANGE)
			abort();
		return 0;
	}
	check(&c);
	unparse(&c, again, sizeof(again));
	if (emu_ctl_parse(again, MAX_REALMS, &d) || d.op != c.op ||
	    d.nargs != c.nargs || (c.word && strcmp(c.word, d.word)) ||
	    memcmp(c.arg, d.arg, sizeof(c.arg)))
		abort();
	return 0;
}
