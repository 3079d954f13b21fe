/*
 * cases.c -- the API's case routes: the list, a case, its assessment, my
 * tasks, opening a case and every record of the procedure.
 *
 * Reads answer the views of procedure/views.c, the very documents the
 * case pages render.  Every change calls the procedure operation the
 * page's form calls (web/cases.c, submit()), with the same arguments, in
 * a unit of work that names the request; its refusal -- the role that
 * performs a step, the scope, four eyes, the order of steps, a record
 * made twice -- is the procedure's, answered 409 with its messages, and
 * changes nothing.  A change to a case answers the case as it now is, so
 * a client needs no second request to see what its change did.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/utf8.h"
#include "policy/policy.h"

#define N(x) ((int)(sizeof(x) / sizeof((x)[0])))

/* ---- the fields of each change (the web forms' caps, web/cases.c) -------- */

static const char *const start_paths[] = {"application", "ex_officio", NULL};
static const char *const sources[] = {"监督执纪", "巡视巡察", "干部考核", "监管执法",
				      "审计",     "其他",     NULL};
static const char *const depts[] = {"纪检",         "组织",       "信访",     "审计",
				    "行业主管部门", "第三方机构", "法律顾问", NULL};
static const char *const hows[] = {"书面", "当面", "其他", NULL};
static const char *const results[] = {"维持", "变更", "撤销", NULL};

#define TEXT(n, req, max)                                                                          \
	{                                                                                          \
		(n), RC_API_TEXT, (req), (max), NULL                                               \
	}
#define CHOICE(n, req, max, ch)                                                                    \
	{                                                                                          \
		(n), RC_API_TEXT, (req), (max), (ch)                                               \
	}
#define DATE(n, req)                                                                               \
	{                                                                                          \
		(n), RC_API_DATE, (req), 10, NULL                                                  \
	}

static const struct rc_api_field f_open[] = {
    CHOICE("start_path", 1, 32, start_paths),
    {"person_id", RC_API_INT, 0, 0, NULL},
    TEXT("unit", 0, 64),
    CHOICE("source", 0, 32, sources),
    TEXT("accountability_ref", 0, 200),
    TEXT("handling", 1, 64),
    TEXT("committee", 0, 64),
};
static const struct rc_api_field f_step[] = {TEXT("next", 1, 128), TEXT("note", 0, 2000)};
static const struct rc_api_field f_fact[] = {
    TEXT("name", 1, 128),    {"value", RC_API_VALUE, 1, 500, NULL}, TEXT("evidence", 0, 500),
    TEXT("reason", 0, 4000), {"disputed", RC_API_BOOL, 0, 0, NULL},
};
static const struct rc_api_field f_reco[] = {DATE("conduct_on", 0), DATE("decision_on", 0)};
static const struct rc_api_field f_decide[] = {
    TEXT("outcome", 1, 128),  DATE("meeting_on", 1),          TEXT("legal_basis", 1, 1000),
    TEXT("reasons", 0, 4000), TEXT("sanction_table", 0, 128), TEXT("sanction", 0, 128),
};
static const struct rc_api_field f_withdraw[] = {TEXT("reason", 1, 1000)};
static const struct rc_api_field f_consult[] = {DATE("held_on", 1), TEXT("minutes", 1, 4000)};
static const struct rc_api_field f_participant[] = {
    CHOICE("dept", 1, 64, depts),
    TEXT("name", 1, 128),
    {"recused", RC_API_BOOL, 0, 0, NULL},
    TEXT("reason", 0, 500),
};
static const struct rc_api_field f_opinion[] = {CHOICE("dept", 1, 64, depts),
						TEXT("opinion", 1, 4000), TEXT("dissent", 0, 4000)};
static const struct rc_api_field f_notice[] = {TEXT("to", 1, 200), DATE("on", 1),
					       CHOICE("how", 1, 16, hows)};
