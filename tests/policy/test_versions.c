/*
 * test_versions.c -- unit tests of policy sets (the versions of one
 * series), version choice by date, and 从旧兼从轻 in rc_assess.
 *
 * The two versions written here recommend opposite outcomes for the same
 * case, so the expected choice follows from the leniency table alone: the
 * later version applies exactly when its outcome is more lenient.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "policy/policy.h"

static struct rc_diags *new_diags(void)
{
	struct rc_diags *d = malloc(sizeof(*d));
	assert_non_null(d);
	rc_diags_init(d, "t");
	return d;
}

static int32_t day(const char *s)
{
	int32_t d = 0;
	assert_int_equal(rc_date_parse(s, strlen(s), &d), RC_OK);
	return d;
}

/* A minimal version of series `series`, in force from `eff` to `until`
 * ("" = open-ended).  When x is true it recommends `if_x`, otherwise
 * `if_not`; 从严 has leniency 1, 从宽 leniency 5. */
static struct rc_policy *version(const char *series, const char *ver, const char *eff,
				 const char *until, const char *if_x, const char *if_not)
{
	char src[1024];
	char until_entry[32] = "";
	if (until[0])
		snprintf(until_entry, sizeof(until_entry), "until %s", until);
	snprintf(src, sizeof(src),
		 "policy %s { title \"t\" version \"%s\" effective %s %s }\n"
		 "fact x : bool { label \"x\" }\n"
		 "outcome 从严 { title \"从严\" leniency 1 }\n"
		 "outcome 从宽 { title \"从宽\" leniency 5 }\n"
		 "rule r_x { priority 10 when x recommend %s }\n"
		 "rule r_else { priority 0 when true recommend %s }\n",
		 series, ver, eff, until_entry, if_x, if_not);
	struct rc_diags *d = new_diags();
	struct rc_policy *p = NULL;
	enum rc_err e = rc_policy_compile(src, strlen(src), ver, d, &p);
	if (e != RC_OK) {
		rc_diags_print(d, stderr);
		fail_msg("compile of version %s failed", ver);
	}
	free(d);
	return p;
}

static int has_error(const struct rc_diags *d, const char *s)
{
	for (int i = 0; i < d->count; i++)
		if (d->items[i].sev == RC_SEV_ERROR && strstr(d->items[i].msg, s))
			return 1;
	return 0;
}

/* The set refuses a version of another series, a repeated version string
 * and an overlapping period -- and takes ownership even then (ASan would
 * report a leak or a double free otherwise). */
