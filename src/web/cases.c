/*
 * cases.c -- the case pages: 我的任务, the case list, 新建案件 and the case
 * file with a form for every step of the procedure.
 *
 * Every page shows a view of procedure/views.c (the same JSON document
 * the API returns) and every form goes through the procedure's own
 * operation, so a page can do exactly what the CLI can and no more: the
 * role that performs a step, the scope, four eyes and the order of steps
 * are the procedure's guards, whose refusal is shown at the form (409) and
 * changes nothing.  The forms a page shows follow the case's current step;
 * a form for another step is still refused by the procedure if posted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "policy/policy.h"
#include "web/web_int.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define TRY(x)                                                                                     \
	do {                                                                                       \
		if ((e = (x)))                                                                     \
			goto out;                                                                  \
	} while (0)

/* ---- small helpers -------------------------------------------------------- */

static const struct rc_policy *policy_of(const struct rc_policy_set *set, const json_t *c)
{
	const json_t *p = json_object_get(c, "policy");
	for (int i = 0; set && i < rc_policy_set_count(set); i++) {
		const struct rc_policy *q = rc_policy_set_get(set, i);
		if (strcmp(rc_policy_series(q), rc_web_js(p, "series", "")) == 0 &&
		    strcmp(rc_policy_version(q), rc_web_js(p, "version", "")) == 0)
			return q;
	}
	return NULL;
}

/* A table cell holding text. */

/* A link to a case: <a href="/cases/CODE">CODE</a>.  The code is
 * percent-encoded in the path (it may hold any character) and escaped. */
static enum rc_err case_link(struct rc_buf *b, const char *code)
{
	enum rc_err e = H_LIT(b, "<a href=\"/cases/");
	for (const unsigned char *p = (const unsigned char *)code; *p && !e; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.')
			e = rc_buf_append(b, (const char *)p, 1);
		else
			e = rc_buf_printf(b, "%%%02X", *p);
	}
	if (!e)
		e = H_LIT(b, "\">");
	if (!e)
		e = rc_web_text(b, code);
	return e ? e : H_LIT(b, "</a>");
}

/* "/cases/CODE" + suffix, percent-encoded, in the arena. */
static const char *case_path(struct rc_web_req *w, const char *code, const char *suffix)
{
	struct rc_buf b;
	const char *s = NULL;
	rc_buf_init(&b, 1024);
	if (!rc_buf_puts(&b, "/cases/")) {
		for (const unsigned char *p = (const unsigned char *)code; *p; p++)
			if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.')
				rc_buf_append(&b, (const char *)p, 1);
			else
				rc_buf_printf(&b, "%%%02X", *p);
		if (!rc_buf_puts(&b, suffix))
			s = rc_arena_strdup(w->http->arena, rc_buf_str(&b));
	}
	rc_buf_free(&b);
	return s;
}

static const char *start_path_zh(const char *p)
{
	return strcmp(p, "application") == 0  ? "依申请"
	       : strcmp(p, "ex_officio") == 0 ? "依职权"
					      : p;
}

/* ---- 我的任务 --------------------------------------------------------------- */

static enum rc_err get_tasks(struct rc_web_req *w)
{
	json_t *doc = NULL;
	struct rc_buf b;
	enum rc_err e;
	rc_buf_init(&b, RC_HTTP_RESP_MAX);
	TRY(rc_proc_view_tasks(w->http->ctx->store, w->set, &RC_VIEWER_OF(&w->su), w->today, &doc));
	json_t *tasks = json_object_get(doc, "tasks");
	TRY(H_LIT(&b, "<section class=\"wide\">\n<h1>我的任务</h1>\n<p class=\"hint\">"));
	TRY(rc_web_textf(&b,
			 "本单位及下级单位中，当前步骤由“%s”办理的案件，按办理期限排列；"
			 "已逾期的以红色标出。",
			 w->su.role));
	TRY(H_LIT(&b, "</p>\n"));
	if (!json_array_size(tasks)) {
		TRY(H_LIT(&b, "<p class=\"empty\">目前没有待办案件。</p>\n"));
	} else {
		TRY(H_LIT(&b, "<table class=\"list\" id=\"tasks\">\n<thead><tr><th>案件编号</th>"
			      "<th>当前步骤</th><th>当事人</th><th>承办单位</th><th>办理期限</th>"
			      "</tr></thead>\n<tbody>\n"));
		size_t i;
		json_t *t;
		json_array_foreach(tasks, i, t)
		{
			int late = json_is_true(json_object_get(t, "overdue"));
			TRY(late ? H_LIT(&b, "<tr class=\"overdue\"><td>") : H_LIT(&b, "<tr><td>"));
			TRY(case_link(&b, rc_web_js(t, "code", "")));
			TRY(H_LIT(&b, "</td>"));
			TRY(rc_web_td(&b, rc_web_js(t, "state", "")));
			TRY(rc_web_td(&b, rc_web_js(t, "person", "—")));
			TRY(rc_web_td(&b, rc_web_js(t, "handling", "")));
			TRY(H_LIT(&b, "<td>"));
			TRY(rc_web_text(&b, rc_web_js(t, "due", "无期限")));
			if (late)
				TRY(H_LIT(&b, " <strong class=\"late\">已逾期</strong>"));
			TRY(H_LIT(&b, "</td></tr>\n"));
		}
		TRY(H_LIT(&b, "</tbody></table>\n"));
		if (json_is_true(json_object_get(doc, "more")))
			TRY(H_LIT(&b, "<p class=\"notice\">只列出最早到期的 200 件；"
				      "其余请在“案件”中按步骤筛选。</p>\n"));
	}
	TRY(H_LIT(&b, "</section>\n"));
	e = rc_web_page(w, 200, "我的任务", rc_buf_str(&b));
out:
	json_decref(doc);
	rc_buf_free(&b);
	return e;
}

/* ---- the case list ---------------------------------------------------------- */

static const char *query(struct rc_web_req *w, const char *name)
{
	const char *v = rc_http_req_query(w->http, name);
	return v && *v ? v : NULL;
}

/* A filter input of the list's form, with its message. */
static enum rc_err filter_input(struct rc_buf *b, const char *name, const char *label,
				const char *type, const char *value, const struct rc_diags *d)
{
	enum rc_err e;
	char prefix[32];
	TRY(H_LIT(b, "<div class=\"filter\"><label for=\"f-"));
	TRY(rc_web_text(b, name));
	TRY(H_LIT(b, "\">"));
	TRY(rc_web_text(b, label));
	TRY(H_LIT(b, "</label><input id=\"f-"));
	TRY(rc_web_text(b, name));
	TRY(H_LIT(b, "\" name=\""));
	TRY(rc_web_text(b, name));
	TRY(H_LIT(b, "\" type=\""));
	TRY(rc_web_text(b, type));
	TRY(H_LIT(b, "\" value=\""));
	TRY(rc_web_text(b, value ? value : ""));
	TRY(H_LIT(b, "\">"));
	/* the view's messages are "FIELD: what is wrong" */
	snprintf(prefix, sizeof(prefix), "%s: ", name);
	for (int i = 0; i < d->count; i++)
		if (strncmp(d->items[i].msg, prefix, strlen(prefix)) == 0) {
			TRY(H_LIT(b, "<p class=\"field-error\" role=\"alert\">"));
			TRY(rc_web_text(b, d->items[i].msg + strlen(prefix)));
			TRY(H_LIT(b, "</p>"));
		}
	e = H_LIT(b, "</div>\n");
out:
	return e;
}

/* The list's select of categories (容错情形的类别): those of the policy
 * versions loaded, "全部" for none, the one asked for selected; and the
 * view's message about it.  The names are the policy's own words, shown as
 * they are in either language. */
static enum rc_err filter_category(struct rc_web_req *w, struct rc_buf *b, const char *value,
				   const struct rc_diags *d)
{
	const char *names[32];
	int n = rc_proc_categories(w->set, names, (int)N(names));
	enum rc_err e;
	TRY(H_LIT(b,
		  "<div class=\"filter\"><label for=\"f-category\">情形类别</label>"
		  "<select id=\"f-category\" name=\"category\"><option value=\"\">全部</option>"));
	for (int i = 0; i < n; i++) {
		TRY(H_LIT(b, "<option value=\""));
		TRY(rc_web_text(b, names[i]));
		TRY(value && strcmp(value, names[i]) == 0 ? H_LIT(b, "\" selected>")
							  : H_LIT(b, "\">"));
		TRY(rc_web_text(b, names[i]));
		TRY(H_LIT(b, "</option>"));
	}
	TRY(H_LIT(b, "</select>"));
	for (int i = 0; i < d->count; i++)
		if (strncmp(d->items[i].msg, "category: ", 10) == 0) {
			TRY(H_LIT(b, "<p class=\"field-error\" role=\"alert\">"));
			TRY(rc_web_text(b, d->items[i].msg + 10));
			TRY(H_LIT(b, "</p>"));
		}
	e = H_LIT(b, "</div>\n");
out:
	return e;
}

