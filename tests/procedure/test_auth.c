/*
 * test_auth.c -- unit tests of accounts, log-in and sessions
 * (procedure/auth.c) on a temporary SQLite store.
 *
 * Every test gets a fresh database with two organisations (ZJ, and XX
 * under it) and two users (li, 承办单位; wang, 党委), both at XX, and a
 * random audit key.  Time is what the tests say: every call takes its
 * unix time, and TOTP codes are computed here with rc_hotp from the secret
 * the enrolment handed out, at that time.
 *
 * Each argon2id verification costs 10-50 ms (more under the sanitizers),
 * so the tests log in a few dozen times, not hundreds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "core/diag.h"
#include "core/err.h"
#include "crypto/crypto.h"
#include "procedure/procedure.h"
#include "store/store.h"

#define T0    INT64_C(1718000020) /* 2024-06-10T06:13:40Z, 10 s into a TOTP step */
#define PW_LI "correct horse battery"
#define PW_WA "王五的口令 staple 2024"

static char g_dir[4096];
static int g_files;

struct fx {
	char path[4200];
	struct rc_store *s;
	uint8_t key[RC_AUDIT_KEY_LEN];
	struct rc_unit u;
	struct rc_diags *d;
};

/* ---- helpers --------------------------------------------------------- */

static struct rc_diags *dg(struct fx *f)
{
	rc_diags_init(f->d, "auth");
	return f->d;
}

static void must(enum rc_err e, struct fx *f)
{
	if (e) {
		rc_diags_print(f->d, stderr);
		fail_msg("error %s", rc_strerror(e));
	}
}

static int setup_empty(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->d = malloc(sizeof(*f->d));
	assert_non_null(f->d);
	snprintf(f->path, sizeof(f->path), "%s/auth-%d.sqlite", g_dir, ++g_files);
	must(rc_store_open(f->path, dg(f), &f->s), f);
	int from, to;
	must(rc_store_migrate(f->s, dg(f), &from, &to), f);
	assert_int_equal(rc_random_bytes(f->key, sizeof(f->key)), RC_OK);
	f->u.store = f->s;
	f->u.key = f->key;
	assert_int_equal(rc_unit_init(&f->u), RC_OK);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	setup_empty(state);
	struct fx *f = *state;
	must(rc_proc_org_add(&f->u, "cli", "ZJ", "浙江省", "province", NULL, dg(f), NULL), f);
	must(rc_proc_org_add(&f->u, "cli", "XX", "某县", "county", "ZJ", dg(f), NULL), f);
	must(rc_proc_user_add(&f->u, "cli", "li", "李四", "XX", "承办单位", dg(f)), f);
	must(rc_proc_user_add(&f->u, "cli", "wang", "王五", "XX", "党委", dg(f)), f);
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[4300];
	static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
	rc_store_close(f->s);
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", f->path, ext[i]);
		unlink(p);
	}
	free(f->d);
	free(f);
	return 0;
}

/* The 6-digit code of `sec` at time t. */
static void code_at(const uint8_t sec[RC_TOTP_SECRET_LEN], int64_t t, char out[7])
{
	uint32_t c = 0;
	assert_int_equal(rc_hotp(sec, RC_TOTP_SECRET_LEN, (uint64_t)t / RC_TOTP_PERIOD, 6, &c),
			 RC_OK);
	snprintf(out, 7, "%06u", (unsigned)c);
}

static void set_pw(struct fx *f, const char *login, const char *pw, int must_change)
{
	must(rc_proc_password_set(&f->u, "cli", login, pw, must_change, NULL, dg(f)), f);
}

/* Enrol `login` at time t; its secret to sec, its base32 to b32 (if not
 * NULL). */
static void enrol(struct fx *f, const char *login, const char *pw, int64_t t,
		  uint8_t sec[RC_TOTP_SECRET_LEN], char *b32)
{
	struct rc_totp_enrolment en;
	size_t n = 0;
	char code[7];
	must(rc_proc_totp_enrol_begin(&f->u, login, pw, t, &en, dg(f)), f);
	assert_int_equal(strlen(en.secret), 32);
	assert_int_equal(
	    rc_base32_decode(en.secret, strlen(en.secret), sec, RC_TOTP_SECRET_LEN, &n), RC_OK);
	assert_int_equal(n, RC_TOTP_SECRET_LEN);
	if (b32)
		snprintf(b32, RC_TOTP_SECRET_B32, "%s", en.secret);
	code_at(sec, t, code);
	must(rc_proc_totp_enrol_finish(&f->u, login, code, t, dg(f)), f);
}

/* Log in; the error, with the diagnostics in f->d. */
static enum rc_err login(struct fx *f, const char *user, const char *pw, const char *code,
			 int64_t t, struct rc_login *out)
{
	return rc_proc_login(&f->u, user, pw, code, t, NULL, out, dg(f));
}

