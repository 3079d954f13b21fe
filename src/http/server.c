/*
 * server.c -- the MHD daemon, a request's life, its response.
 *
 * A request lives in a struct rc_http_exchange from the moment MHD has its
 * request line (the URI callback) to the moment MHD is done with it (the
 * completion callback), whichever way it ends.  That span is what the log
 * line and the metrics describe, so a request MHD refuses by itself, or
 * one the client abandons, is logged too.
 *
 * The first handler call decides everything that needs no body, before a
 * byte of the body is read, so that a refused request costs nothing to
 * refuse: the sizes MHD already measured (target 414, head 431), the path
 * (400), the declared body length (413, whatever the route), then the
 * route (404, 405).  Only then is the body read, into a buffer that cannot
 * grow past the cap.  Everything a handler sends goes out through
 * queue(), the one place the security headers are added.
 */
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "core/utf8.h"
#include "crypto/crypto.h"
#include "http/http_int.h"

struct rc_http_server {
	struct MHD_Daemon *daemon;
	int fd;           /* the listening socket (ours: bound here, given to MHD) */
	char address[80]; /* as bound: "127.0.0.1:8080" */
	const struct rc_http_route *const *routes;
	struct rc_http_ctx *ctx;
	struct rc_http_metrics *metrics;
	size_t body_max;
	const char *json_prefix; /* paths answered with JSON errors (cfg), or NULL */
	atomic_int in_flight;    /* requests between request line and completion */
	atomic_int stopping;     /* rc_http_stop has begun: responses close their connection */
	atomic_uint_fast64_t requests; /* logged */
	struct timespec started;
};

struct rc_http_exchange {
	struct rc_http_server *srv;
	struct MHD_Connection *conn;
	struct timespec t0;
	char id[17];
	char method[17];    /* as sent, cut at 16 bytes: for the log */
	char raw_path[257]; /* undecoded, without the query: logged if no handler call */
	char target[RC_HTTP_URL_MAX + 1];    /* as sent, path and query; "" when longer */
	const char *path;                    /* decoded (arena) */
	const char *route;                   /* the pattern matched, for the log and the metrics */
	const struct rc_http_route *handler; /* the route that answers */
	size_t target_len;                   /* request target as sent, path and query */
	int nul_escape;                      /* "%00" in the path: MHD would cut the path there */
	int started;                         /* the handler has been called */
	int body_pending;                    /* the request declared a body (length or chunked) */
	int too_large;                       /* the body passed the cap: what follows is dropped */
	unsigned refusal;   /* a refusal kept for the end of a request without body */
	char allow[128];    /* its Allow header (405) */
	enum rc_err failed; /* storing the body failed otherwise */
	size_t discarded;
	int head;
	unsigned status; /* queued by us; 0: none (yet) */
	size_t bytes;    /* response body bytes sent (0 for HEAD) */
	struct rc_arena arena;
	struct rc_buf body;
};

/* Sent with every response, by whoever made it: the pages to come are
 * server-rendered and need no framing, no inline script, no referrer and
 * no caching of case data in a browser or proxy; nosniff stops a JSON or
 * text answer from being run as script. */
