/*
 * test_pg.c -- the PostgreSQL backend (store/postgres.c) against a real
 * server: the throwaway cluster of scripts/pg.sh, whose directory is in
 * $RC_PG_DIR (scripts/test-pg.sh starts it and runs this).  Every test
 * works in a database of its own, created here.
 *
 *   - every named query prepares on a migrated database, and the schema has
 *     the same tables and columns as SQLite's after the same migrations;
 *   - the audit table refuses UPDATE, DELETE and TRUNCATE to whoever
 *     connects (the trigger), and db check notices the trigger gone;
 *   - transactions: one writer at a time across connections (the advisory
 *     lock), a constraint violation is RC_ERR_CONFLICT, a transaction with a
 *     failed statement is refused at commit, last_id and changes;
 *   - two processes' worth of writers appending to one audit chain keep it
 *     linear;
 *   - accounts and sessions (procedure/auth.c) on this backend: log-in with
 *     TOTP, the lock, the session's touch and expiry, revocation by a
 *     password change, logout and disable, the administrators' bootstrap
 *     (tests/procedure/test_auth.c tests them in depth on SQLite);
 *   - the categories recorded with each recommendation, the case list's
 *     filter on them, and migration 13 filling them from result_json
 *     (tests/procedure/test_categories.c tests them in depth on SQLite).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/diag.h"
#include "core/err.h"
#include "crypto/crypto.h"
#include "policy/policy.h"
#include "procedure/procedure.h"
#include "store/store.h"

static const char *g_dir; /* the cluster's socket directory */
static char g_tmp[4096];  /* for the SQLite side of the schema comparison */
static int g_dbs;

/* ---- helpers --------------------------------------------------------- */

static struct rc_diags *new_diags(void)
{
	struct rc_diags *d = malloc(sizeof(*d));
	assert_non_null(d);
	rc_diags_init(d, "pg");
	return d;
}

static int diags_have(const struct rc_diags *d, const char *text)
{
	for (int i = 0; i < d->count; i++)
		if (strstr(d->items[i].msg, text))
			return 1;
	return 0;
}

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* "database ... does not exist, skipping" */
}

/* A raw libpq connection to database `db`. */
static PGconn *raw(const char *db)
{
	char conninfo[4400];
	snprintf(conninfo, sizeof(conninfo), "host=%s user=rongcuo dbname=%s", g_dir, db);
	PGconn *c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("cannot connect to %s: %s", db, PQerrorMessage(c));
	PQsetNoticeProcessor(c, quiet, NULL);
	return c;
}

/* Run SQL on a raw connection; the result status, the SQLSTATE to *state
 * (when not NULL) and the first value of the first row to *val. */
static ExecStatusType raw_exec(PGconn *c, const char *sql, char *state, char *val, size_t vlen)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType t = PQresultStatus(r);
	if (state) {
		const char *s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		snprintf(state, 6, "%s", s ? s : "");
	}
	if (val)
		snprintf(val, vlen, "%s",
			 t == PGRES_TUPLES_OK && PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return t;
}

/* A fresh database; its URL to url. */
static void fresh_db(char *url, size_t len)
{
	char name[64], sql[160];
	snprintf(name, sizeof(name), "tpg_%d_%d", (int)getpid(), ++g_dbs);
	PGconn *c = raw("postgres");
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", name);
	raw_exec(c, sql, NULL, NULL, 0);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	assert_int_equal(raw_exec(c, sql, NULL, NULL, 0), PGRES_COMMAND_OK);
	PQfinish(c);
	snprintf(url, len, "postgresql:///%s?host=%s&user=rongcuo", name, g_dir);
}

static const char *db_name(const char *url)
{
	static char name[64];
	const char *p = strstr(url, ":///");
	assert_non_null(p);
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(p + 4, "?"), p + 4);
	return name;
}

static struct rc_store *open_url(const char *url)
{
	struct rc_diags *d = new_diags();
	struct rc_store *s = NULL;
	enum rc_err e = rc_store_open(url, d, &s);
	if (e)
		rc_diags_print(d, stderr);
	assert_int_equal(e, RC_OK);
	free(d);
	return s;
}

static struct rc_store *open_migrated(const char *url)
{
	struct rc_store *s = open_url(url);
	struct rc_diags *d = new_diags();
	int from, to;
	enum rc_err e = rc_store_migrate(s, d, &from, &to);
	if (e)
		rc_diags_print(d, stderr);
	assert_int_equal(e, RC_OK);
	assert_int_equal(from, 0);
	assert_int_equal(to, rc_store_schema_latest(s));
	free(d);
	return s;
}

