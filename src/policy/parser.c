/*
 * parser.c -- tokens to the syntax tree of a policy.
 *
 * Recursive descent over the grammar of docs/policy-language.md.  Names are
 * not resolved here (items may be used before they are defined); compile.c
 * does that.  On an error the parser records it and skips to the next item
 * at brace depth 0, so that one run reports every independent mistake.
 */
#include <string.h>

#include "policy/policy_int.h"

struct parser {
	struct rc_policy *p;
	struct rc_arena *a;
	const struct token *t;
	int n, i;
	struct rc_diags *d;
	int failed;
	int edepth;
	int eterms; /* and/or operators in the current condition */
	int seen_policy, seen_procedure;
	/* capacities of the growing arrays in the policy */
	int cap_facts, cap_outcomes, cap_rules, cap_impacts, cap_tests;
	int cap_items[RC_K__COUNT];
};

/* Words with a meaning in the language; never names of items. */
static const char *const reserved[] = {
    "policy",   "title",        "jurisdiction", "version",      "effective",
    "until",    "status",       "source",       "article",      "note",
    "fact",     "label",        "help",         "unit",         "min",
    "max",      "group",        "record",       "bool",         "int",
    "date",     "text",         "enum",         "standard",     "grades",
    "category", "situation",    "in",           "condition",    "exclusion",
    "enabled",  "blocks",       "all",          "principle",    "outcome",
    "meaning",  "leniency",     "restricts",    "rule",         "priority",
    "when",     "recommend",    "impact",       "counted_from", "sanction",
    "period",   "period_max",   "extra",        "none",         "procedure",
    "step",     "actor",        "next",         "deadline",     "parameter",
    "days",     "workdays",     "months",       "years",        "test",
    "conduct",  "decision",     "given",        "expect",       "no",
    "is",       "undetermined", "blocked",      "by",           "decisive",
    "not",      "and",          "or",           "true",         "false",
    "unknown",  "known",        "tolerable",    "excluded",     "conflict",
    "SEED",     "CONFIRMED",    "TYPICAL",      "UNKNOWN",      NULL};

static int is_reserved(const char *s)
{
	for (int i = 0; reserved[i]; i++)
		if (strcmp(reserved[i], s) == 0)
			return 1;
	return 0;
}

static const struct token *cur(struct parser *ps)
{
	return &ps->t[ps->i];
}

static const struct token *take(struct parser *ps)
{
	const struct token *k = &ps->t[ps->i];
	if (k->t != T_EOF)
		ps->i++;
	return k;
}

static int is_kw(const struct token *k, const char *kw)
{
	return k->t == T_IDENT && strcmp(k->s, kw) == 0;
}

static void describe(const struct token *k, char *buf, size_t len)
{
	if (k->t == T_IDENT)
		snprintf(buf, len, "'%s'", k->s);
	else if (k->t == T_STRING)
		snprintf(buf, len, "string \"%.40s\"", k->s);
	else if (k->t == T_INT)
		snprintf(buf, len, "number %lld", (long long)k->i);
	else
		snprintf(buf, len, "%s", rc_tok_name(k->t));
}

/* Report at token k -- unless k stands in for text the lexer already
 * rejected: that mistake has its message. */
#define PERR(ps, k, ...)                                                                           \
	do {                                                                                       \
		if (!(k)->bad)                                                                     \
			rc_diag_add((ps)->d, RC_SEV_ERROR, (k)->line, (k)->col, __VA_ARGS__);      \
		(ps)->failed = 1;                                                                  \
	} while (0)

static int expect_tok(struct parser *ps, enum tok t, const char *context)
{
	const struct token *k = cur(ps);
	if (k->t == t) {
		take(ps);
		return 0;
	}
	char got[96];
	describe(k, got, sizeof(got));
	PERR(ps, k, "expected %s %s, found %s", rc_tok_name(t), context, got);
	return -1;
}

static void skip_seps(struct parser *ps)
{
	while (cur(ps)->t == T_SEMI || cur(ps)->t == T_COMMA)
		take(ps);
}

/* Grow an arena array by one zeroed element. */
static void *vec_push(struct parser *ps, void **arr, int *n, int *cap, size_t size, int limit,
		      const struct token *at, const char *what)
{
	if (*n >= limit) {
		PERR(ps, at, "more than %d %s; this limit keeps input bounded", limit, what);
		return NULL;
	}
	if (*n >= *cap) {
		int ncap = *cap ? *cap * 2 : 8;
		void *na = rc_arena_array(ps->a, (size_t)ncap, size);
		if (!na) {
			PERR(ps, at, "out of memory");
			return NULL;
		}
		if (*n)
			memcpy(na, *arr, (size_t)*n * size);
		*arr = na;
		*cap = ncap;
	}
	char *e = (char *)*arr + (size_t)(*n)++ * size;
	memset(e, 0, size);
	return e;
}

static int name_tok(struct parser *ps, const char **out, const char *what)
{
	const struct token *k = cur(ps);
	if (k->t != T_IDENT) {
		char got[96];
		describe(k, got, sizeof(got));
		PERR(ps, k, "expected the name of %s, found %s", what, got);
		return -1;
	}
	*out = k->s;
	take(ps);
	return 0;
}

static int def_name(struct parser *ps, const char **out, const char *what)
{
	const struct token *k = cur(ps);
	if (name_tok(ps, out, what))
		return -1;
	if (is_reserved(*out)) {
		PERR(ps, k, "'%s' is a keyword and cannot name %s; choose another name", *out,
		     what);
		return -1;
	}
	return 0;
}

static int string_tok(struct parser *ps, const char **out, const char *entry)
{
	const struct token *k = cur(ps);
	if (k->t != T_STRING) {
		char got[96];
		describe(k, got, sizeof(got));
		PERR(ps, k, "'%s' takes a \"string\", found %s", entry, got);
		return -1;
	}
	*out = k->s;
	take(ps);
	return 0;
}

static int int_tok(struct parser *ps, int64_t *out, const char *entry)
{
	const struct token *k = cur(ps);
	if (k->t != T_INT) {
		char got[96];
		describe(k, got, sizeof(got));
		PERR(ps, k, "'%s' takes an integer, found %s", entry, got);
		return -1;
	}
	*out = k->i;
	take(ps);
	return 0;
}

