/*
 * test_parser.c -- unit tests of the parser and compiler, through
 * rc_policy_compile on small policies written in the tests.
 *
 * Where a test counts items, the policy text is generated from the same
 * arrays the expectations are read from, so a count can only match when
 * every item was parsed into the right kind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/date.h"
#include "policy/policy.h"
#include "policy/policy_int.h"

#define HDR "policy t { title \"t\" version \"1\" effective 2023-01-01 }\n"

struct compiled {
	struct rc_diags *d;
	struct rc_policy *p;
	enum rc_err e;
};

static void compile_n(struct compiled *c, const char *src, size_t len)
{
	c->d = malloc(sizeof(*c->d));
	assert_non_null(c->d);
	rc_diags_init(c->d, "t.rcp");
	c->p = (struct rc_policy *)&c->p; /* must be overwritten */
	c->e = rc_policy_compile(src, len, "t.rcp", c->d, &c->p);
}

static void compile(struct compiled *c, const char *src)
{
	compile_n(c, src, strlen(src));
}

static void done(struct compiled *c)
{
	rc_policy_free(c->p);
	free(c->d);
}

static struct rc_policy *compile_ok(struct compiled *c, const char *src)
{
	compile(c, src);
	if (c->e != RC_OK) {
		rc_diags_print(c->d, stderr);
		fail_msg("compile failed: %s", rc_strerror(c->e));
	}
	assert_non_null(c->p);
	assert_int_equal(c->d->errors, 0);
	return c->p;
}

/* Compile must fail, leave *out NULL, and report an error whose message
 * contains `msg`; returns that diagnostic. */
static const struct rc_diag *compile_fails(struct compiled *c, const char *src, const char *msg)
{
	compile(c, src);
	assert_int_not_equal(c->e, RC_OK);
	assert_null(c->p);
	for (int i = 0; i < c->d->count; i++)
		if (c->d->items[i].sev == RC_SEV_ERROR && strstr(c->d->items[i].msg, msg))
			return &c->d->items[i];
	rc_diags_print(c->d, stderr);
	fail_msg("no error containing '%s'", msg);
	return NULL;
}

