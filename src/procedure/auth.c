/*
 * auth.c -- accounts, log-in and sessions (procedure.h, "accounts, log-in
 * and sessions"; docs/modules/procedure.md).
 *
 * A log-in must not tell an attacker which logins exist, nor whether the
 * password of one was right when the second factor was wrong.  So every
 * attempt does the same things in the same order, whatever the account:
 * read it, run one argon2id verification (against a dummy hash when there
 * is no hash to verify), run one TOTP check (against a dummy secret when
 * there is none), then one transaction that writes the user's failure
 * count (a row that matches nothing for an unknown login) and the audit
 * row.  Only then is the outcome chosen, and every failure gets one
 * message.  The argon2id work is done before the transaction, so that the
 * store's write lock is not held for it; inside, the hash is read again
 * and must be the one verified.  The TOTP check is inside, where the
 * account's last step is read under the write lock: two log-ins racing with
 * one code cannot both pass.
 *
 * Secrets never reach the audit trail: its rows hold digests of canonical
 * texts, and the SM3 of a short text can be searched for, so the texts
 * hold no password, hash, code, TOTP secret or session id.  Sessions are
 * stored by the SM3 of their id; TOTP secrets sealed with SM4 under a key
 * derived from the audit key, bound to their user's id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/utf8.h"
#include "crypto/crypto.h"
#include "procedure/procedure_int.h"

_Static_assert(RC_TOTP_SECRET_B32 == RC_BASE32_LEN(RC_TOTP_SECRET_LEN) + 1,
	       "room for the base32 of a new TOTP secret");
_Static_assert(RC_AUTH_PASSWORD_MAX <= RC_PASSWORD_LEN_MAX, "passwords the hash accepts");

#define LOGIN_MAX      64                /* bytes, as user add caps it */
#define SESSION_ID_LEN RC_PROC_ID_LEN    /* bytes: 128 bits */
#define SESSION_MAX    INT64_C(31622400) /* a session limit: at most 366 days */
#define SEALED_HEX_MAX (2 * (RC_SM4_SEAL_OVERHEAD + RC_TOTP_SECRET_MAX) + 1)
#define ISSUER         "rongcuo"
#define NO_SESSION     "会话无效或已过期,请重新登录 (no valid session: log in again)"
#define ADMIN_PW_BYTES 15 /* 120 random bits, 24 base32 characters */

/* ---- logins ------------------------------------------------------------- */

/* A login that could be stored: 1..64 bytes of valid UTF-8.  Anything else
 * is looked up in nothing (an invalid text would be an error on
 * PostgreSQL, not a miss). */
static int login_valid(const char *login)
{
	size_t n = login ? strlen(login) : 0;
	return n >= 1 && n <= LOGIN_MAX && rc_utf8_valid(login, n, NULL);
}

/* A login as given, for the audit row of a failed log-in: at most 64 bytes,
 * cut at a character, every control character and invalid byte as '?', so
 * that a forged login cannot forge a line of `audit list`. */
static void login_shown(const char *in, char out[LOGIN_MAX + 1])
{
	size_t o = 0, n = in ? strlen(in) : 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp = 0;
		size_t k = rc_utf8_decode(in + i, n - i, &cp);
		if (k == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			if (o + 1 > LOGIN_MAX)
				break;
			out[o++] = '?';
			i += k ? k : 1;
			continue;
		}
		if (o + k > LOGIN_MAX)
			break;
		memcpy(out + o, in + i, k);
		o += k;
		i += k;
	}
	if (o == 0)
		out[o++] = '-';
	out[o] = '\0';
}

/* ---- accounts ----------------------------------------------------------- */

struct account {
	int64_t id, org_id, last_step, failed, locked_until;
	int disabled, must_change, locked_set;
	int damaged; /* a stored value is not one this code writes: never let in */
	char login[LOGIN_MAX + 8], role[64], org_code[72];
	char hash[RC_PASSWORD_HASH_MAX]; /* "" when none */
	char secret[SEALED_HEX_MAX];     /* sealed, hex; "" when not enrolled */
	char pending[SEALED_HEX_MAX];    /* sealed, hex; "" when none pending */
	char locked_text[24];
};

/* The account of `login` into *a (zeroed, id 0, when not found).  A stored
 * value that is not one of ours (too long, a lock that is not a time)
 * marks the account damaged: a damaged row never lets anyone in. */
static enum rc_err account_get(struct rc_store *s, const char *login, struct account *a, int *found)
{
	struct rc_stmt *st;
	int row, bad = 0;
	enum rc_err e;
	memset(a, 0, sizeof(*a));
	a->last_step = -1;
	*found = 0;
	if (!login_valid(login))
		return RC_OK;
	if ((e = rc_store_stmt(s, Q_USER_AUTH_GET, &st)) || (e = rc_stmt_bind_str(st, 1, login)) ||
	    (e = rc_stmt_step(st, &row)))
		return e;
	if (!row)
		return RC_OK;
	a->id = rc_stmt_int(st, 0);
	a->org_id = rc_stmt_int(st, 1);
	bad |= rc_proc_col_copy(st, 2, a->role, sizeof(a->role));
	a->disabled = rc_stmt_int(st, 3) != 0;
	bad |= rc_proc_col_copy(st, 4, a->hash, sizeof(a->hash));
	bad |= rc_proc_col_copy(st, 5, a->secret, sizeof(a->secret));
	bad |= rc_proc_col_copy(st, 6, a->pending, sizeof(a->pending));
	a->last_step = rc_stmt_int(st, 7);
	a->failed = rc_stmt_int(st, 8);
	if (!rc_stmt_is_null(st, 9)) {
		size_t len;
		const char *t = rc_stmt_text(st, 9, &len);
		a->locked_set = 1;
		if (rc_proc_col_copy(st, 9, a->locked_text, sizeof(a->locked_text)) ||
		    rc_proc_utc_parse(t, len, &a->locked_until))
			bad = -1;
	}
	a->must_change = rc_stmt_int(st, 10) != 0;
	bad |= rc_proc_col_copy(st, 11, a->org_code, sizeof(a->org_code));
	bad |= rc_proc_col_copy(st, 12, a->login, sizeof(a->login));
	a->damaged = bad != 0;
	*found = 1;
	return rc_proc_stmt_done(st);
}

static int account_locked(const struct account *a, int64_t now)
{
	return a->locked_set && now < a->locked_until;
}

