/*
 * fixture.h -- what the tests of the web pages and of the JSON API share:
 * a fresh store with its audit key and unit of work, the policy versions
 * and the calendar, `rongcuo serve`'s route tables served in this process
 * on a loopback port, and a minimal HTTP client.
 *
 * Included by exactly one file of each test binary (tests/web/test_access.c,
 * which takes the HTTP client, and tests/api/test_api.c, which takes it
 * all), after <cmocka.h>: its functions are static, and marked unused
 * because no test uses them all.
 */
#ifndef RC_TESTS_WEB_FIXTURE_H
#define RC_TESTS_WEB_FIXTURE_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "core/calendar.h"
#include "core/date.h"
#include "crypto/crypto.h"
#include "policy/policy.h"
#include "web/web.h"

#define FX_FN static __attribute__((unused))

static __attribute__((unused)) struct {
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
	int32_t today; /* the users' day, as the gates count it */
	const struct rc_http_route *routes[16];
} fx;

FX_FN void fx_must(enum rc_err e)
{
	if (e) {
		rc_diags_print(fx.d, stderr);
		fail_msg("error %s", rc_strerror(e));
	}
}

/* A cleared diagnostics list (one for the whole test binary). */
FX_FN struct rc_diags *fx_dg(void)
{
	rc_diags_init(fx.d, "fixture");
	return fx.d;
}

/* A fresh data directory under $TMPDIR named NAME.XXXXXX: the store
 * migrated, an audit key, the unit of work; the policy versions of
 * `policy` (a file or directory of the source tree) and the calendar. */
FX_FN void fx_open(const char *name, const char *policy)
{
	const char *tmp = getenv("TMPDIR");
	char path[4300];
	int from, to;
	time_t now = time(NULL);
	struct tm tm;
	memset(&fx, 0, sizeof(fx));
	snprintf(fx.dir, sizeof(fx.dir), "%s/%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
	assert_non_null(mkdtemp(fx.dir));
	snprintf(fx.db, sizeof(fx.db), "%s/db.sqlite", fx.dir);
	fx.d = malloc(sizeof(*fx.d));
	fx.app = calloc(1, sizeof(*fx.app));
	assert_true(fx.d && fx.app);
	fx_must(rc_store_open(fx.db, fx_dg(), &fx.s));
	fx_must(rc_store_migrate(fx.s, fx_dg(), &from, &to));
	assert_int_equal(rc_random_bytes(fx.key, sizeof(fx.key)), RC_OK);
	fx.u.store = fx.s;
	fx.u.key = fx.key;
	fx_must(rc_unit_init(&fx.u));
	fx_must(rc_policy_set_new(&fx.set));
	snprintf(path, sizeof(path), "%s/%s", RC_SOURCE_DIR, policy);
	fx_must(rc_policy_set_load(fx.set, path, fx_dg()));
	fx_must(rc_cal_new(&fx.cal));
	snprintf(path, sizeof(path), "%s/data/calendar", RC_SOURCE_DIR);
	fx_must(rc_cal_load_dir(fx.cal, path, fx_dg()));
	localtime_r(&now, &tm);
	fx.today = rc_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* The server, with exactly the route tables `rongcuo serve` has (the
 * ops', the pages', the API's), after the matrix is checked against them. */
FX_FN void fx_start(void)
{
	int n = 0;
	fx.routes[n++] = rc_http_ops_routes;
	for (int i = 0; rc_web_tables[i]; i++)
		fx.routes[n++] = rc_web_tables[i];
	for (int i = 0; rc_api_tables[i]; i++)
		fx.routes[n++] = rc_api_tables[i];
	assert_true(n < 16);
	fx_must(rc_web_app_init(fx.app, fx.key, NULL, 0));
	fx.app->gated = rc_api_tables;
	fx_must(rc_web_app_check(fx.app, NULL, fx.routes, fx_dg()));
	fx.app->set = fx.set;
	fx.app->cal = fx.cal;
	fx.ctx =
	    (struct rc_http_ctx){.store = fx.s, .unit = &fx.u, .version = "test", .app = fx.app};
	struct rc_http_config cfg = {
	    .listen = "127.0.0.1:0", .routes = fx.routes, .ctx = &fx.ctx, .json_prefix = "/api/"};
	fx_must(rc_http_start(&cfg, fx_dg(), &fx.srv));
	const char *addr = rc_http_address(fx.srv);
	fx.port = (int)strtol(strrchr(addr, ':') + 1, NULL, 10);
	assert_true(fx.port > 0);
}

FX_FN void fx_close(void)
{
	char p[4400];
	static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
	rc_http_stop(fx.srv, 0, NULL);
	rc_store_close(fx.s);
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", fx.db, ext[i]);
		unlink(p);
	}
	rmdir(fx.dir);
	rc_policy_set_free(fx.set);
	rc_cal_free(fx.cal);
	free(fx.d);
	free(fx.app);
}

/* A bearer token of the JSON API for `login` (procedure.h, API tokens). */
FX_FN void fx_token(const char *login, char tok[RC_TOKEN_LEN + 1])
{
	fx_must(rc_proc_token_create(&fx.u, "cli", login, "test", 0, (int64_t)time(NULL), tok, NULL,
				     fx_dg()));
}

/* ---- a minimal HTTP client ---------------------------------------------- */

struct answer {
	int status;
	char location[256];
	char content_type[128];
	char www_authenticate[256];
	char *body; /* malloc'd, NUL-terminated; free it */
};

/* The value of response header `name` (as the server writes it) in
 * head[0..end) into out. */
FX_FN void fx_header(const char *resp, const char *end, const char *name, char *out, size_t cap)
{
	char key[64];
	snprintf(key, sizeof(key), "\r\n%s: ", name);
	const char *h = strstr(resp, key);
	out[0] = '\0';
	if (h && h < end) {
		h += strlen(key);
		size_t n = strcspn(h, "\r");
		snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), h);
	}
}

