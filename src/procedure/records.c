/*
 * records.c -- what follows the committee's decision: notification,
 * appeal and review, filing, rectification tasks, follow-up visits.
 *
 * DOMAIN.md §3 gives the steps after 认定: 告知/反馈 → 申诉/复核 → 结果运用 →
 * 备案 → 纠错 → 回访.  Each record here belongs to one of those steps (by
 * name, procedure.h RC_STEP_*): the roles the policy gives that step are the
 * roles that may write it, in the case's organisation scope.  The records
 * need the decision, not the case's current step: an appeal may arrive
 * after the case moved on to 结果运用 (申诉期间不停止执行), and a task is
 * verified long after it was set.  Every record is one unit of work with
 * its audit row, whose `after` is the record's canonical text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/date.h"
#include "procedure/procedure_int.h"

/* The records after 认定 need its decision: *meeting is its date. */
static enum rc_err need_decision(struct rc_store *s, const struct rc_case_row *c, const char *code,
				 const char *what, int32_t *meeting, struct rc_diags *d)
{
	int found;
	enum rc_err e = rc_proc_decision_meeting(s, c->id, &found, meeting);
	if (!e && !found) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: case %s has no decision yet; %s follows the committee's "
			    "decision (认定)",
			    code, what);
		e = RC_ERR_RANGE;
	}
	return e;
}

/* A date not before the decision's meeting. */
static enum rc_err not_before_meeting(int32_t on, int32_t meeting, const char *what,
				      struct rc_diags *d)
{
	char a[RC_DATE_STRLEN], b[RC_DATE_STRLEN];
	if (on >= meeting)
		return RC_OK;
	rc_date_format(on, a);
	rc_date_format(meeting, b);
	rc_diag_add(d, RC_SEV_ERROR, 0, 0, "refused: %s %s is before the decision's meeting on %s",
		    what, a, b);
	return RC_ERR_RANGE;
}

static int in_list(const char *v, const char *const *list)
{
	for (int i = 0; v && list[i]; i++)
		if (strcmp(list[i], v) == 0)
			return 1;
	return 0;
}

/* ---- 告知/反馈 --------------------------------------------------------- */

struct notify_ctx {
	const struct rc_policy *p;
	const char *actor, *code, *to, *how;
	int32_t on;
	struct rc_actor a;
	char object[160], after[400];
};

