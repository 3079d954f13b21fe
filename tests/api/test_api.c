/*
 * test_api.c -- the JSON API against a running server.
 *
 * The server (http/ + web/ + api/) runs in this process on a loopback port
 * (tests/web/fixture.h), over a fresh store:
 *
 *        P province     (安全管理员 sec: the three administrators sit at the root)
 *        `- C city
 *           |- A county    (the users: 承办单位 li and li2, 党委 wang,
 *           |              纪检 ji, and dis, to be disabled)
 *           `- B county    (承办单位 bli)
 *
 * and checks: one case walked through the whole procedure by its API, each
 * answer's JSON; four eyes on a policy where the preparer's role may also
 * decide (tests/cli/data/two-eyes.rcp); every validation error naming its
 * field, and changing nothing; tokens refused when missing, malformed,
 * revoked or expired, or when their user is disabled, and never written to
 * the audit trail; idempotency keys; and that docs/openapi.yaml documents
 * exactly the routes the server has.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>

#include "../web/fixture.h"

enum { LI, LI2, WANG, JI, SEC, DIS, BLI, N_USERS };
static const struct {
	const char *login, *org, *role;
} users[N_USERS] = {
    [LI] = {"li", "A", "承办单位"},     [LI2] = {"li2", "A", "承办单位"},
    [WANG] = {"wang", "A", "党委"},     [JI] = {"ji", "A", "纪检"},
    [SEC] = {"sec", "P", "安全管理员"}, [DIS] = {"dis", "A", "承办单位"},
    [BLI] = {"bli", "B", "承办单位"},
};

static struct {
	char tok[N_USERS][RC_TOKEN_LEN + 1];
	int64_t person_a, person_b;
	char today[RC_DATE_STRLEN], later[RC_DATE_STRLEN], earlier[RC_DATE_STRLEN];
} t;

/* ---- requests and their answers ---------------------------------------------- */

/* One request: bearer token `tok` (NULL: none), body with content type
 * `ctype` (NULL: none), Idempotency-Key `key` (NULL: none). */
static void req(const char *method, const char *path, const char *tok, const char *ctype,
		const char *body, size_t len, const char *key, struct answer *a)
{
	char auth[80], ct[128], ik[128];
	const char *h[4] = {NULL, NULL, NULL, NULL};
	int n = 0;
	if (tok) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tok);
		h[n++] = auth;
	}
	if (ctype) {
		snprintf(ct, sizeof(ct), "Content-Type: %s", ctype);
		h[n++] = ct;
	}
	if (key) {
		snprintf(ik, sizeof(ik), "Idempotency-Key: %s", key);
		h[n++] = ik;
	}
	fx_http(fx.port, method, path, h, body ? body : "", body ? len : 0, a);
}

static void get(const char *path, int who, struct answer *a)
{
	req("GET", path, t.tok[who], NULL, NULL, 0, NULL, a);
}

/* POST a JSON body as user `who`. */
static void post(const char *path, int who, const char *json, struct answer *a)
{
	req("POST", path, t.tok[who], "application/json", json, strlen(json), NULL, a);
}

/* The answer's JSON document (the caller decrefs); fails the test when it
 * is not JSON or the status is not `status`. */
static json_t *doc_of(const struct answer *a, int status)
{
	json_error_t err;
	if (a->status != status)
		fail_msg("status %d, wanted %d: %s", a->status, status, a->body);
	if (strcmp(a->content_type, "application/json") != 0)
		fail_msg("Content-Type '%s': %s", a->content_type, a->body);
	json_t *j = json_loads(a->body, 0, &err);
	if (!j)
		fail_msg("not JSON (%s): %s", err.text, a->body);
	return j;
}

/* The answer is the error `code` with `status`, and, when `field` is not
 * NULL, one of its fields is `field` with a message containing `msg`. */
static void expect_error(struct answer *a, int status, const char *code, const char *field,
			 const char *msg)
{
	json_t *j = doc_of(a, status), *e = json_object_get(j, "error"), *f;
	size_t i;
	int found = field == NULL;
	assert_int_equal(json_integer_value(json_object_get(e, "status")), status);
	assert_string_equal(json_string_value(json_object_get(e, "code")), code);
	assert_non_null(json_string_value(json_object_get(e, "message")));
	json_array_foreach(json_object_get(e, "fields"), i, f)
	{
		const char *fn = json_string_value(json_object_get(f, "field"));
		const char *fm = json_string_value(json_object_get(f, "message"));
		assert_true(fn && *fn && fm && *fm); /* every problem names its field */
		if (field && strcmp(fn, field) == 0 && (!msg || strstr(fm, msg)))
			found = 1;
	}
	if (!found)
		fail_msg("no field '%s' saying '%s' in %s", field, msg ? msg : "", a->body);
	/* never the database's own words */
	assert_null(strstr(a->body, "SQL"));
	assert_null(strstr(a->body, "sqlite"));
	json_decref(j);
	free(a->body);
	a->body = NULL;
}

/* A refusal of the procedure: 409 conflict, a message containing `msg`. */
static void expect_refused(struct answer *a, const char *msg)
{
	json_t *j = doc_of(a, 409), *e = json_object_get(j, "error");
	assert_string_equal(json_string_value(json_object_get(e, "code")), "conflict");
	if (!strstr(json_string_value(json_object_get(e, "message")), msg))
		fail_msg("refusal without '%s': %s", msg, a->body);
	assert_true(json_array_size(json_object_get(e, "messages")) >= 1);
	json_decref(j);
	free(a->body);
	a->body = NULL;
}

