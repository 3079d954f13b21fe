/*
 * test_csv.c -- unit tests of the CSV reader and writer (report/csv.c).
 *
 * The reader: what spreadsheets write (CRLF, a byte order mark, a last line
 * without its end, quoted commas, quotes and line breaks), rows counted as
 * a spreadsheet counts them, every error with its row and field and the
 * record after it still read, every cap.  The writer: quoting exactly when
 * needed, the formula guard and its inverse, and records that read back as
 * written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/report.h"

static struct rc_csv_reader *reader(const char *text, const struct rc_csv_limits *lim)
{
	struct rc_csv_reader *r = NULL;
	assert_int_equal(rc_csv_reader_mem(text, strlen(text), lim, &r), RC_OK);
	return r;
}

/* The next record must be OK with exactly the given fields (NULL-ended). */
static void expect(struct rc_csv_reader *r, int64_t row, ...)
{
	struct rc_csv_record rec;
	va_list ap;
	int i = 0;
	assert_int_equal(rc_csv_next(r, &rec), RC_OK);
	assert_false(rec.eof);
	assert_int_equal(rec.row, row);
	va_start(ap, row);
	for (const char *f; (f = va_arg(ap, const char *)); i++) {
		assert_true(i < rec.n);
		assert_int_equal(rec.lens[i], strlen(f));
		assert_string_equal(rec.fields[i], f);
	}
	va_end(ap);
	assert_int_equal(rec.n, i);
}

static void expect_eof(struct rc_csv_reader *r)
{
	struct rc_csv_record rec;
	assert_int_equal(rc_csv_next(r, &rec), RC_OK);
	assert_true(rec.eof);
	assert_int_equal(rc_csv_next(r, &rec), RC_OK); /* and stays there */
	assert_true(rec.eof);
}

/* The next record must fail with `e` at row/field, the message containing
 * `msg`. */
static void expect_error(struct rc_csv_reader *r, enum rc_err e, int64_t row, int field,
			 const char *msg)
{
	struct rc_csv_record rec;
	assert_int_equal(rc_csv_next(r, &rec), e);
	assert_int_equal(rec.row, row);
	assert_int_equal(rec.bad_field, field);
	if (!strstr(rec.error, msg))
		fail_msg("error '%s' lacks '%s'", rec.error, msg);
}

static void reads_what_spreadsheets_write(void **state)
{
	(void)state;
	struct rc_csv_reader *r = reader("\xef\xbb\xbf案件编号,关联问责事项,x\r\n"
					 "A-1,\"问责, 第1号\",\"他说\"\"对\"\"\"\r\n"
					 "\r\n"
					 "A-2,\"two\nlines\",\r\n"
					 "A-3,,\"\"\n"
					 "last,line,no-end",
					 NULL);
	expect(r, 1, "案件编号", "关联问责事项", "x", NULL);
	expect(r, 2, "A-1", "问责, 第1号", "他说\"对\"", NULL);
	/* row 3 is blank: skipped, but counted */
	expect(r, 4, "A-2", "two\nlines", "", NULL);
	expect(r, 5, "A-3", "", "", NULL);
	expect(r, 6, "last", "line", "no-end", NULL);
	expect_eof(r);
	rc_csv_reader_free(r);
}

static void errors_name_row_and_field_and_reading_goes_on(void **state)
{
	(void)state;
	struct rc_csv_reader *r = NULL;
	/* a NUL byte inside: the length is given, not found */
	static const char text[] = "a,b,c\n"
				   "x,y\"z,w\n"
				   "ok,1,2\n"
				   "\"q\"r,s,t\n"
				   "n\0ul,1,2\n"
				   "fine,3,4\n"
				   "x,\"open\n";
	assert_int_equal(rc_csv_reader_mem(text, sizeof(text) - 1, NULL, &r), RC_OK);
	expect(r, 1, "a", "b", "c", NULL);
	expect_error(r, RC_ERR_SYNTAX, 2, 1, "a quote inside an unquoted field");
	expect(r, 3, "ok", "1", "2", NULL);
	expect_error(r, RC_ERR_SYNTAX, 4, 0, "text after the closing quote");
	expect_error(r, RC_ERR_SYNTAX, 5, 0, "a NUL byte");
	expect(r, 6, "fine", "3", "4", NULL);
	expect_error(r, RC_ERR_SYNTAX, 7, 1, "not closed before the end of the file");
	expect_eof(r);
	rc_csv_reader_free(r);
}