static enum rc_err do_notify(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			     struct rc_diags *d)
{
	struct notify_ctx *x = vctx;
	struct rc_case_row c;
	struct rc_step_info si;
	struct rc_stmt *st;
	int32_t meeting;
	int r;
	char on[RC_DATE_STRLEN];
	enum rc_err e;
	if ((e = rc_proc_case_actor(s, x->p, x->actor, x->code, RC_STEP_NOTIFY, "a notification",
				    &c, &x->a, &si, d)) ||
	    (e = need_decision(s, &c, x->code, "notification (告知)", &meeting, d)) ||
	    (e = not_before_meeting(x->on, meeting, "the notification date", d)))
		return e;
	rc_date_format(x->on, on);
	if ((e = rc_store_stmt(s, Q_NOTICE_INSERT, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_bind_str(st, 2, x->to)) || (e = rc_stmt_bind_str(st, 3, on)) ||
	    (e = rc_stmt_bind_str(st, 4, x->how)) || (e = rc_stmt_bind_int(st, 5, x->a.id)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	snprintf(x->object, sizeof(x->object), "case:%s/notification:%lld", x->code,
		 (long long)rc_store_last_id(s));
	if ((e = rc_proc_canon(x->after, sizeof(x->after), "to=%s\non=%s\nhow=%s\n", x->to, on,
			       x->how)))
		return e;
	rc_proc_fill_row(row, &x->a, x->object, NULL, x->after);
	return RC_OK;
}

enum rc_err rc_proc_case_notify(struct rc_unit *u, const struct rc_policy *policy,
				const char *actor, const char *code, const char *to, int32_t on,
				const char *how, struct rc_diags *d)
{
	static const char *const hows[] = {"书面", "当面", "其他", NULL};
	enum rc_err e = rc_proc_text("the recipient (--to)", to, 200, d);
	if (e)
		return e;
	if (!in_list(how, hows)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "--how '%s' is not one of: 书面, 当面, 其他",
			    how ? how : "");
		return RC_ERR_RANGE;
	}
	struct notify_ctx x = {
	    .p = policy, .actor = actor, .code = code, .to = to, .how = how, .on = on};
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = "-",
				   .action = "case.notify",
				   .object = "case",
				   .before = "",
				   .after = ""};
	return rc_unit_change(u, &a, do_notify, &x, d);
}

/* ---- 申诉 -------------------------------------------------------------- */

struct appeal_ctx {
	const struct rc_policy *p;
	const struct rc_cal *cal;
	const char *actor, *code, *by, *grounds;
	int32_t on, deadline;
	int warn;
	struct rc_actor a;
	char object[160], after[4500];
};

static enum rc_err do_appeal(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			     struct rc_diags *d)
{
	struct appeal_ctx *x = vctx;
	struct rc_case_row c;
	struct rc_step_info si;
	struct rc_stmt *st;
	enum rc_dur_unit unit;
	int32_t meeting, notified;
	int n, r;
	size_t len;
	char on[RC_DATE_STRLEN], nd[RC_DATE_STRLEN], dl[RC_DATE_STRLEN], period[64];
	enum rc_err e;
	if ((e = rc_proc_case_actor(s, x->p, x->actor, x->code, RC_STEP_APPEAL, "an appeal", &c,
				    &x->a, &si, d)) ||
	    (e = need_decision(s, &c, x->code, "an appeal (申诉)", &meeting, d)))
		return e;
	/* The period runs from the first notification: the official was told
	 * of the decision then, and a later notice to someone else does not
	 * reopen it. */
	if ((e = rc_store_stmt(s, Q_NOTICES_OF, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	if (!r) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: case %s has not been notified yet; the appeal period (申诉期限) "
		    "runs from the notification (`rongcuo case notify`)",
		    x->code);
		return RC_ERR_RANGE;
	}
	const char *t = rc_stmt_text(st, 1, &len);
	if (rc_date_parse(t, len, &notified))
		return RC_ERR_INTERNAL;
	if (rc_policy_param(x->p, "申诉期限", &unit, &n) || unit == RC_DUR_NONE) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: policy %s has no parameter '申诉期限' (the appeal period); add "
		    "it to the policy's procedure",
		    rc_policy_version(x->p));
		return RC_ERR_RANGE;
	}
	if ((e = rc_proc_add_dur(x->cal, notified, unit, n, &x->deadline, &x->warn)))
		return e;
	rc_date_format(x->on, on);
	rc_date_format(notified, nd);
	rc_date_format(x->deadline, dl);
	rc_proc_dur_text(unit, n, period, sizeof(period));
	if (x->on < notified) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: the appeal date %s is before the notification on %s", on, nd);
		return RC_ERR_RANGE;
	}
	if (x->on > x->deadline) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: the appeal period (申诉期限 %s) ran from the notification on %s "
		    "to %s; an appeal on %s is late",
		    period, nd, dl, on);
		return RC_ERR_RANGE;
	}
	if ((e = rc_store_stmt(s, Q_APPEAL_INSERT, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_bind_str(st, 2, on)) || (e = rc_stmt_bind_str(st, 3, x->by)) ||
	    (e = rc_stmt_bind_str(st, 4, x->grounds)) || (e = rc_stmt_bind_str(st, 5, nd)) ||
	    (e = rc_stmt_bind_str(st, 6, dl)) || (e = rc_stmt_bind_int(st, 7, x->a.id)))
		return e;
	if ((e = rc_stmt_step(st, &r))) {
		if (e == RC_ERR_CONFLICT)
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "case %s already has an appeal",
				    x->code);
		return e;
	}
	snprintf(x->object, sizeof(x->object), "case:%s/appeal", x->code);
	if ((e = rc_proc_canon(x->after, sizeof(x->after),
			       "on=%s\nby=%s\ngrounds=%s\nnotified=%s\ndeadline=%s\n", on, x->by,
			       x->grounds, nd, dl)))
		return e;
	rc_proc_fill_row(row, &x->a, x->object, NULL, x->after);
	return RC_OK;
}

