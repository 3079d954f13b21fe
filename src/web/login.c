/*
 * login.c -- the pages of the log-in: 登录, 绑定动态口令, 修改密码, 首页, 退出,
 * and the style sheet.
 *
 * Templates are C string constants, compiled into the binary: a newcomer's
 * one command needs no template directory to find, a data directory holds
 * data and nothing that decides what a page runs, and a template with a
 * name it does not give fails the page tests at once.  Every page is
 * server-rendered, works without JavaScript (there is none: the CSP
 * allows no inline script) and takes its style from /static/app.css (the
 * CSP allows no inline style either).
 *
 * The log-in forms are public (the gate lets them through): they carry a
 * token of the pre-session cookie (session.c), checked here before any
 * field is read.  Every failed log-in, whatever failed, gets the same
 * page, message and status: the page holds nothing of what was typed.
 */
#include <stdio.h>
#include <string.h>

#include "web/web_int.h"

/* ---- templates ----------------------------------------------------------- */

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
    "<p class=\"hint\">动态口令为身份验证器应用显示的 6 位数字。首次登录尚未绑定时可留空，"
    "系统将引导您绑定。</p>\n"
    "<button type=\"submit\">登录</button>\n"
    "</form>\n"
    "</section>\n";

static const char enrol_html[] =
    "<section class=\"card wide\">\n"
    "<h1>绑定动态口令</h1>\n"
    "{{#error}}<p class=\"error\" role=\"alert\">{{error}}</p>\n{{/error}}"
    "{{#secret}}"
    "<p>每个账户都须绑定动态口令。请用手机的身份验证器应用（如 FreeOTP、Microsoft "
    "Authenticator、Google Authenticator）扫描二维码添加账户：</p>\n"
    "{{&qr}}\n"
    "<p>无法扫描时，手动输入以下密钥（基于时间，30 秒，6 位）：</p>\n"
    "<p class=\"secret\"><code>{{secret}}</code></p>\n"
    "<p>支持配置地址的应用也可使用：</p>\n"
    "<p class=\"uri\"><code>{{uri}}</code></p>\n"
    "<p class=\"hint\">密钥只显示这一次，请勿截图、转发或留存。</p>\n"
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
    "{{#forced}}<p class=\"notice\" role=\"status\">首次登录或密码已被重置，"
    "请先设置新密码，然后才能使用系统。</p>\n{{/forced}}"
    "<form method=\"post\" action=\"/password\" autocomplete=\"off\">\n"
    "<input type=\"hidden\" name=\"csrf\" value=\"{{csrf}}\">\n"
    "{{^forced}}<label for=\"current\">当前密码</label>\n"
    "<input id=\"current\" name=\"current\" type=\"password\" required maxlength=\"1024\" "
    "autocomplete=\"current-password\">\n"
    "{{#current_error}}<p class=\"field-error\" role=\"alert\">{{current_error}}</p>\n"
    "{{/current_error}}{{/forced}}"
    "<label for=\"new\">新密码</label>\n"
    "<input id=\"new\" name=\"new\" type=\"password\" required minlength=\"12\" "
    "maxlength=\"1024\" autocomplete=\"new-password\">\n"
    "{{#new_error}}<p class=\"field-error\" role=\"alert\">{{new_error}}</p>\n{{/new_error}}"
    "<label for=\"again\">再次输入新密码</label>\n"
    "<input id=\"again\" name=\"again\" type=\"password\" required minlength=\"12\" "
    "maxlength=\"1024\" autocomplete=\"new-password\">\n"
    "{{#again_error}}<p class=\"field-error\" role=\"alert\">{{again_error}}</p>\n"
    "{{/again_error}}"
    "<p class=\"hint\">长度 12 至 1024 字节（一个汉字占 3 "
    "字节）。修改后，您在其他地方的登录将失效。</p>\n"
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
				"{{&links}}"
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
    "svg.qr{width:14rem;height:14rem;display:block;margin:.5rem 0}\n"
    ".uri code{word-break:break-all;font-size:.85rem}\n"
    "dl.who{display:grid;grid-template-columns:8rem 1fr;gap:.4rem 1rem}\n"
    "dl.who dt{font-weight:bold;color:#57606a}dl.who dd{margin:0}\n"
    ".lang{color:#fff;margin-left:1rem;font-size:.9rem}\n"
    ".menu{display:flex;gap:.25rem;flex:1;margin-left:2rem}\n"
    ".menu a{color:#fff;text-decoration:none;padding:.35rem .8rem;border-radius:4px}\n"
    ".menu a:hover,.menu a:focus{background:rgba(255,255,255,.18)}\n"
    "a{color:#0b57a4}\n"
    "a.button{display:inline-block;margin:.3rem .4rem 0 0;padding:.45rem 1.2rem;"
    "background:#9b1c1c;color:#fff;border-radius:4px;text-decoration:none}\n"
    "section.wide{background:#fff;padding:1.2rem 1.6rem;border:1px solid #d0d7de;"
    "border-radius:6px}\n"
    "table.list{width:100%;border-collapse:collapse;margin:.6rem 0 1rem;font-size:.95rem}\n"
    "table.list th,table.list td{padding:.4rem .6rem;border-bottom:1px solid #d8dee4;"
    "text-align:left;vertical-align:top}\n"
    "table.list th{background:#f0f2f4;font-weight:bold;white-space:nowrap}\n"
    "table.list tbody tr:hover{background:#f6f8fa}\n"
    "tr.overdue td{background:#fff0ef}\n"
    ".late{color:#cf222e;font-weight:bold}\n"
    ".empty{color:#57606a}\n"
    "form.filters{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:flex-end;"
    "margin-bottom:.8rem}\n"
    ".filter{min-width:9rem}.filter label{margin-top:0;font-weight:normal;font-size:.9rem}\n"
    "form.filters button,form.pager button{margin-top:0}\n"
    "article.case{background:#fff;padding:1.2rem 1.6rem;border:1px solid #d0d7de;"
    "border-radius:6px}\n"
    ".case-head h1{margin-bottom:.3rem}.case-head .state{margin:.2rem 0 .8rem}\n"
    "dl.facts{display:grid;grid-template-columns:7rem 1fr 7rem 1fr;gap:.3rem 1rem;"
    "margin:0 0 1rem}\n"
    "dl.facts dt{font-weight:bold;color:#57606a}dl.facts dd{margin:0}\n"
    "section.part{border-top:2px solid #e6e9ec;margin-top:1.2rem;padding-top:.4rem}\n"
    "h2{font-size:1.15rem;margin:.4rem 0}\n"
    "h3{font-size:1rem;margin:0 0 .4rem}\n"
    "form.step-form{background:#f6f8fa;border:1px solid #d8dee4;border-radius:6px;"
    "padding:.8rem 1rem;margin:.8rem 0;max-width:44rem}\n"
    "select,textarea{width:100%;padding:.4rem .5rem;font:inherit;border:1px solid #8c959f;"
    "border-radius:4px;background:#fff}\n"
    "label.check{font-weight:normal}label.check input{width:auto;margin-right:.4rem}\n"
    ".req{color:#cf222e}\n"
    "pre.explain{white-space:pre-wrap;font:inherit;background:#f6f8fa;padding:.8rem 1rem;"
    "border-left:4px solid #9b1c1c;max-height:30rem;overflow:auto}\n"
    ".cols{display:grid;grid-template-columns:1fr 1fr;gap:1rem}\n"
    "form.inline{display:inline;margin:0}\n"
    "form.inline button{margin:0 .3rem 0 0;padding:.15rem .7rem;font-size:.85rem}\n"
    "ul.diags{font-family:monospace;font-size:.9rem;padding-left:1.2rem}\n"
    "ul.intake{list-style:none;padding:0}ul.intake li{margin:.4rem 0}\n"
    "ul.intake form{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}\n"
    "ul.intake label{margin:0;min-width:16rem}ul.intake input{width:auto;flex:1}\n"
    "ul.intake button{margin-top:0}\n"
    "@media print{.top,form,.intake{display:none}body{background:#fff;font-size:12pt}"
    "main{margin:0;max-width:none}article.case,section.wide{border:0;padding:0}"
    "pre.explain{max-height:none}a{color:inherit;text-decoration:none}"
    "table.list th,table.list td{border-bottom:1px solid #999}}\n";

