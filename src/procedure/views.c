/*
 * views.c -- what the pages and the API show, as JSON documents.
 *
 * One document per view, built here and rendered twice: as HTML by web/
 * and as it is by the API, so that the two never disagree about a case.
 * Each part of the case file is one named query turned into an array of
 * objects by a column list (rows_json), which keeps the mapping from
 * columns to keys in one visible place per part.
 */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "procedure/procedure_int.h"

/* A column list: one key per column; a key beginning with '#' is an
 * integer, with '?' a boolean (0/1), with '@' JSON text parsed, "" a
 * column skipped.  A NULL column is JSON null. */
static json_t *cell(struct rc_stmt *st, int col, const char *key)
{
	if (rc_stmt_is_null(st, col))
		return json_null();
	switch (key[0]) {
	case '#': return json_integer(rc_stmt_int(st, col));
	case '?': return json_boolean(rc_stmt_int(st, col) != 0);
	case '@': {
		json_t *v = json_loads(rc_stmt_text(st, col, NULL), JSON_DECODE_ANY, NULL);
		return v ? v : json_null();
	}
	default: return json_string(rc_stmt_text(st, col, NULL));
	}
}

static const char *key_name(const char *key)
{
	return key[0] == '#' || key[0] == '?' || key[0] == '@' ? key + 1 : key;
}

/* The rows of `q` bound to (id) -- or to nothing when id < 0 -- as objects
 * appended to `arr`. */
static enum rc_err rows_json(struct rc_store *s, enum rc_query q, int64_t id,
			     const char *const *keys, json_t *arr)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	if ((e = rc_store_stmt(s, q, &st)) || (id >= 0 && (e = rc_stmt_bind_int(st, 1, id))))
		return e;
	while (!(e = rc_stmt_step(st, &row)) && row) {
		json_t *o = json_object();
		if (!o)
			return RC_ERR_NOMEM;
		for (int c = 0; keys[c]; c++)
			if (keys[c][0])
				json_object_set_new(o, key_name(keys[c]), cell(st, c, keys[c]));
		if (json_array_append_new(arr, o))
			return RC_ERR_NOMEM;
	}
	return e;
}

/* The first row of `q` (id) as an object (NULL when there is none). */
static enum rc_err row_json(struct rc_store *s, enum rc_query q, int64_t id,
			    const char *const *keys, json_t **out)
{
	json_t *arr = json_array();
	enum rc_err e = arr ? rows_json(s, q, id, keys, arr) : RC_ERR_NOMEM;
	*out = NULL;
	if (!e && json_array_size(arr))
		*out = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	return e;
}

static int32_t today_or_never(const char *due)
{
	int32_t d;
	return due && !rc_date_parse(due, strlen(due), &d) ? d : INT32_MAX;
}

/* ---- lists ------------------------------------------------------------- */

static enum rc_err org_in_scope(struct rc_store *s, const char *code, int64_t user_org, int64_t *id,
				int *ok)
{
	struct rc_stmt *st;
	int row, more;
	enum rc_err e;
	*ok = 0;
	if ((e = rc_store_stmt(s, Q_ORG_BY_CODE, &st)) || (e = rc_stmt_bind_str(st, 1, code)) ||
	    (e = rc_stmt_step(st, &row)))
		return e;
	if (row)
		*id = rc_stmt_int(st, 0);
	for (more = row; !e && more;)
		e = rc_stmt_step(st, &more);
	if (e || !row)
		return e;
	return rc_proc_in_scope(s, *id, user_org, ok);
}

/* A filter's date into buf, "" when absent; *bad when malformed. */
static void date_field(const char *name, const char *v, int plus, char *buf, struct rc_diags *d)
{
	int32_t t;
	buf[0] = '\0';
	if (!v || !*v)
		return;
	if (strlen(v) != 10 || rc_date_parse(v, 10, &t)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: '%.20s' is not a date YYYY-MM-DD", name, v);
		return;
	}
	rc_date_format(t + plus, buf);
}

/* "%q%" for LIKE with % _ and \ escaped. */
static char *like_pattern(const char *q)
{
	size_t n = strlen(q);
	char *p = malloc(2 * n + 3), *w = p;
	if (!p)
		return NULL;
	*w++ = '%';
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			*w++ = '\\';
		*w++ = *q;
	}
	*w++ = '%';
	*w = '\0';
	return p;
}

static int empty(const char *s)
{
	return !s || !*s;
}

int rc_proc_categories(const struct rc_policy_set *set, const char **names, int cap)
{
	int n = 0;
	for (int v = 0; set && v < rc_policy_set_count(set); v++) {
		const struct rc_policy *p = rc_policy_set_get(set, v);
		for (int k = 0; k < rc_policy_count(p, RC_K_CATEGORY) && n < cap; k++) {
			const char *name = rc_policy_item_name(p, RC_K_CATEGORY, k);
			int seen = 0;
			for (int i = 0; i < n && !seen; i++)
				seen = strcmp(names[i], name) == 0;
			if (!seen)
				names[n++] = name;
		}
	}
	return n;
}

/* The category filter: a category of a loaded version, else a message
 * naming them (those that fit in the message).  The value is not
 * repeated: the field shows it, and a cut could split a character. */
