/*
 * eval.c -- run the compiled program over a fact set; pick the outcome.
 *
 * Truth values are two bits (policy.h: bit 0 true, bit 1 false, neither
 * unknown), which makes Kleene's and/or/not plain bit operations:
 *   and: true if both true, false if either false
 *   or:  true if either true, false if both false
 * so the evaluator has no data-dependent branch at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/assess_int.h"

static inline uint8_t truth(unsigned known, unsigned cond)
{
	/* known=1: cond ? TRUE(1) : FALSE(2); known=0: UNKNOWN(0) */
	return (uint8_t)((2u - cond) & (0u - known));
}

static inline uint8_t not3(unsigned a)
{
	return (uint8_t)(((a & 1u) << 1) | ((a >> 1) & 1u));
}

static inline uint8_t and3(unsigned a, unsigned b)
{
	return (uint8_t)(((a & b) & 1u) | ((a | b) & 2u));
}

static inline uint8_t or3(unsigned a, unsigned b)
{
	return (uint8_t)(((a | b) & 1u) | ((a & b) & 2u));
}

/* One step of the program.  Written once as a macro body so that the
 * threaded (computed goto) and the portable (switch) dispatch share it. */
#define STEP_CONST regs[in->dst] = (uint8_t)in->imm
#define STEP_BOOL  regs[in->dst] = truth(known[in->a], val[in->a] != 0)
#define STEP_NBOOL regs[in->dst] = truth(known[in->a], val[in->a] == 0)
#define STEP_EQ    regs[in->dst] = truth(known[in->a], val[in->a] == in->imm)
#define STEP_NE    regs[in->dst] = truth(known[in->a], val[in->a] != in->imm)
#define STEP_LT    regs[in->dst] = truth(known[in->a], val[in->a] < in->imm)
#define STEP_LE    regs[in->dst] = truth(known[in->a], val[in->a] <= in->imm)
#define STEP_GT    regs[in->dst] = truth(known[in->a], val[in->a] > in->imm)
#define STEP_GE    regs[in->dst] = truth(known[in->a], val[in->a] >= in->imm)
/* enum values are validated < RC_MAX_ENUM when set; unknown ones are 0 */
#define STEP_IN                                                                                    \
	regs[in->dst] =                                                                            \
	    truth(known[in->a], (unsigned)(((uint64_t)in->imm >> (val[in->a] & 63)) & 1))
#define STEP_KNOWN regs[in->dst] = known[in->a] ? RC_TRUE : RC_FALSE
#define STEP_AND   regs[in->dst] = and3(regs[in->a], regs[in->b])
#define STEP_ANDN  regs[in->dst] = and3(regs[in->a], not3(regs[in->b]))
#define STEP_OR    regs[in->dst] = or3(regs[in->a], regs[in->b])
#define STEP_NOT   regs[in->dst] = not3(regs[in->a])

