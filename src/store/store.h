/*
 * store.h -- durable records behind one interface, several backends.
 *
 * The store knows nothing of rules or procedure: it opens a database,
 * migrates its schema, runs transactions, and executes the project's own
 * queries, which are named (enum rc_query) rather than written by callers.
 * Their SQL is one portable text for every backend (queries.c); a backend
 * supplies its schema migrations and a struct rc_store_ops (SQLite's VFS is
 * the model): SQLite (sqlite.c, the default) and PostgreSQL (postgres.c),
 * so nothing of one database leaks through this header.  Values are always
 * bound, never spliced into SQL text.
 *
 * Ownership: rc_store_open returns a handle freed by rc_store_close
 * (NULL-safe).  Statements belong to the store and are reused; text read
 * from a row is borrowed until the next step or reset of that statement.
 */
#ifndef RC_STORE_H
#define RC_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/err.h"

/* The project's queries.  Their text is in queries.c; their parameters and
 * columns are documented here and in docs/modules/store.md. */
enum rc_query {
	Q_META_GET,          /* (key) -> value */
	Q_META_PUT,          /* (key, value) */
	Q_ORG_INSERT,        /* (code, name, level, parent_id|null) -> id */
	Q_ORG_BY_CODE,       /* (code) -> id, name, level, parent_id */
	Q_ORG_BY_ID,         /* (id) -> code, name, level, parent_id */
	Q_ORG_LIST,          /* () -> code, name, level, parent code|null, in id order */
	Q_PERSON_INSERT,     /* (name, org_id, post, rank) -> id */
	Q_PERSON_BY_ID,      /* (id) -> name, org_id, post, rank */
	Q_USER_INSERT,       /* (login, name, org_id, role) -> id */
	Q_USER_BY_LOGIN,     /* (login) -> id, name, org_id, role, disabled, person_id|null */
	Q_CASE_INSERT,       /* (code, person_id, org_id, start_path, source, accountability_ref,
	                        handling_org_id, committee_org_id, policy_series, policy_version,
	                        state, created_at, prepared_by) -> id */
	Q_CASE_BY_CODE,      /* (code) -> id, person_id, ..., state, row_version */
	Q_CASE_SET_STATE,    /* (state, updated_at, id, row_version) -- optimistic */
	Q_CASE_LIST,         /* (handling_org_id|null, state|null, limit, offset) -> rows */
	Q_ORG_WITHIN,        /* (org_id, maybe_ancestor_id) -> a row when it is self or above */
	Q_CASE_COUNT,        /* () -> number of cases */
	Q_STEP_INSERT,       /* (case_id, step, entered_on, due_on|null, user_id, note) */
	Q_STEPS_OF_CASE,     /* (case_id) -> step, entered_on, due_on, login, note, in order */
	Q_DUE_LIST,          /* () -> code, state, due_on, handling org code: current steps
	                        with a deadline, soonest first */
	Q_FACT_SUPERSEDE,    /* (case_id, name): the current value becomes history */
	Q_FACT_INSERT,       /* (case_id, name, value_json, user_id, at, evidence, disputed,
	                        reason) */
	Q_FACTS_CURRENT,     /* (case_id) -> name, value_json, login, at, evidence, disputed,
	                        reason */
	Q_FACT_HISTORY,      /* (case_id, name) -> value_json, login, at, evidence, disputed,
	                        current; oldest first */
	Q_RECO_INSERT,       /* (case_id, at, user_id, conduct_on, decision_on, applied_version,
	                        policy_digest, facts_json, result_json, state, band) */
	Q_RECO_LAST,         /* (case_id) -> id, state, band, applied_version, at */
	Q_CAT_SUPERSEDE,     /* (case_id): the case's current recommendation_categories
	                        become history (schema 13) */
	Q_CAT_INSERT,        /* (recommendation_id, case_id, category): a category found true,
	                        current */
	Q_DECISION_INSERT,   /* (case_id, recommendation_id, body_org_id, meeting_on, outcome,
	                        legal_basis, reasons, differs, user_id) */
	Q_DECISION_OF_CASE,  /* (case_id) -> meeting_on, outcome, legal_basis, reasons, differs,
	                        login */
	Q_EFFECT_INSERT,     /* (person_id, decision_id, impact_table, sanction, start_on,
	                        end_on, extra_end_on, article) */
	Q_EFFECTS_OF_PERSON, /* (person_id) -> impact_table, sanction, start_on, end_on,
	                        extra_end_on, article, case code, outcome */
	/* the records of a case after its facts (schema 4) */
	Q_CONSULT_INSERT,     /* (case_id, held_on, minutes, user_id, at) */
	Q_CONSULT_OF_CASE,    /* (case_id) -> id, held_on, minutes, login, at */
	Q_PARTICIPANT_INSERT, /* (consultation_id, dept, name, recused, reason|null, user_id) */
	Q_PARTICIPANTS_OF,    /* (consultation_id) -> dept, name, recused, reason, login */
	Q_DEPT_STATUS,        /* (consultation_id, dept) -> active participants, recused
	                         participants, opinions, first recusal's name, its reason */
	Q_OPINION_INSERT,     /* (consultation_id, dept, opinion, dissent|null, user_id) */
	Q_OPINIONS_OF,        /* (consultation_id) -> dept, opinion, dissent, login */
	Q_NOTICE_INSERT,      /* (case_id, recipient, notified_on, how, user_id) */
	Q_NOTICES_OF,         /* (case_id) -> recipient, notified_on, how, login; earliest first */
	Q_APPEAL_INSERT,      /* (case_id, filed_on, appellant, grounds, notified_on, deadline_on,
	                         user_id) */
	Q_APPEAL_OF_CASE,     /* (case_id) -> id, filed_on, appellant, grounds, notified_on,
	                         deadline_on, login */
	Q_REVIEW_INSERT,      /* (appeal_id, reviewed_on, result, reasons, user_id) */
	Q_REVIEW_OF_APPEAL,   /* (appeal_id) -> reviewed_on, result, reasons, login */
	Q_FILING_INSERT,      /* (case_id, org_id, filed_on, user_id) */
	Q_FILINGS_OF,         /* (case_id) -> org code, org name, filed_on, login */
	Q_TASK_NEXT_NO,       /* (case_id) -> the next task number of the case */
	Q_TASK_INSERT,        /* (case_id, no, owner, due_on, what, created_by, created_at) */
	Q_TASK_GET,           /* (case_id, no) -> id, created_by, done_on, owner, due_on, what,
	                         creator login */
	Q_TASK_DONE,          /* (done_on, done_by, verified_by, id) -- only an open task */
	Q_TASKS_OF,           /* (case_id) -> no, owner, due_on, what, done_on, creator login,
	                         verifier login|null */
	Q_TASKS_OVERDUE,      /* (today) -> case code, no, owner, due_on, what, handling org
	                         code: open tasks due before today, oldest first */
	Q_FOLLOW_UP_INSERT,   /* (case_id, visited_on, notes, user_id) */
	Q_FOLLOW_UPS_OF,      /* (case_id) -> visited_on, notes, login */
	Q_PERIOD_OF_CASE,     /* (case_id) -> effects, first start_on, last end of restriction
	                         (end_on or extra_end_on), effects without an end */
	Q_CLARIFY_INSERT,     /* (person_id, complaint, opened_by, opened_at) -> id */
	Q_CLARIFY_GET,        /* (id) -> person_id, state, unfounded, form, scope, issued_on,
	                         filed_on, referred_to, opened_by, opener login, person name,
	                         person org_id, complaint, opened_at, decider login */
	Q_CLARIFY_DECIDE,     /* (unfounded, form|null, scope|null, state, decided_by, id) -- only
	                         while 'opened' */
	Q_CLARIFY_ISSUE,      /* (issued_on, id) -- only while 'decided' */
	Q_CLARIFY_FILE,       /* (filed_on, id) -- only while 'issued' */
	Q_CLARIFY_REFER,      /* (referred_to, id) -- only while 'filed' */
	/* import and export of cases (schema 7) */
	Q_CASE_CODE_TAKEN, /* (code) -> a row when a case has that code */
	Q_CASE_IMPORT,     /* (code, person_id, org_id, start_path, source, accountability_ref,
	                      handling_org_id, committee_org_id, policy_series, policy_version,
	                      state, created_at, updated_at, prepared_by) -> id */
	Q_IMPORT_INSERT,   /* (case_id, file, row, outcome|null, decided_on|null, user_id, at) */
	Q_IMPORT_OF_CASE,  /* (case_id) -> outcome|null, decided_on|null of an imported case */
	Q_CASE_EXPORT,     /* (handling_org_id|null, after_id, limit) -> code, person_id, person
	                      name, subject org code, start_path, source, accountability_ref,
	                      handling org code, committee org code, created_at, state,
	                      updated_at, outcome, decided on, policy_version, id; a page of the
	                      cases handled by the org and those below it (all when null), in
	                      id order after after_id */
	/* evidence files */
	Q_EVIDENCE_INSERT, /* (sm3, size, name, user_id, at) */
	Q_EVIDENCE_GET,    /* (sm3) -> size, name, login, at */
	Q_EVIDENCE_ALL,    /* () -> sm3, size, in sm3 order */
	/* the audit chain */
	Q_AUDIT_LAST,   /* () -> seq, mac */
	Q_AUDIT_INSERT, /* (seq, at, user, role, org, action, object, before, after,
	                   request_id, prev_mac, mac) */
	Q_IDEM_GET,     /* (key) -> action, object, audit seq, at */
	Q_IDEM_PUT,     /* (key, action, object, audit seq, at) */
	Q_AUDIT_PAGE,   /* (from_seq, limit) -> the rows from seq on, in seq order */
	/* accounts and sessions (schema 9, procedure/auth.c) */
	Q_USER_AUTH_GET,        /* (login) -> id, org_id, role, disabled, password_hash,
	                           totp_secret, totp_pending, totp_last_step, failed_logins,
	                           locked_until, must_change_password, org code, login */
	Q_USER_AUTH_STATE,      /* (failed_logins, locked_until|null, totp_last_step, id) */
	Q_USER_PASSWORD_SET,    /* (password_hash, must_change_password, id): also clears the
	                           failures and the lock */
	Q_USER_REHASH,          /* (new password_hash, id, old password_hash): if unchanged */
	Q_USER_TOTP_PENDING,    /* (sealed secret, id): clears the failures and the lock */
	Q_USER_TOTP_ENROL,      /* (totp_last_step, id, sealed pending secret): the pending
	                           secret becomes the secret, if still the same */
	Q_USER_DISABLE,         /* (id): only an enabled user */
	Q_USER_ROLE_COUNT,      /* (role) -> number of users with it */
	Q_ORG_ROOT,             /* () -> id, code of the first organisation without a parent */
	Q_SESSION_INSERT,       /* (id_hash, user_id, created_at (= last_seen_at),
	                           absolute_expiry_at, idle_timeout_s) */
	Q_SESSION_GET,          /* (id_hash) -> user_id, last_seen_at, absolute_expiry_at,
	                           idle_timeout_s, revoked, login, role, disabled,
	                           must_change_password, org_id, org code,
	                           person_id|null */
	Q_SESSION_TOUCH,        /* (last_seen_at, id_hash): only a session not revoked */
	Q_SESSION_REVOKE,       /* (id_hash): only a session not revoked */
	Q_SESSIONS_REVOKE_USER, /* (user_id, id_hash to keep|null): every other live session */
	Q_SESSIONS_PURGE,       /* (user_id, now): delete the user's revoked sessions and those
	                           past their absolute expiry */
	/* ---- the views of the web pages and the API (procedure/views.c) ---- */
	Q_VIEW_CASES,        /* (scope org, state|null, outcome|null, from|null, before|null,
	                        like|null, before_id|null, limit, category|null) -> code,
	                        state, person name, handling code, handling name, created_at,
	                        current due_on, outcome, id, policy series, policy version:
	                        newest first */
	Q_VIEW_CASES_STATE,  /* the same, with a state (the filter ?2 given) */
	Q_VIEW_CASES_CAT,    /* the same, with a category (?9 given): the cases whose newest
	                        recommendation found it true */
	Q_VIEW_CASES_ST_CAT, /* the same, with a state and a category */
	Q_VIEW_CASE_AUDIT,   /* ("case:X", "case:X/", "case:X0", limit) -> seq, at, user, role,
	                        org, action, object, before, after, request_id */
	Q_VIEW_PEOPLE,       /* (scope org, like|null, limit) -> id, name, org code, org name,
	                        post, rank */
	Q_VIEW_PERSON_CASES, /* (person_id, scope org, all 0/1) -> code, state, outcome,
	                        created_at: the cases handled in the scope, or all of
	                        them (the official's unit sees every case about them) */
	Q_VIEW_TASKS, /* (scope org, 16 step names (NULL: none), limit) -> code, state, person
	                 name, handling name, current due_on, policy series, version:
	                 soonest deadline first, none last */
	Q_VIEW_ORGS,  /* (scope org) -> code, name, level: it and those below it */
	/* ---- API tokens (schema 11, procedure/tokens.c) ---- */
	Q_TOKEN_INSERT, /* (id_hash, user_id, label, created_at, expires_at|null) -> id */
	Q_TOKEN_GET,    /* (id_hash) -> id, user_id, expires_at, revoked, login, role, disabled,
	                   must_change_password, org_id, org code, person_id|null */
	Q_TOKEN_BY_ID,  /* (id) -> user_id, label, revoked, login, expires_at */
	Q_TOKEN_REVOKE, /* (id): only a token not revoked */
	Q_TOKEN_LIST,   /* (after_id, limit) -> id, login, label, created_at, expires_at|null,
	                   revoked: a page in id order after after_id */
	Q_VIEW_USERS,   /* (scope org) -> login, name, org code, org name, role, disabled,
	                        enrolled (0/1), locked_until, must_change_password,
	                        person_id|null, person name|null (a 当事人's tie) */
	Q_VIEW_CLARIFICATIONS, /* (scope org, limit) -> id, person name, org name, state,
	                          opened_at, unfounded: newest first */
	Q_VIEW_AUDIT,          /* (before seq|null, limit) -> seq, at, user, role, org, action,
	                        object: newest first */
	Q_USER_ENABLE,         /* (id): only a disabled user; clears the failures and the lock */
	Q_USER_TOTP_RESET,     /* (id): clears the secret and the pending one, if any */
	Q_USER_SET_PERSON,     /* (user id, person_id): the official a 当事人's account is */
	Q_VIEW_CASES_PARTY,    /* as Q_VIEW_CASES, ?1 the official (person id): their cases;
	                             state and category optional in one query */
	Q_VIEW_CASES_UNIT,     /* as Q_VIEW_CASES, ?1 the org: cases about an official or a
	                             unit of it or below (所在单位); the same */
	Q_VIEW_TASKS_PARTY,    /* as Q_VIEW_TASKS, ?1 the official (person id) */
	Q_VIEW_TASKS_UNIT,     /* as Q_VIEW_TASKS, scoped by the subject (所在单位) */
	Q_VIEW_ORGS_ABOVE,     /* (org) -> code, name, level: those above it, root first */
	Q__COUNT
};