/* A log-in that must succeed, with a fresh code of sec at t. */
static void login_ok(struct fx *f, const char *user, const char *pw, const uint8_t *sec, int64_t t,
		     struct rc_login *out)
{
	char code[7];
	code_at(sec, t, code);
	must(login(f, user, pw, code, t, out), f);
	assert_int_equal(strlen(out->session_id), 32);
	for (int i = 0; i < 32; i++)
		assert_non_null(strchr("0123456789abcdef", out->session_id[i]));
}

/* The last call failed with the one answer, and nothing else. */
static void generic_failure(struct fx *f, enum rc_err e)
{
	assert_int_equal(e, RC_ERR_RANGE);
	assert_int_equal(f->d->count, 1);
	assert_string_equal(f->d->items[0].msg, RC_AUTH_FAILED);
}

static enum rc_err check(struct fx *f, const char *id, int64_t t, struct rc_session_user *who)
{
	return rc_proc_session_check(f->s, id, t, who, dg(f));
}

/* One number from the database, by SQL of the test's own (sqlite3
 * directly, as a reader from outside). */
static int64_t sql_int(struct fx *f, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v = -1;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Run SQL of the test's own on the database, with ?1 bound to `text`
 * (when not NULL); a text result into out[cap] (when not NULL). */
static void sql_run(struct fx *f, const char *sql, const char *text, char *out, size_t cap)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (text)
		assert_int_equal(sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT), SQLITE_OK);
	int rc = sqlite3_step(st);
	assert_true(rc == SQLITE_ROW || rc == SQLITE_DONE);
	if (out)
		snprintf(out, cap, "%s",
			 rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* ---- log-in ---------------------------------------------------------- */

static void login_with_totp(void **state)
{
	struct fx *f = *state;
	struct rc_login out;
	struct rc_session_user who;
	uint8_t sec[RC_TOTP_SECRET_LEN];
	set_pw(f, "li", PW_LI, 0);
	/* no authenticator yet: told so, but only after the right password */
	generic_failure(f, login(f, "li", "wrong password!", "", T0, &out));
	assert_int_equal(login(f, "li", PW_LI, "", T0, &out), RC_ERR_NOT_FOUND);
	assert_string_equal(out.session_id, "");
	enrol(f, "li", PW_LI, T0, sec, NULL);
	/* the enrolment's code is spent; the next step's code logs in */
	char code[7];
	code_at(sec, T0, code);
	generic_failure(f, login(f, "li", PW_LI, code, T0 + 1, &out));
	login_ok(f, "li", PW_LI, sec, T0 + 30, &out);
	assert_int_equal(out.must_change_password, 0);
	must(check(f, out.session_id, T0 + 31, &who), f);
	assert_string_equal(who.login, "li");
	assert_string_equal(who.role, "承办单位");
	assert_string_equal(who.org_code, "XX");
	/* the store keeps the SM3 of the id, never the id */
	uint8_t raw[16], h[RC_SM3_LEN];
	size_t n;
	char hex[65], sql[256];
	assert_int_equal(rc_unhex(out.session_id, 32, raw, sizeof(raw), &n), RC_OK);
	assert_int_equal(rc_sm3(raw, sizeof(raw), h), RC_OK);
	rc_hex(h, sizeof(h), hex);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM sessions WHERE id_hash = '%s'", hex);
	assert_int_equal(sql_int(f, sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM sessions WHERE id_hash LIKE '%%%s%%'",
		 out.session_id);
	assert_int_equal(sql_int(f, sql), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM users WHERE login = 'li' AND "
				    "password_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%'"),
			 1);
}

/* An unknown user, a disabled one, one without a password, a wrong
 * password, a wrong code, a locked account: one answer. */
static void failures_identical(void **state)
{
	struct fx *f = *state;
	struct rc_login out;
	uint8_t sec_li[RC_TOTP_SECRET_LEN], sec_wa[RC_TOTP_SECRET_LEN];
	char code[7];
	set_pw(f, "li", PW_LI, 0);
	set_pw(f, "wang", PW_WA, 0);
	enrol(f, "li", PW_LI, T0, sec_li, NULL);
	enrol(f, "wang", PW_WA, T0, sec_wa, NULL);
	must(rc_proc_user_add(&f->u, "cli", "zhao", "赵六", "XX", "纪检", dg(f)), f);
	must(rc_proc_user_disable(&f->u, "cli", "wang", dg(f)), f);
	int64_t t = T0 + 60;
	code_at(sec_li, t, code);
	generic_failure(f, login(f, "li", "not the password", code, t, &out));
	generic_failure(f, login(f, "nobody", PW_LI, code, t, &out));
	generic_failure(f, login(f, "zhao", PW_LI, code, t, &out)); /* no password yet */
	/* a damaged hash: the same answer, and not counted against the user */
	sql_run(f,
		"UPDATE users SET password_hash = '$argon2id$v=19$m=1,t=1,p=1$bad' WHERE "
		"login = 'zhao'",
		NULL, NULL, 0);
	generic_failure(f, login(f, "zhao", PW_LI, code, t, &out));
	assert_int_equal(sql_int(f, "SELECT failed_logins FROM users WHERE login = 'zhao'"), 1);
	generic_failure(f, login(f, "li", PW_LI, "000000", t, &out));
	generic_failure(f, login(f, "li", PW_LI, "12345", t, &out)); /* not 6 digits */
	generic_failure(f, login(f, "li", PW_LI, NULL, t, &out));
	generic_failure(f, login(f, "", "", "", t, &out));
	generic_failure(f, login(f, NULL, NULL, NULL, t, &out));
	/* the disabled user with the right password and the right code */
	code_at(sec_wa, t, code);
	generic_failure(f, login(f, "wang", PW_WA, code, t, &out));
	/* a login no store could hold, and a password longer than any */
	char big[1100];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	generic_failure(f, login(f, big, PW_LI, code, t, &out));
	generic_failure(f, login(f, "li", big, code, t, &out));
	generic_failure(f, login(f, "\xff\xfe", PW_LI, code, t, &out));
	assert_string_equal(out.session_id, "");
	/* li has failed 5 times (wrong password, two wrong codes, no code, the
	 * long password): locked, and still the same answer with everything
	 * right */
	code_at(sec_li, t + 30, code);
	generic_failure(f, login(f, "li", PW_LI, code, t + 30, &out));
	assert_int_equal(sql_int(f, "SELECT count(*) FROM sessions"), 0);
}

/* 5 failures lock for 1 minute; attempts while locked do not count; the
 * next failure after the lock locks for 2 minutes; a success resets. */
static void back_off(void **state)
{
	struct fx *f = *state;
	struct rc_login out;
	uint8_t sec[RC_TOTP_SECRET_LEN];
	set_pw(f, "li", PW_LI, 0);
	enrol(f, "li", PW_LI, T0, sec, NULL);
	int64_t t = T0 + 100;
	for (int i = 0; i < 4; i++)
		generic_failure(f, login(f, "li", "wrong password", "", t + i, &out));
	/* four failures: not locked yet */
	login_ok(f, "li", PW_LI, sec, t + 5, &out);
	t += 60;
	for (int i = 0; i < 5; i++)
		generic_failure(f, login(f, "li", "wrong password", "", t + i, &out));
	assert_int_equal(sql_int(f, "SELECT failed_logins FROM users WHERE login = 'li'"), 5);
	/* locked until t+4+60: the right password and code are refused,
	 * and a wrong attempt meanwhile does not count */
	char code[7];
	code_at(sec, t + 30, code);
	generic_failure(f, login(f, "li", PW_LI, code, t + 30, &out));
	generic_failure(f, login(f, "li", "wrong password", "", t + 31, &out));
	assert_int_equal(sql_int(f, "SELECT failed_logins FROM users WHERE login = 'li'"), 5);
	/* the lock runs out */
	login_ok(f, "li", PW_LI, sec, t + 4 + 60, &out);
	assert_int_equal(sql_int(f, "SELECT failed_logins FROM users WHERE login = 'li'"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM users WHERE login = 'li' AND "
				    "locked_until IS NULL"),
			 1);
	/* 5 more, the lock runs out, one more: locked for 2 minutes */
	t += 200;
	for (int i = 0; i < 5; i++)
		generic_failure(f, login(f, "li", "wrong password", "", t + i, &out));
	t += 4 + 61;
	generic_failure(f, login(f, "li", "wrong password", "", t, &out));
	code_at(sec, t + 90, code);
	generic_failure(f, login(f, "li", PW_LI, code, t + 90, &out));
	login_ok(f, "li", PW_LI, sec, t + 120, &out);
	/* an administrator's new password clears a lock */
	t += 300;
	for (int i = 0; i < 5; i++)
		generic_failure(f, login(f, "li", "wrong password", "", t + i, &out));
	set_pw(f, "li", "another long password", 0);
	login_ok(f, "li", "another long password", sec, t + 30, &out);
}

static void totp_replay(void **state)
{
	struct fx *f = *state;
	struct rc_login out;
	uint8_t sec[RC_TOTP_SECRET_LEN];
	char code[7], prev[7];
	set_pw(f, "li", PW_LI, 0);
	enrol(f, "li", PW_LI, T0, sec, NULL);
	int64_t t = T0 + 300;
	code_at(sec, t, code);
	code_at(sec, t - 30, prev);
	must(login(f, "li", PW_LI, code, t, &out), f);
	/* the same code again, in its own step: refused */
	generic_failure(f, login(f, "li", PW_LI, code, t + 5, &out));
	/* the step before, still inside the drift window: refused too */
	generic_failure(f, login(f, "li", PW_LI, prev, t + 6, &out));
	/* the next step's code */
	login_ok(f, "li", PW_LI, sec, t + 30, &out);
	assert_int_equal(sql_int(f, "SELECT totp_last_step FROM users WHERE login = 'li'"),
			 (t + 30) / 30);
}

static void enrolment(void **state)
{
	struct fx *f = *state;
	struct rc_totp_enrolment en;
	struct rc_login out;
	uint8_t sec[RC_TOTP_SECRET_LEN];
	size_t n;
	char code[7];
	set_pw(f, "li", PW_LI, 0);
	/* the password first, with the one answer when it is wrong */
	generic_failure(f, rc_proc_totp_enrol_begin(&f->u, "li", "wrong password", T0, &en, dg(f)));
	assert_string_equal(en.secret, "");
	generic_failure(f, rc_proc_totp_enrol_begin(&f->u, "nobody", PW_LI, T0, &en, dg(f)));
	must(rc_proc_totp_enrol_begin(&f->u, "li", PW_LI, T0, &en, dg(f)), f);
	char want[128];
	snprintf(want, sizeof(want), "otpauth://totp/rongcuo:li?secret=%s&issuer=rongcuo",
		 en.secret);
	assert_true(strncmp(en.uri, want, strlen(want)) == 0);
	assert_int_equal(rc_base32_decode(en.secret, 32, sec, sizeof(sec), &n), RC_OK);
	/* pending, not yet the secret: a log-in still asks for enrolment */
	assert_int_equal(login(f, "li", PW_LI, "", T0, &out), RC_ERR_NOT_FOUND);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM users WHERE login = 'li' AND "
				    "totp_secret IS NULL AND totp_pending IS NOT NULL"),
			 1);
	/* a wrong code, an unknown user, nobody pending: one answer */
	code_at(sec, T0, code);
	generic_failure(f, rc_proc_totp_enrol_finish(&f->u, "li", "000000", T0, dg(f)));
	generic_failure(f, rc_proc_totp_enrol_finish(&f->u, "nobody", code, T0, dg(f)));
	generic_failure(f, rc_proc_totp_enrol_finish(&f->u, "wang", code, T0, dg(f)));
	/* a code of another step than now's +-1 */
	char late[7];
	code_at(sec, T0 + 600, late);
	generic_failure(f, rc_proc_totp_enrol_finish(&f->u, "li", late, T0, dg(f)));
	must(rc_proc_totp_enrol_finish(&f->u, "li", code, T0, dg(f)), f);
	/* the code is spent, the secret is sealed: not stored as given */
	generic_failure(f, rc_proc_totp_enrol_finish(&f->u, "li", code, T0, dg(f)));
	char sql[256], hex[41];
	rc_hex(sec, sizeof(sec), hex);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM users WHERE login = 'li' AND totp_pending IS NULL AND "
		 "length(totp_secret) = 144 AND totp_secret NOT LIKE '%%%s%%' AND totp_secret NOT "
		 "LIKE '%%%s%%'",
		 hex, en.secret);
	assert_int_equal(sql_int(f, sql), 1);
	/* a second enrolment is refused after the password (an administrator
	 * resets it), and not before */
	generic_failure(f, rc_proc_totp_enrol_begin(&f->u, "li", "wrong password", T0, &en, dg(f)));
	assert_int_equal(rc_proc_totp_enrol_begin(&f->u, "li", PW_LI, T0, &en, dg(f)),
			 RC_ERR_CONFLICT);
	assert_string_equal(en.secret, "");
	login_ok(f, "li", PW_LI, sec, T0 + 30, &out);
	/* a sealed secret that does not open (damaged, or sealed under
	 * another audit key): a server fault, said only after the right
	 * password */
	char box[256], c2[7];
	sql_run(f, "SELECT totp_secret FROM users WHERE login = 'li'", NULL, box, sizeof(box));
	sql_run(f,
		"UPDATE users SET totp_secret = substr(totp_secret, 1, 99) || CASE "
		"substr(totp_secret, 100, 1) WHEN '0' THEN '1' ELSE '0' END || "
		"substr(totp_secret, 101) WHERE login = 'li'",
		NULL, NULL, 0);
	code_at(sec, T0 + 60, c2);
	generic_failure(f, login(f, "li", "wrong password", c2, T0 + 60, &out));
	assert_int_equal(login(f, "li", PW_LI, c2, T0 + 60, &out), RC_ERR_INTERNAL);
	sql_run(f, "UPDATE users SET totp_secret = ?1 WHERE login = 'li'", box, NULL, 0);
	login_ok(f, "li", PW_LI, sec, T0 + 60, &out);
}

