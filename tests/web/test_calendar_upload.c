/*
 * test_calendar_upload.c -- a year of the working-day calendar added from
 * the page /admin/calendar: its forms sent as multipart/form-data, through
 * the real gate and page handler on a loopback server
 * (tests/web/fixture.h), as tests/web/test_upload.c does for policy
 * versions.
 *
 * The 系统管理员 张三 checks cn-2027.cal chosen as a file (2027 invented for
 * the test: its notice is not published), sees the check's result and the
 * file's name, and activates the text the activation form carries; the
 * year is then in the list, in the calendar directory, in the audit trail
 * and in the calendar later requests take.  A year in force, a malformed
 * text, two years in one text, a file that is not UTF-8, neither text nor
 * file, a missing or wrong CSRF token, a server whose calendar directory
 * may not be written, an activation while another runs: refused, and
 * nothing written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "fixture.h"

#define PW       "correct horse battery staple"
#define BOUNDARY FX_BOUNDARY
#define MP_CT    "Content-Type: multipart/form-data; boundary=" BOUNDARY

static const char y2027[] = "year 2027\n"
			    "source \"测试用的虚构安排（并非国务院办公厅通知）\"\n"
			    "\n"
			    "off  2027-01-01..2027-01-03 元旦\n"
			    "off  2027-02-06..2027-02-14 春节\n"
			    "work 2027-02-20             春节调休  # Saturday\n";

static struct {
	char cdir[4300];             /* the calendar directory years are activated into */
	char sid[RC_SESSION_ID_HEX]; /* 张三's session */
	char csrf[RC_WEB_TOKEN_HEX]; /* its CSRF token */
} t;

static char *slurp(const char *path, size_t *len)
{
	struct rc_buf b;
	rc_buf_init(&b, 1u << 20);
	fx_must(rc_buf_read_file(&b, path));
	*len = b.len;
	return b.data; /* the buffer's own memory: free() it */
}

static void put(const char *path, const char *s, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	char from[4400], to[4400];
	(void)state;
	fx_open("rc-calup", "policies/zhejiang-2023.rcp");
	/* the server's calendar directory: the shipped years, as fx.cal */
	snprintf(t.cdir, sizeof(t.cdir), "%s/calendar", fx.dir);
	assert_int_equal(mkdir(t.cdir, 0700), 0);
	for (int y = 2023; y <= 2026; y++) {
		size_t len;
		snprintf(from, sizeof(from), "%s/data/calendar/cn-%d.cal", RC_SOURCE_DIR, y);
		snprintf(to, sizeof(to), "%s/cn-%d.cal", t.cdir, y);
		char *s = slurp(from, &len);
		put(to, s, len);
		free(s);
	}
	fx_must(rc_proc_org_add(&fx.u, "cli", "P", "示例省", "province", NULL, fx_dg(), NULL));
	fx_must(rc_proc_user_add(&fx.u, "cli", "zhangsan", "张三", "P", "系统管理员", fx_dg()));
	fx_must(rc_proc_password_set(&fx.u, "cli", "zhangsan", PW, 0, NULL, fx_dg()));
	fx_login("zhangsan", PW, t.sid);
	fx_start();
	fx.app->calendar_dir = t.cdir; /* as serve sets it for --calendar DIR */
	fx_must(rc_web_token(fx.app, "session", t.sid, t.csrf));
	return 0;
}

static int teardown(void **state)
{
	char cmd[4400];
	(void)state;
	/* the calendars an activation published are the application's */
	rc_http_stop(fx.srv, 0, NULL);
	fx.srv = NULL;
	rc_web_app_done(fx.app);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t.cdir);
	assert_int_equal(system(cmd), 0);
	fx_close();
	return 0;
}

/* ---- requests, as a browser sends them ---------------------------------- */

/* The whole form of the page: the token, the text area, the chooser. */
static void form(struct rc_buf *b, const char *csrf, const char *text, const char *filename,
		 const char *file, size_t file_len)
{
	rc_buf_init(b, 1u << 20);
	if (csrf)
		fx_part(b, "csrf", csrf, strlen(csrf));
	fx_part(b, "text", text, strlen(text));
	fx_file_part(b, filename, file, file_len);
	assert_int_equal(rc_buf_puts(b, "--" BOUNDARY "--\r\n"), RC_OK);
}

static void post(const char *path, const struct rc_buf *b, struct answer *a)
{
	char cookie[96];
	snprintf(cookie, sizeof(cookie), "Cookie: rc_session=%s", t.sid);
	const char *h[] = {MP_CT, cookie, NULL};
	fx_http(fx.port, "POST", path, h, b->data ? b->data : "", b->len, a);
}

static void get(const char *path, struct answer *a)
{
	char cookie[96];
	snprintf(cookie, sizeof(cookie), "Cookie: rc_session=%s", t.sid);
	const char *h[] = {cookie, NULL};
	fx_http(fx.port, "GET", path, h, "", 0, a);
}