struct rc_store;
struct rc_stmt;

/* Open the store at `url`: "sqlite:PATH" or a plain path for SQLite (the
 * file is created if needed), "postgresql://..." or "postgres://..." for
 * PostgreSQL (libpq's URL; the database must exist).  Errors name the url,
 * its password masked, and the cause in diags. */
enum rc_err rc_store_open(const char *url, struct rc_diags *d, struct rc_store **out);
void rc_store_close(struct rc_store *s);

/* A database URL as messages show it: an SQLite path without "sqlite:",
 * a PostgreSQL URL with its password (user:PASSWORD@ or password=...)
 * replaced by ***.  Secrets are never printed or logged. */
void rc_store_url_shown(const char *url, char *out, size_t len);

/* Name of the backend ("sqlite", "postgresql") and its last error text
 * (borrowed). */
const char *rc_store_backend(const struct rc_store *s);
const char *rc_store_errmsg(const struct rc_store *s);

/* Schema: the version of the open database (0 = empty) and the latest the
 * code knows.  rc_store_migrate applies every missing migration, each in its
 * own transaction, in order; RC_ERR_RANGE if the database is newer than
 * the code. */
int rc_store_schema_version(struct rc_store *s);
int rc_store_schema_latest(const struct rc_store *s);
enum rc_err rc_store_migrate(struct rc_store *s, struct rc_diags *d, int *from, int *to);

