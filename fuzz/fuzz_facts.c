/*
 * fuzz_facts.c -- libFuzzer harness for the facts JSON reader, against the
 * shipped Zhejiang policy, followed by a full assessment of what was read.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "policy/policy.h"

#ifndef RC_SOURCE_DIR
#define RC_SOURCE_DIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rc_policy_set *set;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rc_diags d;
	struct rc_assessment *a = NULL;
	if (!set) {
		rc_diags_init(&d, "policies");
		if (rc_policy_set_new(&set) ||
		    rc_policy_set_load(set, RC_SOURCE_DIR "/policies", &d)) {
			rc_diags_print(&d, stderr);
			abort();
		}
	}
	rc_diags_init(&d, "fuzz");
	if (rc_assess(set, (const char *)data, size, INT32_MIN, INT32_MIN, &d, &a) == RC_OK) {
		FILE *null = fopen("/dev/null", "w");
		if (null) {
			rc_assessment_write_json(a, null);
			rc_assessment_write_text(a, NULL, null);
			fclose(null);
		}
	}
	rc_assessment_free(a);
	return 0;
}
