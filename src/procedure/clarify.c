/*
 * clarify.c -- 澄清正名: clearing an official's name after an unfounded complaint.
 *
 * DOMAIN.md §4 (SEED; the Zhejiang 失实检举控告澄清、治理诬告陷害 办法,
 * CONFIRMED): when a complaint (检举控告) against an official is found
 * unfounded (失实), decide on a clarification in a form scoped to the original harm
 * (书面 / 会议 / 通报), issue it, put it in the 廉政档案 with a copy to the
 * 组织部门, and refer suspected 诬告陷害 for handling.  绍兴 runs it as
 * 核查研判 → 澄清正名 → 治理诬告 → 通报发布.
 *
 * A clarification is its own record about an official, not a case.  Its
 * states follow one order -- opened → decided → issued → filed → referred --
 * and each operation is refused out of that order; a complaint that was
 * not unfounded closes the record (closed).  It is handled by the role 纪检 (the
 * 纪检监察机关) of the official's organisation or one above it, and the
 * user who opened it does not decide it (four eyes, as for cases).
 */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "core/date.h"
#include "procedure/procedure_int.h"

/* The states in their order, what each means, and the operation that
 * comes next. */
static const struct {
	const char *state, *label, *next;
} states[] = {
    {"opened", "opened (核查研判)", "decide"},
    {"decided", "decided (决定澄清)", "issue"},
    {"issued", "issued (已澄清正名)", "file"},
    {"filed", "filed (已归入廉政档案)", "refer"},
    {"referred", "referred (已移送诬告陷害线索)", NULL},
    {"closed", "closed: the complaint was not unfounded (反映不失实,不予澄清)", NULL},
};

static int state_index(const char *state)
{
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(states[i].state, state) == 0)
			return (int)i;
	return -1;
}

struct clar_row {
	int64_t person, person_org, opened_by;
	char state[16], issued_on[16], person_name[256];
};

struct clar_ctx {
	const char *actor, *op;
	int64_t id, person;
	const char *complaint, *form, *scope, *to;
	int unfounded;
	int32_t on;
	struct rc_actor a;
	char object[64], before[64], after[4400];
};

/* The acting user in role 纪检, in the scope of the official's
 * organisation. */
static enum rc_err clar_actor(struct rc_store *s, const char *login, int64_t person_org,
			      struct rc_actor *a, struct rc_diags *d)
{
	int ok;
	enum rc_err e = rc_proc_actor_find(s, login, a, d);
	if (e)
		return e;
	if (strcmp(a->role, RC_CLARIFY_ROLE) != 0) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: 澄清正名 is handled by the role %s (纪检监察机关); user '%s' has "
		    "the role '%s'",
		    RC_CLARIFY_ROLE, login, a->role);
		return RC_ERR_RANGE;
	}
	if ((e = rc_proc_in_scope(s, person_org, a->org, &ok)))
		return e;
	if (!ok) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: user '%s' is not in the official's organisation or one above it",
		    login);
		return RC_ERR_RANGE;
	}
	return RC_OK;
}

/* Load clarification `id` and check it is in state `want` -- else refuse,
 * naming where it is and what comes next. */
static enum rc_err clar_load(struct rc_store *s, struct clar_ctx *x, const char *want,
			     struct clar_row *k, struct rc_diags *d)
{
	struct rc_stmt *st;
	int r;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_CLARIFY_GET, &st)) || (e = rc_stmt_bind_int(st, 1, x->id)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	if (!r) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "no clarification %lld", (long long)x->id);
		return RC_ERR_NOT_FOUND;
	}
	k->person = rc_stmt_int(st, 0);
	snprintf(k->state, sizeof(k->state), "%s", rc_stmt_text(st, 1, NULL));
	snprintf(k->issued_on, sizeof(k->issued_on), "%s", rc_stmt_text(st, 5, NULL));
	k->opened_by = rc_stmt_int(st, 8);
	snprintf(k->person_name, sizeof(k->person_name), "%s", rc_stmt_text(st, 10, NULL));
	k->person_org = rc_stmt_int(st, 11);
	if ((e = clar_actor(s, x->actor, k->person_org, &x->a, d)))
		return e;
	if (strcmp(k->state, want) != 0) {
		int i = state_index(k->state);
		const char *label = i >= 0 ? states[i].label : k->state;
		const char *next = i >= 0 ? states[i].next : NULL;
		if (strcmp(k->state, "closed") == 0)
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "refused: clarification %lld is %s; there is nothing to %s",
				    (long long)x->id, label, x->op);
		else if (next)
			rc_diag_add(
			    d, RC_SEV_ERROR, 0, 0,
			    "refused: clarification %lld is %s; the order is open → decide "
			    "→ issue → file → refer, so `clarify %s` comes next, not `clarify "
			    "%s`",
			    (long long)x->id, label, next, x->op);
		else
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "refused: clarification %lld is %s: it is finished",
				    (long long)x->id, label);
		return RC_ERR_RANGE;
	}
	snprintf(x->object, sizeof(x->object), "clarification:%lld", (long long)x->id);
	snprintf(x->before, sizeof(x->before), "state=%s\n", k->state);
	return RC_OK;
}

