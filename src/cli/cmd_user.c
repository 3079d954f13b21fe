/*
 * cmd_user.c -- `rongcuo user add|passwd|disable|enable|reset-totp|person`:
 * accounts.
 *
 * A password never comes from the command line, where other users see it
 * (/proc/PID/cmdline, `ps`) and the shell keeps it in its history: `user
 * passwd` reads it as one line of standard input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "cli/opts.h"
#include "crypto/crypto.h"
#include "policy/policy.h"

static const char usage[] =
    "usage: rongcuo user add LOGIN NAME --org CODE --role ROLE [--as USER] [--data DIR]\n"
    "                        [--policy FILE|DIR]\n"
    "       rongcuo user passwd LOGIN [--must-change] [--as USER] [--data DIR]\n"
    "       rongcuo user disable|enable|reset-totp LOGIN [--as USER] [--data DIR]\n"
    "       rongcuo user person LOGIN PERSON_ID [--as USER] [--data DIR]\n"
    "\n"
    "ROLE names a role of the procedure of one of the policies (--policy, by default those\n"
    "in policies/): 承办单位, 党委, 纪检, 组织, ...; or one of the three administrators\n"
    "(三员分立) 系统管理员, 安全管理员, 审计管理员, who never act in a case.\n"
    "\n"
    "passwd reads the new password as one line of standard input (12 to 1024 bytes),\n"
    "never from the command line; --must-change makes the user set another at the next\n"
    "log-in.  It revokes the user's sessions.  disable refuses the user's next log-in and\n"
    "revokes their sessions at once; enable lets a disabled user log in again.\n"
    "reset-totp removes the user's authenticator (a lost phone) and revokes their\n"
    "sessions: they enrol a new one at the next log-in, after their password.\n"
    "person ties a 当事人's account to the official it is (PERSON_ID, as `person add`\n"
    "printed it): the account reaches the cases about that official, wherever they are\n"
    "handled, and nothing else -- none before it is tied.  The official must belong to\n"
    "the account's organisation or one below it.\n"
    "\n"
    "Exit 0 ok, 2 usage error, 3 refused or invalid input (the message says why).\n";

struct uopts {
	const char *data, *as, *policy, *org, *role;
	int help, must_change, n_args;
	char *args[3];
};

static int parse(int argc, char **argv, struct uopts *o)
{
	memset(o, 0, sizeof(*o));
	o->policy = "policies";
	const struct rc_opt table[] = {{"data", &o->data, NULL},
				       {"as", &o->as, NULL},
				       {"policy", &o->policy, NULL},
				       {"org", &o->org, NULL},
				       {"role", &o->role, NULL},
				       {"must-change", NULL, &o->must_change},
				       {NULL, NULL, NULL}};
	return rc_cli_options("user", argc, argv, table, &o->help, o->args, 3, &o->n_args, usage);
}

static int user_add(const struct uopts *o)
{
	struct rc_datadir dd = {0};
	struct rc_diags d;
	struct rc_policy_set *set = NULL;
	int rc = RC_EXIT_INPUT;
	rc_diags_init(&d, "rongcuo user");
	if (rc_policy_set_new(&set) || rc_policy_set_load(set, o->policy, &d) ||
	    rc_proc_role_check(set, o->role, &d) ||
	    rc_datadir_open(&dd, o->data, RC_DATADIR_USE, &d))
		goto out;
	if (rc_proc_user_add(&dd.unit, o->as ? o->as : "cli", o->args[0], o->args[1], o->org,
			     o->role, &d))
		goto out;
	printf("user %s added (%s, %s)\n", o->args[0], o->role, o->org);
	rc = RC_EXIT_OK;
out:
	rc_policy_set_free(set);
	return rc_datadir_finish(&dd, &d, rc);
}

/* One line of standard input into buf[cap], without its line end (\n or
 * \r\n).  Unbuffered, so that no copy of the password stays in a stdio
 * buffer the program cannot wipe.  -1 with a message when there is no
 * line, it holds a NUL byte, or it does not fit. */
static int read_line(char *buf, size_t cap, struct rc_diags *d)
{
	size_t n = 0;
	int c, nul = 0, eof = 1;
	setvbuf(stdin, NULL, _IONBF, 0);
	while ((c = getchar()) != EOF) {
		eof = 0;
		if (c == '\n')
			break;
		if (c == '\0')
			nul = 1;
		if (n + 1 < cap)
			buf[n] = (char)c;
		n++;
	}
	if (nul)
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "the password on standard input holds a NUL byte");
	else if (n >= cap)
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "the password on standard input is longer than %d bytes",
			    RC_AUTH_PASSWORD_MAX);
	else if (eof && n == 0)
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "no password on standard input: give it as one line");
	if (nul || n >= cap || (eof && n == 0)) {
		rc_crypto_wipe(buf, cap);
		return -1;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return 0;
}