static void audit_one(struct rc_store *s, const uint8_t *key, const char *object)
{
	int64_t seq;
	char mac[RC_AUDIT_MAC_HEX];
	struct rc_audit_entry a = {.user = "u",
				   .role = "r",
				   .org = "o",
				   .action = "t",
				   .object = object,
				   .before = "",
				   .after = object,
				   .request_id = "rid"};
	assert_int_equal(rc_audit_append(s, key, &a, NULL, &seq, mac), RC_OK);
}

/* For worker threads, which must not assert (a cmocka failure jumps back
 * into the test's own thread): open a store, or append one row in a
 * transaction of its own; the first error, which the test asserts on. */
static enum rc_err thread_open(const char *url, struct rc_store **s)
{
	struct rc_diags *d = new_diags();
	enum rc_err e = rc_store_open(url, d, s);
	free(d);
	return e;
}

static enum rc_err thread_append(struct rc_store *s, const uint8_t *key, const char *object)
{
	int64_t seq;
	char mac[RC_AUDIT_MAC_HEX];
	struct rc_audit_entry a = {.user = "u",
				   .role = "r",
				   .org = "o",
				   .action = "t",
				   .object = object,
				   .before = "",
				   .after = object,
				   .request_id = "rid"};
	enum rc_err e = rc_audit_append(s, key, &a, NULL, &seq, mac);
	return e ? e : rc_store_commit(s);
}

/* ---- the schema ---------------------------------------------------------- */

/* Every named query prepares against the migrated schema: the portable SQL
 * of queries.c is valid PostgreSQL. */
static void queries_prepare(void **state)
{
	(void)state;
	char url[4400];
	fresh_db(url, sizeof(url));
	struct rc_store *s = open_migrated(url);
	assert_string_equal(rc_store_backend(s), "postgresql");
	for (int q = 0; q < Q__COUNT; q++) {
		struct rc_stmt *st = NULL;
		enum rc_err e = rc_store_stmt(s, (enum rc_query)q, &st);
		if (e)
			fail_msg("query %d does not prepare: %s", q, rc_store_errmsg(s));
	}
	struct rc_diags *d = new_diags();
	assert_int_equal(rc_store_check(s, d), RC_OK);
	assert_int_equal(d->count, 0);
	free(d);
	rc_store_close(s);
}

/* Append "table.column\n" for each column of the SQLite database, in
 * sorted order, to out. */
static void sqlite_columns(const char *path, char *out, size_t len)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT m.name || '.' || p.name FROM sqlite_master m, "
					    "pragma_table_info(m.name) p WHERE m.type = 'table' "
					    "ORDER BY 1",
					    -1, &st, NULL),
			 SQLITE_OK);
	size_t off = 0;
	out[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW)
		off += (size_t)snprintf(out + off, len - off, "%s\n", sqlite3_column_text(st, 0));
	assert_true(off < len);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The two backends' migrations are kept in step: the same latest version,
 * and the same tables with the same columns. */
static void schema_in_step(void **state)
{
	(void)state;
	char url[4400], path[4200];
	static char lite[65536], pg[65536];
	fresh_db(url, sizeof(url));
	struct rc_store *s = open_migrated(url);
	snprintf(path, sizeof(path), "%s/schema.sqlite", g_tmp);
	unlink(path);
	struct rc_store *l = open_migrated(path);
	assert_int_equal(rc_store_schema_latest(s), rc_store_schema_latest(l));
	rc_store_close(l);
	sqlite_columns(path, lite, sizeof(lite));

	PGconn *c = raw(db_name(url));
	PGresult *r = PQexec(c, "SELECT table_name || '.' || column_name FROM "
				"information_schema.columns WHERE table_schema = current_schema() "
				"ORDER BY (table_name || '.' || column_name) COLLATE \"C\"");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	size_t off = 0;
	for (int i = 0; i < PQntuples(r); i++)
		off += (size_t)snprintf(pg + off, sizeof(pg) - off, "%s\n", PQgetvalue(r, i, 0));
	PQclear(r);
	PQfinish(c);
	assert_true(strlen(lite) > 100);
	assert_string_equal(pg, lite);
	rc_store_close(s);
	unlink(path);
}

/* ---- the audit table is append-only ---------------------------------------- */

