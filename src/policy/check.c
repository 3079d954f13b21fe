/*
 * check.c -- static analysis of a compiled policy (`rongcuo policy check`).
 *
 * The central question is whether two rules of the same priority that
 * recommend different outcomes can both apply.  That is satisfiability, and
 * it is answered by search: facts are assigned one at a time and the real
 * compiled program is run on the partial assignment.  Kleene logic is
 * monotone -- once a condition is false with some facts unknown it stays
 * false whatever they turn out to be -- so a branch is pruned as soon as a
 * goal is false.  A found assignment is printed as the witness; a search
 * that runs out of budget says so instead of claiming a proof.
 */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "policy/policy_int.h"

/* Work is counted in program instructions, so a long program gets fewer
 * evaluations: one question at most SEARCH_INSNS, the whole check at most
 * CHECK_INSNS (a few seconds).  A question not decided within its share is
 * reported as such, never as proved. */
#define SEARCH_INSNS 50000000L
#define CHECK_INSNS  3000000000L

struct goal {
	int reg;
	enum rc_truth want;
};

struct search {
	const struct rc_policy *p;
	int64_t *val;
	uint8_t *known;
	uint8_t *regs;
	const struct goal *goals;
	int n_goals;
	int *vars; /* slots to assign, in order */
	int n_vars;
	long budget;
	struct goal *goal_buf; /* room for every rule plus two */
	/* Facts tested with known() come first in vars: known() is the one
	 * non-monotone test (false while the fact is unknown, true once it is
	 * given), so these facts are decided first -- given a value, or
	 * `frozen` as unknown -- and only then may a false goal prune. */
	int n_kvars, kdone;
	uint8_t *frozen;
	int incomplete;    /* branched on a fact whose values were not all tried */
	long per_question; /* evaluations one question may use */
	long total_left;   /* evaluations the whole check may still use */
	int stopped;
};

static void search_close(struct search *s)
{
	free(s->val);
	free(s->known);
	free(s->regs);
	free(s->vars);
	free(s->goal_buf);
	free(s->frozen);
}

/* Buffers for searching p; the variables are the used facts that `known`
 * (may be NULL: none) leaves unknown.  RC_ERR_NOMEM, with nothing to free. */
static enum rc_err search_open(struct search *s, const struct rc_policy *p, const uint8_t *known)
{
	memset(s, 0, sizeof(*s));
	s->p = p;
	s->val = calloc((size_t)p->n_slots + 1, sizeof(int64_t));
	s->known = calloc((size_t)p->n_slots + 1, 1);
	s->regs = calloc((size_t)p->n_regs + 1, 1);
	s->vars = calloc((size_t)p->n_slots + 1, sizeof(int));
	s->goal_buf = calloc((size_t)p->n_rules + 2, sizeof(*s->goal_buf));
	s->frozen = calloc((size_t)p->n_slots + 1, 1);
	if (!s->val || !s->known || !s->regs || !s->vars || !s->goal_buf || !s->frozen) {
		search_close(s);
		return RC_ERR_NOMEM;
	}
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < p->n_slots; i++)
			if (p->facts[i].used && !(known && known[i]) &&
			    p->facts[i].in_known == !pass)
				s->vars[s->n_vars++] = i;
	for (int i = 0; i < s->n_vars && p->facts[s->vars[i]].in_known; i++)
		s->n_kvars++;
	long cost = p->n_code + 1;
	s->per_question = SEARCH_INSNS / cost;
	s->total_left = CHECK_INSNS / cost;
	return RC_OK;
}

/* 1 all goals met, 0 some goal failed for good, -1 still open */
static int goals_state(const struct search *s)
{
	int open = 0;
	for (int i = 0; i < s->n_goals; i++) {
		uint8_t v = s->regs[s->goals[i].reg];
		if (v == RC_UNKNOWN)
			open = 1;
		else if (v != s->goals[i].want)
			return 0;
	}
	return open ? -1 : 1;
}

static int run_search_from(struct search *s, const struct goal *goals, int n);