/* ---- pages ------------------------------------------------------------- */

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* 403: a log-in form without its token.  Nothing was read but the token. */
static enum rc_err forbidden(struct rc_web_req *w)
{
	static const char m[] =
	    "<section class=\"card\">\n<h1>请求未被接受</h1>\n"
	    "<p class=\"error\" role=\"alert\">表单已失效或来源无法确认，本次提交未做任何更改。"
	    "请返回<a href=\"/login\">登录页</a>，刷新后重新提交。</p>\n</section>\n";
	return rc_web_page(w, 403, "请求未被接受", m);
}

/* ---- 登录 and 绑定动态口令 ------------------------------------------------ */

/* The log-in page with the pre-session token; `notice` and `error` may be
 * NULL.  Every failed log-in comes through here with the same error and
 * the same request cookie, so its answers are identical byte for byte. */
static enum rc_err login_page(struct rc_web_req *w, const char *notice, const char *error)
{
	char pre[RC_WEB_PRE_LEN], tok[RC_WEB_TOKEN_HEX];
	int fresh;
	enum rc_err e;
	if ((e = rc_web_pre(w->http, w->now, pre, &fresh)) ||
	    (e = rc_web_token(w->app, "pre", pre, tok)) ||
	    (fresh && (e = rc_web_cookie(w->http, w->resp, RC_WEB_PRE_COOKIE, pre))))
		return e;
	const struct rc_tmpl_var v[] = {RC_TMPL_TEXT("csrf", tok), RC_TMPL_TEXT("notice", notice),
					RC_TMPL_TEXT("error", error)};
	return rc_web_page_tmpl(w, 200, "登录", login_html, v, N(v));
}

