/*
 * cmd_clarify.c -- `rongcuo clarify open|decide|issue|file|refer|show`:
 * 澄清正名 after an unfounded complaint (DOMAIN.md §4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "cli/opts.h"
#include "core/date.h"

static const char clarify_usage[] =
    "usage: rongcuo clarify open --as USER --person ID --report TEXT\n"
    "       rongcuo clarify decide N --as USER --untrue yes|no [--form 书面|会议|通报 --scope "
    "TEXT]\n"
    "       rongcuo clarify issue N --as USER --on DATE\n"
    "       rongcuo clarify file N --as USER --on DATE\n"
    "       rongcuo clarify refer N --as USER --to TEXT\n"
    "       rongcuo clarify show N\n"
    "\n"
    "澄清正名: a complaint (检举控告, --report) against an official found unfounded\n"
    "(失实, --untrue yes) is clarified in a form scoped to the original harm,\n"
    "issued, filed into the official's 廉政档案 with a copy to the 组织部门, and\n"
    "suspected 诬告陷害 is referred for handling -- in that order.  A complaint\n"
    "that was not unfounded (--untrue no, without --form and --scope) closes the\n"
    "record.  Handled by users of the role 纪检 in the official's organisation or\n"
    "above; who opened a clarification does not decide it.  N is the number\n"
    "`clarify open` gave.\n"
    "\n"
    "Options: --data DIR (the data directory).  Dates are YYYY-MM-DD.\n"
    "Exit 0 ok, 2 usage error, 3 refused or invalid input (the message names the rule).\n";

struct kopts {
	const char *data, *as, *person, *report, *untrue, *form, *scope, *on, *to;
	int help, n_args;
	char *args[2];
};

static int parse(int argc, char **argv, struct kopts *o)
{
	memset(o, 0, sizeof(*o));
	const struct rc_opt table[] = {{"data", &o->data, NULL},     {"as", &o->as, NULL},
				       {"person", &o->person, NULL}, {"report", &o->report, NULL},
				       {"untrue", &o->untrue, NULL}, {"form", &o->form, NULL},
				       {"scope", &o->scope, NULL},   {"on", &o->on, NULL},
				       {"to", &o->to, NULL},         {NULL, NULL, NULL}};
	return rc_cli_options("clarify", argc, argv, table, &o->help, o->args, 2, &o->n_args,
			      clarify_usage);
}

/* A positive record number: 0, or -1. */
static int number(const char *s, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < 1)
		return -1;
	*out = v;
	return 0;
}

static const char *state_text(const char *state)
{
	static const char *const map[][2] = {
	    {"opened", "核查研判中"},           {"decided", "已决定澄清,待发布"},
	    {"issued", "已澄清正名,待归档"},    {"filed", "已归入廉政档案(抄送组织部门)"},
	    {"referred", "已移送诬告陷害线索"}, {"closed", "反映不失实,不予澄清"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], state) == 0)
			return map[i][1];
	return state;
}

static void show(struct rc_store *s, int64_t id)
{
	struct rc_stmt *st;
	int row;
	if (rc_store_stmt(s, Q_CLARIFY_GET, &st) || rc_stmt_bind_int(st, 1, id) ||
	    rc_stmt_step(st, &row) || !row)
		return;
	printf("澄清正名 %lld\n", (long long)id);
	printf("  当事人:%s(id %lld)\n", rc_stmt_text(st, 10, NULL), (long long)rc_stmt_int(st, 0));
	printf("  状态:%s\n", state_text(rc_stmt_text(st, 1, NULL)));
	printf("  检举控告:%s\n", rc_stmt_text(st, 12, NULL));
	printf("  受理:%s  (%s)\n", rc_stmt_text(st, 13, NULL), rc_stmt_text(st, 9, NULL));
	if (!rc_stmt_is_null(st, 2))
		printf("  核查结论:%s  (%s)\n", rc_stmt_int(st, 2) ? "失实" : "不失实",
		       rc_stmt_text(st, 14, NULL));
	if (!rc_stmt_is_null(st, 3))
		printf("  澄清方式:%s  范围:%s\n", rc_stmt_text(st, 3, NULL),
		       rc_stmt_text(st, 4, NULL));
	if (!rc_stmt_is_null(st, 5))
		printf("  发布:%s\n", rc_stmt_text(st, 5, NULL));
	if (!rc_stmt_is_null(st, 6))
		printf("  归档:%s  廉政档案,抄送组织部门\n", rc_stmt_text(st, 6, NULL));
	if (!rc_stmt_is_null(st, 7))
		printf("  诬告陷害线索移送:%s\n", rc_stmt_text(st, 7, NULL));
}