/* An update that moves the state on; it changes one row, or someone else
 * moved it first. */
static enum rc_err moved(struct rc_store *s, struct clar_ctx *x, struct rc_diags *d)
{
	if (rc_store_changes(s) == 1)
		return RC_OK;
	rc_diag_add(d, RC_SEV_ERROR, 0, 0,
		    "clarification %lld was changed by someone else meanwhile; look at it again",
		    (long long)x->id);
	return RC_ERR_CONFLICT;
}

static enum rc_err run(struct rc_unit *u, rc_change_fn fn, struct clar_ctx *x, const char *action,
		       struct rc_diags *d)
{
	struct rc_audit_entry a = {.user = x->actor,
				   .role = "-",
				   .org = "-",
				   .action = action,
				   .object = "clarification",
				   .before = "",
				   .after = ""};
	return rc_unit_change(u, &a, fn, x, d);
}

/* ---- open --------------------------------------------------------------- */

static enum rc_err do_open(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			   struct rc_diags *d)
{
	struct clar_ctx *x = vctx;
	struct rc_stmt *st;
	int r;
	char now[21];
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_PERSON_BY_ID, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, x->person)) || (e = rc_stmt_step(st, &r)))
		return e;
	if (!r) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "no official with id %lld",
			    (long long)x->person);
		return RC_ERR_NAME;
	}
	if ((e = clar_actor(s, x->actor, rc_stmt_int(st, 1), &x->a, d)))
		return e;
	rc_audit_now(now);
	if ((e = rc_store_stmt(s, Q_CLARIFY_INSERT, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, x->person)) ||
	    (e = rc_stmt_bind_str(st, 2, x->complaint)) || (e = rc_stmt_bind_int(st, 3, x->a.id)) ||
	    (e = rc_stmt_bind_str(st, 4, now)) || (e = rc_stmt_step(st, &r)))
		return e;
	x->id = rc_store_last_id(s);
	snprintf(x->object, sizeof(x->object), "clarification:%lld", (long long)x->id);
	x->before[0] = '\0';
	if ((e = rc_proc_canon(x->after, sizeof(x->after),
			       "person=%lld\ncomplaint=%s\nstate=opened\n", (long long)x->person,
			       x->complaint)))
		return e;
	rc_proc_fill_row(row, &x->a, x->object, x->before, x->after);
	return RC_OK;
}

enum rc_err rc_proc_clarify_open(struct rc_unit *u, const char *actor, int64_t person_id,
				 const char *complaint, int64_t *id, struct rc_diags *d)
{
	enum rc_err e = rc_proc_text("the complaint (--report)", complaint, 4000, d);
	if (e)
		return e;
	struct clar_ctx x = {
	    .actor = actor, .op = "open", .person = person_id, .complaint = complaint};
	e = run(u, do_open, &x, "clarify.open", d);
	if (!e && id)
		*id = x.id;
	return e;
}

/* ---- decide -------------------------------------------------------------- */

static enum rc_err do_decide(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			     struct rc_diags *d)
{
	struct clar_ctx *x = vctx;
	struct clar_row k;
	struct rc_stmt *st;
	int r;
	enum rc_err e;
	if ((e = clar_load(s, x, "opened", &k, d)))
		return e;
	if (x->a.id == k.opened_by) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: user '%s' opened clarification %lld and cannot decide it (four "
		    "eyes)",
		    x->actor, (long long)x->id);
		return RC_ERR_RANGE;
	}
	const char *state = x->unfounded ? "decided" : "closed";
	if ((e = rc_store_stmt(s, Q_CLARIFY_DECIDE, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, x->unfounded)) || (e = rc_stmt_bind_str(st, 2, x->form)) ||
	    (e = rc_stmt_bind_str(st, 3, x->scope)) || (e = rc_stmt_bind_str(st, 4, state)) ||
	    (e = rc_stmt_bind_int(st, 5, x->a.id)) || (e = rc_stmt_bind_int(st, 6, x->id)) ||
	    (e = rc_stmt_step(st, &r)) || (e = moved(s, x, d)))
		return e;
	if ((e = rc_proc_canon(x->after, sizeof(x->after),
			       "unfounded=%d\nform=%s\nscope=%s\nstate=%s\n", x->unfounded,
			       x->form ? x->form : "", x->scope ? x->scope : "", state)))
		return e;
	rc_proc_fill_row(row, &x->a, x->object, x->before, x->after);
	return RC_OK;
}

