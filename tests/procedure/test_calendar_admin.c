/*
 * test_calendar_admin.c -- adding a year to the working-day calendar
 * (procedure/calendar.c): checked against the calendar in force, written
 * into the calendar directory with its audit row, given back as a new
 * calendar on which deadlines across that year are counted; a year in
 * force, a malformed text, two years in one text, a day another year
 * lists, a change that does not commit -- refused, and nothing written.
 *
 * The year added is 2027, whose notice is not published yet: its text
 * here is invented for the test and says so in its `source`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/calendar.h"
#include "core/date.h"
#include "crypto/crypto.h"
#include "procedure/procedure.h"

#include "fixture.h"

#define ADMIN "zhangsan" /* 张三, 系统管理员 */
#define ROLE  "系统管理员"

/* 2027, invented: 元旦 from Friday 01-01, 春节 with a Saturday worked */
static const char y2027[] = "year 2027\n"
			    "source \"测试用的虚构安排（并非国务院办公厅通知）\"\n"
			    "\n"
			    "off  2027-01-01..2027-01-03 元旦\n"
			    "off  2027-02-06..2027-02-14 春节\n"
			    "work 2027-02-20             春节调休  # Saturday\n";

static struct {
	char dir[4096], cdir[4200], db[4200];
	struct rc_store *s;
	uint8_t key[RC_AUDIT_KEY_LEN];
	struct rc_unit u;
	struct rc_diags *d;
	struct rc_cal *cal; /* the calendar in force: the directory as loaded */
} g;

static struct rc_diags *dg(void)
{
	rc_diags_init(g.d, "calendar");
	return g.d;
}

static char *slurp(const char *path, size_t *len)
{
	struct rc_buf b;
	rc_buf_init(&b, 1 << 20);
	assert_int_equal(rc_buf_read_file(&b, path), RC_OK);
	*len = b.len;
	return b.data; /* free() it */
}

