/*
 * cmd_copy.c -- `rongcuo db copy --from URL --to URL`: move an installation
 * from one database to another (a county's SQLite file to the province's
 * PostgreSQL, or back), every table verbatim, then prove the copy: the
 * same number of rows in every table, and the audit chain verified on the
 * copy under the data directory's key.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "cli/copy.h"
#include "cli/datadir.h"
#include "core/diag.h"
#include "store/store.h"

struct progress {
	const char *table;
	int64_t total;
	int tty;
};

static void show(void *ctx, int64_t done)
{
	const struct progress *p = ctx;
	if (p->tty)
		fprintf(stderr, "\r  %-28s %lld / %lld", p->table, (long long)done,
			(long long)p->total);
}

static enum rc_err open_db(const char *url, const char *what, struct rc_store **s,
			   struct rc_diags *d)
{
	enum rc_err e = rc_store_open(url, d, s);
	if (e)
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot open the %s database", what);
	return e;
}

int rc_db_copy(const char *data, const char *from_url, const char *to_url, struct rc_diags *d)
{
	struct rc_store *from = NULL, *to = NULL;
	char dir[1024], key_path[1100], shown_from[1024], shown_to[1024];
	uint8_t key[RC_AUDIT_KEY_LEN];
	int rc = RC_EXIT_INPUT, from_v, to_v;
	int64_t total = 0;

	rc_store_url_shown(from_url, shown_from, sizeof(shown_from));
	rc_store_url_shown(to_url, shown_to, sizeof(shown_to));
	if (strcmp(from_url, to_url) == 0) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "--from and --to are the same database");
		return RC_EXIT_USAGE;
	}
	/* the key the chain was written under, to verify the copy */
	if (rc_datadir_resolve(data, dir, sizeof(dir)) ||
	    snprintf(key_path, sizeof(key_path), "%s/audit.key", dir) >= (int)sizeof(key_path)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "no data directory: give --data DIR (its audit key verifies the copy)");
		return RC_EXIT_USAGE;
	}
	if (rc_audit_key_load(key_path, key, d))
		return RC_EXIT_INPUT;
	if (open_db(from_url, "source", &from, d) || open_db(to_url, "destination", &to, d))
		goto out;
	from_v = rc_store_schema_version(from);
	if (from_v != rc_store_schema_latest(from)) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "%s has schema %d, this rongcuo %d: run `rongcuo db migrate` on it first",
		    shown_from, from_v, rc_store_schema_latest(from));
		goto out;
	}
	if (rc_store_migrate(to, d, &to_v, &to_v))
		goto out;
	/* the source as it is at one moment, whatever is written to it during
	 * the copy: the copy stays consistent with its own audit chain */
	if (rc_store_begin_read(from)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot start a read transaction: %s",
			    shown_from, rc_store_errmsg(from));
		goto out;
	}
	/* only into an empty database: nothing of the copy may mix with rows
	 * already there */
	for (int i = 0; i < rc_store_copy_tables(); i++) {
		int64_t n;
		if (rc_store_copy_count(to, i, &n)) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot count %s: %s", shown_to,
				    rc_store_copy_table(i), rc_store_errmsg(to));
			goto out;
		}
		if (n) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "%s is not empty (%s has %lld rows); copy into a new database",
				    shown_to, rc_store_copy_table(i), (long long)n);
			goto out;
		}
	}
	struct progress p = {NULL, 0, isatty(2)};
	printf("copying %s -> %s\n", shown_from, shown_to);
	for (int i = 0; i < rc_store_copy_tables(); i++) {
		int64_t want, copied, got;
		p.table = rc_store_copy_table(i);
		if (rc_store_copy_count(from, i, &want)) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot count %s: %s", shown_from,
				    p.table, rc_store_errmsg(from));
			goto out;
		}
		p.total = want;
		if (rc_store_copy_rows(from, to, i, show, &p, &copied)) {
			if (p.tty)
				fputc('\n', stderr);
			rc_diag_add(
			    d, RC_SEV_ERROR, 0, 0,
			    "copying %s failed after %lld rows: %s / %s; the destination is "
			    "incomplete: drop it and copy again",
			    p.table, (long long)copied, rc_store_errmsg(from), rc_store_errmsg(to));
			goto out;
		}
		if (p.tty)
			fputc('\r', stderr);
		if (rc_store_copy_count(to, i, &got) || got != want) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "%s: %lld rows in the source, %lld in the copy", p.table,
				    (long long)want, (long long)got);
			goto out;
		}
		printf("  %-28s %lld rows\n", p.table, (long long)got);
		total += got;
	}
	if (rc_store_copy_done(to)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot set the next ids: %s", shown_to,
			    rc_store_errmsg(to));
		goto out;
	}
	int64_t rows, bad;
	if (rc_audit_verify(to, key, NULL, d, &rows, &bad)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "the copy's audit chain does not verify");
		rc = RC_EXIT_NO;
		goto out;
	}
	printf(
	    "copied %lld rows in %d tables; every table's count matches; audit chain of %lld rows "
	    "verified on the copy\n",
	    (long long)total, rc_store_copy_tables(), (long long)rows);
	printf("to use it in place of the old one: put its URL in %s/db.url (mode 0600);\n"
	       "the directory's audit head holds for the copy as long as the old database is not\n"
	       "changed after the copy\n",
	       dir);
	rc = RC_EXIT_OK;
out:
	rc_store_close(from);
	rc_store_close(to);
	return rc;
}
