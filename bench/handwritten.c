/*
 * handwritten.c -- policies/zhejiang-2023.rcp translated by hand into C.
 *
 * This is what a programmer would write to hard-code the 2023 Zhejiang
 * rules: one line per situation, condition and exclusion, the outcome
 * picked by the rules' priorities.  It is the "practical limit" the
 * benchmark measures the engine against, and it is cross-checked against
 * the engine on 100,000 fact sets before anything is timed.
 *
 * Three-valued (Kleene) logic, honestly: every fact may be unknown and an
 * unknown propagates exactly as docs/policy-language.md §4 says.  The truth
 * encoding is the public enum rc_truth (bit 0 true, bit 1 false, neither
 * unknown), which makes and/or/not a few bit operations -- the fastest
 * plain C for Kleene logic, so the comparison is with the best case.
 */
#include <stdio.h>
#include <string.h>

#include "handwritten.h"

const char *const hw_fact_name[HF__COUNT] = {
    "营商环境领域", "突破常规探索", "推进改革",     "缺乏经验",           "探索性试验",
    "上级明确限制", "执行程序瑕疵", "瑕疵影响实体", "情况紧急",           "事后及时报告",
    "集体决策",     "提出反对意见", "执行上级决定", "提出改正撤销意见",   "上级决定明显违法",
    "科学民主决策", "决策造成损失", "突发事件处置", "临机决断",           "化解复杂矛盾",
    "履职尽责",     "不可抗力因素", "政策界限不明", "为推动发展",         "触犯纪法红线",
    "明知故犯",     "谋取私利",     "造成严重后果", "与中央决策部署不符", "违反禁止性规定",
    "形象工程",     "拒不整改",     "动机态度",     "问题性质",           "后果影响",
    "补救情况",
};

const char *const hw_situation_name[HS__COUNT] = {
    "营商环境突破常规", "改革先行先试失误",   "探索性试验失误",       "程序瑕疵未影响实体",
    "紧急情况事后补报", "集体决策持异议",     "上级错误决定已提异议", "科学民主决策后损失",
    "突发事件临机决断", "化解复杂矛盾失误",   "履职尽责遇不可抗力",   "政策界限不明失误",
    "推动发展无意过失", "缺乏经验非故意失误",
};

const char *const hw_category_name[HC__COUNT] = {
    "改革创新类", "程序瑕疵类", "决策损失类", "应急处突类", "客观因素类", "其他可容类",
};

const char *const hw_condition_name[HK__COUNT] = {
    "纪法红线之内",
    "非明知故犯",
    "未谋取私利",
    "未造成严重后果",
};

const char *const hw_exclusion_name[HE__COUNT] = {
    "不容违规违禁", "不容形象工程", "不容谋取私利", "不容拒不整改",
    "不容我行我素", "不容弄虚作假", "不容屡错屡犯", "不容重大损失",
};

const char *const hw_rule_name[HR__COUNT] = {
    "排除则不予容错", "容错且研判有利", "容错且研判一般", "未容错但及时补救", "兜底不予容错",
};

/* ---- Kleene logic ---------------------------------------------------- */

static inline unsigned k_and(unsigned a, unsigned b)
{
	return ((a & b) & 1u) | ((a | b) & 2u);
}

static inline unsigned k_or(unsigned a, unsigned b)
{
	return ((a | b) & 1u) | ((a & b) & 2u);
}

static inline unsigned k_not(unsigned a)
{
	return ((a & 1u) << 1) | ((a >> 1) & 1u);
}

/* known ? (cond ? TRUE : FALSE) : UNKNOWN */
static inline unsigned truth(unsigned known, unsigned cond)
{
	return (2u - cond) & (0u - known);
}

/* A bool fact; a comparison of a standard's finding with one grade. */
#define FACT(f)       truth(known[h->slot[f]], val[h->slot[f]] != 0)
#define EQ(f, g)      truth(known[h->slot[f]], val[h->slot[f]] == (g))
#define NE(f, g)      truth(known[h->slot[f]], val[h->slot[f]] != (g))
#define AND3(a, b, c) k_and(k_and(a, b), c)

