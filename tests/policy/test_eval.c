/*
 * test_eval.c -- unit tests of evaluation: three-valued logic, items,
 * exclusions, rule priorities, decisive facts, candidates, the checker and
 * fact sets.
 *
 * The expectations come from references written here: Kleene's tables as
 * min/max over F < U < T, comparisons done by C on the same values,
 * leniency ordering from the outcome table, and -- for decisive facts and
 * candidates -- brute force over every answer to the unknown facts through
 * the public API.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "policy/policy.h"
#include "policy/policy_int.h"

#define HDR  "policy t { title \"t\" version \"1\" effective 2023-01-01 }\n"
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct env {
	struct rc_diags *d;
	struct rc_policy *p;
	struct rc_facts *f;
	struct rc_result *r;
};

static void env_open(struct env *v, const char *src)
{
	v->d = malloc(sizeof(*v->d));
	assert_non_null(v->d);
	rc_diags_init(v->d, "t.rcp");
	enum rc_err e = rc_policy_compile(src, strlen(src), "t.rcp", v->d, &v->p);
	if (e != RC_OK) {
		rc_diags_print(v->d, stderr);
		fail_msg("compile failed: %s", rc_strerror(e));
	}
	assert_int_equal(rc_facts_new(v->p, &v->f), RC_OK);
	assert_int_equal(rc_result_new(v->p, &v->r), RC_OK);
}

static void env_close(struct env *v)
{
	rc_result_free(v->r);
	rc_facts_free(v->f);
	rc_policy_free(v->p);
	free(v->d);
}

static int slot(const struct env *v, const char *name)
{
	int i = rc_policy_slot_find(v->p, name);
	if (i < 0)
		fail_msg("no fact '%s'", name);
	return i;
}

static void set_b(struct env *v, const char *name, enum rc_truth t)
{
	int i = slot(v, name);
	if (t == RC_UNKNOWN)
		assert_int_equal(rc_facts_set_unknown(v->f, i), RC_OK);
	else
		assert_int_equal(rc_facts_set_bool(v->f, i, t == RC_TRUE), RC_OK);
}

static enum rc_truth item(const struct env *v, enum rc_kind k, const char *name)
{
	int i = rc_policy_find(v->p, k, name);
	if (i < 0)
		fail_msg("no item '%s'", name);
	return rc_result_item(v->r, k, i);
}

static int find(const struct env *v, enum rc_kind k, const char *name)
{
	int i = rc_policy_find(v->p, k, name);
	if (i < 0)
		fail_msg("no item '%s'", name);
	return i;
}

static uint64_t bit(const struct env *v, const char *outcome)
{
	return (uint64_t)1 << find(v, RC_K_OUTCOME, outcome);
}

static const char *tname(enum rc_truth t)
{
	return t == RC_TRUE ? "T" : t == RC_FALSE ? "F" : "U";
}

/* ---- Kleene reference: F < U < T; and = min, or = max, not = mirror ---- */

static const enum rc_truth truths[3] = {RC_FALSE, RC_UNKNOWN, RC_TRUE};

static int rank(enum rc_truth t)
{
	return t == RC_TRUE ? 2 : t == RC_UNKNOWN ? 1 : 0;
}

static enum rc_truth k_and(enum rc_truth a, enum rc_truth b)
{
	return truths[rank(a) < rank(b) ? rank(a) : rank(b)];
}

static enum rc_truth k_or(enum rc_truth a, enum rc_truth b)
{
	return truths[rank(a) > rank(b) ? rank(a) : rank(b)];
}

static enum rc_truth k_not(enum rc_truth a)
{
	return truths[2 - rank(a)];
}

static void expect_truth(const struct env *v, enum rc_kind k, const char *name, enum rc_truth want,
			 const char *ctx)
{
	enum rc_truth got = item(v, k, name);
	if (got != want)
		fail_msg("%s with %s: %s, want %s", name, ctx, tname(got), tname(want));
}

/* The full tables of and, or, not (9 + 9 + 3 cases), a nested formula over
 * three facts (27 cases), and a category as the 'or' of its situations. */
static void eval_kleene_tables(void **state)
{
	(void)state;
	struct env v;
	env_open(&v, HDR "fact a : bool { label \"a\" }\nfact b : bool { label \"b\" }\n"
			 "fact c : bool { label \"c\" }\n"
			 "condition c_and { title \"x\" when a and b }\n"
			 "condition c_or { title \"x\" when a or b }\n"
			 "condition c_not { title \"x\" when not a }\n"
			 "condition c_nest { title \"x\" when a and (b or not c) }\n"
			 "condition c_ref { title \"x\" when c_and or not c_or }\n"
			 "category k { title \"k\" }\ncategory empty { title \"e\" }\n"
			 "situation s1 in k { title \"s\" when a }\n"
			 "situation s2 in k { title \"s\" when b and c }\n");
	int cases = 0;
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			for (int l = 0; l < 3; l++) {
				enum rc_truth a = truths[i], b = truths[j], c = truths[l];
				set_b(&v, "a", a);
				set_b(&v, "b", b);
				set_b(&v, "c", c);
				assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
				char ctx[32];
				snprintf(ctx, sizeof(ctx), "a=%s b=%s c=%s", tname(a), tname(b),
					 tname(c));
				expect_truth(&v, RC_K_CONDITION, "c_and", k_and(a, b), ctx);
				expect_truth(&v, RC_K_CONDITION, "c_or", k_or(a, b), ctx);
				expect_truth(&v, RC_K_CONDITION, "c_not", k_not(a), ctx);
				expect_truth(&v, RC_K_CONDITION, "c_nest",
					     k_and(a, k_or(b, k_not(c))), ctx);
				expect_truth(&v, RC_K_CONDITION, "c_ref",
					     k_or(k_and(a, b), k_not(k_or(a, b))), ctx);
				expect_truth(&v, RC_K_CATEGORY, "k", k_or(a, k_and(b, c)), ctx);
				expect_truth(&v, RC_K_CATEGORY, "empty", RC_FALSE, ctx);
				cases++;
			}
	assert_int_equal(cases, 27);
	env_close(&v);
}

/* Comparisons on int, date, enum and bool facts agree with C's operators
 * on the same values; on an unknown fact they are unknown; known() is
 * never unknown. */
