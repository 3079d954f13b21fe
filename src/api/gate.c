/*
 * gate.c -- the API's one door: the permission matrix, the bearer token,
 * the role, the scope of the object (api.h lists the order); and the JSON
 * answers every file of the API makes.
 *
 * It is web/gate.c's twin, on purpose: the same parsed matrix
 * (app->access), the same scope functions (procedure/access.c), the same
 * answer for a missing object and another organisation's.  What differs
 * is the credential (a token in a header, never a cookie: hence no CSRF
 * check, api.h says why) and that every answer, refusals included, is a
 * JSON document a program can read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/api_int.h"
#include "core/date.h"

const struct rc_http_route *const rc_api_tables[] = {rc_api_case_routes, rc_api_people_routes,
						     NULL};

/* The messages the procedure writes when the store failed under it: they
 * carry the database's own text, which is never the client's business,
 * whatever error class came with them. */
static const char *const internal_prefixes[] = {
    "cannot start a transaction",        "cannot write the audit row",
    "cannot record the idempotency key", "commit failed",
    "the database stayed busy",          NULL};

#define NOT_FOUND_MSG "no such object, or it is not in your organisation or one below it"

/* ---- answers ------------------------------------------------------------- */

static int dump_cb(const char *buf, size_t len, void *data)
{
	return rc_buf_append(data, buf, len) ? -1 : 0;
}

enum rc_err rc_api_json(struct rc_api_req *a, unsigned status, json_t *doc)
{
	enum rc_err e = RC_OK;
	if (!doc)
		return RC_ERR_NOMEM;
	rc_buf_reset(&a->resp->body);
	/* a document past the response cap is the server's failure (a case
	 * file that big), not a partial answer */
	if (json_dump_callback(doc, dump_cb, &a->resp->body, JSON_COMPACT) ||
	    rc_buf_append(&a->resp->body, "\n", 1))
		e = RC_ERR_INTERNAL;
	json_decref(doc);
	if (e)
		return e;
	a->resp->status = status;
	a->resp->content_type = "application/json";
	return RC_OK;
}

enum rc_err rc_api_error(struct rc_api_req *a, unsigned status, const char *code,
			 const char *message, json_t *fields, json_t *messages)
{
	json_t *err = json_pack("{s:i, s:s, s:s}", "status", (int)status, "code", code, "message",
				message ? message : "");
	int bad = !err || (fields && json_object_set(err, "fields", fields)) ||
		  (messages && json_object_set(err, "messages", messages));
	json_decref(fields);
	json_decref(messages);
	if (bad) {
		json_decref(err);
		return RC_ERR_NOMEM;
	}
	return rc_api_json(a, status, json_pack("{s:o}", "error", err));
}

enum rc_err rc_api_invalid(struct rc_api_req *a, const char *field, const char *message)
{
	json_t *f = json_pack("[{s:s, s:s}]", "field", field, "message", message);
	return rc_api_error(a, 400, "validation", message, f, NULL);
}

