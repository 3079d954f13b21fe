/*
 * test_golden.c -- the golden cases: every JSON file in tests/golden/ is one test.
 *
 * A golden case is data: the policies to load, a facts document exactly as
 * `rongcuo assess` reads it, optional date overrides, and the expectations on
 * the assessment's JSON document (docs/assessment-json.md).  The cases are
 * listed at run time, so adding a case is adding a file.  Each expectation is
 * written from the policy text and the language spec, not copied from the
 * engine's output: a failure here means the engine and the policy disagree.
 *
 * Checks go through the public JSON writer rather than the C accessors, so
 * that the document other systems read is what is pinned down.
 *
 * Every mismatch of a case is reported (file, key, expected, actual) before
 * the test fails, and the test fails only after everything is freed: cmocka's
 * fail_msg() jumps out of the test, and the suite also runs under LSan.
 *
 * Keys of "expect" (all optional; an unknown key fails the case, so that a
 * typo cannot pass silently):
 *   error, error_code        the assessment must fail (no other key then)
 *   tolerable, excluded      "true" | "false" | "unknown"
 *   outcome_state            "determined" | "undetermined" | "conflict"
 *   band, candidates         set of outcome ids
 *   rule                     id of the deciding rule, or null for none
 *   situations_true, situations_unknown, exclusions_true, exclusions_unknown
 *                            set of the ids with that value
 *   conditions               {condition id: truth}
 *   blocked                  {situation id: set of exclusion ids}
 *   decisive_include, decisive_exclude, decisive_exact   fact ids
 *   applied_version, basis, in_force_at_conduct, in_force_at_decision
 *                            version_selection fields (the last two may be null)
 *   why_not                  {situation id: facts that must be among its reasons}
 */
#include <dirent.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"
#include "core/diag.h"
#include "core/err.h"
#include "policy/policy.h"

static const char *g_src; /* the source tree: policies/ and tests/golden/ */

/* err.h names, for "error_code".  Kept here rather than in the library: the
 * names are a test-data vocabulary, and the assert below catches a new code. */
static const char *const err_names[] = {
    "RC_OK",       "RC_ERR_NOMEM", "RC_ERR_IO",       "RC_ERR_SYNTAX",   "RC_ERR_TYPE",
    "RC_ERR_NAME", "RC_ERR_RANGE", "RC_ERR_LIMIT",    "RC_ERR_CONFLICT", "RC_ERR_NOT_FOUND",
    "RC_ERR_TEST", "RC_ERR_USAGE", "RC_ERR_INTERNAL", "RC_ERR_BUSY",
};
_Static_assert(sizeof(err_names) / sizeof(err_names[0]) == RC_ERR__COUNT,
	       "err_names must list every enum rc_err value");

static const char *const expect_keys[] = {
    "error",
    "error_code",
    "tolerable",
    "excluded",
    "outcome_state",
    "band",
    "candidates",
    "rule",
    "situations_true",
    "situations_unknown",
    "exclusions_true",
    "exclusions_unknown",
    "conditions",
    "blocked",
    "decisive_include",
    "decisive_exclude",
    "decisive_exact",
    "applied_version",
    "basis",
    "in_force_at_conduct",
    "in_force_at_decision",
    "why_not",
};

static const char *const case_keys[] = {"description",   "policies", "conduct_date",
					"decision_date", "input",    "expect"};

struct ctx {
	const char *file; /* base name of the case, for every message */
	int failures;
};

static void mismatch(struct ctx *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void mismatch(struct ctx *c, const char *key, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_error("%s: %s: %s\n", c->file, key, msg);
	c->failures++;
}

static int in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

static int is_truth(const char *s)
{
	static const char *const t[] = {"true", "false", "unknown"};
	return s && in_list(s, t, 3);
}

/* A JSON value as compact text for messages; the caller frees. */
static char *dump(const json_t *v)
{
	if (!v)
		return strdup("(absent)");
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	return s ? s : strdup("(unprintable)");
}

static int str_in_array(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return 1;
	}
	return 0;
}

/* The element of an array of objects whose "id" is `id`, or NULL. */
static json_t *find_by_id(const json_t *arr, const char *id)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		const char *x = json_string_value(json_object_get(v, "id"));
		if (x && strcmp(x, id) == 0)
			return v;
	}
	return NULL;
}

/* New array of obj[field] for each object of `arr` (strings only). */
static json_t *pluck(const json_t *arr, const char *field)
{
	json_t *out = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		json_t *x = json_object_get(v, field);
		if (json_is_string(x))
			json_array_append(out, x);
	}
	return out;
}

