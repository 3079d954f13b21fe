/*
 * gen.h -- deterministic fact sets for the evaluation benchmark.
 *
 * The schema (each fact slot's type, enum values, range) is discovered from
 * the compiled policy through the public API only, so the generator follows
 * the policy file.  Fact sets are drawn from a fixed-seed splitmix64 stream
 * and stored compactly, in the same layout the engine reads (one int64 value
 * and one known flag per slot); bench_fill() copies one into a struct
 * rc_facts through the ordinary rc_facts_set_* calls.
 */
#ifndef RC_BENCH_GEN_H
#define RC_BENCH_GEN_H

#include <stdint.h>
#include <stdio.h>

#include "policy/policy.h"

#define BENCH_MAX_VALUES 64

struct bench_slot {
	const char *name; /* borrowed from the policy */
	int is_standard;  /* a standard's finding, not a fact */
	enum rc_fact_type type;
	int n_values;                   /* enum: number of values / grades */
	int unknown_grade;              /* enum: the grade that means unknown (未查明), or -1 */
	char *values[BENCH_MAX_VALUES]; /* enum: value names, parsed from the policy */
	int64_t lo, hi;                 /* int: range drawn from */
};

struct bench_schema {
	int n;                   /* == rc_policy_slot_count() */
	struct bench_slot *slot; /* indexed by slot */
};

struct bench_sets {
	int n, n_slots;
	int64_t *val;   /* n * n_slots; 0 where unknown */
	uint8_t *known; /* n * n_slots */
};

/* Discover every slot's type by probing the rc_facts_set_* calls on a
 * scratch fact set.  0 on success; prints the problem and returns -1. */
int bench_schema_init(const struct rc_policy *p, struct bench_schema *out);
void bench_schema_free(struct bench_schema *sc);
/* Index of enum value `name` of slot `slot`, or -1. */
int bench_enum_index(const struct bench_schema *sc, int slot, const char *name);

/* How fact sets are drawn.  Each set first draws its own p_known, uniform
 * in [known_lo, known_hi], and p_true, uniform in [true_lo, true_hi]: a
 * mixture of sparse and dense, mostly-yes and mostly-no cases, so that
 * every path of a policy (tolerable true, false and unknown; every outcome)
 * is exercised, not only the most likely one. */
struct bench_gen_params {
	uint64_t seed;
	double known_lo, known_hi;
	double true_lo, true_hi;
};

/* Draw n fact sets.  Each slot is known with probability p_known; a known
 * bool is true with probability p_true, an enum takes each value with equal
 * probability (a standard's 未查明 grade makes the finding unknown, as
 * rc_facts_set_enum does), an int is uniform over its range, a date uniform
 * over 2023-06-01..2026-05-31.  Text facts stay unknown (no rule reads
 * them).  0 on success, -1 when out of memory. */
int bench_gen(const struct bench_schema *sc, const struct bench_gen_params *gp, int n,
	      struct bench_sets *out);
void bench_sets_free(struct bench_sets *s);

/* Load set i into f (cleared first) through the public setters.  0 on
 * success, -1 (printed) when a setter refuses a value. */
int bench_fill(const struct bench_schema *sc, const struct bench_sets *s, int i,
	       struct rc_facts *f);

/* Write set i as a facts document ({"facts": {...}, "findings": {...}},
 * docs/assessment-json.md) on one line, without a newline. */
void bench_write_json(const struct bench_schema *sc, const struct bench_sets *s, int i, FILE *out);

#endif
