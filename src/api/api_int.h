/*
 * api_int.h -- internals shared by the files of src/api/: one request as
 * the gate hands it over, the JSON answers, and the reading of request
 * bodies against a table of fields.
 */
#ifndef RC_API_INT_H
#define RC_API_INT_H

#include <stdint.h>

#include <jansson.h>

#include "api/api.h"
#include "web/web.h"

/* ---- the gate (gate.c) ------------------------------------------------- */

/* One request, past the gate: the token's user, the route's object (in
 * scope), the request's clock.  Everything lives until the request ends. */
struct rc_api_req {
	struct rc_http_req *http;
	struct rc_http_resp *resp;
	struct rc_web_app *app;
	const struct rc_access_rule *rule;
	struct rc_session_user su; /* the token's user */
	char code[64];             /* RC_SCOPE_CASE: the case's code */
	int64_t id;                /* RC_SCOPE_PERSON: the official's id */
	int64_t now;               /* unix seconds of the request */
	int32_t today;             /* its date (the users' day, local time) */
	struct rc_policy_set *set; /* taken once at the start (rc_web_app_set) */
	const struct rc_cal *cal;  /* likewise (rc_web_app_cal) */
};

typedef enum rc_err (*rc_api_fn)(struct rc_api_req *a);

struct rc_api_op {
	rc_api_fn fn;
};

/* Every route of the API: {method, pattern, rc_api_dispatch, &op}.  The
 * gate runs first, then op->fn.  A handler's error result (the store
 * failed, memory ran out) becomes a JSON 500 or 503 there: a handler
 * answers only what it means to answer. */
enum rc_err rc_api_dispatch(struct rc_http_req *req, struct rc_http_resp *resp);
#define RC_API_ROUTE(m, p, op)                                                                     \
	{                                                                                          \
		(m), RC_API_PREFIX p, rc_api_dispatch, &(op)                                       \
	}

/* The route tables of each file, collected by gate.c. */
extern const struct rc_http_route rc_api_case_routes[];
extern const struct rc_http_route rc_api_people_routes[];

/* ---- answers (gate.c) ---------------------------------------------------- */

/* `doc` as the response body with `status` (application/json).  Takes the
 * reference to doc, also on failure; NULL doc is RC_ERR_NOMEM. */
enum rc_err rc_api_json(struct rc_api_req *a, unsigned status, json_t *doc);

/* An error answer {"error": {"status", "code", "message", "fields"?,
 * "messages"?}}; takes the references to fields and messages (either may
 * be NULL). */
enum rc_err rc_api_error(struct rc_api_req *a, unsigned status, const char *code,
			 const char *message, json_t *fields, json_t *messages);

/* 400 validation with one field's message. */
enum rc_err rc_api_invalid(struct rc_api_req *a, const char *field, const char *message);

/* 404 not_found: the one answer for "no such object" and "not yours". */
enum rc_err rc_api_not_found(struct rc_api_req *a);

/* The answer to what the procedure said: RC_OK is the caller's to make;
 * a refusal (the rules, the state, the scope, four eyes, an idempotency
 * key used before) is 409 conflict with the procedure's messages; a
 * failure of the store is returned for the gate to answer (500, 503). */
enum rc_err rc_api_refused(struct rc_api_req *a, enum rc_err e, const struct rc_diags *d);

/* A view's bad filters (messages "FIELD: what is wrong", procedure.h,
 * views) as 400 validation, each message at its field. */
enum rc_err rc_api_filters(struct rc_api_req *a, const struct rc_diags *d);

/* A unit of work for this request: the request's id in the audit row, and
 * the request's Idempotency-Key (the caller checked it with
 * rc_api_idem_key) kept apart per user.  RC_ERR_NOMEM when the key cannot
 * be kept: the change must then not be made. */
enum rc_err rc_api_unit(struct rc_api_req *a, struct rc_unit *u, const char *idem_key);

/* The request's Idempotency-Key: RC_OK and *key (NULL when there is none),
 * or a 400 answer made (*answered = 1) for a key that is not one. */
enum rc_err rc_api_idem_key(struct rc_api_req *a, const char **key, int *answered);

/* ---- request bodies (body.c) ------------------------------------------- */

enum rc_api_type {
	RC_API_TEXT,  /* a string: UTF-8, at most `max` bytes */
	RC_API_DATE,  /* a string "YYYY-MM-DD", a real date */
	RC_API_BOOL,  /* true or false */
	RC_API_INT,   /* an integer 1 .. 2^53 (an id) */
	RC_API_VALUE, /* a fact's value: a string (at most `max` bytes), an
	                 integer, true, false, or null (withdraws the fact) */
};

struct rc_api_field {
	const char *name;
	enum rc_api_type type;
	int required;
	size_t max;                 /* RC_API_TEXT, RC_API_VALUE: bytes */
	const char *const *choices; /* RC_API_TEXT: the values allowed, NULL-terminated */
};

#define RC_API_FIELDS_MAX 8

/* A member's value as read.  Absent (or, when optional, an empty string or
 * null): present 0, text NULL, date INT32_MIN, num 0. */
struct rc_api_val {
	int present;
	const char *text; /* TEXT, DATE as given; VALUE as the procedure takes it */
	int32_t date;     /* DATE */
	int64_t num;      /* INT; BOOL as 0 or 1 */
};

struct rc_api_body {
	const struct rc_api_field *defs;
	int n;
	struct rc_api_val v[RC_API_FIELDS_MAX];
};

/* Read the request's body against defs[0..n): the content type, the JSON
 * (an object, no key twice), every member known, every field's type, cap
 * and presence.  RC_OK with *ok = 1 and b filled (its texts in the
 * request's arena); or RC_OK with *ok = 0 when the request was answered
 * (415, or 400 naming every bad field); or an error (memory). */
enum rc_err rc_api_body_read(struct rc_api_req *a, const struct rc_api_field *defs, int n,
			     struct rc_api_body *b, int *ok);

/* Field `name`'s value (a name of the defs: a bug otherwise, answered as
 * absent). */
const struct rc_api_val *rc_api_val(const struct rc_api_body *b, const char *name);

#endif
