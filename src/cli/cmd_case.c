/*
 * cmd_case.c -- `rongcuo user add`, `rongcuo case open|step|show|list|due`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "core/calendar.h"
#include "core/date.h"
#include "policy/policy.h"

static const char user_usage[] =
    "usage: rongcuo user add LOGIN NAME --org CODE --role ROLE [--as USER] [--data DIR]\n"
    "\n"
    "ROLE names a role of the policy's procedure (承办单位, 党委, 纪检, 组织, ...).\n";

static const char case_usage[] =
    "usage: rongcuo case open --as USER (--person ID | --unit CODE) --path application|ex_officio\n"
    "                         --handling CODE [--source S] [--committee CODE] [--ref TEXT]\n"
    "                         [--code CODE] [--today DATE]\n"
    "       rongcuo case step CODE STEP --as USER [--note TEXT] [--today DATE]\n"
    "       rongcuo case fact CODE NAME VALUE --as USER [--evidence REF] [--disputed]\n"
    "       rongcuo case recommend CODE --as USER [--conduct-date D] [--decision-date D]\n"
    "       rongcuo case decide CODE --as USER --outcome O --meeting DATE --basis TEXT\n"
    "                           [--reason TEXT] [--sanction TABLE/NAME] [--body CODE]\n"
    "       rongcuo case show CODE\n"
    "       rongcuo case list [--handling CODE] [--state STEP]\n"
    "       rongcuo case due [--today DATE]\n"
    "\n"
    "Common options: --data DIR (the data directory), --policy FILE|DIR (default\n"
    "policies/), --calendar DIR (default $RONGCUO_CALENDAR, else DATA/calendar, else\n"
    "data/calendar).  A case is opened under the policy version in force on --today\n"
    "(default: today) and stays on it; its steps, who performs them and their\n"
    "deadlines (in working days) come from that version's procedure.\n"
    "\n"
    "Exit 0 ok, 2 usage error, 3 refused or invalid input (the message names the rule).\n";

struct copts {
	const char *data, *as, *policy, *calendar, *org, *role, *person, *unit, *path, *source;
	const char *handling, *committee, *ref, *code, *today, *note, *state;
	const char *evidence, *conduct, *decision, *outcome, *meeting, *basis, *reason, *sanction;
	const char *body;
	int help, disputed, n_args;
	char *args[4];
};

static int parse(int argc, char **argv, struct copts *o, const char *usage)
{
	static const struct option lo[] = {{"data", required_argument, NULL, 'D'},
					   {"as", required_argument, NULL, 'a'},
					   {"policy", required_argument, NULL, 'p'},
					   {"calendar", required_argument, NULL, 'C'},
					   {"org", required_argument, NULL, 'o'},
					   {"role", required_argument, NULL, 'r'},
					   {"person", required_argument, NULL, 'P'},
					   {"unit", required_argument, NULL, 'u'},
					   {"path", required_argument, NULL, 's'},
					   {"source", required_argument, NULL, 'S'},
					   {"handling", required_argument, NULL, 'H'},
					   {"committee", required_argument, NULL, 'c'},
					   {"ref", required_argument, NULL, 'R'},
					   {"code", required_argument, NULL, 'k'},
					   {"today", required_argument, NULL, 't'},
					   {"note", required_argument, NULL, 'n'},
					   {"state", required_argument, NULL, 'T'},
					   {"help", no_argument, NULL, 'h'},
					   {"evidence", required_argument, NULL, 'e'},
					   {"disputed", no_argument, NULL, 'x'},
					   {"conduct-date", required_argument, NULL, 'y'},
					   {"decision-date", required_argument, NULL, 'z'},
					   {"outcome", required_argument, NULL, 'O'},
					   {"meeting", required_argument, NULL, 'm'},
					   {"basis", required_argument, NULL, 'b'},
					   {"reason", required_argument, NULL, 'w'},
					   {"sanction", required_argument, NULL, 'j'},
					   {"body", required_argument, NULL, 'B'},
					   {NULL, 0, NULL, 0}};
	int c;
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
		case 'o': o->org = optarg; break;
		case 'r': o->role = optarg; break;
		case 'P': o->person = optarg; break;
		case 'u': o->unit = optarg; break;
		case 's': o->path = optarg; break;
		case 'S': o->source = optarg; break;
		case 'H': o->handling = optarg; break;
		case 'c': o->committee = optarg; break;
		case 'R': o->ref = optarg; break;
		case 'k': o->code = optarg; break;
		case 't': o->today = optarg; break;
		case 'n': o->note = optarg; break;
		case 'T': o->state = optarg; break;
		case 'h': o->help = 1; break;
		case 'e': o->evidence = optarg; break;
		case 'x': o->disputed = 1; break;
		case 'y': o->conduct = optarg; break;
		case 'z': o->decision = optarg; break;
		case 'O': o->outcome = optarg; break;
		case 'm': o->meeting = optarg; break;
		case 'b': o->basis = optarg; break;
		case 'w': o->reason = optarg; break;
		case 'j': o->sanction = optarg; break;
		case 'B': o->body = optarg; break;
		default:
			fprintf(stderr, "rongcuo %s: unknown option or missing value: '%s'\n\n%s",
				argv[0], argv[optind - 1], usage);
			return -1;
		}
	}
	for (int i = optind; i < argc; i++) {
		if (o->n_args >= 4) {
			fprintf(stderr, "rongcuo %s: too many arguments\n\n%s", argv[0], usage);
			return -1;
		}
		o->args[o->n_args++] = argv[i];
	}
	return 0;
}

static int finish(struct rc_datadir *dd, struct rc_diags *d, int rc)
{
	rc_diags_print(d, stderr);
	rc_datadir_close(dd);
	return rc;
}

int rc_cmd_user(int argc, char **argv)
{
	struct copts o;
	struct rc_datadir dd = {0};
	struct rc_diags d;
	if (rc_cli_help(argc, argv, user_usage))
		return RC_EXIT_OK;
	if (argc < 2 || parse(argc - 1, argv + 1, &o, user_usage)) {
		if (argc < 2)
			fputs(user_usage, stderr);
		return RC_EXIT_USAGE;
	}
	if (o.help) {
		fputs(user_usage, stdout);
		return RC_EXIT_OK;
	}
	if (strcmp(argv[1], "add") != 0 || o.n_args != 2 || !o.org || !o.role) {
		fputs(user_usage, stderr);
		return RC_EXIT_USAGE;
	}
	rc_diags_init(&d, "rongcuo user");
	if (rc_datadir_open(&dd, o.data, RC_DATADIR_USE, &d))
		return finish(&dd, &d, RC_EXIT_INPUT);
	if (rc_proc_user_add(&dd.unit, o.as ? o.as : "cli", o.args[0], o.args[1], o.org, o.role,
			     &d))
		return finish(&dd, &d, RC_EXIT_INPUT);
	printf("user %s added (%s, %s)\n", o.args[0], o.role, o.org);
	return finish(&dd, &d, RC_EXIT_OK);
}

/* Today as a day number: --today, else the local date. */
static int today_of(const char *opt, int32_t *out)
{
	if (opt)
		return rc_date_parse(opt, strlen(opt), out) ? -1 : 0;
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	*out = rc_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return 0;
}