void rc_eval_regs(const struct rc_policy *p, const int64_t *val, const uint8_t *known,
		  uint8_t *regs)
{
	/* The program ends with an OP_END sentinel (not counted in n_code), so
	 * no step tests for the end. */
	const struct insn *in = p->code;
#if defined(__GNUC__) && !defined(RC_PORTABLE_DISPATCH)
	/* Threaded dispatch: one indirect jump per instruction, each at its
	 * own site, which the branch predictor learns for the fixed sequence
	 * of a compiled policy.  (GNU C labels-as-values; the switch below is
	 * the portable equivalent.) */
	static const void *const tbl[OP__COUNT] = {
	    [OP_CONST] = &&l_const, [OP_BOOL] = &&l_bool,   [OP_NBOOL] = &&l_nbool,
	    [OP_EQ] = &&l_eq,       [OP_NE] = &&l_ne,       [OP_LT] = &&l_lt,
	    [OP_LE] = &&l_le,       [OP_GT] = &&l_gt,       [OP_GE] = &&l_ge,
	    [OP_IN] = &&l_in,       [OP_KNOWN] = &&l_known, [OP_AND] = &&l_and,
	    [OP_ANDN] = &&l_andn,   [OP_OR] = &&l_or,       [OP_NOT] = &&l_not,
	    [OP_END] = &&l_end};
#define NEXT goto *tbl[(++in)->op]
	goto *tbl[in->op];
l_const:
	STEP_CONST;
	NEXT;
l_bool:
	STEP_BOOL;
	NEXT;
l_nbool:
	STEP_NBOOL;
	NEXT;
l_eq:
	STEP_EQ;
	NEXT;
l_ne:
	STEP_NE;
	NEXT;
l_lt:
	STEP_LT;
	NEXT;
l_le:
	STEP_LE;
	NEXT;
l_gt:
	STEP_GT;
	NEXT;
l_ge:
	STEP_GE;
	NEXT;
l_in:
	STEP_IN;
	NEXT;
l_known:
	STEP_KNOWN;
	NEXT;
l_and:
	STEP_AND;
	NEXT;
l_andn:
	STEP_ANDN;
	NEXT;
l_or:
	STEP_OR;
	NEXT;
l_not:
	STEP_NOT;
	NEXT;
l_end:
	return;
#undef NEXT
#else
	for (;; in++) {
		switch ((enum op)in->op) {
		case OP_END: return;
		case OP_CONST: STEP_CONST; break;
		case OP_BOOL: STEP_BOOL; break;
		case OP_NBOOL: STEP_NBOOL; break;
		case OP_EQ: STEP_EQ; break;
		case OP_NE: STEP_NE; break;
		case OP_LT: STEP_LT; break;
		case OP_LE: STEP_LE; break;
		case OP_GT: STEP_GT; break;
		case OP_GE: STEP_GE; break;
		case OP_IN: STEP_IN; break;
		case OP_KNOWN: STEP_KNOWN; break;
		case OP_AND: STEP_AND; break;
		case OP_ANDN: STEP_ANDN; break;
		case OP_OR: STEP_OR; break;
		case OP_NOT: STEP_NOT; break;
		case OP__COUNT: regs[in->dst] = RC_UNKNOWN; break;
		}
	}
#endif
}

/* Choose the recommended band (docs/policy-language.md §2.5): the highest
 * priority level with a true rule wins, unless a higher level is still
 * unknown; same-level disagreement between true rules is a conflict. */
enum rc_err rc_eval_outcome(const struct rc_policy *p, struct rc_result *r)
{
	const uint8_t *regs = r->regs;
	uint64_t cand = 0;
	int pending = 0;

	r->state = RC_OUTCOME_UNDETERMINED;
	r->band = 0;
	r->rule = -1;
	r->conflict_a = r->conflict_b = -1;
	for (int l = 0; l < p->n_levels; l++) {
		const struct level *lv = &p->levels[l];
		const int *order = p->rule_order + lv->first;
		int trule = -1, any_u = 0;
		uint64_t tband = 0;
		for (int i = 0; i < lv->count; i++) {
			const struct rule *ru = &p->rules[order[i]];
			uint8_t v = regs[ru->reg];
			if (v == RC_TRUE) {
				if (trule < 0) {
					trule = order[i];
					tband = ru->band;
				} else if (ru->band != tband) {
					r->state = RC_OUTCOME_CONFLICT;
					r->conflict_a = trule;
					r->conflict_b = order[i];
					r->band = tband | ru->band;
					return RC_ERR_CONFLICT;
				}
			} else if (v == RC_UNKNOWN) {
				any_u = 1;
			}
		}
		uint64_t uband = 0;
		if (any_u)
			for (int i = 0; i < lv->count; i++) {
				const struct rule *ru = &p->rules[order[i]];
				if (regs[ru->reg] == RC_UNKNOWN && ru->band != tband)
					uband |= ru->band;
			}
		if (trule >= 0) {
			if (pending || uband) {
				r->band = cand | tband | uband;
				return RC_OK;
			}
			r->state = RC_OUTCOME_DETERMINED;
			r->band = tband;
			r->rule = trule;
			return RC_OK;
		}
		if (any_u) {
			pending = 1;
			cand |= uband;
		}
	}
	r->band = cand;
	return RC_OK;
}

