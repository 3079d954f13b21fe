/*
 * test_upload.c -- a policy version uploaded as a file: the page
 * /admin/policies and its forms sent as multipart/form-data, through the
 * real gate and page handler on a loopback server (tests/web/fixture.h).
 *
 * The 系统管理员 张三 checks zhejiang-2022-test.rcp chosen as a file, sees
 * the check's result and the file's name, and activates the text the
 * activation form carries; a file that is not UTF-8 is refused at its
 * field (400); the CSRF token is read from a multipart body like from an
 * urlencoded one, and a missing, wrong or unreadable one is refused before
 * anything is read or changed (403); a text pasted (with its line breaks)
 * still works without a file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include "core/buf.h"
#include "fixture.h"

#define PW       "correct horse battery staple"
#define BOUNDARY FX_BOUNDARY
#define MP_CT    "Content-Type: multipart/form-data; boundary=" BOUNDARY

static struct {
	char pdir[4300];             /* the policy directory versions are activated into */
	char sid[RC_SESSION_ID_HEX]; /* 张三's session */
	char csrf[RC_WEB_TOKEN_HEX]; /* its CSRF token */
	char *policy;                /* zhejiang-2022-test.rcp */
	size_t policy_len;
} t;

static char *slurp(const char *path, size_t *len)
{
	struct rc_buf b;
	rc_buf_init(&b, 4u << 20);
	fx_must(rc_buf_read_file(&b, path));
	*len = b.len;
	return b.data; /* the buffer's own memory: free() it */
}

static void copy_file(const char *from, const char *to)
{
	size_t len;
	char *s = slurp(from, &len);
	FILE *f = fopen(to, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(s);
}

static int setup(void **state)
{
	char path[4400];
	(void)state;
	fx_open("rc-upload", "policies/zhejiang-2023.rcp");
	/* the directory the server was started with holds the 2023 version
	 * only, so that the 2022 test version can be activated into it */
	snprintf(t.pdir, sizeof(t.pdir), "%s/policies", fx.dir);
	assert_int_equal(mkdir(t.pdir, 0700), 0);
	snprintf(path, sizeof(path), "%s/zhejiang-2023.rcp", t.pdir);
	copy_file(RC_SOURCE_DIR "/policies/zhejiang-2023.rcp", path);
	t.policy = slurp(RC_SOURCE_DIR "/policies/zhejiang-2022-test.rcp", &t.policy_len);

	fx_must(rc_proc_org_add(&fx.u, "cli", "P", "示例省", "province", NULL, fx_dg(), NULL));
	fx_must(rc_proc_user_add(&fx.u, "cli", "zhangsan", "张三", "P", "系统管理员", fx_dg()));
	fx_must(rc_proc_password_set(&fx.u, "cli", "zhangsan", PW, 0, NULL, fx_dg()));
	fx_login("zhangsan", PW, t.sid);
	fx_start();
	fx.app->policy_dir = t.pdir; /* as `serve --policy DIR` sets it */
	fx_must(rc_web_token(fx.app, "session", t.sid, t.csrf));
	return 0;
}

static int teardown(void **state)
{
	char cmd[4400];
	(void)state;
	/* the sets an activation published are the application's */
	rc_http_stop(fx.srv, 0, NULL);
	fx.srv = NULL;
	rc_web_app_done(fx.app);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t.pdir);
	assert_int_equal(system(cmd), 0);
	free(t.policy);
	fx_close();
	return 0;
}

/* ---- multipart bodies, as a browser builds them ------------------------ */

/* POST body b to path as 张三, with content type header `ct`. */
static void post(const char *path, const char *ct, const struct rc_buf *b, struct answer *a)
{
	char cookie[96];
	snprintf(cookie, sizeof(cookie), "Cookie: rc_session=%s", t.sid);
	const char *h[] = {ct, cookie, NULL};
	fx_http(fx.port, "POST", path, h, b->data ? b->data : "", b->len, a);
}

/* The whole form of the page: the token, the text area, the chooser. */
static void form(struct rc_buf *b, const char *csrf, const char *text, const char *filename,
		 const char *file, size_t file_len)
{
	rc_buf_init(b, 4u << 20);
	if (csrf)
		fx_part(b, "csrf", csrf, strlen(csrf));
	fx_part(b, "text", text, strlen(text));
	fx_file_part(b, filename, file, file_len);
	fx_part_end(b);
}

static int files_in_pdir(void)
{
	char cmd[4400];
	int n = -1;
	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", t.pdir);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

/* ---- the tests ----------------------------------------------------------- */

static void test_page_has_chooser(void **state)
{
	struct answer a;
	char cookie[96];
	(void)state;
	snprintf(cookie, sizeof(cookie), "Cookie: rc_session=%s", t.sid);
	const char *h[] = {cookie, NULL};
	fx_http(fx.port, "GET", "/admin/policies", h, "", 0, &a);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "enctype=\"multipart/form-data\""));
	assert_non_null(strstr(
	    a.body, "<input type=\"file\" id=\"policy-file\" name=\"file\" accept=\".rcp\">"));
	/* either will do: neither is required in the page */
	assert_null(strstr(a.body, "name=\"text\" required"));
	free(a.body);
}

