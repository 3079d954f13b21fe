/*
 * people.c -- the people registry: the officials of the user's
 * organisation and below, each with their effects (影响期) and cases.
 */
#include <stdio.h>
#include <string.h>

#include "web/web_int.h"

#define TRY(x)                                                                                     \
	do {                                                                                       \
		if ((e = (x)))                                                                     \
			goto out;                                                                  \
	} while (0)

static enum rc_err get_people(struct rc_web_req *w)
{
	const char *q = rc_http_req_query(w->http, "q");
	json_t *doc = NULL;
	struct rc_buf b;
	struct rc_diags *d = rc_arena_alloc(w->http->arena, sizeof(*d));
	enum rc_err e;
	unsigned status = 200;
	if (!d)
		return RC_ERR_NOMEM;
	rc_diags_init(d, "people");
	rc_buf_init(&b, RC_HTTP_RESP_MAX);
	e = rc_proc_view_people(w->http->ctx->store, w->su.org_id, q, &doc, d);
	if (e == RC_ERR_RANGE) {
		status = 400;
		e = RC_OK;
	}
	TRY(e);
	TRY(H_LIT(&b, "<section class=\"wide\">\n<h1>人员</h1>\n"
		      "<form class=\"filters\" method=\"get\" action=\"/people\">"
		      "<div class=\"filter\"><label for=\"f-q\">姓名</label>"
		      "<input id=\"f-q\" name=\"q\" type=\"search\" value=\""));
	TRY(rc_web_text(&b, q ? q : ""));
	TRY(H_LIT(&b, "\">"));
	if (d->errors) {
		TRY(H_LIT(&b, "<p class=\"field-error\" role=\"alert\">"));
		TRY(rc_web_text(&b, d->items[0].msg));
		TRY(H_LIT(&b, "</p>"));
	}
	TRY(H_LIT(&b, "</div><button type=\"submit\">查找</button></form>\n"));
	json_t *arr = json_object_get(doc, "people"), *p;
	size_t i;
	if (!json_array_size(arr)) {
		TRY(H_LIT(&b, "<p class=\"empty\">没有找到人员。</p>\n"));
	} else {
		TRY(H_LIT(
		    &b, "<table class=\"list\" id=\"people\"><thead><tr><th>姓名</th><th>单位</th>"
			"<th>职务</th><th>职级</th></tr></thead><tbody>\n"));
		json_array_foreach(arr, i, p)
		{
			TRY(H_LIT(&b, "<tr><td><a href=\"/people/"));
			TRY(rc_web_textf(&b, "%lld",
					 (long long)json_integer_value(json_object_get(p, "id"))));
			TRY(H_LIT(&b, "\">"));
			TRY(rc_web_text(&b, rc_web_js(p, "name", "—")));
			TRY(H_LIT(&b, "</a></td>"));
			TRY(rc_web_td(&b, rc_web_js(json_object_get(p, "org"), "name", "—")));
			TRY(rc_web_td(&b, rc_web_js(p, "post", "—")));
			TRY(rc_web_td(&b, rc_web_js(p, "rank", "—")));
			TRY(H_LIT(&b, "</tr>\n"));
		}
		TRY(H_LIT(&b, "</tbody></table>\n"));
	}
	TRY(H_LIT(&b, "</section>\n"));
	e = rc_web_page(w, status, "人员", rc_buf_str(&b));
out:
	json_decref(doc);
	rc_buf_free(&b);
	return e;
}

static enum rc_err get_person(struct rc_web_req *w)
{
	json_t *p = NULL, *x;
	struct rc_buf b;
	size_t i;
	enum rc_err e = rc_proc_view_person(w->http->ctx->store, w->id, &RC_VIEWER_OF(&w->su), &p);
	if (e == RC_ERR_NOT_FOUND)
		return rc_web_not_found(w);
	if (e)
		return e;
	rc_buf_init(&b, RC_HTTP_RESP_MAX);
	TRY(H_LIT(&b, "<section class=\"wide\">\n<h1>"));
	TRY(rc_web_text(&b, rc_web_js(p, "name", "—")));
	TRY(H_LIT(&b, "</h1>\n<dl class=\"facts\"><dt>单位</dt><dd>"));
	TRY(rc_web_text(&b, rc_web_js(json_object_get(p, "org"), "name", "—")));
	TRY(H_LIT(&b, "</dd><dt>职务</dt><dd>"));
	TRY(rc_web_text(&b, rc_web_js(p, "post", "—")));
	TRY(H_LIT(&b, "</dd><dt>职级</dt><dd>"));
	TRY(rc_web_text(&b, rc_web_js(p, "rank", "—")));
	TRY(H_LIT(&b, "</dd></dl>\n<h2>影响期</h2>\n"));
	json_t *eff = json_object_get(p, "effects");
	if (!json_array_size(eff)) {
		TRY(H_LIT(&b, "<p class=\"empty\">没有处理处分，不在影响期内。</p>\n"));
	} else {
		TRY(H_LIT(
		    &b, "<table class=\"list\" id=\"effects\"><thead><tr><th>案件</th><th>类别</th>"
			"<th>处理处分</th><th>影响期起</th><th>影响期止</th><th>其后限制至</th>"
			"<th>依据</th></tr></thead><tbody>\n"));
		json_array_foreach(eff, i, x)
		{
			TRY(H_LIT(&b, "<tr>"));
			TRY(rc_web_td(&b, rc_web_js(x, "case", "—")));
			TRY(rc_web_td(&b, rc_web_js(x, "table", "—")));
			TRY(rc_web_td(&b, rc_web_js(x, "sanction", "—")));
			TRY(rc_web_td(&b, rc_web_js(x, "start_on", "—")));
			TRY(rc_web_td(&b, rc_web_js(x, "end_on", "—")));
			TRY(rc_web_td(&b, rc_web_js(x, "extra_end_on", "—")));
			TRY(rc_web_td(&b, rc_web_js(x, "article", "—")));
			TRY(H_LIT(&b, "</tr>\n"));
		}
		TRY(H_LIT(&b, "</tbody></table>\n"));
	}
	TRY(H_LIT(&b, "<h2>案件</h2>\n"));
	json_t *cases = json_object_get(p, "cases");
	if (!json_array_size(cases)) {
		TRY(H_LIT(&b, "<p class=\"empty\">没有案件。</p>\n"));
	} else {
		TRY(H_LIT(&b, "<table class=\"list\"><thead><tr><th>案件编号</th><th>当前步骤</th>"
			      "<th>认定结果</th></tr></thead><tbody>\n"));
		json_array_foreach(cases, i, x)
		{
			TRY(H_LIT(&b, "<tr>"));
			TRY(rc_web_td(&b, rc_web_js(x, "code", "—")));
			TRY(rc_web_td(&b, rc_web_js(x, "state", "—")));
			TRY(rc_web_td(&b, rc_web_js(x, "outcome", "—")));
			TRY(H_LIT(&b, "</tr>\n"));
		}
		TRY(H_LIT(&b, "</tbody></table>\n"));
	}
	TRY(H_LIT(&b, "</section>\n"));
	e = rc_web_page(w, 200, rc_web_js(p, "name", "—"), rc_buf_str(&b));
out:
	json_decref(p);
	rc_buf_free(&b);
	return e;
}

static const struct rc_web_page p_people = {get_people}, p_person = {get_person};

const struct rc_http_route rc_web_people_routes[] = {
    RC_WEB_ROUTE("GET", "/people", p_people),
    RC_WEB_ROUTE("GET", "/people/{id}", p_person),
    {NULL, NULL, NULL, NULL},
};