static int bool_tok(struct parser *ps, int *out, const char *entry)
{
	const struct token *k = cur(ps);
	if (is_kw(k, "true") || is_kw(k, "false")) {
		*out = is_kw(k, "true");
		take(ps);
		return 0;
	}
	char got[96];
	describe(k, got, sizeof(got));
	PERR(ps, k, "'%s' takes true or false, found %s", entry, got);
	return -1;
}

static int date_tok(struct parser *ps, int32_t *out, const char *entry)
{
	const struct token *k = cur(ps);
	if (k->t != T_DATE) {
		char got[96];
		describe(k, got, sizeof(got));
		PERR(ps, k, "'%s' takes a date YYYY-MM-DD, found %s", entry, got);
		return -1;
	}
	*out = (int32_t)k->i;
	take(ps);
	return 0;
}

/* NAME (, NAME)*; where each name stood goes to *pos when pos is not NULL,
 * so that a later "not defined" error can point at the name itself. */
static int name_list(struct parser *ps, const char ***out, int *n, const char *what, int limit,
		     struct pos **pos)
{
	int cap = 0, pcap = 0, pn = 0;
	*out = NULL;
	*n = 0;
	if (pos)
		*pos = NULL;
	for (;;) {
		const struct token *k = cur(ps);
		const char **slot =
		    vec_push(ps, (void **)out, n, &cap, sizeof(char *), limit, k, what);
		if (!slot || name_tok(ps, slot, what))
			return -1;
		if (pos) {
			struct pos *ps_ = vec_push(ps, (void **)pos, &pn, &pcap, sizeof(struct pos),
						   limit, k, what);
			if (!ps_)
				return -1;
			ps_->line = k->line;
			ps_->col = k->col;
		}
		if (cur(ps)->t != T_COMMA)
			return 0;
		take(ps);
	}
}

static int parse_dur(struct parser *ps, struct dur *d, const char *entry)
{
	const struct token *k = cur(ps);
	memset(d, 0, sizeof(*d));
	d->set = 1;
	if (is_kw(k, "none")) {
		take(ps);
		d->none = 1;
		return 0;
	}
	int64_t v;
	if (k->t != T_INT) {
		char got[96];
		describe(k, got, sizeof(got));
		PERR(ps, k,
		     "'%s' takes a duration such as '5 workdays', '6 months' or 'none', "
		     "found %s",
		     entry, got);
		return -1;
	}
	int_tok(ps, &v, entry);
	if (v < 0 || v > 1200) {
		PERR(ps, k, "duration %lld is out of range; use 0 to 1200", (long long)v);
		return -1;
	}
	d->n = (int)v;
	const struct token *u = cur(ps);
	if (is_kw(u, "days") || is_kw(u, "day"))
		d->unit = D_DAYS;
	else if (is_kw(u, "workdays") || is_kw(u, "workday"))
		d->unit = D_WORKDAYS;
	else if (is_kw(u, "months") || is_kw(u, "month"))
		d->unit = D_MONTHS;
	else if (is_kw(u, "years") || is_kw(u, "year"))
		d->unit = D_YEARS;
	else {
		char got[96];
		describe(u, got, sizeof(got));
		PERR(ps, u, "expected a unit (days, workdays, months, years) after %lld, found %s",
		     (long long)v, got);
		return -1;
	}
	take(ps);
	return 0;
}

/* Provenance entries; returns 1 if the current token was one, 0 if not,
 * -1 on error. */
static int parse_prov(struct parser *ps, struct prov *pv)
{
	const struct token *k = cur(ps);
	if (is_kw(k, "status")) {
		take(ps);
		const struct token *v = cur(ps);
		const char *s = v->t == T_IDENT ? v->s : "";
		if (strcmp(s, "SEED") == 0)
			pv->status = RC_STATUS_SEED;
		else if (strcmp(s, "CONFIRMED") == 0)
			pv->status = RC_STATUS_CONFIRMED;
		else if (strcmp(s, "TYPICAL") == 0)
			pv->status = RC_STATUS_TYPICAL;
		else if (strcmp(s, "UNKNOWN") == 0)
			pv->status = RC_STATUS_UNKNOWN;
		else {
			char got[96];
			describe(v, got, sizeof(got));
			PERR(ps, v, "status must be SEED, CONFIRMED, TYPICAL or UNKNOWN, found %s",
			     got);
			return -1;
		}
		take(ps);
		return 1;
	}
	if (is_kw(k, "source")) {
		take(ps);
		return string_tok(ps, &pv->source, "source") ? -1 : 1;
	}
	if (is_kw(k, "article")) {
		take(ps);
		return string_tok(ps, &pv->article, "article") ? -1 : 1;
	}
	if (is_kw(k, "note")) {
		take(ps);
		return string_tok(ps, &pv->note, "note") ? -1 : 1;
	}
	return 0;
}

/* ---- expressions ---------------------------------------------------- */

static struct expr *new_expr(struct parser *ps, enum expr_kind k, const struct token *at)
{
	struct expr *e = rc_arena_alloc(ps->a, sizeof(*e));
	if (!e) {
		PERR(ps, at, "out of memory");
		return NULL;
	}
	e->k = k;
	e->line = at->line;
	e->col = at->col;
	e->reg = -1;
	return e;
}

static int parse_lit(struct parser *ps, struct lit *l, int allow_unknown)
{
	const struct token *k = cur(ps);
	l->line = k->line;
	l->col = k->col;
	switch (k->t) {
	case T_INT:
		l->k = L_INT;
		l->i = k->i;
		break;
	case T_DATE:
		l->k = L_DATE;
		l->i = k->i;
		break;
	case T_STRING:
		l->k = L_STRING;
		l->s = k->s;
		break;
	case T_IDENT:
		if (is_kw(k, "true") || is_kw(k, "false")) {
			l->k = L_BOOL;
			l->i = is_kw(k, "true");
		} else if (is_kw(k, "unknown")) {
			if (!allow_unknown) {
				PERR(ps, k, "'unknown' cannot be compared; use not known(NAME)");
				return -1;
			}
			l->k = L_UNKNOWN;
		} else {
			l->k = L_IDENT;
			l->s = k->s;
		}
		break;
	default: {
		char got[96];
		describe(k, got, sizeof(got));
		PERR(ps, k, "expected a value (true, false, a number, a date or a name), found %s",
		     got);
		return -1;
	}
	}
	take(ps);
	return 0;
}

