/*
 * admin.c -- the pages of the three administrators (三员分立): 安全管理员
 * the accounts, 系统管理员 the organisations, officials, calendar and
 * policy versions, 审计管理员 the audit trail.  Which administrator reaches
 * which page is the permission matrix's (data/permissions.tsv); the pages
 * themselves only show and submit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/calendar.h"
#include "core/date.h"
#include "policy/policy.h"
#include "web/web_int.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define TRY(x)                                                                                     \
	do {                                                                                       \
		if ((e = (x)))                                                                     \
			goto out;                                                                  \
	} while (0)

/* A message box: `cls` notice or error. */
static enum rc_err box(struct rc_buf *b, int error, const char *msg)
{
	enum rc_err e = error ? H_LIT(b, "<p class=\"error\" role=\"alert\">")
			      : H_LIT(b, "<p class=\"notice\" role=\"status\">");
	if (!e)
		e = rc_web_text(b, msg);
	return e ? e : H_LIT(b, "</p>\n");
}

/* The organisations in the user's scope as choices. */
static const struct rc_web_opt *org_options(struct rc_web_req *w)
{
	json_t *doc = NULL, *x;
	size_t i;
	struct rc_web_opt *o = NULL;
	if (rc_proc_view_orgs(w->http->ctx->store, w->su.org_id, &doc))
		return NULL;
	json_t *arr = json_object_get(doc, "orgs");
	o = rc_arena_array(w->http->arena, json_array_size(arr) + 1, sizeof(*o));
	json_array_foreach(arr, i, x) if (o)
	{
		o[i].value = rc_arena_strdup(w->http->arena, rc_web_js(x, "code", "—"));
		o[i].label = rc_arena_sprintf(w->http->arena, "%s(%s)", rc_web_js(x, "name", "—"),
					      rc_web_js(x, "code", "—"));
	}
	json_decref(doc);
	return o;
}

/* ---- 安全管理员: accounts ------------------------------------------------- */

static const struct rc_web_fdef f_user[] = {
    {"login", "用户名", WF_TEXT, 1, 64, NULL, "字母、数字等，登录时使用。"},
    {"name", "姓名", WF_TEXT, 1, 100, NULL, NULL},
    {"org", "所属组织", WF_SELECT, 1, 64, NULL, NULL},
    {"role", "角色", WF_SELECT, 1, 64, NULL, "案件角色由政策的办理步骤规定；三员不办理案件。"},
};

/* Every role a user may have: the procedure's roles, then the three. */
static const struct rc_web_opt *role_options(struct rc_web_req *w)
{
	struct rc_web_opt *o = rc_arena_array(w->http->arena, 64, sizeof(*o));
	int n = 0;
	for (int v = 0; o && w->set && v < rc_policy_set_count(w->set); v++) {
		struct rc_step_info si;
		const struct rc_policy *p = rc_policy_set_get(w->set, v);
		for (int i = 0; !rc_policy_step(p, i, &si); i++)
			for (int a = 0; a < si.n_actors && n < 60; a++) {
				int seen = 0;
				for (int k = 0; k < n && !seen; k++)
					seen = strcmp(o[k].value, si.actors[a]) == 0;
				if (!seen)
					o[n++].value = si.actors[a];
			}
	}
	for (int i = 0; o && rc_admin_roles[i] && n < 63; i++)
		o[n++].value = rc_admin_roles[i];
	return o;
}

