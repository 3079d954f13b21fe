/*
 * test_calendar.c -- unit tests of the working-day calendar (core/calendar).
 *
 * Every expected date below was worked out by hand from the notices as
 * transcribed in shared/domain/calendar-cn.md, day by day, and the reasoning
 * is written next to it; none is computed by the code under test.  Weekdays:
 * 2024-09-27 is a Friday, 2025-01-24 a Friday, 2026-02-12 a Thursday,
 * 2024-03-04 a Monday, 2026-12-28 a Monday, 2022-12-31 a Saturday.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/diag.h"
#include "core/err.h"

static const char *g_src = ".";
static struct rc_cal *g_cal; /* the shipped data/calendar/, loaded in main */

#define D(y, m, d) rc_date_from_ymd((y), (m), (d))

/* The date n working days after `start` on the shipped calendar, asserting
 * success and the expected warning. */
static int32_t add(int32_t start, int n, int want_warn)
{
	int32_t due = 0;
	int warn = -1;
	assert_int_equal(rc_cal_add_workdays(g_cal, start, n, &due, &warn), RC_OK);
	assert_int_equal(warn, want_warn);
	return due;
}

static void assert_date(int32_t got, int y, int m, int d)
{
	char a[RC_DATE_STRLEN], b[RC_DATE_STRLEN];
	rc_date_format(got, a);
	rc_date_format(D(y, m, d), b);
	assert_string_equal(a, b);
}

static int workday(int32_t day)
{
	int is = -1;
	assert_int_equal(rc_cal_is_workday(g_cal, day, &is), RC_OK);
	return is;
}

static struct rc_diags *new_diags(const char *file)
{
	struct rc_diags *d = malloc(sizeof(*d));
	assert_non_null(d);
	rc_diags_init(d, file);
	return d;
}

/* ---- the shipped data ------------------------------------------------ */

/* data/calendar/ loads with no diagnostic at all (not even a warning), and
 * holds exactly 2023-2026 with their sources. */
static void shipped_loads_clean(void **state)
{
	(void)state;
	char path[4096];
	struct rc_cal *cal = NULL;
	struct rc_diags *d = new_diags("data/calendar");
	snprintf(path, sizeof(path), "%s/data/calendar", g_src);
	assert_int_equal(rc_cal_new(&cal), RC_OK);
	enum rc_err e = rc_cal_load_dir(cal, path, d);
	if (d->count)
		rc_diags_print(d, stderr);
	assert_int_equal(e, RC_OK);
	assert_int_equal(d->count, 0);
	int years[8];
	assert_int_equal(rc_cal_years(cal, years, 8), 4);
	assert_int_equal(years[0], 2023);
	assert_int_equal(years[1], 2024);
	assert_int_equal(years[2], 2025);
	assert_int_equal(years[3], 2026);
	assert_string_equal(rc_cal_year_source(cal, 2024),
			    "国务院办公厅关于2024年部分节假日安排的通知（2023-10-25）");
	assert_null(rc_cal_year_source(cal, 2027));
	assert_null(rc_cal_year_source(cal, 1800));
	/* each file alone, too */
	for (int y = 2023; y <= 2026; y++) {
		struct rc_cal *one = NULL;
		assert_int_equal(rc_cal_new(&one), RC_OK);
		snprintf(path, sizeof(path), "%s/data/calendar/cn-%d.cal", g_src, y);
		rc_diags_init(d, path);
		assert_int_equal(rc_cal_load_file(one, path, d), RC_OK);
		assert_int_equal(d->count, 0);
		assert_int_equal(rc_cal_years(one, years, 8), 1);
		assert_int_equal(years[0], y);
		rc_cal_free(one);
	}
	rc_cal_free(cal);
	free(d);
}

/* ---- single days ----------------------------------------------------- */

/* 2024 国庆节: 10-01..10-07 off; 09-29 (Sunday) and 10-12 (Saturday) are
 * make-up working days; the weekends around them stay off. */
static void days_2024_national_day(void **state)
{
	(void)state;
	assert_int_equal(workday(D(2024, 9, 29)), 1);  /* Sunday, 调休 */
	assert_int_equal(workday(D(2024, 10, 12)), 1); /* Saturday, 调休 */
	for (int d = 1; d <= 7; d++)
		assert_int_equal(workday(D(2024, 10, d)), 0);
	assert_int_equal(workday(D(2024, 9, 28)), 0);  /* ordinary Saturday */
	assert_int_equal(workday(D(2024, 9, 30)), 1);  /* Monday */
	assert_int_equal(workday(D(2024, 10, 8)), 1);  /* Tuesday */
	assert_int_equal(workday(D(2024, 10, 13)), 0); /* ordinary Sunday */
	assert_string_equal(rc_cal_day_name(g_cal, D(2024, 10, 3)), "国庆节");
	assert_string_equal(rc_cal_day_name(g_cal, D(2024, 9, 29)), "国庆节调休");
	assert_null(rc_cal_day_name(g_cal, D(2024, 10, 8)));
}

/* 2026-01-04 is a Sunday and the 元旦 make-up working day; 01-01..01-03
 * (Thursday to Saturday) are off. */
static void days_2026_new_year(void **state)
{
	(void)state;
	assert_int_equal(workday(D(2026, 1, 4)), 1);
	assert_int_equal(workday(D(2026, 1, 1)), 0);
	assert_int_equal(workday(D(2026, 1, 2)), 0);
	assert_int_equal(workday(D(2026, 1, 3)), 0);
	assert_int_equal(workday(D(2026, 1, 5)), 1);
}

/* 2023's 元旦 begins on Saturday 2022-12-31, listed in cn-2023.cal.  2022
 * itself has no data, so the day answers "no data" -- but with the value
 * the 2023 notice gives it (off), and its name. */
