// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The HTTP side of `sroscope export`, on libmicrohttpd: one internal
 * thread, so scrapes are served one at a time. Read-only: GET and HEAD of
 * / and /metrics; other methods get 405, other paths 404. Apart from the
 * exporter so that tests/fuzz/fuzz_http.c can drive it with any bytes.
 */
#include <errno.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpd.h"
#include "prom.h"

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
	const struct httpd *h = cls;
	size_t len = 0;
	char *body;

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
	if (bind(fd, (const struct sockaddr *)ss, len) || listen(fd, 64)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

struct httpd *httpd_start(int fd, unsigned int timeout_s,
			  httpd_collect_fn collect, void *ctx)
{
	struct httpd *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->collect = collect;
	h->ctx = ctx;
	h->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
				     MHD_USE_ERROR_LOG, 0, NULL, NULL,
				     on_request, h,
				     MHD_OPTION_LISTEN_SOCKET, fd,
				     MHD_OPTION_CONNECTION_LIMIT, 64U,
				     MHD_OPTION_CONNECTION_TIMEOUT, timeout_s,
				     MHD_OPTION_END);
	if (!h->daemon) {
		free(h);
		return NULL;
	}
	return h;
}

void httpd_stop(struct httpd *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->daemon);
	free(h);
}
