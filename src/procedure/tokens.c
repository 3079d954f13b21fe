/*
 * tokens.c -- the bearer tokens of the JSON API (procedure.h, "API
 * tokens").
 *
 * A token is a credential like a session id, and is kept like one: the
 * store has the SM3 of its 128 random bits (rc_proc_id_hash, shared with
 * auth.c), never the token, so that a stolen copy of the database or a
 * backup lets nobody in.  The "rc_" prefix is not secret; it lets a
 * secret scanner, or a reader of a leaked script, tell what the string is.
 * Tokens are made and revoked from the command line by an administrator;
 * each change is a unit of work whose audit row names the token by its
 * number, never by its text or its hash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "procedure/procedure_int.h"

#define LOGIN_MAX   64 /* bytes, as user add caps it */
#define TOKENS_PAGE 100
#define NO_TOKEN                                                                                   \
	"no valid API token (missing, unknown, revoked or expired, or its user is disabled)"

_Static_assert(RC_TOKEN_LEN == sizeof(RC_TOKEN_PREFIX) - 1 + 2 * RC_PROC_ID_LEN,
	       "a token is its prefix and the hex of its random bytes");

/* ---- create ----------------------------------------------------------------- */

struct token_new {
	const char *actor, *login, *label;
	int64_t now, expires;
	char token[RC_TOKEN_LEN + 1];
	int64_t id;
	struct rc_proc_who who;
	char object[32], after[512];
};

static enum rc_err do_create(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			     struct rc_diags *d)
{
	struct token_new *c = vctx;
	uint8_t raw[RC_PROC_ID_LEN];
	char hash[2 * RC_SM3_LEN + 1], created[21], expires[21] = "";
	struct rc_stmt *st;
	int found, r;
	int64_t uid;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_USER_BY_LOGIN, &st)) ||
	    (e = rc_stmt_bind_str(st, 1, c->login)) || (e = rc_stmt_step(st, &found)))
		return e;
	if (!found) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "no user '%s'; add one with `rongcuo user add`",
			    c->login);
		return RC_ERR_NAME;
	}
	uid = rc_stmt_int(st, 0);
	int disabled = rc_stmt_int(st, 4) != 0;
	if ((e = rc_proc_stmt_done(st)))
		return e;
	/* a token for a disabled user would be refused at every request:
	 * refused here, where the administrator can be told why */
	if (disabled) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "user '%s' is disabled; no token is made for them", c->login);
		return RC_ERR_RANGE;
	}
	/* a fresh token on every attempt: a retried transaction must not
	 * reuse what a rolled-back one made */
	if ((e = rc_random_bytes(raw, sizeof(raw))))
		return e;
	memcpy(c->token, RC_TOKEN_PREFIX, sizeof(RC_TOKEN_PREFIX) - 1);
	rc_hex(raw, sizeof(raw), c->token + sizeof(RC_TOKEN_PREFIX) - 1);
	rc_crypto_wipe(raw, sizeof(raw));
	if (rc_proc_id_hash(c->token + sizeof(RC_TOKEN_PREFIX) - 1, hash))
		return RC_ERR_INTERNAL;
	rc_proc_utc_text(c->now, created);
	if (c->expires)
		rc_proc_utc_text(c->expires, expires);
	if ((e = rc_store_stmt(s, Q_TOKEN_INSERT, &st)) || (e = rc_stmt_bind_str(st, 1, hash)) ||
	    (e = rc_stmt_bind_int(st, 2, uid)) || (e = rc_stmt_bind_str(st, 3, c->label)) ||
	    (e = rc_stmt_bind_str(st, 4, created)) ||
	    (e = rc_stmt_bind_str(st, 5, c->expires ? expires : NULL)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	c->id = rc_store_last_id(s);
	if ((e = rc_proc_who_get(s, c->actor, &c->who)))
		return e;
	snprintf(c->object, sizeof(c->object), "token:%lld", (long long)c->id);
	row->user = c->who.login;
	row->role = c->who.role;
	row->org = c->who.org;
	row->object = c->object;
	row->after = c->after;
	/* what the token is, and nothing that would let anyone use it */
	return rc_proc_canon(c->after, sizeof(c->after),
			     "user=%s\nlabel=%s\ncreated_at=%s\nexpires_at=%s\n", c->login,
			     c->label, created, expires);
}

enum rc_err rc_proc_token_create(struct rc_unit *u, const char *actor, const char *login,
				 const char *label, int64_t expires_unix, int64_t now_unix,
				 char out_token[RC_TOKEN_LEN + 1], int64_t *id, struct rc_diags *d)
{
	struct token_new c;
	enum rc_err e;
	memset(&c, 0, sizeof(c));
	out_token[0] = '\0';
	if ((e = rc_proc_text("the login", login, LOGIN_MAX, d)) ||
	    (e = rc_proc_text("the label", label, RC_TOKEN_LABEL_MAX, d)) ||
	    (e = rc_proc_time_ok(now_unix, d)))
		return e;
	if (expires_unix && (expires_unix <= now_unix || expires_unix > RC_AUTH_TIME_MAX)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "the expiry must be after now and before 2199-01-01 (0: none)");
		return RC_ERR_RANGE;
	}
	c.actor = actor ? actor : "cli";
	c.login = login;
	c.label = label;
	c.now = now_unix;
	c.expires = expires_unix;
	struct rc_audit_entry a = {.user = c.actor,
				   .role = "cli",
				   .org = "-",
				   .action = "token.create",
				   .object = "token:-",
				   .before = "",
				   .after = ""};
	e = rc_unit_change(u, &a, do_create, &c, d);
	if (!e) {
		memcpy(out_token, c.token, sizeof(c.token));
		if (id)
			*id = c.id;
	}
	rc_crypto_wipe(&c, sizeof(c));
	return e;
}

