/*
 * registry.c -- organisations and officials, the records cases refer to.
 *
 * Organisations form a tree, province -> city (设区市) -> county (县/市/区)
 * -> unit (DOMAIN.md §1); a child sits strictly below its parent's level.
 */
#include <stdio.h>
#include <string.h>

#include "procedure/procedure_int.h"

static const char *const levels[] = {"province", "city", "county", "unit"};

static int level_index(const char *l)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(levels[i], l) == 0)
			return i;
	return -1;
}

/* Look an organisation up by code: id and level index, or RC_ERR_NAME. */
static enum rc_err org_find(struct rc_store *s, const char *code, int64_t *id, int *level,
			    struct rc_diags *d)
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
	if (level)
		*level = level_index(rc_stmt_text(st, 2, NULL));
	return RC_OK;
}

/* The audit row names who made the change as the accounts table has them
 * -- 系统管理员 at the root organisation for a change from the web, or
 * "cli" and "-" for a command line without --as -- read in the change's
 * own transaction.  `w` holds the texts the row points to. */
static enum rc_err who_fill(struct rc_store *s, struct rc_audit_entry *row, struct rc_proc_who *w,
			    const char *admin, struct rc_diags *d)
{
	enum rc_err e = rc_proc_who_get(s, row->user, w);
	if (e)
		return e;
	/* An account that makes an administrative change is the administrator
	 * of it (三员分立: the pages' matrix says the same); the command line
	 * without --as is the installation's operator, "cli". */
	if (strcmp(w->role, "cli") != 0 && strcmp(w->role, admin) != 0) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: user '%s' (%s) does not make this change; it is the %s's",
			    w->login, w->role, admin);
		return RC_ERR_RANGE;
	}
	row->user = w->login;
	row->role = w->role;
	row->org = w->org;
	return RC_OK;
}

struct org_add {
	const char *code, *name, *level, *parent;
	int64_t id;
	struct rc_proc_who who;
};

static enum rc_err do_org_add(struct rc_store *s, void *ctx, struct rc_audit_entry *row_out,
			      struct rc_diags *d)
{
	struct org_add *o = ctx;
	struct rc_stmt *st;
	int row, lv = level_index(o->level), plv = -1;
	int64_t parent = 0;
	enum rc_err e;
	if ((e = who_fill(s, row_out, &o->who, "系统管理员", d)))
		return e;
	if (lv < 0) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "level '%s' is not one of: %s", o->level,
			    RC_ORG_LEVELS);
		return RC_ERR_RANGE;
	}
	if (o->parent && (e = org_find(s, o->parent, &parent, &plv, d)))
		return e;
	if (o->parent && lv <= plv) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "a %s cannot sit under '%s', a %s: a child is below its parent's level",
			    o->level, o->parent, levels[plv]);
		return RC_ERR_RANGE;
	}
	if ((e = rc_store_stmt(s, Q_ORG_INSERT, &st)) || (e = rc_stmt_bind_str(st, 1, o->code)) ||
	    (e = rc_stmt_bind_str(st, 2, o->name)) || (e = rc_stmt_bind_str(st, 3, o->level)) ||
	    (e = o->parent ? rc_stmt_bind_int(st, 4, parent) : rc_stmt_bind_null(st, 4)))
		return e;
	if ((e = rc_stmt_step(st, &row))) {
		if (e == RC_ERR_CONFLICT)
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "organisation code '%s' is taken",
				    o->code);
		return e;
	}
	o->id = rc_store_last_id(s);
	return RC_OK;
}

static int check_text(const char *what, const char *v, size_t max, struct rc_diags *d)
{
	if (!v || !*v) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s is required", what);
		return -1;
	}
	if (strlen(v) > max || strchr(v, '\n')) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s must be one line of at most %zu bytes", what,
			    max);
		return -1;
	}
	return 0;
}

enum rc_err rc_proc_org_add(struct rc_unit *u, const char *actor, const char *code,
			    const char *name, const char *level, const char *parent_code,
			    struct rc_diags *d, int64_t *id)
{
	struct org_add o = {code, name, level, parent_code, 0};
	char object[256], after[1024];
	if (check_text("the code", code, 64, d) || check_text("the name", name, 200, d) ||
	    check_text("the level", level, 16, d))
		return RC_ERR_RANGE;
	snprintf(object, sizeof(object), "org:%s", code);
	snprintf(after, sizeof(after), "code=%s\nname=%s\nlevel=%s\nparent=%s\n", code, name, level,
		 parent_code ? parent_code : "");
	struct rc_audit_entry a = {.user = actor,
				   .role = "cli",
				   .org = "-",
				   .action = "org.add",
				   .object = object,
				   .before = "",
				   .after = after};
	enum rc_err e = rc_unit_change(u, &a, do_org_add, &o, d);
	if (!e && id)
		*id = o.id;
	return e;
}

