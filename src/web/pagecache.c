/*
 * pagecache.c -- pages served again while the data they show is unchanged.
 *
 * A page (a GET behind the gate) is a function of who asks (the session:
 * its role, scope and CSRF token are in the page), what is asked (the
 * request target, path and query), the language, the day (deadlines turn
 * overdue) and the data.  The data's version is the newest audit row's
 * number (rc_proc_data_version): every change writes one in its own
 * transaction, whichever process makes it.  So a page kept with the
 * version it was rendered at is the page that would be rendered again
 * while the version holds.  The version is read just before the page's
 * read transaction (gate.c says why that order is safe).
 *
 * The page also depends on the policy versions and the working-day
 * calendar in force: an activation publishes a new set or calendar after
 * its audit row commits (web/app.c), so a request that took the old one
 * may read the new version.  The set and the calendar the request took
 * are part of the key (their addresses: neither is freed while the server
 * runs), so that such a page is never served to a request that took the
 * new ones.
 *
 * The key is the SM3 of those inputs: the cache holds no session id.  The
 * gate checks the session (and the role and the object's scope) before
 * any lookup, so a logged-out or disabled user is refused as always.  The
 * least recently used page goes when the cache is full.
 *
 * Requests on several threads share the cache: every page is read and
 * written under `lock`, and a page leaves the cache as a copy into the
 * response, never as a pointer.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"

struct page {
	uint8_t key[RC_SM3_LEN];
	int64_t version;
	uint64_t used;
	char *body;
	size_t len;
	const char *content_type; /* static */
	int live;
};

struct rc_page_cache {
	pthread_mutex_t lock;
	int n;
	size_t max_body;
	uint64_t clock;
	struct page p[];
};

enum rc_err rc_page_cache_new(int entries, size_t max_body, struct rc_page_cache **out)
{
	if (entries < 1 || entries > 65536)
		return RC_ERR_RANGE;
	*out = calloc(1, sizeof(**out) + (size_t)entries * sizeof((*out)->p[0]));
	if (!*out)
		return RC_ERR_NOMEM;
	if (pthread_mutex_init(&(*out)->lock, NULL) != 0) {
		free(*out);
		*out = NULL;
		return RC_ERR_NOMEM;
	}
	(*out)->n = entries;
	(*out)->max_body = max_body;
	return RC_OK;
}

void rc_page_cache_free(struct rc_page_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->n; i++)
		free(c->p[i].body);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

enum rc_err rc_page_key(const struct rc_web_req *w, uint8_t key[RC_SM3_LEN])
{
	struct rc_buf b;
	enum rc_err e;
	rc_buf_init(&b, 2 * RC_HTTP_URL_MAX);
	/* NUL-separated: no input can run into the next */
	e = rc_buf_printf(&b, "%s%c%s%c%d%c%ld%c%p%c%p", w->sid, 0, w->http->target, 0, w->en, 0,
			  (long)w->today, 0, (const void *)w->set, 0, (const void *)w->cal);
	if (!e)
		e = rc_sm3(b.data, b.len, key);
	rc_crypto_wipe(b.data, b.len);
	rc_buf_free(&b);
	return e;
}

int rc_page_cache_get(struct rc_page_cache *c, const uint8_t key[RC_SM3_LEN], int64_t version,
		      struct rc_http_resp *resp)
{
	int hit = 0;
	if (!c)
		return 0;
	pthread_mutex_lock(&c->lock);
	for (int i = 0; i < c->n; i++) {
		struct page *p = &c->p[i];
		if (!p->live || memcmp(p->key, key, RC_SM3_LEN) != 0)
			continue;
		if (p->version < version) {
			/* the data changed: this page is not what it shows */
			free(p->body);
			memset(p, 0, sizeof(*p));
			break;
		}
		/* A page kept at a newer version than this request read (another
		 * thread's, rendered after a change this request's version
		 * predates) is not this request's either: it renders its own. */
		if (p->version != version || rc_buf_append(&resp->body, p->body, p->len))
			break;
		resp->status = 200;
		resp->content_type = p->content_type;
		p->used = ++c->clock;
		hit = 1;
		break;
	}
	pthread_mutex_unlock(&c->lock);
	return hit;
}

void rc_page_cache_put(struct rc_page_cache *c, const uint8_t key[RC_SM3_LEN], int64_t version,
		       const struct rc_http_resp *resp)
{
	struct page *v = NULL;
	if (!c || resp->status != 200 || resp->n_headers || resp->body.len > c->max_body)
		return; /* only a plain page: no cookie, no redirect */
	char *copy = malloc(resp->body.len ? resp->body.len : 1);
	if (!copy)
		return; /* only a cache */
	memcpy(copy, resp->body.data, resp->body.len);
	pthread_mutex_lock(&c->lock);
	for (int i = 0; i < c->n; i++) {
		if (c->p[i].live && memcmp(c->p[i].key, key, RC_SM3_LEN) == 0) {
			v = &c->p[i];
			break;
		}
		if (!v || !c->p[i].live || (v->live && c->p[i].used < v->used))
			v = &c->p[i];
	}
	if (v->live && memcmp(v->key, key, RC_SM3_LEN) == 0 && v->version > version) {
		/* another thread kept this page at a newer version: keep that */
		pthread_mutex_unlock(&c->lock);
		free(copy);
		return;
	}
	free(v->body);
	memcpy(v->key, key, RC_SM3_LEN);
	v->version = version;
	v->body = copy;
	v->len = resp->body.len;
	v->content_type = resp->content_type;
	v->used = ++c->clock;
	v->live = 1;
	pthread_mutex_unlock(&c->lock);
}