static const struct rc_http_header security_headers[] = {
    {"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},           {"Content-Security-Policy", "default-src 'self'"},
    {"Cache-Control", "no-store"},
};
#define N_SECURITY (sizeof(security_headers) / sizeof(security_headers[0]))

/* ---- statuses: the one place errors become them --------------------------- */

unsigned rc_http_status(enum rc_err e)
{
	switch (e) {
	case RC_OK: return 200;
	case RC_ERR_NOT_FOUND: return 404;
	case RC_ERR_USAGE:
	case RC_ERR_SYNTAX:
	case RC_ERR_TYPE:
	case RC_ERR_NAME:
	case RC_ERR_RANGE: return 400;
	case RC_ERR_LIMIT: return 413;
	case RC_ERR_CONFLICT: return 409;
	case RC_ERR_BUSY: return 503;
	default: return 500;
	}
}

const char *rc_http_status_text(unsigned status)
{
	switch (status) {
	case 400: return "请求格式有误 (Bad Request)";
	case 403: return "无权访问 (Forbidden)";
	case 404: return "未找到 (Not Found)";
	case 405: return "不支持该请求方法 (Method Not Allowed)";
	case 409: return "与现有记录冲突 (Conflict)";
	case 413: return "请求内容过大 (Content Too Large)";
	case 414: return "请求地址过长 (URI Too Long)";
	case 431: return "请求头过大 (Request Header Fields Too Large)";
	case 500: return "服务器内部错误 (Internal Server Error)";
	case 503: return "服务暂不可用 (Service Unavailable)";
	default: return status < 400 ? "成功 (OK)" : "错误 (Error)";
	}
}

/* ---- a handler's view of the request ------------------------------------- */

static int reserved_header(const char *name)
{
	static const char *const ours[] = {"X-Request-Id",   "Allow",      "Content-Type",
					   "Content-Length", "Connection", "Transfer-Encoding"};
	for (size_t i = 0; i < N_SECURITY; i++)
		if (strcasecmp(name, security_headers[i].name) == 0)
			return 1;
	for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
		if (strcasecmp(name, ours[i]) == 0)
			return 1;
	return 0;
}

enum rc_err rc_http_resp_header(struct rc_http_resp *resp, const char *name, const char *value)
{
	/* a CR or LF would let a value start a header of its own */
	if (!name || !value || !*name || reserved_header(name) || strpbrk(name, "\r\n:") ||
	    strpbrk(value, "\r\n"))
		return RC_ERR_USAGE;
	if (resp->n_headers >= RC_HTTP_HEADERS_MAX)
		return RC_ERR_LIMIT;
	resp->headers[resp->n_headers++] = (struct rc_http_header){name, value};
	return RC_OK;
}

const char *rc_http_req_header(const struct rc_http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->x->conn, MHD_HEADER_KIND, name);
}

const char *rc_http_req_query(const struct rc_http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->x->conn, MHD_GET_ARGUMENT_KIND, name);
}

enum rc_err rc_http_metrics_text(struct rc_http_server *srv, struct rc_buf *out)
{
	return rc_http_metrics_render(srv->metrics, srv->ctx ? srv->ctx->version : NULL, out);
}

const char *rc_http_address(const struct rc_http_server *srv)
{
	return srv->address;
}

/* ---- responses ------------------------------------------------------------ */

/* Queue `resp` (its body is taken: the caller's buffer is left empty).
 * MHD_NO when the response cannot be made whole -- then MHD closes the
 * connection rather than send a response without its security headers. */
static enum MHD_Result queue(struct rc_http_exchange *x, struct rc_http_resp *resp,
			     const char *allow)
{
	struct MHD_Response *r;
	size_t len = resp->body.len;
	char *data = resp->body.data;
	/* MHD frees the body with free() when it is done: no copy, and no
	 * lifetime to keep in step with the connection's */
	resp->body.data = NULL;
	resp->body.len = resp->body.alloc = 0;
	if (len)
		r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	else
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(data);
		return MHD_NO;
	}
	int ok = MHD_add_response_header(r, "Content-Type", resp->content_type) == MHD_YES &&
		 MHD_add_response_header(r, "X-Request-Id", x->id) == MHD_YES;
	for (size_t i = 0; ok && i < N_SECURITY; i++)
		ok = MHD_add_response_header(r, security_headers[i].name,
					     security_headers[i].value) == MHD_YES;
	for (int i = 0; ok && i < resp->n_headers; i++)
		ok = MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value) ==
		     MHD_YES;
	if (ok && allow)
		ok = MHD_add_response_header(r, "Allow", allow) == MHD_YES;
	/* A body still unread must not be taken for the next request on the
	 * connection; and a server draining for shutdown takes no more. */
	int close = atomic_load(&x->srv->stopping) || (x->body_pending && !x->started) ||
		    (x->body_pending && x->too_large);
	if (ok && close)
		ok = MHD_add_response_header(r, "Connection", "close") == MHD_YES;
	enum MHD_Result ret = MHD_NO;
	if (ok)
		ret = MHD_queue_response(x->conn, resp->status, r);
	MHD_destroy_response(r);
	if (ret == MHD_YES) {
		x->status = resp->status;
		x->bytes = x->head ? 0 : len;
	}
	return ret;
}

