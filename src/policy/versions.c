/*
 * versions.c -- the versions of a policy series, and assessment across them.
 *
 * Version choice follows 从旧兼从轻: the rules in force when the conduct
 * happened apply, unless rules in force when the decision is made are more
 * lenient to the official, in which case those apply.  Which version was
 * applied, and why, is part of every explanation.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/date.h"
#include "policy/assess_int.h"

#define RC_MAX_VERSIONS 64

struct rc_policy_set {
	struct rc_policy *v[RC_MAX_VERSIONS];
	int n;
};

enum rc_err rc_policy_set_new(struct rc_policy_set **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? RC_OK : RC_ERR_NOMEM;
}

void rc_policy_set_free(struct rc_policy_set *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n; i++)
		rc_policy_free(s->v[i]);
	free(s);
}

enum rc_err rc_policy_set_add(struct rc_policy_set *s, struct rc_policy *p, struct rc_diags *d)
{
	char a[RC_DATE_STRLEN];
	if (s->n >= RC_MAX_VERSIONS) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "more than %d versions of one policy",
			    RC_MAX_VERSIONS);
		rc_policy_free(p);
		return RC_ERR_LIMIT;
	}
	for (int i = 0; i < s->n; i++) {
		const struct rc_policy *q = s->v[i];
		int bad = 1;
		rc_date_format(q->effective, a);
		if (strcmp(q->series, p->series) != 0)
			rc_diag_add_in(d, p->file, RC_SEV_ERROR, 0, 0,
				       "policy series '%s' differs from '%s' of %s; the versions "
				       "loaded together must be of one series",
				       p->series, q->series, q->file);
		else if (strcmp(q->version, p->version) == 0)
			rc_diag_add_in(d, p->file, RC_SEV_ERROR, 0, 0,
				       "version \"%s\" is also the version of %s; give each "
				       "version its own string",
				       p->version, q->file);
		else if (p->effective <= q->until && q->effective <= p->until)
			rc_diag_add_in(d, p->file, RC_SEV_ERROR, 0, 0,
				       "effective period overlaps that of %s (version \"%s\", "
				       "effective %s); one version must be in force on any date",
				       q->file, q->version, a);
		else
			bad = 0;
		if (bad) {
			rc_policy_free(p);
			return RC_ERR_CONFLICT;
		}
	}
	/* keep sorted by effective date */
	int i = s->n++;
	while (i > 0 && s->v[i - 1]->effective > p->effective) {
		s->v[i] = s->v[i - 1];
		i--;
	}
	s->v[i] = p;
	return RC_OK;
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum rc_err load_file(struct rc_policy_set *s, const char *path, struct rc_diags *d)
{
	struct rc_policy *p = NULL;
	/* The file's own diagnostics, passed on naming the policy file (not
	 * the input the caller is reading). Heap: the list is ~200 KiB. */
	struct rc_diags *fd = malloc(sizeof(*fd));
	if (!fd)
		return RC_ERR_NOMEM;
	rc_diags_init(fd, path);
	enum rc_err e = rc_policy_load(path, fd, &p);
	rc_diags_merge(d, fd);
	free(fd);
	if (e)
		return e;
	return rc_policy_set_add(s, p, d);
}

enum rc_err rc_policy_set_load(struct rc_policy_set *s, const char *path, struct rc_diags *d)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		rc_diag_add_in(d, path, RC_SEV_ERROR, 0, 0, "no such file or directory");
		return RC_ERR_IO;
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(s, path, d);

	enum rc_err e = RC_OK;
	DIR *dir = opendir(path);
	char *names[RC_MAX_VERSIONS];
	int n = 0;
	struct dirent *de;
	if (!dir) {
		rc_diag_add_in(d, path, RC_SEV_ERROR, 0, 0, "cannot open the directory");
		return RC_ERR_IO;
	}
	while ((de = readdir(dir)) != NULL) {
		if (!has_suffix(de->d_name, ".rcp") || de->d_name[0] == '.')
			continue;
		if (n >= RC_MAX_VERSIONS) {
			rc_diag_add_in(d, path, RC_SEV_ERROR, 0, 0, "more than %d policy files",
				       RC_MAX_VERSIONS);
			e = RC_ERR_LIMIT;
			break;
		}
		size_t len = strlen(path) + strlen(de->d_name) + 2;
		names[n] = malloc(len);
		if (!names[n]) {
			e = RC_ERR_NOMEM;
			break;
		}
		snprintf(names[n], len, "%s/%s", path, de->d_name);
		n++;
	}
	closedir(dir);
	qsort(names, (size_t)n, sizeof(char *), cmp_str);
	for (int i = 0; i < n; i++) {
		if (!e)
			e = load_file(s, names[i], d);
		free(names[i]);
	}
	if (!e && s->n == 0) {
		rc_diag_add_in(d, path, RC_SEV_ERROR, 0, 0,
			       "no .rcp policy files in this directory");
		e = RC_ERR_NOT_FOUND;
	}
	return e;
}

