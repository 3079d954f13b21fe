/*
 * copy.h -- `rongcuo db copy` (cmd_copy.c).
 */
#ifndef RC_CLI_COPY_H
#define RC_CLI_COPY_H

#include "core/diag.h"

/* Copy the database at from_url into the empty one at to_url and verify
 * it with the audit key of data directory `data` (NULL: the default one).
 * Returns an exit code; messages in d. */
int rc_db_copy(const char *data, const char *from_url, const char *to_url, struct rc_diags *d);

#endif