static int n_candidates(const struct fact *f)
{
	switch (f->type) {
	case RC_FT_BOOL: return 2;
	case RC_FT_ENUM: return f->n_values;
	case RC_FT_INT:
	case RC_FT_DATE: return f->n_probes;
	case RC_FT_TEXT: return 1;
	}
	return 0;
}

static int candidate(const struct fact *f, int i, int64_t *v)
{
	switch (f->type) {
	case RC_FT_BOOL: *v = i; return 1;
	case RC_FT_ENUM: *v = i; return i != f->unknown_grade;
	case RC_FT_INT:
	case RC_FT_DATE: *v = f->probes[i]; return 1;
	case RC_FT_TEXT: *v = 0; return 1;
	}
	return 0;
}

/* Pick the next fact to branch on: the first unassigned one for which some
 * value settles an open goal (makes it true or false).  Facts that touch no
 * open goal are never branched on, which keeps the search to the facts that
 * matter for the question instead of every fact of the policy. */
static int pick(struct search *s, uint8_t *before)
{
	const struct rc_policy *p = s->p;
	int fallback = -1;
	for (int g = 0; g < s->n_goals; g++)
		before[g] = s->regs[s->goals[g].reg];
	for (int d = 0; d < s->n_vars; d++) {
		int slot = s->vars[d];
		if (s->known[slot] || s->frozen[slot])
			continue;
		if (fallback < 0)
			fallback = slot;
		const struct fact *f = &p->facts[slot];
		for (int i = 0; i < n_candidates(f); i++) {
			int64_t v;
			if (!candidate(f, i, &v))
				continue;
			s->val[slot] = v;
			s->known[slot] = 1;
			rc_eval_regs(p, s->val, s->known, s->regs);
			s->budget--;
			s->known[slot] = 0;
			s->val[slot] = 0;
			for (int g = 0; g < s->n_goals; g++)
				if (before[g] == RC_UNKNOWN &&
				    s->regs[s->goals[g].reg] != RC_UNKNOWN)
					return slot;
		}
		if (s->budget < 0)
			return -2;
	}
	return fallback;
}

/* Depth-first search; returns 1 found, 0 impossible, -1 budget spent.
 * Kleene logic is monotone, so a partial assignment that meets every goal
 * is a witness as it stands, and leaving a fact unknown never needs its
 * own branch. */
static int dfs(struct search *s)
{
	uint8_t before[RC_MAX_ITEMS + 2];
	if (--s->budget < 0)
		return -1;
	if (s->kdone < s->n_kvars) {
		/* decide the next known()-tested fact: unknown, or each value */
		int slot = s->vars[s->kdone++];
		const struct fact *f = &s->p->facts[slot];
		s->incomplete |= f->probes_truncated;
		s->frozen[slot] = 1;
		int r = dfs(s);
		if (r != 0)
			return r;
		s->frozen[slot] = 0;
		for (int i = 0; i < n_candidates(f); i++) {
			int64_t v;
			if (!candidate(f, i, &v))
				continue;
			s->val[slot] = v;
			s->known[slot] = 1;
			r = dfs(s);
			if (r != 0)
				return r;
			s->known[slot] = 0;
			s->val[slot] = 0;
		}
		s->kdone--;
		return 0;
	}
	rc_eval_regs(s->p, s->val, s->known, s->regs);
	int st = goals_state(s);
	if (st >= 0)
		return st;
	int slot = pick(s, before);
	if (slot == -2)
		return -1;
	if (slot < 0)
		return 0;
	const struct fact *f = &s->p->facts[slot];
	s->incomplete |= f->probes_truncated;
	for (int i = 0; i < n_candidates(f); i++) {
		int64_t v;
		if (!candidate(f, i, &v))
			continue;
		s->val[slot] = v;
		s->known[slot] = 1;
		int r = dfs(s);
		if (r != 0)
			return r; /* keep the assignment: it is the witness */
		s->known[slot] = 0;
		s->val[slot] = 0;
	}
	return 0;
}