static void audit_append_only(void **state)
{
	(void)state;
	char url[4400], st[6], val[128];
	uint8_t key[RC_AUDIT_KEY_LEN] = {1, 2, 3};
	fresh_db(url, sizeof(url));
	struct rc_store *s = open_migrated(url);
	assert_int_equal(rc_store_begin(s), RC_OK);
	audit_one(s, key, "obj:1");
	audit_one(s, key, "obj:2");
	assert_int_equal(rc_store_commit(s), RC_OK);

	/* the application's own connection role (the cluster's superuser
	 * here) cannot change or remove a row through the triggers.  A
	 * superuser could still switch triggers off (session_replication_role,
	 * ALTER TABLE): a deployment connects as a role that owns nothing and
	 * holds INSERT and SELECT on audit only (docs/modules/store.md); the
	 * chain's MACs catch whatever gets past both. */
	PGconn *c = raw(db_name(url));
	static const char *const refused[] = {
	    "UPDATE audit SET object = 'obj:forged' WHERE seq = 1",
	    "DELETE FROM audit WHERE seq = 2",
	    "TRUNCATE audit",
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		assert_int_equal(raw_exec(c, refused[i], st, NULL, 0), PGRES_FATAL_ERROR);
		assert_string_equal(st, "42501");
	}
	raw_exec(c, "SELECT count(*) || ' ' || min(object) FROM audit", NULL, val, sizeof(val));
	assert_string_equal(val, "2 obj:1");
	/* appending still works, and the chain verifies */
	assert_int_equal(rc_store_begin(s), RC_OK);
	audit_one(s, key, "obj:3");
	assert_int_equal(rc_store_commit(s), RC_OK);
	struct rc_diags *d = new_diags();
	int64_t rows = 0, bad = -1;
	assert_int_equal(rc_audit_verify(s, key, NULL, d, &rows, &bad), RC_OK);
	assert_int_equal(rows, 3);

	/* db check notices a trigger that no longer fires: set to fire only
	 * for replication (ENABLE REPLICA), then gone */
	assert_int_equal(raw_exec(c, "ALTER TABLE audit ENABLE REPLICA TRIGGER audit_no_truncate",
				  NULL, NULL, 0),
			 PGRES_COMMAND_OK);
	assert_int_equal(rc_store_check(s, d), RC_ERR_INTERNAL);
	assert_true(diags_have(d, "trigger audit_no_truncate"));
	assert_int_equal(
	    raw_exec(c, "ALTER TABLE audit ENABLE TRIGGER audit_no_truncate", NULL, NULL, 0),
	    PGRES_COMMAND_OK);
	rc_diags_init(d, "pg");
	assert_int_equal(rc_store_check(s, d), RC_OK);
	assert_int_equal(raw_exec(c, "DROP TRIGGER audit_append_only ON audit", NULL, NULL, 0),
			 PGRES_COMMAND_OK);
	assert_int_equal(rc_store_check(s, d), RC_ERR_INTERNAL);
	assert_true(diags_have(d, "trigger audit_append_only"));
	assert_false(diags_have(d, "trigger audit_no_truncate"));
	PQfinish(c);
	free(d);
	rc_store_close(s);
}

/* ---- transactions ---------------------------------------------------------- */

static void conflicts_and_ids(void **state)
{
	(void)state;
	char url[4400];
	struct rc_stmt *st;
	int row;
	fresh_db(url, sizeof(url));
	struct rc_store *s = open_migrated(url);

	assert_int_equal(rc_store_begin(s), RC_OK);
	assert_int_equal(rc_store_stmt(s, Q_ORG_INSERT, &st), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 1, "ZJ"), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 2, "浙江省"), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 3, "province"), RC_OK);
	assert_int_equal(rc_stmt_bind_null(st, 4), RC_OK);
	assert_int_equal(rc_stmt_step(st, &row), RC_OK);
	assert_int_equal(row, 0);
	int64_t zj = rc_store_last_id(s);
	assert_true(zj > 0);
	assert_int_equal(rc_store_stmt(s, Q_ORG_INSERT, &st), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 1, "HZ"), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 2, "杭州市"), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 3, "city"), RC_OK);
	assert_int_equal(rc_stmt_bind_int(st, 4, zj), RC_OK);
	assert_int_equal(rc_stmt_step(st, &row), RC_OK);
	assert_int_equal(rc_store_last_id(s), zj + 1);
	assert_int_equal(rc_store_commit(s), RC_OK);

	/* read back, text and integers, Chinese intact */
	assert_int_equal(rc_store_stmt(s, Q_ORG_BY_CODE, &st), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 1, "HZ"), RC_OK);
	assert_int_equal(rc_stmt_step(st, &row), RC_OK);
	assert_int_equal(row, 1);
	assert_int_equal(rc_stmt_int(st, 0), zj + 1);
	assert_string_equal(rc_stmt_text(st, 1, NULL), "杭州市");
	assert_int_equal(rc_stmt_int(st, 3), zj);
	assert_false(rc_stmt_is_null(st, 3));
	assert_int_equal(rc_stmt_step(st, &row), RC_OK);
	assert_int_equal(row, 0);

	/* a duplicate code: RC_ERR_CONFLICT; PostgreSQL then refuses the
	 * rest of the transaction, and so the commit (nothing half-saved) */
	assert_int_equal(rc_store_begin(s), RC_OK);
	assert_int_equal(rc_store_stmt(s, Q_ORG_INSERT, &st), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 1, "XX"), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 2, "某县"), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 3, "county"), RC_OK);
	assert_int_equal(rc_stmt_bind_int(st, 4, zj + 1), RC_OK);
	assert_int_equal(rc_stmt_step(st, &row), RC_OK);
	assert_int_equal(rc_store_stmt(s, Q_ORG_INSERT, &st), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 1, "ZJ"), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 2, "again"), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 3, "province"), RC_OK);
	assert_int_equal(rc_stmt_bind_null(st, 4), RC_OK);
	assert_int_equal(rc_stmt_step(st, &row), RC_ERR_CONFLICT);
	assert_int_equal(rc_store_commit(s), RC_ERR_CONFLICT);
	assert_int_equal(rc_store_stmt(s, Q_ORG_BY_CODE, &st), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 1, "XX"), RC_OK);
	assert_int_equal(rc_stmt_step(st, &row), RC_OK);
	assert_int_equal(row, 0); /* XX was rolled back with the rest */

	/* changes: an optimistic update that lost the race changes nothing */
	assert_int_equal(rc_store_begin(s), RC_OK);
	assert_int_equal(rc_store_stmt(s, Q_CLARIFY_ISSUE, &st), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 1, "2024-01-01"), RC_OK);
	assert_int_equal(rc_stmt_bind_int(st, 2, 999), RC_OK);
	assert_int_equal(rc_stmt_step(st, &row), RC_OK);
	assert_int_equal(rc_store_changes(s), 0);
	rc_store_rollback(s);

	/* text with a NUL cannot be stored: refused, not cut */
	assert_int_equal(rc_store_stmt(s, Q_ORG_BY_CODE, &st), RC_OK);
	assert_int_equal(rc_stmt_bind_text(st, 1, "Z\0J", 3), RC_ERR_RANGE);
	rc_store_close(s);
}

