/*
 * test_core.c -- unit tests of the core module: arena, buf, utf8, date,
 * diag and err.
 *
 * Each test states a behaviour and checks it against an expectation worked
 * out independently of the code under test (the calendar from first
 * principles, byte patterns written by the test itself, ...).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/diag.h"
#include "core/err.h"
#include "core/utf8.h"

/* ---- arena ---------------------------------------------------------- */

/* Every block handed out is aligned for any type, whatever the request
 * sizes before it. */
static void arena_alignment(void **state)
{
	(void)state;
	struct rc_arena a;
	rc_arena_init(&a, 0);
	for (size_t n = 1; n < 300; n += 7) {
		void *p = rc_arena_alloc(&a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
	}
	rc_arena_free(&a);
}

/* Memory comes back zeroed even when malloc recycles dirty memory: fill an
 * arena with a pattern, free it, and allocate the same sizes again. */
static void arena_zeroing(void **state)
{
	(void)state;
	struct rc_arena a;
	rc_arena_init(&a, 0);
	for (int i = 0; i < 64; i++) {
		unsigned char *p = rc_arena_alloc(&a, 1000);
		assert_non_null(p);
		memset(p, 0xAA, 1000);
	}
	rc_arena_free(&a);
	rc_arena_init(&a, 0);
	for (int i = 0; i < 64; i++) {
		unsigned char *p = rc_arena_alloc(&a, 1000);
		assert_non_null(p);
		for (int j = 0; j < 1000; j++)
			assert_int_equal(p[j], 0);
	}
	rc_arena_free(&a);
}

/* A wipe zeroes every byte handed out, in every block, before the free. */
static void arena_wipe(void **state)
{
	(void)state;
	struct rc_arena a;
	unsigned char *p[40];
	rc_arena_init(&a, 0);
	for (int i = 0; i < 40; i++) { /* several blocks */
		p[i] = rc_arena_alloc(&a, 700);
		assert_non_null(p[i]);
		memset(p[i], 0x5A, 700);
	}
	rc_arena_wipe(&a);
	for (int i = 0; i < 40; i++)
		for (int j = 0; j < 700; j++)
			assert_int_equal(p[i][j], 0);
	rc_arena_free(&a);
	rc_arena_wipe(NULL);
}

/* Many allocations across several blocks never overlap: each keeps the
 * pattern written into it. */
static void arena_no_overlap(void **state)
{
	(void)state;
	enum { N = 5000, SZ = 100 };
	struct rc_arena a;
	unsigned char **ps = calloc(N, sizeof(*ps));
	assert_non_null(ps);
	rc_arena_init(&a, 0);
	for (int i = 0; i < N; i++) {
		ps[i] = rc_arena_alloc(&a, SZ);
		assert_non_null(ps[i]);
		memset(ps[i], i & 0xFF, SZ);
	}
	for (int i = 0; i < N; i++)
		for (int j = 0; j < SZ; j++)
			assert_int_equal(ps[i][j], i & 0xFF);
	rc_arena_free(&a);
	free(ps);
}

/* A cap bounds the total: a request that would pass it is refused, and the
 * arena stays usable for requests that still fit. */
static void arena_cap_refusal(void **state)
{
	(void)state;
	struct rc_arena a;
	rc_arena_init(&a, 4096);
	assert_null(rc_arena_alloc(&a, 5000));
	assert_non_null(rc_arena_alloc(&a, 2000));
	assert_null(rc_arena_alloc(&a, 3000));
	assert_non_null(rc_arena_alloc(&a, 1000));
	assert_true(a.used_total <= a.cap);
	rc_arena_free(&a);

	rc_arena_init(&a, 100);
	assert_null(rc_arena_alloc(&a, 101));
	rc_arena_free(&a);
}

/* fail_after = N fails exactly the Nth allocation, and only that one. */
static void arena_fail_after(void **state)
{
	(void)state;
	for (int n = 1; n <= 5; n++) {
		struct rc_arena a;
		rc_arena_init(&a, 0);
		a.fail_after = n;
		for (int i = 1; i <= 8; i++) {
			void *p = rc_arena_alloc(&a, 16);
			if (i == n)
				assert_null(p);
			else
				assert_non_null(p);
		}
		rc_arena_free(&a);
	}
}

/* A big one-off block is usable in full and does not waste the head: the
 * next small allocation continues right after the previous small one. */
static void arena_big_block(void **state)
{
	(void)state;
	struct rc_arena a;
	rc_arena_init(&a, 0);
	char *p1 = rc_arena_alloc(&a, 16);
	assert_non_null(p1);
	size_t big_n = (size_t)3 << 20;
	unsigned char *big = rc_arena_alloc(&a, big_n);
	assert_non_null(big);
	for (size_t i = 0; i < big_n; i += 4093)
		assert_int_equal(big[i], 0);
	memset(big, 0x5A, big_n);
	char *p3 = rc_arena_alloc(&a, 16);
	assert_non_null(p3);
	assert_true(p3 > p1);
	assert_true(p3 - p1 <= 64);
	/* the big block is not overwritten by the small ones */
	memset(p3, 0, 16);
	assert_int_equal(big[0], 0x5A);
	assert_int_equal(big[big_n - 1], 0x5A);
	rc_arena_free(&a);
}

/* Sizes that overflow are refused rather than wrapped. */
static void arena_overflow(void **state)
{
	(void)state;
	struct rc_arena a;
	rc_arena_init(&a, 0);
	assert_null(rc_arena_array(&a, SIZE_MAX / 2, 4));
	assert_null(rc_arena_alloc(&a, SIZE_MAX - 3));
	assert_null(rc_arena_strndup(&a, "x", SIZE_MAX));
	int *v = rc_arena_array(&a, 10, sizeof(int));
	assert_non_null(v);
	for (int i = 0; i < 10; i++)
		assert_int_equal(v[i], 0);
	rc_arena_free(&a);
}

/* strndup copies exactly len bytes (the source need not be terminated)
 * and appends a NUL; strdup copies a whole C string. */
static void arena_strndup(void **state)
{
	(void)state;
	struct rc_arena a;
	rc_arena_init(&a, 0);
	const char raw[3] = {'a', 'b', 'c'}; /* no terminator */
	char *s = rc_arena_strndup(&a, raw, sizeof(raw));
	assert_non_null(s);
	assert_string_equal(s, "abc");
	s = rc_arena_strndup(&a, "hello world", 5);
	assert_string_equal(s, "hello");
	s = rc_arena_strndup(&a, "ignored", 0);
	assert_string_equal(s, "");
	const char *cjk = "容错纠错";
	s = rc_arena_strdup(&a, cjk);
	assert_string_equal(s, cjk);
	assert_ptr_not_equal(s, cjk);
	rc_arena_free(&a);
}

/* The NULL-safe destructors of the core module. */
static void core_free_null_safe(void **state)
{
	(void)state;
	rc_arena_free(NULL);
	rc_buf_free(NULL);
	struct rc_arena a;
	rc_arena_init(&a, 0);
	rc_arena_free(&a); /* empty arena */
	rc_arena_free(&a); /* twice */
	struct rc_buf b;
	rc_buf_init(&b, 0);
	rc_buf_free(&b); /* never used */
	rc_buf_free(&b);
}

/* ---- buf ------------------------------------------------------------ */

/* Appends grow the buffer and keep it NUL-terminated. */
static void buf_growth(void **state)
{
	(void)state;
	struct rc_buf b;
	rc_buf_init(&b, 0);
	assert_string_equal(rc_buf_str(&b), "");
	for (int i = 0; i < 10000; i++)
		assert_int_equal(rc_buf_append(&b, "0123456789", 10), RC_OK);
	assert_int_equal(b.len, 100000);
	assert_true(b.alloc > b.len);
	assert_int_equal(b.data[b.len], '\0');
	assert_int_equal(strlen(rc_buf_str(&b)), 100000);
	for (size_t i = 0; i < b.len; i++)
		assert_int_equal(b.data[i], '0' + (int)(i % 10));
	char *before = b.data;
	rc_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(rc_buf_str(&b), "");
	assert_ptr_equal(b.data, before); /* memory kept */
	assert_int_equal(rc_buf_puts(&b, "x"), RC_OK);
	assert_string_equal(rc_buf_str(&b), "x");
	rc_buf_free(&b);
}

/* Past the cap an append fails with RC_ERR_LIMIT and changes nothing; up
 * to the cap exactly is fine. */
static void buf_cap(void **state)
{
	(void)state;
	struct rc_buf b;
	rc_buf_init(&b, 10);
	assert_int_equal(rc_buf_puts(&b, "12345678"), RC_OK);
	assert_int_equal(rc_buf_puts(&b, "abc"), RC_ERR_LIMIT);
	assert_int_equal(b.len, 8);
	assert_string_equal(rc_buf_str(&b), "12345678");
	assert_int_equal(rc_buf_printf(&b, "%d", 123), RC_ERR_LIMIT);
	assert_string_equal(rc_buf_str(&b), "12345678");
	assert_int_equal(rc_buf_puts(&b, "ab"), RC_OK);
	assert_string_equal(rc_buf_str(&b), "12345678ab");
	assert_int_equal(rc_buf_append(&b, "", 0), RC_OK);
	assert_int_equal(rc_buf_append(&b, "z", 1), RC_ERR_LIMIT);
	assert_string_equal(rc_buf_str(&b), "12345678ab");
	rc_buf_free(&b);
}

static void buf_printf(void **state)
{
	(void)state;
	struct rc_buf b;
	rc_buf_init(&b, 0);
	assert_int_equal(rc_buf_printf(&b, "%d-%s", 42, "x"), RC_OK);
	assert_int_equal(rc_buf_printf(&b, "|%05.1f|%c", 3.14159, 'q'), RC_OK);
	assert_string_equal(rc_buf_str(&b), "42-x|003.1|q");
	assert_int_equal(b.len, strlen("42-x|003.1|q"));
	/* a long expansion forces growth inside printf */
	char want[3001];
	memset(want, 'w', 3000);
	want[3000] = '\0';
	rc_buf_reset(&b);
	assert_int_equal(rc_buf_printf(&b, "%s", want), RC_OK);
	assert_string_equal(rc_buf_str(&b), want);
	assert_int_equal(rc_buf_printf(&b, "%s", ""), RC_OK);
	assert_int_equal(b.len, 3000);
	rc_buf_free(&b);
}

static char *write_temp(const char *content, size_t len)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/rc-test-core-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	if (len)
		assert_int_equal(write(fd, content, len), (ssize_t)len);
	close(fd);
	return path;
}

