/*
 * web.h -- the web application: pages rendered on the server, sessions
 * over a cookie, CSRF tokens.
 *
 * web/ sits above procedure/ and below nothing but cli/: its handlers are
 * route tables for http/ (rc_web_tables), its state hangs off
 * rc_http_ctx.app (struct rc_web_app), and every change goes through
 * procedure.h, so a page can do exactly what the CLI can and no more.
 *
 * Pages are built with a tiny template renderer that escapes by default
 * (tmpl.c): every value substituted is HTML-escaped unless the template
 * says {{&name}} and the value was explicitly marked trusted, which only
 * fragments the application built itself are.  docs/modules/web.md
 * describes the pages, the session cookie and the CSRF tokens.
 */
#ifndef RC_WEB_H
#define RC_WEB_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "crypto/crypto.h"
#include "http/http.h"
#include "procedure/procedure.h"

/* ---- templates (tmpl.c) ------------------------------------------------- */

/* A value for a template.  `trusted` = 1 only for text the application
 * made itself (a constant, or the output of rc_tmpl_render); it is what
 * {{&name}} requires.  Build them with RC_TMPL_TEXT and RC_TMPL_TRUSTED
 * so that the choice is visible where the value is given. */
struct rc_tmpl_var {
	const char *name;
	const char *value; /* NULL counts as "" */
	int trusted;
};
#define RC_TMPL_TEXT(n, v)                                                                         \
	{                                                                                          \
		(n), (v), 0                                                                        \
	}
#define RC_TMPL_TRUSTED(n, v)                                                                      \
	{                                                                                          \
		(n), (v), 1                                                                        \
	}

#define RC_TMPL_DEPTH_MAX 8 /* nested sections */

/* Render template `tmpl` with vars[0..n_vars) appended to `out` (whose cap
 * bounds the page).  The syntax:
 *
 *   {{name}}               the value, HTML-escaped (& < > " ' and invalid
 *                          UTF-8 as U+FFFD): the default, and the only form
 *                          for a value that is not trusted
 *   {{&name}}              the value as is: RC_ERR_USAGE unless trusted
 *   {{#name}}...{{/name}}  the inside when the value is not empty
 *   {{^name}}...{{/name}}  the inside when the value is empty
 *
 * A name not in vars, an unclosed tag or section, or sections deeper than
 * RC_TMPL_DEPTH_MAX: RC_ERR_NAME, RC_ERR_SYNTAX, RC_ERR_LIMIT -- bugs of
 * the template, found by the tests that render every page.  RC_ERR_LIMIT
 * also when `out` is full.  On error `out` holds a partial page: drop it. */
enum rc_err rc_tmpl_render(struct rc_buf *out, const char *tmpl, const struct rc_tmpl_var *vars,
			   size_t n_vars);

/* Append s[0..len) HTML-escaped to `out`: & < > " ' as entities, invalid
 * UTF-8 as U+FFFD, so that the result is safe in element content and in
 * a quoted attribute value. */
enum rc_err rc_html_escape(struct rc_buf *out, const char *s, size_t len);

/* ---- the application ---------------------------------------------------- */

#define RC_WEB_SESSION_COOKIE "rc_session"
#define RC_WEB_PRE_COOKIE     "rc_pre"
#define RC_WEB_PRE_TTL        3600 /* a log-in form is good for an hour */
#define RC_WEB_TOKEN_HEX      (2 * RC_SM3_LEN + 1)

struct rc_policy_set;
struct rc_cal;
struct rc_page_cache;

/* The cache of rendered pages (pagecache.c): at most `entries` pages of
 * at most max_body bytes each.  Any thread may use it (it has a lock). */
enum rc_err rc_page_cache_new(int entries, size_t max_body, struct rc_page_cache **out);
void rc_page_cache_free(struct rc_page_cache *c); /* NULL-safe */