static void put(const char *path, const char *s, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* The entries of the calendar directory, hidden ones included. */
static int files(void)
{
	char cmd[4400];
	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", g.cdir);
	FILE *p = popen(cmd, "r");
	int n = -1;
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

/* The audit rows of `action`, and the last one's object and after (the
 * SM3 of its text). */
static int64_t audit_rows(const char *action, char *object, char *after)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t n = 0;
	assert_int_equal(sqlite3_open_v2(g.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT object, after FROM audit WHERE action = ?1 "
					    "ORDER BY seq",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		n++;
		if (object)
			snprintf(object, 64, "%s", (const char *)sqlite3_column_text(st, 0));
		if (after)
			snprintf(after, 256, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void sql(const char *q)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(g.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int setup(void **state)
{
	char from[4400], to[4400];
	(void)state;
	g.d = malloc(sizeof(*g.d));
	assert_non_null(g.d);
	pf_store("rc-cal", g.dir, sizeof(g.dir), g.db, sizeof(g.db), &g.s, g.key, &g.u, g.d);
	snprintf(g.cdir, sizeof(g.cdir), "%s/calendar", g.dir);
	assert_int_equal(mkdir(g.cdir, 0700), 0);
	/* the server's calendar directory: the shipped years, 2023..2026 */
	for (int y = 2023; y <= 2026; y++) {
		size_t len;
		snprintf(from, sizeof(from), "%s/data/calendar/cn-%d.cal", RC_SOURCE_DIR, y);
		snprintf(to, sizeof(to), "%s/cn-%d.cal", g.cdir, y);
		char *t = slurp(from, &len);
		put(to, t, len);
		free(t);
	}
	assert_int_equal(rc_cal_new(&g.cal), RC_OK);
	assert_int_equal(rc_cal_load_dir(g.cal, g.cdir, dg()), RC_OK);
	return 0;
}

static int teardown(void **state)
{
	char cmd[4200];
	(void)state;
	rc_store_close(g.s);
	rc_cal_free(g.cal);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g.dir);
	assert_int_equal(system(cmd), 0);
	free(g.d);
	return 0;
}

/* The first error's text. */
static const char *first_error(void)
{
	for (int i = 0; i < g.d->count; i++)
		if (g.d->items[i].sev == RC_SEV_ERROR)
			return g.d->items[i].msg;
	return "";
}

/* A refused activation: its error, no file, no row, no calendar. */
static void refused(const char *text, size_t len, enum rc_err want, const char *msg)
{
	struct rc_cal *next = (struct rc_cal *)&g; /* must be reset */
	int before = files();
	int64_t rows = audit_rows("calendar.activate", NULL, NULL);
	assert_int_equal(
	    rc_proc_calendar_activate(&g.u, ADMIN, ROLE, g.cal, g.cdir, text, len, dg(), &next),
	    want);
	assert_null(next);
	if (msg && !strstr(first_error(), msg) && !strstr(g.d->items[g.d->count - 1].msg, msg)) {
		rc_diags_print(g.d, stderr);
		fail_msg("no message '%s'", msg);
	}
	assert_int_equal(files(), before);
	assert_int_equal(audit_rows("calendar.activate", NULL, NULL), rows);
}

static void test_check(void **state)
{
	int year = 0;
	(void)state;
	assert_int_equal(rc_proc_calendar_check(g.cal, y2027, strlen(y2027), dg(), &year), RC_OK);
	assert_int_equal(year, 2027);
	assert_int_equal(g.d->count, 0);
	/* a check writes nothing */
	assert_int_equal(files(), 4);
	assert_int_equal(audit_rows("calendar.activate", NULL, NULL), 0);
	assert_int_equal(rc_cal_years(g.cal, NULL, 0), 4);
}

static void test_refusals(void **state)
{
	char path[4400];
	size_t len;
	(void)state;
	/* a year in force: its own file again, as if corrected */
	snprintf(path, sizeof(path), "%s/cn-2026.cal", g.cdir);
	char *t2026 = slurp(path, &len);
	refused(t2026, len, RC_ERR_CONFLICT, "a correction is an edit of its file and a restart");
	assert_non_null(strstr(g.d->items[0].msg, "year 2026 is already loaded from"));
	free(t2026);

	/* malformed */
	static const char bad[] = "year 2027\nsource \"x\"\noff 2027-02-30 春节\n";
	refused(bad, strlen(bad), RC_ERR_RANGE, "impossible date `2027-02-30`");
	static const char junk[] = "假期安排见附件\n";
	refused(junk, strlen(junk), RC_ERR_SYNTAX, NULL);
	refused("", 0, RC_ERR_SYNTAX, "missing `year YYYY`");

	/* two years in one text: one file is one year */
	char two[2048];
	int n =
	    snprintf(two, sizeof(two), "%syear 2028\nsource \"y\"\noff 2028-01-01 元旦\n", y2027);
	refused(two, (size_t)n, RC_ERR_SYNTAX, "`year` given twice (first at line 1)");

	/* a day another year lists: cn-2023.cal has 2022-12-31 */
	static const char y2022[] = "year 2022\nsource \"z\"\noff 2022-12-31 元旦\n";
	refused(y2022, strlen(y2022), RC_ERR_CONFLICT, "2022-12-31 is already listed as `off` in");

	/* over the file cap */
	char *big = malloc(RC_CAL_MAX_BYTES + 2);
	assert_non_null(big);
	memset(big, '#', RC_CAL_MAX_BYTES + 1);
	refused(big, RC_CAL_MAX_BYTES + 1, RC_ERR_LIMIT, "file larger than 65536 bytes");
	free(big);

	/* a file of that name in the directory, not loaded (its `year` line
	 * says another year): never overwritten */
	snprintf(path, sizeof(path), "%s/cn-2027.cal", g.cdir);
	static const char other[] = "year 2029\nsource \"w\"\noff 2029-01-01 元旦\n";
	put(path, other, strlen(other));
	refused(y2027, strlen(y2027), RC_ERR_CONFLICT, "is in the calendar directory already");
	char *still = slurp(path, &len);
	assert_int_equal(len, strlen(other));
	assert_memory_equal(still, other, len);
	free(still);
	assert_int_equal(unlink(path), 0);
}

/* The change writes the file, then its audit row cannot be written: the
 * transaction rolls back and the file is removed with it. */
static void test_not_committed(void **state)
{
	(void)state;
	sql("CREATE TRIGGER no_calendar BEFORE INSERT ON audit WHEN NEW.action = "
	    "'calendar.activate' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
	struct rc_cal *next = NULL;
	int before = files();
	enum rc_err e = rc_proc_calendar_activate(&g.u, ADMIN, ROLE, g.cal, g.cdir, y2027,
						  strlen(y2027), dg(), &next);
	sql("DROP TRIGGER no_calendar");
	assert_int_not_equal(e, RC_OK);
	assert_null(next);
	assert_non_null(strstr(first_error(), "cannot write the audit row"));
	assert_int_equal(files(), before); /* neither the year nor its temporary file */
	assert_int_equal(audit_rows("calendar.activate", NULL, NULL), 0);
}

static void test_activate(void **state)
{
	char path[4400], object[64], after[256], want[256], hex[2 * RC_SM3_LEN + 1];
	uint8_t sum[RC_SM3_LEN];
	struct rc_cal *next = NULL, *again = NULL;
	int32_t due = 0, start = rc_date_from_ymd(2026, 12, 30); /* a Wednesday */
	int warn = -1, years[8];
	size_t len;
	(void)state;
	/* before: 2027 is counted on weekends alone, and said to be */
	assert_int_equal(rc_cal_add_workdays(g.cal, start, 5, &due, &warn), RC_OK);
	assert_int_equal(due, rc_date_from_ymd(2027, 1, 6));
	assert_int_equal(warn, 1);

	assert_int_equal(rc_proc_calendar_activate(&g.u, ADMIN, ROLE, g.cal, g.cdir, y2027,
						   strlen(y2027), dg(), &next),
			 RC_OK);
	assert_non_null(next);
	assert_ptr_not_equal(next, g.cal);
	/* the file, as given, and nothing else */
	snprintf(path, sizeof(path), "%s/cn-2027.cal", g.cdir);
	char *t = slurp(path, &len);
	assert_int_equal(len, strlen(y2027));
	assert_memory_equal(t, y2027, len);
	free(t);
	assert_int_equal(files(), 5);
	/* its audit row: the file and the text's SM3 */
	assert_int_equal(audit_rows("calendar.activate", object, after), 1);
	assert_string_equal(object, "calendar:2027");
	assert_int_equal(rc_sm3(y2027, strlen(y2027), sum), RC_OK);
	rc_hex(sum, sizeof(sum), hex);
	snprintf(want, sizeof(want), "file=cn-2027.cal\ndigest=%s\n", hex);
	/* the row keeps the SM3 of its after text (docs/modules/audit.md) */
	assert_int_equal(rc_sm3(want, strlen(want), sum), RC_OK);
	rc_hex(sum, sizeof(sum), hex);
	assert_string_equal(after, hex);

	/* the calendar in force is unchanged; the new one has the year */
	assert_int_equal(rc_cal_years(g.cal, years, 8), 4);
	assert_null(rc_cal_year_source(g.cal, 2027));
	assert_int_equal(rc_cal_years(next, years, 8), 5);
	assert_int_equal(years[4], 2027);
	assert_string_equal(rc_cal_year_source(next, 2027),
			    "测试用的虚构安排（并非国务院办公厅通知）");
	/* a deadline across the new year is counted on it: 元旦 is off */
	assert_int_equal(rc_cal_add_workdays(next, start, 5, &due, &warn), RC_OK);
	assert_int_equal(due, rc_date_from_ymd(2027, 1, 7));
	assert_int_equal(warn, 0);
	assert_string_equal(rc_cal_day_name(next, rc_date_from_ymd(2027, 2, 20)), "春节调休");

	/* the directory, as the next start loads it, holds the year too */
	assert_int_equal(rc_cal_new(&again), RC_OK);
	assert_int_equal(rc_cal_load_dir(again, g.cdir, dg()), RC_OK);
	assert_int_equal(rc_cal_years(again, NULL, 0), 5);
	rc_cal_free(again);

	/* and from now on it is a year in force: refused, whichever calendar
	 * it is checked against, and named by its file */
	int year = 0;
	assert_int_equal(rc_proc_calendar_check(next, y2027, strlen(y2027), dg(), &year),
			 RC_ERR_CONFLICT);
	assert_non_null(strstr(g.d->items[0].msg, "cn-2027.cal"));
	rc_cal_free(g.cal);
	g.cal = next;
	refused(y2027, strlen(y2027), RC_ERR_CONFLICT,
		"a correction is an edit of its file and a restart");
}

/* A notice whose holiday begins in the December of a year in force: allowed,
 * with a warning that it changes days of that year. */
static void test_december_before(void **state)
{
	static const char y2028[] = "year 2028\n"
				    "source \"测试用的虚构安排\"\n"
				    "off 2027-12-31..2028-01-02 元旦\n";
	int year = 0;
	(void)state;
	assert_int_equal(rc_proc_calendar_check(g.cal, y2028, strlen(y2028), dg(), &year), RC_OK);
	assert_int_equal(year, 2028);
	assert_int_equal(g.d->errors, 0);
	assert_int_equal(g.d->warnings, 1);
	assert_non_null(strstr(g.d->items[0].msg, "1 day(s) from 2027-12-31 lie in 2027"));
	/* a year whose December-before is not in force: nothing to say */
	static const char y2031[] = "year 2031\n"
				    "source \"测试用的虚构安排\"\n"
				    "off 2030-12-31..2031-01-01 元旦\n";
	assert_int_equal(rc_proc_calendar_check(g.cal, y2031, strlen(y2031), dg(), &year), RC_OK);
	assert_int_equal(g.d->count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_not_committed),
	    cmocka_unit_test(test_activate),
	    /* after test_activate: 2027 is in force */
	    cmocka_unit_test(test_december_before),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