static struct expr *parse_or(struct parser *ps);

static struct expr *parse_primary(struct parser *ps)
{
	const struct token *k = cur(ps);
	struct expr *e;
	if (k->t == T_LPAREN) {
		take(ps);
		e = parse_or(ps);
		if (!e || expect_tok(ps, T_RPAREN, "to close '('"))
			return NULL;
		return e;
	}
	if (k->t != T_IDENT) {
		char got[96];
		describe(k, got, sizeof(got));
		PERR(ps, k, "expected a condition (a name, 'not', '(' ...), found %s", got);
		return NULL;
	}
	if (is_kw(k, "true") || is_kw(k, "false")) {
		take(ps);
		return new_expr(ps, is_kw(k, "true") ? E_TRUE : E_FALSE, k);
	}
	if (is_kw(k, "tolerable") || is_kw(k, "excluded")) {
		take(ps);
		return new_expr(ps, is_kw(k, "tolerable") ? E_TOLERABLE : E_EXCLUDED, k);
	}
	if (is_kw(k, "known")) {
		take(ps);
		e = new_expr(ps, E_KNOWN, k);
		if (!e || expect_tok(ps, T_LPAREN, "after 'known'") ||
		    name_tok(ps, &e->name, "a fact") ||
		    expect_tok(ps, T_RPAREN, "to close 'known('"))
			return NULL;
		return e;
	}
	if (is_reserved(k->s)) {
		PERR(ps, k, "keyword '%s' cannot start a condition", k->s);
		return NULL;
	}
	take(ps);
	const struct token *o = cur(ps);
	if (o->t == T_EQ || o->t == T_NE || o->t == T_LT || o->t == T_LE || o->t == T_GT ||
	    o->t == T_GE) {
		e = new_expr(ps, E_CMP, k);
		if (!e)
			return NULL;
		e->name = k->s;
		e->op = o->t == T_EQ   ? C_EQ
			: o->t == T_NE ? C_NE
			: o->t == T_LT ? C_LT
			: o->t == T_LE ? C_LE
			: o->t == T_GT ? C_GT
				       : C_GE;
		take(ps);
		if (parse_lit(ps, &e->v, 0))
			return NULL;
		return e;
	}
	if (o->t == T_ASSIGN) {
		PERR(ps, o, "'=' assigns; to compare use '=='");
		return NULL;
	}
	if (is_kw(o, "in")) {
		take(ps);
		e = new_expr(ps, E_IN, k);
		if (!e)
			return NULL;
		e->name = k->s;
		if (expect_tok(ps, T_LPAREN, "after 'in'"))
			return NULL;
		int cap = 0;
		for (;;) {
			struct lit *l = vec_push(ps, (void **)&e->set, &e->n_set, &cap, sizeof(*l),
						 RC_MAX_ENUM, cur(ps), "values in a set");
			if (!l || parse_lit(ps, l, 0))
				return NULL;
			if (cur(ps)->t == T_COMMA) {
				take(ps);
				continue;
			}
			if (expect_tok(ps, T_RPAREN, "to close the set"))
				return NULL;
			break;
		}
		return e;
	}
	e = new_expr(ps, E_REF, k);
	if (e)
		e->name = k->s;
	return e;
}

static struct expr *parse_not(struct parser *ps)
{
	const struct token *k = cur(ps);
	if (is_kw(k, "not")) {
		if (++ps->edepth > RC_MAX_DEPTH) {
			PERR(ps, k, "condition nested deeper than %d levels; simplify it",
			     RC_MAX_DEPTH);
			return NULL;
		}
		take(ps);
		struct expr *e = new_expr(ps, E_NOT, k);
		if (!e || !(e->a = parse_not(ps)))
			return NULL;
		ps->edepth--;
		return e;
	}
	return parse_primary(ps);
}

static struct expr *parse_bin(struct parser *ps, const char *kw, enum expr_kind kind,
			      struct expr *(*sub)(struct parser *))
{
	struct expr *l = sub(ps);
	while (l && is_kw(cur(ps), kw)) {
		const struct token *k = take(ps);
		/* A long flat chain is a deep tree for everything that walks it
		 * (compiler, explainer, diff): bound it like nesting. */
		if (++ps->eterms > RC_MAX_TERMS) {
			PERR(ps, k,
			     "condition has more than %d and/or terms; split it into named "
			     "situations, conditions or rules",
			     RC_MAX_TERMS);
			return NULL;
		}
		struct expr *e = new_expr(ps, kind, k);
		if (!e)
			return NULL;
		e->a = l;
		if (!(e->b = sub(ps)))
			return NULL;
		l = e;
	}
	return l;
}

static struct expr *parse_and(struct parser *ps)
{
	return parse_bin(ps, "and", E_AND, parse_not);
}

static struct expr *parse_or(struct parser *ps)
{
	const struct token *k = cur(ps);
	if (++ps->edepth > RC_MAX_DEPTH) {
		PERR(ps, k, "condition nested deeper than %d levels; simplify it", RC_MAX_DEPTH);
		return NULL;
	}
	struct expr *e = parse_bin(ps, "or", E_OR, parse_and);
	ps->edepth--;
	return e;
}

static struct expr *parse_when(struct parser *ps)
{
	ps->edepth = 0;
	ps->eterms = 0;
	return parse_or(ps);
}

/* ---- items ---------------------------------------------------------- */

/* Common loop over "{ entry* }"; `entry` parses one entry and returns 0 if
 * handled, 1 if the keyword is not one of its own, -1 on error. */
typedef int (*entry_fn)(struct parser *ps, void *obj, const struct token *k);

