/*
 * import.c -- historical cases from a file, row by row, through the guards
 * of `case open`.
 *
 * The caller reads the file (the CLI reads CSV with report/) and hands over
 * the header and then each row as fields; this file knows no file format.
 * Each row becomes one case: the policy version in force on its 立案日期,
 * organisations and the official that exist, values the case system allows,
 * the importing user's role (a role of the version's first step) and scope
 * (the handling unit or one above it) -- the rules of rc_proc_case_open --
 * and, because a historical case arrives part-way through its procedure, at
 * its recorded step, which must be a step of that version.  The facts the
 * row carries (columns named after the policy's facts) are checked with
 * the facts reader's messages, evaluated with the version, and stored with
 * the case; with no fact columns the empty fact set is evaluated.
 *
 * One audit row per case (case.import), in the transaction that writes the
 * case, as in every unit of work.  What differs from rc_unit_change is only
 * that many cases share a transaction: all of them (all or nothing), or
 * `batch` of them (keep the good rows), because one transaction per row
 * would spend the import's time in fsync.
 *
 * Lookups that repeat row after row -- an organisation by code, the scope
 * of the importing user over it, an official by id -- are cached for the
 * import; organisations and officials are never deleted, so a cached answer
 * stays true.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/utf8.h"
#include "procedure/procedure_int.h"

const struct rc_case_column rc_case_columns[RC_COL__COUNT] = {
    [RC_COL_CODE] = {"案件编号", "code", 1},
    [RC_COL_PERSON] = {"当事人", "person_id", 0},
    [RC_COL_PERSON_NAME] = {"当事人姓名", "person_name", 1},
    [RC_COL_UNIT] = {"涉及单位", "unit", 1},
    [RC_COL_START_PATH] = {"启动方式", "start_path", 1},
    [RC_COL_SOURCE] = {"案件来源", "source", 1},
    [RC_COL_REF] = {"关联问责事项", "ref", 1},
    [RC_COL_HANDLING] = {"承办单位", "handling", 1},
    [RC_COL_COMMITTEE] = {"党委(党组)", "committee", 1},
    [RC_COL_OPENED_ON] = {"立案日期", "opened_on", 0},
    [RC_COL_STATE] = {"当前步骤", "state", 1},
    [RC_COL_STATE_ON] = {"步骤日期", "state_on", 0},
    [RC_COL_OUTCOME] = {"认定结果", "outcome", 1},
    [RC_COL_DECIDED_ON] = {"认定日期", "decided_on", 0},
    [RC_COL_VERSION] = {"政策版本", "policy_version", 1},
};

/* Caps of the values (bytes); a cell is also capped by the reader. */
#define CODE_MAX     63   /* as `case open` keeps a code (and its buffers) */
#define ORG_CODE_MAX 64   /* as orgs.code */
#define NAME_MAX     200  /* as people.name */
#define REF_MAX      1000 /* a reference, as an evidence reference */
#define MAP_MAX      (64u << 20)
#define CANON_MAX    (256u << 10)
#define BATCH_DEF    10000 /* measured: 1,000 spends a third of the time in commits */
/* The store's page cache for the import's transaction: a million cases
 * write about 700 MB; with SQLite's default 2 MB the transaction spills
 * its pages into the log and reads them back (a fifth of the import's time,
 * measured).  Memory is taken only as pages are used. */
#define IMPORT_CACHE (1024u << 20)

static const char *const sources[] = {"监督执纪", "巡视巡察", "干部考核", "监管执法",
				      "审计",     "其他",     NULL};

/* ---- a small hash map: bytes -> int64 ------------------------------- */

struct hent {
	const char *key; /* NULL: empty slot */
	size_t len;
	uint64_t hash;
	int64_t val;
};

struct hmap {
	struct hent *e;
	size_t cap, n;
};

static uint64_t fnv1a(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ull;
	return h;
}

static struct hent *hmap_slot(const struct hmap *m, const void *k, size_t len, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);
	for (;;) {
		struct hent *e = &m->e[i];
		if (!e->key || (e->hash == h && e->len == len && memcmp(e->key, k, len) == 0))
			return e;
		i = (i + 1) & (m->cap - 1);
	}
}

/* The value of key k, or NULL. */
static int64_t *hmap_get(const struct hmap *m, const void *k, size_t len)
{
	if (!m->cap)
		return NULL;
	struct hent *e = hmap_slot(m, k, len, fnv1a(k, len));
	return e->key ? &e->val : NULL;
}

static enum rc_err hmap_grow(struct hmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	if (cap > MAP_MAX)
		return RC_ERR_LIMIT;
	struct hent *e = calloc(cap, sizeof(*e));
	if (!e)
		return RC_ERR_NOMEM;
	struct hmap n = {e, cap, m->n};
	for (size_t i = 0; i < m->cap; i++)
		if (m->e[i].key)
			*hmap_slot(&n, m->e[i].key, m->e[i].len, m->e[i].hash) = m->e[i];
	free(m->e);
	*m = n;
	return RC_OK;
}

/* Set key k (copied into `a`) to v. */
static enum rc_err hmap_put(struct hmap *m, struct rc_arena *a, const void *k, size_t len,
			    int64_t v)
{
	enum rc_err e;
	if ((m->n + 1) * 2 > m->cap && (e = hmap_grow(m)))
		return e;
	uint64_t h = fnv1a(k, len);
	struct hent *s = hmap_slot(m, k, len, h);
	if (!s->key) {
		char *copy = rc_arena_strndup(a, k, len);
		if (!copy)
			return RC_ERR_NOMEM;
		s->key = copy;
		s->len = len;
		s->hash = h;
		m->n++;
	}
	s->val = v;
	return RC_OK;
}

/* ---- the import ----------------------------------------------------- */

/* A policy version the file's rows fall under. */
struct ver {
	const struct rc_policy *p;
	struct rc_step_info first;
	int has_first, actor_ok;
	struct rc_facts *facts;
	struct rc_result *result;
};