enum rc_err rc_proc_case_appeal(struct rc_unit *u, const struct rc_policy *policy,
				const struct rc_cal *cal, const char *actor, const char *code,
				int32_t on, const char *by, const char *grounds, int32_t *deadline,
				struct rc_diags *d)
{
	enum rc_err e;
	if ((e = rc_proc_text("the appellant (--by)", by, 200, d)) ||
	    (e = rc_proc_text("the grounds (--grounds)", grounds, 4000, d)))
		return e;
	struct appeal_ctx x = {.p = policy,
			       .cal = cal,
			       .actor = actor,
			       .code = code,
			       .by = by,
			       .grounds = grounds,
			       .on = on};
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = "-",
				   .action = "case.appeal",
				   .object = "case",
				   .before = "",
				   .after = ""};
	e = rc_unit_change(u, &a, do_appeal, &x, d);
	if (!e && deadline)
		*deadline = x.deadline;
	if (!e && x.warn)
		rc_diag_add(d, RC_SEV_WARNING, 0, 0,
			    "the appeal period runs into a year with no holiday calendar; it was "
			    "counted on weekdays only -- enter that year's notice");
	return e;
}

/* ---- 复核 -------------------------------------------------------------- */

struct review_ctx {
	const struct rc_policy *p;
	const struct rc_cal *cal;
	const char *actor, *code, *result, *reasons;
	int32_t on;
	struct rc_actor a;
	char object[160], after[4300];
};

/* The decision step: the one the policy marks four-eyes (认定). */
static int decision_step(const struct rc_policy *p, struct rc_step_info *si)
{
	for (int i = 0; rc_policy_step(p, i, si) == RC_OK; i++)
		if (si->four_eyes)
			return 0;
	return -1;
}

static enum rc_err do_review(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			     struct rc_diags *d)
{
	struct review_ctx *x = vctx;
	struct rc_case_row c;
	struct rc_step_info si;
	struct rc_stmt *st;
	enum rc_dur_unit unit;
	int32_t filed, limit;
	int n, r, warn;
	size_t len;
	char on[RC_DATE_STRLEN], fd[RC_DATE_STRLEN], ld[RC_DATE_STRLEN], period[64];
	enum rc_err e;
	/* 复核 is a decision again: by the roles of the decision step, and
	 * never by who prepared the case (承办人不得审批本人承办的案件). */
	if (decision_step(x->p, &si)) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: policy %s has no decision step (four_eyes) whose roles review "
		    "an appeal",
		    rc_policy_version(x->p));
		return RC_ERR_RANGE;
	}
	if ((e = rc_proc_case_actor(s, x->p, x->actor, x->code, si.name, "a review (复核)", &c,
				    &x->a, &si, d)))
		return e;
	if (x->a.id == c.prepared_by) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: user '%s' prepared case %s and cannot review its appeal (four "
		    "eyes: 承办人不得审批本人承办的案件)",
		    x->actor, x->code);
		return RC_ERR_RANGE;
	}
	if ((e = rc_store_stmt(s, Q_APPEAL_OF_CASE, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	if (!r) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: case %s has no appeal to review (`rongcuo case appeal`)",
			    x->code);
		return RC_ERR_RANGE;
	}
	int64_t appeal = rc_stmt_int(st, 0);
	const char *t = rc_stmt_text(st, 1, &len);
	if (rc_date_parse(t, len, &filed))
		return RC_ERR_INTERNAL;
	rc_date_format(x->on, on);
	rc_date_format(filed, fd);
	if (x->on < filed) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: the review date %s is before the appeal on %s", on, fd);
		return RC_ERR_RANGE;
	}
	/* A late review is still recorded -- the appellant is owed one -- but
	 * the lateness is said. */
	if (!rc_policy_param(x->p, "复核期限", &unit, &n) && unit != RC_DUR_NONE &&
	    !rc_proc_add_dur(x->cal, filed, unit, n, &limit, &warn) && x->on > limit) {
		rc_date_format(limit, ld);
		rc_proc_dur_text(unit, n, period, sizeof(period));
		rc_diag_add(
		    d, RC_SEV_WARNING, 0, 0,
		    "the review on %s is after the review period (复核期限 %s from the appeal "
		    "on %s, until %s)",
		    on, period, fd, ld);
	}
	if ((e = rc_store_stmt(s, Q_REVIEW_INSERT, &st)) || (e = rc_stmt_bind_int(st, 1, appeal)) ||
	    (e = rc_stmt_bind_str(st, 2, on)) || (e = rc_stmt_bind_str(st, 3, x->result)) ||
	    (e = rc_stmt_bind_str(st, 4, x->reasons)) || (e = rc_stmt_bind_int(st, 5, x->a.id)))
		return e;
	if ((e = rc_stmt_step(st, &r))) {
		if (e == RC_ERR_CONFLICT)
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "the appeal of case %s has already been reviewed", x->code);
		return e;
	}
	snprintf(x->object, sizeof(x->object), "case:%s/appeal/review", x->code);
	if ((e = rc_proc_canon(x->after, sizeof(x->after), "on=%s\nresult=%s\nreasons=%s\n", on,
			       x->result, x->reasons)))
		return e;
	rc_proc_fill_row(row, &x->a, x->object, NULL, x->after);
	return RC_OK;
}

