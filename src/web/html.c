/*
 * html.c -- building pages: the layout around every page, the navigation,
 * the refusals (403, 404), form fields and escaped text.
 *
 * The layout is a template; the bodies of the case pages are built in C
 * with two primitives only -- H_LIT for markup, which must be a string
 * literal, and rc_web_text for everything else, which is always escaped --
 * so that escaping is the default in both ways of writing a page.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "web/web_int.h"

static const char layout_html[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"{{lang}}\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>{{title}} - 容错纠错案件管理系统</title>\n"
    "<link rel=\"stylesheet\" href=\"/static/app.css\">\n"
    "</head>\n"
    "<body>\n"
    "<header class=\"top\"><span class=\"brand\">容错纠错案件管理系统</span>{{&nav}}"
    "<a class=\"lang\" href=\"/lang?to={{to}}&amp;next={{next}}\">{{other}}</a></header>\n"
    "<main>\n{{&main}}</main>\n"
    "</body>\n"
    "</html>\n";

/* The navigation: the links the user's role may follow (the matrix says
 * which), the login and the 退出 button with its token. */
static enum rc_err nav(struct rc_web_req *w, struct rc_buf *b)
{
	static const struct {
		const char *route, *label;
	} links[] = {
	    {"/tasks", "我的任务"},          {"/cases", "案件"},
	    {"/cases/new", "新建案件"},      {"/people", "人员"},
	    {"/clarifications", "澄清正名"}, {"/admin/users", "用户管理"},
	    {"/admin/orgs", "组织与干部"},   {"/admin/policies", "政策版本"},
	    {"/admin/calendar", "工作日历"}, {"/admin/audit", "审计记录"},
	};
	enum rc_err e = H_LIT(b, "<nav class=\"menu\">");
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]) && !e; i++) {
		const struct rc_access_rule *r =
		    rc_access_find(&w->app->access, "GET", links[i].route);
		if (!r || !rc_access_allows(r, w->su.role))
			continue;
		if (!(e = H_LIT(b, "<a href=\"")) && !(e = rc_web_text(b, links[i].route)) &&
		    !(e = H_LIT(b, "\">")))
			e = rc_web_text(b, links[i].label);
		if (!e)
			e = H_LIT(b, "</a>");
	}
	if (!e)
		e = H_LIT(b, "</nav><form class=\"logout\" method=\"post\" action=\"/logout\">"
			     "<input type=\"hidden\" name=\"csrf\" value=\"");
	if (!e)
		e = rc_web_text(b, w->csrf);
	if (!e)
		e = H_LIT(b, "\"><span class=\"who\">");
	if (!e)
		e = rc_web_textf(b, "%s(%s)", w->su.login, w->su.role);
	if (!e)
		e = H_LIT(b, "</span> <button type=\"submit\">退出</button></form>");
	return e;
}

/* Where the language switch returns to: this page when it is one to come
 * back to with a GET, else the home page.  Percent-encoded for the query. */
static const char *next_path(struct rc_web_req *w, unsigned status)
{
	const char *p = w->http->path;
	struct rc_buf b;
	char *s = NULL;
	/* not a refusal's: a 404 must not say which path it was */
	if (status != 200 || strcmp(w->http->method, "GET") != 0 || !p || p[0] != '/')
		return "/";
	rc_buf_init(&b, 2048);
	for (const unsigned char *c = (const unsigned char *)p; *c; c++)
		if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.' || *c == '/')
			rc_buf_append(&b, (const char *)c, 1);
		else
			rc_buf_printf(&b, "%%%02X", *c);
	if (b.len)
		s = rc_arena_strdup(w->http->arena, rc_buf_str(&b));
	rc_buf_free(&b);
	return s ? s : "/";
}

enum rc_err rc_web_page(struct rc_web_req *w, unsigned status, const char *title,
			const char *main_html)
{
	struct rc_buf n;
	enum rc_err e = RC_OK;
	rc_buf_init(&n, 64 * 1024);
	if (w->user)
		e = nav(w, &n);
	if (!e) {
		const struct rc_tmpl_var v[] = {
		    RC_TMPL_TEXT("lang", w->en ? "en" : "zh-CN"),
		    RC_TMPL_TEXT("title", title),
		    RC_TMPL_TRUSTED("nav", rc_buf_str(&n)),
		    RC_TMPL_TEXT("to", w->en ? "zh" : "en"),
		    RC_TMPL_TEXT("next", next_path(w, status)),
		    RC_TMPL_TEXT("other", w->en ? "中文" : "English"),
		    RC_TMPL_TRUSTED("main", main_html),
		};
		e = rc_tmpl_render(&w->resp->body, layout_html, v, sizeof(v) / sizeof(v[0]));
	}
	rc_buf_free(&n);
	if (!e && w->en) {
		/* the page as rendered, its Chinese texts in English */
		struct rc_buf en;
		rc_buf_init(&en, RC_HTTP_RESP_MAX);
		e = rc_web_i18n_page(w->resp->body.data, w->resp->body.len, &en);
		if (!e) {
			rc_buf_free(&w->resp->body);
			w->resp->body = en;
		} else {
			rc_buf_free(&en);
		}
	}
	if (e)
		return RC_ERR_INTERNAL; /* a template's bug, or past the response cap */
	w->resp->status = status;
	w->resp->content_type = "text/html; charset=utf-8";
	return RC_OK;
}

