/*
 * date.h -- civil dates as day numbers.
 *
 * A date is an `int32_t` counting days since 1970-01-01 in the proleptic
 * Gregorian calendar (Howard Hinnant's algorithm).  Dates carry no time of
 * day and no zone: the measures count in calendar and working days.
 * Supported years: 1900-2199; anything else is rejected as impossible input.
 */
#ifndef RC_CORE_DATE_H
#define RC_CORE_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define RC_DATE_MIN_YEAR 1900
#define RC_DATE_MAX_YEAR 2199
#define RC_DATE_STRLEN   11 /* "YYYY-MM-DD" + NUL */

/* Day number of y-m-d; the caller guarantees a valid date. */
int32_t rc_date_from_ymd(int y, int m, int d);

/* Split a day number into year, month (1-12) and day (1-31). */
void rc_date_to_ymd(int32_t days, int *y, int *m, int *d);

/* Parse exactly "YYYY-MM-DD" from s[0..len).  RC_ERR_SYNTAX when the shape is
 * wrong, RC_ERR_RANGE for an impossible date (2023-02-30, month 13, year out
 * of range). */
enum rc_err rc_date_parse(const char *s, size_t len, int32_t *out);

/* Format as "YYYY-MM-DD" into out[RC_DATE_STRLEN]. */
void rc_date_format(int32_t days, char out[RC_DATE_STRLEN]);

/* Add calendar months, clamping the day to the month's end (01-31 + 1 month
 * = 02-28/29), as periods in the measures are counted. */
int32_t rc_date_add_months(int32_t days, int months);

/* 0 = Monday ... 6 = Sunday. */
int rc_date_weekday(int32_t days);

int rc_date_days_in_month(int y, int m);

#endif