static void eval_comparisons(void **state)
{
	(void)state;
	struct env v;
	env_open(&v,
		 HDR "fact n : int { label \"n\" }\nfact d : date { label \"d\" }\n"
		     "fact e : enum(甲, 乙, 丙) { label \"e\" }\nfact b : bool { label \"b\" }\n"
		     "condition n_lt { title \"x\" when n < 5 }\n"
		     "condition n_le { title \"x\" when n <= 5 }\n"
		     "condition n_gt { title \"x\" when n > 5 }\n"
		     "condition n_ge { title \"x\" when n >= 5 }\n"
		     "condition n_eq { title \"x\" when n == 5 }\n"
		     "condition n_ne { title \"x\" when n != 5 }\n"
		     "condition n_neg { title \"x\" when n > -3 }\n"
		     "condition k_n { title \"x\" when known(n) }\n"
		     "condition d_lt { title \"x\" when d < 2024-02-29 }\n"
		     "condition d_le { title \"x\" when d <= 2024-02-29 }\n"
		     "condition d_gt { title \"x\" when d > 2024-02-29 }\n"
		     "condition d_ge { title \"x\" when d >= 2024-02-29 }\n"
		     "condition d_eq { title \"x\" when d == 2024-02-29 }\n"
		     "condition d_ne { title \"x\" when d != 2024-02-29 }\n"
		     "condition e_eq { title \"x\" when e == 乙 }\n"
		     "condition e_ne { title \"x\" when e != 乙 }\n"
		     "condition e_in { title \"x\" when e in (甲, 丙) }\n"
		     "condition k_e { title \"x\" when known(e) }\n"
		     "condition b_t { title \"x\" when b == true }\n"
		     "condition b_nt { title \"x\" when b != true }\n"
		     "condition b_f { title \"x\" when b == false }\n");
#define T3(c) ((c) ? RC_TRUE : RC_FALSE)
	static const int64_t nv[] = {-4, -3, -2, 4, 5, 6, 1000000000000LL};
	for (int i = 0; i <= N(nv); i++) {
		int known = i < N(nv);
		int64_t n = known ? nv[i] : 0;
		if (known)
			assert_int_equal(rc_facts_set_int(v.f, slot(&v, "n"), n), RC_OK);
		else
			assert_int_equal(rc_facts_set_unknown(v.f, slot(&v, "n")), RC_OK);
		assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
		char ctx[48];
		snprintf(ctx, sizeof(ctx), "n=%lld%s", (long long)n, known ? "" : " (unknown)");
		struct {
			const char *name;
			int val;
		} want[] = {{"n_lt", n < 5},  {"n_le", n <= 5}, {"n_gt", n > 5},  {"n_ge", n >= 5},
			    {"n_eq", n == 5}, {"n_ne", n != 5}, {"n_neg", n > -3}};
		for (int w = 0; w < N(want); w++)
			expect_truth(&v, RC_K_CONDITION, want[w].name,
				     known ? T3(want[w].val) : RC_UNKNOWN, ctx);
		expect_truth(&v, RC_K_CONDITION, "k_n", T3(known), ctx);
	}
	int32_t c;
	assert_int_equal(rc_date_parse("2024-02-29", 10, &c), RC_OK);
	for (int i = -1; i <= 2; i++) {
		int known = i <= 1;
		int32_t d = c + i;
		if (known)
			assert_int_equal(rc_facts_set_date(v.f, slot(&v, "d"), d), RC_OK);
		else
			assert_int_equal(rc_facts_set_unknown(v.f, slot(&v, "d")), RC_OK);
		assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
		char ctx[48];
		rc_date_format(d, ctx);
		struct {
			const char *name;
			int val;
		} want[] = {{"d_lt", d < c},  {"d_le", d <= c}, {"d_gt", d > c},
			    {"d_ge", d >= c}, {"d_eq", d == c}, {"d_ne", d != c}};
		for (int w = 0; w < N(want); w++)
			expect_truth(&v, RC_K_CONDITION, want[w].name,
				     known ? T3(want[w].val) : RC_UNKNOWN, ctx);
	}
	/* enum values by index: 甲 0, 乙 1, 丙 2 */
	for (int e = 0; e <= 3; e++) {
		int known = e < 3;
		if (known)
			assert_int_equal(rc_facts_set_enum(v.f, slot(&v, "e"), e), RC_OK);
		else
			assert_int_equal(rc_facts_set_unknown(v.f, slot(&v, "e")), RC_OK);
		assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
		char ctx[16];
		snprintf(ctx, sizeof(ctx), "e=%d", e);
		expect_truth(&v, RC_K_CONDITION, "e_eq", known ? T3(e == 1) : RC_UNKNOWN, ctx);
		expect_truth(&v, RC_K_CONDITION, "e_ne", known ? T3(e != 1) : RC_UNKNOWN, ctx);
		expect_truth(&v, RC_K_CONDITION, "e_in", known ? T3(e == 0 || e == 2) : RC_UNKNOWN,
			     ctx);
		expect_truth(&v, RC_K_CONDITION, "k_e", T3(known), ctx);
	}
	for (int i = 0; i < 3; i++) {
		enum rc_truth b = truths[i];
		set_b(&v, "b", b);
		assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
		expect_truth(&v, RC_K_CONDITION, "b_t", b, tname(b));
		expect_truth(&v, RC_K_CONDITION, "b_nt", k_not(b), tname(b));
		expect_truth(&v, RC_K_CONDITION, "b_f", k_not(b), tname(b));
	}
#undef T3
	env_close(&v);
}

/* ---- exclusions and tolerable -------------------------------------- */

static const char exclusion_src[] =
    HDR "fact a : bool { label \"a\" }\nfact b : bool { label \"b\" }\n"
	"fact x1 : bool { label \"x\" }\nfact x2 : bool { label \"x\" }\n"
	"fact x3 : bool { label \"x\" }\n"
	"category k { title \"k\" }\n"
	"situation s1 in k { title \"s\" when a }\n"
	"situation s2 in k { title \"s\" when b }\n"
	"exclusion e1 { title \"e\" when x1 blocks s1 }\n"
	"exclusion e2 { title \"e\" when x2 }\n"
	"exclusion e3 { title \"e\" when x3 enabled false }\n";

/* An exclusion defeats the situations it blocks (all by default, or the
 * listed ones); a disabled exclusion is false and never blocks.  Checked
 * over every combination against the definition: blocked(s, e) = s and e
 * (e enabled, s in its list), tolerable = or over s of (s and not any
 * blocker), excluded = or over enabled exclusions. */
static void eval_exclusions_block(void **state)
{
	(void)state;
	struct env v;
	env_open(&v, exclusion_src);
	static const char *const facts[] = {"a", "b", "x1", "x2", "x3"};
	int s1 = find(&v, RC_K_SITUATION, "s1"), s2 = find(&v, RC_K_SITUATION, "s2");
	int e1 = find(&v, RC_K_EXCLUSION, "e1"), e2 = find(&v, RC_K_EXCLUSION, "e2");
	int e3 = find(&v, RC_K_EXCLUSION, "e3");
	for (int code = 0; code < 243; code++) {
		enum rc_truth t[5];
		char ctx[64] = "";
		for (int i = 0, c = code; i < 5; i++, c /= 3) {
			t[i] = truths[c % 3];
			set_b(&v, facts[i], t[i]);
			size_t off = strlen(ctx);
			snprintf(ctx + off, sizeof(ctx) - off, "%s=%s ", facts[i], tname(t[i]));
		}
		enum rc_truth a = t[0], b = t[1], x1 = t[2], x2 = t[3];
		assert_int_equal(rc_policy_eval(v.p, v.f, v.r, RC_EVAL_TRACE), RC_OK);
		enum rc_truth want_b[2][3] = {
		    {k_and(a, x1), k_and(a, x2), RC_FALSE}, /* s1 by e1, e2, e3 */
		    {RC_FALSE, k_and(b, x2), RC_FALSE},     /* s2 */
		};
		int ss[2] = {s1, s2}, ee[3] = {e1, e2, e3};
		for (int s = 0; s < 2; s++)
			for (int e = 0; e < 3; e++)
				if (rc_result_blocked(v.r, ss[s], ee[e]) != want_b[s][e])
					fail_msg("blocked(s%d, e%d) with %s: %s, want %s", s + 1,
						 e + 1, ctx,
						 tname(rc_result_blocked(v.r, ss[s], ee[e])),
						 tname(want_b[s][e]));
		enum rc_truth tol = k_or(k_and(a, k_not(k_or(x1, x2))), k_and(b, k_not(x2)));
		if (rc_result_tolerable(v.r) != tol)
			fail_msg("tolerable with %s: %s, want %s", ctx,
				 tname(rc_result_tolerable(v.r)), tname(tol));
		if (rc_result_excluded(v.r) != k_or(x1, x2))
			fail_msg("excluded with %s", ctx);
		expect_truth(&v, RC_K_EXCLUSION, "e3", RC_FALSE, ctx);
		expect_truth(&v, RC_K_EXCLUSION, "e1", x1, ctx);
	}
	/* the blocked matrix needs the trace; without it nothing is claimed */
	set_b(&v, "a", RC_TRUE);
	set_b(&v, "x1", RC_TRUE);
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, RC_EVAL_TRACE), RC_OK);
	assert_int_equal(rc_result_blocked(v.r, s1, e1), RC_TRUE);
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
	assert_int_equal(rc_result_blocked(v.r, s1, e1), RC_UNKNOWN);
	assert_int_equal(rc_result_blocked(v.r, -1, e1), RC_UNKNOWN);
	env_close(&v);
}