static void days_reaching_back(void **state)
{
	(void)state;
	int is = -1;
	assert_int_equal(rc_cal_is_workday(g_cal, D(2022, 12, 31), &is), RC_ERR_NOT_FOUND);
	assert_int_equal(is, 0);
	assert_string_equal(rc_cal_day_name(g_cal, D(2022, 12, 31)), "元旦");
	assert_int_equal(workday(D(2023, 1, 2)), 0); /* Monday, 元旦 */
	assert_int_equal(workday(D(2023, 1, 3)), 1);
	/* 2022-12-30, a Friday: no data, weekends-only rule says working day */
	assert_int_equal(rc_cal_is_workday(g_cal, D(2022, 12, 30), &is), RC_ERR_NOT_FOUND);
	assert_int_equal(is, 1);
	assert_int_equal(rc_cal_years(g_cal, NULL, 0), 4); /* 2022 is not a loaded year */
}

/* A year with no notice answers RC_ERR_NOT_FOUND, with the weekends-only
 * value: 2027-01-01 is a Friday (1), 2027-01-02 a Saturday (0) -- whatever
 * the 2027 notice will say about 元旦. */
static void days_year_without_data(void **state)
{
	(void)state;
	int is = -1;
	assert_int_equal(rc_cal_is_workday(g_cal, D(2027, 1, 1), &is), RC_ERR_NOT_FOUND);
	assert_int_equal(is, 1);
	assert_int_equal(rc_cal_is_workday(g_cal, D(2027, 1, 2), &is), RC_ERR_NOT_FOUND);
	assert_int_equal(is, 0);
	assert_int_equal(rc_cal_is_workday(g_cal, D(1899, 12, 31), &is), RC_ERR_RANGE);
	assert_int_equal(rc_cal_is_workday(g_cal, D(2200, 1, 1), &is), RC_ERR_RANGE);
	assert_null(rc_cal_day_name(g_cal, D(2200, 1, 1)));
}

/* The number of working days in each whole year, counted by hand from
 * calendar-cn.md: weekdays of the year, minus the weekdays inside `off`
 * ranges, plus the make-up days.
 *   2023: 260 weekdays (starts and ends on a Sunday) - 18 off weekdays
 *         (元旦 01-02; 春节 01-23..27 = 5; 清明 04-05; 劳动 05-01..03 = 3;
 *         端午 06-22, 23; 国庆 09-29, 10-02..06 = 6) + 7 make-up = 249.
 *   2024: 262 - 19 (元旦 1; 春节 02-12..16 = 5; 清明 04-04, 05; 劳动 05-01..03;
 *         端午 06-10; 中秋 09-16, 17; 国庆 10-01..04, 07 = 5) + 8 = 251.
 *   2025: 261 - 18 (元旦 1; 春节 01-28..31, 02-03, 04 = 6; 清明 04-04;
 *         劳动 05-01, 02, 05; 端午 06-02; 国庆 10-01..03, 06..08 = 6) + 5 = 248.
 *   2026: 261 - 19 (元旦 01-01, 02; 春节 02-16..20, 23 = 6; 清明 04-06;
 *         劳动 05-01, 04, 05; 端午 06-19; 中秋 09-25; 国庆 10-01, 02, 05..07)
 *         + 6 = 248. */
static void days_per_year(void **state)
{
	(void)state;
	static const int want[] = {249, 251, 248, 248};
	for (int y = 2023; y <= 2026; y++) {
		int n = -1, warn = -1;
		assert_int_equal(
		    rc_cal_workdays_between(g_cal, D(y - 1, 12, 31), D(y, 12, 31), &n, &warn),
		    RC_OK);
		assert_int_equal(n, want[y - 2023]);
		assert_int_equal(warn, 0);
	}
}

/* ---- deadlines ------------------------------------------------------- */

/* 5 working days from Friday 2024-09-27, across 国庆 2024:
 *   09-28 Sat off; 09-29 Sun 调休 = 1; 09-30 Mon = 2; 10-01..07 off;
 *   10-08 Tue = 3; 10-09 Wed = 4; 10-10 Thu = 5. */
static void deadline_national_day_2024(void **state)
{
	(void)state;
	assert_date(add(D(2024, 9, 27), 5, 0), 2024, 10, 10);
	assert_date(add(D(2024, 9, 27), 1, 0), 2024, 9, 29); /* the 调休 Sunday */
	assert_date(add(D(2024, 9, 27), 2, 0), 2024, 9, 30);
	assert_date(add(D(2024, 9, 27), 3, 0), 2024, 10, 8); /* the whole holiday skipped */
	/* and the Saturday after: from Thu 10-10, 10-11 Fri = 1, 10-12 Sat 调休 = 2 */
	assert_date(add(D(2024, 10, 10), 2, 0), 2024, 10, 12);
}

/* Across 春节 2025 (01-28..02-04 off; 01-26 Sun and 02-08 Sat work), from
 * Friday 2025-01-24:
 *   01-25 Sat off; 01-26 Sun = 1; 01-27 Mon = 2; 01-28..02-04 off;
 *   02-05 Wed = 3; 02-06 = 4; 02-07 Fri = 5; 02-08 Sat = 6; 02-09 Sun off;
 *   02-10 Mon = 7. */
static void deadline_spring_festival_2025(void **state)
{
	(void)state;
	assert_date(add(D(2025, 1, 24), 1, 0), 2025, 1, 26);
	assert_date(add(D(2025, 1, 24), 2, 0), 2025, 1, 27);
	assert_date(add(D(2025, 1, 24), 3, 0), 2025, 2, 5);
	assert_date(add(D(2025, 1, 24), 5, 0), 2025, 2, 7);
	assert_date(add(D(2025, 1, 24), 6, 0), 2025, 2, 8);
	assert_date(add(D(2025, 1, 24), 7, 0), 2025, 2, 10);
}