static void set_add_refusals(void **state)
{
	(void)state;
	struct rc_policy_set *s;
	assert_int_equal(rc_policy_set_new(&s), RC_OK);
	struct rc_diags *d = new_diags();
	assert_int_equal(
	    rc_policy_set_add(s, version("浙江", "v1", "2022-01-01", "2022-12-31", "从严", "从宽"),
			      d),
	    RC_OK);
	assert_int_equal(d->errors, 0);

	assert_int_equal(
	    rc_policy_set_add(s, version("江苏", "v2", "2023-01-01", "", "从严", "从宽"), d),
	    RC_ERR_CONFLICT);
	assert_true(has_error(d, "series"));
	rc_diags_init(d, "t");
	assert_int_equal(
	    rc_policy_set_add(s, version("浙江", "v1", "2023-01-01", "", "从严", "从宽"), d),
	    RC_ERR_CONFLICT);
	assert_true(has_error(d, "\"v1\""));
	rc_diags_init(d, "t");
	/* overlaps by one day at either end, or contains the other */
	static const char *const overlaps[][2] = {
	    {"2021-01-01", "2022-01-01"},
	    {"2022-12-31", ""},
	    {"2022-03-01", "2022-03-31"},
	    {"2021-01-01", ""},
	};
	for (int i = 0; i < 4; i++) {
		char ver[16];
		snprintf(ver, sizeof(ver), "o%d", i);
		assert_int_equal(
		    rc_policy_set_add(
			s, version("浙江", ver, overlaps[i][0], overlaps[i][1], "从严", "从宽"), d),
		    RC_ERR_CONFLICT);
		assert_true(has_error(d, "overlap"));
	}
	assert_int_equal(rc_policy_set_count(s), 1);
	/* adjacent periods are fine, on both sides */
	assert_int_equal(
	    rc_policy_set_add(s, version("浙江", "v2", "2023-01-01", "", "从严", "从宽"), d),
	    RC_OK);
	assert_int_equal(
	    rc_policy_set_add(s, version("浙江", "v0", "2021-01-01", "2021-12-31", "从严", "从宽"),
			      d),
	    RC_OK);
	assert_int_equal(rc_policy_set_count(s), 3);
	/* an open-ended latest version overlaps anything after it */
	assert_int_equal(
	    rc_policy_set_add(s, version("浙江", "v3", "2030-01-01", "", "从严", "从宽"), d),
	    RC_ERR_CONFLICT);
	/* kept in order of effective date, whatever the order of adding */
	static const char *const order[] = {"v0", "v1", "v2"};
	for (int i = 0; i < 3; i++)
		assert_string_equal(rc_policy_version(rc_policy_set_get(s, i)), order[i]);
	assert_null(rc_policy_set_get(s, 3));
	assert_null(rc_policy_set_get(s, -1));
	free(d);
	rc_policy_set_free(s);
}