void hw_eval(const struct hw *h, const int64_t *val, const uint8_t *known, struct hw_result *o)
{
	uint8_t *s = o->situation;

	/* ---- 5. Situations (容错情形) ---- */
	/* 营商环境突破常规 (实施办法 容错情形, 改革创新类): 营商环境领域 and 突破常规探索 */
	s[HS_BIZ_ENV] = (uint8_t)k_and(FACT(HF_BIZ_ENV), FACT(HF_BREAK_CONVENTION));
	/* 改革先行先试失误 (问责条例 第十七条第一项): 推进改革 and 缺乏经验 */
	s[HS_REFORM] = (uint8_t)k_and(FACT(HF_REFORM), FACT(HF_NO_EXPERIENCE));
	/* 探索性试验失误 (问责条例 第十七条第一项): 探索性试验 and not 上级明确限制 */
	s[HS_EXPERIMENT] = (uint8_t)k_and(FACT(HF_EXPERIMENT), k_not(FACT(HF_RESTRICTED)));
	/* 程序瑕疵未影响实体 (TYPICAL): 执行程序瑕疵 and not 瑕疵影响实体 */
	s[HS_DEFECT] = (uint8_t)k_and(FACT(HF_PROC_DEFECT), k_not(FACT(HF_DEFECT_SUBSTANCE)));
	/* 紧急情况事后补报 (TYPICAL, 江苏 2017): 执行程序瑕疵 and 情况紧急 and 事后及时报告 */
	s[HS_URGENT] = (uint8_t)AND3(FACT(HF_PROC_DEFECT), FACT(HF_URGENT), FACT(HF_REPORTED));
	/* 集体决策持异议 (问责条例 第十七条第二项): 集体决策 and 提出反对意见 */
	s[HS_COLLECTIVE] = (uint8_t)k_and(FACT(HF_COLLECTIVE), FACT(HF_OBJECTED));
	/* 上级错误决定已提异议 (问责条例 第十七条):
	 *   执行上级决定 and 提出改正撤销意见 and not 上级决定明显违法 */
	s[HS_SUPERIOR] = (uint8_t)AND3(FACT(HF_EXEC_SUPERIOR), FACT(HF_PROPOSED_FIX),
				       k_not(FACT(HF_SUPERIOR_ILLEGAL)));
	/* 科学民主决策后损失 (仲祖文 2018): 决策造成损失 and 科学民主决策 */
	s[HS_SCIENTIFIC] = (uint8_t)k_and(FACT(HF_DECISION_LOSS), FACT(HF_SCIENTIFIC));
	/* 突发事件临机决断 (仲祖文 2018): 突发事件处置 and 临机决断 and 事后及时报告 */
	s[HS_EMERGENCY] =
	    (uint8_t)AND3(FACT(HF_EMERGENCY), FACT(HF_SPOT_DECISION), FACT(HF_REPORTED));
	/* 化解复杂矛盾失误 (TYPICAL): 化解复杂矛盾 and 履职尽责 */
	s[HS_COMPLEX] = (uint8_t)k_and(FACT(HF_COMPLEX), FACT(HF_DUTIFUL));
	/* 履职尽责遇不可抗力 (问责条例 第十七条第三项): 履职尽责 and 不可抗力因素 */
	s[HS_FORCE_MAJEURE] = (uint8_t)k_and(FACT(HF_DUTIFUL), FACT(HF_FORCE_MAJEURE));
	/* 政策界限不明失误 (TYPICAL): 履职尽责 and 政策界限不明 */
	s[HS_POLICY_UNCLEAR] = (uint8_t)k_and(FACT(HF_DUTIFUL), FACT(HF_POLICY_UNCLEAR));
	/* 推动发展无意过失 (三个区分开来; 问责条例 第十七条第一项):
	 *   为推动发展 and not 明知故犯 and not 谋取私利 */
	s[HS_DEVELOPMENT] = (uint8_t)AND3(FACT(HF_FOR_DEVELOPMENT), k_not(FACT(HF_KNOWINGLY)),
					  k_not(FACT(HF_SELF_INTEREST)));
	/* 缺乏经验非故意失误 (三个区分开来第一项): 缺乏经验 and not 明知故犯 */
	s[HS_INEXPERIENCE] = (uint8_t)k_and(FACT(HF_NO_EXPERIENCE), k_not(FACT(HF_KNOWINGLY)));

	/* ---- 4. Categories: the `or` of their situations ---- */
	o->category[HC_REFORM] = (uint8_t)k_or(k_or(s[HS_BIZ_ENV], s[HS_REFORM]), s[HS_EXPERIMENT]);
	o->category[HC_PROCEDURE] = (uint8_t)k_or(s[HS_DEFECT], s[HS_URGENT]);
	o->category[HC_DECISION] =
	    (uint8_t)k_or(k_or(s[HS_COLLECTIVE], s[HS_SUPERIOR]), s[HS_SCIENTIFIC]);
	o->category[HC_EMERGENCY] = (uint8_t)k_or(s[HS_EMERGENCY], s[HS_COMPLEX]);
	o->category[HC_OBJECTIVE] = (uint8_t)k_or(s[HS_FORCE_MAJEURE], s[HS_POLICY_UNCLEAR]);
	o->category[HC_OTHER] = (uint8_t)k_or(s[HS_DEVELOPMENT], s[HS_INEXPERIENCE]);

	/* ---- 6. General conditions (浙江日报 2023-06-08): all four must hold ---- */
	/* 纪法红线之内: not 触犯纪法红线 */
	o->condition[HK_RED_LINE] = (uint8_t)k_not(FACT(HF_RED_LINE));
	/* 非明知故犯: not 明知故犯 */
	o->condition[HK_NOT_KNOWINGLY] = (uint8_t)k_not(FACT(HF_KNOWINGLY));
	/* 未谋取私利: not 谋取私利 */
	o->condition[HK_NO_SELF_INTEREST] = (uint8_t)k_not(FACT(HF_SELF_INTEREST));
	/* 未造成严重后果: not 造成严重后果 */
	o->condition[HK_NOT_SERIOUS] = (uint8_t)k_not(FACT(HF_SERIOUS));

	/* ---- 7. Exclusions (不予容错情形, 实施办法); each blocks all situations ---- */
	/* 不容违规违禁: 与中央决策部署不符 or 违反禁止性规定 */
	o->exclusion[HE_VIOLATION] = (uint8_t)k_or(FACT(HF_AGAINST_CENTRAL), FACT(HF_PROHIBITED));
	/* 不容形象工程: 形象工程 */
	o->exclusion[HE_VANITY] = (uint8_t)FACT(HF_VANITY);
	/* 不容谋取私利: 谋取私利 */
	o->exclusion[HE_SELF_INTEREST] = (uint8_t)FACT(HF_SELF_INTEREST);
	/* 不容拒不整改: 拒不整改 */
	o->exclusion[HE_NO_RECTIFY] = (uint8_t)FACT(HF_NO_RECTIFY);
	/* 不容我行我素, 不容弄虚作假, 不容屡错屡犯, 不容重大损失: TYPICAL candidates,
	 * `enabled false`: evaluated as false. */
	o->exclusion[HE_DEFIANCE] = RC_FALSE;
	o->exclusion[HE_FRAUD] = RC_FALSE;
	o->exclusion[HE_REPEATED] = RC_FALSE;
	o->exclusion[HE_MAJOR_LOSS] = RC_FALSE;

	/* excluded: an enabled exclusion is met (disabled ones are false). */
	unsigned excluded = k_or(k_or(o->exclusion[HE_VIOLATION], o->exclusion[HE_VANITY]),
				 k_or(o->exclusion[HE_SELF_INTEREST], o->exclusion[HE_NO_RECTIFY]));
	o->excluded = (uint8_t)excluded;

	/* tolerable: some situation is met and not blocked, and every condition
	 * holds.  All four enabled exclusions say `blocks all`, so each
	 * situation's blocker is the same: `excluded`. */
	unsigned unblocked = k_not(excluded);
	unsigned any = RC_FALSE;
	for (int i = 0; i < HS__COUNT; i++)
		any = k_or(any, k_and(s[i], unblocked));
	unsigned all =
	    k_and(k_and(o->condition[HK_RED_LINE], o->condition[HK_NOT_KNOWINGLY]),
		  k_and(o->condition[HK_NO_SELF_INTEREST], o->condition[HK_NOT_SERIOUS]));
	unsigned tolerable = k_and(any, all);
	o->tolerable = (uint8_t)tolerable;

	/* ---- 9. Rules ---- */
	/* The favourable findings test shared by 容错且研判有利 and 容错且研判一般:
	 * 动机态度 == 有利 and 补救情况 == 有利 and 后果影响 != 不利 and 问题性质 != 不利 */
	unsigned favourable = k_and(
	    k_and(EQ(HF_MOTIVE, h->favourable[HF_MOTIVE]), EQ(HF_REMEDY, h->favourable[HF_REMEDY])),
	    k_and(NE(HF_CONSEQUENCE, h->unfavourable[HF_CONSEQUENCE]),
		  NE(HF_NATURE, h->unfavourable[HF_NATURE])));
	/* 排除则不予容错 (priority 100): excluded -> 不予容错 */
	o->rule[HR_EXCLUDED] = (uint8_t)excluded;
	/* 容错且研判有利 (priority 60, 问责条例 第十七条):
	 *   tolerable and favourable -> 不予追究责任 | 免于追究责任 */
	o->rule[HR_FAVOURABLE] = (uint8_t)k_and(tolerable, favourable);
	/* 容错且研判一般 (priority 50, 问责条例 第十七条):
	 *   tolerable and not favourable -> 免于追究责任 | 减轻追究责任 */
	o->rule[HR_ORDINARY] = (uint8_t)k_and(tolerable, k_not(favourable));
	/* 未容错但及时补救 (priority 20, 问责条例 第十八条):
	 *   not tolerable and 补救情况 == 有利 -> 从轻追究责任 | 减轻追究责任 */
	o->rule[HR_REMEDY] =
	    (uint8_t)k_and(k_not(tolerable), EQ(HF_REMEDY, h->favourable[HF_REMEDY]));
	/* 兜底不予容错 (priority 0): when true -> 不予容错 */
	o->rule[HR_FALLBACK] = RC_TRUE;

	/* ---- The outcome (§2.5) ----
	 * From the highest priority down: the first true rule gives the band,
	 * unless a rule above it was unknown, in which case the outcome is
	 * undetermined and the candidates are the bands of the unknown rules
	 * above plus the true one.  Each priority level of this policy holds
	 * exactly one rule, so two true rules at one level (a conflict) cannot
	 * happen here. */
	static const enum hw_rule by_priority[HR__COUNT] = {
	    HR_EXCLUDED, HR_FAVOURABLE, HR_ORDINARY, HR_REMEDY, HR_FALLBACK,
	};
	uint64_t cand = 0;
	int pending = 0;
	o->state = RC_OUTCOME_UNDETERMINED;
	o->rule_applied = -1;
	for (int l = 0; l < HR__COUNT; l++) {
		enum hw_rule r = by_priority[l];
		if (o->rule[r] == RC_TRUE) {
			if (pending) {
				o->band = cand | h->band[r];
			} else {
				o->state = RC_OUTCOME_DETERMINED;
				o->band = h->band[r];
				o->rule_applied = h->rule_index[r];
			}
			return;
		}
		if (o->rule[r] == RC_UNKNOWN) {
			pending = 1;
			cand |= h->band[r];
		}
	}
	o->band = cand; /* unreachable here: 兜底不予容错 is always true */
}