/* Across 春节 2026 (02-15 Sun..02-23 Mon off; 02-14 Sat and 02-28 Sat work),
 * from Thursday 2026-02-12:
 *   02-13 Fri = 1; 02-14 Sat = 2; 02-15..23 off; 02-24 Tue = 3; 02-25 = 4;
 *   02-26 = 5; 02-27 Fri = 6; 02-28 Sat = 7; 03-01 Sun off; 03-02 Mon = 8. */
static void deadline_spring_festival_2026(void **state)
{
	(void)state;
	assert_date(add(D(2026, 2, 12), 2, 0), 2026, 2, 14);
	assert_date(add(D(2026, 2, 12), 3, 0), 2026, 2, 24);
	assert_date(add(D(2026, 2, 12), 7, 0), 2026, 2, 28);
	assert_date(add(D(2026, 2, 12), 8, 0), 2026, 3, 2);
	/* 元旦 2026: from Wed 2025-12-31, 01-01..03 off, 01-04 Sun is day 1 */
	assert_date(add(D(2025, 12, 31), 1, 0), 2026, 1, 4);
}

/* A plain week, 2024-03-04 (Monday) to 03-11: Tue..Fri = 1..4, the weekend
 * off, Monday 03-11 = 5.  From a Saturday (03-09), Monday is day 1. */
static void deadline_plain_week(void **state)
{
	(void)state;
	assert_date(add(D(2024, 3, 4), 5, 0), 2024, 3, 11);
	assert_date(add(D(2024, 3, 4), 4, 0), 2024, 3, 8);
	assert_date(add(D(2024, 3, 9), 1, 0), 2024, 3, 11);
}

/* n = 0 is the day itself, whatever it is, with nothing counted: even a
 * holiday, and even in a year without data (no warning: no day counted). */
static void deadline_zero(void **state)
{
	(void)state;
	assert_date(add(D(2024, 10, 1), 0, 0), 2024, 10, 1);
	assert_date(add(D(2027, 6, 1), 0, 0), 2027, 6, 1);
}

/* Into 2027, which has no data, from Monday 2026-12-28:
 *   12-29 Tue = 1; 12-30 = 2; 12-31 Thu = 3 (all 2026: no warning);
 *   2027-01-01 Fri = 4 by the weekends-only rule -- a counted day in a year
 *   without data, so the deadline carries the warning. */
static void deadline_into_2027_warns(void **state)
{
	(void)state;
	assert_date(add(D(2026, 12, 28), 3, 0), 2026, 12, 31);
	assert_date(add(D(2026, 12, 28), 4, 1), 2027, 1, 1);
	/* 01-02 Sat, 01-03 Sun off (guessed); 01-04 Mon = 5 */
	assert_date(add(D(2026, 12, 28), 5, 1), 2027, 1, 4);
	int n = -1, warn = -1;
	assert_int_equal(rc_cal_workdays_between(g_cal, D(2026, 12, 28), D(2027, 1, 4), &n, &warn),
			 RC_OK);
	assert_int_equal(n, 5);
	assert_int_equal(warn, 1);
	/* An empty calendar warns for any deadline. */
	struct rc_cal *empty = NULL;
	int32_t due = 0;
	assert_int_equal(rc_cal_new(&empty), RC_OK);
	assert_int_equal(rc_cal_add_workdays(empty, D(2024, 9, 27), 5, &due, &warn), RC_OK);
	assert_date(due, 2024, 10, 4); /* weekends only: Mon 09-30 .. Fri 10-04 */
	assert_int_equal(warn, 1);
	rc_cal_free(empty);
}

/* From Friday 2022-12-30 (no data for 2022): 12-31 Sat is examined in 2022,
 * so the deadline warns even though the 2023 file says the day is off;
 * 2023-01-01 and 01-02 are 元旦; 01-03 Tue = 1. */
static void deadline_from_year_without_data(void **state)
{
	(void)state;
	assert_date(add(D(2022, 12, 30), 1, 1), 2023, 1, 3);
	assert_date(add(D(2022, 12, 31), 1, 0), 2023, 1, 3); /* 2022 not examined */
}

static void deadline_range_errors(void **state)
{
	(void)state;
	int32_t due = 7;
	int warn = 7, n = 7;
	assert_int_equal(rc_cal_add_workdays(g_cal, D(2024, 1, 1), -1, &due, &warn), RC_ERR_RANGE);
	assert_int_equal(
	    rc_cal_add_workdays(g_cal, D(2024, 1, 1), RC_CAL_MAX_WORKDAYS + 1, &due, &warn),
	    RC_ERR_RANGE);
	assert_int_equal(rc_cal_add_workdays(g_cal, D(1899, 12, 31), 1, &due, &warn), RC_ERR_RANGE);
	/* 2199-12-31 is a Tuesday: the next working day is past the supported years */
	assert_int_equal(rc_cal_add_workdays(g_cal, D(2199, 12, 31), 1, &due, &warn), RC_ERR_RANGE);
	assert_int_equal(due, 7); /* outputs unchanged on error */
	assert_int_equal(warn, 7);
	assert_int_equal(
	    rc_cal_add_workdays(g_cal, D(2024, 1, 1), RC_CAL_MAX_WORKDAYS, &due, &warn), RC_OK);
	assert_int_equal(rc_cal_workdays_between(g_cal, D(1899, 12, 31), D(2024, 1, 1), &n, &warn),
			 RC_ERR_RANGE);
	assert_int_equal(rc_cal_workdays_between(g_cal, D(2024, 1, 1), D(2200, 1, 1), &n, &warn),
			 RC_ERR_RANGE);
	assert_int_equal(n, 7);
}

