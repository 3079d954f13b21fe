/*
 * bench_eval.c -- the evaluation benchmark (bench/README.md).
 *
 *   bench_eval [--policy FILE] [--n N] [--check N] [--reps R]
 *              [--jre-out FILE --jre-n K]
 *
 * 1. Compile the policy once (rc_policy_load).
 * 2. Draw N fact sets with a fixed seed (gen.c) and load each into its own
 *    struct rc_facts, before any timing: what is timed is rc_policy_eval
 *    alone, over N distinct fact sets in memory, never their generation.
 * 3. Cross-check, before timing: on the first --check sets the hand-written
 *    C (handwritten.c) must give exactly the engine's values for every
 *    situation, category, condition, exclusion, rule, blocked pair,
 *    tolerable, excluded, and the outcome (state, band, rule).
 * 4. Write the first K sets, with the engine's results, as JSON lines for
 *    bench/jre/bench.js; each line is read back through rc_facts_read_json
 *    and must evaluate to the same result.
 * 5. Time, R times each (interleaved), over all N sets: the engine without
 *    trace, with RC_EVAL_TRACE, and the hand-written C; report the best.
 *    Then, as detail, the engine and the hand-written C on the first 1,000
 *    sets cycled (data in cache).
 *
 * Exit status: 0 whatever the timings; 1 on a cross-check mismatch; 2 on a
 * usage, load or memory error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/diag.h"
#include "gen.h"
#include "handwritten.h"
#include "policy/policy.h"

/* Fixed: the same fact sets on every run and machine.  p_known averages
 * 0.85; p_true spans the whole range (see gen.h). */
static const struct bench_gen_params GEN = {0x7A6A2023C0DEull, 0.70, 1.00, 0.00, 1.00};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *truth_name(unsigned t)
{
	return t == RC_TRUE ? "true" : t == RC_FALSE ? "false" : "unknown";
}

static const char *state_name(enum rc_outcome_state s)
{
	return s == RC_OUTCOME_DETERMINED     ? "determined"
	       : s == RC_OUTCOME_UNDETERMINED ? "undetermined"
					      : "conflict";
}

static void print_band(const struct rc_policy *p, uint64_t band, FILE *out)
{
	int first = 1;
	for (int o = 0; o < rc_policy_count(p, RC_K_OUTCOME); o++)
		if (band & ((uint64_t)1 << o)) {
			fprintf(out, "%s%s", first ? "" : "|",
				rc_policy_item_name(p, RC_K_OUTCOME, o));
			first = 0;
		}
	if (first)
		fputs("(none)", out);
}

