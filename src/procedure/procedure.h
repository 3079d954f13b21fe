/*
 * procedure.h -- where a case's rules, records and audit meet.
 *
 * Every change to the store goes through a unit of work: the change and its
 * audit row are written in one transaction, committed together or not at
 * all, and the audit head moves after the commit.  The CLI, the web pages
 * and the API all change data through this module, so they share its
 * guards: role (from the policy's steps), organisation scope, step or
 * state, four eyes.  A refused change writes nothing and says which rule
 * refused it.  docs/modules/procedure.md describes every operation and
 * docs/data-model.md every table it writes.
 */
#ifndef RC_PROCEDURE_H
#define RC_PROCEDURE_H

#include <stdint.h>
#include <stdio.h>

#include "audit/audit.h"
#include "core/diag.h"
#include "store/store.h"

struct rc_unit {
	struct rc_store *store;
	const uint8_t *key;    /* the audit key, RC_AUDIT_KEY_LEN bytes (borrowed) */
	const char *head_path; /* the audit head file, or NULL */
	char request_id[17];   /* one per command or request */
	/* An idempotency key the client chose for this change (NULL: none).
	 * The change records it in the same transaction; a change that finds
	 * its key already recorded changes nothing (RC_ERR_CONFLICT, "already
	 * made"), so a retry after a lost answer or a dropped connection never
	 * makes a record twice. */
	const char *idem_key;
	/* Called when the key is found already recorded (after the rollback),
	 * instead of failing with RC_ERR_CONFLICT: the CLI prints what was made
	 * and exits successfully.  NULL: RC_ERR_CONFLICT, "already made". */
	void (*on_made)(const char *key, const char *action, const char *object, const char *at);
	/* Changes refused (RC_ERR_USAGE): the store is not the one the audit
	 * head file vouches for (the CLI's --db naming another database). */
	int read_only;
};

/* Give the unit a fresh random request id. */
enum rc_err rc_unit_init(struct rc_unit *u);

/* A key can name one change: 1..RC_IDEM_KEY_MAX printable ASCII
 * characters, no space. */
#define RC_IDEM_KEY_MAX 64
int rc_unit_key_ok(const char *key);

/* The change recorded under idempotency key `key`: *found, and its action,
 * object and time (UTC) into the buffers (each at least 128 bytes). */
enum rc_err rc_unit_made(struct rc_store *s, const char *key, int *found, char *action,
			 char *object, char *at);

/* One change: fn(store, ctx, row, d) runs inside a transaction -- it may
 * complete the audit row (an object id known only after an insert) --
 * then the row (request id filled in) is appended, then everything
 * commits, or nothing does.  A transaction that meets a busy database
 * (RC_ERR_BUSY) is run again, fn included, up to three times: fn must
 * derive everything from the store, not from an earlier attempt. */
typedef enum rc_err (*rc_change_fn)(struct rc_store *s, void *ctx, struct rc_audit_entry *row,
				    struct rc_diags *d);
enum rc_err rc_unit_change(struct rc_unit *u, const struct rc_audit_entry *a, rc_change_fn fn,
			   void *ctx, struct rc_diags *d);

/* ---- the registry: organisations and people ------------------------- */

/* Levels of the organisation tree (DOMAIN.md §1). */
#define RC_ORG_LEVELS "province, city, county, unit"

/* Add an organisation under `parent_code` (NULL for the root).  Errors:
 * RC_ERR_NAME (unknown parent), RC_ERR_CONFLICT (code taken), RC_ERR_RANGE
 * (bad level, or a level not below the parent's). */
enum rc_err rc_proc_org_add(struct rc_unit *u, const char *actor, const char *code,
			    const char *name, const char *level, const char *parent_code,
			    struct rc_diags *d, int64_t *id);

/* Add an official (the subject of cases) in organisation `org_code`. */
enum rc_err rc_proc_person_add(struct rc_unit *u, const char *actor, const char *name,
			       const char *org_code, const char *post, const char *rank,
			       struct rc_diags *d, int64_t *id);

/* The three administrators (三员分立, as 等级保护 requires): 系统管理员 runs
 * the system (organisations, people, calendar, policy versions), 安全管理员
 * the accounts and their roles, 审计管理员 reads the audit trail.  Each is a
 * user's role like any other, and an administrator never acts in a case: no
 * step, fact, decision, record, verification, clarification or import
 * accepts one, whatever a policy's procedure names.  (The areas each one
 * may administer are enforced where users log in, by the permission
 * matrix.)  rc_proc_admin_role: 1 when `role` is one of the three. */
extern const char *const rc_admin_roles[4]; /* NULL-terminated */
int rc_proc_admin_role(const char *role);

/* A user's role must be one the procedure knows: a role that performs a
 * step (`actor`) in one of the loaded policy versions, or one of the three
 * administrators.  RC_ERR_NAME with a message listing the roles when it is
 * neither. */
struct rc_policy_set;
enum rc_err rc_proc_role_check(const struct rc_policy_set *set, const char *role,
			       struct rc_diags *d);

/* Add a user account (login unique) with a role in an organisation.  One
 * of the three administrators only at the root organisation (RC_ERR_RANGE
 * elsewhere): they run the whole installation. */
enum rc_err rc_proc_user_add(struct rc_unit *u, const char *actor, const char *login,
			     const char *name, const char *org_code, const char *role,
			     struct rc_diags *d);

/* Name the official (people.id) that the 当事人 account `login` is: such an
 * account reaches the cases about that official and nothing else, and
 * none at all before it is named (access.c).  Only for a 当事人 account;
 * the official must belong to the account's organisation or one below it.
 * RC_ERR_NAME (no such user or official), RC_ERR_RANGE (not a 当事人, or
 * the official out of its organisation), with a message. */
enum rc_err rc_proc_user_person(struct rc_unit *u, const char *actor, const char *login,
				int64_t person_id, struct rc_diags *d);

/* ---- accounts, log-in and sessions (auth.c) ------------------------ */

/*
 * What the web application's log-in stands on (issue 5): argon2id password
 * hashes, a TOTP second factor required of every account, server-side
 * sessions, back-off after failures, and one answer for every failed
 * log-in.  Every change is a unit of work with its audit row; no password,
 * hash, TOTP secret, code or session id is ever in an audit row or its
 * canonical text (the chain stores the SM3 of that text, and the SM3 of a
 * low-entropy text can be searched for).  Times are unix seconds passed in
 * by the caller (now_unix, 0 .. RC_AUTH_TIME_MAX), so that tests choose
 * them; stored times are UTC text "YYYY-MM-DDTHH:MM:SSZ".
 *
 * Log-in, enrolment and logout take no idempotency key (u->idem_key is
 * ignored): they are not changes a client repeats.
 */

