/*
 * test_access.c -- the permission matrix against a running server.
 *
 * The server (http/ + web/) runs in this process on a loopback port, over
 * a fresh store holding five organisations around the users' own:
 *
 *        P province
 *        `- C city              (superior of A)
 *           |- A county         (the users' own)
 *           |  `- U unit        (subordinate)
 *           `- B county         (sibling)
 *
 * with a user at A for every role of the policy's procedure and for each
 * of the three administrators, and a case and an official in each of A, U,
 * B and C.  The test reads data/permissions.tsv with a parser of its own
 * and, for every line x every role (and no session) x every scope of the
 * object, sends the request and checks that the gate answered as the line
 * says: the log-in page for no session, 403 "无权访问" for a role the line
 * does not name, 404 "未找到" for an object out of scope, and anything
 * else (the page's own answer) when allowed.  It also checks that every
 * route the server has is in the matrix and every line a route (a route
 * left out stops the server), that another county's case answers exactly
 * like a case that does not exist, and that the lists hold only what is
 * in scope.
 *
 * The JSON API's lines (/api/v1/...) are walked the same way, with a bearer
 * token of each role's user instead of the session cookie (procedure.h,
 * API tokens): no token is the API's 401 (where a page shows the log-in),
 * 403 "forbidden" and 404 "not_found" its JSON refusals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <sqlite3.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/calendar.h"
#include "core/date.h"
#include "crypto/crypto.h"
#include "policy/policy.h"
#include "web/web.h"

#include "fixture.h"

#define PW "correct horse battery staple"

enum scope { OWN, SUB, SIB, SUP, N_SCOPES };
static const char *const scope_org[N_SCOPES] = {"A", "U", "B", "C"};
static const char *const scope_name[N_SCOPES] = {"own", "subordinate", "sibling", "superior"};
static const char *const accts[N_SCOPES] = {"acct_a", "acct_u", "acct_b", "acct_c"};

#define MAX_ROLES 32

static struct {
	char dir[4096], db[4200];
	struct rc_store *s;
	uint8_t key[RC_AUDIT_KEY_LEN];
	struct rc_unit u;
	struct rc_diags *d;
	struct rc_policy_set *set;
	struct rc_cal *cal;
	struct rc_web_app *app;
	struct rc_http_ctx ctx;
	struct rc_http_server *srv;
	int port;
	int n_roles;
	char role[MAX_ROLES][64];
	char login[MAX_ROLES][32];
	char sid[MAX_ROLES][RC_SESSION_ID_HEX];
	char token[MAX_ROLES][RC_TOKEN_LEN + 1]; /* each user's API token */
	char code[N_SCOPES][64];
	char elsewhere[64]; /* a case about the own official, handled in the sibling county */
	int64_t person[N_SCOPES];
	int64_t clar[N_SCOPES]; /* a 澄清正名 record about each official */
	const struct rc_http_route *routes[16];
} g;

static void must(enum rc_err e)
{
	if (e) {
		rc_diags_print(g.d, stderr);
		fail_msg("error %s", rc_strerror(e));
	}
}

static struct rc_diags *dg(void)
{
	rc_diags_init(g.d, "access");
	return g.d;
}

/* ---- requests: a page with the session, the API with a token ---------------- */

static const char *g_lang; /* a rc_lang cookie to send too, or NULL */

/* A page's request, with session `sid` (NULL: none) and a form body. */
static void http(const char *method, const char *path, const char *sid, const char *body,
		 struct answer *a)
{
	char cookie[96];
	const char *h[3] = {"Content-Type: application/x-www-form-urlencoded", NULL, NULL};
	if (sid || g_lang) {
		snprintf(cookie, sizeof(cookie), "Cookie: rc_session=%s%s%s", sid ? sid : "",
			 g_lang ? "; rc_lang=" : "", g_lang ? g_lang : "");
		h[1] = cookie;
	}
	fx_http(g.port, method, path, h, body ? body : "", body ? strlen(body) : 0, a);
}

/* A request of the JSON API with bearer token `tok` (NULL: none) and a
 * JSON body (NULL: none). */
static void api(const char *method, const char *path, const char *tok, const char *body,
		struct answer *a)
{
	char auth[80];
	const char *h[3] = {NULL, NULL, NULL};
	int n = 0;
	if (tok) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tok);
		h[n++] = auth;
	}
	if (body)
		h[n++] = "Content-Type: application/json";
	fx_http(g.port, method, path, h, body ? body : "", body ? strlen(body) : 0, a);
}

/* ---- the fixture ------------------------------------------------------------ */

static int role_known(const char *r)
{
	for (int i = 0; i < g.n_roles; i++)
		if (strcmp(g.role[i], r) == 0)
			return 1;
	return 0;
}

static void add_role(const char *r)
{
	if (role_known(r))
		return;
	assert_true(g.n_roles < MAX_ROLES);
	snprintf(g.role[g.n_roles], sizeof(g.role[0]), "%s", r);
	snprintf(g.login[g.n_roles], sizeof(g.login[0]), "user%d", g.n_roles);
	g.n_roles++;
}

/* Log `login` in (enrolling its authenticator first when `enrol`): the
 * new session's id into sid. */
static void login(const char *user, int enrol, char sid[RC_SESSION_ID_HEX])
{
	static int64_t t;
	struct rc_login lo;
	uint8_t sec[RC_TOTP_SECRET_LEN];
	static char secrets[MAX_ROLES + 4][RC_TOTP_SECRET_B32];
	static char names[MAX_ROLES + 4][32];
	static int n;
	int k;
	uint32_t code;
	char c6[7];
	size_t len;
	if (!t)
		t = (int64_t)time(NULL) -
		    600; /* each log-in a step after the last, all within the idle timeout */
	for (k = 0; k < n && strcmp(names[k], user) != 0; k++)
		;
	if (enrol) {
		struct rc_totp_enrolment en;
		assert_true(n < MAX_ROLES + 4);
		k = n++;
		snprintf(names[k], sizeof(names[k]), "%s", user);
		must(rc_proc_totp_enrol_begin(&g.u, user, PW, t, &en, dg()));
		snprintf(secrets[k], sizeof(secrets[k]), "%s", en.secret);
	}
	assert_true(k < n);
	assert_int_equal(rc_base32_decode(secrets[k], strlen(secrets[k]), sec, sizeof(sec), &len),
			 RC_OK);
	if (enrol) {
		assert_int_equal(rc_hotp(sec, len, (uint64_t)t / RC_TOTP_PERIOD, 6, &code), RC_OK);
		snprintf(c6, sizeof(c6), "%06u", code);
		must(rc_proc_totp_enrol_finish(&g.u, user, c6, t, dg()));
	}
	t += RC_TOTP_PERIOD;
	assert_int_equal(rc_hotp(sec, len, (uint64_t)t / RC_TOTP_PERIOD, 6, &code), RC_OK);
	snprintf(c6, sizeof(c6), "%06u", code);
	must(rc_proc_login(&g.u, user, PW, c6, t, NULL, &lo, dg()));
	snprintf(sid, RC_SESSION_ID_HEX, "%s", lo.session_id);
}