static enum rc_err load_calendar(const struct copts *o, const struct rc_datadir *dd,
				 struct rc_cal **cal, struct rc_diags *d)
{
	char dir[1200];
	const char *env = getenv("RONGCUO_CALENDAR");
	struct stat sb;
	if (o->calendar)
		snprintf(dir, sizeof(dir), "%s", o->calendar);
	else if (env && *env)
		snprintf(dir, sizeof(dir), "%s", env);
	else {
		snprintf(dir, sizeof(dir), "%s/calendar", dd->dir);
		if (stat(dir, &sb) != 0)
			snprintf(dir, sizeof(dir), "data/calendar");
	}
	enum rc_err e = rc_cal_new(cal);
	if (!e)
		e = rc_cal_load_dir(*cal, dir, d);
	return e;
}

static void show_case(struct rc_store *s, const char *code)
{
	struct rc_stmt *st;
	int row;
	if (rc_store_stmt(s, Q_CASE_BY_CODE, &st) || rc_stmt_bind_str(st, 1, code) ||
	    rc_stmt_step(st, &row) || !row)
		return;
	int64_t id = rc_stmt_int(st, 0);
	printf("案件 %s\n", code);
	printf("  当前步骤:%s\n", rc_stmt_text(st, 10, NULL));
	printf("  启动方式:%s  来源:%s\n",
	       strcmp(rc_stmt_text(st, 3, NULL), "application") == 0 ? "依申请" : "依职权",
	       rc_stmt_is_null(st, 4) ? "-" : rc_stmt_text(st, 4, NULL));
	printf("  政策:%s %s\n", rc_stmt_text(st, 8, NULL), rc_stmt_text(st, 9, NULL));
	printf("  立案:%s  更新:%s\n", rc_stmt_text(st, 11, NULL), rc_stmt_text(st, 12, NULL));
	if (rc_store_stmt(s, Q_STEPS_OF_CASE, &st) || rc_stmt_bind_int(st, 1, id))
		return;
	printf("  步骤记录:\n");
	while (rc_stmt_step(st, &row) == RC_OK && row)
		printf("    %s  %-10s 期限 %-10s  %-12s %s\n", rc_stmt_text(st, 1, NULL),
		       rc_stmt_text(st, 0, NULL),
		       rc_stmt_is_null(st, 2) ? "-" : rc_stmt_text(st, 2, NULL),
		       rc_stmt_text(st, 3, NULL), rc_stmt_text(st, 4, NULL));
	if (rc_store_stmt(s, Q_FACTS_CURRENT, &st) || rc_stmt_bind_int(st, 1, id))
		return;
	int n = 0;
	while (rc_stmt_step(st, &row) == RC_OK && row)
		printf("%s    %s = %s  (%s, %s%s%s)%s\n", n++ ? "" : "  事实:\n",
		       rc_stmt_text(st, 0, NULL), rc_stmt_text(st, 1, NULL),
		       rc_stmt_text(st, 2, NULL), rc_stmt_text(st, 3, NULL),
		       rc_stmt_is_null(st, 4) ? "" : ", 证据 ",
		       rc_stmt_is_null(st, 4) ? "" : rc_stmt_text(st, 4, NULL),
		       rc_stmt_int(st, 5) ? "  [有争议]" : "");
	if (rc_store_stmt(s, Q_RECO_LAST, &st) || rc_stmt_bind_int(st, 1, id))
		return;
	if (rc_stmt_step(st, &row) == RC_OK && row)
		printf("  推荐意见:%s %s(政策 %s,%s)\n",
		       strcmp(rc_stmt_text(st, 1, NULL), "determined") == 0 ? "" : "待定,可能",
		       rc_stmt_text(st, 2, NULL), rc_stmt_text(st, 3, NULL),
		       rc_stmt_text(st, 4, NULL));
	if (rc_store_stmt(s, Q_DECISION_OF_CASE, &st) || rc_stmt_bind_int(st, 1, id))
		return;
	if (rc_stmt_step(st, &row) == RC_OK && row)
		printf("  认定:%s  %s  依据:%s%s%s  (%s)\n", rc_stmt_text(st, 0, NULL),
		       rc_stmt_text(st, 1, NULL), rc_stmt_text(st, 2, NULL),
		       rc_stmt_int(st, 4) ? "  与推荐意见不同,理由:" : "",
		       rc_stmt_int(st, 4) ? rc_stmt_text(st, 3, NULL) : "",
		       rc_stmt_text(st, 5, NULL));
}

