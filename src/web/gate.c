/*
 * gate.c -- the one door in front of every page: the permission matrix,
 * the session, the scope of the object, the CSRF token.
 *
 * Pages never check who may see them: every route of the web application
 * has the same handler, rc_web_dispatch, which looks the route up in the
 * matrix (data/permissions.tsv), asks for the session it needs, refuses a
 * role the line does not name (403), answers an object outside the user's
 * scope exactly as a missing one (404: another county's case cannot be
 * told from a code nobody used), checks a POST's token, and only then
 * calls the page.  A page added without its line in the matrix stops the
 * server from starting (rc_web_app_check), so no route can be forgotten.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "web/web_int.h"

const struct rc_http_route *const rc_web_tables[] = {rc_web_auth_routes,    rc_web_case_routes,
						     rc_web_people_routes,  rc_web_admin_routes,
						     rc_web_clarify_routes, NULL};

/* Whether a gate runs in front of table t: the pages' own, or another
 * gate's on the same matrix (app->gated: the API's). */
static int is_web_table(const struct rc_web_app *app, const struct rc_http_route *t)
{
	for (int i = 0; rc_web_tables[i]; i++)
		if (rc_web_tables[i] == t)
			return 1;
	for (int i = 0; app->gated && app->gated[i]; i++)
		if (app->gated[i] == t)
			return 1;
	return 0;
}

enum rc_err rc_web_app_check(struct rc_web_app *app, const char *matrix,
			     const struct rc_http_route *const *tables, struct rc_diags *d)
{
	int bad = 0;
	enum rc_err e = rc_access_parse(matrix ? matrix : rc_access_matrix_text, &app->access, d);
	if (e)
		return e;
	for (int t = 0; tables[t]; t++)
		for (const struct rc_http_route *r = tables[t]; r->method; r++) {
			const struct rc_access_rule *rule =
			    rc_access_find(&app->access, r->method, r->pattern);
			if (!rule) {
				rc_diag_add(d, RC_SEV_ERROR, 0, 0,
					    "route '%s %s' is not in the permission matrix "
					    "(data/permissions.tsv): add its line",
					    r->method, r->pattern);
				bad = 1;
			} else if (!is_web_table(app, tables[t]) && rule->who != RC_WHO_PUBLIC) {
				rc_diag_add(d, RC_SEV_ERROR, rule->line, 0,
					    "route '%s %s' is not behind the gate, so the matrix "
					    "must say public",
					    r->method, r->pattern);
				bad = 1;
			}
		}
	for (int i = 0; i < app->access.n; i++) {
		const struct rc_access_rule *rule = &app->access.rules[i];
		int found = 0;
		for (int t = 0; tables[t] && !found; t++)
			for (const struct rc_http_route *r = tables[t]; r->method && !found; r++)
				found = strcmp(r->method, rule->method) == 0 &&
					strcmp(r->pattern, rule->route) == 0;
		if (!found) {
			rc_diag_add(d, RC_SEV_ERROR, rule->line, 0,
				    "the permission matrix names '%s %s', which the server does "
				    "not have",
				    rule->method, rule->route);
			bad = 1;
		}
	}
	return bad ? RC_ERR_INTERNAL : RC_OK;
}