/* Passwords are 12 to 1024 bytes (OWASP ASVS V2.1.1, V2.1.2; bytes, not
 * characters: UTF-8 as typed, never normalised). */
#define RC_AUTH_PASSWORD_MIN 12
#define RC_AUTH_PASSWORD_MAX 1024

/* Back-off: the 5th consecutive failure locks the account for 1 minute,
 * each further failure after a lock ran out doubles it (2, 4, 8 ...), up
 * to 1 hour.  Attempts while locked are answered as failures and are not
 * counted.  A success resets the count. */
#define RC_AUTH_LOCK_AFTER 5
#define RC_AUTH_LOCK_FIRST 60
#define RC_AUTH_LOCK_MAX   3600

/* Sessions: idle timeout 30 min, absolute lifetime 12 h unless the caller
 * says otherwise; last_seen_at is written at most once a minute. */
#define RC_SESSION_IDLE     1800
#define RC_SESSION_ABSOLUTE 43200
#define RC_SESSION_TOUCH    60
#define RC_SESSION_ID_HEX   33 /* 32 hex digits (128 random bits) + NUL */

#define RC_AUTH_TIME_MAX INT64_C(7226582400) /* 2199-01-01T00:00:00Z */

/* The one answer to every failed log-in (unknown user, disabled, locked,
 * no password yet, wrong password, wrong or replayed code). */
#define RC_AUTH_FAILED "登录失败:用户名、密码或动态口令不正确 (login failed)"

/* Set user `login`'s password (argon2id), by `actor` (a login, or "cli"),
 * and whether it must be changed at the next log-in.  Clears the failure
 * count and any lock, and revokes every live session of the user except
 * `keep_session` (the id of the session the user changed it from; NULL:
 * all).  RC_ERR_RANGE for a password outside RC_AUTH_PASSWORD_MIN..MAX
 * bytes, RC_ERR_NAME for an unknown user.  Audit row `user.password`,
 * whose canonical text says "password changed" and nothing of it. */
enum rc_err rc_proc_password_set(struct rc_unit *u, const char *actor, const char *login,
				 const char *password, int must_change, const char *keep_session,
				 struct rc_diags *d);

/* A user changing their own password (not a forced change): the current
 * one must be right (OWASP ASVS V2.1.5), else RC_ERR_RANGE ("the current
 * password is not right") and nothing changes; then as
 * rc_proc_password_set by the user, keeping session `keep_session`. */
enum rc_err rc_proc_password_change(struct rc_unit *u, const char *login, const char *current,
				    const char *password, const char *keep_session,
				    struct rc_diags *d);

struct rc_session_limits {
	int64_t idle_s;     /* > 0 */
	int64_t absolute_s; /* > 0 */
};

struct rc_login {
	char session_id[RC_SESSION_ID_HEX]; /* RC_OK: the new session's id; caller wipes */
	int must_change_password;           /* RC_OK: the user must set a new password now */
};

/* Log in with a password and a 6-digit TOTP code at now_unix; sessions
 * last as `lim` says (NULL: RC_SESSION_IDLE and RC_SESSION_ABSOLUTE).
 *
 * - RC_OK: a new session, whose 128-bit random id goes to out->session_id
 *   (the store keeps only its SM3); the code's step is recorded (a code
 *   is good once), the failure count reset.  Audit row `auth.login`.
 * - RC_ERR_NOT_FOUND: the password was right, but the user has no
 *   authenticator yet: enrol one (rc_proc_totp_enrol_begin), then log in.
 *   No session.  Given only after a right password, to an enabled,
 *   unlocked user.  Audit row `auth.login.enrol`.
 * - RC_ERR_RANGE with the one message RC_AUTH_FAILED, and nothing else in
 *   d, for every failure: an unknown login, a disabled or locked user, one
 *   without a password, a wrong password, a wrong or replayed code.  Each
 *   costs the same: one argon2id verification (rc_password_dummy_verify
 *   for an unknown user or one without a password), one TOTP check, one
 *   transaction that updates the user's failure count (no row for an
 *   unknown login) and writes the audit row `auth.login.failed` -- never
 *   with the password or the code; an unknown login is recorded as given,
 *   cut to 64 bytes, with control characters and invalid UTF-8 as '?'.
 * - other errors: the store failed (with its message). */
enum rc_err rc_proc_login(struct rc_unit *u, const char *login, const char *password,
			  const char *totp_code, int64_t now_unix,
			  const struct rc_session_limits *lim, struct rc_login *out,
			  struct rc_diags *d);

#define RC_TOTP_SECRET_B32 33 /* base32 of a 20-byte secret + NUL */

struct rc_totp_enrolment {
	char secret[RC_TOTP_SECRET_B32]; /* base32, for typing into the app */
	char uri[512];                   /* otpauth://totp/rongcuo:LOGIN?secret=... (a QR code) */
};

/* Begin TOTP enrolment: after the password (checked as rc_proc_login does,
 * with the same back-off and the same answer RC_AUTH_FAILED for every
 * failure), a new random secret, kept sealed as the user's pending secret
 * (a second begin replaces it), goes to *out for the user's app.  Both
 * texts hold the secret: show them once, then rc_crypto_wipe them.
 * RC_ERR_CONFLICT when the user already has an authenticator (the
 * 安全管理员 resets it).  Audit row `user.totp.begin`. */
enum rc_err rc_proc_totp_enrol_begin(struct rc_unit *u, const char *login, const char *password,
				     int64_t now_unix, struct rc_totp_enrolment *out,
				     struct rc_diags *d);

/* Finish it: a first valid code of the pending secret at now_unix proves
 * that the app has it, and only then does it become the user's secret.
 * The code is spent: the next log-in needs a later one.  Every failure
 * (unknown user, none pending, wrong code, locked, disabled) answers
 * RC_ERR_RANGE with RC_AUTH_FAILED; a wrong code counts as a failed
 * log-in.  Audit row `user.totp.enrol`. */
enum rc_err rc_proc_totp_enrol_finish(struct rc_unit *u, const char *login, const char *code,
				      int64_t now_unix, struct rc_diags *d);

/* Who a session belongs to. */
struct rc_session_user {
	int64_t user_id, org_id;
	int64_t person_id; /* a 当事人's official (rc_proc_user_person), else 0 */
	char login[72];
	char role[64];
	char org_code[72];
	int must_change_password;
};