static void category_field(const char *v, const struct rc_policy_set *set, struct rc_diags *d)
{
	const char *names[32];
	char list[400];
	size_t off = 0;
	if (empty(v))
		return;
	for (int i = 0; set && i < rc_policy_set_count(set); i++)
		if (rc_policy_find(rc_policy_set_get(set, i), RC_K_CATEGORY, v) >= 0)
			return;
	int n = rc_proc_categories(set, names, (int)(sizeof(names) / sizeof(names[0])));
	if (!n) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "category: the policies in force declare no category");
		return;
	}
	/* as many as fit, room kept for ", …" after them */
	int shown = 0;
	list[0] = '\0';
	for (; shown < n && off + strlen(names[shown]) + 2 + sizeof(", …") <= sizeof(list); shown++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", shown ? ", " : "",
					names[shown]);
	if (shown < n || n == (int)(sizeof(names) / sizeof(names[0])))
		snprintf(list + off, sizeof(list) - off, ", …");
	rc_diag_add(d, RC_SEV_ERROR, 0, 0,
		    "category: not a category of the policies in force; the categories are %s",
		    list);
}

/* The list's query: for the departments' scope, a variant per given
 * filter of the two that have an index (queries.c, VIEW_CASES); the
 * party roles' scopes take both in one. */
static enum rc_query cases_query(enum rc_case_scope kind, int state, int category)
{
	switch (kind) {
	case RC_SCOPE_BY_PARTY: return Q_VIEW_CASES_PARTY;
	case RC_SCOPE_BY_SUBJECT: return Q_VIEW_CASES_UNIT;
	case RC_SCOPE_BY_HANDLING: break;
	}
	return !state ? (!category ? Q_VIEW_CASES : Q_VIEW_CASES_CAT)
		      : (!category ? Q_VIEW_CASES_STATE : Q_VIEW_CASES_ST_CAT);
}

enum rc_err rc_proc_view_cases(struct rc_store *s, const struct rc_viewer *v,
			       const struct rc_case_filter *f, int32_t today, json_t **out,
			       struct rc_diags *d)
{
	char from[RC_DATE_STRLEN], to[RC_DATE_STRLEN];
	int64_t user_org = v->org, scope = user_org;
	enum rc_case_scope kind = rc_proc_case_scope(v->role);
	int limit = f->limit ? f->limit : RC_VIEW_LIMIT_DEFAULT, row, errors = d->errors, n = 0;
	char *like = NULL;
	struct rc_stmt *st;
	enum rc_err e = RC_OK;
	json_t *doc = NULL, *arr = NULL;
	*out = NULL;
	date_field("from", f->from, 0, from, d);
	date_field("to", f->to, 1, to, d);
	if (limit < 1 || limit > RC_VIEW_LIMIT_MAX)
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "limit: between 1 and %d", RC_VIEW_LIMIT_MAX);
	if (!empty(f->q) && strlen(f->q) > RC_VIEW_QUERY_MAX)
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "q: at most %d bytes", RC_VIEW_QUERY_MAX);
	category_field(f->category, f->set, d);
	if (!empty(f->unit)) {
		int ok;
		if ((e = org_in_scope(s, f->unit, user_org, &scope, &ok)))
			goto out;
		if (!ok)
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "unit: no unit '%.64s' in your organisation or below it",
				    f->unit);
	}
	if (d->errors > errors) {
		e = RC_ERR_RANGE;
		goto out;
	}
	if (!empty(f->q) && !(like = like_pattern(f->q))) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	if (!(doc = json_object()) || !(arr = json_array())) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	/* a 当事人's own cases: the official the account is (none named: -1,
	 * no one); the unit filter narrows the other scopes' tree only */
	if (kind == RC_SCOPE_BY_PARTY)
		scope = v->person > 0 ? v->person : -1;
	if ((e = rc_store_stmt(s, cases_query(kind, !empty(f->state), !empty(f->category)), &st)) ||
	    (e = rc_stmt_bind_int(st, 1, scope)) ||
	    (e = rc_stmt_bind_str(st, 2, empty(f->state) ? NULL : f->state)) ||
	    (e = rc_stmt_bind_str(st, 3, empty(f->outcome) ? NULL : f->outcome)) ||
	    (e = rc_stmt_bind_str(st, 4, from[0] ? from : NULL)) ||
	    (e = rc_stmt_bind_str(st, 5, to[0] ? to : NULL)) ||
	    (e = rc_stmt_bind_str(st, 6, like)) ||
	    (e = f->before_id > 0 ? rc_stmt_bind_int(st, 7, f->before_id)
				  : rc_stmt_bind_null(st, 7)) ||
	    (e = rc_stmt_bind_int(st, 8, limit + 1)) ||
	    (e = rc_stmt_bind_str(st, 9, empty(f->category) ? NULL : f->category)))
		goto out;
	int64_t last = 0, more_id = 0;
	while (!(e = rc_stmt_step(st, &row)) && row) {
		if (n == limit) {
			more_id = last; /* one more row: there is a next page */
			continue;
		}
		const char *due = rc_stmt_is_null(st, 6) ? NULL : rc_stmt_text(st, 6, NULL);
		json_t *o = json_pack(
		    "{s:s, s:s, s:o, s:{s:s, s:s}, s:s, s:o, s:b, s:o}", "code",
		    rc_stmt_text(st, 0, NULL), "state", rc_stmt_text(st, 1, NULL), "person",
		    cell(st, 2, "person"), "handling", "code", rc_stmt_text(st, 3, NULL), "name",
		    rc_stmt_text(st, 4, NULL), "opened", rc_stmt_text(st, 5, NULL), "due",
		    due ? json_string(due) : json_null(), "overdue", today_or_never(due) < today,
		    "outcome", cell(st, 7, "outcome"));
		if (!o || json_array_append_new(arr, o)) {
			e = RC_ERR_NOMEM;
			goto out;
		}
		last = rc_stmt_int(st, 8);
		n++;
	}
	if (e)
		goto out;
	json_object_set(doc, "cases", arr);
	json_object_set_new(doc, "next", more_id ? json_integer(more_id) : json_null());
	*out = doc;
	doc = NULL;