/* The token of a log-in form: the pre-session cookie must be there and
 * live (a form is never given a fresh one here). */
static int pre_ok(struct rc_web_req *w, const char *given)
{
	char pre[RC_WEB_PRE_LEN];
	int fresh;
	return !rc_web_pre(w->http, w->now, pre, &fresh) && !fresh &&
	       rc_web_token_ok(w->app, "pre", pre, given);
}

static enum rc_err get_login(struct rc_web_req *w)
{
	struct rc_session_user su;
	char sid[RC_SESSION_ID_HEX];
	int s = rc_web_session(w->http, w->now, &su, sid);
	rc_crypto_wipe(sid, sizeof(sid));
	if (s < 0)
		return RC_ERR_IO;
	if (s > 0)
		return rc_web_redirect(w->resp, "/");
	return login_page(w, NULL, NULL);
}

static enum rc_err enrol_page(struct rc_web_req *w, const char *login,
			      const struct rc_totp_enrolment *en, const char *error)
{
	char pre[RC_WEB_PRE_LEN], tok[RC_WEB_TOKEN_HEX];
	int fresh;
	enum rc_err e;
	if ((e = rc_web_pre(w->http, w->now, pre, &fresh)) ||
	    (e = rc_web_token(w->app, "pre", pre, tok)) ||
	    (fresh && (e = rc_web_cookie(w->http, w->resp, RC_WEB_PRE_COOKIE, pre))))
		return e;
	/* the otpauth:// URI as a QR code: numbers only, made here */
	struct rc_buf qr;
	rc_buf_init(&qr, 64 * 1024);
	if (en && en->uri[0] && (e = rc_web_qr_svg(&qr, en->uri))) {
		rc_buf_free(&qr);
		return e;
	}
	const char *qr_html = rc_arena_strdup(w->http->arena, rc_buf_str(&qr));
	rc_buf_free(&qr);
	if (!qr_html)
		return RC_ERR_NOMEM;
	const struct rc_tmpl_var v[] = {
	    RC_TMPL_TEXT("csrf", tok),
	    RC_TMPL_TEXT("login", login),
	    RC_TMPL_TRUSTED("qr", qr_html),
	    RC_TMPL_TEXT("secret", en ? en->secret : ""),
	    RC_TMPL_TEXT("uri", en ? en->uri : ""),
	    RC_TMPL_TEXT("error", error),
	};
	return rc_web_page_tmpl(w, 200, "绑定动态口令", enrol_html, v, N(v));
}