/* The version in force on a date, at and around every boundary. */
static void set_at_boundaries(void **state)
{
	(void)state;
	struct rc_policy_set *s;
	assert_int_equal(rc_policy_set_new(&s), RC_OK);
	struct rc_diags *d = new_diags();
	assert_int_equal(
	    rc_policy_set_add(s, version("浙江", "v2", "2023-06-01", "", "从严", "从宽"), d),
	    RC_OK);
	assert_int_equal(
	    rc_policy_set_add(s, version("浙江", "v1", "2022-01-01", "2023-05-31", "从严", "从宽"),
			      d),
	    RC_OK);
	static const struct {
		const char *date;
		const char *want; /* NULL: none in force */
	} cases[] = {
	    {"1900-01-01", NULL}, {"2021-12-31", NULL}, {"2022-01-01", "v1"}, {"2022-07-15", "v1"},
	    {"2023-05-31", "v1"}, {"2023-06-01", "v2"}, {"2024-02-29", "v2"}, {"2199-12-31", "v2"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rc_policy *p = rc_policy_set_at(s, day(cases[i].date));
		if (!cases[i].want) {
			if (p)
				fail_msg("%s: version %s, want none", cases[i].date,
					 rc_policy_version(p));
		} else if (!p || strcmp(rc_policy_version(p), cases[i].want) != 0) {
			fail_msg("%s: version %s, want %s", cases[i].date,
				 p ? rc_policy_version(p) : "(none)", cases[i].want);
		}
	}
	free(d);
	rc_policy_set_free(s);
}

/* v1 (2022 to 2023-05-31) and v2 (from 2023-06-01), each recommending
 * `ifx` when x is true and `other` otherwise. */
static struct rc_policy_set *make_pair(const char *v1_ifx, const char *v1_other, const char *v2_ifx,
				       const char *v2_other)
{
	struct rc_policy_set *s;
	assert_int_equal(rc_policy_set_new(&s), RC_OK);
	struct rc_diags *d = new_diags();
	assert_int_equal(
	    rc_policy_set_add(
		s, version("浙江", "v1", "2022-01-01", "2023-05-31", v1_ifx, v1_other), d),
	    RC_OK);
	assert_int_equal(
	    rc_policy_set_add(s, version("浙江", "v2", "2023-06-01", "", v2_ifx, v2_other), d),
	    RC_OK);
	free(d);
	return s;
}

/* v1 and v2 disagree: for x = true v1 is strict and v2 lenient, for
 * x = false the other way round. */
static struct rc_policy_set *two_versions(void)
{
	return make_pair("从严", "从宽", "从宽", "从严");
}

struct assessed {
	enum rc_err e;
	struct rc_assessment *a;
	struct rc_diags *d;
};

static void assess(struct assessed *r, const struct rc_policy_set *s, const char *json,
		   int32_t conduct, int32_t decision)
{
	r->d = new_diags();
	r->a = NULL;
	r->e = rc_assess(s, json, strlen(json), conduct, decision, r->d, &r->a);
}

static void assessed_free(struct assessed *r)
{
	rc_assessment_free(r->a);
	free(r->d);
}

/* The outcome name the applied version recommends. */
static const char *applied_outcome(const struct rc_assessment *a)
{
	const struct rc_policy *p = rc_assessment_policy(a);
	const struct rc_result *r = rc_assessment_result(a);
	assert_int_equal(rc_result_outcome_state(r), RC_OUTCOME_DETERMINED);
	uint64_t band = rc_result_band(r);
	for (int o = 0; o < rc_policy_count(p, RC_K_OUTCOME); o++)
		if (band == (uint64_t)1 << o)
			return rc_policy_item_name(p, RC_K_OUTCOME, o);
	fail_msg("band %llx is not one outcome", (unsigned long long)band);
	return NULL;
}

/* 从旧兼从轻: the version of the conduct date applies, unless the version
 * of the decision date recommends something more lenient. */
static void assess_old_or_lenient(void **state)
{
	(void)state;
	struct rc_policy_set *s = two_versions();
	static const struct {
		const char *x;
		const char *conduct, *decision; /* NULL: not given */
	} cases[] = {
	    {"true", "2022-06-01", "2023-07-01"},  /* v2 more lenient */
	    {"false", "2022-06-01", "2023-07-01"}, /* v2 stricter */
	    {"true", "2022-06-01", "2022-12-01"},  /* one version */
	    {"true", "2022-06-01", NULL},
	    {"true", "2023-06-01", "2023-08-01"},
	    {"false", "2023-06-01", "2023-08-01"},
	    {"false", "2023-05-31", "2023-06-01"}, /* boundary, v2 stricter */
	    {"true", "2023-05-31", "2023-06-01"},  /* boundary, v2 more lenient */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char json[256];
		int n = snprintf(json, sizeof(json),
				 "{\"facts\": {\"x\": %s}, \"conduct_date\": \"%s\"", cases[i].x,
				 cases[i].conduct);
		if (cases[i].decision)
			n += snprintf(json + n, sizeof(json) - (size_t)n,
				      ", \"decision_date\": \"%s\"", cases[i].decision);
		snprintf(json + n, sizeof(json) - (size_t)n, "}");
		struct assessed r;
		assess(&r, s, json, INT32_MIN, INT32_MIN);
		if (r.e != RC_OK) {
			rc_diags_print(r.d, stderr);
			fail_msg("case %zu: %s", i, rc_strerror(r.e));
		}
		/* the expectation, from the versions' definitions */
		int xt = strcmp(cases[i].x, "true") == 0;
		const char *old_v = strcmp(cases[i].conduct, "2023-06-01") < 0 ? "v1" : "v2";
		const char *new_v = !cases[i].decision                            ? old_v
				    : strcmp(cases[i].decision, "2023-06-01") < 0 ? "v1"
										  : "v2";
		/* v1: x -> 从严, else 从宽; v2: x -> 从宽, else 从严 */
		int old_lenient = (strcmp(old_v, "v1") == 0) != xt;
		int new_lenient = (strcmp(new_v, "v1") == 0) != xt;
		const char *want_v = new_lenient && !old_lenient ? new_v : old_v;
		const char *want_o = (strcmp(want_v, "v1") == 0) != xt ? "从宽" : "从严";
		const char *got_v = rc_policy_version(rc_assessment_policy(r.a));
		const char *got_o = applied_outcome(r.a);
		if (strcmp(got_v, want_v) != 0 || strcmp(got_o, want_o) != 0)
			fail_msg("case %zu (x=%s, %s -> %s): applied %s/%s, want %s/%s", i,
				 cases[i].x, cases[i].conduct,
				 cases[i].decision ? cases[i].decision : "-", got_v, got_o, want_v,
				 want_o);
		assessed_free(&r);
	}
	rc_policy_set_free(s);
}

/* Equally lenient is not more lenient: the version of the conduct date
 * stays. */
static void assess_tie_keeps_old(void **state)
{
	(void)state;
	struct rc_policy_set *s = make_pair("从严", "从宽", "从严", "从宽");
	static const char *const docs[] = {
	    "{\"facts\": {\"x\": true}, \"conduct_date\": \"2022-06-01\", "
	    "\"decision_date\": \"2023-07-01\"}",
	    "{\"facts\": {\"x\": false}, \"conduct_date\": \"2022-06-01\", "
	    "\"decision_date\": \"2023-07-01\"}",
	};
	for (int i = 0; i < 2; i++) {
		struct assessed r;
		assess(&r, s, docs[i], INT32_MIN, INT32_MIN);
		assert_int_equal(r.e, RC_OK);
		const char *v = rc_policy_version(rc_assessment_policy(r.a));
		const char *o = applied_outcome(r.a);
		char got[64];
		snprintf(got, sizeof(got), "%s/%s", v, o);
		assessed_free(&r);
		assert_string_equal(got, i == 0 ? "v1/从严" : "v1/从宽");
	}
	rc_policy_set_free(s);
}

/* With x unknown the outcomes are undetermined, and the candidates are
 * compared (§5): the later version applies only when even its least
 * lenient candidate beats every candidate of the earlier one. */
static void assess_undetermined_candidates(void **state)
{
	(void)state;
	static const struct {
		const char *v1[2], *v2[2];
		const char *want;
	} cases[] = {
	    /* v1 can only be strict, v2 only lenient: v2 whatever x is */
	    {{"从严", "从严"}, {"从宽", "从宽"}, "v2"},
	    /* v1 only lenient: v2 cannot be lighter */
	    {{"从宽", "从宽"}, {"从严", "从宽"}, "v1"},
	    /* depends on x: pending, the earlier version is shown */
	    {{"从严", "从宽"}, {"从宽", "从宽"}, "v1"},
	};
	const char *doc = "{\"facts\": {\"x\": null}, \"conduct_date\": \"2022-06-01\", "
			  "\"decision_date\": \"2023-07-01\"}";
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rc_policy_set *s =
		    make_pair(cases[i].v1[0], cases[i].v1[1], cases[i].v2[0], cases[i].v2[1]);
		struct assessed r;
		assess(&r, s, doc, INT32_MIN, INT32_MIN);
		enum rc_err e = r.e;
		char got[16] = "";
		if (r.a)
			snprintf(got, sizeof(got), "%s",
				 rc_policy_version(rc_assessment_policy(r.a)));
		assessed_free(&r);
		rc_policy_set_free(s);
		assert_int_equal(e, RC_OK);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: applied %s, want %s", i, got, cases[i].want);
	}
}

