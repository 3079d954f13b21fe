/*
 * opts.h -- one option parser for every sub-command, driven by a table.
 */
#ifndef RC_CLI_OPTS_H
#define RC_CLI_OPTS_H

struct rc_opt {
	const char *name;   /* long option, without "--"; NULL ends the table */
	const char **value; /* where an option with a value goes */
	int *flag;          /* or: set to 1 by a flag that takes no value */
};

/* Parse argv[1..] (argv[0] is the sub-command; `cmd` the command, both
 * named in messages as "rongcuo CMD SUB: ..."): the options
 * of `table`, --help/-h into *help, positional arguments into args[0..max).
 * On an unknown option, a missing value or too many arguments: a message
 * naming it, then `usage`, on stderr, and -1; else 0. */
int rc_cli_options(const char *cmd, int argc, char **argv, const struct rc_opt *table, int *help,
		   char **args, int max, int *n_args, const char *usage);

#endif