out:
	free(like);
	json_decref(arr);
	json_decref(doc);
	return e;
}

static const struct rc_policy *policy_of(const struct rc_policy_set *set, const char *series,
					 const char *version)
{
	for (int i = 0; i < rc_policy_set_count(set); i++) {
		const struct rc_policy *p = rc_policy_set_get(set, i);
		if (strcmp(rc_policy_series(p), series) == 0 &&
		    strcmp(rc_policy_version(p), version) == 0)
			return p;
	}
	return NULL;
}

/* Whether `role` performs step `name` of policy p. */
static int role_performs(const struct rc_policy *p, const char *name, const char *role)
{
	struct rc_step_info si;
	for (int i = 0; p && !rc_policy_step(p, i, &si); i++)
		if (strcmp(si.name, name) == 0)
			return rc_proc_performs(&si, role);
	return 0;
}

#define TASK_STEPS 16 /* step names a role performs, bound to the query */

enum rc_err rc_proc_view_tasks(struct rc_store *s, const struct rc_policy_set *set,
			       const struct rc_viewer *v, int32_t today, json_t **out)
{
	const char *role = v->role;
	enum rc_case_scope kind = rc_proc_case_scope(role);
	enum rc_query q = kind == RC_SCOPE_BY_PARTY     ? Q_VIEW_TASKS_PARTY
			  : kind == RC_SCOPE_BY_SUBJECT ? Q_VIEW_TASKS_UNIT
							: Q_VIEW_TASKS;
	int64_t scope = kind != RC_SCOPE_BY_PARTY ? v->org : v->person > 0 ? v->person : -1;
	const char *steps[TASK_STEPS] = {0};
	struct rc_stmt *st;
	int row, n_steps = 0, n = 0, more = 0;
	enum rc_err e;
	json_t *arr = json_array();
	*out = NULL;
	if (!arr)
		return RC_ERR_NOMEM;
	/* the steps the role performs in any loaded version: the query takes
	 * the cases at those, soonest deadline first; a case whose own
	 * version gives that step to other roles is dropped below */
	for (int vi = 0; vi < rc_policy_set_count(set); vi++) {
		struct rc_step_info si;
		const struct rc_policy *p = rc_policy_set_get(set, vi);
		for (int i = 0; !rc_policy_step(p, i, &si); i++) {
			int seen = 0;
			for (int k = 0; k < n_steps && !seen; k++)
				seen = strcmp(steps[k], si.name) == 0;
			if (!seen && n_steps < TASK_STEPS && rc_proc_performs(&si, role))
				steps[n_steps++] = si.name;
		}
	}
	if ((e = rc_store_stmt(s, q, &st)) || (e = rc_stmt_bind_int(st, 1, scope)))
		goto out;
	for (int k = 0; k < TASK_STEPS && !e; k++)
		e = rc_stmt_bind_str(st, 2 + k, steps[k]); /* NULL binds null: matches nothing */
	if (e || (e = rc_stmt_bind_int(st, 18, 4 * RC_VIEW_LIMIT_MAX)))
		goto out;
	while (!(e = rc_stmt_step(st, &row)) && row) {
		const char *state = rc_stmt_text(st, 1, NULL);
		if (n == RC_VIEW_LIMIT_MAX) {
			more = 1;
			continue;
		}
		if (!role_performs(
			policy_of(set, rc_stmt_text(st, 5, NULL), rc_stmt_text(st, 6, NULL)), state,
			role))
			continue;
		const char *due = rc_stmt_is_null(st, 4) ? NULL : rc_stmt_text(st, 4, NULL);
		json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:o, s:b}", "code",
				      rc_stmt_text(st, 0, NULL), "state", state, "person",
				      cell(st, 2, "person"), "handling", rc_stmt_text(st, 3, NULL),
				      "due", due ? json_string(due) : json_null(), "overdue",
				      today_or_never(due) < today);
		if (!o || json_array_append_new(arr, o)) {
			e = RC_ERR_NOMEM;
			goto out;
		}
		n++;
	}
	if (!e && !(*out = json_pack("{s:O, s:b}", "tasks", arr, "more", more)))
		e = RC_ERR_NOMEM;
out:
	json_decref(arr);
	return e;
}

/* ---- the case file ------------------------------------------------------ */

static const char *const k_steps[] = {"step", "entered_on", "due_on", "by", "note", NULL};
static const char *const k_facts[] = {"name",     "@value",    "by",     "at",
				      "evidence", "?disputed", "reason", NULL};
static const char *const k_reco[] = {"#id", "state", "band", "version", "at", NULL};
static const char *const k_decision[] = {"meeting_on", "outcome", "legal_basis", "reasons",
					 "?differs",   "by",      NULL};
static const char *const k_consult[] = {"#id", "held_on", "minutes", "by", "at", NULL};
static const char *const k_participants[] = {"dept", "name", "?recused", "reason", "by", NULL};
static const char *const k_opinions[] = {"dept", "opinion", "dissent", "by", NULL};
static const char *const k_notices[] = {"to", "on", "how", "by", NULL};
static const char *const k_appeal[] = {"#id",         "filed_on",    "by",          "grounds",
				       "notified_on", "deadline_on", "recorded_by", NULL};
