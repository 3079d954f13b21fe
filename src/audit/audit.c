/*
 * audit.c -- appending to and verifying the audit chain (audit.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "crypto/crypto.h"

/* The text a row's MAC covers: a version tag, the predecessor's MAC and
 * every field, each on its own line.  Fields cannot contain a newline
 * (append refuses them), so the encoding is unambiguous.  `h` is a keyed
 * context, reset here: one context serves row after row. */
static enum rc_err row_mac(struct rc_hmac_sm3_ctx *h, int64_t seq, const char *f[10],
			   const char *prev_mac, char out[RC_AUDIT_MAC_HEX])
{
	uint8_t mac[RC_SM3_LEN];
	char head[128];
	enum rc_err e = rc_hmac_sm3_reset(h);
	if (e)
		return e;
	/* the fixed part in one update: each update is a call into the backend */
	int n =
	    snprintf(head, sizeof(head), "rongcuo-audit-v1\n%s\n%lld", prev_mac, (long long)seq);
	if (n < 0 || (size_t)n >= sizeof(head))
		return RC_ERR_RANGE;
	if ((e = rc_hmac_sm3_update(h, head, (size_t)n)))
		return e;
	for (int i = 0; i < 10; i++)
		if ((e = rc_hmac_sm3_update(h, "\n", 1)) ||
		    (e = rc_hmac_sm3_update(h, f[i], strlen(f[i]))))
			return e;
	if ((e = rc_hmac_sm3_final(h, mac)))
		return e;
	rc_hex(mac, sizeof(mac), out);
	return RC_OK;
}

static void digest_hex(const char *text, char out[RC_AUDIT_MAC_HEX])
{
	uint8_t d[RC_SM3_LEN];
	if (rc_sm3(text, strlen(text), d) == RC_OK)
		rc_hex(d, sizeof(d), out);
	else
		out[0] = '\0';
}