/* Integrity: the backend's own check, foreign keys, and the schema version.
 * Every problem goes to diags; RC_ERR_INTERNAL when one was found. */
enum rc_err rc_store_check(struct rc_store *s, struct rc_diags *d);

/* Transactions.  rc_store_begin takes the write lock at once, so that the
 * audit chain is appended by one writer at a time.  Nested begins are an
 * error (RC_ERR_INTERNAL). */
enum rc_err rc_store_begin(struct rc_store *s);
enum rc_err rc_store_commit(struct rc_store *s);
void rc_store_rollback(struct rc_store *s); /* no-op outside a transaction */

/* A read-only transaction: every read until rc_store_rollback sees the
 * database as it was at one moment, whatever other connections commit
 * meanwhile (db copy reads its source so).  Writing in it is an error. */
enum rc_err rc_store_begin_read(struct rc_store *s);

/* The open transaction's serial on this connection (1, 2, ... in the order
 * they were begun), 0 outside one.  What a caller read inside transaction
 * n is known to hold only while rc_store_tx() is still n: the audit writer
 * keeps the chain's head this way. */
uint64_t rc_store_tx(const struct rc_store *s);

/* How long rc_store_begin and each statement wait for a lock another
 * connection holds before giving up with RC_ERR_BUSY (default 10 s on
 * SQLite, 60 s on PostgreSQL).  RC_ERR_BUSY is always worth a retry of the
 * whole transaction; rc_unit_change retries it. */