static int run_search(struct search *s, const struct goal *goals, int n)
{
	memset(s->val, 0, (size_t)s->p->n_slots * sizeof(int64_t));
	memset(s->known, 0, (size_t)s->p->n_slots);
	return run_search_from(s, goals, n);
}

/* Search from the facts already in s->val/s->known. */
static int run_search_from(struct search *s, const struct goal *goals, int n)
{
	s->goals = goals;
	s->n_goals = n;
	s->budget = s->per_question < s->total_left ? s->per_question : s->total_left;
	long start = s->budget;
	s->kdone = 0;
	s->incomplete = 0;
	memset(s->frozen, 0, (size_t)s->p->n_slots);
	int r = dfs(s);
	s->total_left -= start - (s->budget > 0 ? s->budget : 0);
	if (r == 0 && s->incomplete)
		return -1; /* "impossible" was not proved: not every value was tried */
	if (r != 1)
		return r;
	/* Shrink the witness: drop every assigned fact the goals do not need
	 * (greedy; each removal is checked by evaluating again). */
	for (int d = 0; d < s->n_vars; d++) {
		int slot = s->vars[d];
		if (!s->known[slot])
			continue;
		int64_t v = s->val[slot];
		s->known[slot] = 0;
		s->val[slot] = 0;
		rc_eval_regs(s->p, s->val, s->known, s->regs);
		if (goals_state(s) != 1) {
			s->known[slot] = 1;
			s->val[slot] = v;
		}
	}
	return 1;
}

static void format_witness(const struct search *s, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int i = 0; i < s->p->n_slots && off + 1 < len; i++) {
		const struct fact *f = &s->p->facts[i];
		char v[64];
		if (!s->known[i]) {
			/* a known()-tested fact the witness needs unknown */
			if (s->frozen[i])
				off += (size_t)snprintf(buf + off, len - off, "%s%s unknown",
							off ? ", " : "", f->name);
			continue;
		}
		switch (f->type) {
		case RC_FT_BOOL: snprintf(v, sizeof(v), "%s", s->val[i] ? "true" : "false"); break;
		case RC_FT_ENUM: snprintf(v, sizeof(v), "%s", f->values[s->val[i]]); break;
		case RC_FT_DATE: rc_date_format((int32_t)s->val[i], v); break;
		case RC_FT_TEXT: snprintf(v, sizeof(v), "\"...\""); break;
		default: snprintf(v, sizeof(v), "%lld", (long long)s->val[i]);
		}
		off += (size_t)snprintf(buf + off, len - off, "%s%s = %s", off ? ", " : "", f->name,
					v);
	}
	if (!off)
		snprintf(buf, len, "(whatever the facts)");
}

/* The outcomes that can still be recommended for a case with unknown
 * facts: a rule's band counts when some answers to the unknown facts make
 * that rule true and every rule of higher priority false.  Plain Kleene
 * evaluation cannot see that two rules exclude each other (a rule for
 * "tolerable and good findings" and one for "tolerable and not good
 * findings"), so without this search an impossible fallback would be
 * offered as a candidate. */
uint64_t rc_policy_candidates(const struct rc_policy *p, const struct rc_facts *f,
			      const struct rc_result *r)
{
	struct search s;
	uint64_t band = 0;

	if (r->state == RC_OUTCOME_DETERMINED)
		return r->band;
	if (search_open(&s, p, f->known))
		return r->band; /* fall back to the conservative answer */
	struct goal *goals = s.goal_buf;
	for (int l = 0; l < p->n_levels; l++) {
		const struct level *lv = &p->levels[l];
		for (int i = 0; i < lv->count; i++) {
			const struct rule *ru = &p->rules[p->rule_order[lv->first + i]];
			if (r->regs[ru->reg] == RC_FALSE || (band & ru->band) == ru->band)
				continue;
			int n = 0;
			goals[n++] = (struct goal){ru->reg, RC_TRUE};
			for (int h = 0; h < lv->first; h++)
				goals[n++] =
				    (struct goal){p->rules[p->rule_order[h]].reg, RC_FALSE};
			memcpy(s.val, f->val, (size_t)p->n_slots * sizeof(int64_t));
			memcpy(s.known, f->known, (size_t)p->n_slots);
			if (run_search_from(&s, goals, n) != 0) /* found, or could not rule out */
				band |= ru->band;
		}
	}
	search_close(&s);
	return band;
}