/* New array of the "id"s of the objects of `arr` whose "value" is `value`. */
static json_t *ids_with_value(const json_t *arr, const char *value)
{
	json_t *out = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		const char *x = json_string_value(json_object_get(v, "value"));
		json_t *id = json_object_get(v, "id");
		if (x && strcmp(x, value) == 0 && json_is_string(id))
			json_array_append(out, id);
	}
	return out;
}

static int is_string_array(const json_t *v)
{
	size_t i;
	json_t *x;
	if (!json_is_array(v))
		return 0;
	json_array_foreach(v, i, x)
	{
		if (!json_is_string(x))
			return 0;
	}
	return 1;
}

/* Set equality of two arrays of strings; `actual` NULL means absent. */
static void check_set(struct ctx *c, const char *key, const json_t *expected, const json_t *actual)
{
	size_t i;
	json_t *v;
	int same = 1;
	if (!is_string_array(expected)) {
		mismatch(c, key, "the expectation must be an array of ids");
		return;
	}
	if (!is_string_array(actual)) {
		same = 0;
	} else {
		json_array_foreach(expected, i, v)
		{
			if (!str_in_array(actual, json_string_value(v)))
				same = 0;
		}
		json_array_foreach(actual, i, v)
		{
			if (!str_in_array(expected, json_string_value(v)))
				same = 0;
		}
	}
	if (!same) {
		char *e = dump(expected), *a = dump(actual);
		mismatch(c, key, "expected the set %s, got %s", e, a);
		free(e);
		free(a);
	}
}

/* Each id of `expected` is (present = 1) or is not (present = 0) in `actual`. */
static void check_members(struct ctx *c, const char *key, const json_t *expected,
			  const json_t *actual, int present)
{
	size_t i;
	json_t *v;
	if (!is_string_array(expected)) {
		mismatch(c, key, "the expectation must be an array of ids");
		return;
	}
	json_array_foreach(expected, i, v)
	{
		const char *s = json_string_value(v);
		if (str_in_array(actual, s) != present) {
			char *a = dump(actual);
			mismatch(c, key, "expected '%s' %s, got %s", s,
				 present ? "to be listed" : "not to be listed", a);
			free(a);
		}
	}
}

/* A string field; `expected` may be null when the field may be null. */
static void check_str(struct ctx *c, const char *key, const json_t *expected, const json_t *actual)
{
	if (json_is_null(expected)) {
		if (!json_is_null(actual)) {
			char *a = dump(actual);
			mismatch(c, key, "expected null, got %s", a);
			free(a);
		}
		return;
	}
	if (!json_is_string(expected)) {
		mismatch(c, key, "the expectation must be a string");
		return;
	}
	const char *a = json_string_value(actual);
	if (!a || strcmp(a, json_string_value(expected)) != 0) {
		char *s = dump(actual);
		mismatch(c, key, "expected \"%s\", got %s", json_string_value(expected), s);
		free(s);
	}
}

static void check_truth(struct ctx *c, const char *key, const json_t *expected,
			const json_t *actual)
{
	if (!is_truth(json_string_value(expected))) {
		mismatch(c, key, "the expectation must be \"true\", \"false\" or \"unknown\"");
		return;
	}
	check_str(c, key, expected, actual);
}

/* {id: value} maps: conditions, blocked, why_not. */
static void check_conditions(struct ctx *c, const json_t *exp, const json_t *doc)
{
	const char *id;
	json_t *v;
	char key[512];
	if (!json_is_object(exp)) {
		mismatch(c, "conditions", "the expectation must be an object {id: truth}");
		return;
	}
	json_object_foreach((json_t *)exp, id, v)
	{
		snprintf(key, sizeof(key), "conditions.%s", id);
		json_t *item = find_by_id(json_object_get(doc, "conditions"), id);
		if (!item) {
			mismatch(c, key, "no condition of that id in the assessment");
			continue;
		}
		check_truth(c, key, v, json_object_get(item, "value"));
	}
}

static void check_blocked(struct ctx *c, const json_t *exp, const json_t *doc)
{
	const char *id;
	json_t *v;
	char key[512];
	if (!json_is_object(exp)) {
		mismatch(c, "blocked",
			 "the expectation must be an object {situation: [exclusions]}");
		return;
	}
	json_object_foreach((json_t *)exp, id, v)
	{
		snprintf(key, sizeof(key), "blocked.%s", id);
		json_t *item = find_by_id(json_object_get(doc, "situations"), id);
		if (!item) {
			mismatch(c, key, "no situation of that id in the assessment");
			continue;
		}
		check_set(c, key, v, json_object_get(item, "blocked_by"));
	}
}

