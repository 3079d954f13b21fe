/*
 * clarify.c -- 澄清正名 pages: the records of complaints found unfounded
 * (失实) about officials of the user's scope, and a form for each stage:
 * 核查研判 (decide) -> 澄清正名 (issue) -> 归档 (file) -> 治理诬告 (refer).
 * The stages, their order and four eyes are the procedure's (clarify.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "web/web_int.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define TRY(x)                                                                                     \
	do {                                                                                       \
		if ((e = (x)))                                                                     \
			goto out;                                                                  \
	} while (0)

static const char *state_zh(const char *s)
{
	static const char *const m[][2] = {
	    {"opened", "核查研判中"},           {"decided", "决定澄清"},
	    {"issued", "已澄清正名"},           {"filed", "已归入廉政档案"},
	    {"referred", "已移送诬告陷害线索"}, {"closed", "反映不失实，不予澄清"}};
	for (size_t i = 0; i < N(m); i++)
		if (strcmp(m[i][0], s) == 0)
			return m[i][1];
	return s;
}

/* ---- the list and a new record -------------------------------------------- */

static const struct rc_web_fdef f_open[] = {
    {"person", "干部", WF_SELECT, 1, 20, NULL, NULL},
    {"complaint", "检举控告（反映的问题）", WF_AREA, 1, 4000, NULL, NULL},
};
/* More officials than a list shows: the official by number. */
static const struct rc_web_fdef f_open_by_id[] = {
    {"person", "干部编号", WF_INT, 1, 15, NULL, "可在“人员”页查到编号。"},
    {"complaint", "检举控告（反映的问题）", WF_AREA, 1, 4000, NULL, NULL},
};

/* The officials of the user's scope as the form's choices; a number field
 * instead when there are more than a list shows. */
static enum rc_err person_options(struct rc_web_req *w, struct rc_web_form *f)
{
	json_t *people = NULL, *x;
	struct rc_diags d;
	size_t i;
	enum rc_err e;
	rc_diags_init(&d, "clarifications");
	if ((e = rc_proc_view_people(w->http->ctx->store, w->su.org_id, NULL, &people, &d)))
		return e;
	json_t *pa = json_object_get(people, "people");
	struct rc_web_opt *o = rc_arena_array(w->http->arena, json_array_size(pa) + 1, sizeof(*o));
	if (o) {
		json_array_foreach(pa, i, x)
		{
			o[i].value = rc_arena_sprintf(
			    w->http->arena, "%lld",
			    (long long)json_integer_value(json_object_get(x, "id")));
			o[i].label =
			    rc_arena_sprintf(w->http->arena, "%s(%s)", rc_web_js(x, "name", "—"),
					     rc_web_js(json_object_get(x, "org"), "name", "—"));
		}
		f->opts[0] = o;
		if (json_array_size(pa) >= RC_VIEW_LIMIT_MAX)
			f->defs = f_open_by_id; /* the list would be cut: a number */
	}
	json_decref(people);
	return o ? RC_OK : RC_ERR_NOMEM;
}