static int64_t audit_rows(void)
{
	struct rc_stmt *st;
	int row;
	int64_t n = 0;
	fx_must(rc_store_stmt(fx.s, Q_AUDIT_LAST, &st));
	fx_must(rc_stmt_step(st, &row));
	if (row)
		n = rc_stmt_int(st, 0);
	for (int more = row; more;)
		fx_must(rc_stmt_step(st, &more));
	return n;
}

/* POST as `who`; 200 with the case view, and exactly one more audit row. */
static json_t *change(const char *code, const char *suffix, int who, const char *json)
{
	char path[256];
	struct answer a;
	int64_t before = audit_rows();
	snprintf(path, sizeof(path), "/api/v1/cases/%s%s", code, suffix);
	post(path, who, json, &a);
	json_t *c = doc_of(&a, 200);
	free(a.body);
	assert_string_equal(json_string_value(json_object_get(c, "code")), code);
	assert_int_equal(audit_rows(), before + 1);
	return c;
}

/* POST as `who`, refused by the procedure with `msg`; nothing written. */
static void refused(const char *code, const char *suffix, int who, const char *json,
		    const char *msg)
{
	char path[256];
	struct answer a;
	int64_t before = audit_rows();
	snprintf(path, sizeof(path), "/api/v1/cases/%s%s", code, suffix);
	post(path, who, json, &a);
	expect_refused(&a, msg);
	assert_int_equal(audit_rows(), before);
}

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* A new case as `who`: its code into code. */
static void open_case(int who, int64_t person, char code[64])
{
	char body[256];
	struct answer a;
	snprintf(body, sizeof(body),
		 "{\"start_path\": \"application\", \"person_id\": %lld, \"handling\": \"A\", "
		 "\"source\": \"审计\"}",
		 (long long)person);
	post("/api/v1/cases", who, body, &a);
	json_t *c = doc_of(&a, 201);
	snprintf(code, 64, "%s", js(c, "code"));
	char loc[128];
	snprintf(loc, sizeof(loc), "/api/v1/cases/%s", code);
	assert_string_equal(a.location, loc);
	free(a.body);
	json_decref(c);
}

/* ---- the fixture ---------------------------------------------------------------- */

static void add_users(void)
{
	for (int i = 0; i < N_USERS; i++) {
		fx_must(rc_proc_user_add(&fx.u, "cli", users[i].login, "张三", users[i].org,
					 users[i].role, fx_dg()));
		fx_token(users[i].login, t.tok[i]);
	}
}

/* Which store and server are open: the tests of the shipped policy share
 * one (their cases and tokens accumulate, in the order of main()), the
 * four-eyes test has its own on another policy. */
static enum { NONE, MAIN, FOUR_EYES } opened;

static int teardown(void **state)
{
	(void)state;
	if (opened != NONE)
		fx_close();
	opened = NONE;
	return 0;
}

static int setup(void **state)
{
	if (opened == MAIN)
		return 0;
	teardown(state);
	memset(&t, 0, sizeof(t));
	fx_open("rc-api", "policies");
	opened = MAIN;
	fx_must(rc_proc_org_add(&fx.u, "cli", "P", "示例省", "province", NULL, fx_dg(), NULL));
	fx_must(rc_proc_org_add(&fx.u, "cli", "C", "示例市", "city", "P", fx_dg(), NULL));
	fx_must(rc_proc_org_add(&fx.u, "cli", "A", "东湖县", "county", "C", fx_dg(), NULL));
	fx_must(rc_proc_org_add(&fx.u, "cli", "B", "西山县", "county", "C", fx_dg(), NULL));
	fx_must(rc_proc_person_add(&fx.u, "cli", "王五", "A", "科长", NULL, fx_dg(), &t.person_a));
	fx_must(rc_proc_person_add(&fx.u, "cli", "赵六", "B", "科长", NULL, fx_dg(), &t.person_b));
	add_users();
	rc_date_format(fx.today, t.today);
	rc_date_format(fx.today + 30, t.later);
	rc_date_format(fx.today - 30, t.earlier);
	fx_start();
	return 0;
}

/* ---- one case through the whole procedure ------------------------------------------ */