/* One writer at a time across connections: a second begin waits for the
 * first transaction to end. */
struct racer {
	const char *url;
	const uint8_t *key;
	int began; /* set when its begin returned */
	int id;
	enum rc_err e; /* the thread's first error */
};

static volatile int g_first_committed;

static void *second_writer(void *arg)
{
	struct racer *r = arg;
	struct rc_store *s = NULL;
	if ((r->e = thread_open(r->url, &s)) || (r->e = rc_store_begin(s)))
		goto out;
	/* the first writer committed before this begin could return */
	r->began = g_first_committed ? 1 : -1;
	r->e = thread_append(s, r->key, "obj:second");
out:
	rc_store_close(s);
	return NULL;
}

static void one_writer_at_a_time(void **state)
{
	(void)state;
	char url[4400];
	uint8_t key[RC_AUDIT_KEY_LEN] = {9};
	fresh_db(url, sizeof(url));
	struct rc_store *a = open_migrated(url);
	g_first_committed = 0;
	assert_int_equal(rc_store_begin(a), RC_OK);
	audit_one(a, key, "obj:first");
	struct racer r = {url, key, 0, 2, RC_OK};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, second_writer, &r), 0);
	usleep(300 * 1000); /* the second writer is now waiting in begin */
	assert_int_equal(r.began, 0);
	g_first_committed = 1;
	assert_int_equal(rc_store_commit(a), RC_OK);
	pthread_join(t, NULL);
	assert_int_equal(r.e, RC_OK);
	assert_int_equal(r.began, 1);
	struct rc_diags *d = new_diags();
	int64_t rows = 0, bad = -1;
	assert_int_equal(rc_audit_verify(a, key, NULL, d, &rows, &bad), RC_OK);
	assert_int_equal(rows, 2);
	free(d);
	rc_store_close(a);
}

/* Many writers on many connections append to one chain: it stays linear
 * (every seq once, each row after its predecessor). */
struct appender {
	const char *url;
	const uint8_t *key;
	int n, id;
	enum rc_err e; /* the thread's first error */
};

static void *appender_run(void *arg)
{
	struct appender *p = arg;
	struct rc_store *s = NULL;
	char obj[32];
	if ((p->e = thread_open(p->url, &s)))
		return NULL;
	for (int i = 0; i < p->n && !p->e; i++) {
		snprintf(obj, sizeof(obj), "obj:%d-%d", p->id, i);
		if (!(p->e = rc_store_begin(s)))
			p->e = thread_append(s, p->key, obj);
	}
	rc_store_close(s);
	return NULL;
}

static void chain_linear_under_writers(void **state)
{
	(void)state;
	enum { WRITERS = 8, EACH = 25 };
	char url[4400];
	uint8_t key[RC_AUDIT_KEY_LEN] = {7, 7};
	fresh_db(url, sizeof(url));
	struct rc_store *s = open_migrated(url);
	pthread_t t[WRITERS];
	struct appender p[WRITERS];
	for (int i = 0; i < WRITERS; i++) {
		p[i] = (struct appender){url, key, EACH, i, RC_OK};
		assert_int_equal(pthread_create(&t[i], NULL, appender_run, &p[i]), 0);
	}
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(p[i].e, RC_OK);
	}
	struct rc_diags *d = new_diags();
	int64_t rows = 0, bad = -1;
	enum rc_err e = rc_audit_verify(s, key, NULL, d, &rows, &bad);
	if (e)
		rc_diags_print(d, stderr);
	assert_int_equal(e, RC_OK);
	assert_int_equal(rows, WRITERS * EACH);
	free(d);
	rc_store_close(s);
}

