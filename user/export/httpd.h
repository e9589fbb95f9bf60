/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The HTTP server of `sroscope export` (libmicrohttpd). */
#ifndef SROSCOPE_HTTPD_H
#define SROSCOPE_HTTPD_H

#include <stddef.h>
#include <sys/socket.h>
#include <microhttpd.h>

/* The /metrics body, malloc'ed (freed by the server); NULL: error 500. */
typedef char *(*httpd_collect_fn)(void *ctx, size_t *len);

/*
 * What one client, or all of them, may hold. A client is a source
 * address; a request is its request line and headers.
 */
struct httpd_limits {
	unsigned int connections;	/* open at once, in all */
	unsigned int per_client;	/* open at once from one address */
	unsigned int request_s;		/* to deliver a whole request, however slowly */
	unsigned int idle_s;		/* with nothing sent or received */
	size_t memory;			/* per connection, for the request */
};

/* The exporter's: see man/sroscope-export.1.scd, "LIMITS". */
extern const struct httpd_limits httpd_default_limits;

struct httpd;

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
 * Serve / and /metrics on the listening socket @fd (owned from then on)
 * within @lim, @collect called from the server's thread for each scrape.
 * Two threads: libmicrohttpd's, and one that closes connections past
 * their request deadline. NULL on error (errno set).
 */
struct httpd *httpd_start(int fd, const struct httpd_limits *lim,
			  httpd_collect_fn collect, void *ctx);
void httpd_stop(struct httpd *h);

#endif
