/*
 * body.c -- a request body against its table of fields.
 *
 * Every POST of the API takes one JSON object of scalar members, so one
 * reader does them all: the media type, the JSON (jansson, a duplicate key
 * refused rather than the last one silently winning), then every member
 * against the route's table.  It reports every problem it finds, each at
 * its field, so that a client fixes a request in one go; and it refuses a
 * member it does not know instead of ignoring it, so that a misspelt
 * optional field ("reson") is not lost without a word.  The caps are the
 * web forms' (web/cases.c), so that the two faces accept the same records.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/api_int.h"
#include "core/date.h"

#define FIELD_ECHO_MAX 64 /* bytes of a client's member name repeated in an answer */
#define FIELD_ERRS_MAX 32 /* problems reported per request */
#define INT_MAX_ID     INT64_C(9007199254740992) /* 2^53: exact in every JSON reader */

/* Content-Type: application/json, with no parameter but a charset of
 * UTF-8 (RFC 8259 §8.1: JSON between systems is UTF-8). */
static int json_media(const char *ct)
{
	static const char mt[] = "application/json";
	if (!ct || strncasecmp(ct, mt, sizeof(mt) - 1) != 0)
		return 0;
	ct += sizeof(mt) - 1;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (!*ct)
		return 1;
	if (*ct++ != ';')
		return 0;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (strncasecmp(ct, "charset=", 8) != 0)
		return 0;
	ct += 8;
	if (*ct == '"')
		return strcasecmp(ct, "\"utf-8\"") == 0;
	return strcasecmp(ct, "utf-8") == 0;
}

/* A client's name for the answer: at most FIELD_ECHO_MAX bytes, cut at a
 * character (jansson's keys are valid UTF-8). */
static const char *echo(struct rc_api_req *a, const char *s)
{
	size_t n = strlen(s);
	if (n <= FIELD_ECHO_MAX)
		return s;
	n = FIELD_ECHO_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	const char *cut = rc_arena_sprintf(a->http->arena, "%.*s...", (int)n, s);
	return cut ? cut : "";
}

static enum rc_err problem(json_t *fields, const char *field, const char *message)
{
	if (json_array_size(fields) >= FIELD_ERRS_MAX)
		return RC_OK; /* enough to fix first */
	json_t *f = json_pack("{s:s, s:s}", "field", field, "message", message);
	return !f || json_array_append_new(fields, f) ? RC_ERR_NOMEM : RC_OK;
}

/* The key jansson found twice: its error text ends "near '\"KEY\"'", the
 * key as written in JSON; decoded here.  NULL when it cannot be told
 * (jansson cuts long texts). */
static const char *duplicate_key(struct rc_api_req *a, const json_error_t *err)
{
	const char *near = strstr(err->text, " near '");
	size_t n;
	if (!near)
		return NULL;
	near += 7;
	n = strlen(near);
	if (n < 3 || near[n - 1] != '\'')
		return NULL;
	json_t *k = json_loadb(near, n - 1, JSON_DECODE_ANY, NULL);
	const char *key =
	    json_is_string(k) ? rc_arena_strdup(a->http->arena, json_string_value(k)) : NULL;
	json_decref(k);
	return key ? echo(a, key) : NULL;
}

static const struct rc_api_field *def_of(const struct rc_api_field *defs, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(defs[i].name, name) == 0)
			return &defs[i];
	return NULL;
}

/* "the members are: a, b, c" for an unknown member's message. */
static const char *members(struct rc_api_req *a, const struct rc_api_field *defs, int n)
{
	char buf[512];
	size_t off = 0;
	off += (size_t)snprintf(buf, sizeof(buf), "unknown member; the members are:");
	for (int i = 0; i < n && off < sizeof(buf); i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s %s", i ? "," : "",
					defs[i].name);
	const char *s = rc_arena_strdup(a->http->arena, buf);
	return s ? s : "unknown member";
}

static const char *choices_text(struct rc_api_req *a, const char *const *choices)
{
	char buf[256];
	size_t off = 0;
	off += (size_t)snprintf(buf, sizeof(buf), "one of");
	for (int i = 0; choices[i] && off < sizeof(buf); i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s %s", i ? "," : "",
					choices[i]);
	const char *s = rc_arena_strdup(a->http->arena, buf);
	return s ? s : "not one of the values allowed";
}