static int setup(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	char path[4300];
	int from, to;
	snprintf(g.dir, sizeof(g.dir), "%s/rc-access.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(g.dir));
	snprintf(g.db, sizeof(g.db), "%s/db.sqlite", g.dir);
	g.d = malloc(sizeof(*g.d));
	g.app = calloc(1, sizeof(*g.app));
	assert_true(g.d && g.app);
	must(rc_store_open(g.db, dg(), &g.s));
	must(rc_store_migrate(g.s, dg(), &from, &to));
	assert_int_equal(rc_random_bytes(g.key, sizeof(g.key)), RC_OK);
	g.u.store = g.s;
	g.u.key = g.key;
	must(rc_unit_init(&g.u));
	must(rc_policy_set_new(&g.set));
	snprintf(path, sizeof(path), "%s/policies", RC_SOURCE_DIR);
	must(rc_policy_set_load(g.set, path, dg()));
	must(rc_cal_new(&g.cal));
	snprintf(path, sizeof(path), "%s/data/calendar", RC_SOURCE_DIR);
	must(rc_cal_load_dir(g.cal, path, dg()));

	must(rc_proc_org_add(&g.u, "cli", "P", "示例省", "province", NULL, dg(), NULL));
	must(rc_proc_org_add(&g.u, "cli", "C", "示例市", "city", "P", dg(), NULL));
	must(rc_proc_org_add(&g.u, "cli", "A", "东湖县", "county", "C", dg(), NULL));
	must(rc_proc_org_add(&g.u, "cli", "B", "西山县", "county", "C", dg(), NULL));
	must(rc_proc_org_add(&g.u, "cli", "U", "东湖县某局", "unit", "A", dg(), NULL));

	/* every role of every loaded version's procedure, and the three
	 * administrators */
	for (int v = 0; v < rc_policy_set_count(g.set); v++) {
		struct rc_step_info si;
		const struct rc_policy *p = rc_policy_set_get(g.set, v);
		for (int i = 0; !rc_policy_step(p, i, &si); i++)
			for (int a = 0; a < si.n_actors; a++)
				add_role(si.actors[a]);
	}
	for (int i = 0; rc_admin_roles[i]; i++)
		add_role(rc_admin_roles[i]);
	for (int i = 0; i < g.n_roles; i++) {
		/* the three administrators sit at the root (三员分立), every
		 * other role at A */
		must(rc_proc_user_add(&g.u, "cli", g.login[i], "张三",
				      rc_proc_admin_role(g.role[i]) ? "P" : "A", g.role[i], dg()));
		must(rc_proc_password_set(&g.u, "cli", g.login[i], PW, 0, NULL, dg()));
		login(g.login[i], 1, g.sid[i]);
		must(rc_proc_token_create(&g.u, "cli", g.login[i], "access", 0, (int64_t)time(NULL),
					  g.token[i], NULL, dg()));
	}

	/* an account in each scope, for the 安全管理员's routes */
	for (int s = 0; s < N_SCOPES; s++)
		must(rc_proc_user_add(&g.u, "cli", accts[s], "赵六", scope_org[s], "承办单位",
				      dg()));

	/* a case and an official in each scope, opened from the province */
	must(rc_proc_user_add(&g.u, "cli", "opener", "李四", "P", "承办单位", dg()));
	must(rc_proc_user_add(&g.u, "cli", "opener_jj", "孙八", "P", "纪检", dg()));
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	int32_t today = rc_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	const struct rc_policy *p = rc_policy_set_at(g.set, today);
	assert_non_null(p);
	for (int s = 0; s < N_SCOPES; s++) {
		char name[32];
		snprintf(name, sizeof(name), "王五%d", s);
		must(rc_proc_person_add(&g.u, "cli", name, scope_org[s], "科长", NULL, dg(),
					&g.person[s]));
		struct rc_case_new c = {.person_id = g.person[s],
					.start_path = "application",
					.handling_org = scope_org[s]};
		must(rc_proc_case_open(&g.u, p, g.cal, "opener", &c, today, g.code[s],
				       sizeof(g.code[s]), dg()));
		must(rc_proc_clarify_open(&g.u, "opener_jj", g.person[s], "反映其违规审批",
					  &g.clar[s], dg()));
	}
	struct rc_case_new x = {.person_id = g.person[OWN],
				.start_path = "application",
				.handling_org = scope_org[SIB]};
	must(rc_proc_case_open(&g.u, p, g.cal, "opener", &x, today, g.elsewhere,
			       sizeof(g.elsewhere), dg()));
	/* the 当事人's account is the own unit's official, 王五0 */
	for (int i = 0; i < g.n_roles; i++)
		if (strcmp(g.role[i], "当事人") == 0)
			must(rc_proc_user_person(&g.u, "cli", g.login[i], g.person[OWN], dg()));

	/* the server, with exactly the route tables `rongcuo serve` has */
	int nt = 0;
	g.routes[nt++] = rc_http_ops_routes;
	for (int i = 0; rc_web_tables[i]; i++)
		g.routes[nt++] = rc_web_tables[i];
	for (int i = 0; rc_api_tables[i]; i++)
		g.routes[nt++] = rc_api_tables[i];
	assert_true(nt < 16);
	must(rc_web_app_init(g.app, g.key, NULL, 0));
	g.app->gated = rc_api_tables;
	must(rc_web_app_check(g.app, NULL, g.routes, dg()));
	g.app->set = g.set;
	/* as `rongcuo serve` runs: pages served again while the data holds */
	must(rc_page_cache_new(64, 256 * 1024, &g.app->pages));
	g.app->cal = g.cal;
	g.ctx = (struct rc_http_ctx){.store = g.s, .unit = &g.u, .version = "test", .app = g.app};
	struct rc_http_config cfg = {.listen = "127.0.0.1:0", .routes = g.routes, .ctx = &g.ctx};
	must(rc_http_start(&cfg, dg(), &g.srv));
	const char *addr = rc_http_address(g.srv);
	g.port = (int)strtol(strrchr(addr, ':') + 1, NULL, 10);
	assert_true(g.port > 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char p[4400];
	static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
	rc_http_stop(g.srv, 0, NULL);
	rc_store_close(g.s);
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", g.db, ext[i]);
		unlink(p);
	}
	rmdir(g.dir);
	rc_policy_set_free(g.set);
	rc_cal_free(g.cal);
	free(g.d);
	rc_page_cache_free(g.app->pages);
	free(g.app);
	return 0;
}

/* ---- the matrix, read by the test itself ----------------------------------- */

struct line {
	char method[8], route[128], who[256], scope[32];
};

static int read_matrix(struct line *out, int cap)
{
	char path[4300], buf[1024];
	int n = 0;
	snprintf(path, sizeof(path), "%s/data/permissions.tsv", RC_SOURCE_DIR);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f)) {
		struct line l;
		char extra[8];
		if (buf[0] == '#' || sscanf(buf, "%7s", l.method) != 1)
			continue;
		assert_int_equal(sscanf(buf, "%7s %127s %255s %31s %7s", l.method, l.route, l.who,
					l.scope, extra),
				 4);
		assert_true(n < cap);
		out[n++] = l;
	}
	fclose(f);
	return n;
}