/* The user of session `id` at now_unix: valid only when it exists, is not
 * revoked, was used within its idle timeout, is before its absolute
 * expiry, and its user is not disabled; otherwise RC_ERR_NOT_FOUND with one
 * message whatever the reason.  A valid session's last_seen_at moves to
 * now_unix when it is RC_SESSION_TOUCH seconds or more behind: a write in
 * its own statement, outside any transaction of the caller's (call this
 * outside one) and not audited -- it records no decision, only that the
 * session is in use, and an audit row per request would bury the trail.
 * A touch that fails leaves the answer valid, with a warning in d. */
enum rc_err rc_proc_session_check(struct rc_store *s, const char *id, int64_t now_unix,
				  struct rc_session_user *out, struct rc_diags *d);

/* Log out: revoke session `id`.  RC_ERR_NOT_FOUND (nothing written) when
 * there is no such live session.  Audit row `auth.logout`. */
enum rc_err rc_proc_logout(struct rc_unit *u, const char *id, struct rc_diags *d);

/* Disable user `login` (by `actor`) and revoke all their sessions in the
 * same transaction, so the next request is refused.  RC_ERR_NAME (unknown),
 * RC_ERR_RANGE (already disabled).  Audit row `user.disable`. */
enum rc_err rc_proc_user_disable(struct rc_unit *u, const char *actor, const char *login,
				 struct rc_diags *d);

/* Enable a disabled user again (its failure count and lock cleared); its
 * password and authenticator are as they were.  RC_ERR_RANGE when it is
 * not disabled.  Audit row `user.enable`. */
enum rc_err rc_proc_user_enable(struct rc_unit *u, const char *actor, const char *login,
				struct rc_diags *d);

/* Remove user `login`'s authenticator (a lost phone): the secret and any
 * pending one are cleared and every session revoked in the same
 * transaction; the user enrols a new one at the next log-in, after the
 * password.  RC_ERR_RANGE when there is none.  Audit row `user.totp.reset`
 * (nothing of the secret). */
enum rc_err rc_proc_totp_reset(struct rc_unit *u, const char *actor, const char *login,
			       struct rc_diags *d);

struct rc_admin_account {
	char login[16];    /* sysadmin, secadmin, auditadmin */
	char role[32];     /* 系统管理员, 安全管理员, 审计管理员 */
	char password[40]; /* one-time: show once, then rc_crypto_wipe */
};

struct rc_admin_bootstrap {
	int n; /* accounts made: 0..3 */
	struct rc_admin_account made[3];
};

/* The first start: for each of the three administrator roles that no user
 * has, an account (sysadmin, secadmin, auditadmin) at the root organisation
 * (the first without a parent), with a random one-time password (120 bits,
 * must_change_password = 1) returned in *out for printing once -- never
 * logged, never in the audit row.  All in one transaction; audit row
 * `user.bootstrap` by user "system".  out->n = 0 when every role has a
 * user already: nothing is written.  RC_ERR_NOT_FOUND when no organisation
 * exists yet (nothing is written): the accounts need an organisation, and
 * which one is the root is the installation's choice -- add it (`rongcuo
 * org add CODE NAME province`, or the demo data) and start again.
 * RC_ERR_CONFLICT when one of the logins is taken by another user. */
enum rc_err rc_proc_admins_bootstrap(struct rc_unit *u, struct rc_diags *d,
				     struct rc_admin_bootstrap *out);

/* ---- the permission matrix (access.c) ------------------------------- */

/*
 * data/permissions.tsv, embedded in the binary at build time, says who may
 * reach each route of the server and which objects it may touch; the web
 * pages and the API both enforce it (web/gate.c), and the procedure's own
 * guards (role per step, scope, four eyes) stay behind it.  The file's
 * header comment is the reference of its format.
 */
enum rc_access_who {
	RC_WHO_PUBLIC, /* no session needed */
	RC_WHO_USER,   /* any logged-in user */
	RC_WHO_CASE,   /* any role but the three administrators */
	RC_WHO_ROLES   /* exactly the roles listed */
};

enum rc_access_scope {
	RC_SCOPE_NONE,          /* no object in the route */
	RC_SCOPE_LIST,          /* a list, filtered to the user's scope */
	RC_SCOPE_CASE,          /* {code}: a case */
	RC_SCOPE_PERSON,        /* {id}: an official */
	RC_SCOPE_CLARIFICATION, /* {id}: a 澄清正名 record */
	RC_SCOPE_ACCOUNT        /* {login}: a user account */
};

#define RC_ACCESS_RULES_MAX 256

struct rc_access_rule {
	char method[8];
	char route[128];
	enum rc_access_who who;
	char roles[256]; /* RC_WHO_ROLES: "R1,R2" */
	enum rc_access_scope scope;
	int line; /* in the file, for messages */
};

struct rc_access {
	int n;
	struct rc_access_rule rules[RC_ACCESS_RULES_MAX];
};

/* The matrix as built into the binary (data/permissions.tsv). */
extern const char rc_access_matrix_text[];

/* Parse a matrix text.  Every bad line (a field missing or extra, an
 * unknown method, WHO or SCOPE, a route not beginning with '/', a scope
 * whose parameter the route lacks, a (method, route) twice) is an error in
 * `d` naming its line; RC_ERR_SYNTAX if any. */
enum rc_err rc_access_parse(const char *text, struct rc_access *out, struct rc_diags *d);

/* The rule of (method, route pattern), or NULL. */
const struct rc_access_rule *rc_access_find(const struct rc_access *a, const char *method,
					    const char *route);

/* 1 when a user of `role` (NULL: no session) may reach the rule's route. */
int rc_access_allows(const struct rc_access_rule *r, const char *role);

/* Who looks at cases: the user's organisation, role and, for a 当事人,
 * the official the account is (0: none named). */
struct rc_viewer {
	int64_t org, person;
	const char *role;
};
#define RC_VIEWER_OF(su) ((struct rc_viewer){(su)->org_id, (su)->person_id, (su)->role})

/* The scope of a role's cases (DOMAIN.md §1, access.c): most roles reach
 * the cases handled by their organisation or one below it; 所在单位, the
 * official's own unit, the cases about an official or a unit of its
 * organisation or below, wherever they are handled; 当事人, the official
 * concerned, the cases about them alone. */
enum rc_case_scope { RC_SCOPE_BY_HANDLING, RC_SCOPE_BY_SUBJECT, RC_SCOPE_BY_PARTY };
enum rc_case_scope rc_proc_case_scope(const char *role);

