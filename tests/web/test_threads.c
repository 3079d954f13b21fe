/*
 * test_threads.c -- the web application's state under requests on several
 * threads (docs/modules/web.md, Threads): the page cache and the policy set.
 *
 * The threads here do what requests do, at the same time, and the checks
 * are on what they saw, never on how long it took: a page served is always
 * the page kept for that key at that version, and a policy set or a
 * calendar taken is always one that was published and still whole.  Under the thread
 * sanitizer stage of `make test` (build-tsan) the same runs are checked for
 * data races as well.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/date.h"
#include "policy/policy.h"
#include "web/web_int.h"

#define THREADS 4
#define ROUNDS  3000
#define KEYS    8

/* ---- the page cache ------------------------------------------------------ */

static struct rc_page_cache *cache;
static pthread_barrier_t halfway;

static void key_of(int k, uint8_t key[RC_SM3_LEN])
{
	memset(key, 0, RC_SM3_LEN);
	key[0] = (uint8_t)k;
}

static enum rc_err page(struct rc_http_resp *r, int k, int64_t v, int thread)
{
	memset(r, 0, sizeof(*r));
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	rc_buf_init(&r->body, 4096);
	/* the key and version are in the page, the thread only in its tail:
	 * any thread's page for (k, v) is the right one */
	return rc_buf_printf(&r->body, "key=%d version=%ld by=%d", k, (long)v, thread);
}

struct worker {
	int id;
	int wrong, hits; /* pages served that were not (k, v)'s; pages served */
};

static void *cache_worker(void *arg)
{
	struct worker *w = arg;
	char want[64];
	for (int i = 0; i < ROUNDS; i++) {
		int k = (i * 7 + w->id) % KEYS;
		/* the first half at one version: with room for every key, each
		 * key misses at most once per thread and then hits, so the copy
		 * out is exercised under the threads; then the data's version
		 * moves, and moves back for the cache (another thread's older
		 * snapshot) */
		int64_t v = i < ROUNDS / 2 ? 1 : (i / 50) % 5;
		if (i == ROUNDS / 2)
			pthread_barrier_wait(&halfway); /* every thread done with the first */
		uint8_t key[RC_SM3_LEN];
		struct rc_http_resp r;
		key_of(k, key);
		memset(&r, 0, sizeof(r));
		rc_buf_init(&r.body, 4096);
		int n = snprintf(want, sizeof(want), "key=%d version=%ld by=", k, (long)v);
		if (rc_page_cache_get(cache, key, v, &r)) {
			w->hits += i < ROUNDS / 2;
			if (r.body.len < (size_t)n || memcmp(r.body.data, want, (size_t)n) != 0)
				w->wrong++;
		} else {
			rc_buf_free(&r.body);
			if (page(&r, k, v, w->id) == RC_OK)
				rc_page_cache_put(cache, key, v, &r);
		}
		rc_buf_free(&r.body);
	}
	return NULL;
}

static void page_cache_serves_only_the_page_of_that_version(void **state)
{
	pthread_t t[THREADS];
	struct worker w[THREADS];
	(void)state;
	assert_int_equal(rc_page_cache_new(KEYS, 4096, &cache), RC_OK);
	assert_int_equal(pthread_barrier_init(&halfway, NULL, THREADS), 0);
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){.id = i};
		assert_int_equal(pthread_create(&t[i], NULL, cache_worker, &w[i]), 0);
	}
	int wrong = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		wrong += w[i].wrong;
		/* the first half: at most one miss per key */
		assert_true(w[i].hits >= ROUNDS / 2 - KEYS);
	}
	assert_int_equal(wrong, 0);
	pthread_barrier_destroy(&halfway);
	rc_page_cache_free(cache);
	cache = NULL;
}

/* Two threads may render one page from two snapshots: the one read at the
 * newer version is kept, the older one neither replaces it nor is served. */