/* Check a file, then activate what the activation form carries. */
static void test_check_then_activate(void **state)
{
	struct rc_buf b;
	struct answer a;
	(void)state;
	form(&b, t.csrf, "", "zhejiang-2022-test.rcp", t.policy, t.policy_len);
	post("/admin/policies/check", MP_CT, &b, &a);
	rc_buf_free(&b);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "检查通过，可以启用。"));
	assert_non_null(strstr(a.body, "本次提交的文件：<code>zhejiang-2022-test.rcp</code>"));
	/* the activation form, sent as multipart too, carries the checked
	 * text in its text area */
	const char *f = strstr(a.body, "action=\"/admin/policies\"");
	assert_non_null(f);
	assert_non_null(strstr(a.body, "enctype=\"multipart/form-data\" id=\"policy\" "
				       "action=\"/admin/policies\""));
	assert_non_null(strstr(f, "version      &quot;2022.01-test&quot;"));
	free(a.body);
	assert_int_equal(files_in_pdir(), 1);

	/* 启用: the text area's text, no file chosen; a browser sends the
	 * text area's line breaks as CRLF */
	struct rc_buf crlf;
	rc_buf_init(&crlf, 4u << 20);
	for (size_t i = 0; i < t.policy_len; i++)
		assert_int_equal(t.policy[i] == '\n' ? rc_buf_puts(&crlf, "\r\n")
						     : rc_buf_append(&crlf, t.policy + i, 1),
				 RC_OK);
	form(&b, t.csrf, rc_buf_str(&crlf), "", "", 0);
	rc_buf_free(&crlf);
	post("/admin/policies", MP_CT, &b, &a);
	rc_buf_free(&b);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "新版本已启用，并写入政策目录和审计记录。"));
	assert_non_null(strstr(a.body, "<td>2022.01-test</td>"));
	assert_null(strstr(a.body, "本次提交的文件")); /* none was */
	free(a.body);
	assert_int_equal(files_in_pdir(), 2);
}

static void test_not_utf8(void **state)
{
	struct rc_buf b;
	struct answer a;
	static const char gbk[] = "policy \xd5\xc5\xc8\xfd {}\n"; /* 张三 in GBK */
	(void)state;
	form(&b, t.csrf, "", "张三的政策.rcp", gbk, sizeof(gbk) - 1);
	post("/admin/policies/check", MP_CT, &b, &a);
	rc_buf_free(&b);
	assert_int_equal(a.status, 400);
	/* said next to the chooser, with the file's name */
	assert_non_null(strstr(a.body, "accept=\".rcp\">\n<p class=\"hint\">"));
	assert_non_null(strstr(a.body, "<p class=\"field-error\" role=\"alert\">"
				       "文件内容无法识别：须为 UTF-8 编码的文本文件。</p>"));
	assert_non_null(strstr(a.body, "本次提交的文件：<code>张三的政策.rcp</code>"));
	assert_null(strstr(a.body, "检查结果"));
	free(a.body);

	/* a file the form could not send again to activate: refused at once,
	 * at the chooser (the text area's cap is the same) */
	{
		size_t big = 950000;
		char *text = malloc(big);
		assert_non_null(text);
		memset(text, '#', big);
		text[big - 1] = '\n';
		form(&b, t.csrf, "", "big.rcp", text, big);
		free(text);
		post("/admin/policies/check", MP_CT, &b, &a);
		rc_buf_free(&b);
		assert_int_equal(a.status, 400);
		assert_non_null(strstr(a.body, "文件过大：最多 900000 字节。"));
		free(a.body);
	}

	/* a NUL makes no text either */
	static const char nul[] = "policy x {}\n\0";
	form(&b, t.csrf, "", "x.rcp", nul, sizeof(nul) - 1);
	post("/admin/policies/check", MP_CT, &b, &a);
	rc_buf_free(&b);
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.body, "文件内容无法识别"));
	free(a.body);
}

/* A file whose policy does not compile: the checker's messages, and which
 * file they are about; nothing can be activated from it. */
static void test_bad_policy_file(void **state)
{
	struct rc_buf b;
	struct answer a;
	static const char bad[] = "policy x {\n  version \"1\"\n  nonsense here\n}\n";
	(void)state;
	form(&b, t.csrf, "", "../../李四/坏的.rcp", bad, sizeof(bad) - 1);
	post("/admin/policies/check", MP_CT, &b, &a);
	rc_buf_free(&b);
	assert_int_equal(a.status, 422);
	assert_non_null(strstr(a.body, "检查未通过，请按下列信息修改。"));
	assert_non_null(strstr(a.body, "<ul class=\"diags\" id=\"diags\">"));
	/* the name shown, never the path it came with */
	assert_non_null(strstr(a.body, "本次提交的文件：<code>坏的.rcp</code>"));
	assert_null(strstr(a.body, "李四"));
	/* still the check's form: it has not passed */
	assert_null(strstr(a.body, "action=\"/admin/policies\""));
	free(a.body);
}

