/*
 * cmd_import.c -- `rongcuo import cases FILE.csv`: historical cases from a
 * CSV file.
 *
 * This file joins the two halves: report/ reads the CSV (RFC 4180, with
 * caps), procedure/ turns each row into a case through the guards of `case
 * open` (import.c).  It also owns what only a command line has: the
 * messages as FILE:ROW:COLUMN, and progress on a terminal.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "core/calendar.h"
#include "core/date.h"
#include "policy/policy.h"
#include "report/report.h"

static const char usage[] =
    "usage: rongcuo import cases FILE.csv --as USER [--keep-good | --all-or-nothing | --check]\n"
    "                            [--batch N] [--today DATE] [--policy FILE|DIR]\n"
    "                            [--calendar DIR] [--data DIR]\n"
    "\n"
    "Import historical cases from a CSV file (UTF-8, RFC 4180), one case per row.  The\n"
    "header names the columns in Chinese or English: 案件编号 (code), 当事人 (person_id),\n"
    "当事人姓名 (person_name), 涉及单位 (unit), 启动方式 (start_path), 案件来源 (source),\n"
    "关联问责事项 (ref), 承办单位 (handling), 党委(党组) (committee), 立案日期 (opened_on),\n"
    "当前步骤 (state), 步骤日期 (state_on), 认定结果 (outcome), 认定日期 (decided_on),\n"
    "政策版本 (policy_version), and any fact or standard of the policy.  Required:\n"
    "案件编号, 启动方式, 承办单位, 立案日期, and 当事人 or 涉及单位.\n"
    "\n"
    "Each row passes the guards of `case open` under the policy version in force on its\n"
    "立案日期 and enters the case at its 当前步骤; each case gets one audit row.  Every\n"
    "bad row is reported as FILE:ROW:COLUMN: error: message (the header is row 1).\n"
    "\n"
    "  --all-or-nothing  (default) one bad row and nothing is imported\n"
    "  --keep-good       import the good rows, skip and report the bad ones;\n"
    "                    commits every --batch N rows (default 10000)\n"
    "  --check           check every row and evaluate the policy; write nothing\n"
    "  --today DATE      dates after it are refused (default: today)\n"
    "\n"
    "Progress goes to standard error when it is a terminal.  Exit 0 every row imported,\n"
    "1 good rows imported and bad ones skipped (--keep-good), 2 usage error, 3 nothing\n"
    "imported (bad rows, or a file that cannot be read).  --check exits 0 when every row\n"
    "is good, 3 when one is not.\n";

struct iopts {
	const char *data, *as, *policy, *calendar, *today, *file;
	int keep_good, all_or_nothing, check, batch, help;
};

static int parse(int argc, char **argv, struct iopts *o)
{
	static const struct option lo[] = {
	    {"data", required_argument, NULL, 'D'},
	    {"as", required_argument, NULL, 'a'},
	    {"policy", required_argument, NULL, 'p'},
	    {"calendar", required_argument, NULL, 'C'},
	    {"today", required_argument, NULL, 't'},
	    {"batch", required_argument, NULL, 'b'},
	    {"keep-good", no_argument, NULL, 'k'},
	    {"all-or-nothing", no_argument, NULL, 'A'},
	    {"check", no_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c, n = 0;
	char *end;
	memset(o, 0, sizeof(*o));
	o->policy = "policies";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'D': o->data = optarg; break;
		case 'a': o->as = optarg; break;
		case 'p': o->policy = optarg; break;
		case 'C': o->calendar = optarg; break;
		case 't': o->today = optarg; break;
		case 'k': o->keep_good = 1; break;
		case 'A': o->all_or_nothing = 1; break;
		case 'c': o->check = 1; break;
		case 'h': o->help = 1; break;
		case 'b': {
			long v = strtol(optarg, &end, 10);
			if (*end || end == optarg || v < 1 || v > 1000000) {
				fprintf(stderr,
					"rongcuo import: --batch takes a number of rows, 1 to "
					"1000000\n");
				return -1;
			}
			o->batch = (int)v;
			break;
		}
		default:
			fprintf(stderr,
				"rongcuo import: unknown option or missing value: '%s'\n\n%s",
				argv[optind - 1], usage);
			return -1;
		}
	}
	for (int i = optind; i < argc; i++, n++)
		if (n == 0)
			o->file = argv[i];
	if (o->help)
		return 0;
	if (n != 1 || !o->as) {
		fprintf(stderr, "rongcuo import cases: %s\n\n%s",
			n != 1 ? "give exactly one FILE" : "--as USER is required", usage);
		return -1;
	}
	if (o->keep_good + o->all_or_nothing + o->check > 1) {
		fprintf(stderr, "rongcuo import: --keep-good, --all-or-nothing and --check exclude "
				"each other\n");
		return -1;
	}
	return 0;
}

/* Progress on a terminal: rows done of the total, rows per second, at most
 * once a second, on one line that is rewritten. */