static const struct rc_api_field f_appeal[] = {DATE("on", 1), TEXT("by", 1, 200),
					       TEXT("grounds", 1, 4000)};
static const struct rc_api_field f_review[] = {DATE("on", 1), CHOICE("result", 1, 16, results),
					       TEXT("reasons", 1, 4000)};
static const struct rc_api_field f_filing[] = {TEXT("org", 1, 64), DATE("on", 1)};
static const struct rc_api_field f_task[] = {TEXT("owner", 1, 200), DATE("due_on", 1),
					     TEXT("what", 1, 1000)};
static const struct rc_api_field f_done[] = {DATE("on", 1), TEXT("verifier", 1, 64)};
static const struct rc_api_field f_follow[] = {DATE("on", 1), TEXT("notes", 1, 4000)};

enum op {
	OP_STEP,
	OP_FACT,
	OP_RECO,
	OP_DECIDE,
	OP_WITHDRAW,
	OP_CONSULT,
	OP_PARTICIPANT,
	OP_OPINION,
	OP_NOTICE,
	OP_APPEAL,
	OP_REVIEW,
	OP_FILING,
	OP_TASK,
	OP_DONE,
	OP_FOLLOW,
	OP__COUNT
};

static const struct {
	const struct rc_api_field *defs;
	int n;
} ops[OP__COUNT] = {
    [OP_STEP] = {f_step, N(f_step)},
    [OP_FACT] = {f_fact, N(f_fact)},
    [OP_RECO] = {f_reco, N(f_reco)},
    [OP_DECIDE] = {f_decide, N(f_decide)},
    [OP_WITHDRAW] = {f_withdraw, N(f_withdraw)},
    [OP_CONSULT] = {f_consult, N(f_consult)},
    [OP_PARTICIPANT] = {f_participant, N(f_participant)},
    [OP_OPINION] = {f_opinion, N(f_opinion)},
    [OP_NOTICE] = {f_notice, N(f_notice)},
    [OP_APPEAL] = {f_appeal, N(f_appeal)},
    [OP_REVIEW] = {f_review, N(f_review)},
    [OP_FILING] = {f_filing, N(f_filing)},
    [OP_TASK] = {f_task, N(f_task)},
    [OP_DONE] = {f_done, N(f_done)},
    [OP_FOLLOW] = {f_follow, N(f_follow)},
};

/* ---- helpers ------------------------------------------------------------------ */

static struct rc_diags *diags(struct rc_api_req *a, const char *what)
{
	struct rc_diags *d = rc_arena_alloc(a->http->arena, sizeof(*d));
	if (d)
		rc_diags_init(d, what);
	return d;
}

/* The case as GET /api/v1/cases/{code} shows it, with `status`. */
static enum rc_err case_answer(struct rc_api_req *a, const char *code, unsigned status)
{
	json_t *doc = NULL;
	enum rc_err e = rc_proc_view_case(a->http->ctx->store, a->set, code, a->today,
					  a->app->views[a->http->ctx->slot], &doc);
	if (e == RC_ERR_NOT_FOUND)
		return rc_api_not_found(a);
	rc_proc_view_case_for(doc, a->su.role);
	return e ? e : rc_api_json(a, status, doc);
}

/* The policy version case a->code was opened under, when it is loaded. */
static const struct rc_policy *case_policy(struct rc_api_req *a, enum rc_err *e)
{
	char series[128] = "", version[128] = "";
	struct rc_stmt *st;
	int row = 0;
	*e = RC_OK;
	if ((*e = rc_store_stmt(a->http->ctx->store, Q_CASE_BY_CODE, &st)) ||
	    (*e = rc_stmt_bind_str(st, 1, a->code)) || (*e = rc_stmt_step(st, &row)))
		return NULL;
	if (row) {
		snprintf(series, sizeof(series), "%s", rc_stmt_text(st, 8, NULL));
		snprintf(version, sizeof(version), "%s", rc_stmt_text(st, 9, NULL));
		for (int more = 1; more && !*e;)
			*e = rc_stmt_step(st, &more);
	}
	for (int i = 0; !*e && row && a->set && i < rc_policy_set_count(a->set); i++) {
		const struct rc_policy *p = rc_policy_set_get(a->set, i);
		if (strcmp(rc_policy_series(p), series) == 0 &&
		    strcmp(rc_policy_version(p), version) == 0)
			return p;
	}
	return NULL;
}

