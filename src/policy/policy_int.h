/*
 * policy_int.h -- internals shared by the files of the policy module:
 * tokens, the syntax tree, the compiled program.  Not for other modules.
 */
#ifndef RC_POLICY_INT_H
#define RC_POLICY_INT_H

#include <stdint.h>

#include "core/arena.h"
#include "core/diag.h"
#include "policy/policy.h"

/* ---- limits (every size from input is capped) ----------------------- */
#define RC_MAX_IDENT     128
#define RC_MAX_STRING    4096
#define RC_MAX_DEPTH     64
#define RC_MAX_TERMS     1024 /* and/or operators in one condition */
#define RC_MAX_PROBES    4096 /* values tried per int/date fact by the checker */
#define RC_MAX_GEN_DEPTH 2048 /* nodes deep, following references between items */
#define RC_MAX_ITEMS     1024 /* of each kind */
#define RC_MAX_ENUM      64   /* values of one enum; fits a uint64 mask */
#define RC_MAX_OUTCOMES  64   /* bands are uint64 masks */
#define RC_MAX_TESTS     1024
#define RC_MAX_GIVEN     256
#define RC_MAX_TOKENS    1000000
#define RC_MAX_REGS      60000 /* registers are uint16 */

/* ---- tokens --------------------------------------------------------- */
enum tok {
	T_EOF,
	T_IDENT,
	T_STRING,
	T_INT,
	T_DATE,
	T_LBRACE,
	T_RBRACE,
	T_LPAREN,
	T_RPAREN,
	T_COMMA,
	T_SEMI,
	T_COLON,
	T_ASSIGN,
	T_EQ,
	T_NE,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_BAR
};

struct token {
	enum tok t;
	int line, col;
	int depth;     /* brace depth before this token */
	int bad;       /* stands in for rejected text; its error is reported */
	const char *s; /* identifier or decoded string (arena, NUL-ended) */
	int64_t i;     /* T_INT value, T_DATE day number */
};

/* Tokenise; errors go to diags.  *toks is arena memory, last is T_EOF. */
/* `*structural` (may be NULL) is set when braces do not match, in which case
 * parsing would only add noise to the lexer's own message. */
enum rc_err rc_lex(struct rc_arena *a, const char *text, size_t len, struct rc_diags *d,
		   struct token **toks, int *n_toks, int *structural);
const char *rc_tok_name(enum tok t);

/* ---- syntax tree ---------------------------------------------------- */
enum lit_kind { L_BOOL, L_INT, L_DATE, L_IDENT, L_STRING, L_UNKNOWN };

struct lit {
	enum lit_kind k;
	int64_t i;
	const char *s;
	int line, col;
};

enum expr_kind {
	E_TRUE,
	E_FALSE,
	E_AND,
	E_OR,
	E_NOT,
	E_REF,
	E_CMP,
	E_IN,
	E_KNOWN,
	E_TOLERABLE,
	E_EXCLUDED
};

enum cmp_op { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE };

struct expr {
	enum expr_kind k;
	int line, col;
	const char *name; /* E_REF, E_CMP, E_IN, E_KNOWN */
	enum cmp_op op;   /* E_CMP */
	struct lit v;     /* E_CMP */
	struct lit *set;  /* E_IN */
	int n_set;
	struct expr *a, *b; /* operands */
	/* resolved by the compiler */
	enum rc_kind rk; /* what NAME refers to */
	int ri;          /* index within that kind (slot for facts) */
	int64_t cv;      /* comparison constant, resolved */
	uint64_t mask;   /* E_IN (and enum ==) value mask */
	int reg;         /* register holding this node's value */
	int neg;         /* the register holds the negation (a NOT folded in) */
};

struct pos {
	int line, col;
};

struct prov {
	enum rc_status status;
	const char *source, *article, *note;
	int line, col;
};

