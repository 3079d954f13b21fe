/*
 * calendar.h -- the working-day calendar (工作日): weekends, official
 * holidays and make-up working days (调休上班), one year at a time.
 *
 * Deadlines in the procedure are counted in working days on the calendar
 * the 国务院办公厅 announces each year.  The calendar is data: one text file
 * per year (data/calendar/cn-YYYY.cal, format in docs/modules/calendar.md),
 * loaded into a `struct rc_cal` that may hold any number of years.
 *
 * A year whose notice has not been entered is never silently treated as
 * "weekdays only": every query that touches such a year says so, through a
 * distinct result (rc_cal_is_workday) or a `warn` flag (the counting
 * functions), and the weekends-only rule is used for its days.
 *
 * Days are day numbers as in core/date.h; every function accepts the days
 * of the supported years RC_DATE_MIN_YEAR..RC_DATE_MAX_YEAR only.  Once
 * loaded, a calendar is only read by the queries, so several threads may
 * query one calendar while nobody loads into it.
 */
#ifndef RC_CORE_CALENDAR_H
#define RC_CORE_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/err.h"

#define RC_CAL_MAX_BYTES    65536 /* one year's file */
#define RC_CAL_MAX_LINE     1024  /* bytes in one line */
#define RC_CAL_MAX_TEXT     256   /* bytes in a holiday name or a source */
#define RC_CAL_MAX_ENTRIES  512   /* `off` and `work` lines in one file */
#define RC_CAL_MAX_RANGE    31    /* days in one `off` or `work` range */
#define RC_CAL_MAX_FILES    300   /* .cal files in one directory */
#define RC_CAL_MAX_WORKDAYS 10000 /* n of rc_cal_add_workdays */

struct rc_cal; /* opaque */

/* A new, empty calendar (no year has data).  Caller frees with
 * rc_cal_free().  RC_ERR_NOMEM. */
enum rc_err rc_cal_new(struct rc_cal **out);

/* Free the calendar and everything it holds.  NULL-safe. */
void rc_cal_free(struct rc_cal *cal);

/* Parse one year's calendar from text[0..len) and add it to `cal`.
 * Diagnostics go to `d` naming d->file.  The load is all or nothing: on any
 * error `cal` is unchanged.  Returns the class of the first error:
 * RC_ERR_LIMIT (size caps), RC_ERR_SYNTAX (malformed line, unknown keyword,
 * missing `year` or `source`, invalid UTF-8), RC_ERR_RANGE (impossible date,
 * date outside the year, reversed or too long range, `work` on a weekday),
 * RC_ERR_CONFLICT (overlapping or duplicate entries, a day both off and
 * work, a year or day already loaded from another file), RC_ERR_NOMEM.
 * Warnings (an empty year) do not fail the load.  `text` is borrowed for
 * the call only; the calendar keeps copies. */
enum rc_err rc_cal_load_text(struct rc_cal *cal, const char *text, size_t len, struct rc_diags *d);

/* Check one year's text as rc_cal_load_text would load it into `cal` --
 * the same checks, messages and result, conflicts with the years and days
 * `cal` holds included -- without loading it: `cal` is only read, so it may
 * be a calendar other threads are querying (NULL: an empty calendar).
 * *year is the year of the text's `year` line, or 0 when none could be
 * read. */
enum rc_err rc_cal_check_text(const struct rc_cal *cal, const char *text, size_t len,
			      struct rc_diags *d, int *year);

/* The same for a file; diagnostics name `path`.  RC_ERR_IO when it cannot
 * be read, RC_ERR_LIMIT when it exceeds RC_CAL_MAX_BYTES. */
enum rc_err rc_cal_load_file(struct rc_cal *cal, const char *path, struct rc_diags *d);

/* Load every "*.cal" file of a directory (hidden files skipped), in name
 * order.  Each file loads or fails on its own, so one broken year does not
 * hide the others (that year then counts as "no data"); the result is the
 * first failure.  RC_ERR_IO when the directory cannot be opened,
 * RC_ERR_NOT_FOUND when it holds no .cal file, RC_ERR_LIMIT beyond
 * RC_CAL_MAX_FILES files. */
enum rc_err rc_cal_load_dir(struct rc_cal *cal, const char *path, struct rc_diags *d);

/* Whether `day` is a working day, into *is (1 = working day, 0 = not).
 * RC_OK when the day's year has data.  RC_ERR_NOT_FOUND when it has none:
 * *is is then still set, from the weekends-only rule (or from an entry of
 * the next year's file that reaches back into December).  RC_ERR_RANGE for
 * a day outside the supported years (*is = 0). */
enum rc_err rc_cal_is_workday(const struct rc_cal *cal, int32_t day, int *is);

/* The deadline `n` working days after `start`, into *due.
 *
 * The day of the event does not count: counting begins the day after
 * `start`, and *due is the n-th working day after it (so a deadline that
 * ends on a holiday has already moved past it).  n = 0 gives *due = start,
 * whatever kind of day it is, with nothing counted.  *warn is set to 1 when
 * any day examined (start+1 .. *due) lies in a year without data (those
 * days follow the weekends-only rule), else 0.
 *
 * RC_ERR_RANGE when n < 0, n > RC_CAL_MAX_WORKDAYS, `start` is outside the
 * supported years, or the deadline would fall beyond them; the outputs are
 * then left unchanged. */
enum rc_err rc_cal_add_workdays(const struct rc_cal *cal, int32_t start, int n, int32_t *due,
				int *warn);

/* The number of working days d with a < d <= b, into *n; when b < a, minus
 * the number with b < d <= a.  The inverse of rc_cal_add_workdays:
 * workdays_between(s, add_workdays(s, n)) == n.  *warn as above, for the
 * days of that interval.  RC_ERR_RANGE when a day is outside the supported
 * years (outputs unchanged). */
enum rc_err rc_cal_workdays_between(const struct rc_cal *cal, int32_t a, int32_t b, int *n,
				    int *warn);

/* The years that have data, ascending: the first `cap` into years[] (which
 * may be NULL when cap is 0).  Returns how many there are in all. */
int rc_cal_years(const struct rc_cal *cal, int *years, int cap);

/* The `source` line of a loaded year (the notice it transcribes), or NULL
 * when the year has no data.  Borrowed, valid until rc_cal_free(). */
const char *rc_cal_year_source(const struct rc_cal *cal, int year);

/* The name given to the `off` or `work` entry that covers `day` ("春节",
 * "春节调休"), or NULL when no entry covers it (an ordinary weekday or
 * weekend).  Borrowed, valid until rc_cal_free(). */
const char *rc_cal_day_name(const struct rc_cal *cal, int32_t day);

#endif