static int parse_block(struct parser *ps, void *obj, struct prov *pv, entry_fn entry,
		       const char *what, const char *entries)
{
	if (expect_tok(ps, T_LBRACE, what))
		return -1;
	for (;;) {
		skip_seps(ps);
		const struct token *k = cur(ps);
		if (k->t == T_RBRACE) {
			take(ps);
			return 0;
		}
		if (k->t == T_EOF) {
			PERR(ps, k, "unexpected end of file inside %s; add '}'", what);
			return -1;
		}
		if (pv) {
			int r = parse_prov(ps, pv);
			if (r < 0)
				return -1;
			if (r > 0)
				continue;
		}
		int r = k->t == T_IDENT ? entry(ps, obj, k) : 1;
		if (r < 0)
			return -1;
		if (r > 0) {
			char got[96];
			describe(k, got, sizeof(got));
			PERR(ps, k, "unknown entry %s in %s; expected one of: %s%s", got, what,
			     entries, pv ? ", status, source, article, note" : "");
			return -1;
		}
	}
}

#define ONCE(ps, k, field)                                                                         \
	do {                                                                                       \
		if (field) {                                                                       \
			PERR(ps, k, "'%s' is given twice", (k)->s);                                \
			return -1;                                                                 \
		}                                                                                  \
	} while (0)

static int policy_entry(struct parser *ps, void *obj, const struct token *k)
{
	struct rc_policy *p = obj;
	if (is_kw(k, "title")) {
		ONCE(ps, k, p->title);
		take(ps);
		return string_tok(ps, &p->title, "title");
	}
	if (is_kw(k, "jurisdiction")) {
		ONCE(ps, k, p->jurisdiction);
		take(ps);
		return string_tok(ps, &p->jurisdiction, "jurisdiction");
	}
	if (is_kw(k, "version")) {
		ONCE(ps, k, p->version);
		take(ps);
		return string_tok(ps, &p->version, "version");
	}
	if (is_kw(k, "effective")) {
		ONCE(ps, k, p->effective != INT32_MIN);
		take(ps);
		return date_tok(ps, &p->effective, "effective");
	}
	if (is_kw(k, "until")) {
		ONCE(ps, k, p->until != INT32_MAX);
		take(ps);
		p->until_line = cur(ps)->line;
		p->until_col = cur(ps)->col;
		return date_tok(ps, &p->until, "until");
	}
	return 1;
}

static int parse_policy(struct parser *ps, const struct token *kw)
{
	struct rc_policy *p = ps->p;
	if (ps->seen_policy) {
		PERR(ps, kw, "a file holds one 'policy' block; this is the second");
		return -1;
	}
	ps->seen_policy = 1;
	if (def_name(ps, &p->series, "the policy series"))
		return -1;
	if (parse_block(ps, p, &p->prov, policy_entry, "the policy block",
			"title, jurisdiction, version, effective, until"))
		return -1;
	const char *missing = !p->title                   ? "title"
			      : !p->version               ? "version"
			      : p->effective == INT32_MIN ? "effective"
							  : NULL;
	if (missing) {
		PERR(ps, kw, "the policy block needs '%s'", missing);
		return -1;
	}
	if (p->until != INT32_MAX && p->until < p->effective) {
		struct token at = {.line = p->until_line, .col = p->until_col};
		PERR(ps, &at, "'until' is before 'effective'; the policy would never be in force");
		return -1;
	}
	return 0;
}

static int fact_entry(struct parser *ps, void *obj, const struct token *k)
{
	struct fact *f = obj;
	if (is_kw(k, "label")) {
		ONCE(ps, k, f->label);
		take(ps);
		return string_tok(ps, &f->label, "label");
	}
	if (is_kw(k, "title") && f->is_standard) {
		ONCE(ps, k, f->label);
		take(ps);
		return string_tok(ps, &f->label, "title");
	}
	if (is_kw(k, "help")) {
		take(ps);
		return string_tok(ps, &f->help, "help");
	}
	if (is_kw(k, "unit") && !f->is_standard) {
		take(ps);
		return string_tok(ps, &f->unit, "unit");
	}
	if (is_kw(k, "group")) {
		take(ps);
		return string_tok(ps, &f->group, "group");
	}
	if (is_kw(k, "record")) {
		take(ps);
		return bool_tok(ps, &f->record, "record");
	}
	if ((is_kw(k, "min") || is_kw(k, "max")) && !f->is_standard) {
		int is_min = is_kw(k, "min");
		if (f->type != RC_FT_INT) {
			PERR(ps, k, "'%s' applies to int facts only", k->s);
			return -1;
		}
		take(ps);
		if (is_min) {
			f->has_min = 1;
			return int_tok(ps, &f->min, "min");
		}
		f->has_max = 1;
		return int_tok(ps, &f->max, "max");
	}
	if (is_kw(k, "grades") && f->is_standard) {
		ONCE(ps, k, f->n_values);
		take(ps);
		if (expect_tok(ps, T_LPAREN, "after 'grades'") ||
		    name_list(ps, &f->values, &f->n_values, "grades", RC_MAX_ENUM, NULL) ||
		    expect_tok(ps, T_RPAREN, "to close the grades"))
			return -1;
		return 0;
	}
	return 1;
}

