/*
 * unit.c -- one unit of work: a change and its audit row, together.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crypto/crypto.h"
#include "procedure/procedure.h"

int rc_unit_key_ok(const char *key)
{
	size_t n = key ? strlen(key) : 0;
	if (n < 1 || n > RC_IDEM_KEY_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (key[i] <= 0x20 || key[i] >= 0x7f)
			return 0;
	return 1;
}

enum rc_err rc_unit_made(struct rc_store *s, const char *key, int *found, char *action,
			 char *object, char *at)
{
	struct rc_stmt *st;
	enum rc_err e;
	*found = 0;
	if ((e = rc_store_stmt(s, Q_IDEM_GET, &st)) || (e = rc_stmt_bind_str(st, 1, key)) ||
	    (e = rc_stmt_step(st, found)))
		return e;
	if (*found) {
		snprintf(action, 128, "%s", rc_stmt_text(st, 0, NULL));
		snprintf(object, 128, "%s", rc_stmt_text(st, 1, NULL));
		snprintf(at, 128, "%s", rc_stmt_text(st, 3, NULL));
	}
	return RC_OK;
}

enum rc_err rc_unit_init(struct rc_unit *u)
{
	uint8_t rid[8];
	enum rc_err e = rc_random_bytes(rid, sizeof(rid));
	if (!e)
		rc_hex(rid, sizeof(rid), u->request_id);
	return e;
}

/* One attempt at the change, in one transaction (rolled back on failure). */
static enum rc_err attempt(struct rc_unit *u, const struct rc_audit_entry *a, rc_change_fn fn,
			   void *ctx, struct rc_diags *d)
{
	if (u->read_only) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: --db names another database than the data directory's own; it "
		    "can be read (export, audit list, audit verify), not changed: changes "
		    "go to a directory's own database, whose chain its audit head vouches "
		    "for");
		return RC_ERR_USAGE;
	}
	int64_t seq = 0;
	char mac[RC_AUDIT_MAC_HEX];
	enum rc_err e = rc_store_begin(u->store);
	if (e) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot start a transaction: %s",
			    rc_store_errmsg(u->store));
		return e;
	}
	struct rc_audit_entry row = *a;
	row.request_id = u->request_id;
	if (u->idem_key) {
		/* inside the write transaction: two requests with one key cannot
		 * both get past this */
		char act[128], obj[128], at[128];
		int found;
		if ((e = rc_unit_made(u->store, u->idem_key, &found, act, obj, at)))
			goto fail;
		/* a key names one change: the same action again is the retry of
		 * that change; another action under it is a mistake of the client,
		 * refused rather than dropped */
		if (found && strcmp(act, row.action) != 0) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "refused: idempotency key '%s' names another change (%s %s at "
				    "%s); give this change a key of its own",
				    u->idem_key, act, obj, at);
			e = RC_ERR_CONFLICT;
			goto fail;
		}
		if (found && u->on_made) {
			rc_store_rollback(u->store);
			u->on_made(u->idem_key, act, obj, at);
		}
		if (found) {
			rc_diag_add(
			    d, RC_SEV_ERROR, 0, 0,
			    "already made: %s %s at %s under idempotency key '%s'; nothing was "
			    "changed",
			    act, obj, at, u->idem_key);
			e = RC_ERR_CONFLICT;
			goto fail;
		}
	}
	if ((e = fn(u->store, ctx, &row, d)))
		goto fail;
	if ((e = rc_audit_append(u->store, u->key, &row, NULL, &seq, mac))) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot write the audit row: %s",
			    rc_store_errmsg(u->store));
		goto fail;
	}
	if (u->idem_key) {
		struct rc_stmt *st;
		int r;
		char now[21];
		rc_audit_now(now);
		if ((e = rc_store_stmt(u->store, Q_IDEM_PUT, &st)) ||
		    (e = rc_stmt_bind_str(st, 1, u->idem_key)) ||
		    (e = rc_stmt_bind_str(st, 2, row.action)) ||
		    (e = rc_stmt_bind_str(st, 3, row.object)) ||
		    (e = rc_stmt_bind_int(st, 4, seq)) || (e = rc_stmt_bind_str(st, 5, now)) ||
		    (e = rc_stmt_step(st, &r))) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot record the idempotency key: %s",
				    rc_store_errmsg(u->store));
			goto fail;
		}
	}
	if ((e = rc_store_commit(u->store))) {
		/* a lost connection at COMMIT leaves the outcome unknown: only an
		 * error the database reported means nothing was changed */
		if (e == RC_ERR_IO)
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "commit failed: %s; whether the change was made is unknown: "
				    "look, or repeat it with the same --idempotency-key",
				    rc_store_errmsg(u->store));
		else
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "commit failed: %s; nothing was changed",
				    rc_store_errmsg(u->store));
		return e;
	}
	/* After the commit: a crash here leaves the head one row behind, which
	 * verification accepts; a head ahead of the chain means lost rows. */
	if (u->head_path && rc_audit_head_save(u->head_path, u->key, seq, mac))
		rc_diag_add(d, RC_SEV_WARNING, 0, 0, "%s: could not update the audit head",
			    u->head_path);
	return RC_OK;
fail:
	rc_store_rollback(u->store);
	return e;
}

/* A transaction that met a busy database (a lock not granted in time, a
 * serialization failure) is run again from the start: its reads may have
 * changed.  A few attempts, each after a short, growing, jittered pause so
 * that writers who collided do not collide again. */
#define ATTEMPTS 3

enum rc_err rc_unit_change(struct rc_unit *u, const struct rc_audit_entry *a, rc_change_fn fn,
			   void *ctx, struct rc_diags *d)
{
	enum rc_err e = RC_OK;
	for (int i = 1; i <= ATTEMPTS; i++) {
		/* what a busy attempt reported is dropped if another follows */
		int count = d->count, errors = d->errors, warnings = d->warnings,
		    dropped = d->dropped, n_files = d->n_files;
		e = attempt(u, a, fn, ctx, d);
		if (e != RC_ERR_BUSY)
			return e;
		if (i == ATTEMPTS)
			break;
		d->count = count;
		d->errors = errors;
		d->warnings = warnings;
		d->dropped = dropped;
		d->n_files = n_files;
		uint8_t r = 0;
		rc_random_bytes(&r, 1);
		struct timespec ts = {0, (long)(i * 50 + r % 50) * 1000000L};
		nanosleep(&ts, NULL);
	}
	rc_diag_add(d, RC_SEV_ERROR, 0, 0,
		    "the database stayed busy through %d attempts; nothing was changed, try again",
		    ATTEMPTS);
	return e;
}
