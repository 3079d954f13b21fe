/*
 * main.c -- `rongcuo`: dispatch to sub-commands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/demo.h"
#include "cli/token.h"
#include "procedure/procedure.h"

static const char usage[] =
    "usage: rongcuo COMMAND [ARGS]\n"
    "\n"
    "容错纠错 rules engine and case system.\n"
    "\n"
    "commands:\n"
    "  policy check FILE...      compile and analyse policy files\n"
    "  policy test FILE...       run the tests written in policy files\n"
    "  policy diff OLD NEW       list what changed between two versions\n"
    "  policy facts FILE         list the facts and standards a case is described by\n"
    "  assess --policy P FACTS   recommend an outcome for a case, with its explanation\n"
    "  db init|migrate|check     create, migrate or check the data directory's database\n"
    "  db copy --from URL --to URL   move the database (SQLite <-> PostgreSQL), verified\n"
    "  audit verify|list         verify the tamper-evident audit chain; list its rows\n"
    "  org add|list              the organisation tree\n"
    "  person add                officials, the subjects of cases\n"
    "  user add|passwd|disable   accounts: a role of the procedure, a password, disabling\n"
    "  token create|list|revoke  bearer tokens of the JSON API (/api/v1)\n"
    "  case open|step|withdraw|fact|finding|recommend|decide|consult|notify|appeal|\n"
    "       review|file|rectify|visit|show|list|due   cases through the procedure\n"
    "  calendar check|show|add   the working-day calendar deadlines are counted on\n"
    "  clarify open|decide|issue|file|refer   澄清正名 after an unfounded complaint\n"
    "  evidence add|check        evidence files, content-addressed by SM3\n"
    "  import cases FILE.csv     historical cases from CSV (all or nothing, or keep the good "
    "rows)\n"
    "  export cases              cases to CSV or Excel (.xlsx), Chinese headers\n"
    "  serve [--listen H:P]      the case system over HTTP (default 127.0.0.1:8080)\n"
    "  demo                      load invented demo data (users, cases at every step)\n"
    "\n"
    "options of every command on the data directory:\n"
    "  --data DIR                the data directory (else $RONGCUO_DATA, ...)\n"
    "  --db URL                  the database: postgresql://... or an SQLite file\n"
    "  --idempotency-key KEY     name the change, so that a retry makes it only once\n"
    "\n"
    "`rongcuo COMMAND --help` describes each.  Exit codes: 0 success, 1 the check\n"
    "said no, 2 usage error, 3 invalid input, 4 the assessment cannot be made.\n";

int rc_cli_help(int argc, char **argv, const char *text)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(text, stdout);
		return 1;
	}
	return 0;
}

int rc_cli_exit_code(enum rc_err e)
{
	switch (e) {
	case RC_OK: return RC_EXIT_OK;
	case RC_ERR_USAGE: return RC_EXIT_USAGE;
	case RC_ERR_CONFLICT:
	case RC_ERR_NOT_FOUND: return RC_EXIT_ASSESS;
	case RC_ERR_TEST: return RC_EXIT_NO;
	default: return RC_EXIT_INPUT;
	}
}

/* Options of every command that uses the data directory, anywhere on the
 * command line: `--db URL` selects the database, `--idempotency-key KEY`
 * names the change the command makes.  They are taken out of argv, so that
 * no command's own options need them: the URL is passed on as $RONGCUO_DB
 * (which a user may also set), the key in memory (rc_cli_idempotency_key:
 * a key left in the environment would turn every later change of a shell
 * into a no-op).  The URL's text in argv is overwritten, so that a password
 * in it does not stay visible to other users in /proc/PID/cmdline. */
const char *rc_cli_idempotency_key;
static const struct {
	const char *opt, *env, *what;
} global_opts[] = {
    {"--db", "RONGCUO_DB", "a URL (postgresql://... or a file path)"},
    {"--idempotency-key", NULL, "a key of 1 to 64 printable ASCII characters without spaces"},
};

