/*
 * cases.c -- opening a case and moving it through the policy's procedure.
 *
 * The steps, who performs each, what may follow and the deadlines come from
 * the policy file's `procedure` section (DOMAIN.md §3), never from C.  A
 * case is pinned to the policy version it was opened under.  Every refused
 * transition says which rule refused it; every accepted one writes its
 * step row and its audit row in one transaction.
 */
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/date.h"
#include "policy/policy.h"
#include "procedure/procedure_int.h"

/* Conditions on leaving a step, keyed on the step's name: the policy
 * language has no word for them, and the shipped policy's step names are
 * the contract (docs/modules/procedure.md).  Each hook refuses with a
 * message naming its rule.
 *
 * 会商研判 (DOMAIN.md §3, 一事一议): the case moves on only when the
 * consultation is recorded and 纪检、组织、信访、审计 have each given a
 * written opinion or recorded a recusal. */
typedef enum rc_err (*leave_hook)(struct rc_store *s, const struct rc_case_row *c, const char *code,
				  struct rc_diags *d);
static const struct {
	const char *step;
	leave_hook fn;
} leave_hooks[] = {
    {RC_STEP_CONSULT, rc_proc_consult_complete},
};

/* The due date of a step entered on `today`, or INT32_MIN for none; *warn
 * when the calendar has no data for a day it counted. */
static enum rc_err due_date(const struct rc_step_info *si, const struct rc_cal *cal, int32_t today,
			    int32_t *due, int *warn)
{
	*due = INT32_MIN;
	*warn = 0;
	switch (si->deadline_unit) {
	case RC_DUR_NONE: return RC_OK;
	case RC_DUR_WORKDAYS: return rc_cal_add_workdays(cal, today, si->deadline_n, due, warn);
	case RC_DUR_DAYS: *due = today + si->deadline_n; return RC_OK;
	case RC_DUR_MONTHS: *due = rc_date_add_months(today, si->deadline_n); return RC_OK;
	case RC_DUR_YEARS: *due = rc_date_add_months(today, 12 * si->deadline_n); return RC_OK;
	}
	return RC_ERR_INTERNAL;
}

static enum rc_err insert_step(struct rc_store *s, int64_t case_id, const char *step, int32_t today,
			       int32_t due, int64_t user, const char *note)
{
	struct rc_stmt *st;
	int row;
	char t[RC_DATE_STRLEN], dd[RC_DATE_STRLEN];
	enum rc_err e;
	rc_date_format(today, t);
	if (due != INT32_MIN)
		rc_date_format(due, dd);
	if ((e = rc_store_stmt(s, Q_STEP_INSERT, &st)) || (e = rc_stmt_bind_int(st, 1, case_id)) ||
	    (e = rc_stmt_bind_str(st, 2, step)) || (e = rc_stmt_bind_str(st, 3, t)) ||
	    (e = due != INT32_MIN ? rc_stmt_bind_str(st, 4, dd) : rc_stmt_bind_null(st, 4)) ||
	    (e = rc_stmt_bind_int(st, 5, user)) || (e = rc_stmt_bind_str(st, 6, note)))
		return e;
	return rc_stmt_step(st, &row);
}

/* ---- open ----------------------------------------------------------- */

struct open_ctx {
	const struct rc_policy *p;
	const struct rc_cal *cal;
	const char *actor;
	const struct rc_case_new *c;
	int32_t today;
	struct rc_actor a; /* the acting user; the audit row points into it */
	char code[64], object[80], after[1024];
	int warn;
};

/* The id of organisation `code`, or 0 when there is none. */
static enum rc_err org_quiet(struct rc_store *s, const char *code, int64_t *id)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	*id = 0;
	if ((e = rc_store_stmt(s, Q_ORG_BY_CODE, &st)) || (e = rc_stmt_bind_str(st, 1, code)) ||
	    (e = rc_stmt_step(st, &row)))
		return e;
	if (!row)
		return RC_OK;
	*id = rc_stmt_int(st, 0);
	return rc_proc_stmt_done(st);
}

static enum rc_err do_open(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			   struct rc_diags *d)
{
	struct open_ctx *x = vctx;
	const struct rc_case_new *c = x->c;
	struct rc_actor *a = &x->a;
	struct rc_step_info first;
	struct rc_stmt *st;
	int64_t handling, committee = 0, subject_org = 0;
	int ok, r;
	char roles[512], today[RC_DATE_STRLEN];
	enum rc_err e;