struct rc_import {
	struct rc_unit *u;
	struct rc_import_opts o;
	struct rc_actor actor;
	struct ver *v;
	int nv;
	/* the header */
	int ncols, header_done;
	int col_of[RC_COL__COUNT]; /* each known column's index in the header, or -1 */
	char **colname;            /* the header as written */
	int *fact_col;             /* 1 for a column naming a fact or standard */
	int *slot;                 /* [col * nv + version]: the slot, or -1 */
	/* caches, and the codes of the file's rows (negative: a bad row's) */
	struct rc_arena arena;
	struct hmap codes, orgs, scope, people;
	char **names; /* officials' names, by the people map's values */
	size_t n_names, names_cap;
	/* the open transaction */
	int in_tx;
	int64_t pending; /* cases written in it */
	struct rc_audit_writer *aw;
	int64_t seq; /* the newest audit row written */
	char mac[RC_AUDIT_MAC_HEX];
	int64_t seq_committed;
	char mac_committed[RC_AUDIT_MAC_HEX];
	/* the current row */
	int64_t row;
	int row_bad, row_warned, failed;
	char *cellbad; /* per column: the cell was already reported */
	struct rc_buf canon;
	struct rc_diags fdiags; /* the facts reader's messages (large: heap) */
	struct rc_import_stats st;
};

static void say(struct rc_import *im, enum rc_severity sev, const char *col, const char *fmt,
		va_list ap)
{
	char msg[768];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (im->o.report)
		im->o.report(im->o.report_ctx, sev, im->row, col, msg);
}

/* A problem of the current row, in column `col` (its header) or the whole
 * row (NULL): the row is bad. */
static void bad(struct rc_import *im, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void bad(struct rc_import *im, const char *col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(im, RC_SEV_ERROR, col, fmt, ap);
	va_end(ap);
	im->row_bad = 1;
}

static void warn(struct rc_import *im, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn(struct rc_import *im, const char *col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(im, RC_SEV_WARNING, col, fmt, ap);
	va_end(ap);
	im->row_warned = 1;
}

enum rc_err rc_proc_import_begin(struct rc_unit *u, const struct rc_import_opts *o,
				 struct rc_import **out, struct rc_diags *d)
{
	enum rc_err e;
	struct rc_import *im = calloc(1, sizeof(*im));
	*out = NULL;
	if (!im)
		return RC_ERR_NOMEM;
	if (u->read_only && !o->check_only) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: --db names another database than the data directory's own; "
			    "import into a directory's own database");
		free(im);
		return RC_ERR_USAGE;
	}
	im->u = u;
	im->o = *o;
	if (im->o.batch <= 0)
		im->o.batch = BATCH_DEF;
	rc_arena_init(&im->arena, 0);
	rc_buf_init(&im->canon, CANON_MAX);
	for (int k = 0; k < RC_COL__COUNT; k++)
		im->col_of[k] = -1;
	if ((e = rc_proc_actor_find(u->store, o->actor, &im->actor, d)))
		goto fail;
	/* Historical cases are recorded by the departments that handled them:
	 * the official concerned and their unit apply about one case at a
	 * time (rc_proc_case_open), and never record outcomes. */
	if (rc_proc_case_scope(im->actor.role) != RC_SCOPE_BY_HANDLING) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "refused: cases are imported by the departments that handled them, "
			    "not by a %s",
			    im->actor.role);
		e = RC_ERR_RANGE;
		goto fail;
	}
	if ((e = rc_audit_writer_new(u->key, &im->aw)) ||
	    (e = rc_store_bulk(u->store, IMPORT_CACHE)))
		goto fail;
	im->nv = rc_policy_set_count(o->set);
	if (!(im->v = calloc((size_t)(im->nv ? im->nv : 1), sizeof(*im->v)))) {
		e = RC_ERR_NOMEM;
		goto fail;
	}
	for (int i = 0; i < im->nv; i++) {
		struct ver *v = &im->v[i];
		v->p = rc_policy_set_get(o->set, i);
		v->has_first = rc_policy_step(v->p, 0, &v->first) == RC_OK;
		v->actor_ok = v->has_first && rc_proc_performs(&v->first, im->actor.role);
		if ((e = rc_facts_new(v->p, &v->facts)) || (e = rc_result_new(v->p, &v->result)))
			goto fail;
	}
	*out = im;
	return RC_OK;
fail:
	rc_proc_import_free(im);
	return e;
}

void rc_proc_import_free(struct rc_import *im)
{
	if (!im)
		return;
	if (im->in_tx)
		rc_store_rollback(im->u->store);
	for (int i = 0; i < im->nv && im->v; i++) {
		rc_facts_free(im->v[i].facts);
		rc_result_free(im->v[i].result);
	}
	rc_audit_writer_free(im->aw);
	free(im->v);
	free(im->fact_col);
	free(im->slot);
	free(im->cellbad);
	free(im->codes.e);
	free(im->orgs.e);
	free(im->scope.e);
	free(im->people.e);
	free(im->names);
	rc_buf_free(&im->canon);
	rc_arena_free(&im->arena);
	free(im);
}

/* ---- the header ----------------------------------------------------- */

/* Which known column a header names (Chinese or English; full-width
 * parentheses as ASCII), or -1. */
static int known_column(const char *h)
{
	for (int k = 0; k < RC_COL__COUNT; k++)
		if (strcmp(h, rc_case_columns[k].zh) == 0 || strcmp(h, rc_case_columns[k].en) == 0)
			return k;
	if (strcmp(h, "党委（党组）") == 0)
		return RC_COL_COMMITTEE;
	return -1;
}