/* "/api/v1/cases/CODE", the code percent-encoded. */
static const char *case_location(struct rc_api_req *a, const char *code)
{
	struct rc_buf b;
	const char *s = NULL;
	rc_buf_init(&b, 1024);
	enum rc_err e = rc_buf_puts(&b, RC_API_PREFIX "/cases/");
	for (const unsigned char *p = (const unsigned char *)code; *p && !e; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.')
			e = rc_buf_append(&b, (const char *)p, 1);
		else
			e = rc_buf_printf(&b, "%%%02X", *p);
	if (!e)
		s = rc_arena_strdup(a->http->arena, rc_buf_str(&b));
	rc_buf_free(&b);
	return s;
}

/* The request's Idempotency-Key and body: *ok = 1 when both are good,
 * 0 when the request was answered (400, 415). */
static enum rc_err read_request(struct rc_api_req *a, const struct rc_api_field *defs, int n,
				struct rc_api_body *b, const char **key, int *ok)
{
	int answered;
	enum rc_err e = rc_api_idem_key(a, key, &answered);
	*ok = 0;
	if (e || answered)
		return e;
	return rc_api_body_read(a, defs, n, b, ok);
}

/* ---- reads ------------------------------------------------------------------------ */

/* A query parameter: NULL when absent or empty; *bad when it is not UTF-8
 * or longer than max (the message in d, at the parameter). */
static const char *query(struct rc_api_req *a, const char *name, size_t max, struct rc_diags *d)
{
	const char *v = rc_http_req_query(a->http, name);
	if (!v || !*v)
		return NULL;
	if (!rc_utf8_valid(v, strlen(v), NULL))
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: not valid UTF-8", name);
	else if (strlen(v) > max)
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: at most %zu bytes", name, max);
	else
		return v;
	return NULL;
}

/* A positive whole number of at most `digits` digits from a query
 * parameter; 0 when absent, -1 when it is not one. */
static int64_t query_number(const char *v, int digits)
{
	int64_t n = 0;
	if (!v)
		return 0;
	for (int i = 0; v[i]; i++) {
		if (v[i] < '0' || v[i] > '9' || i >= digits)
			return -1;
		n = n * 10 + (v[i] - '0');
	}
	return n > 0 ? n : -1;
}

static enum rc_err get_cases(struct rc_api_req *a)
{
	struct rc_diags *d = diags(a, "cases");
	json_t *doc = NULL;
	enum rc_err e;
	if (!d)
		return RC_ERR_NOMEM;
	struct rc_case_filter f = {
	    .state = query(a, "state", 128, d),
	    .outcome = query(a, "outcome", 128, d),
	    .unit = query(a, "unit", 64, d),
	    .from = query(a, "from", 10, d),
	    .to = query(a, "to", 10, d),
	    .q = query(a, "q", RC_VIEW_QUERY_MAX, d),
	    .category = query(a, "category", 128, d),
	    .set = a->set,
	};
	const char *before = query(a, "before", 20, d), *limit = query(a, "limit", 20, d);
	int64_t n;
	if ((n = query_number(before, 15)) < 0)
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "before: not a page of this list (a case's id)");
	f.before_id = n > 0 ? n : 0;
	if ((n = query_number(limit, 3)) < 0 || n > RC_VIEW_LIMIT_MAX)
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "limit: between 1 and %d", RC_VIEW_LIMIT_MAX);
	f.limit = n > 0 && n <= RC_VIEW_LIMIT_MAX ? (int)n : 0;
	if (d->errors)
		return rc_api_filters(a, d);
	e = rc_proc_view_cases(a->http->ctx->store, &RC_VIEWER_OF(&a->su), &f, a->today, &doc, d);
	if (e == RC_ERR_RANGE)
		return rc_api_filters(a, d);
	return e ? e : rc_api_json(a, 200, doc);
}