static int parse_fact(struct parser *ps, const struct token *kw, int standard)
{
	struct rc_policy *p = ps->p;
	struct fact *f = vec_push(ps, (void **)&p->facts, &p->n_facts, &ps->cap_facts, sizeof(*f),
				  2 * RC_MAX_ITEMS, kw, "facts and standards");
	if (!f)
		return -1;
	f->line = kw->line;
	f->col = kw->col;
	f->is_standard = standard;
	f->unknown_grade = -1;
	if (def_name(ps, &f->name, standard ? "a standard" : "a fact"))
		return -1;
	if (standard) {
		f->type = RC_FT_ENUM;
		if (parse_block(ps, f, &f->prov, fact_entry, "a standard",
				"title, grades, help, group, record"))
			return -1;
		if (!f->n_values) {
			PERR(ps, kw, "standard '%s' needs 'grades(...)'", f->name);
			return -1;
		}
	} else {
		if (expect_tok(ps, T_COLON, "after the fact name (e.g. 'fact X : bool')"))
			return -1;
		const struct token *t = cur(ps);
		if (is_kw(t, "bool"))
			f->type = RC_FT_BOOL;
		else if (is_kw(t, "int"))
			f->type = RC_FT_INT;
		else if (is_kw(t, "date"))
			f->type = RC_FT_DATE;
		else if (is_kw(t, "text"))
			f->type = RC_FT_TEXT;
		else if (is_kw(t, "enum"))
			f->type = RC_FT_ENUM;
		else {
			char got[96];
			describe(t, got, sizeof(got));
			PERR(ps, t, "unknown fact type %s; use bool, int, date, text or enum(...)",
			     got);
			return -1;
		}
		take(ps);
		if (f->type == RC_FT_ENUM &&
		    (expect_tok(ps, T_LPAREN, "after 'enum'") ||
		     name_list(ps, &f->values, &f->n_values, "enum values", RC_MAX_ENUM, NULL) ||
		     expect_tok(ps, T_RPAREN, "to close the enum values")))
			return -1;
		if (parse_block(ps, f, &f->prov, fact_entry, "a fact",
				"label, help, unit, group, min, max, record"))
			return -1;
		if (!f->label) {
			PERR(ps, kw, "fact '%s' needs a 'label' (shown in the intake form)",
			     f->name);
			return -1;
		}
		if (f->has_min && f->has_max && f->min > f->max) {
			PERR(ps, kw, "fact '%s' has min %lld greater than max %lld", f->name,
			     (long long)f->min, (long long)f->max);
			return -1;
		}
	}
	for (int i = 0; i < f->n_values; i++)
		for (int j = 0; j < i; j++)
			if (strcmp(f->values[i], f->values[j]) == 0) {
				PERR(ps, kw, "'%s' lists the value '%s' twice", f->name,
				     f->values[i]);
				return -1;
			}
	return 0;
}

struct item_ctx {
	struct item *it;
	enum rc_kind kind;
};

static int item_entry(struct parser *ps, void *obj, const struct token *k)
{
	struct item_ctx *c = obj;
	struct item *it = c->it;
	if (is_kw(k, "title")) {
		ONCE(ps, k, it->title);
		take(ps);
		return string_tok(ps, &it->title, "title");
	}
	if (is_kw(k, "when") && c->kind != RC_K_CATEGORY && c->kind != RC_K_PRINCIPLE) {
		ONCE(ps, k, it->when);
		take(ps);
		return (it->when = parse_when(ps)) ? 0 : -1;
	}
	if (c->kind == RC_K_EXCLUSION && is_kw(k, "enabled")) {
		take(ps);
		return bool_tok(ps, &it->enabled, "enabled");
	}
	if (c->kind == RC_K_EXCLUSION && is_kw(k, "blocks")) {
		take(ps);
		if (is_kw(cur(ps), "all")) {
			take(ps);
			it->blocks_all = 1;
			return 0;
		}
		it->blocks_all = 0;
		return name_list(ps, &it->block_names, &it->n_blocks, "situations", RC_MAX_ITEMS,
				 &it->block_pos);
	}
	return 1;
}

static int parse_item(struct parser *ps, const struct token *kw, enum rc_kind kind)
{
	struct rc_policy *p = ps->p;
	struct item *it =
	    vec_push(ps, (void **)&p->items[kind], &p->n_items[kind], &ps->cap_items[kind],
		     sizeof(*it), RC_MAX_ITEMS, kw, rc_kind_name(kind));
	if (!it)
		return -1;
	it->line = kw->line;
	it->col = kw->col;
	it->category = -1;
	it->enabled = 1;
	it->blocks_all = 1;
	it->reg = -1;
	if (def_name(ps, &it->name, rc_kind_a(kind)))
		return -1;
	if (kind == RC_K_SITUATION) {
		if (!is_kw(cur(ps), "in")) {
			PERR(ps, cur(ps),
			     "situation '%s' needs its category: 'situation %s in CATEGORY'",
			     it->name, it->name);
			return -1;
		}
		take(ps);
		it->cat_line = cur(ps)->line;
		it->cat_col = cur(ps)->col;
		if (name_tok(ps, &it->cat_name, "a category"))
			return -1;
	}
	struct item_ctx c = {it, kind};
	char what[64];
	snprintf(what, sizeof(what), "%s '%s'", rc_kind_name(kind), it->name);
	const char *entries = kind == RC_K_EXCLUSION ? "title, when, enabled, blocks"
			      : (kind == RC_K_CATEGORY || kind == RC_K_PRINCIPLE) ? "title"
										  : "title, when";
	if (parse_block(ps, &c, &it->prov, item_entry, what, entries))
		return -1;
	if (!it->title) {
		PERR(ps, kw, "%s needs a 'title'", what);
		return -1;
	}
	if (!it->when && kind != RC_K_CATEGORY && kind != RC_K_PRINCIPLE) {
		PERR(ps, kw, "%s needs a 'when' condition", what);
		return -1;
	}
	return 0;
}

static int outcome_entry(struct parser *ps, void *obj, const struct token *k)
{
	struct outcome *o = obj;
	if (is_kw(k, "title")) {
		ONCE(ps, k, o->title);
		take(ps);
		return string_tok(ps, &o->title, "title");
	}
	if (is_kw(k, "meaning")) {
		take(ps);
		return string_tok(ps, &o->meaning, "meaning");
	}
	if (is_kw(k, "leniency")) {
		int64_t v;
		take(ps);
		const struct token *at = cur(ps);
		if (int_tok(ps, &v, "leniency"))
			return -1;
		if (v < 0 || v > 1000) {
			PERR(ps, at, "leniency must be between 0 and 1000");
			return -1;
		}
		o->leniency = (int)v;
		o->has_leniency = 1;
		return 0;
	}
	if (is_kw(k, "restricts")) {
		take(ps);
		return bool_tok(ps, &o->restricts, "restricts");
	}
	return 1;
}