enum rc_err rc_proc_clarify_decide(struct rc_unit *u, const char *actor, int64_t id, int unfounded,
				   const char *form, const char *scope, struct rc_diags *d)
{
	static const char *const forms[] = {"书面", "会议", "通报", NULL};
	enum rc_err e;
	if (unfounded) {
		int known = 0;
		for (int i = 0; form && forms[i]; i++)
			known |= strcmp(forms[i], form) == 0;
		if (!known) {
			rc_diag_add(
			    d, RC_SEV_ERROR, 0, 0,
			    "an unfounded complaint is clarified in a form scoped to the original "
			    "harm: --form 书面, 会议 or 通报%s%s%s",
			    form ? " (not '" : "", form ? form : "", form ? "')" : "");
			return RC_ERR_RANGE;
		}
		if ((e = rc_proc_text("the scope of the clarification (--scope)", scope, 1000, d)))
			return e;
	} else if (form || scope) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "a complaint that was not unfounded gets no clarification: leave out --form "
		    "and "
		    "--scope");
		return RC_ERR_RANGE;
	}
	struct clar_ctx x = {.actor = actor,
			     .op = "decide",
			     .id = id,
			     .unfounded = unfounded,
			     .form = form,
			     .scope = scope};
	return run(u, do_decide, &x, "clarify.decide", d);
}

/* ---- issue, file, refer --------------------------------------------------- */

static enum rc_err do_issue(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			    struct rc_diags *d)
{
	struct clar_ctx *x = vctx;
	struct clar_row k;
	struct rc_stmt *st;
	int r;
	char on[RC_DATE_STRLEN];
	enum rc_err e;
	if ((e = clar_load(s, x, "decided", &k, d)))
		return e;
	rc_date_format(x->on, on);
	if ((e = rc_store_stmt(s, Q_CLARIFY_ISSUE, &st)) || (e = rc_stmt_bind_str(st, 1, on)) ||
	    (e = rc_stmt_bind_int(st, 2, x->id)) || (e = rc_stmt_step(st, &r)) ||
	    (e = moved(s, x, d)))
		return e;
	if ((e = rc_proc_canon(x->after, sizeof(x->after), "issued=%s\nstate=issued\n", on)))
		return e;
	rc_proc_fill_row(row, &x->a, x->object, x->before, x->after);
	return RC_OK;
}

enum rc_err rc_proc_clarify_issue(struct rc_unit *u, const char *actor, int64_t id, int32_t on,
				  struct rc_diags *d)
{
	struct clar_ctx x = {.actor = actor, .op = "issue", .id = id, .on = on};
	return run(u, do_issue, &x, "clarify.issue", d);
}

static enum rc_err do_file(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			   struct rc_diags *d)
{
	struct clar_ctx *x = vctx;
	struct clar_row k;
	struct rc_stmt *st;
	int r;
	char on[RC_DATE_STRLEN];
	enum rc_err e;
	if ((e = clar_load(s, x, "issued", &k, d)))
		return e;
	rc_date_format(x->on, on);
	if (strcmp(on, k.issued_on) < 0) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: the filing date %s is before the clarification was issued on %s", on,
		    k.issued_on);
		return RC_ERR_RANGE;
	}
	if ((e = rc_store_stmt(s, Q_CLARIFY_FILE, &st)) || (e = rc_stmt_bind_str(st, 1, on)) ||
	    (e = rc_stmt_bind_int(st, 2, x->id)) || (e = rc_stmt_step(st, &r)) ||
	    (e = moved(s, x, d)))
		return e;
	if ((e = rc_proc_canon(x->after, sizeof(x->after),
			       "filed=%s\ninto=廉政档案\ncopy=组织部门\nstate=filed\n", on)))
		return e;
	rc_proc_fill_row(row, &x->a, x->object, x->before, x->after);
	return RC_OK;
}

enum rc_err rc_proc_clarify_file(struct rc_unit *u, const char *actor, int64_t id, int32_t on,
				 struct rc_diags *d)
{
	struct clar_ctx x = {.actor = actor, .op = "file", .id = id, .on = on};
	return run(u, do_file, &x, "clarify.file", d);
}

static enum rc_err do_refer(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			    struct rc_diags *d)
{
	struct clar_ctx *x = vctx;
	struct clar_row k;
	struct rc_stmt *st;
	int r;
	enum rc_err e;
	if ((e = clar_load(s, x, "filed", &k, d)))
		return e;
	if ((e = rc_store_stmt(s, Q_CLARIFY_REFER, &st)) || (e = rc_stmt_bind_str(st, 1, x->to)) ||
	    (e = rc_stmt_bind_int(st, 2, x->id)) || (e = rc_stmt_step(st, &r)) ||
	    (e = moved(s, x, d)))
		return e;
	if ((e = rc_proc_canon(x->after, sizeof(x->after), "referred_to=%s\nstate=referred\n",
			       x->to)))
		return e;
	rc_proc_fill_row(row, &x->a, x->object, x->before, x->after);
	return RC_OK;
}

enum rc_err rc_proc_clarify_refer(struct rc_unit *u, const char *actor, int64_t id, const char *to,
				  struct rc_diags *d)
{
	enum rc_err e = rc_proc_text("the receiving body (--to)", to, 200, d);
	if (e)
		return e;
	struct clar_ctx x = {.actor = actor, .op = "refer", .id = id, .to = to};
	return run(u, do_refer, &x, "clarify.refer", d);
}