struct person_add {
	const char *name, *org, *post, *rank;
	int64_t id;
	char object[32];
	struct rc_proc_who who;
};

static enum rc_err do_person_add(struct rc_store *s, void *ctx, struct rc_audit_entry *row_out,
				 struct rc_diags *d)
{
	struct person_add *pa = ctx;
	struct rc_stmt *st;
	int row;
	int64_t org;
	enum rc_err e;
	if ((e = who_fill(s, row_out, &pa->who, "系统管理员", d)) ||
	    (e = org_find(s, pa->org, &org, NULL, d)))
		return e;
	if ((e = rc_store_stmt(s, Q_PERSON_INSERT, &st)) ||
	    (e = rc_stmt_bind_str(st, 1, pa->name)) || (e = rc_stmt_bind_int(st, 2, org)) ||
	    (e = rc_stmt_bind_str(st, 3, pa->post)) || (e = rc_stmt_bind_str(st, 4, pa->rank)) ||
	    (e = rc_stmt_step(st, &row)))
		return e;
	pa->id = rc_store_last_id(s);
	snprintf(pa->object, sizeof(pa->object), "person:%lld", (long long)pa->id);
	row_out->object = pa->object;
	return RC_OK;
}

enum rc_err rc_proc_person_add(struct rc_unit *u, const char *actor, const char *name,
			       const char *org_code, const char *post, const char *rank,
			       struct rc_diags *d, int64_t *id)
{
	struct person_add pa = {name, org_code, post, rank, 0, ""};
	char after[1024];
	if (check_text("the name", name, 200, d) ||
	    check_text("the organisation", org_code, 64, d) ||
	    (post && check_text("the post", post, 200, d)) ||
	    (rank && check_text("the rank", rank, 100, d)))
		return RC_ERR_RANGE;
	snprintf(after, sizeof(after), "name=%s\norg=%s\npost=%s\nrank=%s\n", name, org_code,
		 post ? post : "", rank ? rank : "");
	struct rc_audit_entry a = {.user = actor,
				   .role = "cli",
				   .org = "-",
				   .action = "person.add",
				   .object = "person:new",
				   .before = "",
				   .after = after};
	enum rc_err e = rc_unit_change(u, &a, do_person_add, &pa, d);
	if (!e && id)
		*id = pa.id;
	return e;
}

struct user_add {
	const char *login, *name, *org, *role;
	struct rc_proc_who who;
};

static enum rc_err do_user_add(struct rc_store *s, void *ctx, struct rc_audit_entry *row_out,
			       struct rc_diags *d)
{
	struct user_add *ua = ctx;
	struct rc_stmt *st;
	int row;
	int64_t org;
	enum rc_err e;
	if ((e = who_fill(s, row_out, &ua->who, "安全管理员", d)) ||
	    (e = org_find(s, ua->org, &org, NULL, d)))
		return e;
	/* 三员分立: the three administrators run the whole installation (the
	 * audit trail, the policy versions, the accounts), so they sit at the
	 * root organisation, as the first start makes them; one at a county
	 * would hold powers over its siblings that its place does not say. */
	if (rc_proc_admin_role(ua->role)) {
		if ((e = rc_store_stmt(s, Q_ORG_ROOT, &st)) || (e = rc_stmt_step(st, &row)))
			return e;
		int64_t root = row ? rc_stmt_int(st, 0) : 0;
		char code[72];
		snprintf(code, sizeof(code), "%s", row ? rc_stmt_text(st, 1, NULL) : "");
		for (int more = row; !e && more;)
			e = rc_stmt_step(st, &more);
		if (e)
			return e;
		if (org != root) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "a %s sits at the root organisation '%s' (三员分立: the three "
				    "administrators run the whole installation)",
				    ua->role, code);
			return RC_ERR_RANGE;
		}
	}
	if ((e = rc_store_stmt(s, Q_USER_INSERT, &st)) ||
	    (e = rc_stmt_bind_str(st, 1, ua->login)) || (e = rc_stmt_bind_str(st, 2, ua->name)) ||
	    (e = rc_stmt_bind_int(st, 3, org)) || (e = rc_stmt_bind_str(st, 4, ua->role)))
		return e;
	if ((e = rc_stmt_step(st, &row)) == RC_ERR_CONFLICT)
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "login '%s' is taken", ua->login);
	return e;
}