struct dur {
	int set;  /* 0 = not given */
	int none; /* "none" */
	int n;
	enum { D_DAYS, D_WORKDAYS, D_MONTHS, D_YEARS } unit;
};

struct fact {
	const char *name, *label, *help, *unit, *group;
	enum rc_fact_type type;
	const char **values; /* enum values / standard grades */
	int n_values;
	int64_t min, max;
	int has_min, has_max;
	int is_standard;
	int record;        /* kept for the case file; no rule needs it */
	int in_known;      /* tested with known() somewhere */
	int unknown_grade; /* standards: index of 未查明, or -1 */
	struct prov prov;
	int line, col;
	int used;
	/* thresholds for decisive-unknown probing (ints, dates) */
	int64_t *probes;
	int n_probes, cap_probes;
	int probes_truncated; /* more thresholds than RC_MAX_PROBES */
};

struct item { /* category, situation, condition, exclusion, principle */
	const char *name, *title;
	const char *cat_name; /* situation: its category */
	int cat_line, cat_col;
	int category;
	struct expr *when;
	int enabled; /* exclusion */
	int blocks_all;
	const char **block_names;
	struct pos *block_pos;
	int *blocks;
	int n_blocks;
	struct prov prov;
	int line, col;
	int reg;
	int used;
};

struct outcome {
	const char *name, *title, *meaning;
	int leniency, has_leniency;
	int restricts;
	struct prov prov;
	int line, col;
	int used;
};

struct rule {
	const char *name, *title;
	int priority;
	struct expr *when;
	const char **band_names;
	struct pos *band_pos;
	int n_band;
	uint64_t band;
	struct prov prov;
	int line, col;
	int reg;
};

struct sanction {
	const char *name, *article, *note;
	struct dur period, period_max, extra;
	int line, col;
};

struct impact {
	const char *name, *title, *counted_from;
	struct sanction *sanctions;
	int n_sanctions;
	struct prov prov;
	int line, col;
};

struct step {
	const char *name, *title;
	const char **actors;
	int n_actors;
	const char **next_names;
	struct pos *next_pos;
	int *next;
	int n_next;
	struct dur deadline;
	int four_eyes; /* who prepared the case may not perform this step */
	struct prov prov;
	int line, col;
};

struct param {
	const char *name;
	struct dur d;
	struct prov prov;
	int line, col;
};

struct given {
	const char *name;
	int slot;
	struct lit v;
	int line, col;
};

enum expect_kind {
	X_TRUTH,        /* NAME is true/false/unknown (also situation / no exclusion) */
	X_OUTCOME,      /* outcome band, determined */
	X_UNDETERMINED, /* outcome undetermined */
	X_BLOCKED,      /* blocked S by E */
	X_DECISIVE,     /* decisive F / not decisive F */
	X_CONFLICT      /* evaluation reports a conflict */
};

struct expect {
	enum expect_kind k;
	const char *name, *name2;
	enum rc_kind rk; /* X_TRUTH: kind of NAME (or RC_K__COUNT for builtins) */
	int ri, ri2;
	int builtin; /* 1 tolerable, 2 excluded */
	enum rc_truth want;
	int negate; /* X_DECISIVE: "not decisive" */
	const char **band_names;
	int n_band;
	uint64_t band;
	int line, col;
};

struct test {
	const char *name;
	int32_t conduct, decision;
	int has_conduct, has_decision;
	struct given *given;
	int n_given;
	struct expect *expects;
	int n_expects;
	int line, col;
};

/* ---- the compiled program ------------------------------------------ */
enum op {
	OP_CONST,
	OP_BOOL,
	OP_NBOOL, /* not bool: a NOT folded into the load */
	OP_EQ,
	OP_NE,
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
	OP_IN,
	OP_KNOWN,
	OP_AND,
	OP_ANDN, /* a and not b */
	OP_OR,
	OP_NOT,
	OP_END, /* sentinel after the last instruction */
	OP__COUNT
};

