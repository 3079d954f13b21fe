/*
 * store_int.h -- what a backend provides to store.c.  Internal to the
 * store module.
 */
#ifndef RC_STORE_INT_H
#define RC_STORE_INT_H

#include "store/store.h"

struct rc_migration {
	int version;
	const char *name;
	const char *sql; /* one or more statements, run in one transaction */
};

/* A backend, after SQLite's VFS: the generic layer (store.c) never sees a
 * database API.  `db` and `st` are the backend's own handles. */
struct rc_store_ops {
	const char *name;
	enum rc_err (*open)(const char *target, struct rc_diags *d, void **db);
	void (*close)(void *db);
	const char *(*errmsg)(void *db);
	enum rc_err (*exec)(void *db, const char *sql); /* no parameters, no rows */
	enum rc_err (*begin)(void *db);                 /* takes the write lock */
	enum rc_err (*begin_read)(void *db); /* one snapshot for every read until the end */
	enum rc_err (*commit)(void *db);
	void (*rollback)(void *db);
	enum rc_err (*prepare)(void *db, const char *sql, void **st);
	void (*finalize)(void *st);
	void (*reset)(void *st); /* also clears bindings */
	enum rc_err (*bind_int)(void *st, int i, int64_t v);
	enum rc_err (*bind_text)(void *st, int i, const char *v, size_t len);
	enum rc_err (*bind_null)(void *st, int i);
	enum rc_err (*step)(void *st, int *row);
	int64_t (*col_int)(void *st, int col);
	const char *(*col_text)(void *st, int col, size_t *len);
	int (*col_is_null)(void *st, int col);
	int64_t (*last_id)(void *db);
	int64_t (*changes)(void *db); /* rows the last statement changed */
	/* integrity check of the database file/cluster; problems to diags */
	enum rc_err (*check)(void *db, struct rc_diags *d);
	/* keep up to `bytes` of the database's pages in memory for this
	 * connection (rc_store_bulk); NULL when the backend has no such knob */
	enum rc_err (*cache)(void *db, size_t bytes);
	/* how long a statement waits for a lock before RC_ERR_BUSY */
	enum rc_err (*lock_timeout)(void *db, int ms);
	/* after rows were written with their ids given (db copy): make the
	 * next generated id of table.key follow the largest; NULL when ids
	 * follow by themselves (SQLite's rowid) */
	enum rc_err (*ids_sync)(void *db, const char *table, const char *key);
	const char *const *sql; /* by enum rc_query */
	const struct rc_migration *migrations;
	int n_migrations;
};

extern const struct rc_store_ops rc_store_sqlite;
extern const struct rc_store_ops rc_store_postgres;
extern const char *const rc_store_queries[Q__COUNT]; /* queries.c */

/* Statements outside the named queries, for copy.c only: SQL built from the
 * schema's own constant names, values bound as everywhere else. */
enum rc_err rc_store_raw_prepare(struct rc_store *s, const char *sql, void **st);
void rc_store_raw_finalize(struct rc_store *s, void *st); /* NULL-safe */
void rc_store_raw_reset(struct rc_store *s, void *st);
enum rc_err rc_store_raw_bind_int(struct rc_store *s, void *st, int i, int64_t v);
enum rc_err rc_store_raw_bind_text(struct rc_store *s, void *st, int i, const char *v, size_t len);
enum rc_err rc_store_raw_bind_null(struct rc_store *s, void *st, int i);
enum rc_err rc_store_raw_step(struct rc_store *s, void *st, int *row);
int64_t rc_store_raw_int(struct rc_store *s, void *st, int col);
const char *rc_store_raw_text(struct rc_store *s, void *st, int col, size_t *len);
int rc_store_raw_is_null(struct rc_store *s, void *st, int col);
enum rc_err rc_store_raw_ids_sync(struct rc_store *s, const char *table, const char *key);

/* Reset every cached statement of the connection (pool.c, on give-back):
 * a statement left on a row keeps SQLite's read snapshot, which the next
 * request on this connection would otherwise read from. */
void rc_store_reset_statements(struct rc_store *s);

#endif
