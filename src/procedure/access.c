/*
 * access.c -- the permission matrix (data/permissions.tsv) and the scope
 * of the objects its routes name.
 *
 * The matrix is data, embedded in the binary, so that the file the tests
 * and the reviewers read is the one the server enforces; this file only
 * parses it and answers "may this role reach this route".  Parsing is
 * strict: a line that does not say exactly what it means stops the server
 * from starting (web/gate.c) rather than allowing or denying by accident.
 */
#include <stdio.h>
#include <string.h>

#include "procedure/procedure_int.h"

static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", NULL};

static const struct {
	const char *word;
	enum rc_access_scope scope;
	const char *param; /* the route must have it */
} scopes[] = {
    {"-", RC_SCOPE_NONE, NULL},
    {"list", RC_SCOPE_LIST, NULL},
    {"case", RC_SCOPE_CASE, "{code}"},
    {"person", RC_SCOPE_PERSON, "{id}"},
    {"clarification", RC_SCOPE_CLARIFICATION, "{id}"},
    {"account", RC_SCOPE_ACCOUNT, "{login}"},
};

/* The next field of line[0..len) from *at: a run of bytes that are not a
 * space or a tab.  0 at the end. */
static size_t next_field(const char *line, size_t len, size_t *at, const char **f)
{
	size_t i = *at, n = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	*f = line + i;
	while (i + n < len && line[i + n] != ' ' && line[i + n] != '\t')
		n++;
	*at = i + n;
	return n;
}

static int word_is(const char *f, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(f, w, n) == 0;
}

/* The roles of a WHO list: non-empty names separated by single commas. */
static int roles_ok(const char *f, size_t n)
{
	if (n == 0 || f[0] == ',' || f[n - 1] == ',')
		return 0;
	for (size_t i = 1; i < n; i++)
		if (f[i] == ',' && f[i - 1] == ',')
			return 0;
	return 1;
}

static void parse_line(const char *line, size_t len, int lineno, struct rc_access *a,
		       struct rc_diags *d)
{
	const char *f[5];
	size_t n[5], at = 0;
	int k = 0;
	while (k < 5 && (n[k] = next_field(line, len, &at, &f[k])) > 0)
		k++;
	if (k != 4) {
		rc_diag_add(d, RC_SEV_ERROR, lineno, 0,
			    "%d fields; a line is METHOD ROUTE WHO SCOPE", k);
		return;
	}
	if (a->n >= RC_ACCESS_RULES_MAX) {
		rc_diag_add(d, RC_SEV_ERROR, lineno, 0, "more than %d rules", RC_ACCESS_RULES_MAX);
		return;
	}
	struct rc_access_rule *r = &a->rules[a->n];
	memset(r, 0, sizeof(*r));
	r->line = lineno;
	int ok = 1, m;
	for (m = 0; methods[m] && !word_is(f[0], n[0], methods[m]); m++)
		;
	if (!methods[m]) {
		rc_diag_add(d, RC_SEV_ERROR, lineno, 1,
			    "method '%.*s': one of GET, POST, PUT, PATCH, DELETE", (int)n[0], f[0]);
		ok = 0;
	} else {
		snprintf(r->method, sizeof(r->method), "%s", methods[m]);
	}
	if (f[1][0] != '/' || n[1] >= sizeof(r->route)) {
		rc_diag_add(d, RC_SEV_ERROR, lineno, 0,
			    "route '%.*s': a path beginning with '/', under %zu bytes", (int)n[1],
			    f[1], sizeof(r->route));
		ok = 0;
	} else {
		memcpy(r->route, f[1], n[1]);
	}
	if (word_is(f[2], n[2], "public")) {
		r->who = RC_WHO_PUBLIC;
	} else if (word_is(f[2], n[2], "user")) {
		r->who = RC_WHO_USER;
	} else if (word_is(f[2], n[2], "case")) {
		r->who = RC_WHO_CASE;
	} else if (roles_ok(f[2], n[2]) && n[2] < sizeof(r->roles)) {
		r->who = RC_WHO_ROLES;
		memcpy(r->roles, f[2], n[2]);
	} else {
		rc_diag_add(d, RC_SEV_ERROR, lineno, 0,
			    "who '%.*s': public, user, case or roles separated by commas",
			    (int)n[2], f[2]);
		ok = 0;
	}
	size_t s;
	for (s = 0; s < sizeof(scopes) / sizeof(scopes[0]) && !word_is(f[3], n[3], scopes[s].word);
	     s++)
		;
	if (s == sizeof(scopes) / sizeof(scopes[0])) {
		rc_diag_add(d, RC_SEV_ERROR, lineno, 0,
			    "scope '%.*s': -, list, case, person, clarification or account",
			    (int)n[3], f[3]);
		ok = 0;
	} else {
		r->scope = scopes[s].scope;
		if (scopes[s].param && ok && !strstr(r->route, scopes[s].param)) {
			rc_diag_add(d, RC_SEV_ERROR, lineno, 0,
				    "scope %s needs %s in the route '%s'", scopes[s].word,
				    scopes[s].param, r->route);
			ok = 0;
		}
	}
	if (ok && rc_access_find(a, r->method, r->route)) {
		rc_diag_add(d, RC_SEV_ERROR, lineno, 0, "'%s %s' is given twice", r->method,
			    r->route);
		ok = 0;
	}
	if (ok)
		a->n++;
}

