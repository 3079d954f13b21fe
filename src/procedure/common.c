/*
 * common.c -- what the procedure's operations share: who acts, where, in
 * which role.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/utf8.h"
#include "crypto/crypto.h"
#include "procedure/procedure_int.h"

const char *const rc_admin_roles[4] = {"系统管理员", "安全管理员", "审计管理员", NULL};

int rc_proc_admin_role(const char *role)
{
	for (int i = 0; rc_admin_roles[i]; i++)
		if (strcmp(rc_admin_roles[i], role) == 0)
			return 1;
	return 0;
}

enum rc_err rc_proc_role_check(const struct rc_policy_set *set, const char *role,
			       struct rc_diags *d)
{
	char list[1024];
	size_t off = 0;
	list[0] = '\0';
	if (rc_proc_admin_role(role))
		return RC_OK;
	for (int v = 0; v < rc_policy_set_count(set); v++) {
		const struct rc_policy *p = rc_policy_set_get(set, v);
		struct rc_step_info si;
		for (int i = 0; rc_policy_step(p, i, &si) == RC_OK; i++)
			for (int a = 0; a < si.n_actors; a++) {
				if (strcmp(si.actors[a], role) == 0)
					return RC_OK;
				/* the list for the message, each role once */
				char quoted[80];
				snprintf(quoted, sizeof(quoted), "%s, ", si.actors[a]);
				if (!strstr(list, quoted) && off + strlen(quoted) < sizeof(list)) {
					memcpy(list + off, quoted, strlen(quoted) + 1);
					off += strlen(quoted);
				}
			}
	}
	rc_diag_add(d, RC_SEV_ERROR, 0, 0,
		    "role '%s' is not a role of the procedure; the roles are %s"
		    "and the administrators 系统管理员, 安全管理员, 审计管理员",
		    role, list);
	return RC_ERR_NAME;
}

enum rc_err rc_proc_actor_find(struct rc_store *s, const char *login, struct rc_actor *a,
			       struct rc_diags *d)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_USER_BY_LOGIN, &st)) || (e = rc_stmt_bind_str(st, 1, login)) ||
	    (e = rc_stmt_step(st, &row)))
		return e;
	if (!row) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "no user '%s'; add one with `rongcuo user add`",
			    login);
		return RC_ERR_NAME;
	}
	a->id = rc_stmt_int(st, 0);
	a->org = rc_stmt_int(st, 2);
	a->person = rc_stmt_is_null(st, 5) ? 0 : rc_stmt_int(st, 5);
	snprintf(a->role, sizeof(a->role), "%s", rc_stmt_text(st, 3, NULL));
	a->disabled = (int)rc_stmt_int(st, 4);
	if (a->disabled) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "user '%s' is disabled", login);
		return RC_ERR_RANGE;
	}
	if (rc_proc_admin_role(a->role)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: user '%s' is a %s; the three administrators (三员分立) run "
			    "the system and do not act in cases",
			    login, a->role);
		return RC_ERR_RANGE;
	}
	a->org_code[0] = '\0';
	if ((e = rc_store_stmt(s, Q_ORG_BY_ID, &st)) || (e = rc_stmt_bind_int(st, 1, a->org)) ||
	    (e = rc_stmt_step(st, &row)))
		return e;
	snprintf(a->org_code, sizeof(a->org_code), "%s", row ? rc_stmt_text(st, 0, NULL) : "-");
	return RC_OK;
}

void rc_proc_fill_row(struct rc_audit_entry *row, const struct rc_actor *a, const char *object,
		      const char *before, const char *after)
{
	row->role = a->role;
	row->org = a->org_code;
	row->object = object;
	row->before = before;
	row->after = after;
}

enum rc_err rc_proc_org_id(struct rc_store *s, const char *code, int64_t *id, struct rc_diags *d)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_ORG_BY_CODE, &st)) || (e = rc_stmt_bind_str(st, 1, code)) ||
	    (e = rc_stmt_step(st, &row)))
		return e;
	if (!row) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "no organisation with code '%s'; `rongcuo org list` shows them", code);
		return RC_ERR_NAME;
	}
	*id = rc_stmt_int(st, 0);
	return RC_OK;
}

/* Scope (DOMAIN.md §1): a user acts on the cases of their own organisation
 * and of those below it -- never of siblings or superiors. */