/* A unit of work that meets a busy database is run again: with the write
 * lock held for 300 ms by another connection and a lock timeout of 150 ms,
 * the change still succeeds (on its second or third attempt); held for 3 s,
 * it fails after three attempts with RC_ERR_BUSY, having changed nothing. */
struct holder {
	struct rc_store *s;
	int ms;
	enum rc_err e; /* the commit's */
};

static void *hold_then_commit(void *arg)
{
	struct holder *h = arg;
	usleep((useconds_t)h->ms * 1000);
	h->e = rc_store_commit(h->s);
	return NULL;
}

static void busy_retried(void **state)
{
	(void)state;
	char url[4400];
	uint8_t key[RC_AUDIT_KEY_LEN] = {5};
	fresh_db(url, sizeof(url));
	struct rc_store *a = open_migrated(url);
	struct rc_store *b = open_url(url);
	struct rc_unit u = {.store = b, .key = key};
	assert_int_equal(rc_unit_init(&u), RC_OK);
	assert_int_equal(rc_store_lock_timeout(b, 150), RC_OK);
	struct rc_diags *d = new_diags();
	int64_t id = 0;
	static const int hold[2] = {300, 3000};
	for (int k = 0; k < 2; k++) {
		struct holder h = {a, hold[k], RC_OK};
		pthread_t t;
		assert_int_equal(rc_store_begin(a), RC_OK);
		assert_int_equal(pthread_create(&t, NULL, hold_then_commit, &h), 0);
		rc_diags_init(d, "pg");
		enum rc_err e = rc_proc_org_add(&u, "cli", k ? "HZ" : "ZJ", "某地",
						k ? "city" : "province", k ? "ZJ" : NULL, d, &id);
		if (k == 0) {
			if (e)
				rc_diags_print(d, stderr);
			assert_int_equal(e, RC_OK);
			assert_int_equal(d->count, 0); /* the busy attempts left no message */
		} else {
			assert_int_equal(e, RC_ERR_BUSY);
			assert_true(diags_have(d, "stayed busy through 3 attempts"));
		}
		pthread_join(t, NULL);
		assert_int_equal(h.e, RC_OK);
	}
	int64_t rows = 0, bad = -1;
	assert_int_equal(rc_audit_verify(b, key, NULL, d, &rows, &bad), RC_OK);
	assert_int_equal(rows, 1); /* ZJ only: the refused change wrote nothing */
	free(d);
	rc_store_close(a);
	rc_store_close(b);
}

/* ---- accounts and sessions ------------------------------------------------ */

static void code_at(const uint8_t *sec, int64_t t, char out[7])
{
	uint32_t c = 0;
	assert_int_equal(rc_hotp(sec, RC_TOTP_SECRET_LEN, (uint64_t)t / RC_TOTP_PERIOD, 6, &c),
			 RC_OK);
	snprintf(out, 7, "%06u", (unsigned)c);
}