static void buf_read_file(void **state)
{
	(void)state;
	struct rc_buf b;
	rc_buf_init(&b, 0);
	errno = 0;
	assert_int_equal(rc_buf_read_file(&b, "/nonexistent/dir/file.rcp"), RC_ERR_IO);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(b.len, 0);

	/* content larger than one read chunk, with NUL bytes inside */
	size_t n = 20000;
	char *content = malloc(n);
	assert_non_null(content);
	for (size_t i = 0; i < n; i++)
		content[i] = (char)(i % 251);
	char *path = write_temp(content, n);
	assert_int_equal(rc_buf_read_file(&b, path), RC_OK);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.data, content, n);
	rc_buf_free(&b);

	/* a cap smaller than the file */
	rc_buf_init(&b, n - 1);
	assert_int_equal(rc_buf_read_file(&b, path), RC_ERR_LIMIT);
	rc_buf_free(&b);
	unlink(path);
	free(content);

	/* an empty file is an empty string, not NULL */
	path = write_temp("", 0);
	rc_buf_init(&b, 0);
	assert_int_equal(rc_buf_read_file(&b, path), RC_OK);
	assert_int_equal(b.len, 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	rc_buf_free(&b);
	unlink(path);
}

/* ---- utf8 ----------------------------------------------------------- */

