/*
 * pool.c -- connections for a server with several threads (store.h).
 *
 * A stack of free connections under a mutex, and a condition variable for
 * a taker that finds it empty.  The server sizes the pool to its threads,
 * so in practice nobody waits; the wait is there so that a larger thread
 * count than connections is slow, never wrong.
 */
#include <pthread.h>
#include <stdlib.h>

#include "store/store_int.h"

struct rc_store_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	int n, n_free;
	struct rc_store *all[RC_STORE_POOL_MAX];
	int free[RC_STORE_POOL_MAX]; /* indexes into all[] */
};

enum rc_err rc_store_pool_new(const char *url, int n, struct rc_diags *d,
			      struct rc_store_pool **out)
{
	enum rc_err e = RC_OK;
	struct rc_store_pool *p;
	*out = NULL;
	if (n < 1 || n > RC_STORE_POOL_MAX) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "a pool of %d connections: 1 to %d", n,
			    RC_STORE_POOL_MAX);
		return RC_ERR_RANGE;
	}
	if (!(p = calloc(1, sizeof(*p))))
		return RC_ERR_NOMEM;
	if (pthread_mutex_init(&p->lock, NULL) != 0) {
		free(p);
		return RC_ERR_NOMEM;
	}
	if (pthread_cond_init(&p->freed, NULL) != 0) {
		pthread_mutex_destroy(&p->lock);
		free(p);
		return RC_ERR_NOMEM;
	}
	for (; p->n < n; p->n++) {
		if ((e = rc_store_open(url, d, &p->all[p->n])))
			goto out;
		p->free[p->n_free++] = p->n;
	}
	*out = p;
	p = NULL;
out:
	rc_store_pool_free(p);
	return e;
}

void rc_store_pool_free(struct rc_store_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->n; i++)
		rc_store_close(p->all[i]);
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

struct rc_store *rc_store_pool_take(struct rc_store_pool *p, int *slot)
{
	pthread_mutex_lock(&p->lock);
	while (p->n_free == 0)
		pthread_cond_wait(&p->freed, &p->lock);
	*slot = p->free[--p->n_free];
	pthread_mutex_unlock(&p->lock);
	return p->all[*slot];
}

void rc_store_pool_give(struct rc_store_pool *p, struct rc_store *s)
{
	/* a request that failed half-way must not pass its transaction on,
	 * nor a statement left on a row its read snapshot */
	rc_store_rollback(s);
	rc_store_reset_statements(s);
	int slot = 0;
	while (slot < p->n && p->all[slot] != s)
		slot++;
	if (slot == p->n)
		return; /* not the pool's: a caller's bug, and nothing to give back */
	pthread_mutex_lock(&p->lock);
	p->free[p->n_free++] = slot;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

int rc_store_pool_size(const struct rc_store_pool *p)
{
	return p ? p->n : 0;
}

int rc_store_pool_idle(struct rc_store_pool *p)
{
	pthread_mutex_lock(&p->lock);
	int n = p->n_free;
	pthread_mutex_unlock(&p->lock);
	return n;
}
