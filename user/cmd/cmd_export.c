// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sroscope export: a Prometheus exporter. Each scrape of /metrics reads
 * the BPF maps (batch lookups) and the kernel's sro/stats, so no event
 * stream is needed and a scrape costs nothing on the traced path. HTTP is
 * user/export/httpd.c's (libmicrohttpd, one thread: scrapes one at a time).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "commands.h"
#include "common.h"
#include "httpd.h"
#include "kstats.h"
#include "metrics.h"
#include "numopt.h"
#include "realm_metrics.h"
#include "sandbox.h"
#include "tracer.h"

#define DEFAULT_LISTEN	"127.0.0.1:29435"

#define DEFAULT_USER	"nobody"

static struct {
	const char *listen;
	const char *stats_path;
	const char *user;	/* NULL: the default */
	uint64_t realm_series;
	uint64_t accounts_ns;
	struct tracer_opts tracer;
} env = {
	.tracer = TRACER_OPTS_DEFAULT,
	.realm_series = REALM_SERIES_DEFAULT,
	.accounts_ns = 10000000000ULL,
	.listen = DEFAULT_LISTEN,
	.stats_path = SRO_STATS_PATH,
};

struct exporter {
	struct tracer *tracer;
	int stats_fd;			/* sro/stats, kept open; -1: none */
	struct export_health health;
	/*
	 * The kernel's per-realm accounts: a file per value, so a thousand
	 * realms are thousands of reads. Read every --accounts-interval by
	 * the main thread, not by a scrape; a scrape shows the last read.
	 */
	pthread_mutex_t accts_lock;
	struct realm_accts accts;
	int accts_err;
};

static const char doc[] =
"Serve the RMM's memory as Prometheus metrics on http://ADDR:PORT/metrics\n"
"until SIGTERM or Ctrl-C. Each scrape reads sroscope's BPF maps, the\n"
"kernel's sro/stats and its per-realm accounts (/sys/kernel/sro: complete\n"
"since boot, with each realm's VMM); nothing is streamed, nothing on the\n"
"host changes.\n"
"\v"
"Listens on " DEFAULT_LISTEN " unless told otherwise: put it behind\n"
"Prometheus on the same host, or choose the address on purpose.\n"
"Once its programs are attached and its socket bound it serves as\n"
DEFAULT_USER " (--user), without capabilities, under a seccomp filter.\n"
"docs/metrics.md lists the metrics; dashboards/ has Grafana dashboards and\n"
"alert rules over them.\n"
"\n"
"EXAMPLES:\n"
"  sroscope export                        # 127.0.0.1:29435\n"
"  sroscope export -l 0.0.0.0:29435       # every IPv4 address\n"
"  sroscope export -l '[::1]:9500' --max-donations 1000000\n"
"  curl -s localhost:29435/metrics | grep sroscope_held_bytes\n";

enum { OPT_KERNEL_STATS = 0x100, OPT_REALM_SERIES, OPT_ACCOUNTS_INTERVAL };

static const struct numopt numopt_accounts_interval = {
	.what = "accounts interval", .kind = NUMOPT_DURATION,
	.min = 1000000000ULL, .max = 3600000000000ULL,
};

static const struct numopt numopt_realm_series = {
	.what = "realm series count", .kind = NUMOPT_NUMBER,
	.min = 0, .max = 100000,
};

/* --kernel-stats has no -s: that is leaks' --stacks (docs/cli.md). */
static const struct argp_option options[] = {
	{ "listen", 'l', "ADDR:PORT", 0, "Listen here (default " DEFAULT_LISTEN ")" },
	{ "kernel-stats", OPT_KERNEL_STATS, "PATH", 0,
	  "The kernel's counters (default " SRO_STATS_PATH ")" },
	{ "user", 'u', "USER", 0, "Serve as USER, a name or a uid (default "
	  DEFAULT_USER " when started as root)" },
	{ "accounts-interval", OPT_ACCOUNTS_INTERVAL, "DURATION", 0,
	  "Read the kernel's per-realm accounts this often (1s to 1h, default 10s)" },
	{ "realm-series", OPT_REALM_SERIES, "N", 0,
	  "Realms of the kernel's accounts with series of their own, leaks first; the rest as realm=\"other\" (0 to 100000, default 200)" },
	{},
};