static void test_walk(void **state)
{
	(void)state;
	char code[64], body[1024], path[256];
	struct answer a;
	json_t *c;
	open_case(LI, t.person_a, code);

	/* the list and the case */
	get("/api/v1/cases", LI, &a);
	c = doc_of(&a, 200);
	assert_string_equal(js(json_array_get(json_object_get(c, "cases"), 0), "code"), code);
	json_decref(c);
	free(a.body);
	snprintf(path, sizeof(path), "/api/v1/cases/%s", code);
	get(path, LI, &a);
	c = doc_of(&a, 200);
	assert_string_equal(js(c, "state"), "启动");
	assert_string_equal(js(json_object_get(c, "person"), "name"), "王五");
	json_decref(c);
	free(a.body);

	/* steps */
	json_decref(change(code, "/steps", LI, "{\"next\": \"受理\", \"note\": \"材料齐全\"}"));
	c = change(code, "/steps", LI, "{\"next\": \"调查核实\"}");
	assert_string_equal(js(c, "state"), "调查核实");
	assert_int_equal(json_array_size(json_object_get(c, "steps")), 3);
	json_decref(c);
	refused(code, "/steps", WANG, "{\"next\": \"会商研判\"}", "refused");

	/* facts, in JSON's own types, and findings with their reasons */
	static const char *const facts[] = {
	    "\"营商环境领域\", \"value\": true",    "\"突破常规探索\", \"value\": \"是\"",
	    "\"触犯纪法红线\", \"value\": false",   "\"明知故犯\", \"value\": false",
	    "\"造成严重后果\", \"value\": false",   "\"与中央决策部署不符\", \"value\": false",
	    "\"违反禁止性规定\", \"value\": false", "\"形象工程\", \"value\": false",
	    "\"拒不整改\", \"value\": false",       "\"谋取私利\", \"value\": false",
	};
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		snprintf(body, sizeof(body), "{\"name\": %s, \"evidence\": \"谈话笔录-%zu\"}",
			 facts[i], i);
		json_decref(change(code, "/facts", LI, body));
	}
	static const char *const findings[][2] = {
	    {"动机态度", "有利"}, {"补救情况", "有利"}, {"后果影响", "一般"}, {"问题性质", "一般"}};
	refused(code, "/facts", LI, "{\"name\": \"问题性质\", \"value\": \"有利\"}", "reason");
	for (size_t i = 0; i < 4; i++) {
		snprintf(body, sizeof(body),
			 "{\"name\": \"%s\", \"value\": \"%s\", \"reason\": \"%s经调查核实\", "
			 "\"evidence\": \"调查报告\", \"disputed\": false}",
			 findings[i][0], findings[i][1], findings[i][0]);
		c = change(code, "/facts", LI, body);
		assert_int_equal(json_array_size(json_object_get(c, "facts")), 11 + i);
		json_decref(c);
	}
	refused(code, "/facts", LI, "{\"name\": \"谋取私力\", \"value\": true}", "谋取私力");

	/* the assessment of the facts so far */
	snprintf(path, sizeof(path), "/api/v1/cases/%s/assessment", code);
	get(path, WANG, &a);
	c = doc_of(&a, 200);
	assert_true(json_is_object(json_object_get(c, "assessment")));
	assert_non_null(strstr(js(c, "explanation"), "容错"));
	assert_null(json_object_get(c, "facts")); /* the assessment, not the case file */
	json_decref(c);
	free(a.body);

	/* 会商研判: the consultation, its participants and opinions */
	json_decref(change(code, "/steps", LI, "{\"next\": \"会商研判\"}"));
	snprintf(body, sizeof(body), "{\"held_on\": \"%s\", \"minutes\": \"会商纪要\"}", t.today);
	c = change(code, "/consultation", LI, body);
	assert_string_equal(js(json_object_get(c, "consultation"), "held_on"), t.today);
	json_decref(c);
	refused(code, "/consultation", LI, body, "already has its consultation");
	static const char *const depts[] = {"纪检", "组织", "信访", "审计"};
	for (int i = 0; i < 4; i++) {
		snprintf(body, sizeof(body), "{\"dept\": \"%s\", \"name\": \"%s代表\"}", depts[i],
			 depts[i]);
		json_decref(change(code, "/participants", LI, body));
		snprintf(body, sizeof(body), "{\"dept\": \"%s\", \"opinion\": \"同意\"%s}",
			 depts[i], i == 1 ? ", \"dissent\": \"应从轻\"" : "");
		c = change(code, "/opinions", LI, body);
		assert_int_equal(json_array_size(json_object_get(json_object_get(c, "consultation"),
								 "opinions")),
				 i + 1);
		json_decref(c);
	}

	/* 认定: the recommendation, then the decision -- four eyes, and a
	 * role that decides */
	json_decref(change(code, "/steps", WANG, "{\"next\": \"认定\"}"));
	snprintf(body, sizeof(body), "{\"conduct_on\": \"%s\", \"decision_on\": \"%s\"}", t.earlier,
		 t.today);
	c = change(code, "/recommend", WANG, body);
	assert_true(json_is_object(json_object_get(c, "recommendation")));
	json_decref(c);
	snprintf(body, sizeof(body),
		 "{\"outcome\": \"从轻追究责任\", \"meeting_on\": \"%s\", \"legal_basis\": "
		 "\"问责条例 第十八条\", \"reasons\": \"集体研究认为损失较大\", "
		 "\"sanction_table\": \"党纪处分\", \"sanction\": \"警告\"}",
		 t.today);
	refused(code, "/decision", LI, body, "does not perform step '认定'");
	c = change(code, "/decision", WANG, body);
	assert_string_equal(js(json_object_get(c, "decision"), "outcome"), "从轻追究责任");
	assert_int_equal(json_array_size(json_object_get(c, "effects")), 1);
	json_decref(c);
	refused(code, "/decision", WANG, body, "already has a decision");

	/* 告知, 申诉, 复核 */
	json_decref(change(code, "/steps", LI, "{\"next\": \"告知\"}"));
	snprintf(body, sizeof(body), "{\"to\": \"王五\", \"on\": \"%s\", \"how\": \"书面\"}",
		 t.today);
	c = change(code, "/notices", LI, body);
	assert_string_equal(js(json_array_get(json_object_get(c, "notices"), 0), "how"), "书面");
	json_decref(c);
	snprintf(body, sizeof(body), "{\"on\": \"%s\", \"by\": \"王五\", \"grounds\": \"不服\"}",
		 t.today);
	c = change(code, "/appeal", LI, body);
	assert_string_equal(js(json_object_get(c, "appeal"), "grounds"), "不服");
	json_decref(c);
	snprintf(body, sizeof(body),
		 "{\"on\": \"%s\", \"result\": \"维持\", \"reasons\": \"经复核维持原决定\"}",
		 t.today);
	refused(code, "/review", LI, body, "refused");
	c = change(code, "/review", WANG, body);
	assert_string_equal(js(json_object_get(json_object_get(c, "appeal"), "review"), "result"),
			    "维持");
	json_decref(c);

	/* 备案 with an organisation above the handling unit */
	snprintf(body, sizeof(body), "{\"org\": \"A\", \"on\": \"%s\"}", t.today);
	refused(code, "/filings", LI, body, "not above it");
	snprintf(body, sizeof(body), "{\"org\": \"C\", \"on\": \"%s\"}", t.today);
	c = change(code, "/filings", LI, body);
	assert_string_equal(js(json_array_get(json_object_get(c, "filings"), 0), "org"), "C");
	json_decref(c);

	/* 纠错: a task, verified by another user */
	snprintf(body, sizeof(body),
		 "{\"owner\": \"某局\", \"due_on\": \"%s\", \"what\": \"整改\"}", t.later);
	c = change(code, "/tasks", LI, body);
	json_t *task = json_array_get(json_object_get(c, "tasks"), 0);
	assert_int_equal(json_integer_value(json_object_get(task, "no")), 1);
	assert_true(json_is_null(json_object_get(task, "done_on")));
	json_decref(c);
	snprintf(body, sizeof(body), "{\"on\": \"%s\", \"verifier\": \"li\"}", t.today);
	refused(code, "/tasks/1/done", LI, body, "verified by another user");
	snprintf(body, sizeof(body), "{\"on\": \"%s\", \"verifier\": \"li2\"}", t.today);
	c = change(code, "/tasks/1/done", LI, body);
	task = json_array_get(json_object_get(c, "tasks"), 0);
	assert_string_equal(js(task, "done_on"), t.today);
	json_decref(c);
	snprintf(path, sizeof(path), "/api/v1/cases/%s/tasks/0/done", code);
	post(path, LI, body, &a);
	expect_error(&a, 404, "not_found", NULL, NULL);
	refused(code, "/tasks/9/done", LI, body, "no task 9");

	/* 回访, during the impact period the decision started */
	snprintf(body, sizeof(body), "{\"on\": \"%s\", \"notes\": \"思想稳定\"}", t.today);
	refused(code, "/follow-ups", LI, body, "refused");
	c = change(code, "/follow-ups", JI, body);
	assert_string_equal(js(json_array_get(json_object_get(c, "follow_ups"), 0), "notes"),
			    "思想稳定");
	json_decref(c);

	/* the official's effects: restricted by this decision */
	snprintf(path, sizeof(path), "/api/v1/people/%lld", (long long)t.person_a);
	get(path, LI, &a);
	c = doc_of(&a, 200);
	json_t *eff = json_array_get(json_object_get(c, "effects"), 0);
	assert_string_equal(js(eff, "case"), code);
	assert_string_equal(js(eff, "start_on"), t.today);
	json_decref(c);
	free(a.body);
	get("/api/v1/people?q=%E7%8E%8B", LI, &a); /* 王 */
	c = doc_of(&a, 200);
	assert_int_equal(json_array_size(json_object_get(c, "people")), 1);
	json_decref(c);
	free(a.body);

	/* my tasks: the case is at 告知, which 承办单位 performs */
	get("/api/v1/tasks", LI, &a);
	c = doc_of(&a, 200);
	assert_string_equal(js(json_array_get(json_object_get(c, "tasks"), 0), "state"), "告知");
	json_decref(c);
	free(a.body);

	/* the chain of every change made through the API holds */
	int64_t rows = 0, first_bad = 0;
	fx_must(rc_audit_verify(fx.s, fx.key, NULL, fx_dg(), &rows, &first_bad));
	assert_int_equal(rows, audit_rows());
}