enum rc_err rc_proc_in_scope(struct rc_store *s, int64_t case_org, int64_t user_org, int *ok)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_ORG_WITHIN, &st)) || (e = rc_stmt_bind_int(st, 1, case_org)) ||
	    (e = rc_stmt_bind_int(st, 2, user_org)) || (e = rc_stmt_step(st, &row)))
		return e;
	*ok = row;
	/* to the end: a statement left on its row keeps SQLite's read
	 * snapshot, and a server (which calls this from its gate, outside any
	 * transaction) would then not see another process's changes -- a
	 * session revoked or a user disabled from the command line -- at the
	 * next request */
	return row ? rc_proc_stmt_done(st) : RC_OK;
}

int rc_proc_performs(const struct rc_step_info *si, const char *role)
{
	for (int i = 0; i < si->n_actors; i++)
		if (strcmp(si->actors[i], role) == 0)
			return 1;
	return 0;
}

enum rc_err rc_proc_case_load(struct rc_store *s, const struct rc_policy *policy, const char *code,
			      struct rc_case_row *c, struct rc_diags *d)
{
	struct rc_stmt *st;
	int r;
	enum rc_err e;
	if ((e = rc_store_stmt(s, Q_CASE_BY_CODE, &st)) || (e = rc_stmt_bind_str(st, 1, code)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	if (!r) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "no case '%s'", code);
		return RC_ERR_NOT_FOUND;
	}
	c->id = rc_stmt_int(st, 0);
	c->person_id = rc_stmt_is_null(st, 1) ? 0 : rc_stmt_int(st, 1);
	c->subject_org = rc_stmt_is_null(st, 2) ? 0 : rc_stmt_int(st, 2);
	c->handling = rc_stmt_int(st, 6);
	c->committee = rc_stmt_is_null(st, 7) ? 0 : rc_stmt_int(st, 7);
	c->prepared_by = rc_stmt_int(st, 13);
	c->row_version = rc_stmt_int(st, 14);
	snprintf(c->series, sizeof(c->series), "%s", rc_stmt_text(st, 8, NULL));
	snprintf(c->version, sizeof(c->version), "%s", rc_stmt_text(st, 9, NULL));
	snprintf(c->state, sizeof(c->state), "%s", rc_stmt_text(st, 10, NULL));
	snprintf(c->start_path, sizeof(c->start_path), "%s", rc_stmt_text(st, 3, NULL));
	if (strcmp(c->state, RC_STATE_WITHDRAWN) == 0) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "refused: case %s was withdrawn (撤回申请); nothing more is recorded on it",
		    code);
		return RC_ERR_RANGE;
	}
	/* The case stays on the version it was opened under. */
	if (policy && (strcmp(c->series, rc_policy_series(policy)) != 0 ||
		       strcmp(c->version, rc_policy_version(policy)) != 0)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "case %s was opened under policy %s %s; load that version (--policy)",
			    code, c->series, c->version);
		return RC_ERR_RANGE;
	}
	return RC_OK;
}

void rc_proc_actors_text(const struct rc_step_info *si, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int i = 0; i < si->n_actors && off + 1 < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "", si->actors[i]);
}

enum rc_err rc_proc_text_opt(const char *what, const char *v, size_t max, struct rc_diags *d)
{
	if (!v)
		return RC_OK;
	size_t len = strlen(v);
	if (!len) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s must not be empty", what);
		return RC_ERR_RANGE;
	}
	if (len > max) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s is %zu bytes long; at most %zu are allowed",
			    what, len, max);
		return RC_ERR_RANGE;
	}
	/* One line: the records are shown one per line, and a newline or
	 * another control character could forge a line of `case show`. */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "%s must be one line, without control characters", what);
			return RC_ERR_RANGE;
		}
	if (!rc_utf8_valid(v, len, NULL)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s is not valid UTF-8", what);
		return RC_ERR_RANGE;
	}
	return RC_OK;
}

enum rc_err rc_proc_text(const char *what, const char *v, size_t max, struct rc_diags *d)
{
	if (!v || !*v) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s is required", what);
		return RC_ERR_RANGE;
	}
	return rc_proc_text_opt(what, v, max, d);
}

enum rc_err rc_proc_canon(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len ? RC_ERR_INTERNAL : RC_OK;
}