static const char *const k_review[] = {"on", "result", "reasons", "by", NULL};
static const char *const k_filings[] = {"org", "org_name", "on", "by", NULL};
static const char *const k_tasks[] = {"#no",     "owner", "due_on",      "what",
				      "done_on", "by",    "verified_by", NULL};
static const char *const k_follow[] = {"on", "notes", "by", NULL};
static const char *const k_effects[] = {"table",   "sanction", "start_on", "end_on", "extra_end_on",
					"article", "case",     "outcome",  NULL};
static const char *const k_org[] = {"code", "name", "level", "", NULL};

static enum rc_err org_json(struct rc_store *s, struct rc_stmt *st, int col, json_t *doc,
			    const char *key)
{
	if (rc_stmt_is_null(st, col))
		return json_object_set_new(doc, key, json_null()) ? RC_ERR_NOMEM : RC_OK;
	json_t *o;
	enum rc_err e = row_json(s, Q_ORG_BY_ID, rc_stmt_int(st, col), k_org, &o);
	if (!e && json_object_set_new(doc, key, o ? o : json_null()))
		e = RC_ERR_NOMEM;
	return e;
}

/* The records, each part one query. */
static enum rc_err records(struct rc_store *s, int64_t id, json_t *doc)
{
	static const struct {
		const char *key;
		enum rc_query q;
		const char *const *cols;
	} parts[] = {
	    {"steps", Q_STEPS_OF_CASE, k_steps},  {"facts", Q_FACTS_CURRENT, k_facts},
	    {"notices", Q_NOTICES_OF, k_notices}, {"filings", Q_FILINGS_OF, k_filings},
	    {"tasks", Q_TASKS_OF, k_tasks},       {"follow_ups", Q_FOLLOW_UPS_OF, k_follow},
	};
	enum rc_err e = RC_OK;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && !e; i++) {
		json_t *arr = json_array();
		if (!arr || json_object_set_new(doc, parts[i].key, arr))
			return RC_ERR_NOMEM;
		e = rows_json(s, parts[i].q, id, parts[i].cols, arr);
	}
	json_t *o = NULL, *a = NULL;
	if (!e && !(e = row_json(s, Q_RECO_LAST, id, k_reco, &o)))
		json_object_set_new(doc, "recommendation", o ? o : json_null());
	if (!e && !(e = row_json(s, Q_DECISION_OF_CASE, id, k_decision, &o)))
		json_object_set_new(doc, "decision", o ? o : json_null());
	if (!e && !(e = row_json(s, Q_CONSULT_OF_CASE, id, k_consult, &o))) {
		if (o) {
			int64_t cid = json_integer_value(json_object_get(o, "id"));
			json_t *pa = json_array(), *op = json_array();
			json_object_set_new(o, "participants", pa);
			json_object_set_new(o, "opinions", op);
			if (!pa || !op)
				e = RC_ERR_NOMEM;
			if (!e)
				e = rows_json(s, Q_PARTICIPANTS_OF, cid, k_participants, pa);
			if (!e)
				e = rows_json(s, Q_OPINIONS_OF, cid, k_opinions, op);
		}
		json_object_set_new(doc, "consultation", o ? o : json_null());
	}
	if (!e && !(e = row_json(s, Q_APPEAL_OF_CASE, id, k_appeal, &a))) {
		if (a) {
			json_t *r = NULL;
			e = row_json(s, Q_REVIEW_OF_APPEAL,
				     json_integer_value(json_object_get(a, "id")), k_review, &r);
			json_object_set_new(a, "review", r ? r : json_null());
		}
		json_object_set_new(doc, "appeal", a ? a : json_null());
	}
	return e;
}

/* The audit rows of the case: its own object and every "case:CODE/..." */
static enum rc_err audit_rows(struct rc_store *s, const char *code, json_t *doc)
{
	static const char *const k_audit[] = {"#seq",  "at",         "user",   "role",
					      "org",   "action",     "object", "before",
					      "after", "request_id", NULL};
	char own[96], lo[96], hi[96];
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	json_t *arr = json_array();
	if (!arr || json_object_set_new(doc, "audit", arr))
		return RC_ERR_NOMEM;
	snprintf(own, sizeof(own), "case:%s", code);
	snprintf(lo, sizeof(lo), "case:%s/", code);
	snprintf(hi, sizeof(hi), "case:%s0", code); /* '0' follows '/' */
	if ((e = rc_store_stmt(s, Q_VIEW_CASE_AUDIT, &st)) || (e = rc_stmt_bind_str(st, 1, own)) ||
	    (e = rc_stmt_bind_str(st, 2, lo)) || (e = rc_stmt_bind_str(st, 3, hi)) ||
	    (e = rc_stmt_bind_int(st, 4, 1000)))
		return e;
	while (!(e = rc_stmt_step(st, &row)) && row) {
		json_t *o = json_object();
		for (int c = 0; o && k_audit[c]; c++)
			json_object_set_new(o, key_name(k_audit[c]), cell(st, c, k_audit[c]));
		if (!o || json_array_append_new(arr, o))
			return RC_ERR_NOMEM;
	}
	return e;
}