	if ((e = rc_policy_step(x->p, 0, &first))) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "policy %s has no procedure: cases cannot be opened under it",
			    rc_policy_version(x->p));
		return e;
	}
	/* An organisation code nobody has is answered as one out of the user's
	 * reach, below: the same refusal, so that the form cannot be used to
	 * find out which codes exist elsewhere (the id stays 0, in no scope). */
	if ((e = rc_proc_actor_find(s, x->actor, a, d)) ||
	    (e = org_quiet(s, c->handling_org, &handling)) ||
	    (c->committee_org && (e = org_quiet(s, c->committee_org, &committee))) ||
	    (c->subject_org && (e = org_quiet(s, c->subject_org, &subject_org))))
		return e;
	if (!rc_proc_performs(&first, a->role)) {
		rc_proc_actors_text(&first, roles, sizeof(roles));
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: the first step '%s' is performed by %s; user '%s' has the "
			    "role '%s'",
			    first.name, roles, x->actor, a->role);
		return RC_ERR_RANGE;
	}
	/* Who opens a case where: a department, for its organisation or one
	 * below it; the official concerned (当事人) or their unit (所在单位)
	 * apply to the handling organisation, which is theirs or one above
	 * (DOMAIN.md §3, 依申请启动) -- a bureau's official applies to the
	 * county.  The unit may also open one for a handling unit below it. */
	enum rc_case_scope kind = rc_proc_case_scope(a->role);
	if ((e = rc_proc_in_scope(s, handling, a->org, &ok)))
		return e;
	if (!ok && kind != RC_SCOPE_BY_HANDLING && (e = rc_proc_in_scope(s, a->org, handling, &ok)))
		return e;
	if (!ok) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    kind == RC_SCOPE_BY_HANDLING
				? "refused: user '%s' is not in organisation '%s' or one above it"
				: "refused: user '%s' applies to its own organisation or one above "
				  "it, not to '%s'",
			    x->actor, c->handling_org);
		return RC_ERR_RANGE;
	}
	/* the committee (党委（党组）) that decides is the handling unit's or
	 * one above it, never a sibling's or a unit below */
	if (committee && (e = rc_proc_in_scope(s, handling, committee, &ok)))
		return e;
	if (c->committee_org && (!committee || !ok)) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: the committee '%s' is not the handling unit '%s' or one above "
		    "it",
		    c->committee_org, c->handling_org);
		return RC_ERR_RANGE;
	}
	/* they apply: a case they open is started on application (依申请) */
	if (kind != RC_SCOPE_BY_HANDLING && strcmp(c->start_path, "application") != 0) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: a %s applies (start path application); a case is started "
			    "ex officio by the departments that handle cases",
			    a->role);
		return RC_ERR_RANGE;
	}
	/* 当事人: an application about themselves, never about a colleague */
	if (kind == RC_SCOPE_BY_PARTY && (a->person <= 0 || c->person_id != a->person)) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    a->person <= 0
			? "refused: the account '%s' (当事人) is not yet tied to its official "
			  "record; 安全管理员 ties it (`rongcuo user person`)"
			: "refused: a 当事人 applies about themselves: the official must be "
			  "the one the account '%s' is",
		    x->actor);
		return RC_ERR_RANGE;
	}
	/* The official and the unit concerned are the user's to name only in
	 * their scope (DOMAIN.md §1): one outside it is answered as one that
	 * does not exist, so that ids cannot be walked to read another
	 * county's officials through the case they would open. */
	if (c->person_id) {
		int vis;
		if ((e = rc_proc_person_visible(s, c->person_id, a->org, &vis)))
			return e;
		if (!vis) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "no official with id %lld in your organisation or below it",
				    (long long)c->person_id);
			return RC_ERR_NAME;
		}
	}
	if (c->subject_org) {
		if ((e = rc_proc_in_scope(s, subject_org, a->org, &ok)))
			return e;
		if (!ok) {
			rc_diag_add(
			    d, RC_SEV_ERROR, 0, 0,
			    "no organisation with code '%s' in your organisation or below it",
			    c->subject_org);
			return RC_ERR_NAME;
		}
	}
	rc_date_format(x->today, today);
	if (c->code) {
		snprintf(x->code, sizeof(x->code), "%s", c->code);
	} else {
		if ((e = rc_store_stmt(s, Q_CASE_COUNT, &st)) || (e = rc_stmt_step(st, &r)))
			return e;
		snprintf(x->code, sizeof(x->code), "%s-%.4s-%04lld", c->handling_org, today,
			 (long long)rc_stmt_int(st, 0) + 1);
		if (strchr(x->code, '/')) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "the handling unit's code '%s' holds '/': give the case a code",
				    c->handling_org);
			return RC_ERR_RANGE;
		}
	}
	if ((e = rc_store_stmt(s, Q_CASE_INSERT, &st)) || (e = rc_stmt_bind_str(st, 1, x->code)) ||
	    (e = c->person_id ? rc_stmt_bind_int(st, 2, c->person_id) : rc_stmt_bind_null(st, 2)) ||
	    (e = subject_org ? rc_stmt_bind_int(st, 3, subject_org) : rc_stmt_bind_null(st, 3)) ||
	    (e = rc_stmt_bind_str(st, 4, c->start_path)) ||
	    (e = rc_stmt_bind_str(st, 5, c->source)) ||
	    (e = rc_stmt_bind_str(st, 6, c->accountability_ref)) ||
	    (e = rc_stmt_bind_int(st, 7, handling)) ||
	    (e = committee ? rc_stmt_bind_int(st, 8, committee) : rc_stmt_bind_null(st, 8)) ||
	    (e = rc_stmt_bind_str(st, 9, rc_policy_series(x->p))) ||
	    (e = rc_stmt_bind_str(st, 10, rc_policy_version(x->p))) ||
	    (e = rc_stmt_bind_str(st, 11, first.name)) || (e = rc_stmt_bind_str(st, 12, today)) ||
	    (e = rc_stmt_bind_int(st, 13, a->id)))
		return e;
	if ((e = rc_stmt_step(st, &r))) {
		if (e == RC_ERR_CONFLICT)
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "case code '%s' is taken, or the subject is missing (a person "
				    "or an organisation is required), or a value is not allowed",
				    x->code);
		return e;
	}
	int64_t case_id = rc_store_last_id(s);
	int32_t due;
	if ((e = due_date(&first, x->cal, x->today, &due, &x->warn)) ||
	    (e = insert_step(s, case_id, first.name, x->today, due, a->id, "opened")))
		return e;
	snprintf(x->object, sizeof(x->object), "case:%s", x->code);
	snprintf(x->after, sizeof(x->after),
		 "code=%s\npolicy=%s %s\nstate=%s\nstart_path=%s\nsource=%s\nhandling=%s\n",
		 x->code, rc_policy_series(x->p), rc_policy_version(x->p), first.name,
		 c->start_path, c->source ? c->source : "", c->handling_org);
	rc_proc_fill_row(row, a, x->object, NULL, x->after);
	return RC_OK;
}