/* The machine-readable code of a status, for JSON errors. */
static const char *status_code(unsigned status)
{
	switch (status) {
	case 400: return "bad_request";
	case 401: return "unauthorized";
	case 403: return "forbidden";
	case 404: return "not_found";
	case 405: return "method_not_allowed";
	case 409: return "conflict";
	case 413: return "too_large";
	case 414: return "uri_too_long";
	case 415: return "unsupported_media_type";
	case 431: return "headers_too_large";
	case 503: return "unavailable";
	default: return status >= 500 ? "internal" : "bad_request";
	}
}

/* The standard answer for a status: text/plain, Chinese first; under the
 * configured JSON prefix (the API's) the same as the API's own errors,
 * {"error": {"status", "code", "message"}}, so that a client reads every
 * answer one way, those the server gives before any handler included.
 * The raw path decides: it is all a refusal before routing has. */
static enum MHD_Result refuse(struct rc_http_exchange *x, unsigned status, const char *allow)
{
	struct rc_http_resp resp = {.status = status, .content_type = "text/plain; charset=utf-8"};
	const char *pre = x->srv->json_prefix;
	enum rc_err e;
	rc_buf_init(&resp.body, 512);
	if (pre && strncmp(x->raw_path, pre, strlen(pre)) == 0) {
		json_t *j = json_pack("{s:{s:i, s:s, s:s}}", "error", "status", (int)status, "code",
				      status_code(status), "message", rc_http_status_text(status));
		char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
		e = s ? rc_buf_printf(&resp.body, "%s\n", s) : RC_ERR_NOMEM;
		free(s);
		json_decref(j);
		resp.content_type = "application/json";
	} else {
		e = rc_buf_printf(&resp.body, "%u %s\n", status, rc_http_status_text(status));
	}
	if (e) {
		rc_buf_free(&resp.body);
		return MHD_NO;
	}
	enum MHD_Result ret = queue(x, &resp, allow);
	rc_buf_free(&resp.body);
	return ret;
}

static enum MHD_Result run_handler(struct rc_http_exchange *x, const struct rc_http_route *route)
{
	/* The handler's own copy of the context: with a pool, its store and
	 * its unit's store are the connection this request holds (http.h,
	 * Threads), so that no two requests ever share one. */
	struct rc_http_ctx ctx = *x->srv->ctx;
	struct rc_unit unit;
	if (ctx.stores) {
		ctx.store = rc_store_pool_take(ctx.stores, &ctx.slot);
		if (ctx.unit) {
			unit = *ctx.unit;
			unit.store = ctx.store;
			ctx.unit = &unit;
		}
	}
	struct rc_http_req req = {
	    .method = x->method,
	    .path = x->path,
	    .route = route->pattern,
	    .route_arg = route->arg,
	    .target = x->target,
	    .body = rc_buf_str(&x->body),
	    .body_len = x->body.len,
	    .id = x->id,
	    .arena = &x->arena,
	    .ctx = &ctx,
	    .server = x->srv,
	    .x = x,
	};
	struct rc_http_resp resp = {.status = 200, .content_type = "text/plain; charset=utf-8"};
	rc_buf_init(&resp.body, RC_HTTP_RESP_MAX);
	enum rc_err e = route->handler(&req, &resp);
	if (ctx.stores)
		rc_store_pool_give(ctx.stores, ctx.store);
	if (!e && (resp.status < 200 || resp.status > 599 || !resp.content_type))
		e = RC_ERR_INTERNAL; /* a handler's bug, answered as one */
	enum MHD_Result ret = e ? refuse(x, rc_http_status(e), NULL) : queue(x, &resp, NULL);
	rc_buf_free(&resp.body);
	return ret;
}

/* ---- MHD's callbacks --------------------------------------------------------- */

static void elapsed_since(const struct timespec *t0, uint64_t *us)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int64_t d = (int64_t)(t1.tv_sec - t0->tv_sec) * 1000000 + (t1.tv_nsec - t0->tv_nsec) / 1000;
	*us = d > 0 ? (uint64_t)d : 0;
}

