/*
 * procedure.h -- where a case's rules, records and audit meet.
 *
 * Every change to the store goes through a unit of work: the change and its
 * audit row are written in one transaction, committed together or not at
 * all, and the audit head moves after the commit.  The CLI, the web pages
 * and the API all change data through this module, so they share its
 * guards.  (The case lifecycle -- steps, role guards, deadlines, effects --
 * is being built here; see docs/design.md.)
 */
#ifndef RC_PROCEDURE_H
#define RC_PROCEDURE_H

#include <stdint.h>

#include "audit/audit.h"
#include "core/diag.h"
#include "store/store.h"

struct rc_unit {
	struct rc_store *store;
	const uint8_t *key;    /* the audit key, RC_AUDIT_KEY_LEN bytes (borrowed) */
	const char *head_path; /* the audit head file, or NULL */
	char request_id[17];   /* one per command or request */
};

/* Give the unit a fresh random request id. */
enum rc_err rc_unit_init(struct rc_unit *u);

/* One change: fn(store, ctx, row, d) runs inside a transaction -- it may
 * complete the audit row (an object id known only after an insert) --
 * then the row (request id filled in) is appended, then everything
 * commits, or nothing does. */
typedef enum rc_err (*rc_change_fn)(struct rc_store *s, void *ctx, struct rc_audit_entry *row,
				    struct rc_diags *d);
enum rc_err rc_unit_change(struct rc_unit *u, const struct rc_audit_entry *a, rc_change_fn fn,
			   void *ctx, struct rc_diags *d);

/* ---- the registry: organisations and people ------------------------- */

/* Levels of the organisation tree (DOMAIN.md §1). */
#define RC_ORG_LEVELS "province, city, county, unit"

/* Add an organisation under `parent_code` (NULL for the root).  Errors:
 * RC_ERR_NAME (unknown parent), RC_ERR_CONFLICT (code taken), RC_ERR_RANGE
 * (bad level, or a level not below the parent's). */
enum rc_err rc_proc_org_add(struct rc_unit *u, const char *actor, const char *code,
			    const char *name, const char *level, const char *parent_code,
			    struct rc_diags *d, int64_t *id);

/* Add an official (the subject of cases) in organisation `org_code`. */
enum rc_err rc_proc_person_add(struct rc_unit *u, const char *actor, const char *name,
			       const char *org_code, const char *post, const char *rank,
			       struct rc_diags *d, int64_t *id);

#endif
