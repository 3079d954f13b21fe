/*
 * cmd_token.c -- `rongcuo token create|list|revoke`: bearer tokens for the
 * JSON API.
 *
 * A token is shown once, by `create`, on standard output and nowhere else:
 * the store keeps only its SM3, the audit row names it by number, and
 * standard error (which scripts and service managers tend to log) gets
 * only the description.  So `TOKEN=$(rongcuo token create ...)` captures
 * exactly the token.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "cli/opts.h"
#include "cli/token.h"
#include "crypto/crypto.h"

#define EXPIRES_DAYS_MAX 3660 /* ten years: a token meant to last longer is a mistake */

static const char usage[] =
    "usage: rongcuo token create --user LOGIN --label TEXT [--expires-days N] [--as USER]\n"
    "                            [--data DIR]\n"
    "       rongcuo token list [--data DIR]\n"
    "       rongcuo token revoke ID [--as USER] [--data DIR]\n"
    "\n"
    "Bearer tokens of the JSON API (/api/v1, docs/api.md).  A token acts as its user:\n"
    "the user's role, organisation and scope, under the same permission matrix as the\n"
    "web pages; disabling the user stops it at once.\n"
    "\n"
    "create makes a token for LOGIN, labelled TEXT (what it is for, up to 200 bytes),\n"
    "valid for N days (1..3660; default: until revoked), and prints it once, alone on\n"
    "standard output: keep it, the server stores only its SM3.  list shows every\n"
    "token's number, user, label, times and state, never the token.  revoke ID stops\n"
    "token ID at the next request.  Each change is audited (token.create,\n"
    "token.revoke), without the token.\n"
    "\n"
    "Exit 0 ok, 2 usage error, 3 refused or invalid input (the message says why).\n";

struct topts {
	const char *data, *as, *user, *label, *days;
	int help, n_args;
	char *args[2];
};

static int parse(int argc, char **argv, struct topts *o)
{
	memset(o, 0, sizeof(*o));
	const struct rc_opt table[] = {{"data", &o->data, NULL},         {"as", &o->as, NULL},
				       {"user", &o->user, NULL},         {"label", &o->label, NULL},
				       {"expires-days", &o->days, NULL}, {NULL, NULL, NULL}};
	return rc_cli_options("token", argc, argv, table, &o->help, o->args, 2, &o->n_args, usage);
}

/* A whole number in [min, max] from s; -1 when it is not one. */
static int number(const char *s, int64_t min, int64_t max, int64_t *out)
{
	int64_t v = 0;
	if (!s || !*s)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > max)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int token_create(const struct topts *o)
{
	struct rc_datadir dd = {0};
	struct rc_diags d;
	char token[RC_TOKEN_LEN + 1] = "", expires[32] = "never (until revoked)";
	int64_t days = 0, id = 0, now = (int64_t)time(NULL), until = 0;
	int rc = RC_EXIT_INPUT;
	rc_diags_init(&d, "rongcuo token");
	if (o->days && number(o->days, 1, EXPIRES_DAYS_MAX, &days)) {
		fprintf(stderr,
			"rongcuo token create: --expires-days '%.40s' is not a number of days "
			"1..%d\n",
			o->days, EXPIRES_DAYS_MAX);
		return RC_EXIT_USAGE;
	}
	if (days)
		until = now + days * 86400;
	if (rc_datadir_open(&dd, o->data, RC_DATADIR_USE, &d) ||
	    rc_proc_token_create(&dd.unit, o->as ? o->as : "cli", o->user, o->label, until, now,
				 token, &id, &d))
		goto out;
	if (until) {
		time_t t = (time_t)until;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(expires, sizeof(expires), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	printf("%s\n", token);
	fflush(stdout);
	fprintf(stderr,
		"token %lld made for %s (%s), expires %s.\n"
		"It is shown only now: the server keeps only its SM3.  Send it as\n"
		"  Authorization: Bearer TOKEN\n",
		(long long)id, o->user, o->label, expires);
	rc = RC_EXIT_OK;
out:
	rc_crypto_wipe(token, sizeof(token));
	return rc_datadir_finish(&dd, &d, rc);
}

static enum rc_err print_token(void *ctx, const struct rc_token_info *t)
{
	int *n = ctx;
	if (!(*n)++)
		printf("%-6s %-16s %-20s %-20s %-8s %s\n", "ID", "USER", "CREATED", "EXPIRES",
		       "STATE", "LABEL");
	printf("%-6lld %-16s %-20s %-20s %-8s %s\n", (long long)t->id, t->login, t->created_at,
	       t->expires_at[0] ? t->expires_at : "-",
	       t->revoked   ? "revoked"
	       : t->expired ? "expired"
			    : "active",
	       t->label);
	return RC_OK;
}

static int token_list(const struct topts *o)
{
	struct rc_datadir dd = {0};
	struct rc_diags d;
	int n = 0, rc = RC_EXIT_INPUT;
	rc_diags_init(&d, "rongcuo token");
	if (rc_datadir_open(&dd, o->data, RC_DATADIR_USE, &d))
		goto out;
	enum rc_err e = rc_proc_token_list(dd.store, (int64_t)time(NULL), print_token, &n);
	if (e) {
		rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "cannot list the tokens: %s",
			    rc_store_errmsg(dd.store));
		goto out;
	}
	if (!n)
		printf("no tokens; make one with `rongcuo token create`\n");
	rc = RC_EXIT_OK;
out:
	return rc_datadir_finish(&dd, &d, rc);
}

static int token_revoke(const struct topts *o)
{
	struct rc_datadir dd = {0};
	struct rc_diags d;
	int64_t id;
	int rc = RC_EXIT_INPUT;
	rc_diags_init(&d, "rongcuo token");
	if (number(o->args[0], 1, INT64_C(999999999999), &id)) {
		fprintf(stderr,
			"rongcuo token revoke: '%.40s' is not a token number (`rongcuo token "
			"list` shows them)\n",
			o->args[0]);
		return RC_EXIT_USAGE;
	}
	if (rc_datadir_open(&dd, o->data, RC_DATADIR_USE, &d) ||
	    rc_proc_token_revoke(&dd.unit, o->as ? o->as : "cli", id, &d))
		goto out;
	printf("token %lld revoked\n", (long long)id);
	rc = RC_EXIT_OK;
out:
	return rc_datadir_finish(&dd, &d, rc);
}

int rc_cmd_token(int argc, char **argv)
{
	struct topts o;
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
	if (strcmp(sub, "create") == 0 && o.n_args == 0 && o.user && o.label)
		return token_create(&o);
	if (strcmp(sub, "list") == 0 && o.n_args == 0 && !o.user && !o.label && !o.days && !o.as)
		return token_list(&o);
	if (strcmp(sub, "revoke") == 0 && o.n_args == 1 && !o.user && !o.label && !o.days)
		return token_revoke(&o);
	fputs(usage, stderr);
	return RC_EXIT_USAGE;
}