/* procedure_int.h */
enum rc_err rc_proc_who_get(struct rc_store *s, const char *actor, struct rc_proc_who *w)
{
	struct account a;
	int found;
	login_shown(actor, w->login);
	snprintf(w->role, sizeof(w->role), "cli");
	snprintf(w->org, sizeof(w->org), "-");
	enum rc_err e = account_get(s, actor, &a, &found);
	if (!e && found) {
		snprintf(w->login, sizeof(w->login), "%s", a.login);
		snprintf(w->role, sizeof(w->role), "%s", a.role);
		snprintf(w->org, sizeof(w->org), "%s", a.org_code);
	}
	rc_crypto_wipe(&a, sizeof(a));
	return e;
}

/* ---- TOTP secrets, sealed ------------------------------------------------ */

/* The sealing key: HMAC-SM3(audit key, "rongcuo-totp-v1"), cut to an SM4
 * key.  Deriving it keeps one secret to guard (audit.key, mode 0600); the
 * label keeps it apart from the chain's MACs. */
static enum rc_err seal_key(const uint8_t *audit_key, uint8_t k[RC_SM4_KEY_LEN])
{
	static const char label[] = "rongcuo-totp-v1";
	uint8_t mac[RC_SM3_LEN];
	enum rc_err e = rc_hmac_sm3(audit_key, RC_AUDIT_KEY_LEN, label, sizeof(label) - 1, mac);
	if (!e)
		memcpy(k, mac, RC_SM4_KEY_LEN);
	rc_crypto_wipe(mac, sizeof(mac));
	return e;
}

/* The associated data of a user's box: a box moved to another user's row
 * does not open. */
static void seal_aad(int64_t uid, char *aad, size_t cap)
{
	snprintf(aad, cap, "rongcuo-totp:user:%lld", (long long)uid);
}

static enum rc_err secret_seal(const uint8_t *audit_key, int64_t uid, const uint8_t *sec,
			       size_t len, char hex[SEALED_HEX_MAX])
{
	uint8_t k[RC_SM4_KEY_LEN], box[RC_SM4_SEAL_OVERHEAD + RC_TOTP_SECRET_MAX];
	size_t blen = 0;
	char aad[64];
	seal_aad(uid, aad, sizeof(aad));
	enum rc_err e = seal_key(audit_key, k);
	if (!e)
		e = rc_sm4_seal(k, sizeof(k), aad, strlen(aad), sec, len, box, sizeof(box), &blen);
	if (!e)
		rc_hex(box, blen, hex);
	rc_crypto_wipe(k, sizeof(k));
	return e;
}

static enum rc_err secret_open(const uint8_t *audit_key, int64_t uid, const char *hex,
			       uint8_t sec[RC_TOTP_SECRET_MAX], size_t *len)
{
	uint8_t k[RC_SM4_KEY_LEN], box[RC_SM4_SEAL_OVERHEAD + RC_TOTP_SECRET_MAX];
	size_t blen = 0;
	char aad[64];
	seal_aad(uid, aad, sizeof(aad));
	*len = 0;
	enum rc_err e = rc_unhex(hex, strlen(hex), box, sizeof(box), &blen);
	if (!e)
		e = seal_key(audit_key, k);
	if (!e)
		e = rc_sm4_open(k, sizeof(k), aad, strlen(aad), box, blen, sec, RC_TOTP_SECRET_MAX,
				len);
	rc_crypto_wipe(k, sizeof(k));
	return e;
}

/* Check `code` against the sealed secret `hex` (against a dummy secret
 * when there is none or it does not open, so that the work is the same):
 * *ok and *step as rc_totp_verify gives them; *opened 0 when a stored
 * secret could not be opened (another audit key, a damaged row). */
static void code_check(const uint8_t *audit_key, int64_t uid, const char *hex, const char *code,
		       int64_t now, int64_t last_step, int *ok, int64_t *step, int *opened)
{
	static const uint8_t dummy[RC_TOTP_SECRET_LEN] = {0x5a};
	uint8_t sec[RC_TOTP_SECRET_MAX];
	size_t len = 0;
	*ok = 0;
	*opened = 1;
	if (hex[0] && secret_open(audit_key, uid, hex, sec, &len) == RC_OK) {
		*ok = rc_totp_verify(sec, len, code, now, last_step, step) == RC_OK;
	} else {
		*opened = !hex[0];
		rc_totp_verify(dummy, sizeof(dummy), code, now, last_step, step);
	}
	rc_crypto_wipe(sec, sizeof(sec));
}

/* ---- sessions ----------------------------------------------------------- */

/* Revoke user uid's live sessions but `keep_hash` (NULL: all); *n counts
 * them. */
static enum rc_err sessions_revoke(struct rc_store *s, int64_t uid, const char *keep_hash,
				   int64_t *n)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_SESSIONS_REVOKE_USER, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, uid)) || (e = rc_stmt_bind_str(st, 2, keep_hash)) ||
	    (e = rc_stmt_step(st, &row)))
		return e;
	*n = rc_store_changes(s);
	return RC_OK;
}

/* ---- one attempt to authenticate ------------------------------------------ */

enum auth_kind { AUTH_LOGIN, AUTH_ENROL_BEGIN, AUTH_ENROL_FINISH };
enum auth_outcome { OUT_FAILED, OUT_SESSION, OUT_ENROL, OUT_BEGUN, OUT_ENROLLED };

struct auth_ctx {
	enum auth_kind kind;
	const uint8_t *key; /* the audit key */
	const char *login;  /* as given */
	const char *code;   /* as given, or "" */
	int64_t now, idle_s, absolute_s;
	char shown[LOGIN_MAX + 1];
	/* the password's verification, before the transaction */
	int pw_ok, hash_damaged;
	char verified[RC_PASSWORD_HASH_MAX]; /* the hash it was verified against, or "" */
	char rehash[RC_PASSWORD_HASH_MAX];   /* a stronger hash of it, or "" */
	/* the outcome, from the last attempt of the transaction */
	enum auth_outcome outcome;
	struct account acct;
	char object[LOGIN_MAX + 32], after[512];
	char session_id[RC_SESSION_ID_HEX], session_hash[2 * RC_SM3_LEN + 1];
	struct rc_totp_enrolment *enrol; /* AUTH_ENROL_BEGIN: the output */
};

/* The password, against the account's hash or the dummy: the same work
 * whoever asks (the work of the account's own parameters -- the current
 * ones, unless the hash is older, and then it is replaced on success). */