int rc_cmd_case(int argc, char **argv)
{
	struct copts o;
	struct rc_datadir dd = {0};
	struct rc_diags d;
	struct rc_policy_set *set = NULL;
	struct rc_cal *cal = NULL;
	int rc = RC_EXIT_OK;
	int32_t today;
	if (rc_cli_help(argc, argv, case_usage))
		return RC_EXIT_OK;
	if (argc < 2 || parse(argc - 1, argv + 1, &o, case_usage)) {
		if (argc < 2)
			fputs(case_usage, stderr);
		return RC_EXIT_USAGE;
	}
	if (o.help) {
		fputs(case_usage, stdout);
		return RC_EXIT_OK;
	}
	const char *sub = argv[1];
	if (today_of(o.today, &today)) {
		fprintf(stderr, "rongcuo case: --today '%s' is not a date YYYY-MM-DD\n", o.today);
		return RC_EXIT_USAGE;
	}
	rc_diags_init(&d, "rongcuo case");
	int opening = strcmp(sub, "open") == 0, stepping = strcmp(sub, "step") == 0;
	int fact = strcmp(sub, "fact") == 0, reco = strcmp(sub, "recommend") == 0;
	int decide = strcmp(sub, "decide") == 0;
	int on_case = stepping || fact || reco || decide; /* need the case's policy version */
	if ((opening && (o.n_args || !o.as || !o.path || !o.handling)) ||
	    (stepping && (o.n_args != 2 || !o.as)) || (fact && (o.n_args != 3 || !o.as)) ||
	    (reco && (o.n_args != 1 || !o.as)) ||
	    (decide && (o.n_args != 1 || !o.as || !o.outcome || !o.meeting || !o.basis)) ||
	    ((strcmp(sub, "show") == 0) && o.n_args != 1) ||
	    (!opening && !on_case && strcmp(sub, "show") != 0 && strcmp(sub, "list") != 0 &&
	     strcmp(sub, "due") != 0)) {
		fputs(case_usage, stderr);
		return RC_EXIT_USAGE;
	}
	if (rc_datadir_open(&dd, o.data, RC_DATADIR_USE, &d)) {
		rc = RC_EXIT_INPUT;
		goto out;
	}
	if (opening || on_case) {
		if (rc_policy_set_new(&set) || rc_policy_set_load(set, o.policy, &d) ||
		    load_calendar(&o, &dd, &cal, &d)) {
			rc = RC_EXIT_INPUT;
			goto out;
		}
	}
	if (opening) {
		const struct rc_policy *p = rc_policy_set_at(set, today);
		char ds[RC_DATE_STRLEN], code[64];
		if (!p) {
			rc_date_format(today, ds);
			rc_diag_add(&d, RC_SEV_ERROR, 0, 0,
				    "no loaded policy version is in force on %s", ds);
			rc = RC_EXIT_INPUT;
			goto out;
		}
		struct rc_case_new c = {.code = o.code,
					.person_id = o.person ? strtoll(o.person, NULL, 10) : 0,
					.subject_org = o.unit,
					.start_path = o.path,
					.source = o.source,
					.accountability_ref = o.ref,
					.handling_org = o.handling,
					.committee_org = o.committee};
		if (o.person && c.person_id <= 0) {
			rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "--person takes the id of an official");
			rc = RC_EXIT_USAGE;
			goto out;
		}
		if (rc_proc_case_open(&dd.unit, p, cal, o.as, &c, today, code, sizeof(code), &d)) {
			rc = RC_EXIT_INPUT;
			goto out;
		}
		printf("case %s opened under policy %s %s\n", code, rc_policy_series(p),
		       rc_policy_version(p));
		show_case(dd.store, code);
	} else if (on_case) {
		/* the version the case was opened under */
		struct rc_stmt *st;
		int row;
		const struct rc_policy *p = NULL;
		if (rc_store_stmt(dd.store, Q_CASE_BY_CODE, &st) ||
		    rc_stmt_bind_str(st, 1, o.args[0]) || rc_stmt_step(st, &row) || !row) {
			rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "no case '%s'", o.args[0]);
			rc = RC_EXIT_INPUT;
			goto out;
		}
		const char *version = rc_stmt_text(st, 9, NULL);
		for (int i = 0; i < rc_policy_set_count(set); i++)
			if (strcmp(rc_policy_version(rc_policy_set_get(set, i)), version) == 0)
				p = rc_policy_set_get(set, i);
		if (!p) {
			rc_diag_add(
			    &d, RC_SEV_ERROR, 0, 0,
			    "case %s was opened under policy version %s, which is not among "
			    "the loaded ones (--policy)",
			    o.args[0], version);
			rc = RC_EXIT_INPUT;
			goto out;
		}
		enum rc_err e = RC_OK;
		if (stepping) {
			e = rc_proc_case_step(&dd.unit, p, cal, o.as, o.args[0], o.args[1],
					      o.note ? o.note : "", today, &d);
			if (!e)
				printf("case %s: step %s\n", o.args[0], o.args[1]);
		} else if (fact) {
			e = rc_proc_case_fact(&dd.unit, p, o.as, o.args[0], o.args[1], o.args[2],
					      o.evidence, o.disputed, &d);
			if (!e)
				printf("case %s: %s = %s%s\n", o.args[0], o.args[1], o.args[2],
				       o.disputed ? " (disputed)" : "");
		} else if (reco) {
			int32_t tmp;
			if ((o.conduct && rc_date_parse(o.conduct, strlen(o.conduct), &tmp)) ||
			    (o.decision && rc_date_parse(o.decision, strlen(o.decision), &tmp))) {
				rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "dates are YYYY-MM-DD");
				rc = RC_EXIT_USAGE;
				goto out;
			}
			e = rc_proc_case_recommend(&dd.unit, p, set, o.as, o.args[0], o.conduct,
						   o.decision, stdout, &d);
		} else {
			struct rc_decision dec = {.outcome = o.outcome,
						  .body = o.body,
						  .legal_basis = o.basis,
						  .reasons = o.reason};
			char table[128] = "";
			if (rc_date_parse(o.meeting, strlen(o.meeting), &dec.meeting_on)) {
				rc_diag_add(&d, RC_SEV_ERROR, 0, 0,
					    "--meeting takes a date YYYY-MM-DD");
				rc = RC_EXIT_USAGE;
				goto out;
			}
			if (o.sanction) {
				const char *slash = strchr(o.sanction, '/');
				if (!slash || (size_t)(slash - o.sanction) >= sizeof(table)) {
					rc_diag_add(&d, RC_SEV_ERROR, 0, 0,
						    "--sanction is TABLE/NAME, e.g. 党纪处分/警告");
					rc = RC_EXIT_USAGE;
					goto out;
				}
				memcpy(table, o.sanction, (size_t)(slash - o.sanction));
				dec.sanction_table = table;
				dec.sanction = slash + 1;
			}
			e = rc_proc_case_decide(&dd.unit, p, o.as, o.args[0], &dec, &d);
			if (!e)
				printf("case %s: decided %s\n", o.args[0], o.outcome);
		}
		if (e) {
			rc = RC_EXIT_INPUT;
			goto out;
		}
		if (!reco)
			show_case(dd.store, o.args[0]);
	} else if (strcmp(sub, "show") == 0) {
		struct rc_stmt *st;
		int row;
		if (rc_store_stmt(dd.store, Q_CASE_BY_CODE, &st) ||
		    rc_stmt_bind_str(st, 1, o.args[0]) || rc_stmt_step(st, &row) || !row) {
			rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "no case '%s'", o.args[0]);
			rc = RC_EXIT_INPUT;
			goto out;
		}
		show_case(dd.store, o.args[0]);
	} else if (strcmp(sub, "due") == 0) {
		struct rc_stmt *st;
		int row;
		char ds[RC_DATE_STRLEN];
		rc_date_format(today, ds);
		if (rc_store_stmt(dd.store, Q_DUE_LIST, &st)) {
			rc = RC_EXIT_INPUT;
			goto out;
		}
		while (rc_stmt_step(st, &row) == RC_OK && row) {
			const char *due = rc_stmt_text(st, 2, NULL);
			printf("%-24s %-10s 期限 %s  %s%s\n", rc_stmt_text(st, 0, NULL),
			       rc_stmt_text(st, 1, NULL), due, rc_stmt_text(st, 3, NULL),
			       strcmp(due, ds) < 0    ? "  [已逾期]"
			       : strcmp(due, ds) == 0 ? "  [今日到期]"
						      : "");
		}
	} else { /* list */
		struct rc_stmt *st;
		int row;
		int64_t org = 0;
		if (o.handling) {
			if (rc_store_stmt(dd.store, Q_ORG_BY_CODE, &st) ||
			    rc_stmt_bind_str(st, 1, o.handling) || rc_stmt_step(st, &row) || !row) {
				rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "no organisation '%s'",
					    o.handling);
				rc = RC_EXIT_INPUT;
				goto out;
			}
			org = rc_stmt_int(st, 0);
		}
		if (rc_store_stmt(dd.store, Q_CASE_LIST, &st) ||
		    (org ? rc_stmt_bind_int(st, 1, org) : rc_stmt_bind_null(st, 1)) ||
		    rc_stmt_bind_str(st, 2, o.state) || rc_stmt_bind_int(st, 3, 1000) ||
		    rc_stmt_bind_int(st, 4, 0)) {
			rc = RC_EXIT_INPUT;
			goto out;
		}
		while (rc_stmt_step(st, &row) == RC_OK && row)
			printf("%-24s %-10s %s\n", rc_stmt_text(st, 0, NULL),
			       rc_stmt_text(st, 1, NULL), rc_stmt_text(st, 3, NULL));
	}
out:
	rc_cal_free(cal);
	rc_policy_set_free(set);
	return finish(&dd, &d, rc);
}