static void utf8_valid_multibyte(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t n;
		uint32_t cp;
	} ok[] = {
	    {"A", 1, 0x41},
	    {"\xC2\xA9", 2, 0xA9},            /* © */
	    {"\xDF\xBF", 2, 0x7FF},           /* largest 2-byte */
	    {"\xE0\xA0\x80", 3, 0x800},       /* smallest 3-byte */
	    {"\xE4\xB8\xAD", 3, 0x4E2D},      /* 中 */
	    {"\xED\x9F\xBF", 3, 0xD7FF},      /* just below the surrogates */
	    {"\xEE\x80\x80", 3, 0xE000},      /* just above them */
	    {"\xF0\x9F\x98\x80", 4, 0x1F600}, /* emoji */
	    {"\xF4\x8F\xBF\xBF", 4, 0x10FFFF},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		uint32_t cp = 0;
		assert_int_equal(rc_utf8_decode(ok[i].s, strlen(ok[i].s), &cp), ok[i].n);
		assert_int_equal(cp, ok[i].cp);
		assert_true(rc_utf8_valid(ok[i].s, strlen(ok[i].s), NULL));
	}
	const char *mixed = "容错a纠错";
	assert_true(rc_utf8_valid(mixed, strlen(mixed), NULL));
}

static void utf8_rejects(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t n;
	} bad[] = {
	    {"\xC0\x80", 2},             /* overlong NUL */
	    {"\xC1\xBF", 2},             /* overlong 0x7F */
	    {"\xE0\x80\x80", 3},         /* overlong 3-byte */
	    {"\xF0\x80\x80\x80", 4},     /* overlong 4-byte */
	    {"\xED\xA0\x80", 3},         /* surrogate U+D800 */
	    {"\xED\xBF\xBF", 3},         /* surrogate U+DFFF */
	    {"\xF4\x90\x80\x80", 4},     /* U+110000 */
	    {"\xF5\x80\x80\x80", 4},     /* lead byte beyond U+10FFFF */
	    {"\xF8\x88\x80\x80\x80", 5}, /* 5-byte form */
	    {"\x80", 1},                 /* lone continuation */
	    {"\xFF", 1},
	    {"\xE4\x41\xAD", 3}, /* bad continuation */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t cp = 0;
		assert_int_equal(rc_utf8_decode(bad[i].s, bad[i].n, &cp), 0);
		size_t at = 99;
		assert_false(rc_utf8_valid(bad[i].s, bad[i].n, &at));
		assert_int_equal(at, 0);
	}
}

