/*
 * compile.c -- resolve names, check types and emit the evaluation program.
 *
 * The program is straight-line register code over three-valued truth
 * (policy_int.h: struct insn).  It has no data-dependent branches: the same
 * instructions run for every case, so the CPU predicts the dispatch and the
 * cost of an evaluation is the same whatever the facts.  Every expression
 * node gets its own register, which is what lets the explainer say, after
 * the fact, which leaf made a situation true, false or unknown.
 */
#include <string.h>

#include "core/date.h"
#include "policy/policy_int.h"

/* ---- names ---------------------------------------------------------- */

const char *rc_kind_name(enum rc_kind k)
{
	static const char *const n[RC_K__COUNT] = {
	    "fact",      "standard", "category", "situation",    "condition", "exclusion",
	    "principle", "outcome",  "rule",     "impact table", "step",      "parameter"};
	return (unsigned)k < RC_K__COUNT ? n[k] : "item";
}

const char *rc_kind_a(enum rc_kind k)
{
	static const char *const n[RC_K__COUNT] = {"a fact",          "a standard",  "a category",
						   "a situation",     "a condition", "an exclusion",
						   "a principle",     "an outcome",  "a rule",
						   "an impact table", "a step",      "a parameter"};
	return (unsigned)k < RC_K__COUNT ? n[k] : "an item";
}

const char *rc_status_name(enum rc_status s)
{
	switch (s) {
	case RC_STATUS_SEED: return "SEED";
	case RC_STATUS_CONFIRMED: return "CONFIRMED";
	case RC_STATUS_TYPICAL: return "TYPICAL";
	case RC_STATUS_UNKNOWN: return "UNKNOWN";
	default: return "NONE";
	}
}

/* Visit every defined name: fn(kind, index, name, line, col). */
typedef int (*name_fn)(void *ctx, enum rc_kind k, int i, const char *name, int line, int col);

static int each_name(const struct rc_policy *p, name_fn fn, void *ctx)
{
	for (int i = 0; i < p->n_slots; i++)
		if (fn(ctx, p->facts[i].is_standard ? RC_K_STANDARD : RC_K_FACT, i,
		       p->facts[i].name, p->facts[i].line, p->facts[i].col))
			return 1;
	for (int k = RC_K_CATEGORY; k <= RC_K_PRINCIPLE; k++)
		for (int i = 0; i < p->n_items[k]; i++)
			if (fn(ctx, (enum rc_kind)k, i, p->items[k][i].name, p->items[k][i].line,
			       p->items[k][i].col))
				return 1;
	for (int i = 0; i < p->n_outcomes; i++)
		if (fn(ctx, RC_K_OUTCOME, i, p->outcomes[i].name, p->outcomes[i].line,
		       p->outcomes[i].col))
			return 1;
	for (int i = 0; i < p->n_rules; i++)
		if (fn(ctx, RC_K_RULE, i, p->rules[i].name, p->rules[i].line, p->rules[i].col))
			return 1;
	for (int i = 0; i < p->n_impacts; i++)
		if (fn(ctx, RC_K_IMPACT, i, p->impacts[i].name, p->impacts[i].line,
		       p->impacts[i].col))
			return 1;
	for (int i = 0; i < p->n_steps; i++)
		if (fn(ctx, RC_K_STEP, i, p->steps[i].name, p->steps[i].line, p->steps[i].col))
			return 1;
	for (int i = 0; i < p->n_params; i++)
		if (fn(ctx, RC_K_PARAMETER, i, p->params[i].name, p->params[i].line,
		       p->params[i].col))
			return 1;
	return 0;
}

struct find_ctx {
	const char *name;
	enum rc_kind k;
	int i;
};

static int find_cb(void *ctx, enum rc_kind k, int i, const char *name, int line, int col)
{
	(void)line;
	(void)col;
	struct find_ctx *c = ctx;
	if (strcmp(c->name, name) != 0)
		return 0;
	c->k = k;
	c->i = i;
	return 1;
}

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Lookup by name.  Facts and standards resolve to their slot index.  Once
 * rc_compile has built the hash table the lookup is O(1) -- a policy of the
 * maximum size has tens of thousands of references; before that (and for
 * duplicate detection, which needs the first definition) it is linear. */
int rc_lookup(const struct rc_policy *p, const char *name, enum rc_kind *k, int *i)
{
	if (p->names) {
		for (uint32_t h = name_hash(name) & p->names_mask;; h = (h + 1) & p->names_mask) {
			const struct name_slot *ns = &p->names[h];
			if (!ns->name)
				return 0;
			if (strcmp(ns->name, name) == 0) {
				*k = ns->k;
				*i = ns->i;
				return 1;
			}
		}
	}
	struct find_ctx c = {name, RC_K__COUNT, -1};
	if (!each_name(p, find_cb, &c))
		return 0;
	*k = c.k;
	*i = c.i;
	return 1;
}

static int index_cb(void *ctx, enum rc_kind k, int i, const char *name, int line, int col)
{
	(void)line;
	(void)col;
	struct rc_policy *p = ctx;
	for (uint32_t h = name_hash(name) & p->names_mask;; h = (h + 1) & p->names_mask) {
		struct name_slot *ns = &p->names[h];
		if (!ns->name) {
			ns->name = name;
			ns->k = k;
			ns->i = i;
			return 0;
		}
		if (strcmp(ns->name, name) == 0)
			return 0; /* duplicate: the first definition stays */
	}
}

/* Build the name table: a power of two at least twice the number of names. */
static enum rc_err index_names(struct rc_policy *p)
{
	size_t n = (size_t)p->n_slots + (size_t)p->n_outcomes + (size_t)p->n_rules +
		   (size_t)p->n_impacts + (size_t)p->n_steps + (size_t)p->n_params;
	for (int k = RC_K_CATEGORY; k <= RC_K_PRINCIPLE; k++)
		n += (size_t)p->n_items[k];
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	struct name_slot *t = rc_arena_array(&p->arena, cap, sizeof(*t));
	if (!t)
		return RC_ERR_NOMEM;
	p->names_mask = (uint32_t)(cap - 1);
	p->names = t;
	each_name(p, index_cb, p);
	return RC_OK;
}