/* workdays_between is the inverse of add_workdays, on many pseudo-random
 * starts in 2022-12..2027-01 and counts 0..80: between(s, due) == n, the
 * deadline is a working day, the day before it is one working day short,
 * and the count backwards is negative. */
static void between_inverts_add(void **state)
{
	(void)state;
	uint32_t x = 20240927u;
	int32_t lo = D(2022, 12, 1), span = D(2027, 1, 31) - lo;
	for (int i = 0; i < 5000; i++) {
		x = x * 1103515245u + 12345u;
		int32_t start = lo + (int32_t)((x >> 8) % (uint32_t)span);
		x = x * 1103515245u + 12345u;
		int n = (int)((x >> 8) % 81u);
		int32_t due = 0;
		int warn = -1, back = -1, w2 = -1, is = -1;
		assert_int_equal(rc_cal_add_workdays(g_cal, start, n, &due, &warn), RC_OK);
		assert_int_equal(rc_cal_workdays_between(g_cal, start, due, &back, &w2), RC_OK);
		assert_int_equal(back, n);
		assert_int_equal(w2, warn);
		assert_int_equal(rc_cal_workdays_between(g_cal, due, start, &back, &w2), RC_OK);
		assert_int_equal(back, -n);
		if (n > 0) {
			(void)rc_cal_is_workday(g_cal, due, &is);
			assert_int_equal(is, 1);
			assert_int_equal(rc_cal_workdays_between(g_cal, start, due - 1, &back, &w2),
					 RC_OK);
			assert_int_equal(back, n - 1);
		} else {
			assert_int_equal(due, start);
		}
	}
}

/* ---- the parser ------------------------------------------------------ */

/* Load `text` into a fresh calendar, expect `want`, and the first error
 * formatted exactly as `first`.  A failed load leaves no year behind. */
static void expect(const char *text, size_t len, enum rc_err want, const char *first)
{
	struct rc_cal *cal = NULL;
	struct rc_diags *d = new_diags("t.cal");
	char buf[RC_DIAG_MSG_MAX + 256];
	assert_int_equal(rc_cal_new(&cal), RC_OK);
	enum rc_err e = rc_cal_load_text(cal, text, len, d);
	rc_diags_first(d, buf, sizeof(buf));
	if (e != want || strcmp(buf, first) != 0) {
		fprintf(stderr, "input:\n%.300s\n", text);
		rc_diags_print(d, stderr);
	}
	assert_int_equal(e, want);
	assert_string_equal(buf, first);
	if (e)
		assert_int_equal(rc_cal_years(cal, NULL, 0), 0);
	rc_cal_free(cal);
	free(d);
}

#define EXPECT(text, want, first) expect((text), strlen(text), (want), (first))
#define HEAD                      "year 2024\nsource \"国务院办公厅关于2024年部分节假日安排的通知\"\n"

static void parse_minimal(void **state)
{
	(void)state;
	struct rc_cal *cal = NULL;
	struct rc_diags *d = new_diags("t.cal");
	/* BOM, CRLF, blanks, comments anywhere, a quoted name holding '#' */
	const char *text = "\xEF\xBB\xBF# 2024\r\n"
			   "  year 2024   # the year\r\n"
			   "source 国务院办公厅关于2024年部分节假日安排的通知 # bare\r\n"
			   "\r\n"
			   "off\t2024-10-01..2024-10-07\t国庆节 # a comment\r\n"
			   "work 2024-09-29 \"国庆节 #调休\"\r\n"
			   "off 2023-12-30..2023-12-31 元旦"; /* no final newline */
	assert_int_equal(rc_cal_new(&cal), RC_OK);
	assert_int_equal(rc_cal_load_text(cal, text, strlen(text), d), RC_OK);
	assert_int_equal(d->count, 0);
	assert_string_equal(rc_cal_year_source(cal, 2024),
			    "国务院办公厅关于2024年部分节假日安排的通知");
	assert_string_equal(rc_cal_day_name(cal, D(2024, 10, 1)), "国庆节");
	assert_string_equal(rc_cal_day_name(cal, D(2024, 9, 29)), "国庆节 #调休");
	assert_string_equal(rc_cal_day_name(cal, D(2023, 12, 30)), "元旦");
	int is = -1;
	assert_int_equal(rc_cal_is_workday(cal, D(2024, 9, 29), &is), RC_OK);
	assert_int_equal(is, 1);
	rc_cal_free(cal);
	rc_cal_free(NULL);
	free(d);
}

/* A year with no entries loads, with a warning. */
static void parse_empty_year_warns(void **state)
{
	(void)state;
	struct rc_cal *cal = NULL;
	struct rc_diags *d = new_diags("t.cal");
	char buf[2048];
	assert_int_equal(rc_cal_new(&cal), RC_OK);
	assert_int_equal(rc_cal_load_text(cal, HEAD, strlen(HEAD), d), RC_OK);
	assert_int_equal(d->errors, 0);
	assert_int_equal(d->warnings, 1);
	assert_string_equal(
	    d->items[0].msg,
	    "no `off` or `work` lines: every weekday of 2024 counts as a working day");
	assert_int_equal(d->items[0].line, 1);
	rc_diags_first(d, buf, sizeof(buf));
	assert_string_equal(buf, "");
	assert_int_equal(rc_cal_years(cal, NULL, 0), 1);
	rc_cal_free(cal);
	free(d);
}

