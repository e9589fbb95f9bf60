// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "kstats.h"

static bool parse_value(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !errno && !*end;
}

/* Scalar keys and where they go. */
#define KS(name) { #name, offsetof(struct kstats, name) }
static const struct {
	const char *key;
	size_t off;
} scalars[] = {
	KS(policy_since_ns), KS(policy_swaps), KS(policy_fallbacks),
	KS(policy_invalid), KS(held_bytes), KS(donated_bytes),
	KS(reclaimed_bytes), KS(leaked_bytes), KS(cached_bytes),
	KS(host_bytes), KS(ops), KS(ops_failed), KS(ops_cancelled),
	KS(ops_abandoned), KS(donate_retries), KS(busy_retries),
	KS(delegate_calls), KS(undelegate_calls), KS(pool_bytes),
	KS(pool_free_bytes), KS(pool_chunk_bytes), KS(quarantined_bytes),
	KS(quarantine_retries), KS(quarantine_freed_bytes),
};

/* One line split in words; false if it is not one we know. */
static bool parse_line(char **w, int n, struct kstats *k)
{
	uint64_t v;
	size_t i;
	int src;

	if (n == 2 && !strcmp(w[0], "policy")) {
		snprintf(k->policy, sizeof(k->policy), "%s", w[1]);
		return true;
	}
	if (n == 3 && !strcmp(w[0], "policy_decisions")) {
		src = sro_source_of(w[1]);
		if (src < 0 || !parse_value(w[2], &v))
			return false;
		k->policy_decisions[src] = v;
		return true;
	}
	if (n == 4 && !strcmp(w[0], "source")) {
		src = sro_source_of(w[1]);
		if (src < 0 || !parse_value(w[3], &v))
			return false;
		if (!strcmp(w[2], "out_bytes"))
			k->src_out_bytes[src] = v;
		else if (!strcmp(w[2], "allocs"))
			k->src_allocs[src] = v;
		else if (!strcmp(w[2], "fails"))
			k->src_fails[src] = v;
		else if (!strcmp(w[2], "alloc_ns"))
			k->src_alloc_ns[src] = v;
		return true;
	}
	if (n != 2 || !parse_value(w[1], &v))
		return false;
	for (i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
		if (strcmp(w[0], scalars[i].key))
			continue;
		*(uint64_t *)((char *)k + scalars[i].off) = v;
		if (!strncmp(w[0], "pool_", 5))
			k->has_pool = true;
		return true;
	}
	return false;
}

int kstats_parse(const char *text, size_t len, struct kstats *k)
{
	char line[256], *w[5], *save, *tok;
	size_t i = 0, l;
	int n, known = 0;

	memset(k, 0, sizeof(*k));
	while (i < len) {
		for (l = 0; i < len && text[i] != '\n'; i++)
			if (l < sizeof(line) - 1)
				line[l++] = text[i];
		i++;	/* the newline */
		line[l] = '\0';
		n = 0;
		for (tok = strtok_r(line, " \t", &save); tok && n < 5;
		     tok = strtok_r(NULL, " \t", &save))
			w[n++] = tok;
		if (n && n < 5 && parse_line(w, n, k))
			known++;
	}
	return known ? 0 : -EINVAL;
}

int kstats_read_fd(int fd, struct kstats *k)
{
	char buf[64 * 1024];
	ssize_t n = 0, len = 0;

	/* A seq_file: read from the start each time. */
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	while (len < (ssize_t)sizeof(buf) &&
	       (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += n;
	if (n < 0)
		return -errno;
	return kstats_parse(buf, len, k);
}

int kstats_read(const char *path, struct kstats *k)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = kstats_read_fd(fd, k);
	close(fd);
	return err;
}