/* Length in code points. */
static int utf8_len(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Levenshtein distance over code points, capped. */
static int edit_distance(const char *a, const char *b)
{
	uint32_t ca[RC_MAX_IDENT + 1] = {0}, cb[RC_MAX_IDENT + 1] = {0};
	int na = 0, nb = 0;
	for (const unsigned char *s = (const unsigned char *)a; *s && na < RC_MAX_IDENT; na++) {
		uint32_t c = *s++;
		while ((*s & 0xC0) == 0x80)
			c = (c << 8) | *s++;
		ca[na] = c;
	}
	for (const unsigned char *s = (const unsigned char *)b; *s && nb < RC_MAX_IDENT; nb++) {
		uint32_t c = *s++;
		while ((*s & 0xC0) == 0x80)
			c = (c << 8) | *s++;
		cb[nb] = c;
	}
	int row[RC_MAX_IDENT + 1];
	for (int j = 0; j <= nb; j++)
		row[j] = j;
	for (int i = 1; i <= na; i++) {
		int prev = row[0];
		row[0] = i;
		for (int j = 1; j <= nb; j++) {
			int tmp = row[j];
			int sub = prev + (ca[i - 1] != cb[j - 1]);
			int del = row[j] + 1, ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			prev = tmp;
		}
	}
	return row[nb];
}

struct suggest_ctx {
	const char *name;
	const char *best;
	int dist;
};

static int suggest_cb(void *ctx, enum rc_kind k, int i, const char *name, int line, int col)
{
	(void)k;
	(void)i;
	(void)line;
	(void)col;
	struct suggest_ctx *c = ctx;
	/* Cheap filter first: a distance below 3 code points cannot come from
	 * names whose byte lengths differ by more than 3 four-byte points. */
	size_t la = strlen(c->name), lb = strlen(name);
	if ((la > lb ? la - lb : lb - la) > 12)
		return 0;
	int d = edit_distance(c->name, name);
	/* Suggest only what is plausibly a typo: at most two edits, and no
	 * more than half of the name changed -- otherwise every two-character
	 * name would be "close" to every other. */
	if (d * 2 > utf8_len(c->name))
		return 0;
	if (d < c->dist) {
		c->dist = d;
		c->best = name;
	}
	return 0;
}

const char *rc_suggest(const struct rc_policy *p, const char *name)
{
	struct suggest_ctx c = {name, NULL, 3};
	each_name(p, suggest_cb, &c);
	return c.best;
}

struct dup_ctx {
	const struct rc_policy *p;
	struct rc_diags *d;
	int failed;
};

static int dup_cb(void *ctx, enum rc_kind k, int i, const char *name, int line, int col)
{
	struct dup_ctx *c = ctx;
	enum rc_kind k0 = k;
	int i0 = i;
	rc_lookup(c->p, name, &k0, &i0);
	if (k0 != k || i0 != i) {
		int fl = 0;
		if (k0 == RC_K_FACT || k0 == RC_K_STANDARD)
			fl = c->p->facts[i0].line;
		else if (k0 >= RC_K_CATEGORY && k0 <= RC_K_PRINCIPLE)
			fl = c->p->items[k0][i0].line;
		else if (k0 == RC_K_OUTCOME)
			fl = c->p->outcomes[i0].line;
		else if (k0 == RC_K_RULE)
			fl = c->p->rules[i0].line;
		else if (k0 == RC_K_IMPACT)
			fl = c->p->impacts[i0].line;
		else if (k0 == RC_K_STEP)
			fl = c->p->steps[i0].line;
		else if (k0 == RC_K_PARAMETER)
			fl = c->p->params[i0].line;
		rc_diag_add(c->d, RC_SEV_ERROR, line, col,
			    "'%s' is already defined as %s at line %d; every name must be unique",
			    name, rc_kind_a(k0), fl);
		c->failed = 1;
	}
	return 0;
}

/* ---- code generation ------------------------------------------------ */

struct gen {
	struct rc_policy *p;
	struct rc_diags *d;
	int failed;
	int cap_code;
	uint8_t *state[RC_K__COUNT]; /* 0 new, 1 in progress, 2 done */
	int const_t, const_f;
	int categories_done;
	int *cat_reg;
	int tolerable_state, excluded_state;
	/* common subexpressions: (op, a, b, imm) -> register */
	struct cse_slot {
		int used;
		struct insn in;
	} * cse;
	uint32_t cse_mask;
	int depth, too_deep; /* of the generation walk (RC_MAX_GEN_DEPTH) */
	int limit;           /* a size limit was hit (RC_ERR_LIMIT) */
	/* set by gen_expr's caller to get a fact test described, not emitted */
	int want_desc;
	struct insn desc;
};

#define GERR(g, line, col, ...)                                                                    \
	do {                                                                                       \
		rc_diag_add((g)->d, RC_SEV_ERROR, line, col, __VA_ARGS__);                         \
		(g)->failed = 1;                                                                   \
	} while (0)

static int new_reg(struct gen *g)
{
	if (g->p->n_regs >= RC_MAX_REGS) {
		if (!g->limit)
			GERR(g, 0, 0,
			     "policy too large: its conditions need more than %d evaluation "
			     "registers; split it or simplify its conditions",
			     RC_MAX_REGS);
		g->limit = 1;
		return 0;
	}
	return g->p->n_regs++;
}

static uint64_t cse_hash(int op, int a, int b, int64_t imm)
{
	return (uint64_t)op * 0x9E3779B97F4A7C15ull ^ (uint64_t)a * 0xC2B2AE3D27D4EB4Full ^
	       (uint64_t)b * 0x165667B19E3779F9ull ^ (uint64_t)imm * 0x27D4EB2F165667C5ull;
}

static void cse_grow(struct gen *g);

static int emit(struct gen *g, enum op op, int a, int b, int64_t imm)
{
	struct rc_policy *p = g->p;
	if (p->n_code >= g->cap_code) {
		int ncap = g->cap_code ? g->cap_code * 2 : 256;
		struct insn *nc = rc_arena_array(&p->arena, (size_t)ncap, sizeof(*nc));
		if (!nc) {
			GERR(g, 0, 0, "out of memory");
			return 0;
		}
		if (p->n_code)
			memcpy(nc, p->code, (size_t)p->n_code * sizeof(*nc));
		p->code = nc;
		g->cap_code = ncap;
	}
	/* Value numbering: an instruction already emitted with the same
	 * operands gives the same value (all operations are pure), so its
	 * register is reused.  The program of the Zhejiang policy shrinks by a
	 * third: the same fact tested in several situations, the blockers of
	 * each situation, and shared sub-conditions of rules. */
	if ((op == OP_AND || op == OP_OR) && a > b) {
		int t = a;
		a = b;
		b = t;
	}
	struct cse_slot *slot = NULL;
	if (g->cse && (uint32_t)p->n_code * 2 >= g->cse_mask)
		cse_grow(g);
	if (g->cse) {
		uint64_t h = cse_hash(op, a, b, imm);
		for (uint32_t i = (uint32_t)(h >> 32) & g->cse_mask;; i = (i + 1) & g->cse_mask) {
			slot = &g->cse[i];
			if (!slot->used)
				break;
			if (slot->in.op == op && slot->in.a == a && slot->in.b == b &&
			    slot->in.imm == imm)
				return slot->in.dst;
		}
	}
	int dst = new_reg(g);
	struct insn *in = &p->code[p->n_code++];
	in->op = (uint8_t)op;
	in->dst = (uint16_t)dst;
	in->a = (uint16_t)a;
	in->b = (uint16_t)b;
	in->imm = imm;
	if (slot) {
		slot->used = 1;
		slot->in = *in;
	}
	return dst;
}

/* Double the value-numbering table (kept at most half full).  On failure
 * numbering simply stops: the program stays correct, only longer. */
static void cse_grow(struct gen *g)
{
	uint32_t ncap = (g->cse_mask + 1) * 2;
	struct cse_slot *nt = rc_arena_array(&g->p->arena, ncap, sizeof(*nt));
	if (!nt) {
		g->cse = NULL;
		return;
	}
	struct cse_slot *old = g->cse;
	uint32_t ocap = g->cse_mask + 1;
	g->cse = nt;
	g->cse_mask = ncap - 1;
	for (uint32_t i = 0; i < ocap; i++) {
		if (!old[i].used)
			continue;
		const struct insn *in = &old[i].in;
		uint64_t h = cse_hash(in->op, in->a, in->b, in->imm);
		uint32_t j = (uint32_t)(h >> 32) & g->cse_mask;
		while (nt[j].used)
			j = (j + 1) & g->cse_mask;
		nt[j] = old[i];
	}
}

/* A fact test: emitted, or -- when the caller asked with want_desc -- only
 * described in g->desc, so that a
 * `not` around it can emit the inverted test instead. */
static int leaf(struct gen *g, struct expr *e, int want, enum op op, int slot, int64_t imm)
{
	if (want) {
		memset(&g->desc, 0, sizeof(g->desc));
		g->desc.op = (uint8_t)op;
		g->desc.a = (uint16_t)slot;
		g->desc.imm = imm;
		return -2;
	}
	return e->reg = emit(g, op, slot, 0, imm);
}

/* Fold x into the chain acc with op; acc < 0 starts the chain.  Chains
 * start from their first operand, not from a constant, to save one
 * instruction per chain. */
static int join(struct gen *g, enum op op, int acc, int x)
{
	return acc < 0 ? x : emit(g, op, acc, x, 0);
}

static int gen_item(struct gen *g, enum rc_kind k, int i, int line, int col);
static int gen_tolerable(struct gen *g);
static int gen_excluded(struct gen *g);

/* A value worth trying for an int or date fact in the checker's search and
 * the decisive-fact probe: each constant it is compared with, and the
 * values either side.  Values the fact can never take (outside min/max, or
 * not a real date) are not probes: a witness must be a possible case. */
static void add_probe(struct gen *g, struct fact *f, int64_t v)
{
	if ((f->has_min && v < f->min) || (f->has_max && v > f->max))
		return;
	if (f->type == RC_FT_DATE && (v < rc_date_from_ymd(RC_DATE_MIN_YEAR, 1, 1) ||
				      v > rc_date_from_ymd(RC_DATE_MAX_YEAR, 12, 31)))
		return;
	for (int i = 0; i < f->n_probes; i++)
		if (f->probes[i] == v)
			return;
	if (f->n_probes >= RC_MAX_PROBES) {
		f->probes_truncated = 1; /* the checker then says "could not decide" */
		return;
	}
	if (f->n_probes == f->cap_probes) {
		int ncap = f->cap_probes ? f->cap_probes * 2 : 8;
		int64_t *np = rc_arena_array(&g->p->arena, (size_t)ncap, sizeof(int64_t));
		if (!np) {
			f->probes_truncated = 1;
			return;
		}
		if (f->n_probes)
			memcpy(np, f->probes, (size_t)f->n_probes * sizeof(int64_t));
		f->probes = np;
		f->cap_probes = ncap;
	}
	f->probes[f->n_probes++] = v;
}

static const char *type_name(const struct fact *f)
{
	if (f->is_standard)
		return "standard (graded)";
	switch (f->type) {
	case RC_FT_BOOL: return "bool";
	case RC_FT_INT: return "int";
	case RC_FT_DATE: return "date";
	case RC_FT_TEXT: return "text";
	case RC_FT_ENUM: return "enum";
	}
	return "?";
}

/* Resolve a name used in an expression to a fact slot; reports errors. */
static int resolve_fact(struct gen *g, const struct expr *e, struct fact **out)
{
	enum rc_kind k;
	int i;
	if (!rc_lookup(g->p, e->name, &k, &i)) {
		const char *s = rc_suggest(g->p, e->name);
		if (s)
			GERR(g, e->line, e->col, "'%s' is not defined (did you mean '%s'?)",
			     e->name, s);
		else
			GERR(g, e->line, e->col,
			     "'%s' is not defined; declare it with 'fact %s : TYPE { ... }'",
			     e->name, e->name);
		return -1;
	}
	if (k != RC_K_FACT && k != RC_K_STANDARD) {
		GERR(g, e->line, e->col, "'%s' is %s; only facts and standards can be compared",
		     e->name, rc_kind_a(k));
		return -1;
	}
	*out = &g->p->facts[i];
	(*out)->used = 1;
	return i;
}

static int enum_index(struct gen *g, const struct fact *f, const struct lit *l)
{
	if (l->k != L_IDENT) {
		GERR(g, l->line, l->col, "'%s' is %s; compare it with one of its values (%s, ...)",
		     f->name, type_name(f), f->values[0]);
		return -1;
	}
	for (int i = 0; i < f->n_values; i++)
		if (strcmp(f->values[i], l->s) == 0) {
			if (i == f->unknown_grade) {
				GERR(g, l->line, l->col,
				     "'%s' means the finding is unknown; write 'not known(%s)' "
				     "instead",
				     l->s, f->name);
				return -1;
			}
			return i;
		}
	char list[512] = "";
	size_t off = 0;
	for (int i = 0; i < f->n_values && off < sizeof(list) - 1; i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", i ? ", " : "",
					f->values[i]);
	GERR(g, l->line, l->col, "'%s' has no value '%s'; its values are: %s", f->name, l->s, list);
	return -1;
}

static int gen_expr_node(struct gen *g, struct expr *e);

/* Generation recurses through conditions and, by references, into other
 * items: one condition is bounded by RC_MAX_DEPTH and RC_MAX_TERMS, but a
 * chain of items referring to each other multiplies them, so the depth of
 * the whole walk is bounded too. */
static int gen_expr(struct gen *g, struct expr *e)
{
	if (g->depth >= RC_MAX_GEN_DEPTH) {
		if (!g->too_deep)
			GERR(g, e->line, e->col,
			     "conditions refer to each other too deeply (more than %d levels "
			     "through situations, conditions, exclusions and rules); flatten the "
			     "chain",
			     RC_MAX_GEN_DEPTH);
		g->too_deep = 1;
		g->want_desc = 0;
		return g->const_f;
	}
	g->depth++;
	int r = gen_expr_node(g, e);
	g->depth--;
	return r;
}

static int gen_expr_node(struct gen *g, struct expr *e)
{
	struct fact *f;
	int slot;
	int want = g->want_desc; /* for this node only, not for what it refers to */
	g->want_desc = 0;
	switch (e->k) {
	case E_TRUE: return e->reg = g->const_t;
	case E_FALSE: return e->reg = g->const_f;
	case E_TOLERABLE: return e->reg = gen_tolerable(g);
	case E_EXCLUDED: return e->reg = gen_excluded(g);
	case E_AND:
	case E_OR: {
		int a = gen_expr(g, e->a), b = gen_expr(g, e->b);
		return e->reg = emit(g, e->k == E_AND ? OP_AND : OP_OR, a, b, 0);
	}
	case E_NOT: {
		/* `not` around a fact test emits the inverted test (== becomes
		 * !=, < becomes >=, a set its complement, a bool load its
		 * negation) instead of the test and a NOT.  The leaf node is
		 * marked so the explainer reads its register negated. */
		static const uint8_t inv[OP__COUNT] = {
		    [OP_BOOL] = OP_NBOOL, [OP_NBOOL] = OP_BOOL, [OP_EQ] = OP_NE,
		    [OP_NE] = OP_EQ,      [OP_LT] = OP_GE,      [OP_LE] = OP_GT,
		    [OP_GT] = OP_LE,      [OP_GE] = OP_LT,      [OP_IN] = OP_IN};
		struct expr *x = e->a;
		if (x->k == E_REF || x->k == E_CMP || x->k == E_IN) {
			g->want_desc = 1;
			int a = gen_expr(g, x);
			g->want_desc = 0;
			if (a == -2) {
				struct insn d = g->desc;
				int64_t imm = d.op == OP_IN ? (int64_t) ~(uint64_t)d.imm : d.imm;
				int r = emit(g, (enum op)inv[d.op], d.a, 0, imm);
				x->reg = r;
				x->neg = 1;
				return e->reg = r;
			}
			return e->reg = emit(g, OP_NOT, a, 0, 0);
		}
		return e->reg = emit(g, OP_NOT, gen_expr(g, x), 0, 0);
	}
	case E_KNOWN:
		if ((slot = resolve_fact(g, e, &f)) < 0)
			return g->const_f;
		e->rk = f->is_standard ? RC_K_STANDARD : RC_K_FACT;
		e->ri = slot;
		f->in_known = 1;
		(void)want; /* known() is never folded: it has no inverse op */
		return leaf(g, e, 0, OP_KNOWN, slot, 0);
	case E_REF: {
		enum rc_kind k;
		int i;
		if (!rc_lookup(g->p, e->name, &k, &i)) {
			const char *s = rc_suggest(g->p, e->name);
			if (s)
				GERR(g, e->line, e->col, "'%s' is not defined (did you mean '%s'?)",
				     e->name, s);
			else
				GERR(g, e->line, e->col,
				     "'%s' is not defined; declare it as a fact or an item",
				     e->name);
			return g->const_f;
		}
		e->rk = k;
		e->ri = i;
		if (k == RC_K_FACT || k == RC_K_STANDARD) {
			f = &g->p->facts[i];
			f->used = 1;
			if (f->type != RC_FT_BOOL) {
				if (f->type == RC_FT_TEXT)
					GERR(g, e->line, e->col,
					     "'%s' is a text fact; only known(%s) can test it",
					     e->name, e->name);
				else
					GERR(g, e->line, e->col,
					     "'%s' is %s, not bool; compare it (e.g. %s == %s)",
					     e->name, type_name(f), e->name,
					     f->type == RC_FT_ENUM   ? f->values[0]
					     : f->type == RC_FT_DATE ? "2023-06-01"
								     : "0");
				return g->const_f;
			}
			return leaf(g, e, want, OP_BOOL, i, 0);
		}
		if (k == RC_K_OUTCOME || k == RC_K_PRINCIPLE || k == RC_K_IMPACT ||
		    k == RC_K_STEP || k == RC_K_PARAMETER) {
			GERR(g, e->line, e->col, "'%s' is %s and has no truth value", e->name,
			     rc_kind_a(k));
			return g->const_f;
		}
		return e->reg = gen_item(g, k, i, e->line, e->col);
	}
	case E_CMP:
		if ((slot = resolve_fact(g, e, &f)) < 0)
			return g->const_f;
		e->rk = f->is_standard ? RC_K_STANDARD : RC_K_FACT;
		e->ri = slot;
		if (f->type == RC_FT_TEXT) {
			GERR(g, e->line, e->col, "'%s' is a text fact; only known(%s) can test it",
			     e->name, e->name);
			return g->const_f;
		}
		if (f->type == RC_FT_BOOL || f->type == RC_FT_ENUM) {
			if (e->op != C_EQ && e->op != C_NE) {
				GERR(g, e->line, e->col,
				     "'%s' is %s; it can only be compared with == or !=", e->name,
				     type_name(f));
				return g->const_f;
			}
			if (f->type == RC_FT_BOOL) {
				if (e->v.k != L_BOOL) {
					GERR(g, e->v.line, e->v.col,
					     "'%s' is bool; compare it with true or false",
					     e->name);
					return g->const_f;
				}
				e->cv = e->v.i;
			} else {
				int v = enum_index(g, f, &e->v);
				if (v < 0)
					return g->const_f;
				e->cv = v;
			}
		} else {
			enum lit_kind lk = f->type == RC_FT_INT ? L_INT : L_DATE;
			if (e->v.k != lk) {
				GERR(g, e->v.line, e->v.col, "'%s' is %s; compare it with %s",
				     e->name, type_name(f),
				     lk == L_INT ? "an integer" : "a date YYYY-MM-DD");
				return g->const_f;
			}
			e->cv = e->v.i;
			add_probe(g, f, e->cv - 1);
			add_probe(g, f, e->cv);
			add_probe(g, f, e->cv + 1);
		}
		{
			static const enum op ops[] = {OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE};
			return leaf(g, e, want, ops[e->op], slot, e->cv);
		}
	case E_IN:
		if ((slot = resolve_fact(g, e, &f)) < 0)
			return g->const_f;
		e->rk = f->is_standard ? RC_K_STANDARD : RC_K_FACT;
		e->ri = slot;
		if (f->type != RC_FT_ENUM) {
			GERR(g, e->line, e->col,
			     "'in (...)' needs an enum fact or a standard; '%s' is %s", e->name,
			     type_name(f));
			return g->const_f;
		}
		e->mask = 0;
		for (int i = 0; i < e->n_set; i++) {
			int v = enum_index(g, f, &e->set[i]);
			if (v < 0)
				return g->const_f;
			e->mask |= (uint64_t)1 << v;
		}
		return leaf(g, e, want, OP_IN, slot, (int64_t)e->mask);
	}
	return g->const_f;
}

static int gen_item(struct gen *g, enum rc_kind k, int i, int line, int col)
{
	struct rc_policy *p = g->p;
	if (k == RC_K_CATEGORY) {
		if (g->cat_reg[i] >= 0)
			return g->cat_reg[i];
		int r = -1;
		for (int s = 0; s < p->n_items[RC_K_SITUATION]; s++)
			if (p->items[RC_K_SITUATION][s].category == i)
				r = join(g, OP_OR, r, gen_item(g, RC_K_SITUATION, s, line, col));
		if (r < 0) /* a category without situations is false, not unknown */
			r = g->const_f;
		p->items[RC_K_CATEGORY][i].reg = r;
		return g->cat_reg[i] = r;
	}
	const char *name;
	int *regp;
	struct expr *when;
	if (k == RC_K_RULE) {
		name = p->rules[i].name;
		regp = &p->rules[i].reg;
		when = p->rules[i].when;
	} else {
		name = p->items[k][i].name;
		regp = &p->items[k][i].reg;
		when = p->items[k][i].when;
	}
	if (g->state[k][i] == 2)
		return *regp;
	if (g->state[k][i] == 1) {
		GERR(g, line, col, "circular definition: %s '%s' depends on itself",
		     rc_kind_name(k), name);
		return g->const_f;
	}
	g->state[k][i] = 1;
	int r = gen_expr(g, when);
	/* The item's value is its condition's root register; the explainer
	 * walks the condition's own nodes, so no copy is needed. */
	if (k == RC_K_EXCLUSION && !p->items[k][i].enabled)
		r = g->const_f; /* disabled: evaluated as false, listed as disabled */
	*regp = r;
	g->state[k][i] = 2;
	return r;
}

static int gen_excluded(struct gen *g)
{
	struct rc_policy *p = g->p;
	if (g->excluded_state == 2)
		return p->reg_excluded;
	if (g->excluded_state == 1) {
		GERR(g, 0, 0, "circular definition: an exclusion depends on 'excluded'");
		return g->const_f;
	}
	g->excluded_state = 1;
	int r = -1;
	for (int e = 0; e < p->n_items[RC_K_EXCLUSION]; e++)
		if (p->items[RC_K_EXCLUSION][e].enabled)
			r = join(
			    g, OP_OR, r,
			    gen_item(g, RC_K_EXCLUSION, e, p->items[RC_K_EXCLUSION][e].line, 0));
	p->reg_excluded = r < 0 ? g->const_f : r;
	g->excluded_state = 2;
	return p->reg_excluded;
}

/* tolerable = (OR over situations s: s and not blocked(s)) and all conditions.
 * 实施办法: an exclusion (不予容错情形) overrides the situation it blocks; the
 * four general conditions (纪法红线之内、非明知故犯、未谋取私利、未造成严重后果)
 * must all hold. */
static int gen_tolerable(struct gen *g)
{
	struct rc_policy *p = g->p;
	if (g->tolerable_state == 2)
		return p->reg_tolerable;
	if (g->tolerable_state == 1) {
		GERR(g, 0, 0,
		     "circular definition: a situation, condition or exclusion depends "
		     "on 'tolerable'");
		return g->const_f;
	}
	g->tolerable_state = 1;
	int ns = p->n_items[RC_K_SITUATION], ne = p->n_items[RC_K_EXCLUSION];
	int any = -1;
	for (int s = 0; s < ns; s++) {
		gen_item(g, RC_K_SITUATION, s, 0, 0);
		int blocked = -1;
		for (int e = 0; e < ne; e++) {
			struct item *ex = &p->items[RC_K_EXCLUSION][e];
			int hits = ex->blocks_all;
			for (int b = 0; !hits && b < ex->n_blocks; b++)
				hits = ex->blocks[b] == s;
			if (!hits || !ex->enabled)
				continue;
			blocked = join(g, OP_OR, blocked, gen_item(g, RC_K_EXCLUSION, e, 0, 0));
		}
		/* identical chains are one register (value numbering) */
		p->reg_blocked[s] = blocked < 0 ? g->const_f : blocked;
	}
	/* Situations with the same blocker B are joined before B is applied:
	 * (s1 and not B) or (s2 and not B) = (s1 or s2) and not B, which holds
	 * in Kleene logic too (it is a distributive lattice).  When one blocker
	 * covers every situation -- the usual case, every exclusion `blocks
	 * all` -- the situations' `or` is the `or` of the categories. */
	for (int s = 0; s < ns; s++) {
		int b = p->reg_blocked[s], seen = 0;
		for (int t = 0; t < s && !seen; t++)
			seen = p->reg_blocked[t] == b;
		if (seen)
			continue;
		int grp = -1, all_sit = 1;
		for (int t = 0; t < ns; t++)
			all_sit &= p->reg_blocked[t] == b;
		if (all_sit) {
			for (int c = 0; c < p->n_items[RC_K_CATEGORY]; c++) {
				int cr = gen_item(g, RC_K_CATEGORY, c, 0, 0);
				if (cr != g->const_f)
					grp = join(g, OP_OR, grp, cr);
			}
		} else {
			for (int t = s; t < ns; t++)
				if (p->reg_blocked[t] == b)
					grp = join(g, OP_OR, grp, p->items[RC_K_SITUATION][t].reg);
		}
		if (grp < 0)
			continue;
		any = join(g, OP_OR, any, b == g->const_f ? grp : emit(g, OP_ANDN, grp, b, 0));
	}
	if (any < 0)
		any = g->const_f;
	int all = -1;
	for (int c = 0; c < p->n_items[RC_K_CONDITION]; c++)
		all = join(g, OP_AND, all, gen_item(g, RC_K_CONDITION, c, 0, 0));
	p->reg_tolerable = all < 0 ? any : emit(g, OP_AND, any, all, 0);
	g->tolerable_state = 2;
	return p->reg_tolerable;
}

/* ---- resolution of item-to-item references ------------------------- */

/* Resolve a reference from one item to another, e.g. the category of a
 * situation.  `owner` says whose reference it is ("of situation 'X'"), so
 * the message names both ends: "category '改革创心' of situation 'X' is not
 * defined (did you mean '改革创新'?)". */
static int resolve_kind(struct gen *g, const char *name, enum rc_kind want, int line, int col,
			const char *owner)
{
	enum rc_kind k;
	int i;
	if (!rc_lookup(g->p, name, &k, &i)) {
		const char *s = rc_suggest(g->p, name);
		if (s)
			GERR(g, line, col, "%s '%s' %s is not defined (did you mean '%s'?)",
			     rc_kind_name(want), name, owner, s);
		else
			GERR(g, line, col, "%s '%s' %s is not defined", rc_kind_name(want), name,
			     owner);
		return -1;
	}
	if (k != want) {
		GERR(g, line, col, "'%s' %s must be %s, but it is %s", name, owner, rc_kind_a(want),
		     rc_kind_a(k));
		return -1;
	}
	return i;
}

static int cmp_level(const void *a, const void *b, const struct rc_policy *p)
{
	int ra = *(const int *)a, rb = *(const int *)b;
	int pa = p->rules[ra].priority, pb = p->rules[rb].priority;
	if (pa != pb)
		return pa > pb ? -1 : 1;
	return ra - rb;
}

static void resolve_tests(struct gen *g);

enum rc_err rc_compile(struct rc_policy *p, struct rc_diags *d)
{
	struct gen g = {.p = p, .d = d};
	struct dup_ctx dc = {p, d, 0};

	/* Standards come after facts in the slot array: the parser appended
	 * both in file order, so stable-partition them now. */
	{
		struct fact *tmp = rc_arena_array(&p->arena, (size_t)p->n_facts + 1, sizeof(*tmp));
		if (!tmp)
			return RC_ERR_NOMEM;
		int n = 0, nf = 0;
		for (int i = 0; i < p->n_facts; i++)
			if (!p->facts[i].is_standard)
				tmp[n++] = p->facts[i];
		nf = n;
		for (int i = 0; i < p->n_facts; i++)
			if (p->facts[i].is_standard)
				tmp[n++] = p->facts[i];
		p->facts = tmp;
		p->n_slots = p->n_facts;
		p->n_facts = nf;
	}
	int n_plain = p->n_facts;
	if (index_names(p))
		return RC_ERR_NOMEM;
	each_name(p, dup_cb, &dc);
	if (dc.failed)
		g.failed = 1;

	for (int i = n_plain; i < p->n_slots; i++) {
		struct fact *f = &p->facts[i];
		for (int v = 0; v < f->n_values; v++)
			if (strcmp(f->values[v], "未查明") == 0)
				f->unknown_grade = v;
	}

	/* situations -> categories */
	for (int s = 0; s < p->n_items[RC_K_SITUATION]; s++) {
		struct item *it = &p->items[RC_K_SITUATION][s];
		char owner[200];
		snprintf(owner, sizeof(owner), "of situation '%s'", it->name);
		it->category =
		    resolve_kind(&g, it->cat_name, RC_K_CATEGORY, it->cat_line, it->cat_col, owner);
	}
	/* exclusions -> blocked situations */
	for (int e = 0; e < p->n_items[RC_K_EXCLUSION]; e++) {
		struct item *it = &p->items[RC_K_EXCLUSION][e];
		if (it->blocks_all)
			continue;
		it->blocks = rc_arena_array(&p->arena, (size_t)it->n_blocks + 1, sizeof(int));
		if (!it->blocks)
			return RC_ERR_NOMEM;
		char owner[200];
		snprintf(owner, sizeof(owner), "blocked by exclusion '%s'", it->name);
		for (int b = 0; b < it->n_blocks; b++)
			it->blocks[b] =
			    resolve_kind(&g, it->block_names[b], RC_K_SITUATION,
					 it->block_pos[b].line, it->block_pos[b].col, owner);
	}
	/* rules -> outcome bands */
	for (int r = 0; r < p->n_rules; r++) {
		struct rule *ru = &p->rules[r];
		char owner[200];
		snprintf(owner, sizeof(owner), "recommended by rule '%s'", ru->name);
		for (int b = 0; b < ru->n_band; b++) {
			int o = resolve_kind(&g, ru->band_names[b], RC_K_OUTCOME,
					     ru->band_pos[b].line, ru->band_pos[b].col, owner);
			if (o >= 0) {
				ru->band |= (uint64_t)1 << o;
				p->outcomes[o].used = 1;
			}
		}
	}
	/* steps -> next steps */
	for (int s = 0; s < p->n_steps; s++) {
		struct step *st = &p->steps[s];
		st->next = rc_arena_array(&p->arena, (size_t)st->n_next + 1, sizeof(int));
		if (!st->next)
			return RC_ERR_NOMEM;
		char owner[200];
		snprintf(owner, sizeof(owner), "(next after step '%s')", st->name);
		for (int n = 0; n < st->n_next; n++)
			st->next[n] =
			    resolve_kind(&g, st->next_names[n], RC_K_STEP, st->next_pos[n].line,
					 st->next_pos[n].col, owner);
	}
	for (int o = 0; o < p->n_outcomes; o++)
		for (int o2 = 0; o2 < o; o2++)
			if (p->outcomes[o].leniency == p->outcomes[o2].leniency)
				rc_diag_add(
				    d, RC_SEV_WARNING, p->outcomes[o].line, p->outcomes[o].col,
				    "outcomes '%s' and '%s' have the same leniency; 从旧兼从轻 "
				    "cannot order them",
				    p->outcomes[o2].name, p->outcomes[o].name);

	/* Go on to code generation even after name errors: every unresolved
	 * reference is -1 and never matches, and the administrator gets the
	 * type errors of the same run too. */
	int name_failed = g.failed;

	/* code */
	for (int k = 0; k < RC_K__COUNT; k++) {
		int n = k == RC_K_RULE ? p->n_rules : p->n_items[k];
		g.state[k] = rc_arena_alloc(&p->arena, (size_t)n + 1);
		if (!g.state[k])
			return RC_ERR_NOMEM;
	}
	g.cat_reg = rc_arena_array(&p->arena, (size_t)p->n_items[RC_K_CATEGORY] + 1, sizeof(int));
	p->reg_blocked =
	    rc_arena_array(&p->arena, (size_t)p->n_items[RC_K_SITUATION] + 1, sizeof(int));
	if (!g.cat_reg || !p->reg_blocked)
		return RC_ERR_NOMEM;
	for (int c = 0; c < p->n_items[RC_K_CATEGORY]; c++)
		g.cat_reg[c] = -1;
	g.cse = rc_arena_array(&p->arena, 256, sizeof(*g.cse));
	g.cse_mask = g.cse ? 255 : 0;
	g.const_t = emit(&g, OP_CONST, 0, 0, RC_TRUE);
	g.const_f = emit(&g, OP_CONST, 0, 0, RC_FALSE);

	/* Atoms are gathered in the order situations, conditions, exclusions,
	 * rules -- the order the trace reports them in. */
	static const enum rc_kind order[] = {RC_K_SITUATION, RC_K_CONDITION, RC_K_EXCLUSION};
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++)
		for (int i = 0; i < p->n_items[order[o]]; i++)
			gen_item(&g, order[o], i, p->items[order[o]][i].line,
				 p->items[order[o]][i].col);
	for (int c = 0; c < p->n_items[RC_K_CATEGORY]; c++)
		gen_item(&g, RC_K_CATEGORY, c, 0, 0);
	gen_tolerable(&g);
	gen_excluded(&g);
	for (int r = 0; r < p->n_rules; r++)
		gen_item(&g, RC_K_RULE, r, p->rules[r].line, p->rules[r].col);

	/* priority levels, highest first */
	p->rule_order = rc_arena_array(&p->arena, (size_t)p->n_rules + 1, sizeof(int));
	p->levels = rc_arena_array(&p->arena, (size_t)p->n_rules + 1, sizeof(struct level));
	if (!p->rule_order || !p->levels)
		return RC_ERR_NOMEM;
	for (int r = 0; r < p->n_rules; r++)
		p->rule_order[r] = r;
	for (int i = 1; i < p->n_rules; i++) /* insertion sort: few rules */
		for (int j = i; j > 0 && cmp_level(&p->rule_order[j - 1], &p->rule_order[j], p) > 0;
		     j--) {
			int t = p->rule_order[j];
			p->rule_order[j] = p->rule_order[j - 1];
			p->rule_order[j - 1] = t;
		}
	p->n_levels = 0;
	for (int i = 0; i < p->n_rules; i++) {
		int pr = p->rules[p->rule_order[i]].priority;
		if (p->n_levels == 0 || p->levels[p->n_levels - 1].priority != pr) {
			struct level *lv = &p->levels[p->n_levels++];
			lv->priority = pr;
			lv->first = i;
			lv->count = 0;
		}
		p->levels[p->n_levels - 1].count++;
	}
	for (int i = 0; i < p->n_slots; i++) {
		struct fact *f = &p->facts[i];
		/* A date used only in known() still needs a value to try. */
		if (f->type == RC_FT_DATE && f->used && f->n_probes == 0)
			add_probe(&g, f,
				  p->effective != INT32_MIN ? p->effective
							    : rc_date_from_ymd(2000, 1, 1));
		if (f->type != RC_FT_INT)
			continue;
		if (f->has_min)
			add_probe(&g, f, f->min);
		if (f->has_max)
			add_probe(&g, f, f->max);
		if (f->n_probes == 0)
			add_probe(&g, f, 0);
	}
	/* The (situation, exclusion) pairs the trace must evaluate: only an
	 * enabled exclusion that covers the situation can block it. */
	{
		int ns = p->n_items[RC_K_SITUATION], ne = p->n_items[RC_K_EXCLUSION];
		p->block_pairs =
		    rc_arena_array(&p->arena, (size_t)ns * (size_t)ne + 1, sizeof(*p->block_pairs));
		if (!p->block_pairs)
			return RC_ERR_NOMEM;
		for (int s = 0; s < ns; s++)
			for (int e = 0; e < ne; e++) {
				const struct item *ex = &p->items[RC_K_EXCLUSION][e];
				int hits = ex->enabled && ex->blocks_all;
				for (int b = 0; !hits && ex->enabled && b < ex->n_blocks; b++)
					hits = ex->blocks[b] == s;
				if (hits) {
					struct block_pair *bp = &p->block_pairs[p->n_block_pairs++];
					bp->cell = (uint32_t)(s * ne + e);
					bp->rs = (uint16_t)p->items[RC_K_SITUATION][s].reg;
					bp->re = (uint16_t)ex->reg;
				}
			}
	}
	/* The sentinel that ends the program (after code[n_code - 1]). */
	if (p->n_code >= g.cap_code) {
		struct insn *nc = rc_arena_array(&p->arena, (size_t)p->n_code + 1, sizeof(*nc));
		if (!nc)
			return RC_ERR_NOMEM;
		memcpy(nc, p->code, (size_t)p->n_code * sizeof(*nc));
		p->code = nc;
		g.cap_code = p->n_code + 1;
	}
	memset(&p->code[p->n_code], 0, sizeof(p->code[0]));
	p->code[p->n_code].op = OP_END;
	resolve_tests(&g);
	return name_failed             ? RC_ERR_NAME
	       : g.limit || g.too_deep ? RC_ERR_LIMIT
	       : g.failed              ? RC_ERR_TYPE
				       : RC_OK;
}

