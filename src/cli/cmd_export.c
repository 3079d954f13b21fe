/*
 * cmd_export.c -- `rongcuo export cases`: the cases to CSV or Excel.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "report/report.h"

static const char usage[] =
    "usage: rongcuo export cases --out FILE [--format csv|xlsx] [--handling CODE]\n"
    "                            [--data DIR]\n"
    "\n"
    "Write the cases, one row each, with Chinese headers: 案件编号, 当事人, 当事人姓名,\n"
    "涉及单位, 启动方式, 案件来源, 关联问责事项, 承办单位, 党委(党组), 立案日期, 当前步骤,\n"
    "步骤日期, 认定结果, 认定日期, 政策版本.  A CSV export (UTF-8 with a byte order mark,\n"
    "RFC 4180) imports again with `rongcuo import cases`; an Excel workbook (.xlsx) has\n"
    "dates as dates and a frozen, filtered header.\n"
    "\n"
    "  --format csv|xlsx   default: xlsx when FILE ends in .xlsx, else csv\n"
    "  --handling CODE     only the cases handled by CODE and the organisations below it\n"
    "\n"
    "Exit 0 ok, 2 usage error, 3 the file cannot be written or CODE is unknown.\n";

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int rc_cmd_export(int argc, char **argv)
{
	static const struct option lo[] = {
	    {"data", required_argument, NULL, 'D'},   {"out", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, 'f'}, {"handling", required_argument, NULL, 'H'},
	    {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	const char *data = NULL, *format = NULL;
	struct rc_export_opts eo = {0};
	struct rc_datadir dd = {0};
	struct rc_diags d;
	int c, rc = RC_EXIT_INPUT;
	int64_t rows = 0;

	if (rc_cli_help(argc, argv, usage))
		return RC_EXIT_OK;
	if (argc < 2 || strcmp(argv[1], "cases") != 0) {
		fprintf(stderr, "rongcuo export: export what? (cases)\n\n%s", usage);
		return RC_EXIT_USAGE;
	}
	argc--;
	argv++;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'D': data = optarg; break;
		case 'o': eo.path = optarg; break;
		case 'f': format = optarg; break;
		case 'H': eo.handling = optarg; break;
		case 'h': fputs(usage, stdout); return RC_EXIT_OK;
		default:
			fprintf(stderr,
				"rongcuo export: unknown option or missing value: '%s'\n\n%s",
				argv[optind - 1], usage);
			return RC_EXIT_USAGE;
		}
	}
	if (optind != argc || !eo.path || !*eo.path) {
		fprintf(stderr, "rongcuo export cases: %s\n\n%s",
			optind != argc ? "unexpected argument" : "--out FILE is required", usage);
		return RC_EXIT_USAGE;
	}
	if (!format)
		format = ends_with(eo.path, ".xlsx") ? "xlsx" : "csv";
	if (strcmp(format, "csv") == 0) {
		eo.format = RC_REPORT_CSV;
	} else if (strcmp(format, "xlsx") == 0) {
		eo.format = RC_REPORT_XLSX;
	} else {
		fprintf(stderr, "rongcuo export: --format is csv or xlsx, not '%s'\n", format);
		return RC_EXIT_USAGE;
	}
	rc_diags_init(&d, "rongcuo export");
	if (rc_datadir_open(&dd, data, RC_DATADIR_USE, &d) ||
	    rc_report_export_cases(dd.store, &eo, &rows, &d))
		goto out;
	printf("exported %lld cases to %s (%s)\n", (long long)rows, eo.path, format);
	rc = RC_EXIT_OK;
out:
	rc_diags_print(&d, stderr);
	rc_datadir_close(&dd);
	return rc;
}
