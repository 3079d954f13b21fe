/*
 * test_threads.c -- a server with several threads (http.h, Threads): the
 * requests really run at the same time, each with a store connection of
 * its own, which is also its unit's; a server with one thread and no pool
 * is as before; more threads without a pool are refused.
 *
 * No timing is measured.  The handler of /meet waits until N requests are
 * inside handlers at once (a meeting point with a condition variable), so
 * the test passes only if the server runs N handlers concurrently; a
 * server that ran them one at a time would never let the first one out,
 * and the generous wait then fails the test instead of hanging it.  The
 * clients connect one after the other, each once the one before is inside
 * its handler: an MHD thread takes every connection pending when it
 * accepts, so connections made at one instant may all be one thread's,
 * while one made when that thread is busy is another's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/http_int.h"

#define N 4

static struct {
	pthread_mutex_t lock;
	pthread_cond_t all_in, arrived;
	int inside, released, timed_out;
	const void *stores[N]; /* the store each request saw */
	int unit_ok[N];        /* its unit's store was the same */
	int slots[N];          /* its slot */
	int n_seen;
} meet = {.lock = PTHREAD_MUTEX_INITIALIZER,
	  .all_in = PTHREAD_COND_INITIALIZER,
	  .arrived = PTHREAD_COND_INITIALIZER};

static enum rc_err meet_handler(struct rc_http_req *req, struct rc_http_resp *resp)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 30; /* only a broken server waits this long */
	pthread_mutex_lock(&meet.lock);
	int me = meet.n_seen++;
	pthread_cond_broadcast(&meet.arrived);
	if (me < N) {
		meet.stores[me] = req->ctx->store;
		meet.unit_ok[me] = req->ctx->unit && req->ctx->unit->store == req->ctx->store;
		meet.slots[me] = req->ctx->slot;
	}
	meet.inside++;
	if (meet.inside == N) {
		meet.released = 1;
		pthread_cond_broadcast(&meet.all_in);
	}
	while (!meet.released && !meet.timed_out)
		if (pthread_cond_timedwait(&meet.all_in, &meet.lock, &until) != 0)
			meet.timed_out = 1;
	pthread_mutex_unlock(&meet.lock);
	return rc_buf_puts(&resp->body, "met\n");
}

/* A handler that fails half-way, inside a transaction, with a statement
 * left on its row. */
static enum rc_err broken_handler(struct rc_http_req *req, struct rc_http_resp *resp)
{
	struct rc_stmt *st;
	int row;
	(void)resp;
	if (rc_store_begin_read(req->ctx->store) ||
	    rc_store_stmt(req->ctx->store, Q_META_GET, &st) ||
	    rc_stmt_bind_str(st, 1, "schema_version") || rc_stmt_step(st, &row))
		return RC_ERR_IO;
	return RC_ERR_INTERNAL;
}

static const struct rc_http_route table[] = {
    {"GET", "/meet", meet_handler},
    {"GET", "/broken", broken_handler},
    {NULL, NULL, NULL},
};
static const struct rc_http_route *const tables[] = {table, NULL};

/* GET path from the server at addr ("127.0.0.1:PORT"): the status, or -1. */
static int get(const char *addr, const char *path)
{
	char req[256], resp[1024];
	struct sockaddr_in sa = {.sin_family = AF_INET};
	const char *colon = strrchr(addr, ':');
	sa.sin_port = htons((uint16_t)strtol(colon + 1, NULL, 10));
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0), status = -1;
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		int n = snprintf(req, sizeof(req),
				 "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path);
		if (write(fd, req, (size_t)n) == n) {
			ssize_t got = read(fd, resp, sizeof(resp) - 1);
			if (got > 12) {
				resp[got] = '\0';
				status = (int)strtol(resp + 9, NULL, 10);
			}
		}
	}
	close(fd);
	return status;
}

struct client {
	const char *addr;
	int status;
};

static void *client(void *arg)
{
	struct client *c = arg;
	c->status = get(c->addr, "/meet");
	return NULL;
}

static char db_path[64];

static int setup(void **state)
{
	(void)state;
	snprintf(db_path, sizeof(db_path), "/tmp/rc-threads-%d.db", (int)getpid());
	return 0;
}

static int teardown(void **state)
{
	char p[96];
	(void)state;
	unlink(db_path);
	snprintf(p, sizeof(p), "%s-wal", db_path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db_path);
	unlink(p);
	return 0;
}

