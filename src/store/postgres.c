/*
 * postgres.c -- the PostgreSQL backend (libpq), for a province on one
 * database with several rongcuo processes in front of it.
 *
 * The same named queries as SQLite (queries.c; ?N becomes $N here) and the
 * same schema in PostgreSQL's dialect (the migrations below, kept in step
 * with sqlite.c's: same versions, same tables and columns; a test compares
 * them).  What SQLite gives by being one file, this backend does
 * explicitly:
 *
 * - one writer at a time: rc_store_begin takes a transaction-scoped
 *   advisory lock, as SQLite's BEGIN IMMEDIATE takes the file's write lock.
 *   Every change writes an audit row and the chain is linear, so changes
 *   are serialised by the chain anyway; taking the lock first means two
 *   processes never both read the chain's head, and no write ever meets a
 *   serialization failure or a deadlock against another rongcuo;
 * - the audit table is append-only in the database itself: a trigger
 *   refuses UPDATE, DELETE and TRUNCATE (migration 1), whoever connects;
 * - the id of the row an insert created comes from lastval(): every table
 *   whose id rc_store_last_id is asked for has an identity column.
 *
 * Values are sent as text and typed by the server from the query (a
 * parameter whose type nothing fixes is cast in queries.c).  A result is
 * read whole (PQexecPrepared), so that statements may interleave as they
 * do on SQLite; the queries that can return many rows are paged by their
 * callers.  A connection's password never appears in a message: the URL
 * is shown with it masked.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/store_int.h"

#define WRITE_LOCK 0x72636f6e /* the advisory lock of writers: "rcon" */
#define MAX_PARAMS 32
#define MAX_SQL    8192
#define ERR_MAX    512

struct pg_db {
	PGconn *conn;
	char err[ERR_MAX]; /* the last error, as errmsg returns it */
	int64_t changes;
	unsigned next_name; /* prepared statement names: s1, s2, ... */
};

struct pg_stmt {
	struct pg_db *db;
	char name[16];
	int nparams;
	char *vals[MAX_PARAMS]; /* owned copies; NULL binds null */
	PGresult *res;          /* the current result, or NULL before the first step */
	int row, nrows;         /* the current row of res */
};

/* ---- errors ------------------------------------------------------------- */

static void set_err(struct pg_db *db, const char *msg)
{
	snprintf(db->err, sizeof(db->err), "%s", msg && *msg ? msg : "unknown error");
	/* libpq's messages end with a newline */
	size_t n = strlen(db->err);
	while (n && (db->err[n - 1] == '\n' || db->err[n - 1] == ' '))
		db->err[--n] = '\0';
}

/* The error of a failed result, mapped to the project's codes; a lost
 * connection is RC_ERR_IO. */
static enum rc_err res_err(struct pg_db *db, PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	set_err(db, r ? PQresultErrorMessage(r) : PQerrorMessage(db->conn));
	if (PQstatus(db->conn) != CONNECTION_OK || !state)
		return RC_ERR_IO;
	if (strncmp(state, "23", 2) == 0) /* integrity constraint violation */
		return RC_ERR_CONFLICT;
	/* serialization failure, deadlock, a lock not granted within
	 * lock_timeout: the transaction may succeed when run again */
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0)
		return RC_ERR_BUSY;
	if (strcmp(state, "54000") == 0 || strcmp(state, "22001") == 0) /* too long */
		return RC_ERR_LIMIT;
	if (strncmp(state, "53", 2) == 0) /* insufficient resources */
		return strcmp(state, "53200") == 0 ? RC_ERR_NOMEM : RC_ERR_IO;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57", 2) == 0 ||
	    strncmp(state, "58", 2) == 0) /* connection, operator intervention, system */
		return RC_ERR_IO;
	return RC_ERR_INTERNAL;
}

/* Run SQL without parameters; multi-statement text allowed. */
static enum rc_err pg_exec(void *vdb, const char *sql)
{
	struct pg_db *db = vdb;
	PGresult *r = PQexec(db->conn, sql);
	ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	enum rc_err e = RC_OK;
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK)
		e = res_err(db, r);
	PQclear(r);
	return e;
}

/* ---- connection --------------------------------------------------------- */

/* Replace every occurrence of secret[0..n) in msg with "***".  A secret
 * too short to search for without masking ordinary words makes the whole
 * message a generic one when it appears in it. */
static void scrub_one(char *msg, size_t cap, const char *secret, size_t n)
{
	if (n < 1)
		return;
	if (n < 4) {
		char s[4];
		memcpy(s, secret, n);
		s[n] = '\0';
		if (strstr(msg, s))
			snprintf(
			    msg, cap, "%s",
			    "the connection failed (libpq's message is withheld: it would show "
			    "the password)");
		return;
	}
	for (char *p = msg; *p;) {
		if (strncmp(p, secret, n) != 0) {
			p++;
			continue;
		}
		memcpy(p, "***", 3);
		memmove(p + 3, p + n, strlen(p + n) + 1);
		p += 3;
	}
}