static int take_global_options(int *argc, char **argv)
{
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		for (size_t g = 0; g < sizeof(global_opts) / sizeof(global_opts[0]); g++) {
			const char *opt = global_opts[g].opt, *val = NULL;
			size_t len = strlen(opt);
			int n = 0;
			if (strcmp(argv[i], opt) == 0) {
				val = i + 1 < *argc ? argv[i + 1] : NULL;
				n = 2;
			} else if (strncmp(argv[i], opt, len) == 0 && argv[i][len] == '=') {
				val = argv[i] + len + 1;
				n = 1;
			}
			if (!n)
				continue;
			int bad_key =
			    val && strcmp(opt, "--idempotency-key") == 0 && !rc_unit_key_ok(val);
			if (bad_key) {
				fprintf(stderr, "rongcuo: --idempotency-key '%.80s' is not %s\n",
					val, global_opts[g].what);
				return -1;
			}
			if (!val || !*val ||
			    (global_opts[g].env && setenv(global_opts[g].env, val, 1) != 0)) {
				fprintf(stderr, "rongcuo: %s needs %s\n", opt, global_opts[g].what);
				return -1;
			}
			if (global_opts[g].env) {
				/* setenv copied it: blank the original */
				char *w = argv[i] + (n == 1 ? len + 1 : 0);
				if (n == 2)
					w = argv[i + 1];
				memset(w, '*', strlen(w));
			} else {
				rc_cli_idempotency_key = val;
			}
			for (int j = i; j + n <= *argc; j++)
				argv[j] = argv[j + n];
			*argc -= n;
			i--;
			break;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (take_global_options(&argc, argv))
		return RC_EXIT_USAGE;
	/* commands whose changes are not units of work would ignore a key:
	 * refused, rather than promise what they do not do */
	static const char *const no_key[] = {"db", "import", "calendar", NULL};
	for (int i = 0; rc_cli_idempotency_key && argc >= 2 && no_key[i]; i++)
		if (strcmp(argv[1], no_key[i]) == 0) {
			fprintf(
			    stderr,
			    "rongcuo %s: --idempotency-key is not taken here (a repeated import "
			    "is refused by the cases' codes; db and calendar commands are "
			    "safe to repeat or refuse a second run)\n",
			    no_key[i]);
			return RC_EXIT_USAGE;
		}
	if (argc < 2) {
		fputs(usage, stderr);
		return RC_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, stdout);
		return RC_EXIT_OK;
	}
	if (strcmp(argv[1], "policy") == 0)
		return rc_cmd_policy(argc - 1, argv + 1);
	if (strcmp(argv[1], "assess") == 0)
		return rc_cmd_assess(argc - 1, argv + 1);
	if (strcmp(argv[1], "db") == 0)
		return rc_cmd_db(argc - 1, argv + 1);
	if (strcmp(argv[1], "audit") == 0)
		return rc_cmd_audit(argc - 1, argv + 1);
	if (strcmp(argv[1], "org") == 0)
		return rc_cmd_org(argc - 1, argv + 1);
	if (strcmp(argv[1], "person") == 0)
		return rc_cmd_person(argc - 1, argv + 1);
	if (strcmp(argv[1], "user") == 0)
		return rc_cmd_user(argc - 1, argv + 1);
	if (strcmp(argv[1], "case") == 0)
		return rc_cmd_case(argc - 1, argv + 1);
	if (strcmp(argv[1], "calendar") == 0)
		return rc_cmd_calendar(argc - 1, argv + 1);
	if (strcmp(argv[1], "clarify") == 0)
		return rc_cmd_clarify(argc - 1, argv + 1);
	if (strcmp(argv[1], "evidence") == 0)
		return rc_cmd_evidence(argc - 1, argv + 1);
	if (strcmp(argv[1], "import") == 0)
		return rc_cmd_import(argc - 1, argv + 1);
	if (strcmp(argv[1], "export") == 0)
		return rc_cmd_export(argc - 1, argv + 1);
	if (strcmp(argv[1], "serve") == 0)
		return rc_cmd_serve(argc - 1, argv + 1);
	if (strcmp(argv[1], "token") == 0)
		return rc_cmd_token(argc - 1, argv + 1);
	if (strcmp(argv[1], "demo") == 0)
		return rc_cmd_demo(argc - 1, argv + 1);
	fprintf(stderr, "rongcuo: unknown command '%s'\n\n%s", argv[1], usage);
	return RC_EXIT_USAGE;
}
