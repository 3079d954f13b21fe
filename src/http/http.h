/*
 * http.h -- the HTTP layer: server, router, limits, request log, metrics.
 *
 * rongcuo serves its web application and JSON API over libmicrohttpd
 * (MHD).  This module owns everything that is about HTTP and nothing that
 * is about cases: it listens, bounds every request by construction, routes
 * it through static tables of {method, path, handler}, gives the handler a
 * per-request arena and the application's context, adds the security
 * headers to every response, logs one JSON line per request and keeps the
 * Prometheus metrics.  The pages (web/) and the API (api/) plug in as more
 * route tables; sessions and CSRF will sit in front of their handlers.
 *
 * Threads.  MHD runs rc_http_config.threads internal polling threads
 * (one: MHD_USE_INTERNAL_POLLING_THREAD alone; more: its thread pool, each
 * thread with its own share of the connections).  A handler runs in one of
 * them, and handlers of different requests run at the same time.  A store
 * connection is used by one thread at a time, so with more than one thread
 * the context names a pool (rc_http_ctx.stores) and each request gets a
 * connection of its own from it, for the handler's whole run: the copy of
 * the context a handler sees (req->ctx) has that connection as its store
 * and in its unit, and whose slot is that connection's index: state the
 * application keeps per slot is the request's alone.  Whatever else a
 * handler shares (the application's state in ctx->app) must take its own
 * locks; the metrics and the log do.
 * With one thread and no pool, ctx->store serves every request, and the
 * thread that opened it must not touch it between rc_http_start() and
 * rc_http_stop().
 *
 * Signals.  The module installs no signal handler.  MHD's thread inherits
 * the signal mask of the thread that calls rc_http_start(): a caller that
 * waits for SIGTERM/SIGINT (cli/cmd_serve.c, with sigwait) blocks them
 * before starting the server, so that they reach it and not MHD's thread.
 *
 * Errors.  Handlers return an enum rc_err; rc_http_status() is the one
 * place where an error becomes an HTTP status.
 *
 * docs/modules/http.md describes the limits, the log format and the
 * metrics.
 */
#ifndef RC_HTTP_H
#define RC_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/diag.h"
#include "core/err.h"
#include "procedure/procedure.h"
#include "store/store.h"

/* ---- limits (docs/modules/http.md says why each is what it is) ------- */

#define RC_HTTP_BODY_MAX    (1u << 20)  /* request body; 413 beyond, never buffered past */
#define RC_HTTP_DISCARD_MAX (8u << 20)  /* chunked body past the cap: read and dropped up */
					/* to this, then the connection is closed */
#define RC_HTTP_URL_MAX     4096        /* request target (path and query); 414 beyond */
#define RC_HTTP_HEAD_MAX    (16u << 10) /* request line and headers; 431 beyond */
#define RC_HTTP_CONN_MEMORY (64u << 10) /* MHD's memory per connection: the hard backstop */
#define RC_HTTP_CONN_MAX    256         /* open connections */
#define RC_HTTP_TIMEOUT_S   30          /* an idle connection is closed after this */
#define RC_HTTP_DRAIN_MS    10000       /* shutdown: wait this long for requests in flight */
#define RC_HTTP_RESP_MAX    (16u << 20) /* response body a handler may build */
#define RC_HTTP_ARENA_MAX   (16u << 20) /* per-request arena */
#define RC_HTTP_ROUTES_MAX  256         /* distinct path patterns over all route tables */
#define RC_HTTP_HEADERS_MAX 8           /* extra headers a handler may add */

/* ---- what a handler sees ------------------------------------------------ */

/* The application's context, shared by every request; set up by the
 * caller before rc_http_start() and borrowed by the server until
 * rc_http_stop().  A handler sees a copy of it (req->ctx) whose store and
 * unit are its request's own (Threads, above). */
struct rc_http_ctx {
	struct rc_store *store; /* the open store (cli/datadir.c) */
	/* Connections for a server with several threads, or NULL (then
	 * `store` serves every request, and the server must have one
	 * thread): a request takes one for its handler's run. */
	struct rc_store_pool *stores;
	/* The request's slot: with a pool, the index of its connection in it
	 * (0..threads-1), held by this request alone for the handler's run;
	 * 0 without.  State the application keeps per slot (a cache that is
	 * not for two threads at once) needs no lock. */
	int slot;
	/* The template of a request's unit of work (procedure.h): a handler
	 * that changes something copies it and puts the request id in its
	 * request_id, so that the audit row names the request. */
	const struct rc_unit *unit;
	const char *version; /* rongcuo's version, for build_info */
	void *app;           /* the web application's own state (sessions, ...) */
};