enum rc_err rc_web_page_tmpl(struct rc_web_req *w, unsigned status, const char *title,
			     const char *tmpl, const struct rc_tmpl_var *vars, size_t n)
{
	struct rc_buf m;
	enum rc_err e;
	rc_buf_init(&m, RC_HTTP_RESP_MAX);
	if ((e = rc_tmpl_render(&m, tmpl, vars, n)) == RC_OK)
		e = rc_web_page(w, status, title, rc_buf_str(&m));
	else
		e = RC_ERR_INTERNAL;
	rc_buf_free(&m);
	return e;
}

enum rc_err rc_web_redirect(struct rc_http_resp *resp, const char *to)
{
	resp->status = 303;
	enum rc_err e = rc_http_resp_header(resp, "Location", to);
	return e ? e : rc_buf_printf(&resp->body, "303 %s\n", to);
}

enum rc_err rc_web_denied(struct rc_web_req *w)
{
	static const char m[] = "<section class=\"card\"><h1>无权访问</h1>"
				"<p class=\"error\" role=\"alert\">您的角色不能使用此功能。"
				"如确有需要，请联系安全管理员。</p>"
				"<p><a href=\"/\">返回首页</a></p></section>";
	return rc_web_page(w, 403, "无权访问", m);
}

/* One page for "nothing here" and "not yours": nothing of the path or the
 * object is in it, so the two cannot be told apart. */
enum rc_err rc_web_not_found(struct rc_web_req *w)
{
	static const char m[] = "<section class=\"card\"><h1>未找到</h1>"
				"<p class=\"error\" role=\"alert\">所访问的记录不存在，"
				"或不在您所在单位及下级单位的范围内。</p>"
				"<p><a href=\"/\">返回首页</a></p></section>";
	return rc_web_page(w, 404, "未找到", m);
}

const char *rc_web_field(struct rc_web_req *w, const char *name, size_t max)
{
	const char *v;
	size_t len;
	struct rc_http_req *req = w->http;
	const char *ct = rc_http_req_header(req, "Content-Type");
	/* a form with a file chooser is sent as multipart/form-data, its
	 * other fields (the CSRF token among them) as parts: the request's
	 * own Content-Type says which parser reads it, and a body of any
	 * other type is read as urlencoded, as before there were two */
	enum rc_err e =
	    rc_http_multipart_is(ct)
		? rc_http_multipart_text(req->arena, ct, req->body, req->body_len, name, &v, &len)
		: rc_http_form_get(req->arena, req->body, req->body_len, name, &v, &len);
	if (e == RC_ERR_NOT_FOUND)
		return "";
	return e || len > max ? NULL : v;
}

void rc_web_unit(struct rc_web_req *w, struct rc_unit *u)
{
	*u = *w->http->ctx->unit;
	snprintf(u->request_id, sizeof(u->request_id), "%s", w->http->id);
	u->idem_key = NULL;
	u->on_made = NULL;
}

const char *rc_web_js(const json_t *o, const char *key, const char *none)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? s : none;
}

enum rc_err rc_web_td(struct rc_buf *b, const char *s)
{
	enum rc_err e = H_LIT(b, "<td>");
	if (!e)
		e = rc_web_text(b, s);
	return e ? e : H_LIT(b, "</td>");
}

int rc_web_refused(enum rc_err e)
{
	return e == RC_ERR_RANGE || e == RC_ERR_NAME || e == RC_ERR_CONFLICT ||
	       e == RC_ERR_NOT_FOUND || e == RC_ERR_TYPE || e == RC_ERR_SYNTAX ||
	       e == RC_ERR_USAGE || e == RC_ERR_LIMIT;
}

enum rc_err rc_web_text(struct rc_buf *b, const char *s)
{
	return s ? rc_html_escape(b, s, strlen(s)) : RC_OK;
}

enum rc_err rc_web_textf(struct rc_buf *b, const char *fmt, ...)
{
	char small[1024], *buf = small, *heap = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return RC_ERR_INTERNAL;
	/* a text longer than the stack buffer (minutes, grounds: up to the
	 * fields' caps) is formatted again at its length, never cut */
	if ((size_t)n >= sizeof(small)) {
		if (!(heap = malloc((size_t)n + 1)))
			return RC_ERR_NOMEM;
		buf = heap;
		va_start(ap, fmt);
		vsnprintf(buf, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	enum rc_err e = rc_html_escape(b, buf, (size_t)n);
	free(heap);
	return e;
}
