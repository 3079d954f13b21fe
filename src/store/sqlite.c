/*
 * sqlite.c -- the embedded SQLite backend (the default store).
 *
 * One file in the data directory, nothing to install or run.  Durability
 * settings follow the requirements: write-ahead log, synchronous
 * FULL (a commit that returned is on disk), foreign keys enforced, deleted
 * content overwritten (secure_delete), and a busy timeout so that several
 * processes take turns instead of failing.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <string.h>

#include "store/store_int.h"

/* Migrations: append only; a released migration is never edited. */
static const struct rc_migration sqlite_migrations[] = {
    {1, "core records and the audit chain",
     "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
     "CREATE TABLE orgs("
     " id INTEGER PRIMARY KEY,"
     " code TEXT NOT NULL UNIQUE,"
     " name TEXT NOT NULL,"
     " level TEXT NOT NULL CHECK(level IN ('province','city','county','unit')),"
     " parent_id INTEGER REFERENCES orgs(id));"
     "CREATE TABLE people("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL,"
     " org_id INTEGER NOT NULL REFERENCES orgs(id),"
     " post TEXT, rank TEXT);"
     "CREATE TABLE users("
     " id INTEGER PRIMARY KEY,"
     " login TEXT NOT NULL UNIQUE,"
     " name TEXT NOT NULL,"
     " org_id INTEGER NOT NULL REFERENCES orgs(id),"
     " role TEXT NOT NULL,"
     " disabled INTEGER NOT NULL DEFAULT 0);"
     "CREATE TABLE cases("
     " id INTEGER PRIMARY KEY,"
     " code TEXT NOT NULL UNIQUE,"
     " person_id INTEGER REFERENCES people(id),"
     " org_id INTEGER REFERENCES orgs(id),"
     " start_path TEXT NOT NULL CHECK(start_path IN ('application','ex_officio')),"
     " source TEXT,"
     " accountability_ref TEXT,"
     " handling_org_id INTEGER NOT NULL REFERENCES orgs(id),"
     " committee_org_id INTEGER REFERENCES orgs(id),"
     " policy_series TEXT NOT NULL,"
     " policy_version TEXT NOT NULL,"
     " state TEXT NOT NULL,"
     " created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL,"
     " prepared_by INTEGER REFERENCES users(id),"
     " row_version INTEGER NOT NULL DEFAULT 1,"
     " CHECK(person_id IS NOT NULL OR org_id IS NOT NULL));"
     "CREATE INDEX cases_by_org ON cases(handling_org_id, state);"
     "CREATE TABLE audit("
     " seq INTEGER PRIMARY KEY,"
     " at TEXT NOT NULL,"
     " user TEXT NOT NULL,"
     " role TEXT NOT NULL,"
     " org TEXT NOT NULL,"
     " action TEXT NOT NULL,"
     " object TEXT NOT NULL,"
     " before TEXT NOT NULL,"
     " after TEXT NOT NULL,"
     " request_id TEXT NOT NULL,"
     " prev_mac TEXT NOT NULL,"
     " mac TEXT NOT NULL);"},
    {2, "case steps with their deadlines",
     "CREATE TABLE case_steps("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " step TEXT NOT NULL,"
     " entered_on TEXT NOT NULL,"
     " due_on TEXT,"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " note TEXT);"
     "CREATE INDEX case_steps_by_case ON case_steps(case_id, id);"},
    {3, "facts with provenance, recommendations, decisions, effects",
     "CREATE TABLE case_facts("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " name TEXT NOT NULL,"
     " value_json TEXT NOT NULL,"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " at TEXT NOT NULL,"
     " evidence TEXT,"
     " disputed INTEGER NOT NULL DEFAULT 0,"
     " current INTEGER NOT NULL DEFAULT 1);"
     "CREATE UNIQUE INDEX case_facts_current ON case_facts(case_id, name) WHERE current = 1;"
     "CREATE TABLE recommendations("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " at TEXT NOT NULL,"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " conduct_on TEXT, decision_on TEXT,"
     " applied_version TEXT NOT NULL,"
     " policy_digest TEXT NOT NULL,"
     " facts_json TEXT NOT NULL,"
     " result_json TEXT NOT NULL,"
     " state TEXT NOT NULL,"
     " band TEXT NOT NULL);"
     "CREATE TABLE decisions("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),"
     " recommendation_id INTEGER NOT NULL REFERENCES recommendations(id),"
     " body_org_id INTEGER NOT NULL REFERENCES orgs(id),"
     " meeting_on TEXT NOT NULL,"
     " outcome TEXT NOT NULL,"
     " legal_basis TEXT NOT NULL,"
     " reasons TEXT,"
     " differs INTEGER NOT NULL,"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " CHECK(differs = 0 OR length(reasons) > 0));"
     "CREATE TABLE effects("
     " id INTEGER PRIMARY KEY,"
     " person_id INTEGER NOT NULL REFERENCES people(id),"
     " decision_id INTEGER NOT NULL REFERENCES decisions(id),"
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
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),"
     " held_on TEXT NOT NULL,"
     " minutes TEXT NOT NULL,"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " at TEXT NOT NULL);"
     "CREATE TABLE consultation_participants("
     " id INTEGER PRIMARY KEY,"
     " consultation_id INTEGER NOT NULL REFERENCES consultations(id),"
     " dept TEXT NOT NULL CHECK(dept IN ('纪检','组织','信访','审计','行业主管部门',"
     "'第三方机构','法律顾问')),"
     " name TEXT NOT NULL,"
     " recused INTEGER NOT NULL DEFAULT 0 CHECK(recused IN (0, 1)),"
     " reason TEXT,"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " UNIQUE(consultation_id, dept, name),"
     " CHECK(recused = 0 OR length(reason) > 0));"
     "CREATE TABLE consultation_opinions("
     " id INTEGER PRIMARY KEY,"
     " consultation_id INTEGER NOT NULL REFERENCES consultations(id),"
     " dept TEXT NOT NULL CHECK(dept IN ('纪检','组织','信访','审计','行业主管部门',"
     "'第三方机构','法律顾问')),"
     " opinion TEXT NOT NULL,"
     " dissent TEXT,"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " UNIQUE(consultation_id, dept));"
     "CREATE TABLE notifications("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " recipient TEXT NOT NULL,"
     " notified_on TEXT NOT NULL,"
     " how TEXT NOT NULL CHECK(how IN ('书面','当面','其他')),"
     " user_id INTEGER NOT NULL REFERENCES users(id));"
     "CREATE INDEX notifications_by_case ON notifications(case_id, notified_on);"
     "CREATE TABLE appeals("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),"
     " filed_on TEXT NOT NULL,"
     " appellant TEXT NOT NULL,"
     " grounds TEXT NOT NULL,"
     " notified_on TEXT NOT NULL,"
     " deadline_on TEXT NOT NULL,"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " CHECK(filed_on >= notified_on AND filed_on <= deadline_on));"
     "CREATE TABLE reviews("
     " id INTEGER PRIMARY KEY,"
     " appeal_id INTEGER NOT NULL UNIQUE REFERENCES appeals(id),"
     " reviewed_on TEXT NOT NULL,"
     " result TEXT NOT NULL CHECK(result IN ('维持','变更','撤销')),"
     " reasons TEXT NOT NULL,"
     " user_id INTEGER NOT NULL REFERENCES users(id));"
     "CREATE TABLE filings("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " org_id INTEGER NOT NULL REFERENCES orgs(id),"
     " filed_on TEXT NOT NULL,"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " UNIQUE(case_id, org_id));"
     /* 纠错 (容纠并举): tasks numbered 1, 2, ... within their case; a done
      * task names who verified it, never its creator. */
     "CREATE TABLE rectification_tasks("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " no INTEGER NOT NULL,"
     " owner TEXT NOT NULL,"
     " due_on TEXT NOT NULL,"
     " what TEXT NOT NULL,"
     " created_by INTEGER NOT NULL REFERENCES users(id),"
     " created_at TEXT NOT NULL,"
     " done_on TEXT,"
     " done_by INTEGER REFERENCES users(id),"
     " verified_by INTEGER REFERENCES users(id),"
     " UNIQUE(case_id, no),"
     " CHECK((done_on IS NULL) = (verified_by IS NULL)),"
     " CHECK(verified_by IS NULL OR verified_by <> created_by));"
     "CREATE INDEX rectification_tasks_open ON rectification_tasks(due_on) WHERE done_on IS NULL;"
     "CREATE TABLE follow_ups("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " visited_on TEXT NOT NULL,"
     " notes TEXT NOT NULL,"
     " user_id INTEGER NOT NULL REFERENCES users(id));"
     "CREATE INDEX follow_ups_by_case ON follow_ups(case_id, visited_on);"
     /* 澄清正名 (DOMAIN.md §4): a record of its own, about an official, not a
      * case. */
     "CREATE TABLE clarifications("
     " id INTEGER PRIMARY KEY,"
     " person_id INTEGER NOT NULL REFERENCES people(id),"
     " complaint TEXT NOT NULL,"
     " state TEXT NOT NULL CHECK(state IN ('opened','decided','closed','issued','filed',"
     "'referred')),"
     " unfounded INTEGER CHECK(unfounded IN (0, 1)),"
     " form TEXT CHECK(form IN ('书面','会议','通报')),"
     " scope TEXT,"
     " issued_on TEXT,"
     " filed_on TEXT,"
     " referred_to TEXT,"
     " opened_by INTEGER NOT NULL REFERENCES users(id),"
     " opened_at TEXT NOT NULL,"
     " decided_by INTEGER REFERENCES users(id),"
     " CHECK(unfounded IS NOT 1 OR (form IS NOT NULL AND length(scope) > 0)),"
     " CHECK(decided_by IS NULL OR decided_by <> opened_by));"
     "CREATE INDEX clarifications_by_person ON clarifications(person_id);"},
    {5, "the written reason of a finding on an analysis standard",
     /* DOMAIN.md §2.5: a graded finding per standard with a written reason,
      * evidence links and the assessor. */
     "ALTER TABLE case_facts ADD COLUMN reason TEXT;"},
    {6, "evidence files, content-addressed by SM3",
     "CREATE TABLE evidence("
     " sm3 TEXT PRIMARY KEY CHECK(length(sm3) = 64),"
     " size INTEGER NOT NULL CHECK(size >= 0),"
     " name TEXT NOT NULL,"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " at TEXT NOT NULL);"},
    {7, "imported historical cases: their source row and recorded outcome",
     /* A case imported from a file (`rongcuo import cases`) keeps where it
      * came from, and the outcome (认定结果) its history records: a record of
      * the past, not a decision of this system, which the decisions table
      * holds with its recommendation. */
     "CREATE TABLE case_imports("
     " case_id INTEGER PRIMARY KEY REFERENCES cases(id),"
     " file TEXT NOT NULL,"
     " row INTEGER NOT NULL,"
     " outcome TEXT,"
     " decided_on TEXT,"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
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
     " seq INTEGER NOT NULL,"
     " at TEXT NOT NULL);"},
    {9, "accounts and sessions: passwords, TOTP, back-off, server-side sessions",
     /* procedure/auth.c.  A password is its argon2id PHC string; a TOTP
      * secret is sealed (SM4) under a key derived from the audit key, and
      * waits in totp_pending until a first code proves the authenticator
      * has it.  A session is known by the SM3 of its id only. */
     "ALTER TABLE users ADD COLUMN password_hash TEXT;"
     "ALTER TABLE users ADD COLUMN totp_secret TEXT;"
     "ALTER TABLE users ADD COLUMN totp_pending TEXT;"
     "ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT -1;"
     "ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE users ADD COLUMN locked_until TEXT;"
     "ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;"
     "CREATE TABLE sessions("
     " id_hash TEXT PRIMARY KEY CHECK(length(id_hash) = 64),"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " created_at TEXT NOT NULL,"
     " last_seen_at TEXT NOT NULL,"
     " absolute_expiry_at TEXT NOT NULL,"
     " idle_timeout_s INTEGER NOT NULL CHECK(idle_timeout_s > 0),"
     " revoked INTEGER NOT NULL DEFAULT 0 CHECK(revoked IN (0, 1)));"
     "CREATE INDEX sessions_by_user ON sessions(user_id);"},
    {10, "reading a case's audit history and listing cases by date",
     /* The case file shows the audit rows of the case: object "case:CODE"
      * and "case:CODE/...", found by a range on the object (procedure/
      * views.c).  The case list filters on the opening time. */
     "CREATE INDEX audit_by_object ON audit(object);"
     "CREATE INDEX cases_by_created ON cases(created_at);"},
    {11, "API tokens: bearer credentials of the JSON API",
     /* procedure/tokens.c: the JSON API's bearer tokens.  As for a session,
      * only the SM3 of a token's 128 random bits is kept, so that a copy of
      * the database lets nobody in; the label says what the token is for
      * (a script, a report job).  A token is revoked, never deleted: its
      * row names it in the audit trail. */
     "CREATE TABLE api_tokens("
     " id INTEGER PRIMARY KEY,"
     " id_hash TEXT NOT NULL UNIQUE CHECK(length(id_hash) = 64),"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " label TEXT NOT NULL,"
     " created_at TEXT NOT NULL,"
     " expires_at TEXT,"
     " revoked INTEGER NOT NULL DEFAULT 0 CHECK(revoked IN (0, 1)));"
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
     /* The case list filters by category (容错情形的类别): a case matches
      * when its newest recommendation found the category true.  A
      * category's value is the "or" of its situations
      * (docs/policy-language.md), so the categories found true are those of
      * the situations whose value is "true" in the assessment
      * (recommendations.result_json, docs/assessment-json.md): one row per
      * recommendation and category, written with the recommendation from
      * now on (procedure/decide.c) and here for those already stored.
      * "current" marks the rows of each case's newest recommendation, as
      * case_facts.current marks a fact's current value, so that the list
      * reads the current rows by category without finding, case by case,
      * which recommendation is the newest.  A result_json that is not an
      * assessment (never written by the engine) gives no row rather than
      * stop the migration.  The index on recommendations (case_id, id)
      * finds a case's newest recommendation: here, and for the case file
      * (Q_RECO_LAST). */
     "CREATE INDEX recommendations_by_case ON recommendations(case_id, id);"
     "CREATE TABLE recommendation_categories("
     " id INTEGER PRIMARY KEY,"
     " recommendation_id INTEGER NOT NULL REFERENCES recommendations(id),"
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " category TEXT NOT NULL,"
     " current INTEGER NOT NULL DEFAULT 1 CHECK(current IN (0, 1)));"
     /* every JSON function reads a value checked first: a CASE evaluates
      * its branches in order, and WHERE terms in none in particular */
     "INSERT INTO recommendation_categories(recommendation_id, case_id, category, current) "
     "SELECT DISTINCT r.id, r.case_id, "
     "json_extract(CASE WHEN s.type = 'object' THEN s.value ELSE '{}' END, '$.category'), "
     "CASE WHEN r.id = (SELECT max(n.id) FROM recommendations n WHERE n.case_id = r.case_id) "
     "THEN 1 ELSE 0 END "
     "FROM recommendations r, json_each(CASE WHEN NOT json_valid(r.result_json) THEN '[]' "
     "WHEN json_type(r.result_json, '$.situations') = 'array' "
     "THEN json_extract(r.result_json, '$.situations') ELSE '[]' END) s "
     "WHERE json_extract(CASE WHEN s.type = 'object' THEN s.value ELSE '{}' END, '$.value') "
     "= 'true' "
     "AND json_type(CASE WHEN s.type = 'object' THEN s.value ELSE '{}' END, '$.category') "
     "= 'text' "
     "ORDER BY r.id, 3;"
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
     " user_id INTEGER PRIMARY KEY REFERENCES users(id),"
     " person_id INTEGER NOT NULL REFERENCES people(id));"
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

static enum rc_err map(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE: return RC_OK;
	case SQLITE_CONSTRAINT: return RC_ERR_CONFLICT;
	case SQLITE_NOMEM: return RC_ERR_NOMEM;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return RC_ERR_BUSY; /* the busy timeout ran out */
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB: return RC_ERR_IO;
	case SQLITE_TOOBIG:
	case SQLITE_RANGE: return RC_ERR_LIMIT;
	default: return RC_ERR_INTERNAL;
	}
}