static int parse_outcome(struct parser *ps, const struct token *kw)
{
	struct rc_policy *p = ps->p;
	struct outcome *o = vec_push(ps, (void **)&p->outcomes, &p->n_outcomes, &ps->cap_outcomes,
				     sizeof(*o), RC_MAX_OUTCOMES, kw, "outcomes");
	if (!o)
		return -1;
	o->line = kw->line;
	o->col = kw->col;
	if (def_name(ps, &o->name, "an outcome") ||
	    parse_block(ps, o, &o->prov, outcome_entry, "an outcome",
			"title, meaning, leniency, restricts"))
		return -1;
	if (!o->title || !o->has_leniency) {
		PERR(ps, kw, "outcome '%s' needs '%s'", o->name, !o->title ? "title" : "leniency");
		return -1;
	}
	return 0;
}

static int rule_entry(struct parser *ps, void *obj, const struct token *k)
{
	struct rule *r = obj;
	if (is_kw(k, "title")) {
		take(ps);
		return string_tok(ps, &r->title, "title");
	}
	if (is_kw(k, "priority")) {
		int64_t v;
		take(ps);
		const struct token *at = cur(ps);
		if (int_tok(ps, &v, "priority"))
			return -1;
		if (v < -1000000 || v > 1000000) {
			PERR(ps, at, "priority must be between -1000000 and 1000000");
			return -1;
		}
		r->priority = (int)v;
		return 0;
	}
	if (is_kw(k, "when")) {
		ONCE(ps, k, r->when);
		take(ps);
		return (r->when = parse_when(ps)) ? 0 : -1;
	}
	if (is_kw(k, "recommend")) {
		ONCE(ps, k, r->n_band);
		take(ps);
		int cap = 0, pcap = 0, pn = 0;
		for (;;) {
			const struct token *at = cur(ps);
			const char **s =
			    vec_push(ps, (void **)&r->band_names, &r->n_band, &cap, sizeof(char *),
				     RC_MAX_OUTCOMES, at, "outcomes in a band");
			struct pos *bp =
			    vec_push(ps, (void **)&r->band_pos, &pn, &pcap, sizeof(*bp),
				     RC_MAX_OUTCOMES, at, "outcomes in a band");
			if (!s || !bp || name_tok(ps, s, "an outcome"))
				return -1;
			bp->line = at->line;
			bp->col = at->col;
			if (cur(ps)->t != T_BAR)
				return 0;
			take(ps);
		}
	}
	return 1;
}

static int parse_rule(struct parser *ps, const struct token *kw)
{
	struct rc_policy *p = ps->p;
	struct rule *r = vec_push(ps, (void **)&p->rules, &p->n_rules, &ps->cap_rules, sizeof(*r),
				  RC_MAX_ITEMS, kw, "rules");
	if (!r)
		return -1;
	r->line = kw->line;
	r->col = kw->col;
	r->reg = -1;
	if (def_name(ps, &r->name, "a rule") ||
	    parse_block(ps, r, &r->prov, rule_entry, "a rule", "title, priority, when, recommend"))
		return -1;
	if (!r->when || !r->n_band) {
		PERR(ps, kw, "rule '%s' needs '%s'", r->name, !r->when ? "when" : "recommend");
		return -1;
	}
	return 0;
}

/* An 影响期 runs in calendar time (纪律处分条例 counts months and years), and
 * the decision that starts it is dated without the holiday calendar. */
static int impact_dur(struct parser *ps, struct dur *d, const char *entry)
{
	const struct token *at = cur(ps);
	if (parse_dur(ps, d, entry))
		return -1;
	if (!d->none && d->unit == D_WORKDAYS) {
		PERR(ps, at,
		     "'%s': an impact period (影响期) runs in days, months or years, not in "
		     "workdays",
		     entry);
		return -1;
	}
	return 0;
}

static int sanction_entry(struct parser *ps, void *obj, const struct token *k)
{
	struct sanction *s = obj;
	if (is_kw(k, "period"))
		return take(ps), impact_dur(ps, &s->period, "period");
	if (is_kw(k, "period_max"))
		return take(ps), impact_dur(ps, &s->period_max, "period_max");
	if (is_kw(k, "extra"))
		return take(ps), impact_dur(ps, &s->extra, "extra");
	if (is_kw(k, "article"))
		return take(ps), string_tok(ps, &s->article, "article");
	if (is_kw(k, "note"))
		return take(ps), string_tok(ps, &s->note, "note");
	return 1;
}

struct impact_ctx {
	struct impact *im;
	int cap;
};

static int impact_entry(struct parser *ps, void *obj, const struct token *k)
{
	struct impact_ctx *c = obj;
	struct impact *im = c->im;
	if (is_kw(k, "title"))
		return take(ps), string_tok(ps, &im->title, "title");
	if (is_kw(k, "counted_from"))
		return take(ps), string_tok(ps, &im->counted_from, "counted_from");
	if (is_kw(k, "sanction")) {
		take(ps);
		struct sanction *s = vec_push(ps, (void **)&im->sanctions, &im->n_sanctions,
					      &c->cap, sizeof(*s), 64, k, "sanctions");
		if (!s)
			return -1;
		s->line = k->line;
		s->col = k->col;
		if (def_name(ps, &s->name, "a sanction") ||
		    parse_block(ps, s, NULL, sanction_entry, "a sanction",
				"period, period_max, extra, article, note"))
			return -1;
		if (!s->period.set) {
			PERR(ps, k, "sanction '%s' needs a 'period' (or 'period none')", s->name);
			return -1;
		}
		return 0;
	}
	return 1;
}

static int parse_impact(struct parser *ps, const struct token *kw)
{
	struct rc_policy *p = ps->p;
	struct impact *im = vec_push(ps, (void **)&p->impacts, &p->n_impacts, &ps->cap_impacts,
				     sizeof(*im), 64, kw, "impact tables");
	if (!im)
		return -1;
	im->line = kw->line;
	im->col = kw->col;
	struct impact_ctx c = {im, 0};
	if (def_name(ps, &im->name, "an impact table") ||
	    parse_block(ps, &c, &im->prov, impact_entry, "an impact table",
			"title, counted_from, sanction"))
		return -1;
	if (!im->title) {
		PERR(ps, kw, "impact table '%s' needs a 'title'", im->name);
		return -1;
	}
	return 0;
}

