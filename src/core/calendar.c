/*
 * calendar.c -- the working-day calendar: the .cal file parser and the
 * working-day arithmetic.  Format and conventions: docs/modules/calendar.md.
 */
#include "core/calendar.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/utf8.h"

#define N_YEARS   (RC_DATE_MAX_YEAR - RC_DATE_MIN_YEAR + 1)
#define ARENA_CAP ((size_t)64 << 20)
#define SHOW_MAX  40 /* bytes of input quoted in a message */

enum kind { KIND_OFF, KIND_WORK };

static const char *const kind_kw[] = {"off", "work"};

/* One `off` or `work` line of a loaded file. */
struct entry {
	int32_t first, last; /* inclusive */
	enum kind kind;
	int line;
	const char *name; /* 春节, 春节调休 ... */
	const char *file; /* the file it came from, for conflict messages */
};

/* The days of one civil year.  A year has data (`loaded`) when its own file
 * was loaded; the struct also exists, not loaded, when only the next year's
 * file reached back into its December. */
struct year {
	int loaded;
	const char *source;
	const char *file;
	const struct entry *day[366]; /* by day of the year; NULL = ordinary day */
};

struct rc_cal {
	struct rc_arena arena; /* everything below, freed at once */
	struct year *year[N_YEARS];
};

/* ---- parser state --------------------------------------------------- */

/* An entry while its file is parsed: names are slices of the text. */
struct pentry {
	int32_t first, last;
	enum kind kind;
	int line, col, last_col; /* columns of the first and the last date */
	const char *name;
	size_t name_len;
};

struct parser {
	const struct rc_cal *cal; /* checked against; NULL: an empty calendar */
	struct rc_diags *d;
	const char *file; /* names the input in messages and in the calendar */
	int in;           /* report with rc_diag_add_in (file is not d->file) */
	enum rc_err err;  /* class of the first error */
	int errors;

	int year_seen, year, year_line, year_col; /* year 0: not valid */
	int directives;                           /* lines other than comments */
	int order_reported;                       /* "`off` before `year`" said once */
	int source_line;
	const char *source;
	size_t source_len;

	struct pentry *e;
	int n_e;
	int cap_reported;
};