/* The searches stop when the whole check's budget is spent or the list of
 * diagnostics is full (say so once); the cheap checks below still run. */
static int stop_now(struct search *s, struct rc_diags *d)
{
	/* keep the last place in the list for saying that the search stopped */
	if (s->total_left > 0 && d->count < RC_DIAG_MAX - 1)
		return 0;
	if (!s->stopped) {
		if (s->total_left <= 0)
			rc_diag_add(d, RC_SEV_WARNING, 0, 0,
				    "the search for conflicting and unreachable rules stopped: its "
				    "budget is spent; the questions left were not decided");
		else
			rc_diag_add(
			    d, RC_SEV_WARNING, 0, 0,
			    "the search for conflicting and unreachable rules stopped after "
			    "%d diagnostics; fix these and check again",
			    d->count);
	}
	s->stopped = 1;
	return 1;
}

static int has_prov(const struct prov *pv)
{
	return pv->status != RC_STATUS_NONE && pv->source;
}

static void warn_prov(struct rc_diags *d, const struct prov *pv, const char *kind, const char *name,
		      int line, int col)
{
	if (pv->status == RC_STATUS_NONE)
		rc_diag_add(d, RC_SEV_WARNING, line, col,
			    "%s '%s' has no 'status' (SEED, CONFIRMED, TYPICAL or UNKNOWN)", kind,
			    name);
	else if (!pv->source)
		rc_diag_add(d, RC_SEV_WARNING, line, col, "%s '%s' has no 'source'", kind, name);
}

enum rc_err rc_policy_check(const struct rc_policy *p, struct rc_diags *d)
{
	enum rc_err e = RC_OK;
	struct search s;
	char wit[512];

	if (search_open(&s, p, NULL))
		return RC_ERR_NOMEM;
	struct goal *goals = s.goal_buf;

	/* 1. Same-priority rules with different bands must never both apply. */
	for (int l = 0; l < p->n_levels; l++) {
		const struct level *lv = &p->levels[l];
		for (int i = 0; i < lv->count; i++)
			for (int j = i + 1; j < lv->count; j++) {
				if (stop_now(&s, d))
					goto searched;
				const struct rule *a = &p->rules[p->rule_order[lv->first + i]];
				const struct rule *b = &p->rules[p->rule_order[lv->first + j]];
				if (a->band == b->band)
					continue;
				struct goal g[2] = {{a->reg, RC_TRUE}, {b->reg, RC_TRUE}};
				int r = run_search(&s, g, 2);
				if (r == 1) {
					format_witness(&s, wit, sizeof(wit));
					rc_diag_add(
					    d, RC_SEV_ERROR, b->line, b->col,
					    "rules '%s' (line %d) and '%s' have the same priority "
					    "%d, "
					    "recommend different outcomes, and both apply when %s; "
					    "give one a higher priority or make their conditions "
					    "exclusive",
					    a->name, a->line, b->name, a->priority, wit);
					e = RC_ERR_CONFLICT;
				} else if (r < 0) {
					rc_diag_add(d, RC_SEV_WARNING, b->line, b->col,
						    "could not prove within the search budget that "
						    "rules '%s' and '%s' (same priority, different "
						    "outcomes) never both apply",
						    a->name, b->name);
				}
			}
	}

	/* 2. Every rule should be able to decide: true while every rule of a
	 * higher priority is false. */
	for (int l = 0; l < p->n_levels; l++) {
		const struct level *lv = &p->levels[l];
		for (int i = 0; i < lv->count; i++) {
			if (stop_now(&s, d))
				goto searched;
			const struct rule *ru = &p->rules[p->rule_order[lv->first + i]];
			int n = 0;
			goals[n++] = (struct goal){ru->reg, RC_TRUE};
			int r = run_search(&s, goals, n);
			if (r == 0) {
				rc_diag_add(
				    d, RC_SEV_WARNING, ru->line, ru->col,
				    "rule '%s' can never apply: its condition is never true",
				    ru->name);
				continue;
			}
			for (int h = 0; h < lv->first; h++)
				goals[n++] =
				    (struct goal){p->rules[p->rule_order[h]].reg, RC_FALSE};
			r = run_search(&s, goals, n);
			if (r == 0)
				rc_diag_add(
				    d, RC_SEV_WARNING, ru->line, ru->col,
				    "rule '%s' is unreachable: whenever it applies, a rule of "
				    "higher priority applies too",
				    ru->name);
		}
	}

