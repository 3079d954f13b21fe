/*
 * report_int.h -- shared by the files of the report module: the Excel
 * writer behind the export (xlsx.c), so that export.c never sees
 * libxlsxwriter.
 */
#ifndef RC_REPORT_INT_H
#define RC_REPORT_INT_H

#include "procedure/procedure.h"
#include "report/report.h"

#define RC_XLSX_MAX_ROWS 1048575 /* Excel's rows per sheet, less the header */

struct rc_xlsx;

/* Begin a workbook of cases at `path` (written there by rc_xlsx_close),
 * with the header of rc_case_columns on every sheet and a new sheet every
 * `sheet_rows` data rows (0: RC_XLSX_MAX_ROWS).  Rows are written in order
 * and not kept in memory (libxlsxwriter's constant-memory mode). */
enum rc_err rc_xlsx_open(const char *path, int64_t sheet_rows, struct rc_xlsx **out,
			 struct rc_diags *d);

/* One case: RC_COL__COUNT values (NULL or "" for an empty cell) in the
 * order of rc_case_columns.  Dates become Excel dates, the official's id a
 * number, everything else text. */
enum rc_err rc_xlsx_row(struct rc_xlsx *x, const char *const *v, struct rc_diags *d);

/* Write the file and free; RC_ERR_IO with a message when it cannot be
 * written.  rc_xlsx_abort frees without writing (NULL-safe). */
enum rc_err rc_xlsx_close(struct rc_xlsx *x, struct rc_diags *d);
void rc_xlsx_abort(struct rc_xlsx *x);

#endif