enum rc_err rc_store_lock_timeout(struct rc_store *s, int ms);

/* Bulk work ahead: one long write transaction (an import) on this
 * connection.  Keep up to cache_bytes of the database's pages in memory, so
 * that the transaction neither spills its changes to the log early nor
 * reads them back; memory is taken only as pages are used.  Lasts until the
 * store is closed.  A backend without the knob ignores it. */
enum rc_err rc_store_bulk(struct rc_store *s, size_t cache_bytes);

/* A prepared, cached statement for query q, reset and with bindings
 * cleared.  Parameters are numbered from 1, columns from 0. */
enum rc_err rc_store_stmt(struct rc_store *s, enum rc_query q, struct rc_stmt **out);
enum rc_err rc_stmt_bind_int(struct rc_stmt *st, int i, int64_t v);
enum rc_err rc_stmt_bind_text(struct rc_stmt *st, int i, const char *v, size_t len);
enum rc_err rc_stmt_bind_str(struct rc_stmt *st, int i, const char *v); /* NULL binds null */
enum rc_err rc_stmt_bind_null(struct rc_stmt *st, int i);
/* Run one step: *row = 1 when a row is ready, 0 when done.  RC_ERR_CONFLICT
 * on a constraint violation (unique, foreign key, check), RC_ERR_IO when the
 * database cannot be written or read. */