void rc_audit_now(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The genesis "previous MAC" of the first row. */
static const char genesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

struct rc_audit_writer {
	struct rc_hmac_sm3_ctx *h;    /* keyed once */
	char empty[RC_AUDIT_MAC_HEX]; /* SM3 of "": the before of every new object */
	uint64_t tx;                  /* the transaction the head was read in; 0: none */
	int64_t seq;                  /* the head: the newest row's seq (0: empty chain) */
	char mac[RC_AUDIT_MAC_HEX];   /* and its MAC (genesis for the empty chain) */
};

enum rc_err rc_audit_writer_new(const uint8_t key[RC_AUDIT_KEY_LEN], struct rc_audit_writer **out)
{
	enum rc_err e;
	struct rc_audit_writer *w = calloc(1, sizeof(*w));
	*out = NULL;
	if (!w)
		return RC_ERR_NOMEM;
	if ((e = rc_hmac_sm3_init(&w->h, key, RC_AUDIT_KEY_LEN))) {
		free(w);
		return e;
	}
	digest_hex("", w->empty);
	*out = w;
	return RC_OK;
}

void rc_audit_writer_free(struct rc_audit_writer *w)
{
	if (!w)
		return;
	rc_hmac_sm3_free(w->h); /* the backend wipes the key */
	free(w);
}

/* The head of the chain, read inside the writer's transaction (which holds
 * the write lock: no other writer can append between this read and our
 * insert), unless it was read in this same transaction. */
static enum rc_err writer_head(struct rc_store *s, struct rc_audit_writer *w)
{
	struct rc_stmt *st;
	int row;
	enum rc_err err;
	uint64_t tx = rc_store_tx(s);
	if (!tx)
		return RC_ERR_INTERNAL; /* appends happen inside a transaction */
	if (w->tx == tx)
		return RC_OK;
	w->tx = 0;
	if ((err = rc_store_stmt(s, Q_AUDIT_LAST, &st)) || (err = rc_stmt_step(st, &row)))
		return err;
	w->seq = 0;
	snprintf(w->mac, sizeof(w->mac), "%s", genesis);
	if (row) {
		w->seq = rc_stmt_int(st, 0);
		snprintf(w->mac, sizeof(w->mac), "%s", rc_stmt_text(st, 1, NULL));
	}
	w->tx = tx;
	return RC_OK;
}

enum rc_err rc_audit_writer_append(struct rc_store *s, struct rc_audit_writer *w,
				   const struct rc_audit_entry *e, const char *at, int64_t *seq_out,
				   char mac[RC_AUDIT_MAC_HEX])
{
	struct rc_stmt *st;
	int row;
	enum rc_err err;
	char now[21], before[RC_AUDIT_MAC_HEX], after[RC_AUDIT_MAC_HEX];

	if (!at) {
		rc_audit_now(now);
		at = now;
	}
	const char *plain[] = {e->user, e->role, e->org, e->action, e->object, e->request_id, at};
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!plain[i] || strchr(plain[i], '\n') || strlen(plain[i]) > 4096)
			return RC_ERR_RANGE;
	if ((err = writer_head(s, w)))
		return err;
	int64_t seq = w->seq + 1;
	if (e->before && *e->before)
		digest_hex(e->before, before);
	else
		memcpy(before, w->empty, sizeof(before));
	if (e->after && *e->after)
		digest_hex(e->after, after);
	else
		memcpy(after, w->empty, sizeof(after));
	const char *f[10] = {at,        e->user, e->role, e->org,        e->action,
			     e->object, before,  after,   e->request_id, ""};
	if ((err = row_mac(w->h, seq, f, w->mac, mac)))
		return err;
	if ((err = rc_store_stmt(s, Q_AUDIT_INSERT, &st)) || (err = rc_stmt_bind_int(st, 1, seq)) ||
	    (err = rc_stmt_bind_str(st, 2, at)) || (err = rc_stmt_bind_str(st, 3, e->user)) ||
	    (err = rc_stmt_bind_str(st, 4, e->role)) || (err = rc_stmt_bind_str(st, 5, e->org)) ||
	    (err = rc_stmt_bind_str(st, 6, e->action)) ||
	    (err = rc_stmt_bind_str(st, 7, e->object)) || (err = rc_stmt_bind_str(st, 8, before)) ||
	    (err = rc_stmt_bind_str(st, 9, after)) ||
	    (err = rc_stmt_bind_str(st, 10, e->request_id)) ||
	    (err = rc_stmt_bind_str(st, 11, w->mac)) || (err = rc_stmt_bind_str(st, 12, mac)) ||
	    (err = rc_stmt_step(st, &row))) {
		w->tx = 0; /* the head is no longer known */
		return err;
	}
	w->seq = seq;
	memcpy(w->mac, mac, RC_AUDIT_MAC_HEX);
	if (seq_out)
		*seq_out = seq;
	return RC_OK;
}

enum rc_err rc_audit_append(struct rc_store *s, const uint8_t key[RC_AUDIT_KEY_LEN],
			    const struct rc_audit_entry *e, const char *at, int64_t *seq_out,
			    char mac[RC_AUDIT_MAC_HEX])
{
	struct rc_audit_writer *w = NULL;
	enum rc_err err = rc_audit_writer_new(key, &w);
	if (!err)
		err = rc_audit_writer_append(s, w, e, at, seq_out, mac);
	rc_audit_writer_free(w);
	return err;
}

#define PAGE 10000 /* rows read at a time: memory stays bounded on any backend */

