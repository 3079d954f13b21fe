/*
 * assess_int.h -- the assessment record shared by versions.c (which builds
 * it) and explain.c (which writes it out).  Internal to the policy module.
 */
#ifndef RC_POLICY_ASSESS_INT_H
#define RC_POLICY_ASSESS_INT_H

#include "policy/policy_int.h"

#define RC_ASSESS_MAX_DECISIVE 256

struct assess_run {
	const struct rc_policy *p;
	struct rc_facts *facts;
	struct rc_result *result;
	enum rc_err eval_err;
	uint64_t cand; /* band, or candidates when undetermined (set when compared) */
};

struct rc_assessment {
	int n_versions;
	int32_t conduct, decision; /* INT32_MIN when not given */
	int no_conduct_date;
	/* run[0]: the version in force at the conduct date;
	 * run[1]: the version in force at the decision date, when different */
	struct assess_run run[2];
	int has_later;
	int later_cmp;       /* >0: the later version is more lenient */
	int later_undecided; /* an outcome is undetermined: cannot compare */
	int applied;         /* index into run[] */
	struct rc_result *scratch;
	/* decisive unknown facts: of the applied version, and while the
	 * 从旧兼从轻 comparison is pending, of the other version too */
	struct decisive_ref {
		const struct rc_policy *p;
		int slot;
	} decisive[RC_ASSESS_MAX_DECISIVE];
	int n_decisive;
	const struct rc_policy *at_decision; /* in force at the decision date, or NULL */
	uint64_t candidates;                 /* rc_policy_candidates of the applied run */
};

/* Lowest and highest leniency of the outcomes in a band. */
void rc_band_range(const struct rc_policy *p, uint64_t band, int *lo, int *hi);
int rc_band_cmp_across(const struct rc_policy *pa, uint64_t a, const struct rc_policy *pb,
		       uint64_t b);

#endif