static void check_why_not(struct ctx *c, const json_t *exp, const json_t *doc)
{
	const char *id;
	json_t *v;
	char key[512];
	if (!json_is_object(exp)) {
		mismatch(c, "why_not", "the expectation must be an object {situation: [facts]}");
		return;
	}
	json_object_foreach((json_t *)exp, id, v)
	{
		snprintf(key, sizeof(key), "why_not.%s", id);
		json_t *item = find_by_id(json_object_get(doc, "situations"), id);
		if (!item) {
			mismatch(c, key, "no situation of that id in the assessment");
			continue;
		}
		json_t *reasons = json_object_get(item, "why_not");
		if (!json_is_array(reasons)) {
			char *s = dump(json_object_get(item, "value"));
			mismatch(c, key, "the situation has no why_not list (its value is %s)", s);
			free(s);
			continue;
		}
		json_t *facts = pluck(reasons, "fact");
		check_members(c, key, v, facts, 1);
		json_decref(facts);
	}
}

/* Every expectation of a successful assessment against its JSON document. */
static void check_document(struct ctx *c, const json_t *expect, const json_t *doc)
{
	const json_t *outcome = json_object_get(doc, "outcome");
	const json_t *vs = json_object_get(doc, "version_selection");
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)expect, key, v)
	{
		if (strcmp(key, "tolerable") == 0 || strcmp(key, "excluded") == 0) {
			check_truth(c, key, v, json_object_get(doc, key));
		} else if (strcmp(key, "outcome_state") == 0) {
			check_str(c, key, v, json_object_get(outcome, "state"));
		} else if (strcmp(key, "band") == 0 || strcmp(key, "candidates") == 0) {
			/* The writer gives "band" when determined and "candidates"
			 * otherwise: an absent list is a mismatch of the state. */
			json_t *list = json_object_get(outcome, key);
			json_t *ids = list ? pluck(list, "id") : NULL;
			if (!list) {
				char *s = dump(json_object_get(outcome, "state"));
				mismatch(c, key, "the outcome has no \"%s\" (its state is %s)", key,
					 s);
				free(s);
			} else {
				check_set(c, key, v, ids);
			}
			json_decref(ids);
		} else if (strcmp(key, "rule") == 0) {
			/* No "rule" member: no rule decided (an undetermined outcome);
			 * compared as null, which "rule": null expects. */
			json_t *rule = json_object_get(outcome, "rule");
			json_t *none = json_null();
			check_str(c, key, v, rule ? json_object_get(rule, "id") : none);
			json_decref(none);
		} else if (strcmp(key, "situations_true") == 0 ||
			   strcmp(key, "situations_unknown") == 0 ||
			   strcmp(key, "exclusions_true") == 0 ||
			   strcmp(key, "exclusions_unknown") == 0) {
			const char *section = key[0] == 's' ? "situations" : "exclusions";
			const char *value = strchr(key, '_') + 1;
			json_t *ids = ids_with_value(json_object_get(doc, section), value);
			check_set(c, key, v, ids);
			json_decref(ids);
		} else if (strcmp(key, "conditions") == 0) {
			check_conditions(c, v, doc);
		} else if (strcmp(key, "blocked") == 0) {
			check_blocked(c, v, doc);
		} else if (strcmp(key, "why_not") == 0) {
			check_why_not(c, v, doc);
		} else if (strncmp(key, "decisive_", 9) == 0) {
			json_t *facts = pluck(json_object_get(doc, "decisive_unknowns"), "fact");
			if (strcmp(key, "decisive_exact") == 0)
				check_set(c, key, v, facts);
			else
				check_members(c, key, v, facts,
					      strcmp(key, "decisive_include") == 0);
			json_decref(facts);
		} else if (strcmp(key, "applied_version") == 0) {
			check_str(c, key, v, json_object_get(vs, "applied"));
		} else if (strcmp(key, "basis") == 0 || strcmp(key, "in_force_at_conduct") == 0 ||
			   strcmp(key, "in_force_at_decision") == 0) {
			check_str(c, key, v, json_object_get(vs, key));
		}
		/* error, error_code: handled by the caller; unknown keys: too */
	}
}

