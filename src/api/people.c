/*
 * people.c -- the API's people routes: the officials of the user's
 * organisation and below, and one official with their effects (影响期:
 * "is official X restricted on D, by which decision, until when") and
 * cases -- the documents the people pages render (procedure/views.c).
 */
#include <string.h>

#include "api/api_int.h"
#include "core/utf8.h"

static enum rc_err get_people(struct rc_api_req *a)
{
	const char *q = rc_http_req_query(a->http, "q");
	struct rc_diags *d = rc_arena_alloc(a->http->arena, sizeof(*d));
	json_t *doc = NULL;
	enum rc_err e;
	if (!d)
		return RC_ERR_NOMEM;
	rc_diags_init(d, "people");
	/* the view caps its length; the bytes must be text before they reach
	 * a query (PostgreSQL refuses invalid UTF-8 as an error, not a miss) */
	if (q && !rc_utf8_valid(q, strlen(q), NULL))
		return rc_api_invalid(a, "q", "not valid UTF-8");
	e = rc_proc_view_people(a->http->ctx->store, a->su.org_id, q && *q ? q : NULL, &doc, d);
	if (e == RC_ERR_RANGE)
		return rc_api_filters(a, d);
	return e ? e : rc_api_json(a, 200, doc);
}

static enum rc_err get_person(struct rc_api_req *a)
{
	json_t *doc = NULL;
	enum rc_err e =
	    rc_proc_view_person(a->http->ctx->store, a->id, &RC_VIEWER_OF(&a->su), &doc);
	if (e == RC_ERR_NOT_FOUND)
		return rc_api_not_found(a);
	return e ? e : rc_api_json(a, 200, doc);
}

static const struct rc_api_op o_people = {get_people}, o_person = {get_person};

const struct rc_http_route rc_api_people_routes[] = {
    RC_API_ROUTE("GET", "/people", o_people),
    RC_API_ROUTE("GET", "/people/{id}", o_person),
    {NULL, NULL, NULL, NULL},
};
