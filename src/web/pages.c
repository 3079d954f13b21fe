/*
 * pages.c -- the pages of the log-in: 登录, 绑定动态口令, 修改密码, 首页, 退出.
 *
 * Templates are C string constants, compiled into the binary: a newcomer's
 * one command needs no template directory to find, a data directory holds
 * data and nothing that decides what a page runs, and a template with a
 * name it does not give fails the page tests at once.  Every page is
 * server-rendered, works without JavaScript (there is none: the CSP
 * allows no inline script) and takes its style from /static/app.css (the
 * CSP allows no inline style either).
 *
 * Every POST carries a CSRF token (session.c) and is refused with 403,
 * changing nothing, without the right one -- before any field is read.
 * Every failed log-in, whatever failed, gets the same page, message and
 * status: the page holds nothing of what was typed.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "web/web_int.h"

/* ---- templates ----------------------------------------------------------- */

static const char layout_html[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"zh-CN\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>{{title}} - 容错纠错案件管理系统</title>\n"
    "<link rel=\"stylesheet\" href=\"/static/app.css\">\n"
    "</head>\n"
    "<body>\n"
    "<header class=\"top\"><span class=\"brand\">容错纠错案件管理系统</span>{{&nav}}</header>\n"
    "<main>\n{{&main}}</main>\n"
    "</body>\n"
    "</html>\n";

static const char nav_html[] =
    "<form class=\"logout\" method=\"post\" action=\"/logout\">"
    "<input type=\"hidden\" name=\"csrf\" value=\"{{csrf}}\">"
    "<span class=\"who\">{{login}}</span> <button type=\"submit\">退出</button></form>";

static const char login_html[] =
    "<section class=\"card\">\n"
    "<h1>登录</h1>\n"
    "{{#notice}}<p class=\"notice\" role=\"status\">{{notice}}</p>\n{{/notice}}"
    "{{#error}}<p class=\"error\" role=\"alert\">{{error}}</p>\n{{/error}}"
    "<form method=\"post\" action=\"/login\" autocomplete=\"off\">\n"
    "<input type=\"hidden\" name=\"csrf\" value=\"{{csrf}}\">\n"
    "<label for=\"login\">用户名</label>\n"
    "<input id=\"login\" name=\"login\" required maxlength=\"64\" autocomplete=\"username\" "
    "autofocus>\n"
    "<label for=\"password\">密码</label>\n"
    "<input id=\"password\" name=\"password\" type=\"password\" required maxlength=\"1024\" "
    "autocomplete=\"current-password\">\n"
    "<label for=\"code\">动态口令</label>\n"
    "<input id=\"code\" name=\"code\" inputmode=\"numeric\" pattern=\"[0-9]{6}\" "
    "maxlength=\"6\" autocomplete=\"one-time-code\">\n"
    "<p class=\"hint\">动态口令为身份验证器应用显示的 6 位数字。首次登录尚未绑定时可留空,"
    "系统将引导您绑定。</p>\n"
    "<button type=\"submit\">登录</button>\n"
    "</form>\n"
    "</section>\n";

static const char enrol_html[] =
    "<section class=\"card wide\">\n"
    "<h1>绑定动态口令</h1>\n"
    "{{#error}}<p class=\"error\" role=\"alert\">{{error}}</p>\n{{/error}}"
    "{{#secret}}"
    "<p>每个账户都须绑定动态口令。请在手机的身份验证器应用(如 FreeOTP、Microsoft "
    "Authenticator、Google Authenticator)中添加账户,手动输入以下密钥"
    "(基于时间,30 秒,6 位):</p>\n"
    "<p class=\"secret\"><code>{{secret}}</code></p>\n"
    "<p>支持配置地址的应用也可使用:</p>\n"
    "<p class=\"uri\"><code>{{uri}}</code></p>\n"
    "<p class=\"hint\">密钥只显示这一次,请勿截图、转发或留存。</p>\n"
    "{{/secret}}"
    "<form method=\"post\" action=\"/enrol\" autocomplete=\"off\">\n"
    "<input type=\"hidden\" name=\"csrf\" value=\"{{csrf}}\">\n"
    "<input type=\"hidden\" name=\"login\" value=\"{{login}}\">\n"
    "<label for=\"code\">应用当前显示的 6 位动态口令</label>\n"
    "<input id=\"code\" name=\"code\" required inputmode=\"numeric\" pattern=\"[0-9]{6}\" "
    "maxlength=\"6\" autocomplete=\"one-time-code\" autofocus>\n"
    "<button type=\"submit\">确认绑定</button>\n"
    "</form>\n"
    "</section>\n";

static const char password_html[] =
    "<section class=\"card\">\n"
    "<h1>修改密码</h1>\n"
    "{{#forced}}<p class=\"notice\" role=\"status\">首次登录或密码已被重置,"
    "请先设置新密码,然后才能使用系统。</p>\n{{/forced}}"
    "<form method=\"post\" action=\"/password\" autocomplete=\"off\">\n"
    "<input type=\"hidden\" name=\"csrf\" value=\"{{csrf}}\">\n"
    "<label for=\"new\">新密码</label>\n"
    "<input id=\"new\" name=\"new\" type=\"password\" required minlength=\"12\" "
    "maxlength=\"1024\" autocomplete=\"new-password\">\n"
    "{{#new_error}}<p class=\"field-error\" role=\"alert\">{{new_error}}</p>\n{{/new_error}}"
    "<label for=\"again\">再次输入新密码</label>\n"
    "<input id=\"again\" name=\"again\" type=\"password\" required minlength=\"12\" "
    "maxlength=\"1024\" autocomplete=\"new-password\">\n"
    "{{#again_error}}<p class=\"field-error\" role=\"alert\">{{again_error}}</p>\n"
    "{{/again_error}}"
    "<p class=\"hint\">长度 12 至 1024 字节(一个汉字占 3 "
    "字节)。修改后,您在其他地方的登录将失效。</p>\n"
    "<button type=\"submit\">保存新密码</button>\n"
    "</form>\n"
    "</section>\n";

static const char home_html[] = "<section class=\"card wide\">\n"
				"<h1>首页</h1>\n"
				"<dl class=\"who\">\n"
				"<dt>姓名</dt><dd>{{name}}</dd>\n"
				"<dt>用户名</dt><dd>{{login}}</dd>\n"
				"<dt>角色</dt><dd>{{role}}</dd>\n"
				"<dt>所属组织</dt><dd>{{org_name}}({{org_code}})</dd>\n"
				"</dl>\n"
				"<p class=\"hint\">我的任务、案件和管理功能正在建设中。</p>\n"
				"</section>\n";

static const char forbidden_html[] =
    "<section class=\"card\">\n"
    "<h1>请求未被接受</h1>\n"
    "<p class=\"error\" role=\"alert\">表单已失效或来源无法确认,本次提交未做任何更改。"
    "请返回<a href=\"{{back}}\">上一页</a>,刷新后重新提交。</p>\n"
    "</section>\n";

static const char app_css[] =
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:16px/1.6 \"Microsoft YaHei\",\"PingFang SC\",\"Noto Sans CJK SC\","
    "\"WenQuanYi Micro Hei\",sans-serif;color:#1f2328;background:#f4f5f7}\n"
    ".top{display:flex;justify-content:space-between;align-items:center;padding:.5rem 1.5rem;"
    "background:#9b1c1c;color:#fff}\n"
    ".brand{font-size:1.15rem;font-weight:bold;letter-spacing:.05em}\n"
    ".logout{margin:0}.logout .who{margin-right:.5rem}\n"
    ".logout button{background:#fff;color:#9b1c1c;margin:0}\n"
    "main{max-width:1200px;margin:2rem auto;padding:0 1rem}\n"
    ".card{background:#fff;max-width:28rem;margin:0 auto;padding:1.5rem 2rem;"
    "border:1px solid #d0d7de;border-radius:6px}\n"
    ".card.wide{max-width:48rem}\n"
    "h1{font-size:1.4rem;margin:0 0 1rem}\n"
    "label{display:block;margin-top:.9rem;font-weight:bold}\n"
    "input{width:100%;padding:.45rem .6rem;font:inherit;border:1px solid #8c959f;"
    "border-radius:4px}\n"
    "button{margin-top:1.2rem;padding:.45rem 1.4rem;font:inherit;color:#fff;background:#9b1c1c;"
    "border:0;border-radius:4px;cursor:pointer}\n"
    ".hint{color:#57606a;font-size:.9rem}\n"
    ".notice{padding:.5rem .8rem;background:#ddf4ff;border-left:4px solid #0969da}\n"
    ".error,.field-error{padding:.5rem .8rem;background:#ffebe9;border-left:4px solid #cf222e}\n"
    ".field-error{margin:.3rem 0 0;font-size:.9rem}\n"
    ".secret code{font-size:1.3rem;letter-spacing:.1em}\n"
    ".uri code{word-break:break-all;font-size:.85rem}\n"
    "dl.who{display:grid;grid-template-columns:8rem 1fr;gap:.4rem 1rem}\n"
    "dl.who dt{font-weight:bold;color:#57606a}dl.who dd{margin:0}\n"
    "@media print{.top form{display:none}body{background:#fff}}\n";

/* ---- helpers ------------------------------------------------------------- */

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int64_t now_unix(void)
{
	return (int64_t)time(NULL);
}

/* A whole page: `main` rendered with vars, inside the layout with the
 * navigation (`nav`, trusted: rendered here, or ""). */
static enum rc_err page(struct rc_http_resp *resp, unsigned status, const char *title,
			const char *nav, const char *main_tmpl, const struct rc_tmpl_var *vars,
			size_t n)
{
	struct rc_buf main_buf;
	enum rc_err e;
	rc_buf_init(&main_buf, RC_HTTP_RESP_MAX);
	if ((e = rc_tmpl_render(&main_buf, main_tmpl, vars, n)) == RC_OK) {
		const struct rc_tmpl_var lv[] = {
		    RC_TMPL_TEXT("title", title),
		    RC_TMPL_TRUSTED("nav", nav ? nav : ""),
		    RC_TMPL_TRUSTED("main", rc_buf_str(&main_buf)),
		};
		e = rc_tmpl_render(&resp->body, layout_html, lv, N(lv));
	}
	rc_buf_free(&main_buf);
	if (e)
		return RC_ERR_INTERNAL; /* a template's bug, or past the response cap */
	resp->status = status;
	resp->content_type = "text/html; charset=utf-8";
	return RC_OK;
}

static enum rc_err redirect(struct rc_http_resp *resp, const char *to)
{
	resp->status = 303;
	enum rc_err e = rc_http_resp_header(resp, "Location", to);
	return e ? e : rc_buf_printf(&resp->body, "303 %s\n", to);
}

/* The logged-in navigation: the login and the 退出 button with its token. */
static enum rc_err nav(struct rc_http_req *req, const struct rc_session_user *su, const char *sid,
		       char **out)
{
	char tok[RC_WEB_TOKEN_HEX];
	struct rc_buf b;
	enum rc_err e = rc_web_token(req->ctx->app, "session", sid, tok);
	*out = NULL;
	if (e)
		return e;
	const struct rc_tmpl_var v[] = {RC_TMPL_TEXT("csrf", tok),
					RC_TMPL_TEXT("login", su->login)};
	rc_buf_init(&b, 4096);
	if (!(e = rc_tmpl_render(&b, nav_html, v, N(v))) &&
	    !(*out = rc_arena_strdup(req->arena, rc_buf_str(&b))))
		e = RC_ERR_NOMEM;
	rc_buf_free(&b);
	return e;
}

/* 403: a POST without its token.  Nothing was read but the token. */
static enum rc_err forbidden(struct rc_http_resp *resp, const char *back)
{
	const struct rc_tmpl_var v[] = {RC_TMPL_TEXT("back", back)};
	return page(resp, 403, "请求未被接受", NULL, forbidden_html, v, N(v));
}

/* A form field, "" when absent; NULL when the body is malformed or the
 * value longer than `max` bytes. */
static const char *field(struct rc_http_req *req, const char *name, size_t max)
{
	const char *v;
	size_t len;
	enum rc_err e = rc_http_form_get(req->arena, req->body, req->body_len, name, &v, &len);
	if (e == RC_ERR_NOT_FOUND)
		return "";
	return e || len > max ? NULL : v;
}

/* A unit of work for this request: the server's template with the
 * request's id, so that the audit row names the request. */
static void request_unit(struct rc_http_req *req, struct rc_unit *u)
{
	*u = *req->ctx->unit;
	snprintf(u->request_id, sizeof(u->request_id), "%s", req->id);
	u->idem_key = NULL;
	u->on_made = NULL;
}

/* The session, or a 303 to /login (with the dead cookie deleted).
 * 1: go on; 0: answered (*e says how). */
static int need_session(struct rc_http_req *req, struct rc_http_resp *resp,
			struct rc_session_user *su, char sid[RC_SESSION_ID_HEX], enum rc_err *e)
{
	int s = rc_web_session(req, now_unix(), su, sid);
	*e = RC_OK;
	if (s > 0)
		return 1;
	if (s < 0)
		*e = RC_ERR_IO;
	else if (!(*e = redirect(resp, "/login")) &&
		 rc_http_cookie_find(rc_http_req_header(req, "Cookie"), RC_WEB_SESSION_COOKIE,
				     (char[RC_SESSION_ID_HEX]){0},
				     RC_SESSION_ID_HEX) != RC_ERR_NOT_FOUND)
		*e = rc_web_cookie(req, resp, RC_WEB_SESSION_COOKIE, NULL);
	return 0;
}

/* ---- 登录 and 绑定动态口令 ------------------------------------------------ */

/* The log-in page with the pre-session token; `notice` and `error` may be
 * NULL.  Every failed log-in comes through here with the same error and
 * the same request cookie, so its answers are identical byte for byte. */
static enum rc_err login_page(struct rc_http_req *req, struct rc_http_resp *resp,
			      const char *notice, const char *error)
{
	char pre[RC_WEB_PRE_LEN], tok[RC_WEB_TOKEN_HEX];
	int fresh;
	enum rc_err e;
	if ((e = rc_web_pre(req, now_unix(), pre, &fresh)) ||
	    (e = rc_web_token(req->ctx->app, "pre", pre, tok)) ||
	    (fresh && (e = rc_web_cookie(req, resp, RC_WEB_PRE_COOKIE, pre))))
		return e;
	const struct rc_tmpl_var v[] = {RC_TMPL_TEXT("csrf", tok), RC_TMPL_TEXT("notice", notice),
					RC_TMPL_TEXT("error", error)};
	return page(resp, 200, "登录", NULL, login_html, v, N(v));
}

/* The token of a log-in form: the pre-session cookie must be there and
 * live (a form is never given a fresh one here). */
static int pre_ok(struct rc_http_req *req, const char *given)
{
	char pre[RC_WEB_PRE_LEN];
	int fresh;
	return !rc_web_pre(req, now_unix(), pre, &fresh) && !fresh &&
	       rc_web_token_ok(req->ctx->app, "pre", pre, given);
}

static enum rc_err get_login(struct rc_http_req *req, struct rc_http_resp *resp)
{
	struct rc_session_user su;
	char sid[RC_SESSION_ID_HEX];
	int s = rc_web_session(req, now_unix(), &su, sid);
	rc_crypto_wipe(sid, sizeof(sid));
	if (s < 0)
		return RC_ERR_IO;
	if (s > 0)
		return redirect(resp, "/");
	return login_page(req, resp, NULL, NULL);
}

static enum rc_err enrol_page(struct rc_http_req *req, struct rc_http_resp *resp, const char *login,
			      const struct rc_totp_enrolment *en, const char *error)
{
	char pre[RC_WEB_PRE_LEN], tok[RC_WEB_TOKEN_HEX];
	int fresh;
	enum rc_err e;
	if ((e = rc_web_pre(req, now_unix(), pre, &fresh)) ||
	    (e = rc_web_token(req->ctx->app, "pre", pre, tok)) ||
	    (fresh && (e = rc_web_cookie(req, resp, RC_WEB_PRE_COOKIE, pre))))
		return e;
	const struct rc_tmpl_var v[] = {
	    RC_TMPL_TEXT("csrf", tok),
	    RC_TMPL_TEXT("login", login),
	    RC_TMPL_TEXT("secret", en ? en->secret : ""),
	    RC_TMPL_TEXT("uri", en ? en->uri : ""),
	    RC_TMPL_TEXT("error", error),
	};
	return page(resp, 200, "绑定动态口令", NULL, enrol_html, v, N(v));
}

static enum rc_err post_login(struct rc_http_req *req, struct rc_http_resp *resp)
{
	const struct rc_web_app *app = req->ctx->app;
	struct rc_login lo = {0};
	struct rc_totp_enrolment en = {0};
	struct rc_unit u;
	struct rc_diags d;
	enum rc_err e;
	if (!pre_ok(req, field(req, "csrf", 128)))
		return forbidden(resp, "/login");
	const char *login = field(req, "login", 256);
	const char *password = field(req, "password", RC_AUTH_PASSWORD_MAX);
	const char *code = field(req, "code", 16);
	/* A field too long or malformed fails as a wrong password does: the
	 * same page (the answer depends on nothing about the account). */
	if (!login || !password || !code || !*login || !*password)
		return login_page(req, resp, NULL, RC_AUTH_FAILED);
	request_unit(req, &u);
	rc_diags_init(&d, "login");
	int64_t now = now_unix();
	e = rc_proc_login(&u, login, password, code, now, &app->lim, &lo, &d);
	if (e == RC_OK) {
		if (!(e = rc_web_cookie(req, resp, RC_WEB_SESSION_COOKIE, lo.session_id)) &&
		    !(e = rc_web_cookie(req, resp, RC_WEB_PRE_COOKIE, NULL)))
			e = redirect(resp, lo.must_change_password ? "/password" : "/");
	} else if (e == RC_ERR_NOT_FOUND) {
		/* the password was right and there is no authenticator yet */
		e = rc_proc_totp_enrol_begin(&u, login, password, now, &en, &d);
		if (e == RC_OK)
			e = enrol_page(req, resp, login, &en, NULL);
		else if (e == RC_ERR_RANGE || e == RC_ERR_CONFLICT)
			e = login_page(req, resp, NULL, RC_AUTH_FAILED);
	} else if (e == RC_ERR_RANGE) {
		e = login_page(req, resp, NULL, RC_AUTH_FAILED);
	}
	rc_crypto_wipe(&lo, sizeof(lo));
	rc_crypto_wipe(&en, sizeof(en));
	return e;
}

static enum rc_err post_enrol(struct rc_http_req *req, struct rc_http_resp *resp)
{
	struct rc_unit u;
	struct rc_diags d;
	if (!pre_ok(req, field(req, "csrf", 128)))
		return forbidden(resp, "/login");
	const char *login = field(req, "login", 256), *code = field(req, "code", 16);
	if (!login || !code || !*login)
		return login_page(req, resp, NULL, RC_AUTH_FAILED);
	request_unit(req, &u);
	rc_diags_init(&d, "enrol");
	enum rc_err e = rc_proc_totp_enrol_finish(&u, login, code, now_unix(), &d);
	if (e == RC_OK)
		return login_page(req, resp,
				  "动态口令已绑定。请等待应用显示新的动态口令(约 30 秒),"
				  "再用密码和新口令登录。",
				  NULL);
	if (e == RC_ERR_RANGE)
		return enrol_page(req, resp, login, NULL, RC_AUTH_FAILED);
	return e;
}

/* ---- 首页, 修改密码, 退出 ------------------------------------------------- */

/* The user's name and the organisation's name, for the home page. */
static enum rc_err who(struct rc_http_req *req, const struct rc_session_user *su, char **name,
		       char **org_name)
{
	struct rc_stmt *st;
	int row, more;
	enum rc_err e;
	*name = *org_name = NULL;
	if ((e = rc_store_stmt(req->ctx->store, Q_USER_BY_LOGIN, &st)) ||
	    (e = rc_stmt_bind_str(st, 1, su->login)) || (e = rc_stmt_step(st, &row)))
		return e;
	if (row)
		*name = rc_arena_strdup(req->arena, rc_stmt_text(st, 1, NULL));
	for (more = row; !e && more;)
		e = rc_stmt_step(st, &more); /* to the end: no snapshot left open */
	if (e || (e = rc_store_stmt(req->ctx->store, Q_ORG_BY_ID, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, su->org_id)) || (e = rc_stmt_step(st, &row)))
		return e;
	if (row)
		*org_name = rc_arena_strdup(req->arena, rc_stmt_text(st, 1, NULL));
	for (more = row; !e && more;)
		e = rc_stmt_step(st, &more);
	return e;
}

static enum rc_err get_home(struct rc_http_req *req, struct rc_http_resp *resp)
{
	struct rc_session_user su;
	char sid[RC_SESSION_ID_HEX], *n = NULL, *name, *org_name;
	enum rc_err e;
	if (!need_session(req, resp, &su, sid, &e))
		return e;
	if (su.must_change_password)
		e = redirect(resp, "/password");
	else if (!(e = who(req, &su, &name, &org_name)) && !(e = nav(req, &su, sid, &n))) {
		const struct rc_tmpl_var v[] = {
		    RC_TMPL_TEXT("name", name),
		    RC_TMPL_TEXT("login", su.login),
		    RC_TMPL_TEXT("role", su.role),
		    RC_TMPL_TEXT("org_name", org_name),
		    RC_TMPL_TEXT("org_code", su.org_code),
		};
		e = page(resp, 200, "首页", n, home_html, v, N(v));
	}
	rc_crypto_wipe(sid, sizeof(sid));
	return e;
}

static enum rc_err password_page(struct rc_http_req *req, struct rc_http_resp *resp,
				 const struct rc_session_user *su, const char *sid,
				 const char *new_error, const char *again_error)
{
	char tok[RC_WEB_TOKEN_HEX], *n;
	enum rc_err e;
	if ((e = rc_web_token(req->ctx->app, "session", sid, tok)) || (e = nav(req, su, sid, &n)))
		return e;
	const struct rc_tmpl_var v[] = {
	    RC_TMPL_TEXT("csrf", tok),
	    RC_TMPL_TEXT("forced", su->must_change_password ? "1" : ""),
	    RC_TMPL_TEXT("new_error", new_error),
	    RC_TMPL_TEXT("again_error", again_error),
	};
	return page(resp, new_error || again_error ? 400 : 200, "修改密码", n, password_html, v,
		    N(v));
}

static enum rc_err get_password(struct rc_http_req *req, struct rc_http_resp *resp)
{
	struct rc_session_user su;
	char sid[RC_SESSION_ID_HEX];
	enum rc_err e;
	if (!need_session(req, resp, &su, sid, &e))
		return e;
	e = password_page(req, resp, &su, sid, NULL, NULL);
	rc_crypto_wipe(sid, sizeof(sid));
	return e;
}

static enum rc_err post_password(struct rc_http_req *req, struct rc_http_resp *resp)
{
	struct rc_session_user su;
	char sid[RC_SESSION_ID_HEX];
	struct rc_unit u;
	struct rc_diags d;
	enum rc_err e;
	if (!need_session(req, resp, &su, sid, &e))
		return e;
	if (!rc_web_token_ok(req->ctx->app, "session", sid, field(req, "csrf", 128))) {
		e = forbidden(resp, "/password");
		goto out;
	}
	const char *pw = field(req, "new", RC_AUTH_PASSWORD_MAX + 1);
	const char *again = field(req, "again", RC_AUTH_PASSWORD_MAX + 1);
	size_t len = pw ? strlen(pw) : 0;
	if (!pw || len < RC_AUTH_PASSWORD_MIN || len > RC_AUTH_PASSWORD_MAX) {
		e = password_page(req, resp, &su, sid,
				  "密码长度须为 12 至 1024 字节(一个汉字占 3 字节)。", NULL);
		goto out;
	}
	if (!again || strcmp(pw, again) != 0) {
		e = password_page(req, resp, &su, sid, NULL, "两次输入的新密码不一致。");
		goto out;
	}
	request_unit(req, &u);
	rc_diags_init(&d, "password");
	/* the user's other sessions are revoked; this one is kept */
	e = rc_proc_password_set(&u, su.login, su.login, pw, 0, sid, &d);
	if (e == RC_ERR_RANGE)
		e = password_page(req, resp, &su, sid,
				  "密码长度须为 12 至 1024 字节(一个汉字占 3 字节)。", NULL);
	else if (!e)
		e = redirect(resp, "/");
out:
	rc_crypto_wipe(sid, sizeof(sid));
	return e;
}

static enum rc_err post_logout(struct rc_http_req *req, struct rc_http_resp *resp)
{
	struct rc_session_user su;
	char sid[RC_SESSION_ID_HEX];
	struct rc_unit u;
	struct rc_diags d;
	enum rc_err e;
	if (!need_session(req, resp, &su, sid, &e))
		return e;
	if (!rc_web_token_ok(req->ctx->app, "session", sid, field(req, "csrf", 128))) {
		e = forbidden(resp, "/");
		goto out;
	}
	request_unit(req, &u);
	rc_diags_init(&d, "logout");
	e = rc_proc_logout(&u, sid, &d);
	if (e == RC_OK || e == RC_ERR_NOT_FOUND)
		if (!(e = rc_web_cookie(req, resp, RC_WEB_SESSION_COOKIE, NULL)))
			e = redirect(resp, "/login");
out:
	rc_crypto_wipe(sid, sizeof(sid));
	return e;
}

static enum rc_err get_css(struct rc_http_req *req, struct rc_http_resp *resp)
{
	(void)req;
	resp->content_type = "text/css; charset=utf-8";
	return rc_buf_append(&resp->body, app_css, sizeof(app_css) - 1);
}

const struct rc_http_route rc_web_routes[] = {
    {"GET", "/", get_home},
    {"GET", "/login", get_login},
    {"POST", "/login", post_login},
    {"POST", "/enrol", post_enrol},
    {"GET", "/password", get_password},
    {"POST", "/password", post_password},
    {"POST", "/logout", post_logout},
    {"GET", "/static/app.css", get_css},
    {NULL, NULL, NULL},
};