static void parse_impossible_dates(void **state)
{
	(void)state;
	EXPECT(HEAD "off 2023-02-29 x\n", RC_ERR_RANGE,
	       "t.cal:3:5: error: impossible date `2023-02-29`: 2023-02 has 28 days");
	EXPECT(HEAD "off 2024-04-31 x\n", RC_ERR_RANGE,
	       "t.cal:3:5: error: impossible date `2024-04-31`: 2024-04 has 30 days");
	EXPECT(HEAD "off 2024-13-01 x\n", RC_ERR_RANGE,
	       "t.cal:3:5: error: impossible date `2024-13-01`: there is no month 13");
	EXPECT(HEAD "work 2024-10-12..2024-10-32 x\n", RC_ERR_RANGE,
	       "t.cal:3:18: error: impossible date `2024-10-32`: 2024-10 has 31 days");
	EXPECT(HEAD "off 1899-12-31 x\n", RC_ERR_RANGE,
	       "t.cal:3:5: error: date `1899-12-31` is outside the supported years 1900..2199");
	EXPECT(HEAD "off 2024-1-1 元旦\n", RC_ERR_SYNTAX,
	       "t.cal:3:5: error: expected a date YYYY-MM-DD, found `2024-1-1`");
	EXPECT(HEAD "off 2024-10-01..  国庆\n", RC_ERR_SYNTAX,
	       "t.cal:3:17: error: expected a date YYYY-MM-DD, found ``");
	EXPECT(HEAD "off 2024-10-01至2024-10-07 国庆\n", RC_ERR_SYNTAX,
	       "t.cal:3:5: error: expected a date YYYY-MM-DD, found `2024-10-01至2024-10-07`");
	EXPECT(HEAD "off 2024-10-07..2024-10-01 国庆\n", RC_ERR_RANGE,
	       "t.cal:3:17: error: the range ends on 2024-10-01, before it begins on 2024-10-07");
	EXPECT(HEAD "off 2024-10-01..2024-11-01 国庆\n", RC_ERR_RANGE,
	       "t.cal:3:5: error: a range of 32 days; one line covers at most 31 days");
	EXPECT(HEAD "work 2024-02-05 春节调休\n", RC_ERR_RANGE,
	       "t.cal:3:6: error: `work` on 2024-02-05, a Monday: make-up working days fall on "
	       "weekends (a weekday is a working day already)");
}

/* Every date lies in the file's year or in the December before it. */
static void parse_outside_year(void **state)
{
	(void)state;
	EXPECT(HEAD "off 2025-01-01 元旦\n", RC_ERR_RANGE,
	       "t.cal:3:5: error: 2025-01-01 is not in 2024: a file lists the days of its year "
	       "(and of the December before it)");
	EXPECT(HEAD "off 2024-12-31..2025-01-01 元旦\n", RC_ERR_RANGE,
	       "t.cal:3:17: error: 2025-01-01 is not in 2024: a file lists the days of its year "
	       "(and of the December before it)");
	EXPECT(HEAD "work 2023-11-26 x\n", RC_ERR_RANGE,
	       "t.cal:3:6: error: 2023-11-26 is not in 2024: a file lists the days of its year "
	       "(and of the December before it)");
	/* December of the year before: accepted, both off and work (2019's
	 * notice had 2018-12-29 as a make-up day for 元旦). */
	EXPECT(HEAD "work 2023-12-30 元旦调休\noff 2023-12-31..2024-01-01 元旦\n", RC_OK, "");
}

static void parse_overlaps(void **state)
{
	(void)state;
	EXPECT(HEAD "off 2024-01-01 元旦\noff 2024-01-01 元旦\n", RC_ERR_CONFLICT,
	       "t.cal:4:5: error: 2024-01-01 is already listed as `off` at line 3");
	EXPECT(HEAD "off 2024-02-10..2024-02-17 春节\noff 2024-02-17..2024-02-18 x\n",
	       RC_ERR_CONFLICT,
	       "t.cal:4:5: error: 2024-02-17 is already listed as `off` at line 3");
	EXPECT(HEAD "off 2024-02-12 x\noff 2024-02-10..2024-02-17 春节\n", RC_ERR_CONFLICT,
	       "t.cal:4:5: error: 2024-02-12 is already listed as `off` at line 3");
	EXPECT(HEAD "work 2024-02-04 x\nwork 2024-02-04 y\n", RC_ERR_CONFLICT,
	       "t.cal:4:6: error: 2024-02-04 is already listed as `work` at line 3");
	/* off and work on one day */
	EXPECT(HEAD "off 2024-02-03..2024-02-05 x\nwork 2024-02-04 y\n", RC_ERR_CONFLICT,
	       "t.cal:4:6: error: 2024-02-04 cannot be both `work` (here) and `off` (line 3)");
	EXPECT(HEAD "work 2024-02-04 y\n\n# c\noff 2024-02-04 x\n", RC_ERR_CONFLICT,
	       "t.cal:6:5: error: 2024-02-04 cannot be both `off` (here) and `work` (line 3)");
}

