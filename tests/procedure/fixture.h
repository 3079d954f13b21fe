/*
 * fixture.h -- what the procedure tests share: a fresh store in a new
 * scratch directory, with its audit key and a unit of work, and the
 * policy versions and working-day calendar the project ships.
 *
 * Included after <cmocka.h> by the tests that use it; its functions are
 * static and marked unused, since no test uses them all.
 */
#ifndef RC_TESTS_PROCEDURE_FIXTURE_H
#define RC_TESTS_PROCEDURE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "core/calendar.h"
#include "crypto/crypto.h"
#include "policy/policy.h"
#include "procedure/procedure.h"

#define PF_FN static __attribute__((unused))

PF_FN void pf_must(enum rc_err e, struct rc_diags *d)
{
	if (e) {
		rc_diags_print(d, stderr);
		fail_msg("error %s", rc_strerror(e));
	}
}

/* A new directory $TMPDIR/NAME.XXXXXX (mkdtemp's template) into dir, and
 * in it db.sqlite, migrated to the newest schema, into db and *s; a random
 * audit key; the unit of work u on them.  d is cleared and used for the
 * messages. */
PF_FN void pf_store(const char *name, char *dir, size_t dir_len, char *db, size_t db_len,
		    struct rc_store **s, uint8_t key[RC_AUDIT_KEY_LEN], struct rc_unit *u,
		    struct rc_diags *d)
{
	const char *tmp = getenv("TMPDIR");
	int from, to;
	snprintf(dir, dir_len, "%s/%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
	assert_non_null(mkdtemp(dir));
	snprintf(db, db_len, "%s/db.sqlite", dir);
	rc_diags_init(d, name);
	pf_must(rc_store_open(db, d, s), d);
	pf_must(rc_store_migrate(*s, d, &from, &to), d);
	assert_int_equal(rc_random_bytes(key, RC_AUDIT_KEY_LEN), RC_OK);
	u->store = *s;
	u->key = key;
	pf_must(rc_unit_init(u), d);
}

/* The policy versions of policies/ and the calendar of data/calendar. */
PF_FN void pf_shipped(struct rc_policy_set **set, struct rc_cal **cal, struct rc_diags *d)
{
	char path[4300];
	pf_must(rc_policy_set_new(set), d);
	snprintf(path, sizeof(path), "%s/policies", RC_SOURCE_DIR);
	pf_must(rc_policy_set_load(*set, path, d), d);
	pf_must(rc_cal_new(cal), d);
	snprintf(path, sizeof(path), "%s/data/calendar", RC_SOURCE_DIR);
	pf_must(rc_cal_load_dir(*cal, path, d), d);
}

#endif
