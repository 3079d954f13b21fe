/*
 * csv.c -- RFC 4180 CSV: a streaming reader with caps, and a writer.
 *
 * The reader is a four-state machine (field start, unquoted, quoted, a
 * quote inside a quoted field) over a 64 KiB buffer; runs of ordinary bytes
 * are copied in one go, so a large import spends little time here.  It
 * accepts what spreadsheets write: LF or CRLF line ends, a UTF-8 byte order
 * mark, a last line without its line end.  What RFC 4180 forbids -- a quote
 * inside an unquoted field, text after a closing quote, a quoted field left
 * open at the end of the file -- is an error naming the record and field,
 * and so is a NUL byte; after an error the reader still consumes the whole
 * record, so that one bad row does not hide the rows after it.  Every size
 * that grows with the input is capped (report.h).
 *
 * This file depends on core/ only (the fuzz harness links it alone).
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

#define BUF_SIZE (64u << 10)
#define END      (-1) /* end of input */
#define FAILED   (-2) /* read error */

struct rc_csv_reader {
	FILE *in;                 /* NULL when reading memory */
	const unsigned char *buf; /* the buffer (or the memory) ... */
	unsigned char *own;       /* ... allocated when reading a stream */
	size_t pos, len;
	uint64_t offset; /* bytes consumed */
	struct rc_csv_limits lim;
	int64_t row, line;
	int started, done, failed;
	/* the current record: its fields back to back, each followed by a NUL */
	char *rec;
	size_t rec_len, rec_alloc;
	size_t *off, *lens;
	char **fields;
	int n, fields_alloc;
	/* while reading a record */
	size_t field_len; /* bytes of the current field so far */
	int over;         /* the current record broke a cap: stop storing */
	enum rc_err err;  /* the record's first error, or RC_OK */
	struct rc_csv_record *out;
};

void rc_csv_limits_default(struct rc_csv_limits *l)
{
	l->max_file = RC_CSV_MAX_FILE;
	l->max_record = RC_CSV_MAX_RECORD;
	l->max_field = RC_CSV_MAX_FIELD;
	l->max_fields = RC_CSV_MAX_FIELDS;
}

static enum rc_err reader_new(const struct rc_csv_limits *lim, struct rc_csv_reader **out)
{
	struct rc_csv_reader *r = calloc(1, sizeof(*r));
	*out = NULL;
	if (!r)
		return RC_ERR_NOMEM;
	if (lim)
		r->lim = *lim;
	else
		rc_csv_limits_default(&r->lim);
	if (r->lim.max_fields < 1 || r->lim.max_field < 1 || r->lim.max_record < 1) {
		free(r);
		return RC_ERR_RANGE;
	}
	r->line = 1;
	*out = r;
	return RC_OK;
}

enum rc_err rc_csv_reader_new(FILE *in, const struct rc_csv_limits *lim, struct rc_csv_reader **out)
{
	enum rc_err e = reader_new(lim, out);
	if (e)
		return e;
	(*out)->in = in;
	(*out)->own = malloc(BUF_SIZE);
	if (!(*out)->own) {
		rc_csv_reader_free(*out);
		*out = NULL;
		return RC_ERR_NOMEM;
	}
	(*out)->buf = (*out)->own;
	return RC_OK;
}

enum rc_err rc_csv_reader_mem(const char *data, size_t len, const struct rc_csv_limits *lim,
			      struct rc_csv_reader **out)
{
	enum rc_err e = reader_new(lim, out);
	if (e)
		return e;
	(*out)->buf = (const unsigned char *)data;
	(*out)->len = len;
	return RC_OK;
}

void rc_csv_reader_free(struct rc_csv_reader *r)
{
	if (!r)
		return;
	free(r->own);
	free(r->rec);
	free(r->off);
	free(r->lens);
	free(r->fields);
	free(r);
}

uint64_t rc_csv_offset(const struct rc_csv_reader *r)
{
	return r->offset;
}

/* Make sure a byte is buffered: 1, or 0 at the end of the input (r->failed
 * set on a read error). */
static int fill(struct rc_csv_reader *r)
{
	if (r->pos < r->len)
		return 1;
	if (!r->in)
		return 0;
	r->pos = 0;
	r->len = fread(r->own, 1, BUF_SIZE, r->in);
	if (r->len == 0 && ferror(r->in))
		r->failed = 1;
	return r->len > 0;
}