static enum rc_err list_page(struct rc_web_req *w, struct rc_web_form *f, unsigned status)
{
	json_t *doc = NULL, *x;
	struct rc_buf b;
	size_t i;
	enum rc_err e;
	rc_buf_init(&b, RC_HTTP_RESP_MAX);
	TRY(rc_proc_view_clarifications(w->http->ctx->store, w->su.org_id, &doc));
	TRY(H_LIT(&b, "<section class=\"wide\">\n<h1>澄清正名</h1>\n"));
	json_t *arr = json_object_get(doc, "clarifications");
	if (!json_array_size(arr)) {
		TRY(H_LIT(&b, "<p class=\"empty\">没有澄清正名记录。</p>\n"));
	} else {
		TRY(H_LIT(&b,
			  "<table class=\"list\" id=\"clarifications\"><thead><tr><th>编号</th>"
			  "<th>干部</th><th>单位</th><th>状态</th><th>受理时间</th></tr></thead>"
			  "<tbody>\n"));
		json_array_foreach(arr, i, x)
		{
			long long id = (long long)json_integer_value(json_object_get(x, "id"));
			TRY(H_LIT(&b, "<tr><td><a href=\"/clarifications/"));
			TRY(rc_web_textf(&b, "%lld\">%lld", id, id));
			TRY(H_LIT(&b, "</a></td><td>"));
			TRY(rc_web_text(&b, rc_web_js(x, "person", "—")));
			TRY(H_LIT(&b, "</td><td>"));
			TRY(rc_web_text(&b, rc_web_js(x, "org", "—")));
			TRY(H_LIT(&b, "</td><td>"));
			TRY(rc_web_text(&b, state_zh(rc_web_js(x, "state", "—"))));
			TRY(H_LIT(&b, "</td><td>"));
			TRY(rc_web_text(&b, rc_web_js(x, "opened", "—")));
			TRY(H_LIT(&b, "</td></tr>\n"));
		}
		TRY(H_LIT(&b, "</tbody></table>\n"));
	}
	TRY(person_options(w, f));
	TRY(rc_web_form_html(w, &b, f));
	TRY(H_LIT(&b, "</section>\n"));
	e = rc_web_page(w, status, "澄清正名", rc_buf_str(&b));
out:
	json_decref(doc);
	rc_buf_free(&b);
	return e;
}

static void open_form(struct rc_web_form *f)
{
	rc_web_form_init(f, "clarify", "受理澄清正名", "/clarifications", "受理", f_open,
			 (int)N(f_open));
}

static enum rc_err get_list(struct rc_web_req *w)
{
	struct rc_web_form f;
	open_form(&f);
	return list_page(w, &f, 200);
}

static enum rc_err post_open(struct rc_web_req *w)
{
	struct rc_web_form f;
	struct rc_unit u;
	struct rc_diags *d = rc_arena_alloc(w->http->arena, sizeof(*d));
	int64_t id;
	int vis = 0;
	if (!d)
		return RC_ERR_NOMEM;
	open_form(&f);
	enum rc_err e = person_options(w, &f);
	if (e)
		return e;
	if (rc_web_form_read(w, &f))
		return list_page(w, &f, 400);
	int64_t person = strtoll(rc_web_form_val(&f, "person"), NULL, 10);
	/* the official must be in scope, as every object of a route is */
	e = rc_proc_person_visible(w->http->ctx->store, person, w->su.org_id, &vis);
	if (e)
		return e;
	if (!vis) {
		f.err[0] = "请从列表中选择。";
		return list_page(w, &f, 400);
	}
	rc_web_unit(w, &u);
	rc_diags_init(d, "clarify open");
	e = rc_proc_clarify_open(&u, w->su.login, person, rc_web_form_val(&f, "complaint"), &id, d);
	if (rc_web_refused(e)) {
		f.error = rc_web_diags_text(w, d);
		return list_page(w, &f, 409);
	}
	if (e)
		return e;
	char to[64];
	snprintf(to, sizeof(to), "/clarifications/%lld", (long long)id);
	return rc_web_redirect(w->resp, rc_arena_strdup(w->http->arena, to));
}

/* ---- one record -------------------------------------------------------------- */

static const struct rc_web_opt yes_no[] = {
    {"1", "失实（予以澄清）"}, {"0", "不失实（不予澄清，结束）"}, {NULL, NULL}};
static const struct rc_web_opt cforms[] = {
    {"书面", NULL}, {"会议", NULL}, {"通报", NULL}, {NULL, NULL}};
static const struct rc_web_fdef f_decide[] = {
    {"unfounded", "核查结论", WF_SELECT, 1, 2, yes_no, NULL},
    {"form", "澄清方式（失实时）", WF_SELECT, 0, 16, cforms, "与原影响范围相匹配。"},
    {"scope", "澄清范围（失实时）", WF_TEXT, 0, 500, NULL, NULL},
};
static const struct rc_web_fdef f_on[] = {{"on", "日期", WF_DATE, 1, 10, NULL, NULL}};
static const struct rc_web_fdef f_refer[] = {
    {"to", "移送机关", WF_TEXT, 1, 200, NULL, "涉嫌诬告陷害的，移送有关机关处理。"}};