enum rc_err rc_proc_import_header(struct rc_import *im, const char *const *fields,
				  const size_t *lens, int n)
{
	int nv = im->nv;
	im->row = 1;
	im->row_bad = 0;
	if (im->header_done || n < 1)
		return RC_ERR_INTERNAL;
	im->ncols = n;
	im->colname = rc_arena_array(&im->arena, (size_t)n, sizeof(*im->colname));
	im->fact_col = calloc((size_t)n, sizeof(*im->fact_col));
	im->slot = calloc((size_t)n * (size_t)(nv ? nv : 1), sizeof(*im->slot));
	im->cellbad = calloc((size_t)n, 1);
	if (!im->colname || !im->fact_col || !im->slot || !im->cellbad)
		return RC_ERR_NOMEM;
	for (int c = 0; c < n; c++) {
		/* spreadsheet headers often carry stray spaces: trim them */
		const char *h = fields[c];
		size_t len = lens[c];
		while (len && *h == ' ') {
			h++;
			len--;
		}
		while (len && h[len - 1] == ' ')
			len--;
		if (!(im->colname[c] = rc_arena_strndup(&im->arena, h, len)))
			return RC_ERR_NOMEM;
		const char *name = im->colname[c];
		if (!len) {
			bad(im, NULL, "column %d has no name in the header", c + 1);
			continue;
		}
		if (!rc_utf8_valid(name, len, NULL)) {
			bad(im, NULL,
			    "the header of column %d is not valid UTF-8 (save the file as CSV "
			    "UTF-8)",
			    c + 1);
			continue;
		}
		int k = known_column(name);
		if (k >= 0) {
			if (im->col_of[k] >= 0) {
				bad(im, name, "column %s (%s) is given twice (columns %d and %d)",
				    rc_case_columns[k].zh, rc_case_columns[k].en, im->col_of[k] + 1,
				    c + 1);
				continue;
			}
			im->col_of[k] = c;
			continue;
		}
		int any = 0;
		for (int i = 0; i < nv; i++) {
			int s = rc_policy_slot_find(im->v[i].p, name);
			im->slot[(size_t)c * (size_t)nv + (size_t)i] = s;
			any |= s >= 0;
		}
		if (!any) {
			bad(im, name,
			    "unknown column; the columns are 案件编号 (code), 当事人 (person_id), "
			    "当事人姓名 (person_name), 涉及单位 (unit), 启动方式 (start_path), "
			    "案件来源 (source), 关联问责事项 (ref), 承办单位 (handling), "
			    "党委(党组) (committee), 立案日期 (opened_on), 当前步骤 (state), "
			    "步骤日期 (state_on), 认定结果 (outcome), 认定日期 (decided_on), "
			    "政策版本 (policy_version), and the facts of the policy (`rongcuo "
			    "policy "
			    "facts`)");
			continue;
		}
		for (int c2 = 0; c2 < c; c2++)
			if (im->fact_col[c2] && strcmp(im->colname[c2], name) == 0) {
				bad(im, name, "the fact is given twice (columns %d and %d)", c2 + 1,
				    c + 1);
				any = 0;
			}
		im->fact_col[c] = any;
	}
	static const int required[] = {RC_COL_CODE, RC_COL_START_PATH, RC_COL_HANDLING,
				       RC_COL_OPENED_ON};
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (im->col_of[required[i]] < 0)
			bad(im, NULL, "the column %s (%s) is missing; it is required",
			    rc_case_columns[required[i]].zh, rc_case_columns[required[i]].en);
	if (im->col_of[RC_COL_PERSON] < 0 && im->col_of[RC_COL_UNIT] < 0)
		bad(im, NULL,
		    "a case needs its subject: give the column 当事人 (person_id) or 涉及单位 "
		    "(unit), or both");
	if (im->col_of[RC_COL_PERSON_NAME] >= 0 && im->col_of[RC_COL_PERSON] < 0)
		bad(im, NULL,
		    "the column 当事人姓名 (person_name) needs the column 当事人 (person_id)");
	if (im->col_of[RC_COL_DECIDED_ON] >= 0 && im->col_of[RC_COL_OUTCOME] < 0)
		bad(im, NULL,
		    "the column 认定日期 (decided_on) needs the column 认定结果 (outcome)");
	if (im->row_bad)
		return RC_ERR_SYNTAX;
	im->header_done = 1;
	return RC_OK;
}

/* ---- a row ---------------------------------------------------------- */

/* The values of a row, once checked. */
struct rowv {
	const char *code, *person_name, *unit, *start_path, *source, *ref, *handling, *committee,
	    *state, *outcome, *version;
	int64_t person, unit_id, handling_id, committee_id;
	int32_t opened, state_on, decided;
	struct ver *ver;
	struct rc_step_info step;
	json_t *facts; /* {"facts": {...}, "findings": {...}}, or NULL */
	int n_facts;
};

static const char *col_name(const struct rc_import *im, int k)
{
	return im->col_of[k] >= 0 ? im->colname[im->col_of[k]] : rc_case_columns[k].zh;
}

/* The text of known column k, or NULL when the column is absent, the cell
 * empty, or already reported. */
static const char *cell(const struct rc_import *im, const char *const *f, const size_t *lens, int k)
{
	int c = im->col_of[k];
	return c >= 0 && lens[c] && !im->cellbad[c] ? f[c] : NULL;
}

/* Every cell: one line without control characters, valid UTF-8. */
static void check_cells(struct rc_import *im, const char *const *f, const size_t *lens)
{
	for (int c = 0; c < im->ncols; c++) {
		size_t bad_at;
		im->cellbad[c] = 0;
		for (size_t i = 0; i < lens[c]; i++)
			if ((unsigned char)f[c][i] < 0x20 || f[c][i] == 0x7f) {
				bad(im, im->colname[c],
				    "must be one line, without control characters (a line break "
				    "or a tab inside the cell)");
				im->cellbad[c] = 1;
				break;
			}
		if (!im->cellbad[c] && !rc_utf8_valid(f[c], lens[c], &bad_at)) {
			bad(im, im->colname[c],
			    "is not valid UTF-8 at byte %zu (a file saved as GBK? save it as CSV "
			    "UTF-8)",
			    bad_at + 1);
			im->cellbad[c] = 1;
		}
	}
}

/* A cell's length against its cap: 0, or reported. */
static int too_long(struct rc_import *im, int k, const char *v, size_t max)
{
	size_t len = strlen(v);
	if (len <= max)
		return 0;
	bad(im, col_name(im, k), "is %zu bytes long; at most %zu are allowed", len, max);
	return 1;
}

/* A date cell: 0 and *out, or reported. */
static int date_cell(struct rc_import *im, int k, const char *v, int32_t *out)
{
	char today[RC_DATE_STRLEN];
	enum rc_err e = rc_date_parse(v, strlen(v), out);
	if (e == RC_ERR_SYNTAX) {
		bad(im, col_name(im, k), "'%s' is not a date; write it as YYYY-MM-DD", v);
		return -1;
	}
	if (e) {
		bad(im, col_name(im, k),
		    "'%s' is an impossible date (year 1900-2199, real month and day)", v);
		return -1;
	}
	if (*out > im->o.today) {
		rc_date_format(im->o.today, today);
		bad(im, col_name(im, k), "%s is after today (%s): a historical case is in the past",
		    v, today);
		return -1;
	}
	return 0;
}

/* The store failed: the import cannot go on. */
static enum rc_err store_failed(struct rc_import *im, enum rc_err e, const char *what)
{
	bad(im, NULL, "%s: %s (%s); the import stops", what, rc_strerror(e),
	    rc_store_errmsg(im->u->store));
	im->failed = 1;
	return e;
}