/* MHD has the request line.  `uri` is the whole target, query string
 * included: it is measured here and never kept or logged, since a query
 * may carry a secret. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct rc_http_server *srv = cls;
	struct rc_http_exchange *x = calloc(1, sizeof(*x));
	uint8_t rnd[8];
	if (!x)
		return NULL;
	if (rc_random_bytes(rnd, sizeof(rnd))) {
		free(x);
		return NULL;
	}
	rc_hex(rnd, sizeof(rnd), x->id);
	clock_gettime(CLOCK_MONOTONIC, &x->t0);
	x->srv = srv;
	x->conn = conn;
	x->target_len = strlen(uri);
	size_t plen = strcspn(uri, "?");
	for (size_t i = 0; i + 2 < plen && !x->nul_escape; i++)
		x->nul_escape = uri[i] == '%' && uri[i + 1] == '0' && uri[i + 2] == '0';
	snprintf(x->raw_path, sizeof(x->raw_path), "%.*s", (int)(plen < 256 ? plen : 256), uri);
	if (x->target_len <= RC_HTTP_URL_MAX)
		memcpy(x->target, uri, x->target_len + 1);
	rc_arena_init(&x->arena, RC_HTTP_ARENA_MAX);
	rc_buf_init(&x->body, srv->body_max);
	atomic_fetch_add(&srv->in_flight, 1);
	return x;
}

/* The path MHD decoded: absolute, UTF-8, no control characters. */
static int path_ok(const char *p)
{
	size_t len = strlen(p);
	if (p[0] != '/' || !rc_utf8_valid(p, len, NULL))
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return 0;
	return 1;
}

/* The declared body length: 0 and *len, or -1 when it is not a number
 * (MHD refuses most malformed ones before this). */
static int content_length(struct MHD_Connection *conn, uint64_t *len)
{
	const char *v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	*len = 0;
	if (!v)
		return 0;
	if (!*v)
		return -1;
	for (; *v; v++) {
		if (*v < '0' || *v > '9' || *len > (UINT64_MAX - 9) / 10)
			return -1;
		*len = *len * 10 + (uint64_t)(*v - '0');
	}
	return 0;
}

/* Refuse on the first call.  A request that declared a body is answered
 * at once, without reading the body (MHD then closes the connection);
 * one without is answered on the next call, when MHD has the whole
 * request, which keeps its connection open for the next one. */
static enum MHD_Result refuse_early(struct rc_http_exchange *x, unsigned status, const char *allow)
{
	if (x->body_pending)
		return refuse(x, status, allow);
	x->refusal = status;
	snprintf(x->allow, sizeof(x->allow), "%s", allow ? allow : "");
	x->started = 1;
	return MHD_YES;
}