static enum rc_err get_cases(struct rc_web_req *w)
{
	struct rc_case_filter f = {
	    .state = query(w, "state"),
	    .outcome = query(w, "outcome"),
	    .unit = query(w, "unit"),
	    .from = query(w, "from"),
	    .to = query(w, "to"),
	    .q = query(w, "q"),
	    .category = query(w, "category"),
	    .set = w->set,
	};
	const char *before = query(w, "before");
	json_t *doc = NULL;
	struct rc_buf b;
	struct rc_diags *d = rc_arena_alloc(w->http->arena, sizeof(*d));
	enum rc_err e = RC_OK;
	unsigned status = 200;
	if (!d)
		return RC_ERR_NOMEM;
	rc_diags_init(d, "cases");
	rc_buf_init(&b, RC_HTTP_RESP_MAX);
	if (before) {
		char *end;
		f.before_id = strtoll(before, &end, 10);
		if (*end || f.before_id <= 0)
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "before: not a page of this list");
	}
	if (!d->errors) {
		e = rc_proc_view_cases(w->http->ctx->store, &RC_VIEWER_OF(&w->su), &f, w->today,
				       &doc, d);
		if (e == RC_ERR_RANGE) {
			status = 400;
			e = RC_OK;
		}
		TRY(e);
	} else {
		status = 400;
	}
	TRY(H_LIT(&b, "<section class=\"wide\">\n<h1>案件</h1>\n"
		      "<form class=\"filters\" method=\"get\" action=\"/cases\">\n"));
	TRY(filter_input(&b, "q", "搜索（编号或当事人）", "search", f.q, d));
	TRY(filter_input(&b, "state", "当前步骤", "text", f.state, d));
	TRY(filter_input(&b, "outcome", "认定结果", "text", f.outcome, d));
	/* the unit narrows the viewer's scope: the handling unit's tree for the
	 * departments, the subject's for an official's unit (所在单位) */
	TRY(filter_input(&b, "unit",
			 rc_proc_case_scope(w->su.role) == RC_SCOPE_BY_SUBJECT ? "涉及单位代码"
									       : "承办单位代码",
			 "text", f.unit, d));
	TRY(filter_category(w, &b, f.category, d));
	TRY(filter_input(&b, "from", "立案日期自", "date", f.from, d));
	TRY(filter_input(&b, "to", "至", "date", f.to, d));
	TRY(H_LIT(&b, "<button type=\"submit\">筛选</button> <a href=\"/cases\">清除</a>\n"
		      "</form>\n"));
	for (int i = 0; i < d->count; i++)
		if (strncmp(d->items[i].msg, "before: ", 8) == 0 ||
		    strncmp(d->items[i].msg, "limit: ", 7) == 0) {
			TRY(H_LIT(&b, "<p class=\"error\" role=\"alert\">"));
			TRY(rc_web_text(&b, d->items[i].msg));
			TRY(H_LIT(&b, "</p>\n"));
		}
	json_t *cases = json_object_get(doc, "cases");
	if (doc && !json_array_size(cases))
		TRY(H_LIT(&b, "<p class=\"empty\">没有符合条件的案件。</p>\n"));
	if (json_array_size(cases)) {
		TRY(H_LIT(&b, "<table class=\"list\" id=\"cases\">\n<thead><tr><th>案件编号</th>"
			      "<th>当前步骤</th><th>当事人</th><th>承办单位</th><th>立案</th>"
			      "<th>办理期限</th><th>认定结果</th></tr></thead>\n<tbody>\n"));
		size_t i;
		json_t *c;
		json_array_foreach(cases, i, c)
		{
			int late = json_is_true(json_object_get(c, "overdue"));
			TRY(late ? H_LIT(&b, "<tr class=\"overdue\"><td>") : H_LIT(&b, "<tr><td>"));
			TRY(case_link(&b, rc_web_js(c, "code", "")));
			TRY(H_LIT(&b, "</td>"));
			TRY(rc_web_td(&b, rc_web_js(c, "state", "")));
			TRY(rc_web_td(&b, rc_web_js(c, "person", "—")));
			TRY(rc_web_td(&b, rc_web_js(json_object_get(c, "handling"), "name", "")));
			char opened[11];
			snprintf(opened, sizeof(opened), "%s", rc_web_js(c, "opened", ""));
			TRY(rc_web_td(&b, opened));
			TRY(rc_web_td(&b, rc_web_js(c, "due", "—")));
			TRY(rc_web_td(&b, rc_web_js(c, "outcome", "—")));
			TRY(H_LIT(&b, "</tr>\n"));
		}
		TRY(H_LIT(&b, "</tbody></table>\n"));
	}
	json_t *next = json_object_get(doc, "next");
	if (json_is_integer(next)) {
		/* the next page keeps the filters: a GET form of hidden fields */
		static const char *const keep[] = {"q",    "state", "outcome", "unit",
						   "from", "to",    "category"};
		TRY(H_LIT(&b, "<form class=\"pager\" method=\"get\" action=\"/cases\">"));
		for (size_t k = 0; k < N(keep); k++)
			if (query(w, keep[k])) {
				TRY(H_LIT(&b, "<input type=\"hidden\" name=\""));
				TRY(rc_web_text(&b, keep[k]));
				TRY(H_LIT(&b, "\" value=\""));
				TRY(rc_web_text(&b, query(w, keep[k])));
				TRY(H_LIT(&b, "\">"));
			}
		TRY(H_LIT(&b, "<input type=\"hidden\" name=\"before\" value=\""));
		TRY(rc_web_textf(&b, "%lld", (long long)json_integer_value(next)));
		TRY(H_LIT(&b, "\"><button type=\"submit\">下一页</button></form>\n"));
	}
	TRY(H_LIT(&b, "</section>\n"));
	e = rc_web_page(w, status, "案件", rc_buf_str(&b));
out:
	json_decref(doc);
	rc_buf_free(&b);
	return e;
}

/* ---- 新建案件 ---------------------------------------------------------------- */

static const struct rc_web_opt start_paths[] = {
    {"application", "依申请（当事人或所在单位申请）"},
    {"ex_officio", "依职权（承办单位主动启动）"},
    {NULL, NULL},
};
static const struct rc_web_opt sources[] = {
    {"监督执纪", NULL}, {"巡视巡察", NULL}, {"干部考核", NULL}, {"监管执法", NULL},
    {"审计", NULL},     {"其他", NULL},     {NULL, NULL},
};
static const struct rc_web_fdef open_fields[] = {
    {"path", "启动方式", WF_SELECT, 1, 32, start_paths, NULL},
    {"person", "当事人", WF_SELECT, 0, 20, NULL, "当事人与涉及单位至少填写一项。"},
    {"unit", "涉及单位", WF_SELECT, 0, 64, NULL, NULL},
    {"source", "案件来源", WF_SELECT, 0, 32, sources, NULL},
    {"ref", "关联问责事项", WF_TEXT, 0, 200, NULL, NULL},
    {"handling", "承办单位", WF_SELECT, 1, 64, NULL, NULL},
    {"committee", "党委（党组）所在单位", WF_SELECT, 0, 64, NULL, NULL},
};
/* The same, for a scope with more officials than a list shows: the
 * official by number (the procedure checks it is in the scope). */
static const struct rc_web_fdef open_fields_by_id[] = {
    {"path", "启动方式", WF_SELECT, 1, 32, start_paths, NULL},
    {"person", "当事人编号", WF_INT, 0, 15, NULL,
     "可在“人员”页查到编号。当事人与涉及单位至少填写一项。"},
    {"unit", "涉及单位", WF_SELECT, 0, 64, NULL, NULL},
    {"source", "案件来源", WF_SELECT, 0, 32, sources, NULL},
    {"ref", "关联问责事项", WF_TEXT, 0, 200, NULL, NULL},
    {"handling", "承办单位", WF_SELECT, 1, 64, NULL, NULL},
    {"committee", "党委（党组）所在单位", WF_SELECT, 0, 64, NULL, NULL},
};