static void parse_structure(void **state)
{
	(void)state;
	EXPECT(HEAD "holiday 2024-01-01 元旦\n", RC_ERR_SYNTAX,
	       "t.cal:3:1: error: unknown keyword `holiday`; expected `year`, `source`, `off` "
	       "or `work`");
	EXPECT(HEAD "  Off 2024-01-01 元旦\n", RC_ERR_SYNTAX,
	       "t.cal:3:3: error: unknown keyword `Off`; expected `year`, `source`, `off` or "
	       "`work`");
	/* missing year: empty file, comments only, entries without it */
	EXPECT("", RC_ERR_SYNTAX,
	       "t.cal:1:1: error: missing `year YYYY`: the file must begin with it");
	EXPECT("# nothing\n\n", RC_ERR_SYNTAX,
	       "t.cal:1:1: error: missing `year YYYY`: the file must begin with it");
	EXPECT("# 2024\nsource \"x\"\noff 2024-01-01 元旦\n", RC_ERR_SYNTAX,
	       "t.cal:2:1: error: `source` before `year`: the file must begin with `year YYYY`");
	EXPECT("off 2024-01-01 元旦\nyear 2024\nsource \"x\"\n", RC_ERR_SYNTAX,
	       "t.cal:1:1: error: `off` before `year`: the file must begin with `year YYYY`");
	EXPECT("year 2024\nyear 2024\nsource \"x\"\n", RC_ERR_SYNTAX,
	       "t.cal:2:1: error: `year` given twice (first at line 1)");
	EXPECT("year\nsource \"x\"\n", RC_ERR_SYNTAX,
	       "t.cal:1:5: error: expected the year after `year`, e.g. `year 2024`");
	EXPECT("year 24\nsource \"x\"\n", RC_ERR_SYNTAX,
	       "t.cal:1:6: error: expected a year YYYY, found `24`");
	EXPECT("year 2O24\nsource \"x\"\n", RC_ERR_SYNTAX,
	       "t.cal:1:6: error: expected a year YYYY, found `2O24`");
	EXPECT("year 1899\nsource \"x\"\n", RC_ERR_RANGE,
	       "t.cal:1:6: error: year 1899 is outside the supported years 1900..2199");
	EXPECT("year 2024 2025\nsource \"x\"\n", RC_ERR_SYNTAX,
	       "t.cal:1:11: error: unexpected `2025`; only a comment (#) may follow");
	/* source */
	EXPECT("year 2024\noff 2024-01-01 元旦\n", RC_ERR_SYNTAX,
	       "t.cal:1:1: error: missing `source`: name the notice this year transcribes, e.g. "
	       "`source \"国务院办公厅关于2024年部分节假日安排的通知\"`");
	EXPECT(HEAD "source \"again\"\n", RC_ERR_SYNTAX,
	       "t.cal:3:1: error: `source` given twice (first at line 2)");
	EXPECT("year 2024\nsource\n", RC_ERR_SYNTAX,
	       "t.cal:2:7: error: expected the title of the notice after `source`");
	EXPECT("year 2024\nsource \"国务院\n", RC_ERR_SYNTAX,
	       "t.cal:2:8: error: source is not closed on this line; add the closing '\"'");
	EXPECT("year 2024\nsource \"\"\n", RC_ERR_SYNTAX, "t.cal:2:8: error: empty source");
	EXPECT("year 2024\nsource \"a\" b\n", RC_ERR_SYNTAX,
	       "t.cal:2:12: error: unexpected `b`; only a comment (#) may follow");
	/* entries */
	EXPECT(HEAD "off\n", RC_ERR_SYNTAX,
	       "t.cal:3:4: error: expected a date or a range YYYY-MM-DD..YYYY-MM-DD after `off`");
	EXPECT(HEAD "off 2024-01-01 # 元旦\n", RC_ERR_SYNTAX,
	       "t.cal:3:16: error: expected a name after the date, e.g. `off "
	       "2024-10-01..2024-10-07 国庆节`");
	EXPECT(HEAD "work 2024-02-04\n", RC_ERR_SYNTAX,
	       "t.cal:3:16: error: expected a name after the date, e.g. `work 2024-09-29 "
	       "国庆节调休`");
	EXPECT(HEAD "off 2024-01-01 \"元旦\" x\n", RC_ERR_SYNTAX,
	       "t.cal:3:21: error: unexpected `x`; only a comment (#) may follow");
}

static void parse_bytes(void **state)
{
	(void)state;
	/* columns count characters: 元旦 is two columns, not six bytes */
	EXPECT(HEAD "off 2024-01-01 元旦\x01\n", RC_ERR_SYNTAX,
	       "t.cal:3:18: error: control character 0x01; remove it");
	EXPECT(HEAD "off 2024-01-01 元\r旦\n", RC_ERR_SYNTAX,
	       "t.cal:3:17: error: control character 0x0D; remove it");
	EXPECT(HEAD "off 2024-01-01 元\xff旦\n", RC_ERR_SYNTAX,
	       "t.cal:3:17: error: invalid UTF-8 (byte 0xFF); save the file as UTF-8");
	const char nul[] = "year 2024\nsource \"a\0b\"\n";
	expect(nul, sizeof(nul) - 1, RC_ERR_SYNTAX,
	       "t.cal:2:10: error: control character 0x00; remove it");
}

/* Size caps: the file (64 KiB), a line, a name, the number of entries. */
static void parse_caps(void **state)
{
	(void)state;
	size_t cap = RC_CAL_MAX_BYTES + 200;
	char *t = malloc(cap);
	assert_non_null(t);
	/* "year 2024\n" (10 bytes) and "source \"x\"\n" (11) are lines 1-2;
	 * then 100-byte comment lines from offset 21, line 3.  Byte 65536 is
	 * 65515 = 655 * 100 + 15 bytes into them: line 3 + 655 = 658, column 16. */
	size_t len = 0;
	len += (size_t)snprintf(t + len, cap - len, "year 2024\nsource \"x\"\n");
	for (int i = 0; i < 656; i++) {
		memset(t + len, 'a', 100);
		t[len] = '#';
		t[len + 99] = '\n';
		len += 100;
	}
	assert_int_equal(len, 65621);
	expect(t, len, RC_ERR_LIMIT,
	       "t.cal:658:16: error: file larger than 65536 bytes; one year's calendar is far "
	       "smaller");
	/* exactly 65536 bytes is accepted (as an empty year: a warning) */
	expect(t, RC_CAL_MAX_BYTES - 1, RC_OK, "");
	t[RC_CAL_MAX_BYTES - 1] = '\n';
	expect(t, RC_CAL_MAX_BYTES, RC_OK, "");

	/* a line of 1025 bytes */
	len = (size_t)snprintf(t, cap, HEAD "# ");
	memset(t + len, 'b', 1023);
	len += 1023;
	expect(t, len, RC_ERR_LIMIT, "t.cal:3:1: error: line longer than 1024 bytes");
	expect(t, len - 1, RC_OK, "");

	/* a name of 257 bytes */
	len = (size_t)snprintf(t, cap, HEAD "off 2024-01-01 ");
	memset(t + len, 'c', 257);
	len += 257;
	expect(t, len, RC_ERR_LIMIT, "t.cal:3:16: error: name longer than 256 bytes; shorten it");
	expect(t, len - 1, RC_OK, "");

	/* 513 entries: reported where the cap is passed, before the overlaps
	 * they also make */
	len = (size_t)snprintf(t, cap, HEAD);
	for (int i = 0; i < 513; i++)
		len += (size_t)snprintf(t + len, cap - len, "off 2024-01-01 x\n");
	expect(t, len, RC_ERR_LIMIT,
	       "t.cal:515:1: error: more than 512 `off` and `work` lines in one file");
	free(t);
}

