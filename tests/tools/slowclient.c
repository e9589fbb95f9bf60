// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * slowclient: HTTP clients for the exporter's limits (t-95-export.sh),
 * each from a chosen loopback source address (busybox's wget cannot bind
 * one).
 *
 *   slowclient trickle [-n CONNS] [-i SECONDS] [-d SECONDS] [-s SRC] ADDR:PORT
 *	Keep CONNS connections open for -d seconds (default 20), each
 *	sending "GET /metrics HTTP/1.1" and then one more header line every
 *	-i seconds (default 10), never the blank line that ends a request.
 *	A connection the server closes is opened again a second later. Ends
 *	with "opened N closed M longest_closed S oldest_open S".
 *
 *   slowclient get [-s SRC] [-t SECONDS] [-H BYTES] [-o FILE] ADDR:PORT [PATH]
 *	One whole request for PATH (default /metrics), with a header of
 *	BYTES bytes if -H; prints "STATUS MILLISECONDS" once the answer is
 *	read (body to FILE). Exit 1 if it is not within -t seconds
 *	(default 10).
 *
 * IPv4 only; SRC defaults to 127.0.0.1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS	1024

static struct sockaddr_in server, source = { .sin_family = AF_INET };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: slowclient trickle [-n CONNS] [-i S] [-d S] [-s SRC] ADDR:PORT\n"
		"       slowclient get [-s SRC] [-t S] [-H BYTES] [-o FILE] ADDR:PORT [PATH]\n");
	exit(2);
}

static void parse_addr(struct sockaddr_in *a, const char *s, int with_port)
{
	char host[64], *colon;

	snprintf(host, sizeof(host), "%s", s);
	colon = strrchr(host, ':');
	if (with_port) {
		if (!colon)
			usage();
		*colon = '\0';
		a->sin_port = htons(atoi(colon + 1));
	}
	a->sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &a->sin_addr) != 1) {
		fprintf(stderr, "slowclient: not an IPv4 address: %s\n", s);
		exit(2);
	}
}

/* A connection from the source address, or -1 (the reason printed). */
static int dial(double timeout_s)
{
	struct timeval tv = { .tv_sec = timeout_s,
			      .tv_usec = (timeout_s - (int)timeout_s) * 1e6 };
	int one = 1, fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	/* connect() gives up after the timeout when the backlog is full. */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(fd, (struct sockaddr *)&source, sizeof(source)) ||
	    connect(fd, (struct sockaddr *)&server, sizeof(server))) {
		close(fd);
		return -1;
	}
	return fd;
}

struct slot {
	int fd;
	double opened, next_line, retry;
	unsigned int lines;
};

