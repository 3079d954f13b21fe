/*
 * cmd_serve.c -- `rongcuo serve`: the case system over HTTP (src/http/).
 *
 * The command opens the data directory as every other command does, so a
 * missing or stale database fails here with the usual message, before
 * anything listens.  Then it starts the server and waits for SIGTERM or
 * SIGINT with sigwait(): the signals are blocked before the server's
 * thread is created (which inherits the mask), so they are taken by this
 * thread alone, as ordinary values, and no code runs in a signal handler
 * at all.  Shutdown is then ordinary code: drain, stop, close the store,
 * log the stop line, exit 0.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli.h"
#include "cli/datadir.h"
#include "crypto/crypto.h"
#include "cli/demo.h"
#include "core/calendar.h"
#include "core/date.h"
#include "http/http.h"
#include "policy/policy.h"
#include "web/web.h"

/* rongcuo's version as /metrics reports it (rongcuo_build_info); a
 * release build passes -DRC_VERSION="...". */
#ifndef RC_VERSION
#define RC_VERSION "dev"
#endif

static const char usage[] =
    "usage: rongcuo serve [--listen HOST:PORT] [--data DIR] [--db URL]\n"
    "                     [--idle-timeout DURATION] [--session-lifetime DURATION]\n"
    "                     [--policy FILE|DIR] [--calendar DIR] [--demo] [--secure-cookies]\n"
    "                     [--page-cache PAGES] [--threads N]\n"
    "\n"
    "Serve the case system over HTTP on HOST:PORT (default 127.0.0.1:8080; port 0\n"
    "picks a free port).  The data directory is opened as by the other commands;\n"
    "cases are handled under the policy versions of --policy (default policies/)\n"
    "and deadlines counted on --calendar (as `rongcuo case`).  Routes: the web\n"
    "pages (zh-CN; who may reach which is data/permissions.tsv), GET /healthz (200\n"
    "when the database answers, else 503) and GET /metrics (Prometheus text).\n"
    "\n"
    "系统管理员 activates new policy versions into the --policy directory (not when\n"
    "it names a single file) and new years of the calendar into the calendar's\n"
    "directory (--calendar DIR, $RONGCUO_CALENDAR or DATA/calendar; never the\n"
    "source tree's data/calendar, the last resort), without a restart.\n"
    "\n"
    "Sessions: --idle-timeout (default 30m) ends a session unused that long,\n"
    "--session-lifetime (default 12h) ends every session that long after its\n"
    "log-in.  DURATION is a number of seconds, or a number followed by s, m or h;\n"
    "idle 1m..24h, lifetime 5m..7d (168h), idle not above the lifetime.\n"
    "\n"
    "--page-cache PAGES: how many rendered pages are kept and served again while\n"
    "the data they show is unchanged (default 512; 0: none).\n"
    "\n"
    "--threads N: requests are handled on N threads, each request with a database\n"
    "connection of its own (default: the number of processors, at most 8; 1..64).\n"
    "\n"
    "--secure-cookies: every cookie gets the Secure attribute, for a server behind a\n"
    "TLS-terminating proxy (serve itself speaks plain HTTP, on loopback by default).\n"
    "\n"
    "--demo: make the data directory if it does not exist, and when its database\n"
    "has no organisation yet, load invented organisations, officials, users and\n"
    "cases in every state of the procedure; the demo users' password and TOTP\n"
    "secrets are printed once on standard output (docs/modules/demo.md).\n"
    "\n"
    "First start: when a role of the three administrators (系统管理员, 安全管理员,\n"
    "审计管理员) has no account yet, the account is made at the root organisation and\n"
    "its one-time password printed once, on standard output (never in the log).\n"
    "Each must change it and enrol a TOTP authenticator at the first log-in.  With\n"
    "no organisation yet, serve says how to add the root and serves /healthz only.\n"
    "\n"
    "Logs go to standard error, one JSON object a line: a start line naming the\n"
    "address actually bound, one line per request (time, request id, method, path\n"
    "without its query string, status, bytes, duration), a stop line.  Query\n"
    "strings, bodies, cookies and headers are never logged.\n"
    "\n"
    "SIGTERM or SIGINT stops it gracefully: no new connections, requests in flight\n"
    "finish (up to 10 s), the database is closed.  Exit 0 after such a stop, 2 usage\n"
    "error, 3 the data directory, the database or the address cannot be used.\n";