/* ---- sessions -------------------------------------------------------- */

static void session_expiry(void **state)
{
	struct fx *f = *state;
	struct rc_login a, b;
	struct rc_session_user who;
	uint8_t sec[RC_TOTP_SECRET_LEN];
	set_pw(f, "li", PW_LI, 0);
	enrol(f, "li", PW_LI, T0, sec, NULL);
	int64_t t = T0 + 30;
	login_ok(f, "li", PW_LI, sec, t, &a);
	/* idle: used every 29 minutes, it lives; 30 minutes unused, it dies */
	must(check(f, a.session_id, t + 29 * 60, &who), f);
	must(check(f, a.session_id, t + 58 * 60, &who), f);
	assert_int_equal(check(f, a.session_id, t + 88 * 60, &who), RC_ERR_NOT_FOUND);
	assert_string_equal(who.login, "");
	/* absolute: used every 20 minutes, it dies at 12 hours all the same */
	t += 3600;
	login_ok(f, "li", PW_LI, sec, t, &b);
	int64_t u = t;
	for (; u + 20 * 60 <= t + RC_SESSION_ABSOLUTE; u += 20 * 60)
		must(check(f, b.session_id, u, &who), f);
	must(check(f, b.session_id, t + RC_SESSION_ABSOLUTE - 1, &who), f);
	assert_int_equal(check(f, b.session_id, t + RC_SESSION_ABSOLUTE, &who), RC_ERR_NOT_FOUND);
	assert_string_equal(f->d->items[0].msg,
			    "会话无效或已过期,请重新登录 (no valid session: log in again)");
	/* limits of the caller's own */
	struct rc_session_limits lim = {60, 300};
	char code[7];
	int64_t v = t + RC_SESSION_ABSOLUTE + 30;
	code_at(sec, v, code);
	must(rc_proc_login(&f->u, "li", PW_LI, code, v, &lim, &a, dg(f)), f);
	must(check(f, a.session_id, v + 59, &who), f);
	assert_int_equal(check(f, a.session_id, v + 59 + 60, &who), RC_ERR_NOT_FOUND);
	struct rc_session_limits bad = {0, 300};
	assert_int_equal(rc_proc_login(&f->u, "li", PW_LI, code, v, &bad, &a, dg(f)), RC_ERR_RANGE);
	/* what is not a session id */
	assert_int_equal(check(f, "", v, &who), RC_ERR_NOT_FOUND);
	assert_int_equal(check(f, NULL, v, &who), RC_ERR_NOT_FOUND);
	assert_int_equal(check(f, "0123456789abcdef0123456789abcdeg", v, &who), RC_ERR_NOT_FOUND);
	assert_int_equal(check(f, "0123456789abcdef0123456789abcdef", v, &who), RC_ERR_NOT_FOUND);
	/* the dead sessions of a user go when a new one comes */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM sessions"), 1);
}