/* Choices of organisations: code and "name(code)". */
static struct rc_web_opt *org_opts(struct rc_web_req *w, const json_t *oa, const json_t *ob)
{
	size_t n = json_array_size(oa) + json_array_size(ob), i, k = 0;
	json_t *x;
	struct rc_web_opt *oo = rc_arena_array(w->http->arena, n + 1, sizeof(*oo));
	for (int part = 0; oo && part < 2; part++)
		json_array_foreach(part ? oa : ob, i, x)
		{
			oo[k].value = rc_arena_strdup(w->http->arena, rc_web_js(x, "code", ""));
			oo[k++].label =
			    rc_arena_sprintf(w->http->arena, "%s(%s)", rc_web_js(x, "name", ""),
					     rc_web_js(x, "code", ""));
		}
	return oo;
}

/* The choices of the new-case form: the people and organisations in the
 * user's scope.  The official concerned (当事人) applies about themselves
 * alone, and they and their unit (所在单位) apply to their organisation or
 * one above it (rc_proc_case_open): those are their choices. */
static enum rc_err open_options(struct rc_web_req *w, struct rc_web_form *f)
{
	json_t *people = NULL, *orgs = NULL, *above = NULL;
	struct rc_diags d;
	enum rc_err e;
	enum rc_case_scope kind = rc_proc_case_scope(w->su.role);
	rc_diags_init(&d, "new case");
	if (kind == RC_SCOPE_BY_PARTY) {
		/* their own record alone, however many colleagues their unit has */
		json_t *self = NULL;
		if (w->su.person_id > 0)
			TRY(rc_proc_view_person(w->http->ctx->store, w->su.person_id,
						&RC_VIEWER_OF(&w->su), &self));
		people =
		    self ? json_pack("{s:[o]}", "people", self) : json_pack("{s:[]}", "people");
		if (!people) {
			e = RC_ERR_NOMEM;
			goto out;
		}
	} else {
		TRY(rc_proc_view_people(w->http->ctx->store, w->su.org_id, NULL, &people, &d));
	}
	TRY(rc_proc_view_orgs(w->http->ctx->store, w->su.org_id, &orgs));
	if (kind != RC_SCOPE_BY_HANDLING)
		TRY(rc_proc_view_orgs_above(w->http->ctx->store, w->su.org_id, &above));
	json_t *pa = json_object_get(people, "people"), *oa = json_object_get(orgs, "orgs");
	struct rc_web_opt *po =
	    rc_arena_array(w->http->arena, json_array_size(pa) + 1, sizeof(*po));
	struct rc_web_opt *oo = org_opts(w, oa, NULL);
	struct rc_web_opt *ho = above ? org_opts(w, oa, json_object_get(above, "orgs")) : oo;
	if (!po || !oo || !ho) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	size_t i, n = 0;
	json_t *x;
	json_array_foreach(pa, i, x)
	{
		int64_t id = json_integer_value(json_object_get(x, "id"));
		if (kind == RC_SCOPE_BY_PARTY && id != w->su.person_id)
			continue; /* a colleague is not theirs to name */
		struct rc_web_opt *o = &po[n++];
		o->value =
		    rc_arena_sprintf(w->http->arena, "%lld",
				     (long long)json_integer_value(json_object_get(x, "id")));
		o->label = rc_arena_sprintf(w->http->arena, "%s(%s,%s)", rc_web_js(x, "name", ""),
					    rc_web_js(x, "post", "—"),
					    rc_web_js(json_object_get(x, "org"), "name", ""));
	}
	f->opts[1] = po;
	if (json_array_size(pa) >= RC_VIEW_LIMIT_MAX && kind != RC_SCOPE_BY_PARTY)
		f->defs = open_fields_by_id; /* the list would be cut: a number */
	f->opts[2] = oo;
	f->opts[5] = f->opts[6] = ho;
out:
	json_decref(people);
	json_decref(orgs);
	json_decref(above);
	return e;
}

static enum rc_err new_case_page(struct rc_web_req *w, struct rc_web_form *f, unsigned status)
{
	struct rc_buf b;
	enum rc_err e;
	rc_buf_init(&b, RC_HTTP_RESP_MAX);
	TRY(open_options(w, f));
	TRY(H_LIT(&b, "<section class=\"card wide\">\n<h1>新建案件</h1>\n<p class=\"hint\">"
		      "立案后，系统将根据政策列出尚待查明、可能改变认定结果的关键事实，"
		      "逐项填写即可（案件页“待查明的关键事实”）。</p>\n"));
	TRY(rc_web_form_html(w, &b, f));
	TRY(H_LIT(&b, "</section>\n"));
	e = rc_web_page(w, status, "新建案件", rc_buf_str(&b));
out:
	rc_buf_free(&b);
	return e;
}

static void open_form(struct rc_web_form *f)
{
	rc_web_form_init(f, "open", "立案信息", "/cases", "立案", open_fields, (int)N(open_fields));
}

static enum rc_err get_new_case(struct rc_web_req *w)
{
	struct rc_web_form f;
	open_form(&f);
	return new_case_page(w, &f, 200);
}

static enum rc_err post_case(struct rc_web_req *w)
{
	struct rc_web_form f;
	struct rc_unit u;
	struct rc_diags *d = rc_arena_alloc(w->http->arena, sizeof(*d));
	char code[64];
	enum rc_err e;
	if (!d)
		return RC_ERR_NOMEM;
	open_form(&f);
	/* the choices first: a person or unit outside them is refused */
	if ((e = open_options(w, &f)))
		return e;
	if (rc_web_form_read(w, &f))
		return new_case_page(w, &f, 400);
	const char *person = rc_web_form_val(&f, "person");
	if (!person && !rc_web_form_val(&f, "unit")) {
		f.err[1] = "当事人与涉及单位至少填写一项。";
		return new_case_page(w, &f, 400);
	}
	const struct rc_policy *p = w->set ? rc_policy_set_at(w->set, w->today) : NULL;
	if (!p) {
		f.error = "今天没有生效的政策版本，无法立案。请联系系统管理员。";
		return new_case_page(w, &f, 409);
	}
	struct rc_case_new c = {
	    .person_id = person ? strtoll(person, NULL, 10) : 0,
	    .subject_org = rc_web_form_val(&f, "unit"),
	    .start_path = rc_web_form_val(&f, "path"),
	    .source = rc_web_form_val(&f, "source"),
	    .accountability_ref = rc_web_form_val(&f, "ref"),
	    .handling_org = rc_web_form_val(&f, "handling"),
	    .committee_org = rc_web_form_val(&f, "committee"),
	};
	rc_web_unit(w, &u);
	rc_diags_init(d, "case open");
	e = rc_proc_case_open(&u, p, w->cal, w->su.login, &c, w->today, code, sizeof(code), d);
	if (e == RC_OK) {
		const char *to = case_path(w, code, "");
		return to ? rc_web_redirect(w->resp, to) : RC_ERR_NOMEM;
	}
	if (e == RC_ERR_IO || e == RC_ERR_NOMEM || e == RC_ERR_INTERNAL || e == RC_ERR_BUSY)
		return e;
	f.error = rc_web_diags_text(w, d);
	return new_case_page(w, &f, 409);
}

/* ---- the forms of the case file ---------------------------------------------- */

static const struct rc_web_opt depts[] = {
    {"纪检", NULL},         {"组织", NULL},       {"信访", NULL},     {"审计", NULL},
    {"行业主管部门", NULL}, {"第三方机构", NULL}, {"法律顾问", NULL}, {NULL, NULL},
};
static const struct rc_web_opt hows[] = {
    {"书面", NULL}, {"当面", NULL}, {"其他", NULL}, {NULL, NULL}};
static const struct rc_web_opt results[] = {
    {"维持", NULL}, {"变更", NULL}, {"撤销", NULL}, {NULL, NULL}};

