/*
 * decide.c -- a case's facts, the engine's recommendation, the committee's
 * decision and the effects it has on the official.
 *
 * The recommendation, the consultation's opinion and the committee's
 * decision are separate records (DOMAIN.md §2.6): the engine recommends, the
 * party committee decides, and a decision that departs from the
 * recommendation needs a written reason.  A decision with a sanction starts
 * an impact period (影响期) from the policy's tables, so that "is official X
 * restricted on date D, by which decision, until when" is a query.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/date.h"
#include "procedure/procedure_int.h"

/* ---- facts ---------------------------------------------------------- */

struct fact_ctx {
	const struct rc_policy *p;
	const char *actor, *code, *name, *evidence, *reason;
	json_t *value;
	int disputed;
	struct rc_actor a; /* the acting user; the audit row points into it */
	char object[160], after[600], vtext[512];
};

static enum rc_err do_fact(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			   struct rc_diags *d)
{
	struct fact_ctx *x = vctx;
	struct rc_case_row c;
	struct rc_actor *a = &x->a;
	struct rc_step_info cur;
	struct rc_stmt *st;
	int r;
	char now[21];
	enum rc_err e;
	if ((e = rc_proc_case_load(s, x->p, x->code, &c, d)) ||
	    (e = rc_proc_actor_find(s, x->actor, a, d)) ||
	    (e = rc_proc_require_scope(s, &c, a, x->actor, d)))
		return e;
	if (x->evidence && (e = rc_proc_evidence_exists(s, x->evidence, d)))
		return e;
	/* Facts are gathered by whoever handles the case's current step. */
	int ci = rc_policy_find(x->p, RC_K_STEP, c.state);
	if (ci < 0 || rc_policy_step(x->p, ci, &cur) || !rc_proc_performs(&cur, a->role)) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: the case is at step '%s'; user '%s' (role '%s') does not handle "
		    "that step",
		    c.state, x->actor, a->role);
		return RC_ERR_RANGE;
	}
	/* The facts are the departments' findings.  The official concerned
	 * and their unit perform steps (启动, 申诉复核, 纠错) but state their
	 * case in the application and the appeal's grounds: a fact of theirs
	 * would replace a finding of the investigation. */
	if (rc_proc_case_scope(a->role) != RC_SCOPE_BY_HANDLING) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: the facts are the handling departments' findings; a %s "
			    "states its case in the application and the appeal (申诉)",
			    a->role);
		return RC_ERR_RANGE;
	}
	char *vjson = json_dumps(x->value, JSON_ENCODE_ANY | JSON_COMPACT);
	if (!vjson)
		return RC_ERR_NOMEM;
	rc_audit_now(now);
	if ((e = rc_store_stmt(s, Q_FACT_SUPERSEDE, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_bind_str(st, 2, x->name)) || (e = rc_stmt_step(st, &r)) ||
	    (e = rc_store_stmt(s, Q_FACT_INSERT, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_bind_str(st, 2, x->name)) || (e = rc_stmt_bind_str(st, 3, vjson)) ||
	    (e = rc_stmt_bind_int(st, 4, a->id)) || (e = rc_stmt_bind_str(st, 5, now)) ||
	    (e = rc_stmt_bind_str(st, 6, x->evidence)) ||
	    (e = rc_stmt_bind_int(st, 7, x->disputed)) ||
	    (e = rc_stmt_bind_str(st, 8, x->reason)) || (e = rc_stmt_step(st, &r))) {
		free(vjson);
		return e;
	}
	snprintf(x->object, sizeof(x->object), "case:%s/fact:%s", x->code, x->name);
	snprintf(x->after, sizeof(x->after),
		 "value=%.400s\nevidence=%s\ndisputed=%d\nreason=%.100s\n", vjson,
		 x->evidence ? x->evidence : "", x->disputed, x->reason ? x->reason : "");
	snprintf(x->vtext, sizeof(x->vtext), "%s", vjson);
	free(vjson);
	rc_proc_fill_row(row, a, x->object, NULL, x->after);
	return RC_OK;
}

/* The text of a value as the user typed it, as JSON of the slot's type:
 * bool true/false/是/否, int, anything else a string; unknown/null = null. */
static json_t *value_json(const struct rc_policy *p, int slot, const char *text)
{
	if (strcmp(text, "unknown") == 0 || strcmp(text, "null") == 0 || strcmp(text, "未知") == 0)
		return json_null();
	switch (rc_policy_slot_type(p, slot)) {
	case RC_FT_BOOL:
		if (strcmp(text, "true") == 0 || strcmp(text, "是") == 0)
			return json_true();
		if (strcmp(text, "false") == 0 || strcmp(text, "否") == 0)
			return json_false();
		return json_string(text); /* the reader names the type error */
	case RC_FT_INT: {
		char *end;
		long long v = strtoll(text, &end, 10);
		return *text && !*end ? json_integer(v) : json_string(text);
	}
	default: return json_string(text);
	}
}

enum rc_err rc_proc_case_fact(struct rc_unit *u, const struct rc_policy *policy, const char *actor,
			      const char *code, const char *name, const char *value,
			      const char *evidence, const char *reason, int disputed,
			      struct rc_diags *d)
{
	enum rc_err e;
	int slot = rc_policy_slot_find(policy, name);
	if (slot < 0) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "'%s' is not a fact or standard of policy %s; `rongcuo policy facts` "
			    "lists them",
			    name, rc_policy_version(policy));
		return RC_ERR_NAME;
	}
	if (evidence && (strlen(evidence) > 1000 || strchr(evidence, '\n'))) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "the evidence reference must be one line of at "
			    "most 1000 bytes");
		return RC_ERR_RANGE;
	}
	/* Validate with the facts reader: the same messages as `assess`. */
	json_t *v = value_json(policy, slot, value);
	json_t *doc = json_object();
	json_t *sec = json_object();
	char *text = NULL;
	struct rc_facts *f = NULL;
	if (!v || !doc || !sec) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	json_object_set(sec, name, v);
	json_object_set(doc, rc_policy_slot_is_standard(policy, slot) ? "findings" : "facts", sec);
	if (!(text = json_dumps(doc, 0))) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	if ((e = rc_facts_new(policy, &f)) ||
	    (e = rc_facts_read_json(f, text, strlen(text), 0, d, NULL, NULL)))
		goto out;
	/* DOMAIN.md §2.5: a finding on an analysis standard is a judgement by a
	 * person, recorded with its written reason (withdrawing one needs none). */
	int withdraw = strcmp(value, "unknown") == 0 || strcmp(value, "null") == 0 ||
		       strcmp(value, "未知") == 0;
	if (rc_policy_slot_is_standard(policy, slot) && !withdraw && (!reason || !*reason)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "a finding on the standard '%s' needs its written reason (--reason)",
			    name);
		e = RC_ERR_RANGE;
		goto out;
	}
	if (reason && (strlen(reason) > 4000 || strchr(reason, '\n'))) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "the reason must be one line of at most 4000 bytes");
		e = RC_ERR_RANGE;
		goto out;
	}
	struct fact_ctx x = {.p = policy,
			     .actor = actor,
			     .code = code,
			     .name = name,
			     .evidence = evidence,
			     .reason = reason,
			     .value = v,
			     .disputed = disputed};
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = "-",
				   .action = "case.fact",
				   .object = "case",
				   .before = "",
				   .after = ""};
	e = rc_unit_change(u, &a, do_fact, &x, d);
