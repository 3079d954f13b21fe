/*
 * test_audit.c -- unit tests of the audit trail (audit.h): the key file, the
 * chain written through units of work, and verification against tampering.
 *
 * The tamper trials copy a verified database (and its head file), make ONE
 * change to the copy with the sqlite3 library directly -- as someone without
 * the key would -- and require rc_audit_verify to refuse it and to name the
 * first bad row.  Which row that is, is not taken from the code under test:
 * the trial reads the tampered table back, compares it position by position
 * with the original, and the first position that differs (or, when rows
 * were cut off the end, the first missing one) is the first bad row.  The
 * verifier may name it by its seq or by its position (audit.h).
 *
 *   RC_TAMPER_TRIALS  number of trials (default 40; scripts/tamper-long.sh
 *                     runs 1000)
 *   RC_TAMPER_SEED    the random seed (printed; a failure replays with it)
 *   RC_TEST_FILTER    run only the tests whose names match (cmocka's
 *                     pattern, e.g. tamper_trials)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "core/diag.h"
#include "core/err.h"
#include "procedure/procedure.h"
#include "store/store.h"

#define DEFAULT_TRIALS 40
#define DEFAULT_SEED   20240601u
#define N_DIRECT       9 /* rows appended with rc_audit_append directly */
#define NCOL           11

static char g_dir[4096];
static char g_db[4200], g_head[4200], g_keyfile[4200]; /* the verified original */
static uint8_t g_key[RC_AUDIT_KEY_LEN];
static char g_genesis[RC_AUDIT_MAC_HEX]; /* the first row's prev_mac: 64 zeros */

/* The audit columns after seq, in table order. */
static const char *const cols[NCOL] = {"at",         "user",     "role",   "org",
				       "action",     "object",   "before", "after",
				       "request_id", "prev_mac", "mac"};

struct row {
	int64_t seq;
	char *f[NCOL];
};

struct table {
	struct row *rows;
	int n;
};

static struct table g_orig; /* the original rows, in seq order */

/* ---- helpers --------------------------------------------------------- */

static struct rc_diags *new_diags(void)
{
	struct rc_diags *d = malloc(sizeof(*d));
	assert_non_null(d);
	rc_diags_init(d, "audit");
	return d;
}

static int diags_have(const struct rc_diags *d, const char *text)
{
	for (int i = 0; i < d->count; i++)
		if (strstr(d->items[i].msg, text))
			return 1;
	return 0;
}

/* Some diagnostic names row `seq`: "row SEQ" not followed by a digit. */
static int diags_name_row(const struct rc_diags *d, int64_t seq)
{
	char want[40];
	int n = snprintf(want, sizeof(want), "row %lld", (long long)seq);
	for (int i = 0; i < d->count; i++)
		for (const char *p = d->items[i].msg; (p = strstr(p, want)) != NULL; p += n)
			if (p[n] < '0' || p[n] > '9')
				return 1;
	return 0;
}

static void path_in(char *out, size_t len, const char *name)
{
	int n = snprintf(out, len, "%s/%s", g_dir, name);
	if (n < 0 || (size_t)n >= len) {
		fprintf(stderr, "test_audit: path too long\n");
		abort();
	}
}

static void remove_db(const char *path)
{
	char p[4300];
	static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, ext[i]);
		unlink(p);
	}
}

/* Copy a file byte for byte; 0 on success. */
static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return -1;
	}
	ssize_t n;
	int ok = 1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			ok = 0;
	if (n < 0)
		ok = 0;
	close(in);
	if (close(out) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

static void write_text(const char *path, const char *text, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	assert_true(fd >= 0);
	size_t len = strlen(text);
	assert_true(write(fd, text, len) == (ssize_t)len);
	assert_int_equal(close(fd), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static struct rc_store *open_store(const char *path)
{
	struct rc_diags *d = new_diags();
	struct rc_store *s = NULL;
	int from, to;
	enum rc_err e = rc_store_open(path, d, &s);
	if (!e)
		e = rc_store_migrate(s, d, &from, &to);
	if (e)
		rc_diags_print(d, stderr);
	assert_int_equal(e, RC_OK);
	free(d);
	return s;
}

/* Verify the database at `path` with `key` and `head` (may be NULL). */
static enum rc_err verify_file(const char *path, const uint8_t *key, const char *head,
			       struct rc_diags *d, int64_t *rows, int64_t *first_bad)
{
	struct rc_store *s = NULL;
	enum rc_err e = rc_store_open(path, d, &s);
	if (e)
		return e;
	e = rc_audit_verify(s, key, head, d, rows, first_bad);
	rc_store_close(s);
	return e;
}

/* ---- the rows as they are in a file ------------------------------------ */

static void table_free(struct table *t)
{
	for (int i = 0; i < t->n; i++)
		for (int c = 0; c < NCOL; c++)
			free(t->rows[i].f[c]);
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
}

static void table_read(sqlite3 *db, struct table *t)
{
	sqlite3_stmt *st = NULL;
	int cap = 0;
	t->rows = NULL;
	t->n = 0;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT seq, at, user, role, org, action, object, "
					    "before, after, request_id, prev_mac, mac FROM audit "
					    "ORDER BY seq",
					    -1, &st, NULL),
			 SQLITE_OK);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (t->n == cap) {
			cap = cap ? 2 * cap : 32;
			struct row *r = realloc(t->rows, (size_t)cap * sizeof(*r));
			assert_non_null(r);
			t->rows = r;
		}
		struct row *r = &t->rows[t->n++];
		r->seq = sqlite3_column_int64(st, 0);
		for (int c = 0; c < NCOL; c++) {
			const unsigned char *v = sqlite3_column_text(st, c + 1);
			int len = sqlite3_column_bytes(st, c + 1);
			r->f[c] = malloc((size_t)len + 1);
			assert_non_null(r->f[c]);
			memcpy(r->f[c], v ? (const char *)v : "", (size_t)len);
			r->f[c][len] = '\0';
		}
	}
	assert_int_equal(rc, SQLITE_DONE);
	sqlite3_finalize(st);
}