/* One request to the server on loopback port `port`, on a connection of
 * its own: `headers` are whole lines without their CRLF (NULL-terminated
 * list, or NULL), then the body body[0..body_len) with its
 * Content-Length. */
FX_FN void fx_http(int port, const char *method, const char *path, const char *const *headers,
		   const char *body, size_t body_len, struct answer *a)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	char head[8192], *resp = NULL;
	size_t len = 0, cap = 0;
	int n;
	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	n = snprintf(head, sizeof(head),
		     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n", method, path);
	for (int i = 0; headers && headers[i]; i++)
		n += snprintf(head + n, sizeof(head) - (size_t)n, "%s\r\n", headers[i]);
	n += snprintf(head + n, sizeof(head) - (size_t)n, "Content-Length: %zu\r\n\r\n", body_len);
	assert_true(n > 0 && (size_t)n < sizeof(head));
	assert_int_equal(send(fd, head, (size_t)n, MSG_NOSIGNAL), n);
	/* a body the server refuses early is not read: a failed send is then
	 * the server's answer, read below */
	for (size_t off = 0; off < body_len;) {
		ssize_t w = send(fd, body + off, body_len - off, MSG_NOSIGNAL);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? 2 * cap : 131072;
			resp = realloc(resp, cap);
			assert_non_null(resp);
		}
		ssize_t r = recv(fd, resp + len, cap - len - 1, 0);
		if (r <= 0)
			break; /* the end, or a reset after an early answer */
		len += (size_t)r;
	}
	close(fd);
	resp[len] = '\0';
	memset(a, 0, sizeof(*a));
	assert_int_equal(sscanf(resp, "HTTP/1.1 %d", &a->status), 1);
	const char *end = strstr(resp, "\r\n\r\n");
	assert_non_null(end);
	fx_header(resp, end, "Location", a->location, sizeof(a->location));
	fx_header(resp, end, "Content-Type", a->content_type, sizeof(a->content_type));
	fx_header(resp, end, "WWW-Authenticate", a->www_authenticate, sizeof(a->www_authenticate));
	a->body = strdup(end + 4);
	free(resp);
}

/* ---- a session, as the log-in page makes one ------------------------------- */

/* Log `user` (password `pw`) in as the log-in pages do: enrol its
 * authenticator with the code of a step two minutes ago, then log in with
 * the next step's code (a code is good once).  The session's id into sid. */
FX_FN void fx_login(const char *user, const char *pw, char sid[RC_SESSION_ID_HEX])
{
	int64_t now = (int64_t)time(NULL) - 120;
	struct rc_totp_enrolment en;
	struct rc_login lo;
	uint8_t sec[RC_TOTP_SECRET_LEN];
	size_t len;
	uint32_t code;
	char c6[7];
	fx_must(rc_proc_totp_enrol_begin(&fx.u, user, pw, now, &en, fx_dg()));
	assert_int_equal(rc_base32_decode(en.secret, strlen(en.secret), sec, sizeof(sec), &len),
			 RC_OK);
	assert_int_equal(rc_hotp(sec, len, (uint64_t)now / RC_TOTP_PERIOD, 6, &code), RC_OK);
	snprintf(c6, sizeof(c6), "%06u", code);
	fx_must(rc_proc_totp_enrol_finish(&fx.u, user, c6, now, fx_dg()));
	now += RC_TOTP_PERIOD;
	assert_int_equal(rc_hotp(sec, len, (uint64_t)now / RC_TOTP_PERIOD, 6, &code), RC_OK);
	snprintf(c6, sizeof(c6), "%06u", code);
	fx_must(rc_proc_login(&fx.u, user, pw, c6, now, NULL, &lo, fx_dg()));
	snprintf(sid, RC_SESSION_ID_HEX, "%s", lo.session_id);
}

/* ---- multipart bodies, as a browser builds them --------------------------- */

#define FX_BOUNDARY "----WebKitFormBoundaryRc7uP1oAd"

FX_FN void fx_part(struct rc_buf *b, const char *name, const char *data, size_t len)
{
	assert_int_equal(rc_buf_printf(b,
				       "--" FX_BOUNDARY "\r\n"
				       "Content-Disposition: form-data; name=\"%s\"\r\n\r\n",
				       name),
			 RC_OK);
	assert_int_equal(rc_buf_append(b, data, len), RC_OK);
	assert_int_equal(rc_buf_puts(b, "\r\n"), RC_OK);
}

/* A file part named "file"; no file chosen is filename "" and no bytes,
 * as browsers send it. */
FX_FN void fx_file_part(struct rc_buf *b, const char *filename, const char *data, size_t len)
{
	assert_int_equal(rc_buf_printf(b,
				       "--" FX_BOUNDARY "\r\n"
				       "Content-Disposition: form-data; name=\"file\"; "
				       "filename=\"%s\"\r\n"
				       "Content-Type: application/octet-stream\r\n\r\n",
				       filename),
			 RC_OK);
	assert_int_equal(rc_buf_append(b, data, len), RC_OK);
	assert_int_equal(rc_buf_puts(b, "\r\n"), RC_OK);
}

FX_FN void fx_part_end(struct rc_buf *b)
{
	assert_int_equal(rc_buf_puts(b, "--" FX_BOUNDARY "--\r\n"), RC_OK);
}

#endif