int rc_cmd_clarify(int argc, char **argv)
{
	struct kopts o;
	struct rc_datadir dd = {0};
	struct rc_diags d;
	int rc = RC_EXIT_OK;
	int64_t id = 0;
	int32_t on = 0;
	enum rc_err e = RC_OK;
	if (rc_cli_help(argc, argv, clarify_usage))
		return RC_EXIT_OK;
	if (argc < 2 || parse(argc - 1, argv + 1, &o)) {
		if (argc < 2)
			fputs(clarify_usage, stderr);
		return RC_EXIT_USAGE;
	}
	if (o.help) {
		fputs(clarify_usage, stdout);
		return RC_EXIT_OK;
	}
	const char *sub = argv[1];
	int opening = strcmp(sub, "open") == 0, deciding = strcmp(sub, "decide") == 0;
	int issuing = strcmp(sub, "issue") == 0, filing = strcmp(sub, "file") == 0;
	int referring = strcmp(sub, "refer") == 0, showing = strcmp(sub, "show") == 0;
	const char *missing = NULL;
	if (!opening && !deciding && !issuing && !filing && !referring && !showing) {
		fprintf(stderr, "rongcuo clarify: unknown subcommand '%s'\n\n%s", sub,
			clarify_usage);
		return RC_EXIT_USAGE;
	}
	if (o.n_args != (opening ? 0 : 1) || (!opening && number(o.args[0], &id))) {
		fprintf(stderr, "rongcuo clarify %s: %s\n\n%s", sub,
			opening ? "takes no arguments" : "needs the clarification's number N",
			clarify_usage);
		return RC_EXIT_USAGE;
	}
	if (!showing && !o.as)
		missing = "--as";
	else if (opening && !o.person)
		missing = "--person";
	else if (opening && !o.report)
		missing = "--report";
	else if (deciding && !o.untrue)
		missing = "--untrue";
	else if ((issuing || filing) && !o.on)
		missing = "--on";
	else if (referring && !o.to)
		missing = "--to";
	if (missing) {
		fprintf(stderr, "rongcuo clarify %s: %s is required\n\n%s", sub, missing,
			clarify_usage);
		return RC_EXIT_USAGE;
	}
	if (deciding && strcmp(o.untrue, "yes") != 0 && strcmp(o.untrue, "no") != 0) {
		fprintf(stderr, "rongcuo clarify decide: --untrue is yes or no, not '%s'\n",
			o.untrue);
		return RC_EXIT_USAGE;
	}
	if (o.on && rc_date_parse(o.on, strlen(o.on), &on)) {
		fprintf(stderr, "rongcuo clarify %s: --on '%s' is not a date YYYY-MM-DD\n", sub,
			o.on);
		return RC_EXIT_USAGE;
	}
	int64_t person = 0;
	if (opening && number(o.person, &person)) {
		fprintf(stderr, "rongcuo clarify open: --person takes the id of an official\n");
		return RC_EXIT_USAGE;
	}
	rc_diags_init(&d, "rongcuo clarify");
	if (rc_datadir_open(&dd, o.data, RC_DATADIR_USE, &d)) {
		rc = RC_EXIT_INPUT;
		goto out;
	}
	if (showing) {
		struct rc_stmt *st;
		int row;
		if (rc_store_stmt(dd.store, Q_CLARIFY_GET, &st) || rc_stmt_bind_int(st, 1, id) ||
		    rc_stmt_step(st, &row) || !row) {
			rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "no clarification %lld", (long long)id);
			rc = RC_EXIT_INPUT;
			goto out;
		}
	} else if (opening) {
		if (!(e = rc_proc_clarify_open(&dd.unit, o.as, person, o.report, &id, &d)))
			printf("clarification %lld opened\n", (long long)id);
	} else if (deciding) {
		int unfounded = strcmp(o.untrue, "yes") == 0;
		if (!(e = rc_proc_clarify_decide(&dd.unit, o.as, id, unfounded, o.form, o.scope,
						 &d)))
			printf("clarification %lld: %s\n", (long long)id,
			       unfounded ? "the complaint was unfounded (失实): to be clarified"
					 : "the complaint was not unfounded: closed");
	} else if (issuing) {
		if (!(e = rc_proc_clarify_issue(&dd.unit, o.as, id, on, &d)))
			printf("clarification %lld: issued on %s\n", (long long)id, o.on);
	} else if (filing) {
		if (!(e = rc_proc_clarify_file(&dd.unit, o.as, id, on, &d)))
			printf("clarification %lld: filed into the 廉政档案 on %s, a copy to the "
			       "组织部门\n",
			       (long long)id, o.on);
	} else {
		if (!(e = rc_proc_clarify_refer(&dd.unit, o.as, id, o.to, &d)))
			printf("clarification %lld: suspected 诬告陷害 referred to %s\n",
			       (long long)id, o.to);
	}
	if (e) {
		rc = RC_EXIT_INPUT;
		goto out;
	}
	show(dd.store, id);
out:
	rc_diags_print(&d, stderr);
	rc_datadir_close(&dd);
	return rc;
}