int rc_policy_set_count(const struct rc_policy_set *s)
{
	return s->n;
}

const struct rc_policy *rc_policy_set_get(const struct rc_policy_set *s, int i)
{
	return i >= 0 && i < s->n ? s->v[i] : NULL;
}

const struct rc_policy *rc_policy_set_at(const struct rc_policy_set *s, int32_t date)
{
	for (int i = 0; i < s->n; i++)
		if (s->v[i]->effective <= date && date <= s->v[i]->until)
			return s->v[i];
	return NULL;
}

/* ---- assessment ----------------------------------------------------- */

void rc_assessment_free(struct rc_assessment *a)
{
	if (!a)
		return;
	for (int i = 0; i < 2; i++) {
		rc_facts_free(a->run[i].facts);
		rc_result_free(a->run[i].result);
	}
	rc_result_free(a->scratch);
	free(a);
}

const struct rc_policy *rc_assessment_policy(const struct rc_assessment *a)
{
	return a->run[a->applied].p;
}

const struct rc_result *rc_assessment_result(const struct rc_assessment *a)
{
	return a->run[a->applied].result;
}

/* Every name in the document must exist in some version: a typo is an
 * error even when several versions are loaded. */
static int check_names(const struct rc_policy_set *s, const char *json, size_t len,
		       const struct rc_policy *primary, struct rc_diags *d)
{
	json_t *root = json_loadb(json, len, 0, NULL);
	int bad = 0;
	if (!root)
		return 0; /* the strict reader reports syntax errors */
	static const char *const sections[] = {"facts", "findings"};
	for (int sec = 0; sec < 2; sec++) {
		json_t *obj = json_object_get(root, sections[sec]);
		const char *key;
		json_t *v;
		if (!json_is_object(obj))
			continue;
		json_object_foreach(obj, key, v)
		{
			int found = 0;
			for (int i = 0; i < s->n && !found; i++)
				found = rc_policy_slot_find(s->v[i], key) >= 0;
			if (found)
				continue;
			const char *sug = rc_suggest(primary, key);
			rc_diag_add(d, RC_SEV_ERROR, 0, 0,
				    "%s.%.200s: no %s of that name in any loaded version%s%s%s",
				    sections[sec], key, sec ? "standard" : "fact",
				    sug ? " (did you mean '" : "", sug ? sug : "",
				    sug ? "'?)" : "; `rongcuo policy facts` lists them");
			bad = 1;
		}
	}
	json_decref(root);
	return bad;
}

static enum rc_err run_version(struct rc_assessment *a, int slot, const struct rc_policy *p,
			       const char *json, size_t len, struct rc_diags *d)
{
	struct assess_run *r = &a->run[slot];
	int32_t c, dd;
	enum rc_err e;
	r->p = p;
	if ((e = rc_facts_new(p, &r->facts)) || (e = rc_result_new(p, &r->result)))
		return e;
	/* The version applied at the conduct date reads the facts strictly;
	 * a later one only compares, so what its schema rejects is unknown
	 * to it (with a warning) rather than an error. */
	unsigned flags =
	    (a->n_versions > 1 ? RC_FACTS_IGNORE_UNKNOWN : 0) | (slot == 1 ? RC_FACTS_LENIENT : 0);
	e = rc_facts_read_json(r->facts, json, len, flags, d, &c, &dd);
	if (e)
		return e;
	r->eval_err = rc_policy_eval(p, r->facts, r->result, RC_EVAL_TRACE);
	return RC_OK;
}

/* Append run i's decisive unknown facts, once per name. */
static void add_decisive(struct rc_assessment *a, int i)
{
	const struct assess_run *r = &a->run[i];
	int slots[RC_ASSESS_MAX_DECISIVE];
	int n = rc_policy_decisive(r->p, r->facts, r->result, a->scratch, slots,
				   RC_ASSESS_MAX_DECISIVE);
	for (int k = 0; k < n && k < RC_ASSESS_MAX_DECISIVE; k++) {
		const char *name = r->p->facts[slots[k]].name;
		int dup = 0;
		for (int j = 0; j < a->n_decisive && !dup; j++)
			dup = strcmp(a->decisive[j].p->facts[a->decisive[j].slot].name, name) == 0;
		if (!dup && a->n_decisive < RC_ASSESS_MAX_DECISIVE) {
			a->decisive[a->n_decisive].p = r->p;
			a->decisive[a->n_decisive].slot = slots[k];
			a->n_decisive++;
		}
	}
}

