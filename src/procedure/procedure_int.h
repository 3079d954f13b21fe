/*
 * procedure_int.h -- shared by the files of the procedure module.
 */
#ifndef RC_PROCEDURE_INT_H
#define RC_PROCEDURE_INT_H

#include "policy/policy.h"
#include "procedure/procedure.h"

/* The acting user, as the users table has them. */
struct rc_actor {
	int64_t id, org;
	int64_t person; /* a 当事人's official (rc_proc_user_person), else 0 */
	char role[64];
	char org_code[72]; /* for the audit row */
	int disabled;
};

/* Look up an active user who acts in a case; RC_ERR_NAME (unknown) or
 * RC_ERR_RANGE (disabled, or one of the three administrators), with a
 * message. */
enum rc_err rc_proc_actor_find(struct rc_store *s, const char *login, struct rc_actor *a,
			       struct rc_diags *d);

/* Point the audit row at the acting user's role and organisation and at the
 * record (before may be NULL).  The row keeps the pointers until the unit of
 * work commits, so `a` and the texts live in the change's context. */
struct rc_audit_entry;
void rc_proc_fill_row(struct rc_audit_entry *row, const struct rc_actor *a, const char *object,
		      const char *before, const char *after);

/* An organisation's id by code; RC_ERR_NAME with a message. */
enum rc_err rc_proc_org_id(struct rc_store *s, const char *code, int64_t *id, struct rc_diags *d);

/* Scope (DOMAIN.md §1): *ok when user_org is case_org or one above it. */
enum rc_err rc_proc_in_scope(struct rc_store *s, int64_t case_org, int64_t user_org, int *ok);

/* Whether `role` performs step si. */
int rc_proc_performs(const struct rc_step_info *si, const char *role);

/* A case as the operations need it. */
struct rc_case_row {
	int64_t id, person_id, handling, committee, prepared_by, row_version;
	int64_t subject_org; /* the unit concerned (涉及单位), or 0 */
	char series[128], version[128], state[128], start_path[16];
};

/* Load case `code` to be changed: it must be on `policy`'s version and not
 * withdrawn; RC_ERR_NOT_FOUND or RC_ERR_RANGE with a message. */
enum rc_err rc_proc_case_load(struct rc_store *s, const struct rc_policy *policy, const char *code,
			      struct rc_case_row *c, struct rc_diags *d);

/* The roles of step si, comma-separated, into buf. */
void rc_proc_actors_text(const struct rc_step_info *si, char *buf, size_t len);

/* An input text: present and non-empty, one line (no control characters),
 * valid UTF-8, at most `max` bytes.  RC_ERR_RANGE with a message naming
 * `what` (e.g. "--minutes").  rc_proc_text_opt accepts NULL. */
enum rc_err rc_proc_text(const char *what, const char *v, size_t max, struct rc_diags *d);
enum rc_err rc_proc_text_opt(const char *what, const char *v, size_t max, struct rc_diags *d);

/* Format the canonical text of an audit row's object into buf;
 * RC_ERR_INTERNAL if it does not fit (the inputs are capped, so it always
 * should: a digest of a cut text would not be the record's). */