static int user_passwd(const struct uopts *o)
{
	struct rc_datadir dd = {0};
	struct rc_diags d;
	/* room for the longest password, its \r, and one byte more to tell a
	 * longer line */
	char pw[RC_AUTH_PASSWORD_MAX + 3];
	int rc = RC_EXIT_INPUT;
	rc_diags_init(&d, "rongcuo user");
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "new password for %s (one line): ", o->args[0]);
	if (read_line(pw, sizeof(pw), &d) || rc_datadir_open(&dd, o->data, RC_DATADIR_USE, &d))
		goto out;
	if (rc_proc_password_set(&dd.unit, o->as ? o->as : "cli", o->args[0], pw, o->must_change,
				 NULL, &d))
		goto out;
	printf("password of user %s set%s; their sessions were revoked\n", o->args[0],
	       o->must_change ? " (to be changed at the next log-in)" : "");
	rc = RC_EXIT_OK;
out:
	rc_crypto_wipe(pw, sizeof(pw));
	return rc_datadir_finish(&dd, &d, rc);
}

/* person: the official a 当事人's account is */
static int user_person(const struct uopts *o)
{
	struct rc_datadir dd = {0};
	struct rc_diags d;
	char *end;
	long long id = strtoll(o->args[1], &end, 10);
	if (*end || end == o->args[1] || id <= 0) {
		fprintf(stderr,
			"rongcuo user person: PERSON_ID is an official's id (a positive "
			"number, as `person add` printed it), not '%s'\n",
			o->args[1]);
		return RC_EXIT_USAGE;
	}
	rc_diags_init(&d, "rongcuo user");
	if (rc_datadir_open(&dd, o->data, RC_DATADIR_USE, &d) ||
	    rc_proc_user_person(&dd.unit, o->as ? o->as : "cli", o->args[0], (int64_t)id, &d))
		return rc_datadir_finish(&dd, &d, RC_EXIT_INPUT);
	printf("user %s is official %lld: it reaches the cases about them\n", o->args[0], id);
	return rc_datadir_finish(&dd, &d, RC_EXIT_OK);
}

/* disable, enable, reset-totp: a switch on an account */
static int user_switch(const char *sub, const struct uopts *o)
{
	struct rc_datadir dd = {0};
	struct rc_diags d;
	int rc = RC_EXIT_INPUT;
	const char *as = o->as ? o->as : "cli";
	enum rc_err e;
	rc_diags_init(&d, "rongcuo user");
	if (rc_datadir_open(&dd, o->data, RC_DATADIR_USE, &d))
		goto out;
	e = sub[0] == 'd'   ? rc_proc_user_disable(&dd.unit, as, o->args[0], &d)
	    : sub[0] == 'e' ? rc_proc_user_enable(&dd.unit, as, o->args[0], &d)
			    : rc_proc_totp_reset(&dd.unit, as, o->args[0], &d);
	if (e)
		goto out;
	printf(sub[0] == 'd'   ? "user %s disabled; their sessions were revoked\n"
	       : sub[0] == 'e' ? "user %s enabled\n"
			       : "user %s has no authenticator now; their sessions were revoked, "
				 "and they enrol a new one at the next log-in\n",
	       o->args[0]);
	rc = RC_EXIT_OK;
out:
	return rc_datadir_finish(&dd, &d, rc);
}

int rc_cmd_user(int argc, char **argv)
{
	struct uopts o;
	if (rc_cli_help(argc, argv, usage))
		return RC_EXIT_OK;
	if (argc < 2 || parse(argc - 1, argv + 1, &o)) {
		if (argc < 2)
			fputs(usage, stderr);
		return RC_EXIT_USAGE;
	}
	if (o.help) {
		fputs(usage, stdout);
		return RC_EXIT_OK;
	}
	const char *sub = argv[1];
	int want = strcmp(sub, "add") == 0 || strcmp(sub, "person") == 0 ? 2 : 1;
	if (o.n_args > want) {
		fprintf(stderr, "rongcuo user %s: too many arguments ('%s')%s\n\n%s", sub,
			strcmp(sub, "passwd") == 0 ? "..." : o.args[want],
			strcmp(sub, "passwd") == 0
			    ? "; the password is read from standard input, never from the command "
			      "line"
			    : "",
			usage);
		return RC_EXIT_USAGE;
	}
	if (strcmp(sub, "add") == 0 && o.n_args == 2 && o.org && o.role)
		return user_add(&o);
	if (strcmp(sub, "person") == 0 && o.n_args == 2 && !o.org && !o.role && !o.must_change)
		return user_person(&o);
	if (strcmp(sub, "passwd") == 0 && o.n_args == 1 && !o.org && !o.role)
		return user_passwd(&o);
	if ((strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0 ||
	     strcmp(sub, "reset-totp") == 0) &&
	    o.n_args == 1 && !o.org && !o.role && !o.must_change)
		return user_switch(sub, &o);
	fputs(usage, stderr);
	return RC_EXIT_USAGE;
}