/* ---- building a record ---------------------------------------------- */

/* Record the record's first error. */
static void fail(struct rc_csv_reader *r, enum rc_err e, int field, const char *msg)
{
	if (r->err)
		return;
	r->err = e;
	/* a field beyond the cap on fields is not one the caller will see */
	r->out->bad_field = field < r->lim.max_fields ? field : -1;
	snprintf(r->out->error, sizeof(r->out->error), "%s", msg);
}

/* Append bytes to the current field, within the caps.  Returns RC_ERR_NOMEM
 * only; a cap broken is recorded and the bytes are dropped. */
static enum rc_err put(struct rc_csv_reader *r, const unsigned char *p, size_t n)
{
	char msg[160];
	if (r->over || n == 0)
		return RC_OK;
	if (r->n >= r->lim.max_fields) {
		snprintf(msg, sizeof(msg), "the row has more than %d fields", r->lim.max_fields);
		fail(r, RC_ERR_LIMIT, -1, msg);
		r->over = 1;
		return RC_OK;
	}
	if (n > r->lim.max_field - r->field_len) {
		snprintf(msg, sizeof(msg), "field %d is longer than %zu bytes", r->n + 1,
			 r->lim.max_field);
		fail(r, RC_ERR_LIMIT, r->n, msg);
		r->over = 1;
		return RC_OK;
	}
	if (n > r->lim.max_record - (r->rec_len - (size_t)r->n)) {
		/* rec_len counts the NULs of the finished fields; the cap does not */
		snprintf(msg, sizeof(msg), "the row is longer than %zu bytes", r->lim.max_record);
		fail(r, RC_ERR_LIMIT, -1, msg);
		r->over = 1;
		return RC_OK;
	}
	if (r->rec_len + n + 1 > r->rec_alloc) {
		/* bounded: at most max_record bytes and max_fields NULs */
		size_t want = r->rec_alloc ? r->rec_alloc : 256;
		while (want < r->rec_len + n + 1)
			want *= 2;
		size_t hard = r->lim.max_record + (size_t)r->lim.max_fields + 1;
		if (want > hard)
			want = hard;
		char *t = realloc(r->rec, want);
		if (!t)
			return RC_ERR_NOMEM;
		r->rec = t;
		r->rec_alloc = want;
	}
	memcpy(r->rec + r->rec_len, p, n);
	r->rec_len += n;
	r->field_len += n;
	return RC_OK;
}

/* End the current field. */
static enum rc_err end_field(struct rc_csv_reader *r)
{
	char msg[160];
	if (r->over) {
		r->field_len = 0;
		return RC_OK;
	}
	if (r->n >= r->lim.max_fields) {
		snprintf(msg, sizeof(msg), "the row has more than %d fields", r->lim.max_fields);
		fail(r, RC_ERR_LIMIT, -1, msg);
		r->over = 1;
		return RC_OK;
	}
	if (r->n == r->fields_alloc) {
		int want = r->fields_alloc ? r->fields_alloc * 2 : 16;
		if (want > r->lim.max_fields)
			want = r->lim.max_fields;
		size_t *o = realloc(r->off, (size_t)want * sizeof(*o));
		if (!o)
			return RC_ERR_NOMEM;
		r->off = o;
		size_t *l = realloc(r->lens, (size_t)want * sizeof(*l));
		if (!l)
			return RC_ERR_NOMEM;
		r->lens = l;
		char **f = realloc(r->fields, (size_t)want * sizeof(*f));
		if (!f)
			return RC_ERR_NOMEM;
		r->fields = f;
		r->fields_alloc = want;
	}
	/* room for the NUL was kept by put(); an empty field may need it now */
	if (r->rec_len + 1 > r->rec_alloc) {
		size_t want = r->rec_alloc ? r->rec_alloc * 2 : 256;
		char *t = realloc(r->rec, want);
		if (!t)
			return RC_ERR_NOMEM;
		r->rec = t;
		r->rec_alloc = want;
	}
	r->off[r->n] = r->rec_len - r->field_len;
	r->lens[r->n] = r->field_len;
	r->rec[r->rec_len++] = '\0';
	r->n++;
	r->field_len = 0;
	return RC_OK;
}