/* Scope (DOMAIN.md §1) for the gate: *visible = 1 when the object exists
 * and belongs to organisation `user_org` or one below it; 0 when it does
 * not exist or is out of scope -- the two are one answer on purpose, so
 * that another organisation's case cannot be told from a missing one.
 * A case by its role's scope (rc_proc_case_scope); an official by their
 * organisation; a clarification by its official's. */
enum rc_err rc_proc_case_visible(struct rc_store *s, const char *code, const struct rc_viewer *v,
				 int *visible);
enum rc_err rc_proc_person_visible(struct rc_store *s, int64_t id, int64_t user_org, int *visible);
enum rc_err rc_proc_clarification_visible(struct rc_store *s, int64_t id, int64_t user_org,
					  int *visible);

/* ---- views: what the pages and the API show (views.c) -------------- */

/*
 * Reads for people, as JSON documents (jansson), so that the web pages and
 * the JSON API show one and the same thing: the page renders the document
 * the API returns.  docs/api.md describes each document.  Views only read;
 * the gate (web/gate.c) has already checked the scope of the object a view
 * is asked for, and list views filter to the user's organisation and below
 * themselves.  A bad filter is RC_ERR_RANGE with messages "FIELD: what is
 * wrong" in d, FIELD the query parameter's name, for the page to show next
 * to the field and the API to return.
 */
#include <jansson.h>

struct rc_view_cache; /* below: the assessments of recent case views */

#define RC_VIEW_LIMIT_DEFAULT 50
#define RC_VIEW_LIMIT_MAX     200
#define RC_VIEW_QUERY_MAX     100 /* bytes of a search text */

struct rc_case_filter {
	const char *state;   /* the current step (当前步骤), or NULL */
	const char *outcome; /* the decision's outcome, or NULL */
	const char *unit;    /* a handling unit's code: it and those below it; NULL: all */
	const char *from;    /* opened on or after, YYYY-MM-DD, or NULL */
	const char *to;      /* opened on or before, YYYY-MM-DD, or NULL */
	const char *q;       /* search in the code and the official's name, or NULL */
	/* a category (容错情形的类别): the cases whose newest recommendation
	 * found it true; or NULL */
	const char *category;
	/* the policy versions loaded, whose categories `category` must be one
	 * of (borrowed; NULL: none, so that any category is unknown) */
	const struct rc_policy_set *set;
	int64_t before_id; /* the next page: cases older than this id; 0: the newest */
	int limit;         /* 1..RC_VIEW_LIMIT_MAX; 0: RC_VIEW_LIMIT_DEFAULT */
};

/* The cases in the viewer's scope (rc_proc_case_scope) matching `f`,
 * newest first: {"cases": [{"code", "state", "person", "handling":
 * {"code", "name"}, "opened", "due", "overdue", "outcome"}], "next":
 * id|null}.  `today` decides "overdue" (the current step's deadline is
 * past).  A unit outside the viewer's organisation is RC_ERR_RANGE
 * ("unit: ..."), as unknown; so is a category no version in f->set
 * declares ("category: ...").  A 当事人 with no official named sees none. */
enum rc_err rc_proc_view_cases(struct rc_store *s, const struct rc_viewer *v,
			       const struct rc_case_filter *f, int32_t today, json_t **out,
			       struct rc_diags *d);

/* The categories (容错情形的类别) of the policy versions in `set` (NULL:
 * none), each name once, in the order of the first version that declares
 * it: at most `cap` into names[] (borrowed from the policies, valid while
 * `set` is).  Returns how many were put there. */
int rc_proc_categories(const struct rc_policy_set *set, const char **names, int cap);

/* My tasks: the cases in the viewer's scope whose current step the
 * viewer's role performs (under the case's policy version in `set`),
 * soonest deadline first (none last), at most RC_VIEW_LIMIT_MAX:
 * {"tasks": [{"code", "state", "person", "handling", "due", "overdue"}],
 * "more": true when there are more}. */
enum rc_err rc_proc_view_tasks(struct rc_store *s, const struct rc_policy_set *set,
			       const struct rc_viewer *v, int32_t today, json_t **out);

/* The case file of `code` (which the caller found visible): the case, its
 * steps, facts with provenance, the last recommendation, the decision,
 * consultation, notices, appeal and review, filings, rectification tasks,
 * follow-ups, effects, the audit rows of the case, the steps that may come
 * next with their roles, and a fresh assessment of the current facts
 * ("assessment": docs/assessment-json.md, with its decisive unknowns, and
 * "explanation": its Chinese prose).  RC_ERR_NOT_FOUND when there is no
 * such case. */
enum rc_err rc_proc_view_case(struct rc_store *s, const struct rc_policy_set *set, const char *code,
			      int32_t today, struct rc_view_cache *cache, json_t **out);

/* The case file as the official concerned (当事人) and their unit (所在单位)
 * see it, from rc_proc_view_case's document: without the consultation
 * (会商研判: the departments' participants, opinions and dissent -- their
 * deliberation) and without the audit rows (the system's internal record).
 * They learn the outcome as the procedure tells it: the decision with its
 * legal basis and reasons, the notices, the appeal and its review.  No-op
 * for a department's role. */
void rc_proc_view_case_for(json_t *doc, const char *role);

/* The data's version: the newest audit row's number.  Every change of the
 * data writes one (a change without its audit row does not happen), so two
 * equal versions read the same data -- what a page shows may be served
 * again while it holds.  0 for an empty trail. */
enum rc_err rc_proc_data_version(struct rc_store *s, int64_t *version);

/* The assessments of the last case views, so that a case read again with
 * the same facts is not evaluated again (views.c says why it is safe): NULL
 * for none.  Not for two threads at once -- the server keeps one per slot
 * of its connection pool (web.h, rc_web_app.views). */
enum rc_err rc_view_cache_new(int entries, struct rc_view_cache **out);
void rc_view_cache_free(struct rc_view_cache *c); /* NULL-safe */

/* The people of `user_org` and below whose name contains `q` (NULL: all):
 * {"people": [{"id", "name", "org": {"code", "name"}, "post", "rank"}]}. */
enum rc_err rc_proc_view_people(struct rc_store *s, int64_t user_org, const char *q, json_t **out,
				struct rc_diags *d);

/* One official (visible to the caller): their record, effects (影响期) and
 * the cases about them that `user_org` may see (a case about the official
 * handled outside the caller's scope is not listed, and an effect of such
 * a case shows no case code: another organisation's case stays unknown).
 * RC_ERR_NOT_FOUND when there is no such official. */
enum rc_err rc_proc_view_person(struct rc_store *s, int64_t id, const struct rc_viewer *v,
				json_t **out);