static void logout(void **state)
{
	struct fx *f = *state;
	struct rc_login a, b;
	struct rc_session_user who;
	uint8_t sec[RC_TOTP_SECRET_LEN];
	set_pw(f, "li", PW_LI, 0);
	enrol(f, "li", PW_LI, T0, sec, NULL);
	login_ok(f, "li", PW_LI, sec, T0 + 30, &a);
	login_ok(f, "li", PW_LI, sec, T0 + 60, &b);
	must(rc_proc_logout(&f->u, a.session_id, dg(f)), f);
	assert_int_equal(check(f, a.session_id, T0 + 61, &who), RC_ERR_NOT_FOUND);
	must(check(f, b.session_id, T0 + 61, &who), f);
	assert_int_equal(rc_proc_logout(&f->u, a.session_id, dg(f)), RC_ERR_NOT_FOUND);
	assert_int_equal(rc_proc_logout(&f->u, "nonsense", dg(f)), RC_ERR_NOT_FOUND);
}

static void disable_revokes(void **state)
{
	struct fx *f = *state;
	struct rc_login a, b, w;
	struct rc_session_user who;
	uint8_t sec[RC_TOTP_SECRET_LEN], sec_wa[RC_TOTP_SECRET_LEN];
	set_pw(f, "li", PW_LI, 0);
	set_pw(f, "wang", PW_WA, 0);
	enrol(f, "li", PW_LI, T0, sec, NULL);
	enrol(f, "wang", PW_WA, T0, sec_wa, NULL);
	login_ok(f, "li", PW_LI, sec, T0 + 30, &a);
	login_ok(f, "li", PW_LI, sec, T0 + 60, &b);
	login_ok(f, "wang", PW_WA, sec_wa, T0 + 60, &w);
	must(rc_proc_user_disable(&f->u, "wang", "li", dg(f)), f);
	/* the very next request */
	assert_int_equal(check(f, a.session_id, T0 + 61, &who), RC_ERR_NOT_FOUND);
	assert_int_equal(check(f, b.session_id, T0 + 61, &who), RC_ERR_NOT_FOUND);
	must(check(f, w.session_id, T0 + 61, &who), f);
	assert_int_equal(rc_proc_user_disable(&f->u, "cli", "li", dg(f)), RC_ERR_RANGE);
	assert_int_equal(rc_proc_user_disable(&f->u, "cli", "nobody", dg(f)), RC_ERR_NAME);
	char code[7];
	code_at(sec, T0 + 90, code);
	generic_failure(f, login(f, "li", PW_LI, code, T0 + 90, &a));
	/* the audit row names who disabled */
	assert_int_equal(sql_int(f,
				 "SELECT count(*) FROM audit WHERE action = 'user.disable' AND "
				 "\"user\" = 'wang' AND role = '党委' AND org = 'XX' AND object = "
				 "'user:li'"),
			 1);
}