static int rows_equal(const struct row *a, const struct row *b)
{
	if (a->seq != b->seq)
		return 0;
	for (int c = 0; c < NCOL; c++)
		if (strcmp(a->f[c], b->f[c]) != 0)
			return 0;
	return 1;
}

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* Run `sql` with up to three bound values: integers i1, i2 (when not
 * INT64_MIN) and text t3 (when not NULL).  SQLITE_DONE expected. */
static void raw_run(sqlite3 *db, const char *sql, int64_t i1, int64_t i2, const char *t3)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (i1 != INT64_MIN)
		sqlite3_bind_int64(st, 1, i1);
	if (i2 != INT64_MIN)
		sqlite3_bind_int64(st, 2, i2);
	if (t3)
		sqlite3_bind_text(st, 3, t3, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
}

#define NONE INT64_MIN

/* ---- building the original chain ---------------------------------------- */

static enum rc_err add_direct(struct rc_store *s, const struct rc_audit_entry *e, const char *at,
			      const char *head)
{
	int64_t seq = 0;
	char mac[RC_AUDIT_MAC_HEX];
	enum rc_err err = rc_store_begin(s);
	if (!err)
		err = rc_audit_append(s, g_key, e, at, &seq, mac);
	if (err) {
		rc_store_rollback(s);
		return err;
	}
	if ((err = rc_store_commit(s)))
		return err;
	return head ? rc_audit_head_save(head, g_key, seq, mac) : RC_OK;
}

/* The number of audit rows, through the store. */
static int64_t audit_count(struct rc_store *s)
{
	struct rc_diags *d = new_diags();
	int64_t rows = -1, bad = -1;
	assert_int_equal(rc_audit_verify(s, g_key, NULL, d, &rows, &bad), RC_OK);
	free(d);
	return rows;
}

/* Group setup: a key, and a chain of rows written both through units of
 * work (the registry) and by rc_audit_append in transactions of our own. */
static int build_original(void **state)
{
	(void)state;
	struct rc_diags *d = new_diags();
	struct rc_unit u = {0};
	int64_t id = 0;
	path_in(g_keyfile, sizeof(g_keyfile), "audit.key");
	path_in(g_db, sizeof(g_db), "orig.db");
	path_in(g_head, sizeof(g_head), "orig.head");
	assert_int_equal(rc_audit_key_create(g_keyfile, g_key, d), RC_OK);
	struct rc_store *s = open_store(g_db);

	u.store = s;
	u.key = g_key;
	u.head_path = g_head;
	assert_int_equal(rc_unit_init(&u), RC_OK);
	assert_int_equal(strlen(u.request_id), 16);
	assert_int_equal(rc_proc_org_add(&u, "admin", "ZJ", "浙江省", "province", NULL, d, &id),
			 RC_OK);
	assert_int_equal(rc_proc_org_add(&u, "admin", "HZ", "杭州市", "city", "ZJ", d, &id), RC_OK);
	assert_int_equal(rc_proc_org_add(&u, "admin", "XH", "西湖区", "county", "HZ", d, &id),
			 RC_OK);
	assert_int_equal(rc_proc_person_add(&u, "admin", "张三", "XH", "局长", "正处", d, &id),
			 RC_OK);
	assert_int_equal(audit_count(s), 4);

	/* changes that fail leave neither the change nor an audit row */
	rc_diags_init(d, "audit");
	assert_int_equal(rc_proc_org_add(&u, "admin", "NB", "宁波市", "city", "NOPE", d, &id),
			 RC_ERR_NAME);
	assert_int_equal(rc_proc_org_add(&u, "admin", "HZ", "again", "city", "ZJ", d, &id),
			 RC_ERR_CONFLICT);
	assert_int_equal(rc_proc_org_add(&u, "admin", "BAD", "坏", "city", "XH", d, &id),
			 RC_ERR_RANGE);
	assert_int_equal(rc_proc_person_add(&u, "admin", "李四", "NOPE", NULL, NULL, d, &id),
			 RC_ERR_NAME);
	assert_int_equal(audit_count(s), 4);

	/* rows of our own, with other texts in every field */
	for (int i = 0; i < N_DIRECT; i++) {
		char user[32], object[64], before[64], after[64], rid[32], at[32];
		snprintf(user, sizeof(user), "user%d", i);
		snprintf(object, sizeof(object), "case:ZJ-2024-%03d", i);
		if (i % 3)
			snprintf(before, sizeof(before), "state=%d\n", i);
		else
			before[0] = '\0'; /* a new object */
		snprintf(after, sizeof(after), "state=%d\n审查\n", i + 1);
		snprintf(rid, sizeof(rid), "req-%04d", i / 2);
		snprintf(at, sizeof(at), "2024-06-%02dT08:%02d:00Z", 1 + i, 10 + i);
		struct rc_audit_entry e = {.user = user,
					   .role = i % 2 ? "审理" : "承办",
					   .org = i % 2 ? "HZ" : "XH",
					   .action = i % 2 ? "case.step" : "case.open",
					   .object = object,
					   .before = before,
					   .after = after,
					   .request_id = rid};
		assert_int_equal(add_direct(s, &e, at, g_head), RC_OK);
	}
	/* a field with a newline is refused, and nothing is written */
	struct rc_audit_entry nl = {.user = "a\nb",
				    .role = "r",
				    .org = "o",
				    .action = "x",
				    .object = "y",
				    .before = "",
				    .after = "",
				    .request_id = "q"};
	assert_int_equal(add_direct(s, &nl, NULL, g_head), RC_ERR_RANGE);
	nl.user = "u";
	nl.request_id = "q\n";
	assert_int_equal(add_direct(s, &nl, NULL, g_head), RC_ERR_RANGE);
	assert_int_equal(add_direct(s, &nl, "2024-01-01T00:00:00Z\n", g_head), RC_ERR_RANGE);
	/* before/after are digested, so newlines there are fine */
	assert_int_equal(audit_count(s), 4 + N_DIRECT);

	/* the whole chain verifies, head file included */
	int64_t rows = -1, bad = -1;
	rc_diags_init(d, "audit");
	enum rc_err e = rc_audit_verify(s, g_key, g_head, d, &rows, &bad);
	if (e)
		rc_diags_print(d, stderr);
	assert_int_equal(e, RC_OK);
	assert_int_equal(rows, 4 + N_DIRECT);
	assert_int_equal(bad, 0);
	assert_int_equal(d->count, 0);
	rc_store_close(s); /* the last connection: WAL checkpointed into the file */

	sqlite3 *db = raw_open(g_db);
	table_read(db, &g_orig);
	sqlite3_close(db);
	assert_int_equal(g_orig.n, 4 + N_DIRECT);
	free(d);
	return 0;
}