/* An organisation's id by code (0 when there is none), cached. */
static enum rc_err org_lookup(struct rc_import *im, const char *code, int64_t *id)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	size_t len = strlen(code);
	int64_t *c = hmap_get(&im->orgs, code, len);
	if (c) {
		*id = *c;
		return RC_OK;
	}
	if ((e = rc_store_stmt(im->u->store, Q_ORG_BY_CODE, &st)) ||
	    (e = rc_stmt_bind_text(st, 1, code, len)) || (e = rc_stmt_step(st, &row)))
		return e;
	*id = row ? rc_stmt_int(st, 0) : 0;
	return hmap_put(&im->orgs, &im->arena, code, len, *id);
}

/* An organisation cell: its id, or 0 (reported). */
static enum rc_err org_cell(struct rc_import *im, int k, const char *code, int64_t *id)
{
	*id = 0;
	if (too_long(im, k, code, ORG_CODE_MAX))
		return RC_OK;
	enum rc_err e = org_lookup(im, code, id);
	if (e)
		return e;
	if (!*id)
		bad(im, col_name(im, k),
		    "no organisation with code '%s'; `rongcuo org list` shows them", code);
	return RC_OK;
}

/* Whether the importing user's organisation is `org` or above it, cached. */
static enum rc_err in_scope(struct rc_import *im, int64_t org, int *ok)
{
	int64_t *c = hmap_get(&im->scope, &org, sizeof(org));
	if (c) {
		*ok = (int)*c;
		return RC_OK;
	}
	enum rc_err e = rc_proc_in_scope(im->u->store, org, im->actor.org, ok);
	if (!e)
		e = hmap_put(&im->scope, &im->arena, &org, sizeof(org), *ok);
	return e;
}

/* An official's name by id (NULL when there is none), cached. */
static enum rc_err person_lookup(struct rc_import *im, int64_t id, const char **name)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	int64_t *c = hmap_get(&im->people, &id, sizeof(id));
	if (c) {
		*name = *c >= 0 ? im->names[*c] : NULL;
		return RC_OK;
	}
	if ((e = rc_store_stmt(im->u->store, Q_PERSON_BY_ID, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, id)) || (e = rc_stmt_step(st, &row)))
		return e;
	int64_t idx = -1;
	*name = NULL;
	/* an official outside the importer's scope is as one that does not
	 * exist, as for case open (cases.c) */
	int ok = 0;
	char *nm = NULL;
	if (row) {
		int64_t org = rc_stmt_int(st, 1);
		if (!(nm = rc_arena_strdup(&im->arena, rc_stmt_text(st, 0, NULL))))
			return RC_ERR_NOMEM;
		for (int more = 1; !e && more;)
			e = rc_stmt_step(st, &more); /* to the end before the next query */
		if (e || (e = in_scope(im, org, &ok)))
			return e;
	}
	if (ok) {
		if (im->n_names == im->names_cap) {
			size_t cap = im->names_cap ? im->names_cap * 2 : 64;
			char **t = realloc(im->names, cap * sizeof(*t));
			if (!t)
				return RC_ERR_NOMEM;
			im->names = t;
			im->names_cap = cap;
		}
		im->names[im->n_names] = nm;
		*name = nm;
		idx = (int64_t)im->n_names++;
	}
	return hmap_put(&im->people, &im->arena, &id, sizeof(id), idx);
}

/* The names of the items of kind k of p, comma-separated, into buf. */
static void item_list(const struct rc_policy *p, enum rc_kind k, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int i = 0; i < rc_policy_count(p, k) && off + 1 < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
					rc_policy_item_name(p, k, i));
}

/* The text of a fact cell as JSON of the slot's type, as `case fact` takes
 * it: bool true/false/是/否, an integer, anything else a string (the facts
 * reader names a type error); unknown/null/未知 is no value (NULL). */
static json_t *fact_json(const struct rc_policy *p, int slot, const char *text)
{
	if (strcmp(text, "unknown") == 0 || strcmp(text, "null") == 0 || strcmp(text, "未知") == 0)
		return NULL;
	switch (rc_policy_slot_type(p, slot)) {
	case RC_FT_BOOL:
		if (strcmp(text, "true") == 0 || strcmp(text, "是") == 0)
			return json_true();
		if (strcmp(text, "false") == 0 || strcmp(text, "否") == 0)
			return json_false();
		return json_string(text);
	case RC_FT_INT: {
		char *end;
		long long v = strtoll(text, &end, 10);
		return *text && !*end ? json_integer(v) : json_string(text);
	}
	default: return json_string(text);
	}
}

/* The facts of the row: checked against the version's schema by the facts
 * reader, whose messages (e.g. "facts.损失金额: -5 is out of range ...")
 * are reported in the fact's column. */
static enum rc_err row_facts(struct rc_import *im, struct rowv *r, const char *const *f,
			     const size_t *lens)
{
	struct ver *v = r->ver;
	size_t vi = (size_t)(v - im->v);
	json_t *facts = NULL, *findings = NULL;
	char *text = NULL;
	enum rc_err e = RC_OK;
	rc_facts_clear(v->facts);
	for (int c = 0; c < im->ncols; c++) {
		if (!im->fact_col[c] || !lens[c] || im->cellbad[c])
			continue;
		int slot = im->slot[(size_t)c * (size_t)im->nv + vi];
		if (slot < 0) {
			bad(im, im->colname[c], "'%s' is not a fact or standard of policy %s",
			    im->colname[c], rc_policy_version(v->p));
			continue;
		}
		json_t *val = fact_json(v->p, slot, f[c]);
		if (!val)
			continue; /* unknown: no value */
		int std = rc_policy_slot_is_standard(v->p, slot);
		json_t **sec = std ? &findings : &facts;
		if (!*sec && !(*sec = json_object())) {
			json_decref(val);
			e = RC_ERR_NOMEM;
			goto out;
		}
		if (json_object_set_new(*sec, im->colname[c], val)) {
			e = RC_ERR_NOMEM;
			goto out;
		}
		r->n_facts++;
	}
	if (!r->n_facts)
		goto out;
	if (!(r->facts = json_object()) || (facts && json_object_set(r->facts, "facts", facts)) ||
	    (findings && json_object_set(r->facts, "findings", findings)) ||
	    !(text = json_dumps(r->facts, JSON_COMPACT))) {
		e = RC_ERR_NOMEM;
		goto out;
	}
	struct rc_diags *d = &im->fdiags;
	/* rc_diags_init clears 200 KiB: only when the last use left something */
	if (d->count || d->dropped || d->errors || d->warnings || d->n_files)
		rc_diags_init(d, "facts");
	if (rc_facts_read_json(v->facts, text, strlen(text), 0, d, NULL, NULL)) {
		for (int i = 0; i < d->count; i++) {
			/* "facts.NAME: message" -> column NAME, message */
			const char *m = d->items[i].msg, *col = NULL;
			char name[256];
			const char *dot = strchr(m, '.'), *colon = strstr(m, ": ");
			if ((strncmp(m, "facts.", 6) == 0 || strncmp(m, "findings.", 9) == 0) &&
			    dot && colon && colon > dot &&
			    (size_t)(colon - dot - 1) < sizeof(name)) {
				memcpy(name, dot + 1, (size_t)(colon - dot - 1));
				name[colon - dot - 1] = '\0';
				col = name;
				m = colon + 2;
			}
			bad(im, col, "%s", m);
		}
		if (!d->count)
			bad(im, NULL, "the row's facts are not valid");
	}
out:
	free(text);
	json_decref(facts);
	json_decref(findings);
	return e;
}

