/*
 * cli.h -- the `rongcuo` command: shared exit codes and sub-commands.
 *
 * Exit codes (docs/cli.md):
 *   0  success
 *   1  the check said no: policy errors found, tests failed, versions differ
 *   2  usage error: the command line is wrong
 *   3  invalid input: a policy file or facts document is unreadable or malformed
 *   4  the assessment cannot be made: no version in force, or a rule conflict
 */
#ifndef RC_CLI_H
#define RC_CLI_H

#include "core/err.h"

/* The --idempotency-key of this run, or NULL (main.c; cli/datadir.c puts it
 * in the unit of work). */
extern const char *rc_cli_idempotency_key;

enum { RC_EXIT_OK = 0, RC_EXIT_NO = 1, RC_EXIT_USAGE = 2, RC_EXIT_INPUT = 3, RC_EXIT_ASSESS = 4 };

int rc_cmd_policy(int argc, char **argv);
int rc_cmd_assess(int argc, char **argv);
int rc_cmd_db(int argc, char **argv);
int rc_cmd_audit(int argc, char **argv);
int rc_cmd_org(int argc, char **argv);
int rc_cmd_person(int argc, char **argv);
int rc_cmd_user(int argc, char **argv);
int rc_cmd_case(int argc, char **argv);
int rc_cmd_calendar(int argc, char **argv);
int rc_cmd_clarify(int argc, char **argv);
int rc_cmd_evidence(int argc, char **argv);
int rc_cmd_import(int argc, char **argv);
int rc_cmd_export(int argc, char **argv);
int rc_cmd_serve(int argc, char **argv);

/* `rongcuo CMD --help` (or -h) as the first word: print `usage` on stdout
 * and return 1; else 0. */
int rc_cli_help(int argc, char **argv, const char *usage);

/* Map an engine error to the exit code of the table above. */
int rc_cli_exit_code(enum rc_err e);

#endif