static enum rc_err password_work(struct rc_store *s, struct auth_ctx *c, const char *password,
				 struct rc_diags *d)
{
	size_t len = strlen(password);
	int found = 0, ok = 0;
	enum rc_err e = account_get(s, c->login, &c->acct, &found);
	if (e) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot read the account: %s",
			    rc_store_errmsg(s));
		return e;
	}
	if (found && c->acct.hash[0]) {
		e = rc_password_verify(c->acct.hash, password, len, &ok);
		snprintf(c->verified, sizeof(c->verified), "%s", c->acct.hash);
		if (e == RC_OK && ok && rc_password_needs_rehash(c->acct.hash) == 1 &&
		    rc_password_hash(password, len, c->rehash) != RC_OK)
			c->rehash[0] = '\0';
	} else {
		e = rc_password_dummy_verify(password, len);
	}
	/* a password of a length out of bounds is a wrong one; a stored hash
	 * that is damaged or asks for too much fails the log-in too, but is
	 * not the user's failure (not counted; its own reason in the audit
	 * row): the 安全管理员 sets a new password */
	c->hash_damaged = found && c->acct.hash[0] && (e == RC_ERR_SYNTAX || e == RC_ERR_LIMIT);
	if (e == RC_ERR_RANGE || e == RC_ERR_SYNTAX || e == RC_ERR_LIMIT)
		e = RC_OK;
	if (e)
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot verify the password: %s",
			    rc_strerror(e));
	c->pw_ok = ok && !e;
	rc_crypto_wipe(&c->acct, sizeof(c->acct));
	return e;
}

/* The account's failure count, lock and last TOTP step; for an unknown
 * login (id 0) the statement matches no row, and runs all the same. */
static enum rc_err auth_state(struct rc_store *s, int64_t id, int64_t failed, const char *locked,
			      int64_t last_step)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_USER_AUTH_STATE, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, failed)) || (e = rc_stmt_bind_str(st, 2, locked)) ||
	    (e = rc_stmt_bind_int(st, 3, last_step)) || (e = rc_stmt_bind_int(st, 4, id)))
		return e;
	return rc_stmt_step(st, &row);
}

/* The lock after `failures` consecutive failures, in seconds (0: none). */
static int64_t lock_seconds(int64_t failures)
{
	int64_t s = RC_AUTH_LOCK_FIRST;
	if (failures < RC_AUTH_LOCK_AFTER)
		return 0;
	for (int64_t n = failures - RC_AUTH_LOCK_AFTER; n > 0 && s < RC_AUTH_LOCK_MAX; n--)
		s *= 2;
	return s < RC_AUTH_LOCK_MAX ? s : RC_AUTH_LOCK_MAX;
}

/* A failed attempt: counted (and maybe locking) or not, recorded.  A
 * damaged account is left as it is (the statement then matches no row, as
 * for an unknown login). */
static enum rc_err failed(struct rc_store *s, struct auth_ctx *c, struct rc_audit_entry *row,
			  const char *reason, int count)
{
	struct account *a = &c->acct;
	int64_t n = a->failed;
	char until[21];
	const char *locked = a->locked_set ? a->locked_text : NULL;
	if (count && !a->damaged) {
		int64_t lock = lock_seconds(++n);
		if (lock) {
			rc_proc_utc_text(c->now + lock, until);
			locked = until;
		}
	}
	enum rc_err e = auth_state(s, a->damaged ? 0 : a->id, n, locked, a->last_step);
	if (e)
		return e;
	c->outcome = OUT_FAILED;
	row->action = "auth.login.failed";
	row->after = c->after;
	return rc_proc_canon(c->after, sizeof(c->after),
			     "reason=%s\nfailed_logins=%lld\nlocked_until=%s\n", reason,
			     (long long)n, locked ? locked : "");
}

/* Failures cleared, the code's step (or the old one) kept. */
static enum rc_err succeeded(struct rc_store *s, const struct account *a, int64_t step)
{
	return auth_state(s, a->id, 0, NULL, step);
}

