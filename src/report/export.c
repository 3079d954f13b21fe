/*
 * export.c -- the cases of the store to a CSV file or an Excel workbook.
 *
 * One query (Q_CASE_EXPORT) reads the cases in id order with the codes of
 * their organisations and the official's name, a page at a time; each row
 * is handed to the CSV writer or the workbook as it is read, so an export
 * of any size runs in the memory of one page (a PostgreSQL result is read
 * whole).  The columns and their Chinese headers are
 * rc_case_columns, the same the import reads, so that an exported CSV
 * imports as the same cases (tests/cli/export.sh checks the round trip).
 *
 * The file is written as PATH.part and renamed over PATH at the end: a
 * failed or interrupted export never leaves a truncated file that looks
 * complete.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report/report_int.h"

#define PAGE 10000 /* cases read at a time */

/* The value of column c of the query's row, as the file shows it. */
static const char *value(struct rc_stmt *st, int c)
{
	if (rc_stmt_is_null(st, c))
		return "";
	const char *v = rc_stmt_text(st, c, NULL);
	/* the start path as the measures name it */
	if (c == RC_COL_START_PATH)
		return strcmp(v, "application") == 0  ? "依申请"
		       : strcmp(v, "ex_officio") == 0 ? "依职权"
						      : v;
	return v;
}

static enum rc_err csv_header(FILE *f)
{
	enum rc_err e = rc_csv_write_bom(f);
	for (int c = 0; c < RC_COL__COUNT && !e; c++)
		e = rc_csv_write_field(f, rc_case_columns[c].zh, strlen(rc_case_columns[c].zh),
				       c == 0, 0);
	return e ? e : rc_csv_end_record(f);
}

static enum rc_err csv_row(FILE *f, const char *const *v)
{
	enum rc_err e = RC_OK;
	for (int c = 0; c < RC_COL__COUNT && !e; c++)
		e = rc_csv_write_field(f, v[c], strlen(v[c]), c == 0,
				       rc_case_columns[c].text ? RC_CSV_TEXT : 0);
	return e ? e : rc_csv_end_record(f);
}

enum rc_err rc_report_export_cases(struct rc_store *s, const struct rc_export_opts *o,
				   int64_t *rows, struct rc_diags *d)
{
	struct rc_stmt *st;
	struct rc_xlsx *x = NULL;
	FILE *f = NULL;
	char tmp[4200];
	int row, tmp_made = 0;
	int64_t org = 0;
	enum rc_err e;
	*rows = 0;
	if (snprintf(tmp, sizeof(tmp), "%s.part", o->path) >= (int)sizeof(tmp)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: path too long", o->path);
		return RC_ERR_LIMIT;
	}
	if (o->handling) {
		if ((e = rc_store_stmt(s, Q_ORG_BY_CODE, &st)) ||
		    (e = rc_stmt_bind_str(st, 1, o->handling)) || (e = rc_stmt_step(st, &row)))
			goto out;
		if (!row) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "no organisation with code '%s'; `rongcuo org list` shows them",
				    o->handling);
			e = RC_ERR_NAME;
			goto out;
		}
		org = rc_stmt_int(st, 0);
	}
	remove(tmp);
	if (o->format == RC_REPORT_XLSX) {
		if ((e = rc_xlsx_open(tmp, o->sheet_rows, &x, d)))
			goto out;
	} else {
		if (!(f = fopen(tmp, "wb"))) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot write: %s", tmp,
				    strerror(errno));
			e = RC_ERR_IO;
			goto out;
		}
		tmp_made = 1;
		if ((e = csv_header(f)))
			goto io;
	}
	int64_t after = 0, got = PAGE;
	while (!e && got == PAGE) {
		got = 0;
		if ((e = rc_store_stmt(s, Q_CASE_EXPORT, &st)) ||
		    (e = org ? rc_stmt_bind_int(st, 1, org) : rc_stmt_bind_null(st, 1)) ||
		    (e = rc_stmt_bind_int(st, 2, after)) || (e = rc_stmt_bind_int(st, 3, PAGE)))
			goto out;
		while (!(e = rc_stmt_step(st, &row)) && row) {
			const char *v[RC_COL__COUNT];
			for (int c = 0; c < RC_COL__COUNT; c++)
				v[c] = value(st, c);
			if (x)
				e = rc_xlsx_row(x, v, d);
			else if ((e = csv_row(f, v)))
				goto io;
			if (e)
				goto out;
			++*rows;
			++got;
			after = rc_stmt_int(st, RC_COL__COUNT); /* c.id */
		}
	}
	if (e) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot read the cases: %s", rc_store_errmsg(s));
		goto out;
	}
	if (x) {
		e = rc_xlsx_close(x, d);
		x = NULL;
		tmp_made = 1;
		if (e)
			goto out;
	} else {
		int bad = fflush(f) != 0 || ferror(f);
		bad |= fclose(f) != 0;
		f = NULL;
		if (bad) {
			e = RC_ERR_IO;
			goto io;
		}
	}
	if (rename(tmp, o->path) != 0) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot rename to %s: %s", tmp, o->path,
			    strerror(errno));
		e = RC_ERR_IO;
		goto out;
	}
	tmp_made = 0;
	e = RC_OK;
	goto out;
io:
	rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot write: %s", tmp, strerror(errno));
out:
	rc_xlsx_abort(x);
	if (f)
		fclose(f);
	if (tmp_made && e)
		remove(tmp);
	if (e)
		*rows = 0;
	return e;
}
