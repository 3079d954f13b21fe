/*
 * datadir.c -- the data directory and one unit of work on it.
 *
 * The data directory holds the database (rongcuo.db), the audit key
 * (audit.key, mode 0600) and the audit head (audit.head).  It is --data DIR,
 * else $RONGCUO_DATA, else $XDG_DATA_HOME/rongcuo, else
 * ~/.local/share/rongcuo (docs/cli.md).
 *
 * The database is SQLite's rongcuo.db in the directory unless another is
 * named: --db URL (main.c passes it on as $RONGCUO_DB), else the URL in the
 * directory's db.url (mode 0600: it may hold a password), which `db init
 * --db URL` writes.  So a data directory initialised on PostgreSQL keeps
 * using it without --db, and copying the directory (key, head, db.url) to
 * another server puts that server in front of the same database.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
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

/* The URL in db.url: one line.  0 and the URL, 1 when there is no file,
 * -1 (reported) when it cannot be read or is malformed. */
static int read_url(const char *path, char *out, size_t len, struct rc_diags *d)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 1;
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	/* it may hold a password: as the audit key, private to its owner */
	struct stat sb;
	if (fstat(fileno(f), &sb) != 0 || (sb.st_mode & 077)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "%s is readable by others; it may hold the database password: chmod "
			    "600 %s",
			    path, path);
		fclose(f);
		return -1;
	}
	size_t n = fread(out, 1, len - 1, f);
	int full = n == len - 1 && fgetc(f) != EOF;
	fclose(f);
	out[n] = '\0';
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	if (full || !n || strchr(out, '\n')) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "%s: must hold one line, the database URL (postgresql://...), at most "
			    "%zu bytes",
			    path, len - 2);
		return -1;
	}
	return 0;
}

static enum rc_err write_url(const char *path, const char *url, struct rc_diags *d)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot create: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return RC_ERR_IO;
	}
	int bad = fprintf(f, "%s\n", url) < 0;
	bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (bad) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot write: %s", path, strerror(errno));
		return RC_ERR_IO;
	}
	return RC_OK;
}

static int is_sqlite(const char *url)
{
	return strncmp(url, "postgresql:", 11) != 0 && strncmp(url, "postgres:", 9) != 0;
}

