/*
 * fuzz_calendar.c -- libFuzzer harness for the working-day calendar file
 * parser (core/calendar).
 *
 * Each input is loaded twice: into an empty calendar, and into one that
 * already holds the shipped years (data/calendar/cn-2023..2026.cal), so
 * that the checks against loaded years and days run too.  When a load
 * succeeds, the working-day arithmetic is run over the loaded years and
 * checked against its own contract (between() inverts add()); a violation
 * aborts, which the fuzzer reports as a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/calendar.h"
#include "core/date.h"

#ifndef RC_SOURCE_DIR
#define RC_SOURCE_DIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rc_buf shipped[4];
static int n_shipped = -1;
static struct rc_diags diags; /* ~200 KiB: static, not on the stack */

static void load_shipped(void)
{
	char path[512];
	n_shipped = 0;
	for (int y = 2023; y <= 2026; y++) {
		struct rc_buf *b = &shipped[n_shipped];
		snprintf(path, sizeof(path), "%s/data/calendar/cn-%d.cal", RC_SOURCE_DIR, y);
		rc_buf_init(b, RC_CAL_MAX_BYTES);
		if (rc_buf_read_file(b, path) == RC_OK)
			n_shipped++;
		else
			rc_buf_free(b);
	}
}

/* The arithmetic over every loaded year, against its contract. */
static void exercise(const struct rc_cal *cal)
{
	int years[8];
	int n = rc_cal_years(cal, years, 8);
	char first[256];
	rc_diags_first(&diags, first, sizeof(first));
	for (int i = 0; i < n && i < 8; i++) {
		int y = years[i];
		(void)rc_cal_year_source(cal, y);
		int32_t from = y > RC_DATE_MIN_YEAR ? rc_date_from_ymd(y - 1, 12, 1)
						    : rc_date_from_ymd(y, 1, 1);
		int32_t to = rc_date_from_ymd(y, 12, 31);
		for (int32_t day = from; day <= to; day++) {
			int is;
			(void)rc_cal_is_workday(cal, day, &is);
			(void)rc_cal_day_name(cal, day);
		}
		for (int m = 1; m <= 12; m++) {
			int32_t start = rc_date_from_ymd(y, m, 1);
			for (int k = 0; k <= 40; k += 7) {
				int32_t due;
				int warn, back, w2;
				if (rc_cal_add_workdays(cal, start, k, &due, &warn) != RC_OK)
					continue;
				if (rc_cal_workdays_between(cal, start, due, &back, &w2) != RC_OK ||
				    back != k || w2 != warn)
					abort();
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rc_cal *cal = NULL;
	if (n_shipped < 0)
		load_shipped();

	if (rc_cal_new(&cal) != RC_OK)
		return 0;
	rc_diags_init(&diags, "fuzz");
	if (rc_cal_load_text(cal, (const char *)data, size, &diags) == RC_OK)
		exercise(cal);
	rc_cal_free(cal);

	if (rc_cal_new(&cal) != RC_OK)
		return 0;
	for (int i = 0; i < n_shipped; i++) {
		rc_diags_init(&diags, "shipped");
		if (rc_cal_load_text(cal, shipped[i].data, shipped[i].len, &diags) != RC_OK)
			abort(); /* the shipped data must always load */
	}
	rc_diags_init(&diags, "fuzz");
	if (rc_cal_load_text(cal, (const char *)data, size, &diags) == RC_OK)
		exercise(cal);
	rc_cal_free(cal);
	return 0;
}