/* tolerable needs a met, unblocked situation and every general condition. */
static void eval_tolerable_needs_all_conditions(void **state)
{
	(void)state;
	struct env v;
	env_open(&v, HDR "fact s : bool { label \"s\" }\nfact c1 : bool { label \"c\" }\n"
			 "fact c2 : bool { label \"c\" }\nfact c3 : bool { label \"c\" }\n"
			 "category k { title \"k\" }\n"
			 "situation 情形 in k { title \"s\" when s }\n"
			 "condition 条件一 { title \"c\" when c1 }\n"
			 "condition 条件二 { title \"c\" when c2 }\n"
			 "condition 条件三 { title \"c\" when not c3 }\n");
	for (int code = 0; code < 81; code++) {
		enum rc_truth s = truths[code % 3], c1 = truths[code / 3 % 3];
		enum rc_truth c2 = truths[code / 9 % 3], c3 = truths[code / 27 % 3];
		set_b(&v, "s", s);
		set_b(&v, "c1", c1);
		set_b(&v, "c2", c2);
		set_b(&v, "c3", c3);
		assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
		enum rc_truth want = k_and(s, k_and(c1, k_and(c2, k_not(c3))));
		if (rc_result_tolerable(v.r) != want)
			fail_msg("s=%s c1=%s c2=%s c3=%s: tolerable %s, want %s", tname(s),
				 tname(c1), tname(c2), tname(c3), tname(rc_result_tolerable(v.r)),
				 tname(want));
	}
	env_close(&v);

	/* no situation at all: never tolerable; no condition: the situation
	 * alone decides */
	env_open(&v, HDR "fact s : bool { label \"s\" }\n"
			 "condition c { title \"c\" when s }\n");
	set_b(&v, "s", RC_TRUE);
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
	assert_int_equal(rc_result_tolerable(v.r), RC_FALSE);
	env_close(&v);
	env_open(&v, HDR "fact s : bool { label \"s\" }\ncategory k { title \"k\" }\n"
			 "situation x in k { title \"x\" when s }\n");
	for (int i = 0; i < 3; i++) {
		set_b(&v, "s", truths[i]);
		assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
		assert_int_equal(rc_result_tolerable(v.r), truths[i]);
	}
	env_close(&v);
}

/* ---- rules and outcomes -------------------------------------------- */

/* Two levels over all nine combinations, against §2.5: the highest level
 * with a true rule decides unless a higher level is unknown; then the
 * outcome is undetermined and the bands still possible are listed; with no
 * rule true it is undetermined. */
static void eval_rule_priority(void **state)
{
	(void)state;
	struct env v;
	env_open(&v, HDR
		 "fact h : bool { label \"h\" }\nfact l : bool { label \"l\" }\n"
		 "outcome 高 { title \"hi\" leniency 1 }\noutcome 低 { title \"lo\" leniency 2 }\n"
		 "rule r_lo { priority 0 when l recommend 低 }\n"
		 "rule r_hi { priority 10 when h recommend 高 }\n");
	uint64_t hi = bit(&v, "高"), lo = bit(&v, "低");
	int r_hi = find(&v, RC_K_RULE, "r_hi"), r_lo = find(&v, RC_K_RULE, "r_lo");
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++) {
			enum rc_truth h = truths[i], l = truths[j];
			set_b(&v, "h", h);
			set_b(&v, "l", l);
			assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
			enum rc_outcome_state st;
			uint64_t band;
			int rule;
			if (h == RC_TRUE) {
				st = RC_OUTCOME_DETERMINED, band = hi, rule = r_hi;
			} else if (h == RC_FALSE && l == RC_TRUE) {
				st = RC_OUTCOME_DETERMINED, band = lo, rule = r_lo;
			} else {
				st = RC_OUTCOME_UNDETERMINED, rule = -1;
				band = (h == RC_UNKNOWN ? hi : 0) | (l != RC_FALSE ? lo : 0);
			}
			if (rc_result_outcome_state(v.r) != st || rc_result_band(v.r) != band ||
			    rc_result_rule(v.r) != rule)
				fail_msg("h=%s l=%s: state %d band %llx rule %d, want %d %llx %d",
					 tname(h), tname(l), rc_result_outcome_state(v.r),
					 (unsigned long long)rc_result_band(v.r),
					 rc_result_rule(v.r), st, (unsigned long long)band, rule);
		}
	env_close(&v);
}

/* Two true rules at one priority with different bands are an error at run
 * time, naming both; the same band is no conflict; a decision at a higher
 * level makes a lower disagreement irrelevant. */
static void eval_runtime_conflict(void **state)
{
	(void)state;
	struct env v;
	env_open(&v, HDR
		 "fact w : bool { label \"w\" }\nfact x : bool { label \"x\" }\n"
		 "fact y : bool { label \"y\" }\nfact z : bool { label \"z\" }\n"
		 "outcome o1 { title \"1\" leniency 1 }\noutcome o2 { title \"2\" leniency 2 }\n"
		 "outcome o3 { title \"3\" leniency 3 }\n"
		 "rule r_a { priority 5 when x recommend o1 }\n"
		 "rule r_b { priority 5 when y recommend o2 }\n"
		 "rule r_c { priority 5 when z recommend o1 }\n"
		 "rule r_top { priority 9 when w recommend o3 }\n");
	int ra = find(&v, RC_K_RULE, "r_a"), rb = find(&v, RC_K_RULE, "r_b");
	set_b(&v, "w", RC_FALSE);
	set_b(&v, "x", RC_TRUE);
	set_b(&v, "y", RC_TRUE);
	set_b(&v, "z", RC_FALSE);
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_ERR_CONFLICT);
	assert_int_equal(rc_result_outcome_state(v.r), RC_OUTCOME_CONFLICT);
	int a = -2, b = -2;
	rc_result_conflict(v.r, &a, &b);
	assert_true((a == ra && b == rb) || (a == rb && b == ra));

	set_b(&v, "y", RC_FALSE);
	set_b(&v, "z", RC_TRUE);
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
	assert_int_equal(rc_result_outcome_state(v.r), RC_OUTCOME_DETERMINED);
	assert_int_equal(rc_result_band(v.r), bit(&v, "o1"));
	rc_result_conflict(v.r, &a, &b);
	assert_int_equal(a, -1);
	assert_int_equal(b, -1);

	set_b(&v, "w", RC_TRUE);
	set_b(&v, "y", RC_TRUE);
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
	assert_int_equal(rc_result_band(v.r), bit(&v, "o3"));
	assert_int_equal(rc_result_rule(v.r), find(&v, RC_K_RULE, "r_top"));
	env_close(&v);
}