static const struct rc_web_fdef f_step[] = {
    {"next", "下一步骤", WF_SELECT, 1, 128, NULL, NULL, 1},
    {"note", "办理说明", WF_AREA, 0, 2000, NULL, NULL},
};
static const struct rc_web_fdef f_fact[] = {
    {"name", "事实或分析标准", WF_SELECT, 1, 128, NULL, NULL, 1},
    {"value", "认定的值", WF_TEXT, 1, 500, NULL,
     "是/否、数字、日期（YYYY-MM-DD）或选项；填“unknown”撤回已记录的值。"},
    {"evidence", "证据", WF_TEXT, 0, 500, NULL, "证据材料编号，或 sm3:哈希 引用已存证据。"},
    {"reason", "理由（分析标准必填）", WF_AREA, 0, 4000, NULL, NULL},
    {"disputed", "当事人对此有异议", WF_CHECK, 0, 1, NULL, NULL},
};
static const struct rc_web_fdef f_reco[] = {
    {"conduct", "行为发生日期", WF_DATE, 0, 10, NULL, "用于选择适用的政策版本（从旧兼从轻）。"},
    {"decision", "拟认定日期", WF_DATE, 0, 10, NULL, NULL},
};
static const struct rc_web_fdef f_decide[] = {
    {"outcome", "认定结果", WF_SELECT, 1, 128, NULL, NULL, 1},
    {"meeting", "会议日期", WF_DATE, 1, 10, NULL, "党委（党组）集体研究的日期。"},
    {"basis", "认定依据", WF_AREA, 1, 1000, NULL, NULL},
    {"reasons", "理由（与系统建议不同时必填）", WF_AREA, 0, 4000, NULL, NULL},
    {"sanction_table", "处理处分类别", WF_TEXT, 0, 128, NULL, "如 党纪处分；无处分则留空。"},
    {"sanction", "处理处分", WF_TEXT, 0, 128, NULL, "如 警告。"},
};
static const struct rc_web_fdef f_withdraw[] = {
    {"reason", "撤回理由", WF_AREA, 1, 1000, NULL, NULL},
};
static const struct rc_web_fdef f_consult[] = {
    {"held_on", "会商日期", WF_DATE, 1, 10, NULL, NULL},
    {"minutes", "会议纪要", WF_AREA, 1, 4000, NULL, NULL},
};
static const struct rc_web_fdef f_participant[] = {
    {"dept", "部门", WF_SELECT, 1, 64, depts, NULL},
    {"name", "参加人", WF_TEXT, 1, 128, NULL, NULL},
    {"recused", "回避", WF_CHECK, 0, 1, NULL, NULL},
    {"reason", "回避理由", WF_TEXT, 0, 500, NULL, NULL},
};
static const struct rc_web_fdef f_opinion[] = {
    {"dept", "部门", WF_SELECT, 1, 64, depts, NULL},
    {"opinion", "书面意见", WF_AREA, 1, 4000, NULL, NULL},
    {"dissent", "不同意见", WF_AREA, 0, 4000, NULL, NULL},
};
static const struct rc_web_fdef f_notice[] = {
    {"to", "告知对象", WF_TEXT, 1, 200, NULL, NULL},
    {"on", "告知日期", WF_DATE, 1, 10, NULL, NULL},
    {"how", "方式", WF_SELECT, 1, 16, hows, NULL},
};
static const struct rc_web_fdef f_appeal[] = {
    {"on", "申诉日期", WF_DATE, 1, 10, NULL, NULL},
    {"by", "申诉人", WF_TEXT, 1, 200, NULL, NULL},
    {"grounds", "申诉理由", WF_AREA, 1, 4000, NULL, NULL},
};
static const struct rc_web_fdef f_review[] = {
    {"on", "复核日期", WF_DATE, 1, 10, NULL, NULL},
    {"result", "复核结果", WF_SELECT, 1, 16, results, NULL},
    {"reasons", "复核理由", WF_AREA, 1, 4000, NULL, NULL},
};
static const struct rc_web_fdef f_filing[] = {
    {"org", "备案单位代码", WF_TEXT, 1, 64, NULL, "须为承办单位的上级单位。"},
    {"on", "备案日期", WF_DATE, 1, 10, NULL, NULL},
};
static const struct rc_web_fdef f_task[] = {
    {"owner", "责任人", WF_TEXT, 1, 200, NULL, NULL},
    {"due", "完成期限", WF_DATE, 1, 10, NULL, NULL},
    {"what", "纠错内容", WF_AREA, 1, 1000, NULL, NULL},
};
static const struct rc_web_fdef f_done[] = {
    {"on", "完成日期", WF_DATE, 1, 10, NULL, NULL},
    {"verifier", "核实人（用户名，非任务创建人）", WF_TEXT, 1, 64, NULL, NULL},
};
static const struct rc_web_fdef f_follow[] = {
    {"on", "回访日期", WF_DATE, 1, 10, NULL, NULL},
    {"notes", "回访情况", WF_AREA, 1, 4000, NULL, NULL},
};

/* The form that marks rectification task `no` done, with its verifier. */
static void done_form(struct rc_web_req *w, struct rc_web_form *f, long long no)
{
	struct rc_arena *a = w->http->arena;
	rc_web_form_init(f, rc_arena_sprintf(a, "task-%lld-done", no),
			 rc_arena_sprintf(a, "任务 %lld 完成并核实", no),
			 case_path(w, w->code, rc_arena_sprintf(a, "/tasks/%lld/done", no)),
			 "确认完成", f_done, (int)N(f_done));
}

enum form_id {
	FM_STEP,
	FM_FACT,
	FM_RECO,
	FM_DECIDE,
	FM_WITHDRAW,
	FM_CONSULT,
	FM_PARTICIPANT,
	FM_OPINION,
	FM_NOTICE,
	FM_APPEAL,
	FM_REVIEW,
	FM_FILING,
	FM_TASK,
	FM_FOLLOW,
	FM__COUNT
};

static const struct {
	const char *id, *title, *suffix, *submit;
	const struct rc_web_fdef *defs;
	int n;
} forms[FM__COUNT] = {
    [FM_STEP] = {"step", "办理下一步骤", "/step", "提交", f_step, N(f_step)},
    [FM_FACT] = {"fact", "记录事实或分析标准认定", "/facts", "记录", f_fact, N(f_fact)},
    [FM_RECO] = {"recommend", "生成系统建议", "/recommend", "生成建议", f_reco, N(f_reco)},
    [FM_DECIDE] = {"decide", "记录认定决定", "/decision", "记录决定", f_decide, N(f_decide)},
    [FM_WITHDRAW] = {"withdraw", "撤回申请", "/withdraw", "撤回", f_withdraw, N(f_withdraw)},
    [FM_CONSULT] = {"consult", "会商研判（一事一议）", "/consultation", "记录会商", f_consult,
		    N(f_consult)},
    [FM_PARTICIPANT] = {"participant", "会商参加人", "/participants", "添加", f_participant,
			N(f_participant)},
    [FM_OPINION] = {"opinion", "部门书面意见", "/opinions", "记录意见", f_opinion, N(f_opinion)},
    [FM_NOTICE] = {"notice", "告知/反馈", "/notices", "记录告知", f_notice, N(f_notice)},
    [FM_APPEAL] = {"appeal", "申诉", "/appeal", "记录申诉", f_appeal, N(f_appeal)},
    [FM_REVIEW] = {"review", "复核", "/review", "记录复核", f_review, N(f_review)},
    [FM_FILING] = {"filing", "备案", "/filings", "记录备案", f_filing, N(f_filing)},
    [FM_TASK] = {"task", "纠错任务", "/tasks", "添加任务", f_task, N(f_task)},
    [FM_FOLLOW] = {"follow-up", "回访", "/follow-ups", "记录回访", f_follow, N(f_follow)},
};

static void form_init(struct rc_web_req *w, struct rc_web_form *f, enum form_id k)
{
	rc_web_form_init(f, forms[k].id, forms[k].title, case_path(w, w->code, forms[k].suffix),
			 forms[k].submit, forms[k].defs, forms[k].n);
}

/* Whether a next step (of the view's "next_steps") is performed by `role`;
 * its roles joined with 、 into buf. */
static int performs(const json_t *step, const char *role, char *buf, size_t len)
{
	json_t *r;
	size_t i;
	int yes = 0, n = 0;
	buf[0] = '\0';
	json_array_foreach(json_object_get(step, "roles"), i, r)
	{
		yes |= strcmp(json_string_value(r), role) == 0;
		if (n >= 0 && (size_t)n < len)
			n += snprintf(buf + n, len - (size_t)n, "%s%s", i ? "、" : "",
				      json_string_value(r));
	}
	return yes;
}

/* How many of the case's next steps the user may take. */
static int my_next(const struct rc_web_req *w, const json_t *c)
{
	json_t *x;
	size_t i;
	int n = 0;
	char roles[512];
	json_array_foreach(json_object_get(c, "next_steps"), i, x) n +=
	    performs(x, w->su.role, roles, sizeof(roles));
	return n;
}

/* The choices a case gives its forms: the next steps, the facts and
 * standards of its policy, its outcomes. */
