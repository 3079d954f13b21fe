/*
 * consult.c -- 会商研判: the joint consultation of a case.
 *
 * DOMAIN.md §3 (SEED): 会商研判, 一事一议 -- each case has its own
 * consultation, in which 纪检、组织、信访、审计 each give a written opinion
 * and, for complex or technical questions, 行业主管部门、第三方机构、法律顾问
 * give an evaluation.  The record keeps the participants, their recusals
 * (回避), every opinion, the dissent and the minutes (会议纪要).  The
 * consultation's opinion is the second of the three separate records of
 * DOMAIN.md §2.6 (recommendation, consultation, decision).
 *
 * A recusal is recorded per participant but binds the department: a
 * department with a recused participant gives no opinion, and a department
 * that gave its opinion can no longer recuse.  The case leaves 会商研判 only
 * when each of the four departments has an opinion or a recusal
 * (rc_proc_consult_complete, called by rc_proc_case_step).
 */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "core/date.h"
#include "procedure/procedure_int.h"

static const char *const depts[] = {"纪检",         "组织",       "信访",     "审计",
				    "行业主管部门", "第三方机构", "法律顾问", NULL};
static const char *const required[] = {"纪检", "组织", "信访", "审计", NULL};

int rc_proc_dept_known(const char *dept)
{
	for (int i = 0; dept && depts[i]; i++)
		if (strcmp(depts[i], dept) == 0)
			return 1;
	return 0;
}

static enum rc_err check_dept(const char *dept, struct rc_diags *d)
{
	if (rc_proc_dept_known(dept))
		return RC_OK;
	rc_diag_add(d, RC_SEV_ERROR, 0, 0, "department '%s' is not one of: %s", dept ? dept : "",
		    RC_CONSULT_DEPTS);
	return RC_ERR_RANGE;
}

/* The case, the actor, and the step guard shared by every consultation
 * record: written while the case is at 会商研判, by a role of that step. */
static enum rc_err at_consult(struct rc_store *s, const struct rc_policy *p, const char *actor,
			      const char *code, const char *what, struct rc_case_row *c,
			      struct rc_actor *a, struct rc_diags *d)
{
	struct rc_step_info si;
	enum rc_err e = rc_proc_case_actor(s, p, actor, code, RC_STEP_CONSULT, what, c, a, &si, d);
	if (e)
		return e;
	if (strcmp(c->state, RC_STEP_CONSULT) != 0) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: %s is recorded while the case is at step '%s'; case %s is at "
			    "'%s'",
			    what, RC_STEP_CONSULT, code, c->state);
		return RC_ERR_RANGE;
	}
	return RC_OK;
}

/* The case's consultation: *id (0 when there is none). */
static enum rc_err consult_id(struct rc_store *s, int64_t case_id, int64_t *id)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	*id = 0;
	if ((e = rc_store_stmt(s, Q_CONSULT_OF_CASE, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, case_id)) || (e = rc_stmt_step(st, &row)))
		return e;
	if (row)
		*id = rc_stmt_int(st, 0);
	return RC_OK;
}

static enum rc_err need_consult(struct rc_store *s, const struct rc_case_row *c, const char *code,
				int64_t *id, struct rc_diags *d)
{
	enum rc_err e = consult_id(s, c->id, id);
	if (!e && !*id) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: case %s has no consultation yet; record it first with "
			    "`rongcuo case consult`",
			    code);
		e = RC_ERR_RANGE;
	}
	return e;
}

struct dept_status {
	int64_t active, recused, opinions;
	char name[256], reason[1100];
};

static enum rc_err dept_status(struct rc_store *s, int64_t consult, const char *dept,
			       struct dept_status *ds)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_DEPT_STATUS, &st)) || (e = rc_stmt_bind_int(st, 1, consult)) ||
	    (e = rc_stmt_bind_str(st, 2, dept)) || (e = rc_stmt_step(st, &row)))
		return e;
	if (!row)
		return RC_ERR_INTERNAL;
	ds->active = rc_stmt_int(st, 0);
	ds->recused = rc_stmt_int(st, 1);
	ds->opinions = rc_stmt_int(st, 2);
	snprintf(ds->name, sizeof(ds->name), "%s", rc_stmt_text(st, 3, NULL));
	snprintf(ds->reason, sizeof(ds->reason), "%s", rc_stmt_text(st, 4, NULL));
	return RC_OK;
}

/* ---- the consultation ------------------------------------------------ */

struct consult_ctx {
	const struct rc_policy *p;
	const char *actor, *code, *minutes;
	int32_t held_on;
	struct rc_actor a;
	char object[160], after[4200];
};

