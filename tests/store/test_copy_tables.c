/*
 * test_copy_tables.c -- `db copy` copies every table of the schema: the
 * copy's list (store/copy.c) against the tables a migrated database has.
 * A table added by a migration and forgotten by the copy would otherwise
 * be dropped silently by every copy (api_tokens was, for a while).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

static void test_every_table_copied(void **state)
{
	(void)state;
	char dir[4096], path[4200];
	const char *tmp = getenv("TMPDIR");
	struct rc_diags *d = malloc(sizeof(*d));
	struct rc_store *s;
	int from, to, n = 0;
	assert_non_null(d);
	snprintf(dir, sizeof(dir), "%s/rc-copy.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/db.sqlite", dir);
	rc_diags_init(d, "copy");
	assert_int_equal(rc_store_open(path, d, &s), RC_OK);
	assert_int_equal(rc_store_migrate(s, d, &from, &to), RC_OK);
	rc_store_close(s);

	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT name FROM sqlite_schema WHERE type = 'table' "
					    "AND name NOT LIKE 'sqlite_%' AND name <> 'meta'",
					    -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		int found = 0;
		for (int i = 0; i < rc_store_copy_tables() && !found; i++)
			found = strcmp(rc_store_copy_table(i), t) == 0;
		if (!found)
			fprintf(stderr, "table %s is not copied by db copy (store/copy.c)\n", t);
		n += !found;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
	free(d);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_every_table_copied)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