static enum rc_err case_options(struct rc_web_req *w, const json_t *c, struct rc_web_form *f,
				enum form_id k)
{
	struct rc_arena *a = w->http->arena;
	const struct rc_policy *p = policy_of(w->set, c);
	if (k == FM_STEP) {
		json_t *next = json_object_get(c, "next_steps"), *x;
		size_t i;
		struct rc_web_opt *o = rc_arena_array(a, json_array_size(next) + 1, sizeof(*o));
		if (!o)
			return RC_ERR_NOMEM;
		int n = 0;
		/* only the steps the user's role performs: the procedure
		 * refuses the others (do_step, cases.c) */
		json_array_foreach(next, i, x)
		{
			char roles[512];
			if (!performs(x, w->su.role, roles, sizeof(roles)))
				continue;
			o[n].value = rc_web_js(x, "step", "");
			o[n++].label =
			    rc_arena_sprintf(a,
					     json_is_true(json_object_get(x, "four_eyes"))
						 ? "%s（%s 办理，四眼原则）"
						 : "%s（%s 办理）",
					     rc_web_js(x, "step", ""), roles);
		}
		f->opts[0] = o;
	} else if (k == FM_FACT && p) {
		int n = rc_policy_slot_count(p), nf = rc_policy_count(p, RC_K_FACT);
		struct rc_web_opt *o = rc_arena_array(a, (size_t)n + 1, sizeof(*o));
		if (!o)
			return RC_ERR_NOMEM;
		for (int i = 0; i < n; i++) {
			int std = i >= nf;
			o[i].value = rc_policy_item_name(p, std ? RC_K_STANDARD : RC_K_FACT,
							 std ? i - nf : i);
			const char *t = rc_policy_item_title(p, std ? RC_K_STANDARD : RC_K_FACT,
							     std ? i - nf : i);
			o[i].label = rc_arena_sprintf(a, "%s%s", std ? "[分析标准] " : "",
						      t && *t ? t : o[i].value);
		}
		f->opts[0] = o;
	} else if (k == FM_DECIDE && p) {
		int n = rc_policy_count(p, RC_K_OUTCOME);
		struct rc_web_opt *o = rc_arena_array(a, (size_t)n + 1, sizeof(*o));
		if (!o)
			return RC_ERR_NOMEM;
		for (int i = 0; i < n; i++) {
			o[i].value = rc_policy_item_name(p, RC_K_OUTCOME, i);
			const char *t = rc_policy_item_title(p, RC_K_OUTCOME, i);
			o[i].label = t && *t ? t : o[i].value;
		}
		f->opts[0] = o;
	}
	return RC_OK;
}

/* ---- the case file ------------------------------------------------------------ */

static enum rc_err section(struct rc_buf *b, const char *id, const char *title)
{
	enum rc_err e = H_LIT(b, "<section class=\"part\" id=\"");
	if (!e)
		e = rc_web_text(b, id);
	if (!e)
		e = H_LIT(b, "\">\n<h2>");
	if (!e)
		e = rc_web_text(b, title);
	return e ? e : H_LIT(b, "</h2>\n");
}

/* A table of the array `arr` with the given columns (key, heading). */
static enum rc_err table(struct rc_buf *b, const json_t *arr, const char *const *cols,
			 const char *empty)
{
	enum rc_err e = RC_OK;
	size_t i;
	json_t *x;
	if (!json_array_size(arr)) {
		TRY(H_LIT(b, "<p class=\"empty\">"));
		TRY(rc_web_text(b, empty));
		return H_LIT(b, "</p>\n");
	}
	TRY(H_LIT(b, "<table class=\"list\">\n<thead><tr>"));
	for (int c = 0; cols[c]; c += 2) {
		TRY(H_LIT(b, "<th>"));
		TRY(rc_web_text(b, cols[c + 1]));
		TRY(H_LIT(b, "</th>"));
	}
	TRY(H_LIT(b, "</tr></thead>\n<tbody>\n"));
	json_array_foreach(arr, i, x)
	{
		TRY(H_LIT(b, "<tr>"));
		for (int c = 0; cols[c]; c += 2) {
			json_t *v = json_object_get(x, cols[c]);
			char num[32];
			const char *s = json_string_value(v);
			if (json_is_integer(v)) {
				snprintf(num, sizeof(num), "%lld",
					 (long long)json_integer_value(v));
				s = num;
			} else if (json_is_boolean(v)) {
				s = json_is_true(v) ? "是" : "否";
			} else if (v && !json_is_null(v) && !s) {
				char *dump = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
				e = rc_web_td(b, dump ? dump : "");
				free(dump);
				if (e)
					goto out;
				continue;
			}
			/* the engine's three truth values, as people say them */
			if (s && strcmp(s, "true") == 0)
				s = "是";
			else if (s && strcmp(s, "false") == 0)
				s = "否";
			else if (s && strcmp(s, "unknown") == 0)
				s = "未知";
			TRY(rc_web_td(b, s && *s ? s : "—"));
		}
		TRY(H_LIT(b, "</tr>\n"));
	}
	e = H_LIT(b, "</tbody></table>\n");
out:
	return e;
}

static int state_is(const json_t *c, const char *step)
{
	return strcmp(rc_web_js(c, "state", ""), step) == 0;
}

/* Whether the user's role performs the case's current step. */
static int my_step(const struct rc_web_req *w, const json_t *c)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(c, "step_roles"), i,
			   r) if (strcmp(json_string_value(r), w->su.role) == 0) return 1;
	return 0;
}

static enum rc_err show_form(struct rc_web_req *w, struct rc_buf *b, const json_t *c,
			     enum form_id k, struct rc_web_form *active, enum form_id active_k)
{
	struct rc_web_form f;
	enum rc_err e;
	if (active && active_k == k)
		return RC_OK; /* shown at the top of the page, with its messages */
	struct rc_web_form *use = &f;
	form_init(w, &f, k);
	if ((e = case_options(w, c, use, k)))
		return e;
	return rc_web_form_html(w, b, use);
}

/* The guided intake: a small form for each fact that could still change
 * the result (the assessment's decisive unknowns). */
static enum rc_err intake(struct rc_web_req *w, struct rc_buf *b, const json_t *c)
{
	json_t *unk = json_object_get(json_object_get(c, "assessment"), "decisive_unknowns"), *x;
	const char *action = case_path(w, w->code, "/facts");
	size_t i;
	enum rc_err e = RC_OK;
	TRY(section(b, "intake", "待查明的关键事实"));
	if (!json_array_size(unk)) {
		TRY(H_LIT(b,
			  "<p class=\"empty\">按现有事实，已没有会改变认定结果的未知事实。</p>\n"));
	} else {
		TRY(H_LIT(b, "<p class=\"hint\">以下事实尚未查明，且其取值可能改变认定结果；"
			     "其他事实不影响结果，无需填写。</p>\n<ul class=\"intake\">\n"));
		json_array_foreach(unk, i, x)
		{
			TRY(H_LIT(b, "<li><form method=\"post\" action=\""));
			TRY(rc_web_text(b, action));
			TRY(H_LIT(b, "\"><input type=\"hidden\" name=\"csrf\" value=\""));
			TRY(rc_web_text(b, w->csrf));
			TRY(H_LIT(b, "\"><input type=\"hidden\" name=\"name\" value=\""));
			TRY(rc_web_text(b, rc_web_js(x, "fact", "")));
			TRY(H_LIT(b, "\"><label>"));
			TRY(rc_web_textf(
			    b, "%s%s(%s)", rc_web_js(x, "label", ""),
			    strcmp(rc_web_js(x, "kind", ""), "finding") == 0 ? " [分析标准]" : "",
			    strncmp(rc_web_js(x, "type", ""), "bool", 4) == 0
				? "是/否"
				: rc_web_js(x, "type", "")));
			TRY(H_LIT(b, "</label> <input name=\"value\" required maxlength=\"500\">"));
			if (strcmp(rc_web_js(x, "kind", ""), "finding") == 0)
				TRY(H_LIT(b, " <input name=\"reason\" placeholder=\"理由（必填）\" "
					     "required maxlength=\"4000\">"));
			TRY(H_LIT(b, " <button type=\"submit\">记录</button></form></li>\n"));
		}
		TRY(H_LIT(b, "</ul>\n"));
	}
	e = H_LIT(b, "</section>\n");
out:
	return e;
}

