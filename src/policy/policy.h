/*
 * policy.h -- the rules-as-code engine: compile a policy text, evaluate facts,
 * explain the result.
 *
 * A policy file (docs/policy-language.md) is compiled once into an immutable
 * `struct rc_policy`.  Evaluation reads a `struct rc_facts` and writes a
 * `struct rc_result`, both created once per policy and reused: evaluation
 * itself never allocates.  The engine knows nothing of storage, HTTP or the
 * time of day; dates are inputs.
 *
 * Ownership: every object returned by a *_new / *_compile function is freed
 * by the matching *_free, which is NULL-safe.  Strings returned by accessors
 * are borrowed from the policy and valid until rc_policy_free().
 */
#ifndef RC_POLICY_H
#define RC_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/diag.h"
#include "core/err.h"

#define RC_POLICY_MAX_BYTES (4u << 20) /* largest policy file accepted */
#define RC_FACTS_MAX_BYTES  (1u << 20) /* largest facts JSON accepted  */

struct rc_policy;
struct rc_facts;
struct rc_result;

/* Three-valued truth (Kleene).  The encoding is part of the evaluator's
 * branch-free design: bit 0 = "is true", bit 1 = "is false"; unknown has
 * neither. */
enum rc_truth { RC_UNKNOWN = 0, RC_TRUE = 1, RC_FALSE = 2 };

enum rc_status {
	RC_STATUS_NONE = 0,
	RC_STATUS_SEED,
	RC_STATUS_CONFIRMED,
	RC_STATUS_TYPICAL,
	RC_STATUS_UNKNOWN
};

enum rc_fact_type { RC_FT_BOOL, RC_FT_INT, RC_FT_DATE, RC_FT_TEXT, RC_FT_ENUM };

/* The kinds of named items; one namespace holds them all. */
enum rc_kind {
	RC_K_FACT,
	RC_K_STANDARD,
	RC_K_CATEGORY,
	RC_K_SITUATION,
	RC_K_CONDITION,
	RC_K_EXCLUSION,
	RC_K_PRINCIPLE,
	RC_K_OUTCOME,
	RC_K_RULE,
	RC_K_IMPACT,
	RC_K_STEP,
	RC_K_PARAMETER,
	RC_K__COUNT
};

enum rc_outcome_state {
	RC_OUTCOME_DETERMINED,   /* one band recommended                    */
	RC_OUTCOME_UNDETERMINED, /* unknown facts leave several candidates  */
	RC_OUTCOME_CONFLICT      /* two true rules disagree: a policy error */
};

/* ---- compiling ------------------------------------------------------ */

/* Compile `len` bytes of policy text.  `name` labels diagnostics.  On
 * success *out owns the policy; on failure *out is NULL and `diags` holds
 * every error found (RC_ERR_SYNTAX, RC_ERR_NAME, RC_ERR_TYPE, RC_ERR_LIMIT).
 * Warnings are added to `diags` in both cases. */
enum rc_err rc_policy_compile(const char *text, size_t len, const char *name,
			      struct rc_diags *diags, struct rc_policy **out);

/* Read and compile a file; RC_ERR_IO (message in diags) if it cannot be read
 * or is larger than RC_POLICY_MAX_BYTES. */
enum rc_err rc_policy_load(const char *path, struct rc_diags *diags, struct rc_policy **out);

void rc_policy_free(struct rc_policy *p);

/* Static analysis beyond compiling: conflicts between same-priority rules
 * (searched for a witness), rules that can never apply, unused facts, items
 * without provenance, no certain fallback rule.  Adds errors and warnings to
 * `diags`; returns RC_ERR_CONFLICT when an error was found. */
enum rc_err rc_policy_check(const struct rc_policy *p, struct rc_diags *diags);

/* List every item whose status is TYPICAL or UNKNOWN, one per line. */
void rc_policy_list_provisional(const struct rc_policy *p, FILE *out);

/* Run the tests written in the policy.  Prints each failure (with file and
 * line) and a summary to `out`.  RC_ERR_TEST when any failed. */
enum rc_err rc_policy_run_tests(const struct rc_policy *p, FILE *out, int *n_run, int *n_failed);

/* Print what changed from `a` to `b` (items added, removed, changed),
 * one line each, and return the number of differences (-1: out of memory). */
int rc_policy_diff(const struct rc_policy *a, const struct rc_policy *b, FILE *out);

/* ---- metadata ------------------------------------------------------- */

const char *rc_policy_series(const struct rc_policy *p);
const char *rc_policy_version(const struct rc_policy *p);
const char *rc_policy_title(const struct rc_policy *p);
const char *rc_policy_jurisdiction(const struct rc_policy *p);
int32_t rc_policy_effective(const struct rc_policy *p);
/* INT32_MAX when open-ended. */
int32_t rc_policy_until(const struct rc_policy *p);
/* SM3-free stable digest (FNV-1a 64) of the source text, hex, for snapshots. */
const char *rc_policy_digest(const struct rc_policy *p);

