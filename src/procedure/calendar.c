/*
 * calendar.c -- the working-day calendar (工作日历) administered from the
 * web: check one year's text against the calendar in force, and activate
 * it.
 *
 * A year is a file in the calendar directory the server loaded
 * (docs/modules/calendar.md), so activating one is writing its file, as
 * policies.c does for a policy version: the text goes to a temporary name
 * inside the unit of work whose audit row records the file and its digest,
 * and takes its name only after the commit; when the change does not
 * commit the file is removed, so the directory never holds a year the
 * audit trail does not know.  Years are only added.  A year loaded already
 * is never replaced from here: the deadlines stored were counted on it, and
 * a correction (an erratum of the notice) is an edit of its file and a
 * restart, made knowingly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/calendar.h"
#include "core/date.h"
#include "crypto/crypto.h"
#include "procedure/procedure_int.h"

/*
 * The days of the December before that the text lists while that year is
 * loaded: allowed (a holiday belongs to the notice of the year it ends in),
 * but they change days of a year in force, on which deadlines were counted
 * without them -- said as a warning.  Parsed again into an empty calendar
 * of its own, with diagnostics of its own (the text passed the check, so
 * this parse passes too).
 */
static enum rc_err warn_december(const struct rc_cal *cal, int year, const char *text, size_t len,
				 struct rc_diags *d)
{
	struct rc_cal *one = NULL;
	struct rc_diags *scratch = NULL;
	enum rc_err e = RC_OK;
	int n = 0;
	int32_t first = 0;
	if (year <= RC_DATE_MIN_YEAR || !cal || !rc_cal_year_source(cal, year - 1))
		return RC_OK;
	scratch = malloc(sizeof(*scratch));
	if (!scratch || (e = rc_cal_new(&one)))
		goto out;
	rc_diags_init(scratch, d->file);
	if (rc_cal_load_text(one, text, len, scratch) != RC_OK)
		goto out; /* cannot happen after the check: nothing to say */
	for (int32_t day = rc_date_from_ymd(year - 1, 12, 1); day < rc_date_from_ymd(year, 1, 1);
	     day++)
		if (rc_cal_day_name(one, day)) {
			if (!n++)
				first = day;
		}
	if (n) {
		char b[RC_DATE_STRLEN];
		rc_date_format(first, b);
		rc_diag_add(d, RC_SEV_WARNING, 0, 0,
			    "%d day(s) from %s lie in %d, which is in force: deadlines counted "
			    "across them so far were counted without this notice",
			    n, b, year - 1);
	}
out:
	rc_cal_free(one);
	free(scratch);
	return e == RC_ERR_NOMEM ? e : RC_OK;
}

enum rc_err rc_proc_calendar_check(const struct rc_cal *cal, const char *text, size_t len,
				   struct rc_diags *d, int *year)
{
	int y = 0;
	*year = 0;
	/* the parser says where the cap was passed; one year's file is far
	 * smaller, and the text is only ever one file */
	enum rc_err e = rc_cal_check_text(cal, text, len, d, &y);
	if (e == RC_ERR_CONFLICT && y && cal && rc_cal_year_source(cal, y)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "a year in force is never replaced here: the deadlines stored were "
			    "counted on it; a correction is an edit of its file and a restart");
		return e;
	}
	if (e)
		return e;
	if (y < RC_DATE_MIN_YEAR || y > RC_DATE_MAX_YEAR)
		return RC_ERR_INTERNAL; /* the parser accepts no other */
	if ((e = warn_december(cal, y, text, len, d)))
		return e;
	*year = y;
	return RC_OK;
}

struct activate {
	const char *dir, *text;
	size_t len;
	struct rc_cal *next;      /* the directory's years and this one */
	struct rc_diags *scratch; /* the load of this year into `next` */
	char path[1400], tmp[1450], name[32], object[32], after[160];
	int written;
};

/*
 * Inside the change's transaction, under the store's write lock, so that
 * two activations (two processes on one data directory) cannot both pass:
 * the directory loaded as the next start will load it, plus this year --
 * the calendar the caller publishes, so that nothing of it is left to fail
 * after the commit -- then the text to a temporary file, fsync'd.  The
 * year's file is named after the commit (rc_proc_calendar_activate).
 */
