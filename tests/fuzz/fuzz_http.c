// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: the exporter's HTTP side (user/export/httpd.c) on any bytes
 * a client could send, through libmicrohttpd as the exporter runs it; and
 * the same bytes as a --listen address. Each input is one connection over
 * a TCP connection to the server on loopback, as a scraper makes it:
 * written, half-closed, and the answer read to the end.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "httpd.h"

static const char body[] = "# HELP x X.\n# TYPE x gauge\nx 1\n";

static char *collect(void *ctx, size_t *len)
{
	char *b = strdup(body);

	*len = b ? sizeof(body) - 1 : 0;
	return b;
}

static struct httpd *server;

static void listen_spec(const uint8_t *data, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char spec[256];

	if (size >= sizeof(spec))
		size = sizeof(spec) - 1;
	memcpy(spec, data, size);
	spec[size] = '\0';
	if (!httpd_parse_listen(spec, &ss, &len) &&
	    ss.ss_family != AF_INET && ss.ss_family != AF_INET6)
		abort();
}

/* The exporter's server on 127.0.0.1, an ephemeral port, as it runs. */
static struct sockaddr_in server_addr(void)
{
	static struct sockaddr_in a;
	struct httpd_limits lim = httpd_default_limits;
	socklen_t len = sizeof(a);
	int fd;

	if (server)
		return a;
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = httpd_listen((struct sockaddr_storage *)&a, sizeof(a));
	if (fd < 0 || getsockname(fd, (struct sockaddr *)&a, &len))
		abort();
	lim.idle_s = 2;
	server = httpd_start(fd, &lim, collect, NULL);
	if (!server)
		abort();
	return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_in a, src = { .sin_family = AF_INET };
	static uint32_t conns;
	static int stalled;
	int one = 1;
	struct pollfd p;
	char buf[4096];
	size_t off = 0;
	ssize_t n;
	int s;

	listen_spec(data, size);
	a = server_addr();
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return 0;
	/*
	 * Thousands of connections a second leave as many in TIME_WAIT:
	 * from one source address the ephemeral ports run out and connect()
	 * stalls. Each comes from its own 127.x.y.z instead.
	 */
	src.sin_addr.s_addr = htonl(0x7f000000U | (++conns & 0xffffff));
	setsockopt(s, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&src, sizeof(src))) {
		close(s);
		return 0;
	}
	if (connect(s, (struct sockaddr *)&a, sizeof(a))) {
		close(s);
		return 0;
	}
	while (off < size) {
		n = write(s, data + off, size - off);
		if (n <= 0)
			break;
		off += n;
	}
	shutdown(s, SHUT_WR);
	/*
	 * The server answers and closes, or closes an idle connection after
	 * its 2 s timeout. Loopback may stall one connection now and then
	 * under this churn; a server that stops answering does so for every
	 * later one: 5 in a row without an answer in 4 s is a hang.
	 */
	p.fd = s;
	p.events = POLLIN;
	for (;;) {
		if (poll(&p, 1, 4000) != 1) {
			if (++stalled == 5)
				abort();
			break;
		}
		n = read(s, buf, sizeof(buf));
		if (n <= 0) {
			stalled = 0;
			break;
		}
	}
	close(s);
	return 0;
}
