/*
 * test_lexer.c -- unit tests of rc_lex (policy text to tokens).
 *
 * Expected positions are computed by the test from the byte offset of each
 * token's text: the line is one more than the newlines before it, the
 * column one more than the code points (non-continuation bytes) between
 * the line start and the token.  That is the definition of §1 of
 * docs/policy-language.md, worked out independently of the lexer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "policy/policy_int.h"

struct lexed {
	struct rc_arena a;
	struct rc_diags *d;
	struct token *t;
	int n;
	int structural; /* braces do not match */
	enum rc_err e;
};

static void lex_n(struct lexed *l, const char *s, size_t len)
{
	rc_arena_init(&l->a, 0);
	l->d = malloc(sizeof(*l->d));
	assert_non_null(l->d);
	rc_diags_init(l->d, "t.rcp");
	l->structural = -1;
	l->e = rc_lex(&l->a, s, len, l->d, &l->t, &l->n, &l->structural);
}

static void lex(struct lexed *l, const char *s)
{
	lex_n(l, s, strlen(s));
}

static void lex_done(struct lexed *l)
{
	rc_arena_free(&l->a);
	free(l->d);
}

/* Line and column of byte `off` in `s`, counted in code points. */
static void pos_of(const char *s, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

struct want {
	enum tok t;
	const char *text; /* as written in the source, to find its offset */
};

/* Check that `src` lexes to exactly `w` (then EOF), each token at the
 * position of its text. */
static void expect_tokens(const char *src, const struct want *w, int n)
{
	struct lexed l;
	lex(&l, src);
	if (l.e != RC_OK)
		rc_diags_print(l.d, stderr);
	assert_int_equal(l.e, RC_OK);
	assert_int_equal(l.d->count, 0);
	assert_int_equal(l.n, n + 1);
	size_t from = 0;
	for (int i = 0; i < n; i++) {
		const char *at = strstr(src + from, w[i].text);
		assert_non_null(at);
		size_t off = (size_t)(at - src);
		from = off + strlen(w[i].text);
		int line, col;
		pos_of(src, off, &line, &col);
		if (l.t[i].t != w[i].t || l.t[i].line != line || l.t[i].col != col)
			fail_msg("token %d '%s': kind %s at %d:%d, want %s at %d:%d", i, w[i].text,
				 rc_tok_name(l.t[i].t), l.t[i].line, l.t[i].col,
				 rc_tok_name(w[i].t), line, col);
	}
	assert_int_equal(l.t[n].t, T_EOF);
	lex_done(&l);
}

/* The first error diagnostic must be at the position of `needle` in `src`
 * (its first occurrence) and its message must contain `msg`. */
static void expect_error_at_off(const char *src, size_t len, size_t off, const char *msg)
{
	struct lexed l;
	lex_n(&l, src, len);
	assert_int_not_equal(l.e, RC_OK);
	assert_true(l.d->errors > 0);
	int line, col;
	pos_of(src, off, &line, &col);
	const struct rc_diag *g = &l.d->items[0];
	if (g->line != line || g->col != col || !strstr(g->msg, msg))
		fail_msg("diag %d:%d '%s', want %d:%d containing '%s'", g->line, g->col, g->msg,
			 line, col, msg);
	lex_done(&l);
}

static void expect_error_at(const char *src, size_t len, const char *needle, const char *msg)
{
	const char *at = strstr(src, needle);
	assert_non_null(at);
	expect_error_at_off(src, len, (size_t)(at - src), msg);
}

/* ---- tokens --------------------------------------------------------- */

static void lex_identifiers(void **state)
{
	(void)state;
	const char *src = "营商环境探索 S1-1 E_5 _x a1 谋取私利2 x-y-z";
	static const char *const names[] = {"营商环境探索", "S1-1",      "E_5",  "_x",
					    "a1",           "谋取私利2", "x-y-z"};
	struct want w[7];
	for (int i = 0; i < 7; i++)
		w[i] = (struct want){T_IDENT, names[i]};
	expect_tokens(src, w, 7);
	struct lexed l;
	lex(&l, src);
	for (int i = 0; i < 7; i++)
		assert_string_equal(l.t[i].s, names[i]);
	lex_done(&l);
}

/* An identifier is cut at Chinese punctuation, which is an error outside
 * strings; full-width forms and curly quotes get their own messages. */
static void lex_chinese_punctuation(void **state)
{
	(void)state;
	const char *s1 = "谋取私利、损失";
	expect_error_at(s1, strlen(s1), "、", "Chinese punctuation");
	const char *s2 = "甲\xEF\xBC\x8C乙"; /* U+FF0C full-width comma */
	expect_error_at(s2, strlen(s2), "\xEF\xBC\x8C", "full-width");
	const char *s3 = "title \xE2\x80\x9C标题\xE2\x80\x9D"; /* curly quotes */
	expect_error_at(s3, strlen(s3), "\xE2\x80\x9C", "curly quote");
	/* the identifier before the punctuation is still a token */
	struct lexed l;
	lex(&l, s1);
	assert_int_equal(l.t[0].t, T_IDENT);
	assert_string_equal(l.t[0].s, "谋取私利");
	lex_done(&l);
}

static void lex_strings(void **state)
{
	(void)state;
	const char *src = "\"a\\\"b\\\\c\\nd\\te\" \"中文“引号”\" \"\" x";
	struct want w[] = {
	    {T_STRING, "\"a"},
	    {T_STRING, "\"中文"},
	    {T_STRING, "\"\""},
	    {T_IDENT, "x"},
	};
	expect_tokens(src, w, 4);
	struct lexed l;
	lex(&l, src);
	assert_string_equal(l.t[0].s, "a\"b\\c\nd\te");
	assert_string_equal(l.t[1].s, "中文“引号”");
	assert_string_equal(l.t[2].s, "");
	lex_done(&l);
}

static void lex_string_errors(void **state)
{
	(void)state;
	const char *s1 = "x \"abc\\q\" y";
	expect_error_at(s1, strlen(s1), "\\q", "unknown escape");
	const char *s2 = "a\n  \"never closed";
	expect_error_at(s2, strlen(s2), "\"", "not closed");
	const char *s3 = "\"over\nlines\"";
	expect_error_at(s3, strlen(s3), "\"over", "not closed");
}

/* Strings are capped at RC_MAX_STRING bytes: the cap itself is fine. */
static void lex_string_limit(void **state)
{
	(void)state;
	struct rc_buf b;
	rc_buf_init(&b, 0);
	assert_int_equal(rc_buf_puts(&b, "\""), RC_OK);
	for (int i = 0; i < RC_MAX_STRING; i++)
		assert_int_equal(rc_buf_puts(&b, "s"), RC_OK);
	assert_int_equal(rc_buf_puts(&b, "\""), RC_OK);
	struct lexed l;
	lex(&l, rc_buf_str(&b));
	assert_int_equal(l.e, RC_OK);
	assert_int_equal(strlen(l.t[0].s), RC_MAX_STRING);
	lex_done(&l);

	rc_buf_reset(&b);
	assert_int_equal(rc_buf_puts(&b, "x \""), RC_OK);
	for (int i = 0; i <= RC_MAX_STRING; i++)
		assert_int_equal(rc_buf_puts(&b, "s"), RC_OK);
	assert_int_equal(rc_buf_puts(&b, "\""), RC_OK);
	expect_error_at(rc_buf_str(&b), b.len, "\"", "longer than");
	rc_buf_free(&b);
}

/* After an over-long string is skipped, tokens later on the same line must
 * still be at their true columns: the skip has to count code points too. */
static void lex_columns_after_long_string(void **state)
{
	(void)state;
	struct rc_buf b;
	rc_buf_init(&b, 0);
	assert_int_equal(rc_buf_puts(&b, "x \""), RC_OK);
	for (int i = 0; i < 2000; i++)
		assert_int_equal(rc_buf_puts(&b, "文字"), RC_OK); /* 12000 bytes */
	assert_int_equal(rc_buf_puts(&b, "\" y !"), RC_OK);
	const char *src = rc_buf_str(&b);
	struct lexed l;
	lex(&l, src);
	/* collect, free, then judge: a failure must not leak */
	int y_line, y_col, x_line, x_col;
	pos_of(src, (size_t)(strstr(src, "\" y") + 2 - src), &y_line, &y_col);
	pos_of(src, b.len - 1, &x_line, &x_col);
	enum rc_err e = l.e;
	int y = -1; /* the token of 'y' (a stand-in for the string may precede it) */
	for (int i = 0; i < l.n; i++)
		if (l.t[i].t == T_IDENT && l.t[i].s && strcmp(l.t[i].s, "y") == 0)
			y = i;
	int is_y = y >= 0;
	int got_line = is_y ? l.t[y].line : 0, got_col = is_y ? l.t[y].col : 0;
	int n_diags = l.d->count;
	int d_line = n_diags > 1 ? l.d->items[1].line : 0;
	int d_col = n_diags > 1 ? l.d->items[1].col : 0;
	lex_done(&l);
	rc_buf_free(&b);
	assert_int_not_equal(e, RC_OK);
	assert_true(is_y);
	if (got_line != y_line || got_col != y_col)
		fail_msg("'y' at %d:%d, want %d:%d", got_line, got_col, y_line, y_col);
	/* the second error, at '!', must point at it */
	assert_int_equal(n_diags, 2);
	if (d_line != x_line || d_col != x_col)
		fail_msg("'!' reported at %d:%d, want %d:%d", d_line, d_col, x_line, x_col);
}

static void lex_integers(void **state)
{
	(void)state;
	const char *src = "0 42 -7 999999999999999 -999999999999999 x -1 a-1";
	static const int64_t vals[] = {0, 42, -7, 999999999999999LL, -999999999999999LL};
	struct want w[] = {
	    {T_INT, "0"},
	    {T_INT, "42"},
	    {T_INT, "-7"},
	    {T_INT, "999999999999999"},
	    {T_INT, "-999999999999999"},
	    {T_IDENT, "x"},
	    {T_INT, "-1"},
	    {T_IDENT, "a-1"},
	};
	expect_tokens(src, w, 8);
	struct lexed l;
	lex(&l, src);
	for (int i = 0; i < 5; i++)
		assert_int_equal(l.t[i].i, vals[i]);
	assert_int_equal(l.t[6].i, -1);
	assert_string_equal(l.t[7].s, "a-1"); /* '-' continues a name */
	lex_done(&l);

	const char *s2 = "n 1234567890123456";
	expect_error_at(s2, strlen(s2), "1234", "more than 15 digits");
	const char *s3 = "period 12months";
	expect_error_at(s3, strlen(s3), "12", "followed by a space");
	const char *s4 = "period 5个";
	expect_error_at(s4, strlen(s4), "5", "followed by a space");
}

static void lex_dates(void **state)
{
	(void)state;
	const char *src = "effective 2024-02-29 until 2199-12-31 1900-01-01";
	struct want w[] = {
	    {T_IDENT, "effective"}, {T_DATE, "2024-02-29"}, {T_IDENT, "until"},
	    {T_DATE, "2199-12-31"}, {T_DATE, "1900-01-01"},
	};
	expect_tokens(src, w, 5);
	struct lexed l;
	lex(&l, src);
	assert_int_equal(l.t[1].i, rc_date_from_ymd(2024, 2, 29));
	assert_int_equal(l.t[3].i, rc_date_from_ymd(2199, 12, 31));
	assert_int_equal(l.t[4].i, rc_date_from_ymd(1900, 1, 1));
	lex_done(&l);

	static const char *const bad[] = {"2023-02-29", "1899-12-31", "2200-01-01", "2023-13-01",
					  "2023-04-31"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char s[64];
		snprintf(s, sizeof(s), "effective\n  %s", bad[i]);
		expect_error_at(s, strlen(s), bad[i], "not a real date");
	}
}

static void lex_operators(void **state)
{
	(void)state;
	const char *src = "a==b != <= >= < > | = { } ( ) , ; :";
	struct want w[] = {
	    {T_IDENT, "a"},  {T_EQ, "=="},    {T_IDENT, "b"},  {T_NE, "!="},    {T_LE, "<="},
	    {T_GE, ">="},    {T_LT, "<"},     {T_GT, ">"},     {T_BAR, "|"},    {T_ASSIGN, "="},
	    {T_LBRACE, "{"}, {T_RBRACE, "}"}, {T_LPAREN, "("}, {T_RPAREN, ")"}, {T_COMMA, ","},
	    {T_SEMI, ";"},   {T_COLON, ":"},
	};
	expect_tokens(src, w, (int)(sizeof(w) / sizeof(w[0])));
	const char *s2 = "a ! b";
	expect_error_at(s2, strlen(s2), "!", "unexpected character");
	const char *s3 = "a @";
	expect_error_at(s3, strlen(s3), "@", "unexpected character");
}

/* Columns count code points, so a token after Chinese text is reported at
 * the character an editor shows, over several lines. */
static void lex_positions_chinese(void **state)
{
	(void)state;
	const char *src = "fact 谋取私利 : bool { label \"是否谋取私利\" }  # 注释,不是记号\n"
			  "\tcondition 纪法红线之内 { when 案件来源 == 巡视巡察 }\n"
			  "\n"
			  "  rule 规则 { when 损失金额 >= -5 }";
	struct want w[] = {
	    {T_IDENT, "fact"},      {T_IDENT, "谋取私利"},
	    {T_COLON, ":"},         {T_IDENT, "bool"},
	    {T_LBRACE, "{"},        {T_IDENT, "label"},
	    {T_STRING, "\"是否"},   {T_RBRACE, "}"},
	    {T_IDENT, "condition"}, {T_IDENT, "纪法红线之内"},
	    {T_LBRACE, "{"},        {T_IDENT, "when"},
	    {T_IDENT, "案件来源"},  {T_EQ, "=="},
	    {T_IDENT, "巡视巡察"},  {T_RBRACE, "}"},
	    {T_IDENT, "rule"},      {T_IDENT, "规则"},
	    {T_LBRACE, "{"},        {T_IDENT, "when"},
	    {T_IDENT, "损失金额"},  {T_GE, ">="},
	    {T_INT, "-5"},          {T_RBRACE, "}"},
	};
	expect_tokens(src, w, (int)(sizeof(w) / sizeof(w[0])));
}

/* A UTF-8 byte-order mark is skipped and does not shift the columns. */
static void lex_bom(void **state)
{
	(void)state;
	const char *src = "\xEF\xBB\xBFpolicy 浙江 {\n}";
	struct lexed l;
	lex(&l, src);
	assert_int_equal(l.e, RC_OK);
	assert_int_equal(l.n, 5);
	assert_int_equal(l.t[0].t, T_IDENT);
	assert_string_equal(l.t[0].s, "policy");
	assert_int_equal(l.t[0].line, 1);
	assert_int_equal(l.t[0].col, 1);
	assert_int_equal(l.t[1].col, 8);
	assert_int_equal(l.t[2].col, 11);
	lex_done(&l);
	/* a BOM anywhere else is not whitespace */
	const char *s2 = "a \xEF\xBB\xBF";
	expect_error_at(s2, strlen(s2), "\xEF\xBB\xBF", "unexpected character");
}

static void lex_comments(void **state)
{
	(void)state;
	const char *src = "a # b \"c\" { 注释 \xEF\xBC\x8C\nd#e\n# whole line\n  f # at eof";
	struct want w[] = {{T_IDENT, "a"}, {T_IDENT, "d"}, {T_IDENT, "f"}};
	expect_tokens(src, w, 3);
	struct lexed l;
	lex(&l, "# only a comment");
	assert_int_equal(l.e, RC_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.t[0].t, T_EOF);
	lex_done(&l);
}

/* Each token records the brace depth; a '{' and its '}' share one. */
static void lex_depth(void **state)
{
	(void)state;
	struct lexed l;
	lex(&l, "a { b { c } d } e");
	assert_int_equal(l.e, RC_OK);
	static const int ident_depth[] = {0, 1, 2, 1, 0}; /* a b c d e */
	int k = 0, stack[8], sp = 0;
	for (int i = 0; i < l.n; i++) {
		if (l.t[i].t == T_IDENT)
			assert_int_equal(l.t[i].depth, ident_depth[k++]);
		else if (l.t[i].t == T_LBRACE)
			stack[sp++] = l.t[i].depth;
		else if (l.t[i].t == T_RBRACE)
			assert_int_equal(l.t[i].depth, stack[--sp]);
	}
	assert_int_equal(k, 5);
	assert_int_equal(sp, 0);
	lex_done(&l);
}

static void lex_error_positions(void **state)
{
	(void)state;
	const char *s1 = "a\n  b $";
	expect_error_at(s1, strlen(s1), "$", "unexpected character");
	const char *s2 = "ab\n中\xC0\x80";
	expect_error_at(s2, strlen(s2), "\xC0", "invalid UTF-8");
	const char *s3 = "x {\n y {\n }";
	expect_error_at(s3, strlen(s3), "{", "never closed");
	const char *s4 = "a }";
	expect_error_at(s4, strlen(s4), "}", "without a matching");
	const char *s5 = "名字 \xED\xA0\x80";
	expect_error_at(s5, strlen(s5), "\xED", "invalid UTF-8");
	/* an embedded NUL byte is reported, not taken for the end */
	const char s6[] = "ab\0cd";
	expect_error_at_off(s6, sizeof(s6) - 1, 2, "unexpected character");
}

/* Unbalanced braces are structural: the parser is not run on them.  Other
 * errors are not. */
static void lex_structural(void **state)
{
	(void)state;
	static const struct {
		const char *src;
		int ok, structural;
	} cases[] = {
	    {"a { b { c } }", 1, 0}, {"a $ { b }", 0, 0},  {"x { y", 0, 1},
	    {"x } y", 0, 1},         {"x { \"}\" ", 0, 1}, {"# }\n{ }", 1, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lexed l;
		lex(&l, cases[i].src);
		enum rc_err e = l.e;
		int st = l.structural;
		lex_done(&l);
		if ((e == RC_OK) != cases[i].ok || st != cases[i].structural)
			fail_msg("'%s': %s, structural %d", cases[i].src, rc_strerror(e), st);
	}
}

/* A rejected piece of text is replaced by a token of the kind that was
 * meant, marked bad, so that the parser reports nothing more about it. */
static void lex_stand_ins(void **state)
{
	(void)state;
	static const struct {
		const char *src;
		enum tok t; /* of the second token */
	} cases[] = {
	    {"甲、乙", T_COMMA},
	    {"甲\xEF\xBC\x8C乙", T_COMMA},     /* full-width comma */
	    {"known\xEF\xBC\x88x)", T_LPAREN}, /* full-width ( */
	    {"x \xEF\xBC\x9A bool", T_COLON},  /* full-width : */
	    {"period 12months", T_INT},
	    {"until 2023-02-30", T_DATE},
	    {"n 1234567890123456", T_INT},
	    {"title \"open", T_STRING},
	    {"title \xE2\x80\x9C标题\xE2\x80\x9D", T_STRING},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lexed l;
		lex(&l, cases[i].src);
		enum rc_err e = l.e;
		int n = l.n, errors = l.d->errors;
		struct token first = l.t[0], second = l.t[n > 1 ? 1 : 0];
		lex_done(&l);
		if (e == RC_OK || errors != 1)
			fail_msg("'%s': %s with %d errors, want one error", cases[i].src,
				 rc_strerror(e), errors);
		if (first.bad || n < 3 || second.t != cases[i].t || !second.bad)
			fail_msg("'%s': second token %s (bad %d), want a bad %s", cases[i].src,
				 rc_tok_name(second.t), second.bad, rc_tok_name(cases[i].t));
	}
	/* the stand-in keeps what can be kept: the number, the curly string */
	struct lexed l;
	lex(&l, "period 12months");
	assert_int_equal(l.t[1].i, 12);
	assert_int_equal(l.t[2].t, T_IDENT);
	assert_string_equal(l.t[2].s, "months");
	lex_done(&l);
	lex(&l, "title \xE2\x80\x9C标题\xE2\x80\x9D x");
	assert_string_equal(l.t[1].s, "标题");
	assert_int_equal(l.t[2].t, T_IDENT);
	lex_done(&l);
}

/* Names are at most RC_MAX_IDENT bytes: 42 ideographs (126 bytes) pass,
 * 43 (129 bytes) do not. */
static void lex_ident_limit(void **state)
{
	(void)state;
	struct rc_buf b;
	rc_buf_init(&b, 0);
	for (int i = 0; i < RC_MAX_IDENT / 3; i++)
		assert_int_equal(rc_buf_puts(&b, "名"), RC_OK);
	struct lexed l;
	lex(&l, rc_buf_str(&b));
	assert_int_equal(l.e, RC_OK);
	assert_string_equal(l.t[0].s, rc_buf_str(&b));
	lex_done(&l);
	assert_int_equal(rc_buf_puts(&b, "名"), RC_OK);
	assert_true(b.len > RC_MAX_IDENT);
	expect_error_at(rc_buf_str(&b), b.len, "名", "name longer than");
	rc_buf_free(&b);
}

/* Failing each allocation of the lexer in turn (SQLite-style): the lexer
 * either succeeds with every name and string present, or reports
 * RC_ERR_NOMEM.  It must never return success with a NULL name, which the
 * parser would dereference. */
static void lex_out_of_memory(void **state)
{
	(void)state;
	const char *src =
	    "policy t { title \"标题\" version \"1\" } fact 甲 : bool { label \"甲\" }";
	int done = 0;
	char problem[160] = "";
	for (int n = 1; n < 200 && !done; n++) {
		struct lexed l;
		rc_arena_init(&l.a, 0);
		l.a.fail_after = n;
		l.d = malloc(sizeof(*l.d));
		assert_non_null(l.d);
		rc_diags_init(l.d, "t.rcp");
		l.e = rc_lex(&l.a, src, strlen(src), l.d, &l.t, &l.n, NULL);
		done = l.a.fail_after > 0; /* fewer than n allocations: no failure */
		if (l.e == RC_OK) {
			for (int i = 0; i < l.n && !problem[0]; i++)
				if ((l.t[i].t == T_IDENT || l.t[i].t == T_STRING) && !l.t[i].s)
					snprintf(problem, sizeof(problem),
						 "allocation %d failed: token %d has no text, yet "
						 "rc_lex returned RC_OK",
						 n, i);
		} else if (l.e != RC_ERR_NOMEM && !problem[0]) {
			snprintf(problem, sizeof(problem),
				 "allocation %d failed: rc_lex returned %s, want out of memory", n,
				 rc_strerror(l.e));
		}
		lex_done(&l);
	}
	if (problem[0])
		fail_msg("%s", problem);
	assert_true(done);
}

static void lex_tok_names(void **state)
{
	(void)state;
	for (int i = T_EOF; i <= T_BAR; i++) {
		const char *a = rc_tok_name((enum tok)i);
		assert_non_null(a);
		assert_string_not_equal(a, "?");
		for (int j = T_EOF; j < i; j++)
			assert_string_not_equal(a, rc_tok_name((enum tok)j));
	}
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lex_identifiers),
		cmocka_unit_test(lex_chinese_punctuation),
		cmocka_unit_test(lex_strings),
		cmocka_unit_test(lex_string_errors),
		cmocka_unit_test(lex_string_limit),
		cmocka_unit_test(lex_columns_after_long_string),
		cmocka_unit_test(lex_integers),
		cmocka_unit_test(lex_dates),
		cmocka_unit_test(lex_operators),
		cmocka_unit_test(lex_positions_chinese),
		cmocka_unit_test(lex_bom),
		cmocka_unit_test(lex_comments),
		cmocka_unit_test(lex_depth),
		cmocka_unit_test(lex_error_positions),
		cmocka_unit_test(lex_structural),
		cmocka_unit_test(lex_stand_ins),
		cmocka_unit_test(lex_ident_limit),
		cmocka_unit_test(lex_out_of_memory),
		cmocka_unit_test(lex_tok_names),
	};
	/* clang-format on */
	return cmocka_run_group_tests_name("lexer", tests, NULL, NULL);
}
