/*
 * http_int.h -- internals shared by the files of src/http/: the router's
 * matching, the metrics store and the JSON log writer.  Not for other
 * modules (they use http.h).
 */
#ifndef RC_HTTP_INT_H
#define RC_HTTP_INT_H

#include <stdint.h>

#include <jansson.h>

#include "http/http.h"

/* ---- router.c ---------------------------------------------------------- */

enum rc_http_match_kind {
	RC_HTTP_MATCHED,  /* m->route answers */
	RC_HTTP_NO_PATH,  /* 404: no pattern matches the path */
	RC_HTTP_NO_METHOD /* 405: the pattern matches, not the method; m->allow */
};

struct rc_http_match {
	const struct rc_http_route *route; /* RC_HTTP_MATCHED */
	const char *pattern;               /* the pattern matched (MATCHED, NO_METHOD) */
	char allow[128];                   /* NO_METHOD: "GET, HEAD, POST" */
};

/* Match (method, path) against the tables (http.h, struct rc_http_route). */
enum rc_http_match_kind rc_http_route_match(const struct rc_http_route *const *tables,
					    const char *method, const char *path,
					    struct rc_http_match *m);

/* Check the tables once, at start: every method an upper-case token,
 * every pattern beginning with '/' with a '*' only at its end, every
 * handler set, no (method, pattern) twice, at most RC_HTTP_ROUTES_MAX
 * distinct patterns.  Each problem into `d`; RC_ERR_INTERNAL if any. */
enum rc_err rc_http_routes_check(const struct rc_http_route *const *tables, struct rc_diags *d);

/* ---- metrics.c --------------------------------------------------------- */

struct rc_http_metrics;

/* A metrics store for the patterns of these tables (already checked).
 * Freed with rc_http_metrics_free (NULL-safe). */
enum rc_err rc_http_metrics_new(const struct rc_http_route *const *tables,
				struct rc_http_metrics **out);
void rc_http_metrics_free(struct rc_http_metrics *m);

/* Count one request: its method (any text: an unknown method counts as
 * "other"), its route pattern (NULL: none matched), its status (0: no
 * response was sent) and how long it took. */
void rc_http_metrics_observe(struct rc_http_metrics *m, const char *method, const char *route,
			     unsigned status, uint64_t duration_us);

/* The text format 0.0.4, with rongcuo_build_info{version} and rongcuo_up. */
enum rc_err rc_http_metrics_render(struct rc_http_metrics *m, const char *version,
				   struct rc_buf *out);

/* ---- log.c -------------------------------------------------------------- */

/* A log line: a new object holding "time" (UTC, ISO 8601 with
 * milliseconds) and "event", in that order; the caller adds its fields and
 * hands it to rc_http_log_emit, which writes it as one line on stderr (one
 * write(2), so that lines of two threads never interleave) and frees it.
 * NULL when out of memory (rc_http_log_emit(NULL) does nothing), so a line
 * is lost rather than the request. */
json_t *rc_http_log_begin(const char *event);
void rc_http_log_emit(json_t *line);

/* A JSON string of s[0..len) that is always valid: at most `max` bytes
 * kept (then "..."), invalid UTF-8 replaced by U+FFFD.  For paths and
 * methods, which come from the client. */
json_t *rc_http_log_text(const char *s, size_t len, size_t max);

/* Set a field, ignoring allocation failure (the line goes out without it). */
void rc_http_log_set(json_t *line, const char *key, json_t *value);

#endif
