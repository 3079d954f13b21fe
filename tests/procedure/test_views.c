/*
 * test_views.c -- the JSON views of procedure/views.c that the pages and
 * the API show: 我的任务 ordered by deadline over the whole scope (an old
 * overdue case stays first however many newer cases there are -- it was
 * dropped once, when the view read only the newest), the case list's
 * pages and its filters' messages, the scope of the lists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/date.h"
#include "crypto/crypto.h"
#include "policy/policy.h"
#include "procedure/procedure.h"

#include "fixture.h"

static struct {
	char dir[4096], db[4200];
	struct rc_store *s;
	uint8_t key[RC_AUDIT_KEY_LEN];
	struct rc_unit u;
	struct rc_diags *d;
	struct rc_policy_set *set;
	struct rc_cal *cal;
	int64_t org_a, org_b;
	char old[64];
	int32_t today;
} g;

static struct rc_diags *dg(void)
{
	rc_diags_init(g.d, "views");
	return g.d;
}

static void must(enum rc_err e)
{
	if (e) {
		rc_diags_print(g.d, stderr);
		fail_msg("error %s", rc_strerror(e));
	}
}

#define NEWER 260 /* more than a page of tasks (200) */

static int setup(void **state)
{
	(void)state;
	g.d = malloc(sizeof(*g.d));
	assert_non_null(g.d);
	pf_store("rc-views", g.dir, sizeof(g.dir), g.db, sizeof(g.db), &g.s, g.key, &g.u, g.d);
	pf_shipped(&g.set, &g.cal, dg());
	must(rc_proc_org_add(&g.u, "cli", "P", "示例省", "province", NULL, dg(), NULL));
	must(rc_proc_org_add(&g.u, "cli", "A", "东湖县", "county", "P", dg(), &g.org_a));
	must(rc_proc_org_add(&g.u, "cli", "B", "西山县", "county", "P", dg(), &g.org_b));
	must(rc_proc_user_add(&g.u, "cli", "li", "李四", "A", "承办单位", dg()));
	must(rc_proc_user_add(&g.u, "cli", "zhao", "赵六", "B", "承办单位", dg()));
	g.today = rc_date_from_ymd(2024, 9, 2);
	const struct rc_policy *p = rc_policy_set_at(g.set, g.today);
	assert_non_null(p);
	/* the oldest: opened 100 days ago and taken to 受理, whose deadline
	 * is long past */
	struct rc_case_new c = {
	    .subject_org = "A", .start_path = "ex_officio", .handling_org = "A"};
	must(
	    rc_proc_case_open(&g.u, p, g.cal, "li", &c, g.today - 100, g.old, sizeof(g.old), dg()));
	must(
	    rc_proc_case_step(&g.u, p, g.cal, "li", g.old, "受理", "材料齐全", g.today - 99, dg()));
	char code[64];
	for (int i = 0; i < NEWER; i++)
		must(
		    rc_proc_case_open(&g.u, p, g.cal, "li", &c, g.today, code, sizeof(code), dg()));
	struct rc_case_new cb = {
	    .subject_org = "B", .start_path = "ex_officio", .handling_org = "B"};
	must(rc_proc_case_open(&g.u, p, g.cal, "zhao", &cb, g.today, code, sizeof(code), dg()));
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

static void test_tasks_soonest_first(void **state)
{
	(void)state;
	json_t *doc = NULL;
	must(rc_proc_view_tasks(g.s, g.set, &(struct rc_viewer){g.org_a, 0, "承办单位"}, g.today,
				&doc));
	json_t *tasks = json_object_get(doc, "tasks");
	assert_int_equal(json_array_size(tasks), RC_VIEW_LIMIT_MAX);
	assert_true(json_is_true(json_object_get(doc, "more")));
	json_t *first = json_array_get(tasks, 0);
	assert_string_equal(json_string_value(json_object_get(first, "code")), g.old);
	assert_true(json_is_true(json_object_get(first, "overdue")));
	/* another role: none of these steps are its */
	json_decref(doc);
	must(
	    rc_proc_view_tasks(g.s, g.set, &(struct rc_viewer){g.org_a, 0, "党委"}, g.today, &doc));
	assert_int_equal(json_array_size(json_object_get(doc, "tasks")), 0);
	json_decref(doc);
}

static void test_case_list_pages(void **state)
{
	(void)state;
	json_t *doc = NULL;
	struct rc_case_filter f = {.limit = 100};
	int seen = 0, pages = 0, other = 0;
	do {
		must(rc_proc_view_cases(g.s, &(struct rc_viewer){g.org_a, 0, "承办单位"}, &f,
					g.today, &doc, dg()));
		json_t *c;
		size_t i;
		json_array_foreach(json_object_get(doc, "cases"), i, c)
		{
			seen++;
			other +=
			    strncmp(json_string_value(json_object_get(c, "code")), "B-", 2) == 0;
		}
		json_t *next = json_object_get(doc, "next");
		f.before_id = json_is_integer(next) ? json_integer_value(next) : 0;
		pages++;
		json_decref(doc);
	} while (f.before_id && pages < 10);
	assert_int_equal(seen, NEWER + 1); /* every case of A, none of B */
	assert_int_equal(other, 0);
	assert_int_equal(pages, 3);
	/* a search, and the state filter */
	struct rc_case_filter q = {.q = g.old + 2, .state = "受理"};
	must(rc_proc_view_cases(g.s, &(struct rc_viewer){g.org_a, 0, "承办单位"}, &q, g.today, &doc,
				dg()));
	assert_int_equal(json_array_size(json_object_get(doc, "cases")), 1);
	json_decref(doc);
}

static void test_filter_messages(void **state)
{
	(void)state;
	json_t *doc = NULL;
	struct rc_case_filter f = {.from = "2024-13-01", .unit = "B", .limit = 500};
	assert_int_equal(rc_proc_view_cases(g.s, &(struct rc_viewer){g.org_a, 0, "承办单位"}, &f,
					    g.today, &doc, dg()),
			 RC_ERR_RANGE);
	assert_null(doc);
	int from = 0, unit = 0, limit = 0;
	for (int i = 0; i < g.d->count; i++) {
		from += strncmp(g.d->items[i].msg, "from: ", 6) == 0;
		unit += strncmp(g.d->items[i].msg, "unit: ", 6) == 0; /* B is a sibling */
		limit += strncmp(g.d->items[i].msg, "limit: ", 7) == 0;
	}
	assert_int_equal(from + unit + limit, 3);
	/* the wildcards of LIKE are text in a search */
	struct rc_case_filter w = {.q = "%"};
	must(rc_proc_view_cases(g.s, &(struct rc_viewer){g.org_a, 0, "承办单位"}, &w, g.today, &doc,
				dg()));
	assert_int_equal(json_array_size(json_object_get(doc, "cases")), 0);
	json_decref(doc);
}

/* The assessments of recent views: the same facts give the same document
 * from the cache; a fact recorded changes the key, so the next view is a
 * new assessment, never the old one. */
static void test_view_cache(void **state)
{
	(void)state;
	struct rc_view_cache *cache;
	json_t *a = NULL, *b = NULL, *c = NULL, *plain = NULL;
	must(rc_view_cache_new(4, &cache));
	must(rc_proc_view_case(g.s, g.set, g.old, g.today, cache, &a));
	must(rc_proc_view_case(g.s, g.set, g.old, g.today, cache, &b));
	must(rc_proc_view_case(g.s, g.set, g.old, g.today, NULL, &plain));
	assert_true(json_equal(json_object_get(a, "assessment"), json_object_get(b, "assessment")));
	assert_true(
	    json_equal(json_object_get(a, "assessment"), json_object_get(plain, "assessment")));
	assert_string_equal(json_string_value(json_object_get(a, "explanation")),
			    json_string_value(json_object_get(plain, "explanation")));
	/* a fact the assessment was waiting for */
	json_t *unk = json_object_get(json_object_get(a, "assessment"), "decisive_unknowns");
	assert_true(json_array_size(unk) > 0);
	const char *fact = json_string_value(json_object_get(json_array_get(unk, 0), "fact"));
	const char *type = json_string_value(json_object_get(json_array_get(unk, 0), "type"));
	const struct rc_policy *p = rc_policy_set_at(g.set, g.today);
	if (type && strncmp(type, "bool", 4) == 0) {
		must(rc_proc_case_fact(
		    &g.u, p, "li", g.old, fact, "true", NULL,
		    strcmp(json_string_value(json_object_get(json_array_get(unk, 0), "kind")),
			   "finding") == 0
			? "理由"
			: NULL,
		    0, dg()));
		must(rc_proc_view_case(g.s, g.set, g.old, g.today, cache, &c));
		assert_false(
		    json_equal(json_object_get(a, "assessment"), json_object_get(c, "assessment")));
	}
	json_decref(a);
	json_decref(b);
	json_decref(c);
	json_decref(plain);
	rc_view_cache_free(cache);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tasks_soonest_first),
	    cmocka_unit_test(test_case_list_pages),
	    cmocka_unit_test(test_filter_messages),
	    cmocka_unit_test(test_view_cache),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