/* Line and column (in code points) of the first `needle` in `src`. */
static void pos_of(const char *src, const char *needle, int *line, int *col)
{
	const char *at = strstr(src, needle);
	assert_non_null(at);
	*line = 1;
	*col = 1;
	for (const char *s = src; s < at; s++) {
		if (*s == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)*s & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static void assert_at(const struct rc_diag *g, const char *src, const char *needle)
{
	int line, col;
	pos_of(src, needle, &line, &col);
	if (g->line != line || g->col != col)
		fail_msg("'%s' reported at %d:%d, want %d:%d (at '%s')", g->msg, g->line, g->col,
			 line, col, needle);
}

/* ---- every item kind ------------------------------------------------ */

static const char *const facts[] = {"谋取私利", "损失金额", "案件来源", "行为日期", "情况说明"};
static const char *const standards[] = {"补救情况", "主观动机"};
static const char *const categories[] = {"改革创新", "先行先试", "应急处置"};
static const char *const situations[] = {"营商环境突破常规", "探索试点", "紧急处置", "政策不明"};
static const char *const conditions[] = {"纪法红线之内", "非明知故犯"};
static const char *const exclusions[] = {"不容谋取私利", "不容屡错屡犯", "不容造假"};
static const char *const principles[] = {"事业至上"};
static const char *const outcomes[] = {"免于追究责任", "从轻追究责任", "追究责任"};
static const char *const rules[] = {"容错免责", "补救从轻", "兜底"};
static const char *const impacts[] = {"党纪处分", "政务处分"};
static const char *const steps[] = {"启动", "受理", "调查核实"};
static const char *const params[] = {"申诉期限", "复核期限"};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void put(struct rc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct rc_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	assert_int_equal(rc_buf_vprintf(b, fmt, ap), RC_OK);
	va_end(ap);
}

static void build_full(struct rc_buf *b)
{
	static const char *const types[] = {"bool", "int", "enum(监督执纪, 巡视巡察, 其他)", "date",
					    "text"};
	put(b, "policy 浙江容错 {\n  title \"实施办法\" jurisdiction \"浙江省\"\n"
	       "  version \"2023.06\" effective 2023-06-01 until 2030-12-31\n"
	       "  status SEED source \"浙江日报\" }\n");
	/* standards interleaved with facts: slots must still put facts first */
	for (int i = 0; i < N(facts); i++) {
		put(b, "fact %s : %s { label \"标题-%s\" }\n", facts[i], types[i], facts[i]);
		if (i < N(standards))
			put(b, "standard %s { title \"标题-%s\" grades(有利, 一般, 未查明) }\n",
			    standards[i], standards[i]);
	}
	for (int i = 0; i < N(categories); i++)
		put(b, "category %s { title \"标题-%s\" }\n", categories[i], categories[i]);
	for (int i = 0; i < N(situations); i++)
		put(b,
		    "situation %s in %s { title \"标题-%s\" when 谋取私利 == false and "
		    "损失金额 < %d }\n",
		    situations[i], categories[i % N(categories)], situations[i], 10 * (i + 1));
	for (int i = 0; i < N(conditions); i++)
		put(b,
		    "condition %s { title \"标题-%s\" when 案件来源 in (监督执纪, 其他) or "
		    "行为日期 >= 2023-06-01 }\n",
		    conditions[i], conditions[i]);
	for (int i = 0; i < N(exclusions); i++)
		put(b,
		    "exclusion %s { title \"标题-%s\" when 谋取私利 and known(情况说明) "
		    "enabled %s }\n",
		    exclusions[i], exclusions[i], i % 2 ? "false" : "true");
	for (int i = 0; i < N(principles); i++)
		put(b, "principle %s { title \"标题-%s\" status SEED source \"s\" }\n",
		    principles[i], principles[i]);
	for (int i = 0; i < N(outcomes); i++)
		put(b, "outcome %s { title \"标题-%s\" meaning \"m\" leniency %d restricts %s }\n",
		    outcomes[i], outcomes[i], 10 - i, i ? "true" : "false");
	for (int i = 0; i < N(rules); i++)
		put(b, "rule %s { title \"标题-%s\" priority %d when %s recommend %s }\n", rules[i],
		    rules[i], 100 - 10 * i,
		    i == N(rules) - 1 ? "true" : "tolerable and 补救情况 == 有利",
		    outcomes[i % N(outcomes)]);
	for (int i = 0; i < N(impacts); i++)
		put(b,
		    "impact %s { title \"标题-%s\" counted_from \"处分之日\"\n"
		    "  sanction 警告 { period 12 months }\n"
		    "  sanction 开除 { period none } }\n",
		    impacts[i], impacts[i]);
	put(b, "procedure {\n");
	for (int i = 0; i < N(steps); i++)
		put(b,
		    "  step %s { title \"标题-%s\" actor 承办单位 deadline %d workdays next %s }\n",
		    steps[i], steps[i], 5 * (i + 1), steps[(i + 1) % N(steps)]);
	for (int i = 0; i < N(params); i++)
		put(b, "  parameter %s %d months { status TYPICAL source \"s\" }\n", params[i],
		    i + 1);
	put(b, "}\n");
	put(b, "test \"例\" { given { 谋取私利 = false 损失金额 = 5 } expect situation %s }\n",
	    situations[0]);
}

static void check_kind(const struct rc_policy *p, enum rc_kind k, const char *const *names, int n,
		       int has_title)
{
	assert_int_equal(rc_policy_count(p, k), n);
	for (int i = 0; i < n; i++) {
		assert_string_equal(rc_policy_item_name(p, k, i), names[i]);
		assert_int_equal(rc_policy_find(p, k, names[i]), i);
		char want[256];
		snprintf(want, sizeof(want), "标题-%s", names[i]);
		assert_string_equal(rc_policy_item_title(p, k, i), has_title ? want : names[i]);
	}
	assert_null(rc_policy_item_name(p, k, n));
	assert_null(rc_policy_item_name(p, k, -1));
}

static void parse_all_kinds(void **state)
{
	(void)state;
	struct rc_buf b;
	rc_buf_init(&b, 0);
	build_full(&b);
	struct compiled c;
	const struct rc_policy *p = compile_ok(&c, rc_buf_str(&b));
	check_kind(p, RC_K_FACT, facts, N(facts), 1);
	check_kind(p, RC_K_STANDARD, standards, N(standards), 1);
	check_kind(p, RC_K_CATEGORY, categories, N(categories), 1);
	check_kind(p, RC_K_SITUATION, situations, N(situations), 1);
	check_kind(p, RC_K_CONDITION, conditions, N(conditions), 1);
	check_kind(p, RC_K_EXCLUSION, exclusions, N(exclusions), 1);
	check_kind(p, RC_K_PRINCIPLE, principles, N(principles), 1);
	check_kind(p, RC_K_OUTCOME, outcomes, N(outcomes), 1);
	check_kind(p, RC_K_RULE, rules, N(rules), 1);
	check_kind(p, RC_K_IMPACT, impacts, N(impacts), 1);
	check_kind(p, RC_K_STEP, steps, N(steps), 1);
	check_kind(p, RC_K_PARAMETER, params, N(params), 0);
	assert_int_equal(rc_policy_slot_count(p), N(facts) + N(standards));
	/* a name of one kind is not found as another */
	assert_int_equal(rc_policy_find(p, RC_K_SITUATION, categories[0]), -1);
	assert_int_equal(rc_policy_find(p, RC_K_FACT, "没有"), -1);

	assert_string_equal(rc_policy_series(p), "浙江容错");
	assert_string_equal(rc_policy_title(p), "实施办法");
	assert_string_equal(rc_policy_jurisdiction(p), "浙江省");
	assert_string_equal(rc_policy_version(p), "2023.06");
	assert_int_equal(rc_policy_effective(p), rc_date_from_ymd(2023, 6, 1));
	assert_int_equal(rc_policy_until(p), rc_date_from_ymd(2030, 12, 31));
	assert_int_equal(strlen(rc_policy_digest(p)), 16);
	done(&c);

	/* without 'until' the policy is open-ended; without jurisdiction "" */
	p = compile_ok(&c, HDR);
	assert_int_equal(rc_policy_until(p), INT32_MAX);
	assert_string_equal(rc_policy_jurisdiction(p), "");
	assert_int_equal(rc_policy_count(p, RC_K_FACT), 0);
	assert_int_equal(rc_policy_count(p, RC_K__COUNT), 0);
	done(&c);
	rc_buf_free(&b);
}

/* The digest identifies the exact text: one changed byte changes it. */
static void parse_digest(void **state)
{
	(void)state;
	struct compiled a, b2;
	compile_ok(&a, HDR "fact x : bool { label \"x\" }\n");
	compile_ok(&b2, HDR "fact x : bool { label \"y\" }\n");
	assert_string_not_equal(rc_policy_digest(a.p), rc_policy_digest(b2.p));
	done(&b2);
	compile_ok(&b2, HDR "fact x : bool { label \"x\" }\n");
	assert_string_equal(rc_policy_digest(a.p), rc_policy_digest(b2.p));
	done(&b2);
	done(&a);
}

/* Names may be used before they are defined. */
static void parse_forward_references(void **state)
{
	(void)state;
	const char *src = HDR "rule r { when 情形 and tolerable recommend o }\n"
			      "situation 情形 in 类别 { title \"s\" when 条件甲 and 事实 }\n"
			      "condition 条件甲 { title \"c\" when not 排除 }\n"
			      "exclusion 排除 { title \"e\" when 事实2 blocks 情形 }\n"
			      "fact 事实 : bool { label \"f\" }\n"
			      "fact 事实2 : bool { label \"f2\" }\n"
			      "category 类别 { title \"k\" }\n"
			      "outcome o { title \"o\" leniency 1 }\n";
	struct compiled c;
	const struct rc_policy *p = compile_ok(&c, src);
	struct rc_facts *f;
	struct rc_result *r;
	assert_int_equal(rc_facts_new(p, &f), RC_OK);
	assert_int_equal(rc_result_new(p, &r), RC_OK);
	int s1 = rc_policy_slot_find(p, "事实"), s2 = rc_policy_slot_find(p, "事实2");
	assert_true(s1 >= 0 && s2 >= 0);
	assert_int_equal(rc_facts_set_bool(f, s1, 1), RC_OK);
	assert_int_equal(rc_facts_set_bool(f, s2, 0), RC_OK);
	assert_int_equal(rc_policy_eval(p, f, r, 0), RC_OK);
	assert_int_equal(rc_result_item(r, RC_K_RULE, 0), RC_TRUE);
	assert_int_equal(rc_result_outcome_state(r), RC_OUTCOME_DETERMINED);
	assert_int_equal(rc_facts_set_bool(f, s2, 1), RC_OK); /* excluded: condition fails */
	assert_int_equal(rc_policy_eval(p, f, r, 0), RC_OK);
	assert_int_equal(rc_result_item(r, RC_K_CONDITION, 0), RC_FALSE);
	assert_int_equal(rc_result_item(r, RC_K_RULE, 0), RC_FALSE);
	rc_result_free(r);
	rc_facts_free(f);
	done(&c);
}

/* Standards come after all facts in the slot array, each group in file
 * order, however they are interleaved in the file. */
static void parse_standards_after_facts(void **state)
{
	(void)state;
	const char *src = HDR "standard 甲 { title \"a\" grades(好, 坏) }\n"
			      "fact x : bool { label \"x\" }\n"
			      "standard 乙 { title \"b\" grades(好, 坏) }\n"
			      "fact y : int { label \"y\" }\n"
			      "standard 丙 { title \"c\" grades(好, 坏) }\n"
			      "fact z : bool { label \"z\" }\n";
	static const char *const order[] = {"x", "y", "z", "甲", "乙", "丙"};
	struct compiled c;
	const struct rc_policy *p = compile_ok(&c, src);
	assert_int_equal(rc_policy_slot_count(p), N(order));
	assert_int_equal(rc_policy_count(p, RC_K_FACT), 3);
	assert_int_equal(rc_policy_count(p, RC_K_STANDARD), 3);
	for (int i = 0; i < N(order); i++)
		assert_int_equal(rc_policy_slot_find(p, order[i]), i);
	for (int i = 3; i < N(order); i++) {
		assert_int_equal(rc_policy_find(p, RC_K_STANDARD, order[i]), i - 3);
		assert_string_equal(rc_policy_item_name(p, RC_K_STANDARD, i - 3), order[i]);
	}
	assert_int_equal(rc_policy_slot_find(p, "w"), -1);
	/* the slot types follow the names: y is the int */
	struct rc_facts *f;
	assert_int_equal(rc_facts_new(p, &f), RC_OK);
	assert_int_equal(rc_facts_set_int(f, rc_policy_slot_find(p, "y"), 7), RC_OK);
	assert_int_equal(rc_facts_set_enum(f, rc_policy_slot_find(p, "乙"), 1), RC_OK);
	assert_int_equal(rc_facts_set_bool(f, rc_policy_slot_find(p, "乙"), 1), RC_ERR_TYPE);
	rc_facts_free(f);
	done(&c);
}

/* The grade 未查明 is an unknown finding: setting it leaves the slot
 * unknown, conditions on it are unknown, and it cannot be compared with. */
static void parse_unknown_grade(void **state)
{
	(void)state;
	const char *src = HDR "standard 补救情况 { title \"补救\" grades(有利, 一般, 未查明) }\n"
			      "category k { title \"k\" }\n"
			      "situation s in k { title \"s\" when 补救情况 == 有利 }\n"
			      "condition c { title \"c\" when 补救情况 in (有利, 一般) }\n";
	struct compiled c;
	const struct rc_policy *p = compile_ok(&c, src);
	struct rc_facts *f;
	struct rc_result *r;
	assert_int_equal(rc_facts_new(p, &f), RC_OK);
	assert_int_equal(rc_result_new(p, &r), RC_OK);
	int slot = rc_policy_slot_find(p, "补救情况");
	assert_int_equal(rc_facts_set_enum(f, slot, 1), RC_OK); /* 一般 */
	assert_true(rc_facts_known(f, slot));
	assert_int_equal(rc_facts_value(f, slot), 1);
	assert_int_equal(rc_policy_eval(p, f, r, 0), RC_OK);
	assert_int_equal(rc_result_item(r, RC_K_SITUATION, 0), RC_FALSE);
	assert_int_equal(rc_result_item(r, RC_K_CONDITION, 0), RC_TRUE);
	assert_int_equal(rc_facts_set_enum(f, slot, 2), RC_OK); /* 未查明 */
	assert_false(rc_facts_known(f, slot));
	assert_int_equal(rc_policy_eval(p, f, r, 0), RC_OK);
	assert_int_equal(rc_result_item(r, RC_K_SITUATION, 0), RC_UNKNOWN);
	assert_int_equal(rc_result_item(r, RC_K_CONDITION, 0), RC_UNKNOWN);
	rc_result_free(r);
	rc_facts_free(f);
	done(&c);

	/* a grade named otherwise is an ordinary grade */
	p = compile_ok(&c, HDR "standard g { title \"g\" grades(好, 不明) }\n");
	assert_int_equal(rc_facts_new(p, &f), RC_OK);
	assert_int_equal(rc_facts_set_enum(f, 0, 1), RC_OK);
	assert_true(rc_facts_known(f, 0));
	rc_facts_free(f);
	done(&c);

	const char *bad = HDR "standard 补救情况 { title \"补救\" grades(有利, 未查明) }\n"
			      "category k { title \"k\" }\n"
			      "situation s in k { title \"s\" when 补救情况 == 未查明 }\n";
	const struct rc_diag *g = compile_fails(&c, bad, "finding is unknown");
	assert_at(g, bad, "未查明 }");
	done(&c);
}

/* ---- errors --------------------------------------------------------- */

static void parse_duplicate_names(void **state)
{
	(void)state;
	const char *src = HDR "fact 谋取私利 : bool { label \"x\" }\n"
			      "category k { title \"k\" }\n"
			      "situation 谋取私利 in k { title \"s\" when true }\n";
	struct compiled c;
	const struct rc_diag *g = compile_fails(&c, src, "already defined as a fact at line 2");
	assert_at(g, src, "situation");
	assert_int_equal(c.e, RC_ERR_NAME);
	assert_int_equal(c.d->errors, 1);
	done(&c);

	/* one namespace: an outcome and a rule cannot share a name either */
	const char *s2 = HDR "outcome o { title \"o\" leniency 1 }\n"
			     "rule o { when true recommend o }\n";
	compile_fails(&c, s2, "'o' is already defined");
	done(&c);

	/* enum values and grades are checked too */
	compile_fails(&c, HDR "fact e : enum(甲, 乙, 甲) { label \"e\" }\n", "twice");
	done(&c);
}

static void parse_undefined_names(void **state)
{
	(void)state;
	const char *src = HDR "fact 谋取私利 : bool { label \"x\" }\n"
			      "category k { title \"k\" }\n"
			      "situation s in k { title \"s\" when not 谋取私力 }\n";
	struct compiled c;
	const struct rc_diag *g = compile_fails(&c, src,
						"'谋取私力' is not defined (did you mean "
						"'谋取私利'?)");
	assert_at(g, src, "谋取私力");
	done(&c);

	/* nothing close: no suggestion, but a hint */
	const char *s2 = HDR "category k { title \"k\" }\n"
			     "situation s in k { title \"s\" when 完全不同的名字 }\n";
	g = compile_fails(&c, s2, "'完全不同的名字' is not defined");
	assert_null(strstr(g->msg, "did you mean"));
	done(&c);

	/* item-to-item references: category, blocked situation, outcome, step */
	const char *s3 = HDR "situation s in 类另 { title \"s\" when true }\n"
			     "category 类别 { title \"k\" }\n";
	g = compile_fails(&c, s3, "did you mean '类别'");
	assert_int_equal(c.e, RC_ERR_NAME);
	done(&c);
	const char *s4 = HDR "outcome 免责 { title \"o\" leniency 1 }\n"
			     "rule r { when true recommend 免则 }\n";
	compile_fails(&c, s4, "did you mean '免责'");
	assert_int_equal(c.e, RC_ERR_NAME);
	done(&c);
	const char *s5 = HDR "category k { title \"k\" }\n"
			     "situation s in k { title \"s\" when true }\n"
			     "exclusion e { title \"e\" when false blocks s, t }\n";
	g = compile_fails(&c, s5, "is not defined");
	assert_non_null(strstr(g->msg, "'t'"));
	assert_at(g, s5, "t }");
	done(&c);
	/* a name of the wrong kind */
	const char *s6 = HDR "fact k : bool { label \"k\" }\n"
			     "situation s in k { title \"s\" when true }\n";
	g = compile_fails(&c, s6, "must be a category");
	assert_non_null(strstr(g->msg, "fact"));
	assert_at(g, s6, "k {");
	done(&c);
}

static void parse_type_errors(void **state)
{
	(void)state;
	static const struct {
		const char *cond;
		const char *msg;
		const char *at;
	} cases[] = {
	    {"n == true", "compare it with an integer", "true"},
	    {"n == 2023-01-01", "compare it with an integer", "2023-01-01 }"},
	    {"d > 5", "compare it with a date", "5 }"},
	    {"e == 丁", "has no value '丁'", "丁"},
	    {"e < 甲", "only be compared with == or !=", "e <"},
	    {"b == 1", "compare it with true or false", "1 }"},
	    {"b >= true", "only be compared with == or !=", "b >="},
	    {"t", "text fact", "t }"},
	    {"t == 1", "text fact", "t =="},
	    {"n", "not bool", "n }"},
	    {"e", "not bool", "e }"},
	    {"n in (1, 2)", "needs an enum fact", "n in"},
	    {"e in (甲, 戊)", "has no value '戊'", "戊"},
	    {"o", "has no truth value", "o }"},
	    {"known(o)", "only facts and standards", "known("},
	    {"k == 1", "only facts and standards can be compared", "k =="},
	};
	for (int i = 0; i < N(cases); i++) {
		char src[1024];
		snprintf(src, sizeof(src),
			 HDR
			 "fact n : int { label \"n\" }\nfact d : date { label \"d\" }\n"
			 "fact e : enum(甲, 乙) { label \"e\" }\nfact b : bool { label \"b\" }\n"
			 "fact t : text { label \"t\" }\noutcome o { title \"o\" leniency 1 }\n"
			 "category k { title \"k\" }\n"
			 "situation s in k { title \"s\" when %s }\n",
			 cases[i].cond);
		struct compiled c;
		compile(&c, src);
		if (c.e == RC_OK)
			fail_msg("'%s' compiled", cases[i].cond);
		assert_null(c.p);
		assert_int_equal(c.d->errors, 1);
		const struct rc_diag *g = &c.d->items[0];
		for (int j = 0; j < c.d->count; j++)
			if (c.d->items[j].sev == RC_SEV_ERROR)
				g = &c.d->items[j];
		if (!strstr(g->msg, cases[i].msg))
			fail_msg("'%s': got '%s', want '%s'", cases[i].cond, g->msg, cases[i].msg);
		/* positions are on the 'when' line, at the offending token */
		const char *line = strstr(src, "situation s");
		int l0, c0, l1, c1;
		pos_of(src, "situation s", &l0, &c0);
		pos_of(line, cases[i].at, &l1, &c1);
		if (g->line != l0 + l1 - 1 || g->col != c1)
			fail_msg("'%s': at %d:%d, want %d:%d", cases[i].cond, g->line, g->col,
				 l0 + l1 - 1, c1);
		done(&c);
	}
	/* the valid forms of the same comparisons compile */
	struct compiled c;
	compile_ok(&c, HDR "fact n : int { label \"n\" }\nfact d : date { label \"d\" }\n"
			   "fact e : enum(甲, 乙) { label \"e\" }\nfact b : bool { label \"b\" }\n"
			   "fact t : text { label \"t\" }\ncategory k { title \"k\" }\n"
			   "situation s in k { title \"s\" when n == -3 and d > 2023-01-01 and "
			   "e != 甲 and e in (甲, 乙) and b == false and known(t) and b and "
			   "n >= 0 and n < 10 and n <= 1 and n != 2 and d < 2030-01-01 }\n");
	done(&c);
}

static void parse_cycles(void **state)
{
	(void)state;
	const char *src = HDR "category k { title \"k\" }\n"
			      "situation 甲 in k { title \"a\" when 乙 }\n"
			      "situation 乙 in k { title \"b\" when 丙 }\n"
			      "situation 丙 in k { title \"c\" when 甲 }\n";
	struct compiled c;
	compile_fails(&c, src, "circular definition");
	done(&c);
	compile_fails(&c, HDR "condition c { title \"c\" when tolerable }\n", "circular");
	done(&c);
	compile_fails(&c, HDR "exclusion e { title \"e\" when excluded }\n", "circular");
	done(&c);
	compile_fails(&c, HDR "condition c { title \"c\" when c }\n", "circular");
	done(&c);
	/* a rule may refer to another rule, and to tolerable: no cycle */
	compile_ok(&c,
		   HDR "outcome o { title \"o\" leniency 1 }\n"
		       "category k { title \"k\" }\nsituation s in k { title \"s\" when true }\n"
		       "rule a { when tolerable and not excluded recommend o }\n"
		       "rule b { priority 1 when a recommend o }\n");
	done(&c);
}

/* Expression nesting is capped (64); well inside the cap both brackets and
 * negations work and keep their meaning. */
static void parse_nesting_limit(void **state)
{
	(void)state;
	struct rc_buf b;
	struct compiled c;
	for (int depth = 8; depth <= 200; depth *= 5) {
		/* depth 8 and 40 pass, 200 fails */
		rc_buf_init(&b, 0);
		put(&b, HDR "fact x : bool { label \"x\" }\ncategory k { title \"k\" }\n"
			    "situation s in k { title \"s\" when ");
		for (int i = 0; i < depth; i++)
			put(&b, "(");
		put(&b, "x");
		for (int i = 0; i < depth; i++)
			put(&b, ")");
		put(&b, " }\n");
		if (depth < 64) {
			compile_ok(&c, rc_buf_str(&b));
		} else {
			const struct rc_diag *g =
			    compile_fails(&c, rc_buf_str(&b), "deeper than 64");
			assert_int_equal(g->line, 4);
		}
		done(&c);
		rc_buf_free(&b);

		/* not not ... x: an even count is x */
		rc_buf_init(&b, 0);
		put(&b, HDR "fact x : bool { label \"x\" }\ncategory k { title \"k\" }\n"
			    "situation s in k { title \"s\" when ");
		for (int i = 0; i < depth; i++)
			put(&b, "not ");
		put(&b, "x }\n");
		if (depth < 64) {
			const struct rc_policy *p = compile_ok(&c, rc_buf_str(&b));
			struct rc_facts *f;
			struct rc_result *r;
			assert_int_equal(rc_facts_new(p, &f), RC_OK);
			assert_int_equal(rc_result_new(p, &r), RC_OK);
			assert_int_equal(rc_facts_set_bool(f, 0, 1), RC_OK);
			assert_int_equal(rc_policy_eval(p, f, r, 0), RC_OK);
			assert_int_equal(rc_result_item(r, RC_K_SITUATION, 0),
					 depth % 2 ? RC_FALSE : RC_TRUE);
			rc_result_free(r);
			rc_facts_free(f);
		} else {
			compile_fails(&c, rc_buf_str(&b), "deeper than 64");
		}
		done(&c);
		rc_buf_free(&b);
	}
}

/* A long flat chain 'x and x and ...' is not nested, but its tree is
 * as deep as it is long.  A policy file within the 4 MiB limit must
 * compile or be refused with a message -- never crash the process.  The
 * compile runs in a child so that a stack overflow fails only this test. */
static void parse_long_chain_no_crash(void **state)
{
	(void)state;
	struct rc_buf b;
	rc_buf_init(&b, 0);
	put(&b, HDR "fact x : bool { label \"x\" }\noutcome o { title \"o\" leniency 1 }\n"
		    "rule r { when x");
	for (int i = 0; i < 200000; i++)
		put(&b, " and x");
	put(&b, " recommend o }\n");
	assert_true(b.len < RC_POLICY_MAX_BYTES);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct compiled c;
		compile(&c, rc_buf_str(&b));
		int ok = c.e == RC_OK || c.d->errors > 0;
		done(&c);
		_exit(ok ? 0 : 3);
	}
	int status = 0;
	size_t len = b.len;
	rc_buf_free(&b);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fail_msg("compiling a %zu-byte policy killed the process with signal %d", len,
			 WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("compiling a %zu-byte policy: child exit status %d (a sanitizer report "
			 "is above)",
			 len, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void parse_count_limits(void **state)
{
	(void)state;
	struct rc_buf b;
	struct compiled c;
	/* RC_MAX_ITEMS categories are fine; one more is refused */
	for (int n = RC_MAX_ITEMS; n <= RC_MAX_ITEMS + 1; n++) {
		rc_buf_init(&b, 0);
		put(&b, HDR);
		for (int i = 0; i < n; i++)
			put(&b, "category k%d { title \"k\" }\n", i);
		if (n == RC_MAX_ITEMS) {
			const struct rc_policy *p = compile_ok(&c, rc_buf_str(&b));
			assert_int_equal(rc_policy_count(p, RC_K_CATEGORY), n);
		} else {
			char msg[64];
			snprintf(msg, sizeof(msg), "more than %d", RC_MAX_ITEMS);
			const struct rc_diag *g = compile_fails(&c, rc_buf_str(&b), msg);
			assert_int_equal(g->line, 2 + RC_MAX_ITEMS);
		}
		done(&c);
		rc_buf_free(&b);
	}
	/* enum values: RC_MAX_ENUM fine, one more refused */
	for (int n = RC_MAX_ENUM; n <= RC_MAX_ENUM + 1; n++) {
		rc_buf_init(&b, 0);
		put(&b, HDR "fact e : enum(");
		for (int i = 0; i < n; i++)
			put(&b, "%sv%d", i ? ", " : "", i);
		put(&b, ") { label \"e\" }\n");
		if (n == RC_MAX_ENUM)
			compile_ok(&c, rc_buf_str(&b));
		else
			compile_fails(&c, rc_buf_str(&b), "more than");
		done(&c);
		rc_buf_free(&b);
	}
}

/* The parser recovers at the next item, so independent mistakes are all
 * reported in one run, each at its own position. */
static void parse_error_recovery(void **state)
{
	(void)state;
	const char *src = HDR "fact a : boo { label \"a\" }\n"
			      "fact b : bool { label \"b\" }\n"
			      "outcome o { title \"o\" }\n"
			      "category k { titel \"k\" }\n"
			      "category 好 { title \"ok\" }\n";
	struct compiled c;
	compile(&c, src);
	assert_int_equal(c.e, RC_ERR_SYNTAX);
	assert_null(c.p);
	assert_int_equal(c.d->errors, 3);
	int line, col;
	pos_of(src, "boo ", &line, &col);
	assert_int_equal(c.d->items[0].line, line);
	assert_int_equal(c.d->items[0].col, col);
	assert_non_null(strstr(c.d->items[0].msg, "unknown fact type"));
	pos_of(src, "outcome", &line, &col);
	assert_int_equal(c.d->items[1].line, line);
	assert_non_null(strstr(c.d->items[1].msg, "needs 'leniency'"));
	pos_of(src, "titel", &line, &col);
	assert_int_equal(c.d->items[2].line, line);
	assert_int_equal(c.d->items[2].col, col);
	assert_non_null(strstr(c.d->items[2].msg, "unknown entry 'titel'"));
	done(&c);
}

static void parse_syntax_errors(void **state)
{
	(void)state;
	static const struct {
		const char *src;
		const char *msg;
	} cases[] = {
	    {"fact x : bool { label \"x\" }\n", "starts with 'policy"},
	    {"", "none found"},
	    {"policy t { title \"t\" effective 2023-01-01 }\n", "needs 'version'"},
	    {"policy t { title \"t\" version \"1\" }\n", "needs 'effective'"},
	    {"policy t { title \"t\" version \"1\" effective 2023-01-01 until 2022-12-31 }\n",
	     "'until' is before 'effective'"},
	    {HDR "policy u { title \"t\" version \"2\" effective 2023-01-01 }\n",
	     "this is the second"},
	    {HDR "fact and : bool { label \"x\" }\n", "is a keyword"},
	    {HDR "fact x : bool { }\n", "needs a 'label'"},
	    {HDR "fact x : bool { label \"x\" label \"y\" }\n", "given twice"},
	    {HDR "fact x : bool { label \"x\" min 0 }\n", "int facts only"},
	    {HDR "fact x : int { label \"x\" min 5 max 1 }\n", "greater than max"},
	    {HDR "category k { title \"k\" }\nsituation s { title \"s\" when true }\n",
	     "needs its category"},
	    {HDR "category k { title \"k\" }\nsituation s in k { title \"s\" }\n",
	     "needs a 'when'"},
	    {HDR "fact x : bool { label \"x\" }\ncategory k { title \"k\" }\n"
		 "situation s in k { title \"s\" when x = true }\n",
	     "to compare use '=='"},
	    {HDR "fact x : bool { label \"x\" }\ncategory k { title \"k\" }\n"
		 "situation s in k { title \"s\" when x and }\n",
	     "expected a condition"},
	    {HDR "fact x : bool { label \"x\" }\ncategory k { title \"k\" }\n"
		 "situation s in k { title \"s\" when (x }\n",
	     "to close '('"},
	    {HDR "outcome o { title \"o\" leniency 1 }\nrule r { when true }\n",
	     "needs 'recommend'"},
	    {HDR "outcome o { title \"o\" leniency 1001 }\n", "between 0 and 1000"},
	    {HDR "impact i { title \"i\" sanction s { } }\n", "needs a 'period'"},
	    {HDR "impact i { title \"i\" sanction s { period 5 weeks } }\n", "expected a unit"},
	    /* the decision has no calendar: an 影响期 in workdays once got no end */
	    {HDR "impact i { title \"i\" sanction s { period 20 workdays } }\n", "not in workdays"},
	    {HDR "impact i { title \"i\" sanction s { period 1 years extra 5 workdays } }\n",
	     "not in workdays"},
	    {HDR "procedure { step a { title \"a\" } }\n", "needs 'actor'"},
	    {HDR "fact x : bool { label \"x\" status MAYBE }\n", "status must be"},
	    {HDR "test \"t\" { given { } }\n", "has no 'expect'"},
	    {HDR "widget w { }\n", "expected an item"},
	    {HDR "fact x : bool { label \"x\" }\ncategory k { title \"k\" }\n"
		 "situation s in k { title \"s\" when x == unknown }\n",
	     "'unknown' cannot be compared"},
	};
	for (int i = 0; i < N(cases); i++) {
		struct compiled c;
		compile(&c, cases[i].src);
		int found = 0;
		for (int j = 0; j < c.d->count; j++)
			found |= c.d->items[j].sev == RC_SEV_ERROR &&
				 strstr(c.d->items[j].msg, cases[i].msg) != NULL;
		if (c.e == RC_OK || c.p || !found) {
			rc_diags_print(c.d, stderr);
			fail_msg("case %d: want an error containing '%s'", i, cases[i].msg);
		}
		done(&c);
	}
}

/* Duplicate test names and facts given twice in a test are reported; a
 * test naming an unknown fact gets a suggestion. */
static void parse_test_blocks(void **state)
{
	(void)state;
	const char *src =
	    HDR "fact 损失金额 : int { label \"x\" }\n"
		"test \"a\" { given { 损失金额 = 1 损失全额 = 2 } expect tolerable is false }\n";
	struct compiled c;
	const struct rc_diag *g = compile_fails(&c, src, "did you mean '损失金额'");
	assert_at(g, src, "损失全额");
	done(&c);
	const char *s2 = HDR "fact x : int { label \"x\" }\n"
			     "test \"a\" { given { x = 1 x = 2 } expect tolerable is false }\n";
	compile_fails(&c, s2, "given twice");
	done(&c);
	const struct rc_policy *p = compile_ok(
	    &c, HDR "fact x : bool { label \"x\" }\noutcome o { title \"o\" leniency 1 }\n"
		    "rule r { when x recommend o }\n"
		    "test \"a\" { conduct 2023-02-01 given { x = true } expect outcome o }\n"
		    "test \"b\" { given { x = unknown } expect outcome undetermined "
		    "expect decisive x }\n");
	int n_run = 0, n_failed = -1;
	FILE *out = fopen("/dev/null", "w");
	assert_non_null(out);
	assert_int_equal(rc_policy_run_tests(p, out, &n_run, &n_failed), RC_OK);
	fclose(out);
	assert_int_equal(n_run, 2);
	assert_int_equal(n_failed, 0);
	done(&c);
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_all_kinds),
		cmocka_unit_test(parse_digest),
		cmocka_unit_test(parse_forward_references),
		cmocka_unit_test(parse_standards_after_facts),
		cmocka_unit_test(parse_unknown_grade),
		cmocka_unit_test(parse_duplicate_names),
		cmocka_unit_test(parse_undefined_names),
		cmocka_unit_test(parse_type_errors),
		cmocka_unit_test(parse_cycles),
		cmocka_unit_test(parse_nesting_limit),
		cmocka_unit_test(parse_long_chain_no_crash),
		cmocka_unit_test(parse_count_limits),
		cmocka_unit_test(parse_error_recovery),
		cmocka_unit_test(parse_syntax_errors),
		cmocka_unit_test(parse_test_blocks),
	};
	/* clang-format on */
	return cmocka_run_group_tests_name("parser", tests, NULL, NULL);
}