/* The first call for a request: every check that needs no body. */
static enum MHD_Result first_call(struct rc_http_exchange *x, const char *url, const char *method)
{
	struct rc_http_server *srv = x->srv;
	struct rc_http_match m;
	uint64_t declared;
	snprintf(x->method, sizeof(x->method), "%s", method);
	x->head = strcmp(method, "HEAD") == 0;
	x->path = rc_arena_strdup(&x->arena, url);
	int bad_length = content_length(x->conn, &declared) != 0;
	x->body_pending = declared > 0 || MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND,
								      "Transfer-Encoding") != NULL;
	if (!x->path)
		return refuse_early(x, 500, NULL);
	if (x->target_len > RC_HTTP_URL_MAX)
		return refuse_early(x, 414, NULL);
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(x->conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	if (ci && ci->header_size > RC_HTTP_HEAD_MAX)
		return refuse_early(x, 431, NULL);
	if (x->nul_escape || !path_ok(url) || bad_length) {
		if (x->nul_escape)
			x->path = NULL; /* log the path as sent, not as MHD cut it */
		return refuse_early(x, 400, NULL);
	}
	/* A body over the cap is refused whatever the route, before it is
	 * sent, when its length says so (a chunked one is caught as it is
	 * read); the route is matched first only to label the request. */
	enum rc_http_match_kind k = rc_http_route_match(srv->routes, method, url, &m);
	x->route = m.pattern;
	if (declared > srv->body_max)
		return refuse(x, 413, NULL);
	if (k == RC_HTTP_NO_PATH)
		return refuse_early(x, 404, NULL);
	if (k == RC_HTTP_NO_METHOD)
		return refuse_early(x, 405, m.allow);
	x->handler = m.route;
	x->started = 1;
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct rc_http_exchange *x = *con_cls;
	(void)cls;
	(void)conn;
	(void)version;
	if (!x)
		return MHD_NO; /* on_uri ran out of memory: close */
	if (!x->started)
		return first_call(x, url, method);
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (!x->too_large && !x->failed) {
			enum rc_err e = rc_buf_append(&x->body, upload_data, n);
			if (e == RC_ERR_LIMIT)
				x->too_large = 1;
			else if (e)
				x->failed = e;
		}
		/* A chunked body has no length to refuse it by: once past the
		 * cap it is read and dropped, so that the client still gets
		 * its 413 -- but not for ever. */
		if (x->too_large && (x->discarded += n) > RC_HTTP_DISCARD_MAX)
			return MHD_NO;
		return MHD_YES;
	}
	if (x->status)
		return MHD_YES; /* answered already */
	if (x->refusal)
		return refuse(x, x->refusal, x->allow[0] ? x->allow : NULL);
	if (x->too_large)
		return refuse(x, 413, NULL);
	if (x->failed)
		return refuse(x, rc_http_status(x->failed), NULL);
	return run_handler(x, x->handler);
}

static const char *ending(enum MHD_RequestTerminationCode toe)
{
	switch (toe) {
	case MHD_REQUEST_TERMINATED_COMPLETED_OK: return NULL;
	case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED: return "timeout";
	case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN: return "shutdown";
	case MHD_REQUEST_TERMINATED_CLIENT_ABORT: return "client_abort";
	case MHD_REQUEST_TERMINATED_READ_ERROR: return "read_error";
	default: return "error";
	}
}

/* MHD is done with the request, however it ended: log it, count it, free
 * it.  Only what is listed here is logged -- never the query string, the
 * body, cookies or any other header, which may hold secrets. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct rc_http_server *srv = cls;
	struct rc_http_exchange *x = *con_cls;
	uint64_t us;
	if (!x)
		return;
	*con_cls = NULL;
	elapsed_since(&x->t0, &us);
	unsigned status = x->status;
	if (!status) {
		/* MHD answered by itself (a malformed request, a head past
		 * its memory) or nobody did */
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_HTTP_STATUS);
		status = ci ? ci->http_status : 0;
	}
	const char *path = x->path ? x->path : x->raw_path, *end = ending(toe);
	json_t *line = rc_http_log_begin("request");
	rc_http_log_set(line, "request_id", json_string(x->id));
	rc_http_log_set(line, "method",
			x->method[0] ? rc_http_log_text(x->method, strlen(x->method), 16)
				     : json_null());
	rc_http_log_set(line, "path", rc_http_log_text(path, strlen(path), 256));
	rc_http_log_set(line, "route", x->route ? json_string(x->route) : json_null());
	rc_http_log_set(line, "status", json_integer(status));
	rc_http_log_set(line, "bytes", json_integer((json_int_t)x->bytes));
	rc_http_log_set(line, "duration_us", json_integer((json_int_t)us));
	if (end)
		rc_http_log_set(line, "end", json_string(end));
	rc_http_log_emit(line);
	rc_http_metrics_observe(srv->metrics, x->method[0] ? x->method : NULL, x->route, status,
				us);
	atomic_fetch_add(&srv->requests, 1);
	/* A body may hold a password or a TOTP code (the log-in forms), and
	 * the handler decoded its fields into the arena: both are wiped, not
	 * only freed, as such a request ends. */
	if (x->body_pending) {
		if (x->body.data)
			rc_crypto_wipe(x->body.data, x->body.alloc);
		rc_arena_wipe(&x->arena);
	}
	rc_buf_free(&x->body);
	rc_arena_free(&x->arena);
	free(x);
	atomic_fetch_sub(&srv->in_flight, 1);
}