/* ---- check -------------------------------------------------------------------- */

enum rc_err rc_proc_token_check(struct rc_store *s, const char *token, int64_t now_unix,
				struct rc_session_user *out, struct rc_diags *d)
{
	const size_t plen = sizeof(RC_TOKEN_PREFIX) - 1;
	char hash[2 * RC_SM3_LEN + 1], expires[24];
	struct rc_stmt *st;
	int row, valid, revoked, disabled;
	int64_t t_expires = 0;
	enum rc_err e;
	memset(out, 0, sizeof(*out));
	if ((e = rc_proc_time_ok(now_unix, d)))
		return e;
	if (!token || strlen(token) != RC_TOKEN_LEN || memcmp(token, RC_TOKEN_PREFIX, plen) != 0 ||
	    rc_proc_id_hash(token + plen, hash))
		goto invalid;
	if ((e = rc_store_stmt(s, Q_TOKEN_GET, &st)) || (e = rc_stmt_bind_str(st, 1, hash)) ||
	    (e = rc_stmt_step(st, &row))) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot read the token: %s", rc_store_errmsg(s));
		return e;
	}
	if (!row)
		goto invalid;
	out->user_id = rc_stmt_int(st, 1);
	revoked = rc_stmt_int(st, 3) != 0;
	disabled = rc_stmt_int(st, 6) != 0;
	out->must_change_password = rc_stmt_int(st, 7) != 0;
	out->org_id = rc_stmt_int(st, 8);
	out->person_id = rc_stmt_is_null(st, 10) ? 0 : rc_stmt_int(st, 10);
	int no_expiry = rc_stmt_is_null(st, 2);
	valid = !rc_proc_col_copy(st, 2, expires, sizeof(expires)) &&
		!rc_proc_col_copy(st, 4, out->login, sizeof(out->login)) &&
		!rc_proc_col_copy(st, 5, out->role, sizeof(out->role)) &&
		!rc_proc_col_copy(st, 9, out->org_code, sizeof(out->org_code));
	if ((e = rc_proc_stmt_done(st)))
		return e;
	/* an expiry that is not a time is a damaged row: it lets no one in */
	valid = valid && !revoked && !disabled &&
		(no_expiry || (!rc_proc_utc_parse(expires, strlen(expires), &t_expires) &&
			       now_unix < t_expires));
	if (!valid)
		goto invalid;
	return RC_OK;
invalid:
	memset(out, 0, sizeof(*out));
	rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s", NO_TOKEN);
	return RC_ERR_NOT_FOUND;
}

/* ---- revoke ------------------------------------------------------------------- */

struct token_revoke {
	const char *actor;
	int64_t id;
	struct rc_proc_who who;
	char object[32], before[512], after[512];
};