/* The organisations of `user_org` and below: {"orgs": [{"code", "name",
 * "level"}]}. */
enum rc_err rc_proc_view_orgs(struct rc_store *s, int64_t user_org, json_t **out);

/* The organisations above `user_org`, the root first, as
 * rc_proc_view_orgs: where the official concerned and their unit apply
 * (rc_proc_case_open). */
enum rc_err rc_proc_view_orgs_above(struct rc_store *s, int64_t user_org, json_t **out);

/* The user accounts of `user_org` and below, for the 安全管理员: {"users":
 * [{"login", "name", "org": {"code", "name"}, "role", "disabled",
 * "enrolled", "locked_until", "must_change_password"}]} -- never a hash
 * or a secret. */
enum rc_err rc_proc_view_users(struct rc_store *s, int64_t user_org, json_t **out);

/* The 澄清正名 records about officials of `user_org` and below, newest
 * first: {"clarifications": [{"id", "person", "org", "state", "opened",
 * "unfounded"}]}; and one record (visible to the caller) with its
 * complaint and each stage.  RC_ERR_NOT_FOUND when there is none. */
enum rc_err rc_proc_view_clarifications(struct rc_store *s, int64_t user_org, json_t **out);
enum rc_err rc_proc_view_clarification(struct rc_store *s, int64_t id, json_t **out);

/* The audit trail for the 审计管理员, newest first, RC_VIEW_LIMIT_MAX rows
 * from `before` (0: the newest): {"rows": [{"seq", "at", "user", "role",
 * "org", "action", "object"}], "next": seq|null}. */
enum rc_err rc_proc_view_audit(struct rc_store *s, int64_t before, json_t **out);

/* An account's visibility for the gate ({login}): as rc_proc_case_visible,
 * by the user's organisation. */
enum rc_err rc_proc_account_visible(struct rc_store *s, const char *login, int64_t user_org,
				    int *visible);

/* ---- policy versions (policies.c) --------------------------------- */

struct rc_policy;
struct rc_policy_set;

/* Check a policy text as `rongcuo policy check` and `policy test` do --
 * compile, static check, the policy's own tests -- and whether it can join
 * `set` (same series, a new version, a file name from them).  Every message
 * in d (d->file names the text); on RC_OK *out owns the compiled version. */
enum rc_err rc_proc_policy_check(const struct rc_policy_set *set, const char *text, size_t len,
				 struct rc_diags *d, struct rc_policy **out);

/* Activate a version: checked as above, written as DIR/SERIES-VERSION.rcp
 * (never over an existing file) in a unit of work whose audit row
 * (policy.activate) records its file, digest and effective date, then
 * added to `set`, so that cases opened from its effective date follow it.
 * A change that does not commit leaves no file. */
enum rc_err rc_proc_policy_activate(struct rc_unit *u, const char *actor, const char *role,
				    struct rc_policy_set *set, const char *dir, const char *text,
				    size_t len, struct rc_diags *d);

/* ---- the working-day calendar (calendar.c) -------------------------- */

struct rc_cal;

/* Check one year's calendar text (the .cal format, core/calendar.h)
 * against `cal`, the calendar in force, which is only read: it must parse,
 * be one year, a year `cal` does not hold (a year in force is refused with
 * RC_ERR_CONFLICT: a correction is an edit of its file and a restart,
 * because stored deadlines were counted on it), and list no day another
 * year lists.  Every message in d (d->file names the text); a warning when
 * it lists days of the December before while that year is in force.  On
 * RC_OK *year is the text's year.  Errors: the parser's (RC_ERR_SYNTAX,
 * RC_ERR_RANGE, RC_ERR_LIMIT, RC_ERR_CONFLICT), RC_ERR_NOMEM. */
enum rc_err rc_proc_calendar_check(const struct rc_cal *cal, const char *text, size_t len,
				   struct rc_diags *d, int *year);

/* Activate a year: checked as above, then in one unit of work the
 * calendar directory `dir` is loaded as the next start will load it, with
 * this year (anything the directory holds that `cal` does not, and a file
 * of that name there already, refuse it: RC_ERR_CONFLICT), the text
 * written to DIR/.cn-YEAR.cal.tmp (fsync'd) and the audit row
 * (calendar.activate, object calendar:YEAR, after: the file name and the
 * text's SM3) appended; after the commit the file is linked to
 * DIR/cn-YEAR.cal.  A change that does not commit leaves no file.  On RC_OK
 * *out is that new calendar (the directory's years and this one; caller
 * frees with rc_cal_free): `cal` is never changed.  RC_ERR_IO when the
 * commit happened but the file could not take its name (said in d, with
 * where the text is). */
enum rc_err rc_proc_calendar_activate(struct rc_unit *u, const char *actor, const char *role,
				      const struct rc_cal *cal, const char *dir, const char *text,
				      size_t len, struct rc_diags *d, struct rc_cal **out);

/* ---- cases ---------------------------------------------------------- */

struct rc_case_new {
	const char *code;        /* NULL: generated, HANDLING-YEAR-NNNN */
	int64_t person_id;       /* the official concerned, or 0 */
	const char *subject_org; /* or the unit concerned (code), or NULL */
	const char *start_path;  /* "application" (依申请) or "ex_officio" (依职权) */
	const char *source; /* 监督执纪, 巡视巡察, 干部考核, 监管执法, 审计, 其他 */
	const char *accountability_ref; /* the linked accountability matter, or NULL */
	const char *handling_org;       /* 承办单位 (code) */
	const char *committee_org;      /* the competent party committee's organisation, or NULL */
};

/* Open a case under `policy` (its first procedure step), acted by user
 * `actor`, on `today`.  The actor must have a role of the first step and
 * belong to the handling organisation or one above it.  The step's
 * deadline is counted on `cal`.  The new case's code goes to code_out. */
enum rc_err rc_proc_case_open(struct rc_unit *u, const struct rc_policy *policy,
			      const struct rc_cal *cal, const char *actor,
			      const struct rc_case_new *c, int32_t today, char *code_out,
			      size_t code_len, struct rc_diags *d);

/* Move case `code` to step `next` (performed by `actor`, with a note).
 * Refused, with a message naming the rule, when `next` does not follow the
 * current step, the actor's role does not perform it, the actor is outside
 * the case's organisation, or the step is four-eyes and the actor prepared
 * the case.  RC_ERR_CONFLICT also when another change to the case came
 * first (optimistic locking). */
enum rc_err rc_proc_case_step(struct rc_unit *u, const struct rc_policy *policy,
			      const struct rc_cal *cal, const char *actor, const char *code,
			      const char *next, const char *note, int32_t today,
			      struct rc_diags *d);