enum rc_err rc_stmt_step(struct rc_stmt *st, int *row);
int64_t rc_stmt_int(struct rc_stmt *st, int col);
const char *rc_stmt_text(struct rc_stmt *st, int col, size_t *len); /* "" for null */
int rc_stmt_is_null(struct rc_stmt *st, int col);
/* The id of the row the last insert created. */
int64_t rc_store_last_id(struct rc_store *s);
/* How many rows the last insert, update or delete changed (an optimistic
 * update that changed none lost the race). */
int64_t rc_store_changes(struct rc_store *s);

/* ---- a pool of connections (a server with several threads) --------- */

/* A connection is used by one thread at a time (its statements and its
 * transaction are its own), so a server that handles requests on several
 * threads gives each request a connection of its own for the request's
 * life: rc_store_pool_take waits until one is free, and says which of the
 * pool's connections it is (*slot, 0..n-1: what the taker holds alone
 * until it gives the connection back, so state kept per slot needs no
 * lock); rc_store_pool_give hands it back, outside any transaction.  The pool opens all `n`
 * connections at once (1..RC_STORE_POOL_MAX), so a database that cannot
 * take them is refused at start, not under load; it owns and closes them.
 * The pool itself may be used from any thread. */
#define RC_STORE_POOL_MAX 64
struct rc_store_pool;
enum rc_err rc_store_pool_new(const char *url, int n, struct rc_diags *d,
			      struct rc_store_pool **out);
void rc_store_pool_free(struct rc_store_pool *p); /* NULL-safe; every connection given back */
struct rc_store *rc_store_pool_take(struct rc_store_pool *p, int *slot);
void rc_store_pool_give(struct rc_store_pool *p, struct rc_store *s);
int rc_store_pool_size(const struct rc_store_pool *p);
int rc_store_pool_idle(struct rc_store_pool *p); /* connections not taken now */

/* ---- copying a whole database (`rongcuo db copy`) ------------------- */

/* The tables copied, in an order where references come first: how many,
 * and the name of table i. */
int rc_store_copy_tables(void);
const char *rc_store_copy_table(int i);
/* The rows of table i in s. */
enum rc_err rc_store_copy_count(struct rc_store *s, int i, int64_t *n);
/* Copy every row of table i from `from` into `to`, verbatim (ids included),
 * a page at a time, each page one transaction on `to`; progress(ctx, rows
 * so far) after each page.  *copied gets the rows copied. */
typedef void (*rc_store_progress_fn)(void *ctx, int64_t done);
enum rc_err rc_store_copy_rows(struct rc_store *from, struct rc_store *to, int i,
			       rc_store_progress_fn progress, void *ctx, int64_t *copied);
/* After every table: the ids `to` generates next follow the copied ones. */
enum rc_err rc_store_copy_done(struct rc_store *to);

#endif