enum stage { ST_DECIDE, ST_ISSUE, ST_FILE, ST_REFER, ST__COUNT };
static const struct {
	const char *state, *id, *title, *suffix, *submit;
	const struct rc_web_fdef *defs;
	int n;
} stages[ST__COUNT] = {
    [ST_DECIDE] = {"opened", "decide", "核查研判", "/decide", "记录结论", f_decide, N(f_decide)},
    [ST_ISSUE] = {"decided", "issue", "澄清正名", "/issue", "记录澄清", f_on, N(f_on)},
    [ST_FILE] = {"issued", "file", "归入廉政档案（抄送组织部门）", "/file", "记录归档", f_on,
		 N(f_on)},
    [ST_REFER] = {"filed", "refer", "治理诬告（可选）", "/refer", "移送", f_refer, N(f_refer)},
};

static void stage_form(struct rc_web_req *w, struct rc_web_form *f, enum stage k)
{
	rc_web_form_init(f, stages[k].id, stages[k].title,
			 rc_arena_sprintf(w->http->arena, "/clarifications/%lld%s",
					  (long long)w->id, stages[k].suffix),
			 stages[k].submit, stages[k].defs, stages[k].n);
}

static enum rc_err record_page(struct rc_web_req *w, struct rc_web_form *active, unsigned status)
{
	json_t *k = NULL;
	struct rc_buf b;
	enum rc_err e = rc_proc_view_clarification(w->http->ctx->store, w->id, &k);
	if (e == RC_ERR_NOT_FOUND)
		return rc_web_not_found(w);
	if (e)
		return e;
	rc_buf_init(&b, RC_HTTP_RESP_MAX);
	TRY(H_LIT(&b, "<section class=\"wide\">\n<h1>"));
	TRY(rc_web_textf(&b, "澄清正名 %lld", (long long)w->id));
	TRY(H_LIT(&b, "</h1>\n<dl class=\"facts\">\n<dt>干部</dt><dd>"));
	TRY(rc_web_text(&b, rc_web_js(k, "person", "—")));
	TRY(H_LIT(&b, "</dd><dt>状态</dt><dd id=\"clarify-state\">"));
	TRY(rc_web_text(&b, state_zh(rc_web_js(k, "state", "—"))));
	TRY(H_LIT(&b, "</dd><dt>受理</dt><dd>"));
	TRY(rc_web_textf(&b, "%s(%s)", rc_web_js(k, "opened_at", "—"),
			 rc_web_js(k, "opened_by", "—")));
	TRY(H_LIT(&b, "</dd><dt>核查研判</dt><dd>"));
	TRY(rc_web_text(&b, rc_web_js(k, "decided_by", "—")));
	TRY(H_LIT(&b, "</dd><dt>澄清方式</dt><dd>"));
	TRY(rc_web_textf(&b, "%s %s", rc_web_js(k, "form", "—"), rc_web_js(k, "scope", "—")));
	TRY(H_LIT(&b, "</dd><dt>澄清日期</dt><dd>"));
	TRY(rc_web_text(&b, rc_web_js(k, "issued_on", "—")));
	TRY(H_LIT(&b, "</dd><dt>归档日期</dt><dd>"));
	TRY(rc_web_text(&b, rc_web_js(k, "filed_on", "—")));
	TRY(H_LIT(&b, "</dd><dt>移送</dt><dd>"));
	TRY(rc_web_text(&b, rc_web_js(k, "referred_to", "—")));
	TRY(H_LIT(&b, "</dd></dl>\n<h2>检举控告</h2>\n<p>"));
	TRY(rc_web_text(&b, rc_web_js(k, "complaint", "—")));
	TRY(H_LIT(&b, "</p>\n"));
	for (int s = 0; s < ST__COUNT; s++)
		if (strcmp(rc_web_js(k, "state", "—"), stages[s].state) == 0) {
			struct rc_web_form f;
			if (active && strcmp(active->id, stages[s].id) == 0) {
				TRY(rc_web_form_html(w, &b, active));
			} else {
				stage_form(w, &f, (enum stage)s);
				TRY(rc_web_form_html(w, &b, &f));
			}
		}
	TRY(H_LIT(&b, "</section>\n"));
	e = rc_web_page(w, status, "澄清正名", rc_buf_str(&b));
out:
	json_decref(k);
	rc_buf_free(&b);
	return e;
}