/* A block that holds provenance entries only (a parameter's). */
static int no_entry(struct parser *ps, void *obj, const struct token *k)
{
	(void)ps;
	(void)obj;
	(void)k;
	return 1;
}

static int step_entry(struct parser *ps, void *obj, const struct token *k)
{
	struct step *s = obj;
	if (is_kw(k, "title"))
		return take(ps), string_tok(ps, &s->title, "title");
	if (is_kw(k, "actor"))
		return take(ps), name_list(ps, &s->actors, &s->n_actors, "actors", 32, NULL);
	if (is_kw(k, "next"))
		return take(ps),
		       name_list(ps, &s->next_names, &s->n_next, "steps", 64, &s->next_pos);
	if (is_kw(k, "deadline"))
		return take(ps), parse_dur(ps, &s->deadline, "deadline");
	if (is_kw(k, "four_eyes"))
		return take(ps), bool_tok(ps, &s->four_eyes, "four_eyes");
	return 1;
}

struct proc_ctx {
	int step_cap, param_cap;
};

static int procedure_entry(struct parser *ps, void *obj, const struct token *k)
{
	struct proc_ctx *c = obj;
	struct rc_policy *p = ps->p;
	if (is_kw(k, "step")) {
		take(ps);
		struct step *s = vec_push(ps, (void **)&p->steps, &p->n_steps, &c->step_cap,
					  sizeof(*s), 256, k, "steps");
		if (!s)
			return -1;
		s->line = k->line;
		s->col = k->col;
		if (def_name(ps, &s->name, "a step") ||
		    parse_block(ps, s, &s->prov, step_entry, "a step",
				"title, actor, next, deadline, four_eyes"))
			return -1;
		if (!s->title || !s->n_actors) {
			PERR(ps, k, "step '%s' needs '%s'", s->name, !s->title ? "title" : "actor");
			return -1;
		}
		return 0;
	}
	if (is_kw(k, "parameter")) {
		take(ps);
		struct param *pr = vec_push(ps, (void **)&p->params, &p->n_params, &c->param_cap,
					    sizeof(*pr), 256, k, "parameters");
		if (!pr)
			return -1;
		pr->line = k->line;
		pr->col = k->col;
		if (def_name(ps, &pr->name, "a parameter") || parse_dur(ps, &pr->d, "parameter"))
			return -1;
		if (cur(ps)->t == T_LBRACE)
			return parse_block(ps, pr, &pr->prov, no_entry, "a parameter", "(none)");
		return 0;
	}
	return 1;
}

static int parse_procedure(struct parser *ps, const struct token *kw)
{
	if (ps->seen_procedure) {
		PERR(ps, kw, "a file holds one 'procedure' block; this is the second");
		return -1;
	}
	ps->seen_procedure = 1;
	struct proc_ctx c = {0, 0};
	return parse_block(ps, &c, &ps->p->proc_prov, procedure_entry, "the procedure",
			   "step, parameter");
}

/* ---- tests ---------------------------------------------------------- */

static int parse_expect(struct parser *ps, struct test *t, int *cap, const struct token *kw)
{
	struct expect *x = vec_push(ps, (void **)&t->expects, &t->n_expects, cap, sizeof(*x),
				    RC_MAX_GIVEN, kw, "expectations in a test");
	if (!x)
		return -1;
	x->line = kw->line;
	x->col = kw->col;
	x->rk = RC_K__COUNT;
	const struct token *k = cur(ps);
	if (is_kw(k, "outcome")) {
		take(ps);
		if (is_kw(cur(ps), "undetermined")) {
			take(ps);
			x->k = X_UNDETERMINED;
			return 0;
		}
		x->k = X_OUTCOME;
		int bcap = 0;
		for (;;) {
			const char **s =
			    vec_push(ps, (void **)&x->band_names, &x->n_band, &bcap, sizeof(char *),
				     RC_MAX_OUTCOMES, cur(ps), "outcomes");
			if (!s || name_tok(ps, s, "an outcome"))
				return -1;
			if (cur(ps)->t != T_BAR)
				return 0;
			take(ps);
		}
	}
	if (is_kw(k, "conflict")) {
		take(ps);
		x->k = X_CONFLICT;
		return 0;
	}
	if (is_kw(k, "blocked")) {
		take(ps);
		x->k = X_BLOCKED;
		if (name_tok(ps, &x->name, "a situation"))
			return -1;
		if (!is_kw(cur(ps), "by")) {
			PERR(ps, cur(ps), "expected 'by EXCLUSION' after 'blocked %s'", x->name);
			return -1;
		}
		take(ps);
		return name_tok(ps, &x->name2, "an exclusion");
	}
	if (is_kw(k, "decisive") || (is_kw(k, "not") && is_kw(&ps->t[ps->i + 1], "decisive"))) {
		x->k = X_DECISIVE;
		x->negate = is_kw(k, "not");
		take(ps);
		if (x->negate)
			take(ps);
		return name_tok(ps, &x->name, "a fact");
	}
	int no = 0;
	if (is_kw(k, "no")) {
		no = 1;
		take(ps);
		k = cur(ps);
	}
	static const struct {
		const char *kw;
		enum rc_kind k;
	} kinds[] = {{"situation", RC_K_SITUATION},
		     {"exclusion", RC_K_EXCLUSION},
		     {"condition", RC_K_CONDITION},
		     {"category", RC_K_CATEGORY},
		     {"rule", RC_K_RULE}};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (is_kw(k, kinds[i].kw)) {
			take(ps);
			x->k = X_TRUTH;
			x->rk = kinds[i].k;
			x->want = no ? RC_FALSE : RC_TRUE;
			return name_tok(ps, &x->name, kinds[i].kw);
		}
	}
	if (no) {
		PERR(ps, k,
		     "after 'expect no' write situation, exclusion, condition, category or rule");
		return -1;
	}
	/* NAME is true|false|unknown */
	x->k = X_TRUTH;
	if (is_kw(k, "tolerable") || is_kw(k, "excluded")) {
		x->builtin = is_kw(k, "tolerable") ? 1 : 2;
		x->name = k->s;
		take(ps);
	} else if (name_tok(ps, &x->name, "an item to check")) {
		return -1;
	}
	if (!is_kw(cur(ps), "is")) {
		char got[96];
		describe(cur(ps), got, sizeof(got));
		PERR(ps, cur(ps),
		     "expected 'is true', 'is false' or 'is unknown' after '%s', found %s", x->name,
		     got);
		return -1;
	}
	take(ps);
	const struct token *v = cur(ps);
	if (is_kw(v, "true"))
		x->want = RC_TRUE;
	else if (is_kw(v, "false"))
		x->want = RC_FALSE;
	else if (is_kw(v, "unknown"))
		x->want = RC_UNKNOWN;
	else {
		PERR(ps, v, "expected true, false or unknown after 'is'");
		return -1;
	}
	take(ps);
	return 0;
}