/* The steps that may follow the current one, with their roles. */
static enum rc_err next_steps(const struct rc_policy *p, const char *state, json_t *doc)
{
	struct rc_step_info si, ni;
	json_t *arr = json_array();
	if (!arr || json_object_set_new(doc, "next_steps", arr))
		return RC_ERR_NOMEM;
	for (int i = 0; p && !rc_policy_step(p, i, &si); i++) {
		if (strcmp(si.name, state) != 0)
			continue;
		json_t *cur = json_array();
		for (int a = 0; cur && a < si.n_actors; a++)
			json_array_append_new(cur, json_string(si.actors[a]));
		json_object_set_new(doc, "step_roles", cur ? cur : json_null());
		json_object_set_new(doc, "four_eyes", json_boolean(si.four_eyes));
		for (int k = 0; k < si.n_next; k++) {
			if (rc_policy_step(p, si.next[k], &ni))
				continue;
			json_t *roles = json_array();
			for (int a = 0; roles && a < ni.n_actors; a++)
				json_array_append_new(roles, json_string(ni.actors[a]));
			json_array_append_new(arr, json_pack("{s:s, s:s?, s:o, s:b}", "step",
							     ni.name, "title", ni.title, "roles",
							     roles ? roles : json_array(),
							     "four_eyes", ni.four_eyes));
		}
	}
	return RC_OK;
}

/* A fresh assessment of the current facts under the case's version, the
 * conduct dated on the day the case was opened (a case records no conduct
 * date of its own): the JSON document and its Chinese prose. */
enum rc_err rc_proc_data_version(struct rc_store *s, int64_t *version)
{
	struct rc_stmt *st;
	int row, more;
	enum rc_err e;
	*version = 0;
	if ((e = rc_store_stmt(s, Q_AUDIT_LAST, &st)) || (e = rc_stmt_step(st, &row)))
		return e;
	if (row)
		*version = rc_stmt_int(st, 0);
	for (more = row; !e && more;)
		e = rc_stmt_step(st, &more);
	return e;
}

/* ---- the assessments of recent views ------------------------------------ */

/* An assessment depends on the facts document and the loaded versions
 * only, and evaluating it (with its decisive unknowns and its prose) is
 * most of a case page's work: a case is read far more often than its
 * facts change.  So the last few are kept, keyed by the exact facts
 * document and the number of versions (activation only adds one), and
 * compared in full -- a hit is the same input, never a likeness. */
struct view_entry {
	char *key;      /* "VERSIONS\nFACTS" */
	json_t *assess; /* the assessment document */
	char *prose;    /* its Chinese explanation */
	uint64_t used;  /* for eviction: the least recently used goes */
};

struct rc_view_cache {
	int n;
	uint64_t clock;
	struct view_entry e[];
};

enum rc_err rc_view_cache_new(int entries, struct rc_view_cache **out)
{
	if (entries < 1 || entries > 4096)
		return RC_ERR_RANGE;
	*out = calloc(1, sizeof(**out) + (size_t)entries * sizeof((*out)->e[0]));
	if (!*out)
		return RC_ERR_NOMEM;
	(*out)->n = entries;
	return RC_OK;
}

void rc_view_cache_free(struct rc_view_cache *c)
{
	for (int i = 0; c && i < c->n; i++) {
		free(c->e[i].key);
		json_decref(c->e[i].assess);
		free(c->e[i].prose);
	}
	free(c);
}

static struct view_entry *cache_find(struct rc_view_cache *c, const char *key)
{
	for (int i = 0; c && i < c->n; i++)
		if (c->e[i].key && strcmp(c->e[i].key, key) == 0) {
			c->e[i].used = ++c->clock;
			return &c->e[i];
		}
	return NULL;
}

/* Keep (key, assess, prose): the cache takes a reference to assess and
 * copies the texts; a failure to copy keeps nothing (it is only a cache). */
static void cache_put(struct rc_view_cache *c, const char *key, json_t *assess, const char *prose)
{
	struct view_entry *v = NULL;
	if (!c)
		return;
	for (int i = 0; i < c->n; i++)
		if (!v || c->e[i].used < v->used)
			v = &c->e[i];
	free(v->key);
	json_decref(v->assess);
	free(v->prose);
	v->key = strdup(key);
	v->prose = strdup(prose);
	v->assess = json_incref(assess);
	v->used = ++c->clock;
	if (!v->key || !v->prose) {
		free(v->key);
		free(v->prose);
		json_decref(v->assess);
		memset(v, 0, sizeof(*v));
	}
}