/* ---- validation: every problem at its field, nothing written --------------------- */

static void test_validation(void **state)
{
	(void)state;
	char code[64], path[256], body[2048], big[300];
	struct answer a;
	open_case(LI, t.person_a, code);
	int64_t before = audit_rows();
	snprintf(path, sizeof(path), "/api/v1/cases/%s/notices", code);

	post(path, LI, "{}", &a); /* missing: every required field named */
	expect_error(&a, 400, "validation", "to", "required");
	post(path, LI, "{}", &a);
	expect_error(&a, 400, "validation", "how", "required");
	req("POST", path, t.tok[LI], NULL, NULL, 0, NULL, &a); /* no body at all */
	expect_error(&a, 400, "validation", "on", "required");
	post(path, LI, "{\"to\": 5, \"on\": \"2024-01-02\", \"how\": \"书面\"}", &a);
	expect_error(&a, 400, "validation", "to", "must be a string");
	post(path, LI, "{\"to\": \"\", \"on\": \"2024-01-02\", \"how\": \"书面\"}", &a);
	expect_error(&a, 400, "validation", "to", "must not be empty");
	memset(big, 'x', 201);
	big[201] = '\0';
	snprintf(body, sizeof(body), "{\"to\": \"%s\", \"on\": \"2024-01-02\", \"how\": \"书面\"}",
		 big);
	post(path, LI, body, &a);
	expect_error(&a, 400, "validation", "to", "at most 200 bytes");
	post(path, LI, "{\"to\": \"王五\", \"on\": \"2024-13-02\", \"how\": \"书面\"}", &a);
	expect_error(&a, 400, "validation", "on", "not a date YYYY-MM-DD");
	post(path, LI, "{\"to\": \"王五\", \"on\": \"2024/01/02\", \"how\": \"书面\"}", &a);
	expect_error(&a, 400, "validation", "on", "not a date YYYY-MM-DD");
	post(path, LI, "{\"to\": \"王五\", \"on\": 20240102, \"how\": \"书面\"}", &a);
	expect_error(&a, 400, "validation", "on", "must be a string");
	post(path, LI, "{\"to\": \"王五\", \"on\": \"2024-01-02\", \"how\": \"电话\"}", &a);
	expect_error(&a, 400, "validation", "how", "one of 书面, 当面, 其他");
	post(path, LI, "{\"to\": \"王五\", \"on\": \"2024-01-02\", \"how\": \"书面\", \"To\": 1}",
	     &a);
	expect_error(&a, 400, "validation", "To", "unknown member; the members are: to, on, how");
	post(path, LI, "{\"to\": \"a\", \"to\": \"b\", \"on\": \"2024-01-02\", \"how\": \"书面\"}",
	     &a);
	expect_error(&a, 400, "validation", "to", "given twice");
	post(path, LI, "[{\"to\": \"王五\"}]", &a);
	expect_error(&a, 400, "validation", "(body)", "must be a JSON object");
	post(path, LI, "\"王五\"", &a);
	expect_error(&a, 400, "validation", "(body)", "not JSON");
	post(path, LI, "{\"to\": \"王五\",", &a);
	expect_error(&a, 400, "validation", "(body)", "not JSON");
	snprintf(body, sizeof(body), "to=%%E7%%8E%%8B&on=%s&how=%%E4%%B9%%A6", t.today);
	req("POST", path, t.tok[LI], "application/x-www-form-urlencoded", body, strlen(body), NULL,
	    &a);
	expect_error(&a, 415, "unsupported_media_type", "Content-Type", "application/json");
	req("POST", path, t.tok[LI], "application/json; charset=latin1", "{}", 2, NULL, &a);
	expect_error(&a, 415, "unsupported_media_type", "Content-Type", NULL);
	req("POST", path, t.tok[LI], "Application/JSON; charset=\"UTF-8\"", "{}", 2, NULL, &a);
	expect_error(&a, 400, "validation", "to", "required"); /* taken, then checked */
	req("POST", path, t.tok[LI], "application/json", "{}", 2, "has space", &a);
	expect_error(&a, 400, "validation", "Idempotency-Key", "printable ASCII");

	/* many problems: each named, up to a cap */
	size_t off = (size_t)snprintf(body, sizeof(body), "{");
	for (int i = 0; i < 100; i++)
		off += (size_t)snprintf(body + off, sizeof(body) - off, "%s\"x%d\": 1",
					i ? ", " : "", i);
	snprintf(body + off, sizeof(body) - off, "}");
	post(path, LI, body, &a);
	json_t *many = doc_of(&a, 400);
	assert_int_equal(json_array_size(json_object_get(json_object_get(many, "error"), "fields")),
			 32);
	json_decref(many);
	expect_error(&a, 400, "validation", "x0", "unknown member");

	/* a body over the server's cap (1 MiB) is refused before it is read */
	size_t n = (1u << 20) + 16;
	char *huge = malloc(n);
	assert_non_null(huge);
	memset(huge, ' ', n);
	huge[0] = '{';
	huge[n - 1] = '}';
	req("POST", path, t.tok[LI], "application/json", huge, n, NULL, &a);
	assert_int_equal(a.status, 413);
	expect_error(&a, 413, "too_large", NULL, NULL);
	free(huge);
	/* the server's own refusals under /api/ are JSON too */
	get("/api/v1/no-such-thing", LI, &a);
	expect_error(&a, 404, "not_found", NULL, NULL);
	req("PUT", "/api/v1/cases", t.tok[LI], "application/json", "{}", 2, NULL, &a);
	expect_error(&a, 405, "method_not_allowed", NULL, NULL);

	/* a text the procedure keeps on one line: said at the member */
	snprintf(path, sizeof(path), "/api/v1/cases/%s/facts", code);
	post(path, LI, "{\"name\": \"谋取私利\", \"value\": false, \"reason\": \"a\\nb\"}", &a);
	expect_error(&a, 400, "validation", "reason", "one line");
	/* the other kinds of member */
	snprintf(path, sizeof(path), "/api/v1/cases/%s/facts", code);
	post(path, LI, "{\"name\": \"谋取私利\", \"value\": [false]}", &a);
	expect_error(&a, 400, "validation", "value", "a string, an integer, true, false or null");
	post(path, LI, "{\"name\": \"谋取私利\", \"value\": 1.5}", &a);
	expect_error(&a, 400, "validation", "value", "a string, an integer");
	post(path, LI, "{\"name\": \"谋取私利\", \"value\": false, \"disputed\": \"yes\"}", &a);
	expect_error(&a, 400, "validation", "disputed", "must be true or false");
	post(path, LI, "{\"value\": false}", &a);
	expect_error(&a, 400, "validation", "name", "required");
	post("/api/v1/cases", LI, "{\"start_path\": \"application\", \"handling\": \"A\"}", &a);
	expect_error(&a, 400, "validation", "person_id", "or the unit concerned");
	post("/api/v1/cases", LI,
	     "{\"start_path\": \"application\", \"handling\": \"A\", \"person_id\": \"1\"}", &a);
	expect_error(&a, 400, "validation", "person_id", "must be an integer");
	post("/api/v1/cases", LI,
	     "{\"start_path\": \"application\", \"handling\": \"A\", \"person_id\": 0}", &a);
	expect_error(&a, 400, "validation", "person_id", "from 1 up");
	post("/api/v1/cases", LI,
	     "{\"start_path\": \"自动\", \"handling\": \"A\", \"unit\": \"A\"}", &a);
	expect_error(&a, 400, "validation", "start_path", "one of application, ex_officio");

	/* the list's filters */
	get("/api/v1/cases?limit=0", LI, &a);
	expect_error(&a, 400, "validation", "limit", "between 1 and 200");
	get("/api/v1/cases?limit=201", LI, &a);
	expect_error(&a, 400, "validation", "limit", NULL);
	get("/api/v1/cases?from=2024-13-01", LI, &a);
	expect_error(&a, 400, "validation", "from", "not a date");
	get("/api/v1/cases?before=abc", LI, &a);
	expect_error(&a, 400, "validation", "before", NULL);
	get("/api/v1/cases?unit=B", LI, &a); /* another county: as unknown */
	expect_error(&a, 400, "validation", "unit", "no unit 'B'");
	get("/api/v1/cases?q=%FF", LI, &a);
	expect_error(&a, 400, "validation", "q", "UTF-8");
	get("/api/v1/people?q=%FF", LI, &a);
	expect_error(&a, 400, "validation", "q", "UTF-8");
	get("/api/v1/cases?limit=1", LI, &a); /* this case, and a page after it */
	json_t *c = doc_of(&a, 200);
	assert_int_equal(json_array_size(json_object_get(c, "cases")), 1);
	assert_string_equal(js(json_array_get(json_object_get(c, "cases"), 0), "code"), code);
	assert_true(json_is_integer(json_object_get(c, "next")));
	json_decref(c);
	free(a.body);
	get("/api/v1/cases?state=%E5%90%AF%E5%8A%A8", LI, &a); /* 启动: only this one */
	c = doc_of(&a, 200);
	assert_int_equal(json_array_size(json_object_get(c, "cases")), 1);
	assert_true(json_is_null(json_object_get(c, "next")));
	json_decref(c);
	free(a.body);

	/* nothing was written by any of them */
	assert_int_equal(audit_rows(), before);
}