static enum rc_err post_login(struct rc_web_req *w)
{
	struct rc_login lo = {0};
	struct rc_totp_enrolment en = {0};
	struct rc_unit u;
	struct rc_diags d;
	enum rc_err e;
	if (!pre_ok(w, rc_web_field(w, "csrf", 128)))
		return forbidden(w);
	const char *login = rc_web_field(w, "login", 256);
	const char *password = rc_web_field(w, "password", RC_AUTH_PASSWORD_MAX);
	const char *code = rc_web_field(w, "code", 16);
	/* A field too long or malformed fails as a wrong password does: the
	 * same page (the answer depends on nothing about the account). */
	if (!login || !password || !code || !*login || !*password)
		return login_page(w, NULL, RC_AUTH_FAILED);
	rc_web_unit(w, &u);
	rc_diags_init(&d, "login");
	e = rc_proc_login(&u, login, password, code, w->now, &w->app->lim, &lo, &d);
	if (e == RC_OK) {
		if (!(e = rc_web_cookie(w->http, w->resp, RC_WEB_SESSION_COOKIE, lo.session_id)) &&
		    !(e = rc_web_cookie(w->http, w->resp, RC_WEB_PRE_COOKIE, NULL)))
			e = rc_web_redirect(w->resp, lo.must_change_password ? "/password" : "/");
	} else if (e == RC_ERR_NOT_FOUND) {
		/* the password was right and there is no authenticator yet */
		e = rc_proc_totp_enrol_begin(&u, login, password, w->now, &en, &d);
		if (e == RC_OK)
			e = enrol_page(w, login, &en, NULL);
		else if (e == RC_ERR_RANGE || e == RC_ERR_CONFLICT)
			e = login_page(w, NULL, RC_AUTH_FAILED);
	} else if (e == RC_ERR_RANGE) {
		e = login_page(w, NULL, RC_AUTH_FAILED);
	}
	rc_crypto_wipe(&lo, sizeof(lo));
	rc_crypto_wipe(&en, sizeof(en));
	return e;
}

static enum rc_err post_enrol(struct rc_web_req *w)
{
	struct rc_unit u;
	struct rc_diags d;
	if (!pre_ok(w, rc_web_field(w, "csrf", 128)))
		return forbidden(w);
	const char *login = rc_web_field(w, "login", 256), *code = rc_web_field(w, "code", 16);
	if (!login || !code || !*login)
		return login_page(w, NULL, RC_AUTH_FAILED);
	rc_web_unit(w, &u);
	rc_diags_init(&d, "enrol");
	enum rc_err e = rc_proc_totp_enrol_finish(&u, login, code, w->now, &d);
	if (e == RC_OK)
		return login_page(w,
				  "动态口令已绑定。请等待应用显示新的动态口令（约 30 秒），"
				  "再用密码和新口令登录。",
				  NULL);
	if (e == RC_ERR_RANGE)
		return enrol_page(w, login, NULL, RC_AUTH_FAILED);
	return e;
}

/* ---- 首页, 修改密码, 退出 ------------------------------------------------- */

/* The user's name and the organisation's name, for the home page. */
static enum rc_err who(struct rc_web_req *w, char **name, char **org_name)
{
	struct rc_store *s = w->http->ctx->store;
	struct rc_stmt *st;
	int row, more;
	enum rc_err e;
	*name = *org_name = NULL;
	if ((e = rc_store_stmt(s, Q_USER_BY_LOGIN, &st)) ||
	    (e = rc_stmt_bind_str(st, 1, w->su.login)) || (e = rc_stmt_step(st, &row)))
		return e;
	if (row)
		*name = rc_arena_strdup(w->http->arena, rc_stmt_text(st, 1, NULL));
	for (more = row; !e && more;)
		e = rc_stmt_step(st, &more); /* to the end: no snapshot left open */
	if (e || (e = rc_store_stmt(s, Q_ORG_BY_ID, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, w->su.org_id)) || (e = rc_stmt_step(st, &row)))
		return e;
	if (row)
		*org_name = rc_arena_strdup(w->http->arena, rc_stmt_text(st, 1, NULL));
	for (more = row; !e && more;)
		e = rc_stmt_step(st, &more);
	return e;
}