/* Check the cells of a row into *r; problems are reported and make the row
 * bad.  An error result: the store failed. */
static enum rc_err check_row(struct rc_import *im, const char *const *f, const size_t *lens,
			     struct rowv *r)
{
	enum rc_err e;
	const char *v;
	char list[1024], ds[RC_DATE_STRLEN];
	int ok;

	check_cells(im, f, lens);

	/* 案件编号: required, unique in the file and the store */
	if (!(r->code = cell(im, f, lens, RC_COL_CODE))) {
		if (!im->cellbad[im->col_of[RC_COL_CODE]])
			bad(im, col_name(im, RC_COL_CODE), "the case code is required");
	} else if (strchr(r->code, '/')) {
		/* a case's audit rows are "case:CODE" and "case:CODE/..." */
		bad(im, col_name(im, RC_COL_CODE), "a case code may not hold '/'");
	} else if (!too_long(im, RC_COL_CODE, r->code, CODE_MAX)) {
		size_t len = strlen(r->code);
		int64_t *seen = hmap_get(&im->codes, r->code, len);
		if (seen && (*seen > 0 || !im->o.keep_good)) {
			bad(im, col_name(im, RC_COL_CODE), "case code '%s' repeats row %lld",
			    r->code, (long long)(*seen > 0 ? *seen : -*seen));
		} else {
			struct rc_stmt *st;
			int row;
			if ((e = rc_store_stmt(im->u->store, Q_CASE_CODE_TAKEN, &st)) ||
			    (e = rc_stmt_bind_text(st, 1, r->code, len)) ||
			    (e = rc_stmt_step(st, &row)))
				return e;
			if (row)
				bad(im, col_name(im, RC_COL_CODE), "case code '%s' already exists",
				    r->code);
		}
	}

	/* 当事人, 当事人姓名, 涉及单位: the subject */
	const char *pname = NULL;
	if ((v = cell(im, f, lens, RC_COL_PERSON))) {
		char *end = NULL;
		long long id = 0;
		if (*v >= '0' && *v <= '9' && strlen(v) <= 18)
			id = strtoll(v, &end, 10);
		if (id <= 0 || !end || *end)
			bad(im, col_name(im, RC_COL_PERSON),
			    "'%s' is not an official's id (a whole number)", v);
		else if ((e = person_lookup(im, id, &pname)))
			return e;
		else if (!pname)
			bad(im, col_name(im, RC_COL_PERSON),
			    "no official with id %lld; `rongcuo person add` adds one", id);
		else
			r->person = id;
	}
	if ((r->person_name = cell(im, f, lens, RC_COL_PERSON_NAME)) && pname &&
	    strcmp(pname, r->person_name) != 0)
		bad(im, col_name(im, RC_COL_PERSON_NAME),
		    "'%s' is not the name of official %lld (%s); check the id in %s",
		    r->person_name, (long long)r->person, pname, col_name(im, RC_COL_PERSON));
	else if (r->person_name && !cell(im, f, lens, RC_COL_PERSON) &&
		 !im->cellbad[im->col_of[RC_COL_PERSON]])
		bad(im, col_name(im, RC_COL_PERSON_NAME), "a name without the official's id (%s)",
		    col_name(im, RC_COL_PERSON));
	if ((r->unit = cell(im, f, lens, RC_COL_UNIT)) &&
	    (e = org_cell(im, RC_COL_UNIT, r->unit, &r->unit_id)))
		return e;
	if (r->unit_id) {
		/* the unit concerned: the importer's organisation or below, as
		 * for case open */
		if ((e = in_scope(im, r->unit_id, &ok)))
			return e;
		if (!ok) {
			bad(im, col_name(im, RC_COL_UNIT),
			    "no organisation with code '%s'; `rongcuo org list` shows them",
			    r->unit);
			r->unit_id = 0;
		}
	}
	if (!cell(im, f, lens, RC_COL_PERSON) && !r->unit &&
	    !(im->col_of[RC_COL_PERSON] >= 0 && im->cellbad[im->col_of[RC_COL_PERSON]]) &&
	    !(im->col_of[RC_COL_UNIT] >= 0 && im->cellbad[im->col_of[RC_COL_UNIT]]))
		bad(im, NULL,
		    "a case needs its subject: %s (an official's id) or %s (a unit's code)",
		    col_name(im, RC_COL_PERSON), col_name(im, RC_COL_UNIT));

	/* 启动方式 */
	if (!(v = cell(im, f, lens, RC_COL_START_PATH))) {
		if (!im->cellbad[im->col_of[RC_COL_START_PATH]])
			bad(im, col_name(im, RC_COL_START_PATH),
			    "the start path is required: 依申请 or 依职权");
	} else if (strcmp(v, "依申请") == 0 || strcmp(v, "application") == 0) {
		r->start_path = "application";
	} else if (strcmp(v, "依职权") == 0 || strcmp(v, "ex_officio") == 0) {
		r->start_path = "ex_officio";
	} else {
		bad(im, col_name(im, RC_COL_START_PATH),
		    "'%s' is not a start path; write 依申请 or 依职权 (application, ex_officio)",
		    v);
	}