/* Dates passed as arguments override the document's. */
static void assess_date_override(void **state)
{
	(void)state;
	struct rc_policy_set *s = two_versions();
	const char *json = "{\"facts\": {\"x\": true}, \"conduct_date\": \"2022-06-01\"}";
	struct assessed r;
	/* the document alone: v1, strict */
	assess(&r, s, json, INT32_MIN, INT32_MIN);
	assert_int_equal(r.e, RC_OK);
	assert_string_equal(rc_policy_version(rc_assessment_policy(r.a)), "v1");
	assessed_free(&r);
	/* a decision date given by the caller brings in v2, more lenient */
	assess(&r, s, json, INT32_MIN, day("2024-01-01"));
	assert_int_equal(r.e, RC_OK);
	assert_string_equal(rc_policy_version(rc_assessment_policy(r.a)), "v2");
	assert_string_equal(applied_outcome(r.a), "从宽");
	assessed_free(&r);
	/* a conduct date given by the caller replaces the document's */
	assess(&r, s, json, day("2023-07-01"), INT32_MIN);
	assert_int_equal(r.e, RC_OK);
	assert_string_equal(rc_policy_version(rc_assessment_policy(r.a)), "v2");
	assessed_free(&r);
	rc_policy_set_free(s);
}

static void assess_errors(void **state)
{
	(void)state;
	struct rc_policy_set *s = two_versions();
	struct assessed r;
	/* no version in force at the conduct date */
	assess(&r, s, "{\"facts\": {\"x\": true}, \"conduct_date\": \"2021-06-01\"}", INT32_MIN,
	       INT32_MIN);
	assert_int_equal(r.e, RC_ERR_NOT_FOUND);
	assert_null(r.a);
	assert_true(has_error(r.d, "2021-06-01"));
	assessed_free(&r);
	/* a decision before the conduct */
	assess(&r, s, "{\"facts\": {\"x\": true}}", day("2023-07-01"), day("2023-06-30"));
	assert_int_equal(r.e, RC_ERR_RANGE);
	assert_null(r.a);
	assessed_free(&r);
	/* several versions and no conduct date: which one is unknowable */
	assess(&r, s, "{\"facts\": {\"x\": true}}", INT32_MIN, INT32_MIN);
	assert_int_equal(r.e, RC_ERR_USAGE);
	assert_null(r.a);
	assessed_free(&r);
	/* a name in no version */
	assess(&r, s, "{\"facts\": {\"y\": true}, \"conduct_date\": \"2022-06-01\"}", INT32_MIN,
	       INT32_MIN);
	assert_int_not_equal(r.e, RC_OK);
	assert_null(r.a);
	assert_true(has_error(r.d, "facts.y"));
	assessed_free(&r);
	rc_policy_set_free(s);

	/* an empty set */
	assert_int_equal(rc_policy_set_new(&s), RC_OK);
	assess(&r, s, "{}", INT32_MIN, INT32_MIN);
	assert_int_equal(r.e, RC_ERR_NOT_FOUND);
	assessed_free(&r);
	rc_policy_set_free(s);
}