/* A duration: seconds, or a number with s, m or h; within [min, max]. */
static int duration(const char *s, int64_t min, int64_t max, int64_t *out)
{
	int64_t v = 0, unit = 1;
	const char *p = s;
	if (!s || !*s)
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > max)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (p == s)
		return -1;
	if (*p == 's')
		p++;
	else if (*p == 'm')
		unit = 60, p++;
	else if (*p == 'h')
		unit = 3600, p++;
	if (*p || v > max / unit || v * unit < min || v * unit > max)
		return -1;
	*out = v * unit;
	return 0;
}

/* --demo: the data directory, made (as by `db init`) when it does not
 * exist yet, so that a newcomer's one command starts from nothing. */
static enum rc_err demo_open(struct rc_datadir *dd, const char *data, struct rc_diags *d)
{
	char dir[1024], key[1100];
	int from, to;
	if (rc_datadir_resolve(data, dir, sizeof(dir)) == 0) {
		snprintf(key, sizeof(key), "%s/audit.key", dir);
		if (access(key, F_OK) == 0)
			return rc_datadir_open(dd, data, RC_DATADIR_USE, d);
	}
	enum rc_err e = rc_datadir_open(dd, data, RC_DATADIR_CREATE, d);
	if (!e && (e = rc_store_migrate(dd->store, d, &from, &to)))
		rc_datadir_abandon(dd);
	if (!e)
		printf("rongcuo serve --demo: 已创建数据目录 %s (data directory created)\n",
		       dd->dir);
	return e;
}

/* Copy the files of directory `from` whose names end in `suffix` into the
 * new directory `to` (made here, 0700), each at most 4 MiB.  For --demo:
 * the policy versions and the calendar years the demo is served under
 * become the data directory's own, so that 系统管理员 may activate a new
 * version or year in the demo without writing into the source tree. */
static enum rc_err copy_dir(const char *from, const char *to, const char *suffix,
			    struct rc_diags *d)
{
	enum rc_err e = RC_OK;
	DIR *dir = opendir(from);
	struct dirent *de;
	char *buf = malloc(4u << 20);
	size_t sl = strlen(suffix);
	if (!dir || !buf || mkdir(to, 0700) != 0) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "--demo: cannot copy %s into %s: %s", from, to,
			    strerror(errno));
		e = RC_ERR_IO;
		goto out;
	}
	while (!e && (de = readdir(dir)) != NULL) {
		size_t n = strlen(de->d_name);
		char src[2048], dst[2048];
		if (de->d_name[0] == '.' || n <= sl || strcmp(de->d_name + n - sl, suffix) != 0)
			continue;
		snprintf(src, sizeof(src), "%s/%s", from, de->d_name);
		snprintf(dst, sizeof(dst), "%s/%s", to, de->d_name);
		FILE *in = fopen(src, "rb"), *out = NULL;
		size_t got = in ? fread(buf, 1, 4u << 20, in) : 0;
		int whole = in && !ferror(in) && feof(in);
		if (in)
			fclose(in);
		if (!whole || !(out = fopen(dst, "wbx")) || fwrite(buf, 1, got, out) != got) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "--demo: cannot copy %s to %s", src,
				    dst);
			e = RC_ERR_IO;
		}
		if (out && fclose(out) != 0)
			e = RC_ERR_IO;
	}
out:
	if (dir)
		closedir(dir);
	free(buf);
	return e;
}

/* --demo's own policy and calendar directories in the data directory
 * (copy_dir), made at the first start; *policy becomes DATA/policies
 * unless --policy named another. */
