/*
 * metrics.c -- request counters and latency histograms, rendered in the
 * Prometheus text format 0.0.4.
 *
 * Every label has a bounded set of values, by construction: the route is
 * a pattern of the route tables (or "unmatched"), never the raw path; the
 * method is one of a fixed list (or "other"), never what a client typed;
 * the status is one the server sent.  A client cannot make the series
 * grow, so the store is small arrays sized at start, and one series table
 * for (method, route, status) that grows only with combinations that
 * occurred, up to a cap that bounds it even against a bug.
 *
 * Requests on every server thread count into one store (http.h,
 * Threads), so every read and write of it holds the lock.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"

static const char *const methods[] = {"GET",    "HEAD",    "POST",  "PUT",
				      "DELETE", "OPTIONS", "PATCH", "other"};
#define N_METHODS (sizeof(methods) / sizeof(methods[0]))

/* Upper bounds of the latency buckets, in microseconds and as printed. */
static const uint64_t bucket_us[] = {1000,   5000,   10000,  25000,   50000,
				     100000, 250000, 500000, 1000000, 2500000};
static const char *const bucket_le[] = {".001", ".005", ".01", ".025", ".05",
					".1",   ".25",  ".5",  "1",    "2.5"};
#define N_BUCKETS (sizeof(bucket_us) / sizeof(bucket_us[0]))

#define SERIES_MAX 8192 /* (method, route, status) combinations kept */

struct series {
	uint8_t method;
	uint16_t route, status;
	uint64_t count;
};

struct histogram {
	uint64_t le[N_BUCKETS]; /* cumulative, as the format wants them */
	uint64_t count, sum_us;
};

struct rc_http_metrics {
	pthread_mutex_t lock;
	/* route 0 is "unmatched"; 1.. the distinct patterns, in table order */
	const char *routes[RC_HTTP_ROUTES_MAX + 1];
	int n_routes;
	struct histogram hist[RC_HTTP_ROUTES_MAX + 1];
	struct series *series;
	size_t n_series, cap_series;
};

enum rc_err rc_http_metrics_new(const struct rc_http_route *const *tables,
				struct rc_http_metrics **out)
{
	struct rc_http_metrics *m = calloc(1, sizeof(*m));
	if (!m)
		return RC_ERR_NOMEM;
	if (pthread_mutex_init(&m->lock, NULL) != 0) {
		free(m);
		return RC_ERR_NOMEM;
	}
	m->routes[m->n_routes++] = "unmatched";
	for (int t = 0; tables[t]; t++)
		for (const struct rc_http_route *r = tables[t]; r->method; r++) {
			int known = 0;
			for (int i = 1; i < m->n_routes && !known; i++)
				known = strcmp(m->routes[i], r->pattern) == 0;
			if (!known && m->n_routes <= RC_HTTP_ROUTES_MAX)
				m->routes[m->n_routes++] = r->pattern;
		}
	*out = m;
	return RC_OK;
}

void rc_http_metrics_free(struct rc_http_metrics *m)
{
	if (!m)
		return;
	pthread_mutex_destroy(&m->lock);
	free(m->series);
	free(m);
}

static int route_index(const struct rc_http_metrics *m, const char *route)
{
	for (int i = 1; route && i < m->n_routes; i++)
		if (m->routes[i] == route || strcmp(m->routes[i], route) == 0)
			return i;
	return 0;
}

static uint8_t method_index(const char *method)
{
	for (size_t i = 0; method && i + 1 < N_METHODS; i++)
		if (strcmp(methods[i], method) == 0)
			return (uint8_t)i;
	return (uint8_t)(N_METHODS - 1);
}

void rc_http_metrics_observe(struct rc_http_metrics *m, const char *method, const char *route,
			     unsigned status, uint64_t duration_us)
{
	uint8_t mi = method_index(method);
	int ri = route_index(m, route);
	uint16_t st = status > 999 ? 0 : (uint16_t)status;
	pthread_mutex_lock(&m->lock);
	struct histogram *h = &m->hist[ri];
	for (size_t b = 0; b < N_BUCKETS; b++)
		h->le[b] += duration_us <= bucket_us[b];
	h->count++;
	h->sum_us += duration_us;
	size_t i = 0;
	while (i < m->n_series && !(m->series[i].method == mi && m->series[i].route == ri &&
				    m->series[i].status == st))
		i++;
	if (i == m->n_series) {
		if (m->n_series == m->cap_series) {
			size_t cap = m->cap_series ? 2 * m->cap_series : 64;
			struct series *s =
			    cap <= SERIES_MAX ? realloc(m->series, cap * sizeof(*s)) : NULL;
			if (!s)
				goto out; /* the histogram counted it */
			m->series = s;
			m->cap_series = cap;
		}
		m->series[i] = (struct series){mi, (uint16_t)ri, st, 0};
		m->n_series++;
	}
	m->series[i].count++;
out:
	pthread_mutex_unlock(&m->lock);
}

