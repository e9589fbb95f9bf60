/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The HTTP server of `sroscope export` (libmicrohttpd). */
#ifndef SROSCOPE_HTTPD_H
#define SROSCOPE_HTTPD_H

#include <stddef.h>
#include <sys/socket.h>
#include <microhttpd.h>

/* The /metrics body, malloc'ed (freed by the server); NULL: error 500. */
typedef char *(*httpd_collect_fn)(void *ctx, size_t *len);

struct httpd {
	struct MHD_Daemon *daemon;
	httpd_collect_fn collect;
	void *ctx;
};

/*
 * "HOST:PORT", "[V6]:PORT" or ":PORT" (every address), HOST numeric, PORT
 * 1 to 65535 in digits. 0, -ERANGE for a bad port, -EINVAL otherwise.
 */
int httpd_parse_listen(const char *spec, struct sockaddr_storage *ss,
		       socklen_t *len);

/*
 * The address socket @fd is bound to, as "HOST:PORT" or "[V6]:PORT"
 * (what the kernel gave, not what was asked). 0 or -errno.
 */
int httpd_local_address(int fd, char *buf, size_t size);

/*
 * A socket bound to @ss and listening, made before privileges are
 * dropped (a port below 1024 needs them). The fd or -errno.
 */
int httpd_listen(const struct sockaddr_storage *ss, socklen_t len);

/*
 * Serve / and /metrics on the listening socket @fd (owned from then on),
 * @collect called from the server's thread for each scrape; a connection
 * idle for @timeout_s is closed. NULL on error.
 */
struct httpd *httpd_start(int fd, unsigned int timeout_s,
			  httpd_collect_fn collect, void *ctx);
void httpd_stop(struct httpd *h);

#endif