static enum rc_err demo_dirs(const struct rc_datadir *dd, int policy_given, const char **policy,
			     const char *calendar, char *pdir, size_t plen, struct rc_diags *d)
{
	char cdir[1100];
	struct stat st;
	enum rc_err e = RC_OK;
	snprintf(pdir, plen, "%s/policies", dd->dir);
	snprintf(cdir, sizeof(cdir), "%s/calendar", dd->dir);
	if (!policy_given && stat(*policy, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (stat(pdir, &st) != 0)
			e = copy_dir(*policy, pdir, ".rcp", d);
		if (!e)
			*policy = pdir;
	}
	if (!e && !calendar && !getenv("RONGCUO_CALENDAR") && stat(cdir, &st) != 0 &&
	    stat("data/calendar", &st) == 0)
		e = copy_dir("data/calendar", cdir, ".cal", d);
	return e;
}

/* --demo: the invented organisations, officials, users and cases
 * (cli/demo.c), when the database has none yet.  Their password and TOTP
 * secrets go to standard output, never to the log. */
static enum rc_err demo_load(struct rc_datadir *dd, const struct rc_policy_set *set,
			     const struct rc_cal *cal, struct rc_diags *d)
{
	struct rc_unit u = dd->unit;
	time_t now = time(NULL);
	struct tm tm;
	int loaded = 0;
	enum rc_err e = rc_unit_init(&u);
	localtime_r(&now, &tm);
	if (!e)
		e = rc_demo_load(&u, set, cal,
				 rc_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday),
				 (int64_t)now, stdout, &loaded, d);
	fflush(stdout);
	return e;
}

/* The first start (procedure.h, rc_proc_admins_bootstrap): the accounts
 * made and their one-time passwords on standard output, once -- standard
 * error is the log, which must never hold a password. */
static enum rc_err bootstrap(struct rc_datadir *dd, const char *data, struct rc_diags *d)
{
	struct rc_admin_bootstrap b = {0};
	struct rc_unit u = dd->unit;
	enum rc_err e = rc_unit_init(&u);
	if (!e)
		e = rc_proc_admins_bootstrap(&u, d, &b);
	if (e == RC_ERR_NOT_FOUND) {
		printf("rongcuo serve: 尚无组织机构,无法创建管理员账户 (no organisation yet).\n"
		       "  先添加根组织,例如:\n"
		       "    rongcuo org add CODE 名称 province%s%s\n"
		       "  然后重新启动 rongcuo serve,即会创建三个管理员账户并显示其一次性密码。\n"
		       "  Add the root organisation, then start serve again; until then only\n"
		       "  /healthz and /metrics are useful.\n",
		       data ? " --data " : "", data ? data : "");
		fflush(stdout);
		rc_diags_init(d, "rongcuo serve"); /* not an error: serve anyway */
		return RC_OK;
	}
	if (e)
		return e;
	if (b.n > 0) {
		printf("rongcuo serve: 已创建管理员账户 (administrator accounts created).\n"
		       "一次性密码只显示这一次 (one-time passwords, shown only now):\n\n");
		for (int i = 0; i < b.n; i++)
			printf("  %-12s %-8s %s\n", b.made[i].login, b.made[i].role,
			       b.made[i].password);
		printf("\n每个账户首次登录时须修改此密码并绑定动态口令 (TOTP)。\n"
		       "Each must change this password and enrol a TOTP authenticator at the\n"
		       "first log-in.\n");
		fflush(stdout);
	}
	rc_crypto_wipe(&b, sizeof(b));
	return RC_OK;
}