enum rc_err rc_proc_case_open(struct rc_unit *u, const struct rc_policy *policy,
			      const struct rc_cal *cal, const char *actor,
			      const struct rc_case_new *c, int32_t today, char *code_out,
			      size_t code_len, struct rc_diags *d)
{
	static const char *const sources[] = {"监督执纪", "巡视巡察", "干部考核", "监管执法",
					      "审计",     "其他",     NULL};
	if (!c->start_path || (strcmp(c->start_path, "application") != 0 &&
			       strcmp(c->start_path, "ex_officio") != 0)) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "the start path must be 'application' (依申请) or 'ex_officio' (依职权)");
		return RC_ERR_RANGE;
	}
	int known = !c->source;
	for (int i = 0; sources[i] && !known; i++)
		known = strcmp(sources[i], c->source) == 0;
	if (!known) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "source '%s' is not one of: 监督执纪, 巡视巡察, 干部考核, 监管执法, 审计, 其他",
		    c->source);
		return RC_ERR_RANGE;
	}
	if (!c->person_id && !c->subject_org) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "a case needs its subject: an official (--person ID) or a unit (--unit "
			    "CODE)");
		return RC_ERR_RANGE;
	}
	if (!c->handling_org) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "a case needs its handling unit (承办单位)");
		return RC_ERR_RANGE;
	}
	/* no '/': a case's audit rows are "case:CODE" and "case:CODE/..." */
	if (c->code &&
	    (!*c->code || strlen(c->code) > 63 || strchr(c->code, '\n') || strchr(c->code, '/'))) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "a case code is one line of 1 to 63 bytes without '/' (as import "
			    "requires)");
		return RC_ERR_RANGE;
	}
	struct open_ctx x = {.p = policy, .cal = cal, .actor = actor, .c = c, .today = today};
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = c->handling_org,
				   .action = "case.open",
				   .object = "case:new",
				   .before = "",
				   .after = ""};
	enum rc_err e = rc_unit_change(u, &a, do_open, &x, d);
	if (!e) {
		snprintf(code_out, code_len, "%s", x.code);
		if (x.warn)
			rc_diag_add(
			    d, RC_SEV_WARNING, 0, 0,
			    "the deadline runs into a year with no holiday calendar; it was "
			    "counted on weekdays only -- enter that year's notice");
	}
	return e;
}

/* ---- step ----------------------------------------------------------- */

struct step_ctx {
	const struct rc_policy *p;
	const struct rc_cal *cal;
	const char *actor, *code, *next, *note;
	int32_t today;
	struct rc_actor a; /* the acting user; the audit row points into it */
	char object[80], before[256], after[256];
	int warn;
};