/* A sequence cut short by the end of the input is invalid, and
 * rc_utf8_valid names the offset where it starts. */
static void utf8_truncated(void **state)
{
	(void)state;
	uint32_t cp;
	const char *zhong = "\xE4\xB8\xAD";
	assert_int_equal(rc_utf8_decode(zhong, 2, &cp), 0);
	assert_int_equal(rc_utf8_decode(zhong, 1, &cp), 0);
	assert_int_equal(rc_utf8_decode(zhong, 0, &cp), 0);
	assert_int_equal(rc_utf8_decode("\xF0\x9F\x98", 3, &cp), 0);
	const char *s = "ab中\xE4\xB8";
	size_t at = 0;
	assert_false(rc_utf8_valid(s, strlen(s), &at));
	assert_int_equal(at, strlen("ab中"));
}

static void utf8_width(void **state)
{
	(void)state;
	assert_int_equal(rc_utf8_width("abc", 3), 3);
	const char *zh = "中文";
	assert_int_equal(rc_utf8_width(zh, strlen(zh)), 4);
	const char *mix = "a中b";
	assert_int_equal(rc_utf8_width(mix, strlen(mix)), 4);
	const char *punct = "、\xEF\xBC\x8C"; /* CJK and full-width commas */
	assert_int_equal(rc_utf8_width(punct, strlen(punct)), 4);
	assert_int_equal(rc_utf8_width("\xC2\xA9", 2), 1);
	assert_true(rc_utf8_is_cjk(0x4E2D));
	assert_true(rc_utf8_is_cjk(0x3400));
	assert_true(rc_utf8_is_cjk(0x20000));
	assert_false(rc_utf8_is_cjk('A'));
	assert_false(rc_utf8_is_cjk(0x3001)); /* 、 is punctuation */
}