/* The assessment: the prose, and what blocked what. */
static enum rc_err assessment(struct rc_buf *b, const json_t *c)
{
	enum rc_err e = RC_OK;
	const json_t *a = json_object_get(c, "assessment"),
		     *reco = json_object_get(c, "recommendation");
	TRY(section(b, "assessment", "系统评估与说明"));
	if (json_is_object(reco)) {
		TRY(H_LIT(b, "<p>"));
		TRY(rc_web_textf(
		    b, "最近一次系统建议：%s(%s，政策版本 %s,%s)", rc_web_js(reco, "band", ""),
		    strcmp(rc_web_js(reco, "state", ""), "determined") == 0 ? "已确定" : "未确定",
		    rc_web_js(reco, "version", ""), rc_web_js(reco, "at", "")));
		TRY(H_LIT(b, "</p>\n"));
	}
	if (!a || json_is_null(a)) {
		TRY(H_LIT(b, "<p class=\"error\">"));
		TRY(rc_web_text(
		    b, rc_web_js(c, "assessment_error", "没有可用的政策版本评估此案件。")));
		TRY(H_LIT(b, "</p>\n"));
	} else {
		static const char *const k_sit[] = {"title", "容错情形", "value", "是否符合", NULL};
		static const char *const k_exc[] = {"title", "排除情形", "value", "是否存在", NULL};
		TRY(H_LIT(b, "<p class=\"hint\">按当前记录的事实即时评估（行为日期按立案日期计）。"
			     "</p>\n<pre class=\"explain\">"));
		TRY(rc_web_text(b, rc_web_js(c, "explanation", "")));
		TRY(H_LIT(b, "</pre>\n<div class=\"cols\"><div>"));
		TRY(table(b, json_object_get(a, "situations"), k_sit, "无容错情形。"));
		TRY(H_LIT(b, "</div><div>"));
		TRY(table(b, json_object_get(a, "exclusions"), k_exc, "无排除情形。"));
		TRY(H_LIT(b, "</div></div>\n"));
	}
	e = H_LIT(b, "</section>\n");
out:
	return e;
}

static enum rc_err case_page(struct rc_web_req *w, struct rc_web_form *active, enum form_id ak,
			     unsigned status)
{
	json_t *c = NULL;
	struct rc_buf b;
	enum rc_err e;
	rc_buf_init(&b, RC_HTTP_RESP_MAX);
	e = rc_proc_view_case(w->http->ctx->store, w->set, w->code, w->today,
			      w->app->views[w->http->ctx->slot], &c);
	if (e == RC_ERR_NOT_FOUND) {
		rc_buf_free(&b);
		return rc_web_not_found(w);
	}
	TRY(e);
	rc_proc_view_case_for(c, w->su.role);
	const json_t *person = json_object_get(c, "person"), *unit = json_object_get(c, "unit");
	const json_t *handling = json_object_get(c, "handling");
	const json_t *decision = json_object_get(c, "decision");
	int withdrawn = json_is_true(json_object_get(c, "withdrawn")),
	    decided = json_is_object(decision);
	int mine = my_step(w, c);

	TRY(H_LIT(&b, "<article class=\"case\">\n<header class=\"case-head\"><h1>"));
	TRY(rc_web_textf(&b, "案件 %s", w->code));
	TRY(H_LIT(&b, "</h1>\n<p class=\"state\">当前步骤：<strong id=\"case-state\">"));
	TRY(rc_web_text(&b, rc_web_js(c, "state", "")));
	TRY(H_LIT(&b, "</strong>"));
	if (json_is_string(json_object_get(c, "due"))) {
		int late = json_is_true(json_object_get(c, "overdue"));
		TRY(late ? H_LIT(&b, " <span class=\"late\">") : H_LIT(&b, " <span>"));
		TRY(late ? rc_web_textf(&b, "办理期限 %s（已逾期）", rc_web_js(c, "due", ""))
			 : rc_web_textf(&b, "办理期限 %s", rc_web_js(c, "due", "")));
		TRY(H_LIT(&b, "</span>"));
	}
	TRY(H_LIT(&b, "</p>\n<dl class=\"facts\">\n<dt>当事人</dt><dd>"));
	if (json_is_object(person)) {
		TRY(H_LIT(&b, "<a href=\"/people/"));
		TRY(rc_web_textf(&b, "%lld",
				 (long long)json_integer_value(json_object_get(person, "id"))));
		TRY(H_LIT(&b, "\">"));
		TRY(rc_web_textf(&b, "%s(%s)", rc_web_js(person, "name", ""),
				 rc_web_js(person, "post", "—")));
		TRY(H_LIT(&b, "</a>"));
	} else {
		TRY(H_LIT(&b, "—"));
	}
	TRY(H_LIT(&b, "</dd>\n<dt>涉及单位</dt><dd>"));
	TRY(rc_web_text(&b, json_is_object(unit) ? rc_web_js(unit, "name", "") : "—"));
	TRY(H_LIT(&b, "</dd>\n<dt>承办单位</dt><dd>"));
	TRY(rc_web_textf(&b, "%s(%s)", rc_web_js(handling, "name", ""),
			 rc_web_js(handling, "code", "")));
	TRY(H_LIT(&b, "</dd>\n<dt>启动方式</dt><dd>"));
	TRY(rc_web_text(&b, start_path_zh(rc_web_js(c, "start_path", ""))));
	TRY(H_LIT(&b, "</dd>\n<dt>案件来源</dt><dd>"));
	TRY(rc_web_text(&b, rc_web_js(c, "source", "—")));
	TRY(H_LIT(&b, "</dd>\n<dt>政策版本</dt><dd>"));
	TRY(rc_web_textf(&b, "%s %s", rc_web_js(json_object_get(c, "policy"), "series", ""),
			 rc_web_js(json_object_get(c, "policy"), "version", "")));
	TRY(H_LIT(&b, "</dd>\n<dt>立案时间</dt><dd>"));
	TRY(rc_web_text(&b, rc_web_js(c, "opened", "")));
	TRY(H_LIT(&b, "</dd>\n</dl>\n"));
	if (!withdrawn && !mine) {
		json_t *roles = json_object_get(c, "step_roles"), *r;
		size_t i;
		struct rc_buf who;
		rc_buf_init(&who, 4096);
		json_array_foreach(roles, i, r)
		    rc_buf_printf(&who, "%s%s", i ? "、" : "", json_string_value(r));
		TRY(H_LIT(&b, "<p class=\"notice\">"));
		e = rc_web_textf(&b, "当前步骤由 %s 办理；您可以查阅案卷。", rc_buf_str(&who));
		rc_buf_free(&who);
		TRY(e);
		TRY(H_LIT(&b, "</p>\n"));
	}
	TRY(H_LIT(&b, "</header>\n"));
	/* a form that came back with messages: first, whatever the case's
	 * step now shows, so that its messages are never out of sight */
	if (active) {
		TRY(section(&b, "returned", "提交未完成"));
		if (ak != FM__COUNT)
			TRY(case_options(w, c, active, ak));
		TRY(rc_web_form_html(w, &b, active));
		TRY(H_LIT(&b, "</section>\n"));
	}

	/* the procedure so far */
	static const char *const k_steps[] = {"step",   "步骤", "entered_on", "进入日期",
					      "due_on", "期限", "by",         "办理人",
					      "note",   "说明", NULL};
	TRY(section(&b, "steps", "办理流程"));
	TRY(table(&b, json_object_get(c, "steps"), k_steps, "尚无记录。"));
	if (!withdrawn && my_next(w, c))
		TRY(show_form(w, &b, c, FM_STEP, active, ak));
	TRY(H_LIT(&b, "</section>\n"));

	/* facts with provenance, and the guided intake */
	static const char *const k_facts[] = {"name",     "事实",   "value",  "值",       "by",
					      "记录人",   "at",     "时间",   "evidence", "证据",
					      "disputed", "有异议", "reason", "理由",     NULL};
	TRY(section(&b, "facts", "事实与分析标准认定"));
	TRY(table(&b, json_object_get(c, "facts"), k_facts, "尚未记录事实。"));
	if (!withdrawn && !decided && mine)
		TRY(show_form(w, &b, c, FM_FACT, active, ak));
	TRY(H_LIT(&b, "</section>\n"));
	if (!withdrawn && !decided && mine)
		TRY(intake(w, &b, c));
	TRY(assessment(&b, c));
	if (!withdrawn && !decided && mine)
		TRY(show_form(w, &b, c, FM_RECO, active, ak));

	/* consultation */
	const json_t *cons = json_object_get(c, "consultation");
	if (json_is_object(cons) || state_is(c, RC_STEP_CONSULT)) {
		static const char *const k_part[] = {"dept",   "部门",     "name",
						     "参加人", "recused",  "回避",
						     "reason", "回避理由", NULL};
		static const char *const k_op[] = {"dept",     "部门",    "opinion",
						   "书面意见", "dissent", "不同意见",
						   "by",       "记录人",  NULL};
		TRY(section(&b, "consultation", "会商研判"));
		if (json_is_object(cons)) {
			TRY(H_LIT(&b, "<p>"));
			TRY(rc_web_textf(&b, "会商日期 %s，会议纪要：%s",
					 rc_web_js(cons, "held_on", ""),
					 rc_web_js(cons, "minutes", "")));
			TRY(H_LIT(&b, "</p>\n"));
			TRY(table(&b, json_object_get(cons, "participants"), k_part,
				  "尚无参加人。"));
			TRY(table(&b, json_object_get(cons, "opinions"), k_op, "尚无书面意见。"));
		}
		if (mine && state_is(c, RC_STEP_CONSULT)) {
			if (!json_is_object(cons))
				TRY(show_form(w, &b, c, FM_CONSULT, active, ak));
			else {
				TRY(show_form(w, &b, c, FM_PARTICIPANT, active, ak));
				TRY(show_form(w, &b, c, FM_OPINION, active, ak));
			}
		}
		TRY(H_LIT(&b, "</section>\n"));
	}

	/* the decision */
	TRY(section(&b, "decision", "认定决定"));
	if (decided) {
		static const char *const k_dec[] = {
		    "outcome", "认定结果", "meeting_on", "会议日期", "legal_basis",
		    "依据",    "reasons",  "理由",       "differs",  "与建议不同",
		    "by",      "记录人",   NULL};
		json_t *one = json_array();
		json_array_append(one, (json_t *)decision);
		e = table(&b, one, k_dec, "");
		json_decref(one);
		TRY(e);
	} else {
		TRY(H_LIT(&b, "<p class=\"empty\">尚未作出认定决定。</p>\n"));
		if (!withdrawn && mine && json_is_true(json_object_get(c, "four_eyes")))
			TRY(show_form(w, &b, c, FM_DECIDE, active, ak));
	}
	TRY(H_LIT(&b, "</section>\n"));

	/* after the decision */
	if (decided) {
		static const char *const k_not[] = {"to",   "告知对象", "on",     "日期", "how",
						    "方式", "by",       "记录人", NULL};
		static const char *const k_fil[] = {"org_name", "备案单位", "on", "日期",
						    "by",       "记录人",   NULL};
		static const char *const k_task[] = {
		    "no",   "序号",    "owner", "责任人",      "due_on", "期限", "what",
		    "内容", "done_on", "完成",  "verified_by", "核实人", NULL};
		static const char *const k_fu[] = {"on", "回访日期", "notes", "情况",
						   "by", "记录人",   NULL};
		static const char *const k_eff[] = {"table",    "类别",     "sanction", "处理处分",
						    "start_on", "影响期起", "end_on",   "影响期止",
						    "article",  "依据",     NULL};
		TRY(section(&b, "notices", "告知与反馈"));
		TRY(table(&b, json_object_get(c, "notices"), k_not, "尚未告知。"));
		if (mine && state_is(c, RC_STEP_NOTIFY))
			TRY(show_form(w, &b, c, FM_NOTICE, active, ak));
		TRY(H_LIT(&b, "</section>\n"));
		const json_t *ap = json_object_get(c, "appeal");
		TRY(section(&b, "appeal", "申诉复核"));
		if (json_is_object(ap)) {
			TRY(H_LIT(&b, "<p>"));
			TRY(rc_web_textf(&b, "%s 由 %s 申诉（期限 %s）：%s",
					 rc_web_js(ap, "filed_on", ""), rc_web_js(ap, "by", ""),
					 rc_web_js(ap, "deadline_on", ""),
					 rc_web_js(ap, "grounds", "")));
			TRY(H_LIT(&b, "</p>\n"));
			const json_t *rv = json_object_get(ap, "review");
			if (json_is_object(rv)) {
				TRY(H_LIT(&b, "<p>"));
				TRY(rc_web_textf(&b, "复核（%s）：%s。%s", rc_web_js(rv, "on", ""),
						 rc_web_js(rv, "result", ""),
						 rc_web_js(rv, "reasons", "")));
				TRY(H_LIT(&b, "</p>\n"));
			}
		} else {
			TRY(H_LIT(&b, "<p class=\"empty\">无申诉。申诉期间不停止执行。</p>\n"));
		}
		if (state_is(c, RC_STEP_APPEAL) || state_is(c, RC_STEP_NOTIFY)) {
			if (!json_is_object(ap))
				TRY(show_form(w, &b, c, FM_APPEAL, active, ak));
			else if (!json_is_object(json_object_get(ap, "review")))
				TRY(show_form(w, &b, c, FM_REVIEW, active, ak));
		}
		TRY(H_LIT(&b, "</section>\n"));
		TRY(section(&b, "filings", "备案"));
		TRY(table(&b, json_object_get(c, "filings"), k_fil, "尚未备案。"));
		if (mine && state_is(c, RC_STEP_FILE))
			TRY(show_form(w, &b, c, FM_FILING, active, ak));
		TRY(H_LIT(&b, "</section>\n"));
		TRY(section(&b, "rectification", "纠错"));
		TRY(table(&b, json_object_get(c, "tasks"), k_task, "尚无纠错任务。"));
		if (mine && state_is(c, RC_STEP_RECTIFY)) {
			json_t *t;
			size_t i;
			json_array_foreach(json_object_get(c, "tasks"), i, t)
			{
				if (!json_is_null(json_object_get(t, "done_on")))
					continue;
				struct rc_web_form df;
				done_form(w, &df, json_integer_value(json_object_get(t, "no")));
				if (!(active && ak == FM__COUNT && strcmp(active->id, df.id) == 0))
					TRY(rc_web_form_html(w, &b, &df));
			}
			TRY(show_form(w, &b, c, FM_TASK, active, ak));
		}
		TRY(H_LIT(&b, "</section>\n"));
		TRY(section(&b, "follow-ups", "回访"));
		TRY(table(&b, json_object_get(c, "follow_ups"), k_fu, "尚无回访。"));
		if (mine && state_is(c, RC_STEP_FOLLOW_UP))
			TRY(show_form(w, &b, c, FM_FOLLOW, active, ak));
		TRY(H_LIT(&b, "</section>\n"));
		TRY(section(&b, "effects", "结果运用（影响期）"));
		TRY(table(&b, json_object_get(c, "effects"), k_eff,
			  "本案没有处理处分，不产生影响期。"));
		TRY(H_LIT(&b, "</section>\n"));
	}
	if (!withdrawn && !decided && strcmp(rc_web_js(c, "start_path", ""), "application") == 0)
		TRY(show_form(w, &b, c, FM_WITHDRAW, active, ak));

	/* the audit history of the case */
	static const char *const k_audit[] = {"seq",    "序号", "at",   "时间",   "user",
					      "用户",   "role", "角色", "action", "操作",
					      "object", "对象", NULL};
	TRY(section(&b, "audit", "审计记录"));
	TRY(table(&b, json_object_get(c, "audit"), k_audit, "无审计记录。"));
	TRY(H_LIT(&b, "</section>\n</article>\n"));
	e = rc_web_page(w, status, w->code, rc_buf_str(&b));
out:
	json_decref(c);
	rc_buf_free(&b);
	return e;
}

