/*
 * test_impact.c -- the impact periods (影响期) of the shipped policies against
 * DOMAIN.md §2.7, and the period arithmetic the effects ledger uses.
 *
 * Party discipline (纪律处分条例 2023): 警告 1 year; 严重警告 18 months; 撤销党内
 * 职务 2 years; 留党察看 1 or 2 years, then 2 more years of restriction; 开除党籍
 * 5 years before readmission.  政务处分 (政务处分法 第八条): 警告 6 months; 记过
 * 12; 记大过 18; 降级、撤职 24; 开除 no period.  组织处理 (TYPICAL): 诫勉 6
 * months; 调整职务/降职 1-2 years.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"
#include "policy/policy.h"

#ifndef RC_SOURCE_DIR
#define RC_SOURCE_DIR "."
#endif

struct period {
	const char *table, *sanction;
	enum rc_dur_unit unit;
	int n;
	enum rc_dur_unit max_unit;
	int max_n;
	enum rc_dur_unit extra_unit;
	int extra_n;
};

static const struct period expected[] = {
    {"党纪处分", "警告", RC_DUR_MONTHS, 12, RC_DUR_NONE, 0, RC_DUR_NONE, 0},
    {"党纪处分", "严重警告", RC_DUR_MONTHS, 18, RC_DUR_NONE, 0, RC_DUR_NONE, 0},
    {"党纪处分", "撤销党内职务", RC_DUR_MONTHS, 24, RC_DUR_NONE, 0, RC_DUR_NONE, 0},
    {"党纪处分", "留党察看", RC_DUR_MONTHS, 12, RC_DUR_MONTHS, 24, RC_DUR_MONTHS, 24},
    {"党纪处分", "开除党籍", RC_DUR_MONTHS, 60, RC_DUR_NONE, 0, RC_DUR_NONE, 0},
    {"政务处分", "警告", RC_DUR_MONTHS, 6, RC_DUR_NONE, 0, RC_DUR_NONE, 0},
    {"政务处分", "记过", RC_DUR_MONTHS, 12, RC_DUR_NONE, 0, RC_DUR_NONE, 0},
    {"政务处分", "记大过", RC_DUR_MONTHS, 18, RC_DUR_NONE, 0, RC_DUR_NONE, 0},
    {"政务处分", "降级", RC_DUR_MONTHS, 24, RC_DUR_NONE, 0, RC_DUR_NONE, 0},
    {"政务处分", "撤职", RC_DUR_MONTHS, 24, RC_DUR_NONE, 0, RC_DUR_NONE, 0},
    {"政务处分", "开除", RC_DUR_NONE, 0, RC_DUR_NONE, 0, RC_DUR_NONE, 0},
    {"组织处理", "诫勉", RC_DUR_MONTHS, 6, RC_DUR_NONE, 0, RC_DUR_NONE, 0},
    {"组织处理", "调整职务", RC_DUR_MONTHS, 12, RC_DUR_MONTHS, 24, RC_DUR_NONE, 0},
    {"组织处理", "降职", RC_DUR_MONTHS, 12, RC_DUR_MONTHS, 24, RC_DUR_NONE, 0},
};

static void check_policy(const char *file)
{
	char path[1024];
	struct rc_diags d;
	struct rc_policy *p = NULL;
	snprintf(path, sizeof(path), "%s/policies/%s", RC_SOURCE_DIR, file);
	rc_diags_init(&d, path);
	assert_int_equal(rc_policy_load(path, &d, &p), RC_OK);
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		const struct period *x = &expected[i];
		struct rc_sanction_info si;
		if (rc_policy_sanction(p, x->table, x->sanction, &si) != RC_OK)
			fail_msg("%s: no sanction %s/%s", file, x->table, x->sanction);
		if (si.unit != x->unit || si.n != x->n || si.max_unit != x->max_unit ||
		    si.max_n != x->max_n || si.extra_unit != x->extra_unit ||
		    si.extra_n != x->extra_n)
			fail_msg(
			    "%s: %s/%s is %d x%d (max %d x%d, extra %d x%d), DOMAIN.md §2.7 says "
			    "%d x%d (max %d x%d, extra %d x%d)",
			    file, x->table, x->sanction, si.unit, si.n, si.max_unit, si.max_n,
			    si.extra_unit, si.extra_n, x->unit, x->n, x->max_unit, x->max_n,
			    x->extra_unit, x->extra_n);
		assert_non_null(si.table_title);
	}
	struct rc_sanction_info si;
	assert_int_equal(rc_policy_sanction(p, "党纪处分", "罚款", &si), RC_ERR_NAME);
	assert_int_equal(rc_policy_sanction(p, "行政处罚", "警告", &si), RC_ERR_NAME);
	rc_policy_free(p);
}

static void impact_2023(void **state)
{
	(void)state;
	check_policy("zhejiang-2023.rcp");
}

static void impact_2022(void **state)
{
	(void)state;
	check_policy("zhejiang-2022-test.rcp");
}

/* The ends of the periods from a decision date, as the effects ledger
 * computes them (calendar months, the day clamped to the month's end). */
static void period_ends(void **state)
{
	(void)state;
	static const struct {
		const char *start;
		int months;
		const char *end;
	} cases[] = {
	    {"2024-04-12", 12, "2025-04-12"}, /* 警告 */
	    {"2024-02-29", 12, "2025-02-28"}, /* from a leap day */
	    {"2024-08-31", 18, "2026-02-28"}, /* 严重警告, month end */
	    {"2023-01-31", 6, "2023-07-31"},  /* 政务处分 警告 */
	    {"2023-06-30", 60, "2028-06-30"}, /* 开除党籍: five years */
	    {"2024-03-31", 24, "2026-03-31"}, /* 撤职 */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int32_t s, e;
		char got[RC_DATE_STRLEN];
		assert_int_equal(rc_date_parse(cases[i].start, 10, &s), RC_OK);
		assert_int_equal(rc_date_parse(cases[i].end, 10, &e), RC_OK);
		rc_date_format(rc_date_add_months(s, cases[i].months), got);
		if (rc_date_add_months(s, cases[i].months) != e)
			fail_msg("%s + %d months = %s, want %s", cases[i].start, cases[i].months,
				 got, cases[i].end);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(impact_2023),
	    cmocka_unit_test(impact_2022),
	    cmocka_unit_test(period_ends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