static enum rc_err sl_exec(void *db, const char *sql)
{
	return map(sqlite3_exec(db, sql, NULL, NULL, NULL));
}

/* Once per process, before the first connection: no memory statistics.
 * They are kept under one global mutex that every allocation of every
 * connection takes, and with a server's connections on several threads
 * that mutex was where they queued (bench/web/README.md).  rongcuo never
 * reads the statistics. */
static pthread_once_t sl_once = PTHREAD_ONCE_INIT;
static void sl_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); /* refused once initialised: harmless */
}

static enum rc_err sl_open(const char *target, struct rc_diags *d, void **out)
{
	sqlite3 *db = NULL;
	*out = NULL;
	pthread_once(&sl_once, sl_configure);
	int rc = sqlite3_open_v2(
	    target, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot open the database: %s", target,
			    db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return RC_ERR_IO;
	}
	/* Settings that must hold for every connection (they are not all
	 * persistent in the file). */
	static const char setup[] = "PRAGMA journal_mode = WAL;"
				    "PRAGMA synchronous = FULL;"
				    "PRAGMA foreign_keys = ON;"
				    "PRAGMA secure_delete = ON;"
				    "PRAGMA trusted_schema = OFF;";
	sqlite3_busy_timeout(db, 10000);
	sqlite3_extended_result_codes(db, 1);
	/* One plan per statement, whatever is bound: without this, a LIKE
	 * whose pattern is a parameter ("p.name LIKE ?6", the case list's
	 * search) marks its statement to be prepared again every time its
	 * bindings change -- for the cached statements, at every use, with
	 * the parse and its allocations.  The queries are written for their
	 * indexes, so a plan chosen from bound values gains nothing. */
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_QPSG, 1, (int *)NULL);
	rc = sqlite3_exec(db, setup, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot configure the database: %s", target,
			    sqlite3_errmsg(db));
		sqlite3_close(db);
		return RC_ERR_IO;
	}
	*out = db;
	return RC_OK;
}

