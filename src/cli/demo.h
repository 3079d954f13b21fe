/*
 * demo.h -- the demo data: invented organisations, officials, users and
 * cases in every state of the procedure, so that a newcomer can log in and
 * click through at once (issue 5: `rongcuo serve --demo`; `rongcuo demo`
 * loads the same data without the server).  docs/modules/demo.md lists
 * what is loaded.
 *
 * Everything goes through the procedure's public API (procedure.h), with
 * its guards: the demo data is what a real installation could record, and a
 * change to the procedure that refuses it shows up here.  Nothing here is
 * real: names, organisations, cases and complaints are invented.
 */
#ifndef RC_CLI_DEMO_H
#define RC_CLI_DEMO_H

#include <stdint.h>
#include <stdio.h>

#include "core/diag.h"
#include "procedure/procedure.h"

struct rc_policy_set;
struct rc_cal;

/*
 * Load the demo data through unit `u` (its store open, its audit key set;
 * its idempotency key, if any, is not used: the demo makes hundreds of
 * changes), or do nothing when the database has an organisation already.
 *
 * - set: the loaded policy versions; the cases follow the procedure of the
 *   version in force on the day each is opened, which must have the steps
 *   of policies/zhejiang-2023.rcp (启动 ... 回访) and its roles.
 * - cal: the working-day calendar the steps' deadlines are counted on.
 * - today: the day the data is "as of"; the cases were opened up to 145
 *   days before it, on conduct up to 190 days before (dates are relative
 *   to it, so some deadlines are past: the overdue cases).  One version
 *   must be in force over all of it (RC_ERR_NOT_FOUND, saying which day is
 *   early enough, when not).
 * - now_unix: the time (unix seconds) the TOTP authenticators are enrolled
 *   at; their enrolment spends that 30-second step's code.
 * - out: where the summary goes -- the shared demo password, and for each
 *   user the login, role, organisation and TOTP secret, shown only here;
 *   then the cases.  Never a log: it holds secrets.  When nothing is
 *   loaded, one line saying so.
 * - *loaded (may be NULL): 1 when the data was loaded, 0 when the database
 *   already had organisations.
 *
 * Deterministic but for the password and the TOTP secrets, which are
 * random.  Errors: what the procedure answered (the message in d, with a
 * note naming the demo record it was making).  Each change is its own
 * transaction, so a failure leaves what was made before it; a second run
 * then does nothing -- start again from a new data directory.
 */
enum rc_err rc_demo_load(struct rc_unit *u, const struct rc_policy_set *set,
			 const struct rc_cal *cal, int32_t today, int64_t now_unix, FILE *out,
			 int *loaded, struct rc_diags *d);

/* `rongcuo demo [--data DIR] [--policy FILE|DIR] [--calendar DIR]
 * [--today DATE]` (main.c): open the data directory and rc_demo_load. */
int rc_cmd_demo(int argc, char **argv);

#endif
