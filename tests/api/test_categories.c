/*
 * test_categories.c -- the case list by category (容错情形的类别), through
 * the JSON API (GET /api/v1/cases?category=...) and the page (GET /cases,
 * its 情形类别 select), against a running server (tests/web/fixture.h):
 *
 *        P province
 *        |- A county   (承办单位 li: a token and a session)
 *        `- B county   (承办单位 bli)
 *
 *   - a case is listed under the category its newest recommendation found
 *     true, not under another, not in another county; with a state too;
 *   - a recommendation made through the API with other facts moves it;
 *   - an unknown or too long category is a 400 at the field "category";
 *   - the page offers the policies' categories, keeps the one chosen
 *     selected and in the next page's link, and answers an unknown one with
 *     400 and the message next to the field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>

#include "../web/fixture.h"

#define PW "correct horse battery staple"

static struct {
	char tok[RC_TOKEN_LEN + 1];
	char sid[RC_SESSION_ID_HEX];
	char reform[64], decision[64], other[64];
	char conduct[RC_DATE_STRLEN];
} t;

/* ---- requests ----------------------------------------------------------------- */

/* `text` percent-encoded for a query string. */
static void encode(const char *text, char *out, size_t cap)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		assert_true(n + 4 < cap);
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9'))
			out[n++] = (char)*p;
		else
			n += (size_t)snprintf(out + n, cap - n, "%%%02X", *p);
	}
	out[n] = '\0';
}

static void api_get(const char *path, struct answer *a)
{
	char auth[80];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", t.tok);
	const char *h[] = {auth, NULL};
	fx_http(fx.port, "GET", path, h, "", 0, a);
}

static void api_post(const char *path, const char *json, struct answer *a)
{
	char auth[80];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", t.tok);
	const char *h[] = {auth, "Content-Type: application/json", NULL};
	fx_http(fx.port, "POST", path, h, json, strlen(json), a);
}

static void page_get(const char *path, struct answer *a)
{
	char cookie[128];
	snprintf(cookie, sizeof(cookie), "Cookie: rc_session=%s", t.sid);
	const char *h[] = {cookie, NULL};
	fx_http(fx.port, "GET", path, h, "", 0, a);
}

/* The codes of GET /api/v1/cases?category=CATEGORY[&state=STATE], newest
 * first, joined by spaces. */
static void listed(const char *category, const char *state, char *out, size_t cap)
{
	char path[512], c[256], s[256];
	struct answer a;
	json_error_t err;
	size_t off = 0, i;
	json_t *doc, *k;
	encode(category, c, sizeof(c));
	encode(state ? state : "", s, sizeof(s));
	snprintf(path, sizeof(path), "/api/v1/cases?category=%s%s%s", c, state ? "&state=" : "", s);
	api_get(path, &a);
	if (a.status != 200)
		fail_msg("%s: %d %s", path, a.status, a.body);
	assert_non_null(doc = json_loads(a.body, 0, &err));
	out[0] = '\0';
	json_array_foreach(json_object_get(doc, "cases"), i, k) off +=
	    (size_t)snprintf(out + off, cap - off, "%s%s", off ? " " : "",
			     json_string_value(json_object_get(k, "code")));
	json_decref(doc);
	free(a.body);
}

static void expect(const char *category, const char *state, const char *codes)
{
	char got[4096];
	listed(category, state, got, sizeof(got));
	if (strcmp(got, codes) != 0)
		fail_msg("category %s: got '%s', wanted '%s'", category, got, codes);
}