static int trickle(int nconns, double interval, double duration)
{
	static const char line0[] = "GET /metrics HTTP/1.1\r\nHost: sroscope\r\n";
	static struct slot s[MAX_CONNS];
	static struct pollfd p[MAX_CONNS];
	unsigned int opened = 0, closed = 0;
	double start = now(), end = start + duration, t, longest = 0, oldest = 0;
	char buf[512];
	int i;

	for (i = 0; i < nconns; i++)
		s[i].fd = -1;
	while ((t = now()) < end) {
		double wake = end;

		for (i = 0; i < nconns; i++) {
			if (s[i].fd < 0 && t >= s[i].retry) {
				s[i].fd = dial(1.0);
				if (s[i].fd < 0) {
					s[i].retry = t + 1;
					continue;
				}
				opened++;
				s[i].opened = t;
				s[i].lines = 0;
				s[i].next_line = t + interval;
				if (send(s[i].fd, line0, sizeof(line0) - 1, MSG_NOSIGNAL) < 0)
					s[i].next_line = t;	/* noticed below */
			}
			if (s[i].fd >= 0 && t >= s[i].next_line) {
				int n = snprintf(buf, sizeof(buf), "X-Slow-%u: %d\r\n",
						 ++s[i].lines, i);

				send(s[i].fd, buf, n, MSG_NOSIGNAL);
				s[i].next_line = t + interval;
			}
			if (s[i].fd >= 0 && s[i].next_line < wake)
				wake = s[i].next_line;
			if (s[i].fd < 0 && s[i].retry < wake)
				wake = s[i].retry;
			p[i].fd = s[i].fd;	/* negative: ignored by poll */
			p[i].events = POLLIN;
			p[i].revents = 0;
		}
		if (poll(p, nconns, wake > t ? (int)((wake - t) * 1000) + 1 : 0) < 0 &&
		    errno != EINTR)
			return 1;
		t = now();
		for (i = 0; i < nconns; i++) {
			ssize_t n;

			if (s[i].fd < 0 || !p[i].revents)
				continue;
			/* An answer (an error status) is read to its end. */
			n = recv(s[i].fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (n > 0 || (n < 0 && errno == EAGAIN))
				continue;
			closed++;
			if (t - s[i].opened > longest)
				longest = t - s[i].opened;
			close(s[i].fd);
			s[i].fd = -1;
			s[i].retry = t + 1;
		}
	}
	for (i = 0; i < nconns; i++) {
		if (s[i].fd < 0)
			continue;
		if (t - s[i].opened > oldest)
			oldest = t - s[i].opened;
		close(s[i].fd);
	}
	printf("opened %u closed %u longest_closed %.1f oldest_open %.1f\n",
	       opened, closed, longest, oldest);
	return 0;
}

static int get(const char *path, double timeout, size_t header, const char *out)
{
	double start = now();
	size_t len = 0, cap = 1 << 16;
	char *req, *resp = malloc(cap);
	int fd, status = 0, n;
	FILE *f;

	req = malloc(header + 256);
	if (!req || !resp)
		return 1;
	n = sprintf(req, "GET %s HTTP/1.1\r\nHost: sroscope\r\nConnection: close\r\n", path);
	if (header) {
		n += sprintf(req + n, "X-Big: ");
		memset(req + n, 'x', header);
		n += header;
		n += sprintf(req + n, "\r\n");
	}
	n += sprintf(req + n, "\r\n");
	fd = dial(timeout);
	if (fd < 0) {
		fprintf(stderr, "slowclient: cannot connect: %s\n", strerror(errno));
		return 1;
	}
	/* Short reads, so that the deadline below is kept. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO,
		   &(struct timeval){ .tv_usec = 200000 }, sizeof(struct timeval));
	if (send(fd, req, n, MSG_NOSIGNAL) != n) {
		/* Refused mid-request: what was answered is still read. */
		shutdown(fd, SHUT_WR);
	}
	for (;;) {
		ssize_t r;

		if (now() - start > timeout) {
			fprintf(stderr, "slowclient: no whole answer in %.0f s\n", timeout);
			return 1;
		}
		if (len == cap) {
			cap *= 2;
			resp = realloc(resp, cap);
			if (!resp)
				return 1;
		}
		r = recv(fd, resp + len, cap - len, 0);
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (len)	/* reset after the answer */
				break;
			fprintf(stderr, "slowclient: %s\n", strerror(errno));
			return 1;
		}
		len += r;
	}
	close(fd);
	if (len < 12 || sscanf(resp, "HTTP/1.%*c %d", &status) != 1) {
		fprintf(stderr, "slowclient: no status line in %zu bytes\n", len);
		return 1;
	}
	printf("%d %.0f\n", status, (now() - start) * 1000);
	if (out) {
		char *body = memmem(resp, len, "\r\n\r\n", 4);

		f = fopen(out, "w");
		if (!f)
			return 1;
		if (body)
			fwrite(body + 4, 1, resp + len - body - 4, f);
		fclose(f);
	}
	free(resp);
	free(req);
	return 0;
}

int main(int argc, char **argv)
{
	double interval = 10, duration = 20, timeout = 10;
	const char *mode, *out = NULL;
	size_t header = 0;
	int nconns = 64, c;

	if (argc < 2)
		usage();
	mode = argv[1];
	argv++;
	argc--;
	source.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	while ((c = getopt(argc, argv, "n:i:d:s:t:H:o:")) != -1) {
		switch (c) {
		case 'n': nconns = atoi(optarg); break;
		case 'i': interval = atof(optarg); break;
		case 'd': duration = atof(optarg); break;
		case 't': timeout = atof(optarg); break;
		case 'H': header = strtoul(optarg, NULL, 10); break;
		case 'o': out = optarg; break;
		case 's': parse_addr(&source, optarg, 0); break;
		default: usage();
		}
	}
	if (optind >= argc || nconns < 1 || nconns > MAX_CONNS ||
	    interval <= 0 || timeout <= 0 || header > (64 << 20))
		usage();
	parse_addr(&server, argv[optind], 1);
	if (!strcmp(mode, "trickle"))
		return trickle(nconns, interval, duration);
	if (!strcmp(mode, "get"))
		return get(optind + 1 < argc ? argv[optind + 1] : "/metrics",
			   timeout, header, out);
	usage();
	return 2;
}