/* ---- tokens ------------------------------------------------------------------------- */

struct audit_scan {
	const char *needle[2];
	int creates, revokes, found;
};

static enum rc_err scan_row(void *ctx, const struct rc_audit_row *r)
{
	struct audit_scan *s = ctx;
	const char *cols[] = {r->user, r->role, r->org, r->action, r->object, r->before, r->after};
	s->creates += strcmp(r->action, "token.create") == 0;
	s->revokes += strcmp(r->action, "token.revoke") == 0;
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		for (int k = 0; k < 2; k++)
			if (cols[i] && strstr(cols[i], s->needle[k]))
				s->found = 1;
	return RC_OK;
}

static enum rc_err count_token(void *ctx, const struct rc_token_info *ti)
{
	int *n = ctx;
	(*n)++;
	assert_true(ti->id > 0 && ti->login[0] && ti->created_at[0]);
	return RC_OK;
}

static void test_tokens(void **state)
{
	(void)state;
	char tok[RC_TOKEN_LEN + 1], hash[2 * RC_SM3_LEN + 1];
	struct answer a;
	struct rc_session_user su;
	int64_t id = 0, now = (int64_t)time(NULL);

	/* none, another scheme, a malformed or unknown token: 401, with the
	 * challenge */
	req("GET", "/api/v1/cases", NULL, NULL, NULL, 0, NULL, &a);
	assert_string_equal(a.www_authenticate, "Bearer realm=\"rongcuo\"");
	expect_error(&a, 401, "unauthorized", NULL, NULL);
	static const char *const bad[] = {
	    "Authorization: Basic bGk6cHc=",
	    "Authorization: Bearer rc_nothex",
	    "Authorization: Bearer rc_0123456789abcdef0123456789abcdef",
	    "Authorization: Bearer",
	    "Cookie: rc_session=00",
	    NULL};
	for (int i = 0; bad[i]; i++) {
		const char *h[2] = {bad[i], NULL};
		fx_http(fx.port, "GET", "/api/v1/cases", h, "", 0, &a);
		assert_non_null(strstr(a.www_authenticate, "Bearer realm=\"rongcuo\""));
		expect_error(&a, 401, "unauthorized", NULL, NULL);
	}
	/* a role the line does not name: 403 */
	get("/api/v1/cases", SEC, &a);
	expect_error(&a, 403, "forbidden", NULL, NULL);

	/* revoked: refused at the next request */
	fx_must(rc_proc_token_create(&fx.u, "sec", "li", "脚本", 0, now, tok, &id, fx_dg()));
	assert_int_equal(strncmp(tok, "rc_", 3), 0);
	assert_int_equal(strlen(tok), RC_TOKEN_LEN);
	req("GET", "/api/v1/tasks", tok, NULL, NULL, 0, NULL, &a);
	assert_int_equal(a.status, 200);
	free(a.body);
	fx_must(rc_proc_token_revoke(&fx.u, "sec", id, fx_dg()));
	req("GET", "/api/v1/tasks", tok, NULL, NULL, 0, NULL, &a);
	assert_non_null(strstr(a.www_authenticate, "invalid_token"));
	expect_error(&a, 401, "unauthorized", NULL, NULL);
	assert_int_equal(rc_proc_token_revoke(&fx.u, "sec", id, fx_dg()), RC_ERR_RANGE);
	assert_int_equal(rc_proc_token_revoke(&fx.u, "sec", 99999, fx_dg()), RC_ERR_NOT_FOUND);

	/* the token is in no audit row, nor its stored hash */
	uint8_t raw[16], h[RC_SM3_LEN];
	size_t rl;
	assert_int_equal(rc_unhex(tok + 3, 32, raw, sizeof(raw), &rl), RC_OK);
	assert_int_equal(rc_sm3(raw, sizeof(raw), h), RC_OK);
	rc_hex(h, sizeof(h), hash);
	struct audit_scan sc = {{tok + 3, hash}, 0, 0, 0};
	fx_must(rc_audit_each(fx.s, scan_row, &sc));
	assert_int_equal(sc.found, 0);
	assert_true(sc.creates >= N_USERS + 1);
	assert_int_equal(sc.revokes, 1);

	/* a disabled user's token: 401 */
	req("GET", "/api/v1/tasks", t.tok[DIS], NULL, NULL, 0, NULL, &a);
	assert_int_equal(a.status, 200);
	free(a.body);
	fx_must(rc_proc_user_disable(&fx.u, "sec", "dis", fx_dg()));
	req("GET", "/api/v1/tasks", t.tok[DIS], NULL, NULL, 0, NULL, &a);
	expect_error(&a, 401, "unauthorized", NULL, NULL);
	assert_int_equal(rc_proc_token_create(&fx.u, "sec", "dis", "x", 0, now, tok, NULL, fx_dg()),
			 RC_ERR_RANGE);

	/* expiry: good until then, not a second after */
	fx_must(rc_proc_token_create(&fx.u, "sec", "li", "一小时", now + 3600, now, tok, NULL,
				     fx_dg()));
	fx_must(rc_proc_token_check(fx.s, tok, now + 3599, &su, fx_dg()));
	assert_string_equal(su.login, "li");
	assert_string_equal(su.role, "承办单位");
	assert_string_equal(su.org_code, "A");
	assert_int_equal(rc_proc_token_check(fx.s, tok, now + 3600, &su, fx_dg()),
			 RC_ERR_NOT_FOUND);
	assert_string_equal(su.login, "");

	/* what token creation refuses */
	assert_int_equal(
	    rc_proc_token_create(&fx.u, "sec", "nobody", "x", 0, now, tok, NULL, fx_dg()),
	    RC_ERR_NAME);
	assert_int_equal(rc_proc_token_create(&fx.u, "sec", "li", "", 0, now, tok, NULL, fx_dg()),
			 RC_ERR_RANGE);
	assert_int_equal(
	    rc_proc_token_create(&fx.u, "sec", "li", "x", now, now, tok, NULL, fx_dg()),
	    RC_ERR_RANGE);
	assert_int_equal(
	    rc_proc_token_create(&fx.u, "sec", "li", "two\nlines", 0, now, tok, NULL, fx_dg()),
	    RC_ERR_RANGE);

	/* the list: every token, never the token itself */
	int listed = 0;
	fx_must(rc_proc_token_list(fx.s, now, count_token, &listed));
	assert_int_equal(listed, N_USERS + 2);
}

