/*
 * copy.c -- a whole database from one store to another (`rongcuo db copy`),
 * table by table, rows verbatim: ids, dates, JSON and the audit rows with
 * their MACs, so that the chain verifies on the copy under the same key.
 *
 * The tables, in an order where every row's references are copied before
 * it, and their columns are the schema's (docs/data-model.md); meta is not
 * copied (the destination's own migrations write its schema version).  The
 * SQL is built here from these constant names -- never from input -- and
 * every value is bound.  Rows are read a page at a time in key order and
 * written in transactions of a page each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define COPY_PAGE 5000

struct copy_table {
	const char *name, *key, *cols;
	int ncols;
	int text_key; /* the key is text (evidence's SM3), else an integer */
	int identity; /* its key is an identity column on PostgreSQL */
};

static const struct copy_table tables[] = {
    {"orgs", "id", "id, code, name, level, parent_id", 5, 0, 1},
    {"people", "id", "id, name, org_id, post, rank", 5, 0, 1},
    {"users", "id",
     "id, login, name, org_id, role, disabled, password_hash, totp_secret, totp_pending, "
     "totp_last_step, failed_logins, locked_until, must_change_password",
     13, 0, 1},
    {"user_people", "user_id", "user_id, person_id", 2, 0, 0},
    {"sessions", "id_hash",
     "id_hash, user_id, created_at, last_seen_at, absolute_expiry_at, idle_timeout_s, revoked", 7,
     1, 0},
    {"cases", "id",
     "id, code, person_id, org_id, start_path, source, accountability_ref, handling_org_id, "
     "committee_org_id, policy_series, policy_version, state, created_at, updated_at, "
     "prepared_by, row_version",
     16, 0, 1},
    {"case_steps", "id", "id, case_id, step, entered_on, due_on, user_id, note", 7, 0, 1},
    {"case_facts", "id",
     "id, case_id, name, value_json, user_id, at, evidence, disputed, current, reason", 10, 0, 1},
    {"recommendations", "id",
     "id, case_id, at, user_id, conduct_on, decision_on, applied_version, policy_digest, "
     "facts_json, result_json, state, band",
     12, 0, 1},
    {"recommendation_categories", "id", "id, recommendation_id, case_id, category, current", 5, 0,
     1},
    {"decisions", "id",
     "id, case_id, recommendation_id, body_org_id, meeting_on, outcome, legal_basis, reasons, "
     "differs, user_id",
     10, 0, 1},
    {"effects", "id",
     "id, person_id, decision_id, impact_table, sanction, start_on, end_on, extra_end_on, "
     "article",
     9, 0, 1},
    {"consultations", "id", "id, case_id, held_on, minutes, user_id, at", 6, 0, 1},
    {"consultation_participants", "id", "id, consultation_id, dept, name, recused, reason, user_id",
     7, 0, 1},
    {"consultation_opinions", "id", "id, consultation_id, dept, opinion, dissent, user_id", 6, 0,
     1},
    {"notifications", "id", "id, case_id, recipient, notified_on, how, user_id", 6, 0, 1},
    {"appeals", "id",
     "id, case_id, filed_on, appellant, grounds, notified_on, deadline_on, user_id", 8, 0, 1},
    {"reviews", "id", "id, appeal_id, reviewed_on, result, reasons, user_id", 6, 0, 1},
    {"filings", "id", "id, case_id, org_id, filed_on, user_id", 5, 0, 1},
    {"rectification_tasks", "id",
     "id, case_id, no, owner, due_on, what, created_by, created_at, done_on, done_by, "
     "verified_by",
     11, 0, 1},
    {"follow_ups", "id", "id, case_id, visited_on, notes, user_id", 5, 0, 1},
    {"clarifications", "id",
     "id, person_id, complaint, state, unfounded, form, scope, issued_on, filed_on, "
     "referred_to, opened_by, opened_at, decided_by",
     13, 0, 1},
    {"evidence", "sm3", "sm3, size, name, user_id, at", 5, 1, 0},
    {"case_imports", "case_id", "case_id, file, row, outcome, decided_on, user_id, at", 7, 0, 0},
    {"idempotency", "key", "key, action, object, seq, at", 5, 1, 0},
    {"api_tokens", "id", "id, id_hash, user_id, label, created_at, expires_at, revoked", 7, 0, 1},
    {"audit", "seq",
     "seq, at, \"user\", role, org, action, object, before, after, request_id, prev_mac, mac", 12,
     0, 0},
};

#define N_TABLES ((int)(sizeof(tables) / sizeof(tables[0])))