static void concurrent_requests_each_have_a_connection(void **state)
{
	struct rc_diags d;
	struct rc_store_pool *pool = NULL;
	struct rc_http_server *srv = NULL;
	struct rc_unit unit = {0};
	char url[96];
	(void)state;
	rc_diags_init(&d, "test");
	snprintf(url, sizeof(url), "sqlite:%s", db_path);
	assert_int_equal(rc_store_pool_new(url, N, &d, &pool), RC_OK);
	assert_int_equal(rc_store_pool_size(pool), N);
	struct rc_http_ctx ctx = {.stores = pool, .unit = &unit, .version = "test"};
	struct rc_http_config cfg = {
	    .listen = "127.0.0.1:0", .routes = tables, .ctx = &ctx, .threads = N};
	assert_int_equal(rc_http_start(&cfg, &d, &srv), RC_OK);

	pthread_t t[N];
	struct client c[N];
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 30;
	for (int i = 0; i < N; i++) {
		c[i] = (struct client){rc_http_address(srv), 0};
		assert_int_equal(pthread_create(&t[i], NULL, client, &c[i]), 0);
		pthread_mutex_lock(&meet.lock);
		while (meet.n_seen < i + 1 && !meet.timed_out)
			if (pthread_cond_timedwait(&meet.arrived, &meet.lock, &until) != 0)
				meet.timed_out = 1;
		pthread_mutex_unlock(&meet.lock);
	}
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	rc_http_stop(srv, 1000, NULL);

	assert_int_equal(meet.timed_out, 0); /* all N were inside at once */
	assert_int_equal(meet.n_seen, N);
	for (int i = 0; i < N; i++) {
		assert_int_equal(c[i].status, 200);
		assert_non_null(meet.stores[i]);
		assert_int_equal(meet.unit_ok[i], 1);
		assert_true(meet.slots[i] >= 0 && meet.slots[i] < N);
		for (int j = 0; j < i; j++) {
			assert_ptr_not_equal(meet.stores[i], meet.stores[j]);
			assert_int_not_equal(meet.slots[i], meet.slots[j]);
		}
	}
	/* every connection was given back */
	assert_int_equal(rc_store_pool_idle(pool), N);
	struct rc_store *s[N];
	int slot[N];
	for (int i = 0; i < N; i++)
		s[i] = rc_store_pool_take(pool, &slot[i]);
	for (int i = 0; i < N; i++) {
		assert_true(slot[i] >= 0 && slot[i] < N);
		for (int j = 0; j < i; j++)
			assert_int_not_equal(slot[i], slot[j]);
	}
	for (int i = 0; i < N; i++)
		rc_store_pool_give(pool, s[i]);
	rc_store_pool_free(pool);
}

/* A handler that fails inside a transaction does not pass it on: the
 * connection comes back to the pool rolled back, and the next request on
 * it starts afresh. */
static void a_failed_request_leaves_no_transaction(void **state)
{
	struct rc_diags d;
	struct rc_store_pool *pool = NULL;
	struct rc_http_server *srv = NULL;
	char url[96];
	(void)state;
	rc_diags_init(&d, "test");
	snprintf(url, sizeof(url), "sqlite:%s", db_path);
	assert_int_equal(rc_store_pool_new(url, 2, &d, &pool), RC_OK);
	struct rc_http_ctx ctx = {.stores = pool, .version = "test"};
	struct rc_http_config cfg = {
	    .listen = "127.0.0.1:0", .routes = tables, .ctx = &ctx, .threads = 2};
	assert_int_equal(rc_http_start(&cfg, &d, &srv), RC_OK);
	for (int i = 0; i < 4; i++)
		assert_int_equal(get(rc_http_address(srv), "/broken"), 500);
	rc_http_stop(srv, 1000, NULL);
	assert_int_equal(rc_store_pool_idle(pool), 2);
	for (int i = 0; i < 2; i++) {
		int slot;
		struct rc_store *s = rc_store_pool_take(pool, &slot);
		assert_int_equal(rc_store_tx(s), 0);
		/* a write transaction can begin: nothing was left open */
		assert_int_equal(rc_store_begin(s), RC_OK);
		rc_store_rollback(s);
		rc_store_pool_give(pool, s);
	}
	rc_store_pool_free(pool);
}

static void more_threads_need_a_pool(void **state)
{
	struct rc_diags d;
	struct rc_http_server *srv = NULL;
	struct rc_http_ctx ctx = {.version = "test"};
	struct rc_http_config cfg = {
	    .listen = "127.0.0.1:0", .routes = tables, .ctx = &ctx, .threads = 2};
	(void)state;
	rc_diags_init(&d, "test");
	assert_int_equal(rc_http_start(&cfg, &d, &srv), RC_ERR_USAGE);
	assert_null(srv);
	char msg[RC_DIAG_MSG_MAX];
	rc_diags_first(&d, msg, sizeof(msg));
	assert_non_null(strstr(msg, "pool"));
	cfg.threads = RC_HTTP_THREADS_MAX + 1;
	assert_int_equal(rc_http_start(&cfg, &d, &srv), RC_ERR_USAGE);
}

static void pool_size_is_checked(void **state)
{
	struct rc_diags d;
	struct rc_store_pool *pool = NULL;
	char url[96];
	(void)state;
	rc_diags_init(&d, "test");
	snprintf(url, sizeof(url), "sqlite:%s", db_path);
	assert_int_equal(rc_store_pool_new(url, 0, &d, &pool), RC_ERR_RANGE);
	assert_int_equal(rc_store_pool_new(url, RC_STORE_POOL_MAX + 1, &d, &pool), RC_ERR_RANGE);
	assert_null(pool);
	/* a database that cannot be opened is refused at once, nothing kept */
	assert_int_not_equal(rc_store_pool_new("sqlite:/nonexistent-dir/x.db", 2, &d, &pool),
			     RC_OK);
	assert_null(pool);
	assert_int_equal(rc_store_pool_size(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(concurrent_requests_each_have_a_connection),
	    cmocka_unit_test(a_failed_request_leaves_no_transaction),
	    cmocka_unit_test(more_threads_need_a_pool),
	    cmocka_unit_test(pool_size_is_checked),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
