/*
 * api.h -- the JSON API under /api/v1: cases, their facts and assessment,
 * the procedure's steps and records, decisions, people and their effects.
 *
 * The API is a second face of the web application, not a second system:
 * its routes are route tables for http/ (rc_api_tables), its state is the
 * web application's (struct rc_web_app at rc_http_ctx.app: the permission
 * matrix, the policy versions, the calendar), what it shows is the views
 * of procedure/views.c -- the documents the pages render -- and every
 * change goes through the same procedure operation a page's form calls,
 * so a client can do exactly what the CLI and the pages can, and no more.
 * docs/api.md is the guide, docs/openapi.yaml (OpenAPI 3.1) the reference
 * of every route, and tests/api/ holds the routes and the document to each
 * other.
 *
 * The gate (api/gate.c) runs in front of every route, in this order:
 *
 *   1. the route's line of the permission matrix (data/permissions.tsv,
 *      the same file and the same parsed copy as the pages'; a route
 *      without its line stops the server from starting, rc_web_app_check);
 *   2. the credentials: `Authorization: Bearer TOKEN`, a token made by
 *      `rongcuo token create` (procedure.h, "API tokens").  None, a
 *      malformed, unknown, revoked or expired one, or one whose user is
 *      disabled: 401 `unauthorized`, with `WWW-Authenticate: Bearer`.
 *      Cookies are never read, so a browser's session gives no access here;
 *   3. the role: a role the line does not name is 403 `forbidden`;
 *   4. the object: a case ({code}) or official ({id}) outside the user's
 *      organisation and those below it answers 404 `not_found` exactly as
 *      one that does not exist (the same status, the same body);
 *   5. the handler.
 *
 * No CSRF token: CSRF rides on credentials a browser attaches by itself
 * (cookies, HTTP authentication it remembers), and a bearer token is
 * attached only by a client that holds it, so a page of another site
 * cannot make a browser send one.  That is also why step 2 ignores the
 * session cookie.
 *
 * Requests.  A POST's body is `application/json` (else 415
 * `unsupported_media_type`; a charset parameter other than utf-8 too),
 * parsed with duplicate keys refused, and must be one object whose every
 * member is known, of its type, within its cap (the same caps as the web
 * forms), dates "YYYY-MM-DD"; else 400 `validation` naming each bad field.
 * A body over 1 MiB is refused by the server before it is read (413).  An
 * `Idempotency-Key` header (1..64 printable ASCII characters, no space)
 * makes a POST's change happen once: the key is recorded with the change,
 * per user, and a request that repeats it changes nothing and answers 409
 * `conflict`, "already made".
 *
 * Answers.  Success is 200 (a read, or a change to a case: the case as
 * GET /api/v1/cases/{code} shows it afterwards) or 201 (POST /api/v1/cases:
 * the new case, and its Location).  Every error the API makes is JSON:
 *
 *   {"error": {"status": 400, "code": "validation", "message": "...",
 *              "fields": [{"field": "on", "message": "..."}],
 *              "messages": ["..."]}}
 *
 * with `fields` for validation errors and `messages` for the procedure's
 * refusals (409 `conflict`, the rule that refused, nothing changed).  The
 * codes: unauthorized 401, forbidden 403, not_found 404, validation 400,
 * unsupported_media_type 415, conflict 409, unavailable 503 (the database
 * stayed busy; Retry-After) and internal 500 -- never with an SQL error or
 * any other internal message.  What the server answers before a handler
 * runs -- no such path 404, another method 405, a body over the cap 413, a
 * target or head too large 414/431 -- is http/'s standard text answer
 * (server.c refuses those before reading the body, for every route alike).
 */
#ifndef RC_API_H
#define RC_API_H

#include "http/http.h"

#define RC_API_PREFIX "/api/v1"

/* The API's route tables, NULL-terminated: every route of the API, each
 * behind the gate above.  The server lists them with the pages' tables,
 * and rc_web_app_check must be told they are gated (struct rc_web_app,
 * `gated`). */
extern const struct rc_http_route *const rc_api_tables[];

#endif
