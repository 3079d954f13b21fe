/*
 * evidence.c -- evidence files, stored content-addressed by their SM3 hash.
 *
 * A file is copied into the data directory's evidence/ as XX/REST (its SM3
 * in hex, split after two digits), written to a temporary name, synced and
 * renamed, so a crash leaves no half file under a real name.  The same
 * content is stored once.  Its row (hash, size, name, who, when) and audit
 * row are written in one unit of work.  A fact cites it as "sm3:HEX".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "procedure/procedure_int.h"

/* Hash a file, refusing more than RC_EVIDENCE_MAX bytes. */
static enum rc_err hash_file(const char *path, char hex[65], int64_t *size, struct rc_diags *d)
{
	struct rc_sm3_ctx *h = NULL;
	uint8_t buf[65536], md[RC_SM3_LEN];
	int64_t total = 0;
	enum rc_err e;
	FILE *f = fopen(path, "rb");
	if (!f) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot read: %s", path, strerror(errno));
		return RC_ERR_IO;
	}
	if ((e = rc_sm3_init(&h)))
		goto out;
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		total += (int64_t)n;
		if (total > RC_EVIDENCE_MAX) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: larger than %lld bytes", path,
				    (long long)RC_EVIDENCE_MAX);
			e = RC_ERR_LIMIT;
			goto out;
		}
		if ((e = rc_sm3_update(h, buf, n)))
			goto out;
	}
	if (ferror(f)) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: read error", path);
		e = RC_ERR_IO;
		goto out;
	}
	if ((e = rc_sm3_final(h, md)))
		goto out;
	rc_hex(md, sizeof(md), hex);
	*size = total;
out:
	rc_sm3_free(h);
	fclose(f);
	return e;
}

static int evidence_path(const char *dir, const char *hex, char *out, size_t len, int sub_only)
{
	int n = sub_only ? snprintf(out, len, "%s/%.2s", dir, hex)
			 : snprintf(out, len, "%s/%.2s/%s", dir, hex, hex + 2);
	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* Copy src to the store under its hash (temporary name, fsync, rename). */
static enum rc_err store_file(const char *src, const char *dir, const char *hex, struct rc_diags *d)
{
	char sub[2048], dst[2200], tmp[2300];
	struct stat sb;
	if (evidence_path(dir, hex, sub, sizeof(sub), 1) ||
	    evidence_path(dir, hex, dst, sizeof(dst), 0))
		return RC_ERR_LIMIT;
	if (stat(dst, &sb) == 0)
		return RC_OK; /* the same content is stored once */
	mkdir(dir, 0700);
	mkdir(sub, 0700);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", dst, (int)getpid());
	enum rc_err e = RC_ERR_IO;
	FILE *in = fopen(src, "rb");
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (in && fd >= 0) {
		char buf[65536];
		size_t n;
		int ok = 1;
		while (ok && (n = fread(buf, 1, sizeof(buf), in)) > 0)
			ok = write(fd, buf, n) == (ssize_t)n;
		/* read-only: stored evidence is never edited in place */
		ok = ok && !ferror(in) && fchmod(fd, 0400) == 0 && fsync(fd) == 0;
		if (close(fd) == 0 && ok && rename(tmp, dst) == 0)
			e = RC_OK;
		fd = -1;
	}
	if (fd >= 0)
		close(fd);
	if (in)
		fclose(in);
	if (e) {
		unlink(tmp);
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "%s: cannot store the evidence file", dst);
	}
	return e;
}

struct evidence_ctx {
	const char *actor, *name, *hex;
	int64_t size;
	struct rc_actor a; /* the acting user; the audit row points into it */
	char object[100], after[400];
};