struct insn {
	uint8_t op;
	uint8_t pad;
	uint16_t dst;
	uint16_t a; /* register, or fact slot for loads */
	uint16_t b; /* register */
	int64_t imm;
};

struct level { /* rules of one priority, highest first */
	int priority;
	int first, count; /* into rule_order */
};

struct name_slot {
	const char *name;
	enum rc_kind k;
	int i;
};

struct rc_policy {
	struct rc_arena arena;
	struct name_slot *names; /* open addressing; NULL until compiled */
	uint32_t names_mask;
	const char *file;
	/* metadata */
	const char *series, *title, *jurisdiction, *version;
	int32_t effective, until;
	int until_line, until_col;
	struct prov prov;
	char digest[17];
	/* items, by kind */
	struct fact *facts; /* facts, then standards: the fact slots */
	int n_facts, n_slots;
	struct item *items[RC_K__COUNT]; /* category..principle */
	int n_items[RC_K__COUNT];
	struct outcome *outcomes;
	int n_outcomes;
	struct rule *rules;
	int n_rules;
	struct impact *impacts;
	int n_impacts;
	struct step *steps;
	int n_steps;
	struct prov proc_prov;
	struct param *params;
	int n_params;
	struct test *tests;
	int n_tests;
	/* program */
	struct insn *code;
	int n_code;
	int n_regs;
	int reg_tolerable, reg_excluded;
	int *reg_blocked; /* per situation: OR of its blockers */
	int *rule_order;  /* rule indexes, by level */
	struct level *levels;
	int n_levels;
	/* trace layout */
	struct block_pair {      /* a situation an exclusion can block */
		uint32_t cell;   /* s * n_exclusions + e in rc_result.blocked */
		uint16_t rs, re; /* their registers */
	} * block_pairs;
	int n_block_pairs;
};

struct rc_facts {
	const struct rc_policy *p;
	int64_t *val;
	uint8_t *known;
	char **text; /* text facts, each malloc'd, owned here */
};

struct rc_result {
	const struct rc_policy *p;
	uint8_t *regs;
	enum rc_outcome_state state;
	uint64_t band;
	int rule;
	int conflict_a, conflict_b;
	/* trace */
	int traced;
	uint8_t *blocked; /* n_situations x n_exclusions */
	/* decisive probing scratch */
	int64_t *probe_val;
	uint8_t *probe_known;
};

/* parser.c: build the tree in p (names unresolved). */
enum rc_err rc_parse(struct rc_policy *p, const struct token *toks, int n, struct rc_diags *d);

/* compile.c: resolve names, check types, emit code. */
enum rc_err rc_compile(struct rc_policy *p, struct rc_diags *d);

/* The outcomes of a band as text, joined by sep: their titles (for
 * people) or names (for policy authors); `none` when the band is empty. */
void rc_band_text(const struct rc_policy *p, uint64_t band, int titles, const char *sep,
		  const char *none, char *buf, size_t len);

/* A leaf of a condition (a fact test, a name, known(), true...) as
 * policy-language text; "?" for an operator node. */
void rc_leaf_text(const struct expr *e, char *buf, size_t len);

/* Names: the one namespace. */
int rc_lookup(const struct rc_policy *p, const char *name, enum rc_kind *k, int *i);
const char *rc_kind_name(enum rc_kind k);
/* The kind with its article: "a fact", "an outcome". */
const char *rc_kind_a(enum rc_kind k);
const char *rc_status_name(enum rc_status s);
/* A defined name close to `name` (edit distance <= 2), or NULL. */
const char *rc_suggest(const struct rc_policy *p, const char *name);

/* eval.c internals used by check/test/decisive. */
void rc_eval_regs(const struct rc_policy *p, const int64_t *val, const uint8_t *known,
		  uint8_t *regs);
enum rc_err rc_eval_outcome(const struct rc_policy *p, struct rc_result *r);

#endif