	/* 3. Is some rule certain to apply?  Look for facts under which none
	 * does (all rules false). */
	if (p->n_rules && !stop_now(&s, d)) {
		for (int r = 0; r < p->n_rules; r++)
			goals[r] = (struct goal){p->rules[r].reg, RC_FALSE};
		if (run_search(&s, goals, p->n_rules) == 1) {
			format_witness(&s, wit, sizeof(wit));
			rc_diag_add(
			    d, RC_SEV_WARNING, 0, 0,
			    "no rule applies when %s; add a fallback rule 'when true' at the "
			    "lowest priority",
			    wit);
		}
	} else if (!p->n_rules) {
		rc_diag_add(d, RC_SEV_WARNING, 0, 0,
			    "the policy has no rules; no outcome can be recommended");
	}

	/* 4. Situations, conditions and exclusions that can never be true. */
	for (int k = RC_K_SITUATION; k <= RC_K_EXCLUSION; k++)
		for (int i = 0; i < p->n_items[k]; i++) {
			const struct item *it = &p->items[k][i];
			if (k == RC_K_EXCLUSION && !it->enabled) {
				rc_diag_add(d, RC_SEV_NOTE, it->line, it->col,
					    "exclusion '%s' is disabled (enabled false)", it->name);
				continue;
			}
			if (stop_now(&s, d))
				goto searched;
			struct goal g = {it->reg, RC_TRUE};
			if (run_search(&s, &g, 1) == 0)
				rc_diag_add(d, RC_SEV_WARNING, it->line, it->col,
					    "%s '%s' can never be true",
					    rc_kind_name((enum rc_kind)k), it->name);
		}

searched:
	/* 5. Unused facts and outcomes; unreachable steps; provenance. */
	for (int i = 0; i < p->n_slots; i++) {
		const struct fact *f = &p->facts[i];
		if (!f->used && !f->record && f->type != RC_FT_TEXT)
			rc_diag_add(
			    d, RC_SEV_WARNING, f->line, f->col,
			    "%s '%s' is declared but no condition uses it (mark it 'record true' "
			    "if it is kept only for the case file)",
			    f->is_standard ? "standard" : "fact", f->name);
	}
	for (int o = 0; o < p->n_outcomes; o++)
		if (!p->outcomes[o].used)
			rc_diag_add(d, RC_SEV_WARNING, p->outcomes[o].line, p->outcomes[o].col,
				    "outcome '%s' is recommended by no rule", p->outcomes[o].name);
	if (p->n_steps) {
		uint8_t *seen = calloc((size_t)p->n_steps, 1);
		int *stack = calloc((size_t)p->n_steps + 1, sizeof(int));
		if (!seen || !stack) {
			free(seen);
			free(stack);
			e = RC_ERR_NOMEM;
			goto out;
		}
		int sp = 0;
		stack[sp++] = 0;
		seen[0] = 1;
		while (sp) {
			const struct step *st = &p->steps[stack[--sp]];
			for (int n = 0; n < st->n_next; n++)
				if (st->next[n] >= 0 && !seen[st->next[n]]) {
					seen[st->next[n]] = 1;
					stack[sp++] = st->next[n];
				}
		}
		for (int i = 0; i < p->n_steps; i++)
			if (!seen[i])
				rc_diag_add(d, RC_SEV_WARNING, p->steps[i].line, p->steps[i].col,
					    "step '%s' cannot be reached from the first step '%s'",
					    p->steps[i].name, p->steps[0].name);
		free(seen);
		free(stack);
	}
	if (!has_prov(&p->prov))
		warn_prov(d, &p->prov, "policy", p->series, 1, 1);
	for (int i = 0; i < p->n_slots; i++)
		if (p->facts[i].is_standard && !has_prov(&p->facts[i].prov))
			warn_prov(d, &p->facts[i].prov, "standard", p->facts[i].name,
				  p->facts[i].line, p->facts[i].col);
	for (int k = RC_K_CATEGORY; k <= RC_K_PRINCIPLE; k++)
		for (int i = 0; i < p->n_items[k]; i++)
			if (!has_prov(&p->items[k][i].prov))
				warn_prov(d, &p->items[k][i].prov, rc_kind_name((enum rc_kind)k),
					  p->items[k][i].name, p->items[k][i].line,
					  p->items[k][i].col);
	for (int i = 0; i < p->n_outcomes; i++)
		if (!has_prov(&p->outcomes[i].prov))
			warn_prov(d, &p->outcomes[i].prov, "outcome", p->outcomes[i].name,
				  p->outcomes[i].line, p->outcomes[i].col);
	for (int i = 0; i < p->n_rules; i++)
		if (!has_prov(&p->rules[i].prov))
			warn_prov(d, &p->rules[i].prov, "rule", p->rules[i].name, p->rules[i].line,
				  p->rules[i].col);
	for (int i = 0; i < p->n_impacts; i++)
		if (!has_prov(&p->impacts[i].prov))
			warn_prov(d, &p->impacts[i].prov, "impact table", p->impacts[i].name,
				  p->impacts[i].line, p->impacts[i].col);
	for (int i = 0; i < p->n_steps; i++)
		if (!has_prov(&p->steps[i].prov) && !has_prov(&p->proc_prov))
			warn_prov(d, &p->steps[i].prov, "step", p->steps[i].name, p->steps[i].line,
				  p->steps[i].col);
out:
	search_close(&s);
	return e;
}