out:
	rc_facts_free(f);
	free(text);
	json_decref(sec);
	json_decref(doc);
	json_decref(v);
	return e;
}

/* ---- recommendation ------------------------------------------------- */

/* The case's current facts as a facts document (docs/assessment-json.md). */
enum rc_err rc_proc_facts_document(struct rc_store *s, const struct rc_policy *p, int64_t case_id,
				   const char *conduct, const char *decision, char **out)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	json_t *doc = json_object(), *facts = json_object(), *findings = json_object();
	*out = NULL;
	if (!doc || !facts || !findings) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	if ((e = rc_store_stmt(s, Q_FACTS_CURRENT, &st)) || (e = rc_stmt_bind_int(st, 1, case_id)))
		goto out;
	while (!(e = rc_stmt_step(st, &row)) && row) {
		const char *name = rc_stmt_text(st, 0, NULL);
		json_t *v = json_loads(rc_stmt_text(st, 1, NULL), JSON_DECODE_ANY, NULL);
		if (!v) {
			e = RC_ERR_INTERNAL;
			goto out;
		}
		int slot = rc_policy_slot_find(p, name);
		json_object_set_new(
		    slot >= 0 && rc_policy_slot_is_standard(p, slot) ? findings : facts, name, v);
	}
	if (e)
		goto out;
	json_object_set(doc, "facts", facts);
	json_object_set(doc, "findings", findings);
	if (conduct)
		json_object_set_new(doc, "conduct_date", json_string(conduct));
	if (decision)
		json_object_set_new(doc, "decision_date", json_string(decision));
	*out = json_dumps(doc, JSON_INDENT(1));
	e = *out ? RC_OK : RC_ERR_NOMEM;