/* What the line says of `role` (NULL: no session). */
static int who_allows(const char *who, const char *role)
{
	if (strcmp(who, "public") == 0)
		return 1;
	if (!role)
		return 0;
	if (strcmp(who, "user") == 0)
		return 1;
	int admin = strcmp(role, "系统管理员") == 0 || strcmp(role, "安全管理员") == 0 ||
		    strcmp(role, "审计管理员") == 0;
	if (strcmp(who, "case") == 0)
		return !admin;
	char list[260];
	snprintf(list, sizeof(list), ",%s,", who);
	char r[80];
	snprintf(r, sizeof(r), ",%s,", role);
	return strstr(list, r) != NULL;
}

/* The path of a line's route for an object in scope s. */
static void path_for(const char *route, int s, char *out, size_t cap)
{
	char idv[24];
	size_t o = 0;
	char cidv[24];
	snprintf(idv, sizeof(idv), "%lld", (long long)g.person[s]);
	snprintf(cidv, sizeof(cidv), "%lld", (long long)g.clar[s]);
	for (const char *p = route; *p && o + 1 < cap;) {
		const char *sub = NULL;
		size_t skip = 0;
		if (strncmp(p, "{code}", 6) == 0) {
			sub = g.code[s];
			skip = 6;
		} else if (strncmp(p, "{id}", 4) == 0) {
			sub = strncmp(route, "/clarifications", 15) == 0 ? cidv : idv;
			skip = 4;
		} else if (strncmp(p, "{no}", 4) == 0) {
			sub = "1";
			skip = 4;
		} else if (strncmp(p, "{login}", 7) == 0) {
			sub = accts[s];
			skip = 7;
		}
		if (sub) {
			o += (size_t)snprintf(out + o, cap - o, "%s", sub);
			p += skip;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

enum seen { SEEN_LOGIN, SEEN_DENIED, SEEN_HIDDEN, SEEN_PAGE };

static enum seen classify(const struct answer *a)
{
	if (a->status == 303 && strcmp(a->location, "/login") == 0)
		return SEEN_LOGIN;
	if (a->status == 403 && strstr(a->body, "<h1>无权访问</h1>"))
		return SEEN_DENIED;
	if (a->status == 404 && strstr(a->body, "<h1>未找到</h1>"))
		return SEEN_HIDDEN;
	return SEEN_PAGE;
}

/* The API's answers, by their JSON: no token is its "log-in page". */
static enum seen classify_api(const struct answer *a)
{
	if (a->status == 401 && strstr(a->body, "\"code\":\"unauthorized\"") &&
	    strncmp(a->www_authenticate, "Bearer", 6) == 0)
		return SEEN_LOGIN;
	if (a->status == 403 && strstr(a->body, "\"code\":\"forbidden\""))
		return SEEN_DENIED;
	if (a->status == 404 && strstr(a->body, "\"code\":\"not_found\""))
		return SEEN_HIDDEN;
	return SEEN_PAGE;
}

static const char *const seen_name[] = {"the log-in page", "403 无权访问", "404 未找到",
					"the page"};

static void test_every_route_role_scope(void **state)
{
	(void)state;
	static struct line lines[RC_ACCESS_RULES_MAX];
	int n = read_matrix(lines, RC_ACCESS_RULES_MAX), checked = 0, wrong = 0;
	assert_true(n > 20);
	for (int i = 0; i < n; i++) {
		const struct line *l = &lines[i];
		int object = strstr(l->route, "{") != NULL;
		for (int r = -1; r < g.n_roles; r++) {
			const char *role = r < 0 ? NULL : g.role[r];
			for (int s = 0; s < (object ? N_SCOPES : 1); s++) {
				char path[512], body[160], tok[RC_WEB_TOKEN_HEX],
				    fresh[RC_SESSION_ID_HEX];
				const char *sid = r < 0 ? NULL : g.sid[r];
				struct answer a;
				/* the log-out ends the session it is sent with: a
				 * session of its own each time */
				if (sid && strcmp(l->route, "/logout") == 0) {
					login(g.login[r], 0, fresh);
					sid = fresh;
				}
				path_for(l->route, s, path, sizeof(path));
				body[0] = '\0';
				int is_api = strncmp(l->route, "/api/", 5) == 0;
				if (is_api) {
					/* an empty object: the gate's answer, or the
					 * handler's own (400 naming the fields) */
					api(l->method, path, r < 0 ? NULL : g.token[r],
					    strcmp(l->method, "POST") == 0 ? "{}" : NULL, &a);
				} else {
					if (sid && strcmp(l->method, "POST") == 0) {
						assert_int_equal(
						    rc_web_token(g.app, "session", sid, tok),
						    RC_OK);
						snprintf(body, sizeof(body), "csrf=%s", tok);
					}
					http(l->method, path, sid, body, &a);
				}
				/* from the root everything is own or below; a
				 * 当事人 reaches the cases about their own official
				 * only, here the own scope's (access.c) */
				int root = role && rc_proc_admin_role(role);
				int party = role && strcmp(l->scope, "case") == 0 &&
					    rc_proc_case_scope(role) == RC_SCOPE_BY_PARTY;
				enum seen want =
				    !who_allows(l->who, role) ? (role ? SEEN_DENIED : SEEN_LOGIN)
				    : object && !root &&
					    (s == SIB || s == SUP || (party && s != OWN))
					? SEEN_HIDDEN
					: SEEN_PAGE;
				enum seen got = is_api ? classify_api(&a) : classify(&a);
				/* the log-out's own answer is the log-in page too: it
				 * ran if the session is dead afterwards */
				if (got == SEEN_LOGIN && sid == fresh) {
					struct answer after;
					http("GET", "/", sid, NULL, &after);
					if (classify(&after) == SEEN_LOGIN)
						got = SEEN_PAGE;
					free(after.body);
				}
				if (got != want) {
					fprintf(stderr,
						"%s %s as %s, %s scope: got %s (%d), the matrix "
						"says %s\n",
						l->method, path, role ? role : "(no session)",
						object ? scope_name[s] : "no", seen_name[got],
						a.status, seen_name[want]);
					wrong++;
				}
				free(a.body);
				checked++;
			}
		}
	}
	fprintf(stderr, "access: %d requests over %d lines x %d roles + no session\n", checked, n,
		g.n_roles);
	assert_int_equal(wrong, 0);
}

/* Another county's case answers exactly like a case that does not exist. */
static void test_other_org_is_nonexistent(void **state)
{
	(void)state;
	int r;
	for (r = 0; r < g.n_roles && strcmp(g.role[r], "承办单位") != 0; r++)
		;
	assert_true(r < g.n_roles);
	for (int s = SIB; s <= SUP; s++) {
		char path[256];
		struct answer other, none;
		snprintf(path, sizeof(path), "/cases/%s", g.code[s]);
		http("GET", path, g.sid[r], NULL, &other);
		http("GET", "/cases/NO-SUCH-CASE", g.sid[r], NULL, &none);
		assert_int_equal(other.status, 404);
		assert_int_equal(other.status, none.status);
		assert_string_equal(other.body, none.body);
		free(other.body);
		free(none.body);
		/* and the same for a form posted to it */
		char tok[RC_WEB_TOKEN_HEX], body[160];
		assert_int_equal(rc_web_token(g.app, "session", g.sid[r], tok), RC_OK);
		snprintf(body, sizeof(body), "csrf=%s&next=%%E5%%8F%%97%%E7%%90%%86", tok);
		snprintf(path, sizeof(path), "/cases/%s/step", g.code[s]);
		http("POST", path, g.sid[r], body, &other);
		http("POST", "/cases/NO-SUCH-CASE/step", g.sid[r], body, &none);
		assert_int_equal(other.status, 404);
		assert_string_equal(other.body, none.body);
		free(other.body);
		free(none.body);
		/* the API answers it as it answers a code nobody used: the same
		 * status, the same document, a read or a change */
		static const char *const api_reqs[][3] = {
		    {"GET", "", NULL},
		    {"GET", "/assessment", NULL},
		    {"POST", "/steps", "{\"next\": \"受理\"}"},
		    {"POST", "/facts", "{\"name\": \"谋取私利\", \"value\": false}"},
		};
		for (size_t k = 0; k < sizeof(api_reqs) / sizeof(api_reqs[0]); k++) {
			char nopath[256];
			snprintf(path, sizeof(path), "/api/v1/cases/%s%s", g.code[s],
				 api_reqs[k][1]);
			snprintf(nopath, sizeof(nopath), "/api/v1/cases/NO-SUCH-CASE%s",
				 api_reqs[k][1]);
			api(api_reqs[k][0], path, g.token[r], api_reqs[k][2], &other);
			api(api_reqs[k][0], nopath, g.token[r], api_reqs[k][2], &none);
			assert_int_equal(other.status, 404);
			assert_int_equal(none.status, 404);
			assert_string_equal(other.content_type, "application/json");
			assert_string_equal(other.body, none.body);
			free(other.body);
			free(none.body);
		}
		/* a case cannot be opened about that county's official or unit:
		 * answered as about an official or unit nobody has */
		char open[256], none_open[256];
		snprintf(open, sizeof(open),
			 "{\"person_id\": %lld, \"start_path\": \"application\", "
			 "\"handling\": \"A\"}",
			 (long long)g.person[s]);
		snprintf(none_open, sizeof(none_open),
			 "{\"person_id\": 999999, \"start_path\": \"application\", "
			 "\"handling\": \"A\"}");
		api("POST", "/api/v1/cases", g.token[r], open, &other);
		api("POST", "/api/v1/cases", g.token[r], none_open, &none);
		assert_int_equal(other.status, 409);
		assert_int_equal(none.status, 409);
		assert_non_null(strstr(other.body, "no official with id"));
		free(other.body);
		free(none.body);
		snprintf(open, sizeof(open),
			 "{\"unit\": \"%s\", \"start_path\": \"ex_officio\", \"handling\": "
			 "\"A\"}",
			 scope_org[s]);
		api("POST", "/api/v1/cases", g.token[r], open, &other);
		assert_int_equal(other.status, 409);
		assert_non_null(strstr(other.body, "no organisation with code"));
		free(other.body);
		/* and an official of that county like an id nobody has */
		snprintf(path, sizeof(path), "/api/v1/people/%lld", (long long)g.person[s]);
		api("GET", path, g.token[r], NULL, &other);
		api("GET", "/api/v1/people/999999", g.token[r], NULL, &none);
		assert_int_equal(other.status, 404);
		assert_string_equal(other.body, none.body);
		free(other.body);
		free(none.body);
	}
}

/* The lists hold what is in scope and nothing else. */
static void test_lists_in_scope(void **state)
{
	(void)state;
	int r;
	for (r = 0; r < g.n_roles && strcmp(g.role[r], "承办单位") != 0; r++)
		;
	/* an official of the own unit: the cases about them handled in the
	 * scope, not the one the sibling county handles */
	char path[64];
	struct answer pa;
	snprintf(path, sizeof(path), "/people/%lld", (long long)g.person[OWN]);
	http("GET", path, g.sid[r], NULL, &pa);
	assert_int_equal(pa.status, 200);
	assert_non_null(strstr(pa.body, g.code[OWN]));
	assert_null(strstr(pa.body, g.elsewhere));
	free(pa.body);
	static const char *const lists[] = {"/cases", "/people"};
	for (size_t k = 0; k < 2; k++) {
		struct answer a;
		http("GET", lists[k], g.sid[r], NULL, &a);
		assert_int_equal(a.status, 200);
		for (int s = 0; s < N_SCOPES; s++) {
			char needle[128];
			if (k == 0)
				snprintf(needle, sizeof(needle), ">%s</a>", g.code[s]);
			else
				snprintf(needle, sizeof(needle), ">王五%d</a>", s);
			int in = strstr(a.body, needle) != NULL;
			if (in != (s == OWN || s == SUB))
				fail_msg("%s: %s scope's %s %s", lists[k], scope_name[s], needle,
					 in ? "shown" : "missing");
		}
		free(a.body);
	}
}

/* The role's index, or fail. */
static int role_index(const char *role)
{
	for (int r = 0; r < g.n_roles; r++)
		if (strcmp(g.role[r], role) == 0)
			return r;
	fail_msg("no user of role %s", role);
	return -1;
}

/* Which of the cases a session's list shows and which case files it opens:
 * bit s for g.code[s], bit N_SCOPES for g.elsewhere. */
static unsigned reach_of(const char *sid)
{
	unsigned list = 0, files = 0;
	struct answer a;
	http("GET", "/cases", sid, NULL, &a);
	assert_int_equal(a.status, 200);
	for (int s = 0; s <= N_SCOPES; s++) {
		char needle[128], path[128];
		const char *code = s < N_SCOPES ? g.code[s] : g.elsewhere;
		struct answer f;
		snprintf(needle, sizeof(needle), ">%s</a>", code);
		list |= (strstr(a.body, needle) != NULL) << s;
		snprintf(path, sizeof(path), "/cases/%s", code);
		http("GET", path, sid, NULL, &f);
		files |= (f.status == 200) << s;
		free(f.body);
	}
	free(a.body);
	assert_int_equal(list, files); /* the list shows exactly what opens */
	return list;
}

/* The party roles' scope: a 当事人 reaches the cases about their own
 * official wherever they are handled, and nothing else (none before the
 * account is tied to its official); a 所在单位 the cases about an official
 * of its organisation or below, wherever handled; a department the cases
 * its organisation or one below handles. */
static void test_party_scope(void **state)
{
	(void)state;
	const unsigned own = 1u << OWN, sub = 1u << SUB, elsewhere = 1u << N_SCOPES;
	assert_int_equal(reach_of(g.sid[role_index("当事人")]), own | elsewhere);
	assert_int_equal(reach_of(g.sid[role_index("所在单位")]), own | sub | elsewhere);
	/* the case file of the party roles lacks the departments' deliberation
	 * and the audit rows; a department's has them */
	{
		char path[128];
		struct answer pg, api_doc;
		snprintf(path, sizeof(path), "/cases/%s", g.code[OWN]);
		http("GET", path, g.sid[role_index("当事人")], NULL, &pg);
		assert_int_equal(pg.status, 200);
		assert_non_null(strstr(pg.body, "无审计记录。"));
		free(pg.body);
		http("GET", path, g.sid[role_index("承办单位")], NULL, &pg);
		assert_null(strstr(pg.body, "无审计记录。"));
		free(pg.body);
		snprintf(path, sizeof(path), "/api/v1/cases/%s", g.code[OWN]);
		api("GET", path, g.token[role_index("所在单位")], NULL, &api_doc);
		assert_int_equal(api_doc.status, 200);
		assert_null(strstr(api_doc.body, "case.open"));
		free(api_doc.body);
		api("GET", path, g.token[role_index("承办单位")], NULL, &api_doc);
		assert_non_null(strstr(api_doc.body, "case.open"));
		free(api_doc.body);
	}
	/* its unit filter is the subject's, and says so */
	{
		struct answer l;
		http("GET", "/cases?unit=U", g.sid[role_index("所在单位")], NULL, &l);
		assert_int_equal(l.status, 200);
		assert_non_null(strstr(l.body, "涉及单位代码"));
		char needle[128];
		snprintf(needle, sizeof(needle), ">%s</a>", g.code[SUB]);
		assert_non_null(strstr(l.body, needle)); /* about U's official */
		snprintf(needle, sizeof(needle), ">%s</a>", g.code[OWN]);
		assert_null(strstr(l.body, needle));
		free(l.body);
	}
	assert_int_equal(reach_of(g.sid[role_index("承办单位")]), own | sub);

	/* an account not tied to its official reaches nothing */
	char sid[RC_SESSION_ID_HEX];
	must(rc_proc_user_add(&g.u, "cli", "party_untied", "周九", "A", "当事人", dg()));
	must(rc_proc_password_set(&g.u, "cli", "party_untied", PW, 0, NULL, dg()));
	login("party_untied", 1, sid);
	assert_int_equal(reach_of(sid), 0);
	/* 安全管理员 ties it on 用户管理: then it reaches its official's cases */
	{
		int sec = role_index("安全管理员");
		char tok[RC_WEB_TOKEN_HEX], body[160];
		struct answer t;
		assert_int_equal(rc_web_token(g.app, "session", g.sid[sec], tok), RC_OK);
		snprintf(body, sizeof(body), "csrf=%s&person=x1", tok);
		http("POST", "/admin/users/party_untied/person", g.sid[sec], body, &t);
		assert_int_equal(t.status, 400);
		free(t.body);
		snprintf(body, sizeof(body), "csrf=%s&person=%lld", tok, (long long)g.person[SIB]);
		http("POST", "/admin/users/party_untied/person", g.sid[sec], body, &t);
		assert_int_equal(t.status, 409); /* another county's official */
		free(t.body);
		assert_int_equal(reach_of(sid), 0);
		snprintf(body, sizeof(body), "csrf=%s&person=%lld", tok, (long long)g.person[OWN]);
		http("POST", "/admin/users/party_untied/person", g.sid[sec], body, &t);
		assert_int_equal(t.status, 409); /* 王五0 is the 当事人 account's already */
		assert_non_null(strstr(t.body, "already the official of another"));
		free(t.body);
		assert_int_equal(reach_of(sid), 0);
		/* the other official of the own unit: the page then says whom */
		int64_t id;
		must(rc_proc_person_add(&g.u, "cli", "周九", "A", "科员", NULL, dg(), &id));
		snprintf(body, sizeof(body), "csrf=%s&person=%lld", tok, (long long)id);
		http("POST", "/admin/users/party_untied/person", g.sid[sec], body, &t);
		assert_int_equal(t.status, 200);
		char shown[64];
		snprintf(shown, sizeof(shown), "本人：周九（编号 %lld）", (long long)id);
		assert_non_null(strstr(t.body, shown));
		free(t.body);
		assert_int_equal(reach_of(sid), 0); /* no case is about 周九 */
	}

	/* tying is for a 当事人's account only, to an official of its unit */
	assert_int_equal(rc_proc_user_person(&g.u, "cli", "acct_a", g.person[OWN], dg()),
			 RC_ERR_RANGE);
	assert_int_equal(rc_proc_user_person(&g.u, "cli", "party_untied", g.person[SIB], dg()),
			 RC_ERR_RANGE);
	assert_int_equal(rc_proc_user_person(&g.u, "cli", "party_untied", 999999, dg()),
			 RC_ERR_NAME);

	/* a 当事人 applies about themselves, to their organisation or one
	 * above it; never about a colleague -- whom the form does not offer */
	int p = role_index("当事人");
	struct answer a;
	http("GET", "/cases/new", g.sid[p], NULL, &a);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, ">王五0("));
	assert_null(strstr(a.body, ">王五1("));
	assert_non_null(strstr(a.body, "value=\"C\"")); /* the city above, to apply to */
	free(a.body);
	char body[256];
	snprintf(body, sizeof(body),
		 "{\"person_id\": %lld, \"start_path\": \"application\", \"handling\": \"C\"}",
		 (long long)g.person[OWN]);
	api("POST", "/api/v1/cases", g.token[p], body, &a);
	assert_int_equal(a.status, 201);
	char own_app[64] = "";
	{
		const char *k = strstr(a.body, "\"code\"");
		assert_non_null(k);
		assert_int_equal(sscanf(k, "\"code\": \"%63[^\"]\"", own_app) == 1 ||
				     sscanf(k, "\"code\":\"%63[^\"]\"", own_app) == 1,
				 1);
	}
	free(a.body);
	/* what the party roles may not do on the cases they reach: the facts
	 * and the recommendation are the handling departments'; an
	 * application is withdrawn by who made it */
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/cases/%s/facts", own_app);
	api("POST", path, g.token[p], "{\"name\": \"谋取私利\", \"value\": false}", &a);
	assert_int_equal(a.status, 409);
	assert_non_null(strstr(a.body, "handling departments' findings"));
	free(a.body);
	snprintf(path, sizeof(path), "/api/v1/cases/%s/recommend", own_app);
	api("POST", path, g.token[p], "{}", &a);
	assert_int_equal(a.status, 409);
	assert_non_null(strstr(a.body, "recommendation is made by the departments"));
	free(a.body);
	snprintf(path, sizeof(path), "/api/v1/cases/%s/withdraw", own_app);
	api("POST", path, g.token[role_index("所在单位")], "{\"reason\": \"撤回\"}", &a);
	assert_int_equal(a.status, 409);
	assert_non_null(strstr(a.body, "withdraws only an application it made"));
	free(a.body);
	api("POST", path, g.token[p], "{\"reason\": \"撤回\"}", &a);
	assert_int_equal(a.status, 200);
	free(a.body);
	/* the deciding committee is the handling unit's or one above it */
	api("POST", "/api/v1/cases", g.token[role_index("承办单位")],
	    "{\"unit\": \"A\", \"start_path\": \"ex_officio\", \"handling\": \"A\", "
	    "\"committee\": \"B\"}",
	    &a);
	assert_int_equal(a.status, 409);
	assert_non_null(strstr(a.body, "not the handling unit"));
	free(a.body);
	/* a code nobody has is answered as one out of reach, never dropped */
	{
		struct answer none;
		api("POST", "/api/v1/cases", g.token[role_index("承办单位")],
		    "{\"unit\": \"A\", \"start_path\": \"ex_officio\", \"handling\": \"A\", "
		    "\"committee\": \"NOPE\"}",
		    &none);
		assert_int_equal(none.status, 409);
		assert_non_null(strstr(none.body, "not the handling unit"));
		free(none.body);
		api("POST", "/api/v1/cases", g.token[role_index("承办单位")],
		    "{\"unit\": \"A\", \"start_path\": \"ex_officio\", \"handling\": \"B\"}", &a);
		api("POST", "/api/v1/cases", g.token[role_index("承办单位")],
		    "{\"unit\": \"A\", \"start_path\": \"ex_officio\", \"handling\": \"NOPE\"}",
		    &none);
		assert_int_equal(a.status, none.status);
		char *ka = strstr(a.body, "is not in organisation"),
		     *kn = strstr(none.body, "is not in organisation");
		assert_non_null(ka);
		assert_non_null(kn);
		free(a.body);
		free(none.body);
	}
	snprintf(body, sizeof(body),
		 "{\"person_id\": %lld, \"start_path\": \"application\", \"handling\": \"A\"}",
		 (long long)g.person[SUB]);
	api("POST", "/api/v1/cases", g.token[p], body, &a);
	assert_int_equal(a.status, 409);
	assert_non_null(strstr(a.body, "applies about themselves"));
	free(a.body);
	/* a department still opens only for its organisation or below */
	snprintf(body, sizeof(body),
		 "{\"person_id\": %lld, \"start_path\": \"application\", \"handling\": \"C\"}",
		 (long long)g.person[OWN]);
	api("POST", "/api/v1/cases", g.token[role_index("承办单位")], body, &a);
	assert_int_equal(a.status, 409);
	free(a.body);
}

/* The audit chain's verification is never a page served again: an edit of
 * an old row writes no row, so the data's version stays, and a kept page
 * would go on saying the chain is whole. */
static void test_audit_verify_not_kept(void **state)
{
	(void)state;
	int r = role_index("审计管理员");
	struct answer a;
	sqlite3 *db;
	char old[256] = "";
	sqlite3_stmt *st;
	http("GET", "/admin/audit?verify=1", g.sid[r], NULL, &a);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "校验通过"));
	free(a.body);
	assert_int_equal(sqlite3_open(g.db, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "SELECT object FROM audit WHERE seq = 2", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(old, sizeof(old), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_exec(db, "UPDATE audit SET object = 'org:TAMPERED' WHERE seq = 2",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	http("GET", "/admin/audit?verify=1", g.sid[r], NULL, &a);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "校验未通过"));
	free(a.body);
	/* as it was, for the tests after this one */
	assert_int_equal(
	    sqlite3_prepare_v2(db, "UPDATE audit SET object = ?1 WHERE seq = 2", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, old, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* A route the matrix lacks, or a line without a route, stops the server. */
static void test_matrix_covers_routes(void **state)
{
	(void)state;
	struct rc_web_app *app = calloc(1, sizeof(*app));
	char *text = strdup(rc_access_matrix_text), *cut;
	assert_true(app && text);
	/* the API's gate enforces the matrix too: its routes must not be public */
	app->gated = rc_api_tables;
	/* the real matrix and routes agree */
	must(rc_web_app_check(app, NULL, g.routes, dg()));
	/* an API line removed: its route is reported */
	assert_non_null(cut = strstr(text, "POST\t/api/v1/cases/{code}/decision\t"));
	memset(cut, ' ', strcspn(cut, "\n"));
	assert_int_equal(rc_web_app_check(app, text, g.routes, dg()), RC_ERR_INTERNAL);
	assert_non_null(strstr(g.d->items[0].msg, "POST /api/v1/cases/{code}/decision"));
	free(text);
	assert_non_null(text = strdup(rc_access_matrix_text));
	/* without being told the API is gated, its routes would have to be
	 * public: the check does not let a gated table pass unnoticed */
	app->gated = NULL;
	assert_int_equal(rc_web_app_check(app, NULL, g.routes, dg()), RC_ERR_INTERNAL);
	assert_non_null(strstr(g.d->items[0].msg, "must say public"));
	app->gated = rc_api_tables;
	/* one line removed: the route it named is reported */
	assert_non_null(cut = strstr(text, "GET\t/cases/{code}\t"));
	memset(cut, ' ', strcspn(cut, "\n"));
	assert_int_equal(rc_web_app_check(app, text, g.routes, dg()), RC_ERR_INTERNAL);
	assert_non_null(strstr(g.d->items[0].msg, "GET /cases/{code}"));
	/* a line naming no route */
	free(text);
	size_t len = strlen(rc_access_matrix_text);
	text = malloc(len + 64);
	assert_non_null(text);
	snprintf(text, len + 64, "%sGET /nowhere user -\n", rc_access_matrix_text);
	assert_int_equal(rc_web_app_check(app, text, g.routes, dg()), RC_ERR_INTERNAL);
	assert_non_null(strstr(g.d->items[0].msg, "/nowhere"));
	/* a route outside the gate that the matrix does not make public */
	snprintf(text, len + 64, "%s", rc_access_matrix_text);
	assert_non_null(cut = strstr(text, "GET\t/metrics\t\t\t\tpublic"));
	memcpy(cut + strlen("GET\t/metrics\t\t\t\t"), "user  ", 6);
	assert_int_equal(rc_web_app_check(app, text, g.routes, dg()), RC_ERR_INTERNAL);
	assert_non_null(strstr(g.d->items[0].msg, "public"));
	/* malformed lines */
	assert_int_equal(rc_web_app_check(app, "GET /x\n", g.routes, dg()), RC_ERR_SYNTAX);
	assert_int_equal(rc_web_app_check(app, "FETCH /x user -\n", g.routes, dg()), RC_ERR_SYNTAX);
	assert_int_equal(rc_web_app_check(app, "GET /x nobody,,x -\n", g.routes, dg()),
			 RC_ERR_SYNTAX);
	assert_int_equal(rc_web_app_check(app, "GET /x user case\n", g.routes, dg()),
			 RC_ERR_SYNTAX);
	assert_int_equal(rc_web_app_check(app, "GET /x user -\nGET /x case -\n", g.routes, dg()),
			 RC_ERR_SYNTAX);
	free(text);
	free(app);
}

/* A form with a list of choices is read against that list: a 澄清正名 about
 * an official of the scope is opened, one about another county's is not
 * (it was refused for everyone once, when the list was not loaded for
 * the submission). */
static void test_form_choices(void **state)
{
	(void)state;
	int r;
	char tok[RC_WEB_TOKEN_HEX], body[256];
	struct answer a;
	for (r = 0; r < g.n_roles && strcmp(g.role[r], "纪检") != 0; r++)
		;
	assert_true(r < g.n_roles);
	assert_int_equal(rc_web_token(g.app, "session", g.sid[r], tok), RC_OK);
	snprintf(body, sizeof(body), "csrf=%s&person=%lld&complaint=x", tok,
		 (long long)g.person[OWN]);
	http("POST", "/clarifications", g.sid[r], body, &a);
	assert_int_equal(a.status, 303);
	assert_true(strncmp(a.location, "/clarifications/", 16) == 0);
	free(a.body);
	snprintf(body, sizeof(body), "csrf=%s&person=%lld&complaint=x", tok,
		 (long long)g.person[SIB]);
	http("POST", "/clarifications", g.sid[r], body, &a);
	assert_int_equal(a.status, 400);
	free(a.body);
	/* a text area with a line break: the procedure keeps texts on one
	 * line, and the page says so at the field */
	snprintf(body, sizeof(body), "csrf=%s&person=%lld&complaint=a%%0Ab", tok,
		 (long long)g.person[OWN]);
	http("POST", "/clarifications", g.sid[r], body, &a);
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.body, "请写成一段，不要换行。"));
	free(a.body);
}

/* A page served again is the page that would be rendered now: a change
 * of the data shows at the next request, and one user's page is never
 * another's. */
static void test_pages_kept(void **state)
{
	(void)state;
	int r, j;
	char path[128], tok[RC_WEB_TOKEN_HEX], body[256];
	struct answer a, b, c, d;
	for (r = 0; r < g.n_roles && strcmp(g.role[r], "承办单位") != 0; r++)
		;
	for (j = 0; j < g.n_roles && strcmp(g.role[j], "纪检") != 0; j++)
		;
	snprintf(path, sizeof(path), "/cases/%s", g.code[OWN]);
	http("GET", path, g.sid[r], NULL, &a);
	http("GET", path, g.sid[r], NULL, &b);
	assert_int_equal(a.status, 200);
	assert_string_equal(a.body, b.body); /* nothing changed: the same page */
	assert_null(strstr(a.body, "银行流水"));
	/* another user: their own page, not the first one's */
	http("GET", path, g.sid[j], NULL, &c);
	assert_int_equal(c.status, 200);
	assert_non_null(strstr(c.body, g.login[j]));
	assert_null(strstr(c.body, g.login[r]));
	free(b.body);
	free(c.body);
	/* a change: the next request shows it */
	assert_int_equal(rc_web_token(g.app, "session", g.sid[r], tok), RC_OK);
	snprintf(body, sizeof(body),
		 "csrf=%s&name=%%E8%%B0%%8B%%E5%%8F%%96%%E7%%A7%%81%%E5%%88%%A9&value=false"
		 "&evidence=%%E9%%93%%B6%%E8%%A1%%8C%%E6%%B5%%81%%E6%%B0%%B4",
		 tok); /* name=谋取私利, evidence=银行流水 */
	snprintf(path, sizeof(path), "/cases/%s/facts", g.code[OWN]);
	http("POST", path, g.sid[r], body, &d);
	assert_int_equal(d.status, 303);
	free(d.body);
	snprintf(path, sizeof(path), "/cases/%s", g.code[OWN]);
	http("GET", path, g.sid[r], NULL, &b);
	assert_int_equal(b.status, 200);
	assert_non_null(strstr(b.body, "银行流水"));
	assert_string_not_equal(a.body, b.body);
	free(a.body);
	free(b.body);
}

/* A password changed outside a forced change asks for the current one
 * (ASVS V2.1.5): a wrong one changes nothing.  Last: it changes a password. */
static void test_password_needs_current(void **state)
{
	(void)state;
	int r;
	char tok[RC_WEB_TOKEN_HEX], body[512];
	struct answer a;
	for (r = 0; r < g.n_roles && strcmp(g.role[r], "承办单位") != 0; r++)
		;
	assert_int_equal(rc_web_token(g.app, "session", g.sid[r], tok), RC_OK);
	http("GET", "/password", g.sid[r], NULL, &a);
	assert_non_null(strstr(a.body, "name=\"current\""));
	free(a.body);
	snprintf(body, sizeof(body), "csrf=%s&current=wrong+password+1&new=%s&again=%s", tok,
		 "another+password+2024", "another+password+2024");
	http("POST", "/password", g.sid[r], body, &a);
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.body, "当前密码不正确"));
	free(a.body);
	snprintf(body, sizeof(body), "csrf=%s&current=correct+horse+battery+staple&new=%s&again=%s",
		 tok, "another+password+2024", "another+password+2024");
	http("POST", "/password", g.sid[r], body, &a);
	assert_int_equal(a.status, 303);
	free(a.body);
}