/* MHD's own messages (a failed accept, a connection cut) as log lines.
 * They name at most the path, never a query string or a header. */
__attribute__((format(printf, 2, 0))) static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	(void)cls;
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t len = n < 0 ? 0 : (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		len--;
	json_t *line = rc_http_log_begin("mhd");
	rc_http_log_set(line, "message", rc_http_log_text(msg, len, sizeof(msg)));
	rc_http_log_emit(line);
}

/* ---- start and stop -------------------------------------------------------- */

/* Split HOST:PORT ([V6]:PORT) and resolve it.  0, or -1 with a message. */
static int resolve(const char *spec, struct sockaddr_storage *ss, socklen_t *len,
		   struct rc_diags *d)
{
	char host[256];
	const char *colon = spec ? strrchr(spec, ':') : NULL, *h = spec, *port;
	size_t hlen;
	if (!colon)
		goto syntax;
	port = colon + 1;
	hlen = (size_t)(colon - spec);
	if (spec[0] == '[') {
		/* [V6]:PORT */
		if (hlen < 3 || colon[-1] != ']')
			goto syntax;
		h = spec + 1;
		hlen -= 2;
	} else if (memchr(spec, ':', hlen)) {
		goto syntax; /* an IPv6 address needs its brackets */
	}
	if (hlen == 0 || hlen >= sizeof(host))
		goto syntax;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	char *end;
	errno = 0;
	long pn = strtol(port, &end, 10);
	if (!*port || *end || errno || pn < 0 || pn > 65535 ||
	    strspn(port, "0123456789") != strlen(port))
		goto syntax;
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
	struct addrinfo *ai = NULL;
	int g = getaddrinfo(host, port, &hints, &ai);
	if (g != 0 || !ai) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "--listen '%s': cannot resolve '%s': %s", spec,
			    host, gai_strerror(g));
		return -1;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
syntax:
	rc_diag_add(d, RC_SEV_ERROR, 0, 0,
		    "--listen '%s': expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080 (port 0 "
		    "picks a free port)",
		    spec ? spec : "");
	return -1;
}

enum rc_err rc_http_listen_check(const char *listen, struct rc_diags *d)
{
	struct sockaddr_storage ss;
	socklen_t len;
	return resolve(listen, &ss, &len, d) ? RC_ERR_USAGE : RC_OK;
}

/* Bind and listen ourselves, rather than let MHD: the error names the
 * address and errno, and the port chosen for port 0 is known at once. */
static enum rc_err bind_listen(struct rc_http_server *srv, const char *spec, struct rc_diags *d)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1;
	char host[64], port[8];
	if (resolve(spec, &ss, &len, d))
		return RC_ERR_USAGE;
	srv->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (srv->fd < 0 || setsockopt(srv->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(srv->fd, (struct sockaddr *)&ss, len) != 0 || listen(srv->fd, 128) != 0) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot listen on %s: %s", spec,
			    strerror(errno));
		return RC_ERR_IO;
	}
	len = sizeof(ss);
	if (getsockname(srv->fd, (struct sockaddr *)&ss, &len) != 0 ||
	    getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), port, sizeof(port),
			NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot tell the address bound: %s", spec,
			    strerror(errno));
		return RC_ERR_IO;
	}
	snprintf(srv->address, sizeof(srv->address), ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
		 host, port);
	return RC_OK;
}

