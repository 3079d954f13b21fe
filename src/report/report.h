/*
 * report.h -- what leaves rongcuo as a file, and the CSV it reads back.
 *
 * Two halves.  csv.c is a reader and a writer of RFC 4180 CSV that know
 * nothing of cases: a streaming reader with hard caps (file size, record
 * length, field length, number of fields) whose every error names the
 * record and field, and a writer that quotes exactly when RFC 4180 needs it
 * and guards text cells against spreadsheet formula injection.  It depends
 * on core/ only, so the fuzz harness links it alone.  export.c and xlsx.c
 * export cases -- CSV and Excel (.xlsx, through libxlsxwriter) with Chinese
 * headers -- reading them through the store's named queries; the columns
 * are procedure.h's rc_case_columns, so an exported CSV imports again
 * (`rongcuo import cases`) as the same cases.
 *
 * docs/modules/report.md describes the module; docs/cli.md the commands.
 */
#ifndef RC_REPORT_H
#define RC_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/diag.h"
#include "core/err.h"
#include "store/store.h"

/* ---- CSV reading (csv.c) ---------------------------------------------- */

/* Caps of one CSV file.  The defaults bound what one `rongcuo import` reads:
 * 1 GiB is about seven million cases of the documented columns. */
#define RC_CSV_MAX_FILE   (1ull << 30) /* bytes of the whole file */
#define RC_CSV_MAX_RECORD (64u << 10)  /* bytes of one record's fields together */
#define RC_CSV_MAX_FIELD  (4u << 10)   /* bytes of one field */
#define RC_CSV_MAX_FIELDS 256          /* fields of one record */

struct rc_csv_limits {
	uint64_t max_file;
	size_t max_record, max_field;
	int max_fields;
};

/* The defaults above. */
void rc_csv_limits_default(struct rc_csv_limits *l);

/* One record, as rc_csv_next returns it.  Everything is borrowed from the
 * reader and valid until its next call. */
struct rc_csv_record {
	char **fields; /* n fields, each NUL-terminated (a field never holds a NUL) */
	size_t *lens;  /* their lengths in bytes */
	int n;
	int64_t row;  /* the record's number, the first is 1, as a spreadsheet counts rows
	                 (a blank line is a row too) */
	int64_t line; /* the line of the file on which it starts */
	int eof;      /* no record: the end of the file */
	/* when rc_csv_next fails: */
	int bad_field; /* 0-based index of the field at fault, or -1 for the whole record */
	int fatal;     /* reading cannot go on (I/O error, the file cap) */
	char error[200];
};

struct rc_csv_reader;

/* A reader of `in` (borrowed: never closed by the reader), or of `len`
 * bytes of memory (borrowed until rc_csv_reader_free).  `lim` NULL: the
 * defaults.  A UTF-8 byte order mark at the start is skipped. */
enum rc_err rc_csv_reader_new(FILE *in, const struct rc_csv_limits *lim,
			      struct rc_csv_reader **out);
enum rc_err rc_csv_reader_mem(const char *data, size_t len, const struct rc_csv_limits *lim,
			      struct rc_csv_reader **out);
void rc_csv_reader_free(struct rc_csv_reader *r); /* NULL-safe */

/* Read the next record into *rec; blank lines are skipped (and counted as
 * rows).  RC_OK: a record, or rec->eof at the end.  RC_ERR_SYNTAX (bad
 * quoting, a NUL byte) or RC_ERR_LIMIT (a field, the record or the number of
 * fields over its cap): rec->error says what, rec->row and rec->bad_field
 * where; the reader has consumed the whole record, so the next call reads
 * the one after it.  With rec->fatal (RC_ERR_IO, or RC_ERR_LIMIT for the
 * file cap) reading cannot go on.  RC_ERR_NOMEM as usual. */
enum rc_err rc_csv_next(struct rc_csv_reader *r, struct rc_csv_record *rec);

/* Bytes consumed so far (for progress). */
uint64_t rc_csv_offset(const struct rc_csv_reader *r);

/* The number of records of the file at `path` (blank lines included), by a
 * quote-aware count of line ends -- for "rows done / total" progress, not
 * for validation.  RC_ERR_IO when it cannot be read. */
enum rc_err rc_csv_count_records(const char *path, uint64_t max_file, int64_t *records);

/* ---- CSV writing (csv.c) ---------------------------------------------- */

/* Field flags. */
#define RC_CSV_TEXT 1u /* free text: guarded against formula injection */

/* The UTF-8 byte order mark, so that Excel reads the Chinese as UTF-8. */
enum rc_err rc_csv_write_bom(FILE *out);

/* Write field `s` (len bytes) of a record; `first` when it opens the record.
 * The field is quoted when it holds a comma, a quote, CR or LF (a quote
 * doubled), begins or ends with a space, or begins with a byte order mark.  With RC_CSV_TEXT, a value that a
 * spreadsheet would run as a formula (one beginning with =, +, -, @, TAB or
 * CR, after any number of single quotes) is written with one more leading
 * single quote; rc_csv_unguard takes it off again, so export and import are
 * inverse.  RC_ERR_IO when the stream fails. */
enum rc_err rc_csv_write_field(FILE *out, const char *s, size_t len, int first, unsigned flags);
/* End the record (CRLF, as RFC 4180 writes it). */
enum rc_err rc_csv_end_record(FILE *out);

/* The inverse of the formula guard: when field[0..*len) is one or more
 * single quotes followed by =, +, -, @, TAB or CR, drop the first quote
 * (in place: *field moves on by one). */
void rc_csv_unguard(char **field, size_t *len);

/* ---- export of cases (export.c, xlsx.c) ------------------------------- */

enum rc_report_format { RC_REPORT_CSV, RC_REPORT_XLSX };

struct rc_export_opts {
	enum rc_report_format format;
	const char *path;     /* the file to write; written as PATH.part, then renamed */
	const char *handling; /* only the cases handled by this organisation (code) and
	                         the organisations below it; NULL for all */
	int64_t sheet_rows;   /* xlsx: data rows per worksheet; 0 for Excel's maximum
	                         (1,048,575), after which a new sheet is begun */
};

/* Export the cases, one row each in id order, under the Chinese headers of
 * rc_case_columns (procedure.h).  *rows receives the number of cases
 * written.  RC_ERR_NAME for an unknown --handling organisation, RC_ERR_IO
 * when the file cannot be written; every problem is in diags, and a failed
 * export leaves no file behind. */
enum rc_err rc_report_export_cases(struct rc_store *s, const struct rc_export_opts *o,
				   int64_t *rows, struct rc_diags *d);

#endif