static enum rc_err session_new(struct rc_store *s, struct auth_ctx *c, struct rc_audit_entry *row)
{
	uint8_t id[SESSION_ID_LEN];
	struct rc_stmt *st;
	char created[21], expiry[21];
	int r;
	enum rc_err e;
	if ((e = rc_random_bytes(id, sizeof(id))))
		return e;
	rc_hex(id, sizeof(id), c->session_id);
	rc_crypto_wipe(id, sizeof(id));
	if (rc_proc_id_hash(c->session_id, c->session_hash))
		return RC_ERR_INTERNAL;
	rc_proc_utc_text(c->now, created);
	rc_proc_utc_text(c->now + c->absolute_s, expiry);
	/* the user's dead sessions go as a new one comes: the table stays
	 * the size of the sessions in use */
	if ((e = rc_store_stmt(s, Q_SESSIONS_PURGE, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, c->acct.id)) || (e = rc_stmt_bind_str(st, 2, created)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	if ((e = rc_store_stmt(s, Q_SESSION_INSERT, &st)) ||
	    (e = rc_stmt_bind_str(st, 1, c->session_hash)) ||
	    (e = rc_stmt_bind_int(st, 2, c->acct.id)) || (e = rc_stmt_bind_str(st, 3, created)) ||
	    (e = rc_stmt_bind_str(st, 4, expiry)) || (e = rc_stmt_bind_int(st, 5, c->idle_s)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	/* the object names the session by the start of its stored hash, so a
	 * logout's row can be matched to its log-in's */
	snprintf(c->object, sizeof(c->object), "session:%.16s", c->session_hash);
	row->object = c->object;
	row->action = "auth.login";
	row->after = c->after;
	return rc_proc_canon(c->after, sizeof(c->after),
			     "user=%s\ncreated_at=%s\nabsolute_expiry_at=%s\nidle_timeout_s=%lld\n",
			     c->acct.login, created, expiry, (long long)c->idle_s);
}

/* An authenticator label: the login without ':' or control characters
 * (the otpauth URI refuses them; the label is only shown in the app). */
static void label_of(const char *login, char *out, size_t cap)
{
	snprintf(out, cap, "%s", login);
	for (char *p = out; *p; p++)
		if (*p == ':' || (unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '_';
}

static enum rc_err enrol_begin(struct rc_store *s, struct auth_ctx *c, struct rc_audit_entry *row,
			       struct rc_diags *d)
{
	uint8_t sec[RC_TOTP_SECRET_LEN];
	char sealed[SEALED_HEX_MAX], label[LOGIN_MAX + 8];
	struct rc_stmt *st;
	size_t n;
	int r;
	enum rc_err e;
	if (c->acct.secret[0]) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: user '%s' already has an authenticator; the 安全管理员 resets "
		    "it",
		    c->acct.login);
		return RC_ERR_CONFLICT;
	}
	label_of(c->acct.login, label, sizeof(label));
	if ((e = rc_totp_secret_new(sec)) ||
	    (e = secret_seal(c->key, c->acct.id, sec, sizeof(sec), sealed)) ||
	    (e = rc_base32_encode(sec, sizeof(sec), c->enrol->secret, sizeof(c->enrol->secret),
				  &n)) ||
	    (e = rc_totp_uri(ISSUER, label, sec, sizeof(sec), c->enrol->uri,
			     sizeof(c->enrol->uri))))
		goto out;
	if ((e = rc_store_stmt(s, Q_USER_TOTP_PENDING, &st)) ||
	    (e = rc_stmt_bind_str(st, 1, sealed)) || (e = rc_stmt_bind_int(st, 2, c->acct.id)) ||
	    (e = rc_stmt_step(st, &r)))
		goto out;
	c->outcome = OUT_BEGUN;
	row->action = "user.totp.begin";
	row->after = "totp=pending\n";
out:
	rc_crypto_wipe(sec, sizeof(sec));
	return e;
}

static enum rc_err enrol_finish(struct rc_store *s, struct auth_ctx *c, struct rc_audit_entry *row,
				int64_t step)
{
	struct rc_stmt *st;
	int r;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_USER_TOTP_ENROL, &st)) || (e = rc_stmt_bind_int(st, 1, step)) ||
	    (e = rc_stmt_bind_int(st, 2, c->acct.id)) ||
	    (e = rc_stmt_bind_str(st, 3, c->acct.pending)) || (e = rc_stmt_step(st, &r)))
		return e;
	if (rc_store_changes(s) != 1)
		return RC_ERR_INTERNAL; /* read under the write lock: cannot have changed */
	c->outcome = OUT_ENROLLED;
	row->action = "user.totp.enrol";
	row->after = "totp=enrolled\n";
	return RC_OK;
}

/* The attempt, inside the unit's transaction: the account read again
 * under the write lock, then the outcome. */
static enum rc_err do_auth(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			   struct rc_diags *d)
{
	struct auth_ctx *c = vctx;
	struct account *a = &c->acct;
	int found = 0, code_ok = 0, opened = 1;
	int64_t step = -1;
	enum rc_err e;
	c->outcome = OUT_FAILED;
	c->session_id[0] = '\0';
	if ((e = account_get(s, c->login, a, &found)))
		return e;
	snprintf(c->object, sizeof(c->object), "user:%s", found ? a->login : c->shown);
	row->object = c->object;
	row->before = "";
	row->user = found ? a->login : c->shown;
	row->role = found ? a->role : "-";
	row->org = found ? a->org_code : "-";
	/* the one TOTP check of the attempt, whatever comes of it */
	if (c->kind == AUTH_LOGIN)
		code_check(c->key, a->id, a->secret, c->code, c->now, a->last_step, &code_ok, &step,
			   &opened);
	else if (c->kind == AUTH_ENROL_FINISH)
		code_check(c->key, a->id, a->pending, c->code, c->now, a->last_step, &code_ok,
			   &step, &opened);

	if (!found)
		return failed(s, c, row, "unknown user", 0);
	if (a->disabled)
		return failed(s, c, row, "disabled", 0);
	if (a->damaged)
		return failed(s, c, row, "damaged account", 0);
	if (account_locked(a, c->now))
		return failed(s, c, row, "locked", 0);
	if (c->kind != AUTH_ENROL_FINISH) {
		/* the hash verified before the transaction must still be the
		 * account's: a password changed in between is not the one
		 * checked */
		if (strcmp(a->hash, c->verified) == 0 && c->hash_damaged)
			return failed(s, c, row, "damaged password hash", 0);
		if (!c->pw_ok || strcmp(a->hash, c->verified) != 0)
			return failed(s, c, row, a->hash[0] ? "password" : "no password", 1);
		if (c->rehash[0]) {
			struct rc_stmt *st;
			int r;
			if ((e = rc_store_stmt(s, Q_USER_REHASH, &st)) ||
			    (e = rc_stmt_bind_str(st, 1, c->rehash)) ||
			    (e = rc_stmt_bind_int(st, 2, a->id)) ||
			    (e = rc_stmt_bind_str(st, 3, c->verified)) ||
			    (e = rc_stmt_step(st, &r)))
				return e;
		}
	} else if (!a->pending[0]) {
		return failed(s, c, row, "no enrolment pending", 0);
	}
	/* past the password (or, finishing an enrolment, the pending secret
	 * is there): what is told now is told to the account's holder */
	if (!opened) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "the TOTP secret of user '%s' cannot be opened (damaged, or sealed "
			    "under another audit key); the 安全管理员 resets it",
			    a->login);
		return RC_ERR_INTERNAL;
	}
	switch (c->kind) {
	case AUTH_LOGIN:
		if (!a->secret[0]) {
			if ((e = succeeded(s, a, a->last_step)))
				return e;
			c->outcome = OUT_ENROL;
			row->action = "auth.login.enrol";
			row->after = "password=accepted\ntotp=not enrolled\n";
			return RC_OK;
		}
		if (!code_ok)
			return failed(s, c, row, "code", 1);
		if ((e = succeeded(s, a, step)) || (e = session_new(s, c, row)))
			return e;
		c->outcome = OUT_SESSION;
		return RC_OK;
	case AUTH_ENROL_BEGIN:
		if ((e = enrol_begin(s, c, row, d)))
			return e;
		return RC_OK;
	case AUTH_ENROL_FINISH:
		if (!code_ok)
			return failed(s, c, row, "code", 1);
		return enrol_finish(s, c, row, step);
	}
	return RC_ERR_INTERNAL;
}

/* Run one attempt as a unit of work (without the unit's idempotency key:
 * an attempt is not a change to be made once). */
