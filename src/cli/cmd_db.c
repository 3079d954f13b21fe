/*
 * cmd_db.c -- `rongcuo db init|migrate|check`, `rongcuo audit verify`,
 * `rongcuo org add|list`, `rongcuo person add`.
 */
#include <stdlib.h>
#include <time.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/copy.h"
#include "cli/datadir.h"
#include "cli/opts.h"
#include "core/date.h"

static const char db_usage[] =
    "usage: rongcuo db init|migrate|check [--data DIR] [--db URL]\n"
    "       rongcuo db copy --from URL --to URL [--data DIR]\n"
    "\n"
    "  init     create the data directory, the database and the audit key (mode 0600);\n"
    "           with --db postgresql://..., the database is that one (recorded in\n"
    "           DIR/db.url), else DIR/rongcuo.db (SQLite)\n"
    "  migrate  bring the database schema up to this rongcuo's version\n"
    "  check    database integrity, foreign keys, schema version and the audit chain\n"
    "  copy     every table of the database at --from into the empty one at --to\n"
    "           (migrated first; an SQLite file is created, a PostgreSQL database must\n"
    "           exist), then compare the counts and verify the copy's audit chain with\n"
    "           DIR's key.  A URL is postgresql://... or an SQLite file path\n"
    "\n"
    "The data directory is --data DIR, else $RONGCUO_DATA, else $XDG_DATA_HOME/rongcuo,\n"
    "else ~/.local/share/rongcuo.  Exit 0 ok, 1 check found a problem, 2 usage error,\n"
    "3 the directory or database cannot be used.\n";

static const char audit_usage[] =
    "usage: rongcuo audit verify [--data DIR]\n"
    "       rongcuo audit list [--action PREFIX] [--object OBJECT] [--data DIR]\n"
    "\n"
    "verify: recompute the audit chain (HMAC-SM3 over each row and its predecessor) and\n"
    "the head file; name the first edited, deleted, inserted or reordered row.  Exit 0\n"
    "when the chain is whole, 1 when it is broken, 3 when it cannot be read.\n"
    "list: the rows in order, one a line, tab-separated: seq, time (UTC), user, role,\n"
    "organisation, action, object; --action keeps the actions that begin with PREFIX\n"
    "(case. or case.decide), --object one object (case:XX-2024-0001).  The trail is\n"
    "the 审计管理员's to read; it is not verified by listing (use verify).\n";

static const char org_usage[] =
    "usage: rongcuo org add CODE NAME LEVEL [--parent CODE] [--as USER] [--data DIR]\n"
    "       rongcuo org list [--data DIR]\n"
    "\n"
    "LEVEL is one of " RC_ORG_LEVELS "; a child sits below its parent's level.\n";

static const char evidence_usage[] =
    "usage: rongcuo evidence add FILE --as USER [--data DIR]\n"
    "       rongcuo evidence check [--data DIR]\n"
    "\n"
    "`add` stores an evidence file (at most 64 MiB) in the data directory's evidence/,\n"
    "content-addressed by its SM3 hash, and prints the reference sm3:HEX that facts\n"
    "cite (`case fact ... --evidence sm3:HEX`).  `check` re-hashes every stored file and\n"
    "names any missing or altered one (exit 1).\n";

static const char person_usage[] =
    "usage: rongcuo person add NAME --org CODE [--post POST] [--rank RANK] [--as USER]\n"
    "                          [--data DIR]\n"
    "       rongcuo person effects ID [--on DATE] [--data DIR]\n"
    "\n"
    "`effects` lists the official's sanctions with their impact periods (影响期) and\n"
    "says whether they restrict promotion on DATE (default: today), by which\n"
    "decision, under which article, until when.  Exit 0 not restricted, 1\n"
    "restricted, 3 no such official.\n";

struct opts {
	const char *data, *as, *parent, *org, *post, *rank, *on, *action, *object, *from, *to;
	int help;
	int n_args;
	char *args[8];
};

/* Parse the options every store command shares; positional arguments go
 * to o->args.  -1 on a usage error (printed). */