/* The expectations of a failing assessment: first error, and its class. */
static void check_error(struct ctx *c, const json_t *expect, enum rc_err e,
			const struct rc_diags *d)
{
	const char *want = json_string_value(json_object_get(expect, "error"));
	const json_t *code = json_object_get(expect, "error_code");
	char first[RC_DIAG_MSG_MAX + 256];

	if (!want) {
		mismatch(c, "error", "the expectation must be a string");
		return;
	}
	if (e == RC_OK) {
		mismatch(c, "error",
			 "expected the assessment to fail with \"%s\", but it succeeded", want);
		return;
	}
	rc_diags_first(d, first, sizeof(first));
	if (!strstr(first, want))
		mismatch(c, "error", "expected the first error to contain \"%s\", got \"%s\"", want,
			 first);
	if (code) {
		const char *cw = json_string_value(code);
		if (!cw || !in_list(cw, err_names, RC_ERR__COUNT))
			mismatch(c, "error_code", "the expectation must name an enum rc_err value");
		else if ((unsigned)e >= RC_ERR__COUNT || strcmp(cw, err_names[e]) != 0)
			mismatch(c, "error_code", "expected %s, got %s", cw,
				 (unsigned)e < RC_ERR__COUNT ? err_names[e] : "(out of range)");
	}
}

/* Keys of the case file and of "expect" that the runner does not know. */
static void check_keys(struct ctx *c, const json_t *root, const json_t *expect)
{
	const char *key;
	json_t *v;
	int failing = json_object_get(expect, "error") != NULL;

	json_object_foreach((json_t *)root, key, v)
	{
		if (!in_list(key, case_keys, sizeof(case_keys) / sizeof(case_keys[0])))
			mismatch(c, key, "unknown key in the case file (typo?)");
	}
	json_object_foreach((json_t *)expect, key, v)
	{
		if (!in_list(key, expect_keys, sizeof(expect_keys) / sizeof(expect_keys[0])))
			mismatch(c, key, "unknown key in \"expect\" (typo?)");
		else if (failing && strcmp(key, "error") != 0 && strcmp(key, "error_code") != 0)
			mismatch(c, key, "cannot be checked when the assessment must fail");
		else if (!failing && strcmp(key, "error_code") == 0)
			mismatch(c, key, "\"error_code\" needs \"error\"");
	}
}

/* A date override of the case file, or INT32_MIN when absent. */
static int date_override(struct ctx *c, const json_t *root, const char *key, int32_t *out)
{
	const json_t *v = json_object_get(root, key);
	*out = INT32_MIN;
	if (!v)
		return 0;
	const char *s = json_string_value(v);
	if (!s || rc_date_parse(s, strlen(s), out) != RC_OK) {
		mismatch(c, key, "must be a date \"YYYY-MM-DD\"");
		*out = INT32_MIN;
		return -1;
	}
	return 0;
}

/* Load the case's policies: file names under policies/, or "." for all. */
static int load_policies(struct ctx *c, const json_t *list, struct rc_policy_set *set,
			 struct rc_diags *d)
{
	size_t i;
	json_t *v;
	char path[4096], first[RC_DIAG_MSG_MAX + 256];

	if (!is_string_array(list) || json_array_size(list) == 0) {
		mismatch(c, "policies", "must be a non-empty array of file names under policies/");
		return -1;
	}
	json_array_foreach(list, i, v)
	{
		const char *name = json_string_value(v);
		/* Stay inside policies/: a case may not reach other files. */
		if (strcmp(name, ".") != 0 && (strchr(name, '/') || strstr(name, ".."))) {
			mismatch(c, "policies", "\"%s\" is not a file name under policies/", name);
			return -1;
		}
		if (strcmp(name, ".") == 0)
			snprintf(path, sizeof(path), "%s/policies", g_src);
		else
			snprintf(path, sizeof(path), "%s/policies/%s", g_src, name);
		if (rc_policy_set_load(set, path, d) != RC_OK) {
			rc_diags_first(d, first, sizeof(first));
			mismatch(c, "policies", "cannot load %s: %s", path, first);
			return -1;
		}
	}
	return 0;
}