out:
	json_decref(facts);
	json_decref(findings);
	json_decref(doc);
	return e;
}

struct reco_ctx {
	const struct rc_policy *p;
	const struct rc_policy_set *set;
	const char *actor, *code, *conduct, *decision;
	FILE *prose;      /* where to print the explanation, or NULL */
	char *prose_text; /* the explanation, printed once the change is committed */
	size_t prose_len;
	struct rc_actor a; /* the acting user; the audit row points into it */
	char object[160], after[512];
};

/* The categories (容错情形的类别) recommendation `reco_id` of case
 * `case_id` found true, for the case list's filter (schema 13): a
 * category's value is the "or" of its situations, the engine's own value
 * of the category in `res`.  They become the case's current categories;
 * those of its earlier recommendations stay as history.  Only "true"
 * counts: a category that is still unknown is not one the case is in. */
static enum rc_err record_categories(struct rc_store *s, const struct rc_policy *applied,
				     const struct rc_result *res, int64_t reco_id, int64_t case_id)
{
	struct rc_stmt *st;
	int r;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_CAT_SUPERSEDE, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, case_id)) || (e = rc_stmt_step(st, &r)))
		return e;
	for (int k = 0; k < rc_policy_count(applied, RC_K_CATEGORY); k++) {
		if (rc_result_item(res, RC_K_CATEGORY, k) != RC_TRUE)
			continue;
		if ((e = rc_store_stmt(s, Q_CAT_INSERT, &st)) ||
		    (e = rc_stmt_bind_int(st, 1, reco_id)) ||
		    (e = rc_stmt_bind_int(st, 2, case_id)) ||
		    (e = rc_stmt_bind_str(st, 3, rc_policy_item_name(applied, RC_K_CATEGORY, k))) ||
		    (e = rc_stmt_step(st, &r)))
			return e;
	}
	return RC_OK;
}

