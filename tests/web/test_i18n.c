/*
 * test_i18n.c -- the English pages (web/i18n.c, data/i18n-en.tsv).
 *
 * 1. Every Chinese text of the pages has its English: the test reads the
 *    page sources (the files of src/web/) with a small lexer of its own -- string
 *    literals, adjacent ones joined, split into the texts between tags,
 *    plus the values of title and placeholder attributes -- and fails for
 *    each text that is not a line of data/i18n-en.tsv, naming it.
 * 2. The page transform: texts and attributes in English, conversions
 *    matched and given back, data and what users typed left alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"

static const char *const sources[] = {"admin.c", "cases.c", "clarify.c", "form.c", "gate.c",
				      "html.c",  "login.c", "people.c",  NULL};

static int wide(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

static int missing;

/* Check one text: trimmed, and only when it holds a non-ASCII byte. */
static void check(const char *file, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\n' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t'))
		n--;
	if (!n || !wide(s, n))
		return;
	if (!rc_web_i18n_has(s, n)) {
		fprintf(stderr, "%s: no English for \"%.*s\" (data/i18n-en.tsv)\n", file, (int)n,
			s);
		missing++;
	}
}

/* The texts of one joined literal: between tags and template tags, and
 * the values of title= and placeholder= inside tags. */
static void texts(const char *file, const char *s, size_t n)
{
	size_t i = 0, start = 0;
	while (i < n) {
		if (s[i] == '<' || (s[i] == '{' && i + 1 < n && s[i + 1] == '{')) {
			check(file, s + start, i - start);
			const char *close =
			    s[i] == '<' ? memchr(s + i, '>', n - i) : strstr(s + i, "}}");
			size_t end = close ? (size_t)(close - s) + (s[i] == '<' ? 1 : 2) : n;
			static const char *const attrs[] = {"title=\"", "placeholder=\""};
			for (int k = 0; s[i] == '<' && k < 2; k++) {
				const char *a = s + i;
				size_t l = strlen(attrs[k]);
				for (; a + l <= s + end; a++)
					if (memcmp(a, attrs[k], l) == 0) {
						const char *v = a + l,
							   *q = memchr(v, '"',
								       (size_t)(s + end - v));
						if (q)
							check(file, v, (size_t)(q - v));
						break;
					}
			}
			i = start = end;
		} else {
			i++;
		}
	}
	check(file, s + start, n - start);
}

/* The string literals of a C file, adjacent ones joined, escapes decoded. */
static void scan(const char *name)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/src/web/%s", RC_SOURCE_DIR, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *src = malloc(1 << 20), *lit = malloc(1 << 20);
	assert_true(src && lit);
	size_t n = fread(src, 1, (1 << 20) - 1, f), ln = 0;
	fclose(f);
	src[n] = '\0';
	int in_lit = 0; /* 1: a literal is being joined */
	for (size_t i = 0; i < n;) {
		if (src[i] == '/' && src[i + 1] == '*') {
			const char *e = strstr(src + i + 2, "*/");
			i = e ? (size_t)(e - src) + 2 : n;
		} else if (src[i] == '/' && src[i + 1] == '/') {
			while (i < n && src[i] != '\n')
				i++;
		} else if (src[i] == '\'') {
			i++;
			while (i < n && src[i] != '\'')
				i += src[i] == '\\' ? 2 : 1;
			i++;
		} else if (src[i] == '"') {
			in_lit = 1;
			for (i++; i < n && src[i] != '"'; i++) {
				char c = src[i];
				if (c == '\\') {
					c = src[++i];
					c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
				}
				lit[ln++] = c;
			}
			i++;
		} else if (src[i] == ' ' || src[i] == '\n' || src[i] == '\t') {
			i++;
		} else {
			if (in_lit)
				texts(name, lit, ln);
			in_lit = 0;
			ln = 0;
			i++;
		}
	}
	if (in_lit)
		texts(name, lit, ln);
	free(src);
	free(lit);
}

static void test_every_text_has_english(void **state)
{
	(void)state;
	assert_true(rc_web_i18n_count() > 300);
	missing = 0;
	for (int i = 0; sources[i]; i++)
		scan(sources[i]);
	assert_int_equal(missing, 0);
	/* and the check can fail */
	check("test", "这一句没有英文", strlen("这一句没有英文"));
	assert_int_equal(missing, 1);
}

static char *page(const char *html)
{
	struct rc_buf b;
	rc_buf_init(&b, 1 << 20);
	assert_int_equal(rc_web_i18n_page(html, strlen(html), &b), RC_OK);
	char *s = strdup(rc_buf_str(&b));
	rc_buf_free(&b);
	return s;
}

static void expect(const char *in, const char *want)
{
	char *got = page(in);
	assert_string_equal(got, want);
	free(got);
}

static void test_transform(void **state)
{
	(void)state;
	expect("<h1>我的任务</h1>", "<h1>My tasks</h1>");
	/* white space around a text is kept */
	expect("<td>\n 已逾期 </td>", "<td>\n Overdue </td>");
	/* a conversion: the value given back as written (escaped) */
	expect("<span>办理期限 2026-01-02（已逾期）</span>",
	       "<span>Deadline 2026-01-02 (overdue)</span>");
	expect("<p>当前步骤由 a&amp;b、纪检 办理；您可以查阅案卷。</p>",
	       "<p>The current step is handled by a&amp;b、纪检; you may read the file.</p>");
	/* data is not a key: left alone */
	expect("<td>张三</td><td>东湖县</td>", "<td>张三</td><td>东湖县</td>");
	/* what users typed and what the engine wrote: never touched */
	expect("<textarea name=\"x\">是</textarea><pre>否</pre><td>否</td>",
	       "<textarea name=\"x\">是</textarea><pre>否</pre><td>No</td>");
	/* attributes: placeholder and title, not value */
	expect("<input placeholder=\"理由（必填）\" value=\"是\"><span title=\"必填\">*</span>",
	       "<input placeholder=\"Reason (required)\" value=\"是\"><span "
	       "title=\"Required\">*</span>");
	/* ASCII text and tags pass as they are */
	expect("<a href=\"/x?a=1&amp;b=2\">abc</a>", "<a href=\"/x?a=1&amp;b=2\">abc</a>");
	/* a text that only begins like a pattern does not match it */
	expect("<p>办理期限</p>", "<p>Deadline</p>");
}

/* A formatted text is never cut, however long (minutes of 4,000 bytes). */
static void test_textf_long(void **state)
{
	(void)state;
	size_t n = 5000;
	char *v = malloc(n + 1);
	struct rc_buf b;
	assert_non_null(v);
	memset(v, 'x', n);
	v[n - 3] = '<';
	memcpy(v + n - 2, "ZZ", 3);
	rc_buf_init(&b, 1 << 20);
	assert_int_equal(rc_web_textf(&b, "会议纪要：%s", v), RC_OK);
	/* the prefix, every byte, the last one escaped */
	assert_int_equal(b.len, strlen("会议纪要：") + n - 1 + strlen("&lt;"));
	assert_non_null(strstr(rc_buf_str(&b), "&lt;ZZ"));
	rc_buf_free(&b);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_textf_long),
	    cmocka_unit_test(test_every_text_has_english),
	    cmocka_unit_test(test_transform),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
