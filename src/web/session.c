/*
 * session.c -- the session cookie, the pre-session cookie and CSRF tokens.
 *
 * Sessions are the procedure's (auth.c): the cookie carries the 128-bit
 * random id that rc_proc_login made, and every request asks
 * rc_proc_session_check again, so a logout, a password change or a
 * disable (which revoke in the store) refuse the very next request.
 *
 * CSRF tokens are not stored: a session's token is HMAC-SM3(K, "session"
 * NUL id), K itself HMAC-SM3 of the data directory's audit key under a
 * label of its own.  Nothing to write per session and no new table; the
 * token dies with its session (a new id at every log-in), survives a
 * restart, and is the same in every process serving one data directory.
 * The log-in forms, before any session, use the same construction over a
 * short-lived random cookie value ("pre"), so a cross-site page cannot
 * log a browser into an account of the attacker's choosing: it can
 * neither read that cookie nor compute the token for it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "web/web_int.h"

enum rc_err rc_web_token(const struct rc_web_app *app, const char *kind, const char *value,
			 char tok[RC_WEB_TOKEN_HEX])
{
	char msg[128];
	uint8_t mac[RC_SM3_LEN];
	size_t klen = strlen(kind), vlen = strlen(value);
	tok[0] = '\0';
	if (klen + 1 + vlen > sizeof(msg))
		return RC_ERR_RANGE;
	memcpy(msg, kind, klen);
	msg[klen] = '\0'; /* the kinds cannot run into the values */
	memcpy(msg + klen + 1, value, vlen);
	enum rc_err e =
	    rc_hmac_sm3(app->csrf_key, sizeof(app->csrf_key), msg, klen + 1 + vlen, mac);
	if (!e)
		rc_hex(mac, sizeof(mac), tok);
	rc_crypto_wipe(msg, sizeof(msg));
	return e;
}

int rc_web_token_ok(const struct rc_web_app *app, const char *kind, const char *value,
		    const char *given)
{
	char want[RC_WEB_TOKEN_HEX];
	if (!given || strlen(given) != RC_WEB_TOKEN_HEX - 1 || rc_web_token(app, kind, value, want))
		return 0;
	return rc_crypto_equal(want, given, RC_WEB_TOKEN_HEX - 1);
}

static int hex_only(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[n] == '\0';
}

int rc_web_session(struct rc_http_req *req, int64_t now, struct rc_session_user *su,
		   char sid[RC_SESSION_ID_HEX])
{
	struct rc_diags d;
	sid[0] = '\0';
	if (rc_http_cookie_find(rc_http_req_header(req, "Cookie"), RC_WEB_SESSION_COOKIE, sid,
				RC_SESSION_ID_HEX) ||
	    strlen(sid) != RC_SESSION_ID_HEX - 1 || !hex_only(sid, RC_SESSION_ID_HEX - 1)) {
		rc_crypto_wipe(sid, RC_SESSION_ID_HEX);
		return 0;
	}
	rc_diags_init(&d, "session");
	enum rc_err e = rc_proc_session_check(req->ctx->store, sid, now, su, &d);
	if (e) {
		rc_crypto_wipe(sid, RC_SESSION_ID_HEX);
		/* the store failed: the request fails (500), never "logged out" */
		return e == RC_ERR_NOT_FOUND ? 0 : -1;
	}
	return 1;
}

enum rc_err rc_web_cookie(struct rc_http_req *req, struct rc_http_resp *resp, const char *name,
			  const char *value)
{
	const struct rc_web_app *app = req->ctx->app;
	size_t cap = strlen(name) + (value ? strlen(value) : 0) + 96;
	char *h = rc_arena_alloc(req->arena, cap);
	if (!h)
		return RC_ERR_NOMEM;
	snprintf(h, cap, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name, value ? value : "",
		 value ? "" : "; Max-Age=0", app->secure ? "; Secure" : "");
	return rc_http_resp_header(resp, "Set-Cookie", h);
}

enum rc_err rc_web_pre(struct rc_http_req *req, int64_t now, char value[RC_WEB_PRE_LEN], int *fresh)
{
	uint8_t rnd[16];
	char hex[33];
	*fresh = 0;
	if (!rc_http_cookie_find(rc_http_req_header(req, "Cookie"), RC_WEB_PRE_COOKIE, value,
				 RC_WEB_PRE_LEN)) {
		/* EXPIRY-NONCE: a decimal time not yet past, 32 hex digits */
		const char *dash = strchr(value, '-');
		int64_t exp = 0;
		int ok = dash && dash > value && dash - value <= 11 && hex_only(dash + 1, 32);
		for (const char *p = value; ok && p < dash; p++) {
			ok = *p >= '0' && *p <= '9';
			exp = exp * 10 + (*p - '0');
		}
		if (ok && exp > now && exp <= now + RC_WEB_PRE_TTL)
			return RC_OK;
	}
	enum rc_err e = rc_random_bytes(rnd, sizeof(rnd));
	if (e)
		return e;
	rc_hex(rnd, sizeof(rnd), hex);
	snprintf(value, RC_WEB_PRE_LEN, "%" PRId64 "-%s", now + RC_WEB_PRE_TTL, hex);
	*fresh = 1;
	return RC_OK;
}