/* libpq's connection errors may quote the password (a malformed URL is
 * echoed): remove it from the message, as written in the URL and as libpq
 * decoded it, before anything shows the message. */
static void scrub(char *msg, size_t cap, const char *url)
{
	const char *scheme = strstr(url, "://");
	if (scheme) {
		const char *auth = scheme + 3;
		size_t alen = strcspn(auth, "/?#");
		const char *at = memchr(auth, '@', alen);
		const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
		if (colon)
			scrub_one(msg, cap, colon + 1, (size_t)(at - colon - 1));
	}
	for (const char *q = strchr(url, '?'); q && *q;) {
		q++;
		size_t plen = strcspn(q, "&");
		const char *eq = memchr(q, '=', plen);
		if (eq && (size_t)(eq - q) >= 8 && strncasecmp(eq - 8, "password", 8) == 0)
			scrub_one(msg, cap, eq + 1, plen - (size_t)(eq + 1 - q));
		q += plen;
	}
	PQconninfoOption *opts = PQconninfoParse(url, NULL);
	for (PQconninfoOption *op = opts; op && op->keyword; op++)
		if (op->val && strstr(op->keyword, "password"))
			scrub_one(msg, cap, op->val, strlen(op->val));
	PQconninfoFree(opts);
}

static void notice_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* NOTICEs (e.g. "relation exists, skipping") are not errors */
}

static enum rc_err pg_open(const char *target, struct rc_diags *d, void **out)
{
	char shown[1024];
	*out = NULL;
	rc_store_url_shown(target, shown, sizeof(shown));
	struct pg_db *db = calloc(1, sizeof(*db));
	if (!db)
		return RC_ERR_NOMEM;
	db->conn = PQconnectdb(target);
	if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
		set_err(db, db->conn ? PQerrorMessage(db->conn) : "out of memory");
		scrub(db->err, sizeof(db->err), target);
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot connect to the database: %s", shown,
			    db->err);
		PQfinish(db->conn);
		free(db);
		return RC_ERR_IO;
	}
	PQsetNoticeProcessor(db->conn, notice_quiet, NULL);
	/* UTF-8 text both ways; a statement never waits for a lock forever */
	if (PQsetClientEncoding(db->conn, "UTF8") != 0 ||
	    pg_exec(db, "SET lock_timeout = '60s'; SET idle_in_transaction_session_timeout = "
			"'10min'")) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot configure the connection: %s", shown,
			    db->err);
		PQfinish(db->conn);
		free(db);
		return RC_ERR_IO;
	}
	*out = db;
	return RC_OK;
}

static void pg_close(void *vdb)
{
	struct pg_db *db = vdb;
	if (!db)
		return;
	PQfinish(db->conn);
	free(db);
}

static const char *pg_errmsg(void *vdb)
{
	struct pg_db *db = vdb;
	return db->err[0] ? db->err : PQerrorMessage(db->conn);
}

/* ---- transactions ------------------------------------------------------- */

static enum rc_err pg_begin(void *vdb)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "BEGIN; SELECT pg_advisory_xact_lock(%d)", WRITE_LOCK);
	enum rc_err e = pg_exec(vdb, sql);
	if (e)
		pg_exec(vdb, "ROLLBACK");
	return e;
}

static enum rc_err pg_begin_read(void *vdb)
{
	return pg_exec(vdb, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

static enum rc_err pg_lock_timeout(void *vdb, int ms)
{
	char sql[64];
	snprintf(sql, sizeof(sql), "SET lock_timeout = %d", ms);
	return pg_exec(vdb, sql);
}

static enum rc_err pg_commit(void *vdb)
{
	struct pg_db *db = vdb;
	PGresult *r = PQexec(db->conn, "COMMIT");
	enum rc_err e = RC_OK;
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		e = res_err(db, r);
	} else if (strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		/* a transaction that had failed is rolled back by COMMIT */
		set_err(db, "the transaction had failed and was rolled back");
		e = RC_ERR_CONFLICT;
	}
	PQclear(r);
	return e;
}

static void pg_rollback(void *vdb)
{
	pg_exec(vdb, "ROLLBACK");
}

/* ---- statements --------------------------------------------------------- */

/* SQLite's ?N parameters as $N, outside quoted text; the highest N to
 * *nparams. */
static enum rc_err translate(const char *in, char *out, size_t len, int *nparams)
{
	size_t o = 0;
	int quote = 0, max = 0;
	for (const char *p = in; *p; p++) {
		char c = *p;
		if (!quote && (c == '\'' || c == '"'))
			quote = c;
		else if (quote && c == quote)
			quote = 0;
		if (!quote && c == '?' && p[1] >= '0' && p[1] <= '9') {
			c = '$';
			int n = 0;
			for (const char *q = p + 1; *q >= '0' && *q <= '9' && n < 1000; q++)
				n = n * 10 + (*q - '0');
			if (n > max)
				max = n;
		}
		if (o + 1 >= len)
			return RC_ERR_LIMIT;
		out[o++] = c;
	}
	out[o] = '\0';
	if (max > MAX_PARAMS)
		return RC_ERR_LIMIT;
	*nparams = max;
	return RC_OK;
}

static enum rc_err pg_prepare(void *vdb, const char *sql, void **out)
{
	struct pg_db *db = vdb;
	char text[MAX_SQL];
	int n = 0;
	enum rc_err e;
	*out = NULL;
	if ((e = translate(sql, text, sizeof(text), &n)))
		return e;
	struct pg_stmt *st = calloc(1, sizeof(*st));
	if (!st)
		return RC_ERR_NOMEM;
	st->db = db;
	st->nparams = n;
	snprintf(st->name, sizeof(st->name), "s%u", ++db->next_name);
	PGresult *r = PQprepare(db->conn, st->name, text, n, NULL);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		e = res_err(db, r);
		PQclear(r);
		free(st);
		return e;
	}
	PQclear(r);
	*out = st;
	return RC_OK;
}

