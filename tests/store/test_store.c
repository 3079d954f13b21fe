/*
 * test_store.c -- unit tests of the store (store.h) over its SQLite backend.
 *
 * Every test opens a fresh database in a private temporary directory.  What
 * the store does not show through its own interface -- how often it
 * prepares a statement, the settings of its connection -- is observed by
 * wrapping two SQLite entry points: this file defines sqlite3_open_v2 and
 * sqlite3_prepare_v3, which the linker prefers to the shared library's, and
 * they count, remember the connection and hand on to the real functions
 * (dlsym RTLD_NEXT).  Raw connections of the tests themselves use
 * sqlite3_open, so they are not mistaken for the store's.
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/err.h"
#include "store/store.h"

static char g_dir[4096]; /* the temporary directory, made in main */
static int g_files;      /* databases made so far, for fresh names */

/* ---- wrappers of SQLite entry points --------------------------------- */

static int g_prepares;    /* sqlite3_prepare_v3 calls (the store's statements) */
static sqlite3 *g_opened; /* the connection sqlite3_open_v2 opened last */

static void *real_fn(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);
	if (!p) {
		fprintf(stderr, "test_store: cannot find the real %s\n", name);
		abort();
	}
	return p;
}

int sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs)
{
	static int (*real)(const char *, sqlite3 **, int, const char *);
	if (!real) {
		void *p = real_fn("sqlite3_open_v2");
		memcpy(&real, &p, sizeof(p));
	}
	int rc = real(filename, db, flags, vfs);
	g_opened = rc == SQLITE_OK ? *db : NULL;
	return rc;
}

int sqlite3_prepare_v3(sqlite3 *db, const char *sql, int n, unsigned int flags, sqlite3_stmt **st,
		       const char **tail)
{
	static int (*real)(sqlite3 *, const char *, int, unsigned int, sqlite3_stmt **,
			   const char **);
	if (!real) {
		void *p = real_fn("sqlite3_prepare_v3");
		memcpy(&real, &p, sizeof(p));
	}
	g_prepares++;
	return real(db, sql, n, flags, st, tail);
}

/* ---- helpers --------------------------------------------------------- */

static struct rc_diags *new_diags(void)
{
	struct rc_diags *d = malloc(sizeof(*d));
	assert_non_null(d);
	rc_diags_init(d, "store");
	return d;
}

/* Some diagnostic's message contains `text`. */
static int diags_have(const struct rc_diags *d, const char *text)
{
	for (int i = 0; i < d->count; i++)
		if (strstr(d->items[i].msg, text))
			return 1;
	return 0;
}

static void remove_db(const char *path)
{
	char p[4200];
	static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, ext[i]);
		unlink(p);
	}
}

/* A fresh database path in the temporary directory. */
static void fresh_path(char *out, size_t len)
{
	int n = snprintf(out, len, "%s/db-%d.sqlite", g_dir, ++g_files);
	assert_true(n > 0 && (size_t)n < len);
	remove_db(out);
}

static struct rc_store *open_store(const char *path)
{
	struct rc_diags *d = new_diags();
	struct rc_store *s = NULL;
	enum rc_err e = rc_store_open(path, d, &s);
	if (e)
		rc_diags_print(d, stderr);
	assert_int_equal(e, RC_OK);
	assert_non_null(s);
	free(d);
	return s;
}

/* A fresh database, migrated to the latest schema. */
static struct rc_store *open_migrated(char *path, size_t len)
{
	int from = -1, to = -1;
	fresh_path(path, len);
	struct rc_store *s = open_store(path);
	struct rc_diags *d = new_diags();
	assert_int_equal(rc_store_migrate(s, d, &from, &to), RC_OK);
	assert_int_equal(from, 0);
	assert_int_equal(to, rc_store_schema_latest(s));
	free(d);
	return s;
}

/* Insert an organisation with Q_ORG_INSERT; the result of the step. */
static enum rc_err org_insert(struct rc_store *s, const char *code, const char *level,
			      int64_t parent)
{
	struct rc_stmt *st;
	int row = -1;
	assert_int_equal(rc_store_stmt(s, Q_ORG_INSERT, &st), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 1, code), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 2, "名称"), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 3, level), RC_OK);
	if (parent)
		assert_int_equal(rc_stmt_bind_int(st, 4, parent), RC_OK);
	else
		assert_int_equal(rc_stmt_bind_null(st, 4), RC_OK);
	enum rc_err e = rc_stmt_step(st, &row);
	if (!e)
		assert_int_equal(row, 0);
	return e;
}