/* The length of the run of ordinary bytes at p[0..n): bytes that are
 * neither a quote, a comma, CR, LF nor NUL (in a quoted field a comma, CR
 * and LF are ordinary, but a line still has to be counted, so LF ends a run
 * there too). */
static size_t run(const unsigned char *p, size_t n, int quoted)
{
	size_t i = 0;
	if (quoted) {
		while (i < n && p[i] != '"' && p[i] != '\n' && p[i] != '\0')
			i++;
	} else {
		while (i < n && p[i] != '"' && p[i] != ',' && p[i] != '\n' && p[i] != '\r' &&
		       p[i] != '\0')
			i++;
	}
	return i;
}

enum state { START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED };

/* Consume one byte (which fill() made available). */
static int take(struct rc_csv_reader *r)
{
	r->offset++;
	return r->buf[r->pos++];
}

/* Whether the next byte is c (without consuming it). */
static int next_is(struct rc_csv_reader *r, int c)
{
	return fill(r) && r->buf[r->pos] == c;
}

enum rc_err rc_csv_next(struct rc_csv_reader *r, struct rc_csv_record *rec)
{
	enum rc_err e = RC_OK;
	memset(rec, 0, sizeof(*rec));
	rec->bad_field = -1;
	r->out = rec;
	if (!r->started) {
		r->started = 1;
		/* the UTF-8 byte order mark spreadsheets write */
		if (fill(r) && r->len - r->pos >= 3 &&
		    memcmp(r->buf + r->pos, "\xef\xbb\xbf", 3) == 0) {
			r->pos += 3;
			r->offset += 3;
		}
	}
	for (;;) {
		enum state st = START;
		int quoted_any = 0;
		r->n = 0;
		r->rec_len = 0;
		r->field_len = 0;
		r->over = 0;
		r->err = RC_OK;
		rec->bad_field = -1;
		rec->error[0] = '\0';
		if (r->done || !fill(r)) {
			r->done = 1;
			if (r->failed)
				goto io_failed;
			rec->eof = 1;
			return RC_OK;
		}
		rec->row = ++r->row;
		rec->line = r->line;
		for (;;) {
			if (r->offset > r->lim.max_file) {
				rec->fatal = 1;
				snprintf(rec->error, sizeof(rec->error),
					 "the file is larger than %llu bytes; split it",
					 (unsigned long long)r->lim.max_file);
				r->done = 1;
				return RC_ERR_LIMIT;
			}
			if (!fill(r)) {
				if (r->failed)
					goto io_failed;
				if (st == QUOTED)
					fail(r, RC_ERR_SYNTAX, r->n,
					     "a quoted field is not closed before the end of the "
					     "file");
				if ((e = end_field(r)))
					return e;
				r->done = 1;
				break;
			}
			if (st == UNQUOTED || st == QUOTED) {
				size_t k = run(r->buf + r->pos, r->len - r->pos, st == QUOTED);
				if (k) {
					if ((e = put(r, r->buf + r->pos, k)))
						return e;
					r->pos += k;
					r->offset += k;
					continue;
				}
			}
			int c = take(r);
			if (c == '\0') {
				fail(r, RC_ERR_SYNTAX, r->n,
				     "a NUL byte: a CSV file is text (is this a spreadsheet file "
				     "rather than CSV?)");
				continue;
			}
			if (c == '\n')
				r->line++;
			int line_end = c == '\n' || (c == '\r' && next_is(r, '\n'));
			if (st == QUOTED) {
				if (c == '"') {
					st = QUOTE_IN_QUOTED;
				} else {
					unsigned char b = (unsigned char)c;
					if ((e = put(r, &b, 1)))
						return e;
				}
				continue;
			}
			if (st == QUOTE_IN_QUOTED && c == '"') {
				/* a doubled quote stands for one */
				if ((e = put(r, (const unsigned char *)"\"", 1)))
					return e;
				st = QUOTED;
				continue;
			}
			if (c == ',') {
				if ((e = end_field(r)))
					return e;
				st = START;
				continue;
			}
			if (line_end) {
				if (c == '\r') {
					take(r); /* the LF of CRLF */
					r->line++;
				}
				if ((e = end_field(r)))
					return e;
				break;
			}
			if (st == START && c == '"') {
				st = QUOTED;
				quoted_any = 1;
				continue;
			}
			if (st == QUOTE_IN_QUOTED)
				fail(r, RC_ERR_SYNTAX, r->n,
				     "text after the closing quote of a field; a quoted field ends "
				     "at a comma or the end of the line");
			else if (c == '"')
				fail(r, RC_ERR_SYNTAX, r->n,
				     "a quote inside an unquoted field; quote the whole field and "
				     "double the quote (\"\")");
			unsigned char b = (unsigned char)c;
			if ((e = put(r, &b, 1)))
				return e;
			st = UNQUOTED;
		}
		/* a blank line: no record, but a row */
		if (!r->err && r->n == 1 && r->lens[0] == 0 && !quoted_any)
			continue;
		rec->row = r->row;
		if (r->err)
			return r->err;
		for (int i = 0; i < r->n; i++)
			r->fields[i] = r->rec + r->off[i];
		rec->fields = r->fields;
		rec->lens = r->lens;
		rec->n = r->n;
		return RC_OK;
	}
io_failed:
	rec->fatal = 1;
	snprintf(rec->error, sizeof(rec->error), "read error");
	r->done = 1;
	return RC_ERR_IO;
}