	/* 案件来源, 关联问责事项 */
	if ((r->source = cell(im, f, lens, RC_COL_SOURCE))) {
		int known = 0;
		for (int i = 0; sources[i] && !known; i++)
			known = strcmp(sources[i], r->source) == 0;
		if (!known)
			bad(im, col_name(im, RC_COL_SOURCE),
			    "source '%s' is not one of: 监督执纪, 巡视巡察, 干部考核, 监管执法, "
			    "审计, "
			    "其他",
			    r->source);
	}
	if ((r->ref = cell(im, f, lens, RC_COL_REF)))
		too_long(im, RC_COL_REF, r->ref, REF_MAX);

	/* 承办单位: exists, and the importing user acts on it */
	if (!(r->handling = cell(im, f, lens, RC_COL_HANDLING))) {
		if (!im->cellbad[im->col_of[RC_COL_HANDLING]])
			bad(im, col_name(im, RC_COL_HANDLING),
			    "the handling unit (承办单位) is required");
	} else {
		if ((e = org_cell(im, RC_COL_HANDLING, r->handling, &r->handling_id)))
			return e;
		if (r->handling_id) {
			if ((e = in_scope(im, r->handling_id, &ok)))
				return e;
			if (!ok)
				bad(im, col_name(im, RC_COL_HANDLING),
				    "refused: user '%s' is not in organisation '%s' or one above "
				    "it",
				    im->o.actor, r->handling);
		}
	}
	if ((r->committee = cell(im, f, lens, RC_COL_COMMITTEE)) &&
	    (e = org_cell(im, RC_COL_COMMITTEE, r->committee, &r->committee_id)))
		return e;

	/* 立案日期: the version in force, and the importing user's role */
	r->opened = r->state_on = r->decided = INT32_MIN;
	if (!(v = cell(im, f, lens, RC_COL_OPENED_ON))) {
		if (!im->cellbad[im->col_of[RC_COL_OPENED_ON]])
			bad(im, col_name(im, RC_COL_OPENED_ON),
			    "the date the case was opened is required");
	} else if (!date_cell(im, RC_COL_OPENED_ON, v, &r->opened)) {
		const struct rc_policy *p = rc_policy_set_at(im->o.set, r->opened);
		for (int i = 0; i < im->nv && p; i++)
			if (im->v[i].p == p)
				r->ver = &im->v[i];
		if (!r->ver) {
			bad(im, col_name(im, RC_COL_OPENED_ON),
			    "no loaded policy version is in force on %s; load the version for that "
			    "date (--policy)",
			    v);
		} else if (!r->ver->has_first) {
			bad(im, NULL, "policy %s has no procedure: cases cannot be opened under it",
			    rc_policy_version(p));
			r->ver = NULL;
		} else if (!r->ver->actor_ok) {
			rc_proc_actors_text(&r->ver->first, list, sizeof(list));
			bad(im, NULL,
			    "refused: the first step '%s' of policy %s is performed by %s; user "
			    "'%s' "
			    "has the role '%s'",
			    r->ver->first.name, rc_policy_version(p), list, im->o.actor,
			    im->actor.role);
			r->ver = NULL;
		}
	}
	const struct rc_policy *p = r->ver ? r->ver->p : NULL;

	/* 政策版本: when given, the one in force */
	if ((r->version = cell(im, f, lens, RC_COL_VERSION)) && p &&
	    strcmp(r->version, rc_policy_version(p)) != 0) {
		rc_date_format(r->opened, ds);
		bad(im, col_name(im, RC_COL_VERSION),
		    "'%s' is not the policy version in force on the case's opening date %s (%s)",
		    r->version, ds, rc_policy_version(p));
	}

	/* 当前步骤, 步骤日期 */
	if ((r->state = cell(im, f, lens, RC_COL_STATE)) && p) {
		int si = rc_policy_find(p, RC_K_STEP, r->state);
		if (si < 0 || rc_policy_step(p, si, &r->step)) {
			item_list(p, RC_K_STEP, list, sizeof(list));
			bad(im, col_name(im, RC_COL_STATE),
			    "'%s' is not a step of policy %s; its steps are %s", r->state,
			    rc_policy_version(p), list);
		}
	} else if (p) {
		r->step = r->ver->first;
		r->state = r->step.name;
	}
	if ((v = cell(im, f, lens, RC_COL_STATE_ON))) {
		if (!date_cell(im, RC_COL_STATE_ON, v, &r->state_on) && r->opened != INT32_MIN &&
		    r->state_on < r->opened) {
			rc_date_format(r->opened, ds);
			bad(im, col_name(im, RC_COL_STATE_ON),
			    "%s is before the case was opened (%s)", v, ds);
		}
	} else {
		r->state_on = r->opened;
	}

	/* 认定结果, 认定日期 */
	if ((r->outcome = cell(im, f, lens, RC_COL_OUTCOME)) && p &&
	    rc_policy_find(p, RC_K_OUTCOME, r->outcome) < 0) {
		item_list(p, RC_K_OUTCOME, list, sizeof(list));
		bad(im, col_name(im, RC_COL_OUTCOME),
		    "'%s' is not an outcome of policy %s; its outcomes are %s", r->outcome,
		    rc_policy_version(p), list);
	}
	if ((v = cell(im, f, lens, RC_COL_DECIDED_ON))) {
		if (!date_cell(im, RC_COL_DECIDED_ON, v, &r->decided)) {
			if (!r->outcome && !im->cellbad[im->col_of[RC_COL_OUTCOME]])
				bad(im, col_name(im, RC_COL_DECIDED_ON),
				    "a decision date without the outcome (%s)",
				    col_name(im, RC_COL_OUTCOME));
			else if (r->opened != INT32_MIN && r->decided < r->opened) {
				rc_date_format(r->opened, ds);
				bad(im, col_name(im, RC_COL_DECIDED_ON),
				    "%s is before the case was opened (%s)", v, ds);
			}
		}
	}

	/* the facts, under the version */
	if (p && (e = row_facts(im, r, f, lens)))
		return e;
	return RC_OK;
}

/* Evaluate the row's facts (the empty set when it has none) with its
 * version: a conflict between rules is an error of the row; a recorded
 * outcome outside a determined recommendation is a warning (a committee may
 * depart from the recommendation, with reasons). */