static enum rc_err get_tasks(struct rc_api_req *a)
{
	json_t *doc = NULL;
	enum rc_err e =
	    rc_proc_view_tasks(a->http->ctx->store, a->set, &RC_VIEWER_OF(&a->su), a->today, &doc);
	return e ? e : rc_api_json(a, 200, doc);
}

static enum rc_err get_case(struct rc_api_req *a)
{
	return case_answer(a, a->code, 200);
}

/* The assessment of the case's current facts, and its explanation: the
 * parts of the case view that say what the engine makes of the case. */
static enum rc_err get_assessment(struct rc_api_req *a)
{
	static const char *const keys[] = {"code",           "state",       "policy",
					   "assessment",     "explanation", "assessment_error",
					   "recommendation", NULL};
	json_t *doc = NULL, *out;
	enum rc_err e = rc_proc_view_case(a->http->ctx->store, a->set, a->code, a->today,
					  a->app->views[a->http->ctx->slot], &doc);
	if (e == RC_ERR_NOT_FOUND)
		return rc_api_not_found(a);
	if (e)
		return e;
	if (!(out = json_object())) {
		json_decref(doc);
		return RC_ERR_NOMEM;
	}
	for (int i = 0; keys[i]; i++) {
		json_t *v = json_object_get(doc, keys[i]);
		if (v && json_object_set(out, keys[i], v)) {
			json_decref(out);
			out = NULL;
			break;
		}
	}
	/* no version loaded for the case: the engine said nothing */
	if (out && !json_object_get(out, "assessment"))
		json_object_set_new(out, "assessment", json_null());
	json_decref(doc);
	return rc_api_json(a, 200, out);
}

/* ---- opening a case ------------------------------------------------------------- */

static enum rc_err post_case(struct rc_api_req *a)
{
	struct rc_api_body b;
	struct rc_unit u;
	struct rc_diags *d = diags(a, "case open");
	const char *key;
	char code[64];
	int ok;
	enum rc_err e;
	if (!d)
		return RC_ERR_NOMEM;
	if ((e = read_request(a, f_open, N(f_open), &b, &key, &ok)) || !ok)
		return e;
	const struct rc_api_val *person = rc_api_val(&b, "person_id");
	if (!person->present && !rc_api_val(&b, "unit")->present)
		return rc_api_invalid(a, "person_id",
				      "give the official (person_id) or the unit concerned (unit), "
				      "or both");
	const struct rc_policy *p = a->set ? rc_policy_set_at(a->set, a->today) : NULL;
	if (!p)
		return rc_api_error(a, 409, "conflict",
				    "no policy version is in force today: no case can be opened",
				    NULL, NULL);
	struct rc_case_new c = {
	    .person_id = person->num,
	    .subject_org = rc_api_val(&b, "unit")->text,
	    .start_path = rc_api_val(&b, "start_path")->text,
	    .source = rc_api_val(&b, "source")->text,
	    .accountability_ref = rc_api_val(&b, "accountability_ref")->text,
	    .handling_org = rc_api_val(&b, "handling")->text,
	    .committee_org = rc_api_val(&b, "committee")->text,
	};
	if ((e = rc_api_unit(a, &u, key)))
		return e;
	e = rc_proc_case_open(&u, p, a->cal, a->su.login, &c, a->today, code, sizeof(code), d);
	if (e)
		return rc_api_refused(a, e, d);
	const char *loc = case_location(a, code);
	if (!loc || (e = rc_http_resp_header(a->resp, "Location", loc)))
		return loc ? e : RC_ERR_NOMEM;
	return case_answer(a, code, 201);
}