/* Two versions whose enum 来源 differ in one value: 巡视 (v1, 2022) was
 * renamed 巡视巡察 (v2, from 2023).  Both recommend the same, so v1 -- in
 * force at the conduct date -- applies.  v2 only compares: a value its
 * schema rejects is unknown to it, with a warning naming v2; v1 reads the
 * facts strictly, so a value only v2 knows is still an error. */
static struct rc_policy_set *renamed_value_pair(void)
{
	static const char *const srcs[2] = {
	    "policy 浙江 { title \"t\" version \"v1\" effective 2022-01-01 until 2022-12-31 }\n"
	    "fact x : bool { label \"x\" }\n"
	    "fact 来源 : enum(审计, 巡视) { label \"来源\" record true }\n"
	    "outcome 从严 { title \"从严\" leniency 1 }\n"
	    "outcome 从宽 { title \"从宽\" leniency 5 }\n"
	    "rule r_x { priority 10 when x recommend 从严 }\n"
	    "rule r_else { priority 0 when true recommend 从宽 }\n",
	    "policy 浙江 { title \"t\" version \"v2\" effective 2023-01-01 }\n"
	    "fact x : bool { label \"x\" }\n"
	    "fact 来源 : enum(审计, 巡视巡察) { label \"来源\" record true }\n"
	    "outcome 从严 { title \"从严\" leniency 1 }\n"
	    "outcome 从宽 { title \"从宽\" leniency 5 }\n"
	    "rule r_x { priority 10 when x recommend 从严 }\n"
	    "rule r_else { priority 0 when true recommend 从宽 }\n",
	};
	struct rc_policy_set *s;
	assert_int_equal(rc_policy_set_new(&s), RC_OK);
	struct rc_diags *d = new_diags();
	for (int i = 0; i < 2; i++) {
		struct rc_policy *p = NULL;
		enum rc_err e = rc_policy_compile(srcs[i], strlen(srcs[i]), "v.rcp", d, &p);
		if (e != RC_OK) {
			rc_diags_print(d, stderr);
			fail_msg("compile of version %d failed", i + 1);
		}
		assert_int_equal(rc_policy_set_add(s, p, d), RC_OK);
	}
	free(d);
	return s;
}