static enum rc_err get_case(struct rc_web_req *w)
{
	return case_page(w, NULL, FM__COUNT, 200);
}

/* ---- posting a form ----------------------------------------------------------- */

/* What the procedure's answer means for the page: a refusal is shown at
 * the form; a failure of the store is the server's. */

static int32_t date_of(const char *v)
{
	int32_t d = INT32_MIN;
	if (v)
		rc_date_parse(v, strlen(v), &d);
	return d;
}

/* The case's policy version, for the operations that need it. */
static const struct rc_policy *case_policy(struct rc_web_req *w)
{
	json_t *c = NULL;
	const struct rc_policy *p = NULL;
	struct rc_stmt *st;
	int row;
	if (!rc_store_stmt(w->http->ctx->store, Q_CASE_BY_CODE, &st) &&
	    !rc_stmt_bind_str(st, 1, w->code) && !rc_stmt_step(st, &row) && row) {
		c = json_pack("{s:{s:s, s:s}}", "policy", "series", rc_stmt_text(st, 8, NULL),
			      "version", rc_stmt_text(st, 9, NULL));
		for (int more = 1; more && !rc_stmt_step(st, &more);)
			;
	}
	if (c)
		p = policy_of(w->set, c);
	json_decref(c);
	return p;
}

static enum rc_err submit(struct rc_web_req *w, enum form_id k, struct rc_web_form *f,
			  const char *anchor)
{
	struct rc_unit u;
	struct rc_diags *d = rc_arena_alloc(w->http->arena, sizeof(*d));
	const struct rc_policy *p;
	const struct rc_cal *cal = w->cal;
	const char *me = w->su.login;
	enum rc_err e;
	if (!d)
		return RC_ERR_NOMEM;
	if (rc_web_form_read(w, f))
		return case_page(w, f, k, 400);
	if (!(p = case_policy(w))) {
		f->error = "此案件的政策版本未加载，无法办理。请联系系统管理员。";
		return case_page(w, f, k, 409);
	}
#define V(name) rc_web_form_val(f, name)
	rc_web_unit(w, &u);
	rc_diags_init(d, "case");
	switch (k) {
	case FM_STEP:
		e = rc_proc_case_step(&u, p, cal, me, w->code, V("next"), V("note"), w->today, d);
		break;
	case FM_FACT:
		e = rc_proc_case_fact(&u, p, me, w->code, V("name"), V("value"), V("evidence"),
				      V("reason"), V("disputed") != NULL, d);
		break;
	case FM_RECO:
		e = rc_proc_case_recommend(&u, p, w->set, me, w->code, V("conduct"), V("decision"),
					   NULL, d);
		break;
	case FM_DECIDE: {
		struct rc_decision dec = {
		    .outcome = V("outcome"),
		    .meeting_on = date_of(V("meeting")),
		    .legal_basis = V("basis"),
		    .reasons = V("reasons"),
		    .sanction_table = V("sanction_table"),
		    .sanction = V("sanction"),
		};
		e = rc_proc_case_decide(&u, p, me, w->code, &dec, d);
		break;
	}
	case FM_WITHDRAW:
		e = rc_proc_case_withdraw(&u, p, me, w->code, V("reason"), w->today, d);
		break;
	case FM_CONSULT:
		e = rc_proc_consult_open(&u, p, me, w->code, date_of(V("held_on")), V("minutes"),
					 d);
		break;
	case FM_PARTICIPANT:
		e = rc_proc_consult_participant(&u, p, me, w->code, V("dept"), V("name"),
						V("recused") != NULL, V("reason"), d);
		break;
	case FM_OPINION:
		e = rc_proc_consult_opinion(&u, p, me, w->code, V("dept"), V("opinion"),
					    V("dissent"), d);
		break;
	case FM_NOTICE:
		e = rc_proc_case_notify(&u, p, me, w->code, V("to"), date_of(V("on")), V("how"), d);
		break;
	case FM_APPEAL:
		e = rc_proc_case_appeal(&u, p, cal, me, w->code, date_of(V("on")), V("by"),
					V("grounds"), NULL, d);
		break;
	case FM_REVIEW:
		e = rc_proc_case_review(&u, p, cal, me, w->code, date_of(V("on")), V("result"),
					V("reasons"), d);
		break;
	case FM_FILING:
		e = rc_proc_case_file(&u, p, me, w->code, V("org"), date_of(V("on")), d);
		break;
	case FM_TASK: {
		int no;
		e = rc_proc_task_add(&u, p, me, w->code, V("owner"), date_of(V("due")), V("what"),
				     &no, d);
		break;
	}
	case FM_FOLLOW:
		e = rc_proc_case_follow_up(&u, p, me, w->code, date_of(V("on")), V("notes"), d);
		break;
	default: return RC_ERR_INTERNAL;
	}
#undef V
	if (e == RC_OK) {
		const char *to = case_path(w, w->code, anchor);
		return to ? rc_web_redirect(w->resp, to) : RC_ERR_NOMEM;
	}
	if (!rc_web_refused(e))
		return e;
	f->error = rc_web_diags_text(w, d);
	return case_page(w, f, k, 409);
}