/* The id of organisation `code`, or 0 when there is none. */
static int64_t org_id(struct rc_store *s, const char *code)
{
	struct rc_stmt *st;
	int row = -1;
	assert_int_equal(rc_store_stmt(s, Q_ORG_BY_CODE, &st), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 1, code), RC_OK);
	assert_int_equal(rc_stmt_step(st, &row), RC_OK);
	return row ? rc_stmt_int(st, 0) : 0;
}

static int org_count(struct rc_store *s)
{
	struct rc_stmt *st;
	int row = 0, n = 0;
	assert_int_equal(rc_store_stmt(s, Q_ORG_LIST, &st), RC_OK);
	while (rc_stmt_step(st, &row) == RC_OK && row)
		n++;
	return n;
}

/* A raw connection of the test's own (not through the store). */
static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static void raw_exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, err ? err : sqlite3_errstr(rc));
}

/* The first column of the first row of `sql` as text, into out. */
static void raw_text(sqlite3 *db, const char *sql, char *out, size_t len)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const unsigned char *t = sqlite3_column_text(st, 0);
	snprintf(out, len, "%s", t ? (const char *)t : "");
	sqlite3_finalize(st);
}

static int64_t raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* ---- opening --------------------------------------------------------- */

/* A plain path and an "sqlite:" url open the same backend; an empty path,
 * a PostgreSQL url and a directory that does not exist are refused with a
 * message. */
static void open_urls(void **state)
{
	(void)state;
	char path[4096], url[4200];
	struct rc_store *s = NULL;
	struct rc_diags *d = new_diags();

	fresh_path(path, sizeof(path));
	s = open_store(path);
	assert_string_equal(rc_store_backend(s), "sqlite");
	rc_store_close(s);
	assert_int_equal(access(path, F_OK), 0);

	snprintf(url, sizeof(url), "sqlite:%s", path);
	s = open_store(url);
	assert_string_equal(rc_store_backend(s), "sqlite");
	rc_store_close(s);

	s = (struct rc_store *)1;
	assert_int_equal(rc_store_open("sqlite:", d, &s), RC_ERR_USAGE);
	assert_null(s);
	assert_true(diags_have(d, "empty database path"));

	/* a PostgreSQL URL goes to libpq; no server there: an I/O error whose
	 * message shows the URL with its password masked */
	rc_diags_init(d, "store");
	snprintf(url, sizeof(url), "postgresql://rongcuo:s3cret@/rc?host=%s/no-such-dir", g_dir);
	assert_int_equal(rc_store_open(url, d, &s), RC_ERR_IO);
	assert_null(s);
	assert_true(diags_have(d, "cannot connect to the database"));
	assert_true(diags_have(d, "postgresql://rongcuo:***@/rc"));
	assert_false(diags_have(d, "s3cret"));
	char shown[256];
	rc_store_url_shown("postgresql:///rc?user=a&password=s3cret&host=/x", shown, sizeof(shown));
	assert_string_equal(shown, "postgresql:///rc?user=a&password=***&host=/x");
	rc_store_url_shown("sqlite:/data/rongcuo.db", shown, sizeof(shown));
	assert_string_equal(shown, "/data/rongcuo.db");
	/* libpq splits user and password at the first ':'; every parameter
	 * whose name ends in "password" is masked */
	rc_store_url_shown("postgresql://alice:s3cr:et@h/db", shown, sizeof(shown));
	assert_string_equal(shown, "postgresql://alice:***@h/db");
	rc_store_url_shown("postgresql:///db?sslpassword=a&PASSWORD=SECRET&host=/x", shown,
			   sizeof(shown));
	assert_string_equal(shown, "postgresql:///db?sslpassword=***&PASSWORD=***&host=/x");
	/* a URL longer than the buffer is cut, never written past it */
	char big[300], small[40];
	memset(big, 'h', sizeof(big));
	memcpy(big, "postgresql://u:pw@", 18);
	memcpy(big + sizeof(big) - 11, "&password=", 11);
	memset(small, 'Z', sizeof(small));
	rc_store_url_shown(big, small, 32);
	assert_int_equal(strlen(small), 31);
	assert_int_equal(small[32], 'Z');
	assert_null(strstr(small, "pw"));

	rc_diags_init(d, "store");
	snprintf(path, sizeof(path), "%s/no-such-dir/x.sqlite", g_dir);
	assert_int_equal(rc_store_open(path, d, &s), RC_ERR_IO);
	assert_null(s);
	assert_true(diags_have(d, path));
	assert_true(diags_have(d, "cannot open the database"));

	rc_store_close(NULL); /* NULL-safe */
	free(d);
}