/* Every problem of a file is reported, not only the first. */
static void parse_collects_all(void **state)
{
	(void)state;
	const char *text = HEAD "off 2024-02-30 x\n"
				"frob\n"
				"off 2025-01-01 y\n"
				"work 2024-03-04 z\n";
	struct rc_cal *cal = NULL;
	struct rc_diags *d = new_diags("t.cal");
	assert_int_equal(rc_cal_new(&cal), RC_OK);
	assert_int_equal(rc_cal_load_text(cal, text, strlen(text), d), RC_ERR_RANGE);
	assert_int_equal(d->errors, 4);
	assert_int_equal(d->items[0].line, 3);
	assert_int_equal(d->items[1].line, 4);
	assert_int_equal(d->items[2].line, 5);
	assert_int_equal(d->items[3].line, 6);
	rc_cal_free(cal);
	free(d);
}

/* Across files: a year loads once; a day is listed by one file only; a
 * failed file changes nothing. */
static void parse_across_files(void **state)
{
	(void)state;
	struct rc_cal *cal = NULL;
	struct rc_diags *d = new_diags("a.cal");
	char buf[2048];
	const char *y2023 = "year 2023\nsource \"x\"\noff 2022-12-31..2023-01-02 元旦\n";
	const char *y2022 = "year 2022\nsource \"y\"\n\noff 2022-12-30..2022-12-31 z\n";
	const char *bad = "year 2021\nsource \"y\"\noff 2021-05-01 劳动节\nwork 2021-05-03 x\n";
	assert_int_equal(rc_cal_new(&cal), RC_OK);
	assert_int_equal(rc_cal_load_text(cal, y2023, strlen(y2023), d), RC_OK);

	rc_diags_init(d, "b.cal");
	assert_int_equal(rc_cal_load_text(cal, y2023, strlen(y2023), d), RC_ERR_CONFLICT);
	rc_diags_first(d, buf, sizeof(buf));
	assert_string_equal(buf, "b.cal:1:1: error: year 2023 is already loaded from a.cal");
	assert_int_equal(d->errors, 1); /* not also each of its days */

	rc_diags_init(d, "c.cal");
	assert_int_equal(rc_cal_load_text(cal, y2022, strlen(y2022), d), RC_ERR_CONFLICT);
	rc_diags_first(d, buf, sizeof(buf));
	assert_string_equal(buf,
			    "c.cal:4:5: error: 2022-12-31 is already listed as `off` in a.cal:3");

	rc_diags_init(d, "d.cal");
	assert_int_equal(rc_cal_load_text(cal, bad, strlen(bad), d), RC_ERR_RANGE);
	int is = -1, years[4];
	assert_int_equal(rc_cal_years(cal, years, 4), 1);
	assert_int_equal(years[0], 2023);
	assert_int_equal(rc_cal_is_workday(cal, D(2021, 5, 1), &is), RC_ERR_NOT_FOUND);
	assert_int_equal(is, 0);                          /* a Saturday anyway */
	assert_null(rc_cal_day_name(cal, D(2021, 5, 1))); /* not loaded */
	assert_int_equal(rc_cal_years(cal, years, 0), 1); /* cap 0 writes nothing */
	rc_cal_free(cal);
	free(d);
}

/* A check says what a load would say, and loads nothing: the calendar it
 * is checked against is only read. */