/* Enabled again: the user logs in with what they had.  An authenticator
 * removed: every session ends, the old codes are refused, and the next
 * log-in with the right password asks for a new enrolment. */
static void enable_and_totp_reset(void **state)
{
	struct fx *f = *state;
	struct rc_login a, b;
	struct rc_session_user who;
	uint8_t sec[RC_TOTP_SECRET_LEN], sec2[RC_TOTP_SECRET_LEN];
	char code[7];
	set_pw(f, "li", PW_LI, 0);
	enrol(f, "li", PW_LI, T0, sec, NULL);
	assert_int_equal(rc_proc_user_enable(&f->u, "cli", "li", dg(f)), RC_ERR_RANGE);
	must(rc_proc_user_disable(&f->u, "cli", "li", dg(f)), f);
	must(rc_proc_user_enable(&f->u, "cli", "li", dg(f)), f);
	login_ok(f, "li", PW_LI, sec, T0 + 30, &a);
	must(rc_proc_totp_reset(&f->u, "cli", "li", dg(f)), f);
	assert_int_equal(check(f, a.session_id, T0 + 31, &who), RC_ERR_NOT_FOUND);
	/* the old authenticator's code opens nothing: the right password
	 * asks for a new enrolment, with no session */
	code_at(sec, T0 + 60, code);
	memset(&b, 0, sizeof(b));
	assert_int_equal(login(f, "li", PW_LI, code, T0 + 60, &b), RC_ERR_NOT_FOUND);
	assert_string_equal(b.session_id, "");
	/* a wrong password: the one answer of every failure */
	generic_failure(f, login(f, "li", "wrong password 123", code, T0 + 90, &b));
	enrol(f, "li", PW_LI, T0 + 120, sec2, NULL);
	login_ok(f, "li", PW_LI, sec2, T0 + 150, &b);
	/* nothing to remove twice; no one to remove it from */
	must(rc_proc_totp_reset(&f->u, "cli", "li", dg(f)), f);
	assert_int_equal(rc_proc_totp_reset(&f->u, "cli", "li", dg(f)), RC_ERR_RANGE);
	assert_int_equal(rc_proc_totp_reset(&f->u, "cli", "nobody", dg(f)), RC_ERR_NAME);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit WHERE action = 'user.totp.reset'"),
			 2);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit WHERE action = 'user.enable'"), 1);
}

