/*
 * cmd_policy.c -- `rongcuo policy check|test|diff|facts`.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "policy/policy.h"

static const char check_usage[] =
    "usage: rongcuo policy check FILE...\n"
    "\n"
    "Compile each policy file and analyse it: errors as FILE:LINE:COL: message;\n"
    "warnings for rules that conflict or can never apply, unused facts and items\n"
    "without a source; then every TYPICAL or UNKNOWN item, which must not be shown\n"
    "as the jurisdiction's law.  Exit 0 when no file has errors, 1 when one has,\n"
    "3 when a file cannot be read.\n";

static const char test_usage[] =
    "usage: rongcuo policy test FILE...\n"
    "\n"
    "Run the `test` blocks of each policy file; print each failure with its line.\n"
    "Exit 0 when all pass, 1 when any fails, 3 when a file does not compile.\n";

static const char diff_usage[] =
    "usage: rongcuo policy diff OLD NEW\n"
    "\n"
    "List facts, situations, conditions, exclusions, outcomes, rules, steps,\n"
    "parameters and impact periods added (+), removed (-) or changed (~) from OLD\n"
    "to NEW.  Exit 0 when they are the same, 1 when they differ, 3 on bad input.\n";

static const char facts_usage[] =
    "usage: rongcuo policy facts FILE\n"
    "\n"
    "List the facts and standards a case is described by, with their types and\n"
    "labels: the names a facts document (rongcuo assess) uses.\n";

static const char policy_usage[] =
    "usage: rongcuo policy check|test|diff|facts ...   (--help after each)\n";

static int want_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

/* --help anywhere: usage on stdout, exit 0.  Wrong arguments: usage on
 * stderr, exit 2.  Returns -1 when the command should go on. */
static int help_or_usage(int argc, char **argv, int args_ok, const char *text)
{
	if (want_help(argc, argv)) {
		fputs(text, stdout);
		return RC_EXIT_OK;
	}
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "rongcuo policy %s: unknown option '%s'\n\n%s", argv[0],
				argv[i], text);
			return RC_EXIT_USAGE;
		}
	if (!args_ok) {
		fputs(text, stderr);
		return RC_EXIT_USAGE;
	}
	return -1;
}

static enum rc_err load(const char *path, struct rc_policy **p)
{
	struct rc_diags d;
	rc_diags_init(&d, path);
	enum rc_err e = rc_policy_load(path, &d, p);
	rc_diags_print(&d, stderr);
	return e;
}

static int cmd_check(int argc, char **argv)
{
	int worst = RC_EXIT_OK;
	int h = help_or_usage(argc, argv, argc >= 2, check_usage);
	if (h >= 0)
		return h;
	for (int i = 1; i < argc; i++) {
		struct rc_diags d;
		struct rc_policy *p = NULL;
		rc_diags_init(&d, argv[i]);
		enum rc_err e = rc_policy_load(argv[i], &d, &p);
		if (!e)
			e = rc_policy_check(p, &d);
		rc_diags_print(&d, stdout);
		if (e == RC_ERR_IO || e == RC_ERR_NOMEM) {
			worst = RC_EXIT_INPUT;
		} else if (d.errors) {
			if (worst == RC_EXIT_OK)
				worst = RC_EXIT_NO;
		}
		if (p) {
			printf("%s: policy %s version %s: %d errors, %d warnings\n", argv[i],
			       rc_policy_series(p), rc_policy_version(p), d.errors, d.warnings);
			printf("items not from the jurisdiction's own text (TYPICAL / UNKNOWN):\n");
			rc_policy_list_provisional(p, stdout);
		} else {
			printf("%s: %d errors\n", argv[i], d.errors);
		}
		rc_policy_free(p);
	}
	return worst;
}

static int cmd_test(int argc, char **argv)
{
	int worst = RC_EXIT_OK, total = 0, failed = 0;
	int h = help_or_usage(argc, argv, argc >= 2, test_usage);
	if (h >= 0)
		return h;
	for (int i = 1; i < argc; i++) {
		struct rc_policy *p = NULL;
		int n = 0, f = 0;
		if (load(argv[i], &p)) {
			worst = RC_EXIT_INPUT;
			continue;
		}
		if (rc_policy_run_tests(p, stdout, &n, &f) && worst == RC_EXIT_OK)
			worst = RC_EXIT_NO;
		total += n;
		failed += f;
		rc_policy_free(p);
	}
	if (argc > 2)
		printf("all files: %d passed, %d failed\n", total - failed, failed);
	return worst;
}

static int cmd_diff(int argc, char **argv)
{
	struct rc_policy *a = NULL, *b = NULL;
	int rc;
	int h = help_or_usage(argc, argv, argc == 3, diff_usage);
	if (h >= 0)
		return h;
	if (load(argv[1], &a) || load(argv[2], &b)) {
		rc = RC_EXIT_INPUT;
		goto out;
	}
	int n = rc_policy_diff(a, b, stdout);
	rc = n < 0 ? RC_EXIT_INPUT : n ? RC_EXIT_NO : RC_EXIT_OK;
out:
	rc_policy_free(a);
	rc_policy_free(b);
	return rc;
}

static int cmd_facts(int argc, char **argv)
{
	struct rc_policy *p = NULL;
	int h = help_or_usage(argc, argv, argc == 2, facts_usage);
	if (h >= 0)
		return h;
	if (load(argv[1], &p))
		return RC_EXIT_INPUT;
	for (int i = 0; i < rc_policy_slot_count(p); i++) {
		char t[600];
		int std = i >= rc_policy_count(p, RC_K_FACT);
		rc_policy_slot_describe(p, i, t, sizeof(t));
		const char *name =
		    std ? rc_policy_item_name(p, RC_K_STANDARD, i - rc_policy_count(p, RC_K_FACT))
			: rc_policy_item_name(p, RC_K_FACT, i);
		const char *label =
		    std ? rc_policy_item_title(p, RC_K_STANDARD, i - rc_policy_count(p, RC_K_FACT))
			: rc_policy_item_title(p, RC_K_FACT, i);
		printf("%-8s %-20s %-40s %s\n", std ? "finding" : "fact", name, t, label);
	}
	rc_policy_free(p);
	return RC_EXIT_OK;
}

int rc_cmd_policy(int argc, char **argv)
{
	if (argc < 2) {
		fputs(policy_usage, stderr);
		return RC_EXIT_USAGE;
	}
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "test") == 0)
		return cmd_test(argc - 1, argv + 1);
	if (strcmp(argv[1], "diff") == 0)
		return cmd_diff(argc - 1, argv + 1);
	if (strcmp(argv[1], "facts") == 0)
		return cmd_facts(argc - 1, argv + 1);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(policy_usage, stdout);
		return RC_EXIT_OK;
	}
	fprintf(stderr, "rongcuo policy: unknown sub-command '%s'\n%s", argv[1], policy_usage);
	return RC_EXIT_USAGE;
}