struct test_ctx {
	struct test *t;
	int given_cap, expect_cap;
};

static int test_entry(struct parser *ps, void *obj, const struct token *k)
{
	struct test_ctx *c = obj;
	struct test *t = c->t;
	if (is_kw(k, "conduct")) {
		take(ps);
		t->has_conduct = 1;
		return date_tok(ps, &t->conduct, "conduct");
	}
	if (is_kw(k, "decision")) {
		take(ps);
		t->has_decision = 1;
		return date_tok(ps, &t->decision, "decision");
	}
	if (is_kw(k, "given")) {
		take(ps);
		if (expect_tok(ps, T_LBRACE, "after 'given'"))
			return -1;
		for (;;) {
			skip_seps(ps);
			const struct token *g = cur(ps);
			if (g->t == T_RBRACE) {
				take(ps);
				return 0;
			}
			struct given *gv =
			    vec_push(ps, (void **)&t->given, &t->n_given, &c->given_cap,
				     sizeof(*gv), RC_MAX_GIVEN, g, "facts in one test");
			if (!gv)
				return -1;
			gv->line = g->line;
			gv->col = g->col;
			if (name_tok(ps, &gv->name, "a fact") ||
			    expect_tok(ps, T_ASSIGN, "after the fact name (NAME = VALUE)") ||
			    parse_lit(ps, &gv->v, 1))
				return -1;
		}
	}
	if (is_kw(k, "expect")) {
		take(ps);
		return parse_expect(ps, t, &c->expect_cap, k);
	}
	return 1;
}

static int parse_test(struct parser *ps, const struct token *kw)
{
	struct rc_policy *p = ps->p;
	struct test *t = vec_push(ps, (void **)&p->tests, &p->n_tests, &ps->cap_tests, sizeof(*t),
				  RC_MAX_TESTS, kw, "tests");
	if (!t)
		return -1;
	t->line = kw->line;
	t->col = kw->col;
	if (string_tok(ps, &t->name, "test"))
		return -1;
	struct test_ctx c = {t, 0, 0};
	if (parse_block(ps, &c, NULL, test_entry, "a test", "conduct, decision, given, expect"))
		return -1;
	if (!t->n_expects) {
		PERR(ps, kw, "test \"%s\" has no 'expect'; a test must be able to fail", t->name);
		return -1;
	}
	return 0;
}

/* ---- top level ------------------------------------------------------ */

static void sync_top(struct parser *ps)
{
	/* Skip to the next item keyword at depth 0. */
	while (cur(ps)->t != T_EOF) {
		const struct token *k = cur(ps);
		if (k->depth == 0 && k->t == T_IDENT && ps->i > 0 &&
		    ps->t[ps->i - 1].t == T_RBRACE && ps->t[ps->i - 1].depth == 0)
			return;
		take(ps);
	}
}

enum rc_err rc_parse(struct rc_policy *p, const struct token *toks, int n, struct rc_diags *d)
{
	struct parser ps = {.p = p, .a = &p->arena, .t = toks, .n = n, .d = d};
	static const struct {
		const char *kw;
		enum rc_kind k;
	} items[] = {{"category", RC_K_CATEGORY},
		     {"situation", RC_K_SITUATION},
		     {"condition", RC_K_CONDITION},
		     {"exclusion", RC_K_EXCLUSION},
		     {"principle", RC_K_PRINCIPLE}};

	while (cur(&ps)->t != T_EOF) {
		skip_seps(&ps);
		const struct token *k = cur(&ps);
		if (k->t == T_EOF)
			break;
		int r = -2;
		if (k->t == T_IDENT) {
			if (!ps.seen_policy && !is_kw(k, "policy")) {
				PERR(&ps, k, "a policy file starts with 'policy NAME { ... }'");
				ps.seen_policy = 1; /* report once */
			}
			if (is_kw(k, "policy"))
				r = (take(&ps), parse_policy(&ps, k));
			else if (is_kw(k, "fact"))
				r = (take(&ps), parse_fact(&ps, k, 0));
			else if (is_kw(k, "standard"))
				r = (take(&ps), parse_fact(&ps, k, 1));
			else if (is_kw(k, "outcome"))
				r = (take(&ps), parse_outcome(&ps, k));
			else if (is_kw(k, "rule"))
				r = (take(&ps), parse_rule(&ps, k));
			else if (is_kw(k, "impact"))
				r = (take(&ps), parse_impact(&ps, k));
			else if (is_kw(k, "procedure"))
				r = (take(&ps), parse_procedure(&ps, k));
			else if (is_kw(k, "test"))
				r = (take(&ps), parse_test(&ps, k));
			else
				for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
					if (is_kw(k, items[i].kw)) {
						take(&ps);
						r = parse_item(&ps, k, items[i].k);
						break;
					}
		}
		if (r == -2) {
			char got[96];
			describe(k, got, sizeof(got));
			PERR(&ps, k,
			     "expected an item (fact, standard, category, situation, "
			     "condition, exclusion, principle, outcome, rule, impact, "
			     "procedure, test), found %s",
			     got);
			take(&ps);
		}
		if (r != 0)
			sync_top(&ps);
	}
	if (!ps.seen_policy)
		PERR(&ps, cur(&ps), "a policy file starts with 'policy NAME { ... }'; none found");
	return ps.failed ? RC_ERR_SYNTAX : RC_OK;
}