enum rc_err rc_proc_canon(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Who acts on which case, for a record of step `step`: loads case `code`
 * (on `policy`'s version) and the actor, and refuses, with a message naming
 * the rule, an actor outside the case's organisation scope or whose role
 * does not perform `step` ("what" names the record, e.g. "a notification").
 * *si receives the step. */
enum rc_err rc_proc_case_actor(struct rc_store *s, const struct rc_policy *p, const char *actor,
			       const char *code, const char *step, const char *what,
			       struct rc_case_row *c, struct rc_actor *a, struct rc_step_info *si,
			       struct rc_diags *d);

/* The case's decision: *found, and its meeting date (INT32_MIN if none). */
enum rc_err rc_proc_decision_meeting(struct rc_store *s, int64_t case_id, int *found,
				     int32_t *meeting);

/* *ok: a case (handling unit, unit concerned or 0, official concerned or
 * 0) is in the scope of the viewer's role (rc_proc_case_scope): handled
 * by the viewer's organisation or below; about an official or a unit of
 * it or below (所在单位); about the viewer's own official (当事人). */
enum rc_err rc_proc_case_reach(struct rc_store *s, const struct rc_viewer *v, int64_t handling,
			       int64_t subject_org, int64_t person, int *ok);

/* Whether the case is in `a`'s scope (rc_proc_case_reach); a message and
 * RC_ERR_RANGE if not. */
enum rc_err rc_proc_require_scope(struct rc_store *s, const struct rc_case_row *c,
				  const struct rc_actor *a, const char *login, struct rc_diags *d);

/* Leaving step 会商研判 (consult.c): refused until the consultation is
 * recorded and 纪检、组织、信访、审计 each gave an opinion or recused.  A
 * hook of rc_proc_case_step, keyed on the step name (cases.c). */
enum rc_err rc_proc_consult_complete(struct rc_store *s, const struct rc_case_row *c,
				     const char *code, struct rc_diags *d);

/* `from` plus a duration of the policy (working days on `cal`); *warn when
 * the calendar lacked a year it counted.  RC_ERR_RANGE for RC_DUR_NONE. */
enum rc_err rc_proc_add_dur(const struct rc_cal *cal, int32_t from, enum rc_dur_unit unit, int n,
			    int32_t *out, int *warn);

/* A duration as the policy writes it ("1 months", "15 workdays"). */
void rc_proc_dur_text(enum rc_dur_unit unit, int n, char *buf, size_t len);

/* The case's current facts and findings as a facts document
 * (docs/assessment-json.md), with the dates when not NULL; *out is
 * malloc'd. */
enum rc_err rc_proc_facts_document(struct rc_store *s, const struct rc_policy *p, int64_t case_id,
				   const char *conduct, const char *decision, char **out);

/* ---- times, rows and secret ids, shared by auth.c and tokens.c -------- */

/* Unix seconds (0 .. RC_AUTH_TIME_MAX + a year) as "YYYY-MM-DDTHH:MM:SSZ",
 * the form every stored time of accounts, sessions and tokens takes. */
void rc_proc_utc_text(int64_t t, char out[21]);

/* The text rc_proc_utc_text writes, s[0..len), back to unix seconds; -1
 * when it is not one. */
int rc_proc_utc_parse(const char *s, size_t len, int64_t *t);

/* A caller's clock, 0 .. RC_AUTH_TIME_MAX; RC_ERR_RANGE with a message. */
enum rc_err rc_proc_time_ok(int64_t now, struct rc_diags *d);

/* Run a statement to its end, so that no read snapshot stays open. */
enum rc_err rc_proc_stmt_done(struct rc_stmt *st);

/* A file that comes into force with a change (files.c): its text to the
 * temporary name `tmp`, fsync'd, inside the change (removed again on a
 * failure); after the commit, `tmp` takes the name `path` (never replacing
 * one) and the directory `dir` is fsync'd -- RC_ERR_IO with a message
 * naming `object` and where the text is when it cannot. */
enum rc_err rc_proc_file_stage(const char *tmp, const char *text, size_t len, struct rc_diags *d);
enum rc_err rc_proc_file_name(const char *tmp, const char *path, const char *dir,
			      const char *object, struct rc_diags *d);

/* Copy column `col` into dst[cap]; -1 (dst "") when it does not fit: a
 * damaged row, since nothing that long is ever written. */
int rc_proc_col_copy(struct rc_stmt *st, int col, char *dst, size_t cap);

/* The stored name of a secret id (a session's, a token's): `id` is 32 hex
 * digits of RC_PROC_ID_LEN random bytes, and its name the SM3 of those
 * bytes, 64 hex digits.  A copy of the table names no id that works.  -1
 * when `id` is not such an id. */
#define RC_PROC_ID_LEN 16 /* bytes: 128 bits */
int rc_proc_id_hash(const char *id, char hash[65]);

/* Who acts, for the audit row of an administrator's change (auth.c): a
 * user's login, role and organisation, or (the command line without --as)
 * the name given, cut and cleaned, with role "cli" and org "-". */
struct rc_proc_who {
	char login[72], role[64], org[72];
};
enum rc_err rc_proc_who_get(struct rc_store *s, const char *actor, struct rc_proc_who *w);

#endif