static enum rc_err users_page(struct rc_web_req *w, struct rc_web_form *f, unsigned status,
			      const char *notice, const char *error)
{
	json_t *doc = NULL, *u;
	struct rc_buf b;
	size_t i;
	enum rc_err e;
	rc_buf_init(&b, RC_HTTP_RESP_MAX);
	TRY(rc_proc_view_users(w->http->ctx->store, w->su.org_id, &doc));
	TRY(H_LIT(&b, "<section class=\"wide\">\n<h1>用户管理</h1>\n"));
	if (notice)
		TRY(box(&b, 0, notice));
	if (error)
		TRY(box(&b, 1, error));
	TRY(H_LIT(&b,
		  "<table class=\"list\" id=\"users\"><thead><tr><th>用户名</th><th>姓名</th>"
		  "<th>组织</th><th>角色</th><th>状态</th><th>操作</th></tr></thead><tbody>\n"));
	json_array_foreach(json_object_get(doc, "users"), i, u)
	{
		int disabled = json_is_true(json_object_get(u, "disabled"));
		TRY(H_LIT(&b, "<tr>"));
		TRY(rc_web_td(&b, rc_web_js(u, "login", "—")));
		TRY(rc_web_td(&b, rc_web_js(u, "name", "—")));
		TRY(rc_web_td(&b, rc_web_js(u, "org_name", "—")));
		TRY(rc_web_td(&b, rc_web_js(u, "role", "—")));
		TRY(rc_web_td(&b, disabled                                        ? "已停用"
				  : !json_is_true(json_object_get(u, "enrolled")) ? "未绑定动态口令"
				  : json_is_true(json_object_get(u, "must_change_password"))
				      ? "待改密码"
				      : "正常"));
		TRY(H_LIT(&b, "<td>"));
		{
			/* the switches that apply to the account as it is */
			static const char *const acts[][2] = {{"password", "重置密码"},
							      {"reset-totp", "重置动态口令"},
							      {"disable", "停用"},
							      {"enable", "启用账户"}};
			int enrolled = json_is_true(json_object_get(u, "enrolled"));
			for (size_t k = 0; k < N(acts); k++) {
				if ((k == 3) != disabled || (k == 1 && !enrolled))
					continue;
				TRY(H_LIT(&b, "<form class=\"inline\" method=\"post\" "
					      "action=\"/admin/users/"));
				TRY(rc_web_text(&b, rc_web_js(u, "login", "—")));
				TRY(H_LIT(&b, "/"));
				TRY(rc_web_text(&b, acts[k][0]));
				TRY(H_LIT(&b, "\"><input type=\"hidden\" name=\"csrf\" value=\""));
				TRY(rc_web_text(&b, w->csrf));
				TRY(H_LIT(&b, "\"><button type=\"submit\">"));
				TRY(rc_web_text(&b, acts[k][1]));
				TRY(H_LIT(&b, "</button></form> "));
			}
			/* a 当事人's account reaches the cases about the official
			 * it is, once tied to them (procedure/common.c) */
			if (rc_proc_case_scope(rc_web_js(u, "role", "")) == RC_SCOPE_BY_PARTY) {
				/* whom the account is, before the form that ties it */
				const json_t *pid = json_object_get(u, "person_id");
				TRY(json_is_integer(pid)
					? rc_web_textf(&b, "本人：%s（编号 %lld）",
						       rc_web_js(u, "person_name", "—"),
						       (long long)json_integer_value(pid))
					: H_LIT(&b, "未关联本人"));
				TRY(H_LIT(&b, " "));
				TRY(H_LIT(&b, "<form class=\"inline\" method=\"post\" "
					      "action=\"/admin/users/"));
				TRY(rc_web_text(&b, rc_web_js(u, "login", "—")));
				TRY(H_LIT(&b, "/person\"><input type=\"hidden\" name=\"csrf\" "
					      "value=\""));
				TRY(rc_web_text(&b, w->csrf));
				TRY(H_LIT(&b, "\"><label>干部编号 <input type=\"number\" "
					      "name=\"person\" min=\"1\" required></label> "
					      "<button type=\"submit\">关联本人</button></form>"));
			}
		}
		TRY(H_LIT(&b, "</td></tr>\n"));
	}
	TRY(H_LIT(&b, "</tbody></table>\n"));
	f->opts[2] = org_options(w);
	f->opts[3] = role_options(w);
	TRY(rc_web_form_html(w, &b, f));
	TRY(H_LIT(&b, "</section>\n"));
	e = rc_web_page(w, status, "用户管理", rc_buf_str(&b));
out:
	json_decref(doc);
	rc_buf_free(&b);
	return e;
}

static void user_form(struct rc_web_form *f)
{
	rc_web_form_init(f, "user", "添加用户", "/admin/users", "添加", f_user, (int)N(f_user));
}

static enum rc_err get_users(struct rc_web_req *w)
{
	struct rc_web_form f;
	user_form(&f);
	return users_page(w, &f, 200, NULL, NULL);
}

static enum rc_err post_user(struct rc_web_req *w)
{
	struct rc_web_form f;
	struct rc_unit u;
	struct rc_diags *d = rc_arena_alloc(w->http->arena, sizeof(*d));
	if (!d)
		return RC_ERR_NOMEM;
	user_form(&f);
	f.opts[2] = org_options(w);
	f.opts[3] = role_options(w);
	if (rc_web_form_read(w, &f))
		return users_page(w, &f, 400, NULL, NULL);
	rc_web_unit(w, &u);
	rc_diags_init(d, "user add");
	enum rc_err e = rc_proc_user_add(&u, w->su.login, rc_web_form_val(&f, "login"),
					 rc_web_form_val(&f, "name"), rc_web_form_val(&f, "org"),
					 rc_web_form_val(&f, "role"), d);
	if (rc_web_refused(e)) {
		f.error = rc_web_diags_text(w, d);
		return users_page(w, &f, 409, NULL, NULL);
	}
	if (e)
		return e;
	user_form(&f);
	return users_page(
	    w, &f, 200,
	    "用户已添加。请点击该用户的“重置密码”生成一次性密码，交给本人首次登录使用。", NULL);
}

/* disable, enable, reset-totp: a switch on the account of the path */
static enum rc_err user_switch(struct rc_web_req *w,
			       enum rc_err (*op)(struct rc_unit *, const char *, const char *,
						 struct rc_diags *),
			       const char *done)
{
	struct rc_web_form f;
	struct rc_unit u;
	struct rc_diags *d = rc_arena_alloc(w->http->arena, sizeof(*d));
	if (!d)
		return RC_ERR_NOMEM;
	user_form(&f);
	rc_web_unit(w, &u);
	rc_diags_init(d, "user");
	enum rc_err e = op(&u, w->su.login, w->login, d);
	if (rc_web_refused(e))
		return users_page(w, &f, 409, NULL, rc_web_diags_text(w, d));
	if (e)
		return e;
	return users_page(w, &f, 200, done, NULL);
}

static enum rc_err post_user_disable(struct rc_web_req *w)
{
	return user_switch(w, rc_proc_user_disable, "用户已停用，其所有登录立即失效。");
}

static enum rc_err post_user_enable(struct rc_web_req *w)
{
	return user_switch(w, rc_proc_user_enable, "用户已启用，可以再次登录。");
}

static enum rc_err post_user_reset_totp(struct rc_web_req *w)
{
	return user_switch(w, rc_proc_totp_reset,
			   "动态口令已重置，其所有登录立即失效；该用户下次登录时重新绑定。");
}

/* Tie a 当事人's account to the official it is (its number as the people
 * registry shows it). */