static int parse_count(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* ---- cross-check: hand-written vs engine ------------------------------ */

struct mismatch_ctx {
	const struct rc_policy *p;
	const struct bench_schema *sc;
	const struct bench_sets *sets;
	int set;
	int count;
};

static void mismatch(struct mismatch_ctx *m, const char *what, const char *name, const char *engine,
		     const char *hand)
{
	if (m->count++ < 10) {
		fprintf(stderr,
			"MISMATCH set %d: %s%s%s: engine %s, hand-written %s\n  facts: ", m->set,
			what, name ? " " : "", name ? name : "", engine, hand);
		bench_write_json(m->sc, m->sets, m->set, stderr);
		fputc('\n', stderr);
	}
}

static void cmp_truth(struct mismatch_ctx *m, const char *what, const char *name, unsigned engine,
		      unsigned hand)
{
	if (engine != hand)
		mismatch(m, what, name, truth_name(engine), truth_name(hand));
}

static void cross_check_one(struct mismatch_ctx *m, const struct rc_result *r, enum rc_err e,
			    const struct hw_result *o)
{
	const struct rc_policy *p = m->p;
	for (int i = 0; i < HS__COUNT; i++)
		cmp_truth(m, "situation", hw_situation_name[i],
			  rc_result_item(r, RC_K_SITUATION, i), o->situation[i]);
	for (int i = 0; i < HC__COUNT; i++)
		cmp_truth(m, "category", hw_category_name[i], rc_result_item(r, RC_K_CATEGORY, i),
			  o->category[i]);
	for (int i = 0; i < HK__COUNT; i++)
		cmp_truth(m, "condition", hw_condition_name[i],
			  rc_result_item(r, RC_K_CONDITION, i), o->condition[i]);
	for (int i = 0; i < HE__COUNT; i++)
		cmp_truth(m, "exclusion", hw_exclusion_name[i],
			  rc_result_item(r, RC_K_EXCLUSION, i), o->exclusion[i]);
	for (int i = 0; i < HR__COUNT; i++)
		cmp_truth(m, "rule", hw_rule_name[i], rc_result_item(r, RC_K_RULE, i), o->rule[i]);
	for (int s = 0; s < HS__COUNT; s++)
		for (int x = 0; x < HE__COUNT; x++)
			if (rc_result_blocked(r, s, x) != hw_blocked(o, s, x)) {
				char name[512];
				snprintf(name, sizeof(name), "%s by %s", hw_situation_name[s],
					 hw_exclusion_name[x]);
				cmp_truth(m, "blocked", name, rc_result_blocked(r, s, x),
					  hw_blocked(o, s, x));
			}
	cmp_truth(m, "tolerable", NULL, rc_result_tolerable(r), o->tolerable);
	cmp_truth(m, "excluded", NULL, rc_result_excluded(r), o->excluded);
	if (e != RC_OK && e != RC_ERR_CONFLICT)
		mismatch(m, "eval returned", rc_strerror(e), "an error", "-");
	if (rc_result_outcome_state(r) != o->state)
		mismatch(m, "outcome state", NULL, state_name(rc_result_outcome_state(r)),
			 state_name(o->state));
	if (rc_result_band(r) != o->band) {
		char a[512], b[512];
		FILE *fa = fmemopen(a, sizeof(a), "w"), *fb = fmemopen(b, sizeof(b), "w");
		if (fa && fb) {
			print_band(p, rc_result_band(r), fa);
			print_band(p, o->band, fb);
			fputc('\0', fa);
			fputc('\0', fb);
		}
		if (fa)
			fclose(fa);
		if (fb)
			fclose(fb);
		mismatch(m, "outcome band", NULL, fa ? a : "?", fb ? b : "?");
	}
	if (rc_result_rule(r) != o->rule_applied) {
		int ra = rc_result_rule(r), rb = o->rule_applied;
		mismatch(m, "applied rule", NULL,
			 ra >= 0 ? rc_policy_item_name(p, RC_K_RULE, ra) : "-",
			 rb >= 0 ? rc_policy_item_name(p, RC_K_RULE, rb) : "-");
	}
}

/* Results equal as far as the engine reports them (no trace). */
static int same_result(const struct rc_policy *p, const struct rc_result *a,
		       const struct rc_result *b)
{
	static const enum rc_kind kinds[] = {RC_K_CATEGORY, RC_K_SITUATION, RC_K_CONDITION,
					     RC_K_EXCLUSION, RC_K_RULE};
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (int i = 0; i < rc_policy_count(p, kinds[k]); i++)
			if (rc_result_item(a, kinds[k], i) != rc_result_item(b, kinds[k], i))
				return 0;
	return rc_result_tolerable(a) == rc_result_tolerable(b) &&
	       rc_result_excluded(a) == rc_result_excluded(b) &&
	       rc_result_outcome_state(a) == rc_result_outcome_state(b) &&
	       rc_result_band(a) == rc_result_band(b) && rc_result_rule(a) == rc_result_rule(b);
}

/* One JSON line for bench.js: the facts document and what the engine said. */
static void write_jre_line(FILE *out, const struct rc_policy *p, const char *doc,
			   const struct rc_result *r)
{
	fprintf(out,
		"{\"case\":%s,\"expect\":{\"tolerable\":\"%s\",\"excluded\":\"%s\",\"rules\":{",
		doc, truth_name(rc_result_tolerable(r)), truth_name(rc_result_excluded(r)));
	for (int i = 0; i < rc_policy_count(p, RC_K_RULE); i++)
		fprintf(out, "%s\"%s\":\"%s\"", i ? "," : "", rc_policy_item_name(p, RC_K_RULE, i),
			truth_name(rc_result_item(r, RC_K_RULE, i)));
	fprintf(out, "},\"state\":\"%s\",\"band\":[", state_name(rc_result_outcome_state(r)));
	int first = 1;
	for (int o = 0; o < rc_policy_count(p, RC_K_OUTCOME); o++)
		if (rc_result_band(r) & ((uint64_t)1 << o)) {
			fprintf(out, "%s\"%s\"", first ? "" : ",",
				rc_policy_item_name(p, RC_K_OUTCOME, o));
			first = 0;
		}
	fputs("]}}\n", out);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	const char *policy_path = "policies/zhejiang-2023.rcp", *jre_out = NULL;
	long n = 1000000, n_check = 100000, reps = 5, jre_n = 20000;
	for (int i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = !v;
		if (!bad && strcmp(a, "--policy") == 0)
			policy_path = v;
		else if (!bad && strcmp(a, "--jre-out") == 0)
			jre_out = v;
		else if (!bad && strcmp(a, "--n") == 0)
			bad = parse_count(v, 1, 100000000, &n);
		else if (!bad && strcmp(a, "--check") == 0)
			bad = parse_count(v, 0, 100000000, &n_check);
		else if (!bad && strcmp(a, "--reps") == 0)
			bad = parse_count(v, 1, 1000, &reps);
		else if (!bad && strcmp(a, "--jre-n") == 0)
			bad = parse_count(v, 0, 100000000, &jre_n);
		else
			bad = 1;
		if (bad) {
			fprintf(stderr, "usage: bench_eval [--policy FILE] [--n N] [--check N] "
					"[--reps R] [--jre-out FILE --jre-n K]\n");
			return 2;
		}
	}
	if (n_check > n)
		n_check = n;
	if (jre_n > n)
		jre_n = n;

	/* 1. compile once */
	static struct rc_diags diags;
	struct rc_policy *p = NULL;
	rc_diags_init(&diags, policy_path);
	double t0 = now();
	if (rc_policy_load(policy_path, &diags, &p) != RC_OK) {
		rc_diags_print(&diags, stderr);
		return 2;
	}
	double t_compile = now() - t0;

	/* 2. fact sets */
	struct bench_schema sc;
	struct bench_sets sets;
	struct hw hw;
	if (bench_schema_init(p, &sc) || hw_init(&hw, p, &sc))
		return 2;
	t0 = now();
	if (bench_gen(&sc, &GEN, (int)n, &sets)) {
		fprintf(stderr, "bench: out of memory for %ld fact sets\n", n);
		return 2;
	}
	struct rc_facts **facts = calloc((size_t)n, sizeof(*facts));
	if (!facts) {
		fprintf(stderr, "bench: out of memory\n");
		return 2;
	}
	for (long i = 0; i < n; i++) {
		if (rc_facts_new(p, &facts[i]) != RC_OK) {
			fprintf(stderr, "bench: out of memory at fact set %ld\n", i);
			return 2;
		}
		if (bench_fill(&sc, &sets, (int)i, facts[i]))
			return 2;
	}
	double t_setup = now() - t0;
	struct rc_result *r = NULL, *r2 = NULL;
	struct rc_facts *scratch = NULL;
	if (rc_result_new(p, &r) || rc_result_new(p, &r2) || rc_facts_new(p, &scratch)) {
		fprintf(stderr, "bench: out of memory\n");
		return 2;
	}
	printf("policy %s (%s %s): compiled in %.2f ms; %d fact slots, %d situations, "
	       "%d exclusions, %d rules\n",
	       policy_path, rc_policy_series(p), rc_policy_version(p), t_compile * 1e3,
	       rc_policy_slot_count(p), rc_policy_count(p, RC_K_SITUATION),
	       rc_policy_count(p, RC_K_EXCLUSION), rc_policy_count(p, RC_K_RULE));
	printf("fact sets: %ld (seed 0x%llX; per set p_known in [%.2f, %.2f], p_true in "
	       "[%.2f, %.2f]), loaded into %ld struct rc_facts in %.2f s (not timed)\n",
	       n, (unsigned long long)GEN.seed, GEN.known_lo, GEN.known_hi, GEN.true_lo,
	       GEN.true_hi, n, t_setup);

	/* 3. cross-check */
	struct mismatch_ctx m = {p, &sc, &sets, 0, 0};
	long n_state[3] = {0, 0, 0}, n_tol[3] = {0, 0, 0};
	uint64_t bands[32] = {0};
	long n_band[32] = {0};
	int n_bands = 0;
	for (long i = 0; i < n_check; i++) {
		struct hw_result o = {0};
		enum rc_err e = rc_policy_eval(p, facts[i], r, RC_EVAL_TRACE);
		hw_eval(&hw, sets.val + (size_t)i * (size_t)sets.n_slots,
			sets.known + (size_t)i * (size_t)sets.n_slots, &o);
		m.set = (int)i;
		cross_check_one(&m, r, e, &o);
		/* and the untraced evaluation gives the same results */
		rc_policy_eval(p, facts[i], r2, 0);
		if (!same_result(p, r, r2))
			mismatch(&m, "engine with trace vs without", NULL, "differ", "-");
		n_state[rc_result_outcome_state(r)]++;
		n_tol[rc_result_tolerable(r)]++;
		int b;
		for (b = 0; b < n_bands && bands[b] != rc_result_band(r); b++)
			;
		if (b == n_bands && n_bands < 32)
			bands[n_bands++] = rc_result_band(r);
		if (b < 32)
			n_band[b]++;
	}
	if (m.count) {
		fprintf(stderr,
			"cross-check FAILED: %d mismatches between the engine and the "
			"hand-written C in the first %ld sets\n",
			m.count, n_check);
		return 1;
	}
	printf("cross-check: hand-written C == engine on %ld sets (every situation, category, "
	       "condition, exclusion, rule, blocked pair, tolerable, excluded, outcome)\n",
	       n_check);
	printf("  outcomes: %ld determined, %ld undetermined, %ld conflict; tolerable: %ld true, "
	       "%ld false, %ld unknown\n  bands:",
	       n_state[RC_OUTCOME_DETERMINED], n_state[RC_OUTCOME_UNDETERMINED],
	       n_state[RC_OUTCOME_CONFLICT], n_tol[RC_TRUE], n_tol[RC_FALSE], n_tol[RC_UNKNOWN]);
	for (int b = 0; b < n_bands; b++) {
		fputs(b ? ", " : " ", stdout);
		print_band(p, bands[b], stdout);
		printf(" %ld", n_band[b]);
	}
	putchar('\n');

	/* 4. JSON lines for json-rules-engine, read back through the engine */
	if (jre_out) {
		FILE *out = fopen(jre_out, "w");
		if (!out) {
			perror(jre_out);
			return 2;
		}
		for (long i = 0; i < jre_n; i++) {
			char *doc = NULL;
			size_t len = 0;
			FILE *mem = open_memstream(&doc, &len);
			if (!mem) {
				fprintf(stderr, "bench: out of memory\n");
				return 2;
			}
			bench_write_json(&sc, &sets, (int)i, mem);
			fclose(mem);
			enum rc_err e =
			    rc_facts_read_json(scratch, doc, len, 0, &diags, NULL, NULL);
			if (e != RC_OK) {
				rc_diags_print(&diags, stderr);
				fprintf(stderr,
					"bench: set %ld: the JSON written does not read back: %s\n",
					i, doc);
				return 1;
			}
			rc_policy_eval(p, facts[i], r, 0);
			rc_policy_eval(p, scratch, r2, 0);
			if (!same_result(p, r, r2)) {
				fprintf(stderr,
					"MISMATCH set %ld: the JSON line evaluates differently "
					"from the set it was written from: %s\n",
					i, doc);
				return 1;
			}
			write_jre_line(out, p, doc, r);
			free(doc);
		}
		if (fclose(out)) {
			perror(jre_out);
			return 2;
		}
		printf("json lines: first %ld sets written to %s (each read back through "
		       "rc_facts_read_json: same results)\n",
		       jre_n, jre_out);
	}

	/* 5. timing */
	double *tn = calloc((size_t)reps, sizeof(double)),
	       *tt = calloc((size_t)reps, sizeof(double)),
	       *th = calloc((size_t)reps, sizeof(double));
	if (!tn || !tt || !th)
		return 2;
	uint64_t acc = 0;
	for (long rep = 0; rep < reps; rep++) {
		t0 = now();
		for (long i = 0; i < n; i++)
			acc += (uint64_t)rc_policy_eval(p, facts[i], r, 0);
		tn[rep] = now() - t0;
		acc += rc_result_band(r);

		t0 = now();
		for (long i = 0; i < n; i++)
			acc += (uint64_t)rc_policy_eval(p, facts[i], r, RC_EVAL_TRACE);
		tt[rep] = now() - t0;
		acc += rc_result_band(r);

		struct hw_result o = {0};
		t0 = now();
		for (long i = 0; i < n; i++) {
			hw_eval(&hw, sets.val + (size_t)i * (size_t)sets.n_slots,
				sets.known + (size_t)i * (size_t)sets.n_slots, &o);
			acc += o.band;
		}
		th[rep] = now() - t0;
	}
	/* The same two on a small pool of sets that stays in the L1/L2 cache
	 * (the first `hot` sets, cycled): evaluation cost without memory
	 * traffic.  Reported as detail; the headline figures are the above. */
	long hot = n < 1000 ? n : 1000, cycles = n / hot;
	double *hn = calloc((size_t)reps, sizeof(double)),
	       *hh = calloc((size_t)reps, sizeof(double));
	if (!hn || !hh)
		return 2;
	for (long rep = 0; rep < reps; rep++) {
		t0 = now();
		for (long c = 0; c < cycles; c++)
			for (long i = 0; i < hot; i++)
				acc += (uint64_t)rc_policy_eval(p, facts[i], r, 0);
		hn[rep] = now() - t0;
		struct hw_result o = {0};
		t0 = now();
		for (long c = 0; c < cycles; c++)
			for (long i = 0; i < hot; i++) {
				hw_eval(&hw, sets.val + (size_t)i * (size_t)sets.n_slots,
					sets.known + (size_t)i * (size_t)sets.n_slots, &o);
				acc += o.band;
			}
		hh[rep] = now() - t0;
	}
	qsort(hn, (size_t)reps, sizeof(double), cmp_double);
	qsort(hh, (size_t)reps, sizeof(double), cmp_double);
	double hot_en = (double)(cycles * hot) / hn[0], hot_eh = (double)(cycles * hot) / hh[0];

	qsort(tn, (size_t)reps, sizeof(double), cmp_double);
	qsort(tt, (size_t)reps, sizeof(double), cmp_double);
	qsort(th, (size_t)reps, sizeof(double), cmp_double);
	double en = (double)n / tn[0], et = (double)n / tt[0], eh = (double)n / th[0];
	printf("timing: best of %ld runs over %ld sets each (median in brackets); checksum %llx\n",
	       reps, n, (unsigned long long)acc);
	printf("  engine (no trace):   %12.0f evals/s  %7.1f ns/eval  [%.0f/s]\n", en, 1e9 / en,
	       (double)n / tn[reps / 2]);
	printf("  engine (trace):      %12.0f evals/s  %7.1f ns/eval  [%.0f/s]\n", et, 1e9 / et,
	       (double)n / tt[reps / 2]);
	printf("  hand-written C:      %12.0f evals/s  %7.1f ns/eval  [%.0f/s]\n", eh, 1e9 / eh,
	       (double)n / th[reps / 2]);
	printf("  in cache (first %ld sets, cycled %ld times):\n", hot, cycles);
	printf("    engine (no trace): %12.0f evals/s  %7.1f ns/eval\n", hot_en, 1e9 / hot_en);
	printf("    hand-written C:    %12.0f evals/s  %7.1f ns/eval\n", hot_eh, 1e9 / hot_eh);
	printf("RESULT engine_notrace=%.0f engine_trace=%.0f handwritten=%.0f n=%ld "
	       "hot_engine=%.0f hot_handwritten=%.0f hot_n=%ld\n",
	       en, et, eh, n, hot_en, hot_eh, hot);

	for (long i = 0; i < n; i++)
		rc_facts_free(facts[i]);
	free(facts);
	free(tn);
	free(tt);
	free(th);
	free(hn);
	free(hh);
	rc_facts_free(scratch);
	rc_result_free(r);
	rc_result_free(r2);
	bench_sets_free(&sets);
	bench_schema_free(&sc);
	rc_policy_free(p);
	return 0;
}
