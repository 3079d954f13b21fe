/*
 * cmd_assess.c -- `rongcuo assess`: one case's recommendation, explained.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/date.h"
#include "policy/policy.h"

static const char usage[] =
    "usage: rongcuo assess --policy FILE|DIR [--policy ...] [--conduct-date YYYY-MM-DD]\n"
    "                      [--decision-date YYYY-MM-DD] [--json] [--why-not SITUATION]\n"
    "                      FACTS.json|-\n"
    "\n"
    "Evaluate a case's facts (docs/assessment-json.md) against the policy versions\n"
    "given, choose the version by the conduct date (从旧兼从轻 with the decision\n"
    "date), and print the recommendation with its reasons and article citations:\n"
    "Chinese prose, or with --json the stable JSON document.  --why-not names a\n"
    "situation whose unmet conditions should be listed in detail.\n"
    "\n"
    "Exit 0 on success, 2 usage error, 3 invalid policy or facts, 4 no version in\n"
    "force or a rule conflict.\n";

static int parse_date_opt(const char *opt, const char *s, int32_t *out)
{
	enum rc_err e = rc_date_parse(s, strlen(s), out);
	if (e == RC_ERR_SYNTAX) {
		fprintf(stderr, "rongcuo assess: %s '%s' is not a date; write YYYY-MM-DD\n", opt,
			s);
		return -1;
	}
	if (e) {
		fprintf(stderr, "rongcuo assess: %s '%s' is an impossible date\n", opt, s);
		return -1;
	}
	return 0;
}

int rc_cmd_assess(int argc, char **argv)
{
	static const struct option opts[] = {{"policy", required_argument, NULL, 'p'},
					     {"conduct-date", required_argument, NULL, 'c'},
					     {"decision-date", required_argument, NULL, 'd'},
					     {"json", no_argument, NULL, 'j'},
					     {"why-not", required_argument, NULL, 'w'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *policies[64];
	int n_policies = 0, json = 0, rc = RC_EXIT_OK, c;
	int32_t conduct = INT32_MIN, decision = INT32_MIN;
	const char *why_not = NULL;
	struct rc_policy_set *set = NULL;
	struct rc_assessment *a = NULL;
	struct rc_buf in;
	struct rc_diags d;

	rc_buf_init(&in, RC_FACTS_MAX_BYTES);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "p:c:d:jw:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (n_policies >= 64) {
				fprintf(stderr, "rongcuo assess: at most 64 --policy options\n");
				return RC_EXIT_USAGE;
			}
			policies[n_policies++] = optarg;
			break;
		case 'c':
			if (parse_date_opt("--conduct-date", optarg, &conduct))
				return RC_EXIT_USAGE;
			break;
		case 'd':
			if (parse_date_opt("--decision-date", optarg, &decision))
				return RC_EXIT_USAGE;
			break;
		case 'j': json = 1; break;
		case 'w': why_not = optarg; break;
		case 'h': fputs(usage, stdout); return RC_EXIT_OK;
		default: {
			/* getopt names a bad short option (also inside "-zj") in
			 * optopt, an unknown long one only in argv; a long option
			 * missing its value has its short letter in optopt. */
			char shortopt[3] = {'-', (char)optopt, '\0'};
			const char *prev = argv[optind - 1];
			const char *bad = optopt > ' ' && optopt < 127 ? shortopt : prev;
			for (int i = 0; opts[i].name && optopt; i++)
				if (opts[i].val == optopt && strncmp(prev, "--", 2) == 0 &&
				    strncmp(prev + 2, opts[i].name, strlen(opts[i].name)) == 0)
					bad = prev;
			fprintf(stderr,
				"rongcuo assess: unknown option or missing value: '%s'\n\n%s", bad,
				usage);
			return RC_EXIT_USAGE;
		}
		}
	}
	if (n_policies == 0 || optind != argc - 1) {
		fprintf(stderr, "rongcuo assess: %s\n\n%s",
			n_policies == 0 ? "--policy is required"
					: "give exactly one facts file (or -)",
			usage);
		return RC_EXIT_USAGE;
	}
	const char *facts_path = argv[optind];
	rc_diags_init(&d, strcmp(facts_path, "-") ? facts_path : "<stdin>");

	if (rc_policy_set_new(&set)) {
		rc = RC_EXIT_INPUT;
		goto out;
	}
	for (int i = 0; i < n_policies; i++) {
		enum rc_err e = rc_policy_set_load(set, policies[i], &d);
		if (e) {
			/* any failure to load a policy is bad input, whatever its class */
			rc = RC_EXIT_INPUT;
			goto out;
		}
	}
	enum rc_err e;
	if (strcmp(facts_path, "-") == 0) {
		char chunk[8192];
		size_t n;
		e = RC_OK;
		while (!e && (n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
			e = rc_buf_append(&in, chunk, n);
		if (!e && !in.data)
			e = rc_buf_append(&in, "", 0);
	} else {
		e = rc_buf_read_file(&in, facts_path);
	}
	if (e == RC_ERR_IO) {
		rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "cannot read the facts file: %s",
			    strerror(errno));
		rc = RC_EXIT_INPUT;
		goto out;
	}
	if (e == RC_ERR_LIMIT) {
		rc_diag_add(&d, RC_SEV_ERROR, 0, 0, "facts document is larger than %u bytes",
			    RC_FACTS_MAX_BYTES);
		rc = RC_EXIT_INPUT;
		goto out;
	}
	e = rc_assess(set, rc_buf_str(&in), in.len, conduct, decision, &d, &a);
	if (e) {
		rc = rc_cli_exit_code(e);
		goto out;
	}
	if (why_not && rc_policy_find(rc_assessment_policy(a), RC_K_SITUATION, why_not) < 0) {
		fprintf(stderr,
			"rongcuo assess: error: --why-not: '%s' is not a situation of policy %s\n",
			why_not, rc_policy_version(rc_assessment_policy(a)));
		rc = RC_EXIT_USAGE;
		goto out;
	}
	e = json ? rc_assessment_write_json(a, stdout)
		 : rc_assessment_write_text(a, why_not, stdout);
	if (e)
		rc = RC_EXIT_INPUT;
out:
	rc_diags_print(&d, stderr);
	rc_assessment_free(a);
	rc_policy_set_free(set);
	rc_buf_free(&in);
	return rc;
}
