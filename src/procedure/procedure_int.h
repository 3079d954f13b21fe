/*
 * procedure_int.h -- shared by the files of the procedure module.
 */
#ifndef RC_PROCEDURE_INT_H
#define RC_PROCEDURE_INT_H

#include "policy/policy.h"
#include "procedure/procedure.h"

/* The acting user, as the users table has them. */
struct rc_actor {
	int64_t id, org;
	char role[64];
	int disabled;
};

/* Look up an active user; RC_ERR_NAME (unknown) or RC_ERR_RANGE (disabled),
 * with a message. */
enum rc_err rc_proc_actor_find(struct rc_store *s, const char *login, struct rc_actor *a,
			       struct rc_diags *d);

/* An organisation's id by code; RC_ERR_NAME with a message. */
enum rc_err rc_proc_org_id(struct rc_store *s, const char *code, int64_t *id, struct rc_diags *d);

/* Scope (DOMAIN.md §1): *ok when user_org is case_org or one above it. */
enum rc_err rc_proc_in_scope(struct rc_store *s, int64_t case_org, int64_t user_org, int *ok);

/* Whether `role` performs step si. */
int rc_proc_performs(const struct rc_step_info *si, const char *role);

/* A case as the operations need it. */
struct rc_case_row {
	int64_t id, person_id, handling, committee, prepared_by, row_version;
	char series[128], version[128], state[128];
};

/* Load case `code` and check it is on `policy`'s version; RC_ERR_NOT_FOUND
 * or RC_ERR_RANGE with a message. */
enum rc_err rc_proc_case_load(struct rc_store *s, const struct rc_policy *policy, const char *code,
			      struct rc_case_row *c, struct rc_diags *d);

#endif