enum rc_err rc_proc_case_review(struct rc_unit *u, const struct rc_policy *policy,
				const struct rc_cal *cal, const char *actor, const char *code,
				int32_t on, const char *result, const char *reasons,
				struct rc_diags *d)
{
	static const char *const results[] = {"维持", "变更", "撤销", NULL};
	enum rc_err e;
	if (!in_list(result, results)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "--result '%s' is not one of: 维持, 变更, 撤销",
			    result ? result : "");
		return RC_ERR_RANGE;
	}
	if ((e = rc_proc_text("the reasons (--reasons)", reasons, 4000, d)))
		return e;
	struct review_ctx x = {.p = policy,
			       .cal = cal,
			       .actor = actor,
			       .code = code,
			       .result = result,
			       .reasons = reasons,
			       .on = on};
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = "-",
				   .action = "case.review",
				   .object = "case",
				   .before = "",
				   .after = ""};
	return rc_unit_change(u, &a, do_review, &x, d);
}

/* ---- 备案 -------------------------------------------------------------- */

struct file_ctx {
	const struct rc_policy *p;
	const char *actor, *code, *org;
	int32_t on;
	struct rc_actor a;
	char object[200], after[200];
};

static enum rc_err do_file(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			   struct rc_diags *d)
{
	struct file_ctx *x = vctx;
	struct rc_case_row c;
	struct rc_step_info si;
	struct rc_stmt *st;
	int64_t org;
	int32_t meeting;
	int r, above;
	char on[RC_DATE_STRLEN];
	enum rc_err e;
	if ((e = rc_proc_case_actor(s, x->p, x->actor, x->code, RC_STEP_FILE, "a filing (备案)", &c,
				    &x->a, &si, d)) ||
	    (e = need_decision(s, &c, x->code, "filing (备案)", &meeting, d)) ||
	    (e = not_before_meeting(x->on, meeting, "the filing date", d)) ||
	    (e = rc_proc_org_id(s, x->org, &org, d)) ||
	    (e = rc_proc_in_scope(s, c.handling, org, &above)))
		return e;
	/* The decision is filed with the superior 组织人事部门 (DOMAIN.md §3):
	 * an organisation strictly above the handling unit. */
	if (!above || org == c.handling) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: 备案 goes to an organisation above the case's handling unit; "
			    "'%s' is not above it",
			    x->org);
		return RC_ERR_RANGE;
	}
	rc_date_format(x->on, on);
	if ((e = rc_store_stmt(s, Q_FILING_INSERT, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_bind_int(st, 2, org)) || (e = rc_stmt_bind_str(st, 3, on)) ||
	    (e = rc_stmt_bind_int(st, 4, x->a.id)))
		return e;
	if ((e = rc_stmt_step(st, &r))) {
		if (e == RC_ERR_CONFLICT)
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "case %s is already filed with '%s'",
				    x->code, x->org);
		return e;
	}
	snprintf(x->object, sizeof(x->object), "case:%s/filing:%s", x->code, x->org);
	if ((e = rc_proc_canon(x->after, sizeof(x->after), "with=%s\non=%s\n", x->org, on)))
		return e;
	rc_proc_fill_row(row, &x->a, x->object, NULL, x->after);
	return RC_OK;
}