static enum rc_err post_user_person(struct rc_web_req *w)
{
	struct rc_web_form f;
	struct rc_unit u;
	struct rc_diags *d = rc_arena_alloc(w->http->arena, sizeof(*d));
	const char *v = rc_web_field(w, "person", 15);
	char *end = NULL;
	if (!d)
		return RC_ERR_NOMEM;
	user_form(&f);
	long long id = v && *v && strspn(v, "0123456789") == strlen(v) ? strtoll(v, &end, 10) : 0;
	if (id <= 0)
		return users_page(w, &f, 400, NULL, "干部编号须为正整数（见“人员”页）。");
	rc_web_unit(w, &u);
	rc_diags_init(d, "user person");
	enum rc_err e = rc_proc_user_person(&u, w->su.login, w->login, (int64_t)id, d);
	if (rc_web_refused(e))
		return users_page(w, &f, 409, NULL, rc_web_diags_text(w, d));
	if (e)
		return e;
	return users_page(w, &f, 200, "已关联：该当事人账户只能查看和办理与本人有关的案件。", NULL);
}

/* A one-time password: 20 characters of an alphabet without look-alikes. */
static enum rc_err one_time(char out[24])
{
	static const char abc[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	uint8_t r[20];
	enum rc_err e = rc_random_bytes(r, sizeof(r));
	if (e)
		return e;
	for (int i = 0, k = 0; i < 20; i++) {
		out[k++] = abc[r[i] & 31]; /* 32 symbols: 5 bits each, 100 bits */
		if (i % 5 == 4 && i < 19)
			out[k++] = '-';
	}
	out[23] = '\0';
	rc_crypto_wipe(r, sizeof(r));
	return RC_OK;
}

static enum rc_err post_user_password(struct rc_web_req *w)
{
	struct rc_web_form f;
	struct rc_unit u;
	char pw[24], msg[256];
	struct rc_diags *d = rc_arena_alloc(w->http->arena, sizeof(*d));
	enum rc_err e;
	if (!d)
		return RC_ERR_NOMEM;
	user_form(&f);
	if ((e = one_time(pw)))
		return e;
	rc_web_unit(w, &u);
	rc_diags_init(d, "user password");
	e = rc_proc_password_set(&u, w->su.login, w->login, pw, 1, NULL, d);
	if (rc_web_refused(e)) {
		rc_crypto_wipe(pw, sizeof(pw));
		return users_page(w, &f, 409, NULL, rc_web_diags_text(w, d));
	}
	if (!e) {
		/* shown once, on this page only; the user must change it */
		snprintf(msg, sizeof(msg),
			 "用户 %s 的一次性密码：%s（只显示这一次；首次登录后须修改）", w->login,
			 pw);
		e = users_page(w, &f, 200, msg, NULL);
	}
	rc_crypto_wipe(pw, sizeof(pw));
	rc_crypto_wipe(msg, sizeof(msg));
	return e;
}

/* ---- 系统管理员: organisations and officials ------------------------------ */

static const struct rc_web_opt levels[] = {
    {"province", "省"}, {"city", "市"}, {"county", "县（市、区）"}, {"unit", "单位"}, {NULL, NULL}};
static const struct rc_web_fdef f_org[] = {
    {"code", "代码", WF_TEXT, 1, 64, NULL, NULL},
    {"name", "名称", WF_TEXT, 1, 200, NULL, NULL},
    {"level", "层级", WF_SELECT, 1, 16, levels, NULL},
    {"parent", "上级组织", WF_SELECT, 1, 64, NULL, NULL},
};
static const struct rc_web_fdef f_person[] = {
    {"name", "姓名", WF_TEXT, 1, 100, NULL, NULL},
    {"org", "所在单位", WF_SELECT, 1, 64, NULL, NULL},
    {"post", "职务", WF_TEXT, 0, 100, NULL, NULL},
    {"rank", "职级", WF_TEXT, 0, 100, NULL, NULL},
};

static void org_forms(struct rc_web_req *w, struct rc_web_form *fo, struct rc_web_form *fp)
{
	rc_web_form_init(fo, "org", "添加组织", "/admin/orgs", "添加", f_org, (int)N(f_org));
	rc_web_form_init(fp, "person", "添加干部（当事人）", "/admin/people", "添加", f_person,
			 (int)N(f_person));
	fo->opts[3] = fp->opts[1] = org_options(w);
}

static enum rc_err orgs_page(struct rc_web_req *w, struct rc_web_form *fo, struct rc_web_form *fp,
			     unsigned status, const char *notice)
{
	json_t *doc = NULL, *x;
	struct rc_buf b;
	size_t i;
	enum rc_err e;
	rc_buf_init(&b, RC_HTTP_RESP_MAX);
	TRY(rc_proc_view_orgs(w->http->ctx->store, w->su.org_id, &doc));
	TRY(H_LIT(&b, "<section class=\"wide\">\n<h1>组织与干部</h1>\n"));
	if (notice)
		TRY(box(&b, 0, notice));
	TRY(H_LIT(&b, "<table class=\"list\" id=\"orgs\"><thead><tr><th>代码</th><th>名称</th>"
		      "<th>层级</th></tr></thead><tbody>\n"));
	json_array_foreach(json_object_get(doc, "orgs"), i, x)
	{
		TRY(H_LIT(&b, "<tr>"));
		TRY(rc_web_td(&b, rc_web_js(x, "code", "—")));
		TRY(rc_web_td(&b, rc_web_js(x, "name", "—")));
		TRY(rc_web_td(&b, rc_web_js(x, "level", "—")));
		TRY(H_LIT(&b, "</tr>\n"));
	}
	TRY(H_LIT(&b, "</tbody></table>\n<div class=\"cols\"><div>"));
	TRY(rc_web_form_html(w, &b, fo));
	TRY(H_LIT(&b, "</div><div>"));
	TRY(rc_web_form_html(w, &b, fp));
	TRY(H_LIT(&b, "</div></div>\n</section>\n"));
	e = rc_web_page(w, status, "组织与干部", rc_buf_str(&b));
out:
	json_decref(doc);
	rc_buf_free(&b);
	return e;
}

static enum rc_err get_orgs(struct rc_web_req *w)
{
	struct rc_web_form fo, fp;
	org_forms(w, &fo, &fp);
	return orgs_page(w, &fo, &fp, 200, NULL);
}

static enum rc_err post_org(struct rc_web_req *w)
{
	struct rc_web_form fo, fp;
	struct rc_unit u;
	struct rc_diags *d = rc_arena_alloc(w->http->arena, sizeof(*d));
	if (!d)
		return RC_ERR_NOMEM;
	org_forms(w, &fo, &fp);
	if (rc_web_form_read(w, &fo))
		return orgs_page(w, &fo, &fp, 400, NULL);
	rc_web_unit(w, &u);
	rc_diags_init(d, "org add");
	enum rc_err e = rc_proc_org_add(&u, w->su.login, rc_web_form_val(&fo, "code"),
					rc_web_form_val(&fo, "name"), rc_web_form_val(&fo, "level"),
					rc_web_form_val(&fo, "parent"), d, NULL);
	if (rc_web_refused(e)) {
		fo.error = rc_web_diags_text(w, d);
		return orgs_page(w, &fo, &fp, 409, NULL);
	}
	if (e)
		return e;
	org_forms(w, &fo, &fp);
	return orgs_page(w, &fo, &fp, 200, "组织已添加。");
}

static enum rc_err post_person(struct rc_web_req *w)
{
	struct rc_web_form fo, fp;
	struct rc_unit u;
	struct rc_diags *d = rc_arena_alloc(w->http->arena, sizeof(*d));
	int64_t id;
	if (!d)
		return RC_ERR_NOMEM;
	org_forms(w, &fo, &fp);
	if (rc_web_form_read(w, &fp))
		return orgs_page(w, &fo, &fp, 400, NULL);
	rc_web_unit(w, &u);
	rc_diags_init(d, "person add");
	enum rc_err e = rc_proc_person_add(
	    &u, w->su.login, rc_web_form_val(&fp, "name"), rc_web_form_val(&fp, "org"),
	    rc_web_form_val(&fp, "post"), rc_web_form_val(&fp, "rank"), d, &id);
	if (rc_web_refused(e)) {
		fp.error = rc_web_diags_text(w, d);
		return orgs_page(w, &fo, &fp, 409, NULL);
	}
	if (e)
		return e;
	org_forms(w, &fo, &fp);
	return orgs_page(w, &fo, &fp, 200, "干部已添加。");
}

/* ---- 系统管理员: the calendar and the policy versions ----------------------- */

/* The messages of a check, each with its severity and position. */
static enum rc_err diags_html(struct rc_buf *b, const struct rc_diags *msgs)
{
	enum rc_err e;
	if (!msgs || !msgs->count)
		return RC_OK;
	TRY(H_LIT(b, "<h2>检查结果</h2>\n<ul class=\"diags\" id=\"diags\">\n"));
	for (int i = 0; i < msgs->count; i++) {
		const struct rc_diag *g = &msgs->items[i];
		TRY(g->sev == RC_SEV_ERROR ? H_LIT(b, "<li class=\"late\"><span>")
					   : H_LIT(b, "<li><span>"));
		TRY(rc_web_text(b, g->sev == RC_SEV_ERROR     ? "错误"
				   : g->sev == RC_SEV_WARNING ? "警告"
							      : "说明"));
		TRY(H_LIT(b, "</span> <code>"));
		TRY(rc_web_textf(b, "%d:%d", g->line, g->col));
		TRY(H_LIT(b, "</code> "));
		TRY(rc_web_text(b, g->msg));
		TRY(H_LIT(b, "</li>\n"));
	}
	e = H_LIT(b, "</ul>\n");
out:
	return e;
}

/* The text of a text area, or a file chosen: a file, when given, is the
 * text (the text area is then not read), as on the policy page.  Neither
 * is `required` in the page, since either will do.  Both forms of the
 * page, 检查 and 启用, have both fields: after a check the text area
 * carries the checked text, whichever way it came.  The text area's cap
 * leaves room for the CR a browser sends before every line break; the
 * procedure caps the text itself (one year's file, RC_CAL_MAX_BYTES). */
enum { CAL_TEXT, CAL_FILE };
static const struct rc_web_fdef f_calendar[] = {
    [CAL_TEXT] = {"text", "日历文本（.cal）", WF_LINES, 0, 2 * RC_CAL_MAX_BYTES, NULL,
		  "粘贴一个年份的完整日历文件内容，或在下面选择文件。先“检查”；无错误后“启用”，"
		  "无须重启服务。"},
    [CAL_FILE] = {"file", "或选择日历文件", WF_FILE, 0, RC_CAL_MAX_BYTES, NULL,
		  "选择了文件时，以文件内容为准（UTF-8 编码的 .cal 文件，如 cn-2027.cal）。", 0,
		  ".cal"},
};

static enum rc_err calendar_page(struct rc_web_req *w, struct rc_web_form *f, unsigned status,
				 const char *notice, const struct rc_diags *msgs)
{
	int years[RC_DATE_MAX_YEAR - RC_DATE_MIN_YEAR + 1];
	int n = w->cal ? rc_cal_years(w->cal, years, (int)N(years)) : 0;
	const char *file = f->file[CAL_FILE];
	struct rc_buf b;
	enum rc_err e;
	rc_buf_init(&b, RC_HTTP_RESP_MAX);
	TRY(H_LIT(&b, "<section class=\"wide\">\n<h1>工作日历</h1>\n"));
	if (notice)
		TRY(box(&b, 0, notice));
	if (file && *file) {
		/* which file the messages below are about */
		TRY(H_LIT(&b, "<p class=\"notice\" id=\"calendar-file-name\">本次提交的文件："
			      "<code>"));
		TRY(rc_web_text(&b, file));
		TRY(H_LIT(&b, "</code></p>\n"));
	}
	TRY(H_LIT(&b, "<p class=\"hint\">"
		      "办理期限按工作日计算。下列年份已载入国务院办公厅公布的节假日安排；"
		      "未载入的年份只按周末计算，并在计算期限时给出警告。</p>\n"
		      "<table class=\"list\" id=\"calendar\"><thead><tr><th>年份</th><th>来源</th>"
		      "</tr></thead><tbody>\n"));
	for (int i = 0; i < n && i < (int)N(years); i++) {
		TRY(H_LIT(&b, "<tr><td>"));
		TRY(rc_web_textf(&b, "%d", years[i]));
		TRY(H_LIT(&b, "</td>"));
		TRY(rc_web_td(&b, rc_cal_year_source(w->cal, years[i])));
		TRY(H_LIT(&b, "</tr>\n"));
	}
	TRY(H_LIT(&b, "</tbody></table>\n"));
	TRY(diags_html(&b, msgs));
	TRY(H_LIT(&b, "<p class=\"hint\">国务院办公厅公布新一年的节假日安排后，在此添加该年份"
		      "（每个年份一个文件，格式见 docs/modules/calendar.md）。已载入的年份不能在此"
		      "替换：已计算的期限以其为准；如需更正，请修改其文件并重启服务。</p>\n"));
	if (!w->app->calendar_dir)
		TRY(box(&b, 0,
			"服务使用的是源代码中的日历目录（data/calendar），不能在此启用新的年份；"
			"请以 --calendar DIR 或数据目录下的 calendar 目录启动服务。"));
	TRY(rc_web_form_html(w, &b, f));
	TRY(H_LIT(&b, "</section>\n"));
	e = rc_web_page(w, status, "工作日历", rc_buf_str(&b));
out:
	rc_buf_free(&b);
	return e;
}

static void calendar_form(struct rc_web_form *f, int check)
{
	rc_web_form_init(f, "calendar-year", check ? "检查日历文本" : "启用新的年份",
			 check ? "/admin/calendar/check" : "/admin/calendar/activate",
			 check ? "检查" : "启用", f_calendar, (int)N(f_calendar));
}

static enum rc_err get_calendar(struct rc_web_req *w)
{
	struct rc_web_form f;
	calendar_form(&f, 1);
	return calendar_page(w, &f, 200, NULL, NULL);
}

/* A text area's text with its line breaks as LF alone: a browser sends
 * every line break of a text area as CRLF (HTML's form submission), and
 * the file written is the text as its author wrote it.  A copy in the
 * request's arena, or NULL. */
static const char *lf_only(struct rc_web_req *w, const char *s)
{
	size_t n = strlen(s), k = 0;
	char *t = rc_arena_alloc(w->http->arena, n + 1);
	for (size_t i = 0; t && i < n; i++)
		if (!(s[i] == '\r' && s[i + 1] == '\n'))
			t[k++] = s[i];
	if (t)
		t[k] = '\0';
	return t;
}

/* The text of a form with a text area (text_i) and a file chooser
 * (file_i), as the policy and calendar pages have: the file's when one was
 * chosen, else the text area's with its line breaks as LF.  It becomes the
 * text area's value, so that the next form (启用 after 检查) carries it
 * whichever way it came.  NULL with *e RC_OK when neither was given: the
 * message `missing` is then at the text area; *e RC_ERR_NOMEM. */
static const char *text_or_file(struct rc_web_req *w, struct rc_web_form *f, int text_i, int file_i,
				const char *missing, enum rc_err *e)
{
	const char *text = f->val[file_i] && *f->val[file_i] ? f->val[file_i] : NULL;
	*e = RC_OK;
	if (!text && f->val[text_i] && *f->val[text_i] && !(text = lf_only(w, f->val[text_i])))
		*e = RC_ERR_NOMEM;
	if (!text && !*e)
		f->err[text_i] = missing;
	if (text)
		f->val[text_i] = text;
	return text;
}

static enum rc_err post_calendar(struct rc_web_req *w, int activate)
{
	struct rc_web_form f;
	struct rc_diags *d = rc_arena_alloc(w->http->arena, sizeof(*d));
	enum rc_err e;
	if (!d)
		return RC_ERR_NOMEM;
	calendar_form(&f, 1);
	if (rc_web_form_read(w, &f))
		return calendar_page(w, &f, 400, NULL, NULL);
	const char *text =
	    text_or_file(w, &f, CAL_TEXT, CAL_FILE, "请粘贴日历文本，或选择日历文件。", &e);
	if (!text)
		return e ? e : calendar_page(w, &f, 400, NULL, NULL);
	rc_diags_init(d, "calendar");
	if (!activate) {
		const char *file = f.file[CAL_FILE];
		int year = 0;
		e = rc_proc_calendar_check(w->cal, text, strlen(text), d, &year);
		if (e && !rc_web_refused(e))
			return e;
		if (e)
			return calendar_page(w, &f, 422, "检查未通过，请按下列信息修改。", d);
		/* checked: the same text may now be activated */
		calendar_form(&f, 0);
		f.file[CAL_FILE] = file;
		f.val[CAL_TEXT] = text;
		return calendar_page(
		    w, &f, 200,
		    rc_arena_sprintf(w->http->arena, "检查通过：%d 年的日历可以启用。", year), d);
	}
	if (!w->app->calendar_dir) {
		f.error = "服务使用的是源代码中的日历目录，不能启用新的年份。";
		return calendar_page(w, &f, 409, NULL, NULL);
	}
	/* The calendar in force is never changed in place (requests on other
	 * threads count deadlines on it: app.c): the procedure gives back a
	 * new one, loaded from the directory with the new year, which
	 * replaces it.  One activation at a time, and the one in force is
	 * taken again under that lock, so that the check is against the
	 * newest; a second one meanwhile is refused at once.  Room to
	 * publish is made before the change, so that a year committed is
	 * always published. */
	struct rc_unit u;
	struct rc_cal *next = NULL;
	rc_web_unit(w, &u);
	if (pthread_mutex_trylock(&w->app->cal_activating) != 0) {
		f.error = "另一个年份正在启用，请稍后再试。";
		return calendar_page(w, &f, 409, NULL, NULL);
	}
	e = rc_web_app_reserve_cal(w->app);
	if (!e)
		e = rc_proc_calendar_activate(&u, w->su.login, w->su.role, rc_web_app_cal(w->app),
					      w->app->calendar_dir, text, strlen(text), d, &next);
	if (!e) {
		/* this page lists the years: the new calendar's */
		rc_web_app_publish_cal(w->app, next);
		w->cal = next;
	}
	pthread_mutex_unlock(&w->app->cal_activating);
	if (e && !rc_web_refused(e) && e != RC_ERR_IO)
		return e;
	if (e) {
		f.error = "未启用：见检查结果。";
		return calendar_page(w, &f, 409, NULL, d);
	}
	const char *file = f.file[CAL_FILE];
	calendar_form(&f, 1);
	f.file[CAL_FILE] = file;
	return calendar_page(
	    w, &f, 200, "新的年份已启用，并写入日历目录和审计记录；此后计算的期限以其为准。", NULL);
}

static enum rc_err post_calendar_check(struct rc_web_req *w)
{
	return post_calendar(w, 0);
}

static enum rc_err post_calendar_activate(struct rc_web_req *w)
{
	return post_calendar(w, 1);
}

/* The text typed, or a file chosen: a file, when given, is the text (the
 * textarea is then not read), so that a version is uploaded as the file it
 * was written in, without copying it by hand.  Neither is `required` in
 * the page, since either will do (post_policy says so when both are
 * empty).  Both forms of the page, 检查 and 启用, have both fields: after a
 * check the textarea carries the checked text, whichever way it came. */
enum { POLICY_TEXT, POLICY_FILE };
/* A policy in the form, file or text, is at most this: the request body is
 * capped at RC_HTTP_BODY_MAX (1 MiB) with the form's other fields, and a
 * text checked must fit the same form again to be activated. */
#define POLICY_FORM_MAX 900000
static const struct rc_web_fdef f_policy[] = {
    [POLICY_TEXT] = {"text", "政策文本（.rcp）", WF_LINES, 0, POLICY_FORM_MAX, NULL,
		     "粘贴完整的政策文件内容，或在下面选择文件。先“检查”查看编译、静态检查和"
		     "内置测试的结果；无错误后“启用”。"},
    [POLICY_FILE] = {"file", "或选择政策文件", WF_FILE, 0, POLICY_FORM_MAX, NULL,
		     "选择了文件时，以文件内容为准（UTF-8 编码的 .rcp 文件）。", 0, ".rcp"},
};

static enum rc_err policies_page(struct rc_web_req *w, struct rc_web_form *f, unsigned status,
				 const char *notice, const struct rc_diags *msgs)
{
	struct rc_buf b;
	enum rc_err e;
	char d1[RC_DATE_STRLEN], d2[RC_DATE_STRLEN];
	const char *file = f->file[POLICY_FILE];
	rc_buf_init(&b, RC_HTTP_RESP_MAX);
	TRY(H_LIT(&b, "<section class=\"wide\">\n<h1>政策版本</h1>\n"));
	if (notice)
		TRY(box(&b, 0, notice));
	if (file && *file) {
		/* which file the messages below are about: the chooser itself
		 * cannot show it again */
		TRY(H_LIT(&b, "<p class=\"notice\" id=\"policy-file-name\">本次提交的文件："
			      "<code>"));
		TRY(rc_web_text(&b, file));
		TRY(H_LIT(&b, "</code></p>\n"));
	}
	TRY(H_LIT(&b,
		  "<table class=\"list\" id=\"policies\"><thead><tr><th>系列</th><th>版本</th>"
		  "<th>标题</th><th>生效</th><th>失效</th><th>摘要</th></tr></thead><tbody>\n"));
	for (int i = 0; w->set && i < rc_policy_set_count(w->set); i++) {
		const struct rc_policy *p = rc_policy_set_get(w->set, i);
		rc_date_format(rc_policy_effective(p), d1);
		if (rc_policy_until(p) == INT32_MAX)
			snprintf(d2, sizeof(d2), "—");
		else
			rc_date_format(rc_policy_until(p), d2);
		TRY(H_LIT(&b, "<tr>"));
		TRY(rc_web_td(&b, rc_policy_series(p)));
		TRY(rc_web_td(&b, rc_policy_version(p)));
		TRY(rc_web_td(&b, rc_policy_title(p)));
		TRY(rc_web_td(&b, d1));
		TRY(rc_web_td(&b, d2));
		TRY(rc_web_td(&b, rc_policy_digest(p)));
		TRY(H_LIT(&b, "</tr>\n"));
	}
	TRY(H_LIT(&b, "</tbody></table>\n"));
	TRY(diags_html(&b, msgs));
	if (!w->app->policy_dir)
		TRY(box(&b, 0,
			"服务以单个政策文件启动（--policy FILE），不能在此启用新版本；"
			"请以政策目录启动。"));
	/* one form, two buttons: 检查 posts to /admin/policies/check */
	TRY(rc_web_form_html(w, &b, f));
	TRY(H_LIT(&b, "</section>\n"));
	e = rc_web_page(w, status, "政策版本", rc_buf_str(&b));
out:
	rc_buf_free(&b);
	return e;
}

static void policy_form(struct rc_web_form *f, int check)
{
	rc_web_form_init(f, "policy", check ? "检查政策文本" : "启用新版本",
			 check ? "/admin/policies/check" : "/admin/policies",
			 check ? "检查" : "启用", f_policy, (int)N(f_policy));
}

static enum rc_err get_policies(struct rc_web_req *w)
{
	struct rc_web_form f;
	policy_form(&f, 1);
	return policies_page(w, &f, 200, NULL, NULL);
}

static enum rc_err post_policy(struct rc_web_req *w, int activate)
{
	struct rc_web_form f;
	struct rc_diags *d = rc_arena_alloc(w->http->arena, sizeof(*d));
	struct rc_policy *p = NULL;
	enum rc_err e;
	if (!d)
		return RC_ERR_NOMEM;
	policy_form(&f, 1);
	if (rc_web_form_read(w, &f))
		return policies_page(w, &f, 400, NULL, NULL);
	const char *text =
	    text_or_file(w, &f, POLICY_TEXT, POLICY_FILE, "请粘贴政策文本，或选择政策文件。", &e);
	if (!text)
		return e ? e : policies_page(w, &f, 400, NULL, NULL);
	rc_diags_init(d, "policy");
	if (!activate) {
		const char *file = f.file[POLICY_FILE];
		e = rc_proc_policy_check(w->set, text, strlen(text), d, &p);
		rc_policy_free(p);
		if (e && !rc_web_refused(e) && e != RC_ERR_TEST)
			return e;
		/* checked: the same text may now be activated */
		if (!e) {
			policy_form(&f, 0);
			f.file[POLICY_FILE] = file;
		}
		f.val[POLICY_TEXT] = text;
		return policies_page(w, &f, e ? 422 : 200,
				     e ? "检查未通过，请按下列信息修改。" : "检查通过，可以启用。",
				     d);
	}
	if (!w->app->policy_dir) {
		f.error = "服务以单个政策文件启动，不能启用新版本。";
		f.val[POLICY_TEXT] = text;
		return policies_page(w, &f, 409, NULL, NULL);
	}
	/* The running set is never changed in place (requests on other
	 * threads read it: app.c): the new version goes into a set loaded
	 * afresh from the directory -- the versions the running one was
	 * loaded from, and those activated since -- which replaces it.  One
	 * activation at a time, so that none loads the directory while
	 * another is writing its file; a second one meanwhile is refused at
	 * once rather than hold a server thread while the first runs the
	 * policy's tests.  Room to publish is made before the change, so that
	 * a version committed is always published. */
	struct rc_unit u;
	struct rc_policy_set *next = NULL;
	rc_web_unit(w, &u);
	if (pthread_mutex_trylock(&w->app->activating) != 0) {
		f.val[POLICY_TEXT] = text;
		f.error = "另一个版本正在启用，请稍后再试。";
		return policies_page(w, &f, 409, NULL, NULL);
	}
	e = rc_web_app_reserve(w->app);
	if (!e)
		e = rc_policy_set_new(&next);
	if (!e && rc_policy_set_load(next, w->app->policy_dir, d) != RC_OK)
		e = RC_ERR_IO; /* the directory changed under the server: said in d */
	if (!e)
		e = rc_proc_policy_activate(&u, w->su.login, w->su.role, next, w->app->policy_dir,
					    text, strlen(text), d);
	if (!e) {
		/* this page lists the versions: the new set's */
		rc_web_app_publish(w->app, next);
		w->set = next;
	} else {
		rc_policy_set_free(next);
	}
	pthread_mutex_unlock(&w->app->activating);
	if (e && !rc_web_refused(e) && e != RC_ERR_TEST && e != RC_ERR_IO)
		return e;
	if (e) {
		f.val[POLICY_TEXT] = text;
		f.error = "未启用：见检查结果。";
		return policies_page(w, &f, 409, NULL, d);
	}
	const char *file = f.file[POLICY_FILE];
	policy_form(&f, 1);
	f.file[POLICY_FILE] = file;
	return policies_page(w, &f, 200, "新版本已启用，并写入政策目录和审计记录。", NULL);
}

static enum rc_err post_policy_check(struct rc_web_req *w)
{
	return post_policy(w, 0);
}

static enum rc_err post_policy_activate(struct rc_web_req *w)
{
	return post_policy(w, 1);
}

/* ---- 审计管理员: the audit trail ------------------------------------------ */

static enum rc_err get_audit(struct rc_web_req *w)
{
	const char *before = rc_http_req_query(w->http, "before");
	const char *verify = rc_http_req_query(w->http, "verify");
	int64_t b4 = 0;
	json_t *doc = NULL, *x;
	struct rc_buf b;
	size_t i;
	enum rc_err e;
	if (before) {
		char *end;
		b4 = strtoll(before, &end, 10);
		if (*end || b4 <= 0)
			b4 = 0;
	}
	rc_buf_init(&b, RC_HTTP_RESP_MAX);
	TRY(rc_proc_view_audit(w->http->ctx->store, b4, &doc));
	TRY(H_LIT(&b, "<section class=\"wide\">\n<h1>审计记录</h1>\n"));
	if (verify && strcmp(verify, "1") == 0) {
		struct rc_diags *d = rc_arena_alloc(w->http->arena, sizeof(*d));
		int64_t rows = 0, bad = 0;
		if (!d) {
			e = RC_ERR_NOMEM;
			goto out;
		}
		rc_diags_init(d, "audit");
		const struct rc_unit *u = w->http->ctx->unit;
		/* An edit of an old row (what the verification exists to find)
		 * writes no new row, so the data's version does not move: a kept
		 * page would go on saying the chain is whole. */
		w->no_keep = 1;
		/* The page reads in one read transaction (gate.c), begun before
		 * this; the head file is saved after each commit, so a change
		 * another request committed since would be in the head and not
		 * in the snapshot, and the chain would look cut.  The rows are
		 * shown already: the verification reads the head first, then
		 * the rows afresh (tests/audit: head_newer_than_snapshot). */
		rc_store_rollback(w->http->ctx->store);
		enum rc_err v =
		    rc_audit_verify(w->http->ctx->store, u->key, u->head_path, d, &rows, &bad);
		char msg[512];
		if (v == RC_OK)
			snprintf(msg, sizeof(msg), "校验通过：%lld 条审计记录的链完整，未被改动。",
				 (long long)rows);
		else
			snprintf(msg, sizeof(msg), "校验未通过：第 %lld 条起的记录与链不符。%s",
				 (long long)bad, rc_web_diags_text(w, d));
		TRY(box(&b, v != RC_OK, msg));
	} else {
		TRY(H_LIT(
		    &b,
		    "<p><a class=\"button\" href=\"/admin/audit?verify=1\">校验审计链</a></p>\n"));
	}
	TRY(H_LIT(&b,
		  "<table class=\"list\" id=\"audit\"><thead><tr><th>序号</th><th>时间</th>"
		  "<th>用户</th><th>角色</th><th>组织</th><th>操作</th><th>对象</th></tr></thead>"
		  "<tbody>\n"));
	json_array_foreach(json_object_get(doc, "rows"), i, x)
	{
		TRY(H_LIT(&b, "<tr><td>"));
		TRY(rc_web_textf(&b, "%lld",
				 (long long)json_integer_value(json_object_get(x, "seq"))));
		TRY(H_LIT(&b, "</td>"));
		TRY(rc_web_td(&b, rc_web_js(x, "at", "—")));
		TRY(rc_web_td(&b, rc_web_js(x, "user", "—")));
		TRY(rc_web_td(&b, rc_web_js(x, "role", "—")));
		TRY(rc_web_td(&b, rc_web_js(x, "org", "—")));
		TRY(rc_web_td(&b, rc_web_js(x, "action", "—")));
		TRY(rc_web_td(&b, rc_web_js(x, "object", "—")));
		TRY(H_LIT(&b, "</tr>\n"));
	}
	TRY(H_LIT(&b, "</tbody></table>\n"));
	json_t *next = json_object_get(doc, "next");
	if (json_is_integer(next)) {
		TRY(H_LIT(&b, "<p><a href=\"/admin/audit?before="));
		TRY(rc_web_textf(&b, "%lld", (long long)json_integer_value(next)));
		TRY(H_LIT(&b, "\">"));
		TRY(H_LIT(&b, "更早的记录</a></p>\n"));
	}
	TRY(H_LIT(&b, "</section>\n"));
	e = rc_web_page(w, 200, "审计记录", rc_buf_str(&b));
out:
	json_decref(doc);
	rc_buf_free(&b);
	return e;
}

static const struct rc_web_page p_users = {get_users}, p_user_add = {post_user},
				p_user_disable = {post_user_disable},
				p_user_enable = {post_user_enable},
				p_user_person = {post_user_person},
				p_user_reset_totp = {post_user_reset_totp},
				p_user_password = {post_user_password}, p_orgs = {get_orgs},
				p_org_add = {post_org}, p_person_add = {post_person},
				p_calendar = {get_calendar},
				p_calendar_check = {post_calendar_check},
				p_calendar_activate = {post_calendar_activate},
				p_policies = {get_policies}, p_policy_check = {post_policy_check},
				p_policy_activate = {post_policy_activate}, p_audit = {get_audit};

const struct rc_http_route rc_web_admin_routes[] = {
    RC_WEB_ROUTE("GET", "/admin/users", p_users),
    RC_WEB_ROUTE("POST", "/admin/users", p_user_add),
    RC_WEB_ROUTE("POST", "/admin/users/{login}/disable", p_user_disable),
    RC_WEB_ROUTE("POST", "/admin/users/{login}/enable", p_user_enable),
    RC_WEB_ROUTE("POST", "/admin/users/{login}/reset-totp", p_user_reset_totp),
    RC_WEB_ROUTE("POST", "/admin/users/{login}/password", p_user_password),
    RC_WEB_ROUTE("POST", "/admin/users/{login}/person", p_user_person),
    RC_WEB_ROUTE("GET", "/admin/orgs", p_orgs),
    RC_WEB_ROUTE("POST", "/admin/orgs", p_org_add),
    RC_WEB_ROUTE("POST", "/admin/people", p_person_add),
    RC_WEB_ROUTE("GET", "/admin/calendar", p_calendar),
    RC_WEB_ROUTE("POST", "/admin/calendar/check", p_calendar_check),
    RC_WEB_ROUTE("POST", "/admin/calendar/activate", p_calendar_activate),
    RC_WEB_ROUTE("GET", "/admin/policies", p_policies),
    RC_WEB_ROUTE("POST", "/admin/policies/check", p_policy_check),
    RC_WEB_ROUTE("POST", "/admin/policies", p_policy_activate),
    RC_WEB_ROUTE("GET", "/admin/audit", p_audit),
    {NULL, NULL, NULL, NULL},
};