static enum rc_err get_record(struct rc_web_req *w)
{
	return record_page(w, NULL, 200);
}

static enum rc_err post_stage(struct rc_web_req *w, enum stage k)
{
	struct rc_web_form f;
	struct rc_unit u;
	struct rc_diags *d = rc_arena_alloc(w->http->arena, sizeof(*d));
	enum rc_err e;
	int32_t on = INT32_MIN;
	if (!d)
		return RC_ERR_NOMEM;
	stage_form(w, &f, k);
	if (rc_web_form_read(w, &f))
		return record_page(w, &f, 400);
	const char *v = rc_web_form_val(&f, "on");
	if (v)
		rc_date_parse(v, strlen(v), &on);
	rc_web_unit(w, &u);
	rc_diags_init(d, "clarify");
	switch (k) {
	case ST_DECIDE:
		e = rc_proc_clarify_decide(
		    &u, w->su.login, w->id, strcmp(rc_web_form_val(&f, "unfounded"), "1") == 0,
		    rc_web_form_val(&f, "form"), rc_web_form_val(&f, "scope"), d);
		break;
	case ST_ISSUE: e = rc_proc_clarify_issue(&u, w->su.login, w->id, on, d); break;
	case ST_FILE: e = rc_proc_clarify_file(&u, w->su.login, w->id, on, d); break;
	case ST_REFER:
		e = rc_proc_clarify_refer(&u, w->su.login, w->id, rc_web_form_val(&f, "to"), d);
		break;
	default: return RC_ERR_INTERNAL;
	}
	if (rc_web_refused(e)) {
		f.error = rc_web_diags_text(w, d);
		return record_page(w, &f, 409);
	}
	if (e)
		return e;
	return rc_web_redirect(
	    w->resp, rc_arena_sprintf(w->http->arena, "/clarifications/%lld", (long long)w->id));
}

static enum rc_err post_decide(struct rc_web_req *w)
{
	return post_stage(w, ST_DECIDE);
}
static enum rc_err post_issue(struct rc_web_req *w)
{
	return post_stage(w, ST_ISSUE);
}
static enum rc_err post_file(struct rc_web_req *w)
{
	return post_stage(w, ST_FILE);
}
static enum rc_err post_refer(struct rc_web_req *w)
{
	return post_stage(w, ST_REFER);
}

static const struct rc_web_page p_list = {get_list}, p_open = {post_open}, p_record = {get_record},
				p_decide = {post_decide}, p_issue = {post_issue},
				p_file = {post_file}, p_refer = {post_refer};

const struct rc_http_route rc_web_clarify_routes[] = {
    RC_WEB_ROUTE("GET", "/clarifications", p_list),
    RC_WEB_ROUTE("POST", "/clarifications", p_open),
    RC_WEB_ROUTE("GET", "/clarifications/{id}", p_record),
    RC_WEB_ROUTE("POST", "/clarifications/{id}/decide", p_decide),
    RC_WEB_ROUTE("POST", "/clarifications/{id}/issue", p_issue),
    RC_WEB_ROUTE("POST", "/clarifications/{id}/file", p_file),
    RC_WEB_ROUTE("POST", "/clarifications/{id}/refer", p_refer),
    {NULL, NULL, NULL, NULL},
};