struct progress {
	int on, shown;
	int64_t total, done;
	struct timespec start, last;
};

static double since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void progress_show(struct progress *p, int final)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!final && since(&p->last, &now) < 1.0)
		return;
	p->last = now;
	double secs = since(&p->start, &now);
	fprintf(stderr, "\r\033[Krongcuo import: %lld / %lld rows (%d%%), %.0f rows/s",
		(long long)p->done, (long long)p->total,
		p->total > 0 ? (int)(100 * p->done / p->total) : 100,
		secs > 0 ? (double)p->done / secs : 0.0);
	p->shown = !final;
	if (final)
		fputc('\n', stderr);
}

/* Where the messages go: FILE:ROW:COLUMN: error: message. */
struct reporter {
	const char *file;
	struct progress *pr;
	char **header; /* the header's names, for the reader's own errors */
	int ncols;
};

static void report(void *ctx, enum rc_severity sev, int64_t row, const char *column,
		   const char *msg)
{
	struct reporter *r = ctx;
	if (r->pr->on && r->pr->shown)
		fputs("\r\033[K", stderr); /* the progress line gives way */
	fprintf(stderr, "%s:%lld:%s%s %s: %s\n", r->file, (long long)row, column ? column : "",
		column ? ":" : "", sev == RC_SEV_ERROR ? "error" : "warning", msg);
}

/* The reader's own error (a malformed record). */
static void report_csv(struct reporter *r, const struct rc_csv_record *rec)
{
	const char *col = NULL;
	if (rec->bad_field >= 0 && rec->bad_field < r->ncols)
		col = r->header[rec->bad_field];
	report(r, RC_SEV_ERROR, rec->row, col, rec->error);
}

