/*
 * xlsx.c -- cases to an Excel workbook through libxlsxwriter.
 *
 * The workbook is written in libxlsxwriter's constant-memory mode: each row
 * goes to a temporary file as soon as the next one begins, so exporting a
 * million cases takes the memory of one row.  Cells are typed so that Excel
 * can sort and filter them: dates are Excel dates (shown YYYY-MM-DD), the
 * official's id a number, everything else a string -- never a formula, so a
 * value that begins with '=' stays text (CSV needs the guard of csv.c for
 * that; a workbook does not).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/date.h"
#include "report/report_int.h"

struct rc_xlsx {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *date;
	int64_t sheet_rows, row; /* row: data rows on the current sheet */
	int sheets;
};

/* Column widths in Excel's units (characters of the default font; a
 * Chinese character is about two). */
static const double widths[RC_COL__COUNT] = {
    [RC_COL_CODE] = 20,      [RC_COL_PERSON] = 8,      [RC_COL_PERSON_NAME] = 12,
    [RC_COL_UNIT] = 10,      [RC_COL_START_PATH] = 10, [RC_COL_SOURCE] = 10,
    [RC_COL_REF] = 24,       [RC_COL_HANDLING] = 10,   [RC_COL_COMMITTEE] = 12,
    [RC_COL_OPENED_ON] = 12, [RC_COL_STATE] = 10,      [RC_COL_STATE_ON] = 12,
    [RC_COL_OUTCOME] = 14,   [RC_COL_DECIDED_ON] = 12, [RC_COL_VERSION] = 14,
};

static enum rc_err lxw_failed(lxw_error err, const char *what, struct rc_diags *d)
{
	rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot write the workbook: %s: %s", what,
		    lxw_strerror(err));
	return RC_ERR_IO;
}

/* A new sheet with its header. */
static enum rc_err new_sheet(struct rc_xlsx *x, struct rc_diags *d)
{
	char name[32];
	lxw_error err;
	x->sheets++;
	if (x->sheets == 1)
		snprintf(name, sizeof(name), "案件");
	else
		snprintf(name, sizeof(name), "案件(%d)", x->sheets);
	if (!(x->ws = workbook_add_worksheet(x->wb, name))) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot add worksheet %s", name);
		return RC_ERR_NOMEM;
	}
	for (int c = 0; c < RC_COL__COUNT; c++) {
		if ((err =
			 worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL)))
			return lxw_failed(err, "column width", d);
		if ((err = worksheet_write_string(x->ws, 0, (lxw_col_t)c, rc_case_columns[c].zh,
						  x->head)))
			return lxw_failed(err, "header", d);
	}
	worksheet_freeze_panes(x->ws, 1, 0);
	x->row = 0;
	return RC_OK;
}

enum rc_err rc_xlsx_open(const char *path, int64_t sheet_rows, struct rc_xlsx **out,
			 struct rc_diags *d)
{
	enum rc_err e;
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
	struct rc_xlsx *x = calloc(1, sizeof(*x));
	*out = NULL;
	if (!x)
		return RC_ERR_NOMEM;
	x->sheet_rows =
	    sheet_rows > 0 && sheet_rows <= RC_XLSX_MAX_ROWS ? sheet_rows : RC_XLSX_MAX_ROWS;
	if (!(x->wb = workbook_new_opt(path, &opt))) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot begin the workbook", path);
		free(x);
		return RC_ERR_IO;
	}
	lxw_doc_properties props = {.title = "容错纠错案件", .subject = "rongcuo export cases"};
	workbook_set_properties(x->wb, &props);
	if (!(x->head = workbook_add_format(x->wb)) || !(x->date = workbook_add_format(x->wb))) {
		rc_xlsx_abort(x);
		return RC_ERR_NOMEM;
	}
	format_set_bold(x->head);
	format_set_bg_color(x->head, 0xDDEBF7);
	format_set_bottom(x->head, LXW_BORDER_THIN);
	format_set_num_format(x->date, "yyyy-mm-dd");
	if ((e = new_sheet(x, d))) {
		rc_xlsx_abort(x);
		return e;
	}
	*out = x;
	return RC_OK;
}

static void autofilter(struct rc_xlsx *x)
{
	worksheet_autofilter(x->ws, 0, 0, (lxw_row_t)x->row, RC_COL__COUNT - 1);
}

enum rc_err rc_xlsx_row(struct rc_xlsx *x, const char *const *v, struct rc_diags *d)
{
	enum rc_err e;
	lxw_error err = LXW_NO_ERROR;
	if (x->row >= x->sheet_rows) {
		autofilter(x);
		if ((e = new_sheet(x, d)))
			return e;
	}
	lxw_row_t r = (lxw_row_t)++x->row;
	for (int c = 0; c < RC_COL__COUNT && !err; c++) {
		const char *s = v[c];
		int32_t day;
		if (!s || !*s)
			continue;
		if ((c == RC_COL_OPENED_ON || c == RC_COL_STATE_ON || c == RC_COL_DECIDED_ON) &&
		    rc_date_parse(s, strlen(s), &day) == RC_OK) {
			lxw_datetime dt = {0};
			rc_date_to_ymd(day, &dt.year, &dt.month, &dt.day);
			err = worksheet_write_datetime(x->ws, r, (lxw_col_t)c, &dt, x->date);
		} else if (c == RC_COL_PERSON) {
			err = worksheet_write_number(x->ws, r, (lxw_col_t)c, strtod(s, NULL), NULL);
		} else {
			err = worksheet_write_string(x->ws, r, (lxw_col_t)c, s, NULL);
		}
	}
	return err ? lxw_failed(err, "a row", d) : RC_OK;
}

enum rc_err rc_xlsx_close(struct rc_xlsx *x, struct rc_diags *d)
{
	autofilter(x);
	lxw_error err = workbook_close(x->wb);
	free(x);
	return err ? lxw_failed(err, "closing", d) : RC_OK;
}

void rc_xlsx_abort(struct rc_xlsx *x)
{
	if (!x)
		return;
	lxw_workbook_free(x->wb);
	free(x);
}