static enum rc_err do_consult(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			      struct rc_diags *d)
{
	struct consult_ctx *x = vctx;
	struct rc_case_row c;
	struct rc_stmt *st;
	int r;
	char held[RC_DATE_STRLEN], now[21];
	enum rc_err e;
	if ((e = at_consult(s, x->p, x->actor, x->code, "a consultation", &c, &x->a, d)))
		return e;
	rc_date_format(x->held_on, held);
	rc_audit_now(now);
	if ((e = rc_store_stmt(s, Q_CONSULT_INSERT, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_bind_str(st, 2, held)) || (e = rc_stmt_bind_str(st, 3, x->minutes)) ||
	    (e = rc_stmt_bind_int(st, 4, x->a.id)) || (e = rc_stmt_bind_str(st, 5, now)))
		return e;
	if ((e = rc_stmt_step(st, &r))) {
		if (e == RC_ERR_CONFLICT)
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "refused: case %s already has its consultation (一事一议: one "
				    "consultation per case)",
				    x->code);
		return e;
	}
	snprintf(x->object, sizeof(x->object), "case:%s/consultation", x->code);
	if ((e = rc_proc_canon(x->after, sizeof(x->after), "held=%s\nminutes=%s\n", held,
			       x->minutes)))
		return e;
	rc_proc_fill_row(row, &x->a, x->object, NULL, x->after);
	return RC_OK;
}

enum rc_err rc_proc_consult_open(struct rc_unit *u, const struct rc_policy *policy,
				 const char *actor, const char *code, int32_t held_on,
				 const char *minutes, struct rc_diags *d)
{
	enum rc_err e = rc_proc_text("the minutes (--minutes)", minutes, 4000, d);
	if (e)
		return e;
	struct consult_ctx x = {
	    .p = policy, .actor = actor, .code = code, .minutes = minutes, .held_on = held_on};
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = "-",
				   .action = "case.consult",
				   .object = "case",
				   .before = "",
				   .after = ""};
	return rc_unit_change(u, &a, do_consult, &x, d);
}

/* ---- participants ------------------------------------------------------ */

struct part_ctx {
	const struct rc_policy *p;
	const char *actor, *code, *dept, *name, *reason;
	int recused;
	struct rc_actor a;
	char object[200], after[1600];
};

static enum rc_err do_participant(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
				  struct rc_diags *d)
{
	struct part_ctx *x = vctx;
	struct rc_case_row c;
	struct dept_status ds;
	struct rc_stmt *st;
	int64_t consult;
	int r;
	enum rc_err e;
	if ((e = at_consult(s, x->p, x->actor, x->code, "a participant", &c, &x->a, d)) ||
	    (e = need_consult(s, &c, x->code, &consult, d)) ||
	    (e = dept_status(s, consult, x->dept, &ds)))
		return e;
	if (x->recused && ds.opinions) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: %s has already given its opinion in the consultation of case "
			    "%s; a department that gave its opinion cannot recuse (回避)",
			    x->dept, x->code);
		return RC_ERR_RANGE;
	}
	if ((e = rc_store_stmt(s, Q_PARTICIPANT_INSERT, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, consult)) || (e = rc_stmt_bind_str(st, 2, x->dept)) ||
	    (e = rc_stmt_bind_str(st, 3, x->name)) || (e = rc_stmt_bind_int(st, 4, x->recused)) ||
	    (e = rc_stmt_bind_str(st, 5, x->recused ? x->reason : NULL)) ||
	    (e = rc_stmt_bind_int(st, 6, x->a.id)))
		return e;
	if ((e = rc_stmt_step(st, &r))) {
		if (e == RC_ERR_CONFLICT)
			rc_diag_add(
			    d, RC_SEV_ERROR, 0, 0,
			    "%s of %s is already a participant in the consultation of case %s",
			    x->name, x->dept, x->code);
		return e;
	}
	snprintf(x->object, sizeof(x->object), "case:%s/consultation/participant:%lld", x->code,
		 (long long)rc_store_last_id(s));
	if ((e = rc_proc_canon(x->after, sizeof(x->after),
			       "dept=%s\nname=%s\nrecused=%d\nreason=%s\n", x->dept, x->name,
			       x->recused, x->recused ? x->reason : "")))
		return e;
	rc_proc_fill_row(row, &x->a, x->object, NULL, x->after);
	return RC_OK;
}

enum rc_err rc_proc_consult_participant(struct rc_unit *u, const struct rc_policy *policy,
					const char *actor, const char *code, const char *dept,
					const char *name, int recused, const char *reason,
					struct rc_diags *d)
{
	enum rc_err e;
	if ((e = check_dept(dept, d)) || (e = rc_proc_text("the name (--name)", name, 200, d)))
		return e;
	if (recused && (e = rc_proc_text("a recusal's reason (--reason)", reason, 1000, d)))
		return e;
	if (!recused && reason) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "--reason gives the reason of a recusal; add --recused or leave it out");
		return RC_ERR_RANGE;
	}
	struct part_ctx x = {.p = policy,
			     .actor = actor,
			     .code = code,
			     .dept = dept,
			     .name = name,
			     .reason = reason,
			     .recused = recused};
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = "-",
				   .action =
				       recused ? "case.participant.recused" : "case.participant",
				   .object = "case",
				   .before = "",
				   .after = ""};
	return rc_unit_change(u, &a, do_participant, &x, d);
}

