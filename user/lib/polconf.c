// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The policy supervisor's configuration file (user/lib/polconf.h). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numopt.h"
#include "polconf.h"

#define SEC		1000000000ULL
#define MAX_FILE	(64 * 1024)
#define MAX_LINE	1024

enum kind { K_POLICY, K_NUMBER, K_RATIO, K_BOOL };

static const struct numopt opt_interval = {
	"interval", NUMOPT_DURATION, 100000000, 3600 * SEC };
static const struct numopt opt_window = {
	"window", NUMOPT_DURATION, 100000000, 24 * 3600 * SEC };
static const struct numopt opt_min_requests = {
	"min_requests", NUMOPT_NUMBER, 1, 1000000000 };
static const struct numopt opt_max_invalid = {
	"max_invalid", NUMOPT_NUMBER, 0, 1000000000 };
static const struct numopt opt_max_mean_latency = {
	"max_mean_latency", NUMOPT_DURATION, 0, 3600 * SEC };
static const struct numopt opt_backoff_initial = {
	"backoff_initial", NUMOPT_DURATION, 100000000, 24 * 3600 * SEC };
static const struct numopt opt_backoff_max = {
	"backoff_max", NUMOPT_DURATION, 100000000, 7 * 24 * 3600 * SEC };

#define AT(f)	offsetof(struct polconf, f)
static const struct {
	const char *name;
	enum kind kind;
	size_t off;
	const struct numopt *num;	/* K_NUMBER */
} keys[PC_NR] = {
	[PC_PREFERRED] = { "preferred", K_POLICY, AT(preferred) },
	[PC_SAFE] = { "safe", K_POLICY, AT(safe) },
	[PC_INTERVAL] = { "interval", K_NUMBER, AT(interval_ns), &opt_interval },
	[PC_WINDOW] = { "window", K_NUMBER, AT(window_ns), &opt_window },
	[PC_MIN_REQUESTS] = { "min_requests", K_NUMBER, AT(min_requests),
			      &opt_min_requests },
	[PC_MAX_INVALID] = { "max_invalid", K_NUMBER, AT(max_invalid),
			     &opt_max_invalid },
	[PC_MAX_FALLBACK_RATIO] = { "max_fallback_ratio", K_RATIO,
				    AT(max_fallback_ratio) },
	[PC_MAX_FAIL_RATIO] = { "max_fail_ratio", K_RATIO, AT(max_fail_ratio) },
	[PC_MAX_MEAN_LATENCY] = { "max_mean_latency", K_NUMBER,
				  AT(max_mean_latency_ns), &opt_max_mean_latency },
	[PC_BACKOFF_INITIAL] = { "backoff_initial", K_NUMBER,
				 AT(backoff_initial_ns), &opt_backoff_initial },
	[PC_BACKOFF_MAX] = { "backoff_max", K_NUMBER, AT(backoff_max_ns),
			     &opt_backoff_max },
	[PC_TAKEOVER] = { "takeover", K_BOOL, AT(takeover) },
};

const char *polconf_key_name(enum polconf_key key)
{
	return key < PC_NR ? keys[key].name : "?";
}

void polconf_defaults(struct polconf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->preferred, sizeof(c->preferred), "adaptive");
	snprintf(c->safe, sizeof(c->safe), "exact");
	c->interval_ns = SEC;
	c->window_ns = 30 * SEC;
	c->min_requests = 20;
	c->max_invalid = 0;
	c->max_fallback_ratio = 0.5;
	c->max_fail_ratio = 0.5;
	c->max_mean_latency_ns = 0;
	c->backoff_initial_ns = 30 * SEC;
	c->backoff_max_ns = 30 * 60 * SEC;
	c->takeover = false;
}