static enum rc_err assess_now(struct rc_store *s, const struct rc_policy_set *set,
			      const struct rc_policy *p, int64_t id, const char *opened,
			      struct rc_view_cache *cache, json_t *doc)
{
	char *facts = NULL, *js = NULL, *prose = NULL, *key = NULL, date[RC_DATE_STRLEN];
	size_t jl = 0, pl = 0;
	struct rc_assessment *as = NULL;
	struct rc_diags *d = malloc(sizeof(*d));
	FILE *m;
	enum rc_err e = RC_OK;
	if (!d)
		return RC_ERR_NOMEM;
	rc_diags_init(d, "assessment");
	snprintf(date, sizeof(date), "%.10s", opened);
	if ((e = rc_proc_facts_document(s, p, id, date, NULL, &facts)))
		goto out;
	size_t fl = strlen(facts);
	if (!(key = malloc(fl + 32))) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	/* the set by its address: a set is never freed while a server runs
	 * (web/app.c), and a new one (an activation) assesses anew */
	snprintf(key, fl + 32, "%p\n%s", (const void *)set, facts);
	struct view_entry *hit = cache_find(cache, key);
	if (hit) {
		json_object_set(doc, "assessment", hit->assess);
		json_object_set_new(doc, "explanation", json_string(hit->prose));
		goto out;
	}
	if (rc_assess(set, facts, fl, INT32_MIN, INT32_MIN, d, &as)) {
		/* stored facts that no longer assess: say so on the page */
		char msg[RC_DIAG_MSG_MAX];
		rc_diags_first(d, msg, sizeof(msg));
		json_object_set_new(doc, "assessment", json_null());
		json_object_set_new(doc, "assessment_error", json_string(msg));
		goto out;
	}
	if ((m = open_memstream(&js, &jl)) == NULL) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	e = rc_assessment_write_json(as, m);
	fclose(m);
	if (e)
		goto out;
	if ((m = open_memstream(&prose, &pl)) == NULL) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	e = rc_assessment_write_text(as, NULL, m);
	fclose(m);
	if (e)
		goto out;
	json_t *a = json_loads(js, 0, NULL);
	json_object_set_new(doc, "assessment", a ? a : json_null());
	json_object_set_new(doc, "explanation", json_string(prose));
	if (a)
		cache_put(cache, key, a, prose);
out:
	rc_assessment_free(as);
	free(key);
	free(facts);
	free(js);
	free(prose);
	free(d);
	return e;
}

enum rc_err rc_proc_view_case(struct rc_store *s, const struct rc_policy_set *set, const char *code,
			      int32_t today, struct rc_view_cache *cache, json_t **out)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	json_t *doc = json_object();
	*out = NULL;
	if (!doc)
		return RC_ERR_NOMEM;
	if ((e = rc_store_stmt(s, Q_CASE_BY_CODE, &st)) || (e = rc_stmt_bind_str(st, 1, code)) ||
	    (e = rc_stmt_step(st, &row)))
		goto out;
	if (!row) {
		e = RC_ERR_NOT_FOUND;
		goto out;
	}
	int64_t id = rc_stmt_int(st, 0), person = rc_stmt_is_null(st, 1) ? 0 : rc_stmt_int(st, 1);
	char series[128], version[128], state[128], opened[32];
	snprintf(series, sizeof(series), "%s", rc_stmt_text(st, 8, NULL));
	snprintf(version, sizeof(version), "%s", rc_stmt_text(st, 9, NULL));
	snprintf(state, sizeof(state), "%s", rc_stmt_text(st, 10, NULL));
	snprintf(opened, sizeof(opened), "%s", rc_stmt_text(st, 11, NULL));
	json_object_set_new(doc, "code", json_string(code));
	json_object_set_new(doc, "state", json_string(state));
	json_object_set_new(doc, "start_path", json_string(rc_stmt_text(st, 3, NULL)));
	json_object_set_new(doc, "source", cell(st, 4, "source"));
	json_object_set_new(doc, "accountability_ref", cell(st, 5, "ref"));
	json_object_set_new(doc, "policy",
			    json_pack("{s:s, s:s}", "series", series, "version", version));
	json_object_set_new(doc, "opened", json_string(opened));
	json_object_set_new(doc, "updated", json_string(rc_stmt_text(st, 12, NULL)));
	json_object_set_new(doc, "row_version", json_integer(rc_stmt_int(st, 14)));
	if ((e = org_json(s, st, 2, doc, "unit")) || (e = org_json(s, st, 6, doc, "handling")) ||
	    (e = org_json(s, st, 7, doc, "committee")))
		goto out;
	for (int more = 1; !e && more;)
		e = rc_stmt_step(st, &more);
	json_t *pj = NULL, *effects = json_array();
	if (!effects || json_object_set_new(doc, "effects", effects)) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	if (person) {
		static const char *const k_person[] = {"name", "", "post", "rank", NULL};
		if ((e = row_json(s, Q_PERSON_BY_ID, person, k_person, &pj)))
			goto out;
		if (pj)
			json_object_set_new(pj, "id", json_integer(person));
		if ((e = rows_json(s, Q_EFFECTS_OF_PERSON, person, k_effects, effects)))
			goto out;
		/* only this case's effects belong in its file */
		for (size_t i = json_array_size(effects); i-- > 0;)
			if (strcmp(json_string_value(
				       json_object_get(json_array_get(effects, i), "case")),
				   code) != 0)
				json_array_remove(effects, i);
	}
	json_object_set_new(doc, "person", pj ? pj : json_null());
	const struct rc_policy *p = policy_of(set, series, version);
	json_object_set_new(doc, "withdrawn", json_boolean(strcmp(state, RC_STATE_WITHDRAWN) == 0));
	if ((e = records(s, id, doc)) || (e = audit_rows(s, code, doc)) ||
	    (e = next_steps(p, state, doc)))
		goto out;
	json_t *steps = json_object_get(doc, "steps");
	const char *due = json_string_value(
	    json_object_get(json_array_get(steps, json_array_size(steps) - 1), "due_on"));
	json_object_set_new(doc, "due", due ? json_string(due) : json_null());
	json_object_set_new(doc, "overdue", json_boolean(today_or_never(due) < today));
	if (p && (e = assess_now(s, set, p, id, opened, cache, doc)))
		goto out;
	*out = doc;
	doc = NULL;
out:
	json_decref(doc);
	return e;
}

/* ---- people -------------------------------------------------------------- */