/* The result decisiveness is measured on: tolerable, excluded and the
 * outcome (eval.c, same_result). */
struct summary {
	enum rc_truth tol, exc;
	enum rc_outcome_state st;
	uint64_t band;
};

static struct summary summarize(const struct rc_result *r)
{
	struct summary s = {rc_result_tolerable(r), rc_result_excluded(r),
			    rc_result_outcome_state(r), rc_result_band(r)};
	return s;
}

static int same(struct summary a, struct summary b)
{
	return a.tol == b.tol && a.exc == b.exc && a.st == b.st && a.band == b.band;
}

/* Set slot i of g to value `val` whether it is a bool or an enum fact;
 * RC_ERR_RANGE once val is past the last value. */
static enum rc_err set_any(struct rc_facts *g, int i, int val)
{
	enum rc_err e = rc_facts_set_bool(g, i, val);
	if (e == RC_ERR_TYPE)
		return rc_facts_set_enum(g, i, val);
	return val <= 1 ? e : RC_ERR_RANGE;
}

/* Brute-force decisive facts for bool and enum facts: each unknown fact
 * for which some value, alone, changes the summary. */
static int oracle_decisive(const struct env *v, int *out)
{
	struct rc_facts *g;
	struct rc_result *r2;
	int n = 0;
	assert_int_equal(rc_facts_new(v->p, &g), RC_OK);
	assert_int_equal(rc_result_new(v->p, &r2), RC_OK);
	struct summary base = summarize(v->r);
	for (int i = 0; i < rc_policy_slot_count(v->p); i++) {
		if (rc_facts_known(v->f, i))
			continue;
		int hit = 0;
		for (int val = 0; !hit; val++) {
			for (int j = 0; j < rc_policy_slot_count(v->p); j++)
				if (rc_facts_known(v->f, j))
					set_any(g, j, (int)rc_facts_value(v->f, j));
				else
					rc_facts_set_unknown(g, j);
			if (set_any(g, i, val) == RC_ERR_RANGE)
				break;
			rc_policy_eval(v->p, g, r2, 0);
			hit = !same(base, summarize(r2));
		}
		if (hit)
			out[n++] = i;
	}
	rc_result_free(r2);
	rc_facts_free(g);
	return n;
}

static int decisive(const struct env *v, int *out, int cap)
{
	struct rc_result *scratch;
	assert_int_equal(rc_result_new(v->p, &scratch), RC_OK);
	int n = rc_policy_decisive(v->p, v->f, v->r, scratch, out, cap);
	rc_result_free(scratch);
	return n;
}

/* A lower rule's fact does not matter once a higher level decides, but an
 * unknown fact of a still higher rule does. */
static void eval_decisive_facts(void **state)
{
	(void)state;
	struct env v;
	env_open(&v, HDR
		 "fact a : bool { label \"a\" }\nfact c : bool { label \"c\" }\n"
		 "fact x : bool { label \"x\" }\nfact 无关 : bool { label \"u\" record true }\n"
		 "outcome o1 { title \"1\" leniency 1 }\noutcome o2 { title \"2\" leniency 2 }\n"
		 "outcome o3 { title \"3\" leniency 3 }\n"
		 "rule r_top { priority 20 when x recommend o3 }\n"
		 "rule r_hi { priority 10 when a recommend o1 }\n"
		 "rule r_lo { priority 0 when c recommend o2 }\n");
	set_b(&v, "a", RC_TRUE);
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
	assert_int_equal(rc_result_outcome_state(v.r), RC_OUTCOME_UNDETERMINED);
	int out[8] = {-1, -1};
	int n = decisive(&v, out, 8);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], slot(&v, "x"));
	/* once x is known, nothing is left to ask */
	set_b(&v, "x", RC_FALSE);
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
	assert_int_equal(decisive(&v, out, 8), 0);
	/* with a false too, c decides between o2 and no outcome */
	set_b(&v, "a", RC_FALSE);
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
	n = decisive(&v, out, 8);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], slot(&v, "c"));
	/* the count is complete even when the output is too small */
	set_b(&v, "x", RC_UNKNOWN);
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
	out[0] = -7;
	assert_int_equal(decisive(&v, out, 0), 2);
	assert_int_equal(out[0], -7);
	env_close(&v);
}

/* Over every assignment of a policy with situations, an exclusion, a
 * condition and rules, the decisive facts equal the brute-force answer. */
static void eval_decisive_matches_brute_force(void **state)
{
	(void)state;
	struct env v;
	env_open(&v, HDR
		 "fact a : bool { label \"a\" }\nfact b : bool { label \"b\" }\n"
		 "fact x : bool { label \"x\" }\nfact g : bool { label \"g\" }\n"
		 "standard 补救 { title \"b\" grades(有利, 不利, 未查明) }\n"
		 "category k { title \"k\" }\n"
		 "situation s1 in k { title \"s\" when a }\n"
		 "situation s2 in k { title \"s\" when b and not g }\n"
		 "exclusion e { title \"e\" when x blocks s1 }\n"
		 "condition c { title \"c\" when not (g and x) }\n"
		 "outcome o1 { title \"1\" leniency 1 }\noutcome o2 { title \"2\" leniency 2 }\n"
		 "outcome o3 { title \"3\" leniency 3 }\n"
		 "rule r1 { priority 10 when tolerable and g recommend o3 }\n"
		 "rule r2 { priority 10 when tolerable and not g recommend o2 }\n"
		 "rule r3 { priority 5 when not tolerable and 补救 == 有利 recommend o2 }\n"
		 "rule r4 { priority 0 when true recommend o1 }\n");
	static const char *const names[] = {"a", "b", "x", "g"};
	int remedy = slot(&v, "补救");
	for (int code = 0; code < 243; code++) {
		for (int i = 0, c = code; i < 4; i++, c /= 3)
			set_b(&v, names[i], truths[c % 3]);
		/* 有利, 不利, 未查明 (= unknown) */
		assert_int_equal(rc_facts_set_enum(v.f, remedy, code / 81), RC_OK);
		rc_policy_eval(v.p, v.f, v.r, 0);
		int got[8], want[8];
		int ng = decisive(&v, got, 8), nw = oracle_decisive(&v, want);
		if (ng != nw || memcmp(got, want, (size_t)ng * sizeof(int)) != 0) {
			char ctx[64] = "";
			for (int i = 0, c = code; i < 4; i++, c /= 3) {
				size_t off = strlen(ctx);
				snprintf(ctx + off, sizeof(ctx) - off, "%s=%s ", names[i],
					 tname(truths[c % 3]));
			}
			size_t off = strlen(ctx);
			snprintf(ctx + off, sizeof(ctx) - off, "grade=%d", code / 81);
			fail_msg("%s: %d decisive facts, brute force finds %d", ctx, ng, nw);
		}
	}
	env_close(&v);
}

/* Brute-force candidates for bool facts: the union of the bands that
 * every completion of the unknown facts determines. */