static enum rc_err get_home(struct rc_web_req *w)
{
	char *name, *org_name;
	enum rc_err e;
	const char *links =
	    rc_proc_admin_role(w->su.role)
		? "<p "
		  "class=\"hint\">管理员不办理案件（三员分立）；请使用上方菜单中的管理功能。</p>\n"
		: "<p><a class=\"button\" href=\"/tasks\">我的任务</a> "
		  "<a class=\"button\" href=\"/cases\">案件列表</a> "
		  "<a class=\"button\" href=\"/cases/new\">新建案件</a> "
		  "<a class=\"button\" href=\"/people\">人员</a></p>\n";
	if ((e = who(w, &name, &org_name)))
		return e;
	const struct rc_tmpl_var v[] = {
	    RC_TMPL_TEXT("name", name),
	    RC_TMPL_TEXT("login", w->su.login),
	    RC_TMPL_TEXT("role", w->su.role),
	    RC_TMPL_TEXT("org_name", org_name),
	    RC_TMPL_TEXT("org_code", w->su.org_code),
	    RC_TMPL_TRUSTED("links", links),
	};
	return rc_web_page_tmpl(w, 200, "首页", home_html, v, N(v));
}

static enum rc_err password_page3(struct rc_web_req *w, const char *current_error,
				  const char *new_error, const char *again_error)
{
	const struct rc_tmpl_var v[] = {
	    RC_TMPL_TEXT("csrf", w->csrf),
	    RC_TMPL_TEXT("forced", w->su.must_change_password ? "1" : ""),
	    RC_TMPL_TEXT("current_error", current_error),
	    RC_TMPL_TEXT("new_error", new_error),
	    RC_TMPL_TEXT("again_error", again_error),
	};
	return rc_web_page_tmpl(w, current_error || new_error || again_error ? 400 : 200,
				"修改密码", password_html, v, N(v));
}

static enum rc_err password_page(struct rc_web_req *w, const char *new_error,
				 const char *again_error)
{
	return password_page3(w, NULL, new_error, again_error);
}

static enum rc_err get_password(struct rc_web_req *w)
{
	return password_page(w, NULL, NULL);
}

static enum rc_err post_password(struct rc_web_req *w)
{
	struct rc_unit u;
	struct rc_diags d;
	enum rc_err e;
	const char *pw = rc_web_field(w, "new", RC_AUTH_PASSWORD_MAX + 1);
	const char *again = rc_web_field(w, "again", RC_AUTH_PASSWORD_MAX + 1);
	size_t len = pw ? strlen(pw) : 0;
	if (!pw || len < RC_AUTH_PASSWORD_MIN || len > RC_AUTH_PASSWORD_MAX)
		return password_page(w, "密码长度须为 12 至 1024 字节（一个汉字占 3 字节）。",
				     NULL);
	if (!again || strcmp(pw, again) != 0)
		return password_page(w, NULL, "两次输入的新密码不一致。");
	rc_web_unit(w, &u);
	rc_diags_init(&d, "password");
	/* the user's other sessions are revoked; this one is kept.  Outside
	 * a forced change the current password is asked (ASVS V2.1.5): a
	 * session left open is not enough to take the account. */
	if (w->su.must_change_password) {
		e = rc_proc_password_set(&u, w->su.login, w->su.login, pw, 0, w->sid, &d);
	} else {
		const char *cur = rc_web_field(w, "current", RC_AUTH_PASSWORD_MAX);
		e = rc_proc_password_change(&u, w->su.login, cur ? cur : "", pw, w->sid, &d);
		if (e == RC_ERR_RANGE && d.count &&
		    strstr(d.items[0].msg, "current password") != NULL)
			return password_page3(w, "当前密码不正确。", NULL, NULL);
	}
	if (e == RC_ERR_RANGE)
		return password_page(w, "密码长度须为 12 至 1024 字节（一个汉字占 3 字节）。",
				     NULL);
	return e ? e : rc_web_redirect(w->resp, "/");
}