static void page_cache_keeps_the_newer_version(void **state)
{
	uint8_t key[RC_SM3_LEN];
	struct rc_http_resp r, got;
	(void)state;
	assert_int_equal(rc_page_cache_new(4, 4096, &cache), RC_OK);
	key_of(1, key);
	assert_int_equal(page(&r, 1, 5, 0), RC_OK);
	rc_page_cache_put(cache, key, 5, &r);
	rc_buf_free(&r.body);
	assert_int_equal(page(&r, 1, 3, 1), RC_OK);
	rc_page_cache_put(cache, key, 3, &r); /* older: not kept */
	rc_buf_free(&r.body);

	memset(&got, 0, sizeof(got));
	rc_buf_init(&got.body, 4096);
	assert_int_equal(rc_page_cache_get(cache, key, 3, &got), 0); /* not version 3's */
	assert_int_equal(rc_page_cache_get(cache, key, 5, &got), 1);
	assert_non_null(strstr(rc_buf_str(&got.body), "version=5 "));
	rc_buf_free(&got.body);
	/* a request at a newer version drops it: the data changed */
	rc_buf_init(&got.body, 4096);
	assert_int_equal(rc_page_cache_get(cache, key, 6, &got), 0);
	assert_int_equal(rc_page_cache_get(cache, key, 5, &got), 0);
	rc_buf_free(&got.body);
	rc_page_cache_free(cache);
	cache = NULL;
}

/* A page rendered under one policy set is not another set's: a request that
 * took the set an activation replaced may read the version the activation
 * wrote, and its page must not be served to the requests that take the new
 * set. */
static void page_key_names_the_policy_set(void **state)
{
	struct rc_http_req req = {.target = "/cases/A-2026-0001"};
	struct rc_web_req w = {.http = &req, .today = 20000};
	struct rc_policy_set *a = NULL, *b = NULL;
	uint8_t k1[RC_SM3_LEN], k2[RC_SM3_LEN], k3[RC_SM3_LEN];
	(void)state;
	snprintf(w.sid, sizeof(w.sid), "%s", "0123456789abcdef0123456789abcdef");
	assert_int_equal(rc_policy_set_new(&a), RC_OK);
	assert_int_equal(rc_policy_set_new(&b), RC_OK);
	w.set = a;
	assert_int_equal(rc_page_key(&w, k1), RC_OK);
	assert_int_equal(rc_page_key(&w, k3), RC_OK);
	w.set = b;
	assert_int_equal(rc_page_key(&w, k2), RC_OK);
	assert_memory_equal(k1, k3, RC_SM3_LEN);
	assert_memory_not_equal(k1, k2, RC_SM3_LEN);
	rc_policy_set_free(a);
	rc_policy_set_free(b);
}

/* Likewise for the calendar: a page counted on the calendar a year's
 * activation replaced is not the new calendar's. */
static void page_key_names_the_calendar(void **state)
{
	struct rc_http_req req = {.target = "/cases/A-2026-0001"};
	struct rc_web_req w = {.http = &req, .today = 20000};
	struct rc_cal *a = NULL, *b = NULL;
	uint8_t k1[RC_SM3_LEN], k2[RC_SM3_LEN], k3[RC_SM3_LEN];
	(void)state;
	snprintf(w.sid, sizeof(w.sid), "%s", "0123456789abcdef0123456789abcdef");
	assert_int_equal(rc_cal_new(&a), RC_OK);
	assert_int_equal(rc_cal_new(&b), RC_OK);
	w.cal = a;
	assert_int_equal(rc_page_key(&w, k1), RC_OK);
	assert_int_equal(rc_page_key(&w, k3), RC_OK);
	w.cal = b;
	assert_int_equal(rc_page_key(&w, k2), RC_OK);
	assert_memory_equal(k1, k3, RC_SM3_LEN);
	assert_memory_not_equal(k1, k2, RC_SM3_LEN);
	rc_cal_free(a);
	rc_cal_free(b);
}

/* ---- the policy set ------------------------------------------------------- */

#define PUBLISHES 6

static struct rc_web_app app;
static struct rc_policy_set *published[PUBLISHES + 1];
static int stop_readers;
static pthread_mutex_t stop_lock = PTHREAD_MUTEX_INITIALIZER;

struct reader {
	int unknown; /* sets taken that were never published */
	int broken;  /* sets whose versions could not be read whole */
	int taken;
};

