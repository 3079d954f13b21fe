/*
 * test_tmpl.c -- unit tests of the template renderer (web/tmpl.c) and the
 * CSRF tokens (web/session.c): escaping is the default and cannot be
 * skipped by accident, hostile values come out inert, template bugs are
 * errors, tokens bind to their session.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "web/web.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Render into a fresh buffer; the result (or NULL on error) stays in *b. */
static enum rc_err render(struct rc_buf *b, const char *t, const struct rc_tmpl_var *v, size_t n)
{
	rc_buf_init(b, 1 << 20);
	return rc_tmpl_render(b, t, v, n);
}

static void expect(const char *t, const struct rc_tmpl_var *v, size_t n, const char *want)
{
	struct rc_buf b;
	assert_int_equal(render(&b, t, v, n), RC_OK);
	assert_string_equal(rc_buf_str(&b), want);
	rc_buf_free(&b);
}

static void expect_err(const char *t, const struct rc_tmpl_var *v, size_t n, enum rc_err want)
{
	struct rc_buf b;
	assert_int_equal(render(&b, t, v, n), want);
	rc_buf_free(&b);
}

static void test_escape_every_special(void **state)
{
	(void)state;
	const struct rc_tmpl_var v[] = {RC_TMPL_TEXT("x", "a&b<c>d\"e'f")};
	expect("[{{x}}]", v, N(v), "[a&amp;b&lt;c&gt;d&quot;e&#39;f]");
}

