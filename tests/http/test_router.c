/*
 * test_router.c -- the route tables' matching (http/router.c): exact,
 * "{name}" parameters, prefixes, which is most specific, 405's Allow, and
 * the start-time check of malformed patterns.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "http/http_int.h"

static enum rc_err h(struct rc_http_req *req, struct rc_http_resp *resp)
{
	(void)req;
	(void)resp;
	return RC_OK;
}

static const struct rc_http_route table[] = {
    {"GET", "/cases", h},
    {"GET", "/cases/new", h},
    {"GET", "/cases/{code}", h},
    {"POST", "/cases/{code}/step", h},
    {"POST", "/cases/{code}/tasks/{no}/done", h},
    {"GET", "/static/*", h},
    {NULL, NULL, NULL},
};
static const struct rc_http_route *const tables[] = {table, NULL};

static const char *matched(const char *method, const char *path)
{
	struct rc_http_match m;
	enum rc_http_match_kind k = rc_http_route_match(tables, method, path, &m);
	if (k == RC_HTTP_NO_PATH)
		return "404";
	if (k == RC_HTTP_NO_METHOD)
		return "405";
	return m.route->pattern;
}

static void test_specificity(void **state)
{
	(void)state;
	assert_string_equal(matched("GET", "/cases"), "/cases");
	/* the exact pattern wins over the parameter */
	assert_string_equal(matched("GET", "/cases/new"), "/cases/new");
	assert_string_equal(matched("GET", "/cases/东湖-2026-0001"), "/cases/{code}");
	assert_string_equal(matched("POST", "/cases/A-1/step"), "/cases/{code}/step");
	assert_string_equal(matched("POST", "/cases/A-1/tasks/2/done"),
			    "/cases/{code}/tasks/{no}/done");
	/* a parameter takes one whole, non-empty segment */
	assert_string_equal(matched("GET", "/cases/"), "404");
	assert_string_equal(matched("GET", "/cases/A/1"), "404");
	assert_string_equal(matched("POST", "/cases//step"), "404");
	assert_string_equal(matched("POST", "/cases/A-1/step/"), "404");
	assert_string_equal(matched("GET", "/static/app.css"), "/static/*");
	/* the pattern first, then the method */
	assert_string_equal(matched("GET", "/cases/A-1/step"), "405");
}

static void test_param(void **state)
{
	char v[16];
	(void)state;
	assert_int_equal(rc_http_route_param("/cases/{code}/tasks/{no}/done",
					     "/cases/A-1/tasks/12/done", "code", v, sizeof(v)),
			 RC_OK);
	assert_string_equal(v, "A-1");
	assert_int_equal(rc_http_route_param("/cases/{code}/tasks/{no}/done",
					     "/cases/A-1/tasks/12/done", "no", v, sizeof(v)),
			 RC_OK);
	assert_string_equal(v, "12");
	assert_int_equal(rc_http_route_param("/cases/{code}", "/cases/A-1", "no", v, sizeof(v)),
			 RC_ERR_NOT_FOUND);
	assert_int_equal(rc_http_route_param("/cases/{code}", "/people/1", "code", v, sizeof(v)),
			 RC_ERR_NOT_FOUND);
	assert_int_equal(rc_http_route_param("/cases", "/cases", "code", v, sizeof(v)),
			 RC_ERR_NOT_FOUND);
	assert_int_equal(
	    rc_http_route_param("/cases/{code}", "/cases/0123456789abcdefX", "code", v, sizeof(v)),
	    RC_ERR_LIMIT);
}

static void test_check(void **state)
{
	struct rc_diags d;
	(void)state;
	static const char *const bad[] = {"/cases/{Code}", "/cases/x{code}", "/cases/{code}x",
					  "/cases/{}",     "/cases/{code",   "/cases/code}",
					  "/x/{code}/*"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct rc_http_route t[] = {{"GET", bad[i], h}, {NULL, NULL, NULL}};
		const struct rc_http_route *const ts[] = {t, NULL};
		rc_diags_init(&d, "test");
		assert_int_equal(rc_http_routes_check(ts, &d), RC_ERR_INTERNAL);
	}
	rc_diags_init(&d, "test");
	assert_int_equal(rc_http_routes_check(tables, &d), RC_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_specificity),
	    cmocka_unit_test(test_param),
	    cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
