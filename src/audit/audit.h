/*
 * audit.h -- the tamper-evident audit trail.
 *
 * Every change to the store writes one audit row in the same transaction
 * as the change.  Rows form a chain: each row carries the MAC of the row
 * before it, and its own MAC is HMAC-SM3, under a key created at
 * `db init`, over its predecessor's MAC and all of its fields.  Whoever
 * edits, deletes, inserts or reorders rows without the key breaks the
 * chain, and rc_audit_verify names the first row where it breaks.
 *
 * Deleting the newest rows leaves a shorter chain that is still whole; the
 * head file (seq and MAC of the newest row, written after each commit)
 * catches that: a database behind its head file has lost rows.
 *
 * The audit trail records *digests* (SM3) of an object before and after a
 * change, not the object itself: the object is in its own table, and the
 * digest proves which version the change produced.
 */
#ifndef RC_AUDIT_H
#define RC_AUDIT_H

#include <stdint.h>

#include "core/diag.h"
#include "core/err.h"
#include "store/store.h"

#define RC_AUDIT_KEY_LEN 32
#define RC_AUDIT_MAC_HEX 65 /* 64 hex digits + NUL */

struct rc_audit_entry {
	const char *user;       /* login of the acting user */
	const char *role;       /* the role the user acted in */
	const char *org;        /* the user's organisation code */
	const char *action;     /* e.g. "case.open" */
	const char *object;     /* e.g. "case:ZJ-2024-001" */
	const char *before;     /* canonical text before the change ("" if new) */
	const char *after;      /* canonical text after ("" if deleted) */
	const char *request_id; /* one per command or request */
};

/* Create a new random key file at `path` with mode 0600 (it must not exist).
 * The key is also returned in `key`. */
enum rc_err rc_audit_key_create(const char *path, uint8_t key[RC_AUDIT_KEY_LEN],
				struct rc_diags *d);

/* Load the key; refuses a file readable by group or others. */
enum rc_err rc_audit_key_load(const char *path, uint8_t key[RC_AUDIT_KEY_LEN], struct rc_diags *d);

/* Append one row inside the caller's open transaction (rc_store_begin).
 * `at` is the UTC time "YYYY-MM-DDTHH:MM:SSZ" (NULL: now).  The new row's
 * seq and MAC are returned for the head file. */
enum rc_err rc_audit_append(struct rc_store *s, const uint8_t key[RC_AUDIT_KEY_LEN],
			    const struct rc_audit_entry *e, const char *at, int64_t *seq,
			    char mac[RC_AUDIT_MAC_HEX]);

/* A writer of many rows (an import): one keyed HMAC context for all of
 * them, and the chain's head read once per transaction instead of once per
 * row.  The head it keeps is trusted only inside the transaction it was
 * read in (rc_store_tx): after a commit or a rollback, the next append reads
 * it again, so rows rolled back or appended by another writer in between
 * are never chained past.  Rows are the same as rc_audit_append's. */
struct rc_audit_writer;
enum rc_err rc_audit_writer_new(const uint8_t key[RC_AUDIT_KEY_LEN], struct rc_audit_writer **w);
enum rc_err rc_audit_writer_append(struct rc_store *s, struct rc_audit_writer *w,
				   const struct rc_audit_entry *e, const char *at, int64_t *seq,
				   char mac[RC_AUDIT_MAC_HEX]);
void rc_audit_writer_free(struct rc_audit_writer *w); /* NULL-safe; wipes the key state */

/* A row as stored, for reading the trail (borrowed until the callback
 * returns). */
struct rc_audit_row {
	int64_t seq;
	const char *at, *user, *role, *org, *action, *object, *before, *after, *request_id,
	    *prev_mac, *mac;
};
typedef enum rc_err (*rc_audit_row_fn)(void *ctx, const struct rc_audit_row *r);

/* Call fn on every row in seq order, a page at a time (memory stays
 * bounded however long the chain); a non-zero return from fn stops the
 * walk and is returned. */
enum rc_err rc_audit_each(struct rc_store *s, rc_audit_row_fn fn, void *ctx);

/* Verify the whole chain (and, when head_path is not NULL, that the
 * database is not behind its head file).  The head is read first, then the
 * rows: not inside a read transaction begun earlier, whose snapshot may
 * predate rows the head already names (the chain would look cut).  *rows gets the number of rows;
 * on failure *first_bad the seq (or position) of the first bad row and a
 * message in diags, and the result is RC_ERR_CONFLICT. */
enum rc_err rc_audit_verify(struct rc_store *s, const uint8_t key[RC_AUDIT_KEY_LEN],
			    const char *head_path, struct rc_diags *d, int64_t *rows,
			    int64_t *first_bad);

/* The head file: the seq and MAC of the newest row, with a MAC of its own
 * under the key.  rc_audit_head_init writes the empty chain's head (db
 * init); rc_audit_head_save moves it forward after a commit (temporary
 * file, fsync, rename, under a lock; never backwards); rc_audit_head_load
 * reads it: RC_ERR_NOT_FOUND when missing, RC_ERR_CONFLICT when its MAC
 * does not match, RC_ERR_SYNTAX when malformed. */
enum rc_err rc_audit_head_init(const char *path, const uint8_t key[RC_AUDIT_KEY_LEN]);
enum rc_err rc_audit_head_save(const char *path, const uint8_t key[RC_AUDIT_KEY_LEN], int64_t seq,
			       const char *mac);
enum rc_err rc_audit_head_load(const char *path, const uint8_t key[RC_AUDIT_KEY_LEN], int64_t *seq,
			       char mac[RC_AUDIT_MAC_HEX]);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void rc_audit_now(char out[21]);

#endif
