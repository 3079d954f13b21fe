/*
 * cmd_case.c -- `rongcuo case open|step|fact|recommend|decide|show|list|due`
 * and the records after the facts: `case consult|participant|opinion|notify|
 * appeal|review|file|task|visit`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "cli/opts.h"
#include "core/calendar.h"
#include "core/date.h"
#include "policy/policy.h"

static const char case_usage[] =
    "usage: rongcuo case open --as USER (--person ID | --unit CODE) --path application|ex_officio\n"
    "                         --handling CODE [--source S] [--committee CODE] [--ref TEXT]\n"
    "                         [--code CODE] [--today DATE]\n"
    "       rongcuo case step CODE STEP --as USER [--note TEXT] [--today DATE]\n"
    "       rongcuo case withdraw CODE --as USER --reason TEXT [--today DATE]   (撤回申请)\n"
    "       rongcuo case history CODE NAME   (every value a fact or finding had)\n"
    "       rongcuo case fact CODE NAME VALUE --as USER [--evidence REF] [--disputed]\n"
    "       rongcuo case finding CODE STANDARD GRADE --as USER --reason TEXT [--evidence REF]\n"
    "       rongcuo case recommend CODE --as USER [--conduct-date D] [--decision-date D]\n"
    "       rongcuo case decide CODE --as USER --outcome O --meeting DATE --basis TEXT\n"
    "                           [--reason TEXT] [--sanction TABLE/NAME] [--body CODE]\n"
    "       rongcuo case consult CODE --as USER --held DATE --minutes TEXT\n"
    "       rongcuo case participant CODE --as USER --dept DEPT --name NAME\n"
    "                                [--recused --reason TEXT]\n"
    "       rongcuo case opinion CODE --as USER --dept DEPT --opinion TEXT [--dissent TEXT]\n"
    "       rongcuo case notify CODE --as USER --to TEXT --on DATE --how 书面|当面|其他\n"
    "       rongcuo case appeal CODE --as USER --on DATE --by TEXT --grounds TEXT\n"
    "       rongcuo case review CODE --as USER --on DATE --result 维持|变更|撤销 --reasons TEXT\n"
    "       rongcuo case file CODE --as USER --with ORGCODE --on DATE\n"
    "       rongcuo case task add CODE --as USER --owner TEXT --due DATE --what TEXT\n"
    "       rongcuo case task done CODE TASKNO --as USER --on DATE --verified-by LOGIN\n"
    "         (`case rectify add|done` is the same command)\n"
    "       rongcuo case visit CODE --as USER --on DATE --notes TEXT\n"
    "       rongcuo case show CODE\n"
    "       rongcuo case list [--handling CODE] [--state STEP]\n"
    "       rongcuo case due [--today DATE]\n"
    "\n"
    "DEPT is one of 纪检, 组织, 信访, 审计, 行业主管部门, 第三方机构, 法律顾问; the\n"
    "case leaves 会商研判 only when 纪检、组织、信访、审计 have each given an opinion\n"
    "or recorded a recusal.  Dates are YYYY-MM-DD; texts are one line.\n"
    "\n"
    "Common options: --data DIR (the data directory), --policy FILE|DIR (default\n"
    "policies/), --calendar DIR (default $RONGCUO_CALENDAR, else DATA/calendar, else\n"
    "data/calendar).  A case is opened under the policy version in force on --today\n"
    "(default: today) and stays on it; its steps, who performs them and their\n"
    "deadlines (in working days) come from that version's procedure.\n"
    "\n"
    "Exit 0 ok, 2 usage error, 3 refused or invalid input (the message names the rule).\n";

struct copts {
	const char *data, *as, *policy, *calendar, *person, *unit, *path, *source;
	const char *handling, *committee, *ref, *code, *today, *note, *state;
	const char *evidence, *conduct, *decision, *outcome, *meeting, *basis, *reason, *sanction;
	const char *body;
	/* the records after the facts */
	const char *held, *minutes, *dept, *name, *opinion, *dissent, *to, *on, *how, *by;
	const char *grounds, *result, *reasons, *with, *owner, *due, *what, *verified_by, *notes;
	int help, disputed, recused, n_args;
	char *args[4];
};