static void report(struct parser *p, enum rc_err e, enum rc_severity sev, int line, int col,
		   const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void report(struct parser *p, enum rc_err e, enum rc_severity sev, int line, int col,
		   const char *fmt, ...)
{
	char msg[RC_DIAG_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->in)
		rc_diag_add_in(p->d, p->file, sev, line, col, "%s", msg);
	else
		rc_diag_add(p->d, sev, line, col, "%s", msg);
	if (sev == RC_SEV_ERROR) {
		p->errors++;
		if (!p->err)
			p->err = e;
	}
}

/* Columns count code points from 1, as in the policy language. */
static int col_at(const char *s, size_t off)
{
	int col = 1;
	for (size_t i = 0; i < off; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	return col;
}

/* Line and column of byte `off` of the whole text. */
static void where(const char *text, size_t off, int *line, int *col)
{
	size_t start = 0;
	*line = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	}
	*col = col_at(text + start, off - start);
}

/* A piece of input quoted in a message: at most SHOW_MAX bytes, cut at a
 * character boundary (the text is valid UTF-8 by then). */
static void show(char out[SHOW_MAX + 4], const char *s, size_t n)
{
	size_t k = n;
	if (k > SHOW_MAX) {
		k = SHOW_MAX;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
	}
	memcpy(out, s, k);
	if (k < n) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static size_t skip_blanks(const char *s, size_t n, size_t pos)
{
	while (pos < n && is_blank(s[pos]))
		pos++;
	return pos;
}

/* End of the word at s[pos]: up to a blank, a comment or the line's end. */
static size_t word_end(const char *s, size_t n, size_t pos)
{
	while (pos < n && !is_blank(s[pos]) && s[pos] != '#')
		pos++;
	return pos;
}

static int at_end(const char *s, size_t n, size_t pos)
{
	return pos >= n || s[pos] == '#';
}

/* After a line's arguments only blanks and a comment may follow. */
static void expect_end(struct parser *p, const char *s, size_t n, size_t pos, int line)
{
	pos = skip_blanks(s, n, pos);
	if (at_end(s, n, pos))
		return;
	char w[SHOW_MAX + 4];
	show(w, s + pos, word_end(s, n, pos) - pos);
	report(p, RC_ERR_SYNTAX, RC_SEV_ERROR, line, col_at(s, pos),
	       "unexpected `%s`; only a comment (#) may follow", w);
}

/* A name or a source at s[*pos] (not at the line's end): either "quoted"
 * (no quote inside, no escapes) or the rest of the line up to a comment,
 * without trailing blanks.  1 with the slice, or 0 after an error. */
static int parse_text(struct parser *p, const char *s, size_t n, size_t *pos, int line,
		      const char *what, const char **out, size_t *out_len)
{
	size_t start = *pos, end;
	if (s[start] == '"') {
		const char *q = memchr(s + start + 1, '"', n - start - 1);
		if (!q) {
			report(p, RC_ERR_SYNTAX, RC_SEV_ERROR, line, col_at(s, start),
			       "%s is not closed on this line; add the closing '\"'", what);
			return 0;
		}
		start++;
		end = (size_t)(q - s);
		*pos = end + 1;
	} else {
		end = start;
		while (end < n && s[end] != '#')
			end++;
		*pos = end;
		while (end > start && is_blank(s[end - 1]))
			end--;
	}
	if (end == start) {
		report(p, RC_ERR_SYNTAX, RC_SEV_ERROR, line, col_at(s, start - 1), "empty %s",
		       what);
		return 0;
	}
	if (end - start > RC_CAL_MAX_TEXT) {
		report(p, RC_ERR_LIMIT, RC_SEV_ERROR, line, col_at(s, start),
		       "%s longer than %d bytes; shorten it", what, RC_CAL_MAX_TEXT);
		return 0;
	}
	*out = s + start;
	*out_len = end - start;
	return 1;
}

/* One date YYYY-MM-DD at s[0..n), reported at column `col`. */
static int parse_date(struct parser *p, const char *s, size_t n, int line, int col, int32_t *out)
{
	char w[SHOW_MAX + 4];
	enum rc_err e = rc_date_parse(s, n, out);
	if (e == RC_OK)
		return 1;
	show(w, s, n);
	if (e == RC_ERR_SYNTAX) {
		report(p, RC_ERR_SYNTAX, RC_SEV_ERROR, line, col,
		       "expected a date YYYY-MM-DD, found `%s`", w);
		return 0;
	}
	/* The shape is right, so the digits are there to explain what is
	 * impossible about it. */
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	if (y < RC_DATE_MIN_YEAR || y > RC_DATE_MAX_YEAR)
		report(p, RC_ERR_RANGE, RC_SEV_ERROR, line, col,
		       "date `%s` is outside the supported years %d..%d", w, RC_DATE_MIN_YEAR,
		       RC_DATE_MAX_YEAR);
	else if (m < 1 || m > 12)
		report(p, RC_ERR_RANGE, RC_SEV_ERROR, line, col,
		       "impossible date `%s`: there is no month %d", w, m);
	else
		report(p, RC_ERR_RANGE, RC_SEV_ERROR, line, col,
		       "impossible date `%s`: %04d-%02d has %d days", w, y, m,
		       rc_date_days_in_month(y, m));
	return 0;
}

static void line_year(struct parser *p, const char *s, size_t n, size_t pos, int line, int kw_col)
{
	size_t end;
	int y = 0, ok = 1;
	if (p->year_seen) {
		report(p, RC_ERR_SYNTAX, RC_SEV_ERROR, line, kw_col,
		       "`year` given twice (first at line %d)", p->year_line);
		return;
	}
	p->year_seen = 1;
	p->year_line = line;
	p->year_col = kw_col;
	pos = skip_blanks(s, n, pos);
	if (at_end(s, n, pos)) {
		report(p, RC_ERR_SYNTAX, RC_SEV_ERROR, line, col_at(s, pos),
		       "expected the year after `year`, e.g. `year 2024`");
		return;
	}
	end = word_end(s, n, pos);
	if (end - pos != 4)
		ok = 0;
	for (size_t i = pos; ok && i < end; i++) {
		if (s[i] < '0' || s[i] > '9')
			ok = 0;
		else
			y = y * 10 + (s[i] - '0');
	}
	if (!ok) {
		char w[SHOW_MAX + 4];
		show(w, s + pos, end - pos);
		report(p, RC_ERR_SYNTAX, RC_SEV_ERROR, line, col_at(s, pos),
		       "expected a year YYYY, found `%s`", w);
		return;
	}
	if (y < RC_DATE_MIN_YEAR || y > RC_DATE_MAX_YEAR) {
		report(p, RC_ERR_RANGE, RC_SEV_ERROR, line, col_at(s, pos),
		       "year %d is outside the supported years %d..%d", y, RC_DATE_MIN_YEAR,
		       RC_DATE_MAX_YEAR);
		return;
	}
	p->year = y;
	expect_end(p, s, n, end, line);
}

static void line_source(struct parser *p, const char *s, size_t n, size_t pos, int line, int kw_col)
{
	if (p->source_line) {
		report(p, RC_ERR_SYNTAX, RC_SEV_ERROR, line, kw_col,
		       "`source` given twice (first at line %d)", p->source_line);
		return;
	}
	p->source_line = line;
	pos = skip_blanks(s, n, pos);
	if (at_end(s, n, pos)) {
		report(p, RC_ERR_SYNTAX, RC_SEV_ERROR, line, col_at(s, pos),
		       "expected the title of the notice after `source`");
		return;
	}
	if (parse_text(p, s, n, &pos, line, "source", &p->source, &p->source_len))
		expect_end(p, s, n, pos, line);
}

static void line_entry(struct parser *p, enum kind kind, const char *s, size_t n, size_t pos,
		       int line)
{
	static const char *const example[] = {"off 2024-10-01..2024-10-07 国庆节",
					      "work 2024-09-29 国庆节调休"};
	struct pentry en = {.kind = kind, .line = line};
	size_t end, dots;

	pos = skip_blanks(s, n, pos);
	if (at_end(s, n, pos)) {
		report(p, RC_ERR_SYNTAX, RC_SEV_ERROR, line, col_at(s, pos),
		       "expected a date or a range YYYY-MM-DD..YYYY-MM-DD after `%s`",
		       kind_kw[kind]);
		return;
	}
	end = word_end(s, n, pos);
	en.col = en.last_col = col_at(s, pos);
	for (dots = pos; dots + 1 < end; dots++)
		if (s[dots] == '.' && s[dots + 1] == '.')
			break;
	if (dots + 1 < end) {
		en.last_col = col_at(s, dots + 2);
		if (!parse_date(p, s + pos, dots - pos, line, en.col, &en.first) ||
		    !parse_date(p, s + dots + 2, end - dots - 2, line, en.last_col, &en.last))
			return;
		if (en.last < en.first) {
			char a[RC_DATE_STRLEN], b[RC_DATE_STRLEN];
			rc_date_format(en.first, a);
			rc_date_format(en.last, b);
			report(p, RC_ERR_RANGE, RC_SEV_ERROR, line, en.last_col,
			       "the range ends on %s, before it begins on %s", b, a);
			return;
		}
		if (en.last - en.first + 1 > RC_CAL_MAX_RANGE) {
			report(p, RC_ERR_RANGE, RC_SEV_ERROR, line, en.col,
			       "a range of %d days; one line covers at most %d days",
			       (int)(en.last - en.first + 1), RC_CAL_MAX_RANGE);
			return;
		}
	} else {
		if (!parse_date(p, s + pos, end - pos, line, en.col, &en.first))
			return;
		en.last = en.first;
	}
	pos = skip_blanks(s, n, end);
	if (at_end(s, n, pos)) {
		report(p, RC_ERR_SYNTAX, RC_SEV_ERROR, line, col_at(s, pos),
		       "expected a name after the date, e.g. `%s`", example[kind]);
		return;
	}
	if (!parse_text(p, s, n, &pos, line, "name", &en.name, &en.name_len))
		return;
	expect_end(p, s, n, pos, line);
	if (p->n_e >= RC_CAL_MAX_ENTRIES) {
		if (!p->cap_reported)
			report(p, RC_ERR_LIMIT, RC_SEV_ERROR, line, 1,
			       "more than %d `off` and `work` lines in one file",
			       RC_CAL_MAX_ENTRIES);
		p->cap_reported = 1;
		return;
	}
	p->e[p->n_e++] = en;
}

/* One line without its newline (and without a CR before it). */
static void parse_line(struct parser *p, const char *s, size_t n, int line)
{
	size_t pos, end;
	if (n > RC_CAL_MAX_LINE) {
		report(p, RC_ERR_LIMIT, RC_SEV_ERROR, line, 1, "line longer than %d bytes",
		       RC_CAL_MAX_LINE);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7F) {
			report(p, RC_ERR_SYNTAX, RC_SEV_ERROR, line, col_at(s, i),
			       "control character 0x%02X; remove it", c);
			return;
		}
	}
	pos = skip_blanks(s, n, 0);
	if (at_end(s, n, pos))
		return;
	end = word_end(s, n, pos);
	int kw_col = col_at(s, pos);
	const char *kw = s + pos;
	size_t kw_len = end - pos;
	p->directives++;
	if (kw_len == 4 && memcmp(kw, "year", 4) == 0) {
		line_year(p, s, n, end, line, kw_col);
		return;
	}
	if (!p->year_seen && !p->order_reported) {
		char w[SHOW_MAX + 4];
		show(w, kw, kw_len);
		report(p, RC_ERR_SYNTAX, RC_SEV_ERROR, line, kw_col,
		       "`%s` before `year`: the file must begin with `year YYYY`", w);
		p->order_reported = 1;
	}
	if (kw_len == 6 && memcmp(kw, "source", 6) == 0) {
		line_source(p, s, n, end, line, kw_col);
	} else if (kw_len == 3 && memcmp(kw, "off", 3) == 0) {
		line_entry(p, KIND_OFF, s, n, end, line);
	} else if (kw_len == 4 && memcmp(kw, "work", 4) == 0) {
		line_entry(p, KIND_WORK, s, n, end, line);
	} else {
		char w[SHOW_MAX + 4];
		show(w, kw, kw_len);
		report(p, RC_ERR_SYNTAX, RC_SEV_ERROR, line, kw_col,
		       "unknown keyword `%s`; expected `year`, `source`, `off` or `work`", w);
	}
}

/* ---- checks across lines -------------------------------------------- */

static const char *weekday_name(int32_t day)
{
	static const char *const names[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
					    "Friday", "Saturday", "Sunday"};
	return names[rc_date_weekday(day)];
}

/* Every date lies in the file's year, or in the December before it: a New
 * Year holiday that begins on 12-31 (2023's 元旦) and its make-up days
 * belong to the notice of the year in which the holiday ends. */
static void check_years(struct parser *p)
{
	int32_t lo = rc_date_from_ymd(p->year - 1, 12, 1);
	int32_t hi = rc_date_from_ymd(p->year, 12, 31);
	if (p->year == RC_DATE_MIN_YEAR)
		lo = rc_date_from_ymd(p->year, 1, 1);
	for (int i = 0; i < p->n_e; i++) {
		struct pentry *en = &p->e[i];
		int32_t bad = en->first < lo ? en->first : en->last > hi ? en->last : INT32_MIN;
		if (bad == INT32_MIN)
			continue;
		char b[RC_DATE_STRLEN];
		rc_date_format(bad, b);
		report(p, RC_ERR_RANGE, RC_SEV_ERROR, en->line,
		       bad == en->first ? en->col : en->last_col,
		       "%s is not in %d: a file lists the days of its year (and of the December "
		       "before it)",
		       b, p->year);
	}
}

/* A make-up working day is a weekend day: a weekday already is one, so
 * `work` on a weekday is a transcription mistake. */
static void check_weekends(struct parser *p)
{
	for (int i = 0; i < p->n_e; i++) {
		struct pentry *en = &p->e[i];
		if (en->kind != KIND_WORK)
			continue;
		for (int32_t day = en->first; day <= en->last; day++) {
			if (rc_date_weekday(day) >= 5)
				continue;
			char b[RC_DATE_STRLEN];
			rc_date_format(day, b);
			report(p, RC_ERR_RANGE, RC_SEV_ERROR, en->line, en->col,
			       "`work` on %s, a %s: make-up working days fall on weekends (a "
			       "weekday is a working day already)",
			       b, weekday_name(day));
			break;
		}
	}
}

/* Each day is listed once per file: a later line that touches an earlier
 * one's days is reported, once, at the later line. */
static void check_overlaps(struct parser *p)
{
	for (int j = 0; j < p->n_e; j++) {
		struct pentry *b = &p->e[j];
		for (int i = 0; i < j; i++) {
			struct pentry *a = &p->e[i];
			if (a->first > b->last || b->first > a->last)
				continue;
			char day[RC_DATE_STRLEN];
			rc_date_format(a->first > b->first ? a->first : b->first, day);
			if (a->kind == b->kind)
				report(p, RC_ERR_CONFLICT, RC_SEV_ERROR, b->line, b->col,
				       "%s is already listed as `%s` at line %d", day,
				       kind_kw[a->kind], a->line);
			else
				report(p, RC_ERR_CONFLICT, RC_SEV_ERROR, b->line, b->col,
				       "%s cannot be both `%s` (here) and `%s` (line %d)", day,
				       kind_kw[b->kind], kind_kw[a->kind], a->line);
			break;
		}
	}
}

static struct year *year_of(const struct rc_cal *cal, int32_t day, int *doy)
{
	int y, m, d;
	rc_date_to_ymd(day, &y, &m, &d);
	*doy = (int)(day - rc_date_from_ymd(y, 1, 1));
	return cal->year[y - RC_DATE_MIN_YEAR];
}

/* Against the years and days loaded from other files. */
static void check_loaded(struct parser *p)
{
	if (!p->cal)
		return;
	const struct year *yr = p->cal->year[p->year - RC_DATE_MIN_YEAR];
	if (yr && yr->loaded) {
		report(p, RC_ERR_CONFLICT, RC_SEV_ERROR, p->year_line, p->year_col,
		       "year %d is already loaded from %s", p->year, yr->file);
		return;
	}
	for (int i = 0; i < p->n_e; i++) {
		struct pentry *en = &p->e[i];
		for (int32_t day = en->first; day <= en->last; day++) {
			int doy;
			const struct year *y = year_of(p->cal, day, &doy);
			const struct entry *old = y ? y->day[doy] : NULL;
			if (!old)
				continue;
			char b[RC_DATE_STRLEN];
			rc_date_format(day, b);
			report(p, RC_ERR_CONFLICT, RC_SEV_ERROR, en->line, en->col,
			       "%s is already listed as `%s` in %s:%d", b, kind_kw[old->kind],
			       old->file, old->line);
			break;
		}
	}
}

/* ---- committing a parsed file --------------------------------------- */

static struct year *year_struct(struct rc_cal *cal, int y)
{
	struct year **slot = &cal->year[y - RC_DATE_MIN_YEAR];
	if (!*slot)
		*slot = rc_arena_alloc(&cal->arena, sizeof(**slot));
	return *slot;
}

/* Copy the parsed year into `cal`, the calendar it was checked against.
 * Every allocation comes first, so that running out of memory leaves the
 * calendar as it was (a fresh, empty year struct is indistinguishable from
 * none). */
static enum rc_err commit(struct parser *p, struct rc_cal *cal)
{
	struct rc_arena *a = &cal->arena;
	struct entry *es = NULL;
	const char *file = rc_arena_strdup(a, p->file);
	const char *source = rc_arena_strndup(a, p->source, p->source_len);
	struct year *yr = year_struct(cal, p->year);
	int32_t jan1 = rc_date_from_ymd(p->year, 1, 1);
	int reaches_back = 0;
	for (int i = 0; i < p->n_e; i++)
		reaches_back |= p->e[i].first < jan1;
	if (p->n_e > 0)
		es = rc_arena_array(a, (size_t)p->n_e, sizeof(*es));
	if (!file || !source || !yr || (reaches_back && !year_struct(cal, p->year - 1)) ||
	    (p->n_e > 0 && !es))
		return RC_ERR_NOMEM;
	for (int i = 0; i < p->n_e; i++) {
		es[i].name = rc_arena_strndup(a, p->e[i].name, p->e[i].name_len);
		if (!es[i].name)
			return RC_ERR_NOMEM;
	}
	for (int i = 0; i < p->n_e; i++) {
		es[i].first = p->e[i].first;
		es[i].last = p->e[i].last;
		es[i].kind = p->e[i].kind;
		es[i].line = p->e[i].line;
		es[i].file = file;
		for (int32_t day = es[i].first; day <= es[i].last; day++) {
			int doy;
			struct year *y = year_of(cal, day, &doy);
			y->day[doy] = &es[i];
		}
	}
	yr->file = file;
	yr->source = source;
	yr->loaded = 1;
	return RC_OK;
}

/* ---- loading -------------------------------------------------------- */

/* Parse and check one year's text against `cal`, then add it to `into`
 * (which is `cal`), or to nothing when `into` is NULL (rc_cal_check_text:
 * `cal` is then only read).  *year, when given, is the year of its `year`
 * line, 0 when none could be read. */
static enum rc_err load(const struct rc_cal *cal, struct rc_cal *into, const char *text, size_t len,
			struct rc_diags *d, const char *file, int *year)
{
	struct parser p = {.cal = cal, .d = d};
	size_t pos = 0, bad;
	int line = 1, col;

	p.file = file ? file : d->file;
	p.in = file && (!d->file || strcmp(file, d->file) != 0);
	if (len > RC_CAL_MAX_BYTES) {
		where(text, RC_CAL_MAX_BYTES, &line, &col);
		report(&p, RC_ERR_LIMIT, RC_SEV_ERROR, line, col,
		       "file larger than %d bytes; one year's calendar is far smaller",
		       RC_CAL_MAX_BYTES);
		goto out;
	}
	if (!rc_utf8_valid(text, len, &bad)) {
		where(text, bad, &line, &col);
		report(&p, RC_ERR_SYNTAX, RC_SEV_ERROR, line, col,
		       "invalid UTF-8 (byte 0x%02X); save the file as UTF-8",
		       (unsigned char)text[bad]);
		goto out;
	}
	p.e = malloc(RC_CAL_MAX_ENTRIES * sizeof(*p.e));
	if (!p.e) {
		p.err = RC_ERR_NOMEM;
		goto out;
	}
	/* A UTF-8 byte-order mark is tolerated: editors on office PCs add one. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t n = end - pos;
		if (n > 0 && text[pos + n - 1] == '\r')
			n--;
		parse_line(&p, text + pos, n, line);
		pos = end + 1;
		line++;
	}

	if (!p.year_seen && p.directives == 0)
		report(&p, RC_ERR_SYNTAX, RC_SEV_ERROR, 1, 1,
		       "missing `year YYYY`: the file must begin with it");
	if (p.year && !p.source_line)
		report(&p, RC_ERR_SYNTAX, RC_SEV_ERROR, p.year_line, p.year_col,
		       "missing `source`: name the notice this year transcribes, e.g. `source "
		       "\"国务院办公厅关于%d年部分节假日安排的通知\"`",
		       p.year);
	if (p.year) {
		check_years(&p);
		check_weekends(&p);
	}
	check_overlaps(&p);
	if (p.year && !p.errors)
		check_loaded(&p);
	if (p.errors)
		goto out;
	if (p.n_e == 0)
		report(&p, RC_OK, RC_SEV_WARNING, p.year_line, p.year_col,
		       "no `off` or `work` lines: every weekday of %d counts as a working day",
		       p.year);
	if (into)
		p.err = commit(&p, into);
out:
	if (year)
		*year = p.year;
	if (p.err == RC_ERR_NOMEM)
		report(&p, RC_ERR_NOMEM, RC_SEV_ERROR, 0, 0, "out of memory loading the calendar");
	free(p.e);
	return p.err;
}

enum rc_err rc_cal_load_text(struct rc_cal *cal, const char *text, size_t len, struct rc_diags *d)
{
	return load(cal, cal, text, len, d, NULL, NULL);
}

enum rc_err rc_cal_check_text(const struct rc_cal *cal, const char *text, size_t len,
			      struct rc_diags *d, int *year)
{
	return load(cal, NULL, text, len, d, NULL, year);
}

enum rc_err rc_cal_load_file(struct rc_cal *cal, const char *path, struct rc_diags *d)
{
	enum rc_err e = RC_OK;
	char *buf = NULL;
	size_t len = 0, n;
	FILE *f = fopen(path, "rb");
	if (!f) {
		rc_diag_add_in(d, path, RC_SEV_ERROR, 0, 0, "cannot open the file: %s",
			       strerror(errno));
		e = RC_ERR_IO;
		goto out;
	}
	/* One byte beyond the cap, so that load() can tell "too large" and
	 * say where the cap was passed. */
	buf = malloc(RC_CAL_MAX_BYTES + 1);
	if (!buf) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	while (len < RC_CAL_MAX_BYTES + 1 &&
	       (n = fread(buf + len, 1, RC_CAL_MAX_BYTES + 1 - len, f)) > 0)
		len += n;
	if (ferror(f)) {
		rc_diag_add_in(d, path, RC_SEV_ERROR, 0, 0, "cannot read the file: %s",
			       strerror(errno));
		e = RC_ERR_IO;
		goto out;
	}
	e = load(cal, cal, buf, len, d, path, NULL);
out:
	if (f)
		fclose(f);
	free(buf);
	return e;
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n > m && strcmp(s + n - m, suf) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum rc_err rc_cal_load_dir(struct rc_cal *cal, const char *path, struct rc_diags *d)
{
	enum rc_err e = RC_OK;
	char **names = NULL;
	int n = 0;
	struct dirent *de;
	DIR *dir = opendir(path);
	if (!dir) {
		rc_diag_add_in(d, path, RC_SEV_ERROR, 0, 0, "cannot open the directory: %s",
			       strerror(errno));
		e = RC_ERR_IO;
		goto out;
	}
	names = calloc(RC_CAL_MAX_FILES, sizeof(*names));
	if (!names) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.' || !has_suffix(de->d_name, ".cal"))
			continue;
		if (n >= RC_CAL_MAX_FILES) {
			rc_diag_add_in(d, path, RC_SEV_ERROR, 0, 0, "more than %d .cal files",
				       RC_CAL_MAX_FILES);
			e = RC_ERR_LIMIT;
			goto out;
		}
		size_t len = strlen(path) + strlen(de->d_name) + 2;
		names[n] = malloc(len);
		if (!names[n]) {
			e = RC_ERR_NOMEM;
			goto out;
		}
		snprintf(names[n], len, "%s/%s", path, de->d_name);
		n++;
	}
	if (n == 0) {
		rc_diag_add_in(d, path, RC_SEV_ERROR, 0, 0, "no .cal files in this directory");
		e = RC_ERR_NOT_FOUND;
		goto out;
	}
	qsort(names, (size_t)n, sizeof(*names), cmp_str);
	for (int i = 0; i < n; i++) {
		enum rc_err fe = rc_cal_load_file(cal, names[i], d);
		if (fe && !e)
			e = fe;
	}
out:
	if (dir)
		closedir(dir);
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return e;
}

/* ---- the calendar --------------------------------------------------- */

enum rc_err rc_cal_new(struct rc_cal **out)
{
	struct rc_cal *cal = calloc(1, sizeof(*cal));
	*out = NULL;
	if (!cal)
		return RC_ERR_NOMEM;
	rc_arena_init(&cal->arena, ARENA_CAP);
	*out = cal;
	return RC_OK;
}

void rc_cal_free(struct rc_cal *cal)
{
	if (!cal)
		return;
	rc_arena_free(&cal->arena);
	free(cal);
}

static int32_t min_day(void)
{
	return rc_date_from_ymd(RC_DATE_MIN_YEAR, 1, 1);
}

static int32_t max_day(void)
{
	return rc_date_from_ymd(RC_DATE_MAX_YEAR, 12, 31);
}

/* 1 if `day` (in the supported range) is a working day; *no_data when its
 * year has no data and the weekends-only rule (or an entry reaching back
 * from the next year) decided. */
static int workday(const struct rc_cal *cal, int32_t day, int *no_data)
{
	int doy;
	const struct year *yr = year_of(cal, day, &doy);
	*no_data = !(yr && yr->loaded);
	if (yr && yr->day[doy])
		return yr->day[doy]->kind == KIND_WORK;
	return rc_date_weekday(day) < 5;
}

enum rc_err rc_cal_is_workday(const struct rc_cal *cal, int32_t day, int *is)
{
	int no_data;
	*is = 0;
	if (day < min_day() || day > max_day())
		return RC_ERR_RANGE;
	*is = workday(cal, day, &no_data);
	return no_data ? RC_ERR_NOT_FOUND : RC_OK;
}

enum rc_err rc_cal_add_workdays(const struct rc_cal *cal, int32_t start, int n, int32_t *due,
				int *warn)
{
	int32_t day = start, last = max_day();
	int count = 0, w = 0, no_data;
	if (n < 0 || n > RC_CAL_MAX_WORKDAYS || start < min_day() || start > last)
		return RC_ERR_RANGE;
	/* Bounded: at most every day up to the end of the supported years. */
	while (count < n) {
		if (day >= last)
			return RC_ERR_RANGE;
		day++;
		count += workday(cal, day, &no_data);
		w |= no_data;
	}
	*due = day;
	*warn = w;
	return RC_OK;
}

enum rc_err rc_cal_workdays_between(const struct rc_cal *cal, int32_t a, int32_t b, int *n,
				    int *warn)
{
	int32_t lo = a < b ? a : b, hi = a < b ? b : a;
	int count = 0, w = 0, no_data;
	if (lo < min_day() || hi > max_day())
		return RC_ERR_RANGE;
	for (int32_t day = lo + 1; day <= hi; day++) {
		count += workday(cal, day, &no_data);
		w |= no_data;
	}
	*n = b < a ? -count : count;
	*warn = w;
	return RC_OK;
}

int rc_cal_years(const struct rc_cal *cal, int *years, int cap)
{
	int n = 0;
	for (int i = 0; i < N_YEARS; i++) {
		if (!cal->year[i] || !cal->year[i]->loaded)
			continue;
		if (n < cap)
			years[n] = RC_DATE_MIN_YEAR + i;
		n++;
	}
	return n;
}

const char *rc_cal_year_source(const struct rc_cal *cal, int year)
{
	if (year < RC_DATE_MIN_YEAR || year > RC_DATE_MAX_YEAR)
		return NULL;
	const struct year *yr = cal->year[year - RC_DATE_MIN_YEAR];
	return yr && yr->loaded ? yr->source : NULL;
}

const char *rc_cal_day_name(const struct rc_cal *cal, int32_t day)
{
	int doy;
	if (day < min_day() || day > max_day())
		return NULL;
	const struct year *yr = year_of(cal, day, &doy);
	return yr && yr->day[doy] ? yr->day[doy]->name : NULL;
}
