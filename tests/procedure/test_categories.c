/*
 * test_categories.c -- the case list by category (容错情形的类别): the
 * categories a recommendation found true, recorded with it
 * (procedure/decide.c, schema 13), and the list's filter on them
 * (procedure/views.c).
 *
 *   - a case is listed under the categories of its newest recommendation
 *     and under no other, and only in the user's scope; with a state too;
 *   - a later recommendation that finds another category moves the case,
 *     and one that finds none takes it out of every category;
 *   - paging keeps the category; an unknown category is refused with the
 *     categories named;
 *   - migration 13 on a database whose recommendations were made before it
 *     (the schema 12 database rebuilt: the table and index of migration 13
 *     dropped, the version set back) fills the table with exactly the rows
 *     the procedure writes, and a damaged result_json gives no row instead
 *     of stopping the migration.
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

#include "core/calendar.h"
#include "core/date.h"
#include "crypto/crypto.h"
#include "policy/policy.h"
#include "procedure/procedure.h"

#include "fixture.h"

#define REFORM   "改革创新类" /* 改革先行先试失误, 营商环境突破常规 */
#define DECISION "决策损失类" /* 集体决策持异议 */
#define PROCESS  "程序瑕疵类"

static struct {
	char dir[4096], db[4200];
	struct rc_store *s;
	uint8_t key[RC_AUDIT_KEY_LEN];
	struct rc_unit u;
	struct rc_diags *d;
	struct rc_policy_set *set;
	struct rc_cal *cal;
	const struct rc_policy *p;
	int64_t org_a;
	int32_t today;
	/* in A: reform (two situations of one category), decision, none;
	 * in B: reform */
	char reform[64], decision[64], none[64], other[64];
} g;

static struct rc_diags *dg(void)
{
	rc_diags_init(g.d, "categories");
	return g.d;
}

static void must(enum rc_err e)
{
	if (e) {
		rc_diags_print(g.d, stderr);
		fail_msg("error %s", rc_strerror(e));
	}
}

static void fact(const char *actor, const char *code, const char *name, const char *value)
{
	must(rc_proc_case_fact(&g.u, g.p, actor, code, name, value, NULL, NULL, 0, dg()));
}

static void recommend(const char *actor, const char *code)
{
	must(rc_proc_case_recommend(&g.u, g.p, g.set, actor, code, "2024-08-01", NULL, NULL, dg()));
}

static void open_case(const char *actor, const char *org, char code[64])
{
	struct rc_case_new c = {
	    .subject_org = org, .start_path = "ex_officio", .handling_org = org};
	must(rc_proc_case_open(&g.u, g.p, g.cal, actor, &c, g.today, code, 64, dg()));
}

static int setup(void **state)
{
	(void)state;
	g.d = malloc(sizeof(*g.d));
	assert_non_null(g.d);
	pf_store("rc-categories", g.dir, sizeof(g.dir), g.db, sizeof(g.db), &g.s, g.key, &g.u, g.d);
	pf_shipped(&g.set, &g.cal, dg());
	must(rc_proc_org_add(&g.u, "cli", "P", "示例省", "province", NULL, dg(), NULL));
	must(rc_proc_org_add(&g.u, "cli", "A", "东湖县", "county", "P", dg(), &g.org_a));
	must(rc_proc_org_add(&g.u, "cli", "B", "西山县", "county", "P", dg(), NULL));
	must(rc_proc_user_add(&g.u, "cli", "li", "李四", "A", "承办单位", dg()));
	must(rc_proc_user_add(&g.u, "cli", "zhao", "赵六", "B", "承办单位", dg()));
	g.today = rc_date_from_ymd(2024, 9, 2);
	g.p = rc_policy_set_at(g.set, g.today);
	assert_non_null(g.p);

	open_case("li", "A", g.reform);
	fact("li", g.reform, "推进改革", "true");
	fact("li", g.reform, "缺乏经验", "true");
	fact("li", g.reform, "营商环境领域", "true");
	fact("li", g.reform, "突破常规探索", "true");
	recommend("li", g.reform);
	open_case("li", "A", g.decision);
	fact("li", g.decision, "集体决策", "true");
	fact("li", g.decision, "提出反对意见", "true");
	recommend("li", g.decision);
	open_case("li", "A", g.none); /* nothing known: no category is true */
	recommend("li", g.none);
	open_case("zhao", "B", g.other);
	fact("zhao", g.other, "推进改革", "true");
	fact("zhao", g.other, "缺乏经验", "true");
	recommend("zhao", g.other);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[4200];
	rc_store_close(g.s);
	rc_policy_set_free(g.set);
	rc_cal_free(g.cal);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g.dir);
	assert_int_equal(system(cmd), 0);
	free(g.d);
	return 0;
}

