// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The HTTP side of `sroscope export`, on libmicrohttpd: one internal
 * thread, so scrapes are served one at a time. Read-only: GET and HEAD of
 * / and /metrics; other methods get 405, other paths 404. Apart from the
 * exporter so that tests/fuzz/fuzz_http.c can drive it with any bytes.
 *
 * Clients are held to struct httpd_limits: libmicrohttpd counts
 * connections in all and per address, bounds each connection's memory
 * and closes idle ones. It has no deadline for a whole request, which a
 * client sending one header line every few seconds never reaches the idle
 * timeout of: a second thread here (the reaper) keeps the time each
 * connection started waiting for its request and shuts the socket down
 * once the request is late. It works on a dup() of the connection's
 * socket, closed only when libmicrohttpd reports the connection closed,
 * so it never touches a descriptor reused for another connection.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpd.h"
#include "prom.h"

const struct httpd_limits httpd_default_limits = {
	.connections = 256,
	.per_client = 8,
	.request_s = 5,
	.idle_s = 10,
	.memory = 16 * 1024,
};

/* One connection, as the reaper sees it. */
struct conn {
	struct conn *prev, *next;
	int fd;				/* a dup() of its socket */
	bool waiting;			/* for a request, since @since */
	bool cut;			/* shut down by the reaper */
	struct timespec since;
};

struct httpd {
	struct MHD_Daemon *daemon;
	httpd_collect_fn collect;
	void *ctx;
	struct httpd_limits lim;
	pthread_t reaper;
	pthread_mutex_t lock;		/* the list, the flags below */
	pthread_cond_t wake;		/* CLOCK_MONOTONIC */
	struct conn *conns;
	bool stopping;
};

/* A TCP port: 1 to 65535 in decimal digits only, or -ERANGE. */
static int parse_port(const char *s, unsigned int *port)
{
	unsigned long v = 0;
	const char *p;

	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -ERANGE;
		v = v * 10 + (*p - '0');
		if (v > 65535)
			return -ERANGE;
	}
	if (p == s || v < 1)
		return -ERANGE;
	*port = v;
	return 0;
}

/*
 * "HOST:PORT", "[V6]:PORT" or ":PORT" (every address) into @ss. The port
 * is checked here: getaddrinfo() would take "99999" modulo 65536.
 */
int httpd_parse_listen(const char *spec, struct sockaddr_storage *ss,
			socklen_t *len)
{
	struct addrinfo hints = {
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
		.ai_socktype = SOCK_STREAM,
	};
	char host[128], *port;
	struct addrinfo *ai;
	unsigned int num;
	const char *h;
	int err;

	if (strlen(spec) >= sizeof(host))
		return -EINVAL;
	strcpy(host, spec);
	port = strrchr(host, ':');
	if (!port)
		return -EINVAL;
	*port++ = '\0';
	h = host;
	if (host[0] == '[') {
		if (port - host < 3 || port[-2] != ']')
			return -EINVAL;
		port[-2] = '\0';
		h = host + 1;
		if (!*h)
			return -EINVAL;
		hints.ai_family = AF_INET6;
	} else if (strchr(host, ':')) {
		return -EINVAL;		/* IPv6 needs brackets */
	} else if (*h) {
		hints.ai_family = AF_INET;	/* and only IPv6 has them */
	}
	if (parse_port(port, &num))
		return -ERANGE;
	if (!*h)
		h = NULL;
	err = getaddrinfo(h, port, &hints, &ai);
	if (err)
		return -EINVAL;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

int httpd_local_address(int fd, char *buf, size_t size)
{
	char host[INET6_ADDRSTRLEN], serv[8];
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int n;

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return -errno;
	if (getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host),
			serv, sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV))
		return -EINVAL;
	n = snprintf(buf, size, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
		     host, serv);
	return n < 0 || (size_t)n >= size ? -ENOSPC : 0;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status,
			     const char *type, char *body, size_t len,
			     enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, mode);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

#define TEXT(s)	(char *)(s), sizeof(s) - 1, MHD_RESPMEM_PERSISTENT

static const char index_html[] =
	"<html><head><title>sroscope exporter</title></head><body>"
	"<h1>sroscope exporter</h1>"
	"<p><a href=\"/metrics\">Metrics</a></p></body></html>\n";

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **req)
{
	const union MHD_ConnectionInfo *ci;
	struct httpd *h = cls;
	size_t len = 0;
	char *body;

	/* The whole request is in: no deadline while it is answered. */
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci && ci->socket_context) {
		pthread_mutex_lock(&h->lock);
		((struct conn *)ci->socket_context)->waiting = false;
		pthread_mutex_unlock(&h->lock);
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
			     TEXT("only GET and HEAD\n"));
	if (!strcmp(url, "/"))
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8",
			     TEXT(index_html));
	if (strcmp(url, "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, "text/plain",
			     TEXT("not found: try /metrics\n"));
	body = h->collect(h->ctx, &len);
	if (!body)
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain",
			     TEXT("cannot read the BPF maps\n"));
	return reply(c, MHD_HTTP_OK, PROM_CONTENT_TYPE, body, len,
		     MHD_RESPMEM_MUST_FREE);
}