/* Record a fact (or a standard's finding) of case `code`: `value` as typed
 * (true/false/是/否, a number, a date, an enum value or grade, text;
 * "unknown" withdraws it), checked against the policy's schema with the
 * assessment's messages.  The previous value stays as history.  The actor
 * must handle the case's current step.  A finding on an analysis standard
 * (DOMAIN.md §2.5) needs its written `reason` (the actor is its assessor). */
enum rc_err rc_proc_case_fact(struct rc_unit *u, const struct rc_policy *policy, const char *actor,
			      const char *code, const char *name, const char *value,
			      const char *evidence, const char *reason, int disputed,
			      struct rc_diags *d);

struct rc_policy_set;

/* Assess the case's current facts against the loaded versions (从旧兼从轻
 * included) and store the recommendation: the policy digest, the facts
 * snapshot and the explanation JSON.  The Chinese explanation is printed to
 * `prose` when not NULL.  Dates are "YYYY-MM-DD" or NULL. */
enum rc_err rc_proc_case_recommend(struct rc_unit *u, const struct rc_policy *policy,
				   const struct rc_policy_set *set, const char *actor,
				   const char *code, const char *conduct, const char *decision,
				   FILE *prose, struct rc_diags *d);

struct rc_decision {
	const char *outcome;     /* an outcome of the policy */
	int32_t meeting_on;      /* the committee meeting */
	const char *body;        /* deciding body's organisation code, or NULL: the case's
	                            committee, else its handling unit */
	const char *legal_basis; /* required */
	const char *reasons;     /* required when it differs from the recommendation */
	const char *sanction_table, *sanction; /* e.g. 党纪处分 / 警告, or both NULL */
};

/* Record the committee's decision (at the four-eyes step, by a role that
 * performs it, not by the preparer), after a recommendation; with a
 * sanction, the impact period starts on the meeting date.  One decision
 * per case (RC_ERR_CONFLICT for a second). */
enum rc_err rc_proc_case_decide(struct rc_unit *u, const struct rc_policy *policy,
				const char *actor, const char *code, const struct rc_decision *dec,
				struct rc_diags *d);

/* 撤回申请: the case opened on application is withdrawn before its
 * decision, with a written reason, by a user with a role of the
 * procedure's first step (who may open a case) in the case's organisation
 * or above.  The case then stays in RC_STATE_WITHDRAWN and nothing more is
 * recorded on it.  The 实施办法 is silent on withdrawal; this is what
 * administrative procedure typically allows (docs/modules/procedure.md).
 * Refused for a case opened ex officio, one already decided, or already
 * withdrawn; RC_ERR_CONFLICT when another change to the case came first. */
#define RC_STATE_WITHDRAWN "已撤回"
enum rc_err rc_proc_case_withdraw(struct rc_unit *u, const struct rc_policy *policy,
				  const char *actor, const char *code, const char *reason,
				  int32_t today, struct rc_diags *d);

/* ---- the records after the facts (records.c, consult.c) ------------ */

/* The policy steps the records belong to, by name: the policy language has
 * no word for "this step is the consultation", so the shipped policy's step
 * names are the contract (docs/modules/procedure.md).  The roles a policy
 * gives the step are the roles that may write its records. */
#define RC_STEP_CONSULT   "会商研判"
#define RC_STEP_NOTIFY    "告知"
#define RC_STEP_APPEAL    "申诉复核"
#define RC_STEP_FILE      "备案"
#define RC_STEP_RECTIFY   "纠错"
#define RC_STEP_FOLLOW_UP "回访"

/* The departments of a consultation (DOMAIN.md §3), and the four that each
 * give a written opinion (or recuse) before the case may leave 会商研判. */
#define RC_CONSULT_DEPTS    "纪检, 组织, 信访, 审计, 行业主管部门, 第三方机构, 法律顾问"
#define RC_CONSULT_REQUIRED "纪检、组织、信访、审计"
int rc_proc_dept_known(const char *dept);

/* 会商研判, 一事一议: the case's one consultation, held on `held_on`, with
 * its minutes (会议纪要).  Only while the case is at step 会商研判, by a
 * role of that step, in scope.  RC_ERR_CONFLICT for a second one. */
enum rc_err rc_proc_consult_open(struct rc_unit *u, const struct rc_policy *policy,
				 const char *actor, const char *code, int32_t held_on,
				 const char *minutes, struct rc_diags *d);

/* A participant of the consultation: department `dept` (RC_CONSULT_DEPTS),
 * the person's name, and a recusal (回避) with its reason.  A department
 * that has given its opinion cannot recuse. */
enum rc_err rc_proc_consult_participant(struct rc_unit *u, const struct rc_policy *policy,
					const char *actor, const char *code, const char *dept,
					const char *name, int recused, const char *reason,
					struct rc_diags *d);

/* The written opinion of department `dept` (one per department), with a
 * dissent (不同意见) or NULL.  Refused when the department has no
 * participant, or recused. */
enum rc_err rc_proc_consult_opinion(struct rc_unit *u, const struct rc_policy *policy,
				    const char *actor, const char *code, const char *dept,
				    const char *opinion, const char *dissent, struct rc_diags *d);

/* 告知/反馈: the decision was notified to `to` on `on`, `how` 书面, 当面 or
 * 其他.  Only after the decision, on or after its meeting date, by a role of
 * step 告知. */
enum rc_err rc_proc_case_notify(struct rc_unit *u, const struct rc_policy *policy,
				const char *actor, const char *code, const char *to, int32_t on,
				const char *how, struct rc_diags *d);

/* 申诉: an appeal filed on `on` by `by` on `grounds`, within the policy's
 * parameter 申诉期限 counted from the case's first notification (`cal`
 * counts a period in working days).  One per case.  申诉期间不停止执行:
 * the decision and its effects stay in force.  The deadline goes to
 * *deadline when not NULL. */
enum rc_err rc_proc_case_appeal(struct rc_unit *u, const struct rc_policy *policy,
				const struct rc_cal *cal, const char *actor, const char *code,
				int32_t on, const char *by, const char *grounds, int32_t *deadline,
				struct rc_diags *d);

/* 复核: the review of the appeal, on `on`, result 维持, 变更 or 撤销, with
 * its reasons; by a role of the decision (four-eyes) step, not the case's
 * preparer.  A review later than the parameter 复核期限 is recorded with a
 * warning.  The decision record and its effects are not changed. */
