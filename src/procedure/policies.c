/*
 * policies.c -- policy versions administered from the web: check a text
 * as `rongcuo policy check` does, and activate it.
 *
 * A version is a file in the policy directory the server loaded (the
 * administrators own the policy as data: ../shared/ARCHITECTURE.md), so
 * activating one is writing its file and adding it to the running set.
 * The write is part of the unit of work: the file is written (to a
 * temporary name, then renamed into place) inside the change, whose audit
 * row records the version and its digest; when the change does not commit
 * the file is removed, so the directory never holds a version the audit
 * trail does not know.  Versions are only added: an old version stays,
 * because the cases decided under it keep it (从旧兼从轻 needs them all).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "procedure/procedure_int.h"

/* A version's file name: SERIES-VERSION.rcp, refused unless both are made
 * of [A-Za-z0-9._-] (they name a file; a policy may say anything). */
static int file_name(const struct rc_policy *p, char *out, size_t cap)
{
	const char *parts[2] = {rc_policy_series(p), rc_policy_version(p)};
	for (int i = 0; i < 2; i++)
		for (const char *c = parts[i]; *c; c++)
			if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
			      (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-'))
				return -1;
	int n = snprintf(out, cap, "%s-%s.rcp", parts[0], parts[1]);
	return n > 0 && (size_t)n < cap && parts[0][0] != '.' ? 0 : -1;
}

enum rc_err rc_proc_policy_check(const struct rc_policy_set *set, const char *text, size_t len,
				 struct rc_diags *d, struct rc_policy **out)
{
	struct rc_policy *p = NULL;
	enum rc_err e;
	*out = NULL;
	if (len > RC_POLICY_MAX_BYTES) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "the policy text is over %u bytes",
			    RC_POLICY_MAX_BYTES);
		return RC_ERR_LIMIT;
	}
	if ((e = rc_policy_compile(text, len, d->file, d, &p)))
		return e;
	if ((e = rc_policy_check(p, d)))
		goto out;
	FILE *null = fopen("/dev/null", "w");
	int run = 0, failed = 0;
	e = null ? rc_policy_run_tests(p, null, &run, &failed) : RC_ERR_IO;
	if (null)
		fclose(null);
	if (e) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "%d of the policy's %d tests fail (`rongcuo policy test`)", failed,
			    run);
		goto out;
	}
	for (int i = 0; set && i < rc_policy_set_count(set); i++) {
		const struct rc_policy *q = rc_policy_set_get(set, i);
		if (strcmp(rc_policy_series(q), rc_policy_series(p)) != 0) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "series '%s' is not the loaded series '%s'",
				    rc_policy_series(p), rc_policy_series(q));
			e = RC_ERR_CONFLICT;
			goto out;
		}
		if (strcmp(rc_policy_version(q), rc_policy_version(p)) == 0) {
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "version '%s' is loaded already: a version is never replaced",
				    rc_policy_version(p));
			e = RC_ERR_CONFLICT;
			goto out;
		}
	}
	char name[300];
	if (file_name(p, name, sizeof(name))) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0,
			    "series and version must be letters, digits, '.', '_' or '-' to name "
			    "the version's file");
		e = RC_ERR_RANGE;
	}
out:
	if (e)
		rc_policy_free(p);
	else
		*out = p;
	return e;
}

struct activate {
	const char *dir, *text;
	size_t len;
	struct rc_policy *p;
	char path[1400], tmp[1450], object[300], after[400];
	int written;
	struct rc_proc_who who; /* the activating user, for the audit row */
};

/* Inside the change's transaction, under the store's write lock, so that
 * two activations cannot both pass: the directory as the next start will
 * load it, with this version (an effective period overlapping another's is
 * refused now, not at that start), then the text to a temporary file,
 * fsync'd.  It takes its name only after the commit (rc_proc_policy_
 * activate): a crash before leaves no version the trail does not know. */
static enum rc_err do_activate(struct rc_store *s, void *ctx, struct rc_audit_entry *row,
			       struct rc_diags *d)
{
	struct activate *x = ctx;
	struct rc_policy_set *trial = NULL;
	struct rc_policy *again = NULL;
	enum rc_err e;
	/* the row names the user as the accounts table has them: their role
	 * and organisation (系统管理员 at the root) */
	if ((e = rc_proc_who_get(s, row->user, &x->who)))
		return e;
	row->user = x->who.login;
	row->role = x->who.role;
	row->org = x->who.org;
	if ((e = rc_policy_set_new(&trial)) || (e = rc_policy_set_load(trial, x->dir, d)) ||
	    (e = rc_policy_compile(x->text, x->len, d->file, d, &again)) ||
	    (e = rc_policy_set_add(trial, again, d))) {
		rc_policy_set_free(trial);
		return e == RC_ERR_NOMEM ? e : RC_ERR_CONFLICT;
	}
	rc_policy_set_free(trial);
	/* a retried attempt writes it again */
	if ((e = rc_proc_file_stage(x->tmp, x->text, x->len, d)))
		return e;
	x->written = 1;
	return RC_OK;
}

enum rc_err rc_proc_policy_activate(struct rc_unit *u, const char *actor, const char *role,
				    struct rc_policy_set *set, const char *dir, const char *text,
				    size_t len, struct rc_diags *d)
{
	struct activate x = {.dir = dir, .text = text, .len = len};
	char name[300], eff[RC_DATE_STRLEN];
	enum rc_err e = rc_proc_policy_check(set, text, len, d, &x.p);
	if (e)
		return e;
	file_name(x.p, name, sizeof(name));
	snprintf(x.path, sizeof(x.path), "%s/%s", dir, name);
	snprintf(x.tmp, sizeof(x.tmp), "%s/.%s.tmp", dir, name);
	snprintf(x.object, sizeof(x.object), "policy:%s/%s", rc_policy_series(x.p),
		 rc_policy_version(x.p));
	rc_date_format(rc_policy_effective(x.p), eff);
	snprintf(x.after, sizeof(x.after), "file=%s\ndigest=%s\neffective=%s\n", name,
		 rc_policy_digest(x.p), eff);
	struct rc_audit_entry a = {.user = actor,
				   .role = role,
				   .org = "-",
				   .action = "policy.activate",
				   .object = x.object,
				   .before = "",
				   .after = x.after};
	e = rc_unit_change(u, &a, do_activate, &x, d);
	if (e) {
		/* not committed (or not known to be): no file takes the name,
		 * so no start loads a version the trail may not know */
		if (x.written)
			unlink(x.tmp);
		rc_policy_free(x.p);
		return e;
	}
	/* committed: the file takes its name (files.c) */
	if ((e = rc_proc_file_name(x.tmp, x.path, dir, x.object, d))) {
		rc_policy_free(x.p);
		return e;
	}
	/* the set takes the version (it was checked against it above) */
	return rc_policy_set_add(set, x.p, d);
}