static void sl_close(void *db)
{
	sqlite3_close(db);
}

static const char *sl_errmsg(void *db)
{
	return sqlite3_errmsg(db);
}

static enum rc_err sl_cache(void *db, size_t bytes)
{
	char sql[64];
	/* a negative cache_size is in KiB */
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%zu", bytes / 1024 ? bytes / 1024 : 1);
	return sl_exec(db, sql);
}

static enum rc_err sl_lock_timeout(void *db, int ms)
{
	return map(sqlite3_busy_timeout(db, ms));
}

static enum rc_err sl_begin(void *db)
{
	/* IMMEDIATE: take the write lock now, so that two writers never both
	 * read the audit chain's head before one of them appends to it. */
	return sl_exec(db, "BEGIN IMMEDIATE");
}

/* DEFERRED: the snapshot is taken at the first read and held to the end
 * (WAL readers see one version of the database) */
static enum rc_err sl_begin_read(void *db)
{
	return sl_exec(db, "BEGIN DEFERRED");
}

static enum rc_err sl_commit(void *db)
{
	return sl_exec(db, "COMMIT");
}

static void sl_rollback(void *db)
{
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

static enum rc_err sl_prepare(void *db, const char *sql, void **st)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	*st = s;
	return map(rc);
}

static void sl_finalize(void *st)
{
	sqlite3_finalize(st);
}

