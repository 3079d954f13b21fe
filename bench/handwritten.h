/*
 * handwritten.h -- the Zhejiang 2023 rules (policies/zhejiang-2023.rcp)
 * hard-coded in plain C: the practical limit the engine is compared with.
 *
 * Same inputs as the engine (one int64 value and one known flag per fact
 * slot, slots resolved by name once), same outputs, same three-valued
 * (Kleene) logic and the same outcome semantics (docs/policy-language.md
 * §2.5, §4).  Truth values use the public encoding of enum rc_truth.
 */
#ifndef RC_BENCH_HANDWRITTEN_H
#define RC_BENCH_HANDWRITTEN_H

#include <stdint.h>

#include "gen.h"
#include "policy/policy.h"

/* The facts and standards the rules read. */
enum hw_fact {
	HF_BIZ_ENV,          /* 营商环境领域 */
	HF_BREAK_CONVENTION, /* 突破常规探索 */
	HF_REFORM,           /* 推进改革 */
	HF_NO_EXPERIENCE,    /* 缺乏经验 */
	HF_EXPERIMENT,       /* 探索性试验 */
	HF_RESTRICTED,       /* 上级明确限制 */
	HF_PROC_DEFECT,      /* 执行程序瑕疵 */
	HF_DEFECT_SUBSTANCE, /* 瑕疵影响实体 */
	HF_URGENT,           /* 情况紧急 */
	HF_REPORTED,         /* 事后及时报告 */
	HF_COLLECTIVE,       /* 集体决策 */
	HF_OBJECTED,         /* 提出反对意见 */
	HF_EXEC_SUPERIOR,    /* 执行上级决定 */
	HF_PROPOSED_FIX,     /* 提出改正撤销意见 */
	HF_SUPERIOR_ILLEGAL, /* 上级决定明显违法 */
	HF_SCIENTIFIC,       /* 科学民主决策 */
	HF_DECISION_LOSS,    /* 决策造成损失 */
	HF_EMERGENCY,        /* 突发事件处置 */
	HF_SPOT_DECISION,    /* 临机决断 */
	HF_COMPLEX,          /* 化解复杂矛盾 */
	HF_DUTIFUL,          /* 履职尽责 */
	HF_FORCE_MAJEURE,    /* 不可抗力因素 */
	HF_POLICY_UNCLEAR,   /* 政策界限不明 */
	HF_FOR_DEVELOPMENT,  /* 为推动发展 */
	HF_RED_LINE,         /* 触犯纪法红线 */
	HF_KNOWINGLY,        /* 明知故犯 */
	HF_SELF_INTEREST,    /* 谋取私利 */
	HF_SERIOUS,          /* 造成严重后果 */
	HF_AGAINST_CENTRAL,  /* 与中央决策部署不符 */
	HF_PROHIBITED,       /* 违反禁止性规定 */
	HF_VANITY,           /* 形象工程 */
	HF_NO_RECTIFY,       /* 拒不整改 */
	HF_MOTIVE,           /* standard 动机态度 */
	HF_NATURE,           /* standard 问题性质 */
	HF_CONSEQUENCE,      /* standard 后果影响 */
	HF_REMEDY,           /* standard 补救情况 */
	HF__COUNT
};

/* Items, in the order of the policy file. */
enum hw_situation {
	HS_BIZ_ENV,        /* 营商环境突破常规 */
	HS_REFORM,         /* 改革先行先试失误 */
	HS_EXPERIMENT,     /* 探索性试验失误 */
	HS_DEFECT,         /* 程序瑕疵未影响实体 */
	HS_URGENT,         /* 紧急情况事后补报 */
	HS_COLLECTIVE,     /* 集体决策持异议 */
	HS_SUPERIOR,       /* 上级错误决定已提异议 */
	HS_SCIENTIFIC,     /* 科学民主决策后损失 */
	HS_EMERGENCY,      /* 突发事件临机决断 */
	HS_COMPLEX,        /* 化解复杂矛盾失误 */
	HS_FORCE_MAJEURE,  /* 履职尽责遇不可抗力 */
	HS_POLICY_UNCLEAR, /* 政策界限不明失误 */
	HS_DEVELOPMENT,    /* 推动发展无意过失 */
	HS_INEXPERIENCE,   /* 缺乏经验非故意失误 */
	HS__COUNT
};

