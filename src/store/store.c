/*
 * store.c -- the backend-neutral half of the store: choosing a backend,
 * migrations, transactions and the statement cache.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/store_int.h"

struct rc_stmt {
	struct rc_store *s;
	void *h; /* the backend's statement */
};

struct rc_store {
	const struct rc_store_ops *ops;
	void *db;
	int in_tx;
	uint64_t tx_serial;             /* transactions begun on this connection */
	struct rc_stmt stmts[Q__COUNT]; /* prepared on first use */
};

enum rc_err rc_store_open(const char *url, struct rc_diags *d, struct rc_store **out)
{
	*out = NULL;
	const struct rc_store_ops *ops = NULL;
	const char *target = url;
	if (strncmp(url, "sqlite:", 7) == 0) {
		ops = &rc_store_sqlite;
		target = url + 7;
	} else if (strncmp(url, "postgresql:", 11) == 0 || strncmp(url, "postgres:", 9) == 0) {
		ops = &rc_store_postgres; /* libpq takes the whole URL */
	} else {
		ops = &rc_store_sqlite; /* a plain path */
	}
	if (!*target) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "empty database path in '%s'", url);
		return RC_ERR_USAGE;
	}
	struct rc_store *s = calloc(1, sizeof(*s));
	if (!s)
		return RC_ERR_NOMEM;
	s->ops = ops;
	enum rc_err e = ops->open(target, d, &s->db);
	if (e) {
		free(s);
		return e;
	}
	for (int q = 0; q < Q__COUNT; q++)
		s->stmts[q].s = s;
	*out = s;
	return RC_OK;
}

void rc_store_close(struct rc_store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		s->ops->rollback(s->db);
	for (int q = 0; q < Q__COUNT; q++)
		if (s->stmts[q].h)
			s->ops->finalize(s->stmts[q].h);
	s->ops->close(s->db);
	free(s);
}

/* Append n bytes of s to out[0..len) at *o, cutting at the end; out stays
 * NUL-terminated. */
static void put(char *out, size_t len, size_t *o, const char *s, size_t n)
{
	if (!len)
		return;
	for (size_t i = 0; i < n && *o + 1 < len; i++)
		out[(*o)++] = s[i];
	out[*o] = '\0';
}

void rc_store_url_shown(const char *url, char *out, size_t len)
{
	size_t o = 0;
	if (len)
		out[0] = '\0';
	if (strncmp(url, "sqlite:", 7) == 0)
		url += 7;
	const char *p = url, *scheme = strstr(url, "://");
	if (scheme) {
		/* user:password@ in the authority: libpq splits the user from the
		 * password at the first ':' */
		const char *auth = scheme + 3;
		size_t alen = strcspn(auth, "/?#");
		const char *at = memchr(auth, '@', alen);
		const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
		if (colon) {
			put(out, len, &o, url, (size_t)(colon - url) + 1);
			put(out, len, &o, "***", 3);
			p = at;
		}
	}
	/* the rest, with the value of every parameter whose name ends in
	 * "password" (password, sslpassword, ...) masked */
	const char *q = strchr(p, '?');
	if (!q) {
		put(out, len, &o, p, strlen(p));
		return;
	}
	put(out, len, &o, p, (size_t)(q - p) + 1);
	for (q++; *q;) {
		size_t plen = strcspn(q, "&");
		const char *eq = memchr(q, '=', plen);
		size_t klen = eq ? (size_t)(eq - q) : plen;
		int secret = klen >= 8 && strncasecmp(q + klen - 8, "password", 8) == 0;
		if (eq && secret) {
			put(out, len, &o, q, klen + 1);
			put(out, len, &o, "***", 3);
		} else {
			put(out, len, &o, q, plen);
		}
		q += plen;
		if (*q == '&') {
			put(out, len, &o, "&", 1);
			q++;
		}
	}
}

const char *rc_store_backend(const struct rc_store *s)
{
	return s->ops->name;
}

const char *rc_store_errmsg(const struct rc_store *s)
{
	return s->ops->errmsg(s->db);
}

static void reset_all(struct rc_store *s)
{
	for (int q = 0; q < Q__COUNT; q++)
		if (s->stmts[q].h)
			s->ops->reset(s->stmts[q].h);
}