enum rc_err rc_http_start(const struct rc_http_config *cfg, struct rc_diags *d,
			  struct rc_http_server **out)
{
	enum rc_err e;
	struct rc_http_server *srv = calloc(1, sizeof(*srv));
	*out = NULL;
	if (!srv)
		return RC_ERR_NOMEM;
	srv->fd = -1;
	srv->routes = cfg->routes;
	srv->json_prefix = cfg->json_prefix;
	srv->ctx = cfg->ctx;
	srv->body_max = cfg->body_max ? cfg->body_max : RC_HTTP_BODY_MAX;
	atomic_init(&srv->in_flight, 0);
	atomic_init(&srv->stopping, 0);
	atomic_init(&srv->requests, 0);
	int threads = cfg->threads > 1 ? cfg->threads : 1;
	if (threads > RC_HTTP_THREADS_MAX || (threads > 1 && !(cfg->ctx && cfg->ctx->stores))) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "%d threads: at most %d, and more than one needs a pool of store "
			    "connections",
			    threads, RC_HTTP_THREADS_MAX);
		e = RC_ERR_USAGE;
		goto out;
	}
	if ((e = rc_http_routes_check(cfg->routes, d)) ||
	    (e = rc_http_metrics_new(cfg->routes, &srv->metrics)) ||
	    (e = bind_listen(srv, cfg->listen, d)))
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &srv->started);
	/* Internal polling threads, a pool of them when more than one
	 * (http.h, Threads); ITC so that rc_http_stop can quiesce them.  MHD's
	 * own memory per connection is the
	 * hard bound on a request's head: a head past it is refused by MHD
	 * itself, before a handler runs. */
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (strchr(srv->address, '['))
		flags |= MHD_USE_IPv6;
	srv->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv,
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)srv->fd, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)RC_HTTP_CONN_MEMORY, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)(cfg->conn_max ? cfg->conn_max : RC_HTTP_CONN_MAX),
	    MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)(cfg->timeout_s ? cfg->timeout_s : RC_HTTP_TIMEOUT_S),
	    MHD_OPTION_STRICT_FOR_CLIENT, (int)1, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
	    /* one thread: no pool option at all (MHD warns of a size of 0 or 1) */
	    threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, (unsigned)threads,
	    MHD_OPTION_END);
	if (!srv->daemon) {
		/* MHD may or may not have closed the socket it was given: leave
		 * it (the process is about to exit) rather than risk closing a
		 * number reused since */
		srv->fd = -1;
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot start the HTTP server on %s",
			    srv->address);
		e = RC_ERR_IO;
		goto out;
	}
	json_t *line = rc_http_log_begin("start");
	rc_http_log_set(line, "listen", json_string(srv->address));
	rc_http_log_set(line, "version",
			json_string(cfg->ctx && cfg->ctx->version ? cfg->ctx->version : "unknown"));
	rc_http_log_set(
	    line, "store",
	    json_string(cfg->ctx && cfg->ctx->store ? rc_store_backend(cfg->ctx->store) : "none"));
	rc_http_log_set(line, "threads", json_integer(threads));
	rc_http_log_set(line, "pid", json_integer(getpid()));
	rc_http_log_emit(line);
	*out = srv;
	srv = NULL;
out:
	if (srv) {
		if (srv->fd >= 0)
			close(srv->fd);
		rc_http_metrics_free(srv->metrics);
		free(srv);
	}
	return e;
}

void rc_http_stop(struct rc_http_server *srv, int drain_ms, struct rc_http_stats *st)
{
	if (!srv)
		return;
	atomic_store(&srv->stopping, 1);
	/* Take the listening socket back from MHD, and shut it: on Linux a
	 * listening socket that is shut down refuses new connections at once,
	 * rather than leave them queued in its backlog until the close.  It is
	 * closed only after MHD_stop_daemon (MHD's rule for a quiesced
	 * socket). */
	MHD_socket fd = MHD_quiesce_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		shutdown(fd, SHUT_RDWR);
	json_t *line = rc_http_log_begin("draining");
	rc_http_log_set(line, "in_flight", json_integer(atomic_load(&srv->in_flight)));
	rc_http_log_emit(line);
	for (int waited = 0; atomic_load(&srv->in_flight) > 0 && waited < drain_ms; waited += 10)
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	int cut = atomic_load(&srv->in_flight);
	/* closes idle keep-alive connections, cuts what is left, joins */
	MHD_stop_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	if (st) {
		uint64_t us;
		elapsed_since(&srv->started, &us);
		st->requests = atomic_load(&srv->requests);
		st->cut = cut;
		st->uptime_s = (double)us / 1e6;
	}
	rc_http_metrics_free(srv->metrics);
	free(srv);
}