int rc_store_copy_tables(void)
{
	return N_TABLES;
}

const char *rc_store_copy_table(int i)
{
	return i >= 0 && i < N_TABLES ? tables[i].name : NULL;
}

enum rc_err rc_store_copy_count(struct rc_store *s, int i, int64_t *n)
{
	char sql[128];
	void *st = NULL;
	int row;
	enum rc_err e;
	*n = 0;
	if (i < 0 || i >= N_TABLES)
		return RC_ERR_RANGE;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i].name);
	if ((e = rc_store_raw_prepare(s, sql, &st)))
		return e;
	if (!(e = rc_store_raw_step(s, st, &row)) && row)
		*n = rc_store_raw_int(s, st, 0);
	rc_store_raw_finalize(s, st);
	return e;
}

enum rc_err rc_store_copy_rows(struct rc_store *from, struct rc_store *to, int i,
			       rc_store_progress_fn progress, void *ctx, int64_t *copied)
{
	const struct copy_table *t;
	char rsql[1024], wsql[1400];
	void *rd = NULL, *wr = NULL;
	enum rc_err e;
	int row;
	*copied = 0;
	if (i < 0 || i >= N_TABLES)
		return RC_ERR_RANGE;
	t = &tables[i];
	snprintf(rsql, sizeof(rsql), "SELECT %s FROM %s WHERE %s %s ?1 ORDER BY %s LIMIT ?2",
		 t->cols, t->name, t->key, t->text_key ? ">" : ">=", t->key);
	int off = snprintf(wsql, sizeof(wsql), "INSERT INTO %s(%s) VALUES (", t->name, t->cols);
	for (int c = 1; c <= t->ncols; c++)
		off +=
		    snprintf(wsql + off, sizeof(wsql) - (size_t)off, "%s?%d", c > 1 ? ", " : "", c);
	snprintf(wsql + off, sizeof(wsql) - (size_t)off, ")");
	if ((e = rc_store_raw_prepare(from, rsql, &rd)) ||
	    (e = rc_store_raw_prepare(to, wsql, &wr)))
		goto out;
	/* the key to read from: integers from the smallest there can be, text
	 * from the empty string */
	int64_t from_int = INT64_MIN;
	char from_text[80] = "";
	for (;;) {
		int64_t got = 0;
		rc_store_raw_reset(from, rd);
		if (t->text_key)
			e = rc_store_raw_bind_text(from, rd, 1, from_text, strlen(from_text));
		else
			e = rc_store_raw_bind_int(from, rd, 1, from_int);
		if (e || (e = rc_store_raw_bind_int(from, rd, 2, COPY_PAGE)) ||
		    (e = rc_store_begin(to)))
			goto out;
		for (;;) {
			if ((e = rc_store_raw_step(from, rd, &row)))
				goto fail;
			if (!row)
				break;
			rc_store_raw_reset(to, wr);
			for (int c = 0; c < t->ncols && !e; c++) {
				size_t len;
				const char *v = rc_store_raw_text(from, rd, c, &len);
				e = rc_store_raw_is_null(from, rd, c)
					? rc_store_raw_bind_null(to, wr, c + 1)
					: rc_store_raw_bind_text(to, wr, c + 1, v, len);
			}
			if (e || (e = rc_store_raw_step(to, wr, &row)))
				goto fail;
			got++;
			if (t->text_key) {
				size_t len;
				const char *k = rc_store_raw_text(from, rd, 0, &len);
				if (len >= sizeof(from_text)) {
					e = RC_ERR_LIMIT;
					goto fail;
				}
				memcpy(from_text, k, len);
				from_text[len] = '\0';
			} else {
				from_int = rc_store_raw_int(from, rd, 0);
			}
		}
		rc_store_raw_reset(to, wr);
		if ((e = rc_store_commit(to)))
			goto out;
		*copied += got;
		if (progress)
			progress(ctx, *copied);
		if (got < COPY_PAGE)
			break;
		if (!t->text_key) {
			if (from_int == INT64_MAX)
				break;
			from_int++;
		}
	}
	e = RC_OK;
	goto out;
fail:
	rc_store_rollback(to);
out:
	rc_store_raw_finalize(from, rd);
	rc_store_raw_finalize(to, wr);
	return e;
}

enum rc_err rc_store_copy_done(struct rc_store *to)
{
	for (int i = 0; i < N_TABLES; i++) {
		if (!tables[i].identity)
			continue;
		enum rc_err e = rc_store_raw_ids_sync(to, tables[i].name, tables[i].key);
		if (e)
			return e;
	}
	return RC_OK;
}