enum rc_err rc_proc_view_people(struct rc_store *s, int64_t user_org, const char *q, json_t **out,
				struct rc_diags *d)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	char *like = NULL;
	json_t *arr;
	*out = NULL;
	if (!empty(q) && strlen(q) > RC_VIEW_QUERY_MAX) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "q: at most %d bytes", RC_VIEW_QUERY_MAX);
		return RC_ERR_RANGE;
	}
	if (!empty(q) && !(like = like_pattern(q)))
		return RC_ERR_NOMEM;
	if (!(arr = json_array())) {
		free(like);
		return RC_ERR_NOMEM;
	}
	if ((e = rc_store_stmt(s, Q_VIEW_PEOPLE, &st)) || (e = rc_stmt_bind_int(st, 1, user_org)) ||
	    (e = rc_stmt_bind_str(st, 2, like)) || (e = rc_stmt_bind_int(st, 3, RC_VIEW_LIMIT_MAX)))
		goto out;
	while (!(e = rc_stmt_step(st, &row)) && row) {
		json_t *o = json_pack("{s:I, s:s, s:{s:s, s:s}, s:o, s:o}", "id",
				      (json_int_t)rc_stmt_int(st, 0), "name",
				      rc_stmt_text(st, 1, NULL), "org", "code",
				      rc_stmt_text(st, 2, NULL), "name", rc_stmt_text(st, 3, NULL),
				      "post", cell(st, 4, "post"), "rank", cell(st, 5, "rank"));
		if (!o || json_array_append_new(arr, o)) {
			e = RC_ERR_NOMEM;
			goto out;
		}
	}
	if (!e && !(*out = json_pack("{s:O}", "people", arr)))
		e = RC_ERR_NOMEM;
out:
	free(like);
	json_decref(arr);
	return e;
}

static enum rc_err orgs_view(struct rc_store *s, enum rc_query q, int64_t user_org, json_t **out)
{
	static const char *const k[] = {"code", "name", "level", NULL};
	json_t *arr = json_array();
	enum rc_err e = arr ? RC_OK : RC_ERR_NOMEM;
	struct rc_stmt *st;
	int row;
	*out = NULL;
	if (!e && !(e = rc_store_stmt(s, q, &st)) && !(e = rc_stmt_bind_int(st, 1, user_org)))
		while (!(e = rc_stmt_step(st, &row)) && row) {
			json_t *o = json_object();
			for (int c = 0; o && k[c]; c++)
				json_object_set_new(o, k[c], cell(st, c, k[c]));
			if (!o || json_array_append_new(arr, o)) {
				e = RC_ERR_NOMEM;
				break;
			}
		}
	if (!e && !(*out = json_pack("{s:O}", "orgs", arr)))
		e = RC_ERR_NOMEM;
	json_decref(arr);
	return e;
}

enum rc_err rc_proc_view_orgs(struct rc_store *s, int64_t user_org, json_t **out)
{
	return orgs_view(s, Q_VIEW_ORGS, user_org, out);
}

enum rc_err rc_proc_view_orgs_above(struct rc_store *s, int64_t user_org, json_t **out)
{
	return orgs_view(s, Q_VIEW_ORGS_ABOVE, user_org, out);
}

/* The rows of `q` (bound to scope org, then limit when > 0) as objects. */
static enum rc_err scoped_rows(struct rc_store *s, enum rc_query q, int64_t org, int limit,
			       const char *const *keys, json_t *arr)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	if ((e = rc_store_stmt(s, q, &st)) || (e = rc_stmt_bind_int(st, 1, org)) ||
	    (limit > 0 && (e = rc_stmt_bind_int(st, 2, limit))))
		return e;
	while (!(e = rc_stmt_step(st, &row)) && row) {
		json_t *o = json_object();
		for (int c = 0; o && keys[c]; c++)
			if (keys[c][0])
				json_object_set_new(o, key_name(keys[c]), cell(st, c, keys[c]));
		if (!o || json_array_append_new(arr, o))
			return RC_ERR_NOMEM;
	}
	return e;
}

enum rc_err rc_proc_view_users(struct rc_store *s, int64_t user_org, json_t **out)
{
	static const char *const k[] = {"login",      "name",         "org_code",
					"org_name",   "role",         "?disabled",
					"?enrolled",  "locked_until", "?must_change_password",
					"#person_id", "person_name",  NULL};
	json_t *arr = json_array();
	enum rc_err e = arr ? scoped_rows(s, Q_VIEW_USERS, user_org, 0, k, arr) : RC_ERR_NOMEM;
	*out = NULL;
	if (!e && !(*out = json_pack("{s:O}", "users", arr)))
		e = RC_ERR_NOMEM;
	json_decref(arr);
	return e;
}

enum rc_err rc_proc_view_clarifications(struct rc_store *s, int64_t user_org, json_t **out)
{
	static const char *const k[] = {"#id",    "person",     "org", "state",
					"opened", "?unfounded", NULL};
	json_t *arr = json_array();
	enum rc_err e =
	    arr ? scoped_rows(s, Q_VIEW_CLARIFICATIONS, user_org, RC_VIEW_LIMIT_MAX, k, arr)
		: RC_ERR_NOMEM;
	*out = NULL;
	if (!e && !(*out = json_pack("{s:O}", "clarifications", arr)))
		e = RC_ERR_NOMEM;
	json_decref(arr);
	return e;
}

