/*
 * cmd_calendar.c -- `rongcuo calendar check|show|add`: the working-day
 * calendar that deadlines are counted on (data/calendar, one file per year,
 * docs/modules/calendar.md).  The files are data an administrator edits when
 * the State Council publishes a year's notice; these commands check them and
 * show what they mean.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/calendar.h"
#include "core/date.h"

static const char usage[] =
    "usage: rongcuo calendar check [DIR]\n"
    "       rongcuo calendar show YEAR [DIR]\n"
    "       rongcuo calendar add DATE N [DIR]\n"
    "\n"
    "  check  load every *.cal file of DIR (default data/calendar, or $RONGCUO_CALENDAR):\n"
    "         errors as FILE:LINE:COL, then each year with the notice it transcribes\n"
    "  show   the year's holidays and make-up working days (调休), and its count of\n"
    "         working days\n"
    "  add    the deadline N working days after DATE (the day itself does not count);\n"
    "         warns when a day counted falls in a year without data\n"
    "\n"
    "Exit 0 ok, 1 a file has errors or a year has no data, 2 usage error, 3 unreadable.\n";

static const char *dir_of(const char *arg)
{
	const char *env = getenv("RONGCUO_CALENDAR");
	return arg ? arg : env && *env ? env : "data/calendar";
}

int rc_cmd_calendar(int argc, char **argv)
{
	struct rc_cal *cal = NULL;
	struct rc_diags d;
	int rc = RC_EXIT_OK;
	if (rc_cli_help(argc, argv, usage))
		return RC_EXIT_OK;
	const char *sub = argc >= 2 ? argv[1] : "";
	int check = strcmp(sub, "check") == 0, show = strcmp(sub, "show") == 0;
	int add = strcmp(sub, "add") == 0;
	if ((check && argc > 3) || (show && (argc < 3 || argc > 4)) ||
	    (add && (argc < 4 || argc > 5)) || (!check && !show && !add)) {
		fputs(usage, stderr);
		return RC_EXIT_USAGE;
	}
	const char *dir = dir_of(check  ? (argc == 3 ? argv[2] : NULL)
				 : show ? (argc == 4 ? argv[3] : NULL)
					: (argc == 5 ? argv[4] : NULL));
	rc_diags_init(&d, dir);
	if (rc_cal_new(&cal)) {
		rc = RC_EXIT_INPUT;
		goto out;
	}
	enum rc_err e = rc_cal_load_dir(cal, dir, &d);
	if (e == RC_ERR_IO || e == RC_ERR_NOT_FOUND) {
		rc = RC_EXIT_INPUT;
		goto out;
	}
	if (e)
		rc = RC_EXIT_NO;
	if (check) {
		int years[512], n = rc_cal_years(cal, years, 512);
		for (int i = 0; i < n && i < 512; i++)
			printf("%d  %s\n", years[i], rc_cal_year_source(cal, years[i]));
		printf("%s: %d years loaded, %d errors\n", dir, n, d.errors);
	} else if (show) {
		char *end;
		long y = strtol(argv[2], &end, 10);
		if (*end || y < RC_DATE_MIN_YEAR || y > RC_DATE_MAX_YEAR) {
			fprintf(stderr, "rongcuo calendar show: '%s' is not a year (%d-%d)\n",
				argv[2], RC_DATE_MIN_YEAR, RC_DATE_MAX_YEAR);
			rc = RC_EXIT_USAGE;
			goto out;
		}
		const char *src = rc_cal_year_source(cal, (int)y);
		if (!src) {
			printf(
			    "%ld: no data -- enter the State Council's notice for this year; until "
			    "then deadlines count weekdays only\n",
			    y);
			rc = RC_EXIT_NO;
			goto out;
		}
		printf("%ld  %s\n", y, src);
		int32_t first = rc_date_from_ymd((int)y, 1, 1),
			last = rc_date_from_ymd((int)y, 12, 31);
		int work = 0;
		for (int32_t day = first; day <= last; day++) {
			int is = 0;
			rc_cal_is_workday(cal, day, &is);
			work += is;
			const char *name = rc_cal_day_name(cal, day);
			/* only the days the notice names: holidays and make-up days */
			if (name) {
				static const char *const wd[] = {"一", "二", "三", "四",
								 "五", "六", "日"};
				char ds[RC_DATE_STRLEN];
				rc_date_format(day, ds);
				printf("  %s 周%s  %s  %s\n", ds, wd[rc_date_weekday(day)],
				       is ? "上班(调休)" : "休息", name);
			}
		}
		printf("%ld: %d working days\n", y, work);
	} else {
		int32_t start, due;
		int warn = 0;
		char *end;
		long n = strtol(argv[3], &end, 10);
		if (rc_date_parse(argv[2], strlen(argv[2]), &start) || *end || n < 0 || n > 10000) {
			fprintf(stderr,
				"rongcuo calendar add: DATE is YYYY-MM-DD and N 0..10000\n");
			rc = RC_EXIT_USAGE;
			goto out;
		}
		if (rc_cal_add_workdays(cal, start, (int)n, &due, &warn)) {
			fprintf(stderr, "rongcuo calendar add: the deadline falls outside %d-%d\n",
				RC_DATE_MIN_YEAR, RC_DATE_MAX_YEAR);
			rc = RC_EXIT_USAGE;
			goto out;
		}
		char ds[RC_DATE_STRLEN];
		rc_date_format(due, ds);
		printf("%s\n", ds);
		if (warn) {
			fprintf(stderr,
				"rongcuo calendar: warning: a day counted falls in a year without "
				"holiday data; it was counted on weekdays only\n");
			rc = RC_EXIT_NO;
		}
	}
out:
	rc_diags_print(&d, stderr);
	rc_cal_free(cal);
	return rc;
}