static void test_hostile_values(void **state)
{
	(void)state;
	const struct rc_tmpl_var v[] = {
	    RC_TMPL_TEXT("s", "<script>alert(1)</script>"),
	    RC_TMPL_TEXT("a", "\" onmouseover=\"alert(1)"),
	    RC_TMPL_TEXT("q", "' autofocus onfocus='x"),
	    RC_TMPL_TEXT("t", "{{s}}"), /* a value is never a template */
	    RC_TMPL_TEXT("e", "&lt;already&gt;"),
	    RC_TMPL_TEXT("u", "javascript:alert(1)"),
	};
	expect("<p>{{s}}</p>", v, N(v), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	expect("<input value=\"{{a}}\">", v, N(v),
	       "<input value=\"&quot; onmouseover=&quot;alert(1)\">");
	expect("<input value='{{q}}'>", v, N(v), "<input value='&#39; autofocus onfocus=&#39;x'>");
	expect("{{t}}", v, N(v), "{{s}}");
	expect("{{e}}", v, N(v), "&amp;lt;already&amp;gt;"); /* escaped again: no double meaning */
	expect("{{u}}", v, N(v), "javascript:alert(1)");     /* text, inert outside an href */
}

static void test_utf8(void **state)
{
	(void)state;
	const struct rc_tmpl_var v[] = {
	    RC_TMPL_TEXT("ok", "张三 <某县>"),
	    RC_TMPL_TEXT("bad", "a\xff<\xc0\xafz\xe5\xbc"), /* invalid, overlong, truncated */
	};
	expect("{{ok}}", v, N(v), "张三 &lt;某县&gt;");
	expect("{{bad}}", v, N(v),
	       "a\xef\xbf\xbd&lt;\xef\xbf\xbd\xef\xbf\xbdz\xef\xbf\xbd\xef\xbf\xbd");
}

static void test_raw_needs_trust(void **state)
{
	(void)state;
	const struct rc_tmpl_var v[] = {
	    RC_TMPL_TEXT("user", "<b>"),
	    RC_TMPL_TRUSTED("frag", "<b>bold</b>"),
	};
	/* a trusted value is still escaped where the template does not ask */
	expect("{{frag}}", v, N(v), "&lt;b&gt;bold&lt;/b&gt;");
	expect("{{&frag}}", v, N(v), "<b>bold</b>");
	/* raw insertion of an untrusted value is refused, not done */
	expect_err("x{{&user}}", v, N(v), RC_ERR_USAGE);
}

static void test_sections(void **state)
{
	(void)state;
	const struct rc_tmpl_var v[] = {
	    RC_TMPL_TEXT("err", "<bad>"),
	    RC_TMPL_TEXT("none", ""),
	    {"null", NULL, 0},
	};
	expect("{{#err}}<p>{{err}}</p>{{/err}}.", v, N(v), "<p>&lt;bad&gt;</p>.");
	expect("{{#none}}x{{/none}}.", v, N(v), ".");
	expect("{{^none}}empty{{/none}}.", v, N(v), "empty.");
	expect("{{#null}}x{{/null}}{{null}}.", v, N(v), ".");
	expect("{{#err}}{{^none}}in{{/none}}{{/err}}", v, N(v), "in");
	expect("no tags { } }} {", v, N(v), "no tags { } }} {");
}

static void test_template_bugs(void **state)
{
	(void)state;
	const struct rc_tmpl_var v[] = {RC_TMPL_TEXT("a", "1")};
	expect_err("{{b}}", v, N(v), RC_ERR_NAME);
	expect_err("{{a", v, N(v), RC_ERR_SYNTAX);
	expect_err("{{}}", v, N(v), RC_ERR_SYNTAX);
	expect_err("{{#a}}never closed", v, N(v), RC_ERR_SYNTAX);
	expect_err("{{/a}}", v, N(v), RC_ERR_SYNTAX);
	expect_err("{{&}}", v, N(v), RC_ERR_SYNTAX);
	/* deeper than RC_TMPL_DEPTH_MAX */
	const struct rc_tmpl_var d[] = {
	    RC_TMPL_TEXT("a", "1"), RC_TMPL_TEXT("b", "1"), RC_TMPL_TEXT("c", "1"),
	    RC_TMPL_TEXT("d", "1"), RC_TMPL_TEXT("e", "1"), RC_TMPL_TEXT("f", "1"),
	    RC_TMPL_TEXT("g", "1"), RC_TMPL_TEXT("h", "1"), RC_TMPL_TEXT("i", "1"),
	};
	expect_err("{{#a}}{{#b}}{{#c}}{{#d}}{{#e}}{{#f}}{{#g}}{{#h}}{{#i}}x{{/i}}{{/h}}{{/g}}{{/f}}"
		   "{{/e}}{{/d}}{{/c}}{{/b}}{{/a}}",
		   d, N(d), RC_ERR_LIMIT);
}

static void test_output_cap(void **state)
{
	(void)state;
	struct rc_buf b;
	const struct rc_tmpl_var v[] = {RC_TMPL_TEXT("x", "<<<<<<<<<<")};
	rc_buf_init(&b, 16);
	assert_int_equal(rc_tmpl_render(&b, "{{x}}", v, N(v)), RC_ERR_LIMIT);
	rc_buf_free(&b);
}

static void test_tokens(void **state)
{
	(void)state;
	struct rc_web_app app;
	uint8_t key[RC_AUDIT_KEY_LEN] = {1, 2, 3};
	char t1[RC_WEB_TOKEN_HEX], t2[RC_WEB_TOKEN_HEX], t3[RC_WEB_TOKEN_HEX];
	const char *s1 = "0123456789abcdef0123456789abcdef",
		   *s2 = "0123456789abcdef0123456789abcdee";
	assert_int_equal(rc_web_app_init(&app, key, NULL, 0), RC_OK);
	assert_int_equal(app.lim.idle_s, RC_SESSION_IDLE);
	assert_int_equal(rc_web_token(&app, "session", s1, t1), RC_OK);
	assert_int_equal(rc_web_token(&app, "session", s2, t2), RC_OK);
	assert_int_equal(rc_web_token(&app, "pre", s1, t3), RC_OK);
	assert_int_equal(strlen(t1), 64);
	assert_string_not_equal(t1, t2);
	assert_string_not_equal(t1, t3); /* a pre-session token is not a session's */
	assert_true(rc_web_token_ok(&app, "session", s1, t1));
	assert_false(rc_web_token_ok(&app, "session", s2, t1));
	assert_false(rc_web_token_ok(&app, "pre", s1, t1));
	assert_false(rc_web_token_ok(&app, "session", s1, NULL));
	assert_false(rc_web_token_ok(&app, "session", s1, ""));
	t1[63] = t1[63] == '0' ? '1' : '0';
	assert_false(rc_web_token_ok(&app, "session", s1, t1));
	/* another data directory's key: other tokens */
	struct rc_web_app other;
	key[0] = 9;
	assert_int_equal(rc_web_app_init(&other, key, NULL, 0), RC_OK);
	assert_false(rc_web_token_ok(&other, "session", s2, t2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape_every_special),
	    cmocka_unit_test(test_hostile_values),
	    cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_raw_needs_trust),
	    cmocka_unit_test(test_sections),
	    cmocka_unit_test(test_template_bugs),
	    cmocka_unit_test(test_output_cap),
	    cmocka_unit_test(test_tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