int httpd_listen(const struct sockaddr_storage *ss, socklen_t len)
{
	int fd, one = 1;

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* A restart must not wait for the old connections' TIME_WAIT. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)ss, len) ||
	    listen(fd, httpd_default_limits.connections)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Connections open and close in libmicrohttpd's thread. */
static void on_connection(void *cls, struct MHD_Connection *mc,
			  void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	const union MHD_ConnectionInfo *ci;
	struct httpd *h = cls;
	struct conn *c;

	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		c = *socket_context;
		if (!c)
			return;
		pthread_mutex_lock(&h->lock);
		if (c->prev)
			c->prev->next = c->next;
		else
			h->conns = c->next;
		if (c->next)
			c->next->prev = c->prev;
		pthread_mutex_unlock(&h->lock);
		close(c->fd);
		free(c);
		*socket_context = NULL;
		return;
	}
	ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (!ci)
		return;
	c = calloc(1, sizeof(*c));
	if (c)
		c->fd = fcntl(ci->connect_fd, F_DUPFD_CLOEXEC, 0);
	if (!c || c->fd < 0) {
		/* Without a deadline it would not be served within limits. */
		shutdown(ci->connect_fd, SHUT_RDWR);
		free(c);
		return;
	}
	c->waiting = true;
	clock_gettime(CLOCK_MONOTONIC, &c->since);
	pthread_mutex_lock(&h->lock);
	c->next = h->conns;
	if (c->next)
		c->next->prev = c;
	h->conns = c;
	pthread_mutex_unlock(&h->lock);
	*socket_context = c;
}

/* A request answered: the connection may wait for the next one. */
static void on_completed(void *cls, struct MHD_Connection *mc, void **req,
			 enum MHD_RequestTerminationCode toe)
{
	const union MHD_ConnectionInfo *ci;
	struct httpd *h = cls;
	struct conn *c;

	ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (!ci || !ci->socket_context)
		return;
	c = ci->socket_context;
	pthread_mutex_lock(&h->lock);
	c->waiting = true;
	clock_gettime(CLOCK_MONOTONIC, &c->since);
	pthread_mutex_unlock(&h->lock);
}

static bool ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/*
 * Shut down the sockets of connections whose request is late: the
 * server's thread then reads their end and closes them.
 */
static void *reaper(void *arg)
{
	struct httpd *h = arg;
	struct timespec now, next;
	struct conn *c;

	pthread_mutex_lock(&h->lock);
	while (!h->stopping) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		next = now;
		next.tv_sec += h->lim.request_s;
		for (c = h->conns; c; c = c->next) {
			struct timespec due = c->since;

			if (!c->waiting || c->cut)
				continue;
			due.tv_sec += h->lim.request_s;
			if (!ts_before(&now, &due)) {
				shutdown(c->fd, SHUT_RDWR);
				c->cut = true;
			} else if (ts_before(&due, &next)) {
				next = due;
			}
		}
		pthread_cond_timedwait(&h->wake, &h->lock, &next);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

/*
 * libmicrohttpd's messages, most of them about one client's connection:
 * at most 10 a minute, so that a flood of bad clients does not flood the
 * log too. Called from its thread only.
 */
static void on_log(void *cls, const char *fmt, va_list ap)
{
	static unsigned int printed, dropped;
	static time_t window;
	time_t now = time(NULL);

	if (now - window >= 60) {
		if (dropped)
			fprintf(stderr, "sroscope: %u more HTTP server messages "
				"not shown\n", dropped);
		window = now;
		printed = dropped = 0;
	}
	if (printed++ >= 10) {
		dropped++;
		return;
	}
	fputs("sroscope: HTTP: ", stderr);
	vfprintf(stderr, fmt, ap);
}

static void stop_reaper(struct httpd *h)
{
	pthread_mutex_lock(&h->lock);
	h->stopping = true;
	pthread_cond_signal(&h->wake);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->reaper, NULL);
}

struct httpd *httpd_start(int fd, const struct httpd_limits *lim,
			  httpd_collect_fn collect, void *ctx)
{
	struct httpd *h = calloc(1, sizeof(*h));
	pthread_condattr_t ca;
	int err;

	if (!h)
		return NULL;
	h->collect = collect;
	h->ctx = ctx;
	h->lim = *lim;
	pthread_mutex_init(&h->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->wake, &ca);
	pthread_condattr_destroy(&ca);
	err = pthread_create(&h->reaper, NULL, reaper, h);
	if (err) {
		errno = err;
		goto fail;
	}
	/* poll(), not select(): descriptors past FD_SETSIZE are fine. */
	h->daemon = MHD_start_daemon(MHD_USE_POLL_INTERNAL_THREAD |
				     MHD_USE_ERROR_LOG, 0, NULL, NULL,
				     on_request, h,
				     MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL,
				     MHD_OPTION_LISTEN_SOCKET, fd,
				     MHD_OPTION_CONNECTION_LIMIT, lim->connections,
				     MHD_OPTION_PER_IP_CONNECTION_LIMIT, lim->per_client,
				     MHD_OPTION_CONNECTION_TIMEOUT, lim->idle_s,
				     MHD_OPTION_CONNECTION_MEMORY_LIMIT, lim->memory,
				     MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
				     MHD_OPTION_END);
	if (h->daemon)
		return h;
	stop_reaper(h);
fail:
	pthread_cond_destroy(&h->wake);
	pthread_mutex_destroy(&h->lock);
	free(h);
	return NULL;
}

void httpd_stop(struct httpd *h)
{
	if (!h)
		return;
	/* Its connections are closed, and unlisted, before the reaper goes. */
	MHD_stop_daemon(h->daemon);
	stop_reaper(h);
	pthread_cond_destroy(&h->wake);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