enum rc_err rc_store_begin(struct rc_store *s)
{
	if (s->in_tx)
		return RC_ERR_INTERNAL;
	reset_all(s);
	enum rc_err e = s->ops->begin(s->db);
	if (!e) {
		s->in_tx = 1;
		s->tx_serial++;
	}
	return e;
}

enum rc_err rc_store_begin_read(struct rc_store *s)
{
	if (s->in_tx)
		return RC_ERR_INTERNAL;
	reset_all(s);
	enum rc_err e = s->ops->begin_read(s->db);
	if (!e)
		s->in_tx = 1;
	return e;
}

uint64_t rc_store_tx(const struct rc_store *s)
{
	return s->in_tx ? s->tx_serial : 0;
}

enum rc_err rc_store_lock_timeout(struct rc_store *s, int ms)
{
	if (ms < 0)
		return RC_ERR_RANGE;
	return s->ops->lock_timeout ? s->ops->lock_timeout(s->db, ms) : RC_OK;
}

enum rc_err rc_store_bulk(struct rc_store *s, size_t cache_bytes)
{
	return s->ops->cache ? s->ops->cache(s->db, cache_bytes) : RC_OK;
}

enum rc_err rc_store_commit(struct rc_store *s)
{
	if (!s->in_tx)
		return RC_ERR_INTERNAL;
	reset_all(s);
	enum rc_err e = s->ops->commit(s->db);
	if (e) {
		/* a failed commit leaves nothing half-written */
		s->ops->rollback(s->db);
	}
	s->in_tx = 0;
	return e;
}

void rc_store_reset_statements(struct rc_store *s)
{
	reset_all(s);
}

void rc_store_rollback(struct rc_store *s)
{
	if (!s || !s->in_tx)
		return;
	reset_all(s);
	s->ops->rollback(s->db);
	s->in_tx = 0;
}

enum rc_err rc_store_stmt(struct rc_store *s, enum rc_query q, struct rc_stmt **out)
{
	*out = NULL;
	if ((unsigned)q >= Q__COUNT)
		return RC_ERR_INTERNAL;
	struct rc_stmt *st = &s->stmts[q];
	if (!st->h) {
		enum rc_err e = s->ops->prepare(s->db, s->ops->sql[q], &st->h);
		if (e)
			return e;
	} else {
		s->ops->reset(st->h);
	}
	*out = st;
	return RC_OK;
}

enum rc_err rc_stmt_bind_int(struct rc_stmt *st, int i, int64_t v)
{
	return st->s->ops->bind_int(st->h, i, v);
}

enum rc_err rc_stmt_bind_text(struct rc_stmt *st, int i, const char *v, size_t len)
{
	return st->s->ops->bind_text(st->h, i, v, len);
}

enum rc_err rc_stmt_bind_str(struct rc_stmt *st, int i, const char *v)
{
	return v ? rc_stmt_bind_text(st, i, v, strlen(v)) : rc_stmt_bind_null(st, i);
}

enum rc_err rc_stmt_bind_null(struct rc_stmt *st, int i)
{
	return st->s->ops->bind_null(st->h, i);
}

enum rc_err rc_stmt_step(struct rc_stmt *st, int *row)
{
	return st->s->ops->step(st->h, row);
}

int64_t rc_stmt_int(struct rc_stmt *st, int col)
{
	return st->s->ops->col_int(st->h, col);
}

const char *rc_stmt_text(struct rc_stmt *st, int col, size_t *len)
{
	return st->s->ops->col_text(st->h, col, len);
}

int rc_stmt_is_null(struct rc_stmt *st, int col)
{
	return st->s->ops->col_is_null(st->h, col);
}

int64_t rc_store_last_id(struct rc_store *s)
{
	return s->ops->last_id(s->db);
}

int64_t rc_store_changes(struct rc_store *s)
{
	return s->ops->changes(s->db);
}

/* ---- schema --------------------------------------------------------- */

int rc_store_schema_latest(const struct rc_store *s)
{
	const struct rc_store_ops *o = s->ops;
	return o->n_migrations ? o->migrations[o->n_migrations - 1].version : 0;
}