/* The web application's state, shared by every request (rc_http_ctx.app). */
struct rc_web_app {
	uint8_t csrf_key[RC_SM3_LEN]; /* rc_web_app_init: derived from the audit key */
	struct rc_session_limits lim; /* for new sessions */
	int secure;                   /* 1: cookies get Secure (served over TLS) */
	struct rc_access access;      /* rc_web_app_check: the permission matrix */
	/* The policy versions the case pages change cases under: set by the
	 * caller before the server starts (borrowed; the caller loads and
	 * frees it), then read only through rc_web_app_set and replaced only
	 * by rc_web_app_publish, since requests on other threads read it. */
	struct rc_policy_set *set;
	/* The working-day calendar deadlines are counted on: set by the
	 * caller before the server starts (borrowed; the caller loads and
	 * frees it), then read only through rc_web_app_cal and replaced only
	 * by rc_web_app_publish_cal (a year activated), as `set` is. */
	const struct rc_cal *cal;
	/* The assessments of recent case views (procedure.h), one cache per
	 * slot (rc_http_ctx.slot: a cache is not for two threads at once, and
	 * a slot is one request's at a time), or NULL for none. */
	struct rc_view_cache *views[RC_STORE_POOL_MAX];
	/* Pages served again while the data is unchanged (pagecache.c), or
	 * NULL; it takes its own lock. */
	struct rc_page_cache *pages;
	/* The directory --policy named, where 系统管理员 activates new
	 * versions; NULL when it named a single file (then none can be). */
	const char *policy_dir;
	/* The directory the calendar was loaded from, where 系统管理员
	 * activates new years; NULL when it may not be written (serve fell
	 * back to the source tree's data/calendar), so none can be. */
	const char *calendar_dir;
	/* Route tables behind another gate that enforces this same matrix
	 * (the JSON API's, api/api.h: rc_api_tables), NULL-terminated, or
	 * NULL: rc_web_app_check holds their routes to the matrix as it does
	 * the pages', instead of requiring them to be public. */
	const struct rc_http_route *const *gated;
	/* rc_web_app_init / rc_web_app_done: `lock` guards `set`, `cal` and
	 * the sets and calendars published (owned here, freed by
	 * rc_web_app_done: a request may still be using an older one);
	 * `activating` makes one policy activation at a time,
	 * `cal_activating` one calendar activation. */
	pthread_mutex_t lock, activating, cal_activating;
	struct rc_policy_set **owned;
	int n_owned, cap_owned;
	struct rc_cal **owned_cals;
	int n_owned_cals, cap_owned_cals;
	int ready; /* the mutexes were made (rc_web_app_done destroys only those) */
};
/* views[] has a cache for every slot a server's pool can have */
_Static_assert(RC_HTTP_THREADS_MAX <= RC_STORE_POOL_MAX, "a view cache per server thread");

/* Set up `app`: the CSRF key is HMAC-SM3(audit_key, "rongcuo web csrf v1"),
 * so that tokens survive a restart and every process on one data
 * directory accepts the others' (docs/modules/web.md says why).  `lim`
 * NULL: the defaults of procedure.h.  Wipe app->csrf_key when done. */
enum rc_err rc_web_app_init(struct rc_web_app *app, const uint8_t *audit_key,
			    const struct rc_session_limits *lim, int secure);
/* Free what the application made while serving (the sets and calendars
 * it published) and wipe it, after the server has stopped.  NULL-safe. */
void rc_web_app_done(struct rc_web_app *app);

/* The policy versions in force now: a request takes them once, at its
 * start, and uses that set to its end (a version activated meanwhile is
 * for the next request).  The set lives until rc_web_app_done. */
struct rc_policy_set *rc_web_app_set(struct rc_web_app *app);
/* Make room for one more set to publish (RC_ERR_NOMEM), before the change
 * whose set it will be; then rc_web_app_publish makes `next` the set of
 * every later request and cannot fail.  The application owns `next` from
 * then on (freed by rc_web_app_done). */
enum rc_err rc_web_app_reserve(struct rc_web_app *app);
void rc_web_app_publish(struct rc_web_app *app, struct rc_policy_set *next);

/* The working-day calendar in force now, as rc_web_app_set: a request
 * takes it once, at its start, and counts every deadline of the request
 * on it (a year activated meanwhile is for the next request).  It lives
 * until rc_web_app_done. */
const struct rc_cal *rc_web_app_cal(struct rc_web_app *app);
/* Make room for one more calendar to publish (RC_ERR_NOMEM), before the
 * change whose calendar it will be; then rc_web_app_publish_cal makes
 * `next` the calendar of every later request and cannot fail.  The
 * application owns `next` from then on (freed by rc_web_app_done). */
enum rc_err rc_web_app_reserve_cal(struct rc_web_app *app);
void rc_web_app_publish_cal(struct rc_web_app *app, struct rc_cal *next);

/* Before the server starts: parse the permission matrix built into the
 * binary (data/permissions.tsv; `matrix` NULL), or the text `matrix` (for
 * the tests), into app->access, and check it against the
 * route tables the server will have (NULL-terminated): every route must
 * have its line and every line a route, and the routes of tables that are
 * neither the web application's nor in app->gated (no gate runs in front
 * of them: /healthz, /metrics) must be public.  Every problem in `d`; RC_ERR_SYNTAX for a
 * malformed matrix, RC_ERR_INTERNAL for a route and matrix that disagree.
 * The server must not start on either. */
enum rc_err rc_web_app_check(struct rc_web_app *app, const char *matrix,
			     const struct rc_http_route *const *tables, struct rc_diags *d);

/* The CSRF token of session `sid` (32 hex), or of a pre-session cookie
 * value: 64 hex digits into tok.  `kind` separates the two ("session",
 * "pre"). */
enum rc_err rc_web_token(const struct rc_web_app *app, const char *kind, const char *value,
			 char tok[RC_WEB_TOKEN_HEX]);

/* 1 when `given` (from a form; NULL: none) is the token of (kind, value),
 * compared in constant time. */
int rc_web_token_ok(const struct rc_web_app *app, const char *kind, const char *value,
		    const char *given);

/* The pages, every one behind the gate (gate.c): the route's line of the
 * permission matrix decides whether a session is needed and which roles
 * may reach it, then the object the route names must be in the user's
 * scope (else 404, as for one that does not exist), then a POST must carry
 * its CSRF token -- all before the page's own code runs. */
extern const struct rc_http_route *const rc_web_tables[]; /* NULL-terminated */

#endif