static uint64_t oracle_candidates(const struct env *v)
{
	int unk[16], nu = 0;
	uint64_t band = 0;
	struct rc_facts *g;
	struct rc_result *r2;
	assert_int_equal(rc_facts_new(v->p, &g), RC_OK);
	assert_int_equal(rc_result_new(v->p, &r2), RC_OK);
	for (int i = 0; i < rc_policy_slot_count(v->p); i++) {
		if (rc_facts_known(v->f, i))
			rc_facts_set_bool(g, i, (int)rc_facts_value(v->f, i));
		else
			unk[nu++] = i;
	}
	for (unsigned m = 0; m < (1u << nu); m++) {
		for (int i = 0; i < nu; i++)
			rc_facts_set_bool(g, unk[i], (int)((m >> i) & 1));
		if (rc_policy_eval(v->p, g, r2, 0) == RC_OK &&
		    rc_result_outcome_state(r2) == RC_OUTCOME_DETERMINED)
			band |= rc_result_band(r2);
	}
	rc_result_free(r2);
	rc_facts_free(g);
	return band;
}

/* Two complementary rules (tolerable and X / tolerable and not X) leave no
 * room for the fallback once tolerable is known: the candidates must not
 * offer it, although plain evaluation conservatively does. */
static void eval_candidates_complementary(void **state)
{
	(void)state;
	struct env v;
	env_open(&v, HDR
		 "fact s : bool { label \"s\" }\nfact x : bool { label \"x\" }\n"
		 "category k { title \"k\" }\nsituation 情形 in k { title \"s\" when s }\n"
		 "outcome o1 { title \"1\" leniency 1 }\noutcome o2 { title \"2\" leniency 2 }\n"
		 "outcome o3 { title \"3\" leniency 3 }\n"
		 "rule r1 { priority 10 when tolerable and x recommend o1 }\n"
		 "rule r2 { priority 10 when tolerable and not x recommend o2 }\n"
		 "rule fallback { priority 0 when true recommend o3 }\n");
	uint64_t o1 = bit(&v, "o1"), o2 = bit(&v, "o2"), o3 = bit(&v, "o3");
	set_b(&v, "s", RC_TRUE);
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
	assert_int_equal(rc_result_outcome_state(v.r), RC_OUTCOME_UNDETERMINED);
	assert_true(rc_result_band(v.r) & o3); /* the conservative answer */
	uint64_t want = oracle_candidates(&v);
	assert_int_equal(want, o1 | o2);
	assert_int_equal(rc_policy_candidates(v.p, v.f, v.r), want);

	/* with tolerable itself unknown, the fallback is possible again */
	set_b(&v, "s", RC_UNKNOWN);
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
	want = oracle_candidates(&v);
	assert_int_equal(want, o1 | o2 | o3);
	assert_int_equal(rc_policy_candidates(v.p, v.f, v.r), want);

	/* determined: the band itself */
	set_b(&v, "s", RC_TRUE);
	set_b(&v, "x", RC_FALSE);
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
	assert_int_equal(rc_result_outcome_state(v.r), RC_OUTCOME_DETERMINED);
	assert_int_equal(rc_policy_candidates(v.p, v.f, v.r), o2);
	env_close(&v);
}

/* known() is the one test that is not monotone: a rule `not known(x) and
 * a` holds only while x stays unknown.  With x and a unknown, answering
 * a = true (and leaving x open) makes it decide, so its outcome is a
 * candidate beside the fallback's; once x is given it can no longer apply. */
static void eval_candidates_not_known(void **state)
{
	(void)state;
	struct env v;
	env_open(&v, HDR
		 "fact x : int { label \"x\" }\nfact a : bool { label \"a\" }\n"
		 "outcome o1 { title \"1\" leniency 1 }\noutcome o2 { title \"2\" leniency 2 }\n"
		 "rule r_open { priority 10 when not known(x) and a recommend o1 }\n"
		 "rule fallback { priority 0 when true recommend o2 }\n");
	uint64_t o1 = bit(&v, "o1"), o2 = bit(&v, "o2");
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
	assert_int_equal(rc_result_outcome_state(v.r), RC_OUTCOME_UNDETERMINED);
	assert_int_equal(item(&v, RC_K_RULE, "r_open"), RC_UNKNOWN);
	assert_int_equal(rc_policy_candidates(v.p, v.f, v.r), o1 | o2);
	/* a = true with x unknown: r_open decides, as the candidate said */
	set_b(&v, "a", RC_TRUE);
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
	assert_int_equal(rc_result_outcome_state(v.r), RC_OUTCOME_DETERMINED);
	assert_int_equal(rc_result_band(v.r), o1);
	/* x given, a unknown: r_open is false whatever a is */
	set_b(&v, "a", RC_UNKNOWN);
	assert_int_equal(rc_facts_set_int(v.f, slot(&v, "x"), 5), RC_OK);
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
	assert_int_equal(rc_result_outcome_state(v.r), RC_OUTCOME_DETERMINED);
	assert_int_equal(rc_policy_candidates(v.p, v.f, v.r), o2);
	env_close(&v);
}

/* A date fact used only in known(d) has no compared constant to try, yet
 * giving it changes the outcome (o2 -> o1): it is decisive while unknown. */
static void eval_decisive_date_only_in_known(void **state)
{
	(void)state;
	struct env v;
	env_open(&v, HDR
		 "fact d : date { label \"d\" }\n"
		 "outcome o1 { title \"1\" leniency 1 }\noutcome o2 { title \"2\" leniency 2 }\n"
		 "rule r_dated { priority 10 when known(d) recommend o1 }\n"
		 "rule fallback { priority 0 when true recommend o2 }\n");
	int d = slot(&v, "d");
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
	assert_int_equal(rc_result_outcome_state(v.r), RC_OUTCOME_DETERMINED);
	assert_int_equal(rc_result_band(v.r), bit(&v, "o2"));
	int out[4] = {-1, -1, -1, -1};
	assert_int_equal(decisive(&v, out, 4), 1);
	assert_int_equal(out[0], d);
	/* given any date, r_dated decides and nothing is left to ask */
	assert_int_equal(rc_facts_set_date(v.f, d, rc_date_from_ymd(2023, 2, 1)), RC_OK);
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_OK);
	assert_int_equal(rc_result_band(v.r), bit(&v, "o1"));
	assert_int_equal(decisive(&v, out, 4), 0);
	env_close(&v);
}

/* Leniency of bands: the higher most-lenient outcome wins, ties go to the
 * higher least-lenient one.  All pairs of non-empty bands over four
 * outcomes, against that rule computed from the leniency table. */
static void eval_band_cmp(void **state)
{
	(void)state;
	static const int len[4] = {1, 2, 3, 5};
	struct env v;
	env_open(&v, HDR
		 "outcome a { title \"a\" leniency 1 }\noutcome b { title \"b\" leniency 2 }\n"
		 "outcome c { title \"c\" leniency 3 }\noutcome d { title \"d\" leniency 5 }\n");
	static const char *const names[4] = {"a", "b", "c", "d"};
	uint64_t bits[4];
	for (int i = 0; i < 4; i++)
		bits[i] = bit(&v, names[i]);
	for (unsigned x = 1; x < 16; x++)
		for (unsigned y = 1; y < 16; y++) {
			uint64_t bx = 0, by = 0;
			int xlo = 99, xhi = -1, ylo = 99, yhi = -1;
			for (int i = 0; i < 4; i++) {
				if (x >> i & 1) {
					bx |= bits[i];
					xlo = len[i] < xlo ? len[i] : xlo;
					xhi = len[i] > xhi ? len[i] : xhi;
				}
				if (y >> i & 1) {
					by |= bits[i];
					ylo = len[i] < ylo ? len[i] : ylo;
					yhi = len[i] > yhi ? len[i] : yhi;
				}
			}
			int want = xhi != yhi   ? (xhi > yhi ? 1 : -1)
				   : xlo != ylo ? (xlo > ylo ? 1 : -1)
						: 0;
			int got = rc_policy_band_cmp(v.p, bx, by);
			int sign = (got > 0) - (got < 0);
			if (sign != want)
				fail_msg("cmp(%x, %x) = %d, want sign %d", x, y, got, want);
		}
	env_close(&v);
}