static void password_change(void **state)
{
	struct fx *f = *state;
	struct rc_login a, b, c;
	struct rc_session_user who;
	uint8_t sec[RC_TOTP_SECRET_LEN];
	/* 12 to 1024 bytes */
	assert_int_equal(rc_proc_password_set(&f->u, "cli", "li", "elevenbytes", 0, NULL, dg(f)),
			 RC_ERR_RANGE);
	char big[RC_AUTH_PASSWORD_MAX + 2];
	memset(big, 'p', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(rc_proc_password_set(&f->u, "cli", "li", big, 0, NULL, dg(f)),
			 RC_ERR_RANGE);
	big[RC_AUTH_PASSWORD_MAX] = '\0';
	must(rc_proc_password_set(&f->u, "cli", "li", big, 0, NULL, dg(f)), f);
	assert_int_equal(rc_proc_password_set(&f->u, "cli", "nobody", PW_LI, 0, NULL, dg(f)),
			 RC_ERR_NAME);
	set_pw(f, "li", "twelve bytes", 0);
	set_pw(f, "li", PW_LI, 0);
	enrol(f, "li", PW_LI, T0, sec, NULL);
	login_ok(f, "li", PW_LI, sec, T0 + 30, &a);
	login_ok(f, "li", PW_LI, sec, T0 + 60, &b);
	login_ok(f, "li", PW_LI, sec, T0 + 90, &c);
	/* changed from session a: the others go */
	must(rc_proc_password_set(&f->u, "li", "li", "the new password", 0, a.session_id, dg(f)),
	     f);
	must(check(f, a.session_id, T0 + 91, &who), f);
	assert_int_equal(check(f, b.session_id, T0 + 91, &who), RC_ERR_NOT_FOUND);
	assert_int_equal(check(f, c.session_id, T0 + 91, &who), RC_ERR_NOT_FOUND);
	/* the old password no longer, the new one yes */
	char code[7];
	code_at(sec, T0 + 120, code);
	generic_failure(f, login(f, "li", PW_LI, code, T0 + 120, &b));
	login_ok(f, "li", "the new password", sec, T0 + 120, &b);
	/* set by an administrator, to be changed: every session goes */
	must(rc_proc_password_set(&f->u, "cli", "li", "one-time password", 1, NULL, dg(f)), f);
	assert_int_equal(check(f, a.session_id, T0 + 121, &who), RC_ERR_NOT_FOUND);
	assert_int_equal(check(f, b.session_id, T0 + 121, &who), RC_ERR_NOT_FOUND);
	login_ok(f, "li", "one-time password", sec, T0 + 150, &a);
	assert_int_equal(a.must_change_password, 1);
	must(check(f, a.session_id, T0 + 151, &who), f);
	assert_int_equal(who.must_change_password, 1);
}

/* ---- the administrators ---------------------------------------------- */

static void bootstrap(void **state)
{
	struct fx *f = *state;
	struct rc_admin_bootstrap out;
	/* no organisation yet: nothing made, nothing written */
	assert_int_equal(rc_proc_admins_bootstrap(&f->u, dg(f), &out), RC_ERR_NOT_FOUND);
	assert_int_equal(out.n, 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit"), 0);
	must(rc_proc_org_add(&f->u, "cli", "ZJ", "浙江省", "province", NULL, dg(f), NULL), f);
	must(rc_proc_org_add(&f->u, "cli", "HZ", "杭州市", "city", "ZJ", dg(f), NULL), f);
	must(rc_proc_admins_bootstrap(&f->u, dg(f), &out), f);
	assert_int_equal(out.n, 3);
	static const char *const logins[3] = {"sysadmin", "secadmin", "auditadmin"};
	for (int i = 0; i < 3; i++) {
		assert_string_equal(out.made[i].login, logins[i]);
		assert_string_equal(out.made[i].role, rc_admin_roles[i]);
		assert_int_equal(strlen(out.made[i].password), 29);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(out.made[i].password, out.made[j].password);
	}
	assert_int_equal(sql_int(f, "SELECT count(*) FROM users u JOIN orgs o ON o.id = u.org_id "
				    "WHERE o.code = 'ZJ' AND u.must_change_password = 1 AND "
				    "u.password_hash IS NOT NULL"),
			 3);
	/* once */
	struct rc_admin_bootstrap again;
	must(rc_proc_admins_bootstrap(&f->u, dg(f), &again), f);
	assert_int_equal(again.n, 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM users"), 3);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit WHERE action = 'user.bootstrap'"),
			 1);
	/* the one-time password logs in (then: enrol, and a new password) */
	struct rc_login lo;
	uint8_t sec[RC_TOTP_SECRET_LEN];
	assert_int_equal(login(f, "secadmin", out.made[1].password, "", T0, &lo), RC_ERR_NOT_FOUND);
	enrol(f, "secadmin", out.made[1].password, T0, sec, NULL);
	login_ok(f, "secadmin", out.made[1].password, sec, T0 + 30, &lo);
	assert_int_equal(lo.must_change_password, 1);
	/* no password in the audit trail */
	char sql[256];
	for (int i = 0; i < 3; i++) {
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM audit WHERE (\"user\" || role || org || action || "
			 "object || before || after) LIKE '%%%s%%'",
			 out.made[i].password);
		assert_int_equal(sql_int(f, sql), 0);
	}
}

/* One role missing: one account made. */
static void bootstrap_partial(void **state)
{
	struct fx *f = *state;
	struct rc_admin_bootstrap out;
	must(rc_proc_user_add(&f->u, "cli", "sec", "安全员", "ZJ", "安全管理员", dg(f)), f);
	must(rc_proc_user_add(&f->u, "cli", "aud", "审计员", "ZJ", "审计管理员", dg(f)), f);
	must(rc_proc_admins_bootstrap(&f->u, dg(f), &out), f);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.made[0].login, "sysadmin");
	/* a login taken by another user: refused, nothing made */
	teardown(state);
	setup(state);
	f = *state;
	must(rc_proc_user_add(&f->u, "cli", "secadmin", "某人", "XX", "承办单位", dg(f)), f);
	assert_int_equal(rc_proc_admins_bootstrap(&f->u, dg(f), &out), RC_ERR_CONFLICT);
	assert_int_equal(out.n, 0);
	assert_string_equal(out.made[0].password, "");
	assert_int_equal(sql_int(f, "SELECT count(*) FROM users WHERE role = '系统管理员'"), 0);
}