/* The codes the list shows for `f` in A's scope, newest first, joined by
 * spaces; every page followed. */
static void list(struct rc_case_filter f, char *out, size_t len)
{
	json_t *doc = NULL;
	size_t off = 0;
	int pages = 0;
	out[0] = '\0';
	f.set = g.set;
	do {
		must(rc_proc_view_cases(g.s, &(struct rc_viewer){g.org_a, 0, "承办单位"}, &f,
					g.today, &doc, dg()));
		json_t *c;
		size_t i;
		json_array_foreach(json_object_get(doc, "cases"), i, c) off +=
		    (size_t)snprintf(out + off, len - off, "%s%s", off ? " " : "",
				     json_string_value(json_object_get(c, "code")));
		json_t *next = json_object_get(doc, "next");
		f.before_id = json_is_integer(next) ? json_integer_value(next) : 0;
		json_decref(doc);
		pages++;
	} while (f.before_id && pages < 10);
	assert_true(off < len);
}

static void expect(const char *category, const char *state, const char *codes)
{
	char got[512];
	list((struct rc_case_filter){.category = category, .state = state}, got, sizeof(got));
	if (strcmp(got, codes) != 0)
		fail_msg("category %s, state %s: got '%s', wanted '%s'", category,
			 state ? state : "(any)", got, codes);
}

static void test_listed_under_its_category(void **state)
{
	(void)state;
	expect(REFORM, NULL, g.reform); /* not B's case: another scope */
	expect(DECISION, NULL, g.decision);
	expect(PROCESS, NULL, "");
	/* with a state: the index on the state, and the category */
	must(rc_proc_case_step(&g.u, g.p, g.cal, "li", g.reform, "受理", NULL, g.today, dg()));
	expect(REFORM, "受理", g.reform);
	expect(REFORM, "启动", "");
	expect(DECISION, "启动", g.decision);
	/* without a category: every case of the scope, as before */
	char all[512], want[512];
	list((struct rc_case_filter){0}, all, sizeof(all));
	snprintf(want, sizeof(want), "%s %s %s", g.none, g.decision, g.reform);
	assert_string_equal(all, want);
	/* a page of one case at a time keeps the category */
	list((struct rc_case_filter){.category = REFORM, .limit = 1}, all, sizeof(all));
	assert_string_equal(all, g.reform);
}

/* The user's scope is the province: B's case is listed too, newest first. */
static void test_scope_above(void **state)
{
	(void)state;
	json_t *doc = NULL;
	int64_t root = 0;
	struct rc_stmt *st;
	int row;
	must(rc_store_stmt(g.s, Q_ORG_BY_CODE, &st));
	must(rc_stmt_bind_str(st, 1, "P"));
	must(rc_stmt_step(st, &row));
	assert_true(row);
	root = rc_stmt_int(st, 0);
	for (int more = row; more;)
		must(rc_stmt_step(st, &more));
	struct rc_case_filter f = {.category = REFORM, .set = g.set};
	must(rc_proc_view_cases(g.s, &(struct rc_viewer){root, 0, "承办单位"}, &f, g.today, &doc,
				dg()));
	json_t *cases = json_object_get(doc, "cases");
	assert_int_equal(json_array_size(cases), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(cases, 0), "code")),
			    g.other);
	assert_string_equal(json_string_value(json_object_get(json_array_get(cases, 1), "code")),
			    g.reform);
	json_decref(doc);
}

static void test_later_recommendation_moves(void **state)
{
	(void)state;
	char want[256];
	/* the reform case turns out to be a collective decision */
	fact("li", g.reform, "推进改革", "false");
	fact("li", g.reform, "营商环境领域", "false");
	fact("li", g.reform, "集体决策", "true");
	fact("li", g.reform, "提出反对意见", "true");
	expect(REFORM, NULL, g.reform); /* facts alone change nothing: the recommendation */
	recommend("li", g.reform);
	expect(REFORM, NULL, "");
	snprintf(want, sizeof(want), "%s %s", g.decision, g.reform);
	expect(DECISION, NULL, want);
	/* a recommendation that finds no category true takes the case out */
	fact("li", g.decision, "提出反对意见", "false");
	recommend("li", g.decision);
	expect(DECISION, NULL, g.reform);
}