static void caps(void **state)
{
	(void)state;
	struct rc_csv_limits lim = {
	    .max_file = 1000, .max_record = 12, .max_field = 5, .max_fields = 3};
	struct rc_csv_reader *r = reader("ab,cd\n"
					 "abcdef,x\n"
					 "abcde,abcde,abc\n"
					 "a,b,c,d\n"
					 "\"a,b\",c\n",
					 &lim);
	expect(r, 1, "ab", "cd", NULL);
	expect_error(r, RC_ERR_LIMIT, 2, 0, "field 1 is longer than 5 bytes");
	expect_error(r, RC_ERR_LIMIT, 3, -1, "the row is longer than 12 bytes");
	expect_error(r, RC_ERR_LIMIT, 4, -1, "more than 3 fields");
	expect(r, 5, "a,b", "c", NULL);
	expect_eof(r);
	rc_csv_reader_free(r);

	/* the file cap stops reading */
	lim.max_file = 10;
	struct rc_csv_record rec;
	r = reader("a,b\nc,d\ne,f\ng,h\n", &lim);
	expect(r, 1, "a", "b", NULL);
	expect(r, 2, "c", "d", NULL);
	assert_int_equal(rc_csv_next(r, &rec), RC_ERR_LIMIT);
	assert_true(rec.fatal);
	assert_non_null(strstr(rec.error, "larger than 10 bytes"));
	rc_csv_reader_free(r);
}

static void stream_and_count(void **state)
{
	(void)state;
	char path[] = "/tmp/rc-test-csv-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w+b");
	assert_non_null(f);
	/* more than the reader's 64 KiB buffer, with a quoted line break */
	fputs("code,note\n", f);
	for (int i = 0; i < 5000; i++)
		fprintf(f, "C-%d,\"row %d\nsecond line, with a comma\"\n", i, i);
	fputs("\n", f);
	fflush(f);
	int64_t n = 0;
	assert_int_equal(rc_csv_count_records(path, RC_CSV_MAX_FILE, &n), RC_OK);
	assert_int_equal(n, 5002); /* header, 5000 rows, one blank line */
	assert_int_equal(rc_csv_count_records(path, 100, &n), RC_ERR_LIMIT);
	rewind(f);
	struct rc_csv_reader *r = NULL;
	struct rc_csv_record rec;
	assert_int_equal(rc_csv_reader_new(f, NULL, &r), RC_OK);
	expect(r, 1, "code", "note", NULL);
	for (int i = 0; i < 5000; i++) {
		assert_int_equal(rc_csv_next(r, &rec), RC_OK);
		assert_int_equal(rec.row, i + 2);
		assert_int_equal(rec.line, 2 + 2 * i);
		assert_int_equal(rec.n, 2);
		assert_true(strncmp(rec.fields[1], "row ", 4) == 0);
	}
	expect_eof(r);
	assert_true(rc_csv_offset(r) > 64u << 10);
	rc_csv_reader_free(r);
	fclose(f);
	unlink(path);
}

/* Write fields as one record into a string (caller frees). */
static char *write_record(unsigned flags, const char *const *v, int n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	for (int i = 0; i < n; i++)
		assert_int_equal(rc_csv_write_field(f, v[i], strlen(v[i]), i == 0, flags), RC_OK);
	assert_int_equal(rc_csv_end_record(f), RC_OK);
	fclose(f);
	return buf;
}

static void writer_quotes_and_guards(void **state)
{
	(void)state;
	static const char *const plain[] = {"A-1",  "问责, 第1号", "他说\"对\"",
					    " pad", "two\nlines",  "=SUM(A1)"};
	char *s = write_record(0, plain, 6);
	assert_string_equal(
	    s, "A-1,\"问责, 第1号\",\"他说\"\"对\"\"\",\" pad\",\"two\nlines\",=SUM(A1)\r\n");
	free(s);
	static const char *const text[] = {"=SUM(A1)", "-1", "'@x", "''", "+", "safe", "x=1"};
	s = write_record(RC_CSV_TEXT, text, 7);
	assert_string_equal(s, "'=SUM(A1),'-1,''@x,'','+,safe,x=1\r\n");
	/* and they read back, after the inverse */
	struct rc_csv_reader *r = reader(s, NULL);
	struct rc_csv_record rec;
	assert_int_equal(rc_csv_next(r, &rec), RC_OK);
	assert_int_equal(rec.n, 7);
	for (int i = 0; i < 7; i++) {
		char *p = rec.fields[i];
		size_t n = rec.lens[i];
		rc_csv_unguard(&p, &n);
		assert_int_equal(n, strlen(text[i]));
		assert_memory_equal(p, text[i], n);
	}
	rc_csv_reader_free(r);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reads_what_spreadsheets_write),
	    cmocka_unit_test(errors_name_row_and_field_and_reading_goes_on),
	    cmocka_unit_test(caps),
	    cmocka_unit_test(stream_and_count),
	    cmocka_unit_test(writer_quotes_and_guards),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