/* ---- schema ---------------------------------------------------------- */

/* Version 0 before the first migration, the latest after; migrating again
 * changes nothing and says so through from == to. */
static void schema_migrate(void **state)
{
	(void)state;
	char path[4096];
	int from = -1, to = -1;
	struct rc_diags *d = new_diags();
	fresh_path(path, sizeof(path));
	struct rc_store *s = open_store(path);
	int latest = rc_store_schema_latest(s);
	assert_true(latest >= 1);
	assert_int_equal(rc_store_schema_version(s), 0);
	assert_int_equal(rc_store_schema_version(s), 0); /* asking twice is harmless */

	assert_int_equal(rc_store_migrate(s, d, &from, &to), RC_OK);
	assert_int_equal(from, 0);
	assert_int_equal(to, latest);
	assert_int_equal(rc_store_schema_version(s), latest);
	assert_int_equal(d->count, 0);

	from = to = -1;
	assert_int_equal(rc_store_migrate(s, d, &from, &to), RC_OK);
	assert_int_equal(from, latest);
	assert_int_equal(to, latest);
	assert_int_equal(rc_store_schema_version(s), latest);
	assert_int_equal(d->count, 0);

	/* the tables are there and usable after migrating */
	assert_int_equal(org_insert(s, "ZJ", "province", 0), RC_OK);
	rc_store_close(s);

	/* reopened: still the latest; a third migration is a no-op too, and
	 * keeps the data */
	s = open_store(path);
	assert_int_equal(rc_store_schema_version(s), latest);
	from = to = -1;
	assert_int_equal(rc_store_migrate(s, d, &from, &to), RC_OK);
	assert_int_equal(from, latest);
	assert_int_equal(to, latest);
	assert_true(org_id(s, "ZJ") > 0);
	rc_store_close(s);
	remove_db(path);
	free(d);
}

/* A database whose meta table records a newer schema than the code knows is
 * refused with RC_ERR_RANGE, and rc_store_check reports it. */
static void schema_newer_refused(void **state)
{
	(void)state;
	char path[4096], ver[16], sql[128];
	int from = -1, to = -1;
	struct rc_diags *d = new_diags();
	struct rc_store *s = open_migrated(path, sizeof(path));
	int latest = rc_store_schema_latest(s);
	rc_store_close(s);

	sqlite3 *db = raw_open(path);
	snprintf(sql, sizeof(sql), "UPDATE meta SET value = '%d' WHERE key = 'schema_version'",
		 latest + 1);
	raw_exec(db, sql);
	sqlite3_close(db);

	s = open_store(path);
	assert_int_equal(rc_store_schema_version(s), latest + 1);
	assert_int_equal(rc_store_migrate(s, d, &from, &to), RC_ERR_RANGE);
	snprintf(ver, sizeof(ver), "%d", latest + 1);
	assert_true(diags_have(d, "newer than this rongcuo"));
	assert_true(diags_have(d, ver));
	/* nothing was written: the version is still the newer one */
	assert_int_equal(rc_store_schema_version(s), latest + 1);

	rc_diags_init(d, "store");
	assert_int_equal(rc_store_check(s, d), RC_ERR_INTERNAL);
	assert_true(diags_have(d, "schema version"));
	rc_store_close(s);
	remove_db(path);
	free(d);
}

/* ---- check ----------------------------------------------------------- */

/* A fresh, migrated database passes the check without a word; one not yet
 * migrated fails it on the schema version. */
