/*
 * common.c -- what the procedure's operations share: who acts, where, in
 * which role.
 */
#include <stdio.h>
#include <string.h>

#include "procedure/procedure_int.h"

enum rc_err rc_proc_actor_find(struct rc_store *s, const char *login, struct rc_actor *a,
			       struct rc_diags *d)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_USER_BY_LOGIN, &st)) || (e = rc_stmt_bind_str(st, 1, login)) ||
	    (e = rc_stmt_step(st, &row)))
		return e;
	if (!row) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "no user '%s'; add one with `rongcuo user add`",
			    login);
		return RC_ERR_NAME;
	}
	a->id = rc_stmt_int(st, 0);
	a->org = rc_stmt_int(st, 2);
	snprintf(a->role, sizeof(a->role), "%s", rc_stmt_text(st, 3, NULL));
	a->disabled = (int)rc_stmt_int(st, 4);
	if (a->disabled) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "user '%s' is disabled", login);
		return RC_ERR_RANGE;
	}
	return RC_OK;
}

enum rc_err rc_proc_org_id(struct rc_store *s, const char *code, int64_t *id, struct rc_diags *d)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_ORG_BY_CODE, &st)) || (e = rc_stmt_bind_str(st, 1, code)) ||
	    (e = rc_stmt_step(st, &row)))
		return e;
	if (!row) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "no organisation with code '%s'; `rongcuo org list` shows them", code);
		return RC_ERR_NAME;
	}
	*id = rc_stmt_int(st, 0);
	return RC_OK;
}

/* Scope (DOMAIN.md §1): a user acts on the cases of their own organisation
 * and of those below it -- never of siblings or superiors. */
enum rc_err rc_proc_in_scope(struct rc_store *s, int64_t case_org, int64_t user_org, int *ok)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_ORG_WITHIN, &st)) || (e = rc_stmt_bind_int(st, 1, case_org)) ||
	    (e = rc_stmt_bind_int(st, 2, user_org)) || (e = rc_stmt_step(st, &row)))
		return e;
	*ok = row;
	return RC_OK;
}

int rc_proc_performs(const struct rc_step_info *si, const char *role)
{
	for (int i = 0; i < si->n_actors; i++)
		if (strcmp(si->actors[i], role) == 0)
			return 1;
	return 0;
}

enum rc_err rc_proc_case_load(struct rc_store *s, const struct rc_policy *policy, const char *code,
			      struct rc_case_row *c, struct rc_diags *d)
{
	struct rc_stmt *st;
	int r;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_CASE_BY_CODE, &st)) || (e = rc_stmt_bind_str(st, 1, code)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	if (!r) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "no case '%s'", code);
		return RC_ERR_NOT_FOUND;
	}
	c->id = rc_stmt_int(st, 0);
	c->person_id = rc_stmt_is_null(st, 1) ? 0 : rc_stmt_int(st, 1);
	c->handling = rc_stmt_int(st, 6);
	c->committee = rc_stmt_is_null(st, 7) ? 0 : rc_stmt_int(st, 7);
	c->prepared_by = rc_stmt_int(st, 13);
	c->row_version = rc_stmt_int(st, 14);
	snprintf(c->series, sizeof(c->series), "%s", rc_stmt_text(st, 8, NULL));
	snprintf(c->version, sizeof(c->version), "%s", rc_stmt_text(st, 9, NULL));
	snprintf(c->state, sizeof(c->state), "%s", rc_stmt_text(st, 10, NULL));
	/* The case stays on the version it was opened under. */
	if (policy && (strcmp(c->series, rc_policy_series(policy)) != 0 ||
		       strcmp(c->version, rc_policy_version(policy)) != 0)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "case %s was opened under policy %s %s; load that version (--policy)",
			    code, c->series, c->version);
		return RC_ERR_RANGE;
	}
	return RC_OK;
}