/* ---- the checker ---------------------------------------------------- */

static int count_errors_with(const struct rc_diags *d, const char *s)
{
	int n = 0;
	for (int i = 0; i < d->count; i++)
		n += d->items[i].sev == RC_SEV_ERROR && strstr(d->items[i].msg, s) != NULL;
	return n;
}

/* A conflict is reported with a witness, and the witness is real: setting
 * exactly those facts makes evaluation report the conflict. */
static void check_finds_conflict_with_witness(void **state)
{
	(void)state;
	struct env v;
	env_open(&v, HDR
		 "fact x : bool { label \"x\" }\nfact y : bool { label \"y\" }\n"
		 "fact z : bool { label \"z\" }\nfact w : bool { label \"w\" }\n"
		 "outcome o1 { title \"1\" leniency 1 }\noutcome o2 { title \"2\" leniency 2 }\n"
		 "rule r_a { priority 5 when x and not y recommend o1 }\n"
		 "rule r_b { priority 5 when (z or w) and not w recommend o2 }\n"
		 "rule r_c { priority 0 when true recommend o1 }\n");
	struct rc_diags *d = malloc(sizeof(*d));
	assert_non_null(d);
	rc_diags_init(d, "t.rcp");
	assert_int_equal(rc_policy_check(v.p, d), RC_ERR_CONFLICT);
	assert_int_equal(count_errors_with(d, "'r_a'"), 1);
	assert_int_equal(d->errors, 1);
	const char *msg = NULL;
	for (int i = 0; i < d->count; i++)
		if (d->items[i].sev == RC_SEV_ERROR)
			msg = d->items[i].msg;
	assert_non_null(msg);
	assert_non_null(strstr(msg, "'r_b'"));
	/* parse "both apply when NAME = VALUE, NAME = VALUE; ..." */
	const char *w = strstr(msg, "both apply when ");
	assert_non_null(w);
	w += strlen("both apply when ");
	const char *end = strchr(w, ';');
	assert_non_null(end);
	int n_set = 0;
	while (w < end) {
		char name[64], val[16];
		const char *eq = strstr(w, " = ");
		assert_non_null(eq);
		assert_true(eq < end && (size_t)(eq - w) < sizeof(name));
		memcpy(name, w, (size_t)(eq - w));
		name[eq - w] = '\0';
		const char *vs = eq + 3, *ve = vs;
		while (ve < end && *ve != ',')
			ve++;
		assert_true((size_t)(ve - vs) < sizeof(val));
		memcpy(val, vs, (size_t)(ve - vs));
		val[ve - vs] = '\0';
		assert_true(strcmp(val, "true") == 0 || strcmp(val, "false") == 0);
		set_b(&v, name, strcmp(val, "true") == 0 ? RC_TRUE : RC_FALSE);
		n_set++;
		w = ve < end ? ve + 2 : end;
	}
	assert_true(n_set >= 3); /* x, y, z at least; w must be false */
	assert_int_equal(rc_policy_eval(v.p, v.f, v.r, 0), RC_ERR_CONFLICT);
	free(d);
	env_close(&v);
}

/* Rules that exclude each other (bool, enum and int splits) are proved
 * disjoint: no error, no "could not prove" warning. */
static void check_proves_disjoint(void **state)
{
	(void)state;
	struct env v;
	env_open(&v, HDR
		 "fact x : bool { label \"x\" }\nfact y : bool { label \"y\" }\n"
		 "fact e : enum(甲, 乙, 丙) { label \"e\" }\nfact n : int { label \"n\" }\n"
		 "category k { title \"k\" }\nsituation s in k { title \"s\" when y }\n"
		 "outcome o1 { title \"1\" leniency 1 }\noutcome o2 { title \"2\" leniency 2 }\n"
		 "rule a1 { priority 30 when tolerable and x recommend o1 }\n"
		 "rule a2 { priority 30 when tolerable and not x recommend o2 }\n"
		 "rule a3 { priority 30 when x and y recommend o1 }\n"
		 "rule b1 { priority 20 when e == 甲 recommend o1 }\n"
		 "rule b2 { priority 20 when e in (乙, 丙) recommend o2 }\n"
		 "rule c1 { priority 10 when n < 5 recommend o1 }\n"
		 "rule c2 { priority 10 when n >= 5 recommend o2 }\n"
		 "rule f { priority 0 when true recommend o1 }\n");
	struct rc_diags *d = malloc(sizeof(*d));
	assert_non_null(d);
	rc_diags_init(d, "t.rcp");
	assert_int_equal(rc_policy_check(v.p, d), RC_OK);
	if (d->errors)
		rc_diags_print(d, stderr);
	assert_int_equal(d->errors, 0);
	for (int i = 0; i < d->count; i++)
		assert_null(strstr(d->items[i].msg, "could not prove"));
	free(d);
	env_close(&v);
}

/* A value outside a fact's min/max cannot occur (rc_facts_set_int refuses
 * it), so it cannot be a witness: rules 'n < 0' and 'a' never both apply
 * when n has min 0. */
static void check_respects_fact_range(void **state)
{
	(void)state;
	struct env v;
	env_open(&v, HDR
		 "fact n : int { label \"n\" min 0 max 10 }\nfact a : bool { label \"a\" }\n"
		 "outcome o1 { title \"1\" leniency 1 }\noutcome o2 { title \"2\" leniency 2 }\n"
		 "rule r1 { when n < 0 recommend o1 }\n"
		 "rule r2 { when a or n > 10 recommend o2 }\n");
	assert_int_equal(rc_facts_set_int(v.f, slot(&v, "n"), -1), RC_ERR_RANGE);
	struct rc_diags *d = malloc(sizeof(*d));
	assert_non_null(d);
	rc_diags_init(d, "t.rcp");
	enum rc_err e = rc_policy_check(v.p, d);
	if (e != RC_OK || d->errors)
		rc_diags_print(d, stderr);
	int errors = d->errors;
	free(d);
	env_close(&v);
	assert_int_equal(errors, 0);
	assert_int_equal(e, RC_OK);
}

/* ---- fact sets ------------------------------------------------------ */

static const char facts_src[] = HDR "fact b : bool { label \"b\" }\n"
				    "fact n : int { label \"n\" unit \"万元\" min 0 max 100 }\n"
				    "fact m : int { label \"m\" }\n"
				    "fact e : enum(甲, 乙) { label \"e\" }\n"
				    "fact dt : date { label \"dt\" }\n"
				    "fact t : text { label \"t\" }\n"
				    "standard g { title \"g\" grades(好, 坏, 未查明) }\n";