/* ---- date ----------------------------------------------------------- */

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	if (m == 2)
		return is_leap(y) ? 29 : 28;
	return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
}

/* Every day of the supported range: day numbers are consecutive, the
 * epoch is 1970-01-01, and ymd, text and weekday all round-trip. */
static void date_round_trip(void **state)
{
	(void)state;
	/* 1900-01-01 is 70 years and 17 leap days (1904..1968) before 1970. */
	int32_t day = -(70 * 365 + 17);
	int32_t first = day;
	int wd = 0; /* 1900-01-01 was a Monday */
	for (int y = RC_DATE_MIN_YEAR; y <= RC_DATE_MAX_YEAR; y++) {
		for (int m = 1; m <= 12; m++) {
			assert_int_equal(rc_date_days_in_month(y, m), month_days(y, m));
			for (int d = 1; d <= month_days(y, m); d++) {
				if (rc_date_from_ymd(y, m, d) != day)
					fail_msg("%04d-%02d-%02d: day %d, want %d", y, m, d,
						 rc_date_from_ymd(y, m, d), day);
				int yy, mm, dd;
				rc_date_to_ymd(day, &yy, &mm, &dd);
				if (yy != y || mm != m || dd != d)
					fail_msg("day %d gives %d-%d-%d", day, yy, mm, dd);
				char want[16], got[RC_DATE_STRLEN];
				snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, d);
				rc_date_format(day, got);
				if (strcmp(want, got) != 0)
					fail_msg("format %d: %s, want %s", day, got, want);
				int32_t parsed = 0;
				if (rc_date_parse(want, 10, &parsed) != RC_OK || parsed != day)
					fail_msg("parse %s", want);
				if (rc_date_weekday(day) != wd)
					fail_msg("weekday of %s: %d, want %d", want,
						 rc_date_weekday(day), wd);
				day++;
				wd = (wd + 1) % 7;
			}
		}
	}
	int leaps = 0;
	for (int y = RC_DATE_MIN_YEAR; y <= RC_DATE_MAX_YEAR; y++)
		leaps += is_leap(y);
	assert_int_equal(day - first, 300 * 365 + leaps);
	assert_int_equal(rc_date_from_ymd(1970, 1, 1), 0);
}

static void date_parse_errors(void **state)
{
	(void)state;
	static const char *const syntax[] = {
	    "2024-1-01", "2024/01/01", "20240101",    "2024-01-0a", "2024-01-011",
	    "24-01-01",  "",           "2024-01-01 ", "+024-01-01", "２０２４-01-01",
	};
	for (size_t i = 0; i < sizeof(syntax) / sizeof(syntax[0]); i++) {
		int32_t out = 12345;
		if (rc_date_parse(syntax[i], strlen(syntax[i]), &out) != RC_ERR_SYNTAX)
			fail_msg("'%s' should be a syntax error", syntax[i]);
		assert_int_equal(out, 12345);
	}
	static const char *const range[] = {
	    "2023-02-29", "1900-02-29", "1899-12-31", "2200-01-01", "2023-13-01",
	    "2023-00-10", "2023-04-31", "2023-01-00", "2023-01-32",
	};
	for (size_t i = 0; i < sizeof(range) / sizeof(range[0]); i++) {
		int32_t out = 12345;
		if (rc_date_parse(range[i], strlen(range[i]), &out) != RC_ERR_RANGE)
			fail_msg("'%s' should be a range error", range[i]);
		assert_int_equal(out, 12345);
	}
	static const char *const good[] = {"2024-02-29", "2000-02-29", "1900-01-01", "2199-12-31"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int32_t out;
		assert_int_equal(rc_date_parse(good[i], 10, &out), RC_OK);
		char back[RC_DATE_STRLEN];
		rc_date_format(out, back);
		assert_string_equal(back, good[i]);
	}
	/* only the first len bytes are read */
	int32_t out;
	assert_int_equal(rc_date_parse("2024-02-29xyz", 10, &out), RC_OK);
}