static void test_neither_text_nor_file(void **state)
{
	struct rc_buf b;
	struct answer a;
	(void)state;
	form(&b, t.csrf, "", "", "", 0);
	post("/admin/policies/check", MP_CT, &b, &a);
	rc_buf_free(&b);
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.body, "请粘贴政策文本，或选择政策文件。"));
	free(a.body);
}

/* The gate reads the token from the multipart body: absent, wrong, or in a
 * body it cannot read whole, the answer is 403 and nothing is read. */
static void test_csrf(void **state)
{
	struct rc_buf b;
	struct answer a;
	int before = files_in_pdir();
	(void)state;
	form(&b, NULL, "", "zhejiang-2022-test.rcp", t.policy, t.policy_len);
	post("/admin/policies/check", MP_CT, &b, &a);
	assert_int_equal(a.status, 403);
	assert_non_null(strstr(a.body, "请求未被接受"));
	free(a.body);
	rc_buf_free(&b);

	form(&b, "0000000000000000000000000000000000000000000000000000000000000000", "",
	     "zhejiang-2022-test.rcp", t.policy, t.policy_len);
	post("/admin/policies", MP_CT, &b, &a);
	assert_int_equal(a.status, 403);
	free(a.body);
	rc_buf_free(&b);

	/* the right token, but the body cut short before its close delimiter */
	form(&b, t.csrf, "", "zhejiang-2022-test.rcp", t.policy, t.policy_len);
	b.len -= 12;
	post("/admin/policies/check", MP_CT, &b, &a);
	assert_int_equal(a.status, 403);
	free(a.body);
	/* the right body under another boundary */
	post("/admin/policies/check", "Content-Type: multipart/form-data; boundary=other", &b, &a);
	assert_int_equal(a.status, 403);
	free(a.body);
	rc_buf_free(&b);

	/* the token twice: which one? */
	rc_buf_init(&b, 1 << 16);
	fx_part(&b, "csrf", t.csrf, strlen(t.csrf));
	fx_part(&b, "csrf", t.csrf, strlen(t.csrf));
	fx_part(&b, "text", "x", 1);
	fx_part_end(&b);
	post("/admin/policies/check", MP_CT, &b, &a);
	assert_int_equal(a.status, 403);
	free(a.body);
	rc_buf_free(&b);
	assert_int_equal(files_in_pdir(), before);
}

/* The file chooser twice in one body: said at the field. */
static void test_file_twice(void **state)
{
	struct rc_buf b;
	struct answer a;
	(void)state;
	rc_buf_init(&b, 1 << 20);
	fx_part(&b, "csrf", t.csrf, strlen(t.csrf));
	fx_file_part(&b, "a.rcp", "x", 1);
	fx_file_part(&b, "b.rcp", "y", 1);
	fx_part_end(&b);
	post("/admin/policies/check", MP_CT, &b, &a);
	rc_buf_free(&b);
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.body, "文件无法读取，请重新选择。"));
	free(a.body);
}

/* A pasted text, urlencoded as a form without a file sends it, keeps its
 * line breaks: checked as before the chooser existed. */
static void test_pasted_text(void **state)
{
	struct rc_buf b;
	struct answer a;
	static const char hex[] = "0123456789ABCDEF";
	(void)state;
	rc_buf_init(&b, 4u << 20);
	assert_int_equal(rc_buf_printf(&b, "csrf=%s&text=", t.csrf), RC_OK);
	for (size_t i = 0; i < t.policy_len; i++) {
		unsigned char c = (unsigned char)t.policy[i];
		char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
		if (c == '\n')
			assert_int_equal(rc_buf_puts(&b, "%0D%0A"), RC_OK);
		else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			assert_int_equal(rc_buf_append(&b, t.policy + i, 1), RC_OK);
		else
			assert_int_equal(rc_buf_append(&b, esc, 3), RC_OK);
	}
	post("/admin/policies/check", "Content-Type: application/x-www-form-urlencoded", &b, &a);
	rc_buf_free(&b);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "检查通过，可以启用。"));
	assert_null(strstr(a.body, "本次提交的文件"));
	free(a.body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_page_has_chooser),
	    cmocka_unit_test(test_not_utf8),
	    cmocka_unit_test(test_bad_policy_file),
	    cmocka_unit_test(test_neither_text_nor_file),
	    cmocka_unit_test(test_csrf),
	    cmocka_unit_test(test_file_twice),
	    cmocka_unit_test(test_pasted_text),
	    /* last: it activates the 2022 version */
	    cmocka_unit_test(test_check_then_activate),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