int rc_cmd_import(int argc, char **argv)
{
	struct iopts o;
	struct rc_datadir dd = {0};
	struct rc_diags d;
	struct rc_policy_set *set = NULL;
	struct rc_cal *cal = NULL;
	struct rc_import *im = NULL;
	struct rc_csv_reader *rd = NULL;
	struct rc_csv_record rec;
	struct rc_import_stats st = {0};
	struct progress pr = {0};
	struct reporter rep = {0};
	FILE *in = NULL;
	int rc = RC_EXIT_INPUT, header_read = 0;
	int32_t today;
	struct stat sb;
	enum rc_err e;

	if (rc_cli_help(argc, argv, usage))
		return RC_EXIT_OK;
	if (argc < 2 || strcmp(argv[1], "cases") != 0) {
		fprintf(stderr, "rongcuo import: import what? (cases)\n\n%s", usage);
		return RC_EXIT_USAGE;
	}
	if (parse(argc - 1, argv + 1, &o))
		return RC_EXIT_USAGE;
	if (o.help) {
		fputs(usage, stdout);
		return RC_EXIT_OK;
	}
	if (o.today) {
		if (rc_date_parse(o.today, strlen(o.today), &today)) {
			fprintf(stderr, "rongcuo import: --today '%s' is not a date YYYY-MM-DD\n",
				o.today);
			return RC_EXIT_USAGE;
		}
	} else {
		time_t t = time(NULL);
		struct tm tm;
		localtime_r(&t, &tm);
		today = rc_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	}
	rc_diags_init(&d, "rongcuo import");
	rep.file = o.file;
	rep.pr = &pr;

	/* The file first: a wrong name should not wait for the policies. */
	if (!(in = fopen(o.file, "rb")) || fstat(fileno(in), &sb) != 0) {
		rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "%s: cannot read: %s", o.file, strerror(errno));
		goto out;
	}
	if (S_ISDIR(sb.st_mode)) {
		rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "%s: is a directory", o.file);
		goto out;
	}
	if (S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > RC_CSV_MAX_FILE) {
		rc_diag_add(&d, RC_SEV_ERROR, 0, 0,
			    "%s: the file is %lld bytes; at most %llu are imported at once: split "
			    "it",
			    o.file, (long long)sb.st_size, (unsigned long long)RC_CSV_MAX_FILE);
		goto out;
	}
	if (rc_datadir_open(&dd, o.data, RC_DATADIR_USE, &d) || rc_policy_set_new(&set) ||
	    rc_policy_set_load(set, o.policy, &d) || rc_datadir_calendar(&dd, o.calendar, &cal, &d))
		goto out;
	struct rc_import_opts io = {.set = set,
				    .cal = cal,
				    .actor = o.as,
				    .file = o.file,
				    .today = today,
				    .keep_good = o.keep_good,
				    .check_only = o.check,
				    .batch = o.batch,
				    .report = report,
				    .report_ctx = &rep};
	if (rc_proc_import_begin(&dd.unit, &io, &im, &d) || rc_csv_reader_new(in, NULL, &rd))
		goto out;

	pr.on = isatty(STDERR_FILENO);
	if (pr.on && S_ISREG(sb.st_mode) &&
	    rc_csv_count_records(o.file, RC_CSV_MAX_FILE, &pr.total) == RC_OK && pr.total > 0)
		pr.total--; /* the header */
	clock_gettime(CLOCK_MONOTONIC, &pr.start);
	pr.last = pr.start;

	for (;;) {
		e = rc_csv_next(rd, &rec);
		if (e == RC_ERR_NOMEM) {
			rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "out of memory");
			goto out;
		}
		if (rec.fatal) {
			rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "%s:%lld: %s; the import stops", o.file,
				    (long long)rec.row, rec.error);
			goto out;
		}
		if (!header_read) {
			if (rec.eof) {
				rc_diag_add(
				    &d, RC_SEV_ERROR, 0, 0,
				    "%s: the file is empty; its first row must be the header",
				    o.file);
				goto out;
			}
			if (e) {
				report_csv(&rep, &rec);
				goto out;
			}
			header_read = 1;
			if (rc_proc_import_header(im, (const char *const *)rec.fields, rec.lens,
						  rec.n)) {
				rc_diag_add(&d, RC_SEV_ERROR, 0, 0,
					    "%s: the header is not usable; nothing was imported",
					    o.file);
				goto out;
			}
			/* the reader's messages name the column by its header */
			if (!(rep.header = calloc((size_t)rec.n, sizeof(*rep.header))))
				goto out;
			rep.ncols = rec.n;
			for (int i = 0; i < rec.n; i++)
				if (!(rep.header[i] = strdup(rec.fields[i])))
					goto out;
			continue;
		}
		if (rec.eof)
			break;
		if (e) {
			report_csv(&rep, &rec);
			rc_proc_import_reject(im, rec.row);
		} else {
			for (int i = 0; i < rec.n; i++)
				rc_csv_unguard(&rec.fields[i], &rec.lens[i]);
			if (rc_proc_import_row(im, rec.row, (const char *const *)rec.fields,
					       rec.lens, rec.n))
				goto out; /* the store failed; reported */
		}
		/* rows as the total counts them: blank lines too, not the header */
		pr.done = rec.row - 1;
		if (pr.on && (rec.row & 1023) == 0)
			progress_show(&pr, 0);
	}
	if (pr.on)
		progress_show(&pr, 1);

	e = rc_proc_import_finish(im, &st, &d);
	if (st.no_calendar && st.imported)
		rc_diag_add(&d, RC_SEV_WARNING, 0, 0,
			    "the deadline of the current step of %lld imported cases runs into a "
			    "year with no holiday calendar; it was counted on weekdays only -- "
			    "enter that year's notice",
			    (long long)st.no_calendar);
	if (e && e != RC_ERR_RANGE)
		goto done; /* the commit failed: said by finish */
	if (o.check) {
		if (st.bad)
			rc_diag_add(&d, RC_SEV_ERROR, 0, 0,
				    "%s: %lld of %lld rows are bad (--check)", o.file,
				    (long long)st.bad, (long long)st.rows);
		else
			printf(
			    "checked %lld rows of %s: every row is good; the policy evaluated on "
			    "%lld rows (%lld with facts); nothing was written (--check)\n",
			    (long long)st.rows, o.file, (long long)st.evaluated,
			    (long long)st.with_facts);
		rc = st.bad ? RC_EXIT_INPUT : RC_EXIT_OK;
		goto done;
	}
	if (st.bad && !o.keep_good) {
		rc_diag_add(&d, RC_SEV_ERROR, 0, 0,
			    "%s: %lld of %lld rows are bad; nothing was imported (all or nothing: "
			    "correct them, or --keep-good imports the other rows)",
			    o.file, (long long)st.bad, (long long)st.rows);
		goto done;
	}
	printf("imported %lld cases from %s, one audit row each; the policy evaluated on %lld "
	       "rows (%lld with facts)",
	       (long long)st.imported, o.file, (long long)st.evaluated, (long long)st.with_facts);
	if (st.bad)
		printf("; %lld bad rows skipped", (long long)st.bad);
	if (st.warnings)
		printf("; %lld rows with warnings", (long long)st.warnings);
	printf("\n");
	rc = st.bad ? RC_EXIT_NO : RC_EXIT_OK;
	goto done;
out:
	if (pr.on && pr.shown)
		fputs("\n", stderr);
	rc_proc_import_abort(im, &st);
	if (st.imported)
		rc_diag_add(&d, RC_SEV_NOTE, 0, 0,
			    "%lld cases of the batches before the failure were imported "
			    "(--keep-good)",
			    (long long)st.imported);
done:
	rc_proc_import_free(im);
	rc_csv_reader_free(rd);
	for (int i = 0; i < rep.ncols && rep.header; i++)
		free(rep.header[i]);
	free(rep.header);
	if (in)
		fclose(in);
	rc_cal_free(cal);
	rc_policy_set_free(set);
	rc_diags_print(&d, stderr);
	rc_datadir_close(&dd);
	return rc;
}