/* ---- the audit trail ------------------------------------------------- */

struct scan {
	const char *secrets[16];
	int n_secrets;
	const char *codes[8]; /* 6 digits: looked for outside the hex columns */
	int n_codes;
	int rows, failed_unknown;
	char actions[1024];
};

static enum rc_err scan_row(void *ctx, const struct rc_audit_row *r)
{
	struct scan *sc = ctx;
	const char *fields[] = {r->at,         r->user,     r->role,   r->org,
				r->action,     r->object,   r->before, r->after,
				r->request_id, r->prev_mac, r->mac};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		for (int s = 0; s < sc->n_secrets; s++)
			if (strstr(fields[i], sc->secrets[s]))
				fail_msg("audit row %lld holds a secret: %s", (long long)r->seq,
					 fields[i]);
	for (size_t i = 1; i <= 5; i++)
		for (int s = 0; s < sc->n_codes; s++)
			if (strstr(fields[i], sc->codes[s]))
				fail_msg("audit row %lld holds a code: %s", (long long)r->seq,
					 fields[i]);
	if (strcmp(r->action, "auth.login.failed") == 0 &&
	    strncmp(r->user, "evil?name?", 10) == 0) {
		assert_true(strlen(r->user) <= 64);
		assert_string_equal(r->role, "-");
		sc->failed_unknown++;
	}
	size_t len = strlen(sc->actions);
	if (!strstr(sc->actions, r->action))
		snprintf(sc->actions + len, sizeof(sc->actions) - len, "%s ", r->action);
	sc->rows++;
	return RC_OK;
}