static void evaluate(struct rc_import *im, struct rowv *r)
{
	struct ver *v = r->ver;
	char band[512];
	if (!r->n_facts)
		rc_facts_clear(v->facts);
	im->st.evaluated++;
	if (r->n_facts)
		im->st.with_facts++;
	if (rc_policy_eval(v->p, v->facts, v->result, 0) == RC_ERR_CONFLICT) {
		int a, b;
		rc_result_conflict(v->result, &a, &b);
		bad(im, NULL,
		    "the row's facts make rules '%s' and '%s' of policy %s both apply with "
		    "different outcomes; fix the policy (rongcuo policy check)",
		    rc_policy_item_name(v->p, RC_K_RULE, a),
		    rc_policy_item_name(v->p, RC_K_RULE, b), rc_policy_version(v->p));
		return;
	}
	if (!r->outcome || rc_result_outcome_state(v->result) != RC_OUTCOME_DETERMINED)
		return;
	int o = rc_policy_find(v->p, RC_K_OUTCOME, r->outcome);
	uint64_t bits = rc_result_band(v->result);
	if (o < 0 || o >= 64 || (bits >> o) & 1)
		return;
	size_t off = 0;
	band[0] = '\0';
	for (int i = 0; i < 64 && i < rc_policy_count(v->p, RC_K_OUTCOME) && off + 1 < sizeof(band);
	     i++)
		if ((bits >> i) & 1)
			off += (size_t)snprintf(band + off, sizeof(band) - off, "%s%s",
						off ? " | " : "",
						rc_policy_item_name(v->p, RC_K_OUTCOME, i));
	warn(im, col_name(im, RC_COL_OUTCOME),
	     "the recorded outcome '%s' is not what the engine recommends for the row's facts "
	     "(%s); imported as recorded",
	     r->outcome, band);
}

static enum rc_err commit(struct rc_import *im)
{
	enum rc_err e = rc_store_commit(im->u->store);
	im->in_tx = 0;
	if (e) {
		/* nothing of this transaction was written */
		im->pending = 0;
		return e;
	}
	im->st.imported += im->pending;
	im->pending = 0;
	if (im->seq > im->seq_committed) {
		im->seq_committed = im->seq;
		memcpy(im->mac_committed, im->mac, sizeof(im->mac));
		/* after the commit, as rc_unit_change: a crash here leaves the
		 * head behind the chain, which verification accepts */
		if (im->u->head_path)
			rc_audit_head_save(im->u->head_path, im->u->key, im->seq, im->mac);
	}
	return RC_OK;
}

/* Write the checked row: the case at its step, its facts, where it came
 * from, and its audit row. */
static enum rc_err write_row(struct rc_import *im, const struct rowv *r)
{
	struct rc_store *s = im->u->store;
	struct rc_stmt *st;
	struct rc_buf *cb = &im->canon;
	int row, warn_cal = 0;
	char opened[RC_DATE_STRLEN], on[RC_DATE_STRLEN], due[RC_DATE_STRLEN],
	    decided[RC_DATE_STRLEN], now[21], object[80];
	int32_t due_on = INT32_MIN;
	enum rc_err e;
	const struct rc_policy *p = r->ver->p;

	rc_audit_now(now);
	rc_date_format(r->opened, opened);
	rc_date_format(r->state_on, on);
	if (r->decided != INT32_MIN)
		rc_date_format(r->decided, decided);
	if (r->step.deadline_unit != RC_DUR_NONE) {
		if ((e = rc_proc_add_dur(im->o.cal, r->state_on, r->step.deadline_unit,
					 r->step.deadline_n, &due_on, &warn_cal)))
			return store_failed(im, e, "cannot count the step's deadline");
		if (warn_cal)
			im->st.no_calendar++;
		rc_date_format(due_on, due);
	}
	if ((e = rc_store_stmt(s, Q_CASE_IMPORT, &st)) || (e = rc_stmt_bind_str(st, 1, r->code)) ||
	    (e = r->person ? rc_stmt_bind_int(st, 2, r->person) : rc_stmt_bind_null(st, 2)) ||
	    (e = r->unit_id ? rc_stmt_bind_int(st, 3, r->unit_id) : rc_stmt_bind_null(st, 3)) ||
	    (e = rc_stmt_bind_str(st, 4, r->start_path)) ||
	    (e = rc_stmt_bind_str(st, 5, r->source)) || (e = rc_stmt_bind_str(st, 6, r->ref)) ||
	    (e = rc_stmt_bind_int(st, 7, r->handling_id)) ||
	    (e = r->committee_id ? rc_stmt_bind_int(st, 8, r->committee_id)
				 : rc_stmt_bind_null(st, 8)) ||
	    (e = rc_stmt_bind_str(st, 9, rc_policy_series(p))) ||
	    (e = rc_stmt_bind_str(st, 10, rc_policy_version(p))) ||
	    (e = rc_stmt_bind_str(st, 11, r->state)) || (e = rc_stmt_bind_str(st, 12, opened)) ||
	    (e = rc_stmt_bind_str(st, 13, on)) || (e = rc_stmt_bind_int(st, 14, im->actor.id)) ||
	    (e = rc_stmt_step(st, &row)))
		return store_failed(im, e, "cannot write the case");
	int64_t case_id = rc_store_last_id(s);
	if ((e = rc_store_stmt(s, Q_STEP_INSERT, &st)) || (e = rc_stmt_bind_int(st, 1, case_id)) ||
	    (e = rc_stmt_bind_str(st, 2, r->state)) || (e = rc_stmt_bind_str(st, 3, on)) ||
	    (e = due_on != INT32_MIN ? rc_stmt_bind_str(st, 4, due) : rc_stmt_bind_null(st, 4)) ||
	    (e = rc_stmt_bind_int(st, 5, im->actor.id)) ||
	    (e = rc_stmt_bind_str(st, 6, "imported")) || (e = rc_stmt_step(st, &row)))
		return store_failed(im, e, "cannot write the case's step");
	if ((e = rc_store_stmt(s, Q_IMPORT_INSERT, &st)) ||
	    (e = rc_stmt_bind_int(st, 1, case_id)) || (e = rc_stmt_bind_str(st, 2, im->o.file)) ||
	    (e = rc_stmt_bind_int(st, 3, im->row)) || (e = rc_stmt_bind_str(st, 4, r->outcome)) ||
	    (e = r->decided != INT32_MIN ? rc_stmt_bind_str(st, 5, decided)
					 : rc_stmt_bind_null(st, 5)) ||
	    (e = rc_stmt_bind_int(st, 6, im->actor.id)) || (e = rc_stmt_bind_str(st, 7, now)) ||
	    (e = rc_stmt_step(st, &row)))
		return store_failed(im, e, "cannot record where the case came from");