static int stopped(void)
{
	pthread_mutex_lock(&stop_lock);
	int s = stop_readers;
	pthread_mutex_unlock(&stop_lock);
	return s;
}

static void *set_reader(void *arg)
{
	struct reader *r = arg;
	/* at least a round of reads, then until the publisher is done */
	for (int i = 0; i < 200 || !stopped(); i++) {
		struct rc_policy_set *s = rc_web_app_set(&app);
		int known = 0;
		/* published[] is written before the set is published */
		pthread_mutex_lock(&stop_lock);
		for (int j = 0; j <= PUBLISHES; j++)
			known |= s == published[j];
		pthread_mutex_unlock(&stop_lock);
		r->unknown += !known;
		for (int v = 0; v < rc_policy_set_count(s); v++) {
			const struct rc_policy *p = rc_policy_set_get(s, v);
			r->broken += !p || !rc_policy_version(p) || !rc_policy_series(p);
		}
		r->taken++;
	}
	return NULL;
}

static void policy_set_is_replaced_whole_under_readers(void **state)
{
	uint8_t key[RC_AUDIT_KEY_LEN] = {1};
	struct rc_diags *d = calloc(1, sizeof(*d));
	pthread_t t[THREADS];
	struct reader r[THREADS];
	(void)state;
	assert_non_null(d);
	rc_diags_init(d, "test");
	assert_int_equal(rc_web_app_init(&app, key, NULL, 0), RC_OK);
	/* the set the caller loaded: borrowed by the app, freed here */
	assert_int_equal(rc_policy_set_new(&published[0]), RC_OK);
	app.set = published[0];
	for (int i = 0; i < THREADS; i++) {
		r[i] = (struct reader){0};
		assert_int_equal(pthread_create(&t[i], NULL, set_reader, &r[i]), 0);
	}
	/* what an activation does: a new set loaded from the policy directory,
	 * published while the readers read */
	for (int i = 1; i <= PUBLISHES; i++) {
		struct rc_policy_set *next = NULL;
		assert_int_equal(rc_policy_set_new(&next), RC_OK);
		if (rc_policy_set_load(next, RC_SOURCE_DIR "/policies", d) != RC_OK) {
			rc_diags_print(d, stderr);
			fail();
		}
		pthread_mutex_lock(&stop_lock); /* published[] as the readers see it */
		published[i] = next;
		pthread_mutex_unlock(&stop_lock);
		assert_int_equal(rc_web_app_reserve(&app), RC_OK);
		rc_web_app_publish(&app, next);
	}
	pthread_mutex_lock(&stop_lock);
	stop_readers = 1;
	pthread_mutex_unlock(&stop_lock);
	int unknown = 0, broken = 0, taken = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		unknown += r[i].unknown;
		broken += r[i].broken;
		taken += r[i].taken;
	}
	assert_int_equal(unknown, 0);
	assert_int_equal(broken, 0);
	assert_true(taken >= THREADS * 200);
	assert_ptr_equal(rc_web_app_set(&app), published[PUBLISHES]);
	assert_true(rc_policy_set_count(published[PUBLISHES]) > 0);
	rc_web_app_done(&app); /* frees the published sets, not the caller's */
	rc_policy_set_free(published[0]);
	free(d);
}

/* ---- the calendar ----------------------------------------------------------- */

#define SHIPPED 4 /* data/calendar: 2023..2026 */

static const struct rc_cal *cals[PUBLISHES + 1];

struct cal_reader {
	int unknown; /* calendars taken that were never published */
	int broken;  /* calendars whose years or deadlines were not its own */
	int taken;
};