/* ---- opinions ---------------------------------------------------------- */

struct opinion_ctx {
	const struct rc_policy *p;
	const char *actor, *code, *dept, *opinion, *dissent;
	struct rc_actor a;
	char object[200], after[8200];
};

static enum rc_err do_opinion(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			      struct rc_diags *d)
{
	struct opinion_ctx *x = vctx;
	struct rc_case_row c;
	struct dept_status ds;
	struct rc_stmt *st;
	int64_t consult;
	int r;
	enum rc_err e;
	if ((e = at_consult(s, x->p, x->actor, x->code, "an opinion", &c, &x->a, d)) ||
	    (e = need_consult(s, &c, x->code, &consult, d)) ||
	    (e = dept_status(s, consult, x->dept, &ds)))
		return e;
	if (ds.recused) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: %s recused itself from the consultation of case %s (%s: %s); a "
		    "recused department gives no opinion (回避)",
		    x->dept, x->code, ds.name, ds.reason);
		return RC_ERR_RANGE;
	}
	if (!ds.active) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: %s has no participant in the consultation of case %s; an "
			    "opinion needs one (`rongcuo case participant`)",
			    x->dept, x->code);
		return RC_ERR_RANGE;
	}
	if ((e = rc_store_stmt(s, Q_OPINION_INSERT, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, consult)) || (e = rc_stmt_bind_str(st, 2, x->dept)) ||
	    (e = rc_stmt_bind_str(st, 3, x->opinion)) ||
	    (e = rc_stmt_bind_str(st, 4, x->dissent)) || (e = rc_stmt_bind_int(st, 5, x->a.id)))
		return e;
	if ((e = rc_stmt_step(st, &r))) {
		if (e == RC_ERR_CONFLICT)
			rc_diag_add(
			    d, RC_SEV_ERROR, 0, 0,
			    "%s has already given its opinion in the consultation of case %s "
			    "(one written opinion per department)",
			    x->dept, x->code);
		return e;
	}
	snprintf(x->object, sizeof(x->object), "case:%s/consultation/opinion:%s", x->code, x->dept);
	if ((e = rc_proc_canon(x->after, sizeof(x->after), "dept=%s\nopinion=%s\ndissent=%s\n",
			       x->dept, x->opinion, x->dissent ? x->dissent : "")))
		return e;
	rc_proc_fill_row(row, &x->a, x->object, NULL, x->after);
	return RC_OK;
}

enum rc_err rc_proc_consult_opinion(struct rc_unit *u, const struct rc_policy *policy,
				    const char *actor, const char *code, const char *dept,
				    const char *opinion, const char *dissent, struct rc_diags *d)
{
	enum rc_err e;
	if ((e = check_dept(dept, d)) ||
	    (e = rc_proc_text("the opinion (--opinion)", opinion, 4000, d)) ||
	    (e = rc_proc_text_opt("the dissent (--dissent)", dissent, 4000, d)))
		return e;
	struct opinion_ctx x = {.p = policy,
				.actor = actor,
				.code = code,
				.dept = dept,
				.opinion = opinion,
				.dissent = dissent};
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = "-",
				   .action = "case.opinion",
				   .object = "case",
				   .before = "",
				   .after = ""};
	return rc_unit_change(u, &a, do_opinion, &x, d);
}

/* ---- leaving 会商研判 -------------------------------------------------- */

enum rc_err rc_proc_consult_complete(struct rc_store *s, const struct rc_case_row *c,
				     const char *code, struct rc_diags *d)
{
	struct dept_status ds;
	int64_t consult;
	char missing[256] = "";
	size_t off = 0;
	enum rc_err e = consult_id(s, c->id, &consult);
	if (e)
		return e;
	if (!consult) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: case %s cannot leave '%s' without its consultation record "
			    "(`rongcuo case consult`): %s each give a written opinion (会商研判, "
			    "一事一议)",
			    code, RC_STEP_CONSULT, RC_CONSULT_REQUIRED);
		return RC_ERR_RANGE;
	}
	for (int i = 0; required[i]; i++) {
		if ((e = dept_status(s, consult, required[i], &ds)))
			return e;
		if (!ds.opinions && !ds.recused && off + 1 < sizeof(missing))
			off += (size_t)snprintf(missing + off, sizeof(missing) - off, "%s%s",
						off ? ", " : "", required[i]);
	}
	if (off) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: case %s cannot leave '%s' until %s have each given a written "
			    "opinion or recorded a recusal; missing: %s",
			    code, RC_STEP_CONSULT, RC_CONSULT_REQUIRED, missing);
		return RC_ERR_RANGE;
	}
	return RC_OK;
}