static void check_fresh(void **state)
{
	(void)state;
	char path[4096];
	struct rc_diags *d = new_diags();
	struct rc_store *s = open_migrated(path, sizeof(path));
	assert_int_equal(rc_store_check(s, d), RC_OK);
	assert_int_equal(d->count, 0);
	assert_int_equal(org_insert(s, "ZJ", "province", 0), RC_OK);
	assert_int_equal(org_insert(s, "HZ", "city", org_id(s, "ZJ")), RC_OK);
	assert_int_equal(rc_store_check(s, d), RC_OK);
	assert_int_equal(d->count, 0);
	rc_store_close(s);
	remove_db(path);

	fresh_path(path, sizeof(path));
	s = open_store(path);
	assert_int_equal(rc_store_check(s, d), RC_ERR_INTERNAL);
	assert_true(diags_have(d, "schema version 0"));
	rc_store_close(s);
	remove_db(path);
	free(d);
}

/* An orphan row written behind the store's back (foreign keys off on a
 * connection of our own) is found by rc_store_check, which names the table,
 * the row and the missing parent. */
static void check_foreign_key(void **state)
{
	(void)state;
	char path[4096];
	struct rc_diags *d = new_diags();
	struct rc_store *s = open_migrated(path, sizeof(path));
	assert_int_equal(org_insert(s, "ZJ", "province", 0), RC_OK);

	sqlite3 *db = raw_open(path);
	raw_exec(db, "PRAGMA foreign_keys = OFF");
	raw_exec(db, "INSERT INTO people(id, name, org_id) VALUES (7, 'orphan', 999)");
	sqlite3_close(db);

	/* the store's connection, still open, sees the orphan */
	enum rc_err e = rc_store_check(s, d);
	if (e != RC_ERR_INTERNAL)
		rc_diags_print(d, stderr);
	assert_int_equal(e, RC_ERR_INTERNAL);
	assert_true(d->errors >= 1);
	assert_true(diags_have(d, "foreign_key_check"));
	assert_true(diags_have(d, "people row 7 refers to a missing orgs"));
	rc_store_close(s);

	/* and a new connection finds it too */
	rc_diags_init(d, "store");
	s = open_store(path);
	assert_int_equal(rc_store_check(s, d), RC_ERR_INTERNAL);
	assert_true(diags_have(d, "people row 7"));
	rc_store_close(s);
	remove_db(path);
	free(d);
}

/* ---- constraints ----------------------------------------------------- */

/* Unique, foreign-key and check violations are RC_ERR_CONFLICT, and the
 * statement and the store stay usable afterwards. */
static void constraint_conflict(void **state)
{
	(void)state;
	char path[4096];
	struct rc_stmt *st;
	int row = -1;
	struct rc_store *s = open_migrated(path, sizeof(path));

	assert_int_equal(org_insert(s, "ZJ", "province", 0), RC_OK);
	int64_t zj = org_id(s, "ZJ");
	assert_true(zj > 0);
	assert_int_equal(rc_store_last_id(s), zj);

	/* duplicate code */
	assert_int_equal(org_insert(s, "ZJ", "province", 0), RC_ERR_CONFLICT);
	/* a level outside the CHECK list */
	assert_int_equal(org_insert(s, "XX", "galaxy", 0), RC_ERR_CONFLICT);
	/* a parent that does not exist (foreign keys are enforced) */
	assert_int_equal(org_insert(s, "YY", "city", 4242), RC_ERR_CONFLICT);

	/* a person in a missing organisation */
	assert_int_equal(rc_store_stmt(s, Q_PERSON_INSERT, &st), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 1, "张三"), RC_OK);
	assert_int_equal(rc_stmt_bind_int(st, 2, 999), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 3, NULL), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 4, NULL), RC_OK);
	assert_int_equal(rc_stmt_step(st, &row), RC_ERR_CONFLICT);

	/* after all that: one organisation, and the same statements work */
	assert_int_equal(org_count(s), 1);
	assert_int_equal(org_insert(s, "HZ", "city", zj), RC_OK);
	int64_t hz = org_id(s, "HZ");
	assert_true(hz > zj);
	assert_int_equal(rc_store_stmt(s, Q_PERSON_INSERT, &st), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 1, "张三"), RC_OK);
	assert_int_equal(rc_stmt_bind_int(st, 2, hz), RC_OK);
	assert_int_equal(rc_stmt_bind_str(st, 3, "局长"), RC_OK);
	assert_int_equal(rc_stmt_bind_null(st, 4), RC_OK);
	assert_int_equal(rc_stmt_step(st, &row), RC_OK);
	int64_t pid = rc_store_last_id(s);

	/* text and null columns read back */
	assert_int_equal(rc_store_stmt(s, Q_PERSON_BY_ID, &st), RC_OK);
	assert_int_equal(rc_stmt_bind_int(st, 1, pid), RC_OK);
	assert_int_equal(rc_stmt_step(st, &row), RC_OK);
	assert_int_equal(row, 1);
	size_t len = 0;
	assert_string_equal(rc_stmt_text(st, 0, &len), "张三");
	assert_int_equal(len, strlen("张三"));
	assert_int_equal(rc_stmt_int(st, 1), hz);
	assert_string_equal(rc_stmt_text(st, 2, NULL), "局长");
	assert_int_equal(rc_stmt_is_null(st, 2), 0);
	assert_int_equal(rc_stmt_is_null(st, 3), 1);
	assert_string_equal(rc_stmt_text(st, 3, &len), "");
	assert_int_equal(len, 0);

	struct rc_diags *d = new_diags();
	assert_int_equal(rc_store_check(s, d), RC_OK);
	free(d);
	rc_store_close(s);
	remove_db(path);
}

