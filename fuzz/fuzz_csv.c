/*
 * fuzz_csv.c -- libFuzzer harness for the CSV reader and writer
 * (report/csv.c).
 *
 * Each input is read twice: with the default caps, and with small ones so
 * that every cap (field, record, number of fields) is reached.  Against
 * the reader's contract: fields hold no NUL and respect the caps, rows
 * increase, an error names a field that exists or the whole record, and the
 * end stays the end.  Every record read is then written back with the
 * writer -- as plain fields and as guarded text -- and read again: it must
 * come back identical (after rc_csv_unguard for the guarded form).  Any
 * violation aborts, which the fuzzer reports as a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write rec's fields as one record and read it back: the same fields. */
static void round_trip(const struct rc_csv_record *rec, unsigned flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct rc_csv_reader *r = NULL;
	struct rc_csv_record back;
	if (!f)
		return;
	for (int i = 0; i < rec->n; i++)
		if (rc_csv_write_field(f, rec->fields[i], rec->lens[i], i == 0, flags))
			abort();
	if (rc_csv_end_record(f))
		abort();
	fclose(f);
	/* caps large enough for a record that was read within them, plus the
	 * guard's quote and the writer's quoting */
	struct rc_csv_limits lim;
	rc_csv_limits_default(&lim);
	lim.max_field = lim.max_field * 2 + 4;
	lim.max_record = lim.max_record * 2 + 4 * (size_t)lim.max_fields;
	if (rc_csv_reader_mem(buf, len, &lim, &r))
		abort();
	enum rc_err e = rc_csv_next(r, &back);
	/* a record of one empty field is written as a blank line, which reads
	 * as no record: the one case that does not come back */
	if (rec->n == 1 && rec->lens[0] == 0) {
		if (e || !back.eof)
			abort();
		goto out;
	}
	if (e || back.eof || back.n != rec->n)
		abort();
	for (int i = 0; i < rec->n; i++) {
		char *p = back.fields[i];
		size_t n = back.lens[i];
		if (flags & RC_CSV_TEXT)
			rc_csv_unguard(&p, &n);
		if (n != rec->lens[i] || memcmp(p, rec->fields[i], n) != 0)
			abort();
	}
	if (rc_csv_next(r, &back) || !back.eof)
		abort();
out:
	rc_csv_reader_free(r);
	free(buf);
}

static void read_all(const uint8_t *data, size_t size, const struct rc_csv_limits *lim)
{
	struct rc_csv_reader *r = NULL;
	struct rc_csv_record rec;
	struct rc_csv_limits l;
	int64_t last = 0;
	if (lim)
		l = *lim;
	else
		rc_csv_limits_default(&l);
	if (rc_csv_reader_mem((const char *)data, size, &l, &r))
		return;
	for (int guard = 0; guard < 100000; guard++) {
		enum rc_err e = rc_csv_next(r, &rec);
		if (e == RC_ERR_NOMEM)
			break;
		if (rec.eof) {
			if (e || rc_csv_next(r, &rec) || !rec.eof)
				abort(); /* the end stays the end */
			break;
		}
		if (rec.row <= last)
			abort();
		last = rec.row;
		if (rc_csv_offset(r) > size)
			abort();
		if (e) {
			if (!rec.error[0] || rec.bad_field < -1 || rec.bad_field >= l.max_fields)
				abort();
			if (rec.fatal)
				break;
			continue;
		}
		if (rec.n < 1 || rec.n > l.max_fields)
			abort();
		size_t total = 0;
		for (int i = 0; i < rec.n; i++) {
			if (rec.lens[i] > l.max_field || strlen(rec.fields[i]) != rec.lens[i])
				abort();
			total += rec.lens[i];
		}
		if (total > l.max_record)
			abort();
		round_trip(&rec, 0);
		round_trip(&rec, RC_CSV_TEXT);
	}
	rc_csv_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rc_csv_limits small = {
	    .max_file = 4096, .max_record = 64, .max_field = 16, .max_fields = 4};
	read_all(data, size, NULL);
	read_all(data, size, &small);
	return 0;
}