static void trace(const struct rc_policy *p, struct rc_result *r)
{
	const uint8_t *regs = r->regs;
	int ns = p->n_items[RC_K_SITUATION], ne = p->n_items[RC_K_EXCLUSION];
	/* blocked(s, e) = s and e, for the pairs where e covers s; false elsewhere */
	memset(r->blocked, RC_FALSE, (size_t)ns * (size_t)ne);
	for (int i = 0; i < p->n_block_pairs; i++) {
		const struct block_pair *bp = &p->block_pairs[i];
		r->blocked[bp->cell] = and3(regs[bp->rs], regs[bp->re]);
	}
	r->traced = 1;
}

enum rc_err rc_policy_eval(const struct rc_policy *p, const struct rc_facts *f, struct rc_result *r,
			   unsigned flags)
{
	if (f->p != p || r->p != p)
		return RC_ERR_INTERNAL;
	rc_eval_regs(p, f->val, f->known, r->regs);
	r->traced = 0;
	if (flags & RC_EVAL_TRACE)
		trace(p, r);
	return rc_eval_outcome(p, r);
}

/* ---- results -------------------------------------------------------- */

enum rc_err rc_result_new(const struct rc_policy *p, struct rc_result **out)
{
	*out = NULL;
	struct rc_result *r = calloc(1, sizeof(*r));
	if (!r)
		return RC_ERR_NOMEM;
	size_t ns = (size_t)p->n_items[RC_K_SITUATION], ne = (size_t)p->n_items[RC_K_EXCLUSION];
	r->p = p;
	r->regs = calloc((size_t)p->n_regs + 1, 1);
	r->blocked = calloc(ns * ne + 1, 1);
	r->probe_val = calloc((size_t)p->n_slots + 1, sizeof(int64_t));
	r->probe_known = calloc((size_t)p->n_slots + 1, 1);
	if (!r->regs || !r->blocked || !r->probe_val || !r->probe_known) {
		rc_result_free(r);
		return RC_ERR_NOMEM;
	}
	r->rule = r->conflict_a = r->conflict_b = -1;
	*out = r;
	return RC_OK;
}

void rc_result_free(struct rc_result *r)
{
	if (!r)
		return;
	free(r->regs);
	free(r->blocked);
	free(r->probe_val);
	free(r->probe_known);
	free(r);
}

enum rc_truth rc_result_item(const struct rc_result *r, enum rc_kind k, int i)
{
	const struct rc_policy *p = r->p;
	if (k == RC_K_RULE)
		return i >= 0 && i < p->n_rules ? (enum rc_truth)r->regs[p->rules[i].reg]
						: RC_UNKNOWN;
	if (k < RC_K_CATEGORY || k > RC_K_EXCLUSION || i < 0 || i >= p->n_items[k])
		return RC_UNKNOWN;
	return (enum rc_truth)r->regs[p->items[k][i].reg];
}

enum rc_truth rc_result_tolerable(const struct rc_result *r)
{
	return (enum rc_truth)r->regs[r->p->reg_tolerable];
}

enum rc_truth rc_result_excluded(const struct rc_result *r)
{
	return (enum rc_truth)r->regs[r->p->reg_excluded];
}

enum rc_outcome_state rc_result_outcome_state(const struct rc_result *r)
{
	return r->state;
}

uint64_t rc_result_band(const struct rc_result *r)
{
	return r->band;
}

int rc_result_rule(const struct rc_result *r)
{
	return r->rule;
}

void rc_result_conflict(const struct rc_result *r, int *a, int *b)
{
	*a = r->conflict_a;
	*b = r->conflict_b;
}

enum rc_truth rc_result_blocked(const struct rc_result *r, int s, int e)
{
	const struct rc_policy *p = r->p;
	int ns = p->n_items[RC_K_SITUATION], ne = p->n_items[RC_K_EXCLUSION];
	if (!r->traced || s < 0 || s >= ns || e < 0 || e >= ne)
		return RC_UNKNOWN;
	return (enum rc_truth)r->blocked[s * ne + e];
}