/* One field: its value into *v, or its problem into fields. */
static enum rc_err field(struct rc_api_req *a, const struct rc_api_field *f, json_t *j,
			 struct rc_api_val *v, json_t *fields)
{
	struct rc_arena *ar = a->http->arena;
	char msg[96];
	/* an optional member may be left out, or given as null or "" alike;
	 * a fact's value of null is not absent: it withdraws the fact */
	if (!j || (json_is_null(j) && f->type != RC_API_VALUE))
		return f->required ? problem(fields, f->name, "required") : RC_OK;
	if (json_is_string(j) && json_string_length(j) == 0)
		return f->required ? problem(fields, f->name, "must not be empty") : RC_OK;
	switch (f->type) {
	case RC_API_TEXT:
	case RC_API_DATE:
		if (!json_is_string(j))
			return problem(fields, f->name, "must be a string");
		if (json_string_length(j) > f->max ||
		    (f->type == RC_API_DATE && json_string_length(j) != 10)) {
			snprintf(msg, sizeof(msg), "at most %zu bytes", f->max);
			return problem(fields, f->name,
				       f->type == RC_API_DATE ? "not a date YYYY-MM-DD" : msg);
		}
		if (f->type == RC_API_DATE &&
		    rc_date_parse(json_string_value(j), 10, &v->date) != RC_OK)
			return problem(fields, f->name, "not a date YYYY-MM-DD");
		/* the procedure keeps every text on one line: said here, at
		 * the member, rather than as a refusal of the change */
		for (size_t k = 0; k < json_string_length(j); k++) {
			unsigned char ch = (unsigned char)json_string_value(j)[k];
			if (ch < 0x20 || ch == 0x7f)
				return problem(
				    fields, f->name,
				    "one line, without control characters (a line break, a "
				    "tab)");
		}
		if (f->choices) {
			int i;
			for (i = 0; f->choices[i] && strcmp(f->choices[i], json_string_value(j));
			     i++)
				;
			if (!f->choices[i])
				return problem(fields, f->name, choices_text(a, f->choices));
		}
		v->text = rc_arena_strdup(ar, json_string_value(j));
		break;
	case RC_API_BOOL:
		if (!json_is_boolean(j))
			return problem(fields, f->name, "must be true or false");
		v->num = json_is_true(j);
		break;
	case RC_API_INT:
		if (!json_is_integer(j))
			return problem(fields, f->name, "must be an integer");
		if (json_integer_value(j) < 1 || json_integer_value(j) > INT_MAX_ID)
			return problem(fields, f->name, "must be a number from 1 up");
		v->num = json_integer_value(j);
		break;
	case RC_API_VALUE:
		/* the value as the CLI types it (procedure.h, rc_proc_case_fact):
		 * JSON's own types say it plainly; null withdraws the fact */
		if (json_is_null(j)) {
			v->text = "unknown";
		} else if (json_is_boolean(j)) {
			v->text = json_is_true(j) ? "true" : "false";
		} else if (json_is_integer(j)) {
			v->text = rc_arena_sprintf(ar, "%lld", (long long)json_integer_value(j));
		} else if (json_is_string(j)) {
			if (json_string_length(j) > f->max) {
				snprintf(msg, sizeof(msg), "at most %zu bytes", f->max);
				return problem(fields, f->name, msg);
			}
			v->text = rc_arena_strdup(ar, json_string_value(j));
		} else {
			return problem(fields, f->name,
				       "must be a string, an integer, true, false or null");
		}
		break;
	}
	if (f->type != RC_API_BOOL && f->type != RC_API_INT && !v->text)
		return RC_ERR_NOMEM;
	v->present = 1;
	return RC_OK;
}

enum rc_err rc_api_body_read(struct rc_api_req *a, const struct rc_api_field *defs, int n,
			     struct rc_api_body *b, int *ok)
{
	const struct rc_http_req *req = a->http;
	json_error_t err;
	json_t *doc = NULL, *fields = NULL;
	enum rc_err e = RC_OK;
	*ok = 0;
	memset(b, 0, sizeof(*b));
	if (n > RC_API_FIELDS_MAX)
		return RC_ERR_INTERNAL;
	b->defs = defs;
	b->n = n;
	for (int i = 0; i < n; i++)
		b->v[i].date = INT32_MIN;
	if (!(fields = json_array()))
		return RC_ERR_NOMEM;
	/* no body at all reads as {}: its required members are then named */
	if (req->body_len == 0) {
		doc = json_object();
		if (!doc) {
			e = RC_ERR_NOMEM;
			goto out;
		}
	} else if (!json_media(rc_http_req_header(req, "Content-Type"))) {
		json_t *f = json_pack("[{s:s, s:s}]", "field", "Content-Type", "message",
				      "application/json is required (charset, if given, utf-8)");
		e = rc_api_error(a, 415, "unsupported_media_type",
				 "the body must be JSON: Content-Type: application/json", f, NULL);
		goto out;
	} else if (!(doc = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &err))) {
		const char *key = json_error_code(&err) == json_error_duplicate_key
				      ? duplicate_key(a, &err)
				      : NULL;
		const char *msg =
		    key ? "given twice"
			: rc_arena_sprintf(a->http->arena, "not JSON: %s (line %d, column %d)",
					   err.text, err.line, err.column);
		if (!msg) {
			e = RC_ERR_NOMEM;
			goto out;
		}
		e = rc_api_invalid(a, key ? key : "(body)", msg);
		goto out;
	}
	if (!json_is_object(doc)) {
		e = rc_api_invalid(a, "(body)", "must be a JSON object {\"member\": value, ...}");
		goto out;
	}
	const char *key, *known = NULL;
	json_t *v;
	json_object_foreach(doc, key, v)
	{
		if (def_of(defs, n, key))
			continue;
		/* a body of a million unknown members costs one message each
		 * only up to the cap */
		if (json_array_size(fields) >= FIELD_ERRS_MAX)
			break;
		if (!known)
			known = members(a, defs, n);
		if ((e = problem(fields, echo(a, key), known)))
			goto out;
	}
	for (int i = 0; i < n; i++)
		if ((e = field(a, &defs[i], json_object_get(doc, defs[i].name), &b->v[i], fields)))
			goto out;
	if (json_array_size(fields)) {
		json_t *first = json_array_get(fields, 0);
		const char *msg = rc_arena_sprintf(
		    a->http->arena, "%s: %s", json_string_value(json_object_get(first, "field")),
		    json_string_value(json_object_get(first, "message")));
		e = rc_api_error(a, 400, "validation", msg ? msg : "the body is not valid",
				 json_incref(fields), NULL);
		goto out;
	}
	*ok = 1;
out:
	json_decref(fields);
	json_decref(doc);
	return e;
}

const struct rc_api_val *rc_api_val(const struct rc_api_body *b, const char *name)
{
	static const struct rc_api_val absent = {0, NULL, INT32_MIN, 0};
	for (int i = 0; i < b->n; i++)
		if (strcmp(b->defs[i].name, name) == 0)
			return &b->v[i];
	return &absent;
}