static int free_original(void **state)
{
	(void)state;
	table_free(&g_orig);
	remove_db(g_db);
	unlink(g_head);
	unlink(g_keyfile);
	return 0;
}

/* ---- the key file ------------------------------------------------------- */

static void key_create(void **state)
{
	(void)state;
	char path[4200];
	uint8_t k1[RC_AUDIT_KEY_LEN], k2[RC_AUDIT_KEY_LEN], back[RC_AUDIT_KEY_LEN];
	struct stat sb;
	struct rc_diags *d = new_diags();
	path_in(path, sizeof(path), "k-create.key");
	unlink(path);

	assert_int_equal(rc_audit_key_create(path, k1, d), RC_OK);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(sb.st_size, 2 * RC_AUDIT_KEY_LEN + 1); /* hex and a newline */
	assert_int_equal(rc_audit_key_load(path, back, d), RC_OK);
	assert_memory_equal(k1, back, RC_AUDIT_KEY_LEN);

	/* an existing file is refused, and left as it was */
	memset(k2, 0, sizeof(k2));
	assert_int_equal(rc_audit_key_create(path, k2, d), RC_ERR_IO);
	assert_true(diags_have(d, path));
	assert_int_equal(rc_audit_key_load(path, back, d), RC_OK);
	assert_memory_equal(k1, back, RC_AUDIT_KEY_LEN);

	/* two keys are different (random) */
	unlink(path);
	assert_int_equal(rc_audit_key_create(path, k2, d), RC_OK);
	assert_memory_not_equal(k1, k2, RC_AUDIT_KEY_LEN);
	unlink(path);

	/* a directory that does not exist */
	rc_diags_init(d, "audit");
	path_in(path, sizeof(path), "no-such-dir/audit.key");
	assert_int_equal(rc_audit_key_create(path, k2, d), RC_ERR_IO);
	assert_true(d->errors >= 1);
	free(d);
}

/* Loading refuses a key readable (or writable) by group or others. */
static void key_load_mode(void **state)
{
	(void)state;
	char path[4200];
	uint8_t k[RC_AUDIT_KEY_LEN], back[RC_AUDIT_KEY_LEN];
	struct rc_diags *d = new_diags();
	path_in(path, sizeof(path), "k-mode.key");
	unlink(path);
	assert_int_equal(rc_audit_key_create(path, k, d), RC_OK);

	static const mode_t refused[] = {0640, 0604, 0644, 0660,       0606,
					 0620, 0602, 0666, 0700 | 0040};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		rc_diags_init(d, "audit");
		assert_int_equal(chmod(path, refused[i]), 0);
		if (rc_audit_key_load(path, back, d) == RC_OK)
			fail_msg("a key file of mode %o was accepted", (unsigned)refused[i]);
		assert_true(diags_have(d, "chmod 600"));
	}
	static const mode_t accepted[] = {0600, 0400};
	for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		assert_int_equal(chmod(path, accepted[i]), 0);
		memset(back, 0, sizeof(back));
		assert_int_equal(rc_audit_key_load(path, back, d), RC_OK);
		assert_memory_equal(k, back, RC_AUDIT_KEY_LEN);
	}
	unlink(path);

	/* no file at all: the message says what to do */
	rc_diags_init(d, "audit");
	assert_int_equal(rc_audit_key_load(path, back, d), RC_ERR_IO);
	assert_true(diags_have(d, "db init"));
	free(d);
}

static void key_load_malformed(void **state)
{
	(void)state;
	char path[4200], hex[2 * RC_AUDIT_KEY_LEN + 1];
	uint8_t back[RC_AUDIT_KEY_LEN];
	struct rc_diags *d = new_diags();
	path_in(path, sizeof(path), "k-bad.key");
	for (int i = 0; i < 2 * RC_AUDIT_KEY_LEN; i++)
		hex[i] = "0123456789abcdef"[i % 16];
	hex[2 * RC_AUDIT_KEY_LEN] = '\0';

	char text[256];
	const char *bad[] = {
	    "",                                                                     /* empty */
	    "\n",                                                                   /* a newline */
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n",    /* 63 digits */
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0\n",  /* 65 */
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef01\n", /* 66 */
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg\n",   /* g */
	    "0123456789abcdef 123456789abcdef0123456789abcdef0123456789abcdef\n",   /* space */
	    " 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",  /* leading */
	    "0x23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",   /* 0x */
	    "0123456789abcdef0123456789abcdef\n0123456789abcdef0123456789abcdef\n", /* two lines */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc_diags_init(d, "audit");
		write_text(path, bad[i], 0600);
		enum rc_err e = rc_audit_key_load(path, back, d);
		if (e == RC_OK)
			fail_msg("malformed key file %zu accepted", i);
		assert_int_equal(e, RC_ERR_SYNTAX);
		assert_true(diags_have(d, "not an audit key"));
	}
	/* well-formed variants: upper case, CRLF, no newline */
	uint8_t want[RC_AUDIT_KEY_LEN];
	for (int i = 0; i < RC_AUDIT_KEY_LEN; i++)
		want[i] = (uint8_t)((i * 2 % 16) << 4 | ((i * 2 + 1) % 16));
	static const char *const ends[] = {"\n", "\r\n", ""};
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		snprintf(text, sizeof(text), "%s%s", hex, ends[i]);
		write_text(path, text, 0600);
		memset(back, 0, sizeof(back));
		assert_int_equal(rc_audit_key_load(path, back, d), RC_OK);
		assert_memory_equal(want, back, RC_AUDIT_KEY_LEN);
	}
	for (int i = 0; hex[i]; i++)
		if (hex[i] >= 'a' && hex[i] <= 'f')
			hex[i] = (char)(hex[i] - 'a' + 'A');
	snprintf(text, sizeof(text), "%s\n", hex);
	write_text(path, text, 0600);
	assert_int_equal(rc_audit_key_load(path, back, d), RC_OK);
	assert_memory_equal(want, back, RC_AUDIT_KEY_LEN);
	unlink(path);
	free(d);
}

