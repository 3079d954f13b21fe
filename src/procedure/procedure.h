/*
 * procedure.h -- where a case's rules, records and audit meet.
 *
 * Every change to the store goes through a unit of work: the change and its
 * audit row are written in one transaction, committed together or not at
 * all, and the audit head moves after the commit.  The CLI, the web pages
 * and the API all change data through this module, so they share its
 * guards.  (The case lifecycle -- steps, role guards, deadlines, effects --
 * is being built here; see docs/design.md.)
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
};

/* Give the unit a fresh random request id. */
enum rc_err rc_unit_init(struct rc_unit *u);

/* One change: fn(store, ctx, row, d) runs inside a transaction -- it may
 * complete the audit row (an object id known only after an insert) --
 * then the row (request id filled in) is appended, then everything
 * commits, or nothing does. */
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

/* Add a user account (login unique) with a role in an organisation. */
enum rc_err rc_proc_user_add(struct rc_unit *u, const char *actor, const char *login,
			     const char *name, const char *org_code, const char *role,
			     struct rc_diags *d);

/* ---- cases ---------------------------------------------------------- */

struct rc_policy;
struct rc_cal;

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
 * must handle the case's current step. */
enum rc_err rc_proc_case_fact(struct rc_unit *u, const struct rc_policy *policy, const char *actor,
			      const char *code, const char *name, const char *value,
			      const char *evidence, int disputed, struct rc_diags *d);

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

#endif