static void run_case(void **state)
{
	const char *path = *state;
	const char *slash = strrchr(path, '/');
	struct ctx c = {.file = slash ? slash + 1 : path};
	json_error_t jerr;
	json_t *root = NULL, *doc = NULL;
	struct rc_policy_set *set = NULL;
	struct rc_assessment *a = NULL;
	struct rc_diags *d = NULL;
	char *text = NULL, *out = NULL;
	size_t out_len = 0;
	FILE *mem = NULL;
	int32_t conduct, decision;

	/* Duplicate keys in a case are a mistake: one of them would be lost. */
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		mismatch(&c, "(file)", "invalid JSON at line %d: %s", jerr.line, jerr.text);
		goto out;
	}
	const json_t *expect = json_object_get(root, "expect");
	const json_t *input = json_object_get(root, "input");
	const char *desc = json_string_value(json_object_get(root, "description"));
	if (!json_is_object(expect) || !json_is_object(input) || !desc || !*desc) {
		mismatch(
		    &c, "(file)",
		    "a case needs \"description\" (string), \"input\" and \"expect\" (objects)");
		goto out;
	}
	check_keys(&c, root, expect);
	if (c.failures)
		goto out; /* a malformed case: its checks would mislead */

	/* struct rc_diags holds 200 messages of 1 KiB: keep it off the stack. */
	d = malloc(sizeof(*d));
	if (!d || rc_policy_set_new(&set) != RC_OK) {
		mismatch(&c, "(setup)", "out of memory");
		goto out;
	}
	rc_diags_init(d, c.file);
	if (load_policies(&c, json_object_get(root, "policies"), set, d))
		goto out;
	if (date_override(&c, root, "conduct_date", &conduct) ||
	    date_override(&c, root, "decision_date", &decision))
		goto out;

	/* The engine reads text, as the CLI does: serialize "input" back. */
	text = json_dumps(input, JSON_COMPACT);
	if (!text) {
		mismatch(&c, "input", "cannot serialize");
		goto out;
	}
	rc_diags_init(d, c.file);
	enum rc_err e = rc_assess(set, text, strlen(text), conduct, decision, d, &a);

	if (json_object_get(expect, "error")) {
		check_error(&c, expect, e, d);
		goto out;
	}
	if (e != RC_OK) {
		char first[RC_DIAG_MSG_MAX + 256];
		rc_diags_first(d, first, sizeof(first));
		mismatch(&c, "(assess)", "the assessment failed (%s): %s", err_names[e], first);
		goto out;
	}

	mem = open_memstream(&out, &out_len);
	if (!mem) {
		mismatch(&c, "(setup)", "open_memstream failed");
		goto out;
	}
	e = rc_assessment_write_json(a, mem);
	/* fclose publishes out/out_len; a second fclose in cleanup must not happen. */
	if (fclose(mem) != 0 || e != RC_OK) {
		mem = NULL;
		mismatch(&c, "(output)", "rc_assessment_write_json failed");
		goto out;
	}
	mem = NULL;
	doc = json_loadb(out, out_len, 0, &jerr);
	if (!json_is_object(doc)) {
		mismatch(&c, "(output)", "the assessment JSON does not parse: %s", jerr.text);
		goto out;
	}
	check_document(&c, expect, doc);

out:
	if (mem)
		fclose(mem);
	free(out);
	json_decref(doc);
	free(text);
	rc_assessment_free(a);
	rc_policy_set_free(set);
	free(d);
	json_decref(root);
	if (c.failures)
		fail_msg("%s: %d expectation(s) not met", c.file, c.failures);
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	char dirpath[4096];
	char **paths = NULL;
	struct CMUnitTest *tests = NULL;
	size_t n = 0, cap = 0;
	int rc = 1;
	DIR *dir = NULL;
	struct dirent *de;

	/* The environment wins, so that the suite can run against another tree. */
	g_src = getenv("RC_SOURCE_DIR");
#ifdef RC_SOURCE_DIR
	if (!g_src || !*g_src)
		g_src = RC_SOURCE_DIR;
#endif
	if (!g_src || !*g_src)
		g_src = ".";
	snprintf(dirpath, sizeof(dirpath), "%s/tests/golden", g_src);

	dir = opendir(dirpath);
	if (!dir) {
		fprintf(stderr, "test_golden: cannot open %s (set RC_SOURCE_DIR)\n", dirpath);
		goto out;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.' || !has_suffix(de->d_name, ".json"))
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **np = realloc(paths, ncap * sizeof(*np));
			if (!np)
				goto out;
			paths = np;
			cap = ncap;
		}
		size_t len = strlen(dirpath) + strlen(de->d_name) + 2;
		paths[n] = malloc(len);
		if (!paths[n])
			goto out;
		snprintf(paths[n], len, "%s/%s", dirpath, de->d_name);
		n++;
	}
	/* An empty directory must not pass as "all cases passed". */
	if (n == 0) {
		fprintf(stderr, "test_golden: no *.json cases in %s\n", dirpath);
		goto out;
	}
	/* Sorted, so that NNN- prefixes give a stable order in the report. */
	qsort(paths, n, sizeof(*paths), cmp_str);
	tests = calloc(n, sizeof(*tests));
	if (!tests)
		goto out;
	for (size_t i = 0; i < n; i++) {
		tests[i].name = strrchr(paths[i], '/') + 1;
		tests[i].test_func = run_case;
		tests[i].initial_state = paths[i];
	}
	rc = _cmocka_run_group_tests("golden", tests, n, NULL, NULL) != 0;

out:
	if (dir)
		closedir(dir);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(tests);
	return rc;
}