static void assess_later_version_reads_leniently(void **state)
{
	(void)state;
	struct rc_policy_set *s = renamed_value_pair();
	struct assessed r;
	assess(&r, s,
	       "{\"facts\": {\"x\": true, \"来源\": \"巡视\"}, \"conduct_date\": \"2022-05-01\", "
	       "\"decision_date\": \"2023-05-01\"}",
	       INT32_MIN, INT32_MIN);
	if (r.e != RC_OK)
		rc_diags_print(r.d, stderr);
	assert_int_equal(r.e, RC_OK);
	assert_non_null(r.a);
	assert_string_equal(rc_policy_version(rc_assessment_policy(r.a)), "v1");
	assert_string_equal(applied_outcome(r.a), "从严");
	assert_int_equal(r.d->errors, 0);
	int warned = 0;
	for (int i = 0; i < r.d->count; i++) {
		const struct rc_diag *g = &r.d->items[i];
		if (g->sev == RC_SEV_WARNING && strstr(g->msg, "facts.来源") &&
		    strstr(g->msg, "policy version v2") && strstr(g->msg, "treated as unknown"))
			warned++;
	}
	assert_int_equal(warned, 1);
	assessed_free(&r);

	/* the version of the conduct date still refuses a value it lacks */
	assess(&r, s,
	       "{\"facts\": {\"x\": true, \"来源\": \"巡视巡察\"}, \"conduct_date\": "
	       "\"2022-05-01\", \"decision_date\": \"2023-05-01\"}",
	       INT32_MIN, INT32_MIN);
	assert_int_not_equal(r.e, RC_OK);
	assert_null(r.a);
	assert_true(has_error(r.d, "facts.来源"));
	assessed_free(&r);
	rc_policy_set_free(s);
}

/* With one version loaded, no conduct date is needed. */
static void assess_single_version(void **state)
{
	(void)state;
	struct rc_policy_set *s;
	assert_int_equal(rc_policy_set_new(&s), RC_OK);
	struct rc_diags *d = new_diags();
	assert_int_equal(
	    rc_policy_set_add(s, version("浙江", "v1", "2022-01-01", "", "从严", "从宽"), d),
	    RC_OK);
	free(d);
	struct assessed r;
	assess(&r, s, "{\"facts\": {\"x\": false}}", INT32_MIN, INT32_MIN);
	assert_int_equal(r.e, RC_OK);
	assert_string_equal(applied_outcome(r.a), "从宽");
	assessed_free(&r);
	/* an unknown x leaves the outcome undetermined, x decisive */
	assess(&r, s, "{\"facts\": {\"x\": null}}", INT32_MIN, INT32_MIN);
	assert_int_equal(r.e, RC_OK);
	assert_int_equal(rc_result_outcome_state(rc_assessment_result(r.a)),
			 RC_OUTCOME_UNDETERMINED);
	assessed_free(&r);
	rc_policy_set_free(s);
}

/* The shipped policies/ directory: two versions of one series, back to
 * back, each the one in force from its own effective date, and each
 * passing the tests written in it. */