int rc_policy_count(const struct rc_policy *p, enum rc_kind k);
const char *rc_policy_item_name(const struct rc_policy *p, enum rc_kind k, int i);
const char *rc_policy_item_title(const struct rc_policy *p, enum rc_kind k, int i);
/* Index of a named item of kind k, or -1. */
int rc_policy_find(const struct rc_policy *p, enum rc_kind k, const char *name);

/* ---- procedure ------------------------------------------------------ */

enum rc_dur_unit { RC_DUR_NONE, RC_DUR_DAYS, RC_DUR_WORKDAYS, RC_DUR_MONTHS, RC_DUR_YEARS };

/* A step of the policy's procedure (docs/policy-language.md §2.7).  The
 * arrays are borrowed from the policy.  Step 0 is the start. */
struct rc_step_info {
	const char *name, *title;
	const char *const *actors; /* roles that may perform the step */
	int n_actors;
	const int *next; /* step indexes that may follow */
	int n_next;
	enum rc_dur_unit deadline_unit; /* RC_DUR_NONE: no deadline */
	int deadline_n;
	int four_eyes; /* the case's preparer may not perform it */
};

/* Fill *out for step i; RC_ERR_RANGE when there is no such step. */
enum rc_err rc_policy_step(const struct rc_policy *p, int i, struct rc_step_info *out);

/* A sanction of an impact table (影响期, docs/policy-language.md §2.6). */
struct rc_sanction_info {
	const char *table, *table_title, *counted_from, *name, *article, *note;
	enum rc_dur_unit unit; /* RC_DUR_NONE: no period (e.g. 开除) */
	int n;
	enum rc_dur_unit max_unit; /* the upper end of a range, or RC_DUR_NONE */
	int max_n;
	enum rc_dur_unit extra_unit; /* a further restriction after it, or NONE */
	int extra_n;
};

/* Look up sanction `name` of impact table `table`; RC_ERR_NAME if absent. */
enum rc_err rc_policy_sanction(const struct rc_policy *p, const char *table, const char *name,
			       struct rc_sanction_info *out);

/* Look up parameter `name` of the procedure (docs/policy-language.md §2.7,
 * e.g. 申诉期限 1 months): its unit and count.  RC_ERR_NAME if absent. */
enum rc_err rc_policy_param(const struct rc_policy *p, const char *name, enum rc_dur_unit *unit,
			    int *n);

/* ---- facts ---------------------------------------------------------- */

/* A fact set sized for `p`; all facts unknown. */
enum rc_err rc_facts_new(const struct rc_policy *p, struct rc_facts **out);
void rc_facts_free(struct rc_facts *f);
void rc_facts_clear(struct rc_facts *f); /* all unknown */

/* Set fact slot `i` (facts first, then standards' findings).  Values are
 * checked against the fact's type and range; RC_ERR_TYPE / RC_ERR_RANGE. */
enum rc_err rc_facts_set_bool(struct rc_facts *f, int i, int v);
enum rc_err rc_facts_set_int(struct rc_facts *f, int i, int64_t v);
enum rc_err rc_facts_set_date(struct rc_facts *f, int i, int32_t days);
enum rc_err rc_facts_set_enum(struct rc_facts *f, int i, int value_index);
enum rc_err rc_facts_set_unknown(struct rc_facts *f, int i);
/* Text facts: the text is copied (at most 64 KiB, valid UTF-8). */
enum rc_err rc_facts_set_text(struct rc_facts *f, int i, const char *s, size_t len);
/* Known?  and the value (0 when unknown; text facts: see rc_facts_text). */
int rc_facts_known(const struct rc_facts *f, int i);
int64_t rc_facts_value(const struct rc_facts *f, int i);
const char *rc_facts_text(const struct rc_facts *f, int i);

/* The type of slot i, and whether it is a standard's finding. */
enum rc_fact_type rc_policy_slot_type(const struct rc_policy *p, int i);
int rc_policy_slot_is_standard(const struct rc_policy *p, int i);

/* Number of fact slots (facts + standards) and lookup by name. */
int rc_policy_slot_count(const struct rc_policy *p);
int rc_policy_slot_find(const struct rc_policy *p, const char *name);

/* Read a facts document (docs/assessment-json.md):
 *   {"conduct_date": "...", "decision_date": "...",
 *    "facts": {NAME: value|null}, "findings": {STANDARD: grade|null}}
 * into `f`.  Every problem is reported in `diags` with a JSON path and how
 * to fix it; RC_ERR_SYNTAX, RC_ERR_NAME, RC_ERR_TYPE, RC_ERR_RANGE or
 * RC_ERR_LIMIT.  Dates absent from the document are left as INT32_MIN; their
 * order is not checked here (rc_assess checks the dates it uses, after any
 * command-line override). */
#define RC_FACTS_IGNORE_UNKNOWN 1u /* names the policy lacks: skip, no error */
#define RC_FACTS_LENIENT        2u /* values the policy rejects: unknown, warning */
enum rc_err rc_facts_read_json(struct rc_facts *f, const char *text, size_t len, unsigned flags,
			       struct rc_diags *diags, int32_t *conduct_date,
			       int32_t *decision_date);

