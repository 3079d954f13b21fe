/*
 * fuzz_policy.c -- libFuzzer harness for the policy lexer, parser, compiler
 * and evaluator.  Any input must give either a compiled policy or
 * diagnostics -- never a crash, a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rc_diags d;
	struct rc_policy *p = NULL;
	struct rc_facts *f = NULL;
	struct rc_result *r = NULL, *s = NULL;
	int dec[64];

	rc_diags_init(&d, "fuzz");
	if (rc_policy_compile((const char *)data, size, "fuzz", &d, &p))
		return 0;
	if (!rc_facts_new(p, &f) && !rc_result_new(p, &r) && !rc_result_new(p, &s)) {
		rc_policy_eval(p, f, r, RC_EVAL_TRACE);
		rc_policy_decisive(p, f, r, s, dec, 64);
		(void)rc_policy_candidates(p, f, r);
	}
	rc_result_free(s);
	rc_result_free(r);
	rc_facts_free(f);
	rc_policy_free(p);
	return 0;
}