/* ---- the chain, untampered ---------------------------------------------- */

/* The original verifies, with and without its head file; the rows link up
 * as documented (genesis, prev_mac = the predecessor's mac, 64 hex). */
static void chain_verifies(void **state)
{
	(void)state;
	struct rc_diags *d = new_diags();
	int64_t rows = -1, bad = -1;
	assert_int_equal(verify_file(g_db, g_key, g_head, d, &rows, &bad), RC_OK);
	assert_int_equal(rows, g_orig.n);
	assert_int_equal(bad, 0);
	assert_int_equal(verify_file(g_db, g_key, NULL, d, &rows, &bad), RC_OK);
	assert_int_equal(rows, g_orig.n);
	assert_int_equal(d->count, 0);

	for (int i = 0; i < g_orig.n; i++) {
		const struct row *r = &g_orig.rows[i];
		assert_int_equal(r->seq, i + 1);
		assert_int_equal(strlen(r->f[10]), 64);
		assert_string_equal(r->f[9], i ? g_orig.rows[i - 1].f[10] : g_genesis);
		assert_int_equal(strlen(r->f[6]), 64); /* before: an SM3 digest */
		assert_int_equal(strlen(r->f[7]), 64); /* after */
	}
	/* the registry's rows */
	assert_string_equal(g_orig.rows[0].f[4], "org.add");
	assert_string_equal(g_orig.rows[0].f[5], "org:ZJ");
	assert_string_equal(g_orig.rows[0].f[1], "admin");
	assert_string_equal(g_orig.rows[3].f[4], "person.add");
	assert_string_equal(g_orig.rows[3].f[5], "person:1");
	/* the head file records the newest row */
	int64_t hseq = 0;
	char hmac[RC_AUDIT_MAC_HEX];
	assert_int_equal(rc_audit_head_load(g_head, g_key, &hseq, hmac), RC_OK);
	assert_int_equal(hseq, g_orig.n);
	assert_string_equal(hmac, g_orig.rows[g_orig.n - 1].f[10]);
	free(d);
}

/* An empty chain verifies, with 0 rows. */
static void chain_empty(void **state)
{
	(void)state;
	char path[4200];
	int64_t rows = -1, bad = -1;
	struct rc_diags *d = new_diags();
	path_in(path, sizeof(path), "empty.db");
	remove_db(path);
	struct rc_store *s = open_store(path);
	assert_int_equal(rc_audit_verify(s, g_key, NULL, d, &rows, &bad), RC_OK);
	assert_int_equal(rows, 0);
	assert_int_equal(bad, 0);
	rc_store_close(s);
	remove_db(path);
	free(d);
}

/* Two connections appending in turn (each in its own write transaction)
 * keep one whole chain: the head is read inside the transaction. */
static void two_writers(void **state)
{
	(void)state;
	char path[4200], head[4200];
	struct rc_diags *d = new_diags();
	path_in(path, sizeof(path), "two.db");
	path_in(head, sizeof(head), "two.head");
	remove_db(path);
	unlink(head);
	struct rc_store *a = open_store(path);
	struct rc_store *b = open_store(path);
	for (int i = 0; i < 10; i++) {
		char obj[32];
		snprintf(obj, sizeof(obj), "obj:%d", i);
		struct rc_audit_entry e = {.user = i % 2 ? "b" : "a",
					   .role = "r",
					   .org = "o",
					   .action = "t",
					   .object = obj,
					   .before = "",
					   .after = obj,
					   .request_id = "rid"};
		assert_int_equal(add_direct(i % 2 ? b : a, &e, NULL, head), RC_OK);
	}
	int64_t rows = -1, bad = -1;
	assert_int_equal(rc_audit_verify(a, g_key, head, d, &rows, &bad), RC_OK);
	assert_int_equal(rows, 10);
	assert_int_equal(rc_audit_verify(b, g_key, head, d, &rows, &bad), RC_OK);
	assert_int_equal(rows, 10);
	rc_store_close(a);
	rc_store_close(b);
	remove_db(path);
	unlink(head);
	free(d);
}

/* A writer (rc_audit_writer) appending many rows per transaction keeps the
 * chain whole across what happens between its transactions: its own rows
 * rolled back, and rows another connection appended.  Outside a
 * transaction it refuses to append. */