/* Only the dates of a facts document (INT32_MIN when absent), with the same
 * messages; used to choose the version before the facts are read. */
enum rc_err rc_facts_read_dates(const char *text, size_t len, struct rc_diags *diags,
				int32_t *conduct_date, int32_t *decision_date);

/* Describe slot i's type for messages ("bool", "int (万元, 0..)", ...). */
void rc_policy_slot_describe(const struct rc_policy *p, int i, char *buf, size_t len);

/* ---- evaluation ----------------------------------------------------- */

enum rc_err rc_result_new(const struct rc_policy *p, struct rc_result **out);
void rc_result_free(struct rc_result *r);

#define RC_EVAL_TRACE 1u /* also fill the explanation trace */

/* Evaluate `f` into `r`.  Never allocates.  Returns RC_ERR_CONFLICT when two
 * true rules at the same priority disagree (r says which). */
enum rc_err rc_policy_eval(const struct rc_policy *p, const struct rc_facts *f, struct rc_result *r,
			   unsigned flags);

enum rc_truth rc_result_item(const struct rc_result *r, enum rc_kind k, int i);
enum rc_truth rc_result_tolerable(const struct rc_result *r);
enum rc_truth rc_result_excluded(const struct rc_result *r);
enum rc_outcome_state rc_result_outcome_state(const struct rc_result *r);
/* Bit i set = outcome i in the recommended band (determined) or among the
 * candidates (undetermined). */
uint64_t rc_result_band(const struct rc_result *r);
/* The rule that gave the band, or -1. */
int rc_result_rule(const struct rc_result *r);
/* On conflict: the two rules. */
void rc_result_conflict(const struct rc_result *r, int *rule_a, int *rule_b);
/* Truth that situation s is blocked by exclusion e (requires the trace). */
enum rc_truth rc_result_blocked(const struct rc_result *r, int s, int e);

/* For an undetermined outcome: the outcomes some answer to the unknown facts
 * would recommend (searched; conservative when the search budget runs out).
 * For a determined one, its band. */
uint64_t rc_policy_candidates(const struct rc_policy *p, const struct rc_facts *f,
			      const struct rc_result *r);

/* Compare the leniency of two bands: >0 if a is more lenient than b. */
int rc_policy_band_cmp(const struct rc_policy *p, uint64_t a, uint64_t b);

/* The unknown fact slots whose value could change the result.  Writes up to
 * `cap` slot indexes to `out`; returns how many there are.  Uses `scratch`
 * (a second result of the same policy) and does not allocate. */
int rc_policy_decisive(const struct rc_policy *p, const struct rc_facts *f,
		       const struct rc_result *r, struct rc_result *scratch, int *out, int cap);

/* ---- versions and assessment -------------------------------------- */

struct rc_policy_set; /* the versions of one policy series */
struct rc_assessment;

enum rc_err rc_policy_set_new(struct rc_policy_set **out);
void rc_policy_set_free(struct rc_policy_set *s);

/* Add a compiled version; the set takes ownership of `p` (also on error).
 * RC_ERR_CONFLICT when it belongs to another series, repeats a version
 * string, or overlaps another version's effective period (in diags). */
enum rc_err rc_policy_set_add(struct rc_policy_set *s, struct rc_policy *p, struct rc_diags *d);

/* Load a .rcp file, or every *.rcp file of a directory, into the set. */
enum rc_err rc_policy_set_load(struct rc_policy_set *s, const char *path, struct rc_diags *d);

int rc_policy_set_count(const struct rc_policy_set *s);
const struct rc_policy *rc_policy_set_get(const struct rc_policy_set *s, int i);
/* The version in force on `date`, or NULL. */
const struct rc_policy *rc_policy_set_at(const struct rc_policy_set *s, int32_t date);

/* Assess a facts document (rc_facts_read_json) against the set: choose the
 * version in force at the conduct date, apply a later version in force at
 * the decision date when its recommendation is more lenient (从旧兼从轻),
 * evaluate with trace, find the decisive unknown facts.  `conduct` and
 * `decision` override the document's dates when not INT32_MIN. */
enum rc_err rc_assess(const struct rc_policy_set *s, const char *json, size_t len, int32_t conduct,
		      int32_t decision, struct rc_diags *d, struct rc_assessment **out);
void rc_assessment_free(struct rc_assessment *a);

const struct rc_policy *rc_assessment_policy(const struct rc_assessment *a);
const struct rc_result *rc_assessment_result(const struct rc_assessment *a);

/* Chinese prose for people; `why_not` (a situation name, or NULL) adds
 * the detailed reasons that situation is not met. */
enum rc_err rc_assessment_write_text(const struct rc_assessment *a, const char *why_not, FILE *out);
/* The stable JSON document of docs/assessment-json.md. */
enum rc_err rc_assessment_write_json(const struct rc_assessment *a, FILE *out);

#endif