enum rc_err rc_csv_count_records(const char *path, uint64_t max_file, int64_t *records)
{
	unsigned char *buf = NULL;
	FILE *f = NULL;
	enum rc_err e = RC_OK;
	int64_t n = 0;
	uint64_t total = 0;
	int quoted = 0, pending = 0;
	*records = 0;
	if (!(f = fopen(path, "rb"))) {
		e = RC_ERR_IO;
		goto out;
	}
	if (!(buf = malloc(BUF_SIZE))) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	for (;;) {
		size_t got = fread(buf, 1, BUF_SIZE, f);
		if (got == 0)
			break;
		total += got;
		if (total > max_file) {
			e = RC_ERR_LIMIT;
			goto out;
		}
		/* A doubled quote toggles twice, so counting quotes tells inside
		 * from outside exactly. */
		for (size_t i = 0; i < got; i++) {
			if (buf[i] == '"')
				quoted = !quoted;
			else if (buf[i] == '\n' && !quoted)
				n++;
		}
		pending = buf[got - 1] != '\n';
	}
	if (ferror(f)) {
		e = RC_ERR_IO;
		goto out;
	}
	*records = n + pending;
out:
	free(buf);
	if (f)
		fclose(f);
	return e;
}

/* ---- writing -------------------------------------------------------- */

static int formula_start(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && s[i] == '\'')
		i++;
	return i < len && (s[i] == '=' || s[i] == '+' || s[i] == '-' || s[i] == '@' ||
			   s[i] == '\t' || s[i] == '\r');
}

enum rc_err rc_csv_write_bom(FILE *out)
{
	return fwrite("\xef\xbb\xbf", 1, 3, out) == 3 ? RC_OK : RC_ERR_IO;
}

enum rc_err rc_csv_write_field(FILE *out, const char *s, size_t len, int first, unsigned flags)
{
	int guard = (flags & RC_CSV_TEXT) && formula_start(s, len);
	/* a leading byte order mark would be taken for the file's own */
	int quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ' ||
				(len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0));
	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (!first && putc(',', out) == EOF)
		return RC_ERR_IO;
	if (quote && putc('"', out) == EOF)
		return RC_ERR_IO;
	if (guard && putc('\'', out) == EOF)
		return RC_ERR_IO;
	size_t from = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '"')
			continue;
		/* the run before the quote (or the end), then the quote doubled */
		if (i > from && fwrite(s + from, 1, i - from, out) != i - from)
			return RC_ERR_IO;
		if (i < len && fputs("\"\"", out) == EOF)
			return RC_ERR_IO;
		from = i + 1;
	}
	if (quote && putc('"', out) == EOF)
		return RC_ERR_IO;
	return RC_OK;
}

enum rc_err rc_csv_end_record(FILE *out)
{
	return fputs("\r\n", out) == EOF ? RC_ERR_IO : RC_OK;
}

void rc_csv_unguard(char **field, size_t *len)
{
	if (*len > 1 && (*field)[0] == '\'' && formula_start(*field, *len)) {
		(*field)++;
		(*len)--;
	}
}