static enum rc_err attempt(struct rc_unit *u, struct auth_ctx *c, const char *password,
			   struct rc_diags *d)
{
	struct rc_audit_entry a = {.user = "-",
				   .role = "-",
				   .org = "-",
				   .action = "auth.login.failed",
				   .object = "user:-",
				   .before = "",
				   .after = ""};
	const char *idem = u->idem_key;
	enum rc_err e;
	c->key = u->key;
	login_shown(c->login, c->shown);
	if (c->kind != AUTH_ENROL_FINISH && (e = password_work(u->store, c, password, d)))
		return e;
	u->idem_key = NULL;
	e = rc_unit_change(u, &a, do_auth, c, d);
	u->idem_key = idem;
	return e;
}

static enum rc_err login_failed(struct rc_diags *d)
{
	rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s", RC_AUTH_FAILED);
	return RC_ERR_RANGE;
}

enum rc_err rc_proc_login(struct rc_unit *u, const char *login, const char *password,
			  const char *totp_code, int64_t now_unix,
			  const struct rc_session_limits *lim, struct rc_login *out,
			  struct rc_diags *d)
{
	struct auth_ctx *c = NULL;
	enum rc_err e;
	memset(out, 0, sizeof(*out));
	if ((e = rc_proc_time_ok(now_unix, d)))
		return e;
	if (lim && (lim->idle_s < 1 || lim->idle_s > SESSION_MAX || lim->absolute_s < 1 ||
		    lim->absolute_s > SESSION_MAX)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "session limits must be 1 second to 366 days (idle %lld, absolute "
			    "%lld)",
			    (long long)lim->idle_s, (long long)lim->absolute_s);
		return RC_ERR_RANGE;
	}
	if (!(c = calloc(1, sizeof(*c))))
		return RC_ERR_NOMEM;
	c->kind = AUTH_LOGIN;
	c->login = login ? login : "";
	c->code = totp_code ? totp_code : "";
	c->now = now_unix;
	c->idle_s = lim ? lim->idle_s : RC_SESSION_IDLE;
	c->absolute_s = lim ? lim->absolute_s : RC_SESSION_ABSOLUTE;
	if ((e = attempt(u, c, password ? password : "", d)))
		goto out;
	switch (c->outcome) {
	case OUT_SESSION:
		memcpy(out->session_id, c->session_id, sizeof(out->session_id));
		out->must_change_password = c->acct.must_change;
		break;
	case OUT_ENROL:
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "密码正确,请先绑定动态口令 (password accepted; enrol an authenticator "
			    "app first)");
		e = RC_ERR_NOT_FOUND;
		break;
	default: e = login_failed(d); break;
	}
out:
	rc_crypto_wipe(c, sizeof(*c));
	free(c);
	return e;
}

enum rc_err rc_proc_totp_enrol_begin(struct rc_unit *u, const char *login, const char *password,
				     int64_t now_unix, struct rc_totp_enrolment *out,
				     struct rc_diags *d)
{
	struct auth_ctx *c = NULL;
	enum rc_err e;
	memset(out, 0, sizeof(*out));
	if ((e = rc_proc_time_ok(now_unix, d)))
		return e;
	if (!(c = calloc(1, sizeof(*c))))
		return RC_ERR_NOMEM;
	c->kind = AUTH_ENROL_BEGIN;
	c->login = login ? login : "";
	c->code = "";
	c->now = now_unix;
	c->enrol = out;
	e = attempt(u, c, password ? password : "", d);
	if (!e && c->outcome != OUT_BEGUN)
		e = login_failed(d);
	if (e)
		rc_crypto_wipe(out, sizeof(*out));
	rc_crypto_wipe(c, sizeof(*c));
	free(c);
	return e;
}

enum rc_err rc_proc_totp_enrol_finish(struct rc_unit *u, const char *login, const char *code,
				      int64_t now_unix, struct rc_diags *d)
{
	struct auth_ctx *c = NULL;
	enum rc_err e;
	if ((e = rc_proc_time_ok(now_unix, d)))
		return e;
	if (!(c = calloc(1, sizeof(*c))))
		return RC_ERR_NOMEM;
	c->kind = AUTH_ENROL_FINISH;
	c->login = login ? login : "";
	c->code = code ? code : "";
	c->now = now_unix;
	e = attempt(u, c, "", d);
	if (!e && c->outcome != OUT_ENROLLED)
		e = login_failed(d);
	rc_crypto_wipe(c, sizeof(*c));
	free(c);
	return e;
}

/* ---- sessions ------------------------------------------------------------ */

enum rc_err rc_proc_session_check(struct rc_store *s, const char *id, int64_t now_unix,
				  struct rc_session_user *out, struct rc_diags *d)
{
	char hash[2 * RC_SM3_LEN + 1], seen[24], expiry[24];
	int64_t t_seen = 0, t_expiry = 0, idle;
	struct rc_stmt *st;
	int row, valid = 0, revoked, disabled;
	enum rc_err e;
	memset(out, 0, sizeof(*out));
	if ((e = rc_proc_time_ok(now_unix, d)))
		return e;
	if (rc_proc_id_hash(id, hash))
		goto invalid;
	if ((e = rc_store_stmt(s, Q_SESSION_GET, &st)) || (e = rc_stmt_bind_str(st, 1, hash)) ||
	    (e = rc_stmt_step(st, &row))) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot read the session: %s",
			    rc_store_errmsg(s));
		return e;
	}
	if (!row)
		goto invalid;
	out->user_id = rc_stmt_int(st, 0);
	idle = rc_stmt_int(st, 3);
	revoked = rc_stmt_int(st, 4) != 0;
	disabled = rc_stmt_int(st, 7) != 0;
	out->must_change_password = rc_stmt_int(st, 8) != 0;
	out->org_id = rc_stmt_int(st, 9);
	out->person_id = rc_stmt_is_null(st, 11) ? 0 : rc_stmt_int(st, 11);
	valid = !rc_proc_col_copy(st, 1, seen, sizeof(seen)) &&
		!rc_proc_col_copy(st, 2, expiry, sizeof(expiry)) &&
		!rc_proc_col_copy(st, 5, out->login, sizeof(out->login)) &&
		!rc_proc_col_copy(st, 6, out->role, sizeof(out->role)) &&
		!rc_proc_col_copy(st, 10, out->org_code, sizeof(out->org_code));
	if ((e = rc_proc_stmt_done(st)))
		return e;
	valid = valid && !revoked && !disabled && !rc_proc_utc_parse(seen, strlen(seen), &t_seen) &&
		!rc_proc_utc_parse(expiry, strlen(expiry), &t_expiry) && now_unix < t_expiry &&
		idle > 0 && now_unix - t_seen < idle;
	if (!valid)
		goto invalid;
	if (now_unix - t_seen >= RC_SESSION_TOUCH) {
		char now[21];
		rc_proc_utc_text(now_unix, now);
		if ((e = rc_store_stmt(s, Q_SESSION_TOUCH, &st)) ||
		    (e = rc_stmt_bind_str(st, 1, now)) || (e = rc_stmt_bind_str(st, 2, hash)) ||
		    (e = rc_stmt_step(st, &row)))
			rc_diag_add(d, RC_SEV_WARNING, 0, 0,
				    "the session's last use could not be recorded: %s",
				    rc_store_errmsg(s));
	}
	return RC_OK;