static void facts_setters(void **state)
{
	(void)state;
	struct env v;
	env_open(&v, facts_src);
	int b = slot(&v, "b"), n = slot(&v, "n"), m = slot(&v, "m"), e = slot(&v, "e");
	int dt = slot(&v, "dt"), t = slot(&v, "t"), g = slot(&v, "g");
	/* all unknown at first */
	for (int i = 0; i < rc_policy_slot_count(v.p); i++)
		assert_false(rc_facts_known(v.f, i));
	/* int range: min and max inclusive; a refused value changes nothing */
	assert_int_equal(rc_facts_set_int(v.f, n, 0), RC_OK);
	assert_int_equal(rc_facts_set_int(v.f, n, 100), RC_OK);
	assert_int_equal(rc_facts_set_int(v.f, n, 101), RC_ERR_RANGE);
	assert_int_equal(rc_facts_set_int(v.f, n, -1), RC_ERR_RANGE);
	assert_int_equal(rc_facts_set_int(v.f, n, INT64_MIN), RC_ERR_RANGE);
	assert_true(rc_facts_known(v.f, n));
	assert_int_equal(rc_facts_value(v.f, n), 100);
	/* without min/max any int64 goes */
	assert_int_equal(rc_facts_set_int(v.f, m, INT64_MIN), RC_OK);
	assert_int_equal(rc_facts_value(v.f, m), INT64_MIN);
	/* enum range */
	assert_int_equal(rc_facts_set_enum(v.f, e, 1), RC_OK);
	assert_int_equal(rc_facts_set_enum(v.f, e, 2), RC_ERR_RANGE);
	assert_int_equal(rc_facts_set_enum(v.f, e, -1), RC_ERR_RANGE);
	assert_int_equal(rc_facts_value(v.f, e), 1);
	assert_int_equal(rc_facts_set_enum(v.f, g, 3), RC_ERR_RANGE);
	/* type mismatches */
	assert_int_equal(rc_facts_set_bool(v.f, n, 1), RC_ERR_TYPE);
	assert_int_equal(rc_facts_set_int(v.f, b, 1), RC_ERR_TYPE);
	assert_int_equal(rc_facts_set_date(v.f, e, 0), RC_ERR_TYPE);
	assert_int_equal(rc_facts_set_enum(v.f, b, 0), RC_ERR_TYPE);
	assert_int_equal(rc_facts_set_enum(v.f, dt, 0), RC_ERR_TYPE);
	assert_int_equal(rc_facts_set_text(v.f, b, "x", 1), RC_ERR_TYPE);
	assert_int_equal(rc_facts_set_int(v.f, dt, 5), RC_ERR_TYPE);
	assert_int_equal(rc_facts_set_bool(v.f, g, 1), RC_ERR_TYPE);
	assert_false(rc_facts_known(v.f, b));
	assert_false(rc_facts_known(v.f, dt));
	/* slots out of range */
	int ns = rc_policy_slot_count(v.p);
	assert_int_not_equal(rc_facts_set_bool(v.f, ns, 1), RC_OK);
	assert_int_not_equal(rc_facts_set_bool(v.f, -1, 1), RC_OK);
	assert_int_equal(rc_facts_set_unknown(v.f, ns), RC_ERR_RANGE);
	assert_false(rc_facts_known(v.f, ns));
	assert_int_equal(rc_facts_value(v.f, -1), 0);
	assert_null(rc_facts_text(v.f, ns));
	/* bool values are normalised */
	assert_int_equal(rc_facts_set_bool(v.f, b, 42), RC_OK);
	assert_int_equal(rc_facts_value(v.f, b), 1);
	/* text: copied, UTF-8 checked, capped at 64 KiB */
	char buf[8] = "说明";
	assert_int_equal(rc_facts_set_text(v.f, t, buf, strlen(buf)), RC_OK);
	buf[0] = 'X';
	assert_string_equal(rc_facts_text(v.f, t), "说明");
	assert_int_equal(rc_facts_set_text(v.f, t, "\xC0\x80", 2), RC_ERR_RANGE);
	assert_string_equal(rc_facts_text(v.f, t), "说明");
	char *big = malloc((64u << 10) + 1);
	assert_non_null(big);
	memset(big, 'a', (64u << 10) + 1);
	assert_int_equal(rc_facts_set_text(v.f, t, big, 64u << 10), RC_OK);
	assert_int_equal(rc_facts_set_text(v.f, t, big, (64u << 10) + 1), RC_ERR_RANGE);
	free(big);
	/* unknown, and clear */
	assert_int_equal(rc_facts_set_unknown(v.f, t), RC_OK);
	assert_false(rc_facts_known(v.f, t));
	assert_null(rc_facts_text(v.f, t));
	assert_int_equal(rc_facts_set_date(v.f, dt, 19000), RC_OK);
	rc_facts_clear(v.f);
	for (int i = 0; i < ns; i++) {
		assert_false(rc_facts_known(v.f, i));
		assert_int_equal(rc_facts_value(v.f, i), 0);
	}
	/* a description for messages */
	char desc[128];
	rc_policy_slot_describe(v.p, n, desc, sizeof(desc));
	assert_string_equal(desc, "int in 万元, 0..100");
	rc_policy_slot_describe(v.p, e, desc, sizeof(desc));
	assert_string_equal(desc, "one of \"甲\", \"乙\"");
	env_close(&v);
}

/* A fact set is made once and reused (policy.h): setting a text fact again
 * and again, or clearing and refilling the set, must not run out of room. */
static void facts_text_reuse(void **state)
{
	(void)state;
	struct env v;
	env_open(&v, facts_src);
	int t = slot(&v, "t");
	size_t len = 64u << 10;
	char *big = malloc(len);
	assert_non_null(big);
	memset(big, 'a', len);
	enum rc_err e = RC_OK;
	int i;
	for (i = 0; i < 200 && e == RC_OK; i++) {
		rc_facts_clear(v.f);
		e = rc_facts_set_text(v.f, t, big, len);
	}
	free(big);
	env_close(&v);
	if (e != RC_OK)
		fail_msg("text set %d on a reused fact set: %s", i, rc_strerror(e));
}

struct json_case {
	const char *doc;
	const char *path; /* the message must start with "PATH:" */
	const char *msg;
};