enum rc_err rc_proc_view_clarification(struct rc_store *s, int64_t id, json_t **out)
{
	static const char *const k[] = {"#person_id", "state",     "?unfounded", "form",
					"scope",      "issued_on", "filed_on",   "referred_to",
					"",           "opened_by", "person",     "",
					"complaint",  "opened_at", "decided_by", NULL};
	json_t *o = NULL;
	enum rc_err e = row_json(s, Q_CLARIFY_GET, id, k, &o);
	*out = NULL;
	if (!e && !o)
		e = RC_ERR_NOT_FOUND;
	if (!e) {
		json_object_set_new(o, "id", json_integer(id));
		*out = o;
	}
	return e;
}

enum rc_err rc_proc_view_audit(struct rc_store *s, int64_t before, json_t **out)
{
	static const char *const k[] = {"#seq", "at",     "user",   "role",
					"org",  "action", "object", NULL};
	struct rc_stmt *st;
	int row, n = 0;
	int64_t last = 0;
	json_t *arr = json_array();
	enum rc_err e = arr ? RC_OK : RC_ERR_NOMEM;
	*out = NULL;
	if (!e && !(e = rc_store_stmt(s, Q_VIEW_AUDIT, &st)) &&
	    !(e = before > 0 ? rc_stmt_bind_int(st, 1, before) : rc_stmt_bind_null(st, 1)) &&
	    !(e = rc_stmt_bind_int(st, 2, RC_VIEW_LIMIT_MAX + 1)))
		while (!(e = rc_stmt_step(st, &row)) && row) {
			if (n++ == RC_VIEW_LIMIT_MAX)
				continue;
			json_t *o = json_object();
			for (int c = 0; o && k[c]; c++)
				json_object_set_new(o, key_name(k[c]), cell(st, c, k[c]));
			if (!o || json_array_append_new(arr, o)) {
				e = RC_ERR_NOMEM;
				break;
			}
			last = rc_stmt_int(st, 0);
		}
	if (!e && !(*out = json_pack("{s:O, s:o}", "rows", arr, "next",
				     n > RC_VIEW_LIMIT_MAX ? json_integer(last) : json_null())))
		e = RC_ERR_NOMEM;
	json_decref(arr);
	return e;
}

/* The cases about official `id` handled in the scope of `user_org`. */
/* The cases about official `id` that the viewer reaches: those handled in
 * its scope; every one for an official's unit (所在单位), whose scope is the
 * subject's and which reaches this official (the gate checked). */
static enum rc_err person_cases(struct rc_store *s, int64_t id, const struct rc_viewer *v,
				json_t *arr)
{
	static const char *const k[] = {"code", "state", "outcome", "opened", NULL};
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	enum rc_case_scope kind = rc_proc_case_scope(v->role);
	if (kind == RC_SCOPE_BY_PARTY)
		return RC_OK; /* not theirs to browse (the matrix keeps them out) */
	if ((e = rc_store_stmt(s, Q_VIEW_PERSON_CASES, &st)) || (e = rc_stmt_bind_int(st, 1, id)) ||
	    (e = rc_stmt_bind_int(st, 2, v->org)) ||
	    (e = rc_stmt_bind_int(st, 3, kind == RC_SCOPE_BY_SUBJECT)))
		return e;
	while (!(e = rc_stmt_step(st, &row)) && row) {
		json_t *o = json_object();
		for (int c = 0; o && k[c]; c++)
			json_object_set_new(o, k[c], cell(st, c, k[c]));
		if (!o || json_array_append_new(arr, o))
			return RC_ERR_NOMEM;
	}
	return e;
}

enum rc_err rc_proc_view_person(struct rc_store *s, int64_t id, const struct rc_viewer *v,
				json_t **out)
{
	static const char *const k_person[] = {"name", "#org_id", "post", "rank", NULL};
	json_t *p = NULL, *effects = json_array(), *cases = json_array(), *org = NULL;
	enum rc_err e = effects && cases ? RC_OK : RC_ERR_NOMEM;
	*out = NULL;
	if (!e)
		e = row_json(s, Q_PERSON_BY_ID, id, k_person, &p);
	if (!e && !p)
		e = RC_ERR_NOT_FOUND;
	if (!e)
		e = row_json(s, Q_ORG_BY_ID, json_integer_value(json_object_get(p, "org_id")),
			     k_org, &org);
	if (!e)
		e = rows_json(s, Q_EFFECTS_OF_PERSON, id, k_effects, effects);
	if (!e)
		e = person_cases(s, id, v, cases);
	/* an effect of a case out of scope: the effect is the official's
	 * record, the case code is not the caller's to know */
	for (size_t i = 0; !e && i < json_array_size(effects); i++) {
		json_t *x = json_array_get(effects, i);
		int vis = 0;
		const char *code = json_string_value(json_object_get(x, "case"));
		if (code && !(e = rc_proc_case_visible(s, code, v, &vis)) && !vis)
			json_object_set_new(x, "case", json_null());
	}
	if (!e) {
		json_object_del(p, "org_id");
		json_object_set_new(p, "id", json_integer(id));
		json_object_set_new(p, "org", org ? org : json_null());
		org = NULL;
		json_object_set(p, "effects", effects);
		json_object_set(p, "cases", cases);
		*out = p;
		p = NULL;
	}
	json_decref(org);
	json_decref(p);
	json_decref(effects);
	json_decref(cases);
	return e;
}

void rc_proc_view_case_for(json_t *doc, const char *role)
{
	if (!doc || rc_proc_case_scope(role) == RC_SCOPE_BY_HANDLING)
		return;
	json_object_set_new(doc, "consultation", json_null());
	json_object_set_new(doc, "audit", json_array());
}