/* ---- tests: resolve names now so that `policy check` reports them ---- */

static void resolve_tests(struct gen *g)
{
	struct rc_policy *p = g->p;
	for (int t = 0; t < p->n_tests; t++) {
		struct test *ts = &p->tests[t];
		for (int i = 0; i < ts->n_given; i++) {
			struct given *gv = &ts->given[i];
			enum rc_kind k;
			int s;
			if (!rc_lookup(p, gv->name, &k, &s) ||
			    (k != RC_K_FACT && k != RC_K_STANDARD)) {
				const char *sug = rc_suggest(p, gv->name);
				GERR(g, gv->line, gv->col,
				     "test \"%s\": '%s' is not a fact or standard%s%s%s", ts->name,
				     gv->name, sug ? " (did you mean '" : "", sug ? sug : "",
				     sug ? "'?)" : "");
				gv->slot = -1;
				continue;
			}
			gv->slot = s;
			for (int j = 0; j < i; j++)
				if (ts->given[j].slot == s)
					GERR(g, gv->line, gv->col,
					     "test \"%s\": '%s' is given twice", ts->name,
					     gv->name);
		}
		for (int i = 0; i < ts->n_expects; i++) {
			struct expect *x = &ts->expects[i];
			switch (x->k) {
			case X_TRUTH:
				if (x->builtin)
					break;
				if (x->rk != RC_K__COUNT) {
					x->ri = resolve_kind(g, x->name, x->rk, x->line, x->col,
							     "expected by a test");
				} else {
					enum rc_kind k;
					if (!rc_lookup(p, x->name, &k, &x->ri) ||
					    !(k == RC_K_SITUATION || k == RC_K_CONDITION ||
					      k == RC_K_EXCLUSION || k == RC_K_CATEGORY ||
					      k == RC_K_RULE)) {
						GERR(g, x->line, x->col,
						     "'%s' is not a situation, condition, "
						     "exclusion, category or rule",
						     x->name);
						x->ri = -1;
					} else {
						x->rk = k;
					}
				}
				break;
			case X_OUTCOME:
				for (int b = 0; b < x->n_band; b++) {
					int o = resolve_kind(g, x->band_names[b], RC_K_OUTCOME,
							     x->line, x->col, "expected by a test");
					if (o >= 0)
						x->band |= (uint64_t)1 << o;
				}
				break;
			case X_BLOCKED:
				x->ri = resolve_kind(g, x->name, RC_K_SITUATION, x->line, x->col,
						     "expected blocked by a test");
				x->ri2 = resolve_kind(g, x->name2, RC_K_EXCLUSION, x->line, x->col,
						      "expected to block by a test");
				break;
			case X_DECISIVE: {
				enum rc_kind k;
				if (!rc_lookup(p, x->name, &k, &x->ri) ||
				    (k != RC_K_FACT && k != RC_K_STANDARD)) {
					GERR(g, x->line, x->col, "'%s' is not a fact or standard",
					     x->name);
					x->ri = -1;
				}
				break;
			}
			default: break;
			}
		}
	}
}