/* The roles whose scope is not the handling unit's (DOMAIN.md §1, §3: a
 * case is started on the application of the official concerned, 当事人,
 * or of their unit, 所在单位).  They name a relation to the case's
 * subject, not a department that handles cases: an official's unit may
 * see the cases about its officials wherever they are handled -- a
 * county's bureau, a case the county's committee handles -- and an
 * official only the cases about themselves, never a colleague's. */
enum rc_case_scope rc_proc_case_scope(const char *role)
{
	if (role && strcmp(role, "当事人") == 0)
		return RC_SCOPE_BY_PARTY;
	if (role && strcmp(role, "所在单位") == 0)
		return RC_SCOPE_BY_SUBJECT;
	return RC_SCOPE_BY_HANDLING;
}

enum rc_err rc_proc_case_reach(struct rc_store *s, const struct rc_viewer *v, int64_t handling,
			       int64_t subject_org, int64_t person, int *ok)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	*ok = 0;
	switch (rc_proc_case_scope(v->role)) {
	case RC_SCOPE_BY_PARTY:
		/* an account not yet tied to its official reaches nothing */
		*ok = v->person > 0 && person == v->person;
		return RC_OK;
	case RC_SCOPE_BY_SUBJECT:
		if (subject_org && (e = rc_proc_in_scope(s, subject_org, v->org, ok)))
			return e;
		if (*ok || !person)
			return RC_OK;
		if ((e = rc_store_stmt(s, Q_PERSON_BY_ID, &st)) ||
		    (e = rc_stmt_bind_int(st, 1, person)) || (e = rc_stmt_step(st, &row)))
			return e;
		int64_t org = row ? rc_stmt_int(st, 1) : 0;
		if (row && (e = rc_proc_stmt_done(st)))
			return e;
		return org ? rc_proc_in_scope(s, org, v->org, ok) : RC_OK;
	case RC_SCOPE_BY_HANDLING: break;
	}
	return rc_proc_in_scope(s, handling, v->org, ok);
}

enum rc_err rc_proc_require_scope(struct rc_store *s, const struct rc_case_row *c,
				  const struct rc_actor *a, const char *login, struct rc_diags *d)
{
	int ok;
	struct rc_viewer v = {a->org, a->person, a->role};
	enum rc_err e = rc_proc_case_reach(s, &v, c->handling, c->subject_org, c->person_id, &ok);
	if (e)
		return e;
	if (!ok && rc_proc_case_scope(a->role) == RC_SCOPE_BY_HANDLING) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: user '%s' is not in the case's organisation or one above it",
			    login);
		return RC_ERR_RANGE;
	}
	if (!ok) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: the case is not in the scope of user '%s' (%s: %s)", login,
			    a->role,
			    rc_proc_case_scope(a->role) == RC_SCOPE_BY_PARTY
				? "the cases about the official the account is"
				: "the cases about an official or a unit of its organisation or "
				  "below");
		return RC_ERR_RANGE;
	}
	return RC_OK;
}

enum rc_err rc_proc_case_actor(struct rc_store *s, const struct rc_policy *p, const char *actor,
			       const char *code, const char *step, const char *what,
			       struct rc_case_row *c, struct rc_actor *a, struct rc_step_info *si,
			       struct rc_diags *d)
{
	char roles[512];
	enum rc_err e;
	if ((e = rc_proc_case_load(s, p, code, c, d)) || (e = rc_proc_actor_find(s, actor, a, d)) ||
	    (e = rc_proc_require_scope(s, c, a, actor, d)))
		return e;
	int i = rc_policy_find(p, RC_K_STEP, step);
	if (i < 0 || rc_policy_step(p, i, si)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: policy %s has no step '%s', whose roles record %s",
			    rc_policy_version(p), step, what);
		return RC_ERR_RANGE;
	}
	if (!rc_proc_performs(si, a->role)) {
		rc_proc_actors_text(si, roles, sizeof(roles));
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: %s is recorded by the roles of step '%s' (%s); user '%s' has "
			    "the role '%s'",
			    what, step, roles, actor, a->role);
		return RC_ERR_RANGE;
	}
	return RC_OK;
}