/* ---- transactions ---------------------------------------------------- */

static void transactions(void **state)
{
	(void)state;
	char path[4096];
	struct rc_store *s = open_migrated(path, sizeof(path));

	/* outside a transaction: commit is an error, rollback a no-op */
	assert_int_equal(rc_store_commit(s), RC_ERR_INTERNAL);
	rc_store_rollback(s);
	rc_store_rollback(NULL);

	/* begin, insert, rollback: nothing is left */
	assert_int_equal(rc_store_begin(s), RC_OK);
	assert_int_equal(org_insert(s, "ZJ", "province", 0), RC_OK);
	assert_true(org_id(s, "ZJ") > 0); /* visible inside */
	assert_int_equal(org_insert(s, "HZ", "city", org_id(s, "ZJ")), RC_OK);
	rc_store_rollback(s);
	assert_int_equal(org_id(s, "ZJ"), 0);
	assert_int_equal(org_id(s, "HZ"), 0);
	assert_int_equal(org_count(s), 0);
	rc_store_rollback(s); /* a second rollback is a no-op */

	/* a nested begin fails, and the outer transaction goes on to commit */
	assert_int_equal(rc_store_begin(s), RC_OK);
	assert_int_equal(rc_store_begin(s), RC_ERR_INTERNAL);
	assert_int_equal(org_insert(s, "ZJ", "province", 0), RC_OK);
	assert_int_equal(rc_store_commit(s), RC_OK);
	assert_int_equal(rc_store_commit(s), RC_ERR_INTERNAL);
	assert_true(org_id(s, "ZJ") > 0);

	/* begin takes the write lock at once: another connection cannot start
	 * a write transaction meanwhile, and can once it is over */
	sqlite3 *other = raw_open(path);
	sqlite3_busy_timeout(other, 0);
	assert_int_equal(rc_store_begin(s), RC_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL) & 0xff,
			 SQLITE_BUSY);
	/* the same through the store: a second store's begin gives up after
	 * its lock timeout with RC_ERR_BUSY, the error worth a retry */
	struct rc_store *b = open_store(path);
	assert_int_equal(rc_store_lock_timeout(b, 50), RC_OK);
	assert_int_equal(rc_store_lock_timeout(b, -1), RC_ERR_RANGE);
	assert_int_equal(rc_store_begin(b), RC_ERR_BUSY);
	rc_store_rollback(s);
	assert_int_equal(rc_store_begin(b), RC_OK);
	rc_store_rollback(b);
	rc_store_close(b);
	raw_exec(other, "BEGIN IMMEDIATE");
	raw_exec(other, "ROLLBACK");
	sqlite3_close(other);

	/* a read transaction sees one moment: what another connection commits
	 * meanwhile appears only after it ends */
	{
		struct rc_store *r = open_store(path);
		int before = org_count(r);
		assert_int_equal(rc_store_begin_read(r), RC_OK);
		assert_int_equal(org_count(r), before); /* the snapshot is taken here */
		assert_int_equal(org_insert(s, "SNAP", "city", org_id(s, "ZJ")), RC_OK);
		assert_int_equal(org_count(r), before);
		rc_store_rollback(r);
		assert_int_equal(org_count(r), before + 1);
		rc_store_close(r);
	}

	/* a store closed inside a transaction rolls it back */
	assert_int_equal(rc_store_begin(s), RC_OK);
	assert_int_equal(org_insert(s, "NB", "city", org_id(s, "ZJ")), RC_OK);
	rc_store_close(s);
	s = open_store(path);
	assert_int_equal(org_id(s, "NB"), 0);
	assert_true(org_id(s, "ZJ") > 0);
	assert_int_equal(org_count(s), 2); /* ZJ and SNAP */
	rc_store_close(s);

	/* committed data is in the file, for any connection */
	sqlite3 *db = raw_open(path);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM orgs WHERE code = 'ZJ'"), 1);
	sqlite3_close(db);
	remove_db(path);
}