enum rc_err rc_assess(const struct rc_policy_set *s, const char *json, size_t len, int32_t conduct,
		      int32_t decision, struct rc_diags *d, struct rc_assessment **out)
{
	enum rc_err e = RC_OK;
	struct rc_assessment *a = calloc(1, sizeof(*a));
	char ds[RC_DATE_STRLEN];
	*out = NULL;
	if (!a)
		return RC_ERR_NOMEM;
	if (s->n == 0) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "no policy loaded");
		e = RC_ERR_NOT_FOUND;
		goto out;
	}
	a->n_versions = s->n;

	/* Dates: the command line wins over the document.  The document's
	 * dates are read first, with their own messages, because they choose
	 * the version whose facts schema reads the rest. */
	{
		int32_t c, dd;
		if ((e = rc_facts_read_dates(json, len, d, &c, &dd)))
			goto out;
		a->conduct = conduct != INT32_MIN ? conduct : c;
		a->decision = decision != INT32_MIN ? decision : dd;
	}
	if (a->conduct != INT32_MIN && a->decision != INT32_MIN && a->decision < a->conduct) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "the decision date is before the conduct date; a decision cannot precede "
		    "the conduct it judges");
		e = RC_ERR_RANGE;
		goto out;
	}

	const struct rc_policy *pc = NULL, *pd = NULL;
	if (a->conduct == INT32_MIN) {
		if (s->n > 1) {
			rc_diag_add(
			    d, RC_SEV_ERROR, 0, 0,
			    "%d versions are loaded; give the conduct date (--conduct-date or "
			    "\"conduct_date\") so the version in force can be chosen",
			    s->n);
			e = RC_ERR_USAGE;
			goto out;
		}
		pc = s->v[0];
		a->no_conduct_date = 1;
	} else {
		pc = rc_policy_set_at(s, a->conduct);
		if (!pc) {
			rc_date_format(a->conduct, ds);
			rc_diag_add(
			    d, RC_SEV_ERROR, 0, 0,
			    "no loaded version is in force on the conduct date %s; load the "
			    "version for that date",
			    ds);
			e = RC_ERR_NOT_FOUND;
			goto out;
		}
	}
	if (check_names(s, json, len, pc, d)) {
		e = RC_ERR_NAME;
		goto out;
	}
	if ((e = run_version(a, 0, pc, json, len, d)))
		goto out;
	a->applied = 0;
	if (a->decision != INT32_MIN)
		pd = rc_policy_set_at(s, a->decision);
	a->at_decision = pd;
	if (pd && pd != pc) {
		if ((e = run_version(a, 1, pd, json, len, d)))
			goto out;
		a->has_later = 1;
		const struct assess_run *r0 = &a->run[0], *r1 = &a->run[1];
		/* Compare what each version can still recommend: a determined
		 * band, or the candidates of an undetermined one.  Leniency is
		 * compared through the outcomes' leniency, the meaning shared
		 * across versions (bands are per-version bit masks). */
		uint64_t c0 = rc_policy_candidates(pc, r0->facts, r0->result);
		uint64_t c1 = rc_policy_candidates(pd, r1->facts, r1->result);
		a->run[0].cand = c0;
		a->run[1].cand = c1;
		if (r0->result->state == RC_OUTCOME_DETERMINED &&
		    r1->result->state == RC_OUTCOME_DETERMINED) {
			a->later_cmp = rc_band_cmp_across(pd, c1, pc, c0);
		} else {
			int lo0, hi0, lo1, hi1;
			rc_band_range(pc, c0, &lo0, &hi0);
			rc_band_range(pd, c1, &lo1, &hi1);
			if (c0 && c1 && lo1 > hi0)
				a->later_cmp =
				    1; /* the later version is lighter whatever the facts */
			else if (c0 && c1 && hi1 <= lo0)
				a->later_cmp = -1; /* it cannot be lighter */
			else
				a->later_undecided = 1;
		}
		if (a->later_cmp > 0)
			a->applied = 1;
	}
	{
		struct assess_run *r = &a->run[a->applied];
		if ((e = rc_result_new(r->p, &a->scratch)))
			goto out;
		a->candidates = rc_policy_candidates(r->p, r->facts, r->result);
		add_decisive(a, a->applied);
		if (a->later_undecided) {
			/* Facts that settle the comparison matter as much. */
			struct rc_result *other = NULL;
			if ((e = rc_result_new(a->run[1 - a->applied].p, &other)))
				goto out;
			rc_result_free(a->scratch);
			a->scratch = other;
			add_decisive(a, 1 - a->applied);
		}
		if (r->eval_err == RC_ERR_CONFLICT) {
			int ra, rb;
			rc_result_conflict(r->result, &ra, &rb);
			rc_diag_add(
			    d, RC_SEV_ERROR, 0, 0,
			    "policy %s: rules '%s' and '%s' both apply at priority %d and "
			    "recommend different outcomes; fix the policy (rongcuo policy check)",
			    r->p->version, r->p->rules[ra].name, r->p->rules[rb].name,
			    r->p->rules[ra].priority);
			e = RC_ERR_CONFLICT;
			goto out;
		}
	}
	*out = a;
	a = NULL;
out:
	rc_assessment_free(a);
	return e;
}
