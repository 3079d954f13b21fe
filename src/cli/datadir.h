/*
 * datadir.h -- the data directory of the commands that use the store.
 */
#ifndef RC_CLI_DATADIR_H
#define RC_CLI_DATADIR_H

#include "audit/audit.h"
#include "procedure/procedure.h"
#include "core/diag.h"
#include "store/store.h"

struct rc_datadir {
	char dir[1024];
	char db[1100], key_path[1100], head_path[1100], evidence_dir[1100], url_path[1100];
	char url[2048];              /* the database: "sqlite:DIR/rongcuo.db" or postgresql://... */
	char shown[2048];            /* the same for messages, password masked */
	int made, made_url, made_db; /* what this db init created (rc_datadir_abandon) */
	int foreign; /* --db names another database than the directory's own: read only */
	uint8_t key[RC_AUDIT_KEY_LEN];
	struct rc_store *store;
	struct rc_unit unit; /* for changes: procedure.h */
};

/* The directory: `opt` (--data), else $RONGCUO_DATA, $XDG_DATA_HOME/rongcuo,
 * ~/.local/share/rongcuo.  -1 when none can be found or it is too long. */
int rc_datadir_resolve(const char *opt, char *out, size_t len);

enum rc_datadir_mode {
	RC_DATADIR_USE,    /* database and key must exist, schema current */
	RC_DATADIR_CREATE, /* db init: new directory, database, key and head */
	RC_DATADIR_MIGRATE /* db migrate: database and key must exist, any schema */
};

/* Open the store in the directory in the given mode. */
enum rc_err rc_datadir_open(struct rc_datadir *dd, const char *opt, enum rc_datadir_mode mode,
			    struct rc_diags *d);
void rc_datadir_close(struct rc_datadir *dd);
/* A db init that failed after rc_datadir_open (its migration): remove what
 * the init created -- key, head, db.url, a new SQLite file -- so that a
 * retry starts afresh.  No-op for any other open. */
void rc_datadir_abandon(struct rc_datadir *dd);

struct rc_cal;

/* The working-day calendar deadlines are counted on: `opt` (--calendar),
 * else $RONGCUO_CALENDAR, else DATA/calendar, else data/calendar (the
 * source tree's).  Caller frees *cal with rc_cal_free. */
enum rc_err rc_datadir_calendar(const struct rc_datadir *dd, const char *opt, struct rc_cal **cal,
				struct rc_diags *d);

/* The directory rc_datadir_calendar loads, by the same choice, into dir
 * (cap bytes): 1 when it is the last resort, the source tree's
 * data/calendar (no --calendar, no $RONGCUO_CALENDAR, no DATA/calendar),
 * which serve never writes a year into; else 0. */
int rc_datadir_calendar_dir(const struct rc_datadir *dd, const char *opt, char *dir, size_t cap);

/* End a command: print the diagnostics on stderr, close, return rc. */
int rc_datadir_finish(struct rc_datadir *dd, struct rc_diags *d, int rc);

#endif