static void writer_across_transactions(void **state)
{
	(void)state;
	char path[4200];
	struct rc_diags *d = new_diags();
	struct rc_audit_writer *w = NULL;
	int64_t seq = 0;
	char mac[RC_AUDIT_MAC_HEX];
	path_in(path, sizeof(path), "writer.db");
	remove_db(path);
	struct rc_store *a = open_store(path);
	struct rc_store *b = open_store(path);
	struct rc_audit_entry e = {.user = "w",
				   .role = "r",
				   .org = "o",
				   .action = "t",
				   .object = "obj:w",
				   .before = "",
				   .after = "x",
				   .request_id = "rid"};
	assert_int_equal(rc_audit_writer_new(g_key, &w), RC_OK);
	assert_int_equal(rc_audit_writer_append(a, w, &e, NULL, &seq, mac), RC_ERR_INTERNAL);
	/* three rows committed */
	assert_int_equal(rc_store_begin(a), RC_OK);
	for (int i = 0; i < 3; i++)
		assert_int_equal(rc_audit_writer_append(a, w, &e, NULL, &seq, mac), RC_OK);
	assert_int_equal(seq, 3);
	assert_int_equal(rc_store_commit(a), RC_OK);
	/* two rows rolled back: the writer must not chain past them */
	assert_int_equal(rc_store_begin(a), RC_OK);
	for (int i = 0; i < 2; i++)
		assert_int_equal(rc_audit_writer_append(a, w, &e, NULL, &seq, mac), RC_OK);
	assert_int_equal(seq, 5);
	rc_store_rollback(a);
	/* another connection appends one */
	e.user = "other";
	assert_int_equal(add_direct(b, &e, NULL, NULL), RC_OK);
	/* the writer continues after it */
	e.user = "w";
	assert_int_equal(rc_store_begin(a), RC_OK);
	for (int i = 0; i < 2; i++)
		assert_int_equal(rc_audit_writer_append(a, w, &e, NULL, &seq, mac), RC_OK);
	assert_int_equal(seq, 6);
	assert_int_equal(rc_store_commit(a), RC_OK);
	rc_audit_writer_free(w);
	rc_audit_writer_free(NULL);
	int64_t rows = -1, bad = -1;
	assert_int_equal(rc_audit_verify(b, g_key, NULL, d, &rows, &bad), RC_OK);
	assert_int_equal(rows, 6);
	rc_store_close(a);
	rc_store_close(b);
	remove_db(path);
	free(d);
}

/* ---- key and head file failures ------------------------------------------ */

static void wrong_key(void **state)
{
	(void)state;
	uint8_t k[RC_AUDIT_KEY_LEN];
	int64_t rows = -1, bad = -1;
	struct rc_diags *d = new_diags();
	memcpy(k, g_key, sizeof(k));
	k[RC_AUDIT_KEY_LEN - 1] ^= 1; /* one bit */
	/* the head file is MACed under the key too: it fails first */
	assert_int_equal(verify_file(g_db, k, g_head, d, &rows, &bad), RC_ERR_CONFLICT);
	assert_true(diags_have(d, "altered"));
	/* and without the head file, the first row does */
	rc_diags_init(d, "audit");
	assert_int_equal(verify_file(g_db, k, NULL, d, &rows, &bad), RC_ERR_CONFLICT);
	assert_int_equal(bad, 1);
	assert_true(diags_name_row(d, 1));
	assert_true(diags_have(d, "MAC"));

	rc_diags_init(d, "audit");
	memset(k, 0, sizeof(k));
	assert_int_equal(verify_file(g_db, k, NULL, d, &rows, &bad), RC_ERR_CONFLICT);
	assert_int_equal(bad, 1);
	free(d);
}

/* The head file is saved after each commit, so it vouches for rows a read
 * snapshot begun before that commit does not see: a verification must
 * read the head before its rows' snapshot begins (the web's audit page
 * ends the page's read transaction first, web/admin.c).  Inside the older
 * snapshot the chain looks cut; read afresh it verifies. */
static void head_newer_than_snapshot(void **state)
{
	(void)state;
	char db[4200], head[4200];
	int64_t rows = -1, bad = -1;
	struct rc_diags *d = new_diags();
	path_in(db, sizeof(db), "snap.db");
	path_in(head, sizeof(head), "snap.head");
	remove_db(db);
	unlink(head);
	assert_int_equal(copy_file(g_db, db), 0);
	assert_int_equal(copy_file(g_head, head), 0);
	struct rc_store *reader = open_store(db), *writer = open_store(db);
	struct rc_audit_entry e = {.user = "cli",
				   .role = "cli",
				   .org = "-",
				   .action = "test.append",
				   .object = "test:snapshot",
				   .before = "",
				   .after = "x=1\n",
				   .request_id = "00000000000000aa"};
	/* the reader's snapshot, then another connection's change */
	assert_int_equal(rc_store_begin_read(reader), RC_OK);
	assert_int_equal(audit_count(reader), g_orig.n);
	assert_int_equal(add_direct(writer, &e, "2026-11-27T00:00:00Z", head), RC_OK);
	assert_int_equal(rc_audit_verify(reader, g_key, head, d, &rows, &bad), RC_ERR_CONFLICT);
	assert_true(diags_have(d, "head file"));
	/* the snapshot ended: the head is read first, the rows after it */
	rc_store_rollback(reader);
	rc_diags_init(d, "audit");
	assert_int_equal(rc_audit_verify(reader, g_key, head, d, &rows, &bad), RC_OK);
	assert_int_equal(rows, g_orig.n + 1);
	rc_store_close(reader);
	rc_store_close(writer);
	remove_db(db);
	unlink(head);
	free(d);
}