static void accounts(void **state)
{
	(void)state;
	char url[4400], code[7], val[64];
	uint8_t key[RC_AUDIT_KEY_LEN] = {7, 7, 7}, sec[RC_TOTP_SECRET_LEN];
	const int64_t t = INT64_C(1718000020);
	const char *pw = "correct horse battery";
	struct rc_totp_enrolment en;
	struct rc_login a, b;
	struct rc_session_user who;
	struct rc_admin_bootstrap boot;
	size_t n;
	fresh_db(url, sizeof(url));
	struct rc_store *s = open_migrated(url);
	struct rc_diags *d = new_diags();
	struct rc_unit u = {.store = s, .key = key};
	assert_int_equal(rc_unit_init(&u), RC_OK);
	assert_int_equal(rc_proc_org_add(&u, "cli", "ZJ", "浙江省", "province", NULL, d, NULL),
			 RC_OK);
	assert_int_equal(rc_proc_user_add(&u, "cli", "li", "李四", "ZJ", "承办单位", d), RC_OK);
	assert_int_equal(rc_proc_password_set(&u, "cli", "li", pw, 0, NULL, d), RC_OK);
	assert_int_equal(rc_proc_login(&u, "li", pw, "", t, NULL, &a, d), RC_ERR_NOT_FOUND);
	assert_int_equal(rc_proc_totp_enrol_begin(&u, "li", pw, t, &en, d), RC_OK);
	assert_int_equal(rc_base32_decode(en.secret, strlen(en.secret), sec, sizeof(sec), &n),
			 RC_OK);
	code_at(sec, t, code);
	assert_int_equal(rc_proc_totp_enrol_finish(&u, "li", code, t, d), RC_OK);
	/* the one answer for an unknown login, and for a known one */
	rc_diags_init(d, "pg");
	code_at(sec, t + 30, code);
	assert_int_equal(rc_proc_login(&u, "nobody", pw, code, t + 30, NULL, &a, d), RC_ERR_RANGE);
	assert_int_equal(rc_proc_login(&u, "\xff", pw, code, t + 30, NULL, &a, d), RC_ERR_RANGE);
	assert_int_equal(rc_proc_login(&u, "li", "wrong password", code, t + 30, NULL, &a, d),
			 RC_ERR_RANGE);
	assert_int_equal(d->count, 3);
	assert_string_equal(d->items[0].msg, RC_AUTH_FAILED);
	assert_string_equal(d->items[2].msg, RC_AUTH_FAILED);
	assert_int_equal(rc_proc_login(&u, "li", pw, code, t + 30, NULL, &a, d), RC_OK);
	code_at(sec, t + 60, code);
	assert_int_equal(rc_proc_login(&u, "li", pw, code, t + 60, NULL, &b, d), RC_OK);
	/* touched after a minute, expired after 30 idle ones */
	assert_int_equal(rc_proc_session_check(s, a.session_id, t + 30 + 29 * 60, &who, d), RC_OK);
	assert_string_equal(who.login, "li");
	assert_string_equal(who.org_code, "ZJ");
	assert_int_equal(rc_proc_session_check(s, a.session_id, t + 30 + 58 * 60, &who, d), RC_OK);
	assert_int_equal(rc_proc_session_check(s, b.session_id, t + 60 + 30 * 60, &who, d),
			 RC_ERR_NOT_FOUND);
	/* a password change from a keeps a; logout; five failures lock */
	code_at(sec, t + 90, code);
	assert_int_equal(rc_proc_login(&u, "li", pw, code, t + 90, NULL, &b, d), RC_OK);
	assert_int_equal(rc_proc_password_set(&u, "li", "li", "a new password", 0, a.session_id, d),
			 RC_OK);
	assert_int_equal(rc_proc_session_check(s, a.session_id, t + 91, &who, d), RC_OK);
	assert_int_equal(rc_proc_session_check(s, b.session_id, t + 91, &who, d), RC_ERR_NOT_FOUND);
	assert_int_equal(rc_proc_logout(&u, a.session_id, d), RC_OK);
	assert_int_equal(rc_proc_session_check(s, a.session_id, t + 92, &who, d), RC_ERR_NOT_FOUND);
	for (int i = 0; i < 5; i++)
		assert_int_equal(rc_proc_login(&u, "li", pw, "", t + 100 + i, NULL, &a, d),
				 RC_ERR_RANGE);
	code_at(sec, t + 120, code);
	assert_int_equal(rc_proc_login(&u, "li", "a new password", code, t + 120, NULL, &a, d),
			 RC_ERR_RANGE);
	assert_int_equal(rc_proc_login(&u, "li", "a new password", code, t + 164, NULL, &a, d),
			 RC_OK);
	/* disable revokes */
	assert_int_equal(rc_proc_user_disable(&u, "cli", "li", d), RC_OK);
	assert_int_equal(rc_proc_session_check(s, a.session_id, t + 165, &who, d),
			 RC_ERR_NOT_FOUND);
	/* the administrators, once */
	assert_int_equal(rc_proc_admins_bootstrap(&u, d, &boot), RC_OK);
	assert_int_equal(boot.n, 3);
	assert_int_equal(rc_proc_admins_bootstrap(&u, d, &boot), RC_OK);
	assert_int_equal(boot.n, 0);
	PGconn *c = raw(db_name(url));
	raw_exec(c, "SELECT count(*) FROM sessions WHERE revoked = 0", NULL, val, sizeof(val));
	assert_string_equal(val, "0");
	raw_exec(c, "SELECT count(*) FROM users WHERE must_change_password = 1", NULL, val,
		 sizeof(val));
	assert_string_equal(val, "3");
	PQfinish(c);
	int64_t rows = 0, bad = -1;
	rc_diags_init(d, "pg");
	assert_int_equal(rc_audit_verify(s, key, NULL, d, &rows, &bad), RC_OK);
	free(d);
	rc_store_close(s);
}

/* ---- the case list by category (schema 13) ------------------------------------- */

