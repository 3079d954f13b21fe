/*
 * opts.c -- the table-driven option parser (opts.h), over getopt_long.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/opts.h"

#define MAX_OPTS 80

int rc_cli_options(const char *cmd, int argc, char **argv, const struct rc_opt *table, int *help,
		   char **args, int max, int *n_args, const char *usage)
{
	struct option lo[MAX_OPTS + 2];
	int n = 0, c;
	for (; table[n].name; n++) {
		if (n >= MAX_OPTS)
			return -1; /* a programming error, caught by the tests */
		lo[n] = (struct option){
		    table[n].name, table[n].value ? required_argument : no_argument, NULL, 256 + n};
	}
	lo[n++] = (struct option){"help", no_argument, NULL, 'h'};
	lo[n] = (struct option){NULL, 0, NULL, 0};
	*help = 0;
	*n_args = 0;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 'h') {
			*help = 1;
		} else if (c >= 256 && c < 256 + MAX_OPTS) {
			const struct rc_opt *o = &table[c - 256];
			if (o->value)
				*o->value = optarg;
			else
				*o->flag = 1;
		} else {
			fprintf(stderr,
				"rongcuo %s %s: unknown option or missing value: '%s'\n\n%s", cmd,
				argv[0], argv[optind - 1], usage);
			return -1;
		}
	}
	for (int i = optind; i < argc; i++) {
		if (*n_args >= max) {
			fprintf(stderr, "rongcuo %s %s: too many arguments ('%s')\n\n%s", cmd,
				argv[0], argv[i], usage);
			return -1;
		}
		args[(*n_args)++] = argv[i];
	}
	return 0;
}