/* A token revoked by another process -- the command line, on its own
 * connection -- is refused at the next request, also right after a request
 * that checked a case's scope (that check once left SQLite's read snapshot
 * open, so the server went on seeing the token as it was). */
static void test_revoked_elsewhere(void **state)
{
	(void)state;
	char tok[RC_TOKEN_LEN + 1], code[64], path[256];
	struct answer a;
	struct rc_store *s2 = NULL;
	int64_t id = 0;
	fx_must(rc_proc_token_create(&fx.u, "sec", "li", "另一进程", 0, (int64_t)time(NULL), tok,
				     &id, fx_dg()));
	open_case(LI, t.person_a, code);
	snprintf(path, sizeof(path), "/api/v1/cases/%s", code);
	req("GET", path, tok, NULL, NULL, 0, NULL, &a);
	assert_int_equal(a.status, 200);
	free(a.body);
	fx_must(rc_store_open(fx.db, fx_dg(), &s2));
	struct rc_unit u2 = fx.u;
	u2.store = s2;
	fx_must(rc_proc_token_revoke(&u2, "sec", id, fx_dg()));
	rc_store_close(s2);
	req("GET", path, tok, NULL, NULL, 0, NULL, &a);
	expect_error(&a, 401, "unauthorized", NULL, NULL);
}