static void test_unknown_category(void **state)
{
	(void)state;
	json_t *doc = NULL;
	struct rc_case_filter f = {.category = "创新类", .set = g.set};
	assert_int_equal(rc_proc_view_cases(g.s, &(struct rc_viewer){g.org_a, 0, "承办单位"}, &f,
					    g.today, &doc, dg()),
			 RC_ERR_RANGE);
	assert_null(doc);
	assert_int_equal(g.d->count, 1);
	assert_int_equal(strncmp(g.d->items[0].msg, "category: ", 10), 0);
	assert_non_null(strstr(g.d->items[0].msg, REFORM ", " PROCESS ", " DECISION));
	/* no policy versions: no category is known */
	f.set = NULL;
	f.category = REFORM;
	assert_int_equal(rc_proc_view_cases(g.s, &(struct rc_viewer){g.org_a, 0, "承办单位"}, &f,
					    g.today, &doc, dg()),
			 RC_ERR_RANGE);
	assert_non_null(strstr(g.d->items[0].msg, "category: "));
	/* the categories for a form: each once, though both versions declare them */
	const char *names[16];
	int n = rc_proc_categories(g.set, names, 16);
	assert_int_equal(n, 6);
	assert_string_equal(names[0], REFORM);
	assert_int_equal(rc_proc_categories(g.set, names, 2), 2);
	assert_int_equal(rc_proc_categories(NULL, names, 16), 0);
}

/* ---- migration 13 over recommendations made before it ------------------- */

static void raw_exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

/* Every row of recommendation_categories (but its id), in a fixed order. */
static void dump(sqlite3 *db, char *out, size_t len)
{
	sqlite3_stmt *st;
	size_t off = 0;
	out[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT recommendation_id, case_id, category, current "
					    "FROM recommendation_categories "
					    "ORDER BY recommendation_id, category",
					    -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		off += (size_t)snprintf(
		    out + off, len - off, "%lld %lld %s %d\n",
		    (long long)sqlite3_column_int64(st, 0), (long long)sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 2), sqlite3_column_int(st, 3));
	assert_true(off < len);
	sqlite3_finalize(st);
}

static void test_migration_fills(void **state)
{
	(void)state;
	static char before[8192], after[8192];
	char want[256];
	sqlite3 *db;
	int from, to;
	rc_store_close(g.s);
	g.s = NULL;
	assert_int_equal(sqlite3_open(g.db, &db), SQLITE_OK);
	dump(db, before, sizeof(before));
	/* the history is there: rows of earlier recommendations, not current */
	assert_non_null(strstr(before, " " REFORM " 0\n"));
	assert_non_null(strstr(before, " " DECISION " 1\n"));
	/* damaged results on the case that has no category: no row, and the
	 * migration goes on */
	static const char *const damaged[] = {
	    "not JSON",
	    "[1, 2]",
	    "{\"situations\": {\"value\": \"true\"}}",
	    "{\"situations\": [5, \"x\", null, {\"value\": \"true\", \"category\": 7}, "
	    "{\"value\": \"unknown\", \"category\": \"" PROCESS "\"}, "
	    "{\"value\": true, \"category\": \"" PROCESS "\"}]}",
	};
	for (size_t i = 0; i < sizeof(damaged) / sizeof(damaged[0]); i++) {
		sqlite3_stmt *st;
		assert_int_equal(
		    sqlite3_prepare_v2(db,
				       "INSERT INTO recommendations(case_id, at, user_id, "
				       "applied_version, policy_digest, facts_json, result_json, "
				       "state, band) SELECT id, '2024-09-02T00:00:00Z', "
				       "prepared_by, 'x', 'x', '{}', ?1, 'undetermined', '' "
				       "FROM cases WHERE code = ?2",
				       -1, &st, NULL),
		    SQLITE_OK);
		sqlite3_bind_text(st, 1, damaged[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, g.none, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
	}
	/* the database as schema 12 left it: migration 13's table and index
	 * gone, and what the later ones made, its version not yet recorded */
	raw_exec(db, "DROP TABLE recommendation_categories;"
		     "DROP INDEX recommendations_by_case;"
		     "DROP TABLE user_people;"
		     "DROP INDEX cases_by_subject_org;"
		     "DROP INDEX people_by_org;"
		     "UPDATE meta SET value = '12' WHERE key = 'schema_version'");
	sqlite3_close(db);

	must(rc_store_open(g.db, dg(), &g.s));
	assert_int_equal(rc_store_schema_version(g.s), 12);
	must(rc_store_migrate(g.s, dg(), &from, &to));
	assert_int_equal(from, 12);
	assert_int_equal(to, rc_store_schema_latest(g.s));

	assert_int_equal(sqlite3_open(g.db, &db), SQLITE_OK);
	dump(db, after, sizeof(after));
	sqlite3_close(db);
	assert_string_equal(after, before);
	/* and the list reads them as it did */
	expect(REFORM, NULL, "");
	snprintf(want, sizeof(want), "%s", g.reform);
	expect(DECISION, NULL, want);
	struct rc_diags *d = dg();
	must(rc_store_check(g.s, d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_listed_under_its_category),
	    cmocka_unit_test(test_scope_above),
	    cmocka_unit_test(test_later_recommendation_moves),
	    cmocka_unit_test(test_unknown_category),
	    cmocka_unit_test(test_migration_fills),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