static enum rc_err do_activate(struct rc_store *s, void *ctx, struct rc_audit_entry *row,
			       struct rc_diags *d)
{
	struct activate *x = ctx;
	enum rc_err e;
	(void)s;
	(void)row;
	/* a retried attempt starts afresh */
	rc_cal_free(x->next);
	x->next = NULL;
	if (access(x->path, F_OK) == 0) {
		/* not loaded, yet there: a file whose name says another year
		 * than its `year` line, or one put there since the start */
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "%s is in the calendar directory already, though its year is not in "
			    "force: remove or rename that file first",
			    x->path);
		return RC_ERR_CONFLICT;
	}
	if ((e = rc_cal_new(&x->next)))
		return e;
	if ((e = rc_cal_load_dir(x->next, x->dir, d)))
		return e == RC_ERR_NOMEM ? e : RC_ERR_CONFLICT; /* said in d */
	/* The year is recorded under the name its file will have, for the
	 * messages of later checks ("already loaded from ...").  Its own
	 * diagnostics, so that the check's warnings are not said twice: only
	 * a refusal (a file of the directory the calendar in force does not
	 * hold) is passed on. */
	rc_diags_init(x->scratch, x->path);
	if ((e = rc_cal_load_text(x->next, x->text, x->len, x->scratch))) {
		rc_diags_merge(d, x->scratch);
		return e == RC_ERR_NOMEM ? e : RC_ERR_CONFLICT;
	}
	if ((e = rc_proc_file_stage(x->tmp, x->text, x->len, d)))
		return e;
	x->written = 1;
	return RC_OK;
}

enum rc_err rc_proc_calendar_activate(struct rc_unit *u, const char *actor, const char *role,
				      const struct rc_cal *cal, const char *dir, const char *text,
				      size_t len, struct rc_diags *d, struct rc_cal **out)
{
	struct activate x = {.dir = dir, .text = text, .len = len};
	uint8_t sum[RC_SM3_LEN];
	char hex[2 * RC_SM3_LEN + 1];
	int year = 0;
	*out = NULL;
	enum rc_err e = rc_proc_calendar_check(cal, text, len, d, &year);
	if (e)
		return e;
	if ((e = rc_sm3(text, len, sum)))
		return e;
	rc_hex(sum, sizeof(sum), hex);
	snprintf(x.name, sizeof(x.name), "cn-%d.cal", year);
	int n = snprintf(x.path, sizeof(x.path), "%s/%s", dir, x.name);
	int m = snprintf(x.tmp, sizeof(x.tmp), "%s/.%s.tmp", dir, x.name);
	if (n < 0 || (size_t)n >= sizeof(x.path) || m < 0 || (size_t)m >= sizeof(x.tmp)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "the calendar directory's path is too long");
		return RC_ERR_LIMIT;
	}
	if (!(x.scratch = malloc(sizeof(*x.scratch))))
		return RC_ERR_NOMEM;
	snprintf(x.object, sizeof(x.object), "calendar:%d", year);
	snprintf(x.after, sizeof(x.after), "file=%s\ndigest=%s\n", x.name, hex);
	struct rc_audit_entry a = {.user = actor,
				   .role = role,
				   .org = "-",
				   .action = "calendar.activate",
				   .object = x.object,
				   .before = "",
				   .after = x.after};
	e = rc_unit_change(u, &a, do_activate, &x, d);
	free(x.scratch);
	if (e) {
		/* not committed (or not known to be): no file takes the name,
		 * so no start loads a year the trail may not know */
		if (x.written)
			unlink(x.tmp);
		rc_cal_free(x.next);
		return e;
	}
	/* committed: the file takes its name (files.c) */
	if ((e = rc_proc_file_name(x.tmp, x.path, dir, x.object, d))) {
		rc_cal_free(x.next);
		return e;
	}
	*out = x.next;
	return RC_OK;
}