/* The tracer's options fill in env.tracer (parse_opt, ARGP_KEY_INIT). */
static const struct argp_child children[] = {
	{ &tracer_argp }, { &verbose_argp }, { &help_argp }, {},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		tracer_argp_init(state, children, &env.tracer);
		break;
	case 'l':
		env.listen = arg;
		break;
	case OPT_KERNEL_STATS:
		env.stats_path = arg;
		break;
	case 'u':
		env.user = arg;
		break;
	case OPT_ACCOUNTS_INTERVAL:
		env.accounts_ns = numopt_arg(state, &numopt_accounts_interval, arg);
		break;
	case OPT_REALM_SERIES:
		env.realm_series = numopt_arg(state, &numopt_realm_series, arg);
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s': expected options only",
			   arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static double wall_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The kernel's counters, or NULL when they cannot be read now. */
static const struct kstats *read_kstats(struct exporter *x, struct kstats *k)
{
	if (x->stats_fd < 0)
		x->stats_fd = open(env.stats_path, O_RDONLY | O_CLOEXEC);
	if (x->stats_fd < 0)
		return NULL;
	return kstats_read_fd(x->stats_fd, k) ? NULL : k;
}

static void read_prog_stats(struct exporter *x)
{
	struct export_health *h = &x->health;
	struct bpf_prog_info info;
	struct bpf_program *p;
	char v[8] = "";
	__u32 len;
	int fd;

	fd = open("/proc/sys/kernel/bpf_stats_enabled", O_RDONLY | O_CLOEXEC);
	h->bpf_stats_enabled = -1;
	if (fd >= 0) {
		if (read(fd, v, sizeof(v) - 1) > 0)
			h->bpf_stats_enabled = atoi(v) != 0;
		close(fd);
	}
	h->nprogs = 0;
	bpf_object__for_each_program(p, tracer_object(x->tracer)) {
		if (h->nprogs == METRICS_MAX_PROGS || bpf_program__fd(p) < 0)
			continue;
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (bpf_prog_get_info_by_fd(bpf_program__fd(p), &info, &len))
			continue;
		snprintf(h->progs[h->nprogs].name, sizeof(h->progs[0].name),
			 "%s", bpf_program__name(p));
		h->progs[h->nprogs].run_ns = info.run_time_ns;
		h->progs[h->nprogs].run_cnt = info.run_cnt;
		h->nprogs++;
	}
}

/* The whole /metrics body, malloc'ed; NULL when the maps cannot be read. */
static char *collect(void *ctx, size_t *len)
{
	struct exporter *x = ctx;
	struct timespec t0, t1;
	struct snapshot snap;
	struct kstats ks;
	char *body = NULL;
	FILE *f;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = tracer_snapshot(x->tracer, &snap, SNAP_DONATIONS);
	if (err) {
		x->health.scrape_errors++;
		fprintf(stderr, "sroscope export: cannot read the BPF maps: %s\n",
			strerror(-err));
		snapshot_free(&snap);
		return NULL;
	}
	read_prog_stats(x);
	f = open_memstream(&body, len);
	if (f) {
		metrics_write(f, &snap, read_kstats(x, &ks), &x->health);
		/* The kernel's accounts: complete, whenever tracking began. */
		pthread_mutex_lock(&x->accts_lock);
		realm_metrics_write(f, x->accts_err ? NULL : &x->accts,
				    env.realm_series);
		pthread_mutex_unlock(&x->accts_lock);
		if (fclose(f)) {
			free(body);
			body = NULL;
		}
	}
	snapshot_free(&snap);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	x->health.last_scrape_seconds = (t1.tv_sec - t0.tv_sec) +
					(t1.tv_nsec - t0.tv_nsec) / 1e9;
	x->health.scrapes++;
	return body;
}

/* Read the kernel's accounts into @x; the error is said once a change. */
static void refresh_accts(struct exporter *x)
{
	struct realm_accts a;
	int err;

	err = realm_accts_read(REALMS_SYSFS, REALMS_CGROUP_ROOT, &a);
	if (err && err != x->accts_err)
		fprintf(stderr, "sroscope export: cannot read %s: %s\n",
			REALMS_SYSFS, strerror(-err));
	pthread_mutex_lock(&x->accts_lock);
	realm_accts_free(&x->accts);
	x->accts = a;
	x->accts_err = err;
	pthread_mutex_unlock(&x->accts_lock);
}

/* Until SIGINT or SIGTERM, the accounts read every --accounts-interval. */
static void serve(struct exporter *x, const sigset_t *stop)
{
	struct timespec ts = {
		.tv_sec = env.accounts_ns / 1000000000ULL,
		.tv_nsec = env.accounts_ns % 1000000000ULL,
	};

	while (sigtimedwait(stop, NULL, &ts) < 0) {
		if (errno == EAGAIN)
			refresh_accts(x);
	}
}

int cmd_export(int argc, char **argv)
{
	const struct argp argp = {
		.options = options, .parser = parse_opt, .doc = doc,
		.children = children,
	};
	struct exporter x = {
		.stats_fd = -1, .accts_lock = PTHREAD_MUTEX_INITIALIZER,
	};
	struct run_as as = {}, *asp = &as;
	struct sockaddr_storage ss;
	struct httpd *d;
	socklen_t sslen;
	sigset_t stop;
	char bound[64];
	int fd, err;

	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 2;
	err = httpd_parse_listen(env.listen, &ss, &sslen);
	if (err == -ERANGE) {
		fprintf(stderr, "sroscope export: invalid port in listen address '%s' "
			"(a number from 1 to 65535): expected ADDR:PORT, "
			"[IPV6]:PORT or :PORT\n", env.listen);
		return 2;
	}
	if (err) {
		fprintf(stderr, "sroscope export: invalid listen address '%s': "
			"expected ADDR:PORT, [IPV6]:PORT or :PORT, ADDR numeric\n",
			env.listen);
		return 2;
	}
	/* Started unprivileged (file capabilities): it stays who it is. */
	as.required = env.user != NULL;
	if (!env.user && getuid() != 0)
		asp = NULL;
	if (asp && lookup_user(env.user ?: DEFAULT_USER, &as.uid, &as.gid)) {
		fprintf(stderr, "sroscope export: no such user '%s' (a user name "
			"or a numeric uid)\n", env.user ?: DEFAULT_USER);
		return 2;
	}
	/*
	 * SIGINT and SIGTERM blocked before libmicrohttpd's thread starts (it
	 * inherits the mask): only this thread takes them, in sigwait().
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	x.tracer = tracer_start("export", &env.tracer);
	if (!x.tracer)
		return 1;
	x.health.start_time = wall_seconds();
	fd = httpd_listen(&ss, sslen);
	if (fd < 0) {
		fprintf(stderr, "sroscope export: cannot listen on %s: %s\n",
			env.listen, strerror(-fd));
		tracer_stop(x.tracer);
		return 1;
	}
	/* What the kernel bound, which is what clients must ask for. */
	if (httpd_local_address(fd, bound, sizeof(bound)))
		snprintf(bound, sizeof(bound), "%s", env.listen);
	x.stats_fd = open(env.stats_path, O_RDONLY | O_CLOEXEC);
	refresh_accts(&x);
	/*
	 * Loaded, attached, bound and opened: nothing left that needs a
	 * capability or root. The maps are read through their fds, sro/stats
	 * through the one kept open. Then the system calls that serving
	 * needs, and only those, before the first client is served.
	 */
	if (drop_privileges("export", asp) || sandbox_serving("export")) {
		close(fd);
		tracer_stop(x.tracer);
		return 1;
	}
	d = httpd_start(fd, &httpd_default_limits, collect, &x);
	if (!d) {
		fprintf(stderr, "sroscope export: cannot start the HTTP server: %s\n",
			strerror(errno));
		tracer_stop(x.tracer);
		return 1;
	}
	fprintf(stderr, "sroscope export: serving http://%s/metrics. Hit Ctrl-C to end.\n",
		bound);
	serve(&x, &stop);
	httpd_stop(d);
	tracer_stop(x.tracer);
	if (x.stats_fd >= 0)
		close(x.stats_fd);
	realm_accts_free(&x.accts);
	fprintf(stderr, "sroscope export: stopped after %llu scrapes\n",
		(unsigned long long)x.health.scrapes);
	return 0;
}