struct rc_http_exchange; /* server.c: one request's internal state */

/* One request.  Every pointer is borrowed until the request ends. */
struct rc_http_req {
	const char *method;      /* as sent ("HEAD" reaches a GET handler as "HEAD") */
	const char *path;        /* decoded path, without the query string */
	const char *route;       /* the pattern of the route that matched */
	const void *route_arg;   /* the route's arg */
	const char *target;      /* the request target as sent (path and query, undecoded) */
	const char *body;        /* the request body, NUL-terminated; "" when none */
	size_t body_len;         /* at most the server's body cap */
	const char *id;          /* the request id: 16 hex digits, also X-Request-Id */
	struct rc_arena *arena;  /* per-request memory, freed when the request ends */
	struct rc_http_ctx *ctx; /* the application's context */
	struct rc_http_server *server;
	struct rc_http_exchange *x; /* private to server.c */
};

struct rc_http_header {
	const char *name, *value; /* borrowed until the request ends (static or arena) */
};

/* The response a handler fills in.  The server has initialised it: status
 * 200, content type "text/plain; charset=utf-8", an empty body capped at
 * RC_HTTP_RESP_MAX.  The security headers and X-Request-Id are added by
 * the server to every response, whoever made it; a handler cannot remove
 * them. */
struct rc_http_resp {
	unsigned status;
	const char *content_type; /* borrowed (static or arena) */
	struct rc_buf body;
	struct rc_http_header headers[RC_HTTP_HEADERS_MAX];
	int n_headers;
};

/* A handler.  RC_OK: the response as filled in is sent (any status).  An
 * error: whatever the handler wrote is dropped and the server answers
 * rc_http_status(e) with its standard body, so that no half-built page and
 * no internal message leaks.  RC_ERR_LIMIT means the request was too large
 * (413): a handler whose own response passes RC_HTTP_RESP_MAX returns
 * RC_ERR_INTERNAL. */
typedef enum rc_err (*rc_http_handler_fn)(struct rc_http_req *req, struct rc_http_resp *resp);

/* A route: `method` (exact, case-sensitive: "GET", "POST", ...) and
 * `pattern`, a path that matches exactly, or, ending in '*', every path
 * that begins with what comes before the '*' (a pattern "/static/" and a
 * '*' matches "/static/app.css"), or with "{name}" segments, each of
 * which matches one whole non-empty segment ("/cases/{code}" matches
 * "/cases/A-1", not "/cases/" or "/cases/A/1"; rc_http_req_param gives the
 * segment).  A table ends with an entry whose method is NULL.
 *
 * Matching: the most specific pattern matching the path wins (an exact
 * pattern over one with parameters, that over any prefix; between two with
 * parameters, the one with more literal bytes; a longer prefix over a
 * shorter one); then the
 * method chooses among the routes of that pattern.  No pattern: 404.  The
 * pattern but not the method: 405 with an Allow header naming the
 * pattern's methods.  HEAD is answered by the pattern's GET route when it
 * has no HEAD route of its own, without the body (MHD sends the headers
 * only, Content-Length included).  The pattern, never the raw path, is
 * the `route` of the log and the metrics, so their label sets stay
 * bounded. */
struct rc_http_route {
	const char *method;
	const char *pattern;
	rc_http_handler_fn handler;
	const void *arg; /* the handler's own datum for this route (req->route_arg), or NULL */
};

/* /healthz and /metrics (ops.c). */
extern const struct rc_http_route rc_http_ops_routes[];

/* Add a header to the response (RC_ERR_LIMIT beyond RC_HTTP_HEADERS_MAX).
 * The security headers, X-Request-Id, Allow, Content-Type, Content-Length,
 * Connection and Transfer-Encoding are the server's, and a CR or LF would
 * start a header of its own: RC_ERR_USAGE for those.  Name and value are
 * borrowed until the request ends. */
enum rc_err rc_http_resp_header(struct rc_http_resp *resp, const char *name, const char *value);

/* A request header or query argument by name (case-insensitive for
 * headers), or NULL.  Borrowed until the request ends.  Neither is ever
 * logged: they may carry secrets (cookies, tokens). */
const char *rc_http_req_header(const struct rc_http_req *req, const char *name);
const char *rc_http_req_query(const struct rc_http_req *req, const char *name);