enum rc_err rc_api_not_found(struct rc_api_req *a)
{
	return rc_api_error(a, 404, "not_found", NOT_FOUND_MSG, NULL, NULL);
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

enum rc_err rc_api_refused(struct rc_api_req *a, enum rc_err e, const struct rc_diags *d)
{
	const char *first = NULL;
	if (e != RC_ERR_RANGE && e != RC_ERR_NAME && e != RC_ERR_CONFLICT &&
	    e != RC_ERR_NOT_FOUND && e != RC_ERR_TYPE && e != RC_ERR_SYNTAX && e != RC_ERR_USAGE &&
	    e != RC_ERR_LIMIT)
		return e;
	json_t *msgs = json_array();
	if (!msgs)
		return RC_ERR_NOMEM;
	for (int i = 0; i < d->count; i++) {
		const char *m = d->items[i].msg;
		if (d->items[i].sev != RC_SEV_ERROR)
			continue;
		for (int k = 0; internal_prefixes[k]; k++)
			if (starts_with(m, internal_prefixes[k])) {
				json_decref(msgs);
				return RC_ERR_IO;
			}
		/* the unit's own words for a key seen before: said again
		 * without the key as stored, which carries the user's number */
		if (starts_with(m, "already made"))
			m = "already made: the change of this Idempotency-Key was made before; "
			    "nothing was changed";
		else if (starts_with(m, "refused: idempotency key"))
			m = "refused: this Idempotency-Key names another change; give this change "
			    "a key of its own";
		if (json_array_append_new(msgs, json_string(m))) {
			json_decref(msgs);
			return RC_ERR_NOMEM;
		}
		if (!first)
			first = json_string_value(json_array_get(msgs, 0));
	}
	return rc_api_error(a, 409, "conflict",
			    first ? first : "the change was refused; nothing was changed", NULL,
			    msgs);
}

enum rc_err rc_api_filters(struct rc_api_req *a, const struct rc_diags *d)
{
	json_t *fields = json_array();
	const char *first = NULL;
	if (!fields)
		return RC_ERR_NOMEM;
	for (int i = 0; i < d->count; i++) {
		const char *m = d->items[i].msg, *sep = strstr(m, ": ");
		if (d->items[i].sev != RC_SEV_ERROR)
			continue;
		json_t *f = sep ? json_pack("{s:s%, s:s}", "field", m, (size_t)(sep - m), "message",
					    sep + 2)
				: json_pack("{s:s, s:s}", "field", "(query)", "message", m);
		if (!f || json_array_append_new(fields, f)) {
			json_decref(fields);
			return RC_ERR_NOMEM;
		}
		if (!first)
			first = m;
	}
	return rc_api_error(a, 400, "validation", first ? first : "bad query parameters", fields,
			    NULL);
}

enum rc_err rc_api_unit(struct rc_api_req *a, struct rc_unit *u, const char *idem_key)
{
	*u = *a->http->ctx->unit;
	snprintf(u->request_id, sizeof(u->request_id), "%s", a->http->id);
	u->on_made = NULL;
	u->idem_key = NULL;
	/* Keys are the clients' names, and two users may pick the same one:
	 * each user's keys are apart, so that a key never answers with
	 * another user's change. */
	if (idem_key && !(u->idem_key = rc_arena_sprintf(a->http->arena, "api:%lld:%s",
							 (long long)a->su.user_id, idem_key)))
		return RC_ERR_NOMEM; /* never the change without its key */
	return RC_OK;
}

enum rc_err rc_api_idem_key(struct rc_api_req *a, const char **key, int *answered)
{
	const char *k = rc_http_req_header(a->http, "Idempotency-Key");
	*key = NULL;
	*answered = 0;
	if (!k)
		return RC_OK;
	if (!rc_unit_key_ok(k)) {
		*answered = 1;
		return rc_api_invalid(a, "Idempotency-Key",
				      "1 to 64 printable ASCII characters, without spaces");
	}
	*key = k;
	return RC_OK;
}

/* A failure of the store or of memory under a handler, or the gate's own:
 * what was written is dropped and one JSON answer made, without the
 * failure's text. */
static enum rc_err failed(struct rc_api_req *a, enum rc_err e)
{
	enum rc_err e2;
	a->resp->n_headers = 0;
	rc_buf_reset(&a->resp->body);
	if (e == RC_ERR_BUSY) {
		e2 = rc_http_resp_header(a->resp, "Retry-After", "1");
		if (!e2)
			e2 = rc_api_error(a, 503, "unavailable",
					  "the database is busy; nothing was changed: try again",
					  NULL, NULL);
	} else {
		e2 = rc_api_error(a, 500, "internal",
				  "the server failed to answer this request; its X-Request-Id "
				  "names it in the server's log",
				  NULL, NULL);
	}
	return e2 ? e : RC_OK; /* no JSON even: the server's own 500 */
}

/* ---- the gate ------------------------------------------------------------- */

static int32_t today_local(time_t t)
{
	struct tm tm;
	localtime_r(&t, &tm);
	return rc_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* The token of an `Authorization: Bearer TOKEN` header (RFC 6750 §2.1: the
 * scheme in any case, then one or more spaces) into tok; 0 when there is
 * no such header, -1 when it is not one. */
static int bearer(const struct rc_http_req *req, char tok[RC_TOKEN_LEN + 2])
{
	const char *h = rc_http_req_header(req, "Authorization");
	if (!h)
		return 0;
	if (strncasecmp(h, "Bearer ", 7) != 0)
		return -1;
	for (h += 7; *h == ' '; h++)
		;
	size_t n = strcspn(h, " \t");
	if (n == 0 || n > RC_TOKEN_LEN || h[n])
		return -1;
	memcpy(tok, h, n);
	tok[n] = '\0';
	return 1;
}

/* 401: no credentials, or none that hold. */
static enum rc_err unauthorized(struct rc_api_req *a, int given)
{
	enum rc_err e =
	    rc_http_resp_header(a->resp, "WWW-Authenticate",
				given ? "Bearer realm=\"rongcuo\", error=\"invalid_token\""
				      : "Bearer realm=\"rongcuo\"");
	if (e)
		return e;
	return rc_api_error(a, 401, "unauthorized",
			    given
				? "the bearer token is not valid: unknown, revoked or expired, or "
				  "its user is disabled"
				: "a bearer token is required: Authorization: Bearer TOKEN "
				  "(`rongcuo token create`)",
			    NULL, NULL);
}

/* The object of the route: 1 in scope (a->code or a->id set), 0 not in
 * scope or not there, -1 the store failed or the line's scope is not one
 * the API has. */
static int object_in_scope(struct rc_api_req *a)
{
	struct rc_store *s = a->http->ctx->store;
	char v[24], *end;
	int vis = 0;
	enum rc_err e;
	switch (a->rule->scope) {
	case RC_SCOPE_NONE:
	case RC_SCOPE_LIST: return 1;
	case RC_SCOPE_CASE:
		if (rc_http_req_param(a->http, "code", a->code, sizeof(a->code)))
			return 0;
		e = rc_proc_case_visible(s, a->code, &RC_VIEWER_OF(&a->su), &vis);
		break;
	case RC_SCOPE_PERSON:
		if (rc_http_req_param(a->http, "id", v, sizeof(v)) || v[0] < '1' || v[0] > '9' ||
		    strlen(v) > 15)
			return 0;
		a->id = strtoll(v, &end, 10);
		if (*end)
			return 0;
		e = rc_proc_person_visible(s, a->id, a->su.org_id, &vis);
		break;
	default: return -1; /* a matrix line the API's routes never carry */
	}
	return e ? -1 : vis;
}

enum rc_err rc_api_dispatch(struct rc_http_req *req, struct rc_http_resp *resp)
{
	struct rc_web_app *app = req->ctx->app;
	const struct rc_api_op *op = req->route_arg;
	const char *method = strcmp(req->method, "HEAD") == 0 ? "GET" : req->method;
	struct rc_api_req *a = rc_arena_alloc(req->arena, sizeof(*a));
	struct rc_diags *d = rc_arena_alloc(req->arena, sizeof(*d));
	char tok[RC_TOKEN_LEN + 2];
	enum rc_err e;
	if (!a || !d)
		return RC_ERR_NOMEM;
	memset(a, 0, sizeof(*a));
	a->http = req;
	a->resp = resp;
	a->app = app;
	a->now = (int64_t)time(NULL);
	a->today = today_local((time_t)a->now);
	a->set = rc_web_app_set(app);
	a->cal = rc_web_app_cal(app);
	a->rule = rc_access_find(&app->access, method, req->route);
	if (!a->rule || !op || !op->fn)
		return failed(a, RC_ERR_INTERNAL); /* rc_web_app_check makes this impossible */
	if (a->rule->who != RC_WHO_PUBLIC) {
		int given = bearer(req, tok);
		rc_diags_init(d, "api");
		if (given <= 0) {
			e = unauthorized(a, given < 0);
			goto out;
		}
		e = rc_proc_token_check(req->ctx->store, tok, a->now, &a->su, d);
		if (e == RC_ERR_NOT_FOUND) {
			e = unauthorized(a, 1);
			goto out;
		}
		if (e) {
			e = failed(a,
				   RC_ERR_IO); /* a failing store must not look like a bad token */
			goto out;
		}
		if (!rc_access_allows(a->rule, a->su.role)) {
			e = rc_api_error(a, 403, "forbidden",
					 "your role may not use this route (data/permissions.tsv)",
					 NULL, NULL);
			goto out;
		}
		int in = object_in_scope(a);
		if (in < 0) {
			e = failed(a, RC_ERR_IO);
			goto out;
		}
		if (!in) {
			e = rc_api_not_found(a);
			goto out;
		}
	}
	/* a read (GET) in one read transaction: one snapshot, one lock (as
	 * the pages, web/gate.c) */
	if ((strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0) &&
	    !rc_store_begin_read(req->ctx->store)) {
		e = op->fn(a);
		rc_store_rollback(req->ctx->store);
	} else {
		e = op->fn(a);
	}
	if (e)
		e = failed(a, e);
out:
	rc_crypto_wipe(tok, sizeof(tok));
	return e;
}