/* ---- idempotency keys ----------------------------------------------------------------- */

static void test_idempotency(void **state)
{
	(void)state;
	char code[64], path[256];
	const char *b1 = "{\"name\": \"谋取私利\", \"value\": false}",
		   *b2 = "{\"name\": \"谋取私利\", \"value\": true}";
	struct answer a;
	open_case(LI, t.person_a, code);
	snprintf(path, sizeof(path), "/api/v1/cases/%s/facts", code);
	int64_t before = audit_rows();
	req("POST", path, t.tok[LI], "application/json", b1, strlen(b1), "fact-1", &a);
	json_t *c = doc_of(&a, 200);
	free(a.body);
	json_decref(c);
	assert_int_equal(audit_rows(), before + 1);
	/* the replay, even with another value, changes nothing */
	req("POST", path, t.tok[LI], "application/json", b2, strlen(b2), "fact-1", &a);
	expect_refused(&a, "already made");
	assert_int_equal(audit_rows(), before + 1);
	snprintf(path, sizeof(path), "/api/v1/cases/%s", code);
	get(path, LI, &a);
	c = doc_of(&a, 200);
	json_t *f = json_array_get(json_object_get(c, "facts"), 0);
	assert_true(json_is_false(json_object_get(f, "value")));
	assert_int_equal(json_array_size(json_object_get(c, "facts")), 1);
	json_decref(c);
	free(a.body);
	/* the key names that change: another change under it is refused */
	snprintf(path, sizeof(path), "/api/v1/cases/%s/steps", code);
	const char *b3 = "{\"next\": \"受理\"}";
	req("POST", path, t.tok[LI], "application/json", b3, strlen(b3), "fact-1", &a);
	expect_refused(&a, "names another change");
	assert_int_equal(audit_rows(), before + 1);
	/* each user's keys are their own: the same key from another user is
	 * another change */
	snprintf(path, sizeof(path), "/api/v1/cases/%s/facts", code);
	req("POST", path, t.tok[LI2], "application/json", b2, strlen(b2), "fact-1", &a);
	c = doc_of(&a, 200);
	free(a.body);
	json_decref(c);
	assert_int_equal(audit_rows(), before + 2);
}

/* ---- docs/openapi.yaml against the routes -------------------------------------------- */