/* Parameter `name` of the route's pattern ("{name}") in `path`, as the
 * decoded path has it, into out[0..cap) NUL-terminated.  RC_ERR_NOT_FOUND
 * (the pattern has no such parameter or does not match), RC_ERR_LIMIT (it
 * does not fit).  rc_http_req_param does it for a request. */
enum rc_err rc_http_route_param(const char *pattern, const char *path, const char *name, char *out,
				size_t cap);
#define rc_http_req_param(req, name, out, cap)                                                     \
	rc_http_route_param((req)->route, (req)->path, (name), (out), (cap))

/* ---- cookies and forms (cookie.c) ------------------------------------ */

#define RC_HTTP_COOKIE_HEADER_MAX 8192 /* a Cookie header longer is not read */
#define RC_HTTP_COOKIES_MAX       64   /* pairs scanned in one Cookie header */
#define RC_HTTP_FORM_FIELDS_MAX   64   /* fields scanned in one form body */

/* Cookie `name` from the value of a Cookie header (`header`, NULL: none)
 * into out[0..cap) (NUL-terminated, the quotes of a quoted value removed).
 * The name is matched exactly (case-sensitive, as browsers send it).
 * RC_OK, or, and out is then "": RC_ERR_NOT_FOUND (absent),
 * RC_ERR_CONFLICT (present more than once: which one to believe is not
 * ours to guess), RC_ERR_SYNTAX (a byte outside RFC 6265's cookie-octet),
 * RC_ERR_LIMIT (the value does not fit in cap - 1 bytes, the header is
 * over RC_HTTP_COOKIE_HEADER_MAX, or holds more than RC_HTTP_COOKIES_MAX
 * pairs).  Callers treat every error as "no cookie". */
enum rc_err rc_http_cookie_find(const char *header, const char *name, char *out, size_t cap);

/* Field `name` of an application/x-www-form-urlencoded body[0..len),
 * decoded ('+' a space, %XX a byte) into the arena: *out NUL-terminated,
 * *out_len its length (out_len may be NULL).  Field names are compared as
 * sent (ours are plain ASCII, never escaped).  RC_ERR_NOT_FOUND (absent),
 * RC_ERR_SYNTAX (a bad escape, an escaped NUL, invalid UTF-8, or the field
 * twice), RC_ERR_LIMIT (more than RC_HTTP_FORM_FIELDS_MAX fields),
 * RC_ERR_NOMEM (the arena). */
enum rc_err rc_http_form_get(struct rc_arena *a, const char *body, size_t len, const char *name,
			     const char **out, size_t *out_len);

/* ---- multipart/form-data (multipart.c) -------------------------------- */

#define RC_HTTP_BOUNDARY_MAX     70   /* RFC 2046 §5.1.1: a boundary is 1..70 bytes */
#define RC_HTTP_PART_HEADERS_MAX 8    /* header lines of one part */
#define RC_HTTP_PART_LINE_MAX    1024 /* one header line of a part, without its CRLF */
#define RC_HTTP_FILENAME_MAX     255  /* bytes of a file's name kept for display */

/* One part of a multipart/form-data body. */
struct rc_http_part {
	/* The part's bytes, copied into the arena with a NUL after them
	 * (data[len] == '\0'); they may hold any byte, a NUL included. */
	const char *data;
	size_t len;
	/* A file part (its Content-Disposition has a filename): the name,
	 * for display only, never a path -- its last segment after '/' or
	 * '\\', control characters (bidirectional ones too) and invalid
	 * UTF-8 each made '_', at most RC_HTTP_FILENAME_MAX bytes; "" when
	 * the browser sent none (no file chosen).  NULL: a plain field. */
	const char *filename;
};

/* 1 when a Content-Type header value (NULL: none) is multipart/form-data
 * (the type compared ignoring case, whatever its parameters), else 0. */
int rc_http_multipart_is(const char *content_type);

/* Part `name` of a multipart/form-data body[0..len) whose Content-Type
 * header is `content_type` (the boundary is its parameter), into *out
 * (its bytes and filename in the arena).  Names are compared as sent
 * (ours are plain ASCII).  The whole body is read, whichever part is
 * wanted, so that a body is taken whole or not at all.  RC_ERR_NOT_FOUND
 * (no such part), RC_ERR_SYNTAX (not multipart/form-data, no boundary or
 * one of more than RC_HTTP_BOUNDARY_MAX bytes or outside RFC 2046's
 * bchars, a line not ended by CRLF, a body cut short before its close
 * delimiter, a part without Content-Disposition: form-data and a name, a
 * header line or parameter that does not parse, a Content-Transfer-Encoding
 * other than 7bit, 8bit or binary, the part twice), RC_ERR_LIMIT (more
 * than RC_HTTP_FORM_FIELDS_MAX parts, a part with more than
 * RC_HTTP_PART_HEADERS_MAX header lines or one longer than
 * RC_HTTP_PART_LINE_MAX bytes), RC_ERR_NOMEM (the arena); *out is then
 * empty. */