/* A 400 naming the field "category". */
static void refused(const char *query, const char *msg)
{
	char path[1024];
	struct answer a;
	json_error_t err;
	snprintf(path, sizeof(path), "/api/v1/cases?%s", query);
	api_get(path, &a);
	assert_int_equal(a.status, 400);
	json_t *doc = json_loads(a.body, 0, &err), *f;
	assert_non_null(doc);
	json_t *e = json_object_get(doc, "error");
	assert_string_equal(json_string_value(json_object_get(e, "code")), "validation");
	size_t i;
	int found = 0;
	json_array_foreach(json_object_get(e, "fields"), i, f) found |=
	    strcmp(json_string_value(json_object_get(f, "field")), "category") == 0 &&
	    strstr(json_string_value(json_object_get(f, "message")), msg) != NULL;
	if (!found)
		fail_msg("no field 'category' saying '%s': %s", msg, a.body);
	json_decref(doc);
	free(a.body);
}

/* ---- the fixture -------------------------------------------------------------- */

static void fact(const char *actor, const char *code, const char *name, const char *value)
{
	fx_must(rc_proc_case_fact(&fx.u, rc_policy_set_at(fx.set, fx.today), actor, code, name,
				  value, NULL, NULL, 0, fx_dg()));
}

static void recommend(const char *actor, const char *code)
{
	fx_must(rc_proc_case_recommend(&fx.u, rc_policy_set_at(fx.set, fx.today), fx.set, actor,
				       code, t.conduct, NULL, NULL, fx_dg()));
}

static void open_case(const char *actor, const char *org, char code[64])
{
	struct rc_case_new c = {
	    .subject_org = org, .start_path = "ex_officio", .handling_org = org};
	fx_must(rc_proc_case_open(&fx.u, rc_policy_set_at(fx.set, fx.today), fx.cal, actor, &c,
				  fx.today, code, 64, fx_dg()));
}

/* A session of `login`: its password, its authenticator enrolled, a
 * log-in with the next code. */
static void session(const char *login)
{
	fx_must(rc_proc_password_set(&fx.u, "cli", login, PW, 0, NULL, fx_dg()));
	fx_login(login, PW, t.sid);
}

static int setup(void **state)
{
	(void)state;
	memset(&t, 0, sizeof(t));
	fx_open("rc-api-categories", "policies");
	fx_must(rc_proc_org_add(&fx.u, "cli", "P", "示例省", "province", NULL, fx_dg(), NULL));
	fx_must(rc_proc_org_add(&fx.u, "cli", "A", "东湖县", "county", "P", fx_dg(), NULL));
	fx_must(rc_proc_org_add(&fx.u, "cli", "B", "西山县", "county", "P", fx_dg(), NULL));
	fx_must(rc_proc_user_add(&fx.u, "cli", "li", "李四", "A", "承办单位", fx_dg()));
	fx_must(rc_proc_user_add(&fx.u, "cli", "bli", "王五", "B", "承办单位", fx_dg()));
	fx_token("li", t.tok);
	session("li");
	rc_date_format(fx.today - 30, t.conduct);

	open_case("li", "A", t.reform);
	fact("li", t.reform, "推进改革", "true");
	fact("li", t.reform, "缺乏经验", "true");
	recommend("li", t.reform);
	open_case("li", "A", t.decision);
	fact("li", t.decision, "集体决策", "true");
	fact("li", t.decision, "提出反对意见", "true");
	recommend("li", t.decision);
	open_case("bli", "B", t.other);
	fact("bli", t.other, "推进改革", "true");
	fact("bli", t.other, "缺乏经验", "true");
	recommend("bli", t.other);
	fx_start();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fx_close();
	return 0;
}

/* ---- the API --------------------------------------------------------------------- */