enum rc_err rc_proc_case_file(struct rc_unit *u, const struct rc_policy *policy, const char *actor,
			      const char *code, const char *org_code, int32_t on,
			      struct rc_diags *d)
{
	enum rc_err e = rc_proc_text("the organisation (--with)", org_code, 64, d);
	if (e)
		return e;
	struct file_ctx x = {.p = policy, .actor = actor, .code = code, .org = org_code, .on = on};
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = "-",
				   .action = "case.file",
				   .object = "case",
				   .before = "",
				   .after = ""};
	return rc_unit_change(u, &a, do_file, &x, d);
}

/* ---- 纠错: rectification tasks ---------------------------------------- */

struct task_ctx {
	const struct rc_policy *p;
	const char *actor, *code, *owner, *what, *verifier;
	int32_t due, on;
	int no;
	struct rc_actor a;
	char object[160], before[1400], after[1600];
};

static enum rc_err do_task_add(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			       struct rc_diags *d)
{
	struct task_ctx *x = vctx;
	struct rc_case_row c;
	struct rc_step_info si;
	struct rc_stmt *st;
	int32_t meeting;
	int r;
	char due[RC_DATE_STRLEN], now[21];
	enum rc_err e;
	if ((e = rc_proc_case_actor(s, x->p, x->actor, x->code, RC_STEP_RECTIFY,
				    "a rectification task", &c, &x->a, &si, d)) ||
	    (e = need_decision(s, &c, x->code, "rectification (纠错)", &meeting, d)) ||
	    (e = not_before_meeting(x->due, meeting, "the due date", d)))
		return e;
	if ((e = rc_store_stmt(s, Q_TASK_NEXT_NO, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	x->no = (int)rc_stmt_int(st, 0);
	rc_date_format(x->due, due);
	rc_audit_now(now);
	if ((e = rc_store_stmt(s, Q_TASK_INSERT, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_bind_int(st, 2, x->no)) || (e = rc_stmt_bind_str(st, 3, x->owner)) ||
	    (e = rc_stmt_bind_str(st, 4, due)) || (e = rc_stmt_bind_str(st, 5, x->what)) ||
	    (e = rc_stmt_bind_int(st, 6, x->a.id)) || (e = rc_stmt_bind_str(st, 7, now)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	snprintf(x->object, sizeof(x->object), "case:%s/task:%d", x->code, x->no);
	if ((e = rc_proc_canon(x->after, sizeof(x->after),
			       "owner=%s\ndue=%s\nwhat=%s\nstate=open\n", x->owner, due, x->what)))
		return e;
	rc_proc_fill_row(row, &x->a, x->object, NULL, x->after);
	return RC_OK;
}

enum rc_err rc_proc_task_add(struct rc_unit *u, const struct rc_policy *policy, const char *actor,
			     const char *code, const char *owner, int32_t due, const char *what,
			     int *no, struct rc_diags *d)
{
	enum rc_err e;
	if ((e = rc_proc_text("the owner (--owner)", owner, 200, d)) ||
	    (e = rc_proc_text("the task (--what)", what, 1000, d)))
		return e;
	struct task_ctx x = {
	    .p = policy, .actor = actor, .code = code, .owner = owner, .what = what, .due = due};
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = "-",
				   .action = "case.task.add",
				   .object = "case",
				   .before = "",
				   .after = ""};
	e = rc_unit_change(u, &a, do_task_add, &x, d);
	if (!e && no)
		*no = x.no;
	return e;
}

static enum rc_err do_task_done(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
				struct rc_diags *d)
{
	struct task_ctx *x = vctx;
	struct rc_case_row c;
	struct rc_step_info si;
	struct rc_actor v;
	struct rc_stmt *st;
	int r;
	char on[RC_DATE_STRLEN], owner[256], due[16], what[1100], creator[72];
	enum rc_err e;
	if ((e = rc_proc_case_actor(s, x->p, x->actor, x->code, RC_STEP_RECTIFY,
				    "a rectification task", &c, &x->a, &si, d)))
		return e;
	if ((e = rc_store_stmt(s, Q_TASK_GET, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_bind_int(st, 2, x->no)) || (e = rc_stmt_step(st, &r)))
		return e;
	if (!r) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "case %s has no task %d", x->code, x->no);
		return RC_ERR_NOT_FOUND;
	}
	int64_t id = rc_stmt_int(st, 0), created_by = rc_stmt_int(st, 1);
	if (!rc_stmt_is_null(st, 2)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "refused: task %d of case %s was done on %s",
			    x->no, x->code, rc_stmt_text(st, 2, NULL));
		return RC_ERR_RANGE;
	}
	snprintf(owner, sizeof(owner), "%s", rc_stmt_text(st, 3, NULL));
	snprintf(due, sizeof(due), "%s", rc_stmt_text(st, 4, NULL));
	snprintf(what, sizeof(what), "%s", rc_stmt_text(st, 5, NULL));
	snprintf(creator, sizeof(creator), "%s", rc_stmt_text(st, 6, NULL));
	/* 纠错 with verification (DOMAIN.md §3): who set the task does not
	 * check it was done. */
	/* Who may verify: another enabled user of the case's organisation or
	 * above, not an administrator.  One answer for every way a login
	 * fails that -- unknown, disabled, administrator, out of scope -- so
	 * that the field cannot be used to find out about accounts elsewhere. */
	struct rc_diags *quiet = malloc(sizeof(*quiet));
	if (!quiet)
		return RC_ERR_NOMEM;
	rc_diags_init(quiet, "verifier");
	e = rc_proc_actor_find(s, x->verifier, &v, quiet);
	/* a department of the handling unit or above checks the work: not the
	 * official concerned nor their unit, whose scope reaches the case as
	 * its subject */
	if (!e && v.id != created_by)
		e = rc_proc_case_scope(v.role) != RC_SCOPE_BY_HANDLING
			? RC_ERR_RANGE
			: rc_proc_require_scope(s, &c, &v, x->verifier, quiet);
	free(quiet);
	if (e == RC_ERR_NAME || e == RC_ERR_RANGE) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: '%s' cannot verify task %d of case %s: the verifier is another "
		    "enabled user of the case's organisation or one above it, not an "
		    "administrator",
		    x->verifier, x->no, x->code);
		return RC_ERR_RANGE;
	}
	if (e)
		return e;
	if (v.id == created_by) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: task %d of case %s was set by '%s'; its completion must be "
			    "verified by another user (--verified-by)",
			    x->no, x->code, creator);
		return RC_ERR_RANGE;
	}
	if (v.id == x->a.id) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: task %d of case %s is reported done by '%s'; another user "
			    "verifies it",
			    x->no, x->code, x->actor);
		return RC_ERR_RANGE;
	}
	rc_date_format(x->on, on);
	if ((e = rc_store_stmt(s, Q_TASK_DONE, &st)) || (e = rc_stmt_bind_str(st, 1, on)) ||
	    (e = rc_stmt_bind_int(st, 2, x->a.id)) || (e = rc_stmt_bind_int(st, 3, v.id)) ||
	    (e = rc_stmt_bind_int(st, 4, id)) || (e = rc_stmt_step(st, &r)))
		return e;
	if (rc_store_changes(s) != 1)
		return RC_ERR_INTERNAL; /* the write lock is ours: it was open above */
	snprintf(x->object, sizeof(x->object), "case:%s/task:%d", x->code, x->no);
	if ((e = rc_proc_canon(x->before, sizeof(x->before),
			       "owner=%s\ndue=%s\nwhat=%s\nstate=open\n", owner, due, what)) ||
	    (e = rc_proc_canon(x->after, sizeof(x->after),
			       "owner=%s\ndue=%s\nwhat=%s\nstate=done\ndone=%s\nverified_by=%s\n",
			       owner, due, what, on, x->verifier)))
		return e;
	rc_proc_fill_row(row, &x->a, x->object, x->before, x->after);
	return RC_OK;
}

