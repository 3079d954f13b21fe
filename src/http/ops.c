/*
 * ops.c -- the operator's routes: /healthz and /metrics.
 *
 * Neither needs a session: a load balancer and a Prometheus server poll
 * them.  So neither may say anything an anonymous client should not know:
 * /healthz answers ok or unavailable, never why (the reason goes to the
 * log), and /metrics holds counts and the version only.
 */
#include <string.h>

#include "http/http_int.h"

/* Ok when the store answers a trivial query: the same connection, named
 * query and thread every later handler uses, so "ok" means requests can
 * be served, not merely that the process is alive. */
static enum rc_err healthz(struct rc_http_req *req, struct rc_http_resp *resp)
{
	struct rc_stmt *st = NULL;
	int row = 0;
	enum rc_err e = req->ctx && req->ctx->store
			    ? rc_store_stmt(req->ctx->store, Q_CASE_COUNT, &st)
			    : RC_ERR_NOT_FOUND; /* a server started without a store */
	if (!e)
		e = rc_stmt_step(st, &row);
	/* Step to the end: on SQLite a statement left on its row keeps its
	 * read snapshot open, and every later read of this connection would
	 * see the database as it was now. */
	for (int more = row; !e && more;)
		e = rc_stmt_step(st, &more);
	resp->content_type = "application/json";
	if (e || !row) {
		json_t *line = rc_http_log_begin("healthz_failed");
		rc_http_log_set(line, "request_id", json_string(req->id));
		rc_http_log_set(line, "error", json_string(e ? rc_strerror(e) : "no row"));
		rc_http_log_emit(line);
		resp->status = 503;
		return rc_buf_puts(&resp->body, "{\"status\":\"unavailable\"}\n");
	}
	return rc_buf_puts(&resp->body, "{\"status\":\"ok\"}\n");
}

static enum rc_err metrics(struct rc_http_req *req, struct rc_http_resp *resp)
{
	resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
	return rc_http_metrics_text(req->server, &resp->body);
}

const struct rc_http_route rc_http_ops_routes[] = {
    {"GET", "/healthz", healthz},
    {"GET", "/metrics", metrics},
    {NULL, NULL, NULL},
};