static void sl_reset(void *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static enum rc_err sl_bind_int(void *st, int i, int64_t v)
{
	return map(sqlite3_bind_int64(st, i, v));
}

static enum rc_err sl_bind_text(void *st, int i, const char *v, size_t len)
{
	if (len > (size_t)0x7fffffff)
		return RC_ERR_LIMIT;
	return map(sqlite3_bind_text(st, i, v, (int)len, SQLITE_TRANSIENT));
}

static enum rc_err sl_bind_null(void *st, int i)
{
	return map(sqlite3_bind_null(st, i));
}

static enum rc_err sl_step(void *st, int *row)
{
	int rc = sqlite3_step(st);
	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return RC_OK;
	enum rc_err e = map(rc);
	sqlite3_reset(st);
	return e ? e : RC_ERR_INTERNAL;
}

static int64_t sl_col_int(void *st, int col)
{
	return sqlite3_column_int64(st, col);
}

static const char *sl_col_text(void *st, int col, size_t *len)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	if (len)
		*len = t ? (size_t)sqlite3_column_bytes(st, col) : 0;
	return t ? (const char *)t : "";
}

static int sl_col_is_null(void *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL;
}

static int64_t sl_last_id(void *db)
{
	return sqlite3_last_insert_rowid(db);
}

static int64_t sl_changes(void *db)
{
	return sqlite3_changes64(db);
}