static void head_cases(void **state)
{
	(void)state;
	char head[4200], text[256];
	int64_t rows = -1, bad = -1;
	const int64_t n = g_orig.n;
	const char *last_mac = g_orig.rows[n - 1].f[10], *prev_mac = g_orig.rows[n - 2].f[10];
	struct rc_diags *d = new_diags();
	path_in(head, sizeof(head), "case.head");

	/* The head only moves forward: a fresh file for each case below
	 * (unlink), as a crash or an attacker would leave it. */

	/* the head ahead of the chain: rows were lost */
	unlink(head);
	assert_int_equal(rc_audit_head_save(head, g_key, n + 1, last_mac), RC_OK);
	assert_int_equal(verify_file(g_db, g_key, head, d, &rows, &bad), RC_ERR_CONFLICT);
	assert_int_equal(bad, n + 1);
	assert_int_equal(rows, n);
	assert_true(diags_have(d, "head file"));
	rc_diags_init(d, "audit");
	unlink(head);
	assert_int_equal(rc_audit_head_save(head, g_key, n + 5, prev_mac), RC_OK);
	assert_int_equal(verify_file(g_db, g_key, head, d, &rows, &bad), RC_ERR_CONFLICT);
	assert_int_equal(bad, n + 1);

	/* the same row, another MAC: the chain was rewritten */
	rc_diags_init(d, "audit");
	unlink(head);
	assert_int_equal(rc_audit_head_save(head, g_key, n, prev_mac), RC_OK);
	assert_int_equal(verify_file(g_db, g_key, head, d, &rows, &bad), RC_ERR_CONFLICT);
	assert_int_equal(bad, n);
	assert_true(diags_have(d, "rewritten"));

	/* one row behind, with that row's MAC (a crash between the commit and
	 * the head update): accepted */
	rc_diags_init(d, "audit");
	unlink(head);
	assert_int_equal(rc_audit_head_save(head, g_key, n - 1, prev_mac), RC_OK);
	assert_int_equal(verify_file(g_db, g_key, head, d, &rows, &bad), RC_OK);
	assert_int_equal(rows, n);
	assert_int_equal(bad, 0);
	assert_int_equal(d->count, 0);

	/* one row behind but naming another row's MAC: refused */
	rc_diags_init(d, "audit");
	unlink(head);
	assert_int_equal(rc_audit_head_save(head, g_key, n - 1, last_mac), RC_OK);
	assert_int_equal(verify_file(g_db, g_key, head, d, &rows, &bad), RC_ERR_CONFLICT);
	assert_int_equal(bad, n - 1);

	/* never backwards: saving an older head keeps the newer one */
	unlink(head);
	assert_int_equal(rc_audit_head_save(head, g_key, n, last_mac), RC_OK);
	assert_int_equal(rc_audit_head_save(head, g_key, n - 1, prev_mac), RC_OK);
	int64_t hseq = 0;
	char hmac[RC_AUDIT_MAC_HEX];
	assert_int_equal(rc_audit_head_load(head, g_key, &hseq, hmac), RC_OK);
	assert_int_equal(hseq, n);
	assert_string_equal(hmac, last_mac);
	rc_diags_init(d, "audit");
	assert_int_equal(verify_file(g_db, g_key, head, d, &rows, &bad), RC_OK);

	/* the head file written without the key: its own MAC fails */
	snprintf(text, sizeof(text), "%lld %s %s\n", (long long)(n - 1), prev_mac, last_mac);
	write_text(head, text, 0600);
	assert_int_equal(rc_audit_head_load(head, g_key, &hseq, hmac), RC_ERR_CONFLICT);
	rc_diags_init(d, "audit");
	assert_int_equal(verify_file(g_db, g_key, head, d, &rows, &bad), RC_ERR_CONFLICT);
	assert_true(diags_have(d, "altered"));

	/* no head file: refused (db init creates one; deleting it hides a
	 * truncation) */
	unlink(head);
	assert_int_equal(rc_audit_head_load(head, g_key, &hseq, hmac), RC_ERR_NOT_FOUND);
	rc_diags_init(d, "audit");
	assert_int_equal(verify_file(g_db, g_key, head, d, &rows, &bad), RC_ERR_CONFLICT);
	assert_true(diags_have(d, "missing"));

	/* a head file that is not one: an error, not a pass */
	const char *junk[] = {"", "garbage\n", "12\n", "-1 abc\n", "12 short\n", "x 0000\n"};
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		write_text(head, junk[i], 0600);
		assert_int_equal(rc_audit_head_load(head, g_key, &hseq, hmac), RC_ERR_SYNTAX);
		rc_diags_init(d, "audit");
		if (verify_file(g_db, g_key, head, d, &rows, &bad) == RC_OK)
			fail_msg("head file '%s' accepted", junk[i]);
	}
	unlink(head);
	free(d);
}

/* ---- tamper trials ------------------------------------------------------ */

static uint64_t g_rng;