enum rc_truth hw_blocked(const struct hw_result *o, int s, int e)
{
	/* Every exclusion of this policy says `blocks all`; a disabled one
	 * blocks nothing (its value is false). */
	if (s < 0 || s >= HS__COUNT || e < 0 || e >= HE__COUNT)
		return RC_UNKNOWN;
	return (enum rc_truth)k_and(o->situation[s], o->exclusion[e]);
}

/* ---- resolving names ------------------------------------------------- */

static int check_kind(const struct rc_policy *p, enum rc_kind k, const char *what,
		      const char *const *names, int n)
{
	if (rc_policy_count(p, k) != n) {
		fprintf(stderr, "handwritten: the policy has %d %s, the hand-written code %d\n",
			rc_policy_count(p, k), what, n);
		return -1;
	}
	for (int i = 0; i < n; i++)
		if (rc_policy_find(p, k, names[i]) != i) {
			fprintf(stderr, "handwritten: %s '%s' is not item %d of the policy\n", what,
				names[i], i);
			return -1;
		}
	return 0;
}

/* Band of an engine rule, rebuilt from the outcome names it must recommend:
 * checks the policy still says what the code above assumes. */
static int band_of(const struct rc_policy *p, const char *a, const char *b, uint64_t *out)
{
	int ia = rc_policy_find(p, RC_K_OUTCOME, a);
	int ib = b ? rc_policy_find(p, RC_K_OUTCOME, b) : ia;
	if (ia < 0 || ib < 0) {
		fprintf(stderr, "handwritten: outcome '%s' is not in the policy\n", ia < 0 ? a : b);
		return -1;
	}
	*out = ((uint64_t)1 << ia) | ((uint64_t)1 << ib);
	return 0;
}