/* POST a file (or the text, when filename is NULL) and free the body. */
static void send_form(const char *path, const char *csrf, const char *text, const char *filename,
		      const char *file, struct answer *a)
{
	struct rc_buf b;
	form(&b, csrf, filename ? "" : text, filename ? filename : "", filename ? file : "",
	     filename ? strlen(file) : 0);
	post(path, &b, a);
	rc_buf_free(&b);
}

static int files_in_cdir(void)
{
	char cmd[4400];
	int n = -1;
	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", t.cdir);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

static int64_t activations(void)
{
	json_t *doc = NULL, *x;
	size_t i;
	int64_t n = 0;
	fx_must(rc_proc_view_audit(fx.s, 0, &doc));
	json_array_foreach(json_object_get(doc, "rows"), i, x) n +=
	    strcmp(json_string_value(json_object_get(x, "action")), "calendar.activate") == 0;
	json_decref(doc);
	return n;
}

/* Nothing written: the directory's four years, no audit row. */
static void nothing_written(void)
{
	assert_int_equal(files_in_cdir(), 4);
	assert_int_equal(activations(), 0);
	assert_ptr_equal(rc_web_app_cal(fx.app), fx.cal);
}

/* ---- the tests ----------------------------------------------------------- */

static void test_page_has_form(void **state)
{
	struct answer a;
	(void)state;
	get("/admin/calendar", &a);
	assert_int_equal(a.status, 200);
	/* the years loaded, as before */
	assert_non_null(strstr(a.body, "<tr><td>2026</td><td>国务院办公厅关于2026年"));
	assert_non_null(strstr(a.body, "enctype=\"multipart/form-data\" id=\"calendar-year\" "
				       "action=\"/admin/calendar/check\""));
	assert_non_null(strstr(a.body, "<textarea rows=\"12\" id=\"calendar-year-text\" "
				       "name=\"text\">"));
	assert_non_null(strstr(
	    a.body,
	    "<input type=\"file\" id=\"calendar-year-file\" name=\"file\" accept=\".cal\">"));
	assert_non_null(strstr(a.body, "<button type=\"submit\">检查</button>"));
	assert_null(strstr(a.body, "不能在此启用新的年份"));
	free(a.body);
}

static void test_refused(void **state)
{
	struct answer a;
	size_t len;
	char path[4400];
	(void)state;
	/* a year in force, chosen as its own file */
	snprintf(path, sizeof(path), "%s/cn-2026.cal", t.cdir);
	char *t2026 = slurp(path, &len);
	send_form("/admin/calendar/check", t.csrf, NULL, "cn-2026.cal", t2026, &a);
	assert_int_equal(a.status, 422);
	assert_non_null(strstr(a.body, "检查未通过，请按下列信息修改。"));
	assert_non_null(strstr(a.body, "a correction is an edit of its file and a restart"));
	assert_non_null(strstr(a.body, "本次提交的文件：<code>cn-2026.cal</code>"));
	assert_null(strstr(a.body, "action=\"/admin/calendar/activate\""));
	free(a.body);
	/* activated without a check: refused the same */
	send_form("/admin/calendar/activate", t.csrf, NULL, "cn-2026.cal", t2026, &a);
	assert_int_equal(a.status, 409);
	assert_non_null(strstr(a.body, "未启用：见检查结果。"));
	assert_non_null(strstr(a.body, "year 2026 is already loaded from"));
	free(a.body);
	free(t2026);

	/* malformed; two years in one text */
	send_form("/admin/calendar/check", t.csrf, "year 2027\nsource \"x\"\noff 2027-02-30 春节\n",
		  NULL, NULL, &a);
	assert_int_equal(a.status, 422);
	assert_non_null(strstr(a.body, "<code>3:5</code> impossible date `2027-02-30`"));
	free(a.body);
	char two[2048];
	snprintf(two, sizeof(two), "%syear 2028\nsource \"y\"\n", y2027);
	send_form("/admin/calendar/activate", t.csrf, two, NULL, NULL, &a);
	assert_int_equal(a.status, 409);
	assert_non_null(strstr(a.body, "`year` given twice (first at line 1)"));
	/* the text stays in its area, to be corrected */
	assert_non_null(strstr(a.body, "name=\"text\">year 2027\n"));
	free(a.body);

	/* a file that is not UTF-8: said at the chooser */
	send_form("/admin/calendar/check", t.csrf, NULL, "李四的日历.cal",
		  "year 2027\nsource \"\xb9\xfa\xce\xf1\xd4\xba\"\n", &a);
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.body, "文件内容无法识别：须为 UTF-8 编码的文本文件。"));
	free(a.body);

	/* neither text nor file */
	send_form("/admin/calendar/activate", t.csrf, "", NULL, NULL, &a);
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.body, "请粘贴日历文本，或选择日历文件。"));
	free(a.body);
	nothing_written();
}

/* The token is read from the multipart body: absent or wrong, 403 before
 * anything is read. */
static void test_csrf(void **state)
{
	struct answer a;
	(void)state;
	send_form("/admin/calendar/activate", NULL, NULL, "cn-2027.cal", y2027, &a);
	assert_int_equal(a.status, 403);
	assert_non_null(strstr(a.body, "请求未被接受"));
	free(a.body);
	send_form("/admin/calendar/activate",
		  "0000000000000000000000000000000000000000000000000000000000000000", NULL,
		  "cn-2027.cal", y2027, &a);
	assert_int_equal(a.status, 403);
	free(a.body);
	nothing_written();
}