static enum rc_err do_recommend(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
				struct rc_diags *d)
{
	struct reco_ctx *x = vctx;
	struct rc_case_row c;
	struct rc_actor *a = &x->a;
	struct rc_assessment *as = NULL;
	struct rc_stmt *st;
	char *facts = NULL, *result = NULL, now[21], band[512];
	size_t rlen = 0;
	FILE *mem = NULL;
	int r;
	enum rc_err e;
	if ((e = rc_proc_case_load(s, x->p, x->code, &c, d)) ||
	    (e = rc_proc_actor_find(s, x->actor, a, d)) ||
	    (e = rc_proc_require_scope(s, &c, a, x->actor, d)))
		goto out;
	/* the recommendation is the handling departments' (its conduct date
	 * chooses the version applied, and the decision is held to it) */
	if (rc_proc_case_scope(a->role) != RC_SCOPE_BY_HANDLING) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: a recommendation is made by the departments handling the "
			    "case, not by a %s",
			    a->role);
		e = RC_ERR_RANGE;
		goto out;
	}
	if ((e = rc_proc_facts_document(s, x->p, c.id, x->conduct, x->decision, &facts)))
		goto out;
	if ((e = rc_assess(x->set, facts, strlen(facts), INT32_MIN, INT32_MIN, d, &as)))
		goto out;
	if (!(mem = open_memstream(&result, &rlen))) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	e = rc_assessment_write_json(as, mem);
	fclose(mem);
	mem = NULL;
	if (e)
		goto out;
	const struct rc_policy *applied = rc_assessment_policy(as);
	const struct rc_result *res = rc_assessment_result(as);
	uint64_t b = rc_result_band(res);
	size_t off = 0;
	band[0] = '\0';
	for (int o = 0; o < rc_policy_count(applied, RC_K_OUTCOME) && off + 1 < sizeof(band); o++)
		if (b & ((uint64_t)1 << o))
			off +=
			    (size_t)snprintf(band + off, sizeof(band) - off, "%s%s", off ? "|" : "",
					     rc_policy_item_name(applied, RC_K_OUTCOME, o));
	const char *state =
	    rc_result_outcome_state(res) == RC_OUTCOME_DETERMINED ? "determined" : "undetermined";
	rc_audit_now(now);
	if ((e = rc_store_stmt(s, Q_RECO_INSERT, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_bind_str(st, 2, now)) || (e = rc_stmt_bind_int(st, 3, a->id)) ||
	    (e = rc_stmt_bind_str(st, 4, x->conduct)) ||
	    (e = rc_stmt_bind_str(st, 5, x->decision)) ||
	    (e = rc_stmt_bind_str(st, 6, rc_policy_version(applied))) ||
	    (e = rc_stmt_bind_str(st, 7, rc_policy_digest(applied))) ||
	    (e = rc_stmt_bind_str(st, 8, facts)) || (e = rc_stmt_bind_str(st, 9, result)) ||
	    (e = rc_stmt_bind_str(st, 10, state)) || (e = rc_stmt_bind_str(st, 11, band)) ||
	    (e = rc_stmt_step(st, &r)))
		goto out;
	int64_t reco_id = rc_store_last_id(s); /* before the inserts below move it */
	if ((e = record_categories(s, applied, res, reco_id, c.id)))
		goto out;
	if (x->prose) {
		/* kept until the commit: a recommendation that is not saved
		 * prints nothing (and a retried attempt replaces it) */
		free(x->prose_text);
		x->prose_text = NULL;
		FILE *pm = open_memstream(&x->prose_text, &x->prose_len);
		if (!pm) {
			e = RC_ERR_NOMEM;
			goto out;
		}
		rc_assessment_write_text(as, NULL, pm);
		if (fclose(pm) != 0) {
			e = RC_ERR_NOMEM;
			goto out;
		}
	}
	snprintf(x->object, sizeof(x->object), "case:%s/recommendation:%lld", x->code,
		 (long long)reco_id);
	snprintf(x->after, sizeof(x->after), "policy=%s %s\nstate=%s\nband=%s\n",
		 rc_policy_version(applied), rc_policy_digest(applied), state, band);
	rc_proc_fill_row(row, a, x->object, NULL, x->after);
out:
	if (mem)
		fclose(mem);
	free(result);
	free(facts);
	rc_assessment_free(as);
	return e;
}

enum rc_err rc_proc_case_recommend(struct rc_unit *u, const struct rc_policy *policy,
				   const struct rc_policy_set *set, const char *actor,
				   const char *code, const char *conduct, const char *decision,
				   FILE *prose, struct rc_diags *d)
{
	struct reco_ctx x = {.p = policy,
			     .set = set,
			     .actor = actor,
			     .code = code,
			     .conduct = conduct,
			     .decision = decision,
			     .prose = prose};
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = "-",
				   .action = "case.recommend",
				   .object = "case",
				   .before = "",
				   .after = ""};
	enum rc_err e = rc_unit_change(u, &a, do_recommend, &x, d);
	if (!e && prose && x.prose_text)
		fwrite(x.prose_text, 1, x.prose_len, prose);
	free(x.prose_text);
	return e;
}

/* ---- decision and effects ------------------------------------------- */

struct decide_ctx {
	const struct rc_policy *p;
	const struct rc_decision *dec;
	const char *actor, *code;
	struct rc_actor a; /* the acting user; the audit row points into it */
	char object[160], after[1024];
};

/* The end of an 影响期, or INT32_MIN for none.  No calendar: the parser
 * refuses impact periods in workdays. */
static int32_t add_dur(int32_t from, enum rc_dur_unit unit, int n)
{
	int32_t end;
	int warn;
	return rc_proc_add_dur(NULL, from, unit, n, &end, &warn) ? INT32_MIN : end;
}