enum rc_err rc_audit_each(struct rc_store *s, rc_audit_row_fn fn, void *ctx)
{
	struct rc_stmt *st;
	int row;
	enum rc_err e;
	/* From the smallest seq there can be, so that a row inserted with a
	 * seq of 0 or below is read (and found out) too. */
	int64_t from = INT64_MIN;
	for (;;) {
		int64_t got = 0, last = 0;
		if ((e = rc_store_stmt(s, Q_AUDIT_PAGE, &st)) ||
		    (e = rc_stmt_bind_int(st, 1, from)) || (e = rc_stmt_bind_int(st, 2, PAGE)))
			return e;
		for (;;) {
			if ((e = rc_stmt_step(st, &row)))
				return e;
			if (!row)
				break;
			struct rc_audit_row r = {.seq = rc_stmt_int(st, 0),
						 .at = rc_stmt_text(st, 1, NULL),
						 .user = rc_stmt_text(st, 2, NULL),
						 .role = rc_stmt_text(st, 3, NULL),
						 .org = rc_stmt_text(st, 4, NULL),
						 .action = rc_stmt_text(st, 5, NULL),
						 .object = rc_stmt_text(st, 6, NULL),
						 .before = rc_stmt_text(st, 7, NULL),
						 .after = rc_stmt_text(st, 8, NULL),
						 .request_id = rc_stmt_text(st, 9, NULL),
						 .prev_mac = rc_stmt_text(st, 10, NULL),
						 .mac = rc_stmt_text(st, 11, NULL)};
			got++;
			last = r.seq;
			if ((e = fn(ctx, &r)))
				return e;
		}
		if (got < PAGE || last == INT64_MAX)
			return RC_OK;
		from = last + 1;
	}
}

/* Verification walks the rows in seq order with what it has seen so far. */
struct walk {
	struct rc_hmac_sm3_ctx *h;
	struct rc_diags *d;
	char prev[RC_AUDIT_MAC_HEX];
	int64_t expect, n, hseq, first_bad;
	char hmac[RC_AUDIT_MAC_HEX];
};

static enum rc_err verify_row(void *ctx, const struct rc_audit_row *r)
{
	struct walk *w = ctx;
	char mac[RC_AUDIT_MAC_HEX];
	enum rc_err e;
	w->n++;
	/* the MAC covers: at,user,role,org,action,object,before,after,request_id */
	const char *g[10] = {r->at,     r->user,   r->role,  r->org,        r->action,
			     r->object, r->before, r->after, r->request_id, ""};
	const char *why = NULL;
	if (r->seq != w->expect)
		why = r->seq > w->expect ? "rows are missing before it (deleted)"
					 : "its sequence number repeats or goes back (inserted or "
					   "reordered)";
	else if (strcmp(r->prev_mac, w->prev) != 0)
		why = "it does not follow the row before it (rows deleted, inserted or "
		      "reordered)";
	else if ((e = row_mac(w->h, r->seq, g, w->prev, mac)))
		return e;
	else if (strlen(r->mac) != RC_AUDIT_MAC_HEX - 1 ||
		 !rc_crypto_equal(mac, r->mac, RC_AUDIT_MAC_HEX - 1))
		why = "its content does not match its MAC (edited, or written without the key)";
	else if (r->seq == w->hseq && strcmp(r->mac, w->hmac) != 0)
		why = "it differs from the row the head file records (the chain was rewritten "
		      "from here)";
	if (why) {
		w->first_bad = r->seq;
		rc_diag_add(w->d, RC_SEV_ERROR, 0, 0,
			    "audit chain broken at row %lld (position %lld): %s", (long long)r->seq,
			    (long long)w->n, why);
		return RC_ERR_CONFLICT;
	}
	snprintf(w->prev, sizeof(w->prev), "%s", r->mac);
	w->expect = r->seq + 1;
	return RC_OK;
}