static int parse(const char *cmd, int argc, char **argv, struct opts *o, const char *usage)
{
	memset(o, 0, sizeof(*o));
	o->as = "cli";
	const struct rc_opt table[] = {
	    {"data", &o->data, NULL}, {"as", &o->as, NULL},         {"parent", &o->parent, NULL},
	    {"org", &o->org, NULL},   {"post", &o->post, NULL},     {"rank", &o->rank, NULL},
	    {"on", &o->on, NULL},     {"action", &o->action, NULL}, {"object", &o->object, NULL},
	    {"from", &o->from, NULL}, {"to", &o->to, NULL},         {NULL, NULL, NULL}};
	return rc_cli_options(cmd, argc, argv, table, &o->help, o->args, 8, &o->n_args, usage);
}

static int open_dd(struct rc_datadir *dd, const char *data, enum rc_datadir_mode create,
		   struct rc_diags *d)
{
	enum rc_err e = rc_datadir_open(dd, data, create, d);
	if (!e)
		return 0;
	return e == RC_ERR_USAGE ? RC_EXIT_USAGE : RC_EXIT_INPUT;
}

int rc_cmd_db(int argc, char **argv)
{
	struct opts o;
	struct rc_datadir dd = {0};
	struct rc_diags d;
	int rc;
	if (rc_cli_help(argc, argv, db_usage))
		return RC_EXIT_OK;
	if (argc < 2 || parse(argv[0], argc - 1, argv + 1, &o, db_usage)) {
		if (argc < 2)
			fputs(db_usage, stderr);
		return RC_EXIT_USAGE;
	}
	if (o.help) {
		fputs(db_usage, stdout);
		return RC_EXIT_OK;
	}
	const char *sub = argv[1];
	rc_diags_init(&d, "rongcuo db");
	if (o.n_args) {
		fprintf(stderr, "rongcuo db %s: unexpected argument '%s'\n\n%s", sub, o.args[0],
			db_usage);
		return RC_EXIT_USAGE;
	}
	if (strcmp(sub, "init") == 0 || strcmp(sub, "migrate") == 0) {
		int from, to;
		if ((rc = open_dd(&dd, o.data,
				  sub[0] == 'i' ? RC_DATADIR_CREATE : RC_DATADIR_MIGRATE, &d)))
			return rc_datadir_finish(&dd, &d, rc);
		if (rc_store_migrate(dd.store, &d, &from, &to)) {
			rc_datadir_abandon(&dd);
			return rc_datadir_finish(&dd, &d, RC_EXIT_INPUT);
		}
		if (sub[0] == 'i')
			printf("initialised %s: database %s (schema %d), audit key %s\n", dd.dir,
			       dd.shown, to, dd.key_path);
		else if (from == to)
			printf("%s: schema %d is current\n", dd.shown, to);
		else
			printf("%s: migrated schema %d -> %d\n", dd.shown, from, to);
		return rc_datadir_finish(&dd, &d, RC_EXIT_OK);
	}
	if (strcmp(sub, "copy") == 0) {
		if (!o.from || !o.to) {
			fprintf(stderr,
				"rongcuo db copy: --from URL and --to URL are required\n\n%s",
				db_usage);
			return RC_EXIT_USAGE;
		}
		rc = rc_db_copy(o.data, o.from, o.to, &d);
		rc_diags_print(&d, stderr);
		return rc;
	}
	if (strcmp(sub, "check") == 0) {
		int64_t rows, bad;
		if ((rc = open_dd(&dd, o.data, RC_DATADIR_USE, &d)))
			return rc_datadir_finish(&dd, &d, rc);
		enum rc_err e1 = rc_store_check(dd.store, &d);
		enum rc_err e2 = rc_audit_verify(dd.store, dd.key, dd.foreign ? NULL : dd.head_path,
						 &d, &rows, &bad);
		if (e1 || e2)
			return rc_datadir_finish(&dd, &d, RC_EXIT_NO);
		printf("%s: integrity ok, foreign keys ok, schema %d, audit chain of %lld rows "
		       "verified\n",
		       dd.shown, rc_store_schema_version(dd.store), (long long)rows);
		return rc_datadir_finish(&dd, &d, RC_EXIT_OK);
	}
	fprintf(stderr, "rongcuo db: unknown sub-command '%s'\n\n%s", sub, db_usage);
	return RC_EXIT_USAGE;
}