/* ---- statements ------------------------------------------------------ */

/* A query is prepared once and reused: calling it again prepares nothing
 * and returns the same statement, reset and with its bindings cleared. */
static void statements_reused(void **state)
{
	(void)state;
	char path[4096];
	struct rc_stmt *a, *b;
	int row = -1;
	struct rc_store *s = open_migrated(path, sizeof(path));
	assert_int_equal(org_insert(s, "ZJ", "province", 0), RC_OK);
	assert_int_equal(org_insert(s, "HZ", "city", 1), RC_OK);
	assert_int_equal(org_insert(s, "NB", "city", 1), RC_OK);

	int before = g_prepares;
	assert_int_equal(rc_store_stmt(s, Q_ORG_BY_CODE, &a), RC_OK);
	assert_int_equal(g_prepares, before + 1);
	assert_int_equal(rc_stmt_bind_str(a, 1, "HZ"), RC_OK);
	assert_int_equal(rc_stmt_step(a, &row), RC_OK);
	assert_int_equal(row, 1);
	assert_string_equal(rc_stmt_text(a, 2, NULL), "city");

	/* the same query again: no new prepare, the same statement */
	assert_int_equal(rc_store_stmt(s, Q_ORG_BY_CODE, &b), RC_OK);
	assert_int_equal(g_prepares, before + 1);
	assert_ptr_equal(a, b);
	/* ... with the binding of the last call cleared (code NULL: no row) */
	assert_int_equal(rc_stmt_step(b, &row), RC_OK);
	assert_int_equal(row, 0);
	for (int i = 0; i < 50; i++)
		assert_true(org_id(s, i % 2 ? "NB" : "ZJ") > 0);
	assert_int_equal(g_prepares, before + 1);

	/* a statement left in the middle of its rows starts from the first
	 * row when asked for again */
	assert_int_equal(rc_store_stmt(s, Q_ORG_LIST, &a), RC_OK);
	assert_int_equal(g_prepares, before + 2);
	assert_int_equal(rc_stmt_step(a, &row), RC_OK);
	assert_int_equal(row, 1);
	assert_string_equal(rc_stmt_text(a, 0, NULL), "ZJ");
	assert_int_equal(rc_stmt_step(a, &row), RC_OK);
	assert_string_equal(rc_stmt_text(a, 0, NULL), "HZ");
	assert_int_equal(org_count(s), 3);
	assert_int_equal(g_prepares, before + 2);

	/* the insert too was prepared once, by the first org_insert */
	before = g_prepares;
	assert_int_equal(org_insert(s, "WZ", "city", 1), RC_OK);
	assert_int_equal(org_insert(s, "WZ", "city", 1), RC_ERR_CONFLICT);
	assert_int_equal(org_insert(s, "JX", "city", 1), RC_OK);
	assert_int_equal(g_prepares, before);

	/* an unknown query is refused */
	assert_int_equal(rc_store_stmt(s, Q__COUNT, &a), RC_ERR_INTERNAL);
	assert_null(a);
	rc_store_close(s);
	remove_db(path);
}

/* rc_store_begin on `s`, failing the test with the reason */
static void must_begin(struct rc_store *s, const char *who, int round)
{
	enum rc_err e = rc_store_begin(s);
	if (e)
		fail_msg("round %d: connection %s cannot begin a transaction after the other "
			 "connection's commit: %s (%s)",
			 round, who, rc_strerror(e), rc_store_errmsg(s));
}