/* Every row of recommendation_categories but its id, in a fixed order. */
static void category_rows(const char *url, char *out, size_t len)
{
	PGconn *c = raw(db_name(url));
	PGresult *r = PQexec(c, "SELECT recommendation_id, case_id, category, current "
				"FROM recommendation_categories "
				"ORDER BY recommendation_id, category COLLATE \"C\"");
	size_t off = 0;
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	out[0] = '\0';
	for (int i = 0; i < PQntuples(r); i++)
		off +=
		    (size_t)snprintf(out + off, len - off, "%s %s %s %s\n", PQgetvalue(r, i, 0),
				     PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3));
	assert_true(off < len);
	PQclear(r);
	PQfinish(c);
}

/* The codes the case list shows in `org` for a category (and a state). */
static void category_list(struct rc_store *s, const struct rc_policy_set *set, int64_t org,
			  const char *category, const char *state, char *out, size_t len)
{
	struct rc_diags *d = new_diags();
	struct rc_case_filter f = {.category = category, .state = state, .set = set};
	json_t *doc = NULL, *k;
	size_t off = 0, i;
	enum rc_err e =
	    rc_proc_view_cases(s, &(struct rc_viewer){org, 0, "承办单位"}, &f, 0, &doc, d);
	if (e)
		rc_diags_print(d, stderr);
	assert_int_equal(e, RC_OK);
	out[0] = '\0';
	json_array_foreach(json_object_get(doc, "cases"), i, k) off +=
	    (size_t)snprintf(out + off, len - off, "%s%s", off ? " " : "",
			     json_string_value(json_object_get(k, "code")));
	json_decref(doc);
	free(d);
}

/* The categories recorded with each recommendation and the list's filter on
 * them, on this backend (tests/procedure/test_categories.c tests them in
 * depth on SQLite); then migration 13 on the database as schema 12 left it
 * (its table and index dropped, the version set back): the jsonb reading
 * of result_json fills exactly the rows the procedure wrote, and a damaged
 * result gives none instead of stopping the migration. */
