// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The exporter's --listen parser and the address it reports
 * (user/export/httpd.c): every port is 1 to 65535 in digits, nothing wraps, and
 * the address printed is the one the kernel bound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "httpd.h"

static unsigned int port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

static void test_valid(void **state)
{
	static const struct {
		const char *spec;
		int family;
		unsigned int port;
	} ok[] = {
		{ "127.0.0.1:29435", AF_INET, 29435 },
		{ "0.0.0.0:1", AF_INET, 1 },
		{ ":65535", AF_INET, 65535 },
		{ "[::1]:9500", AF_INET6, 9500 },
		{ "[::]:80", AF_INET6, 80 },
		{ "127.0.0.1:08080", AF_INET, 8080 },	/* leading zeros: digits */
	};
	struct sockaddr_storage ss;
	socklen_t len;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memset(&ss, 0, sizeof(ss));
		assert_int_equal(httpd_parse_listen(ok[i].spec, &ss, &len), 0);
		assert_int_equal(ss.ss_family, ok[i].family);
		assert_int_equal(port_of(&ss), ok[i].port);
	}
}

/* Each of @specs is refused with @err. */
static void expect_refused(const char *const *specs, size_t n, int err)
{
	struct sockaddr_storage ss;
	socklen_t len;
	size_t i;

	for (i = 0; i < n; i++) {
		print_message("%s\n", specs[i]);
		assert_int_equal(httpd_parse_listen(specs[i], &ss, &len), err);
	}
}

static void test_bad_port(void **state)
{
	/* Each used to wrap, be read past, or be taken as something else. */
	static const char *const bad[] = {
		"127.0.0.1:99999", "127.0.0.1:65536", "127.0.0.1:0",
		"127.0.0.1:-1", "127.0.0.1:+80", "127.0.0.1: 80", "127.0.0.1:80 ",
		"127.0.0.1:0x50", "127.0.0.1:9435a", "127.0.0.1:", ":",
		"[::1]:100000", "127.0.0.1:4294967297", "127.0.0.1:http",
	};

	expect_refused(bad, sizeof(bad) / sizeof(bad[0]), -ERANGE);
}

static void test_bad_address(void **state)
{
	char big[300];
	static const char *const bad[] = {
		"nowhere", "localhost:29435", "::1:29435", "[::1:29435", "::1]:29435",
		"[]:29435", "256.0.0.1:29435", "[127.0.0.1]:29435",
		"", "29435",
	};
	const char *const toolong[] = { big };

	expect_refused(bad, sizeof(bad) / sizeof(bad[0]), -EINVAL);
	/* Too long for the parser: refused, not cut short and re-read. */
	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "127.0.0.1:", 10);
	expect_refused(toolong, 1, -EINVAL);
}

/* The address reported is the socket's, port included. */
static void test_local_address(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char buf[64], want[64];
	int fd;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);	/* port 0: the kernel picks */
	fd = httpd_listen((struct sockaddr_storage *)&a, sizeof(a));
	assert_true(fd >= 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	assert_int_not_equal(port_of(&ss), 0);
	snprintf(want, sizeof(want), "127.0.0.1:%u", port_of(&ss));
	assert_int_equal(httpd_local_address(fd, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
	assert_int_equal(httpd_local_address(fd, buf, 8), -ENOSPC);
	close(fd);
	assert_int_equal(httpd_local_address(fd, buf, sizeof(buf)), -EBADF);
}

static void test_local_address_v6(void **state)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6 };
	char buf[64];
	int fd;

	a.sin6_addr = in6addr_loopback;
	fd = httpd_listen((struct sockaddr_storage *)&a, sizeof(a));
	if (fd < 0)
		skip();		/* no IPv6 here */
	assert_int_equal(httpd_local_address(fd, buf, sizeof(buf)), 0);
	assert_memory_equal(buf, "[::1]:", 6);
	assert_true(strlen(buf) > 6);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_bad_port),
		cmocka_unit_test(test_bad_address),
		cmocka_unit_test(test_local_address),
		cmocka_unit_test(test_local_address_v6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