static void audit_clean(void **state)
{
	struct fx *f = *state;
	struct rc_login a, out;
	uint8_t sec[RC_TOTP_SECRET_LEN];
	char b32[40], hex[41], c1[7], c2[7], c3[7];
	set_pw(f, "li", PW_LI, 1);
	enrol(f, "li", PW_LI, T0, sec, b32);
	rc_hex(sec, sizeof(sec), hex);
	code_at(sec, T0, c1);
	code_at(sec, T0 + 30, c2);
	code_at(sec, T0 + 60, c3);
	generic_failure(f, login(f, "li", "a wrong password", c2, T0 + 30, &out));
	generic_failure(f, login(f,
				 "evil\tname\n\x01"
				 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
				 PW_LI, c2, T0 + 30, &out));
	must(login(f, "li", PW_LI, c2, T0 + 30, &a), f);
	must(rc_proc_password_set(&f->u, "li", "li", "li's own new password", 0, a.session_id,
				  dg(f)),
	     f);
	must(login(f, "li", "li's own new password", c3, T0 + 60, &out), f);
	must(rc_proc_logout(&f->u, a.session_id, dg(f)), f);
	must(rc_proc_user_disable(&f->u, "cli", "li", dg(f)), f);

	struct rc_diags *d = dg(f);
	int64_t rows = 0, bad = 0;
	assert_int_equal(rc_audit_verify(f->s, f->key, NULL, d, &rows, &bad), RC_OK);
	struct scan sc = {.secrets = {PW_LI, "li's own new password", "a wrong password", b32, hex,
				      a.session_id, out.session_id},
			  .n_secrets = 7,
			  .codes = {c1, c2, c3},
			  .n_codes = 3};
	/* the stored hashes and the sealed secret are not there either */
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	static char stored[4][256];
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "SELECT password_hash, totp_secret FROM users WHERE "
			       "login = 'li' UNION ALL SELECT id_hash, '' FROM sessions",
			       -1, &st, NULL),
	    SQLITE_OK);
	for (int i = 0; i < 2 && sqlite3_step(st) == SQLITE_ROW; i++) {
		snprintf(stored[2 * i], 256, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(stored[2 * i + 1], 256, "%s", (const char *)sqlite3_column_text(st, 1));
		for (int k = 0; k < 2; k++)
			if (stored[2 * i + k][0])
				sc.secrets[sc.n_secrets++] = stored[2 * i + k];
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(rc_audit_each(f->s, scan_row, &sc), RC_OK);
	assert_int_equal(sc.rows, rows);
	assert_int_equal(sc.failed_unknown, 1);
	static const char *const want[] = {
	    "user.password", "user.totp.begin", "user.totp.enrol", "auth.login.failed",
	    "auth.login",    "auth.logout",     "user.disable"};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(sc.actions, want[i]))
			fail_msg("no audit row %s among: %s", want[i], sc.actions);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(g_dir, sizeof(g_dir), "%s/rc-auth.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(g_dir)) {
		perror("test_auth: mkdtemp");
		return 1;
	}
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(login_with_totp, setup, teardown),
	    cmocka_unit_test_setup_teardown(failures_identical, setup, teardown),
	    cmocka_unit_test_setup_teardown(back_off, setup, teardown),
	    cmocka_unit_test_setup_teardown(totp_replay, setup, teardown),
	    cmocka_unit_test_setup_teardown(enrolment, setup, teardown),
	    cmocka_unit_test_setup_teardown(session_expiry, setup, teardown),
	    cmocka_unit_test_setup_teardown(logout, setup, teardown),
	    cmocka_unit_test_setup_teardown(disable_revokes, setup, teardown),
	    cmocka_unit_test_setup_teardown(password_change, setup, teardown),
	    cmocka_unit_test_setup_teardown(enable_and_totp_reset, setup, teardown),
	    cmocka_unit_test_setup_teardown(bootstrap, setup_empty, teardown),
	    cmocka_unit_test_setup_teardown(bootstrap_partial, setup, teardown),
	    cmocka_unit_test_setup_teardown(audit_clean, setup, teardown),
	};
	const char *filter = getenv("RC_TEST_FILTER");
	if (filter && *filter)
		cmocka_set_test_filter(filter);
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(g_dir);
	return rc;
}