/* "PATH:LINE: " and the message, into @msg; -EINVAL. */
static int bad(char *msg, size_t len, const char *path, int line,
	       const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(msg, len, "%s:%d: ", path, line);
	if (n < 0 || (size_t)n >= len)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg + n, len - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int key_of(const char *name)
{
	int i;

	for (i = 0; i < PC_NR; i++)
		if (!strcmp(name, keys[i].name))
			return i;
	return -1;
}

static int set_value(struct polconf *c, int k, const char *v, const char *path,
		     int line, char *msg, size_t len)
{
	char nmsg[NUMOPT_MSG_LEN], *end;
	void *at = (char *)c + keys[k].off;
	double d;

	switch (keys[k].kind) {
	case K_POLICY:
		if (strlen(v) >= PATH_MAX || strpbrk(v, " \t"))
			return bad(msg, len, path, line,
				   "invalid %s '%s': a policy name (sroscope policy list) or the path of a FILE.bpf.o, without spaces, is expected",
				   keys[k].name, v);
		snprintf(at, PATH_MAX, "%s", v);
		return 0;
	case K_NUMBER:
		if (numopt_parse(keys[k].num, v, at, nmsg, sizeof(nmsg)))
			return bad(msg, len, path, line, "%s", nmsg);
		return 0;
	case K_RATIO:
		errno = 0;
		d = strtod(v, &end);
		if (errno || end == v || *end || !(d >= 0 && d <= 1))
			return bad(msg, len, path, line,
				   "invalid %s '%s': a number from 0 to 1 is expected (0.25 for a quarter; 1: no limit)",
				   keys[k].name, v);
		*(double *)at = d;
		return 0;
	case K_BOOL:
		if (strcmp(v, "yes") && strcmp(v, "no"))
			return bad(msg, len, path, line,
				   "invalid %s '%s': yes or no is expected",
				   keys[k].name, v);
		*(bool *)at = !strcmp(v, "yes");
		return 0;
	}
	return -EINVAL;
}

/* @s without the blanks around it, in place. */
static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* What no single line can say: the keys against each other. */
static int check(const struct polconf *c, char *msg, size_t len)
{
	char a[32], b[32];
	int line;

	if (!strcmp(c->preferred, c->safe)) {
		line = c->line[PC_SAFE] ?: c->line[PC_PREFERRED];
		return bad(msg, len, c->path, line,
			   "safe '%s' is the preferred policy: the safe policy must be another one (default: exact)",
			   c->safe);
	}
	if (c->window_ns < c->interval_ns ||
	    c->window_ns / c->interval_ns > POLCONF_MAX_SAMPLES) {
		line = c->line[PC_WINDOW] ?: c->line[PC_INTERVAL];
		snprintf(a, sizeof(a), "%gs", c->window_ns / 1e9);
		snprintf(b, sizeof(b), "%gs", c->interval_ns / 1e9);
		return bad(msg, len, c->path, line,
			   "window %s against interval %s: the window must hold from 1 to %d intervals",
			   a, b, POLCONF_MAX_SAMPLES);
	}
	if (c->backoff_max_ns < c->backoff_initial_ns) {
		line = c->line[PC_BACKOFF_MAX] ?: c->line[PC_BACKOFF_INITIAL];
		snprintf(a, sizeof(a), "%gs", c->backoff_max_ns / 1e9);
		snprintf(b, sizeof(b), "%gs", c->backoff_initial_ns / 1e9);
		return bad(msg, len, c->path, line,
			   "backoff_max %s is below backoff_initial %s: it must be at least as long",
			   a, b);
	}
	return 0;
}

int polconf_parse(const char *path, const char *text, size_t len,
		  struct polconf *c, char *msg, size_t msglen)
{
	char buf[MAX_LINE + 1], *s, *eq, *key, *val, *hash;
	size_t i = 0, l;
	int line = 0, k, err;

	polconf_defaults(c);
	snprintf(c->path, sizeof(c->path), "%s", path);
	while (i < len) {
		line++;
		for (l = 0; i < len && text[i] != '\n'; i++, l++)
			if (l < MAX_LINE)
				buf[l] = text[i];
		i++;
		if (l > MAX_LINE)
			return bad(msg, msglen, path, line,
				   "line longer than %d characters", MAX_LINE);
		buf[l] = '\0';
		if (memchr(buf, '\0', l))
			return bad(msg, msglen, path, line,
				   "a NUL byte: not a text file");
		hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		s = trim(buf);
		if (!*s)
			continue;
		eq = strchr(s, '=');
		if (!eq)
			return bad(msg, msglen, path, line,
				   "'%s' is not a setting: KEY = VALUE is expected",
				   s);
		*eq = '\0';
		key = trim(s);
		val = trim(eq + 1);
		k = key_of(key);
		if (k < 0)
			return bad(msg, msglen, path, line,
				   "unknown key '%s': expected preferred, safe, interval, window, min_requests, max_invalid, max_fallback_ratio, max_fail_ratio, max_mean_latency, backoff_initial, backoff_max or takeover",
				   key);
		if (c->line[k])
			return bad(msg, msglen, path, line,
				   "%s set again (first on line %d): once is expected",
				   key, c->line[k]);
		if (!*val)
			return bad(msg, msglen, path, line,
				   "%s has no value: %s = VALUE is expected",
				   key, key);
		err = set_value(c, k, val, path, line, msg, msglen);
		if (err)
			return err;
		c->line[k] = line;
	}
	return check(c, msg, msglen);
}

int polconf_read(const char *path, struct polconf *c, char *msg,
		 size_t msglen)
{
	char *text;
	ssize_t n = 0, len = 0;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		snprintf(msg, msglen, "cannot read %s: %s", path,
			 strerror(-err));
		return err;
	}
	text = malloc(MAX_FILE + 1);
	if (!text) {
		close(fd);
		snprintf(msg, msglen, "%s: out of memory", path);
		return -ENOMEM;
	}
	while (len <= MAX_FILE &&
	       (n = read(fd, text + len, MAX_FILE + 1 - len)) > 0)
		len += n;
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		snprintf(msg, msglen, "cannot read %s: %s", path,
			 strerror(-err));
	else if (len > MAX_FILE)
		err = bad(msg, msglen, path, 0, "larger than %d KiB: not a configuration file",
			  MAX_FILE / 1024);
	else
		err = polconf_parse(path, text, len, c, msg, msglen);
	free(text);
	return err;
}