static void test_api_filter(void **state)
{
	(void)state;
	char path[256], body[512], want[160];
	struct answer a;
	expect("改革创新类", NULL, t.reform); /* not B's */
	expect("决策损失类", NULL, t.decision);
	expect("程序瑕疵类", NULL, "");
	expect("决策损失类", "启动", t.decision);
	expect("决策损失类", "受理", "");

	/* facts that make the reform case a collective decision, and a new
	 * recommendation through the API: it moves */
	static const char *const facts[] = {
	    "{\"name\": \"推进改革\", \"value\": false}",
	    "{\"name\": \"集体决策\", \"value\": true}",
	    "{\"name\": \"提出反对意见\", \"value\": \"是\"}",
	};
	snprintf(path, sizeof(path), "/api/v1/cases/%s/facts", t.reform);
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		api_post(path, facts[i], &a);
		assert_int_equal(a.status, 200);
		free(a.body);
	}
	expect("改革创新类", NULL, t.reform); /* until it is recommended again */
	snprintf(path, sizeof(path), "/api/v1/cases/%s/recommend", t.reform);
	snprintf(body, sizeof(body), "{\"conduct_on\": \"%s\"}", t.conduct);
	api_post(path, body, &a);
	if (a.status != 200)
		fail_msg("recommend: %d %s", a.status, a.body);
	free(a.body);
	expect("改革创新类", NULL, "");
	snprintf(want, sizeof(want), "%s %s", t.decision, t.reform);
	expect("决策损失类", NULL, want);
}

static void test_api_refused(void **state)
{
	(void)state;
	char q[512], big[200];
	encode("创新类", big, sizeof(big));
	snprintf(q, sizeof(q), "category=%s", big);
	refused(q, "not a category");
	refused(q, "改革创新类"); /* the message names the categories */
	memset(big, 'x', 129);
	big[129] = '\0';
	snprintf(q, sizeof(q), "category=%s", big);
	refused(q, "at most 128 bytes");
	refused("category=%FF", "UTF-8");
}

/* ---- the page ---------------------------------------------------------------------- */

static void test_page(void **state)
{
	(void)state;
	char path[512], c[128], hidden[256], code[64];
	struct answer a;
	encode("决策损失类", c, sizeof(c));
	snprintf(path, sizeof(path), "/cases?category=%s", c);
	page_get(path, &a);
	if (a.status != 200)
		fail_msg("%s: %d %s", path, a.status, a.body);
	assert_non_null(strstr(a.body, "<select id=\"f-category\" name=\"category\">"));
	assert_non_null(
	    strstr(a.body, "<option value=\"决策损失类\" selected>决策损失类</option>"));
	static const char *const six[] = {"改革创新类", "程序瑕疵类", "决策损失类",
					  "应急处突类", "客观因素类", "其他可容类"};
	for (int i = 0; i < 6; i++) {
		char opt[96];
		snprintf(opt, sizeof(opt), "<option value=\"%s\"", six[i]);
		assert_non_null(strstr(a.body, opt));
	}
	assert_non_null(strstr(a.body, t.decision));
	assert_null(strstr(a.body, t.other));
	assert_null(strstr(a.body, "field-error"));
	free(a.body);

	/* unknown: 400, the message at the field */
	encode("创新类", c, sizeof(c));
	snprintf(path, sizeof(path), "/cases?category=%s", c);
	page_get(path, &a);
	assert_int_equal(a.status, 400);
	const char *sel = strstr(a.body, "id=\"f-category\""), *err = strstr(a.body, "field-error");
	assert_true(sel && err && err > sel);
	assert_non_null(strstr(err, "not a category"));
	free(a.body);

	/* more than a page in one category: the next page keeps it */
	for (int i = 0; i < RC_VIEW_LIMIT_DEFAULT + 1; i++) {
		open_case("li", "A", code);
		fact("li", code, "执行程序瑕疵", "true");
		fact("li", code, "瑕疵影响实体", "false");
		recommend("li", code);
	}
	encode("程序瑕疵类", c, sizeof(c));
	snprintf(path, sizeof(path), "/cases?category=%s", c);
	page_get(path, &a);
	assert_int_equal(a.status, 200);
	snprintf(hidden, sizeof(hidden),
		 "<input type=\"hidden\" name=\"category\" value=\"程序瑕疵类\">");
	assert_non_null(strstr(a.body, hidden));
	assert_null(strstr(a.body, t.decision)); /* another category */
	free(a.body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_api_filter),
	    cmocka_unit_test(test_api_refused),
	    cmocka_unit_test(test_page),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