/* ---- leniency (从旧兼从轻) ------------------------------------------- */

void rc_band_range(const struct rc_policy *p, uint64_t band, int *lo, int *hi)
{
	*lo = 1 << 30;
	*hi = -1;
	for (int o = 0; o < p->n_outcomes; o++)
		if (band & ((uint64_t)1 << o)) {
			int l = p->outcomes[o].leniency;
			if (l < *lo)
				*lo = l;
			if (l > *hi)
				*hi = l;
		}
}

/* Leniency of bands, possibly of two versions, through each outcome's
 * leniency: the most lenient outcome first, then the least lenient. */
int rc_band_cmp_across(const struct rc_policy *pa, uint64_t a, const struct rc_policy *pb,
		       uint64_t b)
{
	int alo, ahi, blo, bhi;
	rc_band_range(pa, a, &alo, &ahi);
	rc_band_range(pb, b, &blo, &bhi);
	if (ahi != bhi)
		return ahi > bhi ? 1 : -1;
	if (alo != blo)
		return alo > blo ? 1 : -1;
	return 0;
}

int rc_policy_band_cmp(const struct rc_policy *p, uint64_t a, uint64_t b)
{
	return rc_band_cmp_across(p, a, p, b);
}

void rc_band_text(const struct rc_policy *p, uint64_t band, int titles, const char *sep,
		  const char *none, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int o = 0; o < p->n_outcomes && off + 1 < len; o++)
		if (band & ((uint64_t)1 << o))
			off +=
			    (size_t)snprintf(buf + off, len - off, "%s%s", off ? sep : "",
					     titles ? p->outcomes[o].title : p->outcomes[o].name);
	if (!off)
		snprintf(buf, len, "%s", none);
}

/* ---- decisive unknown facts ----------------------------------------- */

/* "The result" for decisiveness is what the case turns on: whether it is
 * tolerable, whether an exclusion applies, and the recommended outcome.  A
 * fact that would only flip a second situation, while another one is
 * already met, does not need to be asked. */
static int same_result(const struct rc_policy *p, const struct rc_result *a,
		       const struct rc_result *b)
{
	return a->state == b->state && a->band == b->band &&
	       a->regs[p->reg_tolerable] == b->regs[p->reg_tolerable] &&
	       a->regs[p->reg_excluded] == b->regs[p->reg_excluded];
}

static int probe(const struct rc_policy *p, const struct rc_result *r, struct rc_result *s,
		 int slot, int64_t v)
{
	s->probe_val[slot] = v;
	s->probe_known[slot] = 1;
	rc_eval_regs(p, s->probe_val, s->probe_known, s->regs);
	rc_eval_outcome(p, s);
	return !same_result(p, r, s);
}

int rc_policy_decisive(const struct rc_policy *p, const struct rc_facts *f,
		       const struct rc_result *r, struct rc_result *s, int *out, int cap)
{
	int n = 0;
	memcpy(s->probe_val, f->val, (size_t)p->n_slots * sizeof(int64_t));
	memcpy(s->probe_known, f->known, (size_t)p->n_slots);
	for (int i = 0; i < p->n_slots; i++) {
		const struct fact *fa = &p->facts[i];
		if (f->known[i] || !fa->used)
			continue;
		int hit = 0;
		switch (fa->type) {
		case RC_FT_BOOL: hit = probe(p, r, s, i, 0) || probe(p, r, s, i, 1); break;
		case RC_FT_ENUM:
			for (int v = 0; v < fa->n_values && !hit; v++)
				if (v != fa->unknown_grade)
					hit = probe(p, r, s, i, v);
			break;
		case RC_FT_INT:
		case RC_FT_DATE:
			for (int v = 0; v < fa->n_probes && !hit; v++)
				hit = probe(p, r, s, i, fa->probes[v]);
			break;
		case RC_FT_TEXT: hit = probe(p, r, s, i, 0); break;
		}
		s->probe_val[i] = f->val[i];
		s->probe_known[i] = 0;
		if (hit) {
			if (n < cap)
				out[n] = i;
			n++;
		}
	}
	return n;
}