/* ---- a change to a case ---------------------------------------------------------- */

static enum rc_err change(struct rc_api_req *a, enum op k)
{
	struct rc_api_body b;
	struct rc_unit u;
	struct rc_diags *d = diags(a, "case");
	const struct rc_policy *p;
	const struct rc_cal *cal = a->cal;
	const char *me = a->su.login, *key, *code = a->code;
	long no = 0;
	int ok;
	enum rc_err e;
	if (!d)
		return RC_ERR_NOMEM;
	if (k == OP_DONE) {
		/* the task's number is in the path: a number that is not one
		 * names nothing */
		char nos[16], *end;
		if (rc_http_req_param(a->http, "no", nos, sizeof(nos)) || nos[0] < '1' ||
		    nos[0] > '9')
			return rc_api_not_found(a);
		no = strtol(nos, &end, 10);
		if (*end || no > 1000000)
			return rc_api_not_found(a);
	}
	if ((e = read_request(a, ops[k].defs, ops[k].n, &b, &key, &ok)) || !ok)
		return e;
	if (!(p = case_policy(a, &e))) {
		if (e)
			return e;
		return rc_api_error(
		    a, 409, "conflict",
		    "the policy version of this case is not loaded on the server, so "
		    "it cannot be changed here",
		    NULL, NULL);
	}
#define T(name) (rc_api_val(&b, name)->text)
#define D(name) (rc_api_val(&b, name)->date)
#define B(name) ((int)rc_api_val(&b, name)->num)
	if ((e = rc_api_unit(a, &u, key)))
		return e;
	switch (k) {
	case OP_STEP:
		e = rc_proc_case_step(&u, p, cal, me, code, T("next"), T("note"), a->today, d);
		break;
	case OP_FACT:
		e = rc_proc_case_fact(&u, p, me, code, T("name"), T("value"), T("evidence"),
				      T("reason"), B("disputed"), d);
		break;
	case OP_RECO:
		e = rc_proc_case_recommend(&u, p, a->set, me, code, T("conduct_on"),
					   T("decision_on"), NULL, d);
		break;
	case OP_DECIDE: {
		struct rc_decision dec = {
		    .outcome = T("outcome"),
		    .meeting_on = D("meeting_on"),
		    .legal_basis = T("legal_basis"),
		    .reasons = T("reasons"),
		    .sanction_table = T("sanction_table"),
		    .sanction = T("sanction"),
		};
		e = rc_proc_case_decide(&u, p, me, code, &dec, d);
		break;
	}
	case OP_WITHDRAW:
		e = rc_proc_case_withdraw(&u, p, me, code, T("reason"), a->today, d);
		break;
	case OP_CONSULT:
		e = rc_proc_consult_open(&u, p, me, code, D("held_on"), T("minutes"), d);
		break;
	case OP_PARTICIPANT:
		e = rc_proc_consult_participant(&u, p, me, code, T("dept"), T("name"), B("recused"),
						T("reason"), d);
		break;
	case OP_OPINION:
		e = rc_proc_consult_opinion(&u, p, me, code, T("dept"), T("opinion"), T("dissent"),
					    d);
		break;
	case OP_NOTICE:
		e = rc_proc_case_notify(&u, p, me, code, T("to"), D("on"), T("how"), d);
		break;
	case OP_APPEAL:
		e = rc_proc_case_appeal(&u, p, cal, me, code, D("on"), T("by"), T("grounds"), NULL,
					d);
		break;
	case OP_REVIEW:
		e = rc_proc_case_review(&u, p, cal, me, code, D("on"), T("result"), T("reasons"),
					d);
		break;
	case OP_FILING: e = rc_proc_case_file(&u, p, me, code, T("org"), D("on"), d); break;
	case OP_TASK: {
		int made;
		e = rc_proc_task_add(&u, p, me, code, T("owner"), D("due_on"), T("what"), &made, d);
		break;
	}
	case OP_DONE:
		e = rc_proc_task_done(&u, p, me, code, (int)no, D("on"), T("verifier"), d);
		break;
	case OP_FOLLOW: e = rc_proc_case_follow_up(&u, p, me, code, D("on"), T("notes"), d); break;
	default: return RC_ERR_INTERNAL;
	}
#undef T
#undef D
#undef B
	if (e)
		return rc_api_refused(a, e, d);
	return case_answer(a, code, 200);
}