static enum rc_err post_logout(struct rc_web_req *w)
{
	struct rc_unit u;
	struct rc_diags d;
	rc_web_unit(w, &u);
	rc_diags_init(&d, "logout");
	enum rc_err e = rc_proc_logout(&u, w->sid, &d);
	if (e == RC_OK || e == RC_ERR_NOT_FOUND)
		if (!(e = rc_web_cookie(w->http, w->resp, RC_WEB_SESSION_COOKIE, NULL)))
			e = rc_web_redirect(w->resp, "/login");
	return e;
}

static enum rc_err get_css(struct rc_web_req *w)
{
	w->resp->content_type = "text/css; charset=utf-8";
	return rc_buf_append(&w->resp->body, app_css, sizeof(app_css) - 1);
}

/* 中文 / English: a cookie, then back to the page the switch was on (a
 * path of this site only: "/x", never "//host" -- no open redirect). */
/* A path of this site to return to: "/" then letters, digits, "._-/" and
 * UTF-8 (bytes >= 0x80), never "//" first; anything else -- a control
 * byte (browsers drop tabs: "/\t/evil" is "//evil"), a backslash, a
 * space, a quote -- is refused.  Percent-encoded here for the Location
 * header.  NULL when refused. */
static const char *safe_next(struct rc_web_req *w, const char *next)
{
	struct rc_buf b;
	const char *s = NULL;
	if (!next || next[0] != '/' || next[1] == '/' || strlen(next) > 1024)
		return NULL;
	for (const unsigned char *c = (const unsigned char *)next; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-' ||
		      *c == '/' || *c >= 0x80))
			return NULL;
	rc_buf_init(&b, 4096);
	for (const unsigned char *c = (const unsigned char *)next; *c; c++)
		if (*c >= 0x80)
			rc_buf_printf(&b, "%%%02X", *c);
		else
			rc_buf_append(&b, (const char *)c, 1);
	s = rc_arena_strdup(w->http->arena, rc_buf_str(&b));
	rc_buf_free(&b);
	return s;
}

static enum rc_err get_lang(struct rc_web_req *w)
{
	const char *to = rc_http_req_query(w->http, "to");
	const char *next = safe_next(w, rc_http_req_query(w->http, "next"));
	enum rc_err e;
	if ((e = rc_web_cookie(w->http, w->resp, RC_WEB_LANG_COOKIE,
			       to && strcmp(to, "en") == 0 ? "en" : "zh")))
		return e;
	return rc_web_redirect(w->resp, next ? next : "/");
}

/* Browsers ask for an icon on their own; there is none, and "none" is not
 * an error worth a 404 in every browser's console. */
static enum rc_err get_favicon(struct rc_web_req *w)
{
	w->resp->status = 204;
	return RC_OK;
}

static const struct rc_web_page p_favicon = {get_favicon}, p_lang = {get_lang};
static const struct rc_web_page p_home = {get_home}, p_login = {get_login},
				p_login_post = {post_login}, p_enrol = {post_enrol},
				p_password = {get_password}, p_password_post = {post_password},
				p_logout = {post_logout}, p_css = {get_css};

const struct rc_http_route rc_web_auth_routes[] = {
    RC_WEB_ROUTE("GET", "/", p_home),
    RC_WEB_ROUTE("GET", "/login", p_login),
    RC_WEB_ROUTE("POST", "/login", p_login_post),
    RC_WEB_ROUTE("POST", "/enrol", p_enrol),
    RC_WEB_ROUTE("GET", "/password", p_password),
    RC_WEB_ROUTE("POST", "/password", p_password_post),
    RC_WEB_ROUTE("POST", "/logout", p_logout),
    RC_WEB_ROUTE("GET", "/static/app.css", p_css),
    RC_WEB_ROUTE("GET", "/favicon.ico", p_favicon),
    RC_WEB_ROUTE("GET", "/lang", p_lang),
    {NULL, NULL, NULL, NULL},
};