struct list_filter {
	const char *action, *object;
};

static enum rc_err list_row(void *ctx, const struct rc_audit_row *r)
{
	const struct list_filter *f = ctx;
	if (f->action && strncmp(r->action, f->action, strlen(f->action)) != 0)
		return RC_OK;
	if (f->object && strcmp(r->object, f->object) != 0)
		return RC_OK;
	printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)r->seq, r->at, r->user, r->role, r->org,
	       r->action, r->object);
	return ferror(stdout) ? RC_ERR_IO : RC_OK;
}

int rc_cmd_audit(int argc, char **argv)
{
	struct opts o;
	struct rc_datadir dd = {0};
	struct rc_diags d;
	int rc;
	if (rc_cli_help(argc, argv, audit_usage))
		return RC_EXIT_OK;
	if (argc < 2 || parse(argv[0], argc - 1, argv + 1, &o, audit_usage)) {
		if (argc < 2)
			fputs(audit_usage, stderr);
		return RC_EXIT_USAGE;
	}
	if (o.help) {
		fputs(audit_usage, stdout);
		return RC_EXIT_OK;
	}
	int list = strcmp(argv[1], "list") == 0;
	if ((!list && strcmp(argv[1], "verify") != 0) || o.n_args ||
	    (!list && (o.action || o.object))) {
		fprintf(stderr, "rongcuo audit: unknown sub-command or argument\n\n%s",
			audit_usage);
		return RC_EXIT_USAGE;
	}
	rc_diags_init(&d, "rongcuo audit");
	if ((rc = open_dd(&dd, o.data, RC_DATADIR_USE, &d)))
		return rc_datadir_finish(&dd, &d, rc);
	if (list) {
		struct list_filter f = {o.action, o.object};
		if (rc_audit_each(dd.store, list_row, &f)) {
			rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "cannot read the audit trail: %s",
				    rc_store_errmsg(dd.store));
			return rc_datadir_finish(&dd, &d, RC_EXIT_INPUT);
		}
		return rc_datadir_finish(&dd, &d, RC_EXIT_OK);
	}
	int64_t rows, bad;
	enum rc_err e =
	    rc_audit_verify(dd.store, dd.key, dd.foreign ? NULL : dd.head_path, &d, &rows, &bad);
	if (e == RC_ERR_CONFLICT)
		return rc_datadir_finish(&dd, &d, RC_EXIT_NO);
	if (e)
		return rc_datadir_finish(&dd, &d, RC_EXIT_INPUT);
	printf("audit chain verified: %lld rows\n", (long long)rows);
	return rc_datadir_finish(&dd, &d, RC_EXIT_OK);
}