static void shipped_policies(void **state)
{
	(void)state;
	struct rc_policy_set *s;
	assert_int_equal(rc_policy_set_new(&s), RC_OK);
	struct rc_diags *d = new_diags();
	enum rc_err e = rc_policy_set_load(s, RC_SOURCE_DIR "/policies", d);
	if (e != RC_OK)
		rc_diags_print(d, stderr);
	assert_int_equal(e, RC_OK);
	assert_int_equal(d->errors, 0);
	assert_int_equal(rc_policy_set_count(s), 2);
	const struct rc_policy *a = rc_policy_set_get(s, 0), *b = rc_policy_set_get(s, 1);
	assert_string_equal(rc_policy_series(a), rc_policy_series(b));
	assert_string_not_equal(rc_policy_version(a), rc_policy_version(b));
	assert_true(rc_policy_until(a) < rc_policy_effective(b));
	assert_ptr_equal(rc_policy_set_at(s, rc_policy_effective(a)), a);
	assert_ptr_equal(rc_policy_set_at(s, rc_policy_until(a)), a);
	assert_ptr_equal(rc_policy_set_at(s, rc_policy_effective(b)), b);
	assert_null(rc_policy_set_at(s, rc_policy_effective(a) - 1));
	FILE *out = fopen("/dev/null", "w");
	assert_non_null(out);
	for (int i = 0; i < 2; i++) {
		int n_run = 0, n_failed = -1;
		assert_int_equal(
		    rc_policy_run_tests(rc_policy_set_get(s, i), out, &n_run, &n_failed), RC_OK);
		assert_true(n_run > 0);
		assert_int_equal(n_failed, 0);
	}
	fclose(out);
	free(d);
	rc_policy_set_free(s);

	/* loading the same directory twice repeats every version */
	assert_int_equal(rc_policy_set_new(&s), RC_OK);
	d = new_diags();
	assert_int_equal(rc_policy_set_load(s, RC_SOURCE_DIR "/policies", d), RC_OK);
	assert_int_equal(rc_policy_set_load(s, RC_SOURCE_DIR "/policies", d), RC_ERR_CONFLICT);
	assert_int_equal(rc_policy_set_count(s), 2);
	free(d);
	rc_policy_set_free(s);
}

static void set_load_errors(void **state)
{
	(void)state;
	struct rc_policy_set *s;
	assert_int_equal(rc_policy_set_new(&s), RC_OK);
	struct rc_diags *d = new_diags();
	assert_int_equal(rc_policy_set_load(s, RC_SOURCE_DIR "/no-such-dir", d), RC_ERR_IO);
	assert_true(d->errors > 0);
	rc_diags_init(d, "t");
	/* a directory without .rcp files */
	assert_int_equal(rc_policy_set_load(s, RC_SOURCE_DIR "/src/core", d), RC_ERR_NOT_FOUND);
	assert_int_equal(rc_policy_set_count(s), 0);
	free(d);
	rc_policy_set_free(s);
}

static void versions_free_null_safe(void **state)
{
	(void)state;
	rc_policy_set_free(NULL);
	rc_assessment_free(NULL);
	struct rc_policy_set *s;
	assert_int_equal(rc_policy_set_new(&s), RC_OK);
	assert_int_equal(rc_policy_set_count(s), 0);
	assert_null(rc_policy_set_at(s, 0));
	rc_policy_set_free(s);
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_add_refusals),
		cmocka_unit_test(set_at_boundaries),
		cmocka_unit_test(assess_old_or_lenient),
		cmocka_unit_test(assess_tie_keeps_old),
		cmocka_unit_test(assess_undetermined_candidates),
		cmocka_unit_test(assess_date_override),
		cmocka_unit_test(assess_errors),
		cmocka_unit_test(assess_later_version_reads_leniently),
		cmocka_unit_test(assess_single_version),
		cmocka_unit_test(shipped_policies),
		cmocka_unit_test(set_load_errors),
		cmocka_unit_test(versions_free_null_safe),
	};
	/* clang-format on */
	return cmocka_run_group_tests_name("versions", tests, NULL, NULL);
}