invalid:
	memset(out, 0, sizeof(*out));
	rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s", NO_SESSION);
	return RC_ERR_NOT_FOUND;
}

struct logout {
	char hash[2 * RC_SM3_LEN + 1], object[32];
	char login[LOGIN_MAX + 8], role[64], org[72];
};

static enum rc_err do_logout(struct rc_store *s, void *ctx, struct rc_audit_entry *row,
			     struct rc_diags *d)
{
	struct logout *l = ctx;
	struct rc_stmt *st;
	int r, revoked;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_SESSION_GET, &st)) || (e = rc_stmt_bind_str(st, 1, l->hash)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	revoked = r && rc_stmt_int(st, 4) != 0;
	if (r && (rc_proc_col_copy(st, 5, l->login, sizeof(l->login)) ||
		  rc_proc_col_copy(st, 6, l->role, sizeof(l->role)) ||
		  rc_proc_col_copy(st, 10, l->org, sizeof(l->org))))
		return RC_ERR_INTERNAL;
	if (r && (e = rc_proc_stmt_done(st)))
		return e;
	if (!r || revoked) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s", NO_SESSION);
		return RC_ERR_NOT_FOUND;
	}
	if ((e = rc_store_stmt(s, Q_SESSION_REVOKE, &st)) ||
	    (e = rc_stmt_bind_str(st, 1, l->hash)) || (e = rc_stmt_step(st, &r)))
		return e;
	snprintf(l->object, sizeof(l->object), "session:%.16s", l->hash);
	row->user = l->login;
	row->role = l->role;
	row->org = l->org;
	row->object = l->object;
	row->before = "revoked=0\n";
	row->after = "revoked=1\n";
	return RC_OK;
}

enum rc_err rc_proc_logout(struct rc_unit *u, const char *id, struct rc_diags *d)
{
	struct logout l;
	memset(&l, 0, sizeof(l));
	if (rc_proc_id_hash(id, l.hash)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s", NO_SESSION);
		return RC_ERR_NOT_FOUND;
	}
	struct rc_audit_entry a = {.user = "-",
				   .role = "-",
				   .org = "-",
				   .action = "auth.logout",
				   .object = "session:-",
				   .before = "",
				   .after = ""};
	const char *idem = u->idem_key;
	u->idem_key = NULL;
	enum rc_err e = rc_unit_change(u, &a, do_logout, &l, d);
	u->idem_key = idem;
	return e;
}

/* ---- administration of accounts ------------------------------------------ */

/* The account an administrator acts on, and the administrator: both must
 * exist (RC_ERR_NAME with the usual message for a missing account). */
static enum rc_err target_get(struct rc_store *s, const char *actor, const char *login,
			      struct account *a, struct rc_proc_who *w, struct rc_diags *d)
{
	int found;
	enum rc_err e;
	if ((e = account_get(s, login, a, &found)) || (e = rc_proc_who_get(s, actor, w)))
		return e;
	if (!found) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "no user '%s'; add one with `rongcuo user add`",
			    login);
		return RC_ERR_NAME;
	}
	return RC_OK;
}

struct pw_set {
	const char *actor, *login;
	const char *keep; /* the hash of the session kept, or NULL */
	int must_change;
	char hash[RC_PASSWORD_HASH_MAX];
	struct rc_proc_who who;
	char object[LOGIN_MAX + 16], after[128];
};

static enum rc_err do_password_set(struct rc_store *s, void *ctx, struct rc_audit_entry *row,
				   struct rc_diags *d)
{
	struct pw_set *p = ctx;
	struct account a;
	struct rc_stmt *st;
	int r;
	int64_t revoked = 0;
	enum rc_err e;
	if ((e = target_get(s, p->actor, p->login, &a, &p->who, d)))
		goto out;
	if ((e = rc_store_stmt(s, Q_USER_PASSWORD_SET, &st)) ||
	    (e = rc_stmt_bind_str(st, 1, p->hash)) ||
	    (e = rc_stmt_bind_int(st, 2, p->must_change)) || (e = rc_stmt_bind_int(st, 3, a.id)) ||
	    (e = rc_stmt_step(st, &r)) || (e = sessions_revoke(s, a.id, p->keep, &revoked)))
		goto out;
	row->user = p->who.login;
	row->role = p->who.role;
	row->org = p->who.org;
	/* "password changed", and nothing of the password or its hash */
	e = rc_proc_canon(p->after, sizeof(p->after),
			  "password changed\nmust_change_password=%d\nsessions_revoked=%lld\n",
			  p->must_change, (long long)revoked);
	row->after = p->after;
out:
	rc_crypto_wipe(&a, sizeof(a));
	return e;
}

enum rc_err rc_proc_password_set(struct rc_unit *u, const char *actor, const char *login,
				 const char *password, int must_change, const char *keep_session,
				 struct rc_diags *d)
{
	struct pw_set p;
	char keep[2 * RC_SM3_LEN + 1];
	size_t len = password ? strlen(password) : 0;
	enum rc_err e;
	memset(&p, 0, sizeof(p));
	if ((e = rc_proc_text("the login", login, LOGIN_MAX, d)))
		return e;
	if (len < RC_AUTH_PASSWORD_MIN || len > RC_AUTH_PASSWORD_MAX) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "the password is %zu bytes long; it must be %d to %d bytes (OWASP "
			    "ASVS V2.1)",
			    len, RC_AUTH_PASSWORD_MIN, RC_AUTH_PASSWORD_MAX);
		return RC_ERR_RANGE;
	}
	/* the hash before the transaction: its 19 MiB and milliseconds are
	 * not spent holding the write lock */
	if ((e = rc_password_hash(password, len, p.hash))) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot hash the password: %s", rc_strerror(e));
		return e;
	}
	p.actor = actor ? actor : "cli";
	p.login = login;
	p.must_change = must_change != 0;
	p.keep = keep_session && !rc_proc_id_hash(keep_session, keep) ? keep : NULL;
	snprintf(p.object, sizeof(p.object), "user:%s", login);
	struct rc_audit_entry a = {.user = p.actor,
				   .role = "cli",
				   .org = "-",
				   .action = "user.password",
				   .object = p.object,
				   .before = "",
				   .after = ""};
	e = rc_unit_change(u, &a, do_password_set, &p, d);
	rc_crypto_wipe(&p, sizeof(p));
	return e;
}