int rc_cmd_org(int argc, char **argv)
{
	struct opts o;
	struct rc_datadir dd = {0};
	struct rc_diags d;
	int rc;
	if (rc_cli_help(argc, argv, org_usage))
		return RC_EXIT_OK;
	if (argc < 2 || parse(argv[0], argc - 1, argv + 1, &o, org_usage)) {
		if (argc < 2)
			fputs(org_usage, stderr);
		return RC_EXIT_USAGE;
	}
	if (o.help) {
		fputs(org_usage, stdout);
		return RC_EXIT_OK;
	}
	rc_diags_init(&d, "rongcuo org");
	if (strcmp(argv[1], "add") == 0) {
		if (o.n_args != 3) {
			fputs(org_usage, stderr);
			return RC_EXIT_USAGE;
		}
		if ((rc = open_dd(&dd, o.data, RC_DATADIR_USE, &d)))
			return rc_datadir_finish(&dd, &d, rc);
		int64_t id;
		enum rc_err e = rc_proc_org_add(&dd.unit, o.as, o.args[0], o.args[1], o.args[2],
						o.parent, &d, &id);
		if (e)
			return rc_datadir_finish(&dd, &d, RC_EXIT_INPUT);
		printf("organisation %s added (id %lld)\n", o.args[0], (long long)id);
		return rc_datadir_finish(&dd, &d, RC_EXIT_OK);
	}
	if (strcmp(argv[1], "list") == 0 && o.n_args == 0) {
		if ((rc = open_dd(&dd, o.data, RC_DATADIR_USE, &d)))
			return rc_datadir_finish(&dd, &d, rc);
		struct rc_stmt *st;
		int row;
		if (rc_store_stmt(dd.store, Q_ORG_LIST, &st))
			return rc_datadir_finish(&dd, &d, RC_EXIT_INPUT);
		while (rc_stmt_step(st, &row) == RC_OK && row)
			printf("%-16s %-8s %-16s %s\n", rc_stmt_text(st, 0, NULL),
			       rc_stmt_text(st, 2, NULL),
			       rc_stmt_is_null(st, 3) ? "-" : rc_stmt_text(st, 3, NULL),
			       rc_stmt_text(st, 1, NULL));
		return rc_datadir_finish(&dd, &d, RC_EXIT_OK);
	}
	fputs(org_usage, stderr);
	return RC_EXIT_USAGE;
}

/* `person effects ID`: the effects ledger of one official. */
static int person_effects(const struct opts *o)
{
	struct rc_datadir dd = {0};
	struct rc_diags d;
	struct rc_stmt *st;
	int row, rc;
	char on[RC_DATE_STRLEN];
	int32_t day;
	rc_diags_init(&d, "rongcuo person");
	char *end;
	long long id = strtoll(o->args[0], &end, 10);
	if (*end || id <= 0) {
		fprintf(stderr, "rongcuo person effects: '%s' is not an official's id\n",
			o->args[0]);
		return RC_EXIT_USAGE;
	}
	if (o->on) {
		if (rc_date_parse(o->on, strlen(o->on), &day)) {
			fprintf(stderr, "rongcuo person effects: --on '%s' is not a date\n", o->on);
			return RC_EXIT_USAGE;
		}
	} else {
		time_t t = time(NULL);
		struct tm tm;
		localtime_r(&t, &tm);
		day = rc_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	}
	rc_date_format(day, on);
	if ((rc = open_dd(&dd, o->data, RC_DATADIR_USE, &d)))
		return rc_datadir_finish(&dd, &d, rc);
	if (rc_store_stmt(dd.store, Q_PERSON_BY_ID, &st) || rc_stmt_bind_int(st, 1, id) ||
	    rc_stmt_step(st, &row) || !row) {
		rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "no official with id %lld", id);
		return rc_datadir_finish(&dd, &d, RC_EXIT_INPUT);
	}
	printf("%s(id %lld)于 %s:\n", rc_stmt_text(st, 0, NULL), id, on);
	if (rc_store_stmt(dd.store, Q_EFFECTS_OF_PERSON, &st) || rc_stmt_bind_int(st, 1, id))
		return rc_datadir_finish(&dd, &d, RC_EXIT_INPUT);
	int restricted = 0, n = 0;
	while (rc_stmt_step(st, &row) == RC_OK && row) {
		const char *start = rc_stmt_text(st, 2, NULL);
		const char *endd = rc_stmt_is_null(st, 3) ? NULL : rc_stmt_text(st, 3, NULL);
		const char *extra = rc_stmt_is_null(st, 4) ? NULL : rc_stmt_text(st, 4, NULL);
		const char *last = extra ? extra : endd;
		/* ISO dates compare as text; no end = no period (e.g. 开除) */
		int active = strcmp(start, on) <= 0 && last && strcmp(on, last) <= 0;
		restricted |= active;
		n++;
		printf("  %s %s/%s  %s 至 %s%s%s  依据:%s  案件 %s(%s)\n",
		       active ? "[影响期内]" : "[不受影响]", rc_stmt_text(st, 0, NULL),
		       rc_stmt_text(st, 1, NULL), start, endd ? endd : "(无影响期)",
		       extra ? ",其后限制至 " : "", extra ? extra : "",
		       rc_stmt_is_null(st, 5) ? "-" : rc_stmt_text(st, 5, NULL),
		       rc_stmt_text(st, 6, NULL), rc_stmt_text(st, 7, NULL));
	}
	if (!n)
		printf("  无处分处理记录\n");
	printf("结论:%s\n",
	       restricted ? "处于影响期内,选拔任用、职务职级晋升受限" : "不受影响期限制");
	return rc_datadir_finish(&dd, &d, restricted ? RC_EXIT_NO : RC_EXIT_OK);
}