int rc_cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {{"listen", required_argument, NULL, 'l'},
					     {"data", required_argument, NULL, 'd'},
					     {"idle-timeout", required_argument, NULL, 'i'},
					     {"session-lifetime", required_argument, NULL, 'L'},
					     {"policy", required_argument, NULL, 'p'},
					     {"calendar", required_argument, NULL, 'c'},
					     {"demo", no_argument, NULL, 'D'},
					     {"secure-cookies", no_argument, NULL, 'S'},
					     {"page-cache", required_argument, NULL, 'P'},
					     {"threads", required_argument, NULL, 'T'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *listen = "127.0.0.1:8080", *data = NULL;
	const char *idle_opt = NULL, *life_opt = NULL, *policy = "policies", *calendar = NULL;
	int policy_given = 0;
	char demo_policy[1100];
	struct rc_policy_set *set = NULL;
	struct rc_cal *cal = NULL;
	struct rc_session_limits lim = {RC_SESSION_IDLE, RC_SESSION_ABSOLUTE};
	struct rc_web_app app = {0};
	struct rc_datadir dd = {0};
	struct rc_diags d;
	struct rc_http_server *srv = NULL;
	struct rc_http_stats stats = {0};
	sigset_t sigs, old;
	int c, sig = 0, masked = 0, rc = RC_EXIT_OK, demo = 0, secure_cookies = 0, page_cache = 512;
	const char *page_cache_opt = NULL, *threads_opt = NULL;
	char caldir[1200]; /* app.calendar_dir */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus;
	struct rc_store_pool *stores = NULL;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen = optarg; break;
		case 'd': data = optarg; break;
		case 'i': idle_opt = optarg; break;
		case 'L': life_opt = optarg; break;
		case 'p':
			policy = optarg;
			policy_given = 1;
			break;
		case 'c': calendar = optarg; break;
		case 'D': demo = 1; break;
		case 'S': secure_cookies = 1; break;
		case 'P': page_cache_opt = optarg; break;
		case 'T': threads_opt = optarg; break;
		case 'h': fputs(usage, stdout); return RC_EXIT_OK;
		default:
			fprintf(stderr,
				"rongcuo serve: unknown option or missing value: '%s'\n\n%s",
				argv[optind - 1], usage);
			return RC_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "rongcuo serve: unexpected argument '%s'\n\n%s", argv[optind],
			usage);
		return RC_EXIT_USAGE;
	}
	/* The server's changes will be units of work of their own, each with
	 * its client's key (an Idempotency-Key header, later): one key for a
	 * whole server would make its second change a no-op. */
	if (rc_cli_idempotency_key) {
		fputs("rongcuo serve: --idempotency-key is not taken here\n", stderr);
		return RC_EXIT_USAGE;
	}
	if (page_cache_opt) {
		char *end;
		long n = strtol(page_cache_opt, &end, 10);
		if (*end || end == page_cache_opt || n < 0 || n > 65536) {
			fprintf(stderr,
				"rongcuo serve: --page-cache takes a number of pages, 0 (none) "
				"to 65536, not '%s'\n",
				page_cache_opt);
			return RC_EXIT_USAGE;
		}
		page_cache = (int)n;
	}
	if (threads_opt) {
		char *end;
		long n = strtol(threads_opt, &end, 10);
		if (*end || end == threads_opt || n < 1 || n > RC_HTTP_THREADS_MAX) {
			fprintf(stderr,
				"rongcuo serve: --threads takes a number of threads, 1 to %d, not "
				"'%s'\n",
				RC_HTTP_THREADS_MAX, threads_opt);
			return RC_EXIT_USAGE;
		}
		threads = (int)n;
	}
	if ((idle_opt && duration(idle_opt, 60, 86400, &lim.idle_s)) ||
	    (life_opt && duration(life_opt, 300, 7 * 86400, &lim.absolute_s)) ||
	    lim.idle_s > lim.absolute_s) {
		fprintf(stderr,
			"rongcuo serve: --idle-timeout must be 1m..24h and --session-lifetime "
			"5m..168h, the idle timeout not above the lifetime (e.g. 30m, 12h)\n");
		return RC_EXIT_USAGE;
	}
	rc_diags_init(&d, "rongcuo serve");
	if (rc_http_listen_check(listen, &d)) {
		rc_diags_print(&d, stderr);
		return RC_EXIT_USAGE;
	}
	enum rc_err e =
	    demo ? demo_open(&dd, data, &d) : rc_datadir_open(&dd, data, RC_DATADIR_USE, &d);
	if (e) {
		rc = e == RC_ERR_USAGE ? RC_EXIT_USAGE : RC_EXIT_INPUT;
		goto out;
	}
	if (demo && (e = demo_dirs(&dd, policy_given, &policy, calendar, demo_policy,
				   sizeof(demo_policy), &d))) {
		rc = RC_EXIT_INPUT;
		goto out;
	}
	if ((e = rc_policy_set_new(&set)) || (e = rc_policy_set_load(set, policy, &d)) ||
	    (e = rc_datadir_calendar(&dd, calendar, &cal, &d))) {
		rc = RC_EXIT_INPUT;
		goto out;
	}
	if (demo && (e = demo_load(&dd, set, cal, &d))) {
		rc = RC_EXIT_INPUT;
		goto out;
	}

	/* A log reader that goes away (a pipe to a collector) must not kill
	 * the server in the middle of a request: its writes fail instead, and
	 * the lines are lost.  MHD sends on sockets without SIGPIPE anyway. */
	struct sigaction ign = {.sa_handler = SIG_IGN};
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, NULL);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	if (pthread_sigmask(SIG_BLOCK, &sigs, &old) != 0) {
		rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "cannot block SIGTERM and SIGINT");
		rc = RC_EXIT_INPUT;
		goto out;
	}
	masked = 1;

	/* every route the server will have, the ops' first: the matrix is
	 * checked against exactly this list */
	const struct rc_http_route *routes[16] = {rc_http_ops_routes};
	int n_routes = 1;
	for (int i = 0; rc_web_tables[i] && n_routes + 1 < 16; i++)
		routes[n_routes++] = rc_web_tables[i];
	for (int i = 0; rc_api_tables[i] && n_routes + 1 < 16; i++)
		routes[n_routes++] = rc_api_tables[i];
	e = rc_web_app_init(&app, dd.key, &lim, secure_cookies);
	app.gated = rc_api_tables; /* the API's gate enforces the same matrix */
	if (e || (e = rc_web_app_check(&app, NULL, routes, &d)) || (e = bootstrap(&dd, data, &d))) {
		rc = RC_EXIT_INPUT;
		goto out;
	}
	app.set = set;
	app.cal = cal;
	for (int i = 0; i < threads && !e; i++)
		e = rc_view_cache_new(256, &app.views[i]); /* one per slot (web.h) */
	if (e || (page_cache && (e = rc_page_cache_new(page_cache, 256 * 1024, &app.pages)))) {
		rc = RC_EXIT_INPUT;
		goto out;
	}
	struct stat pst;
	app.policy_dir = stat(policy, &pst) == 0 && S_ISDIR(pst.st_mode) ? policy : NULL;
	/* A year activated on /admin/calendar is written where the calendar
	 * was loaded from -- a directory named for it, never the source
	 * tree's data/calendar, the last resort (its files are the
	 * repository's, checked by its tests). */
	app.calendar_dir = rc_datadir_calendar_dir(&dd, calendar, caldir, sizeof(caldir)) == 0 &&
				   stat(caldir, &pst) == 0 && S_ISDIR(pst.st_mode)
			       ? caldir
			       : NULL;
	/* more than one thread: a connection per thread (http.h, Threads) */
	if (threads > 1 && (e = rc_store_pool_new(dd.url, threads, &d, &stores))) {
		rc = RC_EXIT_INPUT;
		goto out;
	}
	struct rc_http_ctx ctx = {.store = dd.store,
				  .stores = stores,
				  .unit = &dd.unit,
				  .version = RC_VERSION,
				  .app = &app};
	struct rc_http_config cfg = {.listen = listen,
				     .routes = routes,
				     .ctx = &ctx,
				     .json_prefix = "/api/",
				     .threads = threads};
	if ((e = rc_http_start(&cfg, &d, &srv))) {
		rc = e == RC_ERR_USAGE ? RC_EXIT_USAGE : RC_EXIT_INPUT;
		goto out;
	}
	if (sigwait(&sigs, &sig) != 0)
		sig = SIGTERM; /* only EINVAL is possible, and the set is valid */
	rc_http_stop(srv, RC_HTTP_DRAIN_MS, &stats);
	srv = NULL;
	/* the server's threads are gone: the store is ours again, to close */
	rc_datadir_close(&dd);
	rc_http_log_stop(&stats, sig == SIGTERM ? "SIGTERM" : "SIGINT");
out:
	rc_http_stop(srv, 0, NULL);
	rc_store_pool_free(stores);
	for (int i = 0; i < RC_STORE_POOL_MAX; i++)
		rc_view_cache_free(app.views[i]); /* before the wipe, which clears them */
	rc_page_cache_free(app.pages);
	rc_web_app_done(&app); /* frees the sets it published; wipes */
	rc_policy_set_free(set);
	rc_cal_free(cal);
	if (masked)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc_datadir_finish(&dd, &d, rc);
}