static uint64_t rnd(void) /* splitmix64 */
{
	uint64_t z = (g_rng += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static int rnd_below(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

/* 1 .. n */
static int64_t rnd_seq(int n)
{
	return 1 + rnd_below(n);
}

static void random_hex(char out[RC_AUDIT_MAC_HEX])
{
	for (int i = 0; i < RC_AUDIT_MAC_HEX - 1; i++)
		out[i] = "0123456789abcdef"[rnd_below(16)];
	out[RC_AUDIT_MAC_HEX - 1] = '\0';
}

/* A printable character other than c, of the same kind when c is a hex
 * digit (so that a MAC stays a well-formed MAC). */
static char other_char(char c)
{
	const char *hex = "0123456789abcdef";
	char r;
	do
		r = strchr(hex, c) && c ? hex[rnd_below(16)] : (char)(0x20 + rnd_below(0x5f));
	while (r == c);
	return r;
}

/* Edit one field of one row. */
static void tamper_edit(sqlite3 *db, char *what, size_t wlen)
{
	int n = g_orig.n;
	int64_t seq = rnd_seq(n);
	int c = rnd_below(NCOL);
	const char *old = g_orig.rows[seq - 1].f[c];
	size_t len = strlen(old);
	char *v = malloc(len + 2);
	assert_non_null(v);
	memcpy(v, old, len + 1);
	int how = len ? rnd_below(4) : 1;
	size_t at = len ? (size_t)rnd_below((int)len) : 0;
	switch (how) {
	case 0: v[at] = other_char(v[at]); break; /* change one byte */
	case 1:                                   /* add one */
		memmove(v + at + 1, v + at, len - at + 1);
		v[at] = (char)(0x21 + rnd_below(0x5e));
		break;
	case 2: memmove(v + at, v + at + 1, len - at); break; /* remove one */
	default: /* change the last */ v[len - 1] = other_char(v[len - 1]); break;
	}
	static const char *const hows[] = {"changed a byte of", "inserted a byte into",
					   "removed a byte of", "changed the last byte of"};
	snprintf(what, wlen, "edit: %s field %s of row %lld", hows[how], cols[c], (long long)seq);
	char sql[128];
	snprintf(sql, sizeof(sql), "UPDATE audit SET \"%s\" = ?3 WHERE seq = ?1", cols[c]);
	raw_run(db, sql, seq, NONE, v);
	free(v);
}

static void tamper_delete(sqlite3 *db, int last, char *what, size_t wlen)
{
	int64_t seq = last ? g_orig.n : rnd_seq(g_orig.n);
	snprintf(what, wlen, "delete: row %lld of %d", (long long)seq, g_orig.n);
	raw_run(db, "DELETE FROM audit WHERE seq = ?1", seq, NONE, NULL);
}

/* Renumber every row: seq s becomes map[s - 1] (all distinct). */
static void renumber(sqlite3 *db, const int64_t *map, int n)
{
	raw_run(db, "UPDATE audit SET seq = -seq - 1000000", NONE, NONE, NULL);
	for (int i = 0; i < n; i++)
		raw_run(db, "UPDATE audit SET seq = ?1 WHERE seq = ?2", map[i],
			-(int64_t)(i + 1) - 1000000, NULL);
}

/* A new seq for an inserted or moved row, not taken by another row: after
 * the end, right after or further on, or before the start. */
static int64_t new_seq(int n)
{
	switch (rnd_below(4)) {
	case 0: return n + 1;
	case 1: return n + 2 + rnd_below(5);
	case 2: return 0;
	default: return -1 - rnd_below(3);
	}
}

static const char copy_sql[] =
    "INSERT INTO audit(seq, at, user, role, org, action, object, before, after, request_id, "
    "prev_mac, mac) SELECT ?1, at, user, role, org, action, object, before, after, request_id, "
    "prev_mac, mac FROM audit WHERE seq = ?2";

static void insert_forged(sqlite3 *db, int64_t seq, const char *prev, const struct row *like)
{
	char mac[RC_AUDIT_MAC_HEX];
	random_hex(mac);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "INSERT INTO audit(seq, at, user, role, org, action, "
					    "object, before, after, request_id, prev_mac, mac) "
					    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
					    "?12)",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, seq);
	for (int c = 0; c < 9; c++)
		sqlite3_bind_text(st, c + 2, like->f[c], -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, "org.delete", -1, SQLITE_STATIC); /* action */
	sqlite3_bind_text(st, 11, prev, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 12, mac, -1, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static void tamper_insert(sqlite3 *db, char *what, size_t wlen)
{
	int n = g_orig.n;
	int64_t from = rnd_seq(n);
	switch (rnd_below(4)) {
	case 0: { /* a copy of another row, under a new seq */
		int64_t seq = new_seq(n);
		snprintf(what, wlen, "insert: a copy of row %lld as row %lld", (long long)from,
			 (long long)seq);
		raw_run(db, copy_sql, seq, from, NULL);
		break;
	}
	case 1: { /* forged, linked to the last row, a made-up MAC */
		snprintf(what, wlen, "insert: a forged row %d after the last, a made-up mac",
			 n + 1);
		insert_forged(db, n + 1, g_orig.rows[n - 1].f[10], &g_orig.rows[from - 1]);
		break;
	}
	default: { /* in the middle: the rows from k on move up one */
		int64_t k = rnd_seq(n);
		int64_t *map = malloc((size_t)n * sizeof(*map));
		assert_non_null(map);
		for (int i = 0; i < n; i++)
			map[i] = i + 1 < k ? i + 1 : i + 2;
		renumber(db, map, n);
		free(map);
		if (rnd_below(2)) {
			snprintf(what, wlen,
				 "insert: a copy of row %lld as row %lld, the rest moved up",
				 (long long)from, (long long)k);
			raw_run(db, copy_sql, k, from < k ? from : from + 1, NULL);
		} else {
			snprintf(what, wlen,
				 "insert: a forged row %lld linked to row %lld, the rest moved up",
				 (long long)k, (long long)(k - 1));
			insert_forged(db, k, k > 1 ? g_orig.rows[k - 2].f[10] : g_genesis,
				      &g_orig.rows[from - 1]);
		}
		break;
	}
	}
}

static void tamper_reorder(sqlite3 *db, char *what, size_t wlen)
{
	int n = g_orig.n;
	int64_t *map = malloc((size_t)n * sizeof(*map));
	assert_non_null(map);
	for (int i = 0; i < n; i++)
		map[i] = i + 1;
	int64_t i = rnd_seq(n), j;
	switch (rnd_below(3)) {
	case 0: /* swap two rows' seq */
		do
			j = rnd_seq(n);
		while (j == i);
		map[i - 1] = j;
		map[j - 1] = i;
		snprintf(what, wlen, "reorder: rows %lld and %lld swap seq", (long long)i,
			 (long long)j);
		break;
	case 1: /* move one row's seq outside the chain */
		j = new_seq(n);
		map[i - 1] = j;
		snprintf(what, wlen, "reorder: row %lld moved to seq %lld", (long long)i,
			 (long long)j);
		break;
	default: /* move one row to another place, the rows between shift */
		do
			j = rnd_seq(n);
		while (j == i);
		for (int64_t s = 1; s <= n; s++) {
			if (s == i)
				map[s - 1] = j;
			else if (i < j && s > i && s <= j)
				map[s - 1] = s - 1;
			else if (j < i && s >= j && s < i)
				map[s - 1] = s + 1;
		}
		snprintf(what, wlen,
			 "reorder: row %lld moved to place %lld, the rows between shift",
			 (long long)i, (long long)j);
		break;
	}
	renumber(db, map, n);
	free(map);
}

/* Where the tampered table first differs from the original: *pos (1-based)
 * and the seq of the row now there (or *pos itself when the table ends
 * before it).  0 when nothing differs. */
static int first_difference(const struct table *t, int64_t *pos, int64_t *seq)
{
	int i = 0;
	while (i < t->n && i < g_orig.n && rows_equal(&t->rows[i], &g_orig.rows[i]))
		i++;
	if (i == t->n && i == g_orig.n)
		return 0;
	*pos = i + 1;
	*seq = i < t->n ? t->rows[i].seq : i + 1;
	return 1;
}

/* One trial; 1 when the verifier caught it and named the right row. */
static int trial(int k, char *what, size_t wlen)
{
	char db_path[4200], head_path[4200], name[64];
	snprintf(name, sizeof(name), "trial-%d.db", k);
	path_in(db_path, sizeof(db_path), name);
	snprintf(name, sizeof(name), "trial-%d.head", k);
	path_in(head_path, sizeof(head_path), name);
	remove_db(db_path);
	assert_int_equal(copy_file(g_db, db_path), 0);
	assert_int_equal(copy_file(g_head, head_path), 0);

	sqlite3 *db = raw_open(db_path);
	sqlite3_exec(db, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	switch (k % 5) {
	case 0: tamper_edit(db, what, wlen); break;
	case 1: tamper_delete(db, rnd_below(3) == 0, what, wlen); break;
	case 2: tamper_insert(db, what, wlen); break;
	case 3: tamper_reorder(db, what, wlen); break;
	default: /* one more of each, at random; the last row often */
		switch (rnd_below(4)) {
		case 0: tamper_edit(db, what, wlen); break;
		case 1: tamper_delete(db, 1, what, wlen); break;
		case 2: tamper_insert(db, what, wlen); break;
		default: tamper_reorder(db, what, wlen); break;
		}
	}
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	struct table t;
	table_read(db, &t);
	sqlite3_close(db);

	int64_t pos = 0, seq = 0;
	if (!first_difference(&t, &pos, &seq))
		fail_msg("trial %d (%s): the tampering changed nothing (a bug in the test)", k,
			 what);
	table_free(&t);

	struct rc_diags *d = new_diags();
	int64_t rows = -1, bad = -1;
	enum rc_err e = verify_file(db_path, g_key, head_path, d, &rows, &bad);
	int ok = 1;
	if (e != RC_ERR_CONFLICT) {
		fprintf(stderr, "trial %d (%s): verify returned %s, not a conflict\n", k, what,
			rc_strerror(e));
		ok = 0;
	} else if (bad != pos && bad != seq) {
		fprintf(stderr,
			"trial %d (%s): first bad row reported %lld; the first changed row is "
			"at position %lld (seq %lld)\n",
			k, what, (long long)bad, (long long)pos, (long long)seq);
		ok = 0;
	} else {
		if (!diags_name_row(d, bad)) {
			fprintf(stderr, "trial %d (%s): the message does not name row %lld\n", k,
				what, (long long)bad);
			ok = 0;
		}
	}
	if (!ok)
		rc_diags_print(d, stderr);
	free(d);
	remove_db(db_path);
	unlink(head_path);
	return ok;
}

/* A non-negative integer from the environment, or `def`. */
static uint64_t env_number(const char *name, uint64_t def)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return def;
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (errno || *end || *v == '-') {
		fprintf(stderr, "test_audit: %s=%s is not a number; using %llu\n", name, v,
			(unsigned long long)def);
		return def;
	}
	return n;
}

static void tamper_trials(void **state)
{
	(void)state;
	uint64_t seed = env_number("RC_TAMPER_SEED", DEFAULT_SEED);
	uint64_t n = env_number("RC_TAMPER_TRIALS", DEFAULT_TRIALS);
	if (n > 1000000)
		n = 1000000;
	int detected = 0, kinds[5] = {0};
	printf("tamper trials: %llu, seed %llu (replay: RC_TAMPER_SEED=%llu "
	       "RC_TAMPER_TRIALS=%llu)\n",
	       (unsigned long long)n, (unsigned long long)seed, (unsigned long long)seed,
	       (unsigned long long)n);
	g_rng = seed;
	for (int k = 0; k < (int)n; k++) {
		char what[256] = "";
		if (trial(k, what, sizeof(what))) {
			detected++;
			kinds[k % 5]++;
		}
	}
	printf("tamper trials: %d of %llu detected, first bad row named (edit %d, delete %d, "
	       "insert %d, reorder %d, mixed %d)\n",
	       detected, (unsigned long long)n, kinds[0], kinds[1], kinds[2], kinds[3], kinds[4]);
	fflush(stdout);
	if ((uint64_t)detected != n)
		fail_msg("%llu of %llu tamperings not caught (seed %llu)",
			 (unsigned long long)(n - (uint64_t)detected), (unsigned long long)n,
			 (unsigned long long)seed);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(g_dir, sizeof(g_dir), "%s/rc-audit.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(g_dir)) {
		perror("test_audit: mkdtemp");
		return 1;
	}
	memset(g_genesis, '0', RC_AUDIT_MAC_HEX - 1);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(key_create),
	    cmocka_unit_test(key_load_mode),
	    cmocka_unit_test(key_load_malformed),
	    cmocka_unit_test(chain_verifies),
	    cmocka_unit_test(chain_empty),
	    cmocka_unit_test(two_writers),
	    cmocka_unit_test(writer_across_transactions),
	    cmocka_unit_test(wrong_key),
	    cmocka_unit_test(head_cases),
	    cmocka_unit_test(head_newer_than_snapshot),
	    cmocka_unit_test(tamper_trials),
	};
	const char *filter = getenv("RC_TEST_FILTER");
	if (filter && *filter)
		cmocka_set_test_filter(filter);
	int rc = cmocka_run_group_tests(tests, build_original, free_original);
	rmdir(g_dir);
	return rc;
}