static void clear_values(struct pg_stmt *st)
{
	for (int i = 0; i < MAX_PARAMS; i++) {
		free(st->vals[i]);
		st->vals[i] = NULL;
	}
}

static void pg_reset(void *vst)
{
	struct pg_stmt *st = vst;
	PQclear(st->res);
	st->res = NULL;
	st->row = st->nrows = 0;
	clear_values(st);
}

static void pg_finalize(void *vst)
{
	struct pg_stmt *st = vst;
	if (!st)
		return;
	pg_reset(st);
	char sql[48];
	snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->name);
	/* outside an aborted transaction; failure only leaks a name */
	PGresult *r = PQexec(st->db->conn, sql);
	PQclear(r);
	free(st);
}

static enum rc_err set_value(struct pg_stmt *st, int i, char *v)
{
	if (i < 1 || i > st->nparams) {
		free(v);
		return RC_ERR_LIMIT; /* as SQLite's SQLITE_RANGE */
	}
	free(st->vals[i - 1]);
	st->vals[i - 1] = v;
	return RC_OK;
}

static enum rc_err pg_bind_int(void *vst, int i, int64_t v)
{
	char *s = malloc(24);
	if (!s)
		return RC_ERR_NOMEM;
	snprintf(s, 24, "%lld", (long long)v);
	return set_value(vst, i, s);
}

static enum rc_err pg_bind_text(void *vst, int i, const char *v, size_t len)
{
	/* PostgreSQL text cannot hold NUL */
	if (memchr(v, '\0', len))
		return RC_ERR_RANGE;
	char *s = malloc(len + 1);
	if (!s)
		return RC_ERR_NOMEM;
	memcpy(s, v, len);
	s[len] = '\0';
	return set_value(vst, i, s);
}

static enum rc_err pg_bind_null(void *vst, int i)
{
	return set_value(vst, i, NULL);
}

static enum rc_err pg_step(void *vst, int *row)
{
	struct pg_stmt *st = vst;
	struct pg_db *db = st->db;
	*row = 0;
	if (!st->res) {
		PGresult *r = PQexecPrepared(db->conn, st->name, st->nparams,
					     (const char *const *)st->vals, NULL, NULL, 0);
		ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
		if (t == PGRES_COMMAND_OK) {
			const char *n = PQcmdTuples(r);
			db->changes = *n ? strtoll(n, NULL, 10) : 0;
			PQclear(r);
			return RC_OK;
		}
		if (t != PGRES_TUPLES_OK) {
			enum rc_err e = res_err(db, r);
			PQclear(r);
			return e;
		}
		st->res = r;
		st->nrows = PQntuples(r);
		st->row = -1;
	}
	if (st->row + 1 < st->nrows) {
		st->row++;
		*row = 1;
	} else {
		st->row = st->nrows;
	}
	return RC_OK;
}

static int64_t pg_col_int(void *vst, int col)
{
	struct pg_stmt *st = vst;
	if (!st->res || st->row < 0 || st->row >= st->nrows || col >= PQnfields(st->res))
		return 0;
	return strtoll(PQgetvalue(st->res, st->row, col), NULL, 10);
}

static const char *pg_col_text(void *vst, int col, size_t *len)
{
	struct pg_stmt *st = vst;
	if (!st->res || st->row < 0 || st->row >= st->nrows || col >= PQnfields(st->res)) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = (size_t)PQgetlength(st->res, st->row, col);
	return PQgetvalue(st->res, st->row, col); /* "" for null */
}

static int pg_col_is_null(void *vst, int col)
{
	struct pg_stmt *st = vst;
	if (!st->res || st->row < 0 || st->row >= st->nrows || col >= PQnfields(st->res))
		return 1;
	return PQgetisnull(st->res, st->row, col);
}