/* The (path, method) pairs of docs/openapi.yaml, by its line convention:
 * a path at exactly two spaces of indent ("  /api/v1/cases:"), its
 * methods at exactly four ("    get:"). */
static int read_openapi(char pairs[][160], int cap)
{
	char path[4300], line[1024], cur[128] = "";
	int n = 0;
	snprintf(path, sizeof(path), "%s/docs/openapi.yaml", RC_SOURCE_DIR);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (strncmp(line, "  /", 3) == 0 && line[len - 1] == ':') {
			snprintf(cur, sizeof(cur), "%.*s", (int)(len - 3), line + 2);
			continue;
		}
		if (line[0] != ' ' && line[0] != '\0')
			cur[0] = '\0'; /* paths: has ended */
		static const char *const methods[] = {"get", "post", "put", "patch", "delete"};
		for (size_t m = 0; m < 5; m++) {
			char want[16];
			snprintf(want, sizeof(want), "    %s:", methods[m]);
			if (cur[0] && strcmp(line, want) == 0) {
				assert_true(n < cap);
				snprintf(pairs[n++], 160, "%s %s", methods[m], cur);
			}
		}
	}
	fclose(f);
	return n;
}

static void test_openapi_matches_routes(void **state)
{
	(void)state;
	static char doc[128][160];
	int n = read_openapi(doc, 128), routes = 0, wrong = 0;
	assert_true(n > 0);
	for (int i = 0; rc_api_tables[i]; i++)
		for (const struct rc_http_route *r = rc_api_tables[i]; r->method; r++) {
			char pair[160], lower[8];
			int k, found = 0;
			for (k = 0; r->method[k] && k < 7; k++)
				lower[k] = (char)(r->method[k] - 'A' + 'a');
			lower[k] = '\0';
			snprintf(pair, sizeof(pair), "%s %s", lower, r->pattern);
			for (int j = 0; j < n; j++)
				found |= strcmp(doc[j], pair) == 0;
			if (!found) {
				fprintf(stderr, "docs/openapi.yaml does not document %s\n", pair);
				wrong++;
			}
			routes++;
		}
	for (int j = 0; j < n; j++) {
		int found = 0;
		for (int i = 0; rc_api_tables[i]; i++)
			for (const struct rc_http_route *r = rc_api_tables[i]; r->method; r++) {
				char pair[160], lower[8];
				int k;
				for (k = 0; r->method[k] && k < 7; k++)
					lower[k] = (char)(r->method[k] - 'A' + 'a');
				lower[k] = '\0';
				snprintf(pair, sizeof(pair), "%s %s", lower, r->pattern);
				found |= strcmp(doc[j], pair) == 0;
			}
		if (!found) {
			fprintf(stderr,
				"docs/openapi.yaml documents %s, which the server does not have\n",
				doc[j]);
			wrong++;
		}
	}
	/* each documented once */
	for (int j = 0; j < n; j++)
		for (int k = j + 1; k < n; k++)
			if (strcmp(doc[j], doc[k]) == 0) {
				fprintf(stderr, "docs/openapi.yaml documents %s twice\n", doc[j]);
				wrong++;
			}
	fprintf(stderr, "openapi: %d routes, %d documented operations\n", routes, n);
	assert_int_equal(wrong, 0);
	assert_int_equal(routes, n);
}

/* ---- four eyes, where the preparer's role may also decide ------------------------------ */

static int setup_four_eyes(void **state)
{
	teardown(state);
	memset(&t, 0, sizeof(t));
	fx_open("rc-api-4eyes", "tests/cli/data/two-eyes.rcp");
	opened = FOUR_EYES;
	fx_must(rc_proc_org_add(&fx.u, "cli", "A", "东湖县", "county", NULL, fx_dg(), NULL));
	fx_must(rc_proc_person_add(&fx.u, "cli", "王五", "A", "科长", NULL, fx_dg(), &t.person_a));
	fx_must(rc_proc_user_add(&fx.u, "cli", "li", "李四", "A", "承办单位", fx_dg()));
	fx_must(rc_proc_user_add(&fx.u, "cli", "li2", "周八", "A", "承办单位", fx_dg()));
	fx_token("li", t.tok[LI]);
	fx_token("li2", t.tok[LI2]);
	rc_date_format(fx.today, t.today);
	fx_start();
	return 0;
}

static void test_four_eyes(void **state)
{
	(void)state;
	char code[64], body[512];
	open_case(LI, t.person_a, code);
	json_decref(change(code, "/steps", LI, "{\"next\": \"审核\"}"));
	refused(code, "/steps", LI, "{\"next\": \"认定\"}", "four eyes");
	json_decref(change(code, "/steps", LI2, "{\"next\": \"认定\"}"));
	json_decref(change(code, "/recommend", LI2, "{}"));
	snprintf(body, sizeof(body),
		 "{\"outcome\": \"不予容错\", \"meeting_on\": \"%s\", \"legal_basis\": \"测试\"}",
		 t.today);
	refused(code, "/decision", LI, body, "four eyes");
	json_t *c = change(code, "/decision", LI2, body);
	assert_string_equal(js(json_object_get(c, "decision"), "outcome"), "不予容错");
	assert_string_equal(js(json_object_get(c, "decision"), "by"), "li2");
	json_decref(c);
}

#define MAIN_TEST(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_openapi_matches_routes),
	    MAIN_TEST(test_walk),
	    MAIN_TEST(test_validation),
	    MAIN_TEST(test_tokens),
	    MAIN_TEST(test_idempotency),
	    MAIN_TEST(test_revoked_elsewhere),
	    cmocka_unit_test_setup_teardown(test_four_eyes, setup_four_eyes, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
