/*
 * withdraw.c -- 撤回申请: a case opened on application, withdrawn before its
 * decision (procedure.h).
 *
 * The 实施办法 says nothing of withdrawal; an applicant's right to withdraw
 * an application before it is decided is what administrative procedure
 * typically grants, so rongcuo records it as a transition of its own,
 * outside the policy's steps: who may open a case (the roles of the first
 * step) may record the withdrawal, in the case's organisation or above,
 * with a written reason.  A case opened ex officio is the handling unit's
 * own matter and cannot be withdrawn; a decided case is changed only by
 * review (复核).  The state change is optimistic (row_version), and it runs
 * in the one write transaction of its unit of work, so a withdrawal and a
 * decision racing each other cannot both be recorded.
 */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "procedure/procedure_int.h"

#define REASON_MAX 1000 /* as the other written reasons */

struct withdraw_ctx {
	const struct rc_policy *p;
	const char *actor, *code, *reason;
	int32_t today;
	struct rc_actor a;
	char object[96], before[256], after[256];
};

static enum rc_err do_withdraw(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			       struct rc_diags *d)
{
	struct withdraw_ctx *x = vctx;
	struct rc_case_row c;
	struct rc_step_info first;
	struct rc_stmt *st;
	char roles[512], on[RC_DATE_STRLEN];
	int r;
	enum rc_err e;

	if ((e = rc_proc_actor_find(s, x->actor, &x->a, d)) ||
	    (e = rc_proc_case_load(s, x->p, x->code, &c, d)))
		return e;
	if (strcmp(c.start_path, "application") != 0) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: case %s was opened ex officio (依职权); only a case opened on "
		    "application (依申请) can be withdrawn",
		    x->code);
		return RC_ERR_RANGE;
	}
	if ((e = rc_store_stmt(s, Q_DECISION_OF_CASE, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, c.id)) || (e = rc_stmt_step(st, &r)))
		return e;
	if (r) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: case %s was decided at the meeting of %s; a decision is "
			    "changed only by review (复核), not withdrawn",
			    x->code, rc_stmt_text(st, 0, NULL));
		return RC_ERR_RANGE;
	}
	/* an imported case whose history records its outcome was decided too */
	if ((e = rc_store_stmt(s, Q_IMPORT_OF_CASE, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	if (r && !rc_stmt_is_null(st, 0)) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: case %s was imported with its outcome %s (%s); a decided case "
		    "is not withdrawn",
		    x->code, rc_stmt_text(st, 0, NULL),
		    rc_stmt_is_null(st, 1) ? "date not recorded" : rc_stmt_text(st, 1, NULL));
		return RC_ERR_RANGE;
	}
	if (rc_policy_step(x->p, 0, &first) || !rc_proc_performs(&first, x->a.role)) {
		rc_proc_actors_text(&first, roles, sizeof(roles));
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: a withdrawal is recorded by the roles that open a case (%s); "
			    "user '%s' has the role '%s'",
			    roles, x->actor, x->a.role);
		return RC_ERR_RANGE;
	}
	if ((e = rc_proc_require_scope(s, &c, &x->a, x->actor, d)))
		return e;
	/* an application is withdrawn by who made it: the official concerned
	 * does not withdraw their unit's, nor the unit the official's */
	if (rc_proc_case_scope(x->a.role) != RC_SCOPE_BY_HANDLING && c.prepared_by != x->a.id) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: a %s withdraws only an application it made; case %s was "
			    "opened by another user",
			    x->a.role, x->code);
		return RC_ERR_RANGE;
	}
	rc_date_format(x->today, on);
	if ((e = rc_store_stmt(s, Q_CASE_SET_STATE, &st)) ||
	    (e = rc_stmt_bind_str(st, 1, RC_STATE_WITHDRAWN)) ||
	    (e = rc_stmt_bind_str(st, 2, on)) || (e = rc_stmt_bind_int(st, 3, c.id)) ||
	    (e = rc_stmt_bind_int(st, 4, c.row_version)) || (e = rc_stmt_step(st, &r)))
		return e;
	if (rc_store_changes(s) != 1) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "case %s was changed by someone else meanwhile; look at it again and "
			    "retry",
			    x->code);
		return RC_ERR_CONFLICT;
	}
	if ((e = rc_store_stmt(s, Q_STEP_INSERT, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_bind_str(st, 2, RC_STATE_WITHDRAWN)) ||
	    (e = rc_stmt_bind_str(st, 3, on)) || (e = rc_stmt_bind_null(st, 4)) ||
	    (e = rc_stmt_bind_int(st, 5, x->a.id)) || (e = rc_stmt_bind_str(st, 6, x->reason)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	snprintf(x->object, sizeof(x->object), "case:%s", x->code);
	snprintf(x->before, sizeof(x->before), "state=%s\nrow_version=%lld\n", c.state,
		 (long long)c.row_version);
	snprintf(x->after, sizeof(x->after), "state=%s\nrow_version=%lld\nwithdrawn_on=%s\n",
		 RC_STATE_WITHDRAWN, (long long)c.row_version + 1, on);
	rc_proc_fill_row(row, &x->a, x->object, x->before, x->after);
	return RC_OK;
}

enum rc_err rc_proc_case_withdraw(struct rc_unit *u, const struct rc_policy *policy,
				  const char *actor, const char *code, const char *reason,
				  int32_t today, struct rc_diags *d)
{
	/* the reason is written down: required, one line, capped */
	if (rc_proc_text("--reason (the reason of the withdrawal)", reason, REASON_MAX, d))
		return RC_ERR_RANGE;
	struct withdraw_ctx x = {
	    .p = policy, .actor = actor, .code = code, .reason = reason, .today = today};
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = "-",
				   .action = "case.withdraw",
				   .object = "case",
				   .before = "",
				   .after = ""};
	return rc_unit_change(u, &a, do_withdraw, &x, d);
}
