/*
 * router.c -- static route tables: the most specific pattern, then the
 * method (http.h, struct rc_http_route).
 *
 * Tables are few and short (tens of routes), so matching is a linear scan
 * per request; nothing is built at start but the check.  Choosing the
 * pattern before the method is what makes 405 honest: a known path asked
 * with another method is told which methods it has, and an unknown path is
 * never told anything about the routes that exist.
 */
#include <stdio.h>
#include <string.h>

#include "http/http_int.h"

/* Whether `pattern`, which has "{name}" segments, matches `path`: each
 * "{name}" takes one whole, non-empty segment (no '/'), every other byte
 * must be equal.  *literal counts the bytes matched literally.  When `name`
 * is not NULL, the segment of parameter `name` goes to *seg, *seg_len. */
static int param_match(const char *pattern, const char *path, size_t *literal, const char *name,
		       const char **seg, size_t *seg_len)
{
	const char *p = pattern, *s = path;
	size_t lit = 0;
	while (*p) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			size_t n = strcspn(s, "/");
			if (!close || n == 0)
				return 0;
			if (name && strlen(name) == (size_t)(close - p - 1) &&
			    memcmp(p + 1, name, (size_t)(close - p - 1)) == 0) {
				*seg = s;
				*seg_len = n;
			}
			p = close + 1;
			s += n;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
		lit++;
	}
	if (*s)
		return 0;
	if (literal)
		*literal = lit;
	return 1;
}

/* How specifically `pattern` matches `path`: -1 when it does not, the
 * prefix's length for a prefix pattern, for a pattern with parameters more
 * than any prefix and more the more of it is literal, more than all of
 * those for an exact match.  So "/cases/new" wins over "/cases/{code}",
 * which wins over "/cases/x" and a '*'. */
static long specificity(const char *pattern, const char *path)
{
	size_t n = strlen(pattern), lit;
	if (n && pattern[n - 1] == '*')
		return strncmp(pattern, path, n - 1) == 0 ? (long)(n - 1) : -1;
	if (strchr(pattern, '{'))
		return param_match(pattern, path, &lit, NULL, NULL, NULL)
			   ? (long)RC_HTTP_URL_MAX + 1 + (long)lit
			   : -1;
	return strcmp(pattern, path) == 0 ? 3 * (long)RC_HTTP_URL_MAX : -1;
}

enum rc_err rc_http_route_param(const char *pattern, const char *path, const char *name, char *out,
				size_t cap)
{
	const char *seg = NULL;
	size_t len = 0;
	if (!pattern || !strchr(pattern, '{') ||
	    !param_match(pattern, path, NULL, name, &seg, &len) || !seg)
		return RC_ERR_NOT_FOUND;
	if (len >= cap)
		return RC_ERR_LIMIT;
	memcpy(out, seg, len);
	out[len] = '\0';
	return RC_OK;
}

/* A pattern's "{name}" segments are whole segments with a name of
 * [a-z_], and a pattern has either parameters or a '*', not both. */
static int params_ok(const char *p)
{
	const char *b = strchr(p, '{');
	if (!b)
		return !strchr(p, '}');
	if (strchr(p, '*'))
		return 0;
	for (; b; b = strchr(b, '{')) {
		const char *c = strchr(b, '}');
		if (!c || c == b + 1 || b[-1] != '/' || (c[1] != '/' && c[1] != '\0'))
			return 0;
		for (const char *q = b + 1; q < c; q++)
			if (!((*q >= 'a' && *q <= 'z') || *q == '_'))
				return 0;
		b = c;
	}
	return 1;
}

static void allow_add(char *allow, size_t cap, const char *method)
{
	size_t n = strlen(method), len = strlen(allow);
	/* already listed? (a whole token, not a prefix of another) */
	for (const char *p = allow; (p = strstr(p, method)) != NULL; p += n)
		if ((p == allow || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return;
	snprintf(allow + len, cap - len, "%s%s", len ? ", " : "", method);
}

enum rc_http_match_kind rc_http_route_match(const struct rc_http_route *const *tables,
					    const char *method, const char *path,
					    struct rc_http_match *m)
{
	const char *best = NULL;
	long best_s = -1;
	memset(m, 0, sizeof(*m));
	for (int t = 0; tables[t]; t++)
		for (const struct rc_http_route *r = tables[t]; r->method; r++) {
			long s = specificity(r->pattern, path);
			if (s > best_s) {
				best_s = s;
				best = r->pattern;
			}
		}
	if (!best)
		return RC_HTTP_NO_PATH;
	m->pattern = best;
	const struct rc_http_route *get = NULL;
	for (int t = 0; tables[t]; t++)
		for (const struct rc_http_route *r = tables[t]; r->method; r++) {
			if (strcmp(r->pattern, best) != 0)
				continue;
			if (strcmp(r->method, method) == 0) {
				m->route = r;
				return RC_HTTP_MATCHED;
			}
			if (strcmp(r->method, "GET") == 0 && !get)
				get = r;
			allow_add(m->allow, sizeof(m->allow), r->method);
			if (strcmp(r->method, "GET") == 0)
				allow_add(m->allow, sizeof(m->allow), "HEAD");
		}
	/* HEAD is GET without the body, unless the pattern has its own HEAD
	 * route (which the loop above would have returned) */
	if (get && strcmp(method, "HEAD") == 0) {
		m->route = get;
		return RC_HTTP_MATCHED;
	}
	return RC_HTTP_NO_METHOD;
}

static int is_token(const char *s)
{
	if (!*s || strlen(s) > 16)
		return 0;
	for (; *s; s++)
		if (*s < 'A' || *s > 'Z')
			return 0;
	return 1;
}

enum rc_err rc_http_routes_check(const struct rc_http_route *const *tables, struct rc_diags *d)
{
	int patterns = 0, bad = 0;
	for (int t = 0; tables[t]; t++)
		for (const struct rc_http_route *r = tables[t]; r->method; r++) {
			const char *p = r->pattern, *star = p ? strchr(p, '*') : NULL;
			if (!is_token(r->method) || !p || p[0] != '/' || (star && star[1]) ||
			    !params_ok(p) || !r->handler) {
				rc_diag_add(
				    d, RC_SEV_ERROR, 0, 0,
				    "route table %d: '%s %s' is malformed (method in "
				    "upper case, a path beginning with '/', '*' only at its "
				    "end, \"{name}\" only as a whole segment, a handler)",
				    t, r->method, p ? p : "(null)");
				bad = 1;
				continue;
			}
			/* the first route of its pattern counts the pattern; one
			 * of the same method before it is a duplicate */
			int seen = 0, dup = 0, reached = 0;
			for (int u = 0; tables[u] && !reached; u++)
				for (const struct rc_http_route *q = tables[u]; q->method; q++) {
					if (q == r) {
						reached = 1;
						break;
					}
					if (!q->pattern || strcmp(q->pattern, p) != 0)
						continue;
					seen = 1;
					dup |= strcmp(q->method, r->method) == 0;
				}
			if (dup) {
				rc_diag_add(d, RC_SEV_ERROR, 0, 0,
					    "route table %d: '%s %s' is defined twice", t,
					    r->method, p);
				bad = 1;
			}
			patterns += !seen;
		}
	if (patterns > RC_HTTP_ROUTES_MAX) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%d route patterns, at most %d", patterns,
			    RC_HTTP_ROUTES_MAX);
		bad = 1;
	}
	return bad ? RC_ERR_INTERNAL : RC_OK;
}