enum rc_err rc_proc_user_add(struct rc_unit *u, const char *actor, const char *login,
			     const char *name, const char *org_code, const char *role,
			     struct rc_diags *d)
{
	struct user_add ua = {login, name, org_code, role};
	char object[128], after[1024];
	/* "cli" names the command line's operator in the audit trail (and "-"
	 * no one): an account of that login would take its rows */
	if (login && (strcmp(login, "cli") == 0 || strcmp(login, "-") == 0)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "the login '%s' is reserved: the audit trail names the command line so",
			    login);
		return RC_ERR_RANGE;
	}
	if (check_text("the login", login, 64, d) || check_text("the name", name, 200, d) ||
	    check_text("the organisation", org_code, 64, d) || check_text("the role", role, 60, d))
		return RC_ERR_RANGE;
	snprintf(object, sizeof(object), "user:%s", login);
	snprintf(after, sizeof(after), "login=%s\nname=%s\norg=%s\nrole=%s\n", login, name,
		 org_code, role);
	struct rc_audit_entry a = {.user = actor,
				   .role = "cli",
				   .org = "-",
				   .action = "user.add",
				   .object = object,
				   .before = "",
				   .after = after};
	return rc_unit_change(u, &a, do_user_add, &ua, d);
}

/* ---- the official a 当事人's account is ------------------------------------ */

struct user_person {
	const char *login;
	int64_t person;
	struct rc_proc_who who;
	char before[40]; /* the tie replaced, for the audit row */
};

static enum rc_err do_user_person(struct rc_store *s, void *ctx, struct rc_audit_entry *row_out,
				  struct rc_diags *d)
{
	struct user_person *up = ctx;
	struct rc_stmt *st;
	int row, in;
	int64_t id, org, person_org;
	char role[64];
	enum rc_err e;
	if ((e = who_fill(s, row_out, &up->who, "安全管理员", d)) ||
	    (e = rc_store_stmt(s, Q_USER_BY_LOGIN, &st)) ||
	    (e = rc_stmt_bind_str(st, 1, up->login)) || (e = rc_stmt_step(st, &row)))
		return e;
	if (!row) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "no user '%s'", up->login);
		return RC_ERR_NAME;
	}
	id = rc_stmt_int(st, 0);
	org = rc_stmt_int(st, 2);
	snprintf(role, sizeof(role), "%s", rc_stmt_text(st, 3, NULL));
	up->before[0] = '\0';
	if (!rc_stmt_is_null(st, 5))
		snprintf(up->before, sizeof(up->before), "person=%lld\n",
			 (long long)rc_stmt_int(st, 5));
	row_out->before = up->before;
	if ((e = rc_proc_stmt_done(st)))
		return e;
	/* Only the official concerned is scoped by an official record: any
	 * other role would gain nothing from one, and a department's account
	 * tied to an official would read as that official's. */
	if (rc_proc_case_scope(role) != RC_SCOPE_BY_PARTY) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "user '%s' has the role '%s'; only a 当事人's account is tied to an "
			    "official",
			    up->login, role);
		return RC_ERR_RANGE;
	}
	if ((e = rc_store_stmt(s, Q_PERSON_BY_ID, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, up->person)) || (e = rc_stmt_step(st, &row)))
		return e;
	if (!row) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "no official with id %lld; `rongcuo person list` shows them",
			    (long long)up->person);
		return RC_ERR_NAME;
	}
	person_org = rc_stmt_int(st, 1);
	if ((e = rc_proc_stmt_done(st)) || (e = rc_proc_in_scope(s, person_org, org, &in)))
		return e;
	if (!in) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "official %lld is not of the organisation of user '%s' or one below "
			    "it",
			    (long long)up->person, up->login);
		return RC_ERR_RANGE;
	}
	if ((e = rc_store_stmt(s, Q_USER_SET_PERSON, &st)) || (e = rc_stmt_bind_int(st, 1, id)) ||
	    (e = rc_stmt_bind_int(st, 2, up->person)))
		return e;
	/* one account per official (schema 15) */
	if ((e = rc_stmt_step(st, &row)) == RC_ERR_CONFLICT)
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "official %lld is already the official of another 当事人 account; an "
			    "official has one",
			    (long long)up->person);
	return e;
}

enum rc_err rc_proc_user_person(struct rc_unit *u, const char *actor, const char *login,
				int64_t person_id, struct rc_diags *d)
{
	struct user_person up = {login, person_id};
	char object[128], after[64];
	if (check_text("the login", login, 64, d))
		return RC_ERR_RANGE;
	if (person_id <= 0) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "an official's id is a positive number");
		return RC_ERR_RANGE;
	}
	snprintf(object, sizeof(object), "user:%s", login);
	snprintf(after, sizeof(after), "person=%lld\n", (long long)person_id);
	struct rc_audit_entry a = {.user = actor,
				   .role = "cli",
				   .org = "-",
				   .action = "user.person",
				   .object = object,
				   .before = "",
				   .after = after};
	return rc_unit_change(u, &a, do_user_person, &up, d);
}