static int32_t today_local(time_t t)
{
	struct tm tm;
	localtime_r(&t, &tm);
	return rc_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* The object of the route: 1 when it is in scope (w->code or w->id set),
 * 0 when it is not or does not exist, -1 when the store failed. */
static int object_in_scope(struct rc_web_req *w)
{
	struct rc_store *s = w->http->ctx->store;
	char v[64];
	int vis = 0;
	enum rc_err e = RC_OK;
	switch (w->rule->scope) {
	case RC_SCOPE_NONE:
	case RC_SCOPE_LIST: return 1;
	case RC_SCOPE_CASE:
		if (rc_http_req_param(w->http, "code", w->code, sizeof(w->code)))
			return 0;
		e = rc_proc_case_visible(s, w->code, &RC_VIEWER_OF(&w->su), &vis);
		break;
	case RC_SCOPE_ACCOUNT:
		if (rc_http_req_param(w->http, "login", w->login, sizeof(w->login)))
			return 0;
		e = rc_proc_account_visible(s, w->login, w->su.org_id, &vis);
		break;
	case RC_SCOPE_PERSON:
	case RC_SCOPE_CLARIFICATION: {
		char *end;
		if (rc_http_req_param(w->http, "id", v, sizeof(v)) || v[0] < '1' || v[0] > '9' ||
		    strlen(v) > 15)
			return 0;
		w->id = strtoll(v, &end, 10);
		if (*end)
			return 0;
		e = w->rule->scope == RC_SCOPE_PERSON
			? rc_proc_person_visible(s, w->id, w->su.org_id, &vis)
			: rc_proc_clarification_visible(s, w->id, w->su.org_id, &vis);
		break;
	}
	}
	return e ? -1 : vis;
}

enum rc_err rc_web_dispatch(struct rc_http_req *req, struct rc_http_resp *resp)
{
	struct rc_web_app *app = req->ctx->app;
	const struct rc_web_page *page = req->route_arg;
	const char *method = strcmp(req->method, "HEAD") == 0 ? "GET" : req->method;
	struct rc_web_req *w = rc_arena_alloc(req->arena, sizeof(*w));
	enum rc_err e;
	if (!w)
		return RC_ERR_NOMEM;
	memset(w, 0, sizeof(*w));
	w->http = req;
	w->resp = resp;
	w->app = app;
	w->now = (int64_t)time(NULL);
	w->today = today_local((time_t)w->now);
	w->set = rc_web_app_set(app);
	w->cal = rc_web_app_cal(app);
	char lang[8];
	w->en = rc_http_cookie_find(rc_http_req_header(req, "Cookie"), RC_WEB_LANG_COOKIE, lang,
				    sizeof(lang)) == RC_OK &&
		strcmp(lang, "en") == 0;
	w->rule = rc_access_find(&app->access, method, req->route);
	if (!w->rule || !page || !page->fn)
		return RC_ERR_INTERNAL; /* rc_web_app_check makes this impossible */
	if (w->rule->who == RC_WHO_PUBLIC)
		return page->fn(w);
	int s = rc_web_session(req, w->now, &w->su, w->sid);
	if (s < 0)
		return RC_ERR_IO; /* a failing store must not look like a logout */
	if (s == 0) {
		e = rc_web_redirect(resp, "/login");
		char c[RC_SESSION_ID_HEX];
		if (!e &&
		    rc_http_cookie_find(rc_http_req_header(req, "Cookie"), RC_WEB_SESSION_COOKIE, c,
					sizeof(c)) != RC_ERR_NOT_FOUND)
			e = rc_web_cookie(req, resp, RC_WEB_SESSION_COOKIE, NULL);
		return e;
	}
	w->user = 1;
	if ((e = rc_web_token(app, "session", w->sid, w->csrf)))
		goto out;
	/* a password to change comes before anything else */
	if (w->su.must_change_password && strcmp(req->route, "/password") != 0 &&
	    strcmp(req->route, "/logout") != 0) {
		e = rc_web_redirect(resp, "/password");
		goto out;
	}
	if (!rc_access_allows(w->rule, w->su.role)) {
		e = rc_web_denied(w);
		goto out;
	}
	int in = object_in_scope(w);
	if (in < 0) {
		e = RC_ERR_IO;
		goto out;
	}
	if (!in) {
		e = rc_web_not_found(w);
		goto out;
	}
	if (strcmp(method, "POST") == 0 &&
	    !rc_web_token_ok(app, "session", w->sid, rc_web_field(w, "csrf", 128))) {
		static const char msg[] =
		    "<section class=\"card\"><h1>请求未被接受</h1><p class=\"error\" "
		    "role=\"alert\">"
		    "表单已失效或来源无法确认，本次提交未做任何更改。请返回上一页，刷新后重新提交。"
		    "</p></section>";
		e = rc_web_page(w, 403, "请求未被接受", msg);
		goto out;
	}
	/* A page that only reads (every GET) reads in one transaction: one
	 * snapshot for the whole page -- its parts cannot disagree with a
	 * change committed between two of its queries -- and one lock taken
	 * instead of one per query.  The session was checked (and touched)
	 * before, outside it. */
	if (strcmp(method, "GET") == 0) { /* HEAD too */
		/* The data's version is read first, outside the page's read
		 * transaction, whose snapshot holds at least that version: a
		 * page rendered from a newer snapshot is kept under the older
		 * version, which the data never has again (versions only grow),
		 * so it is never served.  What is served at version V was
		 * rendered from the data at V or newer -- newer only when
		 * another thread's change committed while that page was being
		 * rendered, i.e. during a request that overlapped it: never
		 * older than the request's start. */
		uint8_t key[RC_SM3_LEN];
		int64_t version = 0;
		int kept = app->pages && req->target && req->target[0] &&
			   !rc_proc_data_version(req->ctx->store, &version) && !rc_page_key(w, key);
		if (kept && rc_page_cache_get(app->pages, key, version, resp)) {
			e = RC_OK; /* the page as rendered at this version */
		} else if (!rc_store_begin_read(req->ctx->store)) {
			e = page->fn(w);
			rc_store_rollback(req->ctx->store);
			if (!e && kept && !w->no_keep)
				rc_page_cache_put(app->pages, key, version, resp);
		} else {
			e = page->fn(w);
		}
	} else {
		e = page->fn(w);
	}
out:
	rc_crypto_wipe(w->sid, sizeof(w->sid));
	rc_crypto_wipe(w->csrf, sizeof(w->csrf));
	return e;
}
