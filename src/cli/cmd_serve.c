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
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "http/http.h"

/* rongcuo's version as /metrics reports it (rongcuo_build_info); a
 * release build passes -DRC_VERSION="...". */
#ifndef RC_VERSION
#define RC_VERSION "dev"
#endif

static const char usage[] =
    "usage: rongcuo serve [--listen HOST:PORT] [--data DIR] [--db URL]\n"
    "\n"
    "Serve the case system over HTTP on HOST:PORT (default 127.0.0.1:8080; port 0\n"
    "picks a free port).  The data directory is opened as by the other commands.\n"
    "Routes so far: GET /healthz (200 when the database answers, else 503) and\n"
    "GET /metrics (Prometheus text format).  The web pages and the API come later.\n"
    "\n"
    "Logs go to standard error, one JSON object a line: a start line naming the\n"
    "address actually bound, one line per request (time, request id, method, path\n"
    "without its query string, status, bytes, duration), a stop line.  Query\n"
    "strings, bodies, cookies and headers are never logged.\n"
    "\n"
    "SIGTERM or SIGINT stops it gracefully: no new connections, requests in flight\n"
    "finish (up to 10 s), the database is closed.  Exit 0 after such a stop, 2 usage\n"
    "error, 3 the data directory, the database or the address cannot be used.\n";

int rc_cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {{"listen", required_argument, NULL, 'l'},
					     {"data", required_argument, NULL, 'd'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *listen = "127.0.0.1:8080", *data = NULL;
	struct rc_datadir dd = {0};
	struct rc_diags d;
	struct rc_http_server *srv = NULL;
	struct rc_http_stats stats = {0};
	sigset_t sigs, old;
	int c, sig = 0, masked = 0, rc = RC_EXIT_OK;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen = optarg; break;
		case 'd': data = optarg; break;
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
	rc_diags_init(&d, "rongcuo serve");
	if (rc_http_listen_check(listen, &d)) {
		rc_diags_print(&d, stderr);
		return RC_EXIT_USAGE;
	}
	enum rc_err e = rc_datadir_open(&dd, data, RC_DATADIR_USE, &d);
	if (e) {
		rc = e == RC_ERR_USAGE ? RC_EXIT_USAGE : RC_EXIT_INPUT;
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

	struct rc_http_ctx ctx = {.store = dd.store, .unit = &dd.unit, .version = RC_VERSION};
	const struct rc_http_route *const routes[] = {rc_http_ops_routes, NULL};
	struct rc_http_config cfg = {.listen = listen, .routes = routes, .ctx = &ctx};
	if ((e = rc_http_start(&cfg, &d, &srv))) {
		rc = e == RC_ERR_USAGE ? RC_EXIT_USAGE : RC_EXIT_INPUT;
		goto out;
	}
	if (sigwait(&sigs, &sig) != 0)
		sig = SIGTERM; /* only EINVAL is possible, and the set is valid */
	rc_http_stop(srv, RC_HTTP_DRAIN_MS, &stats);
	srv = NULL;
	/* the server's thread is gone: the store is ours again, to close */
	rc_datadir_close(&dd);
	rc_http_log_stop(&stats, sig == SIGTERM ? "SIGTERM" : "SIGINT");
out:
	rc_http_stop(srv, 0, NULL);
	if (masked)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc_datadir_finish(&dd, &d, rc);
}