/* English pages through the server, and the switch's redirect stays on
 * this site. */
static void test_english(void **state)
{
	(void)state;
	int r;
	struct answer a;
	for (r = 0; r < g.n_roles && strcmp(g.role[r], "承办单位") != 0; r++)
		;
	g_lang = "en";
	http("GET", "/tasks", g.sid[r], NULL, &a);
	g_lang = NULL;
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "<html lang=\"en\">"));
	assert_non_null(strstr(a.body, "<h1>My tasks</h1>"));
	assert_null(strstr(a.body, "我的任务"));
	free(a.body);
	http("GET", "/tasks", g.sid[r], NULL, &a);
	assert_non_null(strstr(a.body, "<h1>我的任务</h1>"));
	free(a.body);
	/* the calendar's years are cells of their rows */
	for (r = 0; r < g.n_roles && strcmp(g.role[r], "系统管理员") != 0; r++)
		;
	http("GET", "/admin/calendar", g.sid[r], NULL, &a);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "<tr><td>2024</td>"));
	free(a.body);
	http("GET", "/lang?to=en&next=/cases", NULL, NULL, &a);
	assert_int_equal(a.status, 303);
	assert_string_equal(a.location, "/cases");
	free(a.body);
	/* "/%09/evil": a browser drops the tab and goes to //evil */
	static const char *const away[] = {
	    "//evil.example/x",   "/\\evil",   "http://evil", "",
	    "/%09/evil.example/", "/%0d%0a/x", "/a%20b",      "/%5c/evil"};
	for (size_t i = 0; i < sizeof(away) / sizeof(away[0]); i++) {
		char path[128];
		snprintf(path, sizeof(path), "/lang?to=en&next=%s", away[i]);
		http("GET", path, NULL, NULL, &a);
		assert_int_equal(a.status, 303);
		assert_string_equal(a.location, "/");
		free(a.body);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_matrix_covers_routes),
	    cmocka_unit_test(test_every_route_role_scope),
	    cmocka_unit_test(test_other_org_is_nonexistent),
	    cmocka_unit_test(test_lists_in_scope),
	    cmocka_unit_test(test_party_scope),
	    cmocka_unit_test(test_audit_verify_not_kept),
	    cmocka_unit_test(test_english),
	    cmocka_unit_test(test_form_choices),
	    cmocka_unit_test(test_pages_kept),
	    cmocka_unit_test(test_password_needs_current),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
