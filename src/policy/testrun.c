/*
 * testrun.c -- run the tests written inside a policy (`rongcuo policy test`).
 *
 * A policy carries its own examples (facts -> expected result), so that an
 * administrator who edits a rule sees at once which agreed cases changed.
 */
#include <string.h>

#include "core/date.h"
#include "policy/policy_int.h"

static const char *truth_name(enum rc_truth t)
{
	return t == RC_TRUE ? "true" : t == RC_FALSE ? "false" : "unknown";
}

static int set_given(struct rc_facts *f, const struct given *g, char *why, size_t len)
{
	const struct fact *fa = &f->p->facts[g->slot];
	enum rc_err e = RC_OK;
	if (g->v.k == L_UNKNOWN)
		return rc_facts_set_unknown(f, g->slot) ? -1 : 0;
	switch (fa->type) {
	case RC_FT_BOOL:
		if (g->v.k != L_BOOL)
			goto wrong;
		e = rc_facts_set_bool(f, g->slot, (int)g->v.i);
		break;
	case RC_FT_INT:
		if (g->v.k != L_INT)
			goto wrong;
		e = rc_facts_set_int(f, g->slot, g->v.i);
		break;
	case RC_FT_DATE:
		if (g->v.k != L_DATE)
			goto wrong;
		e = rc_facts_set_date(f, g->slot, (int32_t)g->v.i);
		break;
	case RC_FT_TEXT:
		if (g->v.k != L_STRING)
			goto wrong;
		e = rc_facts_set_text(f, g->slot, g->v.s, strlen(g->v.s));
		break;
	case RC_FT_ENUM:
		if (g->v.k != L_IDENT)
			goto wrong;
		e = RC_ERR_RANGE;
		for (int i = 0; i < fa->n_values; i++)
			if (strcmp(fa->values[i], g->v.s) == 0)
				e = rc_facts_set_enum(f, g->slot, i);
		break;
	}
	if (e) {
		snprintf(why, len, "value for '%s' is out of range or not one of its values",
			 fa->name);
		return -1;
	}
	return 0;
wrong:
	rc_policy_slot_describe(f->p, g->slot, why, len);
	{
		char want[400];
		snprintf(want, sizeof(want), "%s", why);
		snprintf(why, len, "'%s' takes %s", fa->name, want);
	}
	return -1;
}

static int run_one(const struct rc_policy *p, const struct test *t, struct rc_facts *f,
		   struct rc_result *r, struct rc_result *scratch, FILE *out)
{
	int failed = 0;
	char why[512], a[256], b[256];
	int decisive[512];
	int n_dec = -1;

	rc_facts_clear(f);
	if (t->has_conduct && (t->conduct < p->effective || t->conduct > p->until)) {
		rc_date_format(t->conduct, a);
		fprintf(out,
			"%s:%d: test \"%s\": conduct date %s is outside this version's "
			"effective period\n",
			p->file, t->line, t->name, a);
		return 1;
	}
	for (int i = 0; i < t->n_given; i++) {
		if (set_given(f, &t->given[i], why, sizeof(why))) {
			fprintf(out, "%s:%d: test \"%s\": %s\n", p->file, t->given[i].line, t->name,
				why);
			return 1;
		}
	}
	enum rc_err e = rc_policy_eval(p, f, r, RC_EVAL_TRACE);
	for (int i = 0; i < t->n_expects; i++) {
		const struct expect *x = &t->expects[i];
		int ok = 1;
		why[0] = '\0';
		switch (x->k) {
		case X_TRUTH: {
			enum rc_truth got = x->builtin == 1   ? rc_result_tolerable(r)
					    : x->builtin == 2 ? rc_result_excluded(r)
							      : rc_result_item(r, x->rk, x->ri);
			if (got != x->want) {
				ok = 0;
				snprintf(why, sizeof(why), "expected %s '%s' to be %s, it is %s",
					 x->builtin ? "" : rc_kind_name(x->rk), x->name,
					 truth_name(x->want), truth_name(got));
			}
			break;
		}
		case X_OUTCOME:
			if (e || r->state != RC_OUTCOME_DETERMINED || r->band != x->band) {
				ok = 0;
				rc_band_text(p, x->band, 0, " | ", "(none)", a, sizeof(a));
				rc_band_text(p, r->band, 0, " | ", "(none)", b, sizeof(b));
				snprintf(why, sizeof(why), "expected outcome %s, got %s%s", a,
					 r->state == RC_OUTCOME_DETERMINED ? ""
					 : r->state == RC_OUTCOME_CONFLICT
					     ? "a conflict between "
					     : "undetermined, candidates ",
					 b);
			}
			break;
		case X_UNDETERMINED:
			if (r->state != RC_OUTCOME_UNDETERMINED) {
				ok = 0;
				rc_band_text(p, r->band, 0, " | ", "(none)", b, sizeof(b));
				snprintf(why, sizeof(why),
					 "expected the outcome undetermined, got %s", b);
			}
			break;
		case X_CONFLICT:
			if (e != RC_ERR_CONFLICT) {
				ok = 0;
				snprintf(why, sizeof(why),
					 "expected a rule conflict, there is none");
			}
			break;
		case X_BLOCKED: {
			enum rc_truth got = rc_result_blocked(r, x->ri, x->ri2);
			if (got != RC_TRUE) {
				ok = 0;
				snprintf(why, sizeof(why),
					 "expected situation '%s' blocked by exclusion "
					 "'%s'; blocked is %s",
					 x->name, x->name2, truth_name(got));
			}
			break;
		}
		case X_DECISIVE: {
			if (n_dec < 0)
				n_dec = rc_policy_decisive(p, f, r, scratch, decisive, 512);
			int found = 0;
			for (int j = 0; j < n_dec && j < 512; j++)
				found |= decisive[j] == x->ri;
			if (found == x->negate) {
				ok = 0;
				snprintf(why, sizeof(why),
					 "expected '%s' %sto be a decisive unknown fact", x->name,
					 x->negate ? "not " : "");
			}
			break;
		}
		}
		if (!ok) {
			fprintf(out, "%s:%d: test \"%s\": %s\n", p->file, x->line, t->name, why);
			failed = 1;
		}
	}
	return failed;
}

enum rc_err rc_policy_run_tests(const struct rc_policy *p, FILE *out, int *n_run, int *n_failed)
{
	struct rc_facts *f = NULL;
	struct rc_result *r = NULL, *scratch = NULL;
	enum rc_err e;
	*n_run = *n_failed = 0;
	if ((e = rc_facts_new(p, &f)) || (e = rc_result_new(p, &r)) ||
	    (e = rc_result_new(p, &scratch)))
		goto out;
	for (int i = 0; i < p->n_tests; i++) {
		(*n_run)++;
		if (run_one(p, &p->tests[i], f, r, scratch, out))
			(*n_failed)++;
	}
	fprintf(out, "%s: %d passed, %d failed\n", p->file, *n_run - *n_failed, *n_failed);
	e = *n_failed ? RC_ERR_TEST : RC_OK;
out:
	rc_facts_free(f);
	rc_result_free(r);
	rc_result_free(scratch);
	return e;
}