static enum rc_err do_revoke(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			     struct rc_diags *d)
{
	struct token_revoke *c = vctx;
	char login[LOGIN_MAX + 8], label[RC_TOKEN_LABEL_MAX + 1];
	struct rc_stmt *st;
	int found, r, revoked;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_TOKEN_BY_ID, &st)) || (e = rc_stmt_bind_int(st, 1, c->id)) ||
	    (e = rc_stmt_step(st, &found)))
		return e;
	if (!found) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "no token %lld; `rongcuo token list` shows them",
			    (long long)c->id);
		return RC_ERR_NOT_FOUND;
	}
	revoked = rc_stmt_int(st, 2) != 0;
	if (rc_proc_col_copy(st, 1, label, sizeof(label)) ||
	    rc_proc_col_copy(st, 3, login, sizeof(login)))
		return RC_ERR_INTERNAL;
	if ((e = rc_proc_stmt_done(st)))
		return e;
	if (revoked) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "token %lld is revoked already",
			    (long long)c->id);
		return RC_ERR_RANGE;
	}
	if ((e = rc_store_stmt(s, Q_TOKEN_REVOKE, &st)) || (e = rc_stmt_bind_int(st, 1, c->id)) ||
	    (e = rc_stmt_step(st, &r)) || (e = rc_proc_who_get(s, c->actor, &c->who)))
		return e;
	row->user = c->who.login;
	row->role = c->who.role;
	row->org = c->who.org;
	row->before = c->before;
	row->after = c->after;
	if ((e = rc_proc_canon(c->before, sizeof(c->before), "user=%s\nlabel=%s\nrevoked=0\n",
			       login, label)))
		return e;
	return rc_proc_canon(c->after, sizeof(c->after), "user=%s\nlabel=%s\nrevoked=1\n", login,
			     label);
}

enum rc_err rc_proc_token_revoke(struct rc_unit *u, const char *actor, int64_t id,
				 struct rc_diags *d)
{
	struct token_revoke c;
	memset(&c, 0, sizeof(c));
	if (id < 1) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "no token %lld; `rongcuo token list` shows them",
			    (long long)id);
		return RC_ERR_NOT_FOUND;
	}
	c.actor = actor ? actor : "cli";
	c.id = id;
	snprintf(c.object, sizeof(c.object), "token:%lld", (long long)id);
	struct rc_audit_entry a = {.user = c.actor,
				   .role = "cli",
				   .org = "-",
				   .action = "token.revoke",
				   .object = c.object,
				   .before = "",
				   .after = ""};
	return rc_unit_change(u, &a, do_revoke, &c, d);
}

/* ---- list ---------------------------------------------------------------------- */

enum rc_err rc_proc_token_list(struct rc_store *s, int64_t now_unix, rc_token_fn fn, void *ctx)
{
	struct rc_stmt *st;
	int64_t after = 0;
	int row, n;
	enum rc_err e = RC_OK;
	/* a page at a time, each read to its end before the callbacks run, so
	 * that a callback may use the store */
	struct rc_token_info *page = calloc(TOKENS_PAGE, sizeof(*page));
	if (!page)
		return RC_ERR_NOMEM;
	do {
		n = 0;
		if ((e = rc_store_stmt(s, Q_TOKEN_LIST, &st)) ||
		    (e = rc_stmt_bind_int(st, 1, after)) ||
		    (e = rc_stmt_bind_int(st, 2, TOKENS_PAGE)))
			goto out;
		while (!(e = rc_stmt_step(st, &row)) && row && n < TOKENS_PAGE) {
			struct rc_token_info *t = &page[n++];
			int64_t t_exp;
			memset(t, 0, sizeof(*t));
			t->id = rc_stmt_int(st, 0);
			rc_proc_col_copy(st, 1, t->login, sizeof(t->login));
			rc_proc_col_copy(st, 2, t->label, sizeof(t->label));
			rc_proc_col_copy(st, 3, t->created_at, sizeof(t->created_at));
			rc_proc_col_copy(st, 4, t->expires_at, sizeof(t->expires_at));
			t->revoked = rc_stmt_int(st, 5) != 0;
			t->expired =
			    t->expires_at[0] &&
			    (rc_proc_utc_parse(t->expires_at, strlen(t->expires_at), &t_exp) ||
			     now_unix >= t_exp);
		}
		if (e || (row && (e = rc_proc_stmt_done(st))))
			goto out;
		for (int i = 0; i < n; i++)
			if ((e = fn(ctx, &page[i])))
				goto out;
		if (n)
			after = page[n - 1].id;
	} while (n == TOKENS_PAGE);
out:
	free(page);
	return e;
}