static enum rc_err run_check(sqlite3 *db, const char *sql, const char *what, struct rc_diags *d)
{
	sqlite3_stmt *st = NULL;
	enum rc_err e = RC_OK;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: %s", what, sqlite3_errmsg(db));
		return RC_ERR_IO;
	}
	int n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		/* integrity_check answers one row "ok" when all is well */
		if (t && strcmp(t, "ok") == 0)
			continue;
		if (n++ < 20)
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: %s", what, t ? t : "problem found");
		e = RC_ERR_INTERNAL;
	}
	if (rc != SQLITE_DONE) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: %s", what, sqlite3_errmsg(db));
		e = RC_ERR_IO;
	}
	sqlite3_finalize(st);
	return e;
}

static enum rc_err sl_check(void *db, struct rc_diags *d)
{
	enum rc_err a = run_check(db, "PRAGMA integrity_check", "integrity_check", d);
	enum rc_err b = run_check(db,
				  "SELECT 'table ' || \"table\" || ' row ' || rowid || "
				  "' refers to a missing ' || parent FROM pragma_foreign_key_check",
				  "foreign_key_check", d);
	return a ? a : b;
}

const struct rc_store_ops rc_store_sqlite = {
    .name = "sqlite",
    .open = sl_open,
    .close = sl_close,
    .errmsg = sl_errmsg,
    .exec = sl_exec,
    .begin = sl_begin,
    .begin_read = sl_begin_read,
    .commit = sl_commit,
    .rollback = sl_rollback,
    .prepare = sl_prepare,
    .finalize = sl_finalize,
    .reset = sl_reset,
    .bind_int = sl_bind_int,
    .bind_text = sl_bind_text,
    .bind_null = sl_bind_null,
    .step = sl_step,
    .col_int = sl_col_int,
    .col_text = sl_col_text,
    .col_is_null = sl_col_is_null,
    .last_id = sl_last_id,
    .changes = sl_changes,
    .check = sl_check,
    .cache = sl_cache,
    .lock_timeout = sl_lock_timeout,
    .sql = rc_store_queries,
    .migrations = sqlite_migrations,
    .n_migrations = (int)(sizeof(sqlite_migrations) / sizeof(sqlite_migrations[0])),
};