enum rc_err rc_proc_task_done(struct rc_unit *u, const struct rc_policy *policy, const char *actor,
			      const char *code, int no, int32_t on, const char *verifier,
			      struct rc_diags *d)
{
	enum rc_err e = rc_proc_text("the verifier (--verified-by)", verifier, 64, d);
	if (e)
		return e;
	if (no < 1) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "a task number is 1, 2, ...");
		return RC_ERR_RANGE;
	}
	struct task_ctx x = {
	    .p = policy, .actor = actor, .code = code, .verifier = verifier, .no = no, .on = on};
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = "-",
				   .action = "case.task.done",
				   .object = "case",
				   .before = "",
				   .after = ""};
	return rc_unit_change(u, &a, do_task_done, &x, d);
}

/* ---- 回访 -------------------------------------------------------------- */

struct visit_ctx {
	const struct rc_policy *p;
	const char *actor, *code, *notes;
	int32_t on;
	struct rc_actor a;
	char object[160], after[4200];
};

static enum rc_err do_visit(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			    struct rc_diags *d)
{
	struct visit_ctx *x = vctx;
	struct rc_case_row c;
	struct rc_step_info si;
	struct rc_stmt *st;
	int32_t meeting;
	int r;
	char on[RC_DATE_STRLEN], start[RC_DATE_STRLEN], end[RC_DATE_STRLEN];
	enum rc_err e;
	if ((e = rc_proc_case_actor(s, x->p, x->actor, x->code, RC_STEP_FOLLOW_UP,
				    "a follow-up visit", &c, &x->a, &si, d)) ||
	    (e = need_decision(s, &c, x->code, "a follow-up visit (回访)", &meeting, d)))
		return e;
	/* 回访教育 (DOMAIN.md §4): for officials under a sanction, during the
	 * impact period and at its end -- the end of every restriction,
	 * including 留党察看's further two years. */
	if ((e = rc_store_stmt(s, Q_PERIOD_OF_CASE, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	if (!r || rc_stmt_int(st, 0) == 0 || rc_stmt_is_null(st, 2)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: the decision of case %s started no impact period (影响期); "
			    "回访 follows a sanction during its impact period",
			    x->code);
		return RC_ERR_RANGE;
	}
	snprintf(start, sizeof(start), "%s", rc_stmt_text(st, 1, NULL));
	snprintf(end, sizeof(end), "%s", rc_stmt_text(st, 2, NULL));
	rc_date_format(x->on, on);
	if (strcmp(on, start) < 0 || strcmp(on, end) > 0) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: 回访 takes place during the impact period or at its end (%s to "
		    "%s); %s is outside it",
		    start, end, on);
		return RC_ERR_RANGE;
	}
	if ((e = rc_store_stmt(s, Q_FOLLOW_UP_INSERT, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, c.id)) || (e = rc_stmt_bind_str(st, 2, on)) ||
	    (e = rc_stmt_bind_str(st, 3, x->notes)) || (e = rc_stmt_bind_int(st, 4, x->a.id)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	snprintf(x->object, sizeof(x->object), "case:%s/visit:%lld", x->code,
		 (long long)rc_store_last_id(s));
	if ((e = rc_proc_canon(x->after, sizeof(x->after), "on=%s\nnotes=%s\n", on, x->notes)))
		return e;
	rc_proc_fill_row(row, &x->a, x->object, NULL, x->after);
	return RC_OK;
}

enum rc_err rc_proc_case_follow_up(struct rc_unit *u, const struct rc_policy *policy,
				   const char *actor, const char *code, int32_t on,
				   const char *notes, struct rc_diags *d)
{
	enum rc_err e = rc_proc_text("the notes (--notes)", notes, 4000, d);
	if (e)
		return e;
	struct visit_ctx x = {.p = policy, .actor = actor, .code = code, .notes = notes, .on = on};
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = "-",
				   .action = "case.visit",
				   .object = "case",
				   .before = "",
				   .after = ""};
	return rc_unit_change(u, &a, do_visit, &x, d);
}