enum rc_err rc_proc_decision_meeting(struct rc_store *s, int64_t case_id, int *found,
				     int32_t *meeting)
{
	struct rc_stmt *st;
	size_t len;
	enum rc_err e;
	*found = 0;
	*meeting = INT32_MIN;
	if ((e = rc_store_stmt(s, Q_DECISION_OF_CASE, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, case_id)) || (e = rc_stmt_step(st, found)))
		return e;
	if (*found) {
		const char *t = rc_stmt_text(st, 0, &len);
		if (rc_date_parse(t, len, meeting))
			return RC_ERR_INTERNAL;
	}
	return RC_OK;
}

enum rc_err rc_proc_add_dur(const struct rc_cal *cal, int32_t from, enum rc_dur_unit unit, int n,
			    int32_t *out, int *warn)
{
	*warn = 0;
	switch (unit) {
	case RC_DUR_DAYS: *out = from + n; return RC_OK;
	case RC_DUR_WORKDAYS:
		if (!cal)
			return RC_ERR_INTERNAL;
		return rc_cal_add_workdays(cal, from, n, out, warn);
	case RC_DUR_MONTHS: *out = rc_date_add_months(from, n); return RC_OK;
	case RC_DUR_YEARS: *out = rc_date_add_months(from, 12 * n); return RC_OK;
	case RC_DUR_NONE: break;
	}
	return RC_ERR_RANGE;
}

void rc_proc_dur_text(enum rc_dur_unit unit, int n, char *buf, size_t len)
{
	static const char *const names[] = {"none", "days", "workdays", "months", "years"};
	if (unit == RC_DUR_NONE)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "%d %s", n, names[unit]);
}

/* ---- times, rows and secret ids (auth.c, tokens.c) ----------------------- */

void rc_proc_utc_text(int64_t t, char out[21])
{
	int y, m, dd;
	int64_t sec = t % 86400;
	rc_date_to_ymd((int32_t)(t / 86400), &y, &m, &dd);
	snprintf(out, 21, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, dd, (int)(sec / 3600),
		 (int)(sec / 60 % 60), (int)(sec % 60));
}

static int two_digits(const char *s, int max, int *v)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return *v <= max ? 0 : -1;
}

int rc_proc_utc_parse(const char *s, size_t len, int64_t *t)
{
	int32_t days;
	int h, m, sec;
	if (len != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
	    rc_date_parse(s, 10, &days) || two_digits(s + 11, 23, &h) ||
	    two_digits(s + 14, 59, &m) || two_digits(s + 17, 59, &sec))
		return -1;
	*t = (int64_t)days * 86400 + h * 3600 + m * 60 + sec;
	return 0;
}

enum rc_err rc_proc_time_ok(int64_t now, struct rc_diags *d)
{
	if (now >= 0 && now <= RC_AUTH_TIME_MAX)
		return RC_OK;
	rc_diag_add(d, RC_SEV_ERROR, 0, 0, "the time %lld is outside 1970-01-01 .. 2199-01-01",
		    (long long)now);
	return RC_ERR_RANGE;
}

/* On SQLite a statement left on its last row keeps its read transaction
 * open, and later reads outside a transaction would see the database as
 * it was: hence to the end. */
enum rc_err rc_proc_stmt_done(struct rc_stmt *st)
{
	int row = 1;
	enum rc_err e = RC_OK;
	while (!e && row)
		e = rc_stmt_step(st, &row);
	return e;
}

int rc_proc_col_copy(struct rc_stmt *st, int col, char *dst, size_t cap)
{
	size_t len;
	const char *t = rc_stmt_text(st, col, &len);
	if (len >= cap) {
		dst[0] = '\0';
		return -1;
	}
	memcpy(dst, t, len);
	dst[len] = '\0';
	return 0;
}

int rc_proc_id_hash(const char *id, char hash[2 * RC_SM3_LEN + 1])
{
	uint8_t raw[RC_PROC_ID_LEN], h[RC_SM3_LEN];
	size_t len = 0;
	if (!id || strlen(id) != 2 * RC_PROC_ID_LEN ||
	    rc_unhex(id, 2 * RC_PROC_ID_LEN, raw, sizeof(raw), &len) || len != RC_PROC_ID_LEN ||
	    rc_sm3(raw, sizeof(raw), h)) {
		rc_crypto_wipe(raw, sizeof(raw));
		return -1;
	}
	rc_hex(h, sizeof(h), hash);
	rc_crypto_wipe(raw, sizeof(raw));
	return 0;
}