static enum rc_err do_evidence(struct rc_store *s, void *vctx, struct rc_audit_entry *row,
			       struct rc_diags *d)
{
	struct evidence_ctx *x = vctx;
	struct rc_actor *a = &x->a;
	struct rc_stmt *st;
	int r;
	char now[21];
	enum rc_err e;
	if ((e = rc_proc_actor_find(s, x->actor, a, d)))
		return e;
	if ((e = rc_store_stmt(s, Q_EVIDENCE_GET, &st)) || (e = rc_stmt_bind_str(st, 1, x->hex)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	if (r) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "this content is already stored as sm3:%s (\"%s\", added by %s)",
			    x->hex, rc_stmt_text(st, 1, NULL), rc_stmt_text(st, 2, NULL));
		return RC_ERR_CONFLICT;
	}
	rc_audit_now(now);
	if ((e = rc_store_stmt(s, Q_EVIDENCE_INSERT, &st)) ||
	    (e = rc_stmt_bind_str(st, 1, x->hex)) || (e = rc_stmt_bind_int(st, 2, x->size)) ||
	    (e = rc_stmt_bind_str(st, 3, x->name)) || (e = rc_stmt_bind_int(st, 4, a->id)) ||
	    (e = rc_stmt_bind_str(st, 5, now)) || (e = rc_stmt_step(st, &r)))
		return e;
	snprintf(x->object, sizeof(x->object), "evidence:sm3:%.64s", x->hex);
	snprintf(x->after, sizeof(x->after), "sm3=%s\nsize=%lld\nname=%.200s\n", x->hex,
		 (long long)x->size, x->name);
	rc_proc_fill_row(row, a, x->object, NULL, x->after);
	return RC_OK;
}

enum rc_err rc_proc_evidence_add(struct rc_unit *u, const char *actor, const char *dir,
				 const char *path, char hex_out[65], struct rc_diags *d)
{
	int64_t size = 0;
	enum rc_err e = hash_file(path, hex_out, &size, d);
	if (e)
		return e;
	/* the file first: a row never names content that is not there */
	if ((e = store_file(path, dir, hex_out, d)))
		return e;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	struct evidence_ctx x = {.actor = actor, .name = base, .hex = hex_out, .size = size};
	struct rc_audit_entry a = {.user = actor,
				   .role = "-",
				   .org = "-",
				   .action = "evidence.add",
				   .object = "evidence",
				   .before = "",
				   .after = ""};
	return rc_unit_change(u, &a, do_evidence, &x, d);
}

enum rc_err rc_proc_evidence_check(struct rc_store *s, const char *dir, struct rc_diags *d,
				   int64_t *files)
{
	struct rc_stmt *st;
	int r, bad = 0;
	enum rc_err e;
	*files = 0;
	if ((e = rc_store_stmt(s, Q_EVIDENCE_ALL, &st)))
		return e;
	while (!(e = rc_stmt_step(st, &r)) && r) {
		char hex[65], path[2200], got[65];
		int64_t size = rc_stmt_int(st, 1), got_size = -1;
		snprintf(hex, sizeof(hex), "%s", rc_stmt_text(st, 0, NULL));
		(*files)++;
		if (evidence_path(dir, hex, path, sizeof(path), 0))
			return RC_ERR_LIMIT;
		struct rc_diags quiet;
		rc_diags_init(&quiet, path);
		if (hash_file(path, got, &got_size, &quiet)) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "evidence sm3:%s: the file %s is missing or "
				    "unreadable",
				    hex, path);
			bad = 1;
		} else if (strcmp(got, hex) != 0 || got_size != size) {
			rc_diag_add(
			    d, RC_SEV_ERROR, 0, 0,
			    "evidence sm3:%s: the file %s was altered (its content now hashes "
			    "to %s)",
			    hex, path, got);
			bad = 1;
		}
	}
	if (e)
		return e;
	return bad ? RC_ERR_CONFLICT : RC_OK;
}

enum rc_err rc_proc_evidence_exists(struct rc_store *s, const char *ref, struct rc_diags *d)
{
	struct rc_stmt *st;
	int r;
	enum rc_err e;
	if (strncmp(ref, "sm3:", 4) != 0)
		return RC_OK; /* a free-text reference (a paper file number, say) */
	if ((e = rc_store_stmt(s, Q_EVIDENCE_GET, &st)) || (e = rc_stmt_bind_str(st, 1, ref + 4)) ||
	    (e = rc_stmt_step(st, &r)))
		return e;
	if (!r) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "no evidence %s is stored; add the file with `rongcuo evidence add`",
			    ref);
		return RC_ERR_NAME;
	}
	return RC_OK;
}