enum rc_err rc_proc_case_review(struct rc_unit *u, const struct rc_policy *policy,
				const struct rc_cal *cal, const char *actor, const char *code,
				int32_t on, const char *result, const char *reasons,
				struct rc_diags *d);

/* 备案: the decision filed with organisation `org_code`, which must be above
 * the case's handling unit, on `on`.  Once per organisation. */
enum rc_err rc_proc_case_file(struct rc_unit *u, const struct rc_policy *policy, const char *actor,
			      const char *code, const char *org_code, int32_t on,
			      struct rc_diags *d);

/* 纠错: a rectification task (owner, due date, what), numbered 1, 2, ... in
 * its case (*no).  After the decision, by a role of step 纠错. */
enum rc_err rc_proc_task_add(struct rc_unit *u, const struct rc_policy *policy, const char *actor,
			     const char *code, const char *owner, int32_t due, const char *what,
			     int *no, struct rc_diags *d);

/* Task `no` done on `on`, its completion verified by user `verifier`, who
 * is not the task's creator and is in the case's scope. */
enum rc_err rc_proc_task_done(struct rc_unit *u, const struct rc_policy *policy, const char *actor,
			      const char *code, int no, int32_t on, const char *verifier,
			      struct rc_diags *d);

/* 回访: a follow-up visit on `on`, with notes, during the impact period
 * started by the case's decision or at its end (DOMAIN.md §4). */
enum rc_err rc_proc_case_follow_up(struct rc_unit *u, const struct rc_policy *policy,
				   const char *actor, const char *code, int32_t on,
				   const char *notes, struct rc_diags *d);

/* ---- 澄清正名 (clarify.c) ------------------------------------------- */

/* The role that handles clarifications (the 纪检监察机关). */
#define RC_CLARIFY_ROLE "纪检"

/* Open a clarification about official `person_id` on the complaint
 * (检举控告) `complaint`; its number goes to *id.  The states then follow in order:
 * decide -> issue -> file -> refer; each refuses out of order. */
enum rc_err rc_proc_clarify_open(struct rc_unit *u, const char *actor, int64_t person_id,
				 const char *complaint, int64_t *id, struct rc_diags *d);

/* 核查研判: was the complaint unfounded (失实)?  If so, the clarification's form
 * (书面, 会议, 通报) and scope, matched to the original harm; if not, the
 * record closes.  Not by the user who opened it (four eyes). */
enum rc_err rc_proc_clarify_decide(struct rc_unit *u, const char *actor, int64_t id, int unfounded,
				   const char *form, const char *scope, struct rc_diags *d);

/* 澄清正名: the clarification issued on `on`. */
enum rc_err rc_proc_clarify_issue(struct rc_unit *u, const char *actor, int64_t id, int32_t on,
				  struct rc_diags *d);

/* Filed into the official's 廉政档案, a copy to the 组织部门, on `on`. */
enum rc_err rc_proc_clarify_file(struct rc_unit *u, const char *actor, int64_t id, int32_t on,
				 struct rc_diags *d);

/* 治理诬告: suspected 诬告陷害 referred to `to` for handling. */
enum rc_err rc_proc_clarify_refer(struct rc_unit *u, const char *actor, int64_t id, const char *to,
				  struct rc_diags *d);

/* ---- evidence ------------------------------------------------------ */

#define RC_EVIDENCE_MAX ((int64_t)64 << 20) /* bytes per evidence file */

/* Store the file at `path` under `dir` by its SM3 hash (hex into hex_out)
 * and record it, with its audit row.  RC_ERR_LIMIT beyond RC_EVIDENCE_MAX,
 * RC_ERR_CONFLICT when the same content is already recorded. */
enum rc_err rc_proc_evidence_add(struct rc_unit *u, const char *actor, const char *dir,
				 const char *path, char hex_out[65], struct rc_diags *d);

/* Re-hash every stored evidence file; RC_ERR_CONFLICT (messages in d) when
 * one is missing or altered.  *files counts the files checked. */
enum rc_err rc_proc_evidence_check(struct rc_store *s, const char *dir, struct rc_diags *d,
				   int64_t *files);

/* A fact's evidence reference: "sm3:HEX" must name stored evidence (any
 * other text is a free reference and passes). */
enum rc_err rc_proc_evidence_exists(struct rc_store *s, const char *ref, struct rc_diags *d);

/* ---- import of historical cases (import.c) ------------------------- */

/* The columns of a case file, in the order `export cases` writes them: the
 * Chinese header and the English key, either of which names the column on
 * import (docs/cli.md lists what each holds).  A header that is neither
 * names a fact or standard of the policy. */
enum rc_case_col {
	RC_COL_CODE,        /* 案件编号 code (required) */
	RC_COL_PERSON,      /* 当事人 person_id: the official's id */
	RC_COL_PERSON_NAME, /* 当事人姓名 person_name: checked against the id */
	RC_COL_UNIT,        /* 涉及单位 unit: the unit concerned (org code) */
	RC_COL_START_PATH, /* 启动方式 start_path: 依申请|依职权 (application|ex_officio) */
	RC_COL_SOURCE,     /* 案件来源 source */
	RC_COL_REF,        /* 关联问责事项 ref: the linked accountability matter */
	RC_COL_HANDLING,   /* 承办单位 handling (org code, required) */
	RC_COL_COMMITTEE,  /* 党委(党组) committee (org code) */
	RC_COL_OPENED_ON,  /* 立案日期 opened_on (required): chooses the policy version */
	RC_COL_STATE,      /* 当前步骤 state: a step of that version (default: its first) */
	RC_COL_STATE_ON,   /* 步骤日期 state_on: when the case entered it (default opened_on) */
	RC_COL_OUTCOME,    /* 认定结果 outcome: an outcome of that version */
	RC_COL_DECIDED_ON, /* 认定日期 decided_on */
	RC_COL_VERSION,    /* 政策版本 policy_version: checked against the version in force */
	RC_COL__COUNT
};

struct rc_case_column {
	const char *zh, *en;
	int text; /* free text: guarded against formula injection in CSV (report.h) */
};
extern const struct rc_case_column rc_case_columns[RC_COL__COUNT];

/* What the import says about a row: `row` counts records as a spreadsheet
 * counts rows (the header is row 1), `column` is the column's header as the
 * file writes it (NULL when the message is about the whole row).  The
 * message is borrowed for the call. */
typedef void (*rc_import_report_fn)(void *ctx, enum rc_severity sev, int64_t row,
				    const char *column, const char *msg);