static void facts_read_json(void **state)
{
	(void)state;
	struct env v;
	env_open(&v, facts_src);
	int b = slot(&v, "b"), n = slot(&v, "n"), e = slot(&v, "e"), dt = slot(&v, "dt");
	int t = slot(&v, "t"), g = slot(&v, "g");
	int32_t cd = 0, dd = 0;

	/* null is unknown, even over a value set before */
	assert_int_equal(rc_facts_set_bool(v.f, b, 1), RC_OK);
	const char *null_b = "{\"facts\": {\"b\": null}}";
	assert_int_equal(rc_facts_read_json(v.f, null_b, strlen(null_b), 0, v.d, &cd, &dd), RC_OK);
	assert_false(rc_facts_known(v.f, b));
	assert_int_equal(cd, INT32_MIN);
	assert_int_equal(dd, INT32_MIN);

	const char *full = "{\"facts\": {\"b\": false, \"n\": 7, \"e\": \"乙\", "
			   "\"dt\": \"2024-02-29\", \"t\": \"情况说明\"}, "
			   "\"findings\": {\"g\": \"坏\"}, \"conduct_date\": \"2023-01-01\", "
			   "\"decision_date\": \"2023-02-01\", \"comment\": \"x\"}";
	assert_int_equal(rc_facts_read_json(v.f, full, strlen(full), 0, v.d, &cd, &dd), RC_OK);
	assert_true(rc_facts_known(v.f, b));
	assert_int_equal(rc_facts_value(v.f, b), 0);
	assert_int_equal(rc_facts_value(v.f, n), 7);
	assert_int_equal(rc_facts_value(v.f, e), 1);
	assert_int_equal(rc_facts_value(v.f, dt), rc_date_from_ymd(2024, 2, 29));
	assert_string_equal(rc_facts_text(v.f, t), "情况说明");
	assert_int_equal(rc_facts_value(v.f, g), 1);
	assert_int_equal(cd, rc_date_from_ymd(2023, 1, 1));
	assert_int_equal(dd, rc_date_from_ymd(2023, 2, 1));
	assert_int_equal(v.d->errors, 0);

	/* reading replaces the whole set: absent facts become unknown */
	const char *only_g = "{\"findings\": {\"g\": \"未查明\"}}";
	assert_int_equal(rc_facts_read_json(v.f, only_g, strlen(only_g), 0, v.d, NULL, NULL),
			 RC_OK);
	for (int i = 0; i < rc_policy_slot_count(v.p); i++)
		assert_false(rc_facts_known(v.f, i));

	/* names the policy lacks may be skipped on request */
	const char *extra = "{\"facts\": {\"bb\": true, \"b\": true}}";
	assert_int_equal(
	    rc_facts_read_json(v.f, extra, strlen(extra), RC_FACTS_IGNORE_UNKNOWN, v.d, NULL, NULL),
	    RC_OK);
	assert_true(rc_facts_known(v.f, b));

	static const struct json_case bad[] = {
	    {"{\"facts\": {\"b\": 1}}", "facts.b", "expected bool"},
	    {"{\"facts\": {\"n\": 101}}", "facts.n", "out of range"},
	    {"{\"facts\": {\"n\": -1}}", "facts.n", "out of range"},
	    {"{\"facts\": {\"n\": \"7\"}}", "facts.n", "got a string"},
	    {"{\"facts\": {\"n\": 1.5}}", "facts.n", "decimal"},
	    {"{\"facts\": {\"e\": \"丙\"}}", "facts.e", "not allowed"},
	    {"{\"facts\": {\"bb\": true}}", "facts.bb", "did you mean 'b'"},
	    {"{\"facts\": {\"g\": \"好\"}}", "facts.g", "put it under \"findings\""},
	    {"{\"findings\": {\"b\": true}}", "findings.b", "put it under \"facts\""},
	    {"{\"findings\": {\"g\": \"优\"}}", "findings.g", "not allowed"},
	    {"{\"facts\": {\"dt\": \"2023-02-30\"}}", "facts.dt", "impossible date"},
	    {"{\"facts\": {\"dt\": \"2023/02/03\"}}", "facts.dt", "not a date"},
	    {"{\"facts\": {\"dt\": 20230203}}", "facts.dt", "expected a date"},
	    {"{\"facts\": {\"t\": 5}}", "facts.t", "expected text"},
	    {"{\"conduct_date\": \"2023-13-01\"}", "conduct_date", "impossible date"},
	    {"{\"facts\": [1]}", "facts", "expected an object"},
	};
	for (int i = 0; i < N(bad); i++) {
		rc_diags_init(v.d, "case.json");
		enum rc_err err =
		    rc_facts_read_json(v.f, bad[i].doc, strlen(bad[i].doc), 0, v.d, &cd, &dd);
		char prefix[64];
		snprintf(prefix, sizeof(prefix), "%s: ", bad[i].path);
		if (err == RC_OK || v.d->errors != 1 ||
		    strncmp(v.d->items[0].msg, prefix, strlen(prefix)) != 0 ||
		    !strstr(v.d->items[0].msg, bad[i].msg)) {
			rc_diags_print(v.d, stderr);
			fail_msg("%s: want one error '%s...%s'", bad[i].doc, prefix, bad[i].msg);
		}
		/* a failed read leaves nothing half-set */
		for (int j = 0; j < rc_policy_slot_count(v.p); j++)
			assert_false(rc_facts_known(v.f, j));
	}

	/* several problems are all reported */
	rc_diags_init(v.d, "case.json");
	const char *two = "{\"facts\": {\"b\": 1, \"n\": 101}, \"other\": 1}";
	assert_int_not_equal(rc_facts_read_json(v.f, two, strlen(two), 0, v.d, NULL, NULL), RC_OK);
	assert_int_equal(v.d->errors, 3);

	/* document-level errors */
	rc_diags_init(v.d, "case.json");
	assert_int_equal(rc_facts_read_json(v.f, "{\"facts\": {", 11, 0, v.d, NULL, NULL),
			 RC_ERR_SYNTAX);
	assert_non_null(strstr(v.d->items[0].msg, "invalid JSON"));
	rc_diags_init(v.d, "case.json");
	const char *dup = "{\"facts\": {\"b\": true, \"b\": false}}";
	assert_int_equal(rc_facts_read_json(v.f, dup, strlen(dup), 0, v.d, NULL, NULL),
			 RC_ERR_SYNTAX);
	rc_diags_init(v.d, "case.json");
	assert_int_equal(rc_facts_read_json(v.f, "[1]", 3, 0, v.d, NULL, NULL), RC_ERR_TYPE);
	rc_diags_init(v.d, "case.json");
	const char *order = "{\"conduct_date\": \"2023-02-01\", \"decision_date\": \"2023-01-31\"}";
	/* The reader returns the dates as written; their order is checked by
	 * rc_assess on the dates it uses, after command-line overrides
	 * (tests/golden/088-err-decision-before-conduct.json). */
	assert_int_equal(rc_facts_read_json(v.f, order, strlen(order), 0, v.d, &cd, &dd), RC_OK);
	assert_int_equal(cd, rc_date_from_ymd(2023, 2, 1));
	assert_int_equal(dd, rc_date_from_ymd(2023, 1, 31));
	env_close(&v);
}

/* ---- misc ----------------------------------------------------------- */

static void eval_free_null_safe(void **state)
{
	(void)state;
	rc_policy_free(NULL);
	rc_facts_free(NULL);
	rc_result_free(NULL);
}

/* Facts or a result made for another policy are refused, not misread. */
static void eval_foreign_objects(void **state)
{
	(void)state;
	struct env a, b;
	env_open(&a, HDR "fact x : bool { label \"x\" }\n");
	env_open(&b, HDR "fact x : bool { label \"x\" }\nfact y : bool { label \"y\" }\n");
	assert_int_equal(rc_policy_eval(a.p, b.f, a.r, 0), RC_ERR_INTERNAL);
	assert_int_equal(rc_policy_eval(a.p, a.f, b.r, 0), RC_ERR_INTERNAL);
	assert_int_equal(rc_policy_eval(a.p, a.f, a.r, 0), RC_OK);
	env_close(&b);
	env_close(&a);
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(eval_kleene_tables),
		cmocka_unit_test(eval_comparisons),
		cmocka_unit_test(eval_exclusions_block),
		cmocka_unit_test(eval_tolerable_needs_all_conditions),
		cmocka_unit_test(eval_rule_priority),
		cmocka_unit_test(eval_runtime_conflict),
		cmocka_unit_test(eval_decisive_facts),
		cmocka_unit_test(eval_decisive_matches_brute_force),
		cmocka_unit_test(eval_candidates_complementary),
		cmocka_unit_test(eval_candidates_not_known),
		cmocka_unit_test(eval_decisive_date_only_in_known),
		cmocka_unit_test(eval_band_cmp),
		cmocka_unit_test(check_finds_conflict_with_witness),
		cmocka_unit_test(check_proves_disjoint),
		cmocka_unit_test(check_respects_fact_range),
		cmocka_unit_test(facts_setters),
		cmocka_unit_test(facts_text_reuse),
		cmocka_unit_test(facts_read_json),
		cmocka_unit_test(eval_free_null_safe),
		cmocka_unit_test(eval_foreign_objects),
	};
	/* clang-format on */
	return cmocka_run_group_tests_name("eval", tests, NULL, NULL);
}