enum rc_err rc_http_multipart_get(struct rc_arena *a, const char *content_type, const char *body,
				  size_t len, const char *name, struct rc_http_part *out);

/* Part `name` read as a form field's text, as rc_http_form_get gives one:
 * *out NUL-terminated (arena), *out_len its length (out_len may be NULL).
 * The errors of rc_http_multipart_get, and RC_ERR_SYNTAX when the bytes
 * hold a NUL or are not valid UTF-8. */
enum rc_err rc_http_multipart_text(struct rc_arena *a, const char *content_type, const char *body,
				   size_t len, const char *name, const char **out, size_t *out_len);

/* The HTTP status for an error, and its standard body's text (Chinese
 * first, then the English reason phrase).  The one place where errors
 * become statuses. */
unsigned rc_http_status(enum rc_err e);
const char *rc_http_status_text(unsigned status);

/* ---- the server ---------------------------------------------------------- */

struct rc_http_config {
	const char *listen; /* "HOST:PORT" ("[::1]:PORT" for IPv6); port 0 picks a free one */
	/* NULL-terminated list of route tables, searched together (see
	 * struct rc_http_route); borrowed until rc_http_stop(). */
	const struct rc_http_route *const *routes;
	struct rc_http_ctx *ctx;
	/* Requests whose path begins with this (the API's "/api/") get the
	 * server's own refusals (404, 405, 413, 414, 431, 500 ...) as JSON,
	 * {"error": {"status", "code", "message"}}; NULL: text for all. */
	const char *json_prefix;
	/* 0 = the default of the limits above */
	size_t body_max;
	unsigned conn_max, timeout_s;
	/* Threads that handle requests, 0 or 1: one; more needs ctx->stores
	 * (RC_ERR_USAGE otherwise).  At most RC_HTTP_THREADS_MAX. */
	int threads;
};
#define RC_HTTP_THREADS_MAX 64

struct rc_http_server;

/* Check a --listen value: HOST:PORT, the host an IP address or a name
 * (resolved, the first address taken), the port 0..65535.  RC_ERR_USAGE
 * with a message naming the value; nothing is bound. */
enum rc_err rc_http_listen_check(const char *listen, struct rc_diags *d);

/* Bind, check the route tables, start MHD's thread, and log the start
 * line (which names the address actually bound, so that port 0 shows the
 * port chosen).  Errors: RC_ERR_USAGE for a bad listen address,
 * RC_ERR_INTERNAL for a malformed route table (a bug), RC_ERR_IO when the
 * address cannot be bound or MHD does not start, RC_ERR_NOMEM; each with a
 * message in `d`.  The caller stops the server with rc_http_stop(). */
enum rc_err rc_http_start(const struct rc_http_config *cfg, struct rc_diags *d,
			  struct rc_http_server **out);

/* The address bound, "127.0.0.1:8080" or "[::1]:8080".  Borrowed. */
const char *rc_http_address(const struct rc_http_server *srv);

/* What a server did, for the stop line. */
struct rc_http_stats {
	uint64_t requests; /* requests logged */
	int cut;           /* requests still in flight when the drain time ran out */
	double uptime_s;
};

/* Stop gracefully: stop accepting connections at once (new connections are
 * refused), answer the requests in flight, waiting up to `drain_ms` for
 * them (responses sent meanwhile carry Connection: close), then close every
 * connection and join MHD's thread.  After it returns no thread of the
 * server runs: the caller may close the store.  Fills *st when not NULL.
 * NULL-safe. */
void rc_http_stop(struct rc_http_server *srv, int drain_ms, struct rc_http_stats *st);

/* The metrics in Prometheus text format 0.0.4 (the /metrics body) into
 * `out`.  Called from a handler, in any of the server's threads. */
enum rc_err rc_http_metrics_text(struct rc_http_server *srv, struct rc_buf *out);

/* ---- the log --------------------------------------------------------- */

/* One JSON line on stderr: {"time":..., "event":"stop", "reason":...,
 * "requests":N, "cut":N, "uptime_s":...}.  The caller logs it last, after
 * it closed the store. */
void rc_http_log_stop(const struct rc_http_stats *st, const char *reason);

#endif