static int parse(int argc, char **argv, struct copts *o, const char *usage)
{
	memset(o, 0, sizeof(*o));
	o->policy = "policies";
	const struct rc_opt table[] = {{"data", &o->data, NULL},
				       {"as", &o->as, NULL},
				       {"policy", &o->policy, NULL},
				       {"calendar", &o->calendar, NULL},
				       {"person", &o->person, NULL},
				       {"unit", &o->unit, NULL},
				       {"path", &o->path, NULL},
				       {"source", &o->source, NULL},
				       {"handling", &o->handling, NULL},
				       {"committee", &o->committee, NULL},
				       {"ref", &o->ref, NULL},
				       {"code", &o->code, NULL},
				       {"today", &o->today, NULL},
				       {"note", &o->note, NULL},
				       {"state", &o->state, NULL},
				       {"evidence", &o->evidence, NULL},
				       {"disputed", NULL, &o->disputed},
				       {"conduct-date", &o->conduct, NULL},
				       {"decision-date", &o->decision, NULL},
				       {"outcome", &o->outcome, NULL},
				       {"meeting", &o->meeting, NULL},
				       {"basis", &o->basis, NULL},
				       {"reason", &o->reason, NULL},
				       {"sanction", &o->sanction, NULL},
				       {"body", &o->body, NULL},
				       {"held", &o->held, NULL},
				       {"minutes", &o->minutes, NULL},
				       {"dept", &o->dept, NULL},
				       {"name", &o->name, NULL},
				       {"recused", NULL, &o->recused},
				       {"opinion", &o->opinion, NULL},
				       {"dissent", &o->dissent, NULL},
				       {"to", &o->to, NULL},
				       {"on", &o->on, NULL},
				       {"how", &o->how, NULL},
				       {"by", &o->by, NULL},
				       {"grounds", &o->grounds, NULL},
				       {"result", &o->result, NULL},
				       {"reasons", &o->reasons, NULL},
				       {"with", &o->with, NULL},
				       {"owner", &o->owner, NULL},
				       {"due", &o->due, NULL},
				       {"what", &o->what, NULL},
				       {"verified-by", &o->verified_by, NULL},
				       {"notes", &o->notes, NULL},
				       {NULL, NULL, NULL}};
	return rc_cli_options("case", argc, argv, table, &o->help, o->args, 4, &o->n_args, usage);
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

/* The records after the facts: consultation, notification, appeal and
 * review, filings, rectification tasks, follow-up visits. */
static void show_records(struct rc_store *s, int64_t id)
{
	struct rc_stmt *st;
	int row, n;
	if (rc_store_stmt(s, Q_CONSULT_OF_CASE, &st) || rc_stmt_bind_int(st, 1, id))
		return;
	if (rc_stmt_step(st, &row) == RC_OK && row) {
		int64_t cid = rc_stmt_int(st, 0);
		printf("  会商研判:%s  会议纪要:%s  (%s)\n", rc_stmt_text(st, 1, NULL),
		       rc_stmt_text(st, 2, NULL), rc_stmt_text(st, 3, NULL));
		if (rc_store_stmt(s, Q_PARTICIPANTS_OF, &st) || rc_stmt_bind_int(st, 1, cid))
			return;
		while (rc_stmt_step(st, &row) == RC_OK && row)
			printf("    参会 %s:%s%s%s\n", rc_stmt_text(st, 0, NULL),
			       rc_stmt_text(st, 1, NULL), rc_stmt_int(st, 2) ? "  [回避] " : "",
			       rc_stmt_int(st, 2) ? rc_stmt_text(st, 3, NULL) : "");
		if (rc_store_stmt(s, Q_OPINIONS_OF, &st) || rc_stmt_bind_int(st, 1, cid))
			return;
		while (rc_stmt_step(st, &row) == RC_OK && row)
			printf("    意见 %s:%s%s%s  (%s)\n", rc_stmt_text(st, 0, NULL),
			       rc_stmt_text(st, 1, NULL),
			       rc_stmt_is_null(st, 2) ? "" : "  不同意见:",
			       rc_stmt_text(st, 2, NULL), rc_stmt_text(st, 3, NULL));
	}
	if (rc_store_stmt(s, Q_NOTICES_OF, &st) || rc_stmt_bind_int(st, 1, id))
		return;
	while (rc_stmt_step(st, &row) == RC_OK && row)
		printf("  告知:%s  %s  %s  (%s)\n", rc_stmt_text(st, 1, NULL),
		       rc_stmt_text(st, 0, NULL), rc_stmt_text(st, 2, NULL),
		       rc_stmt_text(st, 3, NULL));
	if (rc_store_stmt(s, Q_APPEAL_OF_CASE, &st) || rc_stmt_bind_int(st, 1, id))
		return;
	if (rc_stmt_step(st, &row) == RC_OK && row) {
		int64_t aid = rc_stmt_int(st, 0);
		printf("  申诉:%s  %s  理由:%s  (申诉期限至 %s,%s)  申诉期间不停止执行\n",
		       rc_stmt_text(st, 1, NULL), rc_stmt_text(st, 2, NULL),
		       rc_stmt_text(st, 3, NULL), rc_stmt_text(st, 5, NULL),
		       rc_stmt_text(st, 6, NULL));
		if (rc_store_stmt(s, Q_REVIEW_OF_APPEAL, &st) || rc_stmt_bind_int(st, 1, aid))
			return;
		if (rc_stmt_step(st, &row) == RC_OK && row)
			printf("    复核:%s  %s  理由:%s  (%s)\n", rc_stmt_text(st, 0, NULL),
			       rc_stmt_text(st, 1, NULL), rc_stmt_text(st, 2, NULL),
			       rc_stmt_text(st, 3, NULL));
	}
	if (rc_store_stmt(s, Q_FILINGS_OF, &st) || rc_stmt_bind_int(st, 1, id))
		return;
	while (rc_stmt_step(st, &row) == RC_OK && row)
		printf("  备案:%s  %s %s  (%s)\n", rc_stmt_text(st, 2, NULL),
		       rc_stmt_text(st, 0, NULL), rc_stmt_text(st, 1, NULL),
		       rc_stmt_text(st, 3, NULL));
	if (rc_store_stmt(s, Q_TASKS_OF, &st) || rc_stmt_bind_int(st, 1, id))
		return;
	n = 0;
	while (rc_stmt_step(st, &row) == RC_OK && row) {
		printf("%s    #%lld  责任:%s  期限 %s  %s  (%s)", n++ ? "" : "  纠错任务:\n",
		       (long long)rc_stmt_int(st, 0), rc_stmt_text(st, 1, NULL),
		       rc_stmt_text(st, 2, NULL), rc_stmt_text(st, 3, NULL),
		       rc_stmt_text(st, 5, NULL));
		if (rc_stmt_is_null(st, 4))
			printf("  [未完成]\n");
		else
			printf("  [已完成 %s,核验 %s]\n", rc_stmt_text(st, 4, NULL),
			       rc_stmt_text(st, 6, NULL));
	}
	if (rc_store_stmt(s, Q_FOLLOW_UPS_OF, &st) || rc_stmt_bind_int(st, 1, id))
		return;
	n = 0;
	while (rc_stmt_step(st, &row) == RC_OK && row)
		printf("%s    %s  %s  (%s)\n", n++ ? "" : "  回访:\n", rc_stmt_text(st, 0, NULL),
		       rc_stmt_text(st, 1, NULL), rc_stmt_text(st, 2, NULL));
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
	/* who the case is about, who handles it, which committee decides */
	int64_t person = rc_stmt_is_null(st, 1) ? 0 : rc_stmt_int(st, 1);
	int64_t orgs[3] = {rc_stmt_is_null(st, 2) ? 0 : rc_stmt_int(st, 2), rc_stmt_int(st, 6),
			   rc_stmt_is_null(st, 7) ? 0 : rc_stmt_int(st, 7)};
	static const char *const org_label[3] = {"涉及单位", "承办单位", "党委(党组)"};
	struct rc_stmt *q;
	if (person && !rc_store_stmt(s, Q_PERSON_BY_ID, &q) && !rc_stmt_bind_int(q, 1, person) &&
	    !rc_stmt_step(q, &row) && row)
		printf("  当事人:%s (id %lld)\n", rc_stmt_text(q, 0, NULL), (long long)person);
	for (int i = 0; i < 3; i++)
		if (orgs[i] && !rc_store_stmt(s, Q_ORG_BY_ID, &q) &&
		    !rc_stmt_bind_int(q, 1, orgs[i]) && !rc_stmt_step(q, &row) && row)
			printf("  %s:%s %s\n", org_label[i], rc_stmt_text(q, 0, NULL),
			       rc_stmt_text(q, 1, NULL));
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
	while (rc_stmt_step(st, &row) == RC_OK && row) {
		printf("%s    %s = %s  (%s, %s%s%s)%s\n", n++ ? "" : "  事实:\n",
		       rc_stmt_text(st, 0, NULL), rc_stmt_text(st, 1, NULL),
		       rc_stmt_text(st, 2, NULL), rc_stmt_text(st, 3, NULL),
		       rc_stmt_is_null(st, 4) ? "" : ", 证据 ",
		       rc_stmt_is_null(st, 4) ? "" : rc_stmt_text(st, 4, NULL),
		       rc_stmt_int(st, 5) ? "  [有争议]" : "");
		if (!rc_stmt_is_null(st, 6))
			printf("        理由:%s\n", rc_stmt_text(st, 6, NULL));
	}
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
	show_records(s, id);
}

/* ---- the records after the facts ---------------------------------------- */

/* The record subcommands: how many arguments each takes and which options
 * it needs (a NULL pointer below).  The case code is the first argument,
 * except for `task add|done`, whose first argument is add or done. */
static const char *const record_subs[] = {"consult", "participant", "opinion", "notify", "appeal",
					  "review",  "file",        "task",    "visit",  NULL};

static int is_record(const char *sub)
{
	for (int i = 0; record_subs[i]; i++)
		if (strcmp(record_subs[i], sub) == 0)
			return 1;
	return 0;
}

/* The first required option that `sub` lacks, or NULL. */
static const char *missing_option(const char *sub, const struct copts *o, int task_add)
{
#define IS(name) (strcmp(sub, name) == 0)
	if (!o->as)
		return "--as";
	if (IS("consult") && !o->held)
		return "--held";
	if (IS("consult") && !o->minutes)
		return "--minutes";
	if ((IS("participant") || IS("opinion")) && !o->dept)
		return "--dept";
	if (IS("participant") && !o->name)
		return "--name";
	if (IS("opinion") && !o->opinion)
		return "--opinion";
	if (IS("notify") && !o->to)
		return "--to";
	if (IS("file") && !o->with)
		return "--with";
	if ((IS("notify") || IS("appeal") || IS("review") || IS("file") || IS("visit") ||
	     (IS("task") && !task_add)) &&
	    !o->on)
		return "--on";
	if (IS("notify") && !o->how)
		return "--how";
	if (IS("appeal") && !o->by)
		return "--by";
	if (IS("appeal") && !o->grounds)
		return "--grounds";
	if (IS("review") && !o->result)
		return "--result";
	if (IS("review") && !o->reasons)
		return "--reasons";
	if (task_add && !o->owner)
		return "--owner";
	if (task_add && !o->due)
		return "--due";
	if (task_add && !o->what)
		return "--what";
	if (IS("task") && !task_add && !o->verified_by)
		return "--verified-by";
	if (IS("visit") && !o->notes)
		return "--notes";
	return NULL;
#undef IS
}

/* Check a record subcommand's command line; its case code to *code.  -1
 * (usage printed) when it is wrong. */
static int record_args(const char *sub, const struct copts *o, const char **code)
{
	int nargs = 1, task_add = 0;
	const char *miss;
	*code = o->n_args ? o->args[0] : NULL;
	if (strcmp(sub, "task") == 0) {
		task_add = o->n_args && strcmp(o->args[0], "add") == 0;
		if (!task_add && !(o->n_args && strcmp(o->args[0], "done") == 0)) {
			fprintf(stderr, "rongcuo case task: add or done?\n\n%s", case_usage);
			return -1;
		}
		nargs = task_add ? 2 : 3;
		*code = o->n_args > 1 ? o->args[1] : NULL;
	}
	if (o->n_args != nargs) {
		fprintf(stderr, "rongcuo case %s: wrong number of arguments\n\n%s", sub,
			case_usage);
		return -1;
	}
	if ((miss = missing_option(sub, o, task_add))) {
		fprintf(stderr, "rongcuo case %s: %s is required\n\n%s", sub, miss, case_usage);
		return -1;
	}
	return 0;
}

/* A date option: 0, or -1 with a message. */
static int date_opt(const char *name, const char *v, int32_t *out, struct rc_diags *d)
{
	if (!v)
		return 0;
	if (rc_date_parse(v, strlen(v), out) == RC_OK)
		return 0;
	rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s '%s' is not a date YYYY-MM-DD", name, v);
	return -1;
}

/* Run record subcommand `sub` on case `code` (policy version `p`); print
 * what was recorded.  An exit code. */
static int record_cmd(struct rc_datadir *dd, const struct rc_policy *p, const struct rc_cal *cal,
		      const struct copts *o, const char *sub, const char *code, struct rc_diags *d)
{
	struct rc_unit *u = &dd->unit;
	int32_t held = 0, on = 0, due = 0, deadline = 0;
	char ds[RC_DATE_STRLEN];
	enum rc_err e;
	if (date_opt("--held", o->held, &held, d) || date_opt("--on", o->on, &on, d) ||
	    date_opt("--due", o->due, &due, d))
		return RC_EXIT_USAGE;
	if (strcmp(sub, "consult") == 0) {
		if (!(e = rc_proc_consult_open(u, p, o->as, code, held, o->minutes, d)))
			printf("case %s: consultation of %s recorded (会商研判, 一事一议)\n", code,
			       o->held);
	} else if (strcmp(sub, "participant") == 0) {
		if (!(e = rc_proc_consult_participant(u, p, o->as, code, o->dept, o->name,
						      o->recused, o->reason, d)))
			printf("case %s: participant %s %s%s\n", code, o->dept, o->name,
			       o->recused ? " (回避)" : "");
	} else if (strcmp(sub, "opinion") == 0) {
		if (!(e = rc_proc_consult_opinion(u, p, o->as, code, o->dept, o->opinion,
						  o->dissent, d)))
			printf("case %s: written opinion of %s recorded%s\n", code, o->dept,
			       o->dissent ? ", with a dissent" : "");
	} else if (strcmp(sub, "notify") == 0) {
		if (!(e = rc_proc_case_notify(u, p, o->as, code, o->to, on, o->how, d)))
			printf("case %s: %s notified on %s (%s)\n", code, o->to, o->on, o->how);
	} else if (strcmp(sub, "appeal") == 0) {
		if (!(e = rc_proc_case_appeal(u, p, cal, o->as, code, on, o->by, o->grounds,
					      &deadline, d))) {
			rc_date_format(deadline, ds);
			printf("case %s: appeal of %s on %s recorded (申诉期限 until %s)\n", code,
			       o->by, o->on, ds);
			printf(
			    "申诉期间不停止执行: the decision stays in force while the appeal is "
			    "reviewed\n");
		}
	} else if (strcmp(sub, "review") == 0) {
		if (!(e = rc_proc_case_review(u, p, cal, o->as, code, on, o->result, o->reasons,
					      d))) {
			printf("case %s: review of the appeal on %s: %s\n", code, o->on, o->result);
			if (strcmp(o->result, "维持") != 0)
				printf("note: the decision and its impact period stay recorded as "
				       "decided; the review's result is recorded beside them\n");
		}
	} else if (strcmp(sub, "file") == 0) {
		if (!(e = rc_proc_case_file(u, p, o->as, code, o->with, on, d)))
			printf("case %s: filed with %s on %s (备案)\n", code, o->with, o->on);
	} else if (strcmp(sub, "task") == 0 && strcmp(o->args[0], "add") == 0) {
		int no = 0;
		if (!(e = rc_proc_task_add(u, p, o->as, code, o->owner, due, o->what, &no, d)))
			printf("case %s: rectification task %d added (owner %s, due %s)\n", code,
			       no, o->owner, o->due);
	} else if (strcmp(sub, "task") == 0) {
		char *end;
		long no = strtol(o->args[2], &end, 10);
		if (*end || end == o->args[2] || no < 1 || no > 1000000) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "TASKNO '%s' is not a task number",
				    o->args[2]);
			return RC_EXIT_USAGE;
		}
		if (!(e = rc_proc_task_done(u, p, o->as, code, (int)no, on, o->verified_by, d)))
			printf("case %s: task %ld done on %s, verified by %s\n", code, no, o->on,
			       o->verified_by);
	} else {
		if (!(e = rc_proc_case_follow_up(u, p, o->as, code, on, o->notes, d)))
			printf("case %s: follow-up visit on %s recorded (回访)\n", code, o->on);
	}
	if (e)
		return RC_EXIT_INPUT;
	show_case(dd->store, code);
	return RC_EXIT_OK;
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
	/* `rectify` (纠错, the word of the 实施办法 and of the procedure) is
	 * the same command as `task`: rectification tasks */
	const char *sub = strcmp(argv[1], "rectify") == 0 ? "task" : argv[1];
	if (today_of(o.today, &today)) {
		fprintf(stderr, "rongcuo case: --today '%s' is not a date YYYY-MM-DD\n", o.today);
		return RC_EXIT_USAGE;
	}
	rc_diags_init(&d, "rongcuo case");
	int opening = strcmp(sub, "open") == 0, stepping = strcmp(sub, "step") == 0;
	int withdraw = strcmp(sub, "withdraw") == 0;
	/* `finding` is `fact` for a standard's graded finding, with its reason */
	int finding = strcmp(sub, "finding") == 0;
	int fact = finding || strcmp(sub, "fact") == 0, reco = strcmp(sub, "recommend") == 0;
	int decide = strcmp(sub, "decide") == 0, record = is_record(sub);
	/* these need the case's policy version */
	int on_case = stepping || fact || reco || decide || record || withdraw;
	const char *code = o.n_args ? o.args[0] : NULL;
	if (record && record_args(sub, &o, &code))
		return RC_EXIT_USAGE;
	if ((opening && (o.n_args || !o.as || !o.path || !o.handling)) ||
	    (stepping && (o.n_args != 2 || !o.as)) || (fact && (o.n_args != 3 || !o.as)) ||
	    (reco && (o.n_args != 1 || !o.as)) || (withdraw && (o.n_args != 1 || !o.as)) ||
	    (decide && (o.n_args != 1 || !o.as || !o.outcome || !o.meeting || !o.basis)) ||
	    ((strcmp(sub, "show") == 0) && o.n_args != 1) ||
	    ((strcmp(sub, "history") == 0) && o.n_args != 2) ||
	    (!opening && !on_case && strcmp(sub, "show") != 0 && strcmp(sub, "list") != 0 &&
	     strcmp(sub, "due") != 0 && strcmp(sub, "history") != 0)) {
		fputs(case_usage, stderr);
		return RC_EXIT_USAGE;
	}
	if (rc_datadir_open(&dd, o.data, RC_DATADIR_USE, &d)) {
		rc = RC_EXIT_INPUT;
		goto out;
	}
	if (opening || on_case) {
		if (rc_policy_set_new(&set) || rc_policy_set_load(set, o.policy, &d) ||
		    rc_datadir_calendar(&dd, o.calendar, &cal, &d)) {
			rc = RC_EXIT_INPUT;
			goto out;
		}
	}
	if (opening) {
		const struct rc_policy *p = rc_policy_set_at(set, today);
		char ds[RC_DATE_STRLEN], opened[64];
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
		if (rc_proc_case_open(&dd.unit, p, cal, o.as, &c, today, opened, sizeof(opened),
				      &d)) {
			rc = RC_EXIT_INPUT;
			goto out;
		}
		printf("case %s opened under policy %s %s\n", opened, rc_policy_series(p),
		       rc_policy_version(p));
		show_case(dd.store, opened);
	} else if (on_case) {
		/* the version the case was opened under */
		struct rc_stmt *st;
		int row;
		const struct rc_policy *p = NULL;
		if (rc_store_stmt(dd.store, Q_CASE_BY_CODE, &st) || rc_stmt_bind_str(st, 1, code) ||
		    rc_stmt_step(st, &row) || !row) {
			rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "no case '%s'", code);
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
			    code, version);
			rc = RC_EXIT_INPUT;
			goto out;
		}
		enum rc_err e = RC_OK;
		if (record) {
			rc = record_cmd(&dd, p, cal, &o, sub, code, &d);
			goto out;
		}
		if (withdraw) {
			e = rc_proc_case_withdraw(&dd.unit, p, o.as, code, o.reason, today, &d);
			if (!e)
				printf("case %s withdrawn (撤回申请)\n", code);
		} else if (stepping) {
			e = rc_proc_case_step(&dd.unit, p, cal, o.as, o.args[0], o.args[1],
					      o.note ? o.note : "", today, &d);
			if (!e)
				printf("case %s: step %s\n", o.args[0], o.args[1]);
		} else if (fact) {
			int slot = rc_policy_slot_find(p, o.args[1]);
			if (finding &&
			    (slot < 0 || !rc_policy_slot_is_standard(p, o.args[1] ? slot : -1))) {
				rc_diag_add(
				    &d, RC_SEV_ERROR, 0, 0,
				    "'%s' is not an analysis standard of policy %s (动机态度, "
				    "客观条件, ...); use `case fact` for facts",
				    o.args[1], rc_policy_version(p));
				rc = RC_EXIT_INPUT;
				goto out;
			}
			e = rc_proc_case_fact(&dd.unit, p, o.as, o.args[0], o.args[1], o.args[2],
					      o.evidence, o.reason, o.disputed, &d);
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
	} else if (strcmp(sub, "history") == 0) {
		/* every value a fact or finding had, oldest first, with who set it */
		struct rc_stmt *st;
		int row;
		if (rc_store_stmt(dd.store, Q_CASE_BY_CODE, &st) ||
		    rc_stmt_bind_str(st, 1, o.args[0]) || rc_stmt_step(st, &row) || !row) {
			rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "no case '%s'", o.args[0]);
			rc = RC_EXIT_INPUT;
			goto out;
		}
		int64_t id = rc_stmt_int(st, 0);
		int n = 0;
		if (rc_store_stmt(dd.store, Q_FACT_HISTORY, &st) || rc_stmt_bind_int(st, 1, id) ||
		    rc_stmt_bind_str(st, 2, o.args[1])) {
			rc = RC_EXIT_INPUT;
			goto out;
		}
		while (rc_stmt_step(st, &row) == RC_OK && row) {
			n++;
			printf("%s  %s = %s  (%s%s%s)%s%s\n", rc_stmt_text(st, 2, NULL), o.args[1],
			       rc_stmt_text(st, 0, NULL), rc_stmt_text(st, 1, NULL),
			       rc_stmt_is_null(st, 3) ? "" : ", 证据 ",
			       rc_stmt_is_null(st, 3) ? "" : rc_stmt_text(st, 3, NULL),
			       rc_stmt_int(st, 4) ? "  [有争议]" : "",
			       rc_stmt_int(st, 5) ? "  [现值]" : "");
		}
		if (!n)
			printf("案件 %s 没有事实 %s 的记录 (no value was ever recorded)\n",
			       o.args[0], o.args[1]);
	} else if (strcmp(sub, "due") == 0) {
		struct rc_stmt *st;
		int row;
		char ds[RC_DATE_STRLEN];
		rc_date_format(today, ds);
		if (rc_store_stmt(dd.store, Q_DUE_LIST, &st)) {
			rc = RC_EXIT_INPUT;
			goto out;
		}
		int shown = 0;
		while (rc_stmt_step(st, &row) == RC_OK && row) {
			const char *due = rc_stmt_text(st, 2, NULL);
			shown++;
			printf("%-24s %-10s 期限 %s  %s%s\n", rc_stmt_text(st, 0, NULL),
			       rc_stmt_text(st, 1, NULL), due, rc_stmt_text(st, 3, NULL),
			       strcmp(due, ds) < 0    ? "  [已逾期]"
			       : strcmp(due, ds) == 0 ? "  [今日到期]"
						      : "");
		}
		/* Rectification tasks past their due date: not rectifying is
		 * itself an exclusion (不予容错情形 4), so they are listed too. */
		if (rc_store_stmt(dd.store, Q_TASKS_OVERDUE, &st) || rc_stmt_bind_str(st, 1, ds)) {
			rc = RC_EXIT_INPUT;
			goto out;
		}
		for (; rc_stmt_step(st, &row) == RC_OK && row; shown++)
			printf("%-24s 纠错任务#%lld 期限 %s  %s  责任:%s  %s  [已逾期]\n",
			       rc_stmt_text(st, 0, NULL), (long long)rc_stmt_int(st, 1),
			       rc_stmt_text(st, 3, NULL), rc_stmt_text(st, 5, NULL),
			       rc_stmt_text(st, 2, NULL), rc_stmt_text(st, 4, NULL));
		/* An empty list is an answer, not a silence a user must interpret. */
		if (!shown)
			printf("无到期事项 (nothing is due: no open step has a deadline and no "
			       "纠错任务 is overdue on %s)\n",
			       ds);
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
	return rc_datadir_finish(&dd, &d, rc);
}