static int64_t pg_last_id(void *vdb)
{
	struct pg_db *db = vdb;
	PGresult *r = PQexec(db->conn, "SELECT lastval()");
	int64_t id = 0;
	if (r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return id;
}

static int64_t pg_changes(void *vdb)
{
	return ((struct pg_db *)vdb)->changes;
}

/* Rows copied with their ids leave an identity column's sequence behind:
 * move it past the largest id.  The names are the schema's own (copy.c),
 * quoted as identifiers all the same. */
static enum rc_err pg_ids_sync(void *vdb, const char *table, const char *key)
{
	struct pg_db *db = vdb;
	char *t = PQescapeIdentifier(db->conn, table, strlen(table));
	char *k = PQescapeIdentifier(db->conn, key, strlen(key));
	char *tl = PQescapeLiteral(db->conn, table, strlen(table));
	char *kl = PQescapeLiteral(db->conn, key, strlen(key));
	enum rc_err e = RC_ERR_NOMEM;
	if (t && k && tl && kl) {
		char sql[512];
		snprintf(sql, sizeof(sql),
			 "SELECT setval(pg_get_serial_sequence(%s, %s), coalesce(max(%s), 0) + 1, "
			 "false) FROM %s",
			 tl, kl, k, t);
		e = pg_exec(db, sql);
	}
	PQfreemem(t);
	PQfreemem(k);
	PQfreemem(tl);
	PQfreemem(kl);
	return e;
}

/* ---- check -------------------------------------------------------------- */

/* The server enforces foreign keys and checks on every write; what can
 * still be wrong is a constraint added NOT VALID and never validated, an
 * index left invalid by a failed concurrent build, or the audit trigger
 * gone. */
static enum rc_err pg_check(void *vdb, struct rc_diags *d)
{
	struct pg_db *db = vdb;
	static const char *const checks[][2] = {
	    {"SELECT 'constraint ' || conname || ' on ' || conrelid::regclass || ' is not "
	     "validated' FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
	     "WHERE n.nspname = current_schema() AND NOT c.convalidated",
	     "constraints"},
	    {"SELECT 'index ' || indexrelid::regclass || ' is invalid' FROM pg_index i "
	     "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = "
	     "c.relnamespace WHERE n.nspname = current_schema() AND NOT i.indisvalid",
	     "indexes"},
	    {"SELECT 'the audit table is not protected by its trigger ' || t "
	     "FROM unnest(ARRAY['audit_append_only', 'audit_no_truncate']) AS t "
	     "WHERE to_regclass('audit') IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_trigger "
	     "WHERE tgrelid = to_regclass('audit') AND tgname = t AND tgenabled IN ('O', 'A'))",
	     "audit"},
	};
	enum rc_err e = RC_OK;
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		PGresult *r = PQexec(db->conn, checks[i][0]);
		if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
			enum rc_err x = res_err(db, r);
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: %s", checks[i][1], db->err);
			e = x;
		} else {
			for (int j = 0; j < PQntuples(r) && j < 20; j++)
				rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: %s", checks[i][1],
					    PQgetvalue(r, j, 0));
			if (PQntuples(r) && !e)
				e = RC_ERR_INTERNAL;
		}
		PQclear(r);
	}
	return e;
}

/* ---- schema ------------------------------------------------------------- */

/* Migrations: append only, a released migration is never edited; the same
 * versions as sqlite.c's, each creating the same tables and columns in
 * PostgreSQL's types: ids are identity columns, integers BIGINT, the audit
 * column "user" quoted (a reserved word). */