static enum rc_err verify(struct rc_store *s, const uint8_t key[RC_AUDIT_KEY_LEN],
			  struct rc_hmac_sm3_ctx *h, const char *head_path, struct rc_diags *d,
			  int64_t *rows, int64_t *first_bad)
{
	enum rc_err e;
	struct walk w = {.h = h, .d = d, .expect = 1, .hseq = -1};
	*rows = 0;
	*first_bad = 0;
	if (head_path) {
		e = rc_audit_head_load(head_path, key, &w.hseq, w.hmac);
		if (e == RC_ERR_NOT_FOUND) {
			rc_diag_add(
			    d, RC_SEV_ERROR, 0, 0,
			    "%s: the audit head file is missing (it is created by `db init`); "
			    "the newest rows cannot be vouched for",
			    head_path);
			return RC_ERR_CONFLICT;
		}
		if (e == RC_ERR_CONFLICT) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "%s: the audit head file was altered (its MAC does not match)",
				    head_path);
			return e;
		}
		if (e) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot read the audit head file",
				    head_path);
			return e;
		}
	}
	snprintf(w.prev, sizeof(w.prev), "%s", genesis);
	e = rc_audit_each(s, verify_row, &w);
	*rows = w.n;
	*first_bad = w.first_bad;
	if (e)
		return e;
	if (head_path && w.hseq > w.n) {
		*first_bad = w.n + 1;
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "audit chain ends at row %lld but the head file records row %lld: the "
			    "newest rows were deleted",
			    (long long)w.n, (long long)w.hseq);
		return RC_ERR_CONFLICT;
	}
	/* A head behind the chain follows a crash between commit and head
	 * update; the rows after it are verified by the chain itself. */
	return RC_OK;
}

enum rc_err rc_audit_verify(struct rc_store *s, const uint8_t key[RC_AUDIT_KEY_LEN],
			    const char *head_path, struct rc_diags *d, int64_t *rows,
			    int64_t *first_bad)
{
	struct rc_hmac_sm3_ctx *h = NULL;
	enum rc_err e = rc_hmac_sm3_init(&h, key, RC_AUDIT_KEY_LEN);
	*rows = 0;
	*first_bad = 0;
	if (!e)
		e = verify(s, key, h, head_path, d, rows, first_bad);
	rc_hmac_sm3_free(h);
	return e;
}

/* ---- key and head files --------------------------------------------- */

enum rc_err rc_audit_key_create(const char *path, uint8_t key[RC_AUDIT_KEY_LEN], struct rc_diags *d)
{
	enum rc_err e = rc_random_bytes(key, RC_AUDIT_KEY_LEN);
	if (e)
		return e;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot create the audit key: %s", path,
			    strerror(errno));
		return RC_ERR_IO;
	}
	char hex[2 * RC_AUDIT_KEY_LEN + 2];
	rc_hex(key, RC_AUDIT_KEY_LEN, hex);
	size_t len = strlen(hex);
	hex[len++] = '\n';
	int ok = write(fd, hex, len) == (ssize_t)len && fsync(fd) == 0;
	rc_crypto_wipe(hex, sizeof(hex));
	if (close(fd) != 0 || !ok) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot write the audit key", path);
		unlink(path);
		return RC_ERR_IO;
	}
	return RC_OK;
}

enum rc_err rc_audit_key_load(const char *path, uint8_t key[RC_AUDIT_KEY_LEN], struct rc_diags *d)
{
	struct stat sb;
	char hex[2 * RC_AUDIT_KEY_LEN + 8];
	size_t got;
	enum rc_err e = RC_OK;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "%s: cannot open the audit key: %s (run `rongcuo db init`)", path,
			    strerror(errno));
		return RC_ERR_IO;
	}
	if (fstat(fd, &sb) != 0 || (sb.st_mode & 077)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "%s: the audit key must be readable by its owner only (chmod 600)",
			    path);
		e = RC_ERR_IO;
		goto out;
	}
	ssize_t n = read(fd, hex, sizeof(hex) - 1);
	got = n > 0 ? (size_t)n : 0;
	while (got && (hex[got - 1] == '\n' || hex[got - 1] == '\r'))
		got--;
	size_t klen = 0;
	if (got != 2 * RC_AUDIT_KEY_LEN || rc_unhex(hex, got, key, RC_AUDIT_KEY_LEN, &klen) ||
	    klen != RC_AUDIT_KEY_LEN) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: not an audit key (64 hex digits)", path);
		e = RC_ERR_SYNTAX;
	}
out:
	rc_crypto_wipe(hex, sizeof(hex));
	close(fd);
	return e;
}