static int32_t ymd(const char *s)
{
	int32_t d = 0;
	assert_int_equal(rc_date_parse(s, strlen(s), &d), RC_OK);
	return d;
}

static void date_add_months(void **state)
{
	(void)state;
	static const struct {
		const char *from;
		int months;
		const char *to;
	} cases[] = {
	    {"2024-01-31", 1, "2024-02-29"}, /* clamp, leap year */
	    {"2023-01-31", 1, "2023-02-28"}, /* clamp, common year */
	    {"2023-11-15", 12, "2024-11-15"},  {"2023-12-31", 2, "2024-02-29"},
	    {"2024-02-29", 12, "2025-02-28"},  {"2024-03-31", -1, "2024-02-29"},
	    {"2024-01-15", -13, "2022-12-15"}, {"2023-08-31", 1, "2023-09-30"},
	    {"2023-05-10", 0, "2023-05-10"},   {"2023-06-01", 60, "2028-06-01"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char got[RC_DATE_STRLEN];
		rc_date_format(rc_date_add_months(ymd(cases[i].from), cases[i].months), got);
		if (strcmp(got, cases[i].to) != 0)
			fail_msg("%s %+d months = %s, want %s", cases[i].from, cases[i].months, got,
				 cases[i].to);
	}
}

static void date_weekday(void **state)
{
	(void)state;
	assert_int_equal(rc_date_weekday(ymd("2024-10-01")), 1); /* Tuesday */
	assert_int_equal(rc_date_weekday(ymd("1970-01-01")), 3); /* Thursday */
	assert_int_equal(rc_date_weekday(ymd("2000-01-01")), 5); /* Saturday */
	assert_int_equal(rc_date_weekday(ymd("2023-06-07")), 2); /* Wednesday */
	assert_int_equal(rc_date_weekday(ymd("1949-10-01")), 5); /* Saturday */
	assert_int_equal(rc_date_weekday(ymd("1900-01-01")), 0); /* Monday */
	assert_int_equal(rc_date_weekday(ymd("2199-12-31")), 1); /* Tuesday */
}

/* ---- diag ----------------------------------------------------------- */

static struct rc_diags *new_diags(const char *file)
{
	struct rc_diags *d = malloc(sizeof(*d));
	assert_non_null(d);
	rc_diags_init(d, file);
	return d;
}

static char *print_diags(const struct rc_diags *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	rc_diags_print(d, f);
	fclose(f);
	return text;
}

static void diag_format(void **state)
{
	(void)state;
	struct rc_diags *d = new_diags("p.rcp");
	char buf[256];
	rc_diags_first(d, buf, sizeof(buf));
	assert_string_equal(buf, "");
	rc_diag_add(d, RC_SEV_WARNING, 1, 2, "w %d", 1);
	rc_diags_first(d, buf, sizeof(buf));
	assert_string_equal(buf, ""); /* warnings are not errors */
	rc_diag_add(d, RC_SEV_ERROR, 3, 7, "bad '%s'", "x");
	rc_diag_add(d, RC_SEV_ERROR, 4, 0, "line only");
	rc_diag_add(d, RC_SEV_NOTE, 0, 0, "no position");
	rc_diags_first(d, buf, sizeof(buf));
	assert_string_equal(buf, "p.rcp:3:7: error: bad 'x'");
	assert_int_equal(d->errors, 2);
	assert_int_equal(d->warnings, 1);
	assert_int_equal(d->count, 4);
	char *text = print_diags(d);
	assert_string_equal(text, "p.rcp:1:2: warning: w 1\n"
				  "p.rcp:3:7: error: bad 'x'\n"
				  "p.rcp:4: error: line only\n"
				  "p.rcp: note: no position\n");
	free(text);
	/* a short buffer truncates but stays terminated */
	char small[8];
	rc_diags_first(d, small, sizeof(small));
	assert_string_equal(small, "p.rcp:3");
	free(d);

	d = new_diags(NULL);
	rc_diag_add(d, RC_SEV_ERROR, 0, 0, "x");
	rc_diags_first(d, buf, sizeof(buf));
	assert_string_equal(buf, "<input>: error: x");
	free(d);
}

/* Beyond RC_DIAG_MAX diagnostics are counted, not stored, and the print
 * says how many were left out. */
static void diag_cap(void **state)
{
	(void)state;
	struct rc_diags *d = new_diags("f");
	int extra = 7;
	for (int i = 0; i < RC_DIAG_MAX + extra; i++)
		rc_diag_add(d, i % 2 ? RC_SEV_WARNING : RC_SEV_ERROR, i + 1, 1, "m%d", i);
	assert_int_equal(d->count, RC_DIAG_MAX);
	assert_int_equal(d->dropped, extra);
	assert_int_equal(d->errors + d->warnings, RC_DIAG_MAX + extra);
	char want[64];
	snprintf(want, sizeof(want), "m%d", RC_DIAG_MAX - 1);
	assert_string_equal(d->items[RC_DIAG_MAX - 1].msg, want);
	char *text = print_diags(d);
	char tail[80];
	snprintf(tail, sizeof(tail), "f: note: %d more diagnostics not shown\n", extra);
	assert_true(strlen(text) > strlen(tail));
	assert_string_equal(text + strlen(text) - strlen(tail), tail);
	free(text);

	/* an over-long message is cut at the cap, terminated */
	char *big = malloc(3 * RC_DIAG_MSG_MAX);
	assert_non_null(big);
	memset(big, 'x', 3 * RC_DIAG_MSG_MAX - 1);
	big[3 * RC_DIAG_MSG_MAX - 1] = '\0';
	rc_diags_init(d, "f");
	rc_diag_add(d, RC_SEV_ERROR, 1, 1, "%s", big);
	assert_int_equal(strlen(d->items[0].msg), RC_DIAG_MSG_MAX - 1);
	free(big);
	free(d);
}

/* The line of `text` (0-based), copied into buf; "" past the end. */
static void nth_line(const char *text, int n, char *buf, size_t len)
{
	for (; n > 0 && text; n--) {
		text = strchr(text, '\n');
		if (text)
			text++;
	}
	const char *end = text ? strchr(text, '\n') : NULL;
	size_t k = text ? (end ? (size_t)(end - text) : strlen(text)) : 0;
	snprintf(buf, len, "%.*s", (int)k, text ? text : "");
}

/* Diagnostics about more files than RC_DIAG_FILES: the ones with room are
 * printed under their own name; the rest still name their own file and
 * position in the message -- never pass for one about d->file alone. */
static void diag_many_files(void **state)
{
	(void)state;
	enum { EXTRA = 3 };
	struct rc_diags *d = new_diags("case.json");
	for (int i = 0; i < RC_DIAG_FILES + EXTRA; i++) {
		char name[32];
		snprintf(name, sizeof(name), "v%d.rcp", i);
		rc_diag_add_in(d, name, RC_SEV_ERROR, i + 1, 2, "bad %d", i);
	}
	assert_int_equal(d->count, RC_DIAG_FILES + EXTRA);
	assert_int_equal(d->errors, RC_DIAG_FILES + EXTRA);
	char *text = print_diags(d);
	for (int i = 0; i < RC_DIAG_FILES + EXTRA; i++) {
		char line[RC_DIAG_MSG_MAX + 256], pos[64], msg[32];
		nth_line(text, i, line, sizeof(line));
		snprintf(pos, sizeof(pos), "v%d.rcp:%d:2: ", i, i + 1);
		snprintf(msg, sizeof(msg), "bad %d", i);
		if (i < RC_DIAG_FILES) {
			char want[128];
			snprintf(want, sizeof(want), "%serror: %s", pos, msg);
			assert_string_equal(line, want);
		} else if (!strstr(line, pos) || strlen(line) < strlen(msg) ||
			   strcmp(line + strlen(line) - strlen(msg), msg) != 0) {
			fail_msg("diagnostic %d does not name its own file: '%s'", i, line);
		}
	}
	free(text);
	free(d);
}

/* Merging copies what `from` stored and counts what it could not: the
 * errors and warnings beyond its cap stay in the totals, and the print of
 * `to` says how many are not shown. */
static void diag_merge_counts_dropped(void **state)
{
	(void)state;
	enum { EXTRA = 7, TOTAL = RC_DIAG_MAX + EXTRA };
	struct rc_diags *from = new_diags("v.rcp");
	for (int i = 0; i < TOTAL; i++)
		rc_diag_add(from, i % 2 ? RC_SEV_WARNING : RC_SEV_ERROR, i + 1, 1, "m%d", i);
	struct rc_diags *to = new_diags("case.json");
	rc_diag_add(to, RC_SEV_ERROR, 0, 0, "own");
	rc_diags_merge(to, from);
	/* even indexes are errors: (TOTAL + 1) / 2 of them, one more of its own */
	assert_int_equal(to->errors, 1 + (TOTAL + 1) / 2);
	assert_int_equal(to->warnings, TOTAL / 2);
	assert_int_equal(to->count, RC_DIAG_MAX);
	/* EXTRA dropped by `from`, one more by `to` (its own error took a place) */
	assert_int_equal(to->dropped, EXTRA + 1);
	assert_int_equal(to->errors + to->warnings, to->count + to->dropped);
	char *text = print_diags(to);
	char line[RC_DIAG_MSG_MAX + 256];
	nth_line(text, 1, line, sizeof(line));
	assert_string_equal(line, "v.rcp:1:1: error: m0");
	char tail[80];
	snprintf(tail, sizeof(tail), "case.json: note: %d more diagnostics not shown\n", EXTRA + 1);
	assert_true(strlen(text) > strlen(tail));
	assert_string_equal(text + strlen(text) - strlen(tail), tail);
	free(text);
	free(to);
	free(from);
}

/* ---- err ------------------------------------------------------------ */

static void err_strerror(void **state)
{
	(void)state;
	assert_string_equal(rc_strerror(RC_OK), "success");
	for (int i = 0; i < RC_ERR__COUNT; i++) {
		const char *a = rc_strerror((enum rc_err)i);
		assert_non_null(a);
		assert_true(strlen(a) > 0);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(a, rc_strerror((enum rc_err)j));
	}
	assert_string_equal(rc_strerror(RC_ERR__COUNT), "unknown error");
	assert_string_equal(rc_strerror((enum rc_err) - 1), "unknown error");
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arena_alignment),
		cmocka_unit_test(arena_zeroing),
		cmocka_unit_test(arena_wipe),
		cmocka_unit_test(arena_no_overlap),
		cmocka_unit_test(arena_cap_refusal),
		cmocka_unit_test(arena_fail_after),
		cmocka_unit_test(arena_big_block),
		cmocka_unit_test(arena_overflow),
		cmocka_unit_test(arena_strndup),
		cmocka_unit_test(core_free_null_safe),
		cmocka_unit_test(buf_growth),
		cmocka_unit_test(buf_cap),
		cmocka_unit_test(buf_printf),
		cmocka_unit_test(buf_read_file),
		cmocka_unit_test(utf8_valid_multibyte),
		cmocka_unit_test(utf8_rejects),
		cmocka_unit_test(utf8_truncated),
		cmocka_unit_test(utf8_width),
		cmocka_unit_test(date_round_trip),
		cmocka_unit_test(date_parse_errors),
		cmocka_unit_test(date_add_months),
		cmocka_unit_test(date_weekday),
		cmocka_unit_test(diag_format),
		cmocka_unit_test(diag_cap),
		cmocka_unit_test(diag_many_files),
		cmocka_unit_test(diag_merge_counts_dropped),
		cmocka_unit_test(err_strerror),
	};
	/* clang-format on */
	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