static void *cal_reader(void *arg)
{
	struct cal_reader *r = arg;
	int32_t start = rc_date_from_ymd(2026, 12, 30);
	for (int i = 0; i < 200 || !stopped(); i++) {
		const struct rc_cal *c = rc_web_app_cal(&app);
		int k = -1;
		pthread_mutex_lock(&stop_lock);
		for (int j = 0; j <= PUBLISHES; j++)
			if (c == cals[j])
				k = j;
		pthread_mutex_unlock(&stop_lock);
		if (k < 0) {
			r->unknown++;
			continue;
		}
		/* calendar k holds the shipped years and 2027 .. 2026 + k: a
		 * deadline across New Year 2027 is counted on 2027 once it is
		 * there (元旦 off: one day later), and said to be a guess before */
		int32_t due = 0;
		int warn = -1;
		r->broken += rc_cal_years(c, NULL, 0) != SHIPPED + k;
		r->broken += rc_cal_add_workdays(c, start, 5, &due, &warn) != RC_OK;
		r->broken += warn != (k == 0);
		r->broken += due != rc_date_from_ymd(2027, 1, k ? 7 : 6);
		r->taken++;
	}
	return NULL;
}

/* What a year's activation does (admin.c): a new calendar -- the years
 * loaded and one more -- published while requests take and query the
 * calendar; the old ones stay whole for the requests that took them. */
static void calendar_is_replaced_whole_under_readers(void **state)
{
	uint8_t key[RC_AUDIT_KEY_LEN] = {1};
	struct rc_diags *d = calloc(1, sizeof(*d));
	pthread_t t[THREADS];
	struct cal_reader r[THREADS];
	struct rc_cal *first = NULL;
	char text[256];
	(void)state;
	assert_non_null(d);
	rc_diags_init(d, "test");
	stop_readers = 0;
	assert_int_equal(rc_web_app_init(&app, key, NULL, 0), RC_OK);
	/* the calendar the caller loaded: borrowed by the app, freed here */
	assert_int_equal(rc_cal_new(&first), RC_OK);
	assert_int_equal(rc_cal_load_dir(first, RC_SOURCE_DIR "/data/calendar", d), RC_OK);
	cals[0] = first;
	app.cal = first;
	for (int i = 0; i < THREADS; i++) {
		r[i] = (struct cal_reader){0};
		assert_int_equal(pthread_create(&t[i], NULL, cal_reader, &r[i]), 0);
	}
	for (int i = 1; i <= PUBLISHES; i++) {
		struct rc_cal *next = NULL;
		assert_int_equal(rc_cal_new(&next), RC_OK);
		assert_int_equal(rc_cal_load_dir(next, RC_SOURCE_DIR "/data/calendar", d), RC_OK);
		/* the years published before, and one more (invented) */
		for (int y = 2027; y <= 2026 + i; y++) {
			int n = snprintf(
			    text, sizeof(text),
			    "year %d\nsource \"测试用的虚构安排\"\noff %d-01-01 元旦\n", y, y);
			if (rc_cal_load_text(next, text, (size_t)n, d) != RC_OK) {
				rc_diags_print(d, stderr);
				fail();
			}
		}
		pthread_mutex_lock(&stop_lock); /* cals[] as the readers see it */
		cals[i] = next;
		pthread_mutex_unlock(&stop_lock);
		assert_int_equal(rc_web_app_reserve_cal(&app), RC_OK);
		rc_web_app_publish_cal(&app, next);
	}
	pthread_mutex_lock(&stop_lock);
	stop_readers = 1;
	pthread_mutex_unlock(&stop_lock);
	int unknown = 0, broken = 0, taken = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		unknown += r[i].unknown;
		broken += r[i].broken;
		taken += r[i].taken;
	}
	assert_int_equal(unknown, 0);
	assert_int_equal(broken, 0);
	assert_true(taken >= THREADS * 200);
	assert_ptr_equal(rc_web_app_cal(&app), cals[PUBLISHES]);
	assert_int_equal(rc_cal_years(rc_web_app_cal(&app), NULL, 0), SHIPPED + PUBLISHES);
	rc_web_app_done(&app); /* frees the published calendars, not the caller's */
	rc_cal_free(first);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(page_cache_serves_only_the_page_of_that_version),
	    cmocka_unit_test(page_cache_keeps_the_newer_version),
	    cmocka_unit_test(page_key_names_the_policy_set),
	    cmocka_unit_test(page_key_names_the_calendar),
	    cmocka_unit_test(policy_set_is_replaced_whole_under_readers),
	    cmocka_unit_test(calendar_is_replaced_whole_under_readers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