	/* The canonical text: the fields of case.open's, then the rest. */
	rc_buf_reset(cb);
	e = rc_buf_printf(cb,
			  "code=%s\npolicy=%s %s\nstate=%s\nstart_path=%s\nsource=%s\n"
			  "handling=%s\nperson=%lld\nunit=%s\ncommittee=%s\nref=%s\n"
			  "opened_on=%s\nstate_on=%s\noutcome=%s\ndecided_on=%s\n",
			  r->code, rc_policy_series(p), rc_policy_version(p), r->state,
			  r->start_path, r->source ? r->source : "", r->handling,
			  (long long)r->person, r->unit ? r->unit : "",
			  r->committee ? r->committee : "", r->ref ? r->ref : "", opened, on,
			  r->outcome ? r->outcome : "", r->decided != INT32_MIN ? decided : "");
	static const char *const sections[] = {"facts", "findings"};
	for (size_t i = 0; i < 2 && !e && r->facts; i++) {
		json_t *obj = json_object_get(r->facts, sections[i]);
		const char *name;
		json_t *val;
		if (!obj)
			continue;
		json_object_foreach(obj, name, val)
		{
			char *vjson = json_dumps(val, JSON_ENCODE_ANY | JSON_COMPACT);
			if (!vjson)
				return RC_ERR_NOMEM;
			if ((e = rc_store_stmt(s, Q_FACT_INSERT, &st)) ||
			    (e = rc_stmt_bind_int(st, 1, case_id)) ||
			    (e = rc_stmt_bind_str(st, 2, name)) ||
			    (e = rc_stmt_bind_str(st, 3, vjson)) ||
			    (e = rc_stmt_bind_int(st, 4, im->actor.id)) ||
			    (e = rc_stmt_bind_str(st, 5, now)) || (e = rc_stmt_bind_null(st, 6)) ||
			    (e = rc_stmt_bind_int(st, 7, 0)) || (e = rc_stmt_bind_null(st, 8)) ||
			    (e = rc_stmt_step(st, &row))) {
				free(vjson);
				return store_failed(im, e, "cannot write a fact of the case");
			}
			e = rc_buf_printf(cb, "fact.%s=%s\n", name, vjson);
			free(vjson);
			if (e)
				break;
		}
	}
	if (!e)
		e = rc_buf_printf(cb, "imported_from=%s:%lld\n", im->o.file, (long long)im->row);
	if (e)
		return store_failed(im, e, "the case's canonical text does not fit");

	snprintf(object, sizeof(object), "case:%s", r->code);
	struct rc_audit_entry a = {.user = im->o.actor,
				   .role = im->actor.role,
				   .org = r->handling,
				   .action = "case.import",
				   .object = object,
				   .before = "",
				   .after = rc_buf_str(cb),
				   .request_id = im->u->request_id};
	if ((e = rc_audit_writer_append(s, im->aw, &a, now, &im->seq, im->mac)))
		return store_failed(im, e, "cannot write the audit row");
	im->pending++;
	return RC_OK;
}

enum rc_err rc_proc_import_row(struct rc_import *im, int64_t row, const char *const *fields,
			       const size_t *lens, int n)
{
	struct rowv r;
	enum rc_err e = RC_OK;
	memset(&r, 0, sizeof(r));
	im->row = row;
	im->row_bad = im->row_warned = 0;
	if (!im->header_done || im->failed)
		return RC_ERR_INTERNAL;
	im->st.rows++;
	if (n != im->ncols) {
		bad(im, NULL, "the row has %d fields; the header has %d", n, im->ncols);
		goto done;
	}
	/* Reads and writes happen in the import's transaction, which holds
	 * the write lock: what was checked is still true when written. */
	if (!im->in_tx) {
		if ((e = rc_store_begin(im->u->store))) {
			store_failed(im, e, "cannot start a transaction");
			goto done;
		}
		im->in_tx = 1;
	}
	if ((e = check_row(im, fields, lens, &r))) {
		store_failed(im, e, "cannot read the store");
		goto done;
	}
	if (!im->row_bad)
		evaluate(im, &r);
	/* Remember the code: a later row with the same one repeats it.  A
	 * bad row's code is marked, so that with --keep-good a corrected row
	 * later in the file may still use it. */
	if (r.code && strlen(r.code) <= CODE_MAX) {
		int64_t *seen = hmap_get(&im->codes, r.code, strlen(r.code));
		if (!seen || *seen < 0) {
			if ((e = hmap_put(&im->codes, &im->arena, r.code, strlen(r.code),
					  im->row_bad ? -row : row))) {
				store_failed(im, e, "too many rows to remember their codes");
				goto done;
			}
		}
	}
	if (im->row_bad || (!im->o.keep_good && im->st.bad) || im->o.check_only)
		goto done;
	if ((e = write_row(im, &r)))
		goto done;
	if (im->o.keep_good && im->pending >= im->o.batch && (e = commit(im)))
		store_failed(im, e, "commit failed");
done:
	if (im->row_bad)
		im->st.bad++;
	if (im->row_warned)
		im->st.warnings++;
	json_decref(r.facts);
	return e;
}

void rc_proc_import_reject(struct rc_import *im, int64_t row)
{
	im->row = row;
	im->st.rows++;
	im->st.bad++;
}

enum rc_err rc_proc_import_finish(struct rc_import *im, struct rc_import_stats *st,
				  struct rc_diags *d)
{
	enum rc_err e = RC_OK;
	if (im->in_tx) {
		if (im->failed || (!im->o.keep_good && im->st.bad) || im->o.check_only) {
			rc_store_rollback(im->u->store);
			im->in_tx = 0;
			im->pending = 0;
		} else if ((e = commit(im))) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "commit failed: %s; %s",
				    rc_store_errmsg(im->u->store),
				    im->o.keep_good ? "the last batch was not imported"
						    : "nothing was imported");
		}
	}
	*st = im->st;
	if (!e && im->st.bad)
		e = RC_ERR_RANGE;
	return e;
}

void rc_proc_import_abort(struct rc_import *im, struct rc_import_stats *st)
{
	if (!im)
		return;
	if (im->in_tx) {
		rc_store_rollback(im->u->store);
		im->in_tx = 0;
		im->pending = 0;
	}
	*st = im->st;
}