static enum rc_err do_decide(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			     struct rc_diags *d)
{
	struct decide_ctx *x = vctx;
	const struct rc_decision *dec = x->dec;
	struct rc_case_row c;
	struct rc_actor *a = &x->a;
	struct rc_step_info cur;
	struct rc_stmt *st;
	int ok, r;
	enum rc_err e;
	if ((e = rc_proc_case_load(s, x->p, x->code, &c, d)) ||
	    (e = rc_proc_actor_find(s, x->actor, a, d)) ||
	    (e = rc_proc_case_reach(s, &(struct rc_viewer){a->org, a->person, a->role}, c.handling,
				    c.subject_org, c.person_id, &ok)))
		return e;
	int ci = rc_policy_find(x->p, RC_K_STEP, c.state);
	/* 认定: the decision is recorded at the step that requires four eyes,
	 * by a role that performs it, never by who prepared the case. */
	if (ci < 0 || rc_policy_step(x->p, ci, &cur) || !cur.four_eyes) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: a decision is recorded at the decision step (the policy's "
			    "four-eyes step); case %s is at '%s'",
			    x->code, c.state);
		return RC_ERR_RANGE;
	}
	if (!ok || !rc_proc_performs(&cur, a->role)) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: user '%s' (role '%s') does not perform step '%s' for this case",
		    x->actor, a->role, c.state);
		return RC_ERR_RANGE;
	}
	if (a->id == c.prepared_by) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: user '%s' prepared case %s and cannot decide it (four eyes: "
			    "承办人不得审批本人承办的案件)",
			    x->actor, x->code);
		return RC_ERR_RANGE;
	}
	if ((e = rc_store_stmt(s, Q_RECO_LAST, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	if (!r) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: case %s has no recommendation yet; run `rongcuo case "
			    "recommend` first",
			    x->code);
		return RC_ERR_RANGE;
	}
	int64_t reco = rc_stmt_int(st, 0);
	char band[512], rstate[32];
	snprintf(band, sizeof(band), "|%s|", rc_stmt_text(st, 2, NULL));
	snprintf(rstate, sizeof(rstate), "%s", rc_stmt_text(st, 1, NULL));
	char probe[300];
	snprintf(probe, sizeof(probe), "|%s|", dec->outcome);
	int differs = strcmp(rstate, "determined") != 0 || !strstr(band, probe);
	if (differs && (!dec->reasons || !*dec->reasons)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: the decision '%s' differs from the recommendation (%s %s); "
			    "give the reasons (--reason)",
			    dec->outcome, rstate, rc_stmt_text(st, 2, NULL));
		return RC_ERR_RANGE;
	}
	int64_t body = 0;
	if (c.committee)
		body = c.committee;
	else
		body = c.handling;
	if (dec->body && (e = rc_proc_org_id(s, dec->body, &body, d)))
		return e;
	char meeting[RC_DATE_STRLEN];
	rc_date_format(dec->meeting_on, meeting);
	if ((e = rc_store_stmt(s, Q_DECISION_INSERT, &st)) || (e = rc_stmt_bind_int(st, 1, c.id)) ||
	    (e = rc_stmt_bind_int(st, 2, reco)) || (e = rc_stmt_bind_int(st, 3, body)) ||
	    (e = rc_stmt_bind_str(st, 4, meeting)) || (e = rc_stmt_bind_str(st, 5, dec->outcome)) ||
	    (e = rc_stmt_bind_str(st, 6, dec->legal_basis)) ||
	    (e = rc_stmt_bind_str(st, 7, dec->reasons)) || (e = rc_stmt_bind_int(st, 8, differs)) ||
	    (e = rc_stmt_bind_int(st, 9, a->id)))
		return e;
	if ((e = rc_stmt_step(st, &r))) {
		if (e == RC_ERR_CONFLICT)
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "case %s already has a decision",
				    x->code);
		return e;
	}
	int64_t decision_id = rc_store_last_id(s);
	size_t off = (size_t)snprintf(x->after, sizeof(x->after),
				      "outcome=%s\nmeeting=%s\nbasis=%s\ndiffers=%d\nreasons=%s\n",
				      dec->outcome, meeting, dec->legal_basis, differs,
				      dec->reasons ? dec->reasons : "");
	if (dec->sanction_table) {
		struct rc_sanction_info si;
		if (!c.person_id) {
			rc_diag_add(
			    d, RC_SEV_ERROR, 0, 0,
			    "case %s concerns a unit, not an official: a sanction has no one "
			    "to apply to",
			    x->code);
			return RC_ERR_RANGE;
		}
		if (rc_policy_sanction(x->p, dec->sanction_table, dec->sanction, &si)) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "policy %s has no sanction '%s' in impact table '%s'",
				    rc_policy_version(x->p), dec->sanction, dec->sanction_table);
			return RC_ERR_NAME;
		}
		/* The period runs from the date the sanction takes effect (the
		 * meeting date here); a range (留党察看 1-2 年) takes its upper
		 * end unless told otherwise, the safe side for promotions. */
		int32_t start = dec->meeting_on;
		enum rc_dur_unit unit = si.max_unit != RC_DUR_NONE ? si.max_unit : si.unit;
		int n = si.max_unit != RC_DUR_NONE ? si.max_n : si.n;
		int32_t end = unit == RC_DUR_NONE ? INT32_MIN : add_dur(start, unit, n);
		int32_t extra = end != INT32_MIN && si.extra_unit != RC_DUR_NONE
				    ? add_dur(end, si.extra_unit, si.extra_n)
				    : INT32_MIN;
		char sd[RC_DATE_STRLEN], ed[RC_DATE_STRLEN], xd[RC_DATE_STRLEN];
		rc_date_format(start, sd);
		if (end != INT32_MIN)
			rc_date_format(end, ed);
		if (extra != INT32_MIN)
			rc_date_format(extra, xd);
		if ((e = rc_store_stmt(s, Q_EFFECT_INSERT, &st)) ||
		    (e = rc_stmt_bind_int(st, 1, c.person_id)) ||
		    (e = rc_stmt_bind_int(st, 2, decision_id)) ||
		    (e = rc_stmt_bind_str(st, 3, si.table)) ||
		    (e = rc_stmt_bind_str(st, 4, si.name)) || (e = rc_stmt_bind_str(st, 5, sd)) ||
		    (e = end != INT32_MIN ? rc_stmt_bind_str(st, 6, ed)
					  : rc_stmt_bind_null(st, 6)) ||
		    (e = extra != INT32_MIN ? rc_stmt_bind_str(st, 7, xd)
					    : rc_stmt_bind_null(st, 7)) ||
		    (e = rc_stmt_bind_str(st, 8, si.article)) || (e = rc_stmt_step(st, &r)))
			return e;
		if (off < sizeof(x->after))
			snprintf(x->after + off, sizeof(x->after) - off, "effect=%s/%s %s..%s\n",
				 si.table, si.name, sd, end != INT32_MIN ? ed : "");
	}
	snprintf(x->object, sizeof(x->object), "case:%s/decision", x->code);
	rc_proc_fill_row(row, a, x->object, NULL, x->after);
	return RC_OK;
}

enum rc_err rc_proc_case_decide(struct rc_unit *u, const struct rc_policy *policy,
				const char *actor, const char *code, const struct rc_decision *dec,
				struct rc_diags *d)
{
	if (!dec->outcome || rc_policy_find(policy, RC_K_OUTCOME, dec->outcome) < 0) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "'%s' is not an outcome of policy %s",
			    dec->outcome ? dec->outcome : "", rc_policy_version(policy));
		return RC_ERR_NAME;
	}
	if (!dec->legal_basis || !*dec->legal_basis || strlen(dec->legal_basis) > 1000 ||
	    (dec->reasons && strlen(dec->reasons) > 4000)) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "a decision needs its legal basis (--basis, at most 1000 bytes); reasons "
		    "at most 4000 bytes");
		return RC_ERR_RANGE;
	}
	if (!dec->sanction_table != !dec->sanction) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "a sanction is TABLE/NAME, e.g. 党纪处分/警告");
		return RC_ERR_RANGE;
	}
	struct decide_ctx x = {.p = policy, .dec = dec, .actor = actor, .code = code};
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = "-",
				   .action = "case.decide",
				   .object = "case",
				   .before = "",
				   .after = ""};
	return rc_unit_change(u, &a, do_decide, &x, d);
}