int rc_store_schema_version(struct rc_store *s)
{
	/* Before the first migration there is no meta table: version 0. */
	struct rc_stmt *st;
	int row = 0, v = 0;
	if (rc_store_stmt(s, Q_META_GET, &st))
		return 0;
	if (rc_stmt_bind_str(st, 1, "schema_version") || rc_stmt_step(st, &row) || !row)
		goto out;
	const char *t = rc_stmt_text(st, 0, NULL);
	for (; *t >= '0' && *t <= '9' && v < 100000; t++)
		v = v * 10 + (*t - '0');
out:
	s->ops->reset(st->h);
	return v;
}

static void forget_statements(struct rc_store *s)
{
	/* A statement prepared before a migration may describe the old schema
	 * (or have failed to prepare against none): prepare afresh. */
	for (int q = 0; q < Q__COUNT; q++)
		if (s->stmts[q].h) {
			s->ops->finalize(s->stmts[q].h);
			s->stmts[q].h = NULL;
		}
}

enum rc_err rc_store_migrate(struct rc_store *s, struct rc_diags *d, int *from, int *to)
{
	const struct rc_store_ops *o = s->ops;
	int v = rc_store_schema_version(s);
	forget_statements(s);
	*from = *to = v;
	if (v > rc_store_schema_latest(s)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "the database has schema version %d, newer than this rongcuo (%d); "
			    "use a newer rongcuo",
			    v, rc_store_schema_latest(s));
		return RC_ERR_RANGE;
	}
	for (int i = 0; i < o->n_migrations; i++) {
		const struct rc_migration *m = &o->migrations[i];
		if (m->version <= v)
			continue;
		enum rc_err e = rc_store_begin(s);
		if (!e)
			e = o->exec(s->db, m->sql);
		if (!e) {
			char ver[16];
			struct rc_stmt *st;
			int row;
			snprintf(ver, sizeof(ver), "%d", m->version);
			e = rc_store_stmt(s, Q_META_PUT, &st);
			if (!e)
				e = rc_stmt_bind_str(st, 1, "schema_version");
			if (!e)
				e = rc_stmt_bind_str(st, 2, ver);
			if (!e)
				e = rc_stmt_step(st, &row);
		}
		if (!e)
			e = rc_store_commit(s);
		if (e) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "migration %d (%s) failed: %s",
				    m->version, m->name, rc_store_errmsg(s));
			rc_store_rollback(s);
			forget_statements(s);
			return e;
		}
		forget_statements(s);
		*to = m->version;
	}
	return RC_OK;
}

enum rc_err rc_store_check(struct rc_store *s, struct rc_diags *d)
{
	enum rc_err e = s->ops->check(s->db, d);
	int v = rc_store_schema_version(s), latest = rc_store_schema_latest(s);
	if (v != latest) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "schema version %d, expected %d; run `rongcuo db migrate`", v, latest);
		if (!e)
			e = RC_ERR_INTERNAL;
	}
	return e;
}

/* ---- statements outside the named queries (copy.c) ------------------- */

enum rc_err rc_store_raw_prepare(struct rc_store *s, const char *sql, void **st)
{
	return s->ops->prepare(s->db, sql, st);
}

void rc_store_raw_finalize(struct rc_store *s, void *st)
{
	if (st)
		s->ops->finalize(st);
}

void rc_store_raw_reset(struct rc_store *s, void *st)
{
	s->ops->reset(st);
}

enum rc_err rc_store_raw_bind_int(struct rc_store *s, void *st, int i, int64_t v)
{
	return s->ops->bind_int(st, i, v);
}

enum rc_err rc_store_raw_bind_text(struct rc_store *s, void *st, int i, const char *v, size_t len)
{
	return s->ops->bind_text(st, i, v, len);
}

enum rc_err rc_store_raw_bind_null(struct rc_store *s, void *st, int i)
{
	return s->ops->bind_null(st, i);
}

enum rc_err rc_store_raw_step(struct rc_store *s, void *st, int *row)
{
	return s->ops->step(st, row);
}

int64_t rc_store_raw_int(struct rc_store *s, void *st, int col)
{
	return s->ops->col_int(st, col);
}

const char *rc_store_raw_text(struct rc_store *s, void *st, int col, size_t *len)
{
	return s->ops->col_text(st, col, len);
}

int rc_store_raw_is_null(struct rc_store *s, void *st, int col)
{
	return s->ops->col_is_null(st, col);
}

enum rc_err rc_store_raw_ids_sync(struct rc_store *s, const char *table, const char *key)
{
	return s->ops->ids_sync ? s->ops->ids_sync(s->db, table, key) : RC_OK;
}
