/*
 * unit.c -- one unit of work: a change and its audit row, together.
 */
#include <string.h>

#include "crypto/crypto.h"
#include "procedure/procedure.h"

enum rc_err rc_unit_init(struct rc_unit *u)
{
	uint8_t rid[8];
	enum rc_err e = rc_random_bytes(rid, sizeof(rid));
	if (!e)
		rc_hex(rid, sizeof(rid), u->request_id);
	return e;
}

enum rc_err rc_unit_change(struct rc_unit *u, const struct rc_audit_entry *a, rc_change_fn fn,
			   void *ctx, struct rc_diags *d)
{
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
	if ((e = fn(u->store, ctx, &row, d)))
		goto fail;
	if ((e = rc_audit_append(u->store, u->key, &row, NULL, &seq, mac))) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot write the audit row: %s",
			    rc_store_errmsg(u->store));
		goto fail;
	}
	if ((e = rc_store_commit(u->store))) {
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