enum rc_err rc_access_parse(const char *text, struct rc_access *out, struct rc_diags *d)
{
	int lineno = 0;
	int before = d->errors;
	out->n = 0;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p), at = 0;
		const char *f;
		lineno++;
		if (next_field(p, len, &at, &f) > 0 && f[0] != '#')
			parse_line(p, len, lineno, out, d);
		p += len + (nl != NULL);
	}
	return d->errors > before ? RC_ERR_SYNTAX : RC_OK;
}

const struct rc_access_rule *rc_access_find(const struct rc_access *a, const char *method,
					    const char *route)
{
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->rules[i].method, method) == 0 &&
		    strcmp(a->rules[i].route, route) == 0)
			return &a->rules[i];
	return NULL;
}

int rc_access_allows(const struct rc_access_rule *r, const char *role)
{
	switch (r->who) {
	case RC_WHO_PUBLIC: return 1;
	case RC_WHO_USER: return role != NULL;
	case RC_WHO_CASE: return role != NULL && !rc_proc_admin_role(role);
	case RC_WHO_ROLES:
		if (!role || !*role)
			return 0;
		for (const char *p = r->roles; *p;) {
			size_t n = strcspn(p, ",");
			if (strlen(role) == n && memcmp(p, role, n) == 0)
				return 1;
			p += n + (p[n] == ',');
		}
		return 0;
	}
	return 0;
}

/* *visible: a row of `q` bound to key (text or id) was found, and its
 * organisation (column org_col) is user_org or below it. */
static enum rc_err visible(struct rc_store *s, enum rc_query q, const char *key, int64_t id,
			   int org_col, int64_t user_org, int *vis)
{
	struct rc_stmt *st;
	int row, more;
	int64_t org = 0;
	enum rc_err e;
	*vis = 0;
	if ((e = rc_store_stmt(s, q, &st)) ||
	    (e = key ? rc_stmt_bind_str(st, 1, key) : rc_stmt_bind_int(st, 1, id)) ||
	    (e = rc_stmt_step(st, &row)))
		return e;
	if (row)
		org = rc_stmt_int(st, org_col);
	for (more = row; !e && more;)
		e = rc_stmt_step(st, &more); /* to the end: no snapshot left open */
	if (e || !row)
		return e;
	return rc_proc_in_scope(s, org, user_org, vis);
}

enum rc_err rc_proc_case_visible(struct rc_store *s, const char *code, const struct rc_viewer *v,
				 int *vis)
{
	struct rc_stmt *st;
	int row, more;
	int64_t handling = 0, subject = 0, person = 0;
	enum rc_err e;
	*vis = 0;
	if ((e = rc_store_stmt(s, Q_CASE_BY_CODE, &st)) || (e = rc_stmt_bind_str(st, 1, code)) ||
	    (e = rc_stmt_step(st, &row)))
		return e;
	if (row) {
		person = rc_stmt_is_null(st, 1) ? 0 : rc_stmt_int(st, 1);
		subject = rc_stmt_is_null(st, 2) ? 0 : rc_stmt_int(st, 2);
		handling = rc_stmt_int(st, 6);
	}
	for (more = row; !e && more;)
		e = rc_stmt_step(st, &more); /* to the end: no snapshot left open */
	if (e || !row)
		return e;
	return rc_proc_case_reach(s, v, handling, subject, person, vis);
}

enum rc_err rc_proc_person_visible(struct rc_store *s, int64_t id, int64_t user_org, int *vis)
{
	return visible(s, Q_PERSON_BY_ID, NULL, id, 1, user_org, vis);
}

enum rc_err rc_proc_account_visible(struct rc_store *s, const char *login, int64_t user_org,
				    int *vis)
{
	return visible(s, Q_USER_BY_LOGIN, login, 0, 2, user_org, vis);
}

enum rc_err rc_proc_clarification_visible(struct rc_store *s, int64_t id, int64_t user_org,
					  int *vis)
{
	return visible(s, Q_CLARIFY_GET, NULL, id, 11, user_org, vis);
}
