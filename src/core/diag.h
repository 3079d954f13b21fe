/*
 * diag.h -- diagnostics for the user: "FILE:LINE:COL: severity: message".
 *
 * Parsers and checkers collect every problem they can find (up to a cap)
 * instead of stopping at the first, so that one run of `policy check` tells
 * an administrator everything to fix.
 */
#ifndef RC_CORE_DIAG_H
#define RC_CORE_DIAG_H

#include <stdio.h>

#include "core/err.h"

#define RC_DIAG_MSG_MAX 1024
#define RC_DIAG_MAX     200 /* further diagnostics are counted, not stored */
#define RC_DIAG_FILES   66  /* the facts document and up to 64 policy versions */

enum rc_severity { RC_SEV_ERROR, RC_SEV_WARNING, RC_SEV_NOTE };

struct rc_diag {
	enum rc_severity sev;
	int file;      /* index into rc_diags.files; -1: rc_diags.file; -2: in msg */
	int line, col; /* 1-based; 0 when not tied to a position */
	char msg[RC_DIAG_MSG_MAX];
};

struct rc_diags {
	const char *file; /* borrowed; names the input in messages */
	/* Other inputs a diagnostic may name (rc_diag_add_in): copied here,
	 * because a file name may not outlive the call that reported it. */
	char files[RC_DIAG_FILES][256];
	int n_files;
	struct rc_diag items[RC_DIAG_MAX];
	int count;   /* stored */
	int dropped; /* beyond RC_DIAG_MAX */
	int errors, warnings;
};

void rc_diags_init(struct rc_diags *d, const char *file);

void rc_diag_add(struct rc_diags *d, enum rc_severity sev, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The same, for a diagnostic about another input than d->file (a policy
 * file read while assessing a facts document, say). */
void rc_diag_add_in(struct rc_diags *d, const char *file, enum rc_severity sev, int line, int col,
		    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Copy every diagnostic of `from` into `to`, naming `from`'s file. */
void rc_diags_merge(struct rc_diags *to, const struct rc_diags *from);

/* Print all as "file:line:col: error: msg" lines (column omitted when 0). */
void rc_diags_print(const struct rc_diags *d, FILE *out);

/* The first error's message, formatted like rc_diags_print, into buf. */
void rc_diags_first(const struct rc_diags *d, char *buf, size_t len);

#endif