/* The head's own MAC, so that it cannot be rewritten without the key. */
static enum rc_err head_mac(const uint8_t key[RC_AUDIT_KEY_LEN], int64_t seq, const char *mac,
			    char out[RC_AUDIT_MAC_HEX])
{
	char text[128];
	uint8_t m[RC_SM3_LEN];
	int n =
	    snprintf(text, sizeof(text), "rongcuo-audit-head-v1\n%lld\n%s", (long long)seq, mac);
	if (n < 0 || (size_t)n >= sizeof(text))
		return RC_ERR_LIMIT;
	enum rc_err e = rc_hmac_sm3(key, RC_AUDIT_KEY_LEN, text, (size_t)n, m);
	if (!e)
		rc_hex(m, sizeof(m), out);
	return e;
}

/* Read "SEQ MAC HEADMAC" from an open file. */
static enum rc_err head_parse(FILE *f, const uint8_t key[RC_AUDIT_KEY_LEN], int64_t *seq,
			      char mac[RC_AUDIT_MAC_HEX])
{
	char line[256], want[RC_AUDIT_MAC_HEX];
	long long v;
	char m[RC_AUDIT_MAC_HEX + 1], hm[RC_AUDIT_MAC_HEX + 1];
	if (!fgets(line, sizeof(line), f))
		return RC_ERR_SYNTAX;
	if (sscanf(line, "%lld %65s %65s", &v, m, hm) != 3 || v < 0 ||
	    strlen(m) != RC_AUDIT_MAC_HEX - 1 || strlen(hm) != RC_AUDIT_MAC_HEX - 1)
		return RC_ERR_SYNTAX;
	enum rc_err e = head_mac(key, v, m, want);
	if (e)
		return e;
	if (!rc_crypto_equal(want, hm, RC_AUDIT_MAC_HEX - 1))
		return RC_ERR_CONFLICT;
	*seq = v;
	memcpy(mac, m, RC_AUDIT_MAC_HEX);
	return RC_OK;
}

enum rc_err rc_audit_head_save(const char *path, const uint8_t key[RC_AUDIT_KEY_LEN], int64_t seq,
			       const char *mac)
{
	char tmp[4096], lockp[4096], text[256], hm[RC_AUDIT_MAC_HEX];
	enum rc_err e;
	int n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int n2 = snprintf(lockp, sizeof(lockp), "%s.lock", path);
	if (n < 0 || (size_t)n >= sizeof(tmp) || n2 < 0 || (size_t)n2 >= sizeof(lockp))
		return RC_ERR_LIMIT;
	if ((e = head_mac(key, seq, mac, hm)))
		return e;
	/* Writers commit in turn but finish in any order: under a lock, the
	 * head only ever moves forward. */
	int lfd = open(lockp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lfd < 0 || flock(lfd, LOCK_EX) != 0) {
		if (lfd >= 0)
			close(lfd);
		return RC_ERR_IO;
	}
	FILE *cur = fopen(path, "r");
	if (cur) {
		int64_t cseq;
		char cmac[RC_AUDIT_MAC_HEX];
		int ahead = head_parse(cur, key, &cseq, cmac) == RC_OK && cseq >= seq;
		fclose(cur);
		if (ahead) {
			close(lfd); /* releases the lock */
			return RC_OK;
		}
	}
	n = snprintf(text, sizeof(text), "%lld %s %s\n", (long long)seq, mac, hm);
	e = RC_ERR_IO;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		int ok = n > 0 && write(fd, text, (size_t)n) == n && fsync(fd) == 0;
		if (close(fd) == 0 && ok && rename(tmp, path) == 0)
			e = RC_OK;
		else
			unlink(tmp);
	}
	close(lfd);
	return e;
}

enum rc_err rc_audit_head_load(const char *path, const uint8_t key[RC_AUDIT_KEY_LEN], int64_t *seq,
			       char mac[RC_AUDIT_MAC_HEX])
{
	FILE *f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? RC_ERR_NOT_FOUND : RC_ERR_IO;
	enum rc_err e = head_parse(f, key, seq, mac);
	fclose(f);
	return e;
}

enum rc_err rc_audit_head_init(const char *path, const uint8_t key[RC_AUDIT_KEY_LEN])
{
	return rc_audit_head_save(path, key, 0, genesis);
}