static void already_made(const char *key, const char *action, const char *object, const char *at)
{
	printf("already made: %s %s at %s (idempotency key %s); nothing was changed\n", action,
	       object, at, key);
	fflush(stdout);
	exit(RC_EXIT_OK);
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
	    path_in(dd, "evidence", dd->evidence_dir, sizeof(dd->evidence_dir)) ||
	    path_in(dd, "db.url", dd->url_path, sizeof(dd->url_path))) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: path too long", dd->dir);
		return RC_ERR_LIMIT;
	}
	/* which database: --db / $RONGCUO_DB, else db.url, else rongcuo.db */
	const char *env = getenv("RONGCUO_DB");
	int from_env = 0;
	if (env && *env) {
		/* an SQLite file named relative to here is recorded absolute, so
		 * that db.url means the same file from anywhere */
		char cwd[1024] = "";
		const char *file = strncmp(env, "sqlite:", 7) == 0 ? env + 7 : env;
		if (is_sqlite(env) && file[0] != '/' && !getcwd(cwd, sizeof(cwd))) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "--db: cannot tell the current directory");
			return RC_ERR_IO;
		}
		int n = cwd[0] ? snprintf(dd->url, sizeof(dd->url), "%s/%s", cwd, file)
			       : snprintf(dd->url, sizeof(dd->url), "%s", env);
		if (n < 0 || (size_t)n >= sizeof(dd->url)) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "--db: the URL is too long");
			return RC_ERR_LIMIT;
		}
		from_env = 1;
		/* Another database than the directory's own may be read (export,
		 * audit list or verify --db), not changed: the directory's audit
		 * head vouches for its own database's chain only. */
		if (create != RC_DATADIR_CREATE) {
			char own[sizeof(dd->url)];
			int r = read_url(dd->url_path, own, sizeof(own), d);
			if (r < 0)
				return RC_ERR_IO;
			if (r == 1)
				snprintf(own, sizeof(own), "%s", dd->db);
			const char *a = strncmp(own, "sqlite:", 7) == 0 ? own + 7 : own;
			const char *b = strncmp(dd->url, "sqlite:", 7) == 0 ? dd->url + 7 : dd->url;
			dd->foreign = strcmp(a, b) != 0;
		}
	} else {
		int r = read_url(dd->url_path, dd->url, sizeof(dd->url), d);
		if (r < 0)
			return RC_ERR_IO;
		if (r == 1)
			snprintf(dd->url, sizeof(dd->url), "sqlite:%s", dd->db);
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
		/* an SQLite file that does not exist yet is ours to remove if the
		 * init fails */
		const char *file = strncmp(dd->url, "sqlite:", 7) == 0 ? dd->url + 7 : dd->url;
		dd->made_db = is_sqlite(dd->url) && stat(file, &sb) != 0;
		if ((e = rc_audit_key_create(dd->key_path, dd->key, d)))
			return e;
		dd->made = 1;
		if ((e = rc_audit_head_init(dd->head_path, dd->key))) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot write the audit head",
				    dd->head_path);
			goto abandon;
		}
		/* a database named with --db is recorded, so that later commands
		 * on the directory need only --data */
		if (from_env) {
			if ((e = write_url(dd->url_path, dd->url, d)))
				goto abandon;
			dd->made_url = 1;
		}
	} else if (is_sqlite(dd->url)) {
		/* the directory's rongcuo.db, or the file --db names */
		const char *file = strncmp(dd->url, "sqlite:", 7) == 0 ? dd->url + 7 : dd->url;
		if (stat(file, &sb) != 0) {
			if (strcmp(file, dd->db) == 0)
				rc_diag_add(d, RC_SEV_ERROR, 0, 0,
					    "%s: no database here; run `rongcuo db init --data %s` "
					    "first",
					    dd->dir, dd->dir);
			else
				rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: no such database file",
					    file);
			return RC_ERR_NOT_FOUND;
		}
		if ((e = rc_audit_key_load(dd->key_path, dd->key, d)))
			return e;
	} else if ((e = rc_audit_key_load(dd->key_path, dd->key, d))) {
		return e;
	}
	rc_store_url_shown(dd->url, dd->shown, sizeof(dd->shown));
	e = rc_store_open(dd->url, d, &dd->store);
	if (!e && create == RC_DATADIR_CREATE && rc_store_schema_version(dd->store) > 0) {
		/* Its audit chain was made under another key: a new key would
		 * make every row of it fail verification. */
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "%s is already initialised; to run another rongcuo in front of it, copy "
		    "the data directory of one already using it (audit.key, audit.head, "
		    "db.url)",
		    dd->shown);
		e = RC_ERR_CONFLICT;
	}
	if (e && create == RC_DATADIR_CREATE)
		goto abandon;
	if (e)
		return e;
	int v = rc_store_schema_version(dd->store), latest = rc_store_schema_latest(dd->store);
	if (create == RC_DATADIR_USE && v != latest) {
		if (v > latest)
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "%s: schema version %d is newer than this rongcuo (%d); use a "
				    "newer rongcuo",
				    dd->shown, v, latest);
		else
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "%s: schema version %d, this rongcuo needs %d; run `rongcuo db "
				    "migrate`",
				    dd->shown, v, latest);
		return RC_ERR_RANGE;
	}
	dd->unit.store = dd->store;
	dd->unit.key = dd->key;
	dd->unit.head_path = dd->foreign ? NULL : dd->head_path;
	dd->unit.read_only = dd->foreign;
	if ((e = rc_unit_init(&dd->unit)))
		return e;
	const char *key = rc_cli_idempotency_key;
	if (key && *key && create == RC_DATADIR_USE) {
		if (!rc_unit_key_ok(key)) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "--idempotency-key '%.80s': 1 to %d printable ASCII characters "
				    "without spaces",
				    key, RC_IDEM_KEY_MAX);
			return RC_ERR_USAGE;
		}
		dd->unit.idem_key = key;
		/* A retry of a change already made (its answer was lost) says what
		 * was made and ends successfully, changing nothing.  Checked in the
		 * change's own transaction, so read-only commands are unaffected
		 * and two retries racing each other cannot both get through. */
		dd->unit.on_made = already_made;
	}
	return RC_OK;
abandon:
	rc_datadir_abandon(dd);
	return e;
}

void rc_datadir_abandon(struct rc_datadir *dd)
{
	/* nothing half-made is left behind: a retry starts afresh */
	if (!dd->made)
		return;
	rc_store_close(dd->store);
	dd->store = NULL;
	unlink(dd->key_path);
	unlink(dd->head_path);
	char lock[sizeof(dd->head_path) + 8];
	snprintf(lock, sizeof(lock), "%s.lock", dd->head_path);
	unlink(lock);
	if (dd->made_url)
		unlink(dd->url_path);
	if (dd->made_db) {
		static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
		const char *file = strncmp(dd->url, "sqlite:", 7) == 0 ? dd->url + 7 : dd->url;
		char path[sizeof(dd->url) + 16];
		for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
			snprintf(path, sizeof(path), "%s%s", file, ext[i]);
			unlink(path);
		}
	}
	dd->made = 0;
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

int rc_datadir_calendar_dir(const struct rc_datadir *dd, const char *opt, char *dir, size_t cap)
{
	const char *env = getenv("RONGCUO_CALENDAR");
	struct stat sb;
	if (opt)
		snprintf(dir, cap, "%s", opt);
	else if (env && *env)
		snprintf(dir, cap, "%s", env);
	else {
		snprintf(dir, cap, "%s/calendar", dd->dir);
		if (stat(dir, &sb) != 0) {
			snprintf(dir, cap, "data/calendar");
			return 1;
		}
	}
	return 0;
}

enum rc_err rc_datadir_calendar(const struct rc_datadir *dd, const char *opt, struct rc_cal **cal,
				struct rc_diags *d)
{
	char dir[1200];
	rc_datadir_calendar_dir(dd, opt, dir, sizeof(dir));
	enum rc_err e = rc_cal_new(cal);
	if (!e)
		e = rc_cal_load_dir(*cal, dir, d);
	return e;
}