static void categories(void **state)
{
	(void)state;
	char url[4400], path[4300], reform[64], decision[64], none[64], got[512], want[512];
	static char before[8192], after[8192];
	uint8_t key[RC_AUDIT_KEY_LEN] = {9, 9, 9};
	struct rc_policy_set *set = NULL;
	struct rc_cal *cal = NULL;
	int64_t org = 0;
	int from, to;
	fresh_db(url, sizeof(url));
	struct rc_store *s = open_migrated(url);
	struct rc_diags *d = new_diags();
	struct rc_unit u = {.store = s, .key = key};
	assert_int_equal(rc_unit_init(&u), RC_OK);
	snprintf(path, sizeof(path), "%s/policies", RC_SOURCE_DIR);
	assert_int_equal(rc_policy_set_new(&set), RC_OK);
	assert_int_equal(rc_policy_set_load(set, path, d), RC_OK);
	snprintf(path, sizeof(path), "%s/data/calendar", RC_SOURCE_DIR);
	assert_int_equal(rc_cal_new(&cal), RC_OK);
	assert_int_equal(rc_cal_load_dir(cal, path, d), RC_OK);
	int32_t today = rc_date_from_ymd(2024, 9, 2);
	const struct rc_policy *p = rc_policy_set_at(set, today);
	assert_non_null(p);
	assert_int_equal(rc_proc_org_add(&u, "cli", "A", "东湖县", "county", NULL, d, &org), RC_OK);
	assert_int_equal(rc_proc_user_add(&u, "cli", "li", "李四", "A", "承办单位", d), RC_OK);
	struct rc_case_new c = {
	    .subject_org = "A", .start_path = "ex_officio", .handling_org = "A"};
	static const char *const facts[][3] = {
	    {"r", "推进改革", "true"},     {"r", "缺乏经验", "true"}, {"r", "营商环境领域", "true"},
	    {"r", "突破常规探索", "true"}, {"d", "集体决策", "true"}, {"d", "提出反对意见", "true"},
	};
	assert_int_equal(rc_proc_case_open(&u, p, cal, "li", &c, today, reform, 64, d), RC_OK);
	assert_int_equal(rc_proc_case_open(&u, p, cal, "li", &c, today, decision, 64, d), RC_OK);
	assert_int_equal(rc_proc_case_open(&u, p, cal, "li", &c, today, none, 64, d), RC_OK);
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++)
		assert_int_equal(rc_proc_case_fact(&u, p, "li",
						   facts[i][0][0] == 'r' ? reform : decision,
						   facts[i][1], facts[i][2], NULL, NULL, 0, d),
				 RC_OK);
	assert_int_equal(
	    rc_proc_case_recommend(&u, p, set, "li", reform, "2024-08-01", NULL, NULL, d), RC_OK);
	assert_int_equal(
	    rc_proc_case_recommend(&u, p, set, "li", decision, "2024-08-01", NULL, NULL, d), RC_OK);
	category_list(s, set, org, "改革创新类", NULL, got, sizeof(got));
	assert_string_equal(got, reform);
	category_list(s, set, org, "决策损失类", "启动", got, sizeof(got));
	assert_string_equal(got, decision);
	category_list(s, set, org, "决策损失类", "受理", got, sizeof(got));
	assert_string_equal(got, "");
	/* the reform case recommended again as a collective decision moves */
	assert_int_equal(
	    rc_proc_case_fact(&u, p, "li", reform, "推进改革", "false", NULL, NULL, 0, d), RC_OK);
	assert_int_equal(
	    rc_proc_case_fact(&u, p, "li", reform, "营商环境领域", "false", NULL, NULL, 0, d),
	    RC_OK);
	assert_int_equal(
	    rc_proc_case_fact(&u, p, "li", reform, "集体决策", "true", NULL, NULL, 0, d), RC_OK);
	assert_int_equal(
	    rc_proc_case_fact(&u, p, "li", reform, "提出反对意见", "true", NULL, NULL, 0, d),
	    RC_OK);
	assert_int_equal(
	    rc_proc_case_recommend(&u, p, set, "li", reform, "2024-08-01", NULL, NULL, d), RC_OK);
	category_list(s, set, org, "改革创新类", NULL, got, sizeof(got));
	assert_string_equal(got, "");
	snprintf(want, sizeof(want), "%s %s", decision, reform);
	category_list(s, set, org, "决策损失类", NULL, got, sizeof(got));
	assert_string_equal(got, want);
	rc_store_close(s);

	/* schema 12 again, with damaged results on a case of their own:
	 * rows that must give nothing */
	category_rows(url, before, sizeof(before));
	assert_non_null(strstr(before, " 改革创新类 0\n"));
	PGconn *raw_c = raw(db_name(url));
	static const char *const damaged[] = {
	    "not JSON",
	    "[1, 2]",
	    "{\"situations\": {\"value\": \"true\"}}",
	    "{\"situations\": [5, \"x\", null, {\"value\": \"true\", \"category\": 7}, "
	    "{\"value\": \"unknown\", \"category\": \"程序瑕疵类\"}, "
	    "{\"value\": true, \"category\": \"程序瑕疵类\"}]}",
	};
	for (size_t i = 0; i < sizeof(damaged) / sizeof(damaged[0]); i++) {
		const char *v[2] = {damaged[i], none};
		PGresult *r = PQexecParams(
		    raw_c,
		    "INSERT INTO recommendations(case_id, at, user_id, applied_version, "
		    "policy_digest, facts_json, result_json, state, band) "
		    "SELECT id, '2024-09-02T00:00:00Z', prepared_by, 'x', 'x', '{}', $1, "
		    "'undetermined', '' FROM cases WHERE code = $2",
		    2, NULL, v, NULL, NULL, 0);
		assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
		PQclear(r);
	}
	assert_int_equal(raw_exec(raw_c,
				  "DROP TABLE recommendation_categories;"
				  "DROP INDEX recommendations_by_case;"
				  /* and what migration 14 made after it */
				  "DROP TABLE user_people;"
				  "DROP INDEX cases_by_subject_org;"
				  "DROP INDEX people_by_org;"
				  "UPDATE meta SET value = '12' WHERE key = 'schema_version'",
				  NULL, NULL, 0),
			 PGRES_COMMAND_OK);
	PQfinish(raw_c);
	s = open_url(url);
	assert_int_equal(rc_store_schema_version(s), 12);
	rc_diags_init(d, "pg");
	assert_int_equal(rc_store_migrate(s, d, &from, &to), RC_OK);
	assert_int_equal(from, 12);
	assert_int_equal(to, rc_store_schema_latest(s));
	category_rows(url, after, sizeof(after));
	assert_string_equal(after, before);
	category_list(s, set, org, "决策损失类", NULL, got, sizeof(got));
	assert_string_equal(got, want);
	assert_int_equal(rc_store_check(s, d), RC_OK);
	free(d);
	rc_store_close(s);
	rc_policy_set_free(set);
	rc_cal_free(cal);
}

int main(void)
{
	g_dir = getenv("RC_PG_DIR");
	if (!g_dir || !*g_dir) {
		fprintf(stderr,
			"test_pg: RC_PG_DIR is not set; scripts/test-pg.sh starts a cluster "
			"and runs this\n");
		return 2;
	}
	const char *tmp = getenv("TMPDIR");
	snprintf(g_tmp, sizeof(g_tmp), "%s/rc-test-pg.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(g_tmp)) {
		perror("mkdtemp");
		return 2;
	}
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(queries_prepare),      cmocka_unit_test(schema_in_step),
	    cmocka_unit_test(audit_append_only),    cmocka_unit_test(conflicts_and_ids),
	    cmocka_unit_test(one_writer_at_a_time), cmocka_unit_test(chain_linear_under_writers),
	    cmocka_unit_test(busy_retried),         cmocka_unit_test(accounts),
	    cmocka_unit_test(categories),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(g_tmp);
	return rc;
}