#define CHANGE(fn, k)                                                                              \
	static enum rc_err fn(struct rc_api_req *a)                                                \
	{                                                                                          \
		return change(a, k);                                                               \
	}
CHANGE(post_step, OP_STEP)
CHANGE(post_fact, OP_FACT)
CHANGE(post_reco, OP_RECO)
CHANGE(post_decide, OP_DECIDE)
CHANGE(post_withdraw, OP_WITHDRAW)
CHANGE(post_consult, OP_CONSULT)
CHANGE(post_participant, OP_PARTICIPANT)
CHANGE(post_opinion, OP_OPINION)
CHANGE(post_notice, OP_NOTICE)
CHANGE(post_appeal, OP_APPEAL)
CHANGE(post_review, OP_REVIEW)
CHANGE(post_filing, OP_FILING)
CHANGE(post_task, OP_TASK)
CHANGE(post_done, OP_DONE)
CHANGE(post_follow, OP_FOLLOW)

static const struct rc_api_op o_cases = {get_cases}, o_open = {post_case}, o_case = {get_case},
			      o_assess = {get_assessment}, o_tasks = {get_tasks},
			      o_step = {post_step}, o_fact = {post_fact}, o_reco = {post_reco},
			      o_decide = {post_decide}, o_withdraw = {post_withdraw},
			      o_consult = {post_consult}, o_participant = {post_participant},
			      o_opinion = {post_opinion}, o_notice = {post_notice},
			      o_appeal = {post_appeal}, o_review = {post_review},
			      o_filing = {post_filing}, o_task = {post_task}, o_done = {post_done},
			      o_follow = {post_follow};

const struct rc_http_route rc_api_case_routes[] = {
    RC_API_ROUTE("GET", "/tasks", o_tasks),
    RC_API_ROUTE("GET", "/cases", o_cases),
    RC_API_ROUTE("POST", "/cases", o_open),
    RC_API_ROUTE("GET", "/cases/{code}", o_case),
    RC_API_ROUTE("GET", "/cases/{code}/assessment", o_assess),
    RC_API_ROUTE("POST", "/cases/{code}/facts", o_fact),
    RC_API_ROUTE("POST", "/cases/{code}/recommend", o_reco),
    RC_API_ROUTE("POST", "/cases/{code}/steps", o_step),
    RC_API_ROUTE("POST", "/cases/{code}/decision", o_decide),
    RC_API_ROUTE("POST", "/cases/{code}/withdraw", o_withdraw),
    RC_API_ROUTE("POST", "/cases/{code}/consultation", o_consult),
    RC_API_ROUTE("POST", "/cases/{code}/participants", o_participant),
    RC_API_ROUTE("POST", "/cases/{code}/opinions", o_opinion),
    RC_API_ROUTE("POST", "/cases/{code}/notices", o_notice),
    RC_API_ROUTE("POST", "/cases/{code}/appeal", o_appeal),
    RC_API_ROUTE("POST", "/cases/{code}/review", o_review),
    RC_API_ROUTE("POST", "/cases/{code}/filings", o_filing),
    RC_API_ROUTE("POST", "/cases/{code}/tasks", o_task),
    RC_API_ROUTE("POST", "/cases/{code}/tasks/{no}/done", o_done),
    RC_API_ROUTE("POST", "/cases/{code}/follow-ups", o_follow),
    {NULL, NULL, NULL, NULL},
};