/* Two connections to one file (two processes, or a server and the CLI)
 * take turns: a unit of work on A that looks a row up and inserts, then the
 * same on B, three times; each must be able to begin after the other's
 * commit.  (A statement left on a row after its transaction keeps a read
 * snapshot open on its connection; once the other connection commits,
 * BEGIN IMMEDIATE fails at once with SQLITE_BUSY_SNAPSHOT, which no busy
 * timeout waits out, and reads outside a transaction see the old data.) */
static void two_connections(void **state)
{
	(void)state;
	char path[4096], code[16];
	struct rc_store *a = open_migrated(path, sizeof(path));
	struct rc_store *b = open_store(path);
	assert_int_equal(org_insert(a, "ZJ", "province", 0), RC_OK);

	for (int round = 0; round < 3; round++) {
		/* A: a unit of work that looks a row up, then inserts */
		must_begin(a, "A", round);
		assert_true(org_id(a, "ZJ") > 0); /* leaves the lookup on its row */
		snprintf(code, sizeof(code), "A%d", round);
		assert_int_equal(org_insert(a, code, "city", 1), RC_OK);
		assert_int_equal(rc_store_commit(a), RC_OK);

		/* B: the same, after A */
		must_begin(b, "B", round);
		assert_true(org_id(b, "ZJ") > 0);
		snprintf(code, sizeof(code), "B%d", round);
		assert_int_equal(org_insert(b, code, "city", 1), RC_OK);
		assert_int_equal(rc_store_commit(b), RC_OK);
	}
	/* each sees the other's rows */
	assert_int_equal(org_count(a), 7);
	assert_int_equal(org_count(b), 7);
	rc_store_close(a);
	rc_store_close(b);
	remove_db(path);
}

/* ---- connection settings --------------------------------------------- */

/* The store's own connection runs with WAL, synchronous FULL, foreign keys,
 * secure_delete, untrusted schema and a busy timeout; WAL is recorded in the
 * file, so a connection of our own sees it too. */
static void pragmas(void **state)
{
	(void)state;
	char path[4096], mode[32];
	fresh_path(path, sizeof(path));
	g_opened = NULL;
	struct rc_store *s = open_store(path);
	sqlite3 *db = g_opened; /* the store's connection (sqlite3_open_v2 above) */
	assert_non_null(db);

	raw_text(db, "PRAGMA journal_mode", mode, sizeof(mode));
	assert_string_equal(mode, "wal");
	assert_int_equal(raw_int(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(raw_int(db, "PRAGMA synchronous"), 2); /* FULL */
	assert_int_equal(raw_int(db, "PRAGMA secure_delete"), 1);
	assert_int_equal(raw_int(db, "PRAGMA trusted_schema"), 0);
	assert_true(raw_int(db, "PRAGMA busy_timeout") >= 1000);

	/* the same after migrating */
	struct rc_diags *d = new_diags();
	int from, to;
	assert_int_equal(rc_store_migrate(s, d, &from, &to), RC_OK);
	free(d);
	assert_int_equal(raw_int(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(raw_int(db, "PRAGMA synchronous"), 2);

	sqlite3 *own = raw_open(path);
	raw_text(own, "PRAGMA journal_mode", mode, sizeof(mode));
	assert_string_equal(mode, "wal");
	sqlite3_close(own);
	rc_store_close(s);

	own = raw_open(path);
	raw_text(own, "PRAGMA journal_mode", mode, sizeof(mode));
	assert_string_equal(mode, "wal"); /* persistent in the file */
	sqlite3_close(own);
	remove_db(path);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(g_dir, sizeof(g_dir), "%s/rc-store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(g_dir)) {
		perror("test_store: mkdtemp");
		return 1;
	}
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(open_urls),
	    cmocka_unit_test(schema_migrate),
	    cmocka_unit_test(schema_newer_refused),
	    cmocka_unit_test(check_fresh),
	    cmocka_unit_test(check_foreign_key),
	    cmocka_unit_test(constraint_conflict),
	    cmocka_unit_test(transactions),
	    cmocka_unit_test(statements_reused),
	    cmocka_unit_test(two_connections),
	    cmocka_unit_test(pragmas),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	/* every test removes its databases; remove whatever a failure left */
	char path[4200];
	for (int i = 1; i <= g_files; i++) {
		snprintf(path, sizeof(path), "%s/db-%d.sqlite", g_dir, i);
		remove_db(path);
	}
	rmdir(g_dir);
	return rc;
}