enum hw_category {
	HC_REFORM,    /* 改革创新类 */
	HC_PROCEDURE, /* 程序瑕疵类 */
	HC_DECISION,  /* 决策损失类 */
	HC_EMERGENCY, /* 应急处突类 */
	HC_OBJECTIVE, /* 客观因素类 */
	HC_OTHER,     /* 其他可容类 */
	HC__COUNT
};

enum hw_condition {
	HK_RED_LINE,         /* 纪法红线之内 */
	HK_NOT_KNOWINGLY,    /* 非明知故犯 */
	HK_NO_SELF_INTEREST, /* 未谋取私利 */
	HK_NOT_SERIOUS,      /* 未造成严重后果 */
	HK__COUNT
};

enum hw_exclusion {
	HE_VIOLATION,     /* 不容违规违禁 */
	HE_VANITY,        /* 不容形象工程 */
	HE_SELF_INTEREST, /* 不容谋取私利 */
	HE_NO_RECTIFY,    /* 不容拒不整改 */
	HE_DEFIANCE,      /* 不容我行我素 (disabled) */
	HE_FRAUD,         /* 不容弄虚作假 (disabled) */
	HE_REPEATED,      /* 不容屡错屡犯 (disabled) */
	HE_MAJOR_LOSS,    /* 不容重大损失 (disabled) */
	HE__COUNT
};

enum hw_rule {
	HR_EXCLUDED,   /* 排除则不予容错, priority 100 */
	HR_FAVOURABLE, /* 容错且研判有利, priority 60 */
	HR_ORDINARY,   /* 容错且研判一般, priority 50 */
	HR_REMEDY,     /* 未容错但及时补救, priority 20 */
	HR_FALLBACK,   /* 兜底不予容错, priority 0 */
	HR__COUNT
};

/* Names as in the policy file, indexed by the enums above. */
extern const char *const hw_fact_name[HF__COUNT];
extern const char *const hw_situation_name[HS__COUNT];
extern const char *const hw_category_name[HC__COUNT];
extern const char *const hw_condition_name[HK__COUNT];
extern const char *const hw_exclusion_name[HE__COUNT];
extern const char *const hw_rule_name[HR__COUNT];

/* Resolved once at start, by name. */
struct hw {
	int slot[HF__COUNT];             /* fact slot of each fact / standard */
	int64_t favourable[HF__COUNT];   /* standards: index of grade 有利 */
	int64_t unfavourable[HF__COUNT]; /* standards: index of grade 不利 */
	uint64_t band[HR__COUNT];        /* each rule's band, in engine outcome bits */
	int rule_index[HR__COUNT];       /* engine rule index of each rule */
};

struct hw_result {
	uint8_t situation[HS__COUNT];
	uint8_t category[HC__COUNT];
	uint8_t condition[HK__COUNT];
	uint8_t exclusion[HE__COUNT];
	uint8_t rule[HR__COUNT];
	uint8_t tolerable, excluded;
	enum rc_outcome_state state;
	uint64_t band;    /* engine outcome bits */
	int rule_applied; /* engine rule index, or -1 */
};

/* Resolve every name against the policy; also checks that the policy has
 * exactly the items hard-coded here.  0, or -1 with a message printed. */
int hw_init(struct hw *h, const struct rc_policy *p, const struct bench_schema *sc);

/* Evaluate one fact set: val[slot], known[slot] as the engine reads them. */
void hw_eval(const struct hw *h, const int64_t *val, const uint8_t *known, struct hw_result *out);

/* Truth that situation s is blocked by exclusion e (what the engine's
 * trace reports as blocked). */
enum rc_truth hw_blocked(const struct hw_result *o, int s, int e);

#endif