/* A server whose calendar is the source tree's data/calendar, and an
 * activation while another runs: refused at once. */
static void test_not_now(void **state)
{
	struct answer a;
	(void)state;
	fx.app->calendar_dir = NULL;
	get("/admin/calendar", &a);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "服务使用的是源代码中的日历目录（data/calendar），"
				       "不能在此启用新的年份"));
	free(a.body);
	send_form("/admin/calendar/activate", t.csrf, NULL, "cn-2027.cal", y2027, &a);
	assert_int_equal(a.status, 409);
	assert_non_null(strstr(a.body, "服务使用的是源代码中的日历目录，不能启用新的年份。"));
	free(a.body);
	fx.app->calendar_dir = t.cdir;

	assert_int_equal(pthread_mutex_lock(&fx.app->cal_activating), 0);
	send_form("/admin/calendar/activate", t.csrf, NULL, "cn-2027.cal", y2027, &a);
	assert_int_equal(pthread_mutex_unlock(&fx.app->cal_activating), 0);
	assert_int_equal(a.status, 409);
	assert_non_null(strstr(a.body, "另一个年份正在启用，请稍后再试。"));
	/* the text is kept for another try */
	assert_non_null(strstr(a.body, "name=\"text\">year 2027\n"));
	free(a.body);
	nothing_written();
}

/* Check a file, then activate what the activation form carries. */
static void test_check_then_activate(void **state)
{
	struct answer a;
	char path[4400];
	size_t len;
	(void)state;
	send_form("/admin/calendar/check", t.csrf, NULL, "cn-2027.cal", y2027, &a);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "检查通过：2027 年的日历可以启用。"));
	assert_non_null(strstr(a.body, "本次提交的文件：<code>cn-2027.cal</code>"));
	const char *f = strstr(a.body, "action=\"/admin/calendar/activate\"");
	assert_non_null(f);
	assert_non_null(strstr(f, "<button type=\"submit\">启用</button>"));
	/* the checked text in the activation form's text area */
	assert_non_null(strstr(f, "name=\"text\">year 2027\nsource &quot;测试用的虚构安排"));
	free(a.body);
	nothing_written();

	/* 启用: the text area's text, no file chosen; a browser sends its line
	 * breaks as CRLF */
	struct rc_buf crlf;
	rc_buf_init(&crlf, 1u << 20);
	for (const char *c = y2027; *c; c++)
		assert_int_equal(
		    *c == '\n' ? rc_buf_puts(&crlf, "\r\n") : rc_buf_append(&crlf, c, 1), RC_OK);
	send_form("/admin/calendar/activate", t.csrf, rc_buf_str(&crlf), NULL, NULL, &a);
	rc_buf_free(&crlf);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "新的年份已启用，并写入日历目录和审计记录；"));
	assert_non_null(strstr(a.body,
			       "<tr><td>2027</td><td>测试用的虚构安排（并非国务院办公厅通知）"
			       "</td></tr>"));
	assert_null(strstr(a.body, "本次提交的文件")); /* none was */
	free(a.body);

	/* the file, its line breaks as written; the audit row */
	assert_int_equal(files_in_cdir(), 5);
	snprintf(path, sizeof(path), "%s/cn-2027.cal", t.cdir);
	char *s = slurp(path, &len);
	assert_int_equal(len, strlen(y2027));
	assert_memory_equal(s, y2027, len);
	free(s);
	assert_int_equal(activations(), 1);

	/* later requests take the new calendar: deadlines across New Year
	 * 2027 are counted on it (元旦 off), the old one is left as it was */
	const struct rc_cal *now = rc_web_app_cal(fx.app);
	int32_t due = 0;
	int warn = -1;
	assert_ptr_not_equal(now, fx.cal);
	assert_null(rc_cal_year_source(fx.cal, 2027));
	assert_int_equal(rc_cal_add_workdays(now, rc_date_from_ymd(2026, 12, 30), 5, &due, &warn),
			 RC_OK);
	assert_int_equal(due, rc_date_from_ymd(2027, 1, 7));
	assert_int_equal(warn, 0);
	struct answer g;
	get("/admin/calendar", &g);
	assert_int_equal(g.status, 200);
	assert_non_null(strstr(g.body, "<tr><td>2027</td>"));
	free(g.body);

	/* and 2027 is now a year in force */
	send_form("/admin/calendar/check", t.csrf, y2027, NULL, NULL, &a);
	assert_int_equal(a.status, 422);
	assert_non_null(strstr(a.body, "cn-2027.cal"));
	assert_non_null(strstr(a.body, "a correction is an edit of its file and a restart"));
	free(a.body);
	assert_int_equal(files_in_cdir(), 5);
	assert_int_equal(activations(), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_page_has_form),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_csrf),
	    cmocka_unit_test(test_not_now),
	    /* last: it activates 2027 */
	    cmocka_unit_test(test_check_then_activate),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