/* The 安全管理员's changes to an account that are a switch: disable (and
 * revoke every session), enable again, remove the authenticator (the
 * user enrols a new one at the next log-in; every session revoked). */
enum account_op { OP_DISABLE, OP_ENABLE, OP_TOTP_RESET };

static const struct {
	const char *action, *before;
} account_ops[] = {
    [OP_DISABLE] = {"user.disable", "disabled=0\n"},
    [OP_ENABLE] = {"user.enable", "disabled=1\n"},
    [OP_TOTP_RESET] = {"user.totp.reset", "authenticator\n"},
};

enum rc_err rc_proc_password_change(struct rc_unit *u, const char *login, const char *current,
				    const char *password, const char *keep_session,
				    struct rc_diags *d)
{
	struct account a;
	int found = 0, ok = 0;
	size_t len = current ? strlen(current) : 0;
	/* the check before the change's transaction: argon2id's milliseconds
	 * are not spent holding the write lock */
	enum rc_err e = account_get(u->store, login, &a, &found);
	if (!e && found && a.hash[0] && !a.damaged && len <= RC_AUTH_PASSWORD_MAX)
		e = rc_password_verify(a.hash, current ? current : "", len, &ok);
	rc_crypto_wipe(&a, sizeof(a));
	if (e)
		return e;
	if (!ok) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "the current password is not right");
		return RC_ERR_RANGE;
	}
	return rc_proc_password_set(u, login, login, password, 0, keep_session, d);
}

struct account_change {
	enum account_op op;
	const char *actor, *login;
	struct rc_proc_who who;
	char object[LOGIN_MAX + 16], after[160];
};

static enum rc_err do_account(struct rc_store *s, void *ctx, struct rc_audit_entry *row,
			      struct rc_diags *d)
{
	struct account_change *p = ctx;
	struct account a;
	struct rc_stmt *st;
	int r;
	int64_t revoked = 0;
	enum rc_err e;
	if ((e = target_get(s, p->actor, p->login, &a, &p->who, d)))
		goto out;
	enum rc_query q = p->op == OP_DISABLE  ? Q_USER_DISABLE
			  : p->op == OP_ENABLE ? Q_USER_ENABLE
					       : Q_USER_TOTP_RESET;
	if (p->op == OP_DISABLE && a.disabled) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "user '%s' is already disabled", p->login);
		e = RC_ERR_RANGE;
		goto out;
	}
	if (p->op == OP_ENABLE && !a.disabled) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "user '%s' is not disabled", p->login);
		e = RC_ERR_RANGE;
		goto out;
	}
	/* the sessions in the same transaction: the next request is refused */
	if ((e = rc_store_stmt(s, q, &st)) || (e = rc_stmt_bind_int(st, 1, a.id)) ||
	    (e = rc_stmt_step(st, &r)))
		goto out;
	if (p->op == OP_TOTP_RESET && rc_store_changes(s) == 0) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "user '%s' has no authenticator to remove",
			    p->login);
		e = RC_ERR_RANGE;
		goto out;
	}
	if (p->op != OP_ENABLE && (e = sessions_revoke(s, a.id, NULL, &revoked)))
		goto out;
	row->user = p->who.login;
	row->role = p->who.role;
	row->org = p->who.org;
	row->before = account_ops[p->op].before;
	/* each a literal format (checked by the compiler) */
	if (p->op == OP_DISABLE)
		e = rc_proc_canon(p->after, sizeof(p->after), "disabled=1\nsessions_revoked=%lld\n",
				  (long long)revoked);
	else if (p->op == OP_ENABLE)
		e = rc_proc_canon(p->after, sizeof(p->after), "disabled=0\n");
	else
		e = rc_proc_canon(
		    p->after, sizeof(p->after),
		    "no authenticator: enrols at the next log-in\nsessions_revoked=%lld\n",
		    (long long)revoked);
	row->after = p->after;
out:
	rc_crypto_wipe(&a, sizeof(a));
	return e;
}

static enum rc_err account_change(struct rc_unit *u, enum account_op op, const char *actor,
				  const char *login, struct rc_diags *d)
{
	struct account_change p;
	enum rc_err e;
	memset(&p, 0, sizeof(p));
	if ((e = rc_proc_text("the login", login, LOGIN_MAX, d)))
		return e;
	p.op = op;
	p.actor = actor ? actor : "cli";
	p.login = login;
	snprintf(p.object, sizeof(p.object), "user:%s", login);
	struct rc_audit_entry a = {.user = p.actor,
				   .role = "cli",
				   .org = "-",
				   .action = account_ops[op].action,
				   .object = p.object,
				   .before = "",
				   .after = ""};
	return rc_unit_change(u, &a, do_account, &p, d);
}

enum rc_err rc_proc_user_disable(struct rc_unit *u, const char *actor, const char *login,
				 struct rc_diags *d)
{
	return account_change(u, OP_DISABLE, actor, login, d);
}

enum rc_err rc_proc_user_enable(struct rc_unit *u, const char *actor, const char *login,
				struct rc_diags *d)
{
	return account_change(u, OP_ENABLE, actor, login, d);
}

enum rc_err rc_proc_totp_reset(struct rc_unit *u, const char *actor, const char *login,
			       struct rc_diags *d)
{
	return account_change(u, OP_TOTP_RESET, actor, login, d);
}

/* ---- the three administrators, at the first start -------------------------- */

static const char *const admin_logins[3] = {"sysadmin", "secadmin", "auditadmin"};

struct bootstrap {
	char passwords[3][40];
	char hashes[3][RC_PASSWORD_HASH_MAX];
	struct rc_admin_bootstrap *out;
	char root[72], after[512];
};

static enum rc_err root_org(struct rc_store *s, int64_t *id, char *code, size_t cap, int *found)
{
	struct rc_stmt *st;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_ORG_ROOT, &st)) || (e = rc_stmt_step(st, found)))
		return e;
	if (*found) {
		*id = rc_stmt_int(st, 0);
		if (rc_proc_col_copy(st, 1, code, cap))
			return RC_ERR_INTERNAL;
	}
	return rc_proc_stmt_done(st);
}