static void check_text_loads_nothing(void **state)
{
	(void)state;
	struct rc_cal *cal = NULL;
	struct rc_diags *d = new_diags("a.cal");
	char buf[2048];
	int year = -1, years[4];
	const char *y2023 = "year 2023\nsource \"x\"\noff 2022-12-31..2023-01-02 元旦\n";
	const char *y2022 = "year 2022\nsource \"y\"\n\noff 2022-12-30..2022-12-31 z\n";
	const char *y2024 = "year 2024\nsource \"z\"\noff 2024-01-01 元旦\n";
	const char *empty = "year 2025\nsource \"w\"\n";
	assert_int_equal(rc_cal_new(&cal), RC_OK);
	assert_int_equal(rc_cal_load_text(cal, y2023, strlen(y2023), d), RC_OK);

	rc_diags_init(d, "b.cal");
	assert_int_equal(rc_cal_check_text(cal, y2024, strlen(y2024), d, &year), RC_OK);
	assert_int_equal(year, 2024);
	assert_int_equal(d->count, 0);
	assert_int_equal(rc_cal_years(cal, years, 4), 1); /* still 2023 alone */
	assert_null(rc_cal_day_name(cal, D(2024, 1, 1)));

	/* the same messages as a load: a year loaded, a day another file lists */
	assert_int_equal(rc_cal_check_text(cal, y2023, strlen(y2023), d, &year), RC_ERR_CONFLICT);
	assert_int_equal(year, 2023);
	rc_diags_first(d, buf, sizeof(buf));
	assert_string_equal(buf, "b.cal:1:1: error: year 2023 is already loaded from a.cal");
	rc_diags_init(d, "c.cal");
	assert_int_equal(rc_cal_check_text(cal, y2022, strlen(y2022), d, &year), RC_ERR_CONFLICT);
	rc_diags_first(d, buf, sizeof(buf));
	assert_string_equal(buf,
			    "c.cal:4:5: error: 2022-12-31 is already listed as `off` in a.cal:3");

	/* its warning too; and against no calendar at all */
	rc_diags_init(d, "d.cal");
	assert_int_equal(rc_cal_check_text(NULL, empty, strlen(empty), d, &year), RC_OK);
	assert_int_equal(year, 2025);
	assert_int_equal(d->warnings, 1);
	rc_diags_init(d, "e.cal");
	assert_int_equal(rc_cal_check_text(NULL, "frob\n", 5, d, &year), RC_ERR_SYNTAX);
	assert_int_equal(year, 0);
	assert_int_equal(rc_cal_years(cal, years, 4), 1);
	rc_cal_free(cal);
	free(d);
}

static void load_file_and_dir_errors(void **state)
{
	(void)state;
	char path[4096], buf[2048];
	struct rc_cal *cal = NULL;
	struct rc_diags *d = new_diags("x");
	assert_int_equal(rc_cal_new(&cal), RC_OK);
	snprintf(path, sizeof(path), "%s/data/calendar/no-such.cal", g_src);
	assert_int_equal(rc_cal_load_file(cal, path, d), RC_ERR_IO);
	assert_int_equal(d->errors, 1);
	snprintf(path, sizeof(path), "%s/data/calendar", g_src);
	rc_diags_init(d, "x");
	assert_int_equal(rc_cal_load_file(cal, path, d), RC_ERR_IO); /* a directory */
	snprintf(path, sizeof(path), "%s/no-such-dir", g_src);
	rc_diags_init(d, "x");
	assert_int_equal(rc_cal_load_dir(cal, path, d), RC_ERR_IO);
	snprintf(path, sizeof(path), "%s/src/core", g_src);
	rc_diags_init(d, "x");
	assert_int_equal(rc_cal_load_dir(cal, path, d), RC_ERR_NOT_FOUND);
	rc_diags_first(d, buf, sizeof(buf));
	assert_non_null(strstr(buf, "src/core: error: no .cal files in this directory"));
	/* a file's diagnostics name the file */
	snprintf(path, sizeof(path), "%s/data/calendar/cn-2024.cal", g_src);
	rc_diags_init(d, "x");
	assert_int_equal(rc_cal_load_file(cal, path, d), RC_OK);
	rc_diags_init(d, "x");
	assert_int_equal(rc_cal_load_file(cal, path, d), RC_ERR_CONFLICT);
	rc_diags_first(d, buf, sizeof(buf));
	char want[8192];
	snprintf(want, sizeof(want), "%s:4:1: error: year 2024 is already loaded from %s", path,
		 path);
	assert_string_equal(buf, want);
	rc_cal_free(cal);
	free(d);
}

int main(void)
{
	const char *env = getenv("RC_SOURCE_DIR");
#ifdef RC_SOURCE_DIR
	g_src = RC_SOURCE_DIR;
#endif
	if (env && *env)
		g_src = env;
	char path[4096];
	struct rc_diags *d = malloc(sizeof(*d));
	if (!d)
		return 1;
	snprintf(path, sizeof(path), "%s/data/calendar", g_src);
	rc_diags_init(d, path);
	if (rc_cal_new(&g_cal) || rc_cal_load_dir(g_cal, path, d)) {
		rc_diags_print(d, stderr);
		fprintf(stderr, "test_calendar: cannot load %s (set RC_SOURCE_DIR)\n", path);
		free(d);
		return 1;
	}
	free(d);

	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(shipped_loads_clean),
	    cmocka_unit_test(days_2024_national_day),
	    cmocka_unit_test(days_2026_new_year),
	    cmocka_unit_test(days_reaching_back),
	    cmocka_unit_test(days_year_without_data),
	    cmocka_unit_test(days_per_year),
	    cmocka_unit_test(deadline_national_day_2024),
	    cmocka_unit_test(deadline_spring_festival_2025),
	    cmocka_unit_test(deadline_spring_festival_2026),
	    cmocka_unit_test(deadline_plain_week),
	    cmocka_unit_test(deadline_zero),
	    cmocka_unit_test(deadline_into_2027_warns),
	    cmocka_unit_test(deadline_from_year_without_data),
	    cmocka_unit_test(deadline_range_errors),
	    cmocka_unit_test(between_inverts_add),
	    cmocka_unit_test(parse_minimal),
	    cmocka_unit_test(parse_empty_year_warns),
	    cmocka_unit_test(parse_impossible_dates),
	    cmocka_unit_test(parse_outside_year),
	    cmocka_unit_test(parse_overlaps),
	    cmocka_unit_test(parse_structure),
	    cmocka_unit_test(parse_bytes),
	    cmocka_unit_test(parse_caps),
	    cmocka_unit_test(parse_collects_all),
	    cmocka_unit_test(parse_across_files),
	    cmocka_unit_test(check_text_loads_nothing),
	    cmocka_unit_test(load_file_and_dir_errors),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rc_cal_free(g_cal);
	return rc;
}
