/*
 * web_int.h -- internals shared by the files of src/web/: the session
 * cookie and the pre-session cookie of the log-in forms.
 */
#ifndef RC_WEB_INT_H
#define RC_WEB_INT_H

#include "web/web.h"

#define RC_WEB_PRE_LEN 64 /* "EXPIRY-NONCE": up to 10 digits, '-', 32 hex, NUL */

/* The request's session: 1 and *su, sid (the cookie's 32 hex digits) when
 * the rc_session cookie names a live session (rc_proc_session_check at
 * now), 0 when there is none (no cookie, a malformed one, an unknown,
 * expired or revoked session, a disabled user), -1 when the store failed
 * (the caller answers 500: a failing store must not look like a logout). */
int rc_web_session(struct rc_http_req *req, int64_t now, struct rc_session_user *su,
		   char sid[RC_SESSION_ID_HEX]);

/* Add Set-Cookie NAME=VALUE; Path=/; HttpOnly; SameSite=Strict (and Secure
 * when the app says so) -- a session cookie, without Expires.  VALUE NULL:
 * the cookie is deleted (empty, Max-Age=0). */
enum rc_err rc_web_cookie(struct rc_http_req *req, struct rc_http_resp *resp, const char *name,
			  const char *value);

/* The pre-session value of the log-in forms: the request's rc_pre cookie
 * when it is well-formed and not expired at now (*fresh = 0), else a new
 * one (*fresh = 1), which the caller sets.  Its CSRF token is
 * rc_web_token(app, "pre", value). */
enum rc_err rc_web_pre(struct rc_http_req *req, int64_t now, char value[RC_WEB_PRE_LEN],
		       int *fresh);

#endif