static enum rc_err role_count(struct rc_store *s, const char *role, int64_t *n)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_USER_ROLE_COUNT, &st)) || (e = rc_stmt_bind_str(st, 1, role)) ||
	    (e = rc_stmt_step(st, &row)))
		return e;
	*n = row ? rc_stmt_int(st, 0) : 0;
	return rc_proc_stmt_done(st);
}

static enum rc_err do_bootstrap(struct rc_store *s, void *ctx, struct rc_audit_entry *row,
				struct rc_diags *d)
{
	struct bootstrap *b = ctx;
	struct rc_stmt *st;
	int64_t root = 0, n;
	int found, r;
	size_t off = 0;
	enum rc_err e;
	memset(b->out, 0, sizeof(*b->out));
	if ((e = root_org(s, &root, b->root, sizeof(b->root), &found)))
		return e;
	if (!found) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "no organisation yet: the administrators' accounts belong to the root "
			    "organisation; add it (`rongcuo org add CODE NAME province`) and start "
			    "again");
		return RC_ERR_NOT_FOUND;
	}
	b->after[0] = '\0';
	for (int i = 0; i < 3; i++) {
		const char *role = rc_admin_roles[i];
		if ((e = role_count(s, role, &n)))
			return e;
		if (n > 0)
			continue;
		if ((e = rc_store_stmt(s, Q_USER_INSERT, &st)) ||
		    (e = rc_stmt_bind_str(st, 1, admin_logins[i])) ||
		    (e = rc_stmt_bind_str(st, 2, role)) || (e = rc_stmt_bind_int(st, 3, root)) ||
		    (e = rc_stmt_bind_str(st, 4, role)))
			return e;
		if ((e = rc_stmt_step(st, &r))) {
			if (e == RC_ERR_CONFLICT)
				rc_diag_add(d, RC_SEV_ERROR, 0, 0,
					    "login '%s' is taken by a user who is not a %s; give "
					    "that user another login, or make the %s with `rongcuo "
					    "user add` and `rongcuo user passwd`",
					    admin_logins[i], role, role);
			return e;
		}
		int64_t id = rc_store_last_id(s);
		if ((e = rc_store_stmt(s, Q_USER_PASSWORD_SET, &st)) ||
		    (e = rc_stmt_bind_str(st, 1, b->hashes[i])) ||
		    (e = rc_stmt_bind_int(st, 2, 1)) || (e = rc_stmt_bind_int(st, 3, id)) ||
		    (e = rc_stmt_step(st, &r)))
			return e;
		struct rc_admin_account *m = &b->out->made[b->out->n++];
		snprintf(m->login, sizeof(m->login), "%s", admin_logins[i]);
		snprintf(m->role, sizeof(m->role), "%s", role);
		memcpy(m->password, b->passwords[i], sizeof(m->password));
		off += (size_t)snprintf(b->after + off, sizeof(b->after) - off,
					"login=%s\nrole=%s\norg=%s\nmust_change_password=1\n",
					admin_logins[i], role, b->root);
		if (off >= sizeof(b->after))
			return RC_ERR_INTERNAL;
	}
	if (b->out->n == 0)
		return RC_ERR_CONFLICT; /* made by another process meanwhile: nothing to do */
	row->org = b->root;
	row->after = b->after;
	return RC_OK;
}

/* A one-time password: 120 random bits as base32 in groups of four,
 * XXXX-XXXX-XXXX-XXXX-XXXX-XXXX (no 0, 1, 8 or 9 to misread). */
static enum rc_err one_time_password(char out[40])
{
	uint8_t raw[ADMIN_PW_BYTES];
	char b32[RC_BASE32_LEN(ADMIN_PW_BYTES) + 1];
	size_t n = 0, o = 0;
	enum rc_err e = rc_random_bytes(raw, sizeof(raw));
	if (!e)
		e = rc_base32_encode(raw, sizeof(raw), b32, sizeof(b32), &n);
	for (size_t i = 0; !e && i < n; i++) {
		if (i && i % 4 == 0)
			out[o++] = '-';
		out[o++] = b32[i];
	}
	out[o] = '\0';
	rc_crypto_wipe(raw, sizeof(raw));
	rc_crypto_wipe(b32, sizeof(b32));
	return e;
}

enum rc_err rc_proc_admins_bootstrap(struct rc_unit *u, struct rc_diags *d,
				     struct rc_admin_bootstrap *out)
{
	struct bootstrap *b = NULL;
	int64_t n, missing = 0, root;
	char code[72];
	int found;
	enum rc_err e;
	struct rc_audit_entry a = {.user = "system",
				   .role = "system",
				   .org = "-",
				   .action = "user.bootstrap",
				   .object = "users:administrators",
				   .before = "",
				   .after = ""};
	memset(out, 0, sizeof(*out));
	/* a look first, outside the write lock: at every start but the first,
	 * there is nothing to do, and no password is hashed for nothing */
	for (int i = 0; i < 3; i++) {
		if ((e = role_count(u->store, rc_admin_roles[i], &n)))
			goto store_error;
		missing += n == 0;
	}
	if (!missing)
		return RC_OK;
	if ((e = root_org(u->store, &root, code, sizeof(code), &found)))
		goto store_error;
	if (!found) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "no organisation yet: the administrators' accounts belong to the root "
			    "organisation; add it (`rongcuo org add CODE NAME province`) and start "
			    "again");
		return RC_ERR_NOT_FOUND;
	}
	if (!(b = calloc(1, sizeof(*b))))
		return RC_ERR_NOMEM;
	b->out = out;
	for (int i = 0; i < 3; i++)
		if ((e = one_time_password(b->passwords[i])) ||
		    (e = rc_password_hash(b->passwords[i], strlen(b->passwords[i]),
					  b->hashes[i]))) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot make a password: %s",
				    rc_strerror(e));
			goto out;
		}
	e = rc_unit_change(u, &a, do_bootstrap, b, d);
	if (e == RC_ERR_CONFLICT && out->n == 0 && d->errors == 0)
		e = RC_OK; /* another process made them first */
out:
	if (e)
		rc_crypto_wipe(out, sizeof(*out));
	rc_crypto_wipe(b, sizeof(*b));
	free(b);
	return e;
store_error:
	rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot read the users: %s", rc_store_errmsg(u->store));
	return e;
}