/* A label value in the format's escaping: backslash, quote, newline. */
static enum rc_err label(struct rc_buf *b, const char *v)
{
	enum rc_err e = RC_OK;
	for (; *v && !e; v++)
		e = *v == '\\'   ? rc_buf_puts(b, "\\\\")
		    : *v == '"'  ? rc_buf_puts(b, "\\\"")
		    : *v == '\n' ? rc_buf_puts(b, "\\n")
				 : rc_buf_append(b, v, 1);
	return e;
}

/* Series sorted by route, method, status: stable output is easier to read
 * and to diff. */
static int series_cmp(const void *a, const void *b)
{
	const struct series *x = a, *y = b;
	if (x->route != y->route)
		return x->route < y->route ? -1 : 1;
	if (x->method != y->method)
		return x->method < y->method ? -1 : 1;
	return x->status < y->status ? -1 : x->status > y->status;
}

enum rc_err rc_http_metrics_render(struct rc_http_metrics *m, const char *version,
				   struct rc_buf *out)
{
	enum rc_err e;
	pthread_mutex_lock(&m->lock);
	qsort(m->series, m->n_series, sizeof(*m->series), series_cmp);
	e = rc_buf_puts(out, "# HELP rongcuo_http_requests_total HTTP requests answered, by "
			     "method, route pattern and status (0: no response sent).\n"
			     "# TYPE rongcuo_http_requests_total counter\n");
	for (size_t i = 0; i < m->n_series && !e; i++) {
		const struct series *s = &m->series[i];
		if ((e = rc_buf_printf(out, "rongcuo_http_requests_total{method=\"%s\",route=\"",
				       methods[s->method])) ||
		    (e = label(out, m->routes[s->route])))
			break;
		e = rc_buf_printf(out, "\",status=\"%u\"} %llu\n", (unsigned)s->status,
				  (unsigned long long)s->count);
	}
	if (!e)
		e = rc_buf_puts(out, "# HELP rongcuo_http_request_duration_seconds Time from the "
				     "request line to the last byte of the response, by route "
				     "pattern.\n"
				     "# TYPE rongcuo_http_request_duration_seconds histogram\n");
	for (int r = 0; r < m->n_routes && !e; r++) {
		const struct histogram *h = &m->hist[r];
		if (!h->count)
			continue;
		for (size_t b = 0; b <= N_BUCKETS && !e; b++) {
			if ((e = rc_buf_puts(out, "rongcuo_http_request_duration_seconds_bucket{"
						  "route=\"")) ||
			    (e = label(out, m->routes[r])))
				break;
			e = rc_buf_printf(
			    out, "\",le=\"%s\"} %llu\n", b < N_BUCKETS ? bucket_le[b] : "+Inf",
			    (unsigned long long)(b < N_BUCKETS ? h->le[b] : h->count));
		}
		if (e ||
		    (e = rc_buf_puts(out, "rongcuo_http_request_duration_seconds_sum{route=\"")) ||
		    (e = label(out, m->routes[r])) ||
		    (e = rc_buf_printf(out, "\"} %llu.%06llu\n",
				       (unsigned long long)(h->sum_us / 1000000),
				       (unsigned long long)(h->sum_us % 1000000))) ||
		    (e = rc_buf_puts(out,
				     "rongcuo_http_request_duration_seconds_count{route=\"")) ||
		    (e = label(out, m->routes[r])))
			break;
		e = rc_buf_printf(out, "\"} %llu\n", (unsigned long long)h->count);
	}
	if (!e)
		e = rc_buf_puts(out, "# HELP rongcuo_build_info The running rongcuo's version.\n"
				     "# TYPE rongcuo_build_info gauge\n"
				     "rongcuo_build_info{version=\"");
	if (!e)
		e = label(out, version ? version : "unknown");
	if (!e)
		e = rc_buf_puts(out, "\"} 1\n"
				     "# HELP rongcuo_up 1 while the server answers.\n"
				     "# TYPE rongcuo_up gauge\n"
				     "rongcuo_up 1\n");
	pthread_mutex_unlock(&m->lock);
	return e;
}