int rc_cmd_person(int argc, char **argv)
{
	struct opts o;
	struct rc_datadir dd = {0};
	struct rc_diags d;
	int rc;
	if (rc_cli_help(argc, argv, person_usage))
		return RC_EXIT_OK;
	if (argc < 2 || parse(argv[0], argc - 1, argv + 1, &o, person_usage)) {
		if (argc < 2)
			fputs(person_usage, stderr);
		return RC_EXIT_USAGE;
	}
	if (o.help) {
		fputs(person_usage, stdout);
		return RC_EXIT_OK;
	}
	if (strcmp(argv[1], "effects") == 0 && o.n_args == 1)
		return person_effects(&o);
	if (strcmp(argv[1], "add") != 0 || o.n_args != 1 || !o.org) {
		fputs(person_usage, stderr);
		return RC_EXIT_USAGE;
	}
	rc_diags_init(&d, "rongcuo person");
	if ((rc = open_dd(&dd, o.data, RC_DATADIR_USE, &d)))
		return rc_datadir_finish(&dd, &d, rc);
	int64_t id;
	if (rc_proc_person_add(&dd.unit, o.as, o.args[0], o.org, o.post, o.rank, &d, &id))
		return rc_datadir_finish(&dd, &d, RC_EXIT_INPUT);
	printf("person %s added (id %lld)\n", o.args[0], (long long)id);
	return rc_datadir_finish(&dd, &d, RC_EXIT_OK);
}

int rc_cmd_evidence(int argc, char **argv)
{
	struct opts o;
	struct rc_datadir dd = {0};
	struct rc_diags d;
	int rc;
	if (rc_cli_help(argc, argv, evidence_usage))
		return RC_EXIT_OK;
	if (argc < 2 || parse(argv[0], argc - 1, argv + 1, &o, evidence_usage)) {
		if (argc < 2)
			fputs(evidence_usage, stderr);
		return RC_EXIT_USAGE;
	}
	int add = strcmp(argv[1], "add") == 0, check = strcmp(argv[1], "check") == 0;
	if ((add && (o.n_args != 1 || !o.as || strcmp(o.as, "cli") == 0)) || (check && o.n_args) ||
	    (!add && !check)) {
		fputs(evidence_usage, stderr);
		return RC_EXIT_USAGE;
	}
	rc_diags_init(&d, "rongcuo evidence");
	if ((rc = open_dd(&dd, o.data, RC_DATADIR_USE, &d)))
		return rc_datadir_finish(&dd, &d, rc);
	if (add) {
		char hex[65];
		if (rc_proc_evidence_add(&dd.unit, o.as, dd.evidence_dir, o.args[0], hex, &d))
			return rc_datadir_finish(&dd, &d, RC_EXIT_INPUT);
		printf("sm3:%s\n", hex);
		return rc_datadir_finish(&dd, &d, RC_EXIT_OK);
	}
	int64_t files;
	enum rc_err e = rc_proc_evidence_check(dd.store, dd.evidence_dir, &d, &files);
	if (e == RC_ERR_CONFLICT)
		return rc_datadir_finish(&dd, &d, RC_EXIT_NO);
	if (e)
		return rc_datadir_finish(&dd, &d, RC_EXIT_INPUT);
	printf("%lld evidence files verified\n", (long long)files);
	return rc_datadir_finish(&dd, &d, RC_EXIT_OK);
}