#define POST_FORM(fn, k, anchor)                                                                   \
	static enum rc_err fn(struct rc_web_req *w)                                                \
	{                                                                                          \
		struct rc_web_form f;                                                              \
		form_init(w, &f, k);                                                               \
		return submit(w, k, &f, anchor);                                                   \
	}
POST_FORM(post_step, FM_STEP, "#steps")
POST_FORM(post_fact, FM_FACT, "#facts")
POST_FORM(post_reco, FM_RECO, "#assessment")
POST_FORM(post_decide, FM_DECIDE, "#decision")
POST_FORM(post_withdraw, FM_WITHDRAW, "")
POST_FORM(post_consult, FM_CONSULT, "#consultation")
POST_FORM(post_participant, FM_PARTICIPANT, "#consultation")
POST_FORM(post_opinion, FM_OPINION, "#consultation")
POST_FORM(post_notice, FM_NOTICE, "#notices")
POST_FORM(post_appeal, FM_APPEAL, "#appeal")
POST_FORM(post_review, FM_REVIEW, "#appeal")
POST_FORM(post_filing, FM_FILING, "#filings")
POST_FORM(post_task, FM_TASK, "#rectification")
POST_FORM(post_follow, FM_FOLLOW, "#follow-ups")

/* A task's completion: its number is in the path. */
static enum rc_err post_task_done(struct rc_web_req *w)
{
	struct rc_web_form f;
	struct rc_unit u;
	struct rc_diags *d = rc_arena_alloc(w->http->arena, sizeof(*d));
	char nos[16], *end;
	const struct rc_policy *p;
	enum rc_err e;
	if (!d)
		return RC_ERR_NOMEM;
	if (rc_http_req_param(w->http, "no", nos, sizeof(nos)) || nos[0] < '1' || nos[0] > '9')
		return rc_web_not_found(w);
	long no = strtol(nos, &end, 10);
	if (*end || no > 1000000)
		return rc_web_not_found(w);
	done_form(w, &f, no);
	if (rc_web_form_read(w, &f))
		return case_page(w, &f, FM__COUNT, 400);
	if (!(p = case_policy(w))) {
		f.error = "此案件的政策版本未加载，无法办理。";
		return case_page(w, &f, FM__COUNT, 409);
	}
	rc_web_unit(w, &u);
	rc_diags_init(d, "task done");
	e = rc_proc_task_done(&u, p, w->su.login, w->code, (int)no,
			      date_of(rc_web_form_val(&f, "on")), rc_web_form_val(&f, "verifier"),
			      d);
	if (e == RC_OK) {
		const char *to = case_path(w, w->code, "#rectification");
		return to ? rc_web_redirect(w->resp, to) : RC_ERR_NOMEM;
	}
	if (!rc_web_refused(e))
		return e;
	f.error = rc_web_diags_text(w, d);
	return case_page(w, &f, FM__COUNT, 409);
}

static const struct rc_web_page p_tasks = {get_tasks}, p_cases = {get_cases},
				p_new = {get_new_case}, p_open = {post_case}, p_case = {get_case},
				p_step = {post_step}, p_fact = {post_fact}, p_reco = {post_reco},
				p_decide = {post_decide}, p_withdraw = {post_withdraw},
				p_consult = {post_consult}, p_participant = {post_participant},
				p_opinion = {post_opinion}, p_notice = {post_notice},
				p_appeal = {post_appeal}, p_review = {post_review},
				p_filing = {post_filing}, p_task = {post_task},
				p_done = {post_task_done}, p_follow = {post_follow};

const struct rc_http_route rc_web_case_routes[] = {
    RC_WEB_ROUTE("GET", "/tasks", p_tasks),
    RC_WEB_ROUTE("GET", "/cases", p_cases),
    RC_WEB_ROUTE("GET", "/cases/new", p_new),
    RC_WEB_ROUTE("POST", "/cases", p_open),
    RC_WEB_ROUTE("GET", "/cases/{code}", p_case),
    RC_WEB_ROUTE("POST", "/cases/{code}/step", p_step),
    RC_WEB_ROUTE("POST", "/cases/{code}/facts", p_fact),
    RC_WEB_ROUTE("POST", "/cases/{code}/recommend", p_reco),
    RC_WEB_ROUTE("POST", "/cases/{code}/decision", p_decide),
    RC_WEB_ROUTE("POST", "/cases/{code}/withdraw", p_withdraw),
    RC_WEB_ROUTE("POST", "/cases/{code}/consultation", p_consult),
    RC_WEB_ROUTE("POST", "/cases/{code}/participants", p_participant),
    RC_WEB_ROUTE("POST", "/cases/{code}/opinions", p_opinion),
    RC_WEB_ROUTE("POST", "/cases/{code}/notices", p_notice),
    RC_WEB_ROUTE("POST", "/cases/{code}/appeal", p_appeal),
    RC_WEB_ROUTE("POST", "/cases/{code}/review", p_review),
    RC_WEB_ROUTE("POST", "/cases/{code}/filings", p_filing),
    RC_WEB_ROUTE("POST", "/cases/{code}/tasks", p_task),
    RC_WEB_ROUTE("POST", "/cases/{code}/tasks/{no}/done", p_done),
    RC_WEB_ROUTE("POST", "/cases/{code}/follow-ups", p_follow),
    {NULL, NULL, NULL, NULL},
};