static enum rc_err do_step(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			   struct rc_diags *d)
{
	struct step_ctx *x = vctx;
	struct rc_stmt *st;
	struct rc_actor *a = &x->a;
	struct rc_step_info cur, nxt;
	int r;
	char roles[512], now[RC_DATE_STRLEN];
	enum rc_err e;

	if ((e = rc_proc_actor_find(s, x->actor, a, d)))
		return e;
	struct rc_case_row cr;
	if ((e = rc_proc_case_load(s, x->p, x->code, &cr, d)))
		return e;
	int64_t case_id = cr.id, prepared_by = cr.prepared_by;
	int64_t row_version = cr.row_version;
	const char *state = cr.state, *version = cr.version;
	int ci = rc_policy_find(x->p, RC_K_STEP, state),
	    ni = rc_policy_find(x->p, RC_K_STEP, x->next);
	if (ci < 0 || rc_policy_step(x->p, ci, &cur)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "case %s is in step '%s', unknown to policy %s",
			    x->code, state, version);
		return RC_ERR_RANGE;
	}
	int follows = 0;
	for (int i = 0; i < cur.n_next; i++)
		follows |= cur.next[i] == ni;
	if (ni < 0 || !follows || rc_policy_step(x->p, ni, &nxt)) {
		char list[512] = "";
		size_t off = 0;
		for (int i = 0; i < cur.n_next && off + 1 < sizeof(list); i++) {
			struct rc_step_info t;
			if (rc_policy_step(x->p, cur.next[i], &t) == RC_OK)
				off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
							i ? ", " : "", t.name);
		}
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: from step '%s' the case can go to %s, not '%s'", state,
			    off ? list : "no further step (it is finished)", x->next);
		return RC_ERR_RANGE;
	}
	if (!rc_proc_performs(&nxt, a->role)) {
		rc_proc_actors_text(&nxt, roles, sizeof(roles));
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: step '%s' is performed by %s; user '%s' has the role '%s'",
			    nxt.name, roles, x->actor, a->role);
		return RC_ERR_RANGE;
	}
	if ((e = rc_proc_require_scope(s, &cr, a, x->actor, d)))
		return e;
	if (nxt.four_eyes && a->id == prepared_by) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: user '%s' prepared case %s and step '%s' must be performed by "
		    "someone else (four eyes: 承办人不得审批本人承办的案件)",
		    x->actor, x->code, nxt.name);
		return RC_ERR_RANGE;
	}
	for (size_t i = 0; i < sizeof(leave_hooks) / sizeof(leave_hooks[0]); i++)
		if (strcmp(leave_hooks[i].step, state) == 0 &&
		    (e = leave_hooks[i].fn(s, &cr, x->code, d)))
			return e;
	rc_date_format(x->today, now);
	if ((e = rc_store_stmt(s, Q_CASE_SET_STATE, &st)) ||
	    (e = rc_stmt_bind_str(st, 1, nxt.name)) || (e = rc_stmt_bind_str(st, 2, now)) ||
	    (e = rc_stmt_bind_int(st, 3, case_id)) || (e = rc_stmt_bind_int(st, 4, row_version)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	if (rc_store_changes(s) != 1) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "case %s was changed by someone else meanwhile; look at it again and "
			    "retry",
			    x->code);
		return RC_ERR_CONFLICT;
	}
	int32_t due;
	if ((e = due_date(&nxt, x->cal, x->today, &due, &x->warn)) ||
	    (e = insert_step(s, case_id, nxt.name, x->today, due, a->id, x->note)))
		return e;
	snprintf(x->object, sizeof(x->object), "case:%s", x->code);
	snprintf(x->before, sizeof(x->before), "state=%s\nrow_version=%lld\n", state,
		 (long long)row_version);
	snprintf(x->after, sizeof(x->after), "state=%s\nrow_version=%lld\n", nxt.name,
		 (long long)row_version + 1);
	rc_proc_fill_row(row, a, x->object, x->before, x->after);
	return RC_OK;
}

enum rc_err rc_proc_case_step(struct rc_unit *u, const struct rc_policy *policy,
			      const struct rc_cal *cal, const char *actor, const char *code,
			      const char *next, const char *note, int32_t today, struct rc_diags *d)
{
	struct step_ctx x = {.p = policy,
			     .cal = cal,
			     .actor = actor,
			     .code = code,
			     .next = next,
			     .note = note,
			     .today = today};
	char action[160];
	snprintf(action, sizeof(action), "case.step.%s", next);
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = "-",
				   .action = action,
				   .object = "case",
				   .before = "",
				   .after = ""};
	enum rc_err e = rc_unit_change(u, &a, do_step, &x, d);
	if (!e && x.warn)
		rc_diag_add(
		    d, RC_SEV_WARNING, 0, 0,
		    "the deadline runs into a year with no holiday calendar; it was counted "
		    "on weekdays only -- enter that year's notice");
	return e;
}