static const struct rc_migration pg_migrations[] = {
    {1, "core records and the audit chain",
     "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
     "CREATE TABLE orgs("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " code TEXT NOT NULL UNIQUE,"
     " name TEXT NOT NULL,"
     " level TEXT NOT NULL CHECK(level IN ('province','city','county','unit')),"
     " parent_id BIGINT REFERENCES orgs(id));"
     "CREATE TABLE people("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " name TEXT NOT NULL,"
     " org_id BIGINT NOT NULL REFERENCES orgs(id),"
     " post TEXT, rank TEXT);"
     "CREATE TABLE users("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " login TEXT NOT NULL UNIQUE,"
     " name TEXT NOT NULL,"
     " org_id BIGINT NOT NULL REFERENCES orgs(id),"
     " role TEXT NOT NULL,"
     " disabled BIGINT NOT NULL DEFAULT 0);"
     "CREATE TABLE cases("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " code TEXT NOT NULL UNIQUE,"
     " person_id BIGINT REFERENCES people(id),"
     " org_id BIGINT REFERENCES orgs(id),"
     " start_path TEXT NOT NULL CHECK(start_path IN ('application','ex_officio')),"
     " source TEXT,"
     " accountability_ref TEXT,"
     " handling_org_id BIGINT NOT NULL REFERENCES orgs(id),"
     " committee_org_id BIGINT REFERENCES orgs(id),"
     " policy_series TEXT NOT NULL,"
     " policy_version TEXT NOT NULL,"
     " state TEXT NOT NULL,"
     " created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL,"
     " prepared_by BIGINT REFERENCES users(id),"
     " row_version BIGINT NOT NULL DEFAULT 1,"
     " CHECK(person_id IS NOT NULL OR org_id IS NOT NULL));"
     "CREATE INDEX cases_by_org ON cases(handling_org_id, state);"
     "CREATE TABLE audit("
     " seq BIGINT PRIMARY KEY,"
     " at TEXT NOT NULL,"
     " \"user\" TEXT NOT NULL,"
     " role TEXT NOT NULL,"
     " org TEXT NOT NULL,"
     " action TEXT NOT NULL,"
     " object TEXT NOT NULL,"
     " before TEXT NOT NULL,"
     " after TEXT NOT NULL,"
     " request_id TEXT NOT NULL,"
     " prev_mac TEXT NOT NULL,"
     " mac TEXT NOT NULL);"
     /* append-only in the database itself, whoever connects: rows are only
      * ever inserted (audit.h); ERRCODE 42501 is insufficient_privilege */
     "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
     "RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP "
     "USING ERRCODE = '42501'; END $$;"
     "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit "
     "FOR EACH ROW EXECUTE FUNCTION audit_append_only();"
     "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit "
     "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();"},
    {2, "case steps with their deadlines",
     "CREATE TABLE case_steps("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " case_id BIGINT NOT NULL REFERENCES cases(id),"
     " step TEXT NOT NULL,"
     " entered_on TEXT NOT NULL,"
     " due_on TEXT,"
     " user_id BIGINT NOT NULL REFERENCES users(id),"
     " note TEXT);"
     "CREATE INDEX case_steps_by_case ON case_steps(case_id, id);"},
    {3, "facts with provenance, recommendations, decisions, effects",
     "CREATE TABLE case_facts("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " case_id BIGINT NOT NULL REFERENCES cases(id),"
     " name TEXT NOT NULL,"
     " value_json TEXT NOT NULL,"
     " user_id BIGINT NOT NULL REFERENCES users(id),"
     " at TEXT NOT NULL,"
     " evidence TEXT,"
     " disputed BIGINT NOT NULL DEFAULT 0,"
     " current BIGINT NOT NULL DEFAULT 1);"
     "CREATE UNIQUE INDEX case_facts_current ON case_facts(case_id, name) WHERE current = 1;"
     "CREATE TABLE recommendations("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " case_id BIGINT NOT NULL REFERENCES cases(id),"
     " at TEXT NOT NULL,"
     " user_id BIGINT NOT NULL REFERENCES users(id),"
     " conduct_on TEXT, decision_on TEXT,"
     " applied_version TEXT NOT NULL,"
     " policy_digest TEXT NOT NULL,"
     " facts_json TEXT NOT NULL,"
     " result_json TEXT NOT NULL,"
     " state TEXT NOT NULL,"
     " band TEXT NOT NULL);"
     "CREATE TABLE decisions("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " case_id BIGINT NOT NULL UNIQUE REFERENCES cases(id),"
     " recommendation_id BIGINT NOT NULL REFERENCES recommendations(id),"
     " body_org_id BIGINT NOT NULL REFERENCES orgs(id),"
     " meeting_on TEXT NOT NULL,"
     " outcome TEXT NOT NULL,"
     " legal_basis TEXT NOT NULL,"
     " reasons TEXT,"
     " differs BIGINT NOT NULL,"
     " user_id BIGINT NOT NULL REFERENCES users(id),"
     " CHECK(differs = 0 OR length(reasons) > 0));"
     "CREATE TABLE effects("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " person_id BIGINT NOT NULL REFERENCES people(id),"
     " decision_id BIGINT NOT NULL REFERENCES decisions(id),"
     " impact_table TEXT NOT NULL,"
     " sanction TEXT NOT NULL,"
     " start_on TEXT NOT NULL,"
     " end_on TEXT,"
     " extra_end_on TEXT,"
     " article TEXT);"
     "CREATE INDEX effects_by_person ON effects(person_id, start_on);"},
    {4,
     "consultation, notification, appeal and review, filing, rectification, follow-up visits, "
     "clarification",
     /* 会商研判, 一事一议 (DOMAIN.md §3): one consultation per case, its
      * participants (with recusals) and one written opinion per department. */
     "CREATE TABLE consultations("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " case_id BIGINT NOT NULL UNIQUE REFERENCES cases(id),"
     " held_on TEXT NOT NULL,"
     " minutes TEXT NOT NULL,"
     " user_id BIGINT NOT NULL REFERENCES users(id),"
     " at TEXT NOT NULL);"
     "CREATE TABLE consultation_participants("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " consultation_id BIGINT NOT NULL REFERENCES consultations(id),"
     " dept TEXT NOT NULL CHECK(dept IN ('纪检','组织','信访','审计','行业主管部门',"
     "'第三方机构','法律顾问')),"
     " name TEXT NOT NULL,"
     " recused BIGINT NOT NULL DEFAULT 0 CHECK(recused IN (0, 1)),"
     " reason TEXT,"
     " user_id BIGINT NOT NULL REFERENCES users(id),"
     " UNIQUE(consultation_id, dept, name),"
     " CHECK(recused = 0 OR length(reason) > 0));"
     "CREATE TABLE consultation_opinions("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " consultation_id BIGINT NOT NULL REFERENCES consultations(id),"
     " dept TEXT NOT NULL CHECK(dept IN ('纪检','组织','信访','审计','行业主管部门',"
     "'第三方机构','法律顾问')),"
     " opinion TEXT NOT NULL,"
     " dissent TEXT,"
     " user_id BIGINT NOT NULL REFERENCES users(id),"
     " UNIQUE(consultation_id, dept));"
     "CREATE TABLE notifications("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " case_id BIGINT NOT NULL REFERENCES cases(id),"
     " recipient TEXT NOT NULL,"
     " notified_on TEXT NOT NULL,"
     " how TEXT NOT NULL CHECK(how IN ('书面','当面','其他')),"
     " user_id BIGINT NOT NULL REFERENCES users(id));"
     "CREATE INDEX notifications_by_case ON notifications(case_id, notified_on);"
     "CREATE TABLE appeals("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " case_id BIGINT NOT NULL UNIQUE REFERENCES cases(id),"
     " filed_on TEXT NOT NULL,"
     " appellant TEXT NOT NULL,"
     " grounds TEXT NOT NULL,"
     " notified_on TEXT NOT NULL,"
     " deadline_on TEXT NOT NULL,"
     " user_id BIGINT NOT NULL REFERENCES users(id),"
     " CHECK(filed_on >= notified_on AND filed_on <= deadline_on));"
     "CREATE TABLE reviews("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " appeal_id BIGINT NOT NULL UNIQUE REFERENCES appeals(id),"
     " reviewed_on TEXT NOT NULL,"
     " result TEXT NOT NULL CHECK(result IN ('维持','变更','撤销')),"
     " reasons TEXT NOT NULL,"
     " user_id BIGINT NOT NULL REFERENCES users(id));"
     "CREATE TABLE filings("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " case_id BIGINT NOT NULL REFERENCES cases(id),"
     " org_id BIGINT NOT NULL REFERENCES orgs(id),"
     " filed_on TEXT NOT NULL,"
     " user_id BIGINT NOT NULL REFERENCES users(id),"
     " UNIQUE(case_id, org_id));"
     /* 纠错 (容纠并举): tasks numbered 1, 2, ... within their case; a done
      * task names who verified it, never its creator. */
     "CREATE TABLE rectification_tasks("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " case_id BIGINT NOT NULL REFERENCES cases(id),"
     " no BIGINT NOT NULL,"
     " owner TEXT NOT NULL,"
     " due_on TEXT NOT NULL,"
     " what TEXT NOT NULL,"
     " created_by BIGINT NOT NULL REFERENCES users(id),"
     " created_at TEXT NOT NULL,"
     " done_on TEXT,"
     " done_by BIGINT REFERENCES users(id),"
     " verified_by BIGINT REFERENCES users(id),"
     " UNIQUE(case_id, no),"
     " CHECK((done_on IS NULL) = (verified_by IS NULL)),"
     " CHECK(verified_by IS NULL OR verified_by <> created_by));"
     "CREATE INDEX rectification_tasks_open ON rectification_tasks(due_on) WHERE done_on IS NULL;"
     "CREATE TABLE follow_ups("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " case_id BIGINT NOT NULL REFERENCES cases(id),"
     " visited_on TEXT NOT NULL,"
     " notes TEXT NOT NULL,"
     " user_id BIGINT NOT NULL REFERENCES users(id));"
     "CREATE INDEX follow_ups_by_case ON follow_ups(case_id, visited_on);"
     /* 澄清正名 (DOMAIN.md §4): a record of its own, about an official, not a
      * case. */
     "CREATE TABLE clarifications("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " person_id BIGINT NOT NULL REFERENCES people(id),"
     " complaint TEXT NOT NULL,"
     " state TEXT NOT NULL CHECK(state IN ('opened','decided','closed','issued','filed',"
     "'referred')),"
     " unfounded BIGINT CHECK(unfounded IN (0, 1)),"
     " form TEXT CHECK(form IN ('书面','会议','通报')),"
     " scope TEXT,"
     " issued_on TEXT,"
     " filed_on TEXT,"
     " referred_to TEXT,"
     " opened_by BIGINT NOT NULL REFERENCES users(id),"
     " opened_at TEXT NOT NULL,"
     " decided_by BIGINT REFERENCES users(id),"
     " CHECK(unfounded IS DISTINCT FROM 1 OR (form IS NOT NULL AND length(scope) > 0)),"
     " CHECK(decided_by IS NULL OR decided_by <> opened_by));"
     "CREATE INDEX clarifications_by_person ON clarifications(person_id);"},
    {5, "the written reason of a finding on an analysis standard",
     /* DOMAIN.md §2.5: a graded finding per standard with a written reason,
      * evidence links and the assessor. */
     "ALTER TABLE case_facts ADD COLUMN reason TEXT;"},
    {6, "evidence files, content-addressed by SM3",
     "CREATE TABLE evidence("
     " sm3 TEXT PRIMARY KEY CHECK(length(sm3) = 64),"
     " size BIGINT NOT NULL CHECK(size >= 0),"
     " name TEXT NOT NULL,"
     " user_id BIGINT NOT NULL REFERENCES users(id),"
     " at TEXT NOT NULL);"},
    {7, "imported historical cases: their source row and recorded outcome",
     /* A case imported from a file (`rongcuo import cases`) keeps where it
      * came from, and the outcome (认定结果) its history records: a record of
      * the past, not a decision of this system, which the decisions table
      * holds with its recommendation. */
     "CREATE TABLE case_imports("
     " case_id BIGINT PRIMARY KEY REFERENCES cases(id),"
     " file TEXT NOT NULL,"
     " row BIGINT NOT NULL,"
     " outcome TEXT,"
     " decided_on TEXT,"
     " user_id BIGINT NOT NULL REFERENCES users(id),"
     " at TEXT NOT NULL,"
     " CHECK(decided_on IS NULL OR outcome IS NOT NULL));"},
    {8, "idempotency keys: a change made once whatever the retries",
     /* The key a client chose for a change, written in the change's own
      * transaction (procedure/unit.c): a retry finds it and changes
      * nothing. */
     "CREATE TABLE idempotency("
     " key TEXT PRIMARY KEY,"
     " action TEXT NOT NULL,"
     " object TEXT NOT NULL,"
     " seq BIGINT NOT NULL,"
     " at TEXT NOT NULL);"},
    {9, "accounts and sessions: passwords, TOTP, back-off, server-side sessions",
     /* procedure/auth.c.  A password is its argon2id PHC string; a TOTP
      * secret is sealed (SM4) under a key derived from the audit key, and
      * waits in totp_pending until a first code proves the authenticator
      * has it.  A session is known by the SM3 of its id only. */
     "ALTER TABLE users ADD COLUMN password_hash TEXT;"
     "ALTER TABLE users ADD COLUMN totp_secret TEXT;"
     "ALTER TABLE users ADD COLUMN totp_pending TEXT;"
     "ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT -1;"
     "ALTER TABLE users ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;"
     "ALTER TABLE users ADD COLUMN locked_until TEXT;"
     "ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;"
     "CREATE TABLE sessions("
     " id_hash TEXT PRIMARY KEY CHECK(length(id_hash) = 64),"
     " user_id BIGINT NOT NULL REFERENCES users(id),"
     " created_at TEXT NOT NULL,"
     " last_seen_at TEXT NOT NULL,"
     " absolute_expiry_at TEXT NOT NULL,"
     " idle_timeout_s BIGINT NOT NULL CHECK(idle_timeout_s > 0),"
     " revoked BIGINT NOT NULL DEFAULT 0 CHECK(revoked IN (0, 1)));"
     "CREATE INDEX sessions_by_user ON sessions(user_id);"},
    {10, "reading a case's audit history and listing cases by date",
     /* As SQLite's.  The range on the object ("case:CODE/" up to
      * "case:CODE0") needs byte order, which SQLite's BINARY has and a
      * locale's collation need not: the column takes the "C" collation.
      * Changing a column's type rewrites the table without firing its
      * row triggers, so the append-only guard stays as it is. */
     "ALTER TABLE audit ALTER COLUMN object SET DATA TYPE TEXT COLLATE \"C\";"
     "CREATE INDEX audit_by_object ON audit(object);"
     "CREATE INDEX cases_by_created ON cases(created_at);"},
    {11, "API tokens: bearer credentials of the JSON API",
     /* As SQLite's. */
     "CREATE TABLE api_tokens("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " id_hash TEXT NOT NULL UNIQUE CHECK(length(id_hash) = 64),"
     " user_id BIGINT NOT NULL REFERENCES users(id),"
     " label TEXT NOT NULL,"
     " created_at TEXT NOT NULL,"
     " expires_at TEXT,"
     " revoked BIGINT NOT NULL DEFAULT 0 CHECK(revoked IN (0, 1)));"
     "CREATE INDEX api_tokens_by_user ON api_tokens(user_id);"},
    {12, "the case list by unit or step, newest first; an official's cases; the tree",
     /* The case list pages the cases of a scope newest first (procedure/
      * views.c): (handling unit, id) and (step, id) let it walk the cases
      * in id order and stop at a page instead of sorting the scope's; an
      * official's page finds their cases by person; every scope walks the
      * organisation tree down by parent. */
     "CREATE INDEX cases_by_org_id ON cases(handling_org_id, id);"
     "CREATE INDEX cases_by_state_id ON cases(state, id);"
     "CREATE INDEX cases_by_person ON cases(person_id);"
     "CREATE INDEX orgs_by_parent ON orgs(parent_id);"},
    {13, "the categories each recommendation found true, for the case list's filter",
     /* As SQLite's, reading result_json as jsonb.  A text that is not JSON
      * would stop the cast, and the migration with it; the function, for
      * this migration only, turns it into no situation instead (PostgreSQL
      * 15 has no test of a text's validity without trying it). */
     "CREATE INDEX recommendations_by_case ON recommendations(case_id, id);"
     "CREATE TABLE recommendation_categories("
     " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
     " recommendation_id BIGINT NOT NULL REFERENCES recommendations(id),"
     " case_id BIGINT NOT NULL REFERENCES cases(id),"
     " category TEXT NOT NULL,"
     " current BIGINT NOT NULL DEFAULT 1 CHECK(current IN (0, 1)));"
     "CREATE FUNCTION rc_m13_situations(t TEXT) RETURNS SETOF jsonb LANGUAGE plpgsql AS $$ "
     "DECLARE j jsonb; BEGIN "
     "BEGIN j := t::jsonb; EXCEPTION WHEN others THEN RETURN; END; "
     "IF jsonb_typeof(j -> 'situations') = 'array' THEN "
     "RETURN QUERY SELECT jsonb_array_elements(j -> 'situations'); END IF; END $$;"
     "INSERT INTO recommendation_categories(recommendation_id, case_id, category, current) "
     "SELECT DISTINCT r.id, r.case_id, s.v ->> 'category', "
     "CASE WHEN r.id = (SELECT max(n.id) FROM recommendations n WHERE n.case_id = r.case_id) "
     "THEN 1 ELSE 0 END "
     "FROM recommendations r CROSS JOIN LATERAL rc_m13_situations(r.result_json) AS s(v) "
     "WHERE jsonb_typeof(s.v -> 'value') = 'string' AND s.v ->> 'value' = 'true' "
     "AND jsonb_typeof(s.v -> 'category') = 'string' "
     "ORDER BY r.id, 3;"
     "DROP FUNCTION rc_m13_situations(TEXT);"
     "CREATE UNIQUE INDEX recommendation_categories_once "
     "ON recommendation_categories(recommendation_id, category);"
     "CREATE UNIQUE INDEX recommendation_categories_current "
     "ON recommendation_categories(case_id, category) WHERE current = 1;"
     "CREATE INDEX recommendation_categories_by_category "
     "ON recommendation_categories(category, case_id) WHERE current = 1;"},
    {14, "the official a 当事人's account is; cases by their subject's unit",
     /* A 当事人 sees and acts on the cases about them, wherever they are
      * handled, and on nothing else; their account is tied to the official
      * record it is, a row here (none for every other role:
      * procedure/common.c, rc_proc_case_scope).  A table of its own, not a
      * column of users: the relation is one role's, and a table is what
      * can be dropped again.  A 所在单位 sees the cases about an official
      * or a unit of its own organisation or below: the subject's unit,
      * indexed both ways. */
     "CREATE TABLE user_people("
     " user_id BIGINT PRIMARY KEY REFERENCES users(id),"
     " person_id BIGINT NOT NULL REFERENCES people(id));"
     "CREATE INDEX user_people_by_person ON user_people(person_id);"
     "CREATE INDEX cases_by_subject_org ON cases(org_id);"
     "CREATE INDEX people_by_org ON people(org_id);"},
    {15, "one 当事人 account per official",
     /* An official is one person: two accounts tied to one official would
      * be two people reading their cases.  Where a database has two, the
      * account tied first keeps the tie and the others lose it -- they
      * then reach no case (fail closed) until 安全管理员 ties them anew. */
     "DELETE FROM user_people WHERE user_id NOT IN "
     "(SELECT min(user_id) FROM user_people GROUP BY person_id);"
     "DROP INDEX user_people_by_person;"
     "CREATE UNIQUE INDEX user_people_by_person ON user_people(person_id);"},
};
const struct rc_store_ops rc_store_postgres = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .errmsg = pg_errmsg,
    .exec = pg_exec,
    .begin = pg_begin,
    .begin_read = pg_begin_read,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_is_null = pg_col_is_null,
    .last_id = pg_last_id,
    .changes = pg_changes,
    .check = pg_check,
    .cache = NULL,
    .lock_timeout = pg_lock_timeout,
    .ids_sync = pg_ids_sync,
    .sql = rc_store_queries,
    .migrations = pg_migrations,
    .n_migrations = (int)(sizeof(pg_migrations) / sizeof(pg_migrations[0])),
};
