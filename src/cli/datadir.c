/*
 * datadir.c -- the data directory and one unit of work on it.
 *
 * The data directory holds the database (rongcuo.db), the audit key
 * (audit.key, mode 0600) and the audit head (audit.head).  It is --data DIR,
 * else $RONGCUO_DATA, else $XDG_DATA_HOME/rongcuo, else
 * ~/.local/share/rongcuo (docs/cli.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/datadir.h"
#include "core/calendar.h"
#include "crypto/crypto.h"

int rc_datadir_resolve(const char *opt, char *out, size_t len)
{
	const char *env = getenv("RONGCUO_DATA"), *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int n;
	if (opt && *opt)
		n = snprintf(out, len, "%s", opt);
	else if (env && *env)
		n = snprintf(out, len, "%s", env);
	else if (xdg && *xdg)
		n = snprintf(out, len, "%s/rongcuo", xdg);
	else if (home && *home)
		n = snprintf(out, len, "%s/.local/share/rongcuo", home);
	else
		return -1;
	return n > 0 && (size_t)n < len ? 0 : -1;
}

static int path_in(const struct rc_datadir *dd, const char *name, char *out, size_t len)
{
	int n = snprintf(out, len, "%s/%s", dd->dir, name);
	return n > 0 && (size_t)n < len ? 0 : -1;
}

enum rc_err rc_datadir_open(struct rc_datadir *dd, const char *opt, enum rc_datadir_mode create,
			    struct rc_diags *d)
{
	enum rc_err e;
	memset(dd, 0, sizeof(*dd));
	if (rc_datadir_resolve(opt, dd->dir, sizeof(dd->dir))) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "no data directory: give --data DIR or set RONGCUO_DATA");
		return RC_ERR_USAGE;
	}
	if (path_in(dd, "rongcuo.db", dd->db, sizeof(dd->db)) ||
	    path_in(dd, "audit.key", dd->key_path, sizeof(dd->key_path)) ||
	    path_in(dd, "audit.head", dd->head_path, sizeof(dd->head_path)) ||
	    path_in(dd, "evidence", dd->evidence_dir, sizeof(dd->evidence_dir))) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: path too long", dd->dir);
		return RC_ERR_LIMIT;
	}
	struct stat sb;
	if (create == RC_DATADIR_CREATE) {
		/* the parents too, like mkdir -p; the data directory itself is
		 * private to its owner */
		char part[sizeof(dd->dir)];
		for (size_t i = 1; dd->dir[i]; i++)
			if (dd->dir[i] == '/') {
				memcpy(part, dd->dir, i);
				part[i] = '\0';
				mkdir(part, 0755);
			}
		if (mkdir(dd->dir, 0700) != 0 && errno != EEXIST) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot create: %s", dd->dir,
				    strerror(errno));
			return RC_ERR_IO;
		}
		if (stat(dd->key_path, &sb) == 0) {
			rc_diag_add(
			    d, RC_SEV_ERROR, 0, 0,
			    "%s: already initialised (an audit key exists); use `rongcuo db "
			    "migrate`",
			    dd->dir);
			return RC_ERR_CONFLICT;
		}
		if ((e = rc_audit_key_create(dd->key_path, dd->key, d)))
			return e;
		if ((e = rc_audit_head_init(dd->head_path, dd->key))) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot write the audit head",
				    dd->head_path);
			return e;
		}
	} else {
		if (stat(dd->db, &sb) != 0) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "%s: no database here; run `rongcuo db init --data %s` first",
				    dd->dir, dd->dir);
			return RC_ERR_NOT_FOUND;
		}
		if ((e = rc_audit_key_load(dd->key_path, dd->key, d)))
			return e;
	}
	char url[sizeof(dd->db) + 8];
	snprintf(url, sizeof(url), "sqlite:%s", dd->db);
	if ((e = rc_store_open(url, d, &dd->store)))
		return e;
	int v = rc_store_schema_version(dd->store), latest = rc_store_schema_latest(dd->store);
	if (create == RC_DATADIR_USE && v != latest) {
		if (v > latest)
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "%s: schema version %d is newer than this rongcuo (%d); use a "
				    "newer rongcuo",
				    dd->db, v, latest);
		else
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "%s: schema version %d, this rongcuo needs %d; run `rongcuo db "
				    "migrate`",
				    dd->db, v, latest);
		return RC_ERR_RANGE;
	}
	dd->unit.store = dd->store;
	dd->unit.key = dd->key;
	dd->unit.head_path = dd->head_path;
	return rc_unit_init(&dd->unit);
}

void rc_datadir_close(struct rc_datadir *dd)
{
	rc_store_close(dd->store);
	dd->store = NULL;
	rc_crypto_wipe(dd->key, sizeof(dd->key));
}

int rc_datadir_finish(struct rc_datadir *dd, struct rc_diags *d, int rc)
{
	rc_diags_print(d, stderr);
	rc_datadir_close(dd);
	return rc;
}

enum rc_err rc_datadir_calendar(const struct rc_datadir *dd, const char *opt, struct rc_cal **cal,
				struct rc_diags *d)
{
	char dir[1200];
	const char *env = getenv("RONGCUO_CALENDAR");
	struct stat sb;
	if (opt)
		snprintf(dir, sizeof(dir), "%s", opt);
	else if (env && *env)
		snprintf(dir, sizeof(dir), "%s", env);
	else {
		snprintf(dir, sizeof(dir), "%s/calendar", dd->dir);
		if (stat(dir, &sb) != 0)
			snprintf(dir, sizeof(dir), "data/calendar");
	}
	enum rc_err e = rc_cal_new(cal);
	if (!e)
		e = rc_cal_load_dir(*cal, dir, d);
	return e;
}