static void list_one(FILE *out, const struct prov *pv, const char *kind, const char *name,
		     const char *title)
{
	if (pv->status != RC_STATUS_TYPICAL && pv->status != RC_STATUS_UNKNOWN)
		return;
	fprintf(out, "%-8s %-10s %s", rc_status_name(pv->status), kind, name);
	if (title && strcmp(title, name) != 0)
		fprintf(out, "  「%s」", title);
	if (pv->source)
		fprintf(out, "  来源: %s", pv->source);
	fputc('\n', out);
}

void rc_policy_list_provisional(const struct rc_policy *p, FILE *out)
{
	list_one(out, &p->prov, "policy", p->series, p->title);
	for (int i = 0; i < p->n_slots; i++)
		list_one(out, &p->facts[i].prov, p->facts[i].is_standard ? "standard" : "fact",
			 p->facts[i].name, p->facts[i].label);
	for (int k = RC_K_CATEGORY; k <= RC_K_PRINCIPLE; k++)
		for (int i = 0; i < p->n_items[k]; i++)
			list_one(out, &p->items[k][i].prov, rc_kind_name((enum rc_kind)k),
				 p->items[k][i].name, p->items[k][i].title);
	for (int i = 0; i < p->n_outcomes; i++)
		list_one(out, &p->outcomes[i].prov, "outcome", p->outcomes[i].name,
			 p->outcomes[i].title);
	for (int i = 0; i < p->n_rules; i++)
		list_one(out, &p->rules[i].prov, "rule", p->rules[i].name, p->rules[i].title);
	for (int i = 0; i < p->n_impacts; i++)
		list_one(out, &p->impacts[i].prov, "impact", p->impacts[i].name,
			 p->impacts[i].title);
	list_one(out, &p->proc_prov, "procedure", "procedure", NULL);
	for (int i = 0; i < p->n_steps; i++)
		list_one(out, &p->steps[i].prov, "step", p->steps[i].name, p->steps[i].title);
	for (int i = 0; i < p->n_params; i++)
		list_one(out, &p->params[i].prov, "parameter", p->params[i].name, NULL);
}