struct rc_import_opts {
	const struct rc_policy_set *set; /* the versions; each row's 立案日期 chooses one */
	const struct rc_cal *cal;        /* counts the current step's deadline */
	const char *actor;               /* the importing user (as `case open --as`) */
	const char *file;                /* the file's name, recorded with every case */
	int32_t today;                   /* dates after it are refused */
	int keep_good;                   /* 0: all or nothing; 1: skip bad rows, import the rest */
	int check_only;                  /* validate and evaluate every row, write nothing */
	int batch;                       /* keep_good: rows per transaction (0: 1000) */
	rc_import_report_fn report;      /* every error and warning of a row */
	void *report_ctx;
};

struct rc_import_stats {
	int64_t rows;        /* data rows seen (blank lines not counted) */
	int64_t imported;    /* cases committed */
	int64_t bad;         /* rows refused */
	int64_t warnings;    /* rows with a warning */
	int64_t no_calendar; /* deadlines counted without the year's holidays */
	int64_t evaluated;   /* policy evaluations (one per good row) */
	int64_t with_facts;  /* of them, rows that carried facts */
};

struct rc_import;

/* Begin an import by `o->actor` (an existing, enabled user).  Nothing is
 * written until rows come.  With keep_good, every `batch` good rows are
 * committed together (a crash keeps the batches before it); without, the
 * whole import is one transaction, committed by rc_proc_import_finish only
 * when no row was bad.  The import holds the store's write lock while a
 * transaction is open.  Caller frees with rc_proc_import_free. */
enum rc_err rc_proc_import_begin(struct rc_unit *u, const struct rc_import_opts *o,
				 struct rc_import **out, struct rc_diags *d);

/* The header row: n fields, each `lens` bytes.  Every problem (an unknown
 * column, one given twice, a required one missing) is reported on row 1;
 * then RC_ERR_SYNTAX, and the import cannot go on. */
enum rc_err rc_proc_import_header(struct rc_import *im, const char *const *fields,
				  const size_t *lens, int n);

/* One data row, number `row`.  Each row becomes a case through the guards
 * of rc_proc_case_open -- the version in force on its 立案日期, existing
 * organisations and official, allowed values, the actor's role and scope --
 * at its recorded step (a step of that version), with its facts (columns
 * named after the policy's facts) stored and evaluated, and one audit row
 * (case.import).  A bad row is reported cell by cell and counted; the
 * result is not an error for it.  An error result (the store failed) ends
 * the import: what was not committed is rolled back. */
enum rc_err rc_proc_import_row(struct rc_import *im, int64_t row, const char *const *fields,
			       const size_t *lens, int n);

/* A row the caller could not read (its CSV was malformed), already
 * reported: it counts as bad. */
void rc_proc_import_reject(struct rc_import *im, int64_t row);

/* Commit what is left (nothing, when all or nothing met a bad row) and fill
 * *st.  RC_ERR_RANGE when rows were bad (all or nothing: none imported). */
enum rc_err rc_proc_import_finish(struct rc_import *im, struct rc_import_stats *st,
				  struct rc_diags *d);

/* Give up (the caller could not go on reading): roll back what was not
 * committed and fill *st with what was.  NULL-safe. */
void rc_proc_import_abort(struct rc_import *im, struct rc_import_stats *st);

/* NULL-safe; rolls back what was not committed. */
void rc_proc_import_free(struct rc_import *im);

/* ---- API tokens (tokens.c) ------------------------------------------ */

/*
 * The JSON API (api/) is reached with a bearer token instead of a session:
 * "rc_" and 32 hex digits of 128 random bits, made for one user by the
 * 安全管理员's command line (`rongcuo token create`), shown once, and kept
 * only as the SM3 of its random bytes, as sessions are (a copy of the
 * database names no token that works).  A token acts as its user: the
 * user's role, organisation and scope, through the same permission matrix
 * and the same procedure; disabling the user stops every token of theirs
 * at the next request.  Creating and revoking are units of work with their
 * audit rows (token.create, token.revoke), which never hold the token or
 * its hash; using one is not audited (the changes it makes are).
 */
#define RC_TOKEN_PREFIX    "rc_"
#define RC_TOKEN_LEN       35  /* "rc_" + 32 hex digits */
#define RC_TOKEN_LABEL_MAX 200 /* bytes: what the token is for */

/* Make a token for user `login` (enabled), by `actor` (a login, or "cli"),
 * labelled `label` (1..RC_TOKEN_LABEL_MAX bytes, one line), valid until
 * expires_unix (0: until revoked; else after now_unix and at most
 * RC_AUTH_TIME_MAX).  The token goes to out_token (show it once, then
 * rc_crypto_wipe it), its number to *id (may be NULL).  RC_ERR_NAME for an
 * unknown user, RC_ERR_RANGE for a disabled one or a bad label or time.
 * Audit row `token.create`, object "token:ID", naming the user, the label
 * and the expiry. */
enum rc_err rc_proc_token_create(struct rc_unit *u, const char *actor, const char *login,
				 const char *label, int64_t expires_unix, int64_t now_unix,
				 char out_token[RC_TOKEN_LEN + 1], int64_t *id, struct rc_diags *d);

/* The user of bearer token `token` at now_unix: valid only when it is well
 * formed, exists, is not revoked, not past its expiry, and its user is not
 * disabled; otherwise RC_ERR_NOT_FOUND with one message whatever the
 * reason (the API answers 401 to all of them alike).  Reads only: call it
 * outside a transaction or inside one. */
enum rc_err rc_proc_token_check(struct rc_store *s, const char *token, int64_t now_unix,
				struct rc_session_user *out, struct rc_diags *d);

/* Revoke token number `id`, by `actor`.  RC_ERR_NOT_FOUND when there is no
 * such token, RC_ERR_RANGE when it is revoked already.  Audit row
 * `token.revoke`. */
enum rc_err rc_proc_token_revoke(struct rc_unit *u, const char *actor, int64_t id,
				 struct rc_diags *d);

/* One token as listed (never the token itself: the store does not have it). */
struct rc_token_info {
	int64_t id;
	char login[72];
	char label[RC_TOKEN_LABEL_MAX + 1];
	char created_at[24];
	char expires_at[24]; /* "" when it does not expire */
	int revoked;
	int expired; /* at the now_unix of the listing */
};

/* Every token in number order, a page at a time: fn(ctx, t) for each; a
 * non-zero return from fn stops the listing and is returned. */
typedef enum rc_err (*rc_token_fn)(void *ctx, const struct rc_token_info *t);
enum rc_err rc_proc_token_list(struct rc_store *s, int64_t now_unix, rc_token_fn fn, void *ctx);

#endif