int hw_init(struct hw *h, const struct rc_policy *p, const struct bench_schema *sc)
{
	memset(h, 0, sizeof(*h));
	for (int f = 0; f < HF__COUNT; f++) {
		h->slot[f] = rc_policy_slot_find(p, hw_fact_name[f]);
		if (h->slot[f] < 0) {
			fprintf(stderr, "handwritten: fact '%s' is not in the policy\n",
				hw_fact_name[f]);
			return -1;
		}
	}
	static const enum hw_fact standards[] = {HF_MOTIVE, HF_NATURE, HF_CONSEQUENCE, HF_REMEDY};
	for (size_t i = 0; i < sizeof(standards) / sizeof(standards[0]); i++) {
		enum hw_fact f = standards[i];
		h->favourable[f] = bench_enum_index(sc, h->slot[f], "有利");
		h->unfavourable[f] = bench_enum_index(sc, h->slot[f], "不利");
		if (h->favourable[f] < 0 || h->unfavourable[f] < 0) {
			fprintf(stderr, "handwritten: standard '%s' lacks grade 有利 or 不利\n",
				hw_fact_name[f]);
			return -1;
		}
	}
	if (check_kind(p, RC_K_SITUATION, "situations", hw_situation_name, HS__COUNT) ||
	    check_kind(p, RC_K_CATEGORY, "categories", hw_category_name, HC__COUNT) ||
	    check_kind(p, RC_K_CONDITION, "conditions", hw_condition_name, HK__COUNT) ||
	    check_kind(p, RC_K_EXCLUSION, "exclusions", hw_exclusion_name, HE__COUNT) ||
	    check_kind(p, RC_K_RULE, "rules", hw_rule_name, HR__COUNT))
		return -1;
	for (int r = 0; r < HR__COUNT; r++)
		h->rule_index[r] = rc_policy_find(p, RC_K_RULE, hw_rule_name[r]);
	if (band_of(p, "不予容错", NULL, &h->band[HR_EXCLUDED]) ||
	    band_of(p, "不予追究责任", "免于追究责任", &h->band[HR_FAVOURABLE]) ||
	    band_of(p, "免于追究责任", "减轻追究责任", &h->band[HR_ORDINARY]) ||
	    band_of(p, "从轻追究责任", "减轻追究责任", &h->band[HR_REMEDY]) ||
	    band_of(p, "不予容错", NULL, &h->band[HR_FALLBACK]))
		return -1;
	return 0;
}
